package paneltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// Run checks that stores from newStore behave as panel.Store documents (spec/panel.md
// §7), directly and through panel.Service, including the concurrency races: the last
// seats, one person joining many times, a leave racing joins, two chairs, selections
// racing a cancellation of their call; that Atomic commits whole or not at all; and
// the GDPR operations of panel.Service (export, erasure: anonymised aggregates,
// idempotent, finished by a second run after a failure, racing joins and the retention
// job; retention of a finished call's applications).
// newStore is called once per subtest and returns an empty store; clean up with
// t.Cleanup. Every update the service commits is checked against the invariants
// (panel.Panel.Invariants).
func Run(t *testing.T, newStore func(t *testing.T) panel.Store) {
	t.Run("RoundTripKeepsEveryField", func(t *testing.T) { testRoundTrip(t, newStore(t)) })
	t.Run("CreateTakenIDIsConflict", func(t *testing.T) { testCreateConflict(t, newStore(t)) })
	t.Run("CreateZeroIDIsInvalid", func(t *testing.T) { testCreateZero(t, newStore(t)) })
	t.Run("UnknownIDIsNotFoundAndFnNotCalled", func(t *testing.T) { testNotFound(t, newStore(t)) })
	t.Run("FailedUpdateSavesNothing", func(t *testing.T) { testFailedUpdate(t, newStore(t)) })
	t.Run("UpdateSeesLatestAndAddsOneToVersion", func(t *testing.T) { testVersion(t, newStore(t)) })
	t.Run("ReturnedValuesAreCopies", func(t *testing.T) { testCopies(t, newStore(t)) })
	t.Run("ConcurrentUpdatesLoseNothing", func(t *testing.T) { testNoLostWrites(t, newStore(t)) })
	t.Run("LastSeatAdmitsExactlyOne", func(t *testing.T) {
		for range 20 {
			testLastSeats(t, newStore(t), 1, true)
		}
	})
	t.Run("LastSeatWithoutWaitlistRefusesTheRest", func(t *testing.T) {
		for range 20 {
			testLastSeats(t, newStore(t), 1, false)
		}
	})
	t.Run("LastThreeSeatsAdmitExactlyThree", func(t *testing.T) {
		for range 20 {
			testLastSeats(t, newStore(t), 3, true)
		}
	})
	t.Run("SamePersonJoiningConcurrentlyIsMemberOnce", func(t *testing.T) { testSamePerson(t, newStore(t)) })
	t.Run("LeaveRacingJoinsKeepsCapacity", func(t *testing.T) {
		for range 10 {
			testLeaveRace(t, newStore(t))
		}
	})
	t.Run("TwoConcurrentChairsOneWins", func(t *testing.T) {
		for range 10 {
			testTwoChairs(t, newStore(t))
		}
	})
	t.Run("FailedJoinLeavesPanelUnchanged", func(t *testing.T) { testFailedJoinUnchanged(t, newStore(t)) })
	t.Run("FailedAtomicStoresNothing", func(t *testing.T) { testAtomicFailure(t, newStore(t)) })
	t.Run("AtomicCommitsEveryWriteAndReadsItsOwn", func(t *testing.T) { testAtomicCommit(t, newStore(t)) })
	t.Run("SelectWhoseCallSaveFailsLeavesPanelUnchanged", func(t *testing.T) { testFailedSelectUnchanged(t, newStore(t)) })
	t.Run("SelectRacingCallChangesIsAllOrNothing", func(t *testing.T) {
		for range 10 {
			testSelectRace(t, newStore(t))
		}
	})
	t.Run("ListPanelsFiltersInIDOrder", func(t *testing.T) { testListPanels(t, newStore(t)) })
	t.Run("ListPagesHaveNoGapsWhileInserting", func(t *testing.T) { testPaging(t, newStore(t)) })
	t.Run("ListStopsOnBreak", func(t *testing.T) { testBreak(t, newStore(t)) })
	t.Run("CancelledContextReturnsCtxErr", func(t *testing.T) { testCancelled(t, newStore(t)) })
	t.Run("ListMeetingsAndCallsFilter", func(t *testing.T) { testListOthers(t, newStore(t)) })
	t.Run("ProposalsOverdueOnBoundary", func(t *testing.T) { testOverdue(t, newStore(t)) })
	t.Run("ExportHoldsEverythingAboutOnePerson", func(t *testing.T) { testExport(t, newStore(t)) })
	t.Run("ErasureBlanksAndKeepsAggregates", func(t *testing.T) { testErasure(t, newStore(t)) })
	t.Run("ErasureIsIdempotent", func(t *testing.T) { testErasureIdempotent(t, newStore(t)) })
	t.Run("ErasureFailedPartWayFinishesWhenRunAgain", func(t *testing.T) { testErasureResumes(t, newStore(t)) })
	t.Run("RetentionPurgesOnlyWhatExpired", func(t *testing.T) { testRetention(t, newStore(t)) })
	t.Run("ErasureRacingJoinsKeepsCapacity", func(t *testing.T) {
		for range 10 {
			testErasureRacingJoins(t, newStore(t))
		}
	})
	t.Run("ErasureRacingRetentionPurgesEachApplicationOnce", func(t *testing.T) {
		for range 10 {
			testErasureRacingRetention(t, newStore(t))
		}
	})
}

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// checked wraps a store so that every committed panel update is checked against the
// invariants; breaches are collected for the test goroutine.
type checked struct {
	panel.Store
	mu       sync.Mutex
	breaches []error
}

