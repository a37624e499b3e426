package mongostore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// The rung_slots collection lists, per UTC hour, the requests whose
// next_rung_at was set into that hour: {_id: "2026-11-22T10", ids: [...],
// version: n}. It exists because embedded FerretDB v1 pushes down to SQLite
// only a filter that is exactly {_id: <string>}: a range on next_rung_at
// decodes the whole requests collection there, whatever the index says.
// Reading the hour slots of a window by _id, then each listed request by
// _id, costs what the window holds instead.
//
// Entries are only ever added on the write path, never removed: an entry
// left behind when a request's next rung moved to another hour is
// harmless, since whoever reads a slot re-reads the request and checks its
// next_rung_at. Whole slots are deleted once they are older than what the
// sweeper looks back over.

// rungSlotLayout names a slot after its UTC hour.
const rungSlotLayout = "2006-01-02T15"

// rungSlotRetryFor bounds how long a slot write retries against other
// writers of the same slot; each round lets at least one of them through.
const rungSlotRetryFor = 20 * time.Second

func (s *RequestStore) slots() *mongo.Collection { return s.db.db.Collection("rung_slots") }

// rungSlot is the slot of time t.
func rungSlot(t time.Time) string { return t.UTC().Format(rungSlotLayout) }

// rungSlotDoc is one slot as stored.
type rungSlotDoc struct {
	ID      string   `bson:"_id"`
	IDs     []string `bson:"ids"`
	Version int      `bson:"version"`
}

// addToRungSlots lists each request of rs that has a next rung in the
// slot of that rung, one slot write per slot.
func (s *RequestStore) addToRungSlots(ctx context.Context, rs []*portal.Request) error {
	bySlot := map[string][]string{}
	var order []string
	for _, r := range rs {
		if r.NextRungAt == nil || r.ID == "" {
			continue
		}
		k := rungSlot(*r.NextRungAt)
		if _, ok := bySlot[k]; !ok {
			order = append(order, k)
		}
		bySlot[k] = append(bySlot[k], r.ID)
	}
	for _, k := range order {
		if err := s.addToRungSlot(ctx, k, bySlot[k]); err != nil {
			return err
		}
	}
	return nil
}

// addToRungSlot adds ids to slot. A filtered or array update ($addToSet)
// is not atomic on embedded FerretDB v1 — two racing writers would each
// read the old list and one addition would be lost — so the slot is
// versioned: read it, claim "rung_slots:<slot>:<version>" (an insert of a
// unique _id, atomic everywhere), and only the claim's winner replaces the
// slot by _id; the losers read the new version and try again. The first
// version is created by an insert, which a racing creator's duplicate _id
// likewise turns into a retry.
func (s *RequestStore) addToRungSlot(ctx context.Context, slot string, ids []string) error {
	began := time.Now()
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if time.Since(began) > rungSlotRetryFor {
				return portal.Internal(fmt.Errorf("rung slot %s: still contended after %d attempts", slot, attempt))
			}
			if err := slotBackoff(ctx, attempt); err != nil {
				return err
			}
		}
		var cur rungSlotDoc
		err := s.slots().FindOne(ctx, bson.D{{Key: "_id", Value: slot}}).Decode(&cur)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return translate(err, "时限提醒索引")
		}
		merged := slices.Clone(cur.IDs)
		for _, id := range ids {
			if !slices.Contains(merged, id) {
				merged = append(merged, id)
			}
		}
		if len(merged) == len(cur.IDs) && err == nil {
			return nil // all listed already
		}
		next := rungSlotDoc{ID: slot, IDs: merged, Version: cur.Version + 1}
		if errors.Is(err, mongo.ErrNoDocuments) {
			_, err := s.slots().InsertOne(ctx, next)
			if mongo.IsDuplicateKeyError(err) {
				continue // another writer created the slot first
			}
			return translate(err, "时限提醒索引")
		}
		if err := ClaimVersion(ctx, s.db.db, "rung_slots", slot, cur.Version); err != nil {
			if portal.IsCode(err, portal.ECONFLICT) {
				continue
			}
			return err
		}
		if _, err := s.slots().ReplaceOne(ctx, bson.D{{Key: "_id", Value: slot}}, next); err != nil {
			return translate(err, "时限提醒索引")
		}
		return nil
	}
}

