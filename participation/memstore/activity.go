package memstore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/internal/memtable"
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

// The maps for memtable, read under the activity lock; the made… ones first make the maps.

func (d *activityData) orgMap() map[participation.OrganisationID]participation.Organisation {
	return d.orgs
}
func (d *activityData) projectMap() map[participation.ProjectID]participation.Project {
	return d.projects
}
func (d *activityData) activityMap() map[participation.ActivityID]participation.Activity {
	return d.activities
}

func (d *activityData) madeOrgs() map[participation.OrganisationID]participation.Organisation {
	d.init()
	return d.orgs
}
func (d *activityData) madeProjects() map[participation.ProjectID]participation.Project {
	d.init()
	return d.projects
}
func (d *activityData) madeActivities() map[participation.ActivityID]participation.Activity {
	d.init()
	return d.activities
}

var (
	organisations = memtable.Kind[participation.OrganisationID, participation.Organisation]{
		Version:  func(o *participation.Organisation) *int64 { return &o.Version },
		Compare:  func(a, b participation.OrganisationID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id participation.OrganisationID) error { return osallisuus.NotFound("organisation", id) },
		Conflict: func(id participation.OrganisationID) error {
			return fmt.Errorf("create organisation %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error {
			return fmt.Errorf("create organisation: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
		},
	}
	projects = memtable.Kind[participation.ProjectID, participation.Project]{
		Version:  func(p *participation.Project) *int64 { return &p.Version },
		Compare:  func(a, b participation.ProjectID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id participation.ProjectID) error { return osallisuus.NotFound("project", id) },
		Conflict: func(id participation.ProjectID) error {
			return fmt.Errorf("create project %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error {
			return fmt.Errorf("create project: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
		},
	}
	activities = memtable.Kind[participation.ActivityID, participation.Activity]{
		Clone:    participation.Activity.Clone,
		Version:  func(a *participation.Activity) *int64 { return &a.Version },
		Compare:  func(a, b participation.ActivityID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id participation.ActivityID) error { return osallisuus.NotFound("activity", id) },
		Conflict: func(id participation.ActivityID) error {
			return fmt.Errorf("create activity %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error {
			return fmt.Errorf("create activity: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
		},
	}
	// records are written only through Atomic (activityTx); the kind serves ListRecords.
	records = memtable.Kind[participation.RecordID, participation.ParticipationRecord]{
		Compare: func(a, b participation.RecordID) int { return byUUID(a.UUID, b.UUID) },
	}
	outcomes = memtable.Kind[participation.OutcomeID, participation.Outcome]{
		Clone:   participation.Outcome.Clone,
		Version: func(o *participation.Outcome) *int64 { return &o.Version },
		Compare: func(a, b participation.OutcomeID) int { return byUUID(a.UUID, b.UUID) },
		Conflict: func(id participation.OutcomeID) error {
			return fmt.Errorf("create outcome %s: %w", id, osallisuus.ErrConflict)
		},
	}
)

// CreateOrganisation implements participation.OrganisationStore.
func (s *Store) CreateOrganisation(ctx context.Context, o participation.Organisation) error {
	return organisations.LockedCreate(ctx, &s.act.mu, s.act.madeOrgs, o.ID, o)
}

// GetOrganisation implements participation.OrganisationStore.
func (s *Store) GetOrganisation(ctx context.Context, id participation.OrganisationID) (participation.Organisation, error) {
	return organisations.LockedGet(ctx, &s.act.mu, s.act.orgMap, id)
}

// ListOrganisations implements participation.OrganisationStore.
func (s *Store) ListOrganisations(ctx context.Context) iter.Seq2[participation.Organisation, error] {
	return organisations.List(ctx, &s.act.mu, s.act.orgMap,
		memtable.Page[participation.OrganisationID, participation.Organisation]{})
}

// CreateProject implements participation.ProjectStore.
func (s *Store) CreateProject(ctx context.Context, p participation.Project) error {
	return projects.LockedCreate(ctx, &s.act.mu, s.act.madeProjects, p.ID, p)
}

// GetProject implements participation.ProjectStore.
func (s *Store) GetProject(ctx context.Context, id participation.ProjectID) (participation.Project, error) {
	return projects.LockedGet(ctx, &s.act.mu, s.act.projectMap, id)
}

// ListProjects implements participation.ProjectStore.
func (s *Store) ListProjects(ctx context.Context, f participation.ProjectFilter) iter.Seq2[participation.Project, error] {
	return projects.List(ctx, &s.act.mu, s.act.projectMap,
		memtable.Page[participation.ProjectID, participation.Project]{Match: f.Match, After: f.After, Limit: f.Limit})
}

// UpdateProject implements participation.ProjectStore.
func (s *Store) UpdateProject(ctx context.Context, id participation.ProjectID, fn func(*participation.Project) error) (participation.Project, error) {
	return projects.LockedUpdate(ctx, &s.act.mu, s.act.projectMap, id, fn, func(next *participation.Project, _ participation.Project) error {
		next.ID = id
		return nil
	})
}

// CreateActivity implements participation.ActivityStore.
func (s *Store) CreateActivity(ctx context.Context, a participation.Activity) error {
	return activities.LockedCreate(ctx, &s.act.mu, s.act.madeActivities, a.ID, a)
}

// GetActivity implements participation.ActivityStore.
func (s *Store) GetActivity(ctx context.Context, id participation.ActivityID) (participation.Activity, error) {
	return activities.LockedGet(ctx, &s.act.mu, s.act.activityMap, id)
}

// ListActivities implements participation.ActivityStore.
func (s *Store) ListActivities(ctx context.Context, f participation.ActivityFilter) iter.Seq2[participation.Activity, error] {
	return activities.List(ctx, &s.act.mu, s.act.activityMap,
		memtable.Page[participation.ActivityID, participation.Activity]{Match: f.Match, After: f.After, Limit: f.Limit})
}

// UpdateActivity implements participation.ActivityStore.
func (s *Store) UpdateActivity(ctx context.Context, id participation.ActivityID, fn func(*participation.Activity) error) (participation.Activity, error) {
	return activities.LockedUpdate(ctx, &s.act.mu, s.act.activityMap, id, fn, func(next *participation.Activity, cur participation.Activity) error {
		next.ID, next.Organisation, next.Project = cur.ID, cur.Organisation, cur.Project
		return nil
	})
}

// ListRecords implements participation.ActivityStore.
func (s *Store) ListRecords(ctx context.Context, f participation.RecordFilter) iter.Seq2[participation.ParticipationRecord, error] {
	return records.List(ctx, &s.act.mu, func() map[participation.RecordID]participation.ParticipationRecord { return s.act.records },
		memtable.Page[participation.RecordID, participation.ParticipationRecord]{Match: f.Match, After: f.After, Limit: f.Limit})
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
	return outcomes.Create(d.outcomes, o.ID, o)
}

// ListOutcomes implements participation.ActivityStore.
func (s *Store) ListOutcomes(ctx context.Context, f participation.OutcomeFilter) iter.Seq2[participation.Outcome, error] {
	return outcomes.List(ctx, &s.act.mu, func() map[participation.OutcomeID]participation.Outcome { return s.act.outcomes },
		memtable.Page[participation.OutcomeID, participation.Outcome]{Match: f.Match, After: f.After, Limit: f.Limit})
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

var _ participation.ActivityRecords = (*Store)(nil)

// AnonymiseRecords implements participation.ActivityRecords under the activity lock.
func (s *Store) AnonymiseRecords(ctx context.Context, who, tombstone osallisuus.ParticipantID, at time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if who.IsZero() || tombstone.IsZero() || who == tombstone {
		return 0, fmt.Errorf("anonymise participation records: %w", osallisuus.Invalid("tombstone", osallisuus.CodeNotAllowed))
	}
	d := &s.act
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for id, r := range d.records {
		if r.Who != who {
			continue
		}
		r.Who, r.UpdatedAt, r.Version = tombstone, at, r.Version+1
		d.records[id] = r
		n++
	}
	return n, nil
}
