package feedback_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

// allowOnly allows consent for one participant only.
func allowOnly(who osallisuus.ParticipantID) participation.ConsentChecker {
	return participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		if q.Subject == who && q.Purpose == "customer-survey" {
			return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
		}
		return participation.ConsentDecision{Reason: participation.ReasonNoConsent, Query: q}, nil
	})
}

type surveyWorld struct {
	svc   *feedback.SurveyService
	store *memstore.Store
	q     feedback.Questionnaire
}

// newSurveyWorld publishes the standard questionnaire with the given prevention.
func newSurveyWorld(t *testing.T, prevent feedback.DoubleAnswerPrevention, consent participation.ConsentChecker) surveyWorld {
	t.Helper()
	store := new(memstore.Store)
	svc, err := feedback.NewSurveyService(store, consent, feedback.SurveyConfig{Clock: osallisuus.FixedClock(surveyNow),
		Salt: []byte("test salt, not secret")})
	require.NoError(t, err)
	q := feedback.StandardQuestionnaire(feedback.QuestionnaireID{})
	q.Prevent = prevent
	q.IdentifiedPurpose = "customer-survey"
	q, err = svc.CreateQuestionnaire(t.Context(), q)
	require.NoError(t, err)
	q, err = svc.Publish(t.Context(), q.ID, q.Number)
	require.NoError(t, err)
	return surveyWorld{svc: svc, store: store, q: q}
}

func (w surveyWorld) count(t *testing.T) int {
	n := 0
	for _, err := range w.store.ListResponses(t.Context(), feedback.ResponseFilter{}) {
		require.NoError(t, err)
		n++
	}
	return n
}

func TestSurveyServiceAnswer(t *testing.T) {
	t.Run("Q3: an anonymous response stores no participant and Q4 redacts and classifies its text", func(t *testing.T) {
		w := newSurveyWorld(t, feedback.PreventNone, nil)
		r, err := w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, Lang: "fi", Answers: map[string]feedback.SurveyAnswer{
			feedback.StdRecommend: num(9),
			feedback.StdComment:   {Text: "  Odotin puhelimessa tunnin, soittakaa numeroon 040 123 4567.  "},
		}})
		require.NoError(t, err)
		assert.True(t, r.Respondent.IsZero())
		assert.Equal(t, 1, r.Number, "Q2: the response names the version answered")
		c := r.Answers[feedback.StdComment]
		assert.Equal(t, "Odotin puhelimessa tunnin, soittakaa numeroon [phone].", c.Text)
		require.Len(t, c.Redactions, 1)
		assert.Equal(t, feedback.RedactPhone, c.Redactions[0].Kind)
		want := feedback.Classify("Odotin puhelimessa tunnin, soittakaa numeroon [phone].")
		assert.Equal(t, want.Kind, c.Classification.Kind, "Q4: the same classification as feedback")
		assert.Equal(t, want.Themes, c.Classification.Themes)
		assert.Equal(t, 1, w.count(t))
	})
	t.Run("Q1: answers that do not fit are refused and nothing is stored", func(t *testing.T) {
		w := newSurveyWorld(t, feedback.PreventNone, nil)
		_, err := w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, Answers: map[string]feedback.SurveyAnswer{
			feedback.StdRecommend: num(12), feedback.StdHeard: pick("yes")}})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		assert.Equal(t, []string{"answers.recommend:out-of-range", "answers.heard:type"}, fields(t, err))
		assert.Zero(t, w.count(t))
	})
	t.Run("Q3: a second answer with the same respondent key is a conflict", func(t *testing.T) {
		w := newSurveyWorld(t, feedback.PreventKey, nil)
		in := feedback.AnswerInput{Questionnaire: w.q.ID, RespondentKey: "asiakas-7", Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(5)}}
		r, err := w.svc.Answer(t.Context(), in)
		require.NoError(t, err)
		assert.NotContains(t, r.Guard, "asiakas-7")
		_, err = w.svc.Answer(t.Context(), in)
		require.ErrorIs(t, err, osallisuus.ErrConflict)
		var re *osallisuus.RuleError
		require.ErrorAs(t, err, &re)
		assert.True(t, re.Has(feedback.ReasonAlreadyAnswered))
		assert.Equal(t, "respondentKey", re.Detail, "the refusal names the field")
		in.RespondentKey = "asiakas-8"
		_, err = w.svc.Answer(t.Context(), in)
		require.NoError(t, err)
		assert.Equal(t, 2, w.count(t))
	})
	t.Run("Q3: a token is required under token prevention and a key is not allowed", func(t *testing.T) {
		w := newSurveyWorld(t, feedback.PreventToken, nil)
		_, err := w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, RespondentKey: "k",
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(5)}})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		assert.Equal(t, []string{"token:required", "respondentKey:not-allowed"}, fields(t, err))
	})
	t.Run("Q3: concurrent answers with one token store exactly one", func(t *testing.T) {
		w := newSurveyWorld(t, feedback.PreventToken, nil)
		_, err := w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, Token: "0123456789abcdef01234567.0123456789abcdef0123456789abcdef",
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(10)}})
		require.ErrorIs(t, err, osallisuus.ErrInvalid, "a forged token")
		assert.Equal(t, []string{"token:format"}, fields(t, err))
		token, err := w.svc.IssueToken(w.q.ID)
		require.NoError(t, err)
		const n = 16
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := w.svc.Answer(context.Background(), feedback.AnswerInput{Questionnaire: w.q.ID, Token: token,
					Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(10)}})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			if err == nil {
				ok++
			} else {
				assert.ErrorIs(t, err, osallisuus.ErrConflict)
			}
		}
		assert.Equal(t, 1, ok)
		assert.Equal(t, 1, w.count(t))
	})
	t.Run("Q3: an identified response needs the purpose's consent", func(t *testing.T) {
		yes, err := osallisuus.NewParticipantID()
		require.NoError(t, err)
		no, err := osallisuus.NewParticipantID()
		require.NoError(t, err)
		w := newSurveyWorld(t, feedback.PreventNone, allowOnly(yes))
		ans := map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(7)}
		_, err = w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, Respondent: no, Answers: ans})
		require.ErrorIs(t, err, osallisuus.ErrForbidden)
		r, err := w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, Respondent: yes, Answers: ans})
		require.NoError(t, err)
		assert.Equal(t, yes, r.Respondent)
		assert.Equal(t, 1, w.count(t))
	})
	t.Run("Q3: without an identified purpose a respondent is not allowed", func(t *testing.T) {
		w := newSurveyWorld(t, feedback.PreventNone, nil)
		who, err := osallisuus.NewParticipantID()
		require.NoError(t, err)
		_, err = w.svc.Answer(t.Context(), feedback.AnswerInput{Questionnaire: w.q.ID, Respondent: who,
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(7)}})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		assert.Equal(t, []string{"respondent:not-allowed"}, fields(t, err))
	})
}

