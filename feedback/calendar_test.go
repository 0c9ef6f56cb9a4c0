package feedback_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/feedback"
)

func date(s string) osallisuus.Date {
	d, err := osallisuus.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{1991: "1991-03-31", 2024: "2024-03-31", 2026: "2026-04-05",
		2033: "2033-04-17", 2038: "2038-04-25", 2100: "2100-03-28", 2199: "2199-04-14"} {
		assert.Equal(t, want, feedback.Easter(year).String(), "Easter %d", year)
	}
}

func TestHolidays(t *testing.T) {
	hs, err := feedback.Holidays(2026)
	require.NoError(t, err)
	require.Len(t, hs, 15)
	got := map[string]feedback.DayKind{}
	for i, h := range hs {
		got[h.Date.String()] = h.Kind
		assert.NotEmpty(t, h.Name)
		if i > 0 {
			assert.True(t, hs[i-1].Date.Before(h.Date), "sorted by date")
		}
	}
	assert.Equal(t, feedback.PublicHoliday, got["2026-04-03"], "Good Friday")
	assert.Equal(t, feedback.PublicHoliday, got["2026-05-14"], "Ascension Day")
	assert.Equal(t, feedback.NonWorking, got["2026-06-19"], "Midsummer Eve")
	assert.Equal(t, feedback.PublicHoliday, got["2026-06-20"], "Midsummer Day")
	assert.Equal(t, feedback.PublicHoliday, got["2026-10-31"], "All Saints' Day")
	assert.NotContains(t, got, "2026-12-31", "New Year's Eve is an ordinary day")

	_, err = feedback.Holidays(1990)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	_, err = feedback.Holidays(2200)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"one day over Easter moves past Good Friday, the weekend and Easter Monday", "2033-04-14", 1, "2033-04-19"},
		{"one day over Midsummer Eve", "2033-06-23", 1, "2033-06-27"},
		{"zero on a business day is the day itself", "2026-03-02", 0, "2026-03-02"},
		{"zero on Christmas Eve is the next business day", "2026-12-24", 0, "2026-12-28"},
		{"zero on a Sunday is Monday", "2026-03-29", 0, "2026-03-30"},
		{"ten days from a Monday", "2026-03-02", 10, "2026-03-16"},
		{"twenty days over Easter 2026", "2026-03-20", 20, "2026-04-21"},
		{"over Ascension Day", "2026-05-04", 10, "2026-05-19"},
		{"over the year end and Epiphany", "2026-12-30", 3, "2027-01-05"},
		{"New Year's Eve is a business day", "2026-12-30", 1, "2026-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := feedback.AddBusinessDays(date(tt.from), tt.n)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
	_, err := feedback.AddBusinessDays(date("2026-01-01"), -1)
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "negative n")
	_, err = feedback.AddBusinessDays(date("1990-06-01"), 1)
	require.ErrorIs(t, err, osallisuus.ErrInvalid, "before 1991")
}

func TestOverdueEndsAtHelsinkiMidnight(t *testing.T) {
	due := date("2026-04-07")
	at := func(s string) time.Time {
		v, err := osallisuus.ParseInstant(s)
		require.NoError(t, err)
		return v
	}
	assert.False(t, feedback.Overdue(feedback.StateAssigned, due, at("2026-04-07T20:59:59.999999999Z")), "23:59:59 EEST")
	assert.True(t, feedback.Overdue(feedback.StateAssigned, due, at("2026-04-07T21:00:00Z")), "midnight EEST")
	assert.False(t, feedback.Overdue(feedback.StateAnswered, due, at("2026-05-01T00:00:00Z")), "answered is never overdue")
	assert.False(t, feedback.Overdue(feedback.StateReceived, osallisuus.Date{}, at("2026-05-01T00:00:00Z")), "no due date")
	winter := date("2026-11-06")
	assert.False(t, feedback.Overdue(feedback.StateReceived, winter, at("2026-11-06T21:59:59Z")))
	assert.True(t, feedback.Overdue(feedback.StateReceived, winter, at("2026-11-06T22:00:00Z")))
}
