package main

import (
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/participation"
)

// tourFeedback is one feedback of the story. Contact details in the texts are generated
// (the example.invalid domain, a synthetic identity code) and are redacted at intake.
type tourFeedback struct {
	key    string // kept in SurveyResponseID, to find the feedback on later runs
	unit   string
	sender string
	text   string
}

var tourFeedbacks = []tourFeedback{
	{"tour-fb-1", "perhekeskus-pohjoinen", "cecilia",
		"Teen muistutuksen: lapseni neuvola-aika peruttiin kahdesti ilman selitystä, eikä kukaan vastannut puheluihini. " +
			"Vastatkaa kirjallisesti. Hetu 010190-900P, puh. 040 123 4567."},
	{"tour-fb-2", "perhekeskus-etela", "bertil",
		"Hur kan jag anmäla mitt barn till familjecentrets öppna mottagning på svenska? Svara gärna till bertil.s@example.invalid."},
	{"tour-fb-3", "perhekeskus-pohjoinen", "",
		"Voisiko perhekeskuksen aulaan tuoda lisää tuoleja ja leikkinurkkauksen?"},
	{"tour-fb-4", "perhekeskus-etela", "",
		"Tack för ett varmt bemötande på rådgivningen, personalen var mycket hjälpsam."},
}

// storedFeedback finds the tour's feedback by key (from an earlier run) or submits it.
func (t *tourRun) storedFeedback(tf tourFeedback) (feedback.Feedback, bool, error) {
	for f, err := range t.db.Feedback().ListFeedback(t.ctx, feedback.FeedbackFilter{UnitCode: tf.unit}) {
		if err != nil {
			return f, false, err
		}
		if f.SurveyResponseID == tf.key {
			return f, false, nil
		}
	}
	in := feedback.Intake{Channel: feedback.ChannelWeb, Text: tf.text, UnitCode: tf.unit, SurveyResponseID: tf.key,
		ReceivedAt: tourNow.Add(-30 * time.Minute)}
	if tf.sender != "" {
		in.Sender = personID(tf.sender)
	}
	f, err := t.feedback.Submit(t.ctx, in)
	return f, true, err
}

// stepFeedback takes in feedback in Finnish and Swedish, and shows the classification
// with its evidence and the redactions.
func (t *tourRun) stepFeedback() error {
	for i, tf := range tourFeedbacks {
		f, created, err := t.storedFeedback(tf)
		if err != nil {
			return fmt.Errorf("feedback %s: %w", tf.key, err)
		}
		c := f.Classification
		if i > 0 {
			t.printf("")
		}
		t.printf("#%d %s, %s [%s]", i+1, tf.unit, f.ReceivedAt.In(helsinki()).Format("2006-01-02 15:04"), t.status(created))
		t.wrapped("  in:        ", tf.text)
		t.wrapped("  stored:    ", f.Text)
		t.printf("  labels:    lang %s, kind %s, themes [%s], urgent %t, formal complaint %t, wants reply %t",
			c.Lang, c.Kind, strings.Join(c.Themes, " "), c.Urgent, c.FormalComplaint, c.WantsReply)
		var ms []string
		for _, m := range c.Matches {
			s := fmt.Sprintf("%s←%s", m.Label(), m.Rule())
			if m.Start < m.End && int(m.End) <= len(f.Text) {
				s = fmt.Sprintf("%s←%q", m.Label(), f.Text[m.Start:m.End])
			}
			if !slices.Contains(ms, s) { // a cue and its compound part may mark the same words
				ms = append(ms, s)
			}
		}
		t.wrapped("  matches:   ", strings.Join(ms, ", "))
		if len(f.Redactions) > 0 {
			var rs []string
			for _, r := range f.Redactions {
				rs = append(rs, fmt.Sprintf("%s [%d,%d)", r.Kind, r.Start, r.End))
			}
			t.printf("  redacted:  %s", strings.Join(rs, ", "))
		}
	}
	return nil
}

// stepDeadline shows the formal complaint's due date in Finnish business days.
func (t *tourRun) stepDeadline() error {
	f, _, err := t.storedFeedback(tourFeedbacks[0])
	if err != nil {
		return err
	}
	targets := feedback.DefaultTargets()
	due, class, err := feedback.DueDate(f.ClockStart, f.Labels, targets)
	if err != nil {
		return err
	}
	t.printf("Muistutus (formal complaint), received %s (%s): class %s, %d business days",
		f.ClockStart, weekdayFI(f.ClockStart), class, targets.FormalComplaintBusinessDays)
	t.printf("Due %s (%s); stored due date %s", due, weekdayFI(due), f.Due)
	t.printf("")
	t.printf("Days off skipped · Ohitetut vapaapäivät · Överhoppade lediga dagar:")
	named := map[osallisuus.Date]feedback.Holiday{}
	for y := f.ClockStart.Year; y <= due.Year; y++ {
		hs, err := feedback.Holidays(y)
		if err != nil {
			return err
		}
		for _, h := range hs {
			named[h.Date] = h
		}
	}
	weekends := 0
	for d := f.ClockStart.AddDays(1); !d.After(due); d = d.AddDays(1) {
		if h, ok := named[d]; ok {
			t.row(d.String(), weekdayFI(d), h.Name, h.NameSv, h.NameEn)
			continue
		}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekends++
		}
	}
	t.flush()
	t.printf("  and %d weekend days", weekends)
	for _, now := range []time.Time{due.Time(23, 59), due.AddDays(1).Time(0, 0)} {
		t.printf("Overdue at %s Helsinki if still open: %t", now.In(helsinki()).Format("2006-01-02 15:04"), feedback.Overdue(feedback.StateAssigned, due, now))
	}
	return nil
}

