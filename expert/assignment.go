package expert

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// The reason codes of request and assignment refusals (spec §6, E14).
const (
	ReasonRequestNotOpen  osallisuus.Reason = "request-not-open"
	ReasonNotOffered      osallisuus.Reason = "not-offered"
	ReasonOfferExpired    osallisuus.Reason = "offer-expired"
	ReasonFull            osallisuus.Reason = "full"
	ReasonExceeds         osallisuus.Reason = "exceeds"
	ReasonNotExpertChoice osallisuus.Reason = "not-expert-choice"
	ReasonNotAccepted     osallisuus.Reason = "not-accepted"
	ReasonNotStarted      osallisuus.Reason = "not-started"
	ReasonNotDone         osallisuus.Reason = "not-done"
	ReasonNotFound        osallisuus.Reason = "assignment-not-found"
)

func refuse(op string, kind error, detail any, reasons ...osallisuus.Reason) error {
	return &osallisuus.RuleError{Op: op, Kind: kind, Reasons: reasons, Detail: detail}
}

// Evaluate runs the matching rules for one candidate (the hard filters, caps and
// warnings of [Match]); Offer and Accept use it to re-check an expert against a request.
func Evaluate(in MatchInput, c Candidate) (Explanation, error) {
	in.Candidates = []Candidate{c}
	xs, err := Match(in)
	if err != nil {
		return Explanation{}, err
	}
	return xs[0], nil
}

func (r *Request) find(id AssignmentID) int {
	for i := range r.Assignments {
		if r.Assignments[i].ID == id {
			return i
		}
	}
	return -1
}

func (e *Expert) findCommitment(id AssignmentID) int {
	for i := range e.Commitments {
		if e.Commitments[i].Assignment == id {
			return i
		}
	}
	return -1
}

// capWarnings returns the warnings at approaching or above.
func capWarnings(x Explanation) []CapWarning {
	var out []CapWarning
	for _, w := range x.CapWarnings {
		if w.Level != CapOK {
			out = append(out, w)
		}
	}
	return out
}

// Offer makes an offer to the expert (spec §6): x is the expert's [Evaluate] result for
// r at now, with IncludeOverCap as the coordinator asked. The request must be open
// (ErrForbidden request-not-open); an earlier assignment for the request other than a
// withdrawn one is ErrConflict already-in-request (X2); any other failing filter is
// ErrForbidden with the reasons (X8: retired and rejected experts are not active). An
// over-cap expert included on the coordinator's request gets the offer with the
// [CapWarning]s attached (E14). It adds the assignment to r and the commitment to e.
func Offer(r *Request, e *Expert, x Explanation, id AssignmentID, now time.Time) (Assignment, error) {
	const op = "offer assignment"
	if r.Effective(now) != RequestOpen {
		return Assignment{}, refuse(op, osallisuus.ErrForbidden, r.Effective(now), ReasonRequestNotOpen)
	}
	if x.Reasons&FailAlreadyInRequest != 0 {
		return Assignment{}, refuse(op, osallisuus.ErrConflict, nil, ReasonAlreadyInRequest)
	}
	if !x.Included {
		return Assignment{}, refuse(op, osallisuus.ErrForbidden, x, x.Reasons.Codes()...)
	}
	a := Assignment{ID: id, Expert: e.ID, Status: StatusOffered, OfferedAt: now,
		Warnings: capWarnings(x), ProjectedFeeCents: x.ProjectedCents}
	r.Assignments = append(r.Assignments, a)
	r.UpdatedAt = now
	e.Commitments = append(e.Commitments, Commitment{Request: r.ID, Assignment: id, TaskType: r.TaskType,
		Status: StatusOffered, Start: r.Start, Minutes: r.Minutes, FeeCents: x.ProjectedCents})
	e.UpdatedAt = now
	return a.Clone(), nil
}

// AcceptOptions carry the expert's cap choice (E14) and who made it.
type AcceptOptions struct {
	Choice Choice
	By     Actor
}

