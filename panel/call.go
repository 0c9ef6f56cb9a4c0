package panel

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// CallState is the state of an open call (avoin haku, spec §4.6).
type CallState string

// The call states. An open call is closed from ClosesAt on (derived).
const (
	CallDraft     CallState = "draft"
	CallOpen      CallState = "open"
	CallClosed    CallState = "closed"
	CallSelected  CallState = "selected"
	CallCancelled CallState = "cancelled"
)

// ApplicationState is the state of an [Application].
type ApplicationState string

// The application states.
const (
	AppSubmitted   ApplicationState = "submitted"
	AppScreened    ApplicationState = "screened"
	AppSelected    ApplicationState = "selected"
	AppReserve     ApplicationState = "reserve"
	AppNotSelected ApplicationState = "not-selected"
	AppWithdrawn   ApplicationState = "withdrawn"
)

// Method is a selection method of an open call (P19).
type Method string

// The selection methods.
const (
	MethodFirstCome  Method = "first-come"
	MethodPriority   Method = "priority"
	MethodRandomDraw Method = "random-draw"
	MethodManual     Method = "manual"
)

// Application is one participant's application to an open call.
type Application struct {
	Participant osallisuus.ParticipantID `json:"participant"`
	Profile     Profile                  `json:"profile"`
	Priority    int                      `json:"priority,omitzero"`
	// Reserve: the applicant agrees to the waitlist if not selected.
	Reserve      bool             `json:"reserve,omitzero"`
	At           time.Time        `json:"at"`
	State        ApplicationState `json:"state"`
	Eligible     bool             `json:"eligible,omitzero"`
	ScreenReason string           `json:"screenReason,omitzero"`
}

// Selection records how a call was decided.
type Selection struct {
	Method        Method                     `json:"method"`
	Seed          [2]uint64                  `json:"seed,omitzero"`
	List          []osallisuus.ParticipantID `json:"list,omitempty"`
	Justification string                     `json:"justification,omitzero"`
	At            time.Time                  `json:"at"`
	Selected      []osallisuus.ParticipantID `json:"selected"`
	Reserve       []osallisuus.ParticipantID `json:"reserve"`
}

// Call is an open call (avoin haku): a recruitment round for user seats of an open panel.
type Call struct {
	ID           CallID        `json:"id"`
	Panel        PanelID       `json:"panel"`
	OpensAt      time.Time     `json:"opensAt"`
	ClosesAt     time.Time     `json:"closesAt"`
	Seats        int           `json:"seats"`
	State        CallState     `json:"state"`
	Applications []Application `json:"applications"` // in the order received
	Selection    *Selection    `json:"selection,omitempty"`
	CreatedAt    time.Time     `json:"createdAt"`
	Version      int64         `json:"version"`
}

// Clone returns a deep copy of c.
func (c Call) Clone() Call {
	c.Applications = slices.Clone(c.Applications)
	if c.Selection != nil {
		s := *c.Selection
		s.List, s.Selected, s.Reserve = slices.Clone(s.List), slices.Clone(s.Selected), slices.Clone(s.Reserve)
		c.Selection = &s
	}
	return c
}

// StateAt returns the call's state at t, with the derived close at ClosesAt.
func (c *Call) StateAt(t time.Time) CallState {
	if c.State == CallOpen && !t.Before(c.ClosesAt) {
		return CallClosed
	}
	return c.State
}

func (c *Call) application(who osallisuus.ParticipantID) int {
	for i := range c.Applications {
		if c.Applications[i].Participant == who {
			return i
		}
	}
	return -1
}

