package expert

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// TaskTypes returns the task types of spec §2 (tehtävätyypit), in the spec's order, as a
// new slice; hosts add codes through [Settings.TaskTypes]. The last two are activity
// types: supervision (työnohjaus) and debriefing (purkukeskustelu) count as activity,
// never toward load or the assignment cap (E19).
func TaskTypes() []string { return slices.Clone(taskTypes[:]) }

// ExperienceAreas returns the experience taxonomy seed of spec §2 (kokemusalueet) as a
// new slice; hosts add codes through [Settings.Taxonomy].
func ExperienceAreas() []string { return slices.Clone(experienceAreas[:]) }

var taskTypes = [...]string{
	"staff-training", "talk", "workshop", "peer-support", "panel", "recruitment-interview",
	"evaluation", "writing", "work-pair", "supervision", "debrief",
}

var experienceAreas = [...]string{
	"mental-health", "substance-use", "disability", "family-services", "elderly-care",
	"informal-care", "child-protection", "chronic-illness",
}

// isActivityType reports whether a task type is a support session type (E19) that never
// counts toward load (K1) or the assignment cap (H9).
func isActivityType(t string) bool { return t == "supervision" || t == "debrief" }

// Perspective says whose experience an experience area is: the expert's own, or as a
// close relative (läheisen kokemus).
type Perspective uint8

// The perspectives.
const (
	PerspectiveUnspecified Perspective = iota
	PerspectiveOwn
	PerspectiveCloseRelative
)

var perspectiveNames = []string{"", "own", "close-relative"}

// String returns the text form ("own", "close-relative"; "" when unspecified).
func (p Perspective) String() string { return enumString(perspectiveNames, p) }

// MarshalText returns the text form.
func (p Perspective) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses the text form; empty text is PerspectiveUnspecified.
func (p *Perspective) UnmarshalText(b []byte) error {
	return enumUnmarshal(perspectiveNames, "perspective", b, p)
}

// ParsePerspective parses the text form.
func ParsePerspective(s string) (Perspective, bool) {
	return enumParse[Perspective](perspectiveNames, s)
}

// Experience is one experience area (kokemusalue) of an expert: a taxonomy code and the
// perspective. Experience areas are special-category data (they reveal health or
// social-care history) and are erased after the host's retention period (E3).
type Experience struct {
	Code        string      `json:"code"`
	Perspective Perspective `json:"perspective"`
}

// Preference is an expert's preference for a task type (spec §5). A task type missing from
// [Profile.Preferences] is PreferenceAccepted.
type Preference uint8

// The preferences. K2 ranks preferred before accepted; never excludes (H7).
const (
	PreferenceUnspecified Preference = iota
	PreferencePreferred
	PreferenceAccepted
	PreferenceNever
)

var preferenceNames = []string{"", "preferred", "accepted", "never"}

// String returns the text form.
func (p Preference) String() string { return enumString(preferenceNames, p) }

// MarshalText returns the text form.
func (p Preference) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses the text form.
func (p *Preference) UnmarshalText(b []byte) error {
	return enumUnmarshal(preferenceNames, "preference", b, p)
}

// ParsePreference parses the text form.
func ParsePreference(s string) (Preference, bool) { return enumParse[Preference](preferenceNames, s) }

// PartOfDay is a part of a day in the weekly availability grid, Helsinki wall clock
// (spec §5, M4): morning 08–12, afternoon 12–16, evening 16–20.
type PartOfDay uint8

// The parts of a day.
const (
	Morning PartOfDay = iota
	Afternoon
	Evening
)

var partNames = []string{"morning", "afternoon", "evening"}
var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Weekly is a weekly availability grid (viikkoaikataulu): a set of weekday × part-of-day
// slots as a bit set. The empty grid limits nothing (M4). Its JSON form is a list such as
// ["mon-morning", "tue-afternoon"], Monday first.
type Weekly uint32

// Slot returns the grid holding the single slot (day, part).
func Slot(day time.Weekday, part PartOfDay) Weekly { return 1 << (uint(day)*3 + uint(part)) }

// Has reports whether the grid holds the slot (day, part).
func (w Weekly) Has(day time.Weekday, part PartOfDay) bool { return w&Slot(day, part) != 0 }

// ParseSlot parses one slot such as "tue-afternoon".
func ParseSlot(s string) (Weekly, bool) {
	d, p, ok := strings.Cut(s, "-")
	if !ok {
		return 0, false
	}
	di := slices.Index(dayNames, d)
	pi := slices.Index(partNames, p)
	if di < 0 || pi < 0 {
		return 0, false
	}
	return Slot(time.Weekday(di), PartOfDay(pi)), true
}

