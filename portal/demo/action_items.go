package demo

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/workcal"
)

// ActionStores are what SeedActionItems reads and writes. Planner, when
// set, plans each item's chasing rungs (its next_rung_at), so that the
// worker's sweep chases the overdue demo items.
type ActionStores struct {
	Items       portal.ActionItemStore
	Meetings    portal.MeetingFinder
	Attachments portal.AttachmentStore
	Planner     *portal.ActionItemService
}

// demoAction is one demo action item, in days relative to its meeting
// (created) and to the seeding moment (due).
type demoAction struct {
	n        string // id suffix
	meeting  int    // 1 or 2: which past meeting of the chain
	title    string
	lead     int // index into the chain's units
	co       []int
	dueIn    int // days from now; negative is past
	state    string
	progress int
	parent   string
	weight   int
}

// demoActionTitles are each chain's matters, by the items' order below.
var demoActionTitles = map[string][]string{
	"chain-port": {"港区集卡夜间通行证统一办理", "冷链仓储用地预审提速", "港口物流企业稳岗补贴集中兑现", "疏港道路货车停车区建设",
		"跨境电商海外仓融资对接", "港区公交线路延伸", "多式联运示范工程申报", "联运场站选址论证", "联运补贴政策细则起草"},
	"chain-jewelry": {"黄金珠宝检测中心扩容", "水贝片区消防通道整治", "珠宝设计人才公寓配租", "珠宝企业贷款贴息兑现",
		"产业园停车位扩充", "展销会场地协调", "珠宝产业标准化建设", "团体标准立项", "检测认证互认对接"},
	"chain-health": {"医疗器械注册辅导专班", "生物医药中试平台共享", "临床试验机构对接", "健康产业园供电扩容",
		"研发人员子女入学协调", "冷链药品配送通道", "生命健康产业基金设立", "基金管理人遴选", "子基金出资方案"},
	"chain-tourism": {"滨海景区旺季交通疏导", "民宿消防安全指导", "文旅消费券发放", "海滨步道夜间照明改造",
		"旅游厕所提质", "游艇码头手续办理", "滨海文旅品牌推广", "宣传片拍摄协调", "线上平台推广"},
}

// demoActionUnits are the units owning each chain's items: the chain's
// lead unit first.
var demoActionUnits = map[string][]string{
	"chain-port":    {"dept-trans", "dept-hrss", "dept-plan", "sd-haigang", "dept-fin"},
	"chain-jewelry": {"dept-miit", "dept-hrss", "dept-samr", "sd-jinsha", "dept-fin"},
	"chain-health":  {"dept-sci", "dept-hrss", "dept-drc", "sd-meilin", "dept-fin"},
	"chain-tourism": {"dept-culture", "dept-trans", "dept-emergency", "sd-dongwan", "dept-fin"},
}

// demoActions are the items of every chain: one in each state, an overdue
// one, and one split into weighted sub-items.
var demoActions = []demoAction{
	{n: "1", meeting: 1, lead: 0, co: []int{3}, dueIn: 20, state: "open"},
	{n: "2", meeting: 1, lead: 2, dueIn: 8, state: "progress", progress: 60},
	{n: "3", meeting: 1, lead: 1, co: []int{0}, dueIn: 3, state: "awaiting", progress: 100},
	{n: "4", meeting: 1, lead: 4, dueIn: -2, state: "done", progress: 100},
	{n: "5", meeting: 2, lead: 3, dueIn: 12, state: "cancelled", progress: 10},
	{n: "6", meeting: 1, lead: 3, co: []int{0}, dueIn: -6, state: "progress", progress: 30}, // overdue
	{n: "7", meeting: 2, lead: 0, co: []int{2}, dueIn: 25, state: "parent"},
	{n: "7a", meeting: 2, lead: 0, dueIn: 10, state: "done", progress: 100, parent: "7", weight: 60},
	{n: "7b", meeting: 2, lead: 2, dueIn: 18, state: "progress", progress: 25, parent: "7", weight: 40},
}

// demoEvidence is a small PNG kept as the demo items' evidence.
var demoEvidence = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 120)...)

