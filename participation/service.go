package participation

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/osallisuus/osallisuus"
)

// Config holds the optional settings of a [Service]; the zero Config is the default.
type Config struct {
	// Clock stamps CreatedAt and RecordedAt; nil means the system clock. Rules never read
	// it: events and queries carry their own instants.
	Clock osallisuus.Clock
	// ProofRetention is how long the consent proof of an erased participant (their
	// consent events and the representations and assessments those events cite) is kept
	// after the erasure, a county setting (GDPR Art 7(1): the controller must be able to
	// show that consent was given). The zero Period means [DefaultProofRetention].
	// Components must not be negative.
	ProofRetention osallisuus.Period
}

// DefaultProofRetention is the default of Config.ProofRetention: three years, the
// general limitation period of a claim (yleinen vanhentumisaika, laki velan
// vanhentumisesta 728/2003 4 §), within which the county may have to show the consent.
var DefaultProofRetention = osallisuus.Period{Years: 3}

// Service registers participants, representations and maturity assessments, records
// consent events and answers consent questions, on [Stores] and a [Policy]. It is thin:
// it loads, applies the pure rules ([CheckConsentEvent], [Decide]) and saves. It
// implements [ConsentChecker] and is safe for concurrent use.
type Service struct {
	stores  Stores
	policy  *Policy
	clock   osallisuus.Clock
	proof   osallisuus.Period // Config.ProofRetention or its default
	buffers sync.Pool         // of *[]ConsentEvent, for CheckConsent
}

