package participation

import (
	"maps"
	"math"
	"slices"
	"time"
	"unique"

	"github.com/osallisuus/osallisuus"
)

// A Trail is one subject's consent events in ledger order, prepared for answering many
// consent questions from memory (suostumushistoria). Next to the events it keeps, per
// event, only what a decision compares (the instant, scope and action, and a grant's
// ValidUntil, notice version and method) in 16 bytes, grouped by purpose, so a decision
// reads the few keys of the query's purpose instead of every event. [Trail.Decide]
// answers exactly as [Decide] on the same events: the rules, their order and the reason
// codes are one implementation.
//
// A host that decides at high rates keeps one Trail per subject, for example in a map
// loaded from its [ConsentLedger] with [NewTrails] and rebuilt for a subject whenever an
// event is appended for them. A Trail is a handle, cheap to copy; the zero Trail holds
// no events. A Trail is immutable and safe for concurrent use.
type Trail struct{ d *trailData }

// trailData is what a Trail handle points to: 48 bytes, the first of the few cache lines
// a decision on a subject not in cache must fetch. Its slices live in a trailMem shared
// by the trails built together.
type trailData struct {
	subject osallisuus.ParticipantID
	mem     *trailMem
	start   uint32 // the events are mem.events[start:start+n], and when compact so are keys and pos
	n       uint32
	pstart  uint32 // the purposes are mem.purposes[pstart:pstart+np]
	sstart  uint32 // the scopes are mem.scopes[sstart:sstart+ns]; the first is ""
	np, ns  uint8
	compact bool // the keys are valid (see NewTrail)
}

// trailMem is the memory of trails built together.
type trailMem struct {
	events   []ConsentEvent
	keys     []trailKey     // per trail: grouped by purpose, in ledger order within a purpose
	pos      []int32        // pos[start+i] is the ledger position in the trail of keys[start+i]
	purposes []trailPurpose // per trail: its purposes, in the order they first appear
	scopes   []string       // per trail: the scopes its keys name, "" first

	scopeOf   []uint8 // working memory of build
	purposeOf []int
}

// trailPurpose is a purpose and its keys, keys[start:end] of the trail's keys.
type trailPurpose struct {
	name       unique.Handle[string]
	start, end int32
}

// trailKey is what D3 to D6 read of one event, in 16 bytes. The rare values that do not
// fit (a ValidUntil that is not a whole number of seconds after At, or more than 136
// years after it; a notice version outside 0..255) are flagged and read from the event.
type trailKey struct {
	rank   int64  // At in Unix nanoseconds, shifted left by one, plus 1 for a denial (D4)
	until  uint32 // ValidUntil - At in seconds, when keyUntil
	notice uint8  // NoticeVersion, unless keyNoticeInEvent
	scope  uint8  // index into scopes; 0 is global
	flags  uint8
	_      uint8
}

// trailKey flags.
const (
	keyRefuse        uint8 = 1 << iota // the action is Refuse
	keyWithdraw                        // the action is Withdraw
	keyOral                            // the method is Oral
	keyUntil                           // ValidUntil is At + until seconds
	keyUntilInEvent                    // ValidUntil is set and read from the event
	keyNoticeInEvent                   // NoticeVersion is read from the event
)

// noSym is a symbol index no key holds: at most noSym symbols are numbered.
const noSym = math.MaxUint8

// maxKeySec bounds the instants a key holds: Unix seconds s with |s| ≤ maxKeySec, from
// late 1823 to early 2116, whose nanoseconds n have |n| < 2⁶², so that n<<1 fits a rank.
const maxKeySec = 1<<62/int64(time.Second) - 1

// keyTime reports whether t is an instant a key can hold.
func keyTime(t time.Time) bool { return keyUnix(t.Unix()) }

// keyUnix reports whether Unix second s is within the instants a key can hold.
func keyUnix(s int64) bool { return s >= -maxKeySec && s <= maxKeySec }

// NewTrail prepares events, one subject's in ledger order, for deciding. It does not
// copy them: the caller must not change them afterwards, and decisions point into them
// (ConsentDecision.Event).
//
// Events of more than one subject, more than 254 distinct scopes or a malformed one, more
// than 255 purposes, more than 2³¹ events, or an instant outside the years 1823 to 2116 do not fit the compact
// form; such a Trail
// still answers correctly, by reading its events as [Decide] does (and so does any
// Trail for a query instant outside those years).
func NewTrail(events []ConsentEvent) Trail {
	m := &trailMem{events: events, keys: make([]trailKey, len(events)), pos: make([]int32, len(events))}
	d := new(trailData)
	d.build(m, 0, len(events))
	return Trail{d}
}

