package mongostore_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestKPIStoreIncrements: $inc on dotted paths creates the document and
// the nested counts on first use (upsert by _id) and adds on later use,
// also for negative amounts; ids outside the list are not read.
func TestKPIStoreIncrements(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewKPIStore(db)
	id := portal.KPIDocID("2026-11", "all")
	key := portal.KPIKey("cat.with$dots")
	portaltest.Must(t, s.IncKPIs(ctx, []portal.KPIIncrement{
		{ID: id, Month: "2026-11", Unit: "all", Inc: map[string]int{"total.received": 1, "total.signed": 1,
			"by.department.dept-trans.received": 1, "by.category." + key + ".received": 1}},
		{ID: portal.KPIDocID("2026-11", "dept:dept-trans"), Month: "2026-11", Unit: "dept:dept-trans", Inc: map[string]int{"total.received": 1}},
	}), "first increment")
	portaltest.Must(t, s.IncKPIs(ctx, []portal.KPIIncrement{
		{ID: id, Month: "2026-11", Unit: "all", Inc: map[string]int{"total.received": 2, "total.signed": -1,
			"by.department.dept-trans.received": 1, "by.department.dept-dev.signed_on_time": 3}},
	}), "second increment")
	portaltest.Must(t, s.IncKPIs(ctx, nil), "no increments")

	docs, err := s.FindKPIDocs(ctx, []string{id, portal.KPIDocID("2026-10", "all")})
	portaltest.Must(t, err, "find")
	want := []*portal.KPIDoc{{ID: id, Month: "2026-11", Unit: "all", Total: portal.KPICounts{Received: 3},
		By: map[string]map[string]portal.KPICounts{
			"department": {"dept-trans": {Received: 2}, "dept-dev": {SignedOnTime: 3}},
			"category":   {key: {Received: 1}},
		}}}
	if len(docs) != 1 || !reflect.DeepEqual(want[0], docs[0]) {
		t.Errorf("stored counters:\n got %+v\nwant %+v", docs, want)
	}
	if portal.KPIUnkey(key) != "cat.with$dots" {
		t.Errorf("KPIUnkey(%q) = %q", key, portal.KPIUnkey(key))
	}
	if docs, err := s.FindKPIDocs(ctx, nil); err != nil || len(docs) != 0 {
		t.Errorf("no ids: %v, %v", docs, err)
	}
}

// TestKPIStoreReplace: a rebuild's documents take the place of all stored
// ones; documents it does not name are removed.
func TestKPIStoreReplace(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewKPIStore(db)
	portaltest.Must(t, s.IncKPIs(ctx, []portal.KPIIncrement{
		{ID: "2026-01|all", Month: "2026-01", Unit: "all", Inc: map[string]int{"total.received": 5}},
		{ID: "2026-02|all", Month: "2026-02", Unit: "all", Inc: map[string]int{"total.received": 7}},
	}), "increment")
	var docs []*portal.KPIDoc
	for i := 0; i < 450; i++ { // more than one batch
		docs = append(docs, &portal.KPIDoc{ID: fmt.Sprintf("2026-01|handler:u%03d", i), Month: "2026-01", Unit: fmt.Sprintf("handler:u%03d", i),
			Total: portal.KPICounts{Received: i + 1}, By: map[string]map[string]portal.KPICounts{"tier": {"A": {Received: i + 1}}}})
	}
	docs = append(docs, &portal.KPIDoc{ID: "2026-01|all", Month: "2026-01", Unit: "all", Total: portal.KPICounts{Received: 1}})
	portaltest.Must(t, s.ReplaceKPIDocs(ctx, docs), "replace")
	got, err := s.FindKPIDocs(ctx, []string{"2026-01|all", "2026-02|all", "2026-01|handler:u449"})
	portaltest.Must(t, err, "find")
	if len(got) != 2 {
		t.Fatalf("after replace found %d documents, want 2 (2026-02 removed): %+v", len(got), got)
	}
	for _, d := range got {
		switch d.ID {
		case "2026-01|all":
			if d.Total.Received != 1 {
				t.Errorf("all: received %d, want 1 (replaced, not added)", d.Total.Received)
			}
		case "2026-01|handler:u449":
			if d.Total.Received != 450 || d.By["tier"]["A"].Received != 450 {
				t.Errorf("handler doc: %+v", d)
			}
		default:
			t.Errorf("unexpected document %s", d.ID)
		}
	}
}

// TestKPIScanAndScorecard: the rebuild scan reads every request without
// its texts; the scorecard
// lists one department's requests of the months asked, oldest first,
// without merged children, and its cursor reads on where a page ended.
func TestKPIScanAndScorecard(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	rs := mongostore.NewRequestStore(db, time.UTC)
	s := mongostore.NewKPIStore(db)
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var all []*portal.Request
	for i := 0; i < 25; i++ {
		r := &portal.Request{ID: fmt.Sprintf("r%02d", i), No: fmt.Sprintf("HQ-2026-%06d", i+1), Title: "标题", Status: portal.StatusSigned,
			DepartmentID: "dept-trans", Description: "很长的诉求内容", CreatedAt: base.Add(time.Duration(i%5) * 24 * time.Hour),
			Attachments: []portal.Attachment{}, Timeline: []portal.Event{{Action: "file"}}, Version: 1}
		switch {
		case i == 3:
			r.ParentID = "r00"
		case i == 4:
			r.DepartmentID = "dept-dev"
		case i == 5:
			r.CreatedAt = base.AddDate(0, 1, 0)
		}
		all = append(all, r)
	}
	portaltest.Must(t, rs.InsertRequests(ctx, all), "insert")

	var seen []string
	portaltest.Must(t, s.EachKPIRequest(ctx, func(r *portal.Request) error {
		seen = append(seen, r.ID)
		if r.Description != "" || len(r.Timeline) > 0 {
			t.Fatalf("scan read the texts of %s", r.ID)
		}
		return nil
	}), "scan")
	slices.Sort(seen)
	if len(seen) != 25 || seen[0] != "r00" || seen[24] != "r24" {
		t.Errorf("scan saw %v", seen)
	}

	f := portal.ScorecardFilter{DepartmentID: "dept-trans", From: base, To: base.AddDate(0, 1, 0), Limit: 7, Count: true}
	first, total, err := s.FindScorecardRequests(ctx, f)
	portaltest.Must(t, err, "scorecard")
	if total != 22 || len(first) != 7 {
		t.Fatalf("scorecard: total %d, page %d; want 22 (25 less a child, another department, another month), 7", total, len(first))
	}
	var got []string
	f.Count = false
	for page := first; ; {
		for i, r := range page {
			got = append(got, r.ID)
			if i > 0 && r.CreatedAt.Before(page[i-1].CreatedAt) {
				t.Errorf("scorecard out of order at %s", r.ID)
			}
		}
		if len(page) < f.Limit {
			break
		}
		last := page[len(page)-1]
		f.After = &portal.ScorecardCursor{CreatedAt: last.CreatedAt, ID: last.ID}
		page, _, err = s.FindScorecardRequests(ctx, f)
		portaltest.Must(t, err, "next page")
	}
	if len(got) != 22 {
		t.Errorf("paging by cursor read %d rows, want 22: %v", len(got), got)
	}
	dup := map[string]bool{}
	for _, id := range got {
		if dup[id] || id == "r03" || id == "r04" || id == "r05" {
			t.Errorf("scorecard row %s is repeated or should not be there", id)
		}
		dup[id] = true
	}
}
