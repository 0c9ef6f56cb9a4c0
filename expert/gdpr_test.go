package expert_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/memstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gdprFixture is newFixture with a config of the test's own and a store it may wrap.
func gdprFixture(t *testing.T, st expert.Store, cfg expert.Config) fixture {
	t.Helper()
	now := helsinki(3, 4, 9, 0)
	cfg.Clock = osallisuus.ClockFunc(func() time.Time { return now })
	svc, err := expert.NewService(st, consents(), cfg)
	require.NoError(t, err)
	if err := svc.AddSchedule(t.Context(), workedSchedule()); !errors.Is(err, osallisuus.ErrConflict) {
		require.NoError(t, err) // a second fixture over the same store finds the schedule there
	}
	ms, _ := st.(*memstore.Store)
	return fixture{svc: svc, store: ms, clock: &now}
}

func trainingCheck() expert.Check {
	return expert.Check{Name: expert.CheckTraining, Training: &expert.Training{Course: "course-1", Provider: "provider-1",
		External: true, Hours: 50, CompletedOn: day(1, 20), Recognition: &expert.Recognition{By: "coordinator-1", On: day(1, 25)}}}
}

func TestErasePersonalBlanksATerminalRecordOnce(t *testing.T) {
	now := helsinki(3, 4, 9, 0)
	e := expert.Expert{ID: idOf("A"), State: expert.StateActive, Profile: turkuProfile(),
		Checks: []expert.Check{trainingCheck(), {Name: expert.CheckAgreement, Until: day(12, 31), Version: 2}}}
	_, _, err := e.ErasePersonal(now)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "an active record is retired first")
	assert.NotEmpty(t, e.Profile.Experience, "a refused erasure changes nothing")

	e.State = expert.StateRetired
	e.Profile.Caps = expert.Caps{AssignmentsPerMonth: 3}
	e.Profile.FeeWaived = true
	profile, trainings, err := e.ErasePersonal(now)
	require.NoError(t, err)
	assert.True(t, profile)
	assert.Equal(t, 1, trainings)
	assert.Equal(t, expert.Profile{}, e.Profile, "on request the caps and the fee-waiving choice go too")
	assert.Nil(t, e.Checks[0].Training)
	assert.Equal(t, expert.Check{Name: expert.CheckAgreement, Until: day(12, 31), Version: 2}, e.Checks[1],
		"check names, versions and dates stay")
	assert.Equal(t, now, e.UpdatedAt)

	later := now.Add(time.Hour)
	profile, trainings, err = e.ErasePersonal(later)
	require.NoError(t, err)
	assert.False(t, profile)
	assert.Zero(t, trainings)
	assert.Equal(t, now, e.UpdatedAt, "nothing left to blank: the record is not touched")
}

func TestNewServiceRefusesNegativeRetention(t *testing.T) {
	tests := []struct {
		name  string
		cfg   expert.Config
		field string
	}{
		{"a negative profile retention", expert.Config{ProfileRetention: osallisuus.Period{Days: -1}}, "config.profileRetention"},
		{"a negative accounting retention", expert.Config{AccountingRetention: osallisuus.Period{Years: -6}}, "config.accountingRetention"},
		{"an absurdly long accounting retention", expert.Config{AccountingRetention: osallisuus.Period{Years: 1000}}, "config.accountingRetention"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := expert.NewService(memstore.New(), consents(), tt.cfg)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			var ve *osallisuus.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Problems[0].Field)
		})
	}
}

func TestAccountingUntilIsTheEndOfTheYearPlusTheRetention(t *testing.T) {
	tests := []struct {
		name      string
		retention osallisuus.Period
		payout    expert.Payout
		want      osallisuus.Date
	}{
		{"six years after the payment year by default", osallisuus.Period{},
			expert.Payout{PaymentDate: day(4, 15)}, osallisuus.NewDate(2032, 12, 31)},
		{"a payment on the last day of a year", osallisuus.Period{},
			expert.Payout{PaymentDate: osallisuus.NewDate(2026, 12, 31)}, osallisuus.NewDate(2032, 12, 31)},
		{"the county's own period", osallisuus.Period{Years: 10},
			expert.Payout{PaymentDate: osallisuus.NewDate(2027, 1, 15)}, osallisuus.NewDate(2037, 12, 31)},
		{"the creation year when there is no payment date", osallisuus.Period{},
			expert.Payout{CreatedAt: helsinki(3, 4, 9, 0)}, osallisuus.NewDate(2032, 12, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := gdprFixture(t, memstore.New(), expert.Config{AccountingRetention: tt.retention})
			assert.Equal(t, tt.want, f.svc.AccountingUntil(tt.payout))
		})
	}
}

