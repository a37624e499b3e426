package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// actPNG is the smallest thing the content sniffer takes for a PNG.
var actPNG = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

// testActionItemService is the action item service on db with the real
// stores, reading meetings from their collection.
func testActionItemService(db *mongostore.DB, audit *portal.Auditor, reqs *portal.RequestService) *portal.ActionItemService {
	return &portal.ActionItemService{Store: mongostore.NewActionItemStore(db), Meetings: portaltest.MeetingReader(db),
		Requests: reqs, Org: mongostore.NewOrgStore(db), Users: mongostore.NewUserStore(db),
		Attachments: mongostore.NewAttachmentStore(db), Notify: mongostore.NewNotificationStore(db), Audit: audit,
		Log: slog.New(slog.DiscardHandler), Now: time.Now, Zone: portaltest.CST, MaxAttachmentBytes: reqMaxAttachment}
}

// actServer is the real router on the demo district with two past port
// meetings and a past jewelry one, serving the action item API and pages.
type actServer struct {
	*Server
	w   *portaltest.World
	svc *portal.ActionItemService
	bearerTokens
}

func newActServer(t *testing.T) *actServer {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	w := portaltest.NewWorld(t, db, time.Now)
	hash, err := reqTestHash()
	portaltest.Must(t, err, "hash")
	users, _, err := w.Users.FindUsers(ctx, portal.UserFilter{Limit: 100})
	portaltest.Must(t, err, "users")
	for _, u := range users {
		_, err := w.Users.UpdateUser(ctx, u.ID, portal.UserUpdate{PasswordHash: &hash})
		portaltest.Must(t, err, "password of %s", u.Username)
	}
	past := time.Now().AddDate(0, 0, -3)
	portaltest.InsertMeeting(t, db, portaltest.PortMeeting("mtg-port-1", past), portaltest.PortMeeting("mtg-port-2", past),
		portaltest.JewelryMeeting("mtg-jewelry-1", past))
	ts := &actServer{w: w, bearerTokens: newBearerTokens(reqTestPassword)}
	ts.svc = testActionItemService(db, w.Requests.Audit, w.Requests)
	ts.auth, err = portal.NewAuthService(w.Users, mongostore.NewSessionStore(db), redisstore.NewThrottle(portaltest.StartRedis(t).Client),
		w.Audit, time.Now, portal.AuthConfig{Secret: []byte("action-item-test-secret-0123456789abcdef")})
	portaltest.Must(t, err, "auth service")
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Auth: ts.auth,
		Users: w.Users, Org: mongostore.NewOrgStore(db), Requests: w.Requests, Categories: mongostore.NewCategoryStore(db),
		ActionItems: ts.svc, Location: portaltest.CST})
	portaltest.Must(t, err, "new server")
	ts.Server = srv
	return ts
}

func (ts *actServer) runner() portaltest.Runner { return ts.runnerFor(ts.Handler()) }

func (ts *actServer) call(t *testing.T, actor, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	return ts.runner().Do(t, portaltest.Scenario{Method: method, Path: path, Actor: actor, Body: body})
}

// dueIn is the date n days from today in the district.
func dueIn(n int) string { return time.Now().In(portaltest.CST).AddDate(0, 0, n).Format("2006-01-02") }

// create decides an item over HTTP as the committee.
func (ts *actServer) create(t *testing.T, meeting string, body map[string]any) *portal.ActionItem {
	t.Helper()
	res := ts.call(t, "committee", "POST", "/api/v1/meetings/"+meeting+"/action-items", body)
	if res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body.String())
	}
	var it portal.ActionItem
	portaltest.DecodeJSON(t, res, &it)
	return &it
}

func (ts *actServer) stored(t *testing.T, id string) *portal.ActionItem {
	t.Helper()
	it, err := ts.svc.Store.FindActionItemByID(context.Background(), id)
	portaltest.Must(t, err, "load %s", id)
	return it
}

func (ts *actServer) count(t *testing.T) int {
	t.Helper()
	_, n, err := ts.svc.Store.FindActionItems(context.Background(), portal.ActionItemFilter{Limit: 1})
	portaltest.Must(t, err, "count")
	return n
}

