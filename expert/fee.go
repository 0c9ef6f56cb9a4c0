package expert

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// MaxCents is the largest amount of money the package accepts in one field: 10¹² cents
// (ten billion euros), far from int64 overflow even when summed (spec §16.2).
const MaxCents int64 = 1_000_000_000_000

// RateBasis is how a task type is priced (spec §8).
type RateBasis uint8

// The pricing bases.
const (
	RateUnspecified RateBasis = iota
	// RateHourly: cents per hour, minutes rounded up to the schedule's step.
	RateHourly
	// RateBlock: a half day up to HalfDayMaxMinutes, a day up to DayMaxMinutes, hourly beyond.
	RateBlock
	// RatePerSession: a fixed price per session.
	RatePerSession
	// RateUnpaid: no fee lines at all; expenses are still paid.
	RateUnpaid
)

var rateNames = []string{"", "hourly", "block", "per-session", "unpaid"}

// String returns the text form.
func (b RateBasis) String() string { return enumString(rateNames, b) }

// MarshalText returns the text form.
func (b RateBasis) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText parses the text form.
func (b *RateBasis) UnmarshalText(t []byte) error { return enumUnmarshal(rateNames, "basis", t, b) }

// ParseRateBasis parses the text form.
func ParseRateBasis(s string) (RateBasis, bool) { return enumParse[RateBasis](rateNames, s) }

// Rate prices one task type.
type Rate struct {
	Basis                 RateBasis `json:"basis"`
	CentsPerHour          int64     `json:"centsPerHour,omitzero"`
	HalfDayCents          int64     `json:"halfDayCents,omitzero"`
	DayCents              int64     `json:"dayCents,omitzero"`
	BeyondDayCentsPerHour int64     `json:"beyondDayCentsPerHour,omitzero"`
	SessionCents          int64     `json:"sessionCents,omitzero"`
}

// Schedule is one version of the fee schedule (palkkiotaulukko), in force from ValidFrom
// until the next version's ValidFrom. Versions are append-only.
type Schedule struct {
	// ID names the version ("2026"); it is stored on payouts.
	ID                      string           `json:"id"`
	ValidFrom               osallisuus.Date  `json:"validFrom"`
	Rates                   map[string]Rate  `json:"rates"`
	PreparationCentsPerHour int64            `json:"preparationCentsPerHour,omitzero"`
	MaxPreparationMinutes   int              `json:"maxPreparationMinutes,omitzero"`
	TravelCentsPerHour      int64            `json:"travelCentsPerHour,omitzero"`
	MileageCentsPerKm       map[string]int64 `json:"mileageCentsPerKm,omitempty"`
	MealCents               int64            `json:"mealCents,omitzero"`
	MealMinMinutes          int              `json:"mealMinMinutes,omitzero"`
	// RoundingStepMinutes: 0 means 15. HalfDayMaxMinutes: 0 means 240.
	// DayMaxMinutes: 0 means 480.
	RoundingStepMinutes int `json:"roundingStepMinutes,omitzero"`
	HalfDayMaxMinutes   int `json:"halfDayMaxMinutes,omitzero"`
	DayMaxMinutes       int `json:"dayMaxMinutes,omitzero"`
	// LateCancelHours and LateCancelPercent configure E11; 0 hours is off.
	LateCancelHours   int `json:"lateCancelHours,omitzero"`
	LateCancelPercent int `json:"lateCancelPercent,omitzero"`
}

