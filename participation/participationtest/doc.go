// Package participationtest checks implementations of the participation stores and runs
// the consent scenarios of the specification.
//
//   - [Run] is the conformance suite: any implementation of participation.Store (the
//     memstore reference, the examples module's SQLite and PostgreSQL stores, a host's own)
//     calls it from a test with a factory of empty stores, and it checks every documented
//     behaviour, concurrent writers included.
//   - [EvalConsentScenario] evaluates one consent scenario (spec/consent.md §10) and writes
//     its JSON Lines (§11); [RunConsentScenarios] runs a folder of scenarios against their
//     .want.jsonl files through the given stores.
//   - [RunActivities] is the conformance suite of the activity stores, and
//     [EvalActivityScenario] and [RunActivityScenarios] run the activity scenarios of
//     spec/activities.md the same way.
//   - [SampleLedger] generates a realistic consent ledger, so that every store and every
//     engine compared with the library is measured on the same data.
//   - [ConsentSections], [DecodeStrict] and [World] are what the panel and activities
//     runners reuse: the consent part of a scenario file, strict JSON decoding with field
//     paths, and the registered participants with their participation service.
//
// Like net/http/httptest, this is non-test code: it uses only the standard library and
// the core module, so host test suites can import it.
package participationtest
