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

// activitySchema is migration 5: organisations, development projects, participation
// activities, their participation records (one per person and step, numbered per
// activity) and outcomes. A place on an activity is decided inside Atomic, which locks
// the activity's row before it reads the roster.
var activitySchema = migration{
	name: "activities",
	common: `
CREATE TABLE organisations (
	id      {{uuid}} PRIMARY KEY,
	doc     {{json}} NOT NULL,
	version BIGINT NOT NULL
);

CREATE TABLE projects (
	id           {{uuid}} PRIMARY KEY,
	organisation {{uuid}} NOT NULL,
	doc          {{json}} NOT NULL,
	version      BIGINT NOT NULL
);
CREATE INDEX projects_by_organisation ON projects (organisation, id);

CREATE TABLE activities (
	id           {{uuid}} PRIMARY KEY,
	organisation {{uuid}} NOT NULL,
	project      {{uuid}} NOT NULL,
	phase        TEXT NOT NULL,
	doc          {{json}} NOT NULL,
	version      BIGINT NOT NULL
);
CREATE INDEX activities_by_organisation ON activities (organisation, id);
CREATE INDEX activities_by_project ON activities (project, id);

CREATE TABLE participation_records (
	id       {{uuid}} PRIMARY KEY,
	activity {{uuid}} NOT NULL,
	seq      BIGINT NOT NULL,
	who      {{uuid}} NOT NULL,
	project  {{uuid}} NOT NULL,
	status   TEXT NOT NULL,
	role     TEXT NOT NULL,
	doc      {{json}} NOT NULL,
	version  BIGINT NOT NULL,
	UNIQUE (activity, seq)
);
CREATE INDEX participation_records_by_who ON participation_records (who, id);
CREATE INDEX participation_records_by_project ON participation_records (project, id);

CREATE TABLE activity_outcomes (
	id       {{uuid}} PRIMARY KEY,
	activity {{uuid}} NOT NULL,
	doc      {{json}} NOT NULL,
	version  BIGINT NOT NULL
);
CREATE INDEX activity_outcomes_by_activity ON activity_outcomes (activity, id);
`,
}

// ActivityStore implements participation.ActivityStore on a [DB]: organisations,
// projects, activities, participation records and outcomes. It is safe for concurrent
// use and passes participationtest.RunActivities on SQLite and PostgreSQL. Get it from
// [DB.Activities]. Atomic runs its function in one transaction; the roster it reads is
// held by the activity's row lock (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write
// lock), so a rule counting places sees exactly the state it changes.
type ActivityStore struct {
	db *DB
}

var _ participation.ActivityStore = (*ActivityStore)(nil)

// Activities returns the activity stores of db.
func (db *DB) Activities() *ActivityStore { return &ActivityStore{db: db} }

var (
	organisationsTable = docTable[participation.Organisation]{table: "organisations", what: "organisation",
		vals:       func(*participation.Organisation) []any { return nil },
		version:    func(o *participation.Organisation) int64 { return o.Version },
		setVersion: func(o *participation.Organisation, v int64) { o.Version = v }}
	projectsTable = docTable[participation.Project]{table: "projects", what: "project",
		cols:       []string{"organisation"},
		vals:       func(p *participation.Project) []any { return []any{p.Organisation.String()} },
		version:    func(p *participation.Project) int64 { return p.Version },
		setVersion: func(p *participation.Project, v int64) { p.Version = v }}
	activitiesTable = docTable[participation.Activity]{table: "activities", what: "activity",
		cols: []string{"organisation", "project", "phase"},
		vals: func(a *participation.Activity) []any {
			return []any{a.Organisation.String(), a.Project.String(), string(a.Phase)}
		},
		version:    func(a *participation.Activity) int64 { return a.Version },
		setVersion: func(a *participation.Activity, v int64) { a.Version = v }}
	recordsTable = docTable[participation.ParticipationRecord]{table: "participation_records", what: "participation record",
		cols: []string{"activity", "seq", "who", "project", "status", "role"},
		vals: func(r *participation.ParticipationRecord) []any {
			return []any{r.Activity.String(), r.Seq, r.Who.String(), r.Project.String(), string(r.Status), string(r.Role)}
		},
		version:    func(r *participation.ParticipationRecord) int64 { return r.Version },
		setVersion: func(r *participation.ParticipationRecord, v int64) { r.Version = v }}
	outcomesTable = docTable[participation.Outcome]{table: "activity_outcomes", what: "outcome",
		cols:       []string{"activity"},
		vals:       func(o *participation.Outcome) []any { return []any{o.Activity.String()} },
		version:    func(o *participation.Outcome) int64 { return o.Version },
		setVersion: func(o *participation.Outcome, v int64) { o.Version = v }}
)

