package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// routingTestServer is the admin test server with the routing rules and
// the category administration wired, and the demo rules loaded unless
// empty is set.
type routingTestServer struct {
	*adminTestServer
	rules      *mongostore.RoutingRuleStore
	categories *mongostore.CategoryStore
}

func newRoutingTestServer(t *testing.T, empty bool) *routingTestServer {
	t.Helper()
	ts := &routingTestServer{adminTestServer: newAdminTestServer(t)}
	ts.rules, ts.categories = mongostore.NewRoutingRuleStore(ts.db), mongostore.NewCategoryStore(ts.db)
	auditor := &portal.Auditor{Store: ts.audit, Now: time.Now}
	ts.opt.Routing = &portal.RoutingService{Store: ts.rules, Org: ts.opt.Org, Categories: ts.categories,
		Enterprises: ts.opt.Enterprises, Audit: auditor, Now: time.Now}
	ts.opt.CategoryAdmin = &portal.CategoryService{Store: ts.categories, Audit: auditor}
	if !empty {
		for _, r := range demo.RoutingRules() {
			portaltest.Must(t, ts.rules.CreateRoutingRule(context.Background(), r), "rule %s", r.ID)
		}
	}
	return ts
}

// ruleCount is how many rules are stored.
func (ts *routingTestServer) ruleCount(t *testing.T) int {
	t.Helper()
	all, err := ts.rules.FindRoutingRules(context.Background(), portal.RoutingRuleFilter{})
	portaltest.Must(t, err, "rules")
	return len(all)
}

// ruleUnchanged is an After check that the rule is still at version.
func (ts *routingTestServer) ruleAt(id string, version int, name string) func(*testing.T, *httptest.ResponseRecorder) {
	return func(t *testing.T, _ *httptest.ResponseRecorder) {
		r, err := ts.rules.FindRoutingRuleByID(context.Background(), id)
		portaltest.Must(t, err, "rule %s", id)
		if r.Version != version || r.Name != name {
			t.Errorf("rule %s is %q at version %d, want %q at %d", id, r.Name, r.Version, name, version)
		}
	}
}

