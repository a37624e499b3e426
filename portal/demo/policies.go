package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// Policies returns the demo policy catalogue as of now: policies and
// service products of every category and level, written for 海湾区 and its
// city and province. Application windows are relative to now, so the demo
// always has open, ended, draft and revoked entries; the same now gives
// the same catalogue.
func Policies(now time.Time) []*policies.Policy {
	groups := []struct {
		category policies.Category
		specs    []policySpec
	}{
		{policies.CatTalentFunding, talentPolicies(now)},
		{policies.CatRelending, financePolicies(now)},
		{policies.CatSmallMicro, smallMicroPolicies(now)},
		{policies.CatTechInnovation, techPolicies(now)},
		{policies.CatEmployment, employmentPolicies(now)},
		{policies.CatIndustrySupport, industryPolicies(now)},
		{policies.CatLandPremises, premisesPolicies(now)},
		{policies.CatOther, otherPolicies(now)},
	}
	local := now.In(districtZone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, districtZone)
	y := local.Year()
	years := strings.NewReplacer("{y}", strconv.Itoa(y), "{y-1}", strconv.Itoa(y-1), "{y-2}", strconv.Itoa(y-2), "{y+1}", strconv.Itoa(y+1))
	var out []*policies.Policy
	for _, g := range groups {
		for _, s := range g.specs {
			id := fmt.Sprintf("pol-%03d", len(out)+1)
			out = append(out, s.build(id, g.category, now, today, years))
		}
	}
	return out
}

// districtZone is the demo district's time zone, fixed so that windows do
// not depend on the machine's zone database.
var districtZone = time.FixedZone("CST", 8*3600)

// Levels, shortened for the tables below.
const (
	lvNat  = policies.LevelNational
	lvProv = policies.LevelProvincial
	lvCity = policies.LevelMunicipal
	lvDist = policies.LevelDistrict
)

// District departments as issuers (names as in OrgUnits).
const (
	issDRC       = "区发展和改革局"
	issMIIT      = "区工业和信息化局"
	issHRSS      = "区人力资源和社会保障局"
	issFin       = "区金融工作局"
	issTrans     = "区交通运输局"
	issSAMR      = "区市场监督管理局"
	issSci       = "区科技创新局"
	issHousing   = "区住房和建设局"
	issPlan      = "区规划和自然资源局"
	issTax       = "区税务局"
	issCulture   = "区文化广电旅游体育局"
	issEmergency = "区应急管理局"
)

// policyWindow is an application period in whole days relative to the
// day the catalogue is built: from is the first day, to the last one;
// noEnd means applications are taken all year round.
type policyWindow struct {
	from, to int
	noEnd    bool
}

// applyDays is a window from day from to day to (inclusive) relative to today.
func applyDays(from, to int) policyWindow { return policyWindow{from: from, to: to} }

// applyAlways is a window that opened on day from and has no end.
func applyAlways(from int) policyWindow { return policyWindow{from: from, noEnd: true} }

// policySpec is one catalogue entry as written; build turns it into a
// policies.Policy. Texts may contain {y}, {y-1}, {y-2} and {y+1} for the
// current year and its neighbours.
type policySpec struct {
	title, doc, issuer string
	level              policies.Level
	product            bool // a bank's or provider's service product
	summary            string
	who, terms         string // 支持对象, 支持标准
	docs               string // 申报材料, separated by "；"
	note               string // an optional closing section
	benefit            string
	maxWan             float64 // the most one enterprise can get, 万元
	tags               []string
	industries         []string
	regions            []string
	criteria           []policies.Clause
	auto               bool // 免申即享
	win                policyWindow
	status             policies.Status // draft or revoked; otherwise derived from the window
	how                string          // overrides the default way to apply
}

func (s policySpec) build(id string, cat policies.Category, now, today time.Time, years *strings.Replacer) *policies.Policy {
	kind := policies.KindPolicy
	if s.product {
		kind = policies.KindServiceProduct
	}
	p := &policies.Policy{
		ID: id, Title: years.Replace(s.title), DocNo: years.Replace(s.doc), Issuer: s.issuer,
		Level: s.level, Category: cat, Kind: kind,
		Summary: years.Replace(s.summary), Body: years.Replace(s.body()), Benefit: years.Replace(s.benefit),
		MaxAmount: math.Round(s.maxWan * 10000), HowToApply: years.Replace(s.howToApply()), Contact: policyContact(s.issuer),
		Tags: s.tags, Industries: s.industries, Regions: s.regions, Criteria: s.criteria,
		AutoGrant: s.auto, Version: 1, CreatedBy: "u-editor",
	}
	if s.auto {
		p.Tags = append(append([]string{}, s.tags...), "免申即享")
	}
	start := today.AddDate(0, 0, s.win.from).UTC()
	p.ApplyStart = &start
	if !s.win.noEnd {
		end := today.AddDate(0, 0, s.win.to+1).UTC() // the last day counts in full
		p.ApplyEnd = &end
	}
	// Editors write an entry about two weeks before it opens; a draft for a
	// later window was written in the last few days.
	created := start.AddDate(0, 0, -14)
	if created.After(now) {
		created = now.AddDate(0, 0, -(len(s.title)%9 + 1)).UTC()
	}
	p.CreatedAt, p.UpdatedAt = created, created
	switch {
	case s.status != "":
		p.Status = s.status
	case p.ApplyEnd != nil && !p.ApplyEnd.After(now):
		p.Status = policies.StatusExpired
	default:
		p.Status = policies.StatusPublished
	}
	if p.Status != policies.StatusDraft {
		published := start.AddDate(0, 0, -3)
		p.PublishedAt = &published
		p.UpdatedAt = published
	}
	switch p.Status {
	case policies.StatusExpired:
		p.UpdatedAt = *p.ApplyEnd
	case policies.StatusRevoked:
		p.UpdatedAt = now.AddDate(0, 0, -20).UTC()
	}
	return p
}

// body is the Markdown text: who may apply, what they get, what to hand in.
func (s policySpec) body() string {
	var b strings.Builder
	b.WriteString("## 支持对象\n\n" + s.who + "\n\n## 支持标准\n\n" + s.terms + "\n\n## 申报材料\n\n")
	switch {
	case s.docs != "":
		for i, d := range strings.Split(s.docs, "；") {
			fmt.Fprintf(&b, "%d. %s\n", i+1, d)
		}
	case s.auto:
		b.WriteString("本政策实行“免申即享”，符合条件的企业无需提交申报材料，请确保企业对公账户信息准确。\n")
	default:
		b.WriteString("按受理机构要求提供，一般只需营业执照和经办人身份证明。\n")
	}
	if s.note != "" {
		b.WriteString("\n## 其他说明\n\n" + s.note + "\n")
	}
	return b.String()
}

// howToApply is the spec's own text or the usual way for its issuer.
func (s policySpec) howToApply() string {
	switch {
	case s.how != "":
		return s.how
	case s.auto:
		return "免申即享：无需申报。" + s.issuer + "根据税务、社保、市场监管等部门共享的数据比对确定企业名单，在惠企通公示 5 个工作日后直接拨付至企业对公账户；如对名单有异议，可在公示期内通过惠企通提出诉求。"
	case s.product:
		return "在惠企通“金融与服务产品”专区提交需求，或直接联系" + s.issuer + "。服务人员在 2 个工作日内与企业对接，按产品规则办理。"
	case s.level == lvDist:
		return "登录惠企通“政策申报”栏目在线提交，或到海湾区政务服务中心二楼企业服务综合窗口递交纸质材料。" + s.issuer + "自受理之日起 15 个工作日内完成审核，结果在惠企通公示 5 个工作日后拨付资金。"
	case s.level == lvCity:
		return "通过市政务服务网“" + s.issuer + "”专区在线申报，区内企业由对口区直部门负责初审推荐；可在惠企通查看申报进度或提出诉求。"
	case s.level == lvProv:
		return "通过省政务服务网在线申报，经区、市两级主管部门逐级审核推荐后由" + s.issuer + "组织评审；区企业服务中心可提供申报辅导。"
	default:
		return "按" + s.issuer + "的通知要求，经区、市、省三级主管部门逐级审核推荐后申报；区企业服务中心可提供政策辅导。"
	}
}

// policyContacts are the demo issuers' contact points.
var policyContacts = map[string]string{
	issDRC:       "区发展和改革局综合科，电话 0755-2555 3001（工作日 9:00–18:00）",
	issMIIT:      "区工业和信息化局产业发展科，电话 0755-2555 3012（工作日 9:00–18:00）",
	issHRSS:      "区人力资源和社会保障局就业促进科，电话 0755-2555 3101（工作日 9:00–18:00）",
	issFin:       "区金融工作局金融服务科，电话 0755-2555 3205（工作日 9:00–18:00）",
	issTrans:     "区交通运输局物流发展科，电话 0755-2555 3318（工作日 9:00–18:00）",
	issSAMR:      "区市场监督管理局企业服务科，电话 0755-2555 3420（工作日 9:00–18:00）",
	issSci:       "区科技创新局科技企业服务科，电话 0755-2555 3506（工作日 9:00–18:00）",
	issHousing:   "区住房和建设局住房保障科，电话 0755-2555 3611（工作日 9:00–18:00）",
	issPlan:      "区规划和自然资源局产业用地科，电话 0755-2555 3702（工作日 9:00–18:00）",
	issTax:       "区税务局纳税服务科，电话 0755-2555 3800；也可拨打 12366 纳税缴费服务热线",
	issCulture:   "区文化广电旅游体育局旅游产业科，电话 0755-2555 3903（工作日 9:00–18:00）",
	issEmergency: "区应急管理局安全生产基础科，电话 0755-2555 3966（工作日 9:00–18:00）",
	"海湾农村商业银行":   "海湾农村商业银行普惠金融部，客户经理热线 0755-2588 6601",
	"中国工商银行海湾支行": "中国工商银行海湾支行公司业务部，电话 0755-2588 6102",
	"中国农业发展银行海湾区支行": "中国农业发展银行海湾区支行客户一部，电话 0755-2588 6230",
	"中国银行海湾支行":      "中国银行海湾支行贵金属业务中心，电话 0755-2588 6315",
	"中国建设银行海湾支行":    "中国建设银行海湾支行普惠金融事业部，电话 0755-2588 6428",
	"招商银行海湾支行":      "招商银行海湾支行科技金融团队，电话 0755-2588 6519",
	"海湾区融资担保有限公司":   "海湾区融资担保有限公司业务一部，电话 0755-2588 6677",
}

// policyContact returns whom to ask about an issuer's entries.
func policyContact(issuer string) string {
	if c, ok := policyContacts[issuer]; ok {
		return c
	}
	return issuer + "，咨询请拨打 12345 政务服务便民热线，或在惠企通提出咨询类诉求"
}

// clause builds a criteria clause; the values below are all literals, so
// a value that does not marshal is a programming error.
func clause(field, op string, value any, label string) policies.Clause {
	v, err := json.Marshal(value)
	if err != nil {
		panic(err)
	}
	return policies.Clause{Field: field, Op: op, Value: v, Label: label}
}

// orList joins items as people read them: 甲、乙或丙.
func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], "、") + "或" + items[len(items)-1]
}

func critSize(classes ...portal.SizeClass) policies.Clause {
	names := make([]string, len(classes))
	values := make([]string, len(classes))
	for i, c := range classes {
		names[i], values[i] = portal.SizeClassNames[c], string(c)
	}
	if len(classes) == 1 {
		return clause("size_class", "eq", values[0], "企业规模为"+names[0])
	}
	return clause("size_class", "in", values, "企业规模为"+orList(names))
}

// critSmallMicro is the most common condition: a small or micro enterprise.
func critSmallMicro() policies.Clause { return critSize(portal.SizeSmall, portal.SizeMicro) }

// critSME admits small, medium and micro enterprises.
func critSME() policies.Clause {
	return critSize(portal.SizeMedium, portal.SizeSmall, portal.SizeMicro)
}

func critEmployeesMax(n int) policies.Clause {
	return clause("employees", "lte", n, fmt.Sprintf("从业人员不超过 %d 人", n))
}

func critEmployeesMin(n int) policies.Clause {
	return clause("employees", "gte", n, fmt.Sprintf("从业人员不少于 %d 人", n))
}

func critEmployeesBetween(lo, hi int) policies.Clause {
	return clause("employees", "between", []int{lo, hi}, fmt.Sprintf("从业人员 %d–%d 人", lo, hi))
}

func critRevenueMax(wan float64) policies.Clause {
	return clause("revenue", "lte", wan, fmt.Sprintf("上年度营业收入不超过 %g 万元", wan))
}

func critRevenueMin(wan float64) policies.Clause {
	return clause("revenue", "gte", wan, fmt.Sprintf("上年度营业收入不低于 %g 万元", wan))
}

func critAssetsMax(wan float64) policies.Clause {
	return clause("assets", "lte", wan, fmt.Sprintf("资产总额不超过 %g 万元", wan))
}

func critAssetsMin(wan float64) policies.Clause {
	return clause("assets", "gte", wan, fmt.Sprintf("资产总额不低于 %g 万元", wan))
}

func critFoundedWithin(years int) policies.Clause {
	return clause("founded", "within_years", years, fmt.Sprintf("成立不满 %d 年", years))
}

// critFoundedAtLeast requires the enterprise to be at least years old at now.
func critFoundedAtLeast(now time.Time, years int) policies.Clause {
	day := now.In(districtZone).AddDate(-years, 0, 0).Format("2006-01-02")
	return clause("founded", "lte", day, fmt.Sprintf("成立满 %d 年（%s 前成立）", years, day))
}

// ratingWords spells tax ratings as notices do: A 级、B 级或 M 级.
func ratingWords(ratings []string) string {
	words := make([]string, len(ratings))
	for i, r := range ratings {
		words[i] = r + " 级"
	}
	return orList(words)
}

func critTax(ratings ...string) policies.Clause {
	return clause("tax_rating", "in", ratings, "纳税信用等级为 "+ratingWords(ratings))
}

func critTaxNot(ratings ...string) policies.Clause {
	return clause("tax_rating", "nin", ratings, "纳税信用等级不是 "+ratingWords(ratings))
}

// qualWords say "holds qualification q" the way a notice does.
var qualWords = map[string]string{
	"高新技术企业":    "已认定为高新技术企业",
	"专精特新中小企业":  "已认定为专精特新中小企业",
	"专精特新“小巨人”": "已认定为专精特新“小巨人”企业",
	"科技型中小企业":   "已入库科技型中小企业",
	"创新型中小企业":   "已认定为创新型中小企业",
	"规上企业":      "属于规模以上企业",
}

func critQual(q string) policies.Clause { return clause("qualifications", "has", q, qualWords[q]) }

func critAnyQual(qs ...string) policies.Clause {
	return clause("qualifications", "in", qs, "具有"+orList(qs)+"资质之一")
}

func critNoQual(q string) policies.Clause {
	return clause("qualifications", "not_has", q, "尚未取得“"+q+"”资质")
}

// chainNames are the demo chains' names for labels.
var chainNames = func() map[string]string {
	m := map[string]string{}
	for _, c := range Chains() {
		m[c.ID] = c.Name
	}
	return m
}()

func critChain(id string) policies.Clause {
	return clause("chains", "has", id, "属于"+chainNames[id]+"产业链")
}

func critAnyChain(ids ...string) policies.Clause {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = chainNames[id]
	}
	return clause("chains", "in", ids, "属于"+orList(names)+"产业链")
}

// critIndustryNot excludes industries; label says which in words.
func critIndustryNot(label string, codes ...string) policies.Clause {
	return clause("industry", "nin", codes, label)
}

// crits is shorthand for a criteria list.
func crits(c ...policies.Clause) []policies.Clause { return c }

