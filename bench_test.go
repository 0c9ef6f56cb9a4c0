package osallisuus_test

import (
	"testing"
	"time"

	"github.com/osallisuus/osallisuus"
)

// BenchmarkPeriodEndAfter measures the end of a two-year maximum duration after grants
// spread over ten years, as a consent decision on a grant computes it (spec/consent.md D6).
func BenchmarkPeriodEndAfter(b *testing.B) {
	p := osallisuus.Period{Years: 2}
	starts := make([]time.Time, 4096)
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range starts {
		starts[i] = t0.Add(time.Duration(i*21383) * time.Minute) // about 15 days apart, at every hour
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
