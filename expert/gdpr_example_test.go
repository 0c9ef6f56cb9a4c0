package expert_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

// A participant asks for their data and then for erasure: the export holds their expert
// record with the experience areas; erasure retires the active expert now, withdraws the
// pending offer, blanks the profile and keeps the IDs and dates; erasing again changes
// nothing. A year after the retirement the retention job has nothing left to erase.
func ExampleService_ErasePersonalData() {
	ctx := context.Background()
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: "granted", Query: q}, nil
	})
	now := time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC)
	svc, err := expert.NewService(memstore.New(), allow, expert.Config{
		Clock: osallisuus.ClockFunc(func() time.Time { return now })})
	if err != nil {
		fmt.Println(err)
		return
	}
	who, _ := osallisuus.NewParticipantID()
	e, _ := svc.Register(ctx, who, expert.ExpertID{})
	for _, name := range []string{"training", "agreement", "confidentiality"} {
		_, _ = svc.RecordCheck(ctx, e.ID, expert.Check{Name: name})
	}
	_, _ = svc.SetProfile(ctx, e.ID, 0, expert.Profile{
		Experience: []expert.Experience{{Code: "family-services", Perspective: expert.PerspectiveOwn}},
		Languages:  []string{"fi"}, Areas: []string{"turku"},
	}, expert.ActorExpert)
	_, _ = svc.Activate(ctx, e.ID)
	r, _ := svc.CreateRequest(ctx, expert.Request{Unit: "family-centre-east", TaskType: "talk",
		Start: osallisuus.NewDate(2026, 3, 20).Time(13, 0), Minutes: 60, Location: "turku", Language: "fi", Needed: 1})
	r, _ = svc.OpenRequest(ctx, r.ID)
	_, _ = svc.Offer(ctx, r.ID, e.ID, false)

	pd, _ := svc.ExportPersonalData(ctx, who)
	fmt.Println("export:", len(pd.Experts), "record,", pd.Experts[0].Profile.Experience[0].Code, "and",
		len(pd.Assignments), "offer", pd.Assignments[0].Status)

	rep, err := svc.ErasePersonalData(ctx, who)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Erased {
		fmt.Println("erased:", c.Kind, c.Count)
	}
	for _, k := range rep.Retained {
		fmt.Println("retained:", k.Kind, k.Count, k.Basis)
	}
	got, _ := svc.Get(ctx, e.ID)
	fmt.Println("record:", got.State, "on", got.RetiredOn, "experience areas:", len(got.Profile.Experience))
	x, _ := svc.GetRequest(ctx, r.ID)
	fmt.Println("offer:", x.Assignments[0].Status)

	again, _ := svc.ErasePersonalData(ctx, who)
	fmt.Println("again: erased", len(again.Erased), "retained", len(again.Retained))
	now = now.AddDate(1, 0, 1)
	ret, _ := svc.ApplyRetention(ctx)
	fmt.Println("retention a year later purged:", len(ret.Purged))
	// Output:
	// export: 1 record, family-services and 1 offer offered
	// erased: expert-profiles 1
	// retained: expert-records 1 aggregate
	// retained: assignments 1 aggregate
	// record: retired on 2026-03-04 experience areas: 0
	// offer: withdrawn
	// again: erased 0 retained 2
	// retention a year later purged: 0
}
