package fhir_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
	"github.com/osallisuus/osallisuus/participation/memstore"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// exported is one export of one subject at one instant, from a consent scenario.
type exported struct {
	name      string
	policy    *participation.Policy
	subject   osallisuus.ParticipantID
	at        time.Time
	resources []fhir.Consent
}

type scenarioFile struct {
	participationtest.ConsentSections
	Queries []participationtest.ScenarioQuery `json:"queries"`
}

// scenarioExports exports every person of every well-formed shared consent scenario at
// every event's and query's instant and far in the future.
func scenarioExports(t *testing.T) []exported {
	t.Helper()
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "consent-scenarios")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no consent scenarios in %s", dir)
	ctx := context.Background()
	var out []exported
	for _, file := range files {
		f, err := os.Open(file)
		require.NoError(t, err)
		var sc scenarioFile
		err = participationtest.DecodeStrict(f, &sc)
		f.Close()
		if err != nil {
			continue // a malformed sample
		}
		w, err := sc.Setup(ctx, participation.StoresOf(memstore.New()))
		if err != nil {
			continue
		}
		_, err = w.RecordEvents(ctx, sc.Events)
		require.NoError(t, err)
		instants := []time.Time{instant(t, "2100-01-01T00:00:00Z")}
		for _, e := range sc.Events {
			if at, err := osallisuus.ParseInstant(e.At); err == nil {
				instants = append(instants, at)
			}
		}
		for _, q := range sc.Queries {
			if at, err := osallisuus.ParseInstant(q.At); err == nil {
				instants = append(instants, at)
			}
		}
		for _, p := range sc.People {
			id := w.ID(p.ID)
			events, err := participation.Collect(w.Stores.Ledger.Events(ctx, id))
			require.NoError(t, err)
			for _, at := range instants {
				res, err := fhir.Export(&sc.Policy, events, id, at, fhir.Options{})
				require.NoError(t, err)
				if len(res) > 0 {
					out = append(out, exported{fmt.Sprintf("%s/%s@%s", sc.Name, p.ID, osallisuus.FormatInstant(at)),
						&sc.Policy, id, at, res})
				}
			}
		}
	}
	require.Greater(t, len(out), 20, "the shared scenarios give enough exports to test")
	return out
}

func TestExportImportExportGivesTheSameResources(t *testing.T) {
	for _, x := range scenarioExports(t) {
		t.Run(x.name, func(t *testing.T) {
			data, err := json.Marshal(x.resources)
			require.NoError(t, err)
			events, err := fhir.Import(x.policy, data, fhir.Options{})
			require.NoError(t, err)
			require.Len(t, events, len(x.resources), "one event per resource")
			for i, ev := range events {
				assert.Equal(t, x.subject, ev.Subject)
				require.NoError(t, participation.ValidateConsentEvent(x.policy, ev), "event %d keeps R1", i)
			}
			again, err := fhir.Export(x.policy, ledger(events...), x.subject, x.at, fhir.Options{})
			require.NoError(t, err)
			assert.Equal(t, x.resources, again)
			againData, err := json.Marshal(again)
			require.NoError(t, err)
			assert.Equal(t, string(data), string(againData), "byte for byte")
		})
	}
}

// TestExportValidatesAsR5AndE2 runs the shared validator (HL7's R5 Consent definition and
// the E2 profile) on every scenario export. The Go tests above assert the same structure
// without Python.
func TestExportValidatesAsR5AndE2(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, x := range scenarioExports(t) {
		files = append(files, writeJSON(t, dir, fmt.Sprintf("export-%03d.json", i), x.resources))
	}
	out, code, ok := validate(t, true, files...)
	if !ok {
		t.Log("python3 is not installed: the validator did not run; the structural Go tests still hold")
		return
	}
	assert.Equal(t, 0, code, "validator output:\n%s", out)
	assert.Contains(t, out, " 0 problems")
	assert.NotContains(t, out, "e2:")
}

func TestValidatorRejectsABrokenExport(t *testing.T) {
	// The validator run above is only worth something if it can fail: a resource
	// without its required decision must be reported.
	x := scenarioExports(t)[0]
	broken := append([]fhir.Consent(nil), x.resources...)
	broken[0].Decision = ""
	out, code, ok := validate(t, true, writeJSON(t, t.TempDir(), "broken.json", broken))
	if !ok {
		t.Log("python3 is not installed")
		return
	}
	assert.Equal(t, 1, code)
	assert.True(t, strings.Contains(out, "decision"), "output names decision: %s", out)
}
