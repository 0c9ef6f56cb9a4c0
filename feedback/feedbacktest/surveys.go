package feedbacktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

// RunSurveys checks that stores from newStore behave as feedback.SurveyStore documents
// (questionnaire versions frozen after publication, responses appended and changed only
// to erase a respondent, double-answer prevention under concurrency), and the GDPR
// export and erasure of survey responses through feedback.Service (whose feedback part
// is in memory here). newStore is called once per subtest and
// returns an empty store; clean up with t.Cleanup.
func RunSurveys(t *testing.T, newStore func(t *testing.T) feedback.SurveyStore) {
	t.Run("CreateThenGetReturnsTheVersionWithVersion1", func(t *testing.T) { testQCreateGet(t, newStore(t)) })
	t.Run("GetNumberZeroReturnsTheHighestVersion", func(t *testing.T) { testQLatest(t, newStore(t)) })
	t.Run("CreateExistingVersionIsConflict", func(t *testing.T) { testQDuplicate(t, newStore(t)) })
	t.Run("CreateZeroIDOrNumberIsInvalid", func(t *testing.T) { testQInvalid(t, newStore(t)) })
	t.Run("GetMissingIsNotFound", func(t *testing.T) { testQMissing(t, newStore(t)) })
	t.Run("ListVersionsInNumberOrder", func(t *testing.T) { testQList(t, newStore(t)) })
	t.Run("UpdateDraftAddsOneToVersion", func(t *testing.T) { testQUpdate(t, newStore(t)) })
	t.Run("FailedUpdateSavesNothing", func(t *testing.T) { testQFailedUpdate(t, newStore(t)) })
	t.Run("PublishedVersionIsFrozen", func(t *testing.T) { testQFrozen(t, newStore(t)) })
	t.Run("ReturnedValuesShareNothingWithTheStore", func(t *testing.T) { testSurveyNoSharing(t, newStore(t)) })
	t.Run("AddResponseChecksIDsAndVersion", func(t *testing.T) { testRAddErrors(t, newStore(t)) })
	t.Run("ListResponsesInIDOrderWithFilterCursorAndLimit", func(t *testing.T) { testRList(t, newStore(t)) })
	t.Run("ListConsumerMayCallTheStore", func(t *testing.T) { testRListReentrant(t, newStore(t)) })
	t.Run("UsedGuardIsConflictAcrossVersions", func(t *testing.T) { testRGuard(t, newStore(t)) })
	t.Run("CanceledContextFails", func(t *testing.T) { testSurveyCanceled(t, newStore(t)) })
	t.Run("ConcurrentDoubleAnswersStoreExactlyOne", func(t *testing.T) { testRConcurrentGuard(t, newStore(t)) })
	t.Run("ConcurrentDraftUpdatesLoseNothing", func(t *testing.T) { testQConcurrentUpdates(t, newStore(t)) })
	t.Run("ListResponsesByRespondent", func(t *testing.T) { testRListByRespondent(t, newStore(t)) })
	t.Run("UpdateResponseKeepsIdentityAndFreesAClearedGuard", func(t *testing.T) { testRUpdate(t, newStore(t)) })
	t.Run("ExportHoldsEverythingAboutOnePerson", func(t *testing.T) { testSurveyGDPRExport(t, newStore(t)) })
	t.Run("ErasureBlanksAndKeepsAggregates", func(t *testing.T) { testSurveyGDPRErasure(t, newStore(t)) })
	t.Run("ErasureIsIdempotent", func(t *testing.T) { testSurveyGDPRIdempotent(t, newStore(t)) })
}

// newQuestionnaire returns a valid, published-ready draft version.
func newQuestionnaire(t *testing.T, number int) feedback.Questionnaire {
	t.Helper()
	id, err := feedback.NewQuestionnaireID()
	if err != nil {
		t.Fatal(err)
	}
	q := feedback.StandardQuestionnaire(id)
	q.Number = number
	q.Questions[4].ShowIf = &feedback.Condition{Question: feedback.StdRecommend, Op: feedback.OpNotEquals, Value: "10"}
	q.CreatedAt = base
	return q
}

func createQ(t *testing.T, s feedback.SurveyStore, q feedback.Questionnaire) {
	t.Helper()
	if err := s.CreateQuestionnaire(t.Context(), q); err != nil {
		t.Fatalf("CreateQuestionnaire: %v", err)
	}
}

