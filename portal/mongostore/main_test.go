package mongostore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestMain(m *testing.M) { portaltest.Main(m) }

var discard = slog.New(slog.DiscardHandler)

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openBlank opens a fresh database on the shared FerretDB without migrating it.
func openBlank(t *testing.T) *mongostore.DB {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	ctx := ctxT(t)
	db, err := mongostore.Open(ctx, portaltest.MongoURI(t), "t_blank_"+hex.EncodeToString(b))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
		_ = db.Close(ctx)
	})
	return db
}
