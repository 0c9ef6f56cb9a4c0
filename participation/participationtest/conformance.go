package participationtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// Run checks that the stores from newStores behave as the participation store interfaces
// document (participation.ParticipantStore, RepresentationStore, ConsentLedger,
// ActivityRecords), and that GDPR export, erasure and retention (participation.Service)
// work on them. Stores.Activities must be a participation.ActivityStore too: the GDPR
// subtests seed participation records through it.
// newStores is called once per subtest and returns empty stores; clean up with t.Cleanup.
// Every backend (memstore, the SQL stores) runs it unchanged.
func Run(t *testing.T, newStores func(t *testing.T) participation.Stores) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(*testing.T, participation.Stores)
	}{
		{"CreatedParticipantReadsBack", testParticipantRoundTrip},
		{"CreateParticipantWithZeroIDIsInvalid", testParticipantZeroID},
		{"CreateParticipantTwiceIsConflict", testParticipantDuplicate},
		{"GetMissingParticipantIsNotFound", testParticipantMissing},
		{"UpdateParticipantAddsOneToVersion", testParticipantUpdate},
		{"FailedUpdateSavesNothing", testParticipantFailedUpdate},
		{"UpdateMissingParticipantIsNotFound", testParticipantUpdateMissing},
		{"ConcurrentUpdatesLoseNothing", testParticipantConcurrentUpdates},
		{"ListParticipantsFiltersInIDOrderWithCursor", testParticipantList},
		{"ListStopsWhenYieldReturnsFalse", testListStops},
		{"RepresentationsListBySubjectInRegistrationOrder", testRepresentations},
		{"RepresentationErrors", testRepresentationErrors},
		{"UpdateRepresentationAddsOneToVersion", testRepresentationUpdate},
		{"ReturnedValuesAreCopies", testCopies},
		{"AssessmentsListBySubjectInRegistrationOrder", testAssessments},
		{"AppendAssignsIDAndIncreasingPosition", testAppend},
		{"AppendWithExistingIDIsConflict", testAppendDuplicate},
		{"EventsKeepEveryFieldToTheNanosecond", testEventRoundTrip},
		{"EventsYieldOnlyTheSubjectInLedgerOrder", testEventsBySubject},
		{"ConcurrentAppendsLoseNoEvent", testConcurrentAppends},
		{"CanceledContextIsReturned", testCanceled},
		{"ErasureMarkerReadsBackAndFiltersTheList", testErasureMarkerReadsBack},
		{"DeleteEventsRemovesOnlyTheSubjectsEvents", testDeleteEvents},
		{"DeleteRepresentationsAndAssessmentsAndListByRepresentative", testDeleteRepresentationsAndAssessments},
		{"AnonymiseRecordsReplacesWhoOnly", testAnonymiseRecords},
		{"ExportHoldsEverythingAboutOnePerson", testExportHoldsEverything},
		{"ErasureBlanksAndKeepsAggregates", testErasureBlanksAndKeepsAggregates},
		{"ErasedPersonIsRefused", testErasedPersonIsRefused},
		{"ErasureIsIdempotent", testErasureIsIdempotent},
		{"RetentionPurgesOnlyWhatExpired", testRetentionPurgesOnlyWhatExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStores(t)) })
	}
}

var baseTime = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func newPID(t *testing.T) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func seedParticipant(t *testing.T, s participation.Stores, kind participation.Kind) participation.Participant {
	t.Helper()
	p := participation.Participant{ID: newPID(t), Kind: kind, BirthDate: osallisuus.NewDate(1990, 5, 17),
		Language: "sv", CreatedAt: baseTime, Version: 1}
	if err := s.Participants.CreateParticipant(t.Context(), p); err != nil {
		t.Fatalf("CreateParticipant: %v", err)
	}
	return p
}

func checkKind(t *testing.T, op string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want one matching %v", op, err, want)
	}
}

func sameParticipant(a, b participation.Participant) bool {
	return a.ID == b.ID && a.Kind == b.Kind && a.BirthDate == b.BirthDate && a.Adult == b.Adult &&
		a.Language == b.Language && a.CreatedAt.Equal(b.CreatedAt) && a.Version == b.Version
}

