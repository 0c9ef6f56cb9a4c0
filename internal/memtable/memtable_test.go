package memtable_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/osallisuus/osallisuus/internal/memtable"
)

var (
	errNotFound = errors.New("not found")
	errConflict = errors.New("conflict")
	errInvalid  = errors.New("invalid")
)

type item struct {
	ID      int
	Tags    []string
	Version int64
}

var items = memtable.Kind[int, item]{
	Clone:    func(v item) item { v.Tags = append([]string(nil), v.Tags...); return v },
	Version:  func(v *item) *int64 { return &v.Version },
	Compare:  cmp.Compare[int],
	NotFound: func(id int) error { return fmt.Errorf("item %d: %w", id, errNotFound) },
	Conflict: func(id int) error { return fmt.Errorf("create item %d: %w", id, errConflict) },
	Invalid:  func() error { return errInvalid },
}

func TestCreateStoresACopyWithVersionOne(t *testing.T) {
	m := map[int]item{}
	in := item{ID: 1, Tags: []string{"a"}, Version: 7}
	require.NoError(t, items.Create(m, 1, in))
	in.Tags[0] = "changed"
	got, err := items.Get(m, 1)
	require.NoError(t, err)
	assert.Equal(t, item{ID: 1, Tags: []string{"a"}, Version: 1}, got)
}

func TestCreateRefusesAPresentKeyAndKeepsTheStoredValue(t *testing.T) {
	m := map[int]item{}
	require.NoError(t, items.Create(m, 1, item{ID: 1, Tags: []string{"first"}}))
	err := items.Create(m, 1, item{ID: 1, Tags: []string{"second"}})
	require.ErrorIs(t, err, errConflict)
	assert.Equal(t, []string{"first"}, m[1].Tags)
}

func TestGetReturnsACopyOrNotFound(t *testing.T) {
	m := map[int]item{}
	require.NoError(t, items.Create(m, 1, item{ID: 1, Tags: []string{"a"}}))
	got, err := items.Get(m, 1)
	require.NoError(t, err)
	got.Tags[0] = "changed"
	assert.Equal(t, []string{"a"}, m[1].Tags)
	_, err = items.Get(m, 2)
	require.ErrorIs(t, err, errNotFound)
	assert.EqualError(t, err, "item 2: not found")
}

func TestUpdateBumpsTheVersionAndStoresACopy(t *testing.T) {
	m := map[int]item{}
	require.NoError(t, items.Create(m, 1, item{ID: 1, Tags: []string{"a"}}))
	got, err := items.Update(m, 1, func(v *item) error {
		v.Tags[0] = "b"
		v.Version = 99
		v.ID = 5
		return nil
	}, func(next *item, cur item) error { next.ID = cur.ID; return nil })
	require.NoError(t, err)
	assert.Equal(t, item{ID: 1, Tags: []string{"b"}, Version: 2}, got)
	got.Tags[0] = "changed"
	assert.Equal(t, item{ID: 1, Tags: []string{"b"}, Version: 2}, m[1])
}

func TestUpdateChangesNothingWhenFnOrKeepFails(t *testing.T) {
	errFn, errKeep := errors.New("fn"), errors.New("keep")
	m := map[int]item{}
	require.NoError(t, items.Create(m, 1, item{ID: 1, Tags: []string{"a"}}))
	_, err := items.Update(m, 1, func(v *item) error { v.Tags[0] = "b"; return errFn }, nil)
	require.ErrorIs(t, err, errFn)
	_, err = items.Update(m, 1, func(v *item) error { v.Tags[0] = "b"; return nil },
		func(*item, item) error { return errKeep })
	require.ErrorIs(t, err, errKeep)
	assert.Equal(t, item{ID: 1, Tags: []string{"a"}, Version: 1}, m[1])
	_, err = items.Update(m, 2, func(*item) error { return nil }, nil)
	require.ErrorIs(t, err, errNotFound)
}

func TestTheZeroKindCopiesByAssignmentWithoutVersion(t *testing.T) {
	var plain memtable.Kind[string, item]
	plain.Conflict = func(string) error { return errConflict }
	m := map[string]item{}
	require.NoError(t, plain.Create(m, "a", item{Version: 5}))
	assert.Equal(t, int64(5), m["a"].Version)
	got, err := plain.Update(m, "a", func(v *item) error { v.ID = 3; return nil }, nil)
	require.NoError(t, err)
	assert.Equal(t, item{ID: 3, Version: 5}, got)
}

func collect(t *testing.T, seq func(func(item, error) bool)) []int {
	t.Helper()
	var ids []int
	for v, err := range seq {
		require.NoError(t, err)
		ids = append(ids, v.ID)
	}
	return ids
}

