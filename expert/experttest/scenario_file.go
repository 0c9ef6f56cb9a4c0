package experttest

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

// The scenario file format of spec/expert.md §16.2. Pointers distinguish an omitted or
// null field (its default) from a given zero.

type file struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Settings    *fileSettings  `json:"settings"`
	Taxonomy    []fileCode     `json:"taxonomy"`
	TaskTypes   []fileCode     `json:"taskTypes"`
	Schedules   []fileSchedule `json:"schedules"`
	Experts     []fileExpert   `json:"experts"`
}

type matchFile struct {
	file
	Requests []fileRequest `json:"requests"`
}

type feesFile struct {
	file
	Assignments []fileAssignment `json:"assignments"`
}

type fileSettings struct {
	WindowDays             *int64       `json:"windowDays"`
	CheckWarningDays       *int64       `json:"checkWarningDays"`
	RequiredChecks         *[]string    `json:"requiredChecks"`
	Payroll                *filePayroll `json:"payroll"`
	CountExpensesTowardCap bool         `json:"countExpensesTowardCap"`
	// Taxonomy and TaskTypes are also read here: §16.2 can be read either way.
	Taxonomy  []fileCode `json:"taxonomy"`
	TaskTypes []fileCode `json:"taskTypes"`
}

type filePayroll struct {
	DayOfMonth  *int64 `json:"dayOfMonth"`
	MonthsAfter *int64 `json:"monthsAfter"`
}

// fileCode is a code added to a list: a string, or an object with a "code" and its
// names (fi/sv/en), which the runner does not need.
type fileCode struct{ Code string }

