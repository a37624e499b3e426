package jobs_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// sweepRecent runs one periodic sweep and waits until every rung task it
// made ready has run.
func (f *ladderFixture) sweepRecent(t *testing.T) jobs.SweepResult {
	t.Helper()
	res, err := f.sla.SweepRecent(context.Background())
	portaltest.Must(t, err, "periodic sweep")
	f.drain(t)
	return res
}

// slotOf returns the ids the rung slot of the hour of at lists, nil when
// there is no such slot.
func (f *ladderFixture) slotOf(t *testing.T, at time.Time) []string {
	t.Helper()
	var doc struct {
		IDs []string `bson:"ids"`
	}
	err := f.DB.Database().Collection("rung_slots").FindOne(context.Background(),
		bson.D{{Key: "_id", Value: at.UTC().Format("2006-01-02T15")}}).Decode(&doc)
	if err != nil {
		return nil
	}
	return doc.IDs
}

// TestPeriodicSweepAfterRedisWipe: the periodic sweep, which reads the
// rung slots rather than scanning requests, puts back each rung Redis
// lost; the slot entry of a rung already acted on, left behind when the
// next rung moved to another hour, schedules nothing.
func TestPeriodicSweepAfterRedisWipe(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), true)
	r := f.dispatched(t, "dept-trans")
	warnAt := *r.NextRungAt
	if !slices.Contains(f.slotOf(t, warnAt), r.ID) {
		t.Fatalf("dispatching did not list %s in the slot of its warning at %v", r.ID, warnAt)
	}
	f.wipe(t)

	f.at("2026-03-03 03:00")
	if res := f.sweepRecent(t); res.Added != 1 || res.Requests != 1 {
		t.Errorf("periodic sweep after the wipe: %+v, want the warning added", res)
	}
	got := f.load(t, r.ID)
	if rs := rungsOf(got, portal.LegSign); !equal(rs, []string{"warn"}) {
		t.Fatalf("sign rungs after the periodic sweep %v, want [warn]", rs)
	}
	if got.NextRungAt == nil || got.NextRungAt.UTC().Truncate(time.Hour).Equal(warnAt.UTC().Truncate(time.Hour)) {
		t.Fatalf("next rung after the warning %v, want one in another hour than %v", got.NextRungAt, warnAt)
	}
	if !slices.Contains(f.slotOf(t, warnAt), r.ID) || !slices.Contains(f.slotOf(t, *got.NextRungAt), r.ID) {
		t.Fatalf("slots of the warning %v and of the next rung %v, want %s in both", f.slotOf(t, warnAt), f.slotOf(t, *got.NextRungAt), r.ID)
	}

	f.wipe(t)
	if res := f.sweepRecent(t); res != (jobs.SweepResult{}) {
		t.Errorf("periodic sweep with only the warning's stale entry due: %+v, want nothing", res)
	}
	if n := len(rungEvents(f.load(t, r.ID))); n != 1 {
		t.Errorf("%d rung events after the stale entry was swept, want 1", n)
	}

	f.at("2026-03-03 09:00")
	f.wipe(t)
	if res := f.sweepRecent(t); res.Added != 1 || res.Requests != 1 {
		t.Errorf("periodic sweep at the sign deadline: %+v, want the chase added", res)
	}
	if rs := rungsOf(f.load(t, r.ID), portal.LegSign); !equal(rs, []string{"warn", "chase"}) {
		t.Errorf("sign rungs after the chase %v, want [warn chase]", rs)
	}
}

// TestPeriodicSweepLooksBackTwoDays: a rung overdue by more than
// SlotLookback is left to the start-up sweep, which finds it however old
// and deletes the rung slots older than the lookback.
func TestPeriodicSweepLooksBackTwoDays(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	r := f.dispatched(t, "dept-trans")
	warnAt := *r.NextRungAt
	portaltest.Must(t, f.redis.Client.FlushAll(context.Background()).Err(), "FLUSHALL")

	f.at("2026-03-06 09:00")
	if f.now().Sub(warnAt) <= jobs.SlotLookback {
		t.Fatalf("the warning at %v is not older than the lookback", warnAt)
	}
	res, err := f.sla.SweepRecent(context.Background())
	portaltest.Must(t, err, "periodic sweep")
	if res.Requests != 0 {
		t.Errorf("periodic sweep read %d requests, want none: the warning is older than the lookback", res.Requests)
	}
	if !slices.Contains(f.slotOf(t, warnAt), r.ID) {
		t.Fatalf("the periodic sweep deleted the slot of %v, beyond what it prunes by id", warnAt)
	}
	res, err = f.sla.Sweep(context.Background())
	portaltest.Must(t, err, "start-up sweep")
	if res.Requests != 1 || res.Added == 0 {
		t.Errorf("start-up sweep %+v, want the request's overdue rungs added", res)
	}
	if ids := f.slotOf(t, warnAt); ids != nil {
		t.Errorf("the slot of %v outlived the start-up sweep: %v", warnAt, ids)
	}
}
