package paneltest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
)

// The Atomic subtests of Run: a step that spans a panel and a call commits whole or
// not at all.

// seedPanelAndCall stores samplePanel and an open call of it, both at Version 1.
func seedPanelAndCall(t *testing.T, s panel.Store) (panel.Panel, panel.Call) {
	t.Helper()
	ctx := t.Context()
	p := samplePanel(t)
	if err := s.CreatePanel(ctx, p); err != nil {
		t.Fatal(err)
	}
	cid, err := panel.NewCallID()
	if err != nil {
		t.Fatal(err)
	}
	c := panel.Call{ID: cid, Panel: p.ID, OpensAt: t0, ClosesAt: t0.Add(time.Hour), Seats: 2, State: panel.CallOpen, CreatedAt: t0}
	if err := s.CreateCall(ctx, c); err != nil {
		t.Fatal(err)
	}
	return p, c
}

func testAtomicFailure(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p, c := seedPanelAndCall(t, s)
	boom := errors.New("boom")
	unknown, _ := panel.NewCallID()
	tests := []struct {
		name string
		last func(tx panel.Tx) error // runs after the panel and the call were changed
		want error
	}{
		{"fn returning an error stores nothing", func(panel.Tx) error { return fmt.Errorf("wrapped: %w", boom) }, boom},
		{"an update of an unknown call stores nothing", func(tx panel.Tx) error {
			_, err := tx.UpdateCall(ctx, unknown, func(*panel.Call) error { return nil })
			return err
		}, osallisuus.ErrNotFound},
		{"a refused update of the panel stores nothing", func(tx panel.Tx) error {
			_, err := tx.UpdatePanel(ctx, p.ID, func(*panel.Panel) error { return boom })
			return err
		}, boom},
	}
	for _, tc := range tests {
		err := s.Atomic(ctx, func(tx panel.Tx) error {
			if _, err := tx.UpdatePanel(ctx, p.ID, func(q *panel.Panel) error {
				q.State, q.Members = panel.StateClosed, nil
				return nil
			}); err != nil {
				return err
			}
			if _, err := tx.UpdateCall(ctx, c.ID, func(x *panel.Call) error {
				x.State, x.Seats = panel.CallCancelled, 9
				return nil
			}); err != nil {
				return err
			}
			return tc.last(tx)
		})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Atomic returned %v, want %v (fn's error as is)", tc.name, err, tc.want)
		}
		gp, err1 := s.GetPanel(ctx, p.ID)
		gc, err2 := s.GetCall(ctx, c.ID)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", tc.name, err1, err2)
		}
		if gp.Version != 1 || gp.State != panel.StateActive || len(gp.Members) != 2 ||
			gc.Version != 1 || gc.State != panel.CallOpen || gc.Seats != 2 {
			t.Errorf("%s: panel v%d %s with %d members, call v%d %s with %d seats; want v1 active with 2, v1 open with 2",
				tc.name, gp.Version, gp.State, len(gp.Members), gc.Version, gc.State, gc.Seats)
		}
	}
}

