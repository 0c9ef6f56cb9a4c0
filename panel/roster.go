package panel

import (
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// Person is what the roster rules know of a participant at the moment of a step: the
// service fills it from the participant register and the host's EligibilityChecker.
type Person struct {
	ID osallisuus.ParticipantID
	// Minor: under 18 at the step's instant (participation.Participant.IsMinor).
	Minor bool
	// Ineligible lists the host's failing eligibility reasons (P3); empty passes.
	Ineligible []string
	// Profile holds the attributes quotas and reports read (P20).
	Profile Profile
}

// JoinResult is the outcome of a join: the membership's state, the waitlist position
// (from 1) and the blocking P5 reason when waitlisted.
type JoinResult struct {
	State    MemberState       `json:"state"`
	Position int               `json:"position,omitzero"`
	Reason   osallisuus.Reason `json:"reason,omitzero"`
}

// Open activates a draft panel (4.1): ErrConflict unless draft, ErrInvalid when EndsOn
// is not after today.
func (p *Panel) Open(now time.Time) error {
	if p.State != StateDraft {
		return conflict("open panel", osallisuus.Reason(p.State))
	}
	if e := p.Config.EndsOn; !e.IsZero() && !e.After(osallisuus.DateOf(now)) {
		return invalid("open panel", "endsOn", osallisuus.CodeOrder)
	}
	p.State = StateActive
	return nil
}

// Close closes an active panel; every non-ended membership ends panel-closed (4.1).
func (p *Panel) Close(now time.Time, reason string) error {
	if p.State != StateActive {
		return conflict("close panel", osallisuus.Reason(p.State))
	}
	p.close(now, reason)
	return nil
}

func (p *Panel) close(at time.Time, reason string) {
	p.State, p.ClosedAt, p.CloseReason = StateClosed, at, reason
	for i := range p.Members {
		if m := &p.Members[i]; m.State != MemberEnded {
			// Every membership ends panel-closed, deputies too: no cascade.
			m.Reason, m.EndedAt, m.OfferDeadline = EndPanelClosed, at, time.Time{}
			m.set(at, MemberEnded, RoleMember)
		}
	}
}

// end ends membership i at at with reason r; deputies of it end principal-ended.
func (p *Panel) end(i int, at time.Time, r EndReason) {
	m := &p.Members[i]
	m.Reason, m.EndedAt, m.OfferDeadline = r, at, time.Time{}
	m.set(at, MemberEnded, RoleMember)
	if m.IsDeputy() {
		return
	}
	who := m.Participant
	for j := range p.Members {
		if d := &p.Members[j]; d.DeputyOf == who && d.State != MemberEnded {
			p.end(j, at, EndPrincipalEnded)
		}
	}
}

func (p *Panel) requireActive(op string) error {
	if p.State != StateActive {
		return conflict(op, osallisuus.Reason(p.State))
	}
	return nil
}

// inQuota reports whether a profile belongs to quota q.
func inQuota(q *Quota, prof Profile) bool {
	return slices.Contains(q.Values, prof.Value(q.Dimension))
}

func (p *Panel) quotaCount(q *Quota) int {
	n := 0
	for i := range p.Members {
		if m := &p.Members[i]; m.Seat == SeatUser && m.HoldsSeat() && inQuota(q, m.Profile) {
			n++
		}
	}
	return n
}

// Admissible returns "" when a user with profile prof may take a user seat now (P5), or
// the first failing reason: full, quota-max or reserved-for-quota.
func (p *Panel) Admissible(prof Profile) osallisuus.Reason {
	free := p.Config.Seats.User.Max - p.seatsHeld(SeatUser)
	if free < 1 {
		return ReasonFull
	}
	need := 0
	for i := range p.Config.Quotas {
		q := &p.Config.Quotas[i]
		in := inQuota(q, prof)
		n := p.quotaCount(q)
		if in && q.Max > 0 && n >= q.Max {
			return ReasonQuotaMax
		}
		if q.Reserve {
			k := q.Min - n
			if in {
				k--
			}
			need += max(0, k)
		}
	}
	if free-1 < need {
		return ReasonReservedForQuota
	}
	return ""
}

// checkAudience applies the Audience of P4 to a user seat.
func (p *Panel) checkAudience(op string, who Person) error {
	switch {
	case p.Config.Audience == AudienceAdults && who.Minor,
		p.Config.Audience == AudienceMinors && !who.Minor:
		return forbidden(op, ReasonAudience)
	}
	return nil
}

func ineligible(op string, reasons []string) error {
	rs := slices.Clone(reasons)
	slices.Sort(rs)
	out := []osallisuus.Reason{ReasonIneligible}
	for _, r := range rs {
		out = append(out, osallisuus.Reason(r))
	}
	return forbidden(op, out...)
}

// checkUser runs the "A" checks of a user seat (§12.4): audience, consent (P2),
// eligibility (P3), assent (P4) and, when term is set, max-terms (P10).
func (p *Panel) checkUser(op string, who Person, assent bool, cons *Consents, now time.Time, term *Term) (*ConsentRecord, error) {
	if err := p.checkAudience(op, who); err != nil {
		return nil, err
	}
	rec, err := p.consent(cons, who.ID, SeatUser, now)
	if err != nil {
		return nil, err
	}
	if len(who.Ineligible) > 0 {
		return nil, ineligible(op, who.Ineligible)
	}
	if who.Minor && !assent {
		return nil, forbidden(op, ReasonNoAssent)
	}
	if term != nil && p.maxTermsExceeded(who.ID, term.Start, osallisuus.DateOf(now)) {
		return nil, forbidden(op, ReasonMaxTerms)
	}
	return rec, nil
}

func (p *Panel) newTerm(op string, now time.Time) (Term, error) {
	t, ok := p.termFrom(osallisuus.DateOf(now))
	if !ok {
		return Term{}, conflict(op, ReasonNoTerm)
	}
	return t, nil
}

func assentAt(assent bool, now time.Time) *Assent {
	if !assent {
		return nil
	}
	return &Assent{At: now}
}

// Join admits who to a user seat of an open panel or puts them on the waitlist (4.2,
// P2–P6). Checks run in the order of spec §12.4; a refusal changes nothing.
func (p *Panel) Join(who Person, priority int, assent bool, cons *Consents, now time.Time) (JoinResult, error) {
	const op = "join panel"
	if err := p.requireActive(op); err != nil {
		return JoinResult{}, err
	}
	if p.Live(who.ID) {
		return JoinResult{}, conflict(op, ReasonAlreadyMember)
	}
	term, err := p.newTerm(op, now)
	if err != nil {
		return JoinResult{}, err
	}
	if p.Config.Admission == AdmissionAppointed {
		return JoinResult{}, forbidden(op, ReasonAppointedPanel)
	}
	rec, err := p.checkUser(op, who, assent, cons, now, &term)
	if err != nil {
		return JoinResult{}, err
	}
	m := Membership{Participant: who.ID, Seat: SeatUser, Voting: true, Profile: who.Profile,
		Priority: priority, Consent: rec, Assent: assentAt(assent, now), Since: now}
	reason := p.Admissible(who.Profile)
	if reason == "" {
		m.Terms = []Term{term}
		m.set(now, MemberActive, RoleMember)
		p.Members = append(p.Members, m)
		return JoinResult{State: MemberActive}, nil
	}
	w := p.Config.Waitlist
	if !w.Enabled || (w.MaxLength > 0 && len(p.Waitlist()) >= w.MaxLength) {
		return JoinResult{}, capacity(op, reason)
	}
	p.NextSeq++
	m.Seq = p.NextSeq
	m.set(now, MemberWaitlisted, RoleMember)
	p.Members = append(p.Members, m)
	return JoinResult{State: MemberWaitlisted, Position: p.Position(who.ID), Reason: reason}, nil
}

// member returns who's current membership (the non-ended one, else the latest), or
// ErrNotFound.
func (p *Panel) member(op string, who osallisuus.ParticipantID) (int, error) {
	i := p.Current(who)
	if i < 0 {
		return -1, osallisuus.NotFound("membership of", who)
	}
	return i, nil
}

// Accept turns an offer into an active membership (4.2): before the deadline, P2–P4
// and max-terms re-checked. An assent given at join is kept.
func (p *Panel) Accept(who Person, assent bool, cons *Consents, now time.Time) error {
	const op = "accept offer"
	i, err := p.member(op, who.ID)
	if err != nil {
		return err
	}
	m := &p.Members[i]
	if m.State != MemberOffered {
		return conflict(op, stateReason(m))
	}
	term, err := p.newTerm(op, now)
	if err != nil {
		return err
	}
	who.Profile = m.Profile
	rec, err := p.checkUser(op, who, assent || m.Assent != nil, cons, now, &term)
	if err != nil {
		return err
	}
	if m.Assent == nil {
		m.Assent = assentAt(assent, now)
	}
	m.Consent, m.OfferDeadline, m.Since = rec, time.Time{}, now
	m.Terms = append(m.Terms, term)
	m.set(now, MemberActive, RoleMember)
	return nil
}

// Decline ends an offer (declined) and offers the seat to the next person (P7).
func (p *Panel) Decline(who osallisuus.ParticipantID, cons *Consents, now time.Time) error {
	const op = "decline offer"
	i, err := p.member(op, who)
	if err != nil {
		return err
	}
	if m := &p.Members[i]; m.State != MemberOffered {
		return conflict(op, stateReason(m))
	}
	p.end(i, now, EndDeclined)
	return p.offerFreed(now, cons)
}

// Leave ends who's membership at once (P1): never refused, idempotent on an ended one
// (which keeps its reason). A freed user seat is offered on (P7). It returns the end
// reason.
func (p *Panel) Leave(who osallisuus.ParticipantID, cons *Consents, now time.Time) (EndReason, error) {
	i, err := p.member("leave panel", who)
	if err != nil {
		return "", err
	}
	m := &p.Members[i]
	if m.State == MemberEnded {
		return m.Reason, nil
	}
	freed := m.Seat == SeatUser && m.HoldsSeat()
	p.end(i, now, EndLeft)
	if freed && p.State == StateActive {
		if err := p.offerFreed(now, cons); err != nil {
			return "", err
		}
	}
	return EndLeft, nil
}

// Remove ends an active or suspended membership by the host's decision (4.2).
func (p *Panel) Remove(who osallisuus.ParticipantID, reason string, cons *Consents, now time.Time) error {
	const op = "remove member"
	if reason == "" {
		return invalid(op, "reason", osallisuus.CodeRequired)
	}
	i, err := p.member(op, who)
	if err != nil {
		return err
	}
	m := &p.Members[i]
	if m.State != MemberActive && m.State != MemberSuspended {
		return conflict(op, stateReason(m))
	}
	freed := m.Seat == SeatUser && m.HoldsSeat()
	p.end(i, now, EndRemoved)
	if freed {
		return p.offerFreed(now, cons)
	}
	return nil
}

// Appoint fills a user seat of an appointed panel by decision (councils.md C2).
func (p *Panel) Appoint(who Person, decision string, assent bool, cons *Consents, now time.Time) error {
	const op = "appoint member"
	if decision == "" {
		return invalid(op, "decision", osallisuus.CodeRequired)
	}
	if err := p.requireActive(op); err != nil {
		return err
	}
	if p.Live(who.ID) {
		return conflict(op, ReasonAlreadyMember)
	}
	term, err := p.newTerm(op, now)
	if err != nil {
		return err
	}
	if p.Config.Admission != AdmissionAppointed {
		return forbidden(op, ReasonOpenPanel)
	}
	rec, err := p.checkUser(op, who, assent, cons, now, &term)
	if err != nil {
		return err
	}
	if r := p.Admissible(who.Profile); r != "" {
		return capacity(op, r)
	}
	m := Membership{Participant: who.ID, Seat: SeatUser, Voting: true, Profile: who.Profile,
		Decision: decision, Consent: rec, Assent: assentAt(assent, now), Since: now, Terms: []Term{term}}
	m.set(now, MemberActive, RoleMember)
	p.Members = append(p.Members, m)
	return nil
}

// AddOfficial gives who an official seat (P8); voting false makes an expert member.
func (p *Panel) AddOfficial(who osallisuus.ParticipantID, voting bool, aff Affiliation, cons *Consents, now time.Time) error {
	const op = "add official"
	if aff != AffiliationCounty && aff != AffiliationOrganisation {
		return invalid(op, "affiliation", required(string(aff)))
	}
	if err := p.requireActive(op); err != nil {
		return err
	}
	if p.Live(who) {
		return conflict(op, ReasonAlreadyMember)
	}
	term, err := p.newTerm(op, now)
	if err != nil {
		return err
	}
	rec, err := p.consent(cons, who, SeatOfficial, now)
	if err != nil {
		return err
	}
	if p.maxTermsExceeded(who, term.Start, osallisuus.DateOf(now)) {
		return forbidden(op, ReasonMaxTerms)
	}
	if p.seatsHeld(SeatOfficial) >= p.Config.Seats.Official.Max {
		return capacity(op, ReasonFull)
	}
	m := Membership{Participant: who, Seat: SeatOfficial, Voting: voting, Affiliation: aff,
		Consent: rec, Since: now, Terms: []Term{term}}
	m.set(now, MemberActive, RoleMember)
	p.Members = append(p.Members, m)
	return nil
}

// AddDeputy appoints who as the personal deputy (varajäsen) of principal (councils.md
// C6): it takes no seat, has no terms and ends with its principal.
func (p *Panel) AddDeputy(who Person, principal osallisuus.ParticipantID, assent bool, cons *Consents, now time.Time) error {
	const op = "add deputy"
	pi := p.Current(principal)
	if pi < 0 {
		return osallisuus.NotFound("membership of", principal)
	}
	if err := p.requireActive(op); err != nil {
		return err
	}
	if p.Live(who.ID) {
		return conflict(op, ReasonAlreadyMember)
	}
	pm := &p.Members[pi]
	if pm.State != MemberActive && pm.State != MemberSuspended {
		return conflict(op, stateReason(pm))
	}
	if pm.IsDeputy() {
		return conflict(op, ReasonDeputy)
	}
	for i := range p.Members {
		if d := &p.Members[i]; d.DeputyOf == principal && d.State != MemberEnded {
			return conflict(op, ReasonDeputyExists)
		}
	}
	if !p.Config.Roles.Deputies {
		return forbidden(op, ReasonNoDeputies)
	}
	seat := pm.Seat
	var rec *ConsentRecord
	var err error
	if seat == SeatOfficial {
		rec, err = p.consent(cons, who.ID, SeatOfficial, now)
	} else {
		rec, err = p.checkUser(op, who, assent, cons, now, nil)
	}
	if err != nil {
		return err
	}
	m := Membership{Participant: who.ID, Seat: seat, Voting: pm.Voting, DeputyOf: principal,
		Profile: who.Profile, Consent: rec, Assent: assentAt(assent && seat == SeatUser, now), Since: now}
	m.set(now, MemberActive, RoleMember)
	p.Members = append(p.Members, m)
	return nil
}
