package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/huiqi/huiqi/portal"
)

// Task types of the chasing ladder.
const (
	// TypeSLARung acts on one rung of one leg of a request (payload: portal.RungKey).
	TypeSLARung = "sla:rung"
	// TypeSLASweep re-derives the rung tasks Redis should hold from MongoDB.
	TypeSLASweep = "sla:sweep"
)

// Defaults of SLAOptions.
const (
	DefaultSweepEvery = 5 * time.Minute
	DefaultSweepBatch = 500
	// DefaultMaxEarly is how early a rung may be delivered and still be
	// held until its time: asynq keeps scheduled times in whole seconds,
	// and hosts' clocks differ a little.
	DefaultMaxEarly = 2 * time.Second
)

// rungQueue is the queue rung tasks run on; rungTaskTimeout bounds one
// rung's handling and rungMaxRetry its retries.
const (
	rungQueue       = "default"
	rungTaskTimeout = time.Minute
	rungMaxRetry    = 10
)

// SLAOptions configure the chasing jobs.
type SLAOptions struct {
	Chaser *portal.Chaser
	// Redis is the connection the tasks are enqueued and inspected on.
	Redis redis.UniversalClient
	// Registerer receives the rung metrics; nil for none.
	Registerer prometheus.Registerer
	Log        *slog.Logger
	// SweepEvery is how often the sweeper runs; Horizon how far ahead it
	// schedules (default twice SweepEvery, so that every rung is in Redis
	// at least one sweep before it fires).
	SweepEvery time.Duration
	Horizon    time.Duration
	// SweepBatch is how many requests a sweep reads at a time.
	SweepBatch int
	MaxEarly   time.Duration
}

// SLA schedules and runs the rungs of the chasing ladder on asynq. Every
// rung of a deadline generation is one task with a natural id
// (sla:<request>:<leg>:<rung>:<generation>), scheduled when the
// generation starts; MongoDB stays the truth, and the sweeper puts back
// whatever Redis lost.
type SLA struct {
	opt       SLAOptions
	chaser    *portal.Chaser
	client    *asynq.Client
	inspector *asynq.Inspector
	log       *slog.Logger
	metrics   *slaMetrics
	// wall is the clock asynq schedules on; tests leave it, production too.
	wall func() time.Time
	// pruned is where this process's sweeps stopped deleting rung slots.
	pruneMu sync.Mutex
	pruned  time.Time
}

// NewSLA returns the chasing jobs; Install them on a runner.
func NewSLA(opt SLAOptions) *SLA {
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
	return &SLA{opt: opt, chaser: opt.Chaser, client: asynq.NewClientFromRedisClient(opt.Redis),
		inspector: asynq.NewInspectorFromRedisClient(opt.Redis), log: opt.Log.With("component", "sla"),
		metrics: newSLAMetrics(opt.Registerer), wall: time.Now}
}

// Install registers the rung and sweep handlers on r, schedules the sweep
// every SweepEvery (SweepRecent) and queues one start-up sweep (Sweep) to
// run as soon as r starts.
func (s *SLA) Install(r *Runner) error {
	r.Handle(TypeSLARung, s.HandleRungTask)
	r.Handle(TypeSLASweep, s.HandleSweepTask)
	return r.installSweep(s.client, TypeSLASweep, s.opt.SweepEvery, fullSweepTask().Payload())
}

// NewRungTask returns the task of rung k, with its natural id.
func NewRungTask(k portal.RungKey) (*asynq.Task, error) {
	payload, err := json.Marshal(k)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeSLARung, payload, asynq.TaskID(k.String()), asynq.Queue(rungQueue), asynq.MaxRetry(rungMaxRetry),
		asynq.Timeout(rungTaskTimeout)), nil
}

// RequestChanged schedules every rung of a request's deadlines when a
// new generation of them starts (dispatch, redispatch, resume, reopening,
// an approved extension). It is a portal.RequestEvents listener.
func (s *SLA) RequestChanged(ctx context.Context, before, after *portal.Request, _ string) error {
	if after == nil || after.SLA == nil {
		return nil
	}
	if before != nil && before.SLA != nil && before.SLA.Generation == after.SLA.Generation {
		return nil
	}
	_, err := s.Schedule(ctx, after)
	return err
}

// Schedule puts every rung of r's current deadlines not yet acted on in
// Redis, each at its time, and returns how many it added; rungs already
// there are left alone.
func (s *SLA) Schedule(ctx context.Context, r *portal.Request) (int, error) {
	rungs, err := s.chaser.Plan(ctx, r)
	if err != nil {
		return 0, err
	}
	now, added := s.now(), 0
	for _, p := range rungs {
		if p.Acted {
			continue
		}
		st, err := s.enqueue(ctx, p, now)
		if err != nil {
			return added, err
		}
		if st == enqueueAdded || st == enqueuePromoted {
			added++
		}
	}
	return added, nil
}

func (s *SLA) now() time.Time { return s.chaser.Time() }

// enqueueState is what enqueue did with a rung.
type enqueueState int

const (
	enqueueAdded    enqueueState = iota // a new task
	enqueueKept                         // the task was there already
	enqueuePromoted                     // a waiting task of a rung already due was made to run now
)

