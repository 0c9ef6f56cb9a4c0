package participation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
)

// stepClock is a clock an example moves by hand.
type stepClock struct{ t time.Time }

func (c *stepClock) Now() time.Time { return c.t }

func (c *stepClock) set(s string) {
	t, err := osallisuus.ParseInstant(s)
	if err != nil {
		panic(err)
	}
	c.t = t
}

// A family centre runs a planning workshop with two places in its family-centre model
// project: a third registrant waits, takes the place a cancellation frees, and after the
// workshop the project's coverage shows the planning phase reached the "involve" level.
// Participation is a public task here, so no consent is asked for the records.
func ExampleActivityService() {
	ctx := context.Background()
	clock := &stepClock{}
	clock.set("2026-03-01T09:00:00+02:00")
	store := memstore.New()
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact"}, {Name: "participation", Basis: participation.BasisPublicTask}}}
	people, err := participation.NewService(participation.StoresOf(store), policy, participation.Config{Clock: clock})
	if err != nil {
		panic(err)
	}
	svc, err := participation.NewActivityService(store, store, people, participation.ActivityConfig{Clock: clock})
	if err != nil {
		panic(err)
	}
	county, _ := svc.AddOrganisation(ctx, participation.Organisation{Sector: participation.SectorPublic,
		Name: osallisuus.Text{FI: "Hyvinvointialue", SV: "Välfärdsområdet", EN: "Wellbeing county"}})
	centre, _ := svc.AddOrganisation(ctx, participation.Organisation{Parent: county.ID,
		Name: osallisuus.Text{FI: "Perhekeskus", SV: "Familjecentret", EN: "Family centre"}})
	project, _ := svc.AddProject(ctx, participation.Project{Organisation: centre.ID, PlanDate: osallisuus.NewDate(2026, 3, 15)})
	ws, err := svc.CreateActivity(ctx, participation.Activity{Key: "fc-workshop", Organisation: county.ID,
		Project: project.ID, Kind: participation.ActivityWorkshop, Phase: participation.PhasePlanning,
		Level: participation.LevelInvolve, Start: osallisuus.NewDate(2026, 3, 15),
		Languages: []participation.Language{participation.LanguageFinnish, participation.LanguageEasy}, Capacity: 2})
	if err != nil {
		panic(err)
	}
	var who []osallisuus.ParticipantID
	for range 3 {
		p, _ := people.Register(ctx, participation.Participant{Kind: participation.KindCustomer, Adult: true})
		who = append(who, p.ID)
		reg, _ := svc.Register(ctx, ws.ID, p.ID, participation.RoleCustomer)
		fmt.Println(reg.Record.Status, reg.Position)
	}
	c, _ := svc.Cancel(ctx, ws.ID, who[0])
	fmt.Println(c.Record.Status, len(c.Promoted), c.Promoted[0].Who == who[2])

	clock.set("2026-03-15T18:00:00+02:00")
	for _, p := range who[1:] {
		if _, err := svc.RecordAttendance(ctx, ws.ID, p, participation.StatusAttended, osallisuus.Date{}); err != nil {
			panic(err)
		}
	}
	cov, _ := svc.Coverage(ctx, project.ID)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(cov.Phases[0])
	early, _ := svc.EarlyInvolvement(ctx)
	_ = enc.Encode(early.Total)
	// Output:
	// registered 0
	// registered 0
	// waitlisted 1
	// cancelled 1 true
	// {"phase":"planning","covered":true,"level":"involve","activities":1,"people":"<5"}
	// {"projects":1,"early":1,"share":100,"people":"<5"}
}

// A count of people below the threshold is hidden; a share of projects never is.
func ExampleSuppressCount() {
	for _, n := range []int{0, 3, 5} {
		fmt.Print(participation.SuppressCount(n, 5), " ")
	}
	b, _ := json.Marshal(participation.ShareOf(2, 3))
	fmt.Println(string(b))
	// Output: 0 <5 5 66.7
}

// Register is the pure rule the service runs inside the store's transaction: with both
// places taken the third person joins the waitlist.
func ExampleRegister() {
	now, _ := osallisuus.ParseInstant("2026-03-01T09:00:00+02:00")
	a := participation.Activity{Key: "peers", Kind: participation.ActivityPeerGroup, Phase: participation.PhaseProduction,
		Level: participation.LevelConsult, Start: osallisuus.NewDate(2026, 3, 10), End: osallisuus.NewDate(2026, 3, 10),
		Languages: []participation.Language{participation.LanguageSignLang}, Capacity: 2}
	r := participation.Roster{Activity: a}
	for range 3 {
		who, _ := osallisuus.NewParticipantID()
		d := participation.ConsentDecision{Allowed: true, Reason: participation.ReasonNotRequired,
			Query: a.ConsentFor(who, "participation", now)}
		rec, pos, err := participation.Register(r, who, participation.RoleRelative, d, now)
		if err != nil {
			panic(err)
		}
		r.Records = append(r.Records, rec)
		fmt.Println(rec.Seq, rec.Status, pos)
	}
	free, _ := r.Free()
	fmt.Println("taken", r.Taken(), "free", free)
	// Output:
	// 1 registered 0
	// 2 registered 0
	// 3 waitlisted 1
	// taken 2 free 0
}
