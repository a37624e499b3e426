package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// registerBody is a valid registration for the enterprise with the USCC.
func registerBody(uscc, username string) map[string]any {
	return map[string]any{"uscc": uscc, "company_name": "海湾国际物流有限公司", "contact_name": "周经办",
		"phone": "13600000001", "username": username, "password": "Lk9$vPq-2025"}
}

// TestRegistrationEndToEnd registers through the API, signs in while
// pending, is verified by the enterprise's liaison and then may work.
func TestRegistrationEndToEnd(t *testing.T) {
	ts := newEntServer(t)
	rn := ts.runner()
	var id string
	rn.Run(t, []portaltest.Scenario{{
		Name: "register", Method: "POST", Path: "/api/v1/auth/register", Body: registerBody(demo.Enterprises()[0].USCC, "zhou.jingban"),
		Status: 201, Contains: []string{`"status":"pending"`, `"message":"注册成功`},
		After: func(t *testing.T, res *httptest.ResponseRecorder) {
			var out struct{ ID string }
			portaltest.DecodeJSON(t, res, &out)
			id = out.ID
		},
	}})
	ts.tokens["zhou"] = loginToken(t, ts, "zhou.jingban", "Lk9$vPq-2025")
	rn.Run(t, []portaltest.Scenario{
		{Name: "pending may sign in but not list enterprises", Method: "GET", Path: "/api/v1/enterprises", Actor: "zhou", Status: 403,
			Contains: []string{"等待审核"}},
		{Name: "me says pending", Method: "GET", Path: "/api/v1/me", Actor: "zhou", Status: 200, Contains: []string{`"pending":true`}},
		{Name: "liaison sees the registration", Method: "GET", Path: "/api/v1/registrations", Actor: "liaison", Status: 200,
			Contains:    []string{`"total":2`, `"username":"zhou.jingban"`, `"username":"pending"`, `"name":"海湾国际物流有限公司"`},
			NotContains: []string{"password"}},
		{Name: "other liaison does not", Method: "GET", Path: "/api/v1/registrations", Actor: "liaison2", Status: 200,
			Contains: []string{`"total":0`, `"items":[]`}},
		{Name: "other liaison cannot verify", Method: "POST", Path: "/api/v1/users/" + id + "/verify", Actor: "liaison2", Status: 404},
		{Name: "the registrant cannot verify itself", Method: "POST", Path: "/api/v1/users/" + id + "/verify", Actor: "zhou", Status: 403},
		{Name: "colleague cannot verify", Method: "POST", Path: "/api/v1/users/" + id + "/verify", Actor: "enterprise", Status: 403,
			Contains: []string{"包干联络员或管理员"}},
		{Name: "liaison verifies", Method: "POST", Path: "/api/v1/users/" + id + "/verify", Actor: "liaison", Status: 200,
			Contains: []string{`"status":"active"`}},
		{Name: "twice is a conflict", Method: "POST", Path: "/api/v1/users/" + id + "/verify", Actor: "liaison", Status: 409},
		{Name: "the old token ended with the change of rights", Method: "GET", Path: "/api/v1/enterprises", Actor: "zhou", Status: 401},
	})
	ts.tokens["zhou"] = loginToken(t, ts, "zhou.jingban", "Lk9$vPq-2025")
	rn.Run(t, []portaltest.Scenario{
		{Name: "verified user sees its enterprise", Method: "GET", Path: "/api/v1/enterprises", Actor: "zhou", Status: 200,
			Contains: []string{`"total":1`, `"id":"ent-001"`}},
	})
	if a, _, _ := ts.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "user.verify", ObjectID: id}); len(a) != 1 || a[0].ActorID != "u-liaison" {
		t.Errorf("verify audit %+v", a)
	}
}

// loginToken signs in with a password through the API.
func loginToken(t *testing.T, ts *entServer, username, password string) string {
	t.Helper()
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/api/v1/auth/login",
		Body: map[string]string{"username": username, "password": password}})
	if res.Code != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.Code, res.Body.String())
	}
	var pair portal.TokenPair
	portaltest.DecodeJSON(t, res, &pair)
	return pair.AccessToken
}

