package peerbench_test

import (
	"sync"
	"testing"

	"github.com/osallisuus/osallisuus/examples/peerbench"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// ledger is the consent data of BenchmarkConsent: 10,000 subjects × 3 purposes, one
// query per (subject, purpose), as in participation's BenchmarkDecide.
var ledger = sync.OnceValue(func() participationtest.Ledger { return participationtest.SampleLedger(10_000, 1) })

// corpus is the classification and redaction corpus: about 10 MB of fi/sv/en messages.
var corpus = sync.OnceValue(func() []string { return peerbench.Corpus(10<<20, 1) })

// BenchmarkConsent answers one consent query per operation, round-robin over the 30,000
// queries, with each engine: the library (participation.Trail.Decide over an in-memory
// index of trails by subject, peerbench.LibraryIndex), embedded OPA (prepared Rego query, data in its in-memory store),
// Casbin (deny-override model, one enforcer per subject) and a Go map of precomputed
// answers (the floor).
func BenchmarkConsent(b *testing.B) {
	s := ledger()
	run := func(b *testing.B, decide func(q participation.ConsentQuery) error) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			q := s.Queries[i]
			if i++; i == len(s.Queries) {
				i = 0
			}
			if err := decide(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("osallisuus", func(b *testing.B) {
		index := peerbench.NewLibraryIndex(s.Events, s.Subjects)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			q := s.Queries[i]
			if i++; i == len(s.Queries) {
				i = 0
			}
			if _, err := index[q.Subject].Decide(s.Policy, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("opa", func(b *testing.B) {
		ctx := b.Context()
		opa, err := peerbench.NewOPAEngine(ctx, s.Policy, s.Events)
		if err != nil {
			b.Fatal(err)
		}
		run(b, func(q participation.ConsentQuery) error {
			_, err := opa.Decide(ctx, q)
			return err
		})
	})
	b.Run("casbin", func(b *testing.B) {
		cb, err := peerbench.NewCasbinEngine(s.Policy, s.Events)
		if err != nil {
			b.Fatal(err)
		}
		run(b, func(q participation.ConsentQuery) error {
			_, err := cb.Decide(q)
			return err
		})
	})
	b.Run("map", func(b *testing.B) {
		m, err := peerbench.NewMapEngine(s.Policy, s.Events, s.Queries)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			q := s.Queries[i]
			if i++; i == len(s.Queries) {
				i = 0
			}
			if _, ok := m.Decide(q); !ok {
				b.Fatal("query not in the map")
			}
		}
	})
}

// BenchmarkClassify classifies the whole ~10 MB corpus per operation: feedback.Classify
// (the full classification), one regexp alternation of the lexicon, and an Aho–Corasick
// automaton of the lexicon (cue labels only: the floor of lexicon matching).
func BenchmarkClassify(b *testing.B) {
	msgs := corpus()
	size := peerbench.CorpusBytes(msgs)
	b.Run("osallisuus", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range msgs {
				feedback.Classify(m)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		c, err := peerbench.NewRegexpClassifier(feedback.DefaultLexiconData())
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range msgs {
				c.Classify(m)
			}
		}
	})
	b.Run("ahocorasick", func(b *testing.B) {
		c, err := peerbench.NewACClassifier(feedback.DefaultLexiconData())
		if err != nil {
			b.Fatal(err)
		}
		var buf []byte
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range msgs {
				_, buf = c.Classify(m, buf)
			}
		}
	})
}

// BenchmarkRedact redacts the whole ~10 MB corpus per operation: feedback.Redact and a
// regexp redactor of the same shapes.
func BenchmarkRedact(b *testing.B) {
	msgs := corpus()
	size := peerbench.CorpusBytes(msgs)
	b.Run("osallisuus", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range msgs {
				feedback.Redact(m, feedback.RedactOptions{})
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		r := peerbench.NewRegexpRedactor()
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, m := range msgs {
				r.Redact(m)
			}
		}
	})
}
