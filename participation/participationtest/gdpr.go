package participationtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// The GDPR subtests of Run (export, erasure and retention, issue 9), driven through
// participation.Service over the stores under test with a manual clock. They need
// Stores.Activities to be a participation.ActivityStore as well, to seed activity
// participation records.

// gdprWorld is a small county: an official, an adult customer (adult), a minor customer
// (minor) and a relative (other), with representations, assessments, consent events and
// activity records between them.
type gdprWorld struct {
	s     participation.Stores
	acts  participation.ActivityStore
	svc   *participation.Service
	clock *ManualClock

	staff, adult, minor, other participation.Participant
	// guardian: adult for minor (cited by a guardian grant); spareGuardian: other for
	// minor (never cited); proxy: other for adult for contact (cited); spareProxy:
	// other for adult for panel-membership (never cited).
	guardian, spareGuardian, proxy, spareProxy participation.Representation
	// mature: minor for contact (cited by a self-maturity grant); spareAssessment: minor
	// for panel-membership (never cited).
	mature, spareAssessment participation.MaturityAssessment
	// events by subject, in ledger order.
	adultEvents, minorEvents []participation.ConsentEvent
	// records by person: minor has three (one cancelled), adult and other one each.
	minorRecords, adultRecords, otherRecords []participation.ParticipationRecord
}

