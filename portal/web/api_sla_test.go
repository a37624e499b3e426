package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/workcal"
)

// testSLAService is the SLA plans on the working calendar of db.
func testSLAService(db *mongostore.DB, audit *portal.Auditor) *portal.SLAService {
	return &portal.SLAService{Store: mongostore.NewSLAPlanStore(db),
		Calendar: &portal.CalendarService{Store: mongostore.NewCalendarStore(db), Audit: audit, Now: time.Now, CacheFor: -1},
		Audit:    audit, Log: slog.New(slog.DiscardHandler), Now: time.Now}
}

// newSLATestServer is the request test server with the SLA plans as the
// request service's Deadliner, showing times in the district's zone.
func newSLATestServer(t *testing.T) *reqServer {
	t.Helper()
	ts := newReqServer(t)
	ts.opt.SLA = ts.w.WithSLA(t)
	ts.opt.Location = workcal.DefaultLocation()
	p, err := loadPages(ts.opt.Location)
	portaltest.Must(t, err, "load pages")
	ts.pages = p
	return ts
}

// slaStoredVersions counts the saved plan versions.
func slaStoredVersions(t *testing.T, db *mongostore.DB) int64 {
	t.Helper()
	n, err := db.Database().Collection("sla_plans").CountDocuments(context.Background(), bson.D{})
	portaltest.Must(t, err, "count sla plans")
	return n
}

// slaPlansBody is the default matrix as a PUT body, changed by mod.
func slaPlansBody(version int, mod func(m *portal.SLAPlans)) map[string]any {
	m := portal.DefaultSLAPlans()
	if mod != nil {
		mod(m)
	}
	return map[string]any{"version": version, "plans": m.Plans}
}

func TestSLAPlansAPI(t *testing.T) {
	ts := newSLATestServer(t)
	versions := func(want int64) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if got := slaStoredVersions(t, ts.w.DB); got != want {
				t.Errorf("stored %d plan versions, want %d", got, want)
			}
		}
	}
	longer := slaPlansBody(0, func(m *portal.SLAPlans) {
		m.Plan(portal.TypeHelp, portal.TierA).Resolve = portal.SLALimit{Amount: 6, Unit: workcal.WorkingDays}
	})
	put := func(name, actor string, body any, status int, after int64, contains ...string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "PUT", Path: "/api/v1/sla-plans", Actor: actor, Body: body, Status: status,
			Contains: contains, After: versions(after)}
	}
	preview := "/api/v1/sla-plans/preview?type=complaint&tier=B&start=2026-02-13T17:00:00%2B08:00"
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the dispatcher reads the defaults", Method: "GET", Path: "/api/v1/sla-plans", Actor: "dispatcher", Status: 200,
			Contains: []string{`"version":0`, `"type":"complaint","tier":"B","sign":{"amount":24,"unit":"hours"},"urgent_sign":{"amount":4,"unit":"hours"},"reply":{"amount":1,"unit":"working_days"},"resolve":{"amount":3,"unit":"working_days"}`,
				`"type":"help","tier":"C"`}},
		{Name: "a handler may not read them", Method: "GET", Path: "/api/v1/sla-plans", Actor: "handler", Status: 403},
		{Name: "visitors sign in first", Method: "GET", Path: "/api/v1/sla-plans", Status: 401},
		{Name: "a complaint to tier B over 春节", Method: "GET", Path: preview, Actor: "dispatcher", Status: 200,
			Contains: []string{`"plan_id":"complaint:B"`, `"plan_version":0`, `"calendar_version":"2026:builtin"`,
				`{"leg":"sign","name":"签收","limit":"24 小时","due":"2026-02-14T17:00:00+08:00"}`,
				`{"leg":"reply","name":"答复","limit":"1 个工作日","due":"2026-02-15T00:00:00+08:00"}`,
				`{"leg":"resolve","name":"办结","limit":"3 个工作日","due":"2026-02-26T00:00:00+08:00"}`}},
		{Name: "urgent from now", Method: "GET", Path: "/api/v1/sla-plans/preview?type=help&tier=A&urgent=true", Actor: "admin", Status: 200,
			Contains: []string{`"urgent":true`, `"limit":"4 小时"`}},
		{Name: "bad preview parameters are named", Method: "GET", Path: "/api/v1/sla-plans/preview?type=praise&urgent=maybe&start=soon",
			Actor: "admin", Status: 400, Contains: []string{`"type":`, `"tier":`, `"urgent":`, `"start":`}},
		{Name: "a liaison may not preview", Method: "GET", Path: preview, Actor: "liaison", Status: 403},

		put("a dispatcher may not save", "dispatcher", longer, 403, 0),
		put("reply longer than resolve", "admin", slaPlansBody(0, func(m *portal.SLAPlans) {
			m.Plan(portal.TypeComplaint, portal.TierB).Reply = portal.SLALimit{Amount: 5, Unit: workcal.WorkingDays}
		}), 400, 0, `"code":"invalid"`, `"complaint.B.reply":`, "答复时限不能长于办结时限"),
		put("working days over 60", "admin", slaPlansBody(0, func(m *portal.SLAPlans) {
			m.Plan(portal.TypeHelp, portal.TierC).Resolve = portal.SLALimit{Amount: 61, Unit: workcal.WorkingDays}
		}), 400, 0, `"help.C.resolve":`, "1–60"),
		put("an unknown unit", "admin", slaPlansBody(0, func(m *portal.SLAPlans) {
			m.Plan(portal.TypeHelp, portal.TierC).Sign = portal.SLALimit{Amount: 2, Unit: "days"}
		}), 400, 0, `"help.C.sign":`),
		put("a matrix with a plan missing", "admin", map[string]any{"version": 0, "plans": portal.DefaultSLAPlans().Plans[1:]}, 400, 0,
			`"plans":`, "缺少咨询类诉求 A 级"),
		put("an unknown field", "admin", map[string]any{"version": 0, "plan": []any{}}, 400, 0, "未知字段 plan"),
		put("the admin saves", "admin", longer, 200, 1, `"version":1`, `"updated_by":"u-admin"`, "求助 · A 级 办结：4 个工作日 → 6 个工作日"),
		put("a stale version is 409", "admin", longer, 409, 1, `"code":"conflict"`, "现为第 1 版"),
		{Name: "dispatches use version 1", Method: "GET", Path: "/api/v1/sla-plans/preview?type=help&tier=A", Actor: "dispatcher",
			Status: 200, Contains: []string{`"plan_version":1`, `"limit":"6 个工作日"`}},
	})
}

