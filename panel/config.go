package panel

import (
	"fmt"
	"strings"

	"github.com/osallisuus/osallisuus"
)

// Kind says whether a panel is permanent (pysyvä) or exists for one topic until an end
// date (määräaikainen).
type Kind string

// The panel kinds.
const (
	KindUnspecified Kind = ""
	KindPermanent   Kind = "permanent"
	KindTemporary   Kind = "temporary"
)

// Admission says how members enter: people join an open panel; seats of an appointed
// panel (statutory councils, service-user representations) are filled by decision.
type Admission string

// The admission modes.
const (
	AdmissionUnspecified Admission = ""
	AdmissionOpen        Admission = "open"
	AdmissionAppointed   Admission = "appointed"
)

// Statutory names the statutory council an appointed panel is (councils.md C1): youth
// (nuorisovaltuusto), elderly (vanhusneuvosto), disability (vammaisneuvosto) or other.
type Statutory string

// The statutory councils; "" is none.
const (
	StatutoryNone       Statutory = ""
	StatutoryYouth      Statutory = "youth"
	StatutoryElderly    Statutory = "elderly"
	StatutoryDisability Statutory = "disability"
	StatutoryOther      Statutory = "other"
)

// Audience says who may take user seats by age (rule P4): adults, minors or both.
type Audience string

// The audiences; there is no default.
const (
	AudienceUnspecified Audience = ""
	AudienceAdults      Audience = "adults"
	AudienceMinors      Audience = "minors"
	AudienceMixed       Audience = "mixed"
)

// SeatType is the type of a seat: a service user (palvelun käyttäjä) or an official
// (viranhaltija).
type SeatType string

// The seat types.
const (
	SeatUnspecified SeatType = ""
	SeatUser        SeatType = "user"
	SeatOfficial    SeatType = "official"
)

// Dimension is an attribute of user members that quotas and reports group by.
type Dimension string

// The dimensions (spec §3); representativeness reports use all but DimUserRole.
const (
	DimAgeBand      Dimension = "ageBand"
	DimLanguage     Dimension = "language"
	DimArea         Dimension = "area"
	DimServiceGroup Dimension = "serviceGroup"
	DimUserRole     Dimension = "userRole"
)

// reportDimensions are the dimensions of the representativeness report, in output order.
var reportDimensions = [...]Dimension{DimAgeBand, DimLanguage, DimArea, DimServiceGroup}

// WaitlistOrder orders the waitlist (rule P6).
type WaitlistOrder string

// The waitlist orders.
const (
	OrderFirstCome WaitlistOrder = "first-come"
	OrderPriority  WaitlistOrder = "priority"
)

// TermPolicy says how membership terms (toimikausi) are computed (rule P10).
type TermPolicy string

// The term policies.
const (
	TermByLength    TermPolicy = "length"
	TermCouncilTerm TermPolicy = "council-term"
)

// ChairFrom says which seat type may hold the chair.
type ChairFrom string

// The chair sources.
const (
	ChairFromUser     ChairFrom = "user"
	ChairFromOfficial ChairFrom = "official"
	ChairFromAny      ChairFrom = "any"
)

// QuorumSeats says which seats make up the quorum denominator.
type QuorumSeats string

// The quorum seat sets.
const (
	QuorumAllSeats  QuorumSeats = "all"
	QuorumUserSeats QuorumSeats = "user"
)

// SeatRange is the minimum (a target, rule P18) and maximum (the capacity) of a seat type.
type SeatRange struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Seats holds the seat ranges per seat type.
type Seats struct {
	User     SeatRange `json:"user"`
	Official SeatRange `json:"official"`
}

// Of returns the range of seat type t.
func (s Seats) Of(t SeatType) SeatRange {
	if t == SeatOfficial {
		return s.Official
	}
	return s.User
}

// Quota is a composition rule over user members: between Min and Max (0: no maximum)
// members whose Dimension value is one of Values. A Reserve quota keeps seats free for
// its group while its Min is unmet (rule P5); other minimums are targets only (P18).
type Quota struct {
	ID        string    `json:"id"`
	Dimension Dimension `json:"dimension"`
	Values    []string  `json:"values"`
	Min       int       `json:"min"`
	Max       int       `json:"max"`
	Reserve   bool      `json:"reserve"`
}

