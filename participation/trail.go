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
// ValidUntil, notice version and method) and the event's position, in 16 bytes, grouped
// by purpose, so a decision reads the few keys of the query's purpose instead of every
// event. [Trail.Decide]
// answers exactly as [Decide] on the same events: the rules, their order and the reason
// codes are one implementation.
//
// A host that decides at high rates keeps one Trail per subject, for example in a map
// loaded from its [ConsentLedger] with [NewTrails] and rebuilt for a subject whenever an
// event is appended for them. A Trail is a handle, cheap to copy; the zero Trail holds
// no events. A Trail is immutable and safe for concurrent use.
type Trail struct{ d *trailData }

// trailData is what a Trail handle points to: 40 bytes, the first of the few cache lines
// a decision on a subject not in cache must fetch. Its slices live in a trailMem shared
// by the trails built together.
type trailData struct {
	subject osallisuus.ParticipantID
	mem     *trailMem
	start   uint32 // the events are mem.events[start:start+n], and when compact so are the keys
	n       uint32
	syms    uint32 // the purposes are mem.syms[syms:syms+np]; the ns scopes other than global follow
	np, ns  uint8
	compact bool // the keys are valid (see NewTrail)
}

// trailMem is the memory of trails built together.
type trailMem struct {
	events []ConsentEvent
	keys   []trailKey // per trail: grouped by purpose, in ledger order within a purpose
	// per trail: its purposes, then the scopes its keys name other than global, each in
	// the order they first appear
	syms []trailSym

	scopeOf   []uint8 // working memory of build
	purposeOf []int
	scopes    []unique.Handle[string]
}

// trailSym is a name a trail's keys use: a purpose, with its keys (keys[start:end] of
// the trail's keys), or a scope. A trail's purposes and scopes lie together, in the
// cache line or two that a decision reads first.
type trailSym struct {
	name       unique.Handle[string]
	start, end int32 // a purpose's keys
}

// trailKey is what D3 to D6 read of one event, and where the event is, in 16 bytes. The
// rare values that do not fit (a ValidUntil that is not a whole number of seconds after
// At, or more than 136 years after it; a notice version outside 0..15) are flagged and
// read from the event.
type trailKey struct {
	rank  int64  // At in Unix nanoseconds, shifted left by one, plus 1 for a denial (D4)
	until uint32 // ValidUntil - At in seconds; 0 when there is none or keyUntilInEvent
	pos   uint16 // the event's position in the trail
	scope uint8  // 0 is global, i the trail's i-th scope
	bits  uint8  // flags in the low four bits, NoticeVersion in the high four unless keyNoticeInEvent
}

// trailKey flags. A denial (rank's low bit) is a refusal unless keyWithdraw.
const (
	keyWithdraw      uint8 = 1 << iota // the action is Withdraw
	keyOral                            // the method is Oral
	keyUntilInEvent                    // ValidUntil is set and read from the event
	keyNoticeInEvent                   // NoticeVersion is read from the event
)

