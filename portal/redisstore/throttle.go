// Package redisstore keeps short-lived counters in Redis: login throttling
// windows. Nothing here is a source of truth; losing it only forgets recent
// failures.
package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/huiqi/huiqi/portal"
)

// Throttle counts failures per key in fixed windows.
type Throttle struct {
	client redis.UniversalClient
	prefix string
}

var _ portal.Throttle = (*Throttle)(nil)

// NewThrottle returns a throttle keeping its counters under "huiqi:throttle:".
func NewThrottle(client redis.UniversalClient) *Throttle {
	return &Throttle{client: client, prefix: "huiqi:throttle:"}
}

// Failures returns the count in the current window and its remaining time.
func (t *Throttle) Failures(ctx context.Context, key string) (int, time.Duration, error) {
	pipe := t.client.Pipeline()
	get := pipe.Get(ctx, t.prefix+key)
	ttl := pipe.PTTL(ctx, t.prefix+key)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return 0, 0, err
	}
	n, err := get.Int()
	if err == redis.Nil {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	return n, max(ttl.Val(), 0), nil
}

// Fail adds one failure. The window starts with the first failure and is not
// extended by later ones (SET NX PX, then INCR keeps the expiry).
func (t *Throttle) Fail(ctx context.Context, key string, window time.Duration) (int, time.Duration, error) {
	k := t.prefix + key
	pipe := t.client.TxPipeline()
	pipe.SetNX(ctx, k, 0, window)
	incr := pipe.Incr(ctx, k)
	ttl := pipe.PTTL(ctx, k)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, 0, err
	}
	return int(incr.Val()), max(ttl.Val(), 0), nil
}

// Reset forgets the failures of key.
func (t *Throttle) Reset(ctx context.Context, key string) error {
	return t.client.Del(ctx, t.prefix+key).Err()
}
