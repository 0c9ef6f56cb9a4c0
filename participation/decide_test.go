package participation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

func TestDecide(t *testing.T) {
	p := testPolicy(t)
	s, staff := pid(t), pid(t)
	e := func(action participation.Action, purpose, scope, when string) participation.ConsentEvent {
		ev := grant(s, s, purpose, at(t, when))
		ev.Action, ev.Scope = action, scope
		return ev
	}
	g := participation.Grant
	tests := []struct {
		name    string
		events  []participation.ConsentEvent
		purpose string
		scope   string
		when    string
		want    participation.Reason
		winner  int // index of the deciding event, -1 for none
	}{
		{"no event is no consent (D5)", nil, "contact", "", "2026-01-01T00:00:00Z", participation.ReasonNoConsent, -1},
		{"a grant allows from its instant on (D3)", []participation.ConsentEvent{e(g, "contact", "", "2026-01-10T10:00:00+02:00")},
			"contact", "", "2026-01-10T10:00:00+02:00", participation.ReasonGranted, 0},
		{"a grant does not allow before its instant", []participation.ConsentEvent{e(g, "contact", "", "2026-01-10T10:00:00+02:00")},
			"contact", "", "2026-01-10T09:59:59+02:00", participation.ReasonNoConsent, -1},
		{"other purposes do not count", []participation.ConsentEvent{e(g, "contact", "", "2026-01-10T10:00:00+02:00")},
			"panel-membership", "", "2026-02-01T00:00:00Z", participation.ReasonNoConsent, -1},
		{"public task is not required even after a refusal (D2)", []participation.ConsentEvent{e(participation.Refuse, "statistics", "", "2026-01-10T10:00:00+02:00")},
			"statistics", "", "2026-02-01T00:00:00Z", participation.ReasonNotRequired, -1},
		{"a later refusal refuses (D4, D5)", []participation.ConsentEvent{e(g, "contact", "", "2026-01-10T10:00:00+02:00"), e(participation.Refuse, "contact", "", "2026-01-11T10:00:00+02:00")},
			"contact", "", "2026-02-01T00:00:00Z", participation.ReasonRefused, 1},
		{"a withdrawal is not retroactive (D8)", []participation.ConsentEvent{e(g, "contact", "", "2026-01-10T10:00:00+02:00"), e(participation.Withdraw, "contact", "", "2026-01-20T10:00:00+02:00")},
			"contact", "", "2026-01-20T09:59:59+02:00", participation.ReasonGranted, 0},
		{"the latest instant wins whatever the ledger order (R5)", []participation.ConsentEvent{e(participation.Withdraw, "contact", "", "2026-01-20T10:00:00+02:00"), e(g, "contact", "", "2026-01-10T10:00:00+02:00")},
			"contact", "", "2026-02-01T00:00:00Z", participation.ReasonWithdrawn, 0},
		{"a withdrawal beats a grant at the same instant, in either order (D4)", []participation.ConsentEvent{e(g, "contact", "", "2026-04-01T12:00:00+03:00"), e(participation.Withdraw, "contact", "", "2026-04-01T09:00:00Z")},
			"contact", "", "2026-04-02T00:00:00Z", participation.ReasonWithdrawn, 1},
		{"a withdrawal before a grant at the same instant still wins", []participation.ConsentEvent{e(participation.Withdraw, "contact", "", "2026-04-01T09:00:00Z"), e(g, "contact", "", "2026-04-01T12:00:00+03:00")},
			"contact", "", "2026-04-02T00:00:00Z", participation.ReasonWithdrawn, 0},
		{"between two grants at one instant the later position wins", []participation.ConsentEvent{e(g, "contact", "panel:a", "2026-04-01T09:00:00Z"), e(g, "contact", "", "2026-04-01T09:00:00Z")},
			"contact", "panel:a", "2026-04-02T00:00:00Z", participation.ReasonGranted, 1},
		{"a global query sees only global events (D3)", []participation.ConsentEvent{e(g, "contact", "panel:a", "2026-01-10T10:00:00+02:00")},
			"contact", "", "2026-02-01T00:00:00Z", participation.ReasonNoConsent, -1},
		{"a scoped query sees a global grant", []participation.ConsentEvent{e(g, "contact", "", "2026-01-10T10:00:00+02:00")},
			"contact", "panel:a", "2026-02-01T00:00:00Z", participation.ReasonGranted, 0},
		{"a scoped query does not see another scope", []participation.ConsentEvent{e(g, "contact", "panel:b", "2026-01-10T10:00:00+02:00")},
			"contact", "panel:a", "2026-02-01T00:00:00Z", participation.ReasonNoConsent, -1},
		{"a global refusal beats a scoped grant at the same instant", []participation.ConsentEvent{e(g, "contact", "panel:a", "2026-01-10T10:00:00+02:00"), e(participation.Refuse, "contact", "", "2026-01-10T10:00:00+02:00")},
			"contact", "panel:a", "2026-02-01T00:00:00Z", participation.ReasonRefused, 1},
		{"a grant expires at the end of maxDuration (D6.1, T6)", []participation.ConsentEvent{e(g, "contact", "", "2024-02-29T12:00:00+02:00")},
			"contact", "", "2026-03-01T00:00:00+02:00", participation.ReasonExpired, 0},
		{"and holds through its last day", []participation.ConsentEvent{e(g, "contact", "", "2024-02-29T12:00:00+02:00")},
			"contact", "", "2026-02-28T23:59:59+02:00", participation.ReasonGranted, 0},
		{"an old notice no longer counts (D6.2)", []participation.ConsentEvent{func() participation.ConsentEvent {
			ev := e(g, "panel-membership", "", "2026-01-10T10:00:00+02:00")
			ev.NoticeVersion = 1
			return ev
		}()}, "panel-membership", "", "2026-02-01T00:00:00Z", participation.ReasonNoticeOutdated, 0},
		{"an oral grant is not explicit (D6.3)", []participation.ConsentEvent{func() participation.ConsentEvent {
			ev := e(g, "experience-data", "", "2026-01-10T10:00:00+02:00")
			ev.Method, ev.RecordedBy = participation.Oral, staff
			return ev
		}()}, "experience-data", "", "2026-02-01T00:00:00Z", participation.ReasonNotExplicit, 0},
		{"an expired latest grant is not rescued by an older one (D7)", []participation.ConsentEvent{
			e(g, "contact", "", "2026-01-10T10:00:00+02:00"),
			func() participation.ConsentEvent {
				ev := e(g, "contact", "", "2026-01-11T10:00:00+02:00")
				ev.ValidUntil = at(t, "2026-01-12T10:00:00+02:00")
				return ev
			}()}, "contact", "", "2026-01-12T10:00:00+02:00", participation.ReasonExpired, 1},
		{"a scoped grant's expiry is not rescued by a global one (D7)", []participation.ConsentEvent{
			e(g, "contact", "", "2026-01-10T10:00:00+02:00"),
			func() participation.ConsentEvent {
				ev := e(g, "contact", "panel:a", "2026-01-11T10:00:00+02:00")
				ev.ValidUntil = at(t, "2026-01-12T10:00:00+02:00")
				return ev
			}()}, "contact", "panel:a", "2026-01-13T10:00:00+02:00", participation.ReasonExpired, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := participation.ConsentQuery{Subject: s, Purpose: tt.purpose, Scope: tt.scope, At: at(t, tt.when)}
			d, err := participation.Decide(p, tt.events, q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.Reason)
			assert.Equal(t, tt.want == participation.ReasonGranted || tt.want == participation.ReasonNotRequired, d.Allowed)
			assert.Equal(t, q, d.Query)
			if tt.winner < 0 {
				assert.False(t, d.HasEvent())
				return
			}
			require.True(t, d.HasEvent())
			assert.True(t, d.Event.At.Equal(tt.events[tt.winner].At))
			assert.Equal(t, tt.events[tt.winner].Scope, d.Event.Scope)
			assert.Equal(t, tt.events[tt.winner].Action, d.Event.Action)
		})
	}
}

