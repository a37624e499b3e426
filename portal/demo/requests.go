package demo

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/workcal"
)

// The demo requests are stories: a matter an enterprise raised (what it
// asked and what the department answered), the channel it came in by and
// the life it has led since. SeedRequests plays every story through the
// real RequestService as the demo users, on a clock running over the two
// months before the seeding moment, so that numbers, timelines, audit
// entries and notifications look as a real district's would.

// demoMatter is something enterprises ask for, with the department's answer.
type demoMatter struct {
	cat   string // category code
	typ   portal.RequestType
	where string // which enterprises raise it: a key of demoWhere
	title string
	desc  string // {park} and {sd} are the enterprise's park and sub-district
	reply string // the first substantive answer
	done  string // how it was resolved
}

// demoWhere picks the enterprises a matter fits.
var demoWhere = map[string]func(*portal.Enterprise) bool{
	"any":       func(*portal.Enterprise) bool { return true },
	"port":      inChain("chain-port"),
	"cold":      func(e *portal.Enterprise) bool { return inChain("chain-port")(e) && e.IndustryDivision == "59" },
	"logistics": func(e *portal.Enterprise) bool { return e.ParkID == "p-logistics" },
	"haigang":   func(e *portal.Enterprise) bool { return e.SubdistrictID == "sd-haigang" },
	"jewelry":   inChain("chain-jewelry"),
	"health":    inChain("chain-health"),
	"tourism":   inChain("chain-tourism"),
	// Factories and warehouses: what needs workers, space and power.
	"maker": func(e *portal.Enterprise) bool {
		return e.IndustrySection == "C" || e.IndustryDivision == "59" || e.IndustryDivision == "58"
	},
	// Technology and health companies: patents, talent, awards.
	"tech": func(e *portal.Enterprise) bool {
		return len(e.ChainIDs) == 0 || inChain("chain-health")(e)
	},
}

// inChain picks the enterprises of a chain.
func inChain(chain string) func(*portal.Enterprise) bool {
	return func(e *portal.Enterprise) bool { return slices.Contains(e.ChainIDs, chain) }
}

// Request types, shortened for the table below.
const (
	tyAsk     = portal.TypeConsultation
	tyHelp    = portal.TypeHelp
	tyProtest = portal.TypeComplaint
	tyIdea    = portal.TypeSuggestion
)

