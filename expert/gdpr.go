package expert

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// GDPR export, erasure and retention of what package expert stores about one participant
// (issue 9). What the package holds about a person: their expert records (the person is
// Expert.Participant; a returning person has several records linked by Previous), with
// the profile, checks and training details, commitments and fee totals; their
// assignments inside requests (linked by the expert ID); their supervision and debriefing
// sessions; and their payout records.

// The item kinds of [Service.ErasePersonalData], [Service.ApplyRetention] and their
// reports.
const (
	// KindExpertProfiles: expert records whose profile was blanked (experience areas,
	// languages, areas, availability, preferences, travel estimates; on erasure also the
	// caps and the fee-waiving choice).
	KindExpertProfiles = "expert-profiles"
	// KindTrainingDetails: checks whose training details (course, provider, hours,
	// recognition decision) were removed; the check's name and dates stay.
	KindTrainingDetails = "training-details"
	// KindImpactReflections: the expert's own reflections in impact records (E18),
	// written by the person and private to them and the coordinator.
	KindImpactReflections = "impact-reflections"
	// KindExpertRecords: expert records kept with IDs, states, dates, check names and
	// dates, commitments and fee totals (E3: "IDs, dates and payout records stay").
	KindExpertRecords = "expert-records"
	// KindAssignments: assignments in requests (offers of any outcome included), kept for
	// the requests' counts and reports.
	KindAssignments = "assignments"
	// KindSessions: supervision and debriefing sessions, kept as activity counts.
	KindSessions = "sessions"
	// KindPayouts: payout records, kept under accounting law.
	KindPayouts = "payouts"
)

var (
	defaultProfileRetention    = osallisuus.Period{Years: 1}
	defaultAccountingRetention = osallisuus.Period{Years: 6}
)

func validRetention(p osallisuus.Period) bool {
	return p.Years >= 0 && p.Months >= 0 && p.Weeks >= 0 && p.Days >= 0 &&
		p.Years <= 100 && p.Months <= 1200 && p.Weeks <= 5200 && p.Days <= 36500
}

func orPeriod(p, def osallisuus.Period) osallisuus.Period {
	if p.IsZero() {
		return def
	}
	return p
}

// PersonalData is everything package expert stores about one participant (GDPR Art 15
// right of access, Art 20 portability). Every slice is non-nil (an empty list in JSON).
type PersonalData struct {
	// Experts are the participant's expert records, whole: state, pause and retirement
	// dates, checks with training details, the profile with the experience areas
	// (special-category data), languages, areas, availability, preferences, caps and
	// travel estimates, the commitments (the expert's side of each assignment) and fee
	// totals. Sorted by ID (its bytes).
	Experts []Expert `json:"experts"`
	// Assignments are their offers and assignments in requests, of any status, each with
	// its request's context. Sorted by task start, then request ID, then assignment ID.
	Assignments []AssignmentRecord `json:"assignments"`
	// Sessions are their supervision and debriefing sessions, sorted by date, then ID.
	Sessions []Session `json:"sessions"`
	// Payouts are their payout records (amounts in euro cents), sorted by payment date,
	// then ID.
	Payouts []Payout `json:"payouts"`
}

// AssignmentRecord is one of a participant's assignments with its request's context, as
// [PersonalData] lists it.
type AssignmentRecord struct {
	Request  RequestID `json:"request"`
	Unit     string    `json:"unit"`
	TaskType string    `json:"taskType"`
	Title    string    `json:"title,omitzero"`
	// Start and Minutes are the task's time; Location its area code or "remote".
	Start    time.Time `json:"start"`
	Minutes  int       `json:"minutes"`
	Location string    `json:"location"`
	// Status is the effective status at the export (an offer past its deadline is
	// expired); Assignment.Status is the stored one.
	Status AssignmentStatus `json:"status"`
	// Assignment is the stored assignment: offer and answer times, cap warnings and
	// decisions, actuals (minutes, travel, receipts), the impact record.
	Assignment Assignment `json:"assignment"`
}

