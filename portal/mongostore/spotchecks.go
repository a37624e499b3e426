package mongostore

import (
	"context"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// SpotCheckStore persists spot checks in spot_checks and their items, one
// document each so that reviewers verify items without contending for the
// check, in spot_check_items.
type SpotCheckStore struct{ db *DB }

var _ portal.SpotCheckStore = (*SpotCheckStore)(nil)

// NewSpotCheckStore returns the spot check store of db.
func NewSpotCheckStore(db *DB) *SpotCheckStore { return &SpotCheckStore{db: db} }

func (s *SpotCheckStore) checks() *mongo.Collection { return s.db.db.Collection("spot_checks") }
func (s *SpotCheckStore) items() *mongo.Collection  { return s.db.db.Collection("spot_check_items") }

// candidateProjection is what sampling and the items need of a request.
var candidateProjection = bson.D{{Key: "_id", Value: 1}, {Key: "no", Value: 1}, {Key: "title", Value: 1},
	{Key: "enterprise_id", Value: 1}, {Key: "enterprise_name", Value: 1}, {Key: "contact_name", Value: 1},
	{Key: "contact_phone", Value: 1}, {Key: "department_id", Value: 1}, {Key: "department_name", Value: 1},
	{Key: "filed_by_id", Value: 1}, {Key: "first_contact_id", Value: 1}, {Key: "handler_id", Value: 1},
	{Key: "status", Value: 1}, {Key: "feedback", Value: 1}, {Key: "unrated", Value: 1}, {Key: "closed_at", Value: 1}}

// FindSpotCheckCandidates returns the closed requests with a department
// that closed in [from, to), ordered by id.
func (s *SpotCheckStore) FindSpotCheckCandidates(ctx context.Context, from, to time.Time) ([]*portal.Request, error) {
	q := bson.D{{Key: "status", Value: portal.StatusClosed},
		{Key: "closed_at", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lt", Value: to}}},
		{Key: "department_id", Value: bson.D{{Key: "$exists", Value: true}, {Key: "$ne", Value: ""}}}}
	cur, err := s.db.db.Collection("requests").Find(ctx, q,
		options.Find().SetProjection(candidateProjection).SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, translate(err, "诉求")
	}
	out := []*portal.Request{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "诉求")
	}
	return out, nil
}

// CreateSpotCheck stores the items first and the check last: lists read
// only checks, so a failure in between leaves nothing visible, and the
// items written are removed again. A check id already taken is refused
// before anything is written, so that the removal never touches another
// check's items.
func (s *SpotCheckStore) CreateSpotCheck(ctx context.Context, c *portal.SpotCheck, items []*portal.SpotCheckItem) error {
	n, err := s.checks().CountDocuments(ctx, bson.D{{Key: "_id", Value: c.ID}})
	if err != nil {
		return translate(err, "抽查")
	}
	if n > 0 {
		return portal.Errorf(portal.ECONFLICT, "抽查已存在")
	}
	ids := make(bson.A, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	undo := func(err error) error {
		_, _ = s.items().DeleteMany(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
		return err
	}
	for start := 0; start < len(items); start += enterpriseBatch {
		batch := items[start:min(start+enterpriseBatch, len(items))]
		docs := make([]any, len(batch))
		for i, it := range batch {
			docs[i] = it
		}
		if _, err := s.items().InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
			return undo(translate(err, "抽查项"))
		}
	}
	if _, err := s.checks().InsertOne(ctx, c); err != nil {
		return undo(translate(err, "抽查"))
	}
	return nil
}

// FindSpotCheckByID returns the check with id.
func (s *SpotCheckStore) FindSpotCheckByID(ctx context.Context, id string) (*portal.SpotCheck, error) {
	var c portal.SpotCheck
	if err := s.checks().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&c); err != nil {
		return nil, translate(err, "抽查")
	}
	return &c, nil
}

// FindSpotChecks returns one page of the matching checks, newest first.
func (s *SpotCheckStore) FindSpotChecks(ctx context.Context, f portal.SpotCheckFilter) ([]*portal.SpotCheck, int, error) {
	q := bson.D{}
	if f.ReviewerID != "" {
		q = append(q, bson.E{Key: "reviewer_ids", Value: f.ReviewerID})
	}
	if f.Month != "" {
		q = append(q, bson.E{Key: "month", Value: f.Month})
	}
	return findPage[portal.SpotCheck](ctx, s.checks(), q, bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: 1}},
		f.Offset, f.Limit, "抽查")
}

// FindSpotCheckItem returns the item of requestID in checkID.
func (s *SpotCheckStore) FindSpotCheckItem(ctx context.Context, checkID, requestID string) (*portal.SpotCheckItem, error) {
	var it portal.SpotCheckItem
	err := s.items().FindOne(ctx, bson.D{{Key: "_id", Value: portal.SpotCheckItemID(checkID, requestID)}}).Decode(&it)
	if err != nil {
		return nil, translate(err, "抽查项")
	}
	return &it, nil
}

