// Package panel runs customer panels (asiakasraadit) and statutory councils
// (vanhusneuvosto, vammaisneuvosto, nuorisovaltuusto): open, voluntary groups of service
// users and officials that take part in planning, producing and evaluating social and
// health services, and the councils the Act on wellbeing services counties (611/2021)
// §32 requires. It follows spec/panel.md and spec/councils.md.
//
// # Model
//
// A [Panel] is the aggregate root: its [Config] (seat types and quotas, waitlist, terms,
// roles, quorum rule, answer period, suppression threshold) and its whole roster of
// [Membership] records, waitlist included, so one atomic update keeps capacity, the one
// chair and one-membership-per-person invariants under concurrent joins. Meetings
// ([Meeting]), proposals ([Proposal]) and open calls ([Call]) are aggregates of their
// own that refer to their panel.
//
// # Functional core, thin service
//
// Rules are methods and functions on values that take the instant now and never do I/O:
// [Panel.Join], [Panel.Leave], [Panel.Accept], [Panel.Appoint], [Panel.Assign],
// [Panel.Renew], [Panel.ReviewConsents], [Panel.Settle], [ComputeQuorum], [Submit],
// [Call.Select], [Panel.Report] and the rest. Consent decisions reach them as values in
// [Consents]; when a rule needs one it was not given, it returns a [*NeedConsentError]
// and the caller asks and runs it again. [Service] loads, asks
// participation.ConsentChecker and the host's [EligibilityChecker], applies the rules and
// saves in one Update; it is what hosts call.
//
// # Derived transitions
//
// Nothing runs in the background. Every operation first applies what fell due since the
// last one, in time order, each at its own instant ([Panel.Settle]): a temporary panel
// closing at its end date, terms ending, offers expiring, and freed seats offered to the
// next person waiting. Dates and deadlines are Europe/Helsinki calendar days.
//
// # Errors
//
// Bad input is a *osallisuus.ValidationError naming fields (ErrInvalid); refusals are
// *osallisuus.RuleError values of kind ErrConflict (wrong state, with the state as
// reason), ErrForbidden (no consent, ineligible, not allowed) or ErrCapacity (no seat),
// carrying the reason codes of spec/panel.md §12.4. A failed operation changes nothing.
// Leaving is never refused (rule P1).
//
// # Storage
//
// [Store] embeds [PanelStore], [MeetingStore], [ProposalStore] and [CallStore], and
// adds [Store.Atomic] for the one operation that changes two aggregates (an open call's
// selection: the call and its panel's roster), which commits both or neither; package
// memstore is the reference implementation and package paneltest has the conformance
// suite (Run) every implementation passes, and the scenario runner behind the
// `osallisuus panel eval` command.
//
// # Personal data: export, erasure, retention
//
// [Service.ExportPersonalData] returns what the panels hold about one person
// ([PersonalData]: memberships, applications, attendance, approvals, recorded assents,
// pending events). [Service.ErasePersonalData] ends a live membership now as an ordinary
// leave, deletes waitlist places, offers and undecided applications, and keeps past
// memberships, attendance and selected calls' applications for the panel's counts under
// a fresh tombstone ID per panel with the personal attributes blanked (rule P20).
// [Service.ApplyRetention] purges the applications of finished calls after
// ServiceConfig.ApplicationRetention (default one year).
package panel
