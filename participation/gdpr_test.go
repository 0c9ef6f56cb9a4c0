package participation_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// flakyStore fails DeleteAssessment while fail is set, to break an erasure part-way.
type flakyStore struct {
	*memstore.Store
	fail bool
}

func (s *flakyStore) DeleteAssessment(ctx context.Context, id participation.AssessmentID) error {
	if s.fail {
		return errors.New("disk on fire")
	}
	return s.Store.DeleteAssessment(ctx, id)
}

func newGDPRService(t *testing.T, stores participation.Stores, now *time.Time, cfg participation.Config) *participation.Service {
	t.Helper()
	cfg.Clock = osallisuus.ClockFunc(func() time.Time { return *now })
	svc, err := participation.NewService(stores, testPolicy(t), cfg)
	require.NoError(t, err)
	return svc
}

func TestNewServiceRefusesANegativeProofRetention(t *testing.T) {
	_, err := participation.NewService(participation.StoresOf(memstore.New()), testPolicy(t),
		participation.Config{ProofRetention: osallisuus.Period{Years: 1, Days: -1}})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	require.NotNil(t, ve)
	assert.True(t, ve.Has("config.proofRetention"))
}

func TestErasureKeepsTheProofForTheCountysPeriodFromTheHelsinkiDate(t *testing.T) {
	now := at(t, "2026-12-31T22:30:00Z") // 2027-01-01 00:30 in Helsinki
	svc := newGDPRService(t, participation.StoresOf(memstore.New()), &now,
		participation.Config{ProofRetention: osallisuus.Period{Years: 1, Months: 6}})
	p, err := svc.Register(t.Context(), participation.Participant{Kind: participation.KindCustomer, BirthDate: date(1970, 1, 1)})
	require.NoError(t, err)
	_, err = svc.Record(t.Context(), grant(p.ID, p.ID, "contact", at(t, "2026-06-01T12:00:00Z")))
	require.NoError(t, err)
	rep, err := svc.ErasePersonalData(t.Context(), p.ID)
	require.NoError(t, err)
	want := osallisuus.NewDate(2028, 7, 1)
	assert.Contains(t, rep.Retained, osallisuus.Retained{Kind: "consent-events", Count: 1, Basis: osallisuus.BasisConsentProof, Until: want})
	got, err := svc.Participant(t.Context(), p.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got.ProofUntil)

	now = at(t, "2028-07-01T20:59:59Z") // the last second of ProofUntil in Helsinki: still kept
	rr, err := svc.ApplyRetention(t.Context())
	require.NoError(t, err)
	assert.Empty(t, rr.Purged)
	now = at(t, "2028-07-01T21:00:00Z") // 2028-07-02 00:00 in Helsinki
	rr, err = svc.ApplyRetention(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "consent-events", Count: 1}}, rr.Purged)
}

func TestDefaultProofRetentionIsThreeYears(t *testing.T) {
	now := at(t, "2026-06-15T09:00:00Z")
	svc := newGDPRService(t, participation.StoresOf(memstore.New()), &now, participation.Config{})
	p, err := svc.Register(t.Context(), participation.Participant{Kind: participation.KindCustomer, Adult: true})
	require.NoError(t, err)
	_, err = svc.ErasePersonalData(t.Context(), p.ID)
	require.NoError(t, err)
	got, err := svc.Participant(t.Context(), p.ID)
	require.NoError(t, err)
	assert.Equal(t, osallisuus.NewDate(2029, 6, 15), got.ProofUntil)
	assert.Equal(t, osallisuus.Period{Years: 3}, participation.DefaultProofRetention)
}

