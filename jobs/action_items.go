package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/huiqi/huiqi/portal"
)

// Task types of the action items' chasing ladder.
const (
	// TypeActionRung acts on one rung of one due date of an action item
	// (payload: portal.ActionRungKey).
	TypeActionRung = "action:rung"
	// TypeActionSweep re-derives the action rung tasks Redis should hold from MongoDB.
	TypeActionSweep = "action:sweep"
)

// ActionItemsOptions configure the action items' chasing jobs.
type ActionItemsOptions struct {
	Service *portal.ActionItemService
	// Redis is the connection the tasks are enqueued and inspected on.
	Redis redis.UniversalClient
	Log   *slog.Logger
	// SweepEvery is how often the sweeper runs; Horizon how far ahead it
	// schedules (default twice SweepEvery).
	SweepEvery time.Duration
	Horizon    time.Duration
	SweepBatch int
	MaxEarly   time.Duration
}

// ActionItems schedules and runs the chasing rungs of action items on
// asynq, as SLA does for requests: one task per rung of a due date with
// the natural id action:<item>:<rung>:<due unix>, scheduled (ProcessAt)
// when an item is decided or its due date changes, and a sweeper that puts
// back from next_rung_at whatever Redis lost, at start and periodically.
type ActionItems struct {
	opt       ActionItemsOptions
	svc       *portal.ActionItemService
	client    *asynq.Client
	inspector *asynq.Inspector
	log       *slog.Logger
	// wall is the clock asynq schedules on.
	wall func() time.Time
}

// NewActionItems returns the action items' chasing jobs; Install them on a runner.
func NewActionItems(opt ActionItemsOptions) *ActionItems {
	if opt.SweepEvery <= 0 {
		opt.SweepEvery = DefaultSweepEvery
	}
	if opt.Horizon <= 0 {
		opt.Horizon = 2 * opt.SweepEvery
	}
	if opt.SweepBatch <= 0 {
		opt.SweepBatch = DefaultSweepBatch
	}
	if opt.MaxEarly <= 0 {
		opt.MaxEarly = DefaultMaxEarly
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &ActionItems{opt: opt, svc: opt.Service, client: asynq.NewClientFromRedisClient(opt.Redis),
		inspector: asynq.NewInspectorFromRedisClient(opt.Redis), log: opt.Log.With("component", "action_items"), wall: time.Now}
}

// Install registers the rung and sweep handlers on r, schedules the sweep
// every SweepEvery and queues one start-up sweep.
func (j *ActionItems) Install(r *Runner) error {
	r.Handle(TypeActionRung, j.HandleRungTask)
	r.Handle(TypeActionSweep, j.HandleSweepTask)
	return r.installSweep(j.client, TypeActionSweep, j.opt.SweepEvery, []byte(`{"start":true}`))
}

// NewActionRungTask returns the task of rung k, with its natural id.
func NewActionRungTask(k portal.ActionRungKey) (*asynq.Task, error) {
	payload, err := json.Marshal(k)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeActionRung, payload, asynq.TaskID(k.String()), asynq.Queue(rungQueue), asynq.MaxRetry(rungMaxRetry),
		asynq.Timeout(rungTaskTimeout)), nil
}

// ActionItemChanged schedules the rungs of an item when it is decided or
// its due date changes. It is a portal.ActionItemEvents listener; a
// failure is left to the sweeper.
func (j *ActionItems) ActionItemChanged(ctx context.Context, before, after *portal.ActionItem) error {
	if after == nil || (before != nil && before.Due.Equal(after.Due)) {
		return nil
	}
	_, err := j.Schedule(ctx, after)
	return err
}

// Schedule puts every rung of it's current due date not yet acted on in
// Redis, each at its time, and returns how many it added.
func (j *ActionItems) Schedule(ctx context.Context, it *portal.ActionItem) (int, error) {
	rungs, err := j.svc.PlanRungs(ctx, it)
	if err != nil {
		return 0, err
	}
	now, added := j.svc.ChaseTime(), 0
	for _, p := range rungs {
		if p.Acted {
			continue
		}
		st, err := j.enqueue(ctx, p, now)
		if err != nil {
			return added, err
		}
		if st != enqueueKept {
			added++
		}
	}
	return added, nil
}

