package expert_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus/expert"
)

// benchInput builds a request and n generated experts: ten areas, mostly Finnish
// speakers, eight experience areas, up to five past or accepted assignments each, caps on
// a third and weekly grids on a quarter. About a tenth pass every filter.
func benchInput(n int) expert.MatchInput {
	rng := rand.New(rand.NewPCG(1, 2))
	in := workedInput()
	in.Request.ConflictCheck = false
	in.Candidates = make([]expert.Candidate, n)
	areas := []string{"turku", "kaarina", "raisio", "naantali", "lieto", "salo", "uusikaupunki", "loimaa", "parainen", "masku"}
	codes := expert.ExperienceAreas()
	checks := allChecks(day(12, 31))
	for i := range in.Candidates {
		key := fmt.Sprintf("%08x-0000-7000-8000-%012x", i, i)
		p := expert.Profile{
			Experience: []expert.Experience{exp(codes[rng.IntN(len(codes))], expert.Perspective(1+rng.IntN(2)))},
			Languages:  []string{"fi"},
			Areas:      []string{areas[rng.IntN(3)], areas[rng.IntN(len(areas))]},
			Travel:     map[string]expert.Travel{"turku": {Minutes: 10 + rng.IntN(40), Km: rng.IntN(30)}},
		}
		if rng.IntN(5) == 0 {
			p.Languages = append(p.Languages, "sv")
		}
		if rng.IntN(3) == 0 {
			p.Caps.Earnings = []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 30000}}
			p.Caps.AssignmentsPerMonth = 4
		}
		if rng.IntN(4) == 0 {
			p.Weekly = expert.Slot(time.Tuesday, expert.Afternoon) | expert.Slot(time.Thursday, expert.Morning)
		}
		var done []expert.Commitment
		for range rng.IntN(6) {
			done = append(done, expert.Commitment{TaskType: "workshop", Status: expert.StatusDone,
				Start: helsinki(time.Month(1+rng.IntN(2)), 1+rng.IntN(28), 10, 0), Minutes: 180, FeeCents: 11000})
		}
		in.Candidates[i] = expert.Candidate{Key: key, Expert: expert.Expert{ID: idOf(key), State: expert.StateActive,
			Checks: checks, Profile: p, Commitments: done}}
	}
	return in
}

// BenchmarkMatch matches one request against 10,000 experts with explanations (issue 5):
// a compact [expert.Verdict] per candidate (included or not, rank, proposal, keys, every
// failing filter, warnings), fresh result buffers per request. The pool of the 10,000 is
// built once, as a host caches it between requests; BenchmarkMatchPoolBuild measures
// that and BenchmarkMatchExplanations the full expansion.
func BenchmarkMatch(b *testing.B) {
	in := benchInput(10000)
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	in.Candidates = nil
	b.ReportAllocs()
	for b.Loop() {
		m, err := pool.Match(in)
		if err != nil {
			b.Fatal(err)
		}
		if m.Len() != 10000 {
			b.Fatal(m.Len())
		}
	}
}

// BenchmarkMatchInto is BenchmarkMatch reusing one Matching's buffers, as a host
// matching often would.
func BenchmarkMatchInto(b *testing.B) {
	in := benchInput(10000)
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	in.Candidates = nil
	var m expert.Matching
	b.ReportAllocs()
	for b.Loop() {
		if err := pool.MatchInto(&m, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchPoolBuild builds the pool of 10,000 experts that BenchmarkMatch reuses:
// once per pool, not per request.
func BenchmarkMatchPoolBuild(b *testing.B) {
	in := benchInput(10000)
	b.ReportAllocs()
	for b.Loop() {
		if p := expert.NewPool(in.Candidates, in.Settings.Checks); p.Len() != 10000 {
			b.Fatal(p.Len())
		}
	}
}

// BenchmarkMatchExplanations is expert.Match on 10,000 experts: the pool built, matched
// and every explanation expanded (IDs, lapsed checks, cap warnings), per request.
func BenchmarkMatchExplanations(b *testing.B) {
	in := benchInput(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := expert.Match(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchAppend is BenchmarkMatchExplanations reusing one explanation buffer.
func BenchmarkMatchAppend(b *testing.B) {
	in := benchInput(10000)
	var buf []expert.Explanation
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = expert.MatchAppend(buf[:0], in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch1000 is E7's smaller size, on a pool as BenchmarkMatch.
func BenchmarkMatch1000(b *testing.B) {
	in := benchInput(1000)
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	in.Candidates = nil
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pool.Match(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrice prices the worked example's assignment.
func BenchmarkPrice(b *testing.B) {
	ss := expert.Schedules{workedSchedule()}
	w := workedWork(180)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := expert.Price(ss, w, false); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchInputIsRealistic(t *testing.T) {
	xs, err := expert.Match(benchInput(2000))
	if err != nil {
		t.Fatal(err)
	}
	included := 0
	for _, x := range xs {
		if x.Included {
			included++
		}
	}
	if included < 50 || included > 1000 {
		t.Errorf("%d of 2000 included; the benchmark wants a realistic mix", included)
	}
}
