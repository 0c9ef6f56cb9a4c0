package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
)

// runCmd runs the command with args and returns the exit status and outputs.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// tourDB runs the tour into a fresh SQLite file and returns its path.
func tourDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "tour.db")
	code, out, stderr := runTourCmd(t, db)
	require.Equal(t, 0, code, "tour: %s\n%s", stderr, out)
	return db
}

// exportDoc runs participant export for the tour person key at the instant and returns
// the raw JSON and the decoded document, after checking it against the schema.
func exportDoc(t *testing.T, db, key, at string) (string, gdpr.Document) {
	t.Helper()
	code, out, stderr := runCmd("participant", "export", "--db", db, "--subject", personID(key).String(), "--at", at)
	require.Equal(t, 0, code, "export %s: %s", key, stderr)
	require.Empty(t, stderr)
	require.NoError(t, gdpr.Validate([]byte(out)), "export of %s", key)
	var doc gdpr.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	return out, doc
}

// erasure decodes participant erase's output.
func erasure(t *testing.T, out string) gdpr.Erasure {
	t.Helper()
	var e gdpr.Erasure
	require.NoError(t, json.Unmarshal([]byte(out), &e))
	return e
}

// report returns the report of one package.
func report(t *testing.T, e gdpr.Erasure, pkg string) osallisuus.ErasureReport {
	t.Helper()
	for _, r := range e.Reports {
		if r.Package == pkg {
			return r
		}
	}
	t.Fatalf("no %s report in %+v", pkg, e)
	return osallisuus.ErasureReport{}
}

func count(items []osallisuus.ItemCount, kind string) int {
	for _, c := range items {
		if c.Kind == kind {
			return c.Count
		}
	}
	return 0
}

func TestParticipantListShowsTheTourPeople(t *testing.T) {
	db := tourDB(t)
	code, out, stderr := runCmd("participant", "list", "--db", db)
	require.Equal(t, 0, code, stderr)
	labels := map[string]string{}
	for line := range strings.Lines(out) {
		var p struct {
			ID, Kind, TourLabel string
			Erased              bool
		}
		require.NoError(t, json.Unmarshal([]byte(line), &p), line)
		assert.NotEmpty(t, p.Kind)
		if p.TourLabel != "" {
			labels[p.ID] = p.TourLabel
		}
	}
	require.Len(t, labels, len(tourPeople)+1, "the tour's people and its visitor")
	assert.Equal(t, tourVisitor.label, labels[personID(tourVisitor.key).String()])
	for _, p := range tourPeople {
		assert.Equal(t, p.label, labels[personID(p.key).String()])
	}
}

func TestParticipantExportHoldsEachPackagesDataAboutThePersonOnly(t *testing.T) {
	db := tourDB(t)
	const at = "2026-04-01T09:00:00Z"

	raw, kalle := exportDoc(t, db, "kalle", at)
	assert.Equal(t, gdpr.SchemaID, kalle.Schema)
	assert.Equal(t, personID("kalle"), kalle.Subject)
	require.NotNil(t, kalle.Participation.Participant)
	assert.Equal(t, osallisuus.NewDate(1981, 3, 30), kalle.Participation.Participant.BirthDate)
	assert.NotEmpty(t, kalle.Participation.ConsentEvents, "the consents he gave")
	assert.NotEmpty(t, kalle.Participation.Consents, "the decisions at export time")
	require.Len(t, kalle.Expert.Experts, 1, "his expert record")
	assert.NotEmpty(t, kalle.Expert.Experts[0].Profile.Experience, "with his experience areas")
	assert.NotEmpty(t, kalle.Expert.Assignments, "the task he accepted")
	for _, other := range []string{"aada", "bertil", "liisa", "mikael", "noora"} {
		assert.NotContains(t, raw, personID(other).String(), "Kalle's export names %s", other)
	}

	_, aada := exportDoc(t, db, "aada", at)
	assert.NotEmpty(t, aada.Panel.Memberships, "Aada is a forum member")

	_, helmi := exportDoc(t, db, "helmi", at)
	require.NotEmpty(t, helmi.Participation.Representing, "Helmi is Ilona's guardian")
	assert.Equal(t, personID("ilona"), helmi.Participation.Representing[0].Subject)
}

