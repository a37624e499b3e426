package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestClauseText(t *testing.T) {
	for _, tc := range []struct{ field, op, typed, json, shown string }{
		{"employees", "gte", "50", `50`, "50"},
		{"revenue", "between", "100，2000", `[100,2000]`, "100,2000"},
		{"revenue", "between", "100-2000", `[100,2000]`, "100,2000"},
		{"employees", "gte", "许多", `"许多"`, "许多"},
		{"founded", "within_years", "3", `3`, "3"},
		{"founded", "gte", "2020-01-01", `"2020-01-01"`, "2020-01-01"},
		{"tax_rating", "in", "A、B", `["A","B"]`, "A,B"},
		{"size_class", "in", "小型,微型", `["small","micro"]`, "小型,微型"},
		{"industry", "in", "G, 58", `["G","58"]`, "G,58"},
		{"qualifications", "has", "高新技术企业", `"高新技术企业"`, "高新技术企业"},
	} {
		raw := clauseJSON(tc.field, tc.op, tc.typed)
		if string(raw) != tc.json {
			t.Errorf("clauseJSON(%s %s %q) = %s, want %s", tc.field, tc.op, tc.typed, raw, tc.json)
		}
		if got := clauseText(policies.Clause{Field: tc.field, Op: tc.op, Value: raw}, ","); got != tc.shown {
			t.Errorf("clauseText(%s) = %q, want %q", raw, got, tc.shown)
		}
	}
	if clauseJSON("employees", "gte", "  ") != nil {
		t.Error("an empty value should give no JSON, so that validation asks for one")
	}
	for _, tc := range []struct {
		c    policies.Clause
		want string
	}{
		{policies.Clause{Field: "employees", Op: "gte", Value: []byte(`50`)}, "从业人员不低于 50 人"},
		{policies.Clause{Field: "revenue", Op: "between", Value: []byte(`[100,2000]`)}, "营业收入介于 100–2000 万元"},
		{policies.Clause{Field: "founded", Op: "within_years", Value: []byte(`3`)}, "成立不满 3 年"},
		{policies.Clause{Field: "industry", Op: "in", Value: []byte(`["G","58"]`)}, "所属行业属于交通运输、仓储和邮政业、多式联运和运输代理业"},
		{policies.Clause{Field: "region", Op: "in", Value: []byte(`["sd-haigang"]`)}, "所在区域属于海港街道"},
		{policies.Clause{Field: "size_class", Op: "in", Value: []byte(`["small","micro"]`)}, "企业规模属于小型、微型"},
		{policies.Clause{Field: "employees", Op: "gte", Value: []byte(`50`), Label: "五十人以上"}, "五十人以上"},
	} {
		if got := describeClause(tc.c, map[string]string{"sd-haigang": "海港街道"}); got != tc.want {
			t.Errorf("describeClause(%s %s %s) = %q, want %q", tc.c.Field, tc.c.Op, tc.c.Value, got, tc.want)
		}
	}
}

func TestAdminPoliciesPage(t *testing.T) {
	ts := newPolicyPageServer(t)
	demoDraft := ts.demoPolicy(t, "draft", func(p *policies.Policy) bool { return p.Status == policies.StatusDraft })
	total := ts.policyCount(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "a visitor signs in first", Method: "GET", Path: "/admin/policies", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin%2Fpolicies"}},
		{Name: "an enterprise is refused", Method: "GET", Path: "/admin/policies", Actor: "enterprise", Status: 403, Contains: []string{"政策编辑"}},
		{Name: "the editor sees every status", Method: "GET", Path: "/admin/policies", Actor: "editor", Status: 200,
			Contains: []string{"<title>政策管理 · 惠企通</title>", "共 " + strconv.Itoa(total) + " 条", `href="/admin/policies/new"`, `rel="next"`,
				`aria-current="page"`, ts.xss.Title}},
		{Name: "drafts only", Method: "GET", Path: "/admin/policies?status=draft", Actor: "editor", Status: 200,
			Contains:    []string{demoDraft.Title, ts.draft.Title, `<option value="draft" selected>`, "符合条件"},
			NotContains: []string{ts.near.Title, `status-published`}},
		{Name: "search within a status", Method: "GET", Path: "/admin/policies?status=published&q=" + q("港口物流企业规模化"), Actor: "editor", Status: 200,
			Contains: []string{ts.near.Title}, NotContains: []string{ts.draft.Title}},
		{Name: "the admin also links to the matches", Method: "GET", Path: "/admin/policies?status=published&q=" + q("港口物流企业规模化"), Actor: "admin",
			Status: 200, Contains: []string{`href="/admin/policies/` + ts.near.ID + `/matches"`}},
		{Name: "nothing found", Method: "GET", Path: "/admin/policies?q=zqxjkwvv", Actor: "editor", Status: 200,
			Contains: []string{"没有找到符合条件的政策"}},
		{Name: "a bad status is named", Method: "GET", Path: "/admin/policies?status=lost", Actor: "editor", Status: 400,
			Contains: []string{"状态应为 draft、published、expired 或 revoked"}},
		{Name: "a bad page is named", Method: "GET", Path: "/admin/policies?page=0", Actor: "editor", Status: 400, Contains: []string{"必须是正整数"}},
	})
}