// Slots returns the slots of the grid as text, Monday morning first.
func (w Weekly) Slots() []string {
	var out []string
	for i := 1; i <= 7; i++ {
		day := time.Weekday(i % 7)
		for p := Morning; p <= Evening; p++ {
			if w.Has(day, p) {
				out = append(out, dayNames[day]+"-"+partNames[p])
			}
		}
	}
	return out
}

// MarshalJSON writes the slots as a JSON list.
func (w Weekly) MarshalJSON() ([]byte, error) {
	s := w.Slots()
	if s == nil {
		s = []string{}
	}
	return json.Marshal(s)
}

// UnmarshalJSON reads a JSON list of slots; an unknown slot is an error matching
// osallisuus.ErrInvalid.
func (w *Weekly) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	var g Weekly
	for i, s := range list {
		x, ok := ParseSlot(s)
		if !ok {
			return osallisuus.Invalid("weekly["+itoa(i)+"]", osallisuus.CodeUnknown)
		}
		g |= x
	}
	*w = g
	return nil
}

// CapPeriod is the period of an earnings cap.
type CapPeriod uint8

// The cap periods: calendar month or calendar year (Helsinki).
const (
	PeriodUnspecified CapPeriod = iota
	PeriodMonth
	PeriodYear
)

var periodNames = []string{"", "month", "year"}

// String returns the text form.
func (p CapPeriod) String() string { return enumString(periodNames, p) }

// MarshalText returns the text form.
func (p CapPeriod) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText parses the text form.
func (p *CapPeriod) UnmarshalText(b []byte) error { return enumUnmarshal(periodNames, "period", b, p) }

// ParseCapPeriod parses the text form.
func ParseCapPeriod(s string) (CapPeriod, bool) { return enumParse[CapPeriod](periodNames, s) }

// Key returns the period key of date d: "YYYY-MM" for a month, "YYYY" for a year, the
// keys of [Expert.Totals].
func (p CapPeriod) Key(d osallisuus.Date) string {
	s := d.String()
	if len(s) < 10 { // the zero Date, or one String cannot print
		return ""
	}
	if p == PeriodYear {
		return s[:len(s)-6]
	}
	return s[:len(s)-3]
}

// CapBasis says which date places a fee in a cap period (E12).
type CapBasis uint8

// The cap bases. The zero value is the default, the expected payment date: adjusted
// unemployment benefit counts wages in the period they are paid.
const (
	BasisPaymentDate CapBasis = iota
	BasisWorkDate
)

var basisNames = []string{"payment-date", "work-date"}

// String returns the text form.
func (b CapBasis) String() string { return enumString(basisNames, b) }

// MarshalText returns the text form.
func (b CapBasis) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText parses the text form; empty text is the default, BasisPaymentDate.
func (b *CapBasis) UnmarshalText(t []byte) error {
	for i, n := range basisNames {
		if n == string(t) {
			*b = CapBasis(i)
			return nil
		}
	}
	if len(t) == 0 {
		*b = BasisPaymentDate
		return nil
	}
	return osallisuus.Invalid("basis", osallisuus.CodeUnknown)
}

// EarningsCap is a ceiling on fees in one calendar month or year, set by the expert.
type EarningsCap struct {
	Period CapPeriod `json:"period"`
	Cents  int64     `json:"cents"`
}

// Caps are the expert's own limits (rajat, spec §5). Any number of earnings caps may be
// set; the strictest binds. They are set and changed only by the expert or their
// representative; a change applies to later checks and never rewrites history.
type Caps struct {
	Earnings []EarningsCap `json:"earnings,omitempty"`
	// AssignmentsPerMonth caps counting assignments in a calendar month; 0 is none.
	AssignmentsPerMonth int `json:"assignmentsPerMonth,omitzero"`
	// WarnAtPercent is where the approaching-cap warning starts; 0 means 80.
	WarnAtPercent int `json:"warnAtPercent,omitzero"`
	// Basis places fees in periods; the zero value is the payment date.
	Basis CapBasis `json:"basis"`
}

func (c Caps) warnAt() int64 {
	if c.WarnAtPercent == 0 {
		return 80
	}
	return int64(c.WarnAtPercent)
}

// Travel is a travel estimate or actual travel: minutes and kilometres one way for an
// estimate, both ways for an actual journey, and the vehicle ("" means car).
type Travel struct {
	Minutes int    `json:"minutes,omitzero"`
	Km      int    `json:"km,omitzero"`
	Vehicle string `json:"vehicle,omitzero"`
}

func (t Travel) vehicle() string {
	if t.Vehicle == "" {
		return "car"
	}
	return t.Vehicle
}

