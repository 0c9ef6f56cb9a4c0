package experttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

// The GDPR subtests (issue 9) drive an expert.Service over the store under test with a
// clock the test moves.

// gdprWorld is the data the GDPR subtests start from: the subject A and another person
// B, both active experts, with work in three requests.
type gdprWorld struct {
	svc   *expert.Service
	clock *time.Time
	a, b  expert.Expert
	// done: A and B worked r1 (done, priced, A's impact record has a reflection);
	// pending: A holds an open offer in r2; booked: A accepted r3, starting later.
	done, pending, booked expert.Request
}

// newGDPRWorld builds the world at 2026-03-01 and leaves the clock at 2026-03-11 09:00
// Helsinki, after r1's task and before r2's and r3's.
func newGDPRWorld(t *testing.T, s expert.Store, cfg expert.Config) *gdprWorld {
	t.Helper()
	ctx := t.Context()
	clock := now
	cfg.Clock = osallisuus.ClockFunc(func() time.Time { return clock })
	svc, err := expert.NewService(s, allowAll(), cfg)
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	if err := svc.AddSchedule(ctx, expert.Schedule{ID: "2026", ValidFrom: osallisuus.NewDate(2026, 1, 1),
		Rates: map[string]expert.Rate{
			"staff-training": {Basis: expert.RateHourly, CentsPerHour: 3000},
			"debrief":        {Basis: expert.RateHourly, CentsPerHour: 2000},
		},
		MileageCentsPerKm: map[string]int64{"car": 50}}); err != nil {
		t.Fatalf("AddSchedule: %v", err)
	}
	w := &gdprWorld{svc: svc, clock: &clock}
	w.a = seedActive(t, svc, gdprProfile())
	w.b = seedActive(t, svc, gdprProfile())
	for _, e := range []expert.Expert{w.a, w.b} {
		if _, err := svc.RecordCheck(ctx, e.ID, expert.Check{Name: expert.CheckTraining, Training: &expert.Training{
			Course: "course-2025", Provider: "provider-1", External: true, Hours: 50,
			CompletedOn: osallisuus.NewDate(2025, 11, 30),
			Recognition: &expert.Recognition{By: "coordinator-1", On: osallisuus.NewDate(2025, 12, 5), Evidence: "ref-1"}}}); err != nil {
			t.Fatalf("RecordCheck training: %v", err)
		}
	}
	w.done = seedRequest(t, svc, at(10, 13), 120, 2)
	w.pending = seedRequest(t, svc, at(20, 13), 120, 1)
	w.booked = seedRequest(t, svc, at(25, 13), 120, 1)
	offer := func(r expert.Request, e expert.Expert, accept bool) expert.Assignment {
		a, err := svc.Offer(ctx, r.ID, e.ID, false)
		if err != nil {
			t.Fatalf("Offer: %v", err)
		}
		if accept {
			if a, err = svc.Accept(ctx, r.ID, a.ID, expert.AcceptOptions{}); err != nil {
				t.Fatalf("Accept: %v", err)
			}
		}
		return a
	}
	doneA, doneB := offer(w.done, w.a, true), offer(w.done, w.b, true)
	offer(w.pending, w.a, false)
	offer(w.booked, w.a, true)
	for _, e := range []expert.Expert{w.a, w.b} {
		if _, _, err := svc.RecordSession(ctx, expert.Session{Expert: e.ID, Kind: expert.SessionDebrief,
			Date: osallisuus.NewDate(2026, 2, 20), Minutes: 60}); err != nil {
			t.Fatalf("RecordSession: %v", err)
		}
	}
	clock = at(11, 9)
	for _, a := range []expert.Assignment{doneA, doneB} {
		if _, _, err := svc.Complete(ctx, w.done.ID, a.ID, expert.Actuals{Minutes: 120, Travel: expert.Travel{Km: 36}}); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		if _, err := svc.RecordImpact(ctx, w.done.ID, a.ID, expert.Impact{
			Outputs:    []expert.ImpactOutput{{Kind: expert.OutputTrainingDelivered}},
			Text:       osallisuus.Text{FI: "Koulutus pidettiin."},
			Reflection: "own reflection of the expert"}); err != nil {
			t.Fatalf("RecordImpact: %v", err)
		}
	}
	for _, e := range []*expert.Expert{&w.a, &w.b} {
		if *e, err = s.GetExpert(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func gdprProfile() expert.Profile {
	p := profile()
	p.Preferences = map[string]expert.Preference{"staff-training": expert.PreferencePreferred}
	p.Caps = expert.Caps{Earnings: []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: 80000}}}
	p.Travel = map[string]expert.Travel{"turku": {Minutes: 20, Km: 18}}
	return p
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mentions reports whether the JSON form of v contains the text of id.
func mentions(t *testing.T, v any, id fmt.Stringer) bool {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), id.String())
}

