package portal_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// boardFixture adds three items: a port one led by dept-trans, a port
// one led by dept-hrss with dept-trans co-owning, and a jewelry one.
func boardFixture(t *testing.T) (*actionFixture, map[string]*portal.ActionItem) {
	f := newActionFixture(t)
	items := map[string]*portal.ActionItem{
		"trans": f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{Title: "港区夜间通行", Due: "2026-03-05"}),
		"hrss": f.item(t, "committee", "mtg-port-2", portal.ActionItemInput{Title: "港区用工招聘", LeadUnitID: "dept-hrss",
			CoUnitIDs: []string{"dept-trans"}, Due: "2026-03-20"}),
		"jewelry": f.item(t, "committee2", "mtg-jewelry-1", portal.ActionItemInput{Title: "珠宝检测中心", LeadUnitID: "dept-miit"}),
	}
	return f, items
}

func titles(p *portal.ActionItemPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestActionBoardScoping(t *testing.T) {
	f, _ := boardFixture(t)
	cases := []struct {
		user string
		q    portal.ActionItemQuery
		want []string
	}{
		{"admin", portal.ActionItemQuery{}, []string{"港区夜间通行", "珠宝检测中心", "港区用工招聘"}},
		{"dispatcher", portal.ActionItemQuery{}, []string{"港区夜间通行", "珠宝检测中心", "港区用工招聘"}},
		{"committee", portal.ActionItemQuery{}, []string{"港区夜间通行", "港区用工招聘"}},
		{"committee", portal.ActionItemQuery{Chain: "chain-jewelry"}, nil},
		{"committee2", portal.ActionItemQuery{}, []string{"珠宝检测中心"}},
		{"handler", portal.ActionItemQuery{}, []string{"港区夜间通行", "港区用工招聘"}}, // leads one, co-owns the other
		{"handler-hrss", portal.ActionItemQuery{}, []string{"港区用工招聘"}},
		{"handler-miit", portal.ActionItemQuery{}, []string{"珠宝检测中心"}},
		{"handler-fin", portal.ActionItemQuery{}, nil},
		{"committee", portal.ActionItemQuery{Meeting: "mtg-port-2"}, []string{"港区用工招聘"}},
		{"committee", portal.ActionItemQuery{Owner: "dept-hrss"}, []string{"港区用工招聘"}},
		{"committee", portal.ActionItemQuery{Q: "夜间"}, []string{"港区夜间通行"}},
		{"admin", portal.ActionItemQuery{Status: "done"}, nil},
	}
	for _, c := range cases {
		page, err := f.svc.List(f.As(t, c.user), c.q)
		portaltest.Must(t, err, "list as %s", c.user)
		if got := titles(page); !slices.Equal(got, c.want) {
			t.Errorf("%s %+v sees %v, want %v", c.user, c.q, got, c.want)
		}
	}
	page, err := f.svc.List(f.As(t, "committee"), portal.ActionItemQuery{})
	portaltest.Must(t, err, "list")
	if len(page.Meetings) != 2 || len(page.Owners) != 2 {
		t.Errorf("the committee's facets: meetings %v owners %v", page.Meetings, page.Owners)
	}
	for _, user := range []string{"liaison", "enterprise", "editor"} {
		_, err := f.svc.List(f.As(t, user), portal.ActionItemQuery{})
		wantActionErr(t, err, portal.EFORBIDDEN, "")
	}
	_, err = f.svc.List(f.As(t, "admin"), portal.ActionItemQuery{Status: "late"})
	wantActionErr(t, err, portal.EINVALID, "状态")

	f.now = time.Date(2026, 3, 6, 9, 0, 0, 0, portaltest.CST) // the trans item was due by the end of 5 March
	page, err = f.svc.List(f.As(t, "committee"), portal.ActionItemQuery{Status: "overdue"})
	portaltest.Must(t, err, "overdue")
	if got := titles(page); !slices.Equal(got, []string{"港区夜间通行"}) || !page.Items[0].Overdue(page.Now) {
		t.Errorf("overdue: %v", got)
	}
	ma, err := f.svc.ForMeeting(f.As(t, "handler-hrss"), "mtg-port-1")
	portaltest.Must(t, err, "meeting attended by hrss")
	if len(ma.Items) != 0 {
		t.Errorf("hrss sees %d items of a meeting where it owns none", len(ma.Items))
	}
	_, err = f.svc.ForMeeting(f.As(t, "handler-miit"), "mtg-port-1")
	wantActionErr(t, err, portal.ENOTFOUND, "")
	_, err = f.svc.ForMeeting(f.As(t, "committee2"), "mtg-port-1")
	wantActionErr(t, err, portal.ENOTFOUND, "")
}

func TestActionBulkReview(t *testing.T) {
	f, items := boardFixture(t)
	ids := []string{items["trans"].ID, items["hrss"].ID}
	ctx := f.As(t, "committee")
	before := map[string]int{}
	for _, id := range ids {
		before[id] = f.load(t, id).Version
	}
	unchanged := func(why string) {
		t.Helper()
		for _, id := range ids {
			if got := f.load(t, id); got.Version != before[id] || got.ReviewedAt != nil {
				t.Errorf("%s: item %s was changed", why, id)
			}
		}
	}
	_, err := f.svc.Review(ctx, portal.ReviewInput{IDs: append(slices.Clone(ids), items["jewelry"].ID), Action: portal.ReviewMarkReviewed})
	wantActionErr(t, err, portal.ENOTFOUND, "")
	unchanged("a review naming another chain's item")
	_, err = f.svc.Review(ctx, portal.ReviewInput{IDs: ids, Action: portal.ReviewComment})
	wantActionErr(t, err, portal.EINVALID, "督查意见")
	_, err = f.svc.Review(ctx, portal.ReviewInput{IDs: nil, Action: portal.ReviewMarkReviewed})
	wantActionErr(t, err, portal.EINVALID, "至少选择一项")
	_, err = f.svc.Review(ctx, portal.ReviewInput{IDs: ids, Action: "approve"})
	wantActionErr(t, err, portal.EINVALID, "督查操作")
	_, err = f.svc.Review(f.As(t, "dispatcher"), portal.ReviewInput{IDs: ids, Action: portal.ReviewMarkReviewed})
	wantActionErr(t, err, portal.EFORBIDDEN, "")
	_, err = f.svc.Review(f.As(t, "handler"), portal.ReviewInput{IDs: ids, Action: portal.ReviewMarkReviewed})
	wantActionErr(t, err, portal.EFORBIDDEN, "")
	unchanged("refused reviews")

	res, err := f.svc.Review(ctx, portal.ReviewInput{IDs: ids, Action: portal.ReviewAskUpdate, Note: "请于周五前报送"})
	portaltest.Must(t, err, "ask for an update")
	if res.Updated != 2 || res.Notified < 3 { // handler, depthead (both items), handler-hrss
		t.Errorf("review result %+v", res)
	}
	for _, id := range ids {
		it := f.load(t, id)
		if it.ReviewedAt == nil || it.ReviewNote != "请于周五前报送" || it.Events[len(it.Events)-1].Action != "ask_update" {
			t.Errorf("item %s after review: %+v", id, it)
		}
	}
	if got := f.notes(t, "u-handler-hrss"); !slices.ContainsFunc(got, func(s string) bool { return s == "【请报送进展】议定事项：港区用工招聘" }) {
		t.Errorf("hrss was told %v", got)
	}
	entries, n, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "action_item.review", Limit: 10})
	portaltest.Must(t, err, "audit")
	if n != 2 || entries[0].ActorName == "" {
		t.Errorf("%d review audit entries", n)
	}
}

