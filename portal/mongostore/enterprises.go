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

// EnterpriseStore persists enterprises in the enterprises collection.
type EnterpriseStore struct{ db *DB }

var (
	_ portal.EnterpriseStore     = (*EnterpriseStore)(nil)
	_ portal.EnterpriseDirectory = (*EnterpriseStore)(nil)
)

// NewEnterpriseStore returns the enterprise store of db.
func NewEnterpriseStore(db *DB) *EnterpriseStore { return &EnterpriseStore{db: db} }

func (s *EnterpriseStore) coll() *mongo.Collection { return s.db.db.Collection("enterprises") }

// CreateEnterprise stores a new enterprise; a USCC already known is refused.
func (s *EnterpriseStore) CreateEnterprise(ctx context.Context, e *portal.Enterprise) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = portal.NewID()
	}
	now := s.db.now().UTC()
	e.CreatedAt, e.UpdatedAt = now, now
	_, err := s.coll().InsertOne(ctx, e)
	if mongo.IsDuplicateKeyError(err) {
		return portal.Invalid("该统一社会信用代码的企业已存在", map[string]string{"uscc": "该统一社会信用代码已登记"})
	}
	return translate(err, "企业")
}

// FindEnterpriseByID returns the enterprise with id.
func (s *EnterpriseStore) FindEnterpriseByID(ctx context.Context, id string) (*portal.Enterprise, error) {
	var e portal.Enterprise
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&e); err != nil {
		return nil, translate(err, "企业")
	}
	return &e, nil
}

// FindEnterpriseByUSCC returns the enterprise with the code.
func (s *EnterpriseStore) FindEnterpriseByUSCC(ctx context.Context, uscc string) (*portal.Enterprise, error) {
	var e portal.Enterprise
	if err := s.coll().FindOne(ctx, bson.D{{Key: "uscc", Value: portal.NormalizeUSCC(uscc)}}).Decode(&e); err != nil {
		return nil, translate(err, "企业")
	}
	return &e, nil
}

// FindEnterprises returns one page of matching enterprises by name and the total.
func (s *EnterpriseStore) FindEnterprises(ctx context.Context, f portal.EnterpriseFilter) ([]*portal.Enterprise, int, error) {
	return findPage[portal.Enterprise](ctx, s.coll(), enterpriseQuery(f), bson.D{{Key: "name", Value: 1}}, f.Offset, f.Limit, "企业")
}

// FindEnterprisesAnyOf returns one page of the enterprises matching f and
// at least one of anyOf (all of f's matches when anyOf is nil).
func (s *EnterpriseStore) FindEnterprisesAnyOf(ctx context.Context, f portal.EnterpriseFilter, anyOf []portal.EnterpriseFilter) ([]*portal.Enterprise, int, error) {
	if anyOf == nil {
		return s.FindEnterprises(ctx, f)
	}
	if len(anyOf) == 0 {
		return []*portal.Enterprise{}, 0, nil
	}
	or := bson.A{}
	for _, c := range anyOf {
		or = append(or, enterpriseQuery(c))
	}
	q := bson.D{{Key: "$and", Value: bson.A{enterpriseQuery(f), bson.D{{Key: "$or", Value: or}}}}}
	return findPage[portal.Enterprise](ctx, s.coll(), q, bson.D{{Key: "name", Value: 1}}, f.Offset, f.Limit, "企业")
}

// enterpriseQuery turns a filter into a query document.
func enterpriseQuery(f portal.EnterpriseFilter) bson.D {
	q := bson.D{}
	if f.IDs != nil {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: f.IDs}}})
	}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		q = append(q, bson.E{Key: "$or", Value: bson.A{bson.D{{Key: "name", Value: re}}, bson.D{{Key: "uscc", Value: re}}}})
	}
	if f.LiaisonID != nil {
		q = append(q, bson.E{Key: "liaison_id", Value: *f.LiaisonID})
	}
	if f.ChainID != nil {
		q = append(q, bson.E{Key: "chain_ids", Value: *f.ChainID})
	}
	if f.UnitIn != nil {
		q = append(q, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "subdistrict_id", Value: bson.D{{Key: "$in", Value: f.UnitIn}}}},
			bson.D{{Key: "park_id", Value: bson.D{{Key: "$in", Value: f.UnitIn}}}},
		}})
	}
	if f.Q != "" && f.UnitIn != nil {
		// Two $or clauses cannot share one document level: combine them.
		q = combineOr(q)
	}
	return q
}