// goodPolicyForm is a complete, valid editor form with one criteria row and
// one blank row, as the page sends it.
func goodPolicyForm(action string) url.Values {
	return url.Values{
		"title": {"海湾区港航企业绿色转型补贴"}, "issuer": {"区交通运输局"}, "doc_no": {"海湾交运〔2026〕30号"}, "level": {"district"},
		"category": {"industry_support"}, "kind": {"policy"}, "summary": {"对完成岸电改造、新能源车船替换的港航企业给予一次性补贴。"},
		"body": {"## 支持对象\n\n港航企业。"}, "benefit": {"按投入的 30% 补贴"}, "max_amount": {"30"},
		"apply_start": {"2026-11-01"}, "apply_end": {"2027-03-31"}, "how_to_apply": {"登录惠企通在线申报。"}, "contact": {"0755-12345678"},
		"tags": {"绿色，港航"}, "industries": {"G"}, "regions": {"sd-haigang"}, "auto_grant": {"on"},
		"crit_field": {"employees", ""}, "crit_op": {"gte", "eq"}, "crit_value": {"50", ""}, "crit_label": {"", ""},
		"action": {action},
	}
}

func TestPolicyEditorFlow(t *testing.T) {
	ts := newPolicyPageServer(t)
	before := ts.policyCount(t)
	unchanged := func(t *testing.T, _ *httptest.ResponseRecorder) {
		if n := ts.policyCount(t); n != before {
			t.Errorf("%d policies, want %d: something was saved", n, before)
		}
	}
	bad := goodPolicyForm("save")
	bad["crit_value"] = []string{"许多", ""}
	bad.Set("max_amount", "三十")
	noCSRF := pageForm("without a CSRF token", "editor", "/admin/policies", goodPolicyForm("save"))
	noCSRF.Headers["Cookie"], noCSRF.Status, noCSRF.After = "", 403, unchanged

	newForm := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/admin/policies/new", Actor: "editor"})
	if newForm.Code != 200 {
		t.Fatalf("new form: %d", newForm.Code)
	}
	body := newForm.Body.String()
	if n := strings.Count(body, `name="crit_field"`); n != 3 {
		t.Errorf("new form has %d criteria rows, want 3 blank ones for use without the script", n)
	}
	for _, want := range []string{`<option value="employees" data-ops="eq ne gte lte between" data-hint=`, `src="/static/js/policy-editor.js" defer`,
		`<input type="date" name="apply_start"`, `name="auto_grant"`, `<option value="G">G 交通运输、仓储和邮政业</option>`, `value="sd-haigang"`,
		`data-preview="/admin/policies/preview"`, `name="csrf_token"`} {
		if !strings.Contains(body, want) {
			t.Errorf("new form lacks %q", want)
		}
	}
	if inline := regexp.MustCompile(`<script(?:\s[^>]*)?>`).FindAllString(body, -1); len(inline) != 2 ||
		!strings.Contains(inline[0], "src=") || !strings.Contains(inline[1], "src=") {
		t.Errorf("script tags %q, want only htmx and the editor script, both external", inline)
	}

	var id string
	ts.runner().Run(t, []portaltest.Scenario{
		noCSRF,
		func() portaltest.Scenario {
			s := pageForm("an enterprise may not create", "enterprise", "/admin/policies", goodPolicyForm("save"))
			s.Status, s.Contains, s.After = 403, []string{"政策编辑"}, unchanged
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("an enterprise sending a bad form is refused, not shown the form", "enterprise", "/admin/policies", bad)
			s.Status, s.NotContains, s.After = 403, []string{`name="crit_field"`}, unchanged
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("a bad clause value and amount are named, input kept, nothing saved", "editor", "/admin/policies", bad)
			s.Status, s.After = 400, unchanged
			s.Contains = []string{"政策信息有误", "需要一个非负数", `value="许多"`, "最高金额应为数字", `value="三十"`,
				`value="海湾区港航企业绿色转型补贴"`, `<option value="employees" data-ops="eq ne gte lte between" data-hint=`, "crit-row-invalid",
				`value="2027-03-31"`, `<option value="G" selected>`}
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("the editor saves a draft", "editor", "/admin/policies", goodPolicyForm("save"))
			s.Status = 303
			s.After = func(t *testing.T, res *httptest.ResponseRecorder) {
				loc := res.Header().Get("Location")
				id = strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/policies/"), "/edit")
				if !strings.HasSuffix(loc, "/edit") || id == "" || strings.Contains(id, "/") {
					t.Fatalf("Location %q, want the edit page", loc)
				}
				redirectsWithFlash(loc, "已保存草稿")(t, res)
				p := ts.stored(t, id)
				end := time.Date(2027, 4, 1, 0, 0, 0, 0, districtTZ)
				if p.Status != policies.StatusDraft || p.MaxAmount != 300000 || p.ApplyEnd == nil || !p.ApplyEnd.Equal(end) ||
					!p.AutoGrant || strings.Join(p.Tags, "|") != "绿色|港航" || strings.Join(p.Regions, "|") != "sd-haigang" {
					t.Errorf("stored %+v", p)
				}
				if len(p.Criteria) != 1 || p.Criteria[0].Field != "employees" || p.Criteria[0].Op != "gte" ||
					string(p.Criteria[0].Value) != "50" || p.Criteria[0].Label != "从业人员不低于 50 人" {
					t.Errorf("stored criteria %+v", p.Criteria)
				}
			}
			return s
		}(),
	})
	if id == "" {
		t.Fatal("no policy was created")
	}
	edit := "/admin/policies/" + id
	stale := goodPolicyForm("save")
	stale.Set("version", "1")
	stale.Set("title", "被覆盖的标题不该保存")
	short := goodPolicyForm("save")
	short.Set("version", "3")
	short.Set("title", "短")
	publish := goodPolicyForm("publish")
	publish.Set("version", "1")
	publish["crit_field"] = []string{"employees", "tax_rating"}
	publish["crit_op"] = []string{"gte", "in"}
	publish["crit_value"] = []string{"60", "A,B"}
	publish["crit_label"] = []string{"", "纳税信用良好"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the form shows what was saved", Method: "GET", Path: edit + "/edit", Actor: "editor", Status: 200,
			Contains: []string{`value="50"`, `name="crit_label" value=""`, `value="30"`, `value="2027-03-31"`, `value="2026-11-01"`,
				`value="绿色，港航"`, `<option value="gte" selected>不低于</option>`, `name="version" value="1"`, "保存并发布", "废止此政策"}},
		{Name: "a visitor cannot see the draft yet", Method: "GET", Path: "/policies/" + id, Status: 404},
		func() portaltest.Scenario {
			s := pageForm("the editor publishes", "editor", edit, publish)
			s.Status = 303
			s.After = func(t *testing.T, res *httptest.ResponseRecorder) {
				redirectsWithFlash("/policies/"+id, "已发布")(t, res)
				p := ts.stored(t, id)
				if p.Status != policies.StatusPublished || p.Version != 3 {
					t.Errorf("after publishing: status %s version %d", p.Status, p.Version)
				}
				// The written-out label follows the new value; the editor's own is kept.
				if len(p.Criteria) != 2 || p.Criteria[0].Label != "从业人员不低于 60 人" || p.Criteria[1].Label != "纳税信用良好" ||
					string(p.Criteria[1].Value) != `["A","B"]` {
					t.Errorf("criteria after the edit: %+v", p.Criteria)
				}
			}
			return s
		}(),
		{Name: "the public reads it", Method: "GET", Path: "/policies/" + id, Status: 200, Contains: []string{"海湾区港航企业绿色转型补贴", "30 万元"}},
		func() portaltest.Scenario {
			s := pageForm("a liaison may not edit", "liaison", edit, short)
			s.Status, s.NotContains = 403, []string{`name="crit_field"`}
			s.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
				if p := ts.stored(t, id); p.Version != 3 {
					t.Errorf("a liaison's edit changed the policy to version %d", p.Version)
				}
			}
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("an edit of an old version is refused", "editor", edit, stale)
			s.Status = 409
			s.Contains = []string{"已被他人修改", `href="` + edit + `/edit">载入最新版本`, `value="被覆盖的标题不该保存"`}
			s.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
				if p := ts.stored(t, id); p.Version != 3 || p.Title != "海湾区港航企业绿色转型补贴" {
					t.Errorf("stale edit changed the policy: version %d title %s", p.Version, p.Title)
				}
			}
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("a bad title is named and nothing changes", "editor", edit, short)
			s.Status, s.Contains = 400, []string{"标题应为 4–120 个字", `value="短"`}
			s.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
				if p := ts.stored(t, id); p.Version != 3 {
					t.Errorf("invalid edit changed the policy to version %d", p.Version)
				}
			}
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("the editor revokes", "editor", edit+"/revoke", nil)
			s.Status = 303
			s.After = func(t *testing.T, res *httptest.ResponseRecorder) {
				redirectsWithFlash(edit+"/edit", "已废止")(t, res)
				if p := ts.stored(t, id); p.Status != policies.StatusRevoked {
					t.Errorf("status %s after revoking", p.Status)
				}
			}
			return s
		}(),
		{Name: "a revoked policy is gone for the public", Method: "GET", Path: "/policies/" + id, Status: 404},
		{Name: "its form is read-only", Method: "GET", Path: edit + "/edit", Actor: "editor", Status: 200,
			Contains: []string{"本政策已废止，不能再修改或发布", "<fieldset disabled>"}, NotContains: []string{"保存修改", "废止此政策"}},
		func() portaltest.Scenario {
			s := pageForm("an enterprise may not revoke", "enterprise", "/admin/policies/"+ts.near.ID+"/revoke", nil)
			s.Status = 403
			s.After = func(t *testing.T, _ *httptest.ResponseRecorder) {
				if p := ts.stored(t, ts.near.ID); p.Status != policies.StatusPublished {
					t.Errorf("an enterprise revoked %s", p.ID)
				}
			}
			return s
		}(),
		func() portaltest.Scenario {
			s := pageForm("revoking twice is a conflict", "editor", edit+"/revoke", nil)
			s.Status, s.Contains = 409, []string{"政策已废止"}
			return s
		}(),
	})

	t.Run("a publication the catalogue refuses keeps the draft", func(t *testing.T) {
		late := goodPolicyForm("publish")
		late.Set("title", "申报期已过的港航补贴")
		late.Set("apply_start", "2026-01-01")
		late.Set("apply_end", "2026-02-01")
		var lateID string
		s := pageForm("publish with an end in the past", "editor", "/admin/policies", late)
		s.Status = 303
		s.After = func(t *testing.T, res *httptest.ResponseRecorder) {
			loc := res.Header().Get("Location")
			lateID = strings.TrimSuffix(strings.TrimPrefix(loc, "/admin/policies/"), "/edit")
			redirectsWithFlash(loc, "没有发布：申报截止时间已过")(t, res)
			if p := ts.stored(t, lateID); p.Status != policies.StatusDraft {
				t.Errorf("status %s, want the draft kept", p.Status)
			}
		}
		ts.runner().Run(t, []portaltest.Scenario{s})
	})

	entries, _, err := ts.audit.FindAudit(context.Background(), portal.AuditFilter{ObjectID: id})
	portaltest.Must(t, err, "audit")
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"policy.create", "policy.update", "policy.publish", "policy.revoke"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit log of %s has %v, want %s", id, actions, want)
		}
	}
}

