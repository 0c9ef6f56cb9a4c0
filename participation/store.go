package participation

import (
	"context"
	"iter"
	"time"

	"github.com/osallisuus/osallisuus"
)

// ParticipantStore keeps participants. Implementations are safe for concurrent use and
// must pass participationtest.Run.
type ParticipantStore interface {
	// CreateParticipant stores p with Version 1: ErrConflict if p.ID exists, ErrInvalid if
	// it is zero.
	CreateParticipant(ctx context.Context, p Participant) error
	// GetParticipant returns a copy of the stored value, or ErrNotFound.
	GetParticipant(ctx context.Context, id osallisuus.ParticipantID) (Participant, error)
	// ListParticipants yields matches in ID order; the zero filter matches all.
	ListParticipants(ctx context.Context, f ParticipantFilter) iter.Seq2[Participant, error]
	// UpdateParticipant runs fn on a copy and saves it with Version+1, atomically. If fn
	// fails nothing is saved and fn's error is returned; ErrNotFound if id is unknown. fn
	// may run more than once and must not change ID.
	UpdateParticipant(ctx context.Context, id osallisuus.ParticipantID,
		fn func(*Participant) error) (Participant, error)
}

// ParticipantFilter selects participants; the zero filter matches all.
type ParticipantFilter struct {
	// Kind, when set, matches only that kind.
	Kind Kind
	// Erased, when set, matches only erased participants (ErasedAt set; see
	// [Service.ErasePersonalData]); when false it does not filter. The retention job
	// lists erased participants with it.
	Erased bool
	// After, when set, starts after this ID (a cursor); Limit > 0 caps the count.
	After osallisuus.ParticipantID
	Limit int
}

// Match reports whether p passes the filter's conditions (not the cursor or limit).
func (f ParticipantFilter) Match(p Participant) bool {
	return (f.Kind == KindUnspecified || f.Kind == p.Kind) && (!f.Erased || p.Erased())
}

