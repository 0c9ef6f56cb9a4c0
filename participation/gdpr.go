package participation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
)

// ReasonErased denies a consent question about, and refuses new consent data for, a
// participant whose personal data was erased ([Service.ErasePersonalData]).
const ReasonErased Reason = "erased"

// The item kinds of participation's erasure and retention reports
// ([osallisuus.ItemCount], [osallisuus.Retained]).
const (
	// ItemParticipantAttributes: the participant's birth date, age statement and
	// language, blanked at erasure (one item per participant).
	ItemParticipantAttributes = "participant-attributes"
	// ItemParticipant: the participant row kept after erasure, holding only the ID, the
	// kind and the erasure marker.
	ItemParticipant = "participant"
	// ItemConsentEvents: the subject's consent ledger events.
	ItemConsentEvents = "consent-events"
	// ItemRepresentations: representations whose subject is the person.
	ItemRepresentations = "representations"
	// ItemRepresentationsForOthers: representations in which the person acts for
	// someone else (they are the representative).
	ItemRepresentationsForOthers = "representations-for-others"
	// ItemAssessments: maturity assessments of the person.
	ItemAssessments = "assessments"
	// ItemActivityRecords: activity participation records of the person.
	ItemActivityRecords = "activity-records"
)

// PersonalData is everything package participation stores about one participant (GDPR
// Art 15 right of access, Art 20 portability; henkilötiedot). Slices are never nil, so
// they encode as [] when empty. The JSON form is the schema of the participation part of
// a combined export:
//
//	{"subject": id, "participant": {...} or null, "representations": [...],
//	 "representing": [...], "assessments": [...], "consentEvents": [...],
//	 "consents": [...], "activityRecords": [...]}
//
// Not included: consent events the person performed or recorded for other subjects
// (By or RecordedBy, as a representative or staff member) and maturity assessments the
// person made as staff: they are the other subjects' data, and finding them would need
// a ledger listing by actor that the stores do not have.
type PersonalData struct {
	// Subject is the participant the export is about.
	Subject osallisuus.ParticipantID `json:"subject"`
	// Participant is the participant record, erasure marker included; null when the
	// package holds no participant with this ID.
	Participant *Participant `json:"participant"`
	// Representations are those whose subject is the person (who may act for them), in
	// registration order.
	Representations []Representation `json:"representations"`
	// Representing are those in which the person is the representative (whom they may
	// act for), in registration order.
	Representing []Representation `json:"representing"`
	// Assessments are the maturity assessments of the person, in registration order.
	Assessments []MaturityAssessment `json:"assessments"`
	// ConsentEvents are the person's consent events (as subject), in ledger order.
	ConsentEvents []ConsentEvent `json:"consentEvents"`
	// Consents summarises the consents at export time: for each purpose and scope that
	// appears in ConsentEvents and is still in the policy, the decision [Decide] gives
	// at the export instant (for an erased person, reason "erased", as CheckConsent
	// answers). Sorted by purpose, then scope ("" global first).
	Consents []ConsentDecision `json:"consents"`
	// ActivityRecords are the person's activity participation records, in ID order
	// (empty when the service has no Stores.Activities).
	ActivityRecords []ParticipationRecord `json:"activityRecords"`
}