func TestActionRungPlan(t *testing.T) {
	f := newActionFixture(t)
	cst := portaltest.CST
	at := func(s string) time.Time {
		x, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		portaltest.Must(t, err, "time")
		return x.UTC()
	}
	cases := []struct {
		due                    string
		warn, chase, supervise string
	}{
		// Created Monday 10:00, due Friday: 督办 at the end of Monday.
		{"2026-03-06", "2026-03-05 20:30", "2026-03-07 00:00", "2026-03-10 00:00"},
		// Due on the Friday before Qingming (4–6 April 2026): 督办 after
		// the first working day after the holiday.
		{"2026-04-03", "2026-03-26 20:30", "2026-04-04 00:00", "2026-04-08 00:00"},
	}
	for _, c := range cases {
		it := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{Due: c.due})
		plan, err := f.svc.PlanRungs(context.Background(), it)
		portaltest.Must(t, err, "plan")
		if len(plan) != 3 {
			t.Fatalf("due %s: %d rungs", c.due, len(plan))
		}
		for i, want := range []string{c.warn, c.chase, c.supervise} {
			if !plan[i].At.Equal(at(want)) {
				t.Errorf("due %s: %s at %s, want %s", c.due, plan[i].Key.Rung, plan[i].At.In(cst).Format("2006-01-02 15:04"), want)
			}
		}
		if !it.NextRungAt.Equal(plan[0].At) {
			t.Errorf("next_rung_at %v, want the warning at %v", it.NextRungAt, plan[0].At)
		}
	}
}
