package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

// A host test runs feedback.Service on an in-memory store with a fixed clock and a consent
// checker that allows every purpose. The feedback a customer submits is stored redacted, and the
// sender's contact details are kept apart from it, under the feedback's ID, until their
// retention date (365 days after receipt by default); the store's listing finds the
// feedback by unit.
func ExampleNew() {
	ctx := context.Background()
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
	})
	store := memstore.New()
	svc, err := feedback.NewService(store, allow, feedback.Config{
		Clock: osallisuus.FixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		fmt.Println(err)
		return
	}
	sender, _ := osallisuus.NewParticipantID() // a contact needs a known sender who consents
	f, err := svc.Submit(ctx, feedback.Intake{Channel: feedback.ChannelPaper, UnitCode: "health-centre-east", Sender: sender,
		Text:    "Voisiko aulaan tuoda lisää tuoleja? Vastatkaa sähköpostiin sender@example.invalid.",
		Contact: feedback.Contact{Email: "sender@example.invalid"}})
	if err != nil {
		fmt.Println(err)
		return
	}

	for saved, err := range store.ListFeedback(ctx, feedback.FeedbackFilter{UnitCode: "health-centre-east"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(saved.ID == f.ID, saved.State, saved.Labels.Kind, "version", saved.Version)
		fmt.Println(saved.Text)
	}
	c, err := store.GetContact(ctx, f.ID)
	fmt.Println(c.Email, c.Purpose, c.RetainUntil, err)
	// Output:
	// true received question version 1
	// Voisiko aulaan tuoda lisää tuoleja? Vastatkaa sähköpostiin [email].
	// sender@example.invalid feedback-reply 2027-03-02 <nil>
}
