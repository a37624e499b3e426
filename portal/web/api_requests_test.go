package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// testRequestService is the request service on db with the real stores.
func testRequestService(db *mongostore.DB, audit *portal.Auditor, now func() time.Time) *portal.RequestService {
	return &portal.RequestService{Store: mongostore.NewRequestStore(db, time.UTC), Enterprises: mongostore.NewEnterpriseStore(db),
		Org: mongostore.NewOrgStore(db), Users: mongostore.NewUserStore(db), Categories: mongostore.NewCategoryStore(db),
		Attachments: mongostore.NewAttachmentStore(db), Notify: mongostore.NewNotificationStore(db), Audit: audit,
		Log: slog.New(slog.DiscardHandler), Now: now}
}

// reqTestPassword is the password of every user of a reqServer.
const reqTestPassword = "Harbour-Ledger-Kite-58"

var reqTestHash = sync.OnceValues(func() (string, error) { return portal.HashPassword(reqTestPassword) })

// reqMaxAttachment is the attachment limit of a reqServer: small, so that
// the oversize cases need no 20 MB bodies.
const reqMaxAttachment = 64 << 10

// reqServer is the real router with real sign-in on the demo district of
// portaltest.World, serving the request API.
type reqServer struct {
	*Server
	w *portaltest.World
	bearerTokens
}

func newReqServer(t *testing.T) *reqServer {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	w := portaltest.NewWorld(t, db, time.Now)
	w.Requests.MaxAttachmentBytes = reqMaxAttachment
	hash, err := reqTestHash()
	portaltest.Must(t, err, "hash")
	users, _, err := w.Users.FindUsers(ctx, portal.UserFilter{Limit: 100})
	portaltest.Must(t, err, "users")
	for _, u := range users {
		_, err := w.Users.UpdateUser(ctx, u.ID, portal.UserUpdate{PasswordHash: &hash})
		portaltest.Must(t, err, "password of %s", u.Username)
	}
	ts := &reqServer{w: w, bearerTokens: newBearerTokens(reqTestPassword)}
	ts.auth, err = portal.NewAuthService(w.Users, mongostore.NewSessionStore(db), redisstore.NewThrottle(portaltest.StartRedis(t).Client),
		w.Audit, time.Now, portal.AuthConfig{Secret: []byte("request-api-test-secret-0123456789abcdef")})
	portaltest.Must(t, err, "auth service")
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Auth: ts.auth, Users: w.Users, Org: mongostore.NewOrgStore(db),
		Requests: w.Requests, Categories: mongostore.NewCategoryStore(db)})
	portaltest.Must(t, err, "new server")
	ts.Server = srv
	return ts
}

// runner sends each scenario as its Actor with a bearer token.
func (ts *reqServer) runner() portaltest.Runner {
	return ts.runnerFor(ts.Handler())
}

// call sends one scenario and returns the response.
func (ts *reqServer) call(t *testing.T, actor, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	return ts.runner().Do(t, portaltest.Scenario{Method: method, Path: path, Actor: actor, Body: body})
}

// must sends one scenario, fails unless it answers status, and decodes the
// answer into v (when not nil).
func (ts *reqServer) must(t *testing.T, status int, actor, method, path string, body, v any) {
	t.Helper()
	res := ts.call(t, actor, method, path, body)
	if res.Code != status {
		t.Fatalf("%s %s as %s: status %d, want %d; body: %s", method, path, actor, res.Code, status, res.Body.String())
	}
	if v != nil {
		portaltest.DecodeJSON(t, res, v)
	}
}

// file files a request over HTTP as actor and returns it.
func (ts *reqServer) file(t *testing.T, actor string, in map[string]any) *portal.Request {
	t.Helper()
	var r portal.Request
	ts.must(t, http.StatusCreated, actor, "POST", "/api/v1/requests", in, &r)
	return &r
}

// act takes an action over HTTP and fails unless it succeeds.
func (ts *reqServer) act(t *testing.T, actor, id string, action portal.Action, in map[string]any) *portal.Request {
	t.Helper()
	var r portal.Request
	ts.must(t, http.StatusOK, actor, "POST", "/api/v1/requests/"+id+"/"+string(action), in, &r)
	return &r
}

// stored returns the request as the database holds it.
func (ts *reqServer) stored(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := ts.w.Store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "find request %s", id)
	return r
}

// count returns how many requests are stored.
func (ts *reqServer) count(t *testing.T) int {
	t.Helper()
	_, n, err := ts.w.Store.FindRequests(context.Background(), portal.RequestFilter{Limit: 1})
	portaltest.Must(t, err, "count requests")
	return n
}

// attachmentFiles returns how many attachment files GridFS holds.
func (ts *reqServer) attachmentFiles(t *testing.T) int64 {
	t.Helper()
	n, err := ts.w.DB.Database().Collection("attachments.files").CountDocuments(context.Background(), bson.D{})
	portaltest.Must(t, err, "count attachment files")
	return n
}

// enterpriseFiling is a valid request of ent-001 filed by its own staff.
func enterpriseFiling(title string) map[string]any {
	return map[string]any{"title": title, "description": "港区集卡排队进港时间过长，影响冷链货物按时出港，请协调。",
		"category": "traffic", "type": "help"}
}

// liaisonFiling is a valid request a liaison files for enterprise after a visit.
func liaisonFiling(enterprise, title string) map[string]any {
	in := enterpriseFiling(title)
	in["enterprise_id"], in["channel"], in["source_name"] = enterprise, "visit", "2026 年港区企业走访"
	return in
}

func TestCategoriesAPI(t *testing.T) {
	ts := newReqServer(t)
	cats := mongostore.NewCategoryStore(ts.w.DB)
	portaltest.Must(t, cats.SaveCategory(context.Background(), &portal.Category{Code: "retired", Name: "已停用的分类",
		Types: []portal.RequestType{portal.TypeHelp}, Order: 5}), "save inactive category")
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "public, active ones in order with their types", Method: "GET", Path: "/api/v1/categories", Status: 200,
			Contains: []string{`{"code":"policy","name":"政策咨询","types":["consultation"]}`,
				`{"code":"dispute","name":"矛盾纠纷","types":["help","complaint"]}`},
			NotContains: []string{"retired", "已停用", `"order"`, `"active"`},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				var got []portal.Category
				portaltest.DecodeJSON(t, res, &got)
				var codes []string
				for _, c := range got {
					codes = append(codes, c.Code)
				}
				want := "policy finance talent land approval traffic enforcement dispute park other"
				if strings.Join(codes, " ") != want {
					t.Errorf("categories %v, want %s", codes, want)
				}
			}},
	})
}

