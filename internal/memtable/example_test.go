package memtable_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/osallisuus/osallisuus/internal/memtable"
)

type note struct {
	ID      int
	Text    string
	Version int64
}

func Example() {
	notes := memtable.Kind[int, note]{
		Version:  func(n *note) *int64 { return &n.Version },
		Compare:  cmp.Compare[int],
		NotFound: func(id int) error { return fmt.Errorf("note %d: not found", id) },
		Conflict: func(id int) error { return fmt.Errorf("note %d: exists", id) },
		Invalid:  func() error { return errors.New("note id required") },
	}
	var mu sync.RWMutex
	m := map[int]note{}
	table := func() map[int]note { return m }
	ctx := context.Background()

	for _, id := range []int{3, 1, 2} {
		_ = notes.LockedCreate(ctx, &mu, table, id, note{ID: id, Text: "draft"})
	}
	fmt.Println(notes.LockedCreate(ctx, &mu, table, 0, note{}))
	n, _ := notes.LockedUpdate(ctx, &mu, table, 2, func(n *note) error { n.Text = "final"; return nil },
		func(next *note, cur note) error { next.ID = cur.ID; return nil })
	fmt.Println(n.ID, n.Text, n.Version)
	for n := range notes.List(ctx, &mu, table, memtable.Page[int, note]{After: 1}) {
		fmt.Println(n.ID, n.Text)
	}
	// Output:
	// note id required
	// 2 final 2
	// 2 final
	// 3 draft
}
