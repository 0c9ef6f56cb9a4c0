package participation

import (
	"strconv"
	"unique"

	"github.com/osallisuus/osallisuus"
)

// Basis is the legal basis of processing for a purpose (spec/consent.md §2).
type Basis string

// The bases. The zero value means BasisConsent.
const (
	// BasisConsent: processing needs the subject's consent, GDPR Art 6(1)(a).
	BasisConsent Basis = "consent"
	// BasisPublicTask: processing is a statutory task, Art 6(1)(e); a consent question
	// is answered `not-required` whatever the ledger holds (D2).
	BasisPublicTask Basis = "public-task"
)

// Purpose is one named processing purpose (käyttötarkoitus) the host configures.
type Purpose struct {
	// Name matches [a-z][a-z0-9._-]* and is unique in the policy.
	Name  string `json:"name"`
	Basis Basis  `json:"basis,omitzero"`
	// Explicit marks special-category data: only written or electronic grants count (D6.3).
	Explicit bool `json:"explicit,omitzero"`
	// SelfConsentAge is the age from which the subject may grant alone, 0..18; 0 means 18.
	SelfConsentAge int `json:"selfConsentAge,omitzero"`
	// MaxDuration is the longest life of a grant, an ISO 8601 period (P1) or "" for none.
	MaxDuration string `json:"maxDuration,omitzero"`
	// MinNoticeVersion makes grants under an older notice no longer count; 0 is none.
	MinNoticeVersion int `json:"minNoticeVersion,omitzero"`
}

// Policy is the host's list of purposes (spec/consent.md §2). Call [Policy.Validate] once
// after building or changing it: it checks the purposes and compiles them (durations and a
// name index) for fast decisions. The policy is read at decision time (P3), so a changed
// and re-validated policy changes later answers for events already stored. A validated
// Policy is safe for concurrent use as long as nobody changes it.
type Policy struct {
	Purposes []Purpose `json:"purposes"`

	compiled []compiledPurpose // set by Validate; parallel to Purposes
	index    map[string]int
}

type compiledPurpose struct {
	Purpose
	period osallisuus.Period
	handle unique.Handle[string] // of Name, as a Trail holds it: comparing them is comparing pointers
}

// Validate checks every purpose (P1, P2, unique names) and compiles the policy. The error
// is a *osallisuus.ValidationError with paths such as "purposes[1].maxDuration".
func (p *Policy) Validate() error {
	compiled, err := compilePolicy(p.Purposes)
	if err != nil {
		return err
	}
	p.compiled = compiled
	p.index = nil
	if len(compiled) > 8 {
		p.index = make(map[string]int, len(compiled))
		for i, c := range compiled {
			p.index[c.Name] = i
		}
	}
	return nil
}

func compilePolicy(ps []Purpose) ([]compiledPurpose, error) {
	ve := &osallisuus.ValidationError{Op: "validate policy"}
	out := make([]compiledPurpose, len(ps))
	seen := make(map[string]bool, len(ps))
	for i, pu := range ps {
		f := "purposes" + index(i)
		switch {
		case pu.Name == "":
			ve.Add(f+".name", osallisuus.CodeRequired)
		case !validName(pu.Name):
			ve.Add(f+".name", osallisuus.CodeFormat)
		case seen[pu.Name]:
			ve.Add(f+".name", osallisuus.CodeDuplicate)
		}
		seen[pu.Name] = true
		switch pu.Basis {
		case "", BasisConsent, BasisPublicTask:
		default:
			ve.Add(f+".basis", osallisuus.CodeUnknown)
		}
		if pu.SelfConsentAge < 0 || pu.SelfConsentAge > 18 {
			ve.AddParams(f+".selfConsentAge", osallisuus.CodeOutOfRange, map[string]any{"min": 0, "max": 18})
		}
		if pu.MinNoticeVersion < 0 {
			ve.AddParams(f+".minNoticeVersion", osallisuus.CodeOutOfRange, map[string]any{"min": 0})
		}
		out[i] = compiledPurpose{Purpose: pu, handle: unique.Make(pu.Name)}
		if pu.MaxDuration != "" {
			per, err := osallisuus.ParsePeriod(pu.MaxDuration)
			if err != nil {
				ve.Add(f+".maxDuration", osallisuus.CodeFormat)
			}
			out[i].period = per
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Purpose returns the purpose named name and whether it exists.
func (p *Policy) Purpose(name string) (Purpose, bool) {
	c := p.lookup(name)
	if c == nil {
		return Purpose{}, false
	}
	return c.Purpose, true
}

// Has reports whether the policy has a purpose named name.
func (p *Policy) Has(name string) bool { return p.lookup(name) != nil }

// lookup finds a compiled purpose. An unvalidated policy (or one whose Purposes changed
// length since Validate) is compiled on the fly, which is correct but slower; an invalid
// one has no purposes.
func (p *Policy) lookup(name string) *compiledPurpose {
	if p == nil {
		return nil
	}
	compiled := p.compiled
	if len(compiled) != len(p.Purposes) {
		var err error
		if compiled, err = compilePolicy(p.Purposes); err != nil {
			return nil
		}
	}
	if p.index != nil && len(compiled) == len(p.compiled) {
		if i, ok := p.index[name]; ok {
			return &compiled[i]
		}
		return nil
	}
	for i := range compiled {
		if compiled[i].Name == name {
			return &compiled[i]
		}
	}
	return nil
}

// selfAge returns the effective self-consent age (0 means 18).
func (c *compiledPurpose) selfAge() int {
	if c.SelfConsentAge == 0 {
		return 18
	}
	return c.SelfConsentAge
}

// validName reports whether s matches [a-z][a-z0-9._-]*.
func validName(s string) bool {
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

func index(i int) string { return "[" + strconv.Itoa(i) + "]" }
