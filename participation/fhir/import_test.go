package fhir_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/fhir"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// validResource is an exported oral, scoped guardian grant, as JSON text.
func validResource(t testing.TB) string {
	t.Helper()
	events := ledger(participation.ConsentEvent{At: instant(t, "2026-01-10T10:00:00+02:00"), Subject: child,
		By: guardian, RecordedBy: nurse, Action: participation.Grant, Purpose: "contact", Scope: "panel:north",
		Method: participation.Oral, NoticeVersion: 2})
	res, err := fhir.Export(testPolicy(t), events, child, instant(t, "2026-02-01T00:00:00Z"), fhir.Options{})
	require.NoError(t, err)
	require.Len(t, res, 1)
	b, err := json.Marshal(res[0])
	require.NoError(t, err)
	return string(b)
}

// edit decodes a resource, changes it and encodes it again.
func edit(t testing.TB, resource string, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(resource), &m))
	change(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func firstProblem(t *testing.T, err error) osallisuus.Problem {
	t.Helper()
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, ok := errors.AsType[*osallisuus.ValidationError](err)
	require.True(t, ok, "a *osallisuus.ValidationError: %v", err)
	require.Len(t, ve.Problems, 1, "one problem: the first unmappable thing")
	return ve.Problems[0]
}

func TestImportMapsTheExportedFields(t *testing.T) {
	events, err := fhir.Import(testPolicy(t), []byte(validResource(t)), fhir.Options{})
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, participation.ConsentEvent{At: instant(t, "2026-01-10T10:00:00+02:00"), Subject: child,
		By: guardian, RecordedBy: nurse, Action: participation.Grant, Purpose: "contact", Scope: "panel:north",
		Method: participation.Oral, NoticeVersion: 2, ValidUntil: instant(t, "2027-01-11T00:00:00+02:00")}, events[0])
}

func TestImportTellsRefusalFromWithdrawalByStatus(t *testing.T) {
	tests := []struct {
		name, status, decision string
		want                   participation.Action
	}{
		{"permit is a grant", "active", "permit", participation.Grant},
		{"an inactive permit is still a grant (it expired or lapsed)", "inactive", "permit", participation.Grant},
		{"an active deny is a refusal", "active", "deny", participation.Refuse},
		{"an inactive deny is a withdrawal", "inactive", "deny", participation.Withdraw},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := edit(t, validResource(t), func(m map[string]any) {
				m["status"], m["decision"] = tt.status, tt.decision
				if tt.decision == "deny" {
					delete(m["period"].(map[string]any), "end")
					delete(m["provision"].([]any)[0].(map[string]any)["period"].(map[string]any), "end")
				}
			})
			events, err := fhir.Import(testPolicy(t), []byte(r), fhir.Options{})
			require.NoError(t, err)
			require.Len(t, events, 1)
			assert.Equal(t, tt.want, events[0].Action)
		})
	}
}

func TestImportReadsArraysAndBundles(t *testing.T) {
	r := validResource(t)
	other := edit(t, r, func(m map[string]any) {
		m["extension"] = []any{map[string]any{"url": fhir.MethodExtensionURL, "valueCode": "written"}}
		delete(m, "verification")
	})
	for name, doc := range map[string]string{
		"an array":             "[" + r + "," + other + "]",
		"a Bundle of entries":  `{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:0190f1c2-0000-7000-8000-0000000000a1","resource":` + r + `},{"resource":` + other + `}]}`,
		"a Bundle with a BOM":  "\uFEFF" + `{"resourceType":"Bundle","entry":[{"resource":` + r + `},{"resource":` + other + `}]}`,
		"an array with spaces": "\n [ " + r + " ,\n" + other + " ] \n",
	} {
		t.Run(name, func(t *testing.T) {
			events, err := fhir.Import(testPolicy(t), []byte(doc), fhir.Options{})
			require.NoError(t, err)
			require.Len(t, events, 2)
			assert.Equal(t, "panel:north", events[0].Scope)
			assert.Equal(t, participation.Oral, events[0].Method)
			assert.Equal(t, participation.Written, events[1].Method)
			assert.True(t, events[1].RecordedBy.IsZero())
		})
	}
	empty, err := fhir.Import(testPolicy(t), []byte(`[]`), fhir.Options{})
	require.NoError(t, err)
	assert.Empty(t, empty, "an empty array imports nothing")
}

