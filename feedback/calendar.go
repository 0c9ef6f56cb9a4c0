package feedback

import (
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
)

// The years the holiday rules cover (spec/feedback.md §5). Epiphany and Ascension Day
// were moved to Saturdays in 1973–1990, so earlier years are refused.
const (
	FirstCalendarYear = 1991
	LastCalendarYear  = 2199
)

// DayKind says why a day is not a business day (arkipäivä).
type DayKind string

// The kinds of named days off.
const (
	// PublicHoliday is a pyhäpäivä of the Church Act, May Day or Independence Day.
	PublicHoliday DayKind = "public-holiday"
	// NonWorking is a named non-working day under the Act on the Calculation of Statutory
	// Time Limits (150/1930): Midsummer Eve and Christmas Eve. Saturdays and Sundays are
	// non-working too but are not listed as named days.
	NonWorking DayKind = "non-working"
)

// Holiday is a named day off (pyhäpäivä or arkipyhä) in Finland.
type Holiday struct {
	Date   osallisuus.Date `json:"date"`
	Name   string          `json:"name"`   // Finnish
	NameSv string          `json:"nameSv"` // Swedish
	NameEn string          `json:"nameEn"` // English
	Kind   DayKind         `json:"kind"`
}

// Holidays returns the named public holidays and non-working days of year, sorted by
// date (spec/feedback.md §5). Years outside [FirstCalendarYear, LastCalendarYear] return
// an error matching osallisuus.ErrInvalid. A holiday on a weekend is not moved.
func Holidays(year int) ([]Holiday, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	var hs [15]Holiday
	n := holidays(year, &hs)
	return append([]Holiday(nil), hs[:n]...), nil
}

func checkYear(year int) error {
	if year < FirstCalendarYear || year > LastCalendarYear {
		return fmt.Errorf("holidays of %d: %w", year, invalidParams("year", osallisuus.CodeOutOfRange,
			map[string]any{"min": FirstCalendarYear, "max": LastCalendarYear}))
	}
	return nil
}

// holidays fills hs with the named days of year in date order and returns their count.
func holidays(year int, hs *[15]Holiday) int {
	easter := Easter(year)
	d := func(m time.Month, day int) osallisuus.Date { return osallisuus.NewDate(year, m, day) }
	// The Saturday (or Friday) within a seven-day window starting at first.
	weekdayFrom := func(first osallisuus.Date, wd time.Weekday) osallisuus.Date {
		return first.AddDays((int(wd) - int(first.Weekday()) + 7) % 7)
	}
	midsummerEve := weekdayFrom(d(time.June, 19), time.Friday)
	list := [15]Holiday{
		{d(time.January, 1), "Uudenvuodenpäivä", "Nyårsdagen", "New Year's Day", PublicHoliday},
		{d(time.January, 6), "Loppiainen", "Trettondedag jul", "Epiphany", PublicHoliday},
		{easter.AddDays(-2), "Pitkäperjantai", "Långfredagen", "Good Friday", PublicHoliday},
		{easter, "Pääsiäispäivä", "Påskdagen", "Easter Sunday", PublicHoliday},
		{easter.AddDays(1), "2. pääsiäispäivä", "Annandag påsk", "Easter Monday", PublicHoliday},
		{d(time.May, 1), "Vappu", "Första maj", "May Day", PublicHoliday},
		{easter.AddDays(39), "Helatorstai", "Kristi himmelsfärdsdag", "Ascension Day", PublicHoliday},
		{easter.AddDays(49), "Helluntaipäivä", "Pingstdagen", "Whit Sunday", PublicHoliday},
		{midsummerEve, "Juhannusaatto", "Midsommarafton", "Midsummer Eve", NonWorking},
		{midsummerEve.AddDays(1), "Juhannuspäivä", "Midsommardagen", "Midsummer Day", PublicHoliday},
		{weekdayFrom(d(time.October, 31), time.Saturday), "Pyhäinpäivä", "Alla helgons dag", "All Saints' Day", PublicHoliday},
		{d(time.December, 6), "Itsenäisyyspäivä", "Självständighetsdagen", "Independence Day", PublicHoliday},
		{d(time.December, 24), "Jouluaatto", "Julafton", "Christmas Eve", NonWorking},
		{d(time.December, 25), "Joulupäivä", "Juldagen", "Christmas Day", PublicHoliday},
		{d(time.December, 26), "Tapaninpäivä", "Annandag jul", "Boxing Day", PublicHoliday},
	}
	// Insertion sort: Ascension and Whit Sunday may fall after May Day in any order
	// with nothing else, but Easter may precede or follow nothing fixed in April; keep
	// it general and cheap.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].Date.Before(list[j-1].Date); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	*hs = list
	return len(list)
}

// Easter returns Easter Sunday of year in the Gregorian calendar (the anonymous
// Gregorian computus, also known as the Meeus/Jones/Butcher algorithm).
func Easter(year int) osallisuus.Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return osallisuus.NewDate(year, time.Month(month), day)
}

// IsBusinessDay reports whether d is a business day (arkipäivä): Monday to Friday and
// neither a public holiday nor a named non-working day. Years outside the supported
// range return an error matching osallisuus.ErrInvalid.
func IsBusinessDay(d osallisuus.Date) (bool, error) {
	if err := checkYear(d.Year); err != nil {
		return false, err
	}
	return isBusinessDay(d), nil
}

func isBusinessDay(d osallisuus.Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	// Fixed dates first: cheap and most common.
	switch {
	case d.Month == time.January && (d.Day == 1 || d.Day == 6),
		d.Month == time.May && d.Day == 1,
		d.Month == time.December && (d.Day == 6 || d.Day == 24 || d.Day == 25 || d.Day == 26):
		return false
	case d.Month == time.June && d.Day >= 19 && d.Day <= 25 && d.Weekday() == time.Friday:
		return false // Midsummer Eve; Midsummer Day and All Saints' Day are Saturdays
	case d.Month >= time.March && d.Month <= time.June:
		e := Easter(d.Year)
		switch d {
		case e.AddDays(-2), e.AddDays(1), e.AddDays(39):
			return false
		}
	}
	return true
}

// AddBusinessDays returns the n-th business day after from, counting from as day 0
// (spec/feedback.md §5): the result is always a business day. For n = 0 it is from when
// from is a business day, else the next business day. n < 0, or a date outside the
// supported years, returns an error matching osallisuus.ErrInvalid.
func AddBusinessDays(from osallisuus.Date, n int) (osallisuus.Date, error) {
	if n < 0 {
		return osallisuus.Date{}, fmt.Errorf("add business days: %w", invalidParams("businessDays", osallisuus.CodeOutOfRange, map[string]any{"min": 0}))
	}
	if !from.Valid() {
		return osallisuus.Date{}, fmt.Errorf("add business days: %w", osallisuus.Invalid("from", osallisuus.CodeFormat))
	}
	if err := checkYear(from.Year); err != nil {
		return osallisuus.Date{}, err
	}
	d := from
	if n == 0 {
		for !isBusinessDay(d) {
			d = d.AddDays(1)
		}
	}
	for n > 0 {
		d = d.AddDays(1)
		if isBusinessDay(d) {
			n--
		}
	}
	if d.Year > LastCalendarYear {
		return osallisuus.Date{}, checkYear(d.Year)
	}
	return d, nil
}
