package feedback_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func consent(allowed bool) participation.ConsentChecker {
	return participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		if allowed {
			return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
		}
		return participation.ConsentDecision{Reason: participation.ReasonNoConsent, Query: q}, nil
	})
}

func newService(t *testing.T, allowed bool) (*feedback.Service, *memstore.Store) {
	t.Helper()
	store := memstore.New()
	svc, err := feedback.NewService(store, consent(allowed), feedback.Config{Clock: osallisuus.FixedClock(now)})
	require.NoError(t, err)
	return svc, store
}

func TestSubmitRedactsClassifiesAndSetsTheDeadline(t *testing.T) {
	svc, _ := newService(t, true)
	who, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	f, err := svc.Submit(t.Context(), feedback.Intake{Channel: feedback.ChannelWeb, Sender: who,
		Text: "  Odotin takaisinsoittoa kaksi viikkoa. Soittakaa numeroon 040 123 4567.  "})
	require.NoError(t, err)
	assert.Equal(t, "Odotin takaisinsoittoa kaksi viikkoa. Soittakaa numeroon [phone].", f.Text, "stored text is redacted and trimmed")
	assert.Equal(t, feedback.KindComplaint, f.Classification.Kind)
	assert.True(t, f.Labels.WantsReply)
	assert.Equal(t, feedback.StateReceived, f.State)
	assert.Equal(t, "2026-03-16", f.Due.String(), "10 business days")
	assert.Equal(t, who.String(), f.Sender)
	assert.Equal(t, feedback.RoleCustomer, f.Events[0].Actor.Role)
	assert.Equal(t, int64(1), f.Version)
}

func TestSubmitRejectsBadInputAndStoresNothing(t *testing.T) {
	svc, store := newService(t, true)
	_, err := svc.Submit(t.Context(), feedback.Intake{Channel: "fax", Text: "   "})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, ok := err.(*osallisuus.ValidationError)
	require.True(t, ok)
	assert.True(t, ve.Has("channel"))
	assert.True(t, ve.Has("text"))
	n := 0
	for range store.ListFeedback(t.Context(), feedback.FeedbackFilter{}) {
		n++
	}
	assert.Zero(t, n, "nothing is stored")
}

func TestSubmitContactNeedsConsent(t *testing.T) {
	who, _ := osallisuus.NewParticipantID()
	in := feedback.Intake{Channel: feedback.ChannelEmail, Sender: who, Text: "Miten saan kopion potilaskertomuksestani?",
		Contact: feedback.Contact{Name: "Testi Henkilö", Email: "testi@example.invalid"}}

	svc, _ := newService(t, true)
	f, err := svc.Submit(t.Context(), in)
	require.NoError(t, err)
	c, err := svc.Contact(t.Context(), f.ID)
	require.NoError(t, err, "allowed consent stores the contact")
	assert.Equal(t, "feedback-reply", c.Purpose)
	assert.Equal(t, "2027-03-02", c.RetainUntil.String())

	svc, _ = newService(t, false)
	f, err = svc.Submit(t.Context(), in)
	require.ErrorIs(t, err, osallisuus.ErrForbidden, "the caller can tell the sender")
	assert.False(t, f.ID.IsZero(), "the feedback is still stored")
	_, err = svc.Get(t.Context(), f.ID)
	require.NoError(t, err)
	_, err = svc.Contact(t.Context(), f.ID)
	require.ErrorIs(t, err, osallisuus.ErrNotFound, "no contact without consent")
}

func TestActRunsTheWorkflowAndMerges(t *testing.T) {
	svc, _ := newService(t, true)
	staff := feedback.Actor{Role: feedback.RoleStaff, ID: "s1"}
	a, err := svc.Submit(t.Context(), feedback.Intake{Channel: feedback.ChannelPhone, EnteredBy: staff,
		Text: "Haluan tehdä muistutuksen hoidosta, lääkäri ei tutkinut minua."})
	require.NoError(t, err)
	require.True(t, a.Labels.FormalComplaint)
	b, err := svc.Submit(t.Context(), feedback.Intake{Channel: feedback.ChannelWeb, Text: "Milloin saan vastauksen?"})
	require.NoError(t, err)

	_, err = svc.Act(t.Context(), feedback.Command{Feedback: b.ID, Action: feedback.ActionAssign, Actor: staff, Assignee: "s2"})
	require.ErrorIs(t, err, osallisuus.ErrConflict, "assign needs triage first")

	src, err := svc.Act(t.Context(), feedback.Command{Feedback: a.ID, Action: feedback.ActionMerge, Actor: staff, Into: b.ID})
	require.NoError(t, err)
	assert.Equal(t, feedback.StateMerged, src.State)
	into, err := svc.Get(t.Context(), b.ID)
	require.NoError(t, err)
	assert.True(t, into.Labels.FormalComplaint, "the target takes the stricter labels")
	assert.Equal(t, feedback.KindComplaint, into.Labels.Kind)
	assert.Equal(t, "2026-03-30", into.Due.String(), "20 business days from the earlier clock start")
	assert.Equal(t, int64(2), into.Version)

	_, err = svc.Act(t.Context(), feedback.Command{Feedback: a.ID, Action: feedback.ActionWithdraw, Actor: staff, Note: "x"})
	require.ErrorIs(t, err, osallisuus.ErrConflict, "merged is terminal")
	missing, _ := feedback.NewID()
	_, err = svc.Act(t.Context(), feedback.Command{Feedback: missing, Action: feedback.ActionTriage, Actor: staff})
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
}

func TestPublishSummaryRefusesPersonalData(t *testing.T) {
	svc, _ := newService(t, true)
	ls, err := svc.CreateSummary(t.Context(), feedback.LoopSummary{Period: "2026-Q1", Themes: []string{"access"},
		Said: osallisuus.Text{FI: "Puhelimeen on vaikea päästä läpi."}, Did: osallisuus.Text{FI: "Soita 040 123 4567."},
		Status: feedback.LoopDone})
	require.NoError(t, err)
	_, err = svc.PublishSummary(t.Context(), ls.ID)
	require.ErrorIs(t, err, osallisuus.ErrForbidden)

	ok, err := svc.CreateSummary(t.Context(), feedback.LoopSummary{Period: "2026-Q1", Themes: []string{"access"},
		Said: osallisuus.Text{FI: "Puhelimeen on vaikea päästä läpi."}, Did: osallisuus.Text{FI: "Lisäsimme takaisinsoiton."},
		Status: feedback.LoopDone, Linked: make([]feedback.ID, 3)})
	require.NoError(t, err)
	pub, err := svc.PublishSummary(t.Context(), ok.ID)
	require.NoError(t, err)
	assert.Equal(t, now, pub.PublishedAt)
	assert.Equal(t, "alle 5", pub.LinkedCount(5, "fi"))
	assert.Equal(t, "fewer than 5", pub.LinkedCount(0, "en"))
}
