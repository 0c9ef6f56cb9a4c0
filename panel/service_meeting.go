package panel

import (
	"context"
	"errors"
	"iter"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// PlanMeeting plans a meeting of panel id starting at start (4.4). A zero mid gets a
// new ID; ErrConflict exists when mid is taken.
func (s *Service) PlanMeeting(ctx context.Context, id PanelID, mid MeetingID, start time.Time) (Meeting, error) {
	now := s.clock.Now()
	if !start.After(now) {
		return Meeting{}, invalid("plan meeting", "start", osallisuus.CodeOrder)
	}
	p, err := s.view(ctx, id, now, &Consents{})
	if err != nil {
		return Meeting{}, err
	}
	if mid.IsZero() {
		if mid, err = NewMeetingID(); err != nil {
			return Meeting{}, err
		}
	}
	m, err := PlanMeeting(&p, mid, start, now)
	if err != nil {
		return Meeting{}, err
	}
	if err := s.store.CreateMeeting(ctx, m); err != nil {
		if errors.Is(err, osallisuus.ErrConflict) {
			return Meeting{}, conflict("plan meeting", ReasonExists)
		}
		return Meeting{}, err
	}
	return s.store.GetMeeting(ctx, mid)
}

// Meeting returns a stored meeting.
func (s *Service) Meeting(ctx context.Context, id MeetingID) (Meeting, error) {
	return s.store.GetMeeting(ctx, id)
}

// Meetings yields the meetings f matches, in ID order.
func (s *Service) Meetings(ctx context.Context, f MeetingFilter) iter.Seq2[Meeting, error] {
	return s.store.ListMeetings(ctx, f)
}

// CancelMeeting cancels a planned meeting.
func (s *Service) CancelMeeting(ctx context.Context, id MeetingID, reason string) (Meeting, error) {
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error { return m.Cancel(reason) })
}

// HoldMeeting marks a planned meeting held with the attendance of every member at its
// start (P12) and stores the quorum (P11).
func (s *Service) HoldMeeting(ctx context.Context, id MeetingID, att map[osallisuus.ParticipantID]Attendance) (Meeting, error) {
	now := s.clock.Now()
	m, err := s.store.GetMeeting(ctx, id)
	if err != nil {
		return Meeting{}, err
	}
	p, err := s.view(ctx, m.Panel, now, &Consents{})
	if err != nil {
		return Meeting{}, err
	}
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error { return m.Hold(&p, att, now) })
}

// DraftMinutes writes or edits the draft minutes of a held meeting.
func (s *Service) DraftMinutes(ctx context.Context, id MeetingID, text string) (Meeting, error) {
	if strings.TrimSpace(text) == "" {
		return Meeting{}, invalid("draft minutes", "text", osallisuus.CodeRequired)
	}
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error { return m.DraftMinutes(text) })
}

// ApproveMinutes approves the draft minutes at the meeting (atMeeting) or by the chair
// or a vice-chair who attended (by); exactly one of the two.
func (s *Service) ApproveMinutes(ctx context.Context, id MeetingID, by osallisuus.ParticipantID, atMeeting bool) (Meeting, error) {
	if by.IsZero() == !atMeeting {
		return Meeting{}, invalid("approve minutes", "by", osallisuus.CodeNotAllowed)
	}
	now := s.clock.Now()
	if !by.IsZero() {
		if _, err := s.people.Participant(ctx, by); err != nil {
			return Meeting{}, err
		}
	}
	m, err := s.store.GetMeeting(ctx, id)
	if err != nil {
		return Meeting{}, err
	}
	p, err := s.view(ctx, m.Panel, now, &Consents{})
	if err != nil {
		return Meeting{}, err
	}
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error { return m.ApproveMinutes(&p, by, atMeeting, now) })
}

// CorrectMinutes appends a correction to approved minutes.
func (s *Service) CorrectMinutes(ctx context.Context, id MeetingID, text string) (Meeting, error) {
	if strings.TrimSpace(text) == "" {
		return Meeting{}, invalid("correct minutes", "text", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error {
		_, err := m.CorrectMinutes(text, now)
		return err
	})
}

// RescheduleMeeting moves a planned meeting.
func (s *Service) RescheduleMeeting(ctx context.Context, id MeetingID, start time.Time) (Meeting, error) {
	now := s.clock.Now()
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error { return m.Reschedule(start, now) })
}

// EditAgenda replaces a planned meeting's agenda.
func (s *Service) EditAgenda(ctx context.Context, id MeetingID, items []string) (Meeting, error) {
	return s.store.UpdateMeeting(ctx, id, func(m *Meeting) error { return m.EditAgenda(items) })
}
