package participation

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// SubjectFacts are what recording rules need to know about one subject: the birth date
// (or the host's statement that the person is of age when it is unknown), and the
// subject's representations and maturity assessments in registration order.
type SubjectFacts struct {
	Subject osallisuus.ParticipantID
	// BirthDate may be zero (unknown); then Adult decides (spec/consent.md §9).
	BirthDate       osallisuus.Date
	Adult           bool
	Representations []Representation
	Assessments     []MaturityAssessment
}

// FactsOf returns the facts of participant p with its representations and assessments.
func FactsOf(p Participant, reps []Representation, assessments []MaturityAssessment) SubjectFacts {
	return SubjectFacts{Subject: p.ID, BirthDate: p.BirthDate, Adult: p.Adult,
		Representations: reps, Assessments: assessments}
}

// ValidateConsentEvent checks the structure of ev as R1 says and returns a
// *osallisuus.ValidationError naming every bad field, or nil. Whether the subject exists
// is the caller's question (a service looks it up; [CheckConsentEvent] compares with the
// facts).
func ValidateConsentEvent(p *Policy, ev ConsentEvent) error {
	ve := &osallisuus.ValidationError{Op: "record consent event"}
	if ev.At.IsZero() {
		ve.Add("at", osallisuus.CodeRequired)
	}
	if !ev.Action.Valid() {
		ve.Add("action", unknownOrRequired(string(ev.Action)))
	}
	if ev.Subject.IsZero() {
		ve.Add("subject", osallisuus.CodeRequired)
	}
	if ev.By.IsZero() {
		ve.Add("by", osallisuus.CodeRequired)
	}
	if ev.Purpose == "" {
		ve.Add("purpose", osallisuus.CodeRequired)
	} else if !p.Has(ev.Purpose) {
		ve.Add("purpose", osallisuus.CodeUnknown)
	}
	if !ValidScope(ev.Scope) {
		ve.Add("scope", osallisuus.CodeFormat)
	}
	if !ev.Method.Valid() {
		ve.Add("method", unknownOrRequired(string(ev.Method)))
	}
	if ev.Method == Oral && ev.RecordedBy.IsZero() {
		ve.Add("recordedBy", osallisuus.CodeRequired)
	}
	switch {
	case ev.NoticeVersion < 0:
		ve.AddParams("noticeVersion", osallisuus.CodeOutOfRange, map[string]any{"min": 0})
	case ev.Action == Grant && ev.NoticeVersion < 1:
		ve.AddParams("noticeVersion", osallisuus.CodeOutOfRange, map[string]any{"min": 1})
	}
	if ev.NoticeHash != "" && !validNoticeHash(ev.NoticeHash) {
		ve.Add("noticeHash", osallisuus.CodeFormat)
	}
	if !ev.ValidUntil.IsZero() {
		switch {
		case ev.Action.denies():
			ve.Add("validUntil", osallisuus.CodeNotAllowed)
		case !ev.At.IsZero() && !ev.ValidUntil.After(ev.At):
			ve.Add("validUntil", osallisuus.CodeOrder)
		}
	}
	return ve.Err()
}

// CheckConsentEvent decides whether ev may be appended (spec/consent.md §6): first R1
// (structure; a *osallisuus.ValidationError matching ErrInvalid), then R2 (authority; a
// *osallisuus.RuleError matching ErrForbidden with reason granter-not-authorized). On
// success it returns the authority under which the actor acts, preferring, as E1 says,
// self-age, self-maturity, self-refusal, guardian, trustee, proxy, and among
// representations of one kind the earliest registered. It never looks at other events
// (R4) and judges authority only at ev.At (R3). Pure: no clock, no I/O.
func CheckConsentEvent(p *Policy, f SubjectFacts, ev ConsentEvent) (Authority, error) {
	if err := ValidateConsentEvent(p, ev); err != nil {
		return Authority{}, err
	}
	if !f.Subject.IsZero() && f.Subject != ev.Subject {
		return Authority{}, osallisuus.Invalid("subject", osallisuus.CodeUnknown)
	}
	pu := p.lookup(ev.Purpose)
	if a, ok := authorize(pu, f, ev); ok {
		return a, nil
	}
	return Authority{}, &osallisuus.RuleError{Op: "record consent event", Kind: osallisuus.ErrForbidden,
		Reasons: []osallisuus.Reason{ReasonNotAuthorized}}
}

func authorize(pu *compiledPurpose, f SubjectFacts, ev ConsentEvent) (Authority, bool) {
	t := ev.At
	adult, selfOK := f.ageFacts(pu.selfAge(), t)
	var mature *MaturityAssessment
	for i := range f.Assessments {
		if f.Assessments[i].ValidFor(ev.Subject, ev.Purpose, t) {
			mature = &f.Assessments[i]
			break
		}
	}
	if ev.By == ev.Subject { // R2a
		switch {
		case selfOK:
			return Authority{Kind: AuthoritySelfAge}, true
		case mature != nil:
			return Authority{Kind: AuthoritySelfMature, Ref: mature.ID.UUID}, true
		case ev.Action.denies():
			return Authority{Kind: AuthoritySelfRefusal}, true
		}
		return Authority{}, false
	}
	for _, kind := range [...]RepresentationKind{Guardian, Trustee, Proxy} {
		for _, r := range f.Representations {
			if r.Kind != kind || r.Representative != ev.By || r.Subject != ev.Subject ||
				!r.InForce(t) || !r.Covers(ev.Purpose) {
				continue
			}
			switch kind {
			case Guardian: // R2b
				if adult || selfOK || mature != nil {
					continue
				}
				return Authority{Kind: AuthorityGuardian, Ref: r.ID.UUID}, true
			case Trustee: // R2c
				if !hasScope(r.Scopes, ScopePersonal) {
					continue
				}
				return Authority{Kind: AuthorityTrustee, Ref: r.ID.UUID}, true
			case Proxy: // R2d; Covers already refuses a proxy with no purposes
				return Authority{Kind: AuthorityProxy, Ref: r.ID.UUID}, true
			}
		}
	}
	return Authority{}, false
}

// ageFacts returns whether the subject is of age (18) and may grant alone at t under
// self-consent age sca. With the birth date unknown both follow Adult (spec §9).
func (f SubjectFacts) ageFacts(sca int, t time.Time) (adult, selfOK bool) {
	if f.BirthDate.IsZero() {
		return f.Adult, f.Adult
	}
	age := osallisuus.AgeOn(f.BirthDate, osallisuus.DateOf(t))
	return age >= 18, age >= sca
}

func hasScope(scopes []TrusteeScope, s TrusteeScope) bool {
	for _, x := range scopes {
		if x == s {
			return true
		}
	}
	return false
}