func TestPolicyPreview(t *testing.T) {
	ts := newPolicyPageServer(t)
	form := func(rows ...[3]string) url.Values {
		v := url.Values{"title": {"预览"}}
		for _, r := range rows {
			v.Add("crit_field", r[0])
			v.Add("crit_op", r[1])
			v.Add("crit_value", r[2])
			v.Add("crit_label", "")
		}
		return v
	}
	scenario := func(name, actor string, f url.Values, status int, contains ...string) portaltest.Scenario {
		s := pageForm(name, actor, "/admin/policies/preview", f)
		s.Status, s.Contains = status, contains
		return s
	}
	before := ts.policyCount(t)
	ts.runner().Run(t, []portaltest.Scenario{
		scenario("counts over every enterprise", "editor", form([3]string{"employees", "gte", "100"}), 200,
			`"eligible":6`, `"near_miss":6`, `"needs_info":0`, `"ineligible":0`, `"total":12`),
		scenario("two conditions", "admin", form([3]string{"employees", "gte", "100"}, [3]string{"tax_rating", "in", "B"}), 200,
			`"eligible":2`, `"total":12`),
		scenario("no condition admits everyone", "editor", form(), 200, `"eligible":12`),
		scenario("a bad value names its row in the form", "editor", form([3]string{"", "eq", ""}, [3]string{"employees", "gte", "许多"}), 400,
			`"code":"invalid"`, `"criteria[1]":"需要一个非负数"`),
		scenario("an operator the field does not take", "editor", form([3]string{"qualifications", "gte", "高新技术企业"}), 400,
			`"criteria[0]":"企业资质不能使用运算符 \"gte\""`),
		scenario("an enterprise is refused", "enterprise", form(), 403, `"code":"forbidden"`),
		scenario("a visitor is refused", "", form(), 401, `"code":"unauthenticated"`),
	})
	if n := ts.policyCount(t); n != before {
		t.Errorf("previews saved something: %d policies, want %d", n, before)
	}
}

