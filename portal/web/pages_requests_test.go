package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// reqPageRouter is a routing table by category, standing in for the
// admin-edited rules.
type reqPageRouter map[string]*portal.RouteSuggestion

func (r reqPageRouter) Suggest(_ context.Context, req *portal.Request) (*portal.RouteSuggestion, error) {
	return r[req.Category], nil
}

// reqPageServer is the enterprise test server (real sign-in on the demo
// district) with the request service on the real stores, the demo policy
// catalogue and a business clock the tests move: Monday 23 November 2026,
// 09:30 in the district.
type reqPageServer struct {
	*entServer
	clock time.Time
	reqs  *portal.RequestService
	store *mongostore.RequestStore
	pols  *policies.Service
	cat   []*policies.Policy
}

func newReqPageServer(t *testing.T) *reqPageServer {
	t.Helper()
	ts := &reqPageServer{entServer: newEntServer(t), clock: time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)}
	now := func() time.Time { return ts.clock }
	ts.store = mongostore.NewRequestStore(ts.db, districtTZ)
	ts.reqs = &portal.RequestService{Store: ts.store, Enterprises: ts.ents, Org: mongostore.NewOrgStore(ts.db), Users: ts.users,
		Categories: mongostore.NewCategoryStore(ts.db), Attachments: mongostore.NewAttachmentStore(ts.db),
		Notify: mongostore.NewNotificationStore(ts.db), Audit: &portal.Auditor{Store: ts.audit, Now: now},
		Deadlines: portaltest.HoursDeadliner{}, Log: slog.New(slog.DiscardHandler), Now: now}
	ts.pols, ts.cat = seedPolicyService(t, ts.db, now)
	ts.opt.Requests, ts.opt.Categories, ts.opt.Policies, ts.opt.Location = ts.reqs, ts.reqs.Categories, ts.pols, districtTZ
	return ts
}

// as is the context of the demo user username.
func (ts *reqPageServer) as(t *testing.T, username string) context.Context {
	t.Helper()
	u, err := ts.users.FindUserByUsername(context.Background(), username)
	portaltest.Must(t, err, "find %s", username)
	return portal.WithActor(context.Background(), u.Actor())
}

// file files a request through the service as username.
func (ts *reqPageServer) file(t *testing.T, username string, in portal.RequestInput) *portal.Request {
	t.Helper()
	if in.Type == "" {
		in.Type, in.Category = portal.TypeHelp, "traffic"
	}
	if in.Description == "" {
		in.Description = "集卡每天在门口排队两个多小时，影响周边道路通行，希望协调解决。"
	}
	r, err := ts.reqs.File(ts.as(t, username), in, nil)
	portaltest.Must(t, err, "file %q as %s", in.Title, username)
	return r
}

// act takes an action through the service as username.
func (ts *reqPageServer) act(t *testing.T, username, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := ts.reqs.Act(ts.as(t, username), id, a, in)
	portaltest.Must(t, err, "%s %s as %s", a, id, username)
	return r
}

func (ts *reqPageServer) stored(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := ts.store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "find request %s", id)
	return r
}

func (ts *reqPageServer) requestCount(t *testing.T) int {
	t.Helper()
	_, n, err := ts.store.FindRequests(context.Background(), portal.RequestFilter{Limit: 1})
	portaltest.Must(t, err, "count requests")
	return n
}

// only returns the one stored request, failing unless there is exactly one.
func (ts *reqPageServer) only(t *testing.T) *portal.Request {
	t.Helper()
	items, n, err := ts.store.FindRequests(context.Background(), portal.RequestFilter{Limit: 2})
	portaltest.Must(t, err, "list requests")
	if n != 1 {
		t.Fatalf("%d requests stored, want 1", n)
	}
	return ts.stored(t, items[0].ID)
}

// reqPagePNG is a small real PNG image.
func reqPagePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 6, 4))
	for x := range 6 {
		img.Set(x, x%4, color.RGBA{R: 30, G: uint8(40 * x), B: 200, A: 255})
	}
	var b bytes.Buffer
	portaltest.Must(t, png.Encode(&b, img), "encode png")
	return b.Bytes()
}

// reqPageUpload is one file of a multipart form.
type reqPageUpload struct {
	name    string
	content []byte
}

