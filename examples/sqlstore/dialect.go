package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds the few places where SQLite and PostgreSQL differ: column types,
// placeholders, row locks and how a unique violation looks. Everything else (the
// queries, the upserts, RETURNING) is written once in the SQL both accept.
type dialect struct {
	name string
	// types maps the type tokens of the migrations ({{uuid}}, {{date}}, ...) to columns.
	types *strings.Replacer
	// forUpdate ends the SELECT that reads a row to change. PostgreSQL locks the row
	// (SELECT … FOR UPDATE); SQLite has no row locks, and needs none: its write
	// transactions begin with BEGIN IMMEDIATE (the _txlock DSN parameter), which takes
	// the database's one write lock before the read.
	forUpdate string
	// dollar is true when placeholders are $1, $2, … (PostgreSQL) rather than ?.
	dollar bool
}

var (
	sqliteDialect = dialect{
		name: "sqlite",
		types: strings.NewReplacer(
			"{{uuid}}", "TEXT",
			"{{date}}", "TEXT",
			"{{json}}", "TEXT",
		),
	}
	postgresDialect = dialect{
		name: "postgres",
		types: strings.NewReplacer(
			"{{uuid}}", "UUID",
			"{{date}}", "DATE",
			"{{json}}", "JSONB",
		),
		forUpdate: " FOR UPDATE",
		dollar:    true,
	}
)

// q rewrites a query written with ? placeholders into the dialect's form. Queries in
// this package hold no ? inside string literals, so a plain scan is enough.
func (d dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// retryable reports whether err is a PostgreSQL deadlock or serialization failure,
// after which the whole transaction may run again.
func (d dialect) retryable(err error) bool {
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pe.Code == "40P01" || pe.Code == "40001" // deadlock_detected, serialization_failure
	}
	return false
}

// isUnique reports whether err is a unique or primary key violation.
func (d dialect) isUnique(err error) bool {
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pe.Code == "23505" // unique_violation
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}