// enqueue adds the task of rung p, due at p.At on the chaser's clock
// (now): rungs already due run at once. The time is carried onto the
// wall clock asynq schedules by, which is the same clock in production.
// A task already in Redis keeps its place, unless its rung is due and
// the task still waits (scheduled, retrying or archived): it runs now.
func (s *SLA) enqueue(ctx context.Context, p portal.PlannedRung, now time.Time) (enqueueState, error) {
	task, err := NewRungTask(p.Key)
	if err != nil {
		return 0, err
	}
	return enqueueRung(ctx, s.client, s.inspector, task, p.Key.String(), p.At, now, s.wall())
}

// enqueueRung adds task, whose TaskID is id, to run at at on the caller's
// clock (now), carried onto the wall clock asynq schedules by; a rung
// already due runs at once, and a waiting task of a rung already due is
// made to run now. Request and action-item rungs share it.
func enqueueRung(ctx context.Context, client *asynq.Client, inspector *asynq.Inspector, task *asynq.Task, id string,
	at, now, wall time.Time) (enqueueState, error) {
	var opts []asynq.Option
	due := !at.After(now)
	if !due {
		opts = append(opts, asynq.ProcessAt(wall.Add(at.Sub(now))))
	}
	_, err := client.EnqueueContext(ctx, task, opts...)
	switch {
	case err == nil:
		return enqueueAdded, nil
	case !errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask):
		return 0, fmt.Errorf("enqueue %s: %w", id, err)
	case !due:
		return enqueueKept, nil
	}
	info, err := inspector.GetTaskInfo(rungQueue, id)
	if errors.Is(err, asynq.ErrTaskNotFound) {
		return enqueueKept, nil // it ran meanwhile
	}
	if err != nil {
		return 0, fmt.Errorf("inspect %s: %w", id, err)
	}
	switch info.State {
	case asynq.TaskStateScheduled, asynq.TaskStateRetry, asynq.TaskStateArchived:
		if err := inspector.RunTask(rungQueue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return 0, fmt.Errorf("run %s now: %w", id, err)
		}
		return enqueuePromoted, nil
	}
	return enqueueKept, nil
}

// HandleRungTask acts on the rung a task names. A task delivered a
// moment early is held until its time; one delivered long before (the
// rung moved later since) does nothing, and the sweeper schedules the
// rung again at its new time.
func (s *SLA) HandleRungTask(ctx context.Context, t *asynq.Task) error {
	var k portal.RungKey
	if err := json.Unmarshal(t.Payload(), &k); err != nil {
		return fmt.Errorf("rung payload %q: %v: %w", t.Payload(), err, asynq.SkipRetry)
	}
	res, err := s.chaser.Fire(ctx, k)
	if err == nil && res.Outcome == portal.FireEarly {
		if wait := res.At.Sub(s.now()); wait <= s.opt.MaxEarly {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			res, err = s.chaser.Fire(ctx, k)
		}
	}
	rung := string(k.Rung)
	if err != nil {
		s.metrics.failed.WithLabelValues(rung).Inc()
		if portal.ErrorCode(err) == portal.EINVALID {
			return fmt.Errorf("rung %s: %v: %w", k, err, asynq.SkipRetry)
		}
		return fmt.Errorf("rung %s: %w", k, err)
	}
	s.metrics.processed.WithLabelValues(rung, string(res.Outcome)).Inc()
	if res.Outcome == portal.FireActed {
		s.metrics.delay.WithLabelValues(rung).Observe(max(0, res.Request.UpdatedAt.Sub(res.At).Seconds()))
		s.log.Info("rung acted", "request", k.RequestID, "leg", k.Leg, "rung", k.Rung, "generation", k.Generation,
			"notified", res.Notified)
	}
	return nil
}

// slaMetrics are the chasing ladder's metrics on /metrics.
type slaMetrics struct {
	processed *prometheus.CounterVec
	failed    *prometheus.CounterVec
	delay     *prometheus.HistogramVec
	sweeps    *prometheus.CounterVec
	sweepTime prometheus.Histogram
}

func newSLAMetrics(reg prometheus.Registerer) *slaMetrics {
	m := &slaMetrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huiqi_sla_rungs_processed_total",
			Help: "Rung tasks handled, by rung and outcome (acted, repeat, stale, done, inactive, off, early, gone).",
		}, []string{"rung", "outcome"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huiqi_sla_rungs_failed_total", Help: "Rung tasks that failed and will be retried, by rung.",
		}, []string{"rung"}),
		delay: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "huiqi_sla_rung_firing_delay_seconds",
			Help:    "How long after its scheduled time a rung acted, by rung.",
			Buckets: []float64{0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300, 1800, 3600},
		}, []string{"rung"}),
		sweeps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huiqi_sla_sweep_rungs_total",
			Help: "Rungs the sweeper found due, by what it did (added, kept, promoted) and requests it repaired.",
		}, []string{"result"}),
		sweepTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "huiqi_sla_sweep_duration_seconds", Help: "Time one sweep took.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}),
	}
	if reg != nil {
		m.processed = register(reg, m.processed)
		m.failed = register(reg, m.failed)
		m.delay = register(reg, m.delay)
		m.sweeps = register(reg, m.sweeps)
		m.sweepTime = register(reg, m.sweepTime)
	}
	return m
}
