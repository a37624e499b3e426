package web

import (
	"net/url"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestChainAPI(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.addUser(t, &portal.User{ID: "u-new", Username: "newcomer", DisplayName: "待审核企业", Roles: []portal.Role{portal.RoleEnterprise},
		EnterpriseID: "ent-012", Status: portal.UserPending})
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "any signed-in user lists chains with enterprise counts", Method: "GET", Path: "/api/v1/chains", Actor: "enterprise", Status: 200,
			Contains: []string{`"total":4`, `"name":"港口物流"`, `"enterprises":4`, `"lead_unit_name":"区交通运输局"`}},
		{Name: "search", Method: "GET", Path: "/api/v1/chains?q=" + url.QueryEscape("旅游"), Actor: "handler", Status: 200,
			Contains: []string{`"total":1`, "滨海旅游"}},
		{Name: "visitors sign in", Method: "GET", Path: "/api/v1/chains", Status: 401},
		{Name: "pending accounts wait", Method: "GET", Path: "/api/v1/chains", Actor: "newcomer", Status: 403},
		{Name: "its committee sees the members", Method: "GET", Path: "/api/v1/chains/chain-port", Actor: "committee", Status: 200,
			Contains: []string{`"committee_visible":true`, `"members":[{"id":"u-committee"`, `"enterprises":4`}},
		{Name: "admin sees the members", Method: "GET", Path: "/api/v1/chains/chain-port", Actor: "admin", Status: 200,
			Contains: []string{`"members":[{"id":"u-committee"`}},
		{Name: "another chain's committee is hidden from a committee member", Method: "GET", Path: "/api/v1/chains/chain-jewelry", Actor: "committee", Status: 200,
			Contains: []string{`"committee_visible":false`, `"enterprises":3`}, NotContains: []string{`"members"`}},
		{Name: "enterprises see counts only", Method: "GET", Path: "/api/v1/chains/chain-port", Actor: "enterprise", Status: 200,
			Contains: []string{`"enterprises":4`}, NotContains: []string{`"members"`, "u-committee"}},
		{Name: "unknown chain", Method: "GET", Path: "/api/v1/chains/chain-none", Actor: "admin", Status: 404},

		{Name: "create is for admins", Method: "POST", Path: "/api/v1/chains", Actor: "committee", Status: 403,
			Body: map[string]any{"name": "新能源"}},
		{Name: "create refuses a taken name", Method: "POST", Path: "/api/v1/chains", Actor: "admin", Status: 400,
			Body: map[string]any{"name": "港口物流"}, Contains: []string{`"name":"已有同名的产业链"`}},
		{Name: "admin creates", Method: "POST", Path: "/api/v1/chains", Actor: "admin", Status: 201,
			Body: map[string]any{"name": "新能源", "description": "储能和充电设施", "lead_unit_id": "dept-drc"}, Contains: []string{`"name":"新能源"`}},
		{Name: "update checks the lead unit", Method: "PUT", Path: "/api/v1/chains/chain-port", Actor: "admin", Status: 400,
			Body: map[string]any{"name": "港口物流", "lead_unit_id": "gone"}, Contains: []string{`"lead_unit_id":"牵头单位不存在"`}},
		{Name: "update is for admins", Method: "PUT", Path: "/api/v1/chains/chain-port", Actor: "committee", Status: 403,
			Body: map[string]any{"name": "港口"}},
		{Name: "admin updates", Method: "PUT", Path: "/api/v1/chains/chain-port", Actor: "admin", Status: 200,
			Body:     map[string]any{"name": "港口航运物流", "description": "港口航运、仓储配送", "lead_unit_id": "dept-trans"},
			Contains: []string{`"name":"港口航运物流"`}},
		{Name: "the list shows the change", Method: "GET", Path: "/api/v1/chains", Actor: "liaison", Status: 200,
			Contains: []string{"港口航运物流", "新能源", `"total":5`}},
		{Name: "update an unknown chain", Method: "PUT", Path: "/api/v1/chains/chain-none", Actor: "admin", Status: 404,
			Body: map[string]any{"name": "不存在"}},
	})
	if got := ts.auditEntries(t, "chain."); len(got) != 4 {
		t.Errorf("chain audit trail = %+v; want create and update ok and two denials", got)
	}
}

func TestChainPages(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "list for admin", Method: "GET", Path: "/admin/chains", Actor: "admin", Status: 200,
			Contains: []string{"港口物流", "4 家", "新建产业链"}},
		{Name: "list for an enterprise is read only", Method: "GET", Path: "/admin/chains", Actor: "enterprise", Status: 200,
			Contains: []string{"港口物流"}, NotContains: []string{"新建产业链"}},
		{Name: "empty search", Method: "GET", Path: "/admin/chains?q=" + url.QueryEscape("航天"), Actor: "admin", Status: 200,
			Contains: []string{"没有找到与「航天」相关的产业链"}},
		{Name: "detail with committee for its member", Method: "GET", Path: "/admin/chains/chain-port", Actor: "committee", Status: 200,
			Contains: []string{"产业链党委成员", "港口物流产业链党委 委员"}, NotContains: []string{"修改产业链"}},
		{Name: "detail without committee for others", Method: "GET", Path: "/admin/chains/chain-port", Actor: "handler", Status: 200,
			Contains: []string{"链上企业 4 家"}, NotContains: []string{"产业链党委成员", "u-committee"}},
		{Name: "empty committee shown to admin", Method: "GET", Path: "/admin/chains/chain-health", Actor: "admin", Status: 200,
			Contains: []string{"还没有党委成员", "修改产业链"}},
		adminPost("edit shows errors", "admin", "/admin/chains/chain-port", url.Values{"name": {"港"}, "description": {"说明"}}, 400,
			"产业链名称应为 2–40 个字", ">说明</textarea>"),
		adminPost("a committee member cannot edit", "committee", "/admin/chains/chain-port", url.Values{"name": {"港口"}}, 403),
		adminPost("edit", "admin", "/admin/chains/chain-health", url.Values{"name": {"生命健康"}, "description": {"生物医药和医疗器械"}, "lead_unit_id": {"dept-sci"}}, 303),
		{Name: "the edit shows", Method: "GET", Path: "/admin/chains/chain-health", Actor: "enterprise", Status: 200,
			Contains: []string{"生物医药和医疗器械"}},
		adminPost("create", "admin", "/admin/chains", url.Values{"name": {"新能源"}, "lead_unit_id": {"dept-drc"}}, 303),
		{Name: "created chain is listed", Method: "GET", Path: "/admin/chains?q=" + url.QueryEscape("新能源"), Actor: "admin", Status: 200,
			Contains: []string{"新能源", "区发展和改革局"}},
	})
}
