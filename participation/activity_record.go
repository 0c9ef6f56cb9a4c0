package participation

import (
	"fmt"
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// Role is the role in which a person takes part in an activity.
type Role string

// The roles of a participation record (spec/activities.md, Concepts).
const (
	RoleUnspecified       Role = ""
	RoleCustomer          Role = "customer"             // asiakas
	RoleRelative          Role = "relative"             // omainen, läheinen
	RolePotentialCustomer Role = "potential-customer"   // potentiaalinen asiakas
	RoleExpert            Role = "expert-by-experience" // kokemusasiantuntija
	RoleCouncilMember     Role = "council-member"       // vanhus-, vammais- tai nuorisoneuvoston jäsen
	RoleNGO               Role = "ngo-representative"   // järjestön edustaja
	RoleOfficial          Role = "official"             // viranhaltija, työntekijä
)

// Valid reports whether r is one of the seven roles.
func (r Role) Valid() bool {
	switch r {
	case RoleCustomer, RoleRelative, RolePotentialCustomer, RoleExpert, RoleCouncilMember, RoleNGO, RoleOfficial:
		return true
	}
	return false
}

// CustomerVoice reports whether r is a customer voice (A7): customer, relative,
// potential customer or expert by experience.
func (r Role) CustomerVoice() bool {
	return r == RoleCustomer || r == RoleRelative || r == RolePotentialCustomer || r == RoleExpert
}

// RecordStatus is the status of a participation record.
type RecordStatus string

// The record statuses (A4).
const (
	StatusUnspecified RecordStatus = ""
	StatusRegistered  RecordStatus = "registered" // ilmoittautunut
	StatusWaitlisted  RecordStatus = "waitlisted" // jonossa
	StatusAttended    RecordStatus = "attended"   // osallistui
	StatusAbsent      RecordStatus = "absent"     // ei saapunut
	StatusCancelled   RecordStatus = "cancelled"  // peruttu
)

// Valid reports whether s is one of the five statuses.
func (s RecordStatus) Valid() bool {
	switch s {
	case StatusRegistered, StatusWaitlisted, StatusAttended, StatusAbsent, StatusCancelled:
		return true
	}
	return false
}

// TakesPlace reports whether a record in status s takes one of the activity's places:
// registered, attended or absent (A4).
func (s RecordStatus) TakesPlace() bool {
	return s == StatusRegistered || s == StatusAttended || s == StatusAbsent
}

// The refusal reasons of the activity rules, besides a consent decision's reason and a
// record's status (which is the reason of a conflict with that record).
const (
	ReasonExists osallisuus.Reason = "exists" // the activity was created already
	ReasonEnded  osallisuus.Reason = "ended"  // the activity has ended (A1)
	ReasonFull   osallisuus.Reason = "full"   // no place and no room on the waitlist (A4)
)

// ParticipationRecord (osallistuminen) ties one person to one activity with a role and a
// status (A4). A person has at most one record that is not cancelled per activity;
// cancelled records are kept as history and the latest record (highest Seq) counts.
type ParticipationRecord struct {
	ID       RecordID   `json:"id"`
	Activity ActivityID `json:"activity"`
	// Project is the activity's project, copied so that records list by project.
	Project ProjectID `json:"project,omitzero"`
	// Seq is the record's place among its activity's records, from 1, in creation order.
	// The waitlist is first-come: queue order is Seq order.
	Seq    int64                    `json:"seq"`
	Who    osallisuus.ParticipantID `json:"who"`
	Role   Role                     `json:"role"`
	Status RecordStatus             `json:"status"`
	// On is the day the person took part or was absent (A6); zero otherwise.
	On        osallisuus.Date `json:"on,omitzero"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
	Version   int64           `json:"version"`
}

// Roster is one activity with all its records in Seq order: the state every record rule
// reads. The organiser's working list shows ids unsuppressed; reports never do.
type Roster struct {
	Activity Activity
	Records  []ParticipationRecord
}

// Latest returns the index in Records of who's latest record, or -1.
func (r *Roster) Latest(who osallisuus.ParticipantID) int {
	for i := len(r.Records) - 1; i >= 0; i-- {
		if r.Records[i].Who == who {
			return i
		}
	}
	return -1
}

// Taken returns the number of places taken (A4): records registered, attended or absent.
func (r *Roster) Taken() int {
	n := 0
	for i := range r.Records {
		if r.Records[i].Status.TakesPlace() {
			n++
		}
	}
	return n
}

// Free returns the free places, at least 0, and false for an unlimited activity.
func (r *Roster) Free() (int, bool) {
	if r.Activity.Capacity == 0 {
		return 0, false
	}
	return max(r.Activity.Capacity-r.Taken(), 0), true
}

// hasFreePlace reports whether a registration would take a place now.
func (r *Roster) hasFreePlace() bool {
	return r.Activity.Capacity == 0 || r.Taken() < r.Activity.Capacity
}

// Waitlist returns the waitlisted records in queue order.
func (r *Roster) Waitlist() []ParticipationRecord {
	var out []ParticipationRecord
	for _, rec := range r.Records {
		if rec.Status == StatusWaitlisted {
			out = append(out, rec)
		}
	}
	return out
}

// LatestRecords returns each person's latest record, in Seq order of those records.
func (r *Roster) LatestRecords() []ParticipationRecord {
	seen := make(map[osallisuus.ParticipantID]bool, len(r.Records))
	var out []ParticipationRecord
	for i := len(r.Records) - 1; i >= 0; i-- {
		if !seen[r.Records[i].Who] {
			seen[r.Records[i].Who] = true
			out = append(out, r.Records[i])
		}
	}
	slices.Reverse(out)
	return out
}

// Clone returns a deep copy of r.
func (r Roster) Clone() Roster {
	r.Activity = r.Activity.Clone()
	r.Records = slices.Clone(r.Records)
	return r
}

func conflictWith(op string, s RecordStatus) error {
	return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrConflict, Reasons: []osallisuus.Reason{osallisuus.Reason(s)}}
}

func refuse(op string, kind error, r osallisuus.Reason) error {
	return &osallisuus.RuleError{Op: op, Kind: kind, Reasons: []osallisuus.Reason{r}}
}

// checkDecision returns the decision's refusal when it does not allow, and ErrInvalid
// when it answers another question than q (a service bug, not the person's).
func checkDecision(op string, d ConsentDecision, q ConsentQuery) error {
	if d.Query.Subject != q.Subject || d.Query.Purpose != q.Purpose || d.Query.Scope != q.Scope || !d.Query.At.Equal(q.At) {
		return fmt.Errorf("%s: consent decision for another question: %w", op, osallisuus.ErrInvalid)
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// ConsentFor returns the consent question the activity rules ask about who for purpose
// at now: scope [Activity.Scope] (A2, A3).
func (a *Activity) ConsentFor(who osallisuus.ParticipantID, purpose string, now time.Time) ConsentQuery {
	return ConsentQuery{Subject: who, Purpose: purpose, Scope: a.Scope(), At: now}
}

// Invite decides an invitation of who to the activity at now (A2), given the decision for
// the invitation purpose in the activity's scope at now: ErrConflict (reason "ended") when
// the activity has ended, else the decision's refusal (ErrForbidden with its reason) unless
// it allows. Pure.
func Invite(a Activity, d ConsentDecision, now time.Time) error {
	if a.Ended(now) {
		return refuse("invite", osallisuus.ErrConflict, ReasonEnded)
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("invite: %w", err)
	}
	return nil
}

// Register decides a registration of who in role at now (A3, A4) and returns the new
// record (ID, CreatedAt and Version are the caller's) and, when waitlisted, its 1-based
// position in the queue. d is the participation decision for who in the activity's scope
// at now. Checks in order: role (ErrInvalid); the activity has ended (ErrConflict
// "ended"); who's latest record is not cancelled (ErrConflict with its status); consent
// (ErrForbidden with the decision's reason); no place and no room on the waitlist
// (ErrCapacity "full"). A registration takes a place when the activity is unlimited or
// fewer places are taken than its capacity, even while others wait. Pure.
func Register(r Roster, who osallisuus.ParticipantID, role Role, d ConsentDecision, now time.Time) (ParticipationRecord, int, error) {
	const op = "register"
	if !role.Valid() {
		return ParticipationRecord{}, 0, osallisuus.Invalid("role", unknownOrRequired(string(role)))
	}
	if r.Activity.Ended(now) {
		return ParticipationRecord{}, 0, refuse(op, osallisuus.ErrConflict, ReasonEnded)
	}
	if i := r.Latest(who); i >= 0 && r.Records[i].Status != StatusCancelled {
		return ParticipationRecord{}, 0, conflictWith(op, r.Records[i].Status)
	}
	if err := checkDecision(op, d, r.Activity.ConsentFor(who, d.Query.Purpose, now)); err != nil {
		return ParticipationRecord{}, 0, err
	}
	rec := r.newRecord(who, role, now)
	if r.hasFreePlace() {
		rec.Status = StatusRegistered
		return rec, 0, nil
	}
	queue := len(r.Waitlist())
	if r.Activity.Waitlist.Disabled || (r.Activity.Waitlist.MaxLength > 0 && queue >= r.Activity.Waitlist.MaxLength) {
		return ParticipationRecord{}, 0, refuse(op, osallisuus.ErrCapacity, ReasonFull)
	}
	rec.Status = StatusWaitlisted
	return rec, queue + 1, nil
}

func (r *Roster) newRecord(who osallisuus.ParticipantID, role Role, now time.Time) ParticipationRecord {
	return ParticipationRecord{Activity: r.Activity.ID, Project: r.Activity.Project,
		Seq: int64(len(r.Records)) + 1, Who: who, Role: role, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
}

// Decisions holds the participation decisions of waitlisted people at the instant a
// place frees (promotion, A5), keyed by person. A missing one makes [Cancel] fail with a
// [*NeedDecisionsError].
type Decisions map[osallisuus.ParticipantID]ConsentDecision

// NeedDecisionsError says a rule needs consent decisions it was not given: the
// participation decisions of these waitlisted people. A service asks the checker and runs
// the rule again; it never reaches a host through [ActivityService].
type NeedDecisionsError struct {
	Who []osallisuus.ParticipantID
}

// Error says how many decisions are missing.
func (e *NeedDecisionsError) Error() string {
	return fmt.Sprintf("consent decisions needed for %d waitlisted people", len(e.Who))
}

// Cancel decides who's cancellation at now (A5) and returns the changed records: who's
// cancelled record first, then the records promoted from the waitlist, in order. Checks:
// who has no record (ErrNotFound); the activity has ended (ErrConflict "ended"); the
// latest record is neither registered nor waitlisted (ErrConflict with its status). A
// cancellation asks no consent. When it frees a place (a registered record), then while a
// place is free, the first waitlisted person whose decision in decisions allows becomes
// registered; people skipped keep their place. decisions must hold every waitlisted
// person's participation decision at now, else the error is a *NeedDecisionsError. Pure.
func Cancel(r Roster, who osallisuus.ParticipantID, purpose string, decisions Decisions, now time.Time) ([]ParticipationRecord, error) {
	const op = "cancel"
	i := r.Latest(who)
	if i < 0 {
		return nil, fmt.Errorf("%s: no record of the person: %w", op, osallisuus.ErrNotFound)
	}
	if r.Activity.Ended(now) {
		return nil, refuse(op, osallisuus.ErrConflict, ReasonEnded)
	}
	st := r.Records[i].Status
	if st != StatusRegistered && st != StatusWaitlisted {
		return nil, conflictWith(op, st)
	}
	r = r.Clone()
	r.Records[i].Status, r.Records[i].UpdatedAt = StatusCancelled, now.UTC()
	changed := []ParticipationRecord{r.Records[i]}
	if st != StatusRegistered {
		return changed, nil // a waitlisted person's cancellation frees no place
	}
	var missing []osallisuus.ParticipantID
	for _, w := range r.Records {
		if w.Status != StatusWaitlisted {
			continue
		}
		d, ok := decisions[w.Who]
		if !ok || !d.Query.At.Equal(now) || d.Query.Purpose != purpose || d.Query.Scope != r.Activity.Scope() {
			missing = append(missing, w.Who)
		}
	}
	if len(missing) > 0 {
		return nil, &NeedDecisionsError{Who: missing}
	}
	for j := range r.Records {
		if !r.hasFreePlace() {
			break
		}
		w := &r.Records[j]
		if w.Status != StatusWaitlisted || !decisions[w.Who].Allowed {
			continue
		}
		w.Status, w.UpdatedAt = StatusRegistered, now.UTC()
		changed = append(changed, *w)
	}
	return changed, nil
}

// checkOn resolves the day a person took part (A6): on, or today when on is zero; it
// must lie within the activity's days and not after today. The error names field "on".
func checkOn(a *Activity, on osallisuus.Date, now time.Time) (osallisuus.Date, error) {
	today := osallisuus.DateOf(now)
	if on.IsZero() {
		on = today
	}
	if !on.Valid() {
		return on, osallisuus.Invalid("on", osallisuus.CodeFormat)
	}
	if on.Before(a.Start) || on.After(a.End) || on.After(today) {
		return on, &osallisuus.ValidationError{Op: "check day", Problems: []osallisuus.Problem{{Field: "on",
			Code: osallisuus.CodeOutOfRange, Params: map[string]any{"min": a.Start.String(), "max": minDate(a.End, today).String()}}}}
	}
	return on, nil
}

func minDate(a, b osallisuus.Date) osallisuus.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// MarkAttendance decides marking who attended or absent on day on (zero: today) at now
// (A6) and returns who's latest record changed in place, keeping its role. Checks in
// order: status not attended or absent (ErrInvalid "status"); no record (ErrNotFound);
// the latest record is not registered (ErrConflict with its status); on outside the
// activity's days or after today (ErrInvalid "on"); consent (d, the participation
// decision, ErrForbidden). Marking is allowed after the activity has ended. Pure.
func MarkAttendance(r Roster, who osallisuus.ParticipantID, status RecordStatus, on osallisuus.Date, d ConsentDecision, now time.Time) (ParticipationRecord, error) {
	const op = "record attendance"
	if status != StatusAttended && status != StatusAbsent {
		return ParticipationRecord{}, osallisuus.Invalid("status", unknownOrRequired(string(status)))
	}
	i := r.Latest(who)
	if i < 0 {
		return ParticipationRecord{}, fmt.Errorf("%s: no record of the person: %w", op, osallisuus.ErrNotFound)
	}
	rec := r.Records[i]
	if rec.Status != StatusRegistered {
		return ParticipationRecord{}, conflictWith(op, rec.Status)
	}
	day, err := checkOn(&r.Activity, on, now)
	if err != nil {
		return ParticipationRecord{}, err
	}
	if err := checkDecision(op, d, r.Activity.ConsentFor(who, d.Query.Purpose, now)); err != nil {
		return ParticipationRecord{}, err
	}
	rec.Status, rec.On, rec.UpdatedAt = status, day, now.UTC()
	return rec, nil
}

// RecordParticipation decides recording that who took part in role on day on (zero:
// today) at now (A4, A6): a walk-in, an interviewee, an official. It returns a new
// attended record (ID and Version are the caller's); it never checks capacity, and the
// record then takes a place. Checks in order: role (ErrInvalid); the latest record is not
// cancelled (ErrConflict with its status); on outside the activity's days or after today
// (ErrInvalid "on"); consent (ErrForbidden). Pure.
func RecordParticipation(r Roster, who osallisuus.ParticipantID, role Role, on osallisuus.Date, d ConsentDecision, now time.Time) (ParticipationRecord, error) {
	const op = "record participation"
	if !role.Valid() {
		return ParticipationRecord{}, osallisuus.Invalid("role", unknownOrRequired(string(role)))
	}
	if i := r.Latest(who); i >= 0 && r.Records[i].Status != StatusCancelled {
		return ParticipationRecord{}, conflictWith(op, r.Records[i].Status)
	}
	day, err := checkOn(&r.Activity, on, now)
	if err != nil {
		return ParticipationRecord{}, err
	}
	if err := checkDecision(op, d, r.Activity.ConsentFor(who, d.Query.Purpose, now)); err != nil {
		return ParticipationRecord{}, err
	}
	rec := r.newRecord(who, role, now)
	rec.Status, rec.On = StatusAttended, day
	return rec, nil
}
