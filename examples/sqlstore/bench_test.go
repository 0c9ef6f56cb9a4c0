package sqlstore_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
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

// loadLedger registers the subjects of participationtest.SampleLedger (5–20 consent
// events each: grants, refusals, withdrawals, scoped, by guardians, some oral, some
// ending; the data every consent benchmark uses) and returns a service on s with one
// query per subject and purpose, in a shuffled order. Events go straight to the ledger in
// batches: they are generated valid, and recording rules are not what the benchmark
// measures.
func loadLedger(b *testing.B, s *sqlstore.ParticipationStore, subjects int) (*participation.Service, []participation.ConsentQuery) {
	b.Helper()
	ctx := b.Context()
	l := participationtest.SampleLedger(subjects, 1)
	svc, err := participation.NewService(s.Stores(), l.Policy, participation.Config{})
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	var pending []participation.ConsentEvent
	for _, subject := range l.Subjects {
		if err := s.CreateParticipant(ctx, participation.Participant{ID: subject, Kind: participation.KindCustomer,
			BirthDate: osallisuus.NewDate(1980, 1, 1), CreatedAt: base, Version: 1}); err != nil {
			b.Fatal(err)
		}
		for _, ev := range l.Events[subject] {
			ev.ID, ev.Seq = participation.EventID{}, 0 // the store assigns both
			pending = append(pending, ev)
		}
		if len(pending) >= 1000 {
			if _, err := s.AppendBatch(ctx, pending); err != nil {
				b.Fatal(err)
			}
			pending = pending[:0]
		}
	}
	if _, err := s.AppendBatch(ctx, pending); err != nil {
		b.Fatal(err)
	}
	queries := slices.Clone(l.Queries)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(queries), func(i, j int) { queries[i], queries[j] = queries[j], queries[i] })
	return svc, queries
}
