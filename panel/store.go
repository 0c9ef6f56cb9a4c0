package panel

import (
	"context"
	"iter"
	"time"

	"github.com/osallisuus/osallisuus"
)

// PanelStore keeps panels, each with its whole roster (spec §7). Implementations are
// safe for concurrent use, return copies (changing a returned value never changes what
// is stored), return ctx.Err() once ctx is done, and must pass paneltest.Run.
type PanelStore interface {
	// CreatePanel stores p with Version 1: ErrInvalid if p.ID is zero, ErrConflict if a
	// panel with p.ID exists.
	CreatePanel(ctx context.Context, p Panel) error
	// GetPanel returns the stored panel, or ErrNotFound.
	GetPanel(ctx context.Context, id PanelID) (Panel, error)
	// ListPanels yields the panels f matches in ID order (byte order of the UUID);
	// the zero filter matches all. On failure it yields one (zero, err) and stops.
	ListPanels(ctx context.Context, f PanelFilter) iter.Seq2[Panel, error]
	// UpdatePanel runs fn on a copy of the stored panel and saves the result with
	// Version+1, atomically: no other update of the panel commits in between. If fn
	// fails nothing is saved and fn's error is returned as is. fn may run more than
	// once. ErrNotFound (fn not called) for an unknown id.
	UpdatePanel(ctx context.Context, id PanelID, fn func(*Panel) error) (Panel, error)
}

// PanelFilter selects panels: by State when set, with IDs after After, at most Limit
// (0: no limit).
type PanelFilter struct {
	State State
	After PanelID
	Limit int
}

// Match reports whether p matches f, After and Limit aside.
func (f PanelFilter) Match(p *Panel) bool { return f.State == "" || p.State == f.State }

// MeetingStore keeps meetings, with the same contract as [PanelStore].
type MeetingStore interface {
	CreateMeeting(ctx context.Context, m Meeting) error
	GetMeeting(ctx context.Context, id MeetingID) (Meeting, error)
	// ListMeetings yields matches in ID order.
	ListMeetings(ctx context.Context, f MeetingFilter) iter.Seq2[Meeting, error]
	UpdateMeeting(ctx context.Context, id MeetingID, fn func(*Meeting) error) (Meeting, error)
}

// MeetingFilter selects meetings: of Panel, in State, starting in [From, Until) (zero
// bounds are open), IDs after After, at most Limit.
type MeetingFilter struct {
	Panel       PanelID
	State       MeetingState
	From, Until time.Time
	After       MeetingID
	Limit       int
}

// Match reports whether m matches f, After and Limit aside.
func (f MeetingFilter) Match(m *Meeting) bool {
	return (f.Panel.IsZero() || m.Panel == f.Panel) && (f.State == "" || m.State == f.State) &&
		(f.From.IsZero() || !m.Start.Before(f.From)) && (f.Until.IsZero() || m.Start.Before(f.Until))
}

// ProposalStore keeps proposals, with the same contract as [PanelStore].
type ProposalStore interface {
	CreateProposal(ctx context.Context, p Proposal) error
	GetProposal(ctx context.Context, id ProposalID) (Proposal, error)
	// ListProposals yields matches in ID order.
	ListProposals(ctx context.Context, f ProposalFilter) iter.Seq2[Proposal, error]
	UpdateProposal(ctx context.Context, id ProposalID, fn func(*Proposal) error) (Proposal, error)
}

// ProposalFilter selects proposals: of Panel, in State, overdue on OverdueOn (unanswered
// and AnswerDue before it; due that day is not overdue), IDs after After, at most Limit.
type ProposalFilter struct {
	Panel     PanelID
	State     ProposalState
	OverdueOn osallisuus.Date
	After     ProposalID
	Limit     int
}

// Match reports whether p matches f, After and Limit aside.
func (f ProposalFilter) Match(p *Proposal) bool {
	return (f.Panel.IsZero() || p.Panel == f.Panel) && (f.State == "" || p.State == f.State) &&
		(f.OverdueOn.IsZero() || p.Overdue(f.OverdueOn))
}

// CallStore keeps open calls with their applications, with the same contract as
// [PanelStore].
type CallStore interface {
	CreateCall(ctx context.Context, c Call) error
	GetCall(ctx context.Context, id CallID) (Call, error)
	// ListCalls yields matches in ID order.
	ListCalls(ctx context.Context, f CallFilter) iter.Seq2[Call, error]
	UpdateCall(ctx context.Context, id CallID, fn func(*Call) error) (Call, error)
}

// CallFilter selects calls: of Panel, in stored State, IDs after After, at most Limit.
type CallFilter struct {
	Panel PanelID
	State CallState
	After CallID
	Limit int
}

// Match reports whether c matches f, After and Limit aside.
func (f CallFilter) Match(c *Call) bool {
	return (f.Panel.IsZero() || c.Panel == f.Panel) && (f.State == "" || c.State == f.State)
}

// Tx is what [Store.Atomic]'s function reads and writes through: everything written
// through it commits together or not at all. Its methods behave as the Store's methods
// of the same names (ErrNotFound for an unknown id, fn's error returned as is and
// nothing of that update kept, Version+1 per successful update, copies in and out),
// and its reads see the writes made earlier through the same Tx.
type Tx interface {
	GetPanel(ctx context.Context, id PanelID) (Panel, error)
	UpdatePanel(ctx context.Context, id PanelID, fn func(*Panel) error) (Panel, error)
	GetCall(ctx context.Context, id CallID) (Call, error)
	UpdateCall(ctx context.Context, id CallID, fn func(*Call) error) (Call, error)
}

// Store is everything the panel service stores; paneltest.Run checks implementations.
type Store interface {
	PanelStore
	MeetingStore
	ProposalStore
	CallStore
	// Atomic runs fn with a [Tx] for operations that change more than one aggregate
	// (an open call's selection changes the call and its panel). When fn returns nil
	// every write made through tx commits together; when it returns an error (returned
	// as is) or ctx is done, none does and the stored values are as before. Concurrent
	// Atomic calls, and the single-aggregate updates, over the same aggregates behave
	// as if run one after another (memstore: one lock; SQL: one transaction whose reads
	// lock their rows), so fn may run more than once. fn must not use the Store itself,
	// only tx.
	Atomic(ctx context.Context, fn func(tx Tx) error) error
}
