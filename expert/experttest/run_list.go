package experttest

import (
	"context"
	"errors"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

func seedList(t *testing.T, s expert.Store, n int) []expert.Expert {
	t.Helper()
	var out []expert.Expert
	for i := range n {
		e := newExpertValue(t)
		if i%2 == 1 {
			e.State = expert.StateActive
			e.Profile.Areas = []string{"kaarina"}
			e.Profile.Languages = []string{"SV"}
			e.Profile.Experience = []expert.Experience{{Code: "child-protection", Perspective: expert.PerspectiveCloseRelative}}
			e.Profile.Preferences = map[string]expert.Preference{"talk": expert.PreferenceNever}
		}
		if err := s.CreateExpert(t.Context(), e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func count(t *testing.T, s expert.Store, f expert.ExpertFilter) int {
	t.Helper()
	n := 0
	for _, err := range s.ListExperts(t.Context(), f) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func testListFilters(t *testing.T, s expert.Store) {
	es := seedList(t, s, 6)
	tests := []struct {
		name string
		f    expert.ExpertFilter
		want int
	}{
		{"the zero filter matches all", expert.ExpertFilter{}, 6},
		{"state matches the stored state", expert.ExpertFilter{State: expert.StateActive}, 3},
		{"area matches a profile area", expert.ExpertFilter{Area: "kaarina"}, 3},
		{"language matches ignoring ASCII case", expert.ExpertFilter{Language: "sv"}, 3},
		{"experience area matches a code", expert.ExpertFilter{ExperienceArea: "mental-health"}, 3},
		{"task type leaves out never", expert.ExpertFilter{TaskType: "talk"}, 3},
		{"participant matches its record", expert.ExpertFilter{Participant: es[0].Participant}, 1},
		{"conditions combine", expert.ExpertFilter{State: expert.StateActive, Area: "turku"}, 0},
	}
	for _, tt := range tests {
		if got := count(t, s, tt.f); got != tt.want {
			t.Errorf("%s: %d experts, want %d", tt.name, got, tt.want)
		}
	}
}

func testListPages(t *testing.T, s expert.Store) {
	seedList(t, s, 7)
	seen := map[expert.ExpertID]bool{}
	var after expert.ExpertID
	var last string
	for page := 0; page < 10; page++ {
		n := 0
		for e, err := range s.ListExperts(t.Context(), expert.ExpertFilter{After: after, Limit: 3}) {
			if err != nil {
				t.Fatal(err)
			}
			if seen[e.ID] {
				t.Errorf("expert %s listed twice across pages", e.ID)
			}
			if e.ID.String() <= last {
				t.Errorf("expert %s after %s: listing is in ascending ID order", e.ID, last)
			}
			seen[e.ID], last, after = true, e.ID.String(), e.ID
			n++
		}
		if n > 3 {
			t.Errorf("page of %d with Limit 3", n)
		}
		if n == 0 {
			break
		}
	}
	if len(seen) != 7 {
		t.Errorf("pages listed %d experts, want 7: no gaps", len(seen))
	}
}

func testListBreak(t *testing.T, s expert.Store) {
	seedList(t, s, 4)
	n := 0
	for _, err := range s.ListExperts(t.Context(), expert.ExpertFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	// The store must still work after an early break (no lock held, no leak).
	if _, err := s.UpdateExpert(t.Context(), seedList(t, s, 1)[0].ID, func(*expert.Expert) error { return nil }); err != nil {
		t.Errorf("UpdateExpert after an early break: %v", err)
	}
	if n != 2 {
		t.Errorf("iterated %d after break at 2", n)
	}
}

func testCancelled(t *testing.T, s expert.Store) {
	e := newExpertValue(t)
	if err := s.CreateExpert(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.GetExpert(ctx, e.ID); !errors.Is(err, context.Canceled) {
		t.Errorf("GetExpert with a cancelled context: %v, want context.Canceled", err)
	}
	if err := s.CreateExpert(ctx, newExpertValue(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateExpert with a cancelled context: %v, want context.Canceled", err)
	}
	for _, err := range s.ListExperts(ctx, expert.ExpertFilter{}) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ListExperts with a cancelled context yielded %v, want context.Canceled", err)
		}
		break
	}
	if err := s.Atomic(ctx, func(expert.Tx) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Atomic with a cancelled context: %v, want context.Canceled", err)
	}
}

func testListPagesConcurrent(t *testing.T, s expert.Store) {
	before := seedList(t, s, 20)
	stop := make(chan struct{})
	inserted := make(chan error, 1)
	go func() {
		defer close(inserted)
		for range 200 {
			select {
			case <-stop:
				return
			default:
			}
			id, err := expert.NewExpertID()
			if err == nil {
				e := expert.Expert{ID: id, State: expert.StateCandidate}
				e.Participant, err = osallisuus.NewParticipantID()
				if err == nil {
					err = s.CreateExpert(t.Context(), e)
				}
			}
			if err != nil {
				inserted <- err
				return
			}
		}
	}()
	seen := map[expert.ExpertID]int{}
	var after expert.ExpertID
	for page := 0; page < 1000; page++ {
		n := 0
		for e, err := range s.ListExperts(t.Context(), expert.ExpertFilter{After: after, Limit: 4}) {
			if err != nil {
				t.Fatal(err)
			}
			seen[e.ID]++
			after = e.ID
			n++
		}
		if n == 0 {
			break
		}
	}
	close(stop)
	if err := <-inserted; err != nil {
		t.Fatalf("concurrent insert: %v", err)
	}
	for _, e := range before {
		if seen[e.ID] != 1 {
			t.Errorf("expert %s listed %d times while others inserted, want once: no gaps or duplicates", e.ID, seen[e.ID])
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("expert %s listed %d times", id, n)
		}
	}
}

func testListOthers(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e1, _ := expert.NewExpertID()
	e2, _ := expert.NewExpertID()
	for i := range 6 {
		id, _ := expert.NewPayoutID()
		p := expert.Payout{ID: id, Expert: e1, State: expert.PayoutDraft}
		if i%2 == 1 {
			p.Expert, p.State = e2, expert.PayoutApproved
		}
		if err := s.CreatePayout(ctx, p); err != nil {
			t.Fatal(err)
		}
		rid, _ := expert.NewRequestID()
		r := expert.Request{ID: rid, Unit: "u1", TaskType: "talk", State: expert.RequestOpen}
		if i%3 == 0 {
			r.Unit, r.State = "u2", expert.RequestCancelled
		}
		if err := s.CreateRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	countP := func(f expert.PayoutFilter) int {
		n := 0
		for _, err := range s.ListPayouts(ctx, f) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	if n := countP(expert.PayoutFilter{Expert: e2}); n != 3 {
		t.Errorf("payouts of one expert: %d, want 3", n)
	}
	if n := countP(expert.PayoutFilter{State: expert.PayoutDraft}); n != 3 {
		t.Errorf("draft payouts: %d, want 3", n)
	}
	if n := countP(expert.PayoutFilter{Limit: 4}); n != 4 {
		t.Errorf("payouts with Limit 4: %d, want 4", n)
	}
	var after expert.RequestID
	seen := map[expert.RequestID]bool{}
	for range 10 {
		n := 0
		for r, err := range s.ListRequests(ctx, expert.RequestFilter{Unit: "u1", After: after, Limit: 2}) {
			if err != nil {
				t.Fatal(err)
			}
			if seen[r.ID] || r.Unit != "u1" {
				t.Errorf("request %s (unit %s) listed twice or outside the filter", r.ID, r.Unit)
			}
			seen[r.ID], after = true, r.ID
			n++
		}
		if n == 0 {
			break
		}
	}
	if len(seen) != 4 {
		t.Errorf("paged %d requests of unit u1, want 4", len(seen))
	}
}
