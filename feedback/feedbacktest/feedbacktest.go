// Package feedbacktest checks implementations of feedback.Store: Run is the conformance
// suite that memstore and every SQL backend pass, RunSurveys the one of
// feedback.SurveyStore. Both include the GDPR behaviours (export, erasure, retention)
// driven through feedback.Service over the store under test. It uses only the standard
// library and the osallisuus packages.
package feedbacktest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

// Run checks that stores from newStore behave as feedback.Store documents. newStore is
// called once per subtest and returns an empty store; clean up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) feedback.Store) {
	t.Run("CreateThenGetReturnsTheValueWithVersion1", func(t *testing.T) { testCreateGet(t, newStore(t)) })
	t.Run("CreateDuplicateIsConflict", func(t *testing.T) { testCreateDuplicate(t, newStore(t)) })
	t.Run("CreateZeroIDIsInvalid", func(t *testing.T) { testCreateZero(t, newStore(t)) })
	t.Run("GetMissingIsNotFound", func(t *testing.T) { testGetMissing(t, newStore(t)) })
	t.Run("ReturnedValuesShareNothingWithTheStore", func(t *testing.T) { testNoSharing(t, newStore(t)) })
	t.Run("UpdateAddsOneToVersion", func(t *testing.T) { testUpdate(t, newStore(t)) })
	t.Run("FailedUpdateSavesNothing", func(t *testing.T) { testFailedUpdate(t, newStore(t)) })
	t.Run("UpdateMissingIsNotFound", func(t *testing.T) { testUpdateMissing(t, newStore(t)) })
	t.Run("ListYieldsInIDOrderWithFilterCursorAndLimit", func(t *testing.T) { testList(t, newStore(t)) })
	t.Run("ListConsumerMayCallTheStore", func(t *testing.T) { testListReentrant(t, newStore(t)) })
	t.Run("PairUpdateSavesBothOrNeither", func(t *testing.T) { testPair(t, newStore(t)) })
	t.Run("PairUpdateMissingOrSameIDFails", func(t *testing.T) { testPairErrors(t, newStore(t)) })
	t.Run("ContactsAreKeptApartAndErased", func(t *testing.T) { testContacts(t, newStore(t)) })
	t.Run("SummariesCreateGetListUpdate", func(t *testing.T) { testSummaries(t, newStore(t)) })
	t.Run("CanceledContextFails", func(t *testing.T) { testCanceled(t, newStore(t)) })
	t.Run("ConcurrentUpdatesLoseNothing", func(t *testing.T) { testConcurrentUpdates(t, newStore(t)) })
	t.Run("ConcurrentTriageOneWins", func(t *testing.T) { testConcurrentTriage(t, newStore(t)) })
	t.Run("ListFeedbackBySender", func(t *testing.T) { testListBySender(t, newStore(t)) })
	t.Run("ListContactsByParticipantAndRetention", func(t *testing.T) { testListContacts(t, newStore(t)) })
	t.Run("ExportHoldsEverythingAboutOnePerson", func(t *testing.T) { testGDPRExport(t, newStore(t)) })
	t.Run("ErasureBlanksAndKeepsAggregates", func(t *testing.T) { testGDPRErasure(t, newStore(t)) })
	t.Run("ErasureIsIdempotent", func(t *testing.T) { testGDPRIdempotent(t, newStore(t)) })
	t.Run("RetentionPurgesOnlyWhatExpired", func(t *testing.T) { testGDPRRetention(t, newStore(t)) })
	t.Run("ErasureRacingRetentionDeletesEachContactOnce", func(t *testing.T) { testGDPRRace(t, newStore(t)) })
}

var base = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// newFeedback builds a received feedback through the workflow rules.
func newFeedback(t *testing.T, n int) feedback.Feedback {
	t.Helper()
	id, err := feedback.NewID()
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	f, err := feedback.Receive(feedback.Command{Feedback: id, Action: feedback.ActionReceive,
		Actor: feedback.Actor{Role: feedback.RoleSystem, ID: "web"}, At: base.Add(time.Duration(n) * time.Minute),
		Labels: feedback.LabelPatch{Kind: feedback.KindQuestion, WantsReply: &yes}}, feedback.DefaultTargets())
	if err != nil {
		t.Fatal(err)
	}
	f.Text = fmt.Sprintf("palaute %d", n)
	f.Classification.Themes = []string{"access"}
	return f
}

func create(t *testing.T, s feedback.Store, f feedback.Feedback) {
	t.Helper()
	if err := s.CreateFeedback(t.Context(), f); err != nil {
		t.Fatalf("CreateFeedback: %v", err)
	}
}

