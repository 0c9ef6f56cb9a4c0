// Package fhir exchanges consent (suostumus) with other systems as HL7 FHIR R5 (5.0.0)
// Consent resources, and gives a person a consent receipt (suostumuskuitti).
//
// Counties run many systems; a consent recorded in osallisuus must travel to them and
// back. The package is hand-written structs over encoding/json, with no FHIR library:
// it writes and reads exactly the Consent profile of the project's spec/consent.md §8
// (E2), checked against HL7's R5 definition (cardinalities, data types, required
// bindings).
//
// # Export
//
// [Export] turns a subject's ledger events into one Consent per (purpose, scope) pair,
// each the [participation.Decide] answer for that pair at an instant: status
// active/inactive, decision permit/deny, period, grantor (Patient when the subject acted,
// RelatedPerson for a guardian, trustee or proxy), grantee (the host organisation),
// policyBasis with the privacy notice version, verification for oral consent, and the
// purpose as a provision Coding. [Options] name the identifier and code systems, the
// grantee and the notice URL; each has a documented default, so no system or value is
// ever empty.
//
// # Import
//
// [Import] maps such resources (one, a JSON array, or a Bundle) back to ledger events, to
// be recorded through [participation.Service.Record] like any other event. It is all or
// nothing: what it cannot map without losing meaning (a literal reference to a server's
// Patient, a nested provision, an actor, an unknown purpose code, an element R5 does not
// define) is a *osallisuus.ValidationError naming the JSON path of the first such thing,
// and no event is returned. Export, import and export again give the same resources.
//
// # Receipt
//
// [NewReceipt] builds the proof a person gets of one act of consent (GDPR Art 7(1)):
// controller, purposes, notice version and SHA-256 hash, method, time and how to
// withdraw (Art 7(3)); [Receipt.Text] renders it in Finnish, Swedish or English.
//
// # Concurrency
//
// Every function is pure and safe for concurrent use; Options are read, never kept.
package fhir
