package expert

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// task holds what every candidate's evaluation shares, precomputed once per request so
// that the per-candidate work compares instants and dates and allocates nothing.
type task struct {
	in       *MatchInput
	start    time.Time
	end      time.Time
	date     osallisuus.Date
	lastDate osallisuus.Date // the date of the task's last instant
	least    osallisuus.Date // minUntil(end): checks must last at least through it
	winStart time.Time       // K1: dayStart(date - W)
	month    [2]time.Time    // H9: the task's month as [from, to)
	slots    Weekly          // H5: the grid slots the task overlaps
	schedule Schedule
	priced   bool
	keyHash  uint64 // FNV-1a state after the request key (K5)
	// baseCents is the projection without travel (task and preparation lines), and
	// rate whether the task type has a paid rate at all.
	baseCents int64
	paid      bool
	// periods[basis][period] places fees in the new fee's cap period.
	periods [2][3]periodWindow

	// Bound to a pool by Matching.bind: the instants and dates as the pool compares
	// them, and the request's codes as pool ids (-1: no candidate has it).
	pool               *Pool
	dayKey, lastDayKey int64
	warnDayKey         int64
	startI, endI, winI inst
	monthI             [2]inst
	reqFP              uint64
	h11                []int32 // positions with a commitment for the request (H11)
	// travelMemo caches travelCents by minutes (0 marks an empty entry: no line).
	travelMemo [64]struct {
		minutes int
		cents   int64
	}
	area, lang, typ      int32
	travelArea           int32
	expAnyFree, expPersp []uint64
	areaWord, langWord   int
	areaMask, langMask   uint64
	remote               bool
	expFree              bool
	conflicts            []bool
}

// periodWindow is one cap period of the new fee: its key, the date the new fee falls on,
// and the task starts whose fees land in it (by the payroll calendar or the work date).
type periodWindow struct {
	key        string
	on         osallisuus.Date
	from, to   time.Time
	fromI, toI inst
	total      int32 // the pool's id of key, -1 for none
}

func monthStart(idx int) osallisuus.Date {
	y, m := idx/12, idx%12
	if m < 0 {
		y, m = y-1, m+12
	}
	return osallisuus.NewDate(y, time.Month(m+1), 1)
}