func TestRoutingRulesAPI(t *testing.T) {
	ts := newRoutingTestServer(t, false)
	n := len(demo.RoutingRules())
	countIs := func(want int) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if got := ts.ruleCount(t); got != want {
				t.Errorf("%d rules stored, want %d", got, want)
			}
		}
	}
	const newRule = `{"name":"能源问题交工信局","category":"other","type":"help","region_id":"sd-meilin","priority":20,"target":"unit","department_id":"dept-miit"}`
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin lists in the order tried", Method: "GET", Path: "/api/v1/routing-rules?per_page=100", Actor: "admin", Status: 200,
			Contains: []string{`"total":15`, `"id":"route-traffic"`, `"order":1,`, `"target_name":"区交通运输局"`, `"category_name":"交通出行"`}},
		{Name: "dispatcher lists", Method: "GET", Path: "/api/v1/routing-rules", Actor: "dispatcher", Status: 200, Contains: []string{`"total":15`}},
		{Name: "handler may not", Method: "GET", Path: "/api/v1/routing-rules", Actor: "handler", Status: 403, Contains: []string{"只有系统管理员和分拨员"}},
		{Name: "visitor signs in", Method: "GET", Path: "/api/v1/routing-rules", Status: 401},
		{Name: "search", Method: "GET", Path: "/api/v1/routing-rules?q=科技创新局", Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, "route-talent-health"}},
		{Name: "bad paging names the parameter", Method: "GET", Path: "/api/v1/routing-rules?per_page=500", Actor: "admin", Status: 400,
			Contains: []string{`"fields":{"per_page":`}},

		{Name: "create", Method: "POST", Path: "/api/v1/routing-rules", Actor: "admin", Body: newRule, Status: 201,
			Contains: []string{`"name":"能源问题交工信局"`, `"tier":"A"`, `"version":1`, `"enabled":true`, `"order":1,`, `"region_name":"梅林街道"`},
			After:    countIs(n + 1)},
		{Name: "create refused to a dispatcher", Method: "POST", Path: "/api/v1/routing-rules", Actor: "dispatcher", Body: newRule, Status: 403,
			After: countIs(n + 1)},
		{Name: "create names every bad field", Method: "POST", Path: "/api/v1/routing-rules", Actor: "admin",
			Body:   `{"name":"x","category":"space","type":"praise","region_id":"dept-trans","priority":0,"target":"unit","department_id":"district"}`,
			Status: 400, Contains: []string{`"name":`, `"category":"未知的诉求分类"`, `"type":`, `"region_id":`, `"priority":`, `"department_id":`},
			After: countIs(n + 1)},
		{Name: "create with script in the name is stored as text", Method: "POST", Path: "/api/v1/routing-rules", Actor: "admin",
			Body: `{"name":"<script>alert(1)</script>","target":"own_park"}`, Status: 201, Contains: []string{`"tier":"C"`}, After: countIs(n + 2)},
		{Name: "unknown JSON field", Method: "POST", Path: "/api/v1/routing-rules", Actor: "admin", Body: `{"name":"规则名称","target":"own_park","colour":"red"}`,
			Status: 400, Contains: []string{"未知字段 colour"}, After: countIs(n + 2)},

		{Name: "get", Method: "GET", Path: "/api/v1/routing-rules/route-dispute", Actor: "admin", Status: 200,
			Contains: []string{`"target":"own_subdistrict"`, `"tier":"B"`, `"target_name":"企业所在街道（B 级）"`}},
		{Name: "get refused to a dispatcher", Method: "GET", Path: "/api/v1/routing-rules/route-dispute", Actor: "dispatcher", Status: 403},
		{Name: "get unknown", Method: "GET", Path: "/api/v1/routing-rules/no-such", Actor: "admin", Status: 404},

		{Name: "update", Method: "PUT", Path: "/api/v1/routing-rules/route-dispute", Actor: "admin",
			Body: `{"name":"矛盾纠纷先交园区","category":"dispute","target":"own_park","version":1}`, Status: 200,
			Contains: []string{`"version":2`, `"tier":"C"`}, After: ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")},
		{Name: "update on a stale version", Method: "PUT", Path: "/api/v1/routing-rules/route-dispute", Actor: "admin",
			Body: `{"name":"陈旧的修改","category":"dispute","target":"own_park","version":1}`, Status: 409,
			Contains: []string{`"code":"conflict"`, `"fields":{"version":"2"}`}, After: ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")},
		{Name: "update without a version", Method: "PUT", Path: "/api/v1/routing-rules/route-dispute", Actor: "admin",
			Body: `{"name":"没有版本","category":"dispute","target":"own_park"}`, Status: 400,
			Contains: []string{`"fields":{"version":`}, After: ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")},
		{Name: "update with bad data", Method: "PUT", Path: "/api/v1/routing-rules/route-dispute", Actor: "admin",
			Body: `{"name":"矛盾纠纷","category":"dispute","target":"unit","department_id":"","version":2}`, Status: 400,
			Contains: []string{`"department_id":"请选择承办单位"`}, After: ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")},
		{Name: "update refused to a handler", Method: "PUT", Path: "/api/v1/routing-rules/route-dispute", Actor: "handler",
			Body: `{"name":"越权修改","category":"dispute","target":"own_park","version":2}`, Status: 403,
			After: ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")},

		{Name: "delete with a bad version", Method: "DELETE", Path: "/api/v1/routing-rules/route-dispute?version=abc", Actor: "admin", Status: 400,
			Contains: []string{`"fields":{"version":`}, After: countIs(n + 2)},
		{Name: "delete on a stale version", Method: "DELETE", Path: "/api/v1/routing-rules/route-dispute?version=1", Actor: "admin", Status: 409,
			After: countIs(n + 2)},
		{Name: "delete refused to a dispatcher", Method: "DELETE", Path: "/api/v1/routing-rules/route-dispute", Actor: "dispatcher", Status: 403,
			After: countIs(n + 2)},
		{Name: "delete", Method: "DELETE", Path: "/api/v1/routing-rules/route-dispute?version=2", Actor: "admin", Status: 204, After: countIs(n + 1)},
		{Name: "deleted is gone", Method: "GET", Path: "/api/v1/routing-rules/route-dispute", Actor: "admin", Status: 404},
	})

	if got := ts.auditEntries(t, "routing."); len(got) != 7 {
		var acts []string
		for _, e := range got {
			acts = append(acts, e.Action+":"+e.Outcome)
		}
		t.Errorf("routing audit %v; want 2 creates, 1 update, 1 delete and 3 denials", acts)
	}
}

func TestRoutingConsoleAPI(t *testing.T) {
	ts := newRoutingTestServer(t, false)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "dispatcher tries an enterprise", Method: "POST", Path: "/api/v1/routing-rules/test", Actor: "dispatcher",
			Body: `{"category":"traffic","type":"complaint","enterprise_id":"ent-001"}`, Status: 200,
			Contains: []string{`"hit":{"rule_id":"route-traffic-complaint-haigang"`, `"department_id":"sd-haigang"`, `"tier":"B"`,
				`"enterprise_name":"海湾国际物流有限公司"`, `"outcome":"shadowed"`, `"outcome":"miss"`, "分类不符"}},
		{Name: "admin tries a region without a rule", Method: "POST", Path: "/api/v1/routing-rules/test", Actor: "admin",
			Body: `{"category":"park","type":"help","region_id":"sd-jinsha"}`, Status: 200,
			Contains: []string{`"hit":null`, `"outcome":"unresolved"`}},
		{Name: "bad sample names the fields", Method: "POST", Path: "/api/v1/routing-rules/test", Actor: "admin",
			Body: `{"category":"space","type":"","region_id":"dept-trans"}`, Status: 400,
			Contains: []string{`"category":"未知的诉求分类"`, `"type":`, `"region_id":`}},
		{Name: "a handler may not", Method: "POST", Path: "/api/v1/routing-rules/test", Actor: "handler",
			Body: `{"category":"traffic","type":"help","region_id":"sd-jinsha"}`, Status: 403},
	})
}

