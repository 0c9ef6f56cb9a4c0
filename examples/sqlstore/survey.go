package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

// surveySchema is migration 6: questionnaire versions keyed by (id, number) and survey
// responses. Double answers (Q3) are refused by a partial unique index on
// (questionnaire, guard) over non-empty guards, so of concurrent responses with one
// guard exactly one is stored.
var surveySchema = migration{
	name: "surveys",
	common: `
CREATE TABLE survey_questionnaires (
	id      {{uuid}} NOT NULL,
	number  INTEGER NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL,
	PRIMARY KEY (id, number)
);

CREATE TABLE survey_responses (
	id            {{uuid}} PRIMARY KEY,
	questionnaire {{uuid}} NOT NULL,
	number        INTEGER NOT NULL,
	guard         TEXT NOT NULL,
	doc           {{json}} NOT NULL,
	version       BIGINT NOT NULL
);
CREATE UNIQUE INDEX survey_responses_one_per_guard ON survey_responses (questionnaire, guard) WHERE guard <> '';
CREATE INDEX survey_responses_by_questionnaire ON survey_responses (questionnaire, id);
`,
}

// SurveyStore implements feedback.SurveyStore on a [DB]: questionnaire versions and
// survey responses. It is safe for concurrent use and passes feedbacktest.RunSurveys on
// SQLite and PostgreSQL. Get it from [DB.Surveys].
type SurveyStore struct {
	db *DB
}

var _ feedback.SurveyStore = (*SurveyStore)(nil)

// Surveys returns the survey stores of db.
func (db *DB) Surveys() *SurveyStore { return &SurveyStore{db: db} }

// questionnairesTable holds the documents; its id column is not unique alone, so only
// marshal and unmarshal are used from it, with (id, number) queries written here.
var (
	questionnairesTable = docTable[feedback.Questionnaire]{table: "survey_questionnaires", what: "questionnaire"}
	responsesTable      = docTable[feedback.SurveyResponse]{table: "survey_responses", what: "survey response",
		cols: []string{"questionnaire", "number", "guard", "respondent"},
		vals: func(r *feedback.SurveyResponse) []any {
			return []any{r.Questionnaire.String(), r.Number, r.Guard, participantText(r.Respondent)}
		},
		version:    func(*feedback.SurveyResponse) int64 { return 0 },
		setVersion: func(*feedback.SurveyResponse, int64) {}}
)

// CreateQuestionnaire implements feedback.SurveyStore.
func (s *SurveyStore) CreateQuestionnaire(ctx context.Context, q feedback.Questionnaire) error {
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
	q.Version = 1
	doc, err := questionnairesTable.marshal(&q)
	if err != nil {
		return err
	}
	_, err = s.db.exec(ctx, s.db.d.q("INSERT INTO survey_questionnaires (id, number, doc, version) VALUES (?, ?, ?, 1)"),
		q.ID.String(), q.Number, doc)
	return s.db.createError(ctx, err, "create questionnaire %s version %d", q.ID, q.Number)
}

// getQuestionnaire reads version number of id (0: the highest); lock takes the row lock.
func (s *SurveyStore) getQuestionnaire(ctx context.Context, q querier, id feedback.QuestionnaireID, number int, lock bool) (feedback.Questionnaire, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Questionnaire{}, err
	}
	query := "SELECT doc FROM survey_questionnaires WHERE id = ? AND number = ?"
	args := []any{id.String(), number}
	if number == 0 {
		query = "SELECT doc FROM survey_questionnaires WHERE id = ? ORDER BY number DESC LIMIT 1"
		args = args[:1]
	}
	if lock {
		query += s.db.d.forUpdate
	}
	var doc []byte
	err := q.QueryRowContext(ctx, s.db.d.q(query), args...).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return feedback.Questionnaire{}, fmt.Errorf("questionnaire %s version %d: %w", id, number, osallisuus.ErrNotFound)
	}
	if err != nil {
		return feedback.Questionnaire{}, errorf(ctx, err, "get questionnaire %s version %d", id, number)
	}
	return questionnairesTable.unmarshal(doc)
}