func (c *checked) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	return c.check(func(fn func(*panel.Panel) error) (panel.Panel, error) { return c.Store.UpdatePanel(ctx, id, fn) }, fn)
}

// check runs update with fn, checking the invariants of what fn leaves and of what
// update returns.
func (c *checked) check(update func(func(*panel.Panel) error) (panel.Panel, error), fn func(*panel.Panel) error) (panel.Panel, error) {
	p, err := update(func(p *panel.Panel) error {
		if err := fn(p); err != nil {
			return err
		}
		if err := p.Invariants(); err != nil {
			c.mu.Lock()
			c.breaches = append(c.breaches, err)
			c.mu.Unlock()
		}
		return nil
	})
	if err == nil {
		if ierr := p.Invariants(); ierr != nil {
			c.mu.Lock()
			c.breaches = append(c.breaches, ierr)
			c.mu.Unlock()
		}
	}
	return p, err
}

func (c *checked) report(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.breaches {
		t.Errorf("invariant broken in a committed update: %v", b)
	}
}

type people struct{}

func (people) Participant(_ context.Context, id osallisuus.ParticipantID) (participation.Participant, error) {
	return participation.Participant{ID: id, Kind: participation.KindCustomer, BirthDate: osallisuus.NewDate(1980, 1, 1)}, nil
}

func allow(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
	return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
}

func service(t *testing.T, s panel.Store, now time.Time) *panel.Service {
	t.Helper()
	svc, err := panel.NewService(s, participation.ConsentCheckerFunc(allow), people{},
		panel.ServiceConfig{Clock: osallisuus.FixedClock(now)})
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return svc
}

func newID(t *testing.T) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func config(userMax int, waitlist bool) panel.Config {
	c := panel.Defaults()
	c.Kind, c.Audience, c.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	c.Seats.User, c.Seats.Official = panel.SeatRange{Max: userMax}, panel.SeatRange{Max: 2}
	c.Waitlist.Enabled = waitlist
	return c
}

