package panel

// Composition is the composition status of a panel (spec §8, councils.md C5): seats held
// per type against their minimums and maximums, quota counts with what is still missing,
// whether the chair is vacant, and how many members are suspended or offered a seat.
// Minimums are targets (P18): they never refuse anything, so this is where they show.
type Composition struct {
	User      SeatStatus    `json:"user"`
	Official  SeatStatus    `json:"official"`
	Quotas    []QuotaStatus `json:"quotas"`
	ChairOpen bool          `json:"chairVacant"`
	Suspended int           `json:"suspended"`
	Offered   int           `json:"offered"`
	Waitlist  int           `json:"waitlist"`
}

// SeatStatus counts the seats of one type: held (active, suspended, offered), the range,
// and how many more the minimum wants.
type SeatStatus struct {
	Held    int `json:"held"`
	Min     int `json:"min"`
	Max     int `json:"max"`
	Missing int `json:"missing"`
}

// QuotaStatus counts one quota's members and how many more its minimum wants; for area
// quotas of a council these are the municipalities still without a member.
type QuotaStatus struct {
	ID      string `json:"id"`
	Count   int    `json:"count"`
	Min     int    `json:"min"`
	Max     int    `json:"max,omitzero"`
	Missing int    `json:"missing"`
}

// CompositionStatus reports p's composition as it stands.
func (p *Panel) CompositionStatus() Composition {
	seat := func(t SeatType) SeatStatus {
		r := p.Config.Seats.Of(t)
		held := p.seatsHeld(t)
		return SeatStatus{Held: held, Min: r.Min, Max: r.Max, Missing: max(0, r.Min-held)}
	}
	c := Composition{User: seat(SeatUser), Official: seat(SeatOfficial), ChairOpen: true}
	for i := range p.Config.Quotas {
		q := &p.Config.Quotas[i]
		n := p.quotaCount(q)
		c.Quotas = append(c.Quotas, QuotaStatus{ID: q.ID, Count: n, Min: q.Min, Max: q.Max, Missing: max(0, q.Min-n)})
	}
	for i := range p.Members {
		m := &p.Members[i]
		switch m.State {
		case MemberActive:
			if m.Role == RoleChair {
				c.ChairOpen = false
			}
		case MemberSuspended:
			c.Suspended++
		case MemberOffered:
			c.Offered++
		case MemberWaitlisted:
			c.Waitlist++
		}
	}
	return c
}