// multipartForm is a multipart POST with a valid CSRF token, the fields
// and the files in field "attachments".
func multipartForm(t *testing.T, name, actor, path string, fields url.Values, files ...reqPageUpload) portaltest.Scenario {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	portaltest.Must(t, w.WriteField(csrfField, entCSRF), "csrf field")
	for k, vs := range fields {
		for _, v := range vs {
			portaltest.Must(t, w.WriteField(k, v), "field %s", k)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("attachments", f.name)
		portaltest.Must(t, err, "form file")
		_, _ = fw.Write(f.content)
	}
	portaltest.Must(t, w.Close(), "close multipart")
	return portaltest.Scenario{Name: name, Method: "POST", Path: path, Actor: actor, Body: b.Bytes(),
		Headers: map[string]string{"Content-Type": w.FormDataContentType(), "Cookie": csrfCookie + "=" + entCSRF}}
}

// inOrder checks that the body holds each string, in the order given.
func inOrder(t *testing.T, body string, want ...string) {
	t.Helper()
	at := -1
	for _, w := range want {
		i := strings.Index(body, w)
		if i < 0 {
			t.Errorf("body lacks %q", w)
			return
		}
		if i < at {
			t.Errorf("%q comes before the previous entry; want the order %q", w, want)
		}
		at = i
	}
}

func TestRequestPagesAccess(t *testing.T) {
	ts := newReqPageServer(t)
	r := ts.file(t, "enterprise", portal.RequestInput{Title: "港前路货车排队占道"})
	detail := "/requests/" + r.ID
	var scenarios []portaltest.Scenario
	for _, p := range []string{"/requests", "/requests/new", "/requests/inbox", "/requests/triage", "/requests/caseload", detail} {
		scenarios = append(scenarios, portaltest.Scenario{Name: "visitor signs in first " + p, Method: "GET", Path: p, Status: 303,
			Header: map[string]string{"Location": "/login?next=" + url.QueryEscape(p)}})
	}
	scenarios = append(scenarios, []portaltest.Scenario{
		{Name: "pending user is told to wait", Method: "GET", Path: "/requests", Actor: "pending", Status: 403, Contains: []string{"等待审核"}},
		{Name: "home links an enterprise to filing and progress", Method: "GET", Path: "/", Actor: "enterprise", Status: 200,
			Contains: []string{`<a href="/requests/new">去提交诉求`, `<a href="/requests">查看诉求进度`}},
		{Name: "home links a handler to progress only", Method: "GET", Path: "/", Actor: "handler", Status: 200,
			Contains: []string{`<a href="/requests">查看诉求进度`}, NotContains: []string{"去提交诉求"}},
		{Name: "policy editor has no request list", Method: "GET", Path: "/requests", Actor: "editor", Status: 403,
			Contains: []string{"诉求列表只对企业"}},
		{Name: "enterprise sees its own", Method: "GET", Path: "/requests", Actor: "enterprise", Status: 200,
			Contains: []string{"<title>我的诉求 · 惠企通</title>", "港前路货车排队占道", `href="` + detail + `"`, r.No, "待分拨",
				`href="/requests/new"`, ">我的诉求</a>"}},
		{Name: "another enterprise sees an empty list", Method: "GET", Path: "/requests", Actor: "enterprise2", Status: 200,
			Contains: []string{"您还没有提交过诉求"}, NotContains: []string{"港前路货车排队占道"}},
		{Name: "another enterprise's request is not found", Method: "GET", Path: detail, Actor: "enterprise2", Status: 404,
			Contains: []string{"诉求不存在"}, NotContains: []string{"港前路货车排队占道"}},
		{Name: "unknown request is not found", Method: "GET", Path: "/requests/no-such-id", Actor: "admin", Status: 404},
		{Name: "committee of the chain reads without actions", Method: "GET", Path: detail, Actor: "committee", Status: 200,
			Contains: []string{"港前路货车排队占道"}, NotContains: []string{"办理操作", "/act/"}},
		{Name: "enterprise reads its request with progress and withdraw", Method: "GET", Path: detail, Actor: "enterprise", Status: 200,
			Contains: []string{"<title>" + r.No + " 港前路货车排队占道 · 惠企通</title>", `class="req-step req-step-current" aria-current="step"`,
				"<strong>分拨</strong>", "已提交，等待分拨员分派承办单位", detail + "/act/withdraw", "陈海燕（海湾国际物流）", "提交诉求",
				"2026-11-23 09:30", "网上填报"},
			NotContains: []string{"/act/dispatch", "/act/sign"}},
		{Name: "dispatcher reads it with dispatch and merge", Method: "GET", Path: detail, Actor: "dispatcher", Status: 200,
			Contains: []string{detail + "/act/dispatch", detail + "/act/merge", `<option value="dept-trans">区交通运输局</option>`,
				`<optgroup label="B 级 · 街道">`}, NotContains: []string{"/act/withdraw"}},
		{Name: "enterprise files for itself", Method: "GET", Path: "/requests/new", Actor: "enterprise", Status: 200,
			Contains: []string{"<title>提交诉求 · 惠企通</title>", "海湾国际物流有限公司", "网上填报", `name="csrf_token"`,
				`enctype="multipart/form-data"`, `accept="image/*,application/pdf,audio/*,video/*"`, `capture="environment"`,
				"政策咨询", `data-types="consultation help"`, "贷款、担保、融资对接", `hx-get="/requests/new/policies"`, "默认：陈海燕"},
			NotContains: []string{`name="enterprise_id"`, `name="channel"`}},
		{Name: "liaison files for its caseload", Method: "GET", Path: "/requests/new?enterprise=ent-003", Actor: "liaison", Status: 200,
			Contains: []string{"<title>代企业提交诉求 · 惠企通</title>", `<option value="ent-003" selected>海港冷链仓储有限公司</option>`,
				"海湾国际物流有限公司", `<option value="visit" data-source selected>走访</option>`, `name="source_name"`},
			NotContains: []string{"金沙珠宝"}},
		{Name: "district dispatcher files for any enterprise", Method: "GET", Path: "/requests/new", Actor: "dispatcher", Status: 200,
			Contains: []string{"金沙珠宝首饰有限公司", "海湾国际物流有限公司", `<option value="phone" selected>电话</option>`}},
		{Name: "handler does not file", Method: "GET", Path: "/requests/new", Actor: "handler", Status: 403,
			Contains: []string{"只有企业用户、专班联络员和分拨员可以提交诉求"}},
		{Name: "enterprise has no inbox", Method: "GET", Path: "/requests/inbox", Actor: "enterprise", Status: 403, Contains: []string{"待办诉求只对"}},
		{Name: "liaison has no inbox", Method: "GET", Path: "/requests/inbox", Actor: "liaison", Status: 403},
		{Name: "enterprise has no triage", Method: "GET", Path: "/requests/triage", Actor: "enterprise", Status: 403, Contains: []string{"分拨台只对分拨员开放"}},
		{Name: "handler has no triage", Method: "GET", Path: "/requests/triage", Actor: "handler", Status: 403},
		{Name: "dispatcher has no caseload", Method: "GET", Path: "/requests/caseload", Actor: "dispatcher", Status: 403, Contains: []string{"包干看板只对专班联络员开放"}},
		{Name: "enterprise has no caseload", Method: "GET", Path: "/requests/caseload", Actor: "enterprise", Status: 403},
		{Name: "handler's inbox is empty before dispatch", Method: "GET", Path: "/requests/inbox", Actor: "handler", Status: 200,
			Contains: []string{"<title>待办诉求 · 惠企通</title>", "暂无待办诉求"}, NotContains: []string{"港前路货车排队占道"}},
		{Name: "dispatcher's triage lists it", Method: "GET", Path: "/requests/triage", Actor: "dispatcher", Status: 200,
			Contains: []string{"<title>分拨台 · 惠企通</title>", "港前路货车排队占道", "暂无匹配的分拨规则", detail + "/act/dispatch"}},
		{Name: "liaison's board", Method: "GET", Path: "/requests/caseload", Actor: "liaison", Status: 200,
			Contains: []string{"<title>包干看板 · 惠企通</title>", "海湾国际物流有限公司", `href="/requests/new?enterprise=ent-001"`}},
		{Name: "bad status filter names it", Method: "GET", Path: "/requests?status=lost", Actor: "admin", Status: 400,
			Contains: []string{"未知的诉求状态", `name="status"`}},
		{Name: "bad page names it", Method: "GET", Path: "/requests?page=x", Actor: "admin", Status: 400, Contains: []string{"页码"}},
		{Name: "bad triage status", Method: "GET", Path: "/requests/triage?status=closed", Actor: "dispatcher", Status: 400,
			Contains: []string{"分拨台只列出待分拨、已退回和申请升级的诉求"}},
	}...)
	ts.runner().Run(t, scenarios)
}

func TestRequestPageFiling(t *testing.T) {
	ts := newReqPageServer(t)
	good := url.Values{"type": {"help"}, "category": {"traffic"}, "title": {"厂区门口货车无处停放"},
		"description": {"每天上午有二十多辆集卡在厂区门口排队，占用道路，希望协调临时停车区。"}}
	pic := reqPagePNG(t)
	ok := multipartForm(t, "enterprise files with a photo", "enterprise", "/requests", good, reqPageUpload{"photo.png", pic})
	ok.Status = 303
	var filed *portal.Request
	ok.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		filed = ts.only(t)
		redirectsWithFlash("/requests/"+filed.ID, "诉求已提交，编号 HQ-2026-")(t, res)
		if filed.EnterpriseID != "ent-001" || filed.Channel != portal.ChannelPortal || filed.Type != portal.TypeHelp ||
			filed.ContactName != "陈海燕" || len(filed.Attachments) != 1 || filed.Attachments[0].ContentType != "image/png" ||
			filed.Attachments[0].Name != "photo.png" {
			t.Errorf("stored request %+v", filed)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{ok})
	if filed == nil {
		t.Fatal("nothing filed")
	}
	ts.runner().Run(t, []portaltest.Scenario{{Name: "its page links the attachment", Method: "GET", Path: "/requests/" + filed.ID,
		Actor: "enterprise", Status: 200, Contains: []string{"/api/v1/requests/" + filed.ID + "/attachments/" + filed.Attachments[0].ID,
			"photo.png", "图片"}}})

	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := ts.requestCount(t); n != 1 {
			t.Errorf("%d requests stored, want still 1", n)
		}
	}
	bad := func(name, actor string, fields url.Values, contains []string, files ...reqPageUpload) portaltest.Scenario {
		sc := multipartForm(t, name, actor, "/requests", fields, files...)
		sc.Status, sc.Contains, sc.After = 400, append([]string{"诉求信息有误"}, contains...), unchanged
		return sc
	}
	with := func(k, v string, kv ...string) url.Values {
		out := url.Values{}
		for key, vs := range good {
			out[key] = slices.Clone(vs)
		}
		out.Set(k, v)
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	liaison := with("enterprise_id", "ent-003", "channel", "visit", "source_name", "11 月港口物流企业走访")
	noCSRF := multipartForm(t, "without CSRF", "enterprise", "/requests", good)
	noCSRF.Headers["Cookie"] = ""
	noCSRF.Status, noCSRF.Contains, noCSRF.After = 403, []string{"页面已过期"}, unchanged
	ts.runner().Run(t, []portaltest.Scenario{
		bad("every field wrong, each named", "enterprise", url.Values{"title": {"短"}, "description": {"太短了"}, "category": {"nope"}},
			[]string{"标题至少 4 个字", "诉求内容至少 10 个字", "请选择诉求类型", "未知的诉求分类", `value="短"`, ">太短了</textarea>",
				`aria-invalid="true"`}),
		bad("category refusing the type", "enterprise", with("type", "consultation"), []string{"分类“交通出行”不受理咨询类诉求",
			`value="厂区门口货车无处停放"`, `value="consultation" checked`}),
		bad("a text file as attachment", "enterprise", good, []string{"附件“notes.txt”不是图片、PDF、音频或视频文件", "附件需要重新选择"},
			reqPageUpload{"notes.txt", []byte("just some notes, not a picture")}),
		bad("bad phone", "enterprise", with("contact_phone", "12"), []string{"联系电话格式不正确", `value="12"`}),
		bad("liaison outside the caseload", "liaison", with("enterprise_id", "ent-002", "channel", "visit", "source_name", "走访"),
			[]string{"企业不存在或不在您的负责范围内"}),
		bad("visit without its source", "liaison", with("enterprise_id", "ent-003", "channel", "visit"), []string{"来源会议或走访不能为空"}),
		bad("unknown channel", "liaison", with("enterprise_id", "ent-003", "channel", "pigeon"), []string{"未知的诉求渠道"}),
		bad("enterprise posing as another", "enterprise", with("enterprise_id", "ent-002"), []string{"只能为本企业提交诉求"}),
		noCSRF,
	})

	okLiaison := multipartForm(t, "liaison files after a visit", "liaison", "/requests", liaison)
	okLiaison.Status = 303
	okLiaison.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		page, err := ts.reqs.List(ts.as(t, "liaison"), portal.RequestQuery{Enterprise: "ent-003"})
		portaltest.Must(t, err, "list")
		if page.Total != 1 {
			t.Fatalf("ent-003 has %d requests, want 1", page.Total)
		}
		r := ts.stored(t, page.Items[0].ID)
		redirectsWithFlash("/requests/"+r.ID, "诉求已提交")(t, res)
		if r.Channel != portal.ChannelVisit || r.Source == nil || r.Source.Name != "11 月港口物流企业走访" ||
			r.FiledByID != "u-liaison" || r.FirstContactID != "u-liaison" {
			t.Errorf("stored %+v", r)
		}
	}
	// A source left in the hidden field from an earlier channel is dropped.
	phone := multipartForm(t, "liaison files a call; the hidden source is dropped", "liaison", "/requests",
		with("enterprise_id", "ent-004", "channel", "phone", "source_name", "残留的走访名称", "title", "码头闸口夜间照明不足"))
	phone.Status = 303
	phone.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		page, err := ts.reqs.List(ts.as(t, "liaison"), portal.RequestQuery{Enterprise: "ent-004"})
		portaltest.Must(t, err, "list")
		if page.Total != 1 || page.Items[0].Source != nil || page.Items[0].Channel != portal.ChannelPhone {
			t.Errorf("ent-004 requests %+v", page.Items)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{okLiaison, phone})
}