// NewTrails builds the trail of every subject in events, a ledger or a part of one in
// ledger order (as a host loads it at start-up), and returns them by subject. It copies
// the events, grouped by subject in the order the subjects first appear and in ledger
// order within a subject, so the caller keeps its slice; all the trails share a handful
// of allocations, and the trails of subjects loaded together lie together in memory.
// Ledgers of 2³² events or more panic.
func NewTrails(events []ConsentEvent) map[osallisuus.ParticipantID]Trail {
	if uint64(len(events)) >= math.MaxUint32 {
		panic("participation: NewTrails: 2³² events or more")
	}
	counts := make(map[osallisuus.ParticipantID]int)
	var order []osallisuus.ParticipantID
	for i := range events {
		s := events[i].Subject
		if counts[s] == 0 {
			order = append(order, s)
		}
		counts[s]++
	}
	start := make(map[osallisuus.ParticipantID]int, len(order))
	n := 0
	for _, s := range order {
		start[s] = n
		n += counts[s]
	}
	m := &trailMem{events: make([]ConsentEvent, len(events)), keys: make([]trailKey, len(events)), pos: make([]int32, len(events)),
		purposes: make([]trailPurpose, 0, 3*len(order)), scopes: make([]string, 0, 3*len(order))}
	next := maps.Clone(start)
	for i := range events {
		s := events[i].Subject
		m.events[next[s]] = events[i]
		next[s]++
	}
	data := make([]trailData, len(order))
	trails := make(map[osallisuus.ParticipantID]Trail, len(order))
	for i, s := range order {
		data[i].build(m, start[s], counts[s])
		trails[s] = Trail{&data[i]}
	}
	return trails
}

// build makes d the trail of m.events[start:start+n], writing its keys and positions
// to m.keys and m.pos at the same place and appending its purposes and scopes.
func (d *trailData) build(m *trailMem, start, n int) {
	d.mem, d.start, d.n = m, uint32(start), uint32(n)
	events := m.events[start : start+n]
	if n == 0 || n > math.MaxInt32 {
		return
	}
	d.subject = events[0].Subject
	p0, s0 := len(m.purposes), len(m.scopes)
	fail := func() {
		m.purposes, m.scopes = m.purposes[:p0], m.scopes[:s0]
	}
	// The canonical copies of names: every Trail of a process then shares the bytes of a
	// purpose's name, which stay in the CPU's caches when queries compare with them.
	m.scopes = append(m.scopes, "")
	m.scopeOf, m.purposeOf = slices.Grow(m.scopeOf[:0], n)[:n], slices.Grow(m.purposeOf[:0], n)[:n]
	scopeOf, purposeOf := m.scopeOf, m.purposeOf
	for i := range events {
		e := &events[i]
		if e.Subject != d.subject || !keyTime(e.At) || !ValidScope(e.Scope) {
			fail()
			return
		}
		pi := -1
		for j, p := range m.purposes[p0:] {
			if p.name.Value() == e.Purpose {
				pi = j
				break
			}
		}
		if pi < 0 {
			if len(m.purposes)-p0 == math.MaxUint8 {
				fail()
				return
			}
			pi = len(m.purposes) - p0
			m.purposes = append(m.purposes, trailPurpose{name: unique.Make(e.Purpose)})
		}
		m.purposes[p0+pi].end++ // a count, for now
		purposeOf[i] = pi
		si := -1
		for j, x := range m.scopes[s0:] {
			if x == e.Scope {
				si = j
				break
			}
		}
		if si < 0 {
			if len(m.scopes)-s0 == noSym {
				fail()
				return
			}
			si = len(m.scopes) - s0
			m.scopes = append(m.scopes, unique.Make(e.Scope).Value())
		}
		scopeOf[i] = uint8(si)
	}
	purposes := m.purposes[p0:]
	var at int32
	for j := range purposes {
		c := purposes[j].end
		purposes[j].start, purposes[j].end = at, at
		at += c
	}
	keys, pos := m.keys[start:start+n], m.pos[start:start+n]
	for i := range events {
		e := &events[i]
		g := &purposes[purposeOf[i]]
		k := trailKey{rank: e.At.UnixNano() << 1, scope: scopeOf[i]}
		switch e.Action {
		case Refuse:
			k.flags |= keyRefuse
			k.rank |= 1
		case Withdraw:
			k.flags |= keyWithdraw
			k.rank |= 1
		}
		if e.Method == Oral {
			k.flags |= keyOral
		}
		if e.NoticeVersion >= 0 && e.NoticeVersion <= math.MaxUint8 {
			k.notice = uint8(e.NoticeVersion)
		} else {
			k.flags |= keyNoticeInEvent
		}
		if !e.ValidUntil.IsZero() {
			dur := e.ValidUntil.Sub(e.At)
			if dur > 0 && dur%time.Second == 0 && dur/time.Second <= math.MaxUint32 && e.At.Add(dur).Equal(e.ValidUntil) {
				k.until = uint32(dur / time.Second)
				k.flags |= keyUntil
			} else {
				k.flags |= keyUntilInEvent
			}
		}
		keys[g.end], pos[g.end] = k, int32(i)
		g.end++
	}
	d.pstart, d.np = uint32(p0), uint8(len(purposes))
	d.sstart, d.ns = uint32(s0), uint8(len(m.scopes)-s0)
	d.compact = true
}

