package expert

import (
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
)

// State is the stored lifecycle state of an expert (spec §3). The state that matching,
// offers and acceptance use is derived from it and the checks: see [Expert.Effective].
type State uint8

// The lifecycle states: candidate → in-training → active ↔ paused → retired, and
// rejected. Retired and rejected are terminal.
const (
	StateUnspecified State = iota
	StateCandidate
	StateInTraining
	StateActive
	StatePaused
	StateRetired
	StateRejected
)

var stateNames = []string{"", "candidate", "in-training", "active", "paused", "retired", "rejected"}

// String returns the text form ("candidate", "in-training", ...).
func (s State) String() string { return enumString(stateNames, s) }

// MarshalText returns the text form.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses the text form.
func (s *State) UnmarshalText(b []byte) error { return enumUnmarshal(stateNames, "state", b, s) }

// ParseState parses the text form.
func ParseState(s string) (State, bool) { return enumParse[State](stateNames, s) }

// Terminal reports whether s is retired or rejected.
func (s State) Terminal() bool { return s == StateRetired || s == StateRejected }

// PauseReason says why an expert is paused.
type PauseReason uint8

// The pause reasons: the expert's (or coordinator's) own choice, or a lapsed check.
const (
	PauseUnspecified PauseReason = iota
	PauseOwn
	PauseCheckLapsed
)

var pauseNames = []string{"", "own", "check-lapsed"}

// String returns the text form.
func (r PauseReason) String() string { return enumString(pauseNames, r) }

