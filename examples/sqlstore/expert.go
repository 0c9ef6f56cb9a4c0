package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

// expertSchema is migration 2: experts by experience, their requests, fee schedules,
// payouts and support sessions, each aggregate a JSON document beside the columns the
// store looks up by. X1 (one non-terminal record per participant) is a partial unique
// index, so two concurrent registrations cannot both win.
var expertSchema = migration{
	name: "expert",
	common: `
CREATE TABLE experts (
	id          {{uuid}} PRIMARY KEY,
	participant {{uuid}} NOT NULL,
	state       TEXT NOT NULL,
	terminal    BOOLEAN NOT NULL,
	doc         {{json}} NOT NULL,
	version     BIGINT NOT NULL
);
CREATE UNIQUE INDEX experts_one_open_record ON experts (participant) WHERE NOT terminal;
CREATE INDEX experts_by_participant ON experts (participant);

CREATE TABLE expert_requests (
	id        {{uuid}} PRIMARY KEY,
	unit      TEXT NOT NULL,
	state     TEXT NOT NULL,
	task_type TEXT NOT NULL,
	doc       {{json}} NOT NULL,
	version   BIGINT NOT NULL
);

CREATE TABLE expert_fee_schedules (
	id         TEXT PRIMARY KEY,
	valid_from {{date}} NOT NULL UNIQUE,
	doc        {{json}} NOT NULL,
	version    BIGINT NOT NULL
);

CREATE TABLE expert_payouts (
	id      {{uuid}} PRIMARY KEY,
	expert  {{uuid}} NOT NULL,
	state   TEXT NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX expert_payouts_by_expert ON expert_payouts (expert);

CREATE TABLE expert_sessions (
	id       {{uuid}} PRIMARY KEY,
	position BIGINT NOT NULL UNIQUE,
	expert   {{uuid}} NOT NULL,
	doc      {{json}} NOT NULL,
	version  BIGINT NOT NULL
);
CREATE INDEX expert_sessions_by_expert ON expert_sessions (expert, position);
INSERT INTO counters (name, value) VALUES ('expert_sessions', 0);
`,
}

// ExpertStore implements the expert stores ([expert.Store]) on a [DB]: experts,
// requests, fee schedules, payouts and sessions. It is safe for concurrent use and
// passes experttest.Run on SQLite and PostgreSQL. Get it from [DB.Expert].
//
// [ExpertStore.Atomic] runs its function in one transaction whose reads lock the rows
// they read (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write lock held from BEGIN),
// so concurrent calls over the same aggregates behave as if run one after another; on
// a PostgreSQL deadlock between two such calls one runs again.
type ExpertStore struct {
	db *DB
}

var (
	_ expert.Store = (*ExpertStore)(nil)
	_ expert.Tx    = (*expertTx)(nil)
)

// Expert returns the expert stores of db.
func (db *DB) Expert() *ExpertStore { return &ExpertStore{db: db} }

var (
	expertsTable = docTable[expert.Expert]{table: "experts", what: "expert",
		cols: []string{"participant", "state", "terminal"},
		vals: func(e *expert.Expert) []any {
			return []any{e.Participant.String(), e.State.String(), e.State.Terminal()}
		},
		version:    func(e *expert.Expert) int64 { return e.Version },
		setVersion: func(e *expert.Expert, v int64) { e.Version = v }}
	requestsTable = docTable[expert.Request]{table: "expert_requests", what: "request",
		cols: []string{"unit", "state", "task_type"},
		vals: func(r *expert.Request) []any {
			return []any{r.Unit, r.State.String(), r.TaskType}
		},
		version:    func(r *expert.Request) int64 { return r.Version },
		setVersion: func(r *expert.Request, v int64) { r.Version = v }}
	schedulesTable = docTable[expert.Schedule]{table: "expert_fee_schedules", what: "fee schedule",
		cols:       []string{"valid_from"},
		vals:       func(s *expert.Schedule) []any { return []any{s.ValidFrom} },
		version:    func(*expert.Schedule) int64 { return 0 },
		setVersion: func(*expert.Schedule, int64) {}}
	payoutsTable = docTable[expert.Payout]{table: "expert_payouts", what: "payout",
		cols: []string{"expert", "state"},
		vals: func(p *expert.Payout) []any {
			return []any{p.Expert.String(), p.State.String()}
		},
		version:    func(p *expert.Payout) int64 { return p.Version },
		setVersion: func(p *expert.Payout, v int64) { p.Version = v }}
	sessionsTable = docTable[expert.Session]{table: "expert_sessions", what: "session",
		cols:       []string{"position", "expert"},
		version:    func(*expert.Session) int64 { return 0 },
		setVersion: func(*expert.Session, int64) {}}
)