// WaitlistConfig configures the waitlist (varasijalista) of user seats.
type WaitlistConfig struct {
	Enabled   bool          `json:"enabled"`
	MaxLength int           `json:"maxLength"` // 0: unlimited
	Order     WaitlistOrder `json:"order"`
	// OfferTTL is how long a freed seat is held for the person offered it, added in
	// Helsinki wall-clock days (spec §12.6).
	OfferTTL osallisuus.Period `json:"offerTTL"`
}

// TermConfig configures membership terms (rule P10).
type TermConfig struct {
	Policy TermPolicy `json:"policy"`
	// TermLength is the length of a term under TermByLength; zero: until the panel ends.
	TermLength osallisuus.Period `json:"termLength,omitzero"`
	// MaxConsecutiveTerms limits consecutive terms; 0: unlimited.
	MaxConsecutiveTerms int `json:"maxConsecutiveTerms"`
	// Calendar is the host's term calendar under TermCouncilTerm: ascending, disjoint
	// inclusive ranges (councils.md C4).
	Calendar []osallisuus.DateRange `json:"calendar,omitempty"`
}

// RolesConfig configures roles (rule P9).
type RolesConfig struct {
	ChairFrom     ChairFrom `json:"chairFrom"`
	MaxViceChairs int       `json:"maxViceChairs"`
	Deputies      bool      `json:"deputies"` // personal deputies (varajäsen) allowed
}

// QuorumRule decides whether a held meeting could adopt anything (rule P11): quorate when
// attending × Den > denominator × Num (Strict) or ≥ (not strict), and, with
// RequireChairOrVice, the chair or a vice-chair attended.
type QuorumRule struct {
	Num                int         `json:"num"`
	Den                int         `json:"den"`
	Strict             bool        `json:"strict"`
	CountRemote        bool        `json:"countRemote"`
	RequireChairOrVice bool        `json:"requireChairOrVice"`
	Seats              QuorumSeats `json:"seats"`
}

// Config is the configuration of a panel (spec §3). Start from [Defaults] and set Kind,
// Audience, Purpose and the user seats: those have no default, and [Config.Validate]
// rejects their zero values.
type Config struct {
	Kind  Kind   `json:"kind"`
	Topic string `json:"topic,omitzero"`
	// StartsOn and EndsOn are optional for permanent panels and required for temporary
	// ones. The panel ends at 00:00 Helsinki time on the day after EndsOn.
	StartsOn        osallisuus.Date `json:"startsOn,omitzero"`
	EndsOn          osallisuus.Date `json:"endsOn,omitzero"`
	Admission       Admission       `json:"admission"`
	Statutory       Statutory       `json:"statutory,omitzero"`
	RepresentsIn    string          `json:"representsIn,omitzero"`
	Audience        Audience        `json:"audience"`
	Purpose         string          `json:"purpose"`
	OfficialPurpose string          `json:"officialPurpose,omitzero"`
	Seats           Seats           `json:"seats"`
	Quotas          []Quota         `json:"quotas,omitempty"`
	Waitlist        WaitlistConfig  `json:"waitlist"`
	Term            TermConfig      `json:"term"`
	Roles           RolesConfig     `json:"roles"`
	Quorum          QuorumRule      `json:"quorum"`
	// AnswerPeriodDays is the number of calendar days the organisation has to answer a
	// proposal (a county choice, not a statutory deadline).
	AnswerPeriodDays       int  `json:"answerPeriodDays"`
	RequireQuorateAdoption bool `json:"requireQuorateAdoption"`
	// Suppression is the k of small-number suppression in reports.
	Suppression int `json:"suppression"`
}

// Defaults returns the defaults of spec §3 and §12.3: open admission, waitlist off
// (first-come, offers held 7 days), terms by length without a length, chair from any
// seat with one vice-chair, quorum more than half of all voting seats with remote
// attendance counted and the chair or a vice-chair present, 30 answer days, quorate
// adoption required, suppression 5. Kind, Audience, Purpose and seats are left unset.
func Defaults() Config {
	return Config{
		Admission: AdmissionOpen,
		Waitlist:  WaitlistConfig{Order: OrderFirstCome, OfferTTL: osallisuus.Period{Days: 7}},
		Term:      TermConfig{Policy: TermByLength},
		Roles:     RolesConfig{ChairFrom: ChairFromAny, MaxViceChairs: 1},
		Quorum: QuorumRule{Num: 1, Den: 2, Strict: true, CountRemote: true,
			RequireChairOrVice: true, Seats: QuorumAllSeats},
		AnswerPeriodDays:       30,
		RequireQuorateAdoption: true,
		Suppression:            5,
	}
}

