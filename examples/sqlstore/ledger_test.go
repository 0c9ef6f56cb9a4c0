package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
)

var ledgerTime = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func grant(subject osallisuus.ParticipantID, at time.Time) participation.ConsentEvent {
	return participation.ConsentEvent{At: at, Subject: subject, By: subject, Action: participation.Grant,
		Purpose: "contact", Method: participation.Electronic, NoticeVersion: 1,
		Authority: participation.Authority{Kind: participation.AuthoritySelfAge}, RecordedAt: at}
}

func newSubject(t *testing.T) osallisuus.ParticipantID {
	t.Helper()
	id, err := osallisuus.NewParticipantID()
	require.NoError(t, err)
	return id
}

func countEvents(t *testing.T, s *sqlstore.ParticipationStore, subject osallisuus.ParticipantID) int {
	t.Helper()
	evs, err := participation.Collect(s.Events(t.Context(), subject))
	require.NoError(t, err)
	return len(evs)
}

func TestLedger(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Run("the database refuses to update or delete an event", func(t *testing.T) {
				db := b.open(t)
				s := db.Participation()
				subject := newSubject(t)
				ev, err := s.Append(t.Context(), grant(subject, ledgerTime))
				require.NoError(t, err)
				_, err = db.SQL().ExecContext(t.Context(), "UPDATE consent_events SET action = 'withdraw'")
				require.Error(t, err, "UPDATE of a ledger event succeeded")
				_, err = db.SQL().ExecContext(t.Context(), "DELETE FROM consent_events")
				require.Error(t, err, "DELETE of a ledger event succeeded")
				got, err := participation.Collect(s.Events(t.Context(), subject))
				require.NoError(t, err)
				require.Len(t, got, 1)
				assert.Equal(t, ev.ID, got[0].ID)
				assert.Equal(t, participation.Grant, got[0].Action)
			})
			t.Run("erasure deletes only the subject's events and the ledger stays closed after it", func(t *testing.T) {
				db := b.open(t)
				s := db.Participation()
				erased, kept := newSubject(t), newSubject(t)
				var last int64
				for i := range 3 {
					for _, subject := range []osallisuus.ParticipantID{erased, kept} {
						ev, err := s.Append(t.Context(), grant(subject, ledgerTime.Add(time.Duration(i)*time.Minute)))
						require.NoError(t, err)
						last = ev.Seq
					}
				}
				n, err := s.DeleteEvents(t.Context(), erased)
				require.NoError(t, err)
				assert.Equal(t, 3, n)
				assert.Equal(t, 0, countEvents(t, s, erased))
				assert.Equal(t, 3, countEvents(t, s, kept))
				_, err = s.Append(t.Context(), grant(erased, ledgerTime))
				require.NoError(t, err)
				_, err = db.SQL().ExecContext(t.Context(), "DELETE FROM consent_events")
				require.Error(t, err, "DELETE succeeded after an erasure: the erasure mark must not outlive its transaction")
				ev, err := s.Append(t.Context(), grant(kept, ledgerTime))
				require.NoError(t, err)
				assert.Greater(t, ev.Seq, last+1, "positions are never reused")
			})
			t.Run("a batch takes consecutive positions in slice order", func(t *testing.T) {
				s := b.open(t).Participation()
				subject := newSubject(t)
				first, err := s.Append(t.Context(), grant(subject, ledgerTime))
				require.NoError(t, err)
				batch := make([]participation.ConsentEvent, 600) // more than one INSERT's rows
				for i := range batch {
					batch[i] = grant(subject, ledgerTime.Add(time.Duration(i)*time.Second))
				}
				stored, err := s.AppendBatch(t.Context(), batch)
				require.NoError(t, err)
				require.Len(t, stored, len(batch))
				for i, ev := range stored {
					assert.Equal(t, first.Seq+1+int64(i), ev.Seq)
					assert.False(t, ev.ID.IsZero())
				}
				got, err := participation.Collect(s.Events(t.Context(), subject))
				require.NoError(t, err)
				require.Len(t, got, 1+len(batch))
				assert.Equal(t, stored[599].ID, got[600].ID)
				assert.True(t, got[600].At.Equal(batch[599].At))
			})
			t.Run("a batch with an existing ID stores nothing", func(t *testing.T) {
				s := b.open(t).Participation()
				subject := newSubject(t)
				ev, err := s.Append(t.Context(), grant(subject, ledgerTime))
				require.NoError(t, err)
				batch := []participation.ConsentEvent{grant(subject, ledgerTime), ev, grant(subject, ledgerTime)}
				_, err = s.AppendBatch(t.Context(), batch)
				require.ErrorIs(t, err, osallisuus.ErrConflict)
				assert.Equal(t, 1, countEvents(t, s, subject))
				next, err := s.Append(t.Context(), grant(subject, ledgerTime))
				require.NoError(t, err)
				assert.Equal(t, ev.Seq+1, next.Seq, "a failed batch takes no positions")
			})
		})
	}
}