// ExportPersonalData returns PersonalData of id: the participant record, the
// representations where they are subject and where they are representative, their
// maturity assessments, every consent event of theirs as subject in ledger order, the
// consent decisions at the clock's now for each purpose and scope in those events, and
// their activity participation records. Read-only. An unknown participant is not an
// error: Participant is nil and the slices hold whatever the stores have under id
// (normally nothing). Errors: store errors as they come.
func (s *Service) ExportPersonalData(ctx context.Context, id osallisuus.ParticipantID) (PersonalData, error) {
	now := s.clock.Now().UTC()
	out := PersonalData{Subject: id}
	p, err := s.stores.Participants.GetParticipant(ctx, id)
	switch {
	case err == nil:
		out.Participant = &p
	case !errors.Is(err, osallisuus.ErrNotFound):
		return PersonalData{}, fmt.Errorf("export personal data: %w", err)
	}
	if out.Representations, err = collectAll(s.stores.Representations.Representations(ctx, id)); err != nil {
		return PersonalData{}, fmt.Errorf("export personal data: %w", err)
	}
	if out.Representing, err = collectAll(s.stores.Representations.RepresentedBy(ctx, id)); err != nil {
		return PersonalData{}, fmt.Errorf("export personal data: %w", err)
	}
	if out.Assessments, err = collectAll(s.stores.Representations.Assessments(ctx, id)); err != nil {
		return PersonalData{}, fmt.Errorf("export personal data: %w", err)
	}
	if out.ConsentEvents, err = collectAll(s.stores.Ledger.Events(ctx, id)); err != nil {
		return PersonalData{}, fmt.Errorf("export personal data: %w", err)
	}
	out.ActivityRecords = []ParticipationRecord{}
	if s.stores.Activities != nil {
		if out.ActivityRecords, err = collectAll(s.stores.Activities.ListRecords(ctx, RecordFilter{Who: id})); err != nil {
			return PersonalData{}, fmt.Errorf("export personal data: %w", err)
		}
	}
	out.Consents = consentSummary(s.policy, out.ConsentEvents, id, now, out.Participant != nil && out.Participant.Erased())
	return out, nil
}

// consentSummary decides, at now, every purpose and scope that appears in events and is
// in the policy; erased answers "erased" as CheckConsent does.
func consentSummary(p *Policy, events []ConsentEvent, id osallisuus.ParticipantID, now time.Time, erased bool) []ConsentDecision {
	type key struct{ purpose, scope string }
	var keys []key
	for _, ev := range events {
		k := key{ev.Purpose, ev.Scope}
		if p.Has(k.purpose) && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.purpose, b.purpose), cmp.Compare(a.scope, b.scope))
	})
	out := make([]ConsentDecision, 0, len(keys))
	for _, k := range keys {
		q := ConsentQuery{Subject: id, Purpose: k.purpose, Scope: k.scope, At: now}
		if erased {
			out = append(out, ConsentDecision{Reason: ReasonErased, Query: q})
			continue
		}
		d, err := Decide(p, events, q)
		if err != nil {
			continue // cannot happen: the purpose is in the policy and the scope was stored
		}
		out = append(out, d)
	}
	return out
}

