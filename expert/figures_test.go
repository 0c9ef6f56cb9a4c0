package expert_test

import (
	"encoding/json"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func group(t *testing.T, gs []expert.GroupCount, code string) string {
	t.Helper()
	for _, g := range gs {
		if g.Code == code {
			return g.Count.String()
		}
	}
	t.Fatalf("no group %q in %v", code, gs)
	return ""
}

func TestPoolFiguresCountPeopleAndSuppressSmallNumbers(t *testing.T) {
	now := helsinki(3, 4, 9, 0)
	var cands []expert.Candidate
	add := func(n int, change func(*expert.Expert)) {
		for range n {
			c := workedCandidates()[1] // B: active; child-protection; fi, sv; Turku, Kaarina
			c.Expert = c.Expert.Clone()
			change(&c.Expert)
			cands = append(cands, c)
		}
	}
	add(6, func(e *expert.Expert) { e.Profile.Languages = []string{"fi", "FI", "sv"} })
	add(2, func(e *expert.Expert) { e.Profile.Remote = true })
	add(3, func(e *expert.Expert) { e.State = expert.StateCandidate })
	add(1, func(e *expert.Expert) { e.Checks = allChecks(day(3, 1)) })  // lapsed: paused, not active
	add(2, func(e *expert.Expert) { e.Checks = allChecks(day(3, 20)) }) // ends in 17 days
	add(5, func(e *expert.Expert) {
		e.Checks = allChecks(day(4, 20)) // ends in 47 days
		e.Profile.Preferences = map[string]expert.Preference{"talk": expert.PreferenceNever}
	})

	f := expert.PoolFiguresOf(cands, expert.Settings{TaskTypes: []string{"hackathon"}}, now, 0)
	assert.Equal(t, 5, f.Threshold)
	assert.Equal(t, "0", group(t, f.ByState, "in-training"), "zero is shown")
	assert.Equal(t, "<5", group(t, f.ByState, "candidate"))
	assert.Equal(t, "15", group(t, f.ByState, "active"))
	assert.Equal(t, "<5", group(t, f.ByState, "paused"), "a lapsed check pauses (E2)")
	assert.Equal(t, "15", group(t, f.ActiveByArea, "turku"))
	assert.Equal(t, "<5", group(t, f.ActiveByArea, "remote"))
	assert.Equal(t, "15", group(t, f.ActiveByLanguage, "fi"), "an expert counts once per tag, whatever its case")
	assert.Equal(t, "15", group(t, f.ActiveByExperience, "child-protection"))
	assert.Equal(t, "0", group(t, f.ActiveByExperience, "mental-health"), "every taxonomy code is listed")
	assert.Equal(t, "10", group(t, f.ActiveByTaskType, "talk"), "never excludes")
	assert.Equal(t, "15", group(t, f.ActiveByTaskType, "hackathon"), "the settings' task types count")
	for _, g := range f.ActiveByTaskType {
		assert.NotContains(t, []string{"supervision", "debrief"}, g.Code, "activities are not task types")
	}
	assert.Equal(t, "<5", f.ExpiringWithin30Days.String())
	assert.Equal(t, "7", f.ExpiringWithin60Days.String())

	b, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"expiringWithin30Days":"\u003c5"`, "the JSON form is the string")
	assert.NotContains(t, string(b), cands[0].Expert.ID.String(), "reports name no one")
}

func TestPoolFiguresThresholdOneShowsEverything(t *testing.T) {
	f := expert.PoolFiguresOf(workedCandidates(), expert.Settings{}, helsinki(3, 4, 9, 0), 1)
	assert.Equal(t, "1", group(t, f.ByState, "paused"), "D's agreement ended on 28 Feb")
	assert.Equal(t, "5", group(t, f.ByState, "active"))
	assert.Equal(t, "2", group(t, f.ActiveByLanguage, "sv"), "B and C")
}

func TestServicePoolFiguresAskConsents(t *testing.T) {
	f := newFixture(t, consents())
	for range 5 {
		f.active(t, turkuProfile())
	}
	got, err := f.svc.PoolFigures(t.Context(), 0)
	require.NoError(t, err)
	assert.Equal(t, "5", group(t, got.ByState, "active"))

	denied := newFixture(t, consents())
	for range 5 {
		denied.active(t, turkuProfile())
	}
	svc, err := expert.NewService(denied.store, consents("expert-profile"), expert.Config{Clock: osallisuus.FixedClock(*denied.clock)})
	require.NoError(t, err)
	got, err = svc.PoolFigures(t.Context(), 0)
	require.NoError(t, err)
	assert.Equal(t, "0", group(t, got.ByState, "active"), "a withdrawn profile consent pauses everyone")
	assert.Equal(t, "5", group(t, got.ByState, "paused"))
}
