package web

import (
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestTaskForceAPI(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.addUser(t, &portal.User{ID: "u-l3", Username: "liaison3", DisplayName: "港口新联络员", Roles: []portal.Role{portal.RoleLiaison}})
	caseload := func(liaison string) int {
		t.Helper()
		_, n, err := ts.ents.FindEnterprises(t.Context(), portal.EnterpriseFilter{LiaisonID: &liaison, Limit: 1})
		portaltest.Must(t, err, "caseload")
		return n
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin lists all", Method: "GET", Path: "/api/v1/task-forces", Actor: "admin", Status: 200,
			Contains: []string{"港口物流服务专班", "黄金珠宝产业专班", `"total":2`, `"lead_unit_name":"区交通运输局"`}},
		{Name: "admin searches and pages", Method: "GET", Path: "/api/v1/task-forces?q=" + url.QueryEscape("珠宝") + "&per_page=1", Actor: "admin", Status: 200,
			Contains: []string{"黄金珠宝产业专班", `"total":1`, `"per_page":1`}, NotContains: []string{"港口物流服务专班"}},
		{Name: "a liaison lists their own", Method: "GET", Path: "/api/v1/task-forces", Actor: "liaison", Status: 200,
			Contains: []string{"港口物流服务专班", `"total":1`}, NotContains: []string{"黄金珠宝产业专班"}},
		{Name: "other roles may not list", Method: "GET", Path: "/api/v1/task-forces", Actor: "handler", Status: 403},
		{Name: "visitors sign in", Method: "GET", Path: "/api/v1/task-forces", Status: 401},
		{Name: "bad paging", Method: "GET", Path: "/api/v1/task-forces?page=0&per_page=500", Actor: "admin", Status: 400,
			Contains: []string{`"page":`, `"per_page":`}},

		{Name: "a liaison sees their task force with caseloads", Method: "GET", Path: "/api/v1/task-forces/tf-port", Actor: "liaison", Status: 200,
			Contains: []string{`"members":[{"id":"u-liaison"`, `"caseload":4`}},
		{Name: "another task force does not exist for them", Method: "GET", Path: "/api/v1/task-forces/tf-jewelry", Actor: "liaison", Status: 404},
		{Name: "nor for a committee member", Method: "GET", Path: "/api/v1/task-forces/tf-port", Actor: "committee", Status: 404},
		{Name: "unknown task force", Method: "GET", Path: "/api/v1/task-forces/tf-none", Actor: "admin", Status: 404},

		{Name: "create is for admins", Method: "POST", Path: "/api/v1/task-forces", Actor: "liaison", Status: 403,
			Body: map[string]any{"name": "新专班", "lead_unit_id": "dept-trans"}},
		{Name: "create checks the lead unit", Method: "POST", Path: "/api/v1/task-forces", Actor: "admin", Status: 400,
			Body: map[string]any{"name": "生命健康专班", "lead_unit_id": "nope"}, Contains: []string{`"lead_unit_id":"牵头单位不存在"`}},
		{Name: "admin creates", Method: "POST", Path: "/api/v1/task-forces", Actor: "admin", Status: 201,
			Body: map[string]any{"name": "生命健康专班", "lead_unit_id": "dept-sci"}, Contains: []string{`"name":"生命健康专班"`, `"member_ids":[]`}},

		{Name: "members must be liaisons", Method: "PUT", Path: "/api/v1/task-forces/tf-port", Actor: "admin", Status: 400,
			Body:     map[string]any{"name": "港口物流服务专班", "lead_unit_id": "dept-trans", "member_ids": []string{"u-liaison", "u-handler"}},
			Contains: []string{`"member_ids":"「交通运输局 承办人」不是专班联络员`}},
		{Name: "admin adds a liaison", Method: "PUT", Path: "/api/v1/task-forces/tf-port", Actor: "admin", Status: 200,
			Body:     map[string]any{"name": "港口物流服务专班", "lead_unit_id": "dept-trans", "member_ids": []string{"u-liaison", "u-l3"}},
			Contains: []string{`"member_ids":["u-liaison","u-l3"]`},
			After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				u, err := ts.users.FindUserByID(t.Context(), "u-l3")
				portaltest.Must(t, err, "find")
				if u.TaskForceID != "tf-port" {
					t.Errorf("joined liaison's task force = %q", u.TaskForceID)
				}
			}},

		{Name: "reassign needs a reason", Method: "POST", Path: "/api/v1/task-forces/tf-port/reassign", Actor: "admin", Status: 400,
			Body: map[string]any{"from": "u-liaison", "to": "u-l3", "reason": "调整"}, Contains: []string{`"reason":"请填写移交原因（至少 4 个字）"`}},
		{Name: "reassign between task forces is refused", Method: "POST", Path: "/api/v1/task-forces/tf-port/reassign", Actor: "admin", Status: 400,
			Body: map[string]any{"from": "u-liaison", "to": "u-liaison2", "reason": "岗位调整交接"}, Contains: []string{`"to":"接手的联络员不是本专班成员"`}},
		{Name: "reassign is for admins", Method: "POST", Path: "/api/v1/task-forces/tf-port/reassign", Actor: "liaison", Status: 403,
			Body: map[string]any{"from": "u-liaison", "to": "u-l3", "reason": "岗位调整交接"},
			After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if n := caseload("u-liaison"); n != 4 {
					t.Errorf("refused reassignment moved enterprises: caseload %d", n)
				}
			}},
		{Name: "admin moves part of a caseload", Method: "POST", Path: "/api/v1/task-forces/tf-port/reassign", Actor: "admin", Status: 200,
			Body:     map[string]any{"from": "u-liaison", "to": "u-l3", "enterprise_ids": []string{"ent-003"}, "reason": "临港片区交新同事"},
			Contains: []string{`{"moved":1}`},
			After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if a, b := caseload("u-liaison"), caseload("u-l3"); a != 3 || b != 1 {
					t.Errorf("caseloads after moving one: %d and %d", a, b)
				}
			}},
		{Name: "the detail shows the new sizes", Method: "GET", Path: "/api/v1/task-forces/tf-port", Actor: "admin", Status: 200,
			Contains: []string{`"caseload":3`, `"caseload":1`}},
	})
	got := ts.auditEntries(t, "caseload.reassign")
	if len(got) != 2 || got[0].Outcome != portal.OutcomeOK || !strings.Contains(got[0].Detail, "临港片区交新同事") || !strings.Contains(got[0].Detail, "1 家") {
		t.Errorf("caseload audit = %+v", got)
	}
}

