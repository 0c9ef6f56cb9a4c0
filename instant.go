package osallisuus

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseInstant parses an RFC 3339 instant with a mandatory offset, strictly as
// spec/consent.md T1 says: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, upper-case T and Z,
// hour 00–23, minute and second 00–59, offset hours 00–23 and minutes 00–59. Unlike
// time.Parse with time.RFC3339 it rejects a comma before the fraction, more than nine
// fraction digits and offset +24:00. The result keeps its offset; compare instants with
// Equal. The error matches [ErrInvalid] and names field "at".
func ParseInstant(s string) (time.Time, error) {
	t, ok := parseInstant(s)
	if !ok {
		return time.Time{}, Invalid("at", CodeFormat)
	}
	return t, nil
}

func parseInstant(s string) (time.Time, bool) {
	// Fixed part: 2006-01-02T15:04:05 (19 bytes).
	if len(s) < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	d, ok := parseDate(s[:10])
	if !ok {
		return time.Time{}, false
	}
	hh, ok1 := digits(s[11:13])
	mi, ok2 := digits(s[14:16])
	ss, ok3 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || hh > 23 || mi > 59 || ss > 59 {
		return time.Time{}, false
	}
	rest := s[19:]
	nsec := 0
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		frac := rest[1:n]
		if len(frac) < 1 || len(frac) > 9 {
			return time.Time{}, false
		}
		v, _ := digits(frac)
		for i := len(frac); i < 9; i++ {
			v *= 10
		}
		nsec = v
		rest = rest[n:]
	}
	var loc *time.Location
	switch {
	case rest == "Z":
		loc = time.UTC
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off := oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
		loc = fixedZone(off)
	default:
		return time.Time{}, false
	}
	return time.Date(d.Year, d.Month, d.Day, hh, mi, ss, nsec, loc), true
}

// fixedZone returns a location for a UTC offset, sharing the common Helsinki ones.
func fixedZone(off int) *time.Location {
	switch off {
	case 0:
		return time.UTC
	case 7200:
		return eet
	case 10800:
		return eest
	}
	return time.FixedZone("", off)
}

var (
	eet  = time.FixedZone("", 7200)
	eest = time.FixedZone("", 10800)
)

// FormatInstant formats t as RFC 3339 with as many fraction digits as it needs, the
// inverse of [ParseInstant].
func FormatInstant(t time.Time) string { return t.Format(time.RFC3339Nano) }

// Period is an ISO 8601 calendar period of years, months, weeks and days, as
// spec/consent.md P1 allows: `P[nY][nM][nD]` with at least one component, or `PnW` alone.
// The zero Period is "none".
type Period struct {
	Years, Months, Weeks, Days int
}

// ParsePeriod parses s as P1 says: a decimal integer per component, at least one value
// above zero, no time part (`PT…`), no fractions, weeks only alone. The error matches
// [ErrInvalid] and names field "period".
func ParsePeriod(s string) (Period, error) {
	p, ok := parsePeriod(s)
	if !ok {
		return Period{}, Invalid("period", CodeFormat)
	}
	return p, nil
}

func parsePeriod(s string) (Period, bool) {
	if len(s) < 3 || s[0] != 'P' {
		return Period{}, false
	}
	rest := s[1:]
	var p Period
	order := "YMDW"
	seen := -1
	for rest != "" {
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 || n == len(rest) || n > 9 {
			return Period{}, false
		}
		v, _ := strconv.Atoi(rest[:n])
		i := strings.IndexByte(order, rest[n])
		if i < 0 || i <= seen {
			return Period{}, false
		}
		seen = i
		switch rest[n] {
		case 'Y':
			p.Years = v
		case 'M':
			p.Months = v
		case 'D':
			p.Days = v
		case 'W':
			if s[1:] != rest { // weeks only alone
				return Period{}, false
			}
			p.Weeks = v
		}
		rest = rest[n+1:]
	}
	if p == (Period{}) {
		return Period{}, false
	}
	return p, true
}

// IsZero reports whether p is "none".
func (p Period) IsZero() bool { return p == Period{} }

// String returns the ISO 8601 form ("" for none).
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	if p.Weeks != 0 {
		return fmt.Sprintf("P%dW", p.Weeks)
	}
	var b strings.Builder
	b.WriteByte('P')
	if p.Years != 0 {
		fmt.Fprintf(&b, "%dY", p.Years)
	}
	if p.Months != 0 {
		fmt.Fprintf(&b, "%dM", p.Months)
	}
	if p.Days != 0 {
		fmt.Fprintf(&b, "%dD", p.Days)
	}
	return b.String()
}

// LastDay returns the last day a period started on date a covers (spec/consent.md T6):
// all months added in one step from a, clamping the day of month, then weeks and days:
// `addMonths(a, 12·Y + M) + 7·W + D days`. 2026-01-31 with P1M gives 2026-02-28.
func (p Period) LastDay(a Date) Date {
	return a.AddMonths(12*p.Years + p.Months).AddDays(7*p.Weeks + p.Days)
}

// EndAfter returns the exclusive end of a period started at instant a: 00:00 Helsinki
// time on the day after [Period.LastDay] of a's Helsinki date. Granted 2025-06-15 18:00
// with P1Y, valid until 2026-06-16T00:00:00+03:00.
func (p Period) EndAfter(a time.Time) time.Time {
	u, months, days := a.Unix(), 12*p.Years+p.Months, 7*p.Weeks+p.Days
	end, ok := periodEndUnix(u, months, days)
	if !ok {
		end = periodEndDays(u, months, days)
	}
	return time.Unix(end, 0).UTC()
}

// periodEndDays is [Period.EndAfter] in Unix seconds, by the civil calendar of day
// numbers: for any instant, and the definition periodEndUnix must agree with.
func periodEndDays(u int64, months, days int) int64 {
	n := dayOf(u)
	if months != 0 {
		n = dateFromDays(n).AddMonths(months).days()
	}
	return startOfDay(n + int64(days) + 1)
}

// DateRange is an inclusive range of days (spec/consent.md T4); a zero bound is open.
type DateRange struct {
	From  Date `json:"from,omitzero"`
	Until Date `json:"until,omitzero"`
}

// Contains reports whether the range holds at instant t: From ≤ DateOf(t) ≤ Until. So
// Until 2026-06-30 ends at 2026-07-01T00:00:00+03:00.
func (r DateRange) Contains(t time.Time) bool { return r.ContainsDate(DateOf(t)) }

// ContainsDate reports whether From ≤ d ≤ Until, open bounds holding.
func (r DateRange) ContainsDate(d Date) bool {
	if !r.From.IsZero() && d.Before(r.From) {
		return false
	}
	if !r.Until.IsZero() && d.After(r.Until) {
		return false
	}
	return true
}

// Valid reports whether both bounds are real dates (or open) and From ≤ Until.
func (r DateRange) Valid() bool {
	if (!r.From.IsZero() && !r.From.Valid()) || (!r.Until.IsZero() && !r.Until.Valid()) {
		return false
	}
	return r.From.IsZero() || r.Until.IsZero() || !r.Until.Before(r.From)
}
