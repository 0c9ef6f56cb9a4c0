package fhir

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// The default [Options]. They are placeholders under the project's own namespace, so
// that the command line and tests export without configuration and no system or value
// is ever empty (spec/consent.md E2); a county sets its own.
const (
	// DefaultIdentifierSystem is the identifier namespace of participant IDs.
	DefaultIdentifierSystem = "https://github.com/osallisuus/osallisuus/fhir/participant-id"
	// DefaultPurposeSystem is the code system of purpose names (provision.purpose).
	DefaultPurposeSystem = "https://github.com/osallisuus/osallisuus/fhir/consent-purpose"
	// DefaultGranteeSystem and DefaultGranteeValue identify the host organisation.
	DefaultGranteeSystem = "https://github.com/osallisuus/osallisuus/fhir/organization"
	DefaultGranteeValue  = "controller"
	// DefaultNoticeURL is the privacy notice; policyBasis.url is it plus "#v" and the
	// notice version.
	DefaultNoticeURL = "https://github.com/osallisuus/osallisuus/fhir/privacy-notice"
)

// Options configure [Export] and [Import]. The zero Options is the defaults; any empty
// field takes its default.
type Options struct {
	// IdentifierSystem is the system of participant identifiers (subject, grantor,
	// verifiedBy). Default [DefaultIdentifierSystem].
	IdentifierSystem string
	// PurposeSystem is the system of the purpose Coding. Default [DefaultPurposeSystem].
	PurposeSystem string
	// Grantee identifies the host organisation (the controller) that receives the
	// consent. Default [DefaultGranteeSystem] / [DefaultGranteeValue].
	Grantee Identifier
	// NoticeURL is the URL of the privacy notice (tietosuojaseloste), without a fragment;
	// policyBasis.url is NoticeURL + "#v" + the notice version. Default [DefaultNoticeURL].
	NoticeURL string
	// Identify gives the identifier value of a participant on export. Default: the ID's
	// canonical text. It must return a non-empty value without leading or trailing space.
	Identify func(osallisuus.ParticipantID) string
	// Resolve gives the participant of an identifier value on import. Default: parse the
	// value as a UUID. An error names the identifier's value as unmappable.
	Resolve func(value string) (osallisuus.ParticipantID, error)
}

// withDefaults fills empty fields and checks the result; the error is a
// *osallisuus.ValidationError with fields such as "options.noticeUrl".
func (o Options) withDefaults() (Options, error) {
	o.IdentifierSystem = cmp.Or(o.IdentifierSystem, DefaultIdentifierSystem)
	o.PurposeSystem = cmp.Or(o.PurposeSystem, DefaultPurposeSystem)
	if o.Grantee == (Identifier{}) {
		o.Grantee = Identifier{System: DefaultGranteeSystem, Value: DefaultGranteeValue}
	}
	o.NoticeURL = cmp.Or(o.NoticeURL, DefaultNoticeURL)
	if o.Identify == nil {
		o.Identify = func(id osallisuus.ParticipantID) string { return id.String() }
	}
	if o.Resolve == nil {
		o.Resolve = osallisuus.ParseParticipantID
	}
	ve := &osallisuus.ValidationError{Op: "fhir options"}
	for _, f := range []struct{ name, v string }{
		{"options.identifierSystem", o.IdentifierSystem}, {"options.purposeSystem", o.PurposeSystem},
		{"options.grantee.system", o.Grantee.System}, {"options.noticeUrl", o.NoticeURL},
	} {
		if !validURI(f.v) {
			ve.Add(f.name, osallisuus.CodeFormat)
		}
	}
	if strings.Contains(o.NoticeURL, "#") {
		ve.Add("options.noticeUrl", osallisuus.CodeNotAllowed) // the version is the fragment
	}
	if !validString(o.Grantee.Value) {
		ve.Add("options.grantee.value", osallisuus.CodeRequired)
	}
	return o, ve.Err()
}

// DefaultOptions returns the zero Options with every default filled in, for hosts that
// want to print or change them.
func DefaultOptions() Options {
	o, _ := Options{}.withDefaults() // the defaults are valid; a test pins it
	return o
}

