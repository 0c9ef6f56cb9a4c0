package gdpr_test

import (
	"bytes"
	"encoding"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/invopop/jsonschema"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
	"github.com/osallisuus/osallisuus/feedback"
)

var update = flag.Bool("update", false, "rewrite personal-data.schema.json from the Go types")

// coreRoot is the core module's directory: the parent of the examples module.
func coreRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	_, err := os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "the core module's go.mod beside the examples module")
	return root
}

var (
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
)

// generateSchema reflects the JSON Schema of gdpr.Document from the Go types, with the
// doc comments of the core packages as descriptions.
func generateSchema(t *testing.T) []byte {
	t.Helper()
	r := &jsonschema.Reflector{
		// Members the Go types omit when empty are optional; all others are required.
		RequiredFromJSONSchemaTags: false,
		// Definitions are named package.Type: panel and expert both have a PersonalData.
		Namer: func(rt reflect.Type) string {
			if rt.PkgPath() == "" || rt.Name() == "" {
				return rt.Name()
			}
			return filepath.Base(rt.PkgPath()) + "." + rt.Name()
		},
		Mapper: func(rt reflect.Type) *jsonschema.Schema {
			switch {
			case rt == reflect.TypeFor[time.Time]():
				return nil // the reflector's date-time string
			case rt == reflect.TypeFor[osallisuus.Date]():
				return &jsonschema.Schema{Type: "string", Format: "date", Description: "A calendar date, YYYY-MM-DD."}
			case rt == reflect.TypeFor[uuid.UUID]() || isUUIDType(rt):
				return &jsonschema.Schema{Type: "string", Format: "uuid"}
			case rt == reflect.TypeFor[feedback.Match]():
				return matchSchema()
			case rt.Implements(jsonMarshaler) || reflect.PointerTo(rt).Implements(jsonMarshaler):
				// A custom encoding (a count with its suppression, a weekly pattern): any
				// JSON value; its Go doc comment says what it holds.
				return &jsonschema.Schema{}
			case rt.Implements(textMarshaler) || reflect.PointerTo(rt).Implements(textMarshaler):
				return &jsonschema.Schema{Type: "string"}
			}
			return nil
		},
	}
	root := coreRoot(t)
	t.Chdir(root)
	for _, dir := range []string{".", "participation", "panel", "expert", "feedback", "examples/gdpr"} {
		base := "github.com/osallisuus/osallisuus"
		require.NoError(t, r.AddGoComments(base, "./"+dir), dir)
	}
	s := r.Reflect(&gdpr.Document{})
	s.ID = gdpr.SchemaID
	s.Title = "osallisuus personal data export"
	s.Description = "Everything the osallisuus library stores about one participant (GDPR Art 15 and 20), one member per package. Generated from the Go types of github.com/osallisuus/osallisuus by examples/gdpr's tests."
	b, err := json.MarshalIndent(s, "", "  ")
	require.NoError(t, err)
	return append(b, '\n')
}

// matchSchema is the schema of feedback.Match, whose MarshalJSON writes its interned
// label and rule as members of their own.
func matchSchema() *jsonschema.Schema {
	props := jsonschema.NewProperties()
	props.Set("label", &jsonschema.Schema{Type: "string"})
	props.Set("rule", &jsonschema.Schema{Type: "string"})
	props.Set("start", &jsonschema.Schema{Type: "integer"})
	props.Set("end", &jsonschema.Schema{Type: "integer"})
	return &jsonschema.Schema{Type: "object", Properties: props, Required: []string{"label", "rule", "start", "end"},
		AdditionalProperties: jsonschema.FalseSchema,
		Description:          "The evidence of one fired cue: its label, the rule that set it, and its byte offsets [start, end) into the NFC text."}
}

// isUUIDType reports whether rt is one of the library's ID types: a struct embedding
// uuid.UUID (osallisuus.ParticipantID, panel.PanelID, ...), encoded as the UUID's text.
func isUUIDType(rt reflect.Type) bool {
	if rt.Kind() != reflect.Struct || rt.NumField() != 1 {
		return false
	}
	f := rt.Field(0)
	return f.Anonymous && f.Type == reflect.TypeFor[uuid.UUID]()
}

// TestSchemaIsGeneratedFromTheTypes keeps personal-data.schema.json equal to what the Go
// types say; run with -update after changing them.
func TestSchemaIsGeneratedFromTheTypes(t *testing.T) {
	got := generateSchema(t)
	if *update {
		require.NoError(t, os.WriteFile(filepath.Join(coreRoot(t), "examples", "gdpr", "personal-data.schema.json"), got, 0o644))
	}
	require.True(t, bytes.Equal(got, gdpr.Schema),
		"personal-data.schema.json is out of date with the Go types: run go test ./gdpr -run TestSchema -update in the examples module")
	for _, member := range []string{`"participation"`, `"panel"`, `"expert"`, `"feedback"`, `"consentEvents"`, `"memberships"`, `"payouts"`, `"contacts"`} {
		require.Contains(t, string(got), member)
	}
}
