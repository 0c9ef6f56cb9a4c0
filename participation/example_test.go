package participation_test

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// A family centre asks a guardian's consent for contacting a child about a customer
// forum, then checks it before sending an invitation.
func Example() {
	ctx := context.Background()
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
	}}
	now, _ := osallisuus.ParseInstant("2026-05-04T10:00:00+03:00")
	svc, err := participation.NewService(participation.StoresOf(memstore.New()), policy,
		participation.Config{Clock: osallisuus.FixedClock(now)})
	if err != nil {
		panic(err)
	}
	child, _ := svc.Register(ctx, participation.Participant{Kind: participation.KindCustomer,
		BirthDate: osallisuus.NewDate(2016, 8, 21)})
	parent, _ := svc.Register(ctx, participation.Participant{Kind: participation.KindRelative})
	_, err = svc.AddRepresentation(ctx, participation.Representation{
		Representative: parent.ID, Subject: child.ID, Kind: participation.Guardian})
	if err != nil {
		panic(err)
	}

	// The child cannot grant alone at 9; the guardian can.
	_, err = svc.Record(ctx, participation.ConsentEvent{At: now, Subject: child.ID, By: child.ID,
		Action: participation.Grant, Purpose: "contact", Method: participation.Electronic, NoticeVersion: 1})
	fmt.Println("child alone:", osallisuus.Localize(err, language.English))
	_, err = svc.Record(ctx, participation.ConsentEvent{At: now, Subject: child.ID, By: parent.ID,
		Action: participation.Grant, Purpose: "contact", Method: participation.Written, NoticeVersion: 1})
	fmt.Println("guardian:", err)

	d, _ := svc.CheckConsent(ctx, participation.ConsentQuery{Subject: child.ID, Purpose: "contact",
		Scope: "panel:family-forum", At: now.Add(24 * time.Hour)})
	fmt.Println(d.Allowed, d.Reason, d.Event.Authority.Kind, d.ExpiresAt.In(time.UTC))
	// Output:
	// child alone: Not allowed: the person acting has no authority for this subject and purpose
	// guardian: <nil>
	// true granted guardian 2028-05-04 21:00:00 +0000 UTC
}

// Decide is the pure rule: given the policy, the subject's ledger and a query, it
// answers without a store or a clock.
func ExampleDecide() {
	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "experience-data", Explicit: true}}}
	if err := policy.Validate(); err != nil {
		panic(err)
	}
	subject, _ := osallisuus.NewParticipantID()
	nurse, _ := osallisuus.NewParticipantID()
	granted, _ := osallisuus.ParseInstant("2026-02-02T09:00:00+02:00")
	asked, _ := osallisuus.ParseInstant("2026-02-03T09:00:00+02:00")
	ledger := []participation.ConsentEvent{{At: granted, Subject: subject, By: subject, RecordedBy: nurse,
		Action: participation.Grant, Purpose: "experience-data", Method: participation.Oral, NoticeVersion: 1}}
	d, err := participation.Decide(policy, ledger, participation.ConsentQuery{
		Subject: subject, Purpose: "experience-data", At: asked})
	fmt.Println(d.Allowed, d.Reason, err)
	fmt.Println(osallisuus.LocalizeReason(d.Reason, language.Finnish))
	// Output:
	// false not-explicit <nil>
	// tähän tarvitaan kirjallinen tai sähköinen nimenomainen suostumus
}
