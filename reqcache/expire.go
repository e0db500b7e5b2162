package reqcache

import (
	"sync/atomic"
	"time"
)

// Expiry, for scopes that live long, such as a job or a consumer that
// holds one Cache for hours: a method can give its entries a maximum age
// (MaxAge, Drupal's expire time and Metalama's absolute expiration) and an
// idle time (MaxIdleTime, Metalama's sliding expiration). An entry that
// outlived either is invalid as if MarkStale had marked it: Get loads it
// again, and GetStale answers with it while another call reloads it.
//
// The entries of a method without expiry are published as stateDone, and
// their hits never read the clock. Those of a method with expiry are
// published as stateTimed, with a timing made before they are published,
// which the lock-free hit reads to tell whether they are still live.

// MaxAge makes the entries of the method expire d after they were stored,
// used or not. An entry whose load used an entry with a maximum age
// expires no later than that entry: a summary assembled from details is
// not kept longer than they are. It panics when the method is made if d is
// not positive.
func MaxAge(d time.Duration) Option {
	return func(c *config) { c.maxAge = &d }
}

// MaxIdleTime makes the entries of the method expire once d has passed
// since they were last used (stored, or returned by a call). Each hit of
// such a method reads the clock and records the use; the hits of other
// methods do neither. It panics when the method is made if d is not
// positive.
func MaxIdleTime(d time.Duration) Option {
	return func(c *config) { c.maxIdle = &d }
}

// checkExpiry checks the expiry options of cfg and copies them to m.
func (m *method) checkExpiry(cfg *config) error {
	for _, o := range []struct {
		name string
		d    *time.Duration
		to   *time.Duration
	}{{"MaxAge", cfg.maxAge, &m.maxAge}, {"MaxIdleTime", cfg.maxIdle, &m.maxIdle}} {
		if o.d == nil {
			continue
		}
		if *o.d <= 0 {
			return m.errorf("%s(%v): the duration must be positive", o.name, *o.d)
		}
		*o.to = *o.d
	}
	return nil
}

// timing is when an entry expires.
type timing struct {
	base     time.Time     // when the entry was stored
	deadline time.Time     // when it expires, used or not; zero: never
	idle     time.Duration // how long it may go unused; 0: for ever
	used     atomic.Int64  // when it was last used, as nanoseconds since base
}

// live reports whether an entry with timing t is live at now, and records
// the use if it is. It takes no lock.
func (t *timing) live(now time.Time) bool {
	if !t.deadline.IsZero() && !now.Before(t.deadline) {
		return false
	}
	if t.idle > 0 {
		since := int64(now.Sub(t.base))
		used := t.used.Load()
		if since-used >= int64(t.idle) {
			return false
		}
		for used < since && !t.used.CompareAndSwap(used, since) {
			used = t.used.Load()
		}
	}
	return true
}

// now returns the time of the cache's clock.
func (c *Cache) now() time.Time {
	if c.opts.Clock != nil {
		return c.opts.Clock()
	}
	return time.Now()
}

// answers reports whether e, found without a lock, answers a call as it
// is: it holds an outcome that is neither stale nor expired.
func (c *Cache) answers(e *entryBase) bool {
	switch e.state.Load() {
	case stateDone, stateAbsent:
		return true
	case stateTimed:
		return e.x.timed.live(c.now())
	}
	return false
}

// settledStateLocked returns the state that e, whose load ended, takes:
// absent, timed, with its timing set now, if it expires, or done.
func (c *Cache) settledStateLocked(e *entryBase) uint32 {
	x, m := e.x, e.ms.m
	switch {
	case x != nil && x.absent:
		return stateAbsent
	case e.removed || (m.maxAge == 0 && m.maxIdle == 0 && (x == nil || x.timed == nil)):
		return stateDone
	}
	x = e.more()
	t := x.timed
	if t == nil {
		t = new(timing)
		x.timed = t
	}
	t.base = c.now()
	if m.maxAge > 0 {
		if d := t.base.Add(m.maxAge); t.deadline.IsZero() || d.Before(t.deadline) {
			t.deadline = d
		}
	}
	t.idle = m.maxIdle
	if !t.deadline.IsZero() {
		for d := x.dependents; d != nil; d = d.dnext {
			d.outer.expireByLocked(t.deadline) // loads under way that used e
		}
	}
	return stateTimed
}

// expireByLocked makes e, while it loads, expire no later than deadline.
func (e *entryBase) expireByLocked(deadline time.Time) {
	if e.loaded() {
		return
	}
	x := e.more()
	if x.timed == nil {
		x.timed = new(timing)
	}
	if x.timed.deadline.IsZero() || deadline.Before(x.timed.deadline) {
		x.timed.deadline = deadline
	}
}

// usedTimedLocked makes e, while it loads, expire no later than in, an
// entry its load uses.
func (e *entryBase) usedTimedLocked(in *entryBase) {
	if in.x != nil && in.x.timed != nil && in.loaded() && !in.x.timed.deadline.IsZero() {
		e.expireByLocked(in.x.timed.deadline)
	}
}
