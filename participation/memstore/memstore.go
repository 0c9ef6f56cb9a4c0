// Package memstore is the in-memory implementation of the participation stores
// (participation.Store): the reference every other implementation is compared with, and
// a ready store for host tests and examples. The zero Store is empty and ready to use.
// It is safe for concurrent use and passes participationtest.Run and
// participationtest.RunActivities.
package memstore

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/internal/memtable"
	"github.com/osallisuus/osallisuus/participation"
)

// Store keeps participants, representations, maturity assessments and the consent ledger
// in memory under one lock, and the activity data (organisations, projects, activities)
// under a second lock of its own. Values in, values out: it deep-copies on the way in and out.
type Store struct {
	mu           sync.RWMutex
	participants map[osallisuus.ParticipantID]participation.Participant
	reps         map[participation.RepresentationID]participation.Representation
	repsBy       map[osallisuus.ParticipantID][]participation.RepresentationID // registration order
	repsOf       map[osallisuus.ParticipantID][]participation.RepresentationID // by representative, registration order
	assessments  map[participation.AssessmentID]participation.MaturityAssessment
	assessBy     map[osallisuus.ParticipantID][]participation.AssessmentID
	eventIDs     map[participation.EventID]bool
	// events holds each subject's events in ledger order. The slices are append-only, so
	// a reader may keep a prefix of one and read it after unlocking: appends write only
	// past its length. DeleteEvents drops a subject's slice from the map, never changing
	// it, so a reader's prefix stays intact.
	events map[osallisuus.ParticipantID][]participation.ConsentEvent
	seq    int64
	// act holds the activity stores' data under a lock of its own (activity.go).
	act activityData
}

var (
	_ participation.Store         = (*Store)(nil)
	_ participation.EventAppender = (*Store)(nil)
)

// New returns an empty store; the zero Store works as well.
func New() *Store { return &Store{} }

func (s *Store) init() {
	if s.participants == nil {
		s.participants = make(map[osallisuus.ParticipantID]participation.Participant)
		s.reps = make(map[participation.RepresentationID]participation.Representation)
		s.repsBy = make(map[osallisuus.ParticipantID][]participation.RepresentationID)
		s.repsOf = make(map[osallisuus.ParticipantID][]participation.RepresentationID)
		s.assessments = make(map[participation.AssessmentID]participation.MaturityAssessment)
		s.assessBy = make(map[osallisuus.ParticipantID][]participation.AssessmentID)
		s.eventIDs = make(map[participation.EventID]bool)
		s.events = make(map[osallisuus.ParticipantID][]participation.ConsentEvent)
	}
}

func byUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

