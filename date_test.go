package osallisuus_test

import (
	"encoding/json"
	"testing"
	"time"
	_ "time/tzdata" // tests compare the computed Helsinki rule with the zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
)

func mustInstant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := osallisuus.ParseInstant(s)
	require.NoError(t, err, s)
	return v
}

func TestDateOfIsTheHelsinkiDate(t *testing.T) {
	tests := []struct{ at, want string }{
		{"2026-06-09T22:30:00Z", "2026-06-10"},      // T3: EEST, +03:00
		{"2026-10-26T00:30:00+03:00", "2026-10-25"}, // T3: 23:30 EET
		{"2026-01-01T21:59:59Z", "2026-01-01"},      // EET, +02:00
		{"2026-01-01T22:00:00Z", "2026-01-02"},      // local midnight in winter
		{"2026-03-29T00:59:59Z", "2026-03-29"},      // just before the spring change
		{"2026-03-29T21:00:00Z", "2026-03-30"},      // first summer midnight
		{"2026-10-25T20:59:59Z", "2026-10-25"},      // 23:59:59 EEST... the day before the change ends 22:00Z
		{"2026-10-25T22:00:00Z", "2026-10-26"},      // first winter midnight
		{"2025-12-31T22:00:00Z", "2026-01-01"},      // year end
		{"2026-04-01T12:00:00+14:00", "2026-04-01"}, // the written offset does not matter
		{"2024-02-28T22:00:00Z", "2024-02-29"},      // leap day
		{"2026-07-01T00:00:00.000000001+03:00", "2026-07-01"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			assert.Equal(t, tt.want, osallisuus.DateOf(mustInstant(t, tt.at)).String())
		})
	}
	assert.True(t, osallisuus.DateOf(time.Time{}).IsZero(), "the zero time has no date")
}

func TestDateOfAgreesWithTheZoneDatabase(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Helsinki")
	require.NoError(t, err)
	// Every 37 minutes from 1996 to 2045 crosses every DST change at many offsets.
	for at := time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2045; at = at.Add(37 * time.Minute) {
		local := at.In(loc)
		want := osallisuus.NewDate(local.Year(), local.Month(), local.Day())
		if got := osallisuus.DateOf(at); got != want {
			t.Fatalf("DateOf(%v) = %v, want %v", at, got, want)
		}
		_, off := local.Zone()
		if got := osallisuus.HelsinkiOffset(at); got != off {
			t.Fatalf("HelsinkiOffset(%v) = %d, want %d", at, got, off)
		}
	}
}

func TestDateStartIsHelsinkiMidnight(t *testing.T) {
	tests := []struct{ date, want string }{
		{"2026-03-30", "2026-03-29T21:00:00Z"}, // T6: the day after 2026-03-29
		{"2026-10-26", "2026-10-25T22:00:00Z"}, // T6: the day after 2026-10-25
		{"2026-03-29", "2026-03-28T22:00:00Z"}, // the spring change day starts in winter time
		{"2026-10-25", "2026-10-24T21:00:00Z"}, // the autumn change day starts in summer time
		{"2026-07-01", "2026-06-30T21:00:00Z"}, // T4: until 2026-06-30 ends here
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d, err := osallisuus.ParseDate(tt.date)
			require.NoError(t, err)
			assert.True(t, d.Start().Equal(mustInstant(t, tt.want)), "%v", d.Start())
			assert.Equal(t, d, osallisuus.DateOf(d.Start()), "a day's start lies on that day")
			assert.Equal(t, d.AddDays(-1), osallisuus.DateOf(d.Start().Add(-time.Nanosecond)), "the instant before lies on the day before")
		})
	}
}

func TestDateTimeIsLocalWallClock(t *testing.T) {
	d := osallisuus.NewDate(2026, 3, 25)
	assert.True(t, d.Time(10, 0).Equal(mustInstant(t, "2026-03-25T10:00:00+02:00")))
	assert.True(t, d.AddDays(7).Time(10, 0).Equal(mustInstant(t, "2026-04-01T10:00:00+03:00")))
}

