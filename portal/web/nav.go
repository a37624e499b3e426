package web

import "github.com/huiqi/huiqi/portal"

// navItem is one entry of the main navigation.
type navItem struct {
	Label string
	Path  string
}

// navByRole lists the pages each role can reach, in the order shown. Each
// role's pages join as they are built; a test checks every entry answers.
var navByRole = []struct {
	Role  portal.Role
	Items []navItem
}{
	{portal.RoleEnterprise, []navItem{{"适合我的政策", "/policies/for-me"}, {"提交诉求", "/requests/new"}, {"我的诉求", "/requests"}, {"会议议题", "/meetings"}}},
	{portal.RoleAdmin, []navItem{{"诉求列表", "/requests"}, {"待回访", "/followups"}, {"会议", "/meetings"}, {"议定事项", "/board"}, {"企业走访", "/visits"}, {"企业名录", "/admin/enterprises"}, {"注册审核", "/registrations"}, {"政策管理", "/admin/policies"}, {"工作日历", "/admin/calendar"}, {"时限方案", "/admin/sla"}, {"分拨规则", "/admin/routing"}, {"诉求分类", "/admin/categories"}, {"领导驾驶舱", "/dashboard"}, {"绩效统计", "/kpis"}, {"一诉一考", "/kpis/scorecard"}, {"抽查核实", "/admin/spot-checks"}, {"任务队列", "/admin/jobs"}, {"系统管理", "/admin"}}},
	{portal.RoleDispatcher, []navItem{{"分拨台", "/requests/triage"}, {"超期督办", "/requests/overdue"}, {"待回访", "/followups"}, {"诉求列表", "/requests"}, {"会议", "/meetings"}, {"议定事项", "/board"}, {"企业走访", "/visits"}, {"分拨规则", "/admin/routing"}, {"领导驾驶舱", "/dashboard"}, {"绩效统计", "/kpis"}, {"一诉一考", "/kpis/scorecard"}, {"我的抽查", "/spot-checks/mine"}}},
	{portal.RoleHandler, []navItem{{"待办诉求", "/requests/inbox"}, {"诉求列表", "/requests"}, {"会议", "/meetings"}, {"议定事项", "/action-items"}, {"我的绩效", "/kpis/mine"}, {"一诉一考", "/kpis/scorecard"}}},
	{portal.RoleDeptHead, []navItem{{"待办诉求", "/requests/inbox"}, {"诉求列表", "/requests"}, {"会议", "/meetings"}, {"议定事项", "/action-items"}, {"部门绩效", "/kpis"}, {"一诉一考", "/kpis/scorecard"}, {"我的绩效", "/kpis/mine"}}},
	{portal.RolePolicyEditor, []navItem{{"政策管理", "/admin/policies"}}},
	{portal.RoleLiaison, []navItem{{"包干看板", "/requests/caseload"}, {"走访", "/visits"}, {"会议", "/meetings"}, {"待回访", "/followups"}, {"诉求列表", "/requests"}, {"包干企业", "/admin/enterprises"}, {"注册审核", "/registrations"}, {"政策匹配", "/admin/policies/matches"}, {"包干绩效", "/kpis"}}},
	{portal.RoleCommittee, []navItem{{"会议", "/meetings"}, {"议定事项看板", "/board"}, {"链上企业", "/admin/enterprises"}, {"诉求列表", "/requests"}, {"链上绩效", "/kpis"}}},
}

// navFor returns the navigation for the actor: public entries for
// everyone, then those of each role the actor holds, without repeats.
func navFor(a *portal.Actor) []navItem {
	items := []navItem{{"首页", "/"}, {"政策查询", "/policies"}}
	seen := map[string]bool{"/": true, "/policies": true}
	for _, r := range navByRole {
		if !a.Has(r.Role) {
			continue
		}
		for _, it := range r.Items {
			if !seen[it.Path] {
				seen[it.Path] = true
				items = append(items, it)
			}
		}
	}
	return items
}
