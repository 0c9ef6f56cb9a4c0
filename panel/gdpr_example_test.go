package panel_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// A member of a customer forum asks to see their data and then to be forgotten: the
// export lists their membership, and the erasure takes them out through the forum's own
// rules (they leave, the person waiting is offered the seat) and keeps their past seat
// only as an anonymous row for the forum's counts. A second erasure finds nothing.
func ExampleService_ErasePersonalData() {
	ctx := context.Background()
	now := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
	people, panels, clock := world(participation.Policy{Purposes: []participation.Purpose{{Name: "panel-membership"}}}, now)

	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	cfg.Seats = panel.Seats{User: panel.SeatRange{Max: 1}}
	cfg.Waitlist.Enabled = true
	forum, err := panels.Create(ctx, panel.Panel{Name: osallisuus.Text{FI: "Asiakasfoorumi"}, Config: cfg})
	if err != nil {
		panic(err)
	}
	if _, err := panels.Open(ctx, forum.ID); err != nil {
		panic(err)
	}
	var who []osallisuus.ParticipantID
	for range 2 {
		id := person(ctx, people, osallisuus.NewDate(1970, 9, 1))
		grant(ctx, people, id, id, "panel-membership", now)
		if _, err := panels.Join(ctx, panel.JoinRequest{Panel: forum.ID, Who: id, Profile: panel.Profile{Language: "sv"}}); err != nil {
			panic(err)
		}
		who = append(who, id)
	}

	clock.t = now.Add(24 * time.Hour)
	data, err := panels.ExportPersonalData(ctx, who[0])
	if err != nil {
		panic(err)
	}
	for _, m := range data.Memberships {
		fmt.Println("export:", m.PanelName.FI, m.Membership.State, m.Membership.Profile.Language)
	}

	report, err := panels.ErasePersonalData(ctx, who[0])
	if err != nil {
		panic(err)
	}
	fmt.Println("erased:", report.Erased)
	fmt.Println("retained:", report.Retained)
	p, _ := panels.Panel(ctx, forum.ID)
	for _, m := range p.Members {
		fmt.Println("roster:", m.Participant == who[1], m.State, m.Reason, m.Profile.Language == "")
	}
	again, _ := panels.ErasePersonalData(ctx, who[0])
	fmt.Println("again:", again.Erased, again.Retained)
	// Output:
	// export: Asiakasfoorumi active sv
	// erased: [{events 1} {memberships 1}]
	// retained: [{memberships 1 aggregate }]
	// roster: false ended left true
	// roster: true offered  false
	// again: [] []
}
