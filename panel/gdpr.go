package panel

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
)

// GDPR data-subject rights on panel's data (issue 9): export (Art 15, 20), erasure
// (Art 17) and the retention job of rule P20. The host combines these with the other
// packages' parts (DESIGN.md).

// defaultRetentionYears is the retention of a finished call's applications, in years,
// when the host sets none (P20 leaves the length to the host).
const defaultRetentionYears = 1

// PendingErasure is an erasure of one participant still under way on a panel's
// meetings and calls: the participant and the tombstone ID that replaces them in this
// panel's roster, meetings and calls. [Service.ErasePersonalData] writes it with the
// roster change and removes it once the panel's meetings and calls are done, so it
// outlives an erasure only when that failed part-way; the next run reuses Tombstone,
// so every aggregate of the panel ends up naming the same tombstone.
type PendingErasure struct {
	Subject   osallisuus.ParticipantID `json:"subject"`
	Tombstone osallisuus.ParticipantID `json:"tombstone"`
}

// PersonalData (henkilötiedot) is everything package panel stores about one participant
// (GDPR Art 15 right of access, Art 20 portability), as stored: a derived transition that fell due
// since a panel's last update (an offer's deadline, a term's end) shows in the state
// the next time the panel changes, and OfferDeadline and Terms tell when. Every list is
// present in JSON (empty, never null) and sorted as its field says.
//
// Proposals are not part of it: a proposal is the panel's own (adopted at a meeting),
// it records no participant, and its texts, like minutes, are to hold no personal
// details (P13; redaction is the host's job), so nothing links a proposal to a person.
type PersonalData struct {
	// Subject is the participant the data is about.
	Subject osallisuus.ParticipantID `json:"subject"`
	// Memberships are their memberships of any panel, current and past, waitlist places
	// and offers included, by panel ID (byte order), then in roster order (the order
	// they began).
	Memberships []MembershipRecord `json:"memberships"`
	// Applications are their applications to open calls, by call ID.
	Applications []ApplicationRecord `json:"applications"`
	// Attendance is their recorded attendance at held meetings, by meeting start, then
	// meeting ID.
	Attendance []AttendanceRecord `json:"attendance"`
	// MinutesApprovals are the minutes they approved as chair or vice-chair, by approval
	// time, then meeting ID.
	MinutesApprovals []MinutesApproval `json:"minutesApprovals"`
	// RecordedAssents are the assents of minors (P4) they recorded as staff, by panel ID,
	// then time; the minor is not named.
	RecordedAssents []RecordedAssent `json:"recordedAssents"`
	// Events are the events about them waiting in panels' outboxes for the host to
	// deliver ([Service.TakeEvents]), by time, then panel ID, then outbox order.
	Events []Event `json:"events"`
}

// MembershipRecord is one of the subject's memberships with the panel it belongs to.
type MembershipRecord struct {
	// Panel, PanelKey and PanelName identify the panel (its ID, host key and name).
	Panel     PanelID         `json:"panel"`
	PanelKey  string          `json:"panelKey,omitzero"`
	PanelName osallisuus.Text `json:"panelName"`
	// WaitlistPosition is their place in the waitlist order (from 1) while waitlisted.
	WaitlistPosition int `json:"waitlistPosition,omitzero"`
	// Deputies are the participant IDs of the personal deputies (varajäsen) appointed
	// for them during this membership, in roster order: the deputy relation is about
	// both people, and only the opaque ID of the other is given.
	Deputies []osallisuus.ParticipantID `json:"deputies"`
	// Membership is the stored record: seat, state and end reason, role, the principal
	// when they are a deputy, voting, affiliation, appointment decision, the attributes
	// captured for quotas and reports (Profile, P20), waitlist priority and sequence,
	// suspension reason, offer deadline, a minor's assent, the consent decision that
	// admitted them, terms and the history of states and roles.
	Membership Membership `json:"membership"`
}

// ApplicationRecord is one of the subject's applications to an open call.
type ApplicationRecord struct {
	Call      CallID          `json:"call"`
	Panel     PanelID         `json:"panel"`
	PanelName osallisuus.Text `json:"panelName"`
	// CallState is the call's state at the export (open turns closed at ClosesAt).
	CallState CallState `json:"callState"`
	OpensAt   time.Time `json:"opensAt"`
	ClosesAt  time.Time `json:"closesAt"`
	// ManualRank is their place (from 1) in the host's ordered list of a manual
	// selection; 0 when not listed.
	ManualRank int `json:"manualRank,omitzero"`
	// Application is the stored application: the captured profile, priority, whether
	// they agreed to the waitlist, when they applied, its state and the screening.
	Application Application `json:"application"`
}

