package participation_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

type activityFixture struct {
	ctx    context.Context
	clock  *stepClock
	store  *memstore.Store
	people *participation.Service
	svc    *participation.ActivityService
	county participation.Organisation
	proj   participation.Project
}

// newActivityFixture: participation needs consent ("participation" has the consent
// basis), so the tests can refuse and skip people.
func newActivityFixture(t *testing.T) *activityFixture {
	t.Helper()
	f := &activityFixture{ctx: t.Context(), clock: &stepClock{}, store: memstore.New()}
	f.clock.set("2026-03-01T09:00:00+02:00")
	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact"}, {Name: "participation"}}}
	var err error
	f.people, err = participation.NewService(participation.StoresOf(f.store), policy, participation.Config{Clock: f.clock})
	require.NoError(t, err)
	f.svc, err = participation.NewActivityService(f.store, f.store, f.people, participation.ActivityConfig{Clock: f.clock})
	require.NoError(t, err)
	f.county, err = f.svc.AddOrganisation(f.ctx, participation.Organisation{Sector: participation.SectorPublic})
	require.NoError(t, err)
	f.proj, err = f.svc.AddProject(f.ctx, participation.Project{Organisation: f.county.ID, PlanDate: date(2026, 3, 15)})
	require.NoError(t, err)
	return f
}

func (f *activityFixture) activity(t *testing.T, capacity int) participation.Activity {
	t.Helper()
	a := newActivity(t, capacity)
	a.ID, a.Key, a.Organisation, a.Project, a.End = participation.ActivityID{}, "", f.county.ID, f.proj.ID, osallisuus.Date{}
	a, err := f.svc.CreateActivity(f.ctx, a)
	require.NoError(t, err)
	return a
}

// person registers a customer who, when consenting, grants both purposes globally.
func (f *activityFixture) person(t *testing.T, consenting bool) osallisuus.ParticipantID {
	t.Helper()
	p, err := f.people.Register(f.ctx, participation.Participant{Kind: participation.KindCustomer, BirthDate: date(1980, 1, 1)})
	require.NoError(t, err)
	if consenting {
		for _, purpose := range []string{"contact", "participation"} {
			_, err := f.people.Record(f.ctx, participation.ConsentEvent{At: f.clock.t, Subject: p.ID, By: p.ID,
				Action: participation.Grant, Purpose: purpose, Method: participation.Electronic, NoticeVersion: 1})
			require.NoError(t, err)
		}
	}
	return p.ID
}

func (f *activityFixture) roster(t *testing.T, id participation.ActivityID) participation.Roster {
	t.Helper()
	r, err := f.svc.Roster(f.ctx, id)
	require.NoError(t, err)
	return r
}

func TestNewActivityServiceNamesMissingDependencies(t *testing.T) {
	_, err := participation.NewActivityService(nil, nil, nil, participation.ActivityConfig{Suppression: -1})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"store", "participants", "consent", "config.suppression"}, problemFields(t, err))
}

func TestCreateActivityChecksExistenceThenValues(t *testing.T) {
	f := newActivityFixture(t)
	a := f.activity(t, 2)
	assert.Equal(t, a.Start, a.End, "a zero end is the start: a one-day activity")
	assert.Equal(t, int64(1), a.Version)

	bad := a
	bad.Phase = "design"
	_, err := f.svc.CreateActivity(f.ctx, bad)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "an existing activity is a conflict before its values are checked")
	assert.Equal(t, participation.ReasonExists, reasonOf(t, err))

	bad.ID = participation.ActivityID{}
	bad.End = date(2026, 3, 1)
	_, err = f.svc.CreateActivity(f.ctx, bad)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"phase", "end"}, problemFields(t, err))

	stray := newActivity(t, 0)
	stray.Organisation, stray.Project = f.county.ID, projID(t)
	_, err = f.svc.CreateActivity(f.ctx, stray)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"project"}, problemFields(t, err))
	_, err = f.svc.Activity(f.ctx, stray.ID)
	require.ErrorIs(t, err, osallisuus.ErrNotFound, "a refused activity is not stored")
}

func TestAddOrganisationKeepsUnitsInTheirRootsSector(t *testing.T) {
	f := newActivityFixture(t)
	_, err := f.svc.AddOrganisation(f.ctx, participation.Organisation{Parent: f.county.ID, Sector: participation.SectorThird})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"sector"}, problemFields(t, err))
	_, err = f.svc.AddOrganisation(f.ctx, participation.Organisation{Parent: orgID(t)})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"parent"}, problemFields(t, err))
	unit, err := f.svc.AddOrganisation(f.ctx, participation.Organisation{Parent: f.county.ID, Sector: participation.SectorPublic})
	require.NoError(t, err)
	_, err = f.svc.AddOrganisation(f.ctx, participation.Organisation{Parent: unit.ID})
	require.NoError(t, err, "a unit of a unit is fine")
	_, err = f.svc.AddProject(f.ctx, participation.Project{Organisation: orgID(t)})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"planDate"}, problemFields(t, err), "the project's own fields are checked first")
}

