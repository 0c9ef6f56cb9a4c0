package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// Import maps R5 Consent resources back to ledger events (spec/consent.md E2): data is
// one Consent, a JSON array of them, or a Bundle whose entries hold them. Each resource
// gives one event, in document order, with the fields E2 exports:
//
//   - action: decision "permit" is a grant; "deny" is a refusal when status is "active"
//     and a withdrawal when it is "inactive" (E2 writes refusals active, withdrawals
//     inactive). Other status codes (draft, not-done, ...) cannot be mapped.
//   - at from period.start, which must be an instant with seconds and an offset
//     (spec/consent.md T1); validUntil from period.end (grants only). The end is the
//     exported expiry, so exporting the imported events under the same policy gives the
//     same resources again.
//   - subject from subject.identifier; by from the one grantor (a Patient grantor must
//     be the subject; a RelatedPerson is a representative); recordedBy from
//     verification[0].verifiedBy. Identifiers must be in opts.IdentifierSystem and are
//     turned into participant IDs by opts.Resolve.
//   - purpose from the one provision's one purpose Coding (opts.PurposeSystem; a purpose
//     of policy, or any well-formed purpose name when policy is nil); scope and method
//     from the osallisuus extensions; noticeVersion from policyBasis.url, which must be
//     opts.NoticeURL + "#v" + a number (required on grants).
//
// Narrative, meta, ids, business identifiers, category, manager, controller, grantee
// organisations, date (derived from period.start) and extensions osallisuus does not
// define are not read. Everything else that would change the meaning of the consent and
// has no place in a ledger event is an error: nested provisions, actors, actions,
// security labels, data, source documents, regulatory bases, modifier extensions,
// unverified verifications, and elements R5 does not define at all. Imported events
// carry no ID, ledger position, authority or notice hash: recording them through
// [participation.Service.Record] checks the actor's authority as for any event.
//
// Import is all or nothing: on any problem it returns no events and a
// *osallisuus.ValidationError (matching osallisuus.ErrInvalid) with one problem naming
// the JSON path of the first thing it cannot map, such as
// "[0].provision[0].purpose[0].code" in an array, "entry[2].resource.status" in a
// Bundle, or "subject.identifier" in a single resource. Resources are taken in document
// order. Within one, malformed JSON (bad syntax, an element R5 does not define, a
// repeated key, a wrong JSON type) is reported first, in document order; otherwise the
// first unmappable element in R5's element order, where a missing required element
// counts at its own position and a missing method extension after everything else. Codes:
// osallisuus.CodeFormat (syntax, a value's form), CodeUnknownField, CodeDuplicate,
// CodeType, CodeRequired, CodeUnknown (a code or system osallisuus does not know),
// CodeNotAllowed (an element or value that cannot be mapped, such as
// verification.verified other than true), CodeOrder (a period ending before it starts).
func Import(policy *participation.Policy, data []byte, opts Options) ([]participation.ConsentEvent, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	resources, err := split(data)
	if err != nil {
		return nil, importError(err)
	}
	events := make([]participation.ConsentEvent, 0, len(resources))
	for _, r := range resources {
		ev, err := o.importResource(policy, r)
		if err != nil {
			return nil, importError(err)
		}
		events = append(events, ev)
	}
	return events, nil
}

// importError turns the first problem into the returned *osallisuus.ValidationError.
func importError(err error) error {
	if se, ok := errors.AsType[*shapeError](err); ok {
		return &osallisuus.ValidationError{Op: "import fhir consent", Problems: []osallisuus.Problem{se.problem}}
	}
	return err
}

// split finds the resources of the input: one Consent, an array, or a Bundle's entries.
func split(data []byte) ([]located, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fail("", osallisuus.CodeRequired, nil)
	}
	switch trimmed[0] {
	case '[':
		w := &walker{dec: json.NewDecoder(bytes.NewReader(trimmed))}
		if err := w.array("", elem{typ: "resource", many: true, use: useMap}); err != nil {
			return nil, err
		}
		if _, err := w.dec.Token(); !errors.Is(err, io.EOF) {
			return nil, fail("", osallisuus.CodeFormat, map[string]any{"detail": "data after the JSON value"})
		}
		return w.resources, nil
	case '{':
		rt, err := resourceType(trimmed, "")
		if err != nil {
			return nil, err
		}
		if rt == "Bundle" {
			resources, _, err := checkShape(trimmed, "", "Bundle")
			return resources, err
		}
		return []located{{"", trimmed}}, nil
	}
	if !json.Valid(trimmed) {
		return nil, fail("", osallisuus.CodeFormat, map[string]any{"detail": "malformed JSON"})
	}
	return nil, fail("", osallisuus.CodeType, map[string]any{"want": "Consent, array or Bundle"})
}

