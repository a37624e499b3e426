package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// readyTimeout bounds each dependency check.
const readyTimeout = 2 * time.Second

type checkResult struct {
	Status    string  `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

// readyz asks every dependency at once and answers 200 only when all answer.
func (s *Server) readyz(c *gin.Context) {
	results := make(map[string]checkResult, len(s.opt.Checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, chk := range s.opt.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
			defer cancel()
			start := time.Now()
			err := chk.Check(ctx)
			r := checkResult{Status: "ok", LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
			if err != nil {
				r.Status, r.Error = "down", err.Error()
			}
			mu.Lock()
			results[chk.Name] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	status, overall := http.StatusOK, "ok"
	for _, r := range results {
		if r.Status != "ok" {
			status, overall = http.StatusServiceUnavailable, "unavailable"
		}
	}
	c.JSON(status, gin.H{"status": overall, "checks": results, "version": s.opt.Version})
}
