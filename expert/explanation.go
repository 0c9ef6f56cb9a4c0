package expert

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// The reason codes of the hard filters H1–H11 (spec §7), in filter order.
const (
	ReasonNotActive          osallisuus.Reason = "not-active"
	ReasonExperienceMismatch osallisuus.Reason = "experience-mismatch"
	ReasonAreaMismatch       osallisuus.Reason = "area-mismatch"
	ReasonLanguageMismatch   osallisuus.Reason = "language-mismatch"
	ReasonUnavailable        osallisuus.Reason = "unavailable"
	ReasonDoubleBooked       osallisuus.Reason = "double-booked"
	ReasonTaskTypeExcluded   osallisuus.Reason = "task-type-excluded"
	ReasonConflictOfInterest osallisuus.Reason = "conflict-of-interest"
	ReasonAssignmentCap      osallisuus.Reason = "assignment-cap"
	ReasonEarningsCap        osallisuus.Reason = "earnings-cap"
	ReasonAlreadyInRequest   osallisuus.Reason = "already-in-request"
)

var filterReasons = [...]osallisuus.Reason{ReasonNotActive, ReasonExperienceMismatch,
	ReasonAreaMismatch, ReasonLanguageMismatch, ReasonUnavailable, ReasonDoubleBooked,
	ReasonTaskTypeExcluded, ReasonConflictOfInterest, ReasonAssignmentCap, ReasonEarningsCap,
	ReasonAlreadyInRequest}

// Reasons is the set of hard filters a candidate fails, as a bit set in filter order
// (bit 0 is H1). Its JSON form is the list of codes in filter order.
type Reasons uint16

// The filter bits.
const (
	FailNotActive Reasons = 1 << iota
	FailExperience
	FailArea
	FailLanguage
	FailUnavailable
	FailDoubleBooked
	FailTaskType
	FailConflict
	FailAssignmentCap
	FailEarningsCap
	FailAlreadyInRequest
)

// Codes returns the reason codes in filter order; never nil.
func (r Reasons) Codes() []osallisuus.Reason {
	out := make([]osallisuus.Reason, 0, 2)
	for i, c := range filterReasons {
		if r&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// Has reports whether the set holds code.
func (r Reasons) Has(code osallisuus.Reason) bool {
	i := slices.Index(filterReasons[:], code)
	return i >= 0 && r&(1<<i) != 0
}

// MarshalJSON writes the codes as a JSON list.
func (r Reasons) MarshalJSON() ([]byte, error) { return json.Marshal(r.Codes()) }

// The warning codes of included candidates (M9), in order.
const (
	WarningApproachingCap osallisuus.Reason = "approaching-cap"
	WarningOverCap        osallisuus.Reason = "over-cap"
	WarningCheckExpiring  osallisuus.Reason = "check-expiring"
)

var warningCodes = []osallisuus.Reason{WarningApproachingCap, WarningOverCap, WarningCheckExpiring}

// Warnings is a set of warnings as a bit set in M9's order. Its JSON form is the list.
type Warnings uint8

// The warning bits.
const (
	WarnApproachingCap Warnings = 1 << iota
	WarnOverCap
	WarnCheckExpiring
)

// Codes returns the warning codes in order; never nil.
func (w Warnings) Codes() []osallisuus.Reason {
	out := make([]osallisuus.Reason, 0, 1)
	for i, c := range warningCodes {
		if w&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// MarshalJSON writes the codes as a JSON list.
func (w Warnings) MarshalJSON() ([]byte, error) { return json.Marshal(w.Codes()) }

// Proposal is what step 4 proposes for a ranked candidate.
type Proposal uint8

// The proposals.
const (
	ProposeNone Proposal = iota
	ProposeOffer
	ProposeReserve
)

var proposalNames = []string{"none", "offer", "reserve"}

// String returns the text form.
func (p Proposal) String() string { return enumString(proposalNames, p) }

// MarshalText returns the text form.
func (p Proposal) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Keys are a candidate's ranking keys K1–K5 (spec §7 step 3).
type Keys struct {
	// Load is K1: counting assignments in the window before the task plus accepted ones
	// from its start on.
	Load int `json:"load"`
	// Preference is K2 (the expert's preference for the task type).
	Preference Preference `json:"preference"`
	// PerspectiveMatch is K3: a requested area with the preferred perspective.
	PerspectiveMatch bool `json:"perspectiveMatch"`
	// LastStart is K4: the latest start of a counting assignment; zero means never.
	LastStart time.Time `json:"lastStart,omitzero"`
	// Hash is K5: FNV-1a 64 of the request key followed by the candidate key; set for
	// included candidates only.
	Hash uint64 `json:"hash"`
}

// Explanation is the result of matching for one candidate (spec §7 step 5): included or
// not, rank and proposal, ranking keys, every failing filter and the warnings. It is for
// the expert coordinator only (E6). Localized messages are rendered from the codes on
// demand, not by [Match].
type Explanation struct {
	ExpertID ExpertID `json:"expertId"`
	Key      string   `json:"key"`
	Included bool     `json:"included"`
	// Rank counts from 1 among the included; 0 for the excluded.
	Rank     int      `json:"rank,omitzero"`
	Proposed Proposal `json:"proposed"`
	Keys     Keys     `json:"keys"`
	// Reasons are the failing filters; an over-cap candidate keeps its cap reasons.
	Reasons Reasons `json:"reasons"`
	// Lapsed lists the required checks not valid for the task, with not-active only.
	Lapsed   []string `json:"lapsed,omitempty"`
	Warnings Warnings `json:"warnings"`
	// ProjectedCents is the M7 projection: the fee counting toward caps. It is computed
	// for included candidates and for those with earnings caps.
	ProjectedCents int64 `json:"projectedCents"`
	// CapWarnings are the levels of every cap for this task.
	CapWarnings []CapWarning `json:"capWarnings,omitempty"`
}

// Candidate is one expert offered to [Match], with the facts the host supplies.
type Candidate struct {
	// Key is the candidate's text for K5 and the final tie-break: the service fills the
	// expert ID's canonical lower-case UUID text.
	Key    string
	Expert Expert
	// Checks are the expert's checks plus consent answers ([ConsentChecks]); nil means
	// Expert.Checks alone.
	Checks []Check
	// Conflict is the host ConflictChecker's answer for the requesting unit (H8).
	Conflict bool
}

// MatchInput is everything [Match] decides on.
type MatchInput struct {
	Request Request
	// RequestKey is the request's text for K5: the service fills the canonical UUID text.
	RequestKey string
	Candidates []Candidate
	// Schedules price the projection (M7); none projects 0.
	Schedules Schedules
	Settings  Settings
	// Conflicts, when not nil, overrides Candidate.Conflict by candidate index: a host
	// reusing a [Pool] for requests of several units passes each unit's answers here.
	Conflicts []bool
	// IncludeOverCap is the coordinator's choice to include candidates failing only
	// the cap filters, ranked last with the over-cap warning (step 2).
	IncludeOverCap bool
	Now            time.Time
}
