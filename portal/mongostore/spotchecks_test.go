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

func TestSpotCheckStore(t *testing.T) {
	db := portaltest.DB(t)
	s := mongostore.NewSpotCheckStore(db)
	reqs := mongostore.NewRequestStore(db, time.UTC)
	ctx := ctxT(t)
	oct := time.Date(2026, 10, 15, 8, 0, 0, 0, time.UTC)
	closed := func(id, dept string, status portal.Status, at time.Time) *portal.Request {
		return &portal.Request{ID: id, No: "HQ-2026-" + id, Title: "store " + id, Status: status, DepartmentID: dept,
			DepartmentName: dept, EnterpriseName: "海湾国际物流", Description: "不需要的长描述", Attachments: []portal.Attachment{},
			Feedback: &portal.Feedback{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied, Via: portal.ViaLink, At: at},
			Timeline: []portal.Event{{At: at, Action: "close"}}, CreatedAt: at, UpdatedAt: at, ClosedAt: &at, Version: 1}
	}
	portaltest.Must(t, reqs.InsertRequests(ctx, []*portal.Request{
		closed("c2", "dept-trans", portal.StatusClosed, oct),
		closed("c1", "dept-drc", portal.StatusClosed, oct.AddDate(0, 0, 16)),     // Oct 31
		closed("late", "dept-drc", portal.StatusClosed, oct.AddDate(0, 0, 17)),   // Nov 1
		closed("early", "dept-drc", portal.StatusClosed, oct.AddDate(0, 0, -15)), // Sep 30
		closed("open", "dept-drc", portal.StatusResolved, oct),                   // not closed
		closed("nodept", "", portal.StatusClosed, oct),                           // no department
	}), "insert requests")

	t.Run("Candidates", func(t *testing.T) {
		got, err := s.FindSpotCheckCandidates(ctx, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		portaltest.Must(t, err, "candidates")
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
			if r.Description != "" || r.Timeline != nil || r.Feedback == nil || r.ClosedAt == nil {
				t.Errorf("candidate %s carries %q, %d events, feedback %v", r.ID, r.Description, len(r.Timeline), r.Feedback)
			}
		}
		if !slices.Equal(ids, []string{"c1", "c2"}) {
			t.Errorf("candidates %v, want [c1 c2]", ids)
		}
	})

	check := &portal.SpotCheck{ID: "sc-1", Month: "2026-10", Percent: 50, Seed: 9, Population: 2, Sampled: 2,
		ReviewerIDs: []string{"u-a"}, CreatedAt: oct}
	item := func(seq int, req, dept, reviewer string) *portal.SpotCheckItem {
		return &portal.SpotCheckItem{ID: portal.SpotCheckItemID("sc-1", req), CheckID: "sc-1", CheckMonth: "2026-10", Seq: seq,
			RequestID: req, RequestNo: "HQ-2026-" + req, Title: "标题" + req, EnterpriseName: "海湾国际物流", DepartmentID: dept,
			ReviewerID: reviewer, State: portal.ItemPending, Version: 1}
	}
	items := []*portal.SpotCheckItem{item(2, "c2", "dept-trans", "u-b"), item(1, "c1", "dept-drc", "u-a"), item(3, "c3", "dept-trans", "u-a")}
	portaltest.Must(t, s.CreateSpotCheck(ctx, check, items), "create")

	t.Run("ErrDuplicate", func(t *testing.T) {
		dup := *check
		err := s.CreateSpotCheck(ctx, &dup, []*portal.SpotCheckItem{item(1, "c9", "dept-drc", "u-a")})
		if !portal.IsCode(err, portal.ECONFLICT) {
			t.Fatalf("duplicate check: %v", err)
		}
		if _, err := s.FindSpotCheckItem(ctx, "sc-1", "c9"); !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("the failed check left its item behind: %v", err)
		}
		if _, err := s.FindSpotCheckItem(ctx, "sc-1", "c1"); err != nil {
			t.Errorf("the failed check removed the first check's items: %v", err)
		}
	})

	t.Run("Lists", func(t *testing.T) {
		got, total, err := s.FindSpotChecks(ctx, portal.SpotCheckFilter{ReviewerID: "u-a", Limit: 10})
		portaltest.Must(t, err, "find checks")
		if total != 1 || got[0].ID != "sc-1" {
			t.Errorf("checks of u-a: %d", total)
		}
		if _, total, _ := s.FindSpotChecks(ctx, portal.SpotCheckFilter{ReviewerID: "u-z"}); total != 0 {
			t.Errorf("checks of u-z: %d", total)
		}
		all, total, err := s.FindSpotCheckItems(ctx, portal.SpotCheckItemFilter{CheckID: "sc-1", Limit: 10})
		portaltest.Must(t, err, "items")
		if total != 3 || all[0].RequestID != "c1" || all[1].RequestID != "c2" || all[2].RequestID != "c3" {
			t.Errorf("items not in sample order: %d", total)
		}
		mine, total, err := s.FindSpotCheckItems(ctx, portal.SpotCheckItemFilter{ReviewerID: "u-a", DepartmentID: "dept-trans", Q: "c3"})
		portaltest.Must(t, err, "filtered items")
		if total != 1 || mine[0].RequestID != "c3" {
			t.Errorf("filtered items: %d", total)
		}
	})

	t.Run("UpdateAndCount", func(t *testing.T) {
		it, err := s.FindSpotCheckItem(ctx, "sc-1", "c2")
		portaltest.Must(t, err, "find item")
		it.State, it.Verified = portal.ItemDiscrepancy, &portal.Verification{CheckID: "sc-1", Solved: portal.Unsolved,
			Satisfaction: portal.Dissatisfied, Discrepancy: true}
		// Of racing writers from one version exactly one wins.
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c := *it
				errs[i] = s.UpdateSpotCheckItem(ctx, &c, 1)
			}(i)
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !portal.IsCode(err, portal.ECONFLICT):
				t.Errorf("racing update: %v", err)
			}
		}
		if won != 1 {
			t.Errorf("%d racing updates won, want 1", won)
		}
		stored, err := s.FindSpotCheckItem(ctx, "sc-1", "c2")
		portaltest.Must(t, err, "stored")
		if stored.Version != 2 || stored.Verified == nil || !stored.Verified.Discrepancy {
			t.Errorf("stored %+v", stored)
		}
		counts, err := s.CountSpotCheckItems(ctx, []string{"sc-1"}, "")
		portaltest.Must(t, err, "count")
		byDept := map[string]portal.SpotCheckCount{}
		for _, c := range counts {
			byDept[c.DepartmentID] = c
		}
		if got := byDept["dept-trans"]; got.Items != 2 || got.Verified != 1 || got.Discrepancies != 1 {
			t.Errorf("transport counts %+v", got)
		}
		if got := byDept["dept-drc"]; got.Items != 1 || got.Verified != 0 {
			t.Errorf("drc counts %+v", got)
		}
		own, err := s.CountSpotCheckItems(ctx, []string{"sc-1"}, "u-a")
		portaltest.Must(t, err, "count own")
		n := 0
		for _, c := range own {
			n += c.Items
		}
		if n != 2 {
			t.Errorf("u-a has %d items, want 2", n)
		}
	})

	t.Run("AddReviewer", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			portaltest.Must(t, s.AddSpotCheckReviewer(ctx, "sc-1", "u-c"), "add reviewer %d", i)
		}
		c, err := s.FindSpotCheckByID(ctx, "sc-1")
		portaltest.Must(t, err, "find")
		if !slices.Equal(c.ReviewerIDs, []string{"u-a", "u-c"}) {
			t.Errorf("reviewers %v", c.ReviewerIDs)
		}
		if err := s.AddSpotCheckReviewer(ctx, "sc-none", "u-c"); !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("unknown check: %v", err)
		}
		if _, err := s.FindSpotCheckByID(ctx, "sc-none"); !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("find unknown: %v", err)
		}
	})
}
