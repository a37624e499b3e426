package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/portal"
)

// SweepResult counts what one sweep found and did.
type SweepResult struct {
	Requests int // requests with a rung due within the horizon
	Added    int // rung tasks Redis did not have
	Kept     int // rung tasks already in Redis
	Promoted int // rung tasks already due that still waited, made to run now
	Repaired int // requests whose next_rung_at was rewritten
}

// Sweep re-derives from MongoDB every rung that fires within the horizon
// and puts the missing ones in Redis; rungs already past run at once. It
// reads only the requests whose next rung is due within the horizon
// (through the next_rung_at index), so its cost follows the number of due
// rungs, not the number of open requests. A request found without any
// pending rung has a stale next_rung_at, which is rewritten so that the
// next sweep does not read it again.
func (s *SLA) Sweep(ctx context.Context) (SweepResult, error) {
	start := time.Now()
	var res SweepResult
	now := s.now()
	until := now.Add(s.opt.Horizon)
	var cursor *portal.RungCursor
	for {
		batch, err := s.chaser.Store.FindRequestsWithRungBefore(ctx, until, cursor, s.opt.SweepBatch)
		if err != nil {
			return res, fmt.Errorf("sweep: %w", err)
		}
		for _, r := range batch {
			if err := s.sweepOne(ctx, r, now, until, &res); err != nil {
				return res, err
			}
		}
		if len(batch) < s.opt.SweepBatch {
			break
		}
		last := batch[len(batch)-1]
		cursor = &portal.RungCursor{At: *last.NextRungAt, ID: last.ID}
	}
	s.metrics.sweepTime.Observe(time.Since(start).Seconds())
	for result, n := range map[string]int{"added": res.Added, "kept": res.Kept, "promoted": res.Promoted, "repaired": res.Repaired} {
		s.metrics.sweeps.WithLabelValues(result).Add(float64(n))
	}
	if res.Added+res.Promoted+res.Repaired > 0 {
		s.log.Info("sweep", "requests", res.Requests, "added", res.Added, "kept", res.Kept,
			"promoted", res.Promoted, "repaired", res.Repaired, "took", time.Since(start))
	}
	return res, nil
}

// sweepOne schedules the pending rungs of r due by until.
func (s *SLA) sweepOne(ctx context.Context, r *portal.Request, now, until time.Time, res *SweepResult) error {
	res.Requests++
	rungs, err := s.chaser.Pending(ctx, r, until)
	if err != nil {
		return fmt.Errorf("sweep %s: %w", r.ID, err)
	}
	if len(rungs) == 0 {
		fixed, err := s.chaser.RepairNextRung(ctx, r.ID)
		if err != nil {
			return fmt.Errorf("sweep %s: %w", r.ID, err)
		}
		if fixed {
			res.Repaired++
		}
		return nil
	}
	for _, p := range rungs {
		st, err := s.enqueue(ctx, p, now)
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		switch st {
		case enqueueAdded:
			res.Added++
		case enqueueKept:
			res.Kept++
		case enqueuePromoted:
			res.Promoted++
		}
	}
	return nil
}

// HandleSweepTask runs one sweep.
func (s *SLA) HandleSweepTask(ctx context.Context, _ *asynq.Task) error {
	_, err := s.Sweep(ctx)
	return err
}
