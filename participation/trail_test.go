package participation_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
	"github.com/osallisuus/osallisuus/participation/participationtest"
)

// sameDecision fails unless Trail.Decide on trail and Decide on events answered q alike:
// the same error, verdict, reason, expiry and deciding event (the same element of
// events, which the trail holds).
func sameDecision(t testing.TB, p *participation.Policy, events []participation.ConsentEvent, trail participation.Trail, q participation.ConsentQuery) {
	t.Helper()
	want, werr := participation.Decide(p, events, q)
	got, gerr := trail.Decide(p, q)
	if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
		t.Fatalf("query %+v: Decide error %v, Trail.Decide error %v", q, werr, gerr)
	}
	if got.Allowed != want.Allowed || got.Reason != want.Reason || got.Event != want.Event ||
		!got.ExpiresAt.Equal(want.ExpiresAt) || got.ExpiresAt.Location() != want.ExpiresAt.Location() || got.Query != want.Query {
		t.Fatalf("query %+v:\nDecide       %+v\nTrail.Decide %+v", q, want, got)
	}
}

func TestTrailDecidesAsDecide(t *testing.T) {
	s := participationtest.SampleLedger(300, 7)
	scopes := []string{"", "panel:north", "panel:family-centre", "activity:spring-fair", "panel:elsewhere"}
	n := 0
	for _, subject := range s.Subjects {
		events := s.Events[subject]
		trail := participation.NewTrail(events)
		require.Equal(t, len(events), trail.Len())
		for _, e := range events {
			for _, purpose := range []string{"contact", "experience-data", "panel-membership"} {
				for _, scope := range scopes {
					// At, just before and just after each event: ties and the at ≤ t bound.
					for _, d := range []time.Duration{-time.Nanosecond, 0, time.Nanosecond, 400 * 24 * time.Hour} {
						sameDecision(t, s.Policy, events, trail, participation.ConsentQuery{Subject: subject, Purpose: purpose, Scope: scope, At: e.At.Add(d)})
						n++
					}
				}
			}
		}
	}
	assert.Greater(t, n, 100_000)
}

