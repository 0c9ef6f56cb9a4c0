package experttest

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// RunExpertScenarios runs every NAME.json in dir as a subtest against NAME.want.jsonl
// (spec/expert.md §16.4): a file whose top-level object has "assignments" through
// [EvalFeeScenario], any other through [EvalMatchScenario]. Lines compare as JSON values,
// in order; a want file holding {"malformed":true} expects an error matching
// osallisuus.ErrInvalid and no output. It fails, never skips, when dir is missing or
// holds no scenario.
func RunExpertScenarios(t *testing.T, dir string) {
	t.Helper()
	participationtest.RunScenarioDir(t, dir, func(t *testing.T, r *os.File, w *bytes.Buffer) error {
		return EvalScenario(r, w)
	})
}

// EvalScenario reads one scenario file and evaluates it as a fees file when its top-level
// object has "assignments", else as a match file.
func EvalScenario(r io.Reader, w io.Writer) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) == nil {
		if _, ok := top["assignments"]; ok {
			return EvalFeeScenario(bytes.NewReader(data), w)
		}
	}
	return EvalMatchScenario(bytes.NewReader(data), w)
}
