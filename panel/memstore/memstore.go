// Package memstore is the in-memory implementation of panel.Store: the reference every
// other implementation is compared with, and a ready store for host tests and examples.
// The zero Store is empty and ready to use. It is safe for concurrent use (one lock),
// deep-copies values in and out, and passes paneltest.Run.
package memstore

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/internal/memtable"
	"github.com/osallisuus/osallisuus/panel"
)

// Store keeps panels, meetings, proposals and calls in memory under one lock.
type Store struct {
	mu        sync.RWMutex
	panels    map[uuid.UUID]panel.Panel
	meetings  map[uuid.UUID]panel.Meeting
	proposals map[uuid.UUID]panel.Proposal
	calls     map[uuid.UUID]panel.Call
}

var _ panel.Store = (*Store)(nil)

// New returns an empty store; the zero Store works as well.
func New() *Store { return &Store{} }

// kind describes one aggregate type to the generic helpers: memtable's mechanics, its
// map in the Store and how to put the key back into a value fn changed.
type kind[T any] struct {
	memtable.Kind[uuid.UUID, T]
	table func(s *Store) *map[uuid.UUID]T
	setID func(v *T, id uuid.UUID)
}

func newKind[T any](name string, table func(s *Store) *map[uuid.UUID]T, clone func(T) T,
	version func(*T) *int64, setID func(*T, uuid.UUID)) kind[T] {
	return kind[T]{
		Kind: memtable.Kind[uuid.UUID, T]{
			Clone: clone, Version: version, Compare: compareUUID, CheckEach: true,
			NotFound: func(id uuid.UUID) error { return fmt.Errorf("%s %s: %w", name, id, osallisuus.ErrNotFound) },
			Conflict: func(id uuid.UUID) error { return fmt.Errorf("create %s %s: %w", name, id, osallisuus.ErrConflict) },
			Invalid: func() error {
				return fmt.Errorf("create %s: %w", name, osallisuus.Invalid("id", osallisuus.CodeRequired))
			},
		},
		table: table, setID: setID,
	}
}

// in returns the function memtable calls, under the lock, for k's map in s.
func (k kind[T]) in(s *Store) func() map[uuid.UUID]T {
	return func() map[uuid.UUID]T { return *k.table(s) }
}

// keep puts id back into the value fn changed: the ID is the key, fn may not move it.
func (k kind[T]) keep(id uuid.UUID) func(next *T, _ T) error {
	return func(next *T, _ T) error {
		k.setID(next, id)
		return nil
	}
}

var (
	panels = newKind("panel", func(s *Store) *map[uuid.UUID]panel.Panel { return &s.panels },
		panel.Panel.Clone, func(p *panel.Panel) *int64 { return &p.Version },
		func(p *panel.Panel, id uuid.UUID) { p.ID = panel.PanelID{UUID: id} })
	meetings = newKind("meeting", func(s *Store) *map[uuid.UUID]panel.Meeting { return &s.meetings },
		panel.Meeting.Clone, func(m *panel.Meeting) *int64 { return &m.Version },
		func(m *panel.Meeting, id uuid.UUID) { m.ID = panel.MeetingID{UUID: id} })
	proposals = newKind("proposal", func(s *Store) *map[uuid.UUID]panel.Proposal { return &s.proposals },
		panel.Proposal.Clone, func(p *panel.Proposal) *int64 { return &p.Version },
		func(p *panel.Proposal, id uuid.UUID) { p.ID = panel.ProposalID{UUID: id} })
	calls = newKind("call", func(s *Store) *map[uuid.UUID]panel.Call { return &s.calls },
		panel.Call.Clone, func(c *panel.Call) *int64 { return &c.Version },
		func(c *panel.Call, id uuid.UUID) { c.ID = panel.CallID{UUID: id} })
)

func create[T any](ctx context.Context, s *Store, k kind[T], id uuid.UUID, v T) error {
	return k.LockedCreate(ctx, &s.mu, func() map[uuid.UUID]T {
		t := k.table(s)
		if *t == nil {
			*t = make(map[uuid.UUID]T)
		}
		return *t
	}, id, v)
}

func get[T any](ctx context.Context, s *Store, k kind[T], id uuid.UUID) (T, error) {
	return k.LockedGet(ctx, &s.mu, k.in(s), id)
}

func list[T any](ctx context.Context, s *Store, k kind[T], after uuid.UUID, limit int, match func(*T) bool) iter.Seq2[T, error] {
	return k.List(ctx, &s.mu, k.in(s),
		memtable.Page[uuid.UUID, T]{Match: match, After: after, Limit: limit})
}

func compareUUID(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

func update[T any](ctx context.Context, s *Store, k kind[T], id uuid.UUID, fn func(*T) error) (T, error) {
	return k.LockedUpdate(ctx, &s.mu, k.in(s), id, fn, k.keep(id))
}

// CreatePanel implements panel.PanelStore.
func (s *Store) CreatePanel(ctx context.Context, p panel.Panel) error {
	return create(ctx, s, panels, p.ID.UUID, p)
}

// GetPanel implements panel.PanelStore.
func (s *Store) GetPanel(ctx context.Context, id panel.PanelID) (panel.Panel, error) {
	return get(ctx, s, panels, id.UUID)
}

// ListPanels implements panel.PanelStore.
func (s *Store) ListPanels(ctx context.Context, f panel.PanelFilter) iter.Seq2[panel.Panel, error] {
	return list(ctx, s, panels, f.After.UUID, f.Limit, f.Match)
}

// UpdatePanel implements panel.PanelStore.
func (s *Store) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	return update(ctx, s, panels, id.UUID, fn)
}

