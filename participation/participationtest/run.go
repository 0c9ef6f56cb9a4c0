package participationtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// RunConsentScenarios runs every NAME.json in dir as a subtest against NAME.want.jsonl
// (spec/consent.md §9–11), registering the scenario's people, representations and
// assessments and appending its events through stores from newStores, so every store
// implementation is checked against the scenarios too. Lines are compared as JSON values,
// in order. A want file holding {"malformed":true} expects an error matching
// osallisuus.ErrInvalid and no output. It fails, never skips, when dir is missing or
// holds no scenario.
func RunConsentScenarios(t *testing.T, dir string, newStores func(*testing.T) participation.Stores) {
	t.Helper()
	RunScenarioDir(t, dir, func(t *testing.T, r *os.File, w *bytes.Buffer) error {
		return evalConsentScenario(t.Context(), r, w, newStores(t))
	})
}

// RunScenarioDir runs eval on every NAME.json in dir as a subtest and compares what it
// writes with NAME.want.jsonl as RunConsentScenarios describes. The panel, expert and
// activities runners share it.
func RunScenarioDir(t *testing.T, dir string, eval func(t *testing.T, r *os.File, w *bytes.Buffer) error) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in %s (err %v): the folder must exist and hold NAME.json files", dir, err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(file, ".json") + ".want.jsonl")
			if err != nil {
				t.Fatalf("want file: %v", err)
			}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got bytes.Buffer
			evalErr := eval(t, f, &got)
			wantLines := jsonLines(t, want)
			if len(wantLines) == 1 && isMalformed(wantLines[0]) {
				if !errors.Is(evalErr, osallisuus.ErrInvalid) {
					t.Fatalf("error %v, want one matching ErrInvalid: the file is malformed", evalErr)
				}
				if got.Len() != 0 {
					t.Fatalf("wrote %q for a malformed file, want nothing", got.String())
				}
				return
			}
			if evalErr != nil {
				t.Fatalf("eval: %v", evalErr)
			}
			CompareLines(t, got.Bytes(), want)
		})
	}
}

// CompareLines compares JSON Lines as JSON values, line by line: the same count, order
// and values (key order and spacing do not matter).
func CompareLines(t *testing.T, got, want []byte) {
	t.Helper()
	g, w := jsonLines(t, got), jsonLines(t, want)
	for i := 0; i < max(len(g), len(w)); i++ {
		switch {
		case i >= len(g):
			t.Errorf("line %d missing, want %s", i+1, canon(w[i]))
		case i >= len(w):
			t.Errorf("line %d extra: %s", i+1, canon(g[i]))
		case canon(g[i]) != canon(w[i]):
			t.Errorf("line %d:\n got %s\nwant %s", i+1, canon(g[i]), canon(w[i]))
		}
	}
}

func jsonLines(t *testing.T, b []byte) []any {
	t.Helper()
	var out []any
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, line)
		}
		out = append(out, v)
	}
	return out
}

func canon(v any) string {
	b, _ := json.Marshal(v) // maps marshal with sorted keys
	return string(b)
}

func isMalformed(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 1 && m["malformed"] == true
}

// SharedDir returns the shared specification folder (../shared from the core module's
// root), found by walking up from the working directory to the directory whose go.mod
// declares the core module. It fails the test when there is none.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(b), "module github.com/osallisuus/osallisuus\n") {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("core module root not found above the working directory")
		}
		dir = parent
	}
}
