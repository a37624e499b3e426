package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// CategoryStore persists the request taxonomy in request_categories.
type CategoryStore struct{ db *DB }

var _ portal.CategoryCatalog = (*CategoryStore)(nil)

// NewCategoryStore returns the category store of db.
func NewCategoryStore(db *DB) *CategoryStore { return &CategoryStore{db: db} }

func (s *CategoryStore) coll() *mongo.Collection { return s.db.db.Collection("request_categories") }

// ActiveCategories returns the active categories in display order.
func (s *CategoryStore) ActiveCategories(ctx context.Context) ([]*portal.Category, error) {
	return s.findCategories(ctx, bson.D{{Key: "active", Value: true}})
}

// AllCategories returns every category, active or not, in display order.
func (s *CategoryStore) AllCategories(ctx context.Context) ([]*portal.Category, error) {
	return s.findCategories(ctx, bson.D{})
}

func (s *CategoryStore) findCategories(ctx context.Context, q bson.D) ([]*portal.Category, error) {
	cur, err := s.coll().Find(ctx, q, options.Find().SetSort(bson.D{{Key: "order", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, translate(err, "诉求分类")
	}
	out := []*portal.Category{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "诉求分类")
	}
	return out, nil
}

// CategoryByCode returns the category with code.
func (s *CategoryStore) CategoryByCode(ctx context.Context, code string) (*portal.Category, error) {
	var c portal.Category
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: code}}).Decode(&c); err != nil {
		return nil, translate(err, "诉求分类")
	}
	return &c, nil
}

// CreateCategory stores a new category; ECONFLICT when its code is taken.
func (s *CategoryStore) CreateCategory(ctx context.Context, c *portal.Category) error {
	_, err := s.coll().InsertOne(ctx, c)
	return translate(err, "诉求分类")
}

// SaveCategory creates the category or replaces the one with its code.
func (s *CategoryStore) SaveCategory(ctx context.Context, c *portal.Category) error {
	_, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.Code}}, c, options.Replace().SetUpsert(true))
	return translate(err, "诉求分类")
}

// seedCategories adds the default taxonomy's categories that are missing,
// leaving admins' edits alone.
func seedCategories(ctx context.Context, db *mongo.Database) error {
	for _, c := range portal.DefaultCategories() {
		_, err := db.Collection("request_categories").UpdateOne(ctx, bson.D{{Key: "_id", Value: c.Code}},
			bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "name", Value: c.Name}, {Key: "types", Value: c.Types},
				{Key: "order", Value: c.Order}, {Key: "active", Value: c.Active}}}},
			options.UpdateOne().SetUpsert(true))
		if err != nil {
			return err
		}
	}
	return nil
}
