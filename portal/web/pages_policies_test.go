package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/search"
)

// policyIndexNow indexes a policy at once, standing in for the asynq task.
type policyIndexNow struct{ svc *policies.Service }

func (d policyIndexNow) IndexPolicy(ctx context.Context, id string, _ int) error {
	return d.svc.IndexNow(ctx, id)
}

// seedPolicyService is a catalogue on a fresh Bleve index with the
// catalogue's schema, holding the demo policies as of now.
func seedPolicyService(t *testing.T, db *mongostore.DB, now func() time.Time) (*policies.Service, []*policies.Policy) {
	t.Helper()
	ctx := context.Background()
	svc := &policies.Service{Store: policystore.New(db.Database()), Index: portaltest.Bleve(t, policies.Schema), Now: now}
	svc.Indexer = policyIndexNow{svc}
	catalogue := demo.Policies(now())
	docs := make([]search.Document, 0, len(catalogue))
	for _, p := range catalogue {
		portaltest.Must(t, svc.Store.CreatePolicy(ctx, p), "seed policy %s", p.ID)
		docs = append(docs, policies.SearchDocument(p))
	}
	portaltest.Must(t, svc.Index.Upsert(ctx, docs...), "index policies")
	return svc, catalogue
}

// testPolicyService is the catalogue of newTestServer: the demo policies.
func testPolicyService(t *testing.T, db *mongostore.DB) *policies.Service {
	svc, _ := seedPolicyService(t, db, time.Now)
	return svc
}

// policyPageServer is the enterprise test server (real sign-in, the demo
// district and its 12 hand-written enterprises with their profiles) with
// the demo catalogue, the Matcher and a fixed business clock, plus five
// policies of the tests' own: ent-001 (86 employees, rated A, industry G)
// fits "fits" and misses "near" by its head count.
type policyPageServer struct {
	*entServer
	clock     time.Time
	pols      *policies.Service
	catalogue []*policies.Policy
	fits      *policies.Policy // published, open 5 more days: 50+ employees rated A or B in industry G
	near      *policies.Policy // published: 100+ employees
	draft     *policies.Policy
	xss       *policies.Policy // published, its body tries script and handlers
	upcoming  *policies.Policy // published, taking applications from ten days on
}

var districtTZ = time.FixedZone("CST", 8*3600)