func TestTrailAnswersOtherSubjectsAndUnknownNames(t *testing.T) {
	p := testPolicy(t)
	s, other := pid(t), pid(t)
	t0 := at(t, "2026-03-01T10:00:00Z")
	events := []participation.ConsentEvent{grant(s, s, "contact", t0)}
	trail := participation.NewTrail(events)
	for _, q := range []participation.ConsentQuery{
		{Subject: other, Purpose: "contact", At: t0.Add(time.Hour)},                    // another subject: no-consent
		{Subject: s, Purpose: "panel-membership", At: t0.Add(time.Hour)},               // a purpose the trail never saw
		{Subject: s, Purpose: "contact", Scope: "panel:unseen", At: t0.Add(time.Hour)}, // an unseen scope sees global events
		{Subject: s, Purpose: "statistics", At: t0},                                    // public task
		{Subject: s, Purpose: "no-such-purpose", At: t0},                               // invalid
		{Subject: s, Purpose: "contact", Scope: "bad scope", At: t0},                   // invalid
		{Subject: osallisuus.ParticipantID{}, Purpose: "contact", At: t0},              // invalid
		{Subject: s, Purpose: "contact", At: t0.Add(-time.Nanosecond)},                 // before the only event
	} {
		sameDecision(t, p, events, trail, q)
	}
	d, err := trail.Decide(p, participation.ConsentQuery{Subject: s, Purpose: "contact", Scope: "panel:unseen", At: t0.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, participation.ReasonGranted, d.Reason)
	assert.Same(t, &events[0], d.Event, "the decision points at the deciding event")

	var zero participation.Trail
	d, err = zero.Decide(p, participation.ConsentQuery{Subject: s, Purpose: "contact", At: t0})
	require.NoError(t, err)
	assert.Equal(t, participation.ReasonNoConsent, d.Reason)
	assert.Zero(t, zero.Len())
}

// Events that do not fit the compact form are decided by reading them.
func TestTrailFallsBackWhenEventsDoNotFit(t *testing.T) {
	p := testPolicy(t)
	s, other := pid(t), pid(t)
	t0 := at(t, "2026-03-01T10:00:00Z")
	mixed := []participation.ConsentEvent{grant(s, s, "contact", t0), grant(other, other, "contact", t0),
		{At: t0.Add(time.Minute), Subject: other, By: other, Action: participation.Withdraw, Purpose: "contact", Method: participation.Written}}
	manyScopes := []participation.ConsentEvent{}
	for i := range 300 {
		e := grant(s, s, "contact", t0.Add(time.Duration(i)*time.Minute))
		e.Scope = fmt.Sprintf("panel:p%d", i)
		manyScopes = append(manyScopes, e)
	}
	bigNotice := []participation.ConsentEvent{grant(s, s, "contact", t0)}
	bigNotice[0].NoticeVersion = math.MaxInt32 + 1
	farFuture := []participation.ConsentEvent{grant(s, s, "contact", t0), grant(s, s, "contact", at(t, "2300-01-01T00:00:00Z"))}
	oddUntil := []participation.ConsentEvent{grant(s, s, "contact", t0), grant(s, s, "contact", t0.Add(time.Minute))}
	oddUntil[0].ValidUntil = t0.Add(200*365*24*time.Hour + time.Nanosecond) // not whole seconds, beyond 136 years
	oddUntil[1].ValidUntil = t0                                             // before At: invalid, but decided as Decide does
	long := make([]participation.ConsentEvent, 0, 1<<16+1)
	for i := range cap(long) {
		e := grant(s, s, "contact", t0.Add(time.Duration(i)*time.Second))
		if i%2 == 1 {
			e.Action = participation.Withdraw
		}
		long = append(long, e)
	}
	for name, events := range map[string][]participation.ConsentEvent{"mixed subjects": mixed, "300 scopes": manyScopes,
		"a notice version beyond a byte": bigNotice, "an event after 2262": farFuture, "odd validUntil bounds": oddUntil,
		"65,537 events": long} {
		t.Run(name, func(t *testing.T) {
			trail := participation.NewTrail(events)
			for _, subject := range []osallisuus.ParticipantID{s, other} {
				for _, scope := range []string{"", "panel:p0", "panel:p299"} {
					for _, d := range []time.Duration{-time.Hour, 0, time.Minute, 10 * time.Hour, 20 * time.Hour, 280 * 365 * 24 * time.Hour} {
						sameDecision(t, p, events, trail, participation.ConsentQuery{Subject: subject, Purpose: "contact", Scope: scope, At: t0.Add(d)})
					}
				}
			}
		})
	}
}

// FuzzTrail checks that a Trail answers every query exactly as Decide does, on fuzzed
// ledgers with ties to the nanosecond, every action (and an unknown one), scopes,
// bounds, notice versions and events of another subject.
func FuzzTrail(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, int64(0), uint8(0))
	f.Add([]byte{200, 17, 3, 3, 3, 90, 12, 4, 1, 0, 0, 0, 255, 17, 3, 0, 1, 2}, int64(86400*30), uint8(1))
	f.Add([]byte{1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0}, int64(21600), uint8(2))
	p := testPolicy(f)
	subject, other := pid(f), pid(f)
	purposes := []string{"contact", "experience-data", "statistics", "panel-membership", "unknown"}
	scopes := []string{"", "panel:a", "panel:b", "bad scope"}
	actions := []participation.Action{participation.Grant, participation.Refuse, participation.Withdraw, "bogus"}
	methods := []participation.Method{participation.Written, participation.Electronic, participation.Oral}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	helsinki := time.FixedZone("EET", 2*3600)
	f.Fuzz(func(t *testing.T, data []byte, offset int64, nanos uint8) {
		var events []participation.ConsentEvent
		for i := 0; i+6 <= len(data); i += 6 {
			b := data[i : i+6]
			who := subject
			if b[0]&1 == 1 && nanos&1 == 1 { // other subjects only in some ledgers
				who = other
			}
			ev := participation.ConsentEvent{Subject: who, By: who, At: base.Add(time.Duration(b[1])*6*time.Hour + time.Duration(b[5]&3)),
				Action: actions[int(b[2])%len(actions)], Purpose: purposes[int(b[3])%len(purposes)],
				Scope: scopes[int(b[4])%len(scopes)], Method: methods[int(b[0]>>1)%len(methods)], NoticeVersion: int(b[0]>>4) - 2}
			if b[4]&8 == 8 {
				ev.ValidUntil = ev.At.Add(time.Duration(b[4])*time.Hour + time.Duration(b[5]>>2)).In(helsinki)
			}
			if b[5]&0x80 != 0 {
				ev.At = ev.At.In(helsinki)
			}
			events = append(events, ev)
		}
		trail := participation.NewTrail(events)
		for _, who := range []osallisuus.ParticipantID{subject, other} {
			for _, purpose := range purposes {
				for _, scope := range scopes {
					q := participation.ConsentQuery{Subject: who, Purpose: purpose, Scope: scope,
						At: base.Add(time.Duration(offset%(1<<40))*time.Second + time.Duration(nanos>>1&3))}
					sameDecision(t, p, events, trail, q)
				}
			}
		}
	})
}

func TestTrailDecisionsKeepInvalidQueriesInvalid(t *testing.T) {
	p := testPolicy(t)
	trail := participation.NewTrail(nil)
	_, err := trail.Decide(p, participation.ConsentQuery{Purpose: "contact"})
	var ve *osallisuus.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, errors.Is(err, osallisuus.ErrInvalid))
	assert.Equal(t, "at", ve.Problems[0].Field)
}

