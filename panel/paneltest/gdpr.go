package paneltest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// The GDPR subtests of Run (issue 9): export, erasure and retention driven through
// panel.Service over the store under test, with a clock the test moves.

// movableClock is a clock the test sets; the test goroutine alone moves it.
type movableClock struct{ t time.Time }

func (c *movableClock) Now() time.Time { return c.t }

// gdprWorld is the story the export and erasure subtests share: on panel A (two user
// seats, waitlist, deputies) the subject S chairs, O sits, W waits and D is S's
// personal deputy; meeting M1 was held with S, O and D and S approved its minutes. On
// panel B, S and O applied to a call still open. On panel C, S and X applied to a call
// of one seat, decided first-come: S was offered the seat (still pending) and X, who
// agreed to be a reserve, waits.
type gdprWorld struct {
	store         *checked
	clock         *movableClock
	svc           *panel.Service
	a, b, c       panel.PanelID
	callB, callC  panel.CallID
	m1            panel.MeetingID
	s, o, w, d, x osallisuus.ParticipantID
}

func gdprService(t *testing.T, s panel.Store, clock osallisuus.Clock, cfg panel.ServiceConfig) *panel.Service {
	t.Helper()
	cfg.Clock = clock
	svc, err := panel.NewService(s, participation.ConsentCheckerFunc(allow), people{}, cfg)
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return svc
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func mustDo(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func gdprPanel(t *testing.T, svc *panel.Service, name string, userMax int) panel.PanelID {
	t.Helper()
	cfg := config(userMax, true)
	cfg.Roles.Deputies = true
	p := must[panel.Panel](t, "create "+name)(svc.Create(t.Context(), panel.Panel{Name: osallisuus.Text{FI: name}, Config: cfg}))
	must[panel.Panel](t, "open "+name)(svc.Open(t.Context(), p.ID))
	return p.ID
}

func newGDPRWorld(t *testing.T, s panel.Store) *gdprWorld {
	t.Helper()
	ctx := t.Context()
	w := &gdprWorld{store: &checked{Store: s}, clock: &movableClock{t: t0}}
	w.svc = gdprService(t, w.store, w.clock, panel.ServiceConfig{})
	w.s, w.o, w.w, w.d, w.x = newID(t), newID(t), newID(t), newID(t), newID(t)
	w.a, w.b, w.c = gdprPanel(t, w.svc, "A", 2), gdprPanel(t, w.svc, "B", 3), gdprPanel(t, w.svc, "C", 1)
	join := func(who osallisuus.ParticipantID, prof panel.Profile, want panel.MemberState) {
		r := must[panel.JoinResult](t, "join A")(w.svc.Join(ctx, panel.JoinRequest{Panel: w.a, Who: who, Profile: prof}))
		if r.State != want {
			t.Fatalf("join A: %s, want %s", r.State, want)
		}
	}
	join(w.s, panel.Profile{Language: "sv", Area: "north", AgeBand: "65+"}, panel.MemberActive)
	join(w.o, panel.Profile{Language: "fi"}, panel.MemberActive)
	join(w.w, panel.Profile{Language: "fi"}, panel.MemberWaitlisted)
	mustDo(t, "add deputy", w.svc.AddDeputy(ctx, panel.DeputyRequest{Panel: w.a, Who: w.d, Principal: w.s,
		Profile: panel.Profile{Language: "sv"}}))
	mustDo(t, "assign chair", w.svc.Assign(ctx, w.a, w.s, panel.RoleChair, false))
	w.m1 = must[panel.Meeting](t, "plan")(w.svc.PlanMeeting(ctx, w.a, panel.MeetingID{}, t0.Add(time.Hour))).ID

	w.callB = must[panel.Call](t, "open call B")(w.svc.OpenCall(ctx, w.b, panel.CallID{}, t0, t0.Add(30*24*time.Hour), 2)).ID
	w.callC = must[panel.Call](t, "open call C")(w.svc.OpenCall(ctx, w.c, panel.CallID{}, t0, t0.Add(time.Hour), 1)).ID
	for _, ap := range []struct {
		call panel.CallID
		who  osallisuus.ParticipantID
	}{{w.callB, w.s}, {w.callB, w.o}, {w.callC, w.s}, {w.callC, w.x}} {
		must[panel.Call](t, "apply")(w.svc.Apply(ctx, ap.call, panel.Application{Participant: ap.who,
			Profile: panel.Profile{Area: "north"}, Priority: 3, Reserve: true}))
	}

	w.clock.t = t0.Add(2 * time.Hour)
	must[panel.Call](t, "screen S")(w.svc.Screen(ctx, w.callC, w.s, true, ""))
	must[panel.Call](t, "screen X")(w.svc.Screen(ctx, w.callC, w.x, true, ""))
	sel := must[panel.Selection](t, "select")(w.svc.Select(ctx, w.callC, panel.SelectRequest{Method: panel.MethodFirstCome}))
	if !slices.Equal(sel.Selected, []osallisuus.ParticipantID{w.s}) || !slices.Equal(sel.Reserve, []osallisuus.ParticipantID{w.x}) {
		t.Fatalf("select: %v reserve %v, want S selected and X reserve", sel.Selected, sel.Reserve)
	}
	must[panel.Meeting](t, "hold")(w.svc.HoldMeeting(ctx, w.m1, map[osallisuus.ParticipantID]panel.Attendance{
		w.s: panel.Present, w.o: panel.Present, w.d: panel.Absent}))
	must[panel.Meeting](t, "minutes")(w.svc.DraftMinutes(ctx, w.m1, "Aloite palveluohjauksesta hyväksyttiin."))
	must[panel.Meeting](t, "approve")(w.svc.ApproveMinutes(ctx, w.m1, w.s, false))
	w.clock.t = t0.Add(3 * time.Hour)
	return w
}

// snapshot returns the JSON of everything in s: panels, calls, meetings, proposals.
func snapshot(t *testing.T, s panel.Store) []byte {
	t.Helper()
	ctx := t.Context()
	var all []any
	for _, p := range collect(t, s.ListPanels(ctx, panel.PanelFilter{})) {
		all = append(all, normalize(p))
	}
	for _, c := range collect(t, s.ListCalls(ctx, panel.CallFilter{})) {
		all = append(all, c)
	}
	for _, m := range collect(t, s.ListMeetings(ctx, panel.MeetingFilter{})) {
		all = append(all, m)
	}
	for _, p := range collect(t, s.ListProposals(ctx, panel.ProposalFilter{})) {
		all = append(all, p)
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func placesHeld(p panel.Panel) (n int, who []osallisuus.ParticipantID) {
	for _, m := range p.Members {
		for _, h := range m.History {
			if h.State == panel.MemberActive || h.State == panel.MemberSuspended {
				n++
				who = append(who, m.Participant)
				break
			}
		}
	}
	return n, who
}

func memberOf(p panel.Panel, who osallisuus.ParticipantID) (panel.Membership, bool) {
	i := p.Current(who)
	if i < 0 {
		return panel.Membership{}, false
	}
	return p.Members[i], true
}

func testExport(t *testing.T, s panel.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s)
	d := must[panel.PersonalData](t, "export")(w.svc.ExportPersonalData(ctx, w.s))
	if d.Subject != w.s {
		t.Errorf("export subject %s, want the participant asked for", d.Subject)
	}
	if len(d.Memberships) != 2 {
		t.Fatalf("export has %d memberships, want 2 (chair on A, pending offer on C)", len(d.Memberships))
	}
	byPanel := map[panel.PanelID]panel.MembershipRecord{}
	for i, r := range d.Memberships {
		byPanel[r.Panel] = r
		if r.Membership.Participant != w.s {
			t.Errorf("membership %d belongs to %s, not the subject", i, r.Membership.Participant)
		}
		if i > 0 && bytes.Compare(d.Memberships[i-1].Panel.UUID[:], r.Panel.UUID[:]) > 0 {
			t.Error("memberships are not sorted by panel ID")
		}
	}
	ra := byPanel[w.a]
	if ra.PanelName.FI != "A" || ra.Membership.State != panel.MemberActive || ra.Membership.Role != panel.RoleChair ||
		ra.Membership.Profile.AgeBand != "65+" || ra.Membership.Consent == nil ||
		!slices.Equal(ra.Deputies, []osallisuus.ParticipantID{w.d}) {
		t.Errorf("membership of A = %+v; want the active chair with profile, consent record and deputy D", ra)
	}
	if rc := byPanel[w.c]; rc.Membership.State != panel.MemberOffered || rc.Membership.OfferDeadline.IsZero() {
		t.Errorf("membership of C = %+v; want the pending offer with its deadline", rc)
	}
	if len(d.Applications) != 2 {
		t.Fatalf("export has %d applications, want 2 (calls B and C)", len(d.Applications))
	}
	for _, a := range d.Applications {
		if a.Application.Participant != w.s || a.Application.Priority != 3 {
			t.Errorf("application %+v is not the subject's as stored", a)
		}
		want := map[panel.CallID]panel.CallState{w.callB: panel.CallOpen, w.callC: panel.CallSelected}[a.Call]
		if a.CallState != want {
			t.Errorf("application to %s: call state %s, want %s", a.Call, a.CallState, want)
		}
	}
	if bytes.Compare(d.Applications[0].Call.UUID[:], d.Applications[1].Call.UUID[:]) > 0 {
		t.Error("applications are not sorted by call ID")
	}
	if len(d.Attendance) != 1 || d.Attendance[0].Meeting != w.m1 || d.Attendance[0].Status != panel.Present {
		t.Errorf("attendance = %+v, want present at M1", d.Attendance)
	}
	if len(d.MinutesApprovals) != 1 || d.MinutesApprovals[0].Meeting != w.m1 {
		t.Errorf("minutes approvals = %+v, want M1", d.MinutesApprovals)
	}
	if len(d.Events) == 0 {
		t.Error("export has no events, want the ones about the subject still in A's and C's outboxes")
	}
	for i, e := range d.Events {
		if e.Who != w.s {
			t.Errorf("event %d is about %s, not the subject", i, e.Who)
		}
		if i > 0 && e.At.Before(d.Events[i-1].At) {
			t.Error("events are not sorted by time")
		}
	}
	b, _ := json.Marshal(d)
	for name, other := range map[string]osallisuus.ParticipantID{"O": w.o, "W": w.w, "X": w.x} {
		if bytes.Contains(b, []byte(other.String())) {
			t.Errorf("the subject's export names %s, another person unrelated to them", name)
		}
	}
	again := must[panel.PersonalData](t, "export again")(w.svc.ExportPersonalData(ctx, w.s))
	if !sameJSON(d, again) {
		t.Error("two exports of unchanged data differ: the order must be deterministic")
	}

	stranger := must[panel.PersonalData](t, "export stranger")(w.svc.ExportPersonalData(ctx, newID(t)))
	sb, _ := json.Marshal(stranger)
	if bytes.Contains(sb, []byte("null")) || len(stranger.Memberships)+len(stranger.Applications)+len(stranger.Attendance)+
		len(stranger.MinutesApprovals)+len(stranger.RecordedAssents)+len(stranger.Events) != 0 {
		t.Errorf("export of someone unknown = %s; want every list empty (never null)", sb)
	}
	if _, err := w.svc.ExportPersonalData(ctx, osallisuus.ParticipantID{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("export of a zero ID: %v, want ErrInvalid", err)
	}
	w.store.report(t)
}

func counts(items []osallisuus.ItemCount) map[string]int {
	m := map[string]int{}
	for _, c := range items {
		m[c.Kind] = c.Count
	}
	return m
}

func testErasure(t *testing.T, s panel.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s)
	before := must[panel.PersonalData](t, "export")(w.svc.ExportPersonalData(ctx, w.s))
	pa0 := must[panel.Panel](t, "get A")(s.GetPanel(ctx, w.a))
	m0 := must[panel.Meeting](t, "get M1")(s.GetMeeting(ctx, w.m1))
	c0 := must[panel.Call](t, "get C")(s.GetCall(ctx, w.callC))
	held0, _ := placesHeld(pa0)

	rep := must[osallisuus.ErasureReport](t, "erase")(w.svc.ErasePersonalData(ctx, w.s))
	if rep.Package != "panel" || rep.Subject != w.s || !rep.At.Equal(w.clock.t) {
		t.Errorf("report header = %s %s %v; want panel, the subject, the clock's now", rep.Package, rep.Subject, rep.At)
	}
	want := map[string]int{"memberships": 1, "waitlist-places": 1, "deputy-links": 1, "applications": 2,
		"attendance": 1, "minutes-approvals": 1, "events": len(before.Events)}
	if got := counts(rep.Erased); !sameJSON(got, want) {
		t.Errorf("Erased = %v, want %v", got, want)
	}
	until := osallisuus.Period{Years: 1}.LastDay(osallisuus.DateOf(t0.Add(2 * time.Hour)))
	wantKept := []osallisuus.Retained{
		{Kind: "applications", Count: 1, Basis: osallisuus.BasisAggregate, Until: until},
		{Kind: "attendance", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "memberships", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "minutes-approvals", Count: 1, Basis: osallisuus.BasisAggregate},
	}
	if !sameJSON(rep.Retained, wantKept) {
		t.Errorf("Retained = %+v, want %+v", rep.Retained, wantKept)
	}

	if snap := snapshot(t, s); bytes.Contains(snap, []byte(w.s.String())) {
		t.Error("the subject's participant ID is still stored somewhere after erasure")
	}
	after := must[panel.PersonalData](t, "export after")(w.svc.ExportPersonalData(ctx, w.s))
	if n := len(after.Memberships) + len(after.Applications) + len(after.Attendance) + len(after.MinutesApprovals) + len(after.Events); n != 0 {
		t.Errorf("export after erasure still has %d items", n)
	}

	// Panel A: the chair left, the row stays anonymised, the deputy ended with it and
	// the freed seat went to the person waiting.
	pa := must[panel.Panel](t, "get A")(s.GetPanel(ctx, w.a))
	held, holders := placesHeld(pa)
	if held != held0 {
		t.Errorf("A counts %d memberships that held a place, %d before erasure: aggregates must stay", held, held0)
	}
	var tombA osallisuus.ParticipantID
	for _, who := range holders {
		if who != w.o && who != w.d {
			tombA = who
		}
	}
	tm, ok := memberOf(pa, tombA)
	if !ok || tm.State != panel.MemberEnded || tm.Reason != panel.EndLeft || tm.Profile != (panel.Profile{}) ||
		tm.Consent != nil || tm.Assent != nil || len(tm.Terms) == 0 || len(tm.History) == 0 {
		t.Errorf("A's anonymised membership = %+v; want ended left, profile and consent blank, terms and history kept", tm)
	}
	if dm, _ := memberOf(pa, w.d); dm.DeputyOf != tombA || dm.State != panel.MemberEnded || dm.Reason != panel.EndPrincipalEnded {
		t.Errorf("deputy D = %s, %s, deputy of %s; want ended principal-ended, linked to the tombstone", dm.State, dm.Reason, dm.DeputyOf)
	}
	if wm, _ := memberOf(pa, w.w); wm.State != panel.MemberOffered {
		t.Errorf("W is %s after the erased member's seat freed, want offered (P7)", wm.State)
	}
	if len(pa.Erasures) != 0 {
		t.Errorf("A keeps %d pending erasures after a finished erasure; they link the tombstone to the subject", len(pa.Erasures))
	}
	// Meeting M1 keeps its counts, under A's tombstone.
	m1 := must[panel.Meeting](t, "get M1")(s.GetMeeting(ctx, w.m1))
	if len(m1.Attendance) != len(m0.Attendance) || m1.Attendance[tombA] != panel.Present || !sameJSON(m1.Quorum, m0.Quorum) {
		t.Errorf("M1 attendance %v quorum %+v; want %d entries, A's tombstone present, quorum %+v",
			m1.Attendance, m1.Quorum, len(m0.Attendance), m0.Quorum)
	}
	if m1.Minutes == nil || m1.Minutes.ApprovedBy != tombA {
		t.Error("M1's minutes approval does not name A's tombstone")
	}
	if q := panel.ComputeQuorum(&pa, m1.Start, m1.Attendance); !sameJSON(q, *m0.Quorum) {
		t.Errorf("quorum recomputed from the erased roster = %+v, want %+v: tombstones must match across aggregates", q, *m0.Quorum)
	}
	// Call C (decided) keeps its counts; call B (open) lost the application.
	cc := must[panel.Call](t, "get C")(s.GetCall(ctx, w.callC))
	if len(cc.Applications) != len(c0.Applications) || len(cc.Selection.Selected) != 1 {
		t.Errorf("decided call C has %d applications, %d selected; want %d and 1", len(cc.Applications), len(cc.Selection.Selected), len(c0.Applications))
	} else {
		tombC := cc.Selection.Selected[0]
		a := cc.Applications[slices.IndexFunc(cc.Applications, func(a panel.Application) bool { return a.Participant == tombC })]
		if a.Profile != (panel.Profile{}) || a.Priority != 0 || a.State != panel.AppSelected {
			t.Errorf("C's anonymised application = %+v; want profile and priority blank, state kept", a)
		}
		if tombC == tombA {
			t.Error("panels A and C share a tombstone; each panel gets its own")
		}
	}
	pc := must[panel.Panel](t, "get C")(s.GetPanel(ctx, w.c))
	if xm, _ := memberOf(pc, w.x); xm.State != panel.MemberOffered {
		t.Errorf("X is %s after the erased person's offer went, want offered (P7)", xm.State)
	}
	if n, _ := placesHeld(pc); n != 0 || len(pc.Members) != 1 {
		t.Errorf("C has %d memberships; want only X's: the never-accepted offer is deleted", len(pc.Members))
	}
	cb := must[panel.Call](t, "get B")(s.GetCall(ctx, w.callB))
	if len(cb.Applications) != 1 || cb.Applications[0].Participant != w.o {
		t.Errorf("open call B has %d applications; want only O's", len(cb.Applications))
	}
	w.store.report(t)
}

func testErasureIdempotent(t *testing.T, s panel.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s)
	must[osallisuus.ErasureReport](t, "erase")(w.svc.ErasePersonalData(ctx, w.s))
	snap := snapshot(t, s)
	w.clock.t = w.clock.t.Add(time.Minute)
	again := must[osallisuus.ErasureReport](t, "erase again")(w.svc.ErasePersonalData(ctx, w.s))
	if len(again.Erased) != 0 || len(again.Retained) != 0 || again.Erased == nil || again.Retained == nil {
		t.Errorf("second erasure reported %+v / %+v; want empty lists: nothing links to the subject any more", again.Erased, again.Retained)
	}
	if !bytes.Equal(snap, snapshot(t, s)) {
		t.Error("a second erasure changed the store; it must change nothing")
	}
	unknown := must[osallisuus.ErasureReport](t, "erase unknown")(w.svc.ErasePersonalData(ctx, newID(t)))
	if len(unknown.Erased) != 0 || len(unknown.Retained) != 0 || !bytes.Equal(snap, snapshot(t, s)) {
		t.Error("erasing someone unknown reported or changed something")
	}
	if _, err := w.svc.ErasePersonalData(ctx, osallisuus.ParticipantID{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("erasing a zero ID: %v, want ErrInvalid", err)
	}
	w.store.report(t)
}

var errStop = errors.New("meeting store down")

func testErasureResumes(t *testing.T, s panel.Store) {
	ctx := t.Context()
	w := newGDPRWorld(t, s)
	broken := gdprService(t, failMeetingUpdates{s}, w.clock, panel.ServiceConfig{})
	if _, err := broken.ErasePersonalData(ctx, w.s); !errors.Is(err, errStop) {
		t.Fatalf("erasure over a failing meeting store: %v, want its error", err)
	}
	m := must[panel.Meeting](t, "get M1")(s.GetMeeting(ctx, w.m1))
	if _, ok := m.Attendance[w.s]; !ok {
		t.Fatal("the failed meeting update changed the meeting")
	}
	rep := must[osallisuus.ErasureReport](t, "erase again")(w.svc.ErasePersonalData(ctx, w.s))
	if got := counts(rep.Erased); got["attendance"] != 1 || got["minutes-approvals"] != 1 {
		t.Errorf("the second run erased %v; want it to finish the meetings", got)
	}
	if bytes.Contains(snapshot(t, s), []byte(w.s.String())) {
		t.Error("after a failed and a repeated erasure the subject's ID is still stored")
	}
	pa := must[panel.Panel](t, "get A")(s.GetPanel(ctx, w.a))
	m = must[panel.Meeting](t, "get M1")(s.GetMeeting(ctx, w.m1))
	if q := panel.ComputeQuorum(&pa, m.Start, m.Attendance); !sameJSON(q, *m.Quorum) {
		t.Errorf("quorum from the roster after a resumed erasure = %+v, want %+v: the rerun must reuse the panel's tombstone", q, *m.Quorum)
	}
	if len(pa.Erasures) != 0 {
		t.Error("the pending erasure outlived the run that finished it")
	}
}

// failMeetingUpdates fails every meeting update, to stop an erasure part-way.
type failMeetingUpdates struct{ panel.Store }

func (failMeetingUpdates) UpdateMeeting(context.Context, panel.MeetingID, func(*panel.Meeting) error) (panel.Meeting, error) {
	return panel.Meeting{}, errStop
}

func testRetention(t *testing.T, s panel.Store) {
	ctx := t.Context()
	clock := &movableClock{t: t0}
	svc := gdprService(t, s, clock, panel.ServiceConfig{})
	pid := gdprPanel(t, svc, "R", 10)
	apply := func(c panel.CallID, who ...osallisuus.ParticipantID) {
		for _, id := range who {
			must[panel.Call](t, "apply")(svc.Apply(ctx, c, panel.Application{Participant: id, Reserve: true}))
		}
	}
	decide := func(c panel.CallID, who ...osallisuus.ParticipantID) {
		for _, id := range who {
			must[panel.Call](t, "screen")(svc.Screen(ctx, c, id, true, ""))
		}
		must[panel.Selection](t, "select")(svc.Select(ctx, c, panel.SelectRequest{Method: panel.MethodFirstCome}))
	}
	newCall := func(closes time.Duration) panel.CallID {
		return must[panel.Call](t, "open call")(svc.OpenCall(ctx, pid, panel.CallID{}, clock.t, clock.t.Add(closes), 1)).ID
	}
	// Early: one call selected at t0+2h, one cancelled with its window ending t0+1h.
	early, cancelled := newCall(time.Hour), newCall(time.Hour)
	apply(early, newID(t), newID(t))
	apply(cancelled, newID(t))
	must[panel.Call](t, "cancel")(svc.CancelCall(ctx, cancelled))
	// Still open for a long time; closed but never decided.
	open, undecided := newCall(800*24*time.Hour), newCall(time.Hour)
	apply(open, newID(t))
	apply(undecided, newID(t))
	clock.t = t0.Add(2 * time.Hour)
	decide(early, collect(t, func(yield func(osallisuus.ParticipantID, error) bool) {
		c, _ := s.GetCall(ctx, early)
		for _, a := range c.Applications {
			if !yield(a.Participant, nil) {
				return
			}
		}
	})...)
	// Late: selected 100 days on.
	clock.t = t0.Add(100 * 24 * time.Hour)
	late := newCall(time.Hour)
	lateWho := newID(t)
	apply(late, lateWho)
	clock.t = clock.t.Add(2 * time.Hour)
	decide(late, lateWho)

	end := osallisuus.Period{Years: 1}.EndAfter(t0.Add(2 * time.Hour))
	clock.t = end.Add(-time.Nanosecond)
	snap := snapshot(t, s)
	rep := must[osallisuus.RetentionReport](t, "retention")(svc.ApplyRetention(ctx))
	if len(rep.Purged) != 0 || !bytes.Equal(snap, snapshot(t, s)) {
		t.Errorf("retention a moment before the first period ended purged %+v; want nothing", rep.Purged)
	}
	clock.t = end
	rep = must[osallisuus.RetentionReport](t, "retention")(svc.ApplyRetention(ctx))
	if rep.Package != "panel" || !rep.At.Equal(end) || !sameJSON(rep.Purged, []osallisuus.ItemCount{{Kind: "applications", Count: 3}}) {
		t.Errorf("retention at the end of the period = %+v; want panel, now, 3 applications (2 selected-call, 1 cancelled-call)", rep)
	}
	for _, tc := range []struct {
		name string
		call panel.CallID
		left int
	}{{"the early selected call", early, 0}, {"the cancelled call", cancelled, 0}, {"the open call", open, 1},
		{"the closed undecided call", undecided, 1}, {"the late selected call", late, 1}} {
		c := must[panel.Call](t, "get call")(s.GetCall(ctx, tc.call))
		if len(c.Applications) != tc.left {
			t.Errorf("%s keeps %d applications, want %d", tc.name, len(c.Applications), tc.left)
		}
		if tc.left == 0 && c.Selection != nil && len(c.Selection.Selected)+len(c.Selection.Reserve)+len(c.Selection.List) != 0 {
			t.Errorf("%s's selection record still names applicants after the purge", tc.name)
		}
	}
	if p := must[panel.Panel](t, "get panel")(s.GetPanel(ctx, pid)); len(p.Members) != 3 {
		t.Errorf("the panel has %d memberships after the purge, want 3: memberships are not applications", len(p.Members))
	}
	snap = snapshot(t, s)
	rep = must[osallisuus.RetentionReport](t, "retention again")(svc.ApplyRetention(ctx))
	if len(rep.Purged) != 0 || rep.Purged == nil || !bytes.Equal(snap, snapshot(t, s)) {
		t.Errorf("a second retention run purged %+v or changed the store; want an empty list and no change", rep.Purged)
	}
	if _, err := panel.NewService(s, participation.ConsentCheckerFunc(allow), people{},
		panel.ServiceConfig{ApplicationRetention: osallisuus.Period{Days: -1}}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("a negative retention: %v, want ErrInvalid", err)
	}
}

func testErasureRacingJoins(t *testing.T, inner panel.Store) {
	s := &checked{Store: inner}
	id, members := seed(t, s, 4, 4, true)
	svc := service(t, s, t0.Add(time.Hour))
	subject := members[0]
	raceFreedSeat(t, s, svc, id, "an erasure", func() error {
		_, err := svc.ErasePersonalData(t.Context(), subject)
		return err
	})
	if bytes.Contains(snapshot(t, s), []byte(subject.String())) {
		t.Error("the erased member's ID is still stored after the race")
	}
	s.report(t)
}

func testErasureRacingRetention(t *testing.T, inner panel.Store) {
	ctx := t.Context()
	s := &checked{Store: inner}
	clock := &movableClock{t: t0}
	svc := gdprService(t, s, clock, panel.ServiceConfig{})
	pid := gdprPanel(t, svc, "R", 1)
	call := must[panel.Call](t, "open call")(svc.OpenCall(ctx, pid, panel.CallID{}, t0, t0.Add(time.Hour), 1)).ID
	subject, other := newID(t), newID(t)
	for _, id := range []osallisuus.ParticipantID{subject, other} {
		must[panel.Call](t, "apply")(svc.Apply(ctx, call, panel.Application{Participant: id}))
	}
	clock.t = t0.Add(2 * time.Hour)
	for _, id := range []osallisuus.ParticipantID{subject, other} {
		must[panel.Call](t, "screen")(svc.Screen(ctx, call, id, true, ""))
	}
	must[panel.Selection](t, "select")(svc.Select(ctx, call, panel.SelectRequest{Method: panel.MethodFirstCome}))
	clock.t = osallisuus.Period{Years: 1}.EndAfter(clock.t)

	var (
		wg      sync.WaitGroup
		purged  osallisuus.RetentionReport
		errs    [2]error
		erasure osallisuus.ErasureReport
	)
	wg.Go(func() { erasure, errs[0] = svc.ErasePersonalData(ctx, subject) })
	wg.Go(func() { purged, errs[1] = svc.ApplyRetention(ctx) })
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("erasure %v, retention %v; want both to succeed", errs[0], errs[1])
	}
	if !sameJSON(purged.Purged, []osallisuus.ItemCount{{Kind: "applications", Count: 2}}) {
		t.Errorf("retention racing an erasure purged %+v; want both applications, each once", purged.Purged)
	}
	if n := counts(erasure.Erased)["applications"]; n > 1 {
		t.Errorf("the erasure counted %d applications; the subject had one", n)
	}
	c := must[panel.Call](t, "get call")(s.GetCall(ctx, call))
	if len(c.Applications) != 0 {
		t.Errorf("the call keeps %d applications after its retention ended", len(c.Applications))
	}
	if bytes.Contains(snapshot(t, s), []byte(subject.String())) {
		t.Error("the erased applicant's ID is still stored after the race")
	}
	s.report(t)
}
