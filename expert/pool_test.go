package expert_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomInput builds a request and n candidates that exercise every filter, key and
// warning: states and pauses, lapsing and expiring checks under a policy, experience
// perspectives, case-mixed languages, remote work, grids and ranges, preferences,
// conflicts, commitments of every status (some for the request itself), caps, totals
// and travel.
func randomInput(rng *rand.Rand, n int) expert.MatchInput {
	in := workedInput()
	in.Candidates = make([]expert.Candidate, n)
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	in.Request.Location = pick("turku", "turku", "turku", "kaarina", "remote", "vaasa")
	in.Request.Language = pick("fi", "FI", "sv", "fi", "sv-FI")
	in.Request.TaskType = pick("workshop", "talk", "staff-training", "supervision")
	in.Request.Start = helsinki(time.Month(2+rng.IntN(10)), 1+rng.IntN(28), rng.IntN(24), 15*rng.IntN(4))
	in.Request.Minutes = 30 + rng.IntN(600)
	in.Now = in.Request.Start.Add(-time.Duration(1+rng.IntN(1000)) * time.Hour)
	in.Request.Needed, in.Request.Reserve = 1+rng.IntN(4), rng.IntN(3)
	in.Request.ConflictCheck = rng.IntN(2) == 0
	in.Request.Experience = [][]string{nil, {"family-services"}, {"family-services", "child-protection"}}[rng.IntN(3)]
	in.Request.Perspective = expert.Perspective(rng.IntN(3))
	in.Request.PerspectiveRequired = in.Request.Perspective != 0 && rng.IntN(2) == 0
	in.IncludeOverCap = rng.IntN(2) == 0
	in.Settings.CountExpensesTowardCap = rng.IntN(3) == 0
	in.Settings.Payroll = []expert.Payroll{{}, {DayOfMonth: 31}, {DayOfMonth: 1, MonthsAfter: 2}}[rng.IntN(3)]
	in.Settings.WindowDays = []int{0, 30, 400}[rng.IntN(3)]
	in.Settings.CheckWarningDays = []int{0, 5, 200}[rng.IntN(3)]
	if rng.IntN(3) == 0 {
		in.Settings.Checks = expert.CheckPolicy{Required: []string{"agreement", "custom:extract", "training"},
			MinAgreementVersion: rng.IntN(3), TrainingValidMonths: rng.IntN(2) * 12}
	}
	if rng.IntN(4) == 0 {
		in.Schedules = nil
	}
	other := []expert.RequestID{{UUID: uuid.New()}, {UUID: uuid.New()}, in.Request.ID}
	areas := []string{"turku", "kaarina", "raisio"}
	codes := []string{"family-services", "child-protection", "mental-health"}
	// Nanoseconds in half the inputs: ranking keys with them take more than 64 bits, so
	// both ways of sorting run.
	nanos := rng.IntN(2)
	spread := []int{24 * 100, 30}[rng.IntN(2)] // hours either side of the task
	instant := func() time.Time {
		return helsinki(time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0).AddDate(rng.IntN(2)-1, 0, 0).
			Add(time.Duration(nanos*rng.IntN(3)) * time.Nanosecond)
	}
	date := func() osallisuus.Date { return osallisuus.DateOf(instant()) }
	for i := range in.Candidates {
		key := fmt.Sprintf("%c%03d", 'A'+rng.IntN(26), rng.IntN(1000))
		e := expert.Expert{ID: idOf(key), State: expert.State(1 + rng.IntN(6))}
		if rng.IntN(5) != 0 {
			e.State = expert.StateActive
		}
		if e.State == expert.StatePaused {
			e.PauseReason = expert.PauseReason(rng.IntN(3))
			switch rng.IntN(3) {
			case 0:
				e.PausedUntil = date()
			case 1:
				e.PausedUntil = in.Request.Date().AddDays(rng.IntN(3) - 1)
			}
		}
		for _, name := range []string{"training", "agreement", "confidentiality", "consent:expert-profile", "custom:extract", "agreement"} {
			if rng.IntN(30) == 0 {
				continue
			}
			c := expert.Check{Name: name, Version: rng.IntN(3)}
			if rng.IntN(6) == 0 {
				c.Until = date().AddDays(rng.IntN(900))
			}
			if rng.IntN(6) == 0 {
				c.ExpiresAt = instant().AddDate(0, rng.IntN(30), 0)
			}
			if name == "training" && rng.IntN(2) == 0 {
				c.Training = &expert.Training{External: rng.IntN(2) == 0, CompletedOn: date()}
				if rng.IntN(2) == 0 {
					c.Training.Recognition = &expert.Recognition{By: "x"}
				}
			}
			e.Checks = append(e.Checks, c)
		}
		p := &e.Profile
		for range 1 + rng.IntN(2) {
			p.Experience = append(p.Experience, exp(codes[rng.IntN(3)], expert.Perspective(1+rng.IntN(2))))
		}
		p.Languages = []string{pick("fi", "Fi", "sv", "sv-FI", "en"), pick("fi", "sv")}
		p.Areas = []string{areas[rng.IntN(3)], "turku"}
		p.Remote = rng.IntN(2) == 0
		if rng.IntN(3) == 0 {
			p.Weekly = expert.Weekly(rng.Uint32() & (1<<21 - 1))
		}
		if rng.IntN(8) == 0 {
			from := in.Request.Date().AddDays(rng.IntN(5) - 2)
			p.Unavailable = []osallisuus.DateRange{{From: from, Until: from.AddDays(rng.IntN(60))}}
		}
		if rng.IntN(2) == 0 {
			p.Preferences = map[string]expert.Preference{pick("workshop", "talk"): expert.Preference(rng.IntN(4))}
		}
		if rng.IntN(2) == 0 {
			p.Caps = expert.Caps{Basis: expert.CapBasis(rng.IntN(2)), AssignmentsPerMonth: rng.IntN(3), WarnAtPercent: rng.IntN(101)}
			for range rng.IntN(3) {
				p.Caps.Earnings = append(p.Caps.Earnings, expert.EarningsCap{Period: expert.CapPeriod(rng.IntN(3)), Cents: 1 + rng.Int64N(40000)})
			}
		}
		p.FeeWaived = rng.IntN(5) == 0
		if rng.IntN(2) == 0 {
			p.Travel = map[string]expert.Travel{pick("turku", "vaasa"): {Minutes: rng.IntN(90), Km: rng.IntN(50), Vehicle: pick("", "car", "boat")}}
		}
		if rng.IntN(2) == 0 {
			d := in.Request.Date()
			e.Totals = map[string]int64{expert.PeriodMonth.Key(d): rng.Int64N(20000), expert.PeriodYear.Key(d): rng.Int64N(90000)}
		}
		for range rng.IntN(6) {
			start := in.Request.Start.Add(time.Duration(rng.IntN(2*spread)-spread)*time.Hour + time.Duration(nanos*rng.IntN(2)))
			if rng.IntN(4) == 0 {
				start = in.Request.Start.Add(time.Duration(rng.IntN(600)-300) * time.Minute)
			}
			cm := expert.Commitment{Request: other[[3]int{2, 0, 1}[min(rng.IntN(12), 2)]], TaskType: pick("talk", "workshop", "supervision"),
				Status: expert.AssignmentStatus(1 + rng.IntN(9)), Start: start, Minutes: 30 + rng.IntN(300), FeeCents: rng.Int64N(20000)}
			if rng.IntN(3) == 0 {
				cm.PaymentDate = date()
			}
			e.Commitments = append(e.Commitments, cm)
		}
		c := expert.Candidate{Key: key, Expert: e, Conflict: rng.IntN(4) == 0}
		if rng.IntN(6) == 0 {
			c.Checks = append(append([]expert.Check(nil), e.Checks...), expert.Check{Name: "consent:expert-profile", ExpiresAt: instant()})
		}
		in.Candidates[i] = c
	}
	return in
}

