package participation_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

func newActivity(t testing.TB, capacity int) participation.Activity {
	t.Helper()
	id, err := participation.NewActivityID()
	require.NoError(t, err)
	org, err := participation.NewOrganisationID()
	require.NoError(t, err)
	return participation.Activity{ID: id, Key: "ws1", Organisation: org, Kind: participation.ActivityWorkshop,
		Phase: participation.PhasePlanning, Level: participation.LevelInvolve,
		Start: date(2026, 3, 15), End: date(2026, 3, 16),
		Languages: []participation.Language{participation.LanguageFinnish, participation.LanguageEasy}, Capacity: capacity}
}

func problemFields(t *testing.T, err error) []string {
	t.Helper()
	ve, ok := asValidationErr(err)
	require.True(t, ok, "want a *osallisuus.ValidationError, got %v", err)
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field)
	}
	return out
}

func TestActivityValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(a *participation.Activity)
		field string
	}{
		{"a valid activity passes", func(*participation.Activity) {}, ""},
		{"an activity ending before it starts names end", func(a *participation.Activity) { a.End = date(2026, 3, 14) }, "end"},
		{"an unknown phase names phase", func(a *participation.Activity) { a.Phase = "design" }, "phase"},
		{"an unknown level names level", func(a *participation.Activity) { a.Level = "partner" }, "level"},
		{"a missing kind names kind", func(a *participation.Activity) { a.Kind = "" }, "kind"},
		{"other without a label names label", func(a *participation.Activity) { a.Kind, a.Label = participation.ActivityOther, "  " }, "label"},
		{"no languages names languages", func(a *participation.Activity) { a.Languages = nil }, "languages"},
		{"an unknown language names its index", func(a *participation.Activity) { a.Languages[1] = "de" }, "languages[1]"},
		{"a repeated language names its index", func(a *participation.Activity) { a.Languages[1] = "fi" }, "languages[1]"},
		{"a negative capacity names capacity", func(a *participation.Activity) { a.Capacity = -1 }, "capacity"},
		{"a negative waitlist length names it", func(a *participation.Activity) { a.Waitlist.MaxLength = -2 }, "waitlist.maxLength"},
		{"a key outside the scope grammar names key", func(a *participation.Activity) { a.Key = "spring fair" }, "key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newActivity(t, 0)
			tt.edit(&a)
			err := a.Validate()
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			assert.Equal(t, []string{tt.field}, problemFields(t, err))
		})
	}
}

func TestActivityEndedUsesTheHelsinkiDate(t *testing.T) {
	a := newActivity(t, 0)
	assert.False(t, a.Ended(at(t, "2026-03-16T23:59:59+02:00")), "the last day lasts until midnight in Helsinki")
	assert.True(t, a.Ended(at(t, "2026-03-16T22:00:00Z")), "00:00 on 17 March in Helsinki")
	assert.Equal(t, "activity:ws1", a.Scope())
	a.Key = ""
	assert.Equal(t, "activity:"+a.ID.String(), a.Scope())
}

func allowed(a participation.Activity, who osallisuus.ParticipantID, now time.Time) participation.ConsentDecision {
	return participation.ConsentDecision{Allowed: true, Reason: participation.ReasonNotRequired,
		Query: a.ConsentFor(who, "participation", now)}
}

func denied(a participation.Activity, who osallisuus.ParticipantID, now time.Time, r participation.Reason) participation.ConsentDecision {
	return participation.ConsentDecision{Reason: r, Query: a.ConsentFor(who, "participation", now)}
}

// rosterWith makes a roster with records in the given statuses, one person each.
func rosterWith(t *testing.T, a participation.Activity, statuses ...participation.RecordStatus) participation.Roster {
	r := participation.Roster{Activity: a}
	for i, s := range statuses {
		r.Records = append(r.Records, participation.ParticipationRecord{Activity: a.ID, Seq: int64(i + 1), Who: pid(t),
			Role: participation.RoleCustomer, Status: s, Version: 1})
	}
	return r
}