// talentPolicies are the 人才经费 entries.
func talentPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "海湾区“金种子”青年人才培训资助", doc: "海湾人社规〔{y}〕2号", issuer: issHRSS, level: lvDist,
			summary: "企业选派 35 周岁以下青年骨干参加职业技能或经营管理培训的，按实际培训费用的 60% 给予资助。",
			who:     "在海湾区登记注册、依法纳税的企业，选派在本企业连续缴纳社会保险满 6 个月、35 周岁以下的青年员工参加培训。",
			terms:   "按实际发生培训费用的 60% 给予资助，每人每年最高 8000 元，每家企业每年最高 20 万元。参加境外高水平研修的，资助比例提高到 70%。",
			docs:    "资助申请表；培训合同、付款凭证及发票；学员名单及社会保险缴纳证明；培训结业证书或考核证明",
			benefit: "培训费用 60% 资助，每人每年最高 8000 元，每家企业每年最高 20 万元",
			maxWan:  20, tags: []string{"青年人才", "人才培训"},
			criteria: crits(critTaxNot("C", "D"), critEmployeesMin(5)),
			win:      applyDays(-40, 120),
		},
		{
			title: "高层次人才创新创业启动资助", doc: "海湾科创规〔{y}〕1号", issuer: issSci, level: lvDist,
			note:    "同一团队不得以相同项目重复申报区级同类资助；获资助企业须承诺在本区经营不少于 5 年，提前迁出的须退回资助资金。",
			summary: "高层次人才团队在海湾区创办科技型企业的，经评审按 A、B、C 三档给予最高 300 万元启动资助。",
			who:     "由经认定的高层次人才作为第一大股东或核心技术负责人、在海湾区注册不满 3 年的科技型企业。",
			terms:   "A 档资助 300 万元，B 档 150 万元，C 档 50 万元，分两期拨付：评审通过后拨付 60%，中期评估合格后拨付其余 40%。",
			docs:    "项目申报书；人才认定证明；企业营业执照及股权结构说明；核心团队劳动合同及社保证明；知识产权证明材料",
			benefit: "按评审档次给予 50 万、150 万或 300 万元启动资助",
			maxWan:  300, tags: []string{"高层次人才", "创业"},
			industries: []string{"C", "I", "M"},
			criteria:   crits(critFoundedWithin(3)),
			win:        applyDays(-20, 70),
		},
		{
			title: "企业博士后工作站建站及日常经费资助", doc: "市人社规〔{y-1}〕6号", issuer: "市人力资源和社会保障局", level: lvCity,
			summary: "新设立博士后工作站的企业给予一次性建站资助 50 万元，在站博士后每人每年给予生活补贴 12 万元。",
			who:     "经批准新设立国家级博士后科研工作站或市级博士后创新实践基地的企业。",
			terms:   "国家级工作站一次性资助 50 万元、市级创新实践基地 30 万元；招收的在站博士后每人每年生活补贴 12 万元，最长 2 年。",
			docs:    "资助申请表；设站批准文件；博士后进站审批表；企业与博士后签订的协议",
			benefit: "建站资助最高 50 万元，在站博士后每人每年 12 万元",
			maxWan:  50, tags: []string{"博士后", "科研平台"},
			criteria: crits(critAnyQual("高新技术企业", "专精特新中小企业", "规上企业")),
			win:      applyAlways(-200),
		},
		{
			title: "企业技能人才自主评价补贴", doc: "海湾人社〔{y}〕15号", issuer: issHRSS, level: lvDist,
			summary: "经备案开展职业技能等级自主认定的企业，按员工取得证书的等级给予每人 500 元至 2000 元补贴。",
			who:     "在人力资源和社会保障部门备案、开展技能等级自主认定的区内企业。",
			terms:   "员工取得初级工证书的每人补贴 500 元，中级工 800 元，高级工 1200 元，技师及以上 2000 元；每家企业每年最高 30 万元。",
			docs:    "补贴申请表；自主评价备案证明；取得证书人员花名册及证书编号；员工社保缴纳明细",
			benefit: "按证书等级每人 500–2000 元，每家企业每年最高 30 万元",
			maxWan:  30, tags: []string{"技能人才", "职业技能等级认定"},
			criteria: crits(critEmployeesMin(50), critTaxNot("D")),
			win:      applyDays(-60, 200),
		},
		{
			title: "重点产业链紧缺人才租房补贴", doc: "海湾住建规〔{y}〕3号", issuer: issHousing, level: lvDist,
			summary: "重点产业链企业新引进的全日制本科及以上人才，在区内租房的每月最高补贴 1500 元，最长 3 年。",
			who:     "港口物流、黄金珠宝、生命健康、滨海旅游四条重点产业链企业新引进、入职不满 1 年且在本区无自有住房的全日制本科及以上学历人才。",
			terms:   "博士每月 1500 元，硕士每月 1000 元，本科每月 600 元，按季度发放，最长 36 个月。补贴由企业统一申报、代为发放。",
			docs:    "企业申报汇总表；人才学历学位证书；劳动合同及社保缴纳证明；租房合同及备案证明；无房证明",
			benefit: "每人每月 600–1500 元租房补贴，最长 3 年",
			maxWan:  5.4, tags: []string{"人才住房", "租房补贴", "重点产业链"},
			criteria: crits(critAnyChain("chain-port", "chain-jewelry", "chain-health", "chain-tourism")),
			win:      applyDays(-90, 180),
		},
		{
			title: "黄金珠宝工艺美术大师工作室资助", doc: "海湾工信〔{y}〕22号", issuer: issMIIT, level: lvDist,
			summary: "支持黄金珠宝企业引进国家级、省级工艺美术大师并设立工作室，按级别给予最高 50 万元建设资助。",
			who:     "在金沙街道注册经营、引进工艺美术大师全职或柔性加盟并设立工作室的黄金珠宝企业。",
			terms:   "国家级工艺美术大师工作室资助 50 万元，省级 20 万元；工作室每年带徒不少于 3 人的，次年再给予 5 万元运营补贴。",
			docs:    "资助申请表；大师称号证书；工作室场地证明及建设投入凭证；大师与企业签订的合作协议；带徒计划",
			benefit: "国家级大师工作室 50 万元，省级 20 万元",
			maxWan:  50, tags: []string{"工艺美术大师", "黄金珠宝"},
			industries: []string{"24", "51", "52"}, regions: []string{"sd-jinsha"},
			criteria: crits(critChain("chain-jewelry")),
			win:      applyDays(-15, 90),
		},
		{
			title: "港航专业人才培养补贴", doc: "海湾交运〔{y}〕8号", issuer: issTrans, level: lvDist,
			summary: "港口物流企业组织员工取得船员适任、国际货运代理、报关、危险货物运输等证书的，按人给予培养补贴。",
			who:     "属于港口物流产业链、在海湾区依法经营的运输、仓储、货运代理和港口作业企业。",
			terms:   "员工取得船员适任证书的每人补贴 3000 元，国际货运代理、报关、危险货物运输从业资格证书每人 1500 元；每家企业每年最高 10 万元。",
			docs:    "补贴申请表；员工证书复印件；劳动合同及社保缴纳证明；培训费用凭证",
			benefit: "每取得一本证书补贴 1500–3000 元，每家企业每年最高 10 万元",
			maxWan:  10, tags: []string{"港航人才", "职业资格"},
			industries: []string{"G"},
			criteria:   crits(critChain("chain-port")),
			win:        applyDays(-30, 150),
		},
		{
			title: "生物医药领军人才项目资助", doc: "市科创规〔{y-1}〕11号", issuer: "市科技创新局", level: lvCity,
			summary: "对生物医药领域引进的领军人才及其团队，按项目研发投入给予最高 500 万元资助，分期拨付。",
			who:     "生命健康产业链中已认定为高新技术企业或科技型中小企业、引进生物医药领军人才担任首席科学家的企业。",
			terms:   "按项目近两年研发投入的 30% 给予资助，最高 500 万元；人才团队成员中有 2 名以上博士的，资助比例提高到 40%。",
			docs:    "项目申报书；领军人才认定材料；研发投入专项审计报告；团队成员名单及劳动合同",
			benefit: "按研发投入 30%–40% 资助，最高 500 万元",
			maxWan:  500, tags: []string{"领军人才", "生物医药"},
			criteria: crits(critChain("chain-health"), critAnyQual("高新技术企业", "科技型中小企业")),
			win:      applyDays(-45, 45),
		},
		{
			title: "省级重点领域创新团队资助", doc: "省科技规〔{y}〕4号", issuer: "省科学技术厅", level: lvProv,
			summary: "面向高新技术企业遴选重点领域创新团队，入选团队给予 1000 万元至 3000 万元资助，市、区按比例配套。",
			who:     "已认定为高新技术企业、从业人员不少于 50 人、拥有稳定研发团队的企业。",
			terms:   "入选团队按评审结果给予 1000 万元至 3000 万元资助，资助期 5 年；区财政按省级资助额的 20% 给予配套。",
			docs:    "团队申报书；团队带头人及核心成员学术成果证明；企业近三年研发投入情况；市级主管部门推荐函",
			benefit: "省级资助 1000–3000 万元，区级再配套 20%",
			maxWan:  3000, tags: []string{"创新团队", "省级人才项目"},
			criteria: crits(critQual("高新技术企业"), critEmployeesMin(50)),
			win:      applyDays(-10, 50),
		},
		{
			title: "企业新型学徒制培训补贴", doc: "省人社规〔{y-1}〕9号", issuer: "省人力资源和社会保障厅", level: lvProv,
			summary: "企业与职业院校或培训机构合作开展新型学徒制培训的，按每人每年 4000 元至 6000 元给予培训补贴。",
			who:     "与技工院校、职业院校或经认定的培训机构签订合作协议，以“招工即招生、入企即入校”方式培养学徒的企业。",
			terms:   "培养中级工每人每年补贴 4000 元，高级工 5000 元，技师 6000 元，培训期一般为 1 至 2 年；补贴可用于学徒培训和导师带徒费用。",
			docs:    "新型学徒制培训计划备案表；企业与学徒签订的劳动合同；合作培训协议；学徒考核结果",
			benefit: "每名学徒每年 4000–6000 元培训补贴",
			maxWan:  60, tags: []string{"学徒制", "技能培训"},
			criteria: crits(critEmployeesMin(10)),
			win:      applyAlways(-300),
		},
		{
			title: "首席技师工作室建设资助", doc: "海湾人社〔{y}〕21号", issuer: issHRSS, level: lvDist,
			summary: "以企业首席技师为带头人建设技能大师（首席技师）工作室，经认定给予一次性建设资助 20 万元。",
			who:     "从业人员 100 人以上、设有技能人才培养体系的企业，工作室带头人须具有技师以上职业资格并在本企业工作满 3 年。",
			terms:   "经区级认定的首席技师工作室一次性资助 20 万元，用于设备购置、技术攻关和带徒传艺；获评市级以上技能大师工作室的另行配套 10 万元。",
			docs:    "工作室建设申请表；带头人职业资格证书及业绩材料；工作室场地照片及设备清单；三年带徒计划",
			benefit: "一次性建设资助 20 万元，升为市级以上再配套 10 万元",
			maxWan:  30, tags: []string{"首席技师", "技能大师"},
			criteria: crits(critEmployeesMin(100)),
			win:      applyDays(-25, 95),
		},
		{
			title: "留学回国人员创业扶持", doc: "市人社规〔{y-1}〕3号", issuer: "市人力资源和社会保障局", level: lvCity,
			summary: "留学回国人员在本市创办企业且成立不满 5 年的，经评审给予 10 万元至 50 万元创业资助。",
			who:     "取得国（境）外硕士以上学位或在境外从事研究工作满 1 年的留学回国人员，作为法定代表人或第一大股东创办、成立不满 5 年的企业。",
			terms:   "经专家评审，重点项目资助 50 万元，优秀项目 30 万元，一般项目 10 万元；同一企业只能获得一次。",
			docs:    "创业资助申请书；学历学位认证书；企业营业执照及章程；商业计划书；近一年财务报表",
			benefit: "按评审结果给予 10 万、30 万或 50 万元",
			maxWan:  50, tags: []string{"留学人员", "创业资助"},
			criteria: crits(critFoundedWithin(5)),
			win:      applyDays(-70, 40),
		},
		{
			title: "人才安居住房定向配租", doc: "海湾住建〔{y}〕12号", issuer: issHousing, level: lvDist,
			summary:  "区级人才住房按市场租金 60% 定向配租给纳税信用良好、营业收入达标的重点企业，由企业分配给骨干员工。",
			who:      "纳税信用等级为 A 级或 B 级、上年度营业收入不低于 1000 万元的区内企业，配租对象为企业在本区无房的骨干员工。",
			terms:    "按同地段市场租金的 60% 配租，租期 3 年，期满可续租一次；每家企业最多配租 20 套，根据纳税和用工情况排序分配。",
			docs:     "配租申请表；企业纳税证明；拟入住人员名单、劳动合同及无房证明",
			benefit:  "人才住房按市场租金 60% 配租，每家企业最多 20 套",
			tags:     []string{"人才住房", "定向配租"},
			criteria: crits(critTax("A", "B"), critRevenueMin(1000)),
			win:      applyDays(-5, 25),
		},
		{
			title: "{y}年数字技能人才专项培训补贴", doc: "海湾工信〔{y}〕30号", issuer: issMIIT, level: lvDist,
			summary: "企业组织员工参加人工智能、工业互联网、数据分析等数字技能培训并取得证书的，按培训费用 50% 补贴。",
			who:     "在海湾区纳税的企业，组织本企业员工参加数字技能类职业技能等级认定或专项能力培训。",
			terms:   "按实际培训费用的 50% 给予补贴，每人最高 5000 元，每家企业每年最高 15 万元；员工取得高级工及以上证书的，补贴比例提高到 70%。",
			docs:    "补贴申请表；培训合同及发票；员工证书；员工社保缴纳证明",
			benefit: "培训费用 50%–70% 补贴，每家企业每年最高 15 万元",
			maxWan:  15, tags: []string{"数字技能", "人工智能", "人才培训"},
			criteria: crits(critTaxNot("D"), critEmployeesBetween(10, 2000)),
			win:      applyDays(-35, 110),
		},
		{
			title: "境外高端紧缺人才个人所得税财政补贴", doc: "市财规〔{y-1}〕2号", issuer: "市财政局", level: lvCity,
			summary:  "在本市工作的境外高端和紧缺人才，其个人所得税已缴税额超过应纳税所得额 15% 的部分给予财政补贴。",
			who:      "在本市注册企业工作、经认定的境外高端人才和紧缺人才，补贴由所在企业汇总申报。",
			terms:    "按个人在本市已缴纳工资薪金、劳务报酬等个人所得税税额超过其应纳税所得额 15% 的部分给予补贴，补贴免征个人所得税。",
			docs:     "企业汇总申报表；人才认定证明；完税证明；劳动合同",
			benefit:  "个税税负超过 15% 的部分由财政补贴",
			tags:     []string{"境外人才", "个人所得税"},
			criteria: crits(critTaxNot("D")),
			win:      applyDays(-50, 30),
		},
		{
			title: "高新技术企业研发人员年度奖励", doc: "海湾科创〔{y}〕9号", issuer: issSci, level: lvDist,
			summary: "高新技术企业研发人员占比不低于 10% 的，按研发人员数量给予企业奖励，用于研发骨干激励。",
			who:     "已认定为高新技术企业、从业人员不少于 20 人、上年度研发人员占职工总数 10% 以上的区内企业。",
			terms:   "按上年度研发人员每人 2000 元给予奖励，每家企业最高 50 万元；奖励资金须用于研发人员绩效奖励。",
			docs:    "奖励申请表；研发人员花名册及社保缴纳证明；上年度研发费用辅助账；奖励资金分配方案",
			benefit: "按研发人员每人 2000 元奖励，最高 50 万元",
			maxWan:  50, tags: []string{"研发人员", "高新技术企业"},
			criteria: crits(critQual("高新技术企业"), critEmployeesMin(20)),
			win:      applyDays(-12, 60),
		},
		{
			title: "滨海旅游人才技能提升资助", doc: "海湾文旅〔{y}〕6号", issuer: issCulture, level: lvDist,
			summary: "滨海旅游企业组织导游、民宿管家、酒店职业经理人参加技能提升培训的，按人给予资助。",
			who:     "东湾街道滨海旅游产业链中的旅行社、酒店、民宿、景区和文旅服务企业。",
			terms:   "员工取得导游等级证书、民宿管家、酒店职业经理人等证书的，每人资助 2000 元；企业自办培训经备案的，按培训费用 50% 资助，每家企业最高 8 万元。",
			docs:    "资助申请表；培训备案材料或证书复印件；员工劳动合同；培训费用凭证",
			benefit: "每人 2000 元或培训费用 50%，每家企业最高 8 万元",
			maxWan:  8, tags: []string{"文旅人才", "民宿管家"},
			regions:  []string{"sd-dongwan"},
			criteria: crits(critChain("chain-tourism")),
			win:      applyDays(-8, 130),
		},
		{
			title: "{y-1}年度新引进人才生活补贴", doc: "海湾人社〔{y-1}〕18号", issuer: issHRSS, level: lvDist,
			summary: "{y-1}年度新引进到区内企业工作的全日制本科及以上人才，按学历给予一次性生活补贴，由企业集中申报。",
			who:     "{y-1}年度新入职区内企业、与企业签订 3 年以上劳动合同并在本区缴纳社保的全日制本科及以上人才。",
			terms:   "博士 5 万元、硕士 3 万元、本科 1.5 万元，一次性发放；由企业集中申报，审核通过后直接发放至个人账户。",
			docs:    "企业申报汇总表；学历学位证书；劳动合同；社保缴纳证明",
			benefit: "博士 5 万、硕士 3 万、本科 1.5 万元一次性补贴",
			maxWan:  5, tags: []string{"人才引进", "生活补贴"},
			criteria: crits(critTaxNot("D")),
			win:      applyDays(-260, -40),
		},
		{
			title: "人才安居货币补贴（{y-2}年版）", doc: "海湾住建规〔{y-2}〕2号", issuer: issHousing, level: lvDist,
			summary: "原按月发放的人才安居货币补贴办法，已由重点产业链紧缺人才租房补贴和人才住房定向配租取代，停止受理。",
			who:     "在区内企业工作、在本区无自有住房的全日制本科及以上学历人才。",
			terms:   "按学历每月发放 500 元至 1200 元。本办法已废止，符合条件的人才请申报新版租房补贴。",
			docs:    "不再受理",
			benefit: "已废止",
			tags:    []string{"人才住房", "已废止"},
			win:     applyDays(-730, 90), status: policies.StatusRevoked,
		},
		{
			title: "企业职业技能等级认定机构备案奖励", doc: "海湾人社〔{y}〕征求意见稿", issuer: issHRSS, level: lvDist,
			summary: "拟对新备案为职业技能等级认定机构的企业给予一次性奖励，支持企业自主培养技能人才（征求意见中）。",
			who:     "新备案为职业技能等级认定机构、认定职业（工种）不少于 3 个的区内企业。",
			terms:   "备案后一次性奖励 10 万元；年度认定人数超过 200 人的，次年再奖励 5 万元。",
			docs:    "奖励申请表；备案通知书；认定职业（工种）目录；年度认定人员名单",
			benefit: "一次性奖励 10 万元，认定人数多的次年再奖 5 万元",
			maxWan:  15, tags: []string{"技能人才", "征求意见"},
			criteria: crits(critEmployeesMin(100)),
			win:      applyDays(20, 140), status: policies.StatusDraft,
		},
		{
			title: "医疗卫生机构紧缺医师引进补贴", doc: "海湾人社〔{y-1}〕25号", issuer: issHRSS, level: lvDist,
			summary: "民营医疗机构引进紧缺专业执业医师并签订 5 年以上劳动合同的，按职称给予一次性引进补贴。",
			who:     "在梅林街道生命健康产业园及周边执业的民营医疗机构，引进儿科、精神科、康复医学等紧缺专业执业医师。",
			terms:   "引进主任医师每人补贴 20 万元，副主任医师 10 万元，主治医师 5 万元，分三年发放。",
			docs:    "补贴申请表；医师执业证书及职称证书；劳动合同；社保缴纳证明",
			benefit: "按职称每人 5 万–20 万元，分三年发放",
			maxWan:  20, tags: []string{"医师", "紧缺人才"},
			industries: []string{"84"},
			criteria:   crits(critChain("chain-health")),
			win:        applyDays(-220, -25),
		},
	}
}