// TestRequestLoopOverHTTP runs one request through its loop: the
// enterprise files, the dispatcher dispatches, the handler signs, replies
// and resolves; the enterprise reads the timeline.
func TestRequestLoopOverHTTP(t *testing.T) {
	ts := newReqServer(t)
	r := ts.file(t, "enterprise", enterpriseFiling("集卡进港排队时间过长"))
	if r.ID == "" || !strings.HasPrefix(r.No, "HQ-") || r.Status != portal.StatusSubmitted || r.EnterpriseID != "ent-001" ||
		r.Channel != portal.ChannelPortal || r.FirstContactID != "u-liaison" || r.ContactPhone != "13800000001" {
		t.Fatalf("filed request %+v", r)
	}
	res := ts.call(t, "enterprise", "POST", "/api/v1/requests", enterpriseFiling("集卡进港排队时间过长（二）"))
	if loc := res.Header().Get("Location"); !strings.HasPrefix(loc, "/api/v1/requests/") {
		t.Errorf("Location = %q", loc)
	}
	ts.act(t, "dispatcher", r.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
	if got := ts.act(t, "handler", r.ID, portal.ActSign, nil); got.Status != portal.StatusSigned || got.HandlerID != "u-handler" {
		t.Fatalf("after sign: %s handled by %q", got.Status, got.HandlerID)
	}
	const reply, resolution = "已协调港区调整集卡预约时段。", "港区已增开两条进港通道，排队时间降至 20 分钟以内。"
	ts.act(t, "handler", r.ID, portal.ActReply, map[string]any{"text": reply})
	done := ts.act(t, "handler", r.ID, portal.ActResolve, map[string]any{"text": resolution})
	if done.Status != portal.StatusResolved || done.Resolution != resolution || done.Reply != reply {
		t.Fatalf("after resolve: %+v", done)
	}

	var got portal.Request
	ts.must(t, 200, "enterprise", "GET", "/api/v1/requests/"+r.ID, nil, &got)
	if got.Status != portal.StatusResolved || got.DepartmentName != "区交通运输局" || got.Version != 5 {
		t.Errorf("enterprise reads %s at %q, version %d", got.Status, got.DepartmentName, got.Version)
	}
	var tl struct{ Items []portal.Event }
	ts.must(t, 200, "enterprise", "GET", "/api/v1/requests/"+r.ID+"/timeline", nil, &tl)
	want := []struct{ action, actor, note string }{
		{"file", "陈海燕（海湾国际物流）", "网上填报"},
		{"dispatch", "区企业服务中心 分拨员", "分拨至区交通运输局"},
		{"sign", "交通运输局 承办人", ""},
		{"reply", "交通运输局 承办人", reply},
		{"resolve", "交通运输局 承办人", resolution},
	}
	if len(tl.Items) != len(want) {
		t.Fatalf("timeline has %d events, want %d: %+v", len(tl.Items), len(want), tl.Items)
	}
	for i, w := range want {
		e := tl.Items[i]
		if e.Action != w.action || e.ActorName != w.actor || e.Note != w.note || e.At.IsZero() {
			t.Errorf("event %d = %s by %q (%q), want %s by %q (%q)", i, e.Action, e.ActorName, e.Note, w.action, w.actor, w.note)
		}
	}
	if tl.Items[4].From != portal.StatusReplied || tl.Items[4].To != portal.StatusResolved {
		t.Errorf("resolve event goes %s → %s", tl.Items[4].From, tl.Items[4].To)
	}
}

func TestRequestFilingByLiaison(t *testing.T) {
	ts := newReqServer(t)
	r := ts.file(t, "liaison", liaisonFiling("ent-003", "冷库用电增容审批慢"))
	if r.EnterpriseID != "ent-003" || r.Channel != portal.ChannelVisit || r.Source == nil || r.Source.Name != "2026 年港区企业走访" ||
		r.FiledByID != "u-liaison" || r.FirstContactID != "u-liaison" || r.ContactName != "王立强" {
		t.Fatalf("filed on behalf: %+v (source %+v)", r, r.Source)
	}
	var tl struct{ Items []portal.Event }
	ts.must(t, 404, "enterprise", "GET", "/api/v1/requests/"+r.ID+"/timeline", nil, nil) // ent-003's, not ent-001's
	ts.must(t, 200, "liaison", "GET", "/api/v1/requests/"+r.ID+"/timeline", nil, &tl)
	if len(tl.Items) != 1 || tl.Items[0].Note != "走访：2026 年港区企业走访" || tl.Items[0].ActorName != "港口物流专班 张联络" {
		t.Errorf("timeline %+v", tl.Items)
	}
	before := ts.count(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "enterprise outside the caseload", Method: "POST", Path: "/api/v1/requests", Actor: "liaison",
			Body: liaisonFiling("ent-002", "越权代提交的诉求"), Status: 400,
			Contains: []string{`"code":"invalid"`, `"enterprise_id":"企业不存在或不在您的负责范围内"`}},
		{Name: "unknown enterprise", Method: "POST", Path: "/api/v1/requests", Actor: "liaison",
			Body: liaisonFiling("ent-999", "不存在的企业的诉求"), Status: 400, Contains: []string{`"enterprise_id":`}},
		{Name: "no enterprise", Method: "POST", Path: "/api/v1/requests", Actor: "liaison",
			Body: liaisonFiling("", "没有选择企业的诉求"), Status: 400, Contains: []string{`"enterprise_id":"请选择企业"`}},
		{Name: "a visit without its source", Method: "POST", Path: "/api/v1/requests", Actor: "liaison",
			Body: func() map[string]any {
				in := liaisonFiling("ent-003", "缺少走访来源的诉求")
				delete(in, "source_name")
				return in
			}(),
			Status: 400, Contains: []string{`"source_name":"来源会议或走访不能为空"`}},
		{Name: "a handler may not file", Method: "POST", Path: "/api/v1/requests", Actor: "handler",
			Body: liaisonFiling("ent-003", "承办人提交的诉求"), Status: 403},
	})
	if n := ts.count(t); n != before {
		t.Errorf("refused filings stored %d requests", n-before)
	}
}

