package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Columns hold instants as fixed-width UTC text, "2006-01-02T15:04:05.000000000Z",
// in both dialects: exact to the nanosecond (PostgreSQL's timestamptz keeps
// microseconds), ordered as text and as time alike, and readable by people and by
// ::timestamptz. An instant reads back in UTC (the same instant under time.Time.Equal;
// the caller's zone is not kept). The zero time is NULL.
const instantLayout = "2006-01-02T15:04:05.000000000Z"

// instant returns t's column value: NULL for the zero time.
func instant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatInstant(t)
}

func formatInstant(t time.Time) string { return t.UTC().Format(instantLayout) }

// instantScanner scans an instant column into *t; NULL is the zero time.
type instantScanner struct{ t *time.Time }

func (s instantScanner) Scan(src any) error {
	var text string
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("scan instant from %T", src)
	}
	t, err := time.Parse(instantLayout, text)
	if err != nil {
		return fmt.Errorf("scan instant: %w", err)
	}
	*s.t = t
	return nil
}

// nullUUID returns u's column value: NULL for the zero UUID.
func nullUUID(u uuid.UUID) any {
	if u == uuid.Nil {
		return nil
	}
	return u.String()
}

// uuidScanner scans a UUID column into *u; NULL is the zero UUID. PostgreSQL's uuid
// arrives as text through database/sql, as SQLite's TEXT does.
type uuidScanner struct{ u *uuid.UUID }

func (s uuidScanner) Scan(src any) error {
	if src == nil {
		*s.u = uuid.Nil
		return nil
	}
	return s.u.Scan(src)
}

// list returns a string list's column value as JSON, keeping nil ("null") apart from
// empty ("[]") so that values read back exactly as they were stored.
func list[T ~string](v []T) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// listScanner scans a JSON list column into *v.
type listScanner[T ~string] struct{ v *[]T }

func (s listScanner[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("scan list from %T", src)
	}
	*s.v = nil
	return json.Unmarshal(b, s.v)
}

var (
	_ sql.Scanner = instantScanner{}
	_ sql.Scanner = uuidScanner{}
	_ sql.Scanner = listScanner[string]{}
)
