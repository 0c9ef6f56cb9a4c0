package participation

import (
	"context"
	"iter"

	"github.com/osallisuus/osallisuus"
)

// OrganisationStore keeps organisations. Implementations are safe for concurrent use,
// return copies, return ctx.Err() once ctx is done, and must pass
// participationtest.RunActivities.
type OrganisationStore interface {
	// CreateOrganisation stores o with Version 1: ErrInvalid if o.ID is zero, ErrConflict
	// if it exists. It does not validate (the service does).
	CreateOrganisation(ctx context.Context, o Organisation) error
	// GetOrganisation returns the stored organisation, or ErrNotFound.
	GetOrganisation(ctx context.Context, id OrganisationID) (Organisation, error)
	// ListOrganisations yields every organisation in ID order (byte order of the UUID's
	// text form). On failure it yields one (zero, err) and stops.
	ListOrganisations(ctx context.Context) iter.Seq2[Organisation, error]
}

// ProjectStore keeps development projects, with the contract of [OrganisationStore].
type ProjectStore interface {
	// CreateProject stores p with Version 1: ErrInvalid if p.ID is zero, ErrConflict if
	// it exists.
	CreateProject(ctx context.Context, p Project) error
	// GetProject returns the stored project, or ErrNotFound.
	GetProject(ctx context.Context, id ProjectID) (Project, error)
	// ListProjects yields the projects f matches in ID order.
	ListProjects(ctx context.Context, f ProjectFilter) iter.Seq2[Project, error]
	// UpdateProject runs fn on a copy and saves it with Version+1, atomically (to move the
	// plan date, say). If fn fails nothing is saved and fn's error is returned as is; fn
	// may run more than once; ErrNotFound (fn not called) for an unknown id. The store
	// keeps ID whatever fn does.
	UpdateProject(ctx context.Context, id ProjectID, fn func(*Project) error) (Project, error)
}

// ProjectFilter selects projects: of Organisation when set (that organisation's own,
// not its units'), IDs after After, at most Limit (0: no limit).
type ProjectFilter struct {
	Organisation OrganisationID
	After        ProjectID
	Limit        int
}

// Match reports whether p matches f, After and Limit aside.
func (f ProjectFilter) Match(p *Project) bool {
	return f.Organisation.IsZero() || p.Organisation == f.Organisation
}

// ActivityFilter selects activities: of Organisation, of Project, in Phase when set,
// IDs after After, at most Limit (0: no limit).
type ActivityFilter struct {
	Organisation OrganisationID
	Project      ProjectID
	Phase        Phase
	After        ActivityID
	Limit        int
}

// Match reports whether a matches f, After and Limit aside.
func (f ActivityFilter) Match(a *Activity) bool {
	return (f.Organisation.IsZero() || a.Organisation == f.Organisation) &&
		(f.Project.IsZero() || a.Project == f.Project) && (f.Phase == "" || a.Phase == f.Phase)
}

// RecordFilter selects participation records: of Activity, of Who (a person), of
// Project (the activity's project), in Status, in Role, when set; IDs after After, at
// most Limit (0: no limit).
type RecordFilter struct {
	Activity ActivityID
	Who      osallisuus.ParticipantID
	Project  ProjectID
	Status   RecordStatus
	Role     Role
	After    RecordID
	Limit    int
}

// Match reports whether r matches f, After and Limit aside.
func (f RecordFilter) Match(r *ParticipationRecord) bool {
	return (f.Activity.IsZero() || r.Activity == f.Activity) && (f.Who.IsZero() || r.Who == f.Who) &&
		(f.Project.IsZero() || r.Project == f.Project) && (f.Status == "" || r.Status == f.Status) &&
		(f.Role == "" || r.Role == f.Role)
}

// OutcomeFilter selects outcomes: of Activity when set, IDs after After, at most Limit.
type OutcomeFilter struct {
	Activity ActivityID
	After    OutcomeID
	Limit    int
}

// Match reports whether o matches f, After and Limit aside.
func (f OutcomeFilter) Match(o *Outcome) bool { return f.Activity.IsZero() || o.Activity == f.Activity }

// ActivityTx is what an [ActivityStore.Atomic] function works through: everything done
// through it commits together or not at all. Reads see the transaction's own writes.
// A tx must not be used after its function returns.
type ActivityTx interface {
	// Roster returns the activity with all its records in Seq order, and holds the
	// activity against every other Atomic and UpdateActivity until the transaction ends
	// (memstore: one lock; SQL: SELECT ... FOR UPDATE on the activity's row), so a rule
	// that counts places sees exactly the state it changes. ErrNotFound for an unknown id.
	Roster(ctx context.Context, id ActivityID) (Roster, error)
	// CreateRecord stores r with Version 1: ErrInvalid if r.ID or r.Activity is zero,
	// ErrNotFound if the activity does not exist, ErrConflict if r.ID exists or the
	// activity already has a record with r.Seq.
	CreateRecord(ctx context.Context, r ParticipationRecord) error
	// UpdateRecord replaces the stored record r.ID with r and Version+1: ErrNotFound for
	// an unknown ID, ErrConflict when r.Version is not the stored version (a stale copy).
	// The store keeps ID, Activity, Project, Seq, Who and CreatedAt as stored.
	UpdateRecord(ctx context.Context, r ParticipationRecord) error
}

// ActivityStore keeps organisations, projects, activities, their participation records
// and outcomes: what a backend implements for [ActivityService] and what
// participationtest.RunActivities checks. Implementations are safe for concurrent use,
// deep-copy values in and out, and return ctx.Err() once ctx is done. Records are never
// deleted: a cancellation is a status.
type ActivityStore interface {
	OrganisationStore
	ProjectStore
	// CreateActivity stores a with Version 1: ErrInvalid if a.ID is zero, ErrConflict if
	// it exists.
	CreateActivity(ctx context.Context, a Activity) error
	// GetActivity returns the stored activity, or ErrNotFound.
	GetActivity(ctx context.Context, id ActivityID) (Activity, error)
	// ListActivities yields the activities f matches in ID order.
	ListActivities(ctx context.Context, f ActivityFilter) iter.Seq2[Activity, error]
	// UpdateActivity runs fn on a copy of the activity and saves it with Version+1,
	// atomically with respect to other updates and to Atomic transactions on the same
	// activity. As UpdateProject; the store keeps ID, Organisation and Project.
	UpdateActivity(ctx context.Context, id ActivityID, fn func(*Activity) error) (Activity, error)
	// ListRecords yields the participation records f matches in ID order.
	ListRecords(ctx context.Context, f RecordFilter) iter.Seq2[ParticipationRecord, error]
	// CreateOutcome stores o with Version 1: ErrInvalid if o.ID or o.Activity is zero,
	// ErrNotFound if the activity does not exist, ErrConflict if o.ID exists. Outcomes
	// are never changed.
	CreateOutcome(ctx context.Context, o Outcome) error
	// ListOutcomes yields the outcomes f matches in ID order.
	ListOutcomes(ctx context.Context, f OutcomeFilter) iter.Seq2[Outcome, error]
	// Atomic runs fn in one transaction: if fn returns nil, everything it did through tx
	// commits together; otherwise nothing does and fn's error is returned as is. fn may
	// run more than once (a serialisation retry), so it must not have other effects, and
	// it must work only through tx, never call the store itself (memstore holds its lock;
	// a SQL store would wait on its own transaction). Ask consent before, not inside.
	Atomic(ctx context.Context, fn func(tx ActivityTx) error) error
}
