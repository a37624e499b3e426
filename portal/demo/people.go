package demo

import (
	"fmt"

	"github.com/huiqi/huiqi/portal"
)

// Chains returns the demo industry chains.
func Chains() []*portal.Chain {
	return []*portal.Chain{
		{ID: "chain-port", Name: "港口物流", Description: "港口航运、仓储配送、冷链和多式联运企业", LeadUnitID: "dept-trans"},
		{ID: "chain-jewelry", Name: "黄金珠宝", Description: "黄金珠宝设计、加工、检测和交易企业", LeadUnitID: "dept-miit"},
		{ID: "chain-health", Name: "生命健康", Description: "生物医药、医疗器械和健康服务企业", LeadUnitID: "dept-sci"},
		{ID: "chain-tourism", Name: "滨海旅游", Description: "滨海景区、酒店民宿和文旅服务企业", LeadUnitID: "dept-culture"},
	}
}

// TaskForces returns the demo task forces; members are filled from Users.
func TaskForces() []*portal.TaskForce {
	return []*portal.TaskForce{
		{ID: "tf-port", Name: "港口物流服务专班", LeadUnitID: "dept-trans", MemberIDs: []string{"u-liaison"}},
		{ID: "tf-jewelry", Name: "黄金珠宝产业专班", LeadUnitID: "dept-miit", MemberIDs: []string{"u-liaison2"}},
	}
}

// Enterprises returns the demo enterprises with valid USCCs and profiles:
// twelve hand-written ones that the demo accounts and caseloads refer to,
// then the generated rest of the district.
func Enterprises() []*portal.Enterprise {
	e := func(i int, name, address, sub, park, section, division, contact, phone, liaison, tf string, chains ...string) *portal.Enterprise {
		first17 := fmt.Sprintf("91440308MA5G%05d", i)
		check, err := portal.USCCCheckChar(first17)
		if err != nil {
			panic(err)
		}
		return &portal.Enterprise{
			ID: fmt.Sprintf("ent-%03d", i), USCC: first17 + string(check), Name: name, Address: address, District: "海湾区",
			SubdistrictID: sub, ParkID: park, IndustrySection: section, IndustryDivision: division,
			ContactName: contact, ContactPhone: phone, LiaisonID: liaison, TaskForceID: tf, ChainIDs: chains,
		}
	}
	hand := []*portal.Enterprise{
		withProfile(e(1, "海湾国际物流有限公司", "海湾区海港街道港前路 18 号", "sd-haigang", "p-logistics", "G", "58", "陈海燕", "13800000001", "u-liaison", "tf-port", "chain-port"),
			86, 4200, 3600, "2015-06-18", "A", "规上企业", "创新型中小企业"),
		withProfile(e(2, "金沙珠宝首饰有限公司", "海湾区金沙街道水贝一路 66 号", "sd-jinsha", "p-jewelry", "C", "24", "李金凤", "13800000002", "u-liaison2", "tf-jewelry", "chain-jewelry"),
			180, 12800, 6400, "2009-03-12", "A", "规上企业", "专精特新中小企业"),
		withProfile(e(3, "海港冷链仓储有限公司", "海湾区海港街道临港大道 9 号", "sd-haigang", "c-haigang-lingang", "G", "59", "王立强", "13800000003", "u-liaison", "tf-port", "chain-port"),
			140, 6800, 9500, "2012-08-20", "B", "规上企业"),
		withProfile(e(4, "东湾集装箱码头有限公司", "海湾区东湾街道沙头港区 1 号", "sd-dongwan", "c-dongwan-shatou", "G", "55", "赵建华", "13800000004", "u-liaison", "tf-port", "chain-port"),
			1260, 58000, 420000, "2003-11-05", "A", "规上企业", "高新技术企业"),
		withProfile(e(5, "水贝黄金检测中心有限公司", "海湾区金沙街道水贝二路 12 号", "sd-jinsha", "c-jinsha-shuibei", "M", "74", "周雅", "13800000005", "u-liaison2", "tf-jewelry", "chain-jewelry"),
			45, 2600, 1800, "2014-04-22", "A", "高新技术企业", "科技型中小企业"),
		withProfile(e(6, "锦绣金饰设计工作室有限公司", "海湾区金沙街道锦绣路 3 号", "sd-jinsha", "c-jinsha-jinxiu", "C", "24", "吴婷", "13800000006", "u-liaison2", "tf-jewelry", "chain-jewelry"),
			12, 280, 150, "2021-09-15", "B"),
		withProfile(e(7, "梅林生物医药科技有限公司", "海湾区梅林街道生命健康产业园 A 栋", "sd-meilin", "p-health", "C", "27", "孙博", "13800000007", "", "", "chain-health"),
			210, 9600, 15000, "2016-05-30", "A", "规上企业", "高新技术企业", "专精特新中小企业"),
		withProfile(e(8, "新和医疗器械有限公司", "海湾区梅林街道新和路 88 号", "sd-meilin", "c-meilin-xinhe", "C", "35", "钱悦", "13800000008", "", "", "chain-health"),
			65, 3200, 2800, "2018-10-10", "B", "规上企业", "高新技术企业"),
		withProfile(e(9, "滨海湾度假酒店管理有限公司", "海湾区东湾街道滨海大道 200 号", "sd-dongwan", "c-dongwan-binhai", "H", "61", "郑涛", "13800000009", "", "", "chain-tourism"),
			320, 15000, 42000, "2008-07-01", "A", "规上企业"),
		withProfile(e(10, "海湾航运代理有限公司", "海湾区海港街道港前路 60 号", "sd-haigang", "c-haigang-gangqian", "G", "58", "冯可", "13800000010", "u-liaison", "tf-port", "chain-port"),
			35, 1800, 900, "2019-02-14", "B"),
		withProfile(e(11, "东湾文旅发展有限公司", "海湾区东湾街道滨海旅游服务区 5 号", "sd-dongwan", "p-tourism", "R", "88", "何畅", "13800000011", "", "", "chain-tourism"),
			150, 5200, 30000, "2017-12-01", "B", "规上企业"),
		withProfile(e(12, "海湾智能软件有限公司", "海湾区梅林街道新和路 18 号", "sd-meilin", "c-meilin-xinhe", "I", "65", "许诺", "13800000012", "", ""),
			58, 2100, 1600, "2020-06-06", "A", "高新技术企业", "科技型中小企业", "创新型中小企业"),
	}
	return append(hand, generatedEnterprises(hand)...)
}

