package feedback

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// Scale is the answer scale of a survey question (spec/feedback.md §7.1).
type Scale string

// The scales.
const (
	ScaleNPS     Scale = "nps"     // 0–10; promoters 9–10, detractors 0–6
	ScaleCSAT    Scale = "csat"    // 1–5; positive 4 and 5 (also a questionnaire's 1–5 statement)
	ScaleSmiley4 Scale = "smiley4" // faces 1–4, face 1 unhappiest; positive 3 and 4
	ScaleSmiley5 Scale = "smiley5" // faces 1–5; positive 4 and 5
)

// Valid reports whether s is one of the four scales.
func (s Scale) Valid() bool { return s.size() > 0 }

// Range returns the lowest and highest counted answer of s.
func (s Scale) Range() (lo, hi int) {
	switch s {
	case ScaleNPS:
		return 0, 10
	case ScaleCSAT, ScaleSmiley5:
		return 1, 5
	case ScaleSmiley4:
		return 1, 4
	}
	return 0, -1
}

func (s Scale) size() int { lo, hi := s.Range(); return hi - lo + 1 }

func (s Scale) smiley() bool { return s == ScaleSmiley4 || s == ScaleSmiley5 }

// Dimension is a breakdown dimension of survey metrics (§7.4).
type Dimension string

// The dimensions.
const (
	DimUnit    Dimension = "unit"
	DimService Dimension = "service"
	DimChannel Dimension = "channel"
	DimLang    Dimension = "lang"
	DimPeriod  Dimension = "period"
)

// Valid reports whether d is one of the five dimensions.
func (d Dimension) Valid() bool {
	switch d {
	case DimUnit, DimService, DimChannel, DimLang, DimPeriod:
		return true
	}
	return false
}

// PeriodUnit is the length of the periods of a period breakdown (§7.4).
type PeriodUnit string

// The period units.
const (
	PeriodDay     PeriodUnit = "day"     // 2026-03-29
	PeriodISOWeek PeriodUnit = "isoweek" // 2026-W09 (ISO 8601 week and its own year)
	PeriodMonth   PeriodUnit = "month"   // 2026-03
	PeriodQuarter PeriodUnit = "quarter" // 2026-Q1
	PeriodYear    PeriodUnit = "year"    // 2026
)

// Valid reports whether p is one of the five period units.
func (p PeriodUnit) Valid() bool {
	switch p {
	case PeriodDay, PeriodISOWeek, PeriodMonth, PeriodQuarter, PeriodYear:
		return true
	}
	return false
}

// Label returns the label of the period that holds the Helsinki date of t (consent.md T3).
func (p PeriodUnit) Label(t time.Time) string {
	d := osallisuus.DateOf(t)
	switch p {
	case PeriodDay:
		return d.String()
	case PeriodISOWeek:
		y, w := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", d.Year, (int(d.Month)+2)/3)
	case PeriodYear:
		return fmt.Sprintf("%04d", d.Year)
	}
	return ""
}

// Question is a survey question measured by [Metrics].
type Question struct {
	ID    string `json:"id"`
	Scale Scale  `json:"scale"`
}

// MetricsConfig says what [Metrics] computes (spec/feedback.md §8.1).
type MetricsConfig struct {
	// Questions to measure, in output order; IDs non-empty and distinct. Required.
	Questions []Question `json:"questions"`
	// Threshold k of small-number suppression (§7.5), at least 1; 0 means 5.
	Threshold int `json:"threshold"`
	// Breakdown lists distinct dimensions; empty gives the total only.
	Breakdown []Dimension `json:"breakdown"`
	// Period is required when Breakdown has DimPeriod, and otherwise ignored.
	Period PeriodUnit `json:"period"`
	// NoTotal leaves the total out; it needs a non-empty Breakdown.
	NoTotal bool `json:"-"`
}

// DefaultThreshold is the default small-number suppression threshold.
const DefaultThreshold = 5

