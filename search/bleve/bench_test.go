package bleve_test

import (
	"context"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/bleve"
	"github.com/huiqi/huiqi/search/searchtest"
)

// Benchmarks of the embedded index on synthetic policy documents made
// from the relevance set's vocabulary:
//
//	go test ./search/bleve -run '^$' -bench 'Index10k|Search10k' -benchtime 1x
//	go test ./search/bleve -run '^$' -bench 'Index100k|Search100k' -benchtime 1x -timeout 30m
//
// The 100k ones run only when -bench names them, so `-bench .` stays quick.

// batchSize is how many documents one Upsert carries, as huiqi reindex.
const batchSize = 500

// large skips b unless the -bench pattern names it explicitly.
func large(b *testing.B) {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "100k") {
		b.Skip("100k benchmarks run only when -bench names them (e.g. -bench Index100k)")
	}
}

// fill indexes docs in batches.
func fill(b *testing.B, idx search.Index, docs []search.Document) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < len(docs); i += batchSize {
		if err := idx.Upsert(ctx, docs[i:min(i+batchSize, len(docs))]...); err != nil {
			b.Fatalf("Upsert: %v", err)
		}
	}
}

func openBench(b *testing.B) *bleve.Index {
	b.Helper()
	idx, err := bleve.Open(filepath.Join(b.TempDir(), "bench.bleve"), searchtest.PolicySchema)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	b.Cleanup(func() { _ = idx.Close() })
	return idx
}

func benchIndex(b *testing.B, n int) {
	docs := searchtest.Synthetic(n, 1)
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		idx, err := bleve.Open(filepath.Join(b.TempDir(), "bench.bleve"), searchtest.PolicySchema)
		if err != nil {
			b.Fatalf("Open: %v", err)
		}
		b.StartTimer()
		start := time.Now()
		fill(b, idx, docs)
		took += time.Since(start)
		b.StopTimer()
		_ = idx.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/took.Seconds(), "docs/s")
}

func BenchmarkIndex10k(b *testing.B) { benchIndex(b, 10_000) }

func BenchmarkIndex100k(b *testing.B) {
	large(b)
	benchIndex(b, 100_000)
}

// benchSearch runs searchtest.BenchQueries round-robin over an index of n
// documents and reports the median and 95th percentile latency.
func benchSearch(b *testing.B, n int) {
	idx := openBench(b)
	fill(b, idx, searchtest.Synthetic(n, 1))
	ctx := context.Background()
	qs := searchtest.BenchQueries
	var lat []time.Duration
	i := 0
	for b.Loop() {
		q := search.Query{Text: qs[i%len(qs)], Facets: []string{"category"}}
		i++
		start := time.Now()
		if _, err := idx.Search(ctx, q); err != nil {
			b.Fatalf("Search(%q): %v", q.Text, err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	ms := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
}

func BenchmarkSearch10k(b *testing.B) { benchSearch(b, 10_000) }

func BenchmarkSearch100k(b *testing.B) {
	large(b)
	benchSearch(b, 100_000)
}
