package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestSeedActionItems(t *testing.T) {
	now := time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC)
	db := portaltest.DB(t)
	w := portaltest.NewWorld(t, db, func() time.Time { return now })
	svc := w.WithActionItems(t)
	// The port chain's past meetings, and an upcoming one that gets nothing.
	portaltest.InsertMeeting(t, db, portaltest.PortMeeting("mtg-chain-port-1", now.AddDate(0, 0, -30)),
		portaltest.PortMeeting("mtg-chain-port-2", now.AddDate(0, 0, -20)), portaltest.PortMeeting("mtg-chain-port-3", now.AddDate(0, 0, 5)))
	st := demo.ActionStores{Items: svc.Store, Meetings: svc.Meetings, Attachments: mongostore.NewAttachmentStore(db), Planner: svc}
	ctx := context.Background()
	n, err := demo.SeedActionItems(ctx, st, now, portaltest.CST)
	portaltest.Must(t, err, "seed")
	if n != 9 {
		t.Fatalf("seeded %d items for the port chain, want 9", n)
	}
	if again, err := demo.SeedActionItems(ctx, st, now, portaltest.CST); err != nil || again != 0 {
		t.Fatalf("a second seeding stored %d (%v)", again, err)
	}
	items, _, err := svc.Store.FindActionItems(ctx, portal.ActionItemFilter{Limit: 100})
	portaltest.Must(t, err, "items")
	seen := map[string]int{}
	byID := map[string]*portal.ActionItem{}
	for _, it := range items {
		byID[it.ID] = it
		key := string(it.Status)
		if it.AwaitingConfirm {
			key = "awaiting"
		}
		seen[key]++
		if it.Overdue(now) {
			seen["overdue"]++
			if it.NextRungAt == nil {
				t.Errorf("overdue item %s has no rung planned", it.ID)
			}
		}
		if it.MeetingID == "mtg-chain-port-3" {
			t.Errorf("item %s on a meeting not yet held", it.ID)
		}
	}
	for _, k := range []string{"open", "in_progress", "awaiting", "done", "cancelled", "overdue"} {
		if seen[k] == 0 {
			t.Errorf("no demo item is %s (%v)", k, seen)
		}
	}
	done := byID["act-chain-port-4"]
	if done == nil || !done.HasEvidence() || done.ConfirmedAt == nil {
		t.Fatalf("the done item: %+v", done)
	}
	if _, rc, err := svc.OpenEvidence(w.As(t, "committee"), done.ID, done.Updates[len(done.Updates)-1].Evidence[0].ID); err != nil {
		t.Errorf("the done item's evidence: %v", err)
	} else {
		rc.Close()
	}
	parent := byID["act-chain-port-7"]
	subs, _, err := svc.Store.FindActionItems(ctx, portal.ActionItemFilter{ParentID: parent.ID})
	portaltest.Must(t, err, "sub-items")
	if p, _, _ := portal.RollUp(subs); len(subs) != 2 || parent.SubCount != 2 || p != parent.Progress {
		t.Errorf("parent at %d%% with %d sub-items rolling up to %d%%", parent.Progress, len(subs), p)
	}
	// The demo items are workable: the lead of the awaiting item's parent chain confirms it.
	if _, err := svc.Confirm(w.As(t, "committee"), "act-chain-port-3", portal.ConfirmInput{}); err != nil {
		t.Errorf("confirm the awaiting demo item: %v", err)
	}
}
