package reqcache

import (
	"context"
	"strings"
	"time"
)

// Single flight, for single calls and batch calls alike: a call that finds
// no entry claims one (claimLocked) and leads its load (run, then
// settleLocked); a call that finds a load under way waits for it
// (waitLocked, then await), unless waiting would close a cycle of loads.

// get returns the value of the call k, for a call that the lock-free hit
// did not answer: it loads it once for every goroutine of c that asks, or
// waits for the load under way, or takes it under the lock for a call from
// the frame fr, which must record its dependency.
func (g *engine[K, V]) get(ctx context.Context, c *Cache, fr frame, k K) (V, error) {
	if c.Closed() || k != k { // closed, or a key with a NaN: never stored
		return g.uncached(ctx, c, fr, k)
	}
	for {
		c.mu.Lock()
		if c.closedLocked() {
			c.mu.Unlock()
			return g.call(ctx, k)
		}
		t := g.tableLocked(c)
		e := t.find(k)
		if e == nil || e.state.Load() == stateAbsent || c.invalidLocked(fr, &e.entryBase) {
			e = g.claimLocked(ctx, t, fr, k, e)
			c.mu.Unlock()
			return g.lead(ctx, e)
		}
		if e.loaded() {
			chk := t.ms.hitLocked(&e.entryBase, fr)
			c.mu.Unlock()
			if chk.needed() {
				g.verify(ctx, e, chk)
			}
			return e.val, e.err
		}
		done, err := c.waitLocked(fr, &e.entryBase)
		c.mu.Unlock()
		if err != nil {
			var zero V
			return zero, err
		}
		if err := c.await(ctx, fr, &e.entryBase, done); err != nil {
			var zero V
			return zero, err
		}
		if !e.retry(ctx) {
			return e.val, e.err
		}
	}
}

// uncached calls the function for k without storing the result, for a
// closed cache or a key that cannot be stored. A frame that uses the
// result is not stored either.
func (g *engine[K, V]) uncached(ctx context.Context, c *Cache, fr frame, k K) (V, error) {
	if fr != nil && !c.Closed() {
		c.mu.Lock()
		fr.dependOnLocked(nil)
		c.mu.Unlock()
	}
	return g.call(ctx, k)
}

// claimLocked makes and publishes a new entry for k in t, to be loaded by
// the caller, from the frame fr if not nil, in place of old, if not nil:
// an absent entry a batch left, a stale one, which the new entry keeps
// for GetStale until its load ends, or one that Refresh replaces. It
// makes room first if c is full.
func (g *engine[K, V]) claimLocked(ctx context.Context, t *table[K, V], fr frame, k K, old *entry[K, V]) *entry[K, V] {
	c := t.ms.c
	stale := old != nil && old.state.Load() == stateStale
	if old != nil && !stale {
		c.removeLocked(&old.entryBase, dropped)
	}
	e := t.newEntryLocked(k)
	if stale {
		c.replaceStaleLocked(&old.entryBase, &e.entryBase)
	}
	c.makeRoomLocked()
	e.parent = ctx
	t.publishLocked(e)
	c.linkLocked(&e.entryBase)
	c.inflightAddLocked(&e.entryBase)
	t.ms.misses++
	if fr != nil {
		fr.dependOnLocked(&e.entryBase)
		markLocked(fr, &e.entryBase)
	}
	if c.safety != nil {
		c.safety.missLocked(&e.entryBase)
	}
	return e
}

// lead runs the load of e, which the caller claimed, and settles e with
// its outcome. A panic of the function reaches every waiter as a
// *PanicError and is raised again here with its own value; after a
// runtime.Goexit the waiters load the key themselves.
func (g *engine[K, V]) lead(ctx context.Context, e *entry[K, V]) (V, error) {
	c := e.ms.c
	var d derived
	entries := [1]*entryBase{&e.entryBase}
	if pe := c.run(&e.entryBase, entries[:], func() {
		e.val, e.err = g.call(&e.entryBase, e.key)
		d = g.derive(e.val, e.err)
	}); pe != nil {
		panic(pe.Value)
	}
	c.mu.Lock()
	e.ms.loads++
	if e.err != nil {
		e.ms.errors++
		e.failedForLocked(ctx, e.err)
	}
	d.applyLocked(&e.entryBase)
	c.settleLocked(&e.entryBase, d.keep)
	c.mu.Unlock()
	c.endLoad(&e.entryBase, LoadResult{Err: e.err})
	return e.val, e.err
}

// run calls load, the function of the frame fr that loads entries, with
// the transaction and Observer bookkeeping; the caller settles the entries
// and calls endLoad after a normal return. If load panics, run settles the
// entries with the panic and returns it; if it calls runtime.Goexit, run
// settles them so that their waiters load again, and the goroutine goes on
// exiting.
func (c *Cache) run(fr frame, entries []*entryBase, load func()) (pe *PanicError) {
	if c.txs.Load() > 0 {
		c.txLoading(fr, entries)
	}
	if o := c.opts.Observer; o != nil {
		c.observe(o, fr, entries)
	}
	returned, recovered := false, false
	defer func() {
		if !returned && !recovered { // runtime.Goexit
			c.settleAbnormal(entries, nil)
			c.endLoad(entries[0], LoadResult{Exited: true})
		}
	}()
	func() {
		defer func() {
			if !returned {
				if r := recover(); r != nil {
					pe = newPanicError(r)
				}
			}
		}()
		load()
		returned = true
	}()
	if !returned {
		recovered = true
		c.settleAbnormal(entries, pe)
		c.endLoad(entries[0], LoadResult{Err: pe, Panicked: true})
	}
	return pe
}