func TestSLAExtensionAPI(t *testing.T) {
	ts := newSLATestServer(t)
	r := ts.file(t, "enterprise", map[string]any{"title": "港区堆场夜间照明不足", "description": "港区堆场夜间照明不足，影响夜间作业安全，请协调。",
		"category": "park", "type": "help"})
	ts.act(t, "dispatcher", r.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
	ts.act(t, "handler", r.ID, portal.ActSign, nil)
	r = ts.stored(t, r.ID)
	path := "/api/v1/requests/" + r.ID + "/extension"
	unchanged := func(want *portal.Request) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			got := ts.stored(t, want.ID)
			if got.Version != want.Version || !reflect.DeepEqual(got.SLA, want.SLA) || !reflect.DeepEqual(got.Extension, want.Extension) {
				t.Errorf("the request changed: version %d → %d, extension %+v → %+v", want.Version, got.Version, want.Extension, got.Extension)
			}
		}
	}
	ask := func(name, actor string, body any, status int, contains ...string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "POST", Path: path, Actor: actor, Body: body, Status: status,
			Contains: contains, After: unchanged(r)}
	}
	good := map[string]any{"leg": "resolve", "extra_days": 2, "reason": "需要会同港务部门现场核查"}
	ts.runner().Run(t, []portaltest.Scenario{
		ask("the enterprise may not ask", "enterprise", good, 403),
		ask("the dispatcher may not ask", "dispatcher", good, 403),
		ask("another enterprise does not see it", "enterprise2", good, 404),
		ask("an empty reason", "handler", map[string]any{"leg": "resolve", "extra_days": 2}, 400, `"reason":`),
		ask("an unknown leg", "handler", map[string]any{"leg": "close", "extra_days": 2, "reason": "需要核查"}, 400, `"leg":`),
		ask("a leg already done", "handler", map[string]any{"leg": "sign", "extra_days": 2, "reason": "需要核查"}, 400, `"leg":`, "已完成"),
		ask("no new deadline", "handler", map[string]any{"leg": "resolve", "reason": "需要核查"}, 400, `"due":`),
		ask("an unreadable deadline", "handler", map[string]any{"leg": "resolve", "due": "下周", "reason": "需要核查"}, 400, `"due":`),
		ask("a stale version", "handler", map[string]any{"leg": "resolve", "extra_days": 2, "reason": "需要核查", "version": 1}, 409,
			`"status":"signed"`),
		ask("an unknown field", "handler", map[string]any{"leg": "resolve", "days": 2, "reason": "需要核查"}, 400, "未知字段 days"),
		{Name: "the handler asks", Method: "POST", Path: path, Actor: "handler", Body: good, Status: 200,
			Contains: []string{`"extension":{"leg":"resolve"`, `"extra_days":2`, `"requested_by_id":"u-handler"`}},
	})
	asked := ts.stored(t, r.ID)
	decide := func(name, actor string, body any, status int, contains ...string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "POST", Path: path + "/decision", Actor: actor, Body: body, Status: status,
			Contains: contains, After: unchanged(asked)}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "a second extension while one waits", Method: "POST", Path: path, Actor: "depthead", Body: good, Status: 409,
			After: unchanged(asked)},
		decide("the handler may not decide", "handler", map[string]any{"approve": true}, 403),
		decide("the enterprise may not decide", "enterprise", map[string]any{"approve": true}, 403),
		decide("another enterprise does not see it", "enterprise2", map[string]any{"approve": true}, 404),
		decide("no verdict", "dispatcher", map[string]any{"note": "同意"}, 400, `"approve":`),
		decide("a refusal without reason", "depthead", map[string]any{"approve": false}, 400, `"note":`),
		decide("a stale version", "dispatcher", map[string]any{"approve": true, "version": 2}, 409),
	})
	var approved portal.Request
	ts.must(t, 200, "dispatcher", "POST", path+"/decision", map[string]any{"approve": true, "version": asked.Version}, &approved)
	if approved.Extension != nil || approved.SLA.Generation != asked.SLA.Generation+1 ||
		!approved.SLA.Leg(portal.LegResolve).Due.Equal(asked.Extension.NewDue) || !approved.SLA.Leg(portal.LegReply).Due.Equal(asked.SLA.Leg(portal.LegReply).Due) {
		t.Errorf("approved: extension %+v, generation %d, resolve %v (asked %v)", approved.Extension, approved.SLA.Generation,
			approved.SLA.Leg(portal.LegResolve).Due, asked.Extension.NewDue)
	}
	asked = ts.stored(t, r.ID)
	ts.runner().Run(t, []portaltest.Scenario{
		decide("nothing waits any more", "depthead", map[string]any{"approve": true}, 409),
	})
	// A refusal records the decision and moves no deadline.
	newDue := approved.SLA.Leg(portal.LegReply).Due.Add(24 * time.Hour).Format(time.RFC3339)
	var again portal.Request
	ts.must(t, 200, "handler", "POST", path, map[string]any{"leg": "reply", "due": newDue, "reason": "企业负责人出差"}, &again)
	var refused portal.Request
	ts.must(t, 200, "depthead", "POST", path+"/decision", map[string]any{"approve": false, "note": "时限内可以答复"}, &refused)
	if refused.Extension != nil || !reflect.DeepEqual(refused.SLA, again.SLA) || !reflect.DeepEqual(refused.DueAt, again.DueAt) {
		t.Errorf("a refusal changed deadlines: %+v → %+v", again.SLA, refused.SLA)
	}
	var events struct {
		Items []portal.Event `json:"items"`
	}
	ts.must(t, 200, "enterprise", "GET", "/api/v1/requests/"+r.ID+"/timeline", nil, &events)
	var actions []string
	for _, ev := range events.Items {
		if strings.HasPrefix(ev.Action, "extension_") {
			actions = append(actions, ev.Action)
		}
	}
	if strings.Join(actions, ",") != "extension_request,extension_approve,extension_request,extension_refuse" {
		t.Errorf("timeline extension entries = %v", actions)
	}
}

