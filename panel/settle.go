package panel

import (
	"time"
)

// Settle applies every derived transition due at instants ≤ now, in time order, each at
// its own instant x (spec §12.6): the panel's end (closed, memberships panel-closed),
// then term ends (term-ended) and offer deadlines (offer-expired), then P7 offers for
// the freed seats, asking consent at x and counting offer deadlines from x. Every
// operation settles the panel first, so no job is needed. A [*NeedConsentError] means
// cons lacks a decision; nothing sensible is left in p then, so callers run Settle on a
// fresh copy again after adding it.
func (p *Panel) Settle(now time.Time, cons *Consents) error {
	for p.State == StateActive {
		x, ok := p.nextDue(now)
		if !ok {
			return nil
		}
		if end := p.endsAt(); !end.IsZero() && !end.After(x) {
			p.close(end, "ended")
			return nil
		}
		freed := false
		for i := range p.Members {
			m := &p.Members[i]
			switch {
			case m.State == MemberOffered && !m.OfferDeadline.After(x):
				p.end(i, x, EndOfferExpired)
				freed = freed || m.Seat == SeatUser
			case (m.State == MemberActive || m.State == MemberSuspended) && !m.IsDeputy():
				if e := termEndAt(m); !e.IsZero() && !e.After(x) {
					p.end(i, x, EndTermEnded)
					freed = freed || m.Seat == SeatUser
				}
			}
		}
		if freed {
			if err := p.offerFreed(x, cons); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextDue returns the earliest instant ≤ now at which a derived transition falls due.
func (p *Panel) nextDue(now time.Time) (time.Time, bool) {
	var best time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && !t.After(now) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	consider(p.endsAt())
	for i := range p.Members {
		m := &p.Members[i]
		switch {
		case m.State == MemberOffered:
			consider(m.OfferDeadline)
		case (m.State == MemberActive || m.State == MemberSuspended) && !m.IsDeputy():
			consider(termEndAt(m))
		}
	}
	return best, !best.IsZero()
}

// offerFreed offers freed user seats (P7): to the first waitlisted person admissible now
// (P5) with an allowed consent at x, then again from the head until nobody qualifies.
// Those skipped keep their place. The offer holds the seat until x + OfferTTL.
func (p *Panel) offerFreed(x time.Time, cons *Consents) error {
	for {
		offered := false
		for _, i := range p.Waitlist() {
			m := &p.Members[i]
			if p.Admissible(m.Profile) != "" {
				continue
			}
			q, ok := p.consentQuery(m.Participant, SeatUser, x)
			if ok {
				d, err := cons.Decision(q)
				if err != nil {
					return err
				}
				if !d.Allowed {
					continue
				}
				m.Consent = recordOf(d)
			}
			m.OfferDeadline = AddWallClock(x, p.Config.Waitlist.OfferTTL)
			m.set(x, MemberOffered, RoleMember)
			offered = true
			break
		}
		if !offered {
			return nil
		}
	}
}
