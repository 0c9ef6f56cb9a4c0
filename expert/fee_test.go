package expert_test

import (
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// workedWork is F's assignment for R in the worked example of spec §8.
func workedWork(minutes int) expert.Work {
	return expert.Work{TaskType: "workshop", Start: helsinki(3, 10, 13, 0), Minutes: minutes,
		PreparationMinutes: 60, GrantedPreparationMinutes: 60,
		Travel:   expert.Travel{Minutes: 50, Km: 36, Vehicle: "car"},
		Receipts: []expert.Receipt{{Kind: expert.LineParking, Cents: 400}}}
}

func TestPriceWorkedExample(t *testing.T) {
	fee, err := expert.Price(expert.Schedules{workedSchedule()}, workedWork(180), false)
	require.NoError(t, err)
	assert.Equal(t, "2026", fee.ScheduleID)
	assert.Equal(t, []expert.Line{
		{Kind: expert.LineTaskHalfDay, Quantity: 180, UnitCents: 8000, Cents: 8000, CountsTowardCap: true},
		{Kind: expert.LinePreparation, Quantity: 60, UnitCents: 2000, Cents: 2000, CountsTowardCap: true},
		{Kind: expert.LineTravelTime, Quantity: 60, UnitCents: 1000, Cents: 1000, CountsTowardCap: true},
		{Kind: expert.LineMileage, Quantity: 36, UnitCents: 57, Cents: 2052},
		{Kind: expert.LineParking, Quantity: 1, UnitCents: 400, Cents: 400},
	}, fee.Lines, "no meal line: 180 + 50 min is under 360")
	assert.Equal(t, int64(11000), fee.FeeCents)
	assert.Equal(t, int64(2452), fee.ExpenseCents)
	assert.Equal(t, int64(13452), fee.FeeCents+fee.ExpenseCents, "payable 134.52 €")
	assert.Equal(t, int64(11000), fee.CapCents())
}

func TestCapContinuationOfWorkedExample(t *testing.T) {
	fee, err := expert.Price(expert.Schedules{workedSchedule()}, workedWork(300), false)
	require.NoError(t, err)
	assert.Equal(t, expert.LineTaskDay, fee.Lines[0].Kind)
	assert.Equal(t, int64(18000), fee.FeeCents)
	f := workedCandidates()[5].Expert
	pay := expert.Payroll{}.PaymentDate(day(3, 10))
	assert.Equal(t, day(4, 15), pay)
	ws := f.EarningsWarnings(pay, fee.CapCents(), expert.Payroll{}, expert.RequestID{})
	require.Len(t, ws, 1)
	assert.Equal(t, expert.CapWarning{Cap: expert.CapEarningsMonth, Period: "2026-04", Current: 16000, Adding: 18000,
		Limit: 30000, Level: expert.CapExceeds}, ws[0], "34,000 > 30,000")
}

func TestPriceBases(t *testing.T) {
	s := workedSchedule()
	s.Rates["staff-training"] = expert.Rate{Basis: expert.RateHourly, CentsPerHour: 2510}
	s.LateCancelHours, s.LateCancelPercent = 48, 50
	start := helsinki(3, 10, 10, 0)
	tests := []struct {
		name  string
		work  expert.Work
		lines []expert.Line
	}{
		{"hourly rounds 15 min up with half-up cents", expert.Work{TaskType: "staff-training", Start: start, Minutes: 15},
			[]expert.Line{{Kind: expert.LineTaskHourly, Quantity: 15, UnitCents: 2510, Cents: 628, CountsTowardCap: true}}},
		{"hourly rounds 100 min up to 105", expert.Work{TaskType: "staff-training", Start: start, Minutes: 100},
			[]expert.Line{{Kind: expert.LineTaskHourly, Quantity: 105, UnitCents: 2510, Cents: 4393, CountsTowardCap: true}}},
		{"a session is one unit", expert.Work{TaskType: "recruitment-interview", Start: start, Minutes: 45},
			[]expert.Line{{Kind: expert.LineTaskSession, Quantity: 1, UnitCents: 5000, Cents: 5000, CountsTowardCap: true}}},
		{"unpaid writes no fee lines but pays mileage", expert.Work{TaskType: "supervision", Start: start, Minutes: 90,
			Travel: expert.Travel{Minutes: 40, Km: 20}},
			[]expert.Line{{Kind: expert.LineMileage, Quantity: 20, UnitCents: 57, Cents: 1140}}},
		{"a day block with overtime", expert.Work{TaskType: "workshop", Start: start, Minutes: 500, MealServed: true},
			[]expert.Line{{Kind: expert.LineTaskDay, Quantity: 480, UnitCents: 15000, Cents: 15000, CountsTowardCap: true},
				{Kind: expert.LineTaskOvertime, Quantity: 30, UnitCents: 2500, Cents: 1250, CountsTowardCap: true}}},
		{"a waived fee keeps zero lines marked waived", expert.Work{TaskType: "workshop", Start: start, Minutes: 120,
			PreparationMinutes: 30, GrantedPreparationMinutes: 30, FeeWaived: true},
			[]expert.Line{{Kind: expert.LineTaskHalfDay, Quantity: 120, UnitCents: 8000, CountsTowardCap: true, Waived: true},
				{Kind: expert.LinePreparation, Quantity: 30, UnitCents: 2000, CountsTowardCap: true, Waived: true}}},
		{"preparation pays the lesser of claimed and granted, at most the maximum", expert.Work{TaskType: "workshop",
			Start: start, Minutes: 60, PreparationMinutes: 200, GrantedPreparationMinutes: 180},
			[]expert.Line{{Kind: expert.LineTaskHalfDay, Quantity: 60, UnitCents: 8000, Cents: 8000, CountsTowardCap: true},
				{Kind: expert.LinePreparation, Quantity: 120, UnitCents: 2000, Cents: 4000, CountsTowardCap: true}}},
		{"a meal is due from 360 minutes of task and travel", expert.Work{TaskType: "workshop", Start: start, Minutes: 300,
			Travel: expert.Travel{Minutes: 60}},
			[]expert.Line{{Kind: expert.LineTaskDay, Quantity: 300, UnitCents: 15000, Cents: 15000, CountsTowardCap: true},
				{Kind: expert.LineTravelTime, Quantity: 60, UnitCents: 1000, Cents: 1000, CountsTowardCap: true},
				{Kind: expert.LineMeal, Quantity: 1, UnitCents: 1275, Cents: 1275}}},
		{"a late unit cancellation pays the percentage of the task lines", expert.Work{TaskType: "workshop", Start: start,
			Minutes: 180, PreparationMinutes: 60, GrantedPreparationMinutes: 60, Travel: expert.Travel{Km: 10},
			CancelledByUnitAt: start.Add(-24 * time.Hour)},
			[]expert.Line{{Kind: expert.LineLateCancellation, Quantity: 50, UnitCents: 8000, Cents: 4000, CountsTowardCap: true},
				{Kind: expert.LineMileage, Quantity: 10, UnitCents: 57, Cents: 570}}},
		{"an early unit cancellation pays expenses only", expert.Work{TaskType: "workshop", Start: start, Minutes: 180,
			CancelledByUnitAt: start.Add(-48 * time.Hour)}, []expert.Line{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fee, err := expert.PriceWith(s, tt.work, false)
			require.NoError(t, err)
			assert.Equal(t, tt.lines, fee.Lines)
			var sum int64
			for _, l := range fee.Lines {
				sum += l.Cents
			}
			assert.Equal(t, sum, fee.FeeCents+fee.ExpenseCents, "totals equal the sum of the lines (X7)")
		})
	}
}

func TestPriceCountsExpensesWhenConfigured(t *testing.T) {
	fee, err := expert.Price(expert.Schedules{workedSchedule()}, workedWork(180), true)
	require.NoError(t, err)
	assert.Equal(t, int64(13452), fee.CapCents())
}

func TestPriceRefuses(t *testing.T) {
	w := workedWork(180)
	w.Start = osallisuus.NewDate(2025, 12, 31).Time(10, 0)
	_, err := expert.Price(expert.Schedules{workedSchedule()}, w, false)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.True(t, err.(*osallisuus.ValidationError).Has("start"), "before the first version: no fee schedule in force")

	w = workedWork(180)
	w.Travel.Vehicle = "boat"
	_, err = expert.Price(expert.Schedules{workedSchedule()}, w, false)
	require.ErrorIs(t, err, osallisuus.ErrInvalid)
	assert.True(t, err.(*osallisuus.ValidationError).Has("travel.vehicle"))
}

func TestSchedulesInForce(t *testing.T) {
	a, b := workedSchedule(), workedSchedule()
	b.ID, b.ValidFrom = "2027", osallisuus.NewDate(2027, 1, 1)
	ss := expert.Schedules{b, a}
	got, ok := ss.InForce(osallisuus.NewDate(2026, 12, 31))
	require.True(t, ok)
	assert.Equal(t, "2026", got.ID)
	got, ok = ss.InForce(osallisuus.NewDate(2027, 1, 1))
	require.True(t, ok)
	assert.Equal(t, "2027", got.ID)
	_, ok = ss.InForce(osallisuus.NewDate(2025, 12, 31))
	assert.False(t, ok)
}

func TestScheduleValidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(*expert.Schedules)
		field  string
	}{
		{"negative money", func(ss *expert.Schedules) { (*ss)[0].TravelCentsPerHour = -1 }, "schedules[0].travelCentsPerHour"},
		{"overflowing money", func(ss *expert.Schedules) {
			(*ss)[0].Rates["talk"] = expert.Rate{Basis: expert.RateHourly, CentsPerHour: expert.MaxCents + 1}
		}, "schedules[0].rates.talk.centsPerHour"},
		{"a half day longer than a day", func(ss *expert.Schedules) { (*ss)[0].HalfDayMaxMinutes = 500 }, "schedules[0].halfDayMaxMinutes"},
		{"an unknown task type", func(ss *expert.Schedules) { (*ss)[0].Rates["hackathon"] = expert.Rate{Basis: expert.RateUnpaid} }, "schedules[0].rates.hackathon"},
		{"a rate without a basis", func(ss *expert.Schedules) { (*ss)[0].Rates["talk"] = expert.Rate{} }, "schedules[0].rates.talk.basis"},
		{"two versions from the same day overlap", func(ss *expert.Schedules) {
			b := workedSchedule()
			b.ID = "other"
			*ss = append(*ss, b)
		}, "schedules[1].validFrom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := expert.Schedules{workedSchedule()}
			tt.change(&ss)
			err := ss.Validate(expert.Settings{})
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			assert.True(t, err.(*osallisuus.ValidationError).Has(tt.field), "%v", err)
		})
	}
	require.NoError(t, expert.Schedules{workedSchedule()}.Validate(expert.Settings{}))
}