// slaPageForm is the matrix form with the defaults, changed by set.
func slaPageForm(version int, set map[string]string) url.Values {
	v := url.Values{"version": {strconv.Itoa(version)}}
	for _, p := range portal.DefaultSLAPlans().Plans {
		for _, key := range portal.SLALegKeys {
			name := string(p.Type) + "." + string(p.Tier) + "." + key
			lim := p.LimitByKey(key)
			v.Set(name+".amount", strconv.Itoa(lim.Amount))
			v.Set(name+".unit", string(lim.Unit))
		}
	}
	for k, x := range set {
		v.Set(k, x)
	}
	return v
}

func TestSLAPage(t *testing.T) {
	ts := newSLATestServer(t)
	db := ts.w.DB
	nothingStored := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := slaStoredVersions(t, db); n != 0 {
			t.Errorf("stored %d versions", n)
		}
	}
	page := func(name, actor, query string, status int, contains ...string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "GET", Path: "/admin/sla" + query, Actor: actor, Status: status, Contains: contains}
	}
	rn := ts.runner()
	rn.Run(t, []portaltest.Scenario{
		page("the defaults", "admin", "", 200, "<title>时限方案 · 惠企通</title>", "第 0 版", "正在使用系统默认时限",
			`name="complaint.B.resolve.amount" value="3"`, `<option value="working_days" selected>工作日</option>`,
			`name="help.A.urgent_sign.amount" value="4"`, `name="version" value="0"`, `name="csrf_token"`,
			"一件投诉现在分拨到 B 级，签收截止", "还没有修改记录", `href="/admin/sla"`, `aria-current="page"`),
		page("a preview at a given time", "admin", "?type=complaint&tier=B&start=2026-02-13T17:00", 200,
			"一件投诉于 2026-02-13 17:00 分拨到 B 级，签收截止 2026-02-14（星期六）17:00，答复截止 2026-02-14（星期六）24:00，办结截止 2026-02-25（星期三）24:00。",
			"<code>2026:builtin</code>"),
		page("an urgent preview", "admin", "?type=help&tier=C&urgent=on&start=2026-03-02T10:00", 200,
			"一件紧急求助于 2026-03-02 10:00 分拨到 C 级，签收截止 2026-03-02（星期一）14:00"),
		page("bad preview input is named", "admin", "?type=praise&tier=B", 200, "时限试算参数有误", `aria-invalid="true"`),
		page("others are refused", "dispatcher", "", 403, "只有系统管理员"),
		page("a bad page number", "admin", "?page=0", 400, "分页参数有误"),
		{Name: "visitors sign in first", Method: "GET", Path: "/admin/sla", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin%2Fsla"}},
	})

	bad := adminPost("an amount that is not a number", "admin", "/admin/sla", slaPageForm(0, map[string]string{"help.B.reply.amount": "一"}),
		400, "时限方案有误", "求助 · B 级 答复：请填写整数", `name="help.B.reply.amount" value="一"`)
	bad.After = nothingStored
	longer := adminPost("reply longer than resolve", "admin", "/admin/sla", slaPageForm(0, map[string]string{"complaint.C.reply.amount": "4"}),
		400, "答复时限不能长于办结时限", `name="complaint.C.reply.amount" value="4"`)
	longer.After = nothingStored
	refused := adminPost("a dispatcher may not save", "dispatcher", "/admin/sla", slaPageForm(0, nil), 403)
	refused.After = nothingStored
	noCSRF := portaltest.Scenario{Name: "without the CSRF token", Method: "POST", Path: "/admin/sla", Actor: "admin",
		Body: slaPageForm(0, nil).Encode(), Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		Status: 403, After: nothingStored}
	rn.Run(t, []portaltest.Scenario{bad, longer, refused, noCSRF})

	body, headers := adminFormBody(slaPageForm(0, map[string]string{"complaint.B.resolve.amount": "5"}))
	res := rn.Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/sla", Actor: "admin", Body: body, Headers: headers})
	if res.Code != 303 || res.Header().Get("Location") != "/admin/sla" {
		t.Fatalf("save: status %d, location %q: %s", res.Code, res.Header().Get("Location"), res.Body.String())
	}
	if got := flashOf(t, res); !strings.Contains(got, "已保存时限方案第 1 版") {
		t.Errorf("flash = %q", got)
	}
	body, headers = adminFormBody(slaPageForm(1, map[string]string{"complaint.B.resolve.amount": "5"}))
	res = rn.Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/sla", Actor: "admin", Body: body, Headers: headers})
	if got := flashOf(t, res); res.Code != 303 || got != "时限方案没有改动" {
		t.Errorf("unchanged save: %d %q", res.Code, got)
	}
	stale := adminPost("a stale save is 409 and keeps what was typed", "admin", "/admin/sla",
		slaPageForm(0, map[string]string{"complaint.B.resolve.amount": "7"}), 409, "已被他人修改", "查看最新方案",
		`name="complaint.B.resolve.amount" value="7"`)
	stale.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := slaStoredVersions(t, db); n != 1 {
			t.Errorf("a stale save stored: %d versions", n)
		}
	}
	rn.Run(t, []portaltest.Scenario{
		page("the saved version", "admin", "", 200, "第 1 版", "由 ", "投诉 · B 级 办结：3 个工作日 → 5 个工作日",
			`name="complaint.B.resolve.amount" value="5"`, `name="version" value="1"`, "办结截止"),
		stale,
	})
}