// Export returns the R5 Consent resources of subject at instant t (spec/consent.md E2):
// one per (purpose, scope) pair among subject's events with at ≤ t whose purpose has the
// consent basis, sorted by purpose then scope. events are the subject's ledger events in
// ledger order (others' events are skipped). Each resource is the [participation.Decide]
// answer to a query for its purpose and scope at t:
//
//   - status "active" for granted and refused, "inactive" for withdrawn, expired,
//     notice-outdated and not-explicit; decision "permit" for a winning grant, "deny" for
//     a refusal or withdrawal;
//   - subject and grantor as references by identifier, the grantor typed Patient when
//     the subject acted and RelatedPerson when a representative did; grantee the host
//     organisation; date the Helsinki date of the deciding event;
//   - period and provision[0].period from the deciding event's instant to its expiry
//     ([participation.ConsentDecision.ExpiresAt]), if any; provision[0].purpose one Coding;
//   - extensions for the method (always) and a non-global scope; policyBasis.url the
//     notice URL with "#v" and the notice version; verification for oral events.
//
// Instants are written at their Helsinki offset (+02:00 or +03:00). Choices E2 leaves
// open: a scope pair's resource carries the pair's scope even when a global event
// decides it (the query for that scope sees global events, D3); purposes no longer in
// the policy are left out, since nothing can be decided for them; the notice hash has no
// R5 element in E2 and is not exported. The result is never nil, so it marshals as "[]"
// when there is nothing to export.
//
// Errors are *osallisuus.ValidationError (ErrInvalid): a zero subject or t, bad options,
// or an Identify that returns an empty value.
func Export(policy *participation.Policy, events []participation.ConsentEvent,
	subject osallisuus.ParticipantID, t time.Time, opts Options) ([]Consent, error) {
	o, err := opts.withDefaults()
	ve := &osallisuus.ValidationError{Op: "export fhir consent"}
	if err != nil {
		ve.Merge("", asValidation(err))
	}
	if subject.IsZero() {
		ve.Add("subject", osallisuus.CodeRequired)
	}
	if t.IsZero() {
		ve.Add("at", osallisuus.CodeRequired)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	type pair struct{ purpose, scope string }
	var pairs []pair
	for _, e := range events {
		if e.Subject != subject || e.At.After(t) {
			continue
		}
		pu, ok := policy.Purpose(e.Purpose)
		if !ok || pu.Basis == participation.BasisPublicTask {
			continue
		}
		if p := (pair{e.Purpose, e.Scope}); !slices.Contains(pairs, p) {
			pairs = append(pairs, p)
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.purpose, b.purpose), strings.Compare(a.scope, b.scope))
	})
	out := make([]Consent, 0, len(pairs))
	for _, p := range pairs {
		d, err := participation.Decide(policy, events, participation.ConsentQuery{
			Subject: subject, Purpose: p.purpose, Scope: p.scope, At: t})
		if err != nil {
			return nil, err
		}
		c, err := o.consent(d)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// consent builds the resource of one decision, whose deciding event exists (the pair
// came from an applicable event).
func (o Options) consent(d participation.ConsentDecision) (Consent, error) {
	w := *d.Event
	ve := &osallisuus.ValidationError{Op: "export fhir consent"}
	ref := func(field, typ string, id osallisuus.ParticipantID) *Reference {
		v := o.Identify(id)
		if !validString(v) {
			ve.Add(field, osallisuus.CodeRequired)
		}
		return &Reference{Type: typ, Identifier: &Identifier{System: o.IdentifierSystem, Value: v}}
	}
	period := &Period{Start: FormatDateTime(w.At)}
	if !d.ExpiresAt.IsZero() {
		period.End = FormatDateTime(d.ExpiresAt)
	}
	c := Consent{
		ResourceType: "Consent",
		Extension:    []Extension{{URL: MethodExtensionURL, ValueCode: string(w.Method)}},
		Status:       "inactive",
		Subject:      ref("subject", "Patient", d.Query.Subject),
		Date:         osallisuus.DateOf(w.At).String(),
		Period:       period,
		Grantee:      []Reference{{Type: "Organization", Identifier: &Identifier{System: o.Grantee.System, Value: o.Grantee.Value}}},
		PolicyBasis:  &PolicyBasis{URL: o.NoticeURL + "#v" + strconv.Itoa(w.NoticeVersion)},
		Decision:     "deny",
		Provision: []Provision{{Period: &Period{Start: period.Start, End: period.End},
			Purpose: []Coding{{System: o.PurposeSystem, Code: d.Query.Purpose}}}},
	}
	if d.Query.Scope != "" {
		c.Extension = append(c.Extension, Extension{URL: ScopeExtensionURL, ValueString: d.Query.Scope})
	}
	if d.Reason == participation.ReasonGranted || d.Reason == participation.ReasonRefused {
		c.Status = "active"
	}
	if w.Action == participation.Grant {
		c.Decision = "permit"
	}
	grantorType := "RelatedPerson"
	if w.By == w.Subject {
		grantorType = "Patient"
	}
	c.Grantor = []Reference{*ref("grantor", grantorType, w.By)}
	if w.Method == participation.Oral {
		c.Verification = []Verification{{Verified: true,
			VerifiedBy:       ref("verification.verifiedBy", "Practitioner", w.RecordedBy),
			VerificationDate: []string{period.Start}}}
	}
	return c, ve.Err()
}

// FormatDateTime writes instant t as a FHIR dateTime at its Helsinki offset (+02:00 or
// +03:00, spec/consent.md T3), with as many fraction digits as it needs.
func FormatDateTime(t time.Time) string {
	return t.In(time.FixedZone("", osallisuus.HelsinkiOffset(t))).Format(time.RFC3339Nano)
}

// validURI reports whether s is a non-empty FHIR uri (no whitespace) with a scheme.
func validURI(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	i := strings.IndexByte(s, ':')
	return i > 0
}

// validString reports whether s is a non-empty FHIR string without leading or trailing
// whitespace or control characters.
func validString(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r < 0x20 {
			return false
		}
	}
	return true
}
