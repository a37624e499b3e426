package jobs_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// benchFixture is the demo district with the chasing ladder, a Redis and
// requests inserted straight into the collection.
type benchFixture struct {
	*portaltest.World
	chaser *portal.Chaser
	redis  *portaltest.Redis
	sla    *jobs.SLA
}

func newBenchFixture(b *testing.B, now func() time.Time) *benchFixture {
	b.Helper()
	f := &benchFixture{World: portaltest.NewWorld(b, portaltest.DB(b), now)}
	sla := f.WithSLA(b)
	sla.Calendar.CacheFor = 0 // the production default: the calendar is read once a minute
	f.chaser = &portal.Chaser{Requests: f.Requests, Store: f.Store, Calendar: sla.Calendar, Ladder: portal.DefaultLadder()}
	f.Requests.Rungs = f.chaser
	f.redis = portaltest.StartRedis(b)
	f.sla = jobs.NewSLA(jobs.SLAOptions{Chaser: f.chaser, Redis: f.redis.Client, Log: quiet})
	b.Logf("redis: %s", f.redis.Kind)
	return f
}

// startWorker runs a worker with the chasing jobs until the benchmark ends.
func (f *benchFixture) startWorker(b *testing.B) {
	b.Helper()
	run := jobs.NewRunner(jobs.Options{Redis: f.redis.Opt, Log: quiet, Registerer: prometheus.NewRegistry(), ShutdownTimeout: 2 * time.Second})
	portaltest.Must(b, f.sla.Install(run), "install")
	portaltest.Must(b, run.Start(), "start worker")
	b.Cleanup(run.Shutdown)
}

// benchRequest is a dispatched request, numbered i, whose deadlines were
// counted from start: signing within 24 hours (warned after 18), reply
// and resolution later. Its next rung is the sign warning.
func benchRequest(i int, start time.Time) *portal.Request {
	sign, reply, resolve := start.Add(24*time.Hour), start.Add(48*time.Hour), start.Add(120*time.Hour)
	warn := start.Add(18 * time.Hour)
	return &portal.Request{ID: fmt.Sprintf("bench-%07d", i), No: fmt.Sprintf("HQ-2026-%07d", i),
		EnterpriseID: "ent-001", EnterpriseName: "海湾国际物流有限公司", SubdistrictID: "sd-haigang",
		ContactName: "陈海燕", ContactPhone: "13800000001", Title: "港区道路货车限行咨询",
		Description: strings.Repeat("公司货车夜间进出港区是否受限行影响，需要办理什么通行证？", 4),
		Category:    "traffic", Type: portal.TypeHelp, Channel: portal.ChannelPortal, FiledByID: "u-enterprise", FiledByName: "陈海燕",
		Status: portal.StatusDispatched, Tier: portal.TierA, DepartmentID: "dept-trans", DepartmentName: "区交通运输局",
		Attachments: []portal.Attachment{},
		Timeline: []portal.Event{
			{At: start.Add(-time.Hour), ActorID: "u-enterprise", ActorName: "陈海燕", Action: "file", To: portal.StatusSubmitted, Note: "网上填报"},
			{At: start, ActorID: "u-dispatcher", ActorName: "分拨员", Action: "dispatch", From: portal.StatusSubmitted,
				To: portal.StatusDispatched, Department: "区交通运输局", Note: "分拨至区交通运输局"},
		},
		SLA: &portal.SLA{PlanID: "help:A", CalendarVersion: "natural", Generation: 1, Start: start, Legs: []portal.LegDeadline{
			{Leg: portal.LegSign, Due: sign}, {Leg: portal.LegReply, Due: reply}, {Leg: portal.LegResolve, Due: resolve}}},
		DueAt: &sign, NextRungAt: &warn, Version: 1, CreatedAt: start.Add(-time.Hour), UpdatedAt: start}
}

// insert stores n requests numbered from first, made by mk, in batches,
// through the store so that their rungs are listed in the rung slots.
func (f *benchFixture) insert(b *testing.B, first, n int, mk func(i int) *portal.Request) {
	b.Helper()
	const batch = 5000
	for lo := first; lo < first+n; lo += batch {
		rs := make([]*portal.Request, 0, batch)
		for i := lo; i < min(lo+batch, first+n); i++ {
			rs = append(rs, mk(i))
		}
		if err := f.Store.InsertRequests(context.Background(), rs); err != nil {
			b.Fatalf("insert requests %d…: %v", lo, err)
		}
	}
}

