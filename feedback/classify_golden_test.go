package feedback_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/osallisuus/osallisuus/feedback"
)

var updateGolden = flag.Bool("update-classify-golden", false, "rewrite testdata/classify-golden.jsonl")

// goldenLine is one text's recorded classification: the full result without a hint, and
// a digest of the results of its variants (hints fi, sv, en; upper case; diacritics
// dropped; NFD) so that every path of the classifier is pinned.
type goldenLine struct {
	Text     string                  `json:"text"`
	Out      feedback.Classification `json:"out"`
	Variants string                  `json:"variants"`
}

func goldenTexts(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.jsonl")
	require.NoError(t, err)
	paths = append(paths, "../../shared/spec/feedback-examples.jsonl")
	var texts []string
	for _, p := range paths {
		if filepath.Base(p) == "classify-golden.jsonl" {
			continue
		}
		f, err := os.Open(p)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var l struct {
				Text string `json:"text"`
			}
			if len(sc.Bytes()) == 0 {
				continue
			}
			require.NoError(t, json.Unmarshal(sc.Bytes(), &l), p)
			if l.Text != "" {
				texts = append(texts, l.Text)
			}
		}
		require.NoError(t, f.Close())
	}
	return texts
}

var dropDiacritics = strings.NewReplacer("ä", "a", "ö", "o", "å", "a", "Ä", "A", "Ö", "O", "Å", "A")

func variantDigest(lx *feedback.Lexicon, text string) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, hint := range []string{"fi", "sv", "en"} {
		_ = enc.Encode(lx.ClassifyHint(text, hint))
	}
	for _, v := range []string{strings.ToUpper(text), dropDiacritics.Replace(text), norm.NFD.String(text)} {
		_ = enc.Encode(lx.Classify(v))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// corpusDigest is the digest of the classifications of the benchmark corpus.
func corpusDigest() string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, m := range corpus() {
		_ = enc.Encode(feedback.Classify(m))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestClassifyGolden compares the classifier with the outputs recorded before its
// optimisation (testdata/classify-golden.jsonl): every labelled text, its variants and
// the benchmark corpus classify exactly as they did, and ClassifyInto equals Classify.
// A deliberate change of the lexicon or the rules rewrites the file with
// `go test -run TestClassifyGolden -update-classify-golden ./feedback/`; review its diff.
func TestClassifyGolden(t *testing.T) {
	lx := feedback.DefaultLexicon()
	texts := goldenTexts(t)
	var got []goldenLine
	var into feedback.Classification
	for _, text := range texts {
		c := lx.Classify(text)
		lx.ClassifyInto(text, &into)
		require.True(t, classificationsEqual(c, into), "ClassifyInto of %q: %+v", text, into)
		got = append(got, goldenLine{Text: text, Out: c, Variants: variantDigest(lx, text)})
	}
	got = append(got, goldenLine{Text: "corpus", Variants: corpusDigest()})
	const path = "testdata/classify-golden.jsonl"
	if *updateGolden {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		for _, g := range got {
			require.NoError(t, enc.Encode(g))
		}
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	i := 0
	for sc.Scan() {
		var want goldenLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &want))
		require.Less(t, i, len(got), "more golden lines than texts")
		require.Equal(t, want, got[i], "text %d: %q", i, want.Text)
		i++
	}
	require.NoError(t, sc.Err())
	require.Equal(t, len(got), i, "golden lines")
}

// classificationsEqual reports whether a and b are the same result, down to an empty
// themes list being non-nil (it is written as [] in JSON).
func classificationsEqual(a, b feedback.Classification) bool {
	return a.Lang == b.Lang && a.Kind == b.Kind && a.Urgent == b.Urgent && a.FormalComplaint == b.FormalComplaint &&
		a.WantsReply == b.WantsReply && a.LexiconVersion == b.LexiconVersion &&
		(a.Themes == nil) == (b.Themes == nil) && slices.Equal(a.Themes, b.Themes) && slices.Equal(a.Matches, b.Matches)
}
