package feedback_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/feedback"
)

func TestClassifyLanguageAndKindRules(t *testing.T) {
	tests := []struct {
		name string
		text string
		lang string
		kind feedback.Kind
	}{
		{"an emoji alone is praise without a language", "👍", "und", feedback.KindPraise},
		{"a thumbs down alone is a complaint", "👎", "und", feedback.KindComplaint},
		{"shared words do not count for a language but ok is a judgement", "ok!!", "und", feedback.KindPraise},
		{"text without diacritics keeps its language", "Hammaslaakari oli tosi tyly ja odotin kauan", "fi", feedback.KindComplaint},
		{"a negated negative is praise", "Ei huono.", "fi", feedback.KindPraise},
		{"a negated negative is praise in Swedish", "Inte dålig.", "sv", feedback.KindPraise},
		{"a suggestion phrased as a question is an idea", "Could you add more chairs to the lobby?", "en", feedback.KindIdea},
		{"thanks and a question about one's own matter is a question", "Thanks! When will my results be ready?", "en", feedback.KindQuestion},
		{"praise and one complaint is a complaint", "Hoitaja oli ihana, mutta odotin kolme tuntia.", "fi", feedback.KindComplaint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := feedback.Classify(tt.text)
			assert.Equal(t, tt.lang, c.Lang)
			assert.Equal(t, tt.kind, c.Kind)
			assert.NotEmpty(t, c.Matches, "every label is explained")
		})
	}
}

func TestClassifyFlags(t *testing.T) {
	assert.False(t, feedback.Classify("Jos en saa vastausta, teen kantelun.").FormalComplaint, "a condition blocks it")
	assert.False(t, feedback.Classify("En aio tehdä muistutusta, mutta hoitaja oli tyly.").FormalComplaint, "negated")
	assert.False(t, feedback.Classify("Sain tekstiviestimuistutuksen ajasta.").FormalComplaint, "a reminder is not a muistutus")
	assert.True(t, feedback.Classify("Miten teen muistutuksen?").FormalComplaint, "asking how to file one")
	assert.False(t, feedback.Classify("I nearly died laughing, thanks!").Urgent, "an idiom")
	assert.True(t, feedback.Classify("Mieheni lyö minua.").Urgent)
	c := feedback.Classify("Miksi kukaan ei koskaan vastaa puhelimeen?")
	assert.False(t, c.WantsReply, "a rhetorical question wants no reply")
	assert.Equal(t, feedback.KindComplaint, c.Kind)
	assert.False(t, feedback.Classify("Odotin tunnin. Ei tarvitse vastata.").WantsReply, "a declined reply")
}

func TestClassifyHintBreaksTiesOnly(t *testing.T) {
	// One Finnish and one Swedish word: a tie that the first word decides, or the hint.
	assert.Equal(t, "fi", feedback.Classify("kiitos tack").Lang)
	assert.Equal(t, "sv", feedback.DefaultLexicon().ClassifyHint("kiitos tack", "sv").Lang)
	assert.Equal(t, "fi", feedback.DefaultLexicon().ClassifyHint("Kiitos paljon hyvästä hoidosta, tack", "sv").Lang,
		"a hint never overrides a majority")
}

func TestClassifyFinnishGradation(t *testing.T) {
	assert.Contains(t, feedback.Classify("Sain sakon peruutetusta ajasta.").Themes, "cost", "sakko* matches sakon")
	assert.Contains(t, feedback.Classify("Minua kohdeltiin huonosti osastolla.").Themes, "treatment", "kohtel* matches kohdeltiin")
}

// ExampleLexicon_ClassifyInto classifies a stream of messages into one reused
// Classification, which allocates nothing once its slices have grown.
func ExampleLexicon_ClassifyInto() {
	lx := feedback.DefaultLexicon()
	var c feedback.Classification
	for _, text := range []string{
		"Odotin päivystyksessä neljä tuntia.",
		"Tack till sjukskötaren som var så vänlig!",
		"When will I get my test results?",
	} {
		lx.ClassifyInto(text, &c)
		fmt.Println(c.Lang, c.Kind, c.Themes, c.WantsReply)
	}
	// Output:
	// fi complaint [access] false
	// sv praise [treatment] false
	// en question [information] true
}

