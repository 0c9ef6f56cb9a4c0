// Package osallisuus is the shared kernel of a library for customer participation
// (asiakasosallisuus) in Finnish social and health care, and the overview of the whole
// library.
//
// Wellbeing services counties (hyvinvointialueet) and cities must let customers, their
// relatives and potential customers take part in planning, producing, developing and
// evaluating services. The library gives Go services the domain logic for that: pure
// rules, thin services and small storage interfaces that host applications implement.
//
// # Packages
//
//   - [github.com/osallisuus/osallisuus/participation]: participants, representatives
//     (guardian/huoltaja, trustee/edunvalvoja, proxy/valtuutettu), maturity assessments
//     (kypsyysarvio), the append-only consent (suostumus) ledger and the consent decision;
//     organisations, development projects and co-development activities with their
//     reports. Its ConsentChecker is the one consent question every other package asks.
//   - [github.com/osallisuus/osallisuus/participation/fhir]: consent as HL7 FHIR R5
//     Consent resources, and consent receipts.
//   - [github.com/osallisuus/osallisuus/panel]: customer panels (asiakasraadit) and
//     statutory councils.
//   - [github.com/osallisuus/osallisuus/expert]: experts by experience
//     (kokemusasiantuntijat): lifecycle, matching, fees.
//   - [github.com/osallisuus/osallisuus/feedback]: customer feedback (asiakaspalaute):
//     intake, classification, redaction, deadlines, workflow, surveys and their metrics,
//     the service promise (palvelulupaus).
//
// Each domain package has a memstore subpackage (an in-memory Store, the reference
// implementation) and a ...test subpackage with the conformance suite every Store
// implementation runs. Real SQLite and PostgreSQL stores, side-by-side benchmarks and the
// runnable program (a tour of the library and the scenario commands) live in the separate
// examples module.
//
// # The kernel
//
// This root package holds what every package shares:
//
//   - Error kinds [ErrNotFound], [ErrConflict], [ErrInvalid], [ErrForbidden] and
//     [ErrCapacity]. Every error the library returns matches at most one under errors.Is.
//     [*ValidationError] lists field problems (JSON path and [Code]); [*RuleError] is a
//     refusal of valid input with reason codes and an optional detail. [Localize] renders
//     either in Finnish, Swedish or English from an explicit x/text catalog.
//   - [Clock]: services read time from one; rules take `now` explicitly.
//   - [Date], a calendar date without time (JSON "YYYY-MM-DD"), and [DateOf], the Helsinki
//     date of an instant. Dates, ages and deadlines are computed in Europe/Helsinki and
//     instants are stored in UTC. [ParseInstant] parses RFC 3339 strictly; [Period] is an
//     ISO 8601 calendar period.
//   - [ParticipantID], the one participant ID type, a version 7 UUID.
//   - [Text], a name or description in Finnish, Swedish and English.
//
// The library keeps no global state, starts no goroutines, does no I/O of its own and
// never logs. It needs no personal identity code (henkilötunnus) to let anyone take part.
package osallisuus
