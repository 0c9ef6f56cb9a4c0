package participation_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

type fixture struct {
	svc   *participation.Service
	store *memstore.Store
	child participation.Participant
	adult participation.Participant
	staff participation.Participant
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	store := memstore.New()
	clock := osallisuus.FixedClock(at(t, "2026-05-01T12:00:00+03:00"))
	svc, err := participation.NewService(participation.StoresOf(store), testPolicy(t), participation.Config{Clock: clock})
	require.NoError(t, err)
	f := fixture{svc: svc, store: store}
	f.child, err = svc.Register(t.Context(), participation.Participant{Kind: participation.KindCustomer, BirthDate: date(2014, 3, 3)})
	require.NoError(t, err)
	f.adult, err = svc.Register(t.Context(), participation.Participant{Kind: participation.KindRelative, BirthDate: date(1985, 7, 7)})
	require.NoError(t, err)
	f.staff, err = svc.Register(t.Context(), participation.Participant{Kind: participation.KindOfficial})
	require.NoError(t, err)
	return f
}

func (f fixture) events(t *testing.T, subject osallisuus.ParticipantID) []participation.ConsentEvent {
	t.Helper()
	evs, err := participation.Collect(f.store.Events(t.Context(), subject))
	require.NoError(t, err)
	return evs
}

func TestRegisterAssignsIDVersionAndTime(t *testing.T) {
	f := newFixture(t)
	assert.False(t, f.child.ID.IsZero())
	assert.EqualValues(t, 1, f.child.Version)
	assert.True(t, f.child.CreatedAt.Equal(at(t, "2026-05-01T12:00:00+03:00")))
	_, err := f.svc.Register(t.Context(), participation.Participant{Kind: "visitor", Language: "de"})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	require.NotNil(t, ve)
	assert.True(t, ve.Has("kind"))
	assert.True(t, ve.Has("language"))
	_, err = f.svc.Register(t.Context(), f.child)
	require.ErrorIs(t, err, osallisuus.ErrConflict)
}

func TestRecordStoresAcceptedEventsWithAuthority(t *testing.T) {
	f := newFixture(t)
	rep, err := f.svc.AddRepresentation(t.Context(), participation.Representation{
		Representative: f.adult.ID, Subject: f.child.ID, Kind: participation.Guardian})
	require.NoError(t, err)
	ev, err := f.svc.Record(t.Context(), grant(f.child.ID, f.adult.ID, "contact", at(t, "2026-04-20T10:00:00+03:00")))
	require.NoError(t, err)
	assert.False(t, ev.ID.IsZero())
	assert.Positive(t, ev.Seq)
	assert.Equal(t, participation.Authority{Kind: participation.AuthorityGuardian, Ref: rep.ID.UUID}, ev.Authority)
	assert.True(t, ev.RecordedAt.Equal(at(t, "2026-05-01T12:00:00+03:00")))
	d, err := f.svc.CheckConsent(t.Context(), participation.ConsentQuery{Subject: f.child.ID, Purpose: "contact",
		Scope: "panel:family-forum", At: at(t, "2026-05-01T12:00:00+03:00")})
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, ev.ID, d.Event.ID, "the decision names the deciding event")
	assert.Equal(t, participation.AuthorityGuardian, d.Event.Authority.Kind)
}

func TestRecordRejectedEventStoresNothing(t *testing.T) {
	f := newFixture(t)
	stranger := pid(t)
	_, err := f.svc.Record(t.Context(), grant(f.child.ID, stranger, "contact", at(t, "2026-04-20T10:00:00+03:00")))
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	re, ok := errors.AsType[*osallisuus.RuleError](err)
	require.True(t, ok)
	assert.Equal(t, []osallisuus.Reason{participation.ReasonNotAuthorized}, re.Reasons)

	bad := grant(f.child.ID, f.child.ID, "marketing", at(t, "2026-04-20T10:00:00+03:00"))
	bad.NoticeVersion = 0
	_, err = f.svc.Record(t.Context(), bad)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	require.NotNil(t, ve)
	assert.True(t, ve.Has("purpose"))
	assert.True(t, ve.Has("noticeVersion"))

	_, err = f.svc.Record(t.Context(), grant(stranger, stranger, "contact", at(t, "2026-04-20T10:00:00+03:00")))
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, _ = errors.AsType[*osallisuus.ValidationError](err)
	require.NotNil(t, ve)
	assert.Equal(t, []osallisuus.Problem{{Field: "subject", Code: osallisuus.CodeUnknown}}, ve.Problems)

	assert.Empty(t, f.events(t, f.child.ID), "rejected events are not stored")
	assert.Empty(t, f.events(t, stranger))
}

