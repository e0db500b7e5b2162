package reqcache

import (
	"log/slog"
	"time"
)

// DefaultMaxEntries is the number of entries a Cache holds at most when
// Options.MaxEntries is zero.
const DefaultMaxEntries = 10_000

// Options configure a Cache. The zero value is ready to use.
type Options struct {
	// MaxEntries bounds the number of entries the cache holds at once.
	// When a new entry would exceed it, the cache evicts the entry least
	// recently used (approximately: see Stats.Evicted), and the entries
	// that depend on it. Loads under way are never evicted, so that single
	// flight holds at any fill level; while more loads are under way than
	// the bound leaves room for, the cache holds more entries until they
	// end. Zero means DefaultMaxEntries; a negative value means no bound.
	MaxEntries int

	// OnInvalidate, if not nil, is called after every invalidation of the
	// cache, also one that removed nothing, with what was invalidated and
	// the entries it removed. It is called on the goroutine that
	// invalidated, with no lock held. Describing the entries formats their
	// arguments, which costs allocations: leave it nil unless the report is
	// used.
	OnInvalidate func(Invalidation)

	// Observer, if not nil, watches the cache's loads, invalidations and
	// end, for tracing and metrics. Nil means none, at no cost.
	Observer Observer

	// Verify turns on verify mode, the stale-read detector, for the share
	// of hits it gives, from 0 to 1: such a hit calls the wrapped function
	// again, without storing the result, and reports a StaleRead if the
	// result differs from the cached one (see Equal). A batch method's hit
	// re-reads its key alone (with the single-key method's function, for
	// Func1.Batch); a key the batch function found no value for is not
	// re-read. Every hit is also checked for a cached value that a caller
	// changed. Verify mode calls the database again: it is for tests (see
	// package reqcachetest) and sampled production use. Zero means off, at
	// no cost on the hit path.
	Verify float64

	// OnStaleRead, if not nil, is called with every stale read and
	// changed value that verify mode finds, on the goroutine that found
	// it, with no lock held.
	OnStaleRead func(StaleRead)

	// Logger, if not nil, logs every stale read and changed value verify
	// mode finds, at slog.LevelWarn. Nil means no logging.
	Logger *slog.Logger

	// Explain records, for each miss, why it loaded: see Cache.Explain.
	// False means no record, at no cost.
	Explain bool

	// Clock tells the time for the methods that expire entries (see MaxAge
	// and MaxIdleTime), so that tests can move it without sleeping. Nil
	// means time.Now. The cache reads it only for such methods.
	Clock func() time.Time
}

// maxEntries returns the bound MaxEntries sets.
func (o *Options) maxEntries() int {
	switch {
	case o.MaxEntries == 0:
		return DefaultMaxEntries
	case o.MaxEntries < 0:
		return int(^uint(0) >> 1)
	}
	return o.MaxEntries
}

// An Invalidation reports one invalidation, for Options.OnInvalidate and
// Observer.Invalidated.
type Invalidation struct {
	// Kind says how the entries were selected: "call" (one exact call),
	// "method" (every entry of one method), "id" (unique IDs and tags),
	// "match" (parameters), "region", "all", or "targets" (several kinds
	// at once).
	Kind string
	// Target describes what was invalidated, as in "Customer:42",
	// "Customer(preName=Smith)" or "(*Repo).GetCustomerByID(42)".
	Target string
	// Removed describes each entry the invalidation removed, including
	// entries removed because they depended on a removed one; or, if Stale
	// is set, each entry it marked stale.
	Removed []string
	// Stale reports a soft invalidation, which marked entries stale
	// instead of removing them (see MarkStale).
	Stale bool
}