func TestCategoryAdminAPI(t *testing.T) {
	ts := newRoutingTestServer(t, true)
	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		c, err := ts.categories.CategoryByCode(context.Background(), "traffic")
		portaltest.Must(t, err, "traffic")
		if c.Name != "交通出行" || !c.Active || len(c.Types) != 3 {
			t.Errorf("traffic changed: %+v", c)
		}
		if _, err := ts.categories.CategoryByCode(context.Background(), "bad"); !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("a refused category was stored: %v", err)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin lists all", Method: "GET", Path: "/api/v1/admin/categories", Actor: "admin", Status: 200,
			Contains: []string{`"total":10`, `"code":"traffic"`, `"name":"交通出行"`, `"order":60`, `"active":true`, `"type_names":["求助","投诉","建议"]`}},
		{Name: "dispatcher may not", Method: "GET", Path: "/api/v1/admin/categories", Actor: "dispatcher", Status: 403},
		{Name: "create", Method: "POST", Path: "/api/v1/admin/categories", Actor: "admin",
			Body: `{"code":"energy","name":"能源保供","types":["help","complaint"]}`, Status: 201,
			Contains: []string{`"code":"energy"`, `"order":110`, `"active":true`}},
		{Name: "create names every bad field", Method: "POST", Path: "/api/v1/admin/categories", Actor: "admin",
			Body: `{"code":"Bad Code","name":"交通出行","types":[],"order":-3}`, Status: 400,
			Contains: []string{`"code":`, `"name":"已有同名的分类"`, `"types":`, `"order":`}, After: unchanged},
		{Name: "create refused to an editor", Method: "POST", Path: "/api/v1/admin/categories", Actor: "editor",
			Body: `{"code":"bad","name":"越权分类","types":["help"]}`, Status: 403, After: unchanged},
		{Name: "code cannot change", Method: "PUT", Path: "/api/v1/admin/categories/traffic", Actor: "admin",
			Body: `{"code":"bad","name":"交通出行","types":["help"]}`, Status: 400, Contains: []string{`"code":"分类代码创建后不能修改"`}, After: unchanged},
		{Name: "update unknown", Method: "PUT", Path: "/api/v1/admin/categories/no-such", Actor: "admin",
			Body: `{"name":"不存在的","types":["help"]}`, Status: 404},
		{Name: "deactivate", Method: "PUT", Path: "/api/v1/admin/categories/energy", Actor: "admin",
			Body: `{"name":"能源保供","types":["help"],"active":false}`, Status: 200, Contains: []string{`"active":false`, `"order":110`}},
	})
	act, err := ts.categories.ActiveCategories(context.Background())
	portaltest.Must(t, err, "active")
	for _, c := range act {
		if strings.HasPrefix(c.Code, "energy") {
			t.Errorf("a deactivated category is still offered: %+v", c)
		}
	}
}

