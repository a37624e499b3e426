package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestFormBodyLimit: a page form announced larger than MaxFormBody is
// refused with 413 and its reason before anything is read or run, instead
// of looking like a form without its CSRF token.
func TestFormBodyLimit(t *testing.T) {
	ts := newTestServer(t)
	ran := false
	ts.engine.POST("/test-upload", func(c *gin.Context) { ran = true; c.Status(http.StatusNoContent) })
	req := httptest.NewRequest(http.MethodPost, "/test-upload", strings.NewReader("csrf_token=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = MaxFormBody + 1
	res := httptest.NewRecorder()
	ts.Handler().ServeHTTP(res, req)
	if res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body.String(), "超过 64 MB") || ran {
		t.Errorf("oversized form: %d %s (handler ran: %v), want 413 naming the limit", res.Code, res.Body.String(), ran)
	}
}
