package feedback

import (
	"testing"
)

// oldNewSeeds are texts that exercise the classifier's paths: cues of every kind,
// negation, phrases, compounds, diacritics typed or dropped, emoji, apostrophes, upper
// case, redaction tokens and invalid UTF-8.
var oldNewSeeds = []string{
	"Kiitos!", "👍", "👎🏻 ei hyvä", "ok!!", "Ei huono.", "Teen muistutuksen. Soittakaa!", "Jos en saa vastausta, teen kantelun.",
	"Hur kan sånt här hända?", "I nearly died laughing", "don't", "It’s not good", "\xff\xfe", "ä\u0308", "ÄITI ÖISIN ÅSKA",
	"Odotin päivystyksessä neljä tuntia ennen kuin pääsin lääkärille.", "Vi väntade tre timmar på jouren.",
	"The nurse was rude and did not listen.", "Henkilötunnukseni on [hetu], soittakaa [phone].",
	"Hammaslaakari oli tosi tyly ja odotin kauan", "Miksi kukaan ei koskaan vastaa puhelimeen?",
	"Sain sakon peruutetusta ajasta.", "Minua kohdeltiin huonosti osastolla.", "İstanbul ǅ ß ﬁ Σίσυφος",
	"odotushuoneessa oli kylmä; väntrummet (kallt) – vänta", "Mieheni lyö minua.", "kiitos tack",
}

// TestClassifyOldNew checks that the classifier gives exactly the old classifier's
// result, with and without a language hint, on the seeds.
func TestClassifyOldNew(t *testing.T) {
	lx := DefaultLexicon()
	var into Classification
	for _, s := range oldNewSeeds {
		for _, hint := range []string{"", "fi", "sv", "en"} {
			compareOldNew(t, lx, s, hint, &into)
		}
	}
}

// FuzzClassifyOldNew is a differential fuzzer: the new classifier against the old.
func FuzzClassifyOldNew(f *testing.F) {
	for _, s := range oldNewSeeds {
		f.Add(s, uint8(0))
	}
	lx := DefaultLexicon()
	var into Classification // reused across inputs, as a ClassifyInto loop does
	f.Fuzz(func(t *testing.T, text string, h uint8) {
		compareOldNew(t, lx, text, [...]string{"", "fi", "sv", "en"}[h%4], &into)
	})
}

// compareOldNew checks ClassifyHint against the old classifier, and ClassifyInto (into
// holds an earlier result) against Classify.
func compareOldNew(t *testing.T, lx *Lexicon, text, hint string, into *Classification) {
	t.Helper()
	want := lx.oldClassifyHint(text, hint)
	got := lx.ClassifyHint(text, hint)
	if !equalClassification(want, got) {
		t.Fatalf("text %q hint %q:\nold %+v\nnew %+v", text, hint, want, got)
	}
	if hint == "" {
		lx.ClassifyInto(text, into)
		if !equalClassification(want, *into) {
			t.Fatalf("text %q: ClassifyInto\nwant %+v\ngot  %+v", text, want, *into)
		}
	}
}

func equalClassification(a, b Classification) bool {
	if a.Lang != b.Lang || a.Kind != b.Kind || a.Urgent != b.Urgent || a.FormalComplaint != b.FormalComplaint ||
		a.WantsReply != b.WantsReply || a.LexiconVersion != b.LexiconVersion || len(a.Themes) != len(b.Themes) ||
		(a.Themes == nil) != (b.Themes == nil) || len(a.Matches) != len(b.Matches) {
		return false
	}
	for i := range a.Themes {
		if a.Themes[i] != b.Themes[i] {
			return false
		}
	}
	for i := range a.Matches {
		if a.Matches[i] != b.Matches[i] {
			return false
		}
	}
	return true
}
