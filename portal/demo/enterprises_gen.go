package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// Sizes of the generated part of the demo: with the 12 hand-written
// enterprises the district has 320, enough to fill list pages and to make
// policy matching show every outcome.
const (
	generatedFirstID = 13
	generatedCount   = 308
	// portLiaisonQuota and jewelryLiaisonQuota are how many generated
	// enterprises join the two liaisons' caseloads (on top of the
	// hand-written ones), so each caseload is a realistic 40–60.
	portLiaisonQuota    = 56
	jewelryLiaisonQuota = 37
)

// withProfile fills an enterprise's profile and computes its size class.
func withProfile(e *portal.Enterprise, employees int, revenue, assets float64, founded, tax string, quals ...string) *portal.Enterprise {
	f, err := time.Parse("2006-01-02", founded)
	if err != nil {
		panic(err)
	}
	e.Profile = portal.EnterpriseProfile{
		Employees: &employees, Revenue: &revenue, Assets: &assets, Founded: &f,
		TaxRating: tax, Qualifications: quals,
	}
	e.Classify()
	return e
}

// entDivision is what the generator knows of one GB/T 4754 division:
// how companies in it are named and how much revenue a head they make.
type entDivision struct {
	section, division string
	words, nouns      []string
	perHead           float64 // annual revenue per employee, 万元
	aboveScale        float64 // revenue (万元) from which a company counts as 规上
	tech              bool    // technology qualifications are common
}

var entDivisions = map[string]entDivision{
	"54":  {"G", "54", []string{"顺程", "畅达", "速运", "通途", "快线", "捷运", "安达", "路港"}, []string{"运输有限公司", "货运有限公司", "汽车运输有限公司", "物流有限公司"}, 50, 2000, false},
	"55":  {"G", "55", []string{"远洋", "蓝海", "港航", "海通", "长风", "沧海", "远帆"}, []string{"船务有限公司", "航运有限公司", "海运有限公司", "船舶管理有限公司"}, 120, 2000, false},
	"58":  {"G", "58", []string{"国际", "联运", "环球", "跨境", "通关", "四海", "万通"}, []string{"物流有限公司", "供应链管理有限公司", "国际货运代理有限公司", "报关有限公司"}, 150, 2000, false},
	"59":  {"G", "59", []string{"冷链", "智运", "保税", "集装箱", "鲜达", "冷库", "港联"}, []string{"仓储有限公司", "物流有限公司", "装卸服务有限公司", "仓储服务有限公司"}, 60, 2000, false},
	"C24": {"C", "24", []string{"金饰", "珠宝", "首饰", "贵金属", "钻石", "翡翠", "金艺", "匠心"}, []string{"珠宝首饰有限公司", "首饰制造有限公司", "珠宝有限公司", "工艺品有限公司"}, 200, 2000, true},
	"F51": {"F", "51", []string{"黄金", "金银", "钻石", "贵金属", "宝石", "金源"}, []string{"珠宝贸易有限公司", "贵金属贸易有限公司", "珠宝供应链有限公司", "黄金有限公司"}, 500, 2000, false},
	"F52": {"F", "52", []string{"珠宝", "金饰", "银饰", "名品", "彩宝", "金福"}, []string{"商行有限公司", "零售有限公司", "商贸有限公司", "珠宝店有限公司"}, 120, 500, false},
	"C27": {"C", "27", []string{"生物", "康泰", "瑞康", "基因", "细胞", "海洋", "华康", "仁和"}, []string{"医药科技有限公司", "制药有限公司", "药业有限公司", "生物技术有限公司"}, 80, 2000, true},
	"C35": {"C", "35", []string{"医疗", "精密", "影像", "康复", "微创", "智能", "诊断"}, []string{"医疗器械有限公司", "医疗设备有限公司", "医疗科技有限公司", "设备制造有限公司"}, 60, 2000, true},
	"M73": {"M", "73", []string{"生命科学", "医学", "药物", "转化医学", "临床", "生物"}, []string{"研究院有限公司", "研发有限公司", "技术服务有限公司", "科技有限公司"}, 40, 1000, true},
	"Q84": {"Q", "84", []string{"康华", "仁爱", "健康", "口腔", "康复", "体检"}, []string{"门诊部有限公司", "医院有限公司", "诊所有限公司", "健康管理有限公司"}, 25, 500, false},
	"H61": {"H", "61", []string{"度假", "海景", "湾畔", "渔村", "听海", "云栖"}, []string{"酒店管理有限公司", "酒店有限公司", "民宿管理有限公司", "度假村有限公司"}, 20, 200, false},
	"H62": {"H", "62", []string{"海鲜", "渔港", "湾畔", "食府", "茶点", "风味"}, []string{"餐饮管理有限公司", "餐饮有限公司", "酒楼有限公司", "美食有限公司"}, 15, 200, false},
	"R88": {"R", "88", []string{"文化", "艺术", "演艺", "文创", "非遗", "海洋文化"}, []string{"文化传播有限公司", "艺术发展有限公司", "文化发展有限公司", "演艺有限公司"}, 30, 500, false},
	"R90": {"R", "90", []string{"游艇", "潜水", "海洋乐园", "冲浪", "研学", "露营"}, []string{"旅游发展有限公司", "娱乐有限公司", "文旅有限公司", "休闲运动有限公司"}, 25, 500, false},
	"I65": {"I", "65", []string{"智能", "数据", "云", "信息", "数智", "软件", "网络"}, []string{"科技有限公司", "信息技术有限公司", "软件有限公司", "数字科技有限公司"}, 40, 1000, true},
	"C39": {"C", "39", []string{"电子", "光电", "智能", "通信", "芯", "微电子"}, []string{"科技有限公司", "电子有限公司", "技术有限公司", "电子科技有限公司"}, 80, 2000, true},
	"C34": {"C", "34", []string{"精密", "机械", "智能装备", "自动化", "液压", "动力"}, []string{"机械有限公司", "设备有限公司", "装备制造有限公司", "科技有限公司"}, 60, 2000, true},
	"L72": {"L", "72", []string{"企业管理", "咨询", "商务", "会展", "人力资源", "知识产权"}, []string{"服务有限公司", "咨询有限公司", "顾问有限公司", "管理有限公司"}, 60, 1000, false},
	"M75": {"M", "75", []string{"科技", "技术转移", "检测", "创新", "孵化", "节能"}, []string{"服务有限公司", "技术服务有限公司", "科技有限公司", "咨询有限公司"}, 40, 1000, true},
}