// RepresentationStore keeps representations and maturity assessments, listed by
// subject in registration order. Implementations are safe for concurrent use.
type RepresentationStore interface {
	// CreateRepresentation stores r with Version 1: ErrConflict if r.ID exists, ErrInvalid
	// if it is zero.
	CreateRepresentation(ctx context.Context, r Representation) error
	// GetRepresentation returns a copy of the stored value, or ErrNotFound.
	GetRepresentation(ctx context.Context, id RepresentationID) (Representation, error)
	// Representations yields the representations whose Subject is subject, in
	// registration order (the order [RepresentationStore.CreateRepresentation] returned).
	Representations(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[Representation, error]
	// UpdateRepresentation runs fn on a copy and saves it with Version+1, atomically (to
	// end a mandate, for example). As UpdateParticipant; fn must not change ID, Subject or
	// Representative.
	UpdateRepresentation(ctx context.Context, id RepresentationID,
		fn func(*Representation) error) (Representation, error)
	// CreateAssessment stores a: ErrConflict if a.ID exists, ErrInvalid if it is zero.
	// Assessments are never changed; a new assessment supersedes an old one.
	CreateAssessment(ctx context.Context, a MaturityAssessment) error
	// Assessments yields the assessments of subject in registration order.
	Assessments(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[MaturityAssessment, error]
	// RepresentedBy yields the representations whose Representative is representative
	// (the people they act for), in registration order. GDPR export lists them.
	RepresentedBy(ctx context.Context, representative osallisuus.ParticipantID) iter.Seq2[Representation, error]
	// DeleteRepresentation removes the representation id for good: Get, Representations
	// and RepresentedBy no longer yield it and its ID may be created again. ErrNotFound
	// if id is unknown. Only GDPR erasure and retention delete ([Service.ErasePersonalData],
	// [Service.ApplyRetention]); ending a mandate is an update of Until.
	DeleteRepresentation(ctx context.Context, id RepresentationID) error
	// DeleteAssessment removes the assessment id for good, as DeleteRepresentation:
	// ErrNotFound if id is unknown. Only GDPR erasure and retention delete.
	DeleteAssessment(ctx context.Context, id AssessmentID) error
}

// ConsentLedger is the append-only consent ledger. Implementations are safe for
// concurrent use.
type ConsentLedger interface {
	// Append assigns ev a new ID (if zero) and the next ledger position (Seq, greater than
	// every stored one) and stores it atomically; ErrConflict if the ID exists. It never
	// changes or reorders stored events and does not validate (the service does).
	Append(ctx context.Context, ev ConsentEvent) (ConsentEvent, error)
	// Events yields the events of subject in ledger order (ascending Seq), reading only
	// that subject's events.
	Events(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[ConsentEvent, error]
	// DeleteEvents removes every event of subject from the ledger, atomically (all or
	// none), and returns how many it removed (0 for a subject without events). It is the
	// only way an event ever leaves the ledger: the GDPR retention job
	// ([Service.ApplyRetention]) calls it when the proof period of an erased subject has
	// ended. Other subjects' events and every ledger position stay as they are; positions
	// are never reused, and a later Append for the subject starts a new history.
	DeleteEvents(ctx context.Context, subject osallisuus.ParticipantID) (int, error)
}

// EventAppender is an optional capability of a [ConsentLedger]: appending copies of a
// subject's events to a caller's slice, which lets [Service.CheckConsent] decide without
// allocating (like io/fs's optional ReadFileFS). When a ledger has it, AppendEvents must
// yield exactly what Events yields, in the same order; participationtest.Run checks that.
type EventAppender interface {
	// AppendEvents appends the events of subject, in ledger order, to dst and returns the
	// extended slice, as append does. The appended values are copies the caller owns.
	AppendEvents(ctx context.Context, subject osallisuus.ParticipantID, dst []ConsentEvent) ([]ConsentEvent, error)
}

// ActivityRecords is what GDPR export and erasure ([Service.ExportPersonalData],
// [Service.ErasePersonalData]) need of the activity data: a person's participation
// records, and a way to cut them from the person while keeping them for the activity
// reports. An [ActivityStore] that also has AnonymiseRecords implements it (memstore's
// Store and examples/sqlstore's ActivityStore do). Safe for concurrent use.
type ActivityRecords interface {
	// ListRecords is [ActivityStore.ListRecords]: the records f matches in ID order.
	ListRecords(ctx context.Context, f RecordFilter) iter.Seq2[ParticipationRecord, error]
	// AnonymiseRecords replaces Who with tombstone on every participation record of who,
	// in one atomic step, setting UpdatedAt to at and Version+1 on each, and returns how
	// many it changed (0 when who has none). Nothing else of a record changes. It is the
	// only way a record's Who ever changes (ActivityTx.UpdateRecord keeps it), and the
	// guard of the activity reports' distinct-person counts: one tombstone for all of a
	// person's records. ErrInvalid if who or tombstone is zero or they are equal.
	AnonymiseRecords(ctx context.Context, who, tombstone osallisuus.ParticipantID, at time.Time) (int, error)
}

// Store is every participation store in one: what a backend implements and what
// participationtest.Run checks.
type Store interface {
	ParticipantStore
	RepresentationStore
	ConsentLedger
}

// Stores bundles the participation stores, which may come from different backends.
type Stores struct {
	Participants    ParticipantStore
	Representations RepresentationStore
	Ledger          ConsentLedger
	// Activities is optional: the activity participation records that GDPR export and
	// erasure cover. Nil means the host keeps no activity data here, and export and
	// erasure cover only the consent data. participationtest.Run requires it to be an
	// [ActivityStore] as well, to seed records.
	Activities ActivityRecords
}

// StoresOf returns the stores of s. Activities is s itself when s also implements
// [ActivityRecords] (memstore's Store does), else nil.
func StoresOf(s Store) Stores {
	st := Stores{Participants: s, Representations: s, Ledger: s}
	if a, ok := s.(ActivityRecords); ok {
		st.Activities = a
	}
	return st
}

// Collect drains seq into a slice, returning the first error. For small listings such
// as a subject's representations.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
