package feedback

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// IndicatorKind says what an indicator of a service promise measures (V1).
type IndicatorKind string

// The indicator kinds.
const (
	// IndicatorSurvey: a metric of a questionnaire's numeric question (NPS, CSAT or
	// positive share, or the mean).
	IndicatorSurvey IndicatorKind = "survey"
	// IndicatorThemeShare: the per cent of complaints with a theme among all complaints.
	IndicatorThemeShare IndicatorKind = "theme-share"
	// IndicatorActivities: the number of activities that had participants.
	IndicatorActivities IndicatorKind = "activities"
)

// Direction says which way an indicator is better (V1).
type Direction string

// The directions.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// SurveyFigure is the figure of a survey indicator.
type SurveyFigure string

// The survey figures.
const (
	FigureValue SurveyFigure = ""     // the headline: NPS, CSAT or positive share, with its interval
	FigureMean  SurveyFigure = "mean" // the mean on the scale's own values, no interval
)

// Indicator (mittari) measures one promise item (V1).
type Indicator struct {
	// Key is unique within its item and matches [A-Za-z0-9._-]+.
	Key       string          `json:"key"`
	Name      osallisuus.Text `json:"name,omitzero"`
	Kind      IndicatorKind   `json:"kind"`
	Direction Direction       `json:"direction"`
	// Target is compared with the value as the report shows it (rounded, §7.3).
	Target float64 `json:"target"`
	// Survey indicators: the questionnaire, the question and the figure.
	Questionnaire QuestionnaireID `json:"questionnaire,omitzero"`
	Question      string          `json:"question,omitzero"`
	Figure        SurveyFigure    `json:"figure,omitzero"`
	// Theme-share indicators: one of [Themes].
	Theme string `json:"theme,omitzero"`
	// Activity indicators: when set, only the activities of this organisation count.
	Organisation participation.OrganisationID `json:"organisation,omitzero"`
}

// PromiseItem is one commitment of a service promise, such as "you are seen, heard and
// met", with its indicators (V1).
type PromiseItem struct {
	Key        string          `json:"key"`
	Text       osallisuus.Text `json:"text"`
	Indicators []Indicator     `json:"indicators"`
}

// Promise is a service promise (palvelulupaus, servicelöfte) a county publishes (V1).
type Promise struct {
	Name  osallisuus.Text `json:"name"`
	Items []PromiseItem   `json:"items"`
	// Threshold is the small-number suppression threshold k of survey and theme
	// indicators; 0 means DefaultThreshold.
	Threshold int `json:"threshold,omitzero"`
}

// Validate checks p (V1): every item has a key (distinct), text in Finnish, Swedish and
// English, and at least one indicator; every indicator a distinct key, a known kind and
// direction, a finite target and the fields of its kind (a questionnaire and question
// for survey, a known theme for theme-share). The error is a *osallisuus.ValidationError.
func (p Promise) Validate() error {
	ve := &osallisuus.ValidationError{Op: "service promise"}
	missingTexts(ve, "name", p.Name)
	if p.Threshold < 0 {
		ve.Add("threshold", osallisuus.CodeOutOfRange)
	}
	if len(p.Items) == 0 {
		ve.Add("items", osallisuus.CodeRequired)
	}
	items := map[string]bool{}
	for i, it := range p.Items {
		f := fmt.Sprintf("items[%d]", i)
		if !validKey(it.Key) {
			ve.Add(f+".key", osallisuus.CodeFormat)
		} else if items[it.Key] {
			ve.Add(f+".key", osallisuus.CodeDuplicate)
		}
		items[it.Key] = true
		missingTexts(ve, f+".text", it.Text)
		if len(it.Indicators) == 0 {
			ve.Add(f+".indicators", osallisuus.CodeRequired)
		}
		keys := map[string]bool{}
		for j, in := range it.Indicators {
			g := fmt.Sprintf("%s.indicators[%d]", f, j)
			if !validKey(in.Key) {
				ve.Add(g+".key", osallisuus.CodeFormat)
			} else if keys[in.Key] {
				ve.Add(g+".key", osallisuus.CodeDuplicate)
			}
			keys[in.Key] = true
			if in.Direction != HigherIsBetter && in.Direction != LowerIsBetter {
				ve.Add(g+".direction", osallisuus.CodeUnknown)
			}
			if math.IsNaN(in.Target) || math.IsInf(in.Target, 0) {
				ve.Add(g+".target", osallisuus.CodeOutOfRange)
			}
			switch in.Kind {
			case IndicatorSurvey:
				if in.Questionnaire.IsZero() {
					ve.Add(g+".questionnaire", osallisuus.CodeRequired)
				}
				if in.Question == "" {
					ve.Add(g+".question", osallisuus.CodeRequired)
				}
				if in.Figure != FigureValue && in.Figure != FigureMean {
					ve.Add(g+".figure", osallisuus.CodeUnknown)
				}
			case IndicatorThemeShare:
				if !slices.Contains(Themes[:], in.Theme) {
					ve.Add(g+".theme", osallisuus.CodeUnknown)
				}
			case IndicatorActivities:
			default:
				ve.Add(g+".kind", osallisuus.CodeUnknown)
			}
		}
	}
	return ve.Err()
}

