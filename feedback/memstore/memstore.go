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

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
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

// CreateFeedback implements feedback.FeedbackStore.
func (s *Store) CreateFeedback(ctx context.Context, f feedback.Feedback) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.ID.IsZero() {
		return feedback.ErrZeroID("create feedback")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if _, ok := s.feedback[f.ID]; ok {
		return fmt.Errorf("create feedback %s: %w", f.ID, osallisuus.ErrConflict)
	}
	f = copyFeedback(f)
	f.Version = 1
	s.feedback[f.ID] = f
	return nil
}

// GetFeedback implements feedback.FeedbackStore.
func (s *Store) GetFeedback(ctx context.Context, id feedback.ID) (feedback.Feedback, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Feedback{}, err
	}
	s.mu.RLock()
	f, ok := s.feedback[id]
	s.mu.RUnlock()
	if !ok {
		return feedback.Feedback{}, osallisuus.NotFound("feedback", id)
	}
	return copyFeedback(f), nil
}

// ListFeedback implements feedback.FeedbackStore. It takes a snapshot of the matches
// under the lock and yields them after unlocking.
func (s *Store) ListFeedback(ctx context.Context, flt feedback.FeedbackFilter) iter.Seq2[feedback.Feedback, error] {
	return func(yield func(feedback.Feedback, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(feedback.Feedback{}, err)
			return
		}
		s.mu.RLock()
		var list []feedback.Feedback
		for id, f := range s.feedback {
			if flt.Match(f) && (flt.After.IsZero() || bytes.Compare(id.UUID[:], flt.After.UUID[:]) > 0) {
				list = append(list, copyFeedback(f))
			}
		}
		s.mu.RUnlock()
		slices.SortFunc(list, func(a, b feedback.Feedback) int { return bytes.Compare(a.ID.UUID[:], b.ID.UUID[:]) })
		if flt.Limit > 0 && len(list) > flt.Limit {
			list = list[:flt.Limit]
		}
		for _, f := range list {
			if err := ctx.Err(); err != nil {
				yield(feedback.Feedback{}, err)
				return
			}
			if !yield(f, nil) {
				return
			}
		}
	}
}

// UpdateFeedback implements feedback.FeedbackStore.
func (s *Store) UpdateFeedback(ctx context.Context, id feedback.ID, fn func(*feedback.Feedback) error) (feedback.Feedback, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Feedback{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.feedback[id]
	if !ok {
		return feedback.Feedback{}, osallisuus.NotFound("feedback", id)
	}
	work := copyFeedback(cur)
	if err := fn(&work); err != nil {
		return feedback.Feedback{}, err
	}
	work.ID, work.Version = id, cur.Version+1
	s.feedback[id] = copyFeedback(work)
	return work, nil
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
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.Feedback.IsZero() {
		return feedback.ErrZeroID("create contact")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if _, ok := s.contacts[c.Feedback]; ok {
		return fmt.Errorf("create contact for %s: %w", c.Feedback, osallisuus.ErrConflict)
	}
	s.contacts[c.Feedback] = c
	return nil
}

// GetContact implements feedback.ContactStore.
func (s *Store) GetContact(ctx context.Context, id feedback.ID) (feedback.Contact, error) {
	if err := ctx.Err(); err != nil {
		return feedback.Contact{}, err
	}
	s.mu.RLock()
	c, ok := s.contacts[id]
	s.mu.RUnlock()
	if !ok {
		return feedback.Contact{}, osallisuus.NotFound("contact of feedback", id)
	}
	return c, nil
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

// CreateSummary implements feedback.SummaryStore.
func (s *Store) CreateSummary(ctx context.Context, ls feedback.LoopSummary) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ls.ID.IsZero() {
		return feedback.ErrZeroID("create summary")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if _, ok := s.summaries[ls.ID]; ok {
		return fmt.Errorf("create summary %s: %w", ls.ID, osallisuus.ErrConflict)
	}
	ls = copySummary(ls)
	ls.Version = 1
	s.summaries[ls.ID] = ls
	return nil
}

// GetSummary implements feedback.SummaryStore.
func (s *Store) GetSummary(ctx context.Context, id feedback.SummaryID) (feedback.LoopSummary, error) {
	if err := ctx.Err(); err != nil {
		return feedback.LoopSummary{}, err
	}
	s.mu.RLock()
	ls, ok := s.summaries[id]
	s.mu.RUnlock()
	if !ok {
		return feedback.LoopSummary{}, osallisuus.NotFound("summary", id)
	}
	return copySummary(ls), nil
}

// ListSummaries implements feedback.SummaryStore.
func (s *Store) ListSummaries(ctx context.Context, flt feedback.SummaryFilter) iter.Seq2[feedback.LoopSummary, error] {
	return func(yield func(feedback.LoopSummary, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(feedback.LoopSummary{}, err)
			return
		}
		s.mu.RLock()
		var list []feedback.LoopSummary
		for id, ls := range s.summaries {
			if (flt.Status == "" || flt.Status == ls.Status) &&
				(flt.After.IsZero() || bytes.Compare(id.UUID[:], flt.After.UUID[:]) > 0) {
				list = append(list, copySummary(ls))
			}
		}
		s.mu.RUnlock()
		slices.SortFunc(list, func(a, b feedback.LoopSummary) int { return bytes.Compare(a.ID.UUID[:], b.ID.UUID[:]) })
		if flt.Limit > 0 && len(list) > flt.Limit {
			list = list[:flt.Limit]
		}
		for _, ls := range list {
			if !yield(ls, nil) {
				return
			}
		}
	}
}

// UpdateSummary implements feedback.SummaryStore.
func (s *Store) UpdateSummary(ctx context.Context, id feedback.SummaryID, fn func(*feedback.LoopSummary) error) (feedback.LoopSummary, error) {
	if err := ctx.Err(); err != nil {
		return feedback.LoopSummary{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.summaries[id]
	if !ok {
		return feedback.LoopSummary{}, osallisuus.NotFound("summary", id)
	}
	work := copySummary(cur)
	if err := fn(&work); err != nil {
		return feedback.LoopSummary{}, err
	}
	work.ID, work.Version = id, cur.Version+1
	s.summaries[id] = copySummary(work)
	return work, nil
}
