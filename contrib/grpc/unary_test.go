package grpc_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"

	reqcachegrpc "github.com/reqcache/reqcache/contrib/grpc"
	"github.com/reqcache/reqcache/reqcache"
)

const unaryCall = "/grpc.testing.TestService/UnaryCall"

func unary(t *testing.T, s *server, id int32) (string, error) {
	t.Helper()
	resp, err := s.client.UnaryCall(context.Background(), &testpb.SimpleRequest{ResponseSize: id})
	return string(resp.GetPayload().GetBody()), err
}

// Every call gets a cache of its own, closed when it ends.
func TestUnaryServerInterceptor(t *testing.T) {
	s := startServer(t, reqcachegrpc.Options{})
	for range 2 {
		if got, err := unary(t, s, 1); err != nil || got != "customer 1" {
			t.Fatalf("UnaryCall(1) = %q, %v; want %q", got, err, "customer 1")
		}
		e := s.end(t)
		if e.method != unaryCall || !e.closed || !e.inCtx {
			t.Errorf("OnEnd(%s), closed %t, cache in ctx %t; want OnEnd(%s), closed, in ctx", e.method, e.closed, e.inCtx, unaryCall)
		}
		if want := (reqcache.Stats{Hits: 1, Misses: 1, Loads: 1}); e.stats != want {
			t.Errorf("Stats() = %+v; want %+v", e.stats, want)
		}
	}
	if got := s.svc.db.queries.Load(); got != 2 {
		t.Errorf("queries = %d; want 2 (one per call)", got)
	}
}

// A goroutine that keeps the context of a call after it ended sees a
// closed cache.
func TestUnaryServerInterceptor_ClosedAfterCall(t *testing.T) {
	s := startServer(t, reqcachegrpc.Options{})
	if _, err := unary(t, s, 1); err != nil {
		t.Fatalf("UnaryCall(1) = %v", err)
	}
	c := reqcache.FromContext(<-s.svc.ctxs)
	if c == nil || !c.Closed() {
		t.Errorf("FromContext(call's ctx) = %v, closed %t; want a closed cache", c, c.Closed())
	}
	if c != s.end(t).cache {
		t.Errorf("the handler's cache is not the one OnEnd got")
	}
}

func TestUnaryServerInterceptor_Skip(t *testing.T) {
	var skipped []string
	s := startServer(t, reqcachegrpc.Options{Skip: func(m string) bool {
		skipped = append(skipped, m)
		return true
	}})
	if _, err := unary(t, s, 1); err != nil {
		t.Fatalf("UnaryCall(1) = %v", err)
	}
	if c := reqcache.FromContext(<-s.svc.ctxs); c != nil {
		t.Errorf("FromContext(skipped call's ctx) = %v; want nil", c)
	}
	if got := s.svc.db.queries.Load(); got != 2 {
		t.Errorf("queries = %d; want 2 (no cache)", got)
	}
	if len(skipped) != 1 || skipped[0] != unaryCall {
		t.Errorf("Skip called with %q; want [%s]", skipped, unaryCall)
	}
	s.noEnd(t)
}

// A panic of the handler closes the cache, calls OnEnd, and goes on.
func TestUnaryServerInterceptor_Panic(t *testing.T) {
	s := startServer(t, reqcachegrpc.Options{})
	_, err := unary(t, s, panicID)
	if status.Code(err) != codes.Internal || status.Convert(err).Message() != "panic: boom" {
		t.Errorf("UnaryCall(%d) = %v; want Internal, panic: boom", panicID, err)
	}
	e := s.end(t)
	if !e.closed {
		t.Errorf("cache not closed after a panic")
	}
	if want := (reqcache.Stats{Misses: 1, Loads: 1, Errors: 1}); e.stats != want {
		t.Errorf("Stats() = %+v; want %+v", e.stats, want)
	}
}

func TestUnaryServerInterceptor_Observer(t *testing.T) {
	obs := &countingObserver{}
	s := startServer(t, reqcachegrpc.Options{Observer: obs})
	for id := range int32(3) {
		if _, err := unary(t, s, id); err != nil {
			t.Fatalf("UnaryCall(%d) = %v", id, err)
		}
		s.end(t)
	}
	if loads, closed := obs.loads.Load(), obs.closed.Load(); loads != 3 || closed != 3 {
		t.Errorf("observed %d loads, %d closes; want 3, 3", loads, closed)
	}
}