func gdprPolicy() *participation.Policy {
	return &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact"},
		{Name: "panel-membership"},
		{Name: "participation", Basis: participation.BasisPublicTask},
	}}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newGDPRWorld(t *testing.T, s participation.Stores) *gdprWorld {
	t.Helper()
	acts, ok := s.Activities.(participation.ActivityStore)
	if !ok {
		t.Fatalf("Stores.Activities is %T; the GDPR subtests need a participation.ActivityStore there to seed participation records", s.Activities)
	}
	w := &gdprWorld{s: s, acts: acts, clock: &ManualClock{T: at("2026-03-01T08:00:00Z")}}
	svc, err := participation.NewService(s, gdprPolicy(), participation.Config{Clock: w.clock})
	if err != nil {
		t.Fatal(err)
	}
	w.svc = svc
	ctx := t.Context()
	register := func(p participation.Participant) participation.Participant {
		t.Helper()
		p, err := svc.Register(ctx, p)
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		return p
	}
	w.staff = register(participation.Participant{Kind: participation.KindOfficial, Adult: true, Language: "fi"})
	w.adult = register(participation.Participant{Kind: participation.KindCustomer, BirthDate: osallisuus.NewDate(1980, 1, 1), Language: "fi"})
	w.minor = register(participation.Participant{Kind: participation.KindCustomer, BirthDate: osallisuus.NewDate(2012, 3, 1), Language: "sv"})
	w.other = register(participation.Participant{Kind: participation.KindRelative, BirthDate: osallisuus.NewDate(1975, 5, 5)})
	addRep := func(subject, by osallisuus.ParticipantID, kind participation.RepresentationKind, purposes ...string) participation.Representation {
		t.Helper()
		r, err := svc.AddRepresentation(ctx, participation.Representation{Subject: subject, Representative: by, Kind: kind,
			From: osallisuus.NewDate(2012, 3, 1), Purposes: purposes})
		if err != nil {
			t.Fatalf("AddRepresentation: %v", err)
		}
		return r
	}
	w.guardian = addRep(w.minor.ID, w.adult.ID, participation.Guardian)
	w.spareGuardian = addRep(w.minor.ID, w.other.ID, participation.Guardian)
	w.proxy = addRep(w.adult.ID, w.other.ID, participation.Proxy, "contact")
	w.spareProxy = addRep(w.adult.ID, w.other.ID, participation.Proxy, "panel-membership")
	assess := func(purpose string) participation.MaturityAssessment {
		t.Helper()
		a, err := svc.AddAssessment(ctx, participation.MaturityAssessment{Subject: w.minor.ID, By: w.staff.ID,
			At: at("2026-05-01T09:00:00Z"), Purposes: []string{purpose}})
		if err != nil {
			t.Fatalf("AddAssessment: %v", err)
		}
		return a
	}
	w.mature = assess("contact")
	w.spareAssessment = assess("panel-membership")
	record := func(subject, by osallisuus.ParticipantID, action participation.Action, purpose, scope, when string) {
		t.Helper()
		ev, err := svc.Record(ctx, participation.ConsentEvent{At: at(when), Subject: subject, By: by, Action: action,
			Purpose: purpose, Scope: scope, Method: participation.Electronic, NoticeVersion: 1})
		if err != nil {
			t.Fatalf("Record: %v", err)
		}
		if subject == w.adult.ID {
			w.adultEvents = append(w.adultEvents, ev)
		} else {
			w.minorEvents = append(w.minorEvents, ev)
		}
	}
	record(w.adult.ID, w.adult.ID, participation.Grant, "contact", "", "2026-03-02T10:00:00Z")
	record(w.minor.ID, w.adult.ID, participation.Grant, "contact", "", "2026-04-01T10:00:00Z") // guardian
	record(w.adult.ID, w.other.ID, participation.Grant, "contact", "", "2026-04-02T10:00:00Z") // proxy
	record(w.adult.ID, w.adult.ID, participation.Grant, "panel-membership", "panel:north", "2026-04-03T10:00:00Z")
	record(w.minor.ID, w.minor.ID, participation.Grant, "contact", "", "2026-05-10T10:00:00Z") // self-maturity
	record(w.adult.ID, w.adult.ID, participation.Withdraw, "contact", "", "2026-05-20T10:00:00Z")
	if w.minorEvents[0].Authority.Ref != w.guardian.ID.UUID || w.minorEvents[1].Authority.Ref != w.mature.ID.UUID ||
		w.adultEvents[1].Authority.Ref != w.proxy.ID.UUID {
		t.Fatalf("the world's events cite %v, %v, %v; want the guardian, the assessment and the proxy",
			w.minorEvents[0].Authority, w.minorEvents[1].Authority, w.adultEvents[1].Authority)
	}
	act1, act2 := seedAll(t, acts, 0), seedAll(t, acts, 0)
	rec := func(a participation.Activity, seq int64, who osallisuus.ParticipantID, role participation.Role, status participation.RecordStatus) participation.ParticipationRecord {
		r := participation.ParticipationRecord{ID: must(participation.NewRecordID()), Activity: a.ID, Project: a.Project,
			Seq: seq, Who: who, Role: role, Status: status, CreatedAt: actTime, UpdatedAt: actTime, Version: 1}
		if status == participation.StatusAttended {
			r.On = a.Start
		}
		return r
	}
	w.minorRecords = []participation.ParticipationRecord{
		rec(act1, 1, w.minor.ID, participation.RoleCustomer, participation.StatusAttended),
		rec(act2, 1, w.minor.ID, participation.RoleCustomer, participation.StatusCancelled),
		rec(act2, 2, w.minor.ID, participation.RoleCustomer, participation.StatusRegistered),
	}
	w.adultRecords = []participation.ParticipationRecord{rec(act1, 2, w.adult.ID, participation.RoleRelative, participation.StatusRegistered)}
	w.otherRecords = []participation.ParticipationRecord{rec(act2, 3, w.other.ID, participation.RoleRelative, participation.StatusAttended)}
	all := slices.Concat(w.minorRecords, w.adultRecords, w.otherRecords)
	if err := acts.Atomic(ctx, func(tx participation.ActivityTx) error {
		for _, r := range all {
			if err := tx.CreateRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("seeding participation records: %v", err)
	}
	w.clock.T = at("2026-06-01T09:00:00Z")
	return w
}

func (w *gdprWorld) export(t *testing.T, id osallisuus.ParticipantID) participation.PersonalData {
	t.Helper()
	d, err := w.svc.ExportPersonalData(t.Context(), id)
	if err != nil {
		t.Fatalf("ExportPersonalData: %v", err)
	}
	return d
}

func (w *gdprWorld) erase(t *testing.T, id osallisuus.ParticipantID) osallisuus.ErasureReport {
	t.Helper()
	r, err := w.svc.ErasePersonalData(t.Context(), id)
	if err != nil {
		t.Fatalf("ErasePersonalData: %v", err)
	}
	return r
}

func (w *gdprWorld) retention(t *testing.T) osallisuus.RetentionReport {
	t.Helper()
	r, err := w.svc.ApplyRetention(t.Context())
	if err != nil {
		t.Fatalf("ApplyRetention: %v", err)
	}
	return r
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func eventIDs(evs []participation.ConsentEvent) []participation.EventID {
	out := make([]participation.EventID, len(evs))
	for i := range evs {
		out[i] = evs[i].ID
	}
	return out
}

func repIDs(rs []participation.Representation) []participation.RepresentationID {
	out := make([]participation.RepresentationID, len(rs))
	for i := range rs {
		out[i] = rs[i].ID
	}
	return out
}

func recordIDs(rs []participation.ParticipationRecord) []participation.RecordID {
	out := make([]participation.RecordID, len(rs))
	for i := range rs {
		out[i] = rs[i].ID
	}
	slices.SortFunc(out, func(a, b participation.RecordID) int { return bytes.Compare(a.UUID[:], b.UUID[:]) })
	return out
}

func testExportHoldsEverything(t *testing.T, s participation.Stores) {
	w := newGDPRWorld(t, s)
	d := w.export(t, w.adult.ID)
	if d.Subject != w.adult.ID || d.Participant == nil || d.Participant.ID != w.adult.ID ||
		d.Participant.BirthDate != w.adult.BirthDate || d.Participant.Language != "fi" {
		t.Errorf("export participant %+v (subject %v), want the adult's record", d.Participant, d.Subject)
	}
	if got, want := repIDs(d.Representations), repIDs([]participation.Representation{w.proxy, w.spareProxy}); !slices.Equal(got, want) {
		t.Errorf("export representations %v, want the two proxies for the adult %v in registration order", got, want)
	}
	if got := repIDs(d.Representing); !slices.Equal(got, []participation.RepresentationID{w.guardian.ID}) {
		t.Errorf("export representing %v, want the guardianship the adult holds for the minor", got)
	}
	if d.Assessments == nil || len(d.Assessments) != 0 {
		t.Errorf("export assessments %v, want an empty, non-nil list (the assessments are the minor's)", d.Assessments)
	}
	if got, want := eventIDs(d.ConsentEvents), eventIDs(w.adultEvents); !slices.Equal(got, want) {
		t.Errorf("export events %v, want the adult's %v in ledger order and none of the minor's (the guardian grant is the minor's)", got, want)
	}
	if got, want := recordIDs(d.ActivityRecords), recordIDs(w.adultRecords); !slices.Equal(got, want) {
		t.Errorf("export activity records %v, want the adult's %v", got, want)
	}
	type summary struct {
		purpose, scope string
		allowed        bool
		reason         participation.Reason
	}
	var got []summary
	for _, c := range d.Consents {
		got = append(got, summary{c.Query.Purpose, c.Query.Scope, c.Allowed, c.Reason})
		if c.Query.Subject != w.adult.ID || !c.Query.At.Equal(w.clock.T) {
			t.Errorf("consent summary asked %+v, want the adult at the export instant %v", c.Query, w.clock.T)
		}
	}
	want := []summary{{"contact", "", false, participation.ReasonWithdrawn}, {"panel-membership", "panel:north", true, participation.ReasonGranted}}
	if !slices.Equal(got, want) {
		t.Errorf("consent summary %+v, want %+v (one per purpose and scope, sorted)", got, want)
	}
	for _, ev := range d.ConsentEvents {
		if ev.Subject != w.adult.ID {
			t.Errorf("export holds an event of %v", ev.Subject)
		}
	}
	for _, r := range d.ActivityRecords {
		if r.Who != w.adult.ID {
			t.Errorf("export holds a record of %v", r.Who)
		}
	}

	unknown := w.export(t, newPID(t))
	js := jsonOf(t, unknown)
	for _, frag := range []string{`"participant":null`, `"representations":[]`, `"representing":[]`, `"assessments":[]`,
		`"consentEvents":[]`, `"consents":[]`, `"activityRecords":[]`} {
		if !bytes.Contains([]byte(js), []byte(frag)) {
			t.Errorf("export of an unknown ID is %s; want it to hold %s", js, frag)
		}
	}
}

func testErasureBlanksAndKeepsAggregates(t *testing.T, s participation.Stores) {
	w := newGDPRWorld(t, s)
	ctx := t.Context()
	adultBefore := jsonOf(t, w.export(t, w.adult.ID))
	before := collect(t, w.acts.ListRecords(ctx, participation.RecordFilter{}))
	rep := w.erase(t, w.minor.ID)
	proofUntil := osallisuus.NewDate(2029, 6, 1)
	if rep.Package != "participation" || rep.Subject != w.minor.ID || !rep.At.Equal(w.clock.T) {
		t.Errorf("report heading %q %v %v, want participation, the minor, %v", rep.Package, rep.Subject, rep.At, w.clock.T)
	}
	wantErased := []osallisuus.ItemCount{{Kind: "participant-attributes", Count: 1}, {Kind: "representations", Count: 1},
		{Kind: "assessments", Count: 1}, {Kind: "activity-records", Count: 3}}
	if !slices.Equal(rep.Erased, wantErased) {
		t.Errorf("Erased %+v, want %+v", rep.Erased, wantErased)
	}
	wantRetained := []osallisuus.Retained{
		{Kind: "participant", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "consent-events", Count: 2, Basis: osallisuus.BasisConsentProof, Until: proofUntil},
		{Kind: "representations", Count: 1, Basis: osallisuus.BasisConsentProof, Until: proofUntil},
		{Kind: "assessments", Count: 1, Basis: osallisuus.BasisConsentProof, Until: proofUntil},
		{Kind: "activity-records", Count: 3, Basis: osallisuus.BasisAggregate},
	}
	if !slices.Equal(rep.Retained, wantRetained) {
		t.Errorf("Retained %+v, want %+v", rep.Retained, wantRetained)
	}

	p, err := s.Participants.GetParticipant(ctx, w.minor.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Erased() || !p.ErasedAt.Equal(w.clock.T) || p.ProofUntil != proofUntil || !p.BirthDate.IsZero() ||
		p.Adult || p.Language != "" || p.Kind != participation.KindCustomer || p.AnonymisedRecords != 3 {
		t.Errorf("erased participant %+v: want the marker (erased now, proof until %v, 3 records), blank attributes, kind kept", p, proofUntil)
	}
	d := w.export(t, w.minor.ID)
	if got := repIDs(d.Representations); !slices.Equal(got, []participation.RepresentationID{w.guardian.ID}) {
		t.Errorf("representations after erasure %v, want only the cited guardianship", got)
	}
	if len(d.Assessments) != 1 || d.Assessments[0].ID != w.mature.ID {
		t.Errorf("assessments after erasure %+v, want only the cited one", d.Assessments)
	}
	if jsonOf(t, d.ConsentEvents) != jsonOf(t, w.minorEvents) {
		t.Errorf("consent events after erasure %+v, want them unchanged %+v", d.ConsentEvents, w.minorEvents)
	}
	if len(d.ActivityRecords) != 0 {
		t.Errorf("%d records still list under the erased person", len(d.ActivityRecords))
	}
	for _, c := range d.Consents {
		if c.Allowed || c.Reason != participation.ReasonErased {
			t.Errorf("consent summary of an erased person %+v, want erased", c)
		}
	}

	after := collect(t, w.acts.ListRecords(ctx, participation.RecordFilter{}))
	if len(after) != len(before) {
		t.Fatalf("%d records after erasure, want all %d kept", len(after), len(before))
	}
	var tomb osallisuus.ParticipantID
	for i := range after {
		b, a := before[i], after[i]
		if b.Who != w.minor.ID {
			if jsonOf(t, a) != jsonOf(t, b) {
				t.Errorf("another person's record changed: %+v, was %+v", a, b)
			}
			continue
		}
		if tomb.IsZero() {
			tomb = a.Who
		}
		if a.Who.IsZero() || a.Who == w.minor.ID || a.Who != tomb {
			t.Errorf("anonymised record's Who %v: want one tombstone for all the person's records", a.Who)
		}
		if a.ID != b.ID || a.Activity != b.Activity || a.Seq != b.Seq || a.Role != b.Role || a.Status != b.Status ||
			a.On != b.On || a.Version != b.Version+1 || !a.UpdatedAt.Equal(w.clock.T) {
			t.Errorf("anonymised record %+v, was %+v: only Who, UpdatedAt and Version may change", a, b)
		}
	}
	distinct := func(rs []participation.ParticipationRecord) int {
		seen := map[osallisuus.ParticipantID]bool{}
		for _, r := range rs {
			seen[r.Who] = true
		}
		return len(seen)
	}
	if distinct(after) != distinct(before) {
		t.Errorf("%d distinct people in the records after erasure, %d before: the reports' counts must not change", distinct(after), distinct(before))
	}
	if got := jsonOf(t, w.export(t, w.adult.ID)); got != adultBefore {
		t.Errorf("erasing the minor changed the adult's export:\n%s\nwas\n%s", got, adultBefore)
	}
	erased := collect(t, s.Participants.ListParticipants(ctx, participation.ParticipantFilter{Erased: true}))
	if len(erased) != 1 || erased[0].ID != w.minor.ID {
		t.Errorf("ListParticipants(Erased) gave %d participants, want only the minor", len(erased))
	}
}

func testErasedPersonIsRefused(t *testing.T, s participation.Stores) {
	w := newGDPRWorld(t, s)
	ctx := t.Context()
	w.erase(t, w.minor.ID)
	for _, purpose := range []string{"contact", "participation"} {
		d, err := w.svc.CheckConsent(ctx, participation.ConsentQuery{Subject: w.minor.ID, Purpose: purpose, At: w.clock.T})
		if err != nil || d.Allowed || d.Reason != participation.ReasonErased {
			t.Errorf("CheckConsent(%s) of an erased person = %+v, %v; want denied, erased", purpose, d, err)
		}
	}
	isErased := func(op string, err error) {
		t.Helper()
		re, ok := errors.AsType[*osallisuus.RuleError](err)
		if !ok || !errors.Is(err, osallisuus.ErrForbidden) || !slices.Equal(re.Reasons, []osallisuus.Reason{participation.ReasonErased}) {
			t.Errorf("%s for an erased person: %v; want a RuleError, forbidden, reason erased", op, err)
		}
	}
	_, err := w.svc.Record(ctx, participation.ConsentEvent{At: w.clock.T, Subject: w.minor.ID, By: w.adult.ID,
		Action: participation.Grant, Purpose: "panel-membership", Method: participation.Written, NoticeVersion: 1})
	isErased("Record", err)
	_, err = w.svc.AddRepresentation(ctx, participation.Representation{Subject: w.minor.ID, Representative: w.other.ID, Kind: participation.Guardian})
	isErased("AddRepresentation", err)
	_, err = w.svc.AddRepresentation(ctx, participation.Representation{Subject: w.other.ID, Representative: w.minor.ID, Kind: participation.Proxy, Purposes: []string{"contact"}})
	isErased("AddRepresentation with an erased representative", err)
	_, err = w.svc.AddAssessment(ctx, participation.MaturityAssessment{Subject: w.minor.ID, By: w.staff.ID, At: w.clock.T, Purposes: []string{"panel-membership"}})
	isErased("AddAssessment", err)
	_, err = w.svc.Register(ctx, participation.Participant{ID: w.minor.ID, Kind: participation.KindCustomer})
	checkKind(t, "Register of an erased ID", err, osallisuus.ErrConflict)
	if evs := collect(t, s.Ledger.Events(ctx, w.minor.ID)); len(evs) != len(w.minorEvents) {
		t.Errorf("%d events after refused records, want %d", len(evs), len(w.minorEvents))
	}
	d, err := w.svc.CheckConsent(ctx, participation.ConsentQuery{Subject: w.adult.ID, Purpose: "panel-membership", Scope: "panel:north", At: w.clock.T})
	if err != nil || !d.Allowed {
		t.Errorf("CheckConsent of another person = %+v, %v; want their grant to stand", d, err)
	}
}

func testErasureIsIdempotent(t *testing.T, s participation.Stores) {
	w := newGDPRWorld(t, s)
	first := w.erase(t, w.adult.ID)
	proofUntil := osallisuus.NewDate(2029, 6, 1)
	wantRetained := []osallisuus.Retained{
		{Kind: "participant", Count: 1, Basis: osallisuus.BasisAggregate},
		{Kind: "consent-events", Count: 4, Basis: osallisuus.BasisConsentProof, Until: proofUntil},
		{Kind: "representations", Count: 1, Basis: osallisuus.BasisConsentProof, Until: proofUntil},
		{Kind: "representations-for-others", Count: 1, Basis: osallisuus.BasisConsentProof},
		{Kind: "activity-records", Count: 1, Basis: osallisuus.BasisAggregate},
	}
	if !slices.Equal(first.Retained, wantRetained) {
		t.Errorf("first erasure retained %+v, want %+v", first.Retained, wantRetained)
	}
	wantErased := []osallisuus.ItemCount{{Kind: "participant-attributes", Count: 1}, {Kind: "representations", Count: 1},
		{Kind: "activity-records", Count: 1}}
	if !slices.Equal(first.Erased, wantErased) {
		t.Errorf("first erasure erased %+v, want %+v", first.Erased, wantErased)
	}
	firstExport := w.export(t, w.adult.ID)
	firstExport.Consents = nil // decided at each export's own instant
	exported := jsonOf(t, firstExport)
	records := jsonOf(t, collect(t, w.acts.ListRecords(t.Context(), participation.RecordFilter{})))
	w.clock.T = w.clock.T.Add(36 * time.Hour)
	second := w.erase(t, w.adult.ID)
	if second.Erased == nil || len(second.Erased) != 0 {
		t.Errorf("second erasure erased %+v, want an empty, non-nil list", second.Erased)
	}
	if !slices.Equal(second.Retained, first.Retained) {
		t.Errorf("second erasure retained %+v, want the same as the first %+v", second.Retained, first.Retained)
	}
	if !second.At.Equal(w.clock.T) {
		t.Errorf("second erasure At %v, want now %v", second.At, w.clock.T)
	}
	d := w.export(t, w.adult.ID)
	d.Consents = nil
	if got := jsonOf(t, d); got != exported {
		t.Errorf("erasing again changed the stored data:\n%s\nwas\n%s", got, exported)
	}
	if got := jsonOf(t, collect(t, w.acts.ListRecords(t.Context(), participation.RecordFilter{}))); got != records {
		t.Errorf("erasing again changed the activity records")
	}

	none := w.erase(t, newPID(t))
	if len(none.Erased) != 0 || len(none.Retained) != 0 || none.Erased == nil || none.Retained == nil {
		t.Errorf("erasing an unknown ID reported %+v, want empty, non-nil lists", none)
	}
	if js := jsonOf(t, none); !bytes.Contains([]byte(js), []byte(`"erased":[]`)) {
		t.Errorf("empty report encodes as %s, want \"erased\":[]", js)
	}
}

func testRetentionPurgesOnlyWhatExpired(t *testing.T, s participation.Stores) {
	w := newGDPRWorld(t, s)
	ctx := t.Context()
	w.erase(t, w.minor.ID) // 2026-06-01: proof until 2029-06-01
	w.clock.T = at("2026-09-01T09:00:00Z")
	w.erase(t, w.adult.ID) // proof until 2029-09-01
	if r := w.retention(t); len(r.Purged) != 0 || r.Purged == nil || r.Package != "participation" {
		t.Errorf("retention right after erasure purged %+v, want nothing (an empty list)", r)
	}
	w.clock.T = at("2029-06-01T20:59:59Z") // 23:59:59 in Helsinki on ProofUntil, the last day kept
	if r := w.retention(t); len(r.Purged) != 0 {
		t.Errorf("retention on ProofUntil purged %+v, want nothing: the proof is kept through that day", r.Purged)
	}
	w.clock.T = at("2029-06-01T21:00:00Z") // 2029-06-02 00:00 in Helsinki
	r := w.retention(t)
	want := []osallisuus.ItemCount{{Kind: "consent-events", Count: 2}, {Kind: "representations", Count: 1}, {Kind: "assessments", Count: 1}}
	if !slices.Equal(r.Purged, want) || !r.At.Equal(w.clock.T) {
		t.Errorf("retention the day after ProofUntil (Helsinki date) purged %+v at %v, want %+v", r.Purged, r.At, want)
	}
	m := w.export(t, w.minor.ID)
	if len(m.ConsentEvents)+len(m.Representations)+len(m.Assessments) != 0 || m.Participant == nil || !m.Participant.Erased() {
		t.Errorf("after the purge the minor's export is %s; want only the erased participant row", jsonOf(t, m))
	}
	a := w.export(t, w.adult.ID)
	if got, wantIDs := eventIDs(a.ConsentEvents), eventIDs(w.adultEvents); !slices.Equal(got, wantIDs) {
		t.Errorf("the adult's events (proof until 2029-09-01) are %v, want all kept %v", got, wantIDs)
	}
	if got := repIDs(a.Representations); !slices.Equal(got, []participation.RepresentationID{w.proxy.ID}) {
		t.Errorf("the adult's representations %v, want the cited proxy kept", got)
	}
	if r := w.retention(t); len(r.Purged) != 0 {
		t.Errorf("running retention again purged %+v, want nothing", r.Purged)
	}
	d, err := w.svc.CheckConsent(ctx, participation.ConsentQuery{Subject: w.minor.ID, Purpose: "contact", At: w.clock.T})
	if err != nil || d.Reason != participation.ReasonErased {
		t.Errorf("CheckConsent after the purge = %+v, %v; want erased", d, err)
	}
	w.clock.T = at("2029-09-02T06:00:00Z")
	r = w.retention(t)
	want = []osallisuus.ItemCount{{Kind: "consent-events", Count: 4}, {Kind: "representations", Count: 1}}
	if !slices.Equal(r.Purged, want) {
		t.Errorf("retention the day after the adult's ProofUntil purged %+v, want %+v", r.Purged, want)
	}
	if o := w.export(t, w.other.ID); o.Participant == nil || o.Participant.Erased() || o.Participant.BirthDate != w.other.BirthDate {
		t.Errorf("a person never erased changed: %+v", o.Participant)
	}
}

func testErasureMarkerReadsBack(t *testing.T, s participation.Stores) {
	ctx := t.Context()
	p := seedParticipant(t, s, participation.KindCustomer)
	plain := seedParticipant(t, s, participation.KindCustomer)
	erasedAt := time.Date(2026, 6, 1, 9, 0, 0, 123456789, time.UTC)
	got, err := s.Participants.UpdateParticipant(ctx, p.ID, func(p *participation.Participant) error {
		p.ErasedAt, p.ProofUntil, p.AnonymisedRecords = erasedAt, osallisuus.NewDate(2029, 6, 1), 7
		p.BirthDate, p.Language = osallisuus.Date{}, ""
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read, err := s.Participants.GetParticipant(ctx, p.ID)
	if err != nil || !sameParticipant(read, got) || !read.ErasedAt.Equal(erasedAt) ||
		read.ProofUntil != osallisuus.NewDate(2029, 6, 1) || read.AnonymisedRecords != 7 {
		t.Errorf("erased participant reads back as %+v, %v; want the marker to the nanosecond (%+v)", read, err, got)
	}
	if back, _ := s.Participants.GetParticipant(ctx, plain.ID); back.Erased() || !back.ProofUntil.IsZero() || back.AnonymisedRecords != 0 {
		t.Errorf("a participant never erased reads back with a marker: %+v", back)
	}
	erased := collect(t, s.Participants.ListParticipants(ctx, participation.ParticipantFilter{Erased: true}))
	if len(erased) != 1 || erased[0].ID != p.ID || !erased[0].ErasedAt.Equal(erasedAt) {
		t.Errorf("ListParticipants(Erased) = %+v, want only the erased one", erased)
	}
	all := collect(t, s.Participants.ListParticipants(ctx, participation.ParticipantFilter{}))
	if len(all) != 2 {
		t.Errorf("the zero filter listed %d, want both", len(all))
	}
}

func testDeleteEvents(t *testing.T, s participation.Stores) {
	ctx := t.Context()
	gone, kept := seedParticipant(t, s, participation.KindCustomer), seedParticipant(t, s, participation.KindCustomer)
	var last int64
	var keptIDs []participation.EventID
	for i := range 3 {
		for _, p := range []participation.Participant{gone, kept} {
			ev, err := s.Ledger.Append(ctx, sampleEvent(p.ID, baseTime.Add(time.Duration(i)*time.Minute)))
			if err != nil {
				t.Fatal(err)
			}
			last = ev.Seq
			if p.ID == kept.ID {
				keptIDs = append(keptIDs, ev.ID)
			}
		}
	}
	n, err := s.Ledger.DeleteEvents(ctx, gone.ID)
	if err != nil || n != 3 {
		t.Errorf("DeleteEvents = %d, %v; want 3", n, err)
	}
	if evs := collect(t, s.Ledger.Events(ctx, gone.ID)); len(evs) != 0 {
		t.Errorf("%d events left after DeleteEvents", len(evs))
	}
	if got := eventIDs(collect(t, s.Ledger.Events(ctx, kept.ID))); !slices.Equal(got, keptIDs) {
		t.Errorf("another subject's events are %v after DeleteEvents, want %v unchanged", got, keptIDs)
	}
	if a, ok := s.Ledger.(participation.EventAppender); ok {
		if evs, err := a.AppendEvents(ctx, gone.ID, nil); err != nil || len(evs) != 0 {
			t.Errorf("AppendEvents after DeleteEvents = %d events, %v; want none", len(evs), err)
		}
	}
	if n, err := s.Ledger.DeleteEvents(ctx, gone.ID); err != nil || n != 0 {
		t.Errorf("DeleteEvents again = %d, %v; want 0, nil", n, err)
	}
	ev, err := s.Ledger.Append(ctx, sampleEvent(gone.ID, baseTime))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Seq <= last {
		t.Errorf("an append after DeleteEvents took position %d, want above %d: positions are never reused", ev.Seq, last)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Ledger.DeleteEvents(cctx, kept.ID)
	checkKind(t, "DeleteEvents with a canceled context", err, context.Canceled)
	if got := collect(t, s.Ledger.Events(ctx, kept.ID)); len(got) != 3 {
		t.Errorf("a canceled DeleteEvents left %d events, want 3", len(got))
	}
}

func testDeleteRepresentationsAndAssessments(t *testing.T, s participation.Stores) {
	ctx := t.Context()
	subject, holder := seedParticipant(t, s, participation.KindCustomer), seedParticipant(t, s, participation.KindRelative)
	staff := seedParticipant(t, s, participation.KindOfficial)
	var held []participation.Representation
	for _, sub := range []osallisuus.ParticipantID{subject.ID, seedParticipant(t, s, participation.KindCustomer).ID, subject.ID} {
		r := newRepresentation(t, sub, holder.ID, participation.Proxy)
		if err := s.Representations.CreateRepresentation(ctx, r); err != nil {
			t.Fatal(err)
		}
		held = append(held, r)
	}
	other := newRepresentation(t, subject.ID, seedParticipant(t, s, participation.KindRelative).ID, participation.Guardian)
	if err := s.Representations.CreateRepresentation(ctx, other); err != nil {
		t.Fatal(err)
	}
	got := collect(t, s.Representations.RepresentedBy(ctx, holder.ID))
	if len(got) != 3 {
		t.Fatalf("RepresentedBy listed %d, want the holder's 3", len(got))
	}
	for i := range held {
		if !sameRepresentation(got[i], held[i]) {
			t.Errorf("RepresentedBy[%d] = %+v, want %+v: in registration order, unchanged", i, got[i], held[i])
		}
	}
	if err := s.Representations.DeleteRepresentation(ctx, held[0].ID); err != nil {
		t.Fatalf("DeleteRepresentation: %v", err)
	}
	_, err := s.Representations.GetRepresentation(ctx, held[0].ID)
	checkKind(t, "GetRepresentation after delete", err, osallisuus.ErrNotFound)
	checkKind(t, "DeleteRepresentation again", s.Representations.DeleteRepresentation(ctx, held[0].ID), osallisuus.ErrNotFound)
	if ids := repIDs(collect(t, s.Representations.RepresentedBy(ctx, holder.ID))); !slices.Equal(ids, repIDs(held[1:])) {
		t.Errorf("RepresentedBy after delete %v, want %v", ids, repIDs(held[1:]))
	}
	if ids := repIDs(collect(t, s.Representations.Representations(ctx, subject.ID))); !slices.Equal(ids, []participation.RepresentationID{held[2].ID, other.ID}) {
		t.Errorf("Representations after delete %v, want the other two of the subject in order", ids)
	}
	if err := s.Representations.CreateRepresentation(ctx, held[0]); err != nil {
		t.Errorf("creating a deleted ID again: %v; want it free", err)
	}

	var as []participation.MaturityAssessment
	for range 2 {
		a := participation.MaturityAssessment{ID: must(participation.NewAssessmentID()), Subject: subject.ID, By: staff.ID,
			At: baseTime, Purposes: []string{"contact"}, CreatedAt: baseTime}
		if err := s.Representations.CreateAssessment(ctx, a); err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	if err := s.Representations.DeleteAssessment(ctx, as[0].ID); err != nil {
		t.Fatalf("DeleteAssessment: %v", err)
	}
	checkKind(t, "DeleteAssessment again", s.Representations.DeleteAssessment(ctx, as[0].ID), osallisuus.ErrNotFound)
	if left := collect(t, s.Representations.Assessments(ctx, subject.ID)); len(left) != 1 || left[0].ID != as[1].ID {
		t.Errorf("assessments after delete %+v, want only the second", left)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	checkKind(t, "DeleteRepresentation with a canceled context", s.Representations.DeleteRepresentation(cctx, other.ID), context.Canceled)
	checkKind(t, "DeleteAssessment with a canceled context", s.Representations.DeleteAssessment(cctx, as[1].ID), context.Canceled)
	_, err = participation.Collect(s.Representations.RepresentedBy(cctx, holder.ID))
	checkKind(t, "RepresentedBy with a canceled context", err, context.Canceled)
}

func testAnonymiseRecords(t *testing.T, s participation.Stores) {
	acts, ok := s.Activities.(participation.ActivityStore)
	if !ok {
		t.Fatalf("Stores.Activities is %T; want a participation.ActivityStore", s.Activities)
	}
	ctx := t.Context()
	a1, a2 := seedAll(t, acts, 0), seedAll(t, acts, 0)
	who, other, tomb := newPID(t), newPID(t), newPID(t)
	var mine []participation.ParticipationRecord
	if err := acts.Atomic(ctx, func(tx participation.ActivityTx) error {
		mine = mine[:0]
		for i, x := range []struct {
			a   participation.Activity
			who osallisuus.ParticipantID
		}{{a1, who}, {a1, other}, {a2, who}} {
			r := participation.ParticipationRecord{ID: must(participation.NewRecordID()), Activity: x.a.ID, Project: x.a.Project,
				Seq: int64(i + 1), Who: x.who, Role: participation.RoleCustomer, Status: participation.StatusRegistered,
				CreatedAt: actTime, UpdatedAt: actTime, Version: 1}
			if err := tx.CreateRecord(ctx, r); err != nil {
				return err
			}
			if x.who == who {
				mine = append(mine, r)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	otherBefore := jsonOf(t, collect(t, acts.ListRecords(ctx, participation.RecordFilter{Who: other})))
	for _, bad := range [][2]osallisuus.ParticipantID{{{}, tomb}, {who, {}}, {who, who}} {
		_, err := s.Activities.AnonymiseRecords(ctx, bad[0], bad[1], baseTime)
		checkKind(t, "AnonymiseRecords with a zero or equal ID", err, osallisuus.ErrInvalid)
	}
	n, err := s.Activities.AnonymiseRecords(ctx, who, tomb, baseTime)
	if err != nil || n != 2 {
		t.Fatalf("AnonymiseRecords = %d, %v; want 2", n, err)
	}
	if left := collect(t, s.Activities.ListRecords(ctx, participation.RecordFilter{Who: who})); len(left) != 0 {
		t.Errorf("%d records still list under the person", len(left))
	}
	got := collect(t, s.Activities.ListRecords(ctx, participation.RecordFilter{Who: tomb}))
	if ids := recordIDs(got); !slices.Equal(ids, recordIDs(mine)) {
		t.Errorf("records under the tombstone %v, want the person's %v", ids, recordIDs(mine))
	}
	for _, r := range got {
		if r.Version != 2 || !r.UpdatedAt.Equal(baseTime) || r.Status != participation.StatusRegistered || r.Seq == 0 {
			t.Errorf("anonymised record %+v: want Version 2, UpdatedAt set, the rest kept", r)
		}
	}
	if jsonOf(t, collect(t, acts.ListRecords(ctx, participation.RecordFilter{Who: other}))) != otherBefore {
		t.Errorf("another person's record changed")
	}
	if n, err := s.Activities.AnonymiseRecords(ctx, who, newPID(t), baseTime); err != nil || n != 0 {
		t.Errorf("AnonymiseRecords again = %d, %v; want 0, nil", n, err)
	}
	roster, err := func() (participation.Roster, error) {
		var r participation.Roster
		err := acts.Atomic(ctx, func(tx participation.ActivityTx) error {
			var err error
			r, err = tx.Roster(ctx, a1.ID)
			return err
		})
		return r, err
	}()
	if err != nil || roster.Latest(tomb) < 0 || roster.Latest(who) >= 0 {
		t.Errorf("the roster after anonymising: %+v, %v; want the tombstone in the person's place", roster.Records, err)
	}
}
