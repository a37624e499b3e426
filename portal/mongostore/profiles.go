package mongostore

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// profileWriteAttempts bounds how often a profile write retries when the
// enterprise's industry changes between reading it and writing.
const profileWriteAttempts = 5

// UpdateEnterpriseProfile replaces the enterprise's profile (一企一档) and
// nothing else but updated_at. The size class is recomputed from the stored
// industry, and the write is conditional on that industry so that a
// concurrent change of industry does not leave a size class computed for
// the old one (atomic on MongoDB; embedded FerretDB narrows the race to the
// instant between its query and its write).
func (s *EnterpriseStore) UpdateEnterpriseProfile(ctx context.Context, id string, p portal.EnterpriseProfile) (*portal.Enterprise, error) {
	for range profileWriteAttempts {
		var cur struct {
			Section  string `bson:"industry_section"`
			Division string `bson:"industry_division"`
		}
		err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}},
			options.FindOne().SetProjection(bson.D{{Key: "industry_section", Value: 1}, {Key: "industry_division", Value: 1}})).Decode(&cur)
		if err != nil {
			return nil, translate(err, "企业")
		}
		e := &portal.Enterprise{IndustrySection: cur.Section, IndustryDivision: cur.Division, Profile: p}
		e.Classify()
		filter := bson.D{{Key: "_id", Value: id}, sameString("industry_section", cur.Section), sameString("industry_division", cur.Division)}
		update := bson.D{{Key: "$set", Value: bson.D{{Key: "profile", Value: e.Profile}, {Key: "updated_at", Value: s.db.now().UTC()}}}}
		var out portal.Enterprise
		err = s.coll().FindOneAndUpdate(ctx, filter, update, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&out)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // the industry changed (or the enterprise is gone): read again
		}
		if err != nil {
			return nil, translate(err, "企业")
		}
		return &out, nil
	}
	return nil, portal.Errorf(portal.ECONFLICT, "企业信息正在被他人修改，请稍后重试")
}

// sameString matches a string field equal to v, where "" also matches a
// field that is absent (omitempty) or null.
func sameString(field, v string) bson.E {
	if v == "" {
		return bson.E{Key: field, Value: bson.D{{Key: "$in", Value: bson.A{"", nil}}}}
	}
	return bson.E{Key: field, Value: v}
}

// ScanEnterprises calls fn with successive batches of the enterprises f
// selects (its paging ignored), read through one cursor so that a scan of
// the whole directory costs one query, not one per batch.
func (s *EnterpriseStore) ScanEnterprises(ctx context.Context, f portal.EnterpriseFilter, batch int, fn func([]*portal.Enterprise) error) error {
	if batch <= 0 {
		batch = enterpriseBatch
	}
	f.Offset, f.Limit = 0, 0
	cur, err := s.coll().Find(ctx, enterpriseQuery(f), options.Find().SetBatchSize(int32(batch)))
	if err != nil {
		return translate(err, "企业")
	}
	defer cur.Close(ctx)
	buf := make([]*portal.Enterprise, 0, batch)
	for cur.Next(ctx) {
		var e portal.Enterprise
		if err := cur.Decode(&e); err != nil {
			return translate(err, "企业")
		}
		buf = append(buf, &e)
		if len(buf) == batch {
			if err := fn(buf); err != nil {
				return err
			}
			buf = make([]*portal.Enterprise, 0, batch)
		}
	}
	if err := cur.Err(); err != nil {
		return translate(err, "企业")
	}
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}