func newPolicyPageServer(t *testing.T) *policyPageServer {
	t.Helper()
	ts := &policyPageServer{entServer: newEntServer(t), clock: time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)}
	now := func() time.Time { return ts.clock }
	ts.pols, ts.catalogue = seedPolicyService(t, ts.db, now)
	auditor := &portal.Auditor{Store: ts.audit, Now: now}
	ts.pols.Audit = auditor
	ts.opt.Policies = ts.pols
	ts.opt.Matcher = &policies.Matcher{Policies: ts.pols.Store, Enterprises: ts.ents, Visibility: ts.opt.Enterprises,
		Users: ts.users, Audit: auditor, Now: now, Location: districtTZ, CacheFor: -1}
	ts.opt.Location = districtTZ

	editor := portal.WithActor(context.Background(), &portal.Actor{UserID: "u-editor", Username: "editor", Roles: []portal.Role{portal.RolePolicyEditor}})
	create := func(p *policies.Policy, publish bool) *policies.Policy {
		p, err := ts.pols.Create(editor, p)
		portaltest.Must(t, err, "create %s", p.Title)
		if publish {
			p, err = ts.pols.Publish(editor, p.ID)
			portaltest.Must(t, err, "publish %s", p.Title)
		}
		return p
	}
	soon, later := ts.clock.AddDate(0, 0, 5), ts.clock.AddDate(0, 2, 0)
	ts.fits = create(&policies.Policy{Title: "港航企业数字化转型补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatIndustrySupport, Summary: "对开展数字化改造的港航企业按投入给予补贴。", ApplyEnd: &soon, MaxAmount: 500000,
		Industries: []string{"G"}, Criteria: []policies.Clause{
			{Field: "employees", Op: "gte", Value: []byte(`50`), Label: "从业人员不少于 50 人"},
			{Field: "tax_rating", Op: "in", Value: []byte(`["A","B"]`), Label: "纳税信用等级为 A 或 B"},
		}}, true)
	ts.near = create(&policies.Policy{Title: "港口物流企业规模化奖励", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatIndustrySupport, Summary: "对从业人员达到一定规模的港口物流企业给予奖励。", ApplyEnd: &later,
		Criteria: []policies.Clause{{Field: "employees", Op: "gte", Value: []byte(`100`), Label: "从业人员不少于 100 人"}}}, true)
	ts.draft = create(&policies.Policy{Title: "尚在起草的冷链物流补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatIndustrySupport, Summary: "对冷链物流企业的设备投入给予补贴（草稿）。"}, false)
	ts.xss = create(&policies.Policy{Title: "正文安全测试政策", Issuer: "区发展和改革局", Level: policies.LevelDistrict,
		Category: policies.CatOther, Summary: "用于检查政策正文按 Markdown 安全显示。", ApplyEnd: &later,
		Body: "## 申请须知\n\n请**加粗**阅读。\n\n<script>alert(1)</script>\n\n<a href=\"#\" onclick=\"steal()\">点我</a>\n\n" +
			"<img src=x onerror=\"steal()\">\n\n[恶意链接](javascript:alert(2))\n\n| 档次 | 金额 |\n|---|---|\n| A | 300 万元 |\n"}, true)
	opens := ts.clock.AddDate(0, 0, 10)
	ts.upcoming = create(&policies.Policy{Title: "集装箱多式联运线路开通奖励", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatIndustrySupport, Summary: "对新开通集装箱多式联运线路的企业给予奖励。", ApplyStart: &opens, ApplyEnd: &later}, true)
	return ts
}

// demoPolicy returns the first demo policy that pick accepts.
func (ts *policyPageServer) demoPolicy(t *testing.T, what string, pick func(*policies.Policy) bool) *policies.Policy {
	t.Helper()
	for _, p := range ts.catalogue {
		if pick(p) {
			return p
		}
	}
	t.Fatalf("the demo catalogue has no %s", what)
	return nil
}

func (ts *policyPageServer) stored(t *testing.T, id string) *policies.Policy {
	t.Helper()
	p, err := ts.pols.Store.FindPolicyByID(context.Background(), id)
	portaltest.Must(t, err, "find policy %s", id)
	return p
}

func (ts *policyPageServer) policyCount(t *testing.T) int {
	t.Helper()
	_, n, err := ts.pols.Store.FindPolicies(context.Background(), policies.Filter{Limit: 1})
	portaltest.Must(t, err, "count policies")
	return n
}

func q(s string) string { return url.QueryEscape(s) }

func TestPolicySearchPage(t *testing.T) {
	ts := newPolicyPageServer(t)
	notOpen := ts.upcoming
	hasCards := []string{`class="policy-card"`, "共 "}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the catalogue without a query", Method: "GET", Path: "/policies", Status: 200,
			Contains: []string{"<title>政策查询 · 惠企通</title>", `class="policy-card"`, `name="q"`, `name="open"`, `name="sort"`,
				`hx-get="/policies"`, `aria-current="page"`},
			NotContains: []string{ts.draft.Title}},
		{Name: "人才 finds talent policies, highlighted", Method: "GET", Path: "/policies?q=" + q("人才"), Status: 200,
			Contains: append(hasCards, "<mark>人才</mark>", `href="/policies?category=talent_funding&amp;q=`, `人才经费 <span class="chip-count">`,
				`value="人才"`, "毫秒"),
			NotContains: []string{"&lt;mark&gt;", "没有找到"}},
		{Name: "traditional characters find the same", Method: "GET", Path: "/policies?q=" + q("人才經費"), Status: 200,
			Contains: append(hasCards, "人才经费"), NotContains: []string{"没有找到"}},
		{Name: "pinyin finds the same", Method: "GET", Path: "/policies?q=rencai", Status: 200,
			Contains: append(hasCards, "人才"), NotContains: []string{"没有找到"}},
		{Name: "a category chip narrows to its cards", Method: "GET", Path: "/policies?q=" + q("人才") + "&category=talent_funding", Status: 200,
			Contains: []string{`aria-current="true">人才经费`, `<input type="hidden" name="category" value="talent_funding">`, "已筛选"},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				cats := regexp.MustCompile(`badge-cat">([^<]+)<`).FindAllStringSubmatch(res.Body.String(), -1)
				if len(cats) == 0 {
					t.Fatal("no cards")
				}
				for _, c := range cats {
					if c[1] != "人才经费" {
						t.Errorf("card of category %q under the 人才经费 filter", c[1])
					}
				}
			}},
		{Name: "a policy not open yet is found", Method: "GET", Path: "/policies?q=" + q(notOpen.Title), Status: 200,
			Contains: []string{`href="/policies/` + notOpen.ID + `"`}},
		{Name: "只看正在申报 leaves it out", Method: "GET", Path: "/policies?open=true&q=" + q(notOpen.Title), Status: 200,
			Contains: []string{`name="open" value="true" role="switch" checked`}, NotContains: []string{`href="/policies/` + notOpen.ID + `"`}},
		{Name: "pagination keeps the filters", Method: "GET", Path: "/policies?q=" + q("补贴") + "&level=district&open=true&sort=deadline", Status: 200,
			Contains: []string{`rel="next"`, "第 1 / ", `href="/policies?level=district&amp;open=true&amp;page=2&amp;q=%E8%A1%A5%E8%B4%B4&amp;sort=deadline"`,
				`<option value="district" selected>`, `<option value="deadline" selected>`}},
		{Name: "amount, deadline and days left on the card", Method: "GET", Path: "/policies?q=" + q(ts.fits.Title), Status: 200,
			Contains: []string{"50 万元", "2026年11月27日", "还剩 5 天", `deadline urgent`, "区交通运输局"}},
		{Name: "nonsense suggests what to try", Method: "GET", Path: "/policies?q=zqxjkwvv", Status: 200,
			Contains:    []string{"没有找到与“zqxjkwvv”相关的政策", "拼音", "换个说法", `href="/policies?category=talent_funding"`, "再贷款/金融"},
			NotContains: []string{`class="policy-card"`}},
		{Name: "nonsense under a filter offers to clear it", Method: "GET", Path: "/policies?q=zqxjkwvv&level=national", Status: 200,
			Contains: []string{"清除筛选", `href="/policies?q=zqxjkwvv"`}},
		{Name: "a bad sort is a 400 page", Method: "GET", Path: "/policies?sort=cheapest", Status: 400,
			Contains:    []string{"<html", "搜索参数有误", "排序：排序应为 relevance、newest、deadline 或 amount", `name="q"`},
			NotContains: []string{`class="policy-card"`}},
		{Name: "a bad page is a 400 page", Method: "GET", Path: "/policies?page=x", Status: 400, Contains: []string{"页码：应为整数"}},
		{Name: "a bad category is a 400 page", Method: "GET", Path: "/policies?category=gold", Status: 400, Contains: []string{"未知的政策类别"}},
		{Name: "markup in the query is escaped", Method: "GET", Path: "/policies?q=" + q("<script>alert(1)</script>"), Status: 200,
			Contains: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, NotContains: []string{"<script>alert(1)"}},
		{Name: "editors see drafts with their status", Method: "GET", Path: "/policies?q=" + q(ts.draft.Title), Actor: "editor", Status: 200,
			Contains: []string{`badge-status">草稿`}},
	})
}

