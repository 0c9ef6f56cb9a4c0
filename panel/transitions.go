package panel

import (
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// Reschedule moves a planned meeting to start (4.4): ErrInvalid unless start is after
// now, ErrConflict unless planned.
func (m *Meeting) Reschedule(start, now time.Time) error {
	const op = "reschedule meeting"
	if !start.After(now) {
		return invalid(op, "start", osallisuus.CodeOrder)
	}
	if m.State != MeetingPlanned {
		return conflict(op, osallisuus.Reason(m.State))
	}
	m.Start = start.UTC()
	return nil
}

// EditAgenda replaces the agenda (esityslista) of a planned meeting; it may be empty.
func (m *Meeting) EditAgenda(items []string) error {
	if m.State != MeetingPlanned {
		return conflict("edit agenda", osallisuus.Reason(m.State))
	}
	m.Agenda = append([]string(nil), items...)
	return nil
}

// StartReview marks a submitted proposal as being handled by the organisation (4.5).
func (p *Proposal) StartReview() error {
	if p.State != ProposalSubmitted {
		return conflict("start review", osallisuus.Reason(p.State))
	}
	p.State = ProposalInReview
	return nil
}

// Withdraw withdraws a draft or submitted proposal by the panel's decision; once in
// review it can no longer be withdrawn (4.5).
func (p *Proposal) Withdraw() error {
	if p.State != ProposalDraft && p.State != ProposalSubmitted {
		return conflict("withdraw proposal", osallisuus.Reason(p.State))
	}
	p.State = ProposalWithdrawn
	return nil
}

// Cancel cancels a call that is not yet selected (4.6).
func (c *Call) Cancel() error {
	if c.State != CallDraft && c.State != CallOpen && c.State != CallClosed {
		return conflict("cancel call", osallisuus.Reason(c.State))
	}
	c.State = CallCancelled
	return nil
}

// Withdraw withdraws who's application; it is never refused while the application is
// live, and repeating it changes nothing (4.6).
func (c *Call) Withdraw(who osallisuus.ParticipantID) error {
	i := c.application(who)
	if i < 0 {
		return osallisuus.NotFound("application of", who)
	}
	switch a := &c.Applications[i]; a.State {
	case AppSubmitted, AppScreened, AppSelected, AppReserve, AppNotSelected:
		a.State = AppWithdrawn
	}
	return nil
}

// Note is a follow-up appended to an answered proposal; answers are never edited (I7).
type Note struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// AddNote appends a follow-up note to an answered or implemented proposal.
func (p *Proposal) AddNote(text string, now time.Time) error {
	const op = "add note"
	if strings.TrimSpace(text) == "" {
		return invalid(op, "text", osallisuus.CodeRequired)
	}
	if p.State != ProposalAnswered && p.State != ProposalImplemented {
		return conflict(op, osallisuus.Reason(p.State))
	}
	p.Notes = append(p.Notes, Note{At: now, Text: text})
	return nil
}
