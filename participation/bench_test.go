package participation_test

import (
	"context"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// BenchmarkDecide measures one consent decision on a realistic ledger: 10,000 subjects ×
// 3 purposes, each iteration taking the next query round-robin, looking up that subject's
// events in an in-memory index (one [participation.Trail] per subject, as a host that
// decides from memory keeps them) and calling Decide.
func BenchmarkDecide(b *testing.B) { benchTrails(b, 10_000) }

// BenchmarkDecideEvents is BenchmarkDecide with the index holding plain event slices and
// the decision made by participation.Decide, which reads every event of the subject.
func BenchmarkDecideEvents(b *testing.B) {
	s := participationtest.SampleLedger(10_000, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := s.Queries[i]
		if i++; i == len(s.Queries) {
			i = 0
		}
		if _, err := participation.Decide(s.Policy, s.Events[q.Subject], q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideInCache is BenchmarkDecide on 100 subjects, whose trails stay in the
// CPU's caches: the cost of the decision itself, without memory latency.
func BenchmarkDecideInCache(b *testing.B) { benchTrails(b, 100) }

// benchTrails is BenchmarkDecide on a ledger of the given number of subjects.
func benchTrails(b *testing.B, subjects int) {
	s := participationtest.SampleLedger(subjects, 1)
	trails := trailIndex(s)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := s.Queries[i]
		if i++; i == len(s.Queries) {
			i = 0
		}
		if _, err := trails[q.Subject].Decide(s.Policy, q); err != nil {
			b.Fatal(err)
		}
	}
}

// trailIndex builds one Trail per subject of s, as a host loading its ledger in ledger
// order at start-up does.
func trailIndex(s participationtest.Ledger) map[osallisuus.ParticipantID]participation.Trail {
	return participation.NewTrails(ledgerEvents(s))
}

// ledgerEvents returns every event of s in ledger order (subject after subject, as
// SampleLedger appends them).
func ledgerEvents(s participationtest.Ledger) []participation.ConsentEvent {
	var all []participation.ConsentEvent
	for _, subject := range s.Subjects {
		all = append(all, s.Events[subject]...)
	}
	return all
}

// BenchmarkCheckConsent measures the full ConsentChecker path (participant lookup, the
// subject's events from memstore's ledger, the decision) on the BenchmarkDecide data.
func BenchmarkCheckConsent(b *testing.B) {
	svc, queries := newCheckerSample(b, 10_000)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := queries[i]
		if i++; i == len(queries) {
			i = 0
		}
		if _, err := svc.CheckConsent(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// newCheckerSample loads a ledger sample into a memstore-backed service. Events go
// straight to the ledger: they were generated valid, and recording rules are not measured.
func newCheckerSample(tb testing.TB, subjects int) (*participation.Service, []participation.ConsentQuery) {
	tb.Helper()
	s := participationtest.SampleLedger(subjects, 1)
	store := memstore.New()
	svc, err := participation.NewService(participation.StoresOf(store), s.Policy, participation.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	for _, subject := range s.Subjects {
		evs := s.Events[subject]
		if err := store.CreateParticipant(ctx, participation.Participant{ID: subject, Kind: participation.KindCustomer,
			BirthDate: osallisuus.NewDate(1980, 1, 1)}); err != nil {
			tb.Fatal(err)
		}
		for _, ev := range evs {
			if _, err := store.Append(ctx, ev); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return svc, s.Queries
}

// BenchmarkDecideScanFloor does what BenchmarkDecide does minus the decision: per query,
// the index lookup and one read of every event of the subject (its purpose's length, with
// no branch on the data). It is the memory floor of any decision that must read a
// subject's whole ledger; BenchmarkDecide's distance from it is the decision's own cost.
func BenchmarkDecideScanFloor(b *testing.B) {
	s := participationtest.SampleLedger(10_000, 1)
	b.ReportAllocs()
	i, n := 0, 0
	for b.Loop() {
		q := s.Queries[i]
		if i++; i == len(s.Queries) {
			i = 0
		}
		for _, e := range s.Events[q.Subject] {
			n += len(e.Purpose)
		}
	}
	if n == 0 {
		b.Fatal("no events read")
	}
}