// Validate returns a *osallisuus.ValidationError naming every problem of c.
func (c MetricsConfig) Validate() error {
	ve := &osallisuus.ValidationError{Op: "metrics config"}
	if len(c.Questions) == 0 {
		ve.Add("questions", osallisuus.CodeRequired)
	}
	seen := map[string]bool{}
	for i, q := range c.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		if q.ID == "" {
			ve.Add(f+".id", osallisuus.CodeRequired)
		} else if seen[q.ID] {
			ve.Add(f+".id", osallisuus.CodeDuplicate)
		}
		seen[q.ID] = true
		if !q.Scale.Valid() {
			ve.Add(f+".scale", osallisuus.CodeUnknown)
		}
	}
	if c.Threshold < 0 {
		ve.Add("threshold", osallisuus.CodeOutOfRange)
	}
	dims := map[Dimension]bool{}
	for i, d := range c.Breakdown {
		f := fmt.Sprintf("breakdown[%d]", i)
		if !d.Valid() {
			ve.Add(f, osallisuus.CodeUnknown)
		} else if dims[d] {
			ve.Add(f, osallisuus.CodeDuplicate)
		}
		dims[d] = true
	}
	if dims[DimPeriod] && !c.Period.Valid() {
		ve.Add("period", osallisuus.CodeRequired)
	}
	if c.NoTotal && len(c.Breakdown) == 0 {
		ve.Add("total", osallisuus.CodeNotAllowed)
	}
	return ve.Err()
}

// AnswerKind classifies one answer of a response (§7.1).
type AnswerKind uint8

// The answer kinds.
const (
	AnswerNone     AnswerKind = iota // absent or null: out of every figure
	AnswerCounted                    // an integer; counted when in the scale's range
	AnswerDontKnow                   // "dk" (en osaa sanoa, vet inte): out of every figure
	AnswerInvalid                    // anything else: the whole response is invalid
)

// Answer is one answer of a survey response. Its JSON form is an integer, null or "dk";
// any other JSON value decodes without error as AnswerInvalid, so that a response can
// be reported rather than rejected while decoding.
type Answer struct {
	Kind  AnswerKind
	Value int
}

