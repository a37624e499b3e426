package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// testFeedbackService is the feedback service of reqs, listening to it.
func testFeedbackService(db *mongostore.DB, reqs *portal.RequestService, sla *portal.SLAService) *portal.FeedbackService {
	fb := &portal.FeedbackService{Requests: reqs, Surveys: mongostore.NewSurveyStore(db), Calendar: sla.Calendar,
		MaxReopen: portal.DefaultMaxReopen}
	reqs.Events = append(reqs.Events, fb)
	return fb
}

// fbServer is the request test server with deadlines and the feedback
// service, whose clock runs ahead of the wall clock by skip.
type fbServer struct {
	*reqServer
	fb   *portal.FeedbackService
	mu   sync.Mutex
	skip time.Duration
}

func newFeedbackServer(t *testing.T) *fbServer {
	t.Helper()
	ts := &fbServer{reqServer: newReqServer(t)}
	ts.fb = testFeedbackService(ts.w.DB, ts.w.Requests, ts.w.WithSLA(t))
	ts.fb.Now = func() time.Time {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		return time.Now().Add(ts.skip)
	}
	ts.opt.Feedback = ts.fb
	return ts
}

// later moves the feedback clock on by d.
func (ts *fbServer) later(d time.Duration) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.skip += d
}

// resolved files a request of ent-001 and has dept-trans resolve it.
func (ts *fbServer) resolved(t *testing.T, title string) *portal.Request {
	t.Helper()
	w := ts.w
	r, err := w.Requests.File(w.As(t, "enterprise"), portal.RequestInput{Title: title,
		Description: "需要承办单位协助办理的事项说明。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file")
	for _, s := range []struct {
		user   string
		action portal.Action
		in     portal.ActionInput
	}{
		{"dispatcher", portal.ActDispatch, portal.ActionInput{Department: "dept-trans"}},
		{"handler", portal.ActSign, portal.ActionInput{}},
		{"handler", portal.ActResolve, portal.ActionInput{Text: "已协调交警部门完成续办。"}},
	} {
		r, err = w.Requests.Act(w.As(t, s.user), r.ID, s.action, s.in)
		portaltest.Must(t, err, "%s", s.action)
	}
	return r
}

// token is the survey link token the enterprise was sent for r.
func (ts *fbServer) token(t *testing.T, r *portal.Request) string {
	t.Helper()
	ns, _, _, err := ts.w.Notes.FindNotificationsForUser(context.Background(), "u-enterprise", portal.NotificationFilter{Limit: 100})
	portaltest.Must(t, err, "notifications")
	for _, n := range ns {
		if tok, ok := strings.CutPrefix(n.Link, "/feedback/"); ok && strings.Contains(n.Body, r.No) {
			return tok
		}
	}
	t.Fatalf("no survey link for %s", r.No)
	return ""
}

func (ts *fbServer) stored(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := ts.w.Store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "load %s", id)
	return r
}

// surveyForm is an anonymous survey submission with a CSRF token.
func surveyForm(name, path string, form url.Values) portaltest.Scenario {
	sc := pageForm(name, "", path, form)
	return sc
}

// untouchedBy fails unless r is still resolved at its version.
func (ts *fbServer) untouchedBy(r *portal.Request) func(*testing.T, *httptest.ResponseRecorder) {
	return func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, r.ID); got.Version != r.Version || got.Status != portal.StatusResolved || got.Feedback != nil {
			t.Errorf("the request changed: version %d → %d, status %s", r.Version, got.Version, got.Status)
		}
	}
}

