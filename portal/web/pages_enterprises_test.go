package web

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// entCSRF is a CSRF token the page tests send as cookie and form field.
const entCSRF = "enterprise-pages-test-csrf-token-0123456789"

// pageForm is a form POST with a valid CSRF token.
func pageForm(name, actor, path string, form url.Values) portaltest.Scenario {
	if form == nil {
		form = url.Values{}
	}
	form.Set(csrfField, entCSRF)
	return portaltest.Scenario{Name: name, Method: "POST", Path: path, Actor: actor, Body: form.Encode(),
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrfCookie + "=" + entCSRF}}
}

// redirectsWithFlash checks a 303 to location that sets a flash message.
func redirectsWithFlash(location, message string) func(*testing.T, *httptest.ResponseRecorder) {
	return func(t *testing.T, res *httptest.ResponseRecorder) {
		if got := res.Header().Get("Location"); got != location {
			t.Errorf("Location %q, want %q", got, location)
		}
		var fl *flash
		for _, c := range res.Result().Cookies() {
			if c.Name == flashName {
				fl = takeFlashValue(c.Value)
			}
		}
		if fl == nil || !strings.Contains(fl.Message, message) {
			t.Errorf("flash %+v, want it to say %q", fl, message)
		}
	}
}

// takeFlashValue decodes a flash cookie value as the next page would.
func takeFlashValue(v string) *flash {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/", nil)
	c.Request.Header.Set("Cookie", flashName+"="+v)
	return takeFlash(c)
}

func TestEnterpriseListPage(t *testing.T) {
	ts := newEntServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor goes to sign in", Method: "GET", Path: "/admin/enterprises?q=x", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin%2Fenterprises%3Fq%3Dx"}},
		{Name: "pending user is told to wait", Method: "GET", Path: "/admin/enterprises", Actor: "pending", Status: 403,
			Contains: []string{"等待审核"}},
		{Name: "admin sees the directory", Method: "GET", Path: "/admin/enterprises", Actor: "admin", Status: 200,
			Contains: []string{"<title>企业名录 · 惠企通</title>", "共 12 家", `href="/admin/enterprises/new"`, `href="/admin/enterprises/import"`,
				`href="/admin/enterprises/ent-002"`, "金沙街道 · 黄金珠宝产业园", "文教、工美、体育和娱乐用品制造业",
				"黄金珠宝专班 黄联络", `type="search"`, `aria-current="page"`, `href="/registrations"`}},
		{Name: "liaison sees its caseload", Method: "GET", Path: "/admin/enterprises", Actor: "liaison", Status: 200,
			Contains:    []string{"<title>包干企业 · 惠企通</title>", "共 4 家", "海湾航运代理有限公司", ">包干企业</a>", `href="/registrations"`},
			NotContains: []string{"金沙珠宝", `href="/admin/enterprises/new"`}},
		{Name: "committee sees its chain", Method: "GET", Path: "/admin/enterprises", Actor: "committee", Status: 200,
			Contains: []string{"<title>链上企业 · 惠企通</title>", "东湾集装箱码头有限公司"}, NotContains: []string{"梅林生物医药"}},
		{Name: "handler sees an empty state", Method: "GET", Path: "/admin/enterprises", Actor: "handler", Status: 200,
			Contains: []string{"您的负责范围内还没有企业"}, NotContains: []string{"<table"}},
		{Name: "search with no match", Method: "GET", Path: "/admin/enterprises?q=" + url.QueryEscape("不存在的企业"), Actor: "admin", Status: 200,
			Contains: []string{"没有找到符合条件的企业", `value="不存在的企业"`}},
		{Name: "pagination", Method: "GET", Path: "/admin/enterprises?per_page=5&page=2&q=" + url.QueryEscape("有限公司"), Actor: "admin", Status: 200,
			Contains: []string{"第 2 / 3 页", `rel="prev"`, `rel="next"`, "page=1&amp;per_page=5&amp;q=", "page=3&amp;per_page=5&amp;q="}},
		{Name: "chain filter", Method: "GET", Path: "/admin/enterprises?chain=chain-health", Actor: "admin", Status: 200,
			Contains: []string{"共 2 家符合条件", `value="chain-health" selected`}},
		{Name: "bad page", Method: "GET", Path: "/admin/enterprises?page=0", Actor: "admin", Status: 400, Contains: []string{"分页参数"}},
	})
}

