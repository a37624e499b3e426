package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestCalendarPage(t *testing.T) {
	ts := newCalendarTestServer(t)
	page := func(name, actor, query string, status int, contains, lacks []string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "GET", Path: "/admin/calendar" + query, Actor: actor, Status: status,
			Contains: contains, NotContains: lacks}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		page("the year as shipped", "admin", "?year=2026", 200,
			[]string{"<title>工作日历 · 惠企通</title>", "2026 年工作日历", "系统内置", `<time datetime="2026-02-14">2月14日</time>`, "<td>周六</td>", "<mark>调休上班</mark>", "春节",
				`name="csrf_token"`, `<code>2026:builtin</code>`, "09:00–12:00、13:30–18:00", "Asia/Shanghai", `aria-current="page"`,
				"2026-01-01 休 元旦节", `<option value="2025">`, `href="/admin/calendar?year=2027"`}, nil),
		page("make-up days only", "admin", "?year=2026&kind=on", 200, []string{`datetime="2026-02-14"`, `datetime="2026-01-04"`}, []string{`datetime="2026-10-01"`}),
		page("search by holiday", "admin", "?year=2026&q=国庆", 200, []string{`datetime="2026-10-01"`}, []string{`datetime="2026-02-17"`}),
		page("search by month", "admin", "?year=2026&q=2026-05", 200, []string{`datetime="2026-05-09"`}, []string{`datetime="2026-10-01"`}),
		page("nothing matches", "admin", "?year=2026&q=圣诞", 200, []string{"没有符合条件的日期"}, []string{"<tbody>"}),
		page("pages of ten", "admin", "?year=2026&per_page=10&page=2", 200,
			[]string{"第 2 / 4 页", `href="/admin/calendar?page=3&amp;per_page=10&amp;year=2026"`}, nil),
		page("a bad page number", "admin", "?year=2026&page=0", 400, []string{"分页参数有误"}, nil),
		page("a year without data", "admin", "?year=2030", 200, []string{"尚未导入", "2030 年还没有节假日安排", "2030:weekends-only"}, nil),
		page("a bad year", "admin", "?year=abc", 400, []string{"年份必须是四位数字"}, nil),
		page("a year out of range", "admin", "?year=2150", 400, []string{"2000–2099"}, nil),
		page("deadline preview", "admin", "?year=2026&start=2026-02-13T17:00&amount=3&unit=working_days", 200,
			[]string{"截止于 <strong>2026-02-26 00:00</strong>", "即 2026-02-25（星期三）当天结束前", "<code>2026:builtin</code>"}, nil),
		page("working-hour preview", "admin", "?year=2026&start=2026-03-02T11:00&amount=2&unit=working_hours", 200,
			[]string{"2 个工作小时", "截止于 <strong>2026-03-02 14:30</strong>"}, []string{"当天结束前"}),
		page("bad deadline input is named", "admin", "?year=2026&start=2026-02-13T17:00&amount=0&unit=working_days", 200,
			[]string{"时限查询参数有误", "时限数量必须是 1–3650 的整数", `aria-invalid="true"`}, []string{"截止于"}),
		page("others are refused", "liaison", "", 403, []string{"只有系统管理员"}, nil),
		{Name: "visitors sign in first", Method: "GET", Path: "/admin/calendar", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin%2Fcalendar"}},
		page("the navigation links it", "admin", "", 200, []string{`href="/admin/calendar"`}, nil),
	})
	home := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/admin", Actor: "admin"})
	if !strings.Contains(home.Body.String(), `<a href="/admin/calendar">工作日历</a>`) {
		t.Error("the admin home does not list 工作日历")
	}
}

