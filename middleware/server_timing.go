package middleware

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/reqcache/reqcache/reqcache"
)

// timingWriter adds the Server-Timing entry of a request's cache to the
// response's header when the header is written, as Options.ServerTiming
// describes. Like httptest.ResponseRecorder, it takes the header as it is at
// that moment: the entry counts the cache calls and the loads ended until
// then, and is added once.
type timingWriter struct {
	http.ResponseWriter
	cache    *reqcache.Cache
	loads    loadTimer // the request cache's Observer, in the same allocation
	wrote    bool      // the header is written, with the entry
	hijacked bool
}

// loadTimer is the reqcache.Observer of a request with Server-Timing: it
// adds up how long the loads of the request's cache ran, and passes every
// call on to next, the Observer of Options, if there is one.
//
// The durations of concurrent loads add up, so the sum can exceed the time
// the request took: it is the time spent in loads, as a database would bill
// it, rather than the wall time during which some load ran. Measuring that
// union would take a lock and the list of the loads under way; the sum
// takes one atomic add per load.
type loadTimer struct {
	next  reqcache.Observer
	total atomic.Int64 // nanoseconds
}

// StartLoad implements reqcache.Observer.
func (t *loadTimer) StartLoad(ctx context.Context, l reqcache.Load) (context.Context, func(reqcache.LoadResult)) {
	if t.next == nil {
		return ctx, func(r reqcache.LoadResult) { t.total.Add(int64(r.Duration)) }
	}
	ctx, end := t.next.StartLoad(ctx, l)
	return ctx, func(r reqcache.LoadResult) {
		t.total.Add(int64(r.Duration))
		end(r)
	}
}

// Invalidated implements reqcache.Observer.
func (t *loadTimer) Invalidated(ctx context.Context, inv reqcache.Invalidation) {
	if t.next != nil {
		t.next.Invalidated(ctx, inv)
	}
}

// Closed implements reqcache.Observer.
func (t *loadTimer) Closed(c *reqcache.Cache) {
	if t.next != nil {
		t.next.Closed(c)
	}
}

// addEntry adds the entry to the header, unless it did already.
func (w *timingWriter) addEntry() {
	if w.wrote {
		return
	}
	w.wrote = true
	d := time.Duration(w.loads.total.Load())
	w.ResponseWriter.Header().Add("Server-Timing", timingEntry(w.cache.Stats(), d))
}

// finish adds the entry to the header of a response that the handler
// returned from without writing anything.
func (w *timingWriter) finish() {
	if !w.hijacked {
		w.addEntry()
	}
}

// WriteHeader adds the entry, unless code is informational (1xx other than
// 101): such a header goes out ahead of the final one, which gets the entry.
func (w *timingWriter) WriteHeader(code int) {
	if code < 100 || code > 199 || code == http.StatusSwitchingProtocols {
		w.addEntry()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *timingWriter) Write(p []byte) (int, error) {
	w.addEntry()
	return w.ResponseWriter.Write(p)
}

// ReadFrom implements io.ReaderFrom, with the ResponseWriter's own ReadFrom
// if it has one, such as the sendfile path of net/http.
func (w *timingWriter) ReadFrom(src io.Reader) (int64, error) {
	w.addEntry()
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.ResponseWriter, src)
}

// Flush implements http.Flusher.
func (w *timingWriter) Flush() {
	_ = w.FlushError()
}

// FlushError flushes as http.ResponseController.Flush does, which calls it.
func (w *timingWriter) FlushError() error {
	w.addEntry()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack implements http.Hijacker. It returns an error wrapping
// http.ErrNotSupported if the ResponseWriter cannot hijack, as HTTP/2's.
func (w *timingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.hijacked = true
	}
	return conn, rw, err
}

// Unwrap returns the ResponseWriter it wraps, for http.ResponseController.
func (w *timingWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// timingEntry formats the Server-Timing entry for s and d, the time spent
// in loads, in milliseconds with three decimals at most.
func timingEntry(s reqcache.Stats, d time.Duration) string {
	var buf [96]byte // on the stack: the string is the one allocation
	b := append(buf[:0], "reqcache;dur="...)
	b = appendMillis(b, d)
	b = append(b, `;desc="hits=`...)
	b = strconv.AppendInt(b, s.Hits, 10)
	b = append(b, " misses="...)
	b = strconv.AppendInt(b, s.Misses, 10)
	b = append(b, " loads="...)
	b = strconv.AppendInt(b, s.Loads, 10)
	b = append(b, '"')
	return string(b)
}

// appendMillis appends d in milliseconds, rounded to the microsecond, with
// no trailing zeros: 12.3 for 12.3ms, 0 for 0.
func appendMillis(b []byte, d time.Duration) []byte {
	us := d.Round(time.Microsecond).Microseconds()
	b = strconv.AppendInt(b, us/1000, 10)
	frac := us % 1000
	if frac == 0 {
		return b
	}
	digits := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	for digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	return append(b, digits...)
}
