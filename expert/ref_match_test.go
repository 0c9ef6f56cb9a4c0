package expert

// The matching code as it was before the pool (commit 1f98b23), kept as a test oracle:
// TestPoolAgreesWithTheReference compares every explanation field on random pools.

import (
	"cmp"
	"slices"
	"strings"
)

type refTask struct{ task }

// Match ranks candidates for a request (spec §7): it evaluates every hard filter for
// every candidate (no short circuit), includes those without reasons (and, with
// IncludeOverCap, those failing only H9/H10, ranked last), ranks them by K1–K5 and the
// key bytes, proposes the first open places for offers and the next Reserve as reserves,
// and explains every candidate. It is pure: same input, same output. It returns the
// included by rank, then the excluded by key bytes. An invalid request gives the error
// of [ValidateMatch] and no explanations.
func refMatch(in MatchInput) ([]Explanation, error) { return refMatchAppend(nil, in) }

// MatchAppend is [Match] appending the explanations to dst and returning the extended
// slice, as append does, so that a host matching often reuses one buffer (the
// explanations' CapWarnings are still new). On error it returns dst unchanged.
func refMatchAppend(dst []Explanation, in MatchInput) ([]Explanation, error) {
	if err := ValidateMatch(in); err != nil {
		return dst, err
	}
	r := &in.Request
	t := refTask{task{in: &in}}
	t.setup()

	n := len(in.Candidates)
	base := len(dst)
	dst = slices.Grow(dst, n)[:base+n]
	out := dst[base:]
	clear(out)
	capBuf := make([]CapWarning, 0, t.capCount())
	rows := make([]refRankRow, 0, n)
	// Explanations are written in candidate order, then permuted in place: the included
	// by rank, then the excluded by key bytes.
	for i := range in.Candidates {
		capBuf = t.evaluate(&in.Candidates[i], &out[i], capBuf)
		if out[i].Included {
			rows = append(rows, t.row(&out[i], i))
		}
	}
	slices.SortFunc(rows, func(a, b refRankRow) int {
		if c := cmp.Compare(a.primary, b.primary); c != 0 {
			return c
		}
		if c := cmp.Compare(a.last, b.last); c != 0 {
			return c
		}
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return strings.Compare(out[a.idx].Key, out[b.idx].Key)
	})
	perm := make([]int, 0, n)
	for _, row := range rows {
		perm = append(perm, row.idx)
	}
	lo := len(perm)
	sorted := true
	for i := range out {
		if !out[i].Included {
			if j := len(perm); j > lo && out[perm[j-1]].Key > out[i].Key {
				sorted = false
			}
			perm = append(perm, i)
		}
	}
	// Candidates usually come in key order (stores list by ID), so the excluded often
	// need no sort.
	if !sorted {
		slices.SortStableFunc(perm[lo:], func(a, b int) int { return strings.Compare(out[a].Key, out[b].Key) })
	}
	refPermute(out, perm)
	open := r.open(in.Now)
	for i := range rows {
		x := &out[i]
		x.Rank = i + 1
		switch {
		case x.Rank <= open:
			x.Proposed = ProposeOffer
		case x.Rank <= open+r.Reserve:
			x.Proposed = ProposeReserve
		}
	}
	return dst, nil
}

// permute reorders xs in place so that the new xs[j] is the old xs[perm[j]], following
// cycles; it consumes perm.
func refPermute(xs []Explanation, perm []int) {
	for i := range perm {
		if perm[i] < 0 {
			continue
		}
		saved := xs[i]
		j := i
		for {
			k := perm[j]
			perm[j] = -1
			if k == i {
				xs[j] = saved
				break
			}
			xs[j] = xs[k]
			j = k
		}
	}
}

// capCount is the number of cap warnings Match will write, for one allocation.
func (t *refTask) capCount() int {
	n := 0
	for i := range t.in.Candidates {
		caps := &t.in.Candidates[i].Expert.Profile.Caps
		n += len(caps.Earnings)
		if caps.AssignmentsPerMonth > 0 {
			n++
		}
	}
	return n
}

// refRankRow packs the ranking keys: primary holds over-cap, K1, K2 and K3 in one integer;
// last is K4 (never assigned is the minimum).
type refRankRow struct {
	primary uint64
	last    int64
	hash    uint64
	idx     int
}

func (t *refTask) row(x *Explanation, idx int) refRankRow {
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
	return refRankRow{primary: p, last: last, hash: x.Keys.Hash, idx: idx}
}

func (t *refTask) perspectivePreferred() bool {
	return t.in.Request.Perspective != PerspectiveUnspecified && !t.in.Request.PerspectiveRequired
}

