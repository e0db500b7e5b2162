package middleware

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"

	"github.com/reqcache/reqcache/reqcache"
)

// timingWriter adds the Server-Timing entry of a request's cache to the
// response's header when the header is written, as Options.ServerTiming
// describes. Like httptest.ResponseRecorder, it takes the header as it is at
// that moment: the entry counts the cache calls made until then, and is
// added once.
type timingWriter struct {
	http.ResponseWriter
	cache    *reqcache.Cache
	wrote    bool // the header is written, with the entry
	hijacked bool
}

// addEntry adds the entry to the header, unless it did already.
func (w *timingWriter) addEntry() {
	if w.wrote {
		return
	}
	w.wrote = true
	w.ResponseWriter.Header().Add("Server-Timing", timingEntry(w.cache.Stats()))
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

// timingEntry formats the Server-Timing entry for s.
func timingEntry(s reqcache.Stats) string {
	b := make([]byte, 0, 64)
	b = append(b, `reqcache;desc="hits=`...)
	b = strconv.AppendInt(b, s.Hits, 10)
	b = append(b, " misses="...)
	b = strconv.AppendInt(b, s.Misses, 10)
	b = append(b, '"')
	return string(b)
}
