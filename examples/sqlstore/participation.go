package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// participationSchema is migration 1: participants, representations, maturity
// assessments and the consent ledger. Registration order and ledger positions come
// from rows of the counters table, taken with UPDATE … RETURNING inside the writing
// transaction: the row lock makes positions follow commit order, so a reader never
// sees a position appear below one it has already seen.
//
// The ledger is append-only in the database itself: triggers refuse UPDATE always
// and DELETE unless the subject is marked in consent_erasures, which only
// [ParticipationStore.DeleteEvents] does, inside its own transaction.
var participationSchema = migration{
	name: "participation",
	common: `
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('representations', 0), ('maturity_assessments', 0), ('consent_events', 0);

CREATE TABLE participants (
	id         {{uuid}} PRIMARY KEY,
	kind       TEXT NOT NULL,
	birth_date {{date}},
	adult      BOOLEAN NOT NULL,
	language   TEXT NOT NULL,
	created_at TEXT,
	version    BIGINT NOT NULL
);

CREATE TABLE representations (
	id             {{uuid}} PRIMARY KEY,
	position       BIGINT NOT NULL UNIQUE,
	subject        {{uuid}} NOT NULL,
	representative {{uuid}} NOT NULL,
	kind           TEXT NOT NULL,
	from_date      {{date}},
	until_date     {{date}},
	scopes         {{json}} NOT NULL,
	purposes       {{json}} NOT NULL,
	created_at     TEXT,
	version        BIGINT NOT NULL
);
CREATE INDEX representations_by_subject ON representations (subject, position);

CREATE TABLE maturity_assessments (
	id          {{uuid}} PRIMARY KEY,
	position    BIGINT NOT NULL UNIQUE,
	subject     {{uuid}} NOT NULL,
	assessed_by {{uuid}} NOT NULL,
	assessed_at TEXT NOT NULL,
	purposes    {{json}} NOT NULL,
	until_date  {{date}},
	created_at  TEXT
);
CREATE INDEX maturity_assessments_by_subject ON maturity_assessments (subject, position);

CREATE TABLE consent_events (
	seq            BIGINT PRIMARY KEY,
	id             {{uuid}} NOT NULL UNIQUE,
	subject        {{uuid}} NOT NULL,
	occurred_at    TEXT NOT NULL,
	actor          {{uuid}} NOT NULL,
	recorded_by    {{uuid}},
	action         TEXT NOT NULL,
	purpose        TEXT NOT NULL,
	scope          TEXT NOT NULL,
	method         TEXT NOT NULL,
	notice_version INTEGER NOT NULL,
	notice_hash    TEXT NOT NULL,
	valid_until    TEXT,
	authority_kind TEXT NOT NULL,
	authority_ref  {{uuid}},
	recorded_at    TEXT
);
CREATE INDEX consent_events_by_subject ON consent_events (subject, seq);

CREATE TABLE consent_erasures (
	subject {{uuid}} PRIMARY KEY
);
`,
	sqlite: `
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
BEGIN
	SELECT RAISE(ABORT, 'the consent ledger is append-only: events are never updated');
END;
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
WHEN NOT EXISTS (SELECT 1 FROM consent_erasures WHERE subject = OLD.subject)
BEGIN
	SELECT RAISE(ABORT, 'the consent ledger is append-only: events are deleted only by erasure');
END;
`,
	postgres: `
CREATE FUNCTION consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM consent_erasures WHERE subject = OLD.subject) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'the consent ledger is append-only: events are never updated, and deleted only by erasure'
		USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events
	FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();
`,
}

// ParticipationStore implements the participation stores ([participation.Store]) on a
// [DB]. It is safe for concurrent use and passes participationtest.Run on SQLite and
// PostgreSQL. Get it from [DB.Participation].
//
// Values in, values out: every call reads or writes rows, so callers never share
// memory with the store. Instants read back in UTC (see the instant columns). Update
// methods run fn inside a transaction holding the row (PostgreSQL: SELECT … FOR
// UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), so concurrent updates queue and
// none is lost; fn runs once per call. fn must not call the store's write methods
// (the transaction holds the lock they would wait for).
type ParticipationStore struct {
	db *DB
}

