package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/osallisuus/osallisuus"
	"github.com/osallisuus/osallisuus/examples/sqlstore"
	"github.com/osallisuus/osallisuus/participation"
)

// A host keeps participants and the consent ledger in an SQLite file: the service is
// the same as on memstore, only the stores differ. Reopening the file finds the data.
func ExampleOpen() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "osallisuus.db")

	policy := &participation.Policy{Purposes: []participation.Purpose{{Name: "contact", MinNoticeVersion: 1}}}
	now, _ := osallisuus.ParseInstant("2026-05-04T10:00:00+03:00")
	db, err := sqlstore.Open(ctx, path, sqlstore.Config{})
	if err != nil {
		panic(err)
	}
	svc, err := participation.NewService(db.Participation().Stores(), policy,
		participation.Config{Clock: osallisuus.FixedClock(now)})
	if err != nil {
		panic(err)
	}
	p, _ := svc.Register(ctx, participation.Participant{Kind: participation.KindCustomer,
		BirthDate: osallisuus.NewDate(1980, 4, 12)})
	ev, err := svc.Record(ctx, participation.ConsentEvent{At: now, Subject: p.ID, By: p.ID,
		Action: participation.Grant, Purpose: "contact", Method: participation.Electronic, NoticeVersion: 1})
	fmt.Println("recorded at position", ev.Seq, err)
	db.Close()

	db, err = sqlstore.Open(ctx, path, sqlstore.Config{})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	svc, _ = participation.NewService(db.Participation().Stores(), policy, participation.Config{})
	d, err := svc.CheckConsent(ctx, participation.ConsentQuery{Subject: p.ID, Purpose: "contact", At: now})
	fmt.Println(db.Dialect(), d.Allowed, d.Reason, err)

	_, err = db.SQL().ExecContext(ctx, "DELETE FROM consent_events")
	fmt.Println("deleting the ledger refused:", err != nil)
	// Output:
	// recorded at position 1 <nil>
	// sqlite true granted <nil>
	// deleting the ledger refused: true
}

// Open refuses a database that belongs to something else, saying so.
func ExampleOpen_foreignSchema() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "other.db")
	db, err := sqlstore.Open(ctx, path, sqlstore.Config{})
	if err != nil {
		panic(err)
	}
	db.SQL().ExecContext(ctx, "DROP TABLE osallisuus_migrations") // as if another program owned it
	db.Close()

	_, err = sqlstore.Open(ctx, path, sqlstore.Config{})
	fmt.Println(errors.Is(err, sqlstore.ErrForeignSchema))
	// Output:
	// true
}
