package feedback_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

// A customer who sent feedback with a contact and answered a survey under their
// participant ID asks to see their data and then to be forgotten. The export lists the
// contact, the feedback as stored (redacted) and the survey response; the erasure deletes
// the contact, keeps the feedback anonymous and redacted and the survey response for the
// metrics without its respondent or free text; a second erasure finds nothing.
func ExampleService_ErasePersonalData() {
	ctx := context.Background()
	clock := osallisuus.FixedClock(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
	})
	store := memstore.New() // both the feedback and the survey store
	svc, _ := feedback.NewService(store, allow, feedback.Config{Clock: clock})
	surveys, _ := feedback.NewSurveyService(store, allow, feedback.SurveyConfig{Clock: clock})
	customer, _ := osallisuus.NewParticipantID()

	_, _ = svc.Submit(ctx, feedback.Intake{Channel: feedback.ChannelWeb, Sender: customer,
		Text:    "Odotin takaisinsoittoa viikon. Numeroni on 040 123 4567.",
		Contact: feedback.Contact{Phone: "040 123 4567"}})
	q := feedback.StandardQuestionnaire(feedback.QuestionnaireID{})
	q.IdentifiedPurpose = "customer-survey"
	q, _ = surveys.CreateQuestionnaire(ctx, q)
	q, _ = surveys.Publish(ctx, q.ID, q.Number)
	_, _ = surveys.Answer(ctx, feedback.AnswerInput{Questionnaire: q.ID, Respondent: customer, Unit: "unit-1",
		Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: feedback.NumberAnswer(8),
			feedback.StdComment: {Text: "Jonot ovat liian pitkiä."}}})

	pd, _ := svc.ExportPersonalData(ctx, customer)
	fmt.Println("contacts:", len(pd.Contacts), "feedback:", len(pd.Feedback), "responses:", len(pd.SurveyResponses))
	fmt.Println("stored text:", pd.Feedback[0].Text)

	rep, _ := svc.ErasePersonalData(ctx, customer)
	erased, _ := json.Marshal(rep.Erased)
	retained, _ := json.Marshal(rep.Retained)
	fmt.Println("erased:", string(erased))
	fmt.Println("retained:", string(retained))

	again, _ := svc.ErasePersonalData(ctx, customer)
	fmt.Println("second erasure erased:", len(again.Erased))
	// Output:
	// contacts: 1 feedback: 1 responses: 1
	// stored text: Odotin takaisinsoittoa viikon. Numeroni on [phone].
	// erased: [{"kind":"contacts","count":1},{"kind":"feedback-sender-links","count":1},{"kind":"survey-respondent-links","count":1},{"kind":"survey-text-answers","count":1}]
	// retained: [{"kind":"feedback","count":1,"basis":"redacted"},{"kind":"survey-responses","count":1,"basis":"aggregate"}]
	// second erasure erased: 0
}

// The county's retention job runs daily: a contact is kept until its RetainUntil day
// (receipt + Config.ContactRetentionDays) and deleted on the next run after that day.
func ExampleService_ApplyRetention() {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
	})
	svc, _ := feedback.NewService(memstore.New(), allow, feedback.Config{
		Clock: osallisuus.ClockFunc(func() time.Time { return now }), ContactRetentionDays: 90})
	customer, _ := osallisuus.NewParticipantID()
	f, _ := svc.Submit(ctx, feedback.Intake{Channel: feedback.ChannelEmail, Sender: customer,
		Text: "Voitteko soittaa minulle laskusta?", Contact: feedback.Contact{Phone: "040 000 0000"}})
	c, _ := svc.Contact(ctx, f.ID)
	fmt.Println("kept until", c.RetainUntil)

	for _, day := range []osallisuus.Date{c.RetainUntil, c.RetainUntil.AddDays(1)} {
		now = day.Time(3, 0)
		rep, _ := svc.ApplyRetention(ctx)
		purged, _ := json.Marshal(rep.Purged)
		fmt.Println(day, string(purged))
	}
	// Output:
	// kept until 2027-03-04
	// 2027-03-04 []
	// 2027-03-05 [{"kind":"contacts","count":1}]
}
