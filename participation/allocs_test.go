//go:build !race

package participation_test

import (
	"context"
	"testing"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// The zero-allocation decision path is pinned here; sync.Pool and the race detector
// change allocation counts, hence the build tag.
func TestDecideDoesNotAllocate(t *testing.T) {
	s := participationtest.SampleLedger(200, 1)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		q := s.Queries[i%len(s.Queries)]
		i++
		if _, err := participation.Decide(s.Policy, s.Events[q.Subject], q); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Decide allocates %.1f times per call, want 0", allocs)
	}
}

func TestTrailDecideDoesNotAllocate(t *testing.T) {
	s := participationtest.SampleLedger(200, 1)
	trails := make(map[osallisuus.ParticipantID]participation.Trail, len(s.Subjects))
	for _, subject := range s.Subjects {
		trails[subject] = participation.NewTrail(s.Events[subject])
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		q := s.Queries[i%len(s.Queries)]
		i++
		if _, err := trails[q.Subject].Decide(s.Policy, q); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Trail.Decide allocates %.1f times per call, want 0", allocs)
	}
}

func TestCheckConsentAllocatesAtMostTwice(t *testing.T) {
	svc, queries := newCheckerSample(t, 200)
	ctx := context.Background()
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		q := queries[i%len(queries)]
		i++
		if _, err := svc.CheckConsent(ctx, q); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("CheckConsent allocates %.1f times per call, want at most 2", allocs)
	}
}