func TestDecideExpiresAtIsTheEarlierBound(t *testing.T) {
	p := testPolicy(t)
	s := pid(t)
	ev := grant(s, s, "contact", at(t, "2025-06-15T18:00:00+03:00"))
	q := participation.ConsentQuery{Subject: s, Purpose: "contact", At: at(t, "2025-07-01T00:00:00Z")}
	d, err := participation.Decide(p, []participation.ConsentEvent{ev}, q)
	require.NoError(t, err)
	assert.True(t, d.ExpiresAt.Equal(at(t, "2027-06-16T00:00:00+03:00")), "P2Y: %v", d.ExpiresAt)
	ev.ValidUntil = at(t, "2026-01-01T00:00:00Z")
	d, err = participation.Decide(p, []participation.ConsentEvent{ev}, q)
	require.NoError(t, err)
	assert.True(t, d.ExpiresAt.Equal(ev.ValidUntil), "validUntil earlier: %v", d.ExpiresAt)
	ev2 := grant(s, s, "experience-data", ev.At)
	q.Purpose = "experience-data"
	d, err = participation.Decide(p, []participation.ConsentEvent{ev2}, q)
	require.NoError(t, err)
	assert.True(t, d.ExpiresAt.IsZero(), "no bound: zero")
}

func TestDecideRefusesInvalidQueries(t *testing.T) {
	p := testPolicy(t)
	s := pid(t)
	valid := participation.ConsentQuery{Subject: s, Purpose: "contact", At: at(t, "2026-01-01T00:00:00Z")}
	tests := []struct {
		name   string
		change func(*participation.ConsentQuery)
		field  string
	}{
		{"a missing instant (D1)", func(q *participation.ConsentQuery) { q.At = time.Time{} }, "at"},
		{"a missing subject", func(q *participation.ConsentQuery) { q.Subject = osallisuus.ParticipantID{} }, "subject"},
		{"an unknown purpose", func(q *participation.ConsentQuery) { q.Purpose = "marketing" }, "purpose"},
		{"a malformed scope", func(q *participation.ConsentQuery) { q.Scope = "panel:ä" }, "scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := valid
			tt.change(&q)
			_, err := participation.Decide(p, nil, q)
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, ok := errors.AsType[*osallisuus.ValidationError](err)
			require.True(t, ok)
			assert.True(t, ve.Has(tt.field))
		})
	}
}

