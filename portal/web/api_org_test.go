package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestOrgUnitAPI(t *testing.T) {
	ts := newAdminTestServer(t)
	unitParent := func(id string) string {
		t.Helper()
		units, err := ts.opt.Org.FindOrgUnits(t.Context(), portal.OrgUnitFilter{IDs: []string{id}})
		portaltest.Must(t, err, "find %s", id)
		if len(units) != 1 {
			t.Fatalf("unit %s: %d found", id, len(units))
		}
		return units[0].ParentID
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "one unit is public with its path and children", Method: "GET", Path: "/api/v1/org-units/sd-jinsha", Status: 200,
			Contains: []string{`"name":"金沙街道"`, `"tier":"B"`, `"path":[{"id":"district"`, `"children":[`, "黄金珠宝产业园"}},
		{Name: "unknown unit", Method: "GET", Path: "/api/v1/org-units/nope", Status: 404, Contains: []string{`"code":"not_found"`}},

		{Name: "create needs a sign-in", Method: "POST", Path: "/api/v1/org-units", Status: 401,
			Body: map[string]any{"name": "区水务局", "kind": "department", "parent_id": "district"}},
		{Name: "create is for admins", Method: "POST", Path: "/api/v1/org-units", Actor: "dispatcher", Status: 403,
			Body: map[string]any{"name": "区水务局", "kind": "department", "parent_id": "district"}, Contains: []string{`"code":"forbidden"`}},
		{Name: "create refuses a community under the district", Method: "POST", Path: "/api/v1/org-units", Actor: "admin", Status: 400,
			Body: map[string]any{"name": "新社区", "kind": "community", "parent_id": "district"}, Contains: []string{`"parent_id":"社区的上级必须是街道`}},
		{Name: "create refuses a tier the kind does not have", Method: "POST", Path: "/api/v1/org-units", Actor: "admin", Status: 400,
			Body: map[string]any{"name": "区水务局", "kind": "department", "tier": "B", "parent_id": "district"}, Contains: []string{`"tier":"区直部门的层级应为 A"`}},
		{Name: "create refuses unknown fields", Method: "POST", Path: "/api/v1/org-units", Actor: "admin", Status: 400,
			Body: `{"name":"区水务局","kind":"department","parent_id":"district","id":"mine"}`, Contains: []string{"未知字段 id"}},
		{Name: "nothing was created by refused calls", Method: "GET", Path: "/api/v1/org-units?tier=A", Status: 200,
			Contains: []string{`"total":12`}, NotContains: []string{"区水务局"}},
		{Name: "admin creates a department", Method: "POST", Path: "/api/v1/org-units", Actor: "admin", Status: 201,
			Body:     map[string]any{"name": "区水务局", "kind": "department", "parent_id": "district", "head": "钱局长"},
			Contains: []string{`"name":"区水务局"`, `"tier":"A"`, `"parent_id":"district"`}},
		{Name: "the new unit is found by search", Method: "GET", Path: "/api/v1/org-units?q=" + url.QueryEscape("水务"), Status: 200,
			Contains: []string{"区水务局", `"total":1`}},

		{Name: "rename is for admins", Method: "PUT", Path: "/api/v1/org-units/dept-trans", Actor: "depthead", Status: 403,
			Body: map[string]any{"name": "区交通港航局", "kind": "department", "parent_id": "district"}},
		{Name: "admin renames", Method: "PUT", Path: "/api/v1/org-units/dept-trans", Actor: "admin", Status: 200,
			Body:     map[string]any{"name": "区交通港航局", "kind": "department", "parent_id": "district", "head": "吴海平"},
			Contains: []string{`"name":"区交通港航局"`}},
		{Name: "the search index follows the rename", Method: "GET", Path: "/api/v1/org-units?q=" + url.QueryEscape("港航"), Status: 200,
			Contains: []string{"区交通港航局", `"total":1`}},
		{Name: "moving a sub-district under its own community is refused", Method: "PUT", Path: "/api/v1/org-units/sd-jinsha", Actor: "admin", Status: 400,
			Body:     map[string]any{"name": "金沙街道", "kind": "subdistrict", "parent_id": "c-jinsha-shuibei"},
			Contains: []string{`"parent_id":"不能把单位移到它自己或它的下级单位之下"`},
			After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if p := unitParent("sd-jinsha"); p != "district" {
					t.Errorf("refused move changed the parent to %q", p)
				}
			}},
		{Name: "the district root cannot move", Method: "PUT", Path: "/api/v1/org-units/district", Actor: "admin", Status: 400,
			Body: map[string]any{"name": "海湾区", "kind": "district", "parent_id": "sd-jinsha"}, Contains: []string{"区级根单位不能移动"}},
		{Name: "change an unknown unit", Method: "PUT", Path: "/api/v1/org-units/nope", Actor: "admin", Status: 404,
			Body: map[string]any{"name": "x", "kind": "department", "parent_id": "district"}},
		{Name: "bad JSON", Method: "PUT", Path: "/api/v1/org-units/dept-trans", Actor: "admin", Status: 400, Body: `{"name":`,
			Contains: []string{"JSON 格式错误"}},
	})
	if got := ts.auditEntries(t, "org."); len(got) != 4 || got[0].Outcome != portal.OutcomeOK || got[0].Action != "org.update" {
		t.Errorf("org audit trail = %d entries, newest %+v; want create and update ok, two denials", len(got), got[0])
	}
}