// Accept accepts an offer (spec §6, §10): x is the expert's [Evaluate] result for r at
// now, computed inside the same atomic step. The offer must be open (ErrConflict
// not-offered or offer-expired), the request below Needed (ErrCapacity full, X3), the
// expert pass H1–H8 again (ErrForbidden with the reasons; X4, X6). A cap that would be
// exceeded stops the acceptance with ErrCapacity exceeds and the [CapWarning]s as detail,
// unless the expert (or their representative; ErrForbidden not-expert-choice for a
// coordinator) chose to acknowledge, waive the fee, or limit it to the cap (only
// acknowledging applies to the assignment cap). It returns the accepted assignment with
// its warnings (never silent). Both r and e change only on success.
func Accept(r *Request, e *Expert, id AssignmentID, x Explanation, opt AcceptOptions, now time.Time) (Assignment, error) {
	const op = "accept assignment"
	i, j := r.find(id), e.findCommitment(id)
	if i < 0 || j < 0 || r.Assignments[i].Expert != e.ID {
		return Assignment{}, refuse(op, osallisuus.ErrNotFound, nil, ReasonNotFound)
	}
	a := r.Assignments[i]
	if a.Status != StatusOffered {
		return Assignment{}, refuse(op, osallisuus.ErrConflict, a.Status, ReasonNotOffered)
	}
	if !r.OfferDeadline.IsZero() && !now.Before(r.OfferDeadline) {
		return Assignment{}, refuse(op, osallisuus.ErrConflict, nil, ReasonOfferExpired)
	}
	if st := r.Effective(now); st != RequestOpen && st != RequestFilled {
		return Assignment{}, refuse(op, osallisuus.ErrForbidden, st, ReasonRequestNotOpen)
	}
	if r.Accepted() >= r.Needed {
		return Assignment{}, refuse(op, osallisuus.ErrCapacity, nil, ReasonFull)
	}
	const capFails = FailAssignmentCap | FailEarningsCap
	if other := x.Reasons &^ (capFails | FailAlreadyInRequest); other != 0 {
		return Assignment{}, refuse(op, osallisuus.ErrForbidden, x, other.Codes()...)
	}
	warnings := capWarnings(x)
	fee := x.ProjectedCents
	if x.Reasons&capFails != 0 {
		var exceeded []CapWarning
		for _, w := range warnings {
			if w.Level == CapExceeds {
				exceeded = append(exceeded, w)
			}
		}
		switch {
		case opt.Choice == ChoiceNone:
			return Assignment{}, refuse(op, osallisuus.ErrCapacity, exceeded, ReasonExceeds)
		case opt.By != ActorExpert && opt.By != ActorRepresentative:
			return Assignment{}, refuse(op, osallisuus.ErrForbidden, exceeded, ReasonNotExpertChoice)
		case x.Reasons&FailAssignmentCap != 0 && opt.Choice != ChoiceAcknowledgeExceed:
			return Assignment{}, refuse(op, osallisuus.ErrCapacity, exceeded, ReasonExceeds)
		}
		switch opt.Choice {
		case ChoiceWaiveFee:
			a.FeeWaived, fee = true, 0
		case ChoiceLimitFeeToCap:
			for _, w := range exceeded {
				if w.Cap != CapAssignmentsMonth {
					fee = max(0, min(fee, w.Limit-w.Current))
				}
			}
		}
		a.Decision = &CapDecision{Choice: opt.Choice, By: opt.By, At: now}
	}
	a.Status, a.AnsweredAt, a.Warnings, a.ProjectedFeeCents = StatusAccepted, now, warnings, fee
	r.Assignments[i] = a
	r.UpdatedAt = now
	e.Commitments[j].Status, e.Commitments[j].FeeCents = StatusAccepted, fee
	e.UpdatedAt = now
	return a.Clone(), nil
}

// answer moves an assignment from one status to another on both sides.
func answer(op string, r *Request, e *Expert, id AssignmentID, from []AssignmentStatus, to AssignmentStatus,
	reason osallisuus.Reason, now time.Time) (*Assignment, error) {
	i, j := r.find(id), e.findCommitment(id)
	if i < 0 || j < 0 || r.Assignments[i].Expert != e.ID {
		return nil, refuse(op, osallisuus.ErrNotFound, nil, ReasonNotFound)
	}
	a := &r.Assignments[i]
	ok := false
	for _, f := range from {
		ok = ok || a.Status == f
	}
	if !ok {
		return nil, refuse(op, osallisuus.ErrConflict, a.Status, reason)
	}
	a.Status, a.AnsweredAt = to, now
	e.Commitments[j].Status = to
	r.UpdatedAt, e.UpdatedAt = now, now
	return a, nil
}

// Decline declines an offer. It is never refused for an open offer and needs no reason;
// an assignment not offered is ErrConflict not-offered.
func Decline(r *Request, e *Expert, id AssignmentID, now time.Time) error {
	_, err := answer("decline assignment", r, e, id, []AssignmentStatus{StatusOffered}, StatusDeclined, ReasonNotOffered, now)
	return err
}

// Withdraw withdraws an offer (by the unit or the coordinator). A withdrawn offer may be
// made again (H11).
func Withdraw(r *Request, e *Expert, id AssignmentID, now time.Time) error {
	_, err := answer("withdraw offer", r, e, id, []AssignmentStatus{StatusOffered}, StatusWithdrawn, ReasonNotOffered, now)
	return err
}

// Cancel cancels an accepted assignment by the expert (no penalty, never counted) or by
// the unit (E11 may pay a late-cancellation line); by is ActorExpert, ActorRepresentative
// or anyone else for the unit side.
func Cancel(r *Request, e *Expert, id AssignmentID, by Actor, reason string, now time.Time) error {
	to := StatusCancelledByUnit
	if by == ActorExpert || by == ActorRepresentative {
		to = StatusCancelledByExpert
	}
	a, err := answer("cancel assignment", r, e, id, []AssignmentStatus{StatusAccepted}, to, ReasonNotAccepted, now)
	if err != nil {
		return err
	}
	a.CancelReason = reason
	j := e.findCommitment(id)
	e.Commitments[j].FeeCents = 0
	return nil
}