func TestImportRefusesWhatItCannotMap(t *testing.T) {
	r := validResource(t)
	set := func(key string, v any) string { return edit(t, r, func(m map[string]any) { m[key] = v }) }
	del := func(key string) string { return edit(t, r, func(m map[string]any) { delete(m, key) }) }
	prov := func(change func(p map[string]any)) string {
		return edit(t, r, func(m map[string]any) { change(m["provision"].([]any)[0].(map[string]any)) })
	}
	tests := []struct {
		name  string
		doc   string
		field string
		code  osallisuus.Code
	}{
		{"malformed JSON", `{"resourceType": "Consent",`, "", osallisuus.CodeFormat},
		{"empty input", " ", "", osallisuus.CodeRequired},
		{"a JSON string", `"Consent"`, "", osallisuus.CodeType},
		{"another resource type", `{"resourceType":"Patient","id":"x"}`, "resourceType", osallisuus.CodeUnknown},
		{"no resource type", del("resourceType"), "resourceType", osallisuus.CodeRequired},
		{"a Patient in an array", "[" + r + `,{"resourceType":"Patient"}]`, "[1].resourceType", osallisuus.CodeUnknown},
		{"a Bundle inside an array", `[{"resourceType":"Bundle"}]`, "[0].resourceType", osallisuus.CodeUnknown},
		{"a Bundle entry of another type", `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation"}}]}`,
			"entry[0].resource.resourceType", osallisuus.CodeUnknown},
		{"an R4 element", set("patient", map[string]any{"reference": "Patient/1"}), "patient", osallisuus.CodeUnknownField},
		{"a primitive extension", set("_status", map[string]any{"id": "s"}), "_status", osallisuus.CodeUnknownField},
		{"a duplicate key", strings.Replace(r, `"status":"active"`, `"status":"active","status":"inactive"`, 1), "status", osallisuus.CodeDuplicate},
		{"null for a value", set("decision", nil), "decision", osallisuus.CodeType},
		{"a number for a string", set("status", 1), "status", osallisuus.CodeType},
		{"an object where R5 has an array", set("grantor", map[string]any{"type": "Patient"}), "grantor", osallisuus.CodeType},
		{"an array where R5 has one value", set("policyBasis", []any{map[string]any{"url": "x:y"}}), "policyBasis", osallisuus.CodeType},
		{"a modifier extension", set("modifierExtension", []any{map[string]any{"url": "x:y", "valueBoolean": true}}),
			"modifierExtension", osallisuus.CodeNotAllowed},
		{"a status code other than active or inactive", set("status", "draft"), "status", osallisuus.CodeUnknown},
		{"a literal subject reference", set("subject", map[string]any{"reference": "Patient/f001"}), "subject.identifier", osallisuus.CodeRequired},
		{"a subject of another type", set("subject", map[string]any{"type": "Group", "identifier": map[string]any{"system": fhir.DefaultIdentifierSystem, "value": child.String()}}),
			"subject.type", osallisuus.CodeUnknown},
		{"a subject in another identifier system", set("subject", map[string]any{"identifier": map[string]any{"system": "urn:oid:1.2.3", "value": "x"}}),
			"subject.identifier.system", osallisuus.CodeUnknown},
		{"a subject identifier the resolver refuses", set("subject", map[string]any{"identifier": map[string]any{"system": fhir.DefaultIdentifierSystem, "value": "not-a-uuid"}}),
			"subject.identifier.value", osallisuus.CodeFormat},
		{"no period", del("period"), "period", osallisuus.CodeRequired},
		{"a period start without a time", set("period", map[string]any{"start": "2026-01-10"}), "period.start", osallisuus.CodeFormat},
		{"a period end before its start", set("period", map[string]any{"start": "2026-01-10T10:00:00+02:00", "end": "2026-01-10T09:00:00+02:00"}),
			"period.end", osallisuus.CodeOrder},
		{"two grantors", set("grantor", []any{map[string]any{"type": "Patient"}, map[string]any{"type": "Patient"}}), "grantor[1]", osallisuus.CodeNotAllowed},
		{"a grantor without a type", set("grantor", []any{map[string]any{"identifier": map[string]any{"system": fhir.DefaultIdentifierSystem, "value": child.String()}}}),
			"grantor[0].type", osallisuus.CodeRequired},
		{"a Patient grantor other than the subject", set("grantor", []any{map[string]any{"type": "Patient", "identifier": map[string]any{"system": fhir.DefaultIdentifierSystem, "value": guardian.String()}}}),
			"grantor[0].identifier.value", osallisuus.CodeNotAllowed},
		{"a Practitioner grantor", set("grantor", []any{map[string]any{"type": "Practitioner", "identifier": map[string]any{"system": fhir.DefaultIdentifierSystem, "value": nurse.String()}}}),
			"grantor[0].type", osallisuus.CodeUnknown},
		{"a grantee that is a person", set("grantee", []any{map[string]any{"reference": "Practitioner/p1"}}), "grantee[0]", osallisuus.CodeNotAllowed},
		{"a source document", set("sourceReference", []any{map[string]any{"reference": "Contract/c1"}}), "sourceReference", osallisuus.CodeNotAllowed},
		{"a grant without a notice", del("policyBasis"), "policyBasis.url", osallisuus.CodeRequired},
		{"a notice elsewhere", set("policyBasis", map[string]any{"url": "https://other.example/notice#v2"}), "policyBasis.url", osallisuus.CodeUnknown},
		{"a notice version that is not a number", set("policyBasis", map[string]any{"url": fhir.DefaultNoticeURL + "#v02"}), "policyBasis.url", osallisuus.CodeFormat},
		{"a policy reference", set("policyBasis", map[string]any{"reference": map[string]any{"reference": "Contract/c1"}}), "policyBasis.reference", osallisuus.CodeNotAllowed},
		{"an oral grant without verification", del("verification"), "verification", osallisuus.CodeRequired},
		{"a verification without verified (1..1 in R5)", set("verification", []any{map[string]any{"verifiedBy": map[string]any{"type": "Practitioner"}}}),
			"verification[0].verified", osallisuus.CodeRequired},
		{"an extension without a url", set("extension", []any{map[string]any{"valueCode": "oral"}}), "extension[0].url", osallisuus.CodeRequired},
		{"a failed verification", set("verification", []any{map[string]any{"verified": false}}), "verification[0].verified", osallisuus.CodeNotAllowed},
		{"a verification at another time", edit(t, r, func(m map[string]any) {
			m["verification"].([]any)[0].(map[string]any)["verificationDate"] = []any{"2026-01-11T10:00:00+02:00"}
		}), "verification[0].verificationDate[0]", osallisuus.CodeNotAllowed},
		{"no decision", del("decision"), "decision", osallisuus.CodeRequired},
		{"an unknown decision", set("decision", "maybe"), "decision", osallisuus.CodeUnknown},
		{"an end on a refusal", set("decision", "deny"), "period.end", osallisuus.CodeNotAllowed},
		{"no provision", del("provision"), "provision", osallisuus.CodeRequired},
		{"two provisions", edit(t, r, func(m map[string]any) { p := m["provision"].([]any); m["provision"] = append(p, p[0]) }),
			"provision[1]", osallisuus.CodeNotAllowed},
		{"a nested provision", prov(func(p map[string]any) { p["provision"] = []any{map[string]any{"purpose": p["purpose"]}} }),
			"provision[0].provision", osallisuus.CodeNotAllowed},
		{"a provision actor", prov(func(p map[string]any) {
			p["actor"] = []any{map[string]any{"reference": map[string]any{"reference": "Organization/o"}}}
		}),
			"provision[0].actor", osallisuus.CodeNotAllowed},
		{"a provision period unlike the consent's", prov(func(p map[string]any) { p["period"] = map[string]any{"start": "2026-01-10T10:00:00+02:00"} }),
			"provision[0].period", osallisuus.CodeNotAllowed},
		{"no purpose", prov(func(p map[string]any) { delete(p, "purpose") }), "provision[0].purpose", osallisuus.CodeRequired},
		{"two purposes", prov(func(p map[string]any) { p["purpose"] = append(p["purpose"].([]any), p["purpose"].([]any)[0]) }),
			"provision[0].purpose[1]", osallisuus.CodeNotAllowed},
		{"an HL7 purpose code", prov(func(p map[string]any) {
			p["purpose"] = []any{map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "ETREAT"}}
		}), "provision[0].purpose[0].system", osallisuus.CodeUnknown},
		{"a purpose not in the policy", prov(func(p map[string]any) {
			p["purpose"] = []any{map[string]any{"system": fhir.DefaultPurposeSystem, "code": "marketing"}}
		}), "provision[0].purpose[0].code", osallisuus.CodeUnknown},
		{"an unknown method", set("extension", []any{map[string]any{"url": fhir.MethodExtensionURL, "valueCode": "telepathy"}}),
			"extension[0].valueCode", osallisuus.CodeUnknown},
		{"a malformed scope", set("extension", []any{map[string]any{"url": fhir.MethodExtensionURL, "valueCode": "oral"},
			map[string]any{"url": fhir.ScopeExtensionURL, "valueString": "North Panel"}}), "extension[1].valueString", osallisuus.CodeFormat},
		{"two methods", set("extension", []any{map[string]any{"url": fhir.MethodExtensionURL, "valueCode": "oral"},
			map[string]any{"url": fhir.MethodExtensionURL, "valueCode": "written"}}), "extension[1]", osallisuus.CodeDuplicate},
		{"no method", set("extension", []any{map[string]any{"url": "https://county.example/other", "valueBoolean": true}}),
			"extension", osallisuus.CodeRequired},
		{"a bad resource after a good one leaves nothing imported", "[" + r + "," + set("status", "entered-in-error") + "]",
			"[1].status", osallisuus.CodeUnknown},
		{"a bad Bundle entry names its path", `{"resourceType":"Bundle","entry":[{"resource":` + r + `},{"resource":` +
			prov(func(p map[string]any) {
				p["purpose"] = []any{map[string]any{"system": fhir.DefaultPurposeSystem, "code": "marketing"}}
			}) + `}]}`,
			"entry[1].resource.provision[0].purpose[0].code", osallisuus.CodeUnknown},
		{"data after the value", r + ` {}`, "", osallisuus.CodeFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := fhir.Import(testPolicy(t), []byte(tt.doc), fhir.Options{})
			assert.Nil(t, events, "nothing is imported partially")
			p := firstProblem(t, err)
			assert.Equal(t, tt.field, p.Field)
			assert.Equal(t, tt.code, p.Code)
		})
	}
}