// UnmarshalJSON implements json.Unmarshaler (never fails on a well-formed value).
func (a *Answer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*a = Answer{Kind: AnswerInvalid}
	switch {
	case string(b) == "null":
		a.Kind = AnswerNone
	case string(b) == `"dk"`:
		a.Kind = AnswerDontKnow
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		// An integer value, also when written 7.0 or 7e0; fractions are invalid.
		f, err := strconv.ParseFloat(string(b), 64)
		if err == nil && f == math.Trunc(f) && math.Abs(f) < 1e9 {
			*a = Answer{Kind: AnswerCounted, Value: int(f)}
		}
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a.Kind {
	case AnswerCounted:
		return strconv.AppendInt(nil, int64(a.Value), 10), nil
	case AnswerDontKnow:
		return []byte(`"dk"`), nil
	case AnswerNone:
		return []byte("null"), nil
	}
	return nil, errors.New("marshal answer: invalid answer")
}

// Response is one survey response (vastaus). Missing dimension values are "".
type Response struct {
	ID      string            `json:"id"`
	At      time.Time         `json:"at"`
	Unit    string            `json:"unit"`
	Service string            `json:"service"`
	Channel string            `json:"channel"`
	Lang    string            `json:"lang"`
	Answers map[string]Answer `json:"answers"`
}

// periodCache remembers the last period label per Helsinki date: responses usually come
// in time order, so one date's label is formatted once.
type periodCache struct {
	unit PeriodUnit
	day  osallisuus.Date
	text string
}

func (c *periodCache) label(t time.Time) string {
	d := osallisuus.DateOf(t)
	if d != c.day || c.text == "" {
		c.day, c.text = d, c.unit.Label(t)
	}
	return c.text
}

func (r *Response) dim(d Dimension, p PeriodUnit) string {
	switch d {
	case DimUnit:
		return r.Unit
	case DimService:
		return r.Service
	case DimChannel:
		return r.Channel
	case DimLang:
		return r.Lang
	case DimPeriod:
		return p.Label(r.At)
	}
	return ""
}

// Rounded is a figure rounded to a fixed number of decimals: Scaled / 10^Places, exactly.
// Its JSON form is the decimal number ("44.0", "-6.3", "4.23").
type Rounded struct {
	Scaled int64
	Places int
}

// Float64 returns r as a float64.
func (r Rounded) Float64() float64 { return float64(r.Scaled) / math.Pow10(r.Places) }

// String returns the decimal form with Places decimals; negative zero is "0.0".
func (r Rounded) String() string {
	neg := r.Scaled < 0
	v := r.Scaled
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if r.Places > 0 {
		if len(s) <= r.Places {
			s = strings.Repeat("0", r.Places-len(s)+1) + s
		}
		s = s[:len(s)-r.Places] + "." + s[len(s)-r.Places:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalJSON implements json.Marshaler.
func (r Rounded) MarshalJSON() ([]byte, error) { return []byte(r.String()), nil }

// RoundRatio rounds a/b (b > 0) to places decimals, halfway away from zero, exactly
// (spec §7.3: r = ⌊(2·|a|·10^d + b) / 2b⌋).
func RoundRatio(a, b int64, places int) Rounded {
	p := int64(math.Pow10(places))
	abs := a
	if abs < 0 {
		abs = -abs
	}
	r := (2*abs*p + b) / (2 * b)
	if a < 0 {
		r = -r
	}
	return Rounded{r, places}
}

// RoundFloat rounds x to places decimals, halfway away from zero (math.Round).
func RoundFloat(x float64, places int) Rounded {
	v := math.Round(x * math.Pow10(places))
	if v == 0 {
		v = 0 // no negative zero
	}
	return Rounded{int64(v), places}
}

// Figure holds the figures of one question in one group (§7.2). When Suppressed, only
// Question and Scale are set. SD is nil when N is 1; MeanGrade is set for smileys only.
type Figure struct {
	Question   string
	Scale      Scale
	Suppressed bool
	N          int64
	Counts     []int64 // c_v for each value of the scale, lowest first
	Value      Rounded // NPS, CSAT or positive share
	Low, High  Rounded // its 95 % interval
	Mean       Rounded
	SD         *Rounded
	MeanGrade  *Rounded // school grade 4–10 (smileys): 4 + 6 × (mean − 1) / (k − 1)
}

// Group is the total or one cell of a breakdown, with one figure per question in the
// order of the config.
type Group struct {
	// Total is true for the total; Values is then nil.
	Total bool
	// Values holds the cell's value per breakdown dimension, in breakdown order.
	Values  []string
	Figures []Figure
}

// InvalidResponse is a response left out of every figure, with the reason.
type InvalidResponse struct {
	ID  string // "" when the response had no usable ID
	Err error
}

// MetricsReport is the result of [Metrics].
type MetricsReport struct {
	Invalid []InvalidResponse
	// Groups: the total (unless NoTotal), then the cells sorted by their values,
	// dimension by dimension in breakdown order, byte by byte.
	Groups []Group
}

type cellCounts struct {
	values []string
	counts [][11]int64 // per question
}

// Metrics computes the survey metrics of §7 in one pass over responses: counts per
// group and question, then NPS / CSAT / positive share with their intervals, mean, sd
// and mean grade, and small-number suppression (§7.5). A response is invalid, and left
// out of every figure, when its ID is empty or used by an earlier valid response, its
// instant is zero, or one of its answers to a configured question is AnswerInvalid or
// a number outside the scale. An invalid config returns its *osallisuus.ValidationError.
//
// responses yields each response with a nil error, or a response that could not be
// decoded with its error (and its ID when it had a usable one): that response is
// reported invalid in its place and counting goes on.
func Metrics(cfg MetricsConfig, responses iter.Seq2[Response, error]) (MetricsReport, error) {
	if err := cfg.Validate(); err != nil {
		return MetricsReport{}, err
	}
	k := int64(cfg.Threshold)
	if k == 0 {
		k = DefaultThreshold
	}
	nq := len(cfg.Questions)
	var rep MetricsReport
	total := &cellCounts{counts: make([][11]int64, nq)}
	cells := map[string]*cellCounts{}
	seen := map[string]struct{}{}
	var key []byte
	vals := make([]int, nq)
	periods := &periodCache{unit: cfg.Period}
	for r, err := range responses {
		if err != nil {
			rep.Invalid = append(rep.Invalid, InvalidResponse{ID: r.ID, Err: err})
			continue
		}
		if err := checkResponse(cfg, &r, seen, vals); err != nil {
			rep.Invalid = append(rep.Invalid, InvalidResponse{ID: r.ID, Err: err})
			continue
		}
		seen[r.ID] = struct{}{}
		add(total, vals)
		if len(cfg.Breakdown) == 0 {
			continue
		}
		key = key[:0]
		for _, d := range cfg.Breakdown {
			if d == DimPeriod {
				key = append(key, periods.label(r.At)...)
			} else {
				key = append(key, r.dim(d, cfg.Period)...)
			}
			key = append(key, 0)
		}
		c, ok := cells[string(key)]
		if !ok {
			c = &cellCounts{counts: make([][11]int64, nq)}
			for _, d := range cfg.Breakdown {
				c.values = append(c.values, r.dim(d, cfg.Period))
			}
			cells[string(key)] = c
		}
		add(c, vals)
	}
	list := make([]*cellCounts, 0, len(cells))
	for _, c := range cells {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b *cellCounts) int { return slices.Compare(a.values, b.values) })

	if !cfg.NoTotal {
		rep.Groups = append(rep.Groups, Group{Total: true})
	}
	for _, c := range list {
		rep.Groups = append(rep.Groups, Group{Values: c.values})
	}
	for gi := range rep.Groups {
		rep.Groups[gi].Figures = make([]Figure, nq)
	}
	off := 0
	if !cfg.NoTotal {
		off = 1
	}
	for qi, q := range cfg.Questions {
		fig := func(c *cellCounts) Figure { return figure(q, c.counts[qi][:q.Scale.size()]) }
		totalShown := false
		if !cfg.NoTotal {
			f := fig(total)
			f.Suppressed = f.N < k
			totalShown = !f.Suppressed
			rep.Groups[0].Figures[qi] = f
		}
		primary := 0
		for ci, c := range list {
			f := fig(c)
			f.Suppressed = f.N < k
			if f.Suppressed {
				primary++
			}
			rep.Groups[off+ci].Figures[qi] = f
		}
		if totalShown && primary == 1 {
			smallest := -1
			for ci := range list {
				f := &rep.Groups[off+ci].Figures[qi]
				if !f.Suppressed && (smallest < 0 || f.N < rep.Groups[off+smallest].Figures[qi].N) {
					smallest = ci
				}
			}
			if smallest >= 0 {
				rep.Groups[off+smallest].Figures[qi].Suppressed = true
			}
		}
		for gi := range rep.Groups {
			if f := &rep.Groups[gi].Figures[qi]; f.Suppressed {
				*f = Figure{Question: q.ID, Scale: q.Scale, Suppressed: true}
			}
		}
	}
	return rep, nil
}

func add(c *cellCounts, vals []int) {
	for qi, v := range vals {
		if v >= 0 {
			c.counts[qi][v]++
		}
	}
}

// checkResponse validates r and fills vals with each question's counted answer as an
// index into the counts (value − low), or −1.
func checkResponse(cfg MetricsConfig, r *Response, seen map[string]struct{}, vals []int) error {
	if r.ID == "" {
		return osallisuus.Invalid("id", osallisuus.CodeRequired)
	}
	if _, dup := seen[r.ID]; dup {
		return fmt.Errorf("id %s is already used: %w", r.ID, osallisuus.Invalid("id", osallisuus.CodeDuplicate))
	}
	if r.At.IsZero() {
		return osallisuus.Invalid("at", osallisuus.CodeRequired)
	}
	for qi, q := range cfg.Questions {
		vals[qi] = -1
		a, ok := r.Answers[q.ID]
		if !ok {
			continue
		}
		switch a.Kind {
		case AnswerCounted:
			lo, hi := q.Scale.Range()
			if a.Value < lo || a.Value > hi {
				return fmt.Errorf("%s: %d is not on the %s scale: %w", q.ID, a.Value, q.Scale,
					osallisuus.Invalid("answers."+q.ID, osallisuus.CodeOutOfRange))
			}
			vals[qi] = a.Value - lo
		case AnswerInvalid:
			return fmt.Errorf("%s: not an answer on the %s scale: %w", q.ID, q.Scale,
				osallisuus.Invalid("answers."+q.ID, osallisuus.CodeType))
		}
	}
	return nil
}

// figure computes the unsuppressed figures from counts (index 0 = lowest value).
func figure(q Question, counts []int64) Figure {
	f := Figure{Question: q.ID, Scale: q.Scale, Counts: slices.Clone(counts)}
	lo, _ := q.Scale.Range()
	var n, sum, sumSq int64
	for i, c := range counts {
		v := int64(lo + i)
		n += c
		sum += v * c
		sumSq += v * v * c
	}
	f.N = n
	if n == 0 {
		return f
	}
	switch q.Scale {
	case ScaleNPS:
		var p, d int64
		for i, c := range counts {
			switch {
			case i >= 9:
				p += c
			case i <= 6:
				d += c
			}
		}
		f.Value = RoundRatio(100*(p-d), n, 1)
		varNum := (p+d)*n - (p-d)*(p-d)
		if varNum == 0 {
			f.Low, f.High = f.Value, f.Value
		} else {
			nps := 100 * float64(p-d) / float64(n)
			nf := float64(n)
			half := 196 * math.Sqrt(float64(varNum)/(nf*nf*nf))
			f.Low = RoundFloat(max(nps-half, -100), 1)
			f.High = RoundFloat(min(nps+half, 100), 1)
		}
	default:
		posFrom := 3 // csat and smiley5: values 4 and 5 (index 3, 4)
		if q.Scale == ScaleSmiley4 {
			posFrom = 2
		}
		var x int64
		for i := posFrom; i < len(counts); i++ {
			x += counts[i]
		}
		f.Value = RoundRatio(100*x, n, 1)
		f.Low, f.High = wilson(x, n)
	}
	f.Mean = RoundRatio(sum, n, 2)
	if n > 1 {
		v := float64(n*sumSq-sum*sum) / float64(n*(n-1))
		sd := RoundFloat(math.Sqrt(max(v, 0)), 2)
		f.SD = &sd
	}
	if q.Scale.smiley() {
		k := int64(q.Scale.size())
		// 4 + 6 × (sum/n − 1) / (k − 1) = (4(k−1)n + 6(sum − n)) / ((k−1)n)
		g := RoundRatio(4*(k-1)*n+6*(sum-n), (k-1)*n, 2)
		f.MeanGrade = &g
	}
	return f
}

// wilson returns the Wilson 95 % interval of x of n in per cent, rounded to 0.1.
func wilson(x, n int64) (Rounded, Rounded) {
	const z = 1.96
	nf, p := float64(n), float64(x)/float64(n)
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z / den * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	low := RoundFloat(100*min(max(centre-half, 0), 1), 1)
	high := RoundFloat(100*min(max(centre+half, 0), 1), 1)
	if x == 0 {
		low = Rounded{0, 1}
	}
	if x == n {
		high = Rounded{1000, 1}
	}
	return low, high
}

// AppendJSON appends f as the metrics line of spec §8.1 for the group with the given
// cell object (already JSON), without a newline.
func (f Figure) AppendJSON(b []byte, cell []byte) []byte {
	b = append(b, `{"cell": `...)
	b = append(b, cell...)
	b = append(b, `, "question": `...)
	b = appendJSONString(b, f.Question)
	b = append(b, `, "scale": `...)
	b = appendJSONString(b, string(f.Scale))
	if f.Suppressed {
		b = append(b, `, "suppressed": true, "n": null, "counts": null, "value": null, "low": null, "high": null, "mean": null, "sd": null`...)
		if f.Scale.smiley() {
			b = append(b, `, "meanGrade": null`...)
		}
		return append(b, '}')
	}
	b = append(b, `, "suppressed": false, "n": `...)
	b = strconv.AppendInt(b, f.N, 10)
	b = append(b, `, "counts": [`...)
	for i, c := range f.Counts {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, c, 10)
	}
	b = append(b, ']')
	if f.N == 0 {
		// Only reachable with threshold 0, which the config refuses; keep the keys.
		b = append(b, `, "value": null, "low": null, "high": null, "mean": null, "sd": null`...)
	} else {
		b = append(b, `, "value": `...)
		b = append(b, f.Value.String()...)
		b = append(b, `, "low": `...)
		b = append(b, f.Low.String()...)
		b = append(b, `, "high": `...)
		b = append(b, f.High.String()...)
		b = append(b, `, "mean": `...)
		b = append(b, f.Mean.String()...)
		b = append(b, `, "sd": `...)
		if f.SD != nil {
			b = append(b, f.SD.String()...)
		} else {
			b = append(b, "null"...)
		}
	}
	if f.Scale.smiley() {
		b = append(b, `, "meanGrade": `...)
		if f.MeanGrade != nil {
			b = append(b, f.MeanGrade.String()...)
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, '}')
}

// CellJSON returns the "cell" object of g for breakdown dims: each dimension with the
// cell's value, or null in the total.
func (g Group) CellJSON(dims []Dimension) []byte {
	b := []byte{'{'}
	for i, d := range dims {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendJSONString(b, string(d))
		b = append(b, ": "...)
		if g.Total {
			b = append(b, "null"...)
		} else {
			b = appendJSONString(b, g.Values[i])
		}
	}
	return append(b, '}')
}

func appendJSONString(b []byte, s string) []byte {
	j, _ := json.Marshal(s)
	return append(b, j...)
}