func TestFeedbackSurveyPages(t *testing.T) {
	ts := newFeedbackServer(t)
	r := ts.resolved(t, "港区货车通行证续办")
	tok := ts.token(t, r)
	path := "/feedback/" + tok
	var random [32]byte
	_, _ = rand.Read(random[:])
	forged := "/feedback/" + base64.RawURLEncoding.EncodeToString(random[:])
	good := url.Values{"solved": {"solved"}, "satisfaction": {"basic"}, "comment": {"办理及时，基本满意。"}}
	untouched := ts.untouchedBy(r)
	noCSRF := surveyForm("without CSRF nothing is stored", path, good)
	noCSRF.Headers["Cookie"] = ""
	noCSRF.Status, noCSRF.After = 403, untouched
	bad := func(name string, form url.Values, says ...string) portaltest.Scenario {
		sc := surveyForm(name, path, form)
		sc.Status, sc.Contains, sc.After = 400, append([]string{"评价内容有误", r.No}, says...), untouched
		return sc
	}
	posted := surveyForm("the answer closes the request", path, good)
	posted.Status = 303
	posted.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/feedback/done", "感谢您的评价！诉求已办结关闭")(t, res)
		got := ts.stored(t, r.ID)
		if got.Status != portal.StatusClosed || got.Feedback == nil || got.Feedback.Via != portal.ViaLink || got.Feedback.Satisfaction != portal.Basic {
			t.Errorf("after the answer: %s, feedback %+v", got.Status, got.Feedback)
		}
	}
	reused := surveyForm("a used link changes nothing", path, url.Values{"solved": {"unsolved"}, "satisfaction": {"dissatisfied"}})
	reused.Status, reused.Contains = 410, []string{"评价链接已失效", "已完成评价"}
	reused.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, r.ID); got.Status != portal.StatusClosed || got.Reopened != 0 || got.Version != r.Version+1 {
			t.Errorf("a reused link changed the request: %s, reopened %d, version %d", got.Status, got.Reopened, got.Version)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the link opens the survey without signing in", Method: "GET", Path: path, Status: 200,
			Contains: []string{"<title>诉求办理评价 · 惠企通</title>", r.No, r.Title, "区交通运输局", "已协调交警部门完成续办。",
				`name="solved" value="partly"`, `name="satisfaction" value="dissatisfied"`, `name="csrf_token"`, `maxlength="500"`, "提交评价"}},
		{Name: "a forged token", Method: "GET", Path: forged, Status: 404, Contains: []string{"评价链接无效"}},
		{Name: "a truncated token", Method: "GET", Path: path[:len(path)-1], Status: 404, Contains: []string{"评价链接无效"}},
		{Name: "not base64", Method: "GET", Path: "/feedback/" + strings.Repeat("%21", 43), Status: 404, Contains: []string{"评价链接无效"}},
		bad("nothing chosen", url.Values{}, "请选择问题是否解决", "请选择满意程度"),
		bad("an unknown answer", url.Values{"solved": {"maybe"}, "satisfaction": {"satisfied"}}, "未知的选项"),
		bad("a comment too long", url.Values{"solved": {"solved"}, "satisfaction": {"satisfied"}, "comment": {strings.Repeat("长", 501)}},
			"意见建议不能超过 500 个字", strings.Repeat("长", 501)),
		noCSRF,
		func() portaltest.Scenario {
			sc := surveyForm("a forged token posts nothing", forged, good)
			sc.Status, sc.Contains, sc.After = 404, []string{"评价链接无效"}, untouched
			return sc
		}(),
		posted,
		{Name: "thanks", Method: "GET", Path: "/feedback/done", Status: 200, Contains: []string{"感谢您的评价"}},
		reused,
		{Name: "the used link shows why", Method: "GET", Path: path, Status: 410, Contains: []string{"已完成评价"}, NotContains: []string{"提交评价"}},
	})

	t.Run("Expired", func(t *testing.T) {
		r2 := ts.resolved(t, "冷链车辆夜间通行备案")
		path2 := "/feedback/" + ts.token(t, r2)
		ts.later(7*24*time.Hour + time.Minute)
		sc := surveyForm("an expired link changes nothing", path2, good)
		sc.Status, sc.Contains, sc.After = 410, []string{"已过期"}, ts.untouchedBy(r2)
		ts.runner().Run(t, []portaltest.Scenario{
			{Name: "an expired link", Method: "GET", Path: path2, Status: 410, Contains: []string{"评价链接已失效", "已过期"}},
			sc,
		})
	})
}