// demoMatters are what the demo district's enterprises ask, by key.
var demoMatters = map[string]demoMatter{
	// 交通出行
	"pass": {"traffic", tyHelp, "port", "港区货车通行证到期续办",
		"我司承担{park}至东湾集装箱码头的集装箱短驳业务，12 辆重型半挂车每天多次进出港区。现有通行证月底到期，续办时系统提示要补交车辆排放达标证明，但车管所说该证明已经取消，两边说法不一致。请协助明确续办材料，避免影响船期。",
		"已与市公安交警支队海湾大队核实：续办港区通行证只需行驶证、运输合同和驾驶员信息，排放信息由系统自动比对，无需另交证明。系统提示是旧版配置，交警已安排修正。",
		"贵司 12 辆车的港区通行证已全部续办，有效期一年。今后新增车辆可在“交管12123”直接申请，3 个工作日内办结。"},
	"night": {"traffic", tyProtest, "haigang", "临港大道夜间货车限行影响冷链配送",
		"临港大道本月起实行 22:00 至次日 6:00 货车限行。我司冷链车凌晨要向市区商超配送生鲜，限行后只能绕行约 15 公里，损耗和油耗明显增加。希望为冷链配送车辆开设夜间通行备案通道。",
		"限行是因为临港大道沿线夜间噪声投诉较多。街道已会同交警研究，拟对持有冷链运输资质、安装卫星定位的车辆实行夜间通行备案，方案正在征求沿线小区意见。",
		"冷链车辆夜间通行备案已实施：企业在“交管12123”登记车辆后，可于 0:00 至 5:00 按指定路线经临港大道通行，禁止鸣笛。"},
	"stop": {"traffic", tyIdea, "port", "建议在港前路增设货车临时停靠区",
		"港前路沿线报关、货代企业集中，货车等单证时只能沿路停放，经常被贴罚单，也影响社会车辆通行。建议在港前路与港城路交叉口附近的空地设置货车临时停靠区，限时停放。",
		"感谢建议。我局已联合交警和海港街道现场踏勘，港城路口东侧空地可设置约 20 个货车临时泊位，正请规划部门确认用地性质。",
		"港城路口货车临时停靠区已施划 18 个泊位并设置限时 2 小时标志，本周起投入使用。"},
	"gate": {"traffic", tyHelp, "port", "集装箱车进港排队时间过长",
		"近一个月东湾集装箱码头闸口高峰期排队经常超过 2 小时，车辆沿沙头路排出很远，司机意见很大，运输成本也上升了。请协调码头优化预约放行，或在高峰期增开闸口。",
		"已与码头运营方沟通：码头将在 7:00–10:00、16:00–19:00 高峰期增开 2 条进港车道，并推行集卡预约进港，预约车辆优先放行。",
		"集卡预约系统已上线，增开车道后高峰期平均排队时间降到 40 分钟以内。请贵司车队通过码头预约小程序提前预约时段。"},
	"bus": {"traffic", tyIdea, "logistics", "建议开通物流园至地铁站的接驳公交",
		"{park}有员工 3000 多人，最近的地铁站约 4 公里，早晚高峰没有直达公交，员工只能打车或骑电动车，安全隐患大。建议开通园区至地铁站的接驳线路。",
		"已将建议转公交集团研究。经客流调查，拟在早晚高峰开通园区至海湾地铁站的微循环接驳线，发车间隔 10 分钟。",
		"园区地铁接驳线（海湾微 12 路）已开通，工作日 7:00–9:30、17:00–20:00 运营。"},
	"detour": {"traffic", tyProtest, "haigang", "沙头路施工围挡导致货车无法掉头",
		"沙头路管线施工围挡占了两个车道，施工段前后没有掉头口，我司车辆进出仓库要绕行港区外环，每趟多跑 8 公里。施工已超过公示工期，围挡仍未撤除，请督促施工单位。",
		"已联系建设单位核实：地下管线迁改遇到障碍，工期延长 20 天。已要求施工方在仓库出入口对面开设临时掉头口，并派专人指挥。",
		"施工单位已开设临时掉头口，围挡本周五前分段缩减；后续施工错开 7:00–9:00 车辆进出高峰。"},
	"nev": {"traffic", tyHelp, "port", "新能源物流车申请城区通行路权",
		"我司新购 20 辆新能源轻型厢式货车用于城区配送，听说新能源物流车在城区可以不受货车限行，但不清楚怎么办理通行证，请协助办理。",
		"新能源轻型物流车可以申领城区配送通行证，在“交管12123”提交车辆信息和配送合同即可，审核 3 个工作日。",
		"贵司 20 辆新能源物流车的城区通行证已全部核发，白天时段不受货车限行限制。"},
	"tickets": {"traffic", tyProtest, "port", "物流园周边货车违停罚单过多",
		"{park}周边道路白天禁停，货车等候装卸时只能在路边停靠，一个月被贴罚单 30 多张。园区内装卸车位不够，希望交通部门统筹解决货车等候停车问题。",
		"已会同交警和园区调研，园区内可腾出 40 个临时等候车位，交警同意对园区周边道路实行装卸时段限时停车。",
		"园区临时等候车位和周边限时停车标志已设置完成，本月起货车可在装卸时段限时停靠 30 分钟。"},

	// 融资信贷
	"guarantee-fee": {"finance", tyHelp, "any", "融资担保费补贴迟迟未到账",
		"我司今年 3 月通过区融资担保公司获得 500 万元贷款担保，按政策可以申请担保费 50% 的补贴。材料 5 月已提交并公示，至今补贴仍未到账，请帮忙查询进度。",
		"经查，贵司补贴已审核通过，因本批次资金需区财政统一拨付，预计本月底前到账，我局已向财政部门催办。",
		"贵司担保费补贴 2.5 万元已拨付到账，请注意查收。"},
	"bridge": {"finance", tyHelp, "any", "申请应急转贷资金周转",
		"我司在银行的 800 万元流动资金贷款下月中旬到期，银行同意续贷但要求先还后贷。目前应收账款回笼较慢，自有资金不足，申请使用区中小企业应急转贷资金周转，请告知办理流程。",
		"贵司符合应急转贷申请条件。请先取得银行出具的续贷意向函，再向区中小企业服务公司提交申请表、营业执照和贷款合同，资金占用费按日万分之一收取。",
		"应急转贷资金已在贷款到期前一天划转，银行续贷放款后已归还转贷资金，全程 5 天办完。"},
	"interest": {"finance", tyAsk, "any", "咨询创业担保贷款贴息申请条件",
		"我司成立两年，员工 15 人，其中有退役军人和应届高校毕业生。想了解创业担保贷款的额度、贴息比例和申请条件，小微企业能不能申请。",
		"小微企业当年新招用符合条件人员达到职工总数 15%（超过 100 人的达到 8%）即可申请，额度最高 300 万元，财政按贷款市场报价利率减 150 个基点以下部分贴息。",
		"已电话向经办人详细说明并发送申请指南，贵司已在合作银行提交申请。"},
	"gold-lease": {"finance", tyAsk, "jewelry", "咨询黄金租赁业务贴息政策",
		"我司通过银行开展黄金租赁融资，年租借量约 300 公斤，租赁费率较高。听说区里对珠宝企业黄金租赁有贴息，想了解申报条件、比例和时间。",
		"区黄金珠宝产业专项资金对黄金租赁费用按实际支付额的 20% 贴息，单个企业每年最高 100 万元，每年 4 月集中申报，需提供租赁合同和付费凭证。",
		"已向贵司提供申报指南和材料模板，并提醒在明年 4 月申报窗口内提交。"},
	"cold-mortgage": {"finance", tyHelp, "cold", "冷链设备抵押融资评估值过低",
		"我司以冷库制冷机组和货架设备申请抵押贷款，银行认为是专用设备、变现难，评估值只有购置价的两成，融资额远远不够。希望协调银行或担保机构支持。",
		"已组织 3 家银行与贵司对接，其中一家银行可按“设备抵押 + 应收账款质押”组合方式授信，并可叠加区政策性担保。",
		"贵司已获得 600 万元组合授信，享受区担保费补贴后，年化综合融资成本约 3.6%。"},
	"ip-pledge": {"finance", tyAsk, "any", "咨询知识产权质押融资办理流程",
		"我司有发明专利 6 项，想通过专利质押获得贷款用于新产品研发。不清楚评估费用由谁承担、能贷多少、区里有没有贴息。",
		"知识产权质押融资的评估费可申请区补贴 50%，贷款利息按实际支付额的 30% 贴息。合作银行名单和办理流程已发到贵司邮箱。",
		"已协助贵司与合作银行对接并完成专利评估，银行已受理贷款申请。"},
	"subsidy-reject": {"finance", tyHelp, "any", "贷款贴息申报被退回要求补正",
		"我司申报贷款贴息被退回，理由是“付息凭证不符合要求”，但我们交的银行回单已经盖了业务章。请明确需要什么样的付息凭证。",
		"需提供银行出具的年度利息清单并加盖银行公章，单笔回单不能替代，已请合作银行协助开具。",
		"贵司已补交利息清单并通过审核，贴息资金列入下一批拨付。"},
	"first-loan": {"finance", tyHelp, "any", "首次申请信用贷款被银行拒绝",
		"我司成立三年，一直没有贷款记录，这次申请 200 万元信用贷款被银行以“无信贷历史”为由拒绝。希望政府帮助对接愿意服务首贷户的银行。",
		"已将贵司纳入首贷户培育名单，推送给 4 家参与首贷服务的银行，银行客户经理将在一周内上门对接。",
		"贵司已获得 150 万元首贷信用贷款，利率 3.45%，并享受首贷贴息。"},

	// 人才用工
	"hiring": {"talent", tyHelp, "maker", "旺季急需招聘一线工人",
		"年底进入生产旺季，我司急需叉车司机、理货员和操作工共约 30 名，网上招聘效果不好，持证叉车司机尤其难招。希望人社部门帮助对接招聘渠道。",
		"已将岗位信息推送到区公共就业服务平台和对口劳务协作地区，并在下周三的专场招聘会上为贵司安排展位。",
		"通过专场招聘会和劳务协作，贵司已招到 28 人；其余 2 个叉车司机岗位已推荐参加区技能培训的学员。"},
	"apartment": {"talent", tyAsk, "any", "咨询人才公寓申请条件和轮候情况",
		"我司新引进 5 名硕士研究生，想为他们申请区人才公寓。请问申请条件、租金标准、轮候时间，企业能不能统一申请。",
		"全日制硕士及以上、与区内企业签订劳动合同且在本市无自有住房即可申请，租金为市场价的 60%，企业可统一申报，目前轮候约 2 个月。",
		"贵司 5 人已通过资格审核并进入轮候名单，预计下批房源配租时安排入住。"},
	"social-subsidy": {"talent", tyHelp, "any", "社保补贴申领系统无法提交",
		"我司申领吸纳就业困难人员社保补贴，在网上办事大厅提交时一直提示“参保信息不一致”，但员工社保都是正常缴纳的，请帮忙核查。",
		"经核查，2 名员工的参保单位名称还是贵司更名前的名称，导致比对不一致，已协调社保经办机构更新。",
		"参保信息已更新，贵司补贴申请已审核通过，补贴 3.6 万元将于下月发放。"},
	"job-fair": {"talent", tyIdea, "port", "建议举办港口物流产业专场招聘会",
		"港口物流企业普遍缺报关员、单证员和冷链驾驶员，综合招聘会针对性不强。建议人社部门联合专班每季度举办一次港口物流专场招聘会。",
		"建议很好。已与港口物流服务专班商定，每季度末在海港物流园举办专场招聘会，首场定在下月。",
		"首场港口物流专场招聘会已举办，42 家企业提供岗位 560 个，现场达成意向 213 人。"},
	"talent-cert": {"talent", tyAsk, "tech", "咨询高层次人才认定和安家补贴",
		"我司研发总监有海外博士学位和多年行业经验，想了解能否认定为区高层次人才，安家补贴标准是多少，需要准备哪些材料。",
		"可按区高层次人才认定办法申报 C 类人才，需提供学历学位认证、工作经历证明和近两年个税记录，认定后可享受 50 万元安家补贴，分 3 年发放。",
		"申报材料已通过初审，贵司研发总监已进入专家评审环节。"},
	"foreign-permit": {"talent", tyHelp, "tech", "外籍技术人员工作许可延期",
		"我司一名外籍工程师的工作许可下月到期，续期时系统要求提供无犯罪记录证明。本人已在国内连续工作 4 年，无法回国开具，请问能否简化。",
		"在华连续工作满 3 年的外国人续期无需重新提供无犯罪记录证明，系统提示是材料清单配置问题，已反馈市外专部门修正。",
		"贵司外籍工程师的工作许可已续期 2 年。"},
	"stable-job": {"talent", tyAsk, "any", "咨询稳岗返还资金何时发放",
		"去年我司没有裁员，按政策可以享受失业保险稳岗返还，但今年一直没收到通知。请问今年还有没有稳岗返还，什么时候发放。",
		"今年稳岗返还实行“免申即享”，系统根据参保和裁员率数据自动筛选，贵司已在名单中，资金将直接拨付到对公账户。",
		"贵司稳岗返还资金 4.8 万元已拨付到账。"},
	"designer-title": {"talent", tyIdea, "jewelry", "建议开通珠宝设计师职称评审渠道",
		"我区珠宝企业有大量设计师，但目前没有对口的职称评审专业，设计师只能参加工艺美术评审，通过率很低。建议争取开设珠宝首饰设计职称评审。",
		"已向市人社局职称处反映，市里正在研究在工艺美术系列增设珠宝首饰设计专业。",
		"市人社局已同意今年起在工艺美术系列增设珠宝首饰设计评审专业，申报通知将另行发布。"},
	"intern": {"talent", tyHelp, "tech", "申请设立高校毕业生见习基地",
		"我司每年接收 10 名左右高校实习生，想申请成为区级就业见习基地，享受见习补贴，请问需要什么条件和材料。",
		"见习基地需能提供 5 个以上见习岗位、有专人带教，申报时提交岗位计划和带教安排，见习补贴按最低工资标准的 80% 发放。",
		"贵司已被认定为区级就业见习基地，首批 8 个见习岗位已发布。"},

	// 用地厂房
	"coldstore-expand": {"land", tyHelp, "cold", "扩建冷库需新增用地",
		"我司冷库库容已经满负荷运行，客户订单持续增加，计划扩建 2 万吨冷库，需新增用地约 15 亩。请问区内是否有合适的仓储用地，供地流程要多长时间。",
		"海港物流园二期有一宗约 18 亩的仓储用地纳入今年供地计划，预计下季度挂牌出让，已将贵司列入意向企业名单。",
		"已组织贵司与物流园管理方踏勘地块，并告知挂牌时间和竞买条件，贵司已提交用地意向书。"},
	"factory-rent": {"land", tyAsk, "maker", "咨询租用标准厂房的租金补贴",
		"我司拟租用{park}附近的标准厂房约 3000 平方米，想了解区里对租用工业厂房有没有租金补贴，补贴几年。",
		"租用区政府产业用房的企业前两年可享受租金 30% 补贴；租用社会厂房的高新技术企业可按每平方米每月 10 元补贴，最长 3 年。",
		"已向贵司提供两类补贴的申报指南，贵司选择租用政府产业用房并已提交入驻申请。"},
	"rent-hike": {"land", tyHelp, "any", "厂房续租业主拟大幅涨租",
		"我司租用的厂房合同年底到期，业主提出续租租金上涨 45%，否则收回厂房。生产线搬迁成本很高，希望政府协调，或推荐其他合适厂房。",
		"已与业主方沟通，业主同意分两年逐步上调；同时向贵司推荐了 2 处产业用房作为备选。",
		"经协调，贵司与业主签订 5 年续租合同，首年租金上涨 12%，之后每年涨幅不超过 5%。"},
	"jewelry-space": {"land", tyHelp, "jewelry", "珠宝加工企业急需生产用房",
		"我司订单增长，需增加两条加工线，急需约 2000 平方米生产用房，要求可以进行熔炼作业并满足消防要求。{park}周边很难找到合适厂房。",
		"已梳理黄金珠宝产业园可用空间，园区 6 栋 3–4 层约 2200 平方米将于下月腾退，符合熔炼作业的消防要求。",
		"贵司已与产业园签订 6 栋 3–4 层租赁意向，首年租金减半。"},
	"plot-ratio": {"land", tyAsk, "maker", "咨询工业用地提高容积率的手续",
		"我司自有工业用地容积率 1.2，计划在原址加建研发楼，把容积率提高到 2.5。请问要办哪些手续，是否需要补缴土地出让金。",
		"工业用地提高容积率不再增收土地价款，需先申请规划条件调整，再办理建设工程规划许可，全流程约 60 个工作日。",
		"已为贵司安排规划窗口一对一辅导，贵司已提交规划条件调整申请。"},
	"title-deed": {"land", tyHelp, "any", "厂房产权证办理遗留问题",
		"我司 2012 年购入的厂房，因原开发商没有完成竣工验收，至今办不了不动产权证，影响厂房抵押融资，请协助解决。",
		"已调取项目档案，原开发商已注销，需按历史遗留问题处理办法组织补办竣工验收，我局已牵头成立工作专班。",
		"项目已补办竣工验收备案，贵司不动产权证已受理，预计 15 个工作日内发证。"},

	// 审批办事
	"eia": {"approval", tyAsk, "cold", "咨询冷库扩建项目环评怎么办",
		"我司计划扩建冷库，想了解是否需要做环评，是做报告书还是报告表，办理时限多长。",
		"冷库扩建属仓储项目，按建设项目环评分类管理名录填报环境影响登记表即可，网上备案即时办结；项目备案可同步在投资项目在线审批监管平台办理。",
		"已协助贵司完成项目备案和环评登记表网上备案。"},
	"fire-accept": {"approval", tyHelp, "any", "新建仓库消防验收久拖未办",
		"我司新建的 2 号仓库竣工已 3 个月，消防验收申请提交后多次被要求整改，整改完成后又迟迟没有安排现场验收，仓库无法投入使用。",
		"已联系消防验收科室，确认整改资料齐全，现场验收安排在下周二。",
		"贵司 2 号仓库已通过消防验收，验收意见书已送达。"},
	"food-license": {"approval", tyProtest, "tourism", "食品经营许可证变更审批超时",
		"我司员工食堂更换承包方，申请食品经营许可证变更已超过 20 个工作日，系统仍显示“审核中”，食堂面临停业。",
		"经核查，因现场核查人员调整导致延误，已安排明天上午现场核查。",
		"许可证变更已在现场核查当日办结，电子证照已发放；对延误问题已对经办科室提出批评。"},
	"device-record": {"approval", tyHelp, "health", "医疗器械经营备案变更地址",
		"我司仓库搬迁至{park}，需要办理第二类医疗器械经营备案地址变更，新仓库还没做现场检查，请问能否先变更后检查。",
		"第二类医疗器械经营备案实行告知承诺，可先在线变更，3 个月内接受现场检查。",
		"备案变更已完成，现场检查安排在下月上旬。"},
	"gold-test": {"approval", tyAsk, "jewelry", "咨询贵金属检测实验室资质认定",
		"我司计划设立贵金属饰品检测实验室，对外提供检测服务，想了解需要取得哪些资质认定，办理周期多长。",
		"对外出具检测数据需取得检验检测机构资质认定（CMA），向省市场监管局申请，实行告知承诺后约 20 个工作日。",
		"已向贵司提供申请指南，并邀请贵司参加下月的资质认定申报辅导会。"},
	"scope-change": {"approval", tyHelp, "any", "营业执照增加进出口经营范围",
		"我司计划开展跨境业务，需要在营业执照经营范围里增加货物进出口，并办理海关备案，请问能否一次办好。",
		"经营范围变更可在线办理、当日出证；进出口货物收发货人备案可在变更时勾选“多证合一”同步推送，无需另跑海关。",
		"贵司执照变更和海关备案已同步完成。"},
	"repeat-docs": {"approval", tyProtest, "any", "同一事项被反复要求补交材料",
		"我司办理一项许可，窗口前后三次要求补材料，每次只说一部分，还要营业执照和法人身份证复印件，这些信息系统里都能查到。",
		"情况属实，窗口存在一次性告知不到位的问题，已约谈窗口负责人，并梳理材料清单，能通过电子证照获取的一律免交。",
		"贵司许可已办结；窗口已实行一次性告知书制度，清单外不得要求补交材料。"},
	"gmp": {"approval", tyAsk, "health", "咨询药品生产许可增加剂型的办理时限",
		"我司计划新增口服固体制剂生产线，需要在药品生产许可证上增加剂型，想了解审批流程、时限和现场检查安排。",
		"药品生产许可变更由省药品监督管理局审批，法定时限 15 个工作日，另需通过药品 GMP 符合性检查，区里可协助预约检查时间。",
		"已协助贵司与省药监局审评中心沟通，贵司已提交许可变更申请。"},

	// 执法检查
	"repeat-inspect": {"enforcement", tyProtest, "any", "一个月内被不同部门重复检查",
		"本月我司先后接受安全生产、消防和市场监管三次检查，检查内容大量重复，每次都要安排人员陪同、准备材料，影响正常生产。希望合并检查。",
		"已将贵司列入“综合查一次”试点，后续由我局牵头联合相关部门一次进门、一次检查。",
		"已与应急、消防部门建立联合检查机制，本季度对贵司的检查合并为一次，检查结果互认。"},
	"first-offense": {"enforcement", tyAsk, "any", "咨询标签瑕疵首次违法能否免罚",
		"我司部分产品标签的中文标注不规范，被执法人员发现后已经立即整改。请问首次违法、及时改正、没有造成危害的，能否适用免罚清单。",
		"根据市场监管领域轻微违法行为免罚清单，标签瑕疵首次违法且及时改正、未造成危害后果的，可以不予处罚，需提交整改报告。",
		"贵司已提交整改报告，执法部门依法作出不予行政处罚决定。"},
	"penalty-scale": {"enforcement", tyProtest, "any", "处罚金额明显高于同类案件",
		"我司因计量器具未按期检定被罚款 3 万元，但同行类似情况只罚了 5000 元。我们认为处罚裁量不当，希望复核。",
		"已调阅案卷，违法事实清楚，但未充分考虑贵司主动整改的情节，已启动内部复核，同时告知贵司可在法定期限内申请行政复议。",
		"经复核，按裁量基准改为罚款 8000 元，已重新送达处罚决定书。"},
	"credit-repair": {"enforcement", tyHelp, "any", "申请信用修复移出经营异常名录",
		"我司因年报逾期被列入经营异常名录，现已补报，但投标时仍显示异常，影响参与招投标，请协助尽快移出。",
		"补报年报后可在线申请移出，审核 3 个工作日，并同步更新信用中国网站。",
		"贵司已移出经营异常名录，信用中国网站已同步更新。"},
	"scenic-inspect": {"enforcement", tyProtest, "tourism", "节假日前检查过于频繁影响经营",
		"节假日前一周，我司先后被检查 5 次，每次都要求暂停游乐项目配合检查，游客投诉很多。请规范检查频次，错开营业高峰。",
		"已核实各部门检查计划，节前安全检查确有必要，但存在重复。今后节前检查由区里统一组织，一次完成。",
		"节前联合检查机制已建立，本次国庆前检查合并为一次，且安排在开园前进行。"},
	"meter-cycle": {"enforcement", tyAsk, "any", "咨询计量器具强制检定周期",
		"我司有大量电子秤和温度计，请问哪些属于强制检定，检定周期多长，能不能就近送检。",
		"用于贸易结算的电子秤属于强制检定，周期一年；企业内部工艺控制用的温度计不属于强制检定，可自行校准。区计量所在各街道设有送检点。",
		"已将送检点地址和预约电话发给贵司，贵司已预约下周送检。"},

	// 矛盾纠纷
	"wage": {"dispute", tyHelp, "haigang", "分包商拖欠工人工资引发聚集",
		"我司仓库装修工程的分包商拖欠 20 多名工人工资约 38 万元，工人在仓库门口聚集。我司已按合同付清工程款，请协调解决。",
		"街道已会同劳动监察约谈总包和分包负责人，分包商承诺 3 日内支付。",
		"拖欠工资已全部发到工人手中，聚集已平息，总包单位已补充工资支付保证金。"},
	"noise": {"dispute", tyProtest, "haigang", "邻近工地夜间施工噪音影响员工休息",
		"我司员工宿舍旁边的工地连续多晚施工到凌晨，噪音很大，员工无法休息。已多次与工地沟通，没有效果。",
		"街道已到现场核查，工地未办理夜间施工许可，已责令停止夜间作业。",
		"工地已停止夜间施工，街道安排网格员连续一周夜间巡查，未再发现违规施工。"},
	"neighbor-noise": {"dispute", tyHelp, "haigang", "周边居民投诉仓库夜间装卸噪音",
		"附近小区居民多次投诉我司仓库夜间装卸噪音，我司已调整部分作业时间，但冷链业务必须夜间作业。希望街道协调，找出双方都能接受的方案。",
		"街道已组织企业与小区业委会座谈，企业承诺加装隔音屏、夜间禁止鸣笛，居民代表同意试行一个月。",
		"隔音屏已安装，试行一个月未再收到投诉，双方签订了睦邻公约。"},
	"utility": {"dispute", tyHelp, "logistics", "与物业就公共电费分摊产生纠纷",
		"园区物业按面积分摊公共区域电费，我司用电量很小却承担了较多费用，多次沟通未果，物业还说要停电。",
		"已约谈物业公司，停电属违规做法，已责令不得停电；物业同意重新测算分摊办法。",
		"物业已改为按公共区域实际用电量分摊，贵司多缴的 1.2 万元已退还。"},
	"debt": {"dispute", tyHelp, "any", "客户拖欠货款申请调解",
		"一家区内客户拖欠我司货款 120 万元，已逾期 8 个月，多次催收无果。希望街道商会出面调解，避免诉讼。",
		"街道商会已受理调解申请，将于下周组织双方面谈。",
		"经调解，双方签订分期还款协议，首期 40 万元已支付。"},
	"block": {"dispute", tyProtest, "any", "门店门前被长期占道经营",
		"我司门店门前长期被流动摊贩占道经营，顾客进出不便，也有消防隐患，多次劝离无效。",
		"街道城管队已到现场劝离，并将该路段纳入重点巡查。",
		"占道问题已整治，街道在附近设置了规范的便民摊点区。"},

	// 园区配套
	"parking": {"park", tyProtest, "any", "园区停车位严重不足",
		"{park}停车位只有 300 个左右，企业员工车辆上千辆，每天早上抢车位，员工只能把车停在周边道路，经常被贴罚单。希望园区增加停车位或开放周边空地停车。",
		"园区已测算需求，拟将北侧闲置空地改建为临时停车场，新增约 220 个车位，同时与周边商场协商错时共享车位。",
		"北侧临时停车场已启用，新增车位 226 个；周边商场 150 个共享车位已开放，园区企业员工凭工牌享受优惠。"},
	"canteen-hours": {"park", tyIdea, "logistics", "建议园区食堂延长营业时间",
		"园区物流企业很多员工上夜班，食堂晚上 7 点就关门，夜班员工只能点外卖。建议食堂延长营业到晚上 10 点，或增设夜宵窗口。",
		"已与食堂承包方沟通，先试行开设 19:00–22:00 夜宵窗口，再根据就餐人数调整。",
		"夜宵窗口已开放，提供面食、快餐等 6 个品种，日均就餐约 150 人次。"},
	"charger": {"park", tyHelp, "logistics", "申请在园区增设新能源货车充电桩",
		"我司已更换 30 辆新能源物流车，园区现有充电桩只有 8 个且功率较小，车辆充电要排队。希望园区增设快充桩。",
		"园区已联系供电部门核实容量，可在 3 号停车场增设 20 个 120 千瓦快充桩，由充电运营商投资建设。",
		"20 个快充桩已建成投用，园区企业享受充电服务费八折。"},
	"road": {"park", tyProtest, "any", "园区道路破损下雨积水",
		"{park}主干道多处路面破损，一下雨就积水，货车经过溅水，员工进出很不方便，已有车辆陷进坑里。",
		"已安排施工队对破损路面进行临时修补，并疏通雨水口。",
		"主干道破损路面已全部修复，雨水管网已清淤，近两次降雨未再积水。"},
	"broadband": {"park", tyHelp, "logistics", "园区宽带网络频繁中断",
		"最近两周园区宽带多次中断，每次一两个小时，影响我司报关和订单系统。运营商说是园区线路问题。",
		"园区已会同运营商排查，确认是园区弱电井一段光缆老化，正在更换。",
		"老化光缆已更换，并新增一路备用光缆，近两周未再中断。"},
	"canteen-price": {"park", tyProtest, "any", "园区食堂涨价菜品单一",
		"园区食堂近期套餐每份涨价 3 元，菜品却越来越少，员工意见很大，希望园区监督食堂承包方。",
		"园区已约谈食堂承包方，要求公示成本和价格，并增加菜品。",
		"食堂已恢复原价，每日菜品增至 12 种，园区每月组织一次就餐满意度评议。"},
	"shuttle": {"park", tyIdea, "any", "建议园区统筹开通通勤班车",
		"{park}离居住区较远，建议园区管理方统筹企业需求，开通早晚通勤班车，费用由企业分摊。",
		"园区已向入驻企业发放需求问卷，初步统计约 400 人有乘车需求。",
		"园区通勤班车已开通 3 条线路，企业按乘车人数分摊费用。"},

	// 政策咨询
	"sme-award": {"policy", tyAsk, "any", "咨询专精特新企业奖励申报时间",
		"我司今年被认定为省级专精特新中小企业，想了解区里的奖励标准和申报时间，需要准备哪些材料。",
		"区对新认定的省级专精特新中小企业一次性奖励 20 万元，国家级专精特新“小巨人”奖励 50 万元。申报通知预计下月发布，需提供认定文件和上年度审计报告。",
		"申报通知发布后已第一时间推送给贵司，贵司已在线提交申报。"},
	"first-stat": {"policy", tyAsk, "any", "咨询首次纳入规上统计的奖励",
		"我司今年营业收入预计突破 2000 万元，可能达到规上标准。请问首次纳入规上统计有什么奖励，怎么申报入统。",
		"首次入统的工业企业奖励 10 万元、服务业企业奖励 5 万元；入统由统计部门按月审核，可请区发改局统计科辅导申报。",
		"已安排统计科上门辅导，贵司已提交入统申报材料。"},
	"port-subsidy": {"policy", tyAsk, "port", "咨询海铁联运运营补贴政策",
		"我司经营海铁联运业务，听说区里有港口物流运营补贴，想了解补贴对象、标准和今年的申报时间。",
		"海铁联运按每标箱 100 元补贴，单个企业年度最高 300 万元，每年一季度申报上一年度业务量。",
		"已向贵司发送政策原文和申报模板，并提醒一季度按时申报。"},
	"expo": {"policy", tyAsk, "jewelry", "咨询参加国际珠宝展的展位费补贴",
		"我司计划参加明年的国际珠宝展，想了解区里对企业参展的展位费补贴标准，是否需要事先备案。",
		"参加区重点展会目录内的展会，可按展位费 50% 补贴，单个展会最高 10 万元，需在参展前 30 天备案。",
		"贵司已完成参展备案，展会结束后凭发票和参展照片申领补贴。"},
	"hitech-award": {"policy", tyAsk, "tech", "咨询高新技术企业认定奖励",
		"我司今年首次通过高新技术企业认定，请问区里的认定奖励什么时候发放，是否需要申请。",
		"首次认定的高新技术企业奖励 20 万元，实行“免申即享”，根据认定名单直接拨付，预计年底前到账。",
		"已确认贵司在奖励名单中，资金将在年底前拨付。"},
	"digital": {"policy", tyAsk, "maker", "咨询数字化改造项目补贴",
		"我司计划上线仓储管理系统和自动分拣线，总投资约 600 万元，想了解数字化改造补贴的比例和申报条件。",
		"数字化改造项目按设备和软件投资额的 15% 补贴，最高 200 万元，项目需在申报前完成立项备案。",
		"已辅导贵司完成项目备案，项目完工后即可申报补贴。"},
	"voucher": {"policy", tyAsk, "tourism", "咨询文旅消费券活动商户报名",
		"我司经营的酒店想参加区里的文旅消费券活动，请问怎么报名，核销资金多久结算。",
		"商户可在“海湾文旅”小程序报名，审核 3 个工作日；消费券核销资金每周结算一次。",
		"贵司已报名并通过审核，已纳入本期消费券适用商户名单。"},
	"export-credit": {"policy", tyAsk, "port", "咨询出口信用保险保费补贴",
		"我司出口业务增长较快，想投保短期出口信用保险，请问区里对保费有没有补贴，怎么申请。",
		"区对企业投保短期出口信用保险的保费按 50% 补贴，单个企业年度最高 50 万元，年底前凭保单和缴费凭证申报。",
		"已为贵司对接中国信保海湾营业部，贵司已完成投保。"},

	// 其他
	"station": {"other", tyIdea, "any", "建议在企业集中区设置政务自助终端",
		"{park}企业多，办理社保、公积金等业务都要跑到街道办事大厅。建议在园区服务中心设置政务自助终端。",
		"街道已与政务服务中心对接，拟在园区服务中心投放 2 台综合自助终端。",
		"2 台政务自助终端已在园区服务中心投入使用，可办理社保、公积金等 120 余项业务。"},
	"relocation": {"other", tyHelp, "any", "企业迁入后登记变更事项咨询办理",
		"我司刚从外区迁入{sd}，需要办理税务、社保、公积金等登记迁移，事项多、部门多，希望有人统一指导。",
		"街道企业服务站已安排专人对接，列出了迁移事项清单，可在政务服务中心“迁入专窗”一次办理。",
		"贵司税务、社保、公积金迁移已全部办完。"},
	"volunteer": {"other", tyAsk, "any", "咨询组织员工志愿服务活动的场地",
		"我司党支部计划组织员工到海滩开展清洁志愿活动，想了解需要向哪个部门报备，能否借用场地。",
		"海滩公益活动需提前 5 个工作日向滨海旅游服务区管理处报备，可免费借用服务区广场作为集合点。",
		"贵司志愿活动已报备，活动当天服务区安排了引导人员。"},
	"hotline-loop": {"other", tyProtest, "any", "热线反映的问题被反复转办无人答复",
		"我司两个月前通过 12345 反映园区门口路灯不亮，工单在几个单位之间转来转去，至今没人答复，路灯也没修。",
		"已查明路灯属街道管养，前期工单派错了单位，已安排维修队到场。",
		"路灯已修复，街道已对工单多次转办的问题进行通报。"},
	"power": {"other", tyHelp, "maker", "厂区用电增容报装进度慢",
		"我司新增生产线需要用电增容 800 千伏安，报装两个月了，供电公司说要等线路改造，影响投产。",
		"街道已协调供电公司现场办公，供电公司同意先从邻近线路临时接入。",
		"临时接入已完成，生产线已按期投产；线路改造预计下季度完工后转为正式供电。"},
	"security": {"other", tyHelp, "any", "园区周边夜间治安需要加强",
		"{park}周边路段夜间照明差，最近发生两起车辆被盗，员工夜班下班不安全，希望加强巡逻。",
		"街道已协调派出所在夜间增加巡逻频次，并安排维修路灯。",
		"路灯已修复，派出所在园区门口设置夜间巡逻点，近一个月未再发生盗窃。"},
}

