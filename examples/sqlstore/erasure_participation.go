package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/participation"
)

// participationErasureSchema is the migration for participation's GDPR export, erasure
// and retention support (issue 9): the participant's erasure marker (erased_at,
// proof_until, anonymised_records; see participation.Participant), and an index for
// listing the representations a person holds for others
// ([ParticipationStore.RepresentedBy]). Erased participants are listed by a scan of
// participants (the retention job runs rarely).
var participationErasureSchema = migration{
	name: "participation-erasure",
	common: `
ALTER TABLE participants ADD COLUMN erased_at TEXT;
ALTER TABLE participants ADD COLUMN proof_until {{date}};
ALTER TABLE participants ADD COLUMN anonymised_records BIGINT NOT NULL DEFAULT 0;
CREATE INDEX representations_by_representative ON representations (representative, position);
`,
}

var _ participation.ActivityRecords = (*ActivityStore)(nil)

// AnonymiseRecords implements participation.ActivityRecords: in one transaction it
// locks who's participation records and rewrites each with Who = tombstone (column and
// document), UpdatedAt = at and Version+1.
func (s *ActivityStore) AnonymiseRecords(ctx context.Context, who, tombstone osallisuus.ParticipantID, at time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if who.IsZero() || tombstone.IsZero() || who == tombstone {
		return 0, fmt.Errorf("anonymise participation records: %w", osallisuus.Invalid("tombstone", osallisuus.CodeNotAllowed))
	}
	var n int
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		n = 0 // fn may run more than once
		rows, err := tx.QueryContext(ctx, s.db.d.q("SELECT id FROM participation_records WHERE who = ? ORDER BY id"+s.db.d.forUpdate), who.String())
		if err != nil {
			return errorf(ctx, err, "anonymise participation records")
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return errorf(ctx, err, "anonymise participation records")
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return errorf(ctx, err, "anonymise participation records")
		}
		if err := rows.Close(); err != nil {
			return errorf(ctx, err, "anonymise participation records")
		}
		for _, id := range ids {
			if _, err := recordsTable.update(ctx, s.db, tx, id, func(r *participation.ParticipationRecord) error {
				r.Who, r.UpdatedAt = tombstone, at
				return nil
			}, func(_, _ *participation.ParticipationRecord) error { return nil }); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