// maxTrailLen is the length of the longest trail that fits keys: a key holds the event's
// position in 16 bits.
const maxTrailLen = math.MaxUint16 + 1

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
// than 255 purposes, more than 65,536 events, or an instant outside the years 1823 to
// 2116 do not fit the compact form; such a Trail still answers correctly, by reading its
// events as [Decide] does (and so does any Trail for a query instant outside those
// years).
func NewTrail(events []ConsentEvent) Trail {
	m := &trailMem{events: events, keys: make([]trailKey, len(events))}
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
	m := &trailMem{events: make([]ConsentEvent, len(events)), keys: make([]trailKey, len(events)),
		syms: make([]trailSym, 0, 4*len(order))}
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
// to m.keys at the same place and appending its purposes and scopes.
func (d *trailData) build(m *trailMem, start, n int) {
	d.mem, d.start, d.n = m, uint32(start), uint32(n)
	events := m.events[start : start+n]
	if n == 0 || n > maxTrailLen {
		return
	}
	d.subject = events[0].Subject
	p0 := len(m.syms)
	fail := func() { m.syms = m.syms[:p0] }
	// Names are held as canonical copies (unique.Handle): every Trail of a process then
	// shares the bytes of a name, which stay in the CPU's caches when queries compare with
	// them.
	m.scopeOf, m.purposeOf = slices.Grow(m.scopeOf[:0], n)[:n], slices.Grow(m.purposeOf[:0], n)[:n]
	scopeOf, purposeOf, scopes := m.scopeOf, m.purposeOf, m.scopes[:0]
	for i := range events {
		e := &events[i]
		if e.Subject != d.subject || !keyTime(e.At) || !ValidScope(e.Scope) {
			fail()
			return
		}
		pi := -1
		for j, p := range m.syms[p0:] {
			if p.name.Value() == e.Purpose {
				pi = j
				break
			}
		}
		if pi < 0 {
			if len(m.syms)-p0 == math.MaxUint8 {
				fail()
				return
			}
			pi = len(m.syms) - p0
			m.syms = append(m.syms, trailSym{name: unique.Make(e.Purpose)})
		}
		m.syms[p0+pi].end++ // a count, for now
		purposeOf[i] = pi
		si := 0 // global
		if e.Scope != "" {
			si = slices.IndexFunc(scopes, func(h unique.Handle[string]) bool { return h.Value() == e.Scope }) + 1
			if si == 0 {
				if len(scopes) == noSym-1 {
					fail()
					return
				}
				scopes = append(scopes, unique.Make(e.Scope))
				si = len(scopes)
			}
		}
		scopeOf[i] = uint8(si)
	}
	m.scopes = scopes
	purposes := m.syms[p0:]
	var at int32
	for j := range purposes {
		c := purposes[j].end
		purposes[j].start, purposes[j].end = at, at
		at += c
	}
	keys := m.keys[start : start+n]
	for i := range events {
		e := &events[i]
		g := &purposes[purposeOf[i]]
		k := trailKey{rank: e.At.UnixNano() << 1, pos: uint16(i), scope: scopeOf[i]}
		switch e.Action {
		case Refuse:
			k.rank |= 1
		case Withdraw:
			k.bits |= keyWithdraw
			k.rank |= 1
		}
		if e.Method == Oral {
			k.bits |= keyOral
		}
		if e.NoticeVersion >= 0 && e.NoticeVersion <= 15 {
			k.bits |= uint8(e.NoticeVersion) << 4
		} else {
			k.bits |= keyNoticeInEvent
		}
		if !e.ValidUntil.IsZero() {
			dur := e.ValidUntil.Sub(e.At)
			if dur > 0 && dur%time.Second == 0 && dur/time.Second <= math.MaxUint32 && e.At.Add(dur).Equal(e.ValidUntil) {
				k.until = uint32(dur / time.Second)
			} else {
				k.bits |= keyUntilInEvent
			}
		}
		keys[g.end] = k
		g.end++
	}
	for _, h := range scopes {
		m.syms = append(m.syms, trailSym{name: h})
	}
	d.syms, d.np, d.ns = uint32(p0), uint8(len(purposes)), uint8(len(scopes))
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
	switch {
	case q.Scope == "":
		scope = 0
	case d != nil && d.compact:
		from := d.syms + uint32(d.np)
		for i, x := range d.mem.syms[from : from+uint32(d.ns)] {
			if x.name.Value() == q.Scope {
				scope = uint8(i + 1)
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
// and whose scope is scope: 0 for global, i for the trail's i-th scope, noSym for none of
// them.
func (d *trailData) decide(r *ConsentDecision, pu *compiledPurpose, q *ConsentQuery, scope uint8) {
	m := d.mem
	qs := q.At.Unix()
	if !d.compact || !keyUnix(qs) {
		decideEvents(r, pu, m.events[d.start:d.start+d.n], q)
		return
	}
	// The purpose, by comparing handles, with no branch on which one it is.
	purposes := m.syms[d.syms : d.syms+uint32(d.np)]
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
	k := &keys[w]
	e := &m.events[d.start+uint32(k.pos)]
	if k.bits&(keyUntilInEvent|keyNoticeInEvent) != 0 {
		decideWinner(r, pu, q, e, factsOf(e))
		return
	}
	at := k.rank >> 1
	f := winnerFacts{action: Grant, oral: k.bits&keyOral != 0, notice: int(k.bits >> 4),
		atSec: floorDiv(at, int64(time.Second))}
	if k.until != 0 {
		f.untilSec, f.untilNsec, f.hasUntil = f.atSec+int64(k.until), int32(at-f.atSec*int64(time.Second)), true
	}
	if k.rank&1 != 0 {
		f.action = Refuse
		if k.bits&keyWithdraw != 0 {
			f.action = Withdraw
		}
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
