package panel

import (
	"slices"
	"strconv"
)

// Tenths is a percentage in tenths of a point (556 is 55.6 %), exact for reports. Its
// JSON form is a number with at most one decimal.
type Tenths int

// MarshalJSON writes t as a decimal number: 55.6, 50, -0.5.
func (t Tenths) MarshalJSON() ([]byte, error) { return []byte(t.String()), nil }

// String formats t with one decimal when needed.
func (t Tenths) String() string {
	v := int(t)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := sign + strconv.Itoa(v/10)
	if v%10 != 0 {
		s += "." + strconv.Itoa(v%10)
	}
	return s
}

// Flag marks a category of the representativeness report.
type Flag string

// The flags (spec §8).
const (
	FlagNone   Flag = ""
	FlagAbsent Flag = "absent" // count 0 and target ≥ 5 %
	FlagUnder  Flag = "under"  // gap ≤ −10 points
	FlagOver   Flag = "over"   // gap ≥ 10 points
)

// Category is one row of a dimension in the representativeness report. A suppressed
// row shows only its value (and target): its count is 1..k−1, or it had to be hidden so
// that a lone suppressed count cannot be worked out from the total.
type Category struct {
	Value      string  `json:"value"`
	Suppressed bool    `json:"suppressed,omitzero"`
	Count      *int    `json:"count,omitempty"`
	Share      *Tenths `json:"share,omitempty"`
	Target     *Tenths `json:"target,omitempty"`
	Gap        *Tenths `json:"gap,omitempty"`
	Flag       Flag    `json:"flag,omitzero"`
}

// Representativeness is the representativeness (edustavuus) report of spec §8 and
// §12.6: user members (active and suspended, not deputies) per category of each
// dimension compared with the host's target shares.
type Representativeness struct {
	Members    int                      `json:"members"`
	Dimensions map[Dimension][]Category `json:"dimensions"`
}

// Targets are target shares per dimension and category, in tenths of a percent.
type Targets map[Dimension]map[string]Tenths

// Report computes the representativeness of p's roster against targets, with the
// panel's suppression threshold k: categories are the values held ("unknown" for none)
// and the target keys, sorted; share = 100·count/members rounded half up to one
// decimal; gap = share − target; counts 1..k−1 are suppressed, and when exactly one
// category of a dimension is, the smallest shown non-zero one is too.
func (p *Panel) Report(targets Targets) Representativeness {
	var members []*Membership
	for i := range p.Members {
		m := &p.Members[i]
		if m.Seat == SeatUser && !m.IsDeputy() && (m.State == MemberActive || m.State == MemberSuspended) {
			members = append(members, m)
		}
	}
	n := len(members)
	k := p.Config.Suppression
	out := Representativeness{Members: n, Dimensions: make(map[Dimension][]Category, len(reportDimensions))}
	for _, d := range reportDimensions {
		counts := make(map[string]int)
		for _, m := range members {
			v := m.Profile.Value(d)
			if v == "" {
				v = "unknown"
			}
			counts[v]++
		}
		for v := range targets[d] {
			if _, ok := counts[v]; !ok {
				counts[v] = 0
			}
		}
		values := make([]string, 0, len(counts))
		for v := range counts {
			values = append(values, v)
		}
		slices.Sort(values)
		hidden := make(map[string]bool)
		for _, v := range values {
			if c := counts[v]; c >= 1 && c < k {
				hidden[v] = true
			}
		}
		if len(hidden) == 1 {
			next := ""
			for _, v := range values {
				if c := counts[v]; c > 0 && !hidden[v] && (next == "" || c < counts[next]) {
					next = v
				}
			}
			if next != "" {
				hidden[next] = true
			}
		}
		rows := make([]Category, 0, len(values))
		for _, v := range values {
			row := Category{Value: v}
			target, hasTarget := targets[d][v]
			if hasTarget {
				row.Target = ptr(target)
			}
			if hidden[v] {
				row.Suppressed = true
				rows = append(rows, row)
				continue
			}
			c := counts[v]
			share := Tenths(0)
			if n > 0 {
				share = Tenths((2000*c + n) / (2 * n))
			}
			row.Count, row.Share = ptr(c), ptr(share)
			if hasTarget {
				gap := share - target
				row.Gap = ptr(gap)
				switch {
				case c == 0 && target >= 50:
					row.Flag = FlagAbsent
				case gap <= -100:
					row.Flag = FlagUnder
				case gap >= 100:
					row.Flag = FlagOver
				}
			}
			rows = append(rows, row)
		}
		out.Dimensions[d] = rows
	}
	return out
}

func ptr[T any](v T) *T { return &v }