var _ participation.Store = (*ParticipationStore)(nil)

// Participation returns the participation stores of db.
func (db *DB) Participation() *ParticipationStore { return &ParticipationStore{db: db} }

// Stores returns s as participation.Stores, for participation.NewService, with the
// same database's [ActivityStore] as Activities, so that GDPR export and erasure cover
// the activity participation records too.
func (s *ParticipationStore) Stores() participation.Stores {
	st := participation.StoresOf(s)
	st.Activities = s.db.Activities()
	return st
}

const participantColumns = "id, kind, birth_date, adult, language, created_at, version, erased_at, proof_until, anonymised_records"

func scanParticipant(row interface{ Scan(...any) error }) (participation.Participant, error) {
	var p participation.Participant
	err := row.Scan(&p.ID, &p.Kind, &p.BirthDate, &p.Adult, &p.Language, instantScanner{&p.CreatedAt}, &p.Version,
		instantScanner{&p.ErasedAt}, &p.ProofUntil, &p.AnonymisedRecords)
	return p, err
}

// CreateParticipant implements participation.ParticipantStore.
func (s *ParticipationStore) CreateParticipant(ctx context.Context, p participation.Participant) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID.IsZero() {
		return fmt.Errorf("create participant: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	_, err := s.db.exec(ctx, s.db.d.q("INSERT INTO participants ("+participantColumns+") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"),
		p.ID.String(), string(p.Kind), p.BirthDate, p.Adult, p.Language, instant(p.CreatedAt),
		instant(p.ErasedAt), p.ProofUntil, p.AnonymisedRecords)
	return s.db.createError(ctx, err, "create participant %s", p.ID)
}

// GetParticipant implements participation.ParticipantStore.
func (s *ParticipationStore) GetParticipant(ctx context.Context, id osallisuus.ParticipantID) (participation.Participant, error) {
	if err := ctx.Err(); err != nil {
		return participation.Participant{}, err
	}
	p, err := scanParticipant(s.db.db.QueryRowContext(ctx, s.db.d.q("SELECT "+participantColumns+" FROM participants WHERE id = ?"), id.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return participation.Participant{}, osallisuus.NotFound("participant", id)
	}
	if err != nil {
		return participation.Participant{}, errorf(ctx, err, "get participant %s", id)
	}
	return p, nil
}

// ListParticipants implements participation.ParticipantStore. It yields from the open
// result set; the connection returns to the pool when the loop ends.
func (s *ParticipationStore) ListParticipants(ctx context.Context, f participation.ParticipantFilter) iter.Seq2[participation.Participant, error] {
	var c conds
	c.add(f.Kind != participation.KindUnspecified, "kind = ?", string(f.Kind))
	if f.Erased {
		c.parts = append(c.parts, "erased_at IS NOT NULL")
	}
	// UUIDs in canonical text order the same as their bytes (and as PostgreSQL's uuid).
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	query := "SELECT " + participantColumns + " FROM participants"
	if len(c.parts) > 0 {
		query += " WHERE " + c.where()
	}
	query += " ORDER BY id"
	args := c.args
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return yieldRows(ctx, s.db, "list participants", s.db.d.q(query), args, scanParticipant)
}

// UpdateParticipant implements participation.ParticipantStore.
func (s *ParticipationStore) UpdateParticipant(ctx context.Context, id osallisuus.ParticipantID, fn func(*participation.Participant) error) (participation.Participant, error) {
	var next participation.Participant
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := scanParticipant(tx.QueryRowContext(ctx, s.db.d.q("SELECT "+participantColumns+" FROM participants WHERE id = ?"+s.db.d.forUpdate), id.String()))
		if errors.Is(err, sql.ErrNoRows) {
			return osallisuus.NotFound("participant", id)
		}
		if err != nil {
			return errorf(ctx, err, "update participant %s", id)
		}
		next = cur
		if err := fn(&next); err != nil {
			return err
		}
		next.ID, next.Version = id, cur.Version+1
		_, err = tx.ExecContext(ctx, s.db.d.q(`UPDATE participants SET kind = ?, birth_date = ?, adult = ?, language = ?,
			created_at = ?, version = ?, erased_at = ?, proof_until = ?, anonymised_records = ? WHERE id = ?`),
			string(next.Kind), next.BirthDate, next.Adult, next.Language, instant(next.CreatedAt), next.Version,
			instant(next.ErasedAt), next.ProofUntil, next.AnonymisedRecords, id.String())
		return errorf(ctx, err, "update participant %s", id)
	})
	if err != nil {
		return participation.Participant{}, err
	}
	return next, nil
}