// TestClassifyResultsOwnTheirSlices checks that results of Classify, which take their
// slices from shared slabs, never share elements: changing or appending to one result
// leaves every other result, and later results, as they were.
func TestClassifyResultsOwnTheirSlices(t *testing.T) {
	texts := []string{"Kiitos!", "Odotin kolme tuntia, eikä kukaan vastannut. Teen muistutuksen.",
		"The nurse was rude and did not listen to my questions at all.", "Hur bokar jag en tid?", "👍",
		"Lasku tuli kahteen kertaan ja hoitaja oli tyly. Milloin saan vastauksen?"}
	var kept []feedback.Classification
	for i := range 400 {
		kept = append(kept, feedback.Classify(texts[i%len(texts)]))
	}
	for i := range kept {
		if i%3 == 0 {
			kept[i].Matches = append(kept[i].Matches, feedback.NewMatch("x", "appended", 0, 0))
			kept[i].Themes = append(kept[i].Themes, "appended")
		}
		if i%3 == 1 && len(kept[i].Matches) > 0 {
			m := &kept[i].Matches[len(kept[i].Matches)-1]
			*m = feedback.NewMatch(m.Label(), "changed", m.Start, m.End)
		}
	}
	for range 400 {
		feedback.Classify(texts[2])
	}
	for i, c := range kept {
		want := feedback.Classify(texts[i%len(texts)])
		switch i % 3 {
		case 0:
			assert.Equal(t, "appended", c.Matches[len(c.Matches)-1].Rule(), "result %d keeps its own append", i)
			assert.Equal(t, want.Matches, c.Matches[:len(c.Matches)-1], "result %d", i)
			assert.Equal(t, want.Themes, c.Themes[:len(c.Themes)-1], "result %d", i)
		case 1:
			assert.Equal(t, "changed", c.Matches[len(c.Matches)-1].Rule(), "result %d keeps its own change", i)
			assert.Equal(t, want.Matches[:len(want.Matches)-1], c.Matches[:len(c.Matches)-1], "result %d", i)
			assert.Equal(t, want.Themes, c.Themes, "result %d", i)
		default:
			assert.Equal(t, want, c, "result %d", i)
		}
	}
}

func TestClassifyMatchesHoldNoRepeats(t *testing.T) {
	// A custom lexicon where one cue is listed twice, is matched inside compounds, and
	// is listed in two languages.
	lx, err := feedback.NewLexicon(feedback.LexiconData{Version: "t", Entries: []feedback.LexiconEntry{
		{Lang: "fi", Label: "cost", Term: "maksu*", Match: feedback.MatchPrefix},
		{Lang: "fi", Label: "cost", Term: "maksu*", Match: feedback.MatchPrefix},
		{Lang: "fi", Label: "cost", Term: "maksu*", Match: feedback.MatchSuffix},
		{Lang: "sv", Label: "digital", Term: "chatt*", Match: feedback.MatchPrefix},
		{Lang: "en", Label: "digital", Term: "chatt*", Match: feedback.MatchPrefix},
	}})
	require.NoError(t, err)
	tests := []struct {
		name string
		lx   *feedback.Lexicon
		text string
		want feedback.Match
	}{
		{"a term listed twice in the default lexicon is evidence once", feedback.DefaultLexicon(),
			"Lasku tuli kahteen kertaan, vaikka maksoin sen jo viime kuussa.", feedback.NewMatch("cost", "lasku*", 0, 5)},
		{"a cue listed twice and as a compound part is evidence once", lx, "maksu", feedback.NewMatch("cost", "maksu*", 0, 5)},
		{"a cue found by the root and a compound walk of one token is evidence once", lx, "maksumaksu",
			feedback.NewMatch("cost", "maksu*", 0, 10)},
		{"a cue of two languages in a text of no language is evidence once", lx, "chatten",
			feedback.NewMatch("digital", "chatt*", 0, 7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.lx.Classify(tt.text)
			n := 0
			for _, m := range c.Matches {
				if m == tt.want {
					n++
				}
			}
			assert.Equal(t, 1, n, "%v", c.Matches)
		})
	}
}

// TestMatchIsAValue checks that a Match built with NewMatch, read back from its JSON,
// and found by Classify are one value under ==, and what its accessors return.
func TestMatchIsAValue(t *testing.T) {
	c := feedback.Classify("Lasku tuli kahteen kertaan.")
	want := feedback.NewMatch("cost", "lasku*", 0, 5)
	require.Contains(t, c.Matches, want)
	assert.True(t, slices.Contains(c.Matches, want), "== finds the classifier's match")
	assert.Equal(t, "cost", want.Label())
	assert.Equal(t, "lasku*", want.Rule())
	assert.Equal(t, "cost←lasku*[0:5]", want.String())

	b, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, `{"label":"cost","rule":"lasku*","start":0,"end":5}`, string(b))
	var back feedback.Match
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back == want, "read back: %v", back)
	assert.False(t, back == feedback.NewMatch("cost", "lasku", 0, 5), "another rule is another match")

	var zero feedback.Match
	assert.Empty(t, zero.Label())
	assert.Empty(t, zero.Rule())
	assert.Error(t, json.Unmarshal([]byte(`{"label":1}`), &back), "a label that is not a string")
}

// TestMatchInterningIsSafeForConcurrentUse builds and reads matches of new and known
// label and rule pairs from several goroutines at once (run with -race), while others
// classify: every match reads back the pair it was built with.
func TestMatchInterningIsSafeForConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				label, rule := fmt.Sprintf("label-%d", i%7), fmt.Sprintf("rule-%d-%d", g%2, i)
				m := feedback.NewMatch(label, rule, int32(i), int32(i+1))
				if m.Label() != label || m.Rule() != rule || m != feedback.NewMatch(label, rule, int32(i), int32(i+1)) {
					t.Errorf("goroutine %d: %v reads back %q %q", g, m, m.Label(), m.Rule())
					return
				}
				if i%50 == 0 {
					c := feedback.Classify("Lasku tuli kahteen kertaan.")
					if !slices.Contains(c.Matches, feedback.NewMatch("cost", "lasku*", 0, 5)) {
						t.Errorf("goroutine %d: %v", g, c.Matches)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
