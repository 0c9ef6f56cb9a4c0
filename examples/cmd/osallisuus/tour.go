package main

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation"
)

// defaultTourDB is the SQLite file the tour creates in the working directory (ignored
// by git).
const defaultTourDB = "osallisuus-tour.db"

// tourNow is the tour clock: every rule the tour runs sees this instant (Monday 23 March
// 2026, 09:00 in Helsinki), so the output is the same on every run except the timings.
var tourNow = time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC)

// tourNamespace roots the tour's deterministic IDs: the same names give the same IDs on
// every run, so a second run finds the first run's data instead of adding to it.
var tourNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/osallisuus/osallisuus/examples/cmd/osallisuus/tour"))

// tourID returns the tour's fixed ID for one named thing of one kind.
func tourID(kind, name string) uuid.UUID {
	return uuid.NewSHA1(tourNamespace, []byte(kind+"/"+name))
}

// runTour runs `osallisuus tour [--db FILE|URL]`: the library's story on a real database,
// step by step. Exit 0 when the tour completes, 1 when the database cannot be used or a
// step fails (the message says what to do), 2 on usage errors.
func runTour(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tour", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", defaultTourDB, "SQLite file, or a postgres:// URL")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: osallisuus tour [--db FILE|URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "osallisuus tour: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return tour(ctx, *dsn, stdout, stderr)
}

// tour opens the database and runs every step; it returns the exit status.
func tour(ctx context.Context, dsn string, stdout, stderr io.Writer) int {
	if err := checkTourTarget(dsn); err != nil {
		fmt.Fprintf(stderr, "osallisuus tour: %v\n", err)
		return 1
	}
	start := time.Now()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Config{})
	if err != nil {
		fmt.Fprintf(stderr, "osallisuus tour: %s\n", explainOpenError(dsn, err))
		return 1
	}
	defer db.Close()
	fmt.Fprintln(stdout, "osallisuus — kierros · rundtur · a tour of the library")
	t, err := newTourRun(ctx, db, dsn, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "osallisuus tour: %s\n", explainStepError("set up the services", err))
		return 1
	}
	for _, s := range t.steps() {
		t.heading(s.title)
		if err := s.run(); err != nil {
			t.flush()
			fmt.Fprintf(stderr, "osallisuus tour: %s\n", explainStepError(s.title.EN, err))
			return 1
		}
		t.flush()
	}
	t.finish(time.Since(start))
	return 0
}

// checkTourTarget refuses, before opening, what cannot be a database: a directory, and a
// URL of a scheme other than PostgreSQL's (sqlstore.Open says so too; this only words it
// for the tour's user).
func checkTourTarget(dsn string) error {
	if scheme, _, ok := strings.Cut(dsn, "://"); ok {
		switch scheme {
		case "postgres", "postgresql", "file":
			return nil
		}
		return fmt.Errorf("--db %q is not a database URL: give an SQLite file path (such as %s) or a PostgreSQL URL (postgres://user@host:5432/db)", dsn, defaultTourDB)
	}
	if dsn == "" || dsn == ":memory:" || strings.HasPrefix(dsn, "file:") {
		return nil
	}
	if fi, err := os.Stat(dsn); err == nil && fi.IsDir() {
		return fmt.Errorf("--db %q is a directory: give an SQLite file path (such as %s) or a PostgreSQL URL", dsn, defaultTourDB)
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("--db %q: the directory %s does not exist: create it, or give a file in an existing directory", dsn, dir)
		}
	}
	return nil
}

// explainOpenError turns an error of sqlstore.Open into a message that says what is
// wrong and what to do.
func explainOpenError(dsn string, err error) string {
	var se *sqlite.Error
	var pe *pgconn.ParseConfigError
	switch {
	case errors.Is(err, sqlstore.ErrForeignSchema):
		return fmt.Sprintf("%s holds tables of another program, so the tour leaves it alone (%v).\n"+
			"Give the tour a database of its own: a new file (--db %s), or on PostgreSQL a schema of its own "+
			"(CREATE SCHEMA osallisuus_tour; then --db 'postgres://…?search_path=osallisuus_tour').", redactDSN(dsn), err, defaultTourDB)
	case errors.Is(err, sqlstore.ErrSchemaTooNew):
		return fmt.Sprintf("%s was written by a newer osallisuus (%v).\nUpdate this program, or give the tour another database with --db.", redactDSN(dsn), err)
	case errors.As(err, &se) && se.Code() == 26: // SQLITE_NOTADB
		return fmt.Sprintf("%s is not an SQLite database (%v).\nGive --db a new file name (such as %s) or an existing osallisuus database.", redactDSN(dsn), err, defaultTourDB)
	case errors.As(err, &pe):
		return fmt.Sprintf("--db %q is not a valid PostgreSQL URL (%v).\nWrite it as postgres://user:password@host:5432/database?sslmode=disable.", redactDSN(dsn), err)
	case errors.Is(err, osallisuus.ErrInvalid):
		return fmt.Sprintf("--db %q is not a database (%v).\nGive an SQLite file path (such as %s) or a PostgreSQL URL (postgres://user@host:5432/db).", redactDSN(dsn), err, defaultTourDB)
	case isConnectionError(err):
		return fmt.Sprintf("cannot reach the database %s (%v).\nCheck that the server runs and that the URL's host, port, user, password and database are right.", redactDSN(dsn), err)
	}
	return fmt.Sprintf("cannot use the database %s: %v\nCheck --db: an SQLite file path (such as %s) or a PostgreSQL URL.", redactDSN(dsn), err, defaultTourDB)
}