// CreateExpert implements expert.ExpertStore.
func (s *ExpertStore) CreateExpert(ctx context.Context, e expert.Expert) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ve := &osallisuus.ValidationError{Op: "create expert"}
	if e.ID.IsZero() {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if e.Participant.IsZero() {
		ve.Add("participant", osallisuus.CodeRequired)
	}
	if err := ve.Err(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return expertsTable.insert(ctx, s.db, tx, e.ID.String(), e)
	})
}

// GetExpert implements expert.ExpertStore.
func (s *ExpertStore) GetExpert(ctx context.Context, id expert.ExpertID) (expert.Expert, error) {
	return expertsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListExperts implements expert.ExpertStore. Participant, State and the cursor select
// rows in SQL; the profile conditions run on the decoded experts.
func (s *ExpertStore) ListExperts(ctx context.Context, f expert.ExpertFilter) iter.Seq2[expert.Expert, error] {
	var c conds
	c.add(!f.Participant.IsZero(), "participant = ?", f.Participant.String())
	c.add(f.State != expert.StateUnspecified, "state = ?", f.State.String())
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return expertsTable.list(ctx, s.db, c.where(), c.args, "id", f.Match, f.Limit)
}

// UpdateExpert implements expert.ExpertStore.
func (s *ExpertStore) UpdateExpert(ctx context.Context, id expert.ExpertID, fn func(*expert.Expert) error) (expert.Expert, error) {
	var out expert.Expert
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = updateExpert(ctx, s.db, tx, id, fn)
		return err
	})
	return out, err
}

func updateExpert(ctx context.Context, db *DB, tx *sql.Tx, id expert.ExpertID, fn func(*expert.Expert) error) (expert.Expert, error) {
	return expertsTable.update(ctx, db, tx, id.String(), fn,
		func(cur, next *expert.Expert) error {
			next.ID, next.Participant = cur.ID, cur.Participant
			return nil
		})
}

// CreateRequest implements expert.RequestStore.
func (s *ExpertStore) CreateRequest(ctx context.Context, r expert.Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ID.IsZero() {
		return &osallisuus.ValidationError{Op: "create request",
			Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return requestsTable.insert(ctx, s.db, tx, r.ID.String(), r)
	})
}

// GetRequest implements expert.RequestStore.
func (s *ExpertStore) GetRequest(ctx context.Context, id expert.RequestID) (expert.Request, error) {
	return requestsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListRequests implements expert.RequestStore.
func (s *ExpertStore) ListRequests(ctx context.Context, f expert.RequestFilter) iter.Seq2[expert.Request, error] {
	var c conds
	c.add(f.Unit != "", "unit = ?", f.Unit)
	c.add(f.State != expert.RequestUnspecified, "state = ?", f.State.String())
	c.add(f.TaskType != "", "task_type = ?", f.TaskType)
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return requestsTable.list(ctx, s.db, c.where(), c.args, "id", f.Match, f.Limit)
}

// UpdateRequest implements expert.RequestStore.
func (s *ExpertStore) UpdateRequest(ctx context.Context, id expert.RequestID, fn func(*expert.Request) error) (expert.Request, error) {
	var out expert.Request
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = updateRequest(ctx, s.db, tx, id, fn)
		return err
	})
	return out, err
}

func updateRequest(ctx context.Context, db *DB, tx *sql.Tx, id expert.RequestID, fn func(*expert.Request) error) (expert.Request, error) {
	return requestsTable.update(ctx, db, tx, id.String(), fn,
		func(cur, next *expert.Request) error {
			next.ID = cur.ID
			return nil
		})
}

// AddSchedule implements expert.ScheduleStore.
func (s *ExpertStore) AddSchedule(ctx context.Context, sc expert.Schedule) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ve := &osallisuus.ValidationError{Op: "add fee schedule"}
	if sc.ID == "" {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if sc.ValidFrom.IsZero() {
		ve.Add("validFrom", osallisuus.CodeRequired)
	}
	if err := ve.Err(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return schedulesTable.insert(ctx, s.db, tx, sc.ID, sc)
	})
}

// InForce implements expert.ScheduleStore.
func (s *ExpertStore) InForce(ctx context.Context, d osallisuus.Date) (expert.Schedule, error) {
	for sc, err := range schedulesTable.list(ctx, s.db, "valid_from <= ?", []any{d}, "valid_from DESC", nil, 1) {
		return sc, err
	}
	return expert.Schedule{}, fmt.Errorf("fee schedule in force on %s: %w", d, osallisuus.ErrNotFound)
}

// ListSchedules implements expert.ScheduleStore.
func (s *ExpertStore) ListSchedules(ctx context.Context) iter.Seq2[expert.Schedule, error] {
	return schedulesTable.list(ctx, s.db, "", nil, "valid_from", nil, 0)
}

// CreatePayout implements expert.PayoutStore.
func (s *ExpertStore) CreatePayout(ctx context.Context, p expert.Payout) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID.IsZero() {
		return invalidPayout()
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return payoutsTable.insert(ctx, s.db, tx, p.ID.String(), p)
	})
}

