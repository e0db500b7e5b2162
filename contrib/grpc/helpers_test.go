package grpc_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	reqcachegrpc "github.com/reqcache/reqcache/contrib/grpc"
	"github.com/reqcache/reqcache/region"
	"github.com/reqcache/reqcache/reqcache"
)

// Customer is the domain type of the tests.
type Customer struct {
	ID   int64
	Name string
}

var (
	Customers  = region.New[Customer, int64]("Customer")
	CustomerID = region.NewParam[int64]("customerID")
)

// panicID is the customer ID whose load panics.
const panicID = 666

// repo stands for a SQL repository. It counts its queries.
type repo struct {
	queries atomic.Int64
}

func (r *repo) GetCustomer(_ context.Context, id int64) (Customer, error) {
	r.queries.Add(1)
	if id == panicID {
		panic("boom")
	}
	return Customer{ID: id, Name: fmt.Sprintf("customer %d", id)}, nil
}

// service is a TestService whose calls read customers through a cached
// method: UnaryCall the customer ResponseSize, twice; StreamingOutputCall
// the customer of each of its ResponseParameters' Size, one per message.
// It sends the context of every call to ctxs.
type service struct {
	testpb.UnimplementedTestServiceServer
	db          *repo
	getCustomer *reqcache.Func1[int64, Customer]
	ctxs        chan context.Context
}

func newService() *service {
	s := &service{db: &repo{}, ctxs: make(chan context.Context, 16)}
	s.getCustomer = reqcache.Cache1(Customers, s.db.GetCustomer, CustomerID, reqcache.Name("GetCustomer"))
	return s
}

func (s *service) UnaryCall(ctx context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	s.ctxs <- ctx
	var c Customer
	for range 2 {
		var err error
		if c, err = s.getCustomer.Get(ctx, int64(req.ResponseSize)); err != nil {
			return nil, err
		}
	}
	return &testpb.SimpleResponse{Payload: &testpb.Payload{Body: []byte(c.Name)}}, nil
}

func (s *service) StreamingOutputCall(req *testpb.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testpb.StreamingOutputCallResponse]) error {
	ctx := stream.Context()
	s.ctxs <- ctx
	for _, p := range req.ResponseParameters {
		c, err := s.getCustomer.Get(ctx, int64(p.Size))
		if err != nil {
			return err
		}
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: &testpb.Payload{Body: []byte(c.Name)}}); err != nil {
			return err
		}
	}
	return nil
}

// ended is a call of Options.OnEnd.
type ended struct {
	method string
	cache  *reqcache.Cache
	closed bool // whether the cache was closed when OnEnd was called
	stats  reqcache.Stats
	inCtx  bool // whether ctx carried the cache
}

// server is a TestService on an in-memory connection, behind the
// interceptors made with opts and, outside them, interceptors that turn
// panics into errors of code Internal.
type server struct {
	svc    *service
	client testpb.TestServiceClient
	ends   chan ended
}

func startServer(t *testing.T, opts reqcachegrpc.Options) *server {
	t.Helper()
	s := &server{svc: newService(), ends: make(chan ended, 16)}
	opts.OnEnd = func(ctx context.Context, method string, c *reqcache.Cache) {
		s.ends <- ended{method, c, c.Closed(), c.Stats(), reqcache.FromContext(ctx) == c}
	}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(recoverUnary, reqcachegrpc.UnaryServerInterceptor(opts)),
		grpc.ChainStreamInterceptor(recoverStream, reqcachegrpc.StreamServerInterceptor(opts)),
	)
	testpb.RegisterTestServiceServer(srv, s.svc)
	lis := bufconn.Listen(1 << 16)
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(lis) })
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("NewClient() = %v", err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
		wg.Wait()
	})
	s.client = testpb.NewTestServiceClient(conn)
	return s
}

// end returns the call of OnEnd that a finished call made. The server
// calls OnEnd before it sends the call's status.
func (s *server) end(t *testing.T) ended {
	t.Helper()
	select {
	case e := <-s.ends:
		return e
	default:
		t.Fatalf("OnEnd was not called")
		return ended{}
	}
}

// noEnd fails the test if OnEnd was called.
func (s *server) noEnd(t *testing.T) {
	t.Helper()
	select {
	case e := <-s.ends:
		t.Errorf("OnEnd(%s) called; want no call", e.method)
	default:
	}
}

func recoverUnary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (_ any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = status.Errorf(codes.Internal, "panic: %v", v)
		}
	}()
	return handler(ctx, req)
}

func recoverStream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = status.Errorf(codes.Internal, "panic: %v", v)
		}
	}()
	return handler(srv, ss)
}

// countingObserver counts what it observes.
type countingObserver struct {
	loads, closed atomic.Int64
}

func (o *countingObserver) StartLoad(ctx context.Context, _ reqcache.Load) (context.Context, func(reqcache.LoadResult)) {
	o.loads.Add(1)
	return ctx, func(reqcache.LoadResult) {}
}

func (o *countingObserver) Invalidated(context.Context, reqcache.Invalidation) {}

func (o *countingObserver) Closed(*reqcache.Cache) { o.closed.Add(1) }
