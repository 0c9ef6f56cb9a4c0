package feedbacktest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/feedbacktest"
	"github.com/osallisuus/osallisuus/feedback/memstore"
)

// A backend's test runs the suites on fresh stores, one per subtest:
//
//	func TestConformance(t *testing.T) {
//		feedbacktest.Run(t, func(t *testing.T) feedback.Store { return openFeedbackStore(t) })
//		feedbacktest.RunSurveys(t, func(t *testing.T) feedback.SurveyStore { return openSurveyStore(t) })
//	}
//
// Its own service-level checks drive feedback.Service over the store with a fixed clock
// and AllowAll, as the suites' GDPR subtests do: here a contact is stored beside the
// feedback, found by its participant, and erased with the rest of their data.
func ExampleAllowAll() {
	ctx := context.Background()
	store := memstore.New() // the store under test
	svc, err := feedback.NewService(store, feedbacktest.AllowAll(), feedback.Config{
		Clock: osallisuus.FixedClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))})
	if err != nil {
		fmt.Println(err)
		return
	}
	who, _ := osallisuus.NewParticipantID()
	f, err := svc.Submit(ctx, feedback.Intake{Channel: feedback.ChannelWeb, Sender: who,
		Text: "Soittakaa minulle, odotin viikon.", Contact: feedback.Contact{Email: "asiakas@example.invalid"}})
	fmt.Println("submitted:", err == nil)
	for c, err := range store.ListContacts(ctx, feedback.ContactFilter{Participant: who}) {
		fmt.Println("contact of the feedback:", c.Feedback == f.ID, c.Purpose, c.RetainUntil, err)
	}
	rep, err := svc.ErasePersonalData(ctx, who)
	fmt.Println("erased:", rep.Erased, err)
	// Output:
	// submitted: true
	// contact of the feedback: true feedback-reply 2027-03-02 <nil>
	// erased: [{contacts 1} {feedback-sender-links 1}] <nil>
}
