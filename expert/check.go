package expert

import (
	"slices"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// The built-in check names (edellytykset, spec §4). Consent checks are "consent:" + the
// purpose, host checks "custom:" + a code.
const (
	CheckTraining        = "training"
	CheckAgreement       = "agreement"
	CheckConfidentiality = "confidentiality"
	ConsentCheckPrefix   = "consent:"
	CustomCheckPrefix    = "custom:"
)

// DefaultRequiredChecks returns the default set of required checks (E5) as a new slice:
// training, the agreement, the confidentiality commitment and consent to keeping the
// profile.
func DefaultRequiredChecks() []string { return slices.Clone(defaultRequiredChecks[:]) }

var defaultRequiredChecks = [...]string{CheckTraining, CheckAgreement, CheckConfidentiality, "consent:expert-profile"}

// ValidCheckName reports whether name is training, agreement, confidentiality, or
// consent:/custom: followed by [a-z][a-z0-9._-]* (spec §16.2 F1).
func ValidCheckName(name string) bool {
	switch name {
	case CheckTraining, CheckAgreement, CheckConfidentiality:
		return true
	}
	var rest string
	switch {
	case strings.HasPrefix(name, ConsentCheckPrefix):
		rest = name[len(ConsentCheckPrefix):]
	case strings.HasPrefix(name, CustomCheckPrefix):
		rest = name[len(CustomCheckPrefix):]
	default:
		return false
	}
	if rest == "" || rest[0] < 'a' || rest[0] > 'z' {
		return false
	}
	for i := 1; i < len(rest); i++ {
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Training records a completed course (koulutus). External training (a hospital district,
// an association, another county) needs a recognition decision to count (spec §4).
type Training struct {
	Course      string          `json:"course,omitzero"`
	Provider    string          `json:"provider,omitzero"`
	External    bool            `json:"external,omitzero"`
	Hours       int             `json:"hours,omitzero"`
	CompletedOn osallisuus.Date `json:"completedOn,omitzero"`
	// Recognition is the decision that recognises an external course.
	Recognition *Recognition `json:"recognition,omitempty"`
}

// Recognition is a decision to recognise external training (aiemmin hankitun osaamisen
// tunnustaminen).
type Recognition struct {
	By       string          `json:"by"`
	On       osallisuus.Date `json:"on"`
	Evidence string          `json:"evidence,omitzero"`
}

// Check is one requirement an expert holds (edellytys): a recorded training, a signed
// agreement or confidentiality commitment (versioned), a consent answer, or a host check.
// It ends (M2) at the earlier of 00:00 Helsinki on the day after Until (the last valid
// day) and the exclusive instant ExpiresAt; with neither it does not end.
type Check struct {
	Name      string          `json:"name"`
	Until     osallisuus.Date `json:"until,omitzero"`
	ExpiresAt time.Time       `json:"expiresAt,omitzero"`
	// Version is the signed version of an agreement or confidentiality commitment.
	Version int `json:"version,omitzero"`
	// Training details the training check; nil means a plain recorded completion.
	Training *Training `json:"training,omitempty"`
}

// End returns the exclusive end of the check (M2), or the zero time when it never ends.
func (c Check) End() time.Time {
	var end time.Time
	if !c.Until.IsZero() {
		end = c.Until.AddDays(1).Start()
	}
	if !c.ExpiresAt.IsZero() && (end.IsZero() || c.ExpiresAt.Before(end)) {
		end = c.ExpiresAt
	}
	return end
}

// CheckPolicy is the county's configuration of checks (E5).
type CheckPolicy struct {
	// Required lists the required check names in order; nil means
	// [DefaultRequiredChecks], an empty non-nil slice none.
	Required []string `json:"required"`
	// MinAgreementVersion and MinConfidentialityVersion: a signed version below them
	// does not count. 0 accepts any.
	MinAgreementVersion       int `json:"minAgreementVersion,omitzero"`
	MinConfidentialityVersion int `json:"minConfidentialityVersion,omitzero"`
	// TrainingValidMonths, when above 0, makes training lapse that many months after
	// its completion date (refresher courses).
	TrainingValidMonths int `json:"trainingValidMonths,omitzero"`
}

func (p CheckPolicy) required() []string {
	if p.Required == nil {
		return defaultRequiredChecks[:]
	}
	return p.Required
}

// end returns the exclusive end of c under the policy, and whether it counts at all.
func (p CheckPolicy) end(c Check) (time.Time, bool) {
	end := c.End()
	switch c.Name {
	case CheckAgreement:
		if c.Version < p.MinAgreementVersion {
			return end, false
		}
	case CheckConfidentiality:
		if c.Version < p.MinConfidentialityVersion {
			return end, false
		}
	case CheckTraining:
		if t := c.Training; t != nil {
			if t.External && t.Recognition == nil {
				return end, false
			}
			if p.TrainingValidMonths > 0 && !t.CompletedOn.IsZero() {
				e := t.CompletedOn.AddMonths(p.TrainingValidMonths).Start()
				if end.IsZero() || e.Before(end) {
					end = e
				}
			}
		}
	}
	return end, true
}

// Lapsed returns the required checks (in the policy's order) that are not valid through
// instant until: missing, not counting (an old version, unrecognised external training)
// or ending before until (M2, E4). For a task pass its end; for an instant see LapsedAt. It
// returns nil when every required check holds.
func (p CheckPolicy) Lapsed(checks []Check, until time.Time) []string {
	return p.lapsed(checks, until, minUntil(until))
}

// minUntil returns the earliest last valid day that keeps a check valid through instant
// t: a check with Until u ends at dayStart(u+1), which is at or after t exactly when u+1
// is on or after the first day starting at or after t.
func minUntil(t time.Time) osallisuus.Date {
	d := osallisuus.DateOf(t)
	if !d.Start().Equal(t) {
		d = d.AddDays(1)
	}
	return d.AddDays(-1)
}

func (p CheckPolicy) lapsed(checks []Check, until time.Time, least osallisuus.Date) []string {
	var out []string
	for _, name := range p.required() {
		if !p.validFor(checks, name, until, least) {
			out = append(out, name)
		}
	}
	return out
}

// validFor reports whether a check named name is valid through instant until; least is
// minUntil(until), precomputed so that the hot path compares dates, not instants.
func (p CheckPolicy) validFor(checks []Check, name string, until time.Time, least osallisuus.Date) bool {
	for i := range checks {
		c := &checks[i]
		if c.Name != name {
			continue
		}
		switch c.Name {
		case CheckAgreement:
			if c.Version < p.MinAgreementVersion {
				continue
			}
		case CheckConfidentiality:
			if c.Version < p.MinConfidentialityVersion {
				continue
			}
		case CheckTraining:
			if t := c.Training; t != nil {
				if t.External && t.Recognition == nil {
					continue
				}
				// A refresher is due on CompletedOn + months: the day before is the last
				// valid one.
				if p.TrainingValidMonths > 0 && !t.CompletedOn.IsZero() &&
					t.CompletedOn.AddMonths(p.TrainingValidMonths).AddDays(-1).Before(least) {
					continue
				}
			}
		}
		if (c.Until.IsZero() || !c.Until.Before(least)) && (c.ExpiresAt.IsZero() || !c.ExpiresAt.Before(until)) {
			return true
		}
	}
	return false
}

// expiring reports whether a required check's last valid day (the date one nanosecond
// before its end) is at most days after date d (M9).
func (p CheckPolicy) expiring(checks []Check, d osallisuus.Date, days int) bool {
	limit := d.AddDays(days)
	for _, name := range p.required() {
		for i := range checks {
			if checks[i].Name != name {
				continue
			}
			end, ok := p.end(checks[i])
			if !ok || end.IsZero() {
				continue
			}
			if !osallisuus.DateOf(end.Add(-time.Nanosecond)).After(limit) {
				return true
			}
		}
	}
	return false
}

// LapsedAt returns the required checks not valid at instant t: as [CheckPolicy.Lapsed]
// for a span ending just after t (a check ending at t has lapsed at t).
func (p CheckPolicy) LapsedAt(checks []Check, t time.Time) []string {
	return p.Lapsed(checks, t.Add(time.Nanosecond))
}
