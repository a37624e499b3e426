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

// TestSeedFeedback plays the demo's feedback stage after its requests and
// checks that every outcome a district sees is there: answers by link and
// by phone, requests closed unrated, requests reopened after an unhappy
// answer (one of them resolved again), and surveys still open.
func TestSeedFeedback(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 40, 0, 0, seedZone)
	w := demoWorld(t, now)
	ctx := context.Background()
	_, err := demo.SeedRequests(ctx, w.Requests, now)
	portaltest.Must(t, err, "seed requests")
	cal := &portal.CalendarService{Store: mongostore.NewCalendarStore(w.DB), Now: func() time.Time { return now }, Zone: seedZone}
	surveys := mongostore.NewSurveyStore(w.DB)
	fb := &portal.FeedbackService{Requests: w.Requests, Surveys: surveys, Calendar: cal, MaxReopen: portal.DefaultMaxReopen,
		Now: func() time.Time { return now }}
	opened, err := demo.SeedFeedback(ctx, fb, now)
	portaltest.Must(t, err, "seed feedback")

	var link, phone, unrated, reopened, rehandled, resolved int
	for _, r := range allRequests(t, w) {
		switch {
		case r.Unrated:
			unrated++
		case r.Status == portal.StatusReopened:
			reopened++
		case r.Status == portal.StatusResolved:
			resolved++
		}
		if r.Reopened > 0 && r.Status != portal.StatusReopened {
			rehandled++
		}
		if r.Feedback != nil && r.Status == portal.StatusClosed {
			if r.Feedback.Via == portal.ViaPhone {
				phone++
				if r.Feedback.RecordedByName == "" {
					t.Errorf("%s: a phone answer without the officer's name", r.No)
				}
			} else {
				link++
			}
		}
		if r.Feedback != nil && r.Feedback.At.After(now) {
			t.Errorf("%s answered in the future (%v)", r.No, r.Feedback.At)
		}
	}
	open, _, err := surveys.FindSurveys(ctx, portal.SurveyFilter{States: []portal.SurveyState{portal.SurveyPending, portal.SurveyFollowUp}})
	portaltest.Must(t, err, "open surveys")
	t.Logf("%d surveys: %d by link, %d by phone, %d unrated, %d reopened, %d re-handled, %d open", opened, link, phone, unrated,
		reopened, rehandled, len(open))
	if link < 5 || phone < 1 || unrated < 1 || reopened < 1 || rehandled < 1 || len(open) < 1 {
		t.Errorf("the demo lacks an outcome: %d by link, %d by phone, %d unrated, %d reopened, %d re-handled, %d open surveys",
			link, phone, unrated, reopened, rehandled, len(open))
	}
	if len(open) != resolved {
		t.Errorf("%d open surveys for %d resolved requests", len(open), resolved)
	}
}
