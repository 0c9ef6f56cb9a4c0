package feedback

import (
	"fmt"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// State is a workflow state of a feedback (spec/feedback.md §6).
type State string

// The states. Closed, forwarded, withdrawn and merged are terminal.
const (
	StateUnspecified State = ""
	StateReceived    State = "received"  // vastaanotettu
	StateTriaged     State = "triaged"   // luokiteltu
	StateAssigned    State = "assigned"  // vastuutettu
	StateAnswered    State = "answered"  // vastattu
	StateClosed      State = "closed"    // suljettu
	StateForwarded   State = "forwarded" // siirretty: to an ombudsman, another county, a provider
	StateWithdrawn   State = "withdrawn" // peruttu by the sender
	StateMerged      State = "merged"    // yhdistetty into another feedback
)

// IsTerminal reports whether no action may leave s.
func (s State) IsTerminal() bool {
	return s == StateClosed || s == StateForwarded || s == StateWithdrawn || s == StateMerged
}

// Action is a workflow action (§6.2).
type Action string

// The actions.
const (
	ActionReceive  Action = "receive"
	ActionTriage   Action = "triage"
	ActionAssign   Action = "assign"
	ActionAnswer   Action = "answer"
	ActionClose    Action = "close"
	ActionForward  Action = "forward"
	ActionWithdraw Action = "withdraw"
	ActionMerge    Action = "merge"
	ActionReopen   Action = "reopen"
)

// Valid reports whether a is one of the actions.
func (a Action) Valid() bool {
	switch a {
	case ActionReceive, ActionTriage, ActionAssign, ActionAnswer, ActionClose, ActionForward,
		ActionWithdraw, ActionMerge, ActionReopen:
		return true
	}
	return false
}

// Role is the role of an actor.
type Role string

// The roles.
const (
	RoleCustomer Role = "customer" // the sender (asiakas)
	RoleStaff    Role = "staff"    // an official (työntekijä)
	RoleSystem   Role = "system"   // an automatic rule of the host
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleCustomer || r == RoleStaff || r == RoleSystem }

// Actor is who made a transition: a role and the host's ID of the person or rule (for a
// customer, the participant ID in text form).
type Actor struct {
	Role Role   `json:"kind"`
	ID   string `json:"id"`
}

// Reasons of workflow refusals (*osallisuus.RuleError).
const (
	ReasonRoleNotAllowed osallisuus.Reason = "role-not-allowed" // ErrForbidden
	ReasonNotSender      osallisuus.Reason = "not-sender"       // ErrForbidden
	ReasonWrongState     osallisuus.Reason = "wrong-state"      // ErrConflict
	ReasonTerminal       osallisuus.Reason = "terminal"         // ErrConflict
	ReasonNeedsAnswer    osallisuus.Reason = "needs-answer"     // ErrConflict: close from triaged
	ReasonExists         osallisuus.Reason = "exists"           // ErrConflict: receive of a used ID
)

// Event is one recorded transition; events are never edited.
type Event struct {
	Action Action    `json:"action"`
	From   State     `json:"from"`
	To     State     `json:"to"`
	Actor  Actor     `json:"actor"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitzero"`
	// Target is the assignee, the recipient or the feedback merged into (or merged from,
	// on the target's own event).
	Target string `json:"target,omitzero"`
	// OldLabels and NewLabels are recorded by triage and by a merge on its target.
	OldLabels *Labels `json:"oldLabels,omitzero"`
	NewLabels *Labels `json:"newLabels,omitzero"`
}

// LabelPatch gives labels: on receive the full labels (Kind required, nil flags false);
// on triage, each non-zero field replaces the old label.
type LabelPatch struct {
	Kind            Kind  `json:"kind,omitzero"`
	Urgent          *bool `json:"urgent,omitzero"`
	FormalComplaint *bool `json:"formalComplaint,omitzero"`
	WantsReply      *bool `json:"wantsReply,omitzero"`
}

// Apply returns l with the given labels replaced.
func (p LabelPatch) Apply(l Labels) Labels {
	if p.Kind != KindUnspecified {
		l.Kind = p.Kind
	}
	if p.Urgent != nil {
		l.Urgent = *p.Urgent
	}
	if p.FormalComplaint != nil {
		l.FormalComplaint = *p.FormalComplaint
	}
	if p.WantsReply != nil {
		l.WantsReply = *p.WantsReply
	}
	return l
}

// Command asks for one workflow action on feedback Feedback at At (§6.2).
type Command struct {
	Feedback ID     `json:"feedback"`
	Action   Action `json:"action"`
	Actor    Actor  `json:"actor"`
	At       time.Time
	Note     string `json:"note,omitzero"`
	// Labels: receive (Kind required) and triage.
	Labels LabelPatch `json:"labels,omitzero"`
	// ReceivedAt (receive): the arrival instant, not after At; zero means At.
	ReceivedAt time.Time `json:"receivedAt,omitzero"`
	// Sender (receive by staff or system): the customer's ID; "" when anonymous.
	Sender string `json:"sender,omitzero"`
	// Assignee (assign), Recipient (forward), Into (merge).
	Assignee  string `json:"assignee,omitzero"`
	Recipient string `json:"recipient,omitzero"`
	Into      ID     `json:"into,omitzero"`
	// Reasoning and SentOn (answer): both required for a formal complaint.
	Reasoning string          `json:"reasoning,omitzero"`
	SentOn    osallisuus.Date `json:"sentOn,omitzero"`
}

// Check runs the form checks of §6.2 (check 1): required fields present and well
// formed. It returns a *osallisuus.ValidationError.
func (c Command) Check() error {
	ve := &osallisuus.ValidationError{Op: "feedback " + string(c.Action)}
	if c.Feedback.IsZero() {
		ve.Add("feedback", osallisuus.CodeRequired)
	}
	if !c.Action.Valid() {
		ve.Add("action", osallisuus.CodeUnknown)
	}
	if c.At.IsZero() {
		ve.Add("at", osallisuus.CodeRequired)
	}
	if c.Actor.ID == "" {
		ve.Add("actor", osallisuus.CodeRequired)
	}
	if !c.Actor.Role.Valid() {
		ve.Add("role", osallisuus.CodeUnknown)
	}
	if c.Labels.Kind != KindUnspecified && !c.Labels.Kind.Valid() {
		ve.Add("kind", osallisuus.CodeUnknown)
	}
	switch c.Action {
	case ActionReceive:
		if c.Labels.Kind == KindUnspecified {
			ve.Add("kind", osallisuus.CodeRequired)
		}
		if c.ReceivedAt.After(c.At) {
			ve.Add("receivedAt", osallisuus.CodeOrder)
		}
	case ActionAssign:
		if c.Assignee == "" {
			ve.Add("assignee", osallisuus.CodeRequired)
		}
	case ActionForward:
		if c.Recipient == "" {
			ve.Add("recipient", osallisuus.CodeRequired)
		}
	case ActionMerge:
		if c.Into.IsZero() {
			ve.Add("into", osallisuus.CodeRequired)
		} else if c.Into == c.Feedback {
			ve.Add("into", osallisuus.CodeNotAllowed)
		}
	case ActionAnswer:
		if !c.SentOn.IsZero() && !c.SentOn.Valid() {
			ve.Add("sentOn", osallisuus.CodeFormat)
		}
	}
	return ve.Err()
}

func refuse(op string, kind error, r osallisuus.Reason) error {
	return &osallisuus.RuleError{Op: op, Kind: kind, Reasons: []osallisuus.Reason{r}}
}

// Receive creates the workflow part of a new feedback from a receive command (§6.2):
// state received, labels, sender, clock start (the Helsinki date of ReceivedAt) and due
// date. It runs checks 1, 3 and 5 (check 4, an unused ID, is the store's: CreateFeedback
// returns ErrConflict). Errors: *osallisuus.ValidationError (ErrInvalid).
func Receive(c Command, t Targets) (Feedback, error) {
	if c.Action != ActionReceive {
		return Feedback{}, osallisuus.Invalid("action", osallisuus.CodeNotAllowed)
	}
	if err := c.Check(); err != nil {
		return Feedback{}, err
	}
	return receive(c, t)
}

func receive(c Command, t Targets) (Feedback, error) {
	labels := c.Labels.Apply(Labels{})
	if !labels.Consistent() {
		return Feedback{}, osallisuus.Invalid("labels", osallisuus.CodeNotAllowed)
	}
	received := c.ReceivedAt
	if received.IsZero() {
		received = c.At
	}
	f := Feedback{ID: c.Feedback, ReceivedAt: received.UTC(), State: StateReceived, Labels: labels,
		ClockStart: osallisuus.DateOf(received)}
	switch c.Actor.Role {
	case RoleCustomer:
		f.Sender = c.Actor.ID
	default:
		f.Sender = c.Sender
	}
	if err := f.recompute(t); err != nil {
		return Feedback{}, err
	}
	f.Events = append(f.Events, Event{Action: ActionReceive, To: StateReceived, Actor: c.Actor,
		At: c.At.UTC(), Note: c.Note, NewLabels: &labels})
	return f, nil
}

// recompute sets the due date and class from the clock start, labels and targets.
func (f *Feedback) recompute(t Targets) error {
	due, class, err := DueDate(f.ClockStart, f.Labels, t)
	if err != nil {
		return err
	}
	f.Due, f.DeadlineClass = due, class
	return nil
}

var allowedRoles = map[Action][]Role{
	ActionTriage:   {RoleStaff, RoleSystem},
	ActionAssign:   {RoleStaff},
	ActionAnswer:   {RoleStaff},
	ActionClose:    {RoleStaff, RoleSystem},
	ActionForward:  {RoleStaff},
	ActionWithdraw: {RoleCustomer, RoleStaff},
	ActionMerge:    {RoleStaff},
	ActionReopen:   {RoleCustomer, RoleStaff},
}

var fromStates = map[Action][]State{
	ActionTriage:   {StateReceived},
	ActionAssign:   {StateTriaged, StateAssigned},
	ActionAnswer:   {StateAssigned},
	ActionClose:    {StateAnswered, StateTriaged},
	ActionForward:  {StateTriaged, StateAssigned},
	ActionWithdraw: {StateReceived, StateTriaged, StateAssigned},
	ActionMerge:    {StateReceived, StateTriaged, StateAssigned},
	ActionReopen:   {StateAnswered},
}

func has[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// checkRoleState runs checks 3 (role → ErrForbidden) and 4 (state → ErrConflict) of one
// feedback for c.
func checkRoleState(f *Feedback, c Command) error {
	op := "feedback " + string(c.Action)
	if !has(allowedRoles[c.Action], c.Actor.Role) {
		return refuse(op, osallisuus.ErrForbidden, ReasonRoleNotAllowed)
	}
	if c.Actor.Role == RoleCustomer && (f.Sender == "" || f.Sender != c.Actor.ID) {
		return refuse(op, osallisuus.ErrForbidden, ReasonNotSender)
	}
	if f.State.IsTerminal() {
		return refuse(op, osallisuus.ErrConflict, ReasonTerminal)
	}
	if !has(fromStates[c.Action], f.State) {
		return refuse(op, osallisuus.ErrConflict, ReasonWrongState)
	}
	if c.Action == ActionClose && f.State == StateTriaged && (f.Labels.WantsReply || f.Labels.FormalComplaint) {
		return refuse(op, osallisuus.ErrConflict, ReasonNeedsAnswer)
	}
	return nil
}

// Apply applies command c (any action but receive and merge) to f and returns the
// changed copy with the transition recorded (§6.2). It runs checks 1, 3, 4 and 5 in
// order; the caller has done check 2 by loading f. Errors: *osallisuus.ValidationError
// (ErrInvalid) or *osallisuus.RuleError (ErrForbidden, ErrConflict). f is not changed.
func Apply(f Feedback, c Command, t Targets) (Feedback, error) {
	if err := c.Check(); err != nil {
		return Feedback{}, err
	}
	if c.Action == ActionReceive || c.Action == ActionMerge {
		return Feedback{}, osallisuus.Invalid("action", osallisuus.CodeNotAllowed)
	}
	if err := checkRoleState(&f, c); err != nil {
		return Feedback{}, err
	}
	from := f.State
	f.Events = append([]Event(nil), f.Events...)
	ev := Event{Action: c.Action, From: from, Actor: c.Actor, At: c.At.UTC(), Note: c.Note}
	switch c.Action {
	case ActionTriage:
		old := f.Labels
		labels := c.Labels.Apply(f.Labels)
		if !labels.Consistent() {
			return Feedback{}, osallisuus.Invalid("labels", osallisuus.CodeNotAllowed)
		}
		f.Labels = labels
		if err := f.recompute(t); err != nil {
			return Feedback{}, err
		}
		ev.OldLabels, ev.NewLabels = &old, &labels
		f.State = StateTriaged
	case ActionAssign:
		f.Assignee = c.Assignee
		ev.Target = c.Assignee
		f.State = StateAssigned
	case ActionAnswer:
		if f.Labels.FormalComplaint {
			ve := &osallisuus.ValidationError{Op: "feedback answer"}
			if strings.TrimSpace(c.Reasoning) == "" {
				ve.Add("reasoning", osallisuus.CodeRequired)
			}
			if c.SentOn.IsZero() {
				ve.Add("sentOn", osallisuus.CodeRequired)
			}
			if err := ve.Err(); err != nil {
				return Feedback{}, err
			}
		}
		if !c.SentOn.IsZero() && c.SentOn.After(osallisuus.DateOf(c.At)) {
			return Feedback{}, osallisuus.Invalid("sentOn", osallisuus.CodeOrder)
		}
		f.Reasoning, f.SentOn = c.Reasoning, c.SentOn
		f.State = StateAnswered
	case ActionClose:
		f.State = StateClosed
	case ActionForward:
		f.Recipient = c.Recipient
		ev.Target = c.Recipient
		f.State = StateForwarded
	case ActionWithdraw:
		if c.Actor.Role == RoleStaff && strings.TrimSpace(c.Note) == "" {
			return Feedback{}, osallisuus.Invalid("note", osallisuus.CodeRequired)
		}
		f.State = StateWithdrawn
	case ActionReopen:
		f.ClockStart = osallisuus.DateOf(c.At)
		if err := f.recompute(t); err != nil {
			return Feedback{}, err
		}
		f.State = StateAssigned
		ev.Target = f.Assignee
	}
	ev.To = f.State
	f.Events = append(f.Events, ev)
	return f, nil
}

// Merge merges src into into (§6.2): src becomes merged, records into and keeps its due
// date; into keeps its state and takes the stricter labels and the earlier clock start,
// and its due date is recomputed. Checks 1, 3, 4 (both states) and 5 run in order; the
// caller loaded both (check 2). Neither argument is changed.
func Merge(src, into Feedback, c Command, t Targets) (Feedback, Feedback, error) {
	if err := c.Check(); err != nil {
		return Feedback{}, Feedback{}, err
	}
	if c.Action != ActionMerge || c.Into != into.ID || c.Feedback != src.ID {
		return Feedback{}, Feedback{}, osallisuus.Invalid("into", osallisuus.CodeNotAllowed)
	}
	if err := checkRoleState(&src, c); err != nil {
		return Feedback{}, Feedback{}, err
	}
	if !into.State.IsOpen() {
		return Feedback{}, Feedback{}, refuse("feedback merge", osallisuus.ErrConflict, ReasonWrongState)
	}
	at := c.At.UTC()
	src.Events = append(append([]Event(nil), src.Events...), Event{Action: ActionMerge, From: src.State,
		To: StateMerged, Actor: c.Actor, At: at, Note: c.Note, Target: into.ID.String()})
	src.State, src.MergedInto = StateMerged, into.ID

	old := into.Labels
	into.Labels = into.Labels.Stricter(src.Labels)
	if src.ClockStart.Before(into.ClockStart) {
		into.ClockStart = src.ClockStart
	}
	if err := into.recompute(t); err != nil {
		return Feedback{}, Feedback{}, err
	}
	newLabels := into.Labels
	into.Events = append(append([]Event(nil), into.Events...), Event{Action: ActionMerge, From: into.State,
		To: into.State, Actor: c.Actor, At: at, Note: c.Note, Target: src.ID.String(),
		OldLabels: &old, NewLabels: &newLabels})
	return src, into, nil
}

// Status is the workflow summary of a feedback at an instant, as the CLI prints it.
type Status struct {
	State   State           `json:"state"`
	Due     osallisuus.Date `json:"due"`
	Overdue bool            `json:"overdue"`
}

// StatusAt returns f's state, due date and whether it is overdue at t.
func (f Feedback) StatusAt(t time.Time) Status {
	return Status{State: f.State, Due: f.Due, Overdue: Overdue(f.State, f.Due, t)}
}

// String implements fmt.Stringer for logs (no personal data).
func (c Command) String() string {
	return fmt.Sprintf("%s %s by %s", c.Action, c.Feedback, c.Actor.Role)
}
