package api

import (
	"fmt"
	"net/http"
	"net/netip"
)

// ServerTimingFor returns the predicate of the requests that get the
// request cache's Server-Timing entry, for Options.ServerTimingFor, by
// name: "all" (nil: every request), "loopback" (clients on a loopback
// address: the host itself, or a proxy on it, whose clients then all get
// it), or "off" (none).
func ServerTimingFor(name string) (func(*http.Request) bool, error) {
	switch name {
	case "all":
		return nil, nil
	case "loopback":
		return fromLoopback, nil
	case "off":
		return func(*http.Request) bool { return false }, nil
	}
	return nil, fmt.Errorf("api: Server-Timing for %q: want all, loopback or off", name)
}

// fromLoopback reports whether r comes from a loopback address.
func fromLoopback(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && ap.Addr().IsLoopback()
}
