package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

// feedbackSchema is migration 4: customer feedback, the senders' contact details (a
// table of their own, so the feedback can be analysed and published without them, and
// erased alone), and the "you said, we did" loop summaries.
var feedbackSchema = migration{
	name: "feedback",
	common: `
CREATE TABLE feedback (
	id        {{uuid}} PRIMARY KEY,
	state     TEXT NOT NULL,
	unit_code TEXT NOT NULL,
	doc       {{json}} NOT NULL,
	version   BIGINT NOT NULL
);
CREATE INDEX feedback_by_unit ON feedback (unit_code, id);

CREATE TABLE feedback_contacts (
	id      {{uuid}} PRIMARY KEY,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);

CREATE TABLE feedback_summaries (
	id      {{uuid}} PRIMARY KEY,
	status  TEXT NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);
`,
}

// FeedbackStore implements the feedback stores ([feedback.Store]) on a [DB]: feedback,
// contacts and loop summaries. It is safe for concurrent use and passes feedbacktest.Run
// on SQLite and PostgreSQL. Get it from [DB.Feedback].
type FeedbackStore struct {
	db *DB
}

var _ feedback.Store = (*FeedbackStore)(nil)

// Feedback returns the feedback stores of db.
func (db *DB) Feedback() *FeedbackStore { return &FeedbackStore{db: db} }

var (
	feedbackTable = docTable[feedback.Feedback]{table: "feedback", what: "feedback",
		cols:       []string{"state", "unit_code", "sender"},
		vals:       func(f *feedback.Feedback) []any { return []any{string(f.State), f.UnitCode, f.Sender} },
		version:    func(f *feedback.Feedback) int64 { return f.Version },
		setVersion: func(f *feedback.Feedback, v int64) { f.Version = v }}
	contactsTable = docTable[feedback.Contact]{table: "feedback_contacts", what: "contact of feedback",
		cols: []string{"participant", "retain_until"},
		vals: func(c *feedback.Contact) []any {
			return []any{participantText(c.Participant), c.RetainUntil.String()}
		},
		version:    func(*feedback.Contact) int64 { return 0 },
		setVersion: func(*feedback.Contact, int64) {}}
	summariesTable = docTable[feedback.LoopSummary]{table: "feedback_summaries", what: "summary",
		cols:       []string{"status"},
		vals:       func(s *feedback.LoopSummary) []any { return []any{string(s.Status)} },
		version:    func(s *feedback.LoopSummary) int64 { return s.Version },
		setVersion: func(s *feedback.LoopSummary, v int64) { s.Version = v }}
)

// CreateFeedback implements feedback.FeedbackStore.
func (s *FeedbackStore) CreateFeedback(ctx context.Context, f feedback.Feedback) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.ID.IsZero() {
		return feedback.ErrZeroID("create feedback")
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error { return feedbackTable.insert(ctx, s.db, tx, f.ID.String(), f) })
}

// GetFeedback implements feedback.FeedbackStore.
func (s *FeedbackStore) GetFeedback(ctx context.Context, id feedback.ID) (feedback.Feedback, error) {
	return feedbackTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListFeedback implements feedback.FeedbackStore.
func (s *FeedbackStore) ListFeedback(ctx context.Context, f feedback.FeedbackFilter) iter.Seq2[feedback.Feedback, error] {
	var c conds
	c.add(f.State != feedback.StateUnspecified, "state = ?", string(f.State))
	c.add(f.UnitCode != "", "unit_code = ?", f.UnitCode)
	c.add(f.Sender != "", "sender = ?", f.Sender)
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return feedbackTable.list(ctx, s.db, c.where(), c.args, "id", f.Match, f.Limit)
}

// UpdateFeedback implements feedback.FeedbackStore.
func (s *FeedbackStore) UpdateFeedback(ctx context.Context, id feedback.ID, fn func(*feedback.Feedback) error) (feedback.Feedback, error) {
	return updateDoc(ctx, s.db, feedbackTable, id.UUID, fn, func(cur, next *feedback.Feedback) { next.ID = cur.ID })
}

// UpdateFeedbackPair implements feedback.FeedbackStore. It locks the two rows in ID
// order, so two pair updates over the same feedback never wait for each other in a
// circle.
func (s *FeedbackStore) UpdateFeedbackPair(ctx context.Context, a, b feedback.ID, fn func(a, b *feedback.Feedback) error) (feedback.Feedback, feedback.Feedback, error) {
	var outA, outB feedback.Feedback
	if err := ctx.Err(); err != nil {
		return outA, outB, err
	}
	if a == b {
		return outA, outB, osallisuus.Invalid("into", osallisuus.CodeNotAllowed)
	}
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		first, second := a, b
		if bytes.Compare(b.UUID[:], a.UUID[:]) < 0 {
			first, second = b, a
		}
		got := map[feedback.ID]feedback.Feedback{}
		var missing map[feedback.ID]error
		for _, id := range []feedback.ID{first, second} {
			f, err := feedbackTable.get(ctx, s.db, tx, id.String(), true)
			switch {
			case errors.Is(err, osallisuus.ErrNotFound):
				if missing == nil {
					missing = map[feedback.ID]error{}
				}
				missing[id] = err
			case err != nil:
				return err
			default:
				got[id] = f
			}
		}
		for _, id := range []feedback.ID{a, b} { // report a before b, as the contract reads
			if err, ok := missing[id]; ok {
				return err
			}
		}
		curA, curB := got[a], got[b]
		wa, err := feedbackTable.unmarshal(mustJSON(feedbackTable, &curA))
		if err != nil {
			return err
		}
		wb, err := feedbackTable.unmarshal(mustJSON(feedbackTable, &curB))
		if err != nil {
			return err
		}
		if err := fn(&wa, &wb); err != nil {
			return err
		}
		wa.ID, wa.Version = a, curA.Version+1
		wb.ID, wb.Version = b, curB.Version+1
		if outA, err = feedbackTable.save(ctx, s.db, tx, a.String(), wa); err != nil {
			return err
		}
		outB, err = feedbackTable.save(ctx, s.db, tx, b.String(), wb)
		return err
	})
	if err != nil {
		return feedback.Feedback{}, feedback.Feedback{}, err
	}
	return outA, outB, nil
}