func wantKind(t *testing.T, err, kind error, contract string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("got error %v, want %v: %s", err, kind, contract)
	}
}

func testCreateGet(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	got, err := s.GetFeedback(t.Context(), f.ID)
	if err != nil {
		t.Fatalf("GetFeedback: %v", err)
	}
	if got.Version != 1 {
		t.Errorf("version %d after create, want 1", got.Version)
	}
	if got.ID != f.ID || got.Text != f.Text || got.State != feedback.StateReceived || got.Due != f.Due ||
		len(got.Events) != 1 || got.Labels != f.Labels || !got.ReceivedAt.Equal(f.ReceivedAt) {
		t.Errorf("GetFeedback returned %+v, want the stored value %+v", got, f)
	}
}

func testCreateDuplicate(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	wantKind(t, s.CreateFeedback(t.Context(), f), osallisuus.ErrConflict, "a second create with the same ID conflicts")
}

func testCreateZero(t *testing.T, s feedback.Store) {
	wantKind(t, s.CreateFeedback(t.Context(), feedback.Feedback{}), osallisuus.ErrInvalid, "a zero ID is invalid")
	wantKind(t, s.CreateContact(t.Context(), feedback.Contact{}), osallisuus.ErrInvalid, "a contact needs its feedback ID")
	wantKind(t, s.CreateSummary(t.Context(), feedback.LoopSummary{}), osallisuus.ErrInvalid, "a zero summary ID is invalid")
}

func testGetMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetFeedback(t.Context(), newFeedback(t, 1).ID)
	wantKind(t, err, osallisuus.ErrNotFound, "an unknown ID is not found")
}

func testNoSharing(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	f.Events[0].Note = "changed after create"
	f.Classification.Themes[0] = "cost"
	got, _ := s.GetFeedback(t.Context(), f.ID)
	got.Events[0].Note = "changed after get"
	got.Events[0].NewLabels.Kind = feedback.KindPraise
	again, _ := s.GetFeedback(t.Context(), f.ID)
	if again.Events[0].Note != "" || again.Classification.Themes[0] != "access" || again.Events[0].NewLabels.Kind != feedback.KindQuestion {
		t.Errorf("stored value changed through a caller's copy: %+v; values in, values out", again)
	}
}

