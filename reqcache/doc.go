// Package reqcache caches repository reads for one unit of work, such as an
// HTTP request, so that reads repeated inside it hit the database once and
// writes invalidate exactly what they touched. The cache is thrown away when
// the unit of work ends.
//
// A repository method is wrapped once, in one line, in a cached method of a
// region (see package region):
//
//	byID := reqcache.Cache1(Customers, db.GetCustomerByID, CustomerID, reqcache.IDFromParam(CustomerID))
//
// and called with a context that carries a Cache: the middleware package
// gives every HTTP request one, and Scope gives one to a job, a consumer or
// a test:
//
//	ctx, cache := reqcache.Scope(ctx)
//	defer cache.Close()
//	c, err := byID.Get(ctx, 42)
//
// Without a Cache in the context, or with a closed one, a cached method is
// a plain call of the function it wraps.
//
// # Semantics
//
// Each Cache is isolated: no entry, value or stat of one is visible through
// another, also to a goroutine that outlives its request. Goroutines of one
// Cache that ask for the same call at once run the function once; one whose
// context ends stops waiting without cancelling the call for the others,
// and a wait that would close a cycle of loads returns ErrCycle. Errors are
// not stored unless CacheErrors keeps them; a panic reaches every waiter
// and stores nothing. A cached function that calls other cached methods
// makes its entry depend on theirs: invalidating or evicting one of them
// removes it too. An invalidation removes the matching entries at once,
// and a load under way that it may match is not stored, so a read that
// starts after a write's invalidation loads fresh data. A Cache holds at
// most Options.MaxEntries entries, evicting the least recently used.
// Begin tells a Cache about a database transaction; verify mode
// (Options.Verify) reports stale reads and cached values changed by
// callers. MarkStale marks entries stale instead of removing them, for
// callers of GetStale that accept old data while it reloads; MaxAge and
// MaxIdleTime expire entries in long scopes. Refresh reloads a call with
// every cached call it makes. A batch method with Coalesce gathers the
// GetOne calls that goroutines of one Cache make at once into one call of
// its function, as a dataloader does.
//
// # Engine
//
// A Cache keeps the first entries of each method in a small table of its
// own that hits scan without a lock, and the others in the method's otter
// cache, shared by all Caches under keys that hold the Cache's own key
// space: a small request pays no hashing and no shared write, and a large
// one keeps otter's scalable concurrent table. Hits write only the
// method's hit counter of their Cache. Single flight, dependencies,
// eviction, the indexes for invalidation by ID, tag and parameters (built
// at the first such invalidation of a Cache) and the stats are this
// package's own. Close drops the tables and deletes the entries that went
// to otter.
package reqcache
