package experttest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

// race runs n calls concurrently and returns how many succeeded; every other error must
// match one of allowed.
func race(t *testing.T, n int, call func(i int) error, allowed ...error) int {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs <- call(i) })
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		if err == nil {
			won++
			continue
		}
		ok := false
		for _, a := range allowed {
			ok = ok || errors.Is(err, a)
		}
		if !ok {
			t.Errorf("call: %v; want nil or one of %v", err, allowed)
		}
	}
	return won
}

func testRaceForPlaces(t *testing.T, s expert.Store) {
	ctx := t.Context()
	svc := newService(t, s)
	r := seedRequest(t, svc, at(10, 13), 120, 2)
	const racers = 32
	offers := make([]expert.Assignment, racers)
	experts := make([]expert.Expert, racers)
	for i := range racers {
		experts[i] = seedActive(t, svc, profile())
		a, err := svc.Offer(ctx, r.ID, experts[i].ID, false)
		if err != nil {
			t.Fatalf("Offer %d: %v", i, err)
		}
		offers[i] = a
	}
	won := race(t, racers, func(i int) error {
		_, err := svc.Accept(ctx, r.ID, offers[i].ID, expert.AcceptOptions{})
		return err
	}, osallisuus.ErrCapacity)
	if won != 2 {
		t.Errorf("%d of %d acceptances succeeded for 2 places, want exactly 2 (X3)", won, racers)
	}
	got, err := s.GetRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := got.Accepted(); n != 2 {
		t.Errorf("request holds %d accepted assignments, want 2", n)
	}
	committed := 0
	for _, e := range experts {
		x, err := s.GetExpert(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range x.Commitments {
			if c.Status == expert.StatusAccepted {
				committed++
			}
		}
	}
	if committed != 2 {
		t.Errorf("%d experts hold an accepted commitment, want 2: losers keep no commitment", committed)
	}
}

func testRaceOverlap(t *testing.T, s expert.Store) {
	ctx := t.Context()
	svc := newService(t, s)
	e := seedActive(t, svc, profile())
	r1 := seedRequest(t, svc, at(10, 13), 120, 1)
	r2 := seedRequest(t, svc, at(10, 14), 120, 1)
	a1, err := svc.Offer(ctx, r1.ID, e.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := svc.Offer(ctx, r2.ID, e.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	pairs := [][2]any{{r1.ID, a1.ID}, {r2.ID, a2.ID}}
	won := race(t, 2, func(i int) error {
		_, err := svc.Accept(ctx, pairs[i][0].(expert.RequestID), pairs[i][1].(expert.AssignmentID), expert.AcceptOptions{})
		return err
	}, osallisuus.ErrForbidden)
	if won != 1 {
		t.Errorf("%d of 2 overlapping acceptances succeeded, want exactly 1 (X4)", won)
	}
	x, _ := s.GetExpert(ctx, e.ID)
	accepted := 0
	for _, c := range x.Commitments {
		if c.Status == expert.StatusAccepted {
			accepted++
		}
	}
	if accepted != 1 {
		t.Errorf("expert holds %d accepted commitments, want 1", accepted)
	}
}

func testRaceCap(t *testing.T, s expert.Store) {
	ctx := t.Context()
	svc := newService(t, s)
	if err := svc.AddSchedule(ctx, expert.Schedule{ID: "2026", ValidFrom: osallisuus.NewDate(2026, 1, 1),
		Rates: map[string]expert.Rate{"staff-training": {Basis: expert.RateHourly, CentsPerHour: 11000}}}); err != nil {
		t.Fatal(err)
	}
	p := profile()
	p.Caps.Earnings = []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 30000}}
	e := seedActive(t, svc, p)
	if _, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
		x.Totals = map[string]int64{"2026-04": 16000}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	r1 := seedRequest(t, svc, at(10, 10), 60, 1)
	r2 := seedRequest(t, svc, at(12, 10), 60, 1)
	a1, err := svc.Offer(ctx, r1.ID, e.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := svc.Offer(ctx, r2.ID, e.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	pairs := [][2]any{{r1.ID, a1.ID}, {r2.ID, a2.ID}}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			_, errs[i] = svc.Accept(ctx, pairs[i][0].(expert.RequestID), pairs[i][1].(expert.AssignmentID), expert.AcceptOptions{})
		})
	}
	wg.Wait()
	won, capped := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, osallisuus.ErrCapacity):
			capped++
			re, ok := errors.AsType[*osallisuus.RuleError](err)
			if !ok {
				t.Errorf("ErrCapacity %v is not a *RuleError", err)
				break
			}
			if ws, ok := re.Detail.([]expert.CapWarning); !ok || len(ws) == 0 || ws[0].Limit != 30000 {
				t.Errorf("refusal detail %#v, want the []CapWarning of the 30,000 cap (E14)", re.Detail)
			}
		default:
			t.Errorf("Accept: %v, want nil or ErrCapacity", err)
		}
	}
	if won != 1 || capped != 1 {
		t.Errorf("%d accepted and %d refused for capacity, want 1 and 1 (X5)", won, capped)
	}
}

