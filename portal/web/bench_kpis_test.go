package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// The rate benchmarks: the dashboard and the rate API read the counters of
// n stored requests (1k by default, 100k with HUIQI_BENCH_100K=1, whose
// insertion takes minutes on embedded FerretDB); the rebuild of the
// counters is timed once during set-up. The export benchmark writes 100k
// scorecard rows as XLSX and reports the peak heap.
//
//	go test ./portal/web -run '^$' -bench 'KPIDashboard' -benchtime 100x
//	HUIQI_BENCH_100K=1 go test ./portal/web -run '^$' -bench 'KPIDashboard' -benchtime 100x -timeout 60m
//	go test ./portal/web -run '^$' -bench 'ExportXLSX100k' -benchtime 1x
func BenchmarkKPIDashboard(b *testing.B) {
	for _, n := range []int{1000, 100_000} {
		b.Run(fmt.Sprintf("requests=%d", n), func(b *testing.B) {
			if n > 1000 && os.Getenv("HUIQI_BENCH_100K") == "" {
				b.Skip("set HUIQI_BENCH_100K=1 to measure with 100k requests")
			}
			env := newKPIBench(b, n)
			for _, path := range []string{"/api/v1/kpis?group_by=department", "/dashboard"} {
				b.Run(path, func(b *testing.B) {
					lat := make([]time.Duration, 0, b.N)
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						lat = append(lat, env.do(b, "dispatcher", http.MethodGet, path, nil, http.StatusOK))
					}
					b.StopTimer()
					reportPercentiles(b, lat)
				})
			}
		})
	}
}

// kpiBenchRequest is request i of a synthetic district: spread over 24
// months, six departments, every channel and tier A, in every state, with
// on-time and late legs and feedback on most resolved ones.
func kpiBenchRequest(i int, now time.Time) *portal.Request {
	ents := kpiBenchEnterprises()
	depts := []string{"dept-trans", "dept-hrss", "dept-fin", "dept-samr", "dept-plan", "dept-housing"}
	e := ents[i%len(ents)]
	created := now.Add(-time.Duration(i%(24*30*24)) * time.Hour)
	r := &portal.Request{ID: fmt.Sprintf("kb-%07d", i), No: fmt.Sprintf("HQ-2025-%07d", i+1),
		EnterpriseID: e.ID, EnterpriseName: e.Name, SubdistrictID: e.SubdistrictID, ParkID: e.ParkID, ChainIDs: e.ChainIDs,
		LiaisonID: e.LiaisonID, ContactName: "联系人", ContactPhone: "13800000000", Title: fmt.Sprintf("第 %d 号诉求", i),
		Description: "描述", Category: []string{"traffic", "finance", "talent", "land"}[i%4], Type: portal.TypeHelp,
		Channel: portal.Channels[i%len(portal.Channels)], Status: portal.StatusSubmitted, Attachments: []portal.Attachment{},
		Version: 1, FiledByID: "u-enterprise", FiledByName: "企业", CreatedAt: created, UpdatedAt: created}
	stage := i % 7
	if stage == 0 {
		return r
	}
	d := depts[(i/7)%len(depts)]
	r.DepartmentID, r.DepartmentName, r.Tier, r.Status = d, d, portal.TierA, portal.StatusDispatched
	legs := []portal.LegDeadline{{Leg: portal.LegSign, Due: created.Add(24 * time.Hour)},
		{Leg: portal.LegReply, Due: created.Add(48 * time.Hour)}, {Leg: portal.LegResolve, Due: created.Add(96 * time.Hour)}}
	for l := 0; l < min(stage-1, 3); l++ {
		at := created.Add(time.Duration(10+(i%5)*20*(l+1)) * time.Hour)
		onTime := at.Before(legs[l].Due)
		legs[l].DoneAt, legs[l].OnTime = &at, &onTime
	}
	r.SLA = &portal.SLA{PlanID: "help:A", Generation: 1, Start: created, Legs: legs}
	if stage >= 4 {
		r.ResolvedAt, r.Status = legs[2].DoneAt, portal.StatusResolved
	}
	if stage >= 5 && i%3 != 0 {
		r.Status = portal.StatusClosed
		r.Feedback = &portal.Feedback{Solved: []portal.Solved{portal.SolvedYes, portal.Partly, portal.Unsolved}[i%3],
			Satisfaction: []portal.Satisfaction{portal.Satisfied, portal.Basic, portal.Dissatisfied}[i%3], Via: portal.ViaLink, At: *r.ResolvedAt}
	}
	if stage == 6 && i%5 == 0 {
		r.Reopened = 1
	}
	return r
}

