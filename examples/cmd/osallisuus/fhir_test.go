package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/participation/fhir"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

func consentScenario(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(participationtest.SharedDir(t), "spec", "consent-scenarios", name+".json")
	_, err := os.Stat(path)
	require.NoError(t, err, "shared scenario %s", name)
	return path
}

func runCLI(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestConsentFHIRExportPrintsTheSubjectsResources(t *testing.T) {
	file := consentScenario(t, "explicit-purpose-oral-grant")
	out, stderr, code := runCLI("consent", "fhir", "export", "--subject", "p1", "--at", "2026-03-03T12:00:00+02:00", file)
	require.Equal(t, 0, code, stderr)
	var res []fhir.Consent
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 1)
	c := res[0]
	assert.Equal(t, "inactive", c.Status, "an oral grant for an explicit purpose is not-explicit")
	assert.Equal(t, "permit", c.Decision)
	assert.Equal(t, "p1", c.Subject.Identifier.Value, "the scenario's id is the identifier value")
	assert.Equal(t, "Patient", c.Grantor[0].Type)
	require.Len(t, c.Verification, 1)
	assert.Equal(t, "staff1", c.Verification[0].VerifiedBy.Identifier.Value)
	assert.Equal(t, "2026-03-02T13:00:00+02:00", c.Period.Start)

	out, _, code = runCLI("consent", "fhir", "export", file, "--at", "2026-03-17T12:00:00+02:00", "--subject", "p1")
	require.Equal(t, 0, code, "flags may follow the file")
	var later []fhir.Consent
	require.NoError(t, json.Unmarshal([]byte(out), &later))
	require.Len(t, later, 1)
	assert.Equal(t, "active", later[0].Status, "the later written grant decides")
	assert.Empty(t, later[0].Verification)

	out, _, code = runCLI("consent", "fhir", "export", "--subject", "p1", "--at", "2026-01-01T00:00:00Z", file)
	require.Equal(t, 0, code)
	assert.JSONEq(t, "[]", out, "nothing before the first event")
}

func TestConsentFHIRExportValidatesAsE2(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, tc := range []struct{ scenario, subject, at string }{
		{"explicit-purpose-oral-grant", "p1", "2026-03-03T12:00:00+02:00"},
		{"guardian-for-young-child", "p1", "2026-02-05T12:00:00+02:00"},
		{"scope-global-and-scoped", "p1", "2100-01-01T00:00:00Z"},
		{"withdraw-not-retroactive", "p1", "2100-01-01T00:00:00Z"},
		{"expiry", "p1", "2100-01-01T00:00:00Z"},
	} {
		out, stderr, code := runCLI("consent", "fhir", "export", "--subject", tc.subject, "--at", tc.at, consentScenario(t, tc.scenario))
		require.Equal(t, 0, code, stderr)
		path := filepath.Join(dir, tc.scenario+".json")
		require.NoError(t, os.WriteFile(path, []byte(out), 0o600))
		files = append(files, path)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 is not installed: the validator did not run; TestConsentFHIRExportPrintsTheSubjectsResources checks the structure")
		return
	}
	tool := filepath.Join(participationtest.SharedDir(t), "tools", "validate_fhir_consent.py")
	msg, err := exec.Command(py, append([]string{tool, "--e2"}, files...)...).CombinedOutput()
	require.NoError(t, err, "validator:\n%s", msg)
	assert.Contains(t, string(msg), " 0 problems")
}

func TestConsentFHIRImportPrintsScenarioEvents(t *testing.T) {
	file := consentScenario(t, "explicit-purpose-oral-grant")
	exported, stderr, code := runCLI("consent", "fhir", "export", "--subject", "p1", "--at", "2026-03-03T12:00:00+02:00", file)
	require.Equal(t, 0, code, stderr)
	path := filepath.Join(t.TempDir(), "export.json")
	require.NoError(t, os.WriteFile(path, []byte(exported), 0o600))

	out, stderr, code := runCLI("consent", "fhir", "import", path)
	require.Equal(t, 0, code, stderr)
	participationtest.CompareLines(t, []byte(out), []byte(`{"at":"2026-03-02T13:00:00+02:00","subject":"p1","by":"p1",`+
		`"recordedBy":"staff1","action":"grant","purpose":"experience-data","scope":"","method":"oral",`+
		`"noticeVersion":1,"noticeHash":"","validUntil":""}`+"\n"))
	var ev participationtest.ScenarioEvent
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&ev), "each line is a scenario event")
	}
}

