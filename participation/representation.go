package participation

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
)

// RepresentationID identifies a [Representation]; the zero value means "not set".
type RepresentationID struct{ uuid.UUID }

// AssessmentID identifies a [MaturityAssessment]; the zero value means "not set".
type AssessmentID struct{ uuid.UUID }

// NewRepresentationID returns a new version 7 representation ID.
func NewRepresentationID() (RepresentationID, error) {
	u, err := osallisuus.NewUUID()
	return RepresentationID{u}, err
}

// NewAssessmentID returns a new version 7 assessment ID.
func NewAssessmentID() (AssessmentID, error) {
	u, err := osallisuus.NewUUID()
	return AssessmentID{u}, err
}

// IsZero reports whether id is unset.
func (id RepresentationID) IsZero() bool { return id.UUID == uuid.Nil }

// IsZero reports whether id is unset.
func (id AssessmentID) IsZero() bool { return id.UUID == uuid.Nil }

// RepresentationKind is the legal ground on which one person acts for another.
type RepresentationKind string

// The representation kinds (spec/consent.md §1, S2).
const (
	RepresentationUnspecified RepresentationKind = ""
	// Guardian (huoltaja): custodian of a minor; acts in personal matters until the child
	// may decide alone (R2b). Huoltolaki 361/1983.
	Guardian RepresentationKind = "guardian"
	// Trustee (edunvalvoja): court- or authority-appointed; economic matters unless the
	// order also covers personal ones (R2c). Holhoustoimilaki 442/1999.
	Trustee RepresentationKind = "trustee"
	// Proxy (valtuutettu): a mandate the subject gave, for the purposes it lists (R2d).
	Proxy RepresentationKind = "proxy"
)

// Valid reports whether k is one of the defined kinds.
func (k RepresentationKind) Valid() bool {
	return k == Guardian || k == Trustee || k == Proxy
}

// TrusteeScope is a field of matters a trustee's order covers.
type TrusteeScope string

// The trustee scopes (spec/consent.md S2).
const (
	ScopeEconomic TrusteeScope = "economic" // taloudelliset asiat, the default of 442/1999 §29
	ScopePersonal TrusteeScope = "personal" // henkilöä koskevat asiat, only if ordered
)

