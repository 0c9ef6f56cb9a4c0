package expert

import (
	"context"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
)

// PayoutID identifies a [Payout].
type PayoutID struct{ uuid.UUID }

// NewPayoutID returns a new time-ordered (version 7) payout ID.
func NewPayoutID() (PayoutID, error) { u, err := osallisuus.NewUUID(); return PayoutID{u}, err }

// IsZero reports whether id is unset.
func (id PayoutID) IsZero() bool { return id.UUID == uuid.Nil }

// PayoutState is the state of a payout record (E16).
type PayoutState uint8

// The payout states: draft → approved → paid, or voided.
const (
	PayoutUnspecified PayoutState = iota
	PayoutDraft
	PayoutApproved
	PayoutPaid
	PayoutVoided
)

var payoutStateNames = []string{"", "draft", "approved", "paid", "voided"}

// String returns the text form.
func (s PayoutState) String() string { return enumString(payoutStateNames, s) }

// MarshalText returns the text form.
func (s PayoutState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses the text form.
func (s *PayoutState) UnmarshalText(b []byte) error {
	return enumUnmarshal(payoutStateNames, "state", b, s)
}

// Payout is a payout record (maksuaineisto, E16): what the host's payroll should pay for
// one assignment or session. It holds no tax data, bank accounts or identity codes.
type Payout struct {
	ID              PayoutID        `json:"id"`
	Expert          ExpertID        `json:"expert"`
	Request         RequestID       `json:"request,omitzero"`
	Assignment      AssignmentID    `json:"assignment,omitzero"`
	ScheduleVersion string          `json:"scheduleVersion"`
	PaymentDate     osallisuus.Date `json:"paymentDate"`
	Lines           []Line          `json:"lines"`
	FeeCents        int64           `json:"feeCents"`
	ExpenseCents    int64           `json:"expenseCents"`
	State           PayoutState     `json:"state"`
	// CapDecisionNeeded: the payout passes a cap and waits for the expert's choice (E15).
	CapDecisionNeeded bool `json:"capDecisionNeeded,omitzero"`
	// Warnings are the caps this payout brings to approaching or past (E14: never silent).
	Warnings []CapWarning `json:"warnings,omitempty"`
	// Decision is the expert's cap choice for this payout, with who and when (E14, E15).
	Decision   *CapDecision `json:"decision,omitempty"`
	VoidReason string       `json:"voidReason,omitzero"`
	ReplacedBy PayoutID     `json:"replacedBy,omitzero"`
	Version    int64        `json:"version"`
	CreatedAt  time.Time    `json:"createdAt"`
}

// Clone returns a deep copy of p.
func (p Payout) Clone() Payout {
	c := p
	c.Lines = cloneSlice(p.Lines)
	c.Warnings = cloneSlice(p.Warnings)
	if p.Decision != nil {
		d := *p.Decision
		c.Decision = &d
	}
	return c
}

// Frozen reports whether p's content may no longer change: approved, paid and voided
// records change only their state (approved → paid or voided) and void fields (X7).
func (p Payout) Frozen() bool { return p.State >= PayoutApproved }

// SameContent reports whether p and q have the same content (everything but State,
// VoidReason, ReplacedBy, Version), the part a frozen payout keeps.
func (p Payout) SameContent(q Payout) bool {
	if len(p.Lines) != len(q.Lines) {
		return false
	}
	for i := range p.Lines {
		if p.Lines[i] != q.Lines[i] {
			return false
		}
	}
	return p.ID == q.ID && p.Expert == q.Expert && p.Request == q.Request && p.Assignment == q.Assignment &&
		p.ScheduleVersion == q.ScheduleVersion && p.PaymentDate == q.PaymentDate &&
		p.FeeCents == q.FeeCents && p.ExpenseCents == q.ExpenseCents &&
		p.CapDecisionNeeded == q.CapDecisionNeeded && p.CreatedAt.Equal(q.CreatedAt)
}

// PayoutFor builds a draft payout from a priced fee.
func PayoutFor(id PayoutID, e ExpertID, r RequestID, a AssignmentID, f Fee, pay osallisuus.Date, now time.Time) Payout {
	return Payout{ID: id, Expert: e, Request: r, Assignment: a, ScheduleVersion: f.ScheduleID, PaymentDate: pay,
		Lines: cloneSlice(f.Lines), FeeCents: f.FeeCents, ExpenseCents: f.ExpenseCents, State: PayoutDraft,
		CreatedAt: now}
}

// PayoutStore keeps payout records. Implementations are safe for concurrent use.
type PayoutStore interface {
	// CreatePayout stores p with Version 1: ErrInvalid if p.ID is zero, ErrConflict if
	// it exists.
	CreatePayout(ctx context.Context, p Payout) error
	// GetPayout returns a copy of the stored value, or ErrNotFound.
	GetPayout(ctx context.Context, id PayoutID) (Payout, error)
	// ListPayouts yields the payouts passing f in ascending ID order.
	ListPayouts(ctx context.Context, f PayoutFilter) iter.Seq2[Payout, error]
	// UpdatePayout runs fn on a copy and saves it with Version+1, atomically, as
	// UpdateExpert. If the stored payout is [Payout.Frozen] and fn changed its content
	// ([Payout.SameContent] false), nothing is saved and the error matches ErrConflict.
	UpdatePayout(ctx context.Context, id PayoutID, fn func(*Payout) error) (Payout, error)
}

// PayoutFilter selects payouts; the zero filter matches all.
type PayoutFilter struct {
	Expert ExpertID
	State  PayoutState
	After  PayoutID
	Limit  int
}

// Match reports whether p passes the filter's conditions (not the cursor or limit).
func (f PayoutFilter) Match(p Payout) bool {
	return (f.Expert.IsZero() || p.Expert == f.Expert) && (f.State == PayoutUnspecified || p.State == f.State)
}

// SessionKind is the kind of a support session (E19).
type SessionKind uint8

// The session kinds: supervision (työnohjaus) and debriefing (purkukeskustelu).
const (
	SessionUnspecified SessionKind = iota
	SessionSupervision
	SessionDebrief
)

var sessionNames = []string{"", "supervision", "debrief"}

// String returns the text form (also the task type that may price it).
func (k SessionKind) String() string { return enumString(sessionNames, k) }

// MarshalText returns the text form.
func (k SessionKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText parses the text form.
func (k *SessionKind) UnmarshalText(b []byte) error { return enumUnmarshal(sessionNames, "kind", b, k) }

// Session is a supervision or debriefing session of one expert (E19): activity that
// never counts toward load or the assignment cap, unpaid unless the schedule prices its
// kind.
type Session struct {
	ID         uuid.UUID       `json:"id"`
	Expert     ExpertID        `json:"expert"`
	Kind       SessionKind     `json:"kind"`
	Group      string          `json:"group,omitzero"`
	Date       osallisuus.Date `json:"date"`
	Minutes    int             `json:"minutes"`
	Assignment AssignmentID    `json:"assignment,omitzero"`
}

// SessionStore appends and lists sessions. Implementations are safe for concurrent use.
type SessionStore interface {
	// AddSession stores s: ErrInvalid if s.ID is zero, ErrConflict if it exists.
	AddSession(ctx context.Context, s Session) error
	// Sessions yields the sessions of expert in the order added.
	Sessions(ctx context.Context, expert ExpertID) iter.Seq2[Session, error]
}

// PriceSession prices a session with the schedule in force on its date: no lines when the
// schedule does not price its kind (E19), else the kind's rate as a task.
func PriceSession(ss Schedules, s Session, countExpenses bool) (Fee, error) {
	return Price(ss, Work{TaskType: s.Kind.String(), Start: s.Date.Time(12, 0), Minutes: s.Minutes}, countExpenses)
}

// The reason codes of payout refusals.
const (
	ReasonNotDraft          osallisuus.Reason = "not-draft"
	ReasonNotApproved       osallisuus.Reason = "not-approved"
	ReasonCapDecisionNeeded osallisuus.Reason = "cap-decision-needed"
)

// ReasonCannotVoid is the reason code of a refusal to void a paid or voided payout.
const ReasonCannotVoid osallisuus.Reason = "cannot-void"

// Void voids an approved or draft payout with a reason (E16) and returns its replacement:
// a new draft with the same lines under newID, linked through ReplacedBy, for the host to
// correct and approve. A paid or voided payout is ErrConflict cannot-void; an empty
// reason is ErrInvalid.
func (p *Payout) Void(reason string, newID PayoutID, now time.Time) (Payout, error) {
	if reason == "" {
		return Payout{}, osallisuus.Invalid("reason", osallisuus.CodeRequired)
	}
	if p.State != PayoutDraft && p.State != PayoutApproved {
		return Payout{}, refuse("void payout", osallisuus.ErrConflict, p.State, ReasonCannotVoid)
	}
	next := p.Clone()
	next.ID, next.State, next.Version, next.CreatedAt = newID, PayoutDraft, 0, now
	next.VoidReason, next.ReplacedBy = "", PayoutID{} // the expert's cap decision carries over
	p.State, p.VoidReason, p.ReplacedBy = PayoutVoided, reason, newID
	return next, nil
}

// DecidePayout applies the expert's choice to a draft payout that passes a cap (E15):
// acknowledge (paid in full), waive the fee (fee lines at 0, marked waived), or limit the
// fee to headroom cents (the lines are paid in order up to it and the rest is waived).
// Expenses are paid in every case. Only the expert or their representative chooses
// (ErrForbidden not-expert-choice); a payout that is not a draft is ErrConflict.
func DecidePayout(p *Payout, choice Choice, by Actor, headroom int64, now time.Time) error {
	const op = "decide payout"
	if p.State != PayoutDraft {
		return refuse(op, osallisuus.ErrConflict, p.State, ReasonNotDraft)
	}
	if by != ActorExpert && by != ActorRepresentative {
		return refuse(op, osallisuus.ErrForbidden, nil, ReasonNotExpertChoice)
	}
	switch choice {
	case ChoiceAcknowledgeExceed:
	case ChoiceWaiveFee, ChoiceLimitFeeToCap:
		left := max(0, headroom)
		if choice == ChoiceWaiveFee {
			left = 0
		}
		p.FeeCents = 0
		for i := range p.Lines {
			l := &p.Lines[i]
			if !l.IsFee() {
				continue
			}
			if l.Cents > left {
				l.Cents, l.Waived = left, true
			}
			left -= l.Cents
			p.FeeCents += l.Cents
		}
	default:
		return osallisuus.Invalid("choice", osallisuus.CodeRequired)
	}
	p.CapDecisionNeeded = false
	p.Decision = &CapDecision{Choice: choice, By: by, At: now}
	return nil
}