// demoMeeting is a joint meeting or micro-forum the liaisons and the
// district's service centre collected requests at.
type demoMeeting struct {
	ch    portal.Channel
	chain string
	ago   int    // days before the seeding clock it was held
	name  string // the source name; %d年%d月 is its year and month
}

var demoMeetings = map[string]demoMeeting{
	"port-joint":    {portal.ChannelJointMeeting, "chain-port", 41, "%d年%d月港口物流产业链联席会议"},
	"jewelry-joint": {portal.ChannelJointMeeting, "chain-jewelry", 53, "%d年%d月黄金珠宝产业链联席会议"},
	"health-joint":  {portal.ChannelJointMeeting, "chain-health", 19, "%d年%d月生命健康产业链联席会议"},
	"jewelry-forum": {portal.ChannelMicroForum, "chain-jewelry", 27, "%d年%d月黄金珠宝产业微论坛（融资对接专场）"},
	"tourism-forum": {portal.ChannelMicroForum, "chain-tourism", 12, "%d年%d月滨海旅游产业微论坛"},
	"port-forum":    {portal.ChannelMicroForum, "chain-port", 6, "%d年%d月港口物流微论坛（通关与运输）"},
}

// step is one thing done to a demo request after it was filed.
type step int

const (
	stDispatch     step = iota // to the first department
	stDispatchThen             // to the second department, after a return or an escalation
	stRedispatch               // from the first department to the second
	stSign
	stReply
	stResolve
	stReturn
	stSuspend
	stResume
	stWithdraw
	stEscalate
)

