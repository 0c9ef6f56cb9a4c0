package participation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
)

// ActivityConfig holds the optional settings of an [ActivityService]; the zero value is
// the default.
type ActivityConfig struct {
	// Clock gives "now" for every step; nil means the system clock.
	Clock osallisuus.Clock
	// InvitationPurpose is the consent purpose an invitation asks (A2); "" means
	// "contact".
	InvitationPurpose string
	// ParticipationPurpose is the purpose registrations, attendance and participation
	// records ask (A3), often a public-task basis; "" means "participation".
	ParticipationPurpose string
	// Suppression is the small-number threshold k of the reports (A10); 0 means
	// [DefaultSuppression]. It must not be negative.
	Suppression int
}

// ActivityService runs co-development activities (osallistumistavat): organisations,
// development projects, activities, invitations, registrations with a waitlist,
// attendance, participation records, outcomes and the reports of spec/activities.md. It
// is thin: it loads from an [ActivityStore], asks consent through a [ConsentChecker]
// (never while a transaction is open), applies the pure rules ([Register], [Cancel],
// [MarkAttendance], [RecordParticipation], [CheckOutcome], [EarlyInvolvement],
// [Coverage], [NoOutcome]) and saves in one atomic step. Safe for concurrent use.
type ActivityService struct {
	store        ActivityStore
	participants ParticipantStore
	consent      ConsentChecker
	clock        osallisuus.Clock
	invitation   string
	purpose      string
	k            int
}

