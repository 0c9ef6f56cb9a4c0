package paneltest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
)

// The listing subtests of Run.

func createPanels(t *testing.T, s panel.Store, n int, state panel.State) []panel.PanelID {
	t.Helper()
	var ids []panel.PanelID
	for range n {
		p := samplePanel(t)
		p.State = state
		if err := s.CreatePanel(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	return ids
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("listing: %v", err)
		}
		out = append(out, v)
	}
	return out
}

func panelIDs(ps []panel.Panel) []panel.PanelID {
	out := make([]panel.PanelID, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func sortedIDs(ids []panel.PanelID) []panel.PanelID {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b panel.PanelID) int { return compareBytes(a.UUID[:], b.UUID[:]) })
	return out
}

func compareBytes(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

func testListPanels(t *testing.T, s panel.Store) {
	active := createPanels(t, s, 3, panel.StateActive)
	draft := createPanels(t, s, 2, panel.StateDraft)
	all := collect(t, s.ListPanels(t.Context(), panel.PanelFilter{}))
	if got, want := panelIDs(all), sortedIDs(append(slices.Clone(active), draft...)); !slices.Equal(got, want) {
		t.Errorf("ListPanels(zero filter) = %v, want every panel in ID order %v", got, want)
	}
	drafts := collect(t, s.ListPanels(t.Context(), panel.PanelFilter{State: panel.StateDraft}))
	if got, want := panelIDs(drafts), sortedIDs(draft); !slices.Equal(got, want) {
		t.Errorf("ListPanels(draft) = %v, want %v", got, want)
	}
}

func testPaging(t *testing.T, s panel.Store) {
	initial := createPanels(t, s, 10, panel.StateActive)
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 10 {
			p := samplePanel(t)
			_ = s.CreatePanel(t.Context(), p) // inserted concurrently; may or may not be seen
		}
	})
	seen := make(map[panel.PanelID]bool)
	var after panel.PanelID
	var prev panel.PanelID
	for {
		page := collect(t, s.ListPanels(t.Context(), panel.PanelFilter{After: after, Limit: 3}))
		if len(page) > 3 {
			t.Fatalf("page of %d with Limit 3", len(page))
		}
		for _, p := range page {
			if seen[p.ID] {
				t.Errorf("%s listed twice across pages", p.ID)
			}
			if !prev.IsZero() && compareBytes(prev.UUID[:], p.ID.UUID[:]) >= 0 {
				t.Errorf("pages not in ID order: %s after %s", p.ID, prev)
			}
			seen[p.ID], prev = true, p.ID
		}
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].ID
	}
	wg.Wait()
	for _, id := range initial {
		if !seen[id] {
			t.Errorf("panel %s existing before paging was not listed: pages must have no gaps", id)
		}
	}
}

func testBreak(t *testing.T, s panel.Store) {
	createPanels(t, s, 5, panel.StateActive)
	n := 0
	for _, err := range s.ListPanels(t.Context(), panel.PanelFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("iteration went on to %d after break", n)
	}
	// The store must still work: no lock held by the abandoned iterator.
	if _, err := s.UpdatePanel(t.Context(), createPanels(t, s, 1, panel.StateActive)[0], func(*panel.Panel) error { return nil }); err != nil {
		t.Errorf("update after an early break: %v", err)
	}
}

func testCancelled(t *testing.T, s panel.Store) {
	ids := createPanels(t, s, 2, panel.StateActive)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.GetPanel(ctx, ids[0]); !errors.Is(err, context.Canceled) {
		t.Errorf("GetPanel with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := s.UpdatePanel(ctx, ids[0], func(*panel.Panel) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("UpdatePanel with a cancelled context: %v, want context.Canceled", err)
	}
	for _, err := range s.ListPanels(ctx, panel.PanelFilter{}) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ListPanels with a cancelled context yielded %v, want context.Canceled", err)
		}
		break
	}
}

func testListOthers(t *testing.T, s panel.Store) {
	ctx := t.Context()
	a, b := samplePanel(t), samplePanel(t)
	var want []panel.MeetingID
	for i, pid := range []panel.PanelID{a.ID, a.ID, b.ID} {
		id, _ := panel.NewMeetingID()
		m := panel.Meeting{ID: id, Panel: pid, Start: t0.Add(time.Duration(i) * 24 * time.Hour), State: panel.MeetingPlanned}
		if err := s.CreateMeeting(ctx, m); err != nil {
			t.Fatal(err)
		}
		if pid == a.ID && i == 1 {
			want = append(want, id)
		}
	}
	got := collect(t, s.ListMeetings(ctx, panel.MeetingFilter{Panel: a.ID, From: t0.Add(time.Hour)}))
	if len(got) != 1 || got[0].ID != want[0] {
		t.Errorf("ListMeetings(panel a, from t0+1h) = %d meetings, want the one of day 2", len(got))
	}
	cid, _ := panel.NewCallID()
	if err := s.CreateCall(ctx, panel.Call{ID: cid, Panel: b.ID, State: panel.CallOpen}); err != nil {
		t.Fatal(err)
	}
	if calls := collect(t, s.ListCalls(ctx, panel.CallFilter{Panel: b.ID})); len(calls) != 1 || calls[0].ID != cid {
		t.Errorf("ListCalls(panel b) = %d calls, want 1", len(calls))
	}
	if calls := collect(t, s.ListCalls(ctx, panel.CallFilter{Panel: a.ID})); len(calls) != 0 {
		t.Errorf("ListCalls(panel a) = %d calls, want 0", len(calls))
	}
}

func testOverdue(t *testing.T, s panel.Store) {
	ctx := t.Context()
	today := osallisuus.NewDate(2026, 5, 20)
	pid, _ := panel.NewPanelID()
	var dueYesterday panel.ProposalID
	for i, due := range []osallisuus.Date{today, today.AddDays(-1)} {
		id, _ := panel.NewProposalID()
		if i == 1 {
			dueYesterday = id
		}
		p := panel.Proposal{ID: id, Panel: pid, Kind: panel.KindInitiative, Text: "x", State: panel.ProposalSubmitted, AnswerDue: due}
		if err := s.CreateProposal(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(t, s.ListProposals(ctx, panel.ProposalFilter{OverdueOn: today}))
	if len(got) != 1 || got[0].ID != dueYesterday {
		t.Errorf("ListProposals(OverdueOn today) = %d proposals, want only the one due yesterday (due today is not overdue)", len(got))
	}
}
