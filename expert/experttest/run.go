// Package experttest checks expert stores and runs the expert scenarios.
//
// [Run] is the conformance suite every [expert.Store] implementation passes (memstore and
// the examples' SQL stores); [EvalMatchScenario], [EvalFeeScenario] and
// [RunExpertScenarios] run the scenario files of spec/expert.md §16.
package experttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/participation"
)

// Run checks that stores from newStore behave as expert.Store documents. newStore is
// called once per subtest and returns an empty store; clean up with t.Cleanup. The
// concurrency subtests race acceptances through an [expert.Service] on the store, so the
// store's Atomic is what keeps the invariants X3–X5.
func Run(t *testing.T, newStore func(t *testing.T) expert.Store) {
	t.Run("GetMissingIsNotFound", func(t *testing.T) { testGetMissing(t, newStore(t)) })
	t.Run("ExpertRoundTrip", func(t *testing.T) { testExpertRoundTrip(t, newStore(t)) })
	t.Run("CreateRequiresIDAndParticipant", func(t *testing.T) { testCreateInvalid(t, newStore(t)) })
	t.Run("DuplicateIDIsConflict", func(t *testing.T) { testDuplicateID(t, newStore(t)) })
	t.Run("SecondNonTerminalRecordIsConflict", func(t *testing.T) { testOneNonTerminal(t, newStore(t)) })
	t.Run("ConcurrentRecordsForOneParticipantCreateOne", func(t *testing.T) { testRaceOneRecord(t, newStore(t)) })
	t.Run("FailedUpdateSavesNothing", func(t *testing.T) { testFailedUpdate(t, newStore(t)) })
	t.Run("UpdateAddsOneToVersion", func(t *testing.T) { testVersion(t, newStore(t)) })
	t.Run("UpdateSeesTheLatestCommittedState", func(t *testing.T) { testLatestState(t, newStore(t)) })
	t.Run("ConcurrentUpdatesLoseNothing", func(t *testing.T) { testNoLostWrites(t, newStore(t)) })
	t.Run("ReturnedValuesAreCopies", func(t *testing.T) { testCopies(t, newStore(t)) })
	t.Run("RequestRoundTripAndUpdate", func(t *testing.T) { testRequestRoundTrip(t, newStore(t)) })
	t.Run("ConcurrentAcceptancesFillExactlyThePlaces", func(t *testing.T) {
		for range 5 {
			testRaceForPlaces(t, newStore(t))
		}
	})
	t.Run("ConcurrentOverlappingAcceptancesBookOnce", func(t *testing.T) { testRaceOverlap(t, newStore(t)) })
	t.Run("ConcurrentAcceptancesNeverPassACapSilently", func(t *testing.T) { testRaceCap(t, newStore(t)) })
	t.Run("FailedAtomicStoresNothing", func(t *testing.T) { testAtomicFailure(t, newStore(t)) })
	t.Run("AtomicReadsItsOwnWrites", func(t *testing.T) { testAtomicOwnWrites(t, newStore(t)) })
	t.Run("ScheduleInForceAtBoundary", func(t *testing.T) { testScheduleInForce(t, newStore(t)) })
	t.Run("ScheduleSameValidFromIsConflict", func(t *testing.T) { testScheduleConflict(t, newStore(t)) })
	t.Run("ApprovedPayoutEditIsConflict", func(t *testing.T) { testPayoutFrozen(t, newStore(t)) })
	t.Run("SessionsListInOrderAdded", func(t *testing.T) { testSessions(t, newStore(t)) })
	t.Run("RecordedSessionCommitsWithItsPayout", func(t *testing.T) { testSessionAtomic(t, newStore(t)) })
	t.Run("CreateRefusesZeroAndDuplicateIDs", func(t *testing.T) { testCreateRefusals(t, newStore(t)) })
	t.Run("ListPayoutsAndRequestsFilterAndPage", func(t *testing.T) { testListOthers(t, newStore(t)) })
	t.Run("ListExpertsFilters", func(t *testing.T) { testListFilters(t, newStore(t)) })
	t.Run("ListExpertsPagesWithoutGapsOrDuplicates", func(t *testing.T) { testListPages(t, newStore(t)) })
	t.Run("ListExpertsPagesWhileOthersInsert", func(t *testing.T) { testListPagesConcurrent(t, newStore(t)) })
	t.Run("ListStopsOnEarlyBreak", func(t *testing.T) { testListBreak(t, newStore(t)) })
	t.Run("CancelledContextFails", func(t *testing.T) { testCancelled(t, newStore(t)) })
	t.Run("ExportHoldsEverythingAboutOnePerson", func(t *testing.T) { testExportOnePerson(t, newStore(t)) })
	t.Run("ErasureBlanksAndKeepsAggregates", func(t *testing.T) { testErasureBlanks(t, newStore(t)) })
	t.Run("ErasureIsIdempotent", func(t *testing.T) { testErasureIdempotent(t, newStore(t)) })
	t.Run("RetentionPurgesOnlyWhatExpired", func(t *testing.T) { testRetention(t, newStore(t)) })
}