func TestAgeOnCountsWholeYearsWithLeapDayBirthdays(t *testing.T) {
	tests := []struct {
		name      string
		birth, on osallisuus.Date
		want      int
	}{
		{"a leap-day child turns 18 on 28 February in a common year", osallisuus.NewDate(2008, 2, 29), osallisuus.NewDate(2026, 2, 28), 18},
		{"the day before that the child is 17", osallisuus.NewDate(2008, 2, 29), osallisuus.NewDate(2026, 2, 27), 17},
		{"in a leap year the birthday is 29 February", osallisuus.NewDate(2012, 2, 29), osallisuus.NewDate(2028, 2, 29), 16},
		{"and not the day before", osallisuus.NewDate(2012, 2, 29), osallisuus.NewDate(2028, 2, 28), 15},
		{"an ordinary birthday counts from the day", osallisuus.NewDate(2011, 9, 15), osallisuus.NewDate(2026, 9, 15), 15},
		{"the eve of a birthday does not", osallisuus.NewDate(2011, 9, 15), osallisuus.NewDate(2026, 9, 14), 14},
		{"an unknown birth date gives -1", osallisuus.Date{}, osallisuus.NewDate(2026, 9, 14), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, osallisuus.AgeOn(tt.birth, tt.on))
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	assert.Equal(t, osallisuus.NewDate(2026, 2, 28), osallisuus.NewDate(2026, 1, 31).AddMonths(1))
	assert.Equal(t, osallisuus.NewDate(2025, 3, 29), osallisuus.NewDate(2024, 2, 29).AddMonths(13))
	assert.Equal(t, osallisuus.NewDate(2025, 12, 31), osallisuus.NewDate(2026, 1, 31).AddMonths(-1))
	assert.Equal(t, osallisuus.NewDate(2027, 1, 1), osallisuus.NewDate(2026, 12, 31).AddDays(1))
	assert.Equal(t, osallisuus.NewDate(2024, 2, 29), osallisuus.NewDate(2024, 3, 1).AddDays(-1))
	assert.Equal(t, time.Sunday, osallisuus.NewDate(2026, 3, 29).Weekday())
	assert.Equal(t, time.Thursday, osallisuus.NewDate(1970, 1, 1).Weekday())
	assert.True(t, osallisuus.NewDate(2026, 1, 1).Before(osallisuus.NewDate(2026, 1, 2)))
	assert.Equal(t, 0, osallisuus.NewDate(2026, 1, 1).Compare(osallisuus.NewDate(2026, 1, 1)))
}

func TestParseDateRefusesWhatIsNotACalendarDay(t *testing.T) {
	for _, s := range []string{"", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01",
		"2026-1-01", "2026/01/01", "2026-01-01T00:00:00Z", "+026-01-01", "0000-01-01"} {
		_, err := osallisuus.ParseDate(s)
		require.ErrorIs(t, err, osallisuus.ErrInvalid, s)
		ve, ok := errorsAsValidation(err)
		require.True(t, ok)
		assert.True(t, ve.Has("date"), s)
	}
	d, err := osallisuus.ParseDate("2024-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2024-02-29", d.String())
}

func TestDateJSONIsYYYYMMDDAndEmptyForNone(t *testing.T) {
	type doc struct {
		D osallisuus.Date `json:"d,omitzero"`
		E osallisuus.Date `json:"e"`
	}
	b, err := json.Marshal(doc{D: osallisuus.NewDate(2026, 5, 1)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"d":"2026-05-01","e":""}`, string(b))
	var back doc
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, osallisuus.NewDate(2026, 5, 1), back.D)
	assert.True(t, back.E.IsZero())
	require.ErrorIs(t, json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &back), osallisuus.ErrInvalid)
}

func TestDateSQLValueAndScan(t *testing.T) {
	v, err := osallisuus.NewDate(2026, 5, 1).Value()
	require.NoError(t, err)
	assert.Equal(t, "2026-05-01", v)
	v, err = osallisuus.Date{}.Value()
	require.NoError(t, err)
	assert.Nil(t, v)
	var d osallisuus.Date
	require.NoError(t, d.Scan("2026-05-01"))
	assert.Equal(t, osallisuus.NewDate(2026, 5, 1), d)
	require.NoError(t, d.Scan(time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, osallisuus.NewDate(2026, 6, 2), d)
	require.NoError(t, d.Scan(nil))
	assert.True(t, d.IsZero())
	require.ErrorIs(t, d.Scan(42), osallisuus.ErrInvalid)
}

func TestDateRangeIsInclusive(t *testing.T) {
	r := osallisuus.DateRange{From: osallisuus.NewDate(2026, 1, 1), Until: osallisuus.NewDate(2026, 6, 30)}
	assert.True(t, r.Contains(mustInstant(t, "2026-06-30T23:59:59+03:00")))
	assert.False(t, r.Contains(mustInstant(t, "2026-07-01T00:00:00+03:00")))
	assert.False(t, r.Contains(mustInstant(t, "2025-12-31T23:59:59+02:00")))
	assert.True(t, r.Contains(mustInstant(t, "2025-12-31T22:00:00Z")))
	assert.True(t, osallisuus.DateRange{}.Contains(mustInstant(t, "2026-06-30T23:59:59+03:00")), "open bounds hold")
	assert.False(t, osallisuus.DateRange{From: osallisuus.NewDate(2026, 2, 1), Until: osallisuus.NewDate(2026, 1, 1)}.Valid())
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-01", "2024-02-29", "2026-02-29", "9999-12-31", "0001-01-01", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := osallisuus.ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q: a parsed date prints as read", s, d.String())
		}
		if osallisuus.DateOf(d.Start()) != d {
			t.Fatalf("DateOf(%v.Start()) = %v", d, osallisuus.DateOf(d.Start()))
		}
	})
}