// explainStepError says which step failed and what to do; a lost connection is named as
// such. Every write of a step is its own transaction, so nothing half-written stays.
func explainStepError(step string, err error) string {
	if errors.Is(err, context.Canceled) {
		return fmt.Sprintf("interrupted during %q. Whatever was written is complete; run the tour again to go on.", step)
	}
	if isConnectionError(err) {
		return fmt.Sprintf("lost the database connection during %q (%v).\n"+
			"Nothing half-written was kept: each write is a transaction. Check the database server, then run the tour again: it reuses what was stored.", step, err)
	}
	if re, ok := errors.AsType[*osallisuus.RuleError](err); ok && re.Has(participation.ReasonErased) {
		return fmt.Sprintf("step %q failed: %v\nA person of the tour was erased (osallisuus participant erase), and erasure cannot be undone: "+
			"run the tour on a new database (delete the file, or give --db another one).", step, err)
	}
	return fmt.Sprintf("step %q failed: %v\nNothing half-written was kept: each write is a transaction. Fix the cause and run the tour again: it reuses what was stored.", step, err)
}

// isConnectionError reports whether err is a broken or refused connection rather than
// an answer of the database.
func isConnectionError(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.As(err, &ne) || errors.As(err, &ce)
}

// redactDSN hides a URL's password.
func redactDSN(dsn string) string {
	if scheme, rest, ok := strings.Cut(dsn, "://"); ok {
		if creds, host, ok := strings.Cut(rest, "@"); ok {
			if user, _, ok := strings.Cut(creds, ":"); ok {
				return scheme + "://" + user + ":***@" + host
			}
		}
	}
	return dsn
}

// trilingual is a heading or label in Finnish, Swedish and English.
type trilingual = osallisuus.Text

// tourStep is one numbered step of the tour.
type tourStep struct {
	title trilingual
	run   func() error
}

// tourRun holds the tour's services on one database, its output and the names it gives
// to generated people.
type tourRun struct {
	ctx    context.Context
	db     *sqlstore.DB
	dsn    string
	out    io.Writer
	tw     *tabwriter.Writer
	table  bytes.Buffer // the aligned rows before trimming
	step   int
	clock  osallisuus.Clock
	policy *participation.Policy

	people   *participation.Service
	panels   *panel.Service
	experts  *expert.Service
	feedback *feedback.Service

	// names maps participant IDs to the tour's generated labels (display only: the
	// library stores no names).
	names map[osallisuus.ParticipantID]string
	// reopened is true when the database held the tour's data before this run.
	reopened bool
	// reused counts things found from an earlier run instead of created.
	reused int
}

func newTourRun(ctx context.Context, db *sqlstore.DB, dsn string, out io.Writer) (*tourRun, error) {
	t := &tourRun{ctx: ctx, db: db, dsn: dsn, out: out, clock: osallisuus.FixedClock(tourNow),
		policy: tourPolicy(), names: map[osallisuus.ParticipantID]string{}}
	t.tw = tabwriter.NewWriter(&t.table, 0, 0, 2, ' ', 0)
	svcs, err := dataServices(db, t.clock)
	if err != nil {
		return nil, err
	}
	t.people, t.panels, t.experts, t.feedback = svcs.Participation, svcs.Panel, svcs.Expert, svcs.Feedback
	_, err = t.people.Participant(ctx, personID(tourPeople[0].key))
	switch {
	case err == nil:
		t.reopened = true
	case !errors.Is(err, osallisuus.ErrNotFound):
		return nil, err
	}
	return t, nil
}

// dataServices builds the library's services on db with the tour's policy and the given
// clock: what the tour and the participant command work through.
func dataServices(db *sqlstore.DB, clock osallisuus.Clock) (gdpr.Services, error) {
	s := gdpr.Services{Clock: clock}
	var err error
	if s.Participation, err = participation.NewService(db.Participation().Stores(), tourPolicy(), participation.Config{Clock: clock}); err != nil {
		return s, err
	}
	if s.Panel, err = panel.NewService(db.Panel(), s.Participation, s.Participation, panel.ServiceConfig{Clock: clock}); err != nil {
		return s, err
	}
	if s.Expert, err = expert.NewService(db.Expert(), s.Participation, expert.Config{Clock: clock}); err != nil {
		return s, err
	}
	// The surveys live in a store of their own, which the feedback service needs for a
	// person's survey responses (export and erasure).
	if s.Feedback, err = feedback.NewService(db.Feedback(), s.Participation, feedback.Config{Clock: clock, Surveys: db.Surveys()}); err != nil {
		return s, err
	}
	return s, nil
}

