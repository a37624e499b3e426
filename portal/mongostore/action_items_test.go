package mongostore_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func actionItem(id, chain, meeting, lead string, due time.Time, st portal.ActionStatus) *portal.ActionItem {
	return &portal.ActionItem{ID: id, MeetingID: meeting, MeetingName: "会议 " + meeting, ChainID: chain, Title: "事项 " + id,
		LeadUnitID: lead, LeadName: "单位 " + lead, Due: due, Priority: portal.PriorityNormal, Status: st,
		Updates: []portal.ProgressUpdate{}, Version: 1, CreatedAt: due.AddDate(0, 0, -10), UpdatedAt: due.AddDate(0, 0, -10)}
}

func TestActionItemStore(t *testing.T) {
	s := mongostore.NewActionItemStore(portaltest.DB(t))
	ctx := ctxT(t)
	day := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	items := []*portal.ActionItem{
		actionItem("a1", "chain-port", "m1", "dept-trans", day, portal.ActionOpen),
		actionItem("a2", "chain-port", "m1", "dept-hrss", day.AddDate(0, 0, -3), portal.ActionDone),
		actionItem("a3", "chain-port", "m2", "dept-hrss", day.AddDate(0, 0, 2), portal.ActionInProgress),
		actionItem("a4", "chain-jewelry", "m3", "dept-miit", day.AddDate(0, 0, -1), portal.ActionInProgress),
	}
	items[2].CoUnitIDs = []string{"dept-trans"}
	items[3].AwaitingConfirm = true
	next := day.Add(-time.Hour)
	items[0].NextRungAt = &next
	for _, it := range items {
		portaltest.Must(t, s.CreateActionItem(ctx, it), "create %s", it.ID)
	}
	t.Run("ErrConflict on a taken id", func(t *testing.T) {
		if err := s.CreateActionItem(ctx, actionItem("a1", "chain-port", "m1", "dept-trans", day, portal.ActionOpen)); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("duplicate: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.FindActionItemByID(ctx, "nope"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("missing: %v", err)
		}
	})
	ids := func(f portal.ActionItemFilter) []string {
		t.Helper()
		got, total, err := s.FindActionItems(ctx, f)
		portaltest.Must(t, err, "find %+v", f)
		var out []string
		for _, it := range got {
			out = append(out, it.ID)
		}
		if f.Limit == 0 && total != len(out) {
			t.Errorf("total %d for %d items", total, len(out))
		}
		return out
	}
	overdueAt := day.Add(-12 * time.Hour)
	for name, c := range map[string]struct {
		f    portal.ActionItemFilter
		want []string
	}{
		"open first, by due":                   {portal.ActionItemFilter{}, []string{"a4", "a1", "a3", "a2"}},
		"a chain":                              {portal.ActionItemFilter{AnyOf: []portal.ActionScope{{ChainID: "chain-port"}}}, []string{"a1", "a3", "a2"}},
		"a unit, lead or co-owner":             {portal.ActionItemFilter{AnyOf: []portal.ActionScope{{UnitID: "dept-trans"}}}, []string{"a1", "a3"}},
		"an empty scope":                       {portal.ActionItemFilter{AnyOf: []portal.ActionScope{}}, nil},
		"a meeting":                            {portal.ActionItemFilter{MeetingID: "m1"}, []string{"a1", "a2"}},
		"an owner":                             {portal.ActionItemFilter{UnitID: "dept-hrss"}, []string{"a3", "a2"}},
		"awaiting":                             {portal.ActionItemFilter{AwaitingConfirm: ptr(true)}, []string{"a4"}},
		"overdue leaves out awaiting and done": {portal.ActionItemFilter{OverdueAt: &overdueAt}, nil},
		"overdue":                              {portal.ActionItemFilter{OverdueAt: &day}, []string{"a1"}},
		"title":                                {portal.ActionItemFilter{Q: "A3"}, []string{"a3"}},
		"statuses":                             {portal.ActionItemFilter{Statuses: []portal.ActionStatus{portal.ActionDone}}, []string{"a2"}},
	} {
		if got := ids(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	if got := ids(portal.ActionItemFilter{Offset: 1, Limit: 2}); !slices.Equal(got, []string{"a1", "a3"}) {
		t.Errorf("page 2 of 2: %v", got)
	}

	meetings, owners, err := s.ActionItemFacets(ctx, portal.ActionItemFilter{AnyOf: []portal.ActionScope{{ChainID: "chain-port"}}})
	portaltest.Must(t, err, "facets")
	if len(meetings) != 2 || meetings[0].ID != "m1" || meetings[0].Count != 2 || meetings[0].Name != "会议 m1" {
		t.Errorf("meetings %+v", meetings)
	}
	if len(owners) != 2 || owners[0].ID != "dept-hrss" || owners[0].Count != 2 {
		t.Errorf("owners %+v", owners)
	}

	due, err := s.FindActionItemsWithRungBefore(ctx, day, nil, 10)
	portaltest.Must(t, err, "rungs")
	if len(due) != 1 || due[0].ID != "a1" {
		t.Errorf("rungs due: %v", due)
	}
	if due, _ := s.FindActionItemsWithRungBefore(ctx, day, &portal.RungCursor{At: next, ID: "a1"}, 10); len(due) != 0 {
		t.Errorf("after the cursor: %v", due)
	}

	t.Run("one of racing updates wins", func(t *testing.T) {
		var wg sync.WaitGroup
		wins := make(chan string, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				it, err := s.FindActionItemByID(ctx, "a3")
				if err != nil {
					return
				}
				it.Title = "并发修改"
				it.Progress = i
				if err := s.UpdateActionItem(ctx, it, 1); err == nil {
					wins <- it.Title
				} else if portal.ErrorCode(err) != portal.ECONFLICT {
					t.Errorf("update: %v", err)
				}
			}()
		}
		wg.Wait()
		close(wins)
		if n := len(wins); n != 1 {
			t.Errorf("%d updates of version 1 won", n)
		}
		got, err := s.FindActionItemByID(ctx, "a3")
		portaltest.Must(t, err, "reload")
		if got.Version != 2 {
			t.Errorf("version %d after one win", got.Version)
		}
		if err := s.UpdateActionItem(ctx, got, 1); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("stale update: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