// Profile is what an expert offers and their own limits (spec §5).
type Profile struct {
	Experience []Experience `json:"experience,omitempty"`
	// Languages are BCP 47 tags (fi, sv, en, se, fse, ...), matched ignoring ASCII case.
	Languages []string `json:"languages,omitempty"`
	// Areas are host area codes the expert works in; Remote accepts remote tasks.
	Areas  []string `json:"areas,omitempty"`
	Remote bool     `json:"remote,omitzero"`
	// Weekly is the availability grid; empty limits nothing.
	Weekly Weekly `json:"weekly,omitzero"`
	// Unavailable lists inclusive date ranges when the expert cannot work.
	Unavailable []osallisuus.DateRange `json:"unavailable,omitempty"`
	// Preferences by task type; a missing type is accepted.
	Preferences map[string]Preference `json:"preferences,omitempty"`
	Caps        Caps                  `json:"caps"`
	// FeeWaived: the expert works without fees (volunteer); expenses are still paid.
	FeeWaived bool `json:"feeWaived,omitzero"`
	// Travel holds the host's one-way travel estimate per area code.
	Travel map[string]Travel `json:"travel,omitempty"`
}

// Validate checks the profile against the taxonomy of settings and returns a
// *osallisuus.ValidationError naming every bad field (field paths relative to the
// profile), or nil.
func (p Profile) Validate(s Settings) error {
	ve := &osallisuus.ValidationError{Op: "validate profile"}
	for i, x := range p.Experience {
		f := "experience[" + itoa(i) + "]"
		if x.Code == "" {
			ve.Add(f+".code", osallisuus.CodeRequired)
		} else if !s.knownArea(x.Code) {
			ve.Add(f+".code", osallisuus.CodeUnknown)
		}
		if x.Perspective == PerspectiveUnspecified || x.Perspective > PerspectiveCloseRelative {
			ve.Add(f+".perspective", osallisuus.CodeRequired)
		}
	}
	for i, l := range p.Languages {
		if l == "" {
			ve.Add("languages["+itoa(i)+"]", osallisuus.CodeRequired)
		}
	}
	for i, r := range p.Unavailable {
		f := "unavailable[" + itoa(i) + "]"
		if r.From.IsZero() || !r.From.Valid() {
			ve.Add(f+".from", osallisuus.CodeRequired)
		}
		if r.Until.IsZero() || !r.Until.Valid() {
			ve.Add(f+".until", osallisuus.CodeRequired)
		}
		if !r.From.IsZero() && !r.Until.IsZero() && r.From.After(r.Until) {
			ve.Add(f+".until", osallisuus.CodeOrder)
		}
	}
	for _, t := range sortedKeys(p.Preferences) {
		if !s.knownTaskType(t) {
			ve.Add("preferences."+t, osallisuus.CodeUnknown)
		} else if v := p.Preferences[t]; v == PreferenceUnspecified || v > PreferenceNever {
			ve.Add("preferences."+t, osallisuus.CodeUnknown)
		}
	}
	for i, c := range p.Caps.Earnings {
		f := "caps.earnings[" + itoa(i) + "]"
		if c.Period == PeriodUnspecified || c.Period > PeriodYear {
			ve.Add(f+".period", osallisuus.CodeRequired)
		}
		if c.Cents < 1 || c.Cents > MaxCents {
			ve.AddParams(f+".cents", osallisuus.CodeOutOfRange, map[string]any{"min": 1, "max": MaxCents})
		}
	}
	if p.Caps.AssignmentsPerMonth < 0 || p.Caps.AssignmentsPerMonth > 10000 {
		ve.Add("caps.assignmentsPerMonth", osallisuus.CodeOutOfRange)
	}
	if p.Caps.WarnAtPercent < 0 || p.Caps.WarnAtPercent > 100 {
		ve.Add("caps.warnAtPercent", osallisuus.CodeOutOfRange)
	}
	if p.Caps.Basis > BasisWorkDate {
		ve.Add("caps.basis", osallisuus.CodeUnknown)
	}
	for _, a := range sortedKeys(p.Travel) {
		t := p.Travel[a]
		if t.Minutes < 0 || t.Minutes > 1440 {
			ve.Add("travel."+a+".minutes", osallisuus.CodeOutOfRange)
		}
		if t.Km < 0 || t.Km > 10000 {
			ve.Add("travel."+a+".km", osallisuus.CodeOutOfRange)
		}
	}
	return ve.Err()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func itoa(i int) string {
	if i >= 0 && i < 10 {
		return string(rune('0' + i))
	}
	var b [20]byte
	n := len(b)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}
