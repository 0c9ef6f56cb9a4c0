package expert_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/require"
)

// Match computes cap levels on a fast path; the public methods that the fees and the
// service use must give the same warnings for every candidate.
func TestMatchCapWarningsAgreeWithTheExpertMethods(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, payroll := range []expert.Payroll{{}, {DayOfMonth: 31, MonthsAfter: 0}, {DayOfMonth: 1, MonthsAfter: 2}, {DayOfMonth: 28, MonthsAfter: 13}} {
		in := benchInput(300)
		in.Settings.Payroll = payroll
		in.Settings.CountExpensesTowardCap = rng.IntN(2) == 0
		in.Request.Start = helsinki(time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 10, 0)
		in.Now = in.Request.Start.Add(-time.Hour)
		for i := range in.Candidates {
			e := &in.Candidates[i].Expert
			e.Profile.Caps = expert.Caps{Basis: expert.CapBasis(rng.IntN(2)), AssignmentsPerMonth: rng.IntN(4),
				WarnAtPercent: rng.IntN(101),
				Earnings: []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 1 + rng.Int64N(40000)},
					{Period: expert.PeriodYear, Cents: 1 + rng.Int64N(200000)}}}
			e.Profile.FeeWaived = rng.IntN(5) == 0
			if rng.IntN(4) == 0 {
				e.Profile.Travel = map[string]expert.Travel{"turku": {Minutes: rng.IntN(90), Km: rng.IntN(50), Vehicle: []string{"", "car", "boat"}[rng.IntN(3)]}}
			}
			e.Totals = map[string]int64{"2026-03": rng.Int64N(10000), "2026": rng.Int64N(50000)}
			for j := range e.Commitments {
				c := &e.Commitments[j]
				c.Start = osallisuus.NewDate(2025+rng.IntN(2), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)).Time(rng.IntN(24), 0)
				c.Status = []expert.AssignmentStatus{expert.StatusAccepted, expert.StatusDone, expert.StatusPaid, expert.StatusDeclined}[rng.IntN(4)]
				c.TaskType = []string{"talk", "supervision"}[rng.IntN(2)]
				c.FeeCents = rng.Int64N(20000)
				if rng.IntN(3) == 0 {
					c.PaymentDate = osallisuus.NewDate(2026, time.Month(1+rng.IntN(12)), 15)
				}
			}
		}
		xs, err := expert.Match(in)
		require.NoError(t, err)
		byKey := map[string]expert.Explanation{}
		for _, x := range xs {
			byKey[x.Key] = x
		}
		pay := payroll.PaymentDate(in.Request.Date())
		for _, c := range in.Candidates {
			x := byKey[c.Key]
			e := c.Expert
			var want []expert.CapWarning
			if w, ok := e.AssignmentWarning(in.Request.Date(), in.Request.ID); ok {
				want = append(want, w)
			}
			basis := expert.FeeBasisDate(e.Profile.Caps, payroll, in.Request.Start, pay)
			want = append(want, e.EarningsWarnings(basis, x.ProjectedCents, payroll, in.Request.ID)...)
			require.Equal(t, want, x.CapWarnings, "candidate %s with payroll %+v", c.Key, payroll)
			require.Equal(t, projection(t, in, e), x.ProjectedCents, "candidate %s: M7 projection", c.Key)
		}
	}
}

// projection prices the request for e as M7 says, through the public pricing.
func projection(t *testing.T, in expert.MatchInput, e expert.Expert) int64 {
	r := in.Request
	w := expert.Work{TaskType: r.TaskType, Start: r.Start, Minutes: r.Minutes, PreparationMinutes: r.PreparationMinutes,
		GrantedPreparationMinutes: r.PreparationMinutes, FeeWaived: e.Profile.FeeWaived}
	sc, ok := in.Schedules.InForce(r.Date())
	require.True(t, ok)
	if est, ok := e.Profile.Travel[r.Location]; ok && r.Location != expert.RemoteLocation {
		w.Travel = expert.Travel{Minutes: 2 * est.Minutes, Km: 2 * est.Km, Vehicle: est.Vehicle}
		v := est.Vehicle
		if v == "" {
			v = "car"
		}
		if _, ok := sc.MileageCentsPerKm[v]; !ok {
			w.Travel.Km = 0
		}
	}
	fee, err := expert.PriceWith(sc, w, in.Settings.CountExpensesTowardCap)
	require.NoError(t, err)
	return fee.CapCents()
}

func TestMatchProjectionCountsExpensesWhenConfigured(t *testing.T) {
	in := workedInput()
	in.Settings.CountExpensesTowardCap = true
	xs, err := expert.Match(in)
	require.NoError(t, err)
	for _, x := range xs {
		if x.Key == "F" {
			require.Equal(t, int64(11000+2*18*57), x.ProjectedCents, "fee lines plus mileage; no meal under 360 minutes")
		}
	}
}
