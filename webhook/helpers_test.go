package webhook

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

type countingServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newCountingServer(t *testing.T) *countingServer {
	c := &countingServer{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.hits.Add(1) }))
	t.Cleanup(c.Close)
	return c
}
