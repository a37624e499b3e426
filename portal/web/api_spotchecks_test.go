package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// testSpotCheckService is the spot check service on db over reqs, on the
// real clock in zone.
func testSpotCheckService(db *mongostore.DB, reqs *portal.RequestService, audit *portal.Auditor, zone *time.Location) *portal.SpotCheckService {
	return &portal.SpotCheckService{Store: mongostore.NewSpotCheckStore(db), Requests: reqs, Users: reqs.Users, Audit: audit,
		Zone: zone, Now: time.Now}
}

// spotSeedClosed stores n closed requests of each department, closed in
// the month before svc's current one: in the port-side dept-trans a
// satisfied answer, in dept-fin closed without one (未评价). It returns the
// month.
func spotSeedClosed(t *testing.T, db *mongostore.DB, svc *portal.SpotCheckService, prefix string, n int) string {
	t.Helper()
	month := svc.LastMonth()
	from, _, _ := svc.MonthRange(month)
	var rs []*portal.Request
	for i := 0; i < n; i++ {
		for _, d := range []struct{ id, name string }{{"dept-trans", "区交通运输局"}, {"dept-fin", "区金融工作局"}} {
			at := from.Add(time.Duration(24*(i+1)) * time.Hour)
			r := &portal.Request{ID: fmt.Sprintf("%s-%s-%02d", prefix, d.id, i), No: fmt.Sprintf("HQ-%s-%s-%02d", prefix, d.id, i),
				EnterpriseID: "ent-001", EnterpriseName: "海湾国际物流有限公司", ContactName: "陈海燕", ContactPhone: "13800138001",
				LiaisonID: "u-liaison", ChainIDs: []string{"chain-port"}, Title: fmt.Sprintf("港区通行证续办 %d", i),
				Description: "抽查测试用的已关闭诉求。", Category: "traffic", Type: portal.TypeHelp, Channel: portal.ChannelPortal,
				FiledByID: "u-enterprise", FiledByName: "陈海燕", Status: portal.StatusClosed, Tier: portal.TierA,
				DepartmentID: d.id, DepartmentName: d.name, Attachments: []portal.Attachment{}, Unrated: d.id == "dept-fin",
				Timeline: []portal.Event{{At: at, ActorName: "系统", Action: "close", To: portal.StatusClosed}},
				Version:  4, CreatedAt: at.AddDate(0, 0, -3), UpdatedAt: at, ResolvedAt: &at, ClosedAt: &at}
			if d.id == "dept-trans" {
				r.Feedback = &portal.Feedback{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied, Via: portal.ViaLink, At: at}
			}
			rs = append(rs, r)
		}
	}
	portaltest.Must(t, mongostore.NewRequestStore(db, time.UTC).InsertRequests(context.Background(), rs), "closed requests")
	return month
}

// newSpotServer is the request test server with spot checks, one more
// dispatcher, and closed requests of last month: 4 of dept-trans, 4 of
// dept-fin.
func newSpotServer(t *testing.T) (*reqServer, string) {
	t.Helper()
	ts := newReqServer(t)
	ts.opt.Location = time.FixedZone("CST", 8*3600)
	ts.opt.SpotChecks = testSpotCheckService(ts.w.DB, ts.w.Requests, ts.w.Requests.Audit, ts.opt.Location)
	hash, err := reqTestHash()
	portaltest.Must(t, err, "hash")
	portaltest.Must(t, ts.w.Users.CreateUser(context.Background(), &portal.User{ID: "u-dispatcher2", Username: "dispatcher2",
		DisplayName: "第二分拨员", Roles: []portal.Role{portal.RoleDispatcher}, UnitID: "district", Status: portal.UserActive,
		PasswordHash: hash}), "dispatcher2")
	return ts, spotSeedClosed(t, ts.w.DB, ts.opt.SpotChecks, "sc", 4)
}

// spotCount counts the stored spot checks.
func spotCount(t *testing.T, db *mongostore.DB) int64 {
	t.Helper()
	n, err := db.Database().Collection("spot_checks").CountDocuments(context.Background(), bson.D{})
	portaltest.Must(t, err, "count spot checks")
	return n
}

