package feedback

import (
	"context"
	"iter"

	"github.com/osallisuus/osallisuus"
)

// FeedbackFilter selects feedback; the zero filter matches all.
type FeedbackFilter struct {
	// State, when set, matches only that state.
	State State
	// UnitCode, when set, matches only that unit.
	UnitCode string
	// Sender, when set, matches only the feedback whose Sender is exactly this text (a
	// participant ID in its canonical form; GDPR export and erasure list by it).
	Sender string
	// After, when set, starts after this ID (a cursor); Limit > 0 caps the count.
	After ID
	Limit int
}

// Match reports whether f passes the filter's conditions (not the cursor or limit).
func (flt FeedbackFilter) Match(f Feedback) bool {
	return (flt.State == StateUnspecified || flt.State == f.State) &&
		(flt.UnitCode == "" || flt.UnitCode == f.UnitCode) &&
		(flt.Sender == "" || flt.Sender == f.Sender)
}

// ContactFilter selects contacts; the zero filter matches all.
type ContactFilter struct {
	// Participant, when set, matches only the contacts of that participant (GDPR export
	// and erasure).
	Participant osallisuus.ParticipantID
	// RetainUntilBefore, when set, matches only the contacts whose RetainUntil is before
	// that day, that is, whose retention ended before it (the retention job passes
	// today). A zero RetainUntil counts as before every day.
	RetainUntilBefore osallisuus.Date
	// After, when set, starts after this feedback ID (a cursor); Limit > 0 caps the count.
	After ID
	Limit int
}

// Match reports whether c passes the filter's conditions (not the cursor or limit).
func (flt ContactFilter) Match(c Contact) bool {
	return (flt.Participant.IsZero() || flt.Participant == c.Participant) &&
		(flt.RetainUntilBefore.IsZero() || c.RetainUntil.Before(flt.RetainUntilBefore))
}

// FeedbackStore keeps feedback. Implementations are safe for concurrent use and must
// pass feedbacktest.Run. Values in, values out: a returned value shares nothing with what
// is stored.
type FeedbackStore interface {
	// CreateFeedback stores f with Version 1: ErrConflict if f.ID exists, ErrInvalid if it
	// is zero.
	CreateFeedback(ctx context.Context, f Feedback) error
	// GetFeedback returns a copy of the stored value, or ErrNotFound.
	GetFeedback(ctx context.Context, id ID) (Feedback, error)
	// ListFeedback yields matches in ID order (IDs are time-ordered UUIDv7, compared as
	// bytes); the zero filter matches all. On failure it yields (zero, err) once and stops.
	ListFeedback(ctx context.Context, f FeedbackFilter) iter.Seq2[Feedback, error]
	// UpdateFeedback runs fn on a copy and saves it with Version+1, atomically. If fn
	// fails nothing is saved and fn's error is returned; ErrNotFound if id is unknown. fn
	// may run more than once and must not change ID.
	UpdateFeedback(ctx context.Context, id ID, fn func(*Feedback) error) (Feedback, error)
	// UpdateFeedbackPair runs fn on copies of two different feedback and saves both with
	// Version+1 in one atomic step, or neither (a merge changes both; spec §6.2).
	// ErrNotFound if either is unknown, ErrInvalid if a == b. As UpdateFeedback otherwise;
	// SQL implementations lock the two rows in ID order to avoid deadlocks.
	UpdateFeedbackPair(ctx context.Context, a, b ID, fn func(a, b *Feedback) error) (Feedback, Feedback, error)
}

// ContactStore keeps the contact details of feedback senders, apart from the feedback
// text (§2). Implementations are safe for concurrent use.
type ContactStore interface {
	// CreateContact stores c under c.Feedback: ErrConflict if that feedback already has a
	// contact, ErrInvalid if c.Feedback is zero.
	CreateContact(ctx context.Context, c Contact) error
	// GetContact returns the contact of feedback id, or ErrNotFound.
	GetContact(ctx context.Context, id ID) (Contact, error)
	// DeleteContact removes the contact of feedback id (erasure, or its retention date
	// passed): ErrNotFound if there is none.
	DeleteContact(ctx context.Context, id ID) error
	// ListContacts yields the contacts matching f in the order of their feedback IDs
	// (compared as bytes, as ListFeedback). On failure it yields (zero, err) once and
	// stops. A SQL implementation keeps the participant and the retention date in
	// indexed columns.
	ListContacts(ctx context.Context, f ContactFilter) iter.Seq2[Contact, error]
}

// SummaryFilter selects loop summaries; the zero filter matches all.
type SummaryFilter struct {
	// Status, when set, matches only that status.
	Status LoopStatus
	// After, when set, starts after this ID (a cursor); Limit > 0 caps the count.
	After SummaryID
	Limit int
}

// SummaryStore keeps "you said, we did" summaries. Implementations are safe for
// concurrent use.
type SummaryStore interface {
	// CreateSummary stores s with Version 1: ErrConflict if s.ID exists, ErrInvalid if it
	// is zero.
	CreateSummary(ctx context.Context, s LoopSummary) error
	// GetSummary returns a copy of the stored value, or ErrNotFound.
	GetSummary(ctx context.Context, id SummaryID) (LoopSummary, error)
	// ListSummaries yields matches in ID order.
	ListSummaries(ctx context.Context, f SummaryFilter) iter.Seq2[LoopSummary, error]
	// UpdateSummary runs fn on a copy and saves it with Version+1, atomically; as
	// UpdateFeedback.
	UpdateSummary(ctx context.Context, id SummaryID, fn func(*LoopSummary) error) (LoopSummary, error)
}

// Store is every feedback store in one: what a backend implements and what
// feedbacktest.Run checks.
type Store interface {
	FeedbackStore
	ContactStore
	SummaryStore
}

// errZeroID is the ErrInvalid stores return for a zero ID.
func errZeroID(op string) error {
	return &osallisuus.ValidationError{Op: op, Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
}

// ErrZeroID returns the error a store returns for a zero ID in op; it matches
// osallisuus.ErrInvalid. For store implementations.
func ErrZeroID(op string) error { return errZeroID(op) }
