package portaltest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Scenario is one API call and what must come of it.
type Scenario struct {
	Name    string
	Method  string
	Path    string
	Actor   string            // who calls; resolved by the runner's Auth
	Headers map[string]string // extra request headers
	Body    any               // string or []byte sent as is; anything else as JSON
	// Expectations.
	Status      int
	Contains    []string // substrings the body must contain
	NotContains []string // substrings it must not contain
	Header      map[string]string
	// After checks side effects once the response is in.
	After func(t *testing.T, res *httptest.ResponseRecorder)
}

// Runner runs scenarios against one handler.
type Runner struct {
	Handler http.Handler
	// Auth adds the credentials of actor to the request; "" is a visitor.
	Auth func(t *testing.T, actor string, r *http.Request)
}

// Run runs each scenario as a subtest, in order.
func (rn Runner) Run(t *testing.T, scenarios []Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			res := rn.Do(t, sc)
			if res.Code != sc.Status {
				t.Fatalf("%s %s: status %d, want %d; body: %s", sc.Method, sc.Path, res.Code, sc.Status, truncate(res.Body.String()))
			}
			body := res.Body.String()
			for _, want := range sc.Contains {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s: body lacks %q; body: %s", sc.Method, sc.Path, want, truncate(body))
				}
			}
			for _, bad := range sc.NotContains {
				if strings.Contains(body, bad) {
					t.Errorf("%s %s: body contains %q; body: %s", sc.Method, sc.Path, bad, truncate(body))
				}
			}
			for k, v := range sc.Header {
				if got := res.Header().Get(k); got != v {
					t.Errorf("%s %s: header %s = %q, want %q", sc.Method, sc.Path, k, got, v)
				}
			}
			if sc.After != nil {
				sc.After(t, res)
			}
		})
	}
}

// Do sends the scenario's request and returns the recorded response.
func (rn Runner) Do(t *testing.T, sc Scenario) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	switch b := sc.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = strings.NewReader(string(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal scenario body: %v", err)
		}
		body = strings.NewReader(string(raw))
	}
	req := httptest.NewRequest(sc.Method, sc.Path, body)
	req.RemoteAddr = "127.0.0.1:40000"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range sc.Headers {
		req.Header.Set(k, v)
	}
	if rn.Auth != nil {
		rn.Auth(t, sc.Actor, req)
	}
	res := httptest.NewRecorder()
	rn.Handler.ServeHTTP(res, req)
	return res
}

// DecodeJSON decodes the recorded body into v, failing the test otherwise.
func DecodeJSON(t *testing.T, res *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(res.Body.Bytes(), v); err != nil {
		t.Fatalf("decode response %q: %v", truncate(res.Body.String()), err)
	}
}

func truncate(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
