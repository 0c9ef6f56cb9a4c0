package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver

	"github.com/osallisuus/osallisuus"
)

// Config holds the optional settings of [Open]; the zero Config is the default.
type Config struct {
	// MaxOpenConns caps the connection pool; 0 means 16. Callers beyond the cap wait
	// for a free connection (until their context ends) rather than fail. A listing
	// holds its connection until its loop ends, so keep the cap above the number of
	// listings a host runs at once.
	MaxOpenConns int
	// BusyTimeout is how long an SQLite connection waits for another writer's lock
	// before it gives up with "database is locked"; 0 means 30 seconds. PostgreSQL
	// ignores it (its row locks wait until the context ends).
	BusyTimeout time.Duration
}

// DB is a database opened by [Open] with the schema migrated to this package's
// version. Its stores ([DB.Participation], ...) share its connection pool. A DB is safe
// for concurrent use; Close it when done.
type DB struct {
	db *sql.DB
	d  dialect
	// gate admits one writer at a time on SQLite (see enter); nil on PostgreSQL.
	gate chan struct{}
}

// Open opens and migrates the database that dsn names:
//
//   - a PostgreSQL URL, "postgres://…" or "postgresql://…" (through pgx's
//     database/sql driver); query parameters such as search_path pass to the server;
//   - ":memory:" or "" for a fresh in-memory SQLite database, private to this DB;
//   - anything else without "://" is an SQLite file path, or a "file:" URI, created
//     if missing; another URL scheme is an error matching osallisuus.ErrInvalid.
//
// SQLite connections run in WAL mode (file databases) with a busy timeout, foreign
// keys on and synchronous=NORMAL, and begin their write transactions IMMEDIATE so
// that writers queue instead of failing. Open pings the database and applies the
// migrations ([DB.Migrate]); the errors say what is wrong: not a database, a
// schema this package does not know ([ErrForeignSchema]), one newer than it
// ([ErrSchemaTooNew]). On error nothing stays open.
func Open(ctx context.Context, dsn string, cfg Config) (*DB, error) {
	var (
		db  *sql.DB
		d   dialect
		err error
	)
	if scheme, _, ok := strings.Cut(dsn, "://"); ok && !isPostgres(dsn) {
		// Not an SQLite path either: refuse rather than create a file named like a URL.
		return nil, fmt.Errorf("open database: unsupported URL scheme %q: want postgres:// or postgresql://, or an SQLite file path: %w",
			scheme, osallisuus.ErrInvalid)
	}
	if isPostgres(dsn) {
		d = postgresDialect
		db, err = sql.Open("pgx", dsn)
	} else {
		d = sqliteDialect
		var name string
		name, err = sqliteDSN(dsn, cfg)
		if err == nil {
			db, err = sql.Open("sqlite", name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.name, err)
	}
	maxConns := cfg.MaxOpenConns
	if maxConns <= 0 {
		maxConns = 16
	}
	db.SetMaxOpenConns(maxConns)
	if d.dollar {
		// Few idle connections to a server: a burst opens more, and they close after
		// it, so many pools on one server (a test suite, several hosts) do not exhaust
		// its connection slots.
		db.SetMaxIdleConns(min(maxConns, 4))
	} else {
		// SQLite connections cost no server slot, and opening one runs the pragmas.
		db.SetMaxIdleConns(maxConns)
	}
	s := &DB{db: db, d: d}
	if !d.dollar {
		s.gate = make(chan struct{}, 1)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("open %s database: %w", d.name, err)
	}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connection pool. Stores of the DB must not be used afterwards.
func (db *DB) Close() error { return db.db.Close() }

// SQL returns the underlying pool, for a host's own queries and for tests.
func (db *DB) SQL() *sql.DB { return db.db }

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN turns a path, a file: URI or ":memory:" into a modernc.org/sqlite DSN with
// the connection settings every connection of the pool needs.
func sqliteDSN(dsn string, cfg Config) (string, error) {
	busy := cfg.BusyTimeout
	if busy <= 0 {
		busy = 30 * time.Second
	}
	params := url.Values{}
	params.Set("_txlock", "immediate")
	params.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "synchronous(NORMAL)")
	switch {
	case dsn == "" || dsn == ":memory:":
		// ":memory:" would give each pooled connection its own empty database. The memdb
		// VFS shares one named database among the connections of this process instead;
		// the random name keeps it private to this DB. It has no WAL.
		id, err := uuid.NewRandom()
		if err != nil {
			return "", err
		}
		params.Set("vfs", "memdb")
		return "file:/osallisuus-" + id.String() + "?" + params.Encode(), nil
	case strings.HasPrefix(dsn, "file:"):
		path, query, _ := strings.Cut(dsn, "?")
		own, err := url.ParseQuery(query)
		if err != nil {
			return "", fmt.Errorf("sqlite uri %q: %w", dsn, err)
		}
		for k, vs := range own {
			params[k] = append(params[k], vs...)
		}
		if own.Get("vfs") != "memdb" && own.Get("mode") != "memory" {
			params.Add("_pragma", "journal_mode(WAL)")
		}
		return path + "?" + params.Encode(), nil
	default:
		params.Add("_pragma", "journal_mode(WAL)")
		return "file:" + dsn + "?" + params.Encode(), nil
	}
}

// errorf wraps err for op (nil stays nil), except that a done context's error passes through as is
// (drivers report cancellation in their own words).
func errorf(ctx context.Context, err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
