package participationtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// RunActivities checks that the stores from newStore behave as participation.ActivityStore
// documents: organisations, projects, activities, participation records, outcomes and
// atomic transactions, including the registration race for the last places and the
// cancellation that promotes from the waitlist in the same step. newStore is called once
// per subtest and returns an empty store; clean up with t.Cleanup. Every backend runs it
// unchanged.
func RunActivities(t *testing.T, newStore func(t *testing.T) participation.ActivityStore) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(*testing.T, participation.ActivityStore)
	}{
		{"OrganisationsReadBackAndListInIDOrder", testOrganisations},
		{"ProjectsFilterByOrganisationAndUpdateAddsOneToVersion", testProjects},
		{"CreateWithZeroOrExistingIDFails", testActivityCreateErrors},
		{"ActivityReadsBackAsACopy", testActivityRoundTrip},
		{"UpdateActivityAddsOneToVersionAndKeepsIdentity", testActivityUpdate},
		{"FailedUpdateSavesNothing", testActivityFailedUpdate},
		{"ListActivitiesFiltersAndPagesInIDOrder", testActivityList},
		{"AtomicCommitsRecordsTogetherOrNotAtAll", testAtomicAllOrNothing},
		{"RosterListsRecordsInSeqOrderWithOwnWrites", testRosterOrder},
		{"RecordErrors", testRecordErrors},
		{"StaleRecordUpdateIsConflict", testStaleRecord},
		{"ListRecordsFiltersByActivityPersonProjectStatusAndRole", testRecordList},
		{"OutcomesAreStoredAndListedByActivity", testOutcomes},
		{"RegistrationRaceForTheLastPlaces", testRegistrationRace},
		{"CancellationPromotesInTheSameStep", testCancellationPromotes},
		{"ConcurrentCancellationsAndRegistrationsKeepTheCapacity", testChurn},
		{"CanceledContextIsReturned", testActivityCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
}

var actTime = time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC)

// must returns v, panicking on err: for making IDs, which fails only when the system's
// random source does.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	out, err := participation.Collect(seq)
	if err != nil {
		t.Fatalf("listing: %v", err)
	}
	return out
}

func getActivity(t *testing.T, s participation.ActivityStore, id participation.ActivityID) participation.Activity {
	t.Helper()
	a, err := s.GetActivity(t.Context(), id)
	if err != nil {
		t.Fatalf("GetActivity: %v", err)
	}
	return a
}

func getProject(t *testing.T, s participation.ActivityStore, id participation.ProjectID) participation.Project {
	t.Helper()
	p, err := s.GetProject(t.Context(), id)
	if err != nil {
		t.Fatalf("GetProject: %v", err)
	}
	return p
}

func seedOrg(t *testing.T, s participation.ActivityStore, parent participation.OrganisationID) participation.Organisation {
	t.Helper()
	o := participation.Organisation{ID: must(participation.NewOrganisationID()), Sector: participation.SectorPublic,
		Parent: parent, Name: osallisuus.Text{FI: "Keskus", SV: "Centralen"}, CreatedAt: actTime, Version: 1}
	if !parent.IsZero() {
		o.Sector = ""
	}
	if err := s.CreateOrganisation(t.Context(), o); err != nil {
		t.Fatalf("CreateOrganisation: %v", err)
	}
	return o
}

func seedProject(t *testing.T, s participation.ActivityStore, org participation.OrganisationID) participation.Project {
	t.Helper()
	p := participation.Project{ID: must(participation.NewProjectID()), Organisation: org,
		PlanDate: osallisuus.NewDate(2026, 3, 15), CreatedAt: actTime, Version: 1}
	if err := s.CreateProject(t.Context(), p); err != nil {
		t.Fatalf("CreateProject: %v", err)
	}
	return p
}