func TestRequestPagesEscapeScript(t *testing.T) {
	ts := newReqPageServer(t)
	title := `<script>alert(1)</script>报修`
	sc := multipartForm(t, "file with script", "enterprise", "/requests", url.Values{"type": {"help"}, "category": {"park"},
		"title": {title}, "description": {`<img src=x onerror=alert(2)>园区门口道路破损，雨天积水严重。`}})
	sc.Status = 303
	ts.runner().Run(t, []portaltest.Scenario{sc})
	r := ts.only(t)
	if r.Title != title {
		t.Fatalf("stored title %q, want it as typed", r.Title)
	}
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;报修"
	raw := []string{"<script>alert(1)", "<img src=x"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "list", Method: "GET", Path: "/requests", Actor: "enterprise", Status: 200, Contains: []string{escaped}, NotContains: raw},
		{Name: "detail", Method: "GET", Path: "/requests/" + r.ID, Actor: "enterprise", Status: 200,
			Contains: []string{escaped, "&lt;img src=x onerror=alert(2)&gt;"}, NotContains: raw},
		{Name: "triage", Method: "GET", Path: "/requests/triage", Actor: "dispatcher", Status: 200, Contains: []string{escaped}, NotContains: raw},
	})
}

func TestRequestInboxByDeadline(t *testing.T) {
	ts := newReqPageServer(t)
	start := ts.clock
	a := ts.file(t, "enterprise", portal.RequestInput{Title: "甲：港前路路灯不亮"})
	b := ts.file(t, "enterprise", portal.RequestInput{Title: "乙：集卡排队占道"})
	c := ts.file(t, "enterprise", portal.RequestInput{Title: "丙：公交站牌位置不便"})
	other := ts.file(t, "enterprise", portal.RequestInput{Title: "丁：招工补贴咨询"})
	// Dispatched in the order 乙, 甲, 丙: each sign deadline is 24 h later.
	ts.act(t, "dispatcher", b.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	ts.clock = start.Add(2 * time.Hour)
	ts.act(t, "dispatcher", a.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	ts.clock = start.Add(4 * time.Hour)
	ts.act(t, "dispatcher", c.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	ts.act(t, "dispatcher", other.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-hrss"})
	ts.clock = start.Add(25 * time.Hour) // 乙 is now past its sign deadline

	rn := ts.runner()
	res := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/requests/inbox", Actor: "handler"})
	body := res.Body.String()
	if res.Code != 200 {
		t.Fatalf("inbox: status %d", res.Code)
	}
	inOrder(t, body, "乙：集卡排队占道", "甲：港前路路灯不亮", "丙：公交站牌位置不便")
	if strings.Contains(body, "丁：招工补贴咨询") {
		t.Error("the inbox shows another department's request")
	}
	if n := strings.Count(body, "已超期"); n != 1 {
		t.Errorf("inbox marks %d requests overdue, want 1 (乙)", n)
	}
	if !strings.Contains(body, `req-card req-card-overdue`) || !strings.Contains(body, "签收期限") {
		t.Error("the overdue request is not marked")
	}
	for _, want := range []string{"/requests/" + a.ID + "/act/sign", "/requests/" + a.ID + "/act/return", `name="next" value="/requests/inbox"`} {
		if !strings.Contains(body, want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
	if strings.Contains(body, "/requests/"+a.ID+"/act/reply") {
		t.Error("the inbox offers a reply before the request is signed")
	}

	ver := func(id string) string { return strconv.Itoa(ts.stored(t, id).Version) }
	form := func(name, id string, act portal.Action, next string, kv ...string) portaltest.Scenario {
		v := url.Values{"version": {ver(id)}, "next": {next}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return pageForm(name, "handler", "/requests/"+id+"/act/"+string(act), v)
	}
	sign := form("sign from the inbox", a.ID, portal.ActSign, "/requests/inbox")
	sign.Status, sign.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/inbox", "已签收诉求 "+a.No)(t, res)
		if got := ts.stored(t, a.ID); got.Status != portal.StatusSigned || got.HandlerID != "u-handler" {
			t.Errorf("after sign: status %s, handler %q", got.Status, got.HandlerID)
		}
	}
	rn.Run(t, []portaltest.Scenario{sign,
		{Name: "overdue filter", Method: "GET", Path: "/requests/inbox?overdue=1", Actor: "handler", Status: 200,
			Contains: []string{"乙：集卡排队占道"}, NotContains: []string{"甲：港前路路灯不亮", "丙：公交站牌位置不便"}},
		{Name: "signed request offers reply, resolve and return", Method: "GET", Path: "/requests/inbox", Actor: "handler", Status: 200,
			Contains: []string{"/requests/" + a.ID + "/act/reply", "/requests/" + a.ID + "/act/resolve", "/requests/" + a.ID + "/act/return"}},
	})

	emptyReason := form("return without a reason", a.ID, portal.ActReturn, "/requests/inbox", "reason", " ")
	emptyReason.Status, emptyReason.Contains = 400, []string{"请说明退回原因", "原因至少 2 个字", `<details class="req-act" open>`, `aria-invalid="true"`}
	emptyReason.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, a.ID); got.Status != portal.StatusSigned {
			t.Errorf("a refused return changed the status to %s", got.Status)
		}
	}
	rn.Run(t, []portaltest.Scenario{emptyReason})
	ret := form("return with a reason", a.ID, portal.ActReturn, "/requests/inbox", "reason", "不属于本局职责，建议改派街道")
	ret.Status, ret.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/inbox", "已退回分拨员")(t, res)
		if got := ts.stored(t, a.ID); got.Status != portal.StatusReturned || got.ReturnReason != "不属于本局职责，建议改派街道" {
			t.Errorf("after return: %s %q", got.Status, got.ReturnReason)
		}
	}
	// Returned from its own page, the request stays readable there for
	// the department that had it, without actions.
	retDetail := form("return from the detail page", b.ID, portal.ActReturn, "/requests/"+b.ID, "reason", "需要街道现场处置")
	retDetail.Status, retDetail.After = 303, redirectsWithFlash("/requests/"+b.ID, "已退回")
	rn.Run(t, []portaltest.Scenario{ret, retDetail,
		{Name: "returned requests leave the inbox", Method: "GET", Path: "/requests/inbox", Actor: "handler", Status: 200,
			Contains: []string{"丙：公交站牌位置不便"}, NotContains: []string{"甲：港前路路灯不亮", "乙：集卡排队占道"}},
		{Name: "the returned request reads without actions", Method: "GET", Path: "/requests/" + b.ID, Actor: "handler", Status: 200,
			Contains: []string{"承办单位退回，等待重新分拨：需要街道现场处置"}, NotContains: []string{"/act/"}},
	})
}

func TestRequestTriageDispatch(t *testing.T) {
	ts := newReqPageServer(t)
	x := ts.file(t, "enterprise", portal.RequestInput{Title: "货车通行证办理慢", Type: portal.TypeHelp, Category: "traffic"})
	y := ts.file(t, "enterprise", portal.RequestInput{Title: "想了解设备贷款贴息", Type: portal.TypeConsultation, Category: "finance"})
	rn := ts.runner()
	rn.Run(t, []portaltest.Scenario{{Name: "without rules nothing is suggested", Method: "GET", Path: "/requests/triage", Actor: "dispatcher",
		Status: 200, Contains: []string{"货车通行证办理慢", "想了解设备贷款贴息"}, NotContains: []string{"按建议分拨"}}})
	res := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/requests/triage", Actor: "dispatcher"})
	if n := strings.Count(res.Body.String(), "暂无匹配的分拨规则"); n != 2 {
		t.Errorf("%d requests say no rule matched, want 2", n)
	}

	ts.reqs.Router = reqPageRouter{"traffic": {RuleID: "rule-traffic", RuleName: "交通出行归交通局", Tier: portal.TierA,
		DepartmentID: "dept-trans", DepartmentName: "区交通运输局"}}
	oneClick := pageForm("dispatch as suggested", "dispatcher", "/requests/"+x.ID+"/act/dispatch",
		url.Values{"department": {"dept-trans"}, "version": {"1"}, "next": {"/requests/triage"}})
	oneClick.Status, oneClick.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/triage", "已分拨至区交通运输局")(t, res)
		got := ts.stored(t, x.ID)
		if got.Status != portal.StatusDispatched || got.DepartmentID != "dept-trans" || got.DueAt == nil {
			t.Errorf("after dispatch: %s %s due %v", got.Status, got.DepartmentID, got.DueAt)
		}
	}
	badDept := pageForm("override with a unit that does not exist", "dispatcher", "/requests/"+y.ID+"/act/dispatch",
		url.Values{"department": {"nope"}, "version": {"1"}, "next": {"/requests/triage"}})
	badDept.Status, badDept.Contains = 400, []string{"承办单位不存在", `<details class="req-act" open>`}
	badDept.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, y.ID); got.Status != portal.StatusSubmitted || got.DepartmentID != "" {
			t.Errorf("a refused dispatch changed the request: %s %s", got.Status, got.DepartmentID)
		}
	}
	override := pageForm("override the suggestion", "dispatcher", "/requests/"+y.ID+"/act/dispatch",
		url.Values{"department": {"dept-fin"}, "version": {"1"}, "next": {"/requests/triage"}})
	override.Status, override.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/triage", "已分拨至区金融工作局")(t, res)
		if got := ts.stored(t, y.ID); got.DepartmentID != "dept-fin" {
			t.Errorf("dispatched to %q, want dept-fin", got.DepartmentID)
		}
	}
	z := ts.file(t, "enterprise", portal.RequestInput{Title: "夜间货车禁行时段咨询", Type: portal.TypeHelp, Category: "traffic"})
	rn.Run(t, []portaltest.Scenario{
		{Name: "the rule's suggestion is one click", Method: "GET", Path: "/requests/triage", Actor: "dispatcher", Status: 200,
			Contains: []string{"按建议分拨", "建议分拨至 <strong>区交通运输局</strong>", `name="department" value="dept-trans"`, "交通出行归交通局"}},
		oneClick,
		{Name: "a dispatched request leaves the queue", Method: "GET", Path: "/requests/triage", Actor: "dispatcher", Status: 200,
			NotContains: []string{"货车通行证办理慢"}},
		badDept,
		override,
		{Name: "the detail page preselects the suggestion", Method: "GET", Path: "/requests/" + z.ID, Actor: "dispatcher", Status: 200,
			Contains: []string{`<option value="dept-trans" selected>区交通运输局</option>`, "按分拨规则“交通出行归交通局”建议"}},
		{Name: "the dispatched one offers redispatch", Method: "GET", Path: "/requests/" + x.ID, Actor: "dispatcher", Status: 200,
			Contains: []string{"/requests/" + x.ID + "/act/redispatch", "已分拨至区交通运输局，等待签收", `aria-current="step"`}},
	})

	// A duplicate is merged under a master named by its number.
	dup := ts.file(t, "enterprise", portal.RequestInput{Title: "夜间货车禁行时段再次咨询", Type: portal.TypeHelp, Category: "traffic"})
	unknownMaster := pageForm("merge under a number that does not exist", "dispatcher", "/requests/"+dup.ID+"/act/merge",
		url.Values{"master": {"HQ-2026-999999"}})
	unknownMaster.Status, unknownMaster.Contains = 400, []string{"主诉求不存在", `value="HQ-2026-999999"`}
	unknownMaster.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, dup.ID); got.Status != portal.StatusSubmitted || got.ParentID != "" {
			t.Errorf("a refused merge changed the request: %s under %q", got.Status, got.ParentID)
		}
	}
	merge := pageForm("merge under the master's number", "dispatcher", "/requests/"+dup.ID+"/act/merge",
		url.Values{"master": {z.No}, "reason": {"同一企业重复提交"}})
	merge.Status, merge.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/"+dup.ID, "已合并到主诉求")(t, res)
		if got := ts.stored(t, dup.ID); got.Status != portal.StatusMerged || got.ParentID != z.ID {
			t.Errorf("after merge: %s under %q, want merged under %s", got.Status, got.ParentID, z.ID)
		}
	}
	rn.Run(t, []portaltest.Scenario{unknownMaster, merge,
		{Name: "the child links its master", Method: "GET", Path: "/requests/" + dup.ID, Actor: "dispatcher", Status: 200,
			Contains: []string{`href="/requests/` + z.ID + `"`, "已并入主诉求"}},
	})
}

