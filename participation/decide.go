package participation

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// Decide answers query q from the subject's ledger events, given in ledger order
// (spec/consent.md §7). It is pure and deterministic (D9): no clock, no I/O, and it
// reads only events of q.Subject (others are skipped).
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
func Decide(p *Policy, events []ConsentEvent, q ConsentQuery) (ConsentDecision, error) {
	d, err := startDecision(p, q)
	if err != nil || d.done {
		return d.result, err
	}
	for i := range events {
		d.consider(&events[i])
	}
	return d.finish(), nil
}

// decision is the state of one streaming decision: the query, its purpose and the
// winner so far. Feeding it events in ledger order gives Decide's answer without a slice,
// which lets a service decide straight from a store's iterator.
type decision struct {
	q      ConsentQuery
	pu     *compiledPurpose
	winner ConsentEvent
	found  bool
	done   bool
	result ConsentDecision
}

func startDecision(p *Policy, q ConsentQuery) (decision, error) {
	if err := validateQuery(p, q); err != nil {
		return decision{}, err
	}
	pu := p.lookup(q.Purpose)
	d := decision{q: q, pu: pu}
	if pu.Basis == BasisPublicTask { // D2
		d.done = true
		d.result = ConsentDecision{Allowed: true, Reason: ReasonNotRequired, Query: q}
	}
	return d, nil
}

// validateQuery checks D1 apart from the subject's existence.
func validateQuery(p *Policy, q ConsentQuery) error {
	ve := &osallisuus.ValidationError{Op: "decide consent"}
	if q.At.IsZero() {
		ve.Add("at", osallisuus.CodeRequired)
	}
	if q.Subject.IsZero() {
		ve.Add("subject", osallisuus.CodeRequired)
	}
	if q.Purpose == "" {
		ve.Add("purpose", osallisuus.CodeRequired)
	} else if !p.Has(q.Purpose) {
		ve.Add("purpose", osallisuus.CodeUnknown)
	}
	if !ValidScope(q.Scope) {
		ve.Add("scope", osallisuus.CodeFormat)
	}
	return ve.Err()
}

// consider takes the next event in ledger order.
func (d *decision) consider(e *ConsentEvent) {
	if e.Subject != d.q.Subject || e.At.After(d.q.At) || e.Purpose != d.q.Purpose ||
		(e.Scope != "" && e.Scope != d.q.Scope) {
		return // D3
	}
	if d.found {
		w := &d.winner
		switch c := e.At.Compare(w.At); {
		case c < 0:
			return
		case c == 0 && w.Action.denies() && !e.Action.denies():
			return // D4: a denial beats a grant at the same instant
		}
	}
	d.winner, d.found = *e, true
}

// finish returns the decision for the winner found (D5, D6).
func (d *decision) finish() ConsentDecision {
	if d.done {
		return d.result
	}
	r := ConsentDecision{Query: d.q}
	if !d.found {
		r.Reason = ReasonNoConsent
		return r
	}
	w := d.winner
	r.Event = w
	switch w.Action {
	case Refuse:
		r.Reason = ReasonRefused
		return r
	case Withdraw:
		r.Reason = ReasonWithdrawn
		return r
	}
	r.ExpiresAt = expiresAt(d.pu, w)
	switch {
	case !r.ExpiresAt.IsZero() && !d.q.At.Before(r.ExpiresAt):
		r.Reason = ReasonExpired
	case w.NoticeVersion < d.pu.MinNoticeVersion:
		r.Reason = ReasonNoticeOutdated
	case d.pu.Explicit && w.Method == Oral:
		r.Reason = ReasonNotExplicit
	default:
		r.Allowed, r.Reason = true, ReasonGranted
	}
	return r
}

// expiresAt is min(validUntil, periodEnd(at)) over the bounds present (D6.1, T6), or zero.
func expiresAt(pu *compiledPurpose, w ConsentEvent) time.Time {
	end := w.ValidUntil
	if !pu.period.IsZero() {
		pe := pu.period.EndAfter(w.At)
		if end.IsZero() || pe.Before(end) {
			end = pe
		}
	}
	return end
}
