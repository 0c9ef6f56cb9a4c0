package panel_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
	partmem "github.com/osallisuus/osallisuus/participation/memstore"
)

// clock is a hand-moved clock shared by the examples' services.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// world sets up a participation service (people and consents) and a panel service on
// in-memory stores.
func world(policy participation.Policy, now time.Time) (*participation.Service, *panel.Service, *clock) {
	c := &clock{t: now}
	if err := policy.Validate(); err != nil {
		panic(err)
	}
	people, err := participation.NewService(participation.StoresOf(partmem.New()), &policy, participation.Config{Clock: c})
	if err != nil {
		panic(err)
	}
	panels, err := panel.NewService(memstore.New(), people, people, panel.ServiceConfig{Clock: c})
	if err != nil {
		panic(err)
	}
	return people, panels, c
}

func person(ctx context.Context, people *participation.Service, born osallisuus.Date) osallisuus.ParticipantID {
	return register(ctx, people, participation.KindCustomer, born)
}

func register(ctx context.Context, people *participation.Service, kind participation.Kind, born osallisuus.Date) osallisuus.ParticipantID {
	id, _ := osallisuus.NewParticipantID()
	if _, err := people.Register(ctx, participation.Participant{ID: id, Kind: kind, BirthDate: born}); err != nil {
		panic(err)
	}
	return id
}

func grant(ctx context.Context, people *participation.Service, subject, by osallisuus.ParticipantID, purpose string, at time.Time) {
	if _, err := people.Record(ctx, participation.ConsentEvent{At: at, Subject: subject, By: by, Action: participation.Grant,
		Purpose: purpose, Method: participation.Written, NoticeVersion: 1}); err != nil {
		panic(err)
	}
}

func reason(err error) string {
	if re, ok := errors.AsType[*osallisuus.RuleError](err); ok {
		return fmt.Sprintf("%v %s", osallisuus.KindOf(err), re.Reasons[0])
	}
	return fmt.Sprint(err)
}

// A family-centre customer forum (perhekeskuksen asiakasfoorumi) in a bilingual county:
// one user seat is kept for a Swedish speaker, so when only that seat is left a Finnish
// speaker waits, and a Swedish speaker takes it.
func ExampleService_Join() {
	ctx := context.Background()
	now := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
	people, panels, _ := world(participation.Policy{Purposes: []participation.Purpose{{Name: "panel-membership"}}}, now)

	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	cfg.Seats = panel.Seats{User: panel.SeatRange{Min: 2, Max: 3}, Official: panel.SeatRange{Min: 1, Max: 2}}
	cfg.Quotas = []panel.Quota{{ID: "swedish", Dimension: panel.DimLanguage, Values: []string{"sv"}, Min: 1, Reserve: true}}
	cfg.Waitlist.Enabled = true
	forum, err := panels.Create(ctx, panel.Panel{Key: "family-forum",
		Name: osallisuus.Text{FI: "Perhekeskuksen asiakasfoorumi", SV: "Familjecentrets kundforum"}, Config: cfg})
	if err != nil {
		panic(err)
	}
	if _, err := panels.Open(ctx, forum.ID); err != nil {
		panic(err)
	}
	for _, lang := range []string{"fi", "fi", "fi", "sv"} {
		who := person(ctx, people, osallisuus.NewDate(1988, 5, 1))
		grant(ctx, people, who, who, "panel-membership", now)
		res, err := panels.Join(ctx, panel.JoinRequest{Panel: forum.ID, Who: who, Profile: panel.Profile{Language: lang}})
		fmt.Println(lang, res.State, res.Position, res.Reason, err)
	}
	// Output:
	// fi active 0  <nil>
	// fi active 0  <nil>
	// fi waitlisted 1 reserved-for-quota <nil>
	// sv active 0  <nil>
}