// NewService returns a service on stores under policy, which it validates (and compiles).
// The policy must not change afterwards; build a new service for a new policy. The error
// matches ErrInvalid for an invalid policy or missing store.
func NewService(stores Stores, policy *Policy, cfg Config) (*Service, error) {
	ve := &osallisuus.ValidationError{Op: "new participation service"}
	if stores.Participants == nil {
		ve.Add("stores.participants", osallisuus.CodeRequired)
	}
	if stores.Representations == nil {
		ve.Add("stores.representations", osallisuus.CodeRequired)
	}
	if stores.Ledger == nil {
		ve.Add("stores.ledger", osallisuus.CodeRequired)
	}
	if policy == nil {
		ve.Add("policy", osallisuus.CodeRequired)
	} else if err := policy.Validate(); err != nil {
		var pe *osallisuus.ValidationError
		if errors.As(err, &pe) {
			ve.Merge("policy", pe)
		}
	}
	if pr := cfg.ProofRetention; pr.Years < 0 || pr.Months < 0 || pr.Weeks < 0 || pr.Days < 0 {
		ve.Add("config.proofRetention", osallisuus.CodeOutOfRange)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	svc := &Service{stores: stores, policy: policy, clock: osallisuus.ClockOrSystem(cfg.Clock), proof: cfg.ProofRetention}
	if svc.proof.IsZero() {
		svc.proof = DefaultProofRetention
	}
	svc.buffers.New = func() any { b := make([]ConsentEvent, 0, 32); return &b }
	return svc, nil
}

// Policy returns the service's policy; callers must not change it.
func (s *Service) Policy() *Policy { return s.policy }

// Register stores a new participant. A zero ID gets a new one; CreatedAt comes from the
// clock and Version is 1. The erasure marker (ErasedAt, ProofUntil, AnonymisedRecords)
// is set only by [Service.ErasePersonalData]: a participant carrying it is invalid.
// Errors: ErrInvalid (a *osallisuus.ValidationError naming the fields), ErrConflict if
// the ID exists (an erased participant's ID included).
func (s *Service) Register(ctx context.Context, p Participant) (Participant, error) {
	if p.ID.IsZero() {
		id, err := osallisuus.NewParticipantID()
		if err != nil {
			return Participant{}, err
		}
		p.ID = id
	}
	ve := &osallisuus.ValidationError{Op: "validate participant"}
	if err := p.Validate(); err != nil {
		ve.Merge("", asValidation(err))
	}
	if !p.ErasedAt.IsZero() {
		ve.Add("erasedAt", osallisuus.CodeNotAllowed)
	}
	if !p.ProofUntil.IsZero() {
		ve.Add("proofUntil", osallisuus.CodeNotAllowed)
	}
	if p.AnonymisedRecords != 0 {
		ve.Add("anonymisedRecords", osallisuus.CodeNotAllowed)
	}
	if err := ve.Err(); err != nil {
		return Participant{}, err
	}
	p.CreatedAt, p.Version = s.clock.Now().UTC(), 1
	if err := s.stores.Participants.CreateParticipant(ctx, p); err != nil {
		return Participant{}, err
	}
	return p, nil
}

// Participant returns the participant id, or an error matching ErrNotFound.
func (s *Service) Participant(ctx context.Context, id osallisuus.ParticipantID) (Participant, error) {
	return s.stores.Participants.GetParticipant(ctx, id)
}

// AddRepresentation registers a representation (S2). A zero ID gets a new one. Subject and
// representative must be registered participants, purposes must be in the policy.
// Errors: ErrInvalid naming the fields (an unknown participant is code "unknown"),
// ErrConflict if the ID exists, ErrForbidden (a *osallisuus.RuleError with reason
// [ReasonErased]) if the subject or the representative was erased.
func (s *Service) AddRepresentation(ctx context.Context, r Representation) (Representation, error) {
	if r.ID.IsZero() {
		id, err := NewRepresentationID()
		if err != nil {
			return Representation{}, err
		}
		r.ID = id
	}
	ve := &osallisuus.ValidationError{Op: "add representation"}
	if err := r.Validate(s.policy.Has); err != nil {
		ve.Merge("", asValidation(err))
	}
	if err := s.requireKnown(ctx, ve, "subject", r.Subject); err != nil {
		return Representation{}, err
	}
	if r.Representative != r.Subject {
		if err := s.requireKnown(ctx, ve, "representative", r.Representative); err != nil {
			return Representation{}, err
		}
	}
	if err := ve.Err(); err != nil {
		return Representation{}, err
	}
	if err := s.refuseErased(ctx, "add representation", r.Subject, r.Representative); err != nil {
		return Representation{}, err
	}
	r = r.Clone()
	r.CreatedAt, r.Version = s.clock.Now().UTC(), 1
	if err := s.stores.Representations.CreateRepresentation(ctx, r); err != nil {
		return Representation{}, err
	}
	return r, nil
}

// AddAssessment registers a maturity assessment (S3). A zero ID gets a new one. The
// subject and the assessor must be registered; the assessor must be an official (staff),
// else the error is a *osallisuus.RuleError matching ErrForbidden with reason
// [ReasonNotStaff]; an erased subject is refused as in AddRepresentation. Errors
// otherwise as AddRepresentation.
func (s *Service) AddAssessment(ctx context.Context, a MaturityAssessment) (MaturityAssessment, error) {
	if a.ID.IsZero() {
		id, err := NewAssessmentID()
		if err != nil {
			return MaturityAssessment{}, err
		}
		a.ID = id
	}
	ve := &osallisuus.ValidationError{Op: "add maturity assessment"}
	if err := a.Validate(s.policy.Has); err != nil {
		ve.Merge("", asValidation(err))
	}
	if err := s.requireKnown(ctx, ve, "subject", a.Subject); err != nil {
		return MaturityAssessment{}, err
	}
	if err := s.requireKnown(ctx, ve, "by", a.By); err != nil {
		return MaturityAssessment{}, err
	}
	if err := ve.Err(); err != nil {
		return MaturityAssessment{}, err
	}
	assessor, err := s.stores.Participants.GetParticipant(ctx, a.By)
	if err != nil {
		return MaturityAssessment{}, err
	}
	if assessor.Kind != KindOfficial {
		return MaturityAssessment{}, &osallisuus.RuleError{Op: "add maturity assessment",
			Kind: osallisuus.ErrForbidden, Reasons: []osallisuus.Reason{ReasonNotStaff}}
	}
	if err := s.refuseErased(ctx, "add maturity assessment", a.Subject); err != nil {
		return MaturityAssessment{}, err
	}
	a = a.Clone()
	a.CreatedAt = s.clock.Now().UTC()
	if err := s.stores.Representations.CreateAssessment(ctx, a); err != nil {
		return MaturityAssessment{}, err
	}
	return a, nil
}

// Facts loads what the recording rules need about subject. ErrNotFound if the subject is
// not registered.
func (s *Service) Facts(ctx context.Context, subject osallisuus.ParticipantID) (SubjectFacts, error) {
	_, f, err := s.facts(ctx, subject)
	return f, err
}

// facts is Facts with the participant it loaded.
func (s *Service) facts(ctx context.Context, subject osallisuus.ParticipantID) (Participant, SubjectFacts, error) {
	p, err := s.stores.Participants.GetParticipant(ctx, subject)
	if err != nil {
		return Participant{}, SubjectFacts{}, err
	}
	reps, err := Collect(s.stores.Representations.Representations(ctx, subject))
	if err != nil {
		return Participant{}, SubjectFacts{}, err
	}
	as, err := Collect(s.stores.Representations.Assessments(ctx, subject))
	if err != nil {
		return Participant{}, SubjectFacts{}, err
	}
	return p, FactsOf(p, reps, as), nil
}

// Record checks ev (R1 then R2, [CheckConsentEvent]) and appends it to the ledger with
// the authority found and RecordedAt from the clock. It returns the stored event with its
// ID and ledger position. A rejected event stores nothing: ErrInvalid (a
// *osallisuus.ValidationError naming every bad field; an unregistered subject is
// "subject" with code "unknown") or ErrForbidden (a *osallisuus.RuleError with reason
// granter-not-authorized, or [ReasonErased] when the subject was erased: an erased
// person's ledger takes no new events).
func (s *Service) Record(ctx context.Context, ev ConsentEvent) (ConsentEvent, error) {
	ve := &osallisuus.ValidationError{Op: "record consent event"}
	if err := ValidateConsentEvent(s.policy, ev); err != nil {
		ve.Merge("", asValidation(err))
	}
	var facts SubjectFacts
	var subject Participant
	if !ev.Subject.IsZero() {
		p, f, err := s.facts(ctx, ev.Subject)
		switch {
		case errors.Is(err, osallisuus.ErrNotFound):
			ve.Add("subject", osallisuus.CodeUnknown)
		case err != nil:
			return ConsentEvent{}, err
		}
		subject, facts = p, f
	}
	if err := ve.Err(); err != nil {
		return ConsentEvent{}, err
	}
	if subject.Erased() {
		return ConsentEvent{}, &osallisuus.RuleError{Op: "record consent event", Kind: osallisuus.ErrForbidden,
			Reasons: []osallisuus.Reason{ReasonErased}}
	}
	auth, err := CheckConsentEvent(s.policy, facts, ev)
	if err != nil {
		return ConsentEvent{}, err
	}
	ev.ID, ev.Seq = EventID{}, 0
	ev.Authority = auth
	ev.RecordedAt = s.clock.Now().UTC()
	return s.stores.Ledger.Append(ctx, ev)
}

// CheckConsent answers q from the subject's events (spec/consent.md §7), implementing
// [ConsentChecker]. It reads only q.Subject's events, straight from the ledger's
// iterator. An erased subject ([Service.ErasePersonalData]) is denied with reason
// [ReasonErased] for every purpose, public-task ones included, whatever the ledger
// holds. Errors: ErrInvalid for an invalid query or an unregistered subject (D1);
// store errors as they come.
func (s *Service) CheckConsent(ctx context.Context, q ConsentQuery) (ConsentDecision, error) {
	pu, err := checkQuery(s.policy, &q)
	if err != nil {
		return ConsentDecision{}, err
	}
	p, err := s.stores.Participants.GetParticipant(ctx, q.Subject)
	if err != nil {
		if errors.Is(err, osallisuus.ErrNotFound) {
			return ConsentDecision{}, &osallisuus.ValidationError{Op: "decide consent",
				Problems: []osallisuus.Problem{{Field: "subject", Code: osallisuus.CodeUnknown}}}
		}
		return ConsentDecision{}, err
	}
	if p.Erased() {
		return ConsentDecision{Reason: ReasonErased, Query: q}, nil
	}
	if pu.Basis == BasisPublicTask {
		return ConsentDecision{Allowed: true, Reason: ReasonNotRequired, Query: q}, nil
	}
	buf := s.buffers.Get().(*[]ConsentEvent)
	defer func() {
		clear(*buf) // drop references to the subject's data before pooling
		*buf = (*buf)[:0]
		s.buffers.Put(buf)
	}()
	events, err := s.subjectEvents(ctx, q.Subject, (*buf)[:0])
	*buf = events
	if err != nil {
		return ConsentDecision{}, fmt.Errorf("check consent: %w", err)
	}
	d := ConsentDecision{Query: q}
	decideEvents(&d, pu, events, &q)
	if d.Event != nil { // the buffer goes back to the pool: the decision gets its own copy
		ev := *d.Event
		d.Event = &ev
	}
	return d, nil
}

// subjectEvents appends subject's events to dst, through [EventAppender] when the ledger
// has it.
func (s *Service) subjectEvents(ctx context.Context, subject osallisuus.ParticipantID, dst []ConsentEvent) ([]ConsentEvent, error) {
	if a, ok := s.stores.Ledger.(EventAppender); ok {
		return a.AppendEvents(ctx, subject, dst)
	}
	return appendEvents(ctx, s.stores.Ledger, subject, dst)
}

// appendEvents collects subject's events from the ledger's iterator. It is a function of
// its own because the iterator's closures move its arguments to the heap.
func appendEvents(ctx context.Context, l ConsentLedger, subject osallisuus.ParticipantID, dst []ConsentEvent) ([]ConsentEvent, error) {
	for ev, err := range l.Events(ctx, subject) {
		if err != nil {
			return dst, err
		}
		dst = append(dst, ev)
	}
	return dst, nil
}

// requireKnown adds a problem to ve when id is set but not registered; other store errors
// are returned.
func (s *Service) requireKnown(ctx context.Context, ve *osallisuus.ValidationError, field string, id osallisuus.ParticipantID) error {
	if id.IsZero() {
		return nil // Validate reported it
	}
	_, err := s.stores.Participants.GetParticipant(ctx, id)
	if errors.Is(err, osallisuus.ErrNotFound) {
		ve.Add(field, osallisuus.CodeUnknown)
		return nil
	}
	return err
}

// refuseErased returns a *osallisuus.RuleError (ErrForbidden, [ReasonErased]) when one
// of ids is an erased participant; unknown ones were reported before.
func (s *Service) refuseErased(ctx context.Context, op string, ids ...osallisuus.ParticipantID) error {
	for _, id := range ids {
		p, err := s.stores.Participants.GetParticipant(ctx, id)
		if errors.Is(err, osallisuus.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if p.Erased() {
			return &osallisuus.RuleError{Op: op, Kind: osallisuus.ErrForbidden, Reasons: []osallisuus.Reason{ReasonErased}}
		}
	}
	return nil
}

func asValidation(err error) *osallisuus.ValidationError {
	ve, _ := errors.AsType[*osallisuus.ValidationError](err)
	return ve
}