func reasonOf(t *testing.T, err error) osallisuus.Reason {
	t.Helper()
	re, ok := asRuleErr(err)
	require.True(t, ok, "want a *osallisuus.RuleError, got %v", err)
	require.NotEmpty(t, re.Reasons)
	return re.Reasons[0]
}

func TestRegister(t *testing.T) {
	now := at(t, "2026-03-01T10:00:00+02:00")
	reg, wait := participation.StatusRegistered, participation.StatusWaitlisted
	tests := []struct {
		name     string
		capacity int
		waitlist participation.WaitlistPolicy
		records  []participation.RecordStatus
		consent  participation.Reason // "" allows
		now      time.Time
		want     participation.RecordStatus
		position int
		kind     error
		reason   osallisuus.Reason
	}{
		{"a free place registers", 2, participation.WaitlistPolicy{}, []participation.RecordStatus{reg}, "", now, reg, 0, nil, ""},
		{"an unlimited activity always registers", 0, participation.WaitlistPolicy{}, []participation.RecordStatus{reg, reg, reg}, "", now, reg, 0, nil, ""},
		{"a full activity waitlists at the end of the queue", 1, participation.WaitlistPolicy{}, []participation.RecordStatus{reg, wait}, "", now, wait, 2, nil, ""},
		{"a freed place is taken even while others wait", 2, participation.WaitlistPolicy{}, []participation.RecordStatus{reg, wait}, "", now, reg, 0, nil, ""},
		{"cancelled records take no place", 1, participation.WaitlistPolicy{}, []participation.RecordStatus{participation.StatusCancelled}, "", now, reg, 0, nil, ""},
		{"absent and attended records take places", 2, participation.WaitlistPolicy{}, []participation.RecordStatus{participation.StatusAbsent, participation.StatusAttended}, "", now, wait, 1, nil, ""},
		{"a full activity without a waitlist refuses", 1, participation.WaitlistPolicy{Disabled: true}, []participation.RecordStatus{reg}, "", now, "", 0, osallisuus.ErrCapacity, participation.ReasonFull},
		{"a full waitlist refuses", 1, participation.WaitlistPolicy{MaxLength: 1}, []participation.RecordStatus{reg, wait}, "", now, "", 0, osallisuus.ErrCapacity, participation.ReasonFull},
		{"consent refused is forbidden with its reason", 2, participation.WaitlistPolicy{}, nil, participation.ReasonWithdrawn, now, "", 0, osallisuus.ErrForbidden, participation.ReasonWithdrawn},
		{"consent is checked before capacity", 1, participation.WaitlistPolicy{Disabled: true}, []participation.RecordStatus{reg}, participation.ReasonNoConsent, now, "", 0, osallisuus.ErrForbidden, participation.ReasonNoConsent},
		{"an ended activity is a conflict", 2, participation.WaitlistPolicy{}, nil, "", at(t, "2026-03-17T00:00:00+02:00"), "", 0, osallisuus.ErrConflict, participation.ReasonEnded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newActivity(t, tt.capacity)
			a.Waitlist = tt.waitlist
			r := rosterWith(t, a, tt.records...)
			who := pid(t)
			d := allowed(a, who, tt.now)
			if tt.consent != "" {
				d = denied(a, who, tt.now, tt.consent)
			}
			rec, pos, err := participation.Register(r, who, participation.RoleRelative, d, tt.now)
			if tt.kind != nil {
				require.ErrorIs(t, err, tt.kind)
				assert.Equal(t, tt.reason, reasonOf(t, err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, rec.Status)
			assert.Equal(t, tt.position, pos)
			assert.Equal(t, int64(len(tt.records)+1), rec.Seq)
			assert.Equal(t, participation.RoleRelative, rec.Role)
			assert.Equal(t, who, rec.Who)
		})
	}
}

func TestRegisterTwiceConflictsWithTheLatestRecord(t *testing.T) {
	now := at(t, "2026-03-01T10:00:00+02:00")
	a := newActivity(t, 1)
	for _, st := range []participation.RecordStatus{participation.StatusRegistered, participation.StatusWaitlisted, participation.StatusAttended} {
		r := rosterWith(t, a, st)
		who := r.Records[0].Who
		_, _, err := participation.Register(r, who, participation.RoleCustomer, allowed(a, who, now), now)
		require.ErrorIs(t, err, osallisuus.ErrConflict)
		assert.Equal(t, osallisuus.Reason(st), reasonOf(t, err))
	}
	r := rosterWith(t, a, participation.StatusRegistered, participation.StatusCancelled)
	who := r.Records[1].Who
	rec, pos, err := participation.Register(r, who, participation.RoleCustomer, allowed(a, who, now), now)
	require.NoError(t, err, "a person whose latest record is cancelled may register again")
	assert.Equal(t, participation.StatusWaitlisted, rec.Status)
	assert.Equal(t, 1, pos)
	_, _, err = participation.Register(r, who, "guest", allowed(a, who, now), now)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"role"}, problemFields(t, err))
}