// financePolicies are the 再贷款/金融 entries: bank products and the
// district's interest and guarantee subsidies.
func financePolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "港口物流企业交通运输专项再贷款", doc: "工银海湾普惠〔{y}〕21号", issuer: "中国工商银行海湾支行", level: lvCity, product: true,
			note:    "本产品额度有限，按申请先后顺序审批，额度用完即止；贷款资金不得用于股权投资和房地产。",
			summary: "依托人民银行交通物流专项再贷款，为港口物流企业提供优惠利率流动资金贷款，年化利率最低 3.0%。",
			who:     "港口物流产业链中从事道路货运、水上运输、货运代理、仓储装卸的企业，纳税信用良好、无不良信用记录。",
			terms:   "单户额度最高 1000 万元，期限 1 年，可循环使用；执行利率不高于同期贷款市场报价利率减 35 个基点，无须抵押，可采用应收账款质押或政府性融资担保增信。",
			docs:    "贷款申请书；营业执照及道路运输或港口经营许可证；近两年财务报表；近 12 个月纳税记录；主要运输合同",
			benefit: "单户最高 1000 万元，年化利率最低 3.0%",
			maxWan:  1000, tags: []string{"再贷款", "交通物流", "流动资金贷款"},
			industries: []string{"G"},
			criteria:   crits(critChain("chain-port"), critTax("A", "B", "M")),
			win:        applyDays(-60, 240),
		},
		{
			title: "中国农业发展银行涉农贷款贴息", doc: "农发海湾〔{y}〕7号", issuer: "中国农业发展银行海湾区支行", level: lvCity, product: true,
			summary: "对从事农产品冷链仓储、加工和流通的企业发放涉农贷款，市财政按实际支付利息的 50% 给予贴息。",
			who:     "从事农产品加工、冷链仓储或农产品批发流通的企业，贷款用于冷库建设、收储资金或加工设备购置。",
			terms:   "单户贷款额度最高 3000 万元，期限最长 5 年；市财政按实际付息额的 50% 贴息，贴息期最长 2 年，每户每年贴息最高 100 万元。",
			docs:    "贷款申请书；项目可行性说明；营业执照；近两年财务报表；农产品购销合同",
			benefit: "单户最高 3000 万元贷款，利息 50% 财政贴息",
			maxWan:  3000, tags: []string{"涉农贷款", "贴息", "冷链"},
			industries: []string{"A", "13", "14", "59"},
			criteria:   crits(critTaxNot("C", "D")),
			win:        applyDays(-100, 200),
		},
		{
			title: "科技型企业知识产权质押融资贴息", doc: "海湾金融规〔{y}〕2号", issuer: issFin, level: lvDist,
			summary: "科技型企业以专利、商标等知识产权质押取得银行贷款的，按实际支付利息的 50% 给予贴息，最高 50 万元。",
			who:     "已认定为高新技术企业、科技型中小企业或专精特新中小企业，以自有知识产权质押获得银行贷款的区内企业。",
			terms:   "按贷款实际付息额的 50% 给予贴息，同时补贴评估费、担保费的 50%；每家企业每年合计最高 50 万元。",
			docs:    "贴息申请表；知识产权质押登记证明；借款合同及放款凭证；付息凭证；评估、担保费用发票",
			benefit: "利息、评估费、担保费各补贴 50%，每年最高 50 万元",
			maxWan:  50, tags: []string{"知识产权质押", "贴息"},
			criteria: crits(critAnyQual("高新技术企业", "科技型中小企业", "专精特新中小企业")),
			win:      applyDays(-80, 220),
		},
		{
			title: "小微企业“首贷户”贷款贴息", doc: "海湾金融〔{y}〕5号", issuer: issFin, level: lvDist,
			summary: "首次从银行取得经营性贷款的小型微型企业，按贷款市场报价利率的 50% 给予一年期贴息。",
			who:     "成立以来首次获得银行经营性贷款、企业规模为小型或微型的区内企业。",
			terms:   "按首笔贷款实际发放金额和一年期贷款市场报价利率的 50% 计算贴息，单户贷款本金最高按 500 万元计算。",
			docs:    "贴息申请表；借款合同及放款凭证；征信报告（证明为首次贷款）；付息凭证",
			benefit: "首笔贷款按 LPR 的 50% 贴息，本金最高按 500 万元计算",
			maxWan:  8, tags: []string{"首贷", "贴息", "小微企业"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(-120, 240),
		},
		{
			title: "创业担保贷款及财政贴息", doc: "市人社规〔{y-1}〕10号", issuer: "市人力资源和社会保障局", level: lvCity,
			summary: "小微企业当年新招用符合条件人员达到一定比例的，可申请最高 300 万元创业担保贷款并享受财政贴息。",
			who:     "当年新招用高校毕业生、退役军人、就业困难人员等符合创业担保贷款申请条件的人数达到现有职工 15%（超过 100 人的企业达到 8%）的小型微型企业。",
			terms:   "贷款额度最高 300 万元，期限最长 2 年；贷款利率不超过贷款市场报价利率加 50 个基点，财政按贷款合同利率的 50% 贴息。",
			docs:    "创业担保贷款申请表；新招用人员名单及劳动合同；社保缴纳证明；企业营业执照",
			benefit: "最高 300 万元担保贷款，利息财政贴息 50%",
			maxWan:  300, tags: []string{"创业担保贷款", "贴息"},
			criteria: crits(critSmallMicro(), critTaxNot("D")),
			win:      applyAlways(-365),
		},
		{
			title: "银税互动信用贷“税易贷”", doc: "HWRCB-SYD-{y}", issuer: "海湾农村商业银行", level: lvDist, product: true,
			summary: "纳税信用 A 级、B 级且成立满 2 年的企业，凭纳税记录即可申请最高 300 万元纯信用贷款，手机银行在线办理。",
			who:     "纳税信用等级为 A 级或 B 级、成立满 2 年、近两年连续正常纳税的企业。",
			terms:   "额度按上年度纳税额的 5 至 10 倍核定，最高 300 万元；纯信用、随借随还，年化利率 3.45% 起。",
			docs:    "企业授权银行查询涉税信息的授权书；营业执照；法定代表人身份证",
			benefit: "纯信用贷款最高 300 万元，年化利率 3.45% 起",
			maxWan:  300, tags: []string{"银税互动", "信用贷款"},
			criteria: crits(critTax("A", "B"), critFoundedAtLeast(now, 2)),
			win:      applyAlways(-400),
		},
		{
			title: "珠宝企业黄金租借业务", doc: "中银海湾金〔{y}〕3号", issuer: "中国银行海湾支行", level: lvCity, product: true,
			summary: "黄金珠宝企业可向银行租借实物黄金用于生产加工，到期归还等量黄金并支付租借费，降低原料采购资金占用。",
			who:     "黄金珠宝产业链中从事首饰加工、批发的企业，纳税信用等级为 A 级或 B 级，具有上海黄金交易所会员或通过会员代理交易资格。",
			terms:   "单户租借额度最高折合 5000 万元，期限最长 1 年；租借费率按市场报价确定，可叠加黄金远期锁定价格风险。",
			docs:    "黄金租借申请书；近两年财务报表；黄金交易资格证明；加工或销售合同",
			benefit: "实物黄金租借，单户最高折合 5000 万元",
			maxWan:  5000, tags: []string{"黄金租借", "黄金珠宝"},
			industries: []string{"24", "51", "52"},
			criteria:   crits(critChain("chain-jewelry"), critTax("A", "B")),
			win:        applyAlways(-240),
		},
		{
			title: "供应链金融“订单贷”", doc: "建银海湾普惠〔{y}〕9号", issuer: "中国建设银行海湾支行", level: lvCity, product: true,
			summary: "中小企业凭与核心企业签订的订单或应收账款即可申请融资，线上放款，最快当天到账。",
			who:     "与区内规模以上核心企业有稳定合作关系、持有有效订单或应收账款的中小企业。",
			terms:   "融资额度最高为订单金额的 70%，单户最高 1000 万元，期限与订单账期匹配，最长 1 年；年化利率 3.6% 起。",
			docs:    "融资申请书；采购订单或应收账款确认书；近一年与核心企业的交易记录",
			benefit: "按订单金额 70% 融资，单户最高 1000 万元",
			maxWan:  1000, tags: []string{"供应链金融", "应收账款"},
			criteria: crits(critSME(), critTaxNot("C", "D")),
			win:      applyAlways(-180),
		},
		{
			title: "政府性融资担保费补贴", doc: "海湾金融规〔{y-1}〕4号", issuer: issFin, level: lvDist,
			summary: "小微企业通过政府性融资担保机构获得贷款的，担保费率降至 1% 以下，区财政再补贴实际担保费的 50%。",
			who:     "通过海湾区融资担保有限公司等政府性融资担保机构获得银行贷款的小型微型企业。",
			terms:   "担保费率不高于 1%，区财政按实际缴纳担保费的 50% 给予补贴，每家企业每年最高 20 万元。",
			docs:    "补贴申请表；担保合同及担保费发票；借款合同及放款凭证",
			benefit: "担保费率不超过 1%，再补贴担保费 50%",
			maxWan:  20, tags: []string{"融资担保", "担保费补贴"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(-150, 210),
		},
		{
			title: "企业应急转贷资金服务", doc: "海湾金融〔{y}〕11号", issuer: issFin, level: lvDist,
			summary: "企业银行贷款到期、银行已同意续贷但自有资金不足的，可申请应急转贷资金过桥，日费率 0.01%。",
			who:     "生产经营正常、银行已出具续贷意向书、纳税信用等级不为 C 级或 D 级的区内企业。",
			terms:   "单笔转贷金额最高 2000 万元，使用期限不超过 10 天，资金使用费按日费率 0.01% 计收。",
			docs:    "转贷申请表；原借款合同；合作银行出具的续贷承诺函；企业近一期财务报表",
			benefit: "单笔最高 2000 万元过桥资金，日费率 0.01%",
			maxWan:  2000, tags: []string{"应急转贷", "过桥资金"},
			criteria: crits(critTaxNot("C", "D"), critRevenueMax(40000)),
			win:      applyAlways(-500),
		},
		{
			title: "科技创新再贷款“科创贷”", doc: "招银海湾科金〔{y}〕5号", issuer: "招商银行海湾支行", level: lvCity, product: true,
			summary: "面向高新技术企业和专精特新企业的信用贷款，资金来源于科技创新再贷款，利率优惠、期限最长 3 年。",
			who:     "已认定为高新技术企业、专精特新中小企业或专精特新“小巨人”企业的科技型企业。",
			terms:   "单户额度最高 2000 万元，期限最长 3 年，执行利率不高于 3.3%；可接受知识产权质押、股权质押或信用方式。",
			docs:    "贷款申请书；资质认定证明；近两年财务报表；研发投入情况说明",
			benefit: "单户最高 2000 万元，利率不高于 3.3%",
			maxWan:  2000, tags: []string{"科技创新再贷款", "信用贷款"},
			criteria: crits(critAnyQual("高新技术企业", "专精特新中小企业", "专精特新“小巨人”")),
			win:      applyDays(-90, 270),
		},
		{
			title: "企业境内外上市奖励", doc: "海湾金融规〔{y}〕1号", issuer: issFin, level: lvDist,
			summary: "企业在境内外证券交易所首发上市的，分阶段给予最高 500 万元奖励，支持企业利用资本市场做大做强。",
			who:     "注册地和纳税地在海湾区、属于规模以上企业、已与证券公司签订上市辅导协议的企业。",
			terms:   "辅导备案后奖励 100 万元，申报材料获受理后奖励 150 万元，成功上市后奖励 250 万元；迁入本区的上市公司一次性奖励 300 万元。",
			docs:    "奖励申请表；辅导备案或受理证明；上市公告；近三年审计报告",
			benefit: "分阶段奖励，合计最高 500 万元",
			maxWan:  500, tags: []string{"上市", "资本市场"},
			criteria: crits(critQual("规上企业"), critRevenueMin(10000)),
			win:      applyAlways(-330),
		},
		{
			title: "区域性股权市场“专精特新专板”挂牌奖励", doc: "海湾金融〔{y}〕8号", issuer: issFin, level: lvDist,
			summary: "专精特新中小企业在区域性股权市场“专精特新专板”挂牌的，一次性奖励 20 万元，并提供规范化辅导。",
			who:     "已认定为专精特新中小企业或专精特新“小巨人”企业，在区域性股权市场专精特新专板挂牌展示的区内企业。",
			terms:   "挂牌后一次性奖励 20 万元；挂牌后一年内通过专板完成股权融资的，按融资额 1% 再奖励，最高 50 万元。",
			docs:    "奖励申请表；挂牌证明；股权融资协议及到账凭证",
			benefit: "挂牌奖励 20 万元，融资后再奖最高 50 万元",
			maxWan:  70, tags: []string{"专精特新", "股权融资"},
			criteria: crits(critAnyQual("专精特新中小企业", "专精特新“小巨人”")),
			win:      applyDays(-40, 160),
		},
		{
			title: "设备融资租赁利息补贴", doc: "海湾工信〔{y}〕17号", issuer: issMIIT, level: lvDist,
			summary: "制造业企业通过融资租赁方式购置生产设备的，按实际支付租息的 40% 给予补贴，每家企业最高 100 万元。",
			who:     "通过融资租赁方式购置生产设备、用于技术改造或扩大产能的区内制造业企业。",
			terms:   "按融资租赁合同约定、实际支付的租息的 40% 给予补贴，单个项目补贴期最长 2 年，每家企业每年最高 100 万元。",
			docs:    "补贴申请表；融资租赁合同；设备购置发票；租息支付凭证",
			benefit: "租息 40% 补贴，每家企业每年最高 100 万元",
			maxWan:  100, tags: []string{"融资租赁", "技术改造"},
			industries: []string{"C"},
			criteria:   crits(critTaxNot("D")),
			win:        applyDays(-55, 125),
		},
		{
			title: "绿色低碳转型贷款贴息", doc: "市金融规〔{y}〕3号", issuer: "市地方金融管理局", level: lvCity,
			summary: "企业为节能改造、清洁能源替换、新能源车船购置取得的绿色贷款，按实际付息额 30% 给予贴息。",
			who:     "取得银行绿色贷款认定、资金用于节能降碳改造或新能源运输装备购置的制造业、交通运输业企业。",
			terms:   "按实际付息额 30% 贴息，贴息期最长 2 年，每家企业每年最高 200 万元；列入市级绿色示范项目的比例提高到 40%。",
			docs:    "贴息申请表；绿色贷款认定证明；借款合同及付息凭证；项目节能评估报告",
			benefit: "绿色贷款利息 30%–40% 贴息，每年最高 200 万元",
			maxWan:  200, tags: []string{"绿色金融", "节能降碳"},
			industries: []string{"C", "G"},
			criteria:   crits(critTaxNot("C", "D")),
			win:        applyDays(-30, 300),
		},
		{
			title: "出口信用保险保费资助", doc: "市商务规〔{y}〕5号", issuer: "市商务局", level: lvCity,
			summary: "中小外贸企业投保短期出口信用保险的，按实际缴纳保费的 50% 给予资助，降低海外收汇风险。",
			who:     "在本市注册、上年度进出口额不超过 6500 万美元、投保短期出口信用保险的中小企业。",
			terms:   "按实际缴纳保费的 50% 给予资助，每家企业每年最高 50 万元；首次投保的企业资助比例提高到 80%。",
			docs:    "资助申请表；保险单及保费发票；出口报关数据",
			benefit: "保费 50% 资助，首次投保 80%，每年最高 50 万元",
			maxWan:  50, tags: []string{"出口信用保险", "外贸"},
			criteria: crits(critSME()),
			win:      applyDays(-75, 105),
		},
		{
			title: "中小企业融资综合信用服务平台“信易贷”", doc: "市融服〔{y}〕1号", issuer: "市中小企业融资服务平台", level: lvCity, product: true,
			summary:  "汇集税务、社保、水电等信用信息，为中小企业一次提交、多家银行同时授信，平均 3 个工作日完成对接。",
			who:      "在本市注册的中型、小型和微型企业，授权平台归集其公共信用信息。",
			terms:    "平台免费服务；入驻 40 余家银行提供 200 余款产品，信用贷款占比不低于 60%；首贷企业可获风险补偿资金池增信。",
			docs:     "平台注册及信息授权；融资需求填报表",
			benefit:  "免费融资撮合，多家银行同时授信",
			tags:     []string{"信易贷", "融资对接"},
			criteria: crits(critSME()),
			win:      applyAlways(-600),
		},
		{
			title: "滨海旅游企业纾困专项贷款", doc: "HWRCB-LY-{y-1}", issuer: "海湾农村商业银行", level: lvDist, product: true,
			summary: "为受淡季和天气影响的滨海旅游企业提供专项流动资金贷款，延期还本付息，区财政贴息 1 个百分点。",
			who:     "滨海旅游产业链中的酒店、民宿、景区、旅行社和文旅演艺企业。",
			terms:   "单户最高 500 万元，期限 1 年，可申请延期还本；区财政按 1 个百分点给予贴息。",
			docs:    "贷款申请书；旅游经营许可证明；近一年经营情况说明",
			benefit: "单户最高 500 万元，区财政贴息 1 个百分点",
			maxWan:  500, tags: []string{"纾困", "滨海旅游"},
			criteria: crits(critChain("chain-tourism")),
			win:      applyDays(-300, -60),
		},
		{
			title: "{y-1}年度物流企业贷款贴息", doc: "海湾交运〔{y-1}〕12号", issuer: issTrans, level: lvDist,
			summary: "{y-1}年度为购置新能源货车、冷藏车取得银行贷款的物流企业，按实际付息额的 50% 给予贴息。",
			who:     "在海湾区注册、{y-1}年度为购置新能源货车或冷藏车取得银行贷款的道路运输和仓储物流企业。",
			terms:   "按{y-1}年度实际付息额的 50% 给予贴息，每家企业最高 60 万元。",
			docs:    "贴息申请表；车辆购置发票及行驶证；借款合同及付息凭证",
			benefit: "贷款利息 50% 贴息，每家企业最高 60 万元",
			maxWan:  60, tags: []string{"物流", "贴息", "新能源货车"},
			industries: []string{"54", "59"},
			criteria:   crits(critChain("chain-port")),
			win:        applyDays(-200, -10),
		},
		{
			title: "数字人民币应用场景建设支持", doc: "海湾金融〔{y}〕（送审稿）", issuer: issFin, level: lvDist,
			summary: "拟支持企业在零售、文旅、物流等场景开展数字人民币受理和智能合约应用，按建设投入给予补贴（送审中）。",
			who:     "在区内开展数字人民币受理终端改造、智能合约支付或供应链结算应用的企业。",
			terms:   "按场景建设实际投入的 30% 给予补贴，每个场景最高 30 万元，每家企业最高 60 万元。",
			docs:    "补贴申请表；场景建设方案；投入凭证；运营银行出具的交易数据",
			benefit: "按投入 30% 补贴，每家企业最高 60 万元",
			maxWan:  60, tags: []string{"数字人民币", "应用场景"},
			criteria: crits(critTaxNot("D")),
			win:      applyDays(30, 180), status: policies.StatusDraft,
		},
	}
}

