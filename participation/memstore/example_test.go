package memstore_test

import (
	"context"
	"fmt"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// A host's tests run the participation service on the in-memory store: the zero Store is
// ready, and it is the same store the conformance suite checks.
func ExampleStore() {
	ctx := context.Background()
	var store memstore.Store
	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "feedback-reply"}}}
	now, _ := osallisuus.ParseInstant("2026-09-01T10:00:00+03:00")
	svc, err := participation.NewService(participation.StoresOf(&store), policy,
		participation.Config{Clock: osallisuus.FixedClock(now)})
	if err != nil {
		panic(err)
	}
	customer, _ := svc.Register(ctx, participation.Participant{Kind: participation.KindCustomer, Adult: true})
	for _, action := range []participation.Action{participation.Grant, participation.Withdraw} {
		ev, err := svc.Record(ctx, participation.ConsentEvent{At: now, Subject: customer.ID, By: customer.ID,
			Action: action, Purpose: "feedback-reply", Method: participation.Electronic, NoticeVersion: 1})
		fmt.Println(ev.Seq, ev.Action, ev.Authority.Kind, err)
	}
	evs, _ := participation.Collect(store.Events(ctx, customer.ID))
	d, _ := svc.CheckConsent(ctx, participation.ConsentQuery{Subject: customer.ID, Purpose: "feedback-reply", At: now})
	fmt.Println(len(evs), "events;", d.Allowed, d.Reason)
	// Output:
	// 1 grant self-age <nil>
	// 2 withdraw self-age <nil>
	// 2 events; false withdrawn
}