// Users returns the demo accounts, one or more for every role. These
// usernames always exist in demo mode.
func Users() []*portal.User {
	u := func(id, username, name string, roles []portal.Role, set func(*portal.User)) *portal.User {
		x := &portal.User{ID: id, Username: username, DisplayName: name, Roles: roles, Status: portal.UserActive}
		if set != nil {
			set(x)
		}
		return x
	}
	R := func(r ...portal.Role) []portal.Role { return r }
	handler := func(key, unitName, unit string) *portal.User {
		return u("u-handler-"+key, "handler-"+key, unitName+" 承办人", R(portal.RoleHandler), func(x *portal.User) { x.UnitID = unit })
	}
	return []*portal.User{
		u("u-admin", "admin", "系统管理员", R(portal.RoleAdmin), nil),
		u("u-editor", "editor", "林政策", R(portal.RolePolicyEditor), func(x *portal.User) { x.UnitID = "dept-drc" }),
		u("u-dispatcher", "dispatcher", "区企业服务中心 分拨员", R(portal.RoleDispatcher), func(x *portal.User) { x.UnitID = DistrictID }),
		u("u-handler", "handler", "交通运输局 承办人", R(portal.RoleHandler), func(x *portal.User) { x.UnitID = "dept-trans" }),
		u("u-depthead", "depthead", "交通运输局 吴局长", R(portal.RoleDeptHead), func(x *portal.User) { x.UnitID = "dept-trans" }),
		u("u-liaison", "liaison", "港口物流专班 张联络", R(portal.RoleLiaison), func(x *portal.User) { x.TaskForceID = "tf-port"; x.Phone = "13900000001" }),
		u("u-liaison2", "liaison2", "黄金珠宝专班 黄联络", R(portal.RoleLiaison), func(x *portal.User) { x.TaskForceID = "tf-jewelry"; x.Phone = "13900000002" }),
		u("u-committee", "committee", "港口物流产业链党委 委员", R(portal.RoleCommittee), func(x *portal.User) { x.ChainID = "chain-port" }),
		u("u-enterprise", "enterprise", "陈海燕（海湾国际物流）", R(portal.RoleEnterprise), func(x *portal.User) { x.EnterpriseID = "ent-001" }),
		u("u-enterprise2", "enterprise2", "李金凤（金沙珠宝）", R(portal.RoleEnterprise), func(x *portal.User) { x.EnterpriseID = "ent-002" }),
		// Handlers of the other units the demo requests are dispatched to:
		// district departments (tier A), a sub-district (B) and a park (C).
		handler("drc", "发展和改革局", "dept-drc"),
		handler("miit", "工业和信息化局", "dept-miit"),
		handler("hrss", "人力资源和社会保障局", "dept-hrss"),
		handler("fin", "金融工作局", "dept-fin"),
		handler("samr", "市场监督管理局", "dept-samr"),
		handler("plan", "规划和自然资源局", "dept-plan"),
		handler("sub", "海港街道", "sd-haigang"),
		handler("park", "海港物流园", "p-logistics"),
	}
}
