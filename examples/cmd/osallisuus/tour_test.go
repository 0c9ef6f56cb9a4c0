package main

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/examples/sqlstore"

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
	"Huoltaja · Vårdnadshavare · Guardian: Helmi R. acts for Ilona R. (age 9)",
	"  reason: granter-not-authorized",
	"  fi: Toiminto ei ole sallittu: antajalla ei ole oikeutta",
	"  sv: Åtgärden är inte tillåten",
	"  events  3000/3000",
	"decision over the loaded ledger: allowed granted",
	"Perhekeskuksen asiakasfoorumi / Familjecentrets kundforum: active",
	"Eveliina P.  user  waitlisted  fi",
	"Noora J.   no        –     none      0     not-active",
	"fi  Mikael B.: ei mukana: kokemusalue ei vastaa pyyntöä",
	"[hetu], puh. [phone].",
	"gärna till [email].",
	"labels:    lang sv, kind question",
	"Due 2026-04-22 (ke); stored due date 2026-04-22",
	"2026-04-03  pe  Pitkäperjantai    Långfredagen   Good Friday",
	"Te sanoitte, me teimme · Ni sade, vi gjorde · You said, we did (2026-Q1, done)",
	"perhekeskus-etela      ██████",
	"neuvola-keskusta       (hidden)",
	"13. Tietopyyntö ja tietojen poisto · Registerutdrag och radering · Access to one's data, and erasure",
	"11. Kehittämishanke ja palvelulupaus · Utvecklingsprojekt och servicelöfte · A development project and the service promise",
	"  pk-malli-yhteiskehittaminen  co-design   development  co-decide    2026-03-23               fi,sv,sign  3",
	"  Daniel M.: not invited (forbidden, no-consent): Toiminto ei ole sallittu: suostumusta ei ole annettu",
	"  pk-malli-yhteiskehittaminen  Frans H.     customer              waitlisted              #1",
	"  pk-malli-tyopaja             Johanna V.   official              attended    2026-02-10",
	"  planning     suunnittelu / planering    yes      involve        1           6",
	"  development  kehittäminen / utveckling  yes      co-decide      1           <5",
	"  evaluation   arviointi / utvärdering    no       –              1           0",
	"  all phases                                                                  8",
	"  Sähköinen perhekeskus        no     0",
	"  total    2         1      50.0 %   6",
	"  Sinua kuunnellaan.            heard-csat         survey       24  70.8   50.8 … 85.1    ≥ 70    met",
	"  Sinua kuunnellaan.            recommend-nps      survey       24  0.0    -30.6 … 30.6   ≥ 30    not-met",
	"  Pääset palveluun ajallaan.    access-complaints  theme-share  –   –      –              ≤ 20    not-enough-data",
	"  Kehitämme palvelua kanssasi.  activities         activities   2   2      –              ≥ 2     met",
	"Mikael B., experience-data, (global) → denied (not-explicit)",
	"  en: denied (not-explicit): explicit written or electronic consent is required;",
	"  fi: ei sallittu (not-explicit): tähän tarvitaan kirjallinen tai sähköinen nimenomainen suostumus;",
}

// timings matches the parts of the output that vary with the machine, and the ledger's
// event IDs (version 7 UUIDs the ledger assigns, not part of the story).
var timings = regexp.MustCompile(`\(\d+ (participants|events)/s\)|, [0-9.]+[µm]?s\)|\(took [0-9.]+[µm]?s\)|event\s+[0-9a-f-]{36}|[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}`)

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
	assert.Contains(t, first, "Kalle N.   yes       1     offer", "own experience is preferred")
	assert.Contains(t, first, "Liisa T.   yes       2     reserve")
	assert.Contains(t, first, "Tarjous · Erbjudande · Offer: Kalle N. was offered the task and accepted (status accepted) [new]")
	assert.Contains(t, first, "Survey: the standard customer-experience questionnaire, 24 generated answers [new]")
	assert.Contains(t, first, "Oona V. asks what is stored about her (GDPR Art 15): one document, every package:")
	assert.Contains(t, first, "A consent question about her now: denied (erased).")
	assert.NotContains(t, first, "reused")
	events := countEvents(t, dsn)
	records, responses := countRows(t, dsn, "participation_records"), countRows(t, dsn, "survey_responses")
	assert.Equal(t, 17, records, "the activities' participation records")
	assert.Equal(t, 24, responses, "the promise's survey answers")

	code, second, stderr := runTourCmd(t, dsn)
	require.Equal(t, 0, code, "second run: exit status; stderr:\n%s\nstdout:\n%s", stderr, second)
	assert.Empty(t, stderr)
	for _, l := range tourKeyLines {
		assert.Contains(t, second, l, "second run")
	}
	assert.Contains(t, second, "Data from an earlier run found: it is reused, not created again.")
	assert.Contains(t, second, "Done: data from an earlier run was reused")
	assert.Contains(t, second, "3000 events were already in the ledger from an earlier run")
	assert.Contains(t, second, "  events  3000/3000  (stored by an earlier run)")
	assert.Contains(t, second, "Assignment from an earlier run: Kalle N., accepted [reused]")
	assert.Contains(t, second, "Kalle N.   no        –     none      0     already-in-request")
	assert.Contains(t, second, "Survey: the standard customer-experience questionnaire, 24 generated answers [reused]")
	assert.Contains(t, second, "Organisaatiot · Organisationer · Organisations [reused]")
	assert.Contains(t, second, "Oona V. was erased by an earlier run on 2026-03-23 [reused]; what is left of her:")
	assert.Contains(t, second, "  participation  born –, 1 consent events, 0 activity records")
	assert.NotContains(t, second, "[new]", "the second run creates nothing")
	assert.NotRegexp(t, `(?m)\snew$`, second, "the second run creates nothing")
	assert.Equal(t, events, countEvents(t, dsn), "the second run appends no consent events")
	assert.Equal(t, records, countRows(t, dsn, "participation_records"), "the second run adds no participation records")
	assert.Equal(t, responses, countRows(t, dsn, "survey_responses"), "the second run adds no survey answers")
}

