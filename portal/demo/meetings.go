package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// demoMeetingIDs names the stored meeting of each meeting in
// demoMeetings: the requests raised there carry it as their source id.
var demoMeetingIDs = map[string]string{
	"port-joint": "mtg-chain-port-1", "port-forum": "mtg-chain-port-2",
	"jewelry-joint": "mtg-chain-jewelry-1", "jewelry-forum": "mtg-chain-jewelry-2",
	"health-joint": "mtg-chain-health-2", "tourism-forum": "mtg-chain-tourism-2",
}

// demoMeetingID returns the id of the stored meeting m stands for.
func demoMeetingID(m *demoMeeting) string {
	for key, x := range demoMeetings {
		if x.name == m.name {
			return demoMeetingIDs[key]
		}
	}
	return ""
}

// demoVisitID is the id of the visit to an enterprise on a day: the
// requests raised there carry it as their source id.
func demoVisitID(enterpriseID string, day time.Time) string {
	return "vis-" + enterpriseID + "-" + day.In(districtZone).Format("20060102")
}

// demoTopic is a topic collected for an upcoming demo meeting.
type demoTopic struct {
	ent, title, desc string
	byID, by         string // "" submits as the enterprise's contact
	linkOpen         bool   // link an open request of the chain instead
}

// meetingPlan is one demo meeting.
type meetingPlan struct {
	id       string
	key      string // the demoMeetings entry whose requests date it; "" for none
	typ      portal.MeetingType
	title    string // with %d年%d月 for the year and month, for a meeting without key
	ago      int    // days before now, for a meeting without key; negative: days ahead
	by       string // who arranged it
	convener string
	place    string
	depts    []string
	ents     []string
	agenda   string
	minutes  string
	topics   []demoTopic
}