// weighted is a choice with a weight.
type weighted struct {
	key    string
	weight int
}

// entChainPlan says, for one chain (or none), how many companies to generate,
// in which divisions and where.
type entChainPlan struct {
	chain     string
	count     int
	divisions []weighted
	units     []weighted // community or park ids
}

var entChainPlans = []entChainPlan{
	{"chain-port", 86, []weighted{{"54", 25}, {"55", 15}, {"58", 30}, {"59", 30}},
		[]weighted{{"p-logistics", 40}, {"c-haigang-lingang", 25}, {"c-haigang-gangqian", 20}, {"c-dongwan-shatou", 15}}},
	{"chain-jewelry", 62, []weighted{{"C24", 45}, {"F51", 30}, {"F52", 25}},
		[]weighted{{"p-jewelry", 45}, {"c-jinsha-shuibei", 35}, {"c-jinsha-jinxiu", 20}}},
	{"chain-health", 53, []weighted{{"C27", 30}, {"C35", 30}, {"M73", 25}, {"Q84", 15}},
		[]weighted{{"p-health", 55}, {"c-meilin-xinhe", 45}}},
	{"chain-tourism", 48, []weighted{{"H61", 35}, {"H62", 30}, {"R88", 15}, {"R90", 20}},
		[]weighted{{"p-tourism", 35}, {"c-dongwan-binhai", 45}, {"c-dongwan-shatou", 20}}},
	{"", 59, []weighted{{"I65", 30}, {"C39", 25}, {"C34", 15}, {"L72", 15}, {"M75", 15}},
		[]weighted{{"c-meilin-xinhe", 20}, {"c-haigang-gangqian", 15}, {"c-jinsha-jinxiu", 15}, {"c-dongwan-binhai", 15}, {"c-haigang-lingang", 10}, {"c-jinsha-shuibei", 10}, {"c-dongwan-shatou", 10}, {"p-health", 5}}},
}

// entStreets are the addresses of each community or park; %d is a number.
var entStreets = map[string][]string{
	"p-logistics":        {"海湾区海港街道物流园路 %d 号", "海湾区海港街道海港物流园 %d 号仓"},
	"c-haigang-lingang":  {"海湾区海港街道临港大道 %d 号", "海湾区海港街道临港二路 %d 号"},
	"c-haigang-gangqian": {"海湾区海港街道港前路 %d 号", "海湾区海港街道港城路 %d 号"},
	"c-dongwan-shatou":   {"海湾区东湾街道沙头路 %d 号", "海湾区东湾街道沙头港区 %d 号"},
	"p-jewelry":          {"海湾区金沙街道黄金珠宝产业园 %d 栋", "海湾区金沙街道珠宝大道 %d 号"},
	"c-jinsha-shuibei":   {"海湾区金沙街道水贝一路 %d 号", "海湾区金沙街道水贝二路 %d 号", "海湾区金沙街道水贝三路 %d 号"},
	"c-jinsha-jinxiu":    {"海湾区金沙街道锦绣路 %d 号", "海湾区金沙街道锦华路 %d 号"},
	"p-health":           {"海湾区梅林街道生命健康产业园 %d 栋", "海湾区梅林街道康健路 %d 号"},
	"c-meilin-xinhe":     {"海湾区梅林街道新和路 %d 号", "海湾区梅林街道梅林大道 %d 号"},
	"p-tourism":          {"海湾区东湾街道滨海旅游服务区 %d 号", "海湾区东湾街道观海路 %d 号"},
	"c-dongwan-binhai":   {"海湾区东湾街道滨海大道 %d 号", "海湾区东湾街道渔港路 %d 号"},
}

