package peerbench_test

import (
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus/examples/peerbench"
	"github.com/osallisuus/osallisuus/feedback"
)

// FuzzRegexpRedactor checks that the regexp redactor never panics, reports sorted,
// non-overlapping spans, and that replacing each span with its token gives its output.
func FuzzRegexpRedactor(f *testing.F) {
	for _, s := range []string{"", "Soittakaa 040 123 4567.", "hetu 010190-900P, FI21 1234 5600 0007 85",
		"a@b.fi (at) x", "ä0101909000", "+358 (0)40 555 6677", "1234567-1x"} {
		f.Add(s)
	}
	r := peerbench.NewRegexpRedactor()
	f.Fuzz(func(t *testing.T, s string) {
		out, spans := r.Redact(s)
		var b strings.Builder
		last := 0
		for _, sp := range spans {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("bad span %+v after %d in %q", sp, last, s)
			}
			b.WriteString(s[last:sp.Start])
			b.WriteString(sp.Kind.Token())
			last = sp.End
		}
		b.WriteString(s[last:])
		if b.String() != out {
			t.Fatalf("spans of %q rebuild %q, not %q", s, b.String(), out)
		}
	})
}

// FuzzLexiconMatchers checks that both lexicon matchers never panic, that the automaton
// gives the same labels whatever scratch buffer it gets, and that both find nothing in
// text without letters.
func FuzzLexiconMatchers(f *testing.F) {
	for _, s := range []string{"", "Terveyskeskusjono!", "Tack, bra.", "The nurse was rude", "\xff\xfeä", "123 456 ?!"} {
		f.Add(s)
	}
	data := feedback.DefaultLexiconData()
	re, err := peerbench.NewRegexpClassifier(data)
	if err != nil {
		f.Fatal(err)
	}
	ac, err := peerbench.NewACClassifier(data)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, buf := ac.Classify(s, nil)
		b, _ := ac.Classify(s, append(buf[:0], "stale scratch"...))
		if a != b {
			t.Fatalf("labels of %q depend on the scratch buffer: %b vs %b", s, a, b)
		}
		r := re.Classify(s)
		if !strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f }) && (a != 0 || r != 0) {
			t.Fatalf("labels in %q without letters: %b %b", s, a, r)
		}
	})
}
