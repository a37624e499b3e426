package mongostore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestOpen(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := portaltest.DB(t)
		if err := db.Ping(ctxT(t)); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if db.Database() == nil || !strings.HasPrefix(db.Database().Name(), "t_") {
			t.Errorf("Database() = %v", db.Database())
		}
	})
	t.Run("ErrBadURI", func(t *testing.T) {
		if db, err := mongostore.Open(ctxT(t), "postgres://localhost", "x"); err == nil {
			_ = db.Close(context.Background())
			t.Fatal("Open with a non-mongodb URI succeeded")
		}
	})
	t.Run("ErrNoServer", func(t *testing.T) {
		// Nothing listens on a port that was just free; the context ends the wait.
		uri := fmt.Sprintf("mongodb://127.0.0.1:%d/", portaltest.FreePort(t))
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		db, err := mongostore.Open(ctx, uri, "x")
		if err == nil {
			_ = db.Close(context.Background())
			t.Fatal("Open without a server succeeded")
		}
	})
	t.Run("ErrPingAfterClose", func(t *testing.T) {
		db := openBlank(t)
		if err := db.Close(ctxT(t)); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := db.Ping(ctxT(t)); err == nil {
			t.Fatal("Ping after Close succeeded")
		}
	})
}

func TestTranslate(t *testing.T) {
	t.Run("ECONFLICTOnDuplicateKey", func(t *testing.T) {
		ctx := ctxT(t)
		c := portaltest.DB(t).Database().Collection("dupes")
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys: bson.D{{Key: "uscc", Value: 1}}, Options: options.Index().SetUnique(true),
		}); err != nil {
			t.Fatalf("create unique index: %v", err)
		}
		if _, err := c.InsertOne(ctx, bson.D{{Key: "uscc", Value: "91440300MA5F000000"}}); err != nil {
			t.Fatalf("first insert: %v", err)
		}
		_, dup := c.InsertOne(ctx, bson.D{{Key: "uscc", Value: "91440300MA5F000000"}})
		if dup == nil {
			t.Fatal("second insert with the same unique key succeeded")
		}
		err := mongostore.Translate(dup, "企业")
		if code := portal.ErrorCode(err); code != portal.ECONFLICT {
			t.Fatalf("translate(%v) code = %q, want %q", dup, code, portal.ECONFLICT)
		}
		if msg := portal.ErrorMessage(err); msg != "企业已存在" {
			t.Errorf("message = %q, want 企业已存在", msg)
		}
	})
	t.Run("ECONFLICTOnDuplicateID", func(t *testing.T) {
		ctx := ctxT(t)
		c := portaltest.DB(t).Database().Collection("dupes")
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}}); err != nil {
			t.Fatalf("first insert: %v", err)
		}
		_, dup := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}})
		if code := portal.ErrorCode(mongostore.Translate(dup, "单位")); code != portal.ECONFLICT {
			t.Fatalf("translate(%v) code = %q, want %q", dup, code, portal.ECONFLICT)
		}
	})
	t.Run("ENOTFOUNDOnNoDocuments", func(t *testing.T) {
		var out bson.M
		raw := portaltest.DB(t).Database().Collection("org_units").
			FindOne(ctxT(t), bson.D{{Key: "_id", Value: "missing"}}).Decode(&out)
		err := mongostore.Translate(raw, "单位")
		if code := portal.ErrorCode(err); code != portal.ENOTFOUND {
			t.Fatalf("translate(%v) code = %q, want %q", raw, code, portal.ENOTFOUND)
		}
		if msg := portal.ErrorMessage(err); msg != "单位不存在" {
			t.Errorf("message = %q, want 单位不存在", msg)
		}
	})

	boom := errors.New("socket: secret detail")
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"Nil", nil, ""},
		{"ENOTFOUNDWrapped", fmt.Errorf("find: %w", mongo.ErrNoDocuments), portal.ENOTFOUND},
		{"EUNAVAILABLEOnDeadline", fmt.Errorf("find: %w", context.DeadlineExceeded), portal.EUNAVAILABLE},
		{"EINTERNALOtherwise", boom, portal.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mongostore.Translate(tc.err, "单位")
			if code := portal.ErrorCode(err); code != tc.code {
				t.Fatalf("translate(%v) code = %q, want %q", tc.err, code, tc.code)
			}
			if tc.err == nil {
				if err != nil {
					t.Fatalf("translate(nil) = %v", err)
				}
				return
			}
			if strings.Contains(portal.ErrorMessage(err), "secret") {
				t.Errorf("message %q leaks the driver error", portal.ErrorMessage(err))
			}
			if tc.code == portal.EINTERNAL || tc.code == portal.EUNAVAILABLE {
				if !errors.Is(err, tc.err) {
					t.Errorf("translate(%v) lost the cause: %v", tc.err, err)
				}
			}
		})
	}
}
