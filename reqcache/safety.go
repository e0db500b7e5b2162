package reqcache

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"time"
)

// The safety nets: verify mode (Options.Verify) re-reads sampled hits and
// reports stale reads, and checks every hit and Close for cached values
// that a caller changed; Options.Explain records why each miss loaded. A
// Cache with neither has no safety, and its hits skip the check.

// A StaleRead is what verify mode reports: a hit whose cached value differs
// from what the wrapped function returns now, or a cached value that a
// caller changed after it was stored.
type StaleRead struct {
	Region, Method string
	// Args are the call's arguments, as in `42, "Smith"`.
	Args string
	// Mutated reports a cached value that changed since it was stored:
	// Fresh is then the value stored, and Cached the value now.
	Mutated bool
	// Cached is the value (or error) the cache held; Fresh, what the
	// function returned on a second call.
	Cached, Fresh any
	// Diff describes the difference, at most a few hundred bytes.
	Diff string
	// LoadedAt is when the cached value was stored.
	LoadedAt time.Time
	// Since lists the invalidations the cache made since the value was
	// stored, oldest first: the one that should have removed it is
	// missing.
	Since []string
}

// String describes the stale read in one line.
func (s StaleRead) String() string {
	what := "stale read"
	if s.Mutated {
		what = "cached value changed by a caller"
	}
	return fmt.Sprintf("reqcache: %s: %s(%s) in region %s: %s; invalidations since it was stored: %v",
		what, s.Method, s.Args, s.Region, s.Diff, s.Since)
}

// A Miss is one miss that Options.Explain recorded.
type Miss struct {
	// Call is the call that missed, as in `(*Repo).GetCustomer(42)`.
	Call string
	// Reason is why it loaded: "first call", "invalidated by <target>",
	// "evicted", "replaced" (Refresh, Prime, an error not stored), or
	// "verify mode" for a hit that verify mode re-read.
	Reason string
}

// Explain returns the misses of the cache, oldest first, with why each
// loaded, if Options.Explain is set; nil otherwise. It keeps the last
// maxExplained.
func (c *Cache) Explain() []Miss {
	if c == nil || c.safety == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Miss(nil), c.safety.misses...)
}

// Bounds of what a safety records.
const (
	maxExplained = 1000 // misses Explain keeps
	maxGone      = 4096 // removed calls whose reason it keeps
	maxLog       = 64   // invalidations a stale read lists
	maxDiff      = 400  // bytes of a Diff
)

// safety is the state of a Cache's safety nets. Guarded by c.mu.
type safety struct {
	c       *Cache
	hits    float64 // the hits verify mode saw, for sampling
	current string  // the target of the invalidation under way
	log     []logged
	gone    map[string]string // call → why its entry left
	misses  []Miss
	pending []StaleRead // found with the lock held, reported after
}

// logged is one invalidation, for StaleRead.Since.
type logged struct {
	at     time.Time
	target string
}

// safetyCheck is what a hit must do after its lock is released.
type safetyCheck struct {
	verify bool // re-read the call
	report bool // report s.pending
}

// needed reports whether the hit must call verify.
func (chk safetyCheck) needed() bool { return chk.verify || chk.report }

func newSafety(c *Cache) *safety {
	return &safety{c: c, gone: map[string]string{}}
}

// storedLocked remembers when e was stored, and a deep copy of its value
// to find a caller's change.
func (s *safety) storedLocked(e *entryBase) {
	if s.c.opts.Verify <= 0 {
		return
	}
	x := e.more()
	x.storedAt = time.Now()
	if v := reflect.ValueOf(e.self.value()); v.IsValid() {
		x.snapshot = deepCopy(v).Interface()
	}
}

// checkLocked decides, at a hit of e, whether to re-read it, and looks for
// a change of its value. A hit from a load, of a stored error or of a key a
// batch function found no value for is not re-read: a single call of the
// function cannot tell the last from a failure.
func (s *safety) checkLocked(e *entryBase, fr frame) safetyCheck {
	var chk safetyCheck
	if s.c.opts.Verify <= 0 {
		return chk
	}
	chk.report = s.mutationLocked(e)
	share := e.ms.m.verify
	if share < 0 {
		share = s.c.opts.Verify
	}
	before := s.hits * share
	s.hits++
	chk.verify = fr == nil && e.err == nil && e.state.Load() != stateAbsent && int64(s.hits*share) > int64(before)
	return chk
}

// mutationLocked adds a report to pending if e's value changed since it
// was stored, once per entry, and reports whether it did.
func (s *safety) mutationLocked(e *entryBase) bool {
	x := e.x
	if x == nil || x.snapshot == nil || x.mutated {
		return false
	}
	now := e.self.value()
	if reflect.DeepEqual(x.snapshot, now) {
		return false
	}
	x.mutated = true
	s.pending = append(s.pending, s.reportLocked(e, true, now, x.snapshot))
	return true
}

