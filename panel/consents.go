package panel

import (
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// Consents holds consent decisions the rules may need, keyed by subject, purpose, scope
// and instant. Rules are pure, so they never ask a [participation.ConsentChecker]
// themselves: when a rule needs a decision that is not here (a waitlisted person at the
// instant a seat freed, say), it fails with a [*NeedConsentError] naming the query; the
// service asks the checker, adds the answer and runs the rule again. The zero value is
// empty and ready; it is not safe for concurrent use.
type Consents struct {
	m map[consentKey]participation.ConsentDecision
}

type consentKey struct {
	who     osallisuus.ParticipantID
	purpose string
	scope   string
	at      int64
}

func keyOf(q participation.ConsentQuery) consentKey {
	return consentKey{q.Subject, q.Purpose, q.Scope, q.At.UnixNano()}
}

// Put stores a decision under its own query.
func (c *Consents) Put(d participation.ConsentDecision) {
	if c.m == nil {
		c.m = make(map[consentKey]participation.ConsentDecision)
	}
	c.m[keyOf(d.Query)] = d
}

// Has reports whether a decision for q is stored.
func (c *Consents) Has(q participation.ConsentQuery) bool {
	_, ok := c.m[keyOf(q)]
	return ok
}

// Decision returns the stored decision for q or a *NeedConsentError.
func (c *Consents) Decision(q participation.ConsentQuery) (participation.ConsentDecision, error) {
	if d, ok := c.m[keyOf(q)]; ok {
		return d, nil
	}
	return participation.ConsentDecision{}, &NeedConsentError{Query: q}
}

// NeedConsentError says a rule needs a consent decision it was not given. Services
// handle it; it never reaches a host through [Service].
type NeedConsentError struct {
	Query participation.ConsentQuery
}

// Error describes the missing decision.
func (e *NeedConsentError) Error() string {
	return fmt.Sprintf("consent decision needed: %s for %s at %s", e.Query.Subject, e.Query.Purpose,
		osallisuus.FormatInstant(e.Query.At))
}

// consentQuery returns the P2 query for who on p's seat type at at; ok is false when the
// seat type asks nothing (official seats without an OfficialPurpose).
func (p *Panel) consentQuery(who osallisuus.ParticipantID, seat SeatType, at time.Time) (participation.ConsentQuery, bool) {
	purpose := p.Config.Purpose
	if seat == SeatOfficial {
		purpose = p.Config.OfficialPurpose
	}
	if purpose == "" {
		return participation.ConsentQuery{}, false
	}
	return participation.ConsentQuery{Subject: who, Purpose: purpose, Scope: p.Scope(), At: at}, true
}

// consent asks P2 for who: nil record when nothing is asked, a forbidden RuleError
// carrying the decision's reason when it is not allowed.
func (p *Panel) consent(cons *Consents, who osallisuus.ParticipantID, seat SeatType, at time.Time) (*ConsentRecord, error) {
	q, ok := p.consentQuery(who, seat, at)
	if !ok {
		return nil, nil
	}
	d, err := cons.Decision(q)
	if err != nil {
		return nil, err
	}
	if !d.Allowed {
		return nil, d.Err()
	}
	return recordOf(d), nil
}

// AddWallClock adds period p to instant t in Helsinki wall-clock time (spec §12.6): the
// same local time p later, a time the spring change skips moving an hour on and one the
// autumn change repeats taking its later occurrence, as Go's AddDate does. P7D from
// 25 Mar 2026 10:00 EET ends 1 Apr 2026 10:00 EEST, 167 hours on.
func AddWallClock(t time.Time, p osallisuus.Period) time.Time {
	off := int64(osallisuus.HelsinkiOffset(t))
	d := osallisuus.DateOf(t)
	secOfDay := (t.Unix() + off) % 86400
	if secOfDay < 0 {
		secOfDay += 86400
	}
	nd := d.AddMonths(12*p.Years + p.Months).AddDays(7*p.Weeks + p.Days)
	local := nd.Start().Unix() + int64(osallisuus.HelsinkiOffset(nd.Start())) + secOfDay
	u2 := time.Unix(local-7200, int64(t.Nanosecond())).UTC()
	if osallisuus.HelsinkiOffset(u2) == 7200 {
		return u2
	}
	u3 := time.Unix(local-10800, int64(t.Nanosecond())).UTC()
	if osallisuus.HelsinkiOffset(u3) == 10800 {
		return u3
	}
	return u2
}

// dayEnd returns the instant a day ends: 00:00 Helsinki on the next day.
func dayEnd(d osallisuus.Date) time.Time { return d.AddDays(1).Start() }
