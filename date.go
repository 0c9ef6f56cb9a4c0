package osallisuus

import (
	"database/sql/driver"
	"fmt"
	"sync"
	"time"
)

// Date is a calendar date without a time of day (JSON "YYYY-MM-DD"). The zero value,
// Date{}, means "no date": it marshals as "" in JSON and as NULL in SQL, and IsZero
// reports it, so `omitzero` works. Dates compare with ==, Before, After and Compare.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d. It does not normalise: use [ParseDate] or Valid to check.
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// ParseDate parses "YYYY-MM-DD", which must be a real calendar day (spec/consent.md T2).
// The error matches [ErrInvalid] and names field "date".
func ParseDate(s string) (Date, error) {
	d, ok := parseDate(s)
	if !ok {
		return Date{}, Invalid("date", CodeFormat)
	}
	return d, nil
}

func parseDate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, false
	}
	date := Date{y, time.Month(m), d}
	return date, date.Valid()
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// Valid reports whether d is a real calendar day between years 1 and 9999.
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText returns the String form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "YYYY-MM-DD"; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value implements driver.Valuer: the "YYYY-MM-DD" text, or NULL for the zero Date.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner from NULL, text or a time.Time (its calendar date).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
		return nil
	default:
		return fmt.Errorf("scan date from %T: %w", src, ErrInvalid)
	}
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a, b := d.days(), e.days()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return dateFromDays(d.days() + int64(n)) }

// AddMonths returns the date n months after d, keeping the day of month or clamping it to
// the last day of the target month (2026-01-31 + 1 month = 2026-02-28), as laki
// säädettyjen määräaikain laskemisesta 150/1930 §3 counts a corresponding day.
func (d Date) AddMonths(n int) Date {
	m := d.Year*12 + int(d.Month) - 1 + n
	y, mo := floorDiv(m, 12), time.Month(floorMod(m, 12)+1)
	day := min(d.Day, daysIn(y, mo))
	return Date{y, mo, day}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday(floorMod64(d.days()+4, 7))
}

// Start returns the instant at which d begins in Helsinki (00:00 local time), in UTC.
// Local midnight is never inside a DST gap in Helsinki, but its offset differs across the
// changes: 2026-03-30 starts at 2026-03-29T21:00:00Z, 2026-10-26 at 2026-10-25T22:00:00Z.
func (d Date) Start() time.Time { return time.Unix(startOfDay(d.days()), 0).UTC() }

// startOfDay returns the Unix seconds of 00:00 Helsinki time on day number n (days since
// 1970-01-01). Local midnight is never near a change (they happen at 03:00 and 04:00 local
// time), so the offset at 22:00 UTC the evening before tells it.
func startOfDay(n int64) int64 {
	secs := n*86400 - 2*3600
	if inDSTUnix(secs) {
		secs -= 3600
	}
	return secs
}

// Time returns d at hour:min local Helsinki time as an instant in UTC. Hours inside the
// spring-forward gap (03:00–03:59 on the last Sunday of March) are taken as EEST.
func (d Date) Time(hour, min int) time.Time {
	local := d.days()*86400 + int64(hour*3600+min*60)
	off := int64(2 * 3600)
	if inDST(time.Unix(local-3*3600, 0)) {
		off = 3 * 3600
	}
	return time.Unix(local-off, 0).UTC()
}

// DateOf returns the Helsinki calendar date of instant t (spec/consent.md T3): its date in
// Europe/Helsinki, EET +02:00, EEST +03:00 from the last Sunday of March 01:00 UTC to the
// last Sunday of October 01:00 UTC. 2026-06-09T22:30:00Z is 10 June; the zero time gives
// the zero Date. The rule is computed, not read from tzdata, so it costs a few
// nanoseconds, needs no time zone database, and agrees with tzdata from 1996 on.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return dateFromDays(dayOf(t.Unix()))
}

// dayOf returns the Helsinki day number (days since 1970-01-01) of Unix seconds u.
func dayOf(u int64) int64 {
	off := int64(2 * 3600)
	if inDSTUnix(u) {
		off = 3 * 3600
	}
	return floorDiv64(u+off, 86400)
}

// HelsinkiOffset returns the UTC offset of Helsinki at t, in seconds (7200 or 10800).
func HelsinkiOffset(t time.Time) int {
	if inDST(t) {
		return 3 * 3600
	}
	return 2 * 3600
}

// AgeOn returns the age in whole years on date on of someone born on birth (spec T5).
// Someone born on 29 February has the birthday on 28 February in common years. The zero
// birth date gives -1 (unknown).
func AgeOn(birth, on Date) int {
	if birth.IsZero() {
		return -1
	}
	age := on.Year - birth.Year
	bm, bd := birth.Month, birth.Day
	if bm == time.February && bd == 29 && !isLeap(on.Year) {
		bd = 28
	}
	if on.Month < bm || (on.Month == bm && on.Day < bd) {
		age--
	}
	return age
}

// HelsinkiLocation returns the Europe/Helsinki location from the time zone database,
// loaded once, for hosts that format local times. The library's own rules use [DateOf]
// and [Date.Start], which need no database. Libraries do not embed tzdata; main packages
// may import time/tzdata.
func HelsinkiLocation() (*time.Location, error) { return helsinki() }

var helsinki = sync.OnceValues(func() (*time.Location, error) {
	return time.LoadLocation("Europe/Helsinki")
})

// inDST reports whether t is within EU summer time (last Sunday of March 01:00 UTC to the
// last Sunday of October 01:00 UTC).
func inDST(t time.Time) bool { return inDSTUnix(t.Unix()) }

