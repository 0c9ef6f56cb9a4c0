package participation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osallisuus/osallisuus"
)

// Outcome (vaikutus) records what changed because of an activity (A9): a text in
// Finnish, Swedish or English, the date of the change, and optional opaque references to
// panel proposals and feedback themes (the host's or the other packages' ids).
type Outcome struct {
	ID       OutcomeID       `json:"id"`
	Activity ActivityID      `json:"activity"`
	Text     osallisuus.Text `json:"text"`
	// On is the date of the change: not before the activity's Start, not after the day
	// it was recorded.
	On        osallisuus.Date `json:"on"`
	Proposals []string        `json:"proposals,omitzero"`
	Themes    []string        `json:"themes,omitzero"`
	CreatedAt time.Time       `json:"createdAt,omitzero"`
	Version   int64           `json:"version"`
}

// Clone returns a deep copy of o.
func (o Outcome) Clone() Outcome {
	o.Proposals = slices.Clone(o.Proposals)
	o.Themes = slices.Clone(o.Themes)
	return o
}

// Validate checks the outcome's own values: some non-blank text, a real date if set, no
// blank reference. The error is a *osallisuus.ValidationError naming the fields.
func (o Outcome) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate outcome"}
	if strings.TrimSpace(o.Text.FI) == "" && strings.TrimSpace(o.Text.SV) == "" && strings.TrimSpace(o.Text.EN) == "" {
		ve.Add("text", osallisuus.CodeRequired)
	}
	if !o.On.IsZero() && !o.On.Valid() {
		ve.Add("on", osallisuus.CodeFormat)
	}
	for i, p := range o.Proposals {
		if strings.TrimSpace(p) == "" {
			ve.Add(fmt.Sprintf("proposals[%d]", i), osallisuus.CodeRequired)
		}
	}
	for i, t := range o.Themes {
		if strings.TrimSpace(t) == "" {
			ve.Add(fmt.Sprintf("themes[%d]", i), osallisuus.CodeRequired)
		}
	}
	return ve.Err()
}

// CheckOutcome decides recording o for activity a at now (A9) and returns it with On
// resolved (zero: today). Checks: [Outcome.Validate], then On before a's Start or after
// today (ErrInvalid "on"). Pure.
func CheckOutcome(a Activity, o Outcome, now time.Time) (Outcome, error) {
	if err := o.Validate(); err != nil {
		return Outcome{}, err
	}
	today := osallisuus.DateOf(now)
	if o.On.IsZero() {
		o.On = today
	}
	if o.On.Before(a.Start) || o.On.After(today) {
		return Outcome{}, &osallisuus.ValidationError{Op: "record outcome", Problems: []osallisuus.Problem{{Field: "on",
			Code: osallisuus.CodeOutOfRange, Params: map[string]any{"min": a.Start.String(), "max": today.String()}}}}
	}
	o.Activity = a.ID
	return o.Clone(), nil
}