// enqueue adds the task of rung p, due at p.At on the service's clock
// (now), carried onto the wall clock asynq schedules by; a rung already
// due whose task still waits is made to run now.
func (j *ActionItems) enqueue(ctx context.Context, p portal.PlannedActionRung, now time.Time) (enqueueState, error) {
	task, err := NewActionRungTask(p.Key)
	if err != nil {
		return 0, err
	}
	return enqueueRung(ctx, j.client, j.inspector, task, p.Key.String(), p.At, now, j.wall())
}

// HandleRungTask acts on the rung a task names; the service re-reads the
// item and does nothing for a rung acted on before, a due date moved since
// or an item done or cancelled. A task delivered a moment early is held
// until its time.
func (j *ActionItems) HandleRungTask(ctx context.Context, t *asynq.Task) error {
	var k portal.ActionRungKey
	if err := json.Unmarshal(t.Payload(), &k); err != nil {
		return fmt.Errorf("action rung payload %q: %v: %w", t.Payload(), err, asynq.SkipRetry)
	}
	res, err := j.svc.FireRung(ctx, k)
	if err == nil && res.Outcome == portal.FireEarly {
		if wait := res.At.Sub(j.svc.ChaseTime()); wait <= j.opt.MaxEarly {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			res, err = j.svc.FireRung(ctx, k)
		}
	}
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			return fmt.Errorf("action rung %s: %v: %w", k, err, asynq.SkipRetry)
		}
		return fmt.Errorf("action rung %s: %w", k, err)
	}
	if res.Outcome == portal.FireActed {
		j.log.Info("action rung acted", "item", k.ItemID, "rung", k.Rung, "notified", res.Notified)
	}
	return nil
}

// ActionSweepResult counts what one sweep found and did.
type ActionSweepResult struct {
	Items int // items with a rung due within the horizon
	RungCounts
}

// Sweep re-derives from MongoDB every rung that fires within the horizon,
// however long overdue, and puts the missing ones in Redis; rungs already
// past run at once. It reads the items whose next rung is due within the
// horizon through the next_rung_at index: action items are few (a handful
// per meeting), so the start-up and the periodic sweep are the same read.
func (j *ActionItems) Sweep(ctx context.Context) (ActionSweepResult, error) {
	var res ActionSweepResult
	now := j.svc.ChaseTime()
	until := now.Add(j.opt.Horizon)
	var cursor *portal.RungCursor
	for {
		batch, err := j.svc.Store.FindActionItemsWithRungBefore(ctx, until, cursor, j.opt.SweepBatch)
		if err != nil {
			return res, fmt.Errorf("action sweep: %w", err)
		}
		for _, it := range batch {
			if err := j.sweepOne(ctx, it, now, until, &res); err != nil {
				return res, err
			}
		}
		if len(batch) < j.opt.SweepBatch {
			break
		}
		last := batch[len(batch)-1]
		cursor = &portal.RungCursor{At: *last.NextRungAt, ID: last.ID}
	}
	if res.Added+res.Promoted+res.Repaired > 0 {
		j.log.Info("action sweep", "items", res.Items, "added", res.Added, "kept", res.Kept, "promoted", res.Promoted, "repaired", res.Repaired)
	}
	return res, nil
}

// sweepOne schedules the pending rungs of it due by until, or repairs its
// next_rung_at when none is pending.
func (j *ActionItems) sweepOne(ctx context.Context, it *portal.ActionItem, now, until time.Time, res *ActionSweepResult) error {
	res.Items++
	rungs, err := j.svc.PendingRungs(ctx, it, until)
	if err != nil {
		return fmt.Errorf("action sweep %s: %w", it.ID, err)
	}
	if len(rungs) == 0 {
		fixed, err := j.svc.RepairNextRung(ctx, it.ID)
		if err != nil {
			return fmt.Errorf("action sweep %s: %w", it.ID, err)
		}
		if fixed {
			res.Repaired++
		}
		return nil
	}
	for _, p := range rungs {
		st, err := j.enqueue(ctx, p, now)
		if err != nil {
			return fmt.Errorf("action sweep: %w", err)
		}
		res.count(st)
	}
	return nil
}

// HandleSweepTask runs one sweep (the start-up and the periodic sweep are alike).
func (j *ActionItems) HandleSweepTask(ctx context.Context, _ *asynq.Task) error {
	_, err := j.Sweep(ctx)
	return err
}
