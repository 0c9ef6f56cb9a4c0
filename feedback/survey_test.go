package feedback_test

import (
	"encoding/json"
	"iter"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

var surveyNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func qid(n byte) feedback.QuestionnaireID {
	var u uuid.UUID
	u[15] = n
	return feedback.QuestionnaireID{UUID: u}
}

func txt(s string) osallisuus.Text {
	return osallisuus.Text{FI: s + " fi", SV: s + " sv", EN: s + " en"}
}

// sample is a valid questionnaire with every type and two display conditions.
func sample() feedback.Questionnaire {
	labels := []osallisuus.Text{txt("1"), txt("2"), txt("3"), txt("4"), txt("5")}
	return feedback.Questionnaire{ID: qid(1), Number: 1, Title: txt("title"), Questions: []feedback.SurveyQuestion{
		{ID: "rec", Type: feedback.TypeNPS, Text: txt("rec"), Required: true},
		{ID: "heard", Type: feedback.TypeScale, Text: txt("heard"), Labels: labels, DontKnow: true},
		{ID: "face", Type: feedback.TypeSmiley, Faces: 4, Text: txt("face")},
		{ID: "used", Type: feedback.TypeYesNo, Text: txt("used")},
		{ID: "why", Type: feedback.TypeText, Text: txt("why"), Required: true,
			ShowIf: &feedback.Condition{Question: "used", Op: feedback.OpEquals, Value: "no"}},
		{ID: "ch", Type: feedback.TypeSingle, Text: txt("ch"), Choices: []feedback.Choice{{"web", txt("web")}, {"phone", txt("phone")}}},
		{ID: "topics", Type: feedback.TypeMultiple, Text: txt("topics"),
			Choices: []feedback.Choice{{"a", txt("a")}, {"b", txt("b")}, {"c", txt("c")}},
			ShowIf:  &feedback.Condition{Question: "ch", Op: feedback.OpAnswered}},
	}}
}

func problems(t *testing.T, err error) []osallisuus.Problem {
	t.Helper()
	var ve *osallisuus.ValidationError
	require.ErrorAs(t, err, &ve)
	return ve.Problems
}

func fields(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, p := range problems(t, err) {
		out = append(out, p.Field+":"+string(p.Code))
	}
	return out
}

func TestQuestionnaireValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(q *feedback.Questionnaire)
		want   []string
	}{
		{"Q1: the sample with every question type is valid", func(*feedback.Questionnaire) {}, nil},
		{"Q1: a version number below 1 is refused", func(q *feedback.Questionnaire) { q.Number = 0 },
			[]string{"number:out-of-range"}},
		{"Q1: an unknown question type is refused", func(q *feedback.Questionnaire) { q.Questions[0].Type = "slider" },
			[]string{"questions[0].type:unknown"}},
		{"Q1: a smiley has 4 or 5 faces", func(q *feedback.Questionnaire) { q.Questions[2].Faces = 3 },
			[]string{"questions[2].faces:out-of-range"}},
		{"Q1: a scale has five labels", func(q *feedback.Questionnaire) { q.Questions[1].Labels = q.Questions[1].Labels[:4] },
			[]string{"questions[1].labels:out-of-range"}},
		{"Q1: a single choice needs two choices", func(q *feedback.Questionnaire) { q.Questions[5].Choices = q.Questions[5].Choices[:1] },
			[]string{"questions[5].choices:out-of-range"}},
		{"Q1: choice values are distinct", func(q *feedback.Questionnaire) { q.Questions[6].Choices[2].Value = "a" },
			[]string{"questions[6].choices[2].value:duplicate"}},
		{"Q1: question IDs are distinct", func(q *feedback.Questionnaire) { q.Questions[3].ID = "rec" },
			[]string{"questions[3].id:duplicate", "questions[4].showIf.question:unknown"}},
		{"Q1: don't know is offered on numeric questions only", func(q *feedback.Questionnaire) { q.Questions[3].DontKnow = true },
			[]string{"questions[3].dontKnow:not-allowed"}},
		{"Q1: a condition refers to an earlier question", func(q *feedback.Questionnaire) { q.Questions[4].ShowIf.Question = "topics" },
			[]string{"questions[4].showIf.question:unknown"}},
		{"Q1: a condition's value is one the question can give", func(q *feedback.Questionnaire) { q.Questions[4].ShowIf.Value = "maybe" },
			[]string{"questions[4].showIf.value:out-of-range"}},
		{"Q1: a condition on a number stays on the scale", func(q *feedback.Questionnaire) {
			q.Questions[4].ShowIf = &feedback.Condition{Question: "rec", Op: feedback.OpEquals, Value: "11"}
		}, []string{"questions[4].showIf.value:out-of-range"}},
		{"Q1: answered takes no value", func(q *feedback.Questionnaire) { q.Questions[6].ShowIf.Value = "x" },
			[]string{"questions[6].showIf.value:not-allowed"}},
		{"Q3: an unknown double-answer prevention is refused", func(q *feedback.Questionnaire) { q.Prevent = "cookie" },
			[]string{"prevent:unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := sample()
			tt.change(&q)
			err := q.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			assert.Equal(t, tt.want, fields(t, err))
		})
	}
}