// AttendanceRecord is the subject's recorded status at one held meeting.
type AttendanceRecord struct {
	Meeting   MeetingID       `json:"meeting"`
	Panel     PanelID         `json:"panel"`
	PanelName osallisuus.Text `json:"panelName"`
	Start     time.Time       `json:"start"`
	Status    Attendance      `json:"status"`
}

// MinutesApproval records that the subject approved a meeting's minutes.
type MinutesApproval struct {
	Meeting    MeetingID       `json:"meeting"`
	Panel      PanelID         `json:"panel"`
	PanelName  osallisuus.Text `json:"panelName"`
	ApprovedAt time.Time       `json:"approvedAt"`
}

// RecordedAssent records that the subject, as staff, recorded a minor's assent on a panel.
type RecordedAssent struct {
	Panel     PanelID         `json:"panel"`
	PanelName osallisuus.Text `json:"panelName"`
	At        time.Time       `json:"at"`
}

// ExportPersonalData returns [PersonalData] of id: everything the store holds about
// them in panels, calls and meetings. It is read-only and reads every panel, call and
// meeting (a county has hundreds of panels; no store operation lists by participant).
// An unknown participant is not an error: the result is empty. A zero id is ErrInvalid.
func (s *Service) ExportPersonalData(ctx context.Context, id osallisuus.ParticipantID) (PersonalData, error) {
	if id.IsZero() {
		return PersonalData{}, invalid("export personal data", "id", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	out := PersonalData{Subject: id, Memberships: []MembershipRecord{}, Applications: []ApplicationRecord{},
		Attendance: []AttendanceRecord{}, MinutesApprovals: []MinutesApproval{},
		RecordedAssents: []RecordedAssent{}, Events: []Event{}}
	names := make(map[PanelID]osallisuus.Text)
	type evAt struct {
		e   Event
		pid PanelID
		i   int
	}
	var events []evAt
	for p, err := range s.store.ListPanels(ctx, PanelFilter{}) {
		if err != nil {
			return PersonalData{}, err
		}
		names[p.ID] = p.Name
		for i := range p.Members {
			m := &p.Members[i]
			if m.Assent != nil && m.Assent.RecordedBy == id {
				out.RecordedAssents = append(out.RecordedAssents, RecordedAssent{Panel: p.ID, PanelName: p.Name, At: m.Assent.At})
			}
			if m.Participant != id {
				continue
			}
			r := MembershipRecord{Panel: p.ID, PanelKey: p.Key, PanelName: p.Name, Deputies: deputiesOf(&p, m),
				Membership: m.clone()}
			if m.State == MemberWaitlisted {
				r.WaitlistPosition = p.Position(id)
			}
			out.Memberships = append(out.Memberships, r)
		}
		for i, e := range p.Outbox {
			if e.Who == id {
				events = append(events, evAt{e, p.ID, i})
			}
		}
	}
	for c, err := range s.store.ListCalls(ctx, CallFilter{}) {
		if err != nil {
			return PersonalData{}, err
		}
		i := c.application(id)
		if i < 0 {
			continue
		}
		r := ApplicationRecord{Call: c.ID, Panel: c.Panel, PanelName: names[c.Panel], CallState: c.StateAt(now),
			OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, Application: c.Applications[i]}
		if c.Selection != nil {
			if k := slices.Index(c.Selection.List, id); k >= 0 {
				r.ManualRank = k + 1
			}
		}
		out.Applications = append(out.Applications, r)
	}
	for m, err := range s.store.ListMeetings(ctx, MeetingFilter{}) {
		if err != nil {
			return PersonalData{}, err
		}
		if a, ok := m.Attendance[id]; ok {
			out.Attendance = append(out.Attendance, AttendanceRecord{Meeting: m.ID, Panel: m.Panel,
				PanelName: names[m.Panel], Start: m.Start, Status: a})
		}
		if m.Minutes != nil && m.Minutes.ApprovedBy == id {
			out.MinutesApprovals = append(out.MinutesApprovals, MinutesApproval{Meeting: m.ID, Panel: m.Panel,
				PanelName: names[m.Panel], ApprovedAt: m.Minutes.ApprovedAt})
		}
	}
	// Panels, calls and meetings come in ID order, and memberships in roster order, so
	// stable sorts by the documented keys are deterministic.
	slices.SortStableFunc(out.Applications, func(a, b ApplicationRecord) int { return compareUUID(a.Call.UUID, b.Call.UUID) })
	slices.SortStableFunc(out.Attendance, func(a, b AttendanceRecord) int {
		return cmp.Or(a.Start.Compare(b.Start), compareUUID(a.Meeting.UUID, b.Meeting.UUID))
	})
	slices.SortStableFunc(out.MinutesApprovals, func(a, b MinutesApproval) int {
		return cmp.Or(a.ApprovedAt.Compare(b.ApprovedAt), compareUUID(a.Meeting.UUID, b.Meeting.UUID))
	})
	slices.SortStableFunc(out.RecordedAssents, func(a, b RecordedAssent) int {
		return cmp.Or(compareUUID(a.Panel.UUID, b.Panel.UUID), a.At.Compare(b.At))
	})
	slices.SortStableFunc(out.Memberships, func(a, b MembershipRecord) int { return compareUUID(a.Panel.UUID, b.Panel.UUID) })
	slices.SortStableFunc(events, func(a, b evAt) int {
		return cmp.Or(a.e.At.Compare(b.e.At), compareUUID(a.pid.UUID, b.pid.UUID), cmp.Compare(a.i, b.i))
	})
	for _, e := range events {
		out.Events = append(out.Events, e.e)
	}
	return out, nil
}

func compareUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// clone returns a deep copy of m.
func (m Membership) clone() Membership {
	p := Panel{Members: []Membership{m}}.Clone()
	return p.Members[0]
}

// deputiesOf returns the personal deputies of m in p: memberships whose principal is
// m's participant and which began while m was theirs.
func deputiesOf(p *Panel, m *Membership) []osallisuus.ParticipantID {
	out := []osallisuus.ParticipantID{}
	for i := range p.Members {
		d := &p.Members[i]
		if d.DeputyOf != m.Participant || d.Since.Before(m.Since) || (!m.EndedAt.IsZero() && d.Since.After(m.EndedAt)) {
			continue
		}
		out = append(out, d.Participant)
	}
	return out
}

// Kinds of the erasure and retention reports of package panel.
const (
	// ErasedMemberships: memberships that held a seat or a deputy's place at some time
	// (active or suspended), kept for counts and reports with the captured attributes
	// blanked and the participant replaced by the panel's tombstone.
	ErasedMemberships = "memberships"
	// ErasedWaitlistPlaces: memberships that never held a seat (waitlist places and
	// offers, pending or past), deleted.
	ErasedWaitlistPlaces = "waitlist-places"
	// ErasedDeputyLinks: other members' deputy memberships whose principal was the
	// subject, re-linked to the tombstone.
	ErasedDeputyLinks = "deputy-links"
	// ErasedRecordedAssents: minors' assents the subject recorded as staff, re-linked
	// to the tombstone.
	ErasedRecordedAssents = "recorded-assents"
	// ErasedEvents: events about the subject waiting in a panel's outbox, deleted.
	ErasedEvents = "events"
	// ErasedApplications: applications to open calls: deleted from calls not yet
	// decided (draft, open, closed or cancelled), and blanked and tombstoned in decided
	// (selected) calls, whose selection record keeps its counts until the retention of
	// P20 purges the applications.
	ErasedApplications = "applications"
	// ErasedAttendance: attendance entries of held meetings, re-keyed to the tombstone.
	ErasedAttendance = "attendance"
	// ErasedMinutesApprovals: minutes approved by the subject, re-linked to the tombstone.
	ErasedMinutesApprovals = "minutes-approvals"
)

// tally counts what an erasure did, by kind, and what it keeps, by kind and last day.
type tally struct {
	erased   map[string]int
	retained map[retainKey]int
}

type retainKey struct {
	kind  string
	until osallisuus.Date
}

func newTally() *tally {
	return &tally{erased: make(map[string]int), retained: make(map[retainKey]int)}
}

func (t *tally) add(o *tally) {
	for k, n := range o.erased {
		t.erased[k] += n
	}
	for k, n := range o.retained {
		t.retained[k] += n
	}
}

func (t *tally) keep(kind string, until osallisuus.Date) {
	t.erased[kind]++
	t.retained[retainKey{kind, until}]++
}

func (t *tally) report(id osallisuus.ParticipantID, at time.Time) osallisuus.ErasureReport {
	r := osallisuus.ErasureReport{Package: "panel", Subject: id, At: at,
		Erased: []osallisuus.ItemCount{}, Retained: []osallisuus.Retained{}}
	for _, k := range slices.Sorted(maps.Keys(t.erased)) {
		if n := t.erased[k]; n > 0 {
			r.Erased = append(r.Erased, osallisuus.ItemCount{Kind: k, Count: n})
		}
	}
	keys := slices.SortedFunc(maps.Keys(t.retained), func(a, b retainKey) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), a.until.Compare(b.until))
	})
	for _, k := range keys {
		r.Retained = append(r.Retained, osallisuus.Retained{Kind: k.kind, Count: t.retained[k],
			Basis: osallisuus.BasisAggregate, Until: k.until})
	}
	return r
}