// now is the suite's fixed clock: Sunday 1 March 2026 09:00 Helsinki.
var now = time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)

func allowAll() participation.ConsentChecker {
	return participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: "granted", Query: q}, nil
	})
}

func newService(t *testing.T, s expert.Store) *expert.Service {
	t.Helper()
	svc, err := expert.NewService(s, allowAll(), expert.Config{Clock: osallisuus.FixedClock(now)})
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return svc
}

func newParticipant(t *testing.T) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func newExpertValue(t *testing.T) expert.Expert {
	t.Helper()
	id, err := expert.NewExpertID()
	if err != nil {
		t.Fatal(err)
	}
	return expert.Expert{ID: id, Participant: newParticipant(t), State: expert.StateCandidate,
		Profile: expert.Profile{Languages: []string{"fi"}, Areas: []string{"turku"},
			Experience: []expert.Experience{{Code: "mental-health", Perspective: expert.PerspectiveOwn}}},
		CreatedAt: now, UpdatedAt: now}
}

func profile() expert.Profile {
	return expert.Profile{Languages: []string{"fi"}, Areas: []string{"turku"},
		Experience: []expert.Experience{{Code: "mental-health", Perspective: expert.PerspectiveOwn}}}
}

// seedActive registers, checks, profiles and activates one expert through the service.
func seedActive(t *testing.T, svc *expert.Service, p expert.Profile) expert.Expert {
	t.Helper()
	ctx := t.Context()
	e, err := svc.Register(ctx, newParticipant(t), expert.ExpertID{})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	for _, name := range []string{expert.CheckTraining, expert.CheckAgreement, expert.CheckConfidentiality} {
		if _, err := svc.RecordCheck(ctx, e.ID, expert.Check{Name: name}); err != nil {
			t.Fatalf("RecordCheck %s: %v", name, err)
		}
	}
	if _, err := svc.SetProfile(ctx, e.ID, 0, p, expert.ActorExpert); err != nil {
		t.Fatalf("SetProfile: %v", err)
	}
	e, err = svc.Activate(ctx, e.ID)
	if err != nil {
		t.Fatalf("Activate: %v", err)
	}
	return e
}

// seedRequest creates and opens a staff-training request in Turku at start.
func seedRequest(t *testing.T, svc *expert.Service, start time.Time, minutes, needed int) expert.Request {
	t.Helper()
	r, err := svc.CreateRequest(t.Context(), expert.Request{Unit: "unit-1", TaskType: "staff-training",
		Start: start, Minutes: minutes, Location: "turku", Language: "fi", Needed: needed, Reserve: 2})
	if err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	r, err = svc.OpenRequest(t.Context(), r.ID)
	if err != nil {
		t.Fatalf("OpenRequest: %v", err)
	}
	return r
}

func at(day, hour int) time.Time {
	return osallisuus.NewDate(2026, time.March, day).Time(hour, 0)
}

