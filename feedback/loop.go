package feedback

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/osallisuus/osallisuus"
)

// SummaryID identifies a loop summary.
type SummaryID struct{ uuid.UUID }

// IsZero reports whether id is unset.
func (id SummaryID) IsZero() bool { return id.UUID == uuid.Nil }

// LoopStatus is how far the change a loop summary reports has got.
type LoopStatus string

// The statuses.
const (
	LoopPlanned    LoopStatus = "planned"     // suunniteltu
	LoopInProgress LoopStatus = "in-progress" // käynnissä
	LoopDone       LoopStatus = "done"        // tehty
)

// Valid reports whether s is one of the statuses.
func (s LoopStatus) Valid() bool { return s == LoopPlanned || s == LoopInProgress || s == LoopDone }

// LoopSummary closes the loop: "you said, we did" (te sanoitte, me teimme; ni sade, vi
// gjorde), what customers said on some themes and what the service changed (§6).
type LoopSummary struct {
	ID        SummaryID       `json:"id"`
	Period    string          `json:"period"` // a period label such as "2026-Q1"
	UnitCodes []string        `json:"unitCodes"`
	Themes    []string        `json:"themes"` // at least one, from Themes
	Said      osallisuus.Text `json:"said"`
	Did       osallisuus.Text `json:"did"`
	Status    LoopStatus      `json:"status"`
	// Linked are the feedback the summary answers; the published count is len(Linked).
	Linked      []ID      `json:"linked"`
	PublishedAt time.Time `json:"publishedAt,omitzero"`
	Version     int64     `json:"version"`
}

// ReasonPersonalData refuses to publish a summary whose text the redactor would change.
const ReasonPersonalData osallisuus.Reason = "personal-data"

// Validate returns a *osallisuus.ValidationError naming every problem of s.
func (s LoopSummary) Validate() error {
	ve := &osallisuus.ValidationError{Op: "loop summary"}
	if s.Period == "" {
		ve.Add("period", osallisuus.CodeRequired)
	}
	if len(s.Themes) == 0 {
		ve.Add("themes", osallisuus.CodeRequired)
	}
	for i, th := range s.Themes {
		if !slices.Contains(Themes[:], th) {
			ve.Add(fmt.Sprintf("themes[%d]", i), osallisuus.CodeUnknown)
		}
	}
	if s.Said.IsZero() {
		ve.Add("said", osallisuus.CodeRequired)
	}
	if s.Did.IsZero() {
		ve.Add("did", osallisuus.CodeRequired)
	}
	if !s.Status.Valid() {
		ve.Add("status", osallisuus.CodeUnknown)
	}
	return ve.Err()
}

// Publish returns s published at now (§6): the summary must be valid, and none of its
// six texts may hold anything the redactor would remove (a *osallisuus.RuleError of kind
// ErrForbidden with ReasonPersonalData otherwise). opts are the host's redaction options.
func Publish(s LoopSummary, opts RedactOptions, now time.Time) (LoopSummary, error) {
	if err := s.Validate(); err != nil {
		return LoopSummary{}, err
	}
	for _, txt := range []string{s.Said.FI, s.Said.SV, s.Said.EN, s.Did.FI, s.Did.SV, s.Did.EN} {
		if _, spans := Redact(txt, opts); len(spans) > 0 {
			return LoopSummary{}, &osallisuus.RuleError{Op: "publish loop summary", Kind: osallisuus.ErrForbidden,
				Reasons: []osallisuus.Reason{ReasonPersonalData}}
		}
	}
	s.PublishedAt = now.UTC()
	return s, nil
}

// LinkedCount returns how many feedback items s answers as a reader sees it: the number,
// or "fewer than k" (fi "alle k", sv "färre än k") when below the suppression threshold
// k (§7.5; k < 1 means DefaultThreshold).
func (s LoopSummary) LinkedCount(k int, lang string) string {
	if k < 1 {
		k = DefaultThreshold
	}
	n := len(s.Linked)
	if n >= k {
		return fmt.Sprint(n)
	}
	switch strings.ToLower(lang) {
	case "fi":
		return fmt.Sprintf("alle %d", k)
	case "sv":
		return fmt.Sprintf("färre än %d", k)
	}
	return fmt.Sprintf("fewer than %d", k)
}