// actMultipart is a form with content as field's file, plus values.
func actMultipart(t *testing.T, field, name string, content []byte, values url.Values) (string, map[string]string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range values {
		for _, v := range vs {
			portaltest.Must(t, w.WriteField(k, v), "field")
		}
	}
	if content != nil {
		fw, err := w.CreateFormFile(field, name)
		portaltest.Must(t, err, "form file")
		_, err = fw.Write(content)
		portaltest.Must(t, err, "write")
	}
	portaltest.Must(t, w.Close(), "close")
	return b.String(), map[string]string{"Content-Type": w.FormDataContentType()}
}

func TestActionItemAPI(t *testing.T) {
	ts := newActServer(t)
	good := map[string]any{"title": "协调港区夜间集卡通行", "lead_unit_id": "dept-trans", "co_unit_ids": []string{"dept-hrss"},
		"due": dueIn(10), "priority": "high"}
	n := ts.count(t)
	bad := func(edit map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range good {
			out[k] = v
		}
		for k, v := range edit {
			out[k] = v
		}
		return out
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "due in the past", Method: "POST", Path: "/api/v1/meetings/mtg-port-1/action-items", Actor: "committee",
			Body: bad(map[string]any{"due": dueIn(-1)}), Status: 400, Contains: []string{`"due":"办结时限不能早于今天"`}},
		{Name: "owner is the district", Method: "POST", Path: "/api/v1/meetings/mtg-port-1/action-items", Actor: "committee",
			Body: bad(map[string]any{"lead_unit_id": "district"}), Status: 400, Contains: []string{"牵头单位必须是部门"}},
		{Name: "owner is a user", Method: "POST", Path: "/api/v1/meetings/mtg-port-1/action-items", Actor: "committee",
			Body: bad(map[string]any{"lead_unit_id": "u-handler"}), Status: 400, Contains: []string{"牵头单位必须是部门"}},
		{Name: "unknown field", Method: "POST", Path: "/api/v1/meetings/mtg-port-1/action-items", Actor: "committee",
			Body: bad(map[string]any{"owner": "dept-trans"}), Status: 400, Contains: []string{"未知字段 owner"}},
		{Name: "another chain's meeting", Method: "POST", Path: "/api/v1/meetings/mtg-jewelry-1/action-items", Actor: "committee",
			Body: good, Status: 404},
		{Name: "a department may not decide", Method: "POST", Path: "/api/v1/meetings/mtg-port-1/action-items", Actor: "handler",
			Body: good, Status: 403},
	})
	if got := ts.count(t); got != n {
		t.Fatalf("refused creations stored %d items", got-n)
	}
	it := ts.create(t, "mtg-port-1", good)
	path := "/api/v1/action-items/" + it.ID
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the lead sees it", Method: "GET", Path: path, Actor: "handler", Status: 200, Contains: []string{`"lead_name":"区交通运输局"`, `"status":"open"`}},
		{Name: "another department does not", Method: "GET", Path: path, Actor: "handler-miit", Status: 404},
		{Name: "a liaison sees no action items", Method: "GET", Path: path, Actor: "liaison", Status: 403},
		{Name: "progress 101", Method: "POST", Path: path + "/progress", Actor: "handler", Body: map[string]any{"percent": 101, "note": "超过一百"},
			Status: 400, Contains: []string{`"percent":"完成进度应为 0–100 的整数"`}},
		{Name: "progress -1", Method: "POST", Path: path + "/progress", Actor: "handler", Body: map[string]any{"percent": -1, "note": "负数进度"},
			Status: 400},
		{Name: "done without evidence", Method: "POST", Path: path + "/progress", Actor: "handler", Body: map[string]any{"percent": 100, "note": "已办结"},
			Status: 400, Contains: []string{"标记办结需上传佐证材料"}},
		{Name: "confirm without evidence", Method: "POST", Path: path + "/confirm", Actor: "committee", Status: 400, Contains: []string{"佐证材料"}},
		{Name: "the committee may not report", Method: "POST", Path: path + "/progress", Actor: "committee",
			Body: map[string]any{"percent": 10, "note": "党委代报"}, Status: 403},
	})
	if got := ts.stored(t, it.ID); got.Version != it.Version || len(got.Updates) != 0 {
		t.Fatalf("refused reports changed the item: %+v", got)
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "progress 40", Method: "POST", Path: path + "/progress", Actor: "handler", Body: map[string]any{"percent": 40, "note": "已会商通行方案"},
			Status: 200, Contains: []string{`"status":"in_progress"`, `"progress":40`}},
	})
	body, headers := actMultipart(t, "file", "现场照片.png", actPNG, url.Values{"note": {"通行方案实施现场"}})
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: path + "/evidence", Actor: "depthead", Body: body, Headers: headers})
	if res.Code != 201 {
		t.Fatalf("evidence: %d %s", res.Code, res.Body.String())
	}
	var withEvidence portal.ActionItem
	portaltest.DecodeJSON(t, res, &withEvidence)
	aid := withEvidence.Updates[1].Evidence[0].ID
	body, headers = actMultipart(t, "file", "a.txt", []byte("just some text, not an image"), nil)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "evidence that is not an image", Method: "POST", Path: path + "/evidence", Actor: "handler", Body: body, Headers: headers,
			Status: 400, Contains: []string{"不是图片"}},
		{Name: "download evidence", Method: "GET", Path: path + "/evidence/" + aid, Actor: "committee", Status: 200,
			Header: map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
				"Content-Type": "image/png"}},
		{Name: "evidence of an item not seen", Method: "GET", Path: path + "/evidence/" + aid, Actor: "handler-miit", Status: 404},
		{Name: "done with evidence on file", Method: "POST", Path: path + "/progress", Actor: "handler",
			Body: map[string]any{"percent": 100, "note": "通行证已发放完毕"}, Status: 200, Contains: []string{`"awaiting_confirm":true`}},
		{Name: "the dispatcher reads but may not confirm", Method: "POST", Path: path + "/confirm", Actor: "dispatcher", Status: 403},
		{Name: "send back without a reason", Method: "POST", Path: path + "/confirm", Actor: "committee", Body: map[string]any{"send_back": true},
			Status: 400, Contains: []string{"退回原因"}},
		{Name: "confirm", Method: "POST", Path: path + "/confirm", Actor: "committee", Status: 200, Contains: []string{`"status":"done"`}},
		{Name: "cancel a done item", Method: "POST", Path: path + "/cancel", Actor: "committee", Body: map[string]any{"reason": "不需要了"}, Status: 409},
		{Name: "board as the committee", Method: "GET", Path: "/api/v1/action-items?status=all", Actor: "committee", Status: 200,
			Contains: []string{`"total":1`, it.ID}},
		{Name: "board as another department", Method: "GET", Path: "/api/v1/action-items?status=all", Actor: "handler-miit", Status: 200,
			Contains: []string{`"total":0`}},
		{Name: "board with a bad status", Method: "GET", Path: "/api/v1/action-items?status=late", Actor: "admin", Status: 400},
		{Name: "the meeting's items", Method: "GET", Path: "/api/v1/meetings/mtg-port-1/action-items", Actor: "dispatcher", Status: 200,
			Contains: []string{it.ID}},
	})
}

