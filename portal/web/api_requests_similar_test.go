package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// similarWorld files, through the service, the requests the similar-request
// tests look for: a traffic jam of ent-001 and an unrelated one of ent-002.
type similarWorld struct {
	*reqServer
	jam, jewelry *portal.Request
}

func newSimilarWorld(t *testing.T) *similarWorld {
	t.Helper()
	ts := &similarWorld{reqServer: newReqServer(t)}
	file := func(user string, in portal.RequestInput) *portal.Request {
		in.Type, in.Channel = portal.TypeHelp, portal.ChannelPortal
		r, err := ts.w.Requests.File(ts.w.As(t, user), in, nil)
		portaltest.Must(t, err, "file as %s", user)
		return r
	}
	ts.jam = file("enterprise", portal.RequestInput{Category: "traffic", Title: "港前路早高峰拥堵<script>alert(1)</script>",
		Description: "每天早上港前路严重拥堵，公司货车排队进港要两个多小时，希望协调交通疏导。"})
	ts.jewelry = file("enterprise2", portal.RequestInput{Category: "traffic", Title: "水贝路拥堵货车进出困难",
		Description: "水贝一路早高峰拥堵，货车进出厂区困难，希望交警协助疏导。"})
	return ts
}

// unchanged checks after a refused call that the requests and their index
// entries are as they were.
func (ts *similarWorld) unchanged(t *testing.T, _ *httptest.ResponseRecorder) {
	t.Helper()
	for _, r := range []*portal.Request{ts.jam, ts.jewelry} {
		got := ts.stored(t, r.ID)
		if got.Version != r.Version || got.Status != r.Status {
			t.Errorf("%s changed: version %d → %d, %s → %s", r.No, r.Version, got.Version, r.Status, got.Status)
		}
	}
	if n := ts.count(t); n != 2 {
		t.Errorf("%d requests stored, want 2", n)
	}
}

func similarPath(base string, params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	return base + "?" + v.Encode()
}

func TestSimilarRequestsAPI(t *testing.T) {
	ts := newSimilarWorld(t)
	api := func(params ...string) string { return similarPath("/api/v1/requests/similar", params...) }
	typed := "港前路拥堵，货车进港排队太久"
	jam := []string{`"no":"` + ts.jam.No + `"`, `"id":"` + ts.jam.ID + `"`, `"status":"submitted"`,
		`"enterprise_name":"海湾国际物流有限公司"`, `"created_at":"`, `港前路早高峰拥堵\u003cscript\u003e`}
	empty := []string{`{"items":[]}`}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "GET", Path: api("q", typed), Status: 401, Contains: []string{`"code":"unauthenticated"`}},
		{Name: "enterprise finds its own", Method: "GET", Path: api("q", typed), Actor: "enterprise", Status: 200,
			Contains: jam, NotContains: []string{ts.jewelry.No}},
		{Name: "enterprise2 never sees enterprise's", Method: "GET", Path: api("q", typed, "category", "traffic"),
			Actor: "enterprise2", Status: 200, NotContains: []string{ts.jam.No}},
		{Name: "liaison for the caseload", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001", "category", "traffic"),
			Actor: "liaison", Status: 200, Contains: jam},
		{Name: "liaison without an enterprise yet", Method: "GET", Path: api("q", typed), Actor: "liaison", Status: 200, Contains: empty},
		{Name: "dispatcher", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "dispatcher", Status: 200, Contains: jam},
		{Name: "admin", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "admin", Status: 200, Contains: jam},
		{Name: "excluded", Method: "GET", Path: api("q", typed, "exclude", ts.jam.ID), Actor: "enterprise", Status: 200, Contains: empty},
		{Name: "one character", Method: "GET", Path: api("q", "港"), Actor: "enterprise", Status: 200, Contains: empty},
		{Name: "no text", Method: "GET", Path: api(), Actor: "enterprise", Status: 200, Contains: empty},
		{Name: "handler may not ask", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "handler", Status: 403,
			Contains: []string{`"code":"forbidden"`}, NotContains: []string{ts.jam.No}},
		{Name: "committee may not ask", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "committee", Status: 403},
		{Name: "editor may not ask", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "editor", Status: 403},
		{Name: "over-long q is named", Method: "GET", Path: api("q", strings.Repeat("港", portal.MaxSimilarText+1)), Actor: "enterprise",
			Status: 400, Contains: []string{`"code":"invalid"`, `"fields":{"q":"查询内容不能超过 200 个字"}`}, After: ts.unchanged},
		{Name: "unknown category is named", Method: "GET", Path: api("q", typed, "category", "no-such"), Actor: "enterprise",
			Status: 400, Contains: []string{`"fields":{"category":"未知的诉求分类"}`, "查询参数有误：未知的诉求分类"}, After: ts.unchanged},
		{Name: "another enterprise is named", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "enterprise2",
			Status: 400, Contains: []string{`"enterprise_id":"企业不存在或不在您的负责范围内"`}, NotContains: []string{ts.jam.No}, After: ts.unchanged},
		{Name: "enterprise outside the caseload", Method: "GET", Path: api("q", typed, "enterprise_id", "ent-001"), Actor: "liaison2",
			Status: 400, Contains: []string{`"enterprise_id":`}, NotContains: []string{ts.jam.No}, After: ts.unchanged},
		{Name: "control characters", Method: "GET", Path: api("q", "港前路\x01拥堵"), Actor: "enterprise",
			Status: 400, Contains: []string{`"q":"查询内容含有不可见的控制字符"`}, After: ts.unchanged},
		{Name: "over-long exclude", Method: "GET", Path: api("q", typed, "exclude", strings.Repeat("x", 65)), Actor: "enterprise",
			Status: 400, Contains: []string{`"exclude":`}, After: ts.unchanged},
	})
}

