package participationtest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

const validScenario = `{
  "name": "ok", "description": "a valid base",
  "policy": {"purposes": [{"name": "contact", "selfConsentAge": 15}]},
  "people": [{"id": "p1", "birthDate": "2012-05-01"}],
  "representations": [{"representative": "g1", "subject": "p1", "kind": "guardian", "from": "2012-05-01"}],
  "assessments": [{"subject": "p1", "by": "s1", "at": "2026-01-05T09:00:00+02:00", "purposes": ["contact"], "until": "2027-01-05"}],
  "events": [{"at": "2026-01-10T10:00:00+02:00", "subject": "p1", "by": "g1", "action": "grant", "purpose": "contact", "method": "written", "noticeVersion": 1}],
  "queries": [{"id": "q1", "at": "2026-02-01T12:00:00+02:00", "subject": "p1", "purpose": "contact"}]
}`

func TestEvalConsentScenarioRefusesMalformedFiles(t *testing.T) {
	tests := []struct {
		name, from, to, field string
	}{
		{"not JSON", `{`, `[`, ""},
		{"an empty name", `"name": "ok"`, `"name": ""`, "name"},
		{"an unknown top-level field", `"name": "ok"`, `"name": "ok", "nmae": 1`, "nmae"},
		{"an unknown nested field", `"kind": "guardian"`, `"kind": "guardian", "role": "x"`, "role"},
		{"a string for a number", `"noticeVersion": 1`, `"noticeVersion": "1"`, "events.noticeVersion"},
		{"a fraction for an integer", `"noticeVersion": 1`, `"noticeVersion": 1.5`, "events.noticeVersion"},
		{"an invalid policy", `"selfConsentAge": 15`, `"selfConsentAge": 19`, "policy.purposes[0].selfConsentAge"},
		{"a policy period with a time part", `"selfConsentAge": 15`, `"maxDuration": "PT5M"`, "policy.purposes[0].maxDuration"},
		{"a person without id", `{"id": "p1", "birthDate"`, `{"id": "", "birthDate"`, "people[0].id"},
		{"a duplicate person", `"birthDate": "2012-05-01"}]`, `"birthDate": "2012-05-01"}, {"id": "p1", "birthDate": "2000-01-01"}]`, "people[1].id"},
		{"a birth date that is no day", `"birthDate": "2012-05-01"`, `"birthDate": "2012-02-30"`, "people[0].birthDate"},
		{"a representation ending before it starts", `"from": "2012-05-01"}`, `"from": "2012-05-01", "until": "2012-04-30"}`, "representations[0].until"},
		{"a representation of an unknown subject", `"subject": "p1", "kind"`, `"subject": "p9", "kind"`, "representations[0].subject"},
		{"a representation with an unknown kind", `"kind": "guardian"`, `"kind": "parent"`, "representations[0].kind"},
		{"a representation of oneself", `"representative": "g1"`, `"representative": "p1"`, "representations[0].representative"},
		{"a representation with an unknown purpose", `"from": "2012-05-01"}`, `"from": "2012-05-01", "purposes": ["x"]}`, "representations[0].purposes[0]"},
		{"an assessment without purposes", `"purposes": ["contact"], "until"`, `"purposes": [], "until"`, "assessments[0].purposes"},
		{"an assessment with a bad instant", `"at": "2026-01-05T09:00:00+02:00"`, `"at": "2026-01-05"`, "assessments[0].at"},
		{"an assessment ending before it was made", `"until": "2027-01-05"`, `"until": "2026-01-04"`, "assessments[0].until"},
		{"a query without id", `"id": "q1"`, `"id": ""`, "queries[0].id"},
		{"a duplicate query id", `"purpose": "contact"}]`, `"purpose": "contact"}, {"id": "q1", "at": "x"}]`, "queries[1].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(validScenario, tt.from, tt.to, 1)
			require.NotEqual(t, validScenario, src, "the case must change the file")
			var out bytes.Buffer
			err := participationtest.EvalConsentScenario(strings.NewReader(src), &out)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			assert.Empty(t, out.String(), "a malformed file writes nothing")
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			require.True(t, ok)
			if tt.field != "" {
				assert.True(t, ve.Has(tt.field), "want field %q in %v", tt.field, ve)
			}
		})
	}
	var out bytes.Buffer
	require.NoError(t, participationtest.EvalConsentScenario(strings.NewReader(validScenario), &out))
	assert.Equal(t, "{\"event\":0,\"accepted\":false,\"error\":\"forbidden\"}\n{\"id\":\"q1\",\"allowed\":false,\"reason\":\"no-consent\"}\n",
		out.String(), "the child assessed mature for contact decides alone: the guardian may not")
}

func TestEvalConsentScenarioReportsBadValuesAsResults(t *testing.T) {
	src := strings.Replace(validScenario, `"noticeVersion": 1}]`, `"noticeVersion": 1},
	  {"at": "2026-01-10T10:00:00,5+02:00", "subject": "p1", "by": "p1", "action": "grant", "purpose": "contact", "method": "written", "noticeVersion": 1},
	  {"at": "2026-01-11T10:00:00+02:00", "subject": "p1", "by": "p1", "action": "withdraw", "purpose": "contact", "method": "written", "validUntil": ""}]`, 1)
	var out bytes.Buffer
	require.NoError(t, participationtest.EvalConsentScenario(strings.NewReader(src), &out))
	participationtest.CompareLines(t, out.Bytes(), []byte(`{"event":0,"accepted":false,"error":"forbidden"}
{"event":1,"accepted":false,"error":"invalid"}
{"event":2,"accepted":true}
{"id":"q1","allowed":false,"reason":"withdrawn"}
`))
}

func FuzzEvalConsentScenario(f *testing.F) {
	f.Add([]byte(validScenario))
	f.Add([]byte(`{"name":"x","policy":{"purposes":[]}}`))
	f.Add([]byte(`{"name":"x","events":[{"at":"2026-01-01T00:00:00Z"}],"queries":[{"id":"a"}]}`))
	if files, _ := filepath.Glob(filepath.Join(sharedDirOrEmpty(), "spec", "consent-scenarios", "*.json")); len(files) > 0 {
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out1, out2 bytes.Buffer
		err1 := participationtest.EvalConsentScenario(bytes.NewReader(data), &out1)
		err2 := participationtest.EvalConsentScenario(bytes.NewReader(data), &out2)
		if (err1 == nil) != (err2 == nil) || out1.String() != out2.String() {
			t.Fatalf("not deterministic: %v / %v", err1, err2)
		}
		if err1 != nil {
			if !errors.Is(err1, osallisuus.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err1)
			}
			if out1.Len() != 0 {
				t.Fatalf("wrote %q with an error", out1.String())
			}
		}
	})
}

// sharedDirOrEmpty finds ../shared beside the core module for fuzz seeds without failing.
func sharedDirOrEmpty() string {
	dir, _ := os.Getwd()
	for dir != filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && filepath.Base(dir) != "examples" {
			if b, _ := os.ReadFile(filepath.Join(dir, "go.mod")); strings.Contains(string(b), "module github.com/osallisuus/osallisuus\n") {
				return filepath.Join(dir, "..", "shared")
			}
		}
		dir = filepath.Dir(dir)
	}
	return ""
}