// MarshalText returns the text form.
func (r PauseReason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses the text form.
func (r *PauseReason) UnmarshalText(b []byte) error {
	return enumUnmarshal(pauseNames, "pauseReason", b, r)
}

// Commitment is an expert's own record of one assignment (the expert side of
// [Assignment]), kept on the expert so that double booking (X4), load (K1), the assignment
// cap (H9) and period totals (E12) are decided on one aggregate. Acceptance writes it
// together with the request's assignment in one atomic step.
type Commitment struct {
	Request    RequestID        `json:"request"`
	Assignment AssignmentID     `json:"assignment,omitzero"`
	TaskType   string           `json:"taskType"`
	Status     AssignmentStatus `json:"status"`
	Start      time.Time        `json:"start"`
	Minutes    int              `json:"minutes"`
	// FeeCents is the fee counting toward caps: projected when accepted, then earned.
	FeeCents int64 `json:"feeCents,omitzero"`
	// PaymentDate is the expected or actual payment date; zero means the payroll
	// calendar's date for the task date.
	PaymentDate osallisuus.Date `json:"paymentDate,omitzero"`
}

// End returns the exclusive end of the task.
func (c Commitment) End() time.Time { return c.Start.Add(time.Duration(c.Minutes) * time.Minute) }

// counts reports whether the commitment counts for load, caps and rotation (M5).
func (c Commitment) counts() bool {
	return (c.Status == StatusAccepted || c.Status == StatusDone || c.Status == StatusPaid) &&
		!isActivityType(c.TaskType)
}

// Expert is an expert by experience (kokemusasiantuntija): a participant registered for
// paid or voluntary expert work, the aggregate root of this package. Values are plain
// data; stores copy them in and out.
type Expert struct {
	ID          ExpertID                 `json:"id"`
	Participant osallisuus.ParticipantID `json:"participant"`
	State       State                    `json:"state"`
	PauseReason PauseReason              `json:"pauseReason,omitzero"`
	// PausedUntil is the last day of an own pause; the expert is active again on the
	// next day if every check holds (derived, spec §3).
	PausedUntil osallisuus.Date `json:"pausedUntil,omitzero"`
	// PauseNote is the reason code given for an own pause (never personal data).
	PauseNote string `json:"pauseNote,omitzero"`
	// Previous links a returning person's new record to the retired one.
	Previous ExpertID `json:"previous,omitzero"`
	// RejectReason is the coordinator's reason code for a rejection.
	RejectReason string          `json:"rejectReason,omitzero"`
	RetiredOn    osallisuus.Date `json:"retiredOn,omitzero"`
	Checks       []Check         `json:"checks,omitempty"`
	Profile      Profile         `json:"profile"`
	// Commitments are the expert's assignments, any status, in the order made.
	Commitments []Commitment `json:"commitments,omitempty"`
	// Totals are fees (cents) from work not listed in Commitments, by period key
	// ("YYYY-MM" or "YYYY", by the cap basis), for example imported history.
	Totals    map[string]int64 `json:"totals,omitempty"`
	Version   int64            `json:"version"`
	CreatedAt time.Time        `json:"createdAt"`
	UpdatedAt time.Time        `json:"updatedAt"`
}

// Clone returns a deep copy of e.
func (e Expert) Clone() Expert {
	c := e
	c.Checks = cloneSlice(e.Checks)
	for i := range c.Checks {
		if t := c.Checks[i].Training; t != nil {
			tt := *t
			if t.Recognition != nil {
				r := *t.Recognition
				tt.Recognition = &r
			}
			c.Checks[i].Training = &tt
		}
	}
	c.Profile = e.Profile.Clone()
	c.Commitments = cloneSlice(e.Commitments)
	c.Totals = cloneMap(e.Totals)
	return c
}

// Clone returns a deep copy of p.
func (p Profile) Clone() Profile {
	c := p
	c.Experience = cloneSlice(p.Experience)
	c.Languages = cloneSlice(p.Languages)
	c.Areas = cloneSlice(p.Areas)
	c.Unavailable = cloneSlice(p.Unavailable)
	c.Preferences = cloneMap(p.Preferences)
	c.Caps.Earnings = cloneSlice(p.Caps.Earnings)
	c.Travel = cloneMap(p.Travel)
	return c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// Effective returns the effective state of e at instant t (E2, M3), with checks the
// expert's checks plus consent answers (see [ConsentChecks]): a stored active expert with
// a lapsed required check is paused(check-lapsed); a paused expert whose own pause ended
// before t's date is active again if every check holds. It also returns the required
// checks not valid at t. through is the instant the checks must hold until (t itself,
// or a task's end, E4).
func (e Expert) Effective(checks []Check, p CheckPolicy, t, through time.Time) (State, PauseReason, []string) {
	return e.effective(checks, p, osallisuus.DateOf(t), through, minUntil(through))
}

func (e *Expert) effective(checks []Check, p CheckPolicy, day osallisuus.Date, through time.Time, least osallisuus.Date) (State, PauseReason, []string) {
	lapsed := p.lapsed(checks, through, least)
	switch {
	case e.State == StateActive:
	case e.State == StatePaused && e.PauseReason != PauseCheckLapsed && !e.PausedUntil.IsZero() &&
		e.PausedUntil.Before(day):
	default:
		return e.State, e.PauseReason, lapsed
	}
	if len(lapsed) > 0 {
		return StatePaused, PauseCheckLapsed, lapsed
	}
	return StateActive, PauseUnspecified, nil
}

// LapsedChecks is the detail of a refusal for missing or lapsed checks: the names in
// the policy's order.
type LapsedChecks struct {
	Names []string `json:"names"`
}

// The reason codes of lifecycle refusals.
const (
	ReasonWrongState     osallisuus.Reason = "wrong-state"
	ReasonTerminal       osallisuus.Reason = "terminal"
	ReasonChecksMissing  osallisuus.Reason = "checks-missing"
	ReasonNotCoordinator osallisuus.Reason = "not-coordinator"
)

// Actor says who acts: the expert, their representative, or an expert coordinator.
type Actor uint8

// The actors.
const (
	ActorUnspecified Actor = iota
	ActorExpert
	ActorRepresentative
	ActorCoordinator
)

var actorNames = []string{"", "expert", "representative", "coordinator"}

// String returns the text form.
func (a Actor) String() string { return enumString(actorNames, a) }

// MarshalText returns the text form.
func (a Actor) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses the text form.
func (a *Actor) UnmarshalText(b []byte) error { return enumUnmarshal(actorNames, "actor", b, a) }

func (e *Expert) refuseUnless(op string, allowed ...State) error {
	if e.State.Terminal() {
		return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{ReasonTerminal}}
	}
	for _, s := range allowed {
		if e.State == s {
			return nil
		}
	}
	return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrForbidden,
		Reasons: []osallisuus.Reason{ReasonWrongState}, Detail: e.State}
}

