package grpc_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"

	reqcachegrpc "github.com/reqcache/reqcache/contrib/grpc"
	"github.com/reqcache/reqcache/reqcache"
)

const streamingCall = "/grpc.testing.TestService/StreamingOutputCall"

// stream asks for the customers ids in one streaming call, and returns the
// names it received until the stream ended, and its error.
func stream(t *testing.T, s *server, ids ...int32) ([]string, error) {
	t.Helper()
	req := &testpb.StreamingOutputCallRequest{}
	for _, id := range ids {
		req.ResponseParameters = append(req.ResponseParameters, &testpb.ResponseParameters{Size: id})
	}
	st, err := s.client.StreamingOutputCall(context.Background(), req)
	if err != nil {
		return nil, err
	}
	var names []string
	for {
		resp, err := st.Recv()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return names, err
		}
		names = append(names, string(resp.GetPayload().GetBody()))
	}
}

func TestStreamServerInterceptor(t *testing.T) {
	tests := []struct {
		name      string
		opts      reqcachegrpc.Options
		ids       []int32
		wantCode  codes.Code
		wantStats reqcache.Stats
	}{
		{"hits", reqcachegrpc.Options{}, []int32{1, 1, 2, 1}, codes.OK,
			reqcache.Stats{Hits: 2, Misses: 2, Loads: 2}},
		{"max entries", reqcachegrpc.Options{MaxEntries: 1}, []int32{1, 2, 1, 2}, codes.OK,
			reqcache.Stats{Misses: 4, Loads: 4, Evicted: 3}}, // each call evicts the other key
		{"panic", reqcachegrpc.Options{}, []int32{1, panicID}, codes.Internal,
			reqcache.Stats{Misses: 2, Loads: 2, Errors: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, tt.opts)
			_, err := stream(t, s, tt.ids...)
			if status.Code(err) != tt.wantCode {
				t.Fatalf("StreamingOutputCall(%v) = %v; want code %v", tt.ids, err, tt.wantCode)
			}
			e := s.end(t)
			if e.method != streamingCall || !e.closed || !e.inCtx {
				t.Errorf("OnEnd(%s), closed %t, cache in ctx %t; want OnEnd(%s), closed, in ctx", e.method, e.closed, e.inCtx, streamingCall)
			}
			if e.stats != tt.wantStats {
				t.Errorf("Stats() = %+v; want %+v", e.stats, tt.wantStats)
			}
			if c := reqcache.FromContext(<-s.svc.ctxs); c != e.cache {
				t.Errorf("FromContext(stream.Context()) = %p; want the call's cache %p", c, e.cache)
			}
		})
	}
}

// Every stream gets a cache of its own.
func TestStreamServerInterceptor_Isolation(t *testing.T) {
	s := startServer(t, reqcachegrpc.Options{})
	for range 2 {
		names, err := stream(t, s, 1, 1)
		if err != nil || len(names) != 2 || names[0] != "customer 1" {
			t.Fatalf("StreamingOutputCall(1, 1) = %q, %v; want customer 1 twice", names, err)
		}
		s.end(t)
	}
	if got := s.svc.db.queries.Load(); got != 2 {
		t.Errorf("queries = %d; want 2 (one per stream)", got)
	}
}

func TestStreamServerInterceptor_Skip(t *testing.T) {
	s := startServer(t, reqcachegrpc.Options{Skip: func(m string) bool { return m == streamingCall }})
	if _, err := stream(t, s, 1, 1); err != nil {
		t.Fatalf("StreamingOutputCall(1, 1) = %v", err)
	}
	if c := reqcache.FromContext(<-s.svc.ctxs); c != nil {
		t.Errorf("FromContext(skipped stream's ctx) = %v; want nil", c)
	}
	if got := s.svc.db.queries.Load(); got != 2 {
		t.Errorf("queries = %d; want 2 (no cache)", got)
	}
	s.noEnd(t)

	// Skip is per method: the unary call still gets a cache.
	if _, err := unary(t, s, 1); err != nil {
		t.Fatalf("UnaryCall(1) = %v", err)
	}
	if e := s.end(t); e.method != unaryCall {
		t.Errorf("OnEnd(%s); want OnEnd(%s)", e.method, unaryCall)
	}
}
