package main

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// runTourCmd runs `osallisuus tour --db dsn` and returns the exit status and outputs.
func runTourCmd(t *testing.T, dsn string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run([]string{"tour", "--db", dsn}, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// tourKeyLines are lines (or parts) every complete tour prints, one per step of the story.
var tourKeyLines = []string{
	"1. Tietokanta · Databas · Database",
	"Tour clock: 2026-03-23T07:00:00Z",
	"Huoltaja · Vårdnadshavare · Guardian: Helmi R. (generated) acts for Ilona R. (generated) (age 9)",
	"  reason: granter-not-authorized",
	"  fi: Toiminto ei ole sallittu: antajalla ei ole oikeutta",
	"  sv: Åtgärden är inte tillåten",
	"  events  3000/3000",
	"decision over the loaded ledger: allowed granted",
	"Perhekeskuksen asiakasfoorumi / Familjecentrets kundforum: active",
	"Eveliina P. (generated)  user  waitlisted  fi",
	"Noora J. (generated)   no        –     none      0     not-active",
	"fi  Mikael B. (generated): ei mukana: kokemusalue ei vastaa pyyntöä",
	"Hetu [hetu], puh. [phone].",
	"Svara gärna till [email].",
	"labels:    lang sv, kind question",
	"Due 2026-04-22 (ke); stored due date 2026-04-22",
	"2026-04-03  pe  Pitkäperjantai    Långfredagen   Good Friday",
	"Te sanoitte, me teimme · Ni sade, vi gjorde · You said, we did (2026-Q1, done)",
	"perhekeskus-etela      ██████",
	"neuvola-keskusta       (hidden)",
	"Mikael B. (generated), experience-data, (global) → denied (not-explicit)",
	"  en: denied (not-explicit): explicit written or electronic consent is required",
	"  fi: denied (not-explicit): tähän tarvitaan kirjallinen tai sähköinen nimenomainen suostumus",
}

// timings matches the parts of the output that vary with the machine, and the ledger's
// event IDs (version 7 UUIDs the ledger assigns, not part of the story).
var timings = regexp.MustCompile(`\(\d+ (participants|events)/s\)|, [0-9.]+[µm]?s\)|\(took [0-9.]+[µm]?s\)|event [0-9a-f-]{36}`)

func TestTourRunsTwiceOnSQLiteAndReusesTheData(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tour.db")
	checkTourTwice(t, dsn)
}

func TestTourOutputIsTheSameOnEveryFreshDatabaseExceptTimings(t *testing.T) {
	dir := t.TempDir()
	code, a, stderr := runTourCmd(t, filepath.Join(dir, "a.db"))
	require.Equal(t, 0, code, stderr)
	code, b, stderr := runTourCmd(t, filepath.Join(dir, "b.db"))
	require.Equal(t, 0, code, stderr)
	norm := func(s string) string {
		s = strings.ReplaceAll(s, filepath.Join(dir, "a.db"), "DB")
		s = strings.ReplaceAll(s, filepath.Join(dir, "b.db"), "DB")
		return timings.ReplaceAllString(s, "(timing)")
	}
	assert.Equal(t, norm(a), norm(b), "the tour clock and the fixed IDs make the story reproducible")
}

// checkTourTwice runs the tour twice on dsn and checks the story, the reuse and that the
// second run adds no consent events.
func checkTourTwice(t *testing.T, dsn string) {
	t.Helper()
	code, first, stderr := runTourCmd(t, dsn)
	require.Equal(t, 0, code, "first run: exit status; stderr:\n%s\nstdout:\n%s", stderr, first)
	assert.Empty(t, stderr)
	for _, l := range tourKeyLines {
		assert.Contains(t, first, l, "first run")
	}
	assert.Contains(t, first, "A fresh database: the tour creates its data.")
	assert.Contains(t, first, "Run the tour again: it reuses the data.")
	assert.Contains(t, first, "  appended 3000 events")
	assert.Contains(t, first, "Kalle N. (generated)   yes       1     offer", "own experience is preferred")
	assert.Contains(t, first, "Liisa T. (generated)   yes       2     reserve")
	assert.Contains(t, first, "Tarjous · Erbjudande · Offer: Kalle N. (generated) accepted (accepted) [new]")
	assert.NotContains(t, first, "reused")
	events := countEvents(t, dsn)

	code, second, stderr := runTourCmd(t, dsn)
	require.Equal(t, 0, code, "second run: exit status; stderr:\n%s\nstdout:\n%s", stderr, second)
	assert.Empty(t, stderr)
	for _, l := range tourKeyLines {
		assert.Contains(t, second, l, "second run")
	}
	assert.Contains(t, second, "Data from an earlier run found: it is reused, not created again.")
	assert.Contains(t, second, "Done: data from an earlier run was reused")
	assert.Contains(t, second, "3000 events were already in the ledger from an earlier run")
	assert.Contains(t, second, "Assignment from an earlier run: Kalle N. (generated), accepted [reused]")
	assert.Contains(t, second, "Kalle N. (generated)   no        –     none      0     already-in-request")
	assert.NotContains(t, second, "[new]", "the second run creates nothing")
	assert.NotRegexp(t, `(?m)\snew$`, second, "the second run creates nothing")
	assert.Equal(t, events, countEvents(t, dsn), "the second run appends no consent events")
}

// countEvents counts the consent ledger's events.
func countEvents(t *testing.T, dsn string) int {
	t.Helper()
	driverName := "sqlite"
	if strings.Contains(dsn, "://") {
		driverName = "pgx"
	}
	db, err := sql.Open(driverName, dsn)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT count(*) FROM consent_events").Scan(&n))
	return n
}

func TestTourRefusesADatabaseOfAnotherProgram(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "crm.db")
	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	_, err = db.ExecContext(t.Context(), "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	code, stdout, stderr := runTourCmd(t, dsn)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "holds tables of another program, so the tour leaves it alone")
	assert.Contains(t, stderr, "Give the tour a database of its own")

	db, err = sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer db.Close()
	var tables []string
	rows, err := db.QueryContext(t.Context(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	require.NoError(t, err)
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"customers"}, tables, "the foreign database is left as it was")
}

func TestTourRefusesAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	content := []byte(strings.Repeat("These are notes, not a database.\n", 20))
	require.NoError(t, os.WriteFile(path, content, 0o600))

	code, stdout, stderr := runTourCmd(t, path)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "notes.txt is not an SQLite database")
	assert.Contains(t, stderr, "Give --db a new file name")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, content, after, "the file is left as it was")
}