func (t *task) setup() {
	in := t.in
	r := &in.Request
	t.start, t.end, t.date = r.Start, r.End(), r.Date()
	t.keyHash = fnv1a(fnvOffset, in.RequestKey)
	t.lastDate = osallisuus.DateOf(t.end.Add(-time.Nanosecond))
	t.least = minUntil(t.end)
	t.winStart = t.date.AddDays(-in.Settings.windowDays()).Start()
	mi := t.date.Year*12 + int(t.date.Month) - 1
	t.month = [2]time.Time{monthStart(mi).Start(), monthStart(mi + 1).Start()}
	for d := t.date; !d.After(t.lastDate); d = d.AddDays(1) {
		for part, h := range partHours {
			if t.start.Before(d.Time(h[1], 0)) && d.Time(h[0], 0).Before(t.end) {
				t.slots |= Slot(d.Weekday(), PartOfDay(part))
			}
		}
	}
	if len(in.Schedules) > 0 {
		t.schedule, t.priced = in.Schedules.InForce(t.date)
	}
	if t.priced {
		rate, ok := t.schedule.Rates[r.TaskType]
		t.paid = ok && rate.Basis != RateUnpaid && rate.Basis != RateUnspecified
		var buf [4]Line
		for _, l := range appendFeeLines(buf[:0], t.schedule, Work{TaskType: r.TaskType, Start: r.Start,
			Minutes: r.Minutes, PreparationMinutes: r.PreparationMinutes, GrantedPreparationMinutes: r.PreparationMinutes}) {
			t.baseCents += l.Cents
		}
	}
	payroll := in.Settings.Payroll.norm()
	pay := payroll.PaymentDate(t.date)
	for b, on := range [2]osallisuus.Date{pay, t.date} {
		shift := 0 // months from a task's month to its fee's basis month
		if CapBasis(b) == BasisPaymentDate {
			shift = payroll.MonthsAfter
		}
		m := on.Year*12 + int(on.Month) - 1
		t.periods[b][PeriodMonth] = periodWindow{key: PeriodMonth.Key(on), on: on,
			from: monthStart(m - shift).Start(), to: monthStart(m + 1 - shift).Start()}
		y := on.Year * 12
		t.periods[b][PeriodYear] = periodWindow{key: PeriodYear.Key(on), on: on,
			from: monthStart(y - shift).Start(), to: monthStart(y + 12 - shift).Start()}
	}
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
// of [ValidateMatch] and no explanations. It is [NewPool] and [Pool.Match] with every
// explanation expanded; a host matching often keeps the pool and reads the compact
// [Verdict]s.
func Match(in MatchInput) ([]Explanation, error) { return MatchAppend(nil, in) }

// MatchAppend is [Match] appending the explanations to dst and returning the extended
// slice, as append does, so that a host matching often reuses one buffer (the
// explanations' CapWarnings are still new). On error it returns dst unchanged.
func MatchAppend(dst []Explanation, in MatchInput) ([]Explanation, error) {
	if err := ValidateMatch(in); err != nil {
		return dst, err
	}
	var m Matching
	if err := NewPool(in.Candidates, in.Settings.Checks).MatchInto(&m, in); err != nil {
		return dst, err
	}
	return m.AppendExplanations(dst), nil
}

// Verdict is the compact explanation of one candidate (spec §7 step 5) that
// [Pool.Match] writes for every candidate: which candidate, included or not, every
// failing filter and the warnings. Its place in the [Matching] gives the rank and the
// proposal; [Matching.Explanation] expands it with the details (IDs, ranking keys,
// lapsed checks, projection, cap warnings), computed again for that candidate.
type Verdict struct {
	// Candidate is the candidate's index in the pool's candidates.
	Candidate int32
	Reasons   Reasons
	Warnings  Warnings
	Included  bool
}

// Matching is the result of matching one request against a [Pool]: a [Verdict] per
// candidate, the included by rank, then the excluded by key bytes, as [Match] orders
// its explanations. It refers to the pool. The zero value is ready for
// [Pool.MatchInto], which reuses its buffers.
type Matching struct {
	pool     *Pool
	in       MatchInput
	t        task
	open     int
	included []Verdict
	excluded []Verdict
	// Scratch reused between calls.
	rows   []rankRow
	ties   []tieRow
	keys   []uint64
	order  []uint32
	incV   []Verdict
	incPos []int32
	h11    []int32
	masks  []uint64
}

// Len returns the number of verdicts (one per candidate).
func (m *Matching) Len() int { return len(m.included) + len(m.excluded) }

// Included returns the included candidates' verdicts by rank (rank i+1 at i); the slice
// is the Matching's own.
func (m *Matching) Included() []Verdict { return m.included }

// Excluded returns the excluded candidates' verdicts by key bytes; the slice is the
// Matching's own.
func (m *Matching) Excluded() []Verdict { return m.excluded }

// Verdict returns the j-th verdict: the included by rank, then the excluded.
func (m *Matching) Verdict(j int) Verdict {
	if j < len(m.included) {
		return m.included[j]
	}
	return m.excluded[j-len(m.included)]
}

// Rank returns the j-th verdict's rank: j+1 for the included, 0 for the excluded.
func (m *Matching) Rank(j int) int {
	if j < len(m.included) {
		return j + 1
	}
	return 0
}

// Proposed returns what step 4 proposes for the j-th verdict (M8).
func (m *Matching) Proposed(j int) Proposal {
	switch {
	case j >= len(m.included):
		return ProposeNone
	case j < m.open:
		return ProposeOffer
	case j < m.open+m.in.Request.Reserve:
		return ProposeReserve
	}
	return ProposeNone
}

// Explanation returns the j-th verdict expanded into a full [Explanation], with the
// ranking keys, the lapsed checks of a not-active candidate, the projection and every
// cap's [CapWarning].
func (m *Matching) Explanation(j int) Explanation {
	var buf []CapWarning
	return m.explain(j, &buf)
}

// AppendExplanations appends every explanation, in order, to dst.
func (m *Matching) AppendExplanations(dst []Explanation) []Explanation {
	dst = slices.Grow(dst, m.Len())
	var buf []CapWarning
	for j := range m.Len() {
		dst = append(dst, m.explain(j, &buf))
	}
	return dst
}

func (m *Matching) explain(j int, buf *[]CapWarning) Explanation {
	p := m.pool
	v := m.Verdict(j)
	pos := int(p.pos[v.Candidate])
	c := &p.cands[v.Candidate]
	e := &c.Expert
	first := len(*buf)
	if need := 1 + int(p.ex[pos].nearn); len(*buf)+need > cap(*buf) {
		*buf, first = make([]CapWarning, 0, max(256, need)), 0
	}
	var o evalOut
	*buf = m.evaluate(pos, &o, *buf)
	x := Explanation{ExpertID: e.ID, Key: c.Key, Included: v.Included, Rank: m.Rank(j), Proposed: m.Proposed(j),
		Keys:    Keys{Load: int(o.load), Preference: o.pref, PerspectiveMatch: o.persp, Hash: o.hash},
		Reasons: v.Reasons, Warnings: v.Warnings, ProjectedCents: o.projected}
	if o.last >= 0 {
		x.Keys.LastStart = e.Commitments[p.commits[o.last].orig].Start
	}
	if v.Reasons&FailNotActive != 0 {
		checks := c.Checks
		if checks == nil {
			checks = e.Checks
		}
		_, _, x.Lapsed = e.effective(checks, p.policy, m.t.date, m.t.end, m.t.least)
		if x.Lapsed == nil {
			x.Lapsed = []string{}
		}
	}
	if len(*buf) > first {
		x.CapWarnings = (*buf)[first:len(*buf):len(*buf)]
	}
	return x
}

// Match matches one request against the pool (see [Match] for the rules and the
// order): in.Candidates must be empty or the pool's own slice, the pool's candidates are
// matched, and in.Settings.Checks must be the policy the pool was built with.
// in.Conflicts, when not nil, gives the host's conflict answers for this request's unit
// by candidate index. An invalid request gives the error of [ValidateMatch].
func (p *Pool) Match(in MatchInput) (*Matching, error) {
	m := new(Matching)
	if err := p.MatchInto(m, in); err != nil {
		return nil, err
	}
	return m, nil
}

// MatchInto is [Pool.Match] writing into m and reusing its buffers; verdicts an earlier
// call returned from m are overwritten.
func (p *Pool) MatchInto(m *Matching, in MatchInput) error {
	if err := ValidateMatch(in); err != nil {
		return err
	}
	if len(in.Candidates) > 0 && (len(in.Candidates) != len(p.cands) || &in.Candidates[0] != &p.cands[0]) {
		return &osallisuus.ValidationError{Op: "match request",
			Problems: []osallisuus.Problem{{Field: "candidates", Code: osallisuus.CodeNotAllowed}}}
	}
	if !samePolicy(in.Settings.Checks, p.policy) {
		return &osallisuus.ValidationError{Op: "match request",
			Problems: []osallisuus.Problem{{Field: "settings.checks", Code: osallisuus.CodeNotAllowed}}}
	}
	if in.Conflicts != nil && len(in.Conflicts) != len(p.cands) {
		return &osallisuus.ValidationError{Op: "match request",
			Problems: []osallisuus.Problem{{Field: "conflicts", Code: osallisuus.CodeOutOfRange}}}
	}
	m.pool, m.in = p, in
	m.t = task{in: &m.in}
	m.t.setup()
	m.bind()
	t := &m.t

	n := len(p.cands)
	if cap(m.excluded) < n {
		m.excluded = make([]Verdict, n)
	}
	exc := m.excluded[:n]
	rows, incV, incPos := m.rows[:0], m.incV[:0], m.incPos[:0]
	ne := 0
	if cap(rows) == 0 {
		c := max(16, n/8)
		rows, incV, incPos = make([]rankRow, 0, c), make([]Verdict, 0, c), make([]int32, 0, c)
		m.keys, m.order = make([]uint64, 0, c), make([]uint32, 0, c)
	}
	persp := t.perspectivePreferred()
	for pos := range n {
		var o evalOut
		m.evaluate(pos, &o, nil)
		v := Verdict{Candidate: p.order[pos], Reasons: o.reasons, Warnings: o.warnings, Included: o.included}
		if !o.included {
			exc[ne] = v
			ne++
			continue
		}
		rows = append(rows, o.row(len(incV), persp, p))
		incV, incPos = append(incV, v), append(incPos, int32(pos))
	}
	m.excluded = exc[:ne]
	order := m.rank(rows, incPos)
	if cap(m.included) < len(rows) {
		m.included = make([]Verdict, len(rows), max(len(rows), n/8))
	}
	m.included = m.included[:len(rows)]
	for i, idx := range order {
		m.included[i] = incV[idx]
	}
	m.rows, m.incV, m.incPos = rows, incV, incPos
	m.open = in.Request.open(in.Now)
	m.rows = rows
	return nil
}

// evalOut is one candidate's evaluation: the verdict's parts and the ranking keys.
type evalOut struct {
	hash      uint64
	projected int64
	load      int32
	last      int32 // the pool's index of K4's commitment, -1 for never assigned
	reasons   Reasons
	warnings  Warnings
	pref      Preference
	included  bool
	persp     bool
}

// rankRow packs the ranking keys of one included candidate: k holds over-cap, K1, K2
// and K3; s and ni's high half are K4's seconds and nanoseconds (never assigned is the
// minimum); ni's low half is the candidate's index among the included, in key order.
type rankRow struct {
	k  uint64
	s  int64
	ni uint64
}

// tieRow is a row of a run tied on K1–K4, with K5.
type tieRow struct {
	hash uint64
	idx  uint32
}

func (o *evalOut) row(idx int, perspectivePreferred bool, p *Pool) rankRow {
	var k uint64
	if o.warnings&WarnOverCap != 0 {
		k = 1 << 63
	}
	k |= uint64(min(o.load, 1<<30)) << 32
	if o.pref != PreferencePreferred {
		k |= 1 << 1
	}
	if perspectivePreferred && !o.persp {
		k |= 1
	}
	last := instMin
	if o.last >= 0 {
		last = p.commits[o.last].start
	}
	return rankRow{k: k, s: last.s, ni: uint64(uint32(last.n))<<32 | uint64(uint32(idx))}
}

// rank orders the included rows by over-cap, K1–K3, K4 and the key bytes, then the runs
// tied on K1–K4 by K5 and the key bytes; it returns the rows' indices in rank order.
// When the keys fit, each row is one integer and the sort needs no comparison function.
func (m *Matching) rank(rows []rankRow, incPos []int32) []uint32 {
	order := m.order[:0]
	if keys, shift, ok := packRows(rows, m.keys[:0]); ok {
		slices.Sort(keys)
		for _, k := range keys {
			order = append(order, uint32(k&(1<<shift-1)))
		}
		m.keys, m.order = keys, order
		m.breakTies(order, incPos, func(a, b int) bool { return keys[a]>>shift == keys[b]>>shift })
		return order
	}
	slices.SortFunc(rows, func(a, b rankRow) int {
		if a.k != b.k {
			return cmp.Compare(a.k, b.k)
		}
		if a.s != b.s {
			return cmp.Compare(a.s, b.s)
		}
		return cmp.Compare(a.ni, b.ni)
	})
	for _, r := range rows {
		order = append(order, uint32(r.ni))
	}
	m.order = order
	m.breakTies(order, incPos, func(a, b int) bool {
		return rows[a].k == rows[b].k && rows[a].s == rows[b].s && rows[a].ni>>32 == rows[b].ni>>32
	})
	return order
}

// breakTies orders each run of order whose places tie (same K1–K4) by K5 and then the
// key bytes (the index).
func (m *Matching) breakTies(order []uint32, incPos []int32, tie func(a, b int) bool) {
	ties := m.ties[:0]
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && tie(i, j) {
			j++
		}
		if j-i > 1 {
			ties = ties[:0]
			for _, idx := range order[i:j] {
				ties = append(ties, tieRow{idx: idx})
			}
			hashTied(ties, m.t.keyHash, m.pool, incPos)
			slices.SortFunc(ties, func(a, b tieRow) int {
				if a.hash != b.hash {
					return cmp.Compare(a.hash, b.hash)
				}
				return cmp.Compare(a.idx, b.idx)
			})
			for q, tr := range ties {
				order[i+q] = tr.idx
			}
		}
		i = j
	}
	m.ties = ties
}