// countEvents counts the consent ledger's events.
func countEvents(t *testing.T, dsn string) int {
	t.Helper()
	return countRows(t, dsn, "consent_events")
}

// countRows counts the rows of one of the tour database's tables.
func countRows(t *testing.T, dsn, table string) int {
	t.Helper()
	driverName := "sqlite"
	if strings.Contains(dsn, "://") {
		driverName = "pgx"
	}
	db, err := sql.Open(driverName, dsn)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n))
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

func TestTourRefusesADatabaseOfANewerSchema(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tour.db")
	code, _, stderr := runTourCmd(t, dsn)
	require.Equal(t, 0, code, stderr)
	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	_, err = db.ExecContext(t.Context(), "INSERT INTO osallisuus_migrations (version, name, applied_at) VALUES (?, 'from-the-future', '2030-01-01')",
		sqlstore.SchemaVersion()+1)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	code, stdout, stderr := runTourCmd(t, dsn)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "was written by a newer osallisuus")
	assert.Contains(t, stderr, "Update this program, or give the tour another database with --db.")
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
		{"a malformed PostgreSQL URL is named", "postgres://tour@127.0.0.1:notaport/tour", "is not a valid PostgreSQL URL"},
		{"a file in a missing directory is named", filepath.Join(t.TempDir(), "missing", "tour.db"), "does not exist: create it"},
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

func TestTourRunsInMemoryAndSaysNothingIsKept(t *testing.T) {
	code, stdout, stderr := runTourCmd(t, ":memory:")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "A fresh database: the tour creates its data.")
	assert.Contains(t, stdout, "the database was in memory and is gone now")
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
	checkTourTwice(t, freshTourSchema(t))
}

// freshTourSchema returns the PostgreSQL URL of a new schema, dropped when the test ends,
// as examples/sqlstore's tests do. The test fails when CI is set and the URL is missing,
// and otherwise skips saying how to enable it.
func freshTourSchema(t *testing.T) string {
	t.Helper()
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
	return u.String()
}

func TestTourOnPostgreSQLSaysWhatToDoWhenTheConnectionDropsAndResumes(t *testing.T) {
	full := fullTourEvents(t)
	// A whole tour sends about 1.25 MB to the server: these cuts fall in the consents, in
	// the ledger load, in the later steps and in the development project's step.
	for _, cut := range []int64{20_000, 150_000, 800_000, 1_050_000, 1_090_000, 1_110_000, 1_130_000, 1_160_000, 1_200_000, 1_240_000} {
		t.Run(fmt.Sprintf("cut after %d bytes", cut), func(t *testing.T) {
			dsn := freshTourSchema(t)
			u, err := url.Parse(dsn)
			require.NoError(t, err)
			// The tour talks to the server through a proxy that cuts every connection,
			// and refuses new ones, once the tour has sent cut bytes.
			p := startCutProxy(t, u.Host, cut)
			viaProxy := *u
			viaProxy.Host = p.ln.Addr().String()

			code, stdout, stderr := runTourCmd(t, viaProxy.String())
			require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.Contains(t, stderr, "lost the database connection during")
			assert.Contains(t, stderr, "run the tour again: it reuses what was stored")
			t.Logf("the tour said: %s", stderr)

			// Straight to the server, the tour goes on from what was stored: a write cut
			// off mid-way left nothing behind, so the story comes out whole and the ledger
			// ends with exactly one tour's events.
			code, stdout, stderr = runTourCmd(t, dsn)
			require.Equal(t, 0, code, "stderr:\n%s", stderr)
			assert.Contains(t, stdout, "Data from an earlier run found")
			for _, l := range tourKeyLines {
				assert.Contains(t, stdout, l, "the resumed run")
			}
			assert.Equal(t, full, countEvents(t, dsn))
		})
	}
}

// fullTourEvents counts the ledger of one complete tour on a fresh SQLite file.
func fullTourEvents(t *testing.T) int {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "full.db")
	code, _, stderr := runTourCmd(t, dsn)
	require.Equal(t, 0, code, stderr)
	return countEvents(t, dsn)
}

// cutProxy forwards TCP connections to a server until the clients have sent limit bytes;
// then it closes every connection and its listener, as a network failure would.
type cutProxy struct {
	ln     net.Listener
	target string
	limit  int64
	sent   atomic.Int64
	mu     sync.Mutex
	conns  []net.Conn
	cut    bool
}

func startCutProxy(t *testing.T, target string, limit int64) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &cutProxy{ln: ln, target: target, limit: limit}
	t.Cleanup(p.cutAll)
	go p.serve()
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, s) {
			return
		}
		go func() { io.Copy(c, s); p.cutAll() }()
		go func() {
			buf := make([]byte, 32<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if p.sent.Add(int64(n)) > p.limit {
						p.cutAll()
						return
					}
					if _, err := s.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					s.Close()
					return
				}
			}
		}()
	}
}

// track remembers a proxied pair, or closes it when the proxy is already cut.
func (p *cutProxy) track(c ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		for _, x := range c {
			x.Close()
		}
		return false
	}
	p.conns = append(p.conns, c...)
	return true
}

func (p *cutProxy) cutAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		return
	}
	p.cut = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
}