// CreateOrganisation implements participation.OrganisationStore.
func (s *ActivityStore) CreateOrganisation(ctx context.Context, o participation.Organisation) error {
	return createDoc(ctx, s.db, organisationsTable, o.ID.UUID, o)
}

// GetOrganisation implements participation.OrganisationStore.
func (s *ActivityStore) GetOrganisation(ctx context.Context, id participation.OrganisationID) (participation.Organisation, error) {
	return organisationsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListOrganisations implements participation.OrganisationStore.
func (s *ActivityStore) ListOrganisations(ctx context.Context) iter.Seq2[participation.Organisation, error] {
	return organisationsTable.list(ctx, s.db, "", nil, "id", nil, 0)
}

// CreateProject implements participation.ProjectStore.
func (s *ActivityStore) CreateProject(ctx context.Context, p participation.Project) error {
	return createDoc(ctx, s.db, projectsTable, p.ID.UUID, p)
}

// GetProject implements participation.ProjectStore.
func (s *ActivityStore) GetProject(ctx context.Context, id participation.ProjectID) (participation.Project, error) {
	return projectsTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListProjects implements participation.ProjectStore.
func (s *ActivityStore) ListProjects(ctx context.Context, f participation.ProjectFilter) iter.Seq2[participation.Project, error] {
	var c conds
	c.add(!f.Organisation.IsZero(), "organisation = ?", f.Organisation.String())
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return projectsTable.list(ctx, s.db, c.where(), c.args, "id", func(p participation.Project) bool { return f.Match(&p) }, f.Limit)
}

// UpdateProject implements participation.ProjectStore.
func (s *ActivityStore) UpdateProject(ctx context.Context, id participation.ProjectID, fn func(*participation.Project) error) (participation.Project, error) {
	return updateDoc(ctx, s.db, projectsTable, id.UUID, fn, func(cur, next *participation.Project) { next.ID = cur.ID })
}

// CreateActivity implements participation.ActivityStore.
func (s *ActivityStore) CreateActivity(ctx context.Context, a participation.Activity) error {
	return createDoc(ctx, s.db, activitiesTable, a.ID.UUID, a)
}

// GetActivity implements participation.ActivityStore.
func (s *ActivityStore) GetActivity(ctx context.Context, id participation.ActivityID) (participation.Activity, error) {
	return activitiesTable.get(ctx, s.db, s.db.db, id.String(), false)
}

// ListActivities implements participation.ActivityStore.
func (s *ActivityStore) ListActivities(ctx context.Context, f participation.ActivityFilter) iter.Seq2[participation.Activity, error] {
	var c conds
	c.add(!f.Organisation.IsZero(), "organisation = ?", f.Organisation.String())
	c.add(!f.Project.IsZero(), "project = ?", f.Project.String())
	c.add(f.Phase != "", "phase = ?", string(f.Phase))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return activitiesTable.list(ctx, s.db, c.where(), c.args, "id", func(a participation.Activity) bool { return f.Match(&a) }, f.Limit)
}

// UpdateActivity implements participation.ActivityStore; it takes the same row lock as
// Atomic's Roster.
func (s *ActivityStore) UpdateActivity(ctx context.Context, id participation.ActivityID, fn func(*participation.Activity) error) (participation.Activity, error) {
	return updateDoc(ctx, s.db, activitiesTable, id.UUID, fn, func(cur, next *participation.Activity) {
		next.ID, next.Organisation, next.Project = cur.ID, cur.Organisation, cur.Project
	})
}

// ListRecords implements participation.ActivityStore.
func (s *ActivityStore) ListRecords(ctx context.Context, f participation.RecordFilter) iter.Seq2[participation.ParticipationRecord, error] {
	var c conds
	c.add(!f.Activity.IsZero(), "activity = ?", f.Activity.String())
	c.add(!f.Who.IsZero(), "who = ?", f.Who.String())
	c.add(!f.Project.IsZero(), "project = ?", f.Project.String())
	c.add(f.Status != "", "status = ?", string(f.Status))
	c.add(f.Role != "", "role = ?", string(f.Role))
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return recordsTable.list(ctx, s.db, c.where(), c.args, "id", func(r participation.ParticipationRecord) bool { return f.Match(&r) }, f.Limit)
}

// CreateOutcome implements participation.ActivityStore.
func (s *ActivityStore) CreateOutcome(ctx context.Context, o participation.Outcome) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.ID.IsZero() || o.Activity.IsZero() {
		return fmt.Errorf("create outcome: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := activityExists(ctx, s.db, tx, o.Activity); err != nil {
			return err
		}
		return outcomesTable.insert(ctx, s.db, tx, o.ID.String(), o)
	})
}

