// Package mongostore persists the portal's domain to MongoDB, or to FerretDB
// embedded in-process, staying inside the subset of MongoDB both support:
// no multi-document transactions, single-document conditional updates.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/huiqi/huiqi/portal"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// DB is an open connection to one database.
type DB struct {
	client *mongo.Client
	db     *mongo.Database
	now    func() time.Time
}

// Open connects to uri, selects database name and checks that it answers.
func Open(ctx context.Context, uri, name string) (*DB, error) {
	opts := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(10 * time.Second).
		SetAppName("huiqi")
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to mongodb: %w", err)
	}
	db := &DB{client: client, db: client.Database(name), now: time.Now}
	if err := db.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("connect to mongodb: %w", err)
	}
	return db, nil
}

// SetClock replaces the clock used to stamp documents (tests move time).
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Database returns the underlying database handle.
func (db *DB) Database() *mongo.Database { return db.db }

// Ping checks that the server answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.client.Ping(ctx, readpref.Primary())
}

// Drop removes the whole database; tests use it to clean up.
func (db *DB) Drop(ctx context.Context) error { return db.db.Drop(ctx) }

// Close disconnects, waiting for in-flight operations until ctx ends.
func (db *DB) Close(ctx context.Context) error { return db.client.Disconnect(ctx) }

// translate turns driver errors into domain errors.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return portal.Errorf(portal.ENOTFOUND, "%s不存在", what)
	case mongo.IsDuplicateKeyError(err):
		return portal.Errorf(portal.ECONFLICT, "%s已存在", what)
	case errors.Is(err, context.DeadlineExceeded), mongo.IsTimeout(err), mongo.IsNetworkError(err):
		return &portal.Error{Code: portal.EUNAVAILABLE, Message: "数据库暂时不可用，请稍后重试", Err: err}
	default:
		return portal.Internal(err)
	}
}