// TestRequestFilingBadInput sends every kind of bad filing and checks
// that each names its field and stores nothing.
func TestRequestFilingBadInput(t *testing.T) {
	ts := newReqServer(t)
	with := func(k string, v any) map[string]any {
		in := enterpriseFiling("集卡进港排队时间过长")
		if v == nil {
			delete(in, k)
		} else {
			in[k] = v
		}
		return in
	}
	cases := []struct {
		name, actor string
		body        any
		contains    []string
	}{
		{"missing title", "enterprise", with("title", nil), []string{`"title":"标题至少 4 个字"`}},
		{"blank title", "enterprise", with("title", "   "), []string{`"title":"标题至少 4 个字"`}},
		{"over-long title", "enterprise", with("title", strings.Repeat("长", 61)), []string{`"title":"标题不能超过 60 个字"`}},
		{"control character in title", "enterprise", with("title", "集卡\x00排队"), []string{`"title":"标题含有不可见的控制字符"`}},
		{"short description", "enterprise", with("description", "请处理"), []string{`"description":"诉求内容至少 10 个字"`}},
		{"missing category", "enterprise", with("category", nil), []string{`"category":"请选择诉求分类"`}},
		{"unknown category", "enterprise", with("category", "weather"), []string{`"category":"未知的诉求分类"`}},
		{"type the category does not take", "enterprise", with("category", "policy"),
			[]string{`"category":"分类“政策咨询”不受理求助类诉求"`}},
		{"unknown type", "enterprise", with("type", "praise"), []string{`"type":`}},
		{"unknown channel", "liaison", func() map[string]any {
			in := liaisonFiling("ent-001", "未知渠道的诉求")
			in["channel"] = "fax"
			return in
		}(),
			[]string{`"channel":"未知的诉求渠道"`}},
		{"enterprise through another channel", "enterprise", with("channel", "visit"), []string{`"channel":`}},
		{"enterprise for another enterprise", "enterprise", with("enterprise_id", "ent-002"),
			[]string{`"enterprise_id":"只能为本企业提交诉求"`}},
		{"bad phone", "enterprise", with("contact_phone", "12345"), []string{`"contact_phone":"联系电话格式不正确"`}},
		{"too many policies", "enterprise", with("policy_ids", strings.Split("a b c d e f g h i j k", " ")), []string{`"policy_ids":`}},
		{"unknown field", "enterprise", `{"title":"集卡进港排队时间过长","titel":"x"}`, []string{`"titel":"未知字段"`}},
		{"wrong type", "enterprise", `{"title":42}`, []string{`"title":"类型错误"`}},
		{"not JSON", "enterprise", `title=x`, []string{"JSON 格式错误"}},
		{"empty body", "enterprise", ``, []string{"请求体为空"}},
	}
	var scs []portaltest.Scenario
	for _, c := range cases {
		scs = append(scs, portaltest.Scenario{Name: c.name, Method: "POST", Path: "/api/v1/requests", Actor: c.actor,
			Body: c.body, Status: 400, Contains: append([]string{`"code":"invalid"`}, c.contains...)})
	}
	scs = append(scs,
		portaltest.Scenario{Name: "visitor", Method: "POST", Path: "/api/v1/requests", Body: enterpriseFiling("访客提交的诉求"), Status: 401},
		portaltest.Scenario{Name: "over 1 MiB", Method: "POST", Path: "/api/v1/requests", Actor: "enterprise",
			Body: with("description", strings.Repeat("长", MaxJSONBody/3+1)), Status: 413})
	ts.runner().Run(t, scs)
	if n := ts.count(t); n != 0 {
		t.Fatalf("bad filings stored %d requests", n)
	}
	if n, err := ts.w.DB.Database().Collection("notifications").CountDocuments(context.Background(), bson.D{}); err != nil || n != 0 {
		t.Errorf("bad filings sent %d notifications (%v)", n, err)
	}

	// Script is text: stored as typed, escaped in every JSON answer.
	const script = `<script>alert("x")</script>`
	res := ts.call(t, "enterprise", "POST", "/api/v1/requests", with("title", script))
	if res.Code != http.StatusCreated {
		t.Fatalf("script title: %d %s", res.Code, res.Body.String())
	}
	if body := res.Body.String(); strings.Contains(body, "<script>") || !strings.Contains(body, `\u003cscript\u003ealert(\"x\")\u003c/script\u003e`) {
		t.Errorf("title not JSON-escaped: %s", body)
	}
	var r portal.Request
	portaltest.DecodeJSON(t, res, &r)
	if got := ts.stored(t, r.ID).Title; got != script {
		t.Errorf("stored title %q, want it verbatim %q", got, script)
	}
	list := ts.call(t, "enterprise", "GET", "/api/v1/requests", nil)
	if strings.Contains(list.Body.String(), "<script>") || !strings.Contains(list.Body.String(), `\u003cscript\u003e`) {
		t.Errorf("list does not escape the title: %s", list.Body.String())
	}
}

// TestRequestActionsOverHTTP checks how actions fail: the wrong state, the
// wrong role, someone else's request, an unknown action, a bad body.
func TestRequestActionsOverHTTP(t *testing.T) {
	ts := newReqServer(t)
	r := ts.file(t, "enterprise", enterpriseFiling("集卡进港排队时间过长"))
	ts.act(t, "dispatcher", r.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
	base := "/api/v1/requests/" + r.ID
	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, r.ID); got.Status != portal.StatusDispatched || got.Version != 2 {
			t.Errorf("request is %s at version %d, want dispatched at 2", got.Status, got.Version)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "reply before signing is a conflict naming the state", Method: "POST", Path: base + "/reply", Actor: "handler",
			Body: map[string]any{"text": "已协调港区调整集卡预约时段。"}, Status: 409,
			Contains: []string{`"code":"conflict"`, `"fields":{"status":"dispatched"}`, "待签收"}, After: unchanged},
		{Name: "dispatching again is a conflict", Method: "POST", Path: base + "/dispatch", Actor: "dispatcher",
			Body: map[string]any{"department": "dept-samr"}, Status: 409, Contains: []string{`"status":"dispatched"`}, After: unchanged},
		{Name: "a stale version is a conflict", Method: "POST", Path: base + "/sign", Actor: "handler",
			Body: map[string]any{"version": 1}, Status: 409, Contains: []string{`"fields":{"status":"dispatched"}`}, After: unchanged},
		{Name: "the enterprise may not sign", Method: "POST", Path: base + "/sign", Actor: "enterprise", Status: 403,
			Contains: []string{`"code":"forbidden"`, "签收"}, After: unchanged},
		{Name: "the dispatcher may not sign", Method: "POST", Path: base + "/sign", Actor: "dispatcher", Status: 403, After: unchanged},
		{Name: "the handler may not redispatch", Method: "POST", Path: base + "/redispatch", Actor: "handler",
			Body: map[string]any{"department": "dept-samr"}, Status: 403, After: unchanged},
		{Name: "the committee reads but may not act", Method: "POST", Path: base + "/withdraw", Actor: "committee", Status: 403, After: unchanged},
		{Name: "another enterprise does not find it", Method: "GET", Path: base, Actor: "enterprise2", Status: 404,
			Contains: []string{`"code":"not_found"`, "诉求不存在"}},
		{Name: "nor its timeline", Method: "GET", Path: base + "/timeline", Actor: "enterprise2", Status: 404},
		{Name: "nor may it act on it", Method: "POST", Path: base + "/withdraw", Actor: "enterprise2", Status: 404, After: unchanged},
		{Name: "another liaison does not find it", Method: "GET", Path: base, Actor: "liaison2", Status: 404},
		{Name: "the policy editor does not find it", Method: "GET", Path: base, Actor: "editor", Status: 404},
		{Name: "unknown request", Method: "GET", Path: "/api/v1/requests/no-such-request", Actor: "admin", Status: 404},
		{Name: "unknown action is a JSON 404", Method: "POST", Path: base + "/approve", Actor: "admin", Status: 404,
			Contains: []string{`"code":"not_found"`}, Header: map[string]string{"Content-Type": "application/json; charset=utf-8"}},
		{Name: "return without a reason names it", Method: "POST", Path: base + "/return", Actor: "handler",
			Body: map[string]any{}, Status: 400, Contains: []string{`"reason":"原因至少 2 个字"`}, After: unchanged},
		{Name: "dispatch to an unknown department names it", Method: "POST", Path: "/api/v1/requests/" + r.ID + "/redispatch",
			Actor: "dispatcher", Body: map[string]any{"department": "dept-nowhere"}, Status: 400,
			Contains: []string{`"department":"承办单位不存在"`}, After: unchanged},
		{Name: "unknown field in an action", Method: "POST", Path: base + "/sign", Actor: "handler",
			Body: `{"note":"x"}`, Status: 400, Contains: []string{`"note":"未知字段"`}, After: unchanged},
		{Name: "visitor", Method: "POST", Path: base + "/sign", Status: 401, After: unchanged},
		{Name: "the committee reads the port chain's request", Method: "GET", Path: base, Actor: "committee", Status: 200,
			Contains: []string{`"status":"dispatched"`}},
		{Name: "sign with an empty body", Method: "POST", Path: base + "/sign", Actor: "depthead", Status: 200,
			Contains: []string{`"status":"signed"`, `"handler_id":"u-depthead"`}},
		{Name: "signing twice is a conflict", Method: "POST", Path: base + "/sign", Actor: "handler", Status: 409,
			Contains: []string{`"fields":{"status":"signed"}`}},
	})
	var tl struct{ Items []portal.Event }
	ts.must(t, 200, "admin", "GET", base+"/timeline", nil, &tl)
	if len(tl.Items) != 3 {
		t.Errorf("refused actions left events: %+v", tl.Items)
	}
}

