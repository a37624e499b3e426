// Package embedded runs, inside the huiqi process, the servers that the
// default mode stands in for production ones: FerretDB on SQLite for
// MongoDB and miniredis for Redis. Both listen on loopback only.
package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/alicebob/miniredis/v2"
)

// FerretDB is a running embedded FerretDB with its data under a directory.
type FerretDB struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
}

// StartFerretDB starts FerretDB with the SQLite backend storing its files in
// dir, listening on a free loopback port.
func StartFerretDB(dir string, log *slog.Logger) (*FerretDB, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create ferretdb dir: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("ferretdb dir: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    log,
	})
	if err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI waits for the listener, which Run starts.
	uri := f.MongoDBURI()
	return &FerretDB{uri: uri, cancel: cancel, done: done}, nil
}

// URI is the MongoDB connection string of the embedded server.
func (f *FerretDB) URI() string { return f.uri }

// Close stops the server and waits until its backend is closed.
func (f *FerretDB) Close() error {
	f.cancel()
	select {
	case <-f.done:
		return nil
	case <-time.After(15 * time.Second):
		return fmt.Errorf("ferretdb did not stop within 15s")
	}
}

// StartRedis starts miniredis on a free loopback port. Everything it holds
// is lost when the process ends, which the design allows: Redis keeps only
// work that can be derived again from MongoDB.
func StartRedis() (*miniredis.Miniredis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	return m, nil
}