func TestCalendarPageImport(t *testing.T) {
	ts := newCalendarTestServer(t)
	text := "2027-01-01 休 元旦\n2027-02-06~2027-02-12 休 春节\n2027-02-13 班 春节\n"
	form := func(action, version, body string) url.Values {
		return url.Values{"year": {"2027"}, "version": {version}, "action": {action}, "text": {body}}
	}
	nothingStored := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := calendarStored(t, ts.db); len(got) != 0 {
			t.Errorf("stored %+v", got[0])
		}
	}
	bad := "2027-01-01 休 元旦\n2027-13-01 休\n2027-03-01 班\n"
	rn := ts.runner()
	preview := adminPost("preview", "admin", "/admin/calendar/import", form("preview", "0", text), 200,
		"预览：共 9 天", "新增或改变 9 天", "确认保存", `name="action" value="save"`, `datetime="2027-02-06"`, "改为调休上班")
	preview.After = nothingStored
	lines := adminPost("bad lines are named by number", "admin", "/admin/calendar/import", form("save", "0", bad), 400,
		"导入内容有 2 处错误", "第 2 行", "“2027-13-01”不是", "第 3 行", "是星期一", "2027-13-01 休")
	lines.After = nothingStored
	forbidden := adminPost("a liaison may not import", "liaison", "/admin/calendar/import", form("save", "0", text), 403)
	forbidden.After = nothingStored
	badVersion := adminPost("a missing version", "admin", "/admin/calendar/import", form("save", "", text), 400, "版本号缺失")
	badVersion.After = nothingStored
	noCSRF := portaltest.Scenario{Name: "without the CSRF token", Method: "POST", Path: "/admin/calendar/import", Actor: "admin",
		Body: form("save", "0", text).Encode(), Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		Status: 403, After: nothingStored}
	rn.Run(t, []portaltest.Scenario{preview, lines, forbidden, badVersion, noCSRF})

	body, headers := adminFormBody(form("save", "0", text))
	res := rn.Do(t, portaltest.Scenario{Method: "POST", Path: "/admin/calendar/import", Actor: "admin", Body: body, Headers: headers})
	if res.Code != 303 || res.Header().Get("Location") != "/admin/calendar?year=2027" {
		t.Fatalf("save: status %d, location %q: %s", res.Code, res.Header().Get("Location"), res.Body.String())
	}
	if got := flashOf(t, res); got != "已保存 2027 年工作日历（第 1 版）：休息日 8 天，调休上班日 1 天" {
		t.Errorf("flash = %q", got)
	}
	stale := adminPost("a stale save is 409 and keeps the text", "admin", "/admin/calendar/import",
		form("save", "0", "2027-05-03 休 劳动节\n"), 409, "已被他人修改", "2027-05-03 休 劳动节")
	stale.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := calendarStored(t, ts.db); len(got) != 1 || got[0].Version != 1 || len(got[0].DaysOff) != 8 {
			t.Errorf("a stale save changed the year: %+v", got)
		}
	}
	rn.Run(t, []portaltest.Scenario{
		{Name: "the saved year is shown", Method: "GET", Path: "/admin/calendar?year=2027", Actor: "admin", Status: 200,
			Contains: []string{"管理员导入或修改 · 第 1 版", "由 系统管理员 于", "<code>2027:v1</code>", `name="version" value="1"`, "2027-02-13 班 春节"}},
		stale,
	})
}

// TestCalendarPageInBrowser checks the calendar page on a phone-sized
// window: it must not scroll sideways, and a preview leads to a save.
func TestCalendarPageInBrowser(t *testing.T) {
	ts := newCalendarTestServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var scrollWidth, clientWidth int
	var flash string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/admin/calendar%3Fyear%3D2027"),
		chromedp.WaitVisible(`input[name=username]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, adminTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		chromedp.WaitVisible(`textarea[name=text]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		chromedp.SetValue(`textarea[name=text]:not([hidden])`, "2027-01-01 休 元旦\n2027-02-13 班 春节\n", chromedp.ByQuery),
		chromedp.Click(`form[action="/admin/calendar/import"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#preview-title`, chromedp.ByQuery),
		chromedp.Click(`article footer button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash-success`, chromedp.ByQuery),
		chromedp.Text(`.flash-success`, &flash, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("calendar page: %v", err)
	}
	if scrollWidth > clientWidth {
		t.Errorf("the calendar page at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", scrollWidth, clientWidth)
	}
	if !strings.Contains(flash, "已保存 2027 年工作日历（第 1 版）") {
		t.Errorf("flash after saving = %q", flash)
	}
	if got := calendarStored(t, ts.db); len(got) != 1 || len(got[0].DaysOn) != 1 {
		t.Errorf("stored = %+v", got)
	}
}
