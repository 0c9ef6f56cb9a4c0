// Package gdpr combines the library's packages into the data-subject rights of the GDPR
// for one participant (rekisteröidyn oikeudet): the right of access and portability
// (Art 15 and 20) as one JSON document, erasure (Art 17) as one operation, and the
// retention job that applies the county's periods.
//
// Each domain package handles its own data (DESIGN.md): participation, panel, expert and
// feedback each have ExportPersonalData, ErasePersonalData and ApplyRetention on their
// Service. This package calls them in a fixed order and puts the parts together; a host
// with other systems adds theirs beside it.
//
// # The document
//
// [Export] returns a [Document]: the schema name ([SchemaID]), the subject, the export
// time and one member per package ("participation", "panel", "expert", "feedback"),
// each the package's PersonalData with every list present (empty, never null). [Schema]
// is its JSON Schema, generated from the Go types with their doc comments as
// descriptions, so every member is documented where its type is; [Validate] checks a
// document against it. The command prints it: osallisuus participant schema.
//
// # Erasure
//
// [Erase] runs, in order: the cancellation of the person's activity registrations (when
// [Services.Activities] is given), panel (a live membership ends as a leave; past seats
// stay for counts under a tombstone ID), expert (retired now; profile blanked; payouts
// kept for the accounting period), feedback (contacts deleted; sender and respondent
// links cut; the redacted texts and the answers metrics count are kept), and
// participation last (attributes blanked, the person marked erased so that every later
// consent question is answered "erased"; the consent events kept as the Art 7(1) proof
// until the county's proof period ends). Every package reports what it erased and what it
// keeps, on which basis ([osallisuus.RetentionBasis]) and until when.
//
// Erasure is idempotent (a second run erases nothing) and re-runnable: each package's
// step is atomic per aggregate, so after a failure running Erase again finishes the job.
//
// # Retention
//
// [ApplyRetention] runs every package's retention job with its county-configured
// periods: participation purges erased people's consent proof after
// participation.Config.ProofRetention (default three years), panel the applications of
// finished calls after panel.ServiceConfig.ApplicationRetention (one year), expert the
// profiles of retired experts after expert.Config.ProfileRetention (one year), and
// feedback the contacts after their retention date (Config.ContactRetentionDays, 365
// days). Run it daily; it is idempotent.
package gdpr