// TestBoardPages drives the board, the lists, an item's page and its
// forms, the exports and the printable minutes as each kind of user.
func TestBoardPages(t *testing.T) {
	ts := newActServer(t)
	a := ts.create(t, "mtg-port-1", map[string]any{"title": "协调港区夜间集卡通行", "lead_unit_id": "dept-trans", "due": dueIn(10)})
	b := ts.create(t, "mtg-port-2", map[string]any{"title": "港区用工专场招聘会", "lead_unit_id": "dept-hrss", "due": dueIn(20)})
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "board as the committee", Method: "GET", Path: "/board", Actor: "committee", Status: 200,
			Contains: []string{"议定事项督查看板", a.Title, b.Title, `name="ids"`, "批量督查所选事项", "/board/export?format=xlsx"}},
		{Name: "board as a department has no review form", Method: "GET", Path: "/board", Actor: "handler", Status: 200,
			Contains: []string{a.Title}, NotContains: []string{b.Title, "批量督查所选事项"}},
		{Name: "board empty state", Method: "GET", Path: "/board", Actor: "handler-fin", Status: 200, Contains: []string{"暂无未办结的议定事项"}},
		{Name: "board filtered to nothing", Method: "GET", Path: "/board?q=不存在的事项", Actor: "committee", Status: 200,
			Contains: []string{"没有符合条件的议定事项"}},
		{Name: "board refuses a liaison", Method: "GET", Path: "/board", Actor: "liaison", Status: 403},
		{Name: "a department's list", Method: "GET", Path: "/action-items", Actor: "handler-hrss", Status: 200,
			Contains: []string{b.Title}, NotContains: []string{a.Title}},
		{Name: "item page for the lead has the upload form", Method: "GET", Path: "/action-items/" + a.ID, Actor: "handler", Status: 200,
			Contains: []string{`enctype="multipart/form-data"`, `name="evidence"`, `capture="environment"`}, NotContains: []string{"撤销事项"}},
		{Name: "item page for the committee has its forms", Method: "GET", Path: "/action-items/" + a.ID, Actor: "committee", Status: 200,
			Contains: []string{"修改事项", "撤销事项", "分解子事项"}, NotContains: []string{"提交进展"}},
		{Name: "item page of another chain", Method: "GET", Path: "/action-items/" + a.ID, Actor: "handler-miit", Status: 404},
		{Name: "new item form", Method: "GET", Path: "/meetings/mtg-port-1/action-items/new", Actor: "committee", Status: 200,
			Contains: []string{"确定议定事项", "区交通运输局", "上级事项"}},
		{Name: "new item form refused to a department", Method: "GET", Path: "/meetings/mtg-port-1/action-items/new", Actor: "handler", Status: 403},
	})

	// The lead reports done with a photo from the page form, the committee confirms.
	body, headers := actMultipart(t, "evidence", "现场.png", actPNG, url.Values{"percent": {"100"}, "note": {"已完成并拍照留存"},
		csrfField: {adminTestCSRF}})
	headers["Cookie"] = csrfCookie + "=" + adminTestCSRF
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/action-items/" + a.ID + "/progress", Actor: "handler",
		Body: body, Headers: headers})
	if res.Code != 303 || !strings.Contains(flashOf(t, res), "已报办结") {
		t.Fatalf("page report: %d %q", res.Code, flashOf(t, res))
	}
	post := func(actor, path string, v url.Values) *httptest.ResponseRecorder {
		body, headers := adminFormBody(v)
		return ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: path, Actor: actor, Body: body, Headers: headers})
	}
	res = post("committee", "/action-items/"+a.ID+"/send-back", url.Values{"note": {""}})
	if !strings.Contains(flashOf(t, res), "退回原因") || ts.stored(t, a.ID).Status == portal.ActionDone {
		t.Errorf("send back without a reason: %q", flashOf(t, res))
	}
	res = post("committee", "/action-items/"+a.ID+"/confirm", url.Values{"note": {"同意"}})
	if res.Code != 303 || flashOf(t, res) != "已确认办结" || ts.stored(t, a.ID).Status != portal.ActionDone {
		t.Errorf("confirm from the page: %d %q", res.Code, flashOf(t, res))
	}
	// Bulk review from the board.
	res = post("committee", "/board/review", url.Values{"ids": {b.ID}, "action": {"ask_update"}, "note": {"请尽快报送"}, "back": {"?status=active"}})
	if res.Code != 303 || res.Header().Get("Location") != "/board?status=active" || !strings.Contains(flashOf(t, res), "已对 1 项") {
		t.Errorf("review: %d %s %q", res.Code, res.Header().Get("Location"), flashOf(t, res))
	}
	res = post("handler", "/board/review", url.Values{"ids": {b.ID}, "action": {"reviewed"}})
	if ts.stored(t, b.ID).ReviewNote != "请尽快报送" || !strings.Contains(flashOf(t, res), "只有") {
		t.Errorf("a department's review: %q", flashOf(t, res))
	}
	// Creating from the form.
	res = post("committee", "/meetings/mtg-port-2/action-items", url.Values{"title": {"子事项：发放通行证"}, "lead_unit_id": {"sd-haigang"},
		"due": {dueIn(5)}, "priority": {"normal"}, "parent_id": {b.ID}, "weight": {"40"}})
	if res.Code != 303 || !strings.HasPrefix(res.Header().Get("Location"), "/action-items/") {
		t.Errorf("create from the form: %d %q", res.Code, flashOf(t, res))
	}
	res = post("committee", "/meetings/mtg-port-1/action-items", url.Values{"title": {"过去的事项"}, "lead_unit_id": {"dept-trans"},
		"due": {dueIn(-2)}})
	if !strings.Contains(flashOf(t, res), "办结时限不能早于今天") {
		t.Errorf("past due from the form: %q", flashOf(t, res))
	}

	// Exports.
	res = ts.call(t, "committee", "GET", "/board/export?status=all&format=xlsx", nil)
	if res.Code != 200 {
		t.Fatalf("xlsx export: %d %s", res.Code, res.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	portaltest.Must(t, err, "open the xlsx")
	rows, err := f.GetRows("议定事项清单")
	portaltest.Must(t, err, "rows")
	if len(rows) != 4 || rows[0][2] != "议定事项" || !strings.Contains(strings.Join(rows[1], "|"), "（子事项，权重 40）") ||
		!strings.Contains(strings.Join(rows[3], "|"), a.Title+"|区交通运输局") {
		t.Errorf("xlsx rows: %v", rows)
	}
	res = ts.call(t, "committee", "GET", "/board/export?format=csv", nil)
	if res.Code != 200 || !strings.HasPrefix(res.Body.String(), "\uFEFF序号,会议,议定事项") || strings.Contains(res.Body.String(), a.Title) {
		t.Errorf("csv export of the open items: %d %q", res.Code, res.Body.String())
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "export format", Method: "GET", Path: "/board/export?format=pdf", Actor: "committee", Status: 400},
		{Name: "printable minutes", Method: "GET", Path: "/meetings/mtg-port-1/print", Actor: "committee", Status: 200,
			Contains: []string{"会议纪要", "会议研究了港区集疏运和用工问题", a.Title, "/static/css/actions.css", "window.print()", "区交通运输局"}},
		{Name: "printable minutes of another chain", Method: "GET", Path: "/meetings/mtg-jewelry-1/print", Actor: "committee", Status: 404},
		{Name: "printable minutes for an attending department", Method: "GET", Path: "/meetings/mtg-port-1/print", Actor: "handler-hrss", Status: 200,
			NotContains: []string{a.Title}},
	})
	css := ts.call(t, "", "GET", "/static/css/actions.css", nil)
	if !strings.Contains(css.Body.String(), "@media print") {
		t.Error("the print stylesheet has no print rules")
	}
	res = ts.call(t, "committee", "GET", "/meetings/mtg-port-1/export.xlsx", nil)
	if res.Code != 200 {
		t.Fatalf("meeting export: %d %s", res.Code, res.Body.String())
	}
	f, err = excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	portaltest.Must(t, err, "open the meeting xlsx")
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "会议纪要" || got[1] != "议定事项" {
		t.Errorf("sheets %v", got)
	}
	minutes, err := f.GetCellValue("会议纪要", "B8")
	portaltest.Must(t, err, "minutes cell")
	items, err := f.GetRows("议定事项")
	portaltest.Must(t, err, "items")
	if !strings.Contains(minutes, "集疏运") || len(items) != 2 || !strings.Contains(strings.Join(items[1], "|"), a.Title) {
		t.Errorf("meeting xlsx: minutes %q, items %v", minutes, items)
	}
}