func TestSLAExtensionForms(t *testing.T) {
	ts := newSLATestServer(t)
	r := ts.file(t, "enterprise", map[string]any{"title": "港区堆场夜间照明不足", "description": "港区堆场夜间照明不足，影响夜间作业安全，请协调。",
		"category": "park", "type": "help"})
	ts.act(t, "dispatcher", r.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
	r = ts.act(t, "handler", r.ID, portal.ActSign, nil)
	rn := ts.runner()
	post := func(actor, path string, v url.Values) *httptest.ResponseRecorder {
		body, headers := adminFormBody(v)
		return rn.Do(t, portaltest.Scenario{Method: "POST", Path: path, Actor: actor, Body: body, Headers: headers})
	}
	back := "/requests/" + r.ID
	res := post("handler", back+"/extension", url.Values{"leg": {"resolve"}, "extra_days": {"2"}, "reason": {""}})
	if res.Code != 303 || res.Header().Get("Location") != back || !strings.Contains(flashOf(t, res), "延期理由") {
		t.Errorf("empty reason: %d %q %q", res.Code, res.Header().Get("Location"), flashOf(t, res))
	}
	res = post("handler", back+"/extension", url.Values{"leg": {"resolve"}, "extra_days": {"两"}, "reason": {"需要核查"}})
	if !strings.Contains(flashOf(t, res), "延长的工作日数必须是整数") {
		t.Errorf("days not a number: %q", flashOf(t, res))
	}
	if got := ts.stored(t, r.ID); got.Version != r.Version || got.Extension != nil {
		t.Fatalf("refused forms changed the request: %+v", got.Extension)
	}
	if res = post("enterprise2", back+"/extension", url.Values{"leg": {"resolve"}, "extra_days": {"2"}, "reason": {"需要核查"}}); res.Code != 404 {
		t.Errorf("another enterprise: %d", res.Code)
	}
	res = post("handler", back+"/extension", url.Values{"leg": {"resolve"}, "extra_days": {"2"}, "reason": {"需要会同港务部门现场核查"},
		"version": {strconv.Itoa(r.Version)}})
	if res.Code != 303 || flashOf(t, res) != "已提交延期申请，等待分拨员或部门负责人审批" {
		t.Fatalf("ask: %d %q", res.Code, flashOf(t, res))
	}
	asked := ts.stored(t, r.ID)
	if asked.Extension == nil || asked.Extension.ExtraDays != 2 {
		t.Fatalf("pending = %+v", asked.Extension)
	}
	res = post("handler", back+"/extension/decision", url.Values{"decision": {"approve"}})
	if !strings.Contains(flashOf(t, res), "只有分拨员或承办单位负责人") {
		t.Errorf("the handler decides: %q", flashOf(t, res))
	}
	res = post("depthead", back+"/extension/decision", url.Values{"decision": {"approve"}, "note": {"同意延期"}})
	if res.Code != 303 || !strings.HasPrefix(flashOf(t, res), "已同意延期申请") {
		t.Errorf("approve: %d %q", res.Code, flashOf(t, res))
	}
	if got := ts.stored(t, r.ID); got.Extension != nil || !got.SLA.Leg(portal.LegResolve).Due.Equal(asked.Extension.NewDue) {
		t.Errorf("after approval: extension %+v, resolve %v", got.Extension, got.SLA.Leg(portal.LegResolve).Due)
	}
}

// authzSLATable is the matrix of the SLA plan and extension routes.
func authzSLATable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const ok, bad, forbidden, conflict = http.StatusOK, http.StatusBadRequest, http.StatusForbidden, http.StatusConflict
	readers := authzSignedIn(authzBy[int]{"*": forbidden, "dispatcher": ok, "admin": ok})
	// Who sees the port-side request of dept-trans: the rest get 404.
	sees := func(m authzBy[int]) authzBy[int] {
		out := authzBy[int]{"*": http.StatusNotFound, "dispatcher": forbidden, "admin": forbidden, "enterprise/own": forbidden,
			"enterprise2/own": forbidden, "liaison/own": forbidden, "liaison2/own": forbidden, "committee/own": forbidden,
			"handler/own": forbidden, "depthead/own": forbidden}
		for k, v := range m {
			out[k] = v
		}
		return authzSignedIn(out)
	}
	askGood := map[string]any{"leg": "resolve", "extra_days": 2, "reason": "需要会同港务部门现场核查"}
	askRefused := map[string]any{"leg": "resolve", "extra_days": 2, "reason": "越权申请延期"}
	yes := map[string]any{"approve": true, "note": "越权审批"}
	return map[string]authzRoute{
		"GET /api/v1/sla-plans": {want: readers, has: authzBy[[]string]{"*": nil, "dispatcher": {`"plans":[`}, "admin": {`"plans":[`}}},
		// Refused callers send a change that would be saved; the admin's
		// row names a stale version (409). Nothing is stored either way.
		"PUT /api/v1/sla-plans": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": conflict}),
			body: authzBy[any]{"*": slaPlansBody(0, func(m *portal.SLAPlans) { m.Plans[0].Sign.Amount = 12 }),
				"admin": slaPlansBody(4, func(m *portal.SLAPlans) { m.Plans[0].Sign.Amount = 12 })},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": func(t *testing.T, f *authzFixture) {
				if n := slaStoredVersions(t, f.db); n != 0 {
					t.Errorf("a refused save stored %d plan versions", n)
				}
			}},
		},
		// Without parameters the readers' rows are 400, naming them.
		"GET /api/v1/sla-plans/preview": {want: authzSignedIn(authzBy[int]{"*": forbidden, "dispatcher": bad, "admin": bad}),
			has: authzBy[[]string]{"*": nil, "dispatcher": {`"type":`, `"tier":`}, "admin": {`"type":`, `"tier":`}}},
		// The department asks: the handler on a request of its own, the
		// head with an empty body (400); everyone else is refused.
		"POST /api/v1/requests/:id/extension": {
			id:   "$sla-ask",
			want: sees(authzBy[int]{"handler/own": ok, "depthead/own": bad}),
			body: authzBy[any]{"*": askRefused, "handler/own": askGood, "depthead/own": map[string]any{}},
			has:  authzBy[[]string]{"*": nil, "handler/own": {`"extension":{"leg":"resolve"`}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": func(t *testing.T, f *authzFixture) {
				authzNoRefusedExtension(t, f)
			}},
		},
		// Dispatchers, admins and the head decide, each on a request of
		// its own; on the other side's, dispatchers and admins send no
		// verdict (400). The handler who may see it is refused.
		"POST /api/v1/requests/:id/extension/decision": {
			id: "$sla-decide",
			want: sees(authzBy[int]{"dispatcher/own": ok, "admin/own": ok, "depthead/own": ok,
				"dispatcher/other": bad, "admin/other": bad}),
			body: authzBy[any]{"*": yes, "dispatcher/own": map[string]any{"approve": true}, "admin/own": map[string]any{"approve": false, "note": "时限内可以完成"},
				"depthead/own": map[string]any{"approve": true}, "dispatcher/other": map[string]any{}, "admin/other": map[string]any{}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": func(t *testing.T, f *authzFixture) {
				authzNoRefusedExtension(t, f)
			}},
		},
	}
}