func TestList(t *testing.T) {
	m := map[int]item{}
	for _, id := range []int{5, 3, 9, 1, 7} {
		require.NoError(t, items.Create(m, id, item{ID: id}))
	}
	notSeven := func(v *item) bool { return v.ID != 7 }
	tests := []struct {
		name string
		page memtable.Page[int, item]
		want []int
	}{
		{"it yields every value in key order", memtable.Page[int, item]{}, []int{1, 3, 5, 7, 9}},
		{"it yields only matching values", memtable.Page[int, item]{Match: notSeven}, []int{1, 3, 5, 9}},
		{"it starts after the cursor", memtable.Page[int, item]{After: 3}, []int{5, 7, 9}},
		{"it stops at the limit", memtable.Page[int, item]{After: 3, Limit: 2}, []int{5, 7}},
		{"it applies the limit after the filter", memtable.Page[int, item]{Match: notSeven, After: 3, Limit: 2}, []int{5, 9}},
	}
	var mu sync.RWMutex
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, items.List(t.Context(), &mu, func() map[int]item { return m }, tt.page))
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestListYieldsCopiesWithoutHoldingTheLock(t *testing.T) {
	var mu sync.RWMutex
	m := map[int]item{}
	require.NoError(t, items.Create(m, 1, item{ID: 1, Tags: []string{"a"}}))
	require.NoError(t, items.Create(m, 2, item{ID: 2}))
	for v, err := range items.List(t.Context(), &mu, func() map[int]item { return m }, memtable.Page[int, item]{}) {
		require.NoError(t, err)
		mu.Lock() // would deadlock if List held the read lock
		if v.ID == 1 {
			v.Tags[0] = "changed"
			m[3] = item{ID: 3}
		}
		mu.Unlock()
	}
	assert.Equal(t, []string{"a"}, m[1].Tags)
}

func TestListYieldsOnlyTheErrorOfADoneContext(t *testing.T) {
	var mu sync.RWMutex
	m := map[int]item{1: {ID: 1}}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var errs []error
	for v, err := range items.List(ctx, &mu, func() map[int]item { return m }, memtable.Page[int, item]{}) {
		assert.Zero(t, v)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], context.Canceled)
}

func TestListChecksTheContextBeforeEachValueOnlyWithCheckEach(t *testing.T) {
	m := map[int]item{1: {ID: 1}, 2: {ID: 2}}
	for _, checkEach := range []bool{false, true} {
		k := items
		k.CheckEach = checkEach
		var mu sync.RWMutex
		ctx, cancel := context.WithCancel(t.Context())
		var ids []int
		var errs []error
		for v, err := range k.List(ctx, &mu, func() map[int]item { return m }, memtable.Page[int, item]{}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, v.ID)
			cancel()
		}
		cancel()
		if checkEach {
			assert.Equal(t, []int{1}, ids)
			require.Len(t, errs, 1)
			require.ErrorIs(t, errs[0], context.Canceled)
		} else {
			assert.Equal(t, []int{1, 2}, ids)
			assert.Empty(t, errs)
		}
	}
}

func TestListStopsWhenTheConsumerStops(t *testing.T) {
	var mu sync.RWMutex
	m := map[int]item{1: {ID: 1}, 2: {ID: 2}, 3: {ID: 3}}
	var ids []int
	for v := range items.List(t.Context(), &mu, func() map[int]item { return m }, memtable.Page[int, item]{}) {
		ids = append(ids, v.ID)
		if len(ids) == 2 {
			break
		}
	}
	assert.Equal(t, []int{1, 2}, ids)
}

func TestTheLockedHelpersCheckTheContextFirst(t *testing.T) {
	var mu sync.RWMutex
	m := map[int]item{1: {ID: 1}}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tables := func() map[int]item { return m }
	_, err := items.LockedGet(ctx, &mu, tables, 1)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, items.LockedCreate(ctx, &mu, tables, 2, item{ID: 2}), context.Canceled)
	_, err = items.LockedUpdate(ctx, &mu, tables, 1, func(v *item) error { v.Tags = []string{"x"}; return nil }, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, map[int]item{1: {ID: 1}}, m)
}

func TestTheLockedHelpersWorkUnderTheLock(t *testing.T) {
	var mu sync.RWMutex
	var m map[int]item // made on first create, under the lock
	tables := func() map[int]item { return m }
	create := func() map[int]item {
		if m == nil {
			m = map[int]item{}
		}
		return m
	}
	ctx := t.Context()
	require.ErrorIs(t, items.LockedCreate(ctx, &mu, create, 0, item{}), errInvalid)
	assert.Nil(t, m, "a zero key is refused before anything is made")
	require.NoError(t, items.LockedCreate(ctx, &mu, create, 1, item{ID: 1}))
	require.ErrorIs(t, items.LockedCreate(ctx, &mu, create, 1, item{ID: 1}), errConflict)
	got, err := items.LockedUpdate(ctx, &mu, tables, 1, func(v *item) error { v.Tags = []string{"x"}; return nil }, nil)
	require.NoError(t, err)
	assert.Equal(t, item{ID: 1, Tags: []string{"x"}, Version: 2}, got)
	got, err = items.LockedGet(ctx, &mu, tables, 1)
	require.NoError(t, err)
	assert.Equal(t, item{ID: 1, Tags: []string{"x"}, Version: 2}, got)
	_, err = items.LockedGet(ctx, &mu, tables, 2)
	require.ErrorIs(t, err, errNotFound)
	assert.True(t, mu.TryLock(), "every helper released the lock")
}