// TestRequestListOverHTTP checks the filters, the scope of every role and
// the paging bounds.
func TestRequestListOverHTTP(t *testing.T) {
	ts := newReqServer(t)
	a := ts.file(t, "enterprise", enterpriseFiling("集卡进港排队时间过长"))
	b := ts.file(t, "liaison", liaisonFiling("ent-003", "冷库用电增容审批慢"))
	c := ts.file(t, "enterprise2", map[string]any{"title": "珠宝展会场地租金补贴咨询", "description": "想了解参加国际珠宝展的展位费补贴如何申请。",
		"category": "policy", "type": "consultation"})
	d := ts.file(t, "liaison", liaisonFiling("ent-004", "码头夜间施工噪音投诉处理"))
	ts.act(t, "dispatcher", a.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
	ts.act(t, "dispatcher", b.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
	ts.act(t, "dispatcher", c.ID, portal.ActDispatch, map[string]any{"department": "dept-miit"})
	ts.act(t, "handler", b.ID, portal.ActSign, nil)

	// a's sign deadline has passed; b's is still ahead.
	past, ahead := time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour)
	for id, due := range map[string]time.Time{a.ID: past, b.ID: ahead} {
		r := ts.stored(t, id)
		r.DueAt = &due
		portaltest.Must(t, ts.w.Store.UpdateRequest(context.Background(), r, r.Version), "set due date")
	}

	ids := func(want ...*portal.Request) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, res *httptest.ResponseRecorder) {
			var page portal.RequestPage
			portaltest.DecodeJSON(t, res, &page)
			var got, exp []string
			for _, r := range page.Items {
				got = append(got, r.No)
			}
			for _, r := range want {
				exp = append(exp, r.No)
			}
			if strings.Join(got, ",") != strings.Join(exp, ",") || page.Total != len(want) {
				t.Errorf("listed %v (total %d), want %v", got, page.Total, exp)
			}
			for _, r := range page.Items {
				if r.Description != "" {
					t.Errorf("list carries the description of %s", r.No)
				}
			}
		}
	}
	const list = "/api/v1/requests"
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "GET", Path: list, Status: 401},
		{Name: "admin sees all, newest first", Method: "GET", Path: list, Actor: "admin", Status: 200,
			Contains: []string{`"page":1`, `"per_page":20`}, After: ids(d, c, b, a)},
		{Name: "district dispatcher sees all", Method: "GET", Path: list, Actor: "dispatcher", Status: 200, After: ids(d, c, b, a)},
		{Name: "enterprise sees its own", Method: "GET", Path: list, Actor: "enterprise", Status: 200, After: ids(a)},
		{Name: "enterprise2 sees none of enterprise's", Method: "GET", Path: list, Actor: "enterprise2", Status: 200, After: ids(c)},
		{Name: "liaison sees its caseload", Method: "GET", Path: list, Actor: "liaison", Status: 200, After: ids(d, b, a)},
		{Name: "liaison2 sees its caseload", Method: "GET", Path: list, Actor: "liaison2", Status: 200, After: ids(c)},
		{Name: "handler sees its department's", Method: "GET", Path: list, Actor: "handler", Status: 200, After: ids(b, a)},
		{Name: "committee sees its chain's", Method: "GET", Path: list, Actor: "committee", Status: 200, After: ids(d, b, a)},
		{Name: "editor sees none", Method: "GET", Path: list, Actor: "editor", Status: 200,
			Contains: []string{`"items":[]`, `"total":0`}},

		{Name: "status", Method: "GET", Path: list + "?status=signed", Actor: "admin", Status: 200, After: ids(b)},
		{Name: "open", Method: "GET", Path: list + "?status=open", Actor: "admin", Status: 200, After: ids(d, c, b, a)},
		{Name: "department", Method: "GET", Path: list + "?department=dept-miit", Actor: "admin", Status: 200, After: ids(c)},
		{Name: "category", Method: "GET", Path: list + "?category=policy", Actor: "admin", Status: 200, After: ids(c)},
		{Name: "channel", Method: "GET", Path: list + "?channel=visit", Actor: "admin", Status: 200, After: ids(d, b)},
		{Name: "enterprise", Method: "GET", Path: list + "?enterprise=ent-004", Actor: "admin", Status: 200, After: ids(d)},
		{Name: "search by title", Method: "GET", Path: list + "?q=" + "%E5%86%B7%E5%BA%93", Actor: "admin", Status: 200, After: ids(b)},
		{Name: "search by number", Method: "GET", Path: list + "?q=" + c.No, Actor: "admin", Status: 200, After: ids(c)},
		{Name: "overdue", Method: "GET", Path: list + "?overdue=true", Actor: "admin", Status: 200, After: ids(a)},
		{Name: "mine for a handler", Method: "GET", Path: list + "?mine=true", Actor: "handler", Status: 200, After: ids(b, a)},
		{Name: "mine for a dispatcher is what waits for dispatch", Method: "GET", Path: list + "?mine=true", Actor: "dispatcher",
			Status: 200, After: ids(d)},
		{Name: "mine for a liaison", Method: "GET", Path: list + "?mine=1", Actor: "liaison", Status: 200, After: ids(d, b, a)},
		{Name: "by deadline", Method: "GET", Path: list + "?sort=due&department=dept-trans", Actor: "admin", Status: 200, After: ids(a, b)},
		{Name: "filters narrow a role's scope, never widen it", Method: "GET", Path: list + "?enterprise=ent-001", Actor: "enterprise2",
			Status: 200, After: ids()},
		{Name: "second page", Method: "GET", Path: list + "?per_page=1&page=2", Actor: "admin", Status: 200,
			Contains: []string{`"total":4`, `"page":2`, `"per_page":1`}, After: func(t *testing.T, res *httptest.ResponseRecorder) {
				var page portal.RequestPage
				portaltest.DecodeJSON(t, res, &page)
				if len(page.Items) != 1 || page.Items[0].ID != c.ID {
					t.Errorf("page 2 of 1 holds %+v, want %s", page.Items, c.No)
				}
			}},
		{Name: "past the last page", Method: "GET", Path: list + "?page=9", Actor: "admin", Status: 200,
			Contains: []string{`"items":[]`, `"total":4`}},
	})

	var bad []portaltest.Scenario
	for _, c := range []struct{ query, field string }{
		{"page=0", "page"}, {"page=-1", "page"}, {"page=abc", "page"}, {"page=10001", "page"},
		{"per_page=0", "per_page"}, {"per_page=101", "per_page"}, {"per_page=1.5", "per_page"},
		{"status=lost", "status"}, {"channel=fax", "channel"}, {"overdue=maybe", "overdue"}, {"mine=yes", "mine"},
		{"sort=oldest", "sort"}, {"q=" + strings.Repeat("%E9%95%BF", 51), "q"},
	} {
		bad = append(bad, portaltest.Scenario{Name: "bad " + c.query[:min(len(c.query), 20)], Method: "GET", Path: list + "?" + c.query,
			Actor: "admin", Status: 400, Contains: []string{`"code":"invalid"`, `"` + c.field + `":`}})
	}
	ts.runner().Run(t, bad)
}