func testGetMissing(t *testing.T, s expert.Store) {
	ctx := t.Context()
	eid, _ := expert.NewExpertID()
	rid, _ := expert.NewRequestID()
	pid, _ := expert.NewPayoutID()
	if _, err := s.GetExpert(ctx, eid); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetExpert of a missing ID: %v, want ErrNotFound", err)
	}
	if _, err := s.GetRequest(ctx, rid); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetRequest of a missing ID: %v, want ErrNotFound", err)
	}
	if _, err := s.GetPayout(ctx, pid); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("GetPayout of a missing ID: %v, want ErrNotFound", err)
	}
	called := false
	if _, err := s.UpdateExpert(ctx, eid, func(*expert.Expert) error { called = true; return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("UpdateExpert of a missing ID: %v, want ErrNotFound", err)
	}
	if called {
		t.Error("UpdateExpert called fn for a missing ID; fn is not called")
	}
	if _, err := s.UpdateRequest(ctx, rid, func(*expert.Request) error { return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("UpdateRequest of a missing ID: %v, want ErrNotFound", err)
	}
	if _, err := s.InForce(ctx, osallisuus.NewDate(2026, 1, 1)); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("InForce with no schedules: %v, want ErrNotFound", err)
	}
}

func testExpertRoundTrip(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	e.Checks = []expert.Check{{Name: expert.CheckAgreement, Until: osallisuus.NewDate(2027, 12, 31), Version: 2}}
	e.Profile.Weekly = expert.Slot(time.Tuesday, expert.Afternoon)
	e.Profile.Preferences = map[string]expert.Preference{"workshop": expert.PreferencePreferred}
	e.Profile.Caps = expert.Caps{Earnings: []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 30000}}, AssignmentsPerMonth: 3}
	e.Profile.Travel = map[string]expert.Travel{"turku": {Minutes: 25, Km: 18}}
	e.Totals = map[string]int64{"2026-04": 16000}
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatalf("CreateExpert: %v", err)
	}
	got, err := s.GetExpert(ctx, e.ID)
	if err != nil {
		t.Fatalf("GetExpert: %v", err)
	}
	if got.Version != 1 {
		t.Errorf("version %d after create, want 1", got.Version)
	}
	e.Version = 1
	if msg := diffExpert(got, e); msg != "" {
		t.Errorf("GetExpert after CreateExpert: %s: a store returns what was stored", msg)
	}
}

// diffExpert compares the fields a store must keep; it returns "" when equal.
func diffExpert(got, want expert.Expert) string {
	g, w := fmt.Sprintf("%+v", normalize(got)), fmt.Sprintf("%+v", normalize(want))
	if g != w {
		return "got " + g + ", want " + w
	}
	return ""
}

func normalize(e expert.Expert) expert.Expert {
	e = e.Clone()
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	for i := range e.Checks {
		e.Checks[i].ExpiresAt = e.Checks[i].ExpiresAt.UTC()
	}
	for i := range e.Commitments {
		e.Commitments[i].Start = e.Commitments[i].Start.UTC()
	}
	return e
}

func testCreateInvalid(t *testing.T, s expert.Store) {
	e := newExpertValue(t)
	e.ID = expert.ExpertID{}
	if err := s.CreateExpert(t.Context(), e); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("CreateExpert with a zero ID: %v, want ErrInvalid", err)
	}
	e = newExpertValue(t)
	e.Participant = osallisuus.ParticipantID{}
	if err := s.CreateExpert(t.Context(), e); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("CreateExpert with a zero participant: %v, want ErrInvalid", err)
	}
}

func testDuplicateID(t *testing.T, s expert.Store) {
	e := newExpertValue(t)
	if err := s.CreateExpert(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	e2 := e
	e2.Participant = newParticipant(t)
	if err := s.CreateExpert(t.Context(), e2); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("CreateExpert with an existing ID: %v, want ErrConflict", err)
	}
}

