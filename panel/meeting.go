package panel

import (
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// MeetingState is the state of a [Meeting] (spec §4.4).
type MeetingState string

// The meeting states.
const (
	MeetingPlanned   MeetingState = "planned"
	MeetingHeld      MeetingState = "held"
	MeetingCancelled MeetingState = "cancelled"
)

// Attendance (läsnäolo) is a member's status at a held meeting.
type Attendance string

// The attendance statuses.
const (
	Present Attendance = "present"
	Remote  Attendance = "remote"
	Excused Attendance = "excused"
	Absent  Attendance = "absent"
)

// Valid reports whether a is one of the statuses.
func (a Attendance) Valid() bool { return a == Present || a == Remote || a == Excused || a == Absent }

// MinutesState is the state of a meeting's minutes (muistio, pöytäkirja).
type MinutesState string

// The minutes states.
const (
	MinutesDraft    MinutesState = "draft"
	MinutesApproved MinutesState = "approved"
)

// Minutes record a held meeting: decisions and proposals adopted, never health details
// (P13). Approved minutes are frozen; corrections are appended.
type Minutes struct {
	Text        string                   `json:"text"`
	State       MinutesState             `json:"state"`
	ApprovedBy  osallisuus.ParticipantID `json:"approvedBy,omitzero"`
	AtMeeting   bool                     `json:"atMeeting,omitzero"`
	ApprovedAt  time.Time                `json:"approvedAt,omitzero"`
	Corrections []Correction             `json:"corrections,omitempty"`
}

// Correction is an entry appended to approved minutes.
type Correction struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// QuorumResult is the quorum decision of a held meeting and its inputs (P11).
type QuorumResult struct {
	Quorate     bool `json:"quorate"`
	Numerator   int  `json:"numerator"`
	Denominator int  `json:"denominator"`
	ChairOrVice bool `json:"chairOrVice"`
}

// Meeting is a sitting (kokous) of a panel: planned, held or cancelled.
type Meeting struct {
	ID           MeetingID                               `json:"id"`
	Panel        PanelID                                 `json:"panel"`
	Start        time.Time                               `json:"start"`
	Agenda       []string                                `json:"agenda,omitempty"`
	State        MeetingState                            `json:"state"`
	CancelReason string                                  `json:"cancelReason,omitzero"`
	Attendance   map[osallisuus.ParticipantID]Attendance `json:"attendance,omitempty"`
	Quorum       *QuorumResult                           `json:"quorum,omitempty"`
	Minutes      *Minutes                                `json:"minutes,omitempty"`
	CreatedAt    time.Time                               `json:"createdAt"`
	Version      int64                                   `json:"version"`
}

// Clone returns a deep copy of m.
func (m Meeting) Clone() Meeting {
	m.Agenda = append([]string(nil), m.Agenda...)
	if m.Attendance != nil {
		a := make(map[osallisuus.ParticipantID]Attendance, len(m.Attendance))
		for k, v := range m.Attendance {
			a[k] = v
		}
		m.Attendance = a
	}
	if m.Quorum != nil {
		q := *m.Quorum
		m.Quorum = &q
	}
	if m.Minutes != nil {
		mi := *m.Minutes
		mi.Corrections = append([]Correction(nil), mi.Corrections...)
		m.Minutes = &mi
	}
	return m
}

// PlanMeeting plans a meeting of p starting at start (4.4): ErrInvalid unless start is
// after now, ErrConflict unless the panel is active.
func PlanMeeting(p *Panel, id MeetingID, start, now time.Time) (Meeting, error) {
	const op = "plan meeting"
	if !start.After(now) {
		return Meeting{}, invalid(op, "start", osallisuus.CodeOrder)
	}
	if err := p.requireActive(op); err != nil {
		return Meeting{}, err
	}
	return Meeting{ID: id, Panel: p.ID, Start: start.UTC(), State: MeetingPlanned, CreatedAt: now}, nil
}

// Cancel cancels a planned meeting.
func (m *Meeting) Cancel(reason string) error {
	if m.State != MeetingPlanned {
		return conflict("cancel meeting", osallisuus.Reason(m.State))
	}
	m.State, m.CancelReason = MeetingCancelled, reason
	return nil
}

// MembersAt returns the memberships of p active or suspended at instant t (one begun
// at t counts, one ended then does not), deputies included, with their role then.
func MembersAt(p *Panel, t time.Time) map[osallisuus.ParticipantID]Change {
	out := make(map[osallisuus.ParticipantID]Change)
	for i := range p.Members {
		c, ok := p.Members[i].At(t)
		if ok && (c.State == MemberActive || c.State == MemberSuspended) {
			out[p.Members[i].Participant] = c
		}
	}
	return out
}

// Hold marks a planned meeting held (4.4, P12): after its start, with exactly one valid
// status for every member at the start. It computes and stores the quorum.
func (m *Meeting) Hold(p *Panel, att map[osallisuus.ParticipantID]Attendance, now time.Time) error {
	const op = "hold meeting"
	if m.State != MeetingPlanned {
		return conflict(op, osallisuus.Reason(m.State))
	}
	if !now.After(m.Start) {
		return conflict(op, ReasonNotStarted)
	}
	members := MembersAt(p, m.Start)
	ve := &osallisuus.ValidationError{Op: op}
	for who, a := range att {
		if _, ok := members[who]; !ok {
			ve.Add("attendance."+who.String(), osallisuus.CodeNotAllowed)
		} else if !a.Valid() {
			ve.Add("attendance."+who.String(), required(string(a)))
		}
	}
	for who := range members {
		if _, ok := att[who]; !ok {
			ve.Add("attendance."+who.String(), osallisuus.CodeRequired)
		}
	}
	if err := ve.Err(); err != nil {
		return err
	}
	m.Attendance = make(map[osallisuus.ParticipantID]Attendance, len(att))
	for k, v := range att {
		m.Attendance[k] = v
	}
	q := ComputeQuorum(p, m.Start, att)
	m.State, m.Quorum = MeetingHeld, &q
	return nil
}

func (r QuorumRule) attends(a Attendance) bool {
	return a == Present || (a == Remote && r.CountRemote)
}

// ComputeQuorum applies P11 to a meeting of p starting at start with attendance att.
// Denominator: voting non-deputy memberships active at start (users only under
// QuorumUserSeats); suspended members are left out. A seat attends when its holder is
// present (or remote with CountRemote), or when an absent or excused holder's active
// deputy attends. With denominator 0 nothing is quorate.
func ComputeQuorum(p *Panel, start time.Time, att map[osallisuus.ParticipantID]Attendance) QuorumResult {
	rule := p.Config.Quorum
	var r QuorumResult
	for i := range p.Members {
		m := &p.Members[i]
		c, ok := m.At(start)
		if !ok || c.State != MemberActive {
			continue
		}
		if rule.attends(att[m.Participant]) && (c.Role == RoleChair || c.Role == RoleViceChair) {
			r.ChairOrVice = true
		}
		if m.IsDeputy() || !m.Voting || (rule.Seats == QuorumUserSeats && m.Seat != SeatUser) {
			continue
		}
		r.Denominator++
		a := att[m.Participant]
		if rule.attends(a) {
			r.Numerator++
			continue
		}
		if a == Absent || a == Excused {
			for j := range p.Members {
				d := &p.Members[j]
				if d.DeputyOf != m.Participant {
					continue
				}
				if dc, ok := d.At(start); ok && dc.State == MemberActive && rule.attends(att[d.Participant]) {
					r.Numerator++
					break
				}
			}
		}
	}
	if r.Denominator > 0 {
		if rule.Strict {
			r.Quorate = r.Numerator*rule.Den > r.Denominator*rule.Num
		} else {
			r.Quorate = r.Numerator*rule.Den >= r.Denominator*rule.Num
		}
	}
	if rule.RequireChairOrVice && !r.ChairOrVice {
		r.Quorate = false
	}
	return r
}

// DraftMinutes writes or edits the draft minutes of a held meeting.
func (m *Meeting) DraftMinutes(text string) error {
	const op = "draft minutes"
	if strings.TrimSpace(text) == "" {
		return invalid(op, "text", osallisuus.CodeRequired)
	}
	if m.State != MeetingHeld {
		return conflict(op, osallisuus.Reason(m.State))
	}
	if m.Minutes != nil && m.Minutes.State == MinutesApproved {
		return conflict(op, ReasonApproved)
	}
	m.Minutes = &Minutes{Text: text, State: MinutesDraft}
	return nil
}

// ApproveMinutes freezes the draft minutes, approved either at the meeting or by who
// held the chair or a vice-chair at its start and attended (ErrForbidden not-chair).
func (m *Meeting) ApproveMinutes(p *Panel, by osallisuus.ParticipantID, atMeeting bool, now time.Time) error {
	const op = "approve minutes"
	if by.IsZero() == !atMeeting {
		return invalid(op, "by", osallisuus.CodeNotAllowed)
	}
	if m.State != MeetingHeld {
		return conflict(op, osallisuus.Reason(m.State))
	}
	if m.Minutes == nil {
		return conflict(op, ReasonNoMinutes)
	}
	if m.Minutes.State == MinutesApproved {
		return conflict(op, ReasonApproved)
	}
	if !atMeeting {
		c, ok := MembersAt(p, m.Start)[by]
		if !ok || c.State != MemberActive || (c.Role != RoleChair && c.Role != RoleViceChair) ||
			!p.Config.Quorum.attends(m.Attendance[by]) {
			return forbidden(op, ReasonNotChair)
		}
	}
	m.Minutes.State, m.Minutes.ApprovedBy, m.Minutes.AtMeeting, m.Minutes.ApprovedAt = MinutesApproved, by, atMeeting, now
	return nil
}

// CorrectMinutes appends a correction to approved minutes (I7) and returns their count.
func (m *Meeting) CorrectMinutes(text string, now time.Time) (int, error) {
	const op = "correct minutes"
	if strings.TrimSpace(text) == "" {
		return 0, invalid(op, "text", osallisuus.CodeRequired)
	}
	if m.State != MeetingHeld {
		return 0, conflict(op, osallisuus.Reason(m.State))
	}
	if m.Minutes == nil {
		return 0, conflict(op, ReasonNoMinutes)
	}
	if m.Minutes.State != MinutesApproved {
		return 0, conflict(op, osallisuus.Reason(m.Minutes.State))
	}
	m.Minutes.Corrections = append(m.Minutes.Corrections, Correction{At: now, Text: text})
	return len(m.Minutes.Corrections), nil
}
