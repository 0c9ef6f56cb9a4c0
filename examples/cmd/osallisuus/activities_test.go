package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

func activitySamples(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "activities-scenarios")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no activity scenarios in %s: %v", dir, err)
	}
	return files
}

func activityWant(t *testing.T, files ...string) []byte {
	t.Helper()
	var want []byte
	for _, f := range files {
		b, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".want.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"malformed"`) {
			continue
		}
		want = append(want, b...)
	}
	return want
}

func TestActivitiesEvalPrintsEveryWellFormedFileInOrder(t *testing.T) {
	files := activitySamples(t)
	var good []string
	for _, f := range files {
		if !strings.Contains(string(activityWant(t, f)), "step") {
			continue
		}
		good = append(good, f)
	}
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"activities", "eval"}, good...), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	participationtest.CompareLines(t, stdout.Bytes(), activityWant(t, good...))
}

func TestActivitiesEvalMalformedFileExitsOneAndOthersStillRun(t *testing.T) {
	files := activitySamples(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "bad", "policy": {"purposes": [{"name": "contact"}, {"name": "participation"}]},
		"steps": [{"at": "2026-01-01T10:00:00+02:00", "op": "roster", "activty": "x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	good := ""
	for _, f := range files {
		if strings.Contains(string(activityWant(t, f)), "step") {
			good = f
			break
		}
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"activities", "eval", bad, good}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a malformed file", code)
	}
	if !strings.Contains(stderr.String(), bad) || !strings.Contains(stderr.String(), "activty") {
		t.Errorf("stderr %q does not name the bad file and the field", stderr.String())
	}
	participationtest.CompareLines(t, stdout.Bytes(), activityWant(t, good))
}

func TestActivitiesUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"activities"}, {"activities", "eval"}, {"activities", "judge", "x.json"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
		if stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("run(%q): stdout %q, stderr %q; want usage on stderr only", args, stdout.String(), stderr.String())
		}
	}
}
