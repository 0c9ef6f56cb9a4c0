package peerbench_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/examples/peerbench"
	"github.com/osallisuus/osallisuus/feedback"
)

func TestCorpusIsDeterministicAndSized(t *testing.T) {
	a, b := peerbench.Corpus(64<<10, 3), peerbench.Corpus(64<<10, 3)
	require.Equal(t, a, b)
	assert.GreaterOrEqual(t, peerbench.CorpusBytes(a), int64(64<<10))
	assert.NotEqual(t, a, peerbench.Corpus(64<<10, 4))
}

// TestGeneratedIdentifiersValidate checks that the corpus's identifiers are shaped and
// checked as the library expects, so that both redactors meet real shapes.
func TestGeneratedIdentifiersValidate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 50 {
		for kind, id := range map[feedback.RedactionKind]string{feedback.RedactHetu: peerbench.Hetu(r),
			feedback.RedactBusinessID: peerbench.BusinessID(r), feedback.RedactIBAN: peerbench.IBAN(r),
			feedback.RedactEmail: peerbench.Email(r), feedback.RedactPhone: peerbench.Phone(r)} {
			out, spans := feedback.Redact("tieto: "+id+" loppu", feedback.RedactOptions{})
			require.Len(t, spans, 1, "%s %q", kind, id)
			assert.Equal(t, kind, spans[0].Kind, id)
			assert.True(t, spans[0].Valid, "%s %q does not validate", kind, id)
			assert.Equal(t, "tieto: "+kind.Token()+" loppu", out)
		}
	}
}

// TestRedactorsAgreeOnCorpus checks that the regexp redactor removes the same identifiers
// as feedback.Redact on a corpus sample (the corpus has no dates, money or service numbers,
// where the two differ by design).
func TestRedactorsAgreeOnCorpus(t *testing.T) {
	re := peerbench.NewRegexpRedactor()
	n := 0
	for _, m := range peerbench.Corpus(256<<10, 5) {
		want, wantSpans := feedback.Redact(m, feedback.RedactOptions{})
		got, gotSpans := re.Redact(m)
		require.Equal(t, want, got, "message %q", m)
		require.Len(t, gotSpans, len(wantSpans))
		n += len(wantSpans)
	}
	assert.Greater(t, n, 100, "the sample should hold identifiers")
}

// TestLexiconMatchersFindCues checks the regexp and Aho–Corasick classifiers on messages
// whose cues are known, and that they agree on a corpus sample.
func TestLexiconMatchersFindCues(t *testing.T) {
	data := feedback.DefaultLexiconData()
	re, err := peerbench.NewRegexpClassifier(data)
	require.NoError(t, err)
	ac, err := peerbench.NewACClassifier(data)
	require.NoError(t, err)
	tests := []struct{ name, text, label string }{
		{"a Finnish prefix cue matches an inflected form", "Odotin päivystyksessä neljä tuntia.", "words"},
		{"an English exact cue matches", "The nurse was rude.", "complaint"},
		{"a compound cue matches inside a token", "Silmäleikkausjono on pitkä.", "access"},
		{"a Swedish prefix cue matches", "Hon var så vänlig.", "praise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, peerbench.LabelSet(re.Names, re.Classify(tt.text)), tt.label, "regexp")
			set, _ := ac.Classify(tt.text, nil)
			assert.Contains(t, peerbench.LabelSet(ac.Names, set), tt.label, "ahocorasick")
		})
	}
	var buf []byte
	differ, total := 0, 0
	for _, m := range peerbench.Corpus(64<<10, 6) {
		var set peerbench.Labels
		set, buf = ac.Classify(m, buf)
		total++
		reSet := re.Classify(m)
		if set != reSet {
			differ++
		}
		assert.NotZero(t, set, "ahocorasick: no cue in %q", m)
		assert.NotZero(t, reSet, "regexp: no cue in %q", m)
	}
	// They differ where cues overlap: both report non-overlapping leftmost-longest
	// matches, but the regexp reports one label per match (its capture group) and the
	// automaton every entry with the matched text.
	t.Logf("regexp and ahocorasick label sets differ on %d of %d messages", differ, total)
}
