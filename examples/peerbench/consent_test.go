package peerbench_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/peerbench"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// TestConsentEnginesAgree runs every query of a 300-subject sample through the library
// (Decide on the events, and the trails BenchmarkConsent measures), OPA, Casbin and the
// map. The library, OPA and the map must give the same allowed flag
// and reason on every query. Casbin answers allow/deny only and is checked on the
// queries where its deny-override model can be faithful (peerbench.CasbinFaithful): it
// excludes exactly the queries whose applicable events mix a currently valid grant with
// a refusal, a withdrawal or a grant failing D6, where only the order of the events
// (D4 latest wins, D7 no fallback) decides.
func TestConsentEnginesAgree(t *testing.T) {
	s := participationtest.SampleLedger(300, 7)
	ctx := t.Context()
	opa, err := peerbench.NewOPAEngine(ctx, s.Policy, s.Events)
	require.NoError(t, err)
	cb, err := peerbench.NewCasbinEngine(s.Policy, s.Events)
	require.NoError(t, err)
	m, err := peerbench.NewMapEngine(s.Policy, s.Events, s.Queries)
	require.NoError(t, err)
	index := peerbench.NewLibraryIndex(s.Events, s.Subjects)

	reasons := map[string]int{}
	faithful, casbinWrongOutside := 0, 0
	for _, q := range s.Queries {
		lib, err := peerbench.Library(s.Policy, s.Events, q)
		require.NoError(t, err)
		reasons[string(lib.Reason)]++

		indexed, err := index.Decide(s.Policy, q)
		require.NoError(t, err)
		assert.Equal(t, lib, indexed, "the library's index on %+v", q)

		got, err := opa.Decide(ctx, q)
		require.NoError(t, err)
		assert.Equal(t, lib, got, "opa on %+v", q)

		mapped, ok := m.Decide(q)
		require.True(t, ok)
		assert.Equal(t, lib, mapped, "map on %+v", q)

		cba, err := cb.Decide(q)
		require.NoError(t, err)
		fair, err := peerbench.CasbinFaithful(s.Policy, s.Events[q.Subject], q)
		require.NoError(t, err)
		if fair {
			faithful++
			assert.Equal(t, lib.Allowed, cba.Allowed, "casbin on %+v (%s)", q, lib.Reason)
		} else if cba.Allowed != lib.Allowed {
			casbinWrongOutside++
		}
	}
	t.Logf("reasons %v; casbin checked on %d of %d queries, wrong on %d of the %d excluded",
		reasons, faithful, len(s.Queries), casbinWrongOutside, len(s.Queries)-faithful)
	// The sample must exercise the rules, or agreement means little.
	for _, r := range []string{"granted", "no-consent", "refused", "withdrawn", "expired", "notice-outdated", "not-explicit"} {
		assert.Positive(t, reasons[r], "sample has no %s answer", r)
	}
	assert.Greater(t, faithful, len(s.Queries)/4, "casbin is checked on too few queries")
}