// lifecycle is what happened to a request after it was filed.
type lifecycle []step

// The lives demo requests have led.
var (
	lifeNew           = lifecycle{}
	lifeDispatched    = lifecycle{stDispatch}
	lifeSigned        = lifecycle{stDispatch, stSign}
	lifeReplied       = lifecycle{stDispatch, stSign, stReply}
	lifeResolved      = lifecycle{stDispatch, stSign, stReply, stResolve}
	lifeAnswered      = lifecycle{stDispatch, stSign, stResolve} // a consultation answered at once
	lifeReturned      = lifecycle{stDispatch, stReturn}
	lifeRerouted      = lifecycle{stDispatch, stReturn, stDispatchThen, stSign, stReply, stResolve}
	lifeReassigned    = lifecycle{stDispatch, stReturn, stDispatchThen}
	lifeRedispatched  = lifecycle{stDispatch, stRedispatch}
	lifeRedone        = lifecycle{stDispatch, stRedispatch, stSign, stResolve}
	lifeSuspended     = lifecycle{stDispatch, stSign, stSuspend}
	lifeResumed       = lifecycle{stDispatch, stSign, stSuspend, stResume, stReply, stResolve}
	lifeWithdrawn     = lifecycle{stWithdraw}
	lifeWithdrawnFar  = lifecycle{stDispatch, stWithdraw}
	lifeEscalated     = lifecycle{stDispatch, stSign, stEscalate}
	lifeEscalatedUp   = lifecycle{stDispatch, stSign, stEscalate, stDispatchThen}
	lifeEscalatedDone = lifecycle{stDispatch, stSign, stEscalate, stDispatchThen, stSign, stReply, stResolve}
)

