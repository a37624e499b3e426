package redisstore_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// backend is a Redis the throttle runs on, and a way to let time pass.
type backend struct {
	name   string
	client redis.UniversalClient
	// pass lets d go by on the server; it returns once it has.
	pass func(t *testing.T, d time.Duration)
}

// backends are the Redis of portaltest.StartRedis (a real server where one
// is installed) and miniredis, the embedded default.
func backends(t *testing.T) []backend {
	r := portaltest.StartRedis(t)
	// On a real server the test's Eventually waits for the server's clock.
	real := backend{name: r.Kind, client: r.Client, pass: func(*testing.T, time.Duration) {}}
	if r.Mini != nil {
		real.pass = func(_ *testing.T, d time.Duration) { r.Mini.FastForward(d) }
	}
	mr := miniredis.RunT(t)
	mc := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = mc.Close() })
	return []backend{real, {name: "miniredis", client: mc, pass: func(_ *testing.T, d time.Duration) { mr.FastForward(d) }}}
}

func TestThrottle(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			th := redisstore.NewThrottle(b.client)

			t.Run("EmptyKey", func(t *testing.T) {
				n, wait, err := th.Failures(ctx, "login:user:nobody")
				if err != nil || n != 0 || wait != 0 {
					t.Errorf("Failures of an unknown key = %d, %v, %v; want 0, 0, nil", n, wait, err)
				}
			})

			t.Run("CountsWithinWindow", func(t *testing.T) {
				for i := 1; i <= 3; i++ {
					n, wait, err := th.Fail(ctx, "login:user:alice", time.Minute)
					if err != nil || n != i || wait <= 0 || wait > time.Minute {
						t.Fatalf("Fail #%d = %d, %v, %v; want %d and a wait within the minute", i, n, wait, err, i)
					}
				}
				n, wait, err := th.Failures(ctx, "login:user:alice")
				if err != nil || n != 3 || wait <= 0 || wait > time.Minute {
					t.Errorf("Failures = %d, %v, %v; want 3 within the minute", n, wait, err)
				}
				if n, _, _ := th.Failures(ctx, "login:user:bob"); n != 0 {
					t.Errorf("another key has %d failures", n)
				}
				if v, err := b.client.Get(ctx, "huiqi:throttle:login:user:alice").Int(); err != nil || v != 3 {
					t.Errorf("raw counter = %d, %v; want 3 under the huiqi:throttle: prefix", v, err)
				}
			})

			t.Run("LaterFailuresDoNotExtendTheWindow", func(t *testing.T) {
				if _, _, err := th.Fail(ctx, "login:ip:192.0.2.1", time.Minute); err != nil {
					t.Fatal(err)
				}
				_, wait, err := th.Fail(ctx, "login:ip:192.0.2.1", time.Hour)
				if err != nil || wait > time.Minute {
					t.Errorf("second Fail with a longer window: wait %v, %v; want the first window's minute", wait, err)
				}
			})

			t.Run("WindowEnds", func(t *testing.T) {
				for range 2 {
					if _, _, err := th.Fail(ctx, "login:user:short", 300*time.Millisecond); err != nil {
						t.Fatal(err)
					}
				}
				b.pass(t, 400*time.Millisecond)
				portaltest.Eventually(t, 5*time.Second, "failures forgotten after the window", func() bool {
					n, _, err := th.Failures(ctx, "login:user:short")
					return err == nil && n == 0
				})
				n, wait, err := th.Fail(ctx, "login:user:short", time.Minute)
				if err != nil || n != 1 || wait <= 300*time.Millisecond {
					t.Errorf("first Fail of a new window = %d, %v, %v; want 1 with a fresh minute", n, wait, err)
				}
			})

			t.Run("Reset", func(t *testing.T) {
				if _, _, err := th.Fail(ctx, "login:user:carol", time.Minute); err != nil {
					t.Fatal(err)
				}
				if err := th.Reset(ctx, "login:user:carol"); err != nil {
					t.Fatal(err)
				}
				if n, wait, err := th.Failures(ctx, "login:user:carol"); err != nil || n != 0 || wait != 0 {
					t.Errorf("after Reset: %d, %v, %v; want 0, 0, nil", n, wait, err)
				}
				if err := th.Reset(ctx, "login:user:never-failed"); err != nil {
					t.Errorf("Reset of an unknown key: %v", err)
				}
			})

			t.Run("ConcurrentFailuresAllCount", func(t *testing.T) {
				const n = 50
				got := make([]int, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						c, _, err := th.Fail(ctx, "login:ip:198.51.100.1", time.Minute)
						if err != nil {
							t.Error(err)
						}
						got[i] = c
					}()
				}
				wg.Wait()
				slices.Sort(got)
				for i, c := range got {
					if c != i+1 {
						t.Fatalf("concurrent Fail counts %v, want each of 1..%d once", got, n)
					}
				}
			})
		})
	}
}

func TestThrottleRedisDown(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(portaltest.FreePort(t)), MaxRetries: -1,
		DialTimeout: time.Second})
	t.Cleanup(func() { _ = client.Close() })
	th := redisstore.NewThrottle(client)
	ctx := context.Background()
	if _, _, err := th.Failures(ctx, "k"); err == nil {
		t.Error("Failures without Redis returned no error")
	}
	if _, _, err := th.Fail(ctx, "k", time.Minute); err == nil {
		t.Error("Fail without Redis returned no error")
	}
	if err := th.Reset(ctx, "k"); err == nil {
		t.Error("Reset without Redis returned no error")
	}
}