func TestRequestActionConflictsAndRefusals(t *testing.T) {
	ts := newReqPageServer(t)
	r := ts.file(t, "enterprise", portal.RequestInput{Title: "冷库用电增容申请"})
	r = ts.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	path := "/requests/" + r.ID + "/act/"
	events := len(r.Timeline)
	untouched := func(t *testing.T, _ *httptest.ResponseRecorder) {
		got := ts.stored(t, r.ID)
		if got.Status != portal.StatusDispatched || len(got.Timeline) != events || got.Version != r.Version {
			t.Errorf("a refused action changed the request: %s, %d events, version %d", got.Status, len(got.Timeline), got.Version)
		}
	}
	wrongState := pageForm("reply before signing", "handler", path+"reply", url.Values{"text": {"已联系企业了解情况"}, "version": {strconv.Itoa(r.Version)}})
	wrongState.Status = 303
	wrongState.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/"+r.ID, "诉求当前状态为“待签收”，不能答复")(t, res)
		untouched(t, res)
	}
	stale := pageForm("sign on a stale page", "handler", path+"sign", url.Values{"version": {strconv.Itoa(r.Version - 1)}})
	stale.Status = 303
	stale.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/"+r.ID, "诉求已被他人更新，请刷新后重试")(t, res)
		untouched(t, res)
	}
	escape := pageForm("next cannot leave the site", "handler", path+"reply", url.Values{"text": {"答复内容足够长"}, "next": {"https://evil.example/requests"}})
	escape.Status, escape.Header = 303, map[string]string{"Location": "/requests/" + r.ID}
	forbidden := pageForm("enterprise may not dispatch", "enterprise", path+"redispatch", url.Values{"department": {"dept-fin"}})
	forbidden.Status, forbidden.Contains, forbidden.After = 403, []string{"您无权对该诉求执行“改派”"}, untouched
	hidden := pageForm("another enterprise cannot probe", "enterprise2", path+"withdraw", nil)
	hidden.Status, hidden.Contains, hidden.After = 404, []string{"诉求不存在"}, untouched
	unknown := pageForm("unknown action", "handler", path+"explode", nil)
	unknown.Status, unknown.Contains, unknown.After = 404, []string{"未知的操作"}, untouched
	badVersion := pageForm("tampered version", "handler", path+"sign", url.Values{"version": {"abc"}})
	badVersion.Status, badVersion.Contains, badVersion.After = 400, []string{"页面数据有误"}, untouched
	noCSRF := pageForm("without CSRF", "handler", path+"sign", nil)
	noCSRF.Headers["Cookie"] = ""
	noCSRF.Status, noCSRF.After = 403, untouched
	ts.runner().Run(t, []portaltest.Scenario{wrongState, stale, escape, forbidden, hidden, unknown, badVersion, noCSRF})
}

