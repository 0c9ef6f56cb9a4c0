package participationtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

const validActivities = `{
  "name": "ok", "description": "a valid base",
  "policy": {"purposes": [{"name": "contact"}, {"name": "participation", "basis": "public-task"}]},
  "people": [{"id": "c1", "birthDate": "1980-04-04"}],
  "settings": {"suppression": 5},
  "organisations": [{"id": "county", "sector": "public"}, {"id": "unit", "parent": "county"}],
  "projects": [{"id": "p1", "organisation": "unit", "planDate": "2026-03-15"}],
  "activities": [{"id": "ws", "organisation": "county", "project": "p1", "kind": "workshop",
                  "phase": "planning", "level": "involve", "start": "2026-03-15", "languages": ["fi"]}],
  "steps": [{"at": "2026-03-01T09:00:00+02:00", "op": "create", "activity": "ws"},
            {"at": "2026-03-15T10:00:00+02:00", "op": "record-participation", "activity": "ws", "who": "c1", "role": "customer"},
            {"at": "2026-03-16T10:00:00+02:00", "op": "early-involvement"}]
}`

func TestEvalActivityScenarioRefusesMalformedFiles(t *testing.T) {
	tests := []struct {
		name, from, to, field string
	}{
		{"a misspelt step field", `"op": "create", "activity"`, `"op": "create", "activty"`, "activty"},
		{"a field the op does not take", `"op": "create", "activity": "ws"`, `"op": "create", "activity": "ws", "who": "c1"`, "steps[0].who"},
		{"an unknown op", `"op": "early-involvement"`, `"op": "early"`, "steps[2].op"},
		{"a step without at", `{"at": "2026-03-16T10:00:00+02:00", `, `{`, "steps[2].at"},
		{"a step before the previous one", `"2026-03-16T10:00:00+02:00"`, `"2026-03-14T10:00:00+02:00"`, "steps[2].at"},
		{"a settings purpose not in the policy", `"suppression": 5`, `"participationPurpose": "research"`, "settings.participationPurpose"},
		{"a suppression threshold below one", `"suppression": 5`, `"suppression": 0`, "settings.suppression"},
		{"a string for a number", `"suppression": 5`, `"suppression": "5"`, "settings.suppression"},
		{"a repeated organisation id", `{"id": "unit", "parent"`, `{"id": "county", "parent"`, "organisations[1].id"},
		{"an id outside the grammar", `{"id": "unit", "parent": "county"}`, `{"id": "the unit", "parent": "county"}`, "organisations[1].id"},
		{"a root without a sector", `"sector": "public"`, `"sector": ""`, "organisations[0].sector"},
		{"a unit in another sector", `"parent": "county"}`, `"parent": "county", "sector": "third"}`, "organisations[1].sector"},
		{"an unknown parent", `"parent": "county"`, `"parent": "region"`, "organisations[1].parent"},
		{"a cycle of parents", `{"id": "county", "sector": "public"}`, `{"id": "county", "sector": "public", "parent": "unit"}`, "organisations[0].parent"},
		{"a project of an unknown organisation", `"organisation": "unit", "planDate"`, `"organisation": "ngo", "planDate"`, "projects[0].organisation"},
		{"a plan date that is no date", `"planDate": "2026-03-15"`, `"planDate": "2026-02-30"`, "projects[0].planDate"},
		{"an activity of an unknown project", `"project": "p1", "kind"`, `"project": "p2", "kind"`, "activities[0].project"},
		{"an activity without organisation", `"organisation": "county", "project"`, `"project"`, "activities[0].organisation"},
		{"an outcome text in German", `"op": "early-involvement"`, `"op": "record-outcome", "activity": "ws", "text": {"de": "x"}`, "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, validActivities, tt.from)
			var out bytes.Buffer
			err := participationtest.EvalActivityScenario(strings.NewReader(strings.Replace(validActivities, tt.from, tt.to, 1)), &out)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			require.True(t, ok, "want a *osallisuus.ValidationError, got %v", err)
			assert.True(t, ve.Has(tt.field), "the error %v does not name %s", err, tt.field)
			assert.Zero(t, out.Len(), "a malformed file writes nothing")
		})
	}
}