// reportLocked builds the report of e, cached now, fresh from the source.
func (s *safety) reportLocked(e *entryBase, mutated bool, cached, fresh any) StaleRead {
	r := StaleRead{
		Region: e.ms.m.region.Name(), Method: e.ms.m.name, Args: e.self.args(),
		Mutated: mutated, Cached: cached, Fresh: fresh,
		Diff: diff(cached, fresh),
	}
	if e.x != nil {
		r.LoadedAt = e.x.storedAt
	}
	for _, l := range s.log {
		if !l.at.Before(r.LoadedAt) {
			r.Since = append(r.Since, l.target)
		}
	}
	return r
}

// flush hands the pending reports to OnStaleRead and the Logger.
func (s *safety) flush(ctx context.Context) {
	s.c.mu.Lock()
	pending := s.pending
	s.pending = nil
	s.c.mu.Unlock()
	for _, r := range pending {
		s.deliver(ctx, r)
	}
}

func (s *safety) deliver(ctx context.Context, r StaleRead) {
	if f := s.c.opts.OnStaleRead; f != nil {
		f(r)
	}
	if l := s.c.opts.Logger; l != nil {
		l.LogAttrs(ctx, slog.LevelWarn, r.String(),
			slog.String("region", r.Region), slog.String("method", r.Method),
			slog.String("args", r.Args), slog.Bool("mutated", r.Mutated),
			slog.String("diff", r.Diff), slog.Time("loaded", r.LoadedAt),
			slog.Any("since", r.Since))
	}
}

// invalidatingLocked logs an invalidation that begins.
func (s *safety) invalidatingLocked(kind string, describe func() string) {
	s.current = kind + " " + describe()
	if s.c.opts.Verify > 0 {
		if len(s.log) == maxLog {
			s.log = append(s.log[:0], s.log[1:]...)
		}
		s.log = append(s.log, logged{time.Now(), s.current})
	}
}

// removedLocked remembers why e's call left the cache, for Explain.
func (s *safety) removedLocked(e *entryBase, why removal) {
	if !s.c.opts.Explain || len(s.gone) >= maxGone {
		return
	}
	reason := "replaced"
	switch why {
	case invalidated:
		reason = "invalidated by " + s.current
	case evicted:
		reason = "evicted"
	case expired:
		reason = "expired"
	}
	s.gone[e.self.String()] = reason
}

// missLocked records why the call of e, just claimed, loads.
func (s *safety) missLocked(e *entryBase) {
	if !s.c.opts.Explain {
		return
	}
	call := e.self.String()
	reason, ok := s.gone[call]
	if !ok {
		reason = "first call"
	}
	delete(s.gone, call)
	s.explainLocked(call, reason)
}

func (s *safety) explainLocked(call, reason string) {
	if len(s.misses) == maxExplained {
		s.misses = append(s.misses[:0], s.misses[1:]...)
	}
	s.misses = append(s.misses, Miss{call, reason})
}

// closingLocked looks for changed values in every entry, at Close.
func (s *safety) closingLocked() {
	s.c.eachMethodLocked(func(ms *mstate) {
		for e := ms.head; e != nil; e = e.mnext {
			s.mutationLocked(e)
		}
	})
}

// verify re-reads the call of e, a hit, without storing the result, and
// reports a stale read if it differs; and reports what checkLocked found.
func (g *engine[K, V]) verify(ctx context.Context, e *entry[K, V], chk safetyCheck) {
	c := e.ms.c
	s := c.safety
	if chk.verify {
		v, err, ok := g.reread(ctx, e.key)
		c.mu.Lock()
		if ok {
			e.ms.rareLocked().checked++
			if s.c.opts.Explain {
				s.explainLocked(e.String(), "verify mode")
			}
			if !g.same(e.val, e.err, v, err) {
				e.ms.rareLocked().stale++
				s.pending = append(s.pending, s.reportLocked(&e.entryBase, false, outcome(e.val, e.err), outcome(v, err)))
			}
		}
		c.mu.Unlock()
	}
	s.flush(ctx)
}

// reread calls the function for k; ok is false if it panicked or its
// context ended, which says nothing of the cached value.
func (g *engine[K, V]) reread(ctx context.Context, k K) (v V, err error, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v, err = g.call(ctx, k)
	return v, err, !isContextErr(err)
}

// same reports whether two outcomes of a call are equal: with the method's
// Equal function, or reflect.DeepEqual; errors by their text.
func (g *engine[K, V]) same(v1 V, err1 error, v2 V, err2 error) bool {
	if (err1 == nil) != (err2 == nil) {
		return false
	}
	if err1 != nil {
		return err1.Error() == err2.Error()
	}
	if g.equal != nil {
		return g.equal(v1, v2)
	}
	return reflect.DeepEqual(v1, v2)
}

func outcome[V any](v V, err error) any {
	if err != nil {
		return err
	}
	return v
}

// diff describes how a and b differ, in at most maxDiff bytes.
func diff(a, b any) string {
	return truncate(fmt.Sprintf("cached %+v, fresh %+v", a, b), maxDiff)
}