// meetingPlans are the demo meetings: for each chain two held, with
// minutes, and one to come, with topics collected.
var meetingPlans = []meetingPlan{
	{id: "mtg-chain-port-1", key: "port-joint", typ: portal.MeetingJoint, by: "u-committee", convener: "dept-trans",
		place: "区政府三楼第一会议室", depts: []string{"dept-trans", "dept-hrss", "dept-fin", "sd-haigang", "p-logistics"},
		ents:   []string{"ent-001", "ent-003", "ent-004", "ent-010"},
		agenda: "一、通报上季度议定事项落实情况；\n二、港区周边货车通行和停车问题；\n三、冷链仓储扩容与融资需求；\n四、企业用工和招聘对接。",
		minutes: "会议由港口物流产业链党委书记主持，区交通运输局、区人力资源和社会保障局、区金融工作局、海港街道、海港物流园及 4 家链上企业参加。\n" +
			"一、港区闸口拥堵：由区交通运输局牵头，海港街道配合，一个月内完成闸口预约进港方案并试运行。\n" +
			"二、港前路货车临时停车：由海港街道牵头，两周内在港前路北侧划设临时停车位。\n" +
			"三、冷链仓储扩容贷款：由区金融工作局牵头，组织 3 家银行上门对接，月底前反馈授信意向。\n" +
			"四、专场招聘会：由区人力资源和社会保障局牵头，下月中旬在物流园举办港航物流专场招聘会。\n" +
			"会上企业现场反映的问题已登记为诉求，按时限办理。"},
	{id: "mtg-chain-port-2", key: "port-forum", typ: portal.MeetingForum, by: "u-liaison", convener: "dept-trans",
		place: "海港物流园企业服务站", depts: []string{"dept-trans", "dept-samr", "p-logistics"},
		ents:   []string{"ent-001", "ent-004", "ent-010"},
		agenda: "通关与运输专场：新能源货车路权、出口信用保险、稳岗补贴申报答疑。",
		minutes: "微论坛由港口物流服务专班组织，企业围绕通关和运输提出 6 个问题，现场解答 2 个，其余登记为诉求。\n" +
			"一、新能源货车进港路权：区交通运输局会后两周内答复可行方案。\n" +
			"二、出口信用保险保费补贴：区金融工作局向企业推送申报指引。\n" +
			"三、下次微论坛主题为港航人才，由专班提前一周征集问题。"},
	{id: "mtg-chain-port-3", typ: portal.MeetingJoint, title: "%d年%d月港口物流产业链联席会议", ago: -6, by: "u-committee",
		convener: "dept-trans", place: "区政府三楼第一会议室", depts: []string{"dept-trans", "dept-hrss", "dept-plan", "sd-haigang"},
		ents:   []string{"ent-001", "ent-003", "ent-004"},
		agenda: "一、上次会议议定事项进展；\n二、港区夜间通行与噪声管控；\n三、冷链仓储用地规划。",
		topics: []demoTopic{
			{ent: "ent-001", title: "港区夜间货车通行证办理周期长", desc: "目前办理需要 10 个工作日，旺季车辆调度受影响，希望缩短到 3 个工作日内。",
				byID: "u-enterprise", by: "陈海燕（海湾国际物流）"},
			{linkOpen: true, byID: "u-liaison", by: "港口物流专班 张联络"},
			{ent: "ent-004", title: "码头周边集卡排队占道", desc: "高峰时段集卡排队延伸到沙头路，存在安全隐患。", byID: "u-committee", by: "港口物流产业链党委 委员"},
		}},
	{id: "mtg-chain-jewelry-1", key: "jewelry-joint", typ: portal.MeetingJoint, by: "u-liaison2", convener: "dept-miit",
		place: "水贝珠宝总部大厦 8 楼会议室", depts: []string{"dept-miit", "dept-samr", "dept-plan", "sd-jinsha", "p-jewelry"},
		ents:   []string{"ent-002", "ent-005", "ent-006"},
		agenda: "一、黄金检测资质与检测周期；\n二、厂房租金上涨；\n三、重复检查和证照办理。",
		minutes: "会议由黄金珠宝产业链党委主持，区工业和信息化局、区市场监督管理局、区规划和自然资源局、金沙街道、黄金珠宝产业园参加。\n" +
			"一、黄金检测周期：由区市场监督管理局牵头，协调检测机构开通加急通道，一个月内落实。\n" +
			"二、厂房租金：由区工业和信息化局牵头，会同产业园研究租金补贴政策，下季度出台。\n" +
			"三、重复检查：由区市场监督管理局牵头推行“综合查一次”，本季度起执行。\n" +
			"四、历史厂房确权：由区规划和自然资源局牵头梳理，两个月内给出办理路径。"},
	{id: "mtg-chain-jewelry-2", key: "jewelry-forum", typ: portal.MeetingForum, by: "u-liaison2", convener: "dept-fin",
		place: "黄金珠宝产业园党群服务中心", depts: []string{"dept-fin", "dept-hrss", "p-jewelry"},
		ents:   []string{"ent-002", "ent-006"},
		agenda: "融资对接专场：黄金租赁、首贷贴息、稳岗补贴。",
		minutes: "融资对接微论坛邀请 4 家银行和担保公司，11 家企业参加，现场达成意向授信 3 笔。\n" +
			"一、黄金租赁业务：区金融工作局协调两家银行一个月内推出产品方案。\n" +
			"二、首贷贴息：申报材料清单由区金融工作局会后一周内公布。\n" +
			"三、稳岗补贴被驳回的企业：由区人力资源和社会保障局逐家复核。"},
	{id: "mtg-chain-jewelry-3", typ: portal.MeetingSymposium, title: "%d年%d月黄金珠宝设计人才座谈会", ago: -9, by: "u-liaison2",
		convener: "dept-hrss", place: "水贝珠宝总部大厦 8 楼会议室", depts: []string{"dept-hrss", "dept-miit", "sd-jinsha"},
		ents:   []string{"ent-002", "ent-006"},
		agenda: "珠宝设计师职称评定、人才公寓和设计大赛。",
		topics: []demoTopic{
			{ent: "ent-002", title: "珠宝设计师职称评定渠道", desc: "设计师缺少对口的职称评定渠道，影响落户和人才补贴申请。",
				byID: "u-enterprise2", by: "李金凤（金沙珠宝）"},
			{linkOpen: true, byID: "u-liaison2", by: "黄金珠宝专班 黄联络"},
		}},
	{id: "mtg-chain-health-1", typ: portal.MeetingSymposium, title: "%d年%d月生命健康企业座谈会", ago: 47, by: "u-admin",
		convener: "dept-sci", place: "生命健康产业园 A 栋报告厅", depts: []string{"dept-sci", "dept-samr", "sd-meilin"},
		ents:   []string{"ent-007", "ent-008"},
		agenda: "听取企业对医疗器械注册、研发补贴和人才政策的意见。",
		minutes: "座谈会由区科技创新局主持，8 家企业发言。\n" +
			"一、医疗器械备案指导：区市场监督管理局每月在产业园设一次现场指导日。\n" +
			"二、研发费用补贴：区科技创新局下月发布申报通知，简化审计报告要求。\n" +
			"三、企业普遍反映的人才认定问题，提交下次联席会议研究。"},
	{id: "mtg-chain-health-2", key: "health-joint", typ: portal.MeetingJoint, by: "u-admin", convener: "dept-sci",
		place: "区政府三楼第二会议室", depts: []string{"dept-sci", "dept-samr", "dept-hrss", "dept-drc"},
		ents:   []string{"ent-007", "ent-008"},
		agenda: "一、医疗器械备案；\n二、高层次人才认定；\n三、GMP 改造和高新技术企业奖励兑现。",
		minutes: "会议由生命健康产业链党委主持。\n" +
			"一、第二类医疗器械备案：由区市场监督管理局牵头，备案时限压缩至 5 个工作日。\n" +
			"二、高层次人才认定：由区人力资源和社会保障局牵头，两周内答复企业研发总监认定问题。\n" +
			"三、高新技术企业奖励：由区科技创新局牵头，本月底前完成兑现。"},
	{id: "mtg-chain-health-3", typ: portal.MeetingForum, title: "%d年%d月生命健康产业微论坛（临床试验专场）", ago: -12, by: "u-admin",
		convener: "dept-sci", place: "生命健康产业园 A 栋报告厅", depts: []string{"dept-sci", "dept-samr"},
		ents:   []string{"ent-007", "ent-008"},
		agenda: "临床试验机构对接、创新药械首购政策。",
		topics: []demoTopic{
			{ent: "ent-007", title: "临床试验机构对接难", desc: "区内缺少可承接Ⅰ期临床试验的机构，希望牵线市内三甲医院。", by: "孙博（梅林生物医药）"},
			{ent: "ent-008", title: "创新医疗器械首购政策落地", desc: "希望明确公立医院首购创新医疗器械的采购流程。", by: "钱悦（新和医疗器械）"},
		}},
	{id: "mtg-chain-tourism-1", typ: portal.MeetingJoint, title: "%d年%d月滨海旅游产业链联席会议", ago: 40, by: "u-admin",
		convener: "dept-culture", place: "东湾街道办事处二楼会议室", depts: []string{"dept-culture", "dept-trans", "dept-samr", "sd-dongwan"},
		ents:   []string{"ent-009", "ent-011"},
		agenda: "一、旺季景区交通组织；\n二、文旅消费券发放；\n三、民宿证照办理。",
		minutes: "会议由滨海旅游产业链党委主持。\n" +
			"一、旺季交通：由区交通运输局牵头，节假日前完成滨海大道临时停车场和接驳巴士方案。\n" +
			"二、消费券：由区文化广电旅游体育局牵头，下月起分三批发放。\n" +
			"三、民宿证照：由区市场监督管理局牵头编制办事指南，一个月内发布。"},
	{id: "mtg-chain-tourism-2", key: "tourism-forum", typ: portal.MeetingForum, by: "u-admin", convener: "dept-culture",
		place: "滨海湾度假酒店会议中心", depts: []string{"dept-culture", "dept-samr", "sd-dongwan"},
		ents:   []string{"ent-009", "ent-011"},
		agenda: "文旅企业经营交流：消费券、景区检查、食品经营许可和社保补贴。",
		minutes: "微论坛 12 家文旅企业参加，反映问题 5 个，均已登记为诉求。\n" +
			"一、景区检查频次：区文化广电旅游体育局会同市场监管部门推行联合检查。\n" +
			"二、食品经营许可：区市场监督管理局派员到酒店现场指导。"},
	{id: "mtg-chain-tourism-3", typ: portal.MeetingJoint, title: "%d年%d月滨海旅游产业链联席会议", ago: -5, by: "u-admin",
		convener: "dept-culture", place: "东湾街道办事处二楼会议室", depts: []string{"dept-culture", "dept-trans", "sd-dongwan"},
		ents:   []string{"ent-009", "ent-011"},
		agenda: "一、上次会议议定事项进展；\n二、淡季促消费活动；\n三、景区道路提升。",
		topics: []demoTopic{
			{ent: "ent-009", title: "淡季酒店入住率低", desc: "希望把酒店纳入淡季文旅消费券适用范围。", by: "郑涛（滨海湾度假酒店）"},
			{linkOpen: true, by: "区企业服务中心 分拨员", byID: "u-dispatcher"},
		}},
}