// TestSimilarRouteBesideRequestID checks that the static segment "similar"
// and the request id parameter each reach their own handler.
func TestSimilarRouteBesideRequestID(t *testing.T) {
	ts := newSimilarWorld(t)
	registered := map[string]bool{}
	for _, r := range ts.Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	for _, route := range []string{"GET /api/v1/requests/similar", "GET /api/v1/requests/:id", "GET /requests/new/similar", "GET /requests/:id"} {
		if !registered[route] {
			t.Skipf("%s is not registered yet; nothing to tell apart", route)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "similar", Method: "GET", Path: "/api/v1/requests/similar?q=" + url.QueryEscape("港前路拥堵"), Actor: "enterprise",
			Status: 200, Contains: []string{`{"items":[{"id":"` + ts.jam.ID}},
		{Name: "a request by id", Method: "GET", Path: "/api/v1/requests/" + ts.jam.ID, Actor: "enterprise",
			Status: 200, Contains: []string{`"no":"` + ts.jam.No + `"`, `"description":`}},
		{Name: "the fragment", Method: "GET", Path: "/requests/new/similar?q=" + url.QueryEscape("港前路拥堵"), Actor: "enterprise",
			Status: 200, Contains: []string{"可能与以下诉求重复"}},
	})
}

// TestSimilarRequestIndexKeepsUp files, withdraws and repairs over the
// service the API reads, and watches the API's answer follow.
func TestSimilarRequestIndexKeepsUp(t *testing.T) {
	ts := newSimilarWorld(t)
	path := similarPath("/api/v1/requests/similar", "q", "港前路拥堵货车进港")
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "filed is found", Method: "GET", Path: path, Actor: "enterprise", Status: 200, Contains: []string{ts.jam.No}},
	})
	_, err := ts.w.Requests.Act(ts.w.As(t, "enterprise"), ts.jam.ID, portal.ActWithdraw, portal.ActionInput{})
	portaltest.Must(t, err, "withdraw")
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "withdrawn is gone", Method: "GET", Path: path, Actor: "enterprise", Status: 200, Contains: []string{`{"items":[]}`}},
	})
	// A request whose index write is lost appears once the repair runs.
	ts.w.Requests.Index = nil
	lost, err := ts.w.Requests.File(ts.w.As(t, "enterprise"), portal.RequestInput{Category: "traffic", Type: portal.TypeHelp,
		Channel: portal.ChannelPortal, Title: "港前路拥堵货车进港难", Description: "港前路早高峰拥堵，货车进港排队很久，请协调疏导。"}, nil)
	portaltest.Must(t, err, "file without the index")
	ts.w.Requests.Index = ts.w.Search
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "lost write is not found", Method: "GET", Path: path, Actor: "enterprise", Status: 200, NotContains: []string{lost.No}},
	})
	portaltest.Must(t, ts.w.Search.HandleRepairTask(context.Background(), nil), "repair")
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "repaired is found", Method: "GET", Path: path, Actor: "enterprise", Status: 200, Contains: []string{lost.No}},
	})
}
