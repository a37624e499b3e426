package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestRoutingPages(t *testing.T) {
	ts := newRoutingTestServer(t, false)
	n := ts.ruleCount(t)
	countIs := func(want int) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if got := ts.ruleCount(t); got != want {
				t.Errorf("%d rules stored, want %d", got, want)
			}
		}
	}
	newRule := url.Values{"name": {"能源问题交工信局"}, "category": {"other"}, "type": {"help"}, "region_id": {"sd-meilin"},
		"priority": {"20"}, "target": {"unit"}, "department_id": {"dept-miit"}, "enabled": {"1"}}
	bad := url.Values{"name": {"x"}, "category": {"space"}, "priority": {"abc"}, "target": {"unit"}, "department_id": {"district"}}
	script := url.Values{"name": {"<script>alert(1)</script>"}, "target": {"own_park"}, "priority": {"500"}, "enabled": {"1"}}

	create := adminPost("create", "admin", "/admin/routing", newRule, 303)
	create.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		if res.Header().Get("Location") != "/admin/routing" || flashOf(t, res) != "已保存分拨规则：能源问题交工信局" {
			t.Errorf("redirect %q, flash %q", res.Header().Get("Location"), flashOf(t, res))
		}
		countIs(n+1)(t, res)
	}
	badCreate := adminPost("create shows every error and keeps the input", "admin", "/admin/routing", bad, 400,
		"分拨规则信息有误", "规则名称至少 2 个字", "未知的诉求分类", "优先级应为 1–9999 的整数", "不能是区本级", `value="abc"`)
	badCreate.After = countIs(n + 1)
	refused := adminPost("a dispatcher cannot create", "dispatcher", "/admin/routing", newRule, 403)
	refused.After = countIs(n + 1)
	update := adminPost("update", "admin", "/admin/routing/route-dispute", url.Values{"name": {"矛盾纠纷先交园区"}, "category": {"dispute"},
		"target": {"own_park"}, "priority": {"100"}, "enabled": {"1"}, "version": {"1"}}, 303)
	update.After = ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")
	stale := adminPost("a stale form says so and changes nothing", "admin", "/admin/routing/route-dispute", url.Values{"name": {"陈旧的修改"},
		"category": {"dispute"}, "target": {"own_park"}, "priority": {"100"}, "version": {"1"}}, 409, "刚被他人修改", "查看最新内容", `value="陈旧的修改"`)
	stale.After = ts.ruleAt("route-dispute", 2, "矛盾纠纷先交园区")
	del := adminPost("delete", "admin", "/admin/routing/route-dispute/delete", url.Values{"version": {"2"}}, 303)
	del.After = countIs(n + 1)
	staleDelete := adminPost("a stale delete changes nothing", "admin", "/admin/routing/route-park/delete", url.Values{"version": {"5"}}, 409)
	staleDelete.After = countIs(n + 2)

	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin list", Method: "GET", Path: "/admin/routing", Actor: "admin", Status: 200,
			Contains: []string{"<title>分拨规则 · 惠企通</title>", "新建分拨规则", `href="/admin/routing/route-traffic"`, "区交通运输局",
				"企业所在街道（B 级）", "规则测试台", `name="t_enterprise"`, "共 15 条", "海湾国际物流有限公司"}},
		{Name: "dispatcher reads without editing", Method: "GET", Path: "/admin/routing", Actor: "dispatcher", Status: 200,
			Contains: []string{"规则测试台", "交通出行交交通运输局"}, NotContains: []string{"新建分拨规则", `href="/admin/routing/route-traffic"`}},
		{Name: "a handler may not", Method: "GET", Path: "/admin/routing", Actor: "handler", Status: 403},
		{Name: "visitors sign in first", Method: "GET", Path: "/admin/routing", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin%2Frouting"}},
		{Name: "pages", Method: "GET", Path: "/admin/routing?per_page=5&page=2", Actor: "admin", Status: 200,
			Contains: []string{"第 2 / 3 页", `rel="prev"`, `rel="next"`}},
		{Name: "search without a match", Method: "GET", Path: "/admin/routing?q=" + url.QueryEscape("火星"), Actor: "admin", Status: 200,
			Contains: []string{"没有符合条件的分拨规则"}},
		{Name: "filter by category", Method: "GET", Path: "/admin/routing?category=land", Actor: "admin", Status: 200,
			Contains: []string{"金沙街道用地厂房交工信局", "用地厂房交规划和自然资源局"}, NotContains: []string{"交通出行交交通运输局"}},

		{Name: "console hits a rule", Method: "GET", Actor: "dispatcher",
			Path:   "/admin/routing?test=1&t_category=dispute&t_type=help&t_region=p-logistics",
			Status: 200, Contains: []string{"命中规则“海港物流园矛盾纠纷由园区先行调处”", "分拨到 <strong>海港物流园</strong>（C 级）",
				"符合但排在后面", "不符合", "分类不符：规则限“交通出行”", "样本：</strong>矛盾纠纷 · 求助"}},
		{Name: "console without a hit", Method: "GET", Actor: "admin",
			Path:   "/admin/routing?test=1&t_category=park&t_type=help&t_region=sd-jinsha",
			Status: 200, Contains: []string{"没有规则命中", "符合但找不到承办单位"}},
		{Name: "console with an enterprise", Method: "GET", Actor: "admin",
			Path:   "/admin/routing?test=1&t_category=traffic&t_type=complaint&t_enterprise=ent-001",
			Status: 200, Contains: []string{"命中规则“海港街道交通投诉由街道先行处置”", "海湾国际物流有限公司"}},
		{Name: "console names the missing fields", Method: "GET", Path: "/admin/routing?test=1", Actor: "admin", Status: 400,
			Contains: []string{"样本诉求有误", "请选择诉求分类", "请选择企业，或选择一个区域"}},

		{Name: "new form", Method: "GET", Path: "/admin/routing/new", Actor: "admin", Status: 200,
			Contains: []string{"<title>新建分拨规则 · 惠企通</title>", `name="priority" value="100"`, `value="unit" checked`, "A 级 · 区交通运输局",
				"海港街道 · 海港物流园"}, NotContains: []string{"删除这条规则", `value="district"`}},
		{Name: "new form refused to a dispatcher", Method: "GET", Path: "/admin/routing/new", Actor: "dispatcher", Status: 403},
		create, badCreate, refused,
		adminPost("script in a name", "admin", "/admin/routing", script, 303),
		{Name: "script is escaped", Method: "GET", Path: "/admin/routing?per_page=100", Actor: "admin", Status: 200,
			Contains: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, NotContains: []string{"<script>alert(1)"}},

		{Name: "edit form", Method: "GET", Path: "/admin/routing/route-dispute", Actor: "admin", Status: 200,
			Contains: []string{"<title>修改分拨规则 · 惠企通</title>", `value="矛盾纠纷由企业所在街道调处"`, `value="own_subdistrict" checked`,
				`name="version" value="1"`, "删除这条规则", "确认删除"}},
		{Name: "edit form refused to a dispatcher", Method: "GET", Path: "/admin/routing/route-dispute", Actor: "dispatcher", Status: 403},
		{Name: "edit form of an unknown rule", Method: "GET", Path: "/admin/routing/no-such", Actor: "admin", Status: 404},
		update, stale, staleDelete, del,
	})
}

