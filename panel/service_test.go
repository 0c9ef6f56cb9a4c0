package panel_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

type adults struct{}

func (adults) Participant(_ context.Context, id osallisuus.ParticipantID) (participation.Participant, error) {
	return participation.Participant{ID: id, Kind: participation.KindCustomer, BirthDate: osallisuus.NewDate(1980, 1, 1)}, nil
}

func newService(t *testing.T, c *clock) *panel.Service {
	t.Helper()
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
	})
	svc, err := panel.NewService(memstore.New(), allow, adults{}, panel.ServiceConfig{Clock: c})
	require.NoError(t, err)
	return svc
}

func TestServiceEventsReachTheOutboxOnce(t *testing.T) {
	ctx := t.Context()
	c := &clock{t: now}
	svc := newService(t, c)
	cfg := validConfig()
	cfg.Seats.User.Max = 1
	p, err := svc.Create(ctx, panel.Panel{Config: cfg})
	require.NoError(t, err)
	_, err = svc.Open(ctx, p.ID)
	require.NoError(t, err)
	a, b := newPerson(t).ID, newPerson(t).ID
	_, err = svc.Join(ctx, panel.JoinRequest{Panel: p.ID, Who: a})
	require.NoError(t, err)
	_, err = svc.Join(ctx, panel.JoinRequest{Panel: p.ID, Who: b})
	require.NoError(t, err)
	c.t = now.Add(time.Hour)
	_, err = svc.Leave(ctx, p.ID, a)
	require.NoError(t, err)

	events, err := svc.TakeEvents(ctx, p.ID)
	require.NoError(t, err)
	var kinds []panel.EventKind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []panel.EventKind{panel.EventActivated, panel.EventWaitlisted, panel.EventEnded, panel.EventSeatOffered}, kinds)
	last := events[len(events)-1]
	assert.Equal(t, b, last.Who)
	assert.True(t, last.Deadline.Equal(c.t.Add(7*24*time.Hour)), "the offer event carries its deadline")
	again, err := svc.TakeEvents(ctx, p.ID)
	require.NoError(t, err)
	assert.Empty(t, again, "taken events are gone")

	c.t = last.Deadline
	expired, err := svc.TakeEvents(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, expired, 1, "the offer's expiry is saved and reported without another step")
	assert.Equal(t, panel.EventEnded, expired[0].Kind)
	assert.Equal(t, string(panel.EndOfferExpired), expired[0].Reason)
}

func TestServiceUnknownPanelIsNotFound(t *testing.T) {
	svc := newService(t, &clock{t: now})
	id, _ := panel.NewPanelID()
	_, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: newPerson(t).ID})
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
	_, err = svc.Leave(t.Context(), id, newPerson(t).ID)
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
	_, err = svc.Representativeness(t.Context(), id, nil)
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
}

func TestNewServiceNeedsItsDependencies(t *testing.T) {
	_, err := panel.NewService(nil, nil, nil, panel.ServiceConfig{})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
}

func TestServiceSelectOffersAndWaitlists(t *testing.T) {
	ctx := t.Context()
	c := &clock{t: now}
	svc := newService(t, c)
	cfg := validConfig()
	cfg.Seats.User.Max = 2
	p, err := svc.Create(ctx, panel.Panel{Config: cfg})
	require.NoError(t, err)
	_, err = svc.Open(ctx, p.ID)
	require.NoError(t, err)
	call, err := svc.OpenCall(ctx, p.ID, panel.CallID{}, now, now.Add(24*time.Hour), 1)
	require.NoError(t, err)
	var who []osallisuus.ParticipantID
	for i := range 3 {
		id := newPerson(t).ID
		who = append(who, id)
		c.t = now.Add(time.Duration(i+1) * time.Minute)
		_, err := svc.Apply(ctx, call.ID, panel.Application{Participant: id, Reserve: true, Priority: i})
		require.NoError(t, err)
	}
	for _, id := range who {
		_, err := svc.Screen(ctx, call.ID, id, true, "")
		require.NoError(t, err)
	}
	c.t = now.Add(25 * time.Hour)
	sel, err := svc.Select(ctx, call.ID, panel.SelectRequest{Method: panel.MethodPriority})
	require.NoError(t, err)
	assert.Equal(t, []osallisuus.ParticipantID{who[2]}, sel.Selected, "the highest priority takes the one seat")
	assert.Equal(t, []osallisuus.ParticipantID{who[1], who[0]}, sel.Reserve)
	got, err := svc.Store().GetCall(ctx, call.ID)
	require.NoError(t, err)
	assert.Equal(t, panel.CallSelected, got.State)
	_, err = svc.Select(ctx, call.ID, panel.SelectRequest{Method: panel.MethodPriority})
	require.ErrorIs(t, err, osallisuus.ErrConflict, "a call is selected once")
	pn, err := svc.Panel(ctx, p.ID)
	require.NoError(t, err)
	require.NoError(t, pn.Invariants())
	assert.Len(t, pn.Waitlist(), 2)
}
