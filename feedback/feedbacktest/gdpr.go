package feedbacktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/feedback/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

// The GDPR part of the suites (issue 9): the store operations that export, erasure and
// retention use, and the Service's ExportPersonalData, ErasePersonalData and
// ApplyRetention driven over the store under test with a settable clock.

// AllowAll returns a consent checker that allows every query with reason "granted": the
// suites drive feedback.Service with it, because they test stores, not consent. Use it
// the same way in a backend's own service-level tests; never in production.
func AllowAll() participation.ConsentChecker {
	return participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
	})
}

func newParticipant(t *testing.T) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func byID(a, b feedback.ID) int { return bytes.Compare(a.UUID[:], b.UUID[:]) }

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func listF(t *testing.T, s feedback.Store, f feedback.FeedbackFilter) []feedback.Feedback {
	t.Helper()
	var out []feedback.Feedback
	for v, err := range s.ListFeedback(t.Context(), f) {
		if err != nil {
			t.Fatalf("ListFeedback: %v", err)
		}
		out = append(out, v)
	}
	return out
}

func listC(t *testing.T, s feedback.Store, f feedback.ContactFilter) []feedback.ID {
	t.Helper()
	var out []feedback.ID
	for c, err := range s.ListContacts(t.Context(), f) {
		if err != nil {
			t.Fatalf("ListContacts: %v", err)
		}
		out = append(out, c.Feedback)
	}
	return out
}