func testOneNonTerminal(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	second := newExpertValue(t)
	second.Participant = e.Participant
	if err := s.CreateExpert(ctx, second); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("second non-terminal record for a participant: %v, want ErrConflict (X1)", err)
	}
	if _, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error { x.State = expert.StateRetired; return nil }); err != nil {
		t.Fatal(err)
	}
	second.Previous = e.ID
	if err := s.CreateExpert(ctx, second); err != nil {
		t.Errorf("new record after the first retired: %v, want nil (a returning person gets a new record)", err)
	}
}

func testFailedUpdate(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	_, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
		x.State = expert.StateActive
		x.Profile.Areas[0] = "changed"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdateExpert returned %v, want fn's error", err)
	}
	got, err := s.GetExpert(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.State != expert.StateCandidate || got.Profile.Areas[0] != "turku" {
		t.Errorf("after a failed update: version %d, state %s, area %s; want 1, candidate, turku: nothing is saved",
			got.Version, got.State, got.Profile.Areas[0])
	}
}

func testVersion(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error { x.Profile.Remote = !x.Profile.Remote; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.GetExpert(ctx, e.ID)
	if got.Version != 3 {
		t.Errorf("version %d after two updates, want 3: each successful update adds 1", got.Version)
	}
}

func testCopies(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	e.Totals = map[string]int64{"2026": 100}
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	e.Profile.Areas[0] = "changed-after-create"
	got, _ := s.GetExpert(ctx, e.ID)
	got.Profile.Languages[0] = "changed-after-get"
	got.Totals["2026"] = 1
	again, _ := s.GetExpert(ctx, e.ID)
	if again.Profile.Areas[0] != "turku" || again.Profile.Languages[0] != "fi" || again.Totals["2026"] != 100 {
		t.Errorf("stored value changed through a caller's value (%v, %v, %v): values in, values out",
			again.Profile.Areas, again.Profile.Languages, again.Totals)
	}
}

func testRequestRoundTrip(t *testing.T, s expert.Store) {
	ctx := t.Context()
	id, _ := expert.NewRequestID()
	r := expert.Request{ID: id, Unit: "u", TaskType: "talk", Start: at(10, 13), Minutes: 60, Location: "turku",
		Language: "fi", Needed: 1, State: expert.RequestOpen, Experience: []string{"mental-health"}}
	if err := s.CreateRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRequest(ctx, r); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("CreateRequest with an existing ID: %v, want ErrConflict", err)
	}
	got, err := s.UpdateRequest(ctx, id, func(x *expert.Request) error { x.Title = "t"; return nil })
	if err != nil || got.Version != 2 || got.Title != "t" {
		t.Errorf("UpdateRequest: %v, version %d, title %q; want nil, 2, t", err, got.Version, got.Title)
	}
	got.Experience[0] = "changed"
	again, _ := s.GetRequest(ctx, id)
	if again.Experience[0] != "mental-health" || !again.Start.Equal(r.Start) {
		t.Errorf("GetRequest: %v, %v: values in, values out", again.Experience, again.Start)
	}
	var n int
	for x, err := range s.ListRequests(ctx, expert.RequestFilter{Unit: "u"}) {
		if err != nil || x.ID != id {
			t.Errorf("ListRequests yielded %v, %v", x.ID, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("ListRequests by unit yielded %d, want 1", n)
	}
}

func testScheduleInForce(t *testing.T, s expert.Store) {
	ctx := t.Context()
	for _, sc := range []expert.Schedule{
		{ID: "2027", ValidFrom: osallisuus.NewDate(2027, 1, 1), Rates: map[string]expert.Rate{"talk": {Basis: expert.RateHourly, CentsPerHour: 3000}}},
		{ID: "2026", ValidFrom: osallisuus.NewDate(2026, 1, 1), Rates: map[string]expert.Rate{"talk": {Basis: expert.RateHourly, CentsPerHour: 2500}}},
	} {
		if err := s.AddSchedule(ctx, sc); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		on   osallisuus.Date
		want string
	}{
		{osallisuus.NewDate(2026, 1, 1), "2026"},
		{osallisuus.NewDate(2026, 12, 31), "2026"},
		{osallisuus.NewDate(2027, 1, 1), "2027"},
	}
	for _, tt := range tests {
		got, err := s.InForce(ctx, tt.on)
		if err != nil || got.ID != tt.want {
			t.Errorf("InForce(%s) = %q, %v; want %q", tt.on, got.ID, err, tt.want)
		}
	}
	if _, err := s.InForce(ctx, osallisuus.NewDate(2025, 12, 31)); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("InForce before the first version: %v, want ErrNotFound", err)
	}
	var order []string
	for sc, err := range s.ListSchedules(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, sc.ID)
	}
	if fmt.Sprint(order) != "[2026 2027]" {
		t.Errorf("ListSchedules order %v, want [2026 2027] (ValidFrom order)", order)
	}
}