func (s Schedule) step() int       { return defaultInt(s.RoundingStepMinutes, 15) }
func (s Schedule) halfDayMax() int { return defaultInt(s.HalfDayMaxMinutes, 240) }
func (s Schedule) dayMax() int     { return defaultInt(s.DayMaxMinutes, 480) }
func defaultInt(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

// Clone returns a deep copy of s.
func (s Schedule) Clone() Schedule {
	c := s
	c.Rates = cloneMap(s.Rates)
	c.MileageCentsPerKm = cloneMap(s.MileageCentsPerKm)
	return c
}

// Validate checks one schedule version and returns a *osallisuus.ValidationError naming
// every bad field, or nil: negative or overflowing money, minutes out of 0..1440, a
// half day longer than a day, an unknown task type or basis.
func (s Schedule) Validate(set Settings) error {
	ve := &osallisuus.ValidationError{Op: "validate fee schedule"}
	if s.ID == "" {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if s.ValidFrom.IsZero() || !s.ValidFrom.Valid() {
		ve.Add("validFrom", osallisuus.CodeRequired)
	}
	money := func(f string, v int64) {
		if v < 0 || v > MaxCents {
			ve.AddParams(f, osallisuus.CodeOutOfRange, map[string]any{"min": 0, "max": MaxCents})
		}
	}
	minutes := func(f string, v int) {
		if v < 0 || v > 1440 {
			ve.AddParams(f, osallisuus.CodeOutOfRange, map[string]any{"min": 0, "max": 1440})
		}
	}
	for _, t := range sortedKeys(s.Rates) {
		r := s.Rates[t]
		f := "rates." + t
		if !set.knownTaskType(t) {
			ve.Add(f, osallisuus.CodeUnknown)
		}
		if r.Basis == RateUnspecified || r.Basis > RateUnpaid {
			ve.Add(f+".basis", osallisuus.CodeRequired)
		}
		money(f+".centsPerHour", r.CentsPerHour)
		money(f+".halfDayCents", r.HalfDayCents)
		money(f+".dayCents", r.DayCents)
		money(f+".beyondDayCentsPerHour", r.BeyondDayCentsPerHour)
		money(f+".sessionCents", r.SessionCents)
	}
	money("preparationCentsPerHour", s.PreparationCentsPerHour)
	money("travelCentsPerHour", s.TravelCentsPerHour)
	money("mealCents", s.MealCents)
	for _, v := range sortedKeys(s.MileageCentsPerKm) {
		money("mileageCentsPerKm."+v, s.MileageCentsPerKm[v])
	}
	minutes("maxPreparationMinutes", s.MaxPreparationMinutes)
	minutes("mealMinMinutes", s.MealMinMinutes)
	minutes("roundingStepMinutes", s.RoundingStepMinutes)
	minutes("halfDayMaxMinutes", s.HalfDayMaxMinutes)
	minutes("dayMaxMinutes", s.DayMaxMinutes)
	if s.halfDayMax() > s.dayMax() {
		ve.Add("halfDayMaxMinutes", osallisuus.CodeOrder)
	}
	if s.LateCancelHours < 0 || s.LateCancelHours > 10000 {
		ve.Add("lateCancelHours", osallisuus.CodeOutOfRange)
	}
	if s.LateCancelPercent < 0 || s.LateCancelPercent > 100 {
		ve.Add("lateCancelPercent", osallisuus.CodeOutOfRange)
	}
	return ve.Err()
}

// Schedules is the append-only list of fee schedule versions.
type Schedules []Schedule

// InForce returns the version with the latest ValidFrom on or before d, and false when
// d is before the first version.
func (ss Schedules) InForce(d osallisuus.Date) (Schedule, bool) {
	best := -1
	for i := range ss {
		if !ss[i].ValidFrom.After(d) && (best < 0 || ss[i].ValidFrom.After(ss[best].ValidFrom)) {
			best = i
		}
	}
	if best < 0 {
		return Schedule{}, false
	}
	return ss[best], true
}

// Validate checks every version and that no two share a ValidFrom or an ID (versions by
// ValidFrom cannot overlap: each is in force until the next one, so there are no gaps
// after the first).
func (ss Schedules) Validate(set Settings) error {
	ve := &osallisuus.ValidationError{Op: "validate fee schedules"}
	for i, s := range ss {
		f := "schedules[" + itoa(i) + "]"
		if err := s.Validate(set); err != nil {
			ve.Merge(f, err.(*osallisuus.ValidationError))
		}
		for j := range i {
			if ss[j].ID == s.ID && s.ID != "" {
				ve.Add(f+".id", osallisuus.CodeDuplicate)
			}
			if ss[j].ValidFrom == s.ValidFrom {
				ve.Add(f+".validFrom", osallisuus.CodeDuplicate)
			}
		}
	}
	return ve.Err()
}

// LineKind names a payout line (spec M10).
type LineKind string

// The line kinds. Fee lines: task-*, preparation, travel-time, late-cancellation;
// expense lines: mileage, the receipt kinds, meal.
const (
	LineTaskHourly       LineKind = "task-hourly"
	LineTaskHalfDay      LineKind = "task-half-day"
	LineTaskDay          LineKind = "task-day"
	LineTaskOvertime     LineKind = "task-overtime"
	LineTaskSession      LineKind = "task-session"
	LinePreparation      LineKind = "preparation"
	LineTravelTime       LineKind = "travel-time"
	LineLateCancellation LineKind = "late-cancellation"
	LineMileage          LineKind = "mileage"
	LineTicket           LineKind = "ticket"
	LineParking          LineKind = "parking"
	LineOther            LineKind = "other"
	LineMeal             LineKind = "meal"
)

// ReceiptKinds returns the receipt kinds an expense may have, as a new slice.
func ReceiptKinds() []LineKind { return []LineKind{LineTicket, LineParking, LineOther} }

// Receipt is a receipted expense (kuitti): a ticket, parking or other cost.
type Receipt struct {
	Kind  LineKind `json:"kind"`
	Cents int64    `json:"cents"`
}

// Line is one payout line: kind, quantity (minutes, km, sessions or percent), unit rate,
// cents, and whether it counts toward earnings caps.
type Line struct {
	Kind            LineKind `json:"kind"`
	Quantity        int64    `json:"quantity"`
	UnitCents       int64    `json:"unitCents"`
	Cents           int64    `json:"cents"`
	CountsTowardCap bool     `json:"countsTowardCap"`
	Waived          bool     `json:"waived,omitempty"`
}

// IsFee reports whether the line is a fee line (taxable pay) rather than an expense.
func (l Line) IsFee() bool {
	switch l.Kind {
	case LineTaskHourly, LineTaskHalfDay, LineTaskDay, LineTaskOvertime, LineTaskSession,
		LinePreparation, LineTravelTime, LineLateCancellation:
		return true
	}
	return false
}

// Work is what is priced: one assignment as planned or as done.
type Work struct {
	TaskType string
	Start    time.Time
	Minutes  int
	// PreparationMinutes claimed and granted; the lesser is paid.
	PreparationMinutes        int
	GrantedPreparationMinutes int
	// Travel is the actual journey, both ways.
	Travel     Travel
	Receipts   []Receipt
	MealServed bool
	// FeeWaived: the expert's or the assignment's waiver (E10).
	FeeWaived bool
	// CancelledByUnitAt is when the unit cancelled; zero when it did not.
	CancelledByUnitAt time.Time
}

// Fee is a priced assignment: its fee (palkkio) and expense (kulukorvaus) lines with
// their totals, and the schedule version that priced it.
type Fee struct {
	ScheduleID   string `json:"scheduleVersion"`
	Lines        []Line `json:"lines"`
	FeeCents     int64  `json:"feeCents"`
	ExpenseCents int64  `json:"expenseCents"`
}

// CapCents returns the sum of the lines that count toward caps.
func (f Fee) CapCents() int64 {
	var n int64
	for _, l := range f.Lines {
		if l.CountsTowardCap {
			n += l.Cents
		}
	}
	return n
}

// The problem codes of pricing: no schedule version in force on the task's date, and
// kilometres with a vehicle the version has no rate for.
const (
	CodeNoSchedule    osallisuus.Code = "no-schedule"
	CodeNoMileageRate osallisuus.Code = "no-mileage-rate"
)

func roundUp(m, step int) int64 {
	if m <= 0 {
		return 0
	}
	return int64((m + step - 1) / step * step)
}

func hourly(minutes, centsPerHour int64) int64 { return (minutes*centsPerHour + 30) / 60 }

// Price prices work with the schedule in force on its date (M10, E8–E11): fee lines in
// the order task, preparation, travel time (or only late cancellation for a unit
// cancellation), then expense lines mileage, receipts and meal, each only when due. A
// task type without a rate in the version is priced like an unpaid one: no fee lines.
// Errors match osallisuus.ErrInvalid: field "start" when no version is in force on the
// task's date, "travel.vehicle" when km > 0 and the version has no rate for the vehicle.
func Price(ss Schedules, w Work, countExpenses bool) (Fee, error) {
	s, ok := ss.InForce(osallisuus.DateOf(w.Start))
	if !ok {
		return Fee{}, &osallisuus.ValidationError{Op: "price assignment",
			Problems: []osallisuus.Problem{{Field: "start", Code: CodeNoSchedule}}}
	}
	return PriceWith(s, w, countExpenses)
}

// PriceWith prices work with one given schedule version; see [Price].
func PriceWith(s Schedule, w Work, countExpenses bool) (Fee, error) {
	mileage, hasMileage := s.MileageCentsPerKm[w.Travel.vehicle()]
	if w.Travel.Km > 0 && !hasMileage {
		return Fee{}, &osallisuus.ValidationError{Op: "price assignment",
			Problems: []osallisuus.Problem{{Field: "travel.vehicle", Code: CodeNoMileageRate}}}
	}
	f := Fee{ScheduleID: s.ID, Lines: make([]Line, 0, 6)}
	f.Lines = appendFeeLines(f.Lines, s, w)
	if w.Travel.Km > 0 {
		f.Lines = append(f.Lines, Line{Kind: LineMileage, Quantity: int64(w.Travel.Km),
			UnitCents: mileage, Cents: int64(w.Travel.Km) * mileage})
	}
	for _, r := range w.Receipts {
		f.Lines = append(f.Lines, Line{Kind: r.Kind, Quantity: 1, UnitCents: r.Cents, Cents: r.Cents})
	}
	if w.CancelledByUnitAt.IsZero() && s.MealCents > 0 && !w.MealServed &&
		w.Minutes+w.Travel.Minutes >= s.MealMinMinutes {
		f.Lines = append(f.Lines, Line{Kind: LineMeal, Quantity: 1, UnitCents: s.MealCents, Cents: s.MealCents})
	}
	for i := range f.Lines {
		l := &f.Lines[i]
		if l.IsFee() {
			l.CountsTowardCap = true
			if w.FeeWaived {
				l.Cents, l.Waived = 0, true
			}
			f.FeeCents += l.Cents
		} else {
			l.CountsTowardCap = countExpenses
			f.ExpenseCents += l.Cents
		}
	}
	return f, nil
}

func appendFeeLines(lines []Line, s Schedule, w Work) []Line {
	r, ok := s.Rates[w.TaskType]
	if !ok || r.Basis == RateUnpaid || r.Basis == RateUnspecified {
		return lines
	}
	if !w.CancelledByUnitAt.IsZero() {
		late := s.LateCancelHours > 0 &&
			w.Start.Sub(w.CancelledByUnitAt) < time.Duration(s.LateCancelHours)*time.Hour
		if !late {
			return lines
		}
		var buf [2]Line
		var unit int64
		for _, l := range appendTaskLines(buf[:0], s, r, w.Minutes) {
			unit += l.Cents
		}
		q := int64(s.LateCancelPercent)
		return append(lines, Line{Kind: LineLateCancellation, Quantity: q, UnitCents: unit,
			Cents: (q*unit + 50) / 100})
	}
	lines = appendTaskLines(lines, s, r, w.Minutes)
	if prep := min(w.PreparationMinutes, w.GrantedPreparationMinutes); prep > 0 {
		q := roundUp(prep, s.step())
		if s.MaxPreparationMinutes > 0 {
			q = min(q, int64(s.MaxPreparationMinutes))
		}
		lines = append(lines, Line{Kind: LinePreparation, Quantity: q,
			UnitCents: s.PreparationCentsPerHour, Cents: hourly(q, s.PreparationCentsPerHour)})
	}
	if w.Travel.Minutes > 0 {
		q := roundUp(w.Travel.Minutes, s.step())
		lines = append(lines, Line{Kind: LineTravelTime, Quantity: q,
			UnitCents: s.TravelCentsPerHour, Cents: hourly(q, s.TravelCentsPerHour)})
	}
	return lines
}

func appendTaskLines(lines []Line, s Schedule, r Rate, minutes int) []Line {
	if minutes <= 0 {
		return lines
	}
	switch r.Basis {
	case RateHourly:
		q := roundUp(minutes, s.step())
		lines = append(lines, Line{Kind: LineTaskHourly, Quantity: q, UnitCents: r.CentsPerHour,
			Cents: hourly(q, r.CentsPerHour)})
	case RateBlock:
		if minutes <= s.halfDayMax() {
			lines = append(lines, Line{Kind: LineTaskHalfDay, Quantity: int64(minutes),
				UnitCents: r.HalfDayCents, Cents: r.HalfDayCents})
			break
		}
		lines = append(lines, Line{Kind: LineTaskDay, Quantity: int64(min(minutes, s.dayMax())),
			UnitCents: r.DayCents, Cents: r.DayCents})
		if beyond := minutes - s.dayMax(); beyond > 0 {
			q := roundUp(beyond, s.step())
			lines = append(lines, Line{Kind: LineTaskOvertime, Quantity: q,
				UnitCents: r.BeyondDayCentsPerHour, Cents: hourly(q, r.BeyondDayCentsPerHour)})
		}
	case RatePerSession:
		lines = append(lines, Line{Kind: LineTaskSession, Quantity: 1, UnitCents: r.SessionCents,
			Cents: r.SessionCents})
	}
	return lines
}