// BenchmarkSweep measures one periodic sweep (SweepRecent, through the
// rung slots) with 100 rungs due among 1k open requests and among 100k
// (HUIQI_BENCH_100K=1: inserting them takes minutes on embedded FerretDB).
// Redis is flushed before every sweep, so each one schedules the 100 rungs
// afresh. query-ms is one read of the due rungs through next_rung_at, as
// the start-up sweep does it, for comparison.
func BenchmarkSweep(b *testing.B) {
	for _, open := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("open=%d/due=100", open), func(b *testing.B) {
			if open > 1000 && os.Getenv("HUIQI_BENCH_100K") == "" {
				b.Skip("set HUIQI_BENCH_100K=1 to sweep 100k open requests")
			}
			now := cstTime("2026-03-03 12:00")
			f := newBenchFixture(b, func() time.Time { return now })
			const due = 100
			setup := time.Now()
			f.insert(b, 0, due, func(i int) *portal.Request { return benchRequest(i, now.Add(-20*time.Hour)) })
			f.insert(b, due, open-due, func(i int) *portal.Request { return benchRequest(i, now.Add(-time.Hour)) })
			b.Logf("inserted %d requests in %v", open, time.Since(setup).Round(time.Millisecond))
			ctx := context.Background()
			var res jobs.SweepResult
			var took time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				portaltest.Must(b, f.redis.Client.FlushAll(ctx).Err(), "FLUSHALL")
				b.StartTimer()
				start := time.Now()
				var err error
				res, err = f.sla.SweepRecent(ctx)
				took += time.Since(start)
				portaltest.Must(b, err, "sweep")
			}
			b.StopTimer()
			if res.Added != due || res.Requests != due {
				b.Fatalf("sweep %+v, want %d rungs added", res, due)
			}
			start := time.Now()
			found, err := f.Store.FindRequestsWithRungBefore(ctx, now.Add(10*time.Minute), nil, 500)
			portaltest.Must(b, err, "query")
			query := time.Since(start)
			if len(found) != due {
				b.Fatalf("query found %d", len(found))
			}
			b.ReportMetric(float64(took.Milliseconds())/float64(b.N), "ms/sweep")
			b.ReportMetric(float64(query.Microseconds())/1000, "query-ms")
			b.ReportMetric(float64(res.Added), "rungs/sweep")
		})
	}
}

// BenchmarkRungThroughput measures how many rungs a worker acts on per
// second: 200 warnings, all due, put in Redis by one sweep.
func BenchmarkRungThroughput(b *testing.B) {
	const n = 200
	now := cstTime("2026-03-03 12:00")
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newBenchFixture(b, func() time.Time { return now })
		f.startWorker(b)
		waitActed(b, f, 0) // the start-up sweep, on an empty collection
		f.insert(b, 0, n, func(i int) *portal.Request { return benchRequest(i, now.Add(-20*time.Hour)) })
		b.StartTimer()
		start := time.Now()
		_, err := f.sla.Sweep(context.Background())
		portaltest.Must(b, err, "sweep")
		waitActed(b, f, n)
		total += time.Since(start)
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "rungs/s")
}

// waitActed waits until Redis holds no rung task due to run (pending,
// running, or scheduled for a time already past), then checks that n sign
// warnings are recorded. It polls Redis, not the database, so that the
// wait adds no load to it.
func waitActed(b *testing.B, f *benchFixture, n int) {
	b.Helper()
	ctx, rc := context.Background(), f.redis.Client
	deadline := time.Now().Add(5 * time.Minute)
	for {
		pending, _ := rc.LLen(ctx, "asynq:{default}:pending").Result()
		active, _ := rc.LLen(ctx, "asynq:{default}:active").Result()
		due, _ := rc.ZCount(ctx, "asynq:{default}:scheduled", "-inf", fmt.Sprint(time.Now().Unix())).Result()
		retry, _ := rc.ZCard(ctx, "asynq:{default}:retry").Result()
		if pending+active+due+retry == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("rung tasks left after 5 minutes: %d pending, %d running, %d due, %d to retry", pending, active, due, retry)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, err := f.DB.Database().Collection("requests").CountDocuments(ctx, map[string]any{"sla.legs.rungs": "warn"})
	portaltest.Must(b, err, "count")
	if int(c) != n {
		b.Fatalf("%d of %d rungs acted", c, n)
	}
}

// BenchmarkRungFiringDelay schedules 30 warnings over fifteen seconds of
// the wall clock (two a second, well within what a worker handles, so
// that the figure is the scheduling delay rather than a backlog) and
// measures how long after its time each one acted: p50, p95 and the maximum.
func BenchmarkRungFiringDelay(b *testing.B) {
	const n = 30
	var delays []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newBenchFixture(b, time.Now)
		f.startWorker(b)
		// The warning of a request started at s fires at s + 18 h: start
		// each request so that its warning falls 3 to 18 seconds from now.
		base := time.Now().Add(3*time.Second - 18*time.Hour)
		f.insert(b, 0, n, func(i int) *portal.Request { return benchRequest(i, base.Add(time.Duration(i)*500*time.Millisecond)) })
		ctx := context.Background()
		planned := map[string]time.Time{}
		for j := 0; j < n; j++ {
			r, err := f.Store.FindRequestByID(ctx, fmt.Sprintf("bench-%07d", j))
			portaltest.Must(b, err, "load")
			plan, err := f.chaser.Plan(ctx, r)
			portaltest.Must(b, err, "plan")
			planned[r.ID] = plan[0].At
			if _, err := f.sla.Schedule(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		time.Sleep(time.Until(base.Add(18*time.Hour + n*500*time.Millisecond + time.Second)))
		waitActed(b, f, n)
		b.StopTimer()
		for id, at := range planned {
			r, err := f.Store.FindRequestByID(ctx, id)
			portaltest.Must(b, err, "load")
			ev := rungEvents(r)
			if len(ev) != 1 {
				b.Fatalf("%s has %d rung events", id, len(ev))
			}
			delays = append(delays, ev[0].At.Sub(at))
		}
	}
	slices.Sort(delays)
	pct := func(p float64) float64 {
		return float64(delays[int(p*float64(len(delays)-1))].Milliseconds())
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(delays[len(delays)-1].Milliseconds()), "max-ms")
	if delays[0] < 0 {
		b.Errorf("a rung acted %v before its time", -delays[0])
	}
}