func publishQ(t *testing.T, s feedback.SurveyStore, q feedback.Questionnaire) feedback.Questionnaire {
	t.Helper()
	p, err := s.UpdateQuestionnaire(t.Context(), q.ID, q.Number, func(x *feedback.Questionnaire) error {
		x.PublishedAt = base.Add(time.Hour)
		return nil
	})
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return p
}

// newResponse returns a response to q at base + n minutes with a free-text answer.
func newResponse(t *testing.T, q feedback.Questionnaire, n int, guard string) feedback.SurveyResponse {
	t.Helper()
	id, err := feedback.NewResponseID()
	if err != nil {
		t.Fatal(err)
	}
	return feedback.SurveyResponse{ID: id, Questionnaire: q.ID, Number: q.Number, At: base.Add(time.Duration(n) * time.Minute),
		Unit: "unit-1", Lang: "fi", Guard: guard, Answers: map[string]feedback.SurveyAnswer{
			feedback.StdRecommend: feedback.NumberAnswer(n % 11),
			feedback.StdComment:   {Text: "Jono oli pitkä.", Classification: feedback.Classification{Lang: "fi", Themes: []string{"access"}}},
			"choice":              {Choices: []string{"a", "b"}},
		}}
}

func addR(t *testing.T, s feedback.SurveyStore, r feedback.SurveyResponse) {
	t.Helper()
	if err := s.AddResponse(t.Context(), r); err != nil {
		t.Fatalf("AddResponse: %v", err)
	}
}

func getQ(t *testing.T, s feedback.SurveyStore, id feedback.QuestionnaireID, n int) feedback.Questionnaire {
	t.Helper()
	q, err := s.GetQuestionnaire(t.Context(), id, n)
	if err != nil {
		t.Fatalf("GetQuestionnaire: %v", err)
	}
	return q
}

