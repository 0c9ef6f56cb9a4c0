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
	"github.com/osallisuus/osallisuus/participation"
)

var _ participation.ActivityStore = (*Store)(nil)

// activityData holds organisations, projects, activities, participation records and
// outcomes. It has a lock of its own, so an activity transaction never waits on consent
// reads (and the consent stores never wait on it); each is still one lock over maps.
type activityData struct {
	mu         sync.RWMutex
	orgs       map[participation.OrganisationID]participation.Organisation
	projects   map[participation.ProjectID]participation.Project
	activities map[participation.ActivityID]participation.Activity
	records    map[participation.RecordID]participation.ParticipationRecord
	// byActivity lists each activity's record IDs in Seq order.
	byActivity map[participation.ActivityID][]participation.RecordID
	outcomes   map[participation.OutcomeID]participation.Outcome
}

func (d *activityData) init() {
	if d.orgs == nil {
		d.orgs = make(map[participation.OrganisationID]participation.Organisation)
		d.projects = make(map[participation.ProjectID]participation.Project)
		d.activities = make(map[participation.ActivityID]participation.Activity)
		d.records = make(map[participation.RecordID]participation.ParticipationRecord)
		d.byActivity = make(map[participation.ActivityID][]participation.RecordID)
		d.outcomes = make(map[participation.OutcomeID]participation.Outcome)
	}
}

func byUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// list yields the values of m that match, in ID order, after `after` (zero: from the
// start), at most limit (0: all). It copies under the read lock and yields after
// unlocking, so the consumer may call the store.
func list[K comparable, V any](ctx context.Context, mu *sync.RWMutex, m func() map[K]V, key func(K) uuid.UUID,
	match func(*V) bool, clone func(V) V, after uuid.UUID, limit int) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		var zero V
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		type kv struct {
			k uuid.UUID
			v V
		}
		mu.RLock()
		var out []kv
		for k, v := range m() {
			id := key(k)
			if (after == uuid.Nil || byUUID(id, after) > 0) && match(&v) {
				out = append(out, kv{id, clone(v)})
			}
		}
		mu.RUnlock()
		slices.SortFunc(out, func(a, b kv) int { return byUUID(a.k, b.k) })
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		for _, e := range out {
			if !yield(e.v, nil) {
				return
			}
		}
	}
}

func same[V any](v V) V { return v }