func TestSafeHighlight(t *testing.T) {
	for in, want := range map[string]string{
		"海湾<mark>人才</mark>资助":              "海湾<mark>人才</mark>资助",
		"&lt;b&gt;<mark>人才</mark>":         "&lt;b&gt;<mark>人才</mark>",
		"<script>x</script><mark>a</mark>": "&lt;script&gt;x&lt;/script&gt;<mark>a</mark>",
		"A &amp; B":                        "A &amp; B",
	} {
		if got := string(safeHighlight(in)); got != want {
			t.Errorf("safeHighlight(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAmountAndDeadline(t *testing.T) {
	for yuan, want := range map[float64]string{0: "", 8000: "0.8 万元", 200000: "20 万元", 3e6: "300 万元", 1.5e8: "1.5 亿元"} {
		if got := amountText(yuan); got != want {
			t.Errorf("amountText(%v) = %q, want %q", yuan, got, want)
		}
	}
	s := &Server{opt: Options{Location: districtTZ}}
	now := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC) // 10:00 in the district
	day := func(y int, m time.Month, d int) *time.Time {
		t := time.Date(y, m, d, 0, 0, 0, 0, districtTZ) // an end is the first day no longer open
		return &t
	}
	for _, tc := range []struct {
		end        *time.Time
		day, hint  string
		wantUrgent bool
	}{
		{nil, "", "长期受理", false},
		{day(2026, 11, 23), "2026年11月22日", "今天截止", true},
		{day(2026, 11, 24), "2026年11月23日", "还剩 1 天", true},
		{day(2026, 12, 31), "2026年12月30日", "还剩 38 天", false},
		{day(2026, 11, 22), "2026年11月21日", "已截止", false},
	} {
		d, hint, urgent := s.deadline(tc.end, now)
		if d != tc.day || hint != tc.hint || urgent != tc.wantUrgent {
			t.Errorf("deadline(%v) = %q %q %v, want %q %q %v", tc.end, d, hint, urgent, tc.day, tc.hint, tc.wantUrgent)
		}
	}
}

func TestPolicyDetailPage(t *testing.T) {
	ts := newPolicyPageServer(t)
	published := ts.demoPolicy(t, "published policy with a body", func(p *policies.Policy) bool {
		return p.Status == policies.StatusPublished && p.OpenAt(ts.clock) && strings.Contains(p.Body, "## 支持对象")
	})
	expired := ts.demoPolicy(t, "expired policy", func(p *policies.Policy) bool { return p.Status == policies.StatusExpired })
	revoked := ts.demoPolicy(t, "revoked policy", func(p *policies.Policy) bool { return p.Status == policies.StatusRevoked })
	demoDraft := ts.demoPolicy(t, "draft", func(p *policies.Policy) bool { return p.Status == policies.StatusDraft })
	path := func(p *policies.Policy) string { return "/policies/" + p.ID }
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "a visitor reads a published policy", Method: "GET", Path: path(published), Status: 200,
			Contains: []string{"<title>" + published.Title + " · 惠企通</title>", published.Issuer, "申报方式", "<h2>支持对象</h2>",
				"登录企业账号", "/login?next=" + url.QueryEscape(path(published))},
			NotContains: []string{"是否符合条件", "编辑政策"}},
		{Name: "the body is Markdown, rendered safely", Method: "GET", Path: path(ts.xss), Status: 200,
			Contains:    []string{"<h2>申请须知</h2>", "<strong>加粗</strong>", "<table>", "<td>300 万元</td>"},
			NotContains: []string{"<script>alert(1)", "alert(1)</script>", "onclick", "onerror", "steal()", "javascript:alert"}},
		{Name: "the enterprise qualifies and sees why", Method: "GET", Path: path(ts.fits), Actor: "enterprise", Status: 200,
			Contains: []string{"是否符合条件", "按“海湾国际物流有限公司”的企业档案判断", "符合条件：贵企业满足本政策的全部条件",
				"已满足的条件（3 项）", "从业人员不少于 50 人", "纳税信用等级为 A 或 B", "适用行业", "50 万元", "还剩 5 天",
				"适用行业：交通运输、仓储和邮政业"},
			NotContains: []string{"登录企业账号"}},
		{Name: "the enterprise misses one condition and by how much", Method: "GET", Path: path(ts.near), Actor: "enterprise", Status: 200,
			Contains: []string{"eligibility-near_miss", "差一点：贵企业还差一个条件", "不满足的条件", "从业人员 86 人，低于下限 100 人"}},
		{Name: "another enterprise is judged on its own profile", Method: "GET", Path: path(ts.near), Actor: "enterprise2", Status: 200,
			Contains: []string{"按“金沙珠宝首饰有限公司”的企业档案判断", "符合条件：贵企业满足本政策的全部条件"}},
		{Name: "a liaison is offered the enterprises that qualify", Method: "GET", Path: path(ts.near), Actor: "liaison", Status: 200,
			Contains: []string{`href="/admin/policies/` + ts.near.ID + `/matches"`}, NotContains: []string{"是否符合条件", "编辑政策"}},
		{Name: "an editor sees the status and the edit link", Method: "GET", Path: path(ts.near), Actor: "editor", Status: 200,
			Contains: []string{"状态：<strong>已发布</strong>", `href="/admin/policies/` + ts.near.ID + `/edit"`}},
		{Name: "an expired policy says so", Method: "GET", Path: path(expired), Status: 200,
			Contains: []string{"本政策已过期", "截止", expired.Title}},
		{Name: "a draft is not found for a visitor", Method: "GET", Path: path(ts.draft), Status: 404,
			Contains: []string{"政策不存在"}, NotContains: []string{ts.draft.Title}},
		{Name: "a demo draft is not found for a visitor", Method: "GET", Path: path(demoDraft), Status: 404, NotContains: []string{demoDraft.Title}},
		{Name: "a draft is not found for an enterprise", Method: "GET", Path: path(ts.draft), Actor: "enterprise", Status: 404},
		{Name: "a revoked policy is not found for a visitor", Method: "GET", Path: path(revoked), Status: 404},
		{Name: "an editor reads the draft", Method: "GET", Path: path(ts.draft), Actor: "editor", Status: 200,
			Contains: []string{ts.draft.Title, `badge-status">草稿`, "状态：<strong>草稿</strong>", `href="/admin/policies/` + ts.draft.ID + `/edit"`}},
		{Name: "an unknown policy", Method: "GET", Path: "/policies/no-such-policy", Status: 404, Contains: []string{"政策不存在"}},
	})

	t.Run("a profile without the figure asks for it", func(t *testing.T) {
		e := ts.enterprise(t, "ent-001")
		profile := e.Profile
		profile.Employees = nil
		_, err := ts.ents.UpdateEnterpriseProfile(context.Background(), "ent-001", profile)
		portaltest.Must(t, err, "clear head count")
		ts.runner().Run(t, []portaltest.Scenario{{Name: "needs info", Method: "GET", Path: path(ts.near), Actor: "enterprise", Status: 200,
			Contains: []string{"eligibility-needs_info", "需补充信息", "请在企业档案中补充", "<li>从业人员</li>", `href="/admin/enterprises/ent-001"`}}})
	})
}

