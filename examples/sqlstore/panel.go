package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
)

// panelSchema is migration 3: customer panels (each with its whole roster), their
// meetings, proposals and open calls, each a JSON document beside the columns the
// store selects by. A seat race is one UpdatePanel: the panel's row lock (or SQLite's
// write lock) makes the capacity rule see the roster it changes.
var panelSchema = migration{
	name: "panel",
	common: `
CREATE TABLE panels (
	id      {{uuid}} PRIMARY KEY,
	state   TEXT NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);

CREATE TABLE panel_meetings (
	id      {{uuid}} PRIMARY KEY,
	panel   {{uuid}} NOT NULL,
	state   TEXT NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX panel_meetings_by_panel ON panel_meetings (panel, id);

CREATE TABLE panel_proposals (
	id      {{uuid}} PRIMARY KEY,
	panel   {{uuid}} NOT NULL,
	state   TEXT NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX panel_proposals_by_panel ON panel_proposals (panel, id);

CREATE TABLE panel_calls (
	id      {{uuid}} PRIMARY KEY,
	panel   {{uuid}} NOT NULL,
	state   TEXT NOT NULL,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX panel_calls_by_panel ON panel_calls (panel, id);
`,
}

// PanelStore implements the panel stores ([panel.Store]) on a [DB]: panels, meetings,
// proposals and calls. It is safe for concurrent use and passes paneltest.Run on SQLite
// and PostgreSQL. Get it from [DB.Panel]. Update methods run fn once, inside a
// transaction holding the row; fn must not call the store's write methods.
//
// [PanelStore.Atomic] runs its function in one transaction whose reads lock the rows
// they read (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write lock held from BEGIN),
// so an open call's selection saves the call and its panel together or not at all.
type PanelStore struct {
	db *DB
}

var (
	_ panel.Store = (*PanelStore)(nil)
	_ panel.Tx    = (*panelTx)(nil)
)

// Panel returns the panel stores of db.
func (db *DB) Panel() *PanelStore { return &PanelStore{db: db} }

var (
	panelsTable = docTable[panel.Panel]{table: "panels", what: "panel",
		cols:       []string{"state"},
		vals:       func(p *panel.Panel) []any { return []any{string(p.State)} },
		version:    func(p *panel.Panel) int64 { return p.Version },
		setVersion: func(p *panel.Panel, v int64) { p.Version = v }}
	meetingsTable = docTable[panel.Meeting]{table: "panel_meetings", what: "meeting",
		cols:       []string{"panel", "state"},
		vals:       func(m *panel.Meeting) []any { return []any{m.Panel.String(), string(m.State)} },
		version:    func(m *panel.Meeting) int64 { return m.Version },
		setVersion: func(m *panel.Meeting, v int64) { m.Version = v }}
	proposalsTable = docTable[panel.Proposal]{table: "panel_proposals", what: "proposal",
		cols:       []string{"panel", "state"},
		vals:       func(p *panel.Proposal) []any { return []any{p.Panel.String(), string(p.State)} },
		version:    func(p *panel.Proposal) int64 { return p.Version },
		setVersion: func(p *panel.Proposal, v int64) { p.Version = v }}
	callsTable = docTable[panel.Call]{table: "panel_calls", what: "call",
		cols:       []string{"panel", "state"},
		vals:       func(c *panel.Call) []any { return []any{c.Panel.String(), string(c.State)} },
		version:    func(c *panel.Call) int64 { return c.Version },
		setVersion: func(c *panel.Call, v int64) { c.Version = v }}
)

// createDoc validates the ID and inserts v into t.
func createDoc[T any](ctx context.Context, db *DB, t docTable[T], id uuid.UUID, v T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if id == uuid.Nil {
		return fmt.Errorf("create %s: %w", t.what, osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return t.insert(ctx, db, tx, id.String(), v) })
}

// updateDoc runs fn on document id of t in its own transaction; keepID restores the ID
// (the key, which fn may not move).
func updateDoc[T any](ctx context.Context, db *DB, t docTable[T], id uuid.UUID,
	fn func(*T) error, keepID func(cur, next *T)) (T, error) {
	var out T
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = t.update(ctx, db, tx, id.String(), fn, func(cur, next *T) error {
			keepID(cur, next)
			return nil
		})
		return err
	})
	return out, err
}

// CreatePanel implements panel.PanelStore.
func (s *PanelStore) CreatePanel(ctx context.Context, p panel.Panel) error {
	return createDoc(ctx, s.db, panelsTable, p.ID.UUID, p)
}

// GetPanel implements panel.PanelStore.
func (s *PanelStore) GetPanel(ctx context.Context, id panel.PanelID) (panel.Panel, error) {
	return panelsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListPanels implements panel.PanelStore.
func (s *PanelStore) ListPanels(ctx context.Context, f panel.PanelFilter) iter.Seq2[panel.Panel, error] {
	var c conds
	c.add(f.State != "", "state = ?", string(f.State))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return panelsTable.list(ctx, s.db, c.where(), c.args, "id", func(p panel.Panel) bool { return f.Match(&p) }, f.Limit)
}

// UpdatePanel implements panel.PanelStore.
func (s *PanelStore) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	return updateDoc(ctx, s.db, panelsTable, id.UUID, fn,
		func(cur, next *panel.Panel) { next.ID = cur.ID })
}

