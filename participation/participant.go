package participation

import (
	"time"

	"github.com/osallisuus/osallisuus"
)

// Kind is the kind of a participant.
type Kind string

// The participant kinds. Every actor is a participant, staff included (KindOfficial).
const (
	KindUnspecified       Kind = ""
	KindCustomer          Kind = "customer"           // asiakas: a service user
	KindRelative          Kind = "relative"           // omainen, läheinen: a relative or close person
	KindPotentialCustomer Kind = "potential-customer" // potentiaalinen asiakas
	KindOfficial          Kind = "official"           // viranhaltija, työntekijä: staff
)

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindCustomer, KindRelative, KindPotentialCustomer, KindOfficial:
		return true
	}
	return false
}

// Participant is a person who takes part (osallistuja): a customer, a relative, a
// potential customer or an official. It holds the least data the rules need: no name, no
// contact details and no personal identity code (henkilötunnus); the host keeps those in
// its own systems, keyed by ID.
type Participant struct {
	ID   osallisuus.ParticipantID `json:"id"`
	Kind Kind                     `json:"kind"`
	// BirthDate is optional (a potential customer may not give it). When it is unknown the
	// person counts as of age only if Adult is set (spec/consent.md §9).
	BirthDate osallisuus.Date `json:"birthDate,omitzero"`
	// Adult states, when BirthDate is unknown, that the host has checked the person is of
	// age (for example by strong identification). Ignored when BirthDate is set.
	Adult bool `json:"adult,omitzero"`
	// Language is the person's preferred language for messages: "fi", "sv" or "en" ("" is
	// unknown).
	Language  string    `json:"language,omitzero"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	// ErasedAt marks an erased participant (GDPR Art 17, [Service.ErasePersonalData]):
	// when the erasure ran; zero while not erased. An erased participant keeps only ID,
	// Kind (for counts by kind), CreatedAt and this marker: BirthDate, Adult and Language
	// are blank. Consent questions about them are answered "erased", and no new consent
	// event, representation or assessment is accepted for them.
	ErasedAt time.Time `json:"erasedAt,omitzero"`
	// ProofUntil is the last day the consent proof kept at erasure is kept: the
	// erasure's Helsinki date plus Config.ProofRetention (the last day of that period,
	// spec/consent.md T6); the retention job ([Service.ApplyRetention]) purges it from
	// the next day. Zero while not erased.
	ProofUntil osallisuus.Date `json:"proofUntil,omitzero"`
	// AnonymisedRecords is how many activity participation records the erasure cut from
	// the person (their Who replaced with a tombstone ID), so that erasing again reports
	// the same retained aggregate although nothing links those records to the ID any
	// more. Zero while not erased.
	AnonymisedRecords int `json:"anonymisedRecords,omitzero"`
	// Version counts saves: 1 after creation, +1 on every update.
	Version int64 `json:"version"`
}

// Validate checks the participant's fields; the error is a *osallisuus.ValidationError
// naming them.
func (p Participant) Validate() error {
	ve := &osallisuus.ValidationError{Op: "validate participant"}
	if p.ID.IsZero() {
		ve.Add("id", osallisuus.CodeRequired)
	}
	if !p.Kind.Valid() {
		ve.Add("kind", unknownOrRequired(string(p.Kind)))
	}
	if !p.BirthDate.IsZero() && !p.BirthDate.Valid() {
		ve.Add("birthDate", osallisuus.CodeFormat)
	}
	switch p.Language {
	case "", "fi", "sv", "en":
	default:
		ve.Add("language", osallisuus.CodeUnknown)
	}
	return ve.Err()
}

// Erased reports whether the participant's personal data was erased (ErasedAt is set).
func (p Participant) Erased() bool { return !p.ErasedAt.IsZero() }

// IsMinor reports whether the person is under 18 at t by the library's one rule
// (spec/consent.md §9): by birth date when known (T5), else a minor unless Adult is set.
func (p Participant) IsMinor(t time.Time) bool {
	return isMinor(p.BirthDate, p.Adult, t)
}

func isMinor(birth osallisuus.Date, adult bool, t time.Time) bool {
	if birth.IsZero() {
		return !adult
	}
	return osallisuus.AgeOn(birth, osallisuus.DateOf(t)) < 18
}

func unknownOrRequired(s string) osallisuus.Code {
	if s == "" {
		return osallisuus.CodeRequired
	}
	return osallisuus.CodeUnknown
}
