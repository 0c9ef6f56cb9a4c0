package sqlstore_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

func TestPostgresDroppedConnectionSavesNothing(t *testing.T) {
	dsn := freshPostgres(t)
	s := openDSN(t, dsn).Participation()
	p := participation.Participant{ID: newSubject(t), Kind: participation.KindCustomer, Language: "sv", CreatedAt: ledgerTime}
	require.NoError(t, s.CreateParticipant(t.Context(), p))
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer admin.Close()

	_, err = s.UpdateParticipant(t.Context(), p.ID, func(p *participation.Participant) error {
		p.Language = "fi"
		// The server drops the connection that holds the row lock, mid-transaction.
		var dropped int
		err := admin.QueryRowContext(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE pid <> pg_backend_pid() AND state = 'idle in transaction' AND query LIKE '%FOR UPDATE%'`).Scan(&dropped)
		if err == nil && dropped != 1 {
			t.Errorf("dropped %d connections, want the one updating", dropped)
		}
		return err
	})
	require.Error(t, err, "an update whose connection dropped reported success")
	t.Logf("the update failed with: %v", err)
	assert.NotErrorIs(t, err, osallisuus.ErrConflict)

	got, err := s.GetParticipant(t.Context(), p.ID)
	require.NoError(t, err, "the pool must recover from the dropped connection")
	assert.Equal(t, "sv", got.Language, "a dropped transaction saved its change")
	assert.Equal(t, int64(1), got.Version)
}
