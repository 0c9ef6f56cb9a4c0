package panel

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// OpenCall creates and publishes an open call of panel id (4.6). A zero cid gets a new
// ID; ErrConflict exists when cid is taken.
func (s *Service) OpenCall(ctx context.Context, id PanelID, cid CallID, opensAt, closesAt time.Time, seats int) (Call, error) {
	const op = "open call"
	now := s.clock.Now()
	probe := Panel{State: StateActive, Config: Config{Admission: AdmissionOpen}}
	if _, err := OpenCall(&probe, cid, opensAt, closesAt, seats, now); err != nil {
		return Call{}, err
	}
	p, err := s.view(ctx, id, now, &Consents{})
	if err != nil {
		return Call{}, err
	}
	if err := p.requireActive(op); err != nil {
		return Call{}, err
	}
	if cid.IsZero() {
		if cid, err = NewCallID(); err != nil {
			return Call{}, err
		}
	} else if _, err := s.store.GetCall(ctx, cid); err == nil {
		return Call{}, conflict(op, ReasonExists)
	}
	c, err := OpenCall(&p, cid, opensAt, closesAt, seats, now)
	if err != nil {
		return Call{}, err
	}
	if err := s.store.CreateCall(ctx, c); err != nil {
		if errors.Is(err, osallisuus.ErrConflict) {
			return Call{}, conflict(op, ReasonExists)
		}
		return Call{}, err
	}
	return s.store.GetCall(ctx, cid)
}

// Apply adds who's application to call id.
func (s *Service) Apply(ctx context.Context, id CallID, a Application) (Call, error) {
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, a.Participant); err != nil {
		return Call{}, err
	}
	c, err := s.store.GetCall(ctx, id)
	if err != nil {
		return Call{}, err
	}
	p, err := s.view(ctx, c.Panel, now, &Consents{})
	if err != nil {
		return Call{}, err
	}
	return s.store.UpdateCall(ctx, id, func(c *Call) error { return c.Apply(&p, a, now) })
}

// Screen records the host's screening of who's application.
func (s *Service) Screen(ctx context.Context, id CallID, who osallisuus.ParticipantID, eligible bool, reason string) (Call, error) {
	if !eligible && strings.TrimSpace(reason) == "" {
		return Call{}, invalid("screen application", "reason", osallisuus.CodeRequired)
	}
	if _, err := s.people.Participant(ctx, who); err != nil {
		return Call{}, err
	}
	return s.store.UpdateCall(ctx, id, func(c *Call) error { return c.Screen(who, eligible, reason) })
}

// Select decides a closed call (P19): the selected are offered seats and willing
// reserves join the waitlist. The call and its panel are read and saved in one
// [Store.Atomic] step, so both change or neither does: a refusal, a failed save or a
// concurrent change of the call (which then either commits first, and Select decides on
// it, or waits) leaves both as they were.
func (s *Service) Select(ctx context.Context, id CallID, r SelectRequest) (Selection, error) {
	const op = "select applicants"
	switch r.Method {
	case MethodFirstCome, MethodPriority, MethodRandomDraw:
	case MethodManual:
		if strings.TrimSpace(r.Justification) == "" {
			return Selection{}, invalid(op, "justification", osallisuus.CodeRequired)
		}
	default:
		return Selection{}, invalid(op, "method", required(string(r.Method)))
	}
	now := s.clock.Now()
	cons := &Consents{}
	for {
		var sel Selection
		err := s.store.Atomic(ctx, func(tx Tx) error {
			c, err := tx.GetCall(ctx, id)
			if err != nil {
				return err
			}
			var decided Call
			if _, err := tx.UpdatePanel(ctx, c.Panel, change(now, cons, func(p *Panel) error {
				decided = c.Clone()
				var err error
				sel, err = decided.Select(p, r, now)
				return err
			})); err != nil {
				return err
			}
			_, err = tx.UpdateCall(ctx, id, func(x *Call) error {
				v := x.Version
				*x = decided.Clone()
				x.Version = v
				return nil
			})
			return err
		})
		if need, ok := errors.AsType[*NeedConsentError](err); ok {
			if err := s.fetch(ctx, cons, need.Query); err != nil {
				return Selection{}, err
			}
			continue
		}
		if err != nil {
			return Selection{}, err
		}
		return sel, nil
	}
}

// CancelCall cancels a call that is not yet selected.
func (s *Service) CancelCall(ctx context.Context, id CallID) (Call, error) {
	return s.store.UpdateCall(ctx, id, func(c *Call) error { return c.Cancel() })
}

// WithdrawApplication withdraws who's application; never refused.
func (s *Service) WithdrawApplication(ctx context.Context, id CallID, who osallisuus.ParticipantID) (Call, error) {
	return s.store.UpdateCall(ctx, id, func(c *Call) error { return c.Withdraw(who) })
}
