package panel

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// Assign gives an active member a role (4.3, I2). With replace the old chair becomes a
// member in the same update.
func (p *Panel) Assign(who osallisuus.ParticipantID, role Role, replace bool, now time.Time) error {
	const op = "assign role"
	if !role.Valid() {
		return invalid(op, "role", required(string(role)))
	}
	i, err := p.member(op, who)
	if err != nil {
		return err
	}
	m := &p.Members[i]
	if m.State != MemberActive {
		return conflict(op, stateReason(m))
	}
	if m.IsDeputy() {
		return conflict(op, ReasonDeputy)
	}
	chair := -1
	vice := 0
	for j := range p.Members {
		o := &p.Members[j]
		if j == i || o.State != MemberActive {
			continue
		}
		switch o.Role {
		case RoleChair:
			chair = j
		case RoleViceChair:
			vice++
		}
	}
	switch role {
	case RoleChair:
		if chair >= 0 && !replace {
			return conflict(op, ReasonChairTaken)
		}
		cf := p.Config.Roles.ChairFrom
		if (cf == ChairFromUser && m.Seat != SeatUser) || (cf == ChairFromOfficial && m.Seat != SeatOfficial) {
			return forbidden(op, ReasonChairFrom)
		}
	case RoleViceChair:
		if m.Role != RoleViceChair && vice >= p.Config.Roles.MaxViceChairs {
			return conflict(op, ReasonViceChairsFull)
		}
	}
	if role == RoleChair && chair >= 0 {
		c := &p.Members[chair]
		c.set(now, c.State, RoleMember)
	}
	m.set(now, m.State, role)
	return nil
}

// Unassign makes an active member's role plain member again.
func (p *Panel) Unassign(who osallisuus.ParticipantID, now time.Time) error {
	const op = "unassign role"
	i, err := p.member(op, who)
	if err != nil {
		return err
	}
	m := &p.Members[i]
	if m.State != MemberActive {
		return conflict(op, stateReason(m))
	}
	if m.IsDeputy() {
		return conflict(op, ReasonDeputy)
	}
	m.set(now, m.State, RoleMember)
	return nil
}
