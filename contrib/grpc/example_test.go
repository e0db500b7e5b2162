package grpc_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/test/bufconn"

	reqcachegrpc "github.com/reqcache/reqcache/contrib/grpc"
	"github.com/reqcache/reqcache/reqcache"
)

// Every call to the server gets a request cache of its own. The service
// reads the customer of a UnaryCall twice: once from the database, once
// from the call's cache.
func Example() {
	opts := reqcachegrpc.Options{
		OnEnd: func(ctx context.Context, method string, c *reqcache.Cache) {
			s := c.Stats()
			fmt.Printf("%s: hits=%d misses=%d\n", method, s.Hits, s.Misses)
		},
	}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(reqcachegrpc.UnaryServerInterceptor(opts)),
		grpc.ChainStreamInterceptor(reqcachegrpc.StreamServerInterceptor(opts)),
	)
	svc := newService()
	testpb.RegisterTestServiceServer(srv, svc)

	lis := bufconn.Listen(1 << 16)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	defer func() { srv.Stop(); <-served }()
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()

	client := testpb.NewTestServiceClient(conn)
	for _, id := range []int32{1, 2} {
		resp, err := client.UnaryCall(context.Background(), &testpb.SimpleRequest{ResponseSize: id})
		if err != nil {
			panic(err)
		}
		fmt.Println(string(resp.Payload.Body))
	}
	fmt.Println("queries:", svc.db.queries.Load())
	// Output:
	// /grpc.testing.TestService/UnaryCall: hits=1 misses=1
	// customer 1
	// /grpc.testing.TestService/UnaryCall: hits=1 misses=1
	// customer 2
	// queries: 2
}