// Events returns the trail's events, in ledger order. The caller must not change them;
// appending to the slice copies it.
func (t Trail) Events() []ConsentEvent {
	if t.d == nil {
		return nil
	}
	d := t.d
	return d.mem.events[d.start : d.start+d.n : d.start+d.n]
}

// Len returns the number of events.
func (t Trail) Len() int {
	if t.d == nil {
		return 0
	}
	return int(t.d.n)
}

// Decide answers q from the trail's events, exactly as [Decide] does on them (the same
// errors, reasons and deciding event); ConsentDecision.Event points into the trail. It
// does not allocate.
func (t Trail) Decide(p *Policy, q ConsentQuery) (r ConsentDecision, err error) {
	// D1 as checkQuery, except that a scope the trail already holds was validated when
	// the trail was built.
	pu := p.lookup(q.Purpose)
	if pu == nil || q.At.IsZero() || q.Subject.IsZero() {
		_, err := checkQuery(p, &q)
		return r, err
	}
	d := t.d
	scope := uint8(noSym)
	if d != nil && d.compact {
		for i, x := range d.mem.scopes[d.sstart : d.sstart+uint32(d.ns)] {
			if x == q.Scope {
				scope = uint8(i)
				break
			}
		}
	}
	if scope == noSym && !ValidScope(q.Scope) {
		_, err := checkQuery(p, &q)
		return r, err
	}
	r.Query = q
	switch {
	case pu.Basis == BasisPublicTask: // D2
		r.Allowed, r.Reason = true, ReasonNotRequired
	case d == nil:
		r.Reason = ReasonNoConsent
	default:
		d.decide(&r, pu, &q, scope)
	}
	return r, nil
}

// decide applies D3 to D7, as decideEvents, to a valid query whose purpose needs consent
// and whose scope is scope in d.scopes (noSym: none of them).
func (d *trailData) decide(r *ConsentDecision, pu *compiledPurpose, q *ConsentQuery, scope uint8) {
	m := d.mem
	qs := q.At.Unix()
	if !d.compact || !keyUnix(qs) {
		decideEvents(r, pu, m.events[d.start:d.start+d.n], q)
		return
	}
	// The purpose, by comparing handles, with no branch on which one it is.
	purposes := m.purposes[d.pstart : d.pstart+uint32(d.np)]
	gi := -1
	for i := range purposes {
		if purposes[i].name == pu.handle {
			gi = i
		}
	}
	if q.Subject != d.subject || gi < 0 {
		r.Reason = ReasonNoConsent
		return
	}
	g := &purposes[gi]
	first := d.start + uint32(g.start)
	keys := m.keys[first : d.start+uint32(g.end)]
	w := winnerKey(keys, scope, qs*int64(time.Second)+int64(q.At.Nanosecond()))
	if w < 0 {
		r.Reason = ReasonNoConsent
		return
	}
	k, e := &keys[w], &m.events[d.start+uint32(m.pos[first+uint32(w)])]
	if k.flags&(keyUntilInEvent|keyNoticeInEvent) != 0 {
		decideWinner(r, pu, q, e, factsOf(e))
		return
	}
	at := k.rank >> 1
	f := winnerFacts{action: Grant, oral: k.flags&keyOral != 0, notice: int(k.notice),
		atSec: floorDiv(at, int64(time.Second))}
	if k.flags&keyUntil != 0 {
		f.untilSec, f.untilNsec, f.hasUntil = f.atSec+int64(k.until), int32(at-f.atSec*int64(time.Second)), true
	}
	switch {
	case k.flags&keyRefuse != 0:
		f.action = Refuse
	case k.flags&keyWithdraw != 0:
		f.action = Withdraw
	}
	decideWinner(r, pu, q, e, f)
}

// winnerKey applies D3 and D4 as decideEvents does, on the keys of one purpose: it
// returns the index of the applicable key with the greatest rank (at, then a denial
// over a grant), the later position among equals, or -1. The loop has no branch on the
// data (which keys apply follows no pattern a CPU could predict, and a mispredicted
// branch costs more than the arithmetic that replaces it), and carries only a compare
// and a conditional move from one key to the next.
func winnerKey(keys []trailKey, scope uint8, qa int64) int {
	limit := qa<<1 | 1 // the greatest rank at or before qa
	w, wr := -1, int64(math.MinInt64+1)
	for i := range keys {
		k := &keys[i]
		applies := (b2u(k.scope == 0) | b2u(k.scope == scope)) & b2u(k.rank <= limit)
		m := -int64(applies) // all ones when the key applies
		r := k.rank&m | math.MinInt64&^m
		if r >= wr {
			w, wr = i, r
		}
	}
	return w
}

// b2u is 1 for true and 0 for false, without a branch.
func b2u(b bool) uint8 {
	var u uint8
	if b {
		u = 1
	}
	return u
}

// floorDiv is a / b rounded towards minus infinity, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
