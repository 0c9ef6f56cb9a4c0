package panel_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
)

func gdprService(t *testing.T, c *clock, store panel.Store, cfg panel.ServiceConfig) *panel.Service {
	t.Helper()
	allow := participation.ConsentCheckerFunc(func(_ context.Context, q participation.ConsentQuery) (participation.ConsentDecision, error) {
		return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonGranted, Query: q}, nil
	})
	cfg.Clock = c
	svc, err := panel.NewService(store, allow, adults{}, cfg)
	require.NoError(t, err)
	return svc
}

func openPanel(t *testing.T, svc *panel.Service, userMax int) panel.PanelID {
	t.Helper()
	cfg := validConfig()
	cfg.Seats.User.Max = userMax
	p, err := svc.Create(t.Context(), panel.Panel{Config: cfg})
	require.NoError(t, err)
	_, err = svc.Open(t.Context(), p.ID)
	require.NoError(t, err)
	return p.ID
}

func erasedCounts(r osallisuus.ErasureReport) map[string]int {
	m := map[string]int{}
	for _, c := range r.Erased {
		m[c.Kind] = c.Count
	}
	return m
}

func TestErasureDependsOnWhetherTheMembershipEverHeldAPlace(t *testing.T) {
	tests := []struct {
		name string
		// setup brings the subject s into a one-seat panel whose seat o holds.
		setup       func(t *testing.T, svc *panel.Service, c *clock, id panel.PanelID, s, o osallisuus.ParticipantID)
		wantErased  map[string]int
		wantMembers int // memberships left in the roster
	}{
		{"a waitlist place is deleted", func(t *testing.T, svc *panel.Service, _ *clock, id panel.PanelID, s, _ osallisuus.ParticipantID) {
			_, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: s})
			require.NoError(t, err)
		}, map[string]int{"waitlist-places": 1, "events": 1}, 1},
		{"a pending offer is deleted", func(t *testing.T, svc *panel.Service, c *clock, id panel.PanelID, s, o osallisuus.ParticipantID) {
			_, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: s})
			require.NoError(t, err)
			c.t = c.t.Add(time.Minute)
			_, err = svc.Leave(t.Context(), id, o)
			require.NoError(t, err)
		}, map[string]int{"waitlist-places": 1, "events": 2}, 1},
		{"a declined offer is deleted", func(t *testing.T, svc *panel.Service, c *clock, id panel.PanelID, s, o osallisuus.ParticipantID) {
			_, err := svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: s})
			require.NoError(t, err)
			c.t = c.t.Add(time.Minute)
			_, err = svc.Leave(t.Context(), id, o)
			require.NoError(t, err)
			require.NoError(t, svc.Decline(t.Context(), id, s))
		}, map[string]int{"waitlist-places": 1, "events": 3}, 1},
		{"a past seat stays anonymised", func(t *testing.T, svc *panel.Service, c *clock, id panel.PanelID, s, o osallisuus.ParticipantID) {
			c.t = c.t.Add(time.Minute)
			_, err := svc.Leave(t.Context(), id, o)
			require.NoError(t, err)
			_, err = svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: s})
			require.NoError(t, err)
			c.t = c.t.Add(time.Minute)
			_, err = svc.Leave(t.Context(), id, s)
			require.NoError(t, err)
		}, map[string]int{"memberships": 1, "events": 2}, 2},
		{"a current seat is left and stays anonymised", func(t *testing.T, svc *panel.Service, c *clock, id panel.PanelID, s, o osallisuus.ParticipantID) {
			c.t = c.t.Add(time.Minute)
			_, err := svc.Leave(t.Context(), id, o)
			require.NoError(t, err)
			_, err = svc.Join(t.Context(), panel.JoinRequest{Panel: id, Who: s})
			require.NoError(t, err)
		}, map[string]int{"memberships": 1, "events": 1}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := &clock{t: now}
			store := memstore.New()
			svc := gdprService(t, c, store, panel.ServiceConfig{})
			id := openPanel(t, svc, 1)
			s, o := newPerson(t).ID, newPerson(t).ID
			_, err := svc.Join(ctx, panel.JoinRequest{Panel: id, Who: o})
			require.NoError(t, err)
			tc.setup(t, svc, c, id, s, o)
			c.t = c.t.Add(time.Hour)

			rep, err := svc.ErasePersonalData(ctx, s)
			require.NoError(t, err)
			assert.Equal(t, tc.wantErased, erasedCounts(rep))
			p, err := store.GetPanel(ctx, id)
			require.NoError(t, err)
			require.NoError(t, p.Invariants())
			assert.Len(t, p.Members, tc.wantMembers)
			assert.Equal(t, -1, p.Current(s), "the subject is no longer in the roster")
			for _, m := range p.Members {
				assert.NotEqual(t, panel.MemberOffered, m.State, "nobody holds an offer: the subject's went with them")
			}
			raw, err := json.Marshal(p)
			require.NoError(t, err)
			assert.NotContains(t, string(raw), s.String())
		})
	}
}