const representationColumns = "id, subject, representative, kind, from_date, until_date, scopes, purposes, created_at, version"

func scanRepresentation(row interface{ Scan(...any) error }) (participation.Representation, error) {
	var r participation.Representation
	err := row.Scan(&r.ID, &r.Subject, &r.Representative, &r.Kind, &r.From, &r.Until,
		listScanner[participation.TrusteeScope]{&r.Scopes}, listScanner[string]{&r.Purposes}, instantScanner{&r.CreatedAt}, &r.Version)
	return r, err
}

// CreateRepresentation implements participation.RepresentationStore.
func (s *ParticipationStore) CreateRepresentation(ctx context.Context, r participation.Representation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ID.IsZero() {
		return fmt.Errorf("create representation: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	scopes, err := list(r.Scopes)
	if err != nil {
		return err
	}
	purposes, err := list(r.Purposes)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		pos, err := s.db.next(ctx, tx, "representations", 1)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.d.q("INSERT INTO representations (position, "+representationColumns+
			") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"),
			pos, r.ID.String(), r.Subject.String(), r.Representative.String(), string(r.Kind), r.From, r.Until,
			scopes, purposes, instant(r.CreatedAt))
		return s.db.createError(ctx, err, "create representation %s", r.ID)
	})
}

// GetRepresentation implements participation.RepresentationStore.
func (s *ParticipationStore) GetRepresentation(ctx context.Context, id participation.RepresentationID) (participation.Representation, error) {
	if err := ctx.Err(); err != nil {
		return participation.Representation{}, err
	}
	r, err := scanRepresentation(s.db.db.QueryRowContext(ctx, s.db.d.q("SELECT "+representationColumns+" FROM representations WHERE id = ?"), id.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return participation.Representation{}, osallisuus.NotFound("representation", id)
	}
	if err != nil {
		return participation.Representation{}, errorf(ctx, err, "get representation %s", id)
	}
	return r, nil
}

// Representations implements participation.RepresentationStore.
func (s *ParticipationStore) Representations(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[participation.Representation, error] {
	return yieldRows(ctx, s.db, "list representations",
		s.db.d.q("SELECT "+representationColumns+" FROM representations WHERE subject = ? ORDER BY position"),
		[]any{subject.String()}, scanRepresentation)
}

// UpdateRepresentation implements participation.RepresentationStore. ID, Subject and
// Representative are kept whatever fn does.
func (s *ParticipationStore) UpdateRepresentation(ctx context.Context, id participation.RepresentationID, fn func(*participation.Representation) error) (participation.Representation, error) {
	var next participation.Representation
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := scanRepresentation(tx.QueryRowContext(ctx, s.db.d.q("SELECT "+representationColumns+" FROM representations WHERE id = ?"+s.db.d.forUpdate), id.String()))
		if errors.Is(err, sql.ErrNoRows) {
			return osallisuus.NotFound("representation", id)
		}
		if err != nil {
			return errorf(ctx, err, "update representation %s", id)
		}
		next = cur
		if err := fn(&next); err != nil {
			return err
		}
		next.ID, next.Subject, next.Representative, next.Version = cur.ID, cur.Subject, cur.Representative, cur.Version+1
		scopes, err := list(next.Scopes)
		if err != nil {
			return err
		}
		purposes, err := list(next.Purposes)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.d.q(`UPDATE representations SET kind = ?, from_date = ?, until_date = ?, scopes = ?,
			purposes = ?, created_at = ?, version = ? WHERE id = ?`),
			string(next.Kind), next.From, next.Until, scopes, purposes, instant(next.CreatedAt), next.Version, id.String())
		return errorf(ctx, err, "update representation %s", id)
	})
	if err != nil {
		return participation.Representation{}, err
	}
	// fn's slices may still be the caller's: return what was stored, not them.
	return next.Clone(), nil
}