func TestSpotCheckAPI(t *testing.T) {
	ts, month := newSpotServer(t)
	body := func(percent any) map[string]any {
		return map[string]any{"month": month, "percent": percent, "seed": 77, "reviewer_ids": []string{"u-dispatcher", "u-admin"}}
	}
	none := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := spotCount(t, ts.w.DB); n != 0 {
			t.Errorf("a refused draw stored %d checks", n)
		}
	}
	future := time.Now().In(ts.opt.Location).AddDate(0, 2, 0).Format("2006-01")
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "anonymous", Method: "POST", Path: "/api/v1/spot-checks", Body: body(50), Status: 401, After: none},
		{Name: "dispatcher may not draw", Method: "POST", Path: "/api/v1/spot-checks", Actor: "dispatcher", Body: body(50), Status: 403,
			Contains: []string{"只有系统管理员可以发起抽查"}, After: none},
		{Name: "percent abc", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin", Body: body("abc"), Status: 400,
			Contains: []string{`"percent"`}, After: none},
		{Name: "percent 0", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin", Body: body(0), Status: 400,
			Contains: []string{`"percent":"抽查比例须为 1–100 之间的整数"`}, After: none},
		{Name: "percent 101", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin", Body: body(101), Status: 400,
			Contains: []string{`"percent"`}, After: none},
		{Name: "bad month", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin",
			Body: map[string]any{"month": "2026年10月", "percent": 10, "reviewer_ids": []string{"u-dispatcher"}}, Status: 400,
			Contains: []string{`"month":"月份格式应为 YYYY-MM`}, After: none},
		{Name: "future month", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin",
			Body: map[string]any{"month": future, "percent": 10, "reviewer_ids": []string{"u-dispatcher"}}, Status: 400,
			Contains: []string{"不能抽查尚未到来的月份"}, After: none},
		{Name: "reviewer without the role", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin",
			Body: map[string]any{"month": month, "percent": 10, "reviewer_ids": []string{"u-handler"}}, Status: 400,
			Contains: []string{`"reviewer_ids":"核查人“交通运输局 承办人”不是分拨员或系统管理员"`}, After: none},
		{Name: "unknown reviewer", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin",
			Body: map[string]any{"month": month, "percent": 10, "reviewer_ids": []string{"u-ghost"}}, Status: 400,
			Contains: []string{"核查人不存在"}, After: none},
		{Name: "unknown field", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin",
			Body: map[string]any{"month": month, "percent": 10, "reviewer_ids": []string{"u-admin"}, "size": 3}, Status: 400, After: none},
		{Name: "nothing closed that month", Method: "POST", Path: "/api/v1/spot-checks", Actor: "admin",
			Body: map[string]any{"month": "2024-02", "percent": 10, "reviewer_ids": []string{"u-admin"}}, Status: 422,
			Contains: []string{`"message":"该月没有已关闭的诉求"`}, After: none},
		{Name: "enterprise lists", Method: "GET", Path: "/api/v1/spot-checks", Actor: "enterprise", Status: 403},
	})

	var check portal.SpotCheck
	ts.must(t, http.StatusCreated, "admin", "POST", "/api/v1/spot-checks", body(50), &check)
	if check.Seed != 77 || check.Sampled != 4 || len(check.Strata) != 2 || check.Strata[0].Population != 4 || check.Strata[0].Sample != 2 {
		t.Fatalf("drew %+v", check)
	}
	var again portal.SpotCheck
	ts.must(t, http.StatusCreated, "admin", "POST", "/api/v1/spot-checks", body(50), &again)
	var first, second portal.SpotCheckView
	ts.must(t, http.StatusOK, "admin", "GET", "/api/v1/spot-checks/"+check.ID, nil, &first)
	ts.must(t, http.StatusOK, "admin", "GET", "/api/v1/spot-checks/"+again.ID, nil, &second)
	for i := range first.Items {
		if first.Items[i].RequestID != second.Items[i].RequestID {
			t.Errorf("the same seed drew %s, then %s", first.Items[i].RequestID, second.Items[i].RequestID)
		}
	}

	// The dispatcher's item of the unrated department: verifying it
	// unsolved is a discrepancy.
	var mine portal.SpotCheckView
	ts.must(t, http.StatusOK, "dispatcher", "GET", "/api/v1/spot-checks/"+check.ID+"?department=dept-fin", nil, &mine)
	if !mine.OwnItemsOnly || mine.Total != 1 || mine.Items[0].ReviewerID != "u-dispatcher" || mine.Items[0].ContactPhone != "13800138001" {
		t.Fatalf("dispatcher's dept-fin items: %+v", mine)
	}
	it := mine.Items[0]
	verify := "/api/v1/spot-checks/" + check.ID + "/items/" + it.RequestID + "/verify"
	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if r := ts.stored(t, it.RequestID); r.Verified != nil || r.Version != 4 {
			t.Errorf("a refused verification changed the request: %+v, version %d", r.Verified, r.Version)
		}
	}
	good := map[string]any{"solved": "unsolved", "satisfaction": "basic", "note": "企业称问题仍未解决"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "other reviewer", Method: "POST", Path: verify, Actor: "dispatcher2", Body: good, Status: 404, After: unchanged},
		{Name: "handler", Method: "POST", Path: verify, Actor: "handler", Body: good, Status: 403, After: unchanged},
		{Name: "no answer", Method: "POST", Path: verify, Actor: "dispatcher", Body: map[string]any{"note": "打不通"}, Status: 400,
			Contains: []string{`"solved":`, `"satisfaction":`}, After: unchanged},
		{Name: "unknown answer", Method: "POST", Path: verify, Actor: "dispatcher",
			Body: map[string]any{"solved": "maybe", "satisfaction": "basic"}, Status: 400, Contains: []string{`"solved":`}, After: unchanged},
		{Name: "verify", Method: "POST", Path: verify, Actor: "dispatcher", Body: good, Status: 200,
			Contains: []string{`"state":"discrepancy"`, `"discrepancy":true`}},
		{Name: "twice", Method: "POST", Path: verify, Actor: "dispatcher", Body: good, Status: 409,
			Contains: []string{"该抽查项已核实，每项只能核实一次"}},
		{Name: "admin lists", Method: "GET", Path: "/api/v1/spot-checks", Actor: "admin", Status: 200,
			Contains: []string{`"total":2`, `"discrepancies":1`}},
		{Name: "uninvolved dispatcher lists none", Method: "GET", Path: "/api/v1/spot-checks",
			Actor: "dispatcher2", Status: 200, Contains: []string{`"total":0`}},
	})
	r := ts.stored(t, it.RequestID)
	if r.Verified == nil || !r.Verified.Discrepancy || r.Verified.Solved != portal.Unsolved || r.Timeline[len(r.Timeline)-1].Action != "spot_check" {
		t.Errorf("request after verification: %+v", r.Verified)
	}

	// The admin gives a pending item to the second dispatcher, who then
	// sees the check.
	var all portal.SpotCheckView
	ts.must(t, http.StatusOK, "admin", "GET", "/api/v1/spot-checks/"+check.ID+"?state=pending", nil, &all)
	pending := all.Items[0]
	reassign := "/api/v1/spot-checks/" + check.ID + "/items/" + pending.RequestID + "/reassign"
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "dispatcher may not reassign", Method: "POST", Path: reassign, Actor: "dispatcher", Body: map[string]any{"reviewer_id": "u-dispatcher2"}, Status: 403},
		{Name: "to a handler", Method: "POST", Path: reassign, Actor: "admin", Body: map[string]any{"reviewer_id": "u-handler"}, Status: 400,
			Contains: []string{`"reviewer_id":`}},
		{Name: "reassign", Method: "POST", Path: reassign, Actor: "admin", Body: map[string]any{"reviewer_id": "u-dispatcher2"}, Status: 200,
			Contains: []string{`"reviewer_id":"u-dispatcher2"`}},
		{Name: "new reviewer sees it", Method: "GET", Path: "/api/v1/spot-checks/" + check.ID, Actor: "dispatcher2", Status: 200,
			Contains: []string{pending.RequestID}},
		{Name: "verified item cannot move", Method: "POST", Path: "/api/v1/spot-checks/" + check.ID + "/items/" + it.RequestID + "/reassign",
			Actor: "admin", Body: map[string]any{"reviewer_id": "u-dispatcher2"}, Status: 409},
	})
}