func testAtomicCommit(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p, c := seedPanelAndCall(t, s)
	err := s.Atomic(ctx, func(tx panel.Tx) error {
		for i := range 2 {
			q, err := tx.UpdatePanel(ctx, p.ID, func(q *panel.Panel) error { q.NextSeq++; return nil })
			if err != nil {
				return err
			}
			if q.Version != int64(2+i) {
				return fmt.Errorf("UpdatePanel inside Atomic returned v%d, want v%d: each update adds 1", q.Version, 2+i)
			}
		}
		q, err := tx.GetPanel(ctx, p.ID)
		if err != nil || q.NextSeq != 3 {
			return fmt.Errorf("GetPanel inside Atomic after two updates: NextSeq %d, %v; want 3: reads see the call's own writes", q.NextSeq, err)
		}
		q.NextSeq = 99 // a returned value is a copy
		if _, err := tx.UpdateCall(ctx, c.ID, func(x *panel.Call) error { x.Seats = 5; return nil }); err != nil {
			return err
		}
		x, err := tx.GetCall(ctx, c.ID)
		if err != nil || x.Seats != 5 || x.Version != 2 {
			return fmt.Errorf("GetCall inside Atomic after an update: %d seats v%d, %v; want 5 v2", x.Seats, x.Version, err)
		}
		if _, err := tx.GetCall(ctx, panel.CallID(p.ID)); !errors.Is(err, osallisuus.ErrNotFound) {
			return fmt.Errorf("GetCall of an unknown call inside Atomic: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomic: %v", err)
	}
	gp, _ := s.GetPanel(ctx, p.ID)
	gc, _ := s.GetCall(ctx, c.ID)
	if gp.Version != 3 || gp.NextSeq != 3 || gc.Version != 2 || gc.Seats != 5 {
		t.Errorf("after Atomic: panel v%d NextSeq %d, call v%d %d seats; want v3 3, v2 5: every write commits",
			gp.Version, gp.NextSeq, gc.Version, gc.Seats)
	}
}

// seedClosedCall makes an active 10-seat panel with an open call for 2 seats and 3
// screened, eligible applicants willing to wait; the call closes at t0+2h.
func seedClosedCall(t *testing.T, s panel.Store) (panel.PanelID, panel.CallID) {
	t.Helper()
	ctx := t.Context()
	id, _ := seed(t, s, 10, 0, true)
	svc := service(t, s, t0.Add(time.Hour))
	c, err := svc.OpenCall(ctx, id, panel.CallID{}, t0.Add(time.Hour), t0.Add(2*time.Hour), 2)
	if err != nil {
		t.Fatalf("open call: %v", err)
	}
	for range 3 {
		who := newID(t)
		if _, err := svc.Apply(ctx, c.ID, panel.Application{Participant: who, Reserve: true}); err != nil {
			t.Fatalf("apply: %v", err)
		}
		if _, err := svc.Screen(ctx, c.ID, who, true, ""); err != nil {
			t.Fatalf("screen: %v", err)
		}
	}
	return id, c.ID
}

// failingCallUpdates makes every call update fail with err, inside Atomic or not.
type failingCallUpdates struct {
	panel.Store
	err error
}

func (f failingCallUpdates) UpdateCall(context.Context, panel.CallID, func(*panel.Call) error) (panel.Call, error) {
	return panel.Call{}, f.err
}

func (f failingCallUpdates) Atomic(ctx context.Context, fn func(panel.Tx) error) error {
	return f.Store.Atomic(ctx, func(tx panel.Tx) error { return fn(failingCallTx{tx, f.err}) })
}

type failingCallTx struct {
	panel.Tx
	err error
}

func (f failingCallTx) UpdateCall(context.Context, panel.CallID, func(*panel.Call) error) (panel.Call, error) {
	return panel.Call{}, f.err
}

func testFailedSelectUnchanged(t *testing.T, s panel.Store) {
	ctx := t.Context()
	id, cid := seedClosedCall(t, s)
	before, _ := s.GetPanel(ctx, id)
	injected := fmt.Errorf("save call: %w", osallisuus.ErrConflict)
	svc := service(t, failingCallUpdates{s, injected}, t0.Add(3*time.Hour))
	if _, err := svc.Select(ctx, cid, panel.SelectRequest{Method: panel.MethodFirstCome}); !errors.Is(err, osallisuus.ErrConflict) {
		t.Fatalf("Select whose call update fails: %v, want that ErrConflict", err)
	}
	after, _ := s.GetPanel(ctx, id)
	c, _ := s.GetCall(ctx, cid)
	if !sameJSON(normalize(before), normalize(after)) || c.State != panel.CallOpen {
		t.Errorf("Select failed saving the call but left panel v%d→v%d with %d→%d members, call %s; "+
			"want the panel unchanged: a failed operation leaves the stored panel unchanged",
			before.Version, after.Version, len(before.Members), len(after.Members), c.State)
	}
}

// testSelectRace races two selections and a cancellation of one closed call: exactly
// one wins, and the panel holds the offers exactly when the call is selected.
func testSelectRace(t *testing.T, inner panel.Store) {
	ctx := t.Context()
	s := &checked{Store: inner}
	id, cid := seedClosedCall(t, s)
	before, _ := s.GetPanel(ctx, id)
	svc := service(t, s, t0.Add(3*time.Hour))
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		wins     []string
		selected panel.Selection
	)
	done := func(what string, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			wins = append(wins, what)
		case !errors.Is(err, osallisuus.ErrConflict):
			t.Errorf("%s: %v, want success or ErrConflict", what, err)
		}
	}
	for range 2 {
		wg.Go(func() {
			sel, err := svc.Select(ctx, cid, panel.SelectRequest{Method: panel.MethodFirstCome})
			if err == nil {
				mu.Lock()
				selected = sel
				mu.Unlock()
			}
			done("select", err)
		})
	}
	wg.Go(func() {
		_, err := svc.CancelCall(ctx, cid)
		done("cancel", err)
	})
	wg.Wait()
	s.report(t)
	if len(wins) != 1 {
		t.Fatalf("winners %v: exactly one of two selections and a cancellation succeeds", wins)
	}
	c, _ := s.GetCall(ctx, cid)
	p, _ := s.GetPanel(ctx, id)
	offered, waiting := 0, 0
	seen := map[osallisuus.ParticipantID]bool{}
	for _, m := range p.Members {
		if seen[m.Participant] {
			t.Errorf("%s is in the roster twice", m.Participant)
		}
		seen[m.Participant] = true
		switch m.State {
		case panel.MemberOffered:
			offered++
		case panel.MemberWaitlisted:
			waiting++
		}
	}
	switch wins[0] {
	case "select":
		if c.State != panel.CallSelected || offered != 2 || waiting != 1 || len(selected.Selected) != 2 {
			t.Errorf("the selection won: call %s, %d offered and %d waitlisted, %d selected; want selected, 2, 1, 2: "+
				"the call and the panel change together", c.State, offered, waiting, len(selected.Selected))
		}
	case "cancel":
		if c.State != panel.CallCancelled || !sameJSON(normalize(before), normalize(p)) {
			t.Errorf("the cancellation won: call %s, panel v%d→v%d with %d offered; want cancelled and the panel unchanged",
				c.State, before.Version, p.Version, offered)
		}
	}
}

// Atomic wraps the inner store's Atomic so that panels updated through its Tx are
// checked against the invariants too.
func (c *checked) Atomic(ctx context.Context, fn func(panel.Tx) error) error {
	return c.Store.Atomic(ctx, func(tx panel.Tx) error { return fn(checkedTx{Tx: tx, c: c}) })
}

type checkedTx struct {
	panel.Tx
	c *checked
}

func (t checkedTx) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	return t.c.check(func(fn func(*panel.Panel) error) (panel.Panel, error) { return t.Tx.UpdatePanel(ctx, id, fn) }, fn)
}
