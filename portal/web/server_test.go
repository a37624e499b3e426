package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/search"
)

func TestMain(m *testing.M) { portaltest.Main(m) }

// testServer is a Server on a fresh database and index, with the demo org
// tree loaded and readiness checks that tests can break.
type testServer struct {
	*Server
	db       *mongostore.DB
	searchOK error // returned by the search readiness check
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	db := portaltest.DB(t)
	idx := portaltest.Bleve(t)
	org := mongostore.NewOrgStore(db)
	ctx := context.Background()
	var docs []search.Document
	for _, u := range demo.OrgUnits() {
		portaltest.Must(t, org.UpsertOrgUnit(ctx, u), "seed %s", u.ID)
		docs = append(docs, u.SearchDocument())
	}
	portaltest.Must(t, idx.Upsert(ctx, docs...), "index org units")
	ts := &testServer{db: db}
	srv, err := NewServer(Options{
		Log:      slog.New(slog.DiscardHandler),
		Registry: prometheus.NewRegistry(),
		Checks: []ReadyCheck{
			{Name: "database", Check: db.Ping},
			{Name: "search", Check: func(ctx context.Context) error {
				if ts.searchOK != nil {
					return ts.searchOK
				}
				return idx.Ping(ctx)
			}},
		},
		Org:      org,
		OrgIndex: idx,
		Admin: portal.NewOrgAdmin(org, mongostore.NewTaskForceStore(db), mongostore.NewChainStore(db), mongostore.NewEnterpriseStore(db),
			mongostore.NewUserStore(db), mongostore.NewSessionStore(db), mongostore.NewAuditStore(db), nil),
		Version: "test",

		Enterprises:   testEnterpriseService(db),
		Registrations: testRegistrationService(t, db),
		Policies:      testPolicyService(t, db),
	})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ts.Server = srv
	return ts
}

func (ts *testServer) runner() portaltest.Runner {
	return portaltest.Runner{Handler: ts.Handler()}
}

func TestBasics(t *testing.T) {
	ts := newTestServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "healthz", Method: "GET", Path: "/healthz", Status: 200, Contains: []string{`"ok"`}},
		{Name: "readyz lists each dependency with latency", Method: "GET", Path: "/readyz", Status: 200,
			Contains: []string{`"database":{"status":"ok","latency_ms":`, `"search":{"status":"ok"`}},
		{Name: "unknown api route is JSON 404", Method: "GET", Path: "/api/v1/nothing-here", Status: 404,
			Contains: []string{`{"error":{"code":"not_found","message":"您访问的地址不存在"}}`},
			Header:   map[string]string{"Content-Type": "application/json; charset=utf-8"}},
		{Name: "unknown api method is JSON 404", Method: "DELETE", Path: "/api/v1/org-units", Status: 404,
			Contains: []string{`"code":"not_found"`}},
		{Name: "unknown page is a Chinese HTML 404", Method: "GET", Path: "/no/such/page", Status: 404,
			Contains: []string{"<html", "页面不存在", "您访问的地址不存在", `href="/"`},
			Header:   map[string]string{"Content-Type": "text/html; charset=utf-8"}},
		{Name: "openapi document", Method: "GET", Path: "/api/openapi.json", Status: 200,
			Contains: []string{`"openapi": "3.0.3"`, `"/org-units"`}},
		{Name: "org units", Method: "GET", Path: "/api/v1/org-units", Status: 200,
			Contains: []string{"区交通运输局", "海港街道", `"total":28`}},
		{Name: "org units by tier", Method: "GET", Path: "/api/v1/org-units?tier=B", Status: 200,
			Contains: []string{"海港街道", `"total":4`}, NotContains: []string{"区交通运输局"}},
		{Name: "org units found by part of a name through the index", Method: "GET", Path: "/api/v1/org-units?q=交通", Status: 200,
			Contains: []string{"区交通运输局", `"total":1`}},
		{Name: "bad tier names the parameter", Method: "GET", Path: "/api/v1/org-units?tier=Z", Status: 400,
			Contains: []string{`"code":"invalid"`, `"fields":{"tier":`}},
		{Name: "security headers", Method: "GET", Path: "/healthz", Status: 200,
			Header: map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}},
	})
}

func TestReadyzReportsFailingDependency(t *testing.T) {
	ts := newTestServer(t)
	ts.searchOK = errors.New("index is gone")
	ts.runner().Run(t, []portaltest.Scenario{{
		Name: "503 naming the failing check", Method: "GET", Path: "/readyz", Status: 503,
		Contains: []string{`"status":"unavailable"`, `"search":{"status":"down"`, "index is gone", `"database":{"status":"ok"`},
	}})
}

