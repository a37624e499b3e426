package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// RoutingRuleStore persists routing rules in routing_rules.
type RoutingRuleStore struct{ db *DB }

var _ portal.RoutingRuleStore = (*RoutingRuleStore)(nil)

// NewRoutingRuleStore returns the routing rule store of db.
func NewRoutingRuleStore(db *DB) *RoutingRuleStore { return &RoutingRuleStore{db: db} }

func (s *RoutingRuleStore) coll() *mongo.Collection { return s.db.db.Collection("routing_rules") }

// CreateRoutingRule stores a new rule; ECONFLICT when its id is taken.
func (s *RoutingRuleStore) CreateRoutingRule(ctx context.Context, r *portal.RoutingRule) error {
	_, err := s.coll().InsertOne(ctx, r)
	return translate(err, "分拨规则")
}

// FindRoutingRuleByID returns the rule with id.
func (s *RoutingRuleStore) FindRoutingRuleByID(ctx context.Context, id string) (*portal.RoutingRule, error) {
	var r portal.RoutingRule
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, translate(err, "分拨规则")
	}
	return &r, nil
}

// FindRoutingRules returns the matching rules by priority, then name.
func (s *RoutingRuleStore) FindRoutingRules(ctx context.Context, f portal.RoutingRuleFilter) ([]*portal.RoutingRule, error) {
	q := bson.D{}
	if f.Category != "" {
		q = append(q, bson.E{Key: "category", Value: bson.D{{Key: "$in", Value: bson.A{f.Category, ""}}}})
	}
	if f.EnabledOnly {
		q = append(q, bson.E{Key: "enabled", Value: true})
	}
	cur, err := s.coll().Find(ctx, q, options.Find().SetSort(bson.D{{Key: "priority", Value: 1}, {Key: "name", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, translate(err, "分拨规则")
	}
	out := []*portal.RoutingRule{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "分拨规则")
	}
	return out, nil
}

// errRuleChanged answers a writer that lost the race for a version.
var errRuleChanged = portal.Errorf(portal.ECONFLICT, "分拨规则刚被他人修改，请刷新后重试")

// UpdateRoutingRule replaces the stored rule with r if it is still at
// version, and bumps r.Version. The claim on
// "routing_rules:<id>:<version>" makes exactly one racing writer win,
// also on FerretDB, where the conditional replace alone is not atomic.
func (s *RoutingRuleStore) UpdateRoutingRule(ctx context.Context, r *portal.RoutingRule, version int) error {
	if err := Claim(ctx, s.db.db, fmt.Sprintf("routing_rules:%s:%d", r.ID, version)); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return errRuleChanged
		}
		return err
	}
	r.Version = version + 1
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}, {Key: "version", Value: version}}, r)
	if err != nil {
		r.Version = version
		return translate(err, "分拨规则")
	}
	if res.MatchedCount == 0 {
		r.Version = version
		return errRuleChanged
	}
	return nil
}

// DeleteRoutingRule removes the rule if it is still at version; it claims
// the same key as UpdateRoutingRule, so a delete and a change racing for
// one version cannot both happen.
func (s *RoutingRuleStore) DeleteRoutingRule(ctx context.Context, id string, version int) error {
	if err := Claim(ctx, s.db.db, fmt.Sprintf("routing_rules:%s:%d", id, version)); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return errRuleChanged
		}
		return err
	}
	res, err := s.coll().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}})
	if err != nil {
		return translate(err, "分拨规则")
	}
	if res.DeletedCount == 0 {
		return errRuleChanged
	}
	return nil
}

// routingRuleIndexes serve Suggest, which reads the enabled rules of one
// category (and those for any) by priority.
func routingRuleIndexes(ctx context.Context, db *mongo.Database) error {
	return ensureIndexes(ctx, db.Collection("routing_rules"),
		mongo.IndexModel{Keys: bson.D{{Key: "category", Value: 1}, {Key: "enabled", Value: 1}, {Key: "priority", Value: 1}}},
	)
}
