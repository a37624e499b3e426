package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal/portaltest"
)

// BenchmarkColdStart measures, on a built binary, the time from starting
// `serve` on a data dir that already holds the demo data to the first 200
// from /readyz, and the resident memory once it has idled for two seconds.
//
//	go test -run '^$' -bench ColdStart -benchtime 5x ./cmd/huiqi
func BenchmarkColdStart(b *testing.B) {
	bin, err := buildBinary()
	if err != nil {
		b.Fatal(err)
	}
	dataDir := b.TempDir()
	out, err := run(b, bin, []string{"HUIQI_DATA_DIR=" + dataDir}, "seed", "--demo")
	if err != nil {
		b.Fatalf("seed: %v\n%s", err, out)
	}
	var totalMS, totalRSS float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		port := portaltest.FreePort(b)
		base := fmt.Sprintf("http://127.0.0.1:%d", port)
		env := []string{"HUIQI_DATA_DIR=" + dataDir, fmt.Sprintf("HUIQI_ADDR=127.0.0.1:%d", port)}
		t0 := time.Now()
		p := start(b, bin, env, "serve")
		p.waitReady(b, base)
		totalMS += float64(time.Since(t0).Microseconds()) / 1000
		b.StopTimer()
		time.Sleep(2 * time.Second)
		totalRSS += rssMB(b, p.cmd.Process.Pid)
		p.stop(b)
		b.StartTimer()
	}
	b.ReportMetric(totalMS/float64(b.N), "ms/start")
	b.ReportMetric(totalRSS/float64(b.N), "MB-rss-idle")
}

// rssMB reads the resident set size of pid from /proc.
func rssMB(b *testing.B, pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatalf("read rss: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS in /proc status")
	return 0
}