func testScheduleConflict(t *testing.T, s expert.Store) {
	ctx := t.Context()
	d := osallisuus.NewDate(2026, 1, 1)
	if err := s.AddSchedule(ctx, expert.Schedule{ID: "a", ValidFrom: d}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSchedule(ctx, expert.Schedule{ID: "b", ValidFrom: d}); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("second version with the same ValidFrom: %v, want ErrConflict", err)
	}
}

func testPayoutFrozen(t *testing.T, s expert.Store) {
	ctx := t.Context()
	id, _ := expert.NewPayoutID()
	eid, _ := expert.NewExpertID()
	p := expert.Payout{ID: id, Expert: eid, ScheduleVersion: "2026", State: expert.PayoutDraft, FeeCents: 8000,
		Lines: []expert.Line{{Kind: expert.LineTaskHalfDay, Quantity: 180, UnitCents: 8000, Cents: 8000, CountsTowardCap: true}}}
	if err := s.CreatePayout(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePayout(ctx, id, func(x *expert.Payout) error { x.State = expert.PayoutApproved; return nil }); err != nil {
		t.Fatalf("approving a draft: %v", err)
	}
	_, err := s.UpdatePayout(ctx, id, func(x *expert.Payout) error { x.FeeCents, x.Lines[0].Cents = 9000, 9000; return nil })
	if !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("editing an approved payout: %v, want ErrConflict (approved records are never edited)", err)
	}
	if _, err := s.UpdatePayout(ctx, id, func(x *expert.Payout) error { x.State = expert.PayoutPaid; return nil }); err != nil {
		t.Errorf("marking an approved payout paid: %v, want nil", err)
	}
	got, _ := s.GetPayout(ctx, id)
	if got.FeeCents != 8000 || got.State != expert.PayoutPaid {
		t.Errorf("payout %d cents %s, want 8000 paid", got.FeeCents, got.State)
	}
}

func testSessions(t *testing.T, s expert.Store) {
	ctx := t.Context()
	eid, _ := expert.NewExpertID()
	var want []string
	for i := range 3 {
		id, _ := osallisuus.NewUUID()
		x := expert.Session{ID: id, Expert: eid, Kind: expert.SessionSupervision, Date: osallisuus.NewDate(2026, 3, 3-i), Minutes: 90}
		if err := s.AddSession(ctx, x); err != nil {
			t.Fatal(err)
		}
		want = append(want, id.String())
	}
	var got []string
	for x, err := range s.Sessions(ctx, eid) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, x.ID.String())
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Sessions yielded %v, want %v (order added)", got, want)
	}
}

