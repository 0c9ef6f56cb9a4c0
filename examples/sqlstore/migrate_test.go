package sqlstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
)

func TestMigrate(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Run("migrating again changes nothing and records each version once", func(t *testing.T) {
				dsn := b.fresh(t)
				db := openDSN(t, dsn)
				require.NoError(t, db.Migrate(t.Context()))
				again := openDSN(t, dsn)
				require.NoError(t, again.Migrate(t.Context()))
				rows, err := db.SQL().QueryContext(t.Context(), "SELECT version, name FROM osallisuus_migrations ORDER BY version")
				require.NoError(t, err)
				defer rows.Close()
				var versions []int
				for rows.Next() {
					var v int
					var name string
					require.NoError(t, rows.Scan(&v, &name))
					assert.NotEmpty(t, name)
					versions = append(versions, v)
				}
				require.NoError(t, rows.Err())
				want := make([]int, sqlstore.SchemaVersion())
				for i := range want {
					want[i] = i + 1
				}
				assert.Equal(t, want, versions)
			})
			t.Run("a schema newer than the program is refused", func(t *testing.T) {
				dsn := b.fresh(t)
				db := openDSN(t, dsn)
				_, err := db.SQL().ExecContext(t.Context(),
					"INSERT INTO osallisuus_migrations (version, name, applied_at) VALUES (999, 'from-the-future', 'x')")
				require.NoError(t, err)
				require.ErrorIs(t, db.Migrate(t.Context()), sqlstore.ErrSchemaTooNew)
				_, err = sqlstore.Open(t.Context(), dsn, sqlstore.Config{})
				require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
			})
			t.Run("a migration recorded under another name is refused", func(t *testing.T) {
				db := b.open(t)
				_, err := db.SQL().ExecContext(t.Context(), "UPDATE osallisuus_migrations SET name = 'something-else' WHERE version = 1")
				require.NoError(t, err)
				require.ErrorIs(t, db.Migrate(t.Context()), sqlstore.ErrForeignSchema)
			})
			t.Run("a database with other tables and no migration record is refused untouched", func(t *testing.T) {
				dsn := b.fresh(t)
				db := openDSN(t, dsn)
				_, err := db.SQL().ExecContext(t.Context(), "DROP TABLE osallisuus_migrations")
				require.NoError(t, err)
				_, err = sqlstore.Open(t.Context(), dsn, sqlstore.Config{})
				require.ErrorIs(t, err, sqlstore.ErrForeignSchema)
				var n int
				require.NoError(t, db.SQL().QueryRowContext(t.Context(), "SELECT count(*) FROM participants").Scan(&n))
			})
		})
	}
}

func TestOpen(t *testing.T) {
	t.Run("a file that is not a database is refused and left unchanged", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.txt")
		content := []byte("these are not the tables you are looking for\n")
		require.NoError(t, os.WriteFile(path, content, 0o600))
		_, err := sqlstore.Open(t.Context(), path, sqlstore.Config{})
		require.Error(t, err)
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, content, got)
	})
	t.Run("a URL of another kind is invalid and creates no file", func(t *testing.T) {
		t.Chdir(t.TempDir())
		_, err := sqlstore.Open(t.Context(), "mysql://someone@127.0.0.1/db", sqlstore.Config{})
		require.ErrorIs(t, err, osallisuus.ErrInvalid)
		entries, err := os.ReadDir(".")
		require.NoError(t, err)
		assert.Empty(t, entries)
	})
	t.Run("a PostgreSQL URL with no server behind it is an error, not a hang", func(t *testing.T) {
		_, err := sqlstore.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", sqlstore.Config{})
		require.Error(t, err)
	})
	t.Run("memory databases are private to each DB and shared by its connections", func(t *testing.T) {
		a := openDSN(t, ":memory:")
		b := openDSN(t, ":memory:")
		_, err := a.SQL().ExecContext(t.Context(), "INSERT INTO counters (name, value) VALUES ('only-in-a', 1)")
		require.NoError(t, err)
		var n int
		require.NoError(t, b.SQL().QueryRowContext(t.Context(), "SELECT count(*) FROM counters WHERE name = 'only-in-a'").Scan(&n))
		assert.Equal(t, 0, n, "a second memory DB sees the first one's rows")
		conns := make([]interface{ Close() error }, 0, 3)
		for range 3 { // hold several connections so that the query below needs a new one
			c, err := a.SQL().Conn(t.Context())
			require.NoError(t, err)
			conns = append(conns, c)
		}
		c, err := a.SQL().Conn(t.Context())
		require.NoError(t, err)
		require.NoError(t, c.QueryRowContext(t.Context(), "SELECT count(*) FROM counters WHERE name = 'only-in-a'").Scan(&n))
		assert.Equal(t, 1, n, "another connection of the same memory DB misses its rows")
		c.Close()
		for _, c := range conns {
			c.Close()
		}
	})
	t.Run("SQLite files run in WAL mode with foreign keys on", func(t *testing.T) {
		db := openDSN(t, freshSQLite(t))
		var mode string
		var fk int
		require.NoError(t, db.SQL().QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode))
		require.NoError(t, db.SQL().QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk))
		assert.Equal(t, "wal", mode)
		assert.Equal(t, 1, fk)
	})
}

func TestPostgresMissingSchemaIsExplained(t *testing.T) {
	base := requirePostgres(t)
	_, err := sqlstore.Open(t.Context(), withSearchPath(t, base, "no_such_schema_here"), sqlstore.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CREATE SCHEMA")
}
