package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const specDir = "../../../../shared/spec"

// jsonLines parses each non-empty line of b as a JSON value.
func jsonLines(t *testing.T, b []byte) []any {
	t.Helper()
	var out []any
	for _, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var v any
		require.NoError(t, json.Unmarshal([]byte(line), &v), "line %q", line)
		out = append(out, v)
	}
	return out
}

// sameOnKeys compares got with want on every key want has (error text is free).
func sameOnKeys(t *testing.T, want, got any, where string) {
	t.Helper()
	w, ok1 := want.(map[string]any)
	g, ok2 := got.(map[string]any)
	require.True(t, ok1 && ok2, "%s: both lines must be objects", where)
	for k, v := range w {
		if k == "error" {
			assert.NotEmpty(t, g["error"], "%s: want an error", where)
			continue
		}
		assert.Equal(t, v, g[k], "%s: key %s", where, k)
	}
}

func runSamples(t *testing.T, dir, sub string) {
	files, err := filepath.Glob(filepath.Join(specDir, dir, "*.want.jsonl"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, wantPath := range files {
		name := strings.TrimSuffix(filepath.Base(wantPath), ".want.jsonl")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(specDir, dir, name+".jsonl"))
			require.NoError(t, err)
			wantB, err := os.ReadFile(wantPath)
			require.NoError(t, err)
			var out, errOut bytes.Buffer
			status := runFeedback([]string{sub}, bytes.NewReader(in), &out, &errOut)
			want, got := jsonLines(t, wantB), jsonLines(t, out.Bytes())
			require.Len(t, got, len(want), "output lines:\n%s", out.String())
			hasError := false
			for i := range want {
				sameOnKeys(t, want[i], got[i], name+" line "+string(rune('1'+i)))
				if m, _ := want[i].(map[string]any); m["error"] != nil && sub == "metrics" {
					hasError = true
				}
			}
			if sub == "metrics" {
				assert.Equal(t, hasError, status == 1, "exit 1 exactly when an error line was written")
			}
		})
	}
}

func TestFeedbackMetricsSamples(t *testing.T) { runSamples(t, "feedback-metrics-examples", "metrics") }
func TestFeedbackWorkflowSamples(t *testing.T) {
	runSamples(t, "feedback-workflow-examples", "workflow")
}

func TestFeedbackBadLinesGetErrorLinesInPlace(t *testing.T) {
	in := "{\"id\":\"a\",\"text\":\"Soita 040 123 4567\"}\nnot json\n\n{\"id\":\"c\"}\n{\"id\":\"d\",\"text\":\"ok\"}\n"
	var out, errOut bytes.Buffer
	status := runFeedback([]string{"redact"}, strings.NewReader(in), &out, &errOut)
	lines := jsonLines(t, out.Bytes())
	require.Len(t, lines, 4, "one output line per non-empty input line")
	assert.Equal(t, "Soita [phone]", lines[0].(map[string]any)["text"])
	assert.Nil(t, lines[1].(map[string]any)["id"])
	assert.NotEmpty(t, lines[1].(map[string]any)["error"])
	assert.Equal(t, "c", lines[2].(map[string]any)["id"])
	assert.NotEmpty(t, lines[2].(map[string]any)["error"])
	assert.Equal(t, "ok", lines[3].(map[string]any)["text"])
	assert.Equal(t, 1, status)
}

func TestCalendarDeadlineAndHolidays(t *testing.T) {
	var out, errOut bytes.Buffer
	in := `{"id":"a","from":"2033-04-14","businessDays":1}` + "\n" + `{"id":"b","from":"2033-06-23","businessDays":1}` + "\n"
	require.Equal(t, 0, runCalendar([]string{"deadline"}, strings.NewReader(in), &out, &errOut))
	assert.Equal(t, `{"id": "a", "due": "2033-04-19"}`+"\n"+`{"id": "b", "due": "2033-06-27"}`+"\n", out.String())

	out.Reset()
	require.Equal(t, 0, runCalendar([]string{"holidays", "2026", "2027"}, nil, &out, &errOut))
	lines := jsonLines(t, out.Bytes())
	require.Len(t, lines, 30, "15 named days a year")
	assert.Equal(t, "2026-01-01", lines[0].(map[string]any)["date"])
	assert.Equal(t, "non-working", lines[8].(map[string]any)["kind"], "Midsummer Eve")
	assert.Equal(t, 2, runCalendar([]string{"holidays", "x"}, nil, &out, &errOut))
}

// TestScoreFeedbackClassify runs the acceptance scorer on the public examples when
// python3 is available (the machine that runs acceptance has it).
func TestScoreFeedbackClassify(t *testing.T) {
	py, err := exec.LookPath("python3")
	require.NoError(t, err, "python3 runs the acceptance scorer")
	in, err := exec.Command(py, "../../../../shared/tools/score_feedback.py", "input", specDir+"/feedback-examples.jsonl").Output()
	require.NoError(t, err)
	var out, errOut bytes.Buffer
	require.Equal(t, 0, runFeedback([]string{"classify"}, bytes.NewReader(in), &out, &errOut))
	dir := t.TempDir()
	outPath := filepath.Join(dir, "out.jsonl")
	require.NoError(t, os.WriteFile(outPath, out.Bytes(), 0o600))
	res, err := exec.Command(py, "../../../../shared/tools/score_feedback.py", "classify", specDir+"/feedback-examples.jsonl", outPath).CombinedOutput()
	t.Logf("score_feedback.py classify:\n%s", res)
	require.NoError(t, err, "the scorer's targets hold")
}