// smallMicroPolicies are the 小微优惠/税费 entries.
func smallMicroPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "小型微利企业所得税优惠", doc: "财政部 税务总局公告{y-1}年第 6 号", issuer: "财政部 税务总局", level: lvNat, auto: true,
			note:     "本政策执行至{y+1}年 12 月 31 日。无论按查账征收还是核定征收方式缴纳企业所得税，符合条件的小型微利企业均可享受。",
			summary:  "小型微利企业年应纳税所得额不超过 300 万元的部分，减按 25% 计入应纳税所得额，按 20% 的税率缴纳企业所得税。",
			who:      "从事国家非限制和禁止行业，且同时符合年度应纳税所得额不超过 300 万元、从业人数不超过 300 人、资产总额不超过 5000 万元三个条件的企业。",
			terms:    "年应纳税所得额不超过 300 万元的部分，减按 25% 计入应纳税所得额，按 20% 的税率缴纳，实际税负 5%。",
			benefit:  "实际企业所得税税负降至 5%",
			tags:     []string{"企业所得税", "小型微利企业"},
			criteria: crits(critEmployeesMax(300), critAssetsMax(5000)),
			how:      "免申即享：企业在预缴和汇算清缴企业所得税时，电子税务局根据申报数据自动判断并计算减免税额，无需另行备案或提交材料。",
			win:      applyAlways(-320),
		},
		{
			title: "小规模纳税人增值税减免", doc: "财政部 税务总局公告{y-1}年第 19 号", issuer: "财政部 税务总局", level: lvNat, auto: true,
			summary:  "增值税小规模纳税人月销售额 10 万元以下免征增值税，适用 3% 征收率的应税销售收入减按 1% 征收。",
			who:      "年应征增值税销售额 500 万元以下、登记为增值税小规模纳税人的企业和个体工商户。",
			terms:    "合计月销售额未超过 10 万元（按季申报未超过 30 万元）的，免征增值税；适用 3% 征收率的应税销售收入减按 1% 征收。",
			benefit:  "月销售额 10 万元以下免征，其余减按 1% 征收",
			tags:     []string{"增值税", "小规模纳税人"},
			criteria: crits(critRevenueMax(500)),
			how:      "免申即享：在电子税务局申报增值税时系统自动计算免征和减征税额，无需另行申请。",
			win:      applyAlways(-320),
		},
		{
			title: "小微企业“六税两费”减半征收", doc: "财政部 税务总局公告{y-1}年第 12 号", issuer: "财政部 税务总局", level: lvNat, auto: true,
			summary:  "小型微利企业和个体工商户的资源税、城市维护建设税、房产税、印花税等“六税两费”按 50% 减征。",
			who:      "增值税小规模纳税人、小型微利企业和个体工商户。",
			terms:    "资源税、城市维护建设税、房产税、城镇土地使用税、印花税（不含证券交易印花税）、耕地占用税和教育费附加、地方教育附加减半征收。",
			benefit:  "六项税和两项附加按 50% 减征",
			tags:     []string{"六税两费", "减半征收"},
			criteria: crits(critSmallMicro()),
			how:      "免申即享：申报相关税费时由电子税务局自动带出减征额度。",
			win:      applyAlways(-320),
		},
		{
			title: "困难小微企业房产税、城镇土地使用税减免", doc: "省税规〔{y}〕2号", issuer: "省税务局", level: lvProv,
			summary:  "生产经营困难、缴纳房产税和城镇土地使用税确有困难的小微企业，可申请减免当年的房产税和城镇土地使用税。",
			who:      "因经营困难缴纳房产税、城镇土地使用税确有困难，纳税信用等级不为 D 级的小型微型企业。",
			terms:    "经税务机关核准，可减征或免征当年的房产税、城镇土地使用税，减免期限最长 1 年。",
			docs:     "减免税申请表；经营困难情况说明；近一年财务报表；房产和土地权属证明",
			benefit:  "减征或免征当年房产税、城镇土地使用税",
			tags:     []string{"房产税", "城镇土地使用税", "困难减免"},
			criteria: crits(critSmallMicro(), critTaxNot("D")),
			win:      applyDays(-45, 75),
		},
		{
			title: "小微企业宽带专线资费优惠", doc: "电信海湾政企〔{y}〕4号", issuer: "中国电信海湾分公司", level: lvCity, product: true,
			summary:  "小微企业办理企业宽带和互联网专线的，资费在标准价基础上下浮 20%，免收一次性安装调测费。",
			who:      "在海湾区注册的小型和微型企业。",
			terms:    "企业宽带、互联网专线月资费下浮 20%，合约期 1 年以上的免收安装调测费，首月免费试用。",
			docs:     "营业执照；经办人身份证",
			benefit:  "宽带和专线资费下浮 20%，免安装费",
			tags:     []string{"宽带", "通信资费"},
			criteria: crits(critSmallMicro()),
			win:      applyAlways(-150),
		},
		{
			title: "小微企业首次“上规”奖励", doc: "海湾发改〔{y}〕14号", issuer: issDRC, level: lvDist, auto: true,
			summary: "小微企业首次纳入规模以上企业统计的，一次性奖励 10 万元；连续两年保持在库的再奖励 5 万元。",
			who:     "上一年度首次纳入规模以上工业、服务业、批发零售业或住宿餐饮业统计的区内企业。",
			terms:   "首次纳入统计的一次性奖励 10 万元；连续两年在库的，第二年再奖励 5 万元。奖励名单根据统计部门数据确定，无需申报。",
			benefit: "首次上规奖励 10 万元，次年在库再奖 5 万元",
			maxWan:  15, tags: []string{"小升规", "规上企业"},
			criteria: crits(critQual("规上企业"), critSME()),
			win:      applyDays(-20, 160),
		},
		{
			title: "小微企业水电气费用补贴", doc: "海湾发改〔{y}〕9号", issuer: issDRC, level: lvDist,
			summary: "对在区内生产经营的小微企业，按上年度实际缴纳水电气费用的 10% 给予补贴，每家最高 5 万元。",
			who:     "上年度在区内持续经营、纳税信用等级不为 C 级或 D 级的小型微型企业。",
			terms:   "按上年度企业名下水、电、燃气实际缴费金额的 10% 给予补贴，每家企业最高 5 万元。",
			docs:    "补贴申请表；上年度水电气缴费凭证；经营场所租赁合同或产权证明",
			benefit: "水电气费用 10% 补贴，最高 5 万元",
			maxWan:  5, tags: []string{"水电气", "降成本"},
			criteria: crits(critSmallMicro(), critTaxNot("C", "D")),
			win:      applyDays(-30, 60),
		},
		{
			title: "政府采购支持中小企业价格扣除", doc: "省财采〔{y-1}〕8号", issuer: "省财政厅", level: lvProv,
			summary:  "政府采购项目对小微企业报价给予 10% 至 20% 的价格扣除，并预留采购份额专门面向中小企业。",
			who:      "参加政府采购活动、提供本企业制造货物或承担工程、服务的小型和微型企业。",
			terms:    "货物和服务项目对小微企业报价给予 10%–20% 扣除，用扣除后的价格参与评审；超过 200 万元的货物和服务项目预留 40% 以上份额面向中小企业。",
			docs:     "中小企业声明函；营业执照",
			benefit:  "报价扣除 10%–20%，预留 40% 以上采购份额",
			tags:     []string{"政府采购", "价格扣除"},
			criteria: crits(critSmallMicro()),
			win:      applyAlways(-500),
		},
		{
			title: "个体工商户转型升级为企业奖励", doc: "海湾市监〔{y}〕7号", issuer: issSAMR, level: lvDist,
			summary: "个体工商户转型为有限责任公司等企业形式且持续经营的，一次性奖励 1 万元，并可保留原字号和许可证。",
			who:     "由个体工商户转型设立、成立不满 1 年的企业。",
			terms:   "转型后正常经营满 6 个月、依法纳税的，一次性奖励 1 万元；转型后纳入规模以上统计的，再奖励 3 万元。",
			docs:    "奖励申请表；原个体工商户营业执照注销证明；新营业执照；纳税证明",
			benefit: "一次性奖励 1 万元，上规再奖 3 万元",
			maxWan:  4, tags: []string{"个转企", "市场主体"},
			criteria: crits(critFoundedWithin(1)),
			win:      applyDays(-100, 260),
		},
		{
			title: "小微企业计量检定和检验检测费用减半", doc: "海湾市监〔{y}〕11号", issuer: issSAMR, level: lvDist,
			summary: "区属检验检测机构为小微企业提供计量器具检定、产品质量检验服务的，收费按标准的 50% 执行。",
			who:     "在海湾区注册的小型和微型企业。",
			terms:   "强制检定计量器具免费，非强制检定和产品质量检验收费减半；每家企业每年减免金额最高 3 万元。",
			docs:    "检验检测委托单；营业执照",
			benefit: "检定检测费用减半，每年最高减免 3 万元",
			maxWan:  3, tags: []string{"检验检测", "计量"},
			criteria: crits(critSmallMicro()),
			win:      applyAlways(-260),
		},
		{
			title: "残疾人就业保障金分档减缴", doc: "财政部公告{y-1}年第 9 号", issuer: "财政部", level: lvNat, auto: true,
			summary:  "在职职工人数在 30 人（含）以下的企业暂免征收残疾人就业保障金，其他企业按安排比例分档减缴。",
			who:      "在职职工人数 30 人（含）以下的企业；安排残疾人就业比例未达标的其他企业按比例分档减缴。",
			terms:    "30 人以下企业暂免征收；安排比例达到 1% 以上但低于规定比例的按应缴额的 50% 缴纳，低于 1% 的按 90% 缴纳。",
			benefit:  "30 人以下企业免缴残疾人就业保障金",
			tags:     []string{"残保金", "减缴"},
			criteria: crits(critEmployeesMax(30)),
			how:      "免申即享：申报残疾人就业保障金时电子税务局自动按在职职工人数判断，无需提交材料。",
			win:      applyAlways(-320),
		},
		{
			title: "新开办企业免费刻章和税务 UKey", doc: "海湾市监〔{y}〕3号", issuer: issSAMR, level: lvDist, auto: true,
			summary: "新设立的企业通过“开办一件事”平台办理登记的，免费刻制公章、财务章等四枚印章并免费领取税务 UKey。",
			who:     "在海湾区新设立、成立不满 1 年的企业。",
			terms:   "免费刻制公章、财务专用章、发票专用章、合同专用章各一枚，价值约 600 元；免费领取税务 UKey。",
			benefit: "免费刻制四枚印章，免费领取税务 UKey",
			maxWan:  0.06, tags: []string{"企业开办", "免费刻章"},
			criteria: crits(critFoundedWithin(1)),
			how:      "免申即享：通过“开办一件事”平台办理设立登记时勾选免费刻章和 UKey，在政务服务中心窗口或邮寄领取。",
			win:      applyAlways(-365),
		},
		{
			title: "小微企业“上云用数”服务券", doc: "海湾工信〔{y}〕19号", issuer: issMIIT, level: lvDist,
			summary: "小微企业购买云主机、SaaS 软件和数字化改造服务的，凭服务券抵扣 50% 费用，每家最高 2 万元。",
			who:     "在海湾区纳税的小型和微型企业。",
			terms:   "服务券按采购金额的 50% 抵扣，每家企业每年最高 2 万元，限在区服务商目录内使用。",
			docs:    "服务券申领表；采购合同；服务商出具的服务确认单",
			benefit: "数字化服务费用 50% 抵扣，每家最高 2 万元",
			maxWan:  2, tags: []string{"上云用数", "数字化转型"},
			criteria: crits(critSmallMicro(), critTaxNot("D")),
			win:      applyDays(-60, 100),
		},
		{
			title: "小微企业首次参展补贴", doc: "海湾发改〔{y}〕16号", issuer: issDRC, level: lvDist,
			summary: "小微企业首次参加境内外专业展会的，按展位费的 70% 给予补贴，每家企业每年最高 5 万元。",
			who:     "首次以企业名义参加区认定目录内境内外专业展会的小型和微型企业。",
			terms:   "境内展会按展位费 70% 补贴，境外展会按展位费和特装费 70% 补贴；每家企业每年最高 5 万元。",
			docs:    "补贴申请表；参展合同及展位费发票；展位照片",
			benefit: "展位费 70% 补贴，每年最高 5 万元",
			maxWan:  5, tags: []string{"展会", "市场开拓"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(-15, 200),
		},
		{
			title: "小微企业财税辅导“税务管家”服务", doc: "海湾税服〔{y}〕2号", issuer: issTax, level: lvDist, product: true,
			summary:  "区税务局为小微企业提供一对一财税辅导，帮助新办企业建账、申报和用好税费优惠，全程免费。",
			who:      "成立不满 3 年的小型和微型企业。",
			terms:    "每家企业指定一名税务管家，提供建账、发票、申报和优惠享受辅导，每季度至少一次上门或线上服务。",
			docs:     "服务申请表",
			benefit:  "一对一免费财税辅导",
			tags:     []string{"纳税服务", "新办企业"},
			criteria: crits(critSmallMicro(), critFoundedWithin(3)),
			win:      applyAlways(-200),
		},
		{
			title: "小微企业代理记账费用补贴", doc: "海湾发改〔{y}〕（征求意见稿）", issuer: issDRC, level: lvDist,
			summary: "拟对首次委托代理记账机构的微型企业，按代理记账费用的 50% 给予补贴（征求意见中，尚未施行）。",
			who:     "成立不满 2 年、首次委托代理记账机构的微型企业。",
			terms:   "按代理记账费用的 50% 补贴，每家企业每年最高 3000 元，连续补贴 2 年。",
			docs:    "补贴申请表；代理记账合同及发票",
			benefit: "代理记账费用 50% 补贴，每年最高 3000 元",
			maxWan:  0.6, tags: []string{"代理记账", "微型企业"},
			criteria: crits(critSize(portal.SizeMicro), critFoundedWithin(2)),
			win:      applyDays(45, 220), status: policies.StatusDraft,
		},
		{
			title: "{y-1}年小微物流企业运费补贴", doc: "海湾交运〔{y-1}〕6号", issuer: issTrans, level: lvDist,
			summary: "{y-1}年度对承接区内中小制造企业货运业务的小微物流企业，按运费收入的 3% 给予补贴。",
			who:     "属于港口物流产业链、企业规模为小型或微型的道路运输和货运代理企业。",
			terms:   "按{y-1}年度承接区内中小制造企业货运业务运费收入的 3% 补贴，每家企业最高 20 万元。",
			docs:    "补贴申请表；运输合同及运费发票清单",
			benefit: "运费收入 3% 补贴，最高 20 万元",
			maxWan:  20, tags: []string{"物流降本", "小微企业"},
			industries: []string{"54", "58"},
			criteria:   crits(critSmallMicro(), critChain("chain-port")),
			win:        applyDays(-180, -20),
		},
		{
			title: "小店经济提振补贴", doc: "海湾发改〔{y}〕20号", issuer: issDRC, level: lvDist,
			summary: "金沙、东湾两个街道的零售和餐饮小店进行门店改造、数字化收银和品牌升级的，按投入 30% 补贴。",
			who:     "在金沙街道、东湾街道经营的零售、餐饮类小型和微型企业。",
			terms:   "按门店改造、数字化收银和品牌设计实际投入的 30% 补贴，每家最高 3 万元。",
			docs:    "补贴申请表；改造前后照片；改造合同及发票",
			benefit: "门店改造投入 30% 补贴，最高 3 万元",
			maxWan:  3, tags: []string{"小店经济", "消费提振"},
			industries: []string{"52", "62"}, regions: []string{"sd-jinsha", "sd-dongwan"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(-10, 80),
		},
		{
			title: "小微企业增值税期末留抵退税", doc: "财政部 税务总局公告{y-2}年第 14 号", issuer: "国家税务总局", level: lvNat,
			summary:  "小微企业可按月向税务机关申请退还增量留抵税额，并一次性退还存量留抵税额，缓解资金压力。",
			who:      "纳税信用等级为 A 级或 B 级、申请退税前 36 个月未发生骗取留抵退税等情形的小型和微型企业。",
			terms:    "可一次性申请退还存量留抵税额，按月申请退还增量留抵税额，退税审核一般在 10 个工作日内完成。",
			docs:     "退（抵）税申请表",
			benefit:  "存量留抵一次性退还，增量留抵按月退还",
			tags:     []string{"留抵退税", "增值税"},
			criteria: crits(critSmallMicro(), critTax("A", "B")),
			how:      "在电子税务局“留抵退税”模块在线申请，税务机关审核后将退税款退至企业账户。",
			win:      applyAlways(-700),
		},
		{
			title: "小微企业担保代偿风险补偿（{y-2}年版）", doc: "海湾金融规〔{y-2}〕3号", issuer: issFin, level: lvDist,
			summary:  "原小微企业担保代偿风险补偿办法，已被新版政府性融资担保费补贴政策取代，不再受理。",
			who:      "通过合作担保机构获得贷款的小型和微型企业。",
			terms:    "担保机构代偿损失由区财政补偿 30%。本办法已废止，请改为申报新版政府性融资担保费补贴。",
			docs:     "不再受理",
			benefit:  "已废止",
			tags:     []string{"融资担保", "已废止"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(-600, 30), status: policies.StatusRevoked,
		},
	}
}

// techPolicies are the 科技创新 entries.
func techPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "高新技术企业认定奖励", doc: "海湾科创规〔{y}〕3号", issuer: issSci, level: lvDist, auto: true,
			summary: "首次认定为国家高新技术企业的奖励 30 万元，重新认定的奖励 10 万元，名单公布后直接兑付。",
			who:     "注册地和纳税地在海湾区、当年通过认定的国家高新技术企业。",
			terms:   "首次认定奖励 30 万元，重新认定奖励 10 万元；从区外整体迁入且高新技术企业资格有效的，奖励 20 万元。",
			benefit: "首次认定 30 万元，重新认定 10 万元",
			maxWan:  30, tags: []string{"高新技术企业", "认定奖励"},
			criteria: crits(critQual("高新技术企业")),
			win:      applyDays(-25, 130),
		},
		{
			title: "首台（套）重大技术装备保险补偿", doc: "省工信规〔{y-1}〕5号", issuer: "省工业和信息化厅", level: lvProv,
			summary: "企业生产的首台（套）重大技术装备投保质量和责任保险的，按年度保费的 80% 给予补偿，最高 500 万元。",
			who:     "生产列入省首台（套）重大技术装备推广应用目录产品、并为其投保综合保险的装备制造企业。",
			terms:   "按实际投保年度保费的 80% 给予补偿，保险期限按 1 年计算，每家企业每年最高 500 万元；补偿期最长 3 年。",
			docs:    "补偿申请表；首台（套）认定证明；保险合同及保费发票；产品销售合同",
			benefit: "保费 80% 补偿，每年最高 500 万元",
			maxWan:  500, tags: []string{"首台套", "装备制造", "保险补偿"},
			industries: []string{"34", "35", "37", "38", "40"},
			criteria:   crits(critTaxNot("C", "D")),
			win:        applyDays(-50, 70),
		},
		{
			title: "{y}年人工智能（AI）应用场景补贴", doc: "海湾工信规〔{y}〕4号", issuer: issMIIT, level: lvDist,
			note:    "同一项目已获得市级及以上同类资助的，区级按差额补足，不重复支持。",
			summary: "企业在生产制造、港口物流、医疗健康、文旅服务等场景落地人工智能应用的，按投入 30% 补贴，最高 200 万元。",
			who:     "在海湾区纳税、上年度营业收入不低于 500 万元、在本企业业务中部署人工智能应用并已上线运行的企业。",
			terms:   "按项目软硬件和算力服务实际投入的 30% 给予补贴，单个项目最高 200 万元；入选区级“AI+”标杆场景的另奖励 20 万元。",
			docs:    "补贴申请表；项目实施方案及验收报告；合同、发票和付款凭证；应用效果说明",
			benefit: "AI 项目投入 30% 补贴，最高 200 万元",
			maxWan:  200, tags: []string{"人工智能", "应用场景", "数字化转型"},
			criteria: crits(critRevenueMin(500), critTaxNot("C", "D")),
			win:      applyDays(-30, 90),
		},
		{
			title: "企业研发投入后补助", doc: "市科创规〔{y}〕2号", issuer: "市科技创新局", level: lvCity,
			summary: "高新技术企业和科技型中小企业上年度研发投入比前一年增长的，按增量部分的 10% 给予后补助。",
			who:     "已认定为高新技术企业或入库科技型中小企业、已在税务部门申报研发费用加计扣除的企业。",
			terms:   "按上年度研发费用较前一年增量部分的 10% 给予补助，每家企业最高 500 万元；研发费用以加计扣除申报数据为准。",
			docs:    "补助申请表；研发费用加计扣除申报表；研发项目立项文件",
			benefit: "研发费用增量 10% 后补助，最高 500 万元",
			maxWan:  500, tags: []string{"研发投入", "后补助"},
			criteria: crits(critAnyQual("高新技术企业", "科技型中小企业")),
			win:      applyDays(-40, 20),
		},
		{
			title: "研发费用税前加计扣除", doc: "财政部 税务总局公告{y-2}年第 7 号", issuer: "财政部 税务总局", level: lvNat,
			summary:  "企业开展研发活动实际发生的研发费用，在据实扣除的基础上再按实际发生额的 100% 在税前加计扣除。",
			who:      "会计核算健全、实行查账征收并能准确归集研发费用的居民企业，烟草制造、住宿和餐饮、批发和零售、房地产、租赁和商务服务、娱乐业除外。",
			terms:    "未形成无形资产计入当期损益的，再按实际发生额的 100% 税前扣除；形成无形资产的，按成本的 200% 摊销。",
			docs:     "研发项目立项决议；研发费用辅助账；研发支出汇总表",
			benefit:  "研发费用按 200% 税前扣除",
			tags:     []string{"加计扣除", "研发费用", "企业所得税"},
			criteria: crits(critIndustryNot("不属于烟草制造、住宿和餐饮、批发和零售、房地产、租赁和商务服务、娱乐业", "16", "H", "F", "K", "L", "90")),
			how:      "自行判别、申报享受：企业在预缴或汇算清缴企业所得税时填报研发费用加计扣除优惠明细表，相关资料留存备查。",
			win:      applyAlways(-700),
		},
		{
			title: "科技型中小企业评价入库奖励", doc: "海湾科创〔{y}〕4号", issuer: issSci, level: lvDist,
			summary: "当年首次通过科技型中小企业评价并入库的小微企业，给予一次性奖励 2 万元，支持其加大研发投入。",
			who:     "当年首次入库科技型中小企业、企业规模为小型或微型的区内企业。",
			terms:   "一次性奖励 2 万元；入库后两年内认定为高新技术企业的，另按高新技术企业认定奖励政策执行。",
			docs:    "奖励申请表；科技型中小企业入库登记编号",
			benefit: "入库一次性奖励 2 万元",
			maxWan:  2, tags: []string{"科技型中小企业", "入库奖励"},
			criteria: crits(critQual("科技型中小企业"), critSmallMicro()),
			win:      applyDays(-70, 110),
		},
		{
			title: "专利转化运用资助", doc: "市市监规〔{y}〕6号", issuer: "市市场监督管理局", level: lvCity,
			summary: "企业受让或许可实施高校、科研院所专利并实现产业化的，按实际支付费用的 30% 给予资助。",
			who:     "受让或获得许可实施高校、科研院所发明专利，并已实现产品化的本市企业。",
			terms:   "按技术合同实际支付金额的 30% 资助，单个合同最高 50 万元，每家企业每年最高 100 万元。",
			docs:    "资助申请表；技术合同登记证明；专利转让或许可备案证明；付款凭证；产品化证明",
			benefit: "专利转化费用 30% 资助，每年最高 100 万元",
			maxWan:  100, tags: []string{"专利转化", "知识产权"},
			criteria: crits(critTaxNot("D")),
			win:      applyDays(-90, 150),
		},
		{
			title: "市级企业技术中心认定奖励", doc: "市工信规〔{y-1}〕7号", issuer: "市工业和信息化局", level: lvCity,
			summary: "新认定为市级企业技术中心的规模以上企业，给予一次性奖励 50 万元；升为国家级的再奖励 100 万元。",
			who:     "属于规模以上企业、上年度营业收入不低于 5000 万元、研发机构健全的本市企业。",
			terms:   "新认定市级企业技术中心奖励 50 万元，省级 80 万元，国家级 100 万元，按级差补齐。",
			docs:    "奖励申请表；认定文件；技术中心年度评价材料",
			benefit: "市级 50 万元，省级 80 万元，国家级 100 万元",
			maxWan:  100, tags: []string{"企业技术中心", "研发机构"},
			criteria: crits(critQual("规上企业"), critRevenueMin(5000)),
			win:      applyDays(-20, 40),
		},
		{
			title: "新型研发机构建设资助", doc: "省科技规〔{y-1}〕12号", issuer: "省科学技术厅", level: lvProv,
			summary: "企业牵头建设、经认定的省级新型研发机构，按上年度非财政研发投入的 20% 给予最高 1000 万元资助。",
			who:     "企业牵头建设、具有独立法人资格、研发人员不少于 30 人并经省级认定的新型研发机构。",
			terms:   "按上年度非财政资金研发投入的 20% 给予资助，最高 1000 万元，连续支持 3 年。",
			docs:    "资助申请书；新型研发机构认定文件；研发投入专项审计报告",
			benefit: "非财政研发投入 20% 资助，最高 1000 万元",
			maxWan:  1000, tags: []string{"新型研发机构", "研发平台"},
			industries: []string{"M", "C"},
			criteria:   crits(critEmployeesMin(30)),
			win:        applyDays(-35, 55),
		},
		{
			title: "科技创新券", doc: "海湾科创规〔{y-1}〕2号", issuer: issSci, level: lvDist,
			summary: "中小企业向高校、科研院所和服务机构购买检验检测、研发设计、技术咨询服务的，可用创新券抵扣 50% 费用。",
			who:     "入库科技型中小企业或已认定为创新型中小企业的区内中小企业。",
			terms:   "创新券按服务合同金额的 50% 抵扣，每家企业每年最高 20 万元；服务机构须在区创新券服务机构库内。",
			docs:    "创新券申领表；技术服务合同；服务机构开具的发票",
			benefit: "科技服务费用 50% 抵扣，每年最高 20 万元",
			maxWan:  20, tags: []string{"创新券", "科技服务"},
			criteria: crits(critAnyQual("科技型中小企业", "创新型中小企业"), critSME()),
			win:      applyAlways(-150),
		},
		{
			title: "生物医药临床试验资助", doc: "市科创规〔{y}〕5号", issuer: "市科技创新局", level: lvCity,
			summary: "创新药和改良型新药在本市完成临床试验的，按 I、II、III 期分别给予最高 300 万、500 万、1000 万元资助。",
			who:     "生命健康产业链中注册在本市、取得药物临床试验批准通知书并在本市开展临床试验的医药企业和研发机构。",
			terms:   "完成 I 期临床试验的按实际投入 40% 资助，最高 300 万元；II 期最高 500 万元；III 期最高 1000 万元。同一品种各阶段累计最高 1500 万元。",
			docs:    "资助申请书；临床试验批准通知书；临床试验总结报告；试验费用专项审计报告",
			benefit: "按试验阶段资助，III 期最高 1000 万元",
			maxWan:  1000, tags: []string{"临床试验", "创新药", "生物医药"},
			industries: []string{"27", "73"},
			criteria:   crits(critChain("chain-health")),
			win:        applyDays(-60, 120),
		},
		{
			title: "医疗器械注册证奖励", doc: "海湾科创〔{y}〕12号", issuer: issSci, level: lvDist,
			summary: "区内企业首次取得第二类、第三类医疗器械注册证并在本区生产的，分别给予 20 万元、100 万元奖励。",
			who:     "生命健康产业链中在本区生产、首次取得第二类或第三类医疗器械产品注册证的企业。",
			terms:   "第二类医疗器械注册证每个奖励 20 万元，第三类每个奖励 100 万元；通过创新医疗器械特别审查程序的再奖励 50 万元，每家企业每年最高 300 万元。",
			docs:    "奖励申请表；医疗器械注册证；生产许可证；产品在本区生产的证明",
			benefit: "二类证 20 万元，三类证 100 万元",
			maxWan:  300, tags: []string{"医疗器械", "注册证"},
			industries: []string{"35"},
			criteria:   crits(critChain("chain-health")),
			win:        applyDays(-45, 170),
		},
		{
			title: "智慧港口技术攻关项目资助", doc: "海湾交运规〔{y}〕2号", issuer: issTrans, level: lvDist,
			summary: "支持港口物流企业开展自动化码头、5G 远控、智能理货等技术攻关和示范应用，按投入 30% 资助，最高 300 万元。",
			who:     "港口物流产业链中从事港口装卸、水上运输、仓储和多式联运的企业，项目在本区港区实施。",
			terms:   "按项目研发和设备实际投入的 30% 资助，最高 300 万元；与高校联合攻关的，资助比例提高到 40%。",
			docs:    "项目申报书；项目实施方案；合作协议；投入凭证",
			benefit: "技术攻关投入 30%–40% 资助，最高 300 万元",
			maxWan:  300, tags: []string{"智慧港口", "技术攻关"},
			industries: []string{"G"},
			criteria:   crits(critChain("chain-port"), critRevenueMin(1000)),
			win:        applyDays(-20, 100),
		},
		{
			title: "黄金珠宝检测与新材料研发资助", doc: "海湾科创〔{y}〕15号", issuer: issSci, level: lvDist,
			summary: "支持珠宝企业和检测机构开展贵金属检测方法、3D 打印首饰、新型合金材料等研发，按研发投入 25% 资助。",
			who:     "黄金珠宝产业链中设有研发部门、纳税信用等级为 A 级或 B 级的珠宝加工企业和检测机构。",
			terms:   "按项目研发投入的 25% 资助，最高 80 万元；形成国家或行业标准的再奖励 20 万元。",
			docs:    "项目申报书；研发费用明细；阶段性成果证明",
			benefit: "研发投入 25% 资助，最高 80 万元",
			maxWan:  100, tags: []string{"珠宝检测", "新材料"},
			criteria: crits(critChain("chain-jewelry"), critTax("A", "B")),
			win:      applyDays(-5, 65),
		},
		{
			title: "生命健康产业园中试平台服务", doc: "SKJK-ZS-{y}", issuer: "生命健康产业园运营中心", level: lvDist, product: true,
			summary:  "产业园公共中试平台向生物医药企业开放制剂中试、GMP 洁净车间和检测设备，园区企业享受五折优惠。",
			who:      "梅林街道生命健康产业园及周边的生物医药、医疗器械企业。",
			terms:    "提供制剂中试、小批量 GMP 生产、稳定性研究和质量检测服务；园区企业按平台标准价的 50% 收费，其他区内企业八折。",
			docs:     "服务申请表；项目简介；保密协议",
			benefit:  "中试和检测服务五折起",
			tags:     []string{"中试平台", "生物医药"},
			regions:  []string{"sd-meilin"},
			criteria: crits(critChain("chain-health")),
			win:      applyAlways(-420),
		},
		{
			title: "软件产品测评和信息安全等级测评补贴", doc: "海湾工信〔{y}〕26号", issuer: issMIIT, level: lvDist,
			summary: "软件和信息技术服务企业开展软件产品登记测试、信息系统安全等级保护测评的，按费用 50% 补贴。",
			who:     "在海湾区注册的软件和信息技术服务业企业。",
			terms:   "软件产品登记测试、等级保护测评、商用密码应用安全性评估费用按 50% 补贴，每家企业每年最高 10 万元。",
			docs:    "补贴申请表；测评报告；测评合同及发票",
			benefit: "测评费用 50% 补贴，每年最高 10 万元",
			maxWan:  10, tags: []string{"软件测评", "等级保护"},
			industries: []string{"65"},
			criteria:   crits(critSME()),
			win:        applyDays(-55, 95),
		},
		{
			title: "中小企业数字化转型试点项目支持", doc: "工信部联企业〔{y-1}〕88号", issuer: "工业和信息化部", level: lvNat,
			summary: "试点城市内的中小制造企业实施数字化改造的，按“链式”改造项目给予支持，中央财政资金按改造投入分档补助。",
			who:     "试点城市内、属于中小企业的制造业企业，参与所在行业的数字化“链式”改造。",
			terms:   "按企业数字化改造实际投入分档补助，单家企业最高 100 万元；改造后须达到中小企业数字化水平二级以上。",
			docs:    "改造项目申报书；数字化水平评测报告；服务合同及投入凭证",
			benefit: "数字化改造分档补助，单家最高 100 万元",
			maxWan:  100, tags: []string{"数字化转型", "中小企业"},
			industries: []string{"C"},
			criteria:   crits(critSME()),
			win:        applyDays(-80, 30),
		},
		{
			title: "高新技术企业培育入库资助", doc: "海湾科创〔{y-1}〕10号", issuer: issSci, level: lvDist,
			summary: "尚未认定为高新技术企业的科技型中小企业进入区培育库的，给予一次性资助 10 万元，本年度申报已截止。",
			who:     "入库科技型中小企业、尚未认定为高新技术企业的区内企业。",
			terms:   "进入培育库的一次性资助 10 万元，两年内通过高新技术企业认定的再按认定奖励政策执行。",
			docs:    "入库申请表；知识产权清单；研发费用明细",
			benefit: "入库资助 10 万元",
			maxWan:  10, tags: []string{"高企培育", "科技型中小企业"},
			criteria: crits(critQual("科技型中小企业"), critNoQual("高新技术企业")),
			win:      applyDays(-240, -30),
		},
		{
			title: "{y-1}年度企业研发机构建设资助", doc: "市科创〔{y-1}〕21号", issuer: "市科技创新局", level: lvCity,
			summary: "{y-1}年度新建企业研究院、工程技术研究中心的，按仪器设备投入的 30% 给予资助，申报已截止。",
			who:     "{y-1}年度在本市新建研发机构、仪器设备投入不低于 500 万元的企业。",
			terms:   "按研发仪器设备实际投入的 30% 资助，最高 300 万元。",
			docs:    "资助申请书；研发机构建设方案；设备购置发票",
			benefit: "设备投入 30% 资助，最高 300 万元",
			maxWan:  300, tags: []string{"研发机构", "设备投入"},
			criteria: crits(critRevenueMin(2000)),
			win:      applyDays(-330, -90),
		},
		{
			title: "低空经济应用场景补贴", doc: "海湾工信〔{y}〕（草案）", issuer: issMIIT, level: lvDist,
			summary: "拟对在港区巡检、海岛物流、文旅航拍等场景开展无人机应用的企业给予场景补贴（草案，尚未发布）。",
			who:     "在海湾区开展无人机物流配送、巡检、文旅航拍等低空飞行服务的企业。",
			terms:   "按年度合规飞行架次和航线给予补贴，每条常态化运行航线补贴 20 万元，每家企业最高 100 万元。",
			docs:    "补贴申请表；空域使用批复；飞行记录",
			benefit: "每条常态化航线 20 万元，每家最高 100 万元",
			maxWan:  100, tags: []string{"低空经济", "无人机"},
			criteria: crits(critTaxNot("C", "D")),
			win:      applyDays(60, 240), status: policies.StatusDraft,
		},
	}
}