func TestRequestPageAttachments(t *testing.T) {
	ts := newReqPageServer(t)
	r := ts.file(t, "enterprise", portal.RequestInput{Title: "仓库屋顶漏水需要维修"})
	path := "/requests/" + r.ID + "/attachments"
	count := func(want int) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if n := len(ts.stored(t, r.ID).Attachments); n != want {
				t.Errorf("%d attachments stored, want %d", n, want)
			}
		}
	}
	add := multipartForm(t, "enterprise adds a photo", "enterprise", path, nil, reqPageUpload{"leak.png", reqPagePNG(t)})
	add.Status, add.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/"+r.ID, "已上传 1 个附件")(t, res)
		count(1)(t, res)
	}
	text := multipartForm(t, "a text file is refused", "enterprise", path, nil, reqPageUpload{"a.txt", []byte("plain words")})
	text.Status, text.Contains, text.After = 400, []string{"附件“a.txt”不是图片、PDF、音频或视频文件", "补充附件"}, count(1)
	none := multipartForm(t, "nothing chosen", "enterprise", path, nil)
	none.Status, none.Contains, none.After = 400, []string{"请选择要上传的文件"}, count(1)
	other := multipartForm(t, "another enterprise cannot attach", "enterprise2", path, nil, reqPageUpload{"x.png", reqPagePNG(t)})
	other.Status, other.After = 404, count(1)
	ts.runner().Run(t, []portaltest.Scenario{add, text, none, other,
		{Name: "the upload form is offered to the enterprise", Method: "GET", Path: "/requests/" + r.ID, Actor: "enterprise", Status: 200,
			Contains: []string{`action="` + path + `"`, "leak.png"}},
		{Name: "the committee reads without an upload form", Method: "GET", Path: "/requests/" + r.ID, Actor: "committee", Status: 200,
			Contains: []string{"leak.png"}, NotContains: []string{`action="` + path + `"`}},
	})
}

