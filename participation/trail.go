package participation

import (
	"maps"
	"math"
	"time"
	"unique"

	"github.com/osallisuus/osallisuus"
)

// A Trail is one subject's consent events in ledger order, prepared for answering many
// consent questions from memory (suostumushistoria). Next to the events it keeps, per
// event, only what a decision compares (the instant, purpose and scope, the action, and
// a grant's ValidUntil, notice version and method) in 16 bytes, so a decision reads a
// few cache lines instead of every event. [Trail.Decide] answers exactly as [Decide] on
// the same events: the rules, their order and the reason codes are one implementation.
//
// A host that decides at high rates keeps one Trail per subject, for example in a map
// loaded from its [ConsentLedger] and rebuilt for a subject whenever an event is
// appended for them. The zero Trail holds no events. A Trail is immutable and safe for
// concurrent use.
type Trail struct {
	events  []ConsentEvent
	keys    []trailKey // one per event; nil when the events do not fit (see NewTrail)
	syms    []string   // the purposes and scopes the keys name; syms[0] is ""
	subject osallisuus.ParticipantID
}

// trailKey is what D3 to D6 read of one event, in 16 bytes. The rare values that do not
// fit (a ValidUntil that is not a whole number of seconds after At, or more than 136
// years after it; a notice version outside 0..255) are flagged and read from the event.
type trailKey struct {
	rank    int64  // At in Unix nanoseconds, shifted left by one, plus 1 for a denial (D4)
	until   uint32 // ValidUntil - At in seconds, when keyUntil
	notice  uint8  // NoticeVersion, unless keyNoticeInEvent
	purpose uint8  // index into Trail.syms
	scope   uint8  // index into Trail.syms; 0 is global
	flags   uint8
}

// trailKey flags.
const (
	keyRefuse        uint8 = 1 << iota // the action is Refuse
	keyWithdraw                        // the action is Withdraw
	keyOral                            // the method is Oral
	keyUntil                           // ValidUntil is At + until seconds
	keyUntilInEvent                    // ValidUntil is set and read from the event
	keyNoticeInEvent                   // NoticeVersion is read from the event
	keyDenies        = keyRefuse | keyWithdraw
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
// Events of more than one subject, more than 254 distinct purposes and scopes, or an
// instant outside the years 1823 to 2116 do not fit the compact form; such a Trail still
// answers correctly, by reading its events as [Decide] does (and so does any Trail for a
// query instant outside those years).
func NewTrail(events []ConsentEvent) Trail {
	var syms []string
	return buildTrail(events, make([]trailKey, len(events)), &syms)
}

// NewTrails builds the trail of every subject in events, a ledger or a part of one in
// ledger order (as a host loads it at start-up), and returns them by subject. It copies
// the events, grouped by subject in the order the subjects first appear and in ledger
// order within a subject, so the caller keeps its slice; the events, keys and names of
// all the trails share three allocations, and the trails of subjects loaded together lie
// together in memory.
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
	keys := make([]trailKey, len(events))
	syms := make([]string, 0, 4*len(order))
	trails := make(map[osallisuus.ParticipantID]Trail, len(order))
	for _, s := range order {
		a, b := start[s], start[s]+counts[s]
		trails[s] = buildTrail(grouped[a:b:b], keys[a:b:b], &syms)
	}
	return trails
}

