package portal_test

import (
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestActionRollUp(t *testing.T) {
	sub := func(progress, weight int, st portal.ActionStatus) *portal.ActionItem {
		return &portal.ActionItem{Progress: progress, Weight: weight, Status: st}
	}
	ip, done, cancelled := portal.ActionInProgress, portal.ActionDone, portal.ActionCancelled
	cases := []struct {
		name     string
		subs     []*portal.ActionItem
		progress int
		active   int
		allDone  bool
	}{
		{"none", nil, 0, 0, false},
		{"one", []*portal.ActionItem{sub(40, 10, ip)}, 40, 1, false},
		{"weighted 30/70", []*portal.ActionItem{sub(100, 30, ip), sub(50, 70, ip)}, 65, 2, false},
		{"weights need not add to 100", []*portal.ActionItem{sub(100, 1, ip), sub(0, 3, ip)}, 25, 2, false},
		{"rounds half up", []*portal.ActionItem{sub(1, 1, ip), sub(0, 1, ip)}, 1, 2, false},         // 0.5 → 1
		{"rounds down below half", []*portal.ActionItem{sub(1, 1, ip), sub(0, 2, ip)}, 0, 2, false}, // 0.33 → 0
		{"a zero weight counts nothing", []*portal.ActionItem{sub(100, 0, ip), sub(20, 5, ip)}, 20, 2, false},
		{"all weights zero: plain mean", []*portal.ActionItem{sub(100, 0, ip), sub(20, 0, ip)}, 60, 2, false},
		{"done counts 100 whatever its progress says", []*portal.ActionItem{sub(0, 50, done), sub(0, 50, ip)}, 50, 2, false},
		{"cancelled counts nothing", []*portal.ActionItem{sub(90, 50, cancelled), sub(30, 50, ip)}, 30, 1, false},
		{"99.5 is not 100 before all are", []*portal.ActionItem{sub(100, 199, ip), sub(0, 1, ip)}, 99, 2, false},
		{"every one done", []*portal.ActionItem{sub(100, 20, done), sub(100, 80, done), sub(0, 10, cancelled)}, 100, 2, true},
		{"all cancelled", []*portal.ActionItem{sub(50, 20, cancelled)}, 0, 0, false},
		{"out-of-range progress is clamped", []*portal.ActionItem{sub(150, 1, ip), sub(-10, 1, ip)}, 50, 2, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, n, all := portal.RollUp(c.subs)
			if p != c.progress || n != c.active || all != c.allDone {
				t.Errorf("RollUp = %d%%, %d active, all done %v; want %d%%, %d, %v", p, n, all, c.progress, c.active, c.allDone)
			}
		})
	}
}

func TestActionSubItemsRollUp(t *testing.T) {
	f := newActionFixture(t)
	parent := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{Title: "港区集疏运综合整治"})
	a := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{Title: "夜间通行证", ParentID: parent.ID, Weight: 30})
	b := f.item(t, "committee", "mtg-port-1", portal.ActionItemInput{Title: "道路改造", ParentID: parent.ID, Weight: 70,
		LeadUnitID: "dept-housing"})
	if p := f.load(t, parent.ID); p.SubCount != 2 || p.Progress != 0 {
		t.Fatalf("parent after two sub-items: %d sub-items, %d%%", p.SubCount, p.Progress)
	}
	_, err := f.svc.Report(f.As(t, "handler"), parent.ID, portal.ProgressInput{Percent: pct(50), Note: "直接报送父事项"}, nil)
	wantActionErr(t, err, portal.ECONFLICT, "子事项")

	_, err = f.svc.Report(f.As(t, "handler"), a.ID, portal.ProgressInput{Percent: pct(100), Note: "通行证已全部发放"},
		[]portal.Upload{{Name: "清单.png", Content: pngBytes}})
	portaltest.Must(t, err, "report a")
	p := f.load(t, parent.ID)
	if p.Progress != 30 || p.Status != portal.ActionInProgress || p.AwaitingConfirm {
		t.Fatalf("parent after a at 100 %%: %d%% %s awaiting %v", p.Progress, p.Status, p.AwaitingConfirm)
	}
	w := 50
	_, err = f.svc.Update(f.As(t, "committee"), b.ID, portal.ActionItemPatch{Weight: &w})
	portaltest.Must(t, err, "reweigh b")
	if p := f.load(t, parent.ID); p.Progress != 38 { // 30·100 / 80 = 37.5 → 38
		t.Errorf("parent after reweighing: %d%%, want 38", p.Progress)
	}
	_, err = f.svc.Cancel(f.As(t, "committee"), parent.ID, portal.CancelInput{Reason: "整体撤销"})
	wantActionErr(t, err, portal.ECONFLICT, "子事项")

	_, err = f.svc.Confirm(f.As(t, "committee"), a.ID, portal.ConfirmInput{})
	portaltest.Must(t, err, "confirm a")
	_, err = f.svc.Cancel(f.As(t, "committee"), b.ID, portal.CancelInput{Reason: "道路改造纳入市级计划"})
	portaltest.Must(t, err, "cancel b")
	p = f.load(t, parent.ID)
	if p.Progress != 100 || !p.AwaitingConfirm {
		t.Fatalf("parent with a done and b cancelled: %d%% awaiting %v", p.Progress, p.AwaitingConfirm)
	}
	if got := f.notes(t, "u-committee"); len(got) == 0 {
		t.Error("the committee was not told the parent waits for confirmation")
	}
	p, err = f.svc.Confirm(f.As(t, "committee"), parent.ID, portal.ConfirmInput{})
	portaltest.Must(t, err, "confirm the parent")
	if p.Status != portal.ActionDone {
		t.Errorf("parent: %s", p.Status)
	}
	subs, err := f.svc.SubItems(f.As(t, "committee"), parent.ID)
	portaltest.Must(t, err, "sub-items")
	if len(subs) != 2 {
		t.Errorf("%d sub-items listed", len(subs))
	}
	_, err = f.svc.Create(f.As(t, "committee"), "mtg-port-1", portal.ActionItemInput{Title: "再分一层", LeadUnitID: "dept-trans",
		Due: "2026-03-20", ParentID: a.ID, Weight: 10})
	wantActionErr(t, err, portal.EINVALID, "")
}
