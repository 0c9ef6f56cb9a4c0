package participationtest

import (
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// Ledger is a generated, realistic consent ledger for benchmarks and comparisons: the
// same data for every store and every engine measured against the library.
type Ledger struct {
	// Policy has three purposes: contact (self-consent age 15, two years, notice ≥ 1),
	// experience-data (explicit, one year) and panel-membership (notice ≥ 2). Validated.
	Policy *participation.Policy
	// Subjects lists the subjects in generation order; Events holds each subject's events
	// in ledger order (Seq ascending).
	Subjects []osallisuus.ParticipantID
	Events   map[osallisuus.ParticipantID][]participation.ConsentEvent
	// Queries holds one query per subject and purpose, subject by subject.
	Queries []participation.ConsentQuery
}

// SampleLedger generates subjects × 3 purposes of consent history: 5–20 events per
// subject over about two years, some scoped (panel, activity), about 20 % withdrawals and
// 10 % refusals, 20 % acts by a guardian, some with validUntil or recorded orally, and one
// query per (subject, purpose) at an instant around the last event. The same seed gives
// the same events, times and queries (IDs are derived from the seed too).
func SampleLedger(subjects int, seed uint64) Ledger {
	policy := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
		{Name: "experience-data", Explicit: true, MaxDuration: "P1Y"},
		{Name: "panel-membership", MinNoticeVersion: 2},
	}}
	if err := policy.Validate(); err != nil {
		panic(err) // a constant policy
	}
	purposes := []string{"contact", "experience-data", "panel-membership"}
	scopes := []string{"", "", "", "panel:north", "panel:family-centre", "activity:spring-fair"}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	newID := func() uuid.UUID {
		var u uuid.UUID
		for i := range u {
			u[i] = byte(rng.Uint32())
		}
		u[6] = u[6]&0x0f | 0x70 // version 7 layout, random payload
		u[8] = u[8]&0x3f | 0x80
		return u
	}
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	l := Ledger{Policy: policy, Events: make(map[osallisuus.ParticipantID][]participation.ConsentEvent, subjects)}
	var seq int64
	// One backing array for all events, subject after subject, as an index loaded from a
	// database in subject order would hold them.
	all := make([]participation.ConsentEvent, 0, subjects*13)
	for range subjects {
		subject := osallisuus.ParticipantID{UUID: newID()}
		guardian := osallisuus.ParticipantID{UUID: newID()}
		n := 5 + rng.IntN(16)
		if len(all)+n > cap(all) {
			all = make([]participation.ConsentEvent, 0, max(n, subjects*13))
		}
		start := len(all)
		at := base.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
		for range n {
			at = at.Add(time.Duration(1+rng.IntN(30*24)) * time.Hour)
			seq++
			ev := participation.ConsentEvent{ID: participation.EventID{UUID: newID()}, Seq: seq, At: at,
				Subject: subject, By: subject, Purpose: purposes[rng.IntN(3)], Scope: scopes[rng.IntN(len(scopes))],
				Action: participation.Grant, Method: participation.Electronic, NoticeVersion: 1 + rng.IntN(2),
				Authority: participation.Authority{Kind: participation.AuthoritySelfAge}, RecordedAt: at}
			switch r := rng.IntN(10); {
			case r < 2:
				ev.Action, ev.NoticeVersion = participation.Withdraw, 0
			case r < 3:
				ev.Action, ev.NoticeVersion = participation.Refuse, 0
			case r < 5:
				ev.By = guardian
				ev.Authority = participation.Authority{Kind: participation.AuthorityGuardian}
			case r < 6:
				ev.ValidUntil = at.Add(180 * 24 * time.Hour)
			}
			if rng.IntN(8) == 0 {
				ev.Method, ev.RecordedBy = participation.Oral, guardian
			}
			all = append(all, ev)
		}
		evs := all[start:len(all):len(all)]
		l.Subjects = append(l.Subjects, subject)
		l.Events[subject] = evs
		for i, p := range purposes {
			l.Queries = append(l.Queries, participation.ConsentQuery{Subject: subject, Purpose: p,
				Scope: scopes[(i+n)%len(scopes)], At: at.Add(time.Duration(rng.IntN(400*24)-200*24) * time.Hour)})
		}
	}
	return l
}