func TestEvalActivityScenarioBadValuesAreResults(t *testing.T) {
	bad := strings.Replace(validActivities, `"languages": ["fi"]`, `"languages": ["fi", "fi"], "end": "2026-03-14"`, 1)
	var out bytes.Buffer
	require.NoError(t, participationtest.EvalActivityScenario(strings.NewReader(bad), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	assert.JSONEq(t, `{"step":0,"ok":false,"error":"invalid"}`, lines[0], "activity values are create's to refuse")
	assert.JSONEq(t, `{"step":1,"ok":false,"error":"not-found"}`, lines[1], "the activity was never created")
}

func TestEvalActivityScenarioWorkedExample(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, participationtest.EvalActivityScenario(strings.NewReader(validActivities), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	assert.JSONEq(t, `{"step":2,"ok":true,
		"projects":[{"project":"p1","organisation":"unit","early":true,"people":"<5"}],
		"organisations":[{"organisation":"county","projects":1,"early":1,"share":100,"people":"<5"},
		                 {"organisation":"unit","projects":1,"early":1,"share":100,"people":"<5"}],
		"sectors":[{"sector":"public","projects":1,"early":1,"share":100,"people":"<5"},
		           {"sector":"private","projects":0,"early":0,"share":null,"people":0},
		           {"sector":"third","projects":0,"early":0,"share":null,"people":0}],
		"total":{"projects":1,"early":1,"share":100,"people":"<5"}}`, lines[2])
	assert.Contains(t, lines[2], `"<5"`, "hidden counts are written without HTML escaping")
}

func FuzzEvalActivityScenario(f *testing.F) {
	f.Add([]byte(validActivities))
	f.Add([]byte(`{"name":"x","policy":{"purposes":[{"name":"contact"},{"name":"participation"}]},"steps":[{"at":"2026-01-01T00:00:00Z","op":"no-outcome","days":-1}]}`))
	dir := filepath.Join(participationtest.SharedDir(f), "spec", "activities-scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var first bytes.Buffer
		err := participationtest.EvalActivityScenario(bytes.NewReader(data), &first)
		if err != nil {
			if !errors.Is(err, osallisuus.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid: a file is evaluated or malformed", err)
			}
			if first.Len() != 0 {
				t.Fatalf("wrote %d bytes for a malformed file", first.Len())
			}
			return
		}
		var sc struct {
			Steps []json.RawMessage `json:"steps"`
		}
		if err := json.Unmarshal(data, &sc); err != nil {
			t.Fatalf("evaluated a file encoding/json cannot read: %v", err)
		}
		lines := strings.Split(strings.TrimSuffix(first.String(), "\n"), "\n")
		if first.Len() == 0 {
			lines = nil
		}
		if len(lines) != len(sc.Steps) {
			t.Fatalf("%d lines for %d steps: one line per step", len(lines), len(sc.Steps))
		}
		for i, line := range lines {
			var v struct {
				Step *int `json:"step"`
				OK   *bool
			}
			if err := json.Unmarshal([]byte(line), &v); err != nil || v.Step == nil || *v.Step != i || v.OK == nil {
				t.Fatalf("line %d is not a step line: %s", i, line)
			}
		}
		var second bytes.Buffer
		if err := participationtest.EvalActivityScenario(bytes.NewReader(data), &second); err != nil || second.String() != first.String() {
			t.Fatalf("a second run differs (err %v): the output must not depend on generated IDs", err)
		}
	})
}

// FuzzDecodeActivityScenario: the decoder never panics, and a file it accepts, written
// back as JSON, is accepted again and reads the same (a round trip).
func FuzzDecodeActivityScenario(f *testing.F) {
	f.Add([]byte(validActivities))
	f.Add([]byte(`{"name":"x","policy":{"purposes":[{"name":"contact"},{"name":"participation"}]},"steps":[{"at":"2026-01-01T00:00:00Z","op":"record-outcome","text":{"sv":"x"},"proposals":[]}]}`))
	f.Add([]byte(`{"name":"x","steps":[{"op":"cancel","who":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := participationtest.DecodeActivityScenario(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, osallisuus.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		first, err := json.Marshal(sc)
		require.NoError(t, err)
		again, err := participationtest.DecodeActivityScenario(bytes.NewReader(first))
		require.NoError(t, err, "an accepted file written back is refused: %s", first)
		second, err := json.Marshal(again)
		require.NoError(t, err)
		require.JSONEq(t, string(first), string(second))
	})
}

func TestActivityScenariosOfOurOwn(t *testing.T) {
	participationtest.RunActivityScenarios(t, filepath.Join("testdata", "activity-scenarios"),
		func(*testing.T) participation.ActivityStore { return memstore.New() })
}
