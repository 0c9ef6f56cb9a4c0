package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
	partmem "github.com/osallisuus/osallisuus/participation/memstore"
)

// A host test runs panel.Service on an in-memory store: people and consents come from a
// participation service on its own memstore, the clock is fixed. After a create, an open
// and two joins into a panel with one user seat, the store holds the whole roster, the
// waitlist included, at version 4 (one save per committed step).
func ExampleNew() {
	ctx := context.Background()
	now := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
	clock := osallisuus.FixedClock(now)
	policy := participation.Policy{Purposes: []participation.Purpose{{Name: "panel-membership"}}}
	people, err := participation.NewService(participation.StoresOf(partmem.New()), &policy, participation.Config{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	store := memstore.New()
	panels, err := panel.NewService(store, people, people, panel.ServiceConfig{Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}

	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	cfg.Seats.User = panel.SeatRange{Min: 1, Max: 1}
	cfg.Waitlist.Enabled = true
	p, err := panels.Create(ctx, panel.Panel{Key: "carers", Config: cfg})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := panels.Open(ctx, p.ID); err != nil {
		fmt.Println(err)
		return
	}
	for _, born := range []osallisuus.Date{osallisuus.NewDate(1961, 3, 3), osallisuus.NewDate(1970, 7, 7)} {
		id, _ := osallisuus.NewParticipantID()
		if _, err := people.Register(ctx, participation.Participant{ID: id, Kind: participation.KindCustomer, BirthDate: born}); err != nil {
			fmt.Println(err)
			return
		}
		if _, err := people.Record(ctx, participation.ConsentEvent{At: now.Add(-time.Hour), Subject: id, By: id,
			Action: participation.Grant, Purpose: "panel-membership", Method: participation.Written, NoticeVersion: 1}); err != nil {
			fmt.Println(err)
			return
		}
		res, err := panels.Join(ctx, panel.JoinRequest{Panel: p.ID, Who: id})
		fmt.Println("join:", res.State, res.Position, res.Reason, err)
	}

	// Read back from the store itself, as a host test checks what was saved.
	for saved, err := range store.ListPanels(ctx, panel.PanelFilter{State: panel.StateActive}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("stored:", saved.Key, saved.State, "version", saved.Version)
		for _, m := range saved.Members {
			fmt.Println("member:", m.Seat, m.State)
		}
	}
	// Output:
	// join: active 0  <nil>
	// join: waitlisted 1 full <nil>
	// stored: carers active version 4
	// member: user active
	// member: user waitlisted
}
