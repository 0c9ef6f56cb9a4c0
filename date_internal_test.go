package osallisuus

import (
	"math"
	"testing"
	"time"
)

// floorDivRef is the plain definition floorDiv must agree with.
func floorDivRef(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func TestFloorDivRoundsTowardsMinusInfinity(t *testing.T) {
	for _, b := range []int64{1, 7, 12, 400, 86400, 146097} {
		for a := int64(-300_000); a <= 300_000; a++ {
			if got, want := floorDiv64(a, b), floorDivRef(a, b); got != want {
				t.Fatalf("floorDiv64(%d, %d) = %d, want %d", a, b, got, want)
			}
			if got, want := floorDiv(int(a), int(b)), floorDivRef(a, b); int64(got) != want {
				t.Fatalf("floorDiv(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
		for _, a := range []int64{math.MinInt64, math.MinInt64 + 1, math.MaxInt64, -b, -b - 1, -b + 1} {
			if got, want := floorDiv64(a, b), floorDivRef(a, b); got != want {
				t.Fatalf("floorDiv64(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// The civil calendar of day numbers agrees with the time package's, both ways, from the
// year -220 to 4160.
func TestDayNumbersAgreeWithTheTimePackage(t *testing.T) {
	for n := int64(-800_000); n <= 800_000; n += 1 {
		y, m, d := time.Unix(n*86400, 0).UTC().Date()
		got := dateFromDays(n)
		if got != (Date{y, m, d}) {
			t.Fatalf("dateFromDays(%d) = %v, want %d-%d-%d", n, got, y, m, d)
		}
		if back := got.days(); back != n {
			t.Fatalf("%v.days() = %d, want %d", got, back, n)
		}
	}
}

// Adding months to a day number by the year table agrees with the civil calendar, on
// every day the table covers and either side of it.
func TestAddMonthsToDayAgreesWithTheCalendar(t *testing.T) {
	first, end := dstTableStart/86400, dstTableEnd/86400
	months := []int{0, 1, 2, 3, 5, 6, 11, 12, 13, 18, 24, 25, 36, 60, 120, 1200, 3000, -1, -2, -12, -13, -120, -3000}
	for n := first - 800; n < end+800; n++ {
		for _, m := range months {
			if got, want := addMonthsToDay(n, m), dateFromDays(n).AddMonths(m).days(); got != want {
				t.Fatalf("addMonthsToDay(%v, %d) = %v, want %v", dateFromDays(n), m, dateFromDays(got), dateFromDays(want))
			}
		}
	}
}
