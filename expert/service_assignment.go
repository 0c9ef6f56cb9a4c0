package expert

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
)

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
