# Consent decisions of spec/consent.md §7 (D2–D7) in Rego, for the peer benchmark.
#
# input: {"subject": ID, "purpose": name, "scope": "" or "kind:id", "at": Unix ns}
# data.policy.purposes[name]: {"basis", "explicit", "min_notice"}
# data.subjects[ID]: the subject's events in ledger order, each
#   {"purpose", "scope", "action", "method", "notice", "at", "valid_until", "period_end"}
#   with instants as Unix nanoseconds and 0 for an absent bound; period_end is the T6 end
#   of the purpose's maxDuration, precomputed when the event is stored.
package consent

import rego.v1

purpose := data.policy.purposes[input.purpose]

events := data.subjects[input.subject]

# D3: same purpose, at <= t, scope equal to the query's or global.
applicable contains i if {
	some i, e in events
	e.purpose == input.purpose
	e.at <= input.at
	visible(e.scope)
}

visible(s) if s == ""

visible(s) if s == input.scope

denies(a) if a == "refuse"

denies(a) if a == "withdraw"

# D4: the latest instant; at that instant a denial beats a grant; then the later ledger
# position (the array index).
latest := max({events[i].at | some i in applicable})

tied := {i | some i in applicable; events[i].at == latest}

tied_denials := {i | some i in tied; denies(events[i].action)}

winner := max(tied_denials) if count(tied_denials) > 0

winner := max(tied) if count(tied_denials) == 0

# D5, D6 (in order), D7 (the winner alone decides).
verdict(e) := {"allowed": false, "reason": "refused"} if e.action == "refuse"

verdict(e) := {"allowed": false, "reason": "withdrawn"} if e.action == "withdraw"

verdict(e) := grant_verdict(e) if e.action == "grant"

grant_verdict(e) := {"allowed": false, "reason": "expired"} if {
	expired(e)
} else := {"allowed": false, "reason": "notice-outdated"} if {
	e.notice < purpose.min_notice
} else := {"allowed": false, "reason": "not-explicit"} if {
	purpose.explicit
	e.method == "oral"
} else := {"allowed": true, "reason": "granted"}

expired(e) if {
	e.valid_until > 0
	input.at >= e.valid_until
}

expired(e) if {
	e.period_end > 0
	input.at >= e.period_end
}

# D2, then the winner's verdict, else D5 no-consent.
default decision := {"allowed": false, "reason": "no-consent"}

decision := {"allowed": true, "reason": "not-required"} if {
	purpose.basis == "public-task"
} else := d if {
	d := verdict(events[winner])
}
