package expert

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// Pool is a compact, read-only summary of the candidates for matching (ehdokasjoukko),
// built once by [NewPool] and matched against any number of requests by [Pool.Match].
// It keeps what the hard filters and the ranking read in flat arrays (interned area,
// language, experience and task-type codes as bit sets, check ends, commitments), so
// that matching a request reads a few dozen bytes per candidate and allocates a few
// buffers, not per candidate.
//
// The pool is a snapshot: a host that matches often caches it and builds a new one when
// an expert's Version changes, an expert joins or leaves, or a consent answer in
// Candidate.Checks changes. It refers to the candidates' slice (it does not copy the
// experts), which must not be modified while the pool is used. A Pool is safe for
// concurrent use by several goroutines.
type Pool struct {
	cands  []Candidate
	policy CheckPolicy
	// order maps a pool position to its candidate index; positions are in Key byte
	// order (stable), so that the excluded need no sort.
	order []int32
	pos   []int32 // candidate index → position
	// keyData holds the Keys in position order, keyOff[pos] where each starts, so
	// that hashing reads them from one place.
	keyData string
	keyOff  []int32
	ex      []poolExpert
	// conflict is Candidate.Conflict by position.
	conflict []bool

	areas, langs, types, totalKeys map[string]int32
	travelAreas                    map[string]int32 // the keys of Profile.Travel
	exps                           map[poolExp]int32
	expList                        []poolExp
	// Bit sets by position, words per candidate each.
	areaWords, langWords, expWords int
	areaBits, langBits, expBits    []uint64

	commits []poolCommit // the counting ones (accepted, done, paid)
	acc     []poolSpan
	// byReq lists every commitment by its request's fingerprint (H11).
	byReq  map[uint64][]reqRef
	unav   [][2]int64 // date keys from, until
	prefs  []poolPref
	earn   []EarningsCap
	travel []poolTravel
	totals []poolTotal
}

type poolExp struct {
	code        string
	perspective Perspective
}

// poolExpert is one candidate's summary; the int32 pairs are offsets and counts into
// the pool's flat arrays.
type poolExpert struct {
	// activeAfter: the stored state allows active at a task date whose key is above it
	// (M3): min for active, the own pause's last day, max for any other state.
	activeAfter int64
	// checksEnd is the earliest end over the required checks of the latest end of each
	// (M2 under the policy); the checks hold for a task ending at or before it.
	checksEnd inst
	// lastDay is the earliest last valid day (date key) of a counting check with a
	// required name and an end (M9), max for none.
	lastDay     int64
	assignCap   int
	warnAt      int
	weekly      Weekly
	remote      bool
	feeWaived   bool
	basis       CapBasis
	cnt, ncnt   int32 // counting commitments (accepted, done, paid)
	acc, nacc   int32 // accepted ones as spans (H6)
	unav, nunav int32
	pref, npref int32
	earn, nearn int32
	trav, ntrav int32
	tot, ntot   int32
}

// poolCommit is a commitment as matching reads it.
type poolCommit struct {
	start inst
	fee   int64
	// payYear and payMonth place an explicit PaymentDate (payMonth 0: none).
	payYear int
	// reqFP is a fingerprint of the request ID; equal ones are confirmed on the
	// commitment itself, the expert's commitment orig.
	reqFP    uint64
	orig     int32
	payMonth uint8
	status   AssignmentStatus
	activity bool
}

type poolPref struct {
	typ  int32
	pref Preference
}

type poolTravel struct {
	area int32
	t    Travel
}

type poolTotal struct {
	key   int32
	cents int64
}

// inst is an instant as whole seconds and nanoseconds, exact for every time.Time and
// compared without its location.
type inst struct {
	s int64
	n int32
}

func instOf(t time.Time) inst { return inst{t.Unix(), int32(t.Nanosecond())} }

func (a inst) before(b inst) bool { return a.s < b.s || a.s == b.s && a.n < b.n }

var (
	instMin = inst{s: math.MinInt64}
	instMax = inst{s: math.MaxInt64}
)

// dayKey orders dates as Date.Compare does.
func dayKey(d osallisuus.Date) int64 { return d.Start().Unix() }

