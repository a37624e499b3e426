package mongostore_test

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestRequestUpdateRecoversAbandonedClaim: a writer that claimed a version
// and died before writing must not block the request for good, while a
// fresh claim (a writer still at work) keeps refusing.
func TestRequestUpdateRecoversAbandonedClaim(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewRequestStore(db, time.UTC)
	r := &portal.Request{ID: "r1", Title: "标题", Status: portal.StatusSubmitted, Version: 1, CreatedAt: time.Now().UTC(), Attachments: []portal.Attachment{}}
	portaltest.Must(t, s.CreateRequest(ctx, r), "create")
	claims := db.Database().Collection("claims")

	_, err := claims.InsertOne(ctx, bson.D{{Key: "_id", Value: "requests:r1:1"}, {Key: "at", Value: time.Now().UTC()}})
	portaltest.Must(t, err, "fresh claim")
	r.Status = portal.StatusDispatched
	if err := s.UpdateRequest(ctx, r, 1); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("update behind a fresh claim: %v, want conflict", err)
	}
	stored, _ := s.FindRequestByID(ctx, "r1")
	if stored.Version != 1 || stored.Status != portal.StatusSubmitted || r.Version != 1 {
		t.Fatalf("refused update changed the request: %+v (caller's version %d)", stored, r.Version)
	}

	_, err = claims.UpdateOne(ctx, bson.D{{Key: "_id", Value: "requests:r1:1"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: time.Now().UTC().Add(-time.Hour)}}}})
	portaltest.Must(t, err, "age the claim")
	portaltest.Must(t, s.UpdateRequest(ctx, r, 1), "update behind an abandoned claim")
	stored, _ = s.FindRequestByID(ctx, "r1")
	if stored.Version != 2 || stored.Status != portal.StatusDispatched {
		t.Fatalf("after take-over: v%d %s", stored.Version, stored.Status)
	}
	// The abandoned claim of version 1 stays old, but version 1 is gone:
	// a late writer with version 1 is a genuine conflict.
	if err := s.UpdateRequest(ctx, &portal.Request{ID: "r1", Status: portal.StatusClosed}, 1); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("late writer of version 1: %v, want conflict", err)
	}
}