// ExportPersonalData returns [PersonalData] of the participant id: every expert record of
// theirs and, through those records' IDs, their assignments, sessions and payouts.
// Read-only. A participant the package knows nothing about is not an error: the result
// is empty. A zero id is ErrInvalid (field "participant").
func (s *Service) ExportPersonalData(ctx context.Context, id osallisuus.ParticipantID) (PersonalData, error) {
	if id.IsZero() {
		return PersonalData{}, osallisuus.Invalid("participant", osallisuus.CodeRequired)
	}
	return s.personalData(ctx, id, s.clock.Now())
}

func (s *Service) personalData(ctx context.Context, id osallisuus.ParticipantID, now time.Time) (PersonalData, error) {
	out := PersonalData{Experts: []Expert{}, Assignments: []AssignmentRecord{}, Sessions: []Session{}, Payouts: []Payout{}}
	for e, err := range s.store.ListExperts(ctx, ExpertFilter{Participant: id}) {
		if err != nil {
			return PersonalData{}, err
		}
		if e.Participant == id { // the filter's own condition, checked again
			out.Experts = append(out.Experts, e)
		}
	}
	for _, e := range out.Experts {
		for _, rid := range requestsOf(e) {
			r, err := s.store.GetRequest(ctx, rid)
			if errors.Is(err, osallisuus.ErrNotFound) {
				continue
			}
			if err != nil {
				return PersonalData{}, err
			}
			for _, a := range r.Assignments {
				if a.Expert == e.ID {
					out.Assignments = append(out.Assignments, AssignmentRecord{Request: r.ID, Unit: r.Unit,
						TaskType: r.TaskType, Title: r.Title, Start: r.Start, Minutes: r.Minutes, Location: r.Location,
						Status: r.StatusOf(a, now), Assignment: a})
				}
			}
		}
		for x, err := range s.store.Sessions(ctx, e.ID) {
			if err != nil {
				return PersonalData{}, err
			}
			out.Sessions = append(out.Sessions, x)
		}
		for p, err := range s.store.ListPayouts(ctx, PayoutFilter{Expert: e.ID}) {
			if err != nil {
				return PersonalData{}, err
			}
			out.Payouts = append(out.Payouts, p)
		}
	}
	slices.SortFunc(out.Experts, func(a, b Expert) int { return cmp.Compare(a.ID.String(), b.ID.String()) })
	slices.SortFunc(out.Assignments, func(a, b AssignmentRecord) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Request.String(), b.Request.String()),
			cmp.Compare(a.Assignment.ID.String(), b.Assignment.ID.String()))
	})
	slices.SortFunc(out.Sessions, func(a, b Session) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID.String(), b.ID.String()))
	})
	slices.SortFunc(out.Payouts, func(a, b Payout) int {
		return cmp.Or(a.PaymentDate.Compare(b.PaymentDate), cmp.Compare(a.ID.String(), b.ID.String()))
	})
	return out, nil
}

// requestsOf returns the distinct requests e's commitments name, in the order first named.
func requestsOf(e Expert) []RequestID {
	var out []RequestID
	for _, c := range e.Commitments {
		if !c.Request.IsZero() && !slices.Contains(out, c.Request) {
			out = append(out, c.Request)
		}
	}
	return out
}

// ErasePersonal blanks what an expert record holds about the person beyond IDs, states,
// dates and the payout trail (erasure on request, GDPR Art 17): the whole profile
// (experience areas, languages, areas, availability, preferences, caps, the fee-waiving
// choice, travel estimates) and every check's training details. Check names, versions
// and dates, the pause and rejection reason codes (never personal data), commitments and
// fee totals stay. It reports whether the profile held anything and how many training
// details it removed; a record with nothing left to blank is not changed (UpdatedAt
// stays). A record that is not retired or rejected is ErrConflict wrong-state: retire it
// first ([Service.ErasePersonalData] does).
func (e *Expert) ErasePersonal(now time.Time) (profile bool, trainings int, err error) {
	if !e.State.Terminal() {
		return false, 0, &osallisuus.RuleError{Op: "erase expert", Kind: osallisuus.ErrConflict,
			Reasons: []osallisuus.Reason{ReasonWrongState}, Detail: e.State}
	}
	profile = !blankProfile(e.Profile)
	for i := range e.Checks {
		if e.Checks[i].Training != nil {
			e.Checks[i].Training = nil
			trainings++
		}
	}
	if profile || trainings > 0 {
		e.Profile, e.UpdatedAt = Profile{}, now
	}
	return profile, trainings, nil
}

