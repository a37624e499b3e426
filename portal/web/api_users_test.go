package web

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestUserAPI(t *testing.T) {
	ts := newAdminTestServer(t)
	newUser := map[string]any{"username": "handler-b", "display_name": "金沙街道 承办人", "phone": "13700000001",
		"password": "Quiet-Harbour-42", "roles": []string{"handler"}, "unit_id": "sd-jinsha"}
	total := fmt.Sprintf(`"total":%d`, len(demo.Users())) // every demo account is active
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin lists users", Method: "GET", Path: "/api/v1/users", Actor: "admin", Status: 200,
			Contains: []string{total, `"username":"admin"`, `"page":1`, `"per_page":20`}, NotContains: []string{"password", "token_version"}},
		{Name: "filter by role and query", Method: "GET", Path: "/api/v1/users?role=liaison&q=" + url.QueryEscape("珠宝"), Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, `"username":"liaison2"`}},
		{Name: "filter by status and page", Method: "GET", Path: "/api/v1/users?status=active&page=2&per_page=3", Actor: "admin", Status: 200,
			Contains: []string{total, `"page":2`, `"username":"editor"`}},
		{Name: "bad role filter", Method: "GET", Path: "/api/v1/users?role=boss", Actor: "admin", Status: 400, Contains: []string{`"role":"未知角色：boss"`}},
		{Name: "bad status filter", Method: "GET", Path: "/api/v1/users?status=gone", Actor: "admin", Status: 400, Contains: []string{`"status":`}},
		{Name: "others may not list", Method: "GET", Path: "/api/v1/users", Actor: "dispatcher", Status: 403},
		{Name: "visitors sign in", Method: "GET", Path: "/api/v1/users", Status: 401},

		{Name: "create is for admins", Method: "POST", Path: "/api/v1/users", Actor: "liaison", Status: 403, Body: newUser},
		{Name: "create checks the unit fits the role", Method: "POST", Path: "/api/v1/users", Actor: "admin", Status: 400,
			Body:     map[string]any{"username": "handler-c", "display_name": "错误单位", "password": "Quiet-Harbour-42", "roles": []string{"handler"}, "unit_id": "district"},
			Contains: []string{`"unit_id":"部门承办人和部门负责人必须属于一个承办单位`}},
		{Name: "create checks the password", Method: "POST", Path: "/api/v1/users", Actor: "admin", Status: 400,
			Body:     map[string]any{"username": "handler-c", "display_name": "弱密码", "password": "handler-c-1", "roles": []string{"handler"}, "unit_id": "dept-trans"},
			Contains: []string{`"password":"密码不能包含用户名"`}},
		{Name: "create checks the enterprise exists", Method: "POST", Path: "/api/v1/users", Actor: "admin", Status: 400,
			Body:     map[string]any{"username": "ent-x", "display_name": "企业", "password": "Quiet-Harbour-42", "roles": []string{"enterprise"}, "enterprise_id": "ent-999"},
			Contains: []string{`"enterprise_id":"企业不存在"`}},
		{Name: "nothing was created by refused calls", Method: "GET", Path: "/api/v1/users", Actor: "admin", Status: 200, Contains: []string{total}},
		{Name: "admin creates", Method: "POST", Path: "/api/v1/users", Actor: "admin", Status: 201, Body: newUser,
			Contains: []string{`"username":"handler-b"`, `"unit_id":"sd-jinsha"`, `"status":"active"`}, NotContains: []string{"Quiet-Harbour", "password"}},
		{Name: "the username is taken now", Method: "POST", Path: "/api/v1/users", Actor: "admin", Status: 400, Body: newUser,
			Contains: []string{`"username":"用户名已被使用"`}},

		{Name: "a user reads their own account", Method: "GET", Path: "/api/v1/users/u-liaison", Actor: "liaison", Status: 200,
			Contains: []string{`"username":"liaison"`}},
		{Name: "not someone else's", Method: "GET", Path: "/api/v1/users/u-liaison2", Actor: "liaison", Status: 404},
		{Name: "admin reads anyone", Method: "GET", Path: "/api/v1/users/u-liaison2", Actor: "admin", Status: 200},
		{Name: "unknown user", Method: "GET", Path: "/api/v1/users/u-none", Actor: "admin", Status: 404},

		{Name: "update is for admins", Method: "PUT", Path: "/api/v1/users/u-liaison", Actor: "liaison", Status: 403,
			Body: map[string]any{"roles": []string{"admin"}}},
		{Name: "admin cannot drop their own admin role", Method: "PUT", Path: "/api/v1/users/u-admin", Actor: "admin", Status: 400,
			Body: map[string]any{"roles": []string{"policy_editor"}}, Contains: []string{`"roles":"不能取消自己的系统管理员角色"`}},
		{Name: "admin renames", Method: "PUT", Path: "/api/v1/users/u-editor", Actor: "admin", Status: 200,
			Body: map[string]any{"display_name": "林政策（发改）"}, Contains: []string{`"display_name":"林政策（发改）"`}},
		{Name: "an admin cannot disable themselves", Method: "POST", Path: "/api/v1/users/u-admin/disable", Actor: "admin", Status: 403,
			Contains: []string{"不能停用自己的账号"}},
		{Name: "disable is for admins", Method: "POST", Path: "/api/v1/users/u-editor/disable", Actor: "depthead", Status: 403},
		{Name: "enable unknown", Method: "POST", Path: "/api/v1/users/u-none/enable", Actor: "admin", Status: 404},
	})
}

