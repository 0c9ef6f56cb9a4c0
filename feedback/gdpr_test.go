package feedback_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
)

func newPerson(t *testing.T) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	return id
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestGDPRAnonymiseFeedback(t *testing.T) {
	who := newPerson(t).String()
	sent := func() feedback.Feedback {
		return feedback.Feedback{Text: "Odotin kauan.", Sender: who, Reasoning: "Soitimme numeroon 040 123 4567.",
			Events: []feedback.Event{
				{Action: feedback.ActionReceive, Actor: feedback.Actor{Role: feedback.RoleCustomer, ID: who}, Note: "oma muistiinpano"},
				{Action: feedback.ActionTriage, Actor: feedback.Actor{Role: feedback.RoleStaff, ID: "staff-1"}, Note: "asiakas@example.invalid soitti"},
				{Action: feedback.ActionAssign, Actor: feedback.Actor{Role: feedback.RoleStaff, ID: "staff-1"}, Target: "staff-2"},
			}}
	}
	t.Run("the sender's feedback loses every link to them and keeps its text", func(t *testing.T) {
		f := sent()
		require.True(t, feedback.AnonymiseFeedback(&f, who, feedback.RedactOptions{}))
		assert.Empty(t, f.Sender)
		assert.Equal(t, "Odotin kauan.", f.Text)
		assert.Equal(t, feedback.Actor{Role: feedback.RoleCustomer}, f.Events[0].Actor, "the role stays, the ID goes")
		assert.Empty(t, f.Events[0].Note, "the customer's own note is blanked")
		assert.Equal(t, "[email] soitti", f.Events[1].Note, "a staff note is redacted")
		assert.Equal(t, "staff-2", f.Events[2].Target)
		assert.Equal(t, "Soitimme numeroon [phone].", f.Reasoning)
	})
	t.Run("another person's feedback is left as it is", func(t *testing.T) {
		f := sent()
		assert.False(t, feedback.AnonymiseFeedback(&f, newPerson(t).String(), feedback.RedactOptions{}))
		assert.Equal(t, jsonOf(t, sent()), jsonOf(t, f))
	})
	t.Run("an empty sender matches nothing, not the anonymous feedback", func(t *testing.T) {
		f := sent()
		f.Sender = ""
		assert.False(t, feedback.AnonymiseFeedback(&f, "", feedback.RedactOptions{}))
		assert.Equal(t, "oma muistiinpano", f.Events[0].Note)
	})
	t.Run("the host's name list redacts names in staff notes", func(t *testing.T) {
		f := sent()
		f.Events[1].Note = "Soitin Virtaselle."
		require.True(t, feedback.AnonymiseFeedback(&f, who, feedback.RedactOptions{Names: []string{"Virtase*"}}))
		assert.NotContains(t, f.Events[1].Note, "Virtase")
	})
}

func TestGDPRAnonymiseResponse(t *testing.T) {
	who := newPerson(t)
	response := func() feedback.SurveyResponse {
		return feedback.SurveyResponse{Unit: "unit-1", Lang: "fi", Guard: "abc", Respondent: who,
			Answers: map[string]feedback.SurveyAnswer{
				"recommend": feedback.NumberAnswer(9),
				"heard":     {DontKnow: true},
				"channel":   {Choices: []string{"web"}},
				"comment": {Text: "Soittakaa [phone].", Redactions: []feedback.Redaction{{Kind: "phone", Start: 10, End: 22}},
					Classification: feedback.Classification{Lang: "fi", Kind: feedback.KindQuestion, Themes: []string{"access"},
						Matches: []feedback.Match{feedback.NewMatch("question", "soittakaa", 0, 9)}}},
			}}
	}
	t.Run("the respondent, the guard and the free text go; what metrics count stays", func(t *testing.T) {
		r := response()
		n, ok := feedback.AnonymiseResponse(&r, who)
		require.True(t, ok)
		assert.Equal(t, 1, n)
		assert.True(t, r.Respondent.IsZero())
		assert.Empty(t, r.Guard)
		assert.Equal(t, 9, *r.Answers["recommend"].Number)
		assert.True(t, r.Answers["heard"].DontKnow)
		assert.Equal(t, []string{"web"}, r.Answers["channel"].Choices)
		c := r.Answers["comment"]
		assert.Empty(t, c.Text)
		assert.Nil(t, c.Redactions)
		assert.Nil(t, c.Classification.Matches)
		assert.Equal(t, []string{"access"}, c.Classification.Themes, "the labels stay as counts")
		assert.Equal(t, "unit-1", r.Unit)
	})
	t.Run("another respondent's response is left as it is", func(t *testing.T) {
		r := response()
		_, ok := feedback.AnonymiseResponse(&r, newPerson(t))
		assert.False(t, ok)
		assert.Equal(t, jsonOf(t, response()), jsonOf(t, r))
	})
	t.Run("the zero ID matches nothing, not the anonymous responses", func(t *testing.T) {
		r := response()
		r.Respondent = osallisuus.ParticipantID{}
		_, ok := feedback.AnonymiseResponse(&r, osallisuus.ParticipantID{})
		assert.False(t, ok)
		assert.Equal(t, "Soittakaa [phone].", r.Answers["comment"].Text)
	})
}

