package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// actionClock is the action item tests' clock: Monday 2 March 2026,
// 10:00 in the district.
var actionClock = time.Date(2026, 3, 2, 10, 0, 0, 0, portaltest.CST)

// pngBytes is the smallest thing the content sniffer takes for a PNG.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

type actionFixture struct {
	*portaltest.World
	svc *portal.ActionItemService
	now time.Time
}

// newActionFixture is the demo district with two past meetings of
// chain-port, one of chain-jewelry, one upcoming of chain-port, and a
// committee member of chain-jewelry ("committee2").
func newActionFixture(t *testing.T) *actionFixture {
	t.Helper()
	f := &actionFixture{now: actionClock}
	f.World = portaltest.NewWorld(t, portaltest.DB(t), func() time.Time { return f.now })
	f.svc = f.WithActionItems(t)
	past := actionClock.AddDate(0, 0, -3)
	portaltest.InsertMeeting(t, f.DB, portaltest.PortMeeting("mtg-port-1", past), portaltest.PortMeeting("mtg-port-2", past),
		portaltest.JewelryMeeting("mtg-jewelry-1", past), portaltest.PortMeeting("mtg-port-3", actionClock.AddDate(0, 0, 10)))
	u := &portal.User{ID: "u-committee2", Username: "committee2", DisplayName: "黄金珠宝产业链党委 委员",
		Roles: []portal.Role{portal.RoleCommittee}, ChainID: "chain-jewelry", Status: portal.UserActive}
	portaltest.Must(t, f.Users.CreateUser(context.Background(), u), "committee2")
	return f
}

// item decides an item as user and fails unless it is stored.
func (f *actionFixture) item(t *testing.T, user, meeting string, in portal.ActionItemInput) *portal.ActionItem {
	t.Helper()
	if in.Title == "" {
		in.Title = "协调港区集疏运通道夜间通行"
	}
	if in.LeadUnitID == "" {
		in.LeadUnitID = "dept-trans"
	}
	if in.Due == "" {
		in.Due = "2026-03-13"
	}
	it, err := f.svc.Create(f.As(t, user), meeting, in)
	portaltest.Must(t, err, "create item as %s", user)
	return it
}

func (f *actionFixture) load(t *testing.T, id string) *portal.ActionItem {
	t.Helper()
	it, err := f.svc.Store.FindActionItemByID(context.Background(), id)
	portaltest.Must(t, err, "load %s", id)
	return it
}

func (f *actionFixture) count(t *testing.T) int {
	t.Helper()
	_, n, err := f.svc.Store.FindActionItems(context.Background(), portal.ActionItemFilter{Limit: 1})
	portaltest.Must(t, err, "count")
	return n
}

// notes returns the titles of the action item notifications of user.
func (f *actionFixture) notes(t *testing.T, user string) []string {
	t.Helper()
	cur, err := f.DB.Database().Collection("notifications").Find(context.Background(),
		bson.D{{Key: "user_id", Value: user}, {Key: "kind", Value: portal.NotifyAction}})
	portaltest.Must(t, err, "notifications")
	var ns []portal.Notification
	portaltest.Must(t, cur.All(context.Background(), &ns), "decode")
	var out []string
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}

func pct(n int) *int { return &n }

func wantActionErr(t *testing.T, err error, code, contains string) {
	t.Helper()
	if portal.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if contains != "" && !strings.Contains(err.Error(), contains) && !strings.Contains(strings.Join(fieldValues(err), " "), contains) {
		t.Errorf("error %v (fields %v) does not say %q", err, portal.ErrorFields(err), contains)
	}
}

func fieldValues(err error) []string {
	var out []string
	for k, v := range portal.ErrorFields(err) {
		out = append(out, k+"="+v)
	}
	return out
}