// employmentPolicies are the 稳岗就业 entries.
func employmentPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "失业保险稳岗返还", doc: "市人社规〔{y}〕1号", issuer: "市人力资源和社会保障局", level: lvCity, auto: true,
			note:     "返还资金直接拨付至企业缴纳社保的账户，企业可在惠企通“我的政策”中查看兑付进度。",
			summary:  "上年度未裁员或裁员率不高于规定比例的参保企业，中小微企业按上年度实际缴纳失业保险费的 60% 返还。",
			who:      "依法参加失业保险并足额缴费、上年度未裁员或裁员率不高于城镇调查失业率控制目标的企业，严重失信企业除外。",
			terms:    "中小微企业按上年度实际缴纳失业保险费的 60% 返还，大型企业按 30% 返还；资金用于职工生活补助、缴纳社保、转岗培训等。",
			benefit:  "中小微企业返还失业保险费 60%，大型企业 30%",
			tags:     []string{"稳岗返还", "失业保险"},
			criteria: crits(critTaxNot("D")),
			how:      "免申即享：市人力资源和社会保障局根据社保、税务数据比对确定名单，经公示后直接返还至企业缴纳社保的账户，无需申请。",
			win:      applyDays(-30, 120),
		},
		{
			title: "一次性扩岗补助", doc: "省人社函〔{y}〕45号", issuer: "省人力资源和社会保障厅", level: lvProv, auto: true,
			summary:  "企业招用毕业年度或离校 2 年内未就业高校毕业生、登记失业青年并参保满 3 个月的，每人一次性补助 1500 元。",
			who:      "招用毕业年度或离校 2 年内未就业高校毕业生、16–24 岁登记失业青年，签订劳动合同并连续参保 3 个月以上的企业。",
			terms:    "按每招用 1 人补助 1500 元的标准发放，不设企业上限；与吸纳就业补贴不重复享受。",
			benefit:  "每招用 1 人一次性补助 1500 元",
			tags:     []string{"扩岗补助", "高校毕业生"},
			criteria: crits(critEmployeesMin(1)),
			win:      applyDays(-150, 40),
		},
		{
			title: "吸纳就业困难人员社会保险补贴", doc: "市人社规〔{y-1}〕14号", issuer: "市人力资源和社会保障局", level: lvCity,
			summary:  "企业招用就业困难人员并为其缴纳社会保险的，按企业实际缴纳的基本养老、医疗和失业保险费给予补贴。",
			who:      "招用经认定的就业困难人员、签订 1 年以上劳动合同并按规定缴纳社会保险的企业。",
			terms:    "按企业为就业困难人员实际缴纳的基本养老保险、基本医疗保险和失业保险费给予补贴，补贴期限最长 3 年，距法定退休年龄不足 5 年的可延长至退休。",
			docs:     "补贴申请表；就业困难人员认定证明；劳动合同；社保缴费明细",
			benefit:  "单位缴纳的三项社保费全额补贴，最长 3 年",
			tags:     []string{"社会保险补贴", "就业困难人员"},
			criteria: crits(critTaxNot("D")),
			win:      applyAlways(-400),
		},
		{
			title: "高校毕业生就业见习补贴", doc: "市人社规〔{y-1}〕15号", issuer: "市人力资源和社会保障局", level: lvCity,
			summary:  "经认定的就业见习基地接收离校未就业高校毕业生参加 3 至 12 个月见习的，按月给予见习补贴。",
			who:      "经人力资源和社会保障部门认定为就业见习基地的企业，接收离校 2 年内未就业高校毕业生或 16–24 岁失业青年见习。",
			terms:    "按本市最低工资标准的 100% 给予见习补贴，见习期满留用率达到 50% 以上的，补贴标准提高到 120%；并补贴见习人员意外伤害保险费。",
			docs:     "见习补贴申请表；见习协议；见习人员名册；见习生活费发放凭证；保险缴费凭证",
			benefit:  "按最低工资标准 100%–120% 发放见习补贴",
			tags:     []string{"就业见习", "高校毕业生"},
			criteria: crits(critEmployeesMin(20), critTaxNot("C", "D")),
			win:      applyAlways(-300),
		},
		{
			title: "吸纳脱贫人口就业补贴", doc: "省人社规〔{y}〕6号", issuer: "省人力资源和社会保障厅", level: lvProv,
			summary: "企业吸纳脱贫人口、防止返贫监测对象就业并签订 1 年以上劳动合同的，每人给予一次性吸纳就业补贴 5000 元。",
			who:     "吸纳脱贫人口或防止返贫监测对象就业、签订 1 年以上劳动合同并缴纳社会保险的企业。",
			terms:   "每吸纳 1 人补贴 5000 元，按年度申报，每家企业最高 50 万元。",
			docs:    "补贴申请表；人员身份认定证明；劳动合同；社保缴费明细",
			benefit: "每人一次性补贴 5000 元",
			maxWan:  50, tags: []string{"脱贫人口", "吸纳就业"},
			win: applyDays(-60, 180),
		},
		{
			title: "以工代训职业培训补贴", doc: "省人社规〔{y-1}〕2号", issuer: "省人力资源和社会保障厅", level: lvProv,
			summary: "中小微企业吸纳就业并开展以工代训的，按每人每月 500 元给予职业培训补贴，本期已截止受理。",
			who:     "吸纳就业困难人员、高校毕业生等群体就业并以工代训的中小微企业。",
			terms:   "按每人每月 500 元给予补贴，补贴期限最长 6 个月。",
			docs:    "补贴申请表；以工代训人员名册；工资发放凭证",
			benefit: "每人每月 500 元，最长 6 个月",
			maxWan:  30, tags: []string{"以工代训", "职业培训"},
			criteria: crits(critSME()),
			win:      applyDays(-400, -100),
		},
		{
			title: "企业职工岗位技能提升培训补贴", doc: "海湾人社〔{y}〕9号", issuer: issHRSS, level: lvDist,
			summary: "企业组织在职职工参加岗位技能提升培训并取得职业资格或技能等级证书的，按证书等级给予培训补贴。",
			who:     "组织本企业在职职工参加岗位技能提升培训、纳税信用等级不为 D 级的区内企业。",
			terms:   "取得初级、中级、高级证书的分别补贴 1000 元、1500 元、2000 元；企业自主培训的按培训成本 60% 补贴，每家企业每年最高 50 万元。",
			docs:    "培训计划备案表；培训人员名册及证书；培训费用凭证",
			benefit: "每人 1000–2000 元，每家企业每年最高 50 万元",
			maxWan:  50, tags: []string{"技能提升", "职工培训"},
			criteria: crits(critTaxNot("D"), critEmployeesMin(10)),
			win:      applyDays(-90, 230),
		},
		{
			title: "港口装卸作业人员稳岗补贴", doc: "海湾交运〔{y}〕10号", issuer: issTrans, level: lvDist,
			summary: "港口装卸、仓储企业在淡季保持作业人员稳定、不裁员的，按在岗装卸人员每人每月 300 元给予稳岗补贴。",
			who:     "港口物流产业链中从事港口装卸、水上运输和仓储作业的企业，上年度未裁员或裁员率低于 3%。",
			terms:   "按淡季期间（每年 1–3 月）在岗装卸作业人员每人每月 300 元补贴，每家企业最高 30 万元。",
			docs:    "补贴申请表；作业人员花名册及社保缴费明细；上年度用工情况说明",
			benefit: "每人每月 300 元，每家企业最高 30 万元",
			maxWan:  30, tags: []string{"稳岗", "港口装卸"},
			industries: []string{"55", "59"},
			criteria:   crits(critChain("chain-port")),
			win:        applyDays(-25, 65),
		},
		{
			title: "珠宝加工技工稳岗补贴", doc: "海湾工信〔{y}〕24号", issuer: issMIIT, level: lvDist,
			summary: "金沙街道珠宝加工企业稳定雇用持证技工满一年的，按持证技工人数每人每年 2000 元给予补贴。",
			who:     "金沙街道黄金珠宝产业链中从事首饰加工制造的企业，雇用持有贵金属首饰制作工、宝石琢磨工等证书的技工。",
			terms:   "在本企业连续工作满 12 个月的持证技工，每人每年补贴 2000 元；取得高级工以上证书的每人 3000 元。每家企业最高 40 万元。",
			docs:    "补贴申请表；技工证书；劳动合同；12 个月社保缴费明细",
			benefit: "每名持证技工每年 2000–3000 元",
			maxWan:  40, tags: []string{"珠宝技工", "稳岗"},
			industries: []string{"24"}, regions: []string{"sd-jinsha"},
			criteria: crits(critChain("chain-jewelry")),
			win:      applyDays(-35, 145),
		},
		{
			title: "滨海旅游旺季用工补贴", doc: "海湾文旅〔{y}〕8号", issuer: issCulture, level: lvDist,
			summary: "滨海旅游企业在旅游旺季招用本区户籍劳动者和在校大学生短期就业的，按人按月给予用工补贴。",
			who:     "东湾街道滨海旅游产业链中的酒店、民宿、景区和餐饮企业，在 7–8 月和春节假期招用短期员工。",
			terms:   "招用本区户籍劳动者或在校大学生、连续工作 30 天以上的，每人每月补贴 800 元，每家企业最高 10 万元。",
			docs:    "补贴申请表；用工协议；工资发放记录；雇主责任险保单",
			benefit: "每人每月 800 元，每家企业最高 10 万元",
			maxWan:  10, tags: []string{"旺季用工", "滨海旅游"},
			regions:  []string{"sd-dongwan"},
			criteria: crits(critChain("chain-tourism")),
			win:      applyDays(-15, 200),
		},
		{
			title: "招用退役士兵税费扣减", doc: "财政部 税务总局 退役军人部公告{y-1}年第 14 号", issuer: "财政部 税务总局 退役军人事务部", level: lvNat,
			summary: "企业招用自主就业退役士兵并签订 1 年以上劳动合同的，在 3 年内按每人每年 6000 元依次扣减税费。",
			who:     "招用自主就业退役士兵、与其签订 1 年以上期限劳动合同并依法缴纳社会保险费的企业。",
			terms:   "自签订劳动合同并缴纳社保当月起，在 3 年内按实际招用人数予以定额依次扣减增值税、城市维护建设税、教育费附加、地方教育附加和企业所得税，定额标准为每人每年 6000 元，最高可上浮 50%。",
			docs:    "退役士兵证件；劳动合同；社保缴费记录",
			benefit: "每人每年扣减税费 6000 元，连续 3 年",
			tags:    []string{"退役士兵", "税费扣减"},
			how:     "在电子税务局申报时填报扣减信息，相关资料留存备查。",
			win:     applyAlways(-700),
		},
		{
			title: "残疾人就业岗位补贴", doc: "市残联规〔{y-1}〕1号", issuer: "市残疾人联合会", level: lvCity,
			summary: "企业安排残疾人就业并签订 1 年以上劳动合同的，按每人每月 500 元给予岗位补贴，并补贴无障碍改造费用。",
			who:     "安排持证残疾人就业、签订 1 年以上劳动合同并缴纳社会保险的企业。",
			terms:   "每安排 1 名残疾人每月补贴 500 元；为残疾职工进行无障碍环境改造的，按实际费用 50% 补贴，最高 10 万元。",
			docs:    "补贴申请表；残疾人证；劳动合同；社保缴费明细；改造费用凭证",
			benefit: "每人每月 500 元，无障碍改造最高 10 万元",
			maxWan:  10, tags: []string{"残疾人就业", "岗位补贴"},
			win: applyAlways(-300),
		},
		{
			title: "招用重点群体税收扣减", doc: "财政部 税务总局 人社部 农业农村部公告{y-1}年第 15 号", issuer: "财政部 税务总局", level: lvNat,
			summary: "企业招用脱贫人口、持《就业创业证》的失业人员等重点群体的，3 年内按每人每年 6000 元扣减税费。",
			who:     "招用脱贫人口、在人力资源社会保障部门登记失业半年以上的人员并签订 1 年以上劳动合同的企业。",
			terms:   "在 3 年内按实际招用人数予以定额依次扣减增值税、城市维护建设税、教育费附加、地方教育附加和企业所得税，定额标准为每人每年 6000 元，最高可上浮 30%。",
			docs:    "重点群体人员身份证明；劳动合同；社保缴费记录",
			benefit: "每人每年扣减税费 6000 元，连续 3 年",
			tags:    []string{"重点群体", "税费扣减"},
			how:     "在电子税务局申报时填报扣减信息，人社部门核验后享受，相关资料留存备查。",
			win:     applyAlways(-700),
		},
		{
			title: "劳动关系和谐企业奖励", doc: "海湾人社〔{y}〕27号", issuer: issHRSS, level: lvDist,
			summary: "被评为区级劳动关系和谐企业的，给予一次性奖励 10 万元；获评市级以上的，按级差补足至 20 万元。",
			who:     "从业人员 50 人以上、纳税信用等级为 A 级或 B 级、近三年未发生重大劳动争议和欠薪事件的企业。",
			terms:   "区级和谐企业奖励 10 万元，市级 15 万元，省级 20 万元，按级差补足。",
			docs:    "评选申报表；劳动合同签订和社保参保情况；职工代表大会或集体协商材料",
			benefit: "区级 10 万元，最高 20 万元",
			maxWan:  20, tags: []string{"和谐劳动关系", "评选奖励"},
			criteria: crits(critEmployeesMin(50), critTax("A", "B")),
			win:      applyDays(-10, 50),
		},
		{
			title: "就业见习基地认定及运营补贴", doc: "海湾人社〔{y}〕30号", issuer: issHRSS, level: lvDist,
			summary: "新认定为区级就业见习基地的企业给予一次性 2 万元运营补贴，每年提供见习岗位不少于 10 个。",
			who:     "从业人员 30 人以上、能提供技术或管理类见习岗位、纳税信用等级不为 C 级或 D 级的企业。",
			terms:   "认定后一次性给予运营补贴 2 万元；年度见习人员留用率达到 50% 以上的，再奖励 1 万元。",
			docs:    "见习基地申报表；见习岗位清单及带教人员名单；见习管理制度",
			benefit: "一次性运营补贴 2 万元，留用率高再奖 1 万元",
			maxWan:  3, tags: []string{"就业见习", "见习基地"},
			criteria: crits(critEmployeesMin(30), critTaxNot("C", "D")),
			win:      applyDays(-45, 135),
		},
		{
			title: "海湾零工驿站用工对接服务", doc: "HWLG-{y}-01", issuer: "海湾人力资源服务产业园", level: lvDist, product: true,
			summary: "零工驿站为企业免费发布短期、临时用工需求，24 小时内推荐合适人选，并提供灵活用工保险。",
			who:     "有短期、临时、季节性用工需求的区内企业。",
			terms:   "免费发布用工需求和组织现场对接；灵活用工人员意外伤害保险由驿站统一投保，每人每天保费 1.5 元。",
			docs:    "用工需求登记表",
			benefit: "免费用工对接，24 小时内推荐人选",
			tags:    []string{"零工市场", "灵活用工"},
			win:     applyAlways(-250),
		},
		{
			title: "重点企业专场招聘会免费展位", doc: "HWLG-{y}-02", issuer: "海湾人力资源服务产业园", level: lvDist, product: true,
			summary:  "每月举办重点产业链企业专场招聘会，规模以上企业和重点产业链企业免费参会，并可使用线上直播带岗。",
			who:      "属于规模以上企业或重点产业链的区内企业。",
			terms:    "每家企业每年可免费参加 6 场线下专场招聘会，线上直播带岗不限次数。",
			docs:     "参会报名表；招聘岗位信息",
			benefit:  "专场招聘会免费展位和直播带岗",
			tags:     []string{"招聘会", "直播带岗"},
			criteria: crits(critQual("规上企业")),
			win:      applyAlways(-250),
		},
		{
			title: "新就业形态劳动者职业伤害保障补贴", doc: "海湾人社〔{y}〕（征求意见稿）", issuer: issHRSS, level: lvDist,
			summary: "拟对为外卖、快递、网约货车等新就业形态劳动者购买职业伤害保障的平台企业给予保费补贴（征求意见中）。",
			who:     "在区内开展业务、为新就业形态劳动者参加职业伤害保障的平台企业和配送企业。",
			terms:   "按实际缴纳保费的 30% 给予补贴，每家企业每年最高 50 万元。",
			docs:    "补贴申请表；保单及缴费凭证；劳动者名单",
			benefit: "保费 30% 补贴，最高 50 万元",
			maxWan:  50, tags: []string{"新就业形态", "职业伤害保障"},
			industries: []string{"54", "60", "64"},
			win:        applyDays(40, 200), status: policies.StatusDraft,
		},
		{
			title: "{y-1}年春节稳产留工补贴", doc: "海湾人社〔{y-1}〕3号", issuer: issHRSS, level: lvDist,
			summary: "{y-1}年春节期间连续生产、组织外地员工留岗过节的企业，按留岗人数每人 500 元给予补贴，已截止。",
			who:     "{y-1}年春节期间保持连续生产经营、组织外地员工留岗的工业和物流企业。",
			terms:   "按春节期间留岗的外地员工每人 500 元补贴，每家企业最高 20 万元。",
			docs:    "补贴申请表；留岗员工名单；考勤和工资发放记录",
			benefit: "每名留岗员工 500 元，最高 20 万元",
			maxWan:  20, tags: []string{"稳产留工", "春节"},
			industries: []string{"C", "G"},
			win:        applyDays(-320, -230),
		},
		{
			title: "青年就业见习岗位募集奖励", doc: "海湾人社〔{y}〕33号", issuer: issHRSS, level: lvDist,
			summary: "企业新开发青年见习岗位并实际接收见习人员的，每接收 1 人给予企业 1000 元岗位募集奖励。",
			who:     "在惠企通发布见习岗位并实际接收 16–24 岁青年见习满 1 个月的区内企业。",
			terms:   "每接收 1 名见习人员奖励 1000 元，每家企业每年最高 5 万元，可与见习补贴叠加享受。",
			docs:    "奖励申请表；见习协议；见习人员名单",
			benefit: "每接收 1 人奖励 1000 元，最高 5 万元",
			maxWan:  5, tags: []string{"青年见习", "岗位募集"},
			criteria: crits(critTaxNot("D"), critEmployeesBetween(5, 1000)),
			win:      applyDays(-20, 160),
		},
	}
}

