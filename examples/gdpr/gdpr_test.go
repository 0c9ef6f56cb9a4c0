package gdpr_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/gdpr"
	"github.com/osallisuus/osallisuus/panel"
	panelmem "github.com/osallisuus/osallisuus/panel/memstore"
	"github.com/osallisuus/osallisuus/participation"
	partmem "github.com/osallisuus/osallisuus/participation/memstore"
)

// failingPanels is a panel memstore whose UpdatePanel fails while fail is set.
type failingPanels struct {
	*panelmem.Store
	fail atomic.Bool
}

var errDisk = errors.New("disk full")

func (f *failingPanels) UpdatePanel(ctx context.Context, id panel.PanelID, fn func(*panel.Panel) error) (panel.Panel, error) {
	if f.fail.Load() {
		return panel.Panel{}, errDisk
	}
	return f.Store.UpdatePanel(ctx, id, fn)
}

// fixture is one open forum with two members, on memstores.
type fixture struct {
	s      gdpr.Services
	people participation.Stores
	panels *failingPanels
	forum  panel.Panel
	who    []osallisuus.ParticipantID
}

// forum builds participation and panel services on memstores with one open forum and
// two members.
func forum(t *testing.T, now time.Time) fixture {
	t.Helper()
	ctx := t.Context()
	clock := osallisuus.FixedClock(now)
	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "panel-membership"}}}
	var s gdpr.Services
	var err error
	s.Clock = clock
	people := participation.StoresOf(partmem.New())
	s.Participation, err = participation.NewService(people, policy, participation.Config{Clock: clock})
	require.NoError(t, err)
	store := &failingPanels{Store: panelmem.New()}
	s.Panel, err = panel.NewService(store, s.Participation, s.Participation, panel.ServiceConfig{Clock: clock})
	require.NoError(t, err)
	cfg := panel.Defaults()
	cfg.Kind, cfg.Audience, cfg.Purpose = panel.KindPermanent, panel.AudienceAdults, "panel-membership"
	cfg.Seats = panel.Seats{User: panel.SeatRange{Max: 8}}
	p, err := s.Panel.Create(ctx, panel.Panel{Name: osallisuus.Text{FI: "Foorumi"}, Config: cfg})
	require.NoError(t, err)
	_, err = s.Panel.Open(ctx, p.ID)
	require.NoError(t, err)
	var who []osallisuus.ParticipantID
	for range 2 {
		me, err := s.Participation.Register(ctx, participation.Participant{Kind: participation.KindCustomer,
			BirthDate: osallisuus.NewDate(1975, 1, 1), Language: "fi"})
		require.NoError(t, err)
		_, err = s.Participation.Record(ctx, participation.ConsentEvent{At: now.Add(-time.Hour), Subject: me.ID, By: me.ID,
			Action: participation.Grant, Purpose: "panel-membership", Method: participation.Written, NoticeVersion: 1})
		require.NoError(t, err)
		_, err = s.Panel.Join(ctx, panel.JoinRequest{Panel: p.ID, Who: me.ID})
		require.NoError(t, err)
		who = append(who, me.ID)
	}
	return fixture{s: s, people: people, panels: store, forum: p, who: who}
}

func TestExportOfAnUnknownPersonIsNotFound(t *testing.T) {
	s := forum(t, time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)).s
	stranger, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	_, err = gdpr.Export(t.Context(), s, stranger)
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
	_, err = gdpr.Erase(t.Context(), s, stranger)
	require.ErrorIs(t, err, osallisuus.ErrNotFound)
}

func TestExportLeavesOutThePackagesNotGiven(t *testing.T) {
	f := forum(t, time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	s, who := f.s, f.who
	s.Panel = nil
	doc, err := gdpr.Export(t.Context(), s, who[0])
	require.NoError(t, err)
	assert.NotNil(t, doc.Participation)
	assert.Nil(t, doc.Panel)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"panel"`)
	require.NoError(t, gdpr.Validate(b))
}

func TestValidateNamesWhatDoesNotMatch(t *testing.T) {
	f := forum(t, time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	s, who := f.s, f.who
	doc, err := gdpr.Export(t.Context(), s, who[0])
	require.NoError(t, err)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	require.NoError(t, gdpr.Validate(b))

	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	m["participation"].(map[string]any)["participant"].(map[string]any)["birthDate"] = "3 Feb 1980"
	bad, err := json.Marshal(m)
	require.NoError(t, err)
	err = gdpr.Validate(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "birthDate")
	assert.Error(t, gdpr.Validate([]byte(`{"schema":`)), "not JSON")
}

func TestEraseFailingPartWayFinishesWhenRunAgain(t *testing.T) {
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	f := forum(t, now)
	s, store, p, who := f.s, f.panels, f.forum, f.who
	ctx := t.Context()

	store.fail.Store(true)
	got, err := gdpr.Erase(ctx, s, who[0])
	require.ErrorIs(t, err, errDisk)
	assert.Empty(t, got.Reports, "the panel step failed first: nothing done")
	me, err := s.Participation.Participant(ctx, who[0])
	require.NoError(t, err)
	assert.False(t, me.Erased(), "participation runs last, after the packages that take the person out")

	store.fail.Store(false)
	got, err = gdpr.Erase(ctx, s, who[0])
	require.NoError(t, err)
	require.Len(t, got.Reports, 2)
	assert.Equal(t, "panel", got.Reports[0].Package)
	assert.Equal(t, "participation", got.Reports[1].Package)
	me, err = s.Participation.Participant(ctx, who[0])
	require.NoError(t, err)
	assert.True(t, me.Erased())

	forumNow, err := s.Panel.Panel(ctx, p.ID)
	require.NoError(t, err)
	live := 0
	for _, m := range forumNow.Members {
		assert.NotEqual(t, who[0], m.Participant, "no row links to the erased person")
		if m.Participant == who[1] {
			live++
		}
	}
	assert.Equal(t, 1, live, "the other member keeps her seat")

	again, err := gdpr.Erase(ctx, s, who[0])
	require.NoError(t, err)
	for _, r := range again.Reports {
		assert.Empty(t, r.Erased, r.Package)
	}
}

func TestApplyRetentionRunsEveryPackageAndJoinsErrors(t *testing.T) {
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	f := forum(t, now)
	s, who := f.s, f.who
	ctx := t.Context()
	_, err := gdpr.Erase(ctx, s, who[0])
	require.NoError(t, err)

	reports, err := gdpr.ApplyRetention(ctx, s)
	require.NoError(t, err)
	require.Len(t, reports, 2)
	for _, r := range reports {
		assert.Empty(t, r.Purged, "%s: nothing has expired on the day of the erasure", r.Package)
	}

	later := s
	later.Clock = osallisuus.FixedClock(now.AddDate(3, 0, 1))
	later.Participation, err = participation.NewService(f.people, s.Participation.Policy(), participation.Config{Clock: later.Clock})
	require.NoError(t, err)
	reports, err = gdpr.ApplyRetention(ctx, later)
	require.NoError(t, err)
	require.Len(t, reports, 2)
	assert.Equal(t, "participation", reports[1].Package)
	assert.Equal(t, []osallisuus.ItemCount{{Kind: "consent-events", Count: 1}}, reports[1].Purged)
}