func TestPoliciesForMePage(t *testing.T) {
	ts := newPolicyPageServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "a visitor signs in first", Method: "GET", Path: "/policies/for-me", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fpolicies%2Ffor-me"}},
		{Name: "a liaison is told it is for enterprises", Method: "GET", Path: "/policies/for-me", Actor: "liaison", Status: 403,
			Contains: []string{"只对企业用户开放"}},
		{Name: "a pending user waits", Method: "GET", Path: "/policies/for-me", Actor: "pending", Status: 403, Contains: []string{"等待审核"}},
		{Name: "the enterprise sees its groups with reasons", Method: "GET", Path: "/policies/for-me", Actor: "enterprise", Status: 200,
			Contains: []string{"<title>适合我的政策 · 惠企通</title>", "海湾国际物流有限公司", `href="#group-eligible"`,
				"从业人员 86 人，低于下限 100 人", `aria-current="page"`},
			NotContains: []string{ts.draft.Title},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				body := res.Body.String()
				eligible, near := strings.Index(body, `id="group-eligible"`), strings.Index(body, `id="group-near_miss"`)
				info := strings.Index(body, `id="group-needs_info"`)
				fits, miss := strings.Index(body, ts.fits.Title), strings.Index(body, ts.near.Title)
				if eligible < 0 || near < 0 || info < 0 {
					t.Fatalf("groups missing: %d %d %d", eligible, near, info)
				}
				if fits < eligible || fits > near {
					t.Errorf("%s is not under 符合条件", ts.fits.Title)
				}
				if miss < near || miss > info {
					t.Errorf("%s is not under 差一点", ts.near.Title)
				}
			}},
	})
}