func TestPublishQuestionnaire(t *testing.T) {
	t.Run("Q1: publication refuses a missing language and names it", func(t *testing.T) {
		q := sample()
		q.Questions[1].Text.SV = ""
		q.Questions[1].Labels[4].EN = " "
		q.Questions[5].Choices[1].Text.FI = ""
		_, err := feedback.PublishQuestionnaire(q, surveyNow)
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		assert.Equal(t, []string{"questions[1].text.sv:required", "questions[1].labels[4].en:required",
			"questions[5].choices[1].text.fi:required"}, fields(t, err))
	})
	t.Run("Q1: a draft may miss languages", func(t *testing.T) {
		q := sample()
		q.Title = osallisuus.Text{FI: "vain suomeksi"}
		assert.NoError(t, q.Validate())
	})
	t.Run("Q2: publishing sets the instant and leaves the input alone", func(t *testing.T) {
		q := sample()
		p, err := feedback.PublishQuestionnaire(q, surveyNow)
		require.NoError(t, err)
		assert.True(t, p.Published())
		assert.False(t, q.Published())
		assert.Equal(t, surveyNow, p.PublishedAt)
	})
	t.Run("Q2: a published version is frozen: publishing again is a conflict", func(t *testing.T) {
		p, err := feedback.PublishQuestionnaire(sample(), surveyNow)
		require.NoError(t, err)
		_, err = feedback.PublishQuestionnaire(p, surveyNow)
		require.ErrorIs(t, err, osallisuus.ErrConflict)
		var re *osallisuus.RuleError
		require.ErrorAs(t, err, &re)
		assert.True(t, re.Has(feedback.ReasonPublished))
	})
	t.Run("Q2: the next version is a draft with the next number", func(t *testing.T) {
		p, err := feedback.PublishQuestionnaire(sample(), surveyNow)
		require.NoError(t, err)
		n := feedback.NextVersion(p, surveyNow.Add(time.Hour))
		assert.Equal(t, 2, n.Number)
		assert.False(t, n.Published())
		n.Questions[0].Text.FI = "muutettu"
		assert.Equal(t, "rec fi", p.Questions[0].Text.FI, "the published version shares nothing with the draft")
	})
	t.Run("Q6: the standard template publishes in fi, sv and en", func(t *testing.T) {
		p, err := feedback.PublishQuestionnaire(feedback.StandardQuestionnaire(qid(9)), surveyNow)
		require.NoError(t, err)
		types := []feedback.QuestionType{}
		for _, x := range p.Questions {
			types = append(types, x.Type)
		}
		assert.Equal(t, []feedback.QuestionType{feedback.TypeNPS, feedback.TypeScale, feedback.TypeScale,
			feedback.TypeScale, feedback.TypeScale, feedback.TypeText}, types)
	})
}

func num(n int) feedback.SurveyAnswer        { return feedback.NumberAnswer(n) }
func pick(v ...string) feedback.SurveyAnswer { return feedback.SurveyAnswer{Choices: v} }