func TestParticipantEraseBlanksKeepsProofAndIsIdempotent(t *testing.T) {
	db := tourDB(t)
	const at = "2026-04-01T09:00:00Z"
	bertilBefore, _ := exportDoc(t, db, "bertil", at)
	_, aadaBefore := exportDoc(t, db, "aada", at)
	events := len(aadaBefore.Participation.ConsentEvents)
	require.NotZero(t, events)

	code, out, stderr := runCmd("participant", "erase", "--db", db, "--subject", personID("aada").String(), "--at", at)
	require.Equal(t, 0, code, stderr)
	first := erasure(t, out)
	assert.Equal(t, personID("aada"), first.Subject)
	part := report(t, first, "participation")
	assert.Equal(t, 1, count(part.Erased, "participant-attributes"))
	var proof osallisuus.Retained
	for _, r := range part.Retained {
		if r.Kind == "consent-events" {
			proof = r
		}
	}
	assert.Equal(t, osallisuus.Retained{Kind: "consent-events", Count: events, Basis: osallisuus.BasisConsentProof,
		Until: osallisuus.NewDate(2029, 4, 1)}, proof, "the Art 7(1) proof, kept three years")
	assert.NotZero(t, count(report(t, first, "panel").Erased, "memberships"), "she leaves the forum")

	_, after := exportDoc(t, db, "aada", at)
	p := after.Participation.Participant
	require.NotNil(t, p)
	assert.True(t, p.Erased())
	assert.True(t, p.BirthDate.IsZero())
	assert.Empty(t, p.Language)
	assert.Len(t, after.Participation.ConsentEvents, events, "the proof stays until the retention job")
	assert.Empty(t, after.Panel.Memberships, "no membership links to her any more")
	for _, c := range after.Participation.Consents {
		assert.False(t, c.Allowed)
		assert.Equal(t, osallisuus.Reason("erased"), c.Reason)
	}

	code, out, stderr = runCmd("participant", "erase", "--db", db, "--subject", personID("aada").String(), "--at", "2026-04-02T09:00:00Z")
	require.Equal(t, 0, code, stderr)
	for _, r := range erasure(t, out).Reports {
		assert.Empty(t, r.Erased, "erasing again erases nothing in %s", r.Package)
	}

	bertilAfter, _ := exportDoc(t, db, "bertil", at)
	assert.JSONEq(t, bertilBefore, bertilAfter, "another person's data is untouched")

	code, _, stderr = runCmd("participant", "retention", "--db", db, "--at", "2029-04-01T20:59:59Z")
	require.Equal(t, 0, code, stderr)
	_, kept := exportDoc(t, db, "aada", "2029-04-01T21:00:00Z")
	assert.Len(t, kept.Participation.ConsentEvents, events, "the proof is kept through its last day")
	code, out, stderr = runCmd("participant", "retention", "--db", db, "--at", "2029-04-01T21:00:00Z")
	require.Equal(t, 0, code, stderr)
	var reports []osallisuus.RetentionReport
	require.NoError(t, json.Unmarshal([]byte(out), &reports))
	purged := 0
	for _, r := range reports {
		if r.Package == "participation" {
			purged = count(r.Purged, "consent-events")
		}
	}
	assert.Equal(t, events, purged, "the retention job purges the proof when its period ends")
	_, gone := exportDoc(t, db, "aada", "2029-04-02T10:00:00Z")
	assert.Empty(t, gone.Participation.ConsentEvents)
}

func TestParticipantCommandErrors(t *testing.T) {
	db := tourDB(t)
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no subcommand", []string{"participant"}, 2, "usage: osallisuus participant"},
		{"an unknown subcommand", []string{"participant", "forget"}, 2, `unknown subcommand "forget"`},
		{"export without a subject", []string{"participant", "export", "--db", db}, 2, "--subject ID is required"},
		{"a subject that is not an ID", []string{"participant", "erase", "--db", db, "--subject", "aada"}, 2, `--subject "aada" is not a participant ID`},
		{"an unknown subject", []string{"participant", "export", "--db", db, "--subject", "0196a9d1-0000-7000-8000-000000000000"}, 1, "no participant 0196a9d1-0000-7000-8000-000000000000"},
		{"a bad instant", []string{"participant", "retention", "--db", db, "--at", "tomorrow"}, 2, "--at"},
		{"no tour database", []string{"participant", "list", "--db", filepath.Join(t.TempDir(), "none.db")}, 1, "run `osallisuus tour --db"},
		{"an extra argument", []string{"participant", "list", "--db", db, "extra"}, 2, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runCmd(c.args...)
			assert.Equal(t, c.code, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, c.stderr)
			assert.Empty(t, out)
		})
	}
}

func TestParticipantSchemaPrintsTheSchema(t *testing.T) {
	code, out, stderr := runCmd("participant", "schema")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, string(gdpr.Schema), out)
	assert.True(t, json.Valid([]byte(out)))
}

func TestTourAfterAnErasureSaysToStartAFreshDatabase(t *testing.T) {
	db := tourDB(t)
	code, _, stderr := runCmd("participant", "erase", "--db", db, "--subject", personID("aada").String())
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runTourCmd(t, db)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "erasure cannot be undone: run the tour on a new database")
}

func TestParticipantExportAndEraseOnPostgreSQL(t *testing.T) {
	dsn := freshTourSchema(t)
	code, out, stderr := runTourCmd(t, dsn)
	require.Equal(t, 0, code, "tour: %s\n%s", stderr, out)
	const at = "2026-04-01T09:00:00Z"
	_, kalle := exportDoc(t, dsn, "kalle", at)
	require.Len(t, kalle.Expert.Experts, 1)

	code, out, stderr = runCmd("participant", "erase", "--db", dsn, "--subject", personID("kalle").String(), "--at", at)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 1, count(report(t, erasure(t, out), "expert").Erased, "expert-profiles"))
	_, after := exportDoc(t, dsn, "kalle", at)
	assert.True(t, after.Participation.Participant.Erased())
	require.Len(t, after.Expert.Experts, 1, "the record stays, for the payouts")
	assert.Empty(t, after.Expert.Experts[0].Profile.Experience, "without his experience areas")

	code, out, stderr = runCmd("participant", "erase", "--db", dsn, "--subject", personID("kalle").String(), "--at", at)
	require.Equal(t, 0, code, stderr)
	for _, r := range erasure(t, out).Reports {
		assert.Empty(t, r.Erased, r.Package)
	}
}
