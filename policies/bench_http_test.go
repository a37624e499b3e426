package policies_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/web"
	"github.com/huiqi/huiqi/search"
)

// httpQueries is a fixed mix of what enterprises type: words, Traditional
// characters, pinyin, synonyms, digits and filters.
var httpQueries = []string{
	"q=人才", "q=人才經費", "q=rencai", "q=小微&open=true", "q=再贷款&category=relending", "q=专精特新",
	"q=2026&sort=deadline", "q=厂房租金补贴", "q=AI", "category=employment&sort=newest", "q=稳岗返还", "q=物流&industry=G",
}

// BenchmarkSearchHTTP measures GET /api/v1/policies/search over loopback
// HTTP on the embedded default (Bleve index, FerretDB hydration of the
// page) with n policies, and reports p50 and p95 latency.
//
//	go test ./policies -run '^$' -bench SearchHTTP10k -benchtime 300x
//	HUIQI_BENCH_100K=1 go test ./policies -run '^$' -bench SearchHTTP100k -benchtime 200x -timeout 60m
func BenchmarkSearchHTTP10k(b *testing.B) { benchSearchHTTP(b, 10_000) }

func BenchmarkSearchHTTP100k(b *testing.B) {
	if os.Getenv("HUIQI_BENCH_100K") == "" {
		b.Skip("set HUIQI_BENCH_100K=1 to load 100k policies")
	}
	benchSearchHTTP(b, 100_000)
}

func benchSearchHTTP(b *testing.B, n int) {
	ctx := context.Background()
	db := portaltest.DB(b)
	idx := portaltest.Bleve(b, policies.Schema)
	store := policystore.New(db.Database())
	now := time.Now()
	base := demo.Policies(now)
	coll := db.Database().Collection("policies")
	for start := 0; start < n; start += 1000 {
		var docs []any
		var sdocs []search.Document
		for i := start; i < min(start+1000, n); i++ {
			p := *base[i%len(base)]
			p.ID = fmt.Sprintf("pol-%06d", i)
			if i >= len(base) {
				p.Title = fmt.Sprintf("%s（第%d批）", p.Title, i/len(base)+1)
			}
			docs = append(docs, &p)
			sdocs = append(sdocs, policies.SearchDocument(&p))
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
		if err := idx.Upsert(ctx, sdocs...); err != nil {
			b.Fatal(err)
		}
	}
	svc := &policies.Service{Store: store, Index: idx, Now: time.Now,
		Audit: &portal.Auditor{Store: mongostore.NewAuditStore(db), Now: time.Now}}
	srv, err := web.NewServer(web.Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Org: mongostore.NewOrgStore(db), OrgIndex: portaltest.Bleve(b), Policies: svc})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := ts.Client()
	get := func(q string) time.Duration {
		u := ts.URL + "/api/v1/policies/search?" + (url.Values{}).Encode() + q
		t0 := time.Now()
		res, err := client.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", q, res.StatusCode)
		}
		return time.Since(t0)
	}
	for _, q := range httpQueries {
		get(q) // warm caches
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lat = append(lat, get(httpQueries[i%len(httpQueries)]))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}
