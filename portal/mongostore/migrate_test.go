package mongostore_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/huiqi/huiqi/portal/mongostore"
)

// recorded returns the versions in the migrations collection, ascending.
func recorded(t *testing.T, db *mongostore.DB) []int {
	t.Helper()
	cur, err := db.Database().Collection("migrations").Find(ctxT(t), bson.D{})
	if err != nil {
		t.Fatalf("read migrations: %v", err)
	}
	var rows []struct {
		Version int    `bson:"_id"`
		Name    string `bson:"name"`
	}
	if err := cur.All(ctxT(t), &rows); err != nil {
		t.Fatalf("read migrations: %v", err)
	}
	var out []int
	for _, r := range rows {
		if r.Name == "" {
			t.Errorf("migration %d recorded without a name", r.Version)
		}
		out = append(out, r.Version)
	}
	slices.Sort(out)
	return out
}

func schemaVersion(t *testing.T, db *mongostore.DB) int {
	t.Helper()
	v, err := db.SchemaVersion(ctxT(t))
	if err != nil {
		t.Fatalf("SchemaVersion: %v", err)
	}
	return v
}

// counting returns a step that counts its runs and returns err.
func counting(v int, runs map[int]int, mu *sync.Mutex, err error) mongostore.Migration {
	return mongostore.Migration{Version: v, Name: "step", Up: func(ctx context.Context, db *mongo.Database) error {
		mu.Lock()
		runs[v]++
		mu.Unlock()
		return err
	}}
}