func TestSpotCheckPages(t *testing.T) {
	ts, month := newSpotServer(t)
	p, err := loadPages(ts.opt.Location)
	portaltest.Must(t, err, "pages")
	ts.pages = p
	created := func(t *testing.T, res *httptest.ResponseRecorder) {
		if loc := res.Header().Get("Location"); !strings.HasPrefix(loc, "/spot-checks/") {
			t.Errorf("Location %q", loc)
		}
		if n := spotCount(t, ts.w.DB); n != 1 {
			t.Errorf("%d checks stored, want 1", n)
		}
	}
	none := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := spotCount(t, ts.w.DB); n != 0 {
			t.Errorf("a refused form stored %d checks", n)
		}
	}
	form := func(name, actor string, v url.Values) portaltest.Scenario {
		return pageForm(name, actor, "/admin/spot-checks", v)
	}
	badPercent := form("percent abc", "admin", url.Values{"month": {month}, "percent": {"abc"}, "reviewer_ids": {"u-dispatcher"}})
	badPercent.Status, badPercent.Contains, badPercent.After = 400, []string{"抽查比例须为 1–100 之间的整数", `value="abc"`}, none
	badSeed := form("seed abc", "admin", url.Values{"month": {month}, "percent": {"10"}, "seed": {"abc"}, "reviewer_ids": {"u-dispatcher"}})
	badSeed.Status, badSeed.Contains, badSeed.After = 400, []string{"随机种子须为 0–9007199254740991 之间的整数"}, none
	noReviewer := form("no reviewer", "admin", url.Values{"month": {month}, "percent": {"10"}})
	noReviewer.Status, noReviewer.Contains, noReviewer.After = 400, []string{"请至少选择一名核查人"}, none
	empty := form("empty month", "admin", url.Values{"month": {"2024-02"}, "percent": {"10"}, "reviewer_ids": {"u-dispatcher"}})
	empty.Status, empty.Contains, empty.After = 422, []string{"该月没有已关闭的诉求"}, none
	refused := form("dispatcher may not draw", "dispatcher", url.Values{"month": {month}, "percent": {"10"}, "reviewer_ids": {"u-dispatcher"}})
	refused.Status, refused.After = 403, none
	ok := form("draw", "admin", url.Values{"month": {month}, "percent": {"100"}, "seed": {"9"}, "reviewer_ids": {"u-dispatcher", "u-admin"}})
	ok.Status, ok.After = 303, created
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin list, empty", Method: "GET", Path: "/admin/spot-checks", Actor: "admin", Status: 200,
			Contains: []string{"发起抽查", `name="percent"`, `value="u-dispatcher" checked`, "还没有发起过抽查", `name="csrf_token"`}},
		{Name: "dispatcher may not open the admin page", Method: "GET", Path: "/admin/spot-checks", Actor: "dispatcher", Status: 403},
		{Name: "enterprise queue", Method: "GET", Path: "/spot-checks/mine", Actor: "enterprise", Status: 403},
		{Name: "empty queue", Method: "GET", Path: "/spot-checks/mine", Actor: "dispatcher", Status: 200, Contains: []string{"没有待核实的诉求"}},
		badPercent, badSeed, noReviewer, empty, refused, ok,
	})

	list, err := ts.opt.SpotChecks.List(ts.w.As(t, "admin"), "", 1, 10)
	portaltest.Must(t, err, "list")
	check := list.Items[0]
	v, err := ts.opt.SpotChecks.Get(ts.w.As(t, "dispatcher"), check.ID, portal.SpotCheckItemQuery{Department: "dept-trans"})
	portaltest.Must(t, err, "dispatcher's view")
	it := v.Items[0]
	verify := pageForm("verify by phone", "dispatcher", "/spot-checks/"+check.ID+"/items/"+it.RequestID+"/verify",
		url.Values{"solved": {"partly"}, "satisfaction": {"satisfied"}, "note": {"企业说只办了一半"}, "back": {"/spot-checks/mine"}})
	verify.Status, verify.After = 303, redirectsWithFlash("/spot-checks/mine", "与记录不一致，已在诉求上标记")
	badVerify := pageForm("verify without answers", "dispatcher", "/spot-checks/"+check.ID+"/items/"+v.Items[1].RequestID+"/verify",
		url.Values{"back": {"https://evil.example/"}})
	badVerify.Status = 303
	badVerify.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/spot-checks/mine", "请选择问题是否解决")(t, res)
		if r := ts.stored(t, v.Items[1].RequestID); r.Verified != nil {
			t.Errorf("a verification without answers was stored: %+v", r.Verified)
		}
	}
	again := pageForm("verify twice", "dispatcher", "/spot-checks/"+check.ID+"/items/"+it.RequestID+"/verify",
		url.Values{"solved": {"solved"}, "satisfaction": {"satisfied"}, "back": {"/spot-checks/" + check.ID}})
	again.Status, again.After = 303, redirectsWithFlash("/spot-checks/"+check.ID, "每项只能核实一次")
	pendingItem := v.Items[1]
	reassign := pageForm("admin reassigns", "admin", "/spot-checks/"+check.ID+"/items/"+pendingItem.RequestID+"/reassign",
		url.Values{"reviewer_id": {"u-dispatcher2"}, "back": {"/spot-checks/" + check.ID}})
	reassign.Status = 303
	reassign.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/spot-checks/"+check.ID, "已改由 第二分拨员 核查")(t, res)
		it, err := ts.opt.SpotChecks.Store.FindSpotCheckItem(context.Background(), check.ID, pendingItem.RequestID)
		portaltest.Must(t, err, "item")
		if it.ReviewerID != "u-dispatcher2" {
			t.Errorf("reassigned to %s", it.ReviewerID)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "queue shows contact and form", Method: "GET", Path: "/spot-checks/mine", Actor: "dispatcher", Status: 200,
			Contains: []string{"陈海燕", `href="tel:13800138001"`, `name="solved" value="unsolved"`, `name="satisfaction" value="dissatisfied"`,
				"解决 · 满意（企业在线评价）", "未评价", "提交核实结果"}},
		verify, badVerify, again,
		{Name: "check page marks the discrepancy", Method: "GET", Path: "/spot-checks/" + check.ID + "?state=discrepancy", Actor: "admin", Status: 200,
			Contains:    []string{"各单位抽样", "区交通运输局", "区金融工作局", it.RequestNo, "部分解决 · 满意", "不一致", "企业说只办了一半"},
			NotContains: []string{"改派"}},
		{Name: "check page offers reassignment of pending items", Method: "GET", Path: "/spot-checks/" + check.ID + "?state=pending", Actor: "admin",
			Status: 200, Contains: []string{"改派", `name="reviewer_id"`, "提交核实结果"}},
		{Name: "check page, other state", Method: "GET", Path: "/spot-checks/" + check.ID + "?state=verified&department=dept-fin", Actor: "admin",
			Status: 200, Contains: []string{"没有符合条件的抽查诉求"}},
		{Name: "check page bad filter", Method: "GET", Path: "/spot-checks/" + check.ID + "?state=done", Actor: "admin", Status: 400,
			Contains: []string{"核实状态应为"}},
		{Name: "request page shows the flag", Method: "GET", Path: "/requests/" + it.RequestID, Actor: "admin", Status: 200,
			Contains: []string{"抽查核实", "与记录不一致", "企业说只办了一半"}},
		{Name: "enterprise may not open a check", Method: "GET", Path: "/spot-checks/" + check.ID, Actor: "enterprise", Status: 403},
		{Name: "uninvolved dispatcher gets 404", Method: "GET", Path: "/spot-checks/" + check.ID, Actor: "dispatcher2", Status: 404},
		{Name: "unknown check", Method: "GET", Path: "/spot-checks/nope", Actor: "admin", Status: 404, Contains: []string{"抽查不存在"}},
		{Name: "admin list", Method: "GET", Path: "/admin/spot-checks", Actor: "admin", Status: 200,
			Contains: []string{month, "100%", "8 / 8", fmt.Sprintf("<code>%d</code>", 9)}},
		{Name: "export bad format", Method: "GET", Path: "/spot-checks/" + check.ID + "/export?format=pdf", Actor: "admin", Status: 400},
		{Name: "export hidden check", Method: "GET", Path: "/spot-checks/" + check.ID + "/export", Actor: "dispatcher2", Status: 404},
		{Name: "export csv", Method: "GET", Path: "/spot-checks/" + check.ID + "/export?format=csv&state=discrepancy", Actor: "admin", Status: 200,
			Contains: []string{"\uFEFF序号,诉求编号", it.RequestNo, "部分解决 · 满意", "结果不一致", "13800138001"}},
	})

	res := ts.call(t, "dispatcher", "GET", "/spot-checks/"+check.ID+"/export?format=xlsx", nil)
	if res.Code != http.StatusOK {
		t.Fatalf("xlsx export: %d %s", res.Code, res.Body.String())
	}
	x, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	portaltest.Must(t, err, "open xlsx")
	rows, err := x.GetRows(x.GetSheetName(0))
	portaltest.Must(t, err, "rows")
	if len(rows) != 5 || rows[0][0] != "序号" || rows[0][9] != "核实结果" {
		t.Fatalf("dispatcher's export: %d rows, header %v", len(rows), rows[0])
	}
	for _, row := range rows[1:] {
		if row[12] != "区企业服务中心 分拨员" {
			t.Errorf("dispatcher's export holds an item of %q", row[12])
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{reassign,
		{Name: "the new reviewer sees the check", Method: "GET", Path: "/spot-checks/" + check.ID, Actor: "dispatcher2", Status: 200,
			Contains: []string{pendingItem.RequestNo}},
	})
}

