package feedback

import (
	"bytes"
	"context"
	"errors"
	"slices"

	"github.com/osallisuus/osallisuus"
)

// GDPR export, erasure and retention of feedback's own data (issue 9). What the package
// stores about a participant:
//   - contacts ([Contact], Participant is them): name, phone, e-mail and address kept to
//     reply to one feedback;
//   - feedback they sent ([Feedback], Sender is their ID text): the redacted text, its
//     classification, and the workflow, whose events name them as the customer actor
//     when they acted themselves (receive, withdraw, reopen);
//   - identified survey responses ([SurveyResponse], Respondent is them) in the survey
//     store ([Config.Surveys]).
//
// Loop summaries ([LoopSummary]) hold no personal data: their texts must pass the
// redactor before publication and they link feedback by ID only, so they are neither
// exported nor changed. Anonymous survey responses and anonymous feedback cannot be
// told apart from anyone else's and are not covered.

// The item kinds of the erasure and retention reports (ItemCount.Kind,
// Retained.Kind).
const (
	itemContacts          = "contacts"
	itemFeedbackSenders   = "feedback-sender-links"
	itemRespondentLinks   = "survey-respondent-links"
	itemSurveyTextAnswers = "survey-text-answers"
	itemFeedback          = "feedback"
	itemSurveyResponses   = "survey-responses"
)

// PersonalData is everything package feedback stores about one participant (GDPR Art 15
// right of access, Art 20 portability; henkilötiedot). Every slice is non-nil (an empty
// JSON array when there is nothing) and sorted by ID, compared as bytes (the stores'
// order), so the same data always gives the same document.
type PersonalData struct {
	// Subject is the participant the data is about.
	Subject osallisuus.ParticipantID `json:"subject"`
	// Contacts are the contact details kept to reply to their feedback, one per feedback
	// (Contact.Feedback names it), with the purpose and the last day they may be kept;
	// sorted by feedback ID.
	Contacts []Contact `json:"contacts"`
	// Feedback are the feedback they sent (Sender is their ID), and any other feedback one
	// of their contacts belongs to, as stored: the redacted text (the original is not
	// kept), its redactions and classification, the labels, state, due date, answer and
	// the workflow events; sorted by ID. Staff actors in the events are the county's
	// staff identifiers as recorded.
	Feedback []Feedback `json:"feedback"`
	// SurveyResponses are their identified survey responses (Respondent is them) with
	// every answer as stored (free text redacted); sorted by ID.
	SurveyResponses []SurveyResponse `json:"surveyResponses"`
}

// errUnchanged tells an update function's caller that the value no longer belongs to
// the subject (changed meanwhile) and nothing is to be saved.
var errUnchanged = errors.New("unchanged")

// checkSubject refuses the zero participant ID: as a store filter it would match every
// participant.
func checkSubject(op string, id osallisuus.ParticipantID) error {
	if id.IsZero() {
		return &osallisuus.ValidationError{Op: op, Problems: []osallisuus.Problem{{Field: "subject", Code: osallisuus.CodeRequired}}}
	}
	return nil
}

func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ExportPersonalData returns the [PersonalData] of participant id. Read-only. An unknown
// participant is not an error: the result is empty. The zero ID is ErrInvalid (field
// "subject"). Survey responses come from the survey store of [Config.Surveys].
func (s *Service) ExportPersonalData(ctx context.Context, id osallisuus.ParticipantID) (PersonalData, error) {
	if err := checkSubject("export personal data", id); err != nil {
		return PersonalData{}, err
	}
	pd := PersonalData{Subject: id, Contacts: []Contact{}, Feedback: []Feedback{}, SurveyResponses: []SurveyResponse{}}
	var err error
	if pd.Contacts, err = collect(s.store.ListContacts(ctx, ContactFilter{Participant: id})); err != nil {
		return PersonalData{}, err
	}
	if pd.Feedback, err = collect(s.store.ListFeedback(ctx, FeedbackFilter{Sender: id.String()})); err != nil {
		return PersonalData{}, err
	}
	for _, c := range pd.Contacts {
		if slices.ContainsFunc(pd.Feedback, func(f Feedback) bool { return f.ID == c.Feedback }) {
			continue
		}
		f, err := s.store.GetFeedback(ctx, c.Feedback)
		switch {
		case errors.Is(err, osallisuus.ErrNotFound):
			continue
		case err != nil:
			return PersonalData{}, err
		}
		pd.Feedback = append(pd.Feedback, f)
	}
	slices.SortFunc(pd.Feedback, func(a, b Feedback) int { return bytes.Compare(a.ID.UUID[:], b.ID.UUID[:]) })
	for i := range pd.Feedback {
		pd.Feedback[i] = exportedFeedback(pd.Feedback[i])
	}
	if s.surveys != nil {
		if pd.SurveyResponses, err = collect(s.surveys.ListResponses(ctx, ResponseFilter{Respondent: id})); err != nil {
			return PersonalData{}, err
		}
		for i, r := range pd.SurveyResponses {
			for k, a := range r.Answers {
				if a.Text != "" && a.Classification.Themes == nil {
					a.Classification.Themes = []string{}
					pd.SurveyResponses[i].Answers[k] = a
				}
			}
		}
	}
	return pd, nil
}

