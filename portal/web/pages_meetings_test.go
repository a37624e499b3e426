package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestMeetingPages(t *testing.T) {
	ts := newMtgServer(t)
	held := ts.meeting(t, "committee", -3, "港口物流产业链三季度联席会议")
	next := ts.meeting(t, "committee", 4, "港口物流产业链四季度联席会议")
	raised := ts.file(t, "liaison", portal.RequestInput{EnterpriseID: "ent-001", Title: "港区夜间货车通行证办理",
		Channel: portal.ChannelJointMeeting, SourceID: held.ID, SourceName: held.Title})
	heldPath, nextPath := "/meetings/"+held.ID, "/meetings/"+next.ID
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor signs in", Method: "GET", Path: "/meetings", Status: 303},
		{Name: "committee list: upcoming first", Method: "GET", Path: "/meetings", Actor: "committee", Status: 200,
			Contains: []string{"<title>会议 · 惠企通</title>", `href="/meetings/new"`, "即将召开", "已召开", `aria-current="page"`},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				body := res.Body.String()
				if i, j := strings.Index(body, next.Title), strings.Index(body, held.Title); i < 0 || j < 0 || i > j {
					t.Errorf("the upcoming meeting is not listed first")
				}
			}},
		{Name: "search", Method: "GET", Path: "/meetings?q=" + url.QueryEscape("三季度"), Actor: "committee", Status: 200,
			Contains: []string{held.Title}, NotContains: []string{next.Title}},
		{Name: "search finds nothing", Method: "GET", Path: "/meetings?q=" + url.QueryEscape("不存在的会议"), Actor: "committee", Status: 200,
			Contains: []string{"没有符合条件的会议"}},
		{Name: "bad filter", Method: "GET", Path: "/meetings?type=party", Actor: "committee", Status: 400, Contains: []string{"未知的会议类型"}},
		{Name: "editor sees none", Method: "GET", Path: "/meetings", Actor: "editor", Status: 200, Contains: []string{"还没有会议"},
			NotContains: []string{`href="/meetings/new"`}},
		{Name: "enterprise sees the upcoming one", Method: "GET", Path: "/meetings", Actor: "enterprise", Status: 200,
			Contains: []string{"<title>会议议题征集 · 惠企通</title>", next.Title}, NotContains: []string{held.Title}},
		{Name: "committee page of a held meeting", Method: "GET", Path: heldPath, Actor: "committee", Status: 200,
			Contains:    []string{held.Title, "区交通运输局", "海湾国际物流有限公司", "纪要尚未记录", "记录纪要", raised.No},
			NotContains: []string{"提交议题", "登记本次会议诉求"}}, // committee members file no requests
		{Name: "liaison page of a held meeting", Method: "GET", Path: heldPath, Actor: "liaison", Status: 200,
			Contains:    []string{raised.No, "登记本次会议诉求", "/requests/new?channel=joint_meeting&amp;source_id=" + held.ID},
			NotContains: []string{"记录纪要"}},
		{Name: "committee page of an upcoming meeting", Method: "GET", Path: nextPath, Actor: "committee", Status: 200,
			Contains: []string{"提交议题", `name="request_id"`, raised.No}, NotContains: []string{"确定议定事项"}}, // decided only once held
		{Name: "committee page of a held meeting", Method: "GET", Path: heldPath, Actor: "committee", Status: 200,
			Contains: []string{"确定议定事项", heldPath + "/action-items/new"}},
		{Name: "enterprise page", Method: "GET", Path: nextPath, Actor: "enterprise", Status: 200,
			Contains: []string{"提交议题", "本企业提交的议题"}, NotContains: []string{`name="request_id"`, "会议纪要", "参会企业", "登记本次会议诉求"}},
		{Name: "department reads, cannot add", Method: "GET", Path: nextPath, Actor: "handler", Status: 200,
			NotContains: []string{"提交议题</button>"}},
		{Name: "other chain", Method: "GET", Path: nextPath, Actor: "liaison2", Status: 404},
		{Name: "enterprise after the meeting", Method: "GET", Path: heldPath, Actor: "enterprise", Status: 404},
		pageFormExpect(pageForm("empty topic", "enterprise", nextPath+"/topics", url.Values{"title": {""}}), 400, "请填写议题"),
		pageFormExpect(pageForm("enterprise topic", "enterprise", nextPath+"/topics", url.Values{"title": {"港区夜间通行证办理周期长"}}), 303, ""),
		pageFormExpect(pageForm("linked topic", "liaison", nextPath+"/topics", url.Values{"request_id": {raised.ID}}), 303, ""),
		pageFormExpect(pageForm("topic after the meeting", "liaison", heldPath+"/topics", url.Values{"title": {"会后的议题内容"}}), 409, "已经召开"),
		pageFormExpect(pageForm("short minutes", "committee", heldPath+"/minutes", url.Values{"minutes": {"短"}, "version": {"1"}}), 400, "会议纪要至少 10 个字"),
		pageFormExpect(pageForm("stale minutes", "committee", heldPath+"/minutes", url.Values{"minutes": {"一、港区通行证由区交通运输局牵头办理。"}, "version": {"7"}}), 409, "刚被他人修改"),
		pageFormExpect(pageForm("minutes", "committee", heldPath+"/minutes", url.Values{"minutes": {"一、港区通行证由区交通运输局牵头办理。"}, "version": {"1"}}), 303, ""),
		pageFormExpect(pageForm("minutes by a department", "handler", heldPath+"/minutes", url.Values{"minutes": {"部门写的会议纪要内容"}, "version": {"2"}}), 403, ""),
		{Name: "minutes and topics shown", Method: "GET", Path: nextPath, Actor: "committee", Status: 200,
			Contains: []string{"港区夜间通行证办理周期长", "议题（2）", `href="/requests/` + raised.ID + `"`}},
	})
	m, err := ts.meetings.Get(ts.as(t, "committee"), held.ID)
	portaltest.Must(t, err, "held")
	if !strings.Contains(m.Minutes, "牵头办理") || m.Version != 2 {
		t.Fatalf("minutes %q v%d", m.Minutes, m.Version)
	}
}