// kpiBenchEnterprises are the hand-written demo enterprises, made once:
// demo.Enterprises generates the whole demo district on every call.
var kpiBenchEnterprises = sync.OnceValue(func() []*portal.Enterprise { return demo.Enterprises()[:12] })

// newKPIBench stores n requests, rebuilds the counters (timed) and serves
// the real router with the district dispatcher (who sees the whole
// district) signed in.
func newKPIBench(b *testing.B, n int) *requestBench {
	b.Helper()
	ctx := context.Background()
	db := portaltest.DB(b)
	w := portaltest.NewWorld(b, db, time.Now)
	hash, err := reqTestHash()
	portaltest.Must(b, err, "hash")
	users, _, err := w.Users.FindUsers(ctx, portal.UserFilter{Limit: 100})
	portaltest.Must(b, err, "users")
	for _, u := range users {
		_, err := w.Users.UpdateUser(ctx, u.ID, portal.UserUpdate{PasswordHash: &hash})
		portaltest.Must(b, err, "password of %s", u.Username)
	}
	now := time.Now().UTC()
	start := time.Now()
	batch := make([]*portal.Request, 0, 1000)
	for i := 0; i < n; i++ {
		batch = append(batch, kpiBenchRequest(i, now))
		if len(batch) == cap(batch) || i == n-1 {
			portaltest.Must(b, w.Store.InsertRequests(ctx, batch), "insert requests")
			batch = batch[:0]
		}
	}
	b.Logf("inserted %d requests in %v", n, time.Since(start).Round(time.Millisecond))
	kpis := testKPIService(db, w.Requests)
	start = time.Now()
	read, docs, err := kpis.Rebuild(ctx, nil)
	portaltest.Must(b, err, "rebuild")
	b.Logf("rebuilt %d counter documents from %d requests in %v", docs, read, time.Since(start).Round(time.Millisecond))
	auth, err := portal.NewAuthService(w.Users, mongostore.NewSessionStore(db), redisstore.NewThrottle(portaltest.StartRedis(b).Client),
		w.Audit, time.Now, portal.AuthConfig{Secret: []byte("kpi-bench-secret-0123456789abcdefghij")})
	portaltest.Must(b, err, "auth")
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Auth: auth, Users: w.Users,
		Org: mongostore.NewOrgStore(db), Requests: w.Requests, Categories: mongostore.NewCategoryStore(db), KPIs: kpis})
	portaltest.Must(b, err, "server")
	hs := httptest.NewServer(srv.Handler())
	b.Cleanup(hs.Close)
	env := &requestBench{url: hs.URL, auth: auth, tokens: map[string]string{}}
	env.signIn(b)
	return env
}

// BenchmarkExportXLSX100k writes 100k scorecard rows through sendExport
// and reports the time per export, the peak live heap while it runs
// (sampled every 5 ms from runtime/metrics) and the allocations.
func BenchmarkExportXLSX100k(b *testing.B) {
	const n = 100_000
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()})
	portaltest.Must(b, err, "server")
	now := time.Now().UTC()
	table := exportTable{Name: "一诉一考-基准", Columns: scorecardColumns, Loc: time.UTC, Rows: func(emit func([]any) error) error {
		for i := 0; i < n; i++ {
			r := kpiBenchRequest(i, now)
			if err := emit([]any{r.No, r.EnterpriseName, "交通出行", portal.ChannelNames[r.Channel], portal.StatusNames[r.Status],
				cellText(r.CreatedAt, time.UTC), cellText(r.CreatedAt, time.UTC), "", portal.ScorecardOnTime(r, portal.LegSign),
				"", portal.ScorecardOnTime(r, portal.LegReply), cellText(r.ResolvedAt, time.UTC), portal.ScorecardOnTime(r, portal.LegResolve),
				"解决", "满意", "", r.Reopened}); err != nil {
				return err
			}
		}
		return nil
	}}
	srv.engine.GET("/bench-export", func(c *gin.Context) { srv.sendExport(c, table) })
	b.ReportAllocs()
	var peak atomic.Uint64
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	stop := make(chan struct{})
	done := make(chan struct{})
	runtime.GC()
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	size := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := httptest.NewRecorder()
		srv.Handler().ServeHTTP(res, httptest.NewRequest(http.MethodGet, "/bench-export", nil))
		if res.Code != http.StatusOK {
			b.Fatalf("export: %d", res.Code)
		}
		size = res.Body.Len()
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(base)/(1<<20), "base-heap-MB")
	b.ReportMetric(float64(size)/(1<<20), "xlsx-MB")
}