func feedbackIDs(fs []feedback.Feedback) []feedback.ID {
	out := make([]feedback.ID, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func testListBySender(t *testing.T, s feedback.Store) {
	p, q := newParticipant(t), newParticipant(t)
	var want []feedback.ID
	for i := range 6 {
		f := newFeedback(t, i)
		switch i % 3 {
		case 0:
			f.Sender = p.String()
			want = append(want, f.ID)
		case 1:
			f.Sender = q.String()
		}
		create(t, s, f)
	}
	slices.SortFunc(want, byID)
	if got := feedbackIDs(listF(t, s, feedback.FeedbackFilter{Sender: p.String()})); !slices.Equal(got, want) {
		t.Errorf("Sender filter yielded %v, want exactly the sender's feedback in ID order %v", got, want)
	}
	if got := feedbackIDs(listF(t, s, feedback.FeedbackFilter{Sender: p.String(), After: want[0]})); !slices.Equal(got, want[1:]) {
		t.Errorf("Sender filter after a cursor yielded %v, want %v", got, want[1:])
	}
	if got := listF(t, s, feedback.FeedbackFilter{Sender: p.String(), State: feedback.StateTriaged}); len(got) != 0 {
		t.Errorf("Sender and State filters together yielded %d, want none (all are received)", len(got))
	}
	if got := listF(t, s, feedback.FeedbackFilter{Sender: newParticipant(t).String()}); len(got) != 0 {
		t.Errorf("an unknown sender yielded %d feedback, want none", len(got))
	}
	// The sender follows updates: a cleared sender is no longer listed under it.
	if _, err := s.UpdateFeedback(t.Context(), want[0], func(f *feedback.Feedback) error { f.Sender = ""; return nil }); err != nil {
		t.Fatalf("UpdateFeedback: %v", err)
	}
	if got := feedbackIDs(listF(t, s, feedback.FeedbackFilter{Sender: p.String()})); !slices.Equal(got, want[1:]) {
		t.Errorf("after clearing one sender the filter yielded %v, want %v", got, want[1:])
	}
}

func testListContacts(t *testing.T, s feedback.Store) {
	p, q := newParticipant(t), newParticipant(t)
	type row struct {
		who   osallisuus.ParticipantID
		until osallisuus.Date
	}
	rows := []row{
		{p, osallisuus.NewDate(2027, 1, 1)},
		{q, osallisuus.NewDate(2027, 1, 2)},
		{p, osallisuus.NewDate(2027, 1, 3)},
		{q, osallisuus.NewDate(2026, 12, 31)},
		{p, osallisuus.NewDate(2027, 6, 1)},
	}
	var all []feedback.ID
	who := map[feedback.ID]row{}
	for i, r := range rows {
		f := newFeedback(t, i)
		create(t, s, f)
		if err := s.CreateContact(t.Context(), feedback.Contact{Feedback: f.ID, Participant: r.who, Email: "asiakas@example.invalid",
			Purpose: "feedback-reply", RetainUntil: r.until, CreatedAt: base}); err != nil {
			t.Fatalf("CreateContact: %v", err)
		}
		all = append(all, f.ID)
		who[f.ID] = r
	}
	slices.SortFunc(all, byID)
	pick := func(keep func(row) bool) []feedback.ID {
		var out []feedback.ID
		for _, id := range all {
			if keep(who[id]) {
				out = append(out, id)
			}
		}
		return out
	}
	day := osallisuus.NewDate(2027, 1, 2)
	cases := []struct {
		name string
		f    feedback.ContactFilter
		want []feedback.ID
	}{
		{"the zero filter yields every contact in feedback ID order", feedback.ContactFilter{}, all},
		{"a participant yields only their contacts", feedback.ContactFilter{Participant: p},
			pick(func(r row) bool { return r.who == p })},
		{"a day yields the contacts kept until before it, not the one kept until that day",
			feedback.ContactFilter{RetainUntilBefore: day}, pick(func(r row) bool { return r.until.Before(day) })},
		{"both conditions together", feedback.ContactFilter{Participant: q, RetainUntilBefore: day},
			pick(func(r row) bool { return r.who == q && r.until.Before(day) })},
		{"a cursor and a limit page through", feedback.ContactFilter{After: all[0], Limit: 2}, all[1:3]},
		{"an unknown participant yields nothing", feedback.ContactFilter{Participant: newParticipant(t)}, nil},
	}
	for _, c := range cases {
		if got := listC(t, s, c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	if err := s.DeleteContact(t.Context(), all[0]); err != nil {
		t.Fatalf("DeleteContact: %v", err)
	}
	if got := listC(t, s, feedback.ContactFilter{}); !slices.Equal(got, all[1:]) {
		t.Errorf("after a delete the listing is %v, want %v", got, all[1:])
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	failed := false
	for _, err := range s.ListContacts(ctx, feedback.ContactFilter{}) {
		failed = errors.Is(err, context.Canceled)
		break
	}
	if !failed {
		t.Errorf("ListContacts on a canceled context did not yield context.Canceled first")
	}
}

// gdprWorld is a feedback service over the store under test, with a clock the test sets.
type gdprWorld struct {
	store feedback.Store
	svc   *feedback.Service
	now   *time.Time
	// subject sent subjectFeedback; other sent otherFeedback; anon is anonymous.
	subject, other                 osallisuus.ParticipantID
	subjectFeedback, otherFeedback []feedback.ID
	anon                           feedback.ID
	// withContact is the subject's feedback with a contact (and an answer).
	withContact feedback.ID
}

const staffID = "staff-1"

func newGDPRWorld(t *testing.T, s feedback.Store, cfg feedback.Config) *gdprWorld {
	t.Helper()
	w := &gdprWorld{store: s, now: new(time.Time)}
	*w.now = base
	cfg.Clock = osallisuus.ClockFunc(func() time.Time { return *w.now })
	svc, err := feedback.NewService(s, AllowAll(), cfg)
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	w.svc = svc
	return w
}

func (w *gdprWorld) submit(t *testing.T, in feedback.Intake) feedback.Feedback {
	t.Helper()
	if in.Channel == "" {
		in.Channel = feedback.ChannelWeb
	}
	f, err := w.svc.Submit(t.Context(), in)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	*w.now = w.now.Add(time.Minute)
	return f
}

func (w *gdprWorld) act(t *testing.T, c feedback.Command) {
	t.Helper()
	c.At = *w.now
	if _, err := w.svc.Act(t.Context(), c); err != nil {
		t.Fatalf("Act %s: %v", c.Action, err)
	}
	*w.now = w.now.Add(time.Minute)
}

// populate stores the subject's feedback (one with a contact that went through triage,
// assignment, an answer whose reasoning holds a phone number, and the customer's
// reopening; one withdrawn by the customer with a note), another person's feedback with a
// contact, and an anonymous one.
func (w *gdprWorld) populate(t *testing.T) {
	t.Helper()
	w.subject, w.other = newParticipant(t), newParticipant(t)
	staff := feedback.Actor{Role: feedback.RoleStaff, ID: staffID}
	customer := feedback.Actor{Role: feedback.RoleCustomer, ID: w.subject.String()}

	f1 := w.submit(t, feedback.Intake{Sender: w.subject, UnitCode: "unit-1",
		Text:    "Odotin takaisinsoittoa kaksi viikkoa. Soittakaa minulle.",
		Contact: feedback.Contact{Name: "Testi Henkilö", Phone: "040 000 0001", Email: "testi.henkilo@example.invalid"}})
	w.act(t, feedback.Command{Feedback: f1.ID, Action: feedback.ActionTriage, Actor: staff})
	w.act(t, feedback.Command{Feedback: f1.ID, Action: feedback.ActionAssign, Actor: staff, Assignee: staffID})
	w.act(t, feedback.Command{Feedback: f1.ID, Action: feedback.ActionAnswer, Actor: staff,
		Reasoning: "Soitimme asiakkaalle numeroon 040 123 4567.", SentOn: osallisuus.DateOf(*w.now)})
	w.act(t, feedback.Command{Feedback: f1.ID, Action: feedback.ActionReopen, Actor: customer, Note: "Vastaus ei auttanut minua."})

	f2 := w.submit(t, feedback.Intake{Sender: w.subject, UnitCode: "unit-2", Text: "Kiitos, hoitaja oli ihana."})
	w.act(t, feedback.Command{Feedback: f2.ID, Action: feedback.ActionWithdraw, Actor: customer, Note: "Peruutan tämän."})

	f3 := w.submit(t, feedback.Intake{Sender: w.other, UnitCode: "unit-1", Text: "Parkkipaikkoja on liian vähän.",
		Contact: feedback.Contact{Email: "toinen@example.invalid"}})
	f4 := w.submit(t, feedback.Intake{UnitCode: "unit-1", Text: "Voisiko aulaan tuoda tuoleja?"})

	w.subjectFeedback = []feedback.ID{f1.ID, f2.ID}
	slices.SortFunc(w.subjectFeedback, byID)
	w.otherFeedback, w.anon, w.withContact = []feedback.ID{f3.ID}, f4.ID, f1.ID
}

func (w *gdprWorld) get(t *testing.T, id feedback.ID) feedback.Feedback {
	t.Helper()
	f, err := w.store.GetFeedback(t.Context(), id)
	if err != nil {
		t.Fatalf("GetFeedback: %v", err)
	}
	return f
}

// figures are what statistics read from feedback: per feedback, its unit, labels, state,
// classification and text, in ID order.
func (w *gdprWorld) figures(t *testing.T) string {
	t.Helper()
	type fig struct {
		Unit, Text, State string
		Labels            feedback.Labels
		Kind              feedback.Kind
		Themes            []string
		Due               osallisuus.Date
	}
	var out []fig
	for _, f := range listF(t, w.store, feedback.FeedbackFilter{}) {
		out = append(out, fig{f.UnitCode, f.Text, string(f.State), f.Labels, f.Classification.Kind, f.Classification.Themes, f.Due})
	}
	return toJSON(t, out)
}

func (w *gdprWorld) export(t *testing.T, id osallisuus.ParticipantID) feedback.PersonalData {
	t.Helper()
	pd, err := w.svc.ExportPersonalData(t.Context(), id)
	if err != nil {
		t.Fatalf("ExportPersonalData: %v", err)
	}
	return pd
}

func (w *gdprWorld) erase(t *testing.T, id osallisuus.ParticipantID) osallisuus.ErasureReport {
	t.Helper()
	rep, err := w.svc.ErasePersonalData(t.Context(), id)
	if err != nil {
		t.Fatalf("ErasePersonalData: %v", err)
	}
	if rep.Package != "feedback" || rep.Subject != id || !rep.At.Equal(*w.now) || rep.Erased == nil || rep.Retained == nil {
		t.Errorf("report %+v: want package feedback, the subject, the clock's now and non-nil lists", rep)
	}
	return rep
}

func testGDPRExport(t *testing.T, s feedback.Store) {
	w := newGDPRWorld(t, s, feedback.Config{})
	w.populate(t)
	pd := w.export(t, w.subject)
	if pd.Subject != w.subject {
		t.Errorf("export subject %v, want %v", pd.Subject, w.subject)
	}
	if len(pd.Contacts) != 1 || pd.Contacts[0].Feedback != w.withContact ||
		pd.Contacts[0].Name != "Testi Henkilö" || pd.Contacts[0].Phone != "040 000 0001" || pd.Contacts[0].Participant != w.subject {
		t.Errorf("exported contacts %+v, want the one contact of the subject with its details", pd.Contacts)
	}
	if got := feedbackIDs(pd.Feedback); !slices.Equal(got, w.subjectFeedback) {
		t.Errorf("exported feedback %v, want the subject's %v in ID order", got, w.subjectFeedback)
	}
	for _, f := range pd.Feedback {
		if stored := w.get(t, f.ID); toJSON(t, f) != toJSON(t, stored) {
			t.Errorf("exported feedback differs from the stored one:\n got %s\nwant %s", toJSON(t, f), toJSON(t, stored))
		}
		if f.Text == "" || f.Classification.Kind == "" || f.Sender != w.subject.String() {
			t.Errorf("exported feedback %s lacks its text, classification or sender", f.ID)
		}
	}
	doc := toJSON(t, pd)
	for _, absent := range []string{w.other.String(), "toinen@example.invalid", "Parkkipaikkoja", "tuoleja"} {
		if strings.Contains(doc, absent) {
			t.Errorf("the export holds %q, which is about someone else", absent)
		}
	}
	if !strings.Contains(doc, `"surveyResponses":[]`) {
		t.Errorf("an export without survey responses must hold an empty list: %s", doc)
	}
	empty := w.export(t, newParticipant(t))
	if got := toJSON(t, empty); !strings.Contains(got, `"contacts":[],"feedback":[],"surveyResponses":[]`) {
		t.Errorf("an unknown participant's export is %s, want empty lists", got)
	}
	if _, err := w.svc.ExportPersonalData(t.Context(), osallisuus.ParticipantID{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("export of the zero ID: %v, want ErrInvalid (it would match everyone)", err)
	}
	again := w.export(t, w.subject)
	if toJSON(t, again) != doc {
		t.Errorf("a second export differs: the export must be deterministic and read-only")
	}
}

func testGDPRErasure(t *testing.T, s feedback.Store) {
	w := newGDPRWorld(t, s, feedback.Config{})
	w.populate(t)
	before := w.figures(t)
	otherBefore := toJSON(t, w.get(t, w.otherFeedback[0]))
	otherContact, err := s.GetContact(t.Context(), w.otherFeedback[0])
	if err != nil {
		t.Fatalf("GetContact: %v", err)
	}
	otherContactJSON := toJSON(t, otherContact)
	versions := map[feedback.ID]int64{}
	for _, id := range w.subjectFeedback {
		versions[id] = w.get(t, id).Version
	}

	rep := w.erase(t, w.subject)
	wantErased := `[{"kind":"contacts","count":1},{"kind":"feedback-sender-links","count":2}]`
	wantRetained := `[{"kind":"feedback","count":2,"basis":"redacted"}]`
	if got := toJSON(t, rep.Erased); got != wantErased {
		t.Errorf("Erased %s, want %s", got, wantErased)
	}
	if got := toJSON(t, rep.Retained); got != wantRetained {
		t.Errorf("Retained %s, want %s", got, wantRetained)
	}

	for _, id := range w.subjectFeedback {
		if _, err := s.GetContact(t.Context(), id); !errors.Is(err, osallisuus.ErrNotFound) {
			t.Errorf("the subject's contact of %s is still there (%v)", id, err)
		}
		f := w.get(t, id)
		if f.Version != versions[id]+1 {
			t.Errorf("feedback %s version %d, want %d: erased in one save", id, f.Version, versions[id]+1)
		}
		doc := toJSON(t, f)
		if f.Sender != "" || strings.Contains(doc, w.subject.String()) {
			t.Errorf("feedback %s still links the subject: %s", id, doc)
		}
		for _, leak := range []string{"040 123 4567", "Vastaus ei auttanut", "Peruutan"} {
			if strings.Contains(doc, leak) {
				t.Errorf("feedback %s still holds %q after erasure", id, leak)
			}
		}
		for _, e := range f.Events {
			if e.Actor.Role == feedback.RoleCustomer && (e.Actor.ID != "" || e.Note != "") {
				t.Errorf("a customer event of %s keeps its ID or note: %+v", id, e)
			}
			if e.Actor.Role == feedback.RoleStaff && e.Actor.ID != staffID {
				t.Errorf("a staff event of %s lost its actor: %+v", id, e)
			}
		}
	}
	if answered := w.get(t, w.withContact); !strings.Contains(answered.Reasoning, "[phone]") {
		t.Errorf("the reasoning %q should be kept redacted", answered.Reasoning)
	}
	if after := w.figures(t); after != before {
		t.Errorf("erasure changed what statistics read:\nbefore %s\n after %s", before, after)
	}
	if got := toJSON(t, w.get(t, w.otherFeedback[0])); got != otherBefore {
		t.Errorf("erasure changed another person's feedback")
	}
	if c, err := s.GetContact(t.Context(), w.otherFeedback[0]); err != nil || toJSON(t, c) != otherContactJSON {
		t.Errorf("erasure changed another person's contact: %+v, %v", c, err)
	}
	pd := w.export(t, w.subject)
	if len(pd.Contacts)+len(pd.Feedback)+len(pd.SurveyResponses) != 0 {
		t.Errorf("after erasure the export still holds %+v", pd)
	}
	if got := w.export(t, w.other); len(got.Contacts) != 1 || len(got.Feedback) != 1 {
		t.Errorf("another person's export changed: %+v", got)
	}

	unknown := w.erase(t, newParticipant(t))
	if len(unknown.Erased)+len(unknown.Retained) != 0 {
		t.Errorf("erasing someone unknown reported %+v, want an empty report", unknown)
	}
	if _, err := w.svc.ErasePersonalData(t.Context(), osallisuus.ParticipantID{}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("erasure of the zero ID: %v, want ErrInvalid (it would match everyone)", err)
	}
}

// everything is the JSON of every stored feedback and contact, in ID order.
func (w *gdprWorld) everything(t *testing.T) string {
	t.Helper()
	var contacts []feedback.Contact
	for c, err := range w.store.ListContacts(t.Context(), feedback.ContactFilter{}) {
		if err != nil {
			t.Fatalf("ListContacts: %v", err)
		}
		contacts = append(contacts, c)
	}
	return toJSON(t, listF(t, w.store, feedback.FeedbackFilter{})) + toJSON(t, contacts)
}

func testGDPRIdempotent(t *testing.T, s feedback.Store) {
	w := newGDPRWorld(t, s, feedback.Config{})
	w.populate(t)
	first := w.erase(t, w.subject)
	if len(first.Erased) == 0 {
		t.Fatalf("the first erasure erased nothing")
	}
	stored := w.everything(t)
	*w.now = w.now.Add(time.Hour)
	second := w.erase(t, w.subject)
	if len(second.Erased) != 0 {
		t.Errorf("a second erasure erased %+v, want nothing", second.Erased)
	}
	// Documented choice: nothing links the kept items to the person after the first
	// erasure, so the second reports no Retained either.
	if len(second.Retained) != 0 {
		t.Errorf("a second erasure reported Retained %+v, want none (nothing links the kept items to the person)", second.Retained)
	}
	if got := w.everything(t); got != stored {
		t.Errorf("a second erasure changed the store:\nbefore %s\n after %s", stored, got)
	}
}

func testGDPRRetention(t *testing.T, s feedback.Store) {
	w := newGDPRWorld(t, s, feedback.Config{ContactRetentionDays: 30})
	w.subject = newParticipant(t)
	early := w.submit(t, feedback.Intake{Sender: w.subject, Text: "Soittakaa minulle ajanvarauksesta.",
		Contact: feedback.Contact{Phone: "040 000 0002"}})
	*w.now = w.now.Add(10 * 24 * time.Hour)
	late := w.submit(t, feedback.Intake{Sender: w.subject, Text: "Soittakaa minulle laskusta.",
		Contact: feedback.Contact{Phone: "040 000 0003"}})
	anon := w.submit(t, feedback.Intake{Text: "Kiitos hyvästä palvelusta."})
	c, err := s.GetContact(t.Context(), early.ID)
	if err != nil {
		t.Fatalf("GetContact: %v", err)
	}
	lastDay := early.ClockStart.AddDays(30)
	if c.RetainUntil != lastDay {
		t.Fatalf("contact kept until %v, want %v (receipt + ContactRetentionDays)", c.RetainUntil, lastDay)
	}
	run := func(at time.Time) string {
		t.Helper()
		*w.now = at
		rep, err := w.svc.ApplyRetention(t.Context())
		if err != nil {
			t.Fatalf("ApplyRetention: %v", err)
		}
		if rep.Package != "feedback" || !rep.At.Equal(at) || rep.Purged == nil {
			t.Errorf("retention report %+v: want package feedback, the clock's now and a non-nil list", rep)
		}
		return toJSON(t, rep.Purged)
	}
	if got := run(lastDay.Time(23, 59)); got != `[]` {
		t.Errorf("on the contact's last day (Helsinki time) retention purged %s, want nothing", got)
	}
	if got := run(lastDay.AddDays(1).Start()); got != `[{"kind":"contacts","count":1}]` {
		t.Errorf("the day after the last day retention purged %s, want the one expired contact", got)
	}
	if _, err := s.GetContact(t.Context(), early.ID); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("the expired contact is still there (%v)", err)
	}
	if _, err := s.GetContact(t.Context(), late.ID); err != nil {
		t.Errorf("the contact not yet expired was purged (%v)", err)
	}
	if got := run(lastDay.AddDays(1).Start()); got != `[]` {
		t.Errorf("a second run at the same instant purged %s, want nothing", got)
	}
	for _, id := range []feedback.ID{early.ID, late.ID, anon.ID} {
		if f := w.get(t, id); f.Text == "" {
			t.Errorf("retention changed feedback %s", id)
		}
	}
	if got := run(lastDay.AddDays(11).Start()); got != `[{"kind":"contacts","count":1}]` {
		t.Errorf("after the later contact's last day retention purged %s, want it", got)
	}
}

// surveyGDPRWorld is a survey service and a feedback service whose survey store is the
// one under test (the feedback part is in memory).
type surveyGDPRWorld struct {
	store   feedback.SurveyStore
	surveys *feedback.SurveyService
	svc     *feedback.Service
	q       feedback.Questionnaire
	subject osallisuus.ParticipantID
	other   osallisuus.ParticipantID
	mine    []feedback.ResponseID
	now     *time.Time
}

func newSurveyGDPRWorld(t *testing.T, s feedback.SurveyStore) *surveyGDPRWorld {
	t.Helper()
	w := &surveyGDPRWorld{store: s, now: new(time.Time), subject: newParticipant(t), other: newParticipant(t)}
	*w.now = base
	clock := osallisuus.ClockFunc(func() time.Time { return *w.now })
	var err error
	w.surveys, err = feedback.NewSurveyService(s, AllowAll(), feedback.SurveyConfig{Clock: clock, Salt: []byte("test salt, not secret")})
	if err != nil {
		t.Fatalf("NewSurveyService: %v", err)
	}
	w.svc, err = feedback.NewService(memstore.New(), AllowAll(), feedback.Config{Clock: clock, Surveys: s})
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	q := feedback.StandardQuestionnaire(feedback.QuestionnaireID{})
	q.IdentifiedPurpose, q.Prevent = "customer-survey", feedback.PreventKey
	if q, err = w.surveys.CreateQuestionnaire(t.Context(), q); err != nil {
		t.Fatalf("CreateQuestionnaire: %v", err)
	}
	if w.q, err = w.surveys.Publish(t.Context(), q.ID, q.Number); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	answers := []struct {
		who     osallisuus.ParticipantID
		unit    string
		score   int
		comment string
	}{
		{w.subject, "unit-1", 9, "Jonotin tunnin, soittakaa 040 123 4567."},
		{w.other, "unit-1", 6, "Hyvä palvelu."},
		{osallisuus.ParticipantID{}, "unit-2", 10, ""},
		{w.subject, "unit-2", 3, ""},
		{osallisuus.ParticipantID{}, "unit-1", 7, "Parkkipaikat puuttuvat."},
	}
	for i, a := range answers {
		in := feedback.AnswerInput{Questionnaire: w.q.ID, Unit: a.unit, Lang: "fi", Respondent: a.who,
			RespondentKey: "key-" + string(rune('a'+i)),
			Answers: map[string]feedback.SurveyAnswer{feedback.StdRecommend: feedback.NumberAnswer(a.score),
				feedback.StdHeard: feedback.NumberAnswer(1 + a.score%5)}}
		if a.comment != "" {
			in.Answers[feedback.StdComment] = feedback.SurveyAnswer{Text: a.comment}
		}
		r, err := w.surveys.Answer(t.Context(), in)
		if err != nil {
			t.Fatalf("Answer: %v", err)
		}
		if a.who == w.subject {
			w.mine = append(w.mine, r.ID)
		}
		*w.now = w.now.Add(time.Hour)
	}
	slices.SortFunc(w.mine, func(a, b feedback.ResponseID) int { return bytes.Compare(a.UUID[:], b.UUID[:]) })
	return w
}

func (w *surveyGDPRWorld) metrics(t *testing.T) string {
	t.Helper()
	var out []string
	for _, b := range [][]feedback.Dimension{nil, {feedback.DimUnit}, {feedback.DimLang, feedback.DimPeriod}} {
		rep, err := w.surveys.Metrics(t.Context(), w.q.ID, feedback.SurveyMetricsConfig{Threshold: 1, Breakdown: b, Period: feedback.PeriodDay})
		if err != nil {
			t.Fatalf("Metrics: %v", err)
		}
		out = append(out, toJSON(t, rep))
	}
	return strings.Join(out, "\n")
}

func testSurveyGDPRExport(t *testing.T, s feedback.SurveyStore) {
	w := newSurveyGDPRWorld(t, s)
	pd, err := w.svc.ExportPersonalData(t.Context(), w.subject)
	if err != nil {
		t.Fatalf("ExportPersonalData: %v", err)
	}
	if got := ids(pd.SurveyResponses); !slices.Equal(got, w.mine) {
		t.Errorf("exported responses %v, want the subject's %v in ID order", got, w.mine)
	}
	for _, r := range pd.SurveyResponses {
		if r.Respondent != w.subject || r.Answers[feedback.StdRecommend].Number == nil {
			t.Errorf("exported response %+v lacks the respondent or the answers", r)
		}
	}
	doc := toJSON(t, pd)
	if !strings.Contains(doc, "Jonotin tunnin, soittakaa [phone].") {
		t.Errorf("the export lacks the subject's free-text answer as stored (redacted): %s", doc)
	}
	for _, absent := range []string{w.other.String(), "Hyvä palvelu", "Parkkipaikat"} {
		if strings.Contains(doc, absent) {
			t.Errorf("the export holds %q, which is not the subject's", absent)
		}
	}
}

func testSurveyGDPRErasure(t *testing.T, s feedback.SurveyStore) {
	w := newSurveyGDPRWorld(t, s)
	before := w.metrics(t)
	others := listR(t, s, feedback.ResponseFilter{Respondent: w.other})
	rep, err := w.svc.ErasePersonalData(t.Context(), w.subject)
	if err != nil {
		t.Fatalf("ErasePersonalData: %v", err)
	}
	wantErased := `[{"kind":"survey-respondent-links","count":2},{"kind":"survey-text-answers","count":1}]`
	wantRetained := `[{"kind":"survey-responses","count":2,"basis":"aggregate"}]`
	if got := toJSON(t, rep.Erased); got != wantErased {
		t.Errorf("Erased %s, want %s", got, wantErased)
	}
	if got := toJSON(t, rep.Retained); got != wantRetained {
		t.Errorf("Retained %s, want %s", got, wantRetained)
	}
	if after := w.metrics(t); after != before {
		t.Errorf("erasure changed the metrics:\nbefore %s\n after %s", before, after)
	}
	all := listR(t, s, feedback.ResponseFilter{})
	if len(all) != 5 {
		t.Fatalf("%d responses after erasure, want all 5 kept", len(all))
	}
	for _, r := range all {
		if !slices.Contains(w.mine, r.ID) {
			continue
		}
		if !r.Respondent.IsZero() || r.Guard != "" {
			t.Errorf("erased response %s keeps its respondent or guard: %+v", r.ID, r)
		}
		if c, ok := r.Answers[feedback.StdComment]; ok && (c.Text != "" || c.Redactions != nil || c.Classification.Matches != nil) {
			t.Errorf("erased response %s keeps its free text: %+v", r.ID, c)
		}
		if r.Answers[feedback.StdRecommend].Number == nil || r.Unit == "" {
			t.Errorf("erased response %s lost what the metrics count: %+v", r.ID, r)
		}
	}
	if got := listR(t, s, feedback.ResponseFilter{Respondent: w.subject}); len(got) != 0 {
		t.Errorf("%d responses still listed under the subject", len(got))
	}
	if got := listR(t, s, feedback.ResponseFilter{Respondent: w.other}); mustJSON(t, got) != mustJSON(t, others) {
		t.Errorf("erasure changed another respondent's responses")
	}
}

func testSurveyGDPRIdempotent(t *testing.T, s feedback.SurveyStore) {
	w := newSurveyGDPRWorld(t, s)
	if _, err := w.svc.ErasePersonalData(t.Context(), w.subject); err != nil {
		t.Fatalf("ErasePersonalData: %v", err)
	}
	stored := mustJSON(t, listR(t, s, feedback.ResponseFilter{}))
	second, err := w.svc.ErasePersonalData(t.Context(), w.subject)
	if err != nil {
		t.Fatalf("second ErasePersonalData: %v", err)
	}
	if len(second.Erased)+len(second.Retained) != 0 {
		t.Errorf("a second erasure reported %+v, want empty Erased (and Retained: nothing links the kept responses to the person)", second)
	}
	if got := mustJSON(t, listR(t, s, feedback.ResponseFilter{})); got != stored {
		t.Errorf("a second erasure changed the responses")
	}
}

func testRListByRespondent(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	p, o := newParticipant(t), newParticipant(t)
	var want []feedback.ResponseID
	for i := range 6 {
		r := newResponse(t, q, i, "")
		switch i % 3 {
		case 0:
			r.Respondent = p
			want = append(want, r.ID)
		case 1:
			r.Respondent = o
		}
		addR(t, s, r)
	}
	slices.SortFunc(want, func(a, b feedback.ResponseID) int { return bytes.Compare(a.UUID[:], b.UUID[:]) })
	if got := ids(listR(t, s, feedback.ResponseFilter{Respondent: p})); !slices.Equal(got, want) {
		t.Errorf("Respondent filter yielded %v, want exactly the respondent's in ID order %v", got, want)
	}
	if got := ids(listR(t, s, feedback.ResponseFilter{Respondent: p, Questionnaire: q.ID, Limit: 1})); !slices.Equal(got, want[:1]) {
		t.Errorf("Respondent with questionnaire and limit yielded %v, want %v", got, want[:1])
	}
	if got := listR(t, s, feedback.ResponseFilter{Respondent: newParticipant(t)}); len(got) != 0 {
		t.Errorf("an unknown respondent yielded %d responses", len(got))
	}
}

func testRUpdate(t *testing.T, s feedback.SurveyStore) {
	q := newQuestionnaire(t, 1)
	createQ(t, s, q)
	r := newResponse(t, q, 1, "guard-1")
	r.Respondent = newParticipant(t)
	addR(t, s, r)

	boom := errors.New("refused")
	if _, err := s.UpdateResponse(t.Context(), r.ID, func(x *feedback.SurveyResponse) error {
		x.Unit = "changed"
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("a failing fn gave %v, want its own error", err)
	}
	if _, err := s.UpdateResponse(t.Context(), r.ID, func(x *feedback.SurveyResponse) error {
		x.Guard, x.Unit = "another", "changed"
		return nil
	}); !errors.Is(err, osallisuus.ErrInvalid) {
		t.Errorf("setting another guard gave %v, want ErrInvalid", err)
	}
	if got := listR(t, s, feedback.ResponseFilter{}); len(got) != 1 || mustJSON(t, got[0]) != mustJSON(t, r) {
		t.Errorf("a refused update saved something: %+v", got)
	}

	other, err := feedback.NewQuestionnaireID()
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateResponse(t.Context(), r.ID, func(x *feedback.SurveyResponse) error {
		x.Respondent, x.Guard = osallisuus.ParticipantID{}, ""
		c := x.Answers[feedback.StdComment]
		c.Text = ""
		x.Answers[feedback.StdComment] = c
		x.ID, x.Questionnaire, x.Number, x.At = feedback.ResponseID{}, other, 9, time.Time{}
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateResponse: %v", err)
	}
	want := r.Clone()
	want.Respondent, want.Guard = osallisuus.ParticipantID{}, ""
	c := want.Answers[feedback.StdComment]
	c.Text = ""
	want.Answers[feedback.StdComment] = c
	sameR(t, got, want, "UpdateResponse result (ID, questionnaire, number and time kept)")
	stored := listR(t, s, feedback.ResponseFilter{Questionnaire: q.ID})
	if len(stored) != 1 {
		t.Fatalf("%d responses of the questionnaire after the update, want 1", len(stored))
	}
	sameR(t, stored[0], want, "stored after UpdateResponse")

	again := newResponse(t, q, 2, "guard-1")
	if err := s.AddResponse(t.Context(), again); err != nil {
		t.Errorf("a cleared guard still refuses a response: %v", err)
	}
	missing, err := feedback.NewResponseID()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateResponse(t.Context(), missing, func(*feedback.SurveyResponse) error { return nil }); !errors.Is(err, osallisuus.ErrNotFound) {
		t.Errorf("updating an unknown response gave %v, want ErrNotFound", err)
	}
}

// testGDPRRace runs an erasure and the retention job at once over the same expired
// contacts: both succeed, each contact is deleted and counted exactly once.
func testGDPRRace(t *testing.T, s feedback.Store) {
	w := newGDPRWorld(t, s, feedback.Config{ContactRetentionDays: 1})
	w.subject = newParticipant(t)
	const n = 8
	for i := range n {
		w.submit(t, feedback.Intake{Sender: w.subject, Text: "Soittakaa minulle.",
			Contact: feedback.Contact{Phone: "040 000 000" + string(rune('0'+i))}})
	}
	*w.now = w.now.Add(72 * time.Hour)
	var erased, purged int
	var eraseErr, retainErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		rep, err := w.svc.ErasePersonalData(context.Background(), w.subject)
		eraseErr = err
		for _, c := range rep.Erased {
			if c.Kind == "contacts" {
				erased = c.Count
			}
		}
	})
	wg.Go(func() {
		rep, err := w.svc.ApplyRetention(context.Background())
		retainErr = err
		for _, c := range rep.Purged {
			purged += c.Count
		}
	})
	wg.Wait()
	if eraseErr != nil || retainErr != nil {
		t.Fatalf("erasure %v, retention %v: both must succeed", eraseErr, retainErr)
	}
	if erased+purged != n {
		t.Errorf("erasure deleted %d and retention %d contacts, want %d in all: each exactly once", erased, purged, n)
	}
	if left := listC(t, s, feedback.ContactFilter{}); len(left) != 0 {
		t.Errorf("%d contacts left", len(left))
	}
}