// demoVisitNotes are what liaisons wrote down after the demo visits.
var demoVisitNotes = []string{
	"企业生产经营正常，订单较去年同期增长约两成；反映的问题已当场登记为诉求，约定两周后回访。",
	"与企业负责人座谈一小时，企业计划明年扩建仓库，需要用地和融资支持；已介绍相关政策。",
	"走访车间和仓库，员工约 120 人，用工基本稳定；企业对近期办事效率表示满意。",
	"企业反映的问题已登记，同时推送了适合企业的两项扶持政策。",
}

// MeetingStores are what SeedMeetings writes to and reads from.
type MeetingStores struct {
	Meetings    portal.MeetingStore
	Visits      portal.VisitStore
	Requests    portal.RequestStore
	Enterprises portal.EnterpriseStore
}

// SeedMeetings stores the demo meetings — for each chain two held, with
// minutes, and one to come, with topics — and the visits the demo
// requests of the visit channel were raised at, plus a recent visit of
// each demo liaison; it returns how many documents it stored. The demo
// requests should be seeded first: a meeting's date is the day of the
// first request raised there. It stores nothing when the demo meetings
// exist already.
func SeedMeetings(ctx context.Context, st MeetingStores, now time.Time) (int, error) {
	if _, err := st.Meetings.FindMeetingByID(ctx, meetingPlans[0].id); err == nil {
		return 0, nil
	} else if !portal.IsCode(err, portal.ENOTFOUND) {
		return 0, err
	}
	n := 0
	for _, p := range meetingPlans {
		m, err := p.meeting(ctx, st, now)
		if err != nil {
			return n, fmt.Errorf("demo meeting %s: %w", p.id, err)
		}
		if err := st.Meetings.CreateMeeting(ctx, m); err != nil {
			return n, fmt.Errorf("demo meeting %s: %w", p.id, err)
		}
		n++
	}
	visits, err := demoVisits(ctx, st, now)
	if err != nil {
		return n, err
	}
	for _, v := range visits {
		if err := st.Visits.CreateVisit(ctx, v); err != nil {
			return n, fmt.Errorf("demo visit %s: %w", v.ID, err)
		}
		n++
	}
	return n, nil
}

