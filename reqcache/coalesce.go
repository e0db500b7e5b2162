package reqcache

import (
	"context"
	"time"
)

// Defaults of Coalescing.
const (
	// DefaultCoalesceWait is the wait of a Coalescing whose Wait is zero.
	DefaultCoalesceWait = time.Millisecond
	// DefaultCoalesceMaxKeys is the bound of a Coalescing whose MaxKeys is
	// zero.
	DefaultCoalesceMaxKeys = 100
)

// Coalescing says how a batch method gathers the GetOne calls that
// goroutines of one Cache make at about the same time into one call of its
// function, as a dataloader does for the resolvers of a GraphQL request.
// The zero value gathers with the defaults.
type Coalescing struct {
	// Wait is how long the first GetOne of a batch waits for others to
	// join it before it calls the function. Zero means
	// DefaultCoalesceWait.
	Wait time.Duration
	// MaxKeys bounds the keys of one call of the function: the GetOne
	// that brings a batch to MaxKeys keys calls the function at once,
	// without waiting out Wait. Zero means DefaultCoalesceMaxKeys.
	MaxKeys int
}

// Coalesce makes a batch method gather its concurrent GetOne calls as co
// says: a GetOne that finds no entry for its key adds the key to the batch
// that the Cache's goroutines are gathering, or starts one, and one call of
// the function loads every key of the batch. Everything else stays as it
// is without Coalesce: each key has an entry of its own, which calls made
// while it loads wait for; an invalidation beats the load; a caller whose
// context ends stops waiting at once; a panic reaches every caller.
//
// The function runs with the context of the call that starts it: the one
// that fills the batch, or the first one when the wait is over. If that
// context ends first, the calls of the others load their keys again, in a
// new batch. The first call of a batch whose context ends during the wait
// gives the batch up: the other calls load their keys again.
//
// Only GetOne gathers. Get, which already makes one call for its keys,
// does not, and neither do calls made inside a transaction (see Begin):
// they see what the transaction wrote, which another caller's load would
// not. A GetOne that is alone waits out Wait before it loads: gather only
// methods that concurrent goroutines call, and give sequential code Get.
//
// Coalesce is an option of CacheBatch and of Func1.Batch; other methods
// refuse it.
func Coalesce(co Coalescing) Option {
	return func(c *config) { c.coalesce = &co }
}

// checkCoalesce checks the Coalescing of m, and fills in its defaults.
func (m *method) checkCoalesce(co *Coalescing) error {
	if co.Wait < 0 {
		return m.errorf("Coalesce: negative Wait %v", co.Wait)
	}
	if co.MaxKeys < 0 {
		return m.errorf("Coalesce: negative MaxKeys %d", co.MaxKeys)
	}
	if co.Wait == 0 {
		co.Wait = DefaultCoalesceWait
	}
	if co.MaxKeys == 0 {
		co.MaxKeys = DefaultCoalesceMaxKeys
	}
	return nil
}

// batchOptions applies the options of Func1.Batch for the method m: only
// Coalesce.
func batchOptions(m *method, opts []Option) *Coalescing {
	var cfg config
	for _, o := range opts {
		if o == nil {
			panic(m.errorf("Batch: nil Option").Error())
		}
		o(&cfg)
	}
	co := cfg.coalesce
	cfg.coalesce = nil
	if !cfg.isZero() {
		panic(m.errorf("Batch takes only Coalesce; give the other options to the single-key method").Error())
	}
	if co != nil {
		if err := m.checkCoalesce(co); err != nil {
			panic(err.Error())
		}
	}
	return co
}

// A gathering is a batch that the GetOne calls of one Cache gather, until
// it is full or its first call's wait is over; then one call of the batch
// function loads its keys. While it gathers, it is in Cache.pending.
type gathering[K comparable, V any] struct {
	b     *Batch[K, V]
	frame batchFrame           // the frame of its load; its entries are those of mine
	mine  []*entry[key1[K], V] // the entries of its keys, claimed
	xs    []extra              // the extras of mine: one allocation
	done  chan struct{}        // closed when every entry of mine is settled
	ctxs  []context.Context    // the contexts of the calls that brought the keys, for an Observer
	dups  bool                 // mine holds a key twice: an invalidation removed the first entry
}

// testHookGathering, if set by a test, is called when the first call of a
// gathering starts to wait for others to join it.
var testHookGathering func()