// authzNoRefusedExtension fails when a refused row left its mark on a
// request: an extension asked or decided with the refused rows' reason.
func authzNoRefusedExtension(t *testing.T, f *authzFixture) {
	t.Helper()
	re := bson.M{"$regex": authzMarker}
	n, err := f.db.Database().Collection("requests").CountDocuments(context.Background(),
		bson.M{"$or": bson.A{bson.M{"extension.reason": re}, bson.M{"timeline.note": re}}})
	portaltest.Must(t, err, "search requests")
	if n > 0 {
		t.Errorf("%d requests hold an extension asked or decided by a refused row", n)
	}
	for _, side := range []string{"port", "jewelry"} {
		id, ok := f.requests["sla-decide "+side]
		if !ok {
			continue
		}
		r, err := f.reqs.Store.FindRequestByID(context.Background(), id)
		portaltest.Must(t, err, "find %s", id)
		if r.Extension == nil || r.SLA.Generation != 1 {
			t.Errorf("the shared %s request's pending extension was decided: %+v, generation %d", side, r.Extension, r.SLA.Generation)
		}
	}
}

// resolveSLA resolves the extension objects of the matrix: "sla-ask", a
// signed request of each side (fresh for the row that succeeds), and
// "sla-decide", one with an extension pending (fresh for each row that
// decides it).
func (f *authzFixture) resolveSLA(t *testing.T, kind, actor, object string) (string, bool) {
	t.Helper()
	side, otherSide := "port", "jewelry"
	if actor == "enterprise2" || actor == "liaison2" {
		side, otherSide = otherSide, side
	}
	if object == "other" {
		side = otherSide
	}
	name := kind
	switch {
	case kind == "sla-ask" && actor+"/"+object == "handler/own":
		name = "sla-ask single-use"
	case kind == "sla-decide" && object == "own" && (actor == "dispatcher" || actor == "admin" || actor == "depthead"):
		name = "sla-decide single-use " + actor
	case kind != "sla-ask" && kind != "sla-decide":
		return "", false
	}
	r := f.authzRequest(t, name, side, portal.StatusSigned)
	if strings.HasPrefix(kind, "sla-decide") && r.Extension == nil {
		var err error
		r, err = f.reqs.RequestExtension(f.authzAs(t, "", authzRequestSides[side].dept), r.ID,
			portal.ExtensionInput{Leg: "resolve", ExtraDays: 1, Reason: "需要调取监控录像"})
		portaltest.Must(t, err, "ask an extension of %s %s", name, side)
	}
	return r.ID, true
}