func TestFeedbackSignedInPages(t *testing.T) {
	ts := newFeedbackServer(t)
	r := ts.resolved(t, "园区停车位严重不足")
	detail, own := "/requests/"+r.ID, "/requests/"+r.ID+"/feedback"
	phone := own + "/phone"
	recorded := pageForm("the liaison records the phone answer", "liaison", phone,
		url.Values{"solved": {"unsolved"}, "satisfaction": {"dissatisfied"}, "comment": {"车位仍然不够"}})
	recorded.Status = 303
	recorded.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash("/followups", "诉求已退回承办单位重新办理")(t, res)
		got := ts.stored(t, r.ID)
		if got.Status != portal.StatusReopened || got.Reopened != 1 || got.Feedback.Via != portal.ViaPhone || got.Feedback.RecordedByID != "u-liaison" {
			t.Errorf("after the phone record: %s, reopened %d, feedback %+v", got.Status, got.Reopened, got.Feedback)
		}
	}
	badPhone := pageForm("a phone record without answers", "liaison", phone, url.Values{"comment": {"未接通"}})
	badPhone.Status, badPhone.Contains, badPhone.After = 400, []string{"请选择问题是否解决", "记录电话回访"}, ts.untouchedBy(r)
	handlerPhone := pageForm("the handler may not record", "handler", phone, url.Values{"solved": {"solved"}, "satisfaction": {"satisfied"}})
	handlerPhone.Status, handlerPhone.After = 403, ts.untouchedBy(r)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the enterprise's list asks for the answer", Method: "GET", Path: "/requests", Actor: "enterprise", Status: 200,
			Contains: []string{"待评价", `href="` + own + `"`}},
		{Name: "the enterprise's page links the survey", Method: "GET", Path: detail, Actor: "enterprise", Status: 200,
			Contains: []string{"企业评价", "去评价", "待评价"}, NotContains: []string{"记录电话回访"}},
		{Name: "the enterprise opens its survey", Method: "GET", Path: own, Actor: "enterprise", Status: 200,
			Contains: []string{r.No, "提交评价", `action="` + own + `"`}},
		{Name: "another enterprise cannot", Method: "GET", Path: own, Actor: "enterprise2", Status: 404},
		{Name: "the liaison is not the enterprise", Method: "GET", Path: own, Actor: "liaison", Status: 403},
		{Name: "the liaison's page offers the phone record", Method: "GET", Path: detail, Actor: "liaison", Status: 200,
			Contains: []string{"记录电话回访", "评价链接"}, NotContains: []string{"去评价"}},
		{Name: "the phone form", Method: "GET", Path: phone, Actor: "liaison", Status: 200, Contains: []string{"记录电话回访", r.ContactPhone}},
		{Name: "no phone form for the handler", Method: "GET", Path: phone, Actor: "handler", Status: 403},
		{Name: "follow-ups of the liaison: none yet", Method: "GET", Path: "/followups", Actor: "liaison", Status: 200,
			Contains: []string{"暂无待回访的诉求"}},
		{Name: "no follow-up list for handlers", Method: "GET", Path: "/followups", Actor: "handler", Status: 403},
		{Name: "follow-ups need sign-in", Method: "GET", Path: "/followups", Status: 303},
		badPhone, handlerPhone, recorded,
		{Name: "the page shows the answer and the reopening", Method: "GET", Path: detail, Actor: "dispatcher", Status: 200,
			Contains: []string{"企业评价", "未解决 · 不满意", "电话回访", "记录）", "已重办 1 次", "车位仍然不够"}},
	})

	t.Run("FollowUpList", func(t *testing.T) {
		r2 := ts.resolved(t, "园区道路破损下雨积水")
		ts.later(9 * 24 * time.Hour)
		out, err := ts.fb.Remind(context.Background(), portal.SurveyID(r2.ID, 0))
		if err != nil || out != portal.TimerActed {
			t.Fatalf("remind: %s %v", out, err)
		}
		ts.runner().Run(t, []portaltest.Scenario{
			{Name: "the liaison's task", Method: "GET", Path: "/followups", Actor: "liaison", Status: 200,
				Contains: []string{r2.No, r2.Title, "记录回访结果", "/requests/" + r2.ID + "/feedback/phone"}},
			{Name: "searched", Method: "GET", Path: "/followups?q=" + url.QueryEscape("积水"), Actor: "liaison", Status: 200, Contains: []string{r2.No}},
			{Name: "searched for nothing", Method: "GET", Path: "/followups?q=" + url.QueryEscape("不存在的诉求"), Actor: "liaison", Status: 200,
				Contains: []string{"没有符合条件的回访任务"}},
			{Name: "the district's dispatcher sees every task", Method: "GET", Path: "/followups", Actor: "dispatcher", Status: 200,
				Contains: []string{r2.No, "回访人："}},
			{Name: "another liaison has none", Method: "GET", Path: "/followups", Actor: "liaison2", Status: 200, NotContains: []string{r2.No}},
		})
	})
}