// FindEnterprisesByUSCCs returns the enterprises holding any of codes, in
// batches so that a large import does not send one huge query.
func (s *EnterpriseStore) FindEnterprisesByUSCCs(ctx context.Context, codes []string) ([]*portal.Enterprise, error) {
	out := []*portal.Enterprise{}
	for start := 0; start < len(codes); start += usccReadBatch {
		batch := codes[start:min(start+usccReadBatch, len(codes))]
		cur, err := s.coll().Find(ctx, bson.D{{Key: "uscc", Value: bson.D{{Key: "$in", Value: batch}}}})
		if err != nil {
			return nil, translate(err, "企业")
		}
		var found []*portal.Enterprise
		if err := cur.All(ctx, &found); err != nil {
			return nil, translate(err, "企业")
		}
		out = append(out, found...)
	}
	return out, nil
}

// Batch sizes: one read asks for up to usccReadBatch codes, because an
// embedded FerretDB reads the whole collection for each $in query; one
// write sends up to enterpriseBatch documents.
const (
	usccReadBatch   = 5000
	enterpriseBatch = 500
)

// InsertEnterprises stores new enterprises with unordered batch inserts;
// one refused for its USCC does not stop the others.
func (s *EnterpriseStore) InsertEnterprises(ctx context.Context, es []*portal.Enterprise) ([]error, error) {
	errs := make([]error, len(es))
	now := s.db.now().UTC()
	for i, e := range es {
		e.Normalize()
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("enterprise %d (%s): %w", i, e.USCC, err)
		}
		if e.ID == "" {
			e.ID = portal.NewID()
		}
		e.Classify()
		e.CreatedAt, e.UpdatedAt = now, now
	}
	for start := 0; start < len(es); start += enterpriseBatch {
		batch := es[start:min(start+enterpriseBatch, len(es))]
		docs := make([]any, len(batch))
		for i, e := range batch {
			docs[i] = e
		}
		_, err := s.coll().InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		var bulk mongo.BulkWriteException
		switch {
		case err == nil:
		case errors.As(err, &bulk) && bulk.WriteConcernError == nil:
			for _, we := range bulk.WriteErrors {
				if we.Index < 0 || we.Index >= len(batch) {
					return nil, translate(err, "企业")
				}
				if mongo.IsDuplicateKeyError(we) {
					errs[start+we.Index] = portal.Invalid("该统一社会信用代码的企业已存在", map[string]string{"uscc": "该统一社会信用代码已登记"})
				} else {
					errs[start+we.Index] = translate(we, "企业")
				}
			}
		default:
			return nil, translate(err, "企业")
		}
	}
	return errs, nil
}

// UpdateEnterprises writes what UpdateEnterprise writes for each
// enterprise, in unordered batches of updates.
func (s *EnterpriseStore) UpdateEnterprises(ctx context.Context, es []*portal.Enterprise) error {
	now := s.db.now().UTC()
	for _, e := range es {
		e.Normalize()
		if err := e.Validate(); err != nil {
			return fmt.Errorf("enterprise %s: %w", e.ID, err)
		}
		e.UpdatedAt = now
	}
	for start := 0; start < len(es); start += enterpriseBatch {
		batch := es[start:min(start+enterpriseBatch, len(es))]
		models := make([]mongo.WriteModel, len(batch))
		for i, e := range batch {
			models[i] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: e.ID}}).
				SetUpdate(bson.D{{Key: "$set", Value: enterpriseSet(e)}})
		}
		if _, err := s.coll().BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return translate(err, "企业")
		}
	}
	return nil
}

// UpdateEnterprise replaces the enterprise's fields except id, USCC and created_at.
func (s *EnterpriseStore) UpdateEnterprise(ctx context.Context, e *portal.Enterprise) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = s.db.now().UTC()
	res, err := s.coll().UpdateOne(ctx, bson.D{{Key: "_id", Value: e.ID}}, bson.D{{Key: "$set", Value: enterpriseSet(e)}})
	if err != nil {
		return translate(err, "企业")
	}
	if res.MatchedCount == 0 {
		return portal.Errorf(portal.ENOTFOUND, "企业不存在")
	}
	return nil
}

// combineOr wraps a filter holding several $or clauses into one $and.
func combineOr(q bson.D) bson.D {
	and := bson.A{}
	for _, e := range q {
		and = append(and, bson.D{e})
	}
	return bson.D{{Key: "$and", Value: and}}
}