// blankProfile reports whether p holds nothing at all.
func blankProfile(p Profile) bool {
	return blankE3(p) && len(p.Caps.Earnings) == 0 && p.Caps.AssignmentsPerMonth == 0 &&
		p.Caps.WarnAtPercent == 0 && p.Caps.Basis == BasisPaymentDate && !p.FeeWaived
}

// blankE3 reports whether p holds nothing that [Expert.EraseProfile] erases (everything
// but the caps and the fee-waiving choice).
func blankE3(p Profile) bool {
	return len(p.Experience) == 0 && len(p.Languages) == 0 && len(p.Areas) == 0 && !p.Remote &&
		p.Weekly == 0 && len(p.Unavailable) == 0 && len(p.Preferences) == 0 && len(p.Travel) == 0
}

// trainingDetails counts e's checks with training details.
func trainingDetails(e Expert) int {
	n := 0
	for _, c := range e.Checks {
		if c.Training != nil {
			n++
		}
	}
	return n
}

// ErasePersonalData erases what package expert stores about the participant id (GDPR
// Art 17) and reports it; Report.Package is "expert". For each of their expert records,
// in one atomic step per record:
//
//  1. A record that is not retired or rejected is first retired now through the
//     package's own rule (E3, [Service.Retire] with effectiveOn = today, Helsinki): its
//     pending offers are withdrawn and its accepted assignments starting after today are
//     cancelled (by the unit's side, reason "expert-retired"). Offers for tasks later
//     today that are still open (not started, deadline not passed) are withdrawn too, so
//     that no pending offer outlives the erasure. Accepted work today and done work stay.
//  2. The profile is erased at once (erasure on request does not wait for E3's retention
//     period) with every other personal attribute of the record: see
//     [Expert.ErasePersonal].
//  3. The expert's own reflections in the impact records of their assignments are
//     blanked; the outputs, the unit's text and rating and the links (what the work
//     produced for the unit) stay.
//
// Erased kinds: "expert-profiles", "training-details", "impact-reflections" (only kinds
// with a count above 0). Retained kinds, in this order and only when there are any:
// "expert-records" (IDs, states, dates, check names and dates, commitments, fee totals;
// BasisAggregate), "assignments" (with their actuals, which back the payouts;
// BasisAggregate), "sessions" (BasisAggregate), and "payouts" (BasisAccounting, one entry
// per Until, earliest first, Until = 31 December of the payment date's year plus
// Config.AccountingRetention). The records keep their participant ID, which the store
// never changes (see [ExpertStore.UpdateExpert]) and which ties the payouts to their
// payee for the accounting period; no tombstone IDs are used. Payouts whose accounting
// period has ended are still listed, with an Until in the past: the package never
// deletes a payout record.
//
// Erasing again changes nothing and reports an empty Erased with the same Retained; a
// participant the package knows nothing about gives an empty report. A failure part-way
// leaves each record either untouched or wholly erased, and running the erasure again
// finishes the job. A zero id is ErrInvalid (field "participant").
func (s *Service) ErasePersonalData(ctx context.Context, id osallisuus.ParticipantID) (osallisuus.ErasureReport, error) {
	if id.IsZero() {
		return osallisuus.ErasureReport{}, osallisuus.Invalid("participant", osallisuus.CodeRequired)
	}
	now := s.clock.Now()
	rep := osallisuus.ErasureReport{Package: "expert", Subject: id, At: now,
		Erased: []osallisuus.ItemCount{}, Retained: []osallisuus.Retained{}}
	var ids []ExpertID
	for e, err := range s.store.ListExperts(ctx, ExpertFilter{Participant: id}) {
		if err != nil {
			return osallisuus.ErasureReport{}, err
		}
		if e.Participant == id {
			ids = append(ids, e.ID)
		}
	}
	var profiles, trainings, reflections int
	for _, eid := range ids {
		p, t, r, err := s.eraseExpert(ctx, eid, now)
		if err != nil {
			return osallisuus.ErasureReport{}, err
		}
		profiles, trainings, reflections = profiles+p, trainings+t, reflections+r
	}
	rep.Erased = appendCount(rep.Erased, KindExpertProfiles, profiles)
	rep.Erased = appendCount(rep.Erased, KindTrainingDetails, trainings)
	rep.Erased = appendCount(rep.Erased, KindImpactReflections, reflections)
	pd, err := s.personalData(ctx, id, now)
	if err != nil {
		return osallisuus.ErasureReport{}, err
	}
	rep.Retained = s.retained(pd)
	return rep, nil
}