// Validate checks the configuration (spec §3, P10, I8, §12.3) and returns a
// *osallisuus.ValidationError naming every bad field, or nil.
func (c Config) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate panel"}
	switch c.Kind {
	case KindPermanent:
	case KindTemporary:
		if strings.TrimSpace(c.Topic) == "" {
			ve.Add("topic", osallisuus.CodeRequired)
		}
		if c.StartsOn.IsZero() {
			ve.Add("startsOn", osallisuus.CodeRequired)
		}
		if c.EndsOn.IsZero() {
			ve.Add("endsOn", osallisuus.CodeRequired)
		}
	default:
		ve.Add("kind", required(string(c.Kind)))
	}
	if !c.StartsOn.IsZero() && !c.StartsOn.Valid() {
		ve.Add("startsOn", osallisuus.CodeFormat)
	}
	if !c.EndsOn.IsZero() && !c.EndsOn.Valid() {
		ve.Add("endsOn", osallisuus.CodeFormat)
	}
	if !c.StartsOn.IsZero() && !c.EndsOn.IsZero() && !c.StartsOn.Before(c.EndsOn) {
		ve.Add("endsOn", osallisuus.CodeOrder)
	}
	switch c.Admission {
	case AdmissionOpen, AdmissionAppointed:
	default:
		ve.Add("admission", required(string(c.Admission)))
	}
	switch c.Statutory {
	case StatutoryNone:
	case StatutoryYouth, StatutoryElderly, StatutoryDisability, StatutoryOther:
		if c.Admission != AdmissionAppointed || c.Kind != KindPermanent {
			ve.Add("statutory", osallisuus.CodeNotAllowed)
		}
	default:
		ve.Add("statutory", osallisuus.CodeUnknown)
	}
	if c.RepresentsIn != "" && c.Admission != AdmissionAppointed {
		ve.Add("representsIn", osallisuus.CodeNotAllowed)
	}
	switch c.Audience {
	case AudienceAdults, AudienceMinors, AudienceMixed:
	default:
		ve.Add("audience", required(string(c.Audience)))
	}
	if strings.TrimSpace(c.Purpose) == "" {
		ve.Add("purpose", osallisuus.CodeRequired)
	}
	c.validateSeats(ve)
	c.validateQuotas(ve)
	if c.Waitlist.MaxLength < 0 {
		ve.Add("waitlist.maxLength", osallisuus.CodeOutOfRange)
	}
	switch c.Waitlist.Order {
	case OrderFirstCome, OrderPriority:
	default:
		ve.Add("waitlist.order", required(string(c.Waitlist.Order)))
	}
	if c.Waitlist.OfferTTL.IsZero() || !validPeriod(c.Waitlist.OfferTTL) {
		ve.Add("waitlist.offerTTL", osallisuus.CodeFormat)
	}
	c.validateTerm(ve)
	switch c.Roles.ChairFrom {
	case ChairFromUser, ChairFromOfficial, ChairFromAny:
	default:
		ve.Add("roles.chairFrom", required(string(c.Roles.ChairFrom)))
	}
	if c.Roles.MaxViceChairs < 0 {
		ve.Add("roles.maxViceChairs", osallisuus.CodeOutOfRange)
	}
	q := c.Quorum
	if q.Num < 1 || q.Den < 1 || q.Num > q.Den {
		ve.Add("quorum.num", osallisuus.CodeOutOfRange)
	}
	switch q.Seats {
	case QuorumAllSeats, QuorumUserSeats:
	default:
		ve.Add("quorum.seats", required(string(q.Seats)))
	}
	if c.AnswerPeriodDays < 1 {
		ve.Add("answerPeriodDays", osallisuus.CodeOutOfRange)
	}
	if c.Suppression < 1 {
		ve.Add("suppression", osallisuus.CodeOutOfRange)
	}
	return ve.Err()
}

