package mongostore

import (
	"context"
	"github.com/huiqi/huiqi/portal"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// OrgStore persists org units in the org_units collection.
type OrgStore struct{ db *DB }

var _ portal.OrgStore = (*OrgStore)(nil)

// NewOrgStore returns the org store of db.
func NewOrgStore(db *DB) *OrgStore { return &OrgStore{db: db} }

// UpsertOrgUnit creates the unit or replaces the one with the same id.
func (s *OrgStore) UpsertOrgUnit(ctx context.Context, u *portal.OrgUnit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	created := u.CreatedAt
	if created.IsZero() {
		created = s.db.now().UTC()
	}
	set := bson.D{{Key: "name", Value: u.Name}, {Key: "kind", Value: u.Kind}, {Key: "tier", Value: u.Tier},
		{Key: "parent_id", Value: u.ParentID}, {Key: "head", Value: u.Head}}
	// created_at is written only when the unit is new, so a replace keeps it.
	res, err := s.db.db.Collection("org_units").UpdateOne(ctx, bson.D{{Key: "_id", Value: u.ID}},
		bson.D{{Key: "$set", Value: set}, {Key: "$setOnInsert", Value: bson.D{{Key: "created_at", Value: created}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return translate(err, "单位")
	}
	if res.UpsertedCount > 0 {
		u.CreatedAt = created
	}
	return nil
}

// FindOrgUnits returns the matching units ordered by tier and name.
func (s *OrgStore) FindOrgUnits(ctx context.Context, f portal.OrgUnitFilter) ([]*portal.OrgUnit, error) {
	q := bson.D{}
	if f.IDs != nil {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: f.IDs}}})
	}
	if f.Kind != nil {
		q = append(q, bson.E{Key: "kind", Value: *f.Kind})
	}
	if f.Tier != nil {
		q = append(q, bson.E{Key: "tier", Value: *f.Tier})
	}
	if f.ParentID != nil {
		q = append(q, bson.E{Key: "parent_id", Value: *f.ParentID})
	}
	cur, err := s.db.db.Collection("org_units").Find(ctx, q,
		options.Find().SetSort(bson.D{{Key: "tier", Value: 1}, {Key: "name", Value: 1}}))
	if err != nil {
		return nil, translate(err, "单位")
	}
	units := []*portal.OrgUnit{}
	if err := cur.All(ctx, &units); err != nil {
		return nil, translate(err, "单位")
	}
	return units, nil
}

// CountOrgUnitsByKind returns how many units there are of each kind.
func (s *OrgStore) CountOrgUnitsByKind(ctx context.Context) (map[portal.OrgKind]int, error) {
	cur, err := s.db.db.Collection("org_units").Aggregate(ctx, bson.A{
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$kind"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, translate(err, "单位")
	}
	var rows []struct {
		Kind portal.OrgKind `bson:"_id"`
		N    int            `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, translate(err, "单位")
	}
	out := make(map[portal.OrgKind]int, len(rows))
	for _, r := range rows {
		out[r.Kind] = r.N
	}
	return out, nil
}
