package expert

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
)

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

// VoidPayout voids a draft or approved payout with a reason and stores its replacement
// draft in the same atomic step (E16; see [Payout.Void]). It returns the replacement.
func (s *Service) VoidPayout(ctx context.Context, id PayoutID, reason string) (Payout, error) {
	newID, err := NewPayoutID()
	if err != nil {
		return Payout{}, err
	}
	now := s.clock.Now()
	var out Payout
	err = s.store.Atomic(ctx, func(tx Tx) error {
		p, err := tx.GetPayout(ctx, id)
		if err != nil {
			return err
		}
		if out, err = p.Void(reason, newID, now); err != nil {
			return err
		}
		if _, err := tx.UpdatePayout(ctx, id, func(x *Payout) error {
			x.State, x.VoidReason, x.ReplacedBy = p.State, p.VoidReason, p.ReplacedBy
			return nil
		}); err != nil {
			return err
		}
		return tx.CreatePayout(ctx, out)
	})
	if err != nil {
		return Payout{}, err
	}
	out.Version = 1
	return out, nil
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
// returned payout is that one (zero otherwise). The session, the payout and the
// expert's commitment are stored in one [Store.Atomic] step: all
// or nothing. Bad input is ErrInvalid; an unknown expert ErrNotFound; a session ID that
// exists ErrConflict, with nothing stored.
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
			if _, err := tx.GetExpert(ctx, x.Expert); err != nil { // the expert must exist
				return err
			}
		} else {
			if _, err := tx.UpdateExpert(ctx, x.Expert, func(e *Expert) error {
				e.Commitments = append(e.Commitments, Commitment{TaskType: x.Kind.String(), Status: StatusDone,
					Start: x.Date.Time(12, 0), Minutes: x.Minutes, FeeCents: p.CapCents(), PaymentDate: p.PaymentDate})
				return nil
			}); err != nil {
				return err
			}
			if err := tx.CreatePayout(ctx, p); err != nil {
				return err
			}
		}
		return tx.AddSession(ctx, x)
	})
	if err != nil {
		return Session{}, Payout{}, err
	}
	return x, p, nil
}