// SeedActionItems stores, for each demo chain whose past meetings
// mtg-<chain>-1 and -2 exist, action items in every state; it returns how
// many it stored. Items that exist are left alone, so it is idempotent and
// may run again after more meetings were seeded.
func SeedActionItems(ctx context.Context, st ActionStores, now time.Time, loc *time.Location) (int, error) {
	units := map[string]*portal.OrgUnit{}
	for _, u := range OrgUnits() {
		units[u.ID] = u
	}
	owners := map[string][2]string{}
	for _, u := range Users() {
		if u.UnitID != "" && slices.Contains(u.Roles, portal.RoleHandler) {
			if _, ok := owners[u.UnitID]; !ok {
				owners[u.UnitID] = [2]string{u.ID, u.DisplayName}
			}
		}
	}
	n := 0
	for _, c := range Chains() {
		var meetings [3]*portal.Meeting
		for i := 1; i <= 2; i++ {
			m, err := st.Meetings.FindMeetingByID(ctx, fmt.Sprintf("mtg-%s-%d", c.ID, i))
			if portal.IsCode(err, portal.ENOTFOUND) {
				continue
			}
			if err != nil {
				return n, err
			}
			if m.At.Before(now) {
				meetings[i] = m
			}
		}
		for i, p := range demoActions {
			m := meetings[p.meeting]
			if m == nil {
				continue
			}
			id := fmt.Sprintf("act-%s-%s", c.ID, p.n)
			if _, err := st.Items.FindActionItemByID(ctx, id); err == nil {
				continue
			} else if !portal.IsCode(err, portal.ENOTFOUND) {
				return n, err
			}
			it := p.item(c.ID, id, demoActionTitles[c.ID][i], m, units, owners, now, loc)
			if len(it.Updates) > 0 && p.progress == 100 && st.Attachments != nil {
				att := &it.Updates[len(it.Updates)-1]
				size, err := st.Attachments.PutAttachment(ctx, it.ID, id+"-ev", "现场照片.png", "image/png", bytes.NewReader(demoEvidence))
				if err != nil {
					return n, err
				}
				att.Evidence = []portal.Attachment{{ID: id + "-ev", Name: "现场照片.png", ContentType: "image/png", Size: size,
					UploadedBy: att.ByName, UploadedAt: att.At}}
			}
			if err := st.Items.CreateActionItem(ctx, it); err != nil {
				return n, fmt.Errorf("demo action item %s: %w", id, err)
			}
			n++
			if st.Planner != nil {
				if _, err := st.Planner.RepairNextRung(ctx, id); err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}

// item builds the demo item p of chain at meeting m.
func (p demoAction) item(chain, id, title string, m *portal.Meeting, units map[string]*portal.OrgUnit, owners map[string][2]string,
	now time.Time, loc *time.Location) *portal.ActionItem {
	list := demoActionUnits[chain]
	lead := units[list[p.lead]]
	created := m.At.Add(2 * time.Hour).UTC()
	today := workcal.DateOf(now, loc)
	due := today.AddDays(p.dueIn+1).In(loc, 0).UTC()
	it := &portal.ActionItem{ID: id, MeetingID: m.ID, MeetingName: m.Title, ChainID: chain, Title: title,
		Description: fmt.Sprintf("%s议定：由%s牵头推进“%s”，按期报送进展。", m.Title, lead.Name, title),
		LeadUnitID:  lead.ID, LeadName: lead.Name, Due: due, DueSetAt: created, Priority: portal.PriorityNormal,
		Status: portal.ActionOpen, Updates: []portal.ProgressUpdate{}, CreatedByID: m.CreatedByID, Version: 1,
		CreatedAt: created, UpdatedAt: created}
	if p.dueIn < 5 {
		it.Priority = portal.PriorityHigh
	}
	for _, k := range p.co {
		u := units[list[k]]
		it.CoUnitIDs, it.CoNames = append(it.CoUnitIDs, u.ID), append(it.CoNames, u.Name)
	}
	if p.parent != "" {
		it.ParentID, it.Weight = fmt.Sprintf("act-%s-%s", chain, p.parent), p.weight
	}
	it.Events = []portal.ActionEvent{{At: created, ByID: m.CreatedByID, ByName: "产业链党委", Action: "create",
		Note: fmt.Sprintf("牵头单位：%s；办结时限：%s", lead.Name, it.DueDate(loc))}}
	by := owners[lead.ID]
	if by[1] == "" {
		by[1] = lead.Name + " " + lead.Head
	}
	report := func(pct int, note string, at time.Time) {
		it.Updates = append(it.Updates, portal.ProgressUpdate{ID: fmt.Sprintf("%s-u%d", id, len(it.Updates)+1), Percent: pct, Note: note,
			ByID: by[0], ByName: by[1], UnitID: lead.ID, At: at.UTC()})
		it.Progress, it.Status, it.UpdatedAt = pct, portal.ActionInProgress, at.UTC()
	}
	step := now.Sub(created) / 4
	switch p.state {
	case "progress":
		if p.progress > 30 {
			report(30, "已召开专题会明确分工，正在推进。", created.Add(step))
		}
		report(p.progress, "主要工作已完成过半，剩余事项按计划推进。", created.Add(2*step))
	case "awaiting":
		report(50, "方案已报批，正在实施。", created.Add(step))
		report(100, "已全部完成，附现场照片，请党委确认。", created.Add(3*step))
		it.AwaitingConfirm = true
	case "done":
		report(60, "已完成主体工作。", created.Add(step))
		report(100, "已全部办结，附佐证材料。", created.Add(2*step))
		at := created.Add(3 * step).UTC()
		it.Status, it.ConfirmedAt, it.ConfirmedByID, it.ConfirmedBy = portal.ActionDone, &at, m.CreatedByID, "产业链党委"
		it.Events = append(it.Events, portal.ActionEvent{At: at, ByID: m.CreatedByID, ByName: "产业链党委", Action: "confirm", Note: "经核实已办结"})
		it.UpdatedAt = at
	case "cancelled":
		report(p.progress, "已开展前期调研。", created.Add(step))
		at := created.Add(2 * step).UTC()
		it.Status, it.CancelReason, it.UpdatedAt = portal.ActionCancelled, "企业需求已通过其他渠道解决", at
		it.Events = append(it.Events, portal.ActionEvent{At: at, ByID: m.CreatedByID, ByName: "产业链党委", Action: "cancel", Note: it.CancelReason})
	case "parent":
		// Two sub-items weighted 60 (done) and 40 (at 25 %): 70 %.
		it.Status, it.Progress, it.SubCount = portal.ActionInProgress, 70, 2
	}
	if p.dueIn < 0 && it.Status == portal.ActionInProgress {
		// Overdue: the committee asked about it; the worker's sweep chases it.
		at := now.AddDate(0, 0, -1).UTC()
		it.ReviewedAt, it.ReviewedBy, it.ReviewNote = &at, "产业链党委", "已超期，请牵头单位说明原因并加快办理"
	}
	return it
}