func (c *fileCode) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &c.Code)
	}
	var obj struct {
		Code  string          `json:"code"`
		Name  json.RawMessage `json:"name"`
		Names json.RawMessage `json:"names"`
		FI    json.RawMessage `json:"fi"`
		SV    json.RawMessage `json:"sv"`
		EN    json.RawMessage `json:"en"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&obj); err != nil {
		return err
	}
	c.Code = obj.Code
	return nil
}

type fileRate struct {
	Basis                 string `json:"basis"`
	CentsPerHour          int64  `json:"centsPerHour"`
	HalfDayCents          int64  `json:"halfDayCents"`
	DayCents              int64  `json:"dayCents"`
	BeyondDayCentsPerHour int64  `json:"beyondDayCentsPerHour"`
	SessionCents          int64  `json:"sessionCents"`
}

type fileSchedule struct {
	ID                      string              `json:"id"`
	ValidFrom               string              `json:"validFrom"`
	Rates                   map[string]fileRate `json:"rates"`
	PreparationCentsPerHour int64               `json:"preparationCentsPerHour"`
	MaxPreparationMinutes   int64               `json:"maxPreparationMinutes"`
	TravelCentsPerHour      int64               `json:"travelCentsPerHour"`
	MileageCentsPerKm       map[string]int64    `json:"mileageCentsPerKm"`
	MealCents               int64               `json:"mealCents"`
	MealMinMinutes          int64               `json:"mealMinMinutes"`
	RoundingStepMinutes     int64               `json:"roundingStepMinutes"`
	HalfDayMaxMinutes       int64               `json:"halfDayMaxMinutes"`
	DayMaxMinutes           int64               `json:"dayMaxMinutes"`
	LateCancelHours         int64               `json:"lateCancelHours"`
	LateCancelPercent       int64               `json:"lateCancelPercent"`
}

type fileCheck struct {
	Name      string `json:"name"`
	Until     string `json:"until"`
	ExpiresAt string `json:"expiresAt"`
}

type fileExperience struct {
	Code        string `json:"code"`
	Perspective string `json:"perspective"`
}

type fileRange struct {
	From  string `json:"from"`
	Until string `json:"until"`
}

type fileCaps struct {
	Earnings            []fileEarningsCap `json:"earnings"`
	AssignmentsPerMonth int64             `json:"assignmentsPerMonth"`
	WarnAtPercent       int64             `json:"warnAtPercent"`
	Basis               string            `json:"basis"`
}

type fileEarningsCap struct {
	Period string `json:"period"`
	Cents  int64  `json:"cents"`
}

type fileTravel struct {
	Minutes int64  `json:"minutes"`
	Km      int64  `json:"km"`
	Vehicle string `json:"vehicle"`
}

type fileCommitment struct {
	Request     string `json:"request"`
	TaskType    string `json:"taskType"`
	Status      string `json:"status"`
	Start       string `json:"start"`
	Minutes     int64  `json:"minutes"`
	FeeCents    int64  `json:"feeCents"`
	PaymentDate string `json:"paymentDate"`
}

type fileExpert struct {
	ID          string                `json:"id"`
	State       string                `json:"state"`
	PausedUntil string                `json:"pausedUntil"`
	Checks      []fileCheck           `json:"checks"`
	Experience  []fileExperience      `json:"experience"`
	Languages   []string              `json:"languages"`
	Areas       []string              `json:"areas"`
	Remote      bool                  `json:"remote"`
	Weekly      []string              `json:"weekly"`
	Unavailable []fileRange           `json:"unavailable"`
	Preferences map[string]string     `json:"preferences"`
	Conflicts   []string              `json:"conflicts"`
	Caps        *fileCaps             `json:"caps"`
	FeeWaived   bool                  `json:"feeWaived"`
	Travel      map[string]fileTravel `json:"travel"`
	Totals      map[string]int64      `json:"totals"`
	Assignments []fileCommitment      `json:"assignments"`
}

type fileRequest struct {
	ID                  string   `json:"id"`
	Now                 string   `json:"now"`
	Unit                string   `json:"unit"`
	TaskType            string   `json:"taskType"`
	Start               string   `json:"start"`
	Minutes             int64    `json:"minutes"`
	Location            string   `json:"location"`
	Language            string   `json:"language"`
	Experience          []string `json:"experience"`
	Perspective         string   `json:"perspective"`
	PerspectiveRequired bool     `json:"perspectiveRequired"`
	Needed              int64    `json:"needed"`
	Reserve             *int64   `json:"reserve"`
	PreparationMinutes  int64    `json:"preparationMinutes"`
	ConflictCheck       bool     `json:"conflictCheck"`
	IncludeOverCap      bool     `json:"includeOverCap"`
}

type fileReceipt struct {
	Kind  string `json:"kind"`
	Cents int64  `json:"cents"`
}

type fileAssignment struct {
	ID                        string        `json:"id"`
	Expert                    string        `json:"expert"`
	Request                   string        `json:"request"`
	TaskType                  string        `json:"taskType"`
	Start                     string        `json:"start"`
	Minutes                   int64         `json:"minutes"`
	PreparationMinutes        int64         `json:"preparationMinutes"`
	GrantedPreparationMinutes int64         `json:"grantedPreparationMinutes"`
	Travel                    *fileTravel   `json:"travel"`
	Receipts                  []fileReceipt `json:"receipts"`
	MealServed                bool          `json:"mealServed"`
	FeeWaived                 bool          `json:"feeWaived"`
	PaymentDate               string        `json:"paymentDate"`
	CancelledByUnitAt         string        `json:"cancelledByUnitAt"`
}

// world is a validated scenario file turned into domain values.
type world struct {
	settings  expert.Settings
	schedules expert.Schedules
	experts   []expert.Expert
	keys      []string
	conflicts []map[string]bool
	index     map[string]int
}

var (
	expertSpace  = uuid.MustParse("6f1d2c3e-0000-4000-8000-0000000e4e47")
	requestSpace = uuid.MustParse("6f1d2c3e-0000-4000-8000-00000000e4e5")
)

// scenarioExpertID and scenarioRequestID map scenario ids to IDs deterministically; the
// scenario ids themselves are the K5 keys.
func scenarioExpertID(id string) expert.ExpertID {
	return expert.ExpertID{UUID: uuid.NewSHA1(expertSpace, []byte(id))}
}

func scenarioRequestID(id string) expert.RequestID {
	if id == "" {
		return expert.RequestID{}
	}
	return expert.RequestID{UUID: uuid.NewSHA1(requestSpace, []byte(id))}
}

// checker collects the F1 problems of a file.
type checker struct {
	ve        osallisuus.ValidationError
	settings  expert.Settings
	taxonomy  map[string]bool
	taskTypes map[string]bool
}

func (c *checker) add(field string, code osallisuus.Code) { c.ve.Add(field, code) }

func (c *checker) required(field, v string) bool {
	if v == "" {
		c.add(field, osallisuus.CodeRequired)
		return false
	}
	return true
}

func (c *checker) rangeInt(field string, v, lo, hi int64) {
	if v < lo || v > hi {
		c.ve.AddParams(field, osallisuus.CodeOutOfRange, map[string]any{"min": lo, "max": hi})
	}
}

func (c *checker) money(field string, v int64)   { c.rangeInt(field, v, 0, expert.MaxCents) }
func (c *checker) minutes(field string, v int64) { c.rangeInt(field, v, 0, 1440) }
func (c *checker) count(field string, v int64)   { c.rangeInt(field, v, 0, 10000) }

func (c *checker) instant(field, v string) time.Time {
	if !c.required(field, v) {
		return time.Time{}
	}
	t, err := osallisuus.ParseInstant(v)
	if err != nil {
		c.add(field, osallisuus.CodeFormat)
	}
	return t
}

func (c *checker) optInstant(field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	return c.instant(field, v)
}

func (c *checker) date(field, v string) osallisuus.Date {
	if !c.required(field, v) {
		return osallisuus.Date{}
	}
	d, err := osallisuus.ParseDate(v)
	if err != nil {
		c.add(field, osallisuus.CodeFormat)
	}
	return d
}

func (c *checker) optDate(field, v string) osallisuus.Date {
	if v == "" {
		return osallisuus.Date{}
	}
	return c.date(field, v)
}

func idx(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func (c *checker) travel(field string, t fileTravel) expert.Travel {
	c.minutes(field+".minutes", t.Minutes)
	c.rangeInt(field+".km", t.Km, 0, 10000)
	return expert.Travel{Minutes: int(t.Minutes), Km: int(t.Km), Vehicle: t.Vehicle}
}

var periodKey = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2})?$`)