// Representation says that Representative may act for Subject (spec/consent.md S2), as a
// guardian, trustee or proxy, for the days From..Until (inclusive; zero is open).
type Representation struct {
	ID             RepresentationID         `json:"id"`
	Representative osallisuus.ParticipantID `json:"representative"`
	Subject        osallisuus.ParticipantID `json:"subject"`
	Kind           RepresentationKind       `json:"kind"`
	From           osallisuus.Date          `json:"from,omitzero"`
	Until          osallisuus.Date          `json:"until,omitzero"`
	// Scopes are the trustee's fields of matters; only ScopePersonal lets a trustee act
	// on consent.
	Scopes []TrusteeScope `json:"scopes,omitempty"`
	// Purposes limits the representation to these purposes; empty means all, except for
	// a proxy, where empty covers nothing.
	Purposes  []string  `json:"purposes,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	Version   int64     `json:"version"`
}

// Validate checks S2's structure; known is nil or reports whether a purpose name is in the
// policy. It does not check that the subject exists (the service does).
func (r Representation) Validate(known func(purpose string) bool) error {
	ve := &osallisuus.ValidationError{Op: "validate representation"}
	if r.ID.IsZero() {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if r.Subject.IsZero() {
		ve.Add("subject", osallisuus.CodeRequired)
	}
	switch {
	case r.Representative.IsZero():
		ve.Add("representative", osallisuus.CodeRequired)
	case r.Representative == r.Subject:
		ve.Add("representative", osallisuus.CodeNotAllowed)
	}
	if !r.Kind.Valid() {
		ve.Add("kind", unknownOrRequired(string(r.Kind)))
	}
	if !r.From.IsZero() && !r.From.Valid() {
		ve.Add("from", osallisuus.CodeFormat)
	}
	if !r.Until.IsZero() && !r.Until.Valid() {
		ve.Add("until", osallisuus.CodeFormat)
	} else if !r.From.IsZero() && !r.Until.IsZero() && r.Until.Before(r.From) {
		ve.Add("until", osallisuus.CodeOrder)
	}
	for i, s := range r.Scopes {
		if s != ScopeEconomic && s != ScopePersonal {
			ve.Add(osallisuus.JoinField("scopes", index(i)), osallisuus.CodeUnknown)
		}
	}
	validatePurposes(ve, "purposes", r.Purposes, known)
	return ve.Err()
}

// InForce reports whether r holds at instant t (T4: From ≤ date(t) ≤ Until).
func (r Representation) InForce(t time.Time) bool {
	return osallisuus.DateRange{From: r.From, Until: r.Until}.Contains(t)
}

// Covers reports whether r covers purpose p: empty Purposes cover all, except that a
// proxy with no purposes covers nothing (S2).
func (r Representation) Covers(p string) bool {
	if len(r.Purposes) == 0 {
		return r.Kind != Proxy
	}
	return slices.Contains(r.Purposes, p)
}

// Clone returns a deep copy.
func (r Representation) Clone() Representation {
	r.Scopes = slices.Clone(r.Scopes)
	r.Purposes = slices.Clone(r.Purposes)
	return r
}

// MaturityAssessment (kypsyysarvio) records that staff assessed a minor mature enough to
// decide the listed purposes alone (spec/consent.md S3). Sosiaalihuollon asiakaslaki
// 812/2000 §10; potilaslaki 785/1992 §7.
type MaturityAssessment struct {
	ID      AssessmentID             `json:"id"`
	Subject osallisuus.ParticipantID `json:"subject"`
	// By is the staff member who assessed.
	By       osallisuus.ParticipantID `json:"by"`
	At       time.Time                `json:"at"`
	Purposes []string                 `json:"purposes"`
	// Until is the last day the assessment is valid (inclusive); zero is open.
	Until     osallisuus.Date `json:"until,omitzero"`
	CreatedAt time.Time       `json:"createdAt,omitzero"`
}

// Validate checks S3's structure; known is nil or reports whether a purpose is in the
// policy.
func (a MaturityAssessment) Validate(known func(purpose string) bool) error {
	ve := &osallisuus.ValidationError{Op: "validate maturity assessment"}
	if a.ID.IsZero() {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if a.Subject.IsZero() {
		ve.Add("subject", osallisuus.CodeRequired)
	}
	if a.By.IsZero() {
		ve.Add("by", osallisuus.CodeRequired)
	}
	if a.At.IsZero() {
		ve.Add("at", osallisuus.CodeRequired)
	}
	if len(a.Purposes) == 0 {
		ve.Add("purposes", osallisuus.CodeRequired)
	}
	validatePurposes(ve, "purposes", a.Purposes, known)
	if !a.Until.IsZero() {
		if !a.Until.Valid() {
			ve.Add("until", osallisuus.CodeFormat)
		} else if !a.At.IsZero() && a.Until.Before(osallisuus.DateOf(a.At)) {
			ve.Add("until", osallisuus.CodeOrder)
		}
	}
	return ve.Err()
}

// ValidFor reports whether a is valid for subject s and purpose p at t (S3): about s,
// lists p, At ≤ t and date(t) ≤ Until when set.
func (a MaturityAssessment) ValidFor(s osallisuus.ParticipantID, p string, t time.Time) bool {
	if a.Subject != s || a.At.After(t) || !slices.Contains(a.Purposes, p) {
		return false
	}
	return a.Until.IsZero() || !osallisuus.DateOf(t).After(a.Until)
}

// Clone returns a deep copy.
func (a MaturityAssessment) Clone() MaturityAssessment {
	a.Purposes = slices.Clone(a.Purposes)
	return a
}

func validatePurposes(ve *osallisuus.ValidationError, field string, ps []string, known func(string) bool) {
	for i, p := range ps {
		f := osallisuus.JoinField(field, index(i))
		switch {
		case p == "":
			ve.Add(f, osallisuus.CodeRequired)
		case known != nil && !known(p):
			ve.Add(f, osallisuus.CodeUnknown)
		case slices.Index(ps, p) < i:
			ve.Add(f, osallisuus.CodeDuplicate)
		}
	}
}