// resourceType reads the resourceType of an object and checks it is Consent or, at the
// top (path ""), Bundle.
func resourceType(raw []byte, path string) (string, error) {
	var head struct {
		ResourceType json.RawMessage `json:"resourceType"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return "", fail(path, osallisuus.CodeType, map[string]any{"want": "object"})
		}
		return "", syntax(path, err)
	}
	field := osallisuus.JoinField(path, "resourceType")
	if head.ResourceType == nil {
		return "", fail(field, osallisuus.CodeRequired, nil)
	}
	var rt string
	if err := json.Unmarshal(head.ResourceType, &rt); err != nil {
		return "", fail(field, osallisuus.CodeType, map[string]any{"want": "string"})
	}
	if rt == "Consent" || (rt == "Bundle" && path == "") {
		return rt, nil
	}
	return "", fail(field, osallisuus.CodeUnknown, map[string]any{"want": "Consent"})
}

// importResource checks one resource's shape, decodes it and maps it to an event.
func (o Options) importResource(policy *participation.Policy, r located) (participation.ConsentEvent, error) {
	if _, err := resourceType(r.raw, r.path); err != nil {
		return participation.ConsentEvent{}, err
	}
	_, rejects, err := checkShape(r.raw, r.path, "Consent")
	if err != nil {
		return participation.ConsentEvent{}, err
	}
	var c Consent
	if err := json.Unmarshal(r.raw, &c); err != nil { // the shape check rules this out
		return participation.ConsentEvent{}, syntax(r.path, err)
	}
	m := mapper{o: o, policy: policy, path: r.path}
	ev, err := m.event(c)
	if err := firstProblem(r.path, rejects, err); err != nil {
		return participation.ConsentEvent{}, err
	}
	return ev, nil
}

// mapper maps one decoded resource, stopping at the first problem.
type mapper struct {
	o      Options
	policy *participation.Policy
	path   string
}

func (m *mapper) at(field string) string { return osallisuus.JoinField(m.path, field) }

func (m *mapper) fail(field string, code osallisuus.Code) error {
	return fail(m.at(field), code, nil)
}

// event maps c in R5's element order (extensions first, as DomainResource has them).
func (m *mapper) event(c Consent) (participation.ConsentEvent, error) {
	var ev participation.ConsentEvent
	var err error
	if ev.Method, ev.Scope, err = m.extensions(c.Extension); err != nil {
		return ev, err
	}
	switch c.Status {
	case "":
		return ev, m.fail("status", osallisuus.CodeRequired)
	case "active", "inactive":
	default:
		return ev, m.fail("status", osallisuus.CodeUnknown)
	}
	permit := c.Decision == "permit"
	var subject *Identifier
	if subject, err = m.reference("subject", c.Subject, "Patient"); err != nil {
		return ev, err
	}
	if ev.Subject, err = m.resolve("subject.identifier.value", subject.Value); err != nil {
		return ev, err
	}
	if c.Period == nil {
		return ev, m.fail("period", osallisuus.CodeRequired)
	}
	if ev.At, ev.ValidUntil, err = m.period("period", *c.Period); err != nil {
		return ev, err
	}
	if !ev.ValidUntil.IsZero() && c.Decision == "deny" {
		return ev, m.fail("period.end", osallisuus.CodeNotAllowed) // only grants expire
	}
	if ev.By, err = m.grantor(c.Grantor, *subject, ev.Subject); err != nil {
		return ev, err
	}
	for i, g := range c.Grantee {
		if g.Type != "Organization" && !(g.Type == "" && strings.HasPrefix(g.Reference, "Organization/")) {
			return ev, m.fail("grantee["+strconv.Itoa(i)+"]", osallisuus.CodeNotAllowed)
		}
	}
	if ev.NoticeVersion, err = m.notice(c.PolicyBasis, permit); err != nil {
		return ev, err
	}
	if ev.RecordedBy, err = m.verification(c.Verification, ev.At, ev.Method); err != nil {
		return ev, err
	}
	switch {
	case c.Decision == "":
		return ev, m.fail("decision", osallisuus.CodeRequired)
	case permit:
		ev.Action = participation.Grant
	case c.Decision == "deny" && c.Status == "active":
		ev.Action = participation.Refuse
	case c.Decision == "deny":
		ev.Action = participation.Withdraw
	default:
		return ev, m.fail("decision", osallisuus.CodeUnknown)
	}
	if ev.Purpose, err = m.provision(c.Provision, *c.Period); err != nil {
		return ev, err
	}
	if ev.Method == participation.MethodUnspecified {
		// A missing extension has no place in the document, so it is reported after
		// everything that is there: "extension" with the URL it lacks.
		return ev, fail(m.at("extension"), osallisuus.CodeRequired, map[string]any{"url": MethodExtensionURL})
	}
	if m.policy != nil {
		// A safety net: every check above mirrors R1, so this never fires for a mapped
		// event; if it did, the event would be refused at recording anyway.
		if err := participation.ValidateConsentEvent(m.policy, ev); err != nil {
			return ev, fail(m.path, osallisuus.CodeNotAllowed, map[string]any{"detail": err.Error()})
		}
	}
	return ev, nil
}

// extensions reads the method (required) and scope (optional) extensions.
func (m *mapper) extensions(exts []Extension) (participation.Method, string, error) {
	var method participation.Method
	var scope string
	seenMethod, seenScope := false, false
	for i, e := range exts {
		f := "extension[" + strconv.Itoa(i) + "]"
		switch e.URL {
		case MethodExtensionURL:
			if seenMethod {
				return "", "", m.fail(f, osallisuus.CodeDuplicate)
			}
			seenMethod = true
			if e.ValueCode == "" {
				return "", "", m.fail(f+".valueCode", osallisuus.CodeRequired)
			}
			method = participation.Method(e.ValueCode)
			if !method.Valid() {
				return "", "", m.fail(f+".valueCode", osallisuus.CodeUnknown)
			}
		case ScopeExtensionURL:
			if seenScope {
				return "", "", m.fail(f, osallisuus.CodeDuplicate)
			}
			seenScope = true
			if e.ValueString == "" {
				return "", "", m.fail(f+".valueString", osallisuus.CodeRequired)
			}
			if scope = e.ValueString; !participation.ValidScope(scope) {
				return "", "", m.fail(f+".valueString", osallisuus.CodeFormat)
			}
		case "":
			return "", "", m.fail(f+".url", osallisuus.CodeRequired)
		}
	}
	return method, scope, nil
}

// reference checks a reference by identifier in the participant system whose type, when
// given, is want, and returns its identifier.
func (m *mapper) reference(field string, r *Reference, want ...string) (*Identifier, error) {
	if r == nil {
		return nil, m.fail(field, osallisuus.CodeRequired)
	}
	if r.Type != "" && !contains(want, r.Type) {
		return nil, m.fail(field+".type", osallisuus.CodeUnknown)
	}
	if r.Identifier == nil {
		// A literal reference ("Patient/f001") names a resource on some server, not a
		// participant: it cannot be mapped.
		return nil, m.fail(field+".identifier", osallisuus.CodeRequired)
	}
	switch {
	case r.Identifier.System == "":
		return nil, m.fail(field+".identifier.system", osallisuus.CodeRequired)
	case r.Identifier.System != m.o.IdentifierSystem:
		return nil, m.fail(field+".identifier.system", osallisuus.CodeUnknown)
	case r.Identifier.Value == "":
		return nil, m.fail(field+".identifier.value", osallisuus.CodeRequired)
	}
	return r.Identifier, nil
}

func (m *mapper) resolve(field, value string) (osallisuus.ParticipantID, error) {
	id, err := m.o.Resolve(value)
	if err != nil || id.IsZero() {
		return osallisuus.ParticipantID{}, m.fail(field, osallisuus.CodeFormat)
	}
	return id, nil
}

// period reads an instant start and an optional later end.
func (m *mapper) period(field string, p Period) (start, end time.Time, err error) {
	if p.Start == "" {
		return start, end, m.fail(field+".start", osallisuus.CodeRequired)
	}
	if start, err = osallisuus.ParseInstant(p.Start); err != nil {
		return start, end, m.fail(field+".start", osallisuus.CodeFormat)
	}
	if p.End != "" {
		if end, err = osallisuus.ParseInstant(p.End); err != nil {
			return start, end, m.fail(field+".end", osallisuus.CodeFormat)
		}
		if !end.After(start) {
			return start, end, m.fail(field+".end", osallisuus.CodeOrder)
		}
	}
	return start, end, nil
}

// grantor reads the one grantor: the subject (Patient) or a representative
// (RelatedPerson). E2 says the type is what tells them apart, so it is required.
func (m *mapper) grantor(gs []Reference, subject Identifier, subjectID osallisuus.ParticipantID) (osallisuus.ParticipantID, error) {
	switch {
	case len(gs) == 0:
		return osallisuus.ParticipantID{}, m.fail("grantor", osallisuus.CodeRequired)
	case len(gs) > 1:
		return osallisuus.ParticipantID{}, m.fail("grantor[1]", osallisuus.CodeNotAllowed)
	case gs[0].Type == "":
		return osallisuus.ParticipantID{}, m.fail("grantor[0].type", osallisuus.CodeRequired)
	}
	id, err := m.reference("grantor[0]", &gs[0], "Patient", "RelatedPerson")
	if err != nil {
		return osallisuus.ParticipantID{}, err
	}
	if gs[0].Type == "Patient" {
		if *id != subject {
			return osallisuus.ParticipantID{}, m.fail("grantor[0].identifier.value", osallisuus.CodeNotAllowed)
		}
		return subjectID, nil
	}
	return m.resolve("grantor[0].identifier.value", id.Value)
}

// notice reads the notice version from policyBasis.url; a grant needs one ≥ 1 (R1).
func (m *mapper) notice(pb *PolicyBasis, permit bool) (int, error) {
	if pb == nil || pb.URL == "" {
		if permit {
			return 0, m.fail("policyBasis.url", osallisuus.CodeRequired)
		}
		return 0, nil
	}
	digits, ok := strings.CutPrefix(pb.URL, m.o.NoticeURL+"#v")
	if !ok {
		return 0, m.fail("policyBasis.url", osallisuus.CodeUnknown)
	}
	v, err := strconv.Atoi(digits)
	if err != nil || v < 0 || strconv.Itoa(v) != digits || (permit && v < 1) {
		return 0, m.fail("policyBasis.url", osallisuus.CodeFormat)
	}
	return v, nil
}

// verification reads who recorded the event: one verified verification, dated at the
// event if dated. An oral event needs it (R1: recordedBy).
func (m *mapper) verification(vs []Verification, at time.Time, method participation.Method) (osallisuus.ParticipantID, error) {
	switch {
	case len(vs) == 0 && method == participation.Oral:
		return osallisuus.ParticipantID{}, m.fail("verification", osallisuus.CodeRequired) // R1: recordedBy
	case len(vs) == 0:
		return osallisuus.ParticipantID{}, nil
	case len(vs) > 1:
		return osallisuus.ParticipantID{}, m.fail("verification[1]", osallisuus.CodeNotAllowed)
	}
	v := vs[0]
	if !v.Verified {
		return osallisuus.ParticipantID{}, m.fail("verification[0].verified", osallisuus.CodeNotAllowed)
	}
	id, err := m.reference("verification[0].verifiedBy", v.VerifiedBy, "Practitioner", "PractitionerRole")
	if err != nil {
		return osallisuus.ParticipantID{}, err
	}
	for i, d := range v.VerificationDate {
		f := "verification[0].verificationDate[" + strconv.Itoa(i) + "]"
		t, err := osallisuus.ParseInstant(d)
		switch {
		case i > 0:
			return osallisuus.ParticipantID{}, m.fail(f, osallisuus.CodeNotAllowed)
		case err != nil:
			return osallisuus.ParticipantID{}, m.fail(f, osallisuus.CodeFormat)
		case !t.Equal(at):
			return osallisuus.ParticipantID{}, m.fail(f, osallisuus.CodeNotAllowed)
		}
	}
	return m.resolve("verification[0].verifiedBy.identifier.value", id.Value)
}

// provision reads the one provision: its period, if given, must be the consent's, and
// its one purpose Coding names the purpose.
func (m *mapper) provision(ps []Provision, period Period) (string, error) {
	switch {
	case len(ps) == 0:
		return "", m.fail("provision", osallisuus.CodeRequired)
	case len(ps) > 1:
		return "", m.fail("provision[1]", osallisuus.CodeNotAllowed)
	}
	p := ps[0]
	if p.Period != nil {
		start, end, err := m.period("provision[0].period", *p.Period)
		if err != nil {
			return "", err
		}
		s0, e0, _ := m.period("period", period) // already checked
		if !start.Equal(s0) || !end.Equal(e0) {
			return "", m.fail("provision[0].period", osallisuus.CodeNotAllowed)
		}
	}
	const f = "provision[0].purpose"
	switch {
	case len(p.Purpose) == 0:
		return "", m.fail(f, osallisuus.CodeRequired)
	case len(p.Purpose) > 1:
		return "", m.fail(f+"[1]", osallisuus.CodeNotAllowed)
	}
	c := p.Purpose[0]
	switch {
	case c.System == "":
		return "", m.fail(f+"[0].system", osallisuus.CodeRequired)
	case c.System != m.o.PurposeSystem:
		return "", m.fail(f+"[0].system", osallisuus.CodeUnknown)
	case c.Code == "":
		return "", m.fail(f+"[0].code", osallisuus.CodeRequired)
	case m.policy != nil && !m.policy.Has(c.Code):
		return "", m.fail(f+"[0].code", osallisuus.CodeUnknown)
	case m.policy == nil && !validPurposeName(c.Code):
		return "", m.fail(f+"[0].code", osallisuus.CodeFormat)
	}
	return c.Code, nil
}

// validPurposeName reports whether s matches [a-z][a-z0-9._-]* (spec/consent.md §2).
func validPurposeName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func asValidation(err error) *osallisuus.ValidationError {
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	return ve
}
