// Package expert keeps the register of experts by experience (kokemusasiantuntijat):
// people who bring their own or a close relative's experience of social and health care
// into development work, workshops, staff training and panels, as spec/expert.md
// describes.
//
// # Lifecycle and checks
//
// An [Expert] moves candidate → in-training → active ↔ paused → retired, or is rejected
// (spec §3). Being active needs every required [Check] (edellytys): training, the signed
// agreement (sopimus) and confidentiality commitment (vaitiolositoumus), consents asked
// through participation.ConsentChecker, and host checks. The state that matching, offers
// and acceptance use is derived ([Expert.Effective]): a lapsed check makes an expert
// paused(check-lapsed) at once, with the lapsed checks named, never silently, and
// [Expert.ReviewChecks] persists it and reminds of checks about to end.
//
// # Requests, matching and assignments
//
// A unit's [Request] (tilaus) asks for experts for one task. [Match] is the pure matching
// rule of spec §7: hard filters H1–H11 evaluated in full for every candidate, the included
// set (optionally with over-cap candidates ranked last), ranking by fair rotation (K1
// load, K2 preference, K3 perspective, K4 last assignment, K5 an FNV-1a hash so that ties
// rotate between requests) and an [Explanation] per candidate. Offers, acceptances,
// declines, withdrawals, cancellations and completion are the functions [Offer], [Accept],
// [Decline], [Withdraw], [Cancel] and [Complete] over a request and an expert; [Service]
// runs them in one [Store.Atomic] step, so concurrent acceptances never overfill a
// request, double-book an expert or pass a cap silently (X3–X5).
//
// # Fees and caps
//
// Money is integer euro cents. [Price] prices work with the [Schedule] version in force
// (spec §8, M10): task lines by basis (hourly, half day / day / overtime, per session,
// unpaid), preparation and travel time, mileage, receipts and the meal allowance; hourly
// lines round minutes up to the step and cents half up. Fee lines count toward the
// expert's own earnings caps (raja) by payment or work date (E12); [Level] gives ok,
// approaching or exceeds, and every operation that adds fees returns a [CapWarning]
// rather than passing a cap silently (E14).
//
// # The service
//
// [Service] is thin: Register, SetProfile, RecordCheck, Activate, Pause, Resume, Reject,
// Retire and ReviewChecks run the lifecycle; CreateRequest, OpenRequest, Match, Offer,
// Accept, Decline, Withdraw, Cancel, CancelRequest and Complete the work; DecidePayout,
// ApprovePayout, VoidPayout and PayPayout the money; RecordSession, RecordImpact,
// Totals and PoolFigures the rest. [PoolFigures] (spec §13) counts experts by state and
// the active ones by area, language, experience area and task type, with small-number
// suppression; [ExclusionReasons] and [FairnessOf] are the matching and fairness
// figures. Consent questions go through participation.ConsentChecker and the
// conflict-of-interest question through a host [ConflictChecker], both asked before the
// atomic step because a store may run it more than once.
//
// # Matching often
//
// [Match] builds a [Pool] from its candidates, matches and expands every explanation. A
// host that matches many requests against the same experts builds the pool once with
// [NewPool] (it interns area, language, experience and task-type codes into bit sets and
// flattens checks, commitments, caps and travel into arrays) and calls [Pool.Match] or
// [Pool.MatchInto] per request: that writes one compact [Verdict] per candidate
// (included, reasons, warnings; the rank and proposal by position) and computes the
// details of an [Explanation] only when [Matching.Explanation] asks for them. Matching
// 10,000 experts this way takes well under a millisecond on one core (E7). The pool is a
// snapshot: build a new one when an expert or a consent answer changes, and pass each
// unit's conflict answers in MatchInput.Conflicts.
//
// # Storage
//
// [Store] bundles small per-aggregate interfaces ([ExpertStore], [RequestStore],
// [ScheduleStore], [PayoutStore], [SessionStore]) and Atomic. The expert/memstore package
// is the reference implementation and expert/experttest the conformance suite and the
// scenario runners of spec §16.
//
// # GDPR export, erasure and retention
//
// [Service.ExportPersonalData] returns everything the package stores about one
// participant ([PersonalData]: their expert records, assignments, sessions and payouts);
// [Service.ErasePersonalData] retires them now (E3), blanks the profile and the other
// personal attributes at once and keeps IDs, dates and payout records;
// [Service.ApplyRetention] erases retired and rejected experts' profiles after
// Config.ProfileRetention (E3). Payout records are kept for Config.AccountingRetention
// after their payment year and never purged by the package.
//
// # Choices where the spec is open
//
//   - A task type without a rate in the schedule version in force is priced like an unpaid
//     one: no fee lines, expenses still paid.
//   - Request.Reserve is taken as written (0 is 0); [Service.CreateRequest] turns a
//     negative Reserve into the default 2.
//   - The zero [Payroll] is the default calendar (15th of the next month); a non-zero one
//     is taken as written with DayOfMonth 0 meaning 15.
//   - CheckPolicy.Required nil means the default set; an empty non-nil slice means none.
//   - Impact records live on their assignment (Assignment.Impact) rather than in a store of
//     their own: one record per done assignment, written with the request.
//   - Every count of people in [PoolFigures] is suppressed (state counts too), and a
//     check is expiring within N days when the latest end among the checks of a
//     required name falls after now and by the end of day today+N.
//   - LimitFeeToCap pays the fee lines in their order up to the headroom under the
//     strictest exceeded cap and marks the lines it cuts as waived.
//   - A check is valid at an instant t when it ends after t, and for a task when it ends at
//     or after the task's end (M2); Activate, Resume and ReviewChecks use the first.
//   - An offer past the request's OfferDeadline is expired (derived): it no longer holds a
//     place (M8's open) and cannot be accepted, but still counts for H11.
//   - In the scenario runners, a fee assignment with a task type outside the lists is
//     invalid (F2), like a request's; the taxonomy and taskTypes lists are read at the top
//     level and inside settings, as strings or {"code": ...} objects.
package expert