// TestSLAPageInBrowser checks the SLA editor on a phone-sized window: it
// must not scroll sideways, and a changed limit is saved as version 1.
func TestSLAPageInBrowser(t *testing.T) {
	ts := newSLATestServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var scrollWidth, clientWidth int
	var flash, sentence string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/admin/sla"),
		chromedp.WaitVisible(`input[name=username]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, reqTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#sla-preview`, chromedp.ByQuery),
		chromedp.Text(`#sla-preview p`, &sentence, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		chromedp.SetValue(`input[name="complaint.B.resolve.amount"]`, "5", chromedp.ByQuery),
		chromedp.Click(`form[action="/admin/sla"] button[type=submit]`, chromedp.ByQuery),
		// The history table appears only once a version is saved.
		chromedp.WaitVisible(`section[aria-labelledby=history-title] table`, chromedp.ByQuery),
		chromedp.Text(`.flash-success`, &flash, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("SLA page: %v", err)
	}
	if scrollWidth > clientWidth {
		t.Errorf("the SLA page at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", scrollWidth, clientWidth)
	}
	if !strings.HasPrefix(sentence, "一件投诉现在分拨到 B 级，签收截止") {
		t.Errorf("preview = %q", sentence)
	}
	if !strings.Contains(flash, "已保存时限方案第 1 版") {
		t.Errorf("flash after saving = %q", flash)
	}
	if n := slaStoredVersions(t, ts.w.DB); n != 1 {
		t.Errorf("stored %d versions, want 1", n)
	}
}