// authzSpotCheckTable is the matrix of the spot check routes. The
// fixture's checks (made on first use by resolveSpotCheck): "own" is one
// whose items take turns between the dispatcher and the admin, "other"
// one only the admin reviews.
func authzSpotCheckTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const ok, created, bad, forbidden, notFound = http.StatusOK, http.StatusCreated, http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound
	reviewers := authzSignedIn(authzBy[int]{"*": forbidden, "dispatcher": ok, "admin": ok})
	good := map[string]any{"solved": "solved", "satisfaction": "satisfied", "note": "越权核实"}
	allowed := map[string]any{"solved": "solved", "satisfaction": "satisfied", "note": "企业确认已解决"}
	refusedDraw := map[string]any{"month": "2024-01", "percent": 37, "seed": 1, "reviewer_ids": []string{"u-dispatcher"}}
	return map[string]authzRoute{
		"GET /api/v1/spot-checks": {want: reviewers,
			has: authzBy[[]string]{"*": nil, "dispatcher": {`"items":[`}, "admin": {`"items":[`}}},
		// Refused callers send a draw that would be stored (a month the
		// fixture has closed requests in, once seeded); the admin's is.
		"POST /api/v1/spot-checks": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin": created}),
			body: authzBy[any]{"*": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
				month := f.spotSeed(t)
				refusedDraw["month"] = month
				return refusedDraw
			}), "admin": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
				return map[string]any{"month": f.spotSeed(t), "percent": 10, "reviewer_ids": []string{"u-admin"}}
			})},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": authzNoRefusedDraw},
		},
		"GET /api/v1/spot-checks/:id": {id: "$spot-check",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "dispatcher/own": ok, "dispatcher/other": notFound, "admin": ok}),
			has:  authzBy[[]string]{"*": nil, "dispatcher/own": {`"own_items_only":true`}, "admin": {`"own_items_only":false`}}},
		// The dispatcher verifies an item of its own; another reviewer's
		// item is hidden from it (404). The admin verifies one, and sends
		// no answer for the other (400). Everyone else is refused.
		"POST /api/v1/spot-checks/:id/items/:request_id/verify": {id: "$spot-verify",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "dispatcher/own": ok, "dispatcher/other": notFound,
				"admin/own": ok, "admin/other": bad}),
			body: authzBy[any]{"*": good, "admin/other": map[string]any{},
				"dispatcher/own": allowed, "admin/own": allowed},
			has:   authzBy[[]string]{"*": nil, "dispatcher/own": {`"state":"verified"`}, "admin/own": {`"state":"verified"`}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": authzSpotUntouched},
		},
		// Only the admin reassigns: once, and once with no reviewer (400).
		"POST /api/v1/spot-checks/:id/items/:request_id/reassign": {id: "$spot-reassign",
			want: authzSignedIn(authzBy[int]{"*": forbidden, "admin/own": ok, "admin/other": bad}),
			body: authzBy[any]{"*": map[string]any{"reviewer_id": "u-admin"}, "admin/own": map[string]any{"reviewer_id": "u-dispatcher"},
				"admin/other": map[string]any{}},
			has:   authzBy[[]string]{"*": nil, "admin/own": {`"reviewer_id":"u-dispatcher"`}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": authzSpotUntouched},
		},
	}
}

