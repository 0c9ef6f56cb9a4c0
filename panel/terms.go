package panel

import (
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// termFrom returns the term that starts on start (spec §12.6, P10): with a TermLength L
// it ends on start + L − 1 day; without one on EndsOn or never; under council-term with
// the calendar range holding start. It is always clipped to EndsOn. ok is false when no
// term can start then (no calendar range, or after EndsOn).
func (p *Panel) termFrom(start osallisuus.Date) (Term, bool) {
	c := p.Config
	t := Term{Start: start}
	switch c.Term.Policy {
	case TermCouncilTerm:
		i := calendarIndex(c.Term.Calendar, start)
		if i < 0 {
			return Term{}, false
		}
		t.Last = c.Term.Calendar[i].Until
	default:
		if l := c.Term.TermLength; !l.IsZero() {
			t.Last = start.AddMonths(12*l.Years + l.Months).AddDays(7*l.Weeks + l.Days - 1)
		}
	}
	if !c.EndsOn.IsZero() {
		if start.After(c.EndsOn) {
			return Term{}, false
		}
		if t.Last.IsZero() || t.Last.After(c.EndsOn) {
			t.Last = c.EndsOn
		}
	}
	return t, true
}

func calendarIndex(cal []osallisuus.DateRange, d osallisuus.Date) int {
	for i, r := range cal {
		if r.ContainsDate(d) {
			return i
		}
	}
	return -1
}

// termEndAt returns the instant m's last term ends (zero: never).
func termEndAt(m *Membership) time.Time {
	last := m.TermEnds()
	if len(m.Terms) == 0 || last.IsZero() {
		return time.Time{}
	}
	return dayEnd(last)
}

type pastTerm struct {
	start osallisuus.Date
	end   osallisuus.Date // exclusive; zero: open
}

// consecutive returns how many consecutive terms who would hold in a row if a new term
// started on start (P10, §12.6): earlier begun terms of all of who's memberships count,
// so leaving and rejoining does not reset the count.
func (p *Panel) consecutive(who osallisuus.ParticipantID, start, today osallisuus.Date) int {
	var past []pastTerm
	for i := range p.Members {
		m := &p.Members[i]
		if m.Participant != who || m.IsDeputy() {
			continue
		}
		for _, t := range m.Terms {
			if t.Start.After(today) || !t.Start.Before(start) {
				continue // never begun, or not before the new one
			}
			pt := pastTerm{start: t.Start}
			if !t.Last.IsZero() {
				pt.end = t.Last.AddDays(1)
			}
			if m.State == MemberEnded {
				if e := osallisuus.DateOf(m.EndedAt); pt.end.IsZero() || e.Before(pt.end) {
					pt.end = e
				}
			}
			past = append(past, pt)
		}
	}
	slices.SortFunc(past, func(a, b pastTerm) int { return a.start.Compare(b.start) })
	n, cur := 1, start
	for i := len(past) - 1; i >= 0; i-- {
		if !p.follows(past[i], cur) {
			break
		}
		n++
		cur = past[i].start
	}
	return n
}

// follows reports whether a term starting on next is consecutive to t: it starts before
// t's end date + TermLength, or under council-term in the same or the next range.
func (p *Panel) follows(t pastTerm, next osallisuus.Date) bool {
	c := p.Config.Term
	if c.Policy == TermCouncilTerm {
		a, b := calendarIndex(c.Calendar, t.start), calendarIndex(c.Calendar, next)
		return a >= 0 && b >= 0 && (b == a || b == a+1)
	}
	if t.end.IsZero() {
		return true
	}
	l := c.TermLength
	return next.Before(t.end.AddMonths(12*l.Years + l.Months).AddDays(7*l.Weeks + l.Days))
}

// maxTermsExceeded reports whether a new term for who starting on start breaks
// MaxConsecutiveTerms.
func (p *Panel) maxTermsExceeded(who osallisuus.ParticipantID, start, today osallisuus.Date) bool {
	max := p.Config.Term.MaxConsecutiveTerms
	return max > 0 && p.consecutive(who, start, today) > max
}

// Renew adds the next term to an active membership (P10): from the day after the last
// term, consent re-checked, max-terms applied. It returns the new term.
func (p *Panel) Renew(who Person, cons *Consents, now time.Time) (Term, error) {
	const op = "renew membership"
	i, err := p.member(op, who.ID)
	if err != nil {
		return Term{}, err
	}
	m := &p.Members[i]
	if m.State != MemberActive {
		return Term{}, conflict(op, stateReason(m))
	}
	if m.IsDeputy() {
		return Term{}, conflict(op, ReasonDeputy)
	}
	today := osallisuus.DateOf(now)
	if len(m.Terms) == 0 {
		return Term{}, conflict(op, ReasonNoNextTerm)
	}
	last := m.Terms[len(m.Terms)-1]
	if last.Start.After(today) {
		return Term{}, conflict(op, ReasonAlreadyRenewed)
	}
	if last.Last.IsZero() {
		return Term{}, conflict(op, ReasonNoNextTerm)
	}
	next, ok := p.termFrom(last.Last.AddDays(1))
	if !ok {
		return Term{}, conflict(op, ReasonNoNextTerm)
	}
	rec, err := p.consent(cons, who.ID, m.Seat, now)
	if err != nil {
		return Term{}, err
	}
	if p.maxTermsExceeded(who.ID, next.Start, today) {
		return Term{}, forbidden(op, ReasonMaxTerms)
	}
	if rec != nil {
		m.Consent = rec
	}
	m.Terms = append(m.Terms, next)
	return next, nil
}
