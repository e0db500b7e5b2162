package reqcache

import "github.com/reqcache/reqcache/region"

// The indexes find the entries that an invalidation by ID, tag or parameter
// removes, in time proportional to how many it removes. A Cache that is
// never invalidated that way never builds them: the first such invalidation
// indexes every stored entry in one pass, and from then on each entry is
// indexed when its load ends. Over a request this costs O(1) per entry.

// A chain lists the entries that have one ID, tag or parameter value.
type chain struct {
	head *link
}

// A link is one entry's place in one chain.
type link struct {
	e          *entryBase
	ch         *chain
	prev, next *link
}

func (ch *chain) add(e *entryBase) *link {
	l := &link{e: e, ch: ch, next: ch.head}
	if ch.head != nil {
		ch.head.prev = l
	}
	ch.head = l
	return l
}

func (l *link) unlink() {
	if l.prev != nil {
		l.prev.next = l.next
	} else {
		l.ch.head = l.next
	}
	if l.next != nil {
		l.next.prev = l.prev
	}
	l.prev, l.next, l.ch = nil, nil, nil
}

// entries appends the entries of the chain to es, so that removing them
// does not disturb the walk.
func (ch *chain) entries(es []*entryBase) []*entryBase {
	if ch == nil {
		return es
	}
	for l := ch.head; l != nil; l = l.next {
		es = append(es, l.e)
	}
	return es
}

// paramKey is the key of the entries of a method whose i-th parameter has a
// value.
type paramKey struct {
	ms    *mstate
	i     int
	value any
}

// refKey is the key of the entries that have an ID of a region as their
// own or as a tag.
type refKey struct {
	region *region.Info
	id     any
}

func tagKey(t region.Tag) refKey { return refKey{t.Region(), t.ID()} }

func chainFor[K comparable](m map[K]*chain, k K) *chain {
	ch := m[k]
	if ch == nil {
		ch = new(chain)
		m[k] = ch
	}
	return ch
}

// ensureIndexed indexes every stored, loaded entry, once. st.mu must be held.
func (st *cacheState) ensureIndexed() {
	if st.refs != nil {
		return
	}
	st.refs = map[refKey]*chain{}
	st.params = map[paramKey]*chain{}
	st.eachMethod(func(s *mstate) {
		for e := s.head; e != nil; e = e.next {
			if e.state.Load() == stateDone {
				st.index(e)
			}
		}
	})
}

// index adds e to the indexes of its IDs, tags and parameters.
// st.mu must be held.
func (st *cacheState) index(e *entryBase) {
	x := e.more()
	for i := range e.ms.m.params {
		if !e.ms.m.indexed(i) {
			continue
		}
		k := paramKey{e.ms, i, e.self.param(i)}
		x.links = append(x.links, chainFor(st.params, k).add(e))
	}
	e.self.keyRefs(func(r refKey) {
		x.links = append(x.links, chainFor(st.refs, r).add(e))
	})
	for _, r := range x.refs {
		x.links = append(x.links, chainFor(st.refs, r).add(e))
	}
}

// unindex takes e out of every index. st.mu must be held.
func (st *cacheState) unindex(e *entryBase) {
	if e.x == nil {
		return
	}
	for _, l := range e.x.links {
		l.unlink()
	}
	e.x.links = nil
}
