package fhir

// The types below are the subset of HL7 FHIR R5 (5.0.0) that [Export] writes and
// [Import] reads, written by hand from the R5 definitions of Consent and of the data types
// it uses (hl7.org/fhir/R5/consent.html). Cardinalities follow R5: 0..* elements are JSON
// arrays, 0..1 elements single values, and empty values are left out (FHIR allows no
// empty strings, arrays or objects). Field order is R5's element order, which is also the
// order encoding/json writes them in.

// The URLs of the extensions osallisuus defines for Consent (spec/consent.md E2).
const (
	// ScopeExtensionURL carries a non-global consent scope ("panel:north") as valueString.
	ScopeExtensionURL = "https://github.com/osallisuus/osallisuus/fhir/consent-scope"
	// MethodExtensionURL carries the consent method (written, electronic, oral) as
	// valueCode.
	MethodExtensionURL = "https://github.com/osallisuus/osallisuus/fhir/consent-method"
)

// Consent is an R5 Consent resource (suostumus) as E2 exports it: one subject's decision
// for one purpose and scope. Elements osallisuus never writes are not fields; [Import]
// recognises them and says which cannot be mapped.
type Consent struct {
	// ResourceType is always "Consent".
	ResourceType string      `json:"resourceType"`
	Extension    []Extension `json:"extension,omitempty"`
	// Status is "active" (granted, refused) or "inactive" (withdrawn, expired,
	// notice-outdated, not-explicit).
	Status string `json:"status"`
	// Subject is the participant, a Patient reference by identifier.
	Subject *Reference `json:"subject,omitempty"`
	// Date is the Helsinki date (YYYY-MM-DD) of the deciding event.
	Date string `json:"date,omitempty"`
	// Period starts at the deciding event and ends at its expiry, if any.
	Period *Period `json:"period,omitempty"`
	// Grantor is the actor: a Patient when the subject acted, else a RelatedPerson.
	Grantor []Reference `json:"grantor,omitempty"`
	// Grantee is the host organisation (the controller), an Organization.
	Grantee []Reference `json:"grantee,omitempty"`
	// PolicyBasis points at the privacy notice version shown (R5: 0..1, an object).
	PolicyBasis *PolicyBasis `json:"policyBasis,omitempty"`
	// Verification records who took an oral consent, and when.
	Verification []Verification `json:"verification,omitempty"`
	// Decision is "permit" (a grant) or "deny" (a refusal or withdrawal).
	Decision  string      `json:"decision,omitempty"`
	Provision []Provision `json:"provision,omitempty"`
}

// Extension is an R5 Extension with the two value types osallisuus uses.
type Extension struct {
	URL         string `json:"url"`
	ValueCode   string `json:"valueCode,omitempty"`
	ValueString string `json:"valueString,omitempty"`
}

// Reference is an R5 Reference; osallisuus writes references by Identifier with a Type
// (Patient, RelatedPerson, Practitioner, Organization), never literal URLs.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Identifier is an R5 Identifier: a value in a namespace (system).
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Period is an R5 Period of two dateTimes; an empty End is open.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// PolicyBasis is R5 Consent.policyBasis: the policy (privacy notice) the consent was
// given under.
type PolicyBasis struct {
	URL string `json:"url,omitempty"`
}

// Verification is R5 Consent.verification. Verified is required (1..1) in R5.
type Verification struct {
	Verified         bool       `json:"verified"`
	VerifiedBy       *Reference `json:"verifiedBy,omitempty"`
	VerificationDate []string   `json:"verificationDate,omitempty"`
}

// Provision is R5 Consent.provision with the elements E2 uses: the period and the
// purpose, a Coding (R5: provision.purpose is 0..* Coding).
type Provision struct {
	Period  *Period  `json:"period,omitempty"`
	Purpose []Coding `json:"purpose,omitempty"`
}

// Coding is an R5 Coding.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}