// seed creates an active panel through the service, with n active user members.
func seed(t *testing.T, s panel.Store, userMax, n int, waitlist bool) (panel.PanelID, []osallisuus.ParticipantID) {
	t.Helper()
	svc := service(t, s, t0)
	p, err := svc.Create(t.Context(), panel.Panel{Config: config(userMax, waitlist)})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := svc.Open(t.Context(), p.ID); err != nil {
		t.Fatalf("open: %v", err)
	}
	var ids []osallisuus.ParticipantID
	for range n {
		id := newID(t)
		if _, err := svc.Join(t.Context(), panel.JoinRequest{Panel: p.ID, Who: id}); err != nil {
			t.Fatalf("join: %v", err)
		}
		ids = append(ids, id)
	}
	return p.ID, ids
}

func samplePanel(t *testing.T) panel.Panel {
	id, err := panel.NewPanelID()
	if err != nil {
		t.Fatal(err)
	}
	who := newID(t)
	m := panel.Membership{Participant: who, Seat: panel.SeatUser, State: panel.MemberActive, Role: panel.RoleChair,
		Voting: true, Profile: panel.Profile{Language: "sv", Area: "north"}, Since: t0.Add(time.Microsecond),
		Terms:   []panel.Term{{Start: osallisuus.NewDate(2026, 3, 2), Last: osallisuus.NewDate(2028, 3, 1)}},
		History: []panel.Change{{At: t0, State: panel.MemberActive, Role: panel.RoleMember}, {At: t0.Add(time.Hour), State: panel.MemberActive, Role: panel.RoleChair}},
		Assent:  &panel.Assent{At: t0}, Consent: &panel.ConsentRecord{Allowed: true, Reason: "granted", At: t0}}
	w := panel.Membership{Participant: newID(t), Seat: panel.SeatUser, State: panel.MemberWaitlisted, Role: panel.RoleMember,
		Voting: true, Seq: 1, Since: t0, History: []panel.Change{{At: t0, State: panel.MemberWaitlisted, Role: panel.RoleMember}}}
	cfg := config(5, true)
	cfg.Quotas = []panel.Quota{{ID: "sv", Dimension: panel.DimLanguage, Values: []string{"sv"}, Min: 1, Reserve: true}}
	return panel.Panel{ID: id, Key: "forum", Name: osallisuus.Text{FI: "Asiakasraati", SV: "Kundråd"}, Config: cfg,
		State: panel.StateActive, Members: []panel.Membership{m, w}, NextSeq: 1, CreatedAt: t0}
}

func testRoundTrip(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p := samplePanel(t)
	if err := s.CreatePanel(ctx, p); err != nil {
		t.Fatalf("CreatePanel: %v", err)
	}
	got, err := s.GetPanel(ctx, p.ID)
	if err != nil {
		t.Fatalf("GetPanel: %v", err)
	}
	p.Version = 1
	if !sameJSON(normalize(got), normalize(p)) {
		t.Errorf("GetPanel after CreatePanel returned\n%+v\nwant\n%+v\n(roster order, versions and times to the microsecond must survive)", got, p)
	}
	m := panel.Meeting{ID: panel.MeetingID{UUID: p.ID.UUID}, Panel: p.ID, Start: t0.Add(48 * time.Hour), State: panel.MeetingPlanned, CreatedAt: t0}
	if err := s.CreateMeeting(ctx, m); err != nil {
		t.Fatalf("CreateMeeting: %v", err)
	}
	gm, err := s.GetMeeting(ctx, m.ID)
	m.Version = 1
	gm.Start, gm.CreatedAt = gm.Start.UTC(), gm.CreatedAt.UTC()
	if err != nil || !sameJSON(gm, m) {
		t.Errorf("GetMeeting = %+v, %v; want %+v", gm, err, m)
	}
	pr := panel.Proposal{ID: panel.ProposalID{UUID: p.ID.UUID}, Panel: p.ID, Kind: panel.KindStatement, Text: "x",
		State: panel.ProposalSubmitted, SubmittedAt: t0, AnswerDue: osallisuus.NewDate(2026, 4, 1), CreatedAt: t0}
	if err := s.CreateProposal(ctx, pr); err != nil {
		t.Fatalf("CreateProposal: %v", err)
	}
	gp, err := s.GetProposal(ctx, pr.ID)
	pr.Version = 1
	gp.SubmittedAt, gp.CreatedAt = gp.SubmittedAt.UTC(), gp.CreatedAt.UTC()
	if err != nil || !sameJSON(gp, pr) {
		t.Errorf("GetProposal = %+v, %v; want %+v", gp, err, pr)
	}
	c := panel.Call{ID: panel.CallID{UUID: p.ID.UUID}, Panel: p.ID, OpensAt: t0, ClosesAt: t0.Add(time.Hour), Seats: 2,
		State: panel.CallOpen, Applications: []panel.Application{{Participant: newID(t), At: t0, State: panel.AppSubmitted}}, CreatedAt: t0}
	if err := s.CreateCall(ctx, c); err != nil {
		t.Fatalf("CreateCall: %v", err)
	}
	gc, err := s.GetCall(ctx, c.ID)
	c.Version = 1
	gc.OpensAt, gc.ClosesAt, gc.CreatedAt = gc.OpensAt.UTC(), gc.ClosesAt.UTC(), gc.CreatedAt.UTC()
	for i := range gc.Applications {
		gc.Applications[i].At = gc.Applications[i].At.UTC()
	}
	if err != nil || !sameJSON(gc, c) {
		t.Errorf("GetCall = %+v, %v; want %+v", gc, err, c)
	}
}

