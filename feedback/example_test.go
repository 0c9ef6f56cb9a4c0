package feedback_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
)

func ExampleClassify() {
	for _, text := range []string{
		"Odotin päivystyksessä neljä tuntia, eikä kukaan kertonut miksi.",
		"Voisiko aulaan tuoda lisää tuoleja?",
		"Hur får jag en kopia av min journal på svenska?",
		"My husband hits me and I am scared to go home today.",
	} {
		c := feedback.Classify(text)
		fmt.Println(c.Lang, c.Kind, c.Themes, "urgent:", c.Urgent, "wantsReply:", c.WantsReply)
	}
	// Output:
	// fi complaint [access information] urgent: false wantsReply: false
	// fi idea [facilities] urgent: false wantsReply: false
	// sv question [information language] urgent: false wantsReply: true
	// en complaint [safety] urgent: true wantsReply: false
}

// Each label is explained by matches: the label, the rule that fired and the words, by
// their byte offsets in the (NFC) text.
func ExampleMatch() {
	text := "Lasku tuli kahteen kertaan. Milloin saan vastauksen?"
	for _, m := range feedback.Classify(text).Matches {
		fmt.Printf("%-10s %-18s %q\n", m.Label(), m.Rule(), text[m.Start:m.End])
	}
	// Output:
	// cost       lasku*             "Lasku"
	// question   milloin            "Milloin"
	// question   question-mark      ""
	// wantsReply question-or-formal ""
}

func ExampleRedact() {
	text := "Hetu 010190-900P, soita 040 123 4567 tai mail anna@example.invalid. Lasku 12,30 € klo 9.15."
	out, spans := feedback.Redact(text, feedback.RedactOptions{})
	fmt.Println(out)
	for _, r := range spans {
		fmt.Println(r.Kind, r.Start, r.End, r.Valid)
	}
	// Output:
	// Hetu [hetu], soita [phone] tai mail [email]. Lasku 12,30 € klo 9.15.
	// hetu 5 16 true
	// phone 24 36 true
	// email 46 66 true
}

func ExampleAddBusinessDays() {
	// Good Friday, the weekend and Easter Monday are not business days.
	from := osallisuus.NewDate(2033, time.April, 14)
	due, err := feedback.AddBusinessDays(from, 1)
	fmt.Println(due, err)
	// Output: 2033-04-19 <nil>
}

func ExampleMetrics() {
	at := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	var rs []feedback.Response
	for i, v := range []int{4, 5, 5, 3, 4, 2, 5} {
		rs = append(rs, feedback.Response{ID: fmt.Sprint("r", i), At: at,
			Answers: map[string]feedback.Answer{"heard": {Kind: feedback.AnswerCounted, Value: v}}})
	}
	cfg := feedback.MetricsConfig{Questions: []feedback.Question{{ID: "heard", Scale: feedback.ScaleCSAT}}}
	rep, _ := feedback.Metrics(cfg, func(yield func(feedback.Response, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	})
	f := rep.Groups[0].Figures[0]
	fmt.Printf("CSAT %s (%s … %s), N %d, mean %s\n", f.Value, f.Low, f.High, f.N, f.Mean)
	// Output: CSAT 71.4 (35.9 … 91.8), N 7, mean 4.00
}

func ExampleService_Submit() {
	store := memstore.New()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, _ := feedback.NewService(store, consent(true), feedback.Config{Clock: osallisuus.FixedClock(now)})
	f, err := svc.Submit(ctxBackground(), feedback.Intake{Channel: feedback.ChannelPaper,
		Text: "Teen muistutuksen: lääkäri ei tutkinut minua. Vastatkaa kirjallisesti, puh. 040 123 4567."})
	fmt.Println(err)
	fmt.Println(f.Text)
	fmt.Println(f.State, f.Labels.Kind, f.Labels.FormalComplaint, f.DeadlineClass, f.Due)
	fmt.Println(slices.Contains(f.Classification.Themes, "competence"))
	// Output:
	// <nil>
	// Teen muistutuksen: lääkäri ei tutkinut minua. Vastatkaa kirjallisesti, puh. [phone].
	// received complaint true formal-complaint 2026-03-30
	// true
}