func appendCount(to []osallisuus.ItemCount, kind string, n int) []osallisuus.ItemCount {
	if n == 0 {
		return to
	}
	return append(to, osallisuus.ItemCount{Kind: kind, Count: n})
}

// retained lists what the erasure of the person whose remaining data is pd keeps.
func (s *Service) retained(pd PersonalData) []osallisuus.Retained {
	out := []osallisuus.Retained{}
	for _, k := range []struct {
		kind string
		n    int
	}{{KindExpertRecords, len(pd.Experts)}, {KindAssignments, len(pd.Assignments)}, {KindSessions, len(pd.Sessions)}} {
		if k.n > 0 {
			out = append(out, osallisuus.Retained{Kind: k.kind, Count: k.n, Basis: osallisuus.BasisAggregate})
		}
	}
	byUntil := map[osallisuus.Date]int{}
	for _, p := range pd.Payouts {
		byUntil[s.AccountingUntil(p)]++
	}
	days := make([]osallisuus.Date, 0, len(byUntil))
	for d := range byUntil {
		days = append(days, d)
	}
	slices.SortFunc(days, osallisuus.Date.Compare)
	for _, d := range days {
		out = append(out, osallisuus.Retained{Kind: KindPayouts, Count: byUntil[d], Basis: osallisuus.BasisAccounting, Until: d})
	}
	return out
}

// AccountingUntil returns the last day p must be kept under accounting law: 31 December
// of its payment date's year (of its creation date when it has none) plus
// Config.AccountingRetention (default six years, kirjanpitolaki 2:10 §).
func (s *Service) AccountingUntil(p Payout) osallisuus.Date {
	year := p.PaymentDate.Year
	if p.PaymentDate.IsZero() {
		year = osallisuus.DateOf(p.CreatedAt).Year
	}
	return s.accountingRetention.LastDay(osallisuus.NewDate(year, time.December, 31))
}

// errUnchanged ends an update that has nothing to save.
var errUnchanged = errors.New("expert: nothing to change")