func TestMigrate(t *testing.T) {
	builtin := mongostore.BuiltinMigrations()
	var all []int
	for _, m := range builtin {
		all = append(all, m.Version)
	}
	latest := all[len(all)-1]

	t.Run("OK", func(t *testing.T) {
		db := openBlank(t)
		if v := schemaVersion(t, db); v != 0 {
			t.Fatalf("SchemaVersion of a blank database = %d, want 0", v)
		}
		ran, err := db.Migrate(ctxT(t), discard)
		if err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if !slices.Equal(ran, all) {
			t.Errorf("first Migrate applied %v, want %v", ran, all)
		}
		if v := schemaVersion(t, db); v != latest {
			t.Errorf("SchemaVersion = %d, want %d", v, latest)
		}
		if got := recorded(t, db); !slices.Equal(got, all) {
			t.Errorf("recorded %v, want %v", got, all)
		}
	})

	t.Run("Idempotent", func(t *testing.T) {
		db := openBlank(t)
		if _, err := db.Migrate(ctxT(t), discard); err != nil {
			t.Fatalf("first Migrate: %v", err)
		}
		ran, err := db.Migrate(ctxT(t), discard)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(ran) != 0 {
			t.Errorf("second Migrate applied %v, want none", ran)
		}
		if v := schemaVersion(t, db); v != latest {
			t.Errorf("SchemaVersion = %d, want %d", v, latest)
		}
		if got := recorded(t, db); !slices.Equal(got, all) {
			t.Errorf("recorded %v, want each version once: %v", got, all)
		}
	})

	t.Run("OrgUnitIndexes", func(t *testing.T) {
		db := openBlank(t)
		if _, err := db.Migrate(ctxT(t), discard); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		specs, err := db.Database().Collection("org_units").Indexes().ListSpecifications(ctxT(t))
		if err != nil {
			t.Fatalf("list indexes: %v", err)
		}
		var keys []string
		for _, s := range specs {
			var d bson.D
			if err := bson.Unmarshal(s.KeysDocument, &d); err != nil {
				t.Fatalf("decode keys of %s: %v", s.Name, err)
			}
			var parts []string
			for _, e := range d {
				parts = append(parts, e.Key)
			}
			keys = append(keys, strings.Join(parts, ","))
		}
		for _, want := range []string{"_id", "parent_id", "kind,tier"} {
			if !slices.Contains(keys, want) {
				t.Errorf("org_units has indexes on %v, missing %q", keys, want)
			}
		}
	})

	t.Run("OnlyNewSteps", func(t *testing.T) {
		db := openBlank(t)
		var mu sync.Mutex
		runs := map[int]int{}
		if _, err := db.MigrateSteps(ctxT(t), discard, []mongostore.Migration{counting(1, runs, &mu, nil)}); err != nil {
			t.Fatalf("MigrateSteps: %v", err)
		}
		ran, err := db.MigrateSteps(ctxT(t), discard, []mongostore.Migration{
			counting(1, runs, &mu, nil), counting(2, runs, &mu, nil), counting(5, runs, &mu, nil),
		})
		if err != nil {
			t.Fatalf("MigrateSteps: %v", err)
		}
		if !slices.Equal(ran, []int{2, 5}) {
			t.Errorf("applied %v, want [2 5]", ran)
		}
		if runs[1] != 1 || runs[2] != 1 || runs[5] != 1 {
			t.Errorf("runs = %v, want each step once", runs)
		}
		if v := schemaVersion(t, db); v != 5 {
			t.Errorf("SchemaVersion = %d, want 5", v)
		}
	})

	t.Run("ErrFailingStep", func(t *testing.T) {
		db := openBlank(t)
		var mu sync.Mutex
		runs := map[int]int{}
		broken := errors.New("index build failed")
		ran, err := db.MigrateSteps(ctxT(t), discard, []mongostore.Migration{
			counting(1, runs, &mu, nil), counting(2, runs, &mu, broken), counting(3, runs, &mu, nil),
		})
		if !errors.Is(err, broken) {
			t.Fatalf("MigrateSteps error = %v, want it to wrap %v", err, broken)
		}
		if !slices.Equal(ran, []int{1}) {
			t.Errorf("applied %v, want [1]", ran)
		}
		if runs[3] != 0 {
			t.Errorf("step 3 ran %d times after step 2 failed", runs[3])
		}
		if got := recorded(t, db); !slices.Equal(got, []int{1}) {
			t.Errorf("recorded %v, want [1]: a failed step must not be recorded", got)
		}
		if v := schemaVersion(t, db); v != 1 {
			t.Errorf("SchemaVersion = %d, want 1", v)
		}

		// Once fixed, the failed step and the ones after it run.
		ran, err = db.MigrateSteps(ctxT(t), discard, []mongostore.Migration{
			counting(1, runs, &mu, nil), counting(2, runs, &mu, nil), counting(3, runs, &mu, nil),
		})
		if err != nil {
			t.Fatalf("MigrateSteps after fix: %v", err)
		}
		if !slices.Equal(ran, []int{2, 3}) {
			t.Errorf("applied %v after fix, want [2 3]", ran)
		}
		if runs[1] != 1 {
			t.Errorf("step 1 ran %d times, want 1", runs[1])
		}
	})

	for _, tc := range []struct {
		name     string
		versions []int
	}{
		{"ErrOutOfOrder", []int{1, 3, 2}},
		{"ErrDuplicateVersion", []int{1, 2, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openBlank(t)
			var mu sync.Mutex
			runs := map[int]int{}
			var steps []mongostore.Migration
			for _, v := range tc.versions {
				steps = append(steps, counting(v, runs, &mu, nil))
			}
			_, err := db.MigrateSteps(ctxT(t), discard, steps)
			if err == nil || !strings.Contains(err.Error(), "out of order") {
				t.Fatalf("MigrateSteps(%v) error = %v, want out of order", tc.versions, err)
			}
		})
	}

	// A misordered list is a programming error found at start; refusing it
	// only after applying some of its steps leaves a later version recorded
	// before an earlier one has run (SchemaVersion then reports 3 while 2
	// never ran). The list should be checked before anything is applied.
	t.Run("OutOfOrderAppliesNothing", func(t *testing.T) {
		db := openBlank(t)
		var mu sync.Mutex
		runs := map[int]int{}
		ran, err := db.MigrateSteps(ctxT(t), discard, []mongostore.Migration{
			counting(1, runs, &mu, nil), counting(3, runs, &mu, nil), counting(2, runs, &mu, nil),
		})
		if err == nil {
			t.Fatal("MigrateSteps accepted versions 1, 3, 2")
		}
		if len(ran) != 0 || len(runs) != 0 {
			t.Errorf("out-of-order list was refused only after applying %v (runs %v)", ran, runs)
		}
		if got := recorded(t, db); len(got) != 0 {
			t.Errorf("recorded %v, want nothing", got)
		}
		if v := schemaVersion(t, db); v != 0 {
			t.Errorf("SchemaVersion = %d, want 0", v)
		}
	})

	t.Run("OKStepRecordedByAnotherProcess", func(t *testing.T) {
		// Another process may record a step between our read of the
		// migrations collection and our insert; that is not an error.
		db := openBlank(t)
		var mu sync.Mutex
		runs := map[int]int{}
		raced := mongostore.Migration{Version: 2, Name: "raced", Up: func(ctx context.Context, mdb *mongo.Database) error {
			_, err := mdb.Collection("migrations").InsertOne(ctx, bson.D{{Key: "_id", Value: 2}, {Key: "name", Value: "raced"}})
			return err
		}}
		ran, err := db.MigrateSteps(ctxT(t), discard, []mongostore.Migration{counting(1, runs, &mu, nil), raced, counting(3, runs, &mu, nil)})
		if err != nil {
			t.Fatalf("MigrateSteps: %v", err)
		}
		if !slices.Equal(ran, []int{1, 2, 3}) {
			t.Errorf("applied %v, want [1 2 3]", ran)
		}
		if got := recorded(t, db); !slices.Equal(got, []int{1, 2, 3}) {
			t.Errorf("recorded %v, want [1 2 3]", got)
		}
	})
}