// inDSTUnix is inDST for Unix seconds.
func inDSTUnix(u int64) bool {
	if u >= dstTableStart && u < dstTableEnd {
		return dstTable[tableYear(u)].summer(u)
	}
	y := dateFromDays(floorDiv64(u, 86400)).Year
	if y < 1 {
		return false
	}
	start := lastSunday(y, time.March)*86400 + 3600
	end := lastSunday(y, time.October)*86400 + 3600
	return u >= start && u < end
}

// tableYear returns the index in dstTable of the year of Unix second u, which must be
// in [dstTableStart, dstTableEnd). The table covers the years in which nearly every
// instant falls; the year is found from a first guess corrected by at most one.
func tableYear(u int64) int {
	i := int((u - dstTableStart) / 31556952)
	if i+1 < len(dstTable) && u >= dstTable[i+1].yearStart {
		i++
	} else if u < dstTable[i].yearStart {
		i--
	}
	return i
}

// periodEndUnix is [Period.EndAfter] in Unix seconds, by table lookups, for instants
// and ends in the years of dstTable; ok is false outside them. It runs for every consent
// decision on a grant with a maximum duration.
func periodEndUnix(u int64, months, days int) (end int64, ok bool) {
	if u < dstTableStart || u >= dstTableEnd {
		return 0, false
	}
	// The Helsinki date of u, as the table's year i and its day doy (from 0).
	i := tableYear(u)
	b := &dstTable[i]
	off := int64(2 * 3600)
	if b.summer(u) {
		off = 3 * 3600
	}
	doy := int((u+off)/86400 - b.day)
	if doy == b.length() { // 1 January local time, still 31 December in UTC
		if i++; i == len(dstTable) {
			return 0, false
		}
		b, doy = &dstTable[i], 0
	}
	// The months, on the calendar of a leap year, clamping the day of the month.
	if !b.leap && doy >= 31+28 {
		doy++
	}
	m := int(leapMonthOf[doy])
	day := doy - int(leapMonthStart[m])
	t := i*12 + m + months
	if t < 0 || t >= 12*len(dstTable) {
		return 0, false
	}
	b = &dstTable[t/12]
	m = t % 12
	start, length := int(leapMonthStart[m]), int(leapMonthStart[m+1]-leapMonthStart[m])
	switch {
	case b.leap || m == 0:
	case m == 1:
		length-- // February has 28 days
	default:
		start-- // and the months after it start a day earlier
	}
	// Then the days, and 00:00 local time on the day after.
	n := b.day + int64(start+min(day, length-1)+days+1)
	secs := n*86400 - 2*3600
	if n < b.day || n >= b.day+int64(b.length()) {
		if secs < dstTableStart || secs >= dstTableEnd {
			return 0, false
		}
		b = &dstTable[tableYear(secs)]
	}
	// Local midnight is never near a change of offset; 22:00 UTC the day before is in
	// the same year's summer time exactly when the midnight is (on 1 January it is
	// before the year and not in summer time either).
	if b.summer(secs) {
		secs -= 3600
	}
	return secs, true
}

// leapMonthStart holds the day of the year (from 0) on which each month of a leap year
// starts, and the year's length; leapMonthOf the month (from 0) of each day of a leap year.
var (
	leapMonthStart = [13]int16{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}
	leapMonthOf    = func() (of [366]uint8) {
		for m := range 12 {
			for d := leapMonthStart[m]; d < leapMonthStart[m+1]; d++ {
				of[d] = uint8(m)
			}
		}
		return of
	}()
)

// dstBounds holds, for one year, the Unix seconds of its first instant (UTC) and of the
// start and end of summer time, the day number of 1 January, and whether it is a leap
// year.
type dstBounds struct {
	yearStart, start, end int64
	day                   int64
	leap                  bool
}

// summer reports whether Unix second u is in the year's summer time.
func (b *dstBounds) summer(u int64) bool { return u >= b.start && u < b.end }

// length returns the number of days of the year.
func (b *dstBounds) length() int {
	if b.leap {
		return 366
	}
	return 365
}

const dstFirstYear, dstLastYear = 1970, 2200

// dstTable is computed once, by a variable initializer, and never changed.
var dstTable = func() []dstBounds {
	out := make([]dstBounds, 0, dstLastYear-dstFirstYear+1)
	for y := dstFirstYear; y <= dstLastYear; y++ {
		out = append(out, dstBounds{
			yearStart: Date{y, time.January, 1}.days() * 86400,
			start:     lastSunday(y, time.March)*86400 + 3600,
			end:       lastSunday(y, time.October)*86400 + 3600,
			day:       Date{y, time.January, 1}.days(),
			leap:      isLeap(y),
		})
	}
	return out
}()

var (
	dstTableStart = dstTable[0].yearStart
	dstTableEnd   = Date{dstLastYear + 1, time.January, 1}.days() * 86400
)

// lastSunday returns the day number (days since 1970-01-01) of the last Sunday of month m.
func lastSunday(y int, m time.Month) int64 {
	last := Date{y, m, daysIn(y, m)}.days()
	wd := floorMod64(last+4, 7) // 0 = Sunday
	return last - wd
}

// days returns the number of days since 1970-01-01 (Howard Hinnant's days_from_civil).
func (d Date) days() int64 {
	y := int64(d.Year)
	m := int64(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv64(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateFromDays is the inverse of days (civil_from_days).
func dateFromDays(z int64) Date {
	z += 719468
	era := floorDiv64(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{int(y), time.Month(m), int(d)}
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

func floorDiv64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod64(a, b int64) int64 { return a - floorDiv64(a, b)*b }