func TestTourRefusesWhatIsNotADatabaseTarget(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		want string
	}{
		{"a web URL is not a database", "https://example.invalid/tour", "is not a database URL"},
		{"a directory is not a database file", t.TempDir(), "is a directory"},
		{"a PostgreSQL server that does not answer is named as unreachable", "postgres://tour@127.0.0.1:1/tour?connect_timeout=2", "cannot reach the database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runTourCmd(t, tt.dsn)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

func TestTourHidesThePasswordOfAURL(t *testing.T) {
	code, _, stderr := runTourCmd(t, "postgres://tour:s3cret@127.0.0.1:1/tour?connect_timeout=2")
	assert.Equal(t, 1, code)
	assert.NotContains(t, stderr, "s3cret")
	assert.Contains(t, stderr, "postgres://tour:***@127.0.0.1:1/tour")
}

func TestTourStepErrorsSayWhatToDo(t *testing.T) {
	lost := explainStepError("Consents", fmt.Errorf("append: %w", driver.ErrBadConn))
	assert.Contains(t, lost, `lost the database connection during "Consents"`)
	assert.Contains(t, lost, "run the tour again: it reuses what was stored")
	other := explainStepError("Report", fmt.Errorf("boom"))
	assert.Contains(t, other, `step "Report" failed: boom`)
}

func TestTourUsageErrorsExitTwo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"tour", "extra"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "usage: osallisuus tour [--db FILE|URL]")
	stderr.Reset()
	assert.Equal(t, 2, run([]string{"tour", "--nope"}, &stdout, &stderr))
}

// tourPostgresEnv names the variable holding the PostgreSQL URL, as in examples/sqlstore.
const tourPostgresEnv = "OSALLISUUS_TEST_POSTGRES"

func TestTourRunsTwiceOnPostgreSQLAndReusesTheData(t *testing.T) {
	base := os.Getenv(tourPostgresEnv)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set, and CI is: the PostgreSQL tests must run in CI (.ci/run starts a server and sets it)", tourPostgresEnv)
		}
		t.Skipf("PostgreSQL tour test skipped: %s is not set. To run it, start PostgreSQL and set "+
			"%s=postgres://USER@127.0.0.1:PORT/DB?sslmode=disable, or run .ci/run", tourPostgresEnv, tourPostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	schema := "tour_" + hex.EncodeToString(b)
	_, err = admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err, "create a test schema in %s", tourPostgresEnv)
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	checkTourTwice(t, u.String())
}