func TestDecideSkipsOtherSubjects(t *testing.T) {
	p := testPolicy(t)
	a, b := pid(t), pid(t)
	d, err := participation.Decide(p, []participation.ConsentEvent{grant(b, b, "contact", at(t, "2026-01-01T00:00:00Z"))},
		participation.ConsentQuery{Subject: a, Purpose: "contact", At: at(t, "2026-02-01T00:00:00Z")})
	require.NoError(t, err)
	assert.Equal(t, participation.ReasonNoConsent, d.Reason)
}

func TestPolicyIsReadAtDecisionTime(t *testing.T) {
	s := pid(t)
	ev := grant(s, s, "contact", at(t, "2026-01-10T10:00:00+02:00"))
	q := participation.ConsentQuery{Subject: s, Purpose: "contact", At: at(t, "2026-03-01T00:00:00Z")}
	p := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact"}}}
	require.NoError(t, p.Validate())
	d, err := participation.Decide(p, []participation.ConsentEvent{ev}, q)
	require.NoError(t, err)
	assert.Equal(t, participation.ReasonGranted, d.Reason)
	p.Purposes[0].MaxDuration = "P30D" // P3: a tightened policy bites on old grants
	require.NoError(t, p.Validate())
	d, err = participation.Decide(p, []participation.ConsentEvent{ev}, q)
	require.NoError(t, err)
	assert.Equal(t, participation.ReasonExpired, d.Reason)
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name    string
		purpose participation.Purpose
		field   string
	}{
		{"a name is required", participation.Purpose{}, "purposes[1].name"},
		{"a name starts with a lower-case letter", participation.Purpose{Name: "1st"}, "purposes[1].name"},
		{"names are unique", participation.Purpose{Name: "contact"}, "purposes[1].name"},
		{"a basis is consent or public-task", participation.Purpose{Name: "x", Basis: "legitimate-interest"}, "purposes[1].basis"},
		{"selfConsentAge is at most 18 (P2)", participation.Purpose{Name: "x", SelfConsentAge: 19}, "purposes[1].selfConsentAge"},
		{"selfConsentAge is not negative", participation.Purpose{Name: "x", SelfConsentAge: -1}, "purposes[1].selfConsentAge"},
		{"a period has no time part (P1)", participation.Purpose{Name: "x", MaxDuration: "PT1H"}, "purposes[1].maxDuration"},
		{"minNoticeVersion is not negative", participation.Purpose{Name: "x", MinNoticeVersion: -1}, "purposes[1].minNoticeVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact"}, tt.purpose}}
			err := p.Validate()
			require.ErrorIs(t, err, osallisuus.ErrInvalid)
			ve, _ := errors.AsType[*osallisuus.ValidationError](err)
			require.NotNil(t, ve)
			assert.True(t, ve.Has(tt.field), "%v", ve)
		})
	}
}