// pageFormExpect sets the expected status and a text of a form scenario.
func pageFormExpect(sc portaltest.Scenario, status int, text string) portaltest.Scenario {
	sc.Status = status
	if text != "" {
		sc.Contains = []string{text}
	}
	return sc
}

func TestMeetingNewPage(t *testing.T) {
	ts := newMtgServer(t)
	at := ts.clock.AddDate(0, 0, 5).In(districtTZ).Format("2006-01-02T15:04")
	form := url.Values{"chain_id": {"chain-port"}, "type": {"joint_meeting"}, "title": {"港口物流产业链联席会议"}, "at": {at},
		"place": {"区政府三楼第一会议室"}, "convener_unit_id": {"dept-trans"}, "department_ids": {"dept-trans", "dept-hrss"},
		"enterprise_ids": {"ent-001", "ent-003"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("place", "")
	bad["enterprise_ids"] = []string{"ent-002"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "committee form", Method: "GET", Path: "/meetings/new", Actor: "committee", Status: 200,
			Contains:    []string{"安排会议", `value="chain-port" selected`, `name="enterprise_ids" value="ent-001"`, `name="department_ids" value="dept-trans"`},
			NotContains: []string{`value="chain-jewelry"`, `value="ent-002"`}},
		{Name: "dispatcher may not", Method: "GET", Path: "/meetings/new", Actor: "dispatcher", Status: 403},
		pageFormExpect(pageForm("bad form", "committee", "/meetings", bad), 400, "会议地点至少 2 个字"),
		{Name: "nothing stored", Method: "GET", Path: "/meetings", Actor: "committee", Status: 200, Contains: []string{"还没有会议"}},
		pageFormExpect(pageForm("dispatcher posts", "dispatcher", "/meetings", form), 403, ""),
	})
	if n := ts.countDocs(t, "meetings"); n != 0 {
		t.Fatalf("refused forms stored %d meetings", n)
	}
	res := ts.runner().Do(t, pageForm("create", "committee", "/meetings", form))
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/meetings/") {
		t.Fatalf("create: %d %s", res.Code, res.Body.String())
	}
	ts.runner().Run(t, []portaltest.Scenario{{Name: "created", Method: "GET", Path: res.Header().Get("Location"), Actor: "committee",
		Status: 200, Contains: []string{"港口物流产业链联席会议", "区人力资源和社会保障局", "海港冷链仓储有限公司"}}})
}

