package paneltest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/panel"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// scenarioFile is a panel scenario (spec/panel.md §12.2).
type scenarioFile struct {
	participationtest.ConsentSections
	Profiles    []profileJSON     `json:"profiles"`
	Eligibility []eligibilityJSON `json:"eligibility"`
	Panels      []panelJSON       `json:"panels"`
	Steps       []json.RawMessage `json:"steps"`

	steps []step // decoded Steps
}

type profileJSON struct {
	ID           string `json:"id"`
	Language     string `json:"language"`
	AgeBand      string `json:"ageBand"`
	Area         string `json:"area"`
	ServiceGroup string `json:"serviceGroup"`
	UserRole     string `json:"userRole"`
}

type eligibilityJSON struct {
	Panel   string   `json:"panel"`
	Who     string   `json:"who"`
	Reasons []string `json:"reasons"`
}

type seatJSON struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

type quotaJSON struct {
	ID        string   `json:"id"`
	Dimension string   `json:"dimension"`
	Values    []string `json:"values"`
	Min       int      `json:"min"`
	Max       int      `json:"max"`
	Reserve   bool     `json:"reserve"`
}

type rangeJSON struct {
	From  string `json:"from"`
	Until string `json:"until"`
}

// panelJSON is a panel configuration (§12.3); pointers tell an omitted or null value
// (the default) from an explicit one.
type panelJSON struct {
	ID              string  `json:"id"`
	Kind            string  `json:"kind"`
	Topic           string  `json:"topic"`
	StartsOn        string  `json:"startsOn"`
	EndsOn          string  `json:"endsOn"`
	Admission       *string `json:"admission"`
	Statutory       string  `json:"statutory"`
	RepresentsIn    string  `json:"representsIn"`
	Audience        string  `json:"audience"`
	Purpose         string  `json:"purpose"`
	OfficialPurpose string  `json:"officialPurpose"`
	Seats           struct {
		User     seatJSON `json:"user"`
		Official seatJSON `json:"official"`
	} `json:"seats"`
	Quotas   []quotaJSON `json:"quotas"`
	Waitlist struct {
		Enabled   bool    `json:"enabled"`
		MaxLength int     `json:"maxLength"`
		Order     *string `json:"order"`
		OfferTTL  *string `json:"offerTTL"`
	} `json:"waitlist"`
	Term struct {
		Policy              *string     `json:"policy"`
		TermLength          string      `json:"termLength"`
		MaxConsecutiveTerms int         `json:"maxConsecutiveTerms"`
		Calendar            []rangeJSON `json:"calendar"`
	} `json:"term"`
	Roles struct {
		ChairFrom     *string `json:"chairFrom"`
		MaxViceChairs *int    `json:"maxViceChairs"`
		Deputies      bool    `json:"deputies"`
	} `json:"roles"`
	Quorum struct {
		Num                *int    `json:"num"`
		Den                *int    `json:"den"`
		Strict             *bool   `json:"strict"`
		CountRemote        *bool   `json:"countRemote"`
		RequireChairOrVice *bool   `json:"requireChairOrVice"`
		Seats              *string `json:"seats"`
	} `json:"quorum"`
	AnswerPeriodDays       *int  `json:"answerPeriodDays"`
	RequireQuorateAdoption *bool `json:"requireQuorateAdoption"`
	Suppression            *int  `json:"suppression"`
}

