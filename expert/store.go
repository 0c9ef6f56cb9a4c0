package expert

import (
	"context"
	"iter"
	"slices"

	"github.com/osallisuus/osallisuus"
)

// ExpertStore keeps experts. Implementations are safe for concurrent use and must pass
// experttest.Run.
type ExpertStore interface {
	// CreateExpert stores e with Version 1: ErrInvalid if e.ID or e.Participant is zero;
	// ErrConflict if e.ID exists, or if e is not terminal and a non-terminal expert of
	// the same participant exists (X1: one non-terminal record per participant).
	CreateExpert(ctx context.Context, e Expert) error
	// GetExpert returns a copy of the stored value, or ErrNotFound.
	GetExpert(ctx context.Context, id ExpertID) (Expert, error)
	// ListExperts yields the experts passing f in ascending ID order (the bytes of the
	// UUID, which is also the order of its canonical text); the zero filter matches all.
	ListExperts(ctx context.Context, f ExpertFilter) iter.Seq2[Expert, error]
	// UpdateExpert runs fn on a copy and saves it with Version+1, atomically. If fn fails
	// nothing is saved and fn's error is returned; ErrNotFound if id is unknown. fn may
	// run more than once and must not change ID or Participant.
	UpdateExpert(ctx context.Context, id ExpertID, fn func(*Expert) error) (Expert, error)
}

// ExpertFilter selects experts; the zero filter matches all. Conditions combine with AND.
type ExpertFilter struct {
	// Participant, when set, matches that participant's records.
	Participant osallisuus.ParticipantID
	// State, when set, matches the stored state.
	State State
	// Area, Language and ExperienceArea match an entry of the profile (exact strings;
	// the language ignoring ASCII case).
	Area           string
	Language       string
	ExperienceArea string
	// TaskType, when set, matches experts whose preference for it is not never.
	TaskType string
	// After, when set, starts after this ID (a cursor); Limit > 0 caps the count.
	After ExpertID
	Limit int
}

// Match reports whether e passes the filter's conditions (not the cursor or limit).
func (f ExpertFilter) Match(e Expert) bool {
	switch {
	case !f.Participant.IsZero() && e.Participant != f.Participant,
		f.State != StateUnspecified && e.State != f.State,
		f.Area != "" && !slices.Contains(e.Profile.Areas, f.Area),
		f.TaskType != "" && e.Profile.Preferences[f.TaskType] == PreferenceNever:
		return false
	}
	if f.Language != "" && !slices.ContainsFunc(e.Profile.Languages, func(l string) bool { return asciiEqualFold(l, f.Language) }) {
		return false
	}
	if f.ExperienceArea != "" && !slices.ContainsFunc(e.Profile.Experience, func(x Experience) bool { return x.Code == f.ExperienceArea }) {
		return false
	}
	return true
}

// RequestStore keeps requests with their assignments. Implementations are safe for
// concurrent use and must pass experttest.Run.
type RequestStore interface {
	// CreateRequest stores r with Version 1: ErrInvalid if r.ID is zero, ErrConflict if
	// it exists.
	CreateRequest(ctx context.Context, r Request) error
	// GetRequest returns a copy of the stored value, or ErrNotFound.
	GetRequest(ctx context.Context, id RequestID) (Request, error)
	// ListRequests yields the requests passing f in ascending ID order.
	ListRequests(ctx context.Context, f RequestFilter) iter.Seq2[Request, error]
	// UpdateRequest runs fn on a copy and saves it with Version+1, atomically; as
	// UpdateExpert. fn must not change ID.
	UpdateRequest(ctx context.Context, id RequestID, fn func(*Request) error) (Request, error)
}

// RequestFilter selects requests; the zero filter matches all.
type RequestFilter struct {
	// Unit, State (stored) and TaskType, when set, must equal the request's.
	Unit     string
	State    RequestState
	TaskType string
	// After, when set, starts after this ID (a cursor); Limit > 0 caps the count.
	After RequestID
	Limit int
}

// Match reports whether r passes the filter's conditions (not the cursor or limit).
func (f RequestFilter) Match(r Request) bool {
	return (f.Unit == "" || r.Unit == f.Unit) && (f.State == RequestUnspecified || r.State == f.State) &&
		(f.TaskType == "" || r.TaskType == f.TaskType)
}

// ScheduleStore keeps the fee schedule versions, append-only.
type ScheduleStore interface {
	// AddSchedule stores a new version: ErrInvalid if its ID is empty or its ValidFrom
	// zero; ErrConflict if a version with the same ID or ValidFrom exists.
	AddSchedule(ctx context.Context, s Schedule) error
	// InForce returns the version with the latest ValidFrom on or before d, or
	// ErrNotFound when d is before the first version.
	InForce(ctx context.Context, d osallisuus.Date) (Schedule, error)
	// ListSchedules yields every version in ValidFrom order.
	ListSchedules(ctx context.Context) iter.Seq2[Schedule, error]
}

// Tx is what [Store.Atomic]'s function reads and writes through: everything done
// through it commits together or not at all.
// Its methods behave as the Store's methods of the same names; AddSession stores a
// supervision or debriefing session in the same atomic step as its payout and the
// expert's commitment (E19).
type Tx interface {
	GetExpert(ctx context.Context, id ExpertID) (Expert, error)
	UpdateExpert(ctx context.Context, id ExpertID, fn func(*Expert) error) (Expert, error)
	GetRequest(ctx context.Context, id RequestID) (Request, error)
	UpdateRequest(ctx context.Context, id RequestID, fn func(*Request) error) (Request, error)
	CreatePayout(ctx context.Context, p Payout) error
	GetPayout(ctx context.Context, id PayoutID) (Payout, error)
	UpdatePayout(ctx context.Context, id PayoutID, fn func(*Payout) error) (Payout, error)
	AddSession(ctx context.Context, s Session) error
}

// Store is every expert store in one: what a backend implements and what experttest.Run
// checks.
type Store interface {
	ExpertStore
	RequestStore
	ScheduleStore
	PayoutStore
	SessionStore
	// Atomic runs fn with a [Tx] whose reads see fn's own writes and whose writes commit
	// together when fn returns nil, or not at all when it returns an error (returned as
	// is). Concurrent Atomic calls over the same aggregates behave as if run one after
	// another (memstore: one lock; SQL: one transaction with row locks, or serializable
	// with a bounded retry), so fn may run more than once. fn must not use the Store
	// itself, only tx.
	Atomic(ctx context.Context, fn func(tx Tx) error) error
}