var entNamePrefixes = []string{
	"海湾", "金沙", "梅林", "东湾", "海港", "临港", "水贝", "锦绣", "新和", "滨海", "沙头", "港前",
	"蓝湾", "湾区", "鹏程", "恒信", "博远", "华瑞", "中联", "天成", "宏达", "远航", "汇通", "誉达",
	"嘉禾", "信泰", "同创", "瑞丰", "启航", "万象", "明德", "长盈", "鸿运", "盛世", "泰和", "致远",
}

var (
	entSurnames    = []rune("陈李王张刘黄吴赵周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾")
	entGivenNames  = []string{"海燕", "志强", "丽娟", "建华", "晓明", "静", "伟", "秀英", "子涵", "浩然", "雅婷", "俊杰", "敏", "春花", "国栋", "思远", "慧", "嘉怡", "文博", "一鸣", "雪梅", "立新", "佳琪", "宏伟", "欣怡", "振宇", "婉清", "明轩", "小燕", "德华"}
	entTaxWeights  = []weighted{{"A", 30}, {"B", 38}, {"M", 17}, {"C", 10}, {"D", 5}}
	entSizeWeights = []weighted{{"large", 5}, {"medium", 17}, {"small", 36}, {"micro", 42}}
)

// entGenerator draws the demo enterprises from a fixed seed, so the demo is
// the same on every machine and in every run.
type entGenerator struct {
	r     *rand.Rand
	names map[string]bool
}

func (g *entGenerator) pick(ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.weight
	}
	n := g.r.IntN(total)
	for _, w := range ws {
		if n < w.weight {
			return w.key
		}
		n -= w.weight
	}
	return ws[len(ws)-1].key
}

