package feedback

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/stretchr/testify/require"
)

// memoTexts are the texts of the test data and the specification's examples, and
// messages generated from lexicon words with inflections, compounds and upper case.
func memoTexts(t testing.TB) []string {
	var texts []string
	files, err := filepath.Glob("testdata/*.jsonl")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for line := range strings.SplitSeq(string(b), "\n") {
			var m struct{ Text string }
			if json.Unmarshal([]byte(line), &m) == nil && m.Text != "" {
				texts = append(texts, m.Text)
			}
		}
	}
	require.NotEmpty(t, texts, "the test data holds texts")
	lx := DefaultLexicon()
	r := rand.New(rand.NewPCG(3, 5))
	for range 2000 {
		var b strings.Builder
		for k := range 1 + r.IntN(12) {
			w := lx.entries[r.IntN(len(lx.entries))].term
			switch r.IntN(5) {
			case 0:
				w = strings.ToUpper(w[:1]) + w[1:]
			case 1:
				w += []string{"ssa", "n", "s", "ing", "lle"}[r.IntN(5)]
			case 2:
				w += lx.entries[r.IntN(len(lx.entries))].term
			}
			b.WriteString(strings.NewReplacer("*", "", "~", "").Replace(w))
			b.WriteString([]string{" ", " ", ", ", ". ", "? ", " ei ", " not ", " jos "}[(k+r.IntN(8))%8])
		}
		texts = append(texts, b.String())
	}
	return texts
}

// classifyBoth classifies text with the memo of sc and by walking every token with a
// scratch of its own, and requires the same result.
func classifyBoth(t testing.TB, lx *Lexicon, sc *scratch, text string) {
	var memo, walked Classification
	lx.classifyWith(sc, text, "", &memo, true)
	lx.classifyWith(&scratch{noMemo: true}, text, "", &walked, true)
	require.Equal(t, walked, memo, "classification of %q", text)
}

// requireNotLatin checks that tokenizing text notes a byte >= 0xCC exactly when text
// holds one, so that text without it, which classify does not normalize, is NFC.
func requireNotLatin(t testing.TB, sc *scratch, text string) {
	sc.tokenize(text)
	high := false // the old quick test: a byte >= 0xCC anywhere
	for i := range len(text) {
		high = high || text[i] >= 0xCC
	}
	require.Equal(t, high, sc.notLatin, "a byte >= 0xCC in %q", text)
	if !sc.notLatin {
		require.True(t, norm.NFC.IsNormalString(text), "%q is NFC", text)
	}
}

// TestTokenizeNotesNonLatinBytes checks sc.notLatin on the test texts and on texts with
// combining marks, emoji, other scripts and invalid UTF-8.
func TestTokenizeNotesNonLatinBytes(t *testing.T) {
	sc := new(scratch)
	for _, text := range append(memoTexts(t)[:500], "e\u0301", "A\u0308bc", "ok 👍\uFE0F", "don’t", "\xff", "a\xcc", "\xc3\xcc",
		"Ǆ ä", "Ω", "ÿ ǿ", "x\u200d", "x\uFE0F", "ab—cd", "Åbo") {
		requireNotLatin(t, sc, text)
	}
}

// TestWordKeyIsTheWord checks that wordKey packs a word of up to sixteen bytes without
// loss: lo holds the first eight bytes (fewer, in order, for a shorter word), hi the
// last eight (zero for a shorter word).
func TestWordKeyIsTheWord(t *testing.T) {
	for n := range 17 {
		w := "abcdefghijklmnopq"[:n]
		lo, hi := wordKey(w)
		var want [16]byte
		copy(want[:], w)
		if n >= 8 {
			copy(want[8:], w[n-8:])
		}
		require.Equal(t, binary.LittleEndian.Uint64(want[:8]), lo, "lo of %q", w)
		require.Equal(t, binary.LittleEndian.Uint64(want[8:]), hi, "hi of %q", w)
	}
}

// TestWordMemoClassifiesAsWalking checks that classifying with the word memo gives the
// result of walking every token: with a warm memo, across a memo cleared because its
// arenas filled up, and with two lexicons taking turns on one scratch.
func TestWordMemoClassifiesAsWalking(t *testing.T) {
	texts := memoTexts(t)
	lx := DefaultLexicon()
	data := DefaultLexiconData()
	data.Version = "test"
	data.Entries = append(data.Entries, LexiconEntry{Lang: "fi", Label: "complaint", Term: "ajanvarau*", Match: MatchPrefix},
		LexiconEntry{Lang: "en", Label: "praise", Term: "nurse", Match: MatchExact})
	other, err := NewLexicon(data)
	require.NoError(t, err)
	sc := new(scratch)
	for pass := range 2 {
		for i, text := range texts {
			classifyBoth(t, lx, sc, text)
			if pass == 1 && i%3 == 0 {
				classifyBoth(t, other, sc, text)
			}
		}
	}
	// Many new words fill the memo's arenas, which clears it.
	var b strings.Builder
	for i := range 40_000 {
		fmt.Fprintf(&b, "sana%dlle odotin%dssa ", i, i)
	}
	clears := sc.memo.clears
	classifyBoth(t, lx, sc, b.String())
	require.Greater(t, sc.memo.clears, clears, "the memo was cleared on the way")
	for _, text := range texts[:200] {
		classifyBoth(t, lx, sc, text)
	}
}

// FuzzClassifyMemo checks that the word memo never changes a classification: each
// input is classified twice with one warm scratch (the second time from the memo) and
// once walking every token.
func FuzzClassifyMemo(f *testing.F) {
	for _, s := range []string{"Kiitos!", "Ei huono. Ei huono.", "Terveyskeskusjono jonotin jonossa", "don't DON'T don't",
		"Jos en saa vastausta, teen kantelun. Jos en saa vastausta, teen kantelun.", "ä\u0308 ä", "\xff\xfe", "not not not not"} {
		f.Add(s)
	}
	lx := DefaultLexicon()
	sc := new(scratch)
	f.Fuzz(func(t *testing.T, text string) {
		classifyBoth(t, lx, sc, text)
		classifyBoth(t, lx, sc, text)
		requireNotLatin(t, sc, text)
	})
}