// gdprFixture is a feedback service and a survey service over one memstore, which is
// both stores, with one person's feedback (with a contact) and survey responses.
type gdprFixture struct {
	store   *memstore.Store
	svc     *feedback.Service
	surveys *feedback.SurveyService
	q       feedback.Questionnaire
	who     osallisuus.ParticipantID
}

func newGDPRFixture(t *testing.T, store feedback.Store, cfg feedback.Config) gdprFixture {
	t.Helper()
	mem := memstore.New()
	if store == nil {
		store = mem
	}
	cfg.Clock = osallisuus.FixedClock(now)
	svc, err := feedback.NewService(store, consent(true), cfg)
	require.NoError(t, err)
	fx := gdprFixture{store: mem, svc: svc, who: newPerson(t)}
	surveys, err := feedback.NewSurveyService(mem, allowOnly(fx.who), feedback.SurveyConfig{Clock: osallisuus.FixedClock(now)})
	require.NoError(t, err)
	fx.surveys = surveys
	q := feedback.StandardQuestionnaire(feedback.QuestionnaireID{})
	q.IdentifiedPurpose = "customer-survey"
	q, err = surveys.CreateQuestionnaire(t.Context(), q)
	require.NoError(t, err)
	fx.q, err = surveys.Publish(t.Context(), q.ID, q.Number)
	require.NoError(t, err)
	for i, who := range []osallisuus.ParticipantID{fx.who, {}, fx.who} {
		in := feedback.AnswerInput{Questionnaire: fx.q.ID, Unit: "unit-1", Respondent: who,
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: feedback.NumberAnswer(5 + 2*i)}}
		if i == 0 {
			in.Answers[feedback.StdComment] = feedback.SurveyAnswer{Text: "Jonossa meni tunti."}
		}
		_, err := surveys.Answer(t.Context(), in)
		require.NoError(t, err)
	}
	for _, text := range []string{"Soittakaa minulle, odotin viikon.", "Kiitos hyvästä hoidosta."} {
		_, err := svc.Submit(t.Context(), feedback.Intake{Channel: feedback.ChannelWeb, Sender: fx.who, Text: text,
			Contact: feedback.Contact{Email: "asiakas@example.invalid"}})
		require.NoError(t, err)
	}
	return fx
}