// industryPolicies are the 产业扶持 entries.
func industryPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "专精特新“小巨人”企业奖励", doc: "海湾工信规〔{y}〕1号", issuer: issMIIT, level: lvDist, auto: true,
			summary: "新认定为国家级专精特新“小巨人”的企业，区财政一次性奖励 100 万元，名单公布后直接兑付。",
			who:     "注册地和纳税地在海湾区、当年新认定或通过复核的国家级专精特新“小巨人”企业。",
			terms:   "新认定的一次性奖励 100 万元，通过复核的奖励 30 万元；获评国家重点“小巨人”的另奖励 50 万元。",
			benefit: "新认定奖励 100 万元，复核通过 30 万元",
			maxWan:  150, tags: []string{"专精特新", "小巨人"},
			criteria: crits(critQual("专精特新“小巨人”")),
			win:      applyDays(-40, 140),
		},
		{
			title: "专精特新中小企业奖励", doc: "海湾工信规〔{y}〕2号", issuer: issMIIT, level: lvDist,
			summary: "新认定为省级专精特新中小企业的，一次性奖励 20 万元；首次认定为创新型中小企业的奖励 5 万元。",
			who:     "当年新认定为省级专精特新中小企业、从业人员不超过 1000 人的区内企业。",
			terms:   "省级专精特新中小企业奖励 20 万元；同一企业晋级为国家级“小巨人”的，按“小巨人”奖励标准补足差额。",
			docs:    "奖励申请表；认定文件；上年度财务报表",
			benefit: "省级专精特新奖励 20 万元",
			maxWan:  20, tags: []string{"专精特新", "中小企业"},
			criteria: crits(critQual("专精特新中小企业"), critEmployeesMax(1000)),
			win:      applyDays(-40, 140),
		},
		{
			title: "黄金珠宝产业设计大赛奖励", doc: "海湾工信〔{y}〕28号", issuer: issMIIT, level: lvDist,
			summary: "珠宝企业或设计师在国内外权威珠宝设计大赛获奖并在区内转化生产的，按奖项级别给予最高 10 万元奖励。",
			who:     "黄金珠宝产业链中在区内设计生产的企业，其设计作品在区认定目录内的国际、国家级珠宝设计大赛获奖。",
			terms:   "国际大赛金奖 10 万元、银奖 6 万元、铜奖 3 万元；国家级大赛金奖 5 万元、银奖 3 万元、铜奖 2 万元。同一作品按最高奖项奖励一次。",
			docs:    "奖励申请表；获奖证书；作品在区内生产的证明；企业与设计师的劳动或合作合同",
			benefit: "按奖项奖励 2 万–10 万元",
			maxWan:  10, tags: []string{"珠宝设计", "设计大赛", "黄金珠宝"},
			industries: []string{"24", "51", "52"},
			criteria:   crits(critChain("chain-jewelry")),
			win:        applyDays(-30, 180),
		},
		{
			title: "滨海旅游民宿提升补贴", doc: "海湾文旅规〔{y}〕1号", issuer: issCulture, level: lvDist,
			summary: "东湾街道民宿按品质标准提升改造并通过等级评定的，按改造投入 30% 给予补贴，每家最高 30 万元。",
			who:     "在东湾街道依法登记经营、从事住宿业的民宿和精品酒店企业，改造后通过区级以上等级民宿评定。",
			terms:   "按客房、公共空间、消防和污水处理设施改造投入的 30% 补贴，每家最高 30 万元；评为甲级民宿的再奖励 10 万元。",
			docs:    "补贴申请表；改造方案及前后对比照片；工程合同和发票；等级评定证书",
			benefit: "改造投入 30% 补贴，最高 30 万元，甲级民宿再奖 10 万元",
			maxWan:  40, tags: []string{"民宿", "滨海旅游"},
			industries: []string{"61"}, regions: []string{"sd-dongwan"},
			criteria: crits(critChain("chain-tourism"), critSmallMicro()),
			win:      applyDays(-25, 155),
		},
		{
			title: "港口物流多式联运补贴", doc: "海湾交运规〔{y}〕3号", issuer: issTrans, level: lvDist,
			summary: "经本区港口开展海铁联运、江海联运的物流企业，按标准箱给予补贴，推动港口集疏运结构优化。",
			who:     "港口物流产业链中组织集装箱经本区港口开展海铁、江海联运业务的运输、货代和多式联运企业。",
			terms:   "海铁联运每标准箱补贴 200 元，江海联运每标准箱补贴 80 元；新开通常态化班列的再奖励 50 万元。每家企业每年最高 300 万元。",
			docs:    "补贴申请表；联运业务台账；铁路运单或水运单据；港口作业证明",
			benefit: "海铁联运每标箱 200 元，每年最高 300 万元",
			maxWan:  300, tags: []string{"多式联运", "海铁联运", "港口物流"},
			industries: []string{"G"},
			criteria:   crits(critChain("chain-port")),
			win:        applyDays(-100, 260),
		},
		{
			title: "冷链物流设施建设补助", doc: "市交运规〔{y}〕4号", issuer: "市交通运输局", level: lvCity,
			summary: "新建或改造冷库、冷链配送中心的物流企业，按设备投资额的 20% 给予补助，单个项目最高 500 万元。",
			who:     "在本市新建、改扩建冷库和冷链配送中心，库容不低于 5000 立方米的仓储和运输企业。",
			terms:   "按制冷设备、温控系统和信息化设备投资额的 20% 补助，单个项目最高 500 万元；使用环保冷媒的补助比例提高到 25%。",
			docs:    "项目申报书；项目备案证明；设备采购合同及发票；竣工验收报告",
			benefit: "设备投资 20%–25% 补助，最高 500 万元",
			maxWan:  500, tags: []string{"冷链物流", "冷库"},
			industries: []string{"54", "59"},
			criteria:   crits(critAssetsMin(1000)),
			win:        applyDays(-70, 110),
		},
		{
			title: "规上工业企业增产增效奖励", doc: "海湾工信〔{y}〕13号", issuer: issMIIT, level: lvDist,
			summary: "规模以上工业企业上年度产值增速超过全区平均水平的，按新增产值给予奖励，每家最高 200 万元。",
			who:     "属于规模以上企业、上年度工业总产值增速高于全区平均水平且不低于 10% 的工业企业。",
			terms:   "按新增产值的 0.5% 给予奖励，每家企业最高 200 万元；首次产值突破 10 亿元的另奖励 100 万元。",
			docs:    "奖励申请表；统计部门出具的产值数据；上年度纳税证明",
			benefit: "新增产值 0.5% 奖励，最高 200 万元",
			maxWan:  300, tags: []string{"规上企业", "增产增效"},
			industries: []string{"C"},
			criteria:   crits(critQual("规上企业")),
			win:        applyDays(-50, 40),
		},
		{
			title: "批发零售企业做大做强奖励", doc: "海湾发改〔{y}〕22号", issuer: issDRC, level: lvDist,
			summary: "批发零售企业年销售额首次突破 2000 万元、1 亿元、10 亿元的，分档给予一次性奖励。",
			who:     "在海湾区注册并统计在库、上年度营业收入不低于 2000 万元的批发和零售企业。",
			terms:   "年销售额首次突破 2000 万元奖励 10 万元，突破 1 亿元奖励 30 万元，突破 10 亿元奖励 100 万元，按级差补足。",
			docs:    "奖励申请表；统计部门出具的销售额数据；纳税证明",
			benefit: "分档奖励 10 万–100 万元",
			maxWan:  100, tags: []string{"商贸", "批发零售"},
			industries: []string{"F"},
			criteria:   crits(critRevenueMin(2000)),
			win:        applyDays(-60, 30),
		},
		{
			title: "文旅企业品牌创建奖励", doc: "海湾文旅〔{y}〕11号", issuer: issCulture, level: lvDist,
			summary: "新评为国家 A 级旅游景区、星级饭店、金宿银宿等品牌的文旅企业，按级别给予 10 万元至 100 万元奖励。",
			who:     "滨海旅游产业链中的景区、酒店、民宿和文旅演艺企业，当年新获评文旅品牌称号。",
			terms:   "5A 级景区 100 万元，4A 级 50 万元；五星级饭店 50 万元，四星级 20 万元；金宿 20 万元、银宿 10 万元。",
			docs:    "奖励申请表；评定文件或证书；品牌创建投入说明",
			benefit: "按品牌等级奖励 10 万–100 万元",
			maxWan:  100, tags: []string{"文旅品牌", "A级景区"},
			industries: []string{"61", "88", "90"},
			criteria:   crits(critChain("chain-tourism")),
			win:        applyDays(-35, 185),
		},
		{
			title: "生物医药产业化项目扶持", doc: "市发改规〔{y}〕8号", issuer: "市发展和改革委员会", level: lvCity,
			summary: "生物医药和医疗器械产业化项目固定资产投资超过 5000 万元的，按设备投资额的 15% 给予最高 2000 万元扶持。",
			who:     "生命健康产业链中在本市实施产业化项目、固定资产投资不低于 5000 万元的医药和医疗器械制造企业。",
			terms:   "按项目设备投资额的 15% 给予扶持，最高 2000 万元；纳入市重大项目的，比例提高到 20%。",
			docs:    "项目申报书；项目备案证明；设备购置合同及发票；项目竣工证明",
			benefit: "设备投资 15%–20% 扶持，最高 2000 万元",
			maxWan:  2000, tags: []string{"生物医药", "产业化"},
			industries: []string{"27", "35"},
			criteria:   crits(critChain("chain-health"), critAssetsMin(5000)),
			win:        applyDays(-20, 70),
		},
		{
			title: "创新医疗器械首购首用奖励", doc: "海湾科创〔{y}〕18号", issuer: issSci, level: lvDist,
			summary: "区内医疗机构首次采购本区企业创新医疗器械的，给予生产企业按销售额 10% 的市场推广奖励。",
			who:     "生命健康产业链中生产创新医疗器械、产品首次被区内公立或民营医疗机构采购使用的企业。",
			terms:   "按首年销售额的 10% 给予奖励，每个产品最高 100 万元，每家企业每年最高 200 万元。",
			docs:    "奖励申请表；医疗器械注册证；采购合同和发票；医疗机构使用证明",
			benefit: "首年销售额 10% 奖励，每年最高 200 万元",
			maxWan:  200, tags: []string{"首购首用", "医疗器械"},
			industries: []string{"35"},
			criteria:   crits(critChain("chain-health"), critAnyQual("高新技术企业", "专精特新中小企业", "科技型中小企业")),
			win:        applyDays(-15, 165),
		},
		{
			title: "总部企业认定奖励", doc: "海湾发改规〔{y-1}〕2号", issuer: issDRC, level: lvDist,
			summary: "经认定的总部企业按其区级经济贡献给予落户奖励和经营贡献奖励，新落户的总部企业最高奖励 2000 万元。",
			who:     "属于规模以上企业、上年度营业收入不低于 2 亿元、在海湾区设立总部或地区总部的企业。",
			terms:   "新落户总部企业按实缴注册资本的 2% 给予落户奖励，最高 2000 万元；经营贡献奖励按区级经济贡献增量的 50% 连续支持 3 年。",
			docs:    "总部企业认定申请表；近两年审计报告；组织架构和分支机构说明；纳税证明",
			benefit: "落户奖励最高 2000 万元，经营贡献奖励连续 3 年",
			maxWan:  2000, tags: []string{"总部经济", "招商引资"},
			criteria: crits(critQual("规上企业"), critRevenueMin(20000)),
			win:      applyAlways(-300),
		},
		{
			title: "工业企业技术改造投资奖补", doc: "省工信规〔{y}〕3号", issuer: "省工业和信息化厅", level: lvProv,
			summary: "规模以上工业企业技术改造项目设备投资额超过 500 万元的，按设备投资额的 10% 给予奖补，最高 1000 万元。",
			who:     "属于规模以上企业、实施技术改造项目且设备、软件投资额不低于 500 万元的工业企业。",
			terms:   "按项目设备和工业软件投资额的 10% 给予奖补，最高 1000 万元；智能化改造项目奖补比例提高到 15%。",
			docs:    "项目申报书；技改备案证明；设备和软件购置发票；项目验收报告",
			benefit: "设备投资 10%–15% 奖补，最高 1000 万元",
			maxWan:  1000, tags: []string{"技术改造", "智能制造"},
			industries: []string{"C"},
			criteria:   crits(critQual("规上企业"), critTaxNot("C", "D")),
			win:        applyDays(-45, 75),
		},
		{
			title: "航运企业运力引进奖励", doc: "海湾交运〔{y}〕15号", issuer: issTrans, level: lvDist,
			summary: "航运企业新增船舶在本区港口登记并开展经营的，按船舶载重吨给予一次性奖励，每家企业最高 500 万元。",
			who:     "港口物流产业链中的水上运输企业，新购置或新引进船舶在本区船籍港登记。",
			terms:   "按新增船舶载重吨每吨 30 元给予奖励，LNG 或电动等清洁能源船舶每吨 50 元；每家企业每年最高 500 万元。",
			docs:    "奖励申请表；船舶国籍证书和所有权登记证书；船舶购置或光租合同",
			benefit: "每载重吨 30–50 元，每年最高 500 万元",
			maxWan:  500, tags: []string{"航运", "船舶运力"},
			industries: []string{"55"},
			criteria:   crits(critChain("chain-port")),
			win:        applyDays(-80, 280),
		},
		{
			title: "跨境电商企业发展扶持", doc: "市商务规〔{y}〕9号", issuer: "市商务局", level: lvCity,
			summary: "跨境电商企业年出口额首次突破 1000 万美元的奖励 50 万元，建设海外仓的按投入 30% 补贴。",
			who:     "在本市注册、通过跨境电商方式出口的企业，包括跨境电商平台、卖家、物流和支付服务企业。",
			terms:   "年出口额首次突破 1000 万美元奖励 50 万元，突破 5000 万美元奖励 150 万元；自建或租用海外仓的按投入 30% 补贴，最高 200 万元。",
			docs:    "扶持申请表；海关出口数据；海外仓租赁或建设合同",
			benefit: "出口额突破奖励最高 150 万元，海外仓补贴最高 200 万元",
			maxWan:  350, tags: []string{"跨境电商", "海外仓"},
			industries: []string{"51", "52", "58", "64"},
			criteria:   crits(critTaxNot("C", "D")),
			win:        applyDays(-55, 125),
		},
		{
			title: "绿色工厂认定奖励", doc: "海湾工信〔{y}〕16号", issuer: issMIIT, level: lvDist,
			summary: "新认定为国家级、省级、市级绿色工厂的工业企业，分别给予 100 万元、50 万元、20 万元奖励。",
			who:     "当年新认定为绿色工厂的区内工业企业。",
			terms:   "国家级 100 万元，省级 50 万元，市级 20 万元，按级差补足；同时认定为绿色供应链管理企业的另奖励 20 万元。",
			docs:    "奖励申请表；绿色工厂认定文件；第三方评价报告",
			benefit: "按级别奖励 20 万–100 万元",
			maxWan:  120, tags: []string{"绿色工厂", "绿色制造"},
			industries: []string{"C"},
			criteria:   crits(critRevenueMin(2000)),
			win:        applyDays(-65, 115),
		},
		{
			title: "区长质量奖奖励", doc: "海湾市监规〔{y}〕1号", issuer: issSAMR, level: lvDist,
			summary: "获得区长质量奖的企业奖励 100 万元，获得提名奖的奖励 30 万元，引导企业实施卓越绩效管理。",
			who:     "在海湾区注册满 3 年、上年度营业收入不低于 5000 万元、近三年无重大质量和安全事故的企业。",
			terms:   "区长质量奖每届评选不超过 3 家，每家奖励 100 万元；提名奖不超过 5 家，每家奖励 30 万元。",
			docs:    "申报表；卓越绩效自评报告；质量管理体系认证证书；近三年审计报告",
			benefit: "区长质量奖 100 万元，提名奖 30 万元",
			maxWan:  100, tags: []string{"质量奖", "卓越绩效"},
			criteria: crits(critRevenueMin(5000), critFoundedAtLeast(now, 3)),
			win:      applyDays(-10, 45),
		},
		{
			title: "珠宝首饰品牌国际化推广补贴", doc: "海湾工信〔{y}〕29号", issuer: issMIIT, level: lvDist,
			summary: "珠宝企业参加国际珠宝展、在境外注册商标和开设品牌店的，按实际费用 50% 给予补贴。",
			who:     "黄金珠宝产业链中拥有自主品牌、纳税信用等级为 A 级或 B 级的珠宝企业。",
			terms:   "参加国际珠宝展展位费补贴 50%；境外商标注册费补贴 50%；境外开设品牌店的按装修费 30% 补贴。每家企业每年最高 80 万元。",
			docs:    "补贴申请表；参展合同或商标注册证明；境外门店租赁合同及装修发票",
			benefit: "国际推广费用 30%–50% 补贴，每年最高 80 万元",
			maxWan:  80, tags: []string{"珠宝品牌", "国际化"},
			criteria: crits(critChain("chain-jewelry"), critTax("A", "B")),
			win:      applyDays(-30, 150),
		},
		{
			title: "{y-1}年夜间经济示范街区扶持", doc: "海湾文旅〔{y-1}〕9号", issuer: issCulture, level: lvDist,
			summary: "{y-1}年度参与滨海夜间经济示范街区建设的餐饮、文旅企业，按夜间经营投入给予补贴，申报已截止。",
			who:     "东湾街道滨海夜间经济示范街区内的餐饮、娱乐和文旅企业。",
			terms:   "按夜间亮化、外摆设施和夜间演艺投入的 30% 补贴，每家企业最高 15 万元。",
			docs:    "补贴申请表；投入凭证；夜间经营照片",
			benefit: "夜间经营投入 30% 补贴，最高 15 万元",
			maxWan:  15, tags: []string{"夜间经济", "滨海旅游"},
			industries: []string{"62", "88", "90"}, regions: []string{"sd-dongwan"},
			win: applyDays(-280, -150),
		},
		{
			title: "{y-1}年外贸企业开拓国际市场资助", doc: "市商务〔{y-1}〕31号", issuer: "市商务局", level: lvCity,
			summary: "{y-1}年度中小外贸企业参加境外展会、开展国际认证的，按费用 50% 资助，{y-1}年度申报已截止。",
			who:     "{y-1}年度进出口额在 6500 万美元以下的本市中小外贸企业。",
			terms:   "境外展会展位费、国际管理体系和产品认证费按 50% 资助，每家企业最高 50 万元。",
			docs:    "资助申请表；展会合同或认证证书；费用发票",
			benefit: "国际市场开拓费用 50% 资助，最高 50 万元",
			maxWan:  50, tags: []string{"外贸", "境外展会"},
			criteria: crits(critSME()),
			win:      applyDays(-250, -35),
		},
	}
}

