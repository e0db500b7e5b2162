package main

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// drainCounter counts its Drain calls.
type drainCounter struct{ n atomic.Int32 }

func (d *drainCounter) Drain() { d.n.Add(1) }

func TestServe_ShutsDownWhenContextEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	inHandler := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(inHandler)
		<-release
		w.WriteHeader(http.StatusNoContent)
	})}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, srv, ln, new(drainCounter), shutdown{timeout: time.Minute}) }()

	got := make(chan int, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- 0
			return
		}
		res.Body.Close()
		got <- res.StatusCode
	}()
	<-inHandler
	cancel() // shutdown waits for the request under way
	close(release)
	if code := <-got; code != http.StatusNoContent {
		t.Errorf("request under way at shutdown: status %d; want 204", code)
	}
	if err := <-served; err != nil {
		t.Errorf("serve() = %v; want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String()); err == nil {
		t.Errorf("GET after shutdown succeeded; want an error")
	}
}
