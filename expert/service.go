package expert

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// ConflictChecker is the host's conflict-of-interest check (H8): whether the expert is,
// for example, a current client of the requesting unit on the date. The answer carries no
// cause, and the library never shows one.
type ConflictChecker interface {
	Conflict(ctx context.Context, e Expert, unit string, on osallisuus.Date) (bool, error)
}

// ConflictCheckerFunc adapts a function to [ConflictChecker].
type ConflictCheckerFunc func(ctx context.Context, e Expert, unit string, on osallisuus.Date) (bool, error)

// Conflict calls f.
func (f ConflictCheckerFunc) Conflict(ctx context.Context, e Expert, unit string, on osallisuus.Date) (bool, error) {
	return f(ctx, e, unit, on)
}

// Config configures a [Service]. The zero Config is the default everywhere.
type Config struct {
	// Clock gives now; nil is the system clock.
	Clock osallisuus.Clock
	// Settings are the county's matching, check, cap and payroll settings.
	Settings Settings
	// Conflicts answers H8; nil means no conflicts.
	Conflicts ConflictChecker
	// RegistrationPurpose is the consent purpose registration needs; "" means
	// "expert-profile".
	RegistrationPurpose string
}

// Service is the thin service of the package: it loads from a [Store], asks the consent
// and conflict checkers, applies the rules and saves in one atomic step. It is safe for
// concurrent use.
type Service struct {
	store    Store
	consent  participation.ConsentChecker
	clock    osallisuus.Clock
	settings Settings
	conflict ConflictChecker
	purpose  string
}

