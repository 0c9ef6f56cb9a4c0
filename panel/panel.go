package panel

import (
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// State is the state of a [Panel] (spec §4.1).
type State string

// The panel states.
const (
	StateDraft  State = "draft"
	StateActive State = "active"
	StateClosed State = "closed"
)

// MemberState is the state of a [Membership] (spec §4.2).
type MemberState string

// The membership states.
const (
	MemberWaitlisted MemberState = "waitlisted"
	MemberOffered    MemberState = "offered"
	MemberActive     MemberState = "active"
	MemberSuspended  MemberState = "suspended"
	MemberEnded      MemberState = "ended"
)

// EndReason says why a membership ended (spec §12.5).
type EndReason string

// The end reasons.
const (
	EndLeft           EndReason = "left"
	EndDeclined       EndReason = "declined"
	EndOfferExpired   EndReason = "offer-expired"
	EndRemoved        EndReason = "removed"
	EndTermEnded      EndReason = "term-ended"
	EndPanelClosed    EndReason = "panel-closed"
	EndPrincipalEnded EndReason = "principal-ended"
)

// Role is a role held by an active membership (spec §4.3): puheenjohtaja (chair),
// varapuheenjohtaja (vice-chair), sihteeri (secretary) or jäsen (member).
type Role string

// The roles.
const (
	RoleMember    Role = "member"
	RoleChair     Role = "chair"
	RoleViceChair Role = "vice-chair"
	RoleSecretary Role = "secretary"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	return r == RoleMember || r == RoleChair || r == RoleViceChair || r == RoleSecretary
}

// Affiliation is the background of an official seat holder.
type Affiliation string

// The affiliations (councils.md C7).
const (
	AffiliationCounty       Affiliation = "county"
	AffiliationOrganisation Affiliation = "organisation"
)

// Profile holds the attributes of a user member that quotas and reports read (rule
// P20), captured at admission from host data: no birth date or identity code.
type Profile struct {
	Language     string `json:"language,omitzero"` // fi, sv, other or ""
	AgeBand      string `json:"ageBand,omitzero"`
	Area         string `json:"area,omitzero"`
	ServiceGroup string `json:"serviceGroup,omitzero"`
	UserRole     string `json:"userRole,omitzero"`
}

// Value returns the profile's value in dimension d ("" when unknown).
func (p Profile) Value(d Dimension) string {
	switch d {
	case DimLanguage:
		return p.Language
	case DimAgeBand:
		return p.AgeBand
	case DimArea:
		return p.Area
	case DimServiceGroup:
		return p.ServiceGroup
	case DimUserRole:
		return p.UserRole
	}
	return ""
}

// Assent is the recorded wish of a minor to take part (rule P4). A guardian's consent
// never enrols a child without it.
type Assent struct {
	At time.Time `json:"at"`
	// RecordedBy is the staff member who recorded it, zero when the child gave it directly.
	RecordedBy osallisuus.ParticipantID `json:"recordedBy,omitzero"`
}

// ConsentRecord is the consent decision that admitted a membership (invariant I5).
type ConsentRecord struct {
	Allowed   bool                  `json:"allowed"`
	Reason    participation.Reason  `json:"reason"`
	EventID   participation.EventID `json:"eventId,omitzero"`
	At        time.Time             `json:"at"`
	ExpiresAt time.Time             `json:"expiresAt,omitzero"`
}

func recordOf(d participation.ConsentDecision) *ConsentRecord {
	r := &ConsentRecord{Allowed: d.Allowed, Reason: d.Reason, At: d.Query.At, ExpiresAt: d.ExpiresAt}
	if d.Event != nil {
		r.EventID = d.Event.ID
	}
	return r
}

// Term is one membership term (toimikausi): from Start to Last inclusive; a zero Last
// never ends.
type Term struct {
	Start osallisuus.Date `json:"start"`
	Last  osallisuus.Date `json:"last,omitzero"`
}

// Change is one entry of a membership's history: its state and role from At on. Quorum
// and minutes approval read the roster at a meeting's start from it.
type Change struct {
	At    time.Time   `json:"at"`
	State MemberState `json:"state"`
	Role  Role        `json:"role"`
}

// Membership (jäsenyys) is one participant's place in a panel: on the waitlist, offered
// a seat, holding one, suspended or ended. Ended memberships are kept as history.
type Membership struct {
	Participant osallisuus.ParticipantID `json:"participant"`
	Seat        SeatType                 `json:"seat"`
	State       MemberState              `json:"state"`
	Role        Role                     `json:"role"`
	// DeputyOf is the principal of a personal deputy (varajäsen); zero otherwise.
	DeputyOf      osallisuus.ParticipantID `json:"deputyOf,omitzero"`
	Voting        bool                     `json:"voting"`
	Affiliation   Affiliation              `json:"affiliation,omitzero"`
	Decision      string                   `json:"decision,omitzero"` // appointment decision
	Profile       Profile                  `json:"profile"`
	Priority      int                      `json:"priority,omitzero"`
	Seq           int64                    `json:"seq"` // waitlist sequence (P6)
	Reason        EndReason                `json:"reason,omitzero"`
	Suspension    participation.Reason     `json:"suspension,omitzero"`
	OfferDeadline time.Time                `json:"offerDeadline,omitzero"`
	Assent        *Assent                  `json:"assent,omitempty"`
	Consent       *ConsentRecord           `json:"consent,omitempty"`
	Terms         []Term                   `json:"terms,omitempty"`
	Since         time.Time                `json:"since"`
	EndedAt       time.Time                `json:"endedAt,omitzero"`
	History       []Change                 `json:"history"`
}

// IsDeputy reports whether m is a personal deputy.
func (m Membership) IsDeputy() bool { return !m.DeputyOf.IsZero() }

// HoldsSeat reports whether m takes a seat (invariant I1): active, suspended or offered,
// and not a deputy.
func (m Membership) HoldsSeat() bool {
	return !m.IsDeputy() && (m.State == MemberActive || m.State == MemberSuspended || m.State == MemberOffered)
}

// TermEnds returns the last day of the last term, zero if none or open-ended.
func (m Membership) TermEnds() osallisuus.Date {
	if len(m.Terms) == 0 {
		return osallisuus.Date{}
	}
	return m.Terms[len(m.Terms)-1].Last
}

// At returns the state and role m had at instant t; ok is false before it existed.
func (m Membership) At(t time.Time) (c Change, ok bool) {
	for _, h := range m.History {
		if h.At.After(t) {
			break
		}
		c, ok = h, true
	}
	return c, ok
}

func (m *Membership) set(at time.Time, s MemberState, r Role) {
	m.State, m.Role = s, r
	m.History = append(m.History, Change{At: at, State: s, Role: r})
}

// Panel is a customer panel (asiakasraati, asiakasfoorumi, lapsiraati) or a statutory
// council: configuration, state and the whole roster, waitlist included, in one
// aggregate so one atomic update keeps invariants I1–I6 under concurrency (spec §7).
type Panel struct {
	ID PanelID `json:"id"`
	// Key is the host's short name of the panel, used in consent scopes
	// ("panel:"+Key); empty means the ID. It matches [A-Za-z0-9._-]+.
	Key      string          `json:"key,omitzero"`
	Name     osallisuus.Text `json:"name,omitzero"`
	Config   Config          `json:"config"`
	State    State           `json:"state"`
	ClosedAt time.Time       `json:"closedAt,omitzero"`
	// CloseReason is the host's reason code of an explicit close; "ended" when EndsOn passed.
	CloseReason string       `json:"closeReason,omitzero"`
	Members     []Membership `json:"members"` // in creation order, ended ones included
	// Outbox holds events not yet taken by the host ([Service.TakeEvents]).
	Outbox []Event `json:"outbox,omitempty"`
	// Erasures lists erasures of participants ([Service.ErasePersonalData]) still
	// under way on this panel's meetings and calls. An entry lives only while one
	// erasure runs and stays only when that erasure failed part-way; running it again
	// reuses its tombstone and removes it.
	Erasures  []PendingErasure `json:"erasures,omitempty"`
	NextSeq   int64            `json:"nextSeq"`
	CreatedAt time.Time        `json:"createdAt"`
	Version   int64            `json:"version"`
}

// Scope returns the consent scope of the panel: "panel:" + Key (or the ID).
func (p *Panel) Scope() string {
	if p.Key != "" {
		return "panel:" + p.Key
	}
	return "panel:" + p.ID.String()
}

// Clone returns a deep copy of p.
func (p Panel) Clone() Panel {
	p.Config = p.Config.clone()
	p.Members = slices.Clone(p.Members)
	p.Outbox = slices.Clone(p.Outbox)
	p.Erasures = slices.Clone(p.Erasures)
	for i := range p.Members {
		m := &p.Members[i]
		m.Terms = slices.Clone(m.Terms)
		m.History = slices.Clone(m.History)
		if m.Assent != nil {
			a := *m.Assent
			m.Assent = &a
		}
		if m.Consent != nil {
			c := *m.Consent
			m.Consent = &c
		}
	}
	return p
}

func (c Config) clone() Config {
	c.Quotas = slices.Clone(c.Quotas)
	for i := range c.Quotas {
		c.Quotas[i].Values = slices.Clone(c.Quotas[i].Values)
	}
	c.Term.Calendar = slices.Clone(c.Term.Calendar)
	return c
}

// Current returns the index of who's membership: the non-ended one, else the latest;
// -1 when who never had one.
func (p *Panel) Current(who osallisuus.ParticipantID) int {
	last := -1
	for i := range p.Members {
		if p.Members[i].Participant != who {
			continue
		}
		if p.Members[i].State != MemberEnded {
			return i
		}
		last = i
	}
	return last
}

// Live reports whether who has a non-ended membership.
func (p *Panel) Live(who osallisuus.ParticipantID) bool {
	i := p.Current(who)
	return i >= 0 && p.Members[i].State != MemberEnded
}

// Waitlist returns the indexes of waitlisted memberships in waitlist order (rule P6):
// first-come by sequence, or priority (higher first) then sequence.
func (p *Panel) Waitlist() []int {
	var idx []int
	for i := range p.Members {
		if p.Members[i].State == MemberWaitlisted {
			idx = append(idx, i)
		}
	}
	byPriority := p.Config.Waitlist.Order == OrderPriority
	slices.SortStableFunc(idx, func(a, b int) int {
		ma, mb := &p.Members[a], &p.Members[b]
		if byPriority && ma.Priority != mb.Priority {
			return mb.Priority - ma.Priority
		}
		switch {
		case ma.Seq < mb.Seq:
			return -1
		case ma.Seq > mb.Seq:
			return 1
		}
		return 0
	})
	return idx
}

// Position returns who's place in the waitlist (from 1), or 0. It counts those ahead
// in one pass, without sorting or allocating.
func (p *Panel) Position(who osallisuus.ParticipantID) int {
	me := -1
	for i := range p.Members {
		if p.Members[i].Participant == who && p.Members[i].State == MemberWaitlisted {
			me = i
		}
	}
	if me < 0 {
		return 0
	}
	m := &p.Members[me]
	byPriority := p.Config.Waitlist.Order == OrderPriority
	n := 1
	for i := range p.Members {
		o := &p.Members[i]
		if i == me || o.State != MemberWaitlisted {
			continue
		}
		if byPriority && o.Priority != m.Priority {
			if o.Priority > m.Priority {
				n++
			}
			continue
		}
		if o.Seq < m.Seq {
			n++
		}
	}
	return n
}

// seatsHeld counts memberships holding seats of type t.
func (p *Panel) seatsHeld(t SeatType) int {
	n := 0
	for i := range p.Members {
		if p.Members[i].Seat == t && p.Members[i].HoldsSeat() {
			n++
		}
	}
	return n
}

// endsAt returns the instant the panel ends (00:00 Helsinki after EndsOn), or zero.
func (p *Panel) endsAt() time.Time {
	if p.Config.EndsOn.IsZero() {
		return time.Time{}
	}
	return p.Config.EndsOn.AddDays(1).Start()
}
