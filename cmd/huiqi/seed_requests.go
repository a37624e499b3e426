package main

import (
	"context"
	"fmt"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
)

// seedDemoRequests plays the demo requests (portal/demo) through the
// request service built as serve builds it — SLA deadlines on the working
// calendar and the chasing ladder included, so that overdue demo requests
// are chased once the worker runs — and then indexes them for the
// similar-request search in one batch. It does nothing when the database
// already holds requests. serve builds its service only after the demo is
// loaded, hence this one; it has no listeners, because the seed command
// runs without Redis and the sweeper finds the rungs by next_rung_at.
func seedDemoRequests(ctx context.Context, st *stack) error {
	start := time.Now()
	auditor := &portal.Auditor{Store: mongostore.NewAuditStore(st.db), Now: time.Now}
	calendar := &portal.CalendarService{Store: mongostore.NewCalendarStore(st.db), Audit: auditor, Now: time.Now,
		Zone: st.cfg.Location, BusinessHours: st.cfg.BusinessHours}
	store := mongostore.NewRequestStore(st.db, st.cfg.Location)
	requests := &portal.RequestService{Store: store, Enterprises: mongostore.NewEnterpriseStore(st.db),
		Org: mongostore.NewOrgStore(st.db), Users: mongostore.NewUserStore(st.db), Categories: mongostore.NewCategoryStore(st.db),
		Attachments: mongostore.NewAttachmentStore(st.db), Notify: mongostore.NewNotificationStore(st.db),
		Audit: auditor, Log: st.log, Now: time.Now}
	requests.Deadlines = &portal.SLAService{Store: mongostore.NewSLAPlanStore(st.db), Calendar: calendar, Audit: auditor,
		Log: st.log, Now: time.Now}
	requests.Rungs = &portal.Chaser{Requests: requests, Store: store, Calendar: calendar, Ladder: st.cfg.Ladder, Now: time.Now}
	n, err := demo.SeedRequests(ctx, requests, start)
	if err != nil {
		return fmt.Errorf("demo requests: %w", err)
	}
	if n == 0 {
		return nil
	}
	// The feedback stage: every resolved request gets its survey (the
	// feedback listener, on the story clock), and the enterprises answer,
	// are phoned, stay silent or are unhappy (portal/demo/feedback.go).
	feedback := &portal.FeedbackService{Requests: requests, Surveys: mongostore.NewSurveyStore(st.db), Calendar: calendar,
		MaxReopen: st.cfg.FeedbackMaxReopen, Now: time.Now}
	requests.Events = append(requests.Events, feedback)
	if _, err := demo.SeedFeedback(ctx, feedback, start); err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	// A finished spot check of the closed requests (portal/demo/spotchecks.go).
	if _, err := demo.SeedSpotCheck(ctx, &portal.SpotCheckService{Store: mongostore.NewSpotCheckStore(st.db), Requests: requests,
		Users: requests.Users, Audit: auditor, Zone: st.cfg.Location, Now: time.Now}); err != nil {
		return fmt.Errorf("demo spot check: %w", err)
	}
	if st.requestIndex != nil {
		docs, err := portal.RequestIndexDocuments(ctx, store)
		if err != nil {
			return fmt.Errorf("index demo requests: %w", err)
		}
		if err := st.requestIndex.Upsert(ctx, docs...); err != nil {
			return fmt.Errorf("index demo requests: %w", err)
		}
	}
	// The counters are recomputed once the whole story (feedback included)
	// is played, rather than kept by a listener through it.
	if _, _, err := st.rebuildKPIs(ctx, nil); err != nil {
		return fmt.Errorf("demo rate counters: %w", err)
	}
	st.log.Info("demo requests loaded", "requests", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
