// Package demo holds the demo district: a realistic, fictional 海湾区 with
// its departments, sub-districts, communities and parks, loaded by
// `huiqi seed --demo` and `huiqi serve --demo`. Loading is idempotent: every
// object has a fixed id and is upserted.
package demo

import "github.com/huiqi/huiqi/portal"

// DistrictID is the root of the demo org tree.
const DistrictID = "district"

// OrgUnits returns the demo org tree, parents before children.
func OrgUnits() []*portal.OrgUnit {
	u := func(id, name string, kind portal.OrgKind, tier portal.Tier, parent, head string) *portal.OrgUnit {
		return &portal.OrgUnit{ID: id, Name: name, Kind: kind, Tier: tier, ParentID: parent, Head: head}
	}
	A, B, C := portal.TierA, portal.TierB, portal.TierC
	dept, sd, com, park := portal.KindDepartment, portal.KindSubdistrict, portal.KindCommunity, portal.KindPark
	return []*portal.OrgUnit{
		{ID: DistrictID, Name: "海湾区", Kind: portal.KindDistrict, Head: "区企业服务中心"},

		u("dept-drc", "区发展和改革局", dept, A, DistrictID, "林建国"),
		u("dept-miit", "区工业和信息化局", dept, A, DistrictID, "陈志远"),
		u("dept-hrss", "区人力资源和社会保障局", dept, A, DistrictID, "黄晓敏"),
		u("dept-fin", "区金融工作局", dept, A, DistrictID, "周文涛"),
		u("dept-trans", "区交通运输局", dept, A, DistrictID, "吴海平"),
		u("dept-samr", "区市场监督管理局", dept, A, DistrictID, "郑丽华"),
		u("dept-sci", "区科技创新局", dept, A, DistrictID, "王思源"),
		u("dept-housing", "区住房和建设局", dept, A, DistrictID, "李振华"),
		u("dept-plan", "区规划和自然资源局", dept, A, DistrictID, "张明辉"),
		u("dept-tax", "区税务局", dept, A, DistrictID, "刘晓东"),
		u("dept-culture", "区文化广电旅游体育局", dept, A, DistrictID, "何雅琴"),
		u("dept-emergency", "区应急管理局", dept, A, DistrictID, "邓国强"),

		u("sd-haigang", "海港街道", sd, B, DistrictID, "罗建明"),
		u("sd-jinsha", "金沙街道", sd, B, DistrictID, "谢春燕"),
		u("sd-meilin", "梅林街道", sd, B, DistrictID, "梁志刚"),
		u("sd-dongwan", "东湾街道", sd, B, DistrictID, "宋佳"),

		u("c-haigang-gangqian", "港前社区", com, C, "sd-haigang", "韩立"),
		u("c-haigang-lingang", "临港社区", com, C, "sd-haigang", "冯晓"),
		u("p-logistics", "海港物流园", park, C, "sd-haigang", "曹伟"),
		u("c-jinsha-jinxiu", "锦绣社区", com, C, "sd-jinsha", "彭丽"),
		u("c-jinsha-shuibei", "水贝社区", com, C, "sd-jinsha", "蒋涛"),
		u("p-jewelry", "黄金珠宝产业园", park, C, "sd-jinsha", "袁芳"),
		u("c-meilin-xinhe", "新和社区", com, C, "sd-meilin", "潘俊"),
		u("p-health", "生命健康产业园", park, C, "sd-meilin", "杜娟"),
		u("c-dongwan-binhai", "滨海社区", com, C, "sd-dongwan", "程刚"),
		u("c-dongwan-shatou", "沙头社区", com, C, "sd-dongwan", "叶敏"),
		u("p-tourism", "滨海旅游服务区", park, C, "sd-dongwan", "魏强"),
	}
}