// TestConsentEnginesAgreeOnTraps checks the engines on hand-built ledgers for the rules
// the generated sample rarely or never reaches: a denial and a grant at the same instant
// (D4), a scoped grant not seen by a global query (D3), a period end clamped at a month's
// end (T6), a validUntil earlier than the period end, and a public-task purpose (D2).
func TestConsentEnginesAgreeOnTraps(t *testing.T) {
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", MaxDuration: "P1M", MinNoticeVersion: 1},
		{Name: "health-data", Explicit: true},
		{Name: "statistics", Basis: participation.BasisPublicTask},
	}}
	require.NoError(t, policy.Validate())
	subject := osallisuus.ParticipantID{UUID: uuid.MustParse("0190a000-0000-7000-8000-000000000001")}
	at := func(s string) time.Time {
		v, err := osallisuus.ParseInstant(s)
		require.NoError(t, err)
		return v
	}
	ev := func(seq int64, when, purpose, scope string, a participation.Action, m participation.Method) participation.ConsentEvent {
		return participation.ConsentEvent{Seq: seq, At: at(when), Subject: subject, By: subject, Purpose: purpose,
			Scope: scope, Action: a, Method: m, NoticeVersion: 1}
	}
	vu := ev(6, "2026-03-01T12:00:00+02:00", "health-data", "panel:north", participation.Grant, participation.Written)
	vu.ValidUntil = at("2026-03-10T00:00:00+02:00")
	events := map[osallisuus.ParticipantID][]participation.ConsentEvent{subject: {
		ev(1, "2026-01-31T10:00:00+02:00", "contact", "", participation.Grant, participation.Electronic),
		ev(2, "2026-02-10T10:00:00+02:00", "contact", "panel:north", participation.Withdraw, participation.Electronic),
		ev(3, "2026-02-20T10:00:00+02:00", "health-data", "", participation.Withdraw, participation.Electronic),
		ev(4, "2026-02-20T10:00:00+02:00", "health-data", "", participation.Grant, participation.Written),
		ev(5, "2026-02-25T10:00:00+02:00", "health-data", "panel:south", participation.Grant, participation.Oral),
		vu,
	}}
	tests := []struct {
		name, purpose, scope, at string
		want                     participation.Reason
	}{
		{"a global grant holds for a global query before its period ends", "contact", "", "2026-02-27T23:59:59+02:00", participation.ReasonGranted},
		{"a one-month period from 31 January ends after 28 February", "contact", "", "2026-02-28T23:59:59+02:00", participation.ReasonGranted},
		{"the clamped period ends at midnight Helsinki time on 1 March", "contact", "", "2026-03-01T00:00:00+02:00", participation.ReasonExpired},
		{"a scoped withdrawal is not seen by a global query", "contact", "", "2026-02-11T00:00:00+02:00", participation.ReasonGranted},
		{"a scoped withdrawal is seen by its scope's query", "contact", "panel:north", "2026-02-11T00:00:00+02:00", participation.ReasonWithdrawn},
		{"a withdrawal beats a grant at the same instant", "health-data", "", "2026-02-20T10:00:00+02:00", participation.ReasonWithdrawn},
		{"an oral grant on an explicit purpose is not explicit", "health-data", "panel:south", "2026-02-26T00:00:00+02:00", participation.ReasonNotExplicit},
		{"a scoped written grant holds until its validUntil", "health-data", "panel:north", "2026-03-09T23:59:59+02:00", participation.ReasonGranted},
		{"validUntil is exclusive", "health-data", "panel:north", "2026-03-10T00:00:00+02:00", participation.ReasonExpired},
		{"nothing before the first event is no consent", "contact", "", "2026-01-01T00:00:00+02:00", participation.ReasonNoConsent},
		{"a public-task purpose needs no consent", "statistics", "", "2026-02-01T00:00:00+02:00", participation.ReasonNotRequired},
	}
	ctx := t.Context()
	opa, err := peerbench.NewOPAEngine(ctx, policy, events)
	require.NoError(t, err)
	cb, err := peerbench.NewCasbinEngine(policy, events)
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := participation.ConsentQuery{Subject: subject, Purpose: tt.purpose, Scope: tt.scope, At: at(tt.at)}
			lib, err := peerbench.Library(policy, events, q)
			require.NoError(t, err)
			require.Equal(t, tt.want, lib.Reason)
			got, err := opa.Decide(ctx, q)
			require.NoError(t, err)
			assert.Equal(t, lib, got, "opa")
			m, err := peerbench.NewMapEngine(policy, events, []participation.ConsentQuery{q})
			require.NoError(t, err)
			mapped, _ := m.Decide(q)
			assert.Equal(t, lib, mapped, "map")
			fair, err := peerbench.CasbinFaithful(policy, events[subject], q)
			require.NoError(t, err)
			cba, err := cb.Decide(q)
			require.NoError(t, err)
			if fair {
				assert.Equal(t, lib.Allowed, cba.Allowed, "casbin")
			}
		})
	}
}
