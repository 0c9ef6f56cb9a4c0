package panel

import (
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// ProposalKind is the kind of a [Proposal]: aloite (initiative), kannanotto or lausunto
// (statement), suositus (recommendation), selvityspyyntö (information request).
type ProposalKind string

// The proposal kinds.
const (
	KindInitiative         ProposalKind = "initiative"
	KindStatement          ProposalKind = "statement"
	KindRecommendation     ProposalKind = "recommendation"
	KindInformationRequest ProposalKind = "information-request"
)

// Valid reports whether k is one of the kinds.
func (k ProposalKind) Valid() bool {
	return k == KindInitiative || k == KindStatement || k == KindRecommendation || k == KindInformationRequest
}

// ProposalState is the state of a [Proposal] (spec §4.5).
type ProposalState string

// The proposal states.
const (
	ProposalDraft       ProposalState = "draft"
	ProposalSubmitted   ProposalState = "submitted"
	ProposalInReview    ProposalState = "in-review"
	ProposalAnswered    ProposalState = "answered"
	ProposalImplemented ProposalState = "implemented"
	ProposalWithdrawn   ProposalState = "withdrawn"
)

// Outcome is the organisation's answer to a proposal.
type Outcome string

// The outcomes.
const (
	Accepted       Outcome = "accepted"
	PartlyAccepted Outcome = "partly-accepted"
	Declined       Outcome = "declined"
)

// Valid reports whether o is one of the outcomes.
func (o Outcome) Valid() bool { return o == Accepted || o == PartlyAccepted || o == Declined }

// Answer (vastaus) is the organisation's reply: an outcome and a mandatory
// justification. It is never edited.
type Answer struct {
	Outcome       Outcome         `json:"outcome"`
	Justification string          `json:"justification"`
	At            time.Time       `json:"at"`
	PlannedBy     osallisuus.Date `json:"plannedBy,omitzero"`
	AnsweredBy    string          `json:"answeredBy,omitzero"`
}

// Implementation records what was done and when.
type Implementation struct {
	Description string          `json:"description"`
	On          osallisuus.Date `json:"on"`
}

// Proposal is something a panel sends to the organisation and the answer it gets
// ("you said, we did", P14).
type Proposal struct {
	ID          ProposalID      `json:"id"`
	Panel       PanelID         `json:"panel"`
	Kind        ProposalKind    `json:"kind"`
	Text        string          `json:"text"`
	Meeting     MeetingID       `json:"meeting,omitzero"` // the adopting meeting
	State       ProposalState   `json:"state"`
	SubmittedAt time.Time       `json:"submittedAt,omitzero"`
	AnswerDue   osallisuus.Date `json:"answerDue,omitzero"`
	// RequestedBy and RespondBy record a statement the organisation asked for.
	RequestedBy    string          `json:"requestedBy,omitzero"`
	RespondBy      osallisuus.Date `json:"respondBy,omitzero"`
	Follows        ProposalID      `json:"follows,omitzero"`
	Answer         *Answer         `json:"answer,omitempty"`
	Implementation *Implementation `json:"implementation,omitempty"`
	Notes          []Note          `json:"notes,omitempty"`
	CreatedAt      time.Time       `json:"createdAt"`
	Version        int64           `json:"version"`
}

// Clone returns a deep copy of p.
func (p Proposal) Clone() Proposal {
	if p.Answer != nil {
		a := *p.Answer
		p.Answer = &a
	}
	if p.Implementation != nil {
		i := *p.Implementation
		p.Implementation = &i
	}
	p.Notes = append([]Note(nil), p.Notes...)
	return p
}

// Overdue reports whether the answer is late on date today: still unanswered and today
// after AnswerDue (due today is not overdue).
func (p Proposal) Overdue(today osallisuus.Date) bool {
	return (p.State == ProposalSubmitted || p.State == ProposalInReview) && today.After(p.AnswerDue)
}

// Submit creates a submitted proposal of panel pn (4.5). With RequireQuorateAdoption
// the adopting meeting must be a held, quorate meeting of the panel (ErrConflict
// not-adopted); nil means none was named.
func Submit(pn *Panel, id ProposalID, kind ProposalKind, text string, adopted *Meeting, now time.Time) (Proposal, error) {
	const op = "submit proposal"
	ve := &osallisuus.ValidationError{Op: op}
	if !kind.Valid() {
		ve.Add("kind", required(string(kind)))
	}
	if strings.TrimSpace(text) == "" {
		ve.Add("text", osallisuus.CodeRequired)
	}
	if err := ve.Err(); err != nil {
		return Proposal{}, err
	}
	if err := pn.requireActive(op); err != nil {
		return Proposal{}, err
	}
	quorate := adopted != nil && adopted.Panel == pn.ID && adopted.State == MeetingHeld &&
		adopted.Quorum != nil && adopted.Quorum.Quorate
	if pn.Config.RequireQuorateAdoption && !quorate {
		return Proposal{}, conflict(op, ReasonNotAdopted)
	}
	p := Proposal{ID: id, Panel: pn.ID, Kind: kind, Text: text, State: ProposalSubmitted,
		SubmittedAt: now, AnswerDue: osallisuus.DateOf(now).AddDays(pn.Config.AnswerPeriodDays), CreatedAt: now}
	if adopted != nil {
		p.Meeting = adopted.ID
	}
	return p, nil
}

// AnswerWith records the organisation's answer (4.5): a known outcome and a justification
// that is not blank; also on closed panels.
func (p *Proposal) AnswerWith(a Answer, now time.Time) error {
	const op = "answer proposal"
	ve := &osallisuus.ValidationError{Op: op}
	if !a.Outcome.Valid() {
		ve.Add("outcome", required(string(a.Outcome)))
	}
	if strings.TrimSpace(a.Justification) == "" {
		ve.Add("justification", osallisuus.CodeRequired)
	}
	if !a.PlannedBy.IsZero() && !a.PlannedBy.Valid() {
		ve.Add("plannedBy", osallisuus.CodeFormat)
	}
	if err := ve.Err(); err != nil {
		return err
	}
	if p.State != ProposalSubmitted && p.State != ProposalInReview {
		return conflict(op, osallisuus.Reason(p.State))
	}
	a.At = now
	p.Answer, p.State = &a, ProposalAnswered
	return nil
}

// MarkImplemented records that an accepted or partly accepted proposal was carried out
// on date on (not after today).
func (p *Proposal) MarkImplemented(description string, on osallisuus.Date, now time.Time) error {
	const op = "implement proposal"
	ve := &osallisuus.ValidationError{Op: op}
	if strings.TrimSpace(description) == "" {
		ve.Add("description", osallisuus.CodeRequired)
	}
	switch {
	case on.IsZero():
		ve.Add("on", osallisuus.CodeRequired)
	case !on.Valid():
		ve.Add("on", osallisuus.CodeFormat)
	case on.After(osallisuus.DateOf(now)):
		ve.Add("on", osallisuus.CodeOrder)
	}
	if err := ve.Err(); err != nil {
		return err
	}
	if p.State != ProposalAnswered {
		return conflict(op, osallisuus.Reason(p.State))
	}
	if p.Answer.Outcome == Declined {
		return conflict(op, ReasonDeclined)
	}
	p.Implementation, p.State = &Implementation{Description: description, On: on}, ProposalImplemented
	return nil
}

// DaysBetween returns b − a in calendar days.
func DaysBetween(a, b osallisuus.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}