func TestEnterpriseDetailPage(t *testing.T) {
	ts := newEntServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin gets the full form", Method: "GET", Path: "/admin/enterprises/ent-001", Actor: "admin", Status: 200,
			Contains: []string{"<title>海湾国际物流有限公司 · 惠企通</title>", "修改企业信息", `name="name"`, `name="liaison_id"`,
				`<option value="sd-haigang" selected>海港街道</option>`, `value="chain-port" checked`, `name="csrf_token"`}},
		{Name: "enterprise gets its contact form", Method: "GET", Path: "/admin/enterprises/ent-001", Actor: "enterprise", Status: 200,
			Contains: []string{"修改联系方式", `name="contact_phone"`, "港口物流专班 张联络"}, NotContains: []string{`name="name"`, `name="liaison_id"`}},
		{Name: "liaison reads without a form", Method: "GET", Path: "/admin/enterprises/ent-001", Actor: "liaison", Status: 200,
			Contains: []string{"海湾国际物流有限公司", "陈海燕，13800000001"}, NotContains: []string{`<form method="post" action="/admin/enterprises/ent-001"`}},
		{Name: "another enterprise is not found", Method: "GET", Path: "/admin/enterprises/ent-002", Actor: "enterprise", Status: 404,
			Contains: []string{"企业不存在"}, NotContains: []string{"金沙"}},
		{Name: "admin new form", Method: "GET", Path: "/admin/enterprises/new", Actor: "admin", Status: 200, Contains: []string{`name="uscc"`, "新增企业"}},
		{Name: "liaison has no new form", Method: "GET", Path: "/admin/enterprises/new", Actor: "liaison", Status: 403},
	})
}

func TestEnterpriseFormSubmits(t *testing.T) {
	ts := newEntServer(t)
	adminForm := url.Values{"name": {"海港冷链仓储有限公司"}, "address": {"临港大道 9 号"}, "subdistrict_id": {"sd-haigang"},
		"park_id": {"c-haigang-lingang"}, "industry_section": {"G"}, "industry_division": {"59"}, "contact_name": {"王立强"},
		"contact_phone": {"0755-12345678"}, "liaison_id": {"u-liaison"}, "chain_ids_present": {"1"}, "chain_ids": {"chain-port", "chain-tourism"}}
	bad := url.Values{}
	for k, v := range adminForm {
		bad[k] = v
	}
	bad.Set("contact_phone", "12")
	bad.Set("contact_name", "不该保存的人")
	newForm := url.Values{"uscc": {webUSCC(t, 60)}, "name": {"页面新增有限公司"}, "chain_ids_present": {"1"}}
	badNew := url.Values{"uscc": {wrongCheck(webUSCC(t, 61))}, "name": {"坏代码有限公司"}}
	noCSRF := pageForm("without CSRF token", "admin", "/admin/enterprises/ent-003", url.Values{"contact_name": {"x"}})
	noCSRF.Headers["Cookie"] = ""
	noCSRF.Status, noCSRF.Contains = 403, []string{"页面已过期"}
	steps := []portaltest.Scenario{
		noCSRF,
		pageForm("admin saves", "admin", "/admin/enterprises/ent-003", adminForm),
		pageForm("bad phone shows the form again", "admin", "/admin/enterprises/ent-003", bad),
		pageForm("enterprise saves its contact", "enterprise", "/admin/enterprises/ent-001", url.Values{"contact_name": {"陈新"}, "contact_phone": {"13811112222"}, "address": {"港前路 20 号"}}),
		pageForm("enterprise may not rename", "enterprise", "/admin/enterprises/ent-001", url.Values{"name": {"改名"}, "contact_name": {"不该保存"}}),
		pageForm("liaison may not edit", "liaison", "/admin/enterprises/ent-001", url.Values{"contact_name": {"不该保存"}}),
		pageForm("admin creates", "admin", "/admin/enterprises", newForm),
		pageForm("bad USCC shows the new form again", "admin", "/admin/enterprises", badNew),
		pageForm("liaison may not create", "liaison", "/admin/enterprises", newForm),
	}
	steps[1].Status, steps[1].After = 303, redirectsWithFlash("/admin/enterprises/ent-003", "已保存")
	steps[2].Status, steps[2].Contains = 400, []string{"企业信息有误", "联系电话格式不正确", `value="不该保存的人"`, `aria-invalid="true"`}
	steps[3].Status, steps[3].After = 303, redirectsWithFlash("/admin/enterprises/ent-001", "已保存")
	steps[4].Status, steps[4].Contains = 403, []string{"不能修改：企业名称", "修改联系方式"}
	steps[5].Status, steps[5].Contains = 403, []string{"无权修改"}
	steps[6].Status, steps[6].After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		e, err := ts.ents.FindEnterpriseByUSCC(context.Background(), webUSCC(t, 60))
		portaltest.Must(t, err, "created")
		redirectsWithFlash("/admin/enterprises/"+e.ID, "已新增企业：页面新增有限公司")(t, res)
	}
	steps[7].Status, steps[7].Contains = 400, []string{"校验位错误", `value="` + wrongCheck(webUSCC(t, 61)) + `"`}
	steps[8].Status = 403
	ts.runner().Run(t, steps)

	e3 := ts.enterprise(t, "ent-003")
	if e3.ContactPhone != "0755-12345678" || e3.ContactName != "王立强" || len(e3.ChainIDs) != 2 {
		t.Errorf("ent-003 %+v", e3)
	}
	if e1 := ts.enterprise(t, "ent-001"); e1.ContactName != "陈新" || e1.Name != "海湾国际物流有限公司" {
		t.Errorf("ent-001 %+v", e1)
	}
	if n := ts.count(t); n != 13 {
		t.Errorf("%d enterprises, want 13", n)
	}
}