func TestSurveyCheckAnswers(t *testing.T) {
	dk := feedback.SurveyAnswer{DontKnow: true}
	text := feedback.SurveyAnswer{Text: "Liian pitkä jono."}
	tests := []struct {
		name    string
		answers map[string]feedback.SurveyAnswer
		want    []string
	}{
		{"Q1: only the required shown question is needed", map[string]feedback.SurveyAnswer{"rec": num(0)}, nil},
		{"Q1: a missing required question is named", map[string]feedback.SurveyAnswer{"heard": num(3)},
			[]string{"answers.rec:required"}},
		{"Q1: nps answers run 0 to 10", map[string]feedback.SurveyAnswer{"rec": num(11)},
			[]string{"answers.rec:out-of-range"}},
		{"Q1: scale answers run 1 to 5", map[string]feedback.SurveyAnswer{"rec": num(10), "heard": num(0)},
			[]string{"answers.heard:out-of-range"}},
		{"Q1: a four-face smiley has no fifth face", map[string]feedback.SurveyAnswer{"rec": num(10), "face": num(5)},
			[]string{"answers.face:out-of-range"}},
		{"Q1: don't know only where offered", map[string]feedback.SurveyAnswer{"rec": dk, "heard": dk},
			[]string{"answers.rec:not-allowed"}},
		{"Q1: yes-no takes yes or no", map[string]feedback.SurveyAnswer{"rec": num(1), "used": pick("maybe")},
			[]string{"answers.used:out-of-range"}},
		{"Q1: a text answer to a number question does not fit its type", map[string]feedback.SurveyAnswer{"rec": text},
			[]string{"answers.rec:type"}},
		{"Q1: a shown required text question after used = no", map[string]feedback.SurveyAnswer{"rec": num(8), "used": pick("no")},
			[]string{"answers.why:required"}},
		{"Q1: a hidden question may not be answered", map[string]feedback.SurveyAnswer{"rec": num(8), "used": pick("yes"), "why": text},
			[]string{"answers.why:not-allowed"}},
		{"Q1: the condition holds and the text is given", map[string]feedback.SurveyAnswer{"rec": num(8), "used": pick("no"), "why": text}, nil},
		{"Q1: single takes exactly one choice", map[string]feedback.SurveyAnswer{"rec": num(8), "ch": pick("web", "phone")},
			[]string{"answers.ch:out-of-range"}},
		{"Q1: multiple takes distinct known choices", map[string]feedback.SurveyAnswer{"rec": num(8), "ch": pick("web"), "topics": pick("a", "a")},
			[]string{"answers.topics:out-of-range"}},
		{"Q1: multiple shown after an answered question", map[string]feedback.SurveyAnswer{"rec": num(8), "ch": pick("web"), "topics": pick("c", "a")}, nil},
		{"Q1: a blank text is no answer", map[string]feedback.SurveyAnswer{"rec": num(8), "used": pick("no"), "why": {Text: "  "}},
			[]string{"answers.why:required"}},
		{"Q1: an empty answer to a number question is no number", map[string]feedback.SurveyAnswer{"rec": {}},
			[]string{"answers.rec:required"}},
		{"Q1: a number answer to a choice question does not fit its type", map[string]feedback.SurveyAnswer{"rec": num(1), "ch": num(0)},
			[]string{"answers.ch:type"}},
		{"Q1: an unknown question is named", map[string]feedback.SurveyAnswer{"rec": num(8), "zzz": num(1)},
			[]string{"answers.zzz:unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := feedback.CheckAnswers(sample(), tt.answers)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			assert.Equal(t, tt.want, fields(t, err))
		})
	}
}

