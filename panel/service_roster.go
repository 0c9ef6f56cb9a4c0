package panel

import (
	"context"

	"github.com/osallisuus/osallisuus"
)

// Accept turns who's offer into an active membership (4.2): ErrConflict when there is
// no live offer (its state or end reason, offer-expired after the deadline) or no term
// can start; ErrForbidden as for Join. assent records a minor's yes if not given at join.
func (s *Service) Accept(ctx context.Context, id PanelID, who osallisuus.ParticipantID, assent bool) error {
	now := s.clock.Now()
	cons := &Consents{}
	cur, err := s.view(ctx, id, now, cons)
	if err != nil {
		return err
	}
	person, err := s.person(ctx, &cur, who, Profile{}, now, true)
	if err != nil {
		return err
	}
	_, err = s.update(ctx, id, now, cons, func(p *Panel) error { return p.Accept(person, assent, cons, now) })
	return err
}

// Decline ends who's offer; the seat goes to the next person waiting (P7).
func (s *Service) Decline(ctx context.Context, id PanelID, who osallisuus.ParticipantID) error {
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return err
	}
	cons := s.prefetch(ctx, id, now)
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error { return p.Decline(who, cons, now) })
	return err
}

// AppointRequest fills a user seat of an appointed panel by decision (councils.md C2).
type AppointRequest struct {
	Panel    PanelID
	Who      osallisuus.ParticipantID
	Profile  Profile
	Decision string // the appointing decision, e.g. "county board 2025-06-09 §112"
	Assent   bool   // a minor's own yes (C9)
}

// Appoint appoints a member: ErrInvalid for a blank decision, ErrForbidden open-panel on
// an open panel, ErrCapacity with the P5 reason when no seat is admissible.
func (s *Service) Appoint(ctx context.Context, r AppointRequest) error {
	if r.Decision == "" {
		return invalid("appoint member", "decision", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	cons := &Consents{}
	cur, err := s.view(ctx, r.Panel, now, cons)
	if err != nil {
		return err
	}
	person, err := s.person(ctx, &cur, r.Who, r.Profile, now, true)
	if err != nil {
		return err
	}
	_, err = s.update(ctx, r.Panel, now, cons, func(p *Panel) error {
		return p.Appoint(person, r.Decision, r.Assent, cons, now)
	})
	return err
}

// AddOfficial gives who an official seat (P8); voting false makes a non-voting expert
// member (C7).
func (s *Service) AddOfficial(ctx context.Context, id PanelID, who osallisuus.ParticipantID, voting bool, aff Affiliation) error {
	if aff != AffiliationCounty && aff != AffiliationOrganisation {
		return invalid("add official", "affiliation", required(string(aff)))
	}
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return err
	}
	cons := &Consents{}
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error { return p.AddOfficial(who, voting, aff, cons, now) })
	return err
}

// DeputyRequest appoints a personal deputy (varajäsen) of a member.
type DeputyRequest struct {
	Panel     PanelID
	Who       osallisuus.ParticipantID
	Principal osallisuus.ParticipantID
	Profile   Profile
	Assent    bool
}

// AddDeputy appoints a personal deputy (C6): no seat of its own, ends with its principal.
func (s *Service) AddDeputy(ctx context.Context, r DeputyRequest) error {
	now := s.clock.Now()
	cons := &Consents{}
	cur, err := s.view(ctx, r.Panel, now, cons)
	if err != nil {
		return err
	}
	if _, err := s.people.Participant(ctx, r.Principal); err != nil {
		return err
	}
	person, err := s.person(ctx, &cur, r.Who, r.Profile, now, true)
	if err != nil {
		return err
	}
	_, err = s.update(ctx, r.Panel, now, cons, func(p *Panel) error {
		return p.AddDeputy(person, r.Principal, r.Assent, cons, now)
	})
	return err
}

// Assign gives an active member a role (4.3): at most one chair (ErrConflict chair-taken
// unless replace), at most MaxViceChairs vice-chairs, the chair from the allowed seat
// type (ErrForbidden chair-from).
func (s *Service) Assign(ctx context.Context, id PanelID, who osallisuus.ParticipantID, role Role, replace bool) error {
	if !role.Valid() {
		return invalid("assign role", "role", required(string(role)))
	}
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return err
	}
	_, err := s.update(ctx, id, now, &Consents{}, func(p *Panel) error { return p.Assign(who, role, replace, now) })
	return err
}

// Unassign makes an active member's role plain member.
func (s *Service) Unassign(ctx context.Context, id PanelID, who osallisuus.ParticipantID) error {
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return err
	}
	_, err := s.update(ctx, id, now, &Consents{}, func(p *Panel) error { return p.Unassign(who, now) })
	return err
}

// Renew adds the next term to who's active membership (P10) and returns it.
func (s *Service) Renew(ctx context.Context, id PanelID, who osallisuus.ParticipantID) (Term, error) {
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return Term{}, err
	}
	cons := &Consents{}
	var t Term
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error {
		var err error
		t, err = p.Renew(Person{ID: who}, cons, now)
		return err
	})
	return t, err
}

// ReviewConsents runs the consent-lapse review (P16): members whose consent no longer
// allows are suspended, never removed; members whose consent ends within warnDays are
// listed.
func (s *Service) ReviewConsents(ctx context.Context, id PanelID, warnDays int) (Review, error) {
	if warnDays < 0 {
		return Review{}, invalid("review consents", "warnDays", osallisuus.CodeOutOfRange)
	}
	now := s.clock.Now()
	cons := &Consents{}
	var r Review
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error {
		var err error
		r, err = p.ReviewConsents(warnDays, cons, now)
		return err
	})
	return r, err
}

// Reinstate makes a suspended member active again when consent allows now.
func (s *Service) Reinstate(ctx context.Context, id PanelID, who osallisuus.ParticipantID) error {
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return err
	}
	cons := &Consents{}
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error { return p.Reinstate(who, cons, now) })
	return err
}

// Remove ends an active or suspended membership by the host's decision, with a reason
// code (ErrInvalid when blank).
func (s *Service) Remove(ctx context.Context, id PanelID, who osallisuus.ParticipantID, reason string) error {
	if reason == "" {
		return invalid("remove member", "reason", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	if _, err := s.people.Participant(ctx, who); err != nil {
		return err
	}
	cons := s.prefetch(ctx, id, now)
	_, err := s.update(ctx, id, now, cons, func(p *Panel) error { return p.Remove(who, reason, cons, now) })
	return err
}

// Representativeness reports the roster against the host's target shares (§8).
func (s *Service) Representativeness(ctx context.Context, id PanelID, targets Targets) (Representativeness, error) {
	p, err := s.view(ctx, id, s.clock.Now(), &Consents{})
	if err != nil {
		return Representativeness{}, err
	}
	return p.Report(targets), nil
}

// CompositionStatus reports the panel's composition now: filled seats, unmet minimums,
// quota counts, chair vacancy, suspended members and pending offers.
func (s *Service) CompositionStatus(ctx context.Context, id PanelID) (Composition, error) {
	p, err := s.view(ctx, id, s.clock.Now(), &Consents{})
	if err != nil {
		return Composition{}, err
	}
	return p.CompositionStatus(), nil
}