func (c Config) validateSeats(ve *osallisuus.ValidationError) {
	for _, s := range []struct {
		name string
		r    SeatRange
	}{{"seats.user", c.Seats.User}, {"seats.official", c.Seats.Official}} {
		if s.r.Min < 0 {
			ve.Add(s.name+".min", osallisuus.CodeOutOfRange)
		}
		if s.r.Max < 0 || s.r.Max < s.r.Min {
			ve.Add(s.name+".max", osallisuus.CodeOutOfRange)
		}
	}
	if c.Seats.User.Max < 1 {
		ve.Add("seats.user.max", osallisuus.CodeRequired)
	}
}

func (c Config) validateQuotas(ve *osallisuus.ValidationError) {
	seen := make(map[string]bool, len(c.Quotas))
	reserved := 0
	for i, q := range c.Quotas {
		f := fmt.Sprintf("quotas[%d]", i)
		switch {
		case q.ID == "":
			ve.Add(f+".id", osallisuus.CodeRequired)
		case seen[q.ID]:
			ve.Add(f+".id", osallisuus.CodeDuplicate)
		}
		seen[q.ID] = true
		switch q.Dimension {
		case DimAgeBand, DimLanguage, DimArea, DimServiceGroup, DimUserRole:
		default:
			ve.Add(f+".dimension", required(string(q.Dimension)))
		}
		if len(q.Values) == 0 {
			ve.Add(f+".values", osallisuus.CodeRequired)
		}
		for j, v := range q.Values {
			switch {
			case v == "":
				ve.Add(fmt.Sprintf("%s.values[%d]", f, j), osallisuus.CodeRequired)
			case q.Dimension == DimLanguage && !validLanguage(v):
				ve.Add(fmt.Sprintf("%s.values[%d]", f, j), osallisuus.CodeUnknown)
			}
		}
		if q.Min < 0 {
			ve.Add(f+".min", osallisuus.CodeOutOfRange)
		}
		if q.Max < 0 || (q.Max != 0 && q.Max < q.Min) {
			ve.Add(f+".max", osallisuus.CodeOutOfRange)
		}
		if q.Reserve && q.Min > 0 {
			reserved += q.Min
		}
	}
	if reserved > c.Seats.User.Max && c.Seats.User.Max >= 0 {
		ve.Add("quotas", osallisuus.CodeOutOfRange)
	}
}

func (c Config) validateTerm(ve *osallisuus.ValidationError) {
	t := c.Term
	if !t.TermLength.IsZero() && !validPeriod(t.TermLength) {
		ve.Add("term.termLength", osallisuus.CodeFormat)
	}
	if t.MaxConsecutiveTerms < 0 {
		ve.Add("term.maxConsecutiveTerms", osallisuus.CodeOutOfRange)
	}
	switch t.Policy {
	case TermByLength:
		if len(t.Calendar) > 0 {
			ve.Add("term.calendar", osallisuus.CodeNotAllowed)
		}
		if t.MaxConsecutiveTerms > 0 && t.TermLength.IsZero() {
			ve.Add("term.maxConsecutiveTerms", osallisuus.CodeNotAllowed)
		}
	case TermCouncilTerm:
		if len(t.Calendar) == 0 {
			ve.Add("term.calendar", osallisuus.CodeRequired)
		}
		if !t.TermLength.IsZero() {
			ve.Add("term.termLength", osallisuus.CodeNotAllowed)
		}
		for i, r := range t.Calendar {
			f := fmt.Sprintf("term.calendar[%d]", i)
			switch {
			case r.From.IsZero() || !r.From.Valid():
				ve.Add(f+".from", required(r.From.String()))
			case r.Until.IsZero() || !r.Until.Valid():
				ve.Add(f+".until", required(r.Until.String()))
			case r.Until.Before(r.From):
				ve.Add(f+".until", osallisuus.CodeOrder)
			case i > 0 && !t.Calendar[i-1].Until.IsZero() && !r.From.After(t.Calendar[i-1].Until):
				ve.Add(f+".from", osallisuus.CodeOrder)
			}
		}
	default:
		ve.Add("term.policy", required(string(t.Policy)))
	}
}

func validPeriod(p osallisuus.Period) bool {
	return p.Years >= 0 && p.Months >= 0 && p.Weeks >= 0 && p.Days >= 0 &&
		(p.Weeks == 0 || (p.Years == 0 && p.Months == 0 && p.Days == 0))
}

func validLanguage(s string) bool { return s == "fi" || s == "sv" || s == "other" }

func required(s string) osallisuus.Code {
	if s == "" {
		return osallisuus.CodeRequired
	}
	return osallisuus.CodeUnknown
}
