package paneltest

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/osallisuus/osallisuus"
)

var fuzzSeeds = []string{
	`{"name":"x","description":"d","policy":{"purposes":[{"name":"p"}]},"people":[{"id":"a","birthDate":"1980-01-01"}],` +
		`"events":[{"at":"2026-01-01T09:00:00+02:00","subject":"a","by":"a","action":"grant","purpose":"p","method":"written","noticeVersion":1}],` +
		`"profiles":[{"id":"a","language":"sv"}],"eligibility":[{"panel":"f","who":"a","reasons":["r"]}],` +
		`"panels":[{"id":"f","kind":"permanent","audience":"adults","purpose":"p","seats":{"user":{"max":1}},"waitlist":{"enabled":true}}],` +
		`"steps":[{"at":"2026-01-02T09:00:00+02:00","op":"create","panel":"f"},{"at":"2026-01-02T09:00:00+02:00","op":"open","panel":"f"},` +
		`{"at":"2026-01-02T10:00:00+02:00","op":"join","panel":"f","who":"a","priority":2},{"at":"2026-01-03T10:00:00+02:00","op":"report","panel":"f","of":"roster"}]}`,
	`{"name":"x","policy":{"purposes":[{"name":"p"}]},"panels":[{"id":"f","kind":"temporary","term":{"policy":"council-term","calendar":[{"from":"2025-06-01","until":"2029-05-31"}]}}],` +
		`"steps":[{"at":"2026-01-01T00:00:00Z","op":"select","call":"c","method":"random-draw","seed":[1,18446744073709551615]}]}`,
	`{"name":"x","policy":{"purposes":[{"name":"p"}]},"steps":[{"at":"2026-01-01T00:00:00Z","op":"hold","meeting":"m","attendance":{"a":"present"}}]}`,
	`{"steps":[{"op":"join"}]}`,
	`[]`,
}

// FuzzDecodeScenario checks the scenario decoder (spec/panel.md §12.7) on any input: no
// panic; a refusal always matches ErrInvalid; an accepted file has one decoded step per
// step, with known ops and instants in order.
func FuzzDecodeScenario(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := decode(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, osallisuus.ErrInvalid) {
				t.Fatalf("decode refused with %v; every refusal must match ErrInvalid", err)
			}
			return
		}
		if len(sc.steps) != len(sc.Steps) {
			t.Fatalf("%d steps decoded of %d", len(sc.steps), len(sc.Steps))
		}
		for i, st := range sc.steps {
			if _, ok := opFields[st.Op]; !ok {
				t.Fatalf("step %d has unknown op %q", i, st.Op)
			}
			if i > 0 && st.at.Before(sc.steps[i-1].at) {
				t.Fatalf("step %d is before step %d", i, i-1)
			}
		}
	})
}

// FuzzEvalPanelScenario checks the whole runner on any input: no panic; either an error
// and no output, or one JSON line per step, numbered from 0, each with a boolean ok; and
// the same input gives the same output again.
func FuzzEvalPanelScenario(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		if err := EvalPanelScenario(bytes.NewReader(data), &out); err != nil {
			if out.Len() != 0 {
				t.Fatalf("error %v with output %q: a failing file writes nothing", err, out.String())
			}
			return
		}
		dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
		n := 0
		for ; dec.More(); n++ {
			var line struct {
				Step *int  `json:"step"`
				OK   *bool `json:"ok"`
			}
			if err := dec.Decode(&line); err != nil {
				t.Fatalf("line %d is not JSON: %v", n, err)
			}
			if line.Step == nil || *line.Step != n || line.OK == nil {
				t.Fatalf("line %d lacks step %d or ok", n, n)
			}
		}
		var again bytes.Buffer
		if err := EvalPanelScenario(bytes.NewReader(data), &again); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
			t.Fatalf("a second run gave %q, %v; want the same output", again.String(), err)
		}
	})
}