func TestRegistrationAPI(t *testing.T) {
	ts := newEntServer(t)
	users := func(want int) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if _, n, _ := ts.users.FindUsers(context.Background(), portal.UserFilter{Limit: 1}); n != want {
				t.Errorf("%d users, want %d", n, want)
			}
		}
	}
	accounts := len(demo.Users()) + 2 // the demo accounts, the pending one and the new registration
	bad := registerBody(webUSCC(t, 40), "Admin")
	bad["password"], bad["phone"] = "123", "99"
	extra := registerBody(webUSCC(t, 41), "someone")
	extra["roles"] = []string{"admin"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "new enterprise", Method: "POST", Path: "/api/v1/auth/register", Body: registerBody(webUSCC(t, 42), "new.one"), Status: 201,
			Contains: []string{`"status":"pending"`, `"id":"`}, After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				e, err := ts.ents.FindEnterpriseByUSCC(context.Background(), webUSCC(t, 42))
				portaltest.Must(t, err, "enterprise created")
				if e.Name != "海湾国际物流有限公司" || e.ContactName != "周经办" {
					t.Errorf("enterprise %+v", e)
				}
			}},
		{Name: "every bad field at once", Method: "POST", Path: "/api/v1/auth/register", Body: bad, Status: 400,
			Contains: []string{`"code":"invalid"`, `"username":"用户名已被使用，请换一个"`, `"password":"密码至少需要 8 个字符"`, `"phone":`},
			After:    users(accounts)},
		{Name: "roles cannot be asked for", Method: "POST", Path: "/api/v1/auth/register", Body: extra, Status: 400,
			Contains: []string{"未知字段 roles"}, After: users(accounts)},
		{Name: "empty body", Method: "POST", Path: "/api/v1/auth/register", Body: "", Status: 400, After: users(accounts)},
		{Name: "visitor cannot list", Method: "GET", Path: "/api/v1/registrations", Status: 401},
		{Name: "handler cannot list", Method: "GET", Path: "/api/v1/registrations", Actor: "handler", Status: 403},
		{Name: "admin lists every pending one", Method: "GET", Path: "/api/v1/registrations", Actor: "admin", Status: 200,
			Contains: []string{`"total":2`, `"username":"new.one"`, `"username":"pending"`}},
		{Name: "liaison lists its caseload", Method: "GET", Path: "/api/v1/registrations?q=pend", Actor: "liaison", Status: 200,
			Contains: []string{`"total":1`, `"username":"pending"`}},
		{Name: "bad paging", Method: "GET", Path: "/api/v1/registrations?per_page=0", Actor: "admin", Status: 400},
		{Name: "reject needs a reason", Method: "POST", Path: "/api/v1/users/u-pending/reject", Actor: "liaison", Body: map[string]string{"reason": ""},
			Status: 400, Contains: []string{`"reason":`}},
		{Name: "visitor cannot reject", Method: "POST", Path: "/api/v1/users/u-pending/reject", Body: map[string]string{"reason": "不认识"}, Status: 401},
		{Name: "liaison rejects", Method: "POST", Path: "/api/v1/users/u-pending/reject", Actor: "liaison", Body: map[string]string{"reason": "电话核实不是本企业员工"},
			Status: 200, Contains: []string{`"status":"disabled"`}},
		{Name: "a rejected user cannot be verified", Method: "POST", Path: "/api/v1/users/u-pending/verify", Actor: "admin", Status: 409,
			Contains: []string{"已停用"}},
		{Name: "verify an unknown user", Method: "POST", Path: "/api/v1/users/u-nobody/verify", Actor: "admin", Status: 404},
		{Name: "visitor cannot verify", Method: "POST", Path: "/api/v1/users/u-nobody/verify", Status: 401},
	})
	a, _, _ := ts.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "user.reject"})
	if len(a) != 1 || !strings.Contains(a[0].Detail, "电话核实不是本企业员工") {
		t.Errorf("reject audit %+v", a)
	}
}

func TestRegistrationThrottledByAddress(t *testing.T) {
	ts := newEntServer(t)
	ts.regs.MaxPerAddress = 2
	for i := 0; i < 2; i++ {
		ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/api/v1/auth/register", Body: registerBody("bad", "x")})
	}
	ts.runner().Run(t, []portaltest.Scenario{{
		Name: "third attempt in the hour", Method: "POST", Path: "/api/v1/auth/register", Body: registerBody(webUSCC(t, 50), "late.one"),
		Status: 429, Contains: []string{`"code":"too_many_requests"`, "注册过于频繁，请 60 分钟后再试"},
		After: func(t *testing.T, res *httptest.ResponseRecorder) {
			if res.Header().Get("Retry-After") == "" {
				t.Errorf("no Retry-After header")
			}
			if _, err := ts.users.FindUserByUsername(context.Background(), "late.one"); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Errorf("throttled registration created the user")
			}
		},
	}})
}