// exportedFeedback gives f's nil slices their empty JSON form.
func exportedFeedback(f Feedback) Feedback {
	if f.Events == nil {
		f.Events = []Event{}
	}
	if f.Classification.Themes == nil {
		f.Classification.Themes = []string{}
	}
	return f
}

// ErasePersonalData erases what package feedback stores about participant id (GDPR Art
// 17, oikeus tulla unohdetuksi) and reports it (Package "feedback"). The zero ID is
// ErrInvalid (field "subject"); a participant the package knows nothing about gets an
// empty report.
//
// What it does, each item in one atomic store step (so a failure part-way leaves every
// item either untouched or fully erased, and running it again finishes the job):
//   - contacts of id: deleted (Erased "contacts");
//   - feedback they sent: kept for the county's statistics and handling, anonymous
//     (Retained "feedback", [osallisuus.BasisRedacted]): Sender is cleared, the
//     customer actor of their own events loses its ID (the role stays, so the history
//     still reads "the customer withdrew") and the notes they wrote are blanked; the
//     staff notes and the answer's reasoning, which are about them, are passed through
//     [Redact] with the service's options, as the text was on intake; the text itself is
//     kept as stored (already redacted). Erased "feedback-sender-links" counts them.
//     The workflow is not moved: an open feedback stays open as anonymous feedback,
//     because an urgent or safety matter must still be handled (no reply is possible
//     without the contact);
//   - their identified survey responses: kept for the metrics (Retained
//     "survey-responses", [osallisuus.BasisAggregate]) with Respondent set to the zero
//     ID (an anonymous response; no tombstone ID, since nothing needs to tell erased
//     respondents apart), the Guard cleared (a salted hash of a token or respondent key
//     the host could recompute, so the double-answer prevention no longer covers this
//     respondent) and every free-text answer blanked: Text, Redactions and the
//     classification's Matches removed, its labels (language, kind, themes, flags) kept
//     as counts. Numbers, choices, don't-knows, the time and the unit, service, channel
//     and language dimensions stay, so every metric gives the same figures. Erased
//     "survey-respondent-links" counts the responses, "survey-text-answers" the
//     blanked answers.
//
// Erased lists, in this order and only when above zero, "contacts",
// "feedback-sender-links", "survey-respondent-links", "survey-text-answers"; Retained
// "feedback" then "survey-responses". Loop summaries are not changed (they hold no
// personal data). Retained items are anonymous, so their Until is zero. Feedback the
// person submits while the erasure runs may escape it; erase again afterwards. Erasure is idempotent: a second call finds nothing
// linked to id, changes nothing and reports empty Erased. Choice: its Retained is empty
// too (not the first call's), because after the first call nothing links the kept
// items to the person any more and the package keeps no record of whom it erased; the
// host keeps the first report.
func (s *Service) ErasePersonalData(ctx context.Context, id osallisuus.ParticipantID) (osallisuus.ErasureReport, error) {
	if err := checkSubject("erase personal data", id); err != nil {
		return osallisuus.ErasureReport{}, err
	}
	now := s.clock.Now()
	rep := osallisuus.ErasureReport{Package: "feedback", Subject: id, At: now.UTC(),
		Erased: []osallisuus.ItemCount{}, Retained: []osallisuus.Retained{}}
	var nContacts, nFeedback, nResponses, nTexts int
	done := func(err error) (osallisuus.ErasureReport, error) {
		rep.Erased = appendCount(rep.Erased, itemContacts, nContacts)
		rep.Erased = appendCount(rep.Erased, itemFeedbackSenders, nFeedback)
		rep.Erased = appendCount(rep.Erased, itemRespondentLinks, nResponses)
		rep.Erased = appendCount(rep.Erased, itemSurveyTextAnswers, nTexts)
		if nFeedback > 0 {
			rep.Retained = append(rep.Retained, osallisuus.Retained{Kind: itemFeedback, Count: nFeedback, Basis: osallisuus.BasisRedacted})
		}
		if nResponses > 0 {
			rep.Retained = append(rep.Retained, osallisuus.Retained{Kind: itemSurveyResponses, Count: nResponses, Basis: osallisuus.BasisAggregate})
		}
		return rep, err
	}

	contacts, err := collect(s.store.ListContacts(ctx, ContactFilter{Participant: id}))
	if err != nil {
		return done(err)
	}
	for _, c := range contacts {
		switch err := s.store.DeleteContact(ctx, c.Feedback); {
		case errors.Is(err, osallisuus.ErrNotFound): // gone meanwhile (the retention job)
		case err != nil:
			return done(err)
		default:
			nContacts++
		}
	}

	sender := id.String()
	sent, err := collect(s.store.ListFeedback(ctx, FeedbackFilter{Sender: sender}))
	if err != nil {
		return done(err)
	}
	for _, f := range sent {
		_, err := s.store.UpdateFeedback(ctx, f.ID, func(f *Feedback) error {
			if !AnonymiseFeedback(f, sender, s.cfg.Redact) {
				return errUnchanged
			}
			return nil
		})
		switch {
		case errors.Is(err, errUnchanged), errors.Is(err, osallisuus.ErrNotFound):
		case err != nil:
			return done(err)
		default:
			nFeedback++
		}
	}

	if s.surveys == nil {
		return done(nil)
	}
	responses, err := collect(s.surveys.ListResponses(ctx, ResponseFilter{Respondent: id}))
	if err != nil {
		return done(err)
	}
	for _, r := range responses {
		texts := 0
		_, err := s.surveys.UpdateResponse(ctx, r.ID, func(r *SurveyResponse) error {
			var ok bool
			if texts, ok = AnonymiseResponse(r, id); !ok {
				return errUnchanged
			}
			return nil
		})
		switch {
		case errors.Is(err, errUnchanged), errors.Is(err, osallisuus.ErrNotFound):
		case err != nil:
			return done(err)
		default:
			nResponses++
			nTexts += texts
		}
	}
	return done(nil)
}