func TestErasureRetiresACandidateAndWithdrawsAnOfferLaterToday(t *testing.T) {
	f := gdprFixture(t, memstore.New(), expert.Config{})
	ctx := t.Context()
	who, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	c, err := f.svc.Register(ctx, who, expert.ExpertID{})
	require.NoError(t, err)
	_, err = f.svc.SetProfile(ctx, c.ID, 0, turkuProfile(), expert.ActorExpert)
	require.NoError(t, err)

	e := f.active(t, turkuProfile())
	today := f.request(t, helsinki(3, 4, 13, 0), 1)
	a, err := f.svc.Offer(ctx, today.ID, e.ID, false)
	require.NoError(t, err)

	rep, err := f.svc.ErasePersonalData(ctx, who)
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 1}}, rep.Erased)
	assert.Equal(t, []osallisuus.Retained{{Kind: "expert-records", Count: 1, Basis: osallisuus.BasisAggregate}}, rep.Retained)
	got, err := f.svc.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.StateRetired, got.State, "any non-terminal record is retired first")
	assert.Equal(t, day(3, 4), got.RetiredOn)

	rep, err = f.svc.ErasePersonalData(ctx, e.Participant)
	require.NoError(t, err)
	r, err := f.svc.GetRequest(ctx, today.ID)
	require.NoError(t, err)
	require.Len(t, r.Assignments, 1)
	assert.Equal(t, a.ID, r.Assignments[0].ID)
	assert.Equal(t, expert.StatusWithdrawn, r.Assignments[0].Status,
		"an offer for a task later today is withdrawn, though E3's retirement today leaves it")
	assert.Equal(t, []osallisuus.Retained{
		{Kind: "expert-records", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "assignments", Count: 1, Basis: osallisuus.BasisAggregate}}, rep.Retained)
}

func TestErasureReportOfAStrangerIsEmptyJSONLists(t *testing.T) {
	f := gdprFixture(t, memstore.New(), expert.Config{})
	who, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	rep, err := f.svc.ErasePersonalData(t.Context(), who)
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"package":"expert"`)
	assert.Contains(t, string(b), `"erased":[],"retained":[]`)
	rr, err := f.svc.ApplyRetention(t.Context())
	require.NoError(t, err)
	b, err = json.Marshal(rr)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"purged":[]`)
}

// failingStore fails every UpdateExpert inside Atomic, after the step's other writes.
type failingStore struct{ expert.Store }

type failingTx struct{ expert.Tx }

var errBoom = errors.New("boom")

func (s failingStore) Atomic(ctx context.Context, fn func(expert.Tx) error) error {
	return s.Store.Atomic(ctx, func(tx expert.Tx) error { return fn(failingTx{tx}) })
}

func (failingTx) UpdateExpert(context.Context, expert.ExpertID, func(*expert.Expert) error) (expert.Expert, error) {
	return expert.Expert{}, errBoom
}

func TestAFailedErasureLeavesNothingHalfDoneAndARerunFinishes(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	f := gdprFixture(t, st, expert.Config{})
	e := f.active(t, turkuProfile())
	r := f.request(t, helsinki(3, 20, 13, 0), 1)
	a, err := f.svc.Offer(ctx, r.ID, e.ID, false)
	require.NoError(t, err)
	_, err = f.svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{})
	require.NoError(t, err)
	before, err := st.GetRequest(ctx, r.ID)
	require.NoError(t, err)

	broken := gdprFixture(t, failingStore{st}, expert.Config{})
	_, err = broken.svc.ErasePersonalData(ctx, e.Participant)
	require.ErrorIs(t, err, errBoom)
	got, err := st.GetExpert(ctx, e.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.StateActive, got.State, "the failed step saved nothing")
	assert.NotEmpty(t, got.Profile.Experience)
	after, err := st.GetRequest(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, before.Version, after.Version, "the cancellation rolled back with the step")
	assert.Equal(t, expert.StatusAccepted, after.Assignments[0].Status)

	rep, err := f.svc.ErasePersonalData(ctx, e.Participant)
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 1}}, rep.Erased)
	after, err = st.GetRequest(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.StatusCancelledByUnit, after.Assignments[0].Status)
}

func TestRetentionFollowsTheConfiguredPeriodAndKeepsTheCaps(t *testing.T) {
	ctx := t.Context()
	f := gdprFixture(t, memstore.New(), expert.Config{ProfileRetention: osallisuus.Period{Days: 30}})
	e := f.active(t, turkuProfile())
	_, err := f.svc.RecordCheck(ctx, e.ID, trainingCheck())
	require.NoError(t, err)
	p := turkuProfile()
	p.Caps = expert.Caps{AssignmentsPerMonth: 4}
	_, err = f.svc.SetProfile(ctx, e.ID, 0, p, expert.ActorExpert)
	require.NoError(t, err)
	_, err = f.svc.Retire(ctx, e.ID, day(3, 4))
	require.NoError(t, err)

	*f.clock = helsinki(4, 3, 23, 59)
	rep, err := f.svc.ApplyRetention(ctx)
	require.NoError(t, err)
	assert.Empty(t, rep.Purged, "kept through 3 April, the period's last day")

	*f.clock = helsinki(4, 4, 0, 0)
	rep, err = f.svc.ApplyRetention(ctx)
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 1}, {Kind: "training-details", Count: 1}}, rep.Purged)
	got, err := f.svc.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Profile.Experience)
	assert.Empty(t, got.Profile.Travel)
	assert.Equal(t, 4, got.Profile.Caps.AssignmentsPerMonth, "E3 keeps the caps until an erasure on request")

	er, err := f.svc.ErasePersonalData(ctx, e.Participant)
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 1}}, er.Erased,
		"erasure on request still blanks the caps E3 left")
}