// enterpriseSet is the $set of an update: every field but id, USCC,
// created_at and the profile, which has its own writes. The profile's size
// class depends on the industry, so it is recomputed from the profile read
// with e and written along.
func enterpriseSet(e *portal.Enterprise) bson.D {
	e.Classify()
	return bson.D{
		{Key: "name", Value: e.Name}, {Key: "address", Value: e.Address}, {Key: "district", Value: e.District},
		{Key: "subdistrict_id", Value: e.SubdistrictID}, {Key: "park_id", Value: e.ParkID},
		{Key: "industry_section", Value: e.IndustrySection}, {Key: "industry_division", Value: e.IndustryDivision},
		{Key: "contact_name", Value: e.ContactName}, {Key: "contact_phone", Value: e.ContactPhone},
		{Key: "liaison_id", Value: e.LiaisonID}, {Key: "task_force_id", Value: e.TaskForceID},
		{Key: "chain_ids", Value: e.ChainIDs}, {Key: "profile.size_class", Value: e.Profile.SizeClass},
		{Key: "updated_at", Value: e.UpdatedAt},
	}
}

// ReassignLiaison moves enterprises from one liaison to another in one update.
func (s *EnterpriseStore) ReassignLiaison(ctx context.Context, from, to, taskForceID string, ids []string) (int, error) {
	q := bson.D{{Key: "liaison_id", Value: from}}
	if len(ids) > 0 {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	res, err := s.coll().UpdateMany(ctx, q, bson.D{{Key: "$set", Value: bson.D{
		{Key: "liaison_id", Value: to}, {Key: "task_force_id", Value: taskForceID}, {Key: "updated_at", Value: s.db.now().UTC()},
	}}})
	if err != nil {
		return 0, translate(err, "企业")
	}
	return int(res.ModifiedCount), nil
}

// ChainStore persists industry chains in the chains collection.
type ChainStore struct{ db *DB }

var _ portal.ChainStore = (*ChainStore)(nil)

// NewChainStore returns the chain store of db.
func NewChainStore(db *DB) *ChainStore { return &ChainStore{db: db} }

// UpsertChain creates or replaces a chain by id.
func (s *ChainStore) UpsertChain(ctx context.Context, c *portal.Chain) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = portal.NewID()
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.db.now().UTC()
	}
	_, err := s.db.db.Collection("chains").ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.ID}}, c, options.Replace().SetUpsert(true))
	return translate(err, "产业链")
}

// FindChainByID returns the chain with id.
func (s *ChainStore) FindChainByID(ctx context.Context, id string) (*portal.Chain, error) {
	var c portal.Chain
	if err := s.db.db.Collection("chains").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&c); err != nil {
		return nil, translate(err, "产业链")
	}
	return &c, nil
}

// FindChains returns every chain by name.
func (s *ChainStore) FindChains(ctx context.Context) ([]*portal.Chain, error) {
	out, _, err := findPage[portal.Chain](ctx, s.db.db.Collection("chains"), bson.D{}, bson.D{{Key: "name", Value: 1}}, 0, 0, "产业链")
	return out, err
}

// TaskForceStore persists task forces in the task_forces collection.
type TaskForceStore struct{ db *DB }

var _ portal.TaskForceStore = (*TaskForceStore)(nil)

// NewTaskForceStore returns the task force store of db.
func NewTaskForceStore(db *DB) *TaskForceStore { return &TaskForceStore{db: db} }

// UpsertTaskForce creates or replaces a task force by id.
func (s *TaskForceStore) UpsertTaskForce(ctx context.Context, t *portal.TaskForce) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.ID == "" {
		t.ID = portal.NewID()
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.db.now().UTC()
	}
	if t.MemberIDs == nil {
		t.MemberIDs = []string{}
	}
	_, err := s.db.db.Collection("task_forces").ReplaceOne(ctx, bson.D{{Key: "_id", Value: t.ID}}, t, options.Replace().SetUpsert(true))
	return translate(err, "专班")
}

// FindTaskForceByID returns the task force with id.
func (s *TaskForceStore) FindTaskForceByID(ctx context.Context, id string) (*portal.TaskForce, error) {
	var t portal.TaskForce
	if err := s.db.db.Collection("task_forces").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&t); err != nil {
		return nil, translate(err, "专班")
	}
	return &t, nil
}

// FindTaskForces returns every task force by name.
func (s *TaskForceStore) FindTaskForces(ctx context.Context) ([]*portal.TaskForce, error) {
	out, _, err := findPage[portal.TaskForce](ctx, s.db.db.Collection("task_forces"), bson.D{}, bson.D{{Key: "name", Value: 1}}, 0, 0, "专班")
	return out, err
}