func TestSurveyConditionParsing(t *testing.T) {
	tests := []struct {
		name, in string
		want     feedback.Condition
		ok       bool
	}{
		{"Q1: equal", "rec = 9", feedback.Condition{Question: "rec", Op: feedback.OpEquals, Value: "9"}, true},
		{"Q1: not equal without spaces", "used!=no", feedback.Condition{Question: "used", Op: feedback.OpNotEquals, Value: "no"}, true},
		{"Q1: answered with tabs", "\tch \t answered ", feedback.Condition{Question: "ch", Op: feedback.OpAnswered}, true},
		{"Q1: an empty value is refused", "rec =", feedback.Condition{}, false},
		{"Q1: two equals signs are refused", "rec == 9", feedback.Condition{}, false},
		{"Q1: an unknown test is refused", "rec > 9", feedback.Condition{}, false},
		{"Q1: spaces inside a value are refused", "rec = 9 10", feedback.Condition{}, false},
		{"Q1: answered with a value is refused", "rec answered 9", feedback.Condition{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := feedback.ParseCondition(tt.in)
			if !tt.ok {
				require.ErrorIs(t, err, osallisuus.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, c)
			back, err := feedback.ParseCondition(c.String())
			require.NoError(t, err)
			assert.Equal(t, c, back)
		})
	}
}

func TestSurveyConditionHolds(t *testing.T) {
	eq := feedback.Condition{Question: "x", Op: feedback.OpEquals, Value: "b"}
	ne := feedback.Condition{Question: "x", Op: feedback.OpNotEquals, Value: "b"}
	an := feedback.Condition{Question: "x", Op: feedback.OpAnswered}
	assert.True(t, eq.Holds(true, []string{"a", "b"}), "Q1: equal holds when a multiple answer includes the value")
	assert.False(t, eq.Holds(false, nil), "Q1: equal never holds without an answer")
	assert.True(t, ne.Holds(false, nil), "Q1: not equal holds without an answer")
	assert.False(t, ne.Holds(true, []string{"b"}))
	assert.True(t, an.Holds(true, nil), "Q1: a text answer is answered")
	assert.False(t, an.Holds(false, nil))
}

func TestSurveyRespondentGuard(t *testing.T) {
	salt := []byte("host secret")
	g := feedback.RespondentGuard(salt, qid(1), "customer-42")
	assert.Len(t, g, 64)
	assert.NotContains(t, g, "customer-42", "Q3: the key itself is never stored")
	assert.Equal(t, g, feedback.RespondentGuard(salt, qid(1), "customer-42"), "Q3: the same key gives the same guard")
	assert.NotEqual(t, g, feedback.RespondentGuard(salt, qid(2), "customer-42"), "another questionnaire, another guard")
	assert.NotEqual(t, g, feedback.RespondentGuard([]byte("other"), qid(1), "customer-42"), "the salt matters")
}

func surveyResponses(rs ...feedback.SurveyResponse) iter.Seq2[feedback.SurveyResponse, error] {
	return func(yield func(feedback.SurveyResponse, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func resp(n int, number int, at time.Time, answers map[string]feedback.SurveyAnswer) feedback.SurveyResponse {
	var u uuid.UUID
	u[14], u[15] = byte(n>>8), byte(n)
	return feedback.SurveyResponse{ID: feedback.ResponseID{UUID: u}, Questionnaire: qid(1), Number: number, At: at, Answers: answers}
}

func TestSurveyMetrics(t *testing.T) {
	v1, err := feedback.PublishQuestionnaire(sample(), surveyNow)
	require.NoError(t, err)
	v2 := feedback.NextVersion(v1, surveyNow)
	v2.Questions[2].Faces = 5 // the smiley changes scale in version 2
	v2, err = feedback.PublishQuestionnaire(v2, surveyNow)
	require.NoError(t, err)

	var rs []feedback.SurveyResponse
	// Six nps answers (two promoters, one detractor), one dk on heard, smiley in both versions.
	for i, a := range []int{10, 9, 8, 7, 3, 8} {
		number := 1 + i%2
		ans := map[string]feedback.SurveyAnswer{"rec": num(a), "heard": num(4), "face": num(3)}
		if i == 0 {
			ans["heard"] = feedback.SurveyAnswer{DontKnow: true}
		}
		rs = append(rs, resp(i+1, number, surveyNow.Add(time.Duration(i)*time.Hour), ans))
	}
	rep, err := feedback.SurveyMetrics([]feedback.Questionnaire{v1, v2}, surveyResponses(rs...), feedback.SurveyMetricsConfig{})
	require.NoError(t, err)
	require.Len(t, rep.Groups, 1)
	figs := rep.Groups[0].Figures
	require.Len(t, figs, 3, "Q5: every numeric question of the latest version, in its order")

	// Q5: the same figures as Metrics gives for the same answers.
	want, err := feedback.Metrics(feedback.MetricsConfig{Questions: []feedback.Question{{ID: "rec", Scale: feedback.ScaleNPS}}},
		func(yield func(feedback.Response, error) bool) {
			for i, a := range []int{10, 9, 8, 7, 3, 8} {
				if !yield(feedback.Response{ID: string(rune('a' + i)), At: surveyNow,
					Answers: map[string]feedback.Answer{"rec": {Kind: feedback.AnswerCounted, Value: a}}}, nil) {
					return
				}
			}
		})
	require.NoError(t, err)
	assert.Equal(t, want.Groups[0].Figures[0], figs[0], "Q5: NPS from the same code as feedback metrics")
	assert.Equal(t, "16.7", figs[0].Value.String())

	assert.Equal(t, feedback.ScaleCSAT, figs[1].Scale, "a 1–5 statement is measured as csat")
	assert.Equal(t, int64(5), figs[1].N, "Q5: don't know stays out of N")
	assert.Equal(t, feedback.ScaleSmiley5, figs[2].Scale, "the latest version decides the scale")
	assert.True(t, figs[2].Suppressed, "Q5: only the three version-2 smiley answers count, N = 3 < 5 is suppressed")

	t.Run("Q5: a range keeps the responses of its Helsinki days", func(t *testing.T) {
		day := osallisuus.DateOf(surveyNow)
		rep, err := feedback.SurveyMetrics([]feedback.Questionnaire{v1, v2}, surveyResponses(rs...),
			feedback.SurveyMetricsConfig{Questions: []string{"rec"}, Threshold: 1,
				Range: osallisuus.DateRange{From: day.AddDays(1), Until: day.AddDays(1)}})
		require.NoError(t, err)
		assert.True(t, rep.Groups[0].Figures[0].Suppressed, "no response falls on the next day: N = 0")
	})
	t.Run("Q5: a question that is not numeric is named", func(t *testing.T) {
		_, err := feedback.SurveyMetrics([]feedback.Questionnaire{v1}, surveyResponses(), feedback.SurveyMetricsConfig{Questions: []string{"why"}})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		assert.Equal(t, []string{"questions[0]:unknown"}, fields(t, err))
	})
	t.Run("Q2: responses to versions not given are left out", func(t *testing.T) {
		rep, err := feedback.SurveyMetrics([]feedback.Questionnaire{v2}, surveyResponses(rs...),
			feedback.SurveyMetricsConfig{Questions: []string{"rec"}, Threshold: 1})
		require.NoError(t, err)
		assert.Equal(t, int64(3), rep.Groups[0].Figures[0].N)
	})
}

func TestSurveyTokens(t *testing.T) {
	salt := []byte("host secret")
	tok, err := feedback.IssueSurveyToken(salt, qid(1))
	require.NoError(t, err)
	other, err := feedback.IssueSurveyToken(salt, qid(1))
	require.NoError(t, err)
	assert.NotEqual(t, tok, other, "Q3: every token is new")
	assert.True(t, feedback.VerifySurveyToken(salt, qid(1), tok), "Q3: an issued token is recognised")
	assert.False(t, feedback.VerifySurveyToken(salt, qid(2), tok), "a token of another questionnaire")
	assert.False(t, feedback.VerifySurveyToken([]byte("other"), qid(1), tok), "a token under another salt")
	tampered := []byte(tok)
	tampered[0] ^= 1
	assert.False(t, feedback.VerifySurveyToken(salt, qid(1), string(tampered)), "a changed nonce")
	assert.False(t, feedback.VerifySurveyToken(salt, qid(1), ""), "no token")
}

func TestSurveyJSONRoundTrip(t *testing.T) {
	q, err := feedback.PublishQuestionnaire(sample(), surveyNow)
	require.NoError(t, err)
	b, err := json.Marshal(q)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"showIf":"used = no"`, "a condition's JSON is its text")
	var back feedback.Questionnaire
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, q, back)

	r := resp(1, 1, surveyNow, map[string]feedback.SurveyAnswer{"rec": num(0), "heard": {DontKnow: true}, "ch": pick("web")})
	b, err = json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"rec":{"number":0}`, "an answer 0 is written")
	var rb feedback.SurveyResponse
	require.NoError(t, json.Unmarshal(b, &rb))
	assert.Equal(t, r, rb)

	bad := []byte(`{"id":"x","type":"text","showIf":"used > no"}`)
	var x feedback.SurveyQuestion
	require.ErrorIs(t, json.Unmarshal(bad, &x), osallisuus.ErrInvalid, "a malformed condition does not decode")
}
