package web

import (
	"testing"

	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestPolicyMatchesPages(t *testing.T) {
	ts := newPolicyPageServer(t)
	matches := "/admin/policies/" + ts.near.ID + "/matches"
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "a liaison sees the caseload", Method: "GET", Path: matches, Actor: "liaison", Status: 200,
			Contains: []string{"港口物流企业规模化奖励", "您包干的企业中，符合条件 <strong>2</strong> 家，差一个条件 <strong>2</strong> 家",
				"海港冷链仓储有限公司", "东湾集装箱码头有限公司", "海湾国际物流有限公司", "海湾航运代理有限公司",
				"从业人员 86 人，低于下限 100 人", `href="/admin/enterprises/ent-001"`, "badge-ok", "badge-near"},
			NotContains: []string{"金沙珠宝首饰有限公司"}},
		{Name: "the admin sees all", Method: "GET", Path: matches, Actor: "admin", Status: 200,
			Contains: []string{"全区企业中，符合条件 <strong>6</strong> 家，差一个条件 <strong>6</strong> 家", "金沙珠宝首饰有限公司"}},
		{Name: "paged", Method: "GET", Path: matches + "?per_page=5&page=2", Actor: "admin", Status: 200,
			Contains: []string{"共 12 家 · 第 2 / 3 页", `rel="prev"`, `rel="next"`, "page=3&amp;per_page=5"}},
		{Name: "bad paging", Method: "GET", Path: matches + "?page=x", Actor: "admin", Status: 400, Contains: []string{"必须是正整数"}},
		{Name: "a policy without conditions admits the whole caseload", Method: "GET", Path: "/admin/policies/" + ts.xss.ID + "/matches",
			Actor: "liaison2", Status: 200, Contains: []string{"符合条件 <strong>3</strong> 家，差一个条件 <strong>0</strong> 家", "金沙珠宝首饰有限公司"}},
		{Name: "a handler is refused", Method: "GET", Path: matches, Actor: "handler", Status: 403},
		{Name: "an enterprise is refused", Method: "GET", Path: matches, Actor: "enterprise", Status: 403},
		{Name: "a draft is not found for a liaison", Method: "GET", Path: "/admin/policies/" + ts.draft.ID + "/matches", Actor: "liaison", Status: 404},
		{Name: "a visitor signs in first", Method: "GET", Path: matches, Status: 303},

		{Name: "the liaison picks a policy", Method: "GET", Path: "/admin/policies/matches", Actor: "liaison", Status: 200,
			Contains:    []string{"<title>政策匹配 · 惠企通</title>", "正在受理的政策共", `aria-current="page"`, `/matches">查看匹配企业</a>`},
			NotContains: []string{ts.draft.Title}},
		{Name: "and searches for it", Method: "GET", Path: "/admin/policies/matches?q=" + q("港口物流企业规模化"), Actor: "liaison", Status: 200,
			Contains: []string{`href="` + matches + `"`}},
		{Name: "nothing found", Method: "GET", Path: "/admin/policies/matches?q=zqxjkwvv", Actor: "admin", Status: 200,
			Contains: []string{"没有找到与“zqxjkwvv”相关的正在受理的政策"}},
		{Name: "the picker is for liaisons and admins", Method: "GET", Path: "/admin/policies/matches", Actor: "enterprise", Status: 403},
		{Name: "an editor who is not an admin is refused", Method: "GET", Path: "/admin/policies/matches", Actor: "editor", Status: 403},
	})
}
