package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/osallisuus/osallisuus"
)

// The shape check walks the JSON tokens of the input in document order before anything
// is decoded, so the first malformed thing it reports is the first in the file, with
// its JSON path: an element R5 does not define (including R4 names such as "patient" and
// primitive extensions such as "_status"), a repeated key, or a value of the wrong JSON
// type (an object for an array, a number for a string, null). Elements R5 defines but
// osallisuus cannot map into a ledger event without losing their meaning are collected,
// and the importer weighs them against the mapper's findings in R5's element order.
// Elements that add nothing to the event (narrative, meta, business identifiers,
// category, manager, controller, non-modifier extensions of data types) are skipped.

// use says what the importer does with an element.
type use uint8

const (
	useMap    use = iota + 1 // read and mapped: walk the value as its type
	useSkip                  // valid R5, no bearing on the event: skipped
	useReject                // valid R5 that cannot be mapped: an error
)

// elem is one element of a type: its value type, whether it is an array (0..*), and its use.
type elem struct {
	typ  string // "string", "boolean", "resource" or an entry of shapes
	many bool
	use  use
}

var (
	skip   = elem{use: useSkip}
	reject = elem{use: useReject}
)

func mapped(typ string) elem     { return elem{typ: typ, use: useMap} }
func mappedMany(typ string) elem { return elem{typ: typ, many: true, use: useMap} }

// shapes is the element table of the types the importer reads, from the R5 definitions.
// It is a function, not a package variable, so that nothing global can change it.
func shapes(typ string) map[string]elem {
	switch typ {
	case "Consent":
		return map[string]elem{
			"resourceType": mapped("string"), "id": skip, "meta": skip, "implicitRules": reject,
			"language": skip, "text": skip, "contained": reject, "extension": mappedMany("Extension"),
			"modifierExtension": reject, "identifier": skip, "status": mapped("string"), "category": skip,
			"subject": mapped("Reference"), "date": mapped("string"), "period": mapped("Period"),
			"grantor": mappedMany("Reference"), "grantee": mappedMany("Reference"), "manager": skip,
			"controller": skip, "sourceAttachment": reject, "sourceReference": reject,
			"regulatoryBasis": reject, "policyBasis": mapped("PolicyBasis"), "policyText": reject,
			"verification": mappedMany("Verification"), "decision": mapped("string"),
			"provision": mappedMany("Provision"),
		}
	case "Extension":
		return map[string]elem{"id": skip, "extension": skip, "url": mapped("string"),
			"valueCode": mapped("string"), "valueString": mapped("string")}
	case "Reference":
		return map[string]elem{"id": skip, "extension": skip, "reference": mapped("string"),
			"type": mapped("string"), "identifier": mapped("Identifier"), "display": mapped("string")}
	case "Identifier":
		return map[string]elem{"id": skip, "extension": skip, "use": skip, "type": skip,
			"system": mapped("string"), "value": mapped("string"), "period": skip, "assigner": skip}
	case "Period":
		return map[string]elem{"id": skip, "extension": skip, "start": mapped("string"), "end": mapped("string")}
	case "PolicyBasis":
		return map[string]elem{"id": skip, "extension": skip, "modifierExtension": reject,
			"reference": reject, "url": mapped("string")}
	case "Verification":
		return map[string]elem{"id": skip, "extension": skip, "modifierExtension": reject,
			"verified": mapped("boolean"), "verificationType": skip, "verifiedBy": mapped("Reference"),
			"verifiedWith": skip, "verificationDate": mappedMany("string")}
	case "Provision":
		return map[string]elem{"id": skip, "extension": skip, "modifierExtension": reject,
			"period": mapped("Period"), "actor": reject, "action": reject, "securityLabel": reject,
			"purpose": mappedMany("Coding"), "documentType": reject, "resourceType": reject,
			"code": reject, "dataPeriod": reject, "data": reject, "expression": reject, "provision": reject}
	case "Coding":
		return map[string]elem{"id": skip, "extension": skip, "system": mapped("string"),
			"version": skip, "code": mapped("string"), "display": mapped("string"), "userSelected": skip}
	case "Bundle":
		return map[string]elem{"resourceType": mapped("string"), "id": skip, "meta": skip,
			"implicitRules": reject, "language": skip, "identifier": skip, "type": skip,
			"timestamp": skip, "total": skip, "link": skip, "entry": mappedMany("BundleEntry"),
			"signature": skip, "issues": skip}
	case "BundleEntry":
		return map[string]elem{"id": skip, "extension": skip, "modifierExtension": reject,
			"link": skip, "fullUrl": skip, "resource": mapped("resource"), "search": skip,
			"request": skip, "response": skip}
	}
	return nil
}

