package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/expert/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

// A host test runs expert.Service on an in-memory store with a fixed clock and a consent
// checker that allows every purpose: it registers an expert by experience, records the
// checks, fills in the profile and activates the expert, then finds the expert through
// the store's own listing by area and language (the language ignoring ASCII case). The
// stored version counts the saves.
func ExampleNew() {
	ctx := context.Background()
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: "granted", Query: q}, nil
	})
	store := memstore.New()
	svc, err := expert.NewService(store, allow, expert.Config{
		Clock: osallisuus.FixedClock(time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC))})
	if err != nil {
		fmt.Println(err)
		return
	}

	who, _ := osallisuus.NewParticipantID()
	e, err := svc.Register(ctx, who, expert.ExpertID{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"training", "agreement", "confidentiality"} {
		if _, err := svc.RecordCheck(ctx, e.ID, expert.Check{Name: name}); err != nil {
			fmt.Println(err)
			return
		}
	}
	if _, err := svc.SetProfile(ctx, e.ID, 0, expert.Profile{
		Experience: []expert.Experience{{Code: "mental-health", Perspective: expert.PerspectiveOwn}},
		Languages:  []string{"fi", "sv"}, Areas: []string{"turku"},
	}, expert.ActorExpert); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := svc.Activate(ctx, e.ID); err != nil {
		fmt.Println(err)
		return
	}

	for _, lang := range []string{"FI", "en"} {
		n := 0
		for x, err := range store.ListExperts(ctx, expert.ExpertFilter{Area: "turku", Language: lang}) {
			if err != nil {
				fmt.Println(err)
				return
			}
			n++
			fmt.Println(lang, "found:", x.ID == e.ID, x.State, x.Profile.Languages, "version", x.Version)
		}
		fmt.Println(lang, "matches:", n)
	}
	// Output:
	// FI found: true active [fi sv] version 6
	// FI matches: 1
	// en matches: 0
}
