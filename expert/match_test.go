package expert_test

import (
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type row struct {
	key      string
	included bool
	rank     int
	proposed expert.Proposal
	reasons  []osallisuus.Reason
	warnings []osallisuus.Reason
}

func rows(xs []expert.Explanation) []row {
	out := make([]row, len(xs))
	for i, x := range xs {
		out[i] = row{x.Key, x.Included, x.Rank, x.Proposed, x.Reasons.Codes(), x.Warnings.Codes()}
	}
	return out
}

func TestMatchWorkedExample(t *testing.T) {
	xs, err := expert.Match(workedInput())
	require.NoError(t, err)
	none := []osallisuus.Reason{}
	assert.Equal(t, []row{
		{"B", true, 1, expert.ProposeOffer, none, none},
		{"A", true, 2, expert.ProposeOffer, none, none},
		{"F", true, 3, expert.ProposeReserve, none, []osallisuus.Reason{expert.WarningApproachingCap}},
		{"C", false, 0, expert.ProposeNone, []osallisuus.Reason{expert.ReasonExperienceMismatch, expert.ReasonLanguageMismatch}, none},
		{"D", false, 0, expert.ProposeNone, []osallisuus.Reason{expert.ReasonNotActive}, none},
		{"E", false, 0, expert.ProposeNone, []osallisuus.Reason{expert.ReasonConflictOfInterest}, none},
	}, rows(xs))

	byKey := map[string]expert.Explanation{}
	for _, x := range xs {
		byKey[x.Key] = x
	}
	assert.Equal(t, []string{"agreement"}, byKey["D"].Lapsed, "D's agreement ended on 28 Feb")
	assert.Equal(t, int64(11000), byKey["F"].ProjectedCents, "F's projection: half day + 60 min preparation + 50 min travel")
	assert.Equal(t, 1, byKey["A"].Keys.Load)
	assert.Equal(t, 1, byKey["F"].Keys.Load)
	assert.Equal(t, 0, byKey["B"].Keys.Load, "B's October task is outside the 90-day window")
	assert.True(t, byKey["A"].Keys.LastStart.Before(byKey["F"].Keys.LastStart), "K4 puts A (20 Jan) before F (3 Mar)")
	require.Len(t, byKey["F"].CapWarnings, 1)
	assert.Equal(t, expert.CapWarning{Cap: expert.CapEarningsMonth, Period: "2026-04", Current: 16000, Adding: 11000,
		Limit: 30000, Level: expert.CapApproaching}, byKey["F"].CapWarnings[0])
}

func TestMatchWithoutConflictRanksEFirst(t *testing.T) {
	in := workedInput()
	in.Candidates[4].Conflict = false
	xs, err := expert.Match(in)
	require.NoError(t, err)
	assert.Equal(t, "E", xs[0].Key, "E has load 0 and was never assigned, so the filter must run before ranking")
}

func TestMatchIsDeterministicWhateverTheCandidateOrder(t *testing.T) {
	in := workedInput()
	want, err := expert.Match(in)
	require.NoError(t, err)
	for i := range in.Candidates {
		j := len(in.Candidates) - 1 - i
		if i < j {
			in.Candidates[i], in.Candidates[j] = in.Candidates[j], in.Candidates[i]
		}
	}
	got, err := expert.Match(in)
	require.NoError(t, err)
	assert.Equal(t, rows(want), rows(got))
}

func TestMatchFilters(t *testing.T) {
	base := func() expert.MatchInput {
		in := workedInput()
		in.Candidates = in.Candidates[1:2] // B: included, no caps
		in.Request.ConflictCheck = false
		return in
	}
	tests := []struct {
		name   string
		change func(*expert.MatchInput)
		want   []osallisuus.Reason
	}{
		{"a valid candidate passes every filter", func(*expert.MatchInput) {}, nil},
		{"a paused expert is not active", func(in *expert.MatchInput) { in.Candidates[0].Expert.State = expert.StatePaused },
			[]osallisuus.Reason{expert.ReasonNotActive}},
		{"an own pause ending before the task's date makes the expert active", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.State, in.Candidates[0].Expert.PausedUntil = expert.StatePaused, day(3, 9)
		}, nil},
		{"an own pause through the task's date keeps the expert paused", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.State, in.Candidates[0].Expert.PausedUntil = expert.StatePaused, day(3, 10)
		}, []osallisuus.Reason{expert.ReasonNotActive}},
		{"a consent expiring before the task ends fails H1 (E4)", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Checks[3].ExpiresAt = helsinki(3, 10, 15, 59)
		}, []osallisuus.Reason{expert.ReasonNotActive}},
		{"a consent expiring exactly at the task's end holds", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Checks[3].ExpiresAt = helsinki(3, 10, 16, 0)
		}, nil},
		{"a required perspective the expert lacks is an experience mismatch", func(in *expert.MatchInput) {
			in.Request.Perspective, in.Request.PerspectiveRequired = expert.PerspectiveOwn, true
		}, []osallisuus.Reason{expert.ReasonExperienceMismatch}},
		{"a remote task needs remote work", func(in *expert.MatchInput) { in.Request.Location = expert.RemoteLocation },
			[]osallisuus.Reason{expert.ReasonAreaMismatch}},
		{"a language tag matches ignoring ASCII case", func(in *expert.MatchInput) { in.Request.Language = "SV" }, nil},
		{"a regional tag does not serve the plain one", func(in *expert.MatchInput) { in.Request.Language = "sv-FI" },
			[]osallisuus.Reason{expert.ReasonLanguageMismatch}},
		{"an evening slot missing from the grid makes the expert unavailable", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Profile.Weekly = expert.Slot(time.Tuesday, expert.Afternoon)
			in.Request.Start = helsinki(3, 10, 15, 0)
		}, []osallisuus.Reason{expert.ReasonUnavailable}},
		{"time before 08 needs no slot", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Profile.Weekly = expert.Slot(time.Tuesday, expert.Morning)
			in.Request.Start, in.Request.Minutes = helsinki(3, 10, 6, 0), 360
		}, nil},
		{"an unavailable range covering the day excludes", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Profile.Unavailable = []osallisuus.DateRange{{From: day(3, 10), Until: day(3, 10)}}
		}, []osallisuus.Reason{expert.ReasonUnavailable}},
		{"an unavailable range ending the day before does not", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Profile.Unavailable = []osallisuus.DateRange{{From: day(3, 1), Until: day(3, 9)}}
		}, nil},
		{"an accepted task touching the start is not double booking", func(in *expert.MatchInput) {
			c := &in.Candidates[0].Expert
			c.Commitments = append(c.Commitments, expert.Commitment{TaskType: "talk", Status: expert.StatusAccepted,
				Start: helsinki(3, 10, 12, 0), Minutes: 60})
		}, nil},
		{"an overlapping accepted task is double booking", func(in *expert.MatchInput) {
			c := &in.Candidates[0].Expert
			c.Commitments = append(c.Commitments, expert.Commitment{TaskType: "talk", Status: expert.StatusAccepted,
				Start: helsinki(3, 10, 12, 0), Minutes: 61})
		}, []osallisuus.Reason{expert.ReasonDoubleBooked}},
		{"never for the task type excludes", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.Profile.Preferences["workshop"] = expert.PreferenceNever
		}, []osallisuus.Reason{expert.ReasonTaskTypeExcluded}},
		{"a conflict counts only when the request asks for the check", func(in *expert.MatchInput) {
			in.Candidates[0].Conflict = true
		}, nil},
		{"a withdrawn offer for the request may be made again", func(in *expert.MatchInput) {
			c := &in.Candidates[0].Expert
			c.Commitments = append(c.Commitments, expert.Commitment{Request: in.Request.ID, TaskType: "workshop",
				Status: expert.StatusWithdrawn, Start: in.Request.Start, Minutes: 180})
		}, nil},
		{"a declined offer for the request stays in it", func(in *expert.MatchInput) {
			c := &in.Candidates[0].Expert
			c.Commitments = append(c.Commitments, expert.Commitment{Request: in.Request.ID, TaskType: "workshop",
				Status: expert.StatusDeclined, Start: in.Request.Start, Minutes: 180})
		}, []osallisuus.Reason{expert.ReasonAlreadyInRequest}},
		{"failing filters are all kept in filter order", func(in *expert.MatchInput) {
			in.Candidates[0].Expert.State = expert.StateRetired
			in.Request.Location, in.Request.Language = "vaasa", "en"
		}, []osallisuus.Reason{expert.ReasonNotActive, expert.ReasonAreaMismatch, expert.ReasonLanguageMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			in.Candidates[0].Expert = in.Candidates[0].Expert.Clone()
			tt.change(&in)
			xs, err := expert.Match(in)
			require.NoError(t, err)
			require.Len(t, xs, 1)
			want := tt.want
			if want == nil {
				want = []osallisuus.Reason{}
			}
			assert.Equal(t, want, xs[0].Reasons.Codes())
			assert.Equal(t, len(tt.want) == 0, xs[0].Included)
		})
	}
}