// demoStory is one demo request and its life.
type demoStory struct {
	m      string         // key of the matter
	ent    string         // the enterprise; "" picks one the matter fits
	ch     portal.Channel // "" takes the channel of the meeting in src
	src    string         // key of the meeting it was raised at
	life   lifecycle
	ago    int         // days before the seeding clock it was filed
	first  string      // the department first dispatched to; "" follows the routing rules
	then   string      // the second department (after a return, redispatch or escalation)
	up     portal.Tier // the tier an escalation asks for; "" is the tier of then
	why    string      // the reason of the return, redispatch, suspension, withdrawal or escalation
	urgent bool
	// kids are the same matter raised by neighbours a day or two later,
	// which the dispatcher merges into this one; they close with it when
	// it is resolved.
	kids []demoStory
}

// Reasons used by several stories.
const (
	whySuspendDocs = "需企业补充相关合同和缴费凭证的扫描件，待企业提交后继续办理"
	whyResume      = "企业已补齐材料，恢复办理"
	whyMerge       = "同一地点反映的同类问题，并入主诉求统一办理"
	whyWithdraw    = "企业表示问题已自行解决，申请撤回"
)

// demoStories are the demo district's requests over the last two months.
var demoStories = []demoStory{
	// 海湾国际物流 (ent-001) files for itself through the portal.
	{m: "pass", ent: "ent-001", ch: portal.ChannelPortal, life: lifeResolved, ago: 47},
	{m: "bridge", ent: "ent-001", ch: portal.ChannelPortal, life: lifeReplied, ago: 9, urgent: true},
	{m: "hiring", ent: "ent-001", ch: portal.ChannelPortal, life: lifeSigned, ago: 3},
	{m: "sme-award", ent: "ent-001", ch: portal.ChannelPortal, life: lifeAnswered, ago: 33},
	{m: "charger", ent: "ent-001", ch: portal.ChannelPortal, life: lifeEscalated, ago: 8, then: "sd-haigang",
		why: "增设快充桩需要电力增容和道路开挖，超出园区协调能力，申请由街道统筹"},
	{m: "first-stat", ent: "ent-001", ch: portal.ChannelPortal, life: lifeNew, ago: 0},
	{m: "canteen-hours", ent: "ent-001", ch: portal.ChannelPortal, life: lifeWithdrawn, ago: 20,
		why: "已与食堂直接沟通，夜宵窗口下周开放，撤回本诉求"},
	{m: "guarantee-fee", ent: "ent-001", ch: portal.ChannelPortal, life: lifeSuspended, ago: 14, why: whySuspendDocs},

	// 金沙珠宝 (ent-002) files for itself through the portal.
	{m: "gold-lease", ent: "ent-002", ch: portal.ChannelPortal, life: lifeAnswered, ago: 38},
	{m: "jewelry-space", ent: "ent-002", ch: portal.ChannelPortal, life: lifeReplied, ago: 8},
	{m: "expo", ent: "ent-002", ch: portal.ChannelPortal, life: lifeAnswered, ago: 24},
	{m: "designer-title", ent: "ent-002", ch: portal.ChannelPortal, life: lifeSigned, ago: 4},
	{m: "credit-repair", ent: "ent-002", ch: portal.ChannelPortal, life: lifeResolved, ago: 29},
	{m: "interest", ent: "ent-002", ch: portal.ChannelPortal, life: lifeNew, ago: 1},
	{m: "apartment", ent: "ent-002", ch: portal.ChannelPortal, life: lifeWithdrawnFar, ago: 16,
		why: "公司已为新员工租到宿舍，暂不申请人才公寓"},

	// 港口物流产业链联席会议.
	{m: "gate", src: "port-joint", life: lifeResolved, kids: []demoStory{
		{ch: portal.ChannelHotline}, {ch: portal.ChannelPhone}}},
	{m: "coldstore-expand", src: "port-joint", life: lifeResolved},
	{m: "job-fair", src: "port-joint", life: lifeResolved},
	{m: "port-subsidy", src: "port-joint", life: lifeAnswered},
	{m: "cold-mortgage", src: "port-joint", life: lifeResolved},
	{m: "stop", src: "port-joint", life: lifeReplied},
	{m: "detour", src: "port-joint", life: lifeEscalatedDone, then: "dept-trans",
		why: "施工围挡涉及市政道路占用审批，需区交通运输局协调建设单位"},
	{m: "parking", ent: "ent-018", src: "port-joint", life: lifeResolved, kids: []demoStory{
		{ch: portal.ChannelHotline}, {ch: portal.ChannelWeChat}}},

	// 黄金珠宝产业链联席会议 and 微论坛.
	{m: "gold-test", src: "jewelry-joint", life: lifeAnswered},
	{m: "rent-hike", src: "jewelry-joint", life: lifeResolved},
	{m: "factory-rent", src: "jewelry-joint", life: lifeAnswered},
	{m: "repeat-inspect", src: "jewelry-joint", life: lifeResolved},
	{m: "title-deed", src: "jewelry-joint", life: lifeReplied},
	{m: "gold-lease", src: "jewelry-forum", life: lifeAnswered},
	{m: "bridge", src: "jewelry-forum", life: lifeResolved},
	{m: "subsidy-reject", src: "jewelry-forum", life: lifeResolved},
	{m: "interest", src: "jewelry-forum", life: lifeSuspended, why: "需企业提供新招用人员的劳动合同和参保证明，待企业补充后继续办理"},
	{m: "first-loan", src: "jewelry-forum", life: lifeReplied},

	// 生命健康产业链联席会议.
	{m: "device-record", src: "health-joint", life: lifeResolved},
	{m: "talent-cert", src: "health-joint", life: lifeReplied},
	{m: "gmp", src: "health-joint", life: lifeSigned},
	{m: "apartment", ent: "ent-007", src: "health-joint", life: lifeDispatched},
	{m: "hitech-award", src: "health-joint", life: lifeRedispatched, first: "dept-drc", then: "dept-sci",
		why: "高新技术企业认定奖励由区科技创新局兑现，改派科技创新局"},

	// 滨海旅游产业微论坛.
	{m: "voucher", src: "tourism-forum", life: lifeAnswered},
	{m: "scenic-inspect", ent: "ent-011", src: "tourism-forum", life: lifeDispatched},
	{m: "food-license", src: "tourism-forum", life: lifeReplied},
	{m: "social-subsidy", src: "tourism-forum", life: lifeSigned},
	{m: "road", ent: "ent-011", src: "tourism-forum", life: lifeDispatched},

	// 港口物流微论坛 (last week).
	{m: "nev", src: "port-forum", life: lifeSigned},
	{m: "pass", src: "port-forum", life: lifeDispatched},
	{m: "export-credit", src: "port-forum", life: lifeReplied},
	{m: "stable-job", src: "port-forum", life: lifeAnswered},
	{m: "tickets", src: "port-forum", life: lifeDispatched},
	{m: "night", src: "port-forum", life: lifeDispatched},

	// Company visits by the liaisons and the district's leaders.
	{m: "bus", ent: "ent-001", ch: portal.ChannelVisit, life: lifeResolved, ago: 44},
	{m: "coldstore-expand", ent: "ent-003", ch: portal.ChannelVisit, life: lifeReplied, ago: 21},
	{m: "gate", ent: "ent-004", ch: portal.ChannelVisit, life: lifeDispatched, ago: 4},
	{m: "stop", ent: "ent-010", ch: portal.ChannelVisit, life: lifeSigned, ago: 5},
	{m: "neighbor-noise", ch: portal.ChannelVisit, life: lifeResolved, ago: 36},
	{m: "wage", ch: portal.ChannelVisit, life: lifeEscalatedDone, ago: 31, then: "dept-hrss",
		why: "分包商拒不支付，需劳动保障监察立案处理，申请升级至区人力资源和社会保障局"},
	{m: "jewelry-space", ch: portal.ChannelVisit, life: lifeResolved, ago: 50},
	{m: "gold-test", ch: portal.ChannelVisit, life: lifeSigned, ago: 6},
	{m: "talent-cert", ch: portal.ChannelVisit, life: lifeSuspended, ago: 18,
		why: "需企业补充研发总监近两年个税记录和学位认证报告，待企业提交后继续办理"},
	{m: "digital", ch: portal.ChannelVisit, life: lifeRedone, ago: 26, first: "dept-drc", then: "dept-miit",
		why: "数字化改造补贴由区工业和信息化局受理，改派工信局"},
	{m: "hitech-award", ch: portal.ChannelVisit, life: lifeNew, ago: 1},
	{m: "plot-ratio", ch: portal.ChannelVisit, life: lifeSuspended, ago: 23,
		why: "需企业提供加建方案和原规划许可证复印件，待企业补充后继续办理"},
	{m: "power", ch: portal.ChannelVisit, life: lifeResolved, ago: 35},
	{m: "relocation", ch: portal.ChannelVisit, life: lifeReturned, ago: 5,
		why: "经核实企业实际经营地址在东湾街道，请改派企业实际经营地所在街道办理"},
	{m: "cold-mortgage", ch: portal.ChannelVisit, life: lifeResumed, ago: 39, why: whySuspendDocs},

	// 12345 热线 forwarded to the district's service centre.
	{m: "noise", ch: portal.ChannelHotline, life: lifeEscalated, ago: 7, then: "dept-housing",
		why: "工地属市重点项目，夜间施工许可由区住房和建设局核发，需住建局处理"},
	{m: "noise", ch: portal.ChannelHotline, life: lifeResolved, ago: 28},
	{m: "block", ch: portal.ChannelHotline, life: lifeResolved, ago: 45},
	{m: "block", ch: portal.ChannelHotline, life: lifeWithdrawnFar, ago: 17},
	{m: "hotline-loop", ch: portal.ChannelHotline, life: lifeResolved, ago: 32},
	{m: "hotline-loop", ch: portal.ChannelHotline, life: lifeDispatched, ago: 0},
	{m: "night", ch: portal.ChannelHotline, life: lifeEscalatedDone, ago: 34, then: "dept-trans",
		why: "限行措施由区交通运输局会同交警制定，街道无权调整，申请升级", kids: []demoStory{
			{ch: portal.ChannelHotline}, {ch: portal.ChannelLetter}}},
	{m: "road", ch: portal.ChannelHotline, life: lifeDispatched, ago: 9},
	{m: "road", ch: portal.ChannelHotline, life: lifeEscalatedUp, ago: 15, then: "dept-housing",
		why: "主干道属市政道路，需区住房和建设局安排大修，申请升级"},
	{m: "canteen-price", ch: portal.ChannelHotline, life: lifeDispatched, ago: 2},
	{m: "security", ch: portal.ChannelHotline, life: lifeEscalated, ago: 4, up: portal.TierA,
		why: "治安巡逻需公安分局统筹警力，申请升级至区级协调"},
	{m: "tickets", ch: portal.ChannelHotline, life: lifeNew, ago: 0},
	{m: "repeat-docs", ch: portal.ChannelHotline, life: lifeRerouted, ago: 30, first: "dept-drc", then: "dept-samr",
		why: "窗口服务和许可办理由区市场监督管理局负责，不属本局职责，请改派"},
	{m: "penalty-scale", ch: portal.ChannelHotline, life: lifeSigned, ago: 2},
	{m: "debt", ch: portal.ChannelHotline, life: lifeNew, ago: 2},

	// Phone calls to the service centre or the enterprise's liaison.
	{m: "social-subsidy", ch: portal.ChannelPhone, life: lifeResolved, ago: 42},
	{m: "social-subsidy", ch: portal.ChannelPhone, life: lifeSuspended, ago: 11,
		why: "需企业提供两名员工的劳动合同和身份证明，待企业补充后继续办理"},
	{m: "first-offense", ch: portal.ChannelPhone, life: lifeWithdrawn, ago: 13, why: "已收到不予处罚决定，无需再协调"},
	{m: "meter-cycle", ch: portal.ChannelPhone, life: lifeReturned, ago: 3, first: "dept-trans",
		why: "计量器具强制检定属市场监管部门职责，不属本局职责，请改派区市场监督管理局"},
	{m: "eia", ch: portal.ChannelPhone, life: lifeReturned, ago: 6,
		why: "环评审批由市生态环境局海湾管理局负责，不属本局职责，请改派或转市级部门"},
	{m: "fire-accept", ch: portal.ChannelPhone, life: lifeReassigned, ago: 10, then: "dept-housing",
		why: "建设工程消防验收由区住房和建设局负责，请改派"},
	{m: "scope-change", ch: portal.ChannelPhone, life: lifeSuspended, ago: 9,
		why: "新经营范围需企业股东会决议，待企业补充后继续办理"},
	{m: "guarantee-fee", ch: portal.ChannelPhone, life: lifeResolved, ago: 49},
	{m: "pass", ch: portal.ChannelPhone, life: lifeDispatched, ago: 5},
	{m: "nev", ch: portal.ChannelPhone, life: lifeReplied, ago: 4},
	{m: "utility", ch: portal.ChannelPhone, life: lifeEscalated, ago: 6, then: "sd-haigang",
		why: "物业公司隶属园区外业主单位，园区无法约束，申请街道协调"},
	{m: "first-loan", ch: portal.ChannelPhone, life: lifeNew, ago: 1},
	{m: "stable-job", ch: portal.ChannelPhone, life: lifeRerouted, ago: 22, first: "dept-fin", then: "dept-hrss",
		why: "稳岗返还属失业保险业务，由区人力资源和社会保障局办理，请改派"},

	// WeChat messages to the liaison or the service centre's account.
	{m: "broadband", ch: portal.ChannelWeChat, life: lifeSigned, ago: 5, kids: []demoStory{
		{ch: portal.ChannelWeChat}, {ch: portal.ChannelPhone}}},
	{m: "utility", ch: portal.ChannelWeChat, life: lifeResolved, ago: 27},
	{m: "canteen-hours", ch: portal.ChannelWeChat, life: lifeResolved, ago: 46},
	{m: "charger", ch: portal.ChannelWeChat, life: lifeDispatched, ago: 1},
	{m: "shuttle", ch: portal.ChannelWeChat, life: lifeReturned, ago: 4,
		why: "通勤班车需跨园区统筹线路和经费，建议改由海港街道牵头"},
	{m: "intern", ch: portal.ChannelWeChat, life: lifeReplied, ago: 12},
	{m: "expo", ch: portal.ChannelWeChat, life: lifeNew, ago: 0},
	{m: "rent-hike", ch: portal.ChannelWeChat, life: lifeWithdrawn, ago: 35, why: "业主已同意维持原租金续租，撤回诉求"},
	{m: "voucher", ch: portal.ChannelWeChat, life: lifeWithdrawnFar, ago: 19},
	{m: "parking", ch: portal.ChannelWeChat, life: lifeDispatched, ago: 7, kids: []demoStory{
		{ch: portal.ChannelHotline}}},
	{m: "canteen-price", ent: "ent-051", ch: portal.ChannelWeChat, life: lifeReturned, ago: 2, first: "p-logistics",
		why: "反映的食堂不在本园区，请改派企业所在社区"},

	// Letters.
	{m: "title-deed", ch: portal.ChannelLetter, life: lifeResolved, ago: 55},
	{m: "station", ch: portal.ChannelLetter, life: lifeResolved, ago: 38},
	{m: "station", ch: portal.ChannelLetter, life: lifeNew, ago: 3},
	{m: "repeat-inspect", ch: portal.ChannelLetter, life: lifeReplied, ago: 16},
	{m: "designer-title", ch: portal.ChannelLetter, life: lifeDispatched, ago: 6},
	{m: "volunteer", ch: portal.ChannelLetter, life: lifeReturned, ago: 8,
		why: "海滩场地由滨海旅游服务区管理，不在本街道辖区，请改派"},
	{m: "wage", ch: portal.ChannelLetter, life: lifeReplied, ago: 3, kids: []demoStory{{ch: portal.ChannelHotline}}},

	// More calls, messages and letters from across the district.
	{m: "ip-pledge", ch: portal.ChannelLetter, life: lifeNew, ago: 4},
	{m: "foreign-permit", ch: portal.ChannelPhone, life: lifeReturned, ago: 7,
		why: "外国人来华工作许可由区科技创新局（外专窗口）受理，不属本局职责，请改派"},
	{m: "foreign-permit", ch: portal.ChannelWeChat, life: lifeResolved, ago: 41},
	{m: "device-record", ch: portal.ChannelHotline, life: lifeWithdrawn, ago: 26},
	{m: "power", ch: portal.ChannelPhone, life: lifeDispatched, ago: 8},
	{m: "digital", ch: portal.ChannelPhone, life: lifeReturned, ago: 9, first: "dept-plan",
		why: "数字化改造补贴由区工业和信息化局受理，不属本局职责，请改派"},
	{m: "job-fair", ch: portal.ChannelWeChat, life: lifeSigned, ago: 2},
	{m: "detour", ch: portal.ChannelPhone, life: lifeResolved, ago: 24},
	{m: "plot-ratio", ch: portal.ChannelLetter, life: lifeDispatched, ago: 0},
	{m: "rent-hike", ch: portal.ChannelPhone, life: lifeSigned, ago: 3},
	{m: "gold-test", ch: portal.ChannelPhone, life: lifeNew, ago: 2},
	{m: "repeat-docs", ch: portal.ChannelLetter, life: lifeNew, ago: 1},
	{m: "subsidy-reject", ch: portal.ChannelWeChat, life: lifeSigned, ago: 1},
	{m: "canteen-hours", ch: portal.ChannelHotline, life: lifeNew, ago: 0},
	{m: "sme-award", ch: portal.ChannelLetter, life: lifeWithdrawnFar, ago: 11},
	{m: "job-fair", ch: portal.ChannelLetter, life: lifeRedispatched, ago: 3, first: "dept-drc", then: "dept-hrss",
		why: "招聘会由区人力资源和社会保障局组织，改派人社局"},
	{m: "eia", ch: portal.ChannelWeChat, life: lifeDispatched, ago: 4, first: "dept-drc"},
}