// normalize makes instants comparable across stores that return them in another
// location.
func normalize(p panel.Panel) panel.Panel {
	p = p.Clone()
	p.CreatedAt, p.ClosedAt = p.CreatedAt.UTC(), p.ClosedAt.UTC()
	for i := range p.Members {
		m := &p.Members[i]
		m.Since, m.EndedAt, m.OfferDeadline = m.Since.UTC(), m.EndedAt.UTC(), m.OfferDeadline.UTC()
		if m.Assent != nil {
			m.Assent.At = m.Assent.At.UTC()
		}
		if m.Consent != nil {
			m.Consent.At, m.Consent.ExpiresAt = m.Consent.At.UTC(), m.Consent.ExpiresAt.UTC()
		}
		for j := range m.History {
			m.History[j].At = m.History[j].At.UTC()
		}
	}
	return p
}

func testCreateConflict(t *testing.T, s panel.Store) {
	p := samplePanel(t)
	if err := s.CreatePanel(t.Context(), p); err != nil {
		t.Fatalf("CreatePanel: %v", err)
	}
	if err := s.CreatePanel(t.Context(), p); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("second CreatePanel with the same ID: %v, want ErrConflict", err)
	}
}

func testCreateZero(t *testing.T, s panel.Store) {
	p := samplePanel(t)
	p.ID = panel.PanelID{}
	if err := s.CreatePanel(t.Context(), p); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("CreatePanel with a zero ID: %v, want ErrInvalid", err)
	}
}

