package expert

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// RequestState is the stored state of a request (spec §6). Filled and closed are derived:
// see [Request.Effective].
type RequestState uint8

// The request states.
const (
	RequestUnspecified RequestState = iota
	RequestDraft
	RequestOpen
	RequestFilled
	RequestCancelled
	RequestClosed
)

var requestStateNames = []string{"", "draft", "open", "filled", "cancelled", "closed"}

// String returns the text form.
func (s RequestState) String() string { return enumString(requestStateNames, s) }

// MarshalText returns the text form.
func (s RequestState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses the text form.
func (s *RequestState) UnmarshalText(b []byte) error {
	return enumUnmarshal(requestStateNames, "state", b, s)
}

// AssignmentStatus is the state of one expert's part in one request (spec §6).
type AssignmentStatus uint8

// The assignment statuses.
const (
	StatusUnspecified AssignmentStatus = iota
	StatusOffered
	StatusAccepted
	StatusDeclined
	StatusExpired
	StatusWithdrawn
	StatusCancelledByUnit
	StatusCancelledByExpert
	StatusDone
	StatusPaid
)

var statusNames = []string{"", "offered", "accepted", "declined", "expired", "withdrawn",
	"cancelled-by-unit", "cancelled-by-expert", "done", "paid"}

// String returns the text form.
func (s AssignmentStatus) String() string { return enumString(statusNames, s) }

// MarshalText returns the text form.
func (s AssignmentStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses the text form.
func (s *AssignmentStatus) UnmarshalText(b []byte) error {
	return enumUnmarshal(statusNames, "status", b, s)
}

// ParseAssignmentStatus parses the text form.
func ParseAssignmentStatus(s string) (AssignmentStatus, bool) {
	return enumParse[AssignmentStatus](statusNames, s)
}

// RemoteLocation is the location of a remote task.
const RemoteLocation = "remote"

// Request is a unit's request for expert work (tilaus): task, time, place, language,
// experience areas and the number of experts. It holds its assignments. Multi-day work is
// one request per day.
type Request struct {
	ID       RequestID `json:"id"`
	Unit     string    `json:"unit"`
	TaskType string    `json:"taskType"`
	Title    string    `json:"title,omitzero"`
	Start    time.Time `json:"start"`
	Minutes  int       `json:"minutes"`
	// Location is a host area code or [RemoteLocation].
	Location string `json:"location"`
	Language string `json:"language"`
	// Experience lists the requested areas (any of); empty means any.
	Experience []string `json:"experience,omitempty"`
	// Perspective is preferred (K3), or required with PerspectiveRequired (H2).
	Perspective         Perspective `json:"perspective,omitzero"`
	PerspectiveRequired bool        `json:"perspectiveRequired,omitzero"`
	Needed              int         `json:"needed"`
	// Reserve is the number of reserves proposed after the offers; the service's
	// CreateRequest fills 2 when a request arrives with Reserve < 0.
	Reserve int `json:"reserve"`
	// PreparationMinutes are the granted preparation minutes.
	PreparationMinutes int       `json:"preparationMinutes,omitzero"`
	OfferDeadline      time.Time `json:"offerDeadline,omitzero"`
	// ConflictCheck asks to exclude the unit's own current clients (H8).
	ConflictCheck bool         `json:"conflictCheck,omitzero"`
	State         RequestState `json:"state"`
	CancelReason  string       `json:"cancelReason,omitzero"`
	Assignments   []Assignment `json:"assignments,omitempty"`
	Version       int64        `json:"version"`
	CreatedAt     time.Time    `json:"createdAt"`
	UpdatedAt     time.Time    `json:"updatedAt"`
}

// End returns the exclusive end of the task (M1).
func (r Request) End() time.Time { return r.Start.Add(time.Duration(r.Minutes) * time.Minute) }

// Date returns the task's Helsinki date.
func (r Request) Date() osallisuus.Date { return osallisuus.DateOf(r.Start) }

// Clone returns a deep copy of r.
func (r Request) Clone() Request {
	c := r
	c.Experience = cloneSlice(r.Experience)
	c.Assignments = cloneSlice(r.Assignments)
	for i := range c.Assignments {
		c.Assignments[i] = c.Assignments[i].Clone()
	}
	return c
}

// Accepted returns the number of accepted assignments.
func (r Request) Accepted() int {
	n := 0
	for _, a := range r.Assignments {
		if a.Status == StatusAccepted {
			n++
		}
	}
	return n
}

// open returns M8's open places: Needed less the offered and accepted assignments.
func (r Request) open(now time.Time) int {
	n := r.Needed
	for _, a := range r.Assignments {
		if st := r.StatusOf(a, now); st == StatusOffered || st == StatusAccepted {
			n--
		}
	}
	return max(0, n)
}

// StatusOf returns the effective status of assignment a at now: an offer whose deadline
// has passed is expired (derived, spec §6); every other status is as stored.
func (r Request) StatusOf(a Assignment, now time.Time) AssignmentStatus {
	if a.Status == StatusOffered && !r.OfferDeadline.IsZero() && !now.Before(r.OfferDeadline) {
		return StatusExpired
	}
	return a.Status
}

// Effective returns the derived state at now (spec §6): an open request with Needed
// accepted is filled, a filled one below Needed is open, and an open or filled request
// whose task has ended is closed.
func (r Request) Effective(now time.Time) RequestState {
	switch r.State {
	case RequestOpen, RequestFilled:
		if !now.Before(r.End()) {
			return RequestClosed
		}
		if r.Accepted() >= r.Needed {
			return RequestFilled
		}
		return RequestOpen
	}
	return r.State
}

// Validate checks the request's fields against the settings and returns a
// *osallisuus.ValidationError naming every bad field, or nil. It does not compare the
// start with the clock: [Request.Open] does.
func (r Request) Validate(s Settings) error {
	ve := &osallisuus.ValidationError{Op: "validate request"}
	if r.Unit == "" {
		ve.Add("unit", osallisuus.CodeRequired)
	}
	switch {
	case r.TaskType == "":
		ve.Add("taskType", osallisuus.CodeRequired)
	case !s.knownTaskType(r.TaskType):
		ve.Add("taskType", osallisuus.CodeUnknown)
	}
	if r.Start.IsZero() {
		ve.Add("start", osallisuus.CodeRequired)
	}
	if r.Minutes < 1 || r.Minutes > 1440 {
		ve.AddParams("minutes", osallisuus.CodeOutOfRange, map[string]any{"min": 1, "max": 1440})
	}
	if r.Location == "" {
		ve.Add("location", osallisuus.CodeRequired)
	}
	if r.Language == "" {
		ve.Add("language", osallisuus.CodeRequired)
	}
	for i, c := range r.Experience {
		if !s.knownArea(c) {
			ve.Add("experience["+itoa(i)+"]", osallisuus.CodeUnknown)
		}
	}
	if r.Perspective > PerspectiveCloseRelative {
		ve.Add("perspective", osallisuus.CodeUnknown)
	}
	if r.PerspectiveRequired && r.Perspective == PerspectiveUnspecified {
		ve.Add("perspective", osallisuus.CodeRequired)
	}
	if r.Needed < 1 || r.Needed > 10000 {
		ve.AddParams("needed", osallisuus.CodeOutOfRange, map[string]any{"min": 1, "max": 10000})
	}
	if r.Reserve < 0 || r.Reserve > 10000 {
		ve.Add("reserve", osallisuus.CodeOutOfRange)
	}
	if r.PreparationMinutes < 0 || r.PreparationMinutes > 1440 {
		ve.Add("preparationMinutes", osallisuus.CodeOutOfRange)
	}
	return ve.Err()
}

// Choice is the expert's decision when an acceptance or a payout would pass a cap (E14).
// Only the expert or their representative makes it.
type Choice uint8

// The cap choices.
const (
	ChoiceNone Choice = iota
	// ChoiceAcknowledgeExceed: pay in full although a cap is passed.
	ChoiceAcknowledgeExceed
	// ChoiceWaiveFee: work without the fee; expenses are still paid.
	ChoiceWaiveFee
	// ChoiceLimitFeeToCap: pay up to the strictest cap and waive the rest.
	ChoiceLimitFeeToCap
)

var choiceNames = []string{"", "acknowledge-exceed", "waive-fee", "limit-fee-to-cap"}

// String returns the text form.
func (c Choice) String() string { return enumString(choiceNames, c) }

// MarshalText returns the text form.
func (c Choice) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText parses the text form.
func (c *Choice) UnmarshalText(b []byte) error { return enumUnmarshal(choiceNames, "choice", b, c) }

// CapDecision records an expert's cap choice: what, who and when (E14).
type CapDecision struct {
	Choice Choice    `json:"choice"`
	By     Actor     `json:"by"`
	At     time.Time `json:"at"`
}

// Assignment is one expert's part in one request (toimeksianto): offered → accepted →
// done → paid, or declined, expired, withdrawn, cancelled.
type Assignment struct {
	ID        AssignmentID     `json:"id"`
	Expert    ExpertID         `json:"expert"`
	Status    AssignmentStatus `json:"status"`
	OfferedAt time.Time        `json:"offeredAt"`
	// Warnings are the cap warnings returned with the offer or acceptance (E14).
	Warnings []CapWarning `json:"warnings,omitempty"`
	// ProjectedFeeCents is the fee counting toward caps as projected at the offer.
	ProjectedFeeCents int64 `json:"projectedFeeCents,omitzero"`
	// FeeWaived: this assignment is worked without a fee (E10).
	FeeWaived  bool         `json:"feeWaived,omitzero"`
	Decision   *CapDecision `json:"decision,omitempty"`
	AnsweredAt time.Time    `json:"answeredAt,omitzero"`
	// Activity optionally links a participation activity (activities.md).
	Activity string `json:"activity,omitzero"`
	// ActualMinutes, Travel and Receipts are the actuals recorded at completion.
	ActualMinutes      int       `json:"actualMinutes,omitzero"`
	Travel             Travel    `json:"travel,omitzero"`
	Receipts           []Receipt `json:"receipts,omitempty"`
	MealServed         bool      `json:"mealServed,omitzero"`
	PreparationMinutes int       `json:"preparationMinutes,omitzero"`
	CancelReason       string    `json:"cancelReason,omitzero"`
	// Impact is the impact record after the work is done (E18).
	Impact *Impact `json:"impact,omitempty"`
}

// Clone returns a deep copy of a.
func (a Assignment) Clone() Assignment {
	c := a
	c.Warnings = cloneSlice(a.Warnings)
	c.Receipts = cloneSlice(a.Receipts)
	if a.Decision != nil {
		d := *a.Decision
		c.Decision = &d
	}
	if a.Impact != nil {
		im := *a.Impact
		im.Outputs = cloneSlice(a.Impact.Outputs)
		im.Links = cloneSlice(a.Impact.Links)
		c.Impact = &im
	}
	return c
}
