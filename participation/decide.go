package participation

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// Decide answers query q from the subject's ledger events, given in ledger order
// (spec/consent.md §7). It is pure and deterministic (D9): no clock, no I/O, and it
// reads only events of q.Subject (others are skipped). It does not allocate.
//
// Errors: an invalid query (D1: zero At or Subject, a purpose not in the policy, a
// malformed scope) returns a *osallisuus.ValidationError matching ErrInvalid. Whether the
// subject exists is the caller's question. A denial is a decision, not an error.
//
// The rules: a public-task purpose is allowed, not-required (D2). Otherwise the
// applicable events are those of the same subject and purpose with at ≤ q.At whose scope
// is q.Scope or global (D3); the winner is the latest, a refusal or withdrawal beating a
// grant at the same instant, then the later ledger position (D4). No winner is
// no-consent; a refusal refused; a withdrawal withdrawn (D5). A winning grant is checked
// for expiry, notice version and explicitness in that order (D6), with no fallback to an
// older grant (D7).
func Decide(p *Policy, events []ConsentEvent, q ConsentQuery) (r ConsentDecision, err error) {
	pu, err := checkQuery(p, &q)
	if err != nil {
		return r, err
	}
	r.Query = q
	if pu.Basis == BasisPublicTask { // D2
		r.Allowed, r.Reason = true, ReasonNotRequired
		return r, nil
	}
	decideEvents(&r, pu, events, &q)
	return r, nil
}

// decideEvents applies D3 to D7 to events for a valid query q whose purpose needs
// consent, setting r's verdict, reason, event and expiry. The decisions of this file
// write into a result the caller owns: a ConsentDecision is some 150 bytes, and copying
// it up through every call was a measurable part of a decision.
func decideEvents(r *ConsentDecision, pu *compiledPurpose, events []ConsentEvent, q *ConsentQuery) {
	// The loop is written out by hand: it runs for every event of every decision, so the
	// applicability test (D3) and the tie rule (D4) avoid calls and re-decoding q.At.
	// [Trail.Decide] runs the same loop over its compact keys.
	qs, qn := q.At.Unix(), q.At.Nanosecond()
	w, ws, wn := -1, int64(0), 0
	for i := range events {
		e := &events[i]
		if e.Purpose != q.Purpose || e.Subject != q.Subject || (e.Scope != "" && e.Scope != q.Scope) {
			continue
		}
		es, en := e.At.Unix(), e.At.Nanosecond()
		if es > qs || (es == qs && en > qn) {
			continue // after the query
		}
		if w >= 0 && (es < ws || (es == ws && (en < wn ||
			(en == wn && !e.Action.denies() && events[w].Action.denies())))) {
			continue // D4: an earlier instant, or a grant tied with a denial, does not win
		}
		w, ws, wn = i, es, en
	}
	if w < 0 {
		r.Reason = ReasonNoConsent
		return
	}
	decideWinner(r, pu, q, &events[w], factsOf(&events[w]))
}

// checkQuery validates q (D1, apart from the subject's existence) and returns its
// purpose. It allocates only when the query is invalid.
func checkQuery(p *Policy, q *ConsentQuery) (*compiledPurpose, error) {
	pu := p.lookup(q.Purpose)
	if pu != nil && !q.At.IsZero() && !q.Subject.IsZero() && ValidScope(q.Scope) {
		return pu, nil
	}
	ve := &osallisuus.ValidationError{Op: "decide consent"}
	if q.At.IsZero() {
		ve.Add("at", osallisuus.CodeRequired)
	}
	if q.Subject.IsZero() {
		ve.Add("subject", osallisuus.CodeRequired)
	}
	if q.Purpose == "" {
		ve.Add("purpose", osallisuus.CodeRequired)
	} else if pu == nil {
		ve.Add("purpose", osallisuus.CodeUnknown)
	}
	if !ValidScope(q.Scope) {
		ve.Add("scope", osallisuus.CodeFormat)
	}
	return nil, ve
}

// winnerFacts is what D5 and D6 read of the winning event, so that [Decide] and
// [Trail.Decide] share one implementation of them.
type winnerFacts struct {
	action    Action // Grant, Refuse or Withdraw; anything else decides as a grant
	oral      bool
	notice    int
	atSec     int64 // At, in Unix seconds: all a MaxDuration bound reads of it
	untilSec  int64 // ValidUntil, when hasUntil
	untilNsec int32
	hasUntil  bool
}

// factsOf returns the winner facts of e.
func factsOf(e *ConsentEvent) winnerFacts {
	f := winnerFacts{action: e.Action, oral: e.Method == Oral, notice: e.NoticeVersion, atSec: e.At.Unix()}
	if !e.ValidUntil.IsZero() {
		f.untilSec, f.untilNsec, f.hasUntil = e.ValidUntil.Unix(), int32(e.ValidUntil.Nanosecond()), true
	}
	return f
}

// decideWinner applies D5 and D6 to the winning event w, whose facts are f.
func decideWinner(r *ConsentDecision, pu *compiledPurpose, q *ConsentQuery, w *ConsentEvent, f winnerFacts) {
	r.Event = w
	switch f.action {
	case Refuse:
		r.Reason = ReasonRefused
		return
	case Withdraw:
		r.Reason = ReasonWithdrawn
		return
	}
	r.ExpiresAt = expiresAt(pu, f)
	switch {
	case !r.ExpiresAt.IsZero() && !q.At.Before(r.ExpiresAt):
		r.Reason = ReasonExpired
	case f.notice < pu.MinNoticeVersion:
		r.Reason = ReasonNoticeOutdated
	case pu.Explicit && f.oral:
		r.Reason = ReasonNotExplicit
	default:
		r.Allowed, r.Reason = true, ReasonGranted
	}
}

// expiresAt is min(validUntil, periodEnd(at)) over the bounds present (D6.1, T6), in UTC,
// or zero.
func expiresAt(pu *compiledPurpose, f winnerFacts) time.Time {
	var end time.Time
	if f.hasUntil {
		end = time.Unix(f.untilSec, int64(f.untilNsec)).UTC()
	}
	if !pu.period.IsZero() {
		pe := pu.period.EndAfter(time.Unix(f.atSec, 0))
		if end.IsZero() || pe.Before(end) {
			end = pe
		}
	}
	return end
}
