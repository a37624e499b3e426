package demo

import "github.com/huiqi/huiqi/portal"

// RoutingRules returns the demo district's dispatch table: one rule per
// default category sending it to the department that handles it, and a
// few narrower ones for places with their own arrangements. Each rule has
// a fixed id so loading twice changes nothing; the caller stores them
// (version 1, enabled) and leaves rules that exist alone.
func RoutingRules() []*portal.RoutingRule {
	unit := func(id, name, category, dept string, tier portal.Tier) *portal.RoutingRule {
		return &portal.RoutingRule{ID: id, Name: name, Category: category, Priority: portal.DefaultRoutingPriority,
			Target: portal.TargetUnit, DepartmentID: dept, Tier: tier, Enabled: true, Version: 1}
	}
	own := func(id, name, category string, target portal.RouteTarget, tier portal.Tier) *portal.RoutingRule {
		return &portal.RoutingRule{ID: id, Name: name, Category: category, Priority: portal.DefaultRoutingPriority,
			Target: target, Tier: tier, Enabled: true, Version: 1}
	}
	A, B, C := portal.TierA, portal.TierB, portal.TierC
	rules := []*portal.RoutingRule{
		unit("route-policy", "政策咨询由发改局统一答复", "policy", "dept-drc", A),
		unit("route-finance", "融资信贷交金融工作局", "finance", "dept-fin", A),
		unit("route-talent", "人才用工交人社局", "talent", "dept-hrss", A),
		unit("route-land", "用地厂房交规划和自然资源局", "land", "dept-plan", A),
		// The demo district has no separate government-services bureau;
		// company registration and licensing sit with market regulation.
		unit("route-approval", "审批办事交市场监管局（企业开办与许可）", "approval", "dept-samr", A),
		unit("route-traffic", "交通出行交交通运输局", "traffic", "dept-trans", A),
		unit("route-enforcement", "执法检查交市场监管局", "enforcement", "dept-samr", A),
		own("route-dispute", "矛盾纠纷由企业所在街道调处", "dispute", portal.TargetOwnSubdistrict, B),
		own("route-park", "园区配套由企业所在社区或园区办理", "park", portal.TargetOwnPark, C),
		own("route-other", "其他诉求先交企业所在街道", "other", portal.TargetOwnSubdistrict, B),

		// Narrower rules: same priority, so being more specific puts them first.
		region(unit("route-talent-health", "生命健康产业园人才事项交科技创新局", "talent", "dept-sci", A), "p-health"),
		region(unit("route-enforcement-tourism", "滨海旅游服务区执法检查交文旅局", "enforcement", "dept-culture", A), "p-tourism"),
		region(unit("route-land-jewelry", "金沙街道用地厂房交工信局（珠宝产业用房）", "land", "dept-miit", A), "sd-jinsha"),
		region(unit("route-dispute-logistics", "海港物流园矛盾纠纷由园区先行调处", "dispute", "p-logistics", C), "p-logistics"),
	}
	complaint := unit("route-traffic-complaint-haigang", "海港街道交通投诉由街道先行处置", "traffic", "sd-haigang", B)
	complaint.RegionID, complaint.Type = "sd-haigang", portal.TypeComplaint
	return append(rules, complaint)
}

// region narrows r to the requests from region.
func region(r *portal.RoutingRule, region string) *portal.RoutingRule {
	r.RegionID = region
	return r
}