func TestActionItemLifecycle(t *testing.T) {
	f := newActionFixture(t)
	req, err := f.Requests.File(f.As(t, "enterprise"), portal.RequestInput{Title: "港区夜间货车通行证办理",
		Description: "希望明确港区夜间货车通行证的办理条件和时限。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file a request")
	it := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{CoUnitIDs: []string{"dept-hrss"}, Priority: portal.PriorityHigh,
		RequestIDs: []string{req.ID}})
	if it.Status != portal.ActionOpen || it.LeadName != "区交通运输局" || len(it.CoNames) != 1 || it.ChainID != "chain-port" ||
		it.DueDate(portaltest.CST) != "2026-03-13" || it.NextRungAt == nil || it.MeetingName == "" {
		t.Fatalf("created %+v", it)
	}
	if got := f.notes(t, "u-handler"); len(got) != 1 || !strings.Contains(got[0], "议定事项") {
		t.Errorf("the lead unit's handler was told %v", got)
	}

	ctx := f.As(t, "handler")
	it, err = f.svc.Report(ctx, it.ID, portal.ProgressInput{Percent: pct(40), Note: "已与港务集团会商通行方案"}, nil)
	portaltest.Must(t, err, "report 40 %%")
	if it.Status != portal.ActionInProgress || it.Progress != 40 || len(it.Updates) != 1 || it.Updates[0].UnitID != "dept-trans" {
		t.Fatalf("after the first update: %s %d%% %d updates", it.Status, it.Progress, len(it.Updates))
	}
	before := it.Version
	_, err = f.svc.Report(ctx, it.ID, portal.ProgressInput{Percent: pct(100), Note: "方案已落地"}, nil)
	wantActionErr(t, err, portal.EINVALID, "标记办结需上传佐证材料")
	if got := f.load(t, it.ID); got.Version != before || got.AwaitingConfirm || got.Progress != 40 {
		t.Errorf("a refused report changed the item: %+v", got)
	}
	_, err = f.svc.Confirm(f.As(t, "committee"), it.ID, portal.ConfirmInput{})
	wantActionErr(t, err, portal.EINVALID, "佐证材料")

	it, err = f.svc.Report(f.As(t, "depthead"), it.ID, portal.ProgressInput{Percent: pct(100), Note: "通行方案已实施，附现场照片"},
		[]portal.Upload{{Name: "现场.png", Content: pngBytes}})
	portaltest.Must(t, err, "report done with evidence")
	if !it.AwaitingConfirm || it.Status != portal.ActionInProgress || it.NextRungAt != nil || it.StatusName() != "待确认办结" {
		t.Fatalf("reported finished: awaiting %v status %s next %v", it.AwaitingConfirm, it.Status, it.NextRungAt)
	}
	if got := f.notes(t, "u-committee"); len(got) != 1 || !strings.Contains(got[0], "待确认") {
		t.Errorf("the committee was told %v", got)
	}
	_, err = f.svc.Report(ctx, it.ID, portal.ProgressInput{Percent: pct(80), Note: "再改一次进度"}, nil)
	wantActionErr(t, err, portal.ECONFLICT, "等待产业链党委确认")

	_, err = f.svc.Confirm(f.As(t, "committee"), it.ID, portal.ConfirmInput{SendBack: true})
	wantActionErr(t, err, portal.EINVALID, "退回原因")
	it, err = f.svc.Confirm(f.As(t, "committee"), it.ID, portal.ConfirmInput{SendBack: true, Note: "缺少通行证发放数量的统计"})
	portaltest.Must(t, err, "send back")
	if it.AwaitingConfirm || it.Status != portal.ActionInProgress || it.NextRungAt == nil {
		t.Fatalf("sent back: %+v", it)
	}
	it, err = f.svc.Report(ctx, it.ID, portal.ProgressInput{Percent: pct(100), Note: "已补充统计：发放 120 张"}, nil)
	portaltest.Must(t, err, "report done again (the evidence is on file)")
	_, err = f.svc.Confirm(f.As(t, "dispatcher"), it.ID, portal.ConfirmInput{})
	wantActionErr(t, err, portal.EFORBIDDEN, "")
	_, err = f.svc.Confirm(f.As(t, "handler"), it.ID, portal.ConfirmInput{})
	wantActionErr(t, err, portal.EFORBIDDEN, "")
	it, err = f.svc.Confirm(f.As(t, "committee"), it.ID, portal.ConfirmInput{Note: "同意办结"})
	portaltest.Must(t, err, "confirm")
	if it.Status != portal.ActionDone || it.ConfirmedAt == nil || it.ConfirmedBy == "" || it.Progress != 100 {
		t.Fatalf("confirmed: %+v", it)
	}
	_, err = f.svc.Report(ctx, it.ID, portal.ProgressInput{Percent: pct(100), Note: "再报一次"}, nil)
	wantActionErr(t, err, portal.ECONFLICT, "已办结")
	_, err = f.svc.Cancel(f.As(t, "committee"), it.ID, portal.CancelInput{Reason: "不再需要"})
	wantActionErr(t, err, portal.ECONFLICT, "")

	att := it.Updates[1].Evidence[0]
	_, rc, err := f.svc.OpenEvidence(f.As(t, "committee"), it.ID, att.ID)
	portaltest.Must(t, err, "open evidence as the committee")
	rc.Close()
	_, _, err = f.svc.OpenEvidence(f.As(t, "handler-miit"), it.ID, att.ID)
	wantActionErr(t, err, portal.ENOTFOUND, "")
	_, _, err = f.svc.OpenEvidence(f.As(t, "committee"), it.ID, "no-such-file")
	wantActionErr(t, err, portal.ENOTFOUND, "")

	entries, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{ObjectType: "action_item", ObjectID: it.ID, Limit: 50})
	portaltest.Must(t, err, "audit")
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
	}
	for _, a := range []string{"action_item.create", "action_item.progress", "action_item.send_back", "action_item.confirm"} {
		if !seen[a] {
			t.Errorf("no audit entry %s (have %v)", a, seen)
		}
	}
}

