// Package portaltest provides the real backends tests run against: an
// embedded FerretDB with a fresh database per test, Redis (a configured
// server, a redis-server started on a free port, or miniredis), a temporary
// Bleve index, headless Chromium, and scenario tables that drive an
// http.Handler.
//
// Packages that use DB call Main from their TestMain so that the shared
// FerretDB is stopped and its files removed when the tests end:
//
//	func TestMain(m *testing.M) { portaltest.Main(m) }
package portaltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/integrations/embedded"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/bleve"
)

var ferret struct {
	once sync.Once
	dir  string
	srv  *embedded.FerretDB
	err  error
}

// Main runs the tests and then stops the shared embedded FerretDB.
func Main(m *testing.M) {
	code := m.Run()
	if ferret.srv != nil {
		_ = ferret.srv.Close()
	}
	if ferret.dir != "" {
		_ = os.RemoveAll(ferret.dir)
	}
	os.Exit(code)
}

// InCI reports whether tests run under CI, where a missing real dependency
// (redis-server, Chromium) is a failure rather than a skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// MongoURI returns the URI of the test process's embedded FerretDB,
// starting it on first use.
func MongoURI(tb testing.TB) string {
	tb.Helper()
	ferret.once.Do(func() {
		ferret.dir, ferret.err = os.MkdirTemp("", "huiqi-ferretdb-")
		if ferret.err != nil {
			return
		}
		quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
		ferret.srv, ferret.err = embedded.StartFerretDB(ferret.dir, quiet)
	})
	if ferret.err != nil {
		tb.Fatalf("start embedded ferretdb: %v", ferret.err)
	}
	return ferret.srv.URI()
}

// DB opens a fresh, migrated database for this test and drops it afterwards.
func DB(tb testing.TB) *mongostore.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := mongostore.Open(ctx, MongoURI(tb), "t_"+randomHex(6))
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
		_ = db.Close(ctx)
	})
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	if _, err := ferret.srv.IndexIDs(ctx, db.Database().Name()); err != nil {
		tb.Fatalf("index test database: %v", err)
	}
	return db
}

// Bleve opens an empty Bleve index in a temporary directory, with the
// schema given or, without one, the zero schema.
func Bleve(tb testing.TB, schema ...search.Schema) *bleve.Index {
	tb.Helper()
	var sc search.Schema
	if len(schema) > 0 {
		sc = schema[0]
	}
	idx, err := bleve.Open(tb.TempDir()+"/test.bleve", sc)
	if err != nil {
		tb.Fatalf("open bleve index: %v", err)
	}
	tb.Cleanup(func() { _ = idx.Close() })
	return idx
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Eventually polls cond every 20ms until it is true or timeout passes.
func Eventually(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not true within %v", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Must fails the test on err.
func Must(tb testing.TB, err error, what string, args ...any) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", fmt.Sprintf(what, args...), err)
	}
}
