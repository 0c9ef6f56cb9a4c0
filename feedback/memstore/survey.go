package memstore

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/internal/memtable"
)

var _ feedback.SurveyStore = (*Store)(nil)

type versionKey struct {
	id     feedback.QuestionnaireID
	number int
}

type guardKey struct {
	id    feedback.QuestionnaireID
	guard string
}

// surveyData is the survey part of the Store, under the Store's lock.
type surveyData struct {
	versions  map[versionKey]feedback.Questionnaire
	responses map[feedback.ResponseID]feedback.SurveyResponse
	guards    map[guardKey]feedback.ResponseID
}

func (d *surveyData) init() {
	if d.versions == nil {
		d.versions = map[versionKey]feedback.Questionnaire{}
		d.responses = map[feedback.ResponseID]feedback.SurveyResponse{}
		d.guards = map[guardKey]feedback.ResponseID{}
	}
}

// CreateQuestionnaire implements feedback.SurveyStore.
func (s *Store) CreateQuestionnaire(ctx context.Context, q feedback.Questionnaire) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if q.ID.IsZero() {
		return feedback.ErrZeroID("create questionnaire")
	}
	if q.Number < 1 {
		return &osallisuus.ValidationError{Op: "create questionnaire",
			Problems: []osallisuus.Problem{{Field: "number", Code: osallisuus.CodeOutOfRange}}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.surveys.init()
	k := versionKey{q.ID, q.Number}
	if _, ok := s.surveys.versions[k]; ok {
		return fmt.Errorf("create questionnaire %s version %d: %w", q.ID, q.Number, osallisuus.ErrConflict)
	}
	q = q.Clone()
	q.Version = 1
	s.surveys.versions[k] = q
	return nil
}

// GetQuestionnaire implements feedback.SurveyStore.
func (s *Store) GetQuestionnaire(ctx context.Context, id feedback.QuestionnaireID, number int) (feedback.Questionnaire, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Questionnaire{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if number == 0 {
		for k := range s.surveys.versions {
			if k.id == id && k.number > number {
				number = k.number
			}
		}
	}
	q, ok := s.surveys.versions[versionKey{id, number}]
	if !ok {
		return feedback.Questionnaire{}, fmt.Errorf("questionnaire %s version %d: %w", id, number, osallisuus.ErrNotFound)
	}
	return q.Clone(), nil
}

// ListQuestionnaireVersions implements feedback.SurveyStore. It snapshots the versions
// under the lock and yields them after unlocking.
func (s *Store) ListQuestionnaireVersions(ctx context.Context, id feedback.QuestionnaireID) iter.Seq2[feedback.Questionnaire, error] {
	return func(yield func(feedback.Questionnaire, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(feedback.Questionnaire{}, err)
			return
		}
		s.mu.RLock()
		var list []feedback.Questionnaire
		for k, q := range s.surveys.versions {
			if k.id == id {
				list = append(list, q.Clone())
			}
		}
		s.mu.RUnlock()
		slices.SortFunc(list, func(a, b feedback.Questionnaire) int { return a.Number - b.Number })
		for _, q := range list {
			if !yield(q, nil) {
				return
			}
		}
	}
}

// UpdateQuestionnaire implements feedback.SurveyStore.
func (s *Store) UpdateQuestionnaire(ctx context.Context, id feedback.QuestionnaireID, number int, fn func(*feedback.Questionnaire) error) (feedback.Questionnaire, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Questionnaire{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := versionKey{id, number}
	cur, ok := s.surveys.versions[k]
	if !ok {
		return feedback.Questionnaire{}, fmt.Errorf("questionnaire %s version %d: %w", id, number, osallisuus.ErrNotFound)
	}
	if cur.Published() {
		return feedback.Questionnaire{}, feedback.ErrPublished("update questionnaire")
	}
	work := cur.Clone()
	if err := fn(&work); err != nil {
		return feedback.Questionnaire{}, err
	}
	work.ID, work.Number, work.Version = id, number, cur.Version+1
	s.surveys.versions[k] = work.Clone()
	return work, nil
}

// AddResponse implements feedback.SurveyStore.
func (s *Store) AddResponse(ctx context.Context, r feedback.SurveyResponse) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ID.IsZero() {
		return feedback.ErrZeroID("add survey response")
	}
	if r.Questionnaire.IsZero() {
		return &osallisuus.ValidationError{Op: "add survey response",
			Problems: []osallisuus.Problem{{Field: "questionnaire", Code: osallisuus.CodeRequired}}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.surveys.init()
	if _, ok := s.surveys.versions[versionKey{r.Questionnaire, r.Number}]; !ok {
		return fmt.Errorf("questionnaire %s version %d: %w", r.Questionnaire, r.Number, osallisuus.ErrNotFound)
	}
	if _, ok := s.surveys.responses[r.ID]; ok {
		return fmt.Errorf("add survey response %s: %w", r.ID, osallisuus.ErrConflict)
	}
	g := guardKey{r.Questionnaire, r.Guard}
	if r.Guard != "" {
		if _, ok := s.surveys.guards[g]; ok {
			return fmt.Errorf("add survey response: guard already used: %w", osallisuus.ErrConflict)
		}
		s.surveys.guards[g] = r.ID
	}
	s.surveys.responses[r.ID] = r.Clone()
	return nil
}

// responses are added by AddResponse (with its guard) and listed by ListResponses.
var responses = memtable.Kind[feedback.ResponseID, feedback.SurveyResponse]{
	Clone:     feedback.SurveyResponse.Clone,
	Compare:   func(a, b feedback.ResponseID) int { return byUUID(a.UUID, b.UUID) },
	CheckEach: true,
}

// ListResponses implements feedback.SurveyStore. It snapshots the matches under the lock
// and yields them after unlocking.
func (s *Store) ListResponses(ctx context.Context, f feedback.ResponseFilter) iter.Seq2[feedback.SurveyResponse, error] {
	return responses.List(ctx, &s.mu, func() map[feedback.ResponseID]feedback.SurveyResponse { return s.surveys.responses },
		memtable.Page[feedback.ResponseID, feedback.SurveyResponse]{
			Match: func(r *feedback.SurveyResponse) bool { return f.Match(*r) }, After: f.After, Limit: f.Limit})
}

// UpdateResponse implements feedback.SurveyStore. A cleared guard is freed for the
// questionnaire.
func (s *Store) UpdateResponse(ctx context.Context, id feedback.ResponseID, fn func(*feedback.SurveyResponse) error) (feedback.SurveyResponse, error) {
	if err := ctx.Err(); err != nil {
		return feedback.SurveyResponse{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.surveys.responses[id]
	if !ok {
		return feedback.SurveyResponse{}, osallisuus.NotFound("survey response", id)
	}
	work := cur.Clone()
	if err := fn(&work); err != nil {
		return feedback.SurveyResponse{}, err
	}
	work.ID, work.Questionnaire, work.Number, work.At = cur.ID, cur.Questionnaire, cur.Number, cur.At
	if work.Guard != cur.Guard && work.Guard != "" {
		return feedback.SurveyResponse{}, osallisuus.Invalid("guard", osallisuus.CodeNotAllowed)
	}
	if cur.Guard != "" && work.Guard == "" {
		delete(s.surveys.guards, guardKey{cur.Questionnaire, cur.Guard})
	}
	s.surveys.responses[id] = work.Clone()
	return work, nil
}
