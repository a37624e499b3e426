package jobs_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/portal/portaltest"
)

var quiet = slog.New(slog.DiscardHandler)

// startRunner starts a runner on r with handlers registered by setup and
// shuts it down when the test ends.
func startRunner(t *testing.T, r *portaltest.Redis, reg prometheus.Registerer, setup func(*jobs.Runner)) *jobs.Runner {
	t.Helper()
	run := jobs.NewRunner(jobs.Options{Redis: r.Opt, Log: quiet, Registerer: reg, ShutdownTimeout: 2 * time.Second})
	if setup != nil {
		setup(run)
	}
	if err := run.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(run.Shutdown)
	return run
}

func enqueue(t *testing.T, r *portaltest.Redis, task *asynq.Task, opts ...asynq.Option) *asynq.TaskInfo {
	t.Helper()
	c := asynq.NewClient(r.Opt)
	defer c.Close()
	info, err := c.Enqueue(task, opts...)
	if err != nil {
		t.Fatalf("enqueue %s: %v", task.Type(), err)
	}
	return info
}

// counter returns the value of the counter name with label type=typ in
// reg, 0 when it has not been counted.
func counter(t *testing.T, reg prometheus.Gatherer, name, typ string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "type" && l.GetValue() == typ {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func TestRunnerHandle(t *testing.T) {
	t.Parallel()
	r := portaltest.StartRedis(t)
	got := make(chan string, 1)
	startRunner(t, r, nil, func(run *jobs.Runner) {
		run.Handle("policy:index", func(ctx context.Context, task *asynq.Task) error {
			got <- string(task.Payload())
			return nil
		})
	})
	enqueue(t, r, asynq.NewTask("policy:index", []byte(`{"policy_id":"P1"}`)))
	select {
	case payload := <-got:
		if payload != `{"policy_id":"P1"}` {
			t.Errorf("handler got payload %s", payload)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("handler did not run within 10s")
	}
}

func TestRunnerMetrics(t *testing.T) {
	t.Parallel()
	r := portaltest.StartRedis(t)
	reg := prometheus.NewRegistry()
	var okRuns, badRuns atomic.Int32
	startRunner(t, r, reg, func(run *jobs.Runner) {
		run.Handle("sla:check", func(ctx context.Context, task *asynq.Task) error {
			okRuns.Add(1)
			return nil
		})
		run.Handle("feedback:ask", func(ctx context.Context, task *asynq.Task) error {
			badRuns.Add(1)
			return fmt.Errorf("ask: sms gateway refused: %w", asynq.SkipRetry)
		})
	})
	enqueue(t, r, asynq.NewTask("sla:check", nil))
	enqueue(t, r, asynq.NewTask("sla:check", nil))
	enqueue(t, r, asynq.NewTask("feedback:ask", nil), asynq.MaxRetry(0))

	portaltest.Eventually(t, 10*time.Second, "three tasks counted", func() bool {
		return counter(t, reg, "huiqi_jobs_processed_total", "sla:check") == 2 &&
			counter(t, reg, "huiqi_jobs_processed_total", "feedback:ask") == 1
	})
	for _, tc := range []struct {
		name, metric, typ string
		want              float64
	}{
		{"ProcessedOK", "huiqi_jobs_processed_total", "sla:check", 2},
		{"ProcessedFailed", "huiqi_jobs_processed_total", "feedback:ask", 1},
		{"FailedOnlyFailures", "huiqi_jobs_failed_total", "sla:check", 0},
		{"Failed", "huiqi_jobs_failed_total", "feedback:ask", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := counter(t, reg, tc.metric, tc.typ); got != tc.want {
				t.Errorf("%s{type=%q} = %v, want %v", tc.metric, tc.typ, got, tc.want)
			}
		})
	}
	if okRuns.Load() != 2 || badRuns.Load() != 1 {
		t.Errorf("handlers ran %d and %d times, want 2 and 1", okRuns.Load(), badRuns.Load())
	}

	// The duration histogram has one observation per handled task.
	families, err := reg.Gather()
	portaltest.Must(t, err, "gather")
	var observed uint64
	for _, f := range families {
		if f.GetName() == "huiqi_job_duration_seconds" {
			for _, m := range f.GetMetric() {
				observed += m.GetHistogram().GetSampleCount()
			}
		}
	}
	if observed != 3 {
		t.Errorf("huiqi_job_duration_seconds has %d observations, want 3", observed)
	}
}

func TestRunnerSkipRetry(t *testing.T) {
	t.Parallel()
	r := portaltest.StartRedis(t)
	reg := prometheus.NewRegistry()
	var runs atomic.Int32
	startRunner(t, r, reg, func(run *jobs.Runner) {
		run.Handle("sms:send", func(ctx context.Context, task *asynq.Task) error {
			runs.Add(1)
			return fmt.Errorf("send sms: number is empty: %w", asynq.SkipRetry)
		})
	})
	// MaxRetry stays at the default (25): only SkipRetry keeps it from retrying.
	info := enqueue(t, r, asynq.NewTask("sms:send", []byte(`{"to":""}`)))

	ins := asynq.NewInspector(r.Opt)
	defer ins.Close()
	var state asynq.TaskState
	var lastErr string
	portaltest.Eventually(t, 10*time.Second, "task archived", func() bool {
		ti, err := ins.GetTaskInfo(info.Queue, info.ID)
		if err != nil {
			return false
		}
		state, lastErr = ti.State, ti.LastErr
		return ti.State == asynq.TaskStateArchived
	})
	if state != asynq.TaskStateArchived {
		t.Fatalf("state = %v, want archived", state)
	}
	if lastErr == "" {
		t.Error("archived task has no last error")
	}
	if got := counter(t, reg, "huiqi_jobs_failed_total", "sms:send"); got != 1 {
		t.Errorf("failed{type=sms:send} = %v, want 1", got)
	}
	if runs.Load() != 1 {
		t.Errorf("handler ran %d times, want once (no retry)", runs.Load())
	}
}

func TestRunnerEvery(t *testing.T) {
	t.Parallel()
	r := portaltest.StartRedis(t)
	var runs atomic.Int32
	startRunner(t, r, nil, func(run *jobs.Runner) {
		run.Handle("policy:expire", func(ctx context.Context, task *asynq.Task) error {
			runs.Add(1)
			return nil
		})
		if err := run.Every("@every 1s", asynq.NewTask("policy:expire", nil)); err != nil {
			t.Fatalf("Every: %v", err)
		}
	})
	portaltest.Eventually(t, 10*time.Second, "scheduled task handled", func() bool { return runs.Load() >= 1 })
}

func TestRunnerEveryErrBadSpec(t *testing.T) {
	t.Parallel()
	run := jobs.NewRunner(jobs.Options{Redis: portaltest.StartRedis(t).Opt, Log: quiet})
	err := run.Every("every tuesday-ish", asynq.NewTask("policy:expire", nil))
	if err == nil {
		t.Fatal("Every accepted a malformed cron spec")
	}
}

func TestRunnerShutdown(t *testing.T) {
	t.Parallel()
	t.Run("BeforeStart", func(t *testing.T) {
		run := jobs.NewRunner(jobs.Options{Redis: portaltest.StartRedis(t).Opt, Log: quiet})
		run.Shutdown()
		run.Shutdown()
	})
	t.Run("Twice", func(t *testing.T) {
		r := portaltest.StartRedis(t)
		run := startRunner(t, r, nil, nil)
		run.Shutdown()
		run.Shutdown()
	})
	t.Run("StopsProcessing", func(t *testing.T) {
		r := portaltest.StartRedis(t)
		var runs atomic.Int32
		run := startRunner(t, r, nil, func(run *jobs.Runner) {
			run.Handle("sla:check", func(ctx context.Context, task *asynq.Task) error { runs.Add(1); return nil })
		})
		run.Shutdown()
		info := enqueue(t, r, asynq.NewTask("sla:check", nil))
		ins := asynq.NewInspector(r.Opt)
		defer ins.Close()
		ti, err := ins.GetTaskInfo(info.Queue, info.ID)
		if err != nil {
			t.Fatalf("GetTaskInfo: %v", err)
		}
		// Nothing is left to pick the task up: it waits for the next worker.
		if ti.State != asynq.TaskStatePending || runs.Load() != 0 {
			t.Errorf("after Shutdown: state %v, runs %d; want pending and 0", ti.State, runs.Load())
		}
	})
}

// A second runner on the same registry (a worker restarted inside one
// process, or two runners in one binary) must still be counted: its
// metrics must go to the collectors the registry already exports.
func TestRunnerMetricsSharedRegistry(t *testing.T) {
	t.Parallel()
	r := portaltest.StartRedis(t)
	reg := prometheus.NewRegistry()
	first := jobs.NewRunner(jobs.Options{Redis: r.Opt, Log: quiet, Registerer: reg})
	first.Shutdown()

	done := make(chan struct{}, 1)
	startRunner(t, r, reg, func(run *jobs.Runner) {
		run.Handle("sla:check", func(ctx context.Context, task *asynq.Task) error { done <- struct{}{}; return nil })
	})
	enqueue(t, r, asynq.NewTask("sla:check", nil))
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("handler did not run within 10s")
	}
	portaltest.Eventually(t, 2*time.Second, "task counted in the shared registry", func() bool {
		return counter(t, reg, "huiqi_jobs_processed_total", "sla:check") == 1
	})
}
