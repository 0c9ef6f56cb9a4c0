package peerbench

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// Answer is what every consent engine returns for one query: whether processing is
// allowed and, where the engine can say, the reason code of spec/consent.md §11 (Casbin
// answers allow or deny only, so its Reason is "").
type Answer struct {
	Allowed bool
	Reason  participation.Reason
}

// Library answers q with participation.Decide over the subject's events, taken from an
// in-memory index (the same path as participation's BenchmarkDecide).
func Library(p *participation.Policy, events map[osallisuus.ParticipantID][]participation.ConsentEvent,
	q participation.ConsentQuery) (Answer, error) {
	d, err := participation.Decide(p, events[q.Subject], q)
	return Answer{Allowed: d.Allowed, Reason: d.Reason}, err
}

// LibraryIndex is the library's in-memory index, the one BenchmarkConsent/osallisuus
// measures: a participation.Trail per subject, loaded from the ledger with
// participation.NewTrails (the same path as participation's BenchmarkDecide).
type LibraryIndex map[osallisuus.ParticipantID]participation.Trail

// NewLibraryIndex loads the events of subjects, in that order, into trails.
func NewLibraryIndex(events map[osallisuus.ParticipantID][]participation.ConsentEvent, subjects []osallisuus.ParticipantID) LibraryIndex {
	var all []participation.ConsentEvent
	for _, s := range subjects {
		all = append(all, events[s]...)
	}
	return participation.NewTrails(all)
}

// Decide answers q from the subject's trail.
func (x LibraryIndex) Decide(p *participation.Policy, q participation.ConsentQuery) (Answer, error) {
	d, err := x[q.Subject].Decide(p, q)
	return Answer{Allowed: d.Allowed, Reason: d.Reason}, err
}

// MapKey is the key of [MapEngine]: one query exactly.
type MapKey struct {
	Subject osallisuus.ParticipantID
	Purpose string
	Scope   string
	At      int64 // Unix nanoseconds
}

// KeyOf returns the map key of q.
func KeyOf(q participation.ConsentQuery) MapKey {
	return MapKey{Subject: q.Subject, Purpose: q.Purpose, Scope: q.Scope, At: q.At.UnixNano()}
}

// MapEngine is the floor: the answer of every known query precomputed (with the library)
// and looked up in a Go map. It answers only the queries it was built for, so it is a
// bound on lookup cost, not a consent engine.
type MapEngine map[MapKey]Answer

// NewMapEngine precomputes the answer of every query with the library.
func NewMapEngine(p *participation.Policy, events map[osallisuus.ParticipantID][]participation.ConsentEvent,
	queries []participation.ConsentQuery) (MapEngine, error) {
	m := make(MapEngine, len(queries))
	for _, q := range queries {
		a, err := Library(p, events, q)
		if err != nil {
			return nil, err
		}
		m[KeyOf(q)] = a
	}
	return m, nil
}

// Decide looks q up; ok is false for a query the map was not built for.
func (m MapEngine) Decide(q participation.ConsentQuery) (Answer, bool) {
	a, ok := m[KeyOf(q)]
	return a, ok
}

// consentRego is the Rego model of spec/consent.md §7 (D2–D7) that OPA evaluates.
//
//go:embed consent.rego
var consentRego string

// OPAEngine answers consent queries with an embedded Open Policy Agent: the Rego policy
// in consent.rego, prepared once, over data in OPA's in-memory store.
//
// The store holds, under data.policy.purposes, each purpose's basis, explicit flag and
// minimum notice version, and under data.subjects[subject ID], the subject's events in
// ledger order (the array index is the ledger position that breaks D4 ties). Each event
// carries its own facts: purpose, scope, action, method, notice version, and three
// instants as Unix nanoseconds (at, validUntil or 0, periodEnd or 0).
//
// What is precomputed in Go, and why: instants become Unix nanoseconds (Rego compares
// numbers, and an integration would store instants that way); periodEnd is the T6 end of
// the purpose's maxDuration after the event's at (osallisuus.Period.EndAfter: Helsinki
// calendar days, months clamped to the month's last day, midnight Helsinki time), computed
// when the event is stored, because Rego's time.add_date normalises (31 January + 1 month
// is 3 March) instead of clamping and has no Helsinki-midnight rounding. Unlike the
// library, which reads maxDuration at decision time (P3), this store must recompute
// periodEnd if the policy's maxDuration changes. Everything else — applicability (D3),
// the winner with denial-beats-grant at the same instant and ledger order (D4), the
// reasons (D5), the D6 checks in order and no fallback (D7) — is decided in Rego.
type OPAEngine struct {
	query rego.PreparedEvalQuery
}

