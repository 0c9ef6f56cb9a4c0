package expert

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// PeriodTotals are an expert's fees in one calendar month or year (E17), placed by the
// expert's cap basis: projected (accepted work), earned (done) and paid, in cents. Fees
// only; expenses live on payouts.
type PeriodTotals struct {
	Period    string `json:"period"`
	Projected int64  `json:"projectedCents"`
	Earned    int64  `json:"earnedCents"`
	Paid      int64  `json:"paidCents"`
}

// YearTotals returns the twelve months of year and the year itself (last) for e, by
// the expert's cap basis and the payroll calendar p (E12, E17). The Totals entries
// (imported history) count as paid.
func (e Expert) YearTotals(year int, p Payroll) []PeriodTotals {
	out := make([]PeriodTotals, 13)
	for m := range 12 {
		out[m].Period = PeriodMonth.Key(osallisuus.NewDate(year, time.Month(m+1), 1))
	}
	out[12].Period = PeriodYear.Key(osallisuus.NewDate(year, 1, 1))
	for i := range out {
		out[i].Paid += e.Totals[out[i].Period]
	}
	for _, c := range e.Commitments {
		d := c.basisDate(e.Profile.Caps, p)
		if d.Year != year {
			continue
		}
		for _, t := range []*PeriodTotals{&out[d.Month-1], &out[12]} {
			switch c.Status {
			case StatusAccepted:
				t.Projected += c.FeeCents
			case StatusDone:
				t.Earned += c.FeeCents
			case StatusPaid:
				t.Paid += c.FeeCents
			}
		}
	}
	return out
}

// Output is a kind of result an impact record names (E18).
type Output string

// The impact outputs.
const (
	OutputTrainingDelivered  Output = "training-delivered"
	OutputMaterialProduced   Output = "material-produced"
	OutputServiceChange      Output = "service-change"
	OutputDecisionInfluenced Output = "decision-influenced"
	OutputPeopleReached      Output = "people-reached"
)

// Impact is the impact record of a done assignment (vaikuttavuus, E18). Reflection is the
// expert's own and private to the expert and the coordinator.
type Impact struct {
	Outputs []ImpactOutput `json:"outputs"`
	// Text describes the result in Finnish, Swedish or English.
	Text       osallisuus.Text `json:"text"`
	UnitRating int             `json:"unitRating,omitzero"`
	Reflection string          `json:"reflection,omitzero"`
	// Links are opaque references (an activity ID, a panel proposal, a feedback theme).
	Links      []string  `json:"links,omitempty"`
	RecordedAt time.Time `json:"recordedAt"`
}

// ImpactOutput is one output, with a count for people-reached.
type ImpactOutput struct {
	Kind  Output `json:"kind"`
	Count int    `json:"count,omitzero"`
}

// Validate checks the record: known output kinds, a count 0..10,000 only for
// people-reached, a rating 0 (none) or 1–5.
func (im Impact) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate impact record"}
	for i, o := range im.Outputs {
		f := "outputs[" + itoa(i) + "]"
		switch o.Kind {
		case OutputTrainingDelivered, OutputMaterialProduced, OutputServiceChange, OutputDecisionInfluenced:
			if o.Count != 0 {
				ve.Add(f+".count", osallisuus.CodeNotAllowed)
			}
		case OutputPeopleReached:
			if o.Count < 0 || o.Count > 10000 {
				ve.Add(f+".count", osallisuus.CodeOutOfRange)
			}
		default:
			ve.Add(f+".kind", osallisuus.CodeUnknown)
		}
	}
	if im.UnitRating < 0 || im.UnitRating > 5 {
		ve.Add("unitRating", osallisuus.CodeOutOfRange)
	}
	return ve.Err()
}

// RecordImpact stores the impact record of a done or paid assignment (ErrConflict
// not-done otherwise; ErrInvalid for a bad record).
func RecordImpact(r *Request, id AssignmentID, im Impact, now time.Time) error {
	if err := im.Validate(); err != nil {
		return err
	}
	i := r.find(id)
	if i < 0 {
		return refuse("record impact", osallisuus.ErrNotFound, nil, ReasonNotFound)
	}
	a := &r.Assignments[i]
	if a.Status != StatusDone && a.Status != StatusPaid {
		return refuse("record impact", osallisuus.ErrConflict, a.Status, ReasonNotDone)
	}
	im.RecordedAt = now
	a.Impact = &im
	r.UpdatedAt = now
	return nil
}

// MissingImpact lists the done or paid assignments of r without an impact record whose
// task ended at least days before now (E18's report).
func MissingImpact(r Request, days int, now time.Time) []AssignmentID {
	var out []AssignmentID
	due := osallisuus.DateOf(r.End()).AddDays(days).Start()
	if now.Before(due) {
		return nil
	}
	for _, a := range r.Assignments {
		if (a.Status == StatusDone || a.Status == StatusPaid) && a.Impact == nil {
			out = append(out, a.ID)
		}
	}
	return out
}
