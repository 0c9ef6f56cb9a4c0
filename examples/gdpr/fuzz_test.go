package gdpr_test

import (
	"encoding/json"
	"testing"

	"github.com/osallisuus/osallisuus/examples/gdpr"
)

// FuzzValidate: Validate never panics, and a document it accepts is JSON whose schema
// member names this format.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"schema":"urn:osallisuus:personal-data:1"}`))
	f.Add([]byte(`{"schema":`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"schema":"urn:osallisuus:personal-data:1","subject":"0196a9d1-0000-7000-8000-000000000000","exportedAt":"2026-05-04T09:00:00Z","participation":{"participant":null}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if gdpr.Validate(doc) != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatalf("Validate accepted %q, which is not a JSON object: %v", doc, err)
		}
		if m["schema"] != gdpr.SchemaID {
			t.Fatalf("Validate accepted %q with schema %v", doc, m["schema"])
		}
	})
}
