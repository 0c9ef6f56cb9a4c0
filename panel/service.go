package panel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// People looks participants up; *participation.Service implements it. The panel
// service reads birth dates from it for rule P4 and answers ErrNotFound for unknown
// people.
type People interface {
	Participant(ctx context.Context, id osallisuus.ParticipantID) (participation.Participant, error)
}

// EligibilityChecker is the host's eligibility rule (P3): it returns the failing reason
// codes for who on panel p at at, or none when who is eligible. It may consult registers
// the library never sees.
type EligibilityChecker interface {
	CheckEligibility(ctx context.Context, p Panel, who osallisuus.ParticipantID, at time.Time) ([]string, error)
}

// EligibilityFunc adapts a function to [EligibilityChecker].
type EligibilityFunc func(ctx context.Context, p Panel, who osallisuus.ParticipantID, at time.Time) ([]string, error)

// CheckEligibility calls f.
func (f EligibilityFunc) CheckEligibility(ctx context.Context, p Panel, who osallisuus.ParticipantID, at time.Time) ([]string, error) {
	return f(ctx, p, who, at)
}

// ServiceConfig holds the optional settings of a [Service].
type ServiceConfig struct {
	Clock osallisuus.Clock // nil: the system clock
	// Eligibility is the host's P3 rule; nil: everyone is eligible.
	Eligibility EligibilityChecker
	// ApplicationRetention is how long the applications of a finished open call are
	// kept (rule P20), counted from the day the call finished (see
	// [Service.ApplyRetention]); the zero Period means the default, one year (P1Y).
	// A negative component, or weeks mixed with other components, is ErrInvalid
	// (field config.applicationRetention).
	ApplicationRetention osallisuus.Period
}

// Service runs panels: it loads from the Store, applies the rules of this package and
// saves in one atomic update. It is thin, safe for concurrent use, and keeps no state.
// Every operation first applies the derived transitions due by now (see
// [Panel.Settle]). Errors match the kernel kinds: ErrInvalid (a *ValidationError naming
// fields), ErrNotFound, and for refusals a *osallisuus.RuleError of kind ErrConflict,
// ErrForbidden or ErrCapacity with the reason codes of spec §12.4.
type Service struct {
	store    Store
	consent  participation.ConsentChecker
	people   People
	clock    osallisuus.Clock
	eligible EligibilityChecker
	// retention is ServiceConfig.ApplicationRetention with its default applied.
	retention osallisuus.Period
}

