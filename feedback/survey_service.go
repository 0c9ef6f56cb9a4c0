package feedback

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// The refusal reasons of the survey service.
const (
	// ReasonAlreadyAnswered: the token or respondent key was used already (Q3).
	ReasonAlreadyAnswered osallisuus.Reason = "already-answered"
	// ReasonNotPublished: a draft version cannot be answered (Q2).
	ReasonNotPublished osallisuus.Reason = "not-published"
	// ReasonDraftExists: the latest version is still a draft; change it instead of
	// starting another.
	ReasonDraftExists osallisuus.Reason = "draft-exists"
)

// SurveyConfig holds the optional settings of a [SurveyService]; the zero value means
// defaults.
type SurveyConfig struct {
	Clock osallisuus.Clock // nil: the system clock
	// Salt is the host's secret that signs one-time tokens and is mixed into the guards
	// of tokens and respondent keys (Q3). It is required for questionnaires with a
	// double-answer prevention: without it a token could be forged and a guard
	// recomputed from a guessed key. Keep it stable: a new salt voids issued tokens.
	Salt []byte
	// Redact are the redaction options of free-text answers (Q4).
	Redact RedactOptions
	// Lexicon classifies free-text answers; nil means DefaultLexicon.
	Lexicon *Lexicon
}

// SurveyService runs questionnaires (kyselyt) over a [SurveyStore]: drafts, publication,
// versions, answers and metrics (Q1–Q5). Safe for concurrent use.
type SurveyService struct {
	store   SurveyStore
	consent participation.ConsentChecker
	clock   osallisuus.Clock
	cfg     SurveyConfig
	lexicon *Lexicon
}

// NewSurveyService returns a SurveyService. consent answers the identified responses of
// questionnaires with an IdentifiedPurpose; it may be nil when there are none (such a
// response is then refused). A missing store is a *osallisuus.ValidationError.
func NewSurveyService(store SurveyStore, consent participation.ConsentChecker, cfg SurveyConfig) (*SurveyService, error) {
	if store == nil {
		return nil, &osallisuus.ValidationError{Op: "survey service",
			Problems: []osallisuus.Problem{{Field: "store", Code: osallisuus.CodeRequired}}}
	}
	lx := cfg.Lexicon
	if lx == nil {
		lx = DefaultLexicon()
	}
	return &SurveyService{store: store, consent: consent, clock: osallisuus.ClockOrSystem(cfg.Clock), cfg: cfg, lexicon: lx}, nil
}

// CreateQuestionnaire stores q as a draft: a zero ID gets a new one, a zero Number is 1.
// It must pass [Questionnaire.Validate] (ErrInvalid); a stored version with the same ID and
// Number is ErrConflict. PublishedAt is cleared: publish with [SurveyService.Publish].
func (s *SurveyService) CreateQuestionnaire(ctx context.Context, q Questionnaire) (Questionnaire, error) {
	q = q.Clone()
	if q.ID.IsZero() {
		id, err := NewQuestionnaireID()
		if err != nil {
			return Questionnaire{}, err
		}
		q.ID = id
	}
	if q.Number == 0 {
		q.Number = 1
	}
	q.PublishedAt, q.CreatedAt = time.Time{}, s.clock.Now().UTC()
	if err := q.Validate(); err != nil {
		return Questionnaire{}, err
	}
	if err := s.store.CreateQuestionnaire(ctx, q); err != nil {
		return Questionnaire{}, err
	}
	q.Version = 1
	return q, nil
}

// UpdateDraft changes a draft version with fn and saves it if the result is valid. A
// published version is ErrConflict (reason "published"), an invalid result ErrInvalid;
// either way nothing changes. fn cannot publish or move the version: PublishedAt, ID
// and Number are kept.
func (s *SurveyService) UpdateDraft(ctx context.Context, id QuestionnaireID, number int, fn func(*Questionnaire) error) (Questionnaire, error) {
	return s.store.UpdateQuestionnaire(ctx, id, number, func(q *Questionnaire) error {
		if err := fn(q); err != nil {
			return err
		}
		q.ID, q.Number, q.PublishedAt = id, number, time.Time{}
		return q.Validate()
	})
}

// Publish freezes a draft version (Q1, Q2) with [PublishQuestionnaire]: a missing
// language is ErrInvalid naming the field, a published version ErrConflict.
func (s *SurveyService) Publish(ctx context.Context, id QuestionnaireID, number int) (Questionnaire, error) {
	now := s.clock.Now()
	return s.store.UpdateQuestionnaire(ctx, id, number, func(q *Questionnaire) error {
		p, err := PublishQuestionnaire(*q, now)
		if err != nil {
			return err
		}
		*q = p
		return nil
	})
}