func TestRequestCaseloadBoard(t *testing.T) {
	ts := newReqPageServer(t)
	late := ts.file(t, "enterprise", portal.RequestInput{Title: "海湾国际：堆场围墙倒塌"})
	ts.act(t, "dispatcher", late.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	for _, title := range []string{"海港冷链：冷库电力增容", "海港冷链：夜间装卸噪音投诉"} {
		ts.file(t, "liaison", portal.RequestInput{EnterpriseID: "ent-003", Title: title, Channel: portal.ChannelVisit, SourceName: "走访"})
	}
	ts.clock = ts.clock.Add(30 * time.Hour)
	res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/requests/caseload", Actor: "liaison"})
	body := res.Body.String()
	if res.Code != 200 {
		t.Fatalf("board: status %d", res.Code)
	}
	// Overdue first, then by open requests, then by name.
	inOrder(t, body, "海湾国际物流有限公司", "海港冷链仓储有限公司", "东湾集装箱码头有限公司")
	for _, want := range []string{`<strong>4</strong><span>包干企业</span>`, `<strong>3</strong><span>未办结诉求</span>`,
		`<strong>1</strong><span>超期</span>`, `href="/requests?enterprise=ent-001&amp;overdue=1"`,
		`href="/requests?enterprise=ent-003&amp;status=open"`, `href="/requests/new?enterprise=ent-003"`} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	if strings.Contains(body, "金沙珠宝") {
		t.Error("the board shows another liaison's enterprise")
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the list filtered by one enterprise", Method: "GET", Path: "/requests?enterprise=ent-003", Actor: "liaison", Status: 200,
			Contains:    []string{"企业：<strong>海港冷链仓储有限公司</strong>", "海港冷链：冷库电力增容", "海港冷链：夜间装卸噪音投诉"},
			NotContains: []string{"海湾国际：堆场围墙倒塌"}},
		{Name: "the overdue filter", Method: "GET", Path: "/requests?overdue=1", Actor: "liaison", Status: 200,
			Contains: []string{"海湾国际：堆场围墙倒塌", "已超期"}, NotContains: []string{"海港冷链：冷库电力增容"}},
		{Name: "the list pages, keeping its filters", Method: "GET", Path: "/requests?per_page=2&status=open", Actor: "liaison", Status: 200,
			Contains: []string{"第 1 / 2 页，共 3 条", `href="/requests?page=2&amp;per_page=2&amp;status=open" rel="next"`}},
		{Name: "search the board", Method: "GET", Path: "/requests/caseload?q=" + url.QueryEscape("冷链"), Actor: "liaison", Status: 200,
			Contains: []string{"海港冷链仓储有限公司"}, NotContains: []string{"东湾集装箱码头有限公司"}},
		{Name: "another liaison's board", Method: "GET", Path: "/requests/caseload", Actor: "liaison2", Status: 200,
			Contains: []string{"金沙珠宝首饰有限公司"}, NotContains: []string{"海湾国际物流有限公司"}},
		{Name: "a search too long", Method: "GET", Path: "/requests/caseload?q=" + url.QueryEscape(strings.Repeat("港", 51)), Actor: "liaison",
			Status: 400, Contains: []string{"查询词不能超过 50 个字"}},
	})
}

