package panel

import (
	"github.com/osallisuus/osallisuus"
)

// Reason codes of refusals (spec §12.4). State conflicts use the state itself as reason
// (draft, closed, waitlisted, offered, active, suspended, an end reason, a meeting,
// proposal, call or application state).
const (
	ReasonExists           osallisuus.Reason = "exists"
	ReasonAlreadyMember    osallisuus.Reason = "already-member"
	ReasonNoTerm           osallisuus.Reason = "no-term"
	ReasonAppointedPanel   osallisuus.Reason = "appointed-panel"
	ReasonOpenPanel        osallisuus.Reason = "open-panel"
	ReasonAudience         osallisuus.Reason = "audience"
	ReasonIneligible       osallisuus.Reason = "ineligible"
	ReasonNoAssent         osallisuus.Reason = "no-assent"
	ReasonMaxTerms         osallisuus.Reason = "max-terms"
	ReasonFull             osallisuus.Reason = "full"
	ReasonQuotaMax         osallisuus.Reason = "quota-max"
	ReasonReservedForQuota osallisuus.Reason = "reserved-for-quota"
	ReasonDeputy           osallisuus.Reason = "deputy"
	ReasonDeputyExists     osallisuus.Reason = "deputy-exists"
	ReasonNoDeputies       osallisuus.Reason = "no-deputies"
	ReasonChairTaken       osallisuus.Reason = "chair-taken"
	ReasonViceChairsFull   osallisuus.Reason = "vice-chairs-full"
	ReasonChairFrom        osallisuus.Reason = "chair-from"
	ReasonAlreadyRenewed   osallisuus.Reason = "already-renewed"
	ReasonNoNextTerm       osallisuus.Reason = "no-next-term"
	ReasonNotStarted       osallisuus.Reason = "not-started"
	ReasonNotChair         osallisuus.Reason = "not-chair"
	ReasonNoMinutes        osallisuus.Reason = "no-minutes"
	ReasonApproved         osallisuus.Reason = "approved"
	ReasonNotAdopted       osallisuus.Reason = "not-adopted"
	ReasonDeclined         osallisuus.Reason = "declined"
	ReasonNotOpen          osallisuus.Reason = "not-open"
	ReasonClosed           osallisuus.Reason = "closed"
	ReasonOpen             osallisuus.Reason = "open"
	ReasonSelected         osallisuus.Reason = "selected"
	ReasonNotScreened      osallisuus.Reason = "not-screened"
)

func conflict(op string, r osallisuus.Reason) error {
	return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrConflict, Reasons: []osallisuus.Reason{r}}
}

func forbidden(op string, r ...osallisuus.Reason) error {
	return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrForbidden, Reasons: r}
}

func capacity(op string, r osallisuus.Reason) error {
	return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrCapacity, Reasons: []osallisuus.Reason{r}}
}

func invalid(op, field string, code osallisuus.Code) error {
	return &osallisuus.ValidationError{Op: op, Problems: []osallisuus.Problem{{Field: field, Code: code}}}
}

// stateReason is the conflict reason of a membership's state: the state, or the end
// reason of an ended one.
func stateReason(m *Membership) osallisuus.Reason {
	if m.State == MemberEnded {
		return osallisuus.Reason(m.Reason)
	}
	return osallisuus.Reason(m.State)
}
