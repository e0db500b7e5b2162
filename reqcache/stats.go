package reqcache

// Stats count what the cached methods of one Cache did.
type Stats struct {
	// Hits counts calls answered by a stored entry that is neither stale
	// nor expired.
	Hits int64
	// Misses counts calls that found no loaded entry: they loaded it, or
	// waited for another call's load.
	Misses int64
	// Loads counts calls of the wrapped functions: a batch function called
	// for many keys counts once.
	Loads int64
	// Errors counts loads that returned an error or panicked.
	Errors int64
	// Invalidated counts entries removed by invalidations, or marked stale
	// by soft ones (MarkStale), including entries removed or marked because
	// they depended on removed or marked ones.
	Invalidated int64
	// Evicted counts entries removed to keep the cache within
	// Options.MaxEntries, including entries that depended on them.
	Evicted int64
	// Entries is the number of entries stored now.
	Entries int64
	// Verified counts hits that verify mode re-read; Stale, those whose
	// value differed from the fresh one (see Options.Verify).
	Verified, Stale int64
	// StaleServed counts calls of GetStale answered with a stale value,
	// while another call reloaded it. They count neither as Hits nor as
	// Misses.
	StaleServed int64
	// Expired counts entries marked stale because they outlived their
	// method's MaxAge or MaxIdleTime, including entries that depended on
	// them.
	Expired int64
}

// statsLocked returns the counts of m.
func (m *mstate) statsLocked() Stats {
	s := Stats{
		Hits: m.hits.load(), Misses: m.misses, Loads: m.loads, Errors: m.errors,
		Invalidated: m.invalid, Entries: m.entries,
	}
	if r := m.rare; r != nil {
		s.Evicted = r.evicted
		s.Verified, s.Stale = r.checked, r.stale
		s.StaleServed, s.Expired = r.served, r.expired
	}
	return s
}

func (s *Stats) add(o Stats) {
	s.Hits += o.Hits
	s.Misses += o.Misses
	s.Loads += o.Loads
	s.Errors += o.Errors
	s.Invalidated += o.Invalidated
	s.Evicted += o.Evicted
	s.Entries += o.Entries
	s.Verified += o.Verified
	s.Stale += o.Stale
	s.StaleServed += o.StaleServed
	s.Expired += o.Expired
}

// Stats returns the counts of every method of the cache. It returns zero
// Stats for a nil Cache.
func (c *Cache) Stats() Stats {
	var s Stats
	if c == nil {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closedLocked() {
		for _, m := range c.final {
			s.add(m.Stats)
		}
		return s
	}
	c.eachMethodLocked(func(ms *mstate) { s.add(ms.statsLocked()) })
	return s
}

// StatsByRegion returns the counts of the cache's methods per region, keyed
// by region name. Regions the cache did not use are left out.
func (c *Cache) StatsByRegion() map[string]Stats {
	by := map[string]Stats{}
	for _, m := range c.MethodStats() {
		s := by[m.Region]
		s.add(m.Stats)
		by[m.Region] = s
	}
	return by
}

// MethodStats returns the counts of each method the cache used, in the
// order of first use. After Close, it returns the counts at Close, with no
// entries.
func (c *Cache) MethodStats() []MethodStats {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closedLocked() {
		return append([]MethodStats(nil), c.final...)
	}
	return c.methodStatsLocked(nil)
}

// methodStatsLocked appends the counts of each method to out.
func (c *Cache) methodStatsLocked(out []MethodStats) []MethodStats {
	c.eachMethodLocked(func(ms *mstate) {
		m := MethodStats{Region: ms.m.region.Name(), Method: ms.m.name}
		m.Stats = ms.statsLocked()
		out = append(out, m)
	})
	return out
}
