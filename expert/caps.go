package expert

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// CapLevel is where a total stands against a cap after adding an amount (E13, M6).
type CapLevel uint8

// The cap levels, in rising order.
const (
	CapOK CapLevel = iota
	CapApproaching
	CapExceeds
)

var capLevelNames = []string{"ok", "approaching", "exceeds"}

// String returns the text form ("ok", "approaching", "exceeds").
func (l CapLevel) String() string { return enumString(capLevelNames, l) }

// MarshalText returns the text form.
func (l CapLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText parses the text form.
func (l *CapLevel) UnmarshalText(b []byte) error {
	for i, n := range capLevelNames {
		if n == string(b) {
			*l = CapLevel(i)
			return nil
		}
	}
	return osallisuus.Invalid("capStatus", osallisuus.CodeUnknown)
}

// Level returns the level of total+add against limit (M6): adding nothing is ok;
// exceeds above the limit; approaching from warnAtPercent of it.
func Level(total, add, limit int64, warnAtPercent int) CapLevel {
	if add == 0 {
		return CapOK
	}
	t := total + add
	switch {
	case t > limit:
		return CapExceeds
	case 100*t >= int64(warnAtPercent)*limit:
		return CapApproaching
	}
	return CapOK
}

// CapKind names a cap in a [CapWarning].
type CapKind string

// The cap kinds.
const (
	CapEarningsMonth    CapKind = "earnings-month"
	CapEarningsYear     CapKind = "earnings-year"
	CapAssignmentsMonth CapKind = "assignments-month"
)

// CapWarning says that an amount would bring a cap to approaching or past it (E14). It is
// returned with offers and acceptances (never silent) and is the detail of an ErrCapacity
// refusal.
type CapWarning struct {
	Cap     CapKind  `json:"cap"`
	Period  string   `json:"period"`
	Current int64    `json:"current"`
	Adding  int64    `json:"adding"`
	Limit   int64    `json:"limit"`
	Level   CapLevel `json:"level"`
}

// basisDate returns the date that places a commitment's fee in a cap period (E12, M6).
func (c Commitment) basisDate(caps Caps, p Payroll) osallisuus.Date {
	d := osallisuus.DateOf(c.Start)
	if caps.Basis == BasisWorkDate {
		return d
	}
	if !c.PaymentDate.IsZero() {
		return c.PaymentDate
	}
	return p.PaymentDate(d)
}

// FeeBasisDate returns the date that places a new fee for work starting at start, paid on
// paymentDate (zero: the payroll calendar's date), in a cap period.
func FeeBasisDate(caps Caps, p Payroll, start time.Time, paymentDate osallisuus.Date) osallisuus.Date {
	return Commitment{Start: start, PaymentDate: paymentDate}.basisDate(caps, p)
}

// PeriodTotal returns the expert's fee total in the cap period of kind per holding date
// d (M6): the Totals entry plus the FeeCents of accepted, done and paid commitments of
// other requests than skip whose basis date falls in it.
func (e *Expert) PeriodTotal(per CapPeriod, d osallisuus.Date, p Payroll, skip RequestID) int64 {
	key := per.Key(d)
	total := e.Totals[key]
	for i := range e.Commitments {
		c := &e.Commitments[i]
		if c.Request == skip || !(c.Status == StatusAccepted || c.Status == StatusDone || c.Status == StatusPaid) {
			continue
		}
		if samePeriod(per, c.basisDate(e.Profile.Caps, p), d) {
			total += c.FeeCents
		}
	}
	return total
}

func samePeriod(per CapPeriod, a, b osallisuus.Date) bool {
	if per == PeriodYear {
		return a.Year == b.Year
	}
	return a.Year == b.Year && a.Month == b.Month
}

// EarningsWarnings returns one [CapWarning] per earnings cap of e, in the order set, for
// adding add cents whose basis date is d, leaving out commitments of request skip. Its
// highest level is the cap status.
func (e *Expert) EarningsWarnings(d osallisuus.Date, add int64, p Payroll, skip RequestID) []CapWarning {
	caps := e.Profile.Caps
	out := make([]CapWarning, 0, len(caps.Earnings))
	for _, c := range caps.Earnings {
		cur := e.PeriodTotal(c.Period, d, p, skip)
		kind := CapEarningsMonth
		if c.Period == PeriodYear {
			kind = CapEarningsYear
		}
		out = append(out, CapWarning{Cap: kind, Period: c.Period.Key(d), Current: cur, Adding: add,
			Limit: c.Cents, Level: Level(cur, add, c.Cents, int(caps.warnAt()))})
	}
	return out
}

// monthCount returns H9's count: counting commitments of other requests dated in the
// month of d.
func (e *Expert) monthCount(d osallisuus.Date, skip RequestID) int {
	n := 0
	for i := range e.Commitments {
		c := &e.Commitments[i]
		if c.Request == skip || !c.counts() {
			continue
		}
		cd := osallisuus.DateOf(c.Start)
		if cd.Year == d.Year && cd.Month == d.Month {
			n++
		}
	}
	return n
}

// AssignmentWarning returns the monthly assignment cap's warning for one more assignment
// in the month of d, and false when the expert has no such cap.
func (e *Expert) AssignmentWarning(d osallisuus.Date, skip RequestID) (CapWarning, bool) {
	caps := e.Profile.Caps
	if caps.AssignmentsPerMonth <= 0 {
		return CapWarning{}, false
	}
	cur := int64(e.monthCount(d, skip))
	lim := int64(caps.AssignmentsPerMonth)
	return CapWarning{Cap: CapAssignmentsMonth, Period: PeriodMonth.Key(d), Current: cur, Adding: 1,
		Limit: lim, Level: Level(cur, 1, lim, int(caps.warnAt()))}, true
}

// MaxLevel returns the highest level among ws (CapOK for none).
func MaxLevel(ws []CapWarning) CapLevel {
	l := CapOK
	for _, w := range ws {
		l = max(l, w.Level)
	}
	return l
}