func TestDecisionExplainsItself(t *testing.T) {
	p := testPolicy(t)
	s, staff := pid(t), pid(t)
	ev := grant(s, s, "experience-data", at(t, "2026-01-10T10:00:00+02:00"))
	ev.Method, ev.RecordedBy = participation.Oral, staff
	ev.Authority = participation.Authority{Kind: participation.AuthoritySelfAge}
	d, err := participation.Decide(p, []participation.ConsentEvent{ev},
		participation.ConsentQuery{Subject: s, Purpose: "experience-data", Scope: "panel:north", At: at(t, "2026-02-01T00:00:00Z")})
	require.NoError(t, err)
	fi := d.Explain(language.Finnish)
	assert.Contains(t, fi, "ei sallittu (not-explicit): tähän tarvitaan kirjallinen tai sähköinen nimenomainen suostumus")
	assert.Contains(t, fi, "tapa oral, kirjannut "+staff.String())
	assert.Contains(t, fi, "peruste self-age")
	assert.Contains(t, fi, "tietosuojaseloste v2")
	sv := d.Explain(language.Swedish)
	assert.Contains(t, sv, "inte tillåtet (not-explicit): här krävs ett uttryckligt skriftligt eller elektroniskt samtycke")
	assert.Contains(t, sv, "; ändamål experience-data, gäller panel:north")
	en := d.Explain(language.English)
	assert.Contains(t, en, "denied (not-explicit): explicit written or electronic consent is required; purpose experience-data in panel:north")
	assert.Contains(t, en, "method oral recorded by "+staff.String())
	assert.Contains(t, en, "under self-age")
	assert.Contains(t, en, "notice v2")
	assert.Equal(t, en, d.Explain(language.German), "other languages get English")
	err = d.Err()
	require.ErrorIs(t, err, osallisuus.ErrForbidden)
	re, ok := errors.AsType[*osallisuus.RuleError](err)
	require.True(t, ok)
	assert.Equal(t, d, re.Detail, "the refusal carries the decision")
	assert.True(t, re.Has(participation.ReasonNotExplicit))
}

func FuzzDecide(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, int64(0))
	f.Add([]byte{200, 17, 3, 3, 3, 90, 12, 4, 1, 0, 0, 0, 255}, int64(86400*30))
	p := testPolicy(f)
	subject, other := pid(f), pid(f)
	purposes := []string{"contact", "experience-data", "statistics", "panel-membership", "unknown"}
	scopes := []string{"", "panel:a", "panel:b", "bad scope"}
	actions := []participation.Action{participation.Grant, participation.Refuse, participation.Withdraw, "bogus"}
	methods := []participation.Method{participation.Written, participation.Electronic, participation.Oral}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, offset int64) {
		var events []participation.ConsentEvent
		for i := 0; i+5 <= len(data); i += 5 {
			b := data[i : i+5]
			who := subject
			if b[0]&1 == 1 {
				who = other
			}
			ev := participation.ConsentEvent{Subject: who, By: who, At: base.Add(time.Duration(b[1]) * 6 * time.Hour),
				Action: actions[int(b[2])%len(actions)], Purpose: purposes[int(b[3])%len(purposes)],
				Scope: scopes[int(b[4])%len(scopes)], Method: methods[int(b[0]>>1)%len(methods)], NoticeVersion: int(b[0] >> 4)}
			if b[4]&8 == 8 {
				ev.ValidUntil = ev.At.Add(time.Duration(b[4]) * time.Hour)
			}
			events = append(events, ev)
		}
		for _, purpose := range purposes {
			for _, scope := range scopes {
				q := participation.ConsentQuery{Subject: subject, Purpose: purpose, Scope: scope, At: base.Add(time.Duration(offset%(1<<40)) * time.Second)}
				d1, err1 := participation.Decide(p, events, q)
				d2, err2 := participation.Decide(p, events, q)
				if (err1 == nil) != (err2 == nil) || d1.Reason != d2.Reason || d1.Allowed != d2.Allowed || d1.Event != d2.Event {
					t.Fatalf("Decide is not deterministic: %v/%v, %v/%v", d1, err1, d2, err2)
				}
				if err1 != nil {
					if !errors.Is(err1, osallisuus.ErrInvalid) {
						t.Fatalf("error %v does not match ErrInvalid", err1)
					}
					continue
				}
				if d1.HasEvent() && (d1.Event.Subject != subject || d1.Event.At.After(q.At)) {
					t.Fatalf("decided by an event not applicable to the query: %+v", d1.Event)
				}
				if d1.Allowed != (d1.Reason == participation.ReasonGranted || d1.Reason == participation.ReasonNotRequired) {
					t.Fatalf("allowed %v with reason %s", d1.Allowed, d1.Reason)
				}
			}
		}
	})
}