func TestCheckConsentRefusesUnknownSubjects(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.CheckConsent(t.Context(), participation.ConsentQuery{Subject: pid(t), Purpose: "contact", At: at(t, "2026-05-01T12:00:00+03:00")})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	_, err = f.svc.CheckConsent(t.Context(), participation.ConsentQuery{Subject: pid(t), Purpose: "statistics", At: at(t, "2026-05-01T12:00:00+03:00")})
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "even for a public-task purpose")
	d, err := f.svc.CheckConsent(t.Context(), participation.ConsentQuery{Subject: f.child.ID, Purpose: "statistics", At: at(t, "2026-05-01T12:00:00+03:00")})
	require.NoError(t, err)
	assert.Equal(t, participation.ReasonNotRequired, d.Reason)
}

func TestAddRepresentationValidates(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name  string
		rep   participation.Representation
		field string
	}{
		{"until before from is invalid", participation.Representation{Representative: f.adult.ID, Subject: f.child.ID,
			Kind: participation.Guardian, From: date(2026, 5, 1), Until: date(2026, 4, 30)}, "until"},
		{"an unknown subject is invalid", participation.Representation{Representative: f.adult.ID, Subject: pid(t), Kind: participation.Proxy}, "subject"},
		{"an unknown representative is invalid", participation.Representation{Representative: pid(t), Subject: f.child.ID, Kind: participation.Proxy}, "representative"},
		{"nobody represents themselves", participation.Representation{Representative: f.child.ID, Subject: f.child.ID, Kind: participation.Proxy}, "representative"},
		{"an unknown kind is invalid", participation.Representation{Representative: f.adult.ID, Subject: f.child.ID, Kind: "friend"}, "kind"},
		{"an unknown trustee scope is invalid", participation.Representation{Representative: f.adult.ID, Subject: f.child.ID,
			Kind: participation.Trustee, Scopes: []participation.TrusteeScope{"medical"}}, "scopes[0]"},
		{"an unknown purpose is invalid", participation.Representation{Representative: f.adult.ID, Subject: f.child.ID,
			Kind: participation.Proxy, Purposes: []string{"contact", "marketing"}}, "purposes[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.AddRepresentation(t.Context(), tt.rep)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, _ := errors.AsType[*osallisuus.ValidationError](err)
			require.NotNil(t, ve)
			assert.True(t, ve.Has(tt.field), "%v", ve)
		})
	}
	reps, err := participation.Collect(f.store.Representations(t.Context(), f.child.ID))
	require.NoError(t, err)
	assert.Empty(t, reps, "nothing is stored for rejected representations")
}

func TestAddAssessmentNeedsStaff(t *testing.T) {
	f := newFixture(t)
	a := participation.MaturityAssessment{Subject: f.child.ID, By: f.adult.ID, At: at(t, "2026-04-01T09:00:00+03:00"),
		Purposes: []string{"experience-data"}}
	_, err := f.svc.AddAssessment(t.Context(), a)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	a.By = f.staff.ID
	a.Until = date(2026, 3, 31)
	_, err = f.svc.AddAssessment(t.Context(), a)
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "until before the assessment's day")
	a.Until = date(2027, 3, 31)
	stored, err := f.svc.AddAssessment(t.Context(), a)
	require.NoError(t, err)
	ev := grant(f.child.ID, f.child.ID, "experience-data", at(t, "2026-04-02T09:00:00+03:00"))
	got, err := f.svc.Record(t.Context(), ev)
	require.NoError(t, err)
	assert.Equal(t, participation.Authority{Kind: participation.AuthoritySelfMature, Ref: stored.ID.UUID}, got.Authority)
}

func TestNewServiceRefusesAnInvalidPolicy(t *testing.T) {
	_, err := participation.NewService(participation.StoresOf(memstore.New()),
		&participation.Policy{Purposes: []participation.Purpose{{Name: "contact", MaxDuration: "P1.5Y"}}}, participation.Config{})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	require.NotNil(t, ve)
	assert.True(t, ve.Has("policy.purposes[0].maxDuration"))
	_, err = participation.NewService(participation.Stores{}, nil, participation.Config{})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
}
