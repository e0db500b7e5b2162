package reqcache

import "sync/atomic"

// The entries of one method in one Cache live in two tiers. The first
// smallSlots live in the method's table, small arrays of the Cache's own
// that hits scan without a lock: the table holds the first tableSlots, and
// a second array, made when they are taken, the others. The entries beyond
// smallSlots live in the method's otter cache, shared by every Cache under
// keys that hold the Cache's own key space (see Cache.space), whose hits
// take no lock either. A small request never touches otter: it pays no
// hashing, no shared write and no delete at Close.
const (
	tableSlots = 8
	smallSlots = 2 * tableSlots
)

// slotArray is an array of slots of a table.
type slotArray[K key[K], V any] [tableSlots]atomic.Pointer[entry[K, V]]

// An mstate is what a Cache holds for one cached method: its counts, and
// the list of its entries.
type mstate struct {
	c    *Cache
	m    *method
	tab  any // the *table[K, V] that holds the mstate
	hits hitCount

	// Guarded by c.mu.
	head    *entryBase // the method's entries, linked by mprev and mnext
	entries int64
	misses  int64
	loads   int64
	errors  int64
	invalid int64 // entries removed by invalidations
	rare    *rareCounts
}

// rareCounts are the counts of what few methods see (eviction, verify
// mode, stale reads, expiry), kept apart so that every table is smaller.
type rareCounts struct {
	evicted int64 // entries removed to make room
	checked int64 // hits verify mode re-read
	stale   int64 // stale reads verify mode found
	served  int64 // stale values GetStale returned
	expired int64 // entries marked stale because they expired
}

// rareLocked returns the rare counts of the method, making them at the
// first use.
func (ms *mstate) rareLocked() *rareCounts {
	if ms.rare == nil {
		ms.rare = new(rareCounts)
	}
	return ms.rare
}

// Entries are handed out once each, never reused, so that a lock-free
// reader never sees one change under it: the first firstEntries from the
// table itself, the next from slabs of up to maxSlab entries. A slab stays
// reachable while one of its entries is, which bounds the memory of a long
// scope at maxSlab entries per live entry.
const (
	firstEntries = 2
	maxSlab      = 8
)

// A table holds the entries of one method in one Cache. It is one
// allocation with the method's state and its first entries.
type table[K key[K], V any] struct {
	ms    mstate
	g     *engine[K, V]
	hi    atomic.Int32 // the slots from hi on are nil; entries spill to g's store only at smallSlots
	slab  int32        // the size of the last slab; guarded by ms.c.mu
	slots slotArray[K, V]
	more  atomic.Pointer[slotArray[K, V]] // the slots from tableSlots on; set before hi passes tableSlots
	first [firstEntries]entry[K, V]
	free  []entry[K, V] // entries not handed out yet; guarded by ms.c.mu
}

// find returns the entry of k, or nil. It takes no lock.
func (t *table[K, V]) find(k K) *entry[K, V] {
	n := int(t.hi.Load())
	for i := range t.slots[:min(n, tableSlots)] {
		if e := t.slots[i].Load(); e != nil && e.key == k {
			return e
		}
	}
	if n > tableSlots {
		return t.findMore(k, n-tableSlots)
	}
	return nil
}

// findMore is find beyond the table's own slots: n of the others are in
// use.
func (t *table[K, V]) findMore(k K, n int) *entry[K, V] {
	more := t.more.Load()
	for i := range more[:n] {
		if e := more[i].Load(); e != nil && e.key == k {
			return e
		}
	}
	if n < smallSlots-tableSlots {
		return nil // entries spill only from a full table
	}
	e, _ := t.g.store.GetIfPresent(spaced[K]{t.ms.c.seq, k})
	return e
}

// slot returns the i-th slot of t, which must exist.
func (t *table[K, V]) slot(i int) *atomic.Pointer[entry[K, V]] {
	if i < tableSlots {
		return &t.slots[i]
	}
	return &t.more.Load()[i-tableSlots]
}

// newEntryLocked returns a new entry for k, not yet published.
func (t *table[K, V]) newEntryLocked(k K) *entry[K, V] {
	if len(t.free) == 0 {
		if t.slab == 0 {
			t.free, t.slab = t.first[:], firstEntries
		} else {
			t.slab = min(maxSlab, smallSlots-firstEntries, 2*t.slab)
			t.free = make([]entry[K, V], t.slab)
		}
	}
	e := &t.free[0]
	t.free = t.free[1:]
	e.ms, e.self, e.key = &t.ms, e, k
	return e
}

// publishLocked makes e, whose fields lock-free readers read are set,
// the entry of its key: in a free slot if there is one, in the shared store
// otherwise. The table holds no entry of e's key.
func (t *table[K, V]) publishLocked(e *entry[K, V]) {
	n := int(t.hi.Load())
	for i := range n {
		if s := t.slot(i); s.Load() == nil {
			e.slot = int8(i)
			s.Store(e)
			return
		}
	}
	if n < smallSlots {
		if n == tableSlots {
			t.more.Store(new(slotArray[K, V]))
		}
		if n+1 == smallSlots {
			t.ms.c.spaceLocked() // before hi: findMore reads the key space once hi is full
		}
		e.slot = int8(n)
		t.slot(n).Store(e)
		t.hi.Store(int32(n + 1))
		return
	}
	c := t.ms.c
	e.slot = -1
	t.g.store.Set(spaced[K]{c.seq, e.key}, e)
	c.spilled++
}

// unpublishLocked undoes publishLocked.
func (t *table[K, V]) unpublishLocked(e *entry[K, V]) {
	if e.slot >= 0 {
		t.slot(int(e.slot)).Store(nil)
		return
	}
	t.g.store.Invalidate(spaced[K]{t.ms.c.seq, e.key})
	t.ms.c.spilled--
}

// table returns the table of g in c, or nil if c has none. It takes no
// lock.
func (g *engine[K, V]) table(c *Cache) *table[K, V] {
	for i := range c.tabs {
		ms := c.tabs[i].Load()
		if ms == nil {
			return nil
		}
		if ms.m == g.m {
			return ms.tab.(*table[K, V])
		}
	}
	return g.tableMore(c)
}

// tableMore is table for a Cache that used more methods than c.tabs holds.
func (g *engine[K, V]) tableMore(c *Cache) *table[K, V] {
	if more := c.more.Load(); more != nil {
		for _, ms := range *more {
			if ms.m == g.m {
				return ms.tab.(*table[K, V])
			}
		}
	}
	return nil
}

// tableLocked returns the table of g in c, making it at the first use.
func (g *engine[K, V]) tableLocked(c *Cache) *table[K, V] {
	if t := g.table(c); t != nil {
		return t
	}
	t := &table[K, V]{g: g}
	t.ms.c, t.ms.m, t.ms.tab = c, g.m, t
	c.addMethodLocked(&t.ms)
	return t
}