// NewVersion starts the next version of a questionnaire as a draft copy of its latest,
// published version (Q2). A latest version that is still a draft is ErrConflict (reason
// "draft-exists"); of two concurrent calls one gets ErrConflict from the store.
func (s *SurveyService) NewVersion(ctx context.Context, id QuestionnaireID) (Questionnaire, error) {
	latest, err := s.store.GetQuestionnaire(ctx, id, 0)
	if err != nil {
		return Questionnaire{}, err
	}
	if !latest.Published() {
		return Questionnaire{}, &osallisuus.RuleError{Op: "new questionnaire version", Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{ReasonDraftExists}}
	}
	next := NextVersion(latest, s.clock.Now())
	if err := s.store.CreateQuestionnaire(ctx, next); err != nil {
		return Questionnaire{}, err
	}
	next.Version = 1
	return next, nil
}

// IssueToken returns a one-time token for questionnaire id ([IssueSurveyToken] with the
// configured salt); an empty salt is ErrInvalid naming "config.salt".
func (s *SurveyService) IssueToken(id QuestionnaireID) (string, error) {
	if len(s.cfg.Salt) == 0 {
		return "", osallisuus.Invalid("config.salt", osallisuus.CodeRequired)
	}
	return IssueSurveyToken(s.cfg.Salt, id)
}

// Questionnaire returns version number of questionnaire id; 0 means the latest.
func (s *SurveyService) Questionnaire(ctx context.Context, id QuestionnaireID, number int) (Questionnaire, error) {
	return s.store.GetQuestionnaire(ctx, id, number)
}

// AnswerInput is one respondent's answers as they arrive.
type AnswerInput struct {
	Questionnaire QuestionnaireID
	// Number is the version answered; 0 means the latest published version.
	Number  int
	Answers map[string]SurveyAnswer
	// Unit, Service, Channel and Lang are stored for metric breakdowns; Lang also
	// breaks language ties when classifying free text.
	Unit, Service, Channel, Lang string
	// Token is the one-time token under PreventToken; RespondentKey the host's key under
	// PreventKey. Neither is stored, only their salted hash.
	Token, RespondentKey string
	// Respondent identifies the respondent; allowed only when the questionnaire has an
	// IdentifiedPurpose and consent allows it.
	Respondent osallisuus.ParticipantID
}

// Answer stores one response (Q1–Q4). In order: the version must exist (ErrNotFound)
// and be published (ErrForbidden, reason "not-published"); the token or respondent key
// its prevention needs must be given, and none when it has none, and a respondent only
// with an identified purpose (ErrInvalid naming "token", "respondentKey" or
// "respondent"), a token must be one the host issued (ErrInvalid, "token" format); the
// answers must fit ([CheckAnswers], ErrInvalid naming
// "answers.<id>"); an identified response needs an allowed consent decision for the
// purpose in scope "questionnaire:<id>" (its ErrForbidden). Free text is NFC-normalised,
// redacted and classified as feedback is (Q4). A used token or key is ErrConflict
// (*osallisuus.RuleError, reason "already-answered", Detail the field name "token" or
// "respondentKey"). On any error nothing is stored.
func (s *SurveyService) Answer(ctx context.Context, in AnswerInput) (SurveyResponse, error) {
	q, err := s.answerVersion(ctx, in.Questionnaire, in.Number)
	if err != nil {
		return SurveyResponse{}, err
	}
	ve := &osallisuus.ValidationError{Op: "answer survey"}
	check := func(field, value string, want bool) {
		switch {
		case want && value == "":
			ve.Add(field, osallisuus.CodeRequired)
		case !want && value != "":
			ve.Add(field, osallisuus.CodeNotAllowed)
		}
	}
	check("token", in.Token, q.Prevent == PreventToken)
	check("respondentKey", in.RespondentKey, q.Prevent == PreventKey)
	if q.Prevent != PreventNone && len(s.cfg.Salt) == 0 {
		ve.Add("config.salt", osallisuus.CodeRequired)
	} else if q.Prevent == PreventToken && in.Token != "" && !VerifySurveyToken(s.cfg.Salt, q.ID, in.Token) {
		ve.Add("token", osallisuus.CodeFormat)
	}
	if !in.Respondent.IsZero() && (q.IdentifiedPurpose == "" || s.consent == nil) {
		ve.Add("respondent", osallisuus.CodeNotAllowed)
	}
	if err := CheckAnswers(q, in.Answers); err != nil {
		ve.Problems = append(ve.Problems, err.(*osallisuus.ValidationError).Problems...)
	}
	if err := ve.Err(); err != nil {
		return SurveyResponse{}, err
	}
	now := s.clock.Now()
	if !in.Respondent.IsZero() {
		d, err := s.consent.CheckConsent(ctx, participation.ConsentQuery{Subject: in.Respondent,
			Purpose: q.IdentifiedPurpose, Scope: "questionnaire:" + q.ID.String(), At: now})
		if err != nil {
			return SurveyResponse{}, err
		}
		if err := d.Err(); err != nil {
			return SurveyResponse{}, err
		}
	}
	id, err := NewResponseID()
	if err != nil {
		return SurveyResponse{}, err
	}
	r := SurveyResponse{ID: id, Questionnaire: q.ID, Number: q.Number, At: now.UTC(), Unit: in.Unit,
		Service: in.Service, Channel: in.Channel, Lang: in.Lang, Respondent: in.Respondent,
		Answers: make(map[string]SurveyAnswer, len(in.Answers))}
	for k, a := range in.Answers {
		// Only the fields of the question's type are kept: a caller cannot store its own
		// redactions or classification.
		clean := SurveyAnswer{DontKnow: a.DontKnow, Choices: slices.Clone(a.Choices)}
		if a.Number != nil {
			n := *a.Number
			clean.Number = &n
		}
		if q.Questions[q.Question(k)].Type == TypeText {
			clean.Text, clean.Redactions, clean.Classification = s.prepareText(a.Text, in.Lang)
		}
		r.Answers[k] = clean
	}
	switch q.Prevent {
	case PreventToken:
		r.Guard = RespondentGuard(s.cfg.Salt, q.ID, "token:"+in.Token)
	case PreventKey:
		r.Guard = RespondentGuard(s.cfg.Salt, q.ID, "key:"+in.RespondentKey)
	}
	if err := s.store.AddResponse(ctx, r); err != nil {
		if r.Guard != "" && errors.Is(err, osallisuus.ErrConflict) {
			field := "token"
			if q.Prevent == PreventKey {
				field = "respondentKey"
			}
			return SurveyResponse{}, &osallisuus.RuleError{Op: "answer survey", Kind: osallisuus.ErrConflict,
				Reasons: []osallisuus.Reason{ReasonAlreadyAnswered}, Detail: field}
		}
		return SurveyResponse{}, err
	}
	return r, nil
}