// authzRoutingTable is the authorization matrix's rows for the routing
// rules and the category administration: admins do everything;
// dispatchers read the list and use the console; everyone else is refused
// whatever the id.
func authzRoutingTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const (
		ok, noContent, bad = http.StatusOK, http.StatusNoContent, http.StatusBadRequest
		forbidden, missing = http.StatusForbidden, http.StatusNotFound
	)
	empty := map[string]any{}
	adminOnly := authzSignedIn(authzBy[int]{"*": forbidden, "admin/own": ok, "admin/other": missing})
	readers := authzSignedIn(authzBy[int]{"*": forbidden, "dispatcher": ok, "admin": ok})
	sample := map[string]string{"category": "traffic", "type": "help", "enterprise_id": "ent-001"}
	return map[string]authzRoute{
		"GET /api/v1/routing-rules": {want: readers,
			has: authzBy[[]string]{"dispatcher": {`"id":"route-traffic"`}, "admin": {`"id":"route-traffic"`}}},
		"POST /api/v1/routing-rules": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]string{"name": "越权新建规则", "target": "own_park"}, "admin": empty},
		},
		"GET /api/v1/routing-rules/:id": {id: "$routing-rule", want: adminOnly},
		"PUT /api/v1/routing-rules/:id": {
			id:   "$routing-rule",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin/own": bad, "admin/other": missing}),
			body: authzBy[any]{"*": map[string]any{"name": "越权修改规则", "target": "own_park", "version": 1}, "admin": empty},
		},
		"DELETE /api/v1/routing-rules/:id": {
			id:   "$routing-rule-delete",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin/own": noContent, "admin/other": missing}),
		},
		"POST /api/v1/routing-rules/test": {want: readers, body: authzBy[any]{"*": sample},
			has: authzBy[[]string]{"dispatcher": {`"rule_id":"route-traffic"`}, "admin": {`"rule_id":"route-traffic"`}}},
		"GET /api/v1/admin/categories": {want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": ok})},
		"POST /api/v1/admin/categories": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": bad}),
			body: authzBy[any]{"*": map[string]any{"code": "authz-x", "name": "越权分类", "types": []string{"help"}}, "admin": empty},
		},
		"PUT /api/v1/admin/categories/:code": {
			id:   "$category",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin/own": bad, "admin/other": missing}),
			body: authzBy[any]{"*": map[string]any{"name": "越权改名", "types": []string{"help"}}, "admin": empty},
		},
	}
}

// addRouting wires the routing rules and the category administration
// into the matrix fixture, with the demo rules and one the admin's
// delete row may remove.
func (f *authzFixture) addRouting(t *testing.T) {
	t.Helper()
	auditor := &portal.Auditor{Store: mongostore.NewAuditStore(f.db), Now: time.Now}
	rules, cats := mongostore.NewRoutingRuleStore(f.db), mongostore.NewCategoryStore(f.db)
	f.srv.opt.Routing = &portal.RoutingService{Store: rules, Org: mongostore.NewOrgStore(f.db), Categories: cats,
		Enterprises: f.srv.opt.Enterprises, Audit: auditor, Now: time.Now}
	f.srv.opt.CategoryAdmin = &portal.CategoryService{Store: cats, Audit: auditor}
	doomed := &portal.RoutingRule{ID: "route-matrix-delete", Name: "矩阵：管理员可删除的规则", Priority: 9000,
		Target: portal.TargetOwnSubdistrict, Tier: portal.TierB, Enabled: true, Version: 1}
	for _, r := range append(demo.RoutingRules(), doomed) {
		portaltest.Must(t, rules.CreateRoutingRule(context.Background(), r), "rule %s", r.ID)
	}
}

// resolveRouting turns the routing kinds of the matrix into ids.
func resolveRouting(kind, object string) (string, bool) {
	pick := func(own, other string) string {
		if object == "own" {
			return own
		}
		return other
	}
	switch kind {
	case "routing-rule":
		return pick("route-traffic", "route-none"), true
	case "routing-rule-delete":
		return pick("route-matrix-delete", "route-none"), true
	case "category":
		return pick("traffic", "no-such"), true
	}
	return "", false
}
