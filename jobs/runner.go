// Package jobs runs the portal's background work on asynq: task handlers,
// the periodic scheduler, and the chasing ladder's rung tasks (sla.go) with
// the sweeper that re-derives them from MongoDB (sla_sweeper.go). Redis
// only ever holds derived work.
//
// Task types are named domain:verb (sla:check, feedback:ask); payloads carry
// ids, never whole documents; every handler is idempotent because asynq
// delivers at least once.
//
//	r := jobs.NewRunner(jobs.Options{Redis: opt, Log: log, Registerer: reg})
//	r.Handle("policy:index", policies.HandleIndexTask)
//	r.Every("@daily", asynq.NewTask("policy:expire", nil))
//	err := r.Start()
//	defer r.Shutdown()
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// Options configure a Runner.
type Options struct {
	Redis       asynq.RedisConnOpt
	Concurrency int            // worker goroutines; default 10
	Location    *time.Location // zone of periodic schedules; default UTC
	Log         *slog.Logger
	Registerer  prometheus.Registerer // where job metrics go; nil for none
	// ShutdownTimeout bounds how long in-flight tasks may finish on shutdown.
	ShutdownTimeout time.Duration
}

// Runner is the asynq worker and periodic scheduler of one process.
type Runner struct {
	opt     Options
	mux     *asynq.ServeMux
	srv     *asynq.Server
	sched   *asynq.Scheduler
	metrics *metrics
	started bool
}

// NewRunner returns a runner; register handlers and schedules, then Start.
func NewRunner(opt Options) *Runner {
	if opt.Concurrency <= 0 {
		opt.Concurrency = 10
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 10 * time.Second
	}
	r := &Runner{opt: opt, mux: asynq.NewServeMux(), metrics: newMetrics(opt.Registerer)}
	r.mux.Use(r.metrics.middleware)
	logger := &asynqLogger{log: opt.Log.With("component", "jobs")}
	r.srv = asynq.NewServer(opt.Redis, asynq.Config{
		Concurrency:     opt.Concurrency,
		Logger:          logger,
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: opt.ShutdownTimeout,
		// A scheduled task is moved to pending within half a second of its
		// (whole-second) time, and an idle worker looks for it within
		// 0.75 s: a chasing rung fires within 2 s of its time.
		DelayedTaskCheckInterval: 500 * time.Millisecond,
		TaskCheckInterval:        500 * time.Millisecond,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			opt.Log.Warn("job failed", "type", t.Type(), "err", err)
		}),
	})
	r.sched = asynq.NewScheduler(opt.Redis, &asynq.SchedulerOpts{
		Location: opt.Location,
		Logger:   logger,
		LogLevel: asynq.WarnLevel,
	})
	return r
}

// Handle registers the handler of a task type.
func (r *Runner) Handle(taskType string, h asynq.HandlerFunc) { r.mux.HandleFunc(taskType, h) }

// Every enqueues task on the cron schedule spec (in the runner's zone).
func (r *Runner) Every(spec string, task *asynq.Task, opts ...asynq.Option) error {
	if _, err := r.sched.Register(spec, task, opts...); err != nil {
		return fmt.Errorf("schedule %s %q: %w", task.Type(), spec, err)
	}
	return nil
}

// installSweep schedules a sweep task of sweepType every every, and queues
// one start-up sweep (whose payload start differs from the periodic one's,
// so that their uniqueness locks do not shadow each other) through client,
// to run as soon as the worker starts.
func (r *Runner) installSweep(client *asynq.Client, sweepType string, every time.Duration, start []byte) error {
	if err := r.Every("@every "+every.String(), asynq.NewTask(sweepType, nil), asynq.Unique(every)); err != nil {
		return err
	}
	if _, err := client.Enqueue(asynq.NewTask(sweepType, start), asynq.Unique(time.Minute)); err != nil &&
		!errors.Is(err, asynq.ErrDuplicateTask) {
		return fmt.Errorf("queue the start-up %s: %w", sweepType, err)
	}
	return nil
}

// Start starts the worker and the scheduler and returns at once.
func (r *Runner) Start() error {
	if err := r.srv.Start(r.mux); err != nil {
		return fmt.Errorf("start job worker: %w", err)
	}
	if err := r.sched.Start(); err != nil {
		r.srv.Shutdown()
		return fmt.Errorf("start job scheduler: %w", err)
	}
	r.started = true
	return nil
}

// Shutdown stops the scheduler, then lets in-flight tasks finish (up to the
// shutdown timeout) and stops the worker; unfinished tasks return to the queue.
func (r *Runner) Shutdown() {
	if !r.started {
		return
	}
	r.sched.Shutdown()
	r.srv.Shutdown()
	r.started = false
}

// metrics counts processed and failed tasks and their run time by type.
type metrics struct {
	processed *prometheus.CounterVec
	failed    *prometheus.CounterVec
	duration  *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huiqi_jobs_processed_total", Help: "Tasks handled, by type.",
		}, []string{"type"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huiqi_jobs_failed_total", Help: "Tasks whose handler returned an error, by type.",
		}, []string{"type"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "huiqi_job_duration_seconds", Help: "Time a handler took, by type.",
			Buckets: prometheus.DefBuckets,
		}, []string{"type"}),
	}
	if reg != nil {
		m.processed = register(reg, m.processed)
		m.failed = register(reg, m.failed)
		m.duration = register(reg, m.duration)
	}
	return m
}

// register adds c to reg, or returns the collector already registered under
// the same name so that several runners in one process share the counts.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			return are.ExistingCollector.(C)
		}
		panic(err)
	}
	return c
}

func (m *metrics) middleware(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		m.duration.WithLabelValues(t.Type()).Observe(time.Since(start).Seconds())
		m.processed.WithLabelValues(t.Type()).Inc()
		if err != nil {
			m.failed.WithLabelValues(t.Type()).Inc()
		}
		return err
	})
}

// asynqLogger routes asynq's own logging into slog.
type asynqLogger struct{ log *slog.Logger }

func (l *asynqLogger) Debug(args ...any) { l.log.Debug(fmt.Sprint(args...)) }
func (l *asynqLogger) Info(args ...any)  { l.log.Info(fmt.Sprint(args...)) }
func (l *asynqLogger) Warn(args ...any)  { l.log.Warn(fmt.Sprint(args...)) }
func (l *asynqLogger) Error(args ...any) { l.log.Error(fmt.Sprint(args...)) }
func (l *asynqLogger) Fatal(args ...any) { l.log.Error(fmt.Sprint(args...)) }