// plannedRequest is a demo request ready to be filed.
type plannedRequest struct {
	ent *portal.Enterprise
	in  portal.RequestInput
}

// plannedOp is one call to the request service at a moment of the story
// clock: filing a request (action "") or acting on it.
type plannedOp struct {
	at     time.Time
	req    int // index into requestPlan.requests
	action portal.Action
	as     string // username of who acts
	in     portal.ActionInput
	master int // merge: index of the master request
}

// requestPlan is every demo request and what happens to it, in time order.
type requestPlan struct {
	requests []plannedRequest
	ops      []plannedOp
}

// requestPlanner turns the stories into a plan for one seeding moment.
type requestPlanner struct {
	now, cutoff time.Time
	cal         *workcal.Calendar
	ents        []*portal.Enterprise // in the order ties are broken when picking
	byID        map[string]*portal.Enterprise
	used        map[string]int
	units       map[string]*portal.OrgUnit
	rules       []*portal.RoutingRule
	handlers    map[string][]string // unit → usernames of its handlers, heads last
	entUser     map[string]string   // enterprise → username of its staff account
	username    map[string]string   // user id → username
	taskForce   map[string]string   // user id → name of the liaison's task force
	plan        requestPlan
}

// planDemoRequests plans the demo stories for the seeding moment now:
// every operation happens at a working-day office time (enterprises also
// write in the evening and at weekends) within the two months before now.
func planDemoRequests(now time.Time) (*requestPlan, error) {
	cal, err := workcal.New(districtZone, nil, workcal.Builtin())
	if err != nil {
		return nil, err
	}
	p := &requestPlanner{now: now, cutoff: now.Add(-10 * time.Minute), cal: cal, byID: map[string]*portal.Enterprise{},
		used: map[string]int{}, units: map[string]*portal.OrgUnit{}, rules: RoutingRules(), handlers: map[string][]string{},
		entUser: map[string]string{}, username: map[string]string{}, taskForce: map[string]string{}}
	all := Enterprises()
	for _, i := range rand.New(rand.NewPCG(20261101, 17)).Perm(len(all)) {
		p.ents = append(p.ents, all[i])
		p.byID[all[i].ID] = all[i]
	}
	for _, u := range OrgUnits() {
		p.units[u.ID] = u
	}
	tfNames := map[string]string{}
	for _, tf := range TaskForces() {
		tfNames[tf.ID] = tf.Name
	}
	for _, r := range []portal.Role{portal.RoleHandler, portal.RoleDeptHead} {
		for _, u := range Users() {
			if slices.Contains(u.Roles, r) && u.UnitID != "" && !slices.Contains(p.handlers[u.UnitID], u.Username) {
				p.handlers[u.UnitID] = append(p.handlers[u.UnitID], u.Username)
			}
		}
	}
	for _, u := range Users() {
		p.username[u.ID] = u.Username
		p.taskForce[u.ID] = tfNames[u.TaskForceID]
		if slices.Contains(u.Roles, portal.RoleEnterprise) && p.entUser[u.EnterpriseID] == "" {
			p.entUser[u.EnterpriseID] = u.Username
		}
	}
	for i := range demoStories {
		if err := p.story(i, &demoStories[i]); err != nil {
			return nil, fmt.Errorf("demo story %d (%s): %w", i+1, demoStories[i].m, err)
		}
	}
	slices.SortStableFunc(p.plan.ops, func(a, b plannedOp) int { return a.at.Compare(b.at) })
	return &p.plan, nil
}