// pendingLocked returns the gathering of b in c, or nil.
func (b *Batch[K, V]) pendingLocked(c *Cache) *gathering[K, V] {
	for _, p := range c.pending {
		if gt, ok := p.(*gathering[K, V]); ok && gt.b == b {
			return gt
		}
	}
	return nil
}

// newGatheringLocked starts the gathering of b in c, for the call with ctx.
func (b *Batch[K, V]) newGatheringLocked(ctx context.Context, c *Cache) *gathering[K, V] {
	n := min(b.co.MaxKeys, 32)
	gt := &gathering[K, V]{
		b:    b,
		mine: make([]*entry[key1[K], V], 0, n),
		xs:   make([]extra, n),
		done: make(chan struct{}),
	}
	gt.frame = batchFrame{Context: ctx, c: c, entries: make([]*entryBase, 0, n)}
	c.pending = append(c.pending, gt)
	return gt
}

// addLocked adds e, claimed by the call with ctx, to gt.
func (gt *gathering[K, V]) addLocked(ctx context.Context, e *entry[key1[K], V]) {
	for _, o := range gt.mine {
		if o.removed && o.key == e.key {
			gt.dups = true
		}
	}
	if e.x == nil {
		if len(gt.xs) == 0 {
			gt.xs = make([]extra, min(2*len(gt.mine), gt.b.co.MaxKeys-len(gt.mine)))
		}
		e.x, gt.xs = &gt.xs[0], gt.xs[1:]
	}
	e.x.owner, e.x.done, e.x.sharedDone = &gt.frame, gt.done, true
	gt.mine = append(gt.mine, e)
	gt.frame.entries = append(gt.frame.entries, &e.entryBase)
	if gt.frame.c.opts.Observer != nil {
		gt.ctxs = append(gt.ctxs, ctx)
	}
}

// full reports whether gt holds as many keys as one call may have.
func (gt *gathering[K, V]) full() bool { return len(gt.mine) >= gt.b.co.MaxKeys }

// takeLocked ends the gathering of gt, if it is still pending, for the
// call with ctx, which will run its load, and reports whether it was.
func (gt *gathering[K, V]) takeLocked(ctx context.Context) bool {
	c := gt.frame.c
	for i, p := range c.pending {
		if p == any(gt) {
			last := len(c.pending) - 1
			c.pending[i], c.pending[last] = c.pending[last], nil
			c.pending = c.pending[:last]
			gt.frame.Context = ctx
			gt.frame.callers = callersBut(gt.ctxs, ctx)
			return true
		}
	}
	return false
}

// callersBut returns ctxs without ctx, or nil if none is left.
func callersBut(ctxs []context.Context, ctx context.Context) []context.Context {
	var out []context.Context
	for _, x := range ctxs {
		if x != ctx {
			out = append(out, x)
		}
	}
	return out
}

// gathered is GetOne for a method with Coalescing: it returns the entry of
// k, loaded, after it waited for its load or loaded it in a batch it
// gathered, or the error that ended its wait. It reports plain for a call
// that must not gather: with no open cache, inside a transaction or a deep
// Refresh, or for a key with a NaN. Its callees return entries, not
// values, so that its goroutines keep small stacks.
func (b *Batch[K, V]) gathered(ctx context.Context, k K) (_ *entry[key1[K], V], _ error, plain bool) {
	c, fr := lookup(ctx)
	if c.Closed() || k != k || (c.txs.Load() > 0 && txFrom(ctx) != nil) || (fr != nil && fr.refreshing() != 0) {
		return nil, nil, true
	}
	if e := b.g.hit(c, fr, key1[K]{k}); e != nil {
		return e, nil, false
	}
	for {
		e, err, again := b.gatherRound(ctx, c, fr, key1[K]{k})
		if e == nil && err == nil && !again {
			return nil, nil, true // closed meanwhile
		}
		if !again {
			return e, err, false
		}
	}
}

// gatherRound is one pass of gathered. It reports again when the load of k
// ended in a way that says nothing of k, so that the call must look it up
// again.
func (b *Batch[K, V]) gatherRound(ctx context.Context, c *Cache, fr frame, k key1[K]) (_ *entry[key1[K], V], _ error, again bool) {
	c.mu.Lock()
	if c.closedLocked() {
		c.mu.Unlock()
		return nil, nil, false
	}
	t := b.g.tableLocked(c)
	e := t.find(k)
	switch {
	case e == nil || c.invalidLocked(fr, &e.entryBase): // none, stale or expired
		return b.joinLocked(ctx, c, fr, t, k, e)
	case e.loaded():
		chk := t.ms.hitLocked(&e.entryBase, fr)
		c.mu.Unlock()
		if chk.needed() {
			b.g.verify(ctx, e, chk)
		}
		return e, nil, false
	}
	done, err := c.waitLocked(fr, &e.entryBase)
	c.mu.Unlock()
	if err != nil {
		return nil, err, false
	}
	return awaitOne(ctx, c, fr, e, done)
}