func TestActionItemCancelAndUpdate(t *testing.T) {
	f := newActionFixture(t)
	it := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{})
	due := "2026-03-20"
	lead := "dept-hrss"
	up, err := f.svc.Update(f.As(t, "committee"), it.ID, portal.ActionItemPatch{Due: &due, LeadUnitID: &lead, Version: it.Version})
	portaltest.Must(t, err, "update")
	if up.DueDate(portaltest.CST) != due || up.LeadName != "区人力资源和社会保障局" || up.NextRungAt.Equal(*it.NextRungAt) || len(up.Events) != 2 {
		t.Fatalf("updated: due %s lead %s next %v events %d", up.DueDate(portaltest.CST), up.LeadName, up.NextRungAt, len(up.Events))
	}
	if got := f.notes(t, "u-handler-hrss"); len(got) != 1 {
		t.Errorf("the new lead was told %v", got)
	}
	_, err = f.svc.Update(f.As(t, "committee"), it.ID, portal.ActionItemPatch{Due: &due, Version: it.Version})
	wantActionErr(t, err, portal.ECONFLICT, "")
	_, err = f.svc.Report(f.As(t, "handler"), it.ID, portal.ProgressInput{Percent: pct(10), Note: "已不再是牵头单位"}, nil)
	wantActionErr(t, err, portal.ENOTFOUND, "")

	_, err = f.svc.Cancel(f.As(t, "committee"), it.ID, portal.CancelInput{Reason: " "})
	wantActionErr(t, err, portal.EINVALID, "撤销原因")
	_, err = f.svc.Cancel(f.As(t, "handler-hrss"), it.ID, portal.CancelInput{Reason: "承办单位想撤销"})
	wantActionErr(t, err, portal.EFORBIDDEN, "")
	c, err := f.svc.Cancel(f.As(t, "admin"), it.ID, portal.CancelInput{Reason: "企业已自行解决"})
	portaltest.Must(t, err, "cancel")
	if c.Status != portal.ActionCancelled || c.CancelReason != "企业已自行解决" || c.NextRungAt != nil {
		t.Fatalf("cancelled: %+v", c)
	}
	title := "改个名字"
	_, err = f.svc.Update(f.As(t, "committee"), it.ID, portal.ActionItemPatch{Title: &title})
	wantActionErr(t, err, portal.ECONFLICT, "已撤销")
}