// FindSpotCheckItems returns one page of the matching items: newest
// check first, then in sample order.
func (s *SpotCheckStore) FindSpotCheckItems(ctx context.Context, f portal.SpotCheckItemFilter) ([]*portal.SpotCheckItem, int, error) {
	q := bson.D{}
	if f.CheckID != "" {
		q = append(q, bson.E{Key: "check_id", Value: f.CheckID})
	}
	if f.ReviewerID != "" {
		q = append(q, bson.E{Key: "reviewer_id", Value: f.ReviewerID})
	}
	if f.DepartmentID != "" {
		q = append(q, bson.E{Key: "department_id", Value: f.DepartmentID})
	}
	if len(f.States) > 0 {
		q = append(q, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: f.States}}})
	}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		q = append(q, bson.E{Key: "$or", Value: bson.A{bson.D{{Key: "request_no", Value: re}},
			bson.D{{Key: "title", Value: re}}, bson.D{{Key: "enterprise_name", Value: re}}}})
	}
	sort := bson.D{{Key: "check_month", Value: -1}, {Key: "check_id", Value: 1}, {Key: "seq", Value: 1}}
	return findPage[portal.SpotCheckItem](ctx, s.items(), q, sort, f.Offset, f.Limit, "抽查项")
}

// CountSpotCheckItems counts items by check, department and state in the
// database and folds the states into the progress counts.
func (s *SpotCheckStore) CountSpotCheckItems(ctx context.Context, checkIDs []string, reviewerID string) ([]portal.SpotCheckCount, error) {
	match := bson.D{{Key: "check_id", Value: bson.D{{Key: "$in", Value: checkIDs}}}}
	if reviewerID != "" {
		match = append(match, bson.E{Key: "reviewer_id", Value: reviewerID})
	}
	cur, err := s.items().Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: match}},
		{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{{Key: "check", Value: "$check_id"}, {Key: "dept", Value: "$department_id"}, {Key: "state", Value: "$state"}}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}},
		}}},
	})
	if err != nil {
		return nil, translate(err, "抽查项")
	}
	var rows []struct {
		ID struct {
			Check string                    `bson:"check"`
			Dept  string                    `bson:"dept"`
			State portal.SpotCheckItemState `bson:"state"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, translate(err, "抽查项")
	}
	var out []portal.SpotCheckCount
	for _, r := range rows {
		i := slices.IndexFunc(out, func(c portal.SpotCheckCount) bool { return c.CheckID == r.ID.Check && c.DepartmentID == r.ID.Dept })
		if i < 0 {
			out = append(out, portal.SpotCheckCount{CheckID: r.ID.Check, DepartmentID: r.ID.Dept})
			i = len(out) - 1
		}
		out[i].Items += r.N
		if r.ID.State != portal.ItemPending {
			out[i].Verified += r.N
		}
		if r.ID.State == portal.ItemDiscrepancy {
			out[i].Discrepancies += r.N
		}
	}
	return out, nil
}

// errItemChanged answers a writer that lost the race for an item's version.
var errItemChanged = portal.Errorf(portal.ECONFLICT, "该抽查项刚被他人处理，请刷新后重试")

// UpdateSpotCheckItem replaces the stored item with it if it is still at
// version, and bumps it.Version; the claim makes one racing writer win,
// also on FerretDB.
func (s *SpotCheckStore) UpdateSpotCheckItem(ctx context.Context, it *portal.SpotCheckItem, version int) error {
	if err := ClaimVersion(ctx, s.db.db, "spot_check_items", it.ID, version); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return errItemChanged
		}
		return err
	}
	var stored struct {
		Version int `bson:"version"`
	}
	err := s.items().FindOne(ctx, bson.D{{Key: "_id", Value: it.ID}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&stored)
	if err != nil {
		return translate(err, "抽查项")
	}
	if stored.Version != version {
		return errItemChanged
	}
	it.Version = version + 1
	res, err := s.items().ReplaceOne(ctx, bson.D{{Key: "_id", Value: it.ID}}, it)
	if err != nil {
		it.Version = version
		return translate(err, "抽查项")
	}
	if res.MatchedCount == 0 {
		it.Version = version
		return errItemChanged
	}
	return nil
}

// AddSpotCheckReviewer lists reviewerID among the check's reviewers.
func (s *SpotCheckStore) AddSpotCheckReviewer(ctx context.Context, checkID, reviewerID string) error {
	res, err := s.checks().UpdateOne(ctx, bson.D{{Key: "_id", Value: checkID}},
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "reviewer_ids", Value: reviewerID}}}})
	if err != nil {
		return translate(err, "抽查")
	}
	if res.MatchedCount == 0 {
		return portal.Errorf(portal.ENOTFOUND, "抽查不存在")
	}
	return nil
}

// spotCheckIndexes serve the check lists (all, a reviewer's, by month),
// a check's items in sample order and by department and state, a
// reviewer's queue, and the draw, which reads one month's closed requests.
func spotCheckIndexes(ctx context.Context, db *mongo.Database) error {
	if err := ensureIndexes(ctx, db.Collection("spot_checks"),
		mongo.IndexModel{Keys: bson.D{{Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "reviewer_ids", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "month", Value: 1}}},
	); err != nil {
		return err
	}
	if err := ensureIndexes(ctx, db.Collection("spot_check_items"),
		mongo.IndexModel{Keys: bson.D{{Key: "check_id", Value: 1}, {Key: "seq", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "check_id", Value: 1}, {Key: "department_id", Value: 1}, {Key: "state", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "reviewer_id", Value: 1}, {Key: "state", Value: 1}, {Key: "check_month", Value: -1}}},
	); err != nil {
		return err
	}
	return ensureIndexes(ctx, db.Collection("requests"),
		mongo.IndexModel{Keys: bson.D{{Key: "status", Value: 1}, {Key: "closed_at", Value: 1}}})
}