// mentions reports whether p holds anything about id.
func (p *Panel) mentions(id osallisuus.ParticipantID) bool {
	for i := range p.Members {
		m := &p.Members[i]
		if m.Participant == id || m.DeputyOf == id || (m.Assent != nil && m.Assent.RecordedBy == id) {
			return true
		}
	}
	return slices.ContainsFunc(p.Outbox, func(e Event) bool { return e.Who == id }) ||
		slices.ContainsFunc(p.Erasures, func(e PendingErasure) bool { return e.Subject == id })
}

func (c *Call) mentions(id osallisuus.ParticipantID) bool {
	if c.application(id) >= 0 {
		return true
	}
	s := c.Selection
	return s != nil && (slices.Contains(s.List, id) || slices.Contains(s.Selected, id) || slices.Contains(s.Reserve, id))
}

func (m *Meeting) mentions(id osallisuus.ParticipantID) bool {
	_, ok := m.Attendance[id]
	return ok || (m.Minutes != nil && m.Minutes.ApprovedBy == id)
}

// heldPlace reports whether m was ever active or suspended (its history says so, or it
// has a term, which only an active membership gets): a seat, or a deputy's place, that
// meetings, quorum and reports may count.
func (m *Membership) heldPlace() bool {
	return len(m.Terms) > 0 || slices.ContainsFunc(m.History, func(c Change) bool {
		return c.State == MemberActive || c.State == MemberSuspended
	})
}

