package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

func consentSamples(t *testing.T) (string, []string) {
	t.Helper()
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "consent-scenarios")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no consent scenarios in %s: %v", dir, err)
	}
	return dir, files
}

func TestConsentEvalPrintsEveryFileInOrder(t *testing.T) {
	_, files := consentSamples(t)
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"consent", "eval"}, files...), &stdout, &stderr); code != 0 {
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

func TestConsentEvalMalformedFileExitsOneAndOthersStillRun(t *testing.T) {
	_, files := consentSamples(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "bad", "unknownField": true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.json")
	var stdout, stderr bytes.Buffer
	code := run([]string{"consent", "eval", bad, files[0], missing}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a malformed or unreadable file", code)
	}
	if !strings.Contains(stderr.String(), bad) || !strings.Contains(stderr.String(), "unknownField") || !strings.Contains(stderr.String(), missing) {
		t.Errorf("stderr %q does not name the bad files and the field", stderr.String())
	}
	want, err := os.ReadFile(strings.TrimSuffix(files[0], ".json") + ".want.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	participationtest.CompareLines(t, stdout.Bytes(), want)
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{nil, {"consent"}, {"consent", "eval"}, {"consent", "judge", "x.json"}, {"no-such-command"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
		if stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("run(%q): stdout %q, stderr %q; want usage on stderr only", args, stdout.String(), stderr.String())
		}
	}
	var stdout bytes.Buffer
	if code := run([]string{"help"}, &stdout, &stdout); code != 0 || !strings.Contains(stdout.String(), "consent eval") {
		t.Errorf("help: %d, %q", code, stdout.String())
	}
}
