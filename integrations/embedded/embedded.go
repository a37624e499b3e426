// Package embedded runs, inside the huiqi process, the servers that the
// default mode stands in for production ones: FerretDB on SQLite for
// MongoDB and miniredis for Redis. Both listen on loopback only.
package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/alicebob/miniredis/v2"
	_ "modernc.org/sqlite" // the driver FerretDB's SQLite backend uses, to add the _id index below
)

// FerretDB is a running embedded FerretDB with its data under a directory.
type FerretDB struct {
	dir    string
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
	return &FerretDB{dir: abs, uri: uri, cancel: cancel, done: done}, nil
}

// IndexIDs gives every collection of database dbName an SQLite index that
// FerretDB's lookups by _id can use.
//
// FerretDB v1.24 pushes a filter {_id: <string>} down to SQLite as
// `_ferretdb_sjson->'$._id' = ?`, but builds its _id index on the
// expression `_ferretdb_sjson->"_id"`; SQLite uses an expression index only
// for the very same expression, so every lookup by _id scanned the table
// (checked with EXPLAIN QUERY PLAN). An index on the pushed-down expression
// turns each into an index seek. Collections created later get theirs the
// next time this runs (at every start, after the migrations).
func (f *FerretDB) IndexIDs(ctx context.Context, dbName string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(f.dir, dbName+".sqlite")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, fmt.Errorf("open ferretdb database %s: %w", dbName, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM "_ferretdb_collections"`)
	if err != nil {
		return 0, fmt.Errorf("list ferretdb tables of %s: %w", dbName, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_huiqi_id", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("index _id of %s: %w", strings.TrimSpace(t), err)
		}
	}
	return len(tables), nil
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
