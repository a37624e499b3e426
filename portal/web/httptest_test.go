package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// httptestServer serves h on a loopback port for the test's lifetime.
func httptestServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