// route is the department the demo routing rules send a request to: the
// first enabled rule by priority, then by how many conditions it has.
func (p *requestPlanner) route(cat string, typ portal.RequestType, e *portal.Enterprise) string {
	conditions := func(r *portal.RoutingRule) int {
		n := 0
		for _, set := range []bool{r.Category != "", r.RegionID != "", r.Type != ""} {
			if set {
				n++
			}
		}
		return n
	}
	var best *portal.RoutingRule
	for _, r := range p.rules {
		if !r.Enabled || (r.Category != "" && r.Category != cat) || (r.Type != "" && r.Type != typ) ||
			(r.RegionID != "" && r.RegionID != e.SubdistrictID && r.RegionID != e.ParkID) {
			continue
		}
		if best == nil || cmp.Or(cmp.Compare(r.Priority, best.Priority), cmp.Compare(conditions(best), conditions(r)),
			strings.Compare(r.Name, best.Name)) < 0 {
			best = r
		}
	}
	switch {
	case best == nil, best.Target == portal.TargetOwnSubdistrict:
		return e.SubdistrictID
	case best.Target == portal.TargetOwnPark:
		return e.ParkID
	}
	return best.DepartmentID
}

// handlersNeeded returns the departments where the life has a handler act.
func handlersNeeded(life lifecycle, first, then string) []string {
	var out []string
	dept := first
	for _, st := range life {
		switch st {
		case stDispatchThen, stRedispatch:
			dept = then
		case stSign, stReply, stResolve, stReturn, stSuspend, stResume, stEscalate:
			if !slices.Contains(out, dept) {
				out = append(out, dept)
			}
		}
	}
	return out
}

// pick returns the enterprise fitting ok that has the fewest demo
// requests so far, so that the stories spread over the district.
func (p *requestPlanner) pick(ok func(*portal.Enterprise) bool) *portal.Enterprise {
	var best *portal.Enterprise
	for _, e := range p.ents {
		if ok(e) && (best == nil || p.used[e.ID] < p.used[best.ID]) {
			best = e
		}
	}
	if best != nil {
		p.used[best.ID]++
	}
	return best
}

// filer returns who files a request that came in by ch: the enterprise's
// own account on the portal; its liaison for what reached the liaison;
// the district's service centre for the hotline, letters and the rest.
func (p *requestPlanner) filer(ch portal.Channel, e *portal.Enterprise) (string, error) {
	switch {
	case ch == portal.ChannelPortal:
		if u := p.entUser[e.ID]; u != "" {
			return u, nil
		}
		return "", fmt.Errorf("%s has no demo account to file through the portal", e.ID)
	case ch == portal.ChannelHotline || ch == portal.ChannelLetter || e.LiaisonID == "":
		return "dispatcher", nil
	}
	if u := p.username[e.LiaisonID]; u != "" {
		return u, nil
	}
	return "dispatcher", nil
}

// story plans one story and the requests merged into it.
func (p *requestPlanner) story(i int, s *demoStory) error {
	m, ok := demoMatters[s.m]
	if !ok {
		return fmt.Errorf("no matter %q", s.m)
	}
	ch, ago := s.ch, s.ago
	var meeting *demoMeeting
	if s.src != "" {
		mt, ok := demoMeetings[s.src]
		if !ok {
			return fmt.Errorf("no meeting %q", s.src)
		}
		meeting, ch, ago = &mt, mt.ch, mt.ago
	}
	fits := func(e *portal.Enterprise) bool {
		first := cmp.Or(s.first, p.route(m.cat, m.typ, e))
		for _, d := range handlersNeeded(s.life, first, s.then) {
			if len(p.handlers[d]) == 0 {
				return false
			}
		}
		return demoWhere[m.where](e) && (meeting == nil || slices.Contains(e.ChainIDs, meeting.chain))
	}
	var ent *portal.Enterprise
	if s.ent != "" {
		if ent = p.byID[s.ent]; ent == nil {
			return fmt.Errorf("no enterprise %s", s.ent)
		}
		if !fits(ent) {
			return fmt.Errorf("%s does not fit the story", s.ent)
		}
		p.used[ent.ID]++
	} else if ent = p.pick(fits); ent == nil {
		return fmt.Errorf("no enterprise fits")
	}
	if s.then != "" && p.units[s.then] == nil {
		return fmt.Errorf("no unit %s", s.then)
	}
	group := []*portal.Enterprise{ent}
	for _, k := range s.kids {
		km := demoMatters[cmp.Or(k.m, s.m)]
		kid := p.pick(func(e *portal.Enterprise) bool {
			return e.ParkID == ent.ParkID && !slices.Contains(group, e) && demoWhere[km.where](e)
		})
		if kid == nil {
			return fmt.Errorf("no neighbour of %s for a merged request", ent.ID)
		}
		group = append(group, kid)
	}
	base := len(p.plan.requests)
	for j, e := range group {
		st, stm := s, m
		if j > 0 {
			st = &s.kids[j-1]
			stm = demoMatters[cmp.Or(st.m, s.m)]
		}
		c := ch
		if j > 0 {
			c = st.ch
		}
		r := strings.NewReplacer("{park}", p.units[e.ParkID].Name, "{sd}", p.units[e.SubdistrictID].Name)
		p.plan.requests = append(p.plan.requests, plannedRequest{ent: e, in: portal.RequestInput{
			EnterpriseID: e.ID, Title: stm.title, Description: r.Replace(stm.desc), Category: stm.cat,
			Type: stm.typ, Channel: c, Urgent: st.urgent}})
	}
	seed := fnv.New64a()
	fmt.Fprintf(seed, "%d:%s", i, s.m)
	for shift := 0; shift <= 30; shift++ {
		ops, err := p.timeline(seed.Sum64(), s, m, meeting, base, ago+shift)
		if err != nil {
			return err
		}
		if ops[len(ops)-1].at.Before(p.cutoff) {
			p.plan.ops = append(p.plan.ops, ops...)
			return nil
		}
	}
	return fmt.Errorf("does not fit before %v", p.cutoff)
}

// storyClock is the clock a story runs on: it only moves forward, and
// departments act in office hours on working days.
type storyClock struct {
	t   time.Time
	cal *workcal.Calendar
	r   *rand.Rand
}

func (c *storyClock) working(t time.Time) bool {
	return c.cal.IsWorkingDay(workcal.DateOf(t, districtZone))
}

// set puts the clock on day between from and to (minutes after midnight).
func (c *storyClock) set(day time.Time, from, to int) {
	y, m, d := day.In(districtZone).Date()
	c.t = time.Date(y, m, d, 0, 0, 0, 0, districtZone).
		Add(time.Duration(from+c.r.IntN(to-from+1))*time.Minute + time.Duration(c.r.IntN(60))*time.Second)
}

// workday returns day, or the last working day before it.
func (c *storyClock) workday(day time.Time) time.Time {
	for !c.working(day) {
		day = day.AddDate(0, 0, -1)
	}
	return day
}

// office moves the clock on by lo to hi minutes and then, if that is
// outside office hours, to the next moment an office would act.
func (c *storyClock) office(lo, hi int) {
	c.t = c.t.Add(time.Duration(lo+c.r.IntN(hi-lo+1))*time.Minute + time.Duration(1+c.r.IntN(59))*time.Second)
	local := c.t.In(districtZone)
	mins := local.Hour()*60 + local.Minute()
	switch {
	case !c.working(local) || mins >= 17*60+50:
		c.morning(1)
	case mins < 8*60+30:
		c.set(local, 8*60+35, 9*60+40)
	case mins >= 12*60 && mins < 13*60+30:
		c.set(local, 13*60+35, 14*60+30)
	}
}