// slotBackoff waits a little, more after each failed attempt, with jitter
// so that racing writers spread out.
func slotBackoff(ctx context.Context, attempt int) error {
	d := time.Duration(1+rand.IntN(4*min(attempt, 10))) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// FindRequestsInRungSlots returns the requests listed in the hour slots
// from the hour of from to the hour of to whose next rung fires at or
// before to, by that time then id, with the fields rungs are planned
// from. Every read is by _id, so that the cost follows what the slots
// list, not the size of the requests collection.
func (s *RequestStore) FindRequestsInRungSlots(ctx context.Context, from, to time.Time) ([]*portal.Request, error) {
	seen := map[string]bool{}
	var ids []string
	for h := from.UTC().Truncate(time.Hour); !h.After(to); h = h.Add(time.Hour) {
		var slot rungSlotDoc
		err := s.slots().FindOne(ctx, bson.D{{Key: "_id", Value: rungSlot(h)}}).Decode(&slot)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, translate(err, "时限提醒索引")
		}
		for _, id := range slot.IDs {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	// One find per id rather than one $in: FerretDB v1 pushes down only a
	// filter that is a single _id equality.
	out := []*portal.Request{}
	for _, id := range ids {
		var r portal.Request
		err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(rungProjection)).Decode(&r)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, translate(err, "诉求")
		}
		if r.NextRungAt == nil || r.NextRungAt.After(to) {
			continue // listed for a rung that has moved on since
		}
		out = append(out, &r)
	}
	slices.SortFunc(out, func(a, b *portal.Request) int {
		if c := a.NextRungAt.Compare(*b.NextRungAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// DeleteRungSlots deletes the hour slots from the hour of from up to,
// not including, the hour of before, each by _id.
func (s *RequestStore) DeleteRungSlots(ctx context.Context, from, before time.Time) error {
	end := before.UTC().Truncate(time.Hour)
	for h := from.UTC().Truncate(time.Hour); h.Before(end); h = h.Add(time.Hour) {
		if _, err := s.slots().DeleteOne(ctx, bson.D{{Key: "_id", Value: rungSlot(h)}}); err != nil {
			return translate(err, "时限提醒索引")
		}
	}
	return nil
}

// DeleteRungSlotsBefore deletes every hour slot before the hour of
// before, however old. On FerretDB this reads the whole (small) slot
// collection, so it is for the start-up sweep, not for every sweep.
func (s *RequestStore) DeleteRungSlotsBefore(ctx context.Context, before time.Time) error {
	_, err := s.slots().DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: rungSlot(before)}}}})
	return translate(err, "时限提醒索引")
}

// listNextRung lists r in the slot of its next rung before UpdateRequest
// writes it from version, unless the stored version already has its next
// rung in that slot (and so is listed there). Listing before the write
// means a failed or lost write leaves at most a stale entry, never a rung
// missing from its slot. A stored version other than version is the
// conflict the claim would find anyway.
func (s *RequestStore) listNextRung(ctx context.Context, r *portal.Request, version int) error {
	if r.NextRungAt == nil {
		return nil
	}
	var stored struct {
		Version    int        `bson:"version"`
		NextRungAt *time.Time `bson:"next_rung_at"`
	}
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: r.ID}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}, {Key: "next_rung_at", Value: 1}})).Decode(&stored)
	if err != nil {
		return translate(err, "诉求")
	}
	if stored.Version != version {
		return portal.Errorf(portal.ECONFLICT, "诉求刚被他人处理，请刷新后重试")
	}
	if stored.NextRungAt != nil && rungSlot(*stored.NextRungAt) == rungSlot(*r.NextRungAt) {
		return nil
	}
	return s.addToRungSlot(ctx, rungSlot(*r.NextRungAt), []string{r.ID})
}
