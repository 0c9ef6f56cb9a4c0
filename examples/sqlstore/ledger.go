package sqlstore

import (
	"context"
	"database/sql"
	"iter"
	"strings"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

const eventColumns = `seq, id, subject, occurred_at, actor, recorded_by, action, purpose, scope, method,
	notice_version, notice_hash, valid_until, authority_kind, authority_ref, recorded_at`

// eventPlaceholders is one row of eventColumns' placeholders.
const eventPlaceholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

// batchRows is how many events one INSERT carries: 16 columns × 250 rows stays well
// under SQLite's and PostgreSQL's limits on bound parameters.
const batchRows = 250

func eventArgs(args []any, ev *participation.ConsentEvent) []any {
	return append(args, ev.Seq, ev.ID.String(), ev.Subject.String(), instant(ev.At), ev.By.String(),
		nullUUID(ev.RecordedBy.UUID), string(ev.Action), ev.Purpose, ev.Scope, string(ev.Method),
		ev.NoticeVersion, ev.NoticeHash, instant(ev.ValidUntil), string(ev.Authority.Kind),
		nullUUID(ev.Authority.Ref), instant(ev.RecordedAt))
}

func scanEvent(row interface{ Scan(...any) error }) (participation.ConsentEvent, error) {
	var ev participation.ConsentEvent
	err := row.Scan(&ev.Seq, &ev.ID, &ev.Subject, instantScanner{&ev.At}, &ev.By, uuidScanner{&ev.RecordedBy.UUID},
		&ev.Action, &ev.Purpose, &ev.Scope, &ev.Method, &ev.NoticeVersion, &ev.NoticeHash,
		instantScanner{&ev.ValidUntil}, &ev.Authority.Kind, uuidScanner{&ev.Authority.Ref}, instantScanner{&ev.RecordedAt})
	return ev, err
}

// Append implements participation.ConsentLedger: one transaction takes the next ledger
// position and inserts the event.
func (s *ParticipationStore) Append(ctx context.Context, ev participation.ConsentEvent) (participation.ConsentEvent, error) {
	evs, err := s.AppendBatch(ctx, []participation.ConsentEvent{ev})
	if err != nil {
		return participation.ConsentEvent{}, err
	}
	return evs[0], nil
}

// AppendBatch appends evs to the ledger in one transaction, in slice order, all or
// none: each gets an ID (if zero) and the next ledger position, as
// [ParticipationStore.Append] would give them one by one. It returns the stored
// events; ErrConflict (and nothing stored) if any ID exists or repeats. Like Append it
// does not validate: record events through participation.Service.Record, or validate
// them first (participation.ValidateConsentEvent, participation.CheckConsentEvent).
//
// AppendBatch is an extension of this package, not part of participation.ConsentLedger:
// a host importing many events (a migration, a bulk intake) saves a commit per event,
// which is what bounds the append rate on SQLite.
func (s *ParticipationStore) AppendBatch(ctx context.Context, evs []participation.ConsentEvent) ([]participation.ConsentEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]participation.ConsentEvent, len(evs))
	for i, ev := range evs {
		if ev.ID.IsZero() {
			id, err := participation.NewEventID()
			if err != nil {
				return nil, err
			}
			ev.ID = id
		}
		out[i] = ev
	}
	if len(out) == 0 {
		return out, nil
	}
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		last, err := s.db.next(ctx, tx, "consent_events", len(out))
		if err != nil {
			return err
		}
		first := last - int64(len(out)) + 1
		for i := range out {
			out[i].Seq = first + int64(i)
		}
		for start := 0; start < len(out); start += batchRows {
			chunk := out[start:min(start+batchRows, len(out))]
			query := "INSERT INTO consent_events (" + eventColumns + ") VALUES " +
				strings.TrimSuffix(strings.Repeat(eventPlaceholders+", ", len(chunk)), ", ")
			args := make([]any, 0, 16*len(chunk))
			for i := range chunk {
				args = eventArgs(args, &chunk[i])
			}
			if _, err := tx.ExecContext(ctx, s.db.d.q(query), args...); err != nil {
				return s.db.createError(ctx, err, "append consent event %s", chunk[0].ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Events implements participation.ConsentLedger, reading only subject's events through
// the (subject, seq) index.
func (s *ParticipationStore) Events(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[participation.ConsentEvent, error] {
	return yieldRows(ctx, s.db, "consent events",
		s.db.d.q("SELECT "+eventColumns+" FROM consent_events WHERE subject = ? ORDER BY seq"),
		[]any{subject.String()}, scanEvent)
}

// DeleteEvents implements participation.ConsentLedger: it deletes every ledger event of
// subject and returns how many it deleted, the only way the database lets an event go.
// It marks the subject in consent_erasures, which the ledger's trigger checks, deletes,
// and removes the mark, all in one transaction. Ledger positions are never reused.
// Whether the deletion is lawful (the controller must keep consent proof for its
// period) is the caller's decision: participation.Service.ApplyRetention calls it when
// an erased subject's proof period has ended.
func (s *ParticipationStore) DeleteEvents(ctx context.Context, subject osallisuus.ParticipantID) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		id := subject.String()
		if _, err := tx.ExecContext(ctx, s.db.d.q("INSERT INTO consent_erasures (subject) VALUES (?)"), id); err != nil {
			return errorf(ctx, err, "erase consent events of %s", subject)
		}
		res, err := tx.ExecContext(ctx, s.db.d.q("DELETE FROM consent_events WHERE subject = ?"), id)
		if err != nil {
			return errorf(ctx, err, "erase consent events of %s", subject)
		}
		if n, err = res.RowsAffected(); err != nil {
			return errorf(ctx, err, "erase consent events of %s", subject)
		}
		_, err = tx.ExecContext(ctx, s.db.d.q("DELETE FROM consent_erasures WHERE subject = ?"), id)
		return errorf(ctx, err, "erase consent events of %s", subject)
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}
