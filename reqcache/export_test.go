package reqcache

// OnWaiting makes every call that starts to wait for another call's load
// send on the returned channel, until restore is called. Tests use it to
// know that a goroutine waits, without sleeping.
func OnWaiting() (waiting <-chan struct{}, restore func()) {
	ch := make(chan struct{}, 1024)
	testHookWaiting = func() { ch <- struct{}{} }
	return ch, func() { testHookWaiting = nil }
}
