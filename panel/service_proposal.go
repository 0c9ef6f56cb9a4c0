package panel

import (
	"context"
	"errors"
	"iter"
	"strings"

	"github.com/osallisuus/osallisuus"
)

// SubmitRequest submits a proposal of a panel; Meeting names the adopting meeting.
type SubmitRequest struct {
	Panel   PanelID
	ID      ProposalID // zero: a new one
	Kind    ProposalKind
	Text    string
	Meeting MeetingID // zero: none
}

// Submit submits a proposal (4.5) with its answer due date: ErrInvalid kind or blank
// text, ErrNotFound for an unknown meeting, ErrConflict for the panel state, a taken ID
// (exists) or, when quorate adoption is required, no held quorate meeting (not-adopted).
func (s *Service) Submit(ctx context.Context, r SubmitRequest) (Proposal, error) {
	const op = "submit proposal"
	ve := &osallisuus.ValidationError{Op: op}
	if !r.Kind.Valid() {
		ve.Add("kind", required(string(r.Kind)))
	}
	if strings.TrimSpace(r.Text) == "" {
		ve.Add("text", osallisuus.CodeRequired)
	}
	if err := ve.Err(); err != nil {
		return Proposal{}, err
	}
	now := s.clock.Now()
	p, err := s.view(ctx, r.Panel, now, &Consents{})
	if err != nil {
		return Proposal{}, err
	}
	var adopted *Meeting
	if !r.Meeting.IsZero() {
		m, err := s.store.GetMeeting(ctx, r.Meeting)
		if err != nil {
			return Proposal{}, err
		}
		adopted = &m
	}
	if err := p.requireActive(op); err != nil {
		return Proposal{}, err
	}
	if r.ID.IsZero() {
		if r.ID, err = NewProposalID(); err != nil {
			return Proposal{}, err
		}
	} else if _, err := s.store.GetProposal(ctx, r.ID); err == nil {
		return Proposal{}, conflict(op, ReasonExists)
	} else if !errors.Is(err, osallisuus.ErrNotFound) {
		return Proposal{}, err
	}
	prop, err := Submit(&p, r.ID, r.Kind, r.Text, adopted, now)
	if err != nil {
		return Proposal{}, err
	}
	if err := s.store.CreateProposal(ctx, prop); err != nil {
		if errors.Is(err, osallisuus.ErrConflict) {
			return Proposal{}, conflict(op, ReasonExists)
		}
		return Proposal{}, err
	}
	return s.store.GetProposal(ctx, r.ID)
}

// Answer records the organisation's answer; it works on closed panels too.
func (s *Service) Answer(ctx context.Context, id ProposalID, a Answer) (Proposal, error) {
	now := s.clock.Now()
	probe := Proposal{State: ProposalSubmitted}
	if err := probe.AnswerWith(a, now); err != nil {
		return Proposal{}, err
	}
	return s.store.UpdateProposal(ctx, id, func(p *Proposal) error { return p.AnswerWith(a, now) })
}

// Implement records that an accepted or partly accepted proposal was carried out.
func (s *Service) Implement(ctx context.Context, id ProposalID, description string, on osallisuus.Date) (Proposal, error) {
	now := s.clock.Now()
	probe := Proposal{State: ProposalAnswered, Answer: &Answer{Outcome: Accepted}}
	if err := probe.MarkImplemented(description, on, now); err != nil {
		return Proposal{}, err
	}
	return s.store.UpdateProposal(ctx, id, func(p *Proposal) error { return p.MarkImplemented(description, on, now) })
}

// Proposals yields the proposals f matches, in ID order.
func (s *Service) Proposals(ctx context.Context, f ProposalFilter) iter.Seq2[Proposal, error] {
	return s.store.ListProposals(ctx, f)
}

// StartReview marks a submitted proposal as in review.
func (s *Service) StartReview(ctx context.Context, id ProposalID) (Proposal, error) {
	return s.store.UpdateProposal(ctx, id, func(p *Proposal) error { return p.StartReview() })
}

// Withdraw withdraws a draft or submitted proposal.
func (s *Service) Withdraw(ctx context.Context, id ProposalID) (Proposal, error) {
	return s.store.UpdateProposal(ctx, id, func(p *Proposal) error { return p.Withdraw() })
}

// AddNote appends a follow-up note to an answered proposal.
func (s *Service) AddNote(ctx context.Context, id ProposalID, text string) (Proposal, error) {
	now := s.clock.Now()
	return s.store.UpdateProposal(ctx, id, func(p *Proposal) error { return p.AddNote(text, now) })
}