// StartTraining moves a candidate into the county's own course (candidate → in-training).
// A terminal expert gives ErrConflict, any other state ErrForbidden.
func (e *Expert) StartTraining(now time.Time) error {
	if err := e.refuseUnless("start training", StateCandidate); err != nil {
		return err
	}
	e.State, e.UpdatedAt = StateInTraining, now
	return nil
}

// Activate makes a candidate or trainee active (E1: external training may go straight
// from candidate). Every required check must be valid at now; otherwise ErrForbidden
// with reason checks-missing and [LapsedChecks] as the detail.
func (e *Expert) Activate(checks []Check, p CheckPolicy, now time.Time) error {
	if err := e.refuseUnless("activate expert", StateCandidate, StateInTraining); err != nil {
		return err
	}
	return e.becomeActive("activate expert", checks, p, now)
}

func (e *Expert) becomeActive(op string, checks []Check, p CheckPolicy, now time.Time) error {
	if lapsed := p.LapsedAt(checks, now); len(lapsed) > 0 {
		return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrForbidden,
			Reasons: []osallisuus.Reason{ReasonChecksMissing}, Detail: LapsedChecks{Names: lapsed}}
	}
	e.State, e.PauseReason, e.PausedUntil, e.UpdatedAt = StateActive, PauseUnspecified, osallisuus.Date{}, now
	return nil
}

// Reject ends a candidacy (candidate or in-training → rejected). Only a coordinator may
// reject (ErrForbidden otherwise); the reason code must not be empty (ErrInvalid).
func (e *Expert) Reject(reason string, by Actor, now time.Time) error {
	if reason == "" {
		return &osallisuus.ValidationError{Op: "reject expert",
			Problems: []osallisuus.Problem{{Field: "reason", Code: osallisuus.CodeRequired}}}
	}
	if by != ActorCoordinator {
		return &osallisuus.RuleError{Op: "reject expert", Kind: osallisuus.ErrForbidden,
			Reasons: []osallisuus.Reason{ReasonNotCoordinator}}
	}
	if err := e.refuseUnless("reject expert", StateCandidate, StateInTraining); err != nil {
		return err
	}
	e.State, e.RejectReason, e.UpdatedAt = StateRejected, reason, now
	return nil
}

// Pause pauses an active expert by their own or a coordinator's choice, with a reason
// code and optionally a last day (zero: until resumed). Pausing a paused expert changes
// the reason and the until date.
func (e *Expert) Pause(reason string, until osallisuus.Date, now time.Time) error {
	if err := e.refuseUnless("pause expert", StateActive, StatePaused); err != nil {
		return err
	}
	e.State, e.PauseReason, e.PausedUntil, e.PauseNote, e.UpdatedAt = StatePaused, PauseOwn, until, reason, now
	return nil
}

// Resume makes a paused expert active again; every required check must hold at now
// (ErrForbidden with [LapsedChecks] otherwise).
func (e *Expert) Resume(checks []Check, p CheckPolicy, now time.Time) error {
	if err := e.refuseUnless("resume expert", StatePaused); err != nil {
		return err
	}
	return e.becomeActive("resume expert", checks, p, now)
}

// Retire ends the record (any non-terminal state → retired). It is never refused, like
// leaving a panel; a terminal record gives ErrConflict. The caller withdraws pending
// offers and cancels accepted assignments starting after effectiveOn (E3): see
// [Service.Retire].
func (e *Expert) Retire(effectiveOn osallisuus.Date, now time.Time) error {
	if e.State.Terminal() {
		return &osallisuus.RuleError{Op: "retire expert", Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{ReasonTerminal}}
	}
	e.State, e.RetiredOn, e.UpdatedAt = StateRetired, effectiveOn, now
	return nil
}