// shapeError is the first problem the walk met.
type shapeError struct{ problem osallisuus.Problem }

func (e *shapeError) Error() string { return e.problem.Field + " " + string(e.problem.Code) }

func fail(field string, code osallisuus.Code, params map[string]any) error {
	return &shapeError{osallisuus.Problem{Field: field, Code: code, Params: params}}
}

// walker reads one JSON value's tokens, checking them against shapes. resources
// collects the raw Consent resources met (a Bundle's entries), with their paths.
type walker struct {
	dec       *json.Decoder
	resources []located
	// rejects collects elements that cannot be mapped instead of failing at the first,
	// so that the importer can report the first in R5's element order (see
	// firstProblem); malformed shapes still fail at once.
	rejects []osallisuus.Problem
	collect bool
}

// located is a raw resource and its JSON path in the input.
type located struct {
	path string
	raw  json.RawMessage
}

// checkShape walks raw as a value of type typ at path and reports the first malformed
// thing. A Bundle fails at its first unmappable element too; a Consent's unmappable
// elements are returned, in document order, for the mapper to weigh.
func checkShape(raw []byte, path, typ string) ([]located, []osallisuus.Problem, error) {
	w := &walker{dec: json.NewDecoder(bytes.NewReader(raw)), collect: typ == "Consent"}
	w.dec.UseNumber()
	if err := w.value(path, elem{typ: typ, use: useMap}); err != nil {
		return nil, nil, err
	}
	if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, fail("", osallisuus.CodeFormat, map[string]any{"detail": "data after the JSON value"})
	}
	return w.resources, w.rejects, nil
}

// value walks one value of e's type (one item when e is an array element).
func (w *walker) value(path string, e elem) error {
	switch e.typ {
	case "resource":
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return syntax(path, err)
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			return fail(path, osallisuus.CodeType, map[string]any{"want": "object"})
		}
		w.resources = append(w.resources, located{path, raw})
		return nil
	case "string", "boolean":
		tok, err := w.dec.Token()
		if err != nil {
			return syntax(path, err)
		}
		ok := false
		switch tok.(type) {
		case string:
			ok = e.typ == "string"
		case bool:
			ok = e.typ == "boolean"
		}
		if !ok {
			if d, isDelim := tok.(json.Delim); isDelim {
				if err := w.skipRest(d); err != nil {
					return syntax(path, err)
				}
			}
			return fail(path, osallisuus.CodeType, map[string]any{"want": e.typ})
		}
		return nil
	}
	return w.object(path, e.typ)
}

