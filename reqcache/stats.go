package reqcache

// Stats count what the cached methods of one Cache did.
type Stats struct {
	// Hits counts calls answered by a stored entry.
	Hits int64
	// Misses counts calls that found no loaded entry: they loaded it, or
	// waited for another call's load.
	Misses int64
	// Loads counts calls of the wrapped functions.
	Loads int64
	// Errors counts loads that returned an error or panicked.
	Errors int64
	// Invalidated counts entries removed by invalidations, including
	// entries removed because they depended on removed ones.
	Invalidated int64
	// Rejected counts loads not stored because the cache was full.
	Rejected int64
	// Entries is the number of entries stored now.
	Entries int64
}

func (s *Stats) add(m *mstate) {
	s.Hits += m.hits.Load()
	s.Misses += m.misses
	s.Loads += m.loads
	s.Errors += m.errors
	s.Invalidated += m.invalidated
	s.Rejected += m.rejected
	s.Entries += m.entries
}

// Stats returns the counts of every method of the cache. It returns zero
// Stats for a nil Cache.
func (c *Cache) Stats() Stats {
	var s Stats
	st := c.used()
	if st == nil {
		return s
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.eachMethod(s.add)
	return s
}

// StatsByRegion returns the counts of the cache's methods per region, keyed
// by region name. Regions the cache did not use are left out.
func (c *Cache) StatsByRegion() map[string]Stats {
	m := map[string]Stats{}
	st := c.used()
	if st == nil {
		return m
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.eachMethod(func(ms *mstate) {
		s := m[ms.m.region.Name()]
		s.add(ms)
		m[ms.m.region.Name()] = s
	})
	return m
}

// MethodStats returns the counts of each method the cache used, in the
// order of first use.
func (c *Cache) MethodStats() []MethodStats {
	st := c.used()
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []MethodStats
	st.eachMethod(func(ms *mstate) {
		m := MethodStats{Region: ms.m.region.Name(), Method: ms.m.name}
		m.add(ms)
		out = append(out, m)
	})
	return out
}