// testPNG returns a small real PNG image.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := range 8 {
		img.Set(x, x%6, color.RGBA{R: 200, G: uint8(20 * x), B: 40, A: 255})
	}
	var b bytes.Buffer
	portaltest.Must(t, png.Encode(&b, img), "encode png")
	return b.Bytes()
}

// TestRequestAttachmentsOverHTTP uploads and downloads attachments.
func TestRequestAttachmentsOverHTTP(t *testing.T) {
	ts := newReqServer(t)
	r := ts.file(t, "enterprise", enterpriseFiling("集卡进港排队时间过长"))
	path := "/api/v1/requests/" + r.ID + "/attachments"
	pic := testPNG(t)
	upload := func(name string, content []byte) (string, map[string]string) {
		body, ct := multipartFile(t, name, content, nil)
		return string(body), map[string]string{"Content-Type": ct}
	}
	nothingStored := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, r.ID); len(got.Attachments) != 1 || got.Version != 2 {
			t.Errorf("request has %d attachments at version %d, want 1 at 2", len(got.Attachments), got.Version)
		}
		if n := ts.attachmentFiles(t); n != 1 {
			t.Errorf("GridFS holds %d files, want 1", n)
		}
	}

	body, hdr := upload("港区排队照片.png", pic)
	var up struct {
		ID          string
		Attachments []portal.Attachment
	}
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: path, Actor: "enterprise", Body: body, Headers: hdr})
	if res.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.Code, res.Body.String())
	}
	portaltest.DecodeJSON(t, res, &up)
	if up.ID != r.ID || len(up.Attachments) != 1 || up.Attachments[0].ContentType != "image/png" ||
		up.Attachments[0].Name != "港区排队照片.png" || up.Attachments[0].Size != int64(len(pic)) {
		t.Fatalf("upload answered %+v", up)
	}
	att := path + "/" + up.Attachments[0].ID

	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
	huge := append(append([]byte{}, pic[:16]...), make([]byte, reqMaxAttachment)...)
	var scs []portaltest.Scenario
	for _, c := range []struct {
		name, file string
		content    []byte
		status     int
		contains   []string
	}{
		{"text renamed to .png", "说明.png", []byte("这不是图片，只是一段文字。"), 400, []string{`"attachments":"附件“说明.png”不是图片、PDF、音频或视频文件"`}},
		{"program renamed to .png", "setup.png", exe, 400, []string{`"code":"invalid"`, `"attachments":`}},
		{"empty file", "空.png", []byte{}, 400, []string{"是空文件"}},
		{"one byte over the limit", "大图.png", huge, 413, []string{`"code":"too_large"`, "附件不能超过 64 KB", `"file":"文件过大"`}},
		{"far over the limit", "巨图.png", append(huge, make([]byte, 4*reqMaxAttachment)...), 413, []string{"附件不能超过 64 KB"}},
	} {
		body, hdr := upload(c.file, c.content)
		scs = append(scs, portaltest.Scenario{Name: c.name, Method: "POST", Path: path, Actor: "enterprise", Body: body, Headers: hdr,
			Status: c.status, Contains: c.contains, After: nothingStored})
	}
	body2, hdr2 := upload("港区排队照片.png", pic)
	empty, emptyHdr := multipartFile(t, "", nil, map[string]string{"note": "没有文件"})
	scs = append(scs,
		portaltest.Scenario{Name: "no file field", Method: "POST", Path: path, Actor: "enterprise", Body: string(empty), Headers: map[string]string{"Content-Type": emptyHdr},
			Status: 400, Contains: []string{`"file":"请选择文件"`}, After: nothingStored},
		portaltest.Scenario{Name: "not multipart", Method: "POST", Path: path, Actor: "enterprise", Body: `{"file":"x"}`,
			Status: 400, Contains: []string{"multipart/form-data"}, After: nothingStored},
		portaltest.Scenario{Name: "another enterprise may not upload", Method: "POST", Path: path, Actor: "enterprise2", Body: body2, Headers: hdr2,
			Status: 404, After: nothingStored},
		portaltest.Scenario{Name: "the committee may not upload", Method: "POST", Path: path, Actor: "committee", Body: body2, Headers: hdr2,
			Status: 403, After: nothingStored},
		portaltest.Scenario{Name: "download", Method: "GET", Path: att, Actor: "enterprise", Status: 200,
			Header: map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
				"Content-Length":      fmt.Sprint(len(pic)),
				"Content-Disposition": `attachment; filename="______.png"; filename*=UTF-8''%E6%B8%AF%E5%8C%BA%E6%8E%92%E9%98%9F%E7%85%A7%E7%89%87.png`},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				if !bytes.Equal(res.Body.Bytes(), pic) {
					t.Errorf("downloaded %d bytes that differ from the %d uploaded", res.Body.Len(), len(pic))
				}
			}},
		portaltest.Scenario{Name: "the liaison downloads", Method: "GET", Path: att, Actor: "liaison", Status: 200},
		portaltest.Scenario{Name: "another enterprise does not find it", Method: "GET", Path: att, Actor: "enterprise2", Status: 404,
			Contains: []string{`"code":"not_found"`}, NotContains: []string{"PNG"}},
		portaltest.Scenario{Name: "a department it is not sent to does not find it", Method: "GET", Path: att, Actor: "handler", Status: 404},
		portaltest.Scenario{Name: "visitor", Method: "GET", Path: att, Status: 401},
		portaltest.Scenario{Name: "unknown attachment", Method: "GET", Path: path + "/no-such-file", Actor: "enterprise", Status: 404,
			Contains: []string{"附件不存在"}},
		portaltest.Scenario{Name: "an attachment through another request", Method: "GET",
			Path:  "/api/v1/requests/" + ts.file(t, "enterprise", enterpriseFiling("另一条诉求的附件路径")).ID + "/attachments/" + up.Attachments[0].ID,
			Actor: "enterprise", Status: 404},
	)
	ts.runner().Run(t, scs)
}