const assessmentColumns = "id, subject, assessed_by, assessed_at, purposes, until_date, created_at"

func scanAssessment(row interface{ Scan(...any) error }) (participation.MaturityAssessment, error) {
	var a participation.MaturityAssessment
	err := row.Scan(&a.ID, &a.Subject, &a.By, instantScanner{&a.At}, listScanner[string]{&a.Purposes}, &a.Until, instantScanner{&a.CreatedAt})
	return a, err
}

// CreateAssessment implements participation.RepresentationStore.
func (s *ParticipationStore) CreateAssessment(ctx context.Context, a participation.MaturityAssessment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a.ID.IsZero() {
		return fmt.Errorf("create assessment: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	purposes, err := list(a.Purposes)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		pos, err := s.db.next(ctx, tx, "maturity_assessments", 1)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.d.q("INSERT INTO maturity_assessments (position, "+assessmentColumns+
			") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
			pos, a.ID.String(), a.Subject.String(), a.By.String(), instant(a.At), purposes, a.Until, instant(a.CreatedAt))
		return s.db.createError(ctx, err, "create assessment %s", a.ID)
	})
}

// Assessments implements participation.RepresentationStore.
func (s *ParticipationStore) Assessments(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[participation.MaturityAssessment, error] {
	return yieldRows(ctx, s.db, "list assessments",
		s.db.d.q("SELECT "+assessmentColumns+" FROM maturity_assessments WHERE subject = ? ORDER BY position"),
		[]any{subject.String()}, scanAssessment)
}

// RepresentedBy implements participation.RepresentationStore, through the
// (representative, position) index of the participation-erasure migration.
func (s *ParticipationStore) RepresentedBy(ctx context.Context, representative osallisuus.ParticipantID) iter.Seq2[participation.Representation, error] {
	return yieldRows(ctx, s.db, "list representations",
		s.db.d.q("SELECT "+representationColumns+" FROM representations WHERE representative = ? ORDER BY position"),
		[]any{representative.String()}, scanRepresentation)
}

// DeleteRepresentation implements participation.RepresentationStore.
func (s *ParticipationStore) DeleteRepresentation(ctx context.Context, id participation.RepresentationID) error {
	return s.deleteRow(ctx, "representations", "representation", id)
}

// DeleteAssessment implements participation.RepresentationStore.
func (s *ParticipationStore) DeleteAssessment(ctx context.Context, id participation.AssessmentID) error {
	return s.deleteRow(ctx, "maturity_assessments", "assessment", id)
}

// deleteRow deletes the row id of table: ErrNotFound when there is none.
func (s *ParticipationStore) deleteRow(ctx context.Context, table, what string, id fmt.Stringer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := s.db.exec(ctx, s.db.d.q("DELETE FROM "+table+" WHERE id = ?"), id.String())
	if err != nil {
		return errorf(ctx, err, "delete %s %s", what, id)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return errorf(ctx, err, "delete %s %s", what, id)
	}
	if n == 0 {
		return osallisuus.NotFound(what, id)
	}
	return nil
}
