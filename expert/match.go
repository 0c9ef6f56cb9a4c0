package expert

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
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

var filterReasons = []osallisuus.Reason{ReasonNotActive, ReasonExperienceMismatch,
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
	i := slices.Index(filterReasons, code)
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
	// Hash is K5: FNV-1a 64 of the request key followed by the candidate key.
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
	// ProjectedCents is the M7 projection: the fee counting toward caps.
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
	// IncludeOverCap is the coordinator's choice to include candidates failing only
	// the cap filters, ranked last with the over-cap warning (step 2).
	IncludeOverCap bool
	Now            time.Time
}

// task holds what every candidate's evaluation shares.
type task struct {
	in        *MatchInput
	start     time.Time
	end       time.Time
	date      osallisuus.Date
	winStart  osallisuus.Date
	schedule  Schedule
	priced    bool
	basisDate [2]osallisuus.Date // by CapBasis
}

// ValidateMatch checks in's request before matching (F2): its fields, a start after
// now, and a schedule version in force on its date when schedules are given. The error
// is a *osallisuus.ValidationError.
func ValidateMatch(in MatchInput) error {
	if err := in.Request.Validate(in.Settings); err != nil {
		return err
	}
	if !in.Request.Start.After(in.Now) {
		return &osallisuus.ValidationError{Op: "match request",
			Problems: []osallisuus.Problem{{Field: "start", Code: osallisuus.CodeOrder}}}
	}
	if len(in.Schedules) > 0 {
		if _, ok := in.Schedules.InForce(in.Request.Date()); !ok {
			return &osallisuus.ValidationError{Op: "match request",
				Problems: []osallisuus.Problem{{Field: "start", Code: CodeNoSchedule}}}
		}
	}
	return nil
}

// Match ranks candidates for a request (spec §7): it evaluates every hard filter for
// every candidate (no short circuit), includes those without reasons (and, with
// IncludeOverCap, those failing only H9/H10, ranked last), ranks them by K1–K5 and the
// key bytes, proposes the first open places for offers and the next Reserve as reserves,
// and explains every candidate. It is pure: same input, same output. It returns the
// included by rank, then the excluded by key bytes. An invalid request gives the error
// of [ValidateMatch] and no explanations.
func Match(in MatchInput) ([]Explanation, error) {
	if err := ValidateMatch(in); err != nil {
		return nil, err
	}
	r := &in.Request
	t := task{in: &in, start: r.Start, end: r.End(), date: r.Date()}
	t.winStart = t.date.AddDays(-in.Settings.windowDays())
	if len(in.Schedules) > 0 {
		t.schedule, t.priced = in.Schedules.InForce(t.date)
	}
	t.basisDate[BasisPaymentDate] = in.Settings.Payroll.PaymentDate(t.date)
	t.basisDate[BasisWorkDate] = t.date

	out := make([]Explanation, len(in.Candidates))
	rows := make([]rankRow, 0, len(in.Candidates))
	for i := range in.Candidates {
		c := &in.Candidates[i]
		x := &out[i]
		t.evaluate(c, x)
		if x.Included {
			rows = append(rows, t.row(c, x, i))
		}
	}
	slices.SortFunc(rows, func(a, b rankRow) int {
		if c := cmp.Compare(a.primary, b.primary); c != 0 {
			return c
		}
		if c := cmp.Compare(a.last, b.last); c != 0 {
			return c
		}
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return strings.Compare(in.Candidates[a.idx].Key, in.Candidates[b.idx].Key)
	})
	open := r.open()
	sorted := make([]Explanation, 0, len(out))
	for rank, row := range rows {
		x := out[row.idx]
		x.Rank = rank + 1
		switch {
		case x.Rank <= open:
			x.Proposed = ProposeOffer
		case x.Rank <= open+r.Reserve:
			x.Proposed = ProposeReserve
		}
		sorted = append(sorted, x)
	}
	excluded := len(sorted)
	for i := range out {
		if !out[i].Included {
			sorted = append(sorted, out[i])
		}
	}
	ex := sorted[excluded:]
	slices.SortFunc(ex, func(a, b Explanation) int { return strings.Compare(a.Key, b.Key) })
	return sorted, nil
}