func TestErasureRunAgainAfterAFailureFinishesTheJob(t *testing.T) {
	now := at(t, "2026-06-01T09:00:00Z")
	store := &flakyStore{Store: memstore.New()}
	stores := participation.Stores{Participants: store, Representations: store, Ledger: store, Activities: store}
	svc := newGDPRService(t, stores, &now, participation.Config{})
	ctx := t.Context()
	staff, err := svc.Register(ctx, participation.Participant{Kind: participation.KindOfficial})
	require.NoError(t, err)
	child, err := svc.Register(ctx, participation.Participant{Kind: participation.KindCustomer, BirthDate: date(2013, 2, 2), Language: "fi"})
	require.NoError(t, err)
	_, err = svc.AddAssessment(ctx, participation.MaturityAssessment{Subject: child.ID, By: staff.ID,
		At: at(t, "2026-05-01T09:00:00Z"), Purposes: []string{"experience-data"}})
	require.NoError(t, err)

	store.fail = true
	_, err = svc.ErasePersonalData(ctx, child.ID)
	require.ErrorContains(t, err, "disk on fire")
	marked, err := svc.Participant(ctx, child.ID)
	require.NoError(t, err)
	assert.True(t, marked.Erased(), "the person is marked first, so nothing new is accepted meanwhile")

	store.fail = false
	rep, err := svc.ErasePersonalData(ctx, child.ID)
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "assessments", Count: 1}}, rep.Erased,
		"the re-run deletes what the failed run left; the attributes were blanked already")
	left, err := participation.Collect(store.Assessments(ctx, child.ID))
	require.NoError(t, err)
	assert.Empty(t, left)
}

func TestExportAndErasureWithoutActivityRecords(t *testing.T) {
	now := at(t, "2026-06-01T09:00:00Z")
	store := memstore.New()
	svc := newGDPRService(t, participation.Stores{Participants: store, Representations: store, Ledger: store}, &now, participation.Config{})
	p, err := svc.Register(t.Context(), participation.Participant{Kind: participation.KindCustomer, Adult: true})
	require.NoError(t, err)
	d, err := svc.ExportPersonalData(t.Context(), p.ID)
	require.NoError(t, err)
	assert.NotNil(t, d.ActivityRecords)
	assert.Empty(t, d.ActivityRecords)
	rep, err := svc.ErasePersonalData(t.Context(), p.ID)
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "participant-attributes", Count: 1}}, rep.Erased)
	assert.Equal(t, []osallisuus.Retained{{Kind: "participant", Count: 1, Basis: osallisuus.BasisAggregate}}, rep.Retained)
}

func TestStoresOfFindsTheActivityRecords(t *testing.T) {
	store := memstore.New()
	assert.Equal(t, participation.ActivityRecords(store), participation.StoresOf(store).Activities)
}

func TestErasedRefusalIsLocalized(t *testing.T) {
	now := at(t, "2026-06-01T09:00:00Z")
	svc := newGDPRService(t, participation.StoresOf(memstore.New()), &now, participation.Config{})
	p, err := svc.Register(t.Context(), participation.Participant{Kind: participation.KindCustomer, Adult: true})
	require.NoError(t, err)
	_, err = svc.ErasePersonalData(t.Context(), p.ID)
	require.NoError(t, err)
	_, err = svc.Record(t.Context(), grant(p.ID, p.ID, "contact", now))
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	assert.Contains(t, osallisuus.Localize(err, language.Finnish), "henkilön tiedot on poistettu")
	assert.Contains(t, osallisuus.Localize(err, language.Swedish), "personens uppgifter har raderats")
}

func TestErasureMarkerJSONIsCamelCaseAndOmittedWhenZero(t *testing.T) {
	p := participation.Participant{ID: pid(t), Kind: participation.KindCustomer, Version: 2,
		ErasedAt: at(t, "2026-06-01T09:00:00Z"), ProofUntil: date(2029, 6, 1), AnonymisedRecords: 2}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"erasedAt":"2026-06-01T09:00:00Z","proofUntil":"2029-06-01","anonymisedRecords":2`)
	p.ErasedAt, p.ProofUntil, p.AnonymisedRecords = time.Time{}, osallisuus.Date{}, 0
	b, err = json.Marshal(p)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "erased")
	assert.NotContains(t, string(b), "proofUntil")
}

func TestRegisterRefusesAParticipantCarryingTheErasureMarker(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Register(t.Context(), participation.Participant{Kind: participation.KindCustomer,
		ErasedAt: at(t, "2026-06-01T09:00:00Z"), ProofUntil: date(2029, 6, 1), AnonymisedRecords: 1})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	require.NotNil(t, ve)
	assert.True(t, ve.Has("erasedAt"))
	assert.True(t, ve.Has("proofUntil"))
	assert.True(t, ve.Has("anonymisedRecords"))
	n := 0
	for _, err := range f.store.ListParticipants(t.Context(), participation.ParticipantFilter{Erased: true}) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n, "nothing stored")
}