// at returns the given clock time of a day in the district, moved back
// (or, ahead of now, forward) off the weekend.
func at(day time.Time, hour, minute int, forward bool) time.Time {
	y, mo, d := day.In(districtZone).Date()
	t := time.Date(y, mo, d, hour, minute, 0, 0, districtZone)
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		if forward {
			t = t.AddDate(0, 0, 1)
		} else {
			t = t.AddDate(0, 0, -1)
		}
	}
	return t.UTC()
}

// meeting builds the stored meeting of p.
func (p meetingPlan) meeting(ctx context.Context, st MeetingStores, now time.Time) (*portal.Meeting, error) {
	when := at(now.AddDate(0, 0, -p.ago), 14, 30, p.ago < 0)
	title := fmt.Sprintf(p.title, when.In(districtZone).Year(), when.In(districtZone).Month())
	if p.key != "" {
		raised, _, err := st.Requests.FindRequests(ctx, portal.RequestFilter{SourceID: p.id, Limit: 500})
		if err != nil {
			return nil, err
		}
		first := (*portal.Request)(nil)
		for _, r := range raised {
			if first == nil || r.CreatedAt.Before(first.CreatedAt) {
				first = r
			}
		}
		if first != nil {
			// Requests are filed in the late afternoon after the meeting.
			when, title = at(first.CreatedAt, 14, 30, false), first.Source.Name
		} else {
			m := demoMeetings[p.key]
			when = at(now.AddDate(0, 0, -m.ago), 14, 30, false)
			title = fmt.Sprintf(m.name, when.In(districtZone).Year(), when.In(districtZone).Month())
		}
	}
	created := when.AddDate(0, 0, -10)
	if created.After(now) {
		created = now
	}
	if p.ago < 0 {
		created = now.AddDate(0, 0, -3)
	}
	m := &portal.Meeting{ID: p.id, Type: p.typ, Title: title, ChainID: strings.TrimPrefix(p.id[:strings.LastIndex(p.id, "-")], "mtg-"),
		ConvenerUnitID: p.convener, At: when, Place: p.place, DepartmentIDs: p.depts, EnterpriseIDs: p.ents, Agenda: p.agenda,
		Topics: []portal.Topic{}, CreatedByID: p.by, Version: 1, CreatedAt: created, UpdatedAt: created}
	if p.minutes != "" {
		recorded := at(when.AddDate(0, 0, 1), 10, 20, true)
		if recorded.After(now) {
			recorded = now
		}
		m.Minutes, m.MinutesAt, m.UpdatedAt, m.Version = p.minutes, &recorded, recorded, 2
	}
	for i, t := range p.topics {
		topic, err := t.topic(ctx, st, m, created.Add(time.Duration(i+1)*7*time.Hour))
		if err != nil {
			return nil, err
		}
		if topic != nil {
			m.Topics = append(m.Topics, *topic)
			m.Version++
		}
	}
	return m, nil
}

