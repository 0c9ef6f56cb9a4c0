package panel

import (
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// Review is the result of a consent-lapse review (P16).
type Review struct {
	// Suspended lists the members suspended by this review, with the decision's reason.
	Suspended []Suspension `json:"suspended"`
	// Expiring lists allowed members whose consent ends at or before now + warnDays.
	Expiring []osallisuus.ParticipantID `json:"expiring"`
}

// Suspension names a member suspended by a review and why.
type Suspension struct {
	Who    osallisuus.ParticipantID `json:"who"`
	Reason participation.Reason     `json:"reason"`
}

// ReviewConsents asks P2 for every active user membership, deputies included (P16): a
// decision that does not allow suspends the member (reason kept, role dropped); the
// library never removes anyone silently. warnDays must not be negative.
func (p *Panel) ReviewConsents(warnDays int, cons *Consents, now time.Time) (Review, error) {
	if warnDays < 0 {
		return Review{}, invalid("review consents", "warnDays", osallisuus.CodeOutOfRange)
	}
	horizon := AddWallClock(now, osallisuus.Period{Days: warnDays})
	var r Review
	type change struct {
		i int
		d participation.ConsentDecision
	}
	var changes []change
	for i := range p.Members {
		m := &p.Members[i]
		if m.State != MemberActive || m.Seat != SeatUser {
			continue
		}
		q, ok := p.consentQuery(m.Participant, SeatUser, now)
		if !ok {
			continue
		}
		d, err := cons.Decision(q)
		if err != nil {
			return Review{}, err
		}
		changes = append(changes, change{i, d})
	}
	for _, c := range changes {
		m := &p.Members[c.i]
		if !c.d.Allowed {
			m.Suspension = c.d.Reason
			m.set(now, MemberSuspended, RoleMember)
			r.Suspended = append(r.Suspended, Suspension{m.Participant, c.d.Reason})
		} else if !c.d.ExpiresAt.IsZero() && !c.d.ExpiresAt.After(horizon) {
			r.Expiring = append(r.Expiring, m.Participant)
		}
	}
	return r, nil
}

// Reinstate makes a suspended member active again when consent allows now (4.2).
func (p *Panel) Reinstate(who osallisuus.ParticipantID, cons *Consents, now time.Time) error {
	const op = "reinstate member"
	i, err := p.member(op, who)
	if err != nil {
		return err
	}
	m := &p.Members[i]
	if m.State != MemberSuspended {
		return conflict(op, stateReason(m))
	}
	rec, err := p.consent(cons, who, m.Seat, now)
	if err != nil {
		return err
	}
	if rec != nil {
		m.Consent = rec
	}
	m.Suspension = ""
	m.set(now, MemberActive, RoleMember)
	return nil
}