func TestConsentFHIRImportRefusesHL7ExamplesNamingThePath(t *testing.T) {
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "fhir-consent-examples")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 12)
	for _, f := range files {
		out, stderr, code := runCLI("consent", "fhir", "import", f)
		assert.Equal(t, 1, code, f)
		assert.Empty(t, out, "nothing imported partially")
		assert.Contains(t, stderr, f)
		assert.Contains(t, stderr, `"field":"subject.identifier"`)
	}
}

func TestConsentFHIRUsageAndInputErrors(t *testing.T) {
	file := consentScenario(t, "guardian-for-young-child")
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"name":"bad","polcy":{}}`), 0o600))
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"no subcommand", []string{"consent", "fhir"}, 2, "usage"},
		{"an unknown subcommand", []string{"consent", "fhir", "convert"}, 2, "convert"},
		{"export without a subject", []string{"consent", "fhir", "export", "--at", "2026-01-01T00:00:00Z", file}, 2, "usage"},
		{"export without a file", []string{"consent", "fhir", "export", "--subject", "p1", "--at", "2026-01-01T00:00:00Z"}, 2, "usage"},
		{"export at a time without an offset", []string{"consent", "fhir", "export", "--subject", "p1", "--at", "2026-01-01T00:00:00", file}, 2, "--at"},
		{"export of an unknown flag", []string{"consent", "fhir", "export", "--subjet", "p1", file}, 2, "subjet"},
		{"export of a subject not in the file", []string{"consent", "fhir", "export", "--subject", "nobody", "--at", "2026-01-01T00:00:00Z", file}, 1, "nobody"},
		{"export of a malformed scenario", []string{"consent", "fhir", "export", "--subject", "p1", "--at", "2026-01-01T00:00:00Z", bad}, 1, "polcy"},
		{"import of a missing file", []string{"consent", "fhir", "import", filepath.Join(t.TempDir(), "none.json")}, 1, "none.json"},
		{"import of two files", []string{"consent", "fhir", "import", file, file}, 2, "usage"},
		{"import of something that is not a Consent", []string{"consent", "fhir", "import", file}, 1, `"field":"resourceType"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCLI(tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, out)
			assert.Contains(t, stderr, tt.inStderr)
		})
	}
}

func TestConsentEvalStillRuns(t *testing.T) {
	out, stderr, code := runCLI("consent", "eval", consentScenario(t, "guardian-for-young-child"))
	require.Equal(t, 0, code, stderr)
	assert.NotEmpty(t, out)
}

// TestConsentFHIRRoundTripThroughAScenario exports a subject, imports the resources as
// scenario events, puts them in place of the scenario's events and exports again: the
// output is the same, byte for byte.
func TestConsentFHIRRoundTripThroughAScenario(t *testing.T) {
	for _, tc := range []struct{ scenario, at string }{
		{"explicit-purpose-oral-grant", "2026-03-03T12:00:00+02:00"},
		{"guardian-for-young-child", "2026-02-05T12:00:00+02:00"},
		{"scope-global-and-scoped", "2100-01-01T00:00:00Z"},
		{"withdraw-not-retroactive", "2100-01-01T00:00:00Z"},
		{"expiry", "2026-07-01T00:00:00Z"},
		{"refuse", "2100-01-01T00:00:00Z"},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			file := consentScenario(t, tc.scenario)
			first, stderr, code := runCLI("consent", "fhir", "export", "--subject", "p1", "--at", tc.at, file)
			require.Equal(t, 0, code, stderr)
			dir := t.TempDir()
			exported := filepath.Join(dir, "export.json")
			require.NoError(t, os.WriteFile(exported, []byte(first), 0o600))
			lines, stderr, code := runCLI("consent", "fhir", "import", exported)
			require.Equal(t, 0, code, stderr)

			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			var sc map[string]any
			require.NoError(t, json.Unmarshal(raw, &sc))
			var events []any
			for _, line := range strings.Split(strings.TrimSpace(lines), "\n") {
				var ev any
				require.NoError(t, json.Unmarshal([]byte(line), &ev))
				events = append(events, ev)
			}
			sc["events"] = events
			b, err := json.Marshal(sc)
			require.NoError(t, err)
			rebuilt := filepath.Join(dir, "rebuilt.json")
			require.NoError(t, os.WriteFile(rebuilt, b, 0o600))

			second, stderr, code := runCLI("consent", "fhir", "export", "--subject", "p1", "--at", tc.at, rebuilt)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, first, second)
			assert.NotEqual(t, "[]\n", first, "the case exports something")
		})
	}
}