// ErasePersonalData erases what package participation stores about id (GDPR Art 17,
// oikeus tulla unohdetuksi) and reports what it did. The rules:
//
//   - The participant row stays, as the erasure marker: ErasedAt (now) and ProofUntil
//     (the Helsinki date of now plus Config.ProofRetention) are set and BirthDate, Adult
//     and Language are blanked (kind "participant-attributes"); ID, Kind (for counts by
//     kind) and CreatedAt stay. Kept as "participant", basis aggregate, no end date: it
//     holds no attribute of the person, and the host erases its own link from the ID
//     to the person. From then on CheckConsent answers "erased", Record, AddRepresentation
//     and AddAssessment refuse the person with reason "erased", and Register of the ID
//     is ErrConflict.
//   - The person's consent events are the minimum proof of consent the controller must
//     keep (Art 7(1)): they are kept unchanged ("consent-events", basis consent-proof,
//     until ProofUntil), and so are the representations and maturity assessments of the
//     person that those events cite as Authority.Ref ("representations", "assessments",
//     same basis and date). [Service.ApplyRetention] purges them the day after ProofUntil.
//   - The person's other representations (as subject) and assessments are deleted.
//   - Representations in which the person acts for someone else are that other
//     subject's data and their consent proof: they stay unchanged
//     ("representations-for-others", basis consent-proof, no end date of their own:
//     they go with the represented person's data).
//   - Activity participation records (Stores.Activities) are kept for the activity
//     reports, but their Who is replaced with one fresh random tombstone ID for all of
//     the person's records ("activity-records" erased, and retained with basis
//     aggregate), so the reports' distinct-person counts stay exact while nothing links
//     the records to the person: the tombstone is stored nowhere else. Their number is
//     remembered in Participant.AnonymisedRecords. Pending registrations are not
//     cancelled here: cancel them first with [ActivityService.Cancel], which promotes
//     from the waitlist.
//
// The participant is marked first, so nothing new is accepted for them while the rest
// runs; each step is one atomic store call, and the whole operation is re-runnable: after
// a failure, erasing again finishes the job (if it failed between anonymising records
// and saving their count, those records are missing from the retained count). Erasing
// again changes nothing and reports an empty Erased and the same Retained (until the
// retention job purges the proof). Erasing an ID the package knows nothing about
// succeeds with an empty report. Erased and Retained are never nil, in the order of the
// kinds above. Errors: store errors as they come.
func (s *Service) ErasePersonalData(ctx context.Context, id osallisuus.ParticipantID) (osallisuus.ErasureReport, error) {
	now := s.clock.Now().UTC()
	rep := osallisuus.ErasureReport{Package: "participation", Subject: id, At: now,
		Erased: []osallisuus.ItemCount{}, Retained: []osallisuus.Retained{}}
	fail := func(err error) (osallisuus.ErasureReport, error) {
		return osallisuus.ErasureReport{}, fmt.Errorf("erase personal data: %w", err)
	}
	p, err := s.stores.Participants.GetParticipant(ctx, id)
	known := err == nil
	if err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
		return fail(err)
	}
	if known && !p.Erased() {
		marked := false
		p, err = s.stores.Participants.UpdateParticipant(ctx, id, func(p *Participant) error {
			marked = markErased(p, now, s.proof)
			return nil
		})
		if err != nil {
			return fail(err)
		}
		if marked {
			rep.Erased = addCount(rep.Erased, ItemParticipantAttributes, 1)
		}
	}
	events, err := Collect(s.stores.Ledger.Events(ctx, id))
	if err != nil {
		return fail(err)
	}
	cited := make(map[uuid.UUID]bool)
	for _, ev := range events {
		if ev.Authority.Ref != uuid.Nil {
			cited[ev.Authority.Ref] = true
		}
	}
	reps, err := Collect(s.stores.Representations.Representations(ctx, id))
	if err != nil {
		return fail(err)
	}
	keptReps, deleted := 0, 0
	for _, r := range reps {
		if cited[r.ID.UUID] {
			keptReps++
			continue
		}
		if err := s.stores.Representations.DeleteRepresentation(ctx, r.ID); err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
			return fail(err)
		}
		deleted++
	}
	rep.Erased = addCount(rep.Erased, ItemRepresentations, deleted)
	as, err := Collect(s.stores.Representations.Assessments(ctx, id))
	if err != nil {
		return fail(err)
	}
	keptAs, deleted := 0, 0
	for _, a := range as {
		if cited[a.ID.UUID] {
			keptAs++
			continue
		}
		if err := s.stores.Representations.DeleteAssessment(ctx, a.ID); err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
			return fail(err)
		}
		deleted++
	}
	rep.Erased = addCount(rep.Erased, ItemAssessments, deleted)
	anonymised := 0
	if s.stores.Activities != nil {
		tomb, err := osallisuus.NewParticipantID()
		if err != nil {
			return fail(err)
		}
		if anonymised, err = s.stores.Activities.AnonymiseRecords(ctx, id, tomb, now); err != nil {
			return fail(err)
		}
		rep.Erased = addCount(rep.Erased, ItemActivityRecords, anonymised)
		if anonymised > 0 && known {
			if p, err = s.stores.Participants.UpdateParticipant(ctx, id, func(p *Participant) error {
				p.AnonymisedRecords += anonymised
				return nil
			}); err != nil {
				return fail(err)
			}
		}
	}
	forOthers := 0
	for _, err := range s.stores.Representations.RepresentedBy(ctx, id) {
		if err != nil {
			return fail(err)
		}
		forOthers++
	}
	if known {
		rep.Retained = append(rep.Retained, osallisuus.Retained{Kind: ItemParticipant, Count: 1, Basis: osallisuus.BasisAggregate})
	}
	proof := func(kind string, n int) {
		if n > 0 {
			rep.Retained = append(rep.Retained, osallisuus.Retained{Kind: kind, Count: n,
				Basis: osallisuus.BasisConsentProof, Until: p.ProofUntil})
		}
	}
	proof(ItemConsentEvents, len(events))
	proof(ItemRepresentations, keptReps)
	if forOthers > 0 {
		rep.Retained = append(rep.Retained, osallisuus.Retained{Kind: ItemRepresentationsForOthers,
			Count: forOthers, Basis: osallisuus.BasisConsentProof})
	}
	proof(ItemAssessments, keptAs)
	records := p.AnonymisedRecords
	if !known {
		records = anonymised
	}
	if records > 0 {
		rep.Retained = append(rep.Retained, osallisuus.Retained{Kind: ItemActivityRecords, Count: records,
			Basis: osallisuus.BasisAggregate})
	}
	return rep, nil
}

