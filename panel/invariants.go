package panel

import (
	"errors"
	"fmt"

	"github.com/osallisuus/osallisuus"
)

// Invariants checks invariants I1–I4 and I6 of spec §5 on p and returns every breach,
// joined, or nil: seats held per type within Max (deputies aside, one per principal), at
// most one chair and MaxViceChairs vice-chairs, roles only on active memberships, one
// non-ended membership per participant, quotas within Max, unique waitlist sequences.
// Conformance suites call it after every committed update.
func (p *Panel) Invariants() error {
	var errs []error
	for _, t := range []SeatType{SeatUser, SeatOfficial} {
		if n, max := p.seatsHeld(t), p.Config.Seats.Of(t).Max; n > max {
			errs = append(errs, fmt.Errorf("I1: %d %s seats held, max %d", n, t, max))
		}
	}
	chairs, vices := 0, 0
	live := make(map[osallisuus.ParticipantID]bool)
	deputies := make(map[osallisuus.ParticipantID]int)
	seqs := make(map[int64]bool)
	for i := range p.Members {
		m := &p.Members[i]
		if m.Role != RoleMember && m.State != MemberActive {
			errs = append(errs, fmt.Errorf("I2: %s holds role %s while %s", m.Participant, m.Role, m.State))
		}
		if m.State == MemberActive {
			switch m.Role {
			case RoleChair:
				chairs++
			case RoleViceChair:
				vices++
			}
		}
		if m.State == MemberEnded {
			continue
		}
		if live[m.Participant] {
			errs = append(errs, fmt.Errorf("I3: %s has two live memberships", m.Participant))
		}
		live[m.Participant] = true
		if m.IsDeputy() {
			deputies[m.DeputyOf]++
		}
		if m.State == MemberWaitlisted {
			if seqs[m.Seq] {
				errs = append(errs, fmt.Errorf("I6: waitlist sequence %d repeated", m.Seq))
			}
			seqs[m.Seq] = true
		}
	}
	if chairs > 1 {
		errs = append(errs, fmt.Errorf("I2: %d chairs", chairs))
	}
	if vices > p.Config.Roles.MaxViceChairs {
		errs = append(errs, fmt.Errorf("I2: %d vice-chairs, max %d", vices, p.Config.Roles.MaxViceChairs))
	}
	for who, n := range deputies {
		if n > 1 {
			errs = append(errs, fmt.Errorf("I1: %s has %d deputies", who, n))
		}
	}
	for i := range p.Config.Quotas {
		q := &p.Config.Quotas[i]
		if n := p.quotaCount(q); q.Max > 0 && n > q.Max {
			errs = append(errs, fmt.Errorf("I4: quota %s holds %d, max %d", q.ID, n, q.Max))
		}
	}
	return errors.Join(errs...)
}
