package paneltest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
)

// The concurrency subtests of Run: many writers, one right outcome.

func testNoLostWrites(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p := samplePanel(t)
	p.Members = nil
	p.NextSeq = 0
	if err := s.CreatePanel(ctx, p); err != nil {
		t.Fatal(err)
	}
	const n = 64
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			who, err := osallisuus.NewParticipantID()
			if err != nil {
				errs <- err
				return
			}
			_, err = s.UpdatePanel(ctx, p.ID, func(q *panel.Panel) error {
				q.NextSeq++
				m := panel.Membership{Participant: who, Seat: panel.SeatUser, State: panel.MemberWaitlisted, Seq: q.NextSeq}
				q.Members = append(q.Members, m)
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("UpdatePanel: %v", err)
		}
	}
	got, _ := s.GetPanel(ctx, p.ID)
	wl := got.Waitlist()
	if len(wl) != n || got.Version != n+1 {
		t.Fatalf("%d waitlist entries at version %d, want %d at %d: concurrent updates must lose nothing", len(wl), got.Version, n, n+1)
	}
	for pos, i := range wl {
		if got.Members[i].Seq != int64(pos+1) {
			t.Errorf("waitlist position %d holds sequence %d: positions must be 1..%d in one total order", pos+1, got.Members[i].Seq, n)
		}
	}
}

// testLastSeats races 64 joins for the last free seats of a 10-seat panel.
func testLastSeats(t *testing.T, inner panel.Store, free int, waitlist bool) {
	s := &checked{Store: inner}
	id, existing := seed(t, s, 10, 10-free, waitlist)
	svc := service(t, s, t0.Add(time.Hour))
	const racers = 64
	type outcome struct {
		who osallisuus.ParticipantID
		res panel.JoinResult
		err error
	}
	outs := make(chan outcome, racers)
	var wg sync.WaitGroup
	for range racers {
		wg.Go(func() {
			who, err := osallisuus.NewParticipantID()
			if err != nil {
				outs <- outcome{err: err}
				return
			}
			res, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: who})
			outs <- outcome{who, res, err}
		})
	}
	wg.Wait()
	close(outs)
	admitted, waited, refused := 0, 0, 0
	positions := make(map[int]bool)
	for o := range outs {
		switch {
		case o.err == nil && o.res.State == panel.MemberActive:
			admitted++
		case o.err == nil && o.res.State == panel.MemberWaitlisted:
			waited++
		case errors.Is(o.err, osallisuus.ErrCapacity):
			refused++
		default:
			t.Errorf("Join: %+v, %v; want active, waitlisted or ErrCapacity", o.res, o.err)
		}
	}
	if admitted != free {
		t.Errorf("%d of %d racers admitted for %d free seats; exactly %d must be", admitted, racers, free, free)
	}
	if waitlist && waited != racers-free || !waitlist && refused != racers-free {
		t.Errorf("%d waitlisted and %d refused, want %d %s", waited, refused, racers-free,
			map[bool]string{true: "waitlisted", false: "refused with ErrCapacity"}[waitlist])
	}
	got, err := s.GetPanel(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[osallisuus.ParticipantID]bool)
	for _, m := range got.Members {
		if seen[m.Participant] {
			t.Errorf("%s appears twice in the roster", m.Participant)
		}
		seen[m.Participant] = true
	}
	wl := got.Waitlist()
	if waitlist && len(wl) != racers-free {
		t.Errorf("%d on the waitlist, want %d", len(wl), racers-free)
	}
	for pos, i := range wl {
		if p := got.Position(got.Members[i].Participant); p != pos+1 || positions[p] {
			t.Errorf("waitlist position %d repeated or out of order: positions must be unique and gap-free", p)
		}
		positions[pos+1] = true
	}
	if len(got.Members)-len(wl) != len(existing)+free {
		t.Errorf("%d seat holders, want %d", len(got.Members)-len(wl), len(existing)+free)
	}
	s.report(t)
}

func testSamePerson(t *testing.T, inner panel.Store) {
	s := &checked{Store: inner}
	id, _ := seed(t, s, 10, 0, true)
	svc := service(t, s, t0.Add(time.Hour))
	who := newID(t)
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			_, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: who})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	ok, conflicts := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, osallisuus.ErrConflict):
			conflicts++
		default:
			t.Errorf("Join: %v, want nil or ErrConflict", err)
		}
	}
	got, _ := s.GetPanel(t.Context(), id)
	if ok != 1 || conflicts != 15 || len(got.Members) != 1 {
		t.Errorf("%d joined, %d conflicts, %d memberships; want 1, 15, 1: a person is never a member twice", ok, conflicts, len(got.Members))
	}
	s.report(t)
}

func testLeaveRace(t *testing.T, inner panel.Store) {
	s := &checked{Store: inner}
	id, members := seed(t, s, 4, 4, true)
	svc := service(t, s, t0.Add(time.Hour))
	raceFreedSeat(t, s, svc, id, "a leave", func() error {
		_, err := svc.Leave(t.Context(), id, members[0])
		return err
	})
	s.report(t)
}

// raceFreedSeat runs free (which frees one of the 4 seats of the full panel id: a
// leave, an erasure) while 8 people join, and checks that the seat goes to exactly one
// person: 4 seats held, at most one of them on offer.
func raceFreedSeat(t *testing.T, s panel.Store, svc *panel.Service, id panel.PanelID, what string, free func() error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 9)
	wg.Go(func() { errs <- free() })
	for range 8 {
		wg.Go(func() {
			who, err := osallisuus.NewParticipantID()
			if err == nil {
				_, err = svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: who})
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("%s or a join: %v; want nil (joins wait on the list)", what, err)
		}
	}
	got, _ := s.GetPanel(t.Context(), id)
	active, offered := 0, 0
	for _, m := range got.Members {
		switch m.State {
		case panel.MemberActive:
			active++
		case panel.MemberOffered:
			offered++
		}
	}
	if active+offered != 4 || active < 3 || offered > 1 {
		t.Errorf("%d active and %d offered on 4 seats after %s raced 8 joins; the freed seat goes to exactly one person", active, offered, what)
	}
}

func testTwoChairs(t *testing.T, inner panel.Store) {
	s := &checked{Store: inner}
	id, members := seed(t, s, 4, 2, false)
	svc := service(t, s, t0.Add(time.Hour))
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for _, who := range members {
		wg.Go(func() { errs <- svc.Assign(t.Context(), id, who, panel.RoleChair, false) })
	}
	wg.Wait()
	close(errs)
	ok, conflicts := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, osallisuus.ErrConflict):
			conflicts++
		default:
			t.Errorf("Assign chair: %v, want nil or ErrConflict", err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Errorf("%d chairs assigned and %d conflicts; want 1 and 1: at most one chair", ok, conflicts)
	}
	s.report(t)
}
