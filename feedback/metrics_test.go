package feedback_test

import (
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

func TestRoundRatioRoundsTheExactFractionHalfAwayFromZero(t *testing.T) {
	assert.Equal(t, "4.23", feedback.RoundRatio(169, 40, 2).String(), "4.225 is exactly halfway")
	assert.Equal(t, "6.3", feedback.RoundRatio(625, 100, 1).String())
	assert.Equal(t, "-6.3", feedback.RoundRatio(-625, 100, 1).String())
	assert.Equal(t, "3.13", feedback.RoundRatio(3125, 1000, 2).String())
	assert.Equal(t, "0.0", feedback.RoundRatio(-1, 1000, 1).String(), "no negative zero")
	assert.Equal(t, "44.0", feedback.RoundRatio(8800, 200, 1).String())
}

func responses(rs ...feedback.Response) iter.Seq2[feedback.Response, error] {
	return func(yield func(feedback.Response, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func TestMetricsWilsonBoundsAtTheEnds(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cfg := feedback.MetricsConfig{Questions: []feedback.Question{{ID: "q", Scale: feedback.ScaleCSAT}}, Threshold: 1}
	rep, err := feedback.Metrics(cfg, responses(feedback.Response{ID: "a", At: at,
		Answers: map[string]feedback.Answer{"q": {Kind: feedback.AnswerCounted, Value: 5}}}))
	require.NoError(t, err)
	f := rep.Groups[0].Figures[0]
	assert.Equal(t, "100.0", f.Value.String())
	assert.Equal(t, "20.7", f.Low.String(), "n = 1: z²/(n + z²) below 100")
	assert.Equal(t, "100.0", f.High.String())
	assert.Nil(t, f.SD, "sd is null when N = 1")
}

func TestMetricsInvalidResponsesCountNothing(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cfg := feedback.MetricsConfig{Questions: []feedback.Question{{ID: "q", Scale: feedback.ScaleNPS}}, Threshold: 1}
	ans := func(v int) map[string]feedback.Answer {
		return map[string]feedback.Answer{"q": {Kind: feedback.AnswerCounted, Value: v}}
	}
	rep, err := feedback.Metrics(cfg, responses(
		feedback.Response{ID: "a", At: at, Answers: ans(9)},
		feedback.Response{ID: "b", At: at, Answers: ans(11)},
		feedback.Response{ID: "a", At: at, Answers: ans(0)},
		feedback.Response{ID: "c", At: at, Answers: map[string]feedback.Answer{"q": {Kind: feedback.AnswerDontKnow}}},
	))
	require.NoError(t, err)
	require.Len(t, rep.Invalid, 2)
	assert.Equal(t, "b", rep.Invalid[0].ID)
	assert.Equal(t, "a", rep.Invalid[1].ID, "a reused id")
	assert.ErrorIs(t, rep.Invalid[0].Err, osallisuus.ErrInvalid)
	assert.Equal(t, int64(1), rep.Groups[0].Figures[0].N, "don't know stays out of N")
}

func TestMetricsConfigValidation(t *testing.T) {
	_, err := feedback.Metrics(feedback.MetricsConfig{}, responses())
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	cfg := feedback.MetricsConfig{Questions: []feedback.Question{{ID: "q", Scale: "stars"}},
		Breakdown: []feedback.Dimension{feedback.DimPeriod}, NoTotal: false}
	err = cfg.Validate()
	ve, ok := err.(*osallisuus.ValidationError)
	require.True(t, ok)
	assert.True(t, ve.Has("questions[0].scale"))
	assert.True(t, ve.Has("period"))
}

func TestPeriodLabels(t *testing.T) {
	at := func(s string) time.Time {
		v, err := osallisuus.ParseInstant(s)
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, "2026-W53", feedback.PeriodISOWeek.Label(at("2027-01-03T12:00:00+02:00")))
	assert.Equal(t, "2025-W01", feedback.PeriodISOWeek.Label(at("2024-12-30T12:00:00+02:00")))
	assert.Equal(t, "2026-03", feedback.PeriodMonth.Label(at("2026-02-28T22:30:00Z")), "Helsinki date")
	assert.Equal(t, "2026-Q1", feedback.PeriodQuarter.Label(at("2026-03-31T20:00:00Z")))
	assert.Equal(t, "2026-Q2", feedback.PeriodQuarter.Label(at("2026-03-31T21:00:00Z")))
	assert.Equal(t, "2026", feedback.PeriodYear.Label(at("2026-06-01T00:00:00Z")))
}
