package reqcache

// Eviction: a Cache holds at most Options.MaxEntries entries. Its stored
// entries form a ring with a clock hand: a hit sets its entry's ref bit;
// to make room the hand moves over the ring, clearing set bits and evicting
// the first loaded entry whose bit is clear (CLOCK, which approximates
// least recently used in amortized O(1) per eviction). New entries join the
// ring just behind the hand, the last place it reaches. Loads under way
// are passed over, so that single flight holds at any fill level.

// use marks e used since the clock hand last passed it. It takes no lock.
func (e *entryBase) use() {
	if !e.ref.Load() {
		e.ref.Store(true)
	}
}

// linkLocked adds e, just published, to the ring and its method's list.
func (c *Cache) linkLocked(e *entryBase) {
	if c.hand == nil {
		e.prev, e.next = e, e
		c.hand = e
	} else {
		p := c.hand.prev
		e.prev, e.next = p, c.hand
		p.next = e
		c.hand.prev = e
	}
	ms := e.ms
	e.mprev, e.mnext = nil, ms.head
	if ms.head != nil {
		ms.head.mprev = e
	}
	ms.head = e
	ms.entries++
	c.n++
}

// unlinkLocked undoes linkLocked.
func (c *Cache) unlinkLocked(e *entryBase) {
	if e.next == e {
		c.hand = nil
	} else {
		e.prev.next = e.next
		e.next.prev = e.prev
		if c.hand == e {
			c.hand = e.next
		}
	}
	e.prev, e.next = nil, nil
	ms := e.ms
	if e.mprev != nil {
		e.mprev.mnext = e.mnext
	} else {
		ms.head = e.mnext
	}
	if e.mnext != nil {
		e.mnext.mprev = e.mprev
	}
	e.mprev, e.mnext = nil, nil
	ms.entries--
	c.n--
}

// makeRoomLocked evicts an entry if the cache is full, so that a new one
// fits.
func (c *Cache) makeRoomLocked() {
	if c.n >= c.max {
		c.evictOneLocked()
	}
}

// evictOverLocked evicts entries while the cache holds more than its bound,
// as it may after loads that could not make room when they began.
func (c *Cache) evictOverLocked() {
	for c.n > c.max && c.evictOneLocked() {
	}
}

// evictOneLocked evicts one loaded entry, and those that depend on it, and
// reports whether it found one.
func (c *Cache) evictOneLocked() bool {
	for range 2 * c.n { // a second lap finds every bit cleared by the first
		e := c.hand
		c.hand = e.next
		switch {
		case !e.loaded():
		case e.ref.Load():
			e.ref.Store(false)
		default:
			c.removeLocked(e, evicted)
			return true
		}
	}
	return false
}