// buildTrail builds the trail of events with keys (of the same length) for its keys,
// appending its names to *slab.
func buildTrail(events []ConsentEvent, keys []trailKey, slab *[]string) Trail {
	t := Trail{events: events}
	if len(events) == 0 {
		return t
	}
	t.subject = events[0].Subject
	first := len(*slab)
	*slab = append(*slab, "")
	sym := func(s string) (uint8, bool) {
		for i, x := range (*slab)[first:] {
			if x == s {
				return uint8(i), true
			}
		}
		if len(*slab)-first == noSym {
			return 0, false
		}
		// The canonical copy: every Trail of a process then shares the bytes of a purpose's
		// name, which stay in the CPU's caches when queries compare with them.
		*slab = append(*slab, unique.Make(s).Value())
		return uint8(len(*slab) - first - 1), true
	}
	for i := range events {
		e := &events[i]
		purpose, ok1 := sym(e.Purpose)
		scope, ok2 := sym(e.Scope)
		if !ok1 || !ok2 || e.Subject != t.subject || !keyTime(e.At) {
			*slab = (*slab)[:first]
			return Trail{events: events, subject: t.subject}
		}
		k := trailKey{rank: e.At.UnixNano() << 1, purpose: purpose, scope: scope}
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
			d := e.ValidUntil.Sub(e.At)
			if d > 0 && d%time.Second == 0 && d/time.Second <= math.MaxUint32 && e.At.Add(d).Equal(e.ValidUntil) {
				k.until = uint32(d / time.Second)
				k.flags |= keyUntil
			} else {
				k.flags |= keyUntilInEvent
			}
		}
		keys[i] = k
	}
	t.keys = keys
	t.syms = (*slab)[first:len(*slab):len(*slab)]
	return t
}

// Events returns the trail's events, in ledger order. The caller must not change them;
// appending to the slice copies it.
func (t Trail) Events() []ConsentEvent { return t.events[:len(t.events):len(t.events)] }

// Len returns the number of events.
func (t Trail) Len() int { return len(t.events) }

// Decide answers q from the trail's events, exactly as [Decide] does on them (the same
// errors, reasons and deciding event); ConsentDecision.Event points into the trail. It
// does not allocate.
func (t Trail) Decide(p *Policy, q ConsentQuery) (ConsentDecision, error) {
	pu, err := checkQuery(p, q)
	if err != nil {
		return ConsentDecision{}, err
	}
	if pu.Basis == BasisPublicTask { // D2
		return ConsentDecision{Allowed: true, Reason: ReasonNotRequired, Query: q}, nil
	}
	if t.keys == nil {
		return decideEvents(pu, t.events, q), nil
	}
	purpose, scope := t.lookup(q.Purpose), t.lookup(q.Scope)
	if q.Subject != t.subject || purpose == noSym {
		return ConsentDecision{Query: q, Reason: ReasonNoConsent}, nil
	}
	if !keyTime(q.At) {
		return decideEvents(pu, t.events, q), nil
	}
	keys := t.keys
	w := winnerKey(keys, purpose, scope, q.At.UnixNano())
	if w < 0 {
		return ConsentDecision{Query: q, Reason: ReasonNoConsent}, nil
	}
	k, e := &keys[w], &t.events[w]
	if k.flags&(keyUntilInEvent|keyNoticeInEvent) != 0 {
		return decideWinner(pu, q, e, factsOf(e)), nil
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
	return decideWinner(pu, q, e, f), nil
}

// winnerKey applies D3 and D4 as decideEvents does, on keys: it returns the index of the
// applicable key with the greatest rank (at, then a denial over a grant), the later
// position among equals, or -1. The loop has no branch on the data (which keys apply
// follows no pattern a CPU could predict, and a mispredicted branch costs more than the
// arithmetic that replaces it), and carries only a compare and a conditional move from
// one key to the next.
func winnerKey(keys []trailKey, purpose, scope uint8, qa int64) int {
	limit := qa<<1 | 1 // the greatest rank at or before qa
	w, wr := -1, int64(math.MinInt64+1)
	for i := range keys {
		k := &keys[i]
		applies := b2u(k.purpose == purpose) & (b2u(k.scope == 0) | b2u(k.scope == scope)) & b2u(k.rank <= limit)
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

// lookup returns the symbol index of s, or noSym.
func (t Trail) lookup(s string) uint8 {
	for i, x := range t.syms {
		if x == s {
			return uint8(i)
		}
	}
	return noSym
}
