// Package sqlstore implements the osallisuus Store interfaces on database/sql, for two
// databases: SQLite, the embedded default, through the pure-Go driver
// modernc.org/sqlite (no cgo), and PostgreSQL through pgx's database/sql driver
// (github.com/jackc/pgx/v5/stdlib). Both pass the core module's conformance suites
// unchanged.
//
// # Opening
//
// [Open] takes a PostgreSQL URL, an SQLite file path (or "file:" URI), or ":memory:",
// pings the database and migrates it:
//
//	db, err := sqlstore.Open(ctx, "osallisuus.db", sqlstore.Config{})
//	...
//	defer db.Close()
//	svc, err := participation.NewService(db.Participation().Stores(), policy, participation.Config{})
//
// # Stores
//
// One accessor per Store interface of the core module:
//
//   - [DB.Participation]: participation.Store (participants, representations, maturity
//     assessments, the consent ledger), one column per field;
//   - [DB.Activities]: participation.ActivityStore (organisations, projects,
//     activities, participation records, outcomes);
//   - [DB.Expert]: expert.Store (experts, requests, fee schedules, payouts, sessions,
//     Atomic);
//   - [DB.Panel]: panel.Store (panels with their rosters, meetings, proposals, calls);
//   - [DB.Feedback]: feedback.Store (feedback, contacts, loop summaries);
//   - [DB.Surveys]: feedback.SurveyStore (questionnaire versions, responses).
//
// Beyond participation, each aggregate is a JSON document (its own JSON form) beside the
// columns the store looks up, orders or keeps unique on.
//
// # Schema and migrations
//
// There is one schema, written once for both databases; the few differences are column
// types (PostgreSQL's uuid, date and jsonb; SQLite's text), placeholders ($1 or ?), the
// row lock of an update (SELECT … FOR UPDATE, or SQLite's BEGIN IMMEDIATE) and the
// ledger's triggers. Migrations run in order, each once, recorded in the
// osallisuus_migrations table. A database with a newer schema than this package knows
// is refused ([ErrSchemaTooNew]), and so is a database holding other tables
// ([ErrForeignSchema]): give osallisuus an empty database, or on PostgreSQL a schema of
// its own (postgres://…?search_path=osallisuus).
//
// Instants are stored as fixed-width UTC text to keep nanoseconds (timestamptz keeps
// microseconds) and read back in UTC; dates as DATE (text on SQLite); lists as JSON.
//
// # Concurrency and atomicity
//
// Every write is one transaction. Update methods read the row locked, run the caller's
// fn and write it back, so concurrent updates queue and none is lost. Ledger positions
// and registration order come from counter rows advanced inside the writing
// transaction, so they follow commit order. The pool is capped ([Config.MaxOpenConns]):
// callers beyond it wait for a connection. Listings yield from open rows and release
// their connection when the loop ends; a done context's error is returned as is; a
// unique violation is osallisuus.ErrConflict and a missing row osallisuus.ErrNotFound.
//
// # The consent ledger
//
// The database itself keeps the ledger append-only: triggers refuse UPDATE, and DELETE
// except through [ParticipationStore.DeleteEvents] (the retention job's purge of an
// erased person's consent proof). [ParticipationStore.AppendBatch]
// appends many events in one transaction, an extension beyond
// participation.ConsentLedger for bulk imports.
//
// # Adding a store
//
// A new aggregate is a file holding its store type, its DB accessor and its migration,
// whose migration is appended to the list in migrate.go; its tests run the package's
// conformance suite on every backend of sqlstore_test.go.
package sqlstore
