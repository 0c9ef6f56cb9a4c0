package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

func panelSamples(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "panel-scenarios")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no panel scenarios in %s: %v", dir, err)
	}
	return files
}

func TestPanelEvalPrintsEveryFileInOrder(t *testing.T) {
	files := panelSamples(t)
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"panel", "eval"}, files...), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	var want []byte
	for _, f := range files {
		b, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".want.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b...)
	}
	participationtest.CompareLines(t, stdout.Bytes(), want)
}

func TestPanelEvalMalformedFileExitsOneAndOthersStillRun(t *testing.T) {
	files := panelSamples(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "bad", "policy": {"purposes": [{"name": "p"}]},
		"steps": [{"at": "2026-01-01T00:00:00Z", "op": "join", "panel": "f", "who": "a", "role": "chair"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"panel", "eval", bad, files[0]}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a malformed file", code)
	}
	if !strings.Contains(stderr.String(), bad) || !strings.Contains(stderr.String(), "steps[0].role") {
		t.Errorf("stderr %q does not name the bad file and the field a join does not take", stderr.String())
	}
	want, err := os.ReadFile(strings.TrimSuffix(files[0], ".json") + ".want.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	participationtest.CompareLines(t, stdout.Bytes(), want)
}

func TestPanelUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"panel"}, {"panel", "eval"}, {"panel", "judge", "x.json"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
		if stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("run(%q): stdout %q, stderr %q; want usage on stderr only", args, stdout.String(), stderr.String())
		}
	}
}