// object walks an object of type typ.
func (w *walker) object(path, typ string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return syntax(path, err)
	}
	if tok != json.Delim('{') {
		return fail(path, osallisuus.CodeType, map[string]any{"want": "object"})
	}
	table := shapes(typ)
	seen := make(map[string]bool)
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return syntax(path, err)
		}
		key, _ := tok.(string) // object keys are always strings
		field := osallisuus.JoinField(path, key)
		if seen[key] {
			return fail(field, osallisuus.CodeDuplicate, nil)
		}
		seen[key] = true
		e, known := table[key]
		if !known && typ == "Extension" && strings.HasPrefix(key, "value") && len(key) > len("value") {
			e, known = skip, true // another value[x] type: fine on an extension osallisuus does not read
		}
		switch {
		case !known:
			return fail(field, osallisuus.CodeUnknownField, nil)
		case e.use == useReject && w.collect:
			w.rejects = append(w.rejects, osallisuus.Problem{Field: field, Code: osallisuus.CodeNotAllowed})
			if err := w.skip(); err != nil {
				return syntax(field, err)
			}
		case e.use == useReject:
			return fail(field, osallisuus.CodeNotAllowed, nil)
		case e.use == useSkip:
			if err := w.skip(); err != nil {
				return syntax(field, err)
			}
		case e.many:
			if err := w.array(field, e); err != nil {
				return err
			}
		default:
			if err := w.value(field, e); err != nil {
				return err
			}
		}
	}
	if _, err := w.dec.Token(); err != nil { // the closing brace
		return syntax(path, err)
	}
	if key := requiredKey(typ); key != "" && !seen[key] {
		return fail(osallisuus.JoinField(path, key), osallisuus.CodeRequired, nil)
	}
	return nil
}

// requiredKey names the element R5 requires (1..1) in a type the importer walks, if any.
func requiredKey(typ string) string {
	switch typ {
	case "Verification":
		return "verified"
	case "Extension":
		return "url"
	}
	return ""
}

// array walks a JSON array whose items are of e's type.
func (w *walker) array(path string, e elem) error {
	tok, err := w.dec.Token()
	if err != nil {
		return syntax(path, err)
	}
	if tok != json.Delim('[') {
		if d, isDelim := tok.(json.Delim); isDelim {
			if err := w.skipRest(d); err != nil {
				return syntax(path, err)
			}
		}
		return fail(path, osallisuus.CodeType, map[string]any{"want": "array"})
	}
	for i := 0; w.dec.More(); i++ {
		if err := w.value(path+"["+strconv.Itoa(i)+"]", elem{typ: e.typ, use: useMap}); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // the closing bracket
		return syntax(path, err)
	}
	return nil
}

// skip reads one whole value without looking at it.
func (w *walker) skip() error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok {
		return w.skipRest(d)
	}
	return nil
}

// skipRest reads to the end of the object or array opened by d.
func (w *walker) skipRest(d json.Delim) error {
	if d != '{' && d != '[' {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// syntax reports malformed JSON at the path where the walk was.
func syntax(path string, err error) error {
	params := map[string]any{"detail": "malformed JSON"}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		params["offset"] = se.Offset
	}
	return fail(path, osallisuus.CodeFormat, params)
}

// consentOrder is R5's element order of Consent (Resource, DomainResource, then Consent's
// own elements), by which the importer picks the first unmappable thing of a resource.
var consentOrder = []string{"resourceType", "id", "meta", "implicitRules", "language", "text",
	"contained", "extension", "modifierExtension", "identifier", "status", "category", "subject",
	"date", "period", "grantor", "grantee", "manager", "controller", "sourceAttachment",
	"sourceReference", "regulatoryBasis", "policyBasis", "policyText", "verification",
	"decision", "provision"}

// orderOf returns the R5 position of the top-level element of a problem's field, given
// relative to its resource; fields outside any element come last.
func orderOf(field string) int {
	top := field
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	for i, name := range consentOrder {
		if name == top {
			return i
		}
	}
	return len(consentOrder)
}

// firstProblem returns the first of a resource's unmappable elements (rejects, in
// document order) and the mapper's first problem (mapped, nil when it mapped) in R5's
// element order; within one top-level element the unmappable element wins.
func firstProblem(resourcePath string, rejects []osallisuus.Problem, mapped error) error {
	rel := func(field string) string {
		return strings.TrimPrefix(strings.TrimPrefix(field, resourcePath), ".")
	}
	best := -1
	for i, p := range rejects {
		if best < 0 || orderOf(rel(p.Field)) < orderOf(rel(rejects[best].Field)) {
			best = i
		}
	}
	if best < 0 {
		return mapped
	}
	if se, ok := errors.AsType[*shapeError](mapped); ok && orderOf(rel(se.problem.Field)) < orderOf(rel(rejects[best].Field)) {
		return mapped
	}
	return &shapeError{rejects[best]}
}