// morning moves the clock to the morning of the n-th working day after its day.
func (c *storyClock) morning(n int) {
	day := c.t.In(districtZone)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.working(day) {
			n--
		}
	}
	c.set(day, 8*60+35, 10*60+50)
}

// days moves the clock to an office time lo to hi working days later;
// 0 days is later the same day, or the next morning.
func (c *storyClock) days(lo, hi int) {
	if n := lo + c.r.IntN(hi-lo+1); n > 0 {
		c.morning(n)
		c.office(0, 330)
		return
	}
	c.office(40, 300)
}

// late reports whether this step runs late: about one in seven does.
func (c *storyClock) late() bool { return c.r.IntN(7) == 0 }

// timeline schedules one story: its request filed ago days before now
// and its steps, with the merged requests filed and merged on the way.
func (p *requestPlanner) timeline(seed uint64, s *demoStory, m demoMatter, meeting *demoMeeting, base, ago int) ([]plannedOp, error) {
	c := &storyClock{cal: p.cal, r: rand.New(rand.NewPCG(seed, uint64(ago)))}
	ent := p.plan.requests[base].ent
	ch := p.plan.requests[base].in.Channel
	day := p.now.In(districtZone).AddDate(0, 0, -ago)
	switch ch {
	case portal.ChannelPortal, portal.ChannelWeChat:
		if c.r.IntN(10) < 7 {
			c.set(day, 8*60+40, 17*60+40)
		} else {
			c.set(day, 19*60, 22*60+30)
		}
	case portal.ChannelJointMeeting, portal.ChannelMicroForum:
		c.set(c.workday(day), 16*60+40, 18*60+30) // after the meeting
	case portal.ChannelVisit:
		if c.r.IntN(2) == 0 {
			c.set(c.workday(day), 11*60+20, 12*60+10)
		} else {
			c.set(c.workday(day), 16*60+20, 18*60+30)
		}
	default:
		c.set(c.workday(day), 9*60, 17*60+20)
	}
	filer, err := p.filer(ch, ent)
	if err != nil {
		return nil, err
	}
	ops := []plannedOp{{at: c.t, req: base, as: filer}}
	p.source(base, filer, meeting, c.t)

	dept := cmp.Or(s.first, p.route(m.cat, m.typ, ent))
	handler := func(resolve bool) string {
		hs := p.handlers[dept]
		if resolve && len(hs) > 1 && c.r.IntN(2) == 0 {
			return hs[len(hs)-1] // the head signs some resolutions off
		}
		return hs[0]
	}
	up := s.up
	if up == "" && s.then != "" {
		up = p.units[s.then].Tier
	}
	owner := filer
	if u := p.entUser[ent.ID]; u != "" && ch == portal.ChannelPortal {
		owner = u
	}
	kidsAfter := slices.Index(s.life, stSign)
	if kidsAfter < 0 {
		kidsAfter = slices.Index(s.life, stDispatch)
	}
	replied := false
	act := func(action portal.Action, as string, in portal.ActionInput) {
		ops = append(ops, plannedOp{at: c.t, req: base, action: action, as: as, in: in})
	}
	mergeKids := func() error {
		for j := range s.kids {
			kid := base + 1 + j
			c.days(1, 2)
			kf, err := p.filer(s.kids[j].ch, p.plan.requests[kid].ent)
			if err != nil {
				return err
			}
			ops = append(ops, plannedOp{at: c.t, req: kid, as: kf})
			p.source(kid, kf, nil, c.t)
			c.office(25, 150)
			ops = append(ops, plannedOp{at: c.t, req: kid, action: portal.ActMerge, as: "dispatcher",
				in: portal.ActionInput{Reason: whyMerge}, master: base})
		}
		return nil
	}
	if kidsAfter < 0 {
		if err := mergeKids(); err != nil {
			return nil, err
		}
	}
	for k, st := range s.life {
		switch st {
		case stDispatch:
			c.office(20, 170)
			act(portal.ActDispatch, "dispatcher", portal.ActionInput{Department: dept})
		case stDispatchThen:
			c.office(30, 200)
			dept = s.then
			act(portal.ActDispatch, "dispatcher", portal.ActionInput{Department: dept})
		case stRedispatch:
			c.office(60, 400)
			dept = s.then
			act(portal.ActRedispatch, "dispatcher", portal.ActionInput{Department: dept, Reason: s.why})
		case stSign:
			switch {
			case s.urgent:
				c.office(10, 60) // the urgent limit is hours, not a day
			case c.late():
				c.morning(1)
			default:
				c.office(15, 150)
			}
			act(portal.ActSign, handler(false), portal.ActionInput{})
		case stReply:
			if c.late() {
				c.days(2, 3)
			} else {
				c.days(0, 0)
			}
			replied = true
			act(portal.ActReply, handler(false), portal.ActionInput{Text: m.reply})
		case stResolve:
			text := m.done
			switch {
			case !replied:
				c.days(0, 1)
				text = m.reply + "\n" + m.done
			case c.late():
				c.days(3, 6)
			default:
				c.days(1, 2)
			}
			act(portal.ActResolve, handler(true), portal.ActionInput{Text: text})
		case stReturn:
			c.office(40, 420)
			act(portal.ActReturn, handler(false), portal.ActionInput{Reason: s.why})
		case stSuspend:
			c.days(1, 2)
			act(portal.ActSuspend, handler(false), portal.ActionInput{Reason: s.why})
		case stResume:
			c.days(3, 6)
			act(portal.ActResume, handler(false), portal.ActionInput{Reason: whyResume})
		case stWithdraw:
			c.office(60, 900)
			act(portal.ActWithdraw, owner, portal.ActionInput{Reason: cmp.Or(s.why, whyWithdraw)})
		case stEscalate:
			c.days(1, 2)
			act(portal.ActEscalate, handler(false), portal.ActionInput{Tier: up, Reason: s.why})
		}
		if k == kidsAfter {
			if err := mergeKids(); err != nil {
				return nil, err
			}
		}
	}
	return ops, nil
}

// source names the meeting, forum or visit request req was raised at on
// the day of at.
func (p *requestPlanner) source(req int, filer string, meeting *demoMeeting, at time.Time) {
	in := &p.plan.requests[req].in
	local := at.In(districtZone)
	switch {
	case meeting != nil:
		in.SourceName = fmt.Sprintf(meeting.name, local.Year(), local.Month())
		in.SourceID = demoMeetingID(meeting) // meetings.go seeds the meeting itself
	case in.Channel == portal.ChannelVisit:
		in.SourceID = demoVisitID(p.plan.requests[req].ent.ID, local)
		who := "区领导挂点"
		for id, u := range p.username {
			if u == filer && p.taskForce[id] != "" {
				who = p.taskForce[id]
			}
		}
		in.SourceName = fmt.Sprintf("%d年%d月企业走访（%s）", local.Year(), local.Month(), who)
	}
}

// SeedRequests files the demo requests through svc, acting as the demo
// users, and plays their stories on a clock running over the two months
// before now; it returns how many it filed. It files nothing, and
// returns 0, when the store already holds any request: the demo is loaded
// once, into a district that has none. The demo users and enterprises
// must be stored already. The search index is not written (see clocked):
// the caller indexes the requests afterwards.
func SeedRequests(ctx context.Context, svc *portal.RequestService, now time.Time) (int, error) {
	_, total, err := svc.Store.FindRequests(ctx, portal.RequestFilter{Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("look for requests: %w", err)
	}
	if total > 0 {
		return 0, nil
	}
	plan, err := planDemoRequests(now)
	if err != nil {
		return 0, err
	}
	actors := map[string]context.Context{}
	for _, op := range plan.ops {
		if actors[op.as] == nil {
			u, err := svc.Users.FindUserByUsername(ctx, op.as)
			if err != nil {
				return 0, fmt.Errorf("demo user %s: %w", op.as, err)
			}
			actors[op.as] = portal.WithActor(ctx, u.Actor())
		}
	}
	// Every call runs in the order of the story clocks, as the district
	// would have made them: numbers follow filing order, and on the
	// embedded database, where each call reads the whole collection, it
	// costs far less than filing everything first.
	ids := make([]string, len(plan.requests))
	var at time.Time
	s := clocked(svc, func() time.Time { return at })
	for _, op := range plan.ops {
		at = op.at
		// Users would long have read what older changes told them; only
		// the last days' changes leave unread notifications, and skipping
		// the rest saves a third of the seeding.
		s.Notify = nil
		if now.Sub(at) < demoUnreadFor {
			s.Notify = svc.Notify
		}
		req := plan.requests[op.req]
		if op.action == "" {
			r, err := s.File(actors[op.as], req.in, nil)
			if err != nil {
				return 0, fmt.Errorf("file demo request %q for %s: %w %v", req.in.Title, req.ent.ID, err, portal.ErrorFields(err))
			}
			ids[op.req] = r.ID
			continue
		}
		in := op.in
		if op.action == portal.ActMerge {
			in.MasterID = ids[op.master]
		}
		if _, err := s.Act(actors[op.as], ids[op.req], op.action, in); err != nil {
			return 0, fmt.Errorf("demo request %q for %s: %s as %s: %w %v", req.in.Title, req.ent.ID, op.action, op.as,
				err, portal.ErrorFields(err))
		}
	}
	return len(ids), nil
}

// demoUnreadFor is how far back the demo's changes notify their users.
const demoUnreadFor = 72 * time.Hour

// clocked returns a copy of svc (and of its auditor) whose clock is now
// and which leaves the search index alone: writing it once per change
// would cost more than all the rest, so the caller indexes the seeded
// requests in one batch afterwards.
func clocked(svc *portal.RequestService, now func() time.Time) *portal.RequestService {
	c := *svc
	c.Now, c.Index = now, nil
	if svc.Audit != nil {
		a := *svc.Audit
		a.Now = now
		c.Audit = &a
	}
	return &c
}