// markErased sets p's erasure marker at now with the proof kept for proof, and blanks
// its attributes; it reports false (changing nothing) when p is already erased.
func markErased(p *Participant, now time.Time, proof osallisuus.Period) bool {
	if p.Erased() {
		return false
	}
	p.ErasedAt = now
	p.ProofUntil = proof.LastDay(osallisuus.DateOf(now))
	p.BirthDate, p.Adult, p.Language = osallisuus.Date{}, false, ""
	return true
}

// ApplyRetention runs the retention job of package participation at the clock's now
// (säilytysajan päättyminen): for every erased participant whose ProofUntil has come
// (the Helsinki date of now is on or after it) it deletes their consent events
// ([ConsentLedger.DeleteEvents], kind "consent-events"), their maturity assessments
// ("assessments") and the representations whose subject they are ("representations").
// The participant row (the erasure marker) stays, and so do representations in which
// they act for others (those go with the represented person's data). Erased
// participants are found with ListParticipants and ParticipantFilter.Erased. Purged
// is never nil and lists the kinds with a count above zero, in that order. Idempotent:
// running again purges nothing more. Errors: store errors as they come; what was purged
// before a failure stays purged, and running again finishes the job.
func (s *Service) ApplyRetention(ctx context.Context) (osallisuus.RetentionReport, error) {
	now := s.clock.Now().UTC()
	today := osallisuus.DateOf(now)
	fail := func(err error) (osallisuus.RetentionReport, error) {
		return osallisuus.RetentionReport{}, fmt.Errorf("apply retention: %w", err)
	}
	// Collect first: a SQL listing holds a connection while it yields.
	erased, err := Collect(s.stores.Participants.ListParticipants(ctx, ParticipantFilter{Erased: true}))
	if err != nil {
		return fail(err)
	}
	var events, reps, as int
	for _, p := range erased {
		if !p.Erased() || p.ProofUntil.IsZero() || !today.After(p.ProofUntil) {
			continue
		}
		n, err := s.stores.Ledger.DeleteEvents(ctx, p.ID)
		if err != nil {
			return fail(err)
		}
		events += n
		rs, err := Collect(s.stores.Representations.Representations(ctx, p.ID))
		if err != nil {
			return fail(err)
		}
		for _, r := range rs {
			if err := s.stores.Representations.DeleteRepresentation(ctx, r.ID); err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
				return fail(err)
			}
			reps++
		}
		ms, err := Collect(s.stores.Representations.Assessments(ctx, p.ID))
		if err != nil {
			return fail(err)
		}
		for _, a := range ms {
			if err := s.stores.Representations.DeleteAssessment(ctx, a.ID); err != nil && !errors.Is(err, osallisuus.ErrNotFound) {
				return fail(err)
			}
			as++
		}
	}
	purged := []osallisuus.ItemCount{}
	purged = addCount(purged, ItemConsentEvents, events)
	purged = addCount(purged, ItemRepresentations, reps)
	purged = addCount(purged, ItemAssessments, as)
	return osallisuus.RetentionReport{Package: "participation", At: now, Purged: purged}, nil
}

func addCount(list []osallisuus.ItemCount, kind string, n int) []osallisuus.ItemCount {
	if n <= 0 {
		return list
	}
	return append(list, osallisuus.ItemCount{Kind: kind, Count: n})
}

// collectAll is Collect with an empty, non-nil slice for no values.
func collectAll[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out, err := Collect(seq)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}
