package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// EnterpriseStore persists enterprises in the enterprises collection.
type EnterpriseStore struct{ db *DB }

var _ portal.EnterpriseStore = (*EnterpriseStore)(nil)

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
	return findPage[portal.Enterprise](ctx, s.coll(), q, bson.D{{Key: "name", Value: 1}}, f.Offset, f.Limit, "企业")
}

// combineOr wraps a filter holding several $or clauses into one $and.
func combineOr(q bson.D) bson.D {
	and := bson.A{}
	for _, e := range q {
		and = append(and, bson.D{e})
	}
	return bson.D{{Key: "$and", Value: and}}
}

// UpdateEnterprise replaces the enterprise's fields except id, USCC and created_at.
func (s *EnterpriseStore) UpdateEnterprise(ctx context.Context, e *portal.Enterprise) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = s.db.now().UTC()
	set := bson.D{
		{Key: "name", Value: e.Name}, {Key: "address", Value: e.Address}, {Key: "district", Value: e.District},
		{Key: "subdistrict_id", Value: e.SubdistrictID}, {Key: "park_id", Value: e.ParkID},
		{Key: "industry_section", Value: e.IndustrySection}, {Key: "industry_division", Value: e.IndustryDivision},
		{Key: "contact_name", Value: e.ContactName}, {Key: "contact_phone", Value: e.ContactPhone},
		{Key: "liaison_id", Value: e.LiaisonID}, {Key: "task_force_id", Value: e.TaskForceID},
		{Key: "chain_ids", Value: e.ChainIDs}, {Key: "updated_at", Value: e.UpdatedAt},
	}
	res, err := s.coll().UpdateOne(ctx, bson.D{{Key: "_id", Value: e.ID}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return translate(err, "企业")
	}
	if res.MatchedCount == 0 {
		return portal.Errorf(portal.ENOTFOUND, "企业不存在")
	}
	return nil
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