func TestActionItemBadInput(t *testing.T) {
	f := newActionFixture(t)
	ctx := f.As(t, "committee")
	good := portal.ActionItemInput{Title: "协调港区用工招聘会", LeadUnitID: "dept-hrss", Due: "2026-03-31"}
	parent := f.item(t, "committee", "mtg-port-1", good)
	other := f.item(t, "committee", "mtg-port-2", good)
	jewelryReq, err := f.Requests.File(f.As(t, "enterprise2"), portal.RequestInput{Title: "珠宝检测费用减免咨询",
		Description: "希望了解珠宝检测费用的减免政策和申请方式。", Category: "traffic", Type: portal.TypeHelp}, nil)
	if err != nil {
		jewelryReq = nil
	}
	cases := []struct {
		name  string
		edit  func(in *portal.ActionItemInput)
		field string
		says  string
	}{
		{"due in the past", func(in *portal.ActionItemInput) { in.Due = "2026-03-01" }, "due", "办结时限不能早于今天"},
		{"due malformed", func(in *portal.ActionItemInput) { in.Due = "3月31日" }, "due", "YYYY-MM-DD"},
		{"due missing", func(in *portal.ActionItemInput) { in.Due = "" }, "due", "办结时限"},
		{"lead is the district", func(in *portal.ActionItemInput) { in.LeadUnitID = "district" }, "lead_unit_id", "牵头单位必须是部门"},
		{"lead is a user", func(in *portal.ActionItemInput) { in.LeadUnitID = "u-handler" }, "lead_unit_id", "牵头单位必须是部门"},
		{"lead is a chain", func(in *portal.ActionItemInput) { in.LeadUnitID = "chain-port" }, "lead_unit_id", "牵头单位必须是部门"},
		{"lead unknown", func(in *portal.ActionItemInput) { in.LeadUnitID = "dept-nowhere" }, "lead_unit_id", "牵头单位必须是部门"},
		{"co-owner is the lead", func(in *portal.ActionItemInput) { in.CoUnitIDs = []string{"dept-hrss"} }, "co_unit_ids", "不能与牵头单位相同"},
		{"co-owner is the district", func(in *portal.ActionItemInput) { in.CoUnitIDs = []string{"district"} }, "co_unit_ids", "协办单位必须是部门"},
		{"no title", func(in *portal.ActionItemInput) { in.Title = " " }, "title", "事项名称"},
		{"bad priority", func(in *portal.ActionItemInput) { in.Priority = "urgent" }, "priority", "优先级"},
		{"weight without parent", func(in *portal.ActionItemInput) { in.Weight = 30 }, "weight", "只有子事项"},
		{"parent of another meeting", func(in *portal.ActionItemInput) { in.ParentID, in.Weight = other.ID, 30 }, "parent_id", "同一会议"},
		{"weight 0 for a sub-item", func(in *portal.ActionItemInput) { in.ParentID = parent.ID }, "weight", "1–100"},
		{"weight 101", func(in *portal.ActionItemInput) { in.ParentID, in.Weight = parent.ID, 101 }, "weight", "1–100"},
		{"unknown request", func(in *portal.ActionItemInput) { in.RequestIDs = []string{"no-such-request"} }, "request_ids", "不存在或您无权查看"},
	}
	if jewelryReq != nil {
		cases = append(cases, struct {
			name  string
			edit  func(in *portal.ActionItemInput)
			field string
			says  string
		}{"request of another chain", func(in *portal.ActionItemInput) { in.RequestIDs = []string{jewelryReq.ID} }, "request_ids", "不存在或您无权查看"})
	}
	n := f.count(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good
			c.edit(&in)
			_, err := f.svc.Create(ctx, "mtg-port-1", in)
			wantActionErr(t, err, portal.EINVALID, c.says)
			if _, ok := portal.ErrorFields(err)[c.field]; !ok {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), c.field)
			}
		})
	}
	if got := f.count(t); got != n {
		t.Errorf("refused items were stored: %d items, want %d", got, n)
	}

	_, err = f.svc.Create(ctx, "mtg-port-3", good)
	wantActionErr(t, err, portal.ECONFLICT, "会议尚未召开")
	_, err = f.svc.Create(ctx, "mtg-jewelry-1", good)
	wantActionErr(t, err, portal.ENOTFOUND, "")
	_, err = f.svc.Create(f.As(t, "handler"), "mtg-port-1", good)
	wantActionErr(t, err, portal.EFORBIDDEN, "")
	_, err = f.svc.Create(ctx, "no-such-meeting", good)
	wantActionErr(t, err, portal.ENOTFOUND, "")

	for _, p := range []int{101, -1} {
		_, err = f.svc.Report(f.As(t, "handler-hrss"), parent.ID, portal.ProgressInput{Percent: pct(p), Note: "进度越界"}, nil)
		wantActionErr(t, err, portal.EINVALID, "0–100")
	}
	_, err = f.svc.Report(f.As(t, "handler-hrss"), parent.ID, portal.ProgressInput{Note: "没有进度"}, nil)
	wantActionErr(t, err, portal.EINVALID, "完成进度")
	_, err = f.svc.Report(f.As(t, "handler-hrss"), parent.ID, portal.ProgressInput{Percent: pct(20), Note: "附件不是图片"},
		[]portal.Upload{{Name: "a.exe", Content: []byte("MZ\x90\x00 not an image at all")}})
	wantActionErr(t, err, portal.EINVALID, "不是图片")
	if got := f.load(t, parent.ID); len(got.Updates) != 0 || got.Progress != 0 || got.Version != parent.Version {
		t.Errorf("refused reports changed the item: %+v", got)
	}
	if n, err := f.DB.Database().Collection("attachments.files").CountDocuments(context.Background(), bson.D{}); err != nil || n != 0 {
		t.Errorf("refused reports left %d files (%v)", n, err)
	}
}