// TestPolicyNavigationAnswers signs in as each role the policy pages are
// for and follows that role's policy entries.
func TestPolicyNavigationAnswers(t *testing.T) {
	ts := newPolicyPageServer(t)
	for actor, path := range map[string]string{"enterprise": "/policies/for-me", "editor": "/admin/policies", "admin": "/admin/policies",
		"liaison": "/admin/policies/matches"} {
		res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: path, Actor: actor})
		if res.Code != 200 {
			t.Errorf("%s: %s answers %d", actor, path, res.Code)
		}
		if !strings.Contains(res.Body.String(), `href="`+path+`" aria-current="page"`) {
			t.Errorf("%s: %s is not in the navigation as the current page", actor, path)
		}
	}
}

// TestPolicyPagesInBrowser renders the search and detail pages in
// Chromium at phone width: no sideways scroll, and the search form works.
func TestPolicyPagesInBrowser(t *testing.T) {
	ts := newPolicyPageServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var scrollWidth, clientWidth int
	var first, location string
	err := chromedp.Run(ctx,
		// Headless windows are at least 500 px wide: the viewport is set
		// as a phone's so that the page is laid out at 375 px.
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/policies"),
		chromedp.WaitVisible(`input[name="q"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
	)
	if err != nil {
		t.Fatalf("load search page: %v", err)
	}
	if clientWidth != 375 {
		t.Fatalf("viewport is %d px wide, want 375", clientWidth)
	}
	if scrollWidth > clientWidth {
		t.Errorf("search page scrolls sideways at 375 px (%d > %d)", scrollWidth, clientWidth)
	}
	err = chromedp.Run(ctx,
		chromedp.SendKeys(`input[name="q"]`, "人才", chromedp.ByQuery),
		chromedp.Click(`form.policy-search button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#results .policy-card mark`, chromedp.ByQuery),
		chromedp.Text(`#results .policy-card-title a`, &first, chromedp.ByQuery),
		chromedp.Location(&location),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if !strings.Contains(first, "人才") {
		t.Errorf("first result %q does not mention 人才", first)
	}
	if !strings.Contains(location, "q="+url.QueryEscape("人才")) && !strings.Contains(location, "q=人才") {
		t.Errorf("address %q does not keep the query", location)
	}
	if scrollWidth > clientWidth {
		t.Errorf("results scroll sideways at 375 px (%d > %d)", scrollWidth, clientWidth)
	}
	var title string
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/policies/"+ts.xss.ID),
		chromedp.WaitVisible(`h1.policy-title`, chromedp.ByQuery),
		chromedp.Text(`h1.policy-title`, &title, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
	)
	if err != nil {
		t.Fatalf("detail page: %v", err)
	}
	if title != ts.xss.Title {
		t.Errorf("detail title %q", title)
	}
	if scrollWidth > clientWidth {
		t.Errorf("detail page scrolls sideways at 375 px (%d > %d)", scrollWidth, clientWidth)
	}
}