func weekdayFI(d osallisuus.Date) string {
	return [...]string{"su", "ma", "ti", "ke", "to", "pe", "la"}[d.Weekday()]
}

// stepLoop answers and closes the feedback, then publishes "you said, we did".
func (t *tourRun) stepLoop() error {
	staff := feedback.Actor{Role: feedback.RoleStaff, ID: "staff:" + personID("johanna").String()[:8]}
	today := osallisuus.DateOf(tourNow)
	var linked []feedback.ID
	t.row("feedback", "kind", "steps", "state", "data")
	for i, tf := range tourFeedbacks {
		f, _, err := t.storedFeedback(tf)
		if err != nil {
			return err
		}
		linked = append(linked, f.ID)
		var steps []feedback.Command
		needsAnswer := f.Labels.WantsReply || f.Labels.FormalComplaint
		switch f.State {
		case feedback.StateReceived:
			steps = append(steps, feedback.Command{Action: feedback.ActionTriage})
			fallthrough
		case feedback.StateTriaged:
			if needsAnswer {
				steps = append(steps, feedback.Command{Action: feedback.ActionAssign, Assignee: "perhekeskus-esihenkilö"})
			}
			fallthrough
		case feedback.StateAssigned:
			if needsAnswer {
				steps = append(steps, feedback.Command{Action: feedback.ActionAnswer, SentOn: today,
					Reasoning: "Ajanvaraus korjattiin ja uusi aika lähetettiin kirjeellä; peruutuksista ilmoitetaan jatkossa tekstiviestillä."})
			}
			fallthrough
		case feedback.StateAnswered:
			steps = append(steps, feedback.Command{Action: feedback.ActionClose})
		}
		var names []string
		for _, c := range steps {
			c.Feedback, c.Actor = f.ID, staff
			if f, err = t.feedback.Act(t.ctx, c); err != nil {
				return fmt.Errorf("%s feedback #%d: %w", c.Action, i+1, err)
			}
			names = append(names, string(c.Action))
		}
		done := strings.Join(names, " → ")
		if done == "" {
			done = "(closed in an earlier run)"
		}
		t.row(fmt.Sprintf("#%d", i+1), string(f.Labels.Kind), done, string(f.State), t.status(len(steps) > 0))
	}
	t.flush()

	ls, created, err := t.loopSummary(linked)
	if err != nil {
		return err
	}
	t.printf("")
	t.printf("Te sanoitte, me teimme · Ni sade, vi gjorde · You said, we did (%s, %s) [%s]", ls.Period, ls.Status, t.status(created))
	t.wrapped("  fi: ", "Te sanoitte: "+ls.Said.FI+" Me teimme: "+ls.Did.FI)
	t.wrapped("  sv: ", "Ni sade: "+ls.Said.SV+" Vi gjorde: "+ls.Did.SV)
	t.printf("  linked feedback · yhdistetyt palautteet · kopplade responser: %s / %s", ls.LinkedCount(5, "fi"), ls.LinkedCount(5, "sv"))
	return nil
}

// loopSummary publishes the tour's loop summary once.
func (t *tourRun) loopSummary(linked []feedback.ID) (feedback.LoopSummary, bool, error) {
	for ls, err := range t.db.Feedback().ListSummaries(t.ctx, feedback.SummaryFilter{}) {
		if err != nil {
			return ls, false, err
		}
		if ls.Period == "2026-Q1" && ls.Said.EN == tourSaid.EN {
			return ls, false, nil
		}
	}
	ls, err := t.feedback.CreateSummary(t.ctx, feedback.LoopSummary{Period: "2026-Q1",
		UnitCodes: []string{"perhekeskus-etela", "perhekeskus-pohjoinen"}, Themes: []string{"access", "facilities"}, Status: feedback.LoopDone,
		Said: tourSaid, Did: osallisuus.Text{
			FI: "Peruutuksista lähtee nyt tekstiviesti, ja aulaan tuli lisää tuoleja.",
			SV: "Nu skickas ett textmeddelande om avbokningar, och lobbyn fick fler stolar.",
			EN: "Cancellations now send a text message, and the lobby got more chairs."},
		Linked: linked})
	if err != nil {
		return ls, true, fmt.Errorf("create the loop summary: %w", err)
	}
	ls, err = t.feedback.PublishSummary(t.ctx, ls.ID)
	if err != nil {
		return ls, true, fmt.Errorf("publish the loop summary: %w", err)
	}
	return ls, true, nil
}

