package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
)

func ExampleStandardQuestionnaire() {
	q := feedback.StandardQuestionnaire(feedback.QuestionnaireID{})
	for _, x := range q.Questions {
		scale, _ := x.Scale()
		fmt.Printf("%-11s %-5s %-5s required=%v\n", x.ID, x.Type, scale, x.Required)
	}
	fmt.Println(q.Questions[1].Text.FI)
	fmt.Println(q.Questions[1].Labels[0].SV, "…", q.Questions[1].Labels[4].SV)
	// Output:
	// recommend   nps   nps   required=true
	// heard       scale csat  required=false
	// treated     scale csat  required=false
	// information scale csat  required=false
	// help        scale csat  required=false
	// comment     text        required=false
	// Minua kuunneltiin ja asiani otettiin vakavasti.
	// Helt av annan åsikt … Helt av samma åsikt
}

func ExampleParseCondition() {
	for _, s := range []string{"recommend != 10", "used=no", "channel answered", "recommend > 8"} {
		c, err := feedback.ParseCondition(s)
		if err != nil {
			fmt.Printf("%q: %v\n", s, err)
			continue
		}
		fmt.Printf("%q: %s\n", s, c)
	}
	// Output:
	// "recommend != 10": recommend != 10
	// "used=no": used = no
	// "channel answered": channel answered
	// "recommend > 8": parse condition: invalid: condition format
}

func ExampleSurveyService() {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	svc, _ := feedback.NewSurveyService(new(memstore.Store), nil, feedback.SurveyConfig{
		Clock: osallisuus.FixedClock(now), Salt: []byte("a host secret")})

	// The standard template, with a follow-up question for those who would not recommend.
	q := feedback.StandardQuestionnaire(feedback.QuestionnaireID{})
	q.Prevent = feedback.PreventKey
	q.Questions[5].ShowIf = &feedback.Condition{Question: feedback.StdRecommend, Op: feedback.OpNotEquals, Value: "10"}
	q.Questions[0].Text.EN = "" // not translated yet: a draft may lack a language
	q, _ = svc.CreateQuestionnaire(ctx, q)

	_, err := svc.Publish(ctx, q.ID, 1)
	fmt.Println("publish:", err)
	q, _ = svc.UpdateDraft(ctx, q.ID, 1, func(d *feedback.Questionnaire) error {
		d.Questions[0].Text.EN = "Would you recommend us?"
		return nil
	})
	q, err = svc.Publish(ctx, q.ID, 1)
	fmt.Println("publish:", err, q.Published())

	answer := func(key string, rec int, comment string) error {
		a := map[string]feedback.SurveyAnswer{feedback.StdRecommend: feedback.NumberAnswer(rec), feedback.StdHeard: feedback.NumberAnswer(4)}
		if comment != "" {
			a[feedback.StdComment] = feedback.SurveyAnswer{Text: comment}
		}
		r, err := svc.Answer(ctx, feedback.AnswerInput{Questionnaire: q.ID, RespondentKey: key, Lang: "fi", Answers: a})
		if err == nil && comment != "" {
			fmt.Println("stored text:", r.Answers[feedback.StdComment].Text)
		}
		return err
	}
	fmt.Println(answer("c1", 10, "Kiitos, hyvä palvelu!")) // hidden after a 10
	fmt.Println(answer("c1", 10, ""))
	fmt.Println(answer("c2", 6, "Soittakaa minulle 040 765 4321."))
	err = answer("c2", 9, "")
	var re *osallisuus.RuleError
	fmt.Println(errors.Is(err, osallisuus.ErrConflict), errors.As(err, &re) && re.Has(feedback.ReasonAlreadyAnswered))
	for _, k := range []string{"c3", "c4", "c5"} {
		_ = answer(k, 9, "")
	}

	rep, _ := svc.Metrics(ctx, q.ID, feedback.SurveyMetricsConfig{})
	for _, f := range rep.Groups[0].Figures {
		if f.Suppressed {
			fmt.Println(f.Question, f.Scale, "fewer than 5")
			continue
		}
		fmt.Println(f.Question, f.Scale, "N", f.N, "value", f.Value, "interval", f.Low, f.High)
	}
	// Output:
	// publish: publish questionnaire: invalid: questions[0].text.en required
	// publish: <nil> true
	// answer survey: invalid: answers.comment not-allowed
	// <nil>
	// stored text: Soittakaa minulle [phone].
	// <nil>
	// true true
	// recommend nps N 5 value 60.0 interval -10.1 100.0
	// heard csat N 5 value 100.0 interval 56.6 100.0
	// treated csat fewer than 5
	// information csat fewer than 5
	// help csat fewer than 5
}

func ExampleReportPromise() {
	march := osallisuus.DateRange{From: osallisuus.NewDate(2026, 3, 1), Until: osallisuus.NewDate(2026, 3, 31)}
	p := feedback.Promise{
		Name: osallisuus.Text{FI: "Palvelulupaus", SV: "Servicelöfte", EN: "Service promise"},
		Items: []feedback.PromiseItem{{
			Key: "heard",
			Text: osallisuus.Text{FI: "Sinut nähdään, kuullaan ja kohdataan.", SV: "Du blir sedd, hörd och bemött.",
				EN: "You are seen, heard and met."},
			Indicators: []feedback.Indicator{
				{Key: "treatment-complaints", Kind: feedback.IndicatorThemeShare, Theme: "treatment",
					Target: 20, Direction: feedback.LowerIsBetter},
				{Key: "co-development", Kind: feedback.IndicatorActivities, Target: 1, Direction: feedback.HigherIsBetter},
			},
		}},
	}
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	var fb []feedback.Feedback
	for i, themes := range [][]string{{"treatment"}, {"access"}, {"access"}, {"cost"}, {"information"}, {"access"}} {
		fb = append(fb, feedback.Feedback{ReceivedAt: at.Add(time.Duration(i) * time.Hour),
			Labels: feedback.Labels{Kind: feedback.KindComplaint}, Classification: feedback.Classification{Themes: themes}})
	}
	rows, err := feedback.ReportPromise(p, []osallisuus.DateRange{march}, feedback.PromiseData{Feedback: fb})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Println(r.Indicator, "N", r.N, "value", r.Value, "target", r.Target, r.Direction, "→", r.Status)
	}
	// Output:
	// treatment-complaints N 6 value 16.7 target 20 lower → met
	// co-development N 0 value 0 target 1 higher → not-met
}
