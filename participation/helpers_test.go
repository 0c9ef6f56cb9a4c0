package participation_test

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := osallisuus.ParseInstant(s)
	require.NoError(t, err, s)
	return v
}

func pid(t testing.TB) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	return id
}

func date(y int, m time.Month, d int) osallisuus.Date { return osallisuus.NewDate(y, m, d) }

// testPolicy has one purpose of each shape the rules care about.
func testPolicy(t testing.TB) *participation.Policy {
	t.Helper()
	p := &participation.Policy{Purposes: []participation.Purpose{
		{Name: "contact", SelfConsentAge: 15, MaxDuration: "P2Y", MinNoticeVersion: 1},
		{Name: "experience-data", Explicit: true},
		{Name: "statistics", Basis: participation.BasisPublicTask},
		{Name: "panel-membership", MaxDuration: "P1Y", MinNoticeVersion: 2},
	}}
	require.NoError(t, p.Validate())
	return p
}

func grant(subject, by osallisuus.ParticipantID, purpose string, when time.Time) participation.ConsentEvent {
	return participation.ConsentEvent{At: when, Subject: subject, By: by, Action: participation.Grant,
		Purpose: purpose, Method: participation.Written, NoticeVersion: 2}
}
