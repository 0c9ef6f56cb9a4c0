package participation_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// LedgerSample is a realistic ledger for benchmarks: subjects × 3 purposes, 5–20 events
// per subject (some scoped, some withdrawn or refused, some by guardians), and one query
// per (subject, purpose) pair.
type ledgerSample struct {
	policy  *participation.Policy
	events  map[osallisuus.ParticipantID][]participation.ConsentEvent
	queries []participation.ConsentQuery
}

func newLedgerSample(tb testing.TB, subjects int) ledgerSample {
	tb.Helper()
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
		{Name: "experience-data", Explicit: true, MaxDuration: "P1Y"},
		{Name: "panel-membership", MinNoticeVersion: 2},
	}}
	if err := policy.Validate(); err != nil {
		tb.Fatal(err)
	}
	purposes := []string{"contact", "experience-data", "panel-membership"}
	scopes := []string{"", "", "", "panel:north", "panel:family-centre", "activity:spring-fair"}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	s := ledgerSample{policy: policy, events: make(map[osallisuus.ParticipantID][]participation.ConsentEvent, subjects)}
	var seq int64
	for range subjects {
		subject := pid(tb)
		guardian := pid(tb)
		n := 5 + rng.IntN(16)
		evs := make([]participation.ConsentEvent, 0, n)
		at := base.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
		for range n {
			at = at.Add(time.Duration(1+rng.IntN(30*24)) * time.Hour)
			seq++
			ev := participation.ConsentEvent{Seq: seq, At: at, Subject: subject, By: subject,
				Purpose: purposes[rng.IntN(3)], Scope: scopes[rng.IntN(len(scopes))],
				Action: participation.Grant, Method: participation.Electronic, NoticeVersion: 1 + rng.IntN(2),
				Authority: participation.Authority{Kind: participation.AuthoritySelfAge}}
			switch r := rng.IntN(10); {
			case r < 2:
				ev.Action, ev.NoticeVersion = participation.Withdraw, 0
			case r < 3:
				ev.Action, ev.NoticeVersion = participation.Refuse, 0
			case r < 5:
				ev.By = guardian
				ev.Authority = participation.Authority{Kind: participation.AuthorityGuardian}
			case r < 6:
				ev.ValidUntil = at.Add(180 * 24 * time.Hour)
			}
			if rng.IntN(8) == 0 {
				ev.Method = participation.Oral
				ev.RecordedBy = guardian
			}
			evs = append(evs, ev)
		}
		s.events[subject] = evs
		for i, p := range purposes {
			s.queries = append(s.queries, participation.ConsentQuery{Subject: subject, Purpose: p,
				Scope: scopes[(i+n)%len(scopes)], At: at.Add(time.Duration(rng.IntN(400*24)-200*24) * time.Hour)})
		}
	}
	return s
}

// BenchmarkDecide measures one consent decision on a realistic ledger: 10,000 subjects ×
// 3 purposes, each iteration taking the next query round-robin, looking up that subject's
// events in an in-memory index and calling Decide.
func BenchmarkDecide(b *testing.B) {
	s := newLedgerSample(b, 10_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := s.queries[i]
		if i++; i == len(s.queries) {
			i = 0
		}
		if _, err := participation.Decide(s.policy, s.events[q.Subject], q); err != nil {
			b.Fatal(err)
		}
	}
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
	s := newLedgerSample(tb, subjects)
	store := memstore.New()
	svc, err := participation.NewService(participation.StoresOf(store), s.policy, participation.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	for subject, evs := range s.events {
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
	return svc, s.queries
}