// TestPolicyEditorInBrowser drives the criteria builder's script: a
// field narrows the operators, rows are added, and the preview counts the
// enterprises the conditions admit.
func TestPolicyEditorInBrowser(t *testing.T) {
	ts := newPolicyPageServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	var ops []string
	var rows int
	var hint, preview string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(375, 812),
		network.Enable(),
		network.SetExtraHTTPHeaders(network.Headers{"Authorization": "Bearer " + ts.token(t, "editor")}),
		chromedp.Navigate(srv.URL+"/admin/policies/new"),
		chromedp.WaitVisible(`[data-crit-add]`, chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const f = document.querySelector('[data-crit-field]');
			f.value = 'qualifications';
			f.dispatchEvent(new Event('change'));
		})()`, nil),
		chromedp.Evaluate(`Array.from(document.querySelector('[data-crit-op]').options).map(o => o.value)`, &ops),
		chromedp.Evaluate(`document.querySelector('[data-crit-value]').placeholder`, &hint),
		chromedp.Click(`[data-crit-add]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('[data-crit-row]').length`, &rows),
	)
	if err != nil {
		t.Fatalf("criteria builder: %v", err)
	}
	if strings.Join(ops, " ") != "has not_has in" {
		t.Errorf("operators for 企业资质 = %v, want has not_has in", ops)
	}
	if !strings.Contains(hint, "高新技术企业") {
		t.Errorf("value hint %q", hint)
	}
	if rows != 4 {
		t.Errorf("%d rows after adding one to three", rows)
	}
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`(() => {
			const row = document.querySelector('[data-crit-row]');
			const f = row.querySelector('[data-crit-field]');
			f.value = 'employees';
			f.dispatchEvent(new Event('change'));
			row.querySelector('[data-crit-op]').value = 'gte';
			row.querySelector('[data-crit-value]').value = '100';
		})()`, nil),
		chromedp.Click(`[data-preview-button]`, chromedp.ByQuery),
		chromedp.Poll(`document.querySelector('[data-preview-result]').textContent.includes('全部')`, nil),
		chromedp.Text(`[data-preview-result]`, &preview, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if !strings.Contains(preview, "全部 12 家企业中：符合条件 6 家，差一个条件 6 家") {
		t.Errorf("preview says %q", preview)
	}
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`document.querySelector('[data-crit-row] [data-crit-value]').value = '许多'`, nil),
		chromedp.Click(`[data-preview-button]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-crit-row].crit-row-invalid .crit-error`, chromedp.ByQuery),
		chromedp.Text(`[data-crit-row].crit-row-invalid .crit-error`, &preview, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("preview of a bad value: %v", err)
	}
	if preview != "需要一个非负数" {
		t.Errorf("the bad row says %q", preview)
	}
	if n := ts.policyCount(t); n != len(ts.catalogue)+5 {
		t.Errorf("%d policies after previews, want nothing saved", n)
	}
}
