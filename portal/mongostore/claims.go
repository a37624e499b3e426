package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/huiqi/huiqi/portal"
)

// Claim takes key once and for all: of any number of callers racing for
// the same key exactly one succeeds; the others get ECONFLICT.
//
// A conditional update ("set X where version = 3") is atomic on MongoDB but
// not on embedded FerretDB v1, which runs it as a query followed by an
// unconditional write. An insert of a duplicate _id is refused atomically on
// both, so version-guarded updates claim "<collection>:<id>:<version>"
// first and only the winner writes.
func Claim(ctx context.Context, db *mongo.Database, key string) error {
	_, err := db.Collection("claims").InsertOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "at", Value: time.Now().UTC()}})
	if mongo.IsDuplicateKeyError(err) {
		return portal.Errorf(portal.ECONFLICT, "该记录刚被他人修改，请刷新后重试")
	}
	return translate(err, "记录")
}

// claimGrace is how long a claim may stand without its write before it
// counts as abandoned: far longer than any write takes.
const claimGrace = 30 * time.Second

// ClaimVersion claims version of the document id in coll, like Claim, and
// also recovers from a writer that died between its claim and its write:
// when the claim is older than claimGrace and the document still has that
// version, the claim is abandoned and is taken over — by exactly one of
// several callers, since the take-over is itself a claim.
func ClaimVersion(ctx context.Context, db *mongo.Database, coll, id string, version int) error {
	key := fmt.Sprintf("%s:%s:%d", coll, id, version)
	err := Claim(ctx, db, key)
	if !portal.IsCode(err, portal.ECONFLICT) {
		return err
	}
	var claim struct {
		At time.Time `bson:"at"`
	}
	if rerr := db.Collection("claims").FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&claim); rerr != nil {
		return err
	}
	if time.Since(claim.At) < claimGrace {
		return err
	}
	n, cerr := db.Collection(coll).CountDocuments(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}})
	if cerr != nil || n == 0 {
		return err // the write happened: a genuine conflict
	}
	if terr := Claim(ctx, db, key+":takeover:"+claim.At.Format(time.RFC3339Nano)); terr != nil {
		return err
	}
	return nil
}