// PromiseStatus is the verdict on one indicator in one period (V2).
type PromiseStatus string

// The verdicts.
const (
	PromiseMet           PromiseStatus = "met"
	PromiseNotMet        PromiseStatus = "not-met"
	PromiseNotEnoughData PromiseStatus = "not-enough-data" // N below the threshold: suppressed
)

// IndicatorResult is one indicator's line of a promise report (V2). When the status is
// not-enough-data, N, Value, Low and High are not shown (zero, HasValue false; null in
// JSON).
type IndicatorResult struct {
	Item      string               `json:"item"`
	Indicator string               `json:"indicator"`
	Kind      IndicatorKind        `json:"kind"`
	Period    osallisuus.DateRange `json:"period"`
	// HasValue is false when suppressed (or a survey question with no figure).
	HasValue bool `json:"-"`
	// N is the number of counted answers (survey), of complaints (theme share) or of
	// counted activities.
	N     int64   `json:"n"`
	Value Rounded `json:"value"`
	// HasInterval says Low and High hold the 95 % interval (survey headline, theme share).
	HasInterval bool          `json:"-"`
	Low, High   Rounded       `json:"-"`
	Target      float64       `json:"target"`
	Direction   Direction     `json:"direction"`
	Status      PromiseStatus `json:"status"`
}

// PromiseData is what a promise report reads: the published versions of the
// questionnaires the indicators name (any order), their responses, the feedback and the
// activities with their participation records.
type PromiseData struct {
	Questionnaires []Questionnaire
	Responses      []SurveyResponse
	Feedback       []Feedback
	Activities     []participation.Activity
	Records        []participation.ParticipationRecord
}