// prepareText redacts and classifies one free-text answer as [Service.Submit] does (Q4).
func (s *SurveyService) prepareText(text, lang string) (string, []Redaction, Classification) {
	text = norm.NFC.String(strings.TrimSpace(text))
	redacted, spans := Redact(text, s.cfg.Redact)
	return redacted, spans, s.lexicon.ClassifyHint(redacted, lang)
}

// answerVersion loads the version to answer: number, or the latest published one.
func (s *SurveyService) answerVersion(ctx context.Context, id QuestionnaireID, number int) (Questionnaire, error) {
	notPublished := &osallisuus.RuleError{Op: "answer survey", Kind: osallisuus.ErrForbidden,
		Reasons: []osallisuus.Reason{ReasonNotPublished}}
	if number > 0 {
		q, err := s.store.GetQuestionnaire(ctx, id, number)
		if err != nil {
			return Questionnaire{}, err
		}
		if !q.Published() {
			return Questionnaire{}, notPublished
		}
		return q, nil
	}
	var latest Questionnaire
	found := false
	for q, err := range s.store.ListQuestionnaireVersions(ctx, id) {
		if err != nil {
			return Questionnaire{}, err
		}
		found = true
		if q.Published() {
			latest = q
		}
	}
	switch {
	case !found:
		return Questionnaire{}, osallisuus.NotFound("questionnaire", id)
	case !latest.Published():
		return Questionnaire{}, notPublished
	}
	return latest, nil
}

// Metrics computes the metrics of a questionnaire over the responses to its published
// versions with [SurveyMetrics] (Q5).
func (s *SurveyService) Metrics(ctx context.Context, id QuestionnaireID, cfg SurveyMetricsConfig) (MetricsReport, error) {
	var versions []Questionnaire
	for q, err := range s.store.ListQuestionnaireVersions(ctx, id) {
		if err != nil {
			return MetricsReport{}, err
		}
		if q.Published() {
			versions = append(versions, q)
		}
	}
	if len(versions) == 0 {
		return MetricsReport{}, osallisuus.NotFound("published questionnaire", id)
	}
	var listErr error
	rs := func(yield func(SurveyResponse, error) bool) {
		for r, err := range s.store.ListResponses(ctx, ResponseFilter{Questionnaire: id, Range: cfg.Range}) {
			if err != nil {
				listErr = err
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
	rep, err := SurveyMetrics(versions, rs, cfg)
	if err == nil && listErr != nil {
		err = listErr
	}
	return rep, err
}
