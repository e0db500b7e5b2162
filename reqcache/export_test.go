package reqcache

import "sync"

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

// HoldGathering makes the first call of every gathering of a batch method
// with Coalesce send on started, and then wait until release is called,
// before it waits out its Wait; restore undoes it. Tests use it to let
// other calls join a gathering, without sleeping.
func HoldGathering() (started <-chan struct{}, release, restore func()) {
	ch := make(chan struct{}, 64)
	open := make(chan struct{})
	testHookGathering = func() {
		ch <- struct{}{}
		<-open
	}
	var once sync.Once
	return ch, func() { once.Do(func() { close(open) }) }, func() { testHookGathering = nil }
}