func TestRequestID(t *testing.T) {
	ts := newTestServer(t)
	rn := ts.runner()
	res := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-ID": "abc-123"}})
	if got := res.Header().Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("echoed request id = %q, want abc-123", got)
	}
	res = rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/healthz"})
	if got := res.Header().Get("X-Request-ID"); len(got) != 24 {
		t.Errorf("generated request id = %q, want 24 hex characters", got)
	}
	res = rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-ID": "bad id\twith spaces"}})
	if got := res.Header().Get("X-Request-ID"); strings.ContainsAny(got, " \t") || len(got) != 24 {
		t.Errorf("unsafe request id was echoed or not replaced: %q", got)
	}
}

func TestPanicBecomes500AndServerKeepsServing(t *testing.T) {
	ts := newTestServer(t)
	ts.engine.GET("/api/v1/test-panic", func(c *gin.Context) { panic("boom") })
	ts.engine.GET("/test-panic-page", func(c *gin.Context) { panic("boom") })
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "api panic is JSON 500", Method: "GET", Path: "/api/v1/test-panic", Status: 500,
			Contains: []string{`"code":"internal"`, "服务器内部错误"}, NotContains: []string{"boom"}},
		{Name: "page panic is an HTML 500", Method: "GET", Path: "/test-panic-page", Status: 500,
			Contains: []string{"<html", "出错了"}, NotContains: []string{"boom"}},
		{Name: "still serving", Method: "GET", Path: "/healthz", Status: 200},
	})
}

func TestJSONBodies(t *testing.T) {
	ts := newTestServer(t)
	type body struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	ts.engine.POST("/api/v1/test-echo", func(c *gin.Context) {
		var b body
		if err := decodeJSON(c, &b); err != nil {
			ts.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, b)
	})
	big := `{"name":"` + strings.Repeat("x", MaxJSONBody) + `"}`
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "OK", Method: "POST", Path: "/api/v1/test-echo", Body: `{"name":"海港","count":2}`, Status: 200,
			Contains: []string{`"name":"海港"`, `"count":2`}},
		{Name: "over 1 MiB is 413", Method: "POST", Path: "/api/v1/test-echo", Body: big, Status: 413,
			Contains: []string{`"code":"too_large"`, "1024 KiB"}},
		{Name: "over 1 MiB without a length is 413", Method: "POST", Path: "/api/v1/test-echo", Body: big, Status: 413,
			Headers: map[string]string{"Transfer-Encoding": "chunked"}, Contains: []string{`"code":"too_large"`}},
		{Name: "syntax error names the offset", Method: "POST", Path: "/api/v1/test-echo", Body: `{"name": "x",}`, Status: 400,
			Contains: []string{`"code":"invalid"`, "JSON 格式错误", "第 14 个字节"}},
		{Name: "truncated", Method: "POST", Path: "/api/v1/test-echo", Body: `{"name": "x"`, Status: 400,
			Contains: []string{"内容不完整"}},
		{Name: "empty body", Method: "POST", Path: "/api/v1/test-echo", Body: ``, Status: 400,
			Contains: []string{"请求体为空"}},
		{Name: "wrong type names the field", Method: "POST", Path: "/api/v1/test-echo", Body: `{"count":"two"}`, Status: 400,
			Contains: []string{"字段 count 的类型错误", `"fields":{"count":"类型错误"}`}},
		{Name: "unknown field", Method: "POST", Path: "/api/v1/test-echo", Body: `{"nmae":"x"}`, Status: 400,
			Contains: []string{"未知字段 nmae"}},
		{Name: "two objects", Method: "POST", Path: "/api/v1/test-echo", Body: `{"name":"a"}{"name":"b"}`, Status: 400,
			Contains: []string{"只能包含一个 JSON 对象"}},
		{Name: "not an object", Method: "POST", Path: "/api/v1/test-echo", Body: `[1,2]`, Status: 400,
			Contains: []string{"需要一个对象"}},
		{Name: "wrong content type", Method: "POST", Path: "/api/v1/test-echo", Body: `name=x`, Status: 400,
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Contains: []string{"application/json"}},
	})
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	rn := ts.runner()
	rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/api/v1/org-units?tier=A"})
	rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/probe/this/random/path"})
	rn.Run(t, []portaltest.Scenario{{
		Name: "histograms by route and status", Method: "GET", Path: "/metrics", Status: 200,
		Contains: []string{
			`huiqi_http_request_duration_seconds_bucket{method="GET",route="/api/v1/org-units",status="200"`,
			`huiqi_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`,
		},
		NotContains: []string{"/probe/this/random/path"},
	}})
}

func TestErrorStatusTable(t *testing.T) {
	for code, want := range map[string]int{
		portal.EINVALID: 400, portal.EUNAUTHENTICATED: 401, portal.EFORBIDDEN: 403, portal.ENOTFOUND: 404,
		portal.ECONFLICT: 409, portal.ETOOLARGE: 413, portal.EUNPROCESSABLE: 422, portal.EUNAVAILABLE: 503,
		portal.EINTERNAL: 500,
	} {
		if got := StatusOf(portal.Errorf(code, "x")); got != want {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, want)
		}
	}
	if got := StatusOf(errors.New("plain")); got != 500 {
		t.Errorf("StatusOf(plain error) = %d, want 500", got)
	}
}
