package memtable

import (
	"context"
	"iter"
	"slices"
	"sync"
)

// Kind describes one map's values to the helpers. Only the fields a helper uses need be
// set; the zero Kind copies values by assignment and has no version.
type Kind[K comparable, V any] struct {
	// Clone returns a deep copy of a value; nil copies by assignment.
	Clone func(V) V
	// Version points to a value's Version field; nil: the values have none.
	Version func(*V) *int64
	// Compare orders keys for List.
	Compare func(a, b K) int
	// NotFound is the error Get and Update return for a missing key.
	NotFound func(K) error
	// Conflict is the error Create returns for a key already present.
	Conflict func(K) error
	// Invalid is the error LockedCreate returns for the zero key.
	Invalid func() error
	// CheckEach makes List check ctx again before each value it yields, not only once
	// before taking its snapshot.
	CheckEach bool
}

func (k Kind[K, V]) clone(v V) V {
	if k.Clone == nil {
		return v
	}
	return k.Clone(v)
}

// Get returns a copy of m[id], or k.NotFound(id). The caller holds the lock (a read
// lock is enough).
func (k Kind[K, V]) Get(m map[K]V, id K) (V, error) {
	v, ok := m[id]
	if !ok {
		var zero V
		return zero, k.NotFound(id)
	}
	return k.clone(v), nil
}

// Create stores a copy of v under id with Version 1, or returns k.Conflict(id) if id is
// present and changes nothing. m must not be nil; the caller holds the write lock and
// has checked id (a zero id is the caller's ErrInvalid).
func (k Kind[K, V]) Create(m map[K]V, id K, v V) error {
	if _, ok := m[id]; ok {
		return k.Conflict(id)
	}
	v = k.clone(v)
	if k.Version != nil {
		*k.Version(&v) = 1
	}
	m[id] = v
	return nil
}

// Update is an atomic read-modify-write of m[id]: it runs fn on a copy of the stored
// value, sets the copy's Version to the stored Version+1, lets keep (if not nil) restore
// the fields fn may not change or refuse the result, and stores a copy of the result.
// It returns k.NotFound(id) for a missing key, and fn's or keep's error unchanged; on
// any error m is unchanged. The caller holds the write lock.
func (k Kind[K, V]) Update(m map[K]V, id K, fn func(*V) error, keep func(next *V, cur V) error) (V, error) {
	var zero V
	cur, ok := m[id]
	if !ok {
		return zero, k.NotFound(id)
	}
	next := k.clone(cur)
	if err := fn(&next); err != nil {
		return zero, err
	}
	if k.Version != nil {
		*k.Version(&next) = *k.Version(&cur) + 1
	}
	if keep != nil {
		if err := keep(&next, cur); err != nil {
			return zero, err
		}
	}
	m[id] = k.clone(next)
	return next, nil
}

// LockedGet checks ctx, then calls Get on the map m returns under mu's read lock.
func (k Kind[K, V]) LockedGet(ctx context.Context, mu *sync.RWMutex, m func() map[K]V, id K) (V, error) {
	if err := ctx.Err(); err != nil {
		var zero V
		return zero, err
	}
	mu.RLock()
	defer mu.RUnlock()
	return k.Get(m(), id)
}

// LockedCreate checks ctx, returns k.Invalid() for the zero id, then calls Create on the
// map m returns under mu's write lock (m may make the store's maps).
func (k Kind[K, V]) LockedCreate(ctx context.Context, mu *sync.RWMutex, m func() map[K]V, id K, v V) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var none K
	if id == none {
		return k.Invalid()
	}
	mu.Lock()
	defer mu.Unlock()
	return k.Create(m(), id, v)
}

// LockedUpdate checks ctx, then calls Update on the map m returns under mu's write lock.
func (k Kind[K, V]) LockedUpdate(ctx context.Context, mu *sync.RWMutex, m func() map[K]V, id K,
	fn func(*V) error, keep func(next *V, cur V) error) (V, error) {
	if err := ctx.Err(); err != nil {
		var zero V
		return zero, err
	}
	mu.Lock()
	defer mu.Unlock()
	return k.Update(m(), id, fn, keep)
}

// Page selects what List yields: the values that match (nil: all) with keys after After
// (the zero key: from the start), at most Limit of them (0 or less: all).
type Page[K comparable, V any] struct {
	Match func(*V) bool
	After K
	Limit int
}

// List yields copies of the values of the map m returns, in k.Compare order of their
// keys, as selected by p. It checks ctx first (yielding only its error if done), copies
// the matching values under mu's read lock and yields after unlocking, so the consumer
// may call the store. m is called under the lock.
func (k Kind[K, V]) List(ctx context.Context, mu *sync.RWMutex, m func() map[K]V, p Page[K, V]) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		var zero V
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		type row struct {
			k K
			v V
		}
		var rows []row
		var none K
		mu.RLock()
		for key, v := range m() {
			if (p.After == none || k.Compare(key, p.After) > 0) && (p.Match == nil || p.Match(&v)) {
				rows = append(rows, row{key, k.clone(v)})
			}
		}
		mu.RUnlock()
		slices.SortFunc(rows, func(a, b row) int { return k.Compare(a.k, b.k) })
		if p.Limit > 0 && len(rows) > p.Limit {
			rows = rows[:p.Limit]
		}
		for _, r := range rows {
			if k.CheckEach {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
			}
			if !yield(r.v, nil) {
				return
			}
		}
	}
}
