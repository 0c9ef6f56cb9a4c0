package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/osallisuus/osallisuus"
)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// A docTable keeps one aggregate type as JSON documents (the aggregate's own JSON form,
// so it reads back whole, nested values and maps included), beside the columns its store
// looks up, orders or keeps unique on. Aggregates with deep structure (an expert's
// profile and commitments, a request's assignments) live in docTables; the flat
// participation aggregates have a column per field.
//
// Table layout: id (primary key), the extra columns, doc, version.
type docTable[T any] struct {
	table string
	what  string // "expert", in error messages
	// cols are the extra columns, in order; vals returns their values for v.
	cols []string
	vals func(v *T) []any
	// version and setVersion read and write v's Version field (aggregates without one
	// keep 0 in the column).
	version    func(v *T) int64
	setVersion func(v *T, version int64)
}

func (t docTable[T]) marshal(v *T) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %s: %w", t.what, err)
	}
	return string(b), nil
}

func (t docTable[T]) unmarshal(src []byte) (T, error) {
	var v T
	if err := json.Unmarshal(src, &v); err != nil {
		return v, fmt.Errorf("decode %s: %w", t.what, err)
	}
	return v, nil
}

// insert stores v with Version 1 under id; a unique violation (the id, or a unique
// extra column) is ErrConflict.
func (t docTable[T]) insert(ctx context.Context, db *DB, q querier, id string, v T) error {
	t.setVersion(&v, 1)
	doc, err := t.marshal(&v)
	if err != nil {
		return err
	}
	cols := append(append([]string{"id"}, t.cols...), "doc", "version")
	args := append(append([]any{id}, t.vals(&v)...), doc, int64(1))
	query := "INSERT INTO " + t.table + " (" + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)-1) + ")"
	_, err = q.ExecContext(ctx, db.d.q(query), args...)
	return db.createError(ctx, err, "create %s %s", t.what, id)
}

// get reads the document id; lock takes the row lock (inside a transaction).
func (t docTable[T]) get(ctx context.Context, db *DB, q querier, id string, lock bool) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	query := "SELECT doc FROM " + t.table + " WHERE id = ?"
	if lock {
		query += db.d.forUpdate
	}
	var doc []byte
	err := q.QueryRowContext(ctx, db.d.q(query), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return zero, fmt.Errorf("%s %s: %w", t.what, id, osallisuus.ErrNotFound)
	}
	if err != nil {
		return zero, errorf(ctx, err, "get %s %s", t.what, id)
	}
	return t.unmarshal(doc)
}

// update runs fn on the locked document id inside tx, then check (which restores the
// fields fn must not change and may refuse the change), sets Version+1 from cur and
// saves. It returns a fresh copy of what it saved, sharing nothing with fn's value.
func (t docTable[T]) update(ctx context.Context, db *DB, tx *sql.Tx, id string,
	fn func(*T) error, check func(cur, next *T) error) (T, error) {
	var zero T
	cur, err := t.get(ctx, db, tx, id, true)
	if err != nil {
		return zero, err
	}
	next, err := t.unmarshal(mustJSON(t, &cur))
	if err != nil {
		return zero, err
	}
	if err := fn(&next); err != nil {
		return zero, err
	}
	if err := check(&cur, &next); err != nil {
		return zero, err
	}
	t.setVersion(&next, t.version(&cur)+1)
	return t.save(ctx, db, tx, id, next)
}

// save writes v (its columns, document and Version) over the row id and returns a
// fresh copy of what it wrote.
func (t docTable[T]) save(ctx context.Context, db *DB, tx *sql.Tx, id string, v T) (T, error) {
	var zero T
	doc, err := t.marshal(&v)
	if err != nil {
		return zero, err
	}
	set := make([]string, 0, len(t.cols)+2)
	for _, c := range t.cols {
		set = append(set, c+" = ?")
	}
	set = append(set, "doc = ?", "version = ?")
	args := append(append(t.vals(&v), doc, t.version(&v)), id)
	if _, err := tx.ExecContext(ctx, db.d.q("UPDATE "+t.table+" SET "+strings.Join(set, ", ")+" WHERE id = ?"), args...); err != nil {
		return zero, db.createError(ctx, err, "update %s %s", t.what, id)
	}
	return t.unmarshal([]byte(doc))
}

// mustJSON marshals a value that was just unmarshaled, which cannot fail.
func mustJSON[T any](t docTable[T], v *T) []byte {
	s, err := t.marshal(v)
	if err != nil {
		panic(err) // a decoded document always encodes again
	}
	return []byte(s)
}

// list yields the documents selected by where (SQL conditions on the columns, "" for
// none) in order, that pass match, at most limit of them (limit ≤ 0: all). Conditions
// SQL cannot express run in Go, on rows streamed in order, so the cursor and the limit
// hold exactly as in memory.
func (t docTable[T]) list(ctx context.Context, db *DB, where string, args []any, order string,
	match func(T) bool, limit int) iter.Seq2[T, error] {
	query := "SELECT doc FROM " + t.table
	if where != "" {
		query += " WHERE " + where
	}
	query += " ORDER BY " + order
	rows := yieldRows(ctx, db, "list "+t.what+"s", db.d.q(query), args, func(row interface{ Scan(...any) error }) (T, error) {
		var doc []byte
		if err := row.Scan(&doc); err != nil {
			var zero T
			return zero, err
		}
		return t.unmarshal(doc)
	})
	return func(yield func(T, error) bool) {
		n := 0
		for v, err := range rows {
			if err != nil {
				yield(v, err)
				return
			}
			if match != nil && !match(v) {
				continue
			}
			if !yield(v, nil) {
				return
			}
			if n++; limit > 0 && n == limit {
				return
			}
		}
	}
}

// conds builds a WHERE clause from column conditions: each pair is a condition with one
// ? placeholder and its argument, added when on is true.
type conds struct {
	parts []string
	args  []any
}

func (c *conds) add(on bool, cond string, arg any) {
	if on {
		c.parts = append(c.parts, cond)
		c.args = append(c.args, arg)
	}
}

func (c *conds) where() string { return strings.Join(c.parts, " AND ") }
