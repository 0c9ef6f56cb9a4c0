package expert_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/memstore"
	"github.com/osallisuus/osallisuus/participation"
	"golang.org/x/text/language"
)

// The worked example of spec §7: six experts for a family-centre workshop.
func ExampleMatch() {
	xs, err := expert.Match(workedInput())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range xs {
		if x.Included {
			fmt.Printf("%s rank %d %s load %d warnings %v\n", x.Key, x.Rank, x.Proposed, x.Keys.Load, x.Warnings.Codes())
		} else {
			fmt.Printf("%s excluded %v lapsed %v\n", x.Key, x.Reasons.Codes(), x.Lapsed)
		}
	}
	// Output:
	// B rank 1 offer load 0 warnings []
	// A rank 2 offer load 1 warnings []
	// F rank 3 reserve load 1 warnings [approaching-cap]
	// C excluded [experience-mismatch language-mismatch] lapsed []
	// D excluded [not-active] lapsed [agreement]
	// E excluded [conflict-of-interest] lapsed []
}

// The worked fee example of spec §8: F's assignment for R.
func ExamplePrice() {
	work := expert.Work{TaskType: "workshop", Start: osallisuus.NewDate(2026, 3, 10).Time(13, 0), Minutes: 180,
		PreparationMinutes: 60, GrantedPreparationMinutes: 60,
		Travel:   expert.Travel{Minutes: 50, Km: 36, Vehicle: "car"},
		Receipts: []expert.Receipt{{Kind: expert.LineParking, Cents: 400}}}
	fee, err := expert.Price(expert.Schedules{workedSchedule()}, work, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range fee.Lines {
		fmt.Printf("%-14s %4d × %5d = %5d\n", l.Kind, l.Quantity, l.UnitCents, l.Cents)
	}
	fmt.Println("fee", fee.FeeCents, "expenses", fee.ExpenseCents, "payable", fee.FeeCents+fee.ExpenseCents)
	// Output:
	// task-half-day   180 ×  8000 =  8000
	// preparation      60 ×  2000 =  2000
	// travel-time      60 ×  1000 =  1000
	// mileage          36 ×    57 =  2052
	// parking           1 ×   400 =   400
	// fee 11000 expenses 2452 payable 13452
}

// A coordinator matches a request, offers it, and the expert accepts: on memstore with a
// fixed clock and a consent checker that allows every purpose.
func ExampleService_Accept() {
	ctx := context.Background()
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: "granted", Query: q}, nil
	})
	svc, err := expert.NewService(memstore.New(), allow, expert.Config{
		Clock: osallisuus.FixedClock(time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC))})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = svc.AddSchedule(ctx, workedSchedule())

	who, _ := osallisuus.NewParticipantID()
	e, _ := svc.Register(ctx, who, expert.ExpertID{})
	for _, name := range []string{"training", "agreement", "confidentiality"} {
		_, _ = svc.RecordCheck(ctx, e.ID, expert.Check{Name: name})
	}
	_, _ = svc.SetProfile(ctx, e.ID, 0, expert.Profile{
		Experience: []expert.Experience{{Code: "family-services", Perspective: expert.PerspectiveOwn}},
		Languages:  []string{"fi"}, Areas: []string{"turku"},
		Caps: expert.Caps{Earnings: []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 10000}}},
	}, expert.ActorExpert)
	e, err = svc.Activate(ctx, e.ID)
	fmt.Println("state:", e.State, err)

	r, _ := svc.CreateRequest(ctx, expert.Request{Unit: "family-centre-east", TaskType: "workshop",
		Start: osallisuus.NewDate(2026, 3, 10).Time(13, 0), Minutes: 180, Location: "turku", Language: "fi",
		Experience: []string{"family-services"}, Needed: 1, Reserve: 2})
	r, _ = svc.OpenRequest(ctx, r.ID)

	xs, _ := svc.Match(ctx, r.ID, false)
	fmt.Println("proposed:", xs[0].Proposed, "warnings:", xs[0].Warnings.Codes())
	a, err := svc.Offer(ctx, r.ID, e.ID, false)
	fmt.Println("offer:", a.Status, err)
	a, err = svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{})
	fmt.Println("accept:", a.Status, err)
	for _, w := range a.Warnings {
		fmt.Printf("cap %s %s: %d + %d of %d (%s)\n", w.Cap, w.Period, w.Current, w.Adding, w.Limit, w.Level)
	}
	// Output:
	// state: active <nil>
	// proposed: offer warnings: [approaching-cap]
	// offer: offered <nil>
	// accept: accepted <nil>
	// cap earnings-month 2026-04: 0 + 8000 of 10000 (approaching)
}

// Explanations are rendered for the coordinator in Finnish, Swedish or English from
// their codes.
func ExampleExplanation_Explain() {
	xs, _ := expert.Match(workedInput())
	for _, tag := range []language.Tag{language.Finnish, language.Swedish, language.English} {
		fmt.Println(xs[2].Explain(tag))
		fmt.Println(xs[4].Explain(tag))
	}
	// Output:
	// F: mukana, sija 3, varalla; lähestyy omaa rajaansa
	// D: ei mukana: ei ole aktiivinen tehtävän aikana (agreement)
	// F: med, plats 3, reserv; närmar sig sin egen gräns
	// D: inte med: är inte aktiv under uppdraget (agreement)
	// F: included, rank 3, reserve; approaching their own cap
	// D: excluded: not active for the task (agreement)
}

// A host matching many requests builds the pool once and reads the compact verdicts;
// the full explanation of one candidate is computed on demand.
func ExamplePool_Match() {
	in := workedInput()
	pool := expert.NewPool(in.Candidates, in.Settings.Checks)
	req := in
	req.Candidates = nil
	m, err := pool.Match(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	for j := range m.Len() {
		v := m.Verdict(j)
		fmt.Println(in.Candidates[v.Candidate].Key, v.Included, m.Rank(j), m.Proposed(j), v.Reasons.Codes(), v.Warnings.Codes())
	}
	x := m.Explanation(2)
	fmt.Println(x.Key, x.ProjectedCents, x.CapWarnings[0].Period, x.CapWarnings[0].Level)
	// Output:
	// B true 1 offer [] []
	// A true 2 offer [] []
	// F true 3 reserve [] [approaching-cap]
	// C false 0 none [experience-mismatch language-mismatch] []
	// D false 0 none [not-active] []
	// E false 0 none [conflict-of-interest] []
	// F 11000 2026-04 approaching
}