func TestOrgAdminPage(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin sees the tree and the forms", Method: "GET", Path: "/admin/org", Actor: "admin", Status: 200,
			Contains: []string{"<details open>", "海湾区", "金沙街道", "黄金珠宝产业园", "新增单位", `action="/admin/org"`, "共 28 个单位"}},
		{Name: "edit form is filled", Method: "GET", Path: "/admin/org?edit=p-jewelry", Actor: "admin", Status: 200,
			Contains: []string{"修改单位", `action="/admin/org/p-jewelry"`, `value="黄金珠宝产业园"`, `<option value="park" selected>`,
				`<option value="sd-jinsha" selected>`}},
		{Name: "the root's form cannot move it", Method: "GET", Path: "/admin/org?edit=district", Actor: "admin", Status: 200,
			Contains: []string{"区级根单位：可以改名称和负责人"}},
		{Name: "search lists matching units", Method: "GET", Path: "/admin/org?q=" + url.QueryEscape("社区"), Actor: "handler", Status: 200,
			Contains: []string{"查找「社区」的结果", "水贝社区"}, NotContains: []string{"新增单位", "编辑"}},
		{Name: "search without matches says so", Method: "GET", Path: "/admin/org?q=" + url.QueryEscape("不存在"), Actor: "handler", Status: 200,
			Contains: []string{"没有找到名称或负责人含「不存在」的单位"}},
		{Name: "visitors sign in first", Method: "GET", Path: "/admin/org", Status: 303},
		adminPost("bad form shows the error and keeps the input", "admin", "/admin/org",
			url.Values{"name": {"新社区"}, "kind": {"community"}, "parent_id": {"district"}, "head": {"赵主任"}}, 400,
			"社区的上级必须是街道", `value="新社区"`, `value="赵主任"`),
		adminPost("a handler cannot add units", "handler", "/admin/org",
			url.Values{"name": {"新社区"}, "kind": {"community"}, "parent_id": {"sd-jinsha"}}, 403),
	})
	// A form without the CSRF token is refused before anything happens.
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/org", Actor: "admin",
		Body: "name=x", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	if res.Code != 403 {
		t.Errorf("post without CSRF token: %d", res.Code)
	}

	body, headers := adminFormBody(url.Values{"name": {"金沙科创园"}, "kind": {"park"}, "parent_id": {"sd-jinsha"}, "head": {"袁芳"}})
	res = ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/org", Actor: "admin", Body: body, Headers: headers})
	if res.Code != 303 || res.Header().Get("Location") != "/admin/org" || flashOf(t, res) != "已新增单位：金沙科创园" {
		t.Fatalf("create: %d → %s, flash %q", res.Code, res.Header().Get("Location"), flashOf(t, res))
	}
	body, headers = adminFormBody(url.Values{"name": {"沙头角社区"}, "kind": {"community"}, "parent_id": {"sd-dongwan"}, "head": {"叶敏"}})
	res = ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/org/c-dongwan-shatou", Actor: "admin", Body: body, Headers: headers})
	if res.Code != 303 || !strings.Contains(flashOf(t, res), "沙头角社区") {
		t.Fatalf("update: %d, flash %q", res.Code, flashOf(t, res))
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the tree shows both changes", Method: "GET", Path: "/admin/org", Actor: "admin", Status: 200,
			Contains: []string{"金沙科创园", "沙头角社区"}, NotContains: []string{"沙头社区<"}},
		{Name: "the index knows the new name", Method: "GET", Path: "/api/v1/org-units?q=" + url.QueryEscape("沙头角"), Status: 200,
			Contains: []string{"沙头角社区"}},
	})
}
