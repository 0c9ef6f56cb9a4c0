package expert

import (
	"slices"

	"github.com/osallisuus/osallisuus"
)

// Settings is the county's configuration of matching, checks, caps and the payroll
// calendar. The zero value is the default everywhere.
type Settings struct {
	// WindowDays is K1's window W; 0 means 90.
	WindowDays int `json:"windowDays,omitzero"`
	// CheckWarningDays: a required check ending within this many days after a task
	// warns (check-expiring); 0 means 30.
	CheckWarningDays int `json:"checkWarningDays,omitzero"`
	// Checks says which checks are required and how they count.
	Checks CheckPolicy `json:"checks"`
	// Payroll is the host's payroll calendar, which gives expected payment dates (E12).
	Payroll Payroll `json:"payroll"`
	// CountExpensesTowardCap makes expense lines count toward earnings caps (E9).
	CountExpensesTowardCap bool `json:"countExpensesTowardCap,omitzero"`
	// Taxonomy and TaskTypes add codes to the seed lists ([ExperienceAreas], [TaskTypes]).
	Taxonomy  []string `json:"taxonomy,omitempty"`
	TaskTypes []string `json:"taskTypes,omitempty"`
}

func (s Settings) windowDays() int {
	if s.WindowDays == 0 {
		return 90
	}
	return s.WindowDays
}

func (s Settings) checkWarningDays() int {
	if s.CheckWarningDays == 0 {
		return 30
	}
	return s.CheckWarningDays
}

func (s Settings) knownArea(code string) bool {
	return slices.Contains(experienceAreas[:], code) || slices.Contains(s.Taxonomy, code)
}

func (s Settings) knownTaskType(t string) bool {
	return slices.Contains(taskTypes[:], t) || slices.Contains(s.TaskTypes, t)
}

// KnownTaskType reports whether t is a task type of spec §2 or one the settings add.
func (s Settings) KnownTaskType(t string) bool { return s.knownTaskType(t) }

// KnownExperienceArea reports whether code is in the taxonomy seed or one the settings add.
func (s Settings) KnownExperienceArea(code string) bool { return s.knownArea(code) }

// Payroll is the host's payroll calendar (palkanmaksukalenteri): a fee for work on a date
// is expected to be paid on day DayOfMonth (clamped to the month's end) of the month
// MonthsAfter months after the work's month. The zero Payroll is the default, the 15th of
// the next month; a non-zero Payroll is taken as written, except that DayOfMonth 0 means 15
// (so Payroll{DayOfMonth: 15} pays in the same month).
type Payroll struct {
	DayOfMonth  int `json:"dayOfMonth,omitzero"`
	MonthsAfter int `json:"monthsAfter"`
}

// PaymentDate returns the expected payment date of a fee for work on date d (M6).
func (p Payroll) PaymentDate(d osallisuus.Date) osallisuus.Date {
	p = p.norm()
	day := p.DayOfMonth
	first := osallisuus.NewDate(d.Year, d.Month, 1).AddMonths(p.MonthsAfter)
	last := first.AddMonths(1).AddDays(-1).Day
	return osallisuus.NewDate(first.Year, first.Month, min(day, last))
}

// norm applies the defaults: the zero Payroll is the 15th of the next month, and
// DayOfMonth 0 is 15.
func (p Payroll) norm() Payroll {
	if p == (Payroll{}) {
		return Payroll{DayOfMonth: 15, MonthsAfter: 1}
	}
	if p.DayOfMonth == 0 {
		p.DayOfMonth = 15
	}
	return p
}

// Validate checks the settings and returns a *osallisuus.ValidationError naming every bad
// field, or nil.
func (s Settings) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate settings"}
	if s.WindowDays < 0 || s.WindowDays > 10000 {
		ve.Add("windowDays", osallisuus.CodeOutOfRange)
	}
	if s.CheckWarningDays < 0 || s.CheckWarningDays > 10000 {
		ve.Add("checkWarningDays", osallisuus.CodeOutOfRange)
	}
	seen := map[string]bool{}
	for i, n := range s.Checks.Required {
		f := "checks.required[" + itoa(i) + "]"
		switch {
		case !ValidCheckName(n):
			ve.Add(f, osallisuus.CodeFormat)
		case seen[n]:
			ve.Add(f, osallisuus.CodeDuplicate)
		}
		seen[n] = true
	}
	if s.Payroll.DayOfMonth < 0 || s.Payroll.DayOfMonth > 31 {
		ve.Add("payroll.dayOfMonth", osallisuus.CodeOutOfRange)
	}
	if s.Payroll.MonthsAfter < 0 || s.Payroll.MonthsAfter > 10000 {
		ve.Add("payroll.monthsAfter", osallisuus.CodeOutOfRange)
	}
	return ve.Err()
}