func TestCategoryPages(t *testing.T) {
	ts := newRoutingTestServer(t, true)
	badEdit := adminPost("edit shows errors", "admin", "/admin/categories/traffic", url.Values{"name": {"政策咨询"}, "order": {"x"}}, 400,
		"已有同名的分类", "至少选择一种可受理的诉求类型", "排序应为", `value="政策咨询"`)
	badEdit.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		c, err := ts.categories.CategoryByCode(t.Context(), "traffic")
		portaltest.Must(t, err, "traffic")
		if c.Name != "交通出行" || len(c.Types) != 3 || !c.Active {
			t.Errorf("a refused edit changed traffic: %+v", c)
		}
	}
	edit := adminPost("deactivate", "admin", "/admin/categories/traffic", url.Values{"name": {"交通出行"}, "order": {"60"},
		"types": {"help", "complaint"}}, 303)
	edit.After = func(t *testing.T, res *httptest.ResponseRecorder) {
		if flashOf(t, res) != "已保存诉求分类：交通出行" {
			t.Errorf("flash %q", flashOf(t, res))
		}
		c, err := ts.categories.CategoryByCode(t.Context(), "traffic")
		portaltest.Must(t, err, "traffic")
		if c.Active || len(c.Types) != 2 {
			t.Errorf("traffic after the edit: %+v", c)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "list", Method: "GET", Path: "/admin/categories", Actor: "admin", Status: 200,
			Contains: []string{"<title>诉求分类 · 惠企通</title>", "交通出行", "<code>traffic</code>", "求助、投诉、建议", "新建分类"}},
		{Name: "search without a match", Method: "GET", Path: "/admin/categories?q=" + url.QueryEscape("火星"), Actor: "admin", Status: 200,
			Contains: []string{"没有找到与「火星」相关的分类"}},
		{Name: "pages", Method: "GET", Path: "/admin/categories?per_page=4&page=3", Actor: "admin", Status: 200,
			Contains: []string{"第 3 / 3 页", "其他"}, NotContains: []string{"政策咨询"}},
		{Name: "a dispatcher may not", Method: "GET", Path: "/admin/categories", Actor: "dispatcher", Status: 403},
		{Name: "edit form", Method: "GET", Path: "/admin/categories?edit=traffic", Actor: "admin", Status: 200,
			Contains: []string{"修改分类：交通出行", `action="/admin/categories/traffic"`, `value="help" checked`, `value="60"`}},
		{Name: "edit form of an unknown code", Method: "GET", Path: "/admin/categories?edit=nothing", Actor: "admin", Status: 404},
		badEdit, edit,
		{Name: "deactivated shows", Method: "GET", Path: "/admin/categories", Actor: "admin", Status: 200, Contains: []string{"已停用"}},
		adminPost("create", "admin", "/admin/categories", url.Values{"code": {"energy"}, "name": {"能源保供"}, "types": {"help"}, "active": {"1"}}, 303),
		adminPost("create with a taken code", "admin", "/admin/categories", url.Values{"code": {"energy"}, "name": {"能源保障"}, "types": {"help"}}, 400,
			"分类代码已存在", `value="能源保障"`),
		adminPost("a dispatcher cannot create", "dispatcher", "/admin/categories", url.Values{"code": {"water"}, "name": {"用水保障"}, "types": {"help"}}, 403),
	})
	all, err := ts.categories.AllCategories(t.Context())
	portaltest.Must(t, err, "categories")
	if len(all) != 11 {
		t.Errorf("%d categories, want the 10 defaults and energy", len(all))
	}
}

// TestRoutingPagesInBrowser checks the rule list with a console answer and
// the rule form on a phone: nothing scrolls sideways.
func TestRoutingPagesInBrowser(t *testing.T) {
	ts := newRoutingTestServer(t, false)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/admin/routing"),
		chromedp.WaitVisible(`input[name=username]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, adminTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#console`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	for _, path := range []string{"/admin/routing?test=1&t_category=dispute&t_type=help&t_region=p-logistics#console",
		"/admin/routing/route-dispute", "/admin/categories?edit=traffic"} {
		var title, text string
		var scrollWidth, clientWidth int
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+path),
			chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
			chromedp.Title(&title),
			chromedp.Text(`main`, &text, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
			chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if strings.Contains(title, "出错") || strings.Contains(title, "无权") || strings.Contains(title, "登录") {
			t.Errorf("%s: title %q", path, title)
		}
		if strings.Contains(path, "test=1") && !strings.Contains(text, "命中规则") {
			t.Errorf("%s: the console answer is missing", path)
		}
		if scrollWidth > clientWidth {
			t.Errorf("%s at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", path, scrollWidth, clientWidth)
		}
	}
}