func TestRequestPolicyHints(t *testing.T) {
	ts := newReqPageServer(t)
	var talent *policies.Policy
	for _, p := range ts.cat {
		if p.Status == policies.StatusPublished && strings.Contains(p.Title, "人才") {
			talent = p
			break
		}
	}
	if talent == nil {
		t.Fatal("the demo catalogue has no published talent policy")
	}
	editor := ts.as(t, "editor")
	draft, err := ts.pols.Create(editor, &policies.Policy{Title: "人才公寓租金补贴起草稿", Issuer: "区人力资源和社会保障局",
		Level: policies.LevelDistrict, Category: policies.CatTalentFunding, Summary: "尚未发布的人才公寓租金补贴。"})
	portaltest.Must(t, err, "create draft")
	hints := "/requests/new/policies?title=" + url.QueryEscape(talent.Title) + "&description="
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "matching published policies", Method: "GET", Path: hints, Actor: "enterprise", Status: 200,
			Contains:    []string{`href="/policies/` + talent.ID + `"`, "如果这条政策已解答您的问题，无需提交诉求", `target="_blank"`},
			NotContains: []string{"<html"}},
		{Name: "drafts are never suggested, even to an editor", Method: "GET",
			Path: "/requests/new/policies?title=" + url.QueryEscape(draft.Title), Actor: "editor", Status: 200,
			NotContains: []string{draft.ID}},
		{Name: "too little text suggests nothing", Method: "GET", Path: "/requests/new/policies?title=x", Actor: "enterprise", Status: 200,
			NotContains: []string{"政策"}},
		{Name: "an ended session inside htmx is 401", Method: "GET", Path: hints, Status: 401,
			Headers: map[string]string{"HX-Request": "true"}},
		{Name: "a visitor signs in", Method: "GET", Path: hints, Status: 303},
		{Name: "the enterprise picker searches", Method: "GET", Path: "/requests/new/enterprises?enterprise_q=" + url.QueryEscape("冷链"),
			Actor: "dispatcher", Status: 200, Contains: []string{`<option value="ent-003">海港冷链仓储有限公司</option>`},
			NotContains: []string{"金沙珠宝", "<html"}},
	})
}