// GetQuestionnaire implements feedback.SurveyStore.
func (s *SurveyStore) GetQuestionnaire(ctx context.Context, id feedback.QuestionnaireID, number int) (feedback.Questionnaire, error) {
	return s.getQuestionnaire(ctx, s.db.db, id, number, false)
}

// ListQuestionnaireVersions implements feedback.SurveyStore.
func (s *SurveyStore) ListQuestionnaireVersions(ctx context.Context, id feedback.QuestionnaireID) iter.Seq2[feedback.Questionnaire, error] {
	return questionnairesTable.list(ctx, s.db, "id = ?", []any{id.String()}, "number", nil, 0)
}

// UpdateQuestionnaire implements feedback.SurveyStore: a published version is refused
// before fn runs.
func (s *SurveyStore) UpdateQuestionnaire(ctx context.Context, id feedback.QuestionnaireID, number int, fn func(*feedback.Questionnaire) error) (feedback.Questionnaire, error) {
	var out feedback.Questionnaire
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		if number == 0 { // "the highest" is for reads; an update names its version
			return fmt.Errorf("questionnaire %s version %d: %w", id, number, osallisuus.ErrNotFound)
		}
		cur, err := s.getQuestionnaire(ctx, tx, id, number, true)
		if err != nil {
			return err
		}
		if cur.Published() {
			return feedback.ErrPublished("update questionnaire")
		}
		work, err := questionnairesTable.unmarshal(mustJSON(questionnairesTable, &cur))
		if err != nil {
			return err
		}
		if err := fn(&work); err != nil {
			return err
		}
		work.ID, work.Number, work.Version = id, number, cur.Version+1
		doc, err := questionnairesTable.marshal(&work)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.d.q("UPDATE survey_questionnaires SET doc = ?, version = ? WHERE id = ? AND number = ?"),
			doc, work.Version, id.String(), number); err != nil {
			return errorf(ctx, err, "update questionnaire %s version %d", id, number)
		}
		out, err = questionnairesTable.unmarshal([]byte(doc))
		return err
	})
	return out, err
}

// AddResponse implements feedback.SurveyStore.
func (s *SurveyStore) AddResponse(ctx context.Context, r feedback.SurveyResponse) error {
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
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, s.db.d.q("SELECT 1 FROM survey_questionnaires WHERE id = ? AND number = ?"),
			r.Questionnaire.String(), r.Number).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("questionnaire %s version %d: %w", r.Questionnaire, r.Number, osallisuus.ErrNotFound)
		}
		if err != nil {
			return errorf(ctx, err, "add survey response %s", r.ID)
		}
		return responsesTable.insert(ctx, s.db, tx, r.ID.String(), r)
	})
}

// ListResponses implements feedback.SurveyStore. The date range runs on the decoded
// responses (it is a Helsinki-days rule).
func (s *SurveyStore) ListResponses(ctx context.Context, f feedback.ResponseFilter) iter.Seq2[feedback.SurveyResponse, error] {
	var c conds
	c.add(!f.Questionnaire.IsZero(), "questionnaire = ?", f.Questionnaire.String())
	c.add(f.Number > 0, "number = ?", f.Number)
	c.add(!f.Respondent.IsZero(), "respondent = ?", participantText(f.Respondent))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return responsesTable.list(ctx, s.db, c.where(), c.args, "id", f.Match, f.Limit)
}

// UpdateResponse implements feedback.SurveyStore: the row is locked, changed and saved
// in one transaction; a cleared guard leaves the partial unique index.
func (s *SurveyStore) UpdateResponse(ctx context.Context, id feedback.ResponseID, fn func(*feedback.SurveyResponse) error) (feedback.SurveyResponse, error) {
	var out feedback.SurveyResponse
	if err := ctx.Err(); err != nil {
		return out, err
	}
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = responsesTable.update(ctx, s.db, tx, id.String(), fn, func(cur, next *feedback.SurveyResponse) error {
			next.ID, next.Questionnaire, next.Number, next.At = cur.ID, cur.Questionnaire, cur.Number, cur.At
			if next.Guard != cur.Guard && next.Guard != "" {
				return osallisuus.Invalid("guard", osallisuus.CodeNotAllowed)
			}
			return nil
		})
		return err
	})
	if err != nil {
		return feedback.SurveyResponse{}, err
	}
	return out, nil
}