func testExportOnePerson(t *testing.T, s expert.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s, expert.Config{})
	pd, err := w.svc.ExportPersonalData(ctx, w.a.Participant)
	if err != nil {
		t.Fatalf("ExportPersonalData: %v", err)
	}
	if len(pd.Experts) != 1 || pd.Experts[0].ID != w.a.ID {
		t.Fatalf("exported experts %v, want exactly A's record", pd.Experts)
	}
	x := pd.Experts[0]
	if len(x.Profile.Experience) != 1 || x.Profile.Experience[0].Code != "mental-health" || len(x.Profile.Travel) != 1 {
		t.Errorf("exported profile %+v: the experience areas and travel estimates are A's data", x.Profile)
	}
	training := false
	for _, c := range x.Checks {
		training = training || (c.Name == expert.CheckTraining && c.Training != nil && c.Training.Course == "course-2025")
	}
	if !training {
		t.Errorf("exported checks %+v lack the training details", x.Checks)
	}
	var got []string
	for _, a := range pd.Assignments {
		if a.Assignment.Expert != w.a.ID {
			t.Errorf("exported assignment %v of expert %v, not A", a.Assignment.ID, a.Assignment.Expert)
		}
		got = append(got, a.Request.String()+" "+a.Status.String())
	}
	want := []string{w.done.ID.String() + " done", w.pending.ID.String() + " offered", w.booked.ID.String() + " accepted"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("exported assignments %v, want %v (by task start)", got, want)
	}
	if len(pd.Assignments) == 3 && (pd.Assignments[0].Assignment.Impact == nil || pd.Assignments[0].Assignment.Impact.Reflection == "") {
		t.Errorf("the done assignment's impact record with A's reflection is missing: %+v", pd.Assignments[0].Assignment)
	}
	if len(pd.Sessions) != 1 || pd.Sessions[0].Expert != w.a.ID {
		t.Errorf("exported sessions %+v, want A's one debrief", pd.Sessions)
	}
	if len(pd.Payouts) != 2 {
		t.Fatalf("exported %d payouts, want 2 (the debrief and r1)", len(pd.Payouts))
	}
	if p := pd.Payouts; p[0].PaymentDate != osallisuus.NewDate(2026, 3, 15) || p[1].PaymentDate != osallisuus.NewDate(2026, 4, 15) ||
		p[0].FeeCents != 2000 || p[1].FeeCents != 6000 || p[0].Expert != w.a.ID || p[1].Expert != w.a.ID {
		t.Errorf("exported payouts %+v, want A's 2000 cents paid 2026-03-15 then 6000 cents paid 2026-04-15", p)
	}
	if mentions(t, pd, w.b.ID) || mentions(t, pd, w.b.Participant) {
		t.Error("A's export mentions B's expert or participant ID: nothing about another person")
	}
	again, err := w.svc.ExportPersonalData(ctx, w.a.Participant)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(pd)
	b2, _ := json.Marshal(again)
	if string(b1) != string(b2) {
		t.Error("two exports of the same data differ: the order is deterministic")
	}
	stranger, err := w.svc.ExportPersonalData(ctx, newParticipant(t))
	if err != nil {
		t.Fatalf("ExportPersonalData of an unknown participant: %v, want an empty result", err)
	}
	if b, _ := json.Marshal(stranger); string(b) != `{"experts":[],"assignments":[],"sessions":[],"payouts":[]}` {
		t.Errorf("export of an unknown participant is %s, want empty lists", b)
	}
	if _, err := w.svc.ExportPersonalData(ctx, osallisuus.ParticipantID{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("export of the zero participant: %v, want ErrInvalid", err)
	}
}

func assignmentOf(t *testing.T, s expert.Store, rid expert.RequestID, eid expert.ExpertID) expert.Assignment {
	t.Helper()
	r, err := s.GetRequest(t.Context(), rid)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Assignments {
		if a.Expert == eid {
			return a
		}
	}
	t.Fatalf("request %v has no assignment of expert %v", rid, eid)
	return expert.Assignment{}
}