func TestTaskForcePages(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.addUser(t, &portal.User{ID: "u-l3", Username: "liaison3", DisplayName: "港口新联络员", Roles: []portal.Role{portal.RoleLiaison}})
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin list", Method: "GET", Path: "/admin/task-forces", Actor: "admin", Status: 200,
			Contains: []string{"港口物流服务专班", "黄金珠宝产业专班", "新建专班", "共 2 条"}},
		{Name: "empty search", Method: "GET", Path: "/admin/task-forces?q=" + url.QueryEscape("不存在"), Actor: "admin", Status: 200,
			Contains: []string{"没有名称含「不存在」的专班"}},
		{Name: "paged list links the next page", Method: "GET", Path: "/admin/task-forces?per_page=1", Actor: "admin", Status: 200,
			Contains: []string{"第 1 / 2 页", `href="/admin/task-forces?page=2&amp;per_page=1"`}},
		{Name: "a liaison sees their own, read only", Method: "GET", Path: "/admin/task-forces", Actor: "liaison", Status: 200,
			Contains: []string{"港口物流服务专班"}, NotContains: []string{"黄金珠宝产业专班", "新建专班"}},
		{Name: "detail for admin", Method: "GET", Path: "/admin/task-forces/tf-port", Actor: "admin", Status: 200,
			Contains:    []string{"港口物流专班 张联络", "4 家", "海湾国际物流有限公司", "专班信息", `value="u-l3"`, "至少要有两名联络员"},
			NotContains: []string{`value="u-liaison2"`}},
		{Name: "detail for its liaison has no forms", Method: "GET", Path: "/admin/task-forces/tf-port", Actor: "liaison", Status: 200,
			Contains: []string{"4 家"}, NotContains: []string{"移交包干", "专班信息"}},
		{Name: "another liaison's task force", Method: "GET", Path: "/admin/task-forces/tf-port", Actor: "liaison2", Status: 404},
		adminPost("create shows errors", "admin", "/admin/task-forces", url.Values{"name": {"专"}, "lead_unit_id": {""}}, 400,
			"专班名称应为 2–40 个字", "必须指定牵头单位"),
		adminPost("create", "admin", "/admin/task-forces", url.Values{"name": {"生命健康专班"}, "lead_unit_id": {"dept-sci"}}, 303),
		{Name: "the new task force is listed", Method: "GET", Path: "/admin/task-forces?q=" + url.QueryEscape("健康"), Actor: "admin", Status: 200,
			Contains: []string{"生命健康专班", "区科技创新局", "0 人"}},
		adminPost("member form keeps the choice on error", "admin", "/admin/task-forces/tf-port",
			url.Values{"name": {"港"}, "lead_unit_id": {"dept-trans"}, "member_ids": {"u-liaison", "u-l3"}}, 400,
			"专班名称应为 2–40 个字", `value="u-l3" checked`),
		adminPost("add the second liaison", "admin", "/admin/task-forces/tf-port",
			url.Values{"name": {"港口物流服务专班"}, "lead_unit_id": {"dept-trans"}, "member_ids": {"u-liaison", "u-l3"}}, 303),
		adminPost("reassign form shows errors and keeps input", "admin", "/admin/task-forces/tf-port/reassign",
			url.Values{"from": {"u-liaison"}, "to": {"u-l3"}, "reason": {"调"}, "enterprise_ids": {"ent-010"}}, 400,
			"请填写移交原因", `value="ent-010" checked`, `<option value="u-l3" selected>`),
	})
	body, headers := adminFormBody(url.Values{"from": {"u-liaison"}, "to": {"u-l3"}, "reason": {"联络员岗位调整"}, "enterprise_ids": {"ent-010", "ent-001"}})
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/task-forces/tf-port/reassign", Actor: "admin", Body: body, Headers: headers})
	if res.Code != 303 || flashOf(t, res) != "已移交 2 家企业的包干" {
		t.Fatalf("reassign: %d, flash %q", res.Code, flashOf(t, res))
	}
	liaison := "u-l3"
	ents, _, err := ts.ents.FindEnterprises(t.Context(), portal.EnterpriseFilter{LiaisonID: &liaison})
	portaltest.Must(t, err, "caseload")
	var ids []string
	for _, e := range ents {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"ent-001", "ent-010"}) {
		t.Errorf("new liaison's caseload = %v", ids)
	}
}