// A child panel in a children's home (lastenkodin lapsiraati): the consent the
// participation rules require (a guardian, or the child once a maturity assessment says
// the child may decide) and, always, the child's own yes (assent).
func ExampleService_Join_childPanel() {
	ctx := context.Background()
	now := time.Date(2026, 3, 20, 13, 0, 0, 0, time.UTC)
	people, panels, _ := world(participation.Policy{Purposes: []participation.Purpose{{Name: "child-panel"}}}, now)

	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceMinors, "child-panel"
	cfg.Seats = panel.Seats{User: panel.SeatRange{Min: 3, Max: 8}, Official: panel.SeatRange{Min: 1, Max: 2}}
	cfg.Roles.ChairFrom = panel.ChairFromUser
	cfg.Term.TermLength = osallisuus.Period{Years: 1}
	home, _ := panels.Create(ctx, panel.Panel{Key: "home", Config: cfg})
	panels.Open(ctx, home.ID)

	// A 12-year-old whose guardian consents.
	child := person(ctx, people, osallisuus.NewDate(2014, 5, 10))
	guardian := register(ctx, people, participation.KindRelative, osallisuus.NewDate(1984, 1, 1))
	people.AddRepresentation(ctx, participation.Representation{Representative: guardian, Subject: child,
		Kind: participation.Guardian, From: osallisuus.NewDate(2014, 5, 10)})
	grant(ctx, people, child, guardian, "child-panel", now.Add(-time.Hour))
	_, err := panels.Join(ctx, panel.JoinRequest{Panel: home.ID, Who: child})
	fmt.Println("guardian's consent alone:", reason(err))
	_, err = panels.Join(ctx, panel.JoinRequest{Panel: home.ID, Who: child, Assent: true})
	fmt.Println("with the child's yes:", err)

	// A 16-year-old whom staff assessed mature enough to decide alone.
	teen := person(ctx, people, osallisuus.NewDate(2010, 1, 15))
	staff := register(ctx, people, participation.KindOfficial, osallisuus.NewDate(1980, 1, 1))
	if _, err := people.AddAssessment(ctx, participation.MaturityAssessment{Subject: teen, By: staff,
		At: now.Add(-2 * time.Hour), Purposes: []string{"child-panel"}}); err != nil {
		panic(err)
	}
	grant(ctx, people, teen, teen, "child-panel", now.Add(-time.Hour))
	_, err = panels.Join(ctx, panel.JoinRequest{Panel: home.ID, Who: teen, Assent: true})
	fmt.Println("mature teen's own consent:", err)

	// Adults take no user seats on a child panel.
	adult := person(ctx, people, osallisuus.NewDate(1990, 10, 10))
	grant(ctx, people, adult, adult, "child-panel", now.Add(-time.Hour))
	_, err = panels.Join(ctx, panel.JoinRequest{Panel: home.ID, Who: adult, Assent: true})
	fmt.Println("an adult:", reason(err))

	p, _ := panels.Panel(ctx, home.ID)
	fmt.Println("term ends", p.Members[0].TermEnds())
	// Output:
	// guardian's consent alone: forbidden no-assent
	// with the child's yes: <nil>
	// mature teen's own consent: <nil>
	// an adult: forbidden audience
	// term ends 2027-03-19
}

// A temporary panel on a new service (testing an electronic family centre): statements
// need no quorate meeting, the panel closes itself when its end date has passed in
// Helsinki, and the organisation still answers what it submitted.
func ExampleService_Submit_temporaryPanel() {
	ctx := context.Background()
	start := time.Date(2026, 4, 1, 6, 0, 0, 0, time.UTC)
	people, panels, clk := world(participation.Policy{Purposes: []participation.Purpose{{Name: "panel-membership"}}}, start)

	cfg := panel.Defaults()
	cfg.Kind, cfg.Topic = panel.KindTemporary, "Testing the electronic family centre"
	cfg.StartsOn, cfg.EndsOn = osallisuus.NewDate(2026, 4, 1), osallisuus.NewDate(2026, 6, 30)
	cfg.Audience, cfg.Purpose = panel.AudienceAdults, "panel-membership"
	cfg.Seats.User = panel.SeatRange{Min: 6, Max: 10}
	cfg.RequireQuorateAdoption = false
	p, _ := panels.Create(ctx, panel.Panel{Key: "e-family", Config: cfg})
	panels.Open(ctx, p.ID)
	who := person(ctx, people, osallisuus.NewDate(1987, 4, 4))
	grant(ctx, people, who, who, "panel-membership", start)
	panels.Join(ctx, panel.JoinRequest{Panel: p.ID, Who: who})

	clk.t = time.Date(2026, 6, 20, 9, 0, 0, 0, time.UTC)
	s, err := panels.Submit(ctx, panel.SubmitRequest{Panel: p.ID, Kind: panel.KindStatement,
		Text: "The chat service needs evening hours."})
	fmt.Println("submitted, answer due", s.AnswerDue, err)

	clk.t = time.Date(2026, 6, 30, 21, 0, 0, 0, time.UTC) // 1 July 00:00 in Helsinki
	closed, _ := panels.Panel(ctx, p.ID)
	fmt.Println(closed.State, closed.Members[0].State, closed.Members[0].Reason)

	clk.t = time.Date(2026, 7, 10, 11, 0, 0, 0, time.UTC)
	a, err := panels.Answer(ctx, s.ID, panel.Answer{Outcome: panel.Accepted, Justification: "Evening chat hours start in August."})
	fmt.Println(a.State, a.Answer.Outcome, err)
	// Output:
	// submitted, answer due 2026-07-20 <nil>
	// closed ended panel-closed
	// answered accepted <nil>
}