// CreateMeeting implements panel.MeetingStore.
func (s *Store) CreateMeeting(ctx context.Context, m panel.Meeting) error {
	return create(ctx, s, meetings, m.ID.UUID, m)
}

// GetMeeting implements panel.MeetingStore.
func (s *Store) GetMeeting(ctx context.Context, id panel.MeetingID) (panel.Meeting, error) {
	return get(ctx, s, meetings, id.UUID)
}

// ListMeetings implements panel.MeetingStore.
func (s *Store) ListMeetings(ctx context.Context, f panel.MeetingFilter) iter.Seq2[panel.Meeting, error] {
	return list(ctx, s, meetings, f.After.UUID, f.Limit, f.Match)
}

// UpdateMeeting implements panel.MeetingStore.
func (s *Store) UpdateMeeting(ctx context.Context, id panel.MeetingID, fn func(*panel.Meeting) error) (panel.Meeting, error) {
	return update(ctx, s, meetings, id.UUID, fn)
}

// CreateProposal implements panel.ProposalStore.
func (s *Store) CreateProposal(ctx context.Context, p panel.Proposal) error {
	return create(ctx, s, proposals, p.ID.UUID, p)
}

// GetProposal implements panel.ProposalStore.
func (s *Store) GetProposal(ctx context.Context, id panel.ProposalID) (panel.Proposal, error) {
	return get(ctx, s, proposals, id.UUID)
}

// ListProposals implements panel.ProposalStore.
func (s *Store) ListProposals(ctx context.Context, f panel.ProposalFilter) iter.Seq2[panel.Proposal, error] {
	return list(ctx, s, proposals, f.After.UUID, f.Limit, f.Match)
}

// UpdateProposal implements panel.ProposalStore.
func (s *Store) UpdateProposal(ctx context.Context, id panel.ProposalID, fn func(*panel.Proposal) error) (panel.Proposal, error) {
	return update(ctx, s, proposals, id.UUID, fn)
}

// CreateCall implements panel.CallStore.
func (s *Store) CreateCall(ctx context.Context, c panel.Call) error {
	return create(ctx, s, calls, c.ID.UUID, c)
}

// GetCall implements panel.CallStore.
func (s *Store) GetCall(ctx context.Context, id panel.CallID) (panel.Call, error) {
	return get(ctx, s, calls, id.UUID)
}

// ListCalls implements panel.CallStore.
func (s *Store) ListCalls(ctx context.Context, f panel.CallFilter) iter.Seq2[panel.Call, error] {
	return list(ctx, s, calls, f.After.UUID, f.Limit, f.Match)
}

// UpdateCall implements panel.CallStore.
func (s *Store) UpdateCall(ctx context.Context, id panel.CallID, fn func(*panel.Call) error) (panel.Call, error) {
	return update(ctx, s, calls, id.UUID, fn)
}

// Atomic implements panel.Store: it holds the store's lock for the whole call, so
// concurrent calls and updates run one after another. fn's writes go to copies that
// are installed only when fn returns nil and ctx is not done.
func (s *Store) Atomic(ctx context.Context, fn func(tx panel.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tx{s: s, panels: map[uuid.UUID]panel.Panel{}, calls: map[uuid.UUID]panel.Call{}}
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for id, p := range t.panels {
		s.panels[id] = p // the entry exists: tx updates only stored values
	}
	for id, c := range t.calls {
		s.calls[id] = c
	}
	return nil
}

var _ panel.Tx = (*tx)(nil)

// tx overlays an Atomic call's writes on the store; Atomic holds the store's lock.
type tx struct {
	s      *Store
	panels map[uuid.UUID]panel.Panel
	calls  map[uuid.UUID]panel.Call
}

// txGet returns a copy of id as fn sees it: its own write, else the stored value.
func txGet[T any](ctx context.Context, t *tx, k kind[T], own map[uuid.UUID]T, id uuid.UUID) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	if _, ok := own[id]; ok {
		return k.Get(own, id)
	}
	return k.Get(*k.table(t.s), id)
}

// txUpdate runs fn on a copy of id as fn's call sees it and keeps the result, with
// Version+1, among the call's writes; a failing fn changes nothing fn's call can see.
func txUpdate[T any](ctx context.Context, t *tx, k kind[T], own map[uuid.UUID]T, id uuid.UUID, fn func(*T) error) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	if _, ok := own[id]; !ok {
		if v, ok := (*k.table(t.s))[id]; ok {
			own[id] = k.Clone(v) // the stored value: installing it unchanged is harmless
		}
	}
	return k.Update(own, id, fn, k.keep(id))
}

// GetPanel implements panel.Tx.
func (t *tx) GetPanel(ctx context.Context, id panel.PanelID) (panel.Panel, error) {
	return txGet(ctx, t, panels, t.panels, id.UUID)
}

// UpdatePanel implements panel.Tx.
func (t *tx) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	return txUpdate(ctx, t, panels, t.panels, id.UUID, fn)
}

// GetCall implements panel.Tx.
func (t *tx) GetCall(ctx context.Context, id panel.CallID) (panel.Call, error) {
	return txGet(ctx, t, calls, t.calls, id.UUID)
}

// UpdateCall implements panel.Tx.
func (t *tx) UpdateCall(ctx context.Context, id panel.CallID, fn func(*panel.Call) error) (panel.Call, error) {
	return txUpdate(ctx, t, calls, t.calls, id.UUID, fn)
}