// NewService returns a service on store asking consent questions of consent. A nil store
// or checker, or invalid settings, give an error matching osallisuus.ErrInvalid (field
// "config.settings..." for the settings).
func NewService(store Store, consent participation.ConsentChecker, cfg Config) (*Service, error) {
	ve := &osallisuus.ValidationError{Op: "new expert service"}
	if store == nil {
		ve.Add("store", osallisuus.CodeRequired)
	}
	if consent == nil {
		ve.Add("consent", osallisuus.CodeRequired)
	}
	if err := cfg.Settings.Validate(); err != nil {
		ve.Merge("config.settings", err.(*osallisuus.ValidationError))
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	purpose := cfg.RegistrationPurpose
	if purpose == "" {
		purpose = "expert-profile"
	}
	return &Service{store: store, consent: consent, clock: osallisuus.ClockOrSystem(cfg.Clock),
		settings: cfg.Settings, conflict: cfg.Conflicts, purpose: purpose}, nil
}

// Register registers a participant as a candidate expert (spec §3). The registration
// consent must be allowed (ErrForbidden with the decision otherwise); a participant with
// a non-terminal record gives ErrConflict (X1). previous links a returning person's
// retired record (zero: none).
func (s *Service) Register(ctx context.Context, who osallisuus.ParticipantID, previous ExpertID) (Expert, error) {
	if who.IsZero() {
		return Expert{}, osallisuus.Invalid("participant", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	d, err := s.consent.CheckConsent(ctx, participation.ConsentQuery{Subject: who, Purpose: s.purpose, At: now})
	if err != nil {
		return Expert{}, err
	}
	if err := d.Err(); err != nil {
		return Expert{}, err
	}
	id, err := NewExpertID()
	if err != nil {
		return Expert{}, err
	}
	e := Expert{ID: id, Participant: who, State: StateCandidate, Previous: previous, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateExpert(ctx, e); err != nil {
		return Expert{}, err
	}
	return s.store.GetExpert(ctx, id)
}

// Get returns the expert.
func (s *Service) Get(ctx context.Context, id ExpertID) (Expert, error) {
	return s.store.GetExpert(ctx, id)
}

// Checks returns e's checks with the consent checks of the required purposes answered
// by the consent checker at instant at: an allowed purpose is a check ending at the
// decision's ExpiresAt (E4); a denied one is missing.
func (s *Service) Checks(ctx context.Context, e Expert, at time.Time) ([]Check, error) {
	checks := cloneSlice(e.Checks)
	for _, name := range s.settings.Checks.required() {
		purpose, ok := strings.CutPrefix(name, ConsentCheckPrefix)
		if !ok {
			continue
		}
		d, err := s.consent.CheckConsent(ctx, participation.ConsentQuery{Subject: e.Participant, Purpose: purpose, At: at})
		if err != nil {
			return nil, err
		}
		if d.Allowed {
			checks = append(checks, Check{Name: name, ExpiresAt: d.ExpiresAt})
		}
	}
	return checks, nil
}

// SetProfile replaces the expert's profile. version is the Version the caller read (0:
// do not compare; a mismatch is ErrConflict). Caps are the expert's own: a coordinator
// changing them gets ErrForbidden (E14). The profile is validated (ErrInvalid naming the
// fields under "profile"); nothing changes on error.
func (s *Service) SetProfile(ctx context.Context, id ExpertID, version int64, p Profile, by Actor) (Expert, error) {
	if err := p.Validate(s.settings); err != nil {
		return Expert{}, (&osallisuus.ValidationError{Op: "set profile"}).Merge("profile", err.(*osallisuus.ValidationError))
	}
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error {
		if version != 0 && e.Version != version {
			return fmt.Errorf("set profile of expert %s: version %d, stored %d: %w", id, version, e.Version, osallisuus.ErrConflict)
		}
		if by != ActorExpert && by != ActorRepresentative && !sameCaps(e.Profile.Caps, p.Caps) {
			return refuse("set profile", osallisuus.ErrForbidden, nil, ReasonNotExpertChoice)
		}
		e.Profile, e.UpdatedAt = p.Clone(), now
		return nil
	})
}

func sameCaps(a, b Caps) bool {
	if len(a.Earnings) != len(b.Earnings) {
		return false
	}
	for i := range a.Earnings {
		if a.Earnings[i] != b.Earnings[i] {
			return false
		}
	}
	return a.AssignmentsPerMonth == b.AssignmentsPerMonth && a.WarnAtPercent == b.WarnAtPercent && a.Basis == b.Basis
}

// RecordCheck records a check, replacing one of the same name (a new agreement version,
// a renewed extract). A bad name is ErrInvalid.
func (s *Service) RecordCheck(ctx context.Context, id ExpertID, c Check) (Expert, error) {
	if !ValidCheckName(c.Name) || strings.HasPrefix(c.Name, ConsentCheckPrefix) {
		return Expert{}, osallisuus.Invalid("name", osallisuus.CodeFormat)
	}
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error {
		if e.State.Terminal() {
			return refuse("record check", osallisuus.ErrConflict, nil, ReasonTerminal)
		}
		kept := e.Checks[:0]
		for _, x := range e.Checks {
			if x.Name != c.Name {
				kept = append(kept, x)
			}
		}
		e.Checks, e.UpdatedAt = append(kept, c), now
		return nil
	})
}

// StartTraining moves a candidate into the county's own course.
func (s *Service) StartTraining(ctx context.Context, id ExpertID) (Expert, error) {
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error { return e.StartTraining(now) })
}

// Activate makes a candidate or trainee active if every required check holds now.
func (s *Service) Activate(ctx context.Context, id ExpertID) (Expert, error) {
	return s.withChecks(ctx, id, (*Expert).Activate)
}

// Resume makes a paused expert active again if every required check holds now.
func (s *Service) Resume(ctx context.Context, id ExpertID) (Expert, error) {
	return s.withChecks(ctx, id, (*Expert).Resume)
}

func (s *Service) withChecks(ctx context.Context, id ExpertID,
	rule func(*Expert, []Check, CheckPolicy, time.Time) error) (Expert, error) {
	cur, err := s.store.GetExpert(ctx, id)
	if err != nil {
		return Expert{}, err
	}
	now := s.clock.Now()
	consents, err := s.Checks(ctx, Expert{Participant: cur.Participant}, now)
	if err != nil {
		return Expert{}, err
	}
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error {
		return rule(e, append(cloneSlice(e.Checks), consents...), s.settings.Checks, now)
	})
}

// Pause pauses an active expert until a last day (zero: until resumed).
func (s *Service) Pause(ctx context.Context, id ExpertID, until osallisuus.Date) (Expert, error) {
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error { return e.Pause(until, now) })
}

// Reject rejects a candidate; only a coordinator may, with a reason code.
func (s *Service) Reject(ctx context.Context, id ExpertID, reason string, by Actor) (Expert, error) {
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error { return e.Reject(reason, by, now) })
}