func seedActivity(t *testing.T, s participation.ActivityStore, org participation.OrganisationID, proj participation.ProjectID, capacity int) participation.Activity {
	t.Helper()
	a := participation.Activity{ID: must(participation.NewActivityID()), Organisation: org, Project: proj,
		Kind: participation.ActivityWorkshop, Phase: participation.PhasePlanning, Level: participation.LevelInvolve,
		Start: osallisuus.NewDate(2026, 3, 20), End: osallisuus.NewDate(2026, 3, 21),
		Languages:     []participation.Language{participation.LanguageFinnish, participation.LanguageSignLang},
		Accessibility: "induction loop", Capacity: capacity, CreatedAt: actTime, Version: 1}
	if err := s.CreateActivity(t.Context(), a); err != nil {
		t.Fatalf("CreateActivity: %v", err)
	}
	return a
}

func seedAll(t *testing.T, s participation.ActivityStore, capacity int) participation.Activity {
	t.Helper()
	o := seedOrg(t, s, participation.OrganisationID{})
	p := seedProject(t, s, o.ID)
	return seedActivity(t, s, o.ID, p.ID, capacity)
}

func allow(a *participation.Activity, who osallisuus.ParticipantID, now time.Time) participation.ConsentDecision {
	return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonNotRequired,
		Query: a.ConsentFor(who, "participation", now)}
}

// register runs the registration rule inside a transaction, as the service does.
func register(ctx context.Context, s participation.ActivityStore, id participation.ActivityID, who osallisuus.ParticipantID) (participation.Registration, error) {
	recID, err := participation.NewRecordID()
	if err != nil {
		return participation.Registration{}, err
	}
	var reg participation.Registration
	err = s.Atomic(ctx, func(tx participation.ActivityTx) error {
		r, err := tx.Roster(ctx, id)
		if err != nil {
			return err
		}
		rec, pos, err := participation.Register(r, who, participation.RoleCustomer, allow(&r.Activity, who, actTime), actTime)
		if err != nil {
			return err
		}
		rec.ID, rec.Version = recID, 1
		reg = participation.Registration{Record: rec, Position: pos}
		return tx.CreateRecord(ctx, rec)
	})
	return reg, err
}

func roster(t *testing.T, s participation.ActivityStore, id participation.ActivityID) participation.Roster {
	t.Helper()
	var out participation.Roster
	err := s.Atomic(t.Context(), func(tx participation.ActivityTx) error {
		r, err := tx.Roster(t.Context(), id)
		out = r
		return err
	})
	if err != nil {
		t.Fatalf("Roster: %v", err)
	}
	return out
}

func byID[T any](key func(T) [16]byte) func(a, b T) int {
	return func(a, b T) int { ka, kb := key(a), key(b); return bytes.Compare(ka[:], kb[:]) }
}

func testOrganisations(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	root := seedOrg(t, s, participation.OrganisationID{})
	unit := seedOrg(t, s, root.ID)
	got, err := s.GetOrganisation(ctx, unit.ID)
	if err != nil {
		t.Fatalf("GetOrganisation: %v", err)
	}
	if got.ID != unit.ID || got.Parent != root.ID || got.Version != 1 || got.Name != unit.Name || !got.CreatedAt.Equal(actTime) {
		t.Errorf("GetOrganisation = %+v, want what was created with Version 1", got)
	}
	checkKind(t, "CreateOrganisation twice", s.CreateOrganisation(ctx, root), osallisuus.ErrConflict)
	checkKind(t, "CreateOrganisation zero ID", s.CreateOrganisation(ctx, participation.Organisation{Sector: participation.SectorThird}), osallisuus.ErrInvalid)
	_, err = s.GetOrganisation(ctx, participation.OrganisationID{UUID: must(osallisuus.NewUUID())})
	checkKind(t, "GetOrganisation unknown", err, osallisuus.ErrNotFound)
	list := collect(t, (s.ListOrganisations(ctx)))
	want := []participation.OrganisationID{root.ID, unit.ID}
	slices.SortFunc(want, byID(func(id participation.OrganisationID) [16]byte { return id.UUID }))
	if len(list) != 2 || list[0].ID != want[0] || list[1].ID != want[1] {
		t.Errorf("ListOrganisations gave %d organisations, want both in ID order", len(list))
	}
}