func testUpdate(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	got, err := s.UpdateFeedback(t.Context(), f.ID, func(x *feedback.Feedback) error {
		x.Assignee = "s1"
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateFeedback: %v", err)
	}
	if got.Version != 2 || got.Assignee != "s1" {
		t.Errorf("version %d, assignee %q after one update, want 2 and s1: each successful update adds 1", got.Version, got.Assignee)
	}
	stored, _ := s.GetFeedback(t.Context(), f.ID)
	if stored.Version != 2 || stored.Assignee != "s1" {
		t.Errorf("stored version %d, assignee %q, want 2 and s1", stored.Version, stored.Assignee)
	}
}

func testFailedUpdate(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	boom := errors.New("boom")
	_, err := s.UpdateFeedback(t.Context(), f.ID, func(x *feedback.Feedback) error {
		x.Assignee = "s1"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdateFeedback returned %v, want fn's error", err)
	}
	stored, _ := s.GetFeedback(t.Context(), f.ID)
	if stored.Version != 1 || stored.Assignee != "" {
		t.Errorf("a failed update saved something: version %d, assignee %q", stored.Version, stored.Assignee)
	}
}

func testUpdateMissing(t *testing.T, s feedback.Store) {
	_, err := s.UpdateFeedback(t.Context(), newFeedback(t, 1).ID, func(*feedback.Feedback) error { return nil })
	wantKind(t, err, osallisuus.ErrNotFound, "updating an unknown ID is not found")
}

func collect(t *testing.T, s feedback.Store, flt feedback.FeedbackFilter) []feedback.Feedback {
	t.Helper()
	var out []feedback.Feedback
	for f, err := range s.ListFeedback(t.Context(), flt) {
		if err != nil {
			t.Fatalf("ListFeedback: %v", err)
		}
		out = append(out, f)
	}
	return out
}

func testList(t *testing.T, s feedback.Store) {
	var ids []feedback.ID
	for i := range 5 {
		f := newFeedback(t, i)
		if i%2 == 0 {
			f.UnitCode = "u1"
		}
		create(t, s, f)
		ids = append(ids, f.ID)
	}
	all := collect(t, s, feedback.FeedbackFilter{})
	if len(all) != 5 {
		t.Fatalf("zero filter listed %d, want all 5", len(all))
	}
	for i, f := range all {
		if f.ID != ids[i] {
			t.Errorf("item %d is %s, want %s: listing is in ID order", i, f.ID, ids[i])
		}
	}
	u1 := collect(t, s, feedback.FeedbackFilter{UnitCode: "u1"})
	if len(u1) != 3 {
		t.Errorf("unit filter listed %d, want 3", len(u1))
	}
	page := collect(t, s, feedback.FeedbackFilter{After: ids[1], Limit: 2})
	if len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[3] {
		t.Errorf("After ids[1] with Limit 2 listed %d items, want ids[2] and ids[3]", len(page))
	}
	n := 0
	for range s.ListFeedback(t.Context(), feedback.FeedbackFilter{}) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("the listing went on after yield returned false")
	}
}

func testListReentrant(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	for got, err := range s.ListFeedback(t.Context(), feedback.FeedbackFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		// A store that holds its lock while yielding deadlocks here.
		if _, err := s.UpdateFeedback(t.Context(), got.ID, func(x *feedback.Feedback) error { return nil }); err != nil {
			t.Errorf("UpdateFeedback inside a listing: %v", err)
		}
	}
}

func testPair(t *testing.T, s feedback.Store) {
	a, b := newFeedback(t, 1), newFeedback(t, 2)
	create(t, s, a)
	create(t, s, b)
	boom := errors.New("boom")
	_, _, err := s.UpdateFeedbackPair(t.Context(), a.ID, b.ID, func(x, y *feedback.Feedback) error {
		x.Assignee, y.Assignee = "s1", "s1"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("UpdateFeedbackPair returned %v, want fn's error", err)
	}
	for _, id := range []feedback.ID{a.ID, b.ID} {
		got, _ := s.GetFeedback(t.Context(), id)
		if got.Version != 1 || got.Assignee != "" {
			t.Errorf("a failed pair update saved %s: version %d", id, got.Version)
		}
	}
	ga, gb, err := s.UpdateFeedbackPair(t.Context(), a.ID, b.ID, func(x, y *feedback.Feedback) error {
		x.State, y.Assignee = feedback.StateMerged, "s2"
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateFeedbackPair: %v", err)
	}
	if ga.Version != 2 || gb.Version != 2 || ga.State != feedback.StateMerged || gb.Assignee != "s2" {
		t.Errorf("pair update returned versions %d, %d; want both 2 with the changes", ga.Version, gb.Version)
	}
	sa, _ := s.GetFeedback(t.Context(), a.ID)
	sb, _ := s.GetFeedback(t.Context(), b.ID)
	if sa.State != feedback.StateMerged || sb.Assignee != "s2" {
		t.Errorf("pair update did not save both")
	}
}

func testPairErrors(t *testing.T, s feedback.Store) {
	a := newFeedback(t, 1)
	create(t, s, a)
	missing := newFeedback(t, 2).ID
	nop := func(x, y *feedback.Feedback) error { return nil }
	_, _, err := s.UpdateFeedbackPair(t.Context(), a.ID, missing, nop)
	wantKind(t, err, osallisuus.ErrNotFound, "a pair with an unknown ID is not found")
	_, _, err = s.UpdateFeedbackPair(t.Context(), missing, a.ID, nop)
	wantKind(t, err, osallisuus.ErrNotFound, "a pair with an unknown ID is not found")
	_, _, err = s.UpdateFeedbackPair(t.Context(), a.ID, a.ID, nop)
	wantKind(t, err, osallisuus.ErrInvalid, "a pair of the same ID is invalid")
}

func testContacts(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	c := feedback.Contact{Feedback: f.ID, Name: "Testi Asiakas", Phone: "040 000 0000", Purpose: "feedback-reply",
		RetainUntil: osallisuus.NewDate(2027, 3, 2), CreatedAt: base}
	if err := s.CreateContact(t.Context(), c); err != nil {
		t.Fatalf("CreateContact: %v", err)
	}
	wantKind(t, s.CreateContact(t.Context(), c), osallisuus.ErrConflict, "one contact per feedback")
	got, err := s.GetContact(t.Context(), f.ID)
	if err != nil || got.Name != c.Name || got.Phone != c.Phone || got.RetainUntil != c.RetainUntil {
		t.Errorf("GetContact = %+v, %v; want the stored contact", got, err)
	}
	stored, _ := s.GetFeedback(t.Context(), f.ID)
	if stored.Text != f.Text {
		t.Errorf("storing a contact changed the feedback")
	}
	if err := s.DeleteContact(t.Context(), f.ID); err != nil {
		t.Fatalf("DeleteContact: %v", err)
	}
	_, err = s.GetContact(t.Context(), f.ID)
	wantKind(t, err, osallisuus.ErrNotFound, "a deleted contact is gone")
	wantKind(t, s.DeleteContact(t.Context(), f.ID), osallisuus.ErrNotFound, "deleting twice is not found")
}

func testSummaries(t *testing.T, s feedback.Store) {
	var ids []feedback.SummaryID
	for i := range 3 {
		id, _ := osallisuus.NewUUID()
		ls := feedback.LoopSummary{ID: feedback.SummaryID{UUID: id}, Period: "2026-Q1", Themes: []string{"access"},
			Said: osallisuus.Text{FI: "Jonot ovat pitkiä"}, Did: osallisuus.Text{FI: "Lisäsimme iltavastaanoton"},
			Status: feedback.LoopPlanned}
		if i == 2 {
			ls.Status = feedback.LoopDone
		}
		if err := s.CreateSummary(t.Context(), ls); err != nil {
			t.Fatalf("CreateSummary: %v", err)
		}
		ids = append(ids, ls.ID)
	}
	_, err := s.GetSummary(t.Context(), feedback.SummaryID{})
	wantKind(t, err, osallisuus.ErrNotFound, "an unknown summary is not found")
	n := 0
	for ls, err := range s.ListSummaries(t.Context(), feedback.SummaryFilter{Status: feedback.LoopPlanned}) {
		if err != nil {
			t.Fatal(err)
		}
		if ls.ID != ids[n] {
			t.Errorf("summary %d out of ID order", n)
		}
		n++
	}
	if n != 2 {
		t.Errorf("status filter listed %d, want 2", n)
	}
	got, err := s.UpdateSummary(t.Context(), ids[0], func(ls *feedback.LoopSummary) error {
		ls.Status = feedback.LoopInProgress
		return nil
	})
	if err != nil || got.Version != 2 || got.Status != feedback.LoopInProgress {
		t.Errorf("UpdateSummary = version %d, %v; want 2", got.Version, err)
	}
}

func testCanceled(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.GetFeedback(ctx, f.ID)
	wantKind(t, err, context.Canceled, "a done context ends the call")
	wantKind(t, s.CreateFeedback(ctx, newFeedback(t, 2)), context.Canceled, "a done context ends the call")
	for _, err := range s.ListFeedback(ctx, feedback.FeedbackFilter{}) {
		wantKind(t, err, context.Canceled, "a done context ends the listing")
	}
}

func testConcurrentUpdates(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	const writers = 20
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, err := s.UpdateFeedback(context.Background(), f.ID, func(x *feedback.Feedback) error {
				x.Events = append(x.Events, feedback.Event{Action: feedback.ActionAssign, Note: fmt.Sprint(i)})
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("UpdateFeedback: %v", err)
		}
	}
	got, _ := s.GetFeedback(t.Context(), f.ID)
	if got.Version != writers+1 || len(got.Events) != writers+1 {
		t.Errorf("version %d with %d events after %d concurrent updates, want %d and %d: no write is lost",
			got.Version, len(got.Events), writers, writers+1, writers+1)
	}
}

func testConcurrentTriage(t *testing.T, s feedback.Store) {
	f := newFeedback(t, 1)
	create(t, s, f)
	const racers = 16
	errs := make(chan error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			_, err := s.UpdateFeedback(context.Background(), f.ID, func(x *feedback.Feedback) error {
				next, err := feedback.Apply(*x, feedback.Command{Feedback: f.ID, Action: feedback.ActionTriage,
					Actor: feedback.Actor{Role: feedback.RoleStaff, ID: fmt.Sprint("s", i)}, At: base.Add(time.Hour)},
					feedback.DefaultTargets())
				if err != nil {
					return err
				}
				next.Version = x.Version
				*x = next
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, osallisuus.ErrConflict):
			t.Errorf("triage: %v; want nil or ErrConflict", err)
		}
	}
	if won != 1 {
		t.Errorf("%d racers triaged the same feedback, want exactly 1: the rule runs inside the atomic update", won)
	}
	got, _ := s.GetFeedback(t.Context(), f.ID)
	if got.State != feedback.StateTriaged || got.Version != 2 || len(got.Events) != 2 {
		t.Errorf("after the race: state %s, version %d, %d events; want triaged, 2, 2", got.State, got.Version, len(got.Events))
	}
}