func payoutsOf(t *testing.T, s expert.Store, eid expert.ExpertID) []expert.Payout {
	t.Helper()
	var out []expert.Payout
	for p, err := range s.ListPayouts(t.Context(), expert.PayoutFilter{Expert: eid}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func testErasureBlanks(t *testing.T, s expert.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s, expert.Config{})
	payoutsBefore := payoutsOf(t, s, w.a.ID)
	rep, err := w.svc.ErasePersonalData(ctx, w.a.Participant)
	if err != nil {
		t.Fatalf("ErasePersonalData: %v", err)
	}
	if rep.Package != "expert" || rep.Subject != w.a.Participant || !rep.At.Equal(at(11, 9)) {
		t.Errorf("report header %q %v %v, want expert, A, the clock's now", rep.Package, rep.Subject, rep.At)
	}
	wantErased := []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 1}, {Kind: "training-details", Count: 1},
		{Kind: "impact-reflections", Count: 1}}
	if !reflect.DeepEqual(rep.Erased, wantErased) {
		t.Errorf("Erased %+v, want %+v", rep.Erased, wantErased)
	}
	wantRetained := []osallisuus.Retained{
		{Kind: "expert-records", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "assignments", Count: 3, Basis: osallisuus.BasisAggregate},
		{Kind: "sessions", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "payouts", Count: 2, Basis: osallisuus.BasisAccounting, Until: osallisuus.NewDate(2032, 12, 31)},
	}
	if !reflect.DeepEqual(rep.Retained, wantRetained) {
		t.Errorf("Retained %+v, want %+v", rep.Retained, wantRetained)
	}

	a, err := s.GetExpert(ctx, w.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != expert.StateRetired || a.RetiredOn != osallisuus.NewDate(2026, 3, 11) {
		t.Errorf("A is %s retired on %v, want retired on 2026-03-11: an active expert is retired now first", a.State, a.RetiredOn)
	}
	if b, _ := json.Marshal(a.Profile); string(b) != `{"caps":{"basis":"payment-date"}}` {
		t.Errorf("A's profile after erasure is %s, want blank", b)
	}
	for _, c := range a.Checks {
		if c.Training != nil {
			t.Errorf("check %s keeps training details %+v", c.Name, *c.Training)
		}
	}
	if len(a.Checks) != len(w.a.Checks) || a.ID != w.a.ID || a.Participant != w.a.Participant || !a.CreatedAt.Equal(w.a.CreatedAt) {
		t.Errorf("A's IDs, dates and check names changed: %+v", a)
	}
	if len(a.Commitments) != len(w.a.Commitments) {
		t.Errorf("A has %d commitments after erasure, want %d: the payout trail stays", len(a.Commitments), len(w.a.Commitments))
	}
	if st := assignmentOf(t, s, w.pending.ID, w.a.ID).Status; st != expert.StatusWithdrawn {
		t.Errorf("A's pending offer is %s, want withdrawn", st)
	}
	if st := assignmentOf(t, s, w.booked.ID, w.a.ID).Status; st != expert.StatusCancelledByUnit {
		t.Errorf("A's accepted future assignment is %s, want cancelled-by-unit (E3)", st)
	}
	done := assignmentOf(t, s, w.done.ID, w.a.ID)
	if done.Status != expert.StatusDone || done.Impact == nil || done.Impact.Reflection != "" ||
		len(done.Impact.Outputs) != 1 || done.Impact.Text.FI == "" {
		t.Errorf("A's done assignment %+v: done, reflection blanked, outputs and text kept", done)
	}
	if after := payoutsOf(t, s, w.a.ID); !reflect.DeepEqual(normalizePayouts(after), normalizePayouts(payoutsBefore)) {
		t.Errorf("A's payouts changed: %+v, were %+v: payout records stay as they are (accounting)", after, payoutsBefore)
	}

	b, err := s.GetExpert(ctx, w.b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := jsonOf(t, normalize(b)), jsonOf(t, normalize(w.b)); g != w {
		t.Errorf("B's record changed by A's erasure: got %s, want %s", g, w)
	}
	bd := assignmentOf(t, s, w.done.ID, w.b.ID)
	if bd.Impact == nil || bd.Impact.Reflection == "" {
		t.Error("B's reflection was blanked by A's erasure")
	}
	pd, err := w.svc.ExportPersonalData(ctx, w.a.Participant)
	if err != nil {
		t.Fatal(err)
	}
	if len(pd.Experts) != 1 || len(pd.Assignments) != 3 || len(pd.Sessions) != 1 || len(pd.Payouts) != 2 {
		t.Errorf("export after erasure holds %d experts, %d assignments, %d sessions, %d payouts; want the kept 1, 3, 1, 2",
			len(pd.Experts), len(pd.Assignments), len(pd.Sessions), len(pd.Payouts))
	}
}

func normalizePayouts(ps []expert.Payout) []expert.Payout {
	out := make([]expert.Payout, len(ps))
	for i, p := range ps {
		out[i] = p.Clone()
		out[i].CreatedAt = p.CreatedAt.UTC()
		if d := out[i].Decision; d != nil {
			d.At = d.At.UTC()
		}
	}
	return out
}

func testErasureIdempotent(t *testing.T, s expert.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s, expert.Config{})
	first, err := w.svc.ErasePersonalData(ctx, w.a.Participant)
	if err != nil {
		t.Fatalf("first erasure: %v", err)
	}
	versions := func() []int64 {
		var out []int64
		e, err := s.GetExpert(ctx, w.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Version)
		for _, r := range []expert.Request{w.done, w.pending, w.booked} {
			x, err := s.GetRequest(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, x.Version)
		}
		return out
	}
	before := versions()
	*w.clock = at(12, 9)
	second, err := w.svc.ErasePersonalData(ctx, w.a.Participant)
	if err != nil {
		t.Fatalf("second erasure: %v", err)
	}
	if len(second.Erased) != 0 || second.Erased == nil {
		t.Errorf("second erasure Erased %+v, want empty (and not nil)", second.Erased)
	}
	if !reflect.DeepEqual(second.Retained, first.Retained) {
		t.Errorf("second erasure Retained %+v, want the first's %+v", second.Retained, first.Retained)
	}
	if after := versions(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("versions %v after a second erasure, were %v: erasing again changes nothing", after, before)
	}
	stranger, err := w.svc.ErasePersonalData(ctx, newParticipant(t))
	if err != nil {
		t.Fatalf("erasing an unknown participant: %v", err)
	}
	if stranger.Package != "expert" || len(stranger.Erased) != 0 || len(stranger.Retained) != 0 ||
		stranger.Erased == nil || stranger.Retained == nil {
		t.Errorf("erasing an unknown participant reported %+v, want empty lists", stranger)
	}
	if _, err := w.svc.ErasePersonalData(ctx, osallisuus.ParticipantID{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("erasing the zero participant: %v, want ErrInvalid (never everyone)", err)
	}
}

func testRetention(t *testing.T, s expert.Store) {
	ctx := t.Context()
	// A retires on 2026-03-11 (the world's clock); B stays active; C is rejected on
	// 2026-03-11; D retires on 2026-06-30. With the default P1Y, A's and C's profiles are
	// due from 2027-03-12, D's from 2027-07-01.
	w := newGDPRWorld(t, s, expert.Config{})
	if _, err := w.svc.Retire(ctx, w.a.ID, osallisuus.NewDate(2026, 3, 11)); err != nil {
		t.Fatalf("Retire: %v", err)
	}
	c, err := w.svc.Register(ctx, newParticipant(t), expert.ExpertID{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetProfile(ctx, c.ID, 0, gdprProfile(), expert.ActorExpert); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Reject(ctx, c.ID, "not-suitable", expert.ActorCoordinator); err != nil {
		t.Fatalf("Reject: %v", err)
	}
	d := seedActive(t, w.svc, gdprProfile())
	*w.clock = osallisuus.NewDate(2026, 6, 30).Time(9, 0)
	if _, err := w.svc.Retire(ctx, d.ID, osallisuus.NewDate(2026, 6, 30)); err != nil {
		t.Fatal(err)
	}
	run := func(day osallisuus.Date) []osallisuus.ItemCount {
		t.Helper()
		*w.clock = day.Time(3, 0)
		rep, err := w.svc.ApplyRetention(ctx)
		if err != nil {
			t.Fatalf("ApplyRetention on %v: %v", day, err)
		}
		if rep.Package != "expert" || !rep.At.Equal(*w.clock) || rep.Purged == nil {
			t.Errorf("report %+v: package expert, At the clock's now, Purged a list", rep)
		}
		return rep.Purged
	}
	if got := run(osallisuus.NewDate(2027, 3, 11)); len(got) != 0 {
		t.Errorf("on the retention's last day purged %+v, want nothing", got)
	}
	want := []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 2}, {Kind: "training-details", Count: 1}}
	if got := run(osallisuus.NewDate(2027, 3, 12)); !reflect.DeepEqual(got, want) {
		t.Errorf("the day after, purged %+v, want %+v (A's and C's profiles, A's training)", got, want)
	}
	if got := run(osallisuus.NewDate(2027, 3, 12)); len(got) != 0 {
		t.Errorf("a second run purged %+v, want nothing", got)
	}
	for _, x := range []struct {
		id     expert.ExpertID
		erased bool
	}{{w.a.ID, true}, {c.ID, true}, {w.b.ID, false}, {d.ID, false}} {
		e, err := s.GetExpert(ctx, x.id)
		if err != nil {
			t.Fatal(err)
		}
		if erased := len(e.Profile.Experience) == 0 && len(e.Profile.Travel) == 0; erased != x.erased {
			t.Errorf("expert %v (%s): profile erased %v, want %v", x.id, e.State, erased, x.erased)
		}
	}
	if got := len(payoutsOf(t, s, w.a.ID)); got != 2 {
		t.Errorf("A has %d payouts after retention, want 2: payouts are never purged", got)
	}
	want = []osallisuus.ItemCount{{Kind: "expert-profiles", Count: 1}}
	if got := run(osallisuus.NewDate(2027, 7, 1)); !reflect.DeepEqual(got, want) {
		t.Errorf("on 2027-07-01 purged %+v, want %+v (D's profile)", got, want)
	}
}
