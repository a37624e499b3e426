package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/portal"
)

// SweepResult counts what one sweep found and did.
type SweepResult struct {
	Requests int // requests with a rung due within the horizon
	RungCounts
}

// RungCounts counts what a sweep did with the rungs it found, for the
// request and the action-item sweepers alike.
type RungCounts struct {
	Added    int // rung tasks Redis did not have
	Kept     int // rung tasks already in Redis
	Promoted int // rung tasks already due that still waited, made to run now
	Repaired int // requests or items whose next_rung_at was rewritten
}

// count records what enqueueing one rung did.
func (c *RungCounts) count(st enqueueState) {
	switch st {
	case enqueueAdded:
		c.Added++
	case enqueueKept:
		c.Kept++
	case enqueuePromoted:
		c.Promoted++
	}
}

// SlotLookback is how far back a periodic sweep looks for rungs not yet
// in Redis. The periodic sweep reads the hour slots of rung_slots from
// now − SlotLookback to the horizon, so that it also costs only the rungs
// of that window on embedded FerretDB (which cannot range over the
// next_rung_at index); a rung overdue by more than SlotLookback that Redis
// lost is put back by the next start-up sweep, which reads every due rung
// however old. Slot documents older than SlotLookback are deleted as the
// sweeps go.
const SlotLookback = 48 * time.Hour

// sweepPayload is the payload of a sweep task; Full asks for the start-up
// sweep, which reads every due rung rather than the recent hour slots.
type sweepPayload struct {
	Full bool `json:"full,omitempty"`
}

// Sweep re-derives from MongoDB every rung that fires within the horizon,
// however long overdue, and puts the missing ones in Redis; rungs already
// past run at once. It is the start-up sweep: it reads the requests whose
// next rung is due within the horizon through the next_rung_at index (on
// MongoDB the cost follows the due rungs; on embedded FerretDB the scan
// reads every request, once per start). A request found without any
// pending rung has a stale next_rung_at, which is rewritten so that the
// next sweep does not read it again. It also deletes every rung slot
// older than SlotLookback.
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
	from := now.Add(-SlotLookback)
	if err := s.chaser.Store.DeleteRungSlotsBefore(ctx, from); err != nil {
		return res, fmt.Errorf("sweep: %w", err)
	}
	s.markPruned(from)
	s.record("full", start, res)
	return res, nil
}

// SweepRecent is the periodic sweep: like Sweep, but it reads only the
// requests listed in the rung slots from now − SlotLookback to the
// horizon, each by _id, so that its cost follows the rungs of that window
// on embedded FerretDB too, not the number of open requests. It then
// deletes the slots that fell out of the window since the last sweep.
func (s *SLA) SweepRecent(ctx context.Context) (SweepResult, error) {
	start := time.Now()
	var res SweepResult
	now := s.now()
	until := now.Add(s.opt.Horizon)
	from := now.Add(-SlotLookback)
	rs, err := s.chaser.Store.FindRequestsInRungSlots(ctx, from, until)
	if err != nil {
		return res, fmt.Errorf("sweep: %w", err)
	}
	for _, r := range rs {
		if err := s.sweepOne(ctx, r, now, until, &res); err != nil {
			return res, err
		}
	}
	if err := s.chaser.Store.DeleteRungSlots(ctx, s.prunedFrom(from), from); err != nil {
		return res, fmt.Errorf("sweep: %w", err)
	}
	s.markPruned(from)
	s.record("recent", start, res)
	return res, nil
}

// pruneBackFor is how far before the window a process that has not swept
// yet deletes slots by _id; older ones go at the next start-up sweep.
const pruneBackFor = 24 * time.Hour

// prunedFrom returns where the slots still to delete begin: where the last
// sweep of this process stopped deleting, or pruneBackFor before from.
func (s *SLA) prunedFrom(from time.Time) time.Time {
	s.pruneMu.Lock()
	defer s.pruneMu.Unlock()
	if s.pruned.IsZero() || s.pruned.After(from) {
		return from.Add(-pruneBackFor)
	}
	return s.pruned
}

// markPruned records that no slot before the hour of at is left.
func (s *SLA) markPruned(at time.Time) {
	s.pruneMu.Lock()
	defer s.pruneMu.Unlock()
	if at.After(s.pruned) {
		s.pruned = at
	}
}

// record updates the sweep metrics and logs a sweep that changed anything.
func (s *SLA) record(kind string, start time.Time, res SweepResult) {
	s.metrics.sweepTime.Observe(time.Since(start).Seconds())
	for result, n := range map[string]int{"added": res.Added, "kept": res.Kept, "promoted": res.Promoted, "repaired": res.Repaired} {
		s.metrics.sweeps.WithLabelValues(result).Add(float64(n))
	}
	if res.Added+res.Promoted+res.Repaired > 0 {
		s.log.Info("sweep", "kind", kind, "requests", res.Requests, "added", res.Added, "kept", res.Kept,
			"promoted", res.Promoted, "repaired", res.Repaired, "took", time.Since(start))
	}
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
		res.count(st)
	}
	return nil
}

// HandleSweepTask runs one sweep: the start-up sweep when the task asks
// for it, the periodic one otherwise.
func (s *SLA) HandleSweepTask(ctx context.Context, t *asynq.Task) error {
	var p sweepPayload
	if len(t.Payload()) > 0 {
		if err := json.Unmarshal(t.Payload(), &p); err != nil {
			return fmt.Errorf("sweep payload: %w: %w", err, asynq.SkipRetry)
		}
	}
	var err error
	if p.Full {
		_, err = s.Sweep(ctx)
	} else {
		_, err = s.SweepRecent(ctx)
	}
	return err
}

// fullSweepTask is the start-up sweep's task.
func fullSweepTask() *asynq.Task {
	return asynq.NewTask(TypeSLASweep, []byte(`{"full":true}`))
}