// premisesPolicies are the 用地厂房 entries.
func premisesPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "先进制造业厂房租金补贴", doc: "海湾工信规〔{y}〕3号", issuer: issMIIT, level: lvDist,
			note:    "享受补贴期间将厂房转租、分租或改变用途的，须退回已领取的补贴；同一面积不得同时享受创新型产业用房配租。",
			summary: "先进制造业和战略性新兴产业企业租用区内厂房、研发用房的，按实际租金 30% 补贴，连续 3 年，每年最高 100 万元。",
			who:     "租用区内厂房或研发用房自用、已认定为高新技术企业、专精特新中小企业或属于规模以上企业的制造、软件和科研企业。",
			terms:   "按实际租金的 30% 给予补贴，补贴面积最高 5000 平方米，单价不超过同区域指导租金，连续补贴 3 年，每家企业每年最高 100 万元。",
			docs:    "补贴申请表；租赁合同及备案证明；租金支付凭证和发票；房屋用途证明",
			benefit: "租金 30% 补贴，连续 3 年，每年最高 100 万元",
			maxWan:  100, tags: []string{"厂房租金", "降成本"},
			industries: []string{"C", "I", "M"},
			criteria:   crits(critAnyQual("高新技术企业", "专精特新中小企业", "规上企业"), critTaxNot("C", "D")),
			win:        applyDays(-45, 135),
		},
		{
			title: "创新型产业用房配租", doc: "海湾住建规〔{y}〕5号", issuer: issHousing, level: lvDist,
			summary:  "区政府统筹的创新型产业用房按市场租金 50% 配租给高新技术企业和专精特新企业，租期 3 至 5 年。",
			who:      "已认定为高新技术企业、专精特新中小企业或专精特新“小巨人”，上年度营业收入不低于 1000 万元的企业。",
			terms:    "按同地段市场租金的 50% 配租，首期租期 3 年，期满考核合格可续租 2 年；单家企业配租面积一般不超过 3000 平方米。",
			docs:     "配租申请表；资质证明；上年度审计报告；用房需求说明",
			benefit:  "产业用房按市场租金 50% 配租",
			tags:     []string{"创新型产业用房", "配租"},
			criteria: crits(critAnyQual("高新技术企业", "专精特新中小企业", "专精特新“小巨人”"), critRevenueMin(1000)),
			win:      applyDays(-12, 48),
		},
		{
			title: "黄金珠宝产业园入园租金减免", doc: "海湾工信〔{y}〕31号", issuer: issMIIT, level: lvDist,
			summary:  "入驻黄金珠宝产业园的珠宝设计、加工和检测企业，前两年租金减半，第三年减免 30%。",
			who:      "入驻金沙街道黄金珠宝产业园、从事珠宝设计、加工、检测或交易服务的企业。",
			terms:    "入园第一、二年租金减免 50%，第三年减免 30%；引进国际知名品牌设计中心的，可免租 2 年。",
			docs:     "减免申请表；入园协议；营业执照",
			benefit:  "前两年租金减半，第三年减免 30%",
			tags:     []string{"产业园", "租金减免", "黄金珠宝"},
			regions:  []string{"p-jewelry"},
			criteria: crits(critChain("chain-jewelry")),
			win:      applyAlways(-365),
		},
		{
			title: "生命健康产业园 GMP 厂房租金补贴", doc: "海湾科创〔{y}〕20号", issuer: issSci, level: lvDist,
			summary: "在生命健康产业园租用 GMP 标准厂房的医药和医疗器械企业，按租金 40% 补贴，连续 3 年。",
			who:     "生命健康产业链中在梅林街道生命健康产业园租用 GMP 厂房从事生产的医药和医疗器械企业。",
			terms:   "按实际租金的 40% 补贴，连续 3 年，每家企业每年最高 150 万元；取得药品生产许可证后再奖励 50 万元。",
			docs:    "补贴申请表；租赁合同；租金支付凭证；生产许可证明",
			benefit: "GMP 厂房租金 40% 补贴，每年最高 150 万元",
			maxWan:  200, tags: []string{"GMP 厂房", "生物医药"},
			industries: []string{"27", "35"}, regions: []string{"sd-meilin"},
			criteria: crits(critChain("chain-health")),
			win:      applyDays(-60, 120),
		},
		{
			title: "海港物流园仓储用地保障", doc: "海湾规资〔{y}〕4号", issuer: issPlan, level: lvDist,
			summary:    "海港物流园内的仓储和多式联运项目优先安排用地指标，可采用先租后让、弹性年期等方式供地。",
			who:        "在海港街道实施仓储、冷链或多式联运项目、固定资产投资不低于 3000 万元的物流企业。",
			terms:      "优先纳入年度供地计划，可采用先租后让、弹性年期（最长 30 年）供应；容积率可提高至 2.0。",
			docs:       "用地申请书；项目可行性研究报告；投资协议；企业近两年审计报告",
			benefit:    "优先供地，可先租后让、弹性年期",
			tags:       []string{"物流用地", "仓储"},
			industries: []string{"58", "59"}, regions: []string{"sd-haigang"},
			criteria: crits(critAssetsMin(3000)),
			win:      applyAlways(-200),
		},
		{
			title: "工业用地弹性年期出让", doc: "市规资规〔{y-1}〕6号", issuer: "市规划和自然资源局", level: lvCity,
			summary:    "工业项目用地可按 20 年弹性年期出让，到期经评估可续期，降低企业一次性用地成本。",
			who:        "在本市实施工业项目、上年度营业收入不低于 5000 万元的制造业企业。",
			terms:      "工业用地出让年期一般为 20 年，出让价格按年期修正；到期后经履约评估达标的可续期。",
			docs:       "用地申请书；项目备案证明；产业准入评估意见；履约承诺书",
			benefit:    "20 年弹性年期出让，降低一次性用地成本",
			tags:       []string{"工业用地", "弹性年期"},
			industries: []string{"C"},
			criteria:   crits(critRevenueMin(5000)),
			win:        applyAlways(-420),
		},
		{
			title: "高标准厂房“工业上楼”配租", doc: "海湾工信〔{y}〕33号", issuer: issMIIT, level: lvDist,
			summary:    "区属国企建设的高标准“工业上楼”厂房面向优质制造企业配租，首年租金按 5 折收取。",
			who:        "属于规模以上企业或专精特新中小企业、从事智能制造、电子信息、医疗器械等行业的制造企业。",
			terms:      "首年租金 5 折，第二年 7 折，第三年 9 折；配租面积 1000–10000 平方米，可根据需要定制荷载和层高。",
			docs:       "配租申请表；企业简介和用房方案；近两年审计报告",
			benefit:    "首年租金 5 折，三年逐步恢复",
			tags:       []string{"工业上楼", "高标准厂房"},
			industries: []string{"C"},
			criteria:   crits(critAnyQual("规上企业", "专精特新中小企业")),
			win:        applyDays(-30, 90),
		},
		{
			title: "产业用地“带方案出让”", doc: "省自然资规〔{y-1}〕4号", issuer: "省自然资源厅", level: lvProv,
			summary:    "产业用地出让时同步明确建设方案，拿地即可开工，审批时间压缩一半以上。",
			who:        "在省内实施产业项目、已完成项目备案的企业。",
			terms:      "出让前由政府完成规划设计条件和建设方案审查，土地出让合同签订后即可办理施工许可，审批时限压缩至 30 个工作日以内。",
			docs:       "项目备案证明；建设方案；用地申请",
			benefit:    "拿地即开工，审批时间压缩一半以上",
			tags:       []string{"带方案出让", "产业用地"},
			industries: []string{"C", "G", "M"},
			win:        applyAlways(-500),
		},
		{
			title: "厂房加层扩建不增收地价", doc: "海湾规资〔{y}〕7号", issuer: issPlan, level: lvDist,
			summary:    "规模以上工业企业在自有工业用地上加层、扩建厂房提高容积率的，不再增收土地价款。",
			who:        "在自有工业用地上实施加层、扩建、改建项目的规模以上工业企业。",
			terms:      "在符合规划、不改变用途的前提下提高容积率的，不再增收土地价款；审批实行告知承诺制。",
			docs:       "加层扩建申请书；不动产权证书；建设方案；安全评估报告",
			benefit:    "提高容积率不增收地价",
			tags:       []string{"提容增效", "工业用地"},
			industries: []string{"C"},
			criteria:   crits(critQual("规上企业")),
			win:        applyAlways(-250),
		},
		{
			title: "孵化载体入驻企业租金减免", doc: "海湾科创〔{y}〕6号", issuer: issSci, level: lvDist,
			summary:  "入驻区认定孵化器、众创空间的初创小微企业，前两年免收租金，第三年租金减半。",
			who:      "成立不满 3 年、企业规模为小型或微型，入驻区认定孵化器或众创空间的科技型企业。",
			terms:    "入驻第一、二年免租，第三年租金减半；单家企业免租面积不超过 300 平方米。",
			docs:     "入驻申请表；营业执照；项目简介",
			benefit:  "两年免租，第三年减半",
			tags:     []string{"孵化器", "初创企业"},
			criteria: crits(critFoundedWithin(3), critSmallMicro()),
			win:      applyAlways(-300),
		},
		{
			title: "仓储设施改造提升补贴", doc: "海湾交运〔{y}〕17号", issuer: issTrans, level: lvDist,
			summary: "仓储企业对自有或租赁仓库实施自动化、消防和节能改造的，按改造投入 20% 补贴，最高 100 万元。",
			who:     "港口物流产业链中从事装卸搬运和仓储业的企业。",
			terms:   "按自动化立体库、智能分拣、消防和节能改造投入的 20% 补贴，每家企业最高 100 万元。",
			docs:    "补贴申请表；改造方案；工程和设备合同、发票；验收报告",
			benefit: "仓库改造投入 20% 补贴，最高 100 万元",
			maxWan:  100, tags: []string{"仓储", "改造提升"},
			industries: []string{"59"},
			criteria:   crits(critChain("chain-port")),
			win:        applyDays(-40, 80),
		},
		{
			title: "旧工业区改造产业空间奖励", doc: "市规资规〔{y}〕2号", issuer: "市规划和自然资源局", level: lvCity,
			summary: "权利人将旧工业区改造为高标准产业空间并用于先进制造业的，按新增产业空间面积给予奖励。",
			who:     "拥有旧工业区土地使用权并实施整体改造、改造后用于先进制造业的企业。",
			terms:   "按新增产业空间每平方米 200 元奖励，单个项目最高 2000 万元；改造后须以不高于指导租金出租给制造企业。",
			docs:    "奖励申请书；改造项目批复；竣工验收证明；出租情况说明",
			benefit: "每平方米 200 元，单个项目最高 2000 万元",
			maxWan:  2000, tags: []string{"旧工业区改造", "产业空间"},
			criteria: crits(critAssetsMin(5000)),
			win:      applyDays(-90, 270),
		},
		{
			title: "滨海旅游项目临时用地支持", doc: "海湾规资〔{y}〕9号", issuer: issPlan, level: lvDist,
			summary:  "滨海旅游企业开展露营、海上运动、节庆活动等项目的，可按程序申请临时用地，期限最长 2 年。",
			who:      "东湾街道滨海旅游产业链中开展露营地、海上运动基地、节庆演艺等项目的企业。",
			terms:    "临时用地期限一般不超过 2 年，不得建设永久性建筑；使用期满须恢复原状。",
			docs:     "临时用地申请书；项目方案；土地复垦方案",
			benefit:  "可申请最长 2 年的临时用地",
			tags:     []string{"临时用地", "滨海旅游"},
			regions:  []string{"sd-dongwan"},
			criteria: crits(critChain("chain-tourism")),
			win:      applyAlways(-180),
		},
		{
			title: "企业屋顶光伏建设补贴", doc: "海湾发改〔{y}〕25号", issuer: issDRC, level: lvDist,
			summary: "企业利用自有厂房、仓库屋顶建设分布式光伏并网发电的，按装机容量每瓦 0.2 元给予一次性补贴。",
			who:     "利用自有或租赁厂房、仓库屋顶建设分布式光伏项目并已并网的区内企业。",
			terms:   "按并网装机容量每瓦 0.2 元一次性补贴，单个项目最高 100 万元；同时配套储能的每千瓦时再补贴 100 元。",
			docs:    "补贴申请表；项目备案证明；并网验收意见；屋顶使用权证明",
			benefit: "每瓦 0.2 元，单个项目最高 100 万元",
			maxWan:  100, tags: []string{"分布式光伏", "绿色低碳"},
			industries: []string{"C", "G"},
			criteria:   crits(critTaxNot("D")),
			win:        applyDays(-70, 230),
		},
		{
			title: "产业空间“一键找房”对接服务", doc: "HWCYKJ-{y}", issuer: "海湾区产业空间服务中心", level: lvDist, product: true,
			summary: "汇集全区可租售的厂房、研发用房和仓库房源，按企业需求 3 个工作日内推送匹配房源并陪同看房。",
			who:     "有厂房、办公、仓储用房需求的区内企业和拟落户企业。",
			terms:   "免费提供房源匹配、陪同看房和租金议价服务；重点产业链企业可优先获得国有物业房源。",
			docs:    "用房需求登记表",
			benefit: "免费房源匹配和陪同看房",
			tags:    []string{"找房", "产业空间"},
			win:     applyAlways(-300),
		},
		{
			title: "{y-1}年国有物业租金减免", doc: "海湾住建〔{y-1}〕8号", issuer: issHousing, level: lvDist,
			summary:  "{y-1}年承租区属国有物业的小微企业减免 3 个月租金，申报已于{y-1}年底截止。",
			who:      "承租区属国有企业物业从事生产经营的小型和微型企业。",
			terms:    "减免 3 个月租金；转租的须将减免直接惠及实际经营的承租人。",
			docs:     "减免申请表；租赁合同",
			benefit:  "减免 3 个月租金",
			tags:     []string{"国有物业", "租金减免"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(-330, -45),
		},
		{
			title: "厂房租金补贴（{y-2}年版）", doc: "海湾工信规〔{y-2}〕5号", issuer: issMIIT, level: lvDist,
			summary:    "原厂房租金补贴办法，已被{y}年新版先进制造业厂房租金补贴取代，不再受理新的申请。",
			who:        "租用区内厂房的制造业企业。",
			terms:      "按实际租金 20% 补贴，每年最高 50 万元。本办法已废止，请申报新版政策。",
			docs:       "不再受理",
			benefit:    "已废止",
			tags:       []string{"厂房租金", "已废止"},
			industries: []string{"C"},
			win:        applyDays(-700, 60), status: policies.StatusRevoked,
		},
		{
			title: "标准厂房建设用地指标倾斜", doc: "省自然资〔{y}〕（征求意见稿）", issuer: "省自然资源厅", level: lvProv,
			summary:    "拟对建设多层标准厂房的产业园区和企业倾斜安排新增建设用地指标（征求意见中，尚未发布）。",
			who:        "建设三层以上标准厂房、容积率不低于 2.0 的产业园区运营企业和制造企业。",
			terms:      "按标准厂房建筑面积每 10 万平方米奖励新增建设用地指标 30 亩。",
			docs:       "申请书；项目规划方案",
			benefit:    "倾斜安排新增建设用地指标",
			tags:       []string{"用地指标", "标准厂房"},
			industries: []string{"C"},
			win:        applyDays(30, 300), status: policies.StatusDraft,
		},
		{
			title: "临港冷库用地专项保障", doc: "海湾规资〔{y}〕（草案）", issuer: issPlan, level: lvDist,
			summary:    "拟在临港社区划定冷链物流专用地块，面向冷链仓储企业定向供应（草案，尚未发布）。",
			who:        "港口物流产业链中从事冷链仓储的企业。",
			terms:      "定向供应冷链物流用地，出让年期 30 年，容积率不低于 1.5。",
			docs:       "用地申请书；项目方案",
			benefit:    "冷链用地定向供应",
			tags:       []string{"冷链", "物流用地"},
			industries: []string{"59"}, regions: []string{"sd-haigang"},
			criteria: crits(critChain("chain-port")),
			win:      applyDays(20, 200), status: policies.StatusDraft,
		},
		{
			title: "民营医疗机构用房装修补贴", doc: "海湾科创〔{y-1}〕16号", issuer: issSci, level: lvDist,
			summary: "在梅林街道新设立的民营专科医疗机构，按用房装修投入 20% 补贴，{y-1}年度批次已截止。",
			who:     "生命健康产业链中在梅林街道新设立的康复、口腔、体检等民营专科医疗机构。",
			terms:   "按诊疗用房装修投入的 20% 补贴，每家最高 50 万元。",
			docs:    "补贴申请表；医疗机构执业许可证；装修合同及发票",
			benefit: "装修投入 20% 补贴，最高 50 万元",
			maxWan:  50, tags: []string{"民营医疗", "装修补贴"},
			industries: []string{"84"}, regions: []string{"sd-meilin"},
			criteria: crits(critChain("chain-health")),
			win:      applyDays(-260, -70),
		},
	}
}