// The pool must give exactly what the matching code before it gave (the oracle).
func TestPoolAgreesWithTheReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 400 {
		in := randomInput(rng, 1+rng.IntN(40))
		want, werr := expert.RefMatch(in)
		got, gerr := expert.Match(in)
		require.Equal(t, werr, gerr, "round %d", round)
		require.Equal(t, want, got, "round %d", round)
	}
}

func TestPoolMatchGivesMatchsExplanations(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	in := randomInput(rng, 200)
	in.Settings.Checks = expert.CheckPolicy{}
	want, err := expert.Match(in)
	require.NoError(t, err)
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	req := in
	req.Candidates = nil
	m, err := pool.Match(req)
	require.NoError(t, err)
	require.Equal(t, len(want), m.Len())
	for j := range want {
		v := m.Verdict(j)
		assert.Equal(t, want[j].Key, in.Candidates[v.Candidate].Key)
		assert.Equal(t, want[j].Included, v.Included)
		assert.Equal(t, want[j].Reasons, v.Reasons)
		assert.Equal(t, want[j].Warnings, v.Warnings)
		assert.Equal(t, want[j].Rank, m.Rank(j))
		assert.Equal(t, want[j].Proposed, m.Proposed(j))
		assert.Equal(t, want[j], m.Explanation(j))
	}
	assert.Equal(t, len(m.Included())+len(m.Excluded()), m.Len())

	var again expert.Matching
	require.NoError(t, pool.MatchInto(&again, req))
	require.NoError(t, pool.MatchInto(&again, req), "a Matching is reused")
	assert.Equal(t, want, again.AppendExplanations(nil))
}

