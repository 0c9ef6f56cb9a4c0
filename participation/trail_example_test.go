package participation_test

import (
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// A host that answers consent questions at high rates loads its ledger into trails at
// start-up and decides from memory; a subject's trail is rebuilt when an event is
// appended for them.
func ExampleNewTrails() {
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", MaxDuration: "P1Y", MinNoticeVersion: 1},
	}}
	if err := policy.Validate(); err != nil {
		panic(err)
	}
	a, _ := osallisuus.NewParticipantID()
	b, _ := osallisuus.NewParticipantID()
	t0, _ := osallisuus.ParseInstant("2026-02-01T09:00:00+02:00")
	event := func(subject osallisuus.ParticipantID, action participation.Action, at time.Time) participation.ConsentEvent {
		return participation.ConsentEvent{At: at, Subject: subject, By: subject, Action: action,
			Purpose: "contact", Method: participation.Electronic, NoticeVersion: 1}
	}
	ledger := []participation.ConsentEvent{ // as loaded from the store, in ledger order
		event(a, participation.Grant, t0),
		event(b, participation.Grant, t0),
		event(b, participation.Withdraw, t0.Add(48*time.Hour)),
	}
	trails := participation.NewTrails(ledger)

	at := t0.Add(72 * time.Hour)
	for _, subject := range []osallisuus.ParticipantID{a, b} {
		d, err := trails[subject].Decide(policy, participation.ConsentQuery{Subject: subject, Purpose: "contact", At: at})
		if err != nil {
			panic(err)
		}
		fmt.Println(d.Allowed, d.Reason, d.Event.Action, d.ExpiresAt.Format(time.RFC3339))
	}

	// b grants again: rebuild b's trail from b's events.
	events := append(trails[b].Events(), event(b, participation.Grant, at))
	trails[b] = participation.NewTrail(events)
	d, _ := trails[b].Decide(policy, participation.ConsentQuery{Subject: b, Purpose: "contact", At: at.Add(time.Hour)})
	fmt.Println(d.Allowed, d.Reason)
	// Output:
	// true granted grant 2027-02-01T22:00:00Z
	// false withdrawn withdraw 0001-01-01T00:00:00Z
	// true granted
}