func TestMatchRefusesInvalidRequests(t *testing.T) {
	tests := []struct {
		name   string
		change func(*expert.MatchInput)
		field  string
	}{
		{"a start not after now", func(in *expert.MatchInput) { in.Now = in.Request.Start }, "start"},
		{"an unknown task type", func(in *expert.MatchInput) { in.Request.TaskType = "hackathon" }, "taskType"},
		{"an unknown experience code", func(in *expert.MatchInput) { in.Request.Experience = []string{"homelessness"} }, "experience[0]"},
		{"no schedule version on the task's date", func(in *expert.MatchInput) { in.Schedules[0].ValidFrom = day(4, 1) }, "start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := workedInput()
			tt.change(&in)
			xs, err := expert.Match(in)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := err.(*osallisuus.ValidationError)
			require.True(t, ok)
			assert.True(t, ve.Has(tt.field), "problems %v", ve.Problems)
			assert.Nil(t, xs)
		})
	}
}

func TestMatchTaxonomyExtensionsAreKnown(t *testing.T) {
	in := workedInput()
	in.Settings.Taxonomy, in.Settings.TaskTypes = []string{"homelessness"}, []string{"hackathon"}
	in.Request.Experience, in.Request.TaskType = []string{"homelessness"}, "hackathon"
	xs, err := expert.Match(in)
	require.NoError(t, err)
	for _, x := range xs {
		assert.True(t, x.Reasons.Has(expert.ReasonExperienceMismatch) || x.Reasons.Has(expert.ReasonNotActive) ||
			x.Reasons.Has(expert.ReasonConflictOfInterest), "%s: nobody has the added area", x.Key)
	}
}

func TestMatchAppendReusesTheBuffer(t *testing.T) {
	in := workedInput()
	want, err := expert.Match(in)
	require.NoError(t, err)
	buf := make([]expert.Explanation, 1, 16)
	buf[0].Key = "kept"
	got, err := expert.MatchAppend(buf, in)
	require.NoError(t, err)
	require.Len(t, got, 1+len(want))
	assert.Equal(t, "kept", got[0].Key, "MatchAppend appends after what dst holds")
	assert.Equal(t, rows(want), rows(got[1:]))
	assert.Same(t, &buf[0], &got[0], "the buffer's capacity is reused")

	in.Now = in.Request.Start
	again, err := expert.MatchAppend(got[:1], in)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Len(t, again, 1, "an invalid request leaves dst unchanged")
}
