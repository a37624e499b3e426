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

// TestSeedSpotCheck plays the demo's requests and feedback, then its spot
// check: one check of last month, every item verified, with
// discrepancies flagged on their requests; a second run adds nothing.
func TestSeedSpotCheck(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 40, 0, 0, seedZone)
	clock := func() time.Time { return now }
	w := demoWorld(t, now)
	ctx := context.Background()
	_, err := demo.SeedRequests(ctx, w.Requests, now)
	portaltest.Must(t, err, "seed requests")
	cal := &portal.CalendarService{Store: mongostore.NewCalendarStore(w.DB), Now: clock, Zone: seedZone}
	fb := &portal.FeedbackService{Requests: w.Requests, Surveys: mongostore.NewSurveyStore(w.DB), Calendar: cal,
		MaxReopen: portal.DefaultMaxReopen, Now: clock}
	_, err = demo.SeedFeedback(ctx, fb, now)
	portaltest.Must(t, err, "seed feedback")
	svc := &portal.SpotCheckService{Store: mongostore.NewSpotCheckStore(w.DB), Requests: w.Requests, Users: w.Users,
		Audit: w.Requests.Audit, Zone: seedZone, Now: clock}
	n, err := demo.SeedSpotCheck(ctx, svc)
	portaltest.Must(t, err, "seed spot check")
	if n == 0 {
		t.Fatal("the demo drew no spot check")
	}
	checks, total, err := svc.Store.FindSpotChecks(ctx, portal.SpotCheckFilter{Limit: 10})
	portaltest.Must(t, err, "checks")
	if total != 1 || checks[0].Month != "2026-10" || checks[0].Sampled != n {
		t.Fatalf("%d checks, first %+v", total, checks[0])
	}
	items, _, err := svc.Store.FindSpotCheckItems(ctx, portal.SpotCheckItemFilter{CheckID: checks[0].ID, Limit: 100})
	portaltest.Must(t, err, "items")
	flagged := 0
	for _, it := range items {
		if it.Verified == nil {
			t.Errorf("%s was not verified", it.RequestNo)
			continue
		}
		r, err := w.Store.FindRequestByID(ctx, it.RequestID)
		portaltest.Must(t, err, "request %s", it.RequestNo)
		if r.Verified == nil || r.Verified.Discrepancy != (it.State == portal.ItemDiscrepancy) {
			t.Errorf("%s: item %s, request %+v", it.RequestNo, it.State, r.Verified)
		}
		if it.State == portal.ItemDiscrepancy {
			flagged++
		}
	}
	t.Logf("demo spot check of %s: %d of %d closed requests sampled, %d discrepancies", checks[0].Month, n, checks[0].Population, flagged)
	if flagged < 1 || flagged > 2 {
		t.Errorf("%d discrepancies, want one or two", flagged)
	}
	if again, err := demo.SeedSpotCheck(ctx, svc); err != nil || again != 0 {
		t.Errorf("a second run drew %d (%v)", again, err)
	}
}