func appendCount(items []osallisuus.ItemCount, kind string, n int) []osallisuus.ItemCount {
	if n == 0 {
		return items
	}
	return append(items, osallisuus.ItemCount{Kind: kind, Count: n})
}

// AnonymiseFeedback removes sender (a participant ID text) from f as
// [Service.ErasePersonalData] documents: Sender cleared, the ID of their customer actor
// in the events removed and the notes they wrote blanked, the other notes and the
// reasoning redacted with opts. It reports false, changing nothing, when f was not sent
// by sender (or sender is ""). Pure.
func AnonymiseFeedback(f *Feedback, sender string, opts RedactOptions) bool {
	if sender == "" || f.Sender != sender {
		return false
	}
	f.Sender = ""
	for i := range f.Events {
		e := &f.Events[i]
		switch {
		case e.Actor.Role == RoleCustomer && e.Actor.ID == sender:
			e.Actor.ID, e.Note = "", ""
		case e.Note != "":
			e.Note, _ = Redact(e.Note, opts)
		}
	}
	if f.Reasoning != "" {
		f.Reasoning, _ = Redact(f.Reasoning, opts)
	}
	return true
}

// AnonymiseResponse removes respondent from r as [Service.ErasePersonalData] documents:
// Respondent zero, Guard cleared, free-text answers blanked (their classification labels
// kept, the matches removed); numeric and choice answers and the metric dimensions are
// kept. It returns the number of blanked text answers, and false, changing nothing, when
// r is not respondent's (or respondent is zero). Pure.
func AnonymiseResponse(r *SurveyResponse, respondent osallisuus.ParticipantID) (int, bool) {
	if respondent.IsZero() || r.Respondent != respondent {
		return 0, false
	}
	r.Respondent, r.Guard = osallisuus.ParticipantID{}, ""
	texts := 0
	for k, a := range r.Answers {
		if a.Text == "" && a.Redactions == nil && a.Classification.Matches == nil {
			continue
		}
		if a.Text != "" {
			texts++
		}
		a.Text, a.Redactions, a.Classification.Matches = "", nil, nil
		r.Answers[k] = a
	}
	return texts, true
}

// ApplyRetention purges what the county's retention periods say has ended at the
// service clock's now (säilytysajan päättyminen), and reports it (Package "feedback"):
//   - contacts whose RetainUntil (receipt + [Config.ContactRetentionDays], default 365
//     days) is before today's Helsinki date are deleted (Purged "contacts").
//
// Nothing else in the package has a retention period in the spec: the original text is
// never kept, the redacted feedback and the survey responses are the county's
// statistics. Idempotent: a second run at the same instant purges nothing. On a failure
// it returns the error with what it purged so far; running it again finishes the job.
func (s *Service) ApplyRetention(ctx context.Context) (osallisuus.RetentionReport, error) {
	now := s.clock.Now()
	rep := osallisuus.RetentionReport{Package: "feedback", At: now.UTC(), Purged: []osallisuus.ItemCount{}}
	expired, err := collect(s.store.ListContacts(ctx, ContactFilter{RetainUntilBefore: osallisuus.DateOf(now)}))
	if err != nil {
		return rep, err
	}
	n := 0
	for _, c := range expired {
		switch err = s.store.DeleteContact(ctx, c.Feedback); {
		case errors.Is(err, osallisuus.ErrNotFound): // erased meanwhile
			err = nil
		case err != nil:
		default:
			n++
		}
		if err != nil {
			break
		}
	}
	rep.Purged = appendCount(rep.Purged, itemContacts, n)
	return rep, err
}
