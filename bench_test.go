package osallisuus_test

import (
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
)

// BenchmarkPeriodEndAfter measures the end of a two-year maximum duration after grants
// at random instants over ten years, as a consent decision on a grant computes it (spec/consent.md D6).
func BenchmarkPeriodEndAfter(b *testing.B) {
	p := osallisuus.Period{Years: 2}
	starts := make([]time.Time, 4096)
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	x := uint64(1)
	for i := range starts {
		x ^= x << 13 // xorshift: instants in no order, as a ledger's grants are to its queries
		x ^= x >> 7
		x ^= x << 17
		starts[i] = t0.Add(time.Duration(x%(10*365*24*60)) * time.Minute)
	}
	b.ReportAllocs()
	var sink int64
	i := 0
	for b.Loop() {
		sink += p.EndAfter(starts[i&4095]).Unix()
		i++
	}
	if sink == 0 {
		b.Fatal("no ends")
	}
}
