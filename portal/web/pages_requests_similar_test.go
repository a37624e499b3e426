package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestSimilarRequestsFragment(t *testing.T) {
	ts := newSimilarWorld(t)
	page := func(params ...string) string { return similarPath("/requests/new/similar", params...) }
	typed := "港前路拥堵，货车进港排队太久"
	htmx := map[string]string{"HX-Request": "true"}
	list := []string{"可能与以下诉求重复", `href="/requests/` + ts.jam.ID + `"`, ts.jam.No, "海湾国际物流有限公司", "待分拨",
		"港前路早高峰拥堵&lt;script&gt;alert(1)&lt;/script&gt;"}
	fragmentOnly := []string{"<html", "<nav", "<script>"}
	nothing := func(t *testing.T, res *httptest.ResponseRecorder) {
		if body := strings.TrimSpace(res.Body.String()); body != "" {
			t.Errorf("want an empty fragment, got %q", body)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the list alone, escaped", Method: "GET", Path: page("q", typed), Actor: "enterprise", Headers: htmx, Status: 200,
			Contains: list, NotContains: fragmentOnly,
			Header: map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}},
		{Name: "the form's own fields", Method: "GET", Actor: "enterprise", Headers: htmx, Status: 200, Contains: list,
			Path: page("title", "港前路拥堵", "description", "货车进港排队太久", "category", "traffic", "enterprise_id", "")},
		{Name: "a long description is cut, not refused", Method: "GET", Actor: "enterprise", Headers: htmx, Status: 200, Contains: list,
			Path: page("title", "港前路拥堵，货车进港排队太久", "description", strings.Repeat("港区道路拥堵，", 100))},
		{Name: "nothing similar renders nothing", Method: "GET", Path: page("q", "申请办理食品经营许可证"), Actor: "enterprise",
			Headers: htmx, Status: 200, After: nothing},
		{Name: "short text renders nothing", Method: "GET", Path: page("title", "港"), Actor: "enterprise", Headers: htmx, Status: 200,
			After: nothing},
		{Name: "enterprise2 never sees enterprise's", Method: "GET", Path: page("q", typed, "category", "traffic"), Actor: "enterprise2",
			Headers: htmx, Status: 200, NotContains: []string{ts.jam.No}},
		{Name: "liaison for the caseload", Method: "GET", Path: page("q", typed, "enterprise_id", "ent-001"), Actor: "liaison",
			Headers: htmx, Status: 200, Contains: list},
		{Name: "visitor's htmx call is 401 without a login page", Method: "GET", Path: page("q", typed), Headers: htmx, Status: 401,
			After: nothing},
		{Name: "visitor is sent to sign in", Method: "GET", Path: page("q", typed), Status: 303,
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				if loc := res.Header().Get("Location"); !strings.HasPrefix(loc, "/login?next=%2Frequests%2Fnew%2Fsimilar") {
					t.Errorf("sent to %q, want the login page coming back here", loc)
				}
			}},
		{Name: "handler may not ask", Method: "GET", Path: page("q", typed, "enterprise_id", "ent-001"), Actor: "handler", Status: 403,
			NotContains: []string{ts.jam.No}},
		{Name: "unknown category is named", Method: "GET", Path: page("q", typed, "category", "no-such"), Actor: "enterprise",
			Headers: htmx, Status: 400, Contains: []string{"未知的诉求分类"}, NotContains: []string{ts.jam.No}, After: ts.unchanged},
		{Name: "over-long q is named", Method: "GET", Path: page("q", strings.Repeat("港", 201)), Actor: "enterprise",
			Headers: htmx, Status: 400, Contains: []string{"查询内容不能超过 200 个字"}, After: ts.unchanged},
		{Name: "another enterprise is named", Method: "GET", Path: page("q", typed, "enterprise_id", "ent-001"), Actor: "enterprise2",
			Headers: htmx, Status: 400, Contains: []string{"企业不存在或不在您的负责范围内"}, NotContains: []string{ts.jam.No}, After: ts.unchanged},
	})
}