func testParticipantRoundTrip(t *testing.T, s participation.Stores) {
	p := seedParticipant(t, s, participation.KindCustomer)
	got, err := s.Participants.GetParticipant(t.Context(), p.ID)
	if err != nil {
		t.Fatalf("GetParticipant: %v", err)
	}
	if !sameParticipant(got, p) {
		t.Errorf("GetParticipant = %+v, want %+v: a stored participant reads back unchanged with Version 1", got, p)
	}
	q := participation.Participant{ID: newPID(t), Kind: participation.KindPotentialCustomer, Adult: true, CreatedAt: baseTime}
	if err := s.Participants.CreateParticipant(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	got, err = s.Participants.GetParticipant(t.Context(), q.ID)
	if err != nil {
		t.Fatal(err)
	}
	q.Version = 1
	if !sameParticipant(got, q) || !got.BirthDate.IsZero() {
		t.Errorf("GetParticipant = %+v, want %+v: an unknown birth date stays zero and Adult is kept", got, q)
	}
}

func testParticipantZeroID(t *testing.T, s participation.Stores) {
	err := s.Participants.CreateParticipant(t.Context(), participation.Participant{Kind: participation.KindCustomer})
	checkKind(t, "CreateParticipant with zero ID", err, osallisuus.ErrInvalid)
}

func testParticipantDuplicate(t *testing.T, s participation.Stores) {
	p := seedParticipant(t, s, participation.KindCustomer)
	dup := p
	dup.Kind = participation.KindOfficial
	checkKind(t, "CreateParticipant with an existing ID", s.Participants.CreateParticipant(t.Context(), dup), osallisuus.ErrConflict)
	got, err := s.Participants.GetParticipant(t.Context(), p.ID)
	if err != nil || got.Kind != participation.KindCustomer {
		t.Errorf("after a conflicting create: %+v, %v; want the first participant unchanged", got, err)
	}
}

func testParticipantMissing(t *testing.T, s participation.Stores) {
	_, err := s.Participants.GetParticipant(t.Context(), newPID(t))
	checkKind(t, "GetParticipant of an unknown ID", err, osallisuus.ErrNotFound)
}

func testParticipantUpdate(t *testing.T, s participation.Stores) {
	p := seedParticipant(t, s, participation.KindCustomer)
	got, err := s.Participants.UpdateParticipant(t.Context(), p.ID, func(p *participation.Participant) error {
		p.Language = "fi"
		p.Kind = participation.KindRelative
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateParticipant: %v", err)
	}
	if got.Version != 2 || got.Language != "fi" || got.Kind != participation.KindRelative {
		t.Errorf("UpdateParticipant = %+v: want Version 2 (each successful update adds 1) and the changes", got)
	}
	read, err := s.Participants.GetParticipant(t.Context(), p.ID)
	if err != nil || !sameParticipant(read, got) {
		t.Errorf("GetParticipant after update = %+v, %v; want what UpdateParticipant returned (%+v)", read, err, got)
	}
}

func testParticipantFailedUpdate(t *testing.T, s participation.Stores) {
	p := seedParticipant(t, s, participation.KindCustomer)
	boom := errors.New("refused by fn")
	_, err := s.Participants.UpdateParticipant(t.Context(), p.ID, func(p *participation.Participant) error {
		p.Language = "en"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdateParticipant error %v, want fn's error", err)
	}
	got, _ := s.Participants.GetParticipant(t.Context(), p.ID)
	if got.Language != "sv" || got.Version != 1 {
		t.Errorf("after a failed update: %+v; want nothing saved (language sv, version 1)", got)
	}
}

func testParticipantUpdateMissing(t *testing.T, s participation.Stores) {
	_, err := s.Participants.UpdateParticipant(t.Context(), newPID(t), func(*participation.Participant) error { return nil })
	checkKind(t, "UpdateParticipant of an unknown ID", err, osallisuus.ErrNotFound)
}

func testParticipantConcurrentUpdates(t *testing.T, s participation.Stores) {
	p := seedParticipant(t, s, participation.KindCustomer)
	const writers = 16
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, err := s.Participants.UpdateParticipant(t.Context(), p.ID, func(p *participation.Participant) error {
				p.Language = []string{"fi", "sv", "en"}[i%3]
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent UpdateParticipant: %v; want every update to succeed", err)
		}
	}
	got, err := s.Participants.GetParticipant(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1+writers {
		t.Errorf("version %d after %d concurrent updates, want %d: no update may be lost", got.Version, writers, 1+writers)
	}
}

func testParticipantList(t *testing.T, s participation.Stores) {
	var officials []osallisuus.ParticipantID
	for i := range 7 {
		kind := participation.KindCustomer
		if i%2 == 0 {
			kind = participation.KindOfficial
		}
		p := seedParticipant(t, s, kind)
		if kind == participation.KindOfficial {
			officials = append(officials, p.ID)
		}
	}
	slices.SortFunc(officials, func(a, b osallisuus.ParticipantID) int { return compareID(a, b) })
	var all []osallisuus.ParticipantID
	for p, err := range s.Participants.ListParticipants(t.Context(), participation.ParticipantFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.ID)
	}
	if len(all) != 7 || !slices.IsSortedFunc(all, compareID) {
		t.Errorf("the zero filter listed %d participants (sorted %v), want all 7 in ID order", len(all), slices.IsSortedFunc(all, compareID))
	}
	var got []osallisuus.ParticipantID
	f := participation.ParticipantFilter{Kind: participation.KindOfficial, Limit: 2}
	for page := 0; page < 5; page++ {
		n := 0
		for p, err := range s.Participants.ListParticipants(t.Context(), f) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p.ID)
			f.After = p.ID
			n++
		}
		if n == 0 {
			break
		}
		if n > 2 {
			t.Errorf("page of %d with Limit 2", n)
		}
	}
	if !slices.Equal(got, officials) {
		t.Errorf("paging officials by After and Limit gave %v, want %v", got, officials)
	}
}

func compareID(a, b osallisuus.ParticipantID) int {
	return slices.Compare(a.UUID[:], b.UUID[:])
}

func testListStops(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	for range 3 {
		seedParticipant(t, s, participation.KindCustomer)
		if _, err := s.Ledger.Append(t.Context(), sampleEvent(subject.ID, baseTime)); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, err := range s.Participants.ListParticipants(t.Context(), participation.ParticipantFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	for _, err := range s.Ledger.Events(t.Context(), subject.ID) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 2 {
		t.Errorf("broke out of two listings after %d values, want 2", n)
	}
	// The store must still work: a listing holds no lock after the consumer stops.
	if _, err := s.Participants.UpdateParticipant(t.Context(), subject.ID, func(*participation.Participant) error { return nil }); err != nil {
		t.Errorf("UpdateParticipant after a stopped listing: %v", err)
	}
}

func newRepresentation(t *testing.T, subject, rep osallisuus.ParticipantID, kind participation.RepresentationKind) participation.Representation {
	t.Helper()
	id, err := participation.NewRepresentationID()
	if err != nil {
		t.Fatal(err)
	}
	return participation.Representation{ID: id, Representative: rep, Subject: subject, Kind: kind,
		From: osallisuus.NewDate(2020, 1, 1), Until: osallisuus.NewDate(2030, 12, 31),
		Scopes: []participation.TrusteeScope{participation.ScopePersonal}, Purposes: []string{"contact", "panel-membership"},
		CreatedAt: baseTime, Version: 1}
}

func sameRepresentation(a, b participation.Representation) bool {
	return a.ID == b.ID && a.Representative == b.Representative && a.Subject == b.Subject && a.Kind == b.Kind &&
		a.From == b.From && a.Until == b.Until && slices.Equal(a.Scopes, b.Scopes) &&
		slices.Equal(a.Purposes, b.Purposes) && a.CreatedAt.Equal(b.CreatedAt) && a.Version == b.Version
}

func testRepresentations(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	other := seedParticipant(t, s, participation.KindCustomer)
	var want []participation.Representation
	for i, kind := range []participation.RepresentationKind{participation.Proxy, participation.Guardian, participation.Trustee, participation.Guardian} {
		r := newRepresentation(t, subject.ID, seedParticipant(t, s, participation.KindRelative).ID, kind)
		if i == 1 {
			r.Until, r.Scopes, r.Purposes = osallisuus.Date{}, nil, nil
		}
		if err := s.Representations.CreateRepresentation(t.Context(), r); err != nil {
			t.Fatalf("CreateRepresentation: %v", err)
		}
		want = append(want, r)
		if err := s.Representations.CreateRepresentation(t.Context(), newRepresentation(t, other.ID, subject.ID, participation.Proxy)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := participation.Collect(s.Representations.Representations(t.Context(), subject.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d representations, want the subject's %d", len(got), len(want))
	}
	for i := range want {
		if !sameRepresentation(got[i], want[i]) {
			t.Errorf("representation %d = %+v, want %+v: listed in registration order, unchanged", i, got[i], want[i])
		}
	}
	one, err := s.Representations.GetRepresentation(t.Context(), want[2].ID)
	if err != nil || !sameRepresentation(one, want[2]) {
		t.Errorf("GetRepresentation = %+v, %v; want %+v", one, err, want[2])
	}
	none, err := participation.Collect(s.Representations.Representations(t.Context(), newPID(t)))
	if err != nil || len(none) != 0 {
		t.Errorf("representations of an unknown subject: %v, %v; want none", none, err)
	}
}

func testRepresentationErrors(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	r := newRepresentation(t, subject.ID, seedParticipant(t, s, participation.KindRelative).ID, participation.Guardian)
	if err := s.Representations.CreateRepresentation(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	checkKind(t, "CreateRepresentation with an existing ID", s.Representations.CreateRepresentation(t.Context(), r), osallisuus.ErrConflict)
	zero := r
	zero.ID = participation.RepresentationID{}
	checkKind(t, "CreateRepresentation with zero ID", s.Representations.CreateRepresentation(t.Context(), zero), osallisuus.ErrInvalid)
	_, err := s.Representations.GetRepresentation(t.Context(), newRepresentation(t, subject.ID, subject.ID, participation.Proxy).ID)
	checkKind(t, "GetRepresentation of an unknown ID", err, osallisuus.ErrNotFound)
	_, err = s.Representations.UpdateRepresentation(t.Context(), participation.RepresentationID{UUID: newPID(t).UUID},
		func(*participation.Representation) error { return nil })
	checkKind(t, "UpdateRepresentation of an unknown ID", err, osallisuus.ErrNotFound)
	list, _ := participation.Collect(s.Representations.Representations(t.Context(), subject.ID))
	if len(list) != 1 {
		t.Errorf("%d representations after rejected creates, want 1", len(list))
	}
}

func testRepresentationUpdate(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	r := newRepresentation(t, subject.ID, seedParticipant(t, s, participation.KindRelative).ID, participation.Proxy)
	if err := s.Representations.CreateRepresentation(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	end := osallisuus.NewDate(2026, 6, 30)
	got, err := s.Representations.UpdateRepresentation(t.Context(), r.ID, func(r *participation.Representation) error {
		r.Until = end
		r.Purposes = append(r.Purposes, "feedback-contact")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Until != end || len(got.Purposes) != 3 {
		t.Errorf("UpdateRepresentation = %+v; want Version 2, Until %v and three purposes", got, end)
	}
	boom := errors.New("no")
	if _, err := s.Representations.UpdateRepresentation(t.Context(), r.ID, func(r *participation.Representation) error {
		r.Until = osallisuus.NewDate(2020, 1, 1)
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("failed UpdateRepresentation: %v, want fn's error", err)
	}
	read, _ := s.Representations.GetRepresentation(t.Context(), r.ID)
	if !sameRepresentation(read, got) {
		t.Errorf("after a failed update: %+v, want %+v (nothing saved)", read, got)
	}
}

func testCopies(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	r := newRepresentation(t, subject.ID, seedParticipant(t, s, participation.KindRelative).ID, participation.Proxy)
	purposes := r.Purposes
	if err := s.Representations.CreateRepresentation(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	purposes[0] = "changed-by-caller"
	got, err := s.Representations.GetRepresentation(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Purposes[0] != "contact" {
		t.Errorf("changing the caller's slice changed the stored value to %q", got.Purposes[0])
	}
	got.Purposes[0] = "changed-after-get"
	for rep, err := range s.Representations.Representations(t.Context(), subject.ID) {
		if err != nil {
			t.Fatal(err)
		}
		if rep.Purposes[0] != "contact" {
			t.Errorf("changing a returned value changed the stored value to %q", rep.Purposes[0])
		}
		rep.Purposes[0] = "changed-in-loop"
	}
	again, _ := s.Representations.GetRepresentation(t.Context(), r.ID)
	if again.Purposes[0] != "contact" {
		t.Errorf("stored purposes %v after callers changed returned slices, want [contact ...]", again.Purposes)
	}
}

func testAssessments(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	staff := seedParticipant(t, s, participation.KindOfficial)
	var want []participation.MaturityAssessment
	for i := range 3 {
		id, err := participation.NewAssessmentID()
		if err != nil {
			t.Fatal(err)
		}
		a := participation.MaturityAssessment{ID: id, Subject: subject.ID, By: staff.ID,
			At: baseTime.Add(time.Duration(i) * time.Hour), Purposes: []string{"contact"}, CreatedAt: baseTime}
		if i == 1 {
			a.Until = osallisuus.NewDate(2027, 1, 5)
		}
		if err := s.Representations.CreateAssessment(t.Context(), a); err != nil {
			t.Fatalf("CreateAssessment: %v", err)
		}
		want = append(want, a)
	}
	checkKind(t, "CreateAssessment with an existing ID", s.Representations.CreateAssessment(t.Context(), want[0]), osallisuus.ErrConflict)
	checkKind(t, "CreateAssessment with zero ID", s.Representations.CreateAssessment(t.Context(),
		participation.MaturityAssessment{Subject: subject.ID, By: staff.ID, At: baseTime, Purposes: []string{"contact"}}), osallisuus.ErrInvalid)
	got, err := participation.Collect(s.Representations.Assessments(t.Context(), subject.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d assessments, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Subject != w.Subject || g.By != w.By || !g.At.Equal(w.At) ||
			!slices.Equal(g.Purposes, w.Purposes) || g.Until != w.Until {
			t.Errorf("assessment %d = %+v, want %+v: listed in registration order, unchanged", i, g, w)
		}
	}
}

func sampleEvent(subject osallisuus.ParticipantID, at time.Time) participation.ConsentEvent {
	return participation.ConsentEvent{At: at, Subject: subject, By: subject, Action: participation.Grant,
		Purpose: "contact", Method: participation.Electronic, NoticeVersion: 1,
		Authority: participation.Authority{Kind: participation.AuthoritySelfAge}, RecordedAt: at}
}

func testAppend(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	var last int64
	seen := map[participation.EventID]bool{}
	for i := range 5 {
		ev, err := s.Ledger.Append(t.Context(), sampleEvent(subject.ID, baseTime.Add(-time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		if ev.ID.IsZero() || seen[ev.ID] {
			t.Errorf("Append gave ID %v: want a new, non-zero ID", ev.ID)
		}
		seen[ev.ID] = true
		if ev.Seq <= last {
			t.Errorf("Append gave position %d after %d: positions grow with every append", ev.Seq, last)
		}
		last = ev.Seq
	}
	id, err := participation.NewEventID()
	if err != nil {
		t.Fatal(err)
	}
	ev := sampleEvent(subject.ID, baseTime)
	ev.ID = id
	got, err := s.Ledger.Append(t.Context(), ev)
	if err != nil || got.ID != id {
		t.Errorf("Append with a caller's ID: %v, %v; want the ID kept", got.ID, err)
	}
}

func testAppendDuplicate(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	ev, err := s.Ledger.Append(t.Context(), sampleEvent(subject.ID, baseTime))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Ledger.Append(t.Context(), ev)
	checkKind(t, "Append with an existing ID", err, osallisuus.ErrConflict)
	evs, err := participation.Collect(s.Ledger.Events(t.Context(), subject.ID))
	if err != nil || len(evs) != 1 {
		t.Errorf("after a conflicting append: %d events, %v; want 1", len(evs), err)
	}
}

func testEventRoundTrip(t *testing.T, s participation.Stores) {
	subject := seedParticipant(t, s, participation.KindCustomer)
	staff := seedParticipant(t, s, participation.KindOfficial)
	guardian := seedParticipant(t, s, participation.KindRelative)
	repID, err := participation.NewRepresentationID()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 25, 3, 30, 15, 123456789, time.FixedZone("", 3*3600))
	full := participation.ConsentEvent{At: at, Subject: subject.ID, By: guardian.ID, RecordedBy: staff.ID,
		Action: participation.Grant, Purpose: "experience-data", Scope: "panel:north-1", Method: participation.Oral,
		NoticeVersion: 3, NoticeHash: "sha256:" + fmt.Sprintf("%064x", 42),
		ValidUntil: at.Add(90*24*time.Hour + 1), Authority: participation.Authority{Kind: participation.AuthorityGuardian, Ref: repID.UUID},
		RecordedAt: at.Add(time.Minute)}
	minimal := participation.ConsentEvent{At: at.Add(time.Nanosecond), Subject: subject.ID, By: subject.ID,
		Action: participation.Withdraw, Purpose: "contact", Method: participation.Written,
		Authority: participation.Authority{Kind: participation.AuthoritySelfRefusal}}
	for _, want := range []participation.ConsentEvent{full, minimal} {
		stored, err := s.Ledger.Append(t.Context(), want)
		if err != nil {
			t.Fatal(err)
		}
		want.ID, want.Seq = stored.ID, stored.Seq
	}
	got, err := participation.Collect(s.Ledger.Events(t.Context(), subject.ID))
	if err != nil || len(got) != 2 {
		t.Fatalf("Events: %d, %v; want 2", len(got), err)
	}
	for i, want := range []participation.ConsentEvent{full, minimal} {
		g := got[i]
		g.ID, g.Seq = participation.EventID{}, 0
		if d := eventDiff(g, want); d != "" {
			t.Errorf("event %d read back with %s: every field is kept, instants to the nanosecond", i, d)
		}
	}
}

// eventDiff names the first field in which a and b differ; instants compare with Equal.
func eventDiff(a, b participation.ConsentEvent) string {
	times := [][2]time.Time{{a.At, b.At}, {a.ValidUntil, b.ValidUntil}, {a.RecordedAt, b.RecordedAt}}
	for i, p := range times {
		if !p[0].Equal(p[1]) {
			return fmt.Sprintf("instant %d %v, want %v", i, p[0], p[1])
		}
	}
	a.At, a.ValidUntil, a.RecordedAt = time.Time{}, time.Time{}, time.Time{}
	b.At, b.ValidUntil, b.RecordedAt = time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%+v, want %+v", a, b)
	}
	return ""
}

func testEventsBySubject(t *testing.T, s participation.Stores) {
	a := seedParticipant(t, s, participation.KindCustomer)
	b := seedParticipant(t, s, participation.KindCustomer)
	var wantA []participation.EventID
	for i := range 6 {
		subject := a.ID
		if i%2 == 1 {
			subject = b.ID
		}
		// Out of time order on purpose: the ledger keeps append order (R5).
		ev, err := s.Ledger.Append(t.Context(), sampleEvent(subject, baseTime.Add(time.Duration(5-i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if subject == a.ID {
			wantA = append(wantA, ev.ID)
		}
	}
	var got []participation.EventID
	var last int64
	for ev, err := range s.Ledger.Events(t.Context(), a.ID) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Subject != a.ID {
			t.Errorf("Events(a) yielded an event of %v", ev.Subject)
		}
		if ev.Seq <= last {
			t.Errorf("Events yielded position %d after %d, want ascending ledger order", ev.Seq, last)
		}
		last = ev.Seq
		got = append(got, ev.ID)
	}
	if !slices.Equal(got, wantA) {
		t.Errorf("Events(a) = %v, want %v in append order", got, wantA)
	}
	// The optional fast path must agree with Events exactly.
	if ap, ok := s.Ledger.(participation.EventAppender); ok {
		prefix := []participation.ConsentEvent{{Purpose: "kept"}}
		evs, err := ap.AppendEvents(t.Context(), a.ID, prefix)
		if err != nil {
			t.Fatalf("AppendEvents: %v", err)
		}
		ids := make([]participation.EventID, 0, len(evs))
		for _, ev := range evs[1:] {
			ids = append(ids, ev.ID)
		}
		if evs[0].Purpose != "kept" || !slices.Equal(ids, wantA) {
			t.Errorf("AppendEvents = %v after the caller's prefix, want %v: it appends what Events yields", ids, wantA)
		}
		evs[1].Purpose = "changed-by-caller"
		again, _ := participation.Collect(s.Ledger.Events(t.Context(), a.ID))
		if again[0].Purpose != "contact" {
			t.Errorf("changing an appended event changed the ledger: %q", again[0].Purpose)
		}
	}
}

func testConcurrentAppends(t *testing.T, s participation.Stores) {
	const writers, each, subjects = 24, 10, 4
	var ids [subjects]osallisuus.ParticipantID
	for i := range ids {
		ids[i] = seedParticipant(t, s, participation.KindCustomer).ID
	}
	type result struct {
		ev  participation.ConsentEvent
		err error
	}
	results := make(chan result, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				ev, err := s.Ledger.Append(context.WithoutCancel(t.Context()), sampleEvent(ids[(w+i)%subjects], baseTime.Add(time.Duration(i)*time.Second)))
				results <- result{ev, err}
			}
		})
	}
	wg.Wait()
	close(results)
	appended := map[participation.EventID]int64{}
	for r := range results {
		if r.err != nil {
			t.Errorf("concurrent Append: %v; want every append to succeed", r.err)
			continue
		}
		appended[r.ev.ID] = r.ev.Seq
	}
	seqs := map[int64]bool{}
	total := 0
	for _, subject := range ids {
		var last int64
		for ev, err := range s.Ledger.Events(t.Context(), subject) {
			if err != nil {
				t.Fatal(err)
			}
			total++
			if seq, ok := appended[ev.ID]; !ok || seq != ev.Seq {
				t.Errorf("event %v at position %d was not returned by Append with that position", ev.ID, ev.Seq)
			}
			if ev.Seq <= last || seqs[ev.Seq] {
				t.Errorf("position %d after %d or repeated: positions are unique and ascending", ev.Seq, last)
			}
			seqs[ev.Seq], last = true, ev.Seq
		}
	}
	if total != writers*each {
		t.Errorf("%d events stored after %d concurrent appends: no event may be lost", total, writers*each)
	}
}

func testCanceled(t *testing.T, s participation.Stores) {
	p := seedParticipant(t, s, participation.KindCustomer)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Participants.GetParticipant(ctx, p.ID)
	checkKind(t, "GetParticipant", err, context.Canceled)
	checkKind(t, "CreateParticipant", s.Participants.CreateParticipant(ctx, participation.Participant{ID: newPID(t), Kind: participation.KindCustomer}), context.Canceled)
	_, err = s.Participants.UpdateParticipant(ctx, p.ID, func(*participation.Participant) error { return nil })
	checkKind(t, "UpdateParticipant", err, context.Canceled)
	_, err = s.Ledger.Append(ctx, sampleEvent(p.ID, baseTime))
	checkKind(t, "Append", err, context.Canceled)
	_, err = participation.Collect(s.Ledger.Events(ctx, p.ID))
	checkKind(t, "Events", err, context.Canceled)
	_, err = participation.Collect(s.Participants.ListParticipants(ctx, participation.ParticipantFilter{}))
	checkKind(t, "ListParticipants", err, context.Canceled)
	_, err = participation.Collect(s.Representations.Representations(ctx, p.ID))
	checkKind(t, "Representations", err, context.Canceled)
	got, err := s.Participants.GetParticipant(t.Context(), p.ID)
	if err != nil || got.Version != 1 {
		t.Errorf("after canceled calls: %+v, %v; want the participant unchanged", got, err)
	}
	evs, _ := participation.Collect(s.Ledger.Events(t.Context(), p.ID))
	if len(evs) != 0 {
		t.Errorf("a canceled Append stored %d events", len(evs))
	}
}