// ReviewChecks persists a derived check-lapsed pause and returns reminders for required
// checks ending within the warning window (E2).
func (s *Service) ReviewChecks(ctx context.Context, id ExpertID) (Expert, []Reminder, error) {
	cur, err := s.store.GetExpert(ctx, id)
	if err != nil {
		return Expert{}, nil, err
	}
	now := s.clock.Now()
	consents, err := s.Checks(ctx, Expert{Participant: cur.Participant}, now)
	if err != nil {
		return Expert{}, nil, err
	}
	var reminders []Reminder
	e, err := s.store.UpdateExpert(ctx, id, func(e *Expert) error {
		_, reminders = e.ReviewChecks(append(cloneSlice(e.Checks), consents...), s.settings.Checks,
			s.settings.checkWarningDays(), now)
		return nil
	})
	return e, reminders, err
}

// ReviewAll runs [Service.ReviewChecks] for every active expert and returns the
// reminders of all of them; a host calls it daily (E2), though correctness never depends
// on it.
func (s *Service) ReviewAll(ctx context.Context) ([]Reminder, error) {
	var ids []ExpertID
	for e, err := range s.store.ListExperts(ctx, ExpertFilter{State: StateActive}) {
		if err != nil {
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	var out []Reminder
	for _, id := range ids {
		_, rs, err := s.ReviewChecks(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// Retire retires the expert (never refused for a non-terminal record) and, in the same
// atomic step, withdraws the pending offers and cancels (by the unit's side, reason
// "expert-retired") the accepted assignments starting after effectiveOn (E3).
func (s *Service) Retire(ctx context.Context, id ExpertID, effectiveOn osallisuus.Date) (Expert, error) {
	now := s.clock.Now()
	var out Expert
	err := s.store.Atomic(ctx, func(tx Tx) error {
		e, err := tx.GetExpert(ctx, id)
		if err != nil {
			return err
		}
		if err := e.Retire(effectiveOn, now); err != nil {
			return err
		}
		after := effectiveOn.AddDays(1).Start()
		for _, c := range e.Commitments {
			if (c.Status != StatusOffered && c.Status != StatusAccepted) || c.Start.Before(after) {
				continue
			}
			if _, err := tx.UpdateRequest(ctx, c.Request, func(r *Request) error {
				if c.Status == StatusOffered {
					return Withdraw(r, &e, c.Assignment, now)
				}
				return Cancel(r, &e, c.Assignment, ActorCoordinator, "expert-retired", now)
			}); err != nil {
				return err
			}
		}
		out, err = tx.UpdateExpert(ctx, id, func(x *Expert) error { *x = e; return nil })
		return err
	})
	return out, err
}

// EraseProfile erases a retired or rejected expert's special-category profile data (E3;
// see [Expert.EraseProfile]).
func (s *Service) EraseProfile(ctx context.Context, id ExpertID) (Expert, error) {
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error { return e.EraseProfile(now) })
}

// AddSchedule appends a fee schedule version, validated (ErrInvalid); a version with the
// same ValidFrom or ID is ErrConflict.
func (s *Service) AddSchedule(ctx context.Context, sc Schedule) error {
	if err := sc.Validate(s.settings); err != nil {
		return err
	}
	return s.store.AddSchedule(ctx, sc)
}

func (s *Service) schedules(ctx context.Context) (Schedules, error) {
	var out Schedules
	for sc, err := range s.store.ListSchedules(ctx) {
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// CreateRequest stores a new draft request with a new ID. It is validated (ErrInvalid
// naming the fields); a negative Reserve means the default, 2.
func (s *Service) CreateRequest(ctx context.Context, r Request) (Request, error) {
	if r.Reserve < 0 {
		r.Reserve = 2
	}
	if err := r.Validate(s.settings); err != nil {
		return Request{}, err
	}
	id, err := NewRequestID()
	if err != nil {
		return Request{}, err
	}
	now := s.clock.Now()
	r.ID, r.State, r.Assignments, r.CreatedAt, r.UpdatedAt = id, RequestDraft, nil, now, now
	if err := s.store.CreateRequest(ctx, r); err != nil {
		return Request{}, err
	}
	return s.store.GetRequest(ctx, id)
}

// OpenRequest opens a draft request whose start is in the future.
func (s *Service) OpenRequest(ctx context.Context, id RequestID) (Request, error) {
	now := s.clock.Now()
	return s.store.UpdateRequest(ctx, id, func(r *Request) error { return r.Open(s.settings, now) })
}

// GetRequest returns the request with its assignments.
func (s *Service) GetRequest(ctx context.Context, id RequestID) (Request, error) {
	return s.store.GetRequest(ctx, id)
}

// candidate gathers the facts for one expert and request: checks with consent answers
// and the conflict answer. They are fetched before any atomic step (fn may rerun).
func (s *Service) candidate(ctx context.Context, r Request, e Expert, now time.Time) (Candidate, error) {
	checks, err := s.Checks(ctx, e, now)
	if err != nil {
		return Candidate{}, err
	}
	c := Candidate{Key: e.ID.String(), Expert: e, Checks: checks}
	if r.ConflictCheck && s.conflict != nil {
		if c.Conflict, err = s.conflict.Conflict(ctx, e, r.Unit, r.Date()); err != nil {
			return Candidate{}, err
		}
	}
	return c, nil
}

func (s *Service) input(r Request, ss Schedules, overCap bool, now time.Time) MatchInput {
	return MatchInput{Request: r, RequestKey: r.ID.String(), Schedules: ss, Settings: s.settings,
		IncludeOverCap: overCap, Now: now}
}

// Match explains every non-terminal expert for the request (spec §7); see [Match]. The
// explanations are for the expert coordinator only (E6).
func (s *Service) Match(ctx context.Context, id RequestID, includeOverCap bool) ([]Explanation, error) {
	r, err := s.store.GetRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	ss, err := s.schedules(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	in := s.input(r, ss, includeOverCap, now)
	for e, err := range s.store.ListExperts(ctx, ExpertFilter{}) {
		if err != nil {
			return nil, err
		}
		if e.State.Terminal() {
			continue
		}
		c, err := s.candidate(ctx, r, e, now)
		if err != nil {
			return nil, err
		}
		in.Candidates = append(in.Candidates, c)
	}
	return Match(in)
}

// Offer offers the request to the expert (see [Offer]); includeOverCap is the
// coordinator's choice to offer past a cap, with the warnings attached.
func (s *Service) Offer(ctx context.Context, rid RequestID, eid ExpertID, includeOverCap bool) (Assignment, error) {
	return s.decide(ctx, rid, eid, func(r *Request, e *Expert, in MatchInput, c Candidate, now time.Time) (Assignment, error) {
		in.IncludeOverCap = includeOverCap
		x, err := Evaluate(in, c)
		if err != nil {
			return Assignment{}, err
		}
		id, err := NewAssignmentID()
		if err != nil {
			return Assignment{}, err
		}
		return Offer(r, e, x, id, now)
	})
}

// Accept accepts an offer in one atomic step over the request and the expert (spec §10):
// the filters and caps are re-checked on the state it changes, so concurrent acceptances
// never overfill a request (X3), double-book an expert (X4) or pass a cap silently (X5).
func (s *Service) Accept(ctx context.Context, rid RequestID, aid AssignmentID, opt AcceptOptions) (Assignment, error) {
	eid, err := s.expertOf(ctx, rid, aid)
	if err != nil {
		return Assignment{}, err
	}
	return s.decide(ctx, rid, eid, func(r *Request, e *Expert, in MatchInput, c Candidate, now time.Time) (Assignment, error) {
		in.IncludeOverCap = true
		x, err := Evaluate(in, c)
		if err != nil {
			return Assignment{}, err
		}
		return Accept(r, e, aid, x, opt, now)
	})
}

// Decline declines an offer; never refused while the offer is open.
func (s *Service) Decline(ctx context.Context, rid RequestID, aid AssignmentID) error {
	return s.simple(ctx, rid, aid, func(r *Request, e *Expert, now time.Time) error { return Decline(r, e, aid, now) })
}

// Withdraw withdraws an offer.
func (s *Service) Withdraw(ctx context.Context, rid RequestID, aid AssignmentID) error {
	return s.simple(ctx, rid, aid, func(r *Request, e *Expert, now time.Time) error { return Withdraw(r, e, aid, now) })
}

// Cancel cancels an accepted assignment, by the expert or the unit.
func (s *Service) Cancel(ctx context.Context, rid RequestID, aid AssignmentID, by Actor, reason string) error {
	ss, err := s.schedules(ctx)
	if err != nil {
		return err
	}
	eid, err := s.expertOf(ctx, rid, aid)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.store.Atomic(ctx, func(tx Tx) error {
		r, err := tx.GetRequest(ctx, rid)
		if err != nil {
			return err
		}
		e, err := tx.GetExpert(ctx, eid)
		if err != nil {
			return err
		}
		if err := Cancel(&r, &e, aid, by, reason, now); err != nil {
			return err
		}
		if err := s.lateCancellation(ctx, tx, &r, &e, aid, ss, now); err != nil {
			return err
		}
		if _, err := tx.UpdateRequest(ctx, rid, func(x *Request) error { *x = r; return nil }); err != nil {
			return err
		}
		_, err = tx.UpdateExpert(ctx, eid, func(x *Expert) error { *x = e; return nil })
		return err
	})
}

// lateCancellation stores the draft payout of a late cancellation by the unit (E11) when
// the schedule in force pays one; its fee counts toward the expert's caps and is kept on
// the commitment. Other cancellations pay nothing.
func (s *Service) lateCancellation(ctx context.Context, tx Tx, r *Request, e *Expert, aid AssignmentID, ss Schedules, now time.Time) error {
	i, j := r.find(aid), e.findCommitment(aid)
	if i < 0 || j < 0 || r.Assignments[i].Status != StatusCancelledByUnit {
		return nil
	}
	w := Work{TaskType: r.TaskType, Start: r.Start, Minutes: r.Minutes, CancelledByUnitAt: now,
		FeeWaived: r.Assignments[i].FeeWaived || e.Profile.FeeWaived}
	fee, err := Price(ss, w, s.settings.CountExpensesTowardCap)
	if err != nil || len(fee.Lines) == 0 {
		return nil // no schedule or not late: nothing is due
	}
	pid, err := NewPayoutID()
	if err != nil {
		return err
	}
	pay := s.settings.Payroll.PaymentDate(r.Date())
	p := PayoutFor(pid, e.ID, r.ID, aid, fee, pay, now)
	basis := FeeBasisDate(e.Profile.Caps, s.settings.Payroll, r.Start, pay)
	for _, w := range e.EarningsWarnings(basis, fee.CapCents(), s.settings.Payroll, r.ID) {
		if w.Level != CapOK {
			p.Warnings = append(p.Warnings, w)
		}
	}
	p.CapDecisionNeeded = MaxLevel(p.Warnings) == CapExceeds
	e.Commitments[j].FeeCents = fee.CapCents()
	return tx.CreatePayout(ctx, p)
}

// CancelRequest cancels an open or filled request by the unit (spec §6): accepted
// assignments become cancelled-by-unit (with a late-cancellation payout when E11 applies)
// and pending offers are withdrawn, all in one atomic step. Any other state is
// ErrConflict wrong-state.
func (s *Service) CancelRequest(ctx context.Context, rid RequestID, reason string) (Request, error) {
	ss, err := s.schedules(ctx)
	if err != nil {
		return Request{}, err
	}
	now := s.clock.Now()
	var out Request
	err = s.store.Atomic(ctx, func(tx Tx) error {
		r, err := tx.GetRequest(ctx, rid)
		if err != nil {
			return err
		}
		if st := r.Effective(now); st != RequestOpen && st != RequestFilled {
			return refuse("cancel request", osallisuus.ErrConflict, st, ReasonWrongState)
		}
		for _, a := range r.Assignments {
			if a.Status != StatusOffered && a.Status != StatusAccepted {
				continue
			}
			e, err := tx.GetExpert(ctx, a.Expert)
			if err != nil {
				return err
			}
			if a.Status == StatusOffered {
				err = Withdraw(&r, &e, a.ID, now)
			} else if err = Cancel(&r, &e, a.ID, ActorCoordinator, reason, now); err == nil {
				err = s.lateCancellation(ctx, tx, &r, &e, a.ID, ss, now)
			}
			if err != nil {
				return err
			}
			if _, err := tx.UpdateExpert(ctx, e.ID, func(x *Expert) error { *x = e; return nil }); err != nil {
				return err
			}
		}
		r.State, r.CancelReason, r.UpdatedAt = RequestCancelled, reason, now
		out, err = tx.UpdateRequest(ctx, rid, func(x *Request) error { *x = r; return nil })
		return err
	})
	return out, err
}

// Complete records an accepted assignment as done with its actuals, prices it with the
// schedule in force and stores a draft payout; a payout that passes a cap is marked
// cap-decision-needed (E15). It returns the assignment and the payout.
func (s *Service) Complete(ctx context.Context, rid RequestID, aid AssignmentID, act Actuals) (Assignment, Payout, error) {
	eid, err := s.expertOf(ctx, rid, aid)
	if err != nil {
		return Assignment{}, Payout{}, err
	}
	ss, err := s.schedules(ctx)
	if err != nil {
		return Assignment{}, Payout{}, err
	}
	pid, err := NewPayoutID()
	if err != nil {
		return Assignment{}, Payout{}, err
	}
	now := s.clock.Now()
	var a Assignment
	var p Payout
	err = s.store.Atomic(ctx, func(tx Tx) error {
		r, err := tx.GetRequest(ctx, rid)
		if err != nil {
			return err
		}
		e, err := tx.GetExpert(ctx, eid)
		if err != nil {
			return err
		}
		i := r.find(aid)
		if i < 0 {
			return refuse("complete assignment", osallisuus.ErrNotFound, nil, ReasonNotFound)
		}
		if err := act.Validate(); err != nil {
			return err
		}
		fee, err := Price(ss, r.Work(r.Assignments[i], act, e), s.settings.CountExpensesTowardCap)
		if err != nil {
			return err
		}
		if a, err = Complete(&r, &e, aid, act, fee, now); err != nil {
			return err
		}
		pay := s.settings.Payroll.PaymentDate(r.Date())
		p = PayoutFor(pid, eid, rid, aid, fee, pay, now)
		basis := FeeBasisDate(e.Profile.Caps, s.settings.Payroll, r.Start, pay)
		for _, w := range e.EarningsWarnings(basis, fee.CapCents(), s.settings.Payroll, rid) {
			if w.Level != CapOK {
				p.Warnings = append(p.Warnings, w)
			}
		}
		p.CapDecisionNeeded = a.Decision == nil && MaxLevel(p.Warnings) == CapExceeds
		if _, err := tx.UpdateRequest(ctx, rid, func(x *Request) error { *x = r; return nil }); err != nil {
			return err
		}
		if _, err := tx.UpdateExpert(ctx, eid, func(x *Expert) error { *x = e; return nil }); err != nil {
			return err
		}
		return tx.CreatePayout(ctx, p)
	})
	if err != nil {
		return Assignment{}, Payout{}, err
	}
	p.Version = 1
	return a, p, nil
}

// DecidePayout records the expert's choice for a payout waiting for one (E15; see
// [DecidePayout]), with the headroom under the strictest exceeded earnings cap, and keeps
// the expert's commitment at the fee now payable.
func (s *Service) DecidePayout(ctx context.Context, id PayoutID, choice Choice, by Actor) (Payout, error) {
	now := s.clock.Now()
	var out Payout
	err := s.store.Atomic(ctx, func(tx Tx) error {
		p, err := tx.GetPayout(ctx, id)
		if err != nil {
			return err
		}
		e, err := tx.GetExpert(ctx, p.Expert)
		if err != nil {
			return err
		}
		j := e.findCommitment(p.Assignment)
		var start time.Time
		if j >= 0 {
			start = e.Commitments[j].Start
		} else {
			start = p.PaymentDate.Start()
		}
		basis := FeeBasisDate(e.Profile.Caps, s.settings.Payroll, start, p.PaymentDate)
		headroom := int64(-1)
		for _, w := range e.EarningsWarnings(basis, p.FeeCents, s.settings.Payroll, p.Request) {
			if w.Level == CapExceeds && (headroom < 0 || w.Limit-w.Current < headroom) {
				headroom = max(0, w.Limit-w.Current)
			}
		}
		if headroom < 0 {
			headroom = p.FeeCents
		}
		if err := DecidePayout(&p, choice, by, headroom, now); err != nil {
			return err
		}
		if j >= 0 {
			if _, err := tx.UpdateExpert(ctx, e.ID, func(x *Expert) error {
				x.Commitments[j].FeeCents = p.CapCents()
				return nil
			}); err != nil {
				return err
			}
		}
		out, err = tx.UpdatePayout(ctx, id, func(x *Payout) error { *x = p; return nil })
		return err
	})
	return out, err
}

// CapCents returns the sum of the payout's lines that count toward caps.
func (p Payout) CapCents() int64 { return Fee{Lines: p.Lines}.CapCents() }

// ApprovePayout approves a draft payout (draft → approved); one waiting for the expert's
// cap choice is ErrConflict cap-decision-needed. Approved payouts are never edited.
func (s *Service) ApprovePayout(ctx context.Context, id PayoutID) (Payout, error) {
	return s.store.UpdatePayout(ctx, id, func(p *Payout) error {
		switch {
		case p.State != PayoutDraft:
			return refuse("approve payout", osallisuus.ErrConflict, p.State, ReasonNotDraft)
		case p.CapDecisionNeeded:
			return refuse("approve payout", osallisuus.ErrConflict, nil, ReasonCapDecisionNeeded)
		}
		p.State = PayoutApproved
		return nil
	})
}

// PayPayout records that an approved payout was paid on date on (approved → paid) and
// moves its assignment from done to paid, in one atomic step.
func (s *Service) PayPayout(ctx context.Context, id PayoutID, on osallisuus.Date) (Payout, error) {
	now := s.clock.Now()
	var out Payout
	err := s.store.Atomic(ctx, func(tx Tx) error {
		p, err := tx.GetPayout(ctx, id)
		if err != nil {
			return err
		}
		if p.State != PayoutApproved {
			return refuse("pay payout", osallisuus.ErrConflict, p.State, ReasonNotApproved)
		}
		p.State, p.PaymentDate = PayoutPaid, on
		if !p.Assignment.IsZero() {
			r, err := tx.GetRequest(ctx, p.Request)
			if err != nil {
				return err
			}
			e, err := tx.GetExpert(ctx, p.Expert)
			if err != nil {
				return err
			}
			if err := MarkPaid(&r, &e, p.Assignment, on, now); err != nil {
				return err
			}
			if _, err := tx.UpdateRequest(ctx, r.ID, func(x *Request) error { *x = r; return nil }); err != nil {
				return err
			}
			if _, err := tx.UpdateExpert(ctx, e.ID, func(x *Expert) error { *x = e; return nil }); err != nil {
				return err
			}
		}
		out, err = tx.UpdatePayout(ctx, id, func(x *Payout) error { x.State, x.PaymentDate = p.State, p.PaymentDate; return nil })
		return err
	})
	return out, err
}

// RecordImpact stores the impact record of a done assignment (E18).
func (s *Service) RecordImpact(ctx context.Context, rid RequestID, aid AssignmentID, im Impact) (Request, error) {
	now := s.clock.Now()
	return s.store.UpdateRequest(ctx, rid, func(r *Request) error { return RecordImpact(r, aid, im, now) })
}

// Totals returns the expert's fee totals for a calendar year by month and for the year
// (E17; see [Expert.YearTotals]).
func (s *Service) Totals(ctx context.Context, id ExpertID, year int) ([]PeriodTotals, error) {
	e, err := s.store.GetExpert(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.YearTotals(year, s.settings.Payroll), nil
}

// RecordSession records a supervision or debriefing session (E19). It counts as activity,
// never toward load or the assignment cap. When the schedule in force prices its kind,
// it also stores a draft payout whose fee lines count toward the expert's caps, and the
// returned payout is that one (zero otherwise). Bad input is ErrInvalid.
func (s *Service) RecordSession(ctx context.Context, x Session) (Session, Payout, error) {
	ve := &osallisuus.ValidationError{Op: "record session"}
	if x.Kind != SessionSupervision && x.Kind != SessionDebrief {
		ve.Add("kind", osallisuus.CodeRequired)
	}
	if x.Date.IsZero() || !x.Date.Valid() {
		ve.Add("date", osallisuus.CodeRequired)
	}
	if x.Minutes < 1 || x.Minutes > 1440 {
		ve.Add("minutes", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return Session{}, Payout{}, err
	}
	if x.ID == uuid.Nil {
		u, err := osallisuus.NewUUID()
		if err != nil {
			return Session{}, Payout{}, err
		}
		x.ID = u
	}
	ss, err := s.schedules(ctx)
	if err != nil {
		return Session{}, Payout{}, err
	}
	now := s.clock.Now()
	var p Payout
	if sc, ok := ss.InForce(x.Date); ok {
		if r, ok := sc.Rates[x.Kind.String()]; ok && r.Basis != RateUnpaid && r.Basis != RateUnspecified {
			fee, err := PriceSession(ss, x, s.settings.CountExpensesTowardCap)
			if err != nil {
				return Session{}, Payout{}, err
			}
			pid, err := NewPayoutID()
			if err != nil {
				return Session{}, Payout{}, err
			}
			p = PayoutFor(pid, x.Expert, RequestID{}, AssignmentID{}, fee, s.settings.Payroll.PaymentDate(x.Date), now)
		}
	}
	err = s.store.Atomic(ctx, func(tx Tx) error {
		if p.ID.IsZero() {
			_, err := tx.GetExpert(ctx, x.Expert) // the expert must exist; nothing changes
			return err
		}
		if _, err := tx.UpdateExpert(ctx, x.Expert, func(e *Expert) error {
			e.Commitments = append(e.Commitments, Commitment{TaskType: x.Kind.String(), Status: StatusDone,
				Start: x.Date.Time(12, 0), Minutes: x.Minutes, FeeCents: p.CapCents(), PaymentDate: p.PaymentDate})
			return nil
		}); err != nil {
			return err
		}
		return tx.CreatePayout(ctx, p)
	})
	if err != nil {
		return Session{}, Payout{}, err
	}
	if err := s.store.AddSession(ctx, x); err != nil {
		return Session{}, Payout{}, err
	}
	return x, p, nil
}

func (s *Service) expertOf(ctx context.Context, rid RequestID, aid AssignmentID) (ExpertID, error) {
	r, err := s.store.GetRequest(ctx, rid)
	if err != nil {
		return ExpertID{}, err
	}
	if i := r.find(aid); i >= 0 {
		return r.Assignments[i].Expert, nil
	}
	return ExpertID{}, fmt.Errorf("assignment %s of request %s: %w", aid, rid, osallisuus.ErrNotFound)
}

// decide fetches the facts, then runs rule on the request and the expert inside one
// atomic step and saves both.
func (s *Service) decide(ctx context.Context, rid RequestID, eid ExpertID,
	rule func(*Request, *Expert, MatchInput, Candidate, time.Time) (Assignment, error)) (Assignment, error) {
	r0, err := s.store.GetRequest(ctx, rid)
	if err != nil {
		return Assignment{}, err
	}
	e0, err := s.store.GetExpert(ctx, eid)
	if err != nil {
		return Assignment{}, err
	}
	ss, err := s.schedules(ctx)
	if err != nil {
		return Assignment{}, err
	}
	now := s.clock.Now()
	c0, err := s.candidate(ctx, r0, e0, now)
	if err != nil {
		return Assignment{}, err
	}
	consents := c0.Checks[len(e0.Checks):]
	var out Assignment
	err = s.store.Atomic(ctx, func(tx Tx) error {
		r, err := tx.GetRequest(ctx, rid)
		if err != nil {
			return err
		}
		e, err := tx.GetExpert(ctx, eid)
		if err != nil {
			return err
		}
		c := Candidate{Key: c0.Key, Expert: e, Checks: append(cloneSlice(e.Checks), consents...), Conflict: c0.Conflict}
		if out, err = rule(&r, &e, s.input(r, ss, false, now), c, now); err != nil {
			return err
		}
		if _, err := tx.UpdateRequest(ctx, rid, func(x *Request) error { *x = r; return nil }); err != nil {
			return err
		}
		_, err = tx.UpdateExpert(ctx, eid, func(x *Expert) error { *x = e; return nil })
		return err
	})
	if err != nil {
		return Assignment{}, err
	}
	return out, nil
}

func (s *Service) simple(ctx context.Context, rid RequestID, aid AssignmentID,
	rule func(*Request, *Expert, time.Time) error) error {
	eid, err := s.expertOf(ctx, rid, aid)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.store.Atomic(ctx, func(tx Tx) error {
		r, err := tx.GetRequest(ctx, rid)
		if err != nil {
			return err
		}
		e, err := tx.GetExpert(ctx, eid)
		if err != nil {
			return err
		}
		if err := rule(&r, &e, now); err != nil {
			return err
		}
		if _, err := tx.UpdateRequest(ctx, rid, func(x *Request) error { *x = r; return nil }); err != nil {
			return err
		}
		_, err = tx.UpdateExpert(ctx, eid, func(x *Expert) error { *x = e; return nil })
		return err
	})
}
