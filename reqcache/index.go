package reqcache

import "github.com/reqcache/reqcache/region"

// The indexes find the entries that an invalidation by ID, tag or parameter
// removes, in time proportional to how many it removes. A Cache that is
// never invalidated that way never builds them: the first such invalidation
// indexes every stored entry in one pass, and from then on each entry is
// indexed when its load ends. A chain that loses its last entry leaves the
// index, so that an index holds only what live entries need.

// indexKey names one chain of the index.
type indexKey struct {
	kind   indexKind
	ms     *mstate // kindParam
	i      int     // kindParam: the parameter's index
	region *region.Info
	value  any
}

type indexKind uint8

const (
	kindParam  indexKind = iota // entries of ms whose i-th parameter is value
	kindRef                     // entries whose ID or tag is (region, value)
	kindTagged                  // entries tagged with some ID of region
	kindAnyID                   // stored errors of region, which match every ID
)

// refKey is an ID of a region, as an entry's own ID or as a tag.
type refKey struct {
	region *region.Info
	id     any
}

func tagKey(t region.Tag) refKey { return refKey{t.Region(), t.ID()} }

// A chain lists the entries under one index key.
type chain struct {
	key  indexKey
	head *link
}

// A link is one entry's place in one chain.
type link struct {
	e          *entryBase
	ch         *chain
	prev, next *link
}

// addLocked links e into the chain of k, made if needed. A key that holds
// a NaN is not equal to itself and could never be found or deleted: it is
// not indexed, and nothing selects it.
func (c *Cache) addLocked(k indexKey, e *entryBase) {
	if k.value != k.value {
		return
	}
	ch := c.index[k]
	if ch == nil {
		ch = &chain{key: k}
		c.index[k] = ch
	}
	l := &link{e: e, ch: ch, next: ch.head}
	if ch.head != nil {
		ch.head.prev = l
	}
	ch.head = l
	x := e.more()
	x.links = append(x.links, l)
}

// unlinkLinkLocked takes l out of its chain, and the chain out of the index if
// it is empty.
func (c *Cache) unlinkLinkLocked(l *link) {
	if l.prev != nil {
		l.prev.next = l.next
	} else {
		l.ch.head = l.next
	}
	if l.next != nil {
		l.next.prev = l.prev
	}
	if l.ch.head == nil {
		delete(c.index, l.ch.key)
	}
	l.prev, l.next, l.ch = nil, nil, nil
}

// entriesLocked appends the entries under k to es, so that removing them
// does not disturb the walk.
func (c *Cache) entriesLocked(k indexKey, es []*entryBase) []*entryBase {
	ch := c.index[k]
	if ch == nil {
		return es
	}
	for l := ch.head; l != nil; l = l.next {
		es = append(es, l.e)
	}
	return es
}

// ensureIndexedLocked indexes every stored, loaded entry, once.
func (c *Cache) ensureIndexedLocked() {
	if c.index != nil {
		return
	}
	c.index = map[indexKey]*chain{}
	c.eachMethodLocked(func(ms *mstate) {
		for e := ms.head; e != nil; e = e.mnext {
			if e.loaded() {
				c.indexLocked(e)
			}
		}
	})
}

// indexLocked adds e to the indexes of its IDs, tags and parameters.
func (c *Cache) indexLocked(e *entryBase) {
	m := e.ms.m
	for i := range m.params {
		if m.indexed(i) {
			c.addLocked(indexKey{kind: kindParam, ms: e.ms, i: i, value: e.self.param(i)}, e)
		}
	}
	e.self.keyRefs(func(r refKey) { c.addRefLocked(e, r) })
	if e.x == nil {
		return
	}
	for _, r := range e.x.refs {
		c.addRefLocked(e, r)
	}
	if e.x.noIDs {
		c.addLocked(indexKey{kind: kindAnyID, region: m.region}, e)
	}
}

// addRefLocked indexes e under the ID or tag r; a tag of another region
// also under that region, which a region invalidation removes.
func (c *Cache) addRefLocked(e *entryBase, r refKey) {
	c.addLocked(indexKey{kind: kindRef, region: r.region, value: r.id}, e)
	if r.region != e.ms.m.region {
		c.addLocked(indexKey{kind: kindTagged, region: r.region}, e)
	}
}

// unindexLocked takes e out of every index.
func (c *Cache) unindexLocked(e *entryBase) {
	if e.x == nil {
		return
	}
	for _, l := range e.x.links {
		c.unlinkLinkLocked(l)
	}
	e.x.links = nil
}