func invalidPayout() error {
	return &osallisuus.ValidationError{Op: "create payout",
		Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
}

// GetPayout implements expert.PayoutStore.
func (s *ExpertStore) GetPayout(ctx context.Context, id expert.PayoutID) (expert.Payout, error) {
	return payoutsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListPayouts implements expert.PayoutStore.
func (s *ExpertStore) ListPayouts(ctx context.Context, f expert.PayoutFilter) iter.Seq2[expert.Payout, error] {
	var c conds
	c.add(!f.Expert.IsZero(), "expert = ?", f.Expert.String())
	c.add(f.State != expert.PayoutUnspecified, "state = ?", f.State.String())
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return payoutsTable.list(ctx, s.db, c.where(), c.args, "id", f.Match, f.Limit)
}

// UpdatePayout implements expert.PayoutStore: an approved, paid or voided payout keeps
// its content (ErrConflict otherwise).
func (s *ExpertStore) UpdatePayout(ctx context.Context, id expert.PayoutID, fn func(*expert.Payout) error) (expert.Payout, error) {
	var out expert.Payout
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = updatePayout(ctx, s.db, tx, id, fn)
		return err
	})
	return out, err
}

func updatePayout(ctx context.Context, db *DB, tx *sql.Tx, id expert.PayoutID, fn func(*expert.Payout) error) (expert.Payout, error) {
	return payoutsTable.update(ctx, db, tx, id.String(), fn,
		func(cur, next *expert.Payout) error {
			next.ID = cur.ID
			if cur.Frozen() && !cur.SameContent(*next) {
				return fmt.Errorf("update payout %s: %s payouts are never edited: %w", id, cur.State, osallisuus.ErrConflict)
			}
			return nil
		})
}

// AddSession implements expert.SessionStore.
func (s *ExpertStore) AddSession(ctx context.Context, x expert.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if x.ID == uuid.Nil {
		return invalidSession()
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error { return addSession(ctx, s.db, tx, x) })
}

// addSession inserts x inside tx at the next position of the session counter, whose
// row lock keeps positions in commit order.
func addSession(ctx context.Context, db *DB, tx *sql.Tx, x expert.Session) error {
	pos, err := db.next(ctx, tx, "expert_sessions", 1)
	if err != nil {
		return err
	}
	t := sessionsTable
	t.vals = func(x *expert.Session) []any { return []any{pos, x.Expert.String()} }
	return t.insert(ctx, db, tx, x.ID.String(), x)
}

func invalidSession() error {
	return &osallisuus.ValidationError{Op: "add session",
		Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
}

// Sessions implements expert.SessionStore.
func (s *ExpertStore) Sessions(ctx context.Context, e expert.ExpertID) iter.Seq2[expert.Session, error] {
	return sessionsTable.list(ctx, s.db, "expert = ?", []any{e.String()}, "position", nil, 0)
}

// Atomic implements expert.Store.
func (s *ExpertStore) Atomic(ctx context.Context, fn func(tx expert.Tx) error) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return fn(&expertTx{db: s.db, tx: tx})
	})
}

// expertTx is the expert.Tx of one Atomic call: every read locks its row.
type expertTx struct {
	db *DB
	tx *sql.Tx
}

func (t *expertTx) GetExpert(ctx context.Context, id expert.ExpertID) (expert.Expert, error) {
	return expertsTable.get(ctx, t.db, t.tx, id.String(), true)
}

func (t *expertTx) UpdateExpert(ctx context.Context, id expert.ExpertID, fn func(*expert.Expert) error) (expert.Expert, error) {
	return updateExpert(ctx, t.db, t.tx, id, fn)
}

func (t *expertTx) GetRequest(ctx context.Context, id expert.RequestID) (expert.Request, error) {
	return requestsTable.get(ctx, t.db, t.tx, id.String(), true)
}

func (t *expertTx) UpdateRequest(ctx context.Context, id expert.RequestID, fn func(*expert.Request) error) (expert.Request, error) {
	return updateRequest(ctx, t.db, t.tx, id, fn)
}

func (t *expertTx) CreatePayout(ctx context.Context, p expert.Payout) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID.IsZero() {
		return invalidPayout()
	}
	return payoutsTable.insert(ctx, t.db, t.tx, p.ID.String(), p)
}

func (t *expertTx) GetPayout(ctx context.Context, id expert.PayoutID) (expert.Payout, error) {
	return payoutsTable.get(ctx, t.db, t.tx, id.String(), true)
}

func (t *expertTx) UpdatePayout(ctx context.Context, id expert.PayoutID, fn func(*expert.Payout) error) (expert.Payout, error) {
	return updatePayout(ctx, t.db, t.tx, id, fn)
}

// AddSession stores x in the Atomic call's transaction: it commits with the payout and
// the commitment written beside it, or not at all.
func (t *expertTx) AddSession(ctx context.Context, x expert.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if x.ID == uuid.Nil {
		return invalidSession()
	}
	return addSession(ctx, t.db, t.tx, x)
}
