package fhir_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// Generated participants; no real people.
var (
	child    = osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000001")}
	guardian = osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000002")}
	nurse    = osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000003")}
	adult    = osallisuus.ParticipantID{UUID: uuid.MustParse("0190f1c2-0000-7000-8000-000000000004")}
)

func instant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := osallisuus.ParseInstant(s)
	require.NoError(t, err)
	return v
}

func testPolicy(t testing.TB) *participation.Policy {
	t.Helper()
	p := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P1Y"},
		{Name: "experience-data", Explicit: true},
		{Name: "newsletter", MinNoticeVersion: 2},
		{Name: "statistics", Basis: participation.BasisPublicTask},
	}}
	require.NoError(t, p.Validate())
	return p
}

// ledger numbers events in order, as a ledger's Append would.
func ledger(events ...participation.ConsentEvent) []participation.ConsentEvent {
	for i := range events {
		events[i].Seq = int64(i + 1)
	}
	return events
}

// validate runs HL7-derived validator of the shared tools on a JSON file when python3 is
// installed and returns its output; ok is false when python3 is missing.
func validate(t *testing.T, e2 bool, files ...string) (out string, code int, ok bool) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", 0, false
	}
	args := []string{filepath.Join(participationtest.SharedDir(t), "tools", "validate_fhir_consent.py")}
	if e2 {
		args = append(args, "--e2")
	}
	cmd := exec.Command(py, append(args, files...)...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err = cmd.Run()
	if ee, isExit := err.(*exec.ExitError); isExit {
		return buf.String(), ee.ExitCode(), true
	}
	require.NoError(t, err, "run validator")
	return buf.String(), 0, true
}

func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, b, 0o600))
	return path
}
