package participationtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

func TestSampleLedgerIsRealisticAndRepeatable(t *testing.T) {
	a, b := participationtest.SampleLedger(300, 7), participationtest.SampleLedger(300, 7)
	require.Len(t, a.Subjects, 300)
	assert.Len(t, a.Queries, 900, "one query per subject and purpose")
	assert.Equal(t, a.Subjects, b.Subjects, "the same seed gives the same subjects")
	counts := map[participation.Action]int{}
	scoped, guardians, total := 0, 0, 0
	for _, s := range a.Subjects {
		evs := a.Events[s]
		assert.True(t, len(evs) >= 5 && len(evs) <= 20, "5–20 events per subject, got %d", len(evs))
		assert.Equal(t, b.Events[s], evs)
		for i, ev := range evs {
			require.NoError(t, participation.ValidateConsentEvent(a.Policy, ev), "generated events are valid")
			if i > 0 {
				assert.Greater(t, ev.Seq, evs[i-1].Seq, "ledger order")
			}
			counts[ev.Action]++
			total++
			if ev.Scope != "" {
				scoped++
			}
			if ev.By != ev.Subject {
				guardians++
			}
		}
	}
	for _, a := range []participation.Action{participation.Grant, participation.Refuse, participation.Withdraw} {
		assert.Positive(t, counts[a], "some %s events", a)
	}
	assert.Greater(t, scoped*10, total, "more than a tenth scoped")
	assert.Greater(t, guardians*10, total, "more than a tenth by guardians")
	assert.NotEqual(t, a.Subjects, participationtest.SampleLedger(300, 8).Subjects, "another seed, other data")
}
