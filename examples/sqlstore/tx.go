package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/osallisuus/osallisuus"
)

// inTx runs fn in a write transaction and commits it if fn returns nil; otherwise it
// rolls back and returns fn's error unchanged. On SQLite the transaction begins
// IMMEDIATE (it holds the write lock from the start); on PostgreSQL it runs at READ
// COMMITTED, and fn locks the rows it reads to change with SELECT … FOR UPDATE. When
// PostgreSQL aborts the transaction for a deadlock between row locks (two transactions
// locking the same rows in opposite orders) or a serialization failure, inTx runs fn
// again, a few times at most: the stores document that fn may run more than once.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	const attempts = 5
	var err error
	for range attempts {
		if err = db.tryTx(ctx, fn); !db.d.retryable(err) {
			return err
		}
	}
	return err
}

func (db *DB) tryTx(ctx context.Context, fn func(*sql.Tx) error) error {
	release, err := db.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return errorf(ctx, err, "begin transaction")
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return errorf(ctx, err, "commit")
	}
	return nil
}

// exec runs one writing statement outside a transaction, as a writer (see enter).
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	release, err := db.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return db.db.ExecContext(ctx, query, args...)
}

// enter admits one writer at a time on SQLite, before it takes a pooled connection.
// SQLite has one write lock per database; writers queued on it inside SQLite would each
// hold a connection while they wait, and could starve the pool of the connection the
// lock holder needs for a read. Queued here, they hold nothing; other processes are
// still kept in order by SQLite's busy timeout. PostgreSQL has row locks and needs no
// gate (release is then a no-op).
func (db *DB) enter(ctx context.Context) (release func(), err error) {
	if db.gate == nil {
		return func() {}, ctx.Err()
	}
	select {
	case db.gate <- struct{}{}:
		return func() { <-db.gate }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// next advances counter name by n inside tx and returns its new value: the last of
// the n positions taken. The UPDATE locks the counter row until tx ends, so positions
// are handed out in commit order.
func (db *DB) next(ctx context.Context, tx *sql.Tx, name string, n int) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, db.d.q("UPDATE counters SET value = value + ? WHERE name = ? RETURNING value"), n, name).Scan(&v)
	if err != nil {
		return 0, errorf(ctx, err, "advance counter %s", name)
	}
	return v, nil
}

// createError maps the error of an INSERT: nil stays nil, a unique violation becomes
// osallisuus.ErrConflict (keeping the driver's error), a done context passes through.
func (db *DB) createError(ctx context.Context, err error, format string, args ...any) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case db.d.isUnique(err):
		return fmt.Errorf(format+": %w: %w", append(args, osallisuus.ErrConflict, err)...)
	default:
		return errorf(ctx, err, format, args...)
	}
}

// yieldRows runs query and yields each row as scan reads it. The rows stay open while
// the consumer's loop body runs (no lock is held: the consumer may call the store,
// which takes another pooled connection) and are closed when the loop ends, however it
// ends. On failure it yields the zero value and the error once and stops.
func yieldRows[T any](ctx context.Context, db *DB, op string, query string, args []any,
	scan func(interface{ Scan(...any) error }) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		rows, err := db.db.QueryContext(ctx, query, args...)
		if err != nil {
			yield(zero, errorf(ctx, err, "%s", op))
			return
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				yield(zero, errorf(ctx, err, "%s", op))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, errorf(ctx, err, "%s", op))
		}
	}
}