func testNotFound(t *testing.T, s panel.Store) {
	ctx := t.Context()
	id, _ := panel.NewPanelID()
	called := false
	if _, err := s.GetPanel(ctx, id); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetPanel unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.UpdatePanel(ctx, id, func(*panel.Panel) error { called = true; return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("UpdatePanel unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.GetMeeting(ctx, panel.MeetingID(id)); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetMeeting unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateMeeting(ctx, panel.MeetingID(id), func(*panel.Meeting) error { called = true; return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("UpdateMeeting unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.GetProposal(ctx, panel.ProposalID(id)); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetProposal unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateProposal(ctx, panel.ProposalID(id), func(*panel.Proposal) error { called = true; return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("UpdateProposal unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.GetCall(ctx, panel.CallID(id)); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetCall unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.UpdateCall(ctx, panel.CallID(id), func(*panel.Call) error { called = true; return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("UpdateCall unknown: %v, want ErrNotFound", err)
	}
	if called {
		t.Error("an update fn ran for an unknown ID; it must not be called")
	}
}

func testFailedUpdate(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p := samplePanel(t)
	if err := s.CreatePanel(ctx, p); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	_, err := s.UpdatePanel(ctx, p.ID, func(q *panel.Panel) error {
		q.State = panel.StateClosed
		q.Members = nil
		return fmt.Errorf("wrapped: %w", boom)
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdatePanel returned %v, want fn's error", err)
	}
	got, _ := s.GetPanel(ctx, p.ID)
	if got.Version != 1 || got.State != panel.StateActive || len(got.Members) != 2 {
		t.Errorf("after a failed update: version %d, state %s, %d members; want 1, active, 2: a failed fn saves nothing",
			got.Version, got.State, len(got.Members))
	}
}

func testVersion(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p := samplePanel(t)
	if err := s.CreatePanel(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		got, err := s.UpdatePanel(ctx, p.ID, func(q *panel.Panel) error {
			if q.NextSeq != int64(1+i) {
				return fmt.Errorf("fn saw NextSeq %d, want %d: fn must see the latest committed state", q.NextSeq, 1+i)
			}
			q.NextSeq++
			return nil
		})
		if err != nil {
			t.Fatalf("UpdatePanel: %v", err)
		}
		if got.Version != int64(2+i) {
			t.Errorf("version %d after %d updates, want %d: each successful update adds 1", got.Version, i+1, 2+i)
		}
	}
	m := panel.Meeting{ID: panel.MeetingID{UUID: p.ID.UUID}, Panel: p.ID, Start: t0, State: panel.MeetingPlanned}
	if err := s.CreateMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	gm, err := s.UpdateMeeting(ctx, m.ID, func(m *panel.Meeting) error { return m.Cancel("weather") })
	if err != nil || gm.Version != 2 || gm.State != panel.MeetingCancelled {
		t.Errorf("UpdateMeeting = version %d, state %s, %v; want 2, cancelled", gm.Version, gm.State, err)
	}
}

func testCopies(t *testing.T, s panel.Store) {
	ctx := t.Context()
	p := samplePanel(t)
	if err := s.CreatePanel(ctx, p); err != nil {
		t.Fatal(err)
	}
	p.Members[0].History[0].Role = panel.RoleSecretary // the caller's value changes after Create
	got, _ := s.GetPanel(ctx, p.ID)
	got.Members[0].Terms[0].Last = osallisuus.Date{}
	got.Config.Quotas[0].Values[0] = "fi"
	again, _ := s.GetPanel(ctx, p.ID)
	if again.Members[0].History[0].Role != panel.RoleMember || again.Members[0].TermEnds().IsZero() ||
		again.Config.Quotas[0].Values[0] != "sv" {
		t.Error("changing a value given to or returned by the store changed what is stored; values in, values out")
	}
}

func testFailedJoinUnchanged(t *testing.T, s panel.Store) {
	id, _ := seed(t, s, 2, 2, false)
	before, _ := s.GetPanel(t.Context(), id)
	svc := service(t, s, t0.Add(time.Hour))
	_, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: newID(t)})
	if !errors.Is(err, osallisuus.ErrCapacity) {
		t.Fatalf("join on a full panel without a waitlist: %v, want ErrCapacity", err)
	}
	if err := svc.Assign(t.Context(), id, newID(t), panel.RoleChair, false); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("assign to a non-member: %v, want ErrNotFound", err)
	}
	after, _ := s.GetPanel(t.Context(), id)
	if !sameJSON(normalize(before), normalize(after)) {
		t.Error("a failed join or assign changed the stored panel; a failed operation changes nothing")
	}
}

// sameJSON reports whether a and b have the same JSON form (the stable, documented form
// of every entity), which compares without reflection.
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
