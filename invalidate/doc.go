// Package invalidate removes entries from the request cache that a context
// carries, after a write: by unique ID, by tags, by parameters, a whole
// region, or everything. Call it after the write succeeded, so that the next
// read in the same request loads fresh data:
//
//	if err := r.db.UpdateCustomer(ctx, c); err != nil {
//		return err
//	}
//	invalidate.ID(ctx, Customers, c.ID)
//
// Or wrap the write method once with After1 and friends, which invalidate
// only when the write returns no error.
//
// Every function is a no-op for a context without a cache, or with a closed
// one. To invalidate one exact call, use the Invalidate method of the cached
// method (reqcache.Func1.Invalidate and the like).
package invalidate
