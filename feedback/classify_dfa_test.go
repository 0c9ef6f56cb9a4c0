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
// first word is s, each group in entry order, except the one-word vocabulary entries,
// whose languages make the mask (with maskShared for a shared word).
type naiveWalker struct {
	prefix, exact map[string][]int32
	root          bool // the root walk: marks shared words, negators and conditions
	lx            *Lexicon
}

// newNaiveWalker indexes the entries of lx (only the compound ones with compound), each
// first word's in the order of the entries, without repeats of a cue.
func newNaiveWalker(lx *Lexicon, compound bool) naiveWalker {
	w := naiveWalker{prefix: map[string][]int32{}, exact: map[string][]int32{}, root: !compound, lx: lx}
	for i, e := range lx.entries {
		if compound && !e.suffix {
			continue
		}
		lists := w.exact
		if e.words[0].prefix {
			lists = w.prefix
		}
		// A repeat of an earlier cue of the same list is left out (dropRepeats).
		list := lists[e.words[0].text]
		if !slices.ContainsFunc(list, func(k int32) bool { return sameCue(&lx.entries[k], &lx.entries[i]) }) {
			lists[e.words[0].text] = append(list, int32(i))
		}
	}
	return w
}

func (w naiveWalker) walk(s string) ([]int32, uint16) {
	var out []int32
	var m uint16
	add := func(list []int32) {
		for _, e := range list {
			if en := w.lx.entries[e]; en.label == labelWords && len(en.words) == 1 {
				m |= 1 << en.lang
			} else {
				out = append(out, e)
			}
		}
	}
	for k := 1; k <= len(s); k++ {
		add(w.prefix[s[:k]])
	}
	add(w.exact[s])
	if !w.root {
		return out, m
	}
	if sharedWord(s) {
		m |= maskShared
	}
	for _, l := range []Lang{LangFI, LangSV, LangEN} {
		if (len(s) <= 7 && w.lx.negators[l][s]) || s == "kukaan" {
			m |= negMask(l)
		}
		if w.lx.conditions[l][s] {
			m |= condMask(l)
		}
	}
	return out, m
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
		for _, s := range []string{w, w[:len(w)/2], sharedWords[i%len(sharedWords)], sharedWords[i%len(sharedWords)] + "s",
			"kukaan", "eivät", "eivat", "without", "withou", "om", "ifall", "mikäli", "mikali", "jolleiko", w + "ssa", w + "n", w + "ing", w[:len(w)-1] + "x", w + other, other + w, "x" + w} {
			if seen[s] {
				continue
			}
			seen[s] = true
			for _, c := range []struct {
				d     *dfa
				naive naiveWalker
			}{{&lx.rootDFA, root}, {&lx.compoundDFA, compound}} {
				got, gotMask := c.d.walkMask(s, nil)
				want, wantMask := c.naive.walk(s)
				require.True(t, slices.Equal(got, want), "walk of %q: %v, want %v", s, got, want)
				require.Equal(t, wantMask, gotMask, "mask of %q", s)
				if len(s) >= 2 && !c.d.mayStart(s[0], s[1]) {
					require.Empty(t, got, "%q does not start a walk", s)
					require.Zero(t, gotMask, "%q does not start a walk", s)
				}
				found += len(got)
			}
		}
	}
	require.Positive(t, found, "the walks find entries")
}

// TestNegatorMarksMatchIsNegator checks the negator and condition marks of match
// against isNegator and the condition sets, in every language, on words of the lexicon
// and the negators and conditions themselves.
func TestNegatorMarksMatchIsNegator(t *testing.T) {
	lx := DefaultLexicon()
	words := []string{"kukaan", "don't", "n't", "isn't", "eivät", "eivat", "älkää", "alkaa", "nothing", "nothings", "aldrig",
		"om", "ifall", "såvida", "savida", "unless", "if", "jos", "ellei", "kukaa", "kukaanko"}
	for l := range lx.negators {
		for w := range lx.negators[l] {
			words = append(words, w, w+"x", w[:len(w)-1])
		}
		for w := range lx.conditions[l] {
			words = append(words, w, w+"x")
		}
	}
	for i, e := range lx.entries {
		if i%5 == 0 {
			words = append(words, e.words[0].text)
		}
	}
	sc := new(scratch)
	marked := 0
	for _, w := range words {
		sc.tokenize(w)
		lx.match(sc)
		require.Len(t, sc.toks, 1, "%q is one token", w)
		for _, l := range []Lang{LangUnd, LangFI, LangSV, LangEN} {
			require.Equal(t, lx.isNegator(l, w), sc.negator(l, 0), "negator %q in %v", w, l)
			require.Equal(t, lx.conditions[l][w], sc.mask[0]&condMask(l) != 0, "condition %q in %v", w, l)
			if sc.negator(l, 0) {
				marked++
			}
		}
	}
	require.Positive(t, marked, "some words are negators")
}
