package portaltest

import (
	"context"
	"slices"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// HoursDeadliner gives the sign, reply and resolve legs 24, 48 and 96
// natural hours from dispatch, and moves the legs not done by the paused
// time on resume: simple enough that tests know every deadline.
type HoursDeadliner struct{}

var _ portal.Deadliner = HoursDeadliner{}

// Plan returns the three legs counted from start.
func (HoursDeadliner) Plan(_ context.Context, _ *portal.Request, start time.Time) (*portal.SLA, error) {
	return &portal.SLA{PlanID: "test-hours", Start: start, Legs: []portal.LegDeadline{
		{Leg: portal.LegSign, Due: start.Add(24 * time.Hour)},
		{Leg: portal.LegReply, Due: start.Add(48 * time.Hour)},
		{Leg: portal.LegResolve, Due: start.Add(96 * time.Hour)},
	}}, nil
}

// Resume moves the legs not yet done on by the paused time.
func (HoursDeadliner) Resume(_ context.Context, r *portal.Request, pausedAt, now time.Time) (*portal.SLA, error) {
	sla := *r.SLA
	sla.Legs = slices.Clone(r.SLA.Legs)
	for i := range sla.Legs {
		if sla.Legs[i].DoneAt == nil {
			sla.Legs[i].Due = sla.Legs[i].Due.Add(now.Sub(pausedAt))
		}
	}
	return &sla, nil
}
