package mongostore

import (
	"context"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// UserStore persists users in the users collection.
type UserStore struct{ db *DB }

var _ portal.UserStore = (*UserStore)(nil)

// NewUserStore returns the user store of db.
func NewUserStore(db *DB) *UserStore { return &UserStore{db: db} }

func (s *UserStore) coll() *mongo.Collection { return s.db.db.Collection("users") }

// CreateUser stores a new user, giving it an id and timestamps.
func (s *UserStore) CreateUser(ctx context.Context, u *portal.User) error {
	if u.ID == "" {
		u.ID = portal.NewID()
	}
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	if u.Status == "" {
		u.Status = portal.UserActive
	}
	if err := u.Validate(); err != nil {
		return err
	}
	now := s.db.now().UTC()
	u.CreatedAt, u.UpdatedAt = now, now
	_, err := s.coll().InsertOne(ctx, u)
	if mongo.IsDuplicateKeyError(err) {
		return portal.Invalid("用户名已被使用", map[string]string{"username": "用户名已被使用"})
	}
	return translate(err, "用户")
}

// FindUserByID returns the user with id.
func (s *UserStore) FindUserByID(ctx context.Context, id string) (*portal.User, error) {
	var u portal.User
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&u)
	if err != nil {
		return nil, translate(err, "用户")
	}
	return &u, nil
}

// FindUserByUsername returns the user with the (case-insensitive) username.
func (s *UserStore) FindUserByUsername(ctx context.Context, username string) (*portal.User, error) {
	var u portal.User
	err := s.coll().FindOne(ctx, bson.D{{Key: "username", Value: strings.ToLower(strings.TrimSpace(username))}}).Decode(&u)
	if err != nil {
		return nil, translate(err, "用户")
	}
	return &u, nil
}

// FindUsers returns one page of matching users, ordered by username, and
// how many match in all.
func (s *UserStore) FindUsers(ctx context.Context, f portal.UserFilter) ([]*portal.User, int, error) {
	q := bson.D{}
	if f.IDs != nil {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: f.IDs}}})
	}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		q = append(q, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "username", Value: re}}, bson.D{{Key: "display_name", Value: re}}}})
	}
	if f.Role != nil {
		q = append(q, bson.E{Key: "roles", Value: *f.Role})
	}
	if f.Status != nil {
		q = append(q, bson.E{Key: "status", Value: *f.Status})
	}
	if f.EnterpriseID != nil {
		q = append(q, bson.E{Key: "enterprise_id", Value: *f.EnterpriseID})
	}
	if f.EnterpriseIn != nil {
		q = append(q, bson.E{Key: "enterprise_id", Value: bson.D{{Key: "$in", Value: f.EnterpriseIn}}})
	}
	if f.UnitID != nil {
		q = append(q, bson.E{Key: "unit_id", Value: *f.UnitID})
	}
	return findPage[portal.User](ctx, s.coll(), q, bson.D{{Key: "username", Value: 1}}, f.Offset, f.Limit, "用户")
}

// UpdateUser applies upd; changes to rights bump the token version so that
// tokens issued before stop working at once.
func (s *UserStore) UpdateUser(ctx context.Context, id string, upd portal.UserUpdate) (*portal.User, error) {
	u, err := s.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	bump := false
	if upd.DisplayName != nil {
		u.DisplayName = *upd.DisplayName
	}
	if upd.Phone != nil {
		u.Phone = *upd.Phone
	}
	if upd.PasswordHash != nil {
		u.PasswordHash, bump = *upd.PasswordHash, true
	}
	if upd.Roles != nil {
		u.Roles, bump = upd.Roles, true
	}
	for _, p := range []struct {
		from *string
		to   *string
	}{{upd.EnterpriseID, &u.EnterpriseID}, {upd.UnitID, &u.UnitID}, {upd.ChainID, &u.ChainID}, {upd.TaskForceID, &u.TaskForceID}} {
		if p.from != nil && *p.from != *p.to {
			*p.to, bump = *p.from, true
		}
	}
	if upd.Status != nil && *upd.Status != u.Status {
		u.Status, bump = *upd.Status, true
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	u.UpdatedAt = s.db.now().UTC()
	set := bson.D{
		{Key: "display_name", Value: u.DisplayName}, {Key: "phone", Value: u.Phone},
		{Key: "password_hash", Value: u.PasswordHash}, {Key: "roles", Value: u.Roles},
		{Key: "enterprise_id", Value: u.EnterpriseID}, {Key: "unit_id", Value: u.UnitID},
		{Key: "chain_id", Value: u.ChainID}, {Key: "task_force_id", Value: u.TaskForceID},
		{Key: "status", Value: u.Status}, {Key: "updated_at", Value: u.UpdatedAt},
	}
	update := bson.D{{Key: "$set", Value: set}}
	if bump {
		update = append(update, bson.E{Key: "$inc", Value: bson.D{{Key: "token_version", Value: 1}}})
	}
	var out portal.User
	err = s.coll().FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&out)
	if err != nil {
		return nil, translate(err, "用户")
	}
	return &out, nil
}

// findPage runs a filtered, sorted, paginated find and a count.
func findPage[T any](ctx context.Context, c *mongo.Collection, q, sort bson.D, offset, limit int, what string) ([]*T, int, error) {
	return findProjectedPage[T](ctx, c, q, sort, nil, offset, limit, what)
}

// findProjectedPage is findPage reading only the fields projection keeps
// (all when nil): lists leave out long texts and histories.
func findProjectedPage[T any](ctx context.Context, c *mongo.Collection, q, sort, projection bson.D, offset, limit int, what string) ([]*T, int, error) {
	total, err := c.CountDocuments(ctx, q)
	if err != nil {
		return nil, 0, translate(err, what)
	}
	opts := options.Find().SetSort(sort)
	if projection != nil {
		opts.SetProjection(projection)
	}
	if offset > 0 {
		opts.SetSkip(int64(offset))
	}
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := c.Find(ctx, q, opts)
	if err != nil {
		return nil, 0, translate(err, what)
	}
	out := []*T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, 0, translate(err, what)
	}
	return out, int(total), nil
}

// regexpQuote escapes s for use inside a MongoDB regular expression.
func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
