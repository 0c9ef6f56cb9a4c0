package gdpr

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaID names the version of the [Document] format: the value of its "schema" member
// and the "$id" of [Schema]. A change that removes or renames a member gets a new version.
const SchemaID = "urn:osallisuus:personal-data:1"

// Schema is the JSON Schema (draft 2020-12) of [Document], with a description for every
// member taken from the Go doc comments of the types it holds. This package's tests
// generate it from those types (go test -run TestSchema -update) and fail when it is out
// of date, and every document the tests export validates against it. The command prints
// it: osallisuus participant schema.
//
//go:embed personal-data.schema.json
var Schema []byte

// compiled is Schema, compiled once.
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(SchemaID, doc); err != nil {
		return nil, err
	}
	return c.Compile(SchemaID)
})

// Validate checks that doc, the JSON of a [Document], matches [Schema] (formats of dates,
// instants and IDs included): for a system that receives exports, and for tests. The
// error names the first member that does not match.
func Validate(doc []byte) error {
	s, err := compiled()
	if err != nil {
		return fmt.Errorf("personal data schema: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("personal data document: %w", err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("personal data document does not match %s: %w", SchemaID, err)
	}
	return nil
}