// build validates the sections both kinds share (F1) and builds the world. Problems go
// into c; the world is usable only when there are none.
func (c *checker) build(f *file) *world {
	w := &world{index: map[string]int{}}
	if f.Name == "" {
		c.add("name", osallisuus.CodeRequired)
	}
	s := expert.Settings{}
	codes := func(field string, list []fileCode, into *[]string) {
		for i, x := range list {
			if c.required(idx(field, i), x.Code) {
				*into = append(*into, x.Code)
			}
		}
	}
	codes("taxonomy", f.Taxonomy, &s.Taxonomy)
	codes("taskTypes", f.TaskTypes, &s.TaskTypes)
	if st := f.Settings; st != nil {
		codes("settings.taxonomy", st.Taxonomy, &s.Taxonomy)
		codes("settings.taskTypes", st.TaskTypes, &s.TaskTypes)
		if st.WindowDays != nil {
			c.count("settings.windowDays", *st.WindowDays)
			s.WindowDays = int(*st.WindowDays)
		}
		if st.CheckWarningDays != nil {
			c.count("settings.checkWarningDays", *st.CheckWarningDays)
			s.CheckWarningDays = int(*st.CheckWarningDays)
		}
		if st.RequiredChecks != nil {
			s.Checks.Required = []string{}
			seen := map[string]bool{}
			for i, n := range *st.RequiredChecks {
				f := idx("settings.requiredChecks", i)
				switch {
				case !c.required(f, n):
				case !expert.ValidCheckName(n):
					c.add(f, osallisuus.CodeFormat)
				case seen[n]:
					c.add(f, osallisuus.CodeDuplicate)
				}
				seen[n] = true
				s.Checks.Required = append(s.Checks.Required, n)
			}
		}
		if p := st.Payroll; p != nil {
			s.Payroll = expert.Payroll{DayOfMonth: 15, MonthsAfter: 1}
			if p.DayOfMonth != nil {
				c.rangeInt("settings.payroll.dayOfMonth", *p.DayOfMonth, 0, 31)
				if *p.DayOfMonth != 0 {
					s.Payroll.DayOfMonth = int(*p.DayOfMonth)
				}
			}
			if p.MonthsAfter != nil {
				c.count("settings.payroll.monthsAfter", *p.MonthsAfter)
				s.Payroll.MonthsAfter = int(*p.MonthsAfter)
			}
		}
		s.CountExpensesTowardCap = st.CountExpensesTowardCap
	}
	c.settings = s
	w.settings = s

	ids := map[string]bool{}
	for i, fs := range f.Schedules {
		p := idx("schedules", i)
		sc := expert.Schedule{ID: fs.ID, Rates: map[string]expert.Rate{},
			PreparationCentsPerHour: fs.PreparationCentsPerHour, TravelCentsPerHour: fs.TravelCentsPerHour,
			MileageCentsPerKm: fs.MileageCentsPerKm, MealCents: fs.MealCents}
		if c.required(p+".id", fs.ID) && ids[fs.ID] {
			c.add(p+".id", osallisuus.CodeDuplicate)
		}
		ids[fs.ID] = true
		sc.ValidFrom = c.date(p+".validFrom", fs.ValidFrom)
		for j := range i {
			if f.Schedules[j].ValidFrom == fs.ValidFrom && fs.ValidFrom != "" {
				c.add(p+".validFrom", osallisuus.CodeDuplicate)
			}
		}
		for _, t := range sortedKeys(fs.Rates) {
			r := fs.Rates[t]
			rp := p + ".rates." + t
			if !s.KnownTaskType(t) {
				c.add(rp, osallisuus.CodeUnknown)
			}
			basis, ok := expert.ParseRateBasis(r.Basis)
			if c.required(rp+".basis", r.Basis) && !ok {
				c.add(rp+".basis", osallisuus.CodeUnknown)
			}
			c.money(rp+".centsPerHour", r.CentsPerHour)
			c.money(rp+".halfDayCents", r.HalfDayCents)
			c.money(rp+".dayCents", r.DayCents)
			c.money(rp+".beyondDayCentsPerHour", r.BeyondDayCentsPerHour)
			c.money(rp+".sessionCents", r.SessionCents)
			sc.Rates[t] = expert.Rate{Basis: basis, CentsPerHour: r.CentsPerHour, HalfDayCents: r.HalfDayCents,
				DayCents: r.DayCents, BeyondDayCentsPerHour: r.BeyondDayCentsPerHour, SessionCents: r.SessionCents}
		}
		c.money(p+".preparationCentsPerHour", fs.PreparationCentsPerHour)
		c.money(p+".travelCentsPerHour", fs.TravelCentsPerHour)
		c.money(p+".mealCents", fs.MealCents)
		for _, v := range sortedKeys(fs.MileageCentsPerKm) {
			c.money(p+".mileageCentsPerKm."+v, fs.MileageCentsPerKm[v])
		}
		c.minutes(p+".maxPreparationMinutes", fs.MaxPreparationMinutes)
		c.minutes(p+".mealMinMinutes", fs.MealMinMinutes)
		c.minutes(p+".roundingStepMinutes", fs.RoundingStepMinutes)
		c.minutes(p+".halfDayMaxMinutes", fs.HalfDayMaxMinutes)
		c.minutes(p+".dayMaxMinutes", fs.DayMaxMinutes)
		c.count(p+".lateCancelHours", fs.LateCancelHours)
		c.rangeInt(p+".lateCancelPercent", fs.LateCancelPercent, 0, 100)
		half, day := fs.HalfDayMaxMinutes, fs.DayMaxMinutes
		if half == 0 {
			half = 240
		}
		if day == 0 {
			day = 480
		}
		if half > day {
			c.add(p+".halfDayMaxMinutes", osallisuus.CodeOrder)
		}
		sc.MaxPreparationMinutes = int(fs.MaxPreparationMinutes)
		sc.MealMinMinutes = int(fs.MealMinMinutes)
		sc.RoundingStepMinutes = int(fs.RoundingStepMinutes)
		sc.HalfDayMaxMinutes = int(fs.HalfDayMaxMinutes)
		sc.DayMaxMinutes = int(fs.DayMaxMinutes)
		sc.LateCancelHours = int(fs.LateCancelHours)
		sc.LateCancelPercent = int(fs.LateCancelPercent)
		w.schedules = append(w.schedules, sc)
	}

	for i, fe := range f.Experts {
		p := idx("experts", i)
		if c.required(p+".id", fe.ID) {
			if _, dup := w.index[fe.ID]; dup {
				c.add(p+".id", osallisuus.CodeDuplicate)
			}
		}
		w.index[fe.ID] = i
		w.experts = append(w.experts, c.expert(p, fe))
		w.keys = append(w.keys, fe.ID)
		conflicts := map[string]bool{}
		for _, u := range fe.Conflicts {
			conflicts[u] = true
		}
		w.conflicts = append(w.conflicts, conflicts)
	}
	return w
}