func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"photo.png":       `attachment; filename="photo.png"; filename*=UTF-8''photo.png`,
		"港区 照片.png":       `attachment; filename="__ __.png"; filename*=UTF-8''%E6%B8%AF%E5%8C%BA%20%E7%85%A7%E7%89%87.png`,
		`a"b\c;d%e'f.pdf`: `attachment; filename="a_b_c;d%e'f.pdf"; filename*=UTF-8''a%22b%5Cc%3Bd%25e%27f.pdf`,
	} {
		if got := contentDisposition(name); got != want {
			t.Errorf("contentDisposition(%q) = %s, want %s", name, got, want)
		}
	}
}

// TestRequestActionRace races the handler and the department head over
// HTTP on one request: exactly one action wins, every other answers 409
// with the state, and the timeline records one event. (Racing return would
// not do: a returned request leaves the department, so late racers no
// longer see it and get 404.)
func TestRequestActionRace(t *testing.T) {
	ts := newReqServer(t)
	for _, c := range []struct {
		action portal.Action
		body   string
		before int // events before the race
	}{{portal.ActSign, "", 2}, {portal.ActReply, `{"text":"已协调港区调整集卡预约时段。"}`, 3}} {
		t.Run(string(c.action), func(t *testing.T) {
			r := ts.file(t, "enterprise", enterpriseFiling("集卡进港排队时间过长"))
			ts.act(t, "dispatcher", r.ID, portal.ActDispatch, map[string]any{"department": "dept-trans"})
			if c.action == portal.ActReply {
				ts.act(t, "handler", r.ID, portal.ActSign, nil)
			}
			tokens := []string{ts.token(t, "handler"), ts.token(t, "depthead")}
			const racers = 8
			start := make(chan struct{})
			results := make(chan *httptest.ResponseRecorder, racers)
			var wg sync.WaitGroup
			for i := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var body *strings.Reader
					if c.body != "" {
						body = strings.NewReader(c.body)
					}
					req := httptest.NewRequest("POST", "/api/v1/requests/"+r.ID+"/"+string(c.action), nil)
					if body != nil {
						req = httptest.NewRequest("POST", "/api/v1/requests/"+r.ID+"/"+string(c.action), body)
						req.Header.Set("Content-Type", "application/json")
					}
					req.Header.Set("Authorization", "Bearer "+tokens[i%2])
					res := httptest.NewRecorder()
					<-start
					ts.Handler().ServeHTTP(res, req)
					results <- res
				}()
			}
			close(start)
			wg.Wait()
			close(results)
			won := 0
			for res := range results {
				switch res.Code {
				case http.StatusOK:
					won++
				case http.StatusConflict:
					var e errorBody
					portaltest.DecodeJSON(t, res, &e)
					if e.Error.Fields["status"] == "" {
						t.Errorf("409 without the current state: %s", res.Body.String())
					}
				default:
					t.Errorf("racer got %d: %s", res.Code, res.Body.String())
				}
			}
			if won != 1 {
				t.Errorf("%d racers won, want exactly 1", won)
			}
			var tl struct{ Items []portal.Event }
			ts.must(t, 200, "admin", "GET", "/api/v1/requests/"+r.ID+"/timeline", nil, &tl)
			n := 0
			for _, e := range tl.Items {
				if e.Action == string(c.action) {
					n++
				}
			}
			if n != 1 || len(tl.Items) != c.before+1 {
				t.Errorf("timeline has %d %s events of %d, want 1 of %d", n, c.action, len(tl.Items), c.before+1)
			}
			if got := ts.stored(t, r.ID); got.Version != c.before+1 {
				t.Errorf("request at version %d after the race, want %d", got.Version, c.before+1)
			}
		})
	}
}

// The authorization matrix's request objects. The port side is ent-001
// (filed by u-enterprise, u-liaison's caseload, chain-port), handled by
// dept-trans (u-handler, u-depthead); the jewellery side ent-002 (filed by
// u-enterprise2, u-liaison2's caseload, chain-jewelry), handled by
// dept-miit, which no matrix caller belongs to. A caller's "own" object is
// the port side's, the jewellery side's for enterprise2 and liaison2.

// authzRequestSide is one side of the request objects.
type authzRequestSide struct{ filer, dept string }

var authzRequestSides = map[string]authzRequestSide{
	"port":    {filer: "enterprise", dept: "dept-trans"},
	"jewelry": {filer: "enterprise2", dept: "dept-miit"},
}

// authzRequestAct says, per action, what state its objects are in, which
// rows succeed (each on a fresh object of its own) and which allowed rows
// send a bad body to the shared object instead, which then stays as it is.
type authzRequestAct struct {
	state         portal.Status
	succeed, bad  []string // "actor/object"
	good, refused any      // the body of succeeding and of refused rows
}