// TestActionItemOutsideChain checks who may see (404 otherwise) and who
// may act (403 otherwise) on a port-side item.
func TestActionItemOutsideChain(t *testing.T) {
	f := newActionFixture(t)
	it := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{CoUnitIDs: []string{"sd-haigang"}})
	for user, want := range map[string]string{"committee": "", "admin": "", "dispatcher": "", "handler": "", "depthead": "",
		"handler-sub": "", "committee2": portal.ENOTFOUND, "handler-miit": portal.ENOTFOUND, "liaison": portal.EFORBIDDEN,
		"enterprise": portal.EFORBIDDEN, "editor": portal.EFORBIDDEN} {
		_, err := f.svc.Get(f.As(t, user), it.ID)
		if portal.ErrorCode(err) != want {
			t.Errorf("get as %s: %v, want %q", user, err, want)
		}
	}
	title := "越权改名"
	for user, want := range map[string]string{"committee2": portal.ENOTFOUND, "handler": portal.EFORBIDDEN, "dispatcher": portal.EFORBIDDEN} {
		_, err := f.svc.Update(f.As(t, user), it.ID, portal.ActionItemPatch{Title: &title})
		if portal.ErrorCode(err) != want {
			t.Errorf("update as %s: %v, want %s", user, err, want)
		}
		_, err = f.svc.Cancel(f.As(t, user), it.ID, portal.CancelInput{Reason: "越权撤销"})
		if portal.ErrorCode(err) != want {
			t.Errorf("cancel as %s: %v, want %s", user, err, want)
		}
	}
	for user, want := range map[string]string{"committee": portal.EFORBIDDEN, "admin": portal.EFORBIDDEN, "committee2": portal.ENOTFOUND} {
		_, err := f.svc.Report(f.As(t, user), it.ID, portal.ProgressInput{Percent: pct(10), Note: "越权报送"}, nil)
		if portal.ErrorCode(err) != want {
			t.Errorf("report as %s: %v, want %s", user, err, want)
		}
	}
	if got := f.load(t, it.ID); got.Title == title || got.Status != portal.ActionOpen || len(got.Updates) != 0 {
		t.Errorf("refused actions changed the item: %+v", got)
	}
	// A co-owner reports like the lead.
	_, err := f.svc.Report(f.As(t, "handler-sub"), it.ID, portal.ProgressInput{Percent: pct(10), Note: "街道已摸排沿线企业"}, nil)
	portaltest.Must(t, err, "report as the co-owner")
}