// eraseMember takes id out of p and blanks what p holds about them (GDPR Art 17),
// replacing them with tombstone: an ended membership that held a place keeps its seat
// type, states, roles, terms, dates, voting and affiliation for counts and reports,
// with the participant replaced and the captured attributes blanked (profile, waitlist
// priority, appointment decision, suspension reason, offer deadline, assent and the
// consent record, whose event ID would link back to the consent ledger); memberships
// that never held a place are deleted; deputies of id are re-linked to tombstone, as
// are assents id recorded; outbox events about id are deleted. It does not end a live
// membership: call [Panel.Leave] first (the service does). It adds to t.
func (p *Panel) eraseMember(id, tombstone osallisuus.ParticipantID, t *tally) {
	kept := p.Members[:0]
	for _, m := range p.Members {
		if m.Assent != nil && m.Assent.RecordedBy == id {
			a := *m.Assent
			a.RecordedBy = tombstone
			m.Assent = &a
			t.erased[ErasedRecordedAssents]++
		}
		if m.DeputyOf == id {
			m.DeputyOf = tombstone
			t.erased[ErasedDeputyLinks]++
		}
		if m.Participant == id {
			if !m.heldPlace() {
				t.erased[ErasedWaitlistPlaces]++
				continue
			}
			m.Participant, m.Profile, m.Priority, m.Decision, m.Suspension = tombstone, Profile{}, 0, "", ""
			m.OfferDeadline, m.Assent, m.Consent = time.Time{}, nil, nil
			t.keep(ErasedMemberships, osallisuus.Date{})
		}
		kept = append(kept, m)
	}
	clear(p.Members[len(kept):])
	p.Members = kept
	p.Outbox = slices.DeleteFunc(p.Outbox, func(e Event) bool { return e.Who == id })
}