// packRows packs each row's ranking keys into one integer that sorts as the rows do:
// over-cap, load, K2 and K3 bits, K4 as seconds after the earliest (0: never) and
// nanoseconds, and the index in the low shift bits. It reports false when they need
// more than 64 bits.
func packRows(rows []rankRow, keys []uint64) ([]uint64, uint, bool) {
	var maxLoad uint64
	minS, maxS := int64(math.MaxInt64), int64(math.MinInt64)
	assigned, nanos := false, false
	for _, r := range rows {
		maxLoad = max(maxLoad, r.k>>32&(1<<31-1))
		if r.s == math.MinInt64 {
			continue // never assigned
		}
		assigned = true
		minS, maxS = min(minS, r.s), max(maxS, r.s)
		nanos = nanos || r.ni>>32 != 0
	}
	idxBits := bits.Len(uint(max(len(rows), 1) - 1))
	loadBits := bits.Len64(maxLoad)
	sBits, nBits := 0, 0
	if assigned {
		if maxS-minS < 0 {
			return keys, 0, false
		}
		sBits = bits.Len64(uint64(maxS-minS) + 1)
	}
	if nanos {
		nBits = 30
	}
	if 1+loadBits+2+sBits+nBits+idxBits > 64 {
		return keys, 0, false
	}
	for _, r := range rows {
		var sv, nv uint64
		if r.s != math.MinInt64 {
			sv, nv = uint64(r.s-minS)+1, r.ni>>32
		}
		key := r.k >> 63
		key = key<<loadBits | r.k>>32&(1<<31-1)
		key = key<<2 | r.k&3
		key = key<<sBits | sv
		key = key<<nBits | nv
		key = key<<idxBits | uint64(uint32(r.ni))
		keys = append(keys, key)
	}
	return keys, uint(idxBits), true
}