// TestUserRightsChangesEndOldTokens drives the token version through the
// router: a role change, a disable and a password reset each make the
// access token the user holds fail on the next call.
func TestUserRightsChangesEndOldTokens(t *testing.T) {
	ts := newAdminTestServer(t)
	rn := ts.runner()
	me := func(name, actor string, status int) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "GET", Path: "/api/v1/me", Actor: actor, Status: status}
	}
	rn.Run(t, []portaltest.Scenario{
		me("the handler's token works", "handler", 200),
		{Name: "admin gives the handler a second role", Method: "PUT", Path: "/api/v1/users/u-handler", Actor: "admin", Status: 200,
			Body: map[string]any{"roles": []string{"handler", "dept_head"}}},
		me("the old token fails", "handler", 401),
	})
	ts.forget("handler")
	rn.Run(t, []portaltest.Scenario{
		{Name: "a fresh sign-in carries the new role", Method: "GET", Path: "/api/v1/me", Actor: "handler", Status: 200,
			Contains: []string{`"code":"dept_head"`}},
		me("the editor's token works", "editor", 200),
		{Name: "admin disables the editor", Method: "POST", Path: "/api/v1/users/u-editor/disable", Actor: "admin", Status: 200,
			Contains: []string{`"status":"disabled"`}},
		me("the disabled editor's token fails", "editor", 401),
		{Name: "disabling again is harmless", Method: "POST", Path: "/api/v1/users/u-editor/disable", Actor: "admin", Status: 200},
	})
	if _, _, err := ts.auth.Login(t.Context(), "editor", adminTestPassword, "192.0.2.11"); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("disabled editor signs in: %v", err)
	}
	rn.Run(t, []portaltest.Scenario{
		{Name: "admin enables the editor", Method: "POST", Path: "/api/v1/users/u-editor/enable", Actor: "admin", Status: 200,
			Contains: []string{`"status":"active"`}},
	})
	ts.forget("editor")
	rn.Run(t, []portaltest.Scenario{
		me("the editor signs in again", "editor", 200),
		{Name: "the user changes their own password", Method: "POST", Path: "/api/v1/users/u-editor/password", Actor: "editor", Status: 204,
			Body: map[string]any{"current_password": adminTestPassword, "new_password": "Amber-Lighthouse-31"}},
		me("which ends the old token too", "editor", 401),
		{Name: "wrong current password", Method: "POST", Path: "/api/v1/users/u-liaison/password", Actor: "liaison", Status: 400,
			Body: map[string]any{"current_password": "not-my-password", "new_password": "Amber-Lighthouse-31"}, Contains: []string{`"current_password":"当前密码不正确"`}},
		{Name: "someone else's password", Method: "POST", Path: "/api/v1/users/u-liaison2/password", Actor: "liaison", Status: 404,
			Body: map[string]any{"new_password": "Amber-Lighthouse-31"}},
		{Name: "admin reset checks the new password", Method: "POST", Path: "/api/v1/users/u-liaison/password", Actor: "admin", Status: 400,
			Body: map[string]any{"new_password": "short"}, Contains: []string{`"new_password":"密码至少需要 8 个字符"`}},
		me("the liaison's token works", "liaison", 200),
		{Name: "admin resets the liaison's password", Method: "POST", Path: "/api/v1/users/u-liaison/password", Actor: "admin", Status: 204,
			Body: map[string]any{"new_password": "Amber-Lighthouse-31"}},
		me("the liaison's token fails", "liaison", 401),
	})
	if _, _, err := ts.auth.Login(t.Context(), "liaison", "Amber-Lighthouse-31", "192.0.2.12"); err != nil {
		t.Errorf("sign in with the reset password: %v", err)
	}
	for action, want := range map[string]string{"user.update": "u-handler", "user.disable": "u-editor", "user.enable": "u-editor",
		"user.password_change": "u-editor", "user.password_reset": "u-liaison"} {
		found := false
		for _, e := range ts.auditEntries(t, action) {
			found = found || (e.ObjectID == want && e.Outcome == portal.OutcomeOK && e.ActorID != "")
		}
		if !found {
			t.Errorf("no successful %s entry for %s", action, want)
		}
	}
}

