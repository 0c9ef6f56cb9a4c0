// Package participation holds participants (osallistujat) and the consent (suostumus)
// engine every other package asks: who may act for whom, which consents were given,
// refused or withdrawn, and whether processing is allowed now.
//
// # Participants and representatives
//
// A [Participant] is anyone who takes part: a customer (asiakas), a relative (omainen), a
// potential customer or an official (viranhaltija); staff are participants too. The
// library needs no personal identity code (henkilötunnus), and the birth date is optional:
// without it a person counts as of age only when the host states so ([Participant.Adult]).
// [Participant.IsMinor] is the one rule every package uses for "is this person a minor".
//
// A [Representation] lets a guardian (huoltaja), a trustee (edunvalvoja) or a proxy
// (valtuutettu) act for a subject; a [MaturityAssessment] (kypsyysarvio) lets a minor
// decide a purpose alone.
//
// # Consent
//
// The host configures a [Policy] of purposes (käyttötarkoitukset). Consent events
// ([ConsentEvent]: grant, refuse, withdraw) are checked when recorded
// ([CheckConsentEvent]: structure first, then the actor's authority at the event's
// instant) and appended to an append-only ledger ([ConsentLedger]). [Decide] answers a
// [ConsentQuery] from the subject's events: a pure, deterministic function that
// explains itself ([ConsentDecision] names the deciding event, its evidence and the
// authority it was accepted under). The rules and their numbers (R1, D4, T6, ...) are
// those of the project's spec/consent.md; tests cite them. A host that decides at high
// rates from memory keeps a [Trail] per subject ([NewTrails] loads a whole ledger):
// 16 bytes per event, the same answers as Decide, about twice as fast.
//
// [Service] is the thin layer over the stores: it registers participants,
// representations and assessments, records events and implements [ConsentChecker], the
// small interface panel, expert and feedback depend on.
//
// # Stores
//
// [ParticipantStore], [RepresentationStore] and [ConsentLedger] are what a host
// implements (or takes from the memstore subpackage or the examples module's SQL stores);
// the participationtest subpackage's Run checks any implementation. A ledger may also
// implement [EventAppender], which lets CheckConsent load events without allocating.
//
// # Activities
//
// Co-development work beyond panels is modelled too (spec/activities.md):
// organisations with their sector (public, private, third) and units, development
// projects (kehittämishankkeet) with the date their plan was first written down, and
// activities (osallistumistavat: workshops, pilots, surveys, evaluations, council
// hearings, co-design, peer groups, meeting places) with a phase, a level of
// participation, languages (easy Finnish and sign language among them), places and a
// waitlist. Invitations and participation records ask consent in scope `activity:<key>`;
// outcomes (vaikutukset) record what changed. [ActivityService] runs the rules over an
// [ActivityStore]; the reports [EarlyInvolvement], [Coverage] and [NoOutcome] apply
// small-number suppression.
//
// # Time
//
// Dates, ages and day ranges are Helsinki dates of instants (osallisuus.DateOf); `until`
// dates are inclusive, `validUntil` instants exclusive, and a purpose's maximum duration
// ends at midnight after its last day.
//
// # Personal data: export, erasure, retention
//
// [Service.ExportPersonalData] returns everything the package stores about one person
// ([PersonalData]: the participant record, representations both ways, maturity
// assessments, consent events, the decisions at export time, activity records; GDPR Art
// 15 and 20). [Service.ErasePersonalData] (Art 17) blanks the participant's attributes
// and marks them erased (consent questions are then answered "erased", and nothing new is
// accepted for them), anonymises their activity records with a tombstone ID, and keeps
// the consent events, with the representations and assessments they cite, as the
// controller's proof under Art 7(1) until Config.ProofRetention (default three years)
// has passed; [Service.ApplyRetention] then purges that proof. The examples module's
// gdpr package combines this with the panel, expert and feedback packages' parts.
package participation