// CreateContact implements feedback.ContactStore.
func (s *FeedbackStore) CreateContact(ctx context.Context, c feedback.Contact) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.Feedback.IsZero() {
		return feedback.ErrZeroID("create contact")
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error { return contactsTable.insert(ctx, s.db, tx, c.Feedback.String(), c) })
}

// GetContact implements feedback.ContactStore.
func (s *FeedbackStore) GetContact(ctx context.Context, id feedback.ID) (feedback.Contact, error) {
	return contactsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// DeleteContact implements feedback.ContactStore: the row is deleted, not marked.
func (s *FeedbackStore) DeleteContact(ctx context.Context, id feedback.ID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := s.db.exec(ctx, s.db.d.q("DELETE FROM feedback_contacts WHERE id = ?"), id.String())
	if err != nil {
		return errorf(ctx, err, "delete contact of feedback %s", id)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return errorf(ctx, err, "delete contact of feedback %s", id)
	}
	if n == 0 {
		return fmt.Errorf("contact of feedback %s: %w", id, osallisuus.ErrNotFound)
	}
	return nil
}

// ListContacts implements feedback.ContactStore on the indexed participant and
// retain_until columns (a date as "YYYY-MM-DD" text, "" for none, so text order is date
// order and a missing date comes first).
func (s *FeedbackStore) ListContacts(ctx context.Context, f feedback.ContactFilter) iter.Seq2[feedback.Contact, error] {
	var c conds
	c.add(!f.Participant.IsZero(), "participant = ?", participantText(f.Participant))
	c.add(!f.RetainUntilBefore.IsZero(), "retain_until < ?", f.RetainUntilBefore.String())
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return contactsTable.list(ctx, s.db, c.where(), c.args, "id", f.Match, f.Limit)
}

// participantText is the column form of a participant ID: "" for none.
func participantText(id osallisuus.ParticipantID) string {
	if id.IsZero() {
		return ""
	}
	return id.String()
}

// CreateSummary implements feedback.SummaryStore.
func (s *FeedbackStore) CreateSummary(ctx context.Context, ls feedback.LoopSummary) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ls.ID.IsZero() {
		return feedback.ErrZeroID("create summary")
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error { return summariesTable.insert(ctx, s.db, tx, ls.ID.String(), ls) })
}

// GetSummary implements feedback.SummaryStore.
func (s *FeedbackStore) GetSummary(ctx context.Context, id feedback.SummaryID) (feedback.LoopSummary, error) {
	return summariesTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListSummaries implements feedback.SummaryStore.
func (s *FeedbackStore) ListSummaries(ctx context.Context, f feedback.SummaryFilter) iter.Seq2[feedback.LoopSummary, error] {
	var c conds
	c.add(f.Status != "", "status = ?", string(f.Status))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return summariesTable.list(ctx, s.db, c.where(), c.args, "id", nil, f.Limit)
}

// UpdateSummary implements feedback.SummaryStore.
func (s *FeedbackStore) UpdateSummary(ctx context.Context, id feedback.SummaryID, fn func(*feedback.LoopSummary) error) (feedback.LoopSummary, error) {
	return updateDoc(ctx, s.db, summariesTable, id.UUID, fn, func(cur, next *feedback.LoopSummary) { next.ID = cur.ID })
}