// authzActionTable is the matrix of the action item routes (api_action_items.go).
func authzActionTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const ok, created, forbidden, notFound = http.StatusOK, http.StatusCreated, http.StatusForbidden, http.StatusNotFound
	// Roles that see no action items are refused whatever the id.
	base := func(m authzBy[int]) authzBy[int] {
		out := authzBy[int]{"*": forbidden}
		for k, v := range m {
			out[k] = v
		}
		return authzSignedIn(out)
	}
	sees := base(authzBy[int]{"admin": ok, "dispatcher": ok, "committee/own": ok, "committee/other": notFound,
		"handler/own": ok, "handler/other": notFound, "depthead/own": ok, "depthead/other": notFound})
	decides := func(status int) authzBy[int] {
		return base(authzBy[int]{"admin": status, "committee/own": status, "committee/other": notFound,
			"handler/other": notFound, "depthead/other": notFound})
	}
	reports := func(status int) authzBy[int] {
		return base(authzBy[int]{"handler/own": status, "depthead/own": status, "handler/other": notFound, "depthead/other": notFound,
			"committee/other": notFound})
	}
	newItem := map[string]any{"title": "矩阵新定的事项", "lead_unit_id": "dept-trans", "due": dueIn(15)}
	refusedItem := map[string]any{"title": "越权新定的事项", "lead_unit_id": "dept-trans", "due": dueIn(15)}
	progress := map[string]any{"percent": 10, "note": "矩阵进展"}
	refusedProgress := map[string]any{"percent": 10, "note": "越权报送的进展"}
	noRefused := authzBy[func(*testing.T, *authzFixture)]{"*": authzNoRefusedActionWrites}
	return map[string]authzRoute{
		"GET /api/v1/meetings/:id/action-items": {id: "$act-meeting", want: base(authzBy[int]{"admin": ok, "dispatcher": ok,
			"committee/own": ok, "committee/other": notFound, "handler/own": ok, "handler/other": notFound,
			"depthead/own": ok, "depthead/other": notFound})},
		"POST /api/v1/meetings/:id/action-items": {id: "$act-meeting",
			want: base(authzBy[int]{"admin": created, "committee/own": created, "committee/other": notFound}),
			body: authzBy[any]{"*": refusedItem, "admin": newItem, "committee/own": newItem}, after: noRefused},
		"GET /api/v1/action-items": {want: base(authzBy[int]{"admin": ok, "dispatcher": ok, "committee": ok, "handler": ok, "depthead": ok})},
		"POST /api/v1/action-items/review": {
			want: base(authzBy[int]{"admin": ok, "committee": ok}),
			body: authzBy[any]{"*": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
				return map[string]any{"ids": []string{f.resolveAction(t, "act-item", "committee", "own")}, "action": "comment", "note": "越权督查意见"}
			}), "admin": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
				return map[string]any{"ids": []string{f.resolveAction(t, "act-item", "admin", "own")}, "action": "reviewed"}
			}), "committee": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
				return map[string]any{"ids": []string{f.resolveAction(t, "act-item", "committee", "own")}, "action": "comment", "note": "矩阵督查意见"}
			})},
			after: noRefused,
		},
		"GET /api/v1/action-items/:id":               {id: "$act-item", want: sees},
		"GET /api/v1/action-items/:id/evidence/:aid": {id: "$act-evidence", want: sees},
		"PATCH /api/v1/action-items/:id":             {id: "$act-item", want: decides(ok), body: authzBy[any]{"*": map[string]any{"title": "越权改名的事项"}, "admin": map[string]any{"title": "矩阵改名的事项"}, "committee/own": map[string]any{"title": "矩阵改名的事项"}}, after: noRefused},
		"POST /api/v1/action-items/:id/progress":     {id: "$act-item", want: reports(ok), body: authzBy[any]{"*": refusedProgress, "handler/own": progress, "depthead/own": progress}, after: noRefused},
		"POST /api/v1/action-items/:id/evidence":     {id: "$act-item", want: reports(created), body: authzBy[any]{"*": authzUpload(t, "越权.png", actPNG), "handler/own": authzUpload(t, "现场.png", actPNG), "depthead/own": authzUpload(t, "现场.png", actPNG)}, after: noRefused},
		"POST /api/v1/action-items/:id/confirm":      {id: "$act-confirm", want: decides(ok), body: authzBy[any]{"*": map[string]any{}}, after: noRefused},
		"POST /api/v1/action-items/:id/cancel":       {id: "$act-cancel", want: decides(ok), body: authzBy[any]{"*": map[string]any{"reason": "越权撤销"}, "admin": map[string]any{"reason": "矩阵撤销"}, "committee/own": map[string]any{"reason": "矩阵撤销"}}, after: noRefused},
	}
}

