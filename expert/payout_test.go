package expert_test

import (
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func overrunPayout(t *testing.T) expert.Payout {
	t.Helper()
	fee, err := expert.Price(expert.Schedules{workedSchedule()}, workedWork(300), false)
	require.NoError(t, err)
	p := expert.PayoutFor(expert.PayoutID{}, idOf("F"), expert.RequestID{}, expert.AssignmentID{}, fee, day(4, 15), helsinki(3, 10, 18, 0))
	p.CapDecisionNeeded = true
	return p
}

func TestDecidePayoutContinuesTheWorkedExample(t *testing.T) {
	now := helsinki(3, 11, 9, 0)
	tests := []struct {
		name     string
		choice   expert.Choice
		wantFee  int64
		wantCuts []bool
	}{
		{"acknowledging pays 18,000", expert.ChoiceAcknowledgeExceed, 18000, []bool{false, false, false}},
		{"limiting to the cap pays 14,000 and waives 4,000", expert.ChoiceLimitFeeToCap, 14000, []bool{true, true, true}},
		{"waiving pays no fee", expert.ChoiceWaiveFee, 0, []bool{true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := overrunPayout(t)
			require.NoError(t, expert.DecidePayout(&p, tt.choice, expert.ActorExpert, 30000-16000, now))
			assert.Equal(t, tt.wantFee, p.FeeCents)
			assert.Equal(t, int64(2452), p.ExpenseCents, "expenses are paid in every case")
			assert.False(t, p.CapDecisionNeeded)
			require.NotNil(t, p.Decision)
			assert.Equal(t, tt.choice, p.Decision.Choice)
			for i, cut := range tt.wantCuts {
				assert.Equal(t, cut, p.Lines[i].Waived, "line %d", i)
			}
			var sum int64
			for _, l := range p.Lines {
				require.GreaterOrEqual(t, l.Cents, int64(0))
				sum += l.Cents
			}
			assert.Equal(t, sum, p.FeeCents+p.ExpenseCents, "a payout's total equals the sum of its lines (X7)")
		})
	}
}

func TestDecidePayoutRefuses(t *testing.T) {
	p := overrunPayout(t)
	err := expert.DecidePayout(&p, expert.ChoiceAcknowledgeExceed, expert.ActorCoordinator, 0, helsinki(3, 11, 9, 0))
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	p.State = expert.PayoutApproved
	err = expert.DecidePayout(&p, expert.ChoiceAcknowledgeExceed, expert.ActorExpert, 0, helsinki(3, 11, 9, 0))
	require.ErrorIs(t, err, osallisuus.ErrConflict)
}

func TestServicePayoutFlow(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	p := turkuProfile()
	p.Caps.Earnings = []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 30000}}
	e := f.active(t, p)
	_, err := f.store.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
		x.Totals = map[string]int64{"2026-04": 16000}
		return nil
	})
	require.NoError(t, err)
	r := f.request(t, helsinki(3, 10, 13, 0), 1)
	a, err := f.svc.Offer(ctx, r.ID, e.ID, false)
	require.NoError(t, err)
	a, err = f.svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{})
	require.NoError(t, err)
	require.Len(t, a.Warnings, 1, "27,000 of 30,000 comes back as a warning (E14)")
	assert.Equal(t, expert.CapApproaching, a.Warnings[0].Level)

	*f.clock = helsinki(3, 10, 19, 0)
	act := expert.Actuals{Minutes: 300, PreparationMinutes: 60, Travel: expert.Travel{Minutes: 50, Km: 36},
		Receipts: []expert.Receipt{{Kind: expert.LineParking, Cents: 400}}}
	done, payout, err := f.svc.Complete(ctx, r.ID, a.ID, act)
	require.NoError(t, err)
	assert.Equal(t, expert.StatusDone, done.Status, "the work happened: done even over the cap (E15)")
	assert.Equal(t, int64(18000), payout.FeeCents)
	assert.True(t, payout.CapDecisionNeeded)
	require.Len(t, payout.Warnings, 1)
	assert.Equal(t, expert.CapExceeds, payout.Warnings[0].Level, "34,000 of 30,000 comes back with the payout")

	_, err = f.svc.ApprovePayout(ctx, payout.ID)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "nothing is paid before the expert decides")
	payout, err = f.svc.DecidePayout(ctx, payout.ID, expert.ChoiceLimitFeeToCap, expert.ActorExpert)
	require.NoError(t, err)
	assert.Equal(t, int64(14000), payout.FeeCents)
	payout, err = f.svc.ApprovePayout(ctx, payout.ID)
	require.NoError(t, err)
	replacement, err := f.svc.VoidPayout(ctx, payout.ID, "wrong-travel")
	require.NoError(t, err)
	voided, err := f.store.GetPayout(ctx, payout.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.PayoutVoided, voided.State)
	assert.Equal(t, replacement.ID, voided.ReplacedBy, "voided and replaced, never edited (E16)")
	assert.Equal(t, voided.Lines, replacement.Lines)
	_, err = f.svc.VoidPayout(ctx, payout.ID, "again")
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	payout, err = f.svc.ApprovePayout(ctx, replacement.ID)
	require.NoError(t, err)
	payout, err = f.svc.PayPayout(ctx, payout.ID, day(4, 15))
	require.NoError(t, err)
	assert.Equal(t, expert.PayoutPaid, payout.State)

	req, err := f.svc.GetRequest(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, expert.StatusPaid, req.Assignments[0].Status)
	totals, err := f.svc.Totals(ctx, e.ID, 2026)
	require.NoError(t, err)
	assert.Equal(t, expert.PeriodTotals{Period: "2026-04", Paid: 30000}, totals[3], "16,000 imported + 14,000 paid")

	_, err = f.svc.RecordImpact(ctx, r.ID, a.ID, expert.Impact{Outputs: []expert.ImpactOutput{{Kind: expert.OutputPeopleReached, Count: 24}}, UnitRating: 5})
	require.NoError(t, err)
	_, err = f.svc.RecordImpact(ctx, r.ID, a.ID, expert.Impact{UnitRating: 6})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	req, _ = f.svc.GetRequest(ctx, r.ID)
	assert.Empty(t, expert.MissingImpact(req, 7, helsinki(3, 30, 9, 0)))
}

func TestSessionsArePaidOnlyWhenPriced(t *testing.T) {
	f := newFixture(t, consents())
	ctx := t.Context()
	e := f.active(t, turkuProfile())
	_, payout, err := f.svc.RecordSession(ctx, expert.Session{Expert: e.ID, Kind: expert.SessionSupervision, Date: day(3, 5), Minutes: 90})
	require.NoError(t, err)
	assert.True(t, payout.ID.IsZero(), "supervision is unpaid in the worked schedule")

	priced := workedSchedule()
	priced.ID, priced.ValidFrom = "2026b", day(3, 1)
	priced.Rates["debrief"] = expert.Rate{Basis: expert.RateHourly, CentsPerHour: 2000}
	require.NoError(t, f.svc.AddSchedule(ctx, priced))
	_, payout, err = f.svc.RecordSession(ctx, expert.Session{Expert: e.ID, Kind: expert.SessionDebrief, Date: day(3, 6), Minutes: 60})
	require.NoError(t, err)
	assert.Equal(t, int64(2000), payout.FeeCents)
	got, err := f.svc.Get(ctx, e.ID)
	require.NoError(t, err)
	assert.Len(t, got.Commitments, 1, "the paid debrief counts toward fee caps")

	_, _, err = f.svc.RecordSession(ctx, expert.Session{Expert: e.ID, Kind: expert.SessionDebrief, Date: day(3, 6), Minutes: 0})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
}
