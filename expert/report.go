package expert

import (
	"slices"
	"time"

	"github.com/osallisuus/osallisuus"
)

// ReasonCount is how many candidates one filter excluded.
type ReasonCount struct {
	Reason osallisuus.Reason `json:"reason"`
	Count  int               `json:"count"`
}

// ExclusionReasons aggregates the exclusion reasons of a match in filter order, leaving
// out reasons no one had (spec §13: an unfilled request tells recruitment what to look
// for). An excluded candidate counts once under each of its reasons.
func ExclusionReasons(xs []Explanation) []ReasonCount {
	var counts [len(filterReasons)]int
	for _, x := range xs {
		if !x.Included {
			counts = addReasons(counts, x.Reasons)
		}
	}
	return reasonCounts(counts)
}

// ExclusionReasons is [ExclusionReasons] over the matching's verdicts.
func (m *Matching) ExclusionReasons() []ReasonCount {
	var counts [len(filterReasons)]int
	for _, v := range m.excluded {
		counts = addReasons(counts, v.Reasons)
	}
	return reasonCounts(counts)
}

func addReasons(counts [len(filterReasons)]int, r Reasons) [len(filterReasons)]int {
	for i := range counts {
		if r&(1<<i) != 0 {
			counts[i]++
		}
	}
	return counts
}

func reasonCounts(counts [len(filterReasons)]int) []ReasonCount {
	var out []ReasonCount
	for i, n := range counts {
		if n > 0 {
			out = append(out, ReasonCount{Reason: filterReasons[i], Count: n})
		}
	}
	return out
}

// Fairness summarises how work spreads over the active experts (spec §13): counting
// assignments (M5) starting in the 12 months before now, per expert.
type Fairness struct {
	Experts int `json:"experts"`
	Min     int `json:"min"`
	Median  int `json:"median"`
	Max     int `json:"max"`
	// NonePercent is the share of experts with no assignment, rounded down.
	NonePercent int `json:"nonePercent"`
}

// FairnessOf computes [Fairness] over the experts whose stored state is active at now.
// The median of an even count is the lower middle value. Never per-person scores.
func FairnessOf(experts []Expert, now time.Time) Fairness {
	from := osallisuus.DateOf(now).AddMonths(-12).Start()
	var counts []int
	for _, e := range experts {
		if e.State != StateActive {
			continue
		}
		n := 0
		for _, c := range e.Commitments {
			if c.counts() && !c.Start.Before(from) && c.Start.Before(now) {
				n++
			}
		}
		counts = append(counts, n)
	}
	if len(counts) == 0 {
		return Fairness{}
	}
	slices.Sort(counts)
	none := 0
	for _, n := range counts {
		if n == 0 {
			none++
		}
	}
	return Fairness{Experts: len(counts), Min: counts[0], Median: counts[(len(counts)-1)/2],
		Max: counts[len(counts)-1], NonePercent: 100 * none / len(counts)}
}