// authzNoRefusedActionWrites fails when a refused row left its mark on an
// action item: a title, note, reason or review, or an evidence file.
func authzNoRefusedActionWrites(t *testing.T, f *authzFixture) {
	t.Helper()
	re := bson.M{"$regex": authzMarker}
	n, err := f.db.Database().Collection("action_items").CountDocuments(context.Background(), bson.M{"$or": bson.A{
		bson.M{"title": re}, bson.M{"updates.note": re}, bson.M{"updates.evidence.name": re}, bson.M{"cancel_reason": re},
		bson.M{"review_note": re}, bson.M{"events.note": re}}})
	portaltest.Must(t, err, "search action items")
	if n > 0 {
		t.Errorf("%d action items hold a change a refused row sent", n)
	}
	for _, id := range []string{"act-confirm-shared port", "act-confirm-shared jewelry", "act-cancel-shared port", "act-cancel-shared jewelry"} {
		if x, ok := f.requests[id]; ok {
			it, err := f.srv.opt.ActionItems.Store.FindActionItemByID(context.Background(), x)
			portaltest.Must(t, err, "load %s", x)
			if it.Final() {
				t.Errorf("the shared item %s was %s by a refused row", id, it.Status)
			}
		}
	}
}

// resolveAction makes the action item fixtures on first use (meetings of
// both chains; a shared item each with evidence; items waiting for
// confirmation) and returns the id an actor's row names. Rows allowed to
// confirm or cancel get an item of their own each.
func (f *authzFixture) resolveAction(t *testing.T, kind, actor, object string) string {
	t.Helper()
	ctx := context.Background()
	svc := f.srv.opt.ActionItems
	if _, ok := f.requests["act-meeting port"]; !ok {
		past := time.Now().AddDate(0, 0, -2)
		portaltest.InsertMeeting(t, f.db, portaltest.PortMeeting("authz-mtg-port", past), portaltest.JewelryMeeting("authz-mtg-jewelry", past))
		f.requests["act-meeting port"], f.requests["act-meeting jewelry"] = "authz-mtg-port", "authz-mtg-jewelry"
	}
	side := "port"
	if object == "other" {
		side = "jewelry"
	}
	as := func(username string) context.Context {
		u, err := mongostore.NewUserStore(f.db).FindUserByUsername(ctx, username)
		portaltest.Must(t, err, "user %s", username)
		return portal.WithActor(ctx, u.Actor())
	}
	lead := map[string]string{"port": "dept-trans", "jewelry": "dept-miit"}[side]
	handler := map[string]string{"port": "handler", "jewelry": "handler-miit"}[side]
	mk := func(name string, awaiting bool) string {
		it, err := svc.Create(as("admin"), f.requests["act-meeting "+side], portal.ActionItemInput{Title: "矩阵事项 " + name,
			LeadUnitID: lead, Due: dueIn(10)})
		portaltest.Must(t, err, "item %s", name)
		if awaiting {
			_, err = svc.Report(as(handler), it.ID, portal.ProgressInput{Percent: ptrInt(100), Note: "矩阵报办结"},
				[]portal.Upload{{Name: "现场.png", Content: actPNG}})
			portaltest.Must(t, err, "report %s", name)
		}
		return it.ID
	}
	shared := func(key string, awaiting bool) string {
		k := key + " " + side
		if id, ok := f.requests[k]; ok {
			return id
		}
		f.requests[k] = mk(k, awaiting)
		return f.requests[k]
	}
	own := actor == "admin" || (actor == "committee" && object == "own")
	switch kind {
	case "act-meeting":
		return f.requests["act-meeting "+side]
	case "act-item":
		return shared("act-item", false)
	case "act-evidence":
		id := shared("act-evidence", true)
		it, err := svc.Store.FindActionItemByID(ctx, id)
		portaltest.Must(t, err, "load %s", id)
		return id + "/" + it.Updates[0].Evidence[0].ID
	case "act-confirm":
		if own {
			return mk(fmt.Sprintf("confirm %s %s", actor, object), true)
		}
		return shared("act-confirm-shared", true)
	case "act-cancel":
		if own {
			return mk(fmt.Sprintf("cancel %s %s", actor, object), false)
		}
		return shared("act-cancel-shared", false)
	}
	return ""
}

func ptrInt(n int) *int { return &n }
