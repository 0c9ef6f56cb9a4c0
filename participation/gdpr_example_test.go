package participation_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// A customer asks to be forgotten. The county keeps the consent proof for its proof
// period (three years by default), then the retention job purges it.
func ExampleService_ErasePersonalData() {
	ctx := context.Background()
	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact"}}}
	now, _ := osallisuus.ParseInstant("2026-06-01T12:00:00+03:00")
	clock := osallisuus.ClockFunc(func() time.Time { return now })
	svc, err := participation.NewService(participation.StoresOf(memstore.New()), policy,
		participation.Config{Clock: clock})
	if err != nil {
		panic(err)
	}
	p, _ := svc.Register(ctx, participation.Participant{Kind: participation.KindCustomer,
		BirthDate: osallisuus.NewDate(1984, 4, 4), Language: "fi"})
	_, err = svc.Record(ctx, participation.ConsentEvent{At: now.Add(-time.Hour), Subject: p.ID, By: p.ID,
		Action: participation.Grant, Purpose: "contact", Method: participation.Electronic, NoticeVersion: 1})
	if err != nil {
		panic(err)
	}

	data, _ := svc.ExportPersonalData(ctx, p.ID)
	fmt.Println("export:", len(data.ConsentEvents), "event;", data.Consents[0].Query.Purpose, data.Consents[0].Reason)

	rep, _ := svc.ErasePersonalData(ctx, p.ID)
	for _, e := range rep.Erased {
		fmt.Println("erased:", e.Kind, e.Count)
	}
	for _, r := range rep.Retained {
		if r.Until.IsZero() {
			fmt.Println("kept:", r.Kind, r.Count, r.Basis)
		} else {
			fmt.Println("kept:", r.Kind, r.Count, r.Basis, "until", r.Until)
		}
	}
	d, _ := svc.CheckConsent(ctx, participation.ConsentQuery{Subject: p.ID, Purpose: "contact", At: now})
	fmt.Println("consent:", d.Allowed, d.Reason)

	now = now.AddDate(3, 0, 1) // the day after the last day of the proof period
	purged, _ := svc.ApplyRetention(ctx)
	fmt.Println("purged:", purged.Purged)
	// Output:
	// export: 1 event; contact granted
	// erased: participant-attributes 1
	// kept: participant 1 aggregate
	// kept: consent-events 1 consent-proof until 2029-06-01
	// consent: false erased
	// purged: [{consent-events 1}]
}