func TestEnterpriseImportPage(t *testing.T) {
	ts := newEntServer(t)
	file := strings.Join(portal.ImportColumns, ",") + "\n" +
		webUSCC(t, 70) + ",页面导入有限公司,,梅林街道,生命健康产业园,,,,,,生命健康\n" +
		webUSCC(t, 71) + ",街道不对有限公司,,东湾街道,生命健康产业园,,,,,,\n"
	upload := func(name, actor string, content []byte) portaltest.Scenario {
		body, ct := multipartFile(t, "企业名单.csv", content, map[string]string{csrfField: entCSRF})
		return portaltest.Scenario{Name: name, Method: "POST", Path: "/admin/enterprises/import", Actor: actor, Body: body,
			Headers: map[string]string{"Content-Type": ct, "Cookie": csrfCookie + "=" + entCSRF}}
	}
	good, wrong, denied := upload("report", "admin", []byte(file)), upload("wrong type", "admin", []byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0}),
		upload("liaison may not import", "liaison", []byte(file))
	good.Status, good.Contains = 200, []string{"导入结果：企业名单.csv", "<strong>1</strong><span>新增</span>", "1 行未导入",
		"第 3 行", "东湾街道下没有名为“生命健康产业园”的社区或园区"}
	wrong.Status, wrong.Contains = 400, []string{"导入未进行", "image/png"}
	denied.Status = 403
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "page", Method: "GET", Path: "/admin/enterprises/import", Actor: "admin", Status: 200,
			Contains: []string{`enctype="multipart/form-data"`, `href="/admin/enterprises/import/template.xlsx"`, `href="/admin/enterprises/import/template.csv"`}},
		{Name: "liaison has no import page", Method: "GET", Path: "/admin/enterprises/import", Actor: "liaison", Status: 403},
		good, wrong, denied,
		{Name: "csv template", Method: "GET", Path: "/admin/enterprises/import/template.csv", Actor: "admin", Status: 200,
			Contains: []string{"\ufeff统一社会信用代码,企业名称,地址"},
			Header:   map[string]string{"Content-Type": "text/csv; charset=utf-8"}},
		{Name: "xlsx template", Method: "GET", Path: "/admin/enterprises/import/template.xlsx", Actor: "admin", Status: 200,
			Header: map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				if cd := res.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
					t.Errorf("Content-Disposition %q", cd)
				}
				book, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
				portaltest.Must(t, err, "open the downloaded template")
				defer book.Close()
				if v, _ := book.GetCellValue(book.GetSheetList()[0], "K1"); v != "产业链" {
					t.Errorf("K1 = %q", v)
				}
			}},
		{Name: "template for admins only", Method: "GET", Path: "/admin/enterprises/import/template.csv", Actor: "committee", Status: 403},
	})
	if n := ts.count(t); n != 13 {
		t.Errorf("%d enterprises, want 13", n)
	}
}

func TestRegisterPages(t *testing.T) {
	ts := newEntServer(t)
	form := url.Values{"uscc": {webUSCC(t, 80)}, "company_name": {"页面注册有限公司"}, "contact_name": {"孙经办"},
		"phone": {"13500000000"}, "username": {"sun.jingban"}, "password": {"Tq3@xRv-2025"}}
	bad := url.Values{"uscc": {"123"}, "company_name": {"<b>坏</b>公司"}, "contact_name": {"孙"}, "phone": {"1"},
		"username": {"sun.jingban"}, "password": {"Secret-Not-Shown"}}
	ok := pageForm("register", "", "/register", form)
	ok.Status, ok.After = 303, redirectsWithFlash("/login", "注册成功")
	refused := pageForm("bad input shows the form again", "", "/register", bad)
	refused.Status = 400
	refused.Contains = []string{"注册信息有误", "统一社会信用代码应为 18 位", "用户名已被使用", `value="&lt;b&gt;坏&lt;/b&gt;公司"`}
	refused.NotContains = []string{"Secret-Not-Shown"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "login links to registration", Method: "GET", Path: "/login", Status: 200, Contains: []string{`href="/register"`}},
		{Name: "form", Method: "GET", Path: "/register", Status: 200,
			Contains: []string{"<title>注册企业账号 · 惠企通</title>", `name="uscc"`, `name="company_name"`, `autocomplete="new-password"`}},
		{Name: "signed-in users go home", Method: "GET", Path: "/register", Actor: "admin", Status: 303},
		ok, refused,
	})
	u, err := ts.users.FindUserByUsername(context.Background(), "sun.jingban")
	portaltest.Must(t, err, "registered user")
	if u.Status != portal.UserPending {
		t.Errorf("status %s", u.Status)
	}
}

