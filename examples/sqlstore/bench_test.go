package sqlstore_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
)

// appendBatchSize is how many events one AppendBatch carries in the batch benchmarks.
const appendBatchSize = 100

// BenchmarkSQLiteAppend measures Append, one event per transaction, on an SQLite file in
// WAL mode (synchronous=NORMAL).
func BenchmarkSQLiteAppend(b *testing.B) { benchAppend(b, openBench(b, freshSQLite)) }

// BenchmarkSQLiteAppendBatch measures AppendBatch of 100 events per transaction on an
// SQLite file in WAL mode; appends/s counts events.
func BenchmarkSQLiteAppendBatch(b *testing.B) { benchAppendBatch(b, openBench(b, freshSQLite)) }

// BenchmarkSQLiteCheckConsent measures participation.Service.CheckConsent over the SQLite
// stores holding 10,000 subjects with 5–20 events each (about 125,000 events).
func BenchmarkSQLiteCheckConsent(b *testing.B) { benchCheckConsent(b, openBench(b, freshSQLite)) }

// BenchmarkPostgresAppend is BenchmarkSQLiteAppend on PostgreSQL.
func BenchmarkPostgresAppend(b *testing.B) { benchAppend(b, openBench(b, freshPostgres)) }

// BenchmarkPostgresAppendBatch is BenchmarkSQLiteAppendBatch on PostgreSQL.
func BenchmarkPostgresAppendBatch(b *testing.B) { benchAppendBatch(b, openBench(b, freshPostgres)) }

// BenchmarkPostgresCheckConsent is BenchmarkSQLiteCheckConsent on PostgreSQL.
func BenchmarkPostgresCheckConsent(b *testing.B) { benchCheckConsent(b, openBench(b, freshPostgres)) }

func openBench(b *testing.B, fresh func(testing.TB) string) *sqlstore.ParticipationStore {
	b.Helper()
	return openDSN(b, fresh(b)).Participation()
}

func benchAppend(b *testing.B, s *sqlstore.ParticipationStore) {
	subjects := benchSubjects(b, 100)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Append(ctx, grant(subjects[i%len(subjects)], ledgerTime)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "appends/s")
}

func benchAppendBatch(b *testing.B, s *sqlstore.ParticipationStore) {
	subjects := benchSubjects(b, 100)
	ctx := b.Context()
	batch := make([]participation.ConsentEvent, appendBatchSize)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range batch {
			batch[i] = grant(subjects[(n+i)%len(subjects)], ledgerTime)
		}
		if _, err := s.AppendBatch(ctx, batch); err != nil {
			b.Fatal(err)
		}
		n += len(batch)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "appends/s")
}

func benchSubjects(b *testing.B, n int) []osallisuus.ParticipantID {
	b.Helper()
	ids := make([]osallisuus.ParticipantID, n)
	for i := range ids {
		id, err := osallisuus.NewParticipantID()
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func benchCheckConsent(b *testing.B, s *sqlstore.ParticipationStore) {
	svc, queries := loadLedger(b, s, 10_000)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := svc.CheckConsent(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// loadLedger registers subjects participants with 5–20 consent events each (grants,
// refusals, withdrawals, scoped, by guardians, some oral, some ending) and returns a
// service on s with one query per subject and purpose, in a shuffled order. Events go
// straight to the ledger in batches: they are generated valid, and recording rules are
// not what the benchmark measures.
func loadLedger(b *testing.B, s *sqlstore.ParticipationStore, subjects int) (*participation.Service, []participation.ConsentQuery) {
	b.Helper()
	ctx := b.Context()
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
		{Name: "experience-data", Explicit: true, MaxDuration: "P1Y"},
		{Name: "panel-membership", MinNoticeVersion: 2},
	}}
	svc, err := participation.NewService(s.Stores(), policy, participation.Config{})
	if err != nil {
		b.Fatal(err)
	}
	purposes := []string{"contact", "experience-data", "panel-membership"}
	scopes := []string{"", "", "", "panel:north", "panel:family-centre", "activity:spring-fair"}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	var queries []participation.ConsentQuery
	var pending []participation.ConsentEvent
	for _, subject := range benchSubjects(b, subjects) {
		if err := s.CreateParticipant(ctx, participation.Participant{ID: subject, Kind: participation.KindCustomer,
			BirthDate: osallisuus.NewDate(1980, 1, 1), CreatedAt: base, Version: 1}); err != nil {
			b.Fatal(err)
		}
		guardian := benchSubjects(b, 1)[0]
		n := 5 + rng.IntN(16)
		at := base.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
		for range n {
			at = at.Add(time.Duration(1+rng.IntN(30*24)) * time.Hour)
			ev := participation.ConsentEvent{At: at, Subject: subject, By: subject,
				Purpose: purposes[rng.IntN(3)], Scope: scopes[rng.IntN(len(scopes))],
				Action: participation.Grant, Method: participation.Electronic, NoticeVersion: 1 + rng.IntN(2),
				Authority: participation.Authority{Kind: participation.AuthoritySelfAge}, RecordedAt: at}
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
				ev.Method, ev.RecordedBy = participation.Oral, guardian
			}
			pending = append(pending, ev)
		}
		if len(pending) >= 1000 {
			if _, err := s.AppendBatch(ctx, pending); err != nil {
				b.Fatal(err)
			}
			pending = pending[:0]
		}
		for i, p := range purposes {
			queries = append(queries, participation.ConsentQuery{Subject: subject, Purpose: p,
				Scope: scopes[(i+n)%len(scopes)], At: at.Add(time.Duration(rng.IntN(400*24)-200*24) * time.Hour)})
		}
	}
	if _, err := s.AppendBatch(ctx, pending); err != nil {
		b.Fatal(err)
	}
	rng.Shuffle(len(queries), func(i, j int) { queries[i], queries[j] = queries[j], queries[i] })
	return svc, queries
}