func TestGDPRErasePersonalData(t *testing.T) {
	t.Run("erasure covers feedback, contacts and survey responses and keeps the survey metrics", func(t *testing.T) {
		fx := newGDPRFixture(t, nil, feedback.Config{})
		cfg := feedback.SurveyMetricsConfig{Threshold: 1, Breakdown: []feedback.Dimension{feedback.DimUnit}}
		before, err := fx.surveys.Metrics(t.Context(), fx.q.ID, cfg)
		require.NoError(t, err)
		pd, err := fx.svc.ExportPersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Len(t, pd.Contacts, 2)
		assert.Len(t, pd.Feedback, 2)
		assert.Len(t, pd.SurveyResponses, 2, "a memstore is also the survey store")

		rep, err := fx.svc.ErasePersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Equal(t, `[{"kind":"contacts","count":2},{"kind":"feedback-sender-links","count":2},`+
			`{"kind":"survey-respondent-links","count":2},{"kind":"survey-text-answers","count":1}]`, jsonOf(t, rep.Erased))
		assert.Equal(t, `[{"kind":"feedback","count":2,"basis":"redacted"},{"kind":"survey-responses","count":2,"basis":"aggregate"}]`,
			jsonOf(t, rep.Retained))
		assert.Equal(t, "feedback", rep.Package)
		assert.Equal(t, now, rep.At)

		after, err := fx.surveys.Metrics(t.Context(), fx.q.ID, cfg)
		require.NoError(t, err)
		assert.Equal(t, jsonOf(t, before), jsonOf(t, after), "metrics give the same figures after erasure")
		pd, err = fx.svc.ExportPersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Equal(t, `{"subject":"`+fx.who.String()+`","contacts":[],"feedback":[],"surveyResponses":[]}`, jsonOf(t, pd))
	})
	t.Run("a failure part-way leaves whole items and running again finishes the job", func(t *testing.T) {
		flaky := &failingStore{Store: memstore.New(), failOn: 2}
		fx := newGDPRFixture(t, flaky, feedback.Config{Surveys: memstore.New()})
		_, err := fx.svc.ErasePersonalData(t.Context(), fx.who)
		require.ErrorIs(t, err, errDisk)
		pd, err := fx.svc.ExportPersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Empty(t, pd.Contacts, "contacts go first")
		require.Len(t, pd.Feedback, 1, "one feedback was erased, the other untouched")
		assert.Equal(t, fx.who.String(), pd.Feedback[0].Sender)
		assert.Equal(t, fx.who.String(), pd.Feedback[0].Events[0].Actor.ID)

		rep, err := fx.svc.ErasePersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Equal(t, `[{"kind":"feedback-sender-links","count":1}]`, jsonOf(t, rep.Erased))
		pd, err = fx.svc.ExportPersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Empty(t, pd.Feedback)
	})
	t.Run("without a survey store the survey responses are not covered", func(t *testing.T) {
		fx := newGDPRFixture(t, onlyFeedback{memstore.New()}, feedback.Config{})
		rep, err := fx.svc.ErasePersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Equal(t, `[{"kind":"contacts","count":2},{"kind":"feedback-sender-links","count":2}]`, jsonOf(t, rep.Erased))
		n := 0
		for r, err := range fx.store.ListResponses(t.Context(), feedback.ResponseFilter{Respondent: fx.who}) {
			require.NoError(t, err)
			assert.Equal(t, fx.who, r.Respondent)
			n++
		}
		assert.Equal(t, 2, n, "responses in a store the service was not given stay as they are")
	})
	t.Run("the zero participant is invalid for every operation", func(t *testing.T) {
		fx := newGDPRFixture(t, nil, feedback.Config{})
		_, err := fx.svc.ErasePersonalData(t.Context(), osallisuus.ParticipantID{})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		var ve *osallisuus.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.True(t, ve.Has("subject"))
		_, err = fx.svc.ExportPersonalData(t.Context(), osallisuus.ParticipantID{})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		pd, err := fx.svc.ExportPersonalData(t.Context(), fx.who)
		require.NoError(t, err)
		assert.Len(t, pd.Contacts, 2, "a refused erasure changes nothing")
	})
}

func TestGDPRRetentionKeepsContactsAYearByDefault(t *testing.T) {
	store := memstore.New()
	at := now
	svc, err := feedback.NewService(store, consent(true), feedback.Config{Clock: osallisuus.ClockFunc(func() time.Time { return at })})
	require.NoError(t, err)
	f, err := svc.Submit(t.Context(), feedback.Intake{Channel: feedback.ChannelWeb, Sender: newPerson(t),
		Text: "Soittakaa minulle.", Contact: feedback.Contact{Phone: "040 000 0000"}})
	require.NoError(t, err)
	lastDay := osallisuus.DateOf(now).AddDays(365)
	for _, c := range []struct {
		name   string
		at     time.Time
		purged string
	}{
		{"on the last day the contact is kept", lastDay.Time(23, 59), `[]`},
		{"the next day it is purged", lastDay.AddDays(1).Start(), `[{"kind":"contacts","count":1}]`},
		{"and a second run purges nothing", lastDay.AddDays(1).Start(), `[]`},
	} {
		at = c.at
		rep, err := svc.ApplyRetention(t.Context())
		require.NoError(t, err, c.name)
		assert.Equal(t, c.purged, jsonOf(t, rep.Purged), c.name)
	}
	_, err = svc.Contact(t.Context(), f.ID)
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
	_, err = svc.Get(t.Context(), f.ID)
	require.NoError(t, err, "the feedback itself stays")
}

var errDisk = errors.New("disk full")

// failingStore fails the failOn-th UpdateFeedback.
type failingStore struct {
	*memstore.Store
	failOn, calls int
}

func (s *failingStore) UpdateFeedback(ctx context.Context, id feedback.ID, fn func(*feedback.Feedback) error) (feedback.Feedback, error) {
	if s.calls++; s.calls == s.failOn {
		return feedback.Feedback{}, errDisk
	}
	return s.Store.UpdateFeedback(ctx, id, fn)
}

// onlyFeedback hides the survey methods of a memstore.
type onlyFeedback struct{ feedback.Store }