// hashTied sets K5 on the tied rows, four at a time so that the FNV chains overlap.
func hashTied(rows []tieRow, h0 uint64, p *Pool, incPos []int32) {
	key := func(r tieRow) string { return p.key(int(incPos[r.idx])) }
	i := 0
	for ; i+4 <= len(rows); i += 4 {
		a, b, c, d := key(rows[i]), key(rows[i+1]), key(rows[i+2]), key(rows[i+3])
		ha, hb, hc, hd := h0, h0, h0, h0
		n := min(len(a), len(b), len(c), len(d))
		for j := 0; j < n; j++ {
			ha = (ha ^ uint64(a[j])) * fnvPrime
			hb = (hb ^ uint64(b[j])) * fnvPrime
			hc = (hc ^ uint64(c[j])) * fnvPrime
			hd = (hd ^ uint64(d[j])) * fnvPrime
		}
		rows[i].hash = fnv1a(ha, a[n:])
		rows[i+1].hash = fnv1a(hb, b[n:])
		rows[i+2].hash = fnv1a(hc, c[n:])
		rows[i+3].hash = fnv1a(hd, d[n:])
	}
	for ; i < len(rows); i++ {
		rows[i].hash = fnv1a(h0, key(rows[i]))
	}
}

func (t *task) perspectivePreferred() bool {
	return t.in.Request.Perspective != PerspectiveUnspecified && !t.in.Request.PerspectiveRequired
}

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

