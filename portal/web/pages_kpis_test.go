package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// testKPIService returns the rate service of db and makes it count the
// changes reqs stores.
func testKPIService(db *mongostore.DB, reqs *portal.RequestService) *portal.KPIService {
	store := mongostore.NewKPIStore(db)
	reqs.Events = append(reqs.Events, &portal.KPICounter{Store: store, Location: time.UTC})
	return &portal.KPIService{Store: store, Requests: store, Org: mongostore.NewOrgStore(db), Chains: mongostore.NewChainStore(db),
		Categories: mongostore.NewCategoryStore(db), Location: time.UTC, Log: slog.New(slog.DiscardHandler), Now: reqs.Now}
}

// authzKPITable is the matrix of the rate API: every role with a scope
// reads it, each its own; enterprises and editors are refused.
func authzKPITable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const ok, forbidden = http.StatusOK, http.StatusForbidden
	return map[string]authzRoute{
		"GET /api/v1/kpis": {
			want: authzSignedIn(authzBy[int]{"*": ok, "enterprise": forbidden, "enterprise2": forbidden, "editor": forbidden}),
			has: authzBy[[]string]{"*": nil, "admin": {`"unit":"all"`}, "dispatcher": {`"unit":"all"`},
				"handler": {`"unit":"dept:dept-trans"`}, "depthead": {`"unit":"dept:dept-trans"`},
				"committee": {`"unit":"chain:chain-port"`}, "liaison": {`"unit":"liaison:u-liaison"`},
				"liaison2": {`"unit":"liaison:u-liaison2"`}},
			lacks: authzBy[[]string]{"*": {`"unit":"all"`}, "admin": nil, "dispatcher": nil},
		},
	}
}

// kpiServer is the real router with real sign-in on the demo district,
// its request service counting into the rate counters.
type kpiServer struct {
	*Server
	w    *portaltest.World
	kpis *portal.KPIService
	bearerTokens
}

func newKPIServer(t *testing.T) *kpiServer {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	w := portaltest.NewWorld(t, db, time.Now)
	w.Requests.Deadlines = portaltest.HoursDeadliner{}
	hash, err := reqTestHash()
	portaltest.Must(t, err, "hash")
	users, _, err := w.Users.FindUsers(ctx, portal.UserFilter{Limit: 100})
	portaltest.Must(t, err, "users")
	for _, u := range users {
		_, err := w.Users.UpdateUser(ctx, u.ID, portal.UserUpdate{PasswordHash: &hash})
		portaltest.Must(t, err, "password of %s", u.Username)
	}
	ts := &kpiServer{w: w, bearerTokens: newBearerTokens(reqTestPassword)}
	ts.auth, err = portal.NewAuthService(w.Users, mongostore.NewSessionStore(db), redisstore.NewThrottle(portaltest.StartRedis(t).Client),
		w.Audit, time.Now, portal.AuthConfig{Secret: []byte("kpi-page-test-secret-0123456789abcdefgh")})
	portaltest.Must(t, err, "auth service")
	ts.kpis = testKPIService(db, w.Requests)
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Auth: ts.auth, Users: w.Users, Org: mongostore.NewOrgStore(db), Requests: w.Requests,
		Categories: mongostore.NewCategoryStore(db), KPIs: ts.kpis})
	portaltest.Must(t, err, "new server")
	ts.Server = srv
	return ts
}

func (ts *kpiServer) runner() portaltest.Runner { return ts.runnerFor(ts.Handler()) }

