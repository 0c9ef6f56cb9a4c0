package feedback

import (
	"context"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// PromiseSources are the stores a promise report reads (V3). A source may be nil when
// no indicator needs it: Surveys for survey indicators, Feedback for theme shares,
// Activities for counts of activities.
type PromiseSources struct {
	Surveys    SurveyStore
	Feedback   FeedbackStore
	Activities participation.ActivityStore
}

// Report loads what the promise's indicators need and returns [ReportPromise] of it:
// the published versions of the named questionnaires and their responses on the days of
// the periods, the feedback, and the activities with their records. A bad promise or
// period is ErrInvalid, a missing source ErrInvalid naming it ("sources.surveys",
// "sources.feedback", "sources.activities"); store errors are returned as they are.
func (src PromiseSources) Report(ctx context.Context, p Promise, periods []osallisuus.DateRange) ([]IndicatorResult, error) {
	if _, err := ReportPromise(p, periods, PromiseData{}); err != nil {
		return nil, err
	}
	need := map[IndicatorKind]bool{}
	var surveys []QuestionnaireID
	for _, it := range p.Items {
		for _, in := range it.Indicators {
			need[in.Kind] = true
			if in.Kind == IndicatorSurvey {
				surveys = append(surveys, in.Questionnaire)
			}
		}
	}
	ve := &osallisuus.ValidationError{Op: "promise report"}
	if need[IndicatorSurvey] && src.Surveys == nil {
		ve.Add("sources.surveys", osallisuus.CodeRequired)
	}
	if need[IndicatorThemeShare] && src.Feedback == nil {
		ve.Add("sources.feedback", osallisuus.CodeRequired)
	}
	if need[IndicatorActivities] && src.Activities == nil {
		ve.Add("sources.activities", osallisuus.CodeRequired)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	span := periods[0]
	for _, r := range periods[1:] {
		if r.From.Before(span.From) {
			span.From = r.From
		}
		if r.Until.After(span.Until) {
			span.Until = r.Until
		}
	}
	var data PromiseData
	loaded := map[QuestionnaireID]bool{}
	for _, id := range surveys {
		if loaded[id] {
			continue
		}
		loaded[id] = true
		for q, err := range src.Surveys.ListQuestionnaireVersions(ctx, id) {
			if err != nil {
				return nil, err
			}
			data.Questionnaires = append(data.Questionnaires, q)
		}
		for r, err := range src.Surveys.ListResponses(ctx, ResponseFilter{Questionnaire: id, Range: span}) {
			if err != nil {
				return nil, err
			}
			data.Responses = append(data.Responses, r)
		}
	}
	if need[IndicatorThemeShare] {
		for f, err := range src.Feedback.ListFeedback(ctx, FeedbackFilter{}) {
			if err != nil {
				return nil, err
			}
			if span.Contains(f.ReceivedAt) {
				data.Feedback = append(data.Feedback, f)
			}
		}
	}
	if need[IndicatorActivities] {
		for a, err := range src.Activities.ListActivities(ctx, participation.ActivityFilter{}) {
			if err != nil {
				return nil, err
			}
			if span.ContainsDate(a.End) {
				data.Activities = append(data.Activities, a)
			}
		}
		for _, a := range data.Activities {
			for r, err := range src.Activities.ListRecords(ctx, participation.RecordFilter{Activity: a.ID, Status: participation.StatusAttended}) {
				if err != nil {
					return nil, err
				}
				data.Records = append(data.Records, r)
			}
		}
	}
	return ReportPromise(p, periods, data)
}
