package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// SLAPlanStore keeps the versions of the SLA plan matrix in sla_plans, one
// document per version with the version as _id. Versions are only ever
// added, so the one a request records can always be read again.
type SLAPlanStore struct{ db *DB }

var _ portal.SLAPlanStore = (*SLAPlanStore)(nil)

// NewSLAPlanStore returns the SLA plan store of db.
func NewSLAPlanStore(db *DB) *SLAPlanStore { return &SLAPlanStore{db: db} }

func (s *SLAPlanStore) coll() *mongo.Collection { return s.db.db.Collection("sla_plans") }

var newestFirst = bson.D{{Key: "_id", Value: -1}}

// CurrentSLAPlans returns the newest version; ENOTFOUND when none is stored.
func (s *SLAPlanStore) CurrentSLAPlans(ctx context.Context) (*portal.SLAPlans, error) {
	var m portal.SLAPlans
	err := s.coll().FindOne(ctx, bson.D{}, options.FindOne().SetSort(newestFirst)).Decode(&m)
	if err != nil {
		return nil, translate(err, "时限方案")
	}
	return &m, nil
}

// SLAPlansVersion returns version v; ENOTFOUND when it is not stored.
func (s *SLAPlanStore) SLAPlansVersion(ctx context.Context, v int) (*portal.SLAPlans, error) {
	var m portal.SLAPlans
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: v}}).Decode(&m); err != nil {
		return nil, translate(err, "时限方案")
	}
	return &m, nil
}

// SaveSLAPlans stores m as version m.Version over version m.Version-1.
// The newest version is read first, so that a save based on an old or a
// made-up version claims nothing; then the new version is claimed, so
// that of two saves based on the same version exactly one writes.
func (s *SLAPlanStore) SaveSLAPlans(ctx context.Context, m *portal.SLAPlans) error {
	stale := func(cur int) error {
		return portal.Errorf(portal.ECONFLICT, "时限方案已被他人修改（现为第 %d 版），请刷新后重试", cur)
	}
	if m.Version < 1 {
		return portal.Internal(fmt.Errorf("save sla plans: version %d", m.Version))
	}
	var cur struct {
		Version int `bson:"_id"`
	}
	err := s.coll().FindOne(ctx, bson.D{}, options.FindOne().SetSort(newestFirst).
		SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&cur)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		cur.Version = 0
	case err != nil:
		return translate(err, "时限方案")
	}
	if cur.Version != m.Version-1 {
		return stale(cur.Version)
	}
	if err := Claim(ctx, s.db.db, fmt.Sprintf("sla_plans:%d", m.Version)); err != nil {
		if portal.ErrorCode(err) == portal.ECONFLICT {
			return stale(m.Version)
		}
		return err
	}
	_, err = s.coll().InsertOne(ctx, m)
	if mongo.IsDuplicateKeyError(err) {
		return stale(m.Version)
	}
	return translate(err, "时限方案")
}

// FindSLAPlanVersions returns one page of the versions, newest first, and
// how many there are.
func (s *SLAPlanStore) FindSLAPlanVersions(ctx context.Context, offset, limit int) ([]*portal.SLAPlans, int, error) {
	total, err := s.coll().CountDocuments(ctx, bson.D{})
	if err != nil {
		return nil, 0, translate(err, "时限方案")
	}
	opts := options.Find().SetSort(newestFirst)
	if offset > 0 {
		opts.SetSkip(int64(offset))
	}
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := s.coll().Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, 0, translate(err, "时限方案")
	}
	out := []*portal.SLAPlans{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, 0, translate(err, "时限方案")
	}
	return out, int(total), nil
}
