package expert_test

import (
	"testing"

	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExclusionReasonsOfTheWorkedExample(t *testing.T) {
	xs, err := expert.Match(workedInput())
	require.NoError(t, err)
	assert.Equal(t, []expert.ReasonCount{
		{Reason: expert.ReasonNotActive, Count: 1},
		{Reason: expert.ReasonExperienceMismatch, Count: 1},
		{Reason: expert.ReasonLanguageMismatch, Count: 1},
		{Reason: expert.ReasonConflictOfInterest, Count: 1},
	}, expert.ExclusionReasons(xs))

	in := workedInput()
	m, err := expert.NewPool(in.Candidates, in.Settings.Checks).Match(in)
	require.NoError(t, err)
	assert.Equal(t, expert.ExclusionReasons(xs), m.ExclusionReasons(), "the verdicts give the same figures")
}

func TestFairness(t *testing.T) {
	now := helsinki(3, 10, 12, 0)
	var experts []expert.Expert
	for _, c := range workedCandidates() {
		experts = append(experts, c.Expert)
	}
	experts[0].Commitments = append(experts[0].Commitments, expert.Commitment{TaskType: "supervision",
		Status: expert.StatusDone, Start: helsinki(3, 1, 10, 0)})
	f := expert.FairnessOf(experts, now)
	// A 1 (Jan; supervision does not count), B 1 (Oct 2025), C 0, D 0, E 0, F 1.
	assert.Equal(t, expert.Fairness{Experts: 6, Min: 0, Median: 0, Max: 1, NonePercent: 50}, f)
	assert.Equal(t, expert.Fairness{}, expert.FairnessOf(nil, now))
}
