// Package memtable holds the mechanics the in-memory stores share: getting, creating
// and updating values in a map with deep copies and a Version counter, and listing a map
// in key order with a cursor and a limit without holding the lock while yielding.
//
// It owns no lock: the store keeps its own sync.RWMutex (often one lock over several
// maps, so that an Atomic call can hold it across all of them) and calls Get, Create and
// Update while holding it, or passes it to LockedGet, LockedCreate and LockedUpdate,
// which check the context and hold it for the one call. List takes it only to take its
// snapshot.
// It knows no error kinds either: the store says which error to return, so each store
// keeps its own messages and kernel kinds.
package memtable