func (c *checker) expert(p string, fe fileExpert) expert.Expert {
	s := c.settings
	e := expert.Expert{ID: scenarioExpertID(fe.ID)}
	var ok bool
	if c.required(p+".state", fe.State) {
		if e.State, ok = expert.ParseState(fe.State); !ok {
			c.add(p+".state", osallisuus.CodeUnknown)
		}
	}
	e.PausedUntil = c.optDate(p+".pausedUntil", fe.PausedUntil)
	seen := map[string]bool{}
	for j, fc := range fe.Checks {
		cp := idx(p+".checks", j)
		switch {
		case !c.required(cp+".name", fc.Name):
		case !expert.ValidCheckName(fc.Name):
			c.add(cp+".name", osallisuus.CodeFormat)
		case seen[fc.Name]:
			c.add(cp+".name", osallisuus.CodeDuplicate)
		}
		seen[fc.Name] = true
		e.Checks = append(e.Checks, expert.Check{Name: fc.Name,
			Until: c.optDate(cp+".until", fc.Until), ExpiresAt: c.optInstant(cp+".expiresAt", fc.ExpiresAt)})
	}
	pr := &e.Profile
	for j, x := range fe.Experience {
		xp := idx(p+".experience", j)
		if c.required(xp+".code", x.Code) && !s.KnownExperienceArea(x.Code) {
			c.add(xp+".code", osallisuus.CodeUnknown)
		}
		var persp expert.Perspective
		if c.required(xp+".perspective", x.Perspective) {
			if persp, ok = expert.ParsePerspective(x.Perspective); !ok {
				c.add(xp+".perspective", osallisuus.CodeUnknown)
			}
		}
		pr.Experience = append(pr.Experience, expert.Experience{Code: x.Code, Perspective: persp})
	}
	pr.Languages, pr.Areas, pr.Remote, pr.FeeWaived = fe.Languages, fe.Areas, fe.Remote, fe.FeeWaived
	for j, slot := range fe.Weekly {
		x, ok := expert.ParseSlot(slot)
		if !ok {
			c.add(idx(p+".weekly", j), osallisuus.CodeUnknown)
		}
		pr.Weekly |= x
	}
	for j, r := range fe.Unavailable {
		rp := idx(p+".unavailable", j)
		from, until := c.date(rp+".from", r.From), c.date(rp+".until", r.Until)
		if !from.IsZero() && !until.IsZero() && from.After(until) {
			c.add(rp+".until", osallisuus.CodeOrder)
		}
		pr.Unavailable = append(pr.Unavailable, osallisuus.DateRange{From: from, Until: until})
	}
	if len(fe.Preferences) > 0 {
		pr.Preferences = map[string]expert.Preference{}
	}
	for _, t := range sortedKeys(fe.Preferences) {
		fp := p + ".preferences." + t
		if !s.KnownTaskType(t) {
			c.add(fp, osallisuus.CodeUnknown)
		}
		v, ok := expert.ParsePreference(fe.Preferences[t])
		if !ok {
			c.add(fp, osallisuus.CodeUnknown)
		}
		pr.Preferences[t] = v
	}
	if fc := fe.Caps; fc != nil {
		for j, ec := range fc.Earnings {
			ep := idx(p+".caps.earnings", j)
			var per expert.CapPeriod
			if c.required(ep+".period", ec.Period) {
				if per, ok = expert.ParseCapPeriod(ec.Period); !ok {
					c.add(ep+".period", osallisuus.CodeUnknown)
				}
			}
			c.rangeInt(ep+".cents", ec.Cents, 1, expert.MaxCents)
			pr.Caps.Earnings = append(pr.Caps.Earnings, expert.EarningsCap{Period: per, Cents: ec.Cents})
		}
		c.count(p+".caps.assignmentsPerMonth", fc.AssignmentsPerMonth)
		c.rangeInt(p+".caps.warnAtPercent", fc.WarnAtPercent, 0, 100)
		pr.Caps.AssignmentsPerMonth = int(fc.AssignmentsPerMonth)
		pr.Caps.WarnAtPercent = int(fc.WarnAtPercent)
		if fc.Basis != "" {
			if err := pr.Caps.Basis.UnmarshalText([]byte(fc.Basis)); err != nil {
				c.add(p+".caps.basis", osallisuus.CodeUnknown)
			}
		}
	}
	if len(fe.Travel) > 0 {
		pr.Travel = map[string]expert.Travel{}
	}
	for _, a := range sortedKeys(fe.Travel) {
		pr.Travel[a] = c.travel(p+".travel."+a, fe.Travel[a])
	}
	if len(fe.Totals) > 0 {
		e.Totals = map[string]int64{}
	}
	for _, k := range sortedKeys(fe.Totals) {
		v := fe.Totals[k]
		if !periodKey.MatchString(k) || (len(k) == 7 && (k[5:] < "01" || k[5:] > "12")) {
			c.add(p+".totals."+k, osallisuus.CodeFormat)
		}
		c.money(p+".totals."+k, v)
		e.Totals[k] = v
	}
	for j, a := range fe.Assignments {
		ap := idx(p+".assignments", j)
		cm := expert.Commitment{TaskType: a.TaskType, FeeCents: a.FeeCents, Minutes: int(a.Minutes)}
		if c.required(ap+".request", a.Request) {
			cm.Request = scenarioRequestID(a.Request)
		}
		if c.required(ap+".taskType", a.TaskType) && !s.KnownTaskType(a.TaskType) {
			c.add(ap+".taskType", osallisuus.CodeUnknown)
		}
		if c.required(ap+".status", a.Status) {
			if cm.Status, ok = expert.ParseAssignmentStatus(a.Status); !ok {
				c.add(ap+".status", osallisuus.CodeUnknown)
			}
		}
		cm.Start = c.instant(ap+".start", a.Start)
		c.rangeInt(ap+".minutes", a.Minutes, 1, 1440)
		c.money(ap+".feeCents", a.FeeCents)
		cm.PaymentDate = c.optDate(ap+".paymentDate", a.PaymentDate)
		e.Commitments = append(e.Commitments, cm)
	}
	return e
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