// NewService returns a service on store, asking consent from consent and looking people
// up in people.
func NewService(store Store, consent participation.ConsentChecker, people People, cfg ServiceConfig) (*Service, error) {
	ve := &osallisuus.ValidationError{Op: "new panel service"}
	if store == nil {
		ve.Add("store", osallisuus.CodeRequired)
	}
	if consent == nil {
		ve.Add("consent", osallisuus.CodeRequired)
	}
	if people == nil {
		ve.Add("people", osallisuus.CodeRequired)
	}
	if !validPeriod(cfg.ApplicationRetention) {
		ve.Add("config.applicationRetention", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	retention := cfg.ApplicationRetention
	if retention.IsZero() {
		retention = osallisuus.Period{Years: defaultRetentionYears}
	}
	return &Service{store: store, consent: consent, people: people,
		clock: osallisuus.ClockOrSystem(cfg.Clock), eligible: cfg.Eligibility, retention: retention}, nil
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

func (s *Service) fetch(ctx context.Context, cons *Consents, q participation.ConsentQuery) error {
	if cons.Has(q) {
		return fmt.Errorf("consent checker answered another query than %s", q.Purpose)
	}
	d, err := s.consent.CheckConsent(ctx, q)
	if err != nil {
		return fmt.Errorf("check consent: %w", err)
	}
	d.Query = q
	cons.Put(d)
	return nil
}

// update settles and changes panel id with fn in one atomic update, fetching consent
// decisions the rules ask for and running again.
func (s *Service) update(ctx context.Context, id PanelID, now time.Time, cons *Consents, fn func(*Panel) error) (Panel, error) {
	for {
		p, err := s.store.UpdatePanel(ctx, id, change(now, cons, fn))
		if need, ok := errors.AsType[*NeedConsentError](err); ok {
			if err := s.fetch(ctx, cons, need.Query); err != nil {
				return Panel{}, err
			}
			continue
		}
		return p, err
	}
}

// change is the update function of the service's panel updates: it settles p at now,
// applies fn and queues the events of both in p's outbox.
func change(now time.Time, cons *Consents, fn func(*Panel) error) func(*Panel) error {
	return func(p *Panel) error {
		mk := markOf(p)
		if err := p.Settle(now, cons); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		p.Outbox = append(p.Outbox, p.eventsSince(mk)...)
		return nil
	}
}

// view returns panel id as it stands at now, derived transitions applied, without
// saving them.
func (s *Service) view(ctx context.Context, id PanelID, now time.Time, cons *Consents) (Panel, error) {
	stored, err := s.store.GetPanel(ctx, id)
	if err != nil {
		return Panel{}, err
	}
	for {
		p := stored.Clone()
		err := p.Settle(now, cons)
		if need, ok := errors.AsType[*NeedConsentError](err); ok {
			if err := s.fetch(ctx, cons, need.Query); err != nil {
				return Panel{}, err
			}
			continue
		}
		return p, err
	}
}

// Panel returns the panel as it stands now, derived transitions (end date, term ends,
// offer deadlines) applied.
func (s *Service) Panel(ctx context.Context, id PanelID) (Panel, error) {
	return s.view(ctx, id, s.clock.Now(), &Consents{})
}

// Create stores a new draft panel (4.1). A zero p.ID gets a new one. ErrInvalid lists
// the bad configuration fields; ErrConflict when the ID exists.
func (s *Service) Create(ctx context.Context, p Panel) (Panel, error) {
	if p.ID.IsZero() {
		id, err := NewPanelID()
		if err != nil {
			return Panel{}, err
		}
		p.ID = id
	}
	if p.Key != "" && !participation.ValidScope("panel:"+p.Key) {
		return Panel{}, invalid("create panel", "key", osallisuus.CodeFormat)
	}
	if err := p.Config.Validate(); err != nil {
		return Panel{}, err
	}
	p.State, p.Members, p.NextSeq, p.CreatedAt = StateDraft, nil, 0, s.clock.Now()
	p.ClosedAt, p.CloseReason = time.Time{}, ""
	if err := s.store.CreatePanel(ctx, p); err != nil {
		return Panel{}, err
	}
	return s.store.GetPanel(ctx, p.ID)
}

// Open activates a draft panel.
func (s *Service) Open(ctx context.Context, id PanelID) (Panel, error) {
	now := s.clock.Now()
	return s.update(ctx, id, now, &Consents{}, func(p *Panel) error { return p.Open(now) })
}

// Close closes an active panel; memberships end panel-closed.
func (s *Service) Close(ctx context.Context, id PanelID, reason string) (Panel, error) {
	now := s.clock.Now()
	return s.update(ctx, id, now, &Consents{}, func(p *Panel) error { return p.Close(now, reason) })
}

// person looks who up and asks the host's eligibility rule.
func (s *Service) person(ctx context.Context, p *Panel, who osallisuus.ParticipantID, prof Profile, now time.Time, eligibility bool) (Person, error) {
	pt, err := s.people.Participant(ctx, who)
	if err != nil {
		return Person{}, err
	}
	out := Person{ID: who, Minor: pt.IsMinor(now), Profile: prof}
	if eligibility && s.eligible != nil && p != nil {
		if out.Ineligible, err = s.eligible.CheckEligibility(ctx, *p, who, now); err != nil {
			return Person{}, fmt.Errorf("check eligibility: %w", err)
		}
	}
	return out, nil
}

// JoinRequest asks for a user seat on an open panel.
type JoinRequest struct {
	Panel    PanelID
	Who      osallisuus.ParticipantID
	Profile  Profile
	Priority int  // waitlist priority (higher first) under OrderPriority
	Assent   bool // the minor's own yes, given now (P4)
}

// Join admits a person to a user seat, or waitlists them with the P5 reason (4.2). It
// returns ErrNotFound (panel, person), ErrConflict (panel state, already-member,
// no-term), ErrForbidden (appointed-panel, audience, the consent reason, ineligible with
// the host's reasons, no-assent, max-terms) or ErrCapacity (full, quota-max,
// reserved-for-quota when the waitlist is off or full). Concurrent joins for the last
// seats admit exactly as many as fit.
func (s *Service) Join(ctx context.Context, r JoinRequest) (JoinResult, error) {
	now := s.clock.Now()
	cons := &Consents{}
	cur, err := s.view(ctx, r.Panel, now, cons)
	if err != nil {
		return JoinResult{}, err
	}
	who, err := s.person(ctx, &cur, r.Who, r.Profile, now, true)
	if err != nil {
		return JoinResult{}, err
	}
	var res JoinResult
	_, err = s.update(ctx, r.Panel, now, cons, func(p *Panel) error {
		res, err = p.Join(who, r.Priority, r.Assent, cons, now)
		return err
	})
	return res, err
}

// Leave ends who's membership at once (P1); it is never refused and is idempotent. It
// returns the end reason (an earlier one for an ended membership). A freed user seat is
// offered to the next person waiting (P7).
func (s *Service) Leave(ctx context.Context, id PanelID, who osallisuus.ParticipantID) (EndReason, error) {
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return "", err
	}
	var r EndReason
	cons := s.prefetch(ctx, id, now)
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error {
		var err error
		r, err = p.Leave(who, cons, now)
		return err
	})
	return r, err
}

// prefetch asks consent at now for everyone waitlisted, for steps that may free a seat,
// so P7 rarely needs another round. Failures are left for the update to meet.
func (s *Service) prefetch(ctx context.Context, id PanelID, now time.Time) *Consents {
	cons := &Consents{}
	p, err := s.store.GetPanel(ctx, id)
	if err != nil {
		return cons
	}
	for _, i := range p.Waitlist() {
		if q, ok := p.consentQuery(p.Members[i].Participant, SeatUser, now); ok {
			if s.fetch(ctx, cons, q) != nil {
				break
			}
		}
	}
	return cons
}
