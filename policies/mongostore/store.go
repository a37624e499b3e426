// Package mongostore persists the policy catalogue to MongoDB. Its indexes
// are created by the portal's versioned migrations.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
	portalstore "github.com/huiqi/huiqi/portal/mongostore"
)

// Store keeps policies in "policies" and their history in "policy_versions".
type Store struct{ db *mongo.Database }

var _ policies.Store = (*Store)(nil)

// New returns the store on db.
func New(db *mongo.Database) *Store { return &Store{db: db} }

func (s *Store) coll() *mongo.Collection { return s.db.Collection("policies") }

func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return portal.Errorf(portal.ENOTFOUND, "政策不存在")
	case mongo.IsDuplicateKeyError(err):
		return portal.Errorf(portal.ECONFLICT, "政策已被他人修改，请刷新后重试")
	default:
		return portal.Internal(err)
	}
}

// CreatePolicy inserts a new policy.
func (s *Store) CreatePolicy(ctx context.Context, p *policies.Policy) error {
	_, err := s.coll().InsertOne(ctx, p)
	return translate(err)
}

// FindPolicyByID returns the policy with id.
func (s *Store) FindPolicyByID(ctx context.Context, id string) (*policies.Policy, error) {
	var p policies.Policy
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p); err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// FindPolicies returns one page of policies, newest first, and the total.
func (s *Store) FindPolicies(ctx context.Context, f policies.Filter) ([]*policies.Policy, int, error) {
	q := bson.D{}
	if f.IDs != nil {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: f.IDs}}})
	}
	if f.Status != nil {
		q = append(q, bson.E{Key: "status", Value: *f.Status})
	}
	if f.Category != nil {
		q = append(q, bson.E{Key: "category", Value: *f.Category})
	}
	total, err := s.coll().CountDocuments(ctx, q)
	if err != nil {
		return nil, 0, translate(err)
	}
	opts := options.Find().SetSort(bson.D{{Key: "updated_at", Value: -1}, {Key: "_id", Value: 1}})
	if f.Offset > 0 {
		opts.SetSkip(int64(f.Offset))
	}
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	cur, err := s.coll().Find(ctx, q, opts)
	if err != nil {
		return nil, 0, translate(err)
	}
	out := []*policies.Policy{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, 0, translate(err)
	}
	return out, int(total), nil
}

// ReplacePolicy writes p only over the version before it: each version can
// be claimed once, so of two editors saving at once exactly one wins.
func (s *Store) ReplacePolicy(ctx context.Context, p *policies.Policy) error {
	if err := portalstore.Claim(ctx, s.db, fmt.Sprintf("policies:%s:%d", p.ID, p.Version)); err != nil {
		if portal.ErrorCode(err) == portal.ECONFLICT {
			if _, ferr := s.FindPolicyByID(ctx, p.ID); ferr != nil {
				return ferr
			}
			return portal.Errorf(portal.ECONFLICT, "政策已被他人修改，请刷新后重试")
		}
		return err
	}
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: p.ID}, {Key: "version", Value: p.Version - 1}}, p)
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.FindPolicyByID(ctx, p.ID); err != nil {
			return err
		}
		return portal.Errorf(portal.ECONFLICT, "政策已被他人修改，请刷新后重试")
	}
	return nil
}

// AppendVersion records a history entry; each version number once.
func (s *Store) AppendVersion(ctx context.Context, v *policies.Version) error {
	if v.ID == "" {
		v.ID = portal.NewID()
	}
	_, err := s.db.Collection("policy_versions").InsertOne(ctx, v)
	return translate(err)
}

// FindVersions returns a policy's history, oldest first.
func (s *Store) FindVersions(ctx context.Context, policyID string) ([]*policies.Version, error) {
	cur, err := s.db.Collection("policy_versions").Find(ctx, bson.D{{Key: "policy_id", Value: policyID}},
		options.Find().SetSort(bson.D{{Key: "version", Value: 1}}))
	if err != nil {
		return nil, translate(err)
	}
	out := []*policies.Version{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// PublishedEndingBefore returns published policies whose application period ended before t.
func (s *Store) PublishedEndingBefore(ctx context.Context, t time.Time) ([]*policies.Policy, error) {
	cur, err := s.coll().Find(ctx, bson.D{{Key: "status", Value: policies.StatusPublished},
		{Key: "apply_end", Value: bson.D{{Key: "$lte", Value: t.UTC()}}}})
	if err != nil {
		return nil, translate(err)
	}
	out := []*policies.Policy{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// UpdatedSince returns the id → version of policies changed at or after t.
func (s *Store) UpdatedSince(ctx context.Context, t time.Time) (map[string]int, error) {
	cur, err := s.coll().Find(ctx, bson.D{{Key: "updated_at", Value: bson.D{{Key: "$gte", Value: t.UTC()}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "version", Value: 1}}))
	if err != nil {
		return nil, translate(err)
	}
	var rows []struct {
		ID      string `bson:"_id"`
		Version int    `bson:"version"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, translate(err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Version
	}
	return out, nil
}