func TestUserPages(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.addUser(t, &portal.User{ID: "u-pend", Username: "pending1", DisplayName: "刘待审", Roles: []portal.Role{portal.RoleEnterprise},
		EnterpriseID: "ent-012", Status: portal.UserPending})
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "pending accounts are filtered and point to the review", Method: "GET", Path: "/admin/users?status=pending", Actor: "admin", Status: 200,
			Contains: []string{"刘待审", "待审核", "共 1 条"}},
		{Name: "a pending account's page", Method: "GET", Path: "/admin/users/u-pend", Actor: "admin", Status: 200,
			Contains: []string{"正在等待审核", `href="/registrations"`}},
		{Name: "list with filters", Method: "GET", Path: "/admin/users?role=liaison", Actor: "admin", Status: 200,
			Contains:    []string{"港口物流专班 张联络", "黄金珠宝专班 黄联络", `<option value="liaison" selected>`, "新建用户"},
			NotContains: []string{"系统管理员</a>"}},
		{Name: "empty result", Method: "GET", Path: "/admin/users?q=" + url.QueryEscape("无此人"), Actor: "admin", Status: 200,
			Contains: []string{"没有符合条件的用户", "清除筛选条件"}},
		{Name: "pagination", Method: "GET", Path: "/admin/users?per_page=4&page=2&status=active", Actor: "admin", Status: 200,
			Contains: []string{fmt.Sprintf("第 2 / %d 页", (len(demo.Users())+3)/4), `rel="prev"`, `rel="next"`}},
		{Name: "list is for admins", Method: "GET", Path: "/admin/users", Actor: "liaison", Status: 403},
		{Name: "a user's page for admin", Method: "GET", Path: "/admin/users/u-handler", Actor: "admin", Status: 200,
			Contains: []string{"交通运输局 承办人", "角色和范围", `value="handler" checked`, `<option value="dept-trans" selected>`,
				"停用账号", "重置密码"}},
		{Name: "own page for a non-admin", Method: "GET", Path: "/admin/users/u-liaison", Actor: "liaison", Status: 200,
			Contains: []string{"修改密码", `name="current_password"`}, NotContains: []string{"角色和范围", "停用账号"}},
		{Name: "someone else's page", Method: "GET", Path: "/admin/users/u-liaison2", Actor: "liaison", Status: 404},
		{Name: "own page for admin cannot disable", Method: "GET", Path: "/admin/users/u-admin", Actor: "admin", Status: 200,
			Contains: []string{"不能停用自己的账号"}},
		adminPost("create form errors keep input", "admin", "/admin/users",
			url.Values{"username": {"new-handler"}, "display_name": {"新承办人"}, "password": {"short"}, "roles": {"handler"}, "unit_id": {"dept-tax"}},
			400, "密码至少需要 8 个字符", `value="new-handler"`, `value="handler" checked`, `<option value="dept-tax" selected>`, "<details id=\"new-user\" open>"),
		adminPost("edit errors", "admin", "/admin/users/u-handler",
			url.Values{"display_name": {"交通运输局 承办人"}, "unit_id": {"district"}, "roles": {"handler"}}, 400,
			"部门承办人和部门负责人必须属于一个承办单位"),
		adminPost("no role ticked is refused", "admin", "/admin/users/u-handler",
			url.Values{"display_name": {"交通运输局 承办人"}, "unit_id": {"dept-trans"}}, 400, "至少需要一个角色"),
		adminPost("edit roles", "admin", "/admin/users/u-handler",
			url.Values{"display_name": {"交通运输局 承办人"}, "unit_id": {"dept-trans"}, "roles": {"handler", "dept_head"}}, 303),
		adminPost("disable", "admin", "/admin/users/u-editor/disable", url.Values{}, 303),
		{Name: "the list shows the disabled account", Method: "GET", Path: "/admin/users?status=disabled", Actor: "admin", Status: 200,
			Contains: []string{"林政策", "已停用"}},
		adminPost("enable", "admin", "/admin/users/u-editor/enable", url.Values{}, 303),
		adminPost("reset password errors", "admin", "/admin/users/u-liaison/password", url.Values{"new_password": {"123"}}, 400,
			"密码至少需要 8 个字符"),
		adminPost("a non-admin cannot disable", "liaison", "/admin/users/u-editor/disable", url.Values{}, 403),
	})
	u, err := ts.users.FindUserByID(t.Context(), "u-handler")
	portaltest.Must(t, err, "find")
	if !slices.Equal(u.Roles, []portal.Role{portal.RoleHandler, portal.RoleDeptHead}) {
		t.Errorf("roles after the form = %v", u.Roles)
	}
	body, headers := adminFormBody(url.Values{"username": {"new-handler"}, "display_name": {"新承办人"}, "password": {"Quiet-Harbour-42"},
		"roles": {"handler"}, "unit_id": {"dept-tax"}, "chain_id": {"chain-port"}})
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/users", Actor: "admin", Body: body, Headers: headers})
	if res.Code != 303 || !strings.HasPrefix(res.Header().Get("Location"), "/admin/users/") || !strings.Contains(flashOf(t, res), "new-handler") {
		t.Fatalf("create: %d → %q, flash %q", res.Code, res.Header().Get("Location"), flashOf(t, res))
	}
	created, err := ts.users.FindUserByUsername(t.Context(), "new-handler")
	portaltest.Must(t, err, "find created")
	if created.UnitID != "dept-tax" || created.ChainID != "" {
		t.Errorf("created = %+v; want the unit and no chain", created)
	}
	checkSelfPasswordPage(t, ts)
}

// checkSelfPasswordPage changes the liaison's own password through the
// page and checks the form refuses a wrong current password.
func checkSelfPasswordPage(t *testing.T, ts *adminTestServer) {
	t.Helper()
	own := adminPost("own password", "liaison", "/admin/users/u-liaison/password",
		url.Values{"current_password": {adminTestPassword}, "new_password": {"Amber-Lighthouse-31"}}, 303)
	own.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		if flashOf(t, res) != "密码已修改" {
			t.Errorf("flash %q", flashOf(t, res))
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		adminPost("wrong current password", "liaison", "/admin/users/u-liaison/password",
			url.Values{"current_password": {"nope-nope-1"}, "new_password": {"Amber-Lighthouse-31"}}, 400, "当前密码不正确"),
		own,
	})
}
