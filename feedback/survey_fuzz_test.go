package feedback_test

import (
	"testing"
	"unicode/utf8"

	"github.com/osallisuus/osallisuus/feedback"
)

// FuzzSurveyParseCondition checks that ParseCondition never panics, that what it accepts
// is valid and round-trips through String, and that String is canonical.
func FuzzSurveyParseCondition(f *testing.F) {
	for _, s := range []string{"rec = 9", "used!=no", "ch answered", "\tq.1_x-2 = dk ", "a = = b", "!= x",
		"q answered x", "q !== 1", "q =! 1", "ä = 1", "q = 1\n", "", "=", "answered", "q\tanswered"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := feedback.ParseCondition(s)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseCondition(%q) accepted an invalid condition %+v: %v", s, c, err)
		}
		text := c.String()
		back, err := feedback.ParseCondition(text)
		if err != nil || back != c {
			t.Fatalf("round trip of %q: %q gave %+v, %v", s, text, back, err)
		}
		if back.String() != text || !utf8.ValidString(text) {
			t.Fatalf("String is not canonical: %q then %q", text, back.String())
		}
	})
}

// FuzzSurveyCheckAnswers checks that any answer values give nil or a validation error,
// never a panic, and that Shown agrees with CheckAnswers on hidden questions.
func FuzzSurveyCheckAnswers(f *testing.F) {
	f.Add(9, "no", "Jono oli pitkä.", "web", false)
	f.Add(-1, "maybe", "", "", true)
	f.Add(11, "yes", "\xff", "phone", false)
	f.Fuzz(func(t *testing.T, n int, yesNo, text, choice string, dk bool) {
		q := sample()
		answers := map[string]feedback.SurveyAnswer{
			"rec":  {Number: &n, DontKnow: dk},
			"used": {Choices: []string{yesNo}},
			"why":  {Text: text},
			"ch":   {Choices: []string{choice}},
		}
		err := feedback.CheckAnswers(q, answers)
		if err == nil && !q.Shown(q.Question("why"), answers) {
			t.Fatalf("an answer to a hidden question was accepted: %+v", answers)
		}
		if err != nil {
			problems(t, err)
		}
	})
}

// FuzzSurveyVerifyToken checks that any text is judged without a panic, and that a
// text accepted for one questionnaire has the token's shape and is refused for another.
// (Tokens are random, so a fuzzing worker cannot know the seed's token; the shape is
// what is checked.)
func FuzzSurveyVerifyToken(f *testing.F) {
	salt := []byte("fuzz salt")
	tok, err := feedback.IssueSurveyToken(salt, qid(1))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add("")
	f.Add("00.00")
	f.Add(tok[:24] + "." + tok[:32])
	f.Fuzz(func(t *testing.T, s string) {
		if !feedback.VerifySurveyToken(salt, qid(1), s) {
			return
		}
		if len(s) != 57 || s[24] != '.' {
			t.Fatalf("accepted a text without the token's shape: %q", s)
		}
		if feedback.VerifySurveyToken(salt, qid(2), s) {
			t.Fatalf("a token of one questionnaire was accepted for another: %q", s)
		}
	})
}
