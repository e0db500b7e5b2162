package reqcache

import (
	"context"

	"github.com/reqcache/reqcache/region"
)

// AddTags tags the entry that the cached function running with ctx is
// loading, for a value assembled by hand: the entry is removed when any of
// the tagged IDs is invalidated. It reports whether ctx belongs to such a
// load; called with any other context, it does nothing. Zero tags are
// ignored.
func AddTags(ctx context.Context, tags ...region.Tag) bool {
	c, fr := lookup(ctx)
	if fr == nil {
		return false
	}
	st := c.state()
	st.mu.Lock()
	defer st.mu.Unlock()
	var valid []region.Tag
	for _, t := range tags {
		if t.Region() != nil {
			valid = append(valid, t)
		}
	}
	fr.addRefs(valid)
	return true
}