// rankRow packs the ranking keys: primary holds over-cap, K1, K2 and K3 in one integer;
// last is K4 (never assigned is the minimum).
type rankRow struct {
	primary uint64
	last    int64
	hash    uint64
	idx     int
}

func (t *task) row(c *Candidate, x *Explanation, idx int) rankRow {
	var p uint64
	if x.Warnings&WarnOverCap != 0 {
		p = 1 << 62
	}
	p |= uint64(min(x.Keys.Load, 1<<30)) << 8
	if x.Keys.Preference != PreferencePreferred {
		p |= 1 << 1
	}
	if t.perspectivePreferred() && !x.Keys.PerspectiveMatch {
		p |= 1
	}
	last := int64(-1 << 63)
	if !x.Keys.LastStart.IsZero() {
		last = x.Keys.LastStart.UnixNano()
	}
	return rankRow{primary: p, last: last, hash: x.Keys.Hash, idx: idx}
}

func (t *task) perspectivePreferred() bool {
	return t.in.Request.Perspective != PerspectiveUnspecified && !t.in.Request.PerspectiveRequired
}

// fnv1a returns FNV-1a 64 of a followed by b.
func fnv1a(a, b string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(a); i++ {
		h ^= uint64(a[i])
		h *= prime
	}
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= prime
	}
	return h
}

func (t *task) evaluate(c *Candidate, x *Explanation) {
	in, r, e := t.in, &t.in.Request, &c.Expert
	checks := c.Checks
	if checks == nil {
		checks = e.Checks
	}
	x.ExpertID, x.Key = e.ID, c.Key
	var fail Reasons

	// H1 (M3).
	if st, _, lapsed := e.Effective(checks, in.Settings.Checks, t.start, t.end); st != StateActive {
		fail |= FailNotActive
		x.Lapsed = lapsed
		if x.Lapsed == nil {
			x.Lapsed = []string{}
		}
	}
	// H2, and K3's perspective match.
	expOK, perspMatch := t.experience(e)
	if !expOK {
		fail |= FailExperience
	}
	x.Keys.PerspectiveMatch = perspMatch
	// H3.
	if r.Location == RemoteLocation {
		if !e.Profile.Remote {
			fail |= FailArea
		}
	} else if !slices.Contains(e.Profile.Areas, r.Location) {
		fail |= FailArea
	}
	// H4.
	langOK := false
	for _, l := range e.Profile.Languages {
		if asciiEqualFold(l, r.Language) {
			langOK = true
			break
		}
	}
	if !langOK {
		fail |= FailLanguage
	}
	// H5.
	if t.unavailable(&e.Profile) {
		fail |= FailUnavailable
	}
	// H6, H11, K1, K4 from the commitments.
	for i := range e.Commitments {
		cm := &e.Commitments[i]
		if cm.Request == r.ID {
			if cm.Status != StatusWithdrawn {
				fail |= FailAlreadyInRequest
			}
			continue
		}
		if cm.Status == StatusAccepted && cm.Start.Before(t.end) && t.start.Before(cm.End()) {
			fail |= FailDoubleBooked
		}
		if !cm.counts() {
			continue
		}
		if cm.Start.Before(t.start) {
			if !osallisuus.DateOf(cm.Start).Before(t.winStart) {
				x.Keys.Load++
			}
		} else if cm.Status == StatusAccepted {
			x.Keys.Load++
		}
		if x.Keys.LastStart.IsZero() || cm.Start.After(x.Keys.LastStart) {
			x.Keys.LastStart = cm.Start
		}
	}
	// H7 and K2.
	pref, ok := e.Profile.Preferences[r.TaskType]
	if !ok || pref == PreferenceUnspecified {
		pref = PreferenceAccepted
	}
	x.Keys.Preference = pref
	if pref == PreferenceNever {
		fail |= FailTaskType
	}
	// H8.
	if r.ConflictCheck && c.Conflict {
		fail |= FailConflict
	}
	// H9 and H10 (M6, M7).
	approaching := false
	if w, ok := e.AssignmentWarning(t.date, r.ID); ok {
		switch w.Level {
		case CapExceeds:
			fail |= FailAssignmentCap
		case CapApproaching:
			approaching = true
		}
		x.CapWarnings = append(x.CapWarnings, w)
	}
	if t.priced {
		x.ProjectedCents = projectCents(t.schedule, t.projectedWork(e), in.Settings.CountExpensesTowardCap)
	}
	if len(e.Profile.Caps.Earnings) > 0 {
		basis := t.basisDate[min(e.Profile.Caps.Basis, BasisWorkDate)]
		for _, w := range e.EarningsWarnings(basis, x.ProjectedCents, in.Settings.Payroll, r.ID) {
			switch w.Level {
			case CapExceeds:
				fail |= FailEarningsCap
			case CapApproaching:
				approaching = true
			}
			x.CapWarnings = append(x.CapWarnings, w)
		}
	}
	x.Keys.Hash = fnv1a(in.RequestKey, c.Key)
	x.Reasons = fail

	// Step 2 and the warnings (M9).
	const capFails = FailAssignmentCap | FailEarningsCap
	switch {
	case fail == 0:
		x.Included = true
	case in.IncludeOverCap && fail&^capFails == 0:
		x.Included = true
		x.Warnings |= WarnOverCap
	}
	if !x.Included {
		return
	}
	if approaching {
		x.Warnings |= WarnApproachingCap
	}
	if in.Settings.Checks.expiring(checks, t.date, in.Settings.checkWarningDays()) {
		x.Warnings |= WarnCheckExpiring
	}
}