// ListOutcomes implements participation.ActivityStore.
func (s *ActivityStore) ListOutcomes(ctx context.Context, f participation.OutcomeFilter) iter.Seq2[participation.Outcome, error] {
	var c conds
	c.add(!f.Activity.IsZero(), "activity = ?", f.Activity.String())
	c.add(!f.After.IsZero(), "id > ?", f.After.String())
	return outcomesTable.list(ctx, s.db, c.where(), c.args, "id", func(o participation.Outcome) bool { return f.Match(&o) }, f.Limit)
}

// Atomic implements participation.ActivityStore.
func (s *ActivityStore) Atomic(ctx context.Context, fn func(tx participation.ActivityTx) error) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		return fn(&activityTx{db: s.db, tx: tx})
	})
}

func activityExists(ctx context.Context, db *DB, q querier, id participation.ActivityID) error {
	var one int
	err := q.QueryRowContext(ctx, db.d.q("SELECT 1 FROM activities WHERE id = ?"), id.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return osallisuus.NotFound("activity", id)
	}
	return errorf(ctx, err, "activity %s", id)
}

// activityTx is the participation.ActivityTx of one Atomic call.
type activityTx struct {
	db *DB
	tx *sql.Tx
}

// Roster implements participation.ActivityTx: it locks the activity's row, then reads
// its records in Seq order.
func (t *activityTx) Roster(ctx context.Context, id participation.ActivityID) (participation.Roster, error) {
	a, err := activitiesTable.get(ctx, t.db, t.tx, id.String(), true)
	if err != nil {
		return participation.Roster{}, err
	}
	r := participation.Roster{Activity: a}
	rows, err := t.tx.QueryContext(ctx, t.db.d.q("SELECT doc FROM participation_records WHERE activity = ? ORDER BY seq"), id.String())
	if err != nil {
		return participation.Roster{}, errorf(ctx, err, "roster of activity %s", id)
	}
	defer rows.Close()
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return participation.Roster{}, errorf(ctx, err, "roster of activity %s", id)
		}
		rec, err := recordsTable.unmarshal(doc)
		if err != nil {
			return participation.Roster{}, err
		}
		r.Records = append(r.Records, rec)
	}
	if err := rows.Err(); err != nil {
		return participation.Roster{}, errorf(ctx, err, "roster of activity %s", id)
	}
	return r, nil
}

// CreateRecord implements participation.ActivityTx.
func (t *activityTx) CreateRecord(ctx context.Context, r participation.ParticipationRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ID.IsZero() || r.Activity.IsZero() {
		return fmt.Errorf("create participation record: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	if err := activityExists(ctx, t.db, t.tx, r.Activity); err != nil {
		return err
	}
	return recordsTable.insert(ctx, t.db, t.tx, r.ID.String(), r)
}

// UpdateRecord implements participation.ActivityTx.
func (t *activityTx) UpdateRecord(ctx context.Context, r participation.ParticipationRecord) error {
	_, err := recordsTable.update(ctx, t.db, t.tx, r.ID.String(), func(next *participation.ParticipationRecord) error {
		stored := *next
		*next = r
		next.Activity, next.Project, next.Seq, next.Who, next.CreatedAt = stored.Activity, stored.Project, stored.Seq, stored.Who, stored.CreatedAt
		next.ID = stored.ID
		return nil
	}, func(cur, next *participation.ParticipationRecord) error {
		if r.Version != cur.Version {
			return fmt.Errorf("update participation record %s: version %d, stored %d: %w", r.ID, r.Version, cur.Version, osallisuus.ErrConflict)
		}
		return nil
	})
	return err
}
