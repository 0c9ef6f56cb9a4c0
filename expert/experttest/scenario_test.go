package experttest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert/experttest"
)

func samples(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "spec", "expert-scenarios", "*.json"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"name":"x","experts":[{"id":"a","state":"active"}],"requests":[{"id":"r","now":"2026-03-01T09:00:00+02:00","unit":"u","taskType":"talk","start":"2026-03-02T09:00:00+02:00","minutes":60,"location":"remote","language":"fi","needed":1}]}`))
	f.Add([]byte(`{"name":"x","settings":{"payroll":{"monthsAfter":0}},"schedules":[{"id":"s","validFrom":"2026-01-01","rates":{"talk":{"basis":"hourly","centsPerHour":1000}},"lateCancelHours":24,"lateCancelPercent":50}],"experts":[{"id":"a","state":"active"}],"assignments":[{"id":"x","expert":"a","taskType":"talk","start":"2026-03-02T09:00:00+02:00","minutes":60,"cancelledByUnitAt":"2026-03-02T08:00:00+02:00"}]}`))
}

// check asserts the runner's contract on any input: no panic; a malformed file is an
// ErrInvalid and writes nothing; otherwise every line is a JSON object and a second run
// writes the same bytes (the rules are pure).
func check(t *testing.T, data []byte, eval func(r *bytes.Reader, w *bytes.Buffer) error) {
	var out bytes.Buffer
	err := eval(bytes.NewReader(data), &out)
	if err != nil {
		if !errors.Is(err, osallisuus.ErrInvalid) {
			t.Fatalf("error %v does not match ErrInvalid", err)
		}
		if out.Len() != 0 {
			t.Fatalf("wrote %q for a malformed file", out.String())
		}
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", line, err)
		}
	}
	var again bytes.Buffer
	if err := eval(bytes.NewReader(data), &again); err != nil || !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Fatalf("second run differs (err %v): the rules are pure", err)
	}
}

func FuzzEvalMatchScenario(f *testing.F) {
	samples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, func(r *bytes.Reader, w *bytes.Buffer) error { return experttest.EvalMatchScenario(r, w) })
	})
}

func FuzzEvalFeeScenario(f *testing.F) {
	samples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, func(r *bytes.Reader, w *bytes.Buffer) error { return experttest.EvalFeeScenario(r, w) })
	})
}

func TestMalformedFiles(t *testing.T) {
	base := `{"name":"m","settings":{"requiredChecks":["agreement"]},
	"experts":[{"id":"a","state":"active","checks":[{"name":"agreement"}],"experience":[{"code":"mental-health","perspective":"own"}],"languages":["fi"],"areas":["turku"]}],
	"requests":[{"id":"r1","now":"2026-03-04T09:00:00+02:00","unit":"u1","taskType":"workshop","start":"2026-03-10T13:00:00+02:00","minutes":120,"location":"turku","language":"fi","needed":1}]}`
	tests := []struct {
		name, from, to, field string
	}{
		{"a fractional number", `"minutes":120`, `"minutes":120.5`, "requests.minutes"},
		{"a number in exponent form", `"needed":1`, `"needed":1e0`, "requests.needed"},
		{"a number as a string", `"needed":1`, `"needed":"1"`, "requests.needed"},
		{"needed zero", `"needed":1`, `"needed":0`, "requests[0].needed"},
		{"a task of zero minutes", `"minutes":120`, `"minutes":0`, "requests[0].minutes"},
		{"a bad instant", `"now":"2026-03-04T09:00:00+02:00"`, `"now":"2026-03-04 09:00"`, "requests[0].now"},
		{"a missing unit", `"unit":"u1",`, ``, "requests[0].unit"},
		{"an unknown state", `"state":"active"`, `"state":"busy"`, "experts[0].state"},
		{"a bad check name", `"checks":[{"name":"agreement"}]`, `"checks":[{"name":"custom:Bad"}]`, "experts[0].checks[0].name"},
		{"a duplicate check", `"checks":[{"name":"agreement"}]`, `"checks":[{"name":"agreement"},{"name":"agreement"}]`, "experts[0].checks[1].name"},
		{"an unknown experience code", `"code":"mental-health"`, `"code":"astrology"`, "experts[0].experience[0].code"},
		{"a duplicate required check", `["agreement"]`, `["agreement","agreement"]`, "settings.requiredChecks[1]"},
		{"perspectiveRequired without perspective", `"needed":1}`, `"needed":1,"perspectiveRequired":true}`, "requests[0].perspective"},
		{"an unavailable range ending before it starts", `"areas":["turku"]}`, `"areas":["turku"],"unavailable":[{"from":"2026-03-10","until":"2026-03-09"}]}`, "experts[0].unavailable[0].until"},
		{"a bad totals key", `"areas":["turku"]}`, `"areas":["turku"],"totals":{"2026-13":5}}`, "experts[0].totals.2026-13"},
		{"negative money", `"areas":["turku"]}`, `"areas":["turku"],"totals":{"2026-03":-5}}`, "experts[0].totals.2026-03"},
		{"a cap of zero cents", `"areas":["turku"]}`, `"areas":["turku"],"caps":{"earnings":[{"period":"month","cents":0}]}}`, "experts[0].caps.earnings[0].cents"},
		{"a bad weekly slot", `"areas":["turku"]}`, `"areas":["turku"],"weekly":["tue-night"]}`, "experts[0].weekly[0]"},
		{"an unknown task type in preferences", `"areas":["turku"]}`, `"areas":["turku"],"preferences":{"hackathon":"never"}}`, "experts[0].preferences.hackathon"},
		{"a duplicate expert", `"areas":["turku"]}]`, `"areas":["turku"]},{"id":"a","state":"active"}]`, "experts[1].id"},
		{"requests in a fees file", `"requests":`, `"assignments":[],"requests":`, "requests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.from, tt.to, 1)
			if src == base {
				t.Fatalf("fixture does not contain %q", tt.from)
			}
			var out bytes.Buffer
			eval := experttest.EvalMatchScenario
			if strings.Contains(src, `"assignments"`) {
				eval = experttest.EvalFeeScenario
			}
			err := eval(strings.NewReader(src), &out)
			if !errors.Is(err, osallisuus.ErrInvalid) {
				t.Fatalf("error %v, want ErrInvalid", err)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %q for a malformed file", out.String())
			}
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			if !ok {
				t.Fatalf("%T is not a *ValidationError", err)
			}
			found := false
			for _, p := range ve.Problems {
				found = found || p.Field == tt.field
			}
			if !found {
				t.Errorf("problems %v do not name %s", ve.Problems, tt.field)
			}
		})
	}
}

// TestHardScenarios pins cases worked out by hand from spec §16 beyond the published
// samples: DST night tasks, window and pause boundaries, two earnings caps with an
// assignment cap, payment calendars, late cancellations, expenses toward caps, unpriced
// vehicles and schedule boundaries.
func TestHardScenarios(t *testing.T) {
	experttest.RunExpertScenarios(t, "testdata")
}
