package feedback_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/participation"
)

func promiseFixture(target float64, dir feedback.Direction) feedback.Promise {
	return feedback.Promise{Name: txt("lupaus"), Items: []feedback.PromiseItem{{
		Key: "heard", Text: txt("you are seen, heard and met"),
		Indicators: []feedback.Indicator{{Key: "rec", Kind: feedback.IndicatorSurvey, Questionnaire: qid(1),
			Question: "rec", Target: target, Direction: dir}},
	}}}
}

func day(y int, m time.Month, d int) osallisuus.Date { return osallisuus.NewDate(y, m, d) }

func march() osallisuus.DateRange {
	return osallisuus.DateRange{From: day(2026, 3, 1), Until: day(2026, 3, 31)}
}

func npsData(t *testing.T, answers ...int) feedback.PromiseData {
	t.Helper()
	v1, err := feedback.PublishQuestionnaire(sample(), surveyNow)
	require.NoError(t, err)
	draft := feedback.NextVersion(v1, surveyNow)
	d := feedback.PromiseData{Questionnaires: []feedback.Questionnaire{v1, draft}}
	for i, a := range answers {
		d.Responses = append(d.Responses, resp(i+1, 1, surveyNow.Add(time.Duration(i)*time.Hour),
			map[string]feedback.SurveyAnswer{"rec": num(a)}))
	}
	return d
}

func TestPromiseSurveyIndicator(t *testing.T) {
	tests := []struct {
		name    string
		answers []int
		target  float64
		dir     feedback.Direction
		status  feedback.PromiseStatus
		value   string
	}{
		{"V3: NPS 10.0 meets a target of 10 when higher is better", []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 8}, 10, feedback.HigherIsBetter, feedback.PromiseMet, "10.0"},
		{"V3: NPS 10.0 misses a target of 10.1", []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 8}, 10.1, feedback.HigherIsBetter, feedback.PromiseNotMet, "10.0"},
		{"V3: lower is better meets at the target", []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 8}, 10, feedback.LowerIsBetter, feedback.PromiseMet, "10.0"},
		{"V3: lower is better misses above the target", []int{10, 10, 9, 8, 7, 6, 5, 0, 9, 8}, 9.9, feedback.LowerIsBetter, feedback.PromiseNotMet, "10.0"},
		{"V3: four answers are not enough data", []int{10, 10, 10, 10}, 0, feedback.HigherIsBetter, feedback.PromiseNotEnoughData, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := feedback.ReportPromise(promiseFixture(tt.target, tt.dir), []osallisuus.DateRange{march()}, npsData(t, tt.answers...))
			require.NoError(t, err)
			require.Len(t, out, 1)
			r := out[0]
			assert.Equal(t, tt.status, r.Status)
			if tt.value == "" {
				assert.False(t, r.HasValue, "V2: a suppressed indicator shows no value")
				assert.Zero(t, r.N)
				return
			}
			assert.Equal(t, tt.value, r.Value.String())
			assert.True(t, r.HasInterval, "V2: a survey headline has its interval")
			assert.Equal(t, int64(len(tt.answers)), r.N)
		})
	}
	t.Run("V3: responses outside the period do not count", func(t *testing.T) {
		out, err := feedback.ReportPromise(promiseFixture(0, feedback.HigherIsBetter),
			[]osallisuus.DateRange{{From: day(2026, 4, 1), Until: day(2026, 4, 30)}}, npsData(t, 10, 10, 10, 10, 10))
		require.NoError(t, err)
		assert.Equal(t, feedback.PromiseNotEnoughData, out[0].Status)
	})
	t.Run("V3: the mean figure has no interval", func(t *testing.T) {
		p := promiseFixture(8, feedback.HigherIsBetter)
		p.Items[0].Indicators[0].Figure = feedback.FigureMean
		out, err := feedback.ReportPromise(p, []osallisuus.DateRange{march()}, npsData(t, 10, 9, 8, 7, 6))
		require.NoError(t, err)
		assert.Equal(t, "8.00", out[0].Value.String())
		assert.False(t, out[0].HasInterval)
		assert.Equal(t, feedback.PromiseMet, out[0].Status)
	})
	t.Run("V3: a draft version does not count", func(t *testing.T) {
		d := npsData(t, 10, 10, 10, 10, 10)
		for i := range d.Responses {
			d.Responses[i].Number = 2 // the draft
		}
		out, err := feedback.ReportPromise(promiseFixture(0, feedback.HigherIsBetter), []osallisuus.DateRange{march()}, d)
		require.NoError(t, err)
		assert.Equal(t, feedback.PromiseNotEnoughData, out[0].Status)
	})
}

func complaint(at time.Time, themes ...string) feedback.Feedback {
	return feedback.Feedback{ReceivedAt: at, Labels: feedback.Labels{Kind: feedback.KindComplaint},
		Classification: feedback.Classification{Themes: themes}}
}

