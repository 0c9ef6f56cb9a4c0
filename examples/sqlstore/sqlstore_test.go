package sqlstore_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/examples/sqlstore"
)

// postgresEnv names the variable holding the PostgreSQL URL the tests use.
const postgresEnv = "OSALLISUUS_TEST_POSTGRES"

// backend makes fresh, empty databases, one per test.
type backend struct {
	name string
	// fresh returns the DSN of a new empty database that lives until the test ends.
	fresh func(t testing.TB) string
}

// open opens and migrates a fresh database, closed when the test ends.
func (b backend) open(t testing.TB) *sqlstore.DB {
	t.Helper()
	return openDSN(t, b.fresh(t))
}

func openDSN(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), dsn, sqlstore.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// backends returns SQLite and PostgreSQL. The PostgreSQL tests fail when CI is set and
// the URL is missing, and otherwise skip saying how to enable them.
func backends() []backend {
	return []backend{{"SQLite", freshSQLite}, {"PostgreSQL", freshPostgres}}
}

// freshSQLite names a new SQLite file in the test's temporary directory.
func freshSQLite(t testing.TB) string {
	return filepath.Join(t.TempDir(), "osallisuus.db")
}

// requirePostgres returns the PostgreSQL URL, failing in CI and skipping elsewhere when
// it is not set.
func requirePostgres(t testing.TB) string {
	t.Helper()
	u := os.Getenv(postgresEnv)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set, and CI is: the PostgreSQL tests must run in CI (.ci/run starts a server and sets it)", postgresEnv)
		}
		t.Skipf("PostgreSQL tests skipped: %s is not set. To run them, start PostgreSQL and set "+
			"%s=postgres://USER@127.0.0.1:PORT/DB?sslmode=disable (a database where the tests may create and drop schemas), or run .ci/run", postgresEnv, postgresEnv)
	}
	return u
}

// freshPostgres creates a schema of its own for the test and returns the URL with that
// schema as the search_path; the schema is dropped when the test ends.
func freshPostgres(t testing.TB) string {
	t.Helper()
	base := requirePostgres(t)
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	_, err = admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err, "create a test schema in %s", postgresEnv)
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, base, schema)
}

func withSearchPath(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
