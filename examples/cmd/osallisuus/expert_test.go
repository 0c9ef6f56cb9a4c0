package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// expertSamples returns the published expert scenarios split by kind, as the sample
// comparer splits them: a top-level "assignments" makes a fees file.
func expertSamples(t *testing.T) (match, fees []string) {
	t.Helper()
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "expert-scenarios")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no expert scenarios in %s: %v", dir, err)
	}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "malformed-") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			t.Fatal(err)
		}
		if _, ok := top["assignments"]; ok {
			fees = append(fees, f)
		} else {
			match = append(match, f)
		}
	}
	return match, fees
}

func wantLines(t *testing.T, files []string) []byte {
	t.Helper()
	var want []byte
	for _, f := range files {
		b, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".want.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b...)
	}
	return want
}

func TestExpertMatchAndFeesPrintEveryFileInOrder(t *testing.T) {
	match, fees := expertSamples(t)
	for _, tc := range []struct {
		sub   string
		files []string
	}{{"match", match}, {"fees", fees}} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"expert", tc.sub}, tc.files...), &stdout, &stderr); code != 0 {
			t.Fatalf("expert %s: exit %d, stderr %s", tc.sub, code, stderr.String())
		}
		participationtest.CompareLines(t, stdout.Bytes(), wantLines(t, tc.files))
	}
}

func TestExpertMalformedFileExitsOneAndOthersStillRun(t *testing.T) {
	match, _ := expertSamples(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "bad", "experts": [{"id": "a", "state": "active", "langauges": ["fi"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"expert", "match", bad, match[0]}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a malformed file", code)
	}
	if !strings.Contains(stderr.String(), bad) || !strings.Contains(stderr.String(), "langauges") {
		t.Errorf("stderr %q does not name the bad file and the field", stderr.String())
	}
	participationtest.CompareLines(t, stdout.Bytes(), wantLines(t, match[:1]))
}

func TestExpertUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"expert"}, {"expert", "match"}, {"expert", "fees"}, {"expert", "rank", "x.json"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
		if stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("run(%q): stdout %q, stderr %q; want usage on stderr only", args, stdout.String(), stderr.String())
		}
	}
}
