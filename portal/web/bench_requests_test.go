package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// The request benchmarks run the real router over loopback HTTP on the
// embedded default (FerretDB on SQLite, miniredis or redis-server) with n
// requests already stored, and report p50/p95 latency; filing also
// reports throughput with four concurrent clients.
//
//	go test ./portal/web -run '^$' -bench 'RequestFiling10k' -benchtime 400x
//	go test ./portal/web -run '^$' -bench 'RequestLists10k' -benchtime 200x
//	HUIQI_BENCH_50K=1 go test ./portal/web -run '^$' -bench 'RequestLists50k' -benchtime 200x -timeout 30m
func BenchmarkRequestFiling10k(b *testing.B) {
	env := newRequestBench(b, 10_000)
	body, _ := json.Marshal(map[string]any{"title": "港区夜间货车通行证咨询", "category": "traffic", "type": "help",
		"description": "公司冷链货车需要夜间进出港区，请问通行证如何办理、需要哪些材料？"})
	const clients = 4
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; i < b.N; i += clients {
				lat[c] = append(lat[c], env.do(b, "enterprise", http.MethodPost, "/api/v1/requests", body, http.StatusCreated))
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "filings/s")
	reportPercentiles(b, all)
}

func BenchmarkRequestLists10k(b *testing.B) { benchRequestLists(b, 10_000) }

func BenchmarkRequestLists50k(b *testing.B) {
	if os.Getenv("HUIQI_BENCH_50K") == "" {
		b.Skip("set HUIQI_BENCH_50K=1 to load 50k requests")
	}
	benchRequestLists(b, 50_000)
}

// benchRequestLists measures the handler's inbox (its department, by
// deadline), the dispatcher's open list and an enterprise's own list.
func benchRequestLists(b *testing.B, n int) {
	env := newRequestBench(b, n)
	for _, c := range []struct{ name, actor, path string }{
		{"inbox", "handler", "/api/v1/requests?mine=true&sort=due"},
		{"dispatcher-open", "dispatcher", "/api/v1/requests?status=open"},
		{"dispatcher-queue", "dispatcher", "/api/v1/requests?mine=true"},
		{"enterprise-own", "enterprise", "/api/v1/requests"},
		{"overdue", "dispatcher", "/api/v1/requests?overdue=true&sort=due"},
	} {
		b.Run(c.name, func(b *testing.B) {
			env.signIn(b)
			b.ResetTimer()
			lat := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				lat = append(lat, env.do(b, c.actor, http.MethodGet, c.path, nil, http.StatusOK))
			}
			reportPercentiles(b, lat)
		})
	}
}

type requestBench struct {
	url    string
	auth   *portal.AuthService
	tokens map[string]string
}

// signIn gives each caller a fresh access token, so that a long load does
// not outlive the tokens.
func (e *requestBench) signIn(b *testing.B) {
	b.Helper()
	for _, u := range []string{"enterprise", "handler", "dispatcher"} {
		pair, _, err := e.auth.Login(context.Background(), u, reqTestPassword, "127.0.0.1")
		portaltest.Must(b, err, "login %s", u)
		e.tokens[u] = pair.AccessToken
	}
}

func (e *requestBench) do(b *testing.B, actor, method, path string, body []byte, want int) time.Duration {
	req, _ := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.tokens[actor])
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Error(err)
		return 0
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	res.Body.Close()
	d := time.Since(t0)
	if res.StatusCode != want {
		b.Errorf("%s %s: %d %s", method, path, res.StatusCode, buf.String())
	}
	return d
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// newRequestBench stores n requests spread over the demo district's
// enterprises, departments and states, and serves the API on loopback.
func newRequestBench(b *testing.B, n int) *requestBench {
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
	ents := demo.Enterprises()[:12]
	depts := []string{"dept-trans", "dept-hrss", "dept-fin", "dept-samr", "dept-plan", "dept-housing"}
	states := []portal.Status{portal.StatusSubmitted, portal.StatusDispatched, portal.StatusSigned, portal.StatusReplied,
		portal.StatusResolved, portal.StatusClosed, portal.StatusClosed, portal.StatusClosed}
	now := time.Now().UTC()
	batch := make([]*portal.Request, 0, 1000)
	for i := 0; i < n; i++ {
		e := ents[i%len(ents)]
		st := states[i%len(states)]
		created := now.Add(-time.Duration(i) * 7 * time.Minute)
		r := &portal.Request{ID: fmt.Sprintf("bench-%06d", i), No: fmt.Sprintf("HQ-2025-%06d", i+1),
			EnterpriseID: e.ID, EnterpriseName: e.Name, SubdistrictID: e.SubdistrictID, ParkID: e.ParkID, ChainIDs: e.ChainIDs,
			LiaisonID: e.LiaisonID, ContactName: "联系人", ContactPhone: "13800000000",
			Title: fmt.Sprintf("第 %d 号诉求：港区道路通行问题", i), Description: "描述", Category: "traffic", Type: portal.TypeHelp,
			Channel: portal.Channels[i%len(portal.Channels)], Status: st, Attachments: []portal.Attachment{}, Version: 1,
			FiledByID: "u-enterprise", FiledByName: "企业", CreatedAt: created, UpdatedAt: created}
		if st != portal.StatusSubmitted {
			d := depts[(i/len(states))%len(depts)]
			due := created.Add(72 * time.Hour)
			r.DepartmentID, r.DepartmentName, r.Tier = d, d, portal.TierA
			if st.Open() {
				r.DueAt = &due
			}
		}
		batch = append(batch, r)
		if len(batch) == cap(batch) || i == n-1 {
			portaltest.Must(b, w.Store.InsertRequests(ctx, batch), "insert requests")
			batch = batch[:0]
		}
	}
	auth, err := portal.NewAuthService(w.Users, mongostore.NewSessionStore(db), redisstore.NewThrottle(portaltest.StartRedis(b).Client),
		w.Audit, time.Now, portal.AuthConfig{Secret: []byte("request-bench-secret-0123456789abcdef")})
	portaltest.Must(b, err, "auth")
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Auth: auth, Users: w.Users, Org: mongostore.NewOrgStore(db), Requests: w.Requests, Categories: mongostore.NewCategoryStore(db)})
	portaltest.Must(b, err, "server")
	hs := httptest.NewServer(srv.Handler())
	b.Cleanup(hs.Close)
	env := &requestBench{url: hs.URL, auth: auth, tokens: map[string]string{}}
	env.signIn(b)
	return env
}
