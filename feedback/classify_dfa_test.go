package feedback

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDFAWideRowsWalkAsNarrow checks the walk over 32-bit rows (a lexicon of more than
// 65,536 nodes) against the 16-bit rows the default lexicon uses, on every first word
// of the lexicon, its prefixes and inflected forms.
func TestDFAWideRowsWalkAsNarrow(t *testing.T) {
	narrow := DefaultLexicon().rootDFA
	require.NotNil(t, narrow.rows16, "the default lexicon fits 16-bit rows")
	wide := narrow
	wide.rows, wide.rows16 = make([]int32, len(narrow.rows16)), nil
	for k, n := range narrow.rows16 {
		wide.rows[k] = int32(n)
	}
	walks := 0
	for _, e := range DefaultLexicon().entries {
		w := e.words[0].text
		for _, s := range []string{w, w[:len(w)/2], w + "ssa", w + "lle", w + "s", w[:len(w)-1] + "x"} {
			a, b := narrow.walk(s, nil), wide.walk(s, nil)
			require.True(t, slices.Equal(a, b), "walk of %q: %v and %v", s, a, b)
			walks += len(a)
		}
	}
	require.Positive(t, walks, "the walks find entries")
}
