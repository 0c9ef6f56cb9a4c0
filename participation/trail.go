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

// trailData is what a Trail handle points to.
type trailData struct {
	subject  osallisuus.ParticipantID
	keys     []trailKey     // grouped by purpose, in ledger order within a purpose; nil when the events do not fit (see NewTrail)
	purposes []trailPurpose // the purposes of the events, in the order they first appear
	scopes   []string       // the scopes the keys name; scopes[0] is ""
	pos      []int32        // pos[i] is the ledger position in events of keys[i]
	events   []ConsentEvent
}

// trailPurpose is a purpose and its keys, keys[start:end].
type trailPurpose struct {
	name       string
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

// The instants a key holds: Unix nanoseconds n with |n| < 2⁶², from 1823 to 2116, so
// that n<<1 fits a rank.
var (
	minKeyTime = time.Unix(0, -(1<<62)+1)
	maxKeyTime = time.Unix(0, 1<<62-1)
)

// keyTime reports whether t is an instant a key can hold.
func keyTime(t time.Time) bool { return !t.Before(minKeyTime) && !t.After(maxKeyTime) }

// NewTrail prepares events, one subject's in ledger order, for deciding. It does not
// copy them: the caller must not change them afterwards, and decisions point into them
// (ConsentDecision.Event).
//
// Events of more than one subject, more than 254 distinct scopes or a malformed one, more
// than 2³¹ events, or an instant outside the years 1823 to 2116 do not fit the compact
// form; such a Trail
// still answers correctly, by reading its events as [Decide] does (and so does any
// Trail for a query instant outside those years).
func NewTrail(events []ConsentEvent) Trail {
	d := new(trailData)
	var s trailSlabs
	s.keys, s.pos = make([]trailKey, len(events)), make([]int32, len(events))
	d.build(events, &s)
	return Trail{d}
}

// NewTrails builds the trail of every subject in events, a ledger or a part of one in
// ledger order (as a host loads it at start-up), and returns them by subject. It copies
// the events, grouped by subject in the order the subjects first appear and in ledger
// order within a subject, so the caller keeps its slice; all the trails share a handful
// of allocations, and the trails of subjects loaded together lie together in memory.
func NewTrails(events []ConsentEvent) map[osallisuus.ParticipantID]Trail {
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
	grouped := make([]ConsentEvent, len(events))
	next := maps.Clone(start)
	for i := range events {
		s := events[i].Subject
		grouped[next[s]] = events[i]
		next[s]++
	}
	slabs := trailSlabs{keys: make([]trailKey, len(events)), pos: make([]int32, len(events)),
		purposes: make([]trailPurpose, 0, 3*len(order)), scopes: make([]string, 0, 3*len(order))}
	data := make([]trailData, len(order))
	trails := make(map[osallisuus.ParticipantID]Trail, len(order))
	for i, s := range order {
		a, b := start[s], start[s]+counts[s]
		sub := slabs
		sub.keys, sub.pos = slabs.keys[a:b:b], slabs.pos[a:b:b]
		data[i].build(grouped[a:b:b], &sub)
		slabs.purposes, slabs.scopes, slabs.scopeOf, slabs.purposeOf = sub.purposes, sub.scopes, sub.scopeOf, sub.purposeOf
		trails[s] = Trail{&data[i]}
	}
	return trails
}

// trailSlabs is the memory trails are built in: keys and pos of exactly the events'
// length, and purposes and scopes appended to.
type trailSlabs struct {
	keys     []trailKey
	pos      []int32
	purposes []trailPurpose
	scopes   []string

	scopeOf   []uint8 // working memory of build
	purposeOf []int
}

// build makes d the trail of events in the memory of s.
func (d *trailData) build(events []ConsentEvent, s *trailSlabs) {
	d.events = events
	if len(events) == 0 {
		return
	}
	d.subject = events[0].Subject
	p0, s0 := len(s.purposes), len(s.scopes)
	fail := func() {
		s.purposes, s.scopes = s.purposes[:p0], s.scopes[:s0]
	}
	if len(events) > math.MaxInt32 {
		return
	}
	// The canonical copies of names: every Trail of a process then shares the bytes of a
	// purpose's name, which stay in the CPU's caches when queries compare with them.
	s.scopes = append(s.scopes, "")
	s.scopeOf, s.purposeOf = slices.Grow(s.scopeOf[:0], len(events))[:len(events)], slices.Grow(s.purposeOf[:0], len(events))[:len(events)]
	scopeOf, purposeOf := s.scopeOf, s.purposeOf
	for i := range events {
		e := &events[i]
		if e.Subject != d.subject || !keyTime(e.At) || !ValidScope(e.Scope) {
			fail()
			return
		}
		pi := -1
		for j, p := range s.purposes[p0:] {
			if p.name == e.Purpose {
				pi = j
				break
			}
		}
		if pi < 0 {
			pi = len(s.purposes) - p0
			s.purposes = append(s.purposes, trailPurpose{name: unique.Make(e.Purpose).Value()})
		}
		s.purposes[p0+pi].end++ // a count, for now
		purposeOf[i] = pi
		si := -1
		for j, x := range s.scopes[s0:] {
			if x == e.Scope {
				si = j
				break
			}
		}
		if si < 0 {
			if len(s.scopes)-s0 == noSym {
				fail()
				return
			}
			si = len(s.scopes) - s0
			s.scopes = append(s.scopes, unique.Make(e.Scope).Value())
		}
		scopeOf[i] = uint8(si)
	}
	purposes := s.purposes[p0:len(s.purposes):len(s.purposes)]
	var at int32
	for j := range purposes {
		n := purposes[j].end
		purposes[j].start, purposes[j].end = at, at
		at += n
	}
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
		s.keys[g.end], s.pos[g.end] = k, int32(i)
		g.end++
	}
	d.keys, d.pos = s.keys, s.pos
	d.purposes = purposes
	d.scopes = s.scopes[s0:len(s.scopes):len(s.scopes)]
}

// Events returns the trail's events, in ledger order. The caller must not change them;
// appending to the slice copies it.
func (t Trail) Events() []ConsentEvent {
	if t.d == nil {
		return nil
	}
	return t.d.events[:len(t.d.events):len(t.d.events)]
}

// Len returns the number of events.
func (t Trail) Len() int {
	if t.d == nil {
		return 0
	}
	return len(t.d.events)
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
	if d != nil && d.keys != nil {
		for i, x := range d.scopes {
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
	if d.keys == nil || !keyTime(q.At) {
		decideEvents(r, pu, d.events, q)
		return
	}
	var g *trailPurpose
	for i := range d.purposes {
		if d.purposes[i].name == pu.Name { // pu.Name is q.Purpose; both are canonical copies
			g = &d.purposes[i]
			break
		}
	}
	if q.Subject != d.subject || g == nil {
		r.Reason = ReasonNoConsent
		return
	}
	keys := d.keys[g.start:g.end]
	w := winnerKey(keys, scope, q.At.UnixNano())
	if w < 0 {
		r.Reason = ReasonNoConsent
		return
	}
	k, e := &keys[w], &d.events[d.pos[int(g.start)+w]]
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
