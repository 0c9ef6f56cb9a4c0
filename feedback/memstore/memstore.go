// Package memstore is the in-memory implementation of the feedback stores
// (feedback.Store): the reference every other implementation is compared with, and a
// ready store for host tests and examples. The zero Store is empty and ready to use. It
// is safe for concurrent use and passes feedbacktest.Run.
package memstore

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
	"github.com/osallisuus/osallisuus/internal/memtable"
)

// Store keeps feedback, contacts and loop summaries in memory under one lock. Values in,
// values out: it deep-copies on the way in and out.
type Store struct {
	mu        sync.RWMutex
	feedback  map[feedback.ID]feedback.Feedback
	contacts  map[feedback.ID]feedback.Contact
	summaries map[feedback.SummaryID]feedback.LoopSummary
	surveys   surveyData // questionnaires and responses (survey.go)
}

var _ feedback.Store = (*Store)(nil)

// New returns an empty store; the zero Store works as well.
func New() *Store { return &Store{} }

func (s *Store) init() {
	if s.feedback == nil {
		s.feedback = map[feedback.ID]feedback.Feedback{}
		s.contacts = map[feedback.ID]feedback.Contact{}
		s.summaries = map[feedback.SummaryID]feedback.LoopSummary{}
	}
}

// The maps for memtable, read under the lock; the made… ones first make the maps.

func (s *Store) feedbackMap() map[feedback.ID]feedback.Feedback          { return s.feedback }
func (s *Store) contactMap() map[feedback.ID]feedback.Contact            { return s.contacts }
func (s *Store) summaryMap() map[feedback.SummaryID]feedback.LoopSummary { return s.summaries }

func (s *Store) madeFeedback() map[feedback.ID]feedback.Feedback { s.init(); return s.feedback }
func (s *Store) madeContacts() map[feedback.ID]feedback.Contact  { s.init(); return s.contacts }
func (s *Store) madeSummaries() map[feedback.SummaryID]feedback.LoopSummary {
	s.init()
	return s.summaries
}

func copyFeedback(f feedback.Feedback) feedback.Feedback {
	f.Redactions = slices.Clone(f.Redactions)
	f.Classification.Themes = slices.Clone(f.Classification.Themes)
	f.Classification.Matches = slices.Clone(f.Classification.Matches)
	events := make([]feedback.Event, len(f.Events))
	for i, e := range f.Events {
		if e.OldLabels != nil {
			l := *e.OldLabels
			e.OldLabels = &l
		}
		if e.NewLabels != nil {
			l := *e.NewLabels
			e.NewLabels = &l
		}
		events[i] = e
	}
	if f.Events == nil {
		events = nil
	}
	f.Events = events
	return f
}

func copySummary(s feedback.LoopSummary) feedback.LoopSummary {
	s.UnitCodes = slices.Clone(s.UnitCodes)
	s.Themes = slices.Clone(s.Themes)
	s.Linked = slices.Clone(s.Linked)
	return s
}

func byUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

var (
	feedbacks = memtable.Kind[feedback.ID, feedback.Feedback]{
		Clone:     copyFeedback,
		Version:   func(f *feedback.Feedback) *int64 { return &f.Version },
		Compare:   func(a, b feedback.ID) int { return byUUID(a.UUID, b.UUID) },
		NotFound:  func(id feedback.ID) error { return osallisuus.NotFound("feedback", id) },
		Conflict:  func(id feedback.ID) error { return fmt.Errorf("create feedback %s: %w", id, osallisuus.ErrConflict) },
		Invalid:   func() error { return feedback.ErrZeroID("create feedback") },
		CheckEach: true,
	}
	// contacts are keyed by their feedback's ID and have no Version.
	contacts = memtable.Kind[feedback.ID, feedback.Contact]{
		Compare:  func(a, b feedback.ID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id feedback.ID) error { return osallisuus.NotFound("contact of feedback", id) },
		Conflict: func(id feedback.ID) error { return fmt.Errorf("create contact for %s: %w", id, osallisuus.ErrConflict) },
		Invalid:  func() error { return feedback.ErrZeroID("create contact") },
	}
	summaries = memtable.Kind[feedback.SummaryID, feedback.LoopSummary]{
		Clone:    copySummary,
		Version:  func(s *feedback.LoopSummary) *int64 { return &s.Version },
		Compare:  func(a, b feedback.SummaryID) int { return byUUID(a.UUID, b.UUID) },
		NotFound: func(id feedback.SummaryID) error { return osallisuus.NotFound("summary", id) },
		Conflict: func(id feedback.SummaryID) error {
			return fmt.Errorf("create summary %s: %w", id, osallisuus.ErrConflict)
		},
		Invalid: func() error { return feedback.ErrZeroID("create summary") },
	}
)

// CreateFeedback implements feedback.FeedbackStore.
func (s *Store) CreateFeedback(ctx context.Context, f feedback.Feedback) error {
	return feedbacks.LockedCreate(ctx, &s.mu, s.madeFeedback, f.ID, f)
}

