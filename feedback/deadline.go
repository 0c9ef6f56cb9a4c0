package feedback

import (
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
)

// DeadlineClass is the deadline kind of a feedback, from its labels (§6.1).
type DeadlineClass string

// The deadline classes, first matching row wins.
const (
	DeadlineNone            DeadlineClass = "none"             // no due date
	DeadlineUrgent          DeadlineClass = "urgent"           // calendar days, same day by default
	DeadlineFormalComplaint DeadlineClass = "formal-complaint" // muistutus: business days
	DeadlineOrdinary        DeadlineClass = "ordinary"         // wantsReply: business days
)

// Targets are a county's answer-time targets (county settings, not law; §5). Each is
// 0–365. Use [DefaultTargets] for the defaults: the zero Targets means "0 days" each.
type Targets struct {
	FormalComplaintBusinessDays int `json:"formalComplaintBusinessDays"`
	OrdinaryBusinessDays        int `json:"ordinaryBusinessDays"`
	UrgentCalendarDays          int `json:"urgentCalendarDays"`
}

// DefaultTargets returns 20 business days for a formal complaint, 10 for other feedback
// that wants a reply, and the same calendar day for urgent feedback.
func DefaultTargets() Targets {
	return Targets{FormalComplaintBusinessDays: 20, OrdinaryBusinessDays: 10, UrgentCalendarDays: 0}
}

// Validate returns a *osallisuus.ValidationError when a target is outside 0–365.
func (t Targets) Validate() error {
	ve := &osallisuus.ValidationError{Op: "deadline targets"}
	check := func(field string, v int) {
		if v < 0 || v > 365 {
			ve.AddParams(field, osallisuus.CodeOutOfRange, map[string]any{"min": 0, "max": 365})
		}
	}
	check("formalComplaintBusinessDays", t.FormalComplaintBusinessDays)
	check("ordinaryBusinessDays", t.OrdinaryBusinessDays)
	check("urgentCalendarDays", t.UrgentCalendarDays)
	return ve.Err()
}

// ClassOf returns the deadline class of labels l (§6.1); kind plays no part.
func ClassOf(l Labels) DeadlineClass {
	switch {
	case l.Urgent:
		return DeadlineUrgent
	case l.FormalComplaint:
		return DeadlineFormalComplaint
	case l.WantsReply:
		return DeadlineOrdinary
	}
	return DeadlineNone
}

// DueDate returns the due date of feedback with labels l whose clock started on
// clockStart, and the class used (§6.1). The date is zero for DeadlineNone. An urgent
// due date is never moved off a weekend or holiday. Errors match osallisuus.ErrInvalid
// (a date outside the calendar's years).
func DueDate(clockStart osallisuus.Date, l Labels, t Targets) (osallisuus.Date, DeadlineClass, error) {
	class := ClassOf(l)
	var due osallisuus.Date
	var err error
	switch class {
	case DeadlineUrgent:
		due = clockStart.AddDays(t.UrgentCalendarDays)
	case DeadlineFormalComplaint:
		due, err = AddBusinessDays(clockStart, t.FormalComplaintBusinessDays)
	case DeadlineOrdinary:
		due, err = AddBusinessDays(clockStart, t.OrdinaryBusinessDays)
	}
	if err != nil {
		return osallisuus.Date{}, class, fmt.Errorf("due date: %w", err)
	}
	return due, class, nil
}

// IsOpen reports whether s is received, triaged or assigned: a state that can be overdue.
func (s State) IsOpen() bool { return s == StateReceived || s == StateTriaged || s == StateAssigned }

// Overdue reports whether feedback in state s with due date due is overdue at t: the
// state is open, there is a due date, and the Helsinki date of t is after it (§6.1).
func Overdue(s State, due osallisuus.Date, t time.Time) bool {
	return s.IsOpen() && !due.IsZero() && osallisuus.DateOf(t).After(due)
}