// seed files three requests: one of ent-001 dispatched to dept-trans,
// signed and resolved; one of ent-002 dispatched to a sub-district; one
// waiting for dispatch. It returns the resolved one.
func (ts *kpiServer) seed(t *testing.T) *portal.Request {
	t.Helper()
	act := func(user, id string, a portal.Action, in portal.ActionInput) {
		_, err := ts.w.Requests.Act(ts.w.As(t, user), id, a, in)
		portaltest.Must(t, err, "%s as %s", a, user)
	}
	file := func(user string) *portal.Request {
		r, err := ts.w.Requests.File(ts.w.As(t, user), portal.RequestInput{Title: "港区货车通行证咨询",
			Description: "公司货车夜间进出港区是否需要办理通行证？", Category: "traffic", Type: portal.TypeHelp}, nil)
		portaltest.Must(t, err, "file as %s", user)
		return r
	}
	a := file("enterprise")
	act("dispatcher", a.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	act("handler", a.ID, portal.ActSign, portal.ActionInput{})
	act("handler", a.ID, portal.ActResolve, portal.ActionInput{Text: "已办理夜间通行证，企业可在线领取。"})
	b := file("enterprise2")
	act("dispatcher", b.ID, portal.ActDispatch, portal.ActionInput{Department: "sd-jinsha"})
	file("enterprise")
	return a
}

// TestKPIAPI: counts, rates with null for empty denominators, resolved
// names, each role's scope and the bad parameters, each named.
func TestKPIAPI(t *testing.T) {
	ts := newKPIServer(t)
	ts.seed(t)
	rn := ts.runner()
	res := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/api/v1/kpis?group_by=department", Actor: "admin"})
	if res.Code != http.StatusOK {
		t.Fatalf("admin: %d %s", res.Code, res.Body.String())
	}
	var rep portal.KPIReport
	portaltest.DecodeJSON(t, res, &rep)
	byName := map[string]portal.KPIRow{}
	for _, r := range rep.Rows {
		byName[r.Name] = r
	}
	trans := byName["区交通运输局"]
	if rep.Total.Counts.Received != 3 || trans.Counts.Resolved != 1 || trans.Rates.ResolvedOnTime == nil || *trans.Rates.ResolvedOnTime != 1 ||
		byName["金沙街道"].Counts.Received != 1 || byName["未分拨"].Counts.Received != 1 || len(rep.Months) != 12 {
		t.Errorf("report: %+v", rep)
	}
	if !strings.Contains(res.Body.String(), `"solved":null`) || strings.Contains(res.Body.String(), "NaN") {
		t.Errorf("nobody answered yet: 解决率 must be null: %s", res.Body.String())
	}
	for _, dim := range []struct{ groupBy, name string }{{"tier", "A 级（区级部门）"}, {"category", "交通出行"}, {"channel", "网上填报"}, {"chain", "港口物流"}} {
		rn.Run(t, []portaltest.Scenario{{Name: dim.groupBy, Method: "GET", Path: "/api/v1/kpis?group_by=" + dim.groupBy, Actor: "dispatcher",
			Status: http.StatusOK, Contains: []string{`"group_by":"` + dim.groupBy + `"`, dim.name}}})
	}
	rn.Run(t, []portaltest.Scenario{
		{Name: "handler's department", Method: "GET", Path: "/api/v1/kpis", Actor: "handler", Status: http.StatusOK,
			Contains: []string{`"unit":"dept:dept-trans"`, `"received":1`}, NotContains: []string{"金沙街道"}},
		{Name: "handler's own", Method: "GET", Path: "/api/v1/kpis?scope=mine", Actor: "handler", Status: http.StatusOK,
			Contains: []string{`"unit":"handler:u-handler"`}},
		{Name: "enterprise refused", Method: "GET", Path: "/api/v1/kpis", Actor: "enterprise", Status: http.StatusForbidden},
		{Name: "anonymous", Method: "GET", Path: "/api/v1/kpis", Status: http.StatusUnauthorized},
		{Name: "bad months and dimension, each named", Method: "GET", Path: "/api/v1/kpis?from=2026-13&to=x&group_by=enterprise", Actor: "admin",
			Status: http.StatusBadRequest, Contains: []string{`"from"`, `"to"`, `"group_by"`}},
		{Name: "reversed range", Method: "GET", Path: "/api/v1/kpis?from=2026-05&to=2026-01", Actor: "admin",
			Status: http.StatusBadRequest, Contains: []string{`"from":"起始月份不能晚于结束月份"`}},
		{Name: "range over 36 months", Method: "GET", Path: "/api/v1/kpis?from=2020-01&to=2026-01", Actor: "admin",
			Status: http.StatusBadRequest, Contains: []string{`"to":"查询范围不能超过 36 个月"`}},
		{Name: "unknown scope", Method: "GET", Path: "/api/v1/kpis?scope=all", Actor: "admin", Status: http.StatusBadRequest, Contains: []string{`"scope"`}},
		{Name: "a dispatcher has no own handling", Method: "GET", Path: "/api/v1/kpis?scope=mine", Actor: "dispatcher", Status: http.StatusForbidden},
	})
}

// TestKPIPages renders the dashboard, the rate tables, a handler's own and
// the scorecard for the roles that use them, with "—" for missing rates,
// the formulas, the embedded chart data and the bad inputs.
func TestKPIPages(t *testing.T) {
	ts := newKPIServer(t)
	resolved := ts.seed(t)
	rn := ts.runner()
	rn.Run(t, []portaltest.Scenario{
		{Name: "dashboard", Method: "GET", Path: "/dashboard", Actor: "admin", Status: http.StatusOK,
			Contains: []string{"领导驾驶舱", `id="kpi-data"`, `"dept_on_time":[100`, "/static/vendor/echarts.min.js", "/static/js/dashboard.js",
				"按时办结数 ÷ 已办结数", "区交通运输局", `<p class="kpi-card-value kpi-none">—</p>`}},
		{Name: "dashboard bad month", Method: "GET", Path: "/dashboard?from=2026-99", Actor: "admin", Status: http.StatusBadRequest,
			Contains: []string{"月份格式应为 YYYY-MM"}},
		{Name: "dashboard refused to enterprises", Method: "GET", Path: "/dashboard", Actor: "enterprise", Status: http.StatusForbidden},
		{Name: "rate table", Method: "GET", Path: "/kpis?group_by=tier", Actor: "dispatcher", Status: http.StatusOK,
			Contains: []string{"A 级（区级部门）", "B 级（街道）", "未分拨", "100.0%", "—", "/kpis/export?", "满意率"}},
		{Name: "rate table bad dimension", Method: "GET", Path: "/kpis?group_by=x", Actor: "dispatcher", Status: http.StatusBadRequest,
			Contains: []string{"分组方式只能是"}},
		{Name: "committee's chain", Method: "GET", Path: "/kpis", Actor: "committee", Status: http.StatusOK, Contains: []string{"港口物流"}},
		{Name: "handler's own", Method: "GET", Path: "/kpis/mine", Actor: "handler", Status: http.StatusOK,
			Contains: []string{"我的绩效", "您本人签收办理的诉求", "/kpis/mine/export?"}},
		{Name: "handler's own refused to liaisons", Method: "GET", Path: "/kpis/mine", Actor: "liaison", Status: http.StatusForbidden},
		{Name: "empty range", Method: "GET", Path: "/kpis?from=2020-01&to=2020-03", Actor: "admin", Status: http.StatusOK,
			Contains: []string{"没有受理的诉求"}},
		{Name: "scorecard of the handler's department", Method: "GET", Path: "/kpis/scorecard", Actor: "handler", Status: http.StatusOK,
			Contains: []string{"一诉一考 · 区交通运输局", resolved.No, "按时：是", "待评价", "/kpis/scorecard/export?"}},
		{Name: "scorecard search without hits", Method: "GET", Path: "/kpis/scorecard?q=HQ-1999", Actor: "handler", Status: http.StatusOK,
			Contains: []string{"没有符合“HQ-1999”的诉求"}},
		{Name: "scorecard of another department", Method: "GET", Path: "/kpis/scorecard?department=sd-jinsha", Actor: "handler", Status: http.StatusNotFound},
		{Name: "admin chooses a department", Method: "GET", Path: "/kpis/scorecard", Actor: "admin", Status: http.StatusOK,
			Contains: []string{"请选择承办单位", `<option value="dept-trans"`}},
		{Name: "scorecard refused to committees", Method: "GET", Path: "/kpis/scorecard", Actor: "committee", Status: http.StatusForbidden},
		{Name: "scorecard bad page", Method: "GET", Path: "/kpis/scorecard?page=0", Actor: "handler", Status: http.StatusBadRequest,
			Contains: []string{"页码"}},
	})
}

// TestKPIExports: the rate table and the scorecard export as XLSX with
// numbers as numbers and "—" for missing rates, as CSV, and refuse what
// the page refuses.
func TestKPIExports(t *testing.T) {
	ts := newKPIServer(t)
	resolved := ts.seed(t)
	rn := ts.runner()
	res := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/kpis/export?group_by=department", Actor: "admin"})
	if res.Code != http.StatusOK {
		t.Fatalf("export: %d %s", res.Code, res.Body.String())
	}
	rows := xlsxRows(t, res.Body.Bytes())
	if rows[0][0] != "承办单位" || rows[0][13] != "签收及时率（%）" || len(rows) != 5 || rows[len(rows)-1][0] != "合计" {
		t.Fatalf("rate export: %v", rows)
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	portaltest.Must(t, err, "open xlsx")
	sheet := f.GetSheetName(0)
	for r, row := range rows[1:] {
		if row[0] != "区交通运输局" {
			continue
		}
		typ, _ := f.GetCellType(sheet, cellName(2, r+2))
		rate, _ := f.GetCellValue(sheet, cellName(16, r+2)) // 按时办结率
		solved, _ := f.GetCellValue(sheet, cellName(18, r+2))
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || rate != "100" || solved != "—" {
			t.Errorf("department row: received type %v, 按时办结率 %q, 解决率 %q", typ, rate, solved)
		}
	}
	f.Close()

	rn.Run(t, []portaltest.Scenario{
		{Name: "rate csv", Method: "GET", Path: "/kpis/mine/export?format=csv", Actor: "handler", Status: http.StatusOK,
			Contains: []string{"\uFEFF承办单位,受理数", "合计"}},
		{Name: "rate export bad format", Method: "GET", Path: "/kpis/export?format=pdf", Actor: "admin", Status: http.StatusBadRequest,
			Contains: []string{"导出格式只能是 xlsx 或 csv"}},
		{Name: "rate export refused", Method: "GET", Path: "/kpis/export", Actor: "enterprise", Status: http.StatusForbidden},
		{Name: "scorecard csv", Method: "GET", Path: "/kpis/scorecard/export?format=csv", Actor: "handler", Status: http.StatusOK,
			Contains: []string{"诉求编号,企业,诉求分类", resolved.No, "交通出行", "是,", "待评价"}},
		{Name: "scorecard export without a department", Method: "GET", Path: "/kpis/scorecard/export", Actor: "admin", Status: http.StatusBadRequest,
			Contains: []string{"请选择承办单位"}},
		{Name: "scorecard export of another department", Method: "GET", Path: "/kpis/scorecard/export?department=sd-jinsha", Actor: "handler",
			Status: http.StatusNotFound},
	})
	res = rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/kpis/scorecard/export?department=dept-trans", Actor: "admin"})
	rows = xlsxRows(t, res.Body.Bytes())
	if len(rows) != 2 || rows[1][0] != resolved.No || rows[1][8] != "是" || rows[1][16] != "0" {
		t.Errorf("scorecard xlsx: %v", rows)
	}
	var body map[string]any
	if json.Unmarshal(res.Body.Bytes(), &body) == nil {
		t.Errorf("the scorecard export answered JSON: %v", body)
	}
}
