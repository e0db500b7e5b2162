package reqcache

// OnWaiting makes every call that starts to wait for another call's load
// send on the returned channel, until restore is called. Tests use it to
// know that a goroutine waits, without sleeping.
func OnWaiting() (waiting <-chan struct{}, restore func()) {
	ch := make(chan struct{}, 1024)
	testHookWaiting = func() { ch <- struct{}{} }
	return ch, func() { testHookWaiting = nil }
}

// IndexLen returns the number of chains in c's index, so that tests can
// check that the index holds only what live entries need.
func IndexLen(c *Cache) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index)
}