func TestRegistrationsPage(t *testing.T) {
	ts := newEntServer(t)
	second := &portal.User{ID: "u-pending2", Username: "pending2", DisplayName: "吴待审", Roles: []portal.Role{portal.RoleEnterprise},
		EnterpriseID: "ent-010", Status: portal.UserPending, PasswordHash: "x"}
	portaltest.Must(t, ts.users.CreateUser(context.Background(), second), "second pending user")
	rejectNoReason := pageForm("reject without a reason", "liaison", "/registrations/u-pending2/reject", url.Values{"reason": {" "}})
	rejectNoReason.Status, rejectNoReason.Contains = 400, []string{"请填写拒绝理由", `aria-invalid="true"`}
	verify := pageForm("verify", "liaison", "/registrations/u-pending/verify", nil)
	verify.Status, verify.After = 303, redirectsWithFlash("/registrations", "已通过 刘待审（pending）的注册")
	reject := pageForm("reject", "liaison", "/registrations/u-pending2/reject", url.Values{"reason": {"不是本企业员工"}})
	reject.Status, reject.After = 303, redirectsWithFlash("/registrations", "已拒绝 吴待审")
	otherLiaison := pageForm("another liaison cannot verify", "liaison2", "/registrations/u-pending2/verify", nil)
	otherLiaison.Status = 404
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "liaison sees its registrations", Method: "GET", Path: "/registrations", Actor: "liaison", Status: 200,
			Contains: []string{"注册审核", "刘待审", "吴待审", "海港冷链仓储有限公司", "通过", "拒绝", `action="/registrations/u-pending/verify"`}},
		{Name: "other liaison has none", Method: "GET", Path: "/registrations", Actor: "liaison2", Status: 200,
			Contains: []string{"没有待审核的注册"}},
		{Name: "search", Method: "GET", Path: "/registrations?q=pending2", Actor: "admin", Status: 200,
			Contains: []string{"吴待审"}, NotContains: []string{"刘待审"}},
		{Name: "handler may not", Method: "GET", Path: "/registrations", Actor: "handler", Status: 403},
		otherLiaison, rejectNoReason, verify, reject,
		{Name: "nothing left", Method: "GET", Path: "/registrations", Actor: "admin", Status: 200, Contains: []string{"没有待审核的注册"}},
	})
	for id, want := range map[string]portal.UserStatus{"u-pending": portal.UserActive, "u-pending2": portal.UserDisabled} {
		if u, err := ts.users.FindUserByID(context.Background(), id); err != nil || u.Status != want {
			t.Errorf("%s: %v %v, want %s", id, u, err, want)
		}
	}
}

// TestEnterprisePagesOnAPhone signs in through the login form in Chromium
// at phone width and checks the directory and the registration form do
// not scroll sideways.
func TestEnterprisePagesOnAPhone(t *testing.T) {
	ts := newEntServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var regWidth, listWidth, clientWidth int
	var listText string
	err := chromedp.Run(ctx,
		// Headless windows are at least 500 px wide; the viewport is set exactly.
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/register"),
		chromedp.WaitVisible(`input[name="uscc"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &regWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		chromedp.Navigate(srv.URL+"/login?next=/admin/enterprises"),
		chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="username"]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, entTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table`, chromedp.ByQuery),
		chromedp.Text("main", &listText, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &listWidth),
	)
	if err != nil {
		t.Fatalf("browse: %v", err)
	}
	if regWidth > clientWidth || listWidth > clientWidth {
		t.Errorf("pages scroll sideways at 375px: register %d, list %d, viewport %d", regWidth, listWidth, clientWidth)
	}
	if !strings.Contains(listText, "海湾国际物流有限公司") || !strings.Contains(listText, "共 12 家") {
		t.Errorf("directory text: %q", listText)
	}
}