// ErasePersonalData erases what package panel stores about id (GDPR Art 17) and
// reports it. Every panel, call and meeting that mentions id is changed in its own
// atomic update, each panel first, then its calls and meetings:
//
//   - A live membership (waitlisted, offered, active or suspended) ends at once as a
//     leave (P1, end reason "left": the erasure is the person's own withdrawal and a
//     leave is never refused); a freed seat goes to the next person waiting (P7, with
//     consent asked as for any leave); their personal deputy ends principal-ended. No
//     consent event is made.
//   - Memberships are then erased as [Panel] rules allow for history: the ones that
//     held a place stay for counts and reports, anonymised under a fresh random
//     tombstone ID (one per panel, shared by its meetings and calls, so quorum and
//     attendance still add up), kind "memberships"; waitlist places and offers that
//     never became a seat are deleted, "waitlist-places"; deputies' links to them
//     ("deputy-links") and assents they recorded ("recorded-assents") name the
//     tombstone; outbox events about them are deleted ("events").
//   - Applications ("applications"): deleted from calls not yet decided; in selected
//     calls blanked (profile, priority, screening reason) and tombstoned in the
//     application and the selection record, so the call's counts stay until the P20
//     retention purges them (Retained Until is that call's last day of retention).
//   - Held meetings: their attendance entry ("attendance") and a minutes approval
//     ("minutes-approvals") name the tombstone.
//
// Proposals hold no participant and are not touched. Erased counts what this call
// changed, by kind in name order; Retained lists the anonymised rows kept (basis
// [osallisuus.BasisAggregate]), by kind then Until. Nothing links a tombstone back to
// id, so erasing again finds nothing: it changes nothing and reports empty Erased and
// Retained (the Retained of the first erasure cannot be recomputed without keeping the
// link that erasure removes). A failure part-way leaves every aggregate either
// unchanged or wholly erased; running the erasure again finishes the job with the same
// tombstone per panel (see [PendingErasure]). Like the export it reads every panel,
// call and meeting to find them; something written about id by an operation racing the
// erasure (an offer from a selection decided meanwhile, say) may be missed, and a
// second run erases it. A zero id is ErrInvalid; an unknown one gets an empty report.
func (s *Service) ErasePersonalData(ctx context.Context, id osallisuus.ParticipantID) (osallisuus.ErasureReport, error) {
	if id.IsZero() {
		return osallisuus.ErasureReport{}, invalid("erase personal data", "id", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	total := newTally()
	// Find everything first: listings must not be held open while updating.
	type work struct {
		live     bool
		calls    []CallID
		meetings []MeetingID
	}
	panels := make(map[PanelID]*work)
	at := func(pid PanelID) *work {
		w := panels[pid]
		if w == nil {
			w = &work{}
			panels[pid] = w
		}
		return w
	}
	for p, err := range s.store.ListPanels(ctx, PanelFilter{}) {
		if err != nil {
			return osallisuus.ErasureReport{}, err
		}
		if p.mentions(id) {
			at(p.ID).live = p.Live(id)
		}
	}
	for c, err := range s.store.ListCalls(ctx, CallFilter{}) {
		if err != nil {
			return osallisuus.ErasureReport{}, err
		}
		if c.mentions(id) {
			w := at(c.Panel)
			w.calls = append(w.calls, c.ID)
		}
	}
	for m, err := range s.store.ListMeetings(ctx, MeetingFilter{}) {
		if err != nil {
			return osallisuus.ErasureReport{}, err
		}
		if m.mentions(id) {
			w := at(m.Panel)
			w.meetings = append(w.meetings, m.ID)
		}
	}
	for _, pid := range slices.SortedFunc(maps.Keys(panels), func(a, b PanelID) int { return compareUUID(a.UUID, b.UUID) }) {
		w := panels[pid]
		pending := len(w.calls)+len(w.meetings) > 0
		tomb, err := s.erasePanel(ctx, pid, id, w.live, pending, now, total)
		if err != nil {
			return osallisuus.ErasureReport{}, err
		}
		for _, cid := range w.calls {
			if err := s.eraseCall(ctx, cid, id, tomb, total); err != nil {
				return osallisuus.ErasureReport{}, err
			}
		}
		for _, mid := range w.meetings {
			if err := s.eraseMeeting(ctx, mid, id, tomb, total); err != nil {
				return osallisuus.ErasureReport{}, err
			}
		}
		if pending {
			_, err := s.store.UpdatePanel(ctx, pid, func(p *Panel) error {
				p.Erasures = slices.DeleteFunc(p.Erasures, func(e PendingErasure) bool { return e.Subject == id })
				return nil
			})
			if err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
				return osallisuus.ErasureReport{}, err
			}
		}
	}
	return total.report(id, now), nil
}

// newTombstone returns a fresh random (version 4) ID: unlike the time-ordered IDs it
// tells nothing of when it was made.
func newTombstone() (osallisuus.ParticipantID, error) {
	u, err := uuid.NewRandom()
	if err != nil {
		return osallisuus.ParticipantID{}, fmt.Errorf("new tombstone: %w", err)
	}
	return osallisuus.ParticipantID{UUID: u}, nil
}

// erasePanel is the roster step of an erasure on panel pid, one atomic update: leave
// (when live), erase the member, and record the pending erasure when the panel's
// meetings or calls still follow (else drop one left by an earlier run). It returns the
// panel's tombstone. A panel that no longer exists gets a fresh tombstone.
func (s *Service) erasePanel(ctx context.Context, pid PanelID, id osallisuus.ParticipantID, live, pending bool,
	now time.Time, total *tally) (osallisuus.ParticipantID, error) {
	fresh, err := newTombstone()
	if err != nil {
		return osallisuus.ParticipantID{}, err
	}
	cons := &Consents{}
	if live {
		cons = s.prefetch(ctx, pid, now)
	}
	var (
		tomb osallisuus.ParticipantID
		t    *tally
	)
	leave := func(p *Panel) error {
		if p.Live(id) {
			if _, err := p.Leave(id, cons, now); err != nil {
				return err
			}
		}
		return nil
	}
	fn := func(p *Panel) error {
		t, tomb = newTally(), fresh
		if i := slices.IndexFunc(p.Erasures, func(e PendingErasure) bool { return e.Subject == id }); i >= 0 {
			tomb = p.Erasures[i].Tombstone
		}
		// Events about id already waiting are erased; those of this leave are never kept.
		for _, e := range p.Outbox {
			if e.Who == id {
				t.erased[ErasedEvents]++
			}
		}
		if err := change(now, cons, leave)(p); err != nil {
			return err
		}
		p.eraseMember(id, tomb, t)
		p.Erasures = slices.DeleteFunc(p.Erasures, func(e PendingErasure) bool { return e.Subject == id })
		if pending {
			p.Erasures = append(p.Erasures, PendingErasure{Subject: id, Tombstone: tomb})
		}
		return nil
	}
	for {
		_, err := s.store.UpdatePanel(ctx, pid, fn)
		if need, ok := errors.AsType[*NeedConsentError](err); ok {
			if err := s.fetch(ctx, cons, need.Query); err != nil {
				return osallisuus.ParticipantID{}, err
			}
			continue
		}
		if errors.Is(err, osallisuus.ErrNotFound) {
			return fresh, nil
		}
		if err != nil {
			return osallisuus.ParticipantID{}, err
		}
		total.add(t)
		return tomb, nil
	}
}

// eraseCall erases id from call cid in one atomic update: the application is deleted
// from a call not yet decided, and blanked and tombstoned in a selected one (with the
// selection record).
func (s *Service) eraseCall(ctx context.Context, cid CallID, id, tomb osallisuus.ParticipantID, total *tally) error {
	var t *tally
	_, err := s.store.UpdateCall(ctx, cid, func(c *Call) error {
		t = newTally()
		c.eraseApplicant(id, tomb, s.retention, t)
		return nil
	})
	if errors.Is(err, osallisuus.ErrNotFound) {
		return nil
	}
	if err == nil {
		total.add(t)
	}
	return err
}

func (c *Call) eraseApplicant(id, tomb osallisuus.ParticipantID, retention osallisuus.Period, t *tally) {
	sel := c.Selection
	if c.State != CallSelected || sel == nil {
		n := len(c.Applications)
		c.Applications = slices.DeleteFunc(c.Applications, func(a Application) bool { return a.Participant == id })
		t.erased[ErasedApplications] += n - len(c.Applications)
		return
	}
	until := retention.LastDay(osallisuus.DateOf(sel.At))
	for i := range c.Applications {
		if a := &c.Applications[i]; a.Participant == id {
			a.Participant, a.Profile, a.Priority, a.ScreenReason = tomb, Profile{}, 0, ""
			t.keep(ErasedApplications, until)
		}
	}
	for _, l := range [][]osallisuus.ParticipantID{sel.List, sel.Selected, sel.Reserve} {
		for i := range l {
			if l[i] == id {
				l[i] = tomb
			}
		}
	}
}

// eraseMeeting re-keys id's attendance and minutes approval in meeting mid to tomb, in
// one atomic update.
func (s *Service) eraseMeeting(ctx context.Context, mid MeetingID, id, tomb osallisuus.ParticipantID, total *tally) error {
	var t *tally
	_, err := s.store.UpdateMeeting(ctx, mid, func(m *Meeting) error {
		t = newTally()
		if a, ok := m.Attendance[id]; ok {
			delete(m.Attendance, id)
			m.Attendance[tomb] = a
			t.keep(ErasedAttendance, osallisuus.Date{})
		}
		if m.Minutes != nil && m.Minutes.ApprovedBy == id {
			m.Minutes.ApprovedBy = tomb
			t.keep(ErasedMinutesApprovals, osallisuus.Date{})
		}
		return nil
	})
	if errors.Is(err, osallisuus.ErrNotFound) {
		return nil
	}
	if err == nil {
		total.add(t)
	}
	return err
}

// PurgedApplications is the kind of the retention report: applications of finished
// calls whose retention ended.
const PurgedApplications = "applications"

// finishedAt returns when c finished, for the retention of P20: a selected call at its
// selection, a cancelled one at its ClosesAt (the call keeps no cancellation time, and
// it finished no later than that); false for calls still to be decided (draft, open,
// and closed but not selected: cancel those to let the retention run).
func (c *Call) finishedAt() (time.Time, bool) {
	switch {
	case c.State == CallSelected && c.Selection != nil:
		return c.Selection.At, true
	case c.State == CallCancelled:
		return c.ClosesAt, true
	}
	return time.Time{}, false
}

// purgeExpired deletes the applications of c, and the participants of its selection
// record (the host's list, the selected and the reserves), when c finished and its
// retention ended at or before now (00:00 Helsinki after the period's last day,
// [osallisuus.Period.EndAfter]). It returns how many applications went.
func (c *Call) purgeExpired(retention osallisuus.Period, now time.Time) int {
	fin, ok := c.finishedAt()
	if !ok || now.Before(retention.EndAfter(fin)) {
		return 0
	}
	n := len(c.Applications)
	c.Applications = nil
	if s := c.Selection; s != nil {
		s.List, s.Selected, s.Reserve = nil, nil, nil
	}
	return n
}

// ApplyRetention purges what P20 lets the host purge: the applications of every
// finished call (selected, at its selection; cancelled, at its ClosesAt) whose
// retention (ServiceConfig.ApplicationRetention, default one year, counted in Helsinki
// calendar days from the day the call finished) has ended by now. It deletes the
// applications and the participant lists of the call's selection record; the call
// itself (window, seats, state, method, seed, justification) stays. Each call is one
// atomic update; memberships made from a selection are the panel's and stay. The report
// counts the purged applications (kind "applications"); a call with nothing left to
// purge is not updated, so running it again purges nothing.
func (s *Service) ApplyRetention(ctx context.Context) (osallisuus.RetentionReport, error) {
	now := s.clock.Now()
	rep := osallisuus.RetentionReport{Package: "panel", At: now, Purged: []osallisuus.ItemCount{}}
	var due []CallID
	for c, err := range s.store.ListCalls(ctx, CallFilter{}) {
		if err != nil {
			return osallisuus.RetentionReport{}, err
		}
		if fin, ok := c.finishedAt(); ok && hasPurgeable(&c) && !now.Before(s.retention.EndAfter(fin)) {
			due = append(due, c.ID)
		}
	}
	total := 0
	for _, cid := range due {
		n := 0
		_, err := s.store.UpdateCall(ctx, cid, func(c *Call) error {
			n = c.purgeExpired(s.retention, now)
			return nil
		})
		if err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
			return osallisuus.RetentionReport{}, err
		}
		if err == nil {
			total += n
		}
	}
	if total > 0 {
		rep.Purged = append(rep.Purged, osallisuus.ItemCount{Kind: PurgedApplications, Count: total})
	}
	return rep, nil
}

// hasPurgeable reports whether c still holds applications or selection entries.
func hasPurgeable(c *Call) bool {
	s := c.Selection
	return len(c.Applications) > 0 || (s != nil && len(s.List)+len(s.Selected)+len(s.Reserve) > 0)
}
