package osallisuus_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
)

func errorsAsValidation(err error) (*osallisuus.ValidationError, bool) {
	return errors.AsType[*osallisuus.ValidationError](err)
}

func TestParseInstantAcceptsRFC3339WithOffset(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-04-01T09:00:00Z", time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)},
		{"2026-04-01T12:00:00+03:00", time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)},
		{"2026-04-01T05:30:00-03:30", time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)},
		{"2026-04-01T09:00:00.5Z", time.Date(2026, 4, 1, 9, 0, 0, 500000000, time.UTC)},
		{"2026-04-01T09:00:00.123456789Z", time.Date(2026, 4, 1, 9, 0, 0, 123456789, time.UTC)},
		{"2026-04-01T23:59:59+23:59", time.Date(2026, 4, 1, 0, 0, 59, 0, time.UTC)},
		{"2024-02-29T00:00:00-00:00", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := osallisuus.ParseInstant(tt.in)
			require.NoError(t, err)
			assert.True(t, got.Equal(tt.want), "got %v", got)
		})
	}
}

func TestParseInstantRefusesWhatT1Refuses(t *testing.T) {
	for _, s := range []string{
		"", "2026-04-01", "2026-04-01T09:00:00", "2026-04-01 09:00:00Z", "2026-04-01t09:00:00Z",
		"2026-04-01T09:00:00z", "2026-04-01T09:00:00,5Z", "2026-04-01T09:00:00.1234567890Z",
		"2026-04-01T09:00:00.Z", "2026-04-01T09:00:00+24:00", "2026-04-01T09:00:00+03:60",
		"2026-04-01T24:00:00Z", "2026-04-01T09:60:00Z", "2026-04-01T09:00:60Z", "2026-02-30T09:00:00Z",
		"2026-04-01T09:00Z", "2026-04-01T09:00:00+0300", "2026-04-01T09:00:00+03", "2026-04-01T9:00:00Z",
		"2026-04-01T09:00:00Z ", " 2026-04-01T09:00:00Z", "2026-04-01T09:00:00.5+03:00x",
	} {
		t.Run(s, func(t *testing.T) {
			_, err := osallisuus.ParseInstant(s)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := errorsAsValidation(err)
			require.True(t, ok)
			assert.True(t, ve.Has("at"))
		})
	}
}

func TestParsePeriodFollowsP1(t *testing.T) {
	valid := map[string]osallisuus.Period{
		"P1Y": {Years: 1}, "P2Y6M": {Years: 2, Months: 6}, "P30D": {Days: 30}, "P1Y1M": {Years: 1, Months: 1},
		"P0Y1D": {Days: 1}, "P2W": {Weeks: 2}, "P1Y2M3D": {Years: 1, Months: 2, Days: 3}, "P18M": {Months: 18},
	}
	for s, want := range valid {
		got, err := osallisuus.ParsePeriod(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "P", "P0D", "P0Y0M", "PT1H", "P1DT1H", "P1.5Y", "P1W1D", "P1Y2W", "P1M1Y",
		"P1Y1Y", "1Y", "p1y", "P-1D", "P+1D", "P1", "PY", "P1H", "P1,5D"} {
		_, err := osallisuus.ParsePeriod(s)
		require.ErrorIs(t, err, osallisuus.ErrInvalid, s)
	}
}

func TestPeriodEndsAtMidnightAfterTheLastDay(t *testing.T) {
	tests := []struct{ period, at, want string }{
		{"P1Y", "2025-06-15T18:00:00+03:00", "2026-06-16T00:00:00+03:00"},   // T6 example
		{"P1M", "2026-01-31T12:00:00+02:00", "2026-03-01T00:00:00+02:00"},   // through 28 Feb
		{"P1Y1M", "2024-02-29T12:00:00+02:00", "2025-03-30T00:00:00+02:00"}, // through 29 March
		{"P30D", "2026-01-10T12:00:00+02:00", "2026-02-10T00:00:00+02:00"},  // through 9 Feb
		{"P1W", "2026-03-22T12:00:00+02:00", "2026-03-30T00:00:00+03:00"},   // across the spring change
		{"P1D", "2026-06-09T22:30:00Z", "2026-06-12T00:00:00+03:00"},        // the Helsinki date counts
	}
	for _, tt := range tests {
		t.Run(tt.period+" from "+tt.at, func(t *testing.T) {
			p, err := osallisuus.ParsePeriod(tt.period)
			require.NoError(t, err)
			got := p.EndAfter(mustInstant(t, tt.at))
			assert.True(t, got.Equal(mustInstant(t, tt.want)), "got %v", got)
		})
	}
}

func FuzzParseInstant(f *testing.F) {
	for _, s := range []string{"2026-04-01T09:00:00Z", "2026-04-01T12:00:00.123+03:00", "2026-04-01T09:00:00,5Z",
		"2026-04-01T09:00:00+24:00", "2026-10-25T03:30:00.000000001+03:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := osallisuus.ParseInstant(s)
		if err != nil {
			if !errors.Is(err, osallisuus.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if std, err := time.Parse(time.RFC3339Nano, s); err != nil || !std.Equal(v) {
			t.Fatalf("ParseInstant(%q) = %v, time.Parse = %v, %v: an accepted instant is valid RFC 3339", s, v, std, err)
		}
		back, err := osallisuus.ParseInstant(osallisuus.FormatInstant(v))
		if err != nil || !back.Equal(v) {
			t.Fatalf("round trip of %q: %v, %v", s, back, err)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P1Y", "P2W", "P1Y2M3D", "PT1H", "P0D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := osallisuus.ParsePeriod(s)
		if err != nil {
			return
		}
		if p.IsZero() {
			t.Fatalf("ParsePeriod(%q) accepted a zero period", s)
		}
		back, err := osallisuus.ParsePeriod(p.String())
		if err != nil || back != p {
			t.Fatalf("round trip of %q via %q: %v, %v", s, p.String(), back, err)
		}
	})
}