// observe starts the observation of a load with o, and keeps the function
// that ends it in the load's first entry, for endLoad.
func (c *Cache) observe(o Observer, fr frame, entries []*entryBase) {
	start := time.Now()
	first := entries[0]
	m := first.ms.m
	own := append([]*entryBase(nil), entries...) // the caller's may be on its stack
	args := func() string {
		parts := make([]string, len(own))
		for i, e := range own {
			parts[i] = e.self.args()
		}
		return strings.Join(parts, ", ")
	}
	l := Load{Cache: c, Region: m.region.Name(), Method: m.name, Keys: len(entries), args: args}
	if bf, ok := fr.(*batchFrame); ok {
		l.Callers = bf.callers
	}
	ctx, end := o.StartLoad(fr.parentContext(), l)
	switch f := fr.(type) {
	case *entryBase:
		f.parent = ctx
	case *batchFrame:
		f.Context = ctx
	}
	c.mu.Lock()
	first.more().end = func(r LoadResult) {
		r.Duration = time.Since(start)
		end(r)
	}
	c.mu.Unlock()
}

// endLoad ends the observation of the load of e, its first entry, with r.
func (c *Cache) endLoad(e *entryBase, r LoadResult) {
	if c.opts.Observer == nil {
		return
	}
	c.mu.Lock()
	end := e.x.end
	e.x.end = nil
	if !r.Panicked && !r.Exited {
		r.Stored = !e.removed && !c.closedLocked()
	}
	c.mu.Unlock()
	if end != nil {
		end(r)
	}
}

// settleLocked ends the load of e: it keeps the entry stored, and indexed
// if the cache keeps indexes, or drops it, then wakes the waiters. An entry
// that was removed while it loaded stays removed.
func (c *Cache) settleLocked(e *entryBase, keep bool) {
	if !c.closedLocked() {
		c.inflightRemoveLocked(e)
		c.dropWaitsForLocked(e)
		if !e.removed {
			if !keep || (e.x != nil && e.x.uncached) {
				c.removeLocked(e, dropped)
			} else if c.index != nil {
				c.indexLocked(e)
			}
			if c.safety != nil {
				c.safety.storedLocked(e)
			}
		}
		c.evictOverLocked()
	}
	if e.x != nil {
		e.x.prior = nil // GetStale returns the new outcome from now on
	}
	e.state.Store(c.settledStateLocked(e))
	if e.x != nil && e.x.done != nil && !e.x.sharedDone {
		close(e.x.done)
	}
}

// settleAbnormal ends the loads of entries, whose function panicked with
// pe or, if pe is nil, called runtime.Goexit.
func (c *Cache) settleAbnormal(entries []*entryBase, pe *PanicError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range entries {
		x := e.more()
		if pe != nil {
			x.panicked = pe
			if i == 0 {
				e.ms.loads++
				e.ms.errors++
			}
		} else {
			x.goexit = true
		}
		c.settleLocked(e, false)
	}
}

// inflightAddLocked adds e to the loads under way.
func (c *Cache) inflightAddLocked(e *entryBase) {
	e.inflight = int32(len(c.inflight))
	grow := len(c.inflight) == cap(c.inflight)
	c.inflight = append(c.inflight, e)
	if grow {
		clear(c.inflightBuf[:]) // left behind: keep nothing reachable
	}
}

// inflightRemoveLocked undoes inflightAddLocked.
func (c *Cache) inflightRemoveLocked(e *entryBase) {
	last := len(c.inflight) - 1
	moved := c.inflight[last]
	c.inflight[e.inflight] = moved
	moved.inflight = e.inflight
	c.inflight[last] = nil
	c.inflight = c.inflight[:last]
}

// testHookWaiting, if set by a test, is called when a call starts to wait
// for another call's load.
var testHookWaiting func()

// await waits until done, the channel of e's load, is closed, or ctx ends,
// and then returns ctx's error. A waiter from a frame leaves the wait-for
// graph when it stops waiting. After a load that panicked, await panics
// with its *PanicError.
func (c *Cache) await(ctx context.Context, fr frame, e *entryBase, done <-chan struct{}) error {
	if testHookWaiting != nil {
		testHookWaiting()
	}
	var err error
	if cancel := ctx.Done(); cancel == nil {
		<-done
	} else {
		select {
		case <-done:
		case <-cancel:
			err = ctx.Err()
		}
	}
	if fr != nil {
		c.mu.Lock()
		c.dropWaitLocked(fr, e)
		c.mu.Unlock()
	}
	if err == nil && e.x.panicked != nil {
		panic(e.x.panicked)
	}
	return err
}
