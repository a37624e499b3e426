package mongostore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Migration is one versioned, idempotent step that creates collections and
// indexes. Up may run more than once (two processes starting together), so
// it must only do things that are safe to repeat.
type Migration struct {
	Version int
	Name    string
	Up      func(ctx context.Context, db *mongo.Database) error
}

// migrations is the ordered list every start applies; later work appends.
var migrations = []Migration{
	{Version: 1, Name: "org_units", Up: func(ctx context.Context, db *mongo.Database) error {
		return ensureIndexes(ctx, db.Collection("org_units"),
			mongo.IndexModel{Keys: bson.D{{Key: "parent_id", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "kind", Value: 1}, {Key: "tier", Value: 1}}},
		)
	}},
	{Version: 2, Name: "identity", Up: func(ctx context.Context, db *mongo.Database) error {
		if err := ensureIndexes(ctx, db.Collection("users"),
			mongo.IndexModel{Keys: bson.D{{Key: "username", Value: 1}}, Options: options.Index().SetUnique(true)},
			mongo.IndexModel{Keys: bson.D{{Key: "enterprise_id", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "roles", Value: 1}, {Key: "status", Value: 1}}},
		); err != nil {
			return err
		}
		if err := ensureIndexes(ctx, db.Collection("sessions"),
			mongo.IndexModel{Keys: bson.D{{Key: "user_id", Value: 1}}},
		); err != nil {
			return err
		}
		return ensureIndexes(ctx, db.Collection("audit"),
			mongo.IndexModel{Keys: bson.D{{Key: "at", Value: -1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "actor_id", Value: 1}, {Key: "at", Value: -1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "object_type", Value: 1}, {Key: "object_id", Value: 1}, {Key: "at", Value: -1}}},
		)
	}},
	{Version: 3, Name: "enterprises", Up: func(ctx context.Context, db *mongo.Database) error {
		return ensureIndexes(ctx, db.Collection("enterprises"),
			mongo.IndexModel{Keys: bson.D{{Key: "uscc", Value: 1}}, Options: options.Index().SetUnique(true)},
			mongo.IndexModel{Keys: bson.D{{Key: "liaison_id", Value: 1}, {Key: "name", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "chain_ids", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "subdistrict_id", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "park_id", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "name", Value: 1}}},
		)
	}},
	{Version: 4, Name: "policies", Up: func(ctx context.Context, db *mongo.Database) error {
		if err := ensureIndexes(ctx, db.Collection("policies"),
			mongo.IndexModel{Keys: bson.D{{Key: "status", Value: 1}, {Key: "apply_end", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "updated_at", Value: 1}}},
			mongo.IndexModel{Keys: bson.D{{Key: "category", Value: 1}, {Key: "status", Value: 1}}},
		); err != nil {
			return err
		}
		return ensureIndexes(ctx, db.Collection("policy_versions"),
			mongo.IndexModel{Keys: bson.D{{Key: "policy_id", Value: 1}, {Key: "version", Value: 1}}, Options: options.Index().SetUnique(true)})
	}},
	{Version: 5, Name: "notifications", Up: notificationIndexes},
	{Version: 6, Name: "requests", Up: requestIndexes},
	{Version: 7, Name: "request_categories", Up: seedCategories},
	{Version: 8, Name: "routing_rules", Up: routingRuleIndexes},
	{Version: 9, Name: "keyed_collections", Up: createKeyedCollections},
	{Version: 10, Name: "surveys", Up: surveyIndexes},
	{Version: 11, Name: "kpi_counters", Up: kpiIndexes},
	{Version: 12, Name: "spot_checks", Up: spotCheckIndexes},
	{Version: 13, Name: "meetings", Up: meetingIndexes},
	{Version: 14, Name: "action_items", Up: actionItemIndexes},
}

// createKeyedCollections creates up front the collections that are only
// ever written and read by _id and would otherwise appear on first write,
// so that the embedded backend's _id indexes (added at start, after the
// migrations) cover them from the first start on.
func createKeyedCollections(ctx context.Context, db *mongo.Database) error {
	existing, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return err
	}
	for _, name := range []string{"claims", "counters", "rung_slots", "calendar_years", "sla_plans", "request_categories"} {
		if slices.Contains(existing, name) {
			continue
		}
		if err := db.CreateCollection(ctx, name); err != nil && !isNamespaceExists(err) {
			return err
		}
	}
	return nil
}

// isNamespaceExists reports the error of creating a collection that a
// concurrent start has just created.
func isNamespaceExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && ce.Code == 48
}

// migrationRecord is what the migrations collection keeps per applied step.
type migrationRecord struct {
	Version   int       `bson:"_id"`
	Name      string    `bson:"name"`
	AppliedAt time.Time `bson:"applied_at"`
}

// Migrate applies every migration not yet recorded, in version order, and
// returns the versions it applied.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) ([]int, error) {
	return db.migrate(ctx, log, migrations)
}

func (db *DB) migrate(ctx context.Context, log *slog.Logger, steps []Migration) ([]int, error) {
	for i := 1; i < len(steps); i++ {
		if steps[i].Version <= steps[i-1].Version {
			return nil, fmt.Errorf("migration %d %q is out of order after %d", steps[i].Version, steps[i].Name, steps[i-1].Version)
		}
	}
	coll := db.db.Collection("migrations")
	cur, err := coll.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var done []migrationRecord
	if err := cur.All(ctx, &done); err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	applied := make(map[int]bool, len(done))
	for _, r := range done {
		applied[r.Version] = true
	}
	var ran []int
	for _, m := range steps {
		if applied[m.Version] {
			continue
		}
		if err := m.Up(ctx, db.db); err != nil {
			return ran, fmt.Errorf("migration %d %s: %w", m.Version, m.Name, err)
		}
		_, err := coll.InsertOne(ctx, migrationRecord{Version: m.Version, Name: m.Name, AppliedAt: db.now().UTC()})
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return ran, fmt.Errorf("record migration %d: %w", m.Version, err)
		}
		log.Info("migration applied", "version", m.Version, "name", m.Name)
		ran = append(ran, m.Version)
	}
	return ran, nil
}

// SchemaVersion returns the highest applied migration version, 0 if none.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var r migrationRecord
	err := db.db.Collection("migrations").FindOne(ctx, bson.D{},
		options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&r)
	if err == mongo.ErrNoDocuments {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return r.Version, nil
}

func ensureIndexes(ctx context.Context, c *mongo.Collection, models ...mongo.IndexModel) error {
	if _, err := c.Indexes().CreateMany(ctx, models); err != nil {
		return fmt.Errorf("create indexes on %s: %w", c.Name(), err)
	}
	return nil
}