func TestNewTrailsGroupsALedgerBySubject(t *testing.T) {
	p := testPolicy(t)
	s1, s2, s3 := pid(t), pid(t), pid(t)
	t0 := at(t, "2026-03-01T10:00:00Z")
	var ledger []participation.ConsentEvent
	for i := range 12 { // interleaved, as a ledger holds them
		s := []osallisuus.ParticipantID{s1, s2, s3}[i%3]
		e := grant(s, s, "contact", t0.Add(time.Duration(i)*time.Hour))
		if i%4 == 3 {
			e.Action = participation.Withdraw
		}
		e.Seq = int64(i + 1)
		ledger = append(ledger, e)
	}
	trails := participation.NewTrails(ledger)
	require.Len(t, trails, 3)
	for _, s := range []osallisuus.ParticipantID{s1, s2, s3} {
		var mine []participation.ConsentEvent
		for _, e := range ledger {
			if e.Subject == s {
				mine = append(mine, e)
			}
		}
		tr := trails[s]
		require.Equal(t, mine, tr.Events(), "the subject's events, in ledger order")
		for h := range 14 {
			q := participation.ConsentQuery{Subject: s, Purpose: "contact", At: t0.Add(time.Duration(h) * time.Hour)}
			want, err := participation.Decide(p, mine, q)
			require.NoError(t, err)
			got, err := tr.Decide(p, q)
			require.NoError(t, err)
			assert.Equal(t, want.Reason, got.Reason, "%s at %d h", s, h)
			assert.Equal(t, want.Event, got.Event, "%s at %d h", s, h)
		}
	}
	// The trails hold copies: changing the loaded slice changes no answer.
	before, err := trails[s1].Decide(p, participation.ConsentQuery{Subject: s1, Purpose: "contact", At: t0.Add(20 * time.Hour)})
	require.NoError(t, err)
	for i := range ledger {
		ledger[i].Action = participation.Refuse
	}
	after, err := trails[s1].Decide(p, participation.ConsentQuery{Subject: s1, Purpose: "contact", At: t0.Add(20 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, before.Reason, after.Reason)
	assert.Empty(t, participation.NewTrails(nil))
}

// Trails are immutable: many goroutines decide from the same trails at once (run with
// -race), each getting the answers Decide gives.
func TestTrailsAreSafeForConcurrentUse(t *testing.T) {
	s := participationtest.SampleLedger(50, 3)
	trails := trailIndex(s)
	want := make([]participation.Reason, len(s.Queries))
	for i, q := range s.Queries {
		d, err := participation.Decide(s.Policy, s.Events[q.Subject], q)
		require.NoError(t, err)
		want[i] = d.Reason
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for round := range 20 {
				for i := range s.Queries {
					q := s.Queries[(i+g*7+round)%len(s.Queries)]
					d, err := trails[q.Subject].Decide(s.Policy, q)
					if err != nil {
						errs <- err
						return
					}
					if d.Reason != want[(i+g*7+round)%len(s.Queries)] {
						errs <- fmt.Errorf("goroutine %d: %+v decided %s", g, q, d.Reason)
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
}

// BenchmarkNewTrails measures loading a ledger of 10,000 subjects (about 125,000 events)
// into trails, what a host pays at start-up.
func BenchmarkNewTrails(b *testing.B) {
	s := participationtest.SampleLedger(10_000, 1)
	all := ledgerEvents(s)
	b.ReportAllocs()
	for b.Loop() {
		if len(participation.NewTrails(all)) != len(s.Subjects) {
			b.Fatal("a subject is missing")
		}
	}
}

// Notice versions a key holds (0 to 15) and those it leaves in the event decide alike.
func TestTrailNoticeVersions(t *testing.T) {
	p := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact", MinNoticeVersion: 16}}}
	require.NoError(t, p.Validate())
	s := pid(t)
	t0 := at(t, "2026-03-01T10:00:00Z")
	var events []participation.ConsentEvent
	for i, v := range []int{15, 16, 300, -1, 0, 17, 15} {
		e := grant(s, s, "contact", t0.Add(time.Duration(i)*time.Minute))
		e.NoticeVersion = v
		events = append(events, e)
	}
	trail := participation.NewTrail(events)
	reasons := map[participation.Reason]int{}
	for i := range events {
		q := participation.ConsentQuery{Subject: s, Purpose: "contact", At: t0.Add(time.Duration(i) * time.Minute)}
		sameDecision(t, p, events, trail, q)
		d, err := trail.Decide(p, q)
		require.NoError(t, err)
		reasons[d.Reason]++
	}
	assert.Equal(t, map[participation.Reason]int{participation.ReasonGranted: 3, participation.ReasonNoticeOutdated: 4}, reasons)
}