// topic builds a collected topic; nil when it links a request and the
// chain has no open one.
func (t demoTopic) topic(ctx context.Context, st MeetingStores, m *portal.Meeting, when time.Time) (*portal.Topic, error) {
	out := &portal.Topic{ID: fmt.Sprintf("%s-t%d", m.ID, len(m.Topics)+1), Title: t.title, Description: t.desc,
		SubmittedByID: t.byID, SubmittedBy: t.by, SubmittedAt: when}
	if t.linkOpen {
		open, _, err := st.Requests.FindRequests(ctx, portal.RequestFilter{AnyOf: []portal.RequestScope{{ChainID: m.ChainID}},
			Statuses: portal.OpenStatuses, Limit: 1})
		if err != nil || len(open) == 0 {
			return nil, err
		}
		r := open[0]
		out.Title, out.RequestID, out.EnterpriseID, out.EnterpriseName = r.Title, r.ID, r.EnterpriseID, r.EnterpriseName
		return out, nil
	}
	e, err := st.Enterprises.FindEnterpriseByID(ctx, t.ent)
	if err != nil {
		return nil, err
	}
	out.EnterpriseID, out.EnterpriseName = e.ID, e.Name
	return out, nil
}

// demoVisits builds the visits the demo requests of the visit channel
// name as their source, and a recent visit without requests for each
// demo liaison.
func demoVisits(ctx context.Context, st MeetingStores, now time.Time) ([]*portal.Visit, error) {
	raised, _, err := st.Requests.FindRequests(ctx, portal.RequestFilter{Channel: portal.ChannelVisit, Limit: 1000})
	if err != nil {
		return nil, err
	}
	byID := map[string]*portal.Visit{}
	var out []*portal.Visit
	slices.SortFunc(raised, func(a, b *portal.Request) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, r := range raised {
		if r.Source == nil || !strings.HasPrefix(r.Source.ID, "vis-") {
			continue
		}
		v := byID[r.Source.ID]
		if v == nil {
			v = &portal.Visit{ID: r.Source.ID, LiaisonID: r.FiledByID, LiaisonName: r.FiledByName, EnterpriseID: r.EnterpriseID,
				EnterpriseName: r.EnterpriseName, ChainIDs: r.ChainIDs, At: r.CreatedAt.Add(-50 * time.Minute),
				PeopleMet: r.ContactName + "（企业负责人）", Notes: demoVisitNotes[len(out)%len(demoVisitNotes)],
				RequestIDs: []string{}, CreatedAt: r.CreatedAt}
			byID[v.ID] = v
			out = append(out, v)
		}
		v.RequestIDs = append(v.RequestIDs, r.ID)
	}
	users := map[string]string{}
	for _, u := range Users() {
		users[u.ID] = u.DisplayName
	}
	for _, x := range []struct {
		liaison, ent string
		ago          int
		people       string
	}{
		{"u-liaison", "ent-010", 2, "冯可（总经理）、物流部经理"},
		{"u-liaison2", "ent-006", 3, "吴婷（创始人）"},
	} {
		e, err := st.Enterprises.FindEnterpriseByID(ctx, x.ent)
		if err != nil {
			return nil, err
		}
		day := at(now.AddDate(0, 0, -x.ago), 10, 0, false)
		id := demoVisitID(e.ID, day)
		if byID[id] != nil {
			continue
		}
		out = append(out, &portal.Visit{ID: id, LiaisonID: x.liaison, LiaisonName: users[x.liaison], EnterpriseID: e.ID,
			EnterpriseName: e.Name, ChainIDs: e.ChainIDs, At: day, PeopleMet: x.people,
			Notes: "例行回访：上次反映的问题已办结，企业表示满意；近期暂无新的诉求。", RequestIDs: []string{}, CreatedAt: day.Add(time.Hour)})
	}
	return out, nil
}