func sameQ(t *testing.T, got, want feedback.Questionnaire, what string) {
	t.Helper()
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.PublishedAt.Equal(want.PublishedAt) {
		t.Errorf("%s: instants %v/%v, want %v/%v", what, got.CreatedAt, got.PublishedAt, want.CreatedAt, want.PublishedAt)
	}
	got.CreatedAt, got.PublishedAt, want.CreatedAt, want.PublishedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func sameR(t *testing.T, got, want feedback.SurveyResponse, what string) {
	t.Helper()
	if !got.At.Equal(want.At) {
		t.Errorf("%s: at %v, want %v", what, got.At, want.At)
	}
	got.At, want.At = time.Time{}, time.Time{}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// mustJSON returns the JSON form of v: values are compared by what they store, without
// reflection.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func listR(t *testing.T, s feedback.SurveyStore, f feedback.ResponseFilter) []feedback.SurveyResponse {
	t.Helper()
	var out []feedback.SurveyResponse
	for r, err := range s.ListResponses(t.Context(), f) {
		if err != nil {
			t.Fatalf("ListResponses: %v", err)
		}
		out = append(out, r)
	}
	return out
}

func ids(rs []feedback.SurveyResponse) []feedback.ResponseID {
	out := make([]feedback.ResponseID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func testQCreateGet(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	got := getQ(t, s, q.ID, 1)
	want := q
	want.Version = 1
	sameQ(t, got, want, "the stored version")
}

func testQLatest(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	q3 := q.Clone()
	q3.Number = 3
	q3.Title.FI = "kolmas"
	createQ(t, s, q3)
	if got := getQ(t, s, q.ID, 0); got.Number != 3 || got.Title.FI != "kolmas" {
		t.Errorf("number 0 gave version %d, want the highest, 3", got.Number)
	}
	if got := getQ(t, s, q.ID, 1); got.Number != 1 {
		t.Errorf("number 1 gave version %d", got.Number)
	}
}

func testQDuplicate(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	other := q.Clone()
	other.Title.FI = "toinen"
	wantKind(t, s.CreateQuestionnaire(t.Context(), other), osallisuus.ErrConflict, "a version is created once")
	if got := getQ(t, s, q.ID, 1); got.Title.FI != q.Title.FI {
		t.Errorf("a refused create changed the stored version: %q", got.Title.FI)
	}
}

func testQInvalid(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	zero := q.Clone()
	zero.ID = feedback.QuestionnaireID{}
	wantKind(t, s.CreateQuestionnaire(t.Context(), zero), osallisuus.ErrInvalid, "a zero ID is invalid")
	q.Number = 0
	wantKind(t, s.CreateQuestionnaire(t.Context(), q), osallisuus.ErrInvalid, "a Number below 1 is invalid")
	_, err := s.GetQuestionnaire(t.Context(), q.ID, 0)
	wantKind(t, err, osallisuus.ErrNotFound, "nothing was stored")
}

func testQMissing(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	_, err := s.GetQuestionnaire(t.Context(), q.ID, 0)
	wantKind(t, err, osallisuus.ErrNotFound, "an unknown questionnaire")
	createQ(t, s, q)
	_, err = s.GetQuestionnaire(t.Context(), q.ID, 2)
	wantKind(t, err, osallisuus.ErrNotFound, "an unknown version")
	_, err = s.UpdateQuestionnaire(t.Context(), q.ID, 2, func(*feedback.Questionnaire) error { return nil })
	wantKind(t, err, osallisuus.ErrNotFound, "updating an unknown version")
}

func testQList(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	other := newQuestionnaire(t, 1)
	createQ(t, s, other)
	for _, n := range []int{3, 1, 2} {
		v := q.Clone()
		v.Number = n
		createQ(t, s, v)
	}
	var got []int
	for v, err := range s.ListQuestionnaireVersions(t.Context(), q.ID) {
		if err != nil {
			t.Fatalf("ListQuestionnaireVersions: %v", err)
		}
		if v.ID != q.ID {
			t.Errorf("listed another questionnaire's version")
		}
		got = append(got, v.Number)
	}
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("versions %v, want [1 2 3]", got)
	}
	unknown := newQuestionnaire(t, 1)
	for _, err := range s.ListQuestionnaireVersions(t.Context(), unknown.ID) {
		t.Errorf("an unknown questionnaire listed a version (err %v)", err)
	}
}

func testQUpdate(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 2)
	createQ(t, s, q)
	got, err := s.UpdateQuestionnaire(t.Context(), q.ID, 2, func(x *feedback.Questionnaire) error {
		x.Title.EN = "Changed"
		x.ID, x.Number = feedback.QuestionnaireID{}, 9 // ignored
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateQuestionnaire: %v", err)
	}
	if got.Version != 2 || got.ID != q.ID || got.Number != 2 || got.Title.EN != "Changed" {
		t.Errorf("returned %+v, want version 2 with the change and the same ID and Number", got)
	}
	sameQ(t, getQ(t, s, q.ID, 2), got, "the stored value is the returned one")
}

func testQFailedUpdate(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	boom := errors.New("boom")
	_, err := s.UpdateQuestionnaire(t.Context(), q.ID, 1, func(x *feedback.Questionnaire) error {
		x.Title.FI = "muutettu"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want fn's error", err)
	}
	if got := getQ(t, s, q.ID, 1); got.Version != 1 || got.Title.FI == "muutettu" {
		t.Errorf("a failed update saved: %+v", got)
	}
}

func testQFrozen(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	p := publishQ(t, s, q)
	if p.Version != 2 || !p.Published() {
		t.Fatalf("publishing returned %+v", p)
	}
	called := false
	_, err := s.UpdateQuestionnaire(t.Context(), q.ID, 1, func(x *feedback.Questionnaire) error {
		called = true
		x.Title.FI = "muutettu"
		x.PublishedAt = time.Time{}
		return nil
	})
	wantKind(t, err, osallisuus.ErrConflict, "a published version is frozen (Q2)")
	var re *osallisuus.RuleError
	if !errors.As(err, &re) || !re.Has(feedback.ReasonPublished) {
		t.Errorf("got %v, want a *osallisuus.RuleError with reason published", err)
	}
	if called {
		t.Error("fn ran on a published version")
	}
	sameQ(t, getQ(t, s, q.ID, 1), p, "the published version is unchanged")
}

func testSurveyNoSharing(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	q.Questions[0].Text.FI = "muutettu syötteessä"
	q.Questions[1].Labels[0].FI = "muutettu"
	got := getQ(t, s, q.ID, 1)
	if got.Questions[0].Text.FI == "muutettu syötteessä" || got.Questions[1].Labels[0].FI == "muutettu" {
		t.Error("the store shares the questions with the input")
	}
	got.Questions[4].ShowIf.Value = "0"
	if again := getQ(t, s, q.ID, 1); again.Questions[4].ShowIf.Value != "10" {
		t.Error("the store shares a condition with a returned value")
	}
	r := newResponse(t, got, 1, "")
	addR(t, s, r)
	r.Answers["choice"].Choices[0] = "x"
	*r.Answers[feedback.StdRecommend].Number = 99
	r.Answers[feedback.StdComment].Classification.Themes[0] = "x"
	out := listR(t, s, feedback.ResponseFilter{})
	if len(out) != 1 || out[0].Answers["choice"].Choices[0] != "a" || out[0].Answers[feedback.StdComment].Classification.Themes[0] != "access" ||
		*out[0].Answers[feedback.StdRecommend].Number != 1 {
		t.Fatalf("the store shares answers with the input: %+v", out)
	}
	out[0].Answers["choice"].Choices[1] = "y"
	delete(out[0].Answers, feedback.StdRecommend)
	again := listR(t, s, feedback.ResponseFilter{})
	if again[0].Answers["choice"].Choices[1] != "b" || len(again[0].Answers) != 3 {
		t.Error("the store shares answers with a returned value")
	}
}

func testRAddErrors(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	r := newResponse(t, q, 1, "")
	zero := r.Clone()
	zero.ID = feedback.ResponseID{}
	wantKind(t, s.AddResponse(t.Context(), zero), osallisuus.ErrInvalid, "a zero response ID is invalid")
	noQ := r.Clone()
	noQ.Questionnaire = feedback.QuestionnaireID{}
	wantKind(t, s.AddResponse(t.Context(), noQ), osallisuus.ErrInvalid, "a zero questionnaire is invalid")
	v2 := r.Clone()
	v2.Number = 2
	wantKind(t, s.AddResponse(t.Context(), v2), osallisuus.ErrNotFound, "a response to an unknown version")
	addR(t, s, r)
	dup := r.Clone()
	dup.Lang = "sv"
	wantKind(t, s.AddResponse(t.Context(), dup), osallisuus.ErrConflict, "a response is appended once, never changed")
	out := listR(t, s, feedback.ResponseFilter{})
	if len(out) != 1 {
		t.Fatalf("listed %d responses, want 1", len(out))
	}
	sameR(t, out[0], r, "the stored response")
}

func testRList(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	q2 := q.Clone()
	q2.Number = 2
	createQ(t, s, q2)
	other := newQuestionnaire(t, 1)
	createQ(t, s, other)
	var all []feedback.SurveyResponse
	for i := range 6 {
		v := q
		if i%2 == 1 {
			v = q2
		}
		// Minutes 0, 1440, ... put the responses on different Helsinki days.
		r := newResponse(t, v, i*24*60, "")
		all = append(all, r)
	}
	foreign := newResponse(t, other, 0, "")
	// Insert out of ID order.
	for _, i := range []int{3, 0, 5, 1, 4, 2} {
		addR(t, s, all[i])
	}
	addR(t, s, foreign)
	byID := func(rs []feedback.SurveyResponse) []feedback.SurveyResponse {
		rs = slices.Clone(rs)
		slices.SortFunc(rs, func(a, b feedback.SurveyResponse) int { return bytes.Compare(a.ID.UUID[:], b.ID.UUID[:]) })
		return rs
	}
	check := func(what string, f feedback.ResponseFilter, want []feedback.SurveyResponse) {
		t.Helper()
		if got := ids(listR(t, s, f)); !slices.Equal(got, ids(want)) {
			t.Errorf("%s: got %v, want %v", what, got, ids(want))
		}
	}
	mine := byID(all)
	check("every response of the questionnaire in ID order", feedback.ResponseFilter{Questionnaire: q.ID}, mine)
	check("the zero filter matches all", feedback.ResponseFilter{}, byID(append(slices.Clone(all), foreign)))
	check("version 2 only", feedback.ResponseFilter{Questionnaire: q.ID, Number: 2}, byID([]feedback.SurveyResponse{all[1], all[3], all[5]}))
	d := osallisuus.DateOf(base)
	check("Helsinki days 2 and 3", feedback.ResponseFilter{Questionnaire: q.ID, Range: osallisuus.DateRange{From: d.AddDays(1), Until: d.AddDays(2)}},
		byID([]feedback.SurveyResponse{all[1], all[2]}))
	check("after a cursor with a limit", feedback.ResponseFilter{Questionnaire: q.ID, After: mine[1].ID, Limit: 3}, mine[2:5])
}

func testRListReentrant(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	addR(t, s, newResponse(t, q, 1, ""))
	addR(t, s, newResponse(t, q, 2, ""))
	n := 0
	for _, err := range s.ListResponses(t.Context(), feedback.ResponseFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 1 {
			if err := s.AddResponse(t.Context(), newResponse(t, q, 3, "")); err != nil {
				t.Fatalf("AddResponse inside a listing: %v", err)
			}
		}
	}
	for range s.ListQuestionnaireVersions(t.Context(), q.ID) {
		if _, err := s.UpdateQuestionnaire(t.Context(), q.ID, 1, func(*feedback.Questionnaire) error { return nil }); err != nil {
			t.Fatalf("UpdateQuestionnaire inside a listing: %v", err)
		}
	}
}

func testRGuard(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	q2 := q.Clone()
	q2.Number = 2
	createQ(t, s, q2)
	other := newQuestionnaire(t, 1)
	createQ(t, s, other)
	addR(t, s, newResponse(t, q, 1, "g1"))
	wantKind(t, s.AddResponse(t.Context(), newResponse(t, q, 2, "g1")), osallisuus.ErrConflict, "a used guard (Q3)")
	wantKind(t, s.AddResponse(t.Context(), newResponse(t, q2, 3, "g1")), osallisuus.ErrConflict, "a used guard in another version of the questionnaire")
	addR(t, s, newResponse(t, other, 4, "g1")) // another questionnaire: allowed
	addR(t, s, newResponse(t, q, 5, ""))       // no guard: never a conflict
	addR(t, s, newResponse(t, q, 6, ""))
	if n := len(listR(t, s, feedback.ResponseFilter{Questionnaire: q.ID})); n != 3 {
		t.Errorf("stored %d responses of the questionnaire, want 3", n)
	}
}

func testSurveyCanceled(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.GetQuestionnaire(ctx, q.ID, 1)
	wantKind(t, err, context.Canceled, "a done context ends the call")
	wantKind(t, s.CreateQuestionnaire(ctx, newQuestionnaire(t, 1)), context.Canceled, "a done context ends the call")
	_, err = s.UpdateQuestionnaire(ctx, q.ID, 1, func(*feedback.Questionnaire) error { return nil })
	wantKind(t, err, context.Canceled, "a done context ends the call")
	wantKind(t, s.AddResponse(ctx, newResponse(t, q, 1, "")), context.Canceled, "a done context ends the call")
	for _, err := range s.ListResponses(ctx, feedback.ResponseFilter{}) {
		wantKind(t, err, context.Canceled, "a done context ends the listing")
	}
	for _, err := range s.ListQuestionnaireVersions(ctx, q.ID) {
		wantKind(t, err, context.Canceled, "a done context ends the listing")
	}
	if n := len(listR(t, s, feedback.ResponseFilter{})); n != 0 {
		t.Errorf("a canceled AddResponse stored %d responses", n)
	}
}

func testRConcurrentGuard(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	publishQ(t, s, q)
	const answerers = 32
	errs := make(chan error, answerers)
	var wg sync.WaitGroup
	for i := range answerers {
		r := newResponse(t, q, i, "same-respondent")
		wg.Go(func() { errs <- s.AddResponse(context.Background(), r) })
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, osallisuus.ErrConflict):
			t.Errorf("a double answer failed with %v, want ErrConflict", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent answers with one guard were stored, want exactly 1", ok, answerers)
	}
	if n := len(listR(t, s, feedback.ResponseFilter{Questionnaire: q.ID})); n != 1 {
		t.Errorf("listed %d responses, want 1", n)
	}
}

func testQConcurrentUpdates(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	const writers = 20
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, err := s.UpdateQuestionnaire(context.Background(), q.ID, 1, func(x *feedback.Questionnaire) error {
				x.Questions = append(x.Questions, feedback.SurveyQuestion{ID: fmt.Sprintf("extra%d", i), Type: feedback.TypeYesNo})
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("UpdateQuestionnaire: %v", err)
		}
	}
	got := getQ(t, s, q.ID, 1)
	if got.Version != 1+writers || len(got.Questions) != len(q.Questions)+writers {
		t.Errorf("version %d with %d questions, want %d with %d: an update was lost", got.Version, len(got.Questions),
			1+writers, len(q.Questions)+writers)
	}
}