// steps lists the tour in order.
func (t *tourRun) steps() []tourStep {
	return []tourStep{
		{trilingual{FI: "Tietokanta", SV: "Databas", EN: "Database"}, t.stepDatabase},
		{trilingual{FI: "Osallistujat ja huoltaja", SV: "Deltagare och vårdnadshavare", EN: "Participants and a guardian"}, t.stepPeople},
		{trilingual{FI: "Suostumukset", SV: "Samtycken", EN: "Consents"}, t.stepConsents},
		{trilingual{FI: "Suostumusrekisteri kuormassa", SV: "Samtyckesregistret under last", EN: "The consent ledger under load"}, t.stepLoad},
		{trilingual{FI: "Perhekeskuksen asiakasfoorumi", SV: "Familjecentrets kundforum", EN: "Family-centre customer forum"}, t.stepForum},
		{trilingual{FI: "Kokemusasiantuntijat", SV: "Erfarenhetsexperter", EN: "Experts by experience"}, t.stepExperts},
		{trilingual{FI: "Palaute suomeksi ja ruotsiksi", SV: "Respons på finska och svenska", EN: "Feedback in Finnish and Swedish"}, t.stepFeedback},
		{trilingual{FI: "Määräaika: muistutus", SV: "Tidsfrist: anmärkning", EN: "Deadline: a formal complaint"}, t.stepDeadline},
		{trilingual{FI: "Vastaus ja palautesilmukka", SV: "Svar och återkoppling", EN: "Answer and close the loop"}, t.stepLoop},
		{trilingual{FI: "Raportti", SV: "Rapport", EN: "Report"}, t.stepReport},
		{trilingual{FI: "Kehittämishanke ja palvelulupaus", SV: "Utvecklingsprojekt och servicelöfte", EN: "A development project and the service promise"}, t.stepActivities},
		{trilingual{FI: "Suostumuspäätös ja sen perustelu", SV: "Samtyckesbeslut och dess motivering", EN: "A consent decision, explained"}, t.stepDecision},
		{trilingual{FI: "Tietopyyntö ja tietojen poisto", SV: "Registerutdrag och radering", EN: "Access to one's data, and erasure"}, t.stepRights},
	}
}

// heading prints a step's numbered heading in three languages.
func (t *tourRun) heading(title trilingual) {
	t.step++
	line := fmt.Sprintf("%d. %s · %s · %s", t.step, title.FI, title.SV, title.EN)
	fmt.Fprintf(t.out, "\n%s\n%s\n", line, strings.Repeat("─", len([]rune(line))))
}

// printf writes a line of the tour.
func (t *tourRun) printf(format string, args ...any) {
	fmt.Fprintf(t.out, format+"\n", args...)
}

// row writes a table row (cells separated by tabs, aligned at flush).
func (t *tourRun) row(cells ...string) {
	fmt.Fprintln(t.tw, "  "+strings.Join(cells, "\t"))
}

// flush aligns and writes the pending table rows, without the padding of empty last
// cells.
func (t *tourRun) flush() {
	t.tw.Flush()
	for line := range strings.Lines(t.table.String()) {
		io.WriteString(t.out, strings.TrimRight(line, " \n")+"\n")
	}
	t.table.Reset()
}

// wrapped prints text after label, wrapped at word boundaries to lines of about width
// characters, continuation lines indented to the text.
func (t *tourRun) wrapped(label, text string) {
	const width = 100
	indent := strings.Repeat(" ", len([]rune(label)))
	line, n := label, len([]rune(label))
	for i, w := range strings.Fields(text) {
		wl := len([]rune(w))
		if i > 0 && n+1+wl > width {
			t.printf("%s", line)
			line, n = indent+w, len(indent)+wl
			continue
		}
		if i > 0 {
			line, n = line+" ", n+1
		}
		line, n = line+w, n+wl
	}
	t.printf("%s", line)
}

// name is the tour's label for a participant.
func (t *tourRun) name(id osallisuus.ParticipantID) string {
	if n, ok := t.names[id]; ok {
		return n
	}
	return id.String()[:8]
}

// status says whether something was made now or found from an earlier run.
func (t *tourRun) status(created bool) string {
	if created {
		return "new"
	}
	t.reused++
	return "reused"
}

func (t *tourRun) finish(d time.Duration) {
	t.printf("")
	switch {
	case t.reopened:
		t.printf("Valmis · Klart · Done: data from an earlier run was reused (%d items found instead of created).", t.reused)
	case t.dsn == "" || t.dsn == ":memory:":
		t.printf("Valmis · Klart · Done: the database was in memory and is gone now; give --db a file to keep the data.")
	default:
		t.printf("Valmis · Klart · Done: the data is stored in %s. Run the tour again: it reuses the data.", redactDSN(t.dsn))
	}
	t.printf("(took %s)", d.Round(time.Millisecond))
}
