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
func Decide(p *Policy, events []ConsentEvent, q ConsentQuery) (ConsentDecision, error) {
	pu, err := checkQuery(p, q)
	if err != nil {
		return ConsentDecision{}, err
	}
	if pu.Basis == BasisPublicTask { // D2
		return ConsentDecision{Allowed: true, Reason: ReasonNotRequired, Query: q}, nil
	}
	w := -1
	for i := range events {
		e := &events[i]
		if applicable(e, &q) && (w < 0 || beats(e, &events[w])) {
			w = i
		}
	}
	if w < 0 {
		return ConsentDecision{Query: q, Reason: ReasonNoConsent}, nil
	}
	return decideWinner(pu, q, &events[w]), nil
}

// checkQuery validates q (D1, apart from the subject's existence) and returns its
// purpose. It allocates only when the query is invalid.
func checkQuery(p *Policy, q ConsentQuery) (*compiledPurpose, error) {
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

// applicable reports whether e is applicable to q (D3): same purpose and subject,
// at ≤ q.At, and its scope global or q's. The cheapest, most selective tests come first.
func applicable(e *ConsentEvent, q *ConsentQuery) bool {
	return e.Purpose == q.Purpose && e.Subject == q.Subject && !e.At.After(q.At) &&
		(e.Scope == "" || e.Scope == q.Scope)
}

// beats reports whether applicable event e, later in the ledger than the current winner
// w, replaces it (D4): a later instant wins; at the same instant a refusal or withdrawal
// beats a grant, and otherwise the later ledger position (e) wins.
func beats(e, w *ConsentEvent) bool {
	switch c := e.At.Compare(w.At); {
	case c > 0:
		return true
	case c < 0:
		return false
	}
	return e.Action.denies() || !w.Action.denies()
}

// decideWinner applies D5 and D6 to the winning event w.
func decideWinner(pu *compiledPurpose, q ConsentQuery, w *ConsentEvent) ConsentDecision {
	r := ConsentDecision{Query: q, Event: *w}
	switch w.Action {
	case Refuse:
		r.Reason = ReasonRefused
		return r
	case Withdraw:
		r.Reason = ReasonWithdrawn
		return r
	}
	r.ExpiresAt = expiresAt(pu, w)
	switch {
	case !r.ExpiresAt.IsZero() && !q.At.Before(r.ExpiresAt):
		r.Reason = ReasonExpired
	case w.NoticeVersion < pu.MinNoticeVersion:
		r.Reason = ReasonNoticeOutdated
	case pu.Explicit && w.Method == Oral:
		r.Reason = ReasonNotExplicit
	default:
		r.Allowed, r.Reason = true, ReasonGranted
	}
	return r
}

// expiresAt is min(validUntil, periodEnd(at)) over the bounds present (D6.1, T6), or zero.
func expiresAt(pu *compiledPurpose, w *ConsentEvent) time.Time {
	end := w.ValidUntil
	if !pu.period.IsZero() {
		pe := pu.period.EndAfter(w.At)
		if end.IsZero() || pe.Before(end) {
			end = pe
		}
	}
	return end
}
