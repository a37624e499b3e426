package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// TestIndexIDs: after IndexIDs, SQLite answers FerretDB's pushed-down
// lookup by _id from an index instead of scanning the table, and FerretDB
// still reads, writes and refuses duplicate ids as before.
func TestIndexIDs(t *testing.T) {
	dir := t.TempDir()
	f, err := StartFerretDB(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI(f.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	coll := client.Database("idx").Collection("things")
	docs := make([]any, 3000)
	for i := range docs {
		docs[i] = bson.D{{Key: "_id", Value: fmt.Sprintf("t-%05d", i)}, {Key: "n", Value: i}}
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	plan := func() string {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "idx.sqlite"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var table string
		if err := db.QueryRow(`SELECT table_name FROM "_ferretdb_collections" WHERE name = 'things'`).Scan(&table); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"t-00042"`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			out = append(out, detail)
		}
		return strings.Join(out, "; ")
	}
	if p := plan(); !strings.Contains(p, "SCAN") {
		t.Fatalf("before: plan %q, want the table scan this fixes", p)
	}
	n, err := f.IndexIDs(ctx, "idx")
	if err != nil || n != 1 {
		t.Fatalf("IndexIDs: %d tables, %v", n, err)
	}
	if p := plan(); !strings.Contains(p, "USING INDEX") || strings.Contains(p, "SCAN") {
		t.Fatalf("after: plan %q, want an index search", p)
	}
	if _, err := f.IndexIDs(ctx, "idx"); err != nil {
		t.Fatalf("second run: %v", err)
	}
	var got struct {
		N int `bson:"n"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "t-02999"}}).Decode(&got); err != nil || got.N != 2999 {
		t.Fatalf("find by _id after indexing: %+v %v", got, err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "t-00001"}}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("duplicate _id: %v, want refused", err)
	}
	if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "t-00007"}}, bson.D{{Key: "n", Value: -7}}); err != nil {
		t.Fatal(err)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "t-00007"}}).Decode(&got); err != nil || got.N != -7 {
		t.Fatalf("replace then find: %+v %v", got, err)
	}
}
