// Package memstore is the in-memory implementation of the expert stores (expert.Store):
// the reference every other implementation is compared with, and a ready store for host
// tests and examples. The zero Store is empty and ready to use. It is safe for concurrent
// use and passes experttest.Run.
package memstore

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/internal/memtable"
)

// Store keeps experts, requests, fee schedules, payouts and sessions in memory under one
// lock. Values in, values out: it deep-copies on the way in and out.
type Store struct {
	mu        sync.RWMutex
	experts   map[expert.ExpertID]expert.Expert
	requests  map[expert.RequestID]expert.Request
	schedules []expert.Schedule // ValidFrom order
	payouts   map[expert.PayoutID]expert.Payout
	sessions  map[expert.ExpertID][]expert.Session
	sessionID map[uuid.UUID]bool
}

var _ expert.Store = (*Store)(nil)

// New returns an empty store; the zero Store works as well.
func New() *Store { return &Store{} }

func (s *Store) init() {
	if s.experts == nil {
		s.experts = make(map[expert.ExpertID]expert.Expert)
		s.requests = make(map[expert.RequestID]expert.Request)
		s.payouts = make(map[expert.PayoutID]expert.Payout)
		s.sessions = make(map[expert.ExpertID][]expert.Session)
		s.sessionID = make(map[uuid.UUID]bool)
	}
}

func byUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