// fnv1a continues FNV-1a 64 from state h over s; fnv1a(fnvOffset, a+b) is
// fnv1a(fnv1a(fnvOffset, a), b), so the request key is hashed once per Match.
func fnv1a(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// bind looks the request's codes up in the pool's vocabularies.
func (m *Matching) bind() {
	p, t, r := m.pool, &m.t, &m.in.Request
	t.pool = p
	t.dayKey, t.lastDayKey = dayKey(t.date), dayKey(t.lastDate)
	t.startI, t.endI, t.winI = instOf(t.start), instOf(t.end), instOf(t.winStart)
	t.monthI = [2]inst{instOf(t.month[0]), instOf(t.month[1])}
	for b := range t.periods {
		for per := PeriodMonth; per <= PeriodYear; per++ {
			w := &t.periods[b][per]
			w.fromI, w.toI = instOf(w.from), instOf(w.to)
			w.total = -1
			if id, ok := p.totalKeys[w.key]; ok {
				w.total = id
			}
		}
	}
	t.warnDayKey = dayKey(t.date.AddDays(m.in.Settings.checkWarningDays()))
	t.reqFP = requestFP(r.ID)
	h11 := m.h11[:0]
	for _, ref := range p.byReq[t.reqFP] {
		if !ref.withdrawn && p.commitmentFor(int(ref.pos), ref.orig, r.ID) {
			h11 = append(h11, ref.pos)
		}
	}
	slices.Sort(h11)
	m.h11, t.h11 = h11, h11
	t.area, t.lang, t.typ = -1, -1, -1
	t.travelArea = -1
	if id, ok := p.areas[r.Location]; ok {
		t.area = id
	}
	if id, ok := p.travelAreas[r.Location]; ok {
		t.travelArea = id
	}
	if id, ok := p.langs[asciiLower(r.Language)]; ok {
		t.lang = id
	}
	if id, ok := p.types[r.TaskType]; ok {
		t.typ = id
	}
	// A code no candidate has tests bit 0 of word 0 with an empty mask: never set.
	t.areaWord, t.areaMask, t.langWord, t.langMask = 0, 0, 0, 0
	if t.area >= 0 {
		t.areaWord, t.areaMask = int(t.area/64), 1<<(t.area%64)
	}
	if t.lang >= 0 {
		t.langWord, t.langMask = int(t.lang/64), 1<<(t.lang%64)
	}
	t.remote = r.Location == RemoteLocation
	// H2's masks: the pairs with a requested code (any when none), and those of them
	// with the request's perspective.
	w := p.expWords
	if cap(m.masks) < 2*w {
		m.masks = make([]uint64, 2*w)
	}
	m.masks = m.masks[:2*w]
	clear(m.masks)
	// expAnyFree holds the pairs that pass H2 without the perspective (none when it is
	// required), expPersp those with the request's perspective.
	t.expAnyFree, t.expPersp = m.masks[:w], m.masks[w:]
	for id, x := range p.expList {
		if len(r.Experience) > 0 && !slices.Contains(r.Experience, x.code) {
			continue
		}
		if !r.PerspectiveRequired {
			setBit(t.expAnyFree, int32(id))
		}
		if r.Perspective != PerspectiveUnspecified && x.perspective == r.Perspective {
			setBit(t.expPersp, int32(id))
		}
	}
	t.expFree = len(r.Experience) == 0 && !r.PerspectiveRequired
	t.conflicts = m.in.Conflicts
}

// evaluate writes the evaluation of the candidate at pool position pos into v; with
// buf not nil it appends the candidate's cap warnings to it (for explanations).
func (m *Matching) evaluate(pos int, v *evalOut, buf []CapWarning) []CapWarning {
	t, p := &m.t, m.pool
	r := &m.in.Request
	x := &p.ex[pos]
	v.last = -1

	// H1 (M3). The filters set their bits without branches: candidates differ at random,
	// and mispredicted branches were the cost.
	fail := failIf(x.activeAfter >= t.dayKey, FailNotActive) | failIf(x.checksEnd.before(t.endI), FailNotActive)
	// H2, and K3's perspective match.
	ok := t.expFree
	if w := p.expWords; w == 1 {
		b := p.expBits[pos]
		v.persp = b&t.expPersp[0] != 0
		ok = ok || v.persp || b&t.expAnyFree[0] != 0
	} else {
		for i, b := range p.expBits[pos*w : (pos+1)*w] {
			v.persp = v.persp || b&t.expPersp[i] != 0
			ok = ok || b&t.expAnyFree[i] != 0
		}
		ok = ok || v.persp
	}
	fail |= failIf(!ok, FailExperience)
	// H3.
	areaOK := p.areaBits[pos*p.areaWords+t.areaWord]&t.areaMask != 0
	if t.remote {
		areaOK = x.remote
	}
	fail |= failIf(!areaOK, FailArea)
	// H4.
	fail |= failIf(p.langBits[pos*p.langWords+t.langWord]&t.langMask == 0, FailLanguage)
	// H5 (M4).
	fail |= failIf(x.weekly != 0 && t.slots&^x.weekly != 0, FailUnavailable)
	if x.nunav > 0 {
		for _, u := range p.unav[x.unav : x.unav+x.nunav] {
			fail |= failIf(u[0] <= t.lastDayKey && u[1] >= t.dayKey, FailUnavailable)
		}
	}

	// H6: an accepted commitment of another request overlapping the task.
	for _, a := range p.acc[x.acc : x.acc+x.nacc] {
		if a.start.before(t.endI) && t.startI.before(a.end) && !(a.reqFP == t.reqFP && p.commitmentFor(pos, a.orig, r.ID)) {
			fail |= FailDoubleBooked
		}
	}
	// H11, marked per request.
	if len(t.h11) > 0 {
		if _, found := slices.BinarySearch(t.h11, int32(pos)); found {
			fail |= FailAlreadyInRequest
		}
	}
	// K1, K4, H9's count and the period totals (M6) in one pass over the counting
	// commitments: now for a candidate with caps (or an explanation), after inclusion
	// for the others, whom only ranking needs it for.
	earn := p.earn[x.earn : x.earn+x.nearn]
	var totals [2]int64 // by CapPeriod-1
	monthCount := 0
	scanned := buf != nil || len(earn) > 0 || x.assignCap > 0
	if scanned {
		monthCount = m.scan(pos, x, v, &totals, len(earn) > 0)
	}
	// H7 and K2.
	v.pref = PreferenceAccepted
	if t.typ >= 0 {
		for _, pr := range p.prefs[x.pref : x.pref+x.npref] {
			if pr.typ == t.typ {
				if pr.pref != PreferenceUnspecified {
					v.pref = pr.pref
				}
				break
			}
		}
	}
	if v.pref == PreferenceNever {
		fail |= FailTaskType
	}
	// H8.
	if r.ConflictCheck {
		if t.conflicts != nil {
			if t.conflicts[p.order[pos]] {
				fail |= FailConflict
			}
		} else if p.conflict[pos] {
			fail |= FailConflict
		}
	}
	// H9 and H10 (M6, M7).
	approaching := false
	if x.assignCap > 0 {
		cur, lim := int64(monthCount), int64(x.assignCap)
		lvl := Level(cur, 1, lim, x.warnAt)
		if buf != nil {
			buf = append(buf, CapWarning{Cap: CapAssignmentsMonth, Period: t.periods[BasisWorkDate][PeriodMonth].key,
				Current: cur, Adding: 1, Limit: lim, Level: lvl})
		}
		switch lvl {
		case CapExceeds:
			fail |= FailAssignmentCap
		case CapApproaching:
			approaching = true
		}
	}
	if t.priced && len(earn) > 0 {
		v.projected = t.project(x)
	}
	for _, ec := range earn {
		per := min(max(ec.Period, PeriodMonth), PeriodYear)
		win := &t.periods[x.basis][per]
		cur := totals[per-1]
		if win.total >= 0 {
			for _, tt := range p.totals[x.tot : x.tot+x.ntot] {
				if tt.key == win.total {
					cur += tt.cents
					break
				}
			}
		}
		lvl := Level(cur, v.projected, ec.Cents, x.warnAt)
		if buf != nil {
			kind := CapEarningsMonth
			if per == PeriodYear {
				kind = CapEarningsYear
			}
			buf = append(buf, CapWarning{Cap: kind, Period: win.key, Current: cur, Adding: v.projected,
				Limit: ec.Cents, Level: lvl})
		}
		switch lvl {
		case CapExceeds:
			fail |= FailEarningsCap
		case CapApproaching:
			approaching = true
		}
	}
	v.reasons = fail

	// Step 2 and the warnings (M9).
	const capFails = FailAssignmentCap | FailEarningsCap
	switch {
	case fail == 0:
		v.included = true
	case m.in.IncludeOverCap && fail&^capFails == 0:
		v.included = true
		v.warnings |= WarnOverCap
	}
	if !v.included {
		return buf
	}
	if !scanned {
		m.scan(pos, x, v, &totals, false)
	}
	// Only the included are ranked, so only they need K5 and the projection; Match
	// hashes only tied candidates (buf is nil), an explanation always.
	if buf != nil {
		v.hash = fnv1a(t.keyHash, p.key(pos))
	}
	if t.priced && len(earn) == 0 {
		v.projected = t.project(x)
	}
	if approaching {
		v.warnings |= WarnApproachingCap
	}
	if x.lastDay <= t.warnDayKey {
		v.warnings |= WarnCheckExpiring
	}
	return buf
}

// scan passes over the counting commitments of the candidate at pos, except those of
// the request: K1 and K4 into v, the period totals when earnings, and H9's count.
func (m *Matching) scan(pos int, x *poolExpert, v *evalOut, totals *[2]int64, earnings bool) int {
	t, p := &m.t, m.pool
	monthCount := 0
	lastStart := instMin
	for i := x.cnt; i < x.cnt+x.ncnt; i++ {
		cm := &p.commits[i]
		if cm.reqFP == t.reqFP && p.commitmentFor(pos, cm.orig, m.in.Request.ID) {
			continue
		}
		if earnings {
			for per := PeriodMonth; per <= PeriodYear; per++ {
				if t.inPeriod(cm, x.basis, per) {
					totals[per-1] += cm.fee
				}
			}
		}
		if cm.activity {
			continue
		}
		if cm.start.before(t.startI) {
			if !cm.start.before(t.winI) {
				v.load++
			}
		} else if cm.status == StatusAccepted {
			v.load++
		}
		if !cm.start.before(t.monthI[0]) && cm.start.before(t.monthI[1]) {
			monthCount++
		}
		if v.last < 0 || lastStart.before(cm.start) {
			v.last, lastStart = i, cm.start
		}
	}
	return monthCount
}

// failIf returns r when b holds, else 0 (compiled without a branch).
func failIf(b bool, r Reasons) Reasons {
	if b {
		return r
	}
	return 0
}

// inPeriod reports whether a commitment's fee falls in the new fee's period per under
// the expert's basis (M6).
func (t *task) inPeriod(cm *poolCommit, basis CapBasis, per CapPeriod) bool {
	w := &t.periods[basis][per]
	if basis == BasisPaymentDate && cm.payMonth != 0 {
		return cm.payYear == w.on.Year && (per == PeriodYear || time.Month(cm.payMonth) == w.on.Month)
	}
	return !cm.start.before(w.fromI) && cm.start.before(w.toI)
}

// travelCents is the travel-time line for minutes (E8), memoised per request: estimates
// repeat, and the rounding divides.
func (t *task) travelCents(minutes int) int64 {
	e := &t.travelMemo[minutes&(len(t.travelMemo)-1)]
	if e.minutes != minutes {
		e.minutes, e.cents = minutes, hourly(roundUp(minutes, t.schedule.step()), t.schedule.TravelCentsPerHour)
	}
	return e.cents
}

// project is M7's projection for one expert: the request's task and preparation lines,
// plus travel time for twice the one-way estimate, and the expense lines when they count.
func (t *task) project(x *poolExpert) int64 {
	r := &t.in.Request
	if !t.paid && !t.in.Settings.CountExpensesTowardCap {
		return 0
	}
	var tr Travel
	if r.Location != RemoteLocation && t.travelArea >= 0 {
		for _, pt := range t.pool.travel[x.trav : x.trav+x.ntrav] {
			if pt.area == t.travelArea {
				est := pt.t
				tr = Travel{Minutes: 2 * est.Minutes, Km: 2 * est.Km, Vehicle: est.Vehicle}
				break
			}
		}
	}
	var total int64
	if t.paid && !x.feeWaived {
		total = t.baseCents
		if tr.Minutes > 0 {
			total += t.travelCents(tr.Minutes)
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

var partHours = [3][2]int{{8, 12}, {12, 16}, {16, 20}}

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
