package feedback

import (
	"context"
	"iter"

	"github.com/osallisuus/osallisuus"
)

// ResponseFilter selects survey responses; the zero filter matches all.
type ResponseFilter struct {
	// Questionnaire, when set, matches only its responses.
	Questionnaire QuestionnaireID
	// Number, when above 0, matches only the responses to that version.
	Number int
	// Range, when set, matches only the responses whose At falls on its Helsinki days
	// (both ends inclusive, a zero end open; see osallisuus.DateRange.Contains).
	Range osallisuus.DateRange
	// Respondent, when set, matches only the identified responses of that participant
	// (GDPR export and erasure).
	Respondent osallisuus.ParticipantID
	// After, when set, starts after this ID (a cursor); Limit > 0 caps the count.
	After ResponseID
	Limit int
}

// Match reports whether r passes the filter's conditions (not the cursor or limit).
func (f ResponseFilter) Match(r SurveyResponse) bool {
	return (f.Questionnaire.IsZero() || f.Questionnaire == r.Questionnaire) &&
		(f.Number <= 0 || f.Number == r.Number) &&
		(f.Range == (osallisuus.DateRange{}) || f.Range.Contains(r.At)) &&
		(f.Respondent.IsZero() || f.Respondent == r.Respondent)
}

// SurveyStore keeps questionnaire versions and their responses (Q1–Q3). Implementations
// are safe for concurrent use and must pass feedbacktest.RunSurveys. Values in, values
// out: a returned value shares nothing with what is stored. Every method fails with
// ctx.Err() when the context is done.
//
// A questionnaire version is identified by (ID, Number). A SQL implementation keeps
// versions in one table keyed by (id, number) and responses in another with a unique
// (questionnaire, guard) index where guard is not empty.
type SurveyStore interface {
	// CreateQuestionnaire stores version q.Number of questionnaire q.ID with Version 1.
	// ErrInvalid if q.ID is zero or q.Number < 1; ErrConflict if that version exists.
	CreateQuestionnaire(ctx context.Context, q Questionnaire) error
	// GetQuestionnaire returns a copy of version number of questionnaire id; number 0
	// means the highest stored Number. ErrNotFound if there is none.
	GetQuestionnaire(ctx context.Context, id QuestionnaireID, number int) (Questionnaire, error)
	// ListQuestionnaireVersions yields every stored version of id in increasing Number
	// order (nothing for an unknown id). On failure it yields (zero, err) once and stops.
	ListQuestionnaireVersions(ctx context.Context, id QuestionnaireID) iter.Seq2[Questionnaire, error]
	// UpdateQuestionnaire runs fn on a copy of a draft version and saves the result with
	// Version+1, atomically; publishing is such an update setting PublishedAt.
	// ErrNotFound if the version is unknown. A published version is frozen (Q2): the
	// update fails with ErrConflict (a *osallisuus.RuleError with reason "published")
	// and fn is not called. If fn fails nothing is saved and fn's error is returned. fn
	// may run more than once; changes to ID and Number are ignored.
	UpdateQuestionnaire(ctx context.Context, id QuestionnaireID, number int, fn func(*Questionnaire) error) (Questionnaire, error)
	// AddResponse appends r; responses are never removed by the library, and changed
	// only by UpdateResponse when a respondent's personal data is erased.
	// ErrInvalid if r.ID or r.Questionnaire is zero; ErrNotFound if version
	// (r.Questionnaire, r.Number) is not stored; ErrConflict if r.ID is stored, or if
	// r.Guard is not empty and a response to the same questionnaire (any version)
	// already has that Guard. The check and the insert are one atomic step: of
	// concurrent responses with the same guard exactly one is stored.
	AddResponse(ctx context.Context, r SurveyResponse) error
	// ListResponses yields the responses matching f in ID order (time-ordered UUIDv7,
	// compared as bytes). On failure it yields (zero, err) once and stops.
	ListResponses(ctx context.Context, f ResponseFilter) iter.Seq2[SurveyResponse, error]
	// UpdateResponse runs fn on a copy of response id and saves the result atomically;
	// the library uses it only to erase a respondent's personal data (GDPR Art 17), never
	// to change answers otherwise. ErrNotFound if id is unknown. ID, Questionnaire,
	// Number and At are kept whatever fn does. fn may clear Guard but not set another:
	// a Guard that is neither the stored one nor "" is ErrInvalid (field "guard") and
	// nothing is saved; a cleared guard no longer refuses another response with it. If
	// fn fails nothing is saved and fn's error is returned. fn may run more than once.
	UpdateResponse(ctx context.Context, id ResponseID, fn func(*SurveyResponse) error) (SurveyResponse, error)
}

// ErrPublished returns the error a store returns when asked to change a published
// questionnaire version (Q2): a *osallisuus.RuleError of kind ErrConflict with reason
// "published". For store implementations.
func ErrPublished(op string) error {
	return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrConflict, Reasons: []osallisuus.Reason{ReasonPublished}}
}
