package main

import (
	"context"
	"fmt"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
)

// actionItemService builds the action item service (议定事项) on the
// stack: meetings from the meeting store, linked requests checked through
// requests, chasing on the working calendar with the configured ladder.
func (st *stack) actionItemService(requests *portal.RequestService, audit *portal.Auditor, calendar portal.WorkingCalendar) *portal.ActionItemService {
	return &portal.ActionItemService{Store: mongostore.NewActionItemStore(st.db), Meetings: mongostore.NewMeetingStore(st.db),
		Requests: requests, Org: mongostore.NewOrgStore(st.db), Users: mongostore.NewUserStore(st.db),
		Attachments: mongostore.NewAttachmentStore(st.db), Notify: mongostore.NewNotificationStore(st.db), Audit: audit,
		Calendar: calendar, Ladder: st.cfg.Ladder, Log: st.log, Now: time.Now, Zone: st.cfg.Location,
		MaxAttachmentBytes: st.cfg.AttachmentBytes}
}

// seedDemoActionItems loads the demo action items of the demo meetings'
// past sessions (portal/demo); it runs after the meetings and leaves
// items that exist alone. Their next rungs are planned, so the worker's
// sweep chases the overdue ones.
func seedDemoActionItems(ctx context.Context, st *stack) error {
	start := time.Now()
	auditor := &portal.Auditor{Store: mongostore.NewAuditStore(st.db), Now: time.Now}
	calendar := &portal.CalendarService{Store: mongostore.NewCalendarStore(st.db), Audit: auditor, Now: time.Now,
		Zone: st.cfg.Location, BusinessHours: st.cfg.BusinessHours}
	svc := st.actionItemService(nil, auditor, calendar)
	n, err := demo.SeedActionItems(ctx, demo.ActionStores{Items: svc.Store, Meetings: svc.Meetings, Attachments: svc.Attachments,
		Planner: svc}, start, st.cfg.Location)
	if err != nil {
		return fmt.Errorf("demo action items: %w", err)
	}
	if n > 0 {
		st.log.Info("demo action items loaded", "items", n, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
