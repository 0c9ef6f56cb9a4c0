package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrSchemaTooNew is returned by [Open] and [DB.Migrate] when the database records a
// schema version newer than this package knows: a newer program migrated it. Upgrade
// the program; an old one must not write into a schema it does not understand.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// ErrForeignSchema is returned by [Open] and [DB.Migrate] when the database (for
// PostgreSQL, the current schema of the search_path) holds tables but no migration
// record of this package, or records a migration under another name: it belongs to
// something else. Use an empty database, or a schema of its own
// (postgres://…?search_path=osallisuus).
var ErrForeignSchema = errors.New("database holds a schema this program does not know")

// migrationsTable records the applied migrations: version, name, when.
const migrationsTable = "osallisuus_migrations"

// A migration is one step of the schema. Version n is migrations()[n-1]; steps are
// only ever appended, never edited, because databases remember which ran. Common runs
// on both dialects after the type tokens are replaced ({{uuid}}, {{date}}, {{json}});
// SQLite and Postgres hold what must be written per dialect (triggers).
type migration struct {
	name     string
	common   string
	sqlite   string
	postgres string
}

// migrations returns the schema's steps in order. A new store adds its step at the
// end (see participationSchema for the pattern).
func migrations() []migration {
	return []migration{
		participationSchema,
		expertSchema,
		panelSchema,
		feedbackSchema,
		activitySchema,
		surveySchema,
		participationErasureSchema,
		panelErasureSchema,
		expertErasureSchema,
		feedbackErasureSchema,
	}
}

// SchemaVersion is the schema version this package migrates to.
func SchemaVersion() int { return len(migrations()) }

// Migrate applies the migrations the database lacks, in order, in one transaction, and
// records each in the osallisuus_migrations table. It is idempotent and safe to run
// from several processes at once (PostgreSQL: an advisory lock; SQLite: the write
// lock). It refuses, changing nothing, a database with a newer schema
// ([ErrSchemaTooNew]) or a foreign one ([ErrForeignSchema]). [Open] calls it.
func (db *DB) Migrate(ctx context.Context) error {
	release, err := db.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return errorf(ctx, err, "migrate: begin")
	}
	defer tx.Rollback()
	if db.d.dollar {
		// Two processes opening an empty database at once would both create the tables.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7023110601)"); err != nil {
			return errorf(ctx, err, "migrate: lock")
		}
	}
	applied, err := db.appliedMigrations(ctx, tx)
	if err != nil {
		return err
	}
	steps := migrations()
	for v, name := range applied {
		switch {
		case v > len(steps):
			return fmt.Errorf("migrate: database has schema version %d, this program knows %d: %w", v, len(steps), ErrSchemaTooNew)
		case steps[v-1].name != name:
			return fmt.Errorf("migrate: version %d is %q in the database, %q here: %w", v, name, steps[v-1].name, ErrForeignSchema)
		}
	}
	for i, m := range steps {
		v := i + 1
		if _, ok := applied[v]; ok {
			continue
		}
		script := db.d.types.Replace(m.common)
		if db.d.dollar {
			script += m.postgres
		} else {
			script += m.sqlite
		}
		// A step with nothing to run on this dialect is still recorded.
		if strings.TrimSpace(script) != "" {
			if _, err := tx.ExecContext(ctx, script); err != nil {
				return errorf(ctx, err, "migrate: version %d (%s)", v, m.name)
			}
		}
		if _, err := tx.ExecContext(ctx, db.d.q("INSERT INTO "+migrationsTable+" (version, name, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)"),
			v, m.name); err != nil {
			return errorf(ctx, err, "migrate: record version %d", v)
		}
	}
	if err := tx.Commit(); err != nil {
		return errorf(ctx, err, "migrate: commit")
	}
	return nil
}

// appliedMigrations reads the migration record, creating the table in an empty
// database; a database with other tables and no record is foreign.
func (db *DB) appliedMigrations(ctx context.Context, tx *sql.Tx) (map[int]string, error) {
	if db.d.dollar {
		var schema sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, errorf(ctx, err, "migrate: read the current schema")
		}
		if !schema.Valid {
			var path string
			tx.QueryRowContext(ctx, "SHOW search_path").Scan(&path)
			return nil, fmt.Errorf("migrate: no schema of the search_path (%s) exists: create it first (CREATE SCHEMA ...)", path)
		}
	}
	var tables, ours int
	query := `SELECT count(*), count(CASE WHEN name = ? THEN 1 END) FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	if db.d.dollar {
		query = `SELECT count(*), count(CASE WHEN table_name = $1 THEN 1 END) FROM information_schema.tables
			WHERE table_schema = current_schema()`
	}
	if err := tx.QueryRowContext(ctx, query, migrationsTable).Scan(&tables, &ours); err != nil {
		return nil, errorf(ctx, err, "migrate: read the schema (is this a database?)")
	}
	if ours == 0 {
		if tables > 0 {
			return nil, fmt.Errorf("migrate: %d tables and no %s table: %w", tables, migrationsTable, ErrForeignSchema)
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE "+migrationsTable+
			" (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"); err != nil {
			return nil, errorf(ctx, err, "migrate: create %s", migrationsTable)
		}
		return map[int]string{}, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT version, name FROM "+migrationsTable)
	if err != nil {
		return nil, errorf(ctx, err, "migrate: read %s", migrationsTable)
	}
	defer rows.Close()
	applied := map[int]string{}
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, errorf(ctx, err, "migrate: read %s", migrationsTable)
		}
		applied[v] = name
	}
	if err := rows.Err(); err != nil {
		return nil, errorf(ctx, err, "migrate: read %s", migrationsTable)
	}
	return applied, nil
}