// Actuals are what completion records (spec §6): actual minutes, preparation, travel,
// receipts and whether a meal was served.
type Actuals struct {
	Minutes            int       `json:"minutes"`
	PreparationMinutes int       `json:"preparationMinutes,omitzero"`
	Travel             Travel    `json:"travel,omitzero"`
	Receipts           []Receipt `json:"receipts,omitempty"`
	MealServed         bool      `json:"mealServed,omitzero"`
}

// Validate checks the actuals: minutes 1..1440, preparation 0..1440, km 0..10,000,
// receipts with a known kind and 0..MaxCents.
func (a Actuals) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate actuals"}
	if a.Minutes < 1 || a.Minutes > 1440 {
		ve.Add("minutes", osallisuus.CodeOutOfRange)
	}
	if a.PreparationMinutes < 0 || a.PreparationMinutes > 1440 {
		ve.Add("preparationMinutes", osallisuus.CodeOutOfRange)
	}
	if a.Travel.Minutes < 0 || a.Travel.Minutes > 1440 {
		ve.Add("travel.minutes", osallisuus.CodeOutOfRange)
	}
	if a.Travel.Km < 0 || a.Travel.Km > 10000 {
		ve.Add("travel.km", osallisuus.CodeOutOfRange)
	}
	for i, r := range a.Receipts {
		f := "receipts[" + itoa(i) + "]"
		if r.Kind != LineTicket && r.Kind != LineParking && r.Kind != LineOther {
			ve.Add(f+".kind", osallisuus.CodeUnknown)
		}
		if r.Cents < 0 || r.Cents > MaxCents {
			ve.Add(f+".cents", osallisuus.CodeOutOfRange)
		}
	}
	return ve.Err()
}

// Work returns the work to price for assignment a of r done with the actuals.
func (r Request) Work(a Assignment, act Actuals, e Expert) Work {
	return Work{TaskType: r.TaskType, Start: r.Start, Minutes: act.Minutes,
		PreparationMinutes: act.PreparationMinutes, GrantedPreparationMinutes: r.PreparationMinutes,
		Travel: act.Travel, Receipts: act.Receipts, MealServed: act.MealServed,
		FeeWaived: a.FeeWaived || e.Profile.FeeWaived}
}

// Complete records an accepted assignment as done (spec §6) with its actuals and the
// priced fee: the task must have started (ErrForbidden not-started), the actuals must be
// valid (ErrInvalid). The commitment's fee becomes the earned fee counting toward caps.
// A longer task may push a cap over (E15): the work still becomes done; the returned
// warnings show it and the payout waits for the expert's choice.
func Complete(r *Request, e *Expert, id AssignmentID, act Actuals, fee Fee, now time.Time) (Assignment, error) {
	if err := act.Validate(); err != nil {
		return Assignment{}, err
	}
	if now.Before(r.Start) {
		return Assignment{}, refuse("complete assignment", osallisuus.ErrForbidden, nil, ReasonNotStarted)
	}
	a, err := answer("complete assignment", r, e, id, []AssignmentStatus{StatusAccepted}, StatusDone, ReasonNotAccepted, now)
	if err != nil {
		return Assignment{}, err
	}
	a.ActualMinutes, a.PreparationMinutes, a.Travel = act.Minutes, act.PreparationMinutes, act.Travel
	a.Receipts, a.MealServed = cloneSlice(act.Receipts), act.MealServed
	j := e.findCommitment(id)
	e.Commitments[j].FeeCents = fee.CapCents()
	e.Commitments[j].Minutes = act.Minutes
	return a.Clone(), nil
}

// MarkPaid records that the payout of a done assignment was paid (done → paid), on date.
func MarkPaid(r *Request, e *Expert, id AssignmentID, on osallisuus.Date, now time.Time) error {
	_, err := answer("mark paid", r, e, id, []AssignmentStatus{StatusDone}, StatusPaid, ReasonNotDone, now)
	if err != nil {
		return err
	}
	e.Commitments[e.findCommitment(id)].PaymentDate = on
	return nil
}

// Open opens a draft request (draft → open): its fields must be valid and its start in
// the future (ErrInvalid).
func (r *Request) Open(s Settings, now time.Time) error {
	if r.State != RequestDraft {
		return refuse("open request", osallisuus.ErrConflict, r.State, ReasonWrongState)
	}
	if err := r.Validate(s); err != nil {
		return err
	}
	if !r.Start.After(now) {
		return &osallisuus.ValidationError{Op: "open request",
			Problems: []osallisuus.Problem{{Field: "start", Code: osallisuus.CodeOrder}}}
	}
	r.State, r.UpdatedAt = RequestOpen, now
	return nil
}