// CreateMeeting implements panel.MeetingStore.
func (s *PanelStore) CreateMeeting(ctx context.Context, m panel.Meeting) error {
	return createDoc(ctx, s.db, meetingsTable, m.ID.UUID, m)
}

// GetMeeting implements panel.MeetingStore.
func (s *PanelStore) GetMeeting(ctx context.Context, id panel.MeetingID) (panel.Meeting, error) {
	return meetingsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListMeetings implements panel.MeetingStore. The start-time bounds run on the decoded
// meetings.
func (s *PanelStore) ListMeetings(ctx context.Context, f panel.MeetingFilter) iter.Seq2[panel.Meeting, error] {
	var c conds
	c.add(!f.Panel.IsZero(), "panel = ?", f.Panel.String())
	c.add(f.State != "", "state = ?", string(f.State))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return meetingsTable.list(ctx, s.db, c.where(), c.args, "id", func(m panel.Meeting) bool { return f.Match(&m) }, f.Limit)
}

// UpdateMeeting implements panel.MeetingStore.
func (s *PanelStore) UpdateMeeting(ctx context.Context, id panel.MeetingID, fn func(*panel.Meeting) error) (panel.Meeting, error) {
	return updateDoc(ctx, s.db, meetingsTable, id.UUID, fn,
		func(cur, next *panel.Meeting) { next.ID = cur.ID })
}

// CreateProposal implements panel.ProposalStore.
func (s *PanelStore) CreateProposal(ctx context.Context, p panel.Proposal) error {
	return createDoc(ctx, s.db, proposalsTable, p.ID.UUID, p)
}

// GetProposal implements panel.ProposalStore.
func (s *PanelStore) GetProposal(ctx context.Context, id panel.ProposalID) (panel.Proposal, error) {
	return proposalsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListProposals implements panel.ProposalStore. Overdue runs on the decoded proposals.
func (s *PanelStore) ListProposals(ctx context.Context, f panel.ProposalFilter) iter.Seq2[panel.Proposal, error] {
	var c conds
	c.add(!f.Panel.IsZero(), "panel = ?", f.Panel.String())
	c.add(f.State != "", "state = ?", string(f.State))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return proposalsTable.list(ctx, s.db, c.where(), c.args, "id", func(p panel.Proposal) bool { return f.Match(&p) }, f.Limit)
}

// UpdateProposal implements panel.ProposalStore.
func (s *PanelStore) UpdateProposal(ctx context.Context, id panel.ProposalID, fn func(*panel.Proposal) error) (panel.Proposal, error) {
	return updateDoc(ctx, s.db, proposalsTable, id.UUID, fn,
		func(cur, next *panel.Proposal) { next.ID = cur.ID })
}

// CreateCall implements panel.CallStore.
func (s *PanelStore) CreateCall(ctx context.Context, c panel.Call) error {
	return createDoc(ctx, s.db, callsTable, c.ID.UUID, c)
}

// GetCall implements panel.CallStore.
func (s *PanelStore) GetCall(ctx context.Context, id panel.CallID) (panel.Call, error) {
	return callsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListCalls implements panel.CallStore.
func (s *PanelStore) ListCalls(ctx context.Context, f panel.CallFilter) iter.Seq2[panel.Call, error] {
	var c conds
	c.add(!f.Panel.IsZero(), "panel = ?", f.Panel.String())
	c.add(f.State != "", "state = ?", string(f.State))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return callsTable.list(ctx, s.db, c.where(), c.args, "id", func(x panel.Call) bool { return f.Match(&x) }, f.Limit)
}

// UpdateCall implements panel.CallStore.
func (s *PanelStore) UpdateCall(ctx context.Context, id panel.CallID, fn func(*panel.Call) error) (panel.Call, error) {
	return updateDoc(ctx, s.db, callsTable, id.UUID, fn,
		func(cur, next *panel.Call) { next.ID = cur.ID })
}

// Atomic implements panel.Store: fn runs in one transaction, committed when it returns
// nil and rolled back otherwise.
func (s *PanelStore) Atomic(ctx context.Context, fn func(tx panel.Tx) error) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return fn(&panelTx{db: s.db, tx: tx})
	})
}

// panelTx is the panel.Tx of one Atomic call: every read locks its row.
type panelTx struct {
	db *DB
	tx *sql.Tx
}

func (t *panelTx) GetPanel(ctx context.Context, id panel.PanelID) (panel.Panel, error) {
	return panelsTable.get(ctx, t.db, t.tx, id.String(), true)
}

func (t *panelTx) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	return panelsTable.update(ctx, t.db, t.tx, id.String(), fn, func(cur, next *panel.Panel) error {
		next.ID = cur.ID
		return nil
	})
}

func (t *panelTx) GetCall(ctx context.Context, id panel.CallID) (panel.Call, error) {
	return callsTable.get(ctx, t.db, t.tx, id.String(), true)
}

func (t *panelTx) UpdateCall(ctx context.Context, id panel.CallID, fn func(*panel.Call) error) (panel.Call, error) {
	return callsTable.update(ctx, t.db, t.tx, id.String(), fn, func(cur, next *panel.Call) error {
		next.ID = cur.ID
		return nil
	})
}
