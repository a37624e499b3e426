package mongostore

import (
	"context"

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
	_, err := db.Collection("claims").InsertOne(ctx, bson.D{{Key: "_id", Value: key}})
	if mongo.IsDuplicateKeyError(err) {
		return portal.Errorf(portal.ECONFLICT, "该记录刚被他人修改，请刷新后重试")
	}
	return translate(err, "记录")
}