func testProjects(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a, b := seedOrg(t, s, participation.OrganisationID{}), seedOrg(t, s, participation.OrganisationID{})
	p1, p2, p3 := seedProject(t, s, a.ID), seedProject(t, s, b.ID), seedProject(t, s, a.ID)
	checkKind(t, "CreateProject twice", s.CreateProject(ctx, p1), osallisuus.ErrConflict)
	checkKind(t, "CreateProject zero ID", s.CreateProject(ctx, participation.Project{Organisation: a.ID}), osallisuus.ErrInvalid)
	_, err := s.GetProject(ctx, participation.ProjectID{UUID: must(osallisuus.NewUUID())})
	checkKind(t, "GetProject unknown", err, osallisuus.ErrNotFound)
	ofA := collect(t, (s.ListProjects(ctx, participation.ProjectFilter{Organisation: a.ID})))
	want := []participation.ProjectID{p1.ID, p3.ID}
	slices.SortFunc(want, byID(func(id participation.ProjectID) [16]byte { return id.UUID }))
	if len(ofA) != 2 || ofA[0].ID != want[0] || ofA[1].ID != want[1] {
		t.Errorf("ListProjects of one organisation gave %d, want its 2 in ID order", len(ofA))
	}
	all := collect(t, (s.ListProjects(ctx, participation.ProjectFilter{Limit: 2})))
	if len(all) != 2 {
		t.Errorf("ListProjects with Limit 2 gave %d", len(all))
	}
	rest := collect(t, (s.ListProjects(ctx, participation.ProjectFilter{After: all[1].ID})))
	if len(rest) != 1 {
		t.Errorf("ListProjects after the second gave %d, want 1 (three projects)", len(rest))
	}
	_ = p2
	moved := osallisuus.NewDate(2026, 4, 1)
	up, err := s.UpdateProject(ctx, p1.ID, func(p *participation.Project) error { p.PlanDate = moved; return nil })
	if err != nil {
		t.Fatalf("UpdateProject: %v", err)
	}
	if up.Version != 2 || up.PlanDate != moved {
		t.Errorf("UpdateProject = version %d plan %s, want 2 and %s: each update adds 1", up.Version, up.PlanDate, moved)
	}
	got := getProject(t, s, p1.ID)
	if got.Version != 2 || got.PlanDate != moved {
		t.Errorf("GetProject after update = version %d plan %s", got.Version, got.PlanDate)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateProject(ctx, p1.ID, func(p *participation.Project) error { p.PlanDate = osallisuus.NewDate(2027, 1, 1); return boom }); !errors.Is(err, boom) {
		t.Errorf("UpdateProject with failing fn: %v, want fn's error", err)
	}
	if got := getProject(t, s, p1.ID); got.Version != 2 || got.PlanDate != moved {
		t.Errorf("a failed update changed the project: %+v", got)
	}
	_, err = s.UpdateProject(ctx, participation.ProjectID{UUID: must(osallisuus.NewUUID())}, func(*participation.Project) error { return nil })
	checkKind(t, "UpdateProject unknown", err, osallisuus.ErrNotFound)
}

func testActivityCreateErrors(t *testing.T, s participation.ActivityStore) {
	a := seedAll(t, s, 3)
	checkKind(t, "CreateActivity twice", s.CreateActivity(t.Context(), a), osallisuus.ErrConflict)
	a.ID = participation.ActivityID{}
	checkKind(t, "CreateActivity zero ID", s.CreateActivity(t.Context(), a), osallisuus.ErrInvalid)
	_, err := s.GetActivity(t.Context(), participation.ActivityID{UUID: must(osallisuus.NewUUID())})
	checkKind(t, "GetActivity unknown", err, osallisuus.ErrNotFound)
}

func sameActivity(a, b participation.Activity) string {
	switch {
	case a.ID != b.ID || a.Key != b.Key || a.Name != b.Name || a.Organisation != b.Organisation || a.Project != b.Project:
		return "identity"
	case a.Kind != b.Kind || a.Label != b.Label || a.Phase != b.Phase || a.Level != b.Level:
		return "kind, label, phase or level"
	case a.Start != b.Start || a.End != b.End:
		return "dates"
	case !slices.Equal(a.Languages, b.Languages) || a.Accessibility != b.Accessibility:
		return "languages or accessibility"
	case a.Capacity != b.Capacity || a.Waitlist != b.Waitlist:
		return "capacity or waitlist"
	case !a.CreatedAt.Equal(b.CreatedAt) || a.Version != b.Version:
		return "createdAt or version"
	}
	return ""
}

func testActivityRoundTrip(t *testing.T, s participation.ActivityStore) {
	a := seedAll(t, s, 3)
	got := getActivity(t, s, a.ID)
	if d := sameActivity(got, a); d != "" {
		t.Fatalf("GetActivity differs in %s: got %+v, want %+v", d, got, a)
	}
	got.Languages[0] = participation.LanguageEnglish
	again := getActivity(t, s, a.ID)
	if again.Languages[0] != participation.LanguageFinnish {
		t.Errorf("changing a returned activity's languages changed the store: values out are copies")
	}
}

func testActivityUpdate(t *testing.T, s participation.ActivityStore) {
	a := seedAll(t, s, 3)
	other := must(participation.NewProjectID())
	up, err := s.UpdateActivity(t.Context(), a.ID, func(x *participation.Activity) error {
		x.Capacity, x.Project, x.Label = 5, other, "renamed"
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateActivity: %v", err)
	}
	if up.Version != 2 || up.Capacity != 5 || up.Project != a.Project || up.ID != a.ID {
		t.Errorf("UpdateActivity = version %d capacity %d project kept %v; want 2, 5, true (the store keeps ID, Organisation and Project)",
			up.Version, up.Capacity, up.Project == a.Project)
	}
	got := getActivity(t, s, a.ID)
	if got.Version != 2 || got.Label != "renamed" {
		t.Errorf("GetActivity after update: version %d label %q", got.Version, got.Label)
	}
	_, err = s.UpdateActivity(t.Context(), participation.ActivityID{UUID: must(osallisuus.NewUUID())}, func(*participation.Activity) error { return nil })
	checkKind(t, "UpdateActivity unknown", err, osallisuus.ErrNotFound)
}

func testActivityFailedUpdate(t *testing.T, s participation.ActivityStore) {
	a := seedAll(t, s, 3)
	boom := errors.New("boom")
	_, err := s.UpdateActivity(t.Context(), a.ID, func(x *participation.Activity) error {
		x.Capacity = 99
		x.Languages[0] = participation.LanguageSwedish
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdateActivity with failing fn: %v, want fn's error as is", err)
	}
	got := getActivity(t, s, a.ID)
	if d := sameActivity(got, a); d != "" {
		t.Errorf("a failed update changed the activity's %s", d)
	}
}

func testActivityList(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	o := seedOrg(t, s, participation.OrganisationID{})
	p := seedProject(t, s, o.ID)
	var inProject []participation.ActivityID
	for range 3 {
		inProject = append(inProject, seedActivity(t, s, o.ID, p.ID, 0).ID)
	}
	loose := seedActivity(t, s, o.ID, participation.ProjectID{}, 0)
	if _, err := s.UpdateActivity(ctx, loose.ID, func(a *participation.Activity) error { a.Phase = participation.PhaseEvaluation; return nil }); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(inProject, byID(func(id participation.ActivityID) [16]byte { return id.UUID }))
	got := collect(t, (s.ListActivities(ctx, participation.ActivityFilter{Project: p.ID})))
	ids := make([]participation.ActivityID, len(got))
	for i, a := range got {
		ids[i] = a.ID
	}
	if !slices.Equal(ids, inProject) {
		t.Errorf("ListActivities of the project gave %d, want its 3 in ID order", len(ids))
	}
	eval := collect(t, (s.ListActivities(ctx, participation.ActivityFilter{Phase: participation.PhaseEvaluation})))
	if len(eval) != 1 || eval[0].ID != loose.ID {
		t.Errorf("ListActivities in evaluation gave %d, want the one moved there", len(eval))
	}
	page := collect(t, (s.ListActivities(ctx, participation.ActivityFilter{Project: p.ID, After: inProject[0], Limit: 1})))
	if len(page) != 1 || page[0].ID != inProject[1] {
		t.Errorf("ListActivities after the first with Limit 1 did not give the second")
	}
	n := 0
	for _, err := range s.ListActivities(ctx, participation.ActivityFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 1 {
		t.Errorf("the listing went on after yield returned false")
	}
}

func testAtomicAllOrNothing(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a := seedAll(t, s, 0)
	boom := errors.New("boom")
	err := s.Atomic(ctx, func(tx participation.ActivityTx) error {
		for i := range 2 {
			rec := participation.ParticipationRecord{ID: must(participation.NewRecordID()), Activity: a.ID, Project: a.Project,
				Seq: int64(i + 1), Who: newPID(t), Role: participation.RoleCustomer, Status: participation.StatusRegistered,
				CreatedAt: actTime, UpdatedAt: actTime}
			if err := tx.CreateRecord(ctx, rec); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Atomic with failing fn: %v, want fn's error as is", err)
	}
	if r := roster(t, s, a.ID); len(r.Records) != 0 {
		t.Fatalf("a failed transaction left %d records, want none", len(r.Records))
	}
	for range 2 {
		if _, err := register(ctx, s, a.ID, newPID(t)); err != nil {
			t.Fatalf("register: %v", err)
		}
	}
	if r := roster(t, s, a.ID); len(r.Records) != 2 {
		t.Fatalf("two committed registrations left %d records", len(r.Records))
	}
}

func testRosterOrder(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a := seedAll(t, s, 0)
	var who []osallisuus.ParticipantID
	for range 4 {
		p := newPID(t)
		who = append(who, p)
		if _, err := register(ctx, s, a.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	r := roster(t, s, a.ID)
	for i, rec := range r.Records {
		if rec.Seq != int64(i+1) || rec.Who != who[i] || rec.Version != 1 || rec.Project != a.Project {
			t.Errorf("record %d: seq %d version %d, want seq %d of the %d-th registrant with version 1 and the activity's project",
				i, rec.Seq, rec.Version, i+1, i+1)
		}
	}
	if r.Activity.ID != a.ID || r.Activity.Capacity != a.Capacity {
		t.Errorf("Roster activity = %+v, want the stored activity", r.Activity)
	}
	err := s.Atomic(ctx, func(tx participation.ActivityTx) error {
		rec := r.Records[0]
		rec.Status = participation.StatusCancelled
		if err := tx.UpdateRecord(ctx, rec); err != nil {
			return err
		}
		extra := participation.ParticipationRecord{ID: must(participation.NewRecordID()), Activity: a.ID, Seq: 5,
			Who: who[0], Role: participation.RoleRelative, Status: participation.StatusWaitlisted, CreatedAt: actTime, UpdatedAt: actTime}
		if err := tx.CreateRecord(ctx, extra); err != nil {
			return err
		}
		in, err := tx.Roster(ctx, a.ID)
		if err != nil {
			return err
		}
		if len(in.Records) != 5 || in.Records[0].Status != participation.StatusCancelled || in.Records[4].Seq != 5 {
			return fmt.Errorf("inside the transaction the roster has %d records, first %s: reads must see the transaction's own writes",
				len(in.Records), in.Records[0].Status)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := roster(t, s, a.ID)
	if len(after.Records) != 5 || after.Records[0].Version != 2 || after.Records[0].Status != participation.StatusCancelled {
		t.Errorf("after commit: %d records, first version %d status %s; want 5, 2, cancelled",
			len(after.Records), after.Records[0].Version, after.Records[0].Status)
	}
}

func testRecordErrors(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a := seedAll(t, s, 0)
	reg, err := register(ctx, s, a.ID, newPID(t))
	if err != nil {
		t.Fatal(err)
	}
	try := func(op string, want error, fn func(tx participation.ActivityTx) error) {
		t.Helper()
		checkKind(t, op, s.Atomic(ctx, fn), want)
	}
	try("Roster of an unknown activity", osallisuus.ErrNotFound, func(tx participation.ActivityTx) error {
		_, err := tx.Roster(ctx, participation.ActivityID{UUID: must(osallisuus.NewUUID())})
		return err
	})
	try("CreateRecord with an existing ID", osallisuus.ErrConflict, func(tx participation.ActivityTx) error {
		rec := reg.Record
		rec.Seq = 2
		return tx.CreateRecord(ctx, rec)
	})
	try("CreateRecord with an existing Seq", osallisuus.ErrConflict, func(tx participation.ActivityTx) error {
		rec := reg.Record
		rec.ID = must(participation.NewRecordID())
		return tx.CreateRecord(ctx, rec)
	})
	try("CreateRecord with a zero ID", osallisuus.ErrInvalid, func(tx participation.ActivityTx) error {
		rec := reg.Record
		rec.ID, rec.Seq = participation.RecordID{}, 9
		return tx.CreateRecord(ctx, rec)
	})
	try("CreateRecord for an unknown activity", osallisuus.ErrNotFound, func(tx participation.ActivityTx) error {
		rec := reg.Record
		rec.ID, rec.Activity = must(participation.NewRecordID()), participation.ActivityID{UUID: must(osallisuus.NewUUID())}
		return tx.CreateRecord(ctx, rec)
	})
	try("UpdateRecord of an unknown record", osallisuus.ErrNotFound, func(tx participation.ActivityTx) error {
		rec := reg.Record
		rec.ID = must(participation.NewRecordID())
		return tx.UpdateRecord(ctx, rec)
	})
	if r := roster(t, s, a.ID); len(r.Records) != 1 {
		t.Errorf("failed record writes left %d records, want the one registration", len(r.Records))
	}
}

func testStaleRecord(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a := seedAll(t, s, 0)
	reg, err := register(ctx, s, a.ID, newPID(t))
	if err != nil {
		t.Fatal(err)
	}
	update := func(rec participation.ParticipationRecord) error {
		return s.Atomic(ctx, func(tx participation.ActivityTx) error { return tx.UpdateRecord(ctx, rec) })
	}
	rec := reg.Record
	rec.Status = participation.StatusAttended
	if err := update(rec); err != nil {
		t.Fatalf("UpdateRecord with the stored version: %v", err)
	}
	rec.Status = participation.StatusAbsent
	checkKind(t, "UpdateRecord with a stale version", update(rec), osallisuus.ErrConflict)
	got := roster(t, s, a.ID).Records[0]
	if got.Status != participation.StatusAttended || got.Version != 2 {
		t.Errorf("record %s version %d, want attended version 2: a stale write must not win", got.Status, got.Version)
	}
}

func testRecordList(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	o := seedOrg(t, s, participation.OrganisationID{})
	p := seedProject(t, s, o.ID)
	a1, a2 := seedActivity(t, s, o.ID, p.ID, 0), seedActivity(t, s, o.ID, participation.ProjectID{}, 0)
	alice, bob := newPID(t), newPID(t)
	for _, x := range []struct {
		a   participation.ActivityID
		who osallisuus.ParticipantID
	}{{a1.ID, alice}, {a1.ID, bob}, {a2.ID, alice}} {
		if _, err := register(ctx, s, x.a, x.who); err != nil {
			t.Fatal(err)
		}
	}
	first := roster(t, s, a1.ID).Records[0]
	first.Status, first.Role = participation.StatusAttended, participation.RoleCustomer
	if err := s.Atomic(ctx, func(tx participation.ActivityTx) error { return tx.UpdateRecord(ctx, first) }); err != nil {
		t.Fatal(err)
	}
	count := func(f participation.RecordFilter) int {
		recs := collect(t, (s.ListRecords(ctx, f)))
		if !slices.IsSortedFunc(recs, byID(func(r participation.ParticipationRecord) [16]byte { return r.ID.UUID })) {
			t.Errorf("ListRecords(%+v) is not in ID order", f)
		}
		return len(recs)
	}
	for _, c := range []struct {
		name string
		f    participation.RecordFilter
		want int
	}{
		{"all", participation.RecordFilter{}, 3},
		{"by activity", participation.RecordFilter{Activity: a1.ID}, 2},
		{"by person", participation.RecordFilter{Who: alice}, 2},
		{"by project", participation.RecordFilter{Project: p.ID}, 2},
		{"by status", participation.RecordFilter{Status: participation.StatusAttended}, 1},
		{"by person and project", participation.RecordFilter{Who: alice, Project: p.ID}, 1},
		{"by role", participation.RecordFilter{Role: participation.RoleOfficial}, 0},
		{"with a limit", participation.RecordFilter{Limit: 2}, 2},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("ListRecords %s gave %d, want %d", c.name, got, c.want)
		}
	}
}

func testOutcomes(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a := seedAll(t, s, 0)
	b := seedAll(t, s, 0)
	o := participation.Outcome{ID: must(participation.NewOutcomeID()), Activity: a.ID,
		Text: osallisuus.Text{FI: "Lomaketta selkeytettiin."}, On: osallisuus.NewDate(2026, 4, 1),
		Proposals: []string{"prop-1"}, Themes: []string{"waiting"}, CreatedAt: actTime, Version: 1}
	if err := s.CreateOutcome(ctx, o); err != nil {
		t.Fatalf("CreateOutcome: %v", err)
	}
	checkKind(t, "CreateOutcome twice", s.CreateOutcome(ctx, o), osallisuus.ErrConflict)
	unknown := o
	unknown.ID, unknown.Activity = must(participation.NewOutcomeID()), participation.ActivityID{UUID: must(osallisuus.NewUUID())}
	checkKind(t, "CreateOutcome for an unknown activity", s.CreateOutcome(ctx, unknown), osallisuus.ErrNotFound)
	other := o
	other.ID, other.Activity = must(participation.NewOutcomeID()), b.ID
	if err := s.CreateOutcome(ctx, other); err != nil {
		t.Fatal(err)
	}
	got := collect(t, (s.ListOutcomes(ctx, participation.OutcomeFilter{Activity: a.ID})))
	if len(got) != 1 || got[0].ID != o.ID || got[0].Text != o.Text || got[0].On != o.On ||
		!slices.Equal(got[0].Proposals, o.Proposals) || !slices.Equal(got[0].Themes, o.Themes) {
		t.Fatalf("ListOutcomes of the activity = %+v, want the one outcome as stored", got)
	}
	got[0].Themes[0] = "changed"
	again := collect(t, (s.ListOutcomes(ctx, participation.OutcomeFilter{Activity: a.ID})))
	if again[0].Themes[0] != "waiting" {
		t.Errorf("changing a listed outcome changed the store: values out are copies")
	}
	if all := collect(t, (s.ListOutcomes(ctx, participation.OutcomeFilter{}))); len(all) != 2 {
		t.Errorf("ListOutcomes of all gave %d, want 2", len(all))
	}
}

// testRegistrationRace: many goroutines register for the last places at once. Exactly the
// free places are won; everyone else is waitlisted at a distinct position, in a queue the
// store then shows consistently.
func testRegistrationRace(t *testing.T, s participation.ActivityStore) {
	const capacity, taken, racers = 5, 3, 24
	ctx := t.Context()
	a := seedAll(t, s, capacity)
	for range taken {
		if _, err := register(ctx, s, a.ID, newPID(t)); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		reg participation.Registration
		err error
	}
	results := make(chan result, racers)
	var wg sync.WaitGroup
	for range racers {
		who, err := osallisuus.NewParticipantID()
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			reg, err := register(ctx, s, a.ID, who)
			results <- result{reg, err}
		})
	}
	wg.Wait()
	close(results)
	won := 0
	positions := map[int]bool{}
	for r := range results {
		switch {
		case r.err != nil:
			t.Errorf("register: %v; want a place or the waitlist (the waitlist has no maximum)", r.err)
		case r.reg.Record.Status == participation.StatusRegistered:
			won++
		case r.reg.Record.Status == participation.StatusWaitlisted:
			positions[r.reg.Position] = true
		}
	}
	if won != capacity-taken {
		t.Errorf("%d racers won a place, want exactly the %d free: registrations never exceed the capacity", won, capacity-taken)
	}
	for p := 1; p <= racers-(capacity-taken); p++ {
		if !positions[p] {
			t.Errorf("no racer was told waitlist position %d: positions must be 1..%d, each once", p, racers-(capacity-taken))
		}
	}
	r := roster(t, s, a.ID)
	if r.Taken() != capacity {
		t.Errorf("%d places taken after the race, want the capacity %d", r.Taken(), capacity)
	}
	if n := len(r.Waitlist()); n != racers-(capacity-taken) {
		t.Errorf("waitlist holds %d, want %d", n, racers-(capacity-taken))
	}
	for i, rec := range r.Records {
		if rec.Seq != int64(i+1) {
			t.Errorf("record %d has seq %d: seqs must be 1..n without gaps or repeats", i, rec.Seq)
		}
	}
}

func testCancellationPromotes(t *testing.T, s participation.ActivityStore) {
	ctx := t.Context()
	a := seedAll(t, s, 1)
	first, second, third := newPID(t), newPID(t), newPID(t)
	for _, who := range []osallisuus.ParticipantID{first, second, third} {
		if _, err := register(ctx, s, a.ID, who); err != nil {
			t.Fatal(err)
		}
	}
	var changed []participation.ParticipationRecord
	err := s.Atomic(ctx, func(tx participation.ActivityTx) error {
		r, err := tx.Roster(ctx, a.ID)
		if err != nil {
			return err
		}
		decisions := participation.Decisions{}
		for _, w := range r.Waitlist() {
			decisions[w.Who] = allow(&r.Activity, w.Who, actTime)
		}
		changed, err = participation.Cancel(r, first, "participation", decisions, actTime)
		if err != nil {
			return err
		}
		for _, rec := range changed {
			if err := tx.UpdateRecord(ctx, rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if len(changed) != 2 || changed[1].Who != second {
		t.Fatalf("cancel changed %d records, want the cancellation and the first waitlisted promoted", len(changed))
	}
	r := roster(t, s, a.ID)
	want := []participation.RecordStatus{participation.StatusCancelled, participation.StatusRegistered, participation.StatusWaitlisted}
	for i, rec := range r.Records {
		if rec.Status != want[i] {
			t.Errorf("record %d is %s, want %s: the cancellation and the promotion commit together", i, rec.Status, want[i])
		}
	}
}

// testChurn: cancellations (with promotion) and registrations race; the capacity holds.
func testChurn(t *testing.T, s participation.ActivityStore) {
	const capacity = 3
	ctx := t.Context()
	a := seedAll(t, s, capacity)
	var people []osallisuus.ParticipantID
	for range 8 {
		who := newPID(t)
		people = append(people, who)
		if _, err := register(ctx, s, a.ID, who); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for _, who := range people[:4] {
		wg.Go(func() {
			errs <- s.Atomic(ctx, func(tx participation.ActivityTx) error {
				r, err := tx.Roster(ctx, a.ID)
				if err != nil {
					return err
				}
				decisions := participation.Decisions{}
				for _, w := range r.Waitlist() {
					decisions[w.Who] = allow(&r.Activity, w.Who, actTime)
				}
				changed, err := participation.Cancel(r, who, "participation", decisions, actTime)
				if err != nil {
					return err
				}
				for _, rec := range changed {
					if err := tx.UpdateRecord(ctx, rec); err != nil {
						return err
					}
				}
				return nil
			})
		})
		wg.Go(func() {
			who, err := osallisuus.NewParticipantID()
			if err == nil {
				_, err = register(ctx, s, a.ID, who)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("cancel or register: %v", err)
		}
	}
	r := roster(t, s, a.ID)
	if r.Taken() != capacity {
		t.Errorf("%d places taken, want %d: promotions fill freed places, registrations never exceed", r.Taken(), capacity)
	}
	if n := len(r.Waitlist()); n != 12-4-capacity {
		t.Errorf("waitlist holds %d, want %d (12 people, 4 cancelled, %d places)", n, 12-4-capacity, capacity)
	}
}

func testActivityCanceled(t *testing.T, s participation.ActivityStore) {
	a := seedAll(t, s, 0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.GetActivity(ctx, a.ID)
	checkKind(t, "GetActivity", err, context.Canceled)
	checkKind(t, "Atomic", s.Atomic(ctx, func(participation.ActivityTx) error { return nil }), context.Canceled)
	checkKind(t, "CreateOrganisation", s.CreateOrganisation(ctx, participation.Organisation{ID: must(participation.NewOrganisationID())}), context.Canceled)
	for _, err := range s.ListRecords(ctx, participation.RecordFilter{}) {
		checkKind(t, "ListRecords", err, context.Canceled)
		break
	}
}
