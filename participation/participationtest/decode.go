package participationtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/osallisuus/osallisuus"
)

// DecodeStrict decodes one JSON object from r into v the way scenario files are read
// (spec/consent.md F2): an unknown field at any level, a value of the wrong JSON type
// (a string for a number, 1.5 for an integer), malformed JSON or trailing data is an
// error matching osallisuus.ErrInvalid that names the field (CodeUnknownField, CodeType
// or CodeFormat). `null` leaves a field at its zero value. The panel, expert and
// activities runners decode their files with it.
func DecodeStrict(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read scenario: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &osallisuus.ValidationError{Op: "decode scenario",
			Problems: []osallisuus.Problem{{Field: "", Code: osallisuus.CodeFormat,
				Params: map[string]any{"detail": "data after the JSON object"}}}}
	}
	return nil
}

func decodeError(err error) error {
	ve := &osallisuus.ValidationError{Op: "decode scenario"}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		ve.AddParams(jsonPath(te.Field), osallisuus.CodeType, map[string]any{"want": te.Type.String(), "got": te.Value})
	case errors.As(err, &se):
		ve.AddParams("", osallisuus.CodeFormat, map[string]any{"offset": se.Offset})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json reports unknown fields only by name.
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		ve.Add(name, osallisuus.CodeUnknownField)
	case errors.Is(err, osallisuus.ErrInvalid):
		// A value's own UnmarshalText refused it (a date, say).
		if inner, ok := errors.AsType[*osallisuus.ValidationError](err); ok {
			return inner
		}
		ve.Add("", osallisuus.CodeFormat)
	default:
		ve.AddParams("", osallisuus.CodeFormat, map[string]any{"detail": err.Error()})
	}
	return ve
}

// jsonPath drops the Go names of embedded structs (such as "ConsentSections") that
// encoding/json puts in a type error's field path, leaving the JSON keys, which are
// camelCase in every scenario format.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && p[0] >= 'A' && p[0] <= 'Z' {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
}