func TestLevel(t *testing.T) {
	tests := []struct {
		name              string
		total, add, limit int64
		warn              int
		want              expert.CapLevel
	}{
		{"adding nothing is ok even over the cap", 40000, 0, 30000, 80, expert.CapOK},
		{"below the warning share is ok", 10000, 5000, 20000, 80, expert.CapOK},
		{"exactly the warning share approaches", 10000, 6000, 20000, 80, expert.CapApproaching},
		{"exactly the cap approaches", 10000, 10000, 20000, 80, expert.CapApproaching},
		{"one cent over exceeds", 10000, 10001, 20000, 80, expert.CapExceeds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, expert.Level(tt.total, tt.add, tt.limit, tt.warn))
		})
	}
}

func TestPaymentDate(t *testing.T) {
	tests := []struct {
		name string
		p    expert.Payroll
		on   osallisuus.Date
		want osallisuus.Date
	}{
		{"the zero calendar pays on the 15th of the next month", expert.Payroll{}, day(3, 10), day(4, 15)},
		{"a year end rolls over", expert.Payroll{}, day(12, 31), osallisuus.NewDate(2027, 1, 15)},
		{"the day clamps to the month's end", expert.Payroll{DayOfMonth: 31, MonthsAfter: 1}, day(1, 5), day(2, 28)},
		{"zero months after pays in the same month", expert.Payroll{DayOfMonth: 20}, day(3, 10), day(3, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.p.PaymentDate(tt.on)) })
	}
}