func (g *entGenerator) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// name composes a company name no other demo enterprise has.
func (g *entGenerator) name(d entDivision) string {
	for {
		word := d.words[g.r.IntN(len(d.words))]
		noun := d.nouns[g.r.IntN(len(d.nouns))]
		if overlaps(word, noun) {
			continue // 医疗 + 医疗器械, 微电子 + 电子: say it once
		}
		n := entNamePrefixes[g.r.IntN(len(entNamePrefixes))] + word + noun
		if !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// overlaps reports whether two name parts share two consecutive characters.
func overlaps(word, noun string) bool {
	r := []rune(word)
	for i := 0; i+1 < len(r); i++ {
		if strings.Contains(noun, string(r[i:i+2])) {
			return true
		}
	}
	return false
}

// profile draws plausible figures for a company of division d; which
// profiles stay partly empty is decided by the caller.
func (g *entGenerator) profile(d entDivision) portal.EnterpriseProfile {
	var employees, fromYear, toYear int
	switch g.pick(entSizeWeights) {
	case "large":
		employees, fromYear, toYear = g.between(1000, 3500), 1995, 2014
	case "medium":
		employees, fromYear, toYear = g.between(90, 600), 2003, 2021
	case "small":
		employees, fromYear, toYear = g.between(16, 90), 2008, 2024
	default:
		employees, fromYear, toYear = g.between(2, 15), 2012, 2025
	}
	revenue := float64(max(5, int(float64(employees)*d.perHead*(0.5+g.r.Float64()*1.1))))
	assets := float64(max(3, int(revenue*(0.3+g.r.Float64()*1.1))))
	founded := time.Date(g.between(fromYear, toYear), time.Month(g.between(1, 12)), g.between(1, 28), 0, 0, 0, 0, time.UTC)
	tax := g.pick(entTaxWeights)
	if founded.Year() >= 2025 {
		tax = "M" // newly registered companies are rated M until their first full year
	}
	// Qualifications follow the company: 规上 from revenue, the SME
	// honours only below large size, technology ones mostly in
	// technology-heavy industries, 专精特新 on top of 创新型.
	class, _ := portal.ComputeSizeClass(d.section, d.division, &employees, &revenue, &assets)
	sme := class != portal.SizeLarge
	chance := func(p float64) bool { return g.r.Float64() < p }
	var quals []string
	if revenue >= d.aboveScale {
		quals = append(quals, "规上企业")
	}
	if d.tech {
		if sme && chance(0.4) {
			quals = append(quals, "科技型中小企业")
		}
		if employees >= 10 && chance(0.4) {
			quals = append(quals, "高新技术企业")
		}
		if sme && chance(0.3) {
			quals = append(quals, "创新型中小企业")
			if employees >= 20 && chance(0.5) {
				quals = append(quals, "专精特新中小企业")
				if employees >= 50 && chance(0.4) {
					quals = append(quals, "专精特新“小巨人”")
				}
			}
		}
	} else {
		if sme && chance(0.1) {
			quals = append(quals, "创新型中小企业")
		}
		if employees >= 20 && chance(0.06) {
			quals = append(quals, "高新技术企业")
		}
	}
	if len(quals) > 3 {
		quals = quals[len(quals)-3:] // the higher honours are the later ones
	}
	return portal.EnterpriseProfile{
		Employees: &employees, Revenue: &revenue, Assets: &assets, Founded: &founded,
		TaxRating: tax, Qualifications: quals,
	}
}

// blankProfile leaves part of a profile empty, the way records look before the
// enterprise or its liaison has completed them.
func blankProfile(p *portal.EnterpriseProfile, pattern int) {
	switch pattern % 5 {
	case 0: // only the head count is known
		p.Revenue, p.Assets, p.Founded, p.TaxRating, p.Qualifications = nil, nil, nil, "", nil
	case 1: // no financial figures yet
		p.Revenue, p.Assets = nil, nil
	case 2: // registration details not yet copied over
		p.Founded, p.TaxRating = nil, ""
	case 3: // nothing but the registration
		*p = portal.EnterpriseProfile{}
	case 4: // figures entered, the balance sheet and rating still missing
		p.Assets, p.TaxRating = nil, ""
	}
}

// generatedEnterprises returns the generated demo enterprises; their names
// differ from each other and from those in taken.
func generatedEnterprises(taken []*portal.Enterprise) []*portal.Enterprise {
	g := &entGenerator{r: rand.New(rand.NewPCG(20260101, 4403)), names: map[string]bool{}}
	for _, e := range taken {
		g.names[e.Name] = true
	}
	parents := map[string]string{}
	for _, u := range OrgUnits() {
		parents[u.ID] = u.ParentID
	}
	// Interleave the chains so that consecutive ids are not all of one kind.
	var order []int
	for i, p := range entChainPlans {
		for range p.count {
			order = append(order, i)
		}
	}
	g.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })

	portLeft, jewelryLeft := portLiaisonQuota, jewelryLiaisonQuota
	out := make([]*portal.Enterprise, 0, generatedCount)
	for n, planIdx := range order {
		i := generatedFirstID + n
		plan := entChainPlans[planIdx]
		d := entDivisions[g.pick(plan.divisions)]
		unit := g.pick(plan.units)
		first17 := fmt.Sprintf("91440308MA5G%05d", i)
		check, err := portal.USCCCheckChar(first17)
		if err != nil {
			panic(err)
		}
		pattern := entStreets[unit][g.r.IntN(len(entStreets[unit]))]
		e := &portal.Enterprise{
			ID: fmt.Sprintf("ent-%03d", i), USCC: first17 + string(check), Name: g.name(d),
			Address: fmt.Sprintf(pattern, g.between(1, 288)), District: "海湾区",
			SubdistrictID: parents[unit], ParkID: unit,
			IndustrySection: d.section, IndustryDivision: d.division,
			ContactName:  string(entSurnames[g.r.IntN(len(entSurnames))]) + entGivenNames[g.r.IntN(len(entGivenNames))],
			ContactPhone: fmt.Sprintf("13%d%08d", 5+i%5, 26000000+i*7919%9000000),
		}
		if plan.chain != "" {
			e.ChainIDs = []string{plan.chain}
		}
		switch {
		case plan.chain == "chain-port" && portLeft > 0:
			e.LiaisonID, e.TaskForceID = "u-liaison", "tf-port"
			portLeft--
		case plan.chain == "chain-jewelry" && jewelryLeft > 0:
			e.LiaisonID, e.TaskForceID = "u-liaison2", "tf-jewelry"
			jewelryLeft--
		}
		e.Profile = g.profile(d)
		// About one in twelve records is incomplete, so that matching can
		// show what an enterprise still has to fill in.
		if n%12 == 5 {
			blankProfile(&e.Profile, n/12)
		}
		e.Classify()
		out = append(out, e)
	}
	return out
}