// testSessionAtomic records a paid debrief through the service: the session, its payout
// and the expert's commitment are stored together, and a session that cannot be added
// (its ID exists) stores none of them.
func testSessionAtomic(t *testing.T, s expert.Store) {
	ctx := t.Context()
	svc := newService(t, s)
	if err := svc.AddSchedule(ctx, expert.Schedule{ID: "s", ValidFrom: osallisuus.NewDate(2026, 1, 1),
		Rates: map[string]expert.Rate{"debrief": {Basis: expert.RateHourly, CentsPerHour: 2000}}}); err != nil {
		t.Fatal(err)
	}
	e := seedActive(t, svc, profile())
	id, _ := osallisuus.NewUUID()
	x := expert.Session{ID: id, Expert: e.ID, Kind: expert.SessionDebrief, Date: osallisuus.NewDate(2026, 2, 20), Minutes: 60}
	_, p, err := svc.RecordSession(ctx, x)
	if err != nil {
		t.Fatalf("RecordSession: %v", err)
	}
	count := func() (sessions, payouts, commitments int) {
		for _, err := range s.Sessions(ctx, e.ID) {
			if err != nil {
				t.Fatal(err)
			}
			sessions++
		}
		for _, err := range s.ListPayouts(ctx, expert.PayoutFilter{Expert: e.ID}) {
			if err != nil {
				t.Fatal(err)
			}
			payouts++
		}
		got, err := s.GetExpert(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		return sessions, payouts, len(got.Commitments)
	}
	if n, m, c := count(); n != 1 || m != 1 || c != 1 || p.FeeCents != 2000 {
		t.Fatalf("after RecordSession: %d sessions, %d payouts, %d commitments, fee %d; want 1, 1, 1, 2000", n, m, c, p.FeeCents)
	}
	_, _, err = svc.RecordSession(ctx, x)
	if !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("RecordSession with an existing session ID: %v, want ErrConflict", err)
	}
	if n, m, c := count(); n != 1 || m != 1 || c != 1 {
		t.Errorf("after a refused RecordSession: %d sessions, %d payouts, %d commitments; want 1, 1, 1: nothing of the call is stored", n, m, c)
	}
}

func testLatestState(t *testing.T, s expert.Store) {
	ctx := t.Context()
	e := newExpertValue(t)
	if err := s.CreateExpert(ctx, e); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error { x.Profile.Areas = []string{"salo"}; return nil }); err != nil {
		t.Fatal(err)
	}
	var seen []string
	var version int64
	if _, err := s.UpdateExpert(ctx, e.ID, func(x *expert.Expert) error {
		seen, version = append([]string(nil), x.Profile.Areas...), x.Version
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[salo]" || version != 2 {
		t.Errorf("fn saw areas %v at version %d, want [salo] at 2: fn sees the latest committed state", seen, version)
	}
}

func testCreateRefusals(t *testing.T, s expert.Store) {
	ctx := t.Context()
	if err := s.CreateRequest(ctx, expert.Request{Unit: "u"}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("CreateRequest with a zero ID: %v, want ErrInvalid", err)
	}
	if err := s.AddSchedule(ctx, expert.Schedule{ValidFrom: osallisuus.NewDate(2026, 1, 1)}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("AddSchedule without an ID: %v, want ErrInvalid", err)
	}
	if err := s.AddSchedule(ctx, expert.Schedule{ID: "a"}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("AddSchedule without ValidFrom: %v, want ErrInvalid", err)
	}
	if err := s.AddSchedule(ctx, expert.Schedule{ID: "a", ValidFrom: osallisuus.NewDate(2026, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSchedule(ctx, expert.Schedule{ID: "a", ValidFrom: osallisuus.NewDate(2027, 1, 1)}); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("AddSchedule with an existing ID: %v, want ErrConflict", err)
	}
	if err := s.CreatePayout(ctx, expert.Payout{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("CreatePayout with a zero ID: %v, want ErrInvalid", err)
	}
	pid, _ := expert.NewPayoutID()
	if err := s.CreatePayout(ctx, expert.Payout{ID: pid, State: expert.PayoutDraft}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePayout(ctx, expert.Payout{ID: pid, State: expert.PayoutDraft}); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("CreatePayout with an existing ID: %v, want ErrConflict", err)
	}
	if err := s.AddSession(ctx, expert.Session{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("AddSession with a zero ID: %v, want ErrInvalid", err)
	}
	sid, _ := osallisuus.NewUUID()
	if err := s.AddSession(ctx, expert.Session{ID: sid, Kind: expert.SessionDebrief}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSession(ctx, expert.Session{ID: sid, Kind: expert.SessionDebrief}); !errors.Is(err, osallisuus.ErrConflict) {
		t.Errorf("AddSession with an existing ID: %v, want ErrConflict", err)
	}
}
