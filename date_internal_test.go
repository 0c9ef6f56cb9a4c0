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

// The end of a period by the year table agrees with the civil calendar, for instants
// every 97 minutes over the years the table covers and either side of them, and at
// every change of offset, turn of a year and local midnight around them.
func TestPeriodEndByTableAgreesWithTheCalendar(t *testing.T) {
	periods := [][2]int{{24, 0}, {12, 0}, {1, 0}, {0, 0}, {0, 1}, {0, 14}, {0, 400}, {13, 3}, {0, -1}, {0, -800},
		{-1, 0}, {-25, 0}, {2400, 0}, {-2400, 0}, {6, 29}}
	check := func(u int64) {
		for _, p := range periods {
			want := periodEndDays(u, p[0], p[1])
			got, ok := periodEndUnix(u, p[0], p[1])
			if ok && got != want {
				t.Fatalf("periodEndUnix(%v, %d months, %d days) = %v, want %v", time.Unix(u, 0).UTC(), p[0], p[1],
					time.Unix(got, 0).UTC(), time.Unix(want, 0).UTC())
			}
			if !ok && u >= dstTable[1].yearStart && u < dstTable[len(dstTable)-4].yearStart && p[0] >= 0 && p[0] < 24 && p[1] >= 0 && p[1] < 500 {
				t.Fatalf("periodEndUnix(%v, %d months, %d days) is outside the table", time.Unix(u, 0).UTC(), p[0], p[1])
			}
		}
	}
	for u := dstTableStart - 3*86400*366; u < dstTableEnd+3*86400*366; u += 97 * 60 {
		check(u)
	}
	for _, b := range dstTable {
		for _, edge := range []int64{b.yearStart, b.start, b.end, b.yearStart - 2*3600, b.yearStart - 3*3600} {
			for _, d := range []int64{-3601, -3600, -1, 0, 1, 3599, 3600} {
				check(edge + d)
			}
		}
	}
}