// GetFeedback implements feedback.FeedbackStore.
func (s *Store) GetFeedback(ctx context.Context, id feedback.ID) (feedback.Feedback, error) {
	return feedbacks.LockedGet(ctx, &s.mu, s.feedbackMap, id)
}

// ListFeedback implements feedback.FeedbackStore. It takes a snapshot of the matches
// under the lock and yields them after unlocking.
func (s *Store) ListFeedback(ctx context.Context, flt feedback.FeedbackFilter) iter.Seq2[feedback.Feedback, error] {
	return feedbacks.List(ctx, &s.mu, s.feedbackMap,
		memtable.Page[feedback.ID, feedback.Feedback]{
			Match: func(f *feedback.Feedback) bool { return flt.Match(*f) }, After: flt.After, Limit: flt.Limit})
}

// UpdateFeedback implements feedback.FeedbackStore.
func (s *Store) UpdateFeedback(ctx context.Context, id feedback.ID, fn func(*feedback.Feedback) error) (feedback.Feedback, error) {
	return feedbacks.LockedUpdate(ctx, &s.mu, s.feedbackMap, id, fn, func(next *feedback.Feedback, _ feedback.Feedback) error {
		next.ID = id
		return nil
	})
}

// UpdateFeedbackPair implements feedback.FeedbackStore.
func (s *Store) UpdateFeedbackPair(ctx context.Context, a, b feedback.ID, fn func(a, b *feedback.Feedback) error) (feedback.Feedback, feedback.Feedback, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Feedback{}, feedback.Feedback{}, err
	}
	if a == b {
		return feedback.Feedback{}, feedback.Feedback{}, osallisuus.Invalid("into", osallisuus.CodeNotAllowed)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ca, ok1 := s.feedback[a]
	cb, ok2 := s.feedback[b]
	if !ok1 {
		return feedback.Feedback{}, feedback.Feedback{}, osallisuus.NotFound("feedback", a)
	}
	if !ok2 {
		return feedback.Feedback{}, feedback.Feedback{}, osallisuus.NotFound("feedback", b)
	}
	wa, wb := copyFeedback(ca), copyFeedback(cb)
	if err := fn(&wa, &wb); err != nil {
		return feedback.Feedback{}, feedback.Feedback{}, err
	}
	wa.ID, wa.Version = a, ca.Version+1
	wb.ID, wb.Version = b, cb.Version+1
	s.feedback[a], s.feedback[b] = copyFeedback(wa), copyFeedback(wb)
	return wa, wb, nil
}

// CreateContact implements feedback.ContactStore.
func (s *Store) CreateContact(ctx context.Context, c feedback.Contact) error {
	return contacts.LockedCreate(ctx, &s.mu, s.madeContacts, c.Feedback, c)
}

// GetContact implements feedback.ContactStore.
func (s *Store) GetContact(ctx context.Context, id feedback.ID) (feedback.Contact, error) {
	return contacts.LockedGet(ctx, &s.mu, s.contactMap, id)
}

// DeleteContact implements feedback.ContactStore.
func (s *Store) DeleteContact(ctx context.Context, id feedback.ID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.contacts[id]; !ok {
		return osallisuus.NotFound("contact of feedback", id)
	}
	delete(s.contacts, id)
	return nil
}

// ListContacts implements feedback.ContactStore. It takes a snapshot of the matches
// under the lock and yields them after unlocking.
func (s *Store) ListContacts(ctx context.Context, flt feedback.ContactFilter) iter.Seq2[feedback.Contact, error] {
	return contacts.List(ctx, &s.mu, s.contactMap,
		memtable.Page[feedback.ID, feedback.Contact]{
			Match: func(c *feedback.Contact) bool { return flt.Match(*c) }, After: flt.After, Limit: flt.Limit})
}

// CreateSummary implements feedback.SummaryStore.
func (s *Store) CreateSummary(ctx context.Context, ls feedback.LoopSummary) error {
	return summaries.LockedCreate(ctx, &s.mu, s.madeSummaries, ls.ID, ls)
}

// GetSummary implements feedback.SummaryStore.
func (s *Store) GetSummary(ctx context.Context, id feedback.SummaryID) (feedback.LoopSummary, error) {
	return summaries.LockedGet(ctx, &s.mu, s.summaryMap, id)
}

// ListSummaries implements feedback.SummaryStore.
func (s *Store) ListSummaries(ctx context.Context, flt feedback.SummaryFilter) iter.Seq2[feedback.LoopSummary, error] {
	return summaries.List(ctx, &s.mu, s.summaryMap,
		memtable.Page[feedback.SummaryID, feedback.LoopSummary]{
			Match: func(ls *feedback.LoopSummary) bool { return flt.Status == "" || flt.Status == ls.Status },
			After: flt.After, Limit: flt.Limit})
}

// UpdateSummary implements feedback.SummaryStore.
func (s *Store) UpdateSummary(ctx context.Context, id feedback.SummaryID, fn func(*feedback.LoopSummary) error) (feedback.LoopSummary, error) {
	return summaries.LockedUpdate(ctx, &s.mu, s.summaryMap, id, fn, func(next *feedback.LoopSummary, _ feedback.LoopSummary) error {
		next.ID = id
		return nil
	})
}