// CreateOrganisation implements participation.OrganisationStore.
func (s *Store) CreateOrganisation(ctx context.Context, o participation.Organisation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.ID.IsZero() {
		return fmt.Errorf("create organisation: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	if _, ok := d.orgs[o.ID]; ok {
		return fmt.Errorf("create organisation %s: %w", o.ID, osallisuus.ErrConflict)
	}
	o.Version = 1
	d.orgs[o.ID] = o
	return nil
}

// GetOrganisation implements participation.OrganisationStore.
func (s *Store) GetOrganisation(ctx context.Context, id participation.OrganisationID) (participation.Organisation, error) {
	if err := ctx.Err(); err != nil {
		return participation.Organisation{}, err
	}
	s.act.mu.RLock()
	o, ok := s.act.orgs[id]
	s.act.mu.RUnlock()
	if !ok {
		return participation.Organisation{}, osallisuus.NotFound("organisation", id)
	}
	return o, nil
}

// ListOrganisations implements participation.OrganisationStore.
func (s *Store) ListOrganisations(ctx context.Context) iter.Seq2[participation.Organisation, error] {
	return list(ctx, &s.act.mu, func() map[participation.OrganisationID]participation.Organisation { return s.act.orgs },
		func(k participation.OrganisationID) uuid.UUID { return k.UUID },
		func(*participation.Organisation) bool { return true }, same, uuid.Nil, 0)
}

// CreateProject implements participation.ProjectStore.
func (s *Store) CreateProject(ctx context.Context, p participation.Project) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID.IsZero() {
		return fmt.Errorf("create project: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	if _, ok := d.projects[p.ID]; ok {
		return fmt.Errorf("create project %s: %w", p.ID, osallisuus.ErrConflict)
	}
	p.Version = 1
	d.projects[p.ID] = p
	return nil
}

// GetProject implements participation.ProjectStore.
func (s *Store) GetProject(ctx context.Context, id participation.ProjectID) (participation.Project, error) {
	if err := ctx.Err(); err != nil {
		return participation.Project{}, err
	}
	s.act.mu.RLock()
	p, ok := s.act.projects[id]
	s.act.mu.RUnlock()
	if !ok {
		return participation.Project{}, osallisuus.NotFound("project", id)
	}
	return p, nil
}

// ListProjects implements participation.ProjectStore.
func (s *Store) ListProjects(ctx context.Context, f participation.ProjectFilter) iter.Seq2[participation.Project, error] {
	return list(ctx, &s.act.mu, func() map[participation.ProjectID]participation.Project { return s.act.projects },
		func(k participation.ProjectID) uuid.UUID { return k.UUID }, f.Match, same, f.After.UUID, f.Limit)
}

// UpdateProject implements participation.ProjectStore.
func (s *Store) UpdateProject(ctx context.Context, id participation.ProjectID, fn func(*participation.Project) error) (participation.Project, error) {
	if err := ctx.Err(); err != nil {
		return participation.Project{}, err
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	cur, ok := d.projects[id]
	if !ok {
		return participation.Project{}, osallisuus.NotFound("project", id)
	}
	next := cur
	if err := fn(&next); err != nil {
		return participation.Project{}, err
	}
	next.ID, next.Version = id, cur.Version+1
	d.projects[id] = next
	return next, nil
}

// CreateActivity implements participation.ActivityStore.
func (s *Store) CreateActivity(ctx context.Context, a participation.Activity) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a.ID.IsZero() {
		return fmt.Errorf("create activity: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	if _, ok := d.activities[a.ID]; ok {
		return fmt.Errorf("create activity %s: %w", a.ID, osallisuus.ErrConflict)
	}
	a = a.Clone()
	a.Version = 1
	d.activities[a.ID] = a
	return nil
}

// GetActivity implements participation.ActivityStore.
func (s *Store) GetActivity(ctx context.Context, id participation.ActivityID) (participation.Activity, error) {
	if err := ctx.Err(); err != nil {
		return participation.Activity{}, err
	}
	s.act.mu.RLock()
	a, ok := s.act.activities[id]
	s.act.mu.RUnlock()
	if !ok {
		return participation.Activity{}, osallisuus.NotFound("activity", id)
	}
	return a.Clone(), nil
}

// ListActivities implements participation.ActivityStore.
func (s *Store) ListActivities(ctx context.Context, f participation.ActivityFilter) iter.Seq2[participation.Activity, error] {
	return list(ctx, &s.act.mu, func() map[participation.ActivityID]participation.Activity { return s.act.activities },
		func(k participation.ActivityID) uuid.UUID { return k.UUID }, f.Match, participation.Activity.Clone, f.After.UUID, f.Limit)
}

// UpdateActivity implements participation.ActivityStore.
func (s *Store) UpdateActivity(ctx context.Context, id participation.ActivityID, fn func(*participation.Activity) error) (participation.Activity, error) {
	if err := ctx.Err(); err != nil {
		return participation.Activity{}, err
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	cur, ok := d.activities[id]
	if !ok {
		return participation.Activity{}, osallisuus.NotFound("activity", id)
	}
	next := cur.Clone()
	if err := fn(&next); err != nil {
		return participation.Activity{}, err
	}
	next.ID, next.Organisation, next.Project = cur.ID, cur.Organisation, cur.Project
	next.Version = cur.Version + 1
	next = next.Clone()
	d.activities[id] = next
	return next.Clone(), nil
}

// ListRecords implements participation.ActivityStore.
func (s *Store) ListRecords(ctx context.Context, f participation.RecordFilter) iter.Seq2[participation.ParticipationRecord, error] {
	return list(ctx, &s.act.mu, func() map[participation.RecordID]participation.ParticipationRecord { return s.act.records },
		func(k participation.RecordID) uuid.UUID { return k.UUID }, f.Match, same, f.After.UUID, f.Limit)
}

// CreateOutcome implements participation.ActivityStore.
func (s *Store) CreateOutcome(ctx context.Context, o participation.Outcome) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.ID.IsZero() || o.Activity.IsZero() {
		return fmt.Errorf("create outcome: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	if _, ok := d.activities[o.Activity]; !ok {
		return osallisuus.NotFound("activity", o.Activity)
	}
	if _, ok := d.outcomes[o.ID]; ok {
		return fmt.Errorf("create outcome %s: %w", o.ID, osallisuus.ErrConflict)
	}
	o = o.Clone()
	o.Version = 1
	d.outcomes[o.ID] = o
	return nil
}

// ListOutcomes implements participation.ActivityStore.
func (s *Store) ListOutcomes(ctx context.Context, f participation.OutcomeFilter) iter.Seq2[participation.Outcome, error] {
	return list(ctx, &s.act.mu, func() map[participation.OutcomeID]participation.Outcome { return s.act.outcomes },
		func(k participation.OutcomeID) uuid.UUID { return k.UUID }, f.Match, participation.Outcome.Clone, f.After.UUID, f.Limit)
}

// Atomic implements participation.ActivityStore: fn runs under the activity lock, its
// writes are staged and applied only when it returns nil.
func (s *Store) Atomic(ctx context.Context, fn func(tx participation.ActivityTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	d.init()
	tx := &activityTx{d: d, pending: make(map[participation.RecordID]participation.ParticipationRecord)}
	defer func() { tx.done = true }()
	if err := fn(tx); err != nil {
		return err
	}
	for _, id := range tx.order {
		r := tx.pending[id]
		if _, ok := d.records[id]; !ok {
			d.byActivity[r.Activity] = append(d.byActivity[r.Activity], id)
		}
	}
	for id, r := range tx.pending {
		d.records[id] = r
	}
	return nil
}

// activityTx stages record writes over the store's maps; the store's lock is held.
type activityTx struct {
	d       *activityData
	pending map[participation.RecordID]participation.ParticipationRecord
	order   []participation.RecordID // created and updated IDs, first write first
	done    bool
}

func (tx *activityTx) check(ctx context.Context) error {
	if tx.done {
		return fmt.Errorf("activity transaction used after it ended: %w", osallisuus.ErrConflict)
	}
	return ctx.Err()
}

func (tx *activityTx) record(id participation.RecordID) (participation.ParticipationRecord, bool) {
	if r, ok := tx.pending[id]; ok {
		return r, true
	}
	r, ok := tx.d.records[id]
	return r, ok
}

// ids returns the activity's record IDs in Seq order, new ones included.
func (tx *activityTx) ids(a participation.ActivityID) []participation.RecordID {
	ids := slices.Clone(tx.d.byActivity[a])
	for _, id := range tx.order {
		if _, stored := tx.d.records[id]; !stored && tx.pending[id].Activity == a {
			ids = append(ids, id)
		}
	}
	return ids
}

// Roster implements participation.ActivityTx.
func (tx *activityTx) Roster(ctx context.Context, id participation.ActivityID) (participation.Roster, error) {
	if err := tx.check(ctx); err != nil {
		return participation.Roster{}, err
	}
	a, ok := tx.d.activities[id]
	if !ok {
		return participation.Roster{}, osallisuus.NotFound("activity", id)
	}
	ids := tx.ids(id)
	r := participation.Roster{Activity: a.Clone(), Records: make([]participation.ParticipationRecord, 0, len(ids))}
	for _, rid := range ids {
		rec, _ := tx.record(rid)
		r.Records = append(r.Records, rec)
	}
	return r, nil
}

// CreateRecord implements participation.ActivityTx.
func (tx *activityTx) CreateRecord(ctx context.Context, r participation.ParticipationRecord) error {
	if err := tx.check(ctx); err != nil {
		return err
	}
	if r.ID.IsZero() || r.Activity.IsZero() {
		return fmt.Errorf("create participation record: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	if _, ok := tx.d.activities[r.Activity]; !ok {
		return osallisuus.NotFound("activity", r.Activity)
	}
	if _, ok := tx.record(r.ID); ok {
		return fmt.Errorf("create participation record %s: %w", r.ID, osallisuus.ErrConflict)
	}
	for _, id := range tx.ids(r.Activity) {
		if other, _ := tx.record(id); other.Seq == r.Seq {
			return fmt.Errorf("create participation record: seq %d of activity %s exists: %w", r.Seq, r.Activity, osallisuus.ErrConflict)
		}
	}
	r.Version = 1
	tx.pending[r.ID] = r
	tx.order = append(tx.order, r.ID)
	return nil
}

// UpdateRecord implements participation.ActivityTx.
func (tx *activityTx) UpdateRecord(ctx context.Context, r participation.ParticipationRecord) error {
	if err := tx.check(ctx); err != nil {
		return err
	}
	cur, ok := tx.record(r.ID)
	if !ok {
		return osallisuus.NotFound("participation record", r.ID)
	}
	if r.Version != cur.Version {
		return fmt.Errorf("update participation record %s: version %d, stored %d: %w", r.ID, r.Version, cur.Version, osallisuus.ErrConflict)
	}
	r.Activity, r.Project, r.Seq, r.Who, r.CreatedAt = cur.Activity, cur.Project, cur.Seq, cur.Who, cur.CreatedAt
	r.Version = cur.Version + 1
	if _, staged := tx.pending[r.ID]; !staged {
		tx.order = append(tx.order, r.ID)
	}
	tx.pending[r.ID] = r
	return nil
}