func TestRegisterRefusalsStoreNothing(t *testing.T) {
	f := newActivityFixture(t)
	a := f.activity(t, 1)
	refuser := f.person(t, false)
	_, err := f.svc.Register(f.ctx, a.ID, refuser, participation.RoleCustomer)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	assert.Equal(t, participation.ReasonNoConsent, reasonOf(t, err))
	_, err = f.svc.Register(f.ctx, a.ID, refuser, "visitor")
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"role"}, problemFields(t, err))
	_, err = f.svc.Register(f.ctx, a.ID, pid(t), participation.RoleCustomer)
	require.ErrorIs(t, err, osallisuus.ErrNotFound, "an unregistered person")
	_, err = f.svc.Register(f.ctx, participation.ActivityID{UUID: pid(t).UUID}, refuser, participation.RoleCustomer)
	require.ErrorIs(t, err, osallisuus.ErrNotFound, "an unknown activity")
	assert.Empty(t, f.roster(t, a.ID).Records)

	_, err = f.svc.Invite(f.ctx, a.ID, refuser)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	inv, err := f.svc.Invite(f.ctx, a.ID, f.person(t, true))
	require.NoError(t, err)
	assert.Equal(t, "activity:"+a.ID.String(), inv.Decision.Query.Scope)
	f.clock.set("2026-03-17T00:00:00+02:00")
	_, err = f.svc.Invite(f.ctx, a.ID, f.person(t, true))
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, participation.ReasonEnded, reasonOf(t, err))
}

func TestCancelSkipsWaitlistedPeopleWithoutConsent(t *testing.T) {
	f := newActivityFixture(t)
	a := f.activity(t, 1)
	first, second, third := f.person(t, true), f.person(t, true), f.person(t, true)
	for _, p := range []osallisuus.ParticipantID{first, second, third} {
		_, err := f.svc.Register(f.ctx, a.ID, p, participation.RoleCustomer)
		require.NoError(t, err)
	}
	f.clock.set("2026-03-02T09:00:00+02:00")
	_, err := f.people.Record(f.ctx, participation.ConsentEvent{At: f.clock.t, Subject: second, By: second,
		Action: participation.Withdraw, Purpose: "participation", Method: participation.Electronic})
	require.NoError(t, err)
	f.clock.set("2026-03-03T09:00:00+02:00")
	c, err := f.svc.Cancel(f.ctx, a.ID, first)
	require.NoError(t, err)
	assert.Equal(t, participation.StatusCancelled, c.Record.Status)
	require.Len(t, c.Promoted, 1)
	assert.Equal(t, third, c.Promoted[0].Who, "the person who withdrew is skipped")
	r := f.roster(t, a.ID)
	wait := r.Waitlist()
	require.Len(t, wait, 1)
	assert.Equal(t, second, wait[0].Who, "and keeps their place in the queue")

	_, err = f.svc.Cancel(f.ctx, a.ID, first)
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, osallisuus.Reason("cancelled"), reasonOf(t, err))
}

func TestRecordOutcomeChecksTextThenActivityThenDay(t *testing.T) {
	f := newActivityFixture(t)
	a := f.activity(t, 0)
	_, err := f.svc.RecordOutcome(f.ctx, participation.Outcome{Activity: participation.ActivityID{UUID: pid(t).UUID}, Proposals: []string{" "}})
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "values are checked before the activity is looked up")
	assert.Equal(t, []string{"text", "proposals[0]"}, problemFields(t, err))
	_, err = f.svc.RecordOutcome(f.ctx, participation.Outcome{Activity: participation.ActivityID{UUID: pid(t).UUID}, Text: osallisuus.Text{FI: "x"}})
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
	_, err = f.svc.RecordOutcome(f.ctx, participation.Outcome{Activity: a.ID, Text: osallisuus.Text{FI: "Aukioloajat muuttuivat."}})
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "today (1 March) is before the activity's start")
	assert.Equal(t, []string{"on"}, problemFields(t, err))
	f.clock.set("2026-04-01T09:00:00+03:00")
	o, err := f.svc.RecordOutcome(f.ctx, participation.Outcome{Activity: a.ID, Text: osallisuus.Text{FI: "Aukioloajat muuttuivat."}})
	require.NoError(t, err)
	assert.Equal(t, date(2026, 4, 1), o.On)
	outs, err := f.svc.Outcomes(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Len(t, outs, 1)
}

func TestUpdateActivityKeepsA1AndIdentity(t *testing.T) {
	f := newActivityFixture(t)
	a := f.activity(t, 2)
	up, err := f.svc.UpdateActivity(f.ctx, a.ID, func(x *participation.Activity) error {
		x.Capacity, x.End = 5, date(2026, 3, 20)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, int64(2), up.Version)
	assert.Equal(t, 5, up.Capacity)

	_, err = f.svc.UpdateActivity(f.ctx, a.ID, func(x *participation.Activity) error {
		x.Project, x.Level = participation.ProjectID{}, "shout"
		return nil
	})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"project", "level"}, problemFields(t, err))
	got, err := f.svc.Activity(f.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), got.Version, "a refused update saves nothing")
	assert.Equal(t, participation.LevelInvolve, got.Level)

	p, err := f.svc.UpdateProject(f.ctx, f.proj.ID, func(p *participation.Project) error { p.PlanDate = date(2026, 4, 1); return nil })
	require.NoError(t, err)
	assert.Equal(t, date(2026, 4, 1), p.PlanDate)
	_, err = f.svc.UpdateProject(f.ctx, f.proj.ID, func(p *participation.Project) error { p.PlanDate = osallisuus.Date{}; return nil })
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"planDate"}, problemFields(t, err))
}

func TestCheckRecordingConsentAsksItsOwnPurpose(t *testing.T) {
	f := newActivityFixture(t)
	a := f.activity(t, 0)
	who := f.person(t, true) // granted contact and participation, not recording
	_, err := f.svc.CheckRecordingConsent(f.ctx, a.ID, who, "participation")
	require.NoError(t, err)
	_, err = f.svc.CheckRecordingConsent(f.ctx, a.ID, who, "recording")
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "a purpose the policy does not know")
	_, err = f.svc.CheckRecordingConsent(f.ctx, a.ID, pid(t), "participation")
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
	other := f.person(t, false)
	_, err = f.svc.CheckRecordingConsent(f.ctx, a.ID, other, "contact")
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	assert.Equal(t, participation.ReasonNoConsent, reasonOf(t, err))
}