// TestRequestNewFromMeeting: the meeting page's button opens the filing
// form with the channel and source, and the request filed names the meeting.
func TestRequestNewFromMeeting(t *testing.T) {
	ts := newMtgServer(t)
	m := ts.meeting(t, "committee", -1, "港口物流产业链联席会议")
	link := "/requests/new?" + url.Values{"channel": {"joint_meeting"}, "source_id": {m.ID}, "source_name": {m.Title}}.Encode()
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "prefilled", Method: "GET", Path: link, Actor: "liaison", Status: 200,
			Contains: []string{`name="source_id" value="` + m.ID + `"`, `value="港口物流产业链联席会议"`, `value="joint_meeting" data-source selected`}},
		pageFormExpect(pageForm("file", "liaison", "/requests", url.Values{"enterprise_id": {"ent-001"}, "channel": {"joint_meeting"},
			"source_id": {m.ID}, "source_name": {m.Title}, "title": {"港区夜间货车通行证办理"}, "type": {"help"}, "category": {"traffic"},
			"description": {"夜间进港需要通行证，办理周期长，影响车辆调度。"}}), 303, ""),
	})
	r := ts.only(t)
	if r.Source == nil || r.Source.ID != m.ID || r.Channel != portal.ChannelJointMeeting {
		t.Fatalf("filed from %+v by %s", r.Source, r.Channel)
	}
	ts.runner().Run(t, []portaltest.Scenario{{Name: "listed on the meeting", Method: "GET", Path: "/meetings/" + m.ID, Actor: "committee",
		Status: 200, Contains: []string{r.No, "会上收集的诉求（1）"}}})
}

func TestVisitPages(t *testing.T) {
	ts := newMtgServer(t)
	today := ts.clock.In(districtTZ).Format("2006-01-02")
	row := func(v url.Values, i int, title, desc string) {
		p := "requests." + string(rune('0'+i)) + "."
		v.Set(p+"title", title)
		v.Set(p+"type", "help")
		v.Set(p+"category", "traffic")
		v.Set(p+"description", desc)
	}
	base := func(rows int) url.Values {
		return url.Values{"enterprise_id": {"ent-001"}, "at": {today}, "people_met": {"陈海燕（行政总监）"}, "notes": {"企业经营正常"},
			"rows": {string(rune('0' + rows))}}
	}
	two := base(2)
	row(two, 0, "港区货车夜间通行证办理", "夜间进港需要通行证，办理周期长，影响车辆调度。")
	row(two, 1, "短", "港前路缺少货车停车位，司机只能路边停车。")
	blank := base(1)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "empty list", Method: "GET", Path: "/visits", Actor: "liaison", Status: 200,
			Contains: []string{"<title>我的走访 · 惠企通</title>", "还没有走访记录", `href="/visits/new"`}},
		{Name: "handler may not", Method: "GET", Path: "/visits", Actor: "handler", Status: 403},
		{Name: "form", Method: "GET", Path: "/visits/new", Actor: "liaison", Status: 200,
			Contains:    []string{`value="` + today + `"`, `max="` + today + `"`, "海湾航运代理有限公司", `name="requests.0.title"`},
			NotContains: []string{"金沙珠宝首饰有限公司"}},
		pageFormExpect(pageForm("add a row", "liaison", "/visits", with(two, "op", "add")), 200, `name="requests.2.title"`),
		pageFormExpect(pageForm("remove a row", "liaison", "/visits", with(two, "op", "remove-0")), 200, "港前路缺少货车停车位"),
		pageFormExpect(pageForm("bad row stores nothing", "liaison", "/visits", with(two, "op", "save")), 400, "诉求标题至少 4 个字"),
		pageFormExpect(pageForm("future date", "liaison", "/visits", with(blank, "at", ts.clock.AddDate(0, 0, 3).In(districtTZ).Format("2006-01-02"))), 400, "走访日期不能晚于今天"),
		pageFormExpect(pageForm("outside the caseload", "liaison", "/visits", with(blank, "enterprise_id", "ent-002")), 404, "不在您的包干范围内"),
	})
	if v, r := ts.countDocs(t, "visits"), ts.requestCount(t); v != 0 || r != 0 {
		t.Fatalf("refused forms stored %d visits and %d requests", v, r)
	}
	good := with(two, "requests.1.title", "港前路增设货车停车位")
	res := ts.runner().Do(t, pageForm("save", "liaison", "/visits", good))
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/visits/") {
		t.Fatalf("save: %d %s", res.Code, res.Body.String())
	}
	redirectsWithFlash(res.Header().Get("Location"), "2 条诉求已提交分拨")(t, res)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visit page", Method: "GET", Path: res.Header().Get("Location"), Actor: "liaison", Status: 200,
			Contains: []string{"海湾国际物流有限公司", "陈海燕（行政总监）", "港前路增设货车停车位", "走访中收集的诉求（2）"}},
		{Name: "another liaison", Method: "GET", Path: res.Header().Get("Location"), Actor: "liaison2", Status: 404},
		{Name: "list", Method: "GET", Path: "/visits", Actor: "liaison", Status: 200, Contains: []string{"登记诉求 2 条"}},
		{Name: "dispatcher sees all", Method: "GET", Path: "/visits", Actor: "dispatcher", Status: 200,
			Contains: []string{"<title>企业走访 · 惠企通</title>", "海湾国际物流有限公司", "我的走访"}},
		{Name: "dispatcher's own", Method: "GET", Path: "/visits?mine=1", Actor: "dispatcher", Status: 200, Contains: []string{"还没有走访记录"}},
	})
}