// NewOPAEngine loads the policy and the events into an in-memory store (returning AST
// values on read, OPA's fastest read path) and prepares the decision query.
func NewOPAEngine(ctx context.Context, p *participation.Policy,
	events map[osallisuus.ParticipantID][]participation.ConsentEvent) (*OPAEngine, error) {
	purposes := map[string]any{}
	periods := map[string]osallisuus.Period{}
	for _, pu := range p.Purposes {
		basis := string(pu.Basis)
		if basis == "" {
			basis = string(participation.BasisConsent)
		}
		purposes[pu.Name] = map[string]any{"basis": basis, "explicit": pu.Explicit,
			"min_notice": json.Number(strconv.Itoa(pu.MinNoticeVersion))}
		if pu.MaxDuration != "" {
			per, err := osallisuus.ParsePeriod(pu.MaxDuration)
			if err != nil {
				return nil, err
			}
			periods[pu.Name] = per
		}
	}
	subjects := make(map[string]any, len(events))
	for subject, evs := range events {
		rows := make([]any, len(evs))
		for i, e := range evs {
			var periodEnd int64
			if per, ok := periods[e.Purpose]; ok && e.Action == participation.Grant {
				periodEnd = per.EndAfter(e.At).UnixNano()
			}
			rows[i] = map[string]any{
				"purpose": e.Purpose, "scope": e.Scope, "action": string(e.Action), "method": string(e.Method),
				"notice":      json.Number(strconv.Itoa(e.NoticeVersion)),
				"at":          nanos(e.At),
				"valid_until": nanos(e.ValidUntil),
				"period_end":  json.Number(strconv.FormatInt(periodEnd, 10)),
			}
		}
		subjects[subject.String()] = rows
	}
	store := inmem.NewFromObjectWithOpts(map[string]any{
		"policy":   map[string]any{"purposes": purposes},
		"subjects": subjects,
	}, inmem.OptReturnASTValuesOnRead(true))
	pq, err := rego.New(
		rego.Query("data.consent.decision"),
		rego.Module("consent.rego", consentRego),
		rego.Store(store),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare rego: %w", err)
	}
	return &OPAEngine{query: pq}, nil
}

// nanos is t as Unix nanoseconds in a JSON number, 0 for the zero time.
func nanos(t time.Time) json.Number {
	if t.IsZero() {
		return "0"
	}
	return json.Number(strconv.FormatInt(t.UnixNano(), 10))
}

// Decide evaluates the prepared query with q as input.
func (o *OPAEngine) Decide(ctx context.Context, q participation.ConsentQuery) (Answer, error) {
	rs, err := o.query.Eval(ctx, rego.EvalInput(map[string]any{
		"subject": q.Subject.String(),
		"purpose": q.Purpose,
		"scope":   q.Scope,
		"at":      q.At.UnixNano(),
	}))
	if err != nil {
		return Answer{}, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return Answer{}, fmt.Errorf("opa: undefined decision for %v", q)
	}
	obj, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return Answer{}, fmt.Errorf("opa: decision is %T", rs[0].Expressions[0].Value)
	}
	allowed, _ := obj["allowed"].(bool)
	reason, _ := obj["reason"].(string)
	return Answer{Allowed: allowed, Reason: participation.Reason(reason)}, nil
}

// casbinModel is a deny-override ABAC model over one row per consent event.
//
// A request is (subject, purpose, scope, at, minNotice, explicit): the caller adds the
// purpose's minimum notice version and explicit flag from the policy, as an integration
// would. A row is (subject, purpose, scope, at, validEnd, notice, oral, eft) with instants
// as 20-digit zero-padded Unix nanoseconds, so that the matcher's string comparisons are
// numeric ones. validEnd is the earlier of validUntil and the T6 period end (precomputed
// as for OPA), or all nines when neither is present. eft is "allow" for a grant and
// "deny" for a refusal or withdrawal.
//
// The matcher is evaluated for each row on its own, so it can express applicability
// (D3) and the D6 checks of one grant, but not "the latest applicable event wins" (D4,
// D7): Casbin has no ordering or aggregation over the rows that match. The effect
// allows when some applicable grant is valid and no applicable refusal or withdrawal
// exists — the deny-override reading. It agrees with the library exactly when the
// answer does not depend on which applicable event is the latest; see [CasbinFaithful].
const casbinModel = `
[request_definition]
r = sub, purpose, scope, at, minnotice, explicit

[policy_definition]
p = sub, purpose, scope, at, validend, notice, oral, eft

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = r.sub == p.sub && r.purpose == p.purpose && (p.scope == "" || p.scope == r.scope) && p.at <= r.at && (p.eft == "deny" || (r.at < p.validend && p.notice >= r.minnotice && !(r.explicit == "1" && p.oral == "1")))
`