// awaitOne waits for the load of e, and returns e.
func awaitOne[K comparable, V any](ctx context.Context, c *Cache, fr frame, e *entry[key1[K], V], done <-chan struct{}) (_ *entry[key1[K], V], _ error, again bool) {
	if err := c.await(ctx, fr, &e.entryBase, done); err != nil {
		return nil, err, false
	}
	if e.retry(ctx) {
		return nil, nil, true
	}
	return e, nil, false
}

// outcomeOf returns the outcome of e, a loaded entry of a batch method.
func outcomeOf[K comparable, V any](e *entry[key1[K], V]) (V, error) {
	if e.state.Load() == stateAbsent {
		var zero V
		return zero, ErrNotFound
	}
	return e.val, e.err
}

// joinLocked claims the entry of k, in place of old, a stale one, if not
// nil, adds it to the gathering of c, and unlocks c.mu: the call then loads
// the batch if it filled it, leads it if it started it, or waits for its
// load.
func (b *Batch[K, V]) joinLocked(ctx context.Context, c *Cache, fr frame, t *table[key1[K], V], k key1[K], old *entry[key1[K], V]) (_ *entry[key1[K], V], _ error, again bool) {
	e := b.g.claimLocked(ctx, t, fr, k, old)
	gt := b.pendingLocked(c)
	first := gt == nil
	if first {
		gt = b.newGatheringLocked(ctx, c)
	}
	gt.addLocked(ctx, e)
	run := gt.full() && gt.takeLocked(ctx)
	if !run && fr != nil {
		// Not a wait that can close a cycle: the batch does not load
		// yet. Its load, once it runs, finds this edge.
		c.waits = append(c.waits, waitEdge{fr, &e.entryBase})
	}
	c.mu.Unlock()
	switch {
	case run:
		gt.run(ctx)
		return e, nil, false
	case first:
		return gt.lead(ctx, fr, e)
	}
	return awaitOne(ctx, c, fr, e, gt.done)
}

// lead waits out the wait of gt, which the call with ctx started with the
// entry e, and then loads it, unless another call filled it and loads it:
// then it waits for that load. If ctx ends during the wait, lead gives gt
// up, so that the calls waiting for its keys load them again.
func (gt *gathering[K, V]) lead(ctx context.Context, fr frame, e *entry[key1[K], V]) (_ *entry[key1[K], V], _ error, again bool) {
	if testHookGathering != nil {
		testHookGathering()
	}
	timer := time.NewTimer(gt.b.co.Wait)
	select {
	case <-timer.C:
	case <-gt.done:
	case <-ctx.Done():
	}
	timer.Stop()
	c := gt.frame.c
	c.mu.Lock()
	mine := gt.takeLocked(ctx)
	if mine && fr != nil {
		c.dropWaitLocked(fr, &e.entryBase)
	}
	if mine && ctx.Err() != nil {
		gt.abandonLocked()
		c.mu.Unlock()
		close(gt.done)
		return nil, ctx.Err(), false
	}
	c.mu.Unlock()
	if !mine {
		return awaitOne(ctx, c, fr, e, gt.done)
	}
	gt.run(ctx)
	return e, nil, false
}

// abandonLocked settles the entries of gt without a load, so that the calls
// waiting for them load them again.
func (gt *gathering[K, V]) abandonLocked() {
	for _, e := range gt.mine {
		e.x.goexit = true
		gt.frame.c.settleLocked(&e.entryBase, false)
	}
}

// run calls the batch function once for the keys of gt, which the call
// with ctx took, and settles their entries with the outcome. A panic of the
// function reaches the calls waiting for the keys, and goes on here.
func (gt *gathering[K, V]) run(ctx context.Context) {
	defer close(gt.done)
	keys := make([]K, len(gt.mine))
	for i, e := range gt.mine {
		keys[i] = e.key.a
	}
	if gt.dups {
		keys = dedup(keys)
	}
	gt.b.loadClaimed(ctx, gt.frame.c, &gt.frame, gt.mine, keys)
}