func TestPromiseThemeShare(t *testing.T) {
	p := feedback.Promise{Name: txt("lupaus"), Items: []feedback.PromiseItem{{Key: "wait", Text: txt("wait"),
		Indicators: []feedback.Indicator{{Key: "access", Kind: feedback.IndicatorThemeShare, Theme: "access",
			Target: 30, Direction: feedback.LowerIsBetter}}}}}
	at := surveyNow
	fb := []feedback.Feedback{
		complaint(at, "access"), complaint(at, "access", "information"), complaint(at, "treatment"),
		complaint(at, "information"), complaint(at, "cost"), complaint(at),
		// Not complaints, or outside March (Helsinki date), or a merged duplicate: none count.
		{ReceivedAt: at, Labels: feedback.Labels{Kind: feedback.KindPraise}, Classification: feedback.Classification{Themes: []string{"access"}}},
		complaint(time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), "access"),
		func() feedback.Feedback {
			f := complaint(at, "access")
			f.MergedInto = feedback.ID{UUID: uuid.New()}
			return f
		}(),
	}
	out, err := feedback.ReportPromise(p, []osallisuus.DateRange{march()}, feedback.PromiseData{Feedback: fb})
	require.NoError(t, err)
	r := out[0]
	assert.Equal(t, int64(6), r.N, "V3: all complaints received in the period")
	assert.Equal(t, "33.3", r.Value.String(), "V3: 2 of 6 complaints have the theme")
	assert.Equal(t, feedback.PromiseNotMet, r.Status, "33.3 > 30 with lower is better")
	assert.True(t, r.HasInterval)
	assert.Equal(t, "9.7", r.Low.String())
	assert.Equal(t, "70.0", r.High.String())

	out, err = feedback.ReportPromise(p, []osallisuus.DateRange{march()}, feedback.PromiseData{Feedback: fb[:4]})
	require.NoError(t, err)
	assert.Equal(t, feedback.PromiseNotEnoughData, out[0].Status, "V3: four complaints are below the threshold")
}

func TestPromiseActivityCount(t *testing.T) {
	p := feedback.Promise{Name: txt("lupaus"), Threshold: 50, Items: []feedback.PromiseItem{{Key: "involve", Text: txt("involve"),
		Indicators: []feedback.Indicator{{Key: "n", Kind: feedback.IndicatorActivities, Target: 2, Direction: feedback.HigherIsBetter}}}}}
	act := func(n byte, end osallisuus.Date) participation.Activity {
		var u uuid.UUID
		u[15] = n
		return participation.Activity{ID: participation.ActivityID{UUID: u}, Start: end.AddDays(-3), End: end}
	}
	rec := func(a participation.Activity, role participation.Role, st participation.RecordStatus) participation.ParticipationRecord {
		return participation.ParticipationRecord{Activity: a.ID, Role: role, Status: st}
	}
	inside, officials, absent, later := act(1, day(2026, 3, 31)), act(2, day(2026, 3, 10)), act(3, day(2026, 3, 12)), act(4, day(2026, 4, 1))
	d := feedback.PromiseData{
		Activities: []participation.Activity{inside, officials, absent, later},
		Records: []participation.ParticipationRecord{
			rec(inside, participation.RoleRelative, participation.StatusAttended),
			rec(officials, participation.RoleOfficial, participation.StatusAttended),
			rec(absent, participation.RoleCustomer, participation.StatusAbsent),
			rec(later, participation.RoleCustomer, participation.StatusAttended),
		},
	}
	out, err := feedback.ReportPromise(p, []osallisuus.DateRange{march(), {From: day(2026, 4, 1), Until: day(2026, 4, 30)}}, d)
	require.NoError(t, err)
	require.Len(t, out, 2, "V2: one line per period and indicator")
	assert.Equal(t, int64(1), out[0].N, "V3: only the activity attended by a relative and ending in March counts")
	assert.Equal(t, feedback.PromiseNotMet, out[0].Status, "V3: counts are never suppressed, even below the threshold")
	assert.Equal(t, "1", out[0].Value.String())
	assert.Equal(t, int64(1), out[1].N, "the activity ending on 1 April counts in April")
	assert.Equal(t, april(), out[1].Period)
}

func april() osallisuus.DateRange {
	return osallisuus.DateRange{From: day(2026, 4, 1), Until: day(2026, 4, 30)}
}

func TestPromiseValidate(t *testing.T) {
	p := promiseFixture(10, "sideways")
	p.Items[0].Text.SV = ""
	p.Items[0].Indicators = append(p.Items[0].Indicators, feedback.Indicator{Key: "rec", Kind: feedback.IndicatorThemeShare, Theme: "parking", Direction: feedback.HigherIsBetter})
	_, err := feedback.ReportPromise(p, []osallisuus.DateRange{{From: day(2026, 3, 2), Until: day(2026, 3, 1)}}, feedback.PromiseData{})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"promise.items[0].text.sv:required", "promise.items[0].indicators[0].direction:unknown",
		"promise.items[0].indicators[1].key:duplicate", "promise.items[0].indicators[1].theme:unknown", "periods[0]:order"}, fields(t, err))
}

func TestPromiseResultJSON(t *testing.T) {
	d := npsData(t, 10, 10, 9, 8, 3)
	p := promiseFixture(0, feedback.HigherIsBetter)
	out, err := feedback.ReportPromise(p, []osallisuus.DateRange{march(), april()}, d)
	require.NoError(t, err)
	b, err := json.Marshal(out)
	require.NoError(t, err)
	assert.JSONEq(t, `[
	 {"item":"heard","indicator":"rec","kind":"survey","period":{"from":"2026-03-01","until":"2026-03-31"},
	  "n":5,"value":40.0,"low":-30.1,"high":100.0,"target":0,"direction":"higher","status":"met"},
	 {"item":"heard","indicator":"rec","kind":"survey","period":{"from":"2026-04-01","until":"2026-04-30"},
	  "n":null,"value":null,"low":null,"high":null,"target":0,"direction":"higher","status":"not-enough-data"}]`, string(b),
		"V2: value, interval and target, or nulls when suppressed")
}