// evaluate explains one candidate into x, appending its cap warnings to buf.
func (t *refTask) evaluate(c *Candidate, x *Explanation, buf []CapWarning) []CapWarning {
	in, r, e := t.in, &t.in.Request, &c.Expert
	checks := c.Checks
	if checks == nil {
		checks = e.Checks
	}
	x.ExpertID, x.Key = e.ID, c.Key
	var fail Reasons

	// H1 (M3).
	if st, _, lapsed := e.effective(checks, in.Settings.Checks, t.date, t.end, t.least); st != StateActive {
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

	// The caps' period totals (M6) are summed in the same pass over the commitments.
	caps := &e.Profile.Caps
	basis := min(caps.Basis, BasisWorkDate)
	var totals [2]int64 // by CapPeriod-1
	monthCount := 0
	// H6, H11, K1, K4, H9's count and the period totals.
	for i := range e.Commitments {
		cm := &e.Commitments[i]
		if cm.Request == r.ID {
			if cm.Status != StatusWithdrawn {
				fail |= FailAlreadyInRequest
			}
			continue
		}
		if cm.Status != StatusAccepted && cm.Status != StatusDone && cm.Status != StatusPaid {
			continue
		}
		if len(caps.Earnings) > 0 {
			for per := PeriodMonth; per <= PeriodYear; per++ {
				if t.inPeriod(cm, basis, per) {
					totals[per-1] += cm.FeeCents
				}
			}
		}
		if cm.Status == StatusAccepted && cm.Start.Before(t.end) && t.start.Before(cm.End()) {
			fail |= FailDoubleBooked
		}
		if isActivityType(cm.TaskType) {
			continue
		}
		if cm.Start.Before(t.start) {
			if !cm.Start.Before(t.winStart) {
				x.Keys.Load++
			}
		} else if cm.Status == StatusAccepted {
			x.Keys.Load++
		}
		if !cm.Start.Before(t.month[0]) && cm.Start.Before(t.month[1]) {
			monthCount++
		}
		if x.Keys.LastStart.IsZero() || cm.Start.After(x.Keys.LastStart) {
			x.Keys.LastStart = cm.Start
		}
	}
	// H7 and K2.
	pref := PreferenceAccepted
	if p, ok := e.Profile.Preferences[r.TaskType]; ok && p != PreferenceUnspecified {
		pref = p
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
	warnAt := int(caps.warnAt())
	first := len(buf)
	if caps.AssignmentsPerMonth > 0 {
		cur, lim := int64(monthCount), int64(caps.AssignmentsPerMonth)
		w := CapWarning{Cap: CapAssignmentsMonth, Period: t.periods[BasisWorkDate][PeriodMonth].key,
			Current: cur, Adding: 1, Limit: lim, Level: Level(cur, 1, lim, warnAt)}
		buf = append(buf, w)
	}
	if t.priced && len(caps.Earnings) > 0 {
		x.ProjectedCents = t.project(e)
	}
	for _, ec := range caps.Earnings {
		per := min(max(ec.Period, PeriodMonth), PeriodYear)
		win := &t.periods[basis][per]
		cur := e.Totals[win.key] + totals[per-1]
		kind := CapEarningsMonth
		if per == PeriodYear {
			kind = CapEarningsYear
		}
		buf = append(buf, CapWarning{Cap: kind, Period: win.key, Current: cur, Adding: x.ProjectedCents,
			Limit: ec.Cents, Level: Level(cur, x.ProjectedCents, ec.Cents, warnAt)})
	}
	for i := first; i < len(buf); i++ {
		switch buf[i].Level {
		case CapExceeds:
			if buf[i].Cap == CapAssignmentsMonth {
				fail |= FailAssignmentCap
			} else {
				fail |= FailEarningsCap
			}
		case CapApproaching:
			approaching = true
		}
	}
	if len(buf) > first {
		x.CapWarnings = buf[first:len(buf):len(buf)]
	}
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
		return buf
	}
	// Only the included are ranked, so only they need K5 and the projection.
	x.Keys.Hash = fnv1a(t.keyHash, c.Key)
	if t.priced && len(caps.Earnings) == 0 {
		x.ProjectedCents = t.project(e)
	}
	if approaching {
		x.Warnings |= WarnApproachingCap
	}
	if in.Settings.Checks.expiring(checks, t.date, in.Settings.checkWarningDays()) {
		x.Warnings |= WarnCheckExpiring
	}
	return buf
}

// inPeriod reports whether a commitment's fee falls in the new fee's period per under
// the expert's basis (M6).
func (t *refTask) inPeriod(cm *Commitment, basis CapBasis, per CapPeriod) bool {
	w := &t.periods[basis][per]
	if basis == BasisPaymentDate && !cm.PaymentDate.IsZero() {
		return samePeriod(per, cm.PaymentDate, w.on)
	}
	return !cm.Start.Before(w.from) && cm.Start.Before(w.to)
}

// project is M7's projection for one expert: the request's task and preparation lines,
// plus travel time for twice the one-way estimate, and the expense lines when they count.
func (t *refTask) project(e *Expert) int64 {
	r := &t.in.Request
	if !t.paid && !t.in.Settings.CountExpensesTowardCap {
		return 0
	}
	var tr Travel
	if r.Location != RemoteLocation {
		if est, ok := e.Profile.Travel[r.Location]; ok {
			tr = Travel{Minutes: 2 * est.Minutes, Km: 2 * est.Km, Vehicle: est.Vehicle}
		}
	}
	var total int64
	if t.paid && !e.Profile.FeeWaived {
		total = t.baseCents
		if tr.Minutes > 0 {
			total += hourly(roundUp(tr.Minutes, t.schedule.step()), t.schedule.TravelCentsPerHour)
		}
	}
	if t.in.Settings.CountExpensesTowardCap {
		if rate, ok := t.schedule.MileageCentsPerKm[tr.vehicle()]; ok {
			total += int64(tr.Km) * rate
		}
		if s := &t.schedule; s.MealCents > 0 && r.Minutes+tr.Minutes >= s.MealMinMinutes {
			total += s.MealCents
		}
	}
	return total
}

// experience returns H2's verdict and K3's perspective match.
func (t *refTask) experience(e *Expert) (ok, perspMatch bool) {
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

// unavailable is H5 (M4): an unavailable range overlapping the task's dates, or a grid
// lacking a slot the task overlaps.
func (t *refTask) unavailable(p *Profile) bool {
	for _, u := range p.Unavailable {
		if !u.From.After(t.lastDate) && !u.Until.Before(t.date) {
			return true
		}
	}
	return p.Weekly != 0 && t.slots&^p.Weekly != 0
}