func TestCancelPromotesTheFirstAllowedWaitlisted(t *testing.T) {
	now := at(t, "2026-03-01T10:00:00+02:00")
	a := newActivity(t, 1)
	r := rosterWith(t, a, participation.StatusRegistered, participation.StatusWaitlisted, participation.StatusWaitlisted)
	leaver, skipped, next := r.Records[0].Who, r.Records[1].Who, r.Records[2].Who

	_, err := participation.Cancel(r, leaver, "participation", participation.Decisions{}, now)
	need, ok := asNeedErr(err)
	require.True(t, ok, "want a *NeedDecisionsError, got %v", err)
	assert.ElementsMatch(t, []osallisuus.ParticipantID{skipped, next}, need.Who)

	decisions := participation.Decisions{skipped: denied(a, skipped, now, participation.ReasonRefused), next: allowed(a, next, now)}
	changed, err := participation.Cancel(r, leaver, "participation", decisions, now)
	require.NoError(t, err)
	require.Len(t, changed, 2)
	assert.Equal(t, participation.StatusCancelled, changed[0].Status)
	assert.Equal(t, next, changed[1].Who, "the refused person is skipped and keeps their place")
	assert.Equal(t, participation.StatusRegistered, changed[1].Status)
	assert.Equal(t, participation.StatusWaitlisted, r.Records[1].Status, "the rule does not change its input")
}

func TestCancelRules(t *testing.T) {
	now := at(t, "2026-03-01T10:00:00+02:00")
	a := newActivity(t, 1)
	r := rosterWith(t, a, participation.StatusRegistered, participation.StatusWaitlisted, participation.StatusAttended)

	changed, err := participation.Cancel(r, r.Records[1].Who, "participation", nil, now)
	require.NoError(t, err, "a waitlisted person's cancellation needs no decisions")
	assert.Len(t, changed, 1, "and promotes nobody")

	_, err = participation.Cancel(r, r.Records[2].Who, "participation", nil, now)
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, osallisuus.Reason("attended"), reasonOf(t, err))

	_, err = participation.Cancel(r, pid(t), "participation", nil, now)
	require.ErrorIs(t, err, osallisuus.ErrNotFound)

	_, err = participation.Cancel(r, r.Records[0].Who, "participation", nil, at(t, "2026-03-17T08:00:00+02:00"))
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, participation.ReasonEnded, reasonOf(t, err))
}

