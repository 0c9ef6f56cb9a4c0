package participation_test

// This file holds the README's quick start; keep the two identical.

import (
	"context"
	"fmt"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

func Example_quickStart() {
	ctx := context.Background()
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "panel-membership", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
	}}
	now, _ := osallisuus.ParseInstant("2026-05-04T10:00:00+03:00")
	svc, err := participation.NewService(participation.StoresOf(memstore.New()), policy,
		participation.Config{Clock: osallisuus.FixedClock(now)})
	if err != nil {
		panic(err)
	}
	customer, _ := svc.Register(ctx, participation.Participant{
		Kind: participation.KindCustomer, BirthDate: osallisuus.NewDate(1990, 3, 14)})
	_, err = svc.Record(ctx, participation.ConsentEvent{At: now, Subject: customer.ID, By: customer.ID,
		Action: participation.Grant, Purpose: "panel-membership",
		Method: participation.Electronic, NoticeVersion: 1})
	fmt.Println("recorded:", err == nil)
	d, _ := svc.CheckConsent(ctx, participation.ConsentQuery{
		Subject: customer.ID, Purpose: "panel-membership", Scope: "panel:family-forum", At: now})
	fmt.Println(d.Allowed, d.Reason, "until", osallisuus.DateOf(d.ExpiresAt))
	// Output:
	// recorded: true
	// true granted until 2028-05-05
}