// OpenCall creates and publishes an open call of p (4.6): the window OpensAt < ClosesAt
// and at least one seat; ErrConflict unless the panel is active, ErrForbidden on an
// appointed panel (councils.md C2).
func OpenCall(p *Panel, id CallID, opensAt, closesAt time.Time, seats int, now time.Time) (Call, error) {
	const op = "open call"
	ve := &osallisuus.ValidationError{Op: op}
	if opensAt.IsZero() {
		ve.Add("opensAt", osallisuus.CodeRequired)
	}
	if closesAt.IsZero() {
		ve.Add("closesAt", osallisuus.CodeRequired)
	} else if !opensAt.IsZero() && !opensAt.Before(closesAt) {
		ve.Add("closesAt", osallisuus.CodeOrder)
	}
	if seats < 1 {
		ve.Add("seats", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return Call{}, err
	}
	if err := p.requireActive(op); err != nil {
		return Call{}, err
	}
	if p.Config.Admission == AdmissionAppointed {
		return Call{}, forbidden(op, ReasonAppointedPanel)
	}
	return Call{ID: id, Panel: p.ID, OpensAt: opensAt.UTC(), ClosesAt: closesAt.UTC(), Seats: seats,
		State: CallOpen, CreatedAt: now}, nil
}

// Apply adds an application (4.6): inside [OpensAt, ClosesAt), one per participant, not
// from someone holding a live membership of the panel.
func (c *Call) Apply(p *Panel, a Application, now time.Time) error {
	const op = "apply"
	if err := p.requireActive(op); err != nil {
		return err
	}
	switch {
	case c.State == CallSelected || c.State == CallCancelled:
		return conflict(op, osallisuus.Reason(c.State))
	case now.Before(c.OpensAt):
		return conflict(op, ReasonNotOpen)
	case !now.Before(c.ClosesAt):
		return conflict(op, ReasonClosed)
	case c.application(a.Participant) >= 0:
		return conflict(op, ReasonExists)
	case p.Live(a.Participant):
		return conflict(op, ReasonAlreadyMember)
	}
	a.At, a.State, a.Eligible, a.ScreenReason = now, AppSubmitted, false, ""
	c.Applications = append(c.Applications, a)
	return nil
}

// Screen records the host's screening of who's application: eligible, or ineligible
// with a reason.
func (c *Call) Screen(who osallisuus.ParticipantID, eligible bool, reason string) error {
	const op = "screen application"
	if !eligible && strings.TrimSpace(reason) == "" {
		return invalid(op, "reason", osallisuus.CodeRequired)
	}
	i := c.application(who)
	if i < 0 {
		return osallisuus.NotFound("application of", who)
	}
	a := &c.Applications[i]
	if a.State != AppSubmitted {
		return conflict(op, osallisuus.Reason(a.State))
	}
	a.State, a.Eligible, a.ScreenReason = AppScreened, eligible, reason
	return nil
}

// SelectRequest says how to select: the method, the seed of a random draw, the host's
// ordered list and justification of a manual selection.
type SelectRequest struct {
	Method        Method
	Seed          [2]uint64
	List          []osallisuus.ParticipantID
	Justification string
}

// Select decides a closed call (P19) on the panel p: it fills each unmet reserved quota
// first (declared order) with admissible eligible applicants of it, then the other seats
// in method order while admissible, at most Seats; the selected are offered a seat from
// now (accepted like any offer, consent checked then). Eligible applicants not selected
// who said yes to it join the waitlist in order while it has room. Holders of a live
// membership are skipped. It changes p and c together.
func (c *Call) Select(p *Panel, req SelectRequest, now time.Time) (Selection, error) {
	const op = "select applicants"
	ve := &osallisuus.ValidationError{Op: op}
	switch req.Method {
	case MethodFirstCome, MethodPriority:
	case MethodRandomDraw:
	case MethodManual:
		if strings.TrimSpace(req.Justification) == "" {
			ve.Add("justification", osallisuus.CodeRequired)
		}
	default:
		ve.Add("method", required(string(req.Method)))
	}
	if err := ve.Err(); err != nil {
		return Selection{}, err
	}
	if err := p.requireActive(op); err != nil {
		return Selection{}, err
	}
	if s := c.StateAt(now); s != CallClosed {
		return Selection{}, conflict(op, osallisuus.Reason(s))
	}
	var eligible []int
	for i := range c.Applications {
		switch a := &c.Applications[i]; {
		case a.State == AppSubmitted:
			return Selection{}, conflict(op, ReasonNotScreened)
		case a.State == AppScreened && a.Eligible:
			eligible = append(eligible, i)
		}
	}
	order, err := c.order(eligible, req)
	if err != nil {
		return Selection{}, err
	}
	sel := Selection{Method: req.Method, Seed: req.Seed, List: slices.Clone(req.List),
		Justification: req.Justification, At: now}
	taken := make(map[int]bool)
	offer := func(i int) {
		a := &c.Applications[i]
		m := Membership{Participant: a.Participant, Seat: SeatUser, Voting: true, Profile: a.Profile,
			Priority: a.Priority, Since: now, OfferDeadline: AddWallClock(now, p.Config.Waitlist.OfferTTL)}
		m.set(now, MemberOffered, RoleMember)
		p.Members = append(p.Members, m)
		a.State = AppSelected
		taken[i] = true
		sel.Selected = append(sel.Selected, a.Participant)
	}
	usable := func(i int) bool {
		return !taken[i] && !p.Live(c.Applications[i].Participant) && len(sel.Selected) < c.Seats &&
			p.Admissible(c.Applications[i].Profile) == ""
	}
	for qi := range p.Config.Quotas {
		q := &p.Config.Quotas[qi]
		if !q.Reserve {
			continue
		}
		for _, i := range order {
			if p.quotaCount(q) >= q.Min {
				break
			}
			if inQuota(q, c.Applications[i].Profile) && usable(i) {
				offer(i)
			}
		}
	}
	for _, i := range order {
		if usable(i) {
			offer(i)
		}
	}
	w := p.Config.Waitlist
	for _, i := range order {
		a := &c.Applications[i]
		if taken[i] {
			continue
		}
		a.State = AppNotSelected
		if !a.Reserve || p.Live(a.Participant) || !w.Enabled || (w.MaxLength > 0 && len(p.Waitlist()) >= w.MaxLength) {
			continue
		}
		p.NextSeq++
		m := Membership{Participant: a.Participant, Seat: SeatUser, Voting: true, Profile: a.Profile,
			Priority: a.Priority, Seq: p.NextSeq, Since: now}
		m.set(now, MemberWaitlisted, RoleMember)
		p.Members = append(p.Members, m)
		a.State = AppReserve
		sel.Reserve = append(sel.Reserve, a.Participant)
	}
	c.State, c.Selection = CallSelected, &sel
	return sel, nil
}

// order returns the eligible applications in the method's order.
func (c *Call) order(eligible []int, req SelectRequest) ([]int, error) {
	order := slices.Clone(eligible)
	switch req.Method {
	case MethodPriority:
		slices.SortStableFunc(order, func(a, b int) int {
			return c.Applications[b].Priority - c.Applications[a].Priority
		})
	case MethodRandomDraw:
		r := rand.New(rand.NewPCG(req.Seed[0], req.Seed[1]))
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	case MethodManual:
		seen := make(map[int]bool)
		var head []int
		for k, who := range req.List {
			i := c.application(who)
			if i < 0 || !slices.Contains(eligible, i) || seen[i] {
				return nil, invalid("select applicants", "list["+strconv.Itoa(k)+"]", osallisuus.CodeNotAllowed)
			}
			seen[i] = true
			head = append(head, i)
		}
		for _, i := range eligible {
			if !seen[i] {
				head = append(head, i)
			}
		}
		order = head
	}
	return order, nil
}