func TestMarkAttendanceDay(t *testing.T) {
	a := newActivity(t, 0) // 15–16 March 2026
	tests := []struct {
		name string
		now  string
		on   osallisuus.Date
		want osallisuus.Date
		ok   bool
	}{
		{"today within the activity is the default", "2026-03-15T23:30:00+02:00", osallisuus.Date{}, date(2026, 3, 15), true},
		{"the day before the start is refused", "2026-03-14T12:00:00+02:00", osallisuus.Date{}, osallisuus.Date{}, false},
		{"after the last day today is outside the activity", "2026-03-16T22:30:00Z", osallisuus.Date{}, osallisuus.Date{}, false},
		{"after the last day an explicit day within it is fine", "2026-03-20T09:00:00+02:00", date(2026, 3, 16), date(2026, 3, 16), true},
		{"a day after today is refused", "2026-03-15T09:00:00+02:00", date(2026, 3, 16), osallisuus.Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := at(t, tt.now)
			r := rosterWith(t, a, participation.StatusRegistered)
			who := r.Records[0].Who
			rec, err := participation.MarkAttendance(r, who, participation.StatusAttended, tt.on, allowed(a, who, now), now)
			if !tt.ok {
				require.ErrorIs(t, err, osallisuus.ErrInvalid)
				assert.Equal(t, []string{"on"}, problemFields(t, err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, rec.On)
			assert.Equal(t, participation.StatusAttended, rec.Status)
			assert.Equal(t, participation.RoleCustomer, rec.Role, "the role is kept")
		})
	}
}

func TestRecordParticipationIgnoresCapacity(t *testing.T) {
	now := at(t, "2026-03-15T12:00:00+02:00")
	a := newActivity(t, 1)
	r := rosterWith(t, a, participation.StatusRegistered)
	who := pid(t)
	rec, err := participation.RecordParticipation(r, who, participation.RoleOfficial, osallisuus.Date{}, allowed(a, who, now), now)
	require.NoError(t, err)
	assert.Equal(t, participation.StatusAttended, rec.Status)
	r.Records = append(r.Records, rec)
	assert.Equal(t, 2, r.Taken(), "a walk-in takes a place like any other")
	free, limited := r.Free()
	assert.True(t, limited)
	assert.Equal(t, 0, free)

	_, err = participation.RecordParticipation(r, who, participation.RoleOfficial, osallisuus.Date{}, allowed(a, who, now), now)
	require.ErrorIs(t, err, osallisuus.ErrConflict)
	assert.Equal(t, osallisuus.Reason("attended"), reasonOf(t, err))
}

func TestCheckOutcome(t *testing.T) {
	a := newActivity(t, 0)
	now := at(t, "2026-04-01T09:00:00+03:00")
	o, err := participation.CheckOutcome(a, participation.Outcome{Text: osallisuus.Text{SV: "Blanketten förenklades."}}, now)
	require.NoError(t, err)
	assert.Equal(t, date(2026, 4, 1), o.On, "the date defaults to today")
	assert.Equal(t, a.ID, o.Activity)

	_, err = participation.CheckOutcome(a, participation.Outcome{Text: osallisuus.Text{FI: " "}, Themes: []string{""}}, now)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"text", "themes[0]"}, problemFields(t, err))

	_, err = participation.CheckOutcome(a, participation.Outcome{Text: osallisuus.Text{EN: "x"}, On: date(2026, 3, 14)}, now)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.Equal(t, []string{"on"}, problemFields(t, err))
}

func TestCountAndShareJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"zero people are shown", participation.SuppressCount(0, 5), `0`},
		{"four people under five are hidden", participation.SuppressCount(4, 5), `"<5"`},
		{"exactly five are shown", participation.SuppressCount(5, 5), `5`},
		{"a threshold of one hides nothing", participation.SuppressCount(1, 1), `1`},
		{"two of three projects is 66.7", participation.ShareOf(2, 3), `66.7`},
		{"one of two is 50", participation.ShareOf(1, 2), `50`},
		{"one of sixteen rounds half up to 6.3", participation.ShareOf(1, 16), `6.3`},
		{"no projects is null", participation.ShareOf(0, 0), `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(tt.v))
			assert.Equal(t, tt.want+"\n", b.String())
		})
	}
	n, shown := participation.SuppressCount(3, 5).Value()
	assert.False(t, shown)
	assert.Zero(t, n, "a hidden count keeps no trace of its value")
}