// config converts the JSON configuration to a panel.Config on the defaults; values that
// do not parse (dates, periods) are problems for `create` to answer with, not
// malformations of the file.
func (pj *panelJSON) config() (panel.Config, *osallisuus.ValidationError) {
	ve := &osallisuus.ValidationError{Op: "create panel"}
	c := panel.Defaults()
	c.Kind, c.Topic = panel.Kind(pj.Kind), pj.Topic
	c.StartsOn = date(ve, "startsOn", pj.StartsOn)
	c.EndsOn = date(ve, "endsOn", pj.EndsOn)
	if pj.Admission != nil {
		c.Admission = panel.Admission(*pj.Admission)
	}
	c.Statutory, c.RepresentsIn = panel.Statutory(pj.Statutory), pj.RepresentsIn
	c.Audience, c.Purpose, c.OfficialPurpose = panel.Audience(pj.Audience), pj.Purpose, pj.OfficialPurpose
	c.Seats = panel.Seats{User: panel.SeatRange(pj.Seats.User), Official: panel.SeatRange(pj.Seats.Official)}
	for _, q := range pj.Quotas {
		c.Quotas = append(c.Quotas, panel.Quota{ID: q.ID, Dimension: panel.Dimension(q.Dimension),
			Values: slices.Clone(q.Values), Min: q.Min, Max: q.Max, Reserve: q.Reserve})
	}
	c.Waitlist.Enabled, c.Waitlist.MaxLength = pj.Waitlist.Enabled, pj.Waitlist.MaxLength
	if pj.Waitlist.Order != nil {
		c.Waitlist.Order = panel.WaitlistOrder(*pj.Waitlist.Order)
	}
	if pj.Waitlist.OfferTTL != nil {
		c.Waitlist.OfferTTL = period(ve, "waitlist.offerTTL", *pj.Waitlist.OfferTTL, true)
	}
	if pj.Term.Policy != nil {
		c.Term.Policy = panel.TermPolicy(*pj.Term.Policy)
	}
	c.Term.TermLength = period(ve, "term.termLength", pj.Term.TermLength, false)
	c.Term.MaxConsecutiveTerms = pj.Term.MaxConsecutiveTerms
	for i, r := range pj.Term.Calendar {
		f := fmt.Sprintf("term.calendar[%d]", i)
		c.Term.Calendar = append(c.Term.Calendar, osallisuus.DateRange{
			From: date(ve, f+".from", r.From), Until: date(ve, f+".until", r.Until)})
	}
	if pj.Roles.ChairFrom != nil {
		c.Roles.ChairFrom = panel.ChairFrom(*pj.Roles.ChairFrom)
	}
	if pj.Roles.MaxViceChairs != nil {
		c.Roles.MaxViceChairs = *pj.Roles.MaxViceChairs
	}
	c.Roles.Deputies = pj.Roles.Deputies
	q := pj.Quorum
	setInt(&c.Quorum.Num, q.Num)
	setInt(&c.Quorum.Den, q.Den)
	setBool(&c.Quorum.Strict, q.Strict)
	setBool(&c.Quorum.CountRemote, q.CountRemote)
	setBool(&c.Quorum.RequireChairOrVice, q.RequireChairOrVice)
	if q.Seats != nil {
		c.Quorum.Seats = panel.QuorumSeats(*q.Seats)
	}
	setInt(&c.AnswerPeriodDays, pj.AnswerPeriodDays)
	setBool(&c.RequireQuorateAdoption, pj.RequireQuorateAdoption)
	setInt(&c.Suppression, pj.Suppression)
	return c, ve
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func date(ve *osallisuus.ValidationError, field, s string) osallisuus.Date {
	if s == "" {
		return osallisuus.Date{}
	}
	d, err := osallisuus.ParseDate(s)
	if err != nil {
		ve.Add(field, osallisuus.CodeFormat)
	}
	return d
}

func period(ve *osallisuus.ValidationError, field, s string, required bool) osallisuus.Period {
	if s == "" && !required {
		return osallisuus.Period{}
	}
	p, err := osallisuus.ParsePeriod(s)
	if err != nil {
		ve.Add(field, osallisuus.CodeFormat)
	}
	return p
}

// step is one decoded step (§12.4).
type step struct {
	at time.Time
	Op string `json:"op"`
	At string `json:"at"`
	stepFields
}

type stepFields struct {
	Panel         string                        `json:"panel"`
	Who           string                        `json:"who"`
	Priority      int                           `json:"priority"`
	Assent        bool                          `json:"assent"`
	Reason        string                        `json:"reason"`
	Decision      string                        `json:"decision"`
	Voting        *bool                         `json:"voting"`
	Affiliation   *string                       `json:"affiliation"`
	Principal     string                        `json:"principal"`
	Role          string                        `json:"role"`
	Replace       bool                          `json:"replace"`
	WarnDays      *int                          `json:"warnDays"`
	Meeting       string                        `json:"meeting"`
	Start         string                        `json:"start"`
	Attendance    map[string]string             `json:"attendance"`
	Text          string                        `json:"text"`
	By            string                        `json:"by"`
	AtMeeting     bool                          `json:"atMeeting"`
	Proposal      string                        `json:"proposal"`
	Kind          string                        `json:"kind"`
	Outcome       string                        `json:"outcome"`
	Justification string                        `json:"justification"`
	PlannedBy     string                        `json:"plannedBy"`
	Description   string                        `json:"description"`
	On            string                        `json:"on"`
	Call          string                        `json:"call"`
	OpensAt       string                        `json:"opensAt"`
	ClosesAt      string                        `json:"closesAt"`
	Seats         int                           `json:"seats"`
	Reserve       bool                          `json:"reserve"`
	Eligible      bool                          `json:"eligible"`
	Method        string                        `json:"method"`
	Seed          []uint64                      `json:"seed"`
	List          []string                      `json:"list"`
	Of            string                        `json:"of"`
	Targets       map[string]map[string]float64 `json:"targets"`
}

// opFields lists the fields each op takes (§12.4), besides at and op.
var opFields = map[string][]string{
	"create":          {"panel"},
	"open":            {"panel"},
	"close":           {"panel", "reason"},
	"join":            {"panel", "who", "priority", "assent"},
	"leave":           {"panel", "who", "reason"},
	"accept":          {"panel", "who", "assent"},
	"decline":         {"panel", "who"},
	"appoint":         {"panel", "who", "decision", "assent"},
	"add-official":    {"panel", "who", "voting", "affiliation"},
	"add-deputy":      {"panel", "who", "principal", "assent"},
	"assign":          {"panel", "who", "role", "replace"},
	"unassign":        {"panel", "who"},
	"renew":           {"panel", "who"},
	"review":          {"panel", "warnDays"},
	"reinstate":       {"panel", "who"},
	"remove":          {"panel", "who", "reason"},
	"plan":            {"panel", "meeting", "start"},
	"cancel":          {"meeting", "reason"},
	"hold":            {"meeting", "attendance"},
	"quorum":          {"meeting"},
	"minutes":         {"meeting", "text"},
	"approve-minutes": {"meeting", "by", "atMeeting"},
	"correct-minutes": {"meeting", "text"},
	"submit":          {"panel", "proposal", "kind", "text", "meeting"},
	"answer":          {"proposal", "outcome", "justification", "plannedBy"},
	"implement":       {"proposal", "description", "on"},
	"open-call":       {"panel", "call", "opensAt", "closesAt", "seats"},
	"apply":           {"call", "who", "priority", "reserve"},
	"screen":          {"call", "who", "eligible", "reason"},
	"select":          {"call", "method", "seed", "list", "justification"},
	"report":          {"panel", "of", "targets"},
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// decode reads and checks a scenario file (§12.7); the error matches ErrInvalid and
// names the field.
func decode(r io.Reader) (*scenarioFile, error) {
	var sc scenarioFile
	if err := participationtest.DecodeStrict(r, &sc); err != nil {
		return nil, err
	}
	ve := &osallisuus.ValidationError{Op: "panel scenario"}
	if err := sc.Validate(); err != nil {
		if inner, ok := err.(*osallisuus.ValidationError); ok {
			ve.Merge("", inner)
		} else {
			return nil, err
		}
	}
	people := make(map[string]bool, len(sc.People))
	for _, p := range sc.People {
		people[p.ID] = true
	}
	seen := make(map[string]bool)
	for i, p := range sc.Profiles {
		f := fmt.Sprintf("profiles[%d]", i)
		switch {
		case !people[p.ID]:
			ve.Add(f+".id", osallisuus.CodeUnknown)
		case seen[p.ID]:
			ve.Add(f+".id", osallisuus.CodeDuplicate)
		}
		seen[p.ID] = true
		switch p.Language {
		case "", "fi", "sv", "other":
		default:
			ve.Add(f+".language", osallisuus.CodeUnknown)
		}
	}
	panels := make(map[string]bool)
	for i, p := range sc.Panels {
		f := fmt.Sprintf("panels[%d]", i)
		switch {
		case p.ID == "":
			ve.Add(f+".id", osallisuus.CodeRequired)
		case !idPattern.MatchString(p.ID):
			ve.Add(f+".id", osallisuus.CodeFormat)
		case panels[p.ID]:
			ve.Add(f+".id", osallisuus.CodeDuplicate)
		}
		panels[p.ID] = true
		if p.Purpose != "" && !sc.Policy.Has(p.Purpose) {
			ve.Add(f+".purpose", osallisuus.CodeUnknown)
		}
		if p.OfficialPurpose != "" && !sc.Policy.Has(p.OfficialPurpose) {
			ve.Add(f+".officialPurpose", osallisuus.CodeUnknown)
		}
	}
	pairs := make(map[[2]string]bool)
	for i, e := range sc.Eligibility {
		f := fmt.Sprintf("eligibility[%d]", i)
		if !panels[e.Panel] {
			ve.Add(f+".panel", osallisuus.CodeUnknown)
		}
		if !people[e.Who] {
			ve.Add(f+".who", osallisuus.CodeUnknown)
		}
		if pairs[[2]string{e.Panel, e.Who}] {
			ve.Add(f, osallisuus.CodeDuplicate)
		}
		pairs[[2]string{e.Panel, e.Who}] = true
		if len(e.Reasons) == 0 {
			ve.Add(f+".reasons", osallisuus.CodeRequired)
		}
	}
	var prev time.Time
	for i, raw := range sc.Steps {
		st, err := decodeStep(raw, fmt.Sprintf("steps[%d]", i))
		if err != nil {
			if inner, ok := err.(*osallisuus.ValidationError); ok {
				ve.Merge("", inner)
				continue
			}
			return nil, err
		}
		if st.at.Before(prev) {
			ve.Add(fmt.Sprintf("steps[%d].at", i), osallisuus.CodeOrder)
		}
		prev = st.at
		sc.steps = append(sc.steps, st)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	return &sc, nil
}

func decodeStep(raw json.RawMessage, field string) (step, error) {
	ve := &osallisuus.ValidationError{Op: "panel scenario"}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil || keys == nil {
		return step{}, ve.Add(field, osallisuus.CodeType)
	}
	var st step
	if err := json.Unmarshal(keys["op"], &st.Op); err != nil {
		return step{}, ve.Add(field+".op", osallisuus.CodeType)
	}
	allowed, ok := opFields[st.Op]
	if !ok {
		return step{}, ve.Add(field+".op", osallisuus.CodeUnknown)
	}
	for k := range keys {
		if k != "at" && k != "op" && !slices.Contains(allowed, k) {
			ve.Add(field+"."+k, osallisuus.CodeUnknownField)
		}
	}
	if err := ve.Err(); err != nil {
		return step{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		if te, ok := err.(*json.UnmarshalTypeError); ok {
			return step{}, ve.Add(field+"."+strings.TrimPrefix(te.Field, "stepFields."), osallisuus.CodeType)
		}
		return step{}, ve.Add(field, osallisuus.CodeFormat)
	}
	at, err := osallisuus.ParseInstant(st.At)
	if err != nil {
		return step{}, ve.Add(field+".at", osallisuus.CodeFormat)
	}
	st.at = at
	if _, ok := keys["seed"]; ok && string(keys["seed"]) != "null" && len(st.Seed) != 2 {
		return step{}, ve.Add(field+".seed", osallisuus.CodeFormat)
	}
	return st, nil
}
