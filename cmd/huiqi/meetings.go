package main

import (
	"context"
	"fmt"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
)

// meetingServices builds the meeting and visit services on requests,
// which files what is raised at meetings and visits.
func (st *stack) meetingServices(requests *portal.RequestService, audit *portal.Auditor) (*portal.MeetingService, *portal.VisitService) {
	ents := mongostore.NewEnterpriseStore(st.db)
	meetings := &portal.MeetingService{Store: mongostore.NewMeetingStore(st.db), Chains: mongostore.NewChainStore(st.db),
		Org: mongostore.NewOrgStore(st.db), Enterprises: ents, TaskForces: mongostore.NewTaskForceStore(st.db),
		Requests: requests, Audit: audit, Now: time.Now, Zone: st.cfg.Location}
	visits := &portal.VisitService{Store: mongostore.NewVisitStore(st.db), Enterprises: ents, Requests: requests,
		Audit: audit, Now: time.Now, Zone: st.cfg.Location}
	return meetings, visits
}

// seedDemoMeetings loads the demo meetings and visits (portal/demo) once
// the demo requests are in: the meetings' dates follow the requests
// raised at them. It does nothing when the demo meetings exist.
func seedDemoMeetings(ctx context.Context, st *stack) error {
	start := time.Now()
	n, err := demo.SeedMeetings(ctx, demo.MeetingStores{
		Meetings: mongostore.NewMeetingStore(st.db), Visits: mongostore.NewVisitStore(st.db),
		Requests: mongostore.NewRequestStore(st.db, st.cfg.Location), Enterprises: mongostore.NewEnterpriseStore(st.db),
	}, start)
	if err != nil {
		return fmt.Errorf("demo meetings: %w", err)
	}
	if n > 0 {
		st.log.Info("demo meetings and visits loaded", "documents", n, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
