package panel

import (
	"context"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// EventKind names what happened to a membership or a panel, for the host to deliver
// (rule P7: the library sends nothing itself).
type EventKind string

// The event kinds.
const (
	EventActivated   EventKind = "activated"    // a membership became active (join, accept, appoint, reinstate)
	EventWaitlisted  EventKind = "waitlisted"   // a person was put on the waitlist
	EventSeatOffered EventKind = "seat-offered" // a freed seat was offered (Deadline set)
	EventSuspended   EventKind = "suspended"    // a consent review suspended a member
	EventEnded       EventKind = "ended"        // a membership ended (Reason: left, offer-expired, ...)
	EventRoleChanged EventKind = "role-changed" // an active member's role changed (Role)
	EventPanelClosed EventKind = "panel-closed" // the panel closed (by the host or at its end date)
)

// Event is one thing that happened on a panel, at At. Events are derived from each
// committed update and kept in the panel's outbox until the host takes them
// ([Service.TakeEvents]), so none is lost between saving and delivering.
type Event struct {
	Kind     EventKind                `json:"kind"`
	Panel    PanelID                  `json:"panel"`
	Who      osallisuus.ParticipantID `json:"who,omitzero"`
	At       time.Time                `json:"at"`
	Reason   string                   `json:"reason,omitzero"`
	Role     Role                     `json:"role,omitzero"`
	Deadline time.Time                `json:"deadline,omitzero"`
}

// mark remembers how far each membership's history went, to find what an update added.
type mark struct {
	state   State
	members []int
}

func markOf(p *Panel) mark {
	m := mark{state: p.State, members: make([]int, len(p.Members))}
	for i := range p.Members {
		m.members[i] = len(p.Members[i].History)
	}
	return m
}

// eventsSince returns the events of what changed in p since mark, in time order.
func (p *Panel) eventsSince(mk mark) []Event {
	var out []Event
	for i := range p.Members {
		m := &p.Members[i]
		from := 0
		if i < len(mk.members) {
			from = mk.members[i]
		}
		for j := from; j < len(m.History); j++ {
			h := m.History[j]
			e := Event{Panel: p.ID, Who: m.Participant, At: h.At}
			var prev Change
			if j > 0 {
				prev = m.History[j-1]
			}
			switch {
			case j > 0 && h.State == prev.State:
				e.Kind, e.Role = EventRoleChanged, h.Role
			case h.State == MemberActive:
				e.Kind = EventActivated
			case h.State == MemberWaitlisted:
				e.Kind = EventWaitlisted
			case h.State == MemberOffered:
				e.Kind = EventSeatOffered
				if j == len(m.History)-1 {
					e.Deadline = m.OfferDeadline
				}
			case h.State == MemberSuspended:
				e.Kind, e.Reason = EventSuspended, string(m.Suspension)
			case h.State == MemberEnded:
				e.Kind, e.Reason = EventEnded, string(m.Reason)
			}
			out = append(out, e)
		}
	}
	if mk.state != StateClosed && p.State == StateClosed {
		out = append(out, Event{Kind: EventPanelClosed, Panel: p.ID, At: p.ClosedAt, Reason: p.CloseReason})
	}
	slices.SortStableFunc(out, func(a, b Event) int { return a.At.Compare(b.At) })
	return out
}

// TakeEvents removes and returns the events waiting in the panel's outbox, oldest
// first, after saving what fell due by now (an expired offer and the next one, say). A
// host delivers them (offers, invitations, notices).
func (s *Service) TakeEvents(ctx context.Context, id PanelID) ([]Event, error) {
	if _, err := s.update(ctx, id, s.clock.Now(), &Consents{}, func(*Panel) error { return nil }); err != nil {
		return nil, err
	}
	var out []Event
	_, err := s.store.UpdatePanel(ctx, id, func(p *Panel) error {
		out, p.Outbox = p.Outbox, nil
		return nil
	})
	return out, err
}