// otherPolicies are the 其他 entries: safety, quality, intellectual
// property, customs and public services.
func otherPolicies(now time.Time) []policySpec {
	return []policySpec{
		{
			title: "企业开办“一件事”全程网办", doc: "海湾市监〔{y}〕1号", issuer: issSAMR, level: lvDist, product: true,
			summary:  "设立登记、刻章、申领发票、社保和公积金开户一次提交，0.5 个工作日办结，营业执照可邮寄到家。",
			who:      "拟在海湾区设立的企业，以及成立不满 1 年、需要补办开办事项的企业。",
			terms:    "营业执照、印章、发票和税务 UKey、社保和公积金登记一网通办，0.5 个工作日办结，全程免费。",
			docs:     "股东身份证明；公司章程；住所使用证明",
			benefit:  "开办事项一网通办，半个工作日办结",
			tags:     []string{"企业开办", "一网通办"},
			criteria: crits(critFoundedWithin(1)),
			win:      applyAlways(-600),
		},
		{
			title: "安全生产标准化达标奖励", doc: "海湾应急〔{y}〕5号", issuer: issEmergency, level: lvDist,
			summary: "工贸和仓储物流企业首次通过安全生产标准化二级、三级达标评审的，分别奖励 5 万元和 2 万元。",
			who:     "首次通过安全生产标准化二级或三级达标评审的区内工贸企业和仓储物流企业。",
			terms:   "二级达标奖励 5 万元，三级达标奖励 2 万元；达标后连续三年无生产安全事故的，再奖励 2 万元。",
			docs:    "奖励申请表；达标证书；评审报告",
			benefit: "二级 5 万元，三级 2 万元",
			maxWan:  7, tags: []string{"安全生产", "标准化"},
			industries: []string{"C", "G"},
			criteria:   crits(critTaxNot("D")),
			win:        applyDays(-30, 180),
		},
		{
			title: "安全生产责任保险保费补贴", doc: "海湾应急〔{y}〕8号", issuer: issEmergency, level: lvDist,
			summary: "危险化学品、冷链仓储、港口装卸等高危行业企业投保安全生产责任保险的，按保费 30% 补贴。",
			who:     "从事危险化学品、冷链仓储、港口装卸、金属冶炼等高危行业，依法投保安全生产责任保险的企业。",
			terms:   "按实际缴纳保费的 30% 补贴，每家企业每年最高 5 万元；连续三年无事故的补贴比例提高到 40%。",
			docs:    "补贴申请表；保险单及保费发票",
			benefit: "保费 30%–40% 补贴，每年最高 5 万元",
			maxWan:  5, tags: []string{"安责险", "高危行业"},
			industries: []string{"26", "32", "55", "59"},
			win:        applyDays(-50, 130),
		},
		{
			title: "知识产权海外维权援助", doc: "市知保〔{y}〕3号", issuer: "市知识产权保护中心", level: lvCity, product: true,
			summary: "企业在海外遭遇专利、商标侵权纠纷或“337 调查”的，可申请维权援助和律师费用资助，最高 100 万元。",
			who:     "在海外市场遭遇知识产权纠纷的本市企业。",
			terms:   "免费提供纠纷应对指导和专家咨询；聘请律师应诉的，按律师费 50% 资助，单个案件最高 100 万元。",
			docs:    "援助申请表；纠纷材料；律师服务合同",
			benefit: "海外维权律师费 50% 资助，最高 100 万元",
			maxWan:  100, tags: []string{"知识产权", "海外维权"},
			win: applyAlways(-300),
		},
		{
			title: "商标品牌培育奖励", doc: "海湾市监〔{y}〕13号", issuer: issSAMR, level: lvDist,
			summary: "新获认定驰名商标、地理标志商标或通过马德里体系注册国际商标的企业，给予 1 万元至 50 万元奖励。",
			who:     "在海湾区注册并纳税的商标权利人。",
			terms:   "新认定驰名商标奖励 50 万元，地理标志商标 20 万元；通过马德里体系每指定一个国家奖励 5000 元，最高 10 万元。",
			docs:    "奖励申请表；商标注册证或认定文件",
			benefit: "驰名商标 50 万元，国际注册最高 10 万元",
			maxWan:  50, tags: []string{"商标", "品牌"},
			criteria: crits(critTaxNot("D")),
			win:      applyDays(-65, 115),
		},
		{
			title: "企业信用修复指导服务", doc: "海湾发改〔{y}〕3号", issuer: issDRC, level: lvDist, product: true,
			summary: "为纳税信用等级偏低或有失信记录的企业提供信用修复“一对一”指导，协助办理修复申请。",
			who:     "纳税信用等级为 C 级或 D 级，或在信用信息平台有行政处罚记录的区内企业。",
			terms:   "免费提供修复条件评估、材料准备和线上申请指导；符合条件的一般在 5 个工作日内完成修复。",
			docs:    "信用修复申请书；整改完成证明；信用承诺书",
			benefit: "信用修复一对一免费指导",
			tags:    []string{"信用修复", "纳税信用"},
			win:     applyAlways(-400),
		},
		{
			title: "重点企业“服务专员”包干服务", doc: "海湾府办〔{y}〕7号", issuer: "区企业服务中心", level: lvDist, product: true,
			summary:  "规模以上企业由区领导和部门干部组成“服务专员”包干联系，诉求收集后 24 小时内签收、3 个工作日内答复。",
			who:      "属于规模以上企业的区内企业。",
			terms:    "每家企业配备一名服务专员，每季度至少走访一次；企业诉求经惠企通分拨，24 小时内签收、3 个工作日内答复。",
			docs:     "无需材料，服务专员主动对接",
			benefit:  "专人包干联系，诉求限时办结",
			tags:     []string{"服务专员", "政企沟通"},
			criteria: crits(critQual("规上企业")),
			win:      applyAlways(-500),
		},
		{
			title: "国际展会参展补贴", doc: "市商务规〔{y}〕11号", issuer: "市商务局", level: lvCity,
			summary: "企业参加市重点支持的境外国际展会，按展位费 70% 补贴，每家企业每年最高 30 万元。",
			who:     "参加市重点支持境外展会目录内展会的本市企业。",
			terms:   "展位费按 70% 补贴，特装布展费按 50% 补贴；每家企业每年最高 30 万元。",
			docs:    "补贴申请表；参展合同；展位费发票；参展照片",
			benefit: "展位费 70% 补贴，每年最高 30 万元",
			maxWan:  30, tags: []string{"国际展会", "外贸"},
			criteria: crits(critTaxNot("C", "D")),
			win:      applyDays(-20, 220),
		},
		{
			title: "港口通关便利化“提前申报”服务", doc: "海湾关〔{y}〕12号", issuer: "海湾海关", level: lvCity, product: true,
			summary:    "进出口货物在运抵港口前提前申报、货到即验即放，平均压缩通关时间 24 小时以上。",
			who:        "在本区港口办理进出口业务的货主、报关和货运代理企业。",
			terms:      "提前申报、两步申报、船边直提、抵港直装等便利措施全部适用；信用良好的企业查验率下调 50%。",
			docs:       "报关单；提运单；随附单证",
			benefit:    "货到即验即放，通关时间压缩 24 小时以上",
			tags:       []string{"通关便利", "进出口"},
			industries: []string{"G", "F"},
			criteria:   crits(critTaxNot("D")),
			win:        applyAlways(-700),
		},
		{
			title: "海关 AEO 高级认证辅导", doc: "海湾关〔{y}〕15号", issuer: "海湾海关", level: lvCity, product: true,
			summary:  "为港口物流和珠宝进出口企业提供 AEO 高级认证一对一辅导，认证后可享受更低查验率和优先通关。",
			who:      "属于港口物流或黄金珠宝产业链、有进出口业务、纳税信用等级为 A 级或 B 级的企业。",
			terms:    "海关专员上门辅导内控制度、贸易安全和财务状况标准；认证后查验率降至一般企业的 20% 以下，享受优先办理。",
			docs:     "认证申请书；内部控制制度；近两年财务审计报告",
			benefit:  "AEO 认证辅导，认证后查验率大幅降低",
			tags:     []string{"AEO", "海关信用"},
			criteria: crits(critAnyChain("chain-port", "chain-jewelry"), critTax("A", "B")),
			win:      applyAlways(-360),
		},
		{
			title: "贵金属首饰质量检测费用减半", doc: "海湾市监〔{y}〕16号", issuer: issSAMR, level: lvDist,
			summary: "珠宝企业委托区属检测机构检测贵金属首饰纯度和宝玉石鉴定的，检测费用减半收取。",
			who:     "黄金珠宝产业链中从事首饰加工、批发和零售的区内企业。",
			terms:   "贵金属纯度检测、宝玉石鉴定费用按标准 50% 收取，每家企业每年最高减免 5 万元。",
			docs:    "检测委托单；营业执照",
			benefit: "检测费用减半，每年最高减免 5 万元",
			maxWan:  5, tags: []string{"珠宝检测", "质量"},
			regions:  []string{"sd-jinsha"},
			criteria: crits(critChain("chain-jewelry")),
			win:      applyAlways(-240),
		},
		{
			title: "滨海旅游联合营销“海湾文旅卡”", doc: "HWWL-{y}", issuer: issCulture, level: lvDist, product: true,
			summary:  "文旅企业加入“海湾文旅卡”联合营销，可获得线上流量推广和联票分账，首年免收平台服务费。",
			who:      "东湾街道滨海旅游产业链中的景区、酒店、民宿、餐饮和文旅演艺企业。",
			terms:    "首年免收平台服务费，次年起按交易额 3% 收取；参加节庆联合营销活动的可获区级宣传推广资源。",
			docs:     "加盟申请表；营业执照；产品和价格说明",
			benefit:  "首年免平台服务费，获得联合推广",
			tags:     []string{"联合营销", "滨海旅游"},
			criteria: crits(critChain("chain-tourism")),
			win:      applyAlways(-150),
		},
		{
			title: "企业用电报装“零上门、零审批、零投资”", doc: "海湾供电〔{y}〕2号", issuer: "海湾供电局", level: lvCity, product: true,
			summary:  "低压小微企业用电报装免费接入，线上申请后由供电部门投资到红线，平均 5 个工作日内接电。",
			who:      "报装容量 200 千伏安及以下的低压小微企业用户。",
			terms:    "线上申请、免上门；供电部门投资建设至用户红线，用户零投资；平均接电时间不超过 5 个工作日。",
			docs:     "用电申请（线上填报）；营业执照；用电地址产权或使用证明",
			benefit:  "免费接电，5 个工作日内完成",
			tags:     []string{"用电报装", "营商环境"},
			criteria: crits(critSmallMicro()),
			win:      applyAlways(-600),
		},
		{
			title: "污染防治设施升级改造补贴", doc: "市环规〔{y}〕4号", issuer: "市生态环境局", level: lvCity,
			summary: "工业企业实施挥发性有机物治理、废水深度处理等污染防治设施升级的，按投资额 30% 补贴。",
			who:     "实施污染防治设施升级改造、改造后排放水平优于国家标准的本市工业企业。",
			terms:   "按治理设施投资额的 30% 补贴，单个项目最高 300 万元。",
			docs:    "补贴申请表；改造方案及环评批复；设备合同和发票；监测报告",
			benefit: "治污设施投资 30% 补贴，最高 300 万元",
			maxWan:  300, tags: []string{"污染防治", "环保"},
			industries: []string{"C"},
			criteria:   crits(critTaxNot("C", "D")),
			win:        applyDays(-85, 95),
		},
		{
			title: "标准制修订资助", doc: "海湾市监〔{y}〕18号", issuer: issSAMR, level: lvDist,
			summary: "企业主导制定国际标准、国家标准、行业标准并正式发布的，分别给予 100 万元、50 万元、30 万元资助。",
			who:     "主导或参与制定并已正式发布国际、国家、行业或团体标准的区内企业。",
			terms:   "主导国际标准 100 万元，国家标准 50 万元，行业标准 30 万元，团体标准 10 万元；参与制定的按 30% 给予资助。",
			docs:    "资助申请表；标准文本及发布公告；起草单位排名证明",
			benefit: "按标准级别资助 10 万–100 万元",
			maxWan:  100, tags: []string{"标准化", "标准制定"},
			criteria: crits(critAnyQual("高新技术企业", "专精特新中小企业", "专精特新“小巨人”", "规上企业")),
			win:      applyDays(-75, 165),
		},
		{
			title: "企业数据资产入表辅导", doc: "海湾发改〔{y}〕（草案）", issuer: issDRC, level: lvDist, product: true,
			summary: "拟组织会计师事务所和数据交易机构，为企业提供数据资源梳理、确权和入表辅导（草案，尚未发布）。",
			who:     "拥有较大规模业务数据的软件、物流和医疗健康企业。",
			terms:   "免费提供数据资源盘点和入表可行性评估，入表后按评估费用 50% 补贴，最高 20 万元。",
			docs:    "辅导申请表；数据资源情况说明",
			benefit: "免费入表辅导，评估费用补贴 50%",
			maxWan:  20, tags: []string{"数据资产", "数据要素"},
			industries: []string{"65", "G", "84"},
			win:        applyDays(40, 220), status: policies.StatusDraft,
		},
		{
			title: "消防安全技术服务补贴", doc: "海湾应急〔{y}〕（征求意见稿）", issuer: issEmergency, level: lvDist,
			summary: "拟对小微企业购买消防设施检测、电气火灾隐患排查等技术服务给予补贴（征求意见中）。",
			who:     "在海湾区生产经营的小型和微型企业。",
			terms:   "按技术服务费用 50% 补贴，每家企业每年最高 1 万元。",
			docs:    "补贴申请表；服务合同；检测报告",
			benefit: "消防技术服务费用 50% 补贴",
			maxWan:  1, tags: []string{"消防安全", "小微企业"},
			criteria: crits(critSmallMicro()),
			win:      applyDays(25, 160), status: policies.StatusDraft,
		},
		{
			title: "海湾营商环境体验官招募", doc: "海湾府办〔{y}〕（草案）", issuer: "区企业服务中心", level: lvDist,
			summary:  "拟从各产业链企业中招募营商环境体验官，参与政务服务“体验式”评议（草案，尚未发布）。",
			who:      "在区内经营满 2 年、信用良好的企业负责人或高管。",
			terms:    "体验官任期一年，参与办事体验和政策评议；提出的意见建议被采纳的给予通报表扬。",
			docs:     "报名表",
			benefit:  "参与营商环境评议",
			tags:     []string{"营商环境", "体验官"},
			criteria: crits(critFoundedAtLeast(now, 2)),
			win:      applyDays(15, 75), status: policies.StatusDraft,
		},
		{
			title: "{y-1}年度企业社会责任优秀案例奖励", doc: "海湾发改〔{y-1}〕29号", issuer: issDRC, level: lvDist,
			summary: "{y-1}年度在稳岗就业、公益慈善、绿色发展方面表现突出的企业评选优秀案例并给予奖励，已截止。",
			who:     "在海湾区经营满 2 年、纳税信用等级为 A 级或 B 级的企业。",
			terms:   "评选优秀案例不超过 10 个，每个奖励 5 万元。",
			docs:    "案例申报书；相关证明材料",
			benefit: "每个优秀案例奖励 5 万元",
			maxWan:  5, tags: []string{"社会责任", "评选"},
			criteria: crits(critTax("A", "B")),
			win:      applyDays(-210, -120),
		},
		{
			title: "{y-1}年“安全生产月”隐患排查治理补贴", doc: "海湾应急〔{y-1}〕11号", issuer: issEmergency, level: lvDist,
			summary: "{y-1}年“安全生产月”期间委托第三方开展隐患排查并完成整改的企业，按服务费用 50% 补贴，已截止。",
			who:     "{y-1}年 6 月委托第三方安全技术服务机构开展隐患排查并完成整改的区内工贸和仓储物流企业。",
			terms:   "按第三方服务费用的 50% 补贴，每家企业最高 2 万元。",
			docs:    "补贴申请表；隐患排查报告；整改销号证明；服务合同和发票",
			benefit: "隐患排查服务费 50% 补贴，最高 2 万元",
			maxWan:  2, tags: []string{"安全生产月", "隐患排查"},
			industries: []string{"C", "G"},
			criteria:   crits(critSmallMicro()),
			win:        applyDays(-170, -110),
		},
		{
			title: "平安海湾企业治安防范设施补贴", doc: "海湾府办〔{y-1}〕12号", issuer: "区企业服务中心", level: lvDist,
			summary: "原企业视频监控和周界防范设施建设补贴，因并入全区公共安全视频建设统一实施，已废止。",
			who:     "区内工业园区和仓储物流企业。",
			terms:   "按安防设施投入 30% 补贴。本政策已废止，相关建设由区统一实施。",
			docs:    "不再受理",
			benefit: "已废止",
			tags:    []string{"治安防范", "已废止"},
			win:     applyDays(-400, 100), status: policies.StatusRevoked,
		},
	}
}