// TestRequestPagesInBrowser files a request on a 375 px phone screen
// through the real form, signed in with the login page's cookies, and
// reads its detail page: neither may scroll sideways.
func TestRequestPagesInBrowser(t *testing.T) {
	ts := newReqPageServer(t)
	ts.reqs.Index = &portal.RequestSearch{Index: portaltest.Bleve(t, portal.RequestSchema), Store: ts.store, Log: ts.reqs.Log, Now: ts.reqs.Now}
	earlier := ts.file(t, "enterprise", portal.RequestInput{Title: "高新技术企业认定需要哪些条件",
		Description: "想了解高新技术企业认定的研发投入和知识产权条件。", Type: portal.TypeConsultation, Category: "policy"})
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	width := func(scroll, client *int) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Evaluate(`document.documentElement.scrollWidth`, scroll),
			chromedp.Evaluate(`document.documentElement.clientWidth`, client),
		}
	}
	var formScroll, formClient, cats, visibleCats int
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/requests/new"),
		chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="username"]`, "enterprise", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, entTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.req-form`, chromedp.ByQuery),
		width(&formScroll, &formClient),
		chromedp.Evaluate(`document.querySelectorAll('.req-cat').length`, &cats),
		chromedp.Click(`input[name="type"][value="consultation"]`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('.req-cat')].filter(e => e.offsetParent !== null).length`, &visibleCats),
	)
	if err != nil {
		t.Fatalf("open the filing form: %v", err)
	}
	if formScroll > formClient {
		t.Errorf("filing form scrolls sideways (%d > %d)", formScroll, formClient)
	}
	if cats != 10 || visibleCats == 0 || visibleCats >= cats {
		t.Errorf("choosing 咨询 leaves %d of %d categories; want only those taking consultations", visibleCats, cats)
	}
	var location, heading string
	var detailScroll, detailClient int
	err = chromedp.Run(ctx,
		chromedp.Click(`input[name="category"][value="policy"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#req-title`, "高新技术企业认定条件咨询", chromedp.ByQuery),
		chromedp.SendKeys(`#req-description`, "我司今年研发投入增加，想了解申请高新技术企业认定需要满足哪些条件。", chromedp.ByQuery),
		// The open request on the same matter shows up while typing.
		chromedp.WaitVisible(`#similar-requests a[href="/requests/`+earlier.ID+`"]`, chromedp.ByQuery),
		chromedp.Click(`button.req-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`.req-steps`, chromedp.ByQuery),
		chromedp.Location(&location),
		chromedp.Text(`h1.req-title`, &heading, chromedp.ByQuery),
		width(&detailScroll, &detailClient),
	)
	if err != nil {
		t.Fatalf("file through the form: %v", err)
	}
	r := ts.stored(t, location[strings.LastIndex(location, "/")+1:])
	if heading != "高新技术企业认定条件咨询" {
		t.Errorf("after filing: at %s showing %q", location, heading)
	}
	if r.Type != portal.TypeConsultation || r.Category != "policy" || r.EnterpriseID != "ent-001" {
		t.Errorf("stored %s/%s for %s", r.Type, r.Category, r.EnterpriseID)
	}
	if detailScroll > detailClient {
		t.Errorf("detail page scrolls sideways (%d > %d)", detailScroll, detailClient)
	}
}

func TestRequestPageEscalation(t *testing.T) {
	ts := newReqPageServer(t)
	hash, err := entTestHash()
	portaltest.Must(t, err, "hash")
	portaltest.Must(t, ts.users.CreateUser(context.Background(), &portal.User{ID: "u-reqpage-sub", Username: "reqpage-sub",
		DisplayName: "海港街道 承办人", Roles: []portal.Role{portal.RoleHandler}, UnitID: "sd-haigang", Status: portal.UserActive,
		PasswordHash: hash}), "sub-district handler")
	up := ts.file(t, "enterprise", portal.RequestInput{Title: "街道协调不了的跨区货运问题"})
	ts.act(t, "dispatcher", up.ID, portal.ActDispatch, portal.ActionInput{Department: "sd-haigang"})
	ts.act(t, "reqpage-sub", up.ID, portal.ActSign, portal.ActionInput{})
	top := ts.file(t, "enterprise", portal.RequestInput{Title: "区级部门已在办理的诉求"})
	ts.act(t, "dispatcher", top.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	ts.act(t, "handler", top.ID, portal.ActSign, portal.ActionInput{})

	noTier := pageForm("escalate without a tier", "reqpage-sub", "/requests/"+up.ID+"/act/escalate",
		url.Values{"reason": {"涉及多个街道"}})
	noTier.Status, noTier.Contains = 400, []string{"请选择要升级到的层级", ">涉及多个街道</textarea>"}
	noTier.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, up.ID); got.Status != portal.StatusSigned {
			t.Errorf("a refused escalation changed the status to %s", got.Status)
		}
	}
	escalate := pageForm("escalate to the district", "reqpage-sub", "/requests/"+up.ID+"/act/escalate",
		url.Values{"tier": {"A"}, "reason": {"涉及多个街道，需要区级部门协调"}})
	escalate.Status, escalate.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/requests/"+up.ID, "已申请升级至 A 级")(t, res)
		if got := ts.stored(t, up.ID); got.Status != portal.StatusEscalated || got.EscalateTo != portal.TierA {
			t.Errorf("after escalation: %s to %q", got.Status, got.EscalateTo)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "a sub-district may ask for tier A only", Method: "GET", Path: "/requests/" + up.ID, Actor: "reqpage-sub", Status: 200,
			Contains:    []string{"/requests/" + up.ID + "/act/escalate", `<option value="A">A 级 · 区直部门</option>`},
			NotContains: []string{`<option value="B">`}},
		{Name: "a district department is not offered escalation", Method: "GET", Path: "/requests/" + top.ID, Actor: "handler", Status: 200,
			Contains: []string{"/requests/" + top.ID + "/act/reply"}, NotContains: []string{"/act/escalate"}},
		noTier,
		escalate,
		{Name: "the dispatcher's queue shows the escalation", Method: "GET", Path: "/requests/triage", Actor: "dispatcher", Status: 200,
			Contains: []string{"街道协调不了的跨区货运问题", "海港街道申请升级至 A 级"}},
	})
}