// authzNoRefusedDraw fails when a refused row's draw (37 %) was stored.
func authzNoRefusedDraw(t *testing.T, f *authzFixture) {
	t.Helper()
	n, err := f.db.Database().Collection("spot_checks").CountDocuments(context.Background(), bson.D{{Key: "percent", Value: 37}})
	portaltest.Must(t, err, "count spot checks")
	if n > 0 {
		t.Errorf("a refused row drew %d spot checks", n)
	}
}

// authzSpotUntouched fails when the item refused rows aim at changed.
func authzSpotUntouched(t *testing.T, f *authzFixture) {
	t.Helper()
	it, err := mongostore.NewSpotCheckStore(f.db).FindSpotCheckItem(context.Background(), f.requests["spot check own"], f.requests["spot refused"])
	portaltest.Must(t, err, "the refused rows' item")
	if it.Version != 1 || it.Verified != nil || it.ReviewerID != "u-dispatcher" {
		t.Errorf("a refused row changed the item: %+v", it)
	}
	r, err := f.reqs.Store.FindRequestByID(context.Background(), it.RequestID)
	portaltest.Must(t, err, "the refused rows' request")
	if r.Verified != nil {
		t.Errorf("a refused row verified the request: %+v", r.Verified)
	}
}

// spotSeed stores, once per fixture, last month's closed requests and
// the two checks of the matrix, and returns the month.
func (f *authzFixture) spotSeed(t *testing.T) string {
	t.Helper()
	svc := f.srv.opt.SpotChecks
	if m, ok := f.requests["spot month"]; ok {
		return m
	}
	month := spotSeedClosed(t, f.db, svc, "authz", 5)
	admin := portal.WithActor(context.Background(), &portal.Actor{UserID: "u-admin", Username: "admin", DisplayName: "系统管理员",
		Roles: []portal.Role{portal.RoleAdmin}})
	own, err := svc.Create(admin, portal.SpotCheckInput{Month: month, Percent: 100, Seed: seedOf(3), ReviewerIDs: []string{"u-dispatcher", "u-admin"}})
	portaltest.Must(t, err, "the own spot check")
	other, err := svc.Create(admin, portal.SpotCheckInput{Month: month, Percent: 100, Seed: seedOf(4), ReviewerIDs: []string{"u-admin"}})
	portaltest.Must(t, err, "the other spot check")
	v, err := svc.Get(admin, own.ID, portal.SpotCheckItemQuery{PerPage: 100})
	portaltest.Must(t, err, "items")
	var dispatcher, admins []string
	for _, it := range v.Items {
		if it.ReviewerID == "u-dispatcher" {
			dispatcher = append(dispatcher, it.RequestID)
		} else {
			admins = append(admins, it.RequestID)
		}
	}
	if len(dispatcher) < 3 || len(admins) < 3 {
		t.Fatalf("the own check has %d items of the dispatcher and %d of the admin", len(dispatcher), len(admins))
	}
	f.requests["spot month"], f.requests["spot check own"], f.requests["spot check other"] = month, own.ID, other.ID
	f.requests["spot verify dispatcher"], f.requests["spot refused"], f.requests["spot bad"] = dispatcher[0], dispatcher[1], dispatcher[2]
	f.requests["spot verify admin"], f.requests["spot hidden"], f.requests["spot reassign"] = admins[0], admins[1], admins[2]
	return month
}