// Reminder is an event [Expert.ReviewChecks] returns: a required check that ends within
// the warning window.
type Reminder struct {
	Expert ExpertID  `json:"expert"`
	Check  string    `json:"check"`
	EndsAt time.Time `json:"endsAt"`
}

// ReviewChecks persists a derived pause (E2): a stored active expert whose required check
// has lapsed at now becomes paused(check-lapsed), and it reports whether it changed e. It
// also returns reminders for required checks ending within days after now (0: 30).
func (e *Expert) ReviewChecks(checks []Check, p CheckPolicy, days int, now time.Time) (bool, []Reminder) {
	if days == 0 {
		days = 30
	}
	changed := false
	if e.State == StateActive && len(p.LapsedAt(checks, now)) > 0 {
		e.State, e.PauseReason, e.PausedUntil, e.UpdatedAt = StatePaused, PauseCheckLapsed, osallisuus.Date{}, now
		changed = true
	}
	var out []Reminder
	limit := osallisuus.DateOf(now).AddDays(days + 1).Start()
	for _, name := range p.required() {
		for _, c := range checks {
			if c.Name != name {
				continue
			}
			if end, ok := p.end(c); ok && !end.IsZero() && end.After(now) && !end.After(limit) {
				out = append(out, Reminder{Expert: e.ID, Check: name, EndsAt: end})
			}
		}
	}
	return changed, out
}

// Validate checks e's fields (not its state transitions) against the settings and returns
// a *osallisuus.ValidationError naming every bad field, or nil.
func (e Expert) Validate(s Settings) error {
	ve := &osallisuus.ValidationError{Op: "validate expert"}
	if e.State == StateUnspecified || e.State > StateRejected {
		ve.Add("state", osallisuus.CodeRequired)
	}
	seen := map[string]bool{}
	for i, c := range e.Checks {
		f := fmt.Sprintf("checks[%d].name", i)
		switch {
		case !ValidCheckName(c.Name):
			ve.Add(f, osallisuus.CodeFormat)
		case seen[c.Name]:
			ve.Add(f, osallisuus.CodeDuplicate)
		}
		seen[c.Name] = true
	}
	if err := e.Profile.Validate(s); err != nil {
		ve.Merge("profile", err.(*osallisuus.ValidationError))
	}
	for k, v := range e.Totals {
		if !validPeriodKey(k) {
			ve.Add("totals."+k, osallisuus.CodeFormat)
		}
		if v < 0 || v > MaxCents {
			ve.Add("totals."+k, osallisuus.CodeOutOfRange)
		}
	}
	return ve.Err()
}

// validPeriodKey reports whether k is "YYYY" or "YYYY-MM".
func validPeriodKey(k string) bool {
	switch len(k) {
	case 4:
		_, err := osallisuus.ParseDate(k + "-01-01")
		return err == nil
	case 7:
		_, err := osallisuus.ParseDate(k + "-01")
		return err == nil
	}
	return false
}

// EraseProfile erases the special-category part of a terminal record after the host's
// retention period (E3): experience areas, preferences, availability, travel estimates
// and the training details go; IDs, states, dates, check names and dates, commitments and
// totals (the payout trail) stay. A record that is not retired or rejected is ErrConflict.
func (e *Expert) EraseProfile(now time.Time) error {
	if !e.State.Terminal() {
		return &osallisuus.RuleError{Op: "erase expert profile", Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{ReasonWrongState}, Detail: e.State}
	}
	e.Profile = Profile{Caps: e.Profile.Caps, FeeWaived: e.Profile.FeeWaived}
	for i := range e.Checks {
		e.Checks[i].Training = nil
	}
	e.UpdatedAt = now
	return nil
}