// experience returns H2's verdict and K3's perspective match.
func (t *task) experience(e *Expert) (ok, perspMatch bool) {
	r := &t.in.Request
	if len(r.Experience) == 0 && !r.PerspectiveRequired {
		ok = true
	}
	for _, x := range e.Profile.Experience {
		if len(r.Experience) > 0 && !slices.Contains(r.Experience, x.Code) {
			continue
		}
		if r.Perspective != PerspectiveUnspecified && x.Perspective == r.Perspective {
			perspMatch = true
			ok = true
		} else if !r.PerspectiveRequired {
			ok = true
		}
	}
	return ok, perspMatch
}

// projectedWork is M7's work: preparation claimed = granted, travel twice the one-way
// estimate for the location (none for remote), no receipts, no meal served; a vehicle
// without a mileage rate adds no kilometres.
func (t *task) projectedWork(e *Expert) Work {
	r := &t.in.Request
	w := Work{TaskType: r.TaskType, Start: r.Start, Minutes: r.Minutes,
		PreparationMinutes: r.PreparationMinutes, GrantedPreparationMinutes: r.PreparationMinutes,
		FeeWaived: e.Profile.FeeWaived}
	if r.Location != RemoteLocation {
		if tr, ok := e.Profile.Travel[r.Location]; ok {
			w.Travel = Travel{Minutes: 2 * tr.Minutes, Km: 2 * tr.Km, Vehicle: tr.Vehicle}
			if _, ok := t.schedule.MileageCentsPerKm[tr.vehicle()]; !ok {
				w.Travel.Km = 0
			}
		}
	}
	return w
}

var partHours = [3][2]int{{8, 12}, {12, 16}, {16, 20}}

// unavailable is H5 (M4).
func (t *task) unavailable(p *Profile) bool {
	for _, u := range p.Unavailable {
		from, until := u.From.Start(), u.Until.AddDays(1).Start()
		if t.start.Before(until) && from.Before(t.end) {
			return true
		}
	}
	if p.Weekly == 0 {
		return false
	}
	last := osallisuus.DateOf(t.end.Add(-time.Nanosecond))
	for d := t.date; !d.After(last); d = d.AddDays(1) {
		wd := d.Weekday()
		for part, h := range partHours {
			if p.Weekly.Has(wd, PartOfDay(part)) {
				continue
			}
			if t.start.Before(d.Time(h[1], 0)) && d.Time(h[0], 0).Before(t.end) {
				return true
			}
		}
	}
	return false
}

// asciiEqualFold reports whether a and b are equal ignoring ASCII case (M4: no Unicode
// folding, no prefix match).
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
