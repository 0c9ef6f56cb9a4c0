package feedback_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/participation"
	pmem "github.com/osallisuus/osallisuus/participation/memstore"
)

func TestPromiseSourcesReport(t *testing.T) {
	ctx := t.Context()
	w := newSurveyWorld(t, feedback.PreventNone, nil)
	for _, a := range []int{10, 10, 9, 7, 2} {
		_, err := w.svc.Answer(ctx, feedback.AnswerInput{Questionnaire: w.q.ID,
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: num(a), feedback.StdHeard: num(5)}})
		require.NoError(t, err)
	}
	acts := new(pmem.Store)
	aid, err := participation.NewActivityID()
	require.NoError(t, err)
	org, err := participation.NewOrganisationID()
	require.NoError(t, err)
	a := participation.Activity{ID: aid, Organisation: org, Kind: participation.ActivityKind("workshop"), Phase: participation.Phase("planning"),
		Level: participation.Level("involve"), Start: osallisuus.NewDate(2026, 3, 2), End: osallisuus.NewDate(2026, 3, 2),
		Languages: []participation.Language{participation.Language("fi")}}
	require.NoError(t, acts.CreateActivity(ctx, a))
	who, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	rid, err := participation.NewRecordID()
	require.NoError(t, err)
	require.NoError(t, acts.Atomic(ctx, func(tx participation.ActivityTx) error {
		return tx.CreateRecord(ctx, participation.ParticipationRecord{ID: rid, Activity: aid, Seq: 1, Who: who,
			Role: participation.RoleCustomer, Status: participation.StatusAttended, On: a.Start, CreatedAt: surveyNow})
	}))

	p := feedback.Promise{Name: txt("lupaus"), Items: []feedback.PromiseItem{{Key: "heard", Text: txt("heard"),
		Indicators: []feedback.Indicator{
			{Key: "nps", Kind: feedback.IndicatorSurvey, Questionnaire: w.q.ID, Question: feedback.StdRecommend, Target: 30, Direction: feedback.HigherIsBetter},
			{Key: "heard", Kind: feedback.IndicatorSurvey, Questionnaire: w.q.ID, Question: feedback.StdHeard, Target: 90, Direction: feedback.HigherIsBetter},
			{Key: "acts", Kind: feedback.IndicatorActivities, Target: 1, Direction: feedback.HigherIsBetter},
		}}}}
	src := feedback.PromiseSources{Surveys: w.store, Activities: acts}
	out, err := src.Report(ctx, p, []osallisuus.DateRange{march(), april()})
	require.NoError(t, err)
	require.Len(t, out, 6)
	got := map[string]string{}
	for _, r := range out {
		got[r.Period.From.String()+" "+r.Indicator] = string(r.Status) + " " + r.Value.String()
	}
	assert.Equal(t, map[string]string{
		"2026-03-01 nps": "met 40.0", "2026-03-01 heard": "met 100.0", "2026-03-01 acts": "met 1",
		"2026-04-01 nps": "not-enough-data 0", "2026-04-01 heard": "not-enough-data 0", "2026-04-01 acts": "not-met 0",
	}, got, "V2/V3 from the stores")

	p.Items[0].Indicators = append(p.Items[0].Indicators, feedback.Indicator{Key: "wait", Kind: feedback.IndicatorThemeShare,
		Theme: "access", Target: 10, Direction: feedback.LowerIsBetter})
	_, err = src.Report(ctx, p, []osallisuus.DateRange{march()})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"sources.feedback:required"}, fields(t, err))

	src.Feedback = new(memstore.Store)
	out, err = src.Report(ctx, p, []osallisuus.DateRange{march()})
	require.NoError(t, err)
	assert.Equal(t, feedback.PromiseNotEnoughData, out[3].Status, "no complaints at all")
}