func TestPoolMatchConflictsOverrideTheCandidates(t *testing.T) {
	in := workedInput()
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	req := in
	req.Candidates = nil
	req.Conflicts = make([]bool, len(in.Candidates)) // another unit: nobody conflicts
	m, err := pool.Match(req)
	require.NoError(t, err)
	assert.Equal(t, "E", in.Candidates[m.Verdict(0).Candidate].Key, "E ranks first without the conflict")
	req.Conflicts[1] = true // B
	m, err = pool.Match(req)
	require.NoError(t, err)
	for _, v := range m.Excluded() {
		if in.Candidates[v.Candidate].Key == "B" {
			assert.Equal(t, expert.FailConflict, v.Reasons)
			return
		}
	}
	t.Fatal("B is not excluded")
}

func TestPoolMatchRefusesAMismatchedInput(t *testing.T) {
	in := workedInput()
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	tests := []struct {
		name   string
		change func(*expert.MatchInput)
		field  string
	}{
		{"other candidates than the pool's", func(in *expert.MatchInput) { in.Candidates = workedCandidates() }, "candidates"},
		{"another check policy", func(in *expert.MatchInput) { in.Settings.Checks.Required = []string{"training"} }, "settings.checks"},
		{"conflicts of another length", func(in *expert.MatchInput) { in.Candidates, in.Conflicts = nil, []bool{true} }, "conflicts"},
		{"an invalid request", func(in *expert.MatchInput) { in.Candidates, in.Now = nil, in.Request.Start }, "start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := in
			tt.change(&req)
			m, err := pool.Match(req)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := err.(*osallisuus.ValidationError)
			require.True(t, ok)
			assert.True(t, ve.Has(tt.field), "problems %v", ve.Problems)
			assert.Nil(t, m)
		})
	}
}

// FuzzPoolAgreesWithTheReference runs the pool and the matching code before it on
// random inputs from fuzzed seeds.
func FuzzPoolAgreesWithTheReference(f *testing.F) {
	f.Add(uint64(1), uint64(2), uint8(10))
	f.Add(uint64(7), uint64(0), uint8(1))
	f.Fuzz(func(t *testing.T, a, b uint64, n uint8) {
		in := randomInput(rand.New(rand.NewPCG(a, b)), 1+int(n%50))
		want, werr := expert.RefMatch(in)
		got, gerr := expert.Match(in)
		require.Equal(t, werr, gerr)
		require.Equal(t, want, got)
	})
}

// K4 orders starts to the nanosecond, whether the ranking keys fit one integer (the
// starts close together) or not (one far in the past).
func TestMatchK4ComparesNanoseconds(t *testing.T) {
	for _, far := range []bool{false, true} {
		t.Run(fmt.Sprintf("a start far in the past %v", far), func(t *testing.T) {
			in := workedInput()
			in.Request.ConflictCheck = false
			base := in.Candidates[1] // B: included, load 0
			base.Expert.Commitments = nil
			mk := func(key string, start time.Time) expert.Candidate {
				c := base
				c.Key, c.Expert.ID = key, idOf(key)
				c.Expert.Commitments = []expert.Commitment{{Request: expert.RequestID{UUID: uuid.New()}, TaskType: "talk",
					Status: expert.StatusDone, Start: start, Minutes: 60}}
				return c
			}
			old := helsinki(1, 5, 10, 0).AddDate(-1, 0, 0) // outside the window: load stays 0
			third := old.Add(time.Second)
			if far {
				third = old.AddDate(-150, 0, 0)
			}
			in.Candidates = []expert.Candidate{mk("a", old.Add(2*time.Nanosecond)), mk("b", old.Add(time.Nanosecond)), mk("c", third)}
			xs, err := expert.Match(in)
			require.NoError(t, err)
			want := []string{"b", "a", "c"}
			if far {
				want = []string{"c", "b", "a"}
			}
			var got []string
			for _, x := range xs {
				got = append(got, x.Key)
			}
			assert.Equal(t, want, got, "older last start first")
			ref, err := expert.RefMatch(in)
			require.NoError(t, err)
			assert.Equal(t, ref, xs)
		})
	}
}