// authzRequestActs are the action routes' rows.
var authzRequestActs = map[portal.Action]authzRequestAct{
	portal.ActDispatch: {state: portal.StatusSubmitted, succeed: []string{"dispatcher/own", "admin/own"}, bad: []string{"dispatcher/other", "admin/other"},
		good: map[string]string{"department": "dept-trans"}, refused: map[string]string{"department": "dept-trans", "reason": "越权分拨"}},
	portal.ActRedispatch: {state: portal.StatusDispatched, succeed: []string{"dispatcher/own", "admin/own"}, bad: []string{"dispatcher/other", "admin/other"},
		good:    map[string]string{"department": "dept-samr", "reason": "承办单位调整"},
		refused: map[string]string{"department": "dept-samr", "reason": "越权改派"}},
	portal.ActMerge: {state: portal.StatusDispatched, succeed: []string{"dispatcher/own", "admin/own"}, bad: []string{"dispatcher/other", "admin/other"},
		good: authzMergeBody("同一堆场的同类诉求"), refused: authzMergeBody("越权合并")},
	portal.ActSign: {state: portal.StatusDispatched, succeed: []string{"handler/own", "depthead/own"}},
	portal.ActReply: {state: portal.StatusSigned, succeed: []string{"handler/own", "depthead/own"},
		good: map[string]string{"text": "已协调港区调整集卡预约时段。"}, refused: map[string]string{"text": "越权答复：已经处理好了。"}},
	portal.ActResolve: {state: portal.StatusSigned, succeed: []string{"handler/own", "depthead/own"},
		good: map[string]string{"text": "港区已增开进港通道。"}, refused: map[string]string{"text": "越权办结：已经处理好了。"}},
	portal.ActReturn: {state: portal.StatusDispatched, succeed: []string{"handler/own", "depthead/own"},
		good: map[string]string{"reason": "不属于本单位职责"}, refused: map[string]string{"reason": "越权退回"}},
	portal.ActSuspend: {state: portal.StatusSigned, succeed: []string{"handler/own", "depthead/own"},
		good: map[string]string{"reason": "等待企业补充材料"}, refused: map[string]string{"reason": "越权挂起"}},
	// dept-trans is a tier-A department, the top: its handlers may ask,
	// but no tier is higher (400).
	portal.ActEscalate: {state: portal.StatusDispatched, bad: []string{"handler/own", "depthead/own"},
		good: map[string]string{"tier": "A", "reason": "需要区级统筹"}, refused: map[string]string{"tier": "A", "reason": "越权申请升级"}},
	portal.ActResume: {state: portal.StatusSuspended, succeed: []string{"handler/own", "depthead/own", "dispatcher/own", "admin/own"},
		bad: []string{"dispatcher/other", "admin/other"}, good: map[string]string{"reason": "企业已补充材料"},
		refused: map[string]string{"reason": "越权恢复"}},
	portal.ActWithdraw: {state: portal.StatusDispatched, succeed: []string{"enterprise/own", "enterprise2/own", "liaison/own", "liaison2/own"},
		good: map[string]string{"reason": "问题已自行解决"}, refused: map[string]string{"reason": "越权撤回"}},
}

// authzMergeBody names the fixture's master request, made when the row runs.
func authzMergeBody(reason string) authzBodyFunc {
	return func(t *testing.T, f *authzFixture) any {
		return map[string]string{"master_id": f.authzRequest(t, "merge-master", "port", portal.StatusSubmitted).ID, "reason": reason}
	}
}

// authzSeedRequests sends no body: it makes the shared request objects
// before a list that must find them.
var authzSeedRequests = authzBodyFunc(func(t *testing.T, f *authzFixture) any {
	f.authzReadRequests(t)
	return nil
})

// authzRequestTitle is the title of a shared object.
func authzRequestTitle(name, side string) string { return "矩阵诉求·" + name + "·" + side }

// authzRequestTable is the matrix of the request routes.
func authzRequestTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const (
		ok, created, bad   = http.StatusOK, http.StatusCreated, http.StatusBadRequest
		forbidden, missing = http.StatusForbidden, http.StatusNotFound
	)
	// Who sees the own object: refused callers among them get 403, the
	// rest 404. The department sees it once it is dispatched.
	sees := func(dept bool, m authzBy[int]) authzBy[int] {
		out := authzBy[int]{"*": missing, "dispatcher": forbidden, "admin": forbidden, "enterprise/own": forbidden,
			"enterprise2/own": forbidden, "liaison/own": forbidden, "liaison2/own": forbidden, "committee/own": forbidden}
		if dept {
			out["handler/own"], out["depthead/own"] = forbidden, forbidden
		}
		for k, v := range m {
			out[k] = v
		}
		return authzSignedIn(out)
	}
	read := sees(true, authzBy[int]{"dispatcher": ok, "admin": ok, "enterprise/own": ok, "enterprise2/own": ok, "liaison/own": ok,
		"liaison2/own": ok, "committee/own": ok, "handler/own": ok, "depthead/own": ok})
	port, jewelry := authzRequestTitle("read", "port"), authzRequestTitle("read", "jewelry")
	listHas := authzBy[[]string]{"*": {port}, "enterprise2": {jewelry}, "liaison2": {jewelry}, "dispatcher": {port, jewelry},
		"admin": {port, jewelry}, "editor": {`"total":0`}, "anonymous": nil, "pending": nil}
	listLacks := authzBy[[]string]{"*": {jewelry}, "enterprise2": {port}, "liaison2": {port}, "dispatcher": nil, "admin": nil}

	filing := func(title string) map[string]any {
		return map[string]any{"title": title, "description": "授权矩阵：港区堆场夜间照明不足，请协调。", "category": "park", "type": "help"}
	}
	onBehalf := func(title string) map[string]any {
		in := filing(title)
		in["enterprise_id"], in["channel"], in["source_name"] = "ent-001", "joint_meeting", "港口物流产业链联席会议"
		return in
	}
	pic := testPNG(t)
	table := map[string]authzRoute{
		"GET /api/v1/categories": {want: authzBy[int]{"*": ok}, has: authzBy[[]string]{"*": {`"code":"policy"`, "政策咨询"}}},
		"GET /api/v1/requests": {
			want: authzSignedIn(authzBy[int]{"*": ok}), body: authzBy[any]{"*": authzSeedRequests}, has: listHas, lacks: listLacks,
		},
		// Refused callers send a filing for ent-001 that would succeed;
		// liaison2's caseload lacks ent-001, so the same filing is invalid.
		"POST /api/v1/requests": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "enterprise": created, "enterprise2": created, "liaison": created,
				"liaison2": bad, "dispatcher": created, "admin": created}),
			body: authzBy[any]{"*": onBehalf("越权代提交的诉求"), "enterprise": filing("矩阵企业自行提交的诉求"),
				"enterprise2": filing("矩阵企业自行提交的诉求"), "liaison": onBehalf("矩阵联络员代提交的诉求"),
				"dispatcher": onBehalf("矩阵分拨员代提交的诉求"), "admin": onBehalf("矩阵管理员代提交的诉求")},
			has: authzBy[[]string]{"*": nil, "enterprise": {`"status":"submitted"`, `"no":"HQ-`}, "enterprise2": {`"enterprise_id":"ent-002"`},
				"liaison": {`"channel":"joint_meeting"`}, "liaison2": {`"enterprise_id":`}},
		},
		"GET /api/v1/requests/:id":                  {id: "$request", want: read, has: authzBy[[]string]{"*": nil, "admin": {`"status":"dispatched"`}}},
		"GET /api/v1/requests/:id/timeline":         {id: "$request", want: read, has: authzBy[[]string]{"*": nil, "committee/own": {`"action":"dispatch"`}}},
		"GET /api/v1/requests/:id/attachments/:aid": {id: "$attachment", want: read},
		// Uploads go to objects of their own; the allowed callers of the
		// other object send a text file, which is refused.
		"POST /api/v1/requests/:id/attachments": {
			id: "$req-attach",
			want: sees(true, authzBy[int]{"enterprise/own": created, "enterprise2/own": created, "liaison/own": created,
				"liaison2/own": created, "handler/own": created, "depthead/own": created, "dispatcher/own": created,
				"admin/own": created, "dispatcher/other": bad, "admin/other": bad}),
			body: authzBy[any]{"*": authzUpload(t, "矩阵照片.png", pic), "dispatcher/other": authzUpload(t, "说明.png", []byte("不是图片")),
				"admin/other": authzUpload(t, "说明.png", []byte("不是图片"))},
		},
	}
	for action, a := range authzRequestActs {
		m := authzBy[int]{}
		body := authzBy[any]{}
		if a.refused != nil {
			body["*"] = a.refused
		}
		has := authzBy[[]string]{"*": nil}
		for _, k := range a.succeed {
			m[k], body[k] = ok, a.good
			has[k] = []string{fmt.Sprintf(`"status":"%s"`, authzActionResult(action))}
		}
		for _, k := range a.bad {
			m[k] = bad
			switch action {
			case portal.ActResume:
				body[k] = map[string]string{"reason": strings.Repeat("长", 201)}
			case portal.ActEscalate:
				body[k] = a.good
			default:
				body[k] = map[string]string{}
			}
		}
		table["POST /api/v1/requests/:id/"+string(action)] = authzRoute{id: "$req-" + string(action),
			want: sees(a.state != portal.StatusSubmitted, m), body: body, has: has}
	}
	return table
}

