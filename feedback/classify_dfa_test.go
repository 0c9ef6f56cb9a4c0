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

// naiveWalker is the walk of the dfa written out from its definition: the prefix
// entries whose first word is s[:k], for k = 1..len(s), then the exact entries whose
// first word is s, each group in entry order.
type naiveWalker struct{ prefix, exact map[string][]int32 }

// newNaiveWalker indexes the entries of lx (only the compound ones with compound).
func newNaiveWalker(lx *Lexicon, compound bool) naiveWalker {
	w := naiveWalker{map[string][]int32{}, map[string][]int32{}}
	for i, e := range lx.entries {
		if compound && !e.suffix {
			continue
		}
		if e.words[0].prefix {
			w.prefix[e.words[0].text] = append(w.prefix[e.words[0].text], int32(i))
		} else {
			w.exact[e.words[0].text] = append(w.exact[e.words[0].text], int32(i))
		}
	}
	return w
}

func (w naiveWalker) walk(s string) []int32 {
	var out []int32
	for k := 1; k <= len(s); k++ {
		out = append(out, w.prefix[s[:k]]...)
	}
	return append(out, w.exact[s]...)
}

// TestDFAWalkMatchesDefinition checks both walks of the default lexicon against
// naiveWalk on every first word, its prefixes, inflected and compounded forms.
func TestDFAWalkMatchesDefinition(t *testing.T) {
	lx := DefaultLexicon()
	root, compound := newNaiveWalker(lx, false), newNaiveWalker(lx, true)
	require.NotEmpty(t, compound.prefix, "the lexicon has compound entries")
	seen := map[string]bool{}
	found := 0
	for i, e := range lx.entries {
		w := e.words[0].text
		other := lx.entries[(i*7919+13)%len(lx.entries)].words[0].text
		for _, s := range []string{w, w[:len(w)/2], w + "ssa", w + "n", w + "ing", w[:len(w)-1] + "x", w + other, other + w, "x" + w} {
			if seen[s] {
				continue
			}
			seen[s] = true
			for _, c := range []struct {
				d     *dfa
				naive naiveWalker
			}{{&lx.rootDFA, root}, {&lx.compoundDFA, compound}} {
				got, want := c.d.walk(s, nil), c.naive.walk(s)
				require.True(t, slices.Equal(got, want), "walk of %q: %v, want %v", s, got, want)
				found += len(got)
			}
		}
	}
	require.Positive(t, found, "the walks find entries")
}