func TestSurveyServiceVersions(t *testing.T) {
	w := newSurveyWorld(t, feedback.PreventNone, nil)
	ctx := t.Context()

	_, err := w.svc.UpdateDraft(ctx, w.q.ID, 1, func(q *feedback.Questionnaire) error { q.Title.FI = "x"; return nil })
	require.ErrorIs(t, err, osallisuus.ErrConflict, "Q2: a published version is frozen")

	v2, err := w.svc.NewVersion(ctx, w.q.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, v2.Number)
	_, err = w.svc.NewVersion(ctx, w.q.ID)
	require.ErrorIs(t, err, osallisuus.ErrConflict, "one draft at a time")

	_, err = w.svc.Answer(ctx, feedback.AnswerInput{Questionnaire: w.q.ID, Number: 2,
		Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(7)}})
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "Q2: a draft cannot be answered")

	_, err = w.svc.UpdateDraft(ctx, w.q.ID, 2, func(q *feedback.Questionnaire) error {
		q.Questions[1].Text.SV = ""
		return nil
	})
	require.NoError(t, err, "a draft may miss a language")
	_, err = w.svc.Publish(ctx, w.q.ID, 2)
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "Q1: publication refuses a missing language")
	assert.Equal(t, []string{"questions[1].text.sv:required"}, fields(t, err))
	got, err := w.svc.Questionnaire(ctx, w.q.ID, 2)
	require.NoError(t, err)
	assert.False(t, got.Published(), "a refused publication changes nothing")

	r, err := w.svc.Answer(ctx, feedback.AnswerInput{Questionnaire: w.q.ID,
		Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(7)}})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Number, "number 0 answers the latest published version")

	_, err = w.svc.UpdateDraft(ctx, w.q.ID, 2, func(q *feedback.Questionnaire) error {
		q.Questions[1].Text.SV = "Jag blev hörd."
		return nil
	})
	require.NoError(t, err)
	_, err = w.svc.Publish(ctx, w.q.ID, 2)
	require.NoError(t, err)
	for _, a := range []int{10, 10, 9, 3} {
		r, err = w.svc.Answer(ctx, feedback.AnswerInput{Questionnaire: w.q.ID,
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(a)}})
		require.NoError(t, err)
		assert.Equal(t, 2, r.Number)
	}
	rep, err := w.svc.Metrics(ctx, w.q.ID, feedback.SurveyMetricsConfig{Questions: []string{feedback.StdRecommend}})
	require.NoError(t, err)
	f := rep.Groups[0].Figures[0]
	assert.Equal(t, int64(5), f.N, "Q5: responses to every published version count")
	assert.Equal(t, "40.0", f.Value.String(), "3 promoters and 1 detractor of 5")

	_, err = w.svc.Metrics(ctx, feedback.QuestionnaireID{}, feedback.SurveyMetricsConfig{})
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
}