// authzActionResult is the state a successful action leaves its fixture
// object in (resume returns a request suspended while signed to signed).
func authzActionResult(a portal.Action) portal.Status {
	return map[portal.Action]portal.Status{portal.ActDispatch: portal.StatusDispatched, portal.ActRedispatch: portal.StatusDispatched,
		portal.ActMerge: portal.StatusMerged, portal.ActSign: portal.StatusSigned, portal.ActReply: portal.StatusReplied,
		portal.ActResolve: portal.StatusResolved, portal.ActReturn: portal.StatusReturned, portal.ActSuspend: portal.StatusSuspended,
		portal.ActResume: portal.StatusSigned, portal.ActWithdraw: portal.StatusWithdrawn}[a]
}

// resolveRequest resolves the request kinds of the matrix: "request" (the
// shared objects the reads use), "attachment" ("<request>/<attachment>"
// of those), "req-attach" (the upload targets) and "req-<action>".
func (f *authzFixture) resolveRequest(t *testing.T, kind, actor, object string) (string, bool) {
	t.Helper()
	side, otherSide := "port", "jewelry"
	if actor == "enterprise2" || actor == "liaison2" {
		side, otherSide = otherSide, side
	}
	if object == "other" {
		side = otherSide
	}
	switch kind {
	case "request":
		return f.authzReadRequests(t)[side].ID, true
	case "attachment":
		r := f.authzReadRequests(t)[side]
		return r.ID + "/" + r.Attachments[0].ID, true
	case "req-attach":
		return f.authzRequest(t, "attach", side, portal.StatusDispatched).ID, true
	}
	name, ok := strings.CutPrefix(kind, "req-")
	a, known := authzRequestActs[portal.Action(name)]
	if !ok || !known {
		return "", false
	}
	for _, k := range a.succeed {
		if k == actor+"/"+object {
			return f.authzRequest(t, "single-use "+name+" "+k, side, a.state).ID, true
		}
	}
	return f.authzRequest(t, string(a.state), side, a.state).ID, true
}

// authzReadRequests returns the shared objects of the reads, each
// dispatched with one attachment, by side.
func (f *authzFixture) authzReadRequests(t *testing.T) map[string]*portal.Request {
	t.Helper()
	out := map[string]*portal.Request{}
	for side := range authzRequestSides {
		r := f.authzRequest(t, "read", side, portal.StatusDispatched)
		if len(r.Attachments) == 0 {
			var err error
			r, err = f.reqs.AddAttachment(f.authzAs(t, "admin", ""), r.ID, portal.Upload{Name: "矩阵附件.png", Content: testPNG(t)})
			portaltest.Must(t, err, "attach to the %s read request", side)
		}
		out[side] = r
	}
	return out
}

// authzAs is a context acting as the demo user username, or, for
// username "", as a handler of unit.
func (f *authzFixture) authzAs(t *testing.T, username, unit string) context.Context {
	t.Helper()
	if username == "" {
		return portal.WithActor(context.Background(), &portal.Actor{UserID: "u-matrix-" + unit, Username: "matrix-" + unit,
			DisplayName: "矩阵承办人", Roles: []portal.Role{portal.RoleHandler}, UnitID: unit})
	}
	u, err := mongostore.NewUserStore(f.db).FindUserByUsername(context.Background(), username)
	portaltest.Must(t, err, "find user %s", username)
	return portal.WithActor(context.Background(), u.Actor())
}

// authzRequest returns the fixture's request called name on side, made on
// first use through the service and brought to state.
func (f *authzFixture) authzRequest(t *testing.T, name, side string, state portal.Status) *portal.Request {
	t.Helper()
	key := name + " " + side
	if id, ok := f.requests[key]; ok {
		r, err := f.reqs.Get(f.authzAs(t, "admin", ""), id)
		portaltest.Must(t, err, "fixture request %s", key)
		return r
	}
	s := authzRequestSides[side]
	r, err := f.reqs.File(f.authzAs(t, s.filer, ""), portal.RequestInput{Title: authzRequestTitle(name, side),
		Description: "授权矩阵测试用的诉求，请勿处理。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file %s", key)
	admin, handler := f.authzAs(t, "admin", ""), f.authzAs(t, "", s.dept)
	steps := []struct {
		ctx    context.Context
		action portal.Action
		in     portal.ActionInput
	}{
		{admin, portal.ActDispatch, portal.ActionInput{Department: s.dept}},
		{handler, portal.ActSign, portal.ActionInput{}},
		{handler, portal.ActSuspend, portal.ActionInput{Reason: "等待企业补充材料"}},
	}
	for _, st := range steps[:map[portal.Status]int{portal.StatusSubmitted: 0, portal.StatusDispatched: 1,
		portal.StatusSigned: 2, portal.StatusSuspended: 3}[state]] {
		r, err = f.reqs.Act(st.ctx, r.ID, st.action, st.in)
		portaltest.Must(t, err, "%s %s", st.action, key)
	}
	f.requests[key] = r.ID
	return r
}
