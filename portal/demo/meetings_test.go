package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestSeedMeetings(t *testing.T) {
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	w := demoWorld(t, now)
	ctx := context.Background()
	_, err := demo.SeedRequests(ctx, w.Requests, now)
	portaltest.Must(t, err, "seed requests")
	meetings, visits := mongostore.NewMeetingStore(w.DB), mongostore.NewVisitStore(w.DB)
	st := demo.MeetingStores{Meetings: meetings, Visits: visits, Requests: w.Store, Enterprises: mongostore.NewEnterpriseStore(w.DB)}
	n, err := demo.SeedMeetings(ctx, st, now)
	portaltest.Must(t, err, "seed meetings")
	if n == 0 {
		t.Fatal("seeded nothing")
	}

	for _, c := range demo.Chains() {
		for i := 1; i <= 3; i++ {
			id := "mtg-" + c.ID + "-" + string(rune('0'+i))
			m, err := meetings.FindMeetingByID(ctx, id)
			portaltest.Must(t, err, "meeting %s", id)
			if m.ChainID != c.ID || m.Title == "" || m.Place == "" || m.ConvenerUnitID == "" || len(m.DepartmentIDs) == 0 {
				t.Errorf("%s: %+v", id, m)
			}
			if i < 3 {
				if !m.At.Before(now) || m.MinutesAt == nil || !strings.Contains(m.Minutes, "一、") || m.MinutesAt.Before(m.At) {
					t.Errorf("%s should be held with minutes: at %v, minutes at %v", id, m.At, m.MinutesAt)
				}
				// The requests raised there name it and were filed after it.
				raised, _, err := w.Store.FindRequests(ctx, portal.RequestFilter{SourceID: id, Limit: 100})
				portaltest.Must(t, err, "raised at %s", id)
				for _, r := range raised {
					if r.CreatedAt.Before(m.At) || r.Channel != m.Type.Channel() || !containsChain(r.ChainIDs, c.ID) {
						t.Errorf("%s raised at %s (%v) is filed %v by %s", r.No, id, m.At, r.CreatedAt, r.Channel)
					}
				}
				continue
			}
			if !m.At.After(now) || len(m.Topics) < 2 || m.Minutes != "" {
				t.Errorf("%s should be upcoming with topics: at %v, %d topics", id, m.At, len(m.Topics))
			}
			for _, tp := range m.Topics {
				if tp.Title == "" || tp.EnterpriseID == "" || tp.SubmittedBy == "" || !tp.SubmittedAt.Before(now.Add(time.Second)) {
					t.Errorf("%s topic %+v", id, tp)
				}
			}
		}
	}
	for _, id := range []string{"mtg-chain-port-1", "mtg-chain-jewelry-2", "mtg-chain-health-2", "mtg-chain-tourism-2"} {
		if _, n, _ := w.Store.FindRequests(ctx, portal.RequestFilter{SourceID: id, Limit: 1}); n == 0 {
			t.Errorf("no demo request names %s as its source", id)
		}
	}

	// Every demo liaison has recent visits, and visit requests name theirs.
	for _, liaison := range []string{"u-liaison", "u-liaison2"} {
		list, total, err := visits.FindVisits(ctx, portal.VisitFilter{LiaisonID: liaison, Limit: 50})
		portaltest.Must(t, err, "visits of %s", liaison)
		withRequests := 0
		for _, v := range list {
			if v.At.After(now) || v.EnterpriseName == "" || v.PeopleMet == "" {
				t.Errorf("visit %+v", v)
			}
			for _, id := range v.RequestIDs {
				r, err := w.Store.FindRequestByID(ctx, id)
				portaltest.Must(t, err, "request %s", id)
				if r.Source == nil || r.Source.ID != v.ID || r.EnterpriseID != v.EnterpriseID {
					t.Errorf("%s is listed at visit %s but names %+v", r.No, v.ID, r.Source)
				}
			}
			if len(v.RequestIDs) > 0 {
				withRequests++
			}
		}
		if total < 2 || withRequests == 0 || now.Sub(list[0].At) > 7*24*time.Hour {
			t.Errorf("%s: %d visits, %d with requests, latest %v", liaison, total, withRequests, list[0].At)
		}
	}

	again, err := demo.SeedMeetings(ctx, st, now.Add(time.Hour))
	portaltest.Must(t, err, "seed again")
	if again != 0 {
		t.Errorf("seeding again stored %d documents", again)
	}
}

func containsChain(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