// eraseExpert erases one expert record in one atomic step and returns the counts of
// what it blanked: profiles, training details and impact reflections.
func (s *Service) eraseExpert(ctx context.Context, eid ExpertID, now time.Time) (profiles, trainings, reflections int, err error) {
	err = s.store.Atomic(ctx, func(tx Tx) error {
		profiles, trainings, reflections = 0, 0, 0
		e, err := tx.GetExpert(ctx, eid)
		if err != nil {
			return err
		}
		changed := false
		if !e.State.Terminal() {
			if err := retireIn(ctx, tx, &e, osallisuus.DateOf(now), now); err != nil {
				return err
			}
			changed = true
		}
		for _, rid := range requestsOf(e) {
			r, err := tx.GetRequest(ctx, rid)
			if errors.Is(err, osallisuus.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			var withdraw []AssignmentID
			n := 0
			for _, a := range r.Assignments {
				if a.Expert != e.ID {
					continue
				}
				if r.StatusOf(a, now) == StatusOffered && r.Start.After(now) {
					withdraw = append(withdraw, a.ID)
				}
				if a.Impact != nil && a.Impact.Reflection != "" {
					n++
				}
			}
			if len(withdraw) == 0 && n == 0 {
				continue
			}
			if _, err := tx.UpdateRequest(ctx, rid, func(x *Request) error {
				for _, aid := range withdraw {
					if err := Withdraw(x, &e, aid, now); err != nil {
						return err
					}
				}
				for i := range x.Assignments {
					if a := &x.Assignments[i]; a.Expert == e.ID && a.Impact != nil && a.Impact.Reflection != "" {
						a.Impact.Reflection = ""
					}
				}
				x.UpdatedAt = now
				return nil
			}); err != nil {
				return err
			}
			reflections += n
			changed = changed || len(withdraw) > 0
		}
		p, t, err := e.ErasePersonal(now)
		if err != nil {
			return err
		}
		if p {
			profiles = 1
		}
		trainings = t
		if !changed && profiles == 0 && trainings == 0 {
			return nil
		}
		_, err = tx.UpdateExpert(ctx, eid, func(x *Expert) error { *x = e; return nil })
		return err
	})
	return profiles, trainings, reflections, err
}

// ApplyRetention applies E3's retention at now (the service's clock): the profile of a
// retired or rejected expert is erased (see [Expert.EraseProfile]: experience areas,
// languages, areas, availability, preferences, travel estimates and training details go;
// the caps and the fee-waiving choice, which later payouts of the record still use, stay
// until an erasure on request) once Config.ProfileRetention (default P1Y) has passed
// since the retirement's effective date (RetiredOn) or, for a rejected record, the
// rejection (the record's last update; a rejected record changes no more). The profile
// is kept through the period's [osallisuus.Period.LastDay] and erased from the day after.
//
// Purged kinds: "expert-profiles" and "training-details" (only kinds with a count above
// 0). Payout records are never purged, even after their accounting period
// ([Service.AccountingUntil]) has ended: the store has no delete, and disposing of
// accounting records is the host's archive's decision. Expert records, assignments and
// sessions stay as [Service.ErasePersonalData] keeps them. Each record is one atomic
// save; running the job again purges nothing more.
func (s *Service) ApplyRetention(ctx context.Context) (osallisuus.RetentionReport, error) {
	now := s.clock.Now()
	today := osallisuus.DateOf(now)
	rep := osallisuus.RetentionReport{Package: "expert", At: now, Purged: []osallisuus.ItemCount{}}
	var due []ExpertID
	for _, st := range []State{StateRetired, StateRejected} {
		for e, err := range s.store.ListExperts(ctx, ExpertFilter{State: st}) {
			if err != nil {
				return osallisuus.RetentionReport{}, err
			}
			if s.profileDue(e, today) {
				due = append(due, e.ID)
			}
		}
	}
	var profiles, trainings int
	for _, id := range due {
		var p, t int
		_, err := s.store.UpdateExpert(ctx, id, func(e *Expert) error {
			p, t = 0, 0
			if !s.profileDue(*e, today) {
				return errUnchanged
			}
			if !blankE3(e.Profile) {
				p = 1
			}
			t = trainingDetails(*e)
			return e.EraseProfile(now)
		})
		if err != nil && !errors.Is(err, errUnchanged) {
			return osallisuus.RetentionReport{}, err
		}
		profiles, trainings = profiles+p, trainings+t
	}
	rep.Purged = appendCount(rep.Purged, KindExpertProfiles, profiles)
	rep.Purged = appendCount(rep.Purged, KindTrainingDetails, trainings)
	return rep, nil
}

// profileDue reports whether e's profile is due for E3's erasure on day today: e is
// retired or rejected, holds something EraseProfile erases, and the retention period
// has passed since the retirement or rejection.
func (s *Service) profileDue(e Expert, today osallisuus.Date) bool {
	if !e.State.Terminal() || (blankE3(e.Profile) && trainingDetails(e) == 0) {
		return false
	}
	since := e.RetiredOn
	if e.State == StateRejected || since.IsZero() {
		since = osallisuus.DateOf(e.UpdatedAt)
	}
	return today.After(s.profileRetention.LastDay(since))
}
