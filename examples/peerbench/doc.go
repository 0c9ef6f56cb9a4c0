// Package peerbench runs the same consent, classification and redaction work through
// osallisuus and through the general tools a county would otherwise reach for, so that
// one `go test -bench` run on one machine shows how the library compares:
//
//   - BenchmarkConsent/{osallisuus,opa,casbin,map}: one decision per operation over
//     participationtest.SampleLedger(10_000, 1) (10,000 subjects × 3 purposes, one query
//     per subject and purpose), with participation.Decide, an embedded Open Policy Agent
//     ([OPAEngine], Rego in consent.rego), Casbin ([CasbinEngine], deny-override) and a
//     Go map of precomputed answers ([MapEngine], the floor).
//   - BenchmarkClassify/{osallisuus,regexp,ahocorasick}: the whole ~10 MB synthetic
//     fi/sv/en corpus of [Corpus] per operation, with feedback.Classify, one Go regexp
//     alternation of the lexicon ([RegexpClassifier]) and an Aho–Corasick automaton of
//     the lexicon ([ACClassifier], github.com/coregx/ahocorasick).
//   - BenchmarkRedact/{osallisuus,regexp}: the same corpus with feedback.Redact and a
//     regexp redactor of the same shapes ([RegexpRedactor]).
//
// run.sh runs them with -count 6 and prints benchstat tables and the ratios.
//
// # What the peers are given
//
// OPA gets the policy (basis, explicit flag, minimum notice version per purpose) and
// each subject's events in ledger order as data in its in-memory store; Rego decides
// applicability, the winner (latest; a refusal or withdrawal beats a grant at the same
// instant; then ledger order), the reasons and the D6 checks in order. Precomputed in Go:
// instants as Unix nanoseconds, and each grant's T6 period end (Rego cannot clamp month
// ends or round to Helsinki midnight).
//
// Casbin gets one row per event with that event's own facts (subject, purpose, scope, at,
// the earlier of validUntil and the T6 period end, notice version, oral or not, and allow
// for a grant or deny for a refusal or withdrawal) and a matcher and deny-override effect.
// A matcher sees one row at a time, so Casbin cannot express "the latest applicable event
// decides" (D4) nor "no fallback to an older grant" (D7): it answers as the library does
// exactly when the applicable events would all be decided alike, and the agreement test
// checks it only there ([CasbinFaithful]); on the generated sample that is about two
// thirds of the queries, and Casbin is wrong on about half of the rest. Casbin scans
// every row of an enforcer per request, so it gets one enforcer per subject, as the
// library gets an index of events by subject.
//
// The regexp and Aho–Corasick classifiers only find lexicon cues (labels of the matched
// entries); feedback.Classify also detects the language, handles negation, questions and
// the decision rules, so they are a lower bound on what a classifier built on them costs.
package peerbench