func TestImportReportsTheFirstUnmappableThingInElementOrder(t *testing.T) {
	// A literal subject (subject) comes before a source attachment (sourceAttachment) in
	// R5's order, whatever the key order of the document.
	doc := edit(t, validResource(t), func(m map[string]any) {
		m["sourceAttachment"] = []any{map[string]any{"title": "scan"}}
		m["subject"] = map[string]any{"reference": "Patient/f001"}
	})
	_, err := fhir.Import(testPolicy(t), []byte(doc), fhir.Options{})
	assert.Equal(t, "subject.identifier", firstProblem(t, err).Field)

	doc = edit(t, validResource(t), func(m map[string]any) { m["sourceAttachment"] = []any{map[string]any{"title": "scan"}} })
	_, err = fhir.Import(testPolicy(t), []byte(doc), fhir.Options{})
	assert.Equal(t, "sourceAttachment", firstProblem(t, err).Field)
}

func TestImportWithoutAPolicyChecksPurposeNames(t *testing.T) {
	r := validResource(t)
	events, err := fhir.Import(nil, []byte(r), fhir.Options{})
	require.NoError(t, err)
	assert.Equal(t, "contact", events[0].Purpose)
	bad := strings.Replace(r, `"code":"contact"`, `"code":"Contact Us"`, 1)
	_, err = fhir.Import(nil, []byte(bad), fhir.Options{})
	assert.Equal(t, osallisuus.Problem{Field: "provision[0].purpose[0].code", Code: osallisuus.CodeFormat}, firstProblem(t, err))
}