func TestErasureOfAClosedPanelsMemberKeepsThePanelClosed(t *testing.T) {
	ctx := t.Context()
	c := &clock{t: now}
	store := memstore.New()
	svc := gdprService(t, c, store, panel.ServiceConfig{})
	id := openPanel(t, svc, 2)
	s := newPerson(t).ID
	_, err := svc.Join(ctx, panel.JoinRequest{Panel: id, Who: s, Profile: panel.Profile{Language: "sv"}})
	require.NoError(t, err)
	c.t = now.Add(time.Hour)
	_, err = svc.Close(ctx, id, "task-done")
	require.NoError(t, err)

	rep, err := svc.ErasePersonalData(ctx, s)
	require.NoError(t, err)
	p, err := store.GetPanel(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, panel.StateClosed, p.State)
	require.Len(t, p.Members, 1)
	m := p.Members[0]
	assert.Equal(t, panel.EndPanelClosed, m.Reason, "an ended membership keeps its end reason")
	assert.Equal(t, panel.Profile{}, m.Profile)
	assert.NotEqual(t, s, m.Participant)
	assert.Equal(t, []osallisuus.Retained{{Kind: "memberships", Count: 1, Basis: osallisuus.BasisAggregate}}, rep.Retained)
}

func TestErasureRelinksAssentsTheSubjectRecordedAsStaff(t *testing.T) {
	ctx := t.Context()
	c := &clock{t: now}
	store := memstore.New()
	svc := gdprService(t, c, store, panel.ServiceConfig{})
	staff, child := newPerson(t).ID, newPerson(t).ID
	p := *activePanel(t, validConfig())
	p.Members = []panel.Membership{{Participant: child, Seat: panel.SeatUser, State: panel.MemberActive, Role: panel.RoleMember,
		Voting: true, Since: now, Assent: &panel.Assent{At: now, RecordedBy: staff},
		History: []panel.Change{{At: now, State: panel.MemberActive, Role: panel.RoleMember}}}}
	require.NoError(t, store.CreatePanel(ctx, p))

	d, err := svc.ExportPersonalData(ctx, staff)
	require.NoError(t, err)
	assert.Equal(t, []panel.RecordedAssent{{Panel: p.ID, At: now}}, d.RecordedAssents)
	assert.Empty(t, d.Memberships)
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), child.String(), "the staff member's export does not name the child")

	rep, err := svc.ErasePersonalData(ctx, staff)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"recorded-assents": 1}, erasedCounts(rep))
	got, err := store.GetPanel(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, child, got.Members[0].Participant, "the child's own membership is untouched")
	assert.NotEqual(t, staff, got.Members[0].Assent.RecordedBy)
	assert.False(t, got.Members[0].Assent.RecordedBy.IsZero(), "the assent still shows it was recorded by staff")
}

func TestApplyRetentionUsesTheHostsPeriod(t *testing.T) {
	ctx := t.Context()
	c := &clock{t: now}
	store := memstore.New()
	svc := gdprService(t, c, store, panel.ServiceConfig{ApplicationRetention: osallisuus.Period{Days: 30}})
	id := openPanel(t, svc, 3)
	call, err := svc.OpenCall(ctx, id, panel.CallID{}, now, now.Add(time.Hour), 1)
	require.NoError(t, err)
	a := newPerson(t).ID
	_, err = svc.Apply(ctx, call.ID, panel.Application{Participant: a, Profile: panel.Profile{Area: "north"}})
	require.NoError(t, err)
	_, err = svc.CancelCall(ctx, call.ID)
	require.NoError(t, err)

	// Cancelled calls count from ClosesAt: 2026-03-02 10:00 EET, last day 2026-04-01,
	// purged from 00:00 EEST on 2026-04-02.
	purgeAt := time.Date(2026, 4, 1, 21, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		at   time.Time
		want []osallisuus.ItemCount
	}{
		{"on the last day of retention nothing goes", purgeAt.Add(-time.Second), []osallisuus.ItemCount{}},
		{"when the next day begins the application goes", purgeAt, []osallisuus.ItemCount{{Kind: "applications", Count: 1}}},
		{"a second run purges nothing", purgeAt.Add(time.Hour), []osallisuus.ItemCount{}},
	} {
		c.t = tc.at
		rep, err := svc.ApplyRetention(ctx)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, rep.Purged, tc.name)
	}
	got, err := store.GetCall(ctx, call.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Applications)
	assert.Equal(t, panel.CallCancelled, got.State, "the call itself stays")
}

func TestNewServiceRefusesANegativeRetention(t *testing.T) {
	_, err := panel.NewService(memstore.New(), participation.ConsentCheckerFunc(nil), adults{},
		panel.ServiceConfig{ApplicationRetention: osallisuus.Period{Years: -1}})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve, ok := err.(*osallisuus.ValidationError)
	require.True(t, ok)
	assert.Equal(t, "config.applicationRetention", ve.Problems[0].Field)
}

func TestPersonalDataJSONHasEveryListEvenWhenEmpty(t *testing.T) {
	svc := gdprService(t, &clock{t: now}, memstore.New(), panel.ServiceConfig{})
	d, err := svc.ExportPersonalData(t.Context(), newPerson(t).ID)
	require.NoError(t, err)
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &got))
	for _, k := range []string{"memberships", "applications", "attendance", "minutesApprovals", "recordedAssents", "events"} {
		assert.Equal(t, "[]", string(got[k]), k)
	}
}