// TestFeedbackSurveyInBrowser answers a survey link on a phone-sized window.
func TestFeedbackSurveyInBrowser(t *testing.T) {
	ts := newFeedbackServer(t)
	r := ts.resolved(t, "港区货车通行证续办")
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var scrollWidth, clientWidth int
	var flash, title string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/feedback/"+ts.token(t, r)),
		chromedp.WaitVisible(`form.fb-form`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		chromedp.Click(`input[name=solved][value=partly]`, chromedp.ByQuery),
		chromedp.Click(`input[name=satisfaction][value=satisfied]`, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name=comment]`, "处理及时，还需后续跟进。", chromedp.ByQuery),
		chromedp.Click(`form.fb-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash-success`, chromedp.ByQuery),
		chromedp.Text(`.flash-success`, &flash, chromedp.ByQuery),
		chromedp.Text(`h1`, &title, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("survey page: %v", err)
	}
	if scrollWidth > clientWidth {
		t.Errorf("the survey at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", scrollWidth, clientWidth)
	}
	if !strings.Contains(flash, "诉求已办结关闭") || title != "感谢您的评价" {
		t.Errorf("after submitting: flash %q, heading %q", flash, title)
	}
	got := ts.stored(t, r.ID)
	if got.Status != portal.StatusClosed || got.Feedback == nil || got.Feedback.Solved != portal.Partly || got.Feedback.Comment != "处理及时，还需后续跟进。" {
		t.Errorf("stored: %s, %+v", got.Status, got.Feedback)
	}
}

// authzFeedbackTable is the matrix of the feedback route: the first-contact
// owner or liaison, dispatchers and admins record a phone answer on a
// request they see; those who see it otherwise are refused; the rest learn
// nothing.
func authzFeedbackTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const ok, bad, forbidden = http.StatusOK, http.StatusBadRequest, http.StatusForbidden
	good := map[string]any{"solved": "solved", "satisfaction": "satisfied", "comment": "电话回访：满意"}
	refused := map[string]any{"solved": "unsolved", "satisfaction": "dissatisfied", "comment": authzMarker + "记录回访"}
	return map[string]authzRoute{
		"POST /api/v1/requests/:id/feedback": {
			id: "$feedback",
			want: authzSignedIn(authzBy[int]{"*": http.StatusNotFound,
				"enterprise/own": forbidden, "enterprise2/own": forbidden, "handler/own": forbidden, "depthead/own": forbidden,
				"committee/own": forbidden, "liaison/own": ok, "liaison2/own": ok, "dispatcher/own": ok, "admin/own": ok,
				"dispatcher/other": bad, "admin/other": bad}),
			body: authzBy[any]{"*": refused, "liaison/own": good, "liaison2/own": good, "dispatcher/own": good, "admin/own": good,
				"dispatcher/other": map[string]any{}, "admin/other": map[string]any{"solved": "solved"}},
			has: authzBy[[]string]{"*": nil, "liaison/own": {`"decision":"close"`, `"via":"phone"`},
				"liaison2/own": {`"decision":"close"`}, "dispatcher/own": {`"decision":"close"`}, "admin/own": {`"decision":"close"`}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": func(t *testing.T, f *authzFixture) {
				n, err := f.db.Database().Collection("requests").CountDocuments(context.Background(),
					bson.M{"feedback.comment": bson.M{"$regex": authzMarker}})
				portaltest.Must(t, err, "search requests")
				if n > 0 {
					t.Errorf("%d requests hold an answer a refused row sent", n)
				}
			}},
		},
	}
}

// resolveFeedback resolves "feedback": a resolved request of the side, a
// fresh one for each row that records an answer.
func (f *authzFixture) resolveFeedback(t *testing.T, kind, actor, object string) (string, bool) {
	t.Helper()
	if kind != "feedback" {
		return "", false
	}
	side, otherSide := "port", "jewelry"
	if actor == "enterprise2" || actor == "liaison2" {
		side, otherSide = otherSide, side
	}
	if object == "other" {
		side = otherSide
	}
	name := "feedback"
	if object == "own" && (actor == "liaison" || actor == "liaison2" || actor == "dispatcher" || actor == "admin") {
		name = "feedback single-use " + actor
	}
	r := f.authzRequest(t, name, side, portal.StatusSigned)
	if r.Status == portal.StatusSigned {
		var err error
		r, err = f.reqs.Act(f.authzAs(t, "", authzRequestSides[side].dept), r.ID, portal.ActResolve,
			portal.ActionInput{Text: "已办结，等待企业评价。"})
		portaltest.Must(t, err, "resolve %s %s", name, side)
	}
	return r.ID, true
}