var (
	experts = memtable.Kind[expert.ExpertID, expert.Expert]{
		Clone:     expert.Expert.Clone,
		Version:   func(e *expert.Expert) *int64 { return &e.Version },
		Compare:   func(a, b expert.ExpertID) int { return byUUID(a.UUID, b.UUID) },
		NotFound:  func(id expert.ExpertID) error { return osallisuus.NotFound("expert", id) },
		Conflict:  func(id expert.ExpertID) error { return fmt.Errorf("create expert %s: %w", id, osallisuus.ErrConflict) },
		CheckEach: true,
	}
	requests = memtable.Kind[expert.RequestID, expert.Request]{
		Clone:    expert.Request.Clone,
		Version:  func(r *expert.Request) *int64 { return &r.Version },
		Compare:  func(a, b expert.RequestID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id expert.RequestID) error { return osallisuus.NotFound("request", id) },
		Conflict: func(id expert.RequestID) error {
			return fmt.Errorf("create request %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error {
			return &osallisuus.ValidationError{Op: "create request",
				Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
		},
		CheckEach: true,
	}
	payouts = memtable.Kind[expert.PayoutID, expert.Payout]{
		Clone:    expert.Payout.Clone,
		Version:  func(p *expert.Payout) *int64 { return &p.Version },
		Compare:  func(a, b expert.PayoutID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id expert.PayoutID) error { return osallisuus.NotFound("payout", id) },
		Conflict: func(id expert.PayoutID) error { return fmt.Errorf("create payout %s: %w", id, osallisuus.ErrConflict) },
		Invalid: func() error {
			return &osallisuus.ValidationError{Op: "create payout",
				Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
		},
		CheckEach: true,
	}
)

// The maps for memtable, read under the lock; the made… ones first make the maps.

func (s *Store) expertMap() map[expert.ExpertID]expert.Expert    { return s.experts }
func (s *Store) requestMap() map[expert.RequestID]expert.Request { return s.requests }
func (s *Store) payoutMap() map[expert.PayoutID]expert.Payout    { return s.payouts }

func (s *Store) madeRequests() map[expert.RequestID]expert.Request { s.init(); return s.requests }
func (s *Store) madePayouts() map[expert.PayoutID]expert.Payout    { s.init(); return s.payouts }

// CreateExpert implements expert.ExpertStore.
func (s *Store) CreateExpert(ctx context.Context, e expert.Expert) error {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if _, ok := s.experts[e.ID]; ok {
		return experts.Conflict(e.ID)
	}
	if !e.State.Terminal() {
		for _, x := range s.experts {
			if x.Participant == e.Participant && !x.State.Terminal() {
				return fmt.Errorf("create expert %s: participant has expert %s: %w", e.ID, x.ID, osallisuus.ErrConflict)
			}
		}
	}
	return experts.Create(s.experts, e.ID, e)
}

// GetExpert implements expert.ExpertStore.
func (s *Store) GetExpert(ctx context.Context, id expert.ExpertID) (expert.Expert, error) {
	return experts.LockedGet(ctx, &s.mu, s.expertMap, id)
}

func yieldAll[V any](ctx context.Context, out func() []V) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		if err := ctx.Err(); err != nil {
			var zero V
			yield(zero, err)
			return
		}
		for _, v := range out() {
			if err := ctx.Err(); err != nil {
				var zero V
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// ListExperts implements expert.ExpertStore.
func (s *Store) ListExperts(ctx context.Context, f expert.ExpertFilter) iter.Seq2[expert.Expert, error] {
	return experts.List(ctx, &s.mu, s.expertMap,
		memtable.Page[expert.ExpertID, expert.Expert]{
			Match: func(e *expert.Expert) bool { return f.Match(*e) }, After: f.After, Limit: f.Limit})
}

// UpdateExpert implements expert.ExpertStore.
func (s *Store) UpdateExpert(ctx context.Context, id expert.ExpertID, fn func(*expert.Expert) error) (expert.Expert, error) {
	return experts.LockedUpdate(ctx, &s.mu, s.expertMap, id, fn, keepExpert)
}

// keepExpert keeps an expert's ID and participant: fn may not change them.
func keepExpert(next *expert.Expert, cur expert.Expert) error {
	next.ID, next.Participant = cur.ID, cur.Participant
	return nil
}

// CreateRequest implements expert.RequestStore.
func (s *Store) CreateRequest(ctx context.Context, r expert.Request) error {
	return requests.LockedCreate(ctx, &s.mu, s.madeRequests, r.ID, r)
}

// GetRequest implements expert.RequestStore.
func (s *Store) GetRequest(ctx context.Context, id expert.RequestID) (expert.Request, error) {
	return requests.LockedGet(ctx, &s.mu, s.requestMap, id)
}

// ListRequests implements expert.RequestStore.
func (s *Store) ListRequests(ctx context.Context, f expert.RequestFilter) iter.Seq2[expert.Request, error] {
	return requests.List(ctx, &s.mu, s.requestMap,
		memtable.Page[expert.RequestID, expert.Request]{
			Match: func(r *expert.Request) bool { return f.Match(*r) }, After: f.After, Limit: f.Limit})
}

// UpdateRequest implements expert.RequestStore.
func (s *Store) UpdateRequest(ctx context.Context, id expert.RequestID, fn func(*expert.Request) error) (expert.Request, error) {
	return requests.LockedUpdate(ctx, &s.mu, s.requestMap, id, fn, keepRequest)
}

// keepRequest keeps a request's ID: fn may not change it.
func keepRequest(next *expert.Request, cur expert.Request) error {
	next.ID = cur.ID
	return nil
}

// AddSchedule implements expert.ScheduleStore.
func (s *Store) AddSchedule(ctx context.Context, sc expert.Schedule) error {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.schedules {
		if x.ID == sc.ID || x.ValidFrom == sc.ValidFrom {
			return fmt.Errorf("add fee schedule %s from %s: %w", sc.ID, sc.ValidFrom, osallisuus.ErrConflict)
		}
	}
	s.schedules = append(s.schedules, sc.Clone())
	slices.SortFunc(s.schedules, func(a, b expert.Schedule) int { return a.ValidFrom.Compare(b.ValidFrom) })
	return nil
}

// InForce implements expert.ScheduleStore.
func (s *Store) InForce(ctx context.Context, d osallisuus.Date) (expert.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return expert.Schedule{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sc, ok := expert.Schedules(s.schedules).InForce(d)
	if !ok {
		return expert.Schedule{}, fmt.Errorf("fee schedule in force on %s: %w", d, osallisuus.ErrNotFound)
	}
	return sc.Clone(), nil
}

// ListSchedules implements expert.ScheduleStore.
func (s *Store) ListSchedules(ctx context.Context) iter.Seq2[expert.Schedule, error] {
	return yieldAll(ctx, func() []expert.Schedule {
		s.mu.RLock()
		defer s.mu.RUnlock()
		out := make([]expert.Schedule, len(s.schedules))
		for i, x := range s.schedules {
			out[i] = x.Clone()
		}
		return out
	})
}

// CreatePayout implements expert.PayoutStore.
func (s *Store) CreatePayout(ctx context.Context, p expert.Payout) error {
	return payouts.LockedCreate(ctx, &s.mu, s.madePayouts, p.ID, p)
}

// createPayout stores p in m unless its ID is in m or in base (the committed payouts,
// for a transaction's overlay).
func createPayout(m, base map[expert.PayoutID]expert.Payout, p expert.Payout) error {
	if _, ok := base[p.ID]; ok {
		return payouts.Conflict(p.ID)
	}
	return payouts.Create(m, p.ID, p)
}

// GetPayout implements expert.PayoutStore.
func (s *Store) GetPayout(ctx context.Context, id expert.PayoutID) (expert.Payout, error) {
	return payouts.LockedGet(ctx, &s.mu, s.payoutMap, id)
}

// ListPayouts implements expert.PayoutStore.
func (s *Store) ListPayouts(ctx context.Context, f expert.PayoutFilter) iter.Seq2[expert.Payout, error] {
	return payouts.List(ctx, &s.mu, s.payoutMap,
		memtable.Page[expert.PayoutID, expert.Payout]{
			Match: func(p *expert.Payout) bool { return f.Match(*p) }, After: f.After, Limit: f.Limit})
}

// UpdatePayout implements expert.PayoutStore.
func (s *Store) UpdatePayout(ctx context.Context, id expert.PayoutID, fn func(*expert.Payout) error) (expert.Payout, error) {
	return payouts.LockedUpdate(ctx, &s.mu, s.payoutMap, id, fn, keepPayout)
}

// keepPayout keeps a payout's ID and refuses any change to the content of a frozen one.
func keepPayout(next *expert.Payout, cur expert.Payout) error {
	next.ID = cur.ID
	if cur.Frozen() && !cur.SameContent(*next) {
		return fmt.Errorf("update payout %s: %s payouts are never edited: %w", cur.ID, cur.State, osallisuus.ErrConflict)
	}
	return nil
}

// AddSession implements expert.SessionStore.
func (s *Store) AddSession(ctx context.Context, x expert.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if x.ID == uuid.Nil {
		return &osallisuus.ValidationError{Op: "add session",
			Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if s.sessionID[x.ID] {
		return fmt.Errorf("add session %s: %w", x.ID, osallisuus.ErrConflict)
	}
	s.sessionID[x.ID] = true
	s.sessions[x.Expert] = append(s.sessions[x.Expert], x)
	return nil
}

// Sessions implements expert.SessionStore.
func (s *Store) Sessions(ctx context.Context, e expert.ExpertID) iter.Seq2[expert.Session, error] {
	return yieldAll(ctx, func() []expert.Session {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return slices.Clone(s.sessions[e])
	})
}

// Atomic implements expert.Store: it holds the store's lock for the whole call, so
// concurrent calls run one after another. fn's writes go to copies that are installed
// only when fn returns nil.
func (s *Store) Atomic(ctx context.Context, fn func(tx expert.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	tx := &tx{s: s, experts: map[expert.ExpertID]expert.Expert{}, requests: map[expert.RequestID]expert.Request{},
		payouts: map[expert.PayoutID]expert.Payout{}}
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for id, e := range tx.experts {
		s.experts[id] = e
	}
	for id, r := range tx.requests {
		s.requests[id] = r
	}
	for id, p := range tx.payouts {
		s.payouts[id] = p
	}
	for _, x := range tx.sessions {
		s.sessionID[x.ID] = true
		s.sessions[x.Expert] = append(s.sessions[x.Expert], x)
	}
	return nil
}

var _ expert.Tx = (*tx)(nil)

// tx overlays fn's writes on the store; the store's lock is held by Atomic.
type tx struct {
	s        *Store
	experts  map[expert.ExpertID]expert.Expert
	requests map[expert.RequestID]expert.Request
	payouts  map[expert.PayoutID]expert.Payout
	sessions []expert.Session
}

func (t *tx) expertMap(id expert.ExpertID) map[expert.ExpertID]expert.Expert {
	if _, ok := t.experts[id]; !ok {
		if e, ok := t.s.experts[id]; ok {
			t.experts[id] = e.Clone()
		}
	}
	return t.experts
}

func (t *tx) requestMap(id expert.RequestID) map[expert.RequestID]expert.Request {
	if _, ok := t.requests[id]; !ok {
		if r, ok := t.s.requests[id]; ok {
			t.requests[id] = r.Clone()
		}
	}
	return t.requests
}

func (t *tx) GetExpert(ctx context.Context, id expert.ExpertID) (expert.Expert, error) {
	if err := ctx.Err(); err != nil {
		return expert.Expert{}, err
	}
	if e, ok := t.experts[id]; ok {
		return e.Clone(), nil
	}
	return experts.Get(t.s.experts, id)
}

func (t *tx) UpdateExpert(ctx context.Context, id expert.ExpertID, fn func(*expert.Expert) error) (expert.Expert, error) {
	if err := ctx.Err(); err != nil {
		return expert.Expert{}, err
	}
	return experts.Update(t.expertMap(id), id, fn, keepExpert)
}

func (t *tx) GetRequest(ctx context.Context, id expert.RequestID) (expert.Request, error) {
	if err := ctx.Err(); err != nil {
		return expert.Request{}, err
	}
	if r, ok := t.requests[id]; ok {
		return r.Clone(), nil
	}
	return requests.Get(t.s.requests, id)
}

func (t *tx) UpdateRequest(ctx context.Context, id expert.RequestID, fn func(*expert.Request) error) (expert.Request, error) {
	if err := ctx.Err(); err != nil {
		return expert.Request{}, err
	}
	return requests.Update(t.requestMap(id), id, fn, keepRequest)
}

func (t *tx) CreatePayout(ctx context.Context, p expert.Payout) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID.IsZero() {
		return payouts.Invalid()
	}
	return createPayout(t.payouts, t.s.payouts, p)
}

// AddSession implements expert.Tx: the session is installed with the rest of
// the Atomic call.
func (t *tx) AddSession(ctx context.Context, x expert.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if x.ID == uuid.Nil {
		return &osallisuus.ValidationError{Op: "add session",
			Problems: []osallisuus.Problem{{Field: "id", Code: osallisuus.CodeRequired}}}
	}
	if t.s.sessionID[x.ID] || slices.ContainsFunc(t.sessions, func(y expert.Session) bool { return y.ID == x.ID }) {
		return fmt.Errorf("add session %s: %w", x.ID, osallisuus.ErrConflict)
	}
	t.sessions = append(t.sessions, x)
	return nil
}

func (t *tx) GetPayout(ctx context.Context, id expert.PayoutID) (expert.Payout, error) {
	if err := ctx.Err(); err != nil {
		return expert.Payout{}, err
	}
	if p, ok := t.payouts[id]; ok {
		return p.Clone(), nil
	}
	return payouts.Get(t.s.payouts, id)
}

func (t *tx) UpdatePayout(ctx context.Context, id expert.PayoutID, fn func(*expert.Payout) error) (expert.Payout, error) {
	if err := ctx.Err(); err != nil {
		return expert.Payout{}, err
	}
	if _, ok := t.payouts[id]; !ok {
		if p, ok := t.s.payouts[id]; ok {
			t.payouts[id] = p.Clone()
		}
	}
	return payouts.Update(t.payouts, id, fn, keepPayout)
}