func testAtomicFailure(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	rid, _ := expert.NewRequestID()
	if err := s.CreateRequest(ctx, expert.Request{ID: rid, Unit: "u", TaskType: "talk", Start: at(10, 13), Minutes: 60,
		Location: "turku", Language: "fi", Needed: 1, State: expert.RequestOpen}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("injected failure")
	pid, _ := expert.NewPayoutID()
	err := s.Atomic(ctx, func(tx expert.Tx) error {
		if err := tx.CreatePayout(ctx, expert.Payout{ID: pid, Expert: e.ID, State: expert.PayoutDraft}); err != nil {
			return err
		}
		if _, err := tx.UpdateRequest(ctx, rid, func(r *expert.Request) error {
			r.Assignments = append(r.Assignments, expert.Assignment{Expert: e.ID, Status: expert.StatusAccepted})
			return nil
		}); err != nil {
			return err
		}
		if _, err := tx.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
			x.Commitments = append(x.Commitments, expert.Commitment{Request: rid, Status: expert.StatusAccepted})
			return nil
		}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Atomic returned %v, want fn's error", err)
	}
	if _, err := s.GetPayout(ctx, pid); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("payout created inside a failed Atomic: GetPayout %v, want ErrNotFound", err)
	}
	r, _ := s.GetRequest(ctx, rid)
	x, _ := s.GetExpert(ctx, e.ID)
	if len(r.Assignments) != 0 || r.Version != 1 || len(x.Commitments) != 0 || x.Version != 1 {
		t.Errorf("after a failed Atomic: %d assignments (v%d), %d commitments (v%d); want 0 (v1), 0 (v1): nothing of the call is stored",
			len(r.Assignments), r.Version, len(x.Commitments), x.Version)
	}
}

func testAtomicOwnWrites(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	err := s.Atomic(ctx, func(tx expert.Tx) error {
		if _, err := tx.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error { x.State = expert.StateInTraining; return nil }); err != nil {
			return err
		}
		x, err := tx.GetExpert(ctx, e.ID)
		if err != nil {
			return err
		}
		if x.State != expert.StateInTraining {
			return fmt.Errorf("read %s inside Atomic after writing in-training: reads see the call's own writes", x.State)
		}
		pid, _ := expert.NewPayoutID()
		if err := tx.CreatePayout(ctx, expert.Payout{ID: pid, Expert: e.ID, State: expert.PayoutDraft}); err != nil {
			return err
		}
		if _, err := tx.UpdatePayout(ctx, pid, func(p *expert.Payout) error { p.FeeCents = 100; return nil }); err != nil {
			return fmt.Errorf("update of a payout created in the same Atomic: %w", err)
		}
		if p, err := tx.GetPayout(ctx, pid); err != nil || p.FeeCents != 100 {
			return fmt.Errorf("read payout %d cents, %v inside Atomic, want 100: reads see the call's own writes", p.FeeCents, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	got, _ := s.GetExpert(ctx, e.ID)
	if got.State != expert.StateInTraining || got.Version != 2 {
		t.Errorf("after Atomic: %s v%d, want in-training v2", got.State, got.Version)
	}
}

func testNoLostWrites(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	const writers = 64
	race(t, writers, func(i int) error {
		_, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
			x.Commitments = append(x.Commitments, expert.Commitment{TaskType: "talk", Status: expert.StatusDone,
				Start: at(1, 8).Add(time.Duration(i) * time.Hour), Minutes: 60})
			return nil
		})
		return err
	})
	got, err := s.GetExpert(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[int64]bool{}
	for _, c := range got.Commitments {
		distinct[c.Start.Unix()] = true
	}
	if len(got.Commitments) != writers || len(distinct) != writers || got.Version != writers+1 {
		t.Errorf("%d commitments (%d distinct), version %d after %d concurrent updates; want %d, %d, %d: no lost writes",
			len(got.Commitments), len(distinct), got.Version, writers, writers, writers, writers+1)
	}
}

func testRaceOneRecord(t *testing.T, s expert.Store) {
	who := newParticipant(t)
	const racers = 16
	es := make([]expert.Expert, racers)
	for i := range es {
		es[i] = newExpertValue(t)
		es[i].Participant = who
	}
	won := race(t, racers, func(i int) error { return s.CreateExpert(t.Context(), es[i]) }, osallisuus.ErrConflict)
	if won != 1 {
		t.Errorf("%d of %d concurrent records for one participant created, want 1 (X1)", won, racers)
	}
}
