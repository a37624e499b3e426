package portaltest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Redis is a Redis server for one test.
type Redis struct {
	// URL is the redis:// URL of the server.
	URL string
	// Kind says which server it is: "configured", "redis-server" or "miniredis".
	Kind string
	// Opt is the asynq connection option for URL.
	Opt asynq.RedisConnOpt
	// Client is a connected client; closed when the test ends.
	Client redis.UniversalClient
	// Mini is set when the server is miniredis (tests may fast-forward it).
	Mini *miniredis.Miniredis
}

// StartRedis gives the test a Redis: HUIQI_TEST_REDIS_URL (its database
// flushed), else a redis-server from PATH on a free port, else miniredis.
// Under CI=true a missing redis-server fails the test.
func StartRedis(tb testing.TB) *Redis {
	tb.Helper()
	r := &Redis{}
	switch url := os.Getenv("HUIQI_TEST_REDIS_URL"); {
	case url != "":
		r.URL, r.Kind = url, "configured"
	default:
		if path, err := exec.LookPath("redis-server"); err == nil {
			r.URL, r.Kind = startRedisServer(tb, path), "redis-server"
			break
		}
		if InCI() {
			tb.Fatal("CI=true but redis-server is not installed (apt-get install redis-server) and HUIQI_TEST_REDIS_URL is not set")
		}
		m := miniredis.RunT(tb)
		r.URL, r.Kind, r.Mini = "redis://"+m.Addr()+"/0", "miniredis", m
	}
	opt, err := asynq.ParseRedisURI(r.URL)
	if err != nil {
		tb.Fatalf("redis url %q: %v", r.URL, err)
	}
	r.Opt = opt
	r.Client = opt.MakeRedisClient().(redis.UniversalClient)
	tb.Cleanup(func() { _ = r.Client.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if r.Kind == "configured" {
		if err := r.Client.FlushDB(ctx).Err(); err != nil {
			tb.Fatalf("flush test redis: %v", err)
		}
	}
	if err := r.Client.Ping(ctx).Err(); err != nil {
		tb.Fatalf("ping test redis (%s): %v", r.Kind, err)
	}
	return r
}

// startRedisServer runs a throwaway redis-server without persistence and
// stops it when the test ends (or when the test process dies).
func startRedisServer(tb testing.TB, path string) string {
	tb.Helper()
	for attempt := 0; attempt < 5; attempt++ {
		port := FreePort(tb)
		cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", tb.TempDir(), "--loglevel", "warning")
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			tb.Fatalf("start redis-server: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		if waitListening(addr, exited) {
			tb.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return "redis://" + addr + "/0"
		}
		_ = cmd.Process.Kill()
		<-exited
	}
	tb.Fatal("redis-server did not start after 5 attempts")
	return ""
}

func waitListening(addr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