var tourSaid = osallisuus.Text{
	FI: "Neuvola-aikoja peruttiin ilman tietoa, ja aulassa on liian vähän istumapaikkoja.",
	SV: "Tider på rådgivningen avbokades utan besked, och lobbyn har för få sittplatser.",
	EN: "Clinic appointments were cancelled without notice, and the lobby has too few seats.",
}

// tourUnits are the units of the satisfaction survey and how many answered in each.
var tourUnits = []struct {
	code string
	n    int
	mood int // 0..3: higher is happier
}{
	{"perhekeskus-pohjoinen", 48, 2},
	{"perhekeskus-etela", 31, 3},
	{"perheneuvola", 19, 1},
	{"neuvola-keskusta", 4, 2},
}

// surveyResponses generates the tour's survey answers: the same on every run
// (a fixed PCG seed), never stored.
func surveyResponses() iter.Seq2[feedback.Response, error] {
	return func(yield func(feedback.Response, error) bool) {
		rng := rand.New(rand.NewPCG(2026, 3))
		for _, u := range tourUnits {
			for i := range u.n {
				v := min(5, max(1, 2+u.mood/2+rng.IntN(3)+rng.IntN(2)*(u.mood%2)))
				r := feedback.Response{ID: fmt.Sprintf("%s-%d", u.code, i), At: tourNow.AddDate(0, 0, -1-i%60), Unit: u.code,
					Lang:    [...]string{"fi", "sv"}[i%3/2],
					Answers: map[string]feedback.Answer{"satisfied": {Kind: feedback.AnswerCounted, Value: v}}}
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// stepReport prints satisfaction by unit from survey metrics, with small numbers
// suppressed, as a table and a text chart.
func (t *tourRun) stepReport() error {
	const k = 5
	rep, err := feedback.Metrics(feedback.MetricsConfig{Questions: []feedback.Question{{ID: "satisfied", Scale: feedback.ScaleCSAT}},
		Threshold: k, Breakdown: []feedback.Dimension{feedback.DimUnit}}, surveyResponses())
	if err != nil {
		return err
	}
	t.printf("Tyytyväisyys yksiköittäin · Nöjdhet per enhet · Satisfaction by unit")
	t.printf("CSAT: the share answering 4 or 5 on a 1–5 scale, from generated survey answers.")
	t.printf("Small numbers are hidden: a unit with fewer than %d answers, and then the next smallest unit too,", k)
	t.printf("so that the small one cannot be worked out from the total (§7.5).")
	t.printf("")
	t.row("unit", "N", "CSAT %", "95 % interval", "mean")
	type bar struct {
		label string
		f     feedback.Figure
	}
	var bars []bar
	for _, g := range rep.Groups {
		label := "kaikki · alla · all"
		if !g.Total {
			label = g.Values[0]
		}
		f := g.Figures[0]
		bars = append(bars, bar{label, f})
		if f.Suppressed {
			t.row(label, "hidden", "–", "–", "–")
			continue
		}
		t.row(label, fmt.Sprint(f.N), f.Value.String(), f.Low.String()+" … "+f.High.String(), f.Mean.String())
	}
	t.flush()
	t.printf("")
	for _, b := range bars {
		if b.f.Suppressed {
			t.row(b.label, "(hidden)")
			continue
		}
		n := int(b.f.Value.Float64()/100*40 + 0.5)
		t.row(b.label, strings.Repeat("█", n)+strings.Repeat("·", 40-n)+" "+b.f.Value.String())
	}
	t.flush()
	return nil
}

// stepDecision shows consent decisions with their explanations in Finnish and English.
func (t *tourRun) stepDecision() error {
	qs := []participation.ConsentQuery{
		{Subject: personID("ilona"), Purpose: "contact", Scope: "panel:family-forum", At: tourNow},
		{Subject: personID("mikael"), Purpose: "experience-data", At: tourNow},
		{Subject: personID("frans"), Purpose: "panel-membership", Scope: "panel:family-forum", At: tourNow},
	}
	for i, q := range qs {
		d, err := t.people.CheckConsent(t.ctx, q)
		if err != nil {
			return err
		}
		if i > 0 {
			t.printf("")
		}
		scope := q.Scope
		if scope == "" {
			scope = "(global)"
		}
		t.printf("%s, %s, %s → %s (%s)", t.name(q.Subject), q.Purpose, scope, allowedWord(d.Allowed), d.Reason)
		for _, tag := range []language.Tag{language.Finnish, language.English} {
			t.wrapped(fmt.Sprintf("  %s: ", tag), t.withNames(d.Explain(tag)))
		}
		if err := d.Err(); err != nil {
			var re *osallisuus.RuleError
			if errors.As(err, &re) {
				t.wrapped("  a service refusing the step would say (fi): ", osallisuus.Localize(err, language.Finnish))
			}
		}
	}
	return nil
}

// withNames replaces participant IDs in an explanation with the tour's labels.
func (t *tourRun) withNames(s string) string {
	for id, n := range t.names {
		s = strings.ReplaceAll(s, id.String(), n)
	}
	return s
}