func seedOf(n int64) *int64 { return &n }

// resolveSpotCheck resolves the spot check objects of the matrix:
// "spot-check" a check, "spot-verify" and "spot-reassign" an item as
// "check/request".
func (f *authzFixture) resolveSpotCheck(t *testing.T, kind, actor, object string) (string, bool) {
	t.Helper()
	if !strings.HasPrefix(kind, "spot-") {
		return "", false
	}
	f.spotSeed(t)
	own, item := f.requests["spot check own"], f.requests["spot refused"]
	switch {
	case kind == "spot-check" && object == "own":
		return own, true
	case kind == "spot-check":
		return f.requests["spot check other"], true
	case kind == "spot-verify" && actor == "dispatcher" && object == "own":
		item = f.requests["spot verify dispatcher"]
	case kind == "spot-verify" && actor == "dispatcher":
		item = f.requests["spot hidden"]
	case kind == "spot-verify" && actor == "admin" && object == "own":
		item = f.requests["spot verify admin"]
	case kind == "spot-verify" && actor == "admin":
		item = f.requests["spot bad"]
	case kind == "spot-reassign" && actor == "admin" && object == "own":
		item = f.requests["spot reassign"]
	case kind == "spot-reassign" && actor == "admin":
		item = f.requests["spot bad"]
	}
	return own + "/" + item, true
}