// hl7Examples returns HL7's twelve R5 Consent examples from the shared folder, failing
// when they are missing.
func hl7Examples(t testing.TB) map[string][]byte {
	t.Helper()
	dir := filepath.Join(participationtest.SharedDir(t), "spec", "fhir-consent-examples")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 12, "HL7's twelve R5 Consent examples in %s", dir)
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = b
	}
	return out
}

func TestImportOfHL7ExamplesIsAllOrNothing(t *testing.T) {
	// Every HL7 example refers to its subject by a literal reference (Patient/f001), which
	// names a resource on some server, not a participant: none can be mapped, and each
	// says so at subject.identifier. With the subject given as an identifier and a
	// period (HL7's examples carry only a date, no instant), the importer goes on and
	// stops at the example's next unmappable element: no grantor, or one whose type
	// (Patient or RelatedPerson) is not stated.
	wantWithIdentifier := map[string]string{
		"consent-example-CDA":         "grantor",
		"consent-example-Emergency":   "grantor",
		"consent-example-Out":         "grantor",
		"consent-example-basic":       "grantor",
		"consent-example-grantor":     "grantor[0].type",
		"consent-example-notAuthor":   "grantor",
		"consent-example-notOrg":      "grantor",
		"consent-example-notThem":     "grantor",
		"consent-example-notThis":     "grantor",
		"consent-example-notTime":     "grantor",
		"consent-example-pkb":         "grantor",
		"consent-example-smartonfhir": "grantor[0].type",
	}
	for name, data := range hl7Examples(t) {
		t.Run(name, func(t *testing.T) {
			for _, policy := range []*participation.Policy{nil, testPolicy(t)} {
				events, err := fhir.Import(policy, data, fhir.Options{})
				assert.Nil(t, events, "never a partial import")
				assert.Equal(t, osallisuus.Problem{Field: "subject.identifier", Code: osallisuus.CodeRequired}, firstProblem(t, err))
			}
			patched := edit(t, string(data), func(m map[string]any) {
				m["subject"] = map[string]any{"type": "Patient", "identifier": map[string]any{
					"system": fhir.DefaultIdentifierSystem, "value": child.String()}}
				m["period"] = map[string]any{"start": m["date"].(string) + "T12:00:00+02:00"}
			})
			events, err := fhir.Import(testPolicy(t), []byte(patched), fhir.Options{})
			assert.Nil(t, events)
			p := firstProblem(t, err)
			assert.Equal(t, wantWithIdentifier[name], p.Field, "problem %+v", p)
		})
	}
}

func TestImportRefusesBadOptions(t *testing.T) {
	events, err := fhir.Import(testPolicy(t), []byte(validResource(t)), fhir.Options{NoticeURL: "https://county.example/notice#v"})
	assert.Nil(t, events)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, ok := errors.AsType[*osallisuus.ValidationError](err)
	require.True(t, ok)
	assert.True(t, ve.Has("options.noticeUrl"), "problems %v", ve.Problems)
}