var (
	participants = memtable.Kind[osallisuus.ParticipantID, participation.Participant]{
		Version:  func(p *participation.Participant) *int64 { return &p.Version },
		Compare:  func(a, b osallisuus.ParticipantID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id osallisuus.ParticipantID) error { return osallisuus.NotFound("participant", id) },
		Conflict: func(id osallisuus.ParticipantID) error {
			return fmt.Errorf("create participant %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error {
			return fmt.Errorf("create participant: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
		},
	}
	representations = memtable.Kind[participation.RepresentationID, participation.Representation]{
		Clone:    participation.Representation.Clone,
		Version:  func(r *participation.Representation) *int64 { return &r.Version },
		NotFound: func(id participation.RepresentationID) error { return osallisuus.NotFound("representation", id) },
		Conflict: func(id participation.RepresentationID) error {
			return fmt.Errorf("create representation %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error {
			return fmt.Errorf("create representation: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
		},
	}
	// assessments have no Version: they are never updated.
	assessments = memtable.Kind[participation.AssessmentID, participation.MaturityAssessment]{
		Clone: participation.MaturityAssessment.Clone,
		Conflict: func(id participation.AssessmentID) error {
			return fmt.Errorf("create assessment %s: %w", id, osallisuus.ErrConflict)
		},
	}
)

// The maps for memtable, read under the lock; the made… ones first make the maps.

func (s *Store) participantMap() map[osallisuus.ParticipantID]participation.Participant {
	return s.participants
}
func (s *Store) madeParticipants() map[osallisuus.ParticipantID]participation.Participant {
	s.init()
	return s.participants
}
func (s *Store) repMap() map[participation.RepresentationID]participation.Representation {
	return s.reps
}

// CreateParticipant implements participation.ParticipantStore.
func (s *Store) CreateParticipant(ctx context.Context, p participation.Participant) error {
	return participants.LockedCreate(ctx, &s.mu, s.madeParticipants, p.ID, p)
}

// GetParticipant implements participation.ParticipantStore.
func (s *Store) GetParticipant(ctx context.Context, id osallisuus.ParticipantID) (participation.Participant, error) {
	return participants.LockedGet(ctx, &s.mu, s.participantMap, id)
}

// ListParticipants implements participation.ParticipantStore.
func (s *Store) ListParticipants(ctx context.Context, f participation.ParticipantFilter) iter.Seq2[participation.Participant, error] {
	return participants.List(ctx, &s.mu, s.participantMap,
		memtable.Page[osallisuus.ParticipantID, participation.Participant]{
			Match: func(p *participation.Participant) bool { return f.Match(*p) }, After: f.After, Limit: f.Limit})
}

// UpdateParticipant implements participation.ParticipantStore.
func (s *Store) UpdateParticipant(ctx context.Context, id osallisuus.ParticipantID, fn func(*participation.Participant) error) (participation.Participant, error) {
	return participants.LockedUpdate(ctx, &s.mu, s.participantMap, id, fn, func(next *participation.Participant, _ participation.Participant) error {
		next.ID = id
		return nil
	})
}

// CreateRepresentation implements participation.RepresentationStore.
func (s *Store) CreateRepresentation(ctx context.Context, r participation.Representation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ID.IsZero() {
		return fmt.Errorf("create representation: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if err := representations.Create(s.reps, r.ID, r); err != nil {
		return err
	}
	s.repsBy[r.Subject] = append(s.repsBy[r.Subject], r.ID)
	s.repsOf[r.Representative] = append(s.repsOf[r.Representative], r.ID)
	return nil
}

// GetRepresentation implements participation.RepresentationStore.
func (s *Store) GetRepresentation(ctx context.Context, id participation.RepresentationID) (participation.Representation, error) {
	return representations.LockedGet(ctx, &s.mu, s.repMap, id)
}

// Representations implements participation.RepresentationStore.
func (s *Store) Representations(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[participation.Representation, error] {
	return s.listReps(ctx, func() []participation.RepresentationID { return s.repsBy[subject] })
}

// RepresentedBy implements participation.RepresentationStore.
func (s *Store) RepresentedBy(ctx context.Context, representative osallisuus.ParticipantID) iter.Seq2[participation.Representation, error] {
	return s.listReps(ctx, func() []participation.RepresentationID { return s.repsOf[representative] })
}

// listReps yields copies of the representations of the IDs that index returns under the
// read lock.
func (s *Store) listReps(ctx context.Context, index func() []participation.RepresentationID) iter.Seq2[participation.Representation, error] {
	return func(yield func(participation.Representation, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(participation.Representation{}, err)
			return
		}
		s.mu.RLock()
		ids := index()
		out := make([]participation.Representation, 0, len(ids))
		for _, id := range ids {
			out = append(out, s.reps[id].Clone())
		}
		s.mu.RUnlock()
		for _, r := range out {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// UpdateRepresentation implements participation.RepresentationStore.
func (s *Store) UpdateRepresentation(ctx context.Context, id participation.RepresentationID, fn func(*participation.Representation) error) (participation.Representation, error) {
	return representations.LockedUpdate(ctx, &s.mu, s.repMap, id, fn, func(next *participation.Representation, cur participation.Representation) error {
		next.ID, next.Subject, next.Representative = cur.ID, cur.Subject, cur.Representative
		return nil
	})
}

// CreateAssessment implements participation.RepresentationStore.
func (s *Store) CreateAssessment(ctx context.Context, a participation.MaturityAssessment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a.ID.IsZero() {
		return fmt.Errorf("create assessment: %w", osallisuus.Invalid("id", osallisuus.CodeRequired))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if err := assessments.Create(s.assessments, a.ID, a); err != nil {
		return err
	}
	s.assessBy[a.Subject] = append(s.assessBy[a.Subject], a.ID)
	return nil
}

// Assessments implements participation.RepresentationStore.
func (s *Store) Assessments(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[participation.MaturityAssessment, error] {
	return func(yield func(participation.MaturityAssessment, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(participation.MaturityAssessment{}, err)
			return
		}
		s.mu.RLock()
		ids := s.assessBy[subject]
		out := make([]participation.MaturityAssessment, 0, len(ids))
		for _, id := range ids {
			out = append(out, s.assessments[id].Clone())
		}
		s.mu.RUnlock()
		for _, a := range out {
			if !yield(a, nil) {
				return
			}
		}
	}
}

// Append implements participation.ConsentLedger.
func (s *Store) Append(ctx context.Context, ev participation.ConsentEvent) (participation.ConsentEvent, error) {
	if err := ctx.Err(); err != nil {
		return participation.ConsentEvent{}, err
	}
	if ev.ID.IsZero() {
		id, err := participation.NewEventID()
		if err != nil {
			return participation.ConsentEvent{}, err
		}
		ev.ID = id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if s.eventIDs[ev.ID] {
		return participation.ConsentEvent{}, fmt.Errorf("append consent event %s: %w", ev.ID, osallisuus.ErrConflict)
	}
	s.seq++
	ev.Seq = s.seq
	s.eventIDs[ev.ID] = true
	s.events[ev.Subject] = append(s.events[ev.Subject], ev)
	return ev, nil
}

// Events implements participation.ConsentLedger. It yields from a snapshot taken under
// the lock (a prefix of the append-only slice), so the consumer may call the store.
func (s *Store) Events(ctx context.Context, subject osallisuus.ParticipantID) iter.Seq2[participation.ConsentEvent, error] {
	return func(yield func(participation.ConsentEvent, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(participation.ConsentEvent{}, err)
			return
		}
		s.mu.RLock()
		evs := s.events[subject]
		s.mu.RUnlock()
		for i := range evs {
			if !yield(evs[i], nil) {
				return
			}
		}
	}
}

// AppendEvents implements participation.EventAppender: it appends copies of subject's
// events, in ledger order, to dst.
func (s *Store) AppendEvents(ctx context.Context, subject osallisuus.ParticipantID, dst []participation.ConsentEvent) ([]participation.ConsentEvent, error) {
	if err := ctx.Err(); err != nil {
		return dst, err
	}
	s.mu.RLock()
	evs := s.events[subject]
	s.mu.RUnlock()
	return append(dst, evs...), nil
}

// DeleteRepresentation implements participation.RepresentationStore.
func (s *Store) DeleteRepresentation(ctx context.Context, id participation.RepresentationID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reps[id]
	if !ok {
		return osallisuus.NotFound("representation", id)
	}
	delete(s.reps, id)
	dropID(s.repsBy, r.Subject, id)
	dropID(s.repsOf, r.Representative, id)
	return nil
}

// DeleteAssessment implements participation.RepresentationStore.
func (s *Store) DeleteAssessment(ctx context.Context, id participation.AssessmentID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.assessments[id]
	if !ok {
		return osallisuus.NotFound("assessment", id)
	}
	delete(s.assessments, id)
	dropID(s.assessBy, a.Subject, id)
	return nil
}

// dropID sets index[key] to a new slice without id (removing the key when none is
// left), leaving the old slice as it was.
func dropID[K comparable, ID comparable](index map[K][]ID, key K, id ID) {
	var out []ID
	for _, x := range index[key] {
		if x != id {
			out = append(out, x)
		}
	}
	if out == nil {
		delete(index, key)
		return
	}
	index[key] = out
}

// DeleteEvents implements participation.ConsentLedger: it drops the subject's events and
// frees their IDs; the ledger counter is not rewound.
func (s *Store) DeleteEvents(ctx context.Context, subject osallisuus.ParticipantID) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	evs := s.events[subject]
	for i := range evs {
		delete(s.eventIDs, evs[i].ID)
	}
	delete(s.events, subject)
	return len(evs), nil
}
