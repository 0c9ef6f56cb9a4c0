package paneltest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/panel/paneltest"
)

// scenarioDir finds ../shared/spec/panel-scenarios next to the core module's root (the
// directory holding its go.mod), walking up from this package's directory.
func scenarioDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(b), "module github.com/osallisuus/osallisuus\n") {
			return filepath.Join(dir, "..", "shared", "spec", "panel-scenarios")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("core module root (go.mod of github.com/osallisuus/osallisuus) not found above the package")
		}
		dir = parent
	}
}

func TestPanelScenarios(t *testing.T) {
	paneltest.RunPanelScenarios(t, scenarioDir(t), func(*testing.T) panel.Store { return memstore.New() })
}

func TestEvalPanelScenarioRejectsMalformedFiles(t *testing.T) {
	base := `{"name":"x","description":"d","policy":{"purposes":[{"name":"p"}]},
	"people":[{"id":"a","birthDate":"1980-01-01"}],
	"panels":[{"id":"f","kind":"permanent","audience":"adults","purpose":"p","seats":{"user":{"max":2}}}],
	"steps":[STEPS]}`
	tests := []struct {
		name  string
		steps string
		file  string
		field string
	}{
		{"an unknown op is malformed", `{"at":"2026-01-01T10:00:00+02:00","op":"fly","panel":"f"}`, "", "steps[0].op"},
		{"a field the op does not take is malformed", `{"at":"2026-01-01T10:00:00+02:00","op":"create","panel":"f","who":"a"}`, "", "steps[0].who"},
		{"a step before the previous one is malformed", `{"at":"2026-01-02T10:00:00+02:00","op":"create","panel":"f"},{"at":"2026-01-01T10:00:00+02:00","op":"open","panel":"f"}`, "", "steps[1].at"},
		{"a missing at is malformed", `{"op":"create","panel":"f"}`, "", "steps[0].at"},
		{"a wrong JSON type is malformed", `{"at":"2026-01-01T10:00:00+02:00","op":"join","panel":"f","who":"a","priority":"high"}`, "", "steps[0].priority"},
		{"a seed of one word is malformed", `{"at":"2026-01-01T10:00:00+02:00","op":"select","call":"c","method":"random-draw","seed":[1]}`, "", "steps[0].seed"},
		{"a negative seed is malformed", `{"at":"2026-01-01T10:00:00+02:00","op":"select","call":"c","method":"random-draw","seed":[1,-2]}`, "", "steps[0].seed"},
		{"a repeated panel id is malformed", ``, strings.Replace(base, `"panels":[`, `"panels":[{"id":"f","kind":"permanent","audience":"adults","purpose":"p"},`, 1), "panels[1].id"},
		{"a purpose outside the policy is malformed", ``, strings.Replace(base, `"purpose":"p","seats"`, `"purpose":"q","seats"`, 1), "panels[0].purpose"},
		{"a profile of an unknown person is malformed", ``, strings.Replace(base, `"panels":[`, `"profiles":[{"id":"zz"}],"panels":[`, 1), "profiles[0].id"},
		{"eligibility without reasons is malformed", ``, strings.Replace(base, `"panels":[`, `"eligibility":[{"panel":"f","who":"a","reasons":[]}],"panels":[`, 1), "eligibility[0].reasons"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = strings.Replace(base, "STEPS", tt.steps, 1)
			} else {
				file = strings.Replace(file, "STEPS", "", 1)
			}
			var out bytes.Buffer
			err := paneltest.EvalPanelScenario(strings.NewReader(file), &out)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			require.True(t, ok, "error %v is not a *ValidationError", err)
			require.True(t, ve.Has(tt.field), "error %v does not name %s", err, tt.field)
			require.Zero(t, out.Len(), "a malformed file writes nothing")
		})
	}
}

// TestOwnScenarios runs the package's own, harder scenarios (testdata/scenarios): terms
// and renewals, priority waitlists with quotas and a DST offer deadline, a youth council
// with deputies, quorum and minutes, the selection methods, and report edge cases. Each
// want file was derived by hand from spec/panel.md §12.
func TestOwnScenarios(t *testing.T) {
	paneltest.RunPanelScenarios(t, "testdata/scenarios", func(*testing.T) panel.Store { return memstore.New() })
}