// NewActivityService returns a service on store, checking that people exist in
// participants and asking consent from consent. The error matches ErrInvalid for a
// missing dependency or a bad config (fields "config.suppression" and the like).
func NewActivityService(store ActivityStore, participants ParticipantStore, consent ConsentChecker, cfg ActivityConfig) (*ActivityService, error) {
	ve := &osallisuus.ValidationError{Op: "new activity service"}
	if store == nil {
		ve.Add("store", osallisuus.CodeRequired)
	}
	if participants == nil {
		ve.Add("participants", osallisuus.CodeRequired)
	}
	if consent == nil {
		ve.Add("consent", osallisuus.CodeRequired)
	}
	if cfg.Suppression < 0 {
		ve.Add("config.suppression", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	s := &ActivityService{store: store, participants: participants, consent: consent,
		clock: osallisuus.ClockOrSystem(cfg.Clock), invitation: cfg.InvitationPurpose,
		purpose: cfg.ParticipationPurpose, k: cfg.Suppression}
	if s.invitation == "" {
		s.invitation = "contact"
	}
	if s.purpose == "" {
		s.purpose = "participation"
	}
	if s.k == 0 {
		s.k = DefaultSuppression
	}
	return s, nil
}

// AddOrganisation stores a new organisation or unit. A zero ID gets a new one. Errors:
// ErrInvalid naming the fields (a root without a valid sector, an unknown parent is
// "parent" with code "unknown", a unit whose sector is not its root's is "sector" with
// code "not-allowed"), ErrConflict if the ID exists.
func (s *ActivityService) AddOrganisation(ctx context.Context, o Organisation) (Organisation, error) {
	if o.ID.IsZero() {
		id, err := NewOrganisationID()
		if err != nil {
			return Organisation{}, err
		}
		o.ID = id
	}
	if err := o.Validate(); err != nil {
		return Organisation{}, err
	}
	if !o.Parent.IsZero() {
		root, err := s.root(ctx, o.Parent)
		if errors.Is(err, osallisuus.ErrNotFound) {
			return Organisation{}, &osallisuus.ValidationError{Op: "add organisation",
				Problems: []osallisuus.Problem{{Field: "parent", Code: osallisuus.CodeUnknown}}}
		}
		if err != nil {
			return Organisation{}, err
		}
		if o.Sector != SectorUnspecified && o.Sector != root.Sector {
			return Organisation{}, &osallisuus.ValidationError{Op: "add organisation",
				Problems: []osallisuus.Problem{{Field: "sector", Code: osallisuus.CodeNotAllowed}}}
		}
	}
	o.CreatedAt, o.Version = s.clock.Now().UTC(), 1
	if err := s.store.CreateOrganisation(ctx, o); err != nil {
		return Organisation{}, err
	}
	return o, nil
}

// root walks up from id to its root organisation. Parents exist before their units, so
// the walk ends; it stops with ErrConflict after too many steps in a corrupt store.
func (s *ActivityService) root(ctx context.Context, id OrganisationID) (Organisation, error) {
	for range 1000 {
		o, err := s.store.GetOrganisation(ctx, id)
		if err != nil || o.Parent.IsZero() {
			return o, err
		}
		id = o.Parent
	}
	return Organisation{}, fmt.Errorf("organisation %s: parent chain too long: %w", id, osallisuus.ErrConflict)
}

// AddProject stores a new development project. A zero ID gets a new one. Errors:
// ErrInvalid naming the fields (an unknown organisation is "organisation" with code
// "unknown"), ErrConflict if the ID exists.
func (s *ActivityService) AddProject(ctx context.Context, p Project) (Project, error) {
	if p.ID.IsZero() {
		id, err := NewProjectID()
		if err != nil {
			return Project{}, err
		}
		p.ID = id
	}
	if err := p.Validate(); err != nil {
		return Project{}, err
	}
	if err := s.requireOrganisation(ctx, "organisation", p.Organisation); err != nil {
		return Project{}, err
	}
	p.CreatedAt, p.Version = s.clock.Now().UTC(), 1
	if err := s.store.CreateProject(ctx, p); err != nil {
		return Project{}, err
	}
	return p, nil
}

func (s *ActivityService) requireOrganisation(ctx context.Context, field string, id OrganisationID) error {
	_, err := s.store.GetOrganisation(ctx, id)
	if errors.Is(err, osallisuus.ErrNotFound) {
		return &osallisuus.ValidationError{Op: "check organisation",
			Problems: []osallisuus.Problem{{Field: field, Code: osallisuus.CodeUnknown}}}
	}
	return err
}

// CreateActivity stores a new activity (A1). A zero ID gets a new one; a zero End is set
// to Start (a one-day activity). Checks in order: an activity with a.ID exists
// (ErrConflict, reason "exists"); the A1 values ([Activity.Validate]) and the
// organisation and project exist (ErrInvalid naming the fields).
func (s *ActivityService) CreateActivity(ctx context.Context, a Activity) (Activity, error) {
	if a.ID.IsZero() {
		id, err := NewActivityID()
		if err != nil {
			return Activity{}, err
		}
		a.ID = id
	} else if _, err := s.store.GetActivity(ctx, a.ID); err == nil {
		return Activity{}, refuse("create activity", osallisuus.ErrConflict, ReasonExists)
	} else if !errors.Is(err, osallisuus.ErrNotFound) {
		return Activity{}, err
	}
	if a.End.IsZero() {
		a.End = a.Start
	}
	if err := a.Validate(); err != nil {
		return Activity{}, err
	}
	if err := s.requireOrganisation(ctx, "organisation", a.Organisation); err != nil {
		return Activity{}, err
	}
	if !a.Project.IsZero() {
		if _, err := s.store.GetProject(ctx, a.Project); errors.Is(err, osallisuus.ErrNotFound) {
			return Activity{}, &osallisuus.ValidationError{Op: "create activity",
				Problems: []osallisuus.Problem{{Field: "project", Code: osallisuus.CodeUnknown}}}
		} else if err != nil {
			return Activity{}, err
		}
	}
	a = a.Clone()
	a.CreatedAt, a.Version = s.clock.Now().UTC(), 1
	if err := s.store.CreateActivity(ctx, a); err != nil {
		if errors.Is(err, osallisuus.ErrConflict) {
			return Activity{}, refuse("create activity", osallisuus.ErrConflict, ReasonExists)
		}
		return Activity{}, err
	}
	return a, nil
}

// UpdateActivity changes activity id atomically: fn edits a copy, which must still keep
// A1 ([Activity.Validate]) and its ID, Organisation and Project, and the store saves it
// with Version+1. Changing the capacity promotes nobody (A5). Errors: ErrNotFound, fn's
// own error as is, ErrInvalid naming the fields.
func (s *ActivityService) UpdateActivity(ctx context.Context, id ActivityID, fn func(*Activity) error) (Activity, error) {
	return s.store.UpdateActivity(ctx, id, func(a *Activity) error {
		before := a.Clone()
		if err := fn(a); err != nil {
			return err
		}
		ve := &osallisuus.ValidationError{Op: "update activity"}
		if a.ID != before.ID {
			ve.Add("id", osallisuus.CodeNotAllowed)
		}
		if a.Organisation != before.Organisation {
			ve.Add("organisation", osallisuus.CodeNotAllowed)
		}
		if a.Project != before.Project {
			ve.Add("project", osallisuus.CodeNotAllowed)
		}
		if a.End.IsZero() {
			a.End = a.Start
		}
		if err := a.Validate(); err != nil {
			ve.Merge("", asValidation(err))
		}
		return ve.Err()
	})
}

// UpdateProject changes project id atomically (to move its plan date, say): fn edits a
// copy, which must keep its ID and organisation and stay valid; the store saves it with
// Version+1. Errors: ErrNotFound, fn's own error as is, ErrInvalid naming the fields.
func (s *ActivityService) UpdateProject(ctx context.Context, id ProjectID, fn func(*Project) error) (Project, error) {
	return s.store.UpdateProject(ctx, id, func(p *Project) error {
		before := *p
		if err := fn(p); err != nil {
			return err
		}
		ve := &osallisuus.ValidationError{Op: "update project"}
		if p.ID != before.ID {
			ve.Add("id", osallisuus.CodeNotAllowed)
		}
		if p.Organisation != before.Organisation {
			ve.Add("organisation", osallisuus.CodeNotAllowed)
		}
		if err := p.Validate(); err != nil {
			ve.Merge("", asValidation(err))
		}
		return ve.Err()
	})
}

// Activity returns the activity id, or an error matching ErrNotFound.
func (s *ActivityService) Activity(ctx context.Context, id ActivityID) (Activity, error) {
	return s.store.GetActivity(ctx, id)
}

// Invitation is an invitation the service decided may be sent (A2): the host sends it
// (the library keeps no list of invitations) and may keep the decision as evidence.
type Invitation struct {
	Activity ActivityID               `json:"activity"`
	Who      osallisuus.ParticipantID `json:"who"`
	At       time.Time                `json:"at"`
	// Decision is the consent decision for the invitation purpose that allowed it.
	Decision ConsentDecision `json:"decision"`
}

// load returns the activity and checks that who is a registered participant: both
// ErrNotFound otherwise.
func (s *ActivityService) load(ctx context.Context, id ActivityID, who osallisuus.ParticipantID) (Activity, error) {
	a, err := s.store.GetActivity(ctx, id)
	if err != nil {
		return Activity{}, err
	}
	if _, err := s.participants.GetParticipant(ctx, who); err != nil {
		return Activity{}, err
	}
	return a, nil
}

func (s *ActivityService) ask(ctx context.Context, a *Activity, who osallisuus.ParticipantID, purpose string, now time.Time) (ConsentDecision, error) {
	return s.consent.CheckConsent(ctx, a.ConsentFor(who, purpose, now))
}

// loadAndAsk loads activity id and person who (ErrNotFound for either) and asks who's
// consent for purpose in the activity's scope at now.
func (s *ActivityService) loadAndAsk(ctx context.Context, id ActivityID, who osallisuus.ParticipantID, purpose string, now time.Time) (ConsentDecision, error) {
	a, err := s.load(ctx, id, who)
	if err != nil {
		return ConsentDecision{}, err
	}
	return s.ask(ctx, &a, who, purpose, now)
}

// Invite decides whether who may be invited to activity id now (A2): ErrNotFound for an
// unknown activity or person; ErrConflict (reason "ended") after the activity's last
// day; ErrForbidden with the decision's reason unless the invitation purpose is allowed
// in the activity's scope.
func (s *ActivityService) Invite(ctx context.Context, id ActivityID, who osallisuus.ParticipantID) (Invitation, error) {
	now := s.clock.Now()
	a, err := s.load(ctx, id, who)
	if err != nil {
		return Invitation{}, err
	}
	if a.Ended(now) {
		return Invitation{}, refuse("invite", osallisuus.ErrConflict, ReasonEnded)
	}
	d, err := s.ask(ctx, &a, who, s.invitation, now)
	if err != nil {
		return Invitation{}, err
	}
	if err := Invite(a, d, now); err != nil {
		return Invitation{}, err
	}
	return Invitation{Activity: id, Who: who, At: now.UTC(), Decision: d}, nil
}

// CheckRecordingConsent asks whether what who said at activity id may be kept in a form
// of its own (A3): a quote, a recording or a photo (purpose "recording", say) or their
// name published with it ("publish-name"). The purpose is the host's and is asked in the
// activity's scope now, separately from participation. It returns the allowing decision,
// or ErrForbidden with the decision's reason; ErrNotFound for an unknown activity or
// person; ErrInvalid for a purpose the consent checker does not know.
func (s *ActivityService) CheckRecordingConsent(ctx context.Context, id ActivityID, who osallisuus.ParticipantID, purpose string) (ConsentDecision, error) {
	now := s.clock.Now()
	d, err := s.loadAndAsk(ctx, id, who, purpose, now)
	if err != nil {
		return ConsentDecision{}, err
	}
	if err := d.Err(); err != nil {
		return ConsentDecision{}, fmt.Errorf("record what was said: %w", err)
	}
	return d, nil
}

// Registration is the result of [ActivityService.Register]: the new record, registered
// or waitlisted, and the 1-based queue position of a waitlisted one.
type Registration struct {
	Record   ParticipationRecord `json:"record"`
	Position int                 `json:"position,omitzero"`
}

// Register registers who in role for activity id now: a place when one is free, else the
// end of the waitlist ([Register] has the rule and its error kinds; an unknown activity
// or person is ErrNotFound). Registrations never exceed the capacity, also under
// concurrency: the rule runs inside the store's transaction.
func (s *ActivityService) Register(ctx context.Context, id ActivityID, who osallisuus.ParticipantID, role Role) (Registration, error) {
	if !role.Valid() {
		return Registration{}, osallisuus.Invalid("role", unknownOrRequired(string(role)))
	}
	now := s.clock.Now()
	d, err := s.loadAndAsk(ctx, id, who, s.purpose, now)
	if err != nil {
		return Registration{}, err
	}
	recID, err := NewRecordID()
	if err != nil {
		return Registration{}, err
	}
	var reg Registration
	err = s.store.Atomic(ctx, func(tx ActivityTx) error {
		r, err := tx.Roster(ctx, id)
		if err != nil {
			return err
		}
		rec, pos, err := Register(r, who, role, d, now)
		if err != nil {
			return err
		}
		rec.ID, rec.Version = recID, 1
		reg = Registration{Record: rec, Position: pos}
		return tx.CreateRecord(ctx, rec)
	})
	if err != nil {
		return Registration{}, err
	}
	return reg, nil
}

// Cancellation is the result of [ActivityService.Cancel]: the cancelled record and the
// records promoted from the waitlist, in order (often none).
type Cancellation struct {
	Record   ParticipationRecord   `json:"record"`
	Promoted []ParticipationRecord `json:"promoted"`
}

// Cancel cancels who's registration or waitlist place for activity id now and, in the
// same atomic step, promotes from the waitlist while a place is free ([Cancel] has the
// rule and its error kinds). The participation decisions of waitlisted people are asked
// at now, outside the transaction, and the step is run again with them.
func (s *ActivityService) Cancel(ctx context.Context, id ActivityID, who osallisuus.ParticipantID) (Cancellation, error) {
	now := s.clock.Now()
	a, err := s.load(ctx, id, who)
	if err != nil {
		return Cancellation{}, err
	}
	decisions := Decisions{}
	for {
		var out Cancellation
		err := s.store.Atomic(ctx, func(tx ActivityTx) error {
			out = Cancellation{} // fn may run more than once
			r, err := tx.Roster(ctx, id)
			if err != nil {
				return err
			}
			changed, err := Cancel(r, who, s.purpose, decisions, now)
			if err != nil {
				return err
			}
			for _, rec := range changed {
				if err := tx.UpdateRecord(ctx, rec); err != nil {
					return err
				}
				rec.Version++
				if rec.Who == who && rec.Status == StatusCancelled {
					out.Record = rec
				} else {
					out.Promoted = append(out.Promoted, rec)
				}
			}
			return nil
		})
		need, ok := errors.AsType[*NeedDecisionsError](err)
		if !ok {
			if err != nil {
				return Cancellation{}, err
			}
			if out.Promoted == nil {
				out.Promoted = []ParticipationRecord{}
			}
			return out, nil
		}
		for _, w := range need.Who {
			d, err := s.ask(ctx, &a, w, s.purpose, now)
			if err != nil {
				return Cancellation{}, err
			}
			decisions[w] = d
		}
	}
}

// RecordAttendance marks who's registration for activity id attended or absent on day
// on (zero: today) ([MarkAttendance] has the rule and its error kinds; an unknown
// activity or person, or a person without a record, is ErrNotFound).
func (s *ActivityService) RecordAttendance(ctx context.Context, id ActivityID, who osallisuus.ParticipantID, status RecordStatus, on osallisuus.Date) (ParticipationRecord, error) {
	if status != StatusAttended && status != StatusAbsent {
		return ParticipationRecord{}, osallisuus.Invalid("status", unknownOrRequired(string(status)))
	}
	if !on.IsZero() && !on.Valid() {
		return ParticipationRecord{}, osallisuus.Invalid("on", osallisuus.CodeFormat)
	}
	now := s.clock.Now()
	d, err := s.loadAndAsk(ctx, id, who, s.purpose, now)
	if err != nil {
		return ParticipationRecord{}, err
	}
	var out ParticipationRecord
	err = s.store.Atomic(ctx, func(tx ActivityTx) error {
		r, err := tx.Roster(ctx, id)
		if err != nil {
			return err
		}
		rec, err := MarkAttendance(r, who, status, on, d, now)
		if err != nil {
			return err
		}
		if err := tx.UpdateRecord(ctx, rec); err != nil {
			return err
		}
		rec.Version++
		out = rec
		return nil
	})
	if err != nil {
		return ParticipationRecord{}, err
	}
	return out, nil
}

// RecordParticipation records that who took part in activity id in role on day on (zero:
// today), registered or not: a walk-in, an interviewee, an official
// ([RecordParticipation] has the rule and its error kinds). It never checks capacity.
func (s *ActivityService) RecordParticipation(ctx context.Context, id ActivityID, who osallisuus.ParticipantID, role Role, on osallisuus.Date) (ParticipationRecord, error) {
	ve := &osallisuus.ValidationError{Op: "record participation"}
	if !role.Valid() {
		ve.Add("role", unknownOrRequired(string(role)))
	}
	if !on.IsZero() && !on.Valid() {
		ve.Add("on", osallisuus.CodeFormat)
	}
	if err := ve.Err(); err != nil {
		return ParticipationRecord{}, err
	}
	now := s.clock.Now()
	d, err := s.loadAndAsk(ctx, id, who, s.purpose, now)
	if err != nil {
		return ParticipationRecord{}, err
	}
	recID, err := NewRecordID()
	if err != nil {
		return ParticipationRecord{}, err
	}
	var out ParticipationRecord
	err = s.store.Atomic(ctx, func(tx ActivityTx) error {
		r, err := tx.Roster(ctx, id)
		if err != nil {
			return err
		}
		rec, err := RecordParticipation(r, who, role, on, d, now)
		if err != nil {
			return err
		}
		rec.ID, rec.Version = recID, 1
		out = rec
		return tx.CreateRecord(ctx, rec)
	})
	if err != nil {
		return ParticipationRecord{}, err
	}
	return out, nil
}

// RecordOutcome stores an outcome of activity o.Activity (A9). A zero ID gets a new one;
// a zero On is today. Checks in order: the outcome's values ([Outcome.Validate],
// ErrInvalid); the activity exists (ErrNotFound); On before the activity's start or
// after today (ErrInvalid "on").
func (s *ActivityService) RecordOutcome(ctx context.Context, o Outcome) (Outcome, error) {
	if err := o.Validate(); err != nil {
		return Outcome{}, err
	}
	now := s.clock.Now()
	a, err := s.store.GetActivity(ctx, o.Activity)
	if err != nil {
		return Outcome{}, err
	}
	if o.ID.IsZero() {
		id, err := NewOutcomeID()
		if err != nil {
			return Outcome{}, err
		}
		o.ID = id
	}
	o, err = CheckOutcome(a, o, now)
	if err != nil {
		return Outcome{}, err
	}
	o.CreatedAt, o.Version = now.UTC(), 1
	if err := s.store.CreateOutcome(ctx, o); err != nil {
		return Outcome{}, err
	}
	return o, nil
}

// Outcomes returns the outcomes of activity id in ID order (ErrNotFound for an unknown
// activity).
func (s *ActivityService) Outcomes(ctx context.Context, id ActivityID) ([]Outcome, error) {
	if _, err := s.store.GetActivity(ctx, id); err != nil {
		return nil, err
	}
	return Collect(s.store.ListOutcomes(ctx, OutcomeFilter{Activity: id}))
}

// Roster returns activity id with all its records in Seq order, read in one transaction:
// the organiser's working list, which shows ids unsuppressed (A10). ErrNotFound for an
// unknown activity.
func (s *ActivityService) Roster(ctx context.Context, id ActivityID) (Roster, error) {
	var out Roster
	err := s.store.Atomic(ctx, func(tx ActivityTx) error {
		r, err := tx.Roster(ctx, id)
		out = r
		return err
	})
	return out, err
}

// EarlyInvolvement computes the early-involvement report (A7) over everything stored.
func (s *ActivityService) EarlyInvolvement(ctx context.Context) (EarlyInvolvementReport, error) {
	orgs, err := Collect(s.store.ListOrganisations(ctx))
	if err != nil {
		return EarlyInvolvementReport{}, err
	}
	tree, err := NewOrganisationTree(orgs)
	if err != nil {
		return EarlyInvolvementReport{}, fmt.Errorf("early involvement: stored organisations: %w", err)
	}
	projects, err := Collect(s.store.ListProjects(ctx, ProjectFilter{}))
	if err != nil {
		return EarlyInvolvementReport{}, err
	}
	acts, err := Collect(s.store.ListActivities(ctx, ActivityFilter{Phase: PhasePlanning}))
	if err != nil {
		return EarlyInvolvementReport{}, err
	}
	recs, err := Collect(s.store.ListRecords(ctx, RecordFilter{Status: StatusAttended}))
	if err != nil {
		return EarlyInvolvementReport{}, err
	}
	return EarlyInvolvement(tree, projects, acts, recs, s.k), nil
}

// Coverage computes project id's coverage report (A8); ErrNotFound for an unknown project.
func (s *ActivityService) Coverage(ctx context.Context, id ProjectID) (CoverageReport, error) {
	p, err := s.store.GetProject(ctx, id)
	if err != nil {
		return CoverageReport{}, err
	}
	acts, err := Collect(s.store.ListActivities(ctx, ActivityFilter{Project: id}))
	if err != nil {
		return CoverageReport{}, err
	}
	recs, err := Collect(s.store.ListRecords(ctx, RecordFilter{Project: id, Status: StatusAttended}))
	if err != nil {
		return CoverageReport{}, err
	}
	return Coverage([]Project{p}, acts, recs, s.k)[0], nil
}

// NoOutcome lists the activities with participants but no outcome once days calendar
// days have passed after their last day (A9; [DefaultOutcomeDays] is the usual days).
// ErrInvalid naming "days" when days is negative.
func (s *ActivityService) NoOutcome(ctx context.Context, days int) ([]OverdueActivity, error) {
	if days < 0 {
		return nil, osallisuus.Invalid("days", osallisuus.CodeOutOfRange)
	}
	now := s.clock.Now()
	acts, err := Collect(s.store.ListActivities(ctx, ActivityFilter{}))
	if err != nil {
		return nil, err
	}
	recs, err := Collect(s.store.ListRecords(ctx, RecordFilter{Status: StatusAttended}))
	if err != nil {
		return nil, err
	}
	outs, err := Collect(s.store.ListOutcomes(ctx, OutcomeFilter{}))
	if err != nil {
		return nil, err
	}
	return NoOutcome(acts, recs, outs, days, now)
}
