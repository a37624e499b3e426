package mongostore_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// slotIDs returns the request ids the rung slot named slot lists.
func slotIDs(t *testing.T, db *mongostore.DB, slot string) []string {
	t.Helper()
	var doc struct {
		IDs []string `bson:"ids"`
	}
	err := db.Database().Collection("rung_slots").FindOne(ctxT(t), bson.D{{Key: "_id", Value: slot}}).Decode(&doc)
	portaltest.Must(t, err, "read slot %s", slot)
	return doc.IDs
}

func slotRequest(id string, next *time.Time) *portal.Request {
	return &portal.Request{ID: id, No: "HQ-2026-" + id, Title: "标题", Status: portal.StatusDispatched, Version: 1,
		CreatedAt: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), Attachments: []portal.Attachment{}, NextRungAt: next}
}

// TestRungSlotConcurrentWritesLoseNoID: twelve writers moving twelve
// requests into the same hour at once each get their id into the slot, on
// embedded FerretDB where the slot's read and write are not one atomic
// step.
func TestRungSlotConcurrentWritesLoseNoID(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewRequestStore(db, time.UTC)
	const n = 12
	var rs []*portal.Request
	for i := 0; i < n; i++ {
		rs = append(rs, slotRequest(fmt.Sprintf("r%02d", i), nil))
	}
	portaltest.Must(t, s.InsertRequests(ctx, rs), "insert")

	hour := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := hour.Add(time.Duration(i) * time.Minute)
			r.NextRungAt = &at
			errs[i] = s.UpdateRequest(ctx, r, 1)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		portaltest.Must(t, err, "update r%02d", i)
	}
	ids := slotIDs(t, db, "2026-11-22T10")
	slices.Sort(ids)
	var want []string
	for _, r := range rs {
		want = append(want, r.ID)
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("slot lists %v, want %v", ids, want)
	}
	found, err := s.FindRequestsInRungSlots(ctx, hour.Add(-time.Hour), hour.Add(time.Hour))
	portaltest.Must(t, err, "find")
	if len(found) != n {
		t.Fatalf("found %d requests in the slots, want %d", len(found), n)
	}
	for i, r := range found {
		if r.ID != want[i] || r.Status != portal.StatusDispatched || r.Version != 2 {
			t.Errorf("found[%d] = %s %s v%d, want %s dispatched v2 in rung order", i, r.ID, r.Status, r.Version, want[i])
		}
	}
}

// TestRungSlotsListWrites: creating, bulk-inserting and updating a request
// with a next rung lists it in that rung's hour; moving the rung lists it in
// the new hour and leaves the old entry, which a read of that hour skips
// because the request's rung has moved on; a request without a next rung
// is listed nowhere.
func TestRungSlotsListWrites(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewRequestStore(db, time.UTC)
	at := time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)
	created := slotRequest("c1", &at)
	portaltest.Must(t, s.CreateRequest(ctx, created), "create")
	portaltest.Must(t, s.InsertRequests(ctx, []*portal.Request{slotRequest("b1", &at), slotRequest("b2", nil)}), "insert")
	if got := slotIDs(t, db, "2026-11-22T10"); !slices.Equal(got, []string{"c1", "b1"}) {
		t.Fatalf("slot 10 lists %v, want [c1 b1]", got)
	}

	later := at.Add(3 * time.Hour)
	created.NextRungAt = &later
	portaltest.Must(t, s.UpdateRequest(ctx, created, created.Version), "move the rung")
	if got := slotIDs(t, db, "2026-11-22T13"); !slices.Equal(got, []string{"c1"}) {
		t.Fatalf("slot 13 lists %v, want [c1]", got)
	}
	found, err := s.FindRequestsInRungSlots(ctx, at.Add(-time.Hour), at)
	portaltest.Must(t, err, "find hour 10")
	if len(found) != 1 || found[0].ID != "b1" {
		t.Fatalf("hour 10 found %v, want only b1 (c1 moved on)", found)
	}
	found, err = s.FindRequestsInRungSlots(ctx, at, later)
	portaltest.Must(t, err, "find hours 10–13")
	if len(found) != 2 || found[0].ID != "b1" || found[1].ID != "c1" {
		t.Fatalf("hours 10–13 found %v, want b1 then c1", found)
	}
	found, err = s.FindRequestsInRungSlots(ctx, at, later.Add(-time.Minute))
	portaltest.Must(t, err, "find up to before c1's rung")
	if len(found) != 1 || found[0].ID != "b1" {
		t.Fatalf("up to a minute before c1's rung found %v, want only b1", found)
	}

	// A stale update (wrong version) is refused and changes nothing.
	stale := *created
	again := later.Add(5 * time.Hour)
	stale.NextRungAt = &again
	if err := s.UpdateRequest(ctx, &stale, 1); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("update from an old version: %v, want conflict", err)
	}
	if n, _ := db.Database().Collection("rung_slots").CountDocuments(ctx, bson.D{{Key: "_id", Value: "2026-11-22T18"}}); n != 0 {
		t.Errorf("a refused update listed its rung")
	}

	portaltest.Must(t, s.DeleteRungSlots(ctx, at.Add(-2*time.Hour), later), "delete hours 8–12")
	left, err := db.Database().Collection("rung_slots").CountDocuments(ctx, bson.D{})
	portaltest.Must(t, err, "count")
	if left != 1 {
		t.Errorf("%d slots left after deleting up to hour 13, want 1", left)
	}
	portaltest.Must(t, s.DeleteRungSlotsBefore(ctx, later.Add(time.Hour)), "delete all before hour 14")
	if left, _ := db.Database().Collection("rung_slots").CountDocuments(ctx, bson.D{}); left != 0 {
		t.Errorf("%d slots left after deleting all before hour 14", left)
	}
}
