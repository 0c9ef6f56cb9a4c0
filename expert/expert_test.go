package expert_test

import (
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var policy = expert.CheckPolicy{}

func TestLifecycle(t *testing.T) {
	now := helsinki(3, 4, 9, 0)
	valid := allChecks(osallisuus.NewDate(2027, 12, 31))
	tests := []struct {
		name    string
		from    expert.State
		step    func(*expert.Expert) error
		want    expert.State
		wantErr error
	}{
		{"a candidate starts training", expert.StateCandidate, func(e *expert.Expert) error { return e.StartTraining(now) }, expert.StateInTraining, nil},
		{"an active expert cannot start training", expert.StateActive, func(e *expert.Expert) error { return e.StartTraining(now) }, expert.StateActive, osallisuus.ErrForbidden},
		{"a candidate with recognised training activates directly (E1)", expert.StateCandidate,
			func(e *expert.Expert) error { return e.Activate(valid, policy, now) }, expert.StateActive, nil},
		{"a trainee without the agreement cannot activate", expert.StateInTraining,
			func(e *expert.Expert) error { return e.Activate(valid[:1], policy, now) }, expert.StateInTraining, osallisuus.ErrForbidden},
		{"an active expert pauses", expert.StateActive, func(e *expert.Expert) error { return e.Pause("holiday", day(4, 1), now) }, expert.StatePaused, nil},
		{"a paused expert resumes with valid checks", expert.StatePaused,
			func(e *expert.Expert) error { return e.Resume(valid, policy, now) }, expert.StateActive, nil},
		{"a coordinator rejects a candidate", expert.StateCandidate,
			func(e *expert.Expert) error { return e.Reject("not-suitable", expert.ActorCoordinator, now) }, expert.StateRejected, nil},
		{"an expert cannot reject", expert.StateCandidate,
			func(e *expert.Expert) error { return e.Reject("not-suitable", expert.ActorExpert, now) }, expert.StateCandidate, osallisuus.ErrForbidden},
		{"a rejection needs a reason", expert.StateCandidate,
			func(e *expert.Expert) error { return e.Reject("", expert.ActorCoordinator, now) }, expert.StateCandidate, osallisuus.ErrInvalid},
		{"retiring is never refused", expert.StatePaused, func(e *expert.Expert) error { return e.Retire(day(3, 31), now) }, expert.StateRetired, nil},
		{"a retired record is terminal", expert.StateRetired,
			func(e *expert.Expert) error { return e.Activate(valid, policy, now) }, expert.StateRetired, osallisuus.ErrConflict},
		{"a rejected record cannot retire", expert.StateRejected, func(e *expert.Expert) error { return e.Retire(day(3, 31), now) }, expert.StateRejected, osallisuus.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := expert.Expert{State: tt.from}
			err := tt.step(&e)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, e.State)
		})
	}
}

func TestActivateNamesTheMissingChecks(t *testing.T) {
	e := expert.Expert{State: expert.StateCandidate}
	err := e.Activate([]expert.Check{{Name: "training"}, {Name: "confidentiality"}}, policy, helsinki(3, 4, 9, 0))
	re, ok := err.(*osallisuus.RuleError)
	require.True(t, ok)
	assert.True(t, re.Has(expert.ReasonChecksMissing))
	assert.Equal(t, expert.LapsedChecks{Names: []string{"agreement", "consent:expert-profile"}}, re.Detail)
}

func TestEffectiveStateShowsALapsedCheck(t *testing.T) {
	e := expert.Expert{State: expert.StateActive}
	checks := allChecks(day(2, 28))
	st, why, lapsed := e.Effective(checks, policy, helsinki(2, 28, 23, 0), helsinki(3, 1, 0, 0))
	assert.Equal(t, expert.StateActive, st, "a task ending at midnight after the last day is covered")
	assert.Nil(t, lapsed)
	st, why, lapsed = e.Effective(checks, policy, helsinki(2, 28, 23, 0), helsinki(3, 1, 0, 1))
	assert.Equal(t, expert.StatePaused, st)
	assert.Equal(t, expert.PauseCheckLapsed, why)
	assert.Equal(t, []string{"agreement"}, lapsed)
}

func TestCheckPolicyVersionsAndTraining(t *testing.T) {
	now := helsinki(3, 4, 9, 0)
	p := expert.CheckPolicy{Required: []string{"agreement", "training"}, MinAgreementVersion: 3}
	checks := []expert.Check{{Name: "agreement", Version: 2},
		{Name: "training", Training: &expert.Training{External: true, Provider: "hospital district"}}}
	assert.Equal(t, []string{"agreement", "training"}, p.Lapsed(checks, now),
		"an old agreement version and unrecognised external training do not count")
	checks[0].Version = 3
	checks[1].Training.Recognition = &expert.Recognition{By: "coordinator", On: day(1, 10)}
	assert.Empty(t, p.Lapsed(checks, now))
	p.TrainingValidMonths = 12
	checks[1].Training.CompletedOn = osallisuus.NewDate(2025, 3, 3)
	assert.Equal(t, []string{"training"}, p.Lapsed(checks, now), "a refresher was due on 3 Mar 2026")
}

func TestReviewChecksPersistsThePauseAndReminds(t *testing.T) {
	e := expert.Expert{State: expert.StateActive}
	changed, reminders := e.ReviewChecks(allChecks(day(3, 20)), policy, 30, helsinki(3, 4, 9, 0))
	assert.False(t, changed)
	require.Len(t, reminders, 1)
	assert.Equal(t, "agreement", reminders[0].Check)
	changed, _ = e.ReviewChecks(allChecks(day(3, 1)), policy, 30, helsinki(3, 4, 9, 0))
	assert.True(t, changed)
	assert.Equal(t, expert.StatePaused, e.State)
	assert.Equal(t, expert.PauseCheckLapsed, e.PauseReason)
}

func TestValidCheckName(t *testing.T) {
	for name, want := range map[string]bool{
		"training": true, "agreement": true, "confidentiality": true, "consent:expert-profile": true,
		"custom:criminal-record.extract_1": true, "consent:": false, "custom:Upper": false, "custom:1x": false,
		"other": false, "": false, "consent:a b": false,
	} {
		assert.Equal(t, want, expert.ValidCheckName(name), name)
	}
}

func TestProfileValidation(t *testing.T) {
	p := expert.Profile{
		Experience:  []expert.Experience{{Code: "debt", Perspective: expert.PerspectiveOwn}},
		Unavailable: []osallisuus.DateRange{{From: day(3, 10), Until: day(3, 9)}},
		Caps:        expert.Caps{Earnings: []expert.EarningsCap{{Period: expert.PeriodMonth, Cents: -5}}, WarnAtPercent: 120},
		Preferences: map[string]expert.Preference{"hackathon": expert.PreferencePreferred},
	}
	err := p.Validate(expert.Settings{})
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	ve := err.(*osallisuus.ValidationError)
	for _, f := range []string{"experience[0].code", "unavailable[0].until", "caps.earnings[0].cents",
		"caps.warnAtPercent", "preferences.hackathon"} {
		assert.True(t, ve.Has(f), "want a problem for %s in %v", f, ve.Problems)
	}
	p.Unavailable[0].Until = day(3, 11)
	p.Caps = expert.Caps{}
	assert.NoError(t, p.Validate(expert.Settings{Taxonomy: []string{"debt"}, TaskTypes: []string{"hackathon"}}),
		"the fixed profile with the host's taxonomy is valid")
}
