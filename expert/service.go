package expert

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	// ProfileRetention is the host's retention period of E3: how long a retired or
	// rejected expert's profile (experience areas are special-category data) is kept
	// after the retirement or rejection before [Service.ApplyRetention] erases it. The
	// zero Period means P1Y (a choice: the spec names no figure; a year lets a returning
	// expert pick up their record and is short for special-category data).
	ProfileRetention osallisuus.Period
	// AccountingRetention is how long payout records are kept after the end of the
	// calendar year of their payment date (kirjanpitolaki 1336/1997, 2:10 §: vouchers six
	// years from the end of the year). The zero Period means P6Y.
	AccountingRetention osallisuus.Period
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
	// profileRetention and accountingRetention are the Config's periods with the
	// defaults applied (gdpr.go).
	profileRetention    osallisuus.Period
	accountingRetention osallisuus.Period
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
	if !validRetention(cfg.ProfileRetention) {
		ve.Add("config.profileRetention", osallisuus.CodeOutOfRange)
	}
	if !validRetention(cfg.AccountingRetention) {
		ve.Add("config.accountingRetention", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	purpose := cfg.RegistrationPurpose
	if purpose == "" {
		purpose = "expert-profile"
	}
	return &Service{store: store, consent: consent, clock: osallisuus.ClockOrSystem(cfg.Clock),
		settings: cfg.Settings, conflict: cfg.Conflicts, purpose: purpose,
		profileRetention:    orPeriod(cfg.ProfileRetention, defaultProfileRetention),
		accountingRetention: orPeriod(cfg.AccountingRetention, defaultAccountingRetention)}, nil
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

// Pause pauses an active expert, with a reason code, until a last day (zero: until
// resumed).
func (s *Service) Pause(ctx context.Context, id ExpertID, reason string, until osallisuus.Date) (Expert, error) {
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error { return e.Pause(reason, until, now) })
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
		if err := retireIn(ctx, tx, &e, effectiveOn, now); err != nil {
			return err
		}
		out, err = tx.UpdateExpert(ctx, id, func(x *Expert) error { *x = e; return nil })
		return err
	})
	return out, err
}

// retireIn retires e (E3) inside tx: the pending offers and the accepted assignments
// starting after effectiveOn are withdrawn and cancelled on their requests, which it
// saves; saving e is the caller's part.
func retireIn(ctx context.Context, tx Tx, e *Expert, effectiveOn osallisuus.Date, now time.Time) error {
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
				return Withdraw(r, e, c.Assignment, now)
			}
			return Cancel(r, e, c.Assignment, ActorCoordinator, "expert-retired", now)
		}); err != nil {
			return err
		}
	}
	return nil
}

// EraseProfile erases a retired or rejected expert's special-category profile data (E3;
// see [Expert.EraseProfile]).
func (s *Service) EraseProfile(ctx context.Context, id ExpertID) (Expert, error) {
	now := s.clock.Now()
	return s.store.UpdateExpert(ctx, id, func(e *Expert) error { return e.EraseProfile(now) })
}