// ReportPromise computes the promise report (V2, V3): for each period (Helsinki dates,
// both ends inclusive; both must be set and From ≤ Until) and each item and indicator in
// order, the value, its interval where there is one, the target and the verdict.
//   - survey: the question's figure over the responses given in the period to any
//     published version of the questionnaire (draft versions are ignored), N as in
//     feedback.md §7, suppressed below the threshold ([SurveyMetrics]);
//   - theme share: 100 × complaints with the theme ÷ all complaints received in the
//     period, with the Wilson interval; N is all complaints, suppressed below the
//     threshold. Choices: the kind and themes are the feedback's current labels and
//     classification, and a feedback merged into another (a duplicate) is not counted;
//   - activities: the activities whose last day falls in the period and that had
//     participants (attended records of any role but official, A8), never suppressed.
//
// Met means value ≥ target when higher is better and value ≤ target when lower is
// better, on the rounded value the report shows. A bad promise or period is a
// *osallisuus.ValidationError. Pure.
func ReportPromise(p Promise, periods []osallisuus.DateRange, data PromiseData) ([]IndicatorResult, error) {
	ve := &osallisuus.ValidationError{Op: "promise report"}
	if err := p.Validate(); err != nil {
		ve.Merge("promise", err.(*osallisuus.ValidationError))
	}
	for i, r := range periods {
		if r.From.IsZero() || r.Until.IsZero() || !r.Valid() || r.Until.Before(r.From) {
			ve.Add(fmt.Sprintf("periods[%d]", i), osallisuus.CodeOrder)
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	k := int64(p.Threshold)
	if k == 0 {
		k = DefaultThreshold
	}
	versions := map[QuestionnaireID][]Questionnaire{}
	for _, q := range data.Questionnaires {
		if q.Published() {
			versions[q.ID] = append(versions[q.ID], q)
		}
	}
	participated := map[participation.ActivityID]bool{}
	for _, r := range data.Records {
		if r.Status == participation.StatusAttended && r.Role != participation.RoleOfficial {
			participated[r.Activity] = true
		}
	}
	var out []IndicatorResult
	for _, period := range periods {
		for _, it := range p.Items {
			for _, in := range it.Indicators {
				res := IndicatorResult{Item: it.Key, Indicator: in.Key, Kind: in.Kind, Period: period,
					Target: in.Target, Direction: in.Direction}
				switch in.Kind {
				case IndicatorSurvey:
					surveyIndicator(&res, in, period, versions[in.Questionnaire], data.Responses, k)
				case IndicatorThemeShare:
					themeIndicator(&res, in, period, data.Feedback, k)
				case IndicatorActivities:
					for _, a := range data.Activities {
						if participated[a.ID] && period.ContainsDate(a.End) &&
							(in.Organisation.IsZero() || a.Organisation == in.Organisation) {
							res.N++
						}
					}
					res.HasValue, res.Value = true, Rounded{Scaled: res.N}
				}
				res.Status = verdict(res)
				out = append(out, res)
			}
		}
	}
	return out, nil
}

func surveyIndicator(res *IndicatorResult, in Indicator, period osallisuus.DateRange, versions []Questionnaire, responses []SurveyResponse, k int64) {
	seq := func(yield func(SurveyResponse, error) bool) {
		for _, r := range responses {
			if r.Questionnaire == in.Questionnaire && !yield(r, nil) {
				return
			}
		}
	}
	rep, err := SurveyMetrics(versions, seq, SurveyMetricsConfig{Questions: []string{in.Question},
		Threshold: int(k), Range: period})
	if err != nil || len(rep.Groups) == 0 {
		return // the question is on no published version: no data
	}
	f := rep.Groups[0].Figures[0]
	if f.Suppressed {
		return
	}
	res.HasValue, res.N = true, f.N
	if in.Figure == FigureMean {
		res.Value = f.Mean
		return
	}
	res.Value, res.HasInterval, res.Low, res.High = f.Value, true, f.Low, f.High
}

func themeIndicator(res *IndicatorResult, in Indicator, period osallisuus.DateRange, fb []Feedback, k int64) {
	var n, x int64
	for i := range fb {
		f := &fb[i]
		if f.Labels.Kind != KindComplaint || !f.MergedInto.IsZero() || !period.Contains(f.ReceivedAt) {
			continue
		}
		n++
		if slices.Contains(f.Classification.Themes, in.Theme) {
			x++
		}
	}
	if n < k {
		return
	}
	res.HasValue, res.N = true, n
	res.Value = RoundRatio(100*x, n, 1)
	res.HasInterval = true
	res.Low, res.High = wilson(x, n)
}

// MarshalJSON writes the result with n, value, low and high null where the report
// shows none (suppressed, or no interval), as V2 asks.
func (r IndicatorResult) MarshalJSON() ([]byte, error) {
	type out struct {
		Item      string               `json:"item"`
		Indicator string               `json:"indicator"`
		Kind      IndicatorKind        `json:"kind"`
		Period    osallisuus.DateRange `json:"period"`
		N         *int64               `json:"n"`
		Value     *Rounded             `json:"value"`
		Low       *Rounded             `json:"low"`
		High      *Rounded             `json:"high"`
		Target    float64              `json:"target"`
		Direction Direction            `json:"direction"`
		Status    PromiseStatus        `json:"status"`
	}
	o := out{Item: r.Item, Indicator: r.Indicator, Kind: r.Kind, Period: r.Period, Target: r.Target,
		Direction: r.Direction, Status: r.Status}
	if r.HasValue {
		o.N, o.Value = &r.N, &r.Value
		if r.HasInterval {
			o.Low, o.High = &r.Low, &r.High
		}
	}
	return json.Marshal(o)
}

// verdict applies V3: not enough data without a value, else met or not met.
func verdict(r IndicatorResult) PromiseStatus {
	if !r.HasValue {
		return PromiseNotEnoughData
	}
	v := r.Value.Float64()
	if r.Direction == LowerIsBetter {
		if v <= r.Target {
			return PromiseMet
		}
		return PromiseNotMet
	}
	if v >= r.Target {
		return PromiseMet
	}
	return PromiseNotMet
}