// with returns a copy of v with key set to value.
func with(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	out.Set(key, value)
	return out
}

// TestVisitFormOnAPhone fills in the visit form in Chromium at 375 px:
// nothing scrolls sideways, a second request is added inline and the
// visit is saved with both.
func TestVisitFormOnAPhone(t *testing.T) {
	ts := newMtgServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var scroll, client, afterScroll, afterClient int
	width := func(s, c *int) chromedp.Tasks {
		return chromedp.Tasks{chromedp.Evaluate(`document.documentElement.scrollWidth`, s),
			chromedp.Evaluate(`document.documentElement.clientWidth`, c)}
	}
	fill := func(i, title, desc string) chromedp.Tasks {
		p := `[name="requests.` + i + `.`
		return chromedp.Tasks{
			chromedp.SendKeys(p+`title"]`, title, chromedp.ByQuery),
			chromedp.SetValue(p+`type"]`, "help", chromedp.ByQuery),
			chromedp.SetValue(p+`category"]`, "traffic", chromedp.ByQuery),
			chromedp.SendKeys(p+`description"]`, desc, chromedp.ByQuery),
		}
	}
	var heading string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(srv.URL+"/login?next=/visits/new"),
		chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name="username"]`, "liaison", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="password"]`, entTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.visit-form`, chromedp.ByQuery),
		width(&scroll, &client),
		chromedp.SetValue(`select[name="enterprise_id"]`, "ent-001", chromedp.ByQuery),
		chromedp.SendKeys(`input[name="people_met"]`, "陈海燕（行政总监）", chromedp.ByQuery),
		fill("0", "港区货车夜间通行证办理", "夜间进港需要通行证，办理周期长，影响车辆调度。"),
		chromedp.Click(`button[value="add"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[name="requests.1.title"]`, chromedp.ByQuery),
		fill("1", "港前路增设货车停车位", "港前路缺少货车停车位，司机只能路边停车。"),
		chromedp.Click(`button.req-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`.mtg-facts`, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		width(&afterScroll, &afterClient),
	)
	if err != nil {
		t.Fatalf("fill in the visit form: %v", err)
	}
	if scroll > client || afterScroll > afterClient {
		t.Errorf("scrolls sideways: form %d > %d, visit page %d > %d", scroll, client, afterScroll, afterClient)
	}
	if heading != "海湾国际物流有限公司" {
		t.Errorf("landed on %q", heading)
	}
	page, err := ts.visits.List(ts.as(t, "liaison"), portal.VisitQuery{})
	portaltest.Must(t, err, "visits")
	if page.Total != 1 || len(page.Items[0].RequestIDs) != 2 {
		t.Fatalf("stored %d visits", page.Total)
	}
}
