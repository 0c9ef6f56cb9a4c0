package osallisuus

import "time"

// GDPR data-subject rights are an operation of each domain package on its own data
// (DESIGN.md): participation, panel, expert and feedback each export what they store about
// one participant and erase it, and the host (or the examples module) combines the parts.
// The types in this file are the vocabulary the packages share for that.

// ErasureReport tells what one package's erasure of one participant did (GDPR Art 17,
// oikeus tulla unohdetuksi): what it blanked or deleted now, and what it keeps, on which
// basis and until when. Erasure is idempotent: erasing again changes nothing and reports
// an empty Erased. Retained lists what the package keeps that it can still count for the
// person: a package that kept rows by cutting the person's ID from them (a tombstone or a
// blank link) may list them only the first time, so a host keeps the first report.
type ErasureReport struct {
	// Package is the domain package that erased: "participation", "panel", "expert" or
	// "feedback".
	Package string `json:"package"`
	// Subject is the participant whose data was erased.
	Subject ParticipantID `json:"subject"`
	// At is when the erasure ran (the service's clock).
	At time.Time `json:"at"`
	// Erased counts what this call blanked or deleted, by kind; empty when nothing was
	// left to erase.
	Erased []ItemCount `json:"erased"`
	// Retained lists what the package keeps after erasure and why.
	Retained []Retained `json:"retained"`
}

// ItemCount is a number of items of one kind, such as {"consent-events", 4}. Kinds are
// short kebab-case names that the package documents.
type ItemCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// Retained is data kept after an erasure (säilytettävä tieto): of which kind, how many
// items, on which basis, and until which day (zero when the data is not personal data and
// is kept without limit, such as an anonymous count).
type Retained struct {
	Kind  string         `json:"kind"`
	Count int            `json:"count"`
	Basis RetentionBasis `json:"basis"`
	Until Date           `json:"until,omitzero"`
}

// RetentionBasis is why data outlives an erasure.
type RetentionBasis string

// The retention bases.
const (
	// BasisConsentProof: the minimum evidence that consent was given, which the controller
	// must be able to show (GDPR Art 7(1)); kept for the county's proof period, then purged
	// by the retention job.
	BasisConsentProof RetentionBasis = "consent-proof"
	// BasisAccounting: fee and payout records the county must keep under accounting law
	// (kirjanpitolaki 1336/1997, 2:10 §).
	BasisAccounting RetentionBasis = "accounting"
	// BasisAggregate: counts and statistics with the person's identity removed (GDPR
	// Recital 26: anonymous data is not personal data).
	BasisAggregate RetentionBasis = "aggregate"
	// BasisRedacted: texts from which personal data was already removed (feedback redacted
	// on intake), kept anonymously.
	BasisRedacted RetentionBasis = "redacted"
)

// RetentionReport tells what one run of a package's retention job purged (säilytysajan
// päättyminen): items whose county-configured retention period had ended at At.
type RetentionReport struct {
	Package string      `json:"package"`
	At      time.Time   `json:"at"`
	Purged  []ItemCount `json:"purged"`
}