// CasbinEngine answers consent queries with Casbin. Casbin evaluates the matcher on every
// row of an enforcer's policy for every request; with all 125,000 event rows in one
// enforcer a request takes tens of milliseconds, so, as the library gets an index of
// events by subject, Casbin gets one enforcer per subject holding that subject's rows
// (what a Casbin integration with filtered policy loading would keep in memory).
type CasbinEngine struct {
	policy     *participation.Policy
	enforcers  map[osallisuus.ParticipantID]*casbin.Enforcer
	allDenying *casbin.Enforcer // for subjects without events
}

// NewCasbinEngine builds one enforcer per subject from the events.
func NewCasbinEngine(p *participation.Policy, events map[osallisuus.ParticipantID][]participation.ConsentEvent) (*CasbinEngine, error) {
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		return nil, err
	}
	periods := map[string]osallisuus.Period{}
	for _, pu := range p.Purposes {
		if pu.MaxDuration != "" {
			per, err := osallisuus.ParsePeriod(pu.MaxDuration)
			if err != nil {
				return nil, err
			}
			periods[pu.Name] = per
		}
	}
	c := &CasbinEngine{policy: p, enforcers: make(map[osallisuus.ParticipantID]*casbin.Enforcer, len(events))}
	if c.allDenying, err = casbin.NewEnforcer(m.Copy()); err != nil {
		return nil, err
	}
	for subject, evs := range events {
		rows := make([][]string, 0, len(evs))
		for _, e := range evs {
			eft, end := "deny", ""
			if e.Action == participation.Grant {
				eft = "allow"
				end = CasbinValidEnd(e, periods[e.Purpose])
			}
			oral := "0"
			if e.Method == participation.Oral {
				oral = "1"
			}
			rows = append(rows, []string{subject.String(), e.Purpose, e.Scope, pad(e.At.UnixNano()), end,
				strconv.Itoa(e.NoticeVersion), oral, eft})
		}
		en, err := casbin.NewEnforcer(m.Copy())
		if err != nil {
			return nil, err
		}
		// Rows may repeat (same facts twice); Casbin refuses duplicates in AddPolicies,
		// and a duplicate changes no answer, so they are added one by one.
		for _, r := range rows {
			if _, err := en.AddPolicy(r); err != nil {
				return nil, err
			}
		}
		c.enforcers[subject] = en
	}
	return c, nil
}

// CasbinValidEnd is the row's validEnd: min(validUntil, periodEnd(at)) over the bounds
// present, zero-padded, or all nines when there is none.
func CasbinValidEnd(e participation.ConsentEvent, per osallisuus.Period) string {
	end := e.ValidUntil
	if !per.IsZero() {
		pe := per.EndAfter(e.At)
		if end.IsZero() || pe.Before(end) {
			end = pe
		}
	}
	if end.IsZero() {
		return "99999999999999999999"
	}
	return pad(end.UnixNano())
}

// pad formats n (≥ 0) in 20 digits, so that string order is numeric order.
func pad(n int64) string {
	s := strconv.FormatInt(n, 10)
	const zeros = "00000000000000000000"
	return zeros[:20-len(s)] + s
}

// Decide enforces q on the subject's enforcer.
func (c *CasbinEngine) Decide(q participation.ConsentQuery) (Answer, error) {
	pu, ok := c.policy.Purpose(q.Purpose)
	if !ok {
		return Answer{}, osallisuus.Invalid("purpose", osallisuus.CodeUnknown)
	}
	if pu.Basis == participation.BasisPublicTask {
		return Answer{Allowed: true}, nil
	}
	en := c.enforcers[q.Subject]
	if en == nil {
		en = c.allDenying
	}
	explicit := "0"
	if pu.Explicit {
		explicit = "1"
	}
	ok, err := en.Enforce(q.Subject.String(), q.Purpose, q.Scope, pad(q.At.UnixNano()),
		strconv.Itoa(pu.MinNoticeVersion), explicit)
	return Answer{Allowed: ok}, err
}

// CasbinFaithful reports whether the deny-override model can give the library's answer
// to q: true when the answer does not depend on the order of the applicable events (D3),
// that is, when every applicable event taken alone would be decided the same way (all
// allow, or none does). It is false exactly when a currently valid grant is applicable
// together with a refusal, a withdrawal or a grant that fails D6 (expired, outdated
// notice, oral on an explicit purpose): then only "which one is the latest" (D4, D7)
// decides, and a row-by-row matcher cannot see it.
func CasbinFaithful(p *participation.Policy, events []participation.ConsentEvent, q participation.ConsentQuery) (bool, error) {
	var allow, deny bool
	for i := range events {
		e := events[i : i+1]
		if e[0].Subject != q.Subject || e[0].Purpose != q.Purpose || e[0].At.After(q.At) ||
			(e[0].Scope != "" && e[0].Scope != q.Scope) {
			continue
		}
		d, err := participation.Decide(p, e, q)
		if err != nil {
			return false, err
		}
		if d.Allowed {
			allow = true
		} else {
			deny = true
		}
	}
	return !(allow && deny), nil
}