func intern[K comparable](m map[K]int32, k K) int32 {
	if id, ok := m[k]; ok {
		return id
	}
	id := int32(len(m))
	m[k] = id
	return id
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// NewPool summarises candidates for matching under the check policy (the
// Settings.Checks of the requests it will match). Building costs about as much as one
// full [Match]; see [Pool] for when to build a new one.
func NewPool(candidates []Candidate, policy CheckPolicy) *Pool {
	n := len(candidates)
	p := &Pool{cands: candidates, policy: policy, order: make([]int32, n), ex: make([]poolExpert, n),
		conflict: make([]bool, n), areas: map[string]int32{}, langs: map[string]int32{}, types: map[string]int32{},
		totalKeys: map[string]int32{}, exps: map[poolExp]int32{}, byReq: map[uint64][]reqRef{},
		travelAreas: map[string]int32{}}
	p.policy.Required = slices.Clone(policy.required())
	for i := range p.order {
		p.order[i] = int32(i)
	}
	slices.SortStableFunc(p.order, func(a, b int32) int { return strings.Compare(candidates[a].Key, candidates[b].Key) })
	// First pass: the vocabularies, so that the bit sets have their final widths.
	for i := range candidates {
		pr := &candidates[i].Expert.Profile
		for _, a := range pr.Areas {
			intern(p.areas, a)
		}
		for _, l := range pr.Languages {
			intern(p.langs, asciiLower(l))
		}
		for _, x := range pr.Experience {
			k := poolExp{x.Code, x.Perspective}
			if _, ok := p.exps[k]; !ok {
				p.exps[k] = int32(len(p.expList))
				p.expList = append(p.expList, k)
			}
		}
	}
	var nc, nu, np, ne, nt, ntot int
	for i := range candidates {
		e := &candidates[i].Expert
		nc += len(e.Commitments)
		nu += len(e.Profile.Unavailable)
		np += len(e.Profile.Preferences)
		ne += len(e.Profile.Caps.Earnings)
		nt += len(e.Profile.Travel)
		ntot += len(e.Totals)
	}
	p.commits, p.unav, p.prefs = make([]poolCommit, 0, nc), make([][2]int64, 0, nu), make([]poolPref, 0, np)
	p.earn, p.travel, p.totals = make([]EarningsCap, 0, ne), make([]poolTravel, 0, nt), make([]poolTotal, 0, ntot)
	p.areaWords, p.langWords, p.expWords = words(len(p.areas)), words(len(p.langs)), words(len(p.exps))
	p.areaBits = make([]uint64, n*p.areaWords)
	p.langBits = make([]uint64, n*p.langWords)
	p.expBits = make([]uint64, n*p.expWords)
	p.pos, p.keyOff = make([]int32, n), make([]int32, n+1)
	var kb strings.Builder
	for pos, ci := range p.order {
		p.pos[ci], p.keyOff[pos] = int32(pos), int32(kb.Len())
		kb.WriteString(candidates[ci].Key)
		p.add(pos, &candidates[ci])
	}
	p.keyOff[n], p.keyData = int32(kb.Len()), kb.String()
	return p
}

func words(n int) int { return max(1, (n+63)/64) }

func setBit(bits []uint64, id int32) { bits[id/64] |= 1 << (id % 64) }

func (p *Pool) add(pos int, c *Candidate) {
	e := &c.Expert
	pr := &e.Profile
	x := &p.ex[pos]
	p.conflict[pos] = c.Conflict
	checks := c.Checks
	if checks == nil {
		checks = e.Checks
	}
	switch {
	case e.State == StateActive:
		x.activeAfter = math.MinInt64
	case e.State == StatePaused && e.PauseReason != PauseCheckLapsed && !e.PausedUntil.IsZero():
		x.activeAfter = dayKey(e.PausedUntil)
	default:
		x.activeAfter = math.MaxInt64
	}
	x.checksEnd, x.lastDay = instMax, math.MaxInt64
	// The last valid day grows with the end, so the earliest end gives the earliest day.
	var firstEnd time.Time
	for _, name := range p.policy.Required {
		best := instMin
		for i := range checks {
			if checks[i].Name != name {
				continue
			}
			end, ok := p.policy.end(checks[i])
			if !ok {
				continue
			}
			if end.IsZero() {
				best = instMax
				continue
			}
			if ei := instOf(end); best.before(ei) {
				best = ei
			}
			if firstEnd.IsZero() || end.Before(firstEnd) {
				firstEnd = end
			}
		}
		if best.before(x.checksEnd) {
			x.checksEnd = best
		}
	}
	if !firstEnd.IsZero() {
		x.lastDay = dayKey(osallisuus.DateOf(firstEnd.Add(-time.Nanosecond)))
	}
	for _, a := range pr.Areas {
		setBit(p.areaBits[pos*p.areaWords:], p.areas[a])
	}
	for _, l := range pr.Languages {
		setBit(p.langBits[pos*p.langWords:], p.langs[asciiLower(l)])
	}
	for _, xp := range pr.Experience {
		setBit(p.expBits[pos*p.expWords:], p.exps[poolExp{xp.Code, xp.Perspective}])
	}
	x.remote, x.weekly, x.feeWaived = pr.Remote, pr.Weekly, pr.FeeWaived
	x.basis, x.assignCap, x.warnAt = min(pr.Caps.Basis, BasisWorkDate), pr.Caps.AssignmentsPerMonth, int(pr.Caps.warnAt())

	x.unav = int32(len(p.unav))
	for _, u := range pr.Unavailable {
		p.unav = append(p.unav, [2]int64{dayKey(u.From), dayKey(u.Until)})
	}
	x.nunav = int32(len(p.unav)) - x.unav
	// The map entries' order in the flat arrays does not matter: keys are unique and
	// matching looks them up.
	x.pref = int32(len(p.prefs))
	for t, v := range pr.Preferences {
		p.prefs = append(p.prefs, poolPref{intern(p.types, t), v})
	}
	x.npref = int32(len(p.prefs)) - x.pref
	x.earn = int32(len(p.earn))
	p.earn = append(p.earn, pr.Caps.Earnings...)
	x.nearn = int32(len(p.earn)) - x.earn
	x.trav = int32(len(p.travel))
	for a, tr := range pr.Travel {
		p.travel = append(p.travel, poolTravel{intern(p.travelAreas, a), tr})
	}
	x.ntrav = int32(len(p.travel)) - x.trav
	x.tot = int32(len(p.totals))
	for k, c := range e.Totals {
		p.totals = append(p.totals, poolTotal{intern(p.totalKeys, k), c})
	}
	x.ntot = int32(len(p.totals)) - x.tot
	x.cnt, x.acc = int32(len(p.commits)), int32(len(p.acc))
	for i := range e.Commitments {
		cm := &e.Commitments[i]
		fp := requestFP(cm.Request)
		p.byReq[fp] = append(p.byReq[fp], reqRef{pos: int32(pos), orig: int32(i), withdrawn: cm.Status == StatusWithdrawn})
		if cm.Status != StatusAccepted && cm.Status != StatusDone && cm.Status != StatusPaid {
			continue
		}
		pc := poolCommit{start: instOf(cm.Start), fee: cm.FeeCents, reqFP: fp,
			orig: int32(i), status: cm.Status, activity: isActivityType(cm.TaskType)}
		if !cm.PaymentDate.IsZero() {
			pc.payYear, pc.payMonth = cm.PaymentDate.Year, uint8(cm.PaymentDate.Month)
		}
		p.commits = append(p.commits, pc)
		if cm.Status == StatusAccepted {
			p.acc = append(p.acc, poolSpan{start: pc.start, end: instOf(cm.End()), reqFP: fp, orig: int32(i)})
		}
	}
	x.ncnt, x.nacc = int32(len(p.commits))-x.cnt, int32(len(p.acc))-x.acc
}

// reqRef is one commitment of one request, for H11.
type reqRef struct {
	pos, orig int32
	withdrawn bool
}

// poolSpan is an accepted commitment's span, for H6.
type poolSpan struct {
	start, end inst
	reqFP      uint64
	orig       int32
}

func requestFP(id RequestID) uint64 {
	return binary.LittleEndian.Uint64(id.UUID[:8]) ^ binary.LittleEndian.Uint64(id.UUID[8:])
}

// commitmentFor reports whether commitment orig of the candidate at position pos is for
// request id.
func (p *Pool) commitmentFor(pos int, orig int32, id RequestID) bool {
	return p.cands[p.order[pos]].Expert.Commitments[orig].Request == id
}

// key returns the Key of the candidate at position pos.
func (p *Pool) key(pos int) string { return p.keyData[p.keyOff[pos]:p.keyOff[pos+1]] }

// Len returns the number of candidates.
func (p *Pool) Len() int { return len(p.cands) }

// Candidates returns the candidates the pool was built from (the caller's slice).
func (p *Pool) Candidates() []Candidate { return p.cands }

func samePolicy(a, b CheckPolicy) bool {
	return slices.Equal(a.required(), b.required()) && a.MinAgreementVersion == b.MinAgreementVersion &&
		a.MinConfidentialityVersion == b.MinConfidentialityVersion && a.TrainingValidMonths == b.TrainingValidMonths
}
