package expert_test

import (
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/expert"
)

// FuzzParseSlot checks that a parsed slot prints back as its input and that grids round
// trip through their text form.
func FuzzParseSlot(f *testing.F) {
	for _, s := range []string{"mon-morning", "tue-afternoon", "sun-evening", "tue-night", "", "-", "mon-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := expert.ParseSlot(s)
		if !ok {
			return
		}
		if got := w.Slots(); len(got) != 1 || got[0] != s {
			t.Fatalf("ParseSlot(%q).Slots() = %v", s, got)
		}
		var back expert.Weekly
		data, err := w.MarshalJSON()
		if err != nil || back.UnmarshalJSON(data) != nil || back != w {
			t.Fatalf("grid %v does not round trip through %s", w, data)
		}
	})
}

// FuzzPrice checks pricing properties on any numbers in range: no panic, no negative
// cents, totals equal the sum of the lines, a waiver zeroes exactly the fee lines, and
// longer work never costs less.
func FuzzPrice(f *testing.F) {
	f.Add(uint16(180), uint16(60), uint16(60), uint16(50), uint16(36), int64(400), uint8(0))
	f.Add(uint16(500), uint16(0), uint16(0), uint16(0), uint16(0), int64(0), uint8(1))
	f.Add(uint16(15), uint16(200), uint16(30), uint16(1440), uint16(10000), int64(1e12), uint8(2))
	types := []string{"workshop", "staff-training", "recruitment-interview", "supervision", "talk"}
	f.Fuzz(func(t *testing.T, minutes, prep, granted, travel, km uint16, receipt int64, kind uint8) {
		m := int(minutes%1440) + 1
		if receipt < 0 || receipt > expert.MaxCents {
			return
		}
		w := expert.Work{TaskType: types[int(kind)%len(types)], Start: helsinki(3, 10, 13, 0), Minutes: m,
			PreparationMinutes: int(prep % 1441), GrantedPreparationMinutes: int(granted % 1441),
			Travel:   expert.Travel{Minutes: int(travel % 1441), Km: int(km % 10001)},
			Receipts: []expert.Receipt{{Kind: expert.LineTicket, Cents: receipt}}}
		ss := expert.Schedules{workedSchedule()}
		fee, err := expert.Price(ss, w, false)
		if err != nil {
			t.Fatal(err)
		}
		var sum, fees int64
		for _, l := range fee.Lines {
			if l.Cents < 0 || l.Quantity < 0 {
				t.Fatalf("negative line %+v", l)
			}
			sum += l.Cents
			if l.IsFee() {
				fees += l.Cents
			}
		}
		if sum != fee.FeeCents+fee.ExpenseCents || fees != fee.FeeCents {
			t.Fatalf("totals %d+%d, lines %d (fees %d)", fee.FeeCents, fee.ExpenseCents, sum, fees)
		}
		w.FeeWaived = true
		waived, err := expert.Price(ss, w, false)
		if err != nil || waived.FeeCents != 0 || waived.ExpenseCents != fee.ExpenseCents || len(waived.Lines) != len(fee.Lines) {
			t.Fatalf("waived %+v vs %+v (%v)", waived, fee, err)
		}
		w.FeeWaived = false
		if m < 1440 {
			w.Minutes = m + 1
			longer, err := expert.Price(ss, w, false)
			if err != nil || longer.FeeCents < fee.FeeCents {
				t.Fatalf("%d min cost %d, %d min %d", m+1, longer.FeeCents, m, fee.FeeCents)
			}
		}
	})
}

// FuzzCapPeriodKey checks that period keys never panic and match the date's text.
func FuzzCapPeriodKey(f *testing.F) {
	f.Add(2026, 3, 10)
	f.Add(0, 0, 0)
	f.Add(10000, 12, 31)
	f.Fuzz(func(t *testing.T, y, m, d int) {
		date := osallisuus.NewDate(y, time.Month(m), d)
		month, year := expert.PeriodMonth.Key(date), expert.PeriodYear.Key(date)
		if s := date.String(); len(s) >= 10 && (s[:len(month)] != month || s[:len(year)] != year) {
			t.Fatalf("keys %q %q of %q", month, year, s)
		}
	})
}
