package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// RequestStore persists requests in the requests collection; numbers come
// from one counter document per year in counters.
type RequestStore struct {
	db   *DB
	zone *time.Location
}

var _ portal.RequestStore = (*RequestStore)(nil)

// NewRequestStore returns the request store of db; zone decides which
// year a request's number belongs to.
func NewRequestStore(db *DB, zone *time.Location) *RequestStore {
	if zone == nil {
		zone = time.UTC
	}
	return &RequestStore{db: db, zone: zone}
}

func (s *RequestStore) coll() *mongo.Collection { return s.db.db.Collection("requests") }

// requestDoc is a request as stored, with the sort key of the inbox: the
// running deadline, or the end of time when none runs, so that requests
// without a deadline sort last rather than first.
type requestDoc struct {
	*portal.Request `bson:",inline"`
	DueSort         time.Time `bson:"due_sort"`
}

var endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func docOf(r *portal.Request) requestDoc {
	d := requestDoc{Request: r, DueSort: endOfTime}
	if r.DueAt != nil {
		d.DueSort = *r.DueAt
	}
	return d
}

// maxNumberAttempts bounds the retries of a number taken twice.
const maxNumberAttempts = 20

// CreateRequest numbers r (HQ-<year>-<six digits>) and stores it. The
// counter's increment is not atomic on embedded FerretDB, so the unique
// index on no is what guarantees uniqueness: a number taken by a racing
// request is skipped and the next one tried. A next rung, if r has one,
// is listed in its hour's rung slot first (rung_slots.go).
func (s *RequestStore) CreateRequest(ctx context.Context, r *portal.Request) error {
	if err := s.addToRungSlots(ctx, []*portal.Request{r}); err != nil {
		return err
	}
	year := r.CreatedAt.In(s.zone).Year()
	key := fmt.Sprintf("request_no:%d", year)
	for attempt := 0; attempt < maxNumberAttempts; attempt++ {
		var c struct {
			N int64 `bson:"n"`
		}
		err := s.db.db.Collection("counters").FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: key}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}},
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&c)
		if mongo.IsDuplicateKeyError(err) {
			continue // two first numbers of a year raced to create the counter
		}
		if err != nil {
			return translate(err, "诉求编号")
		}
		r.No = fmt.Sprintf("HQ-%d-%06d", year, c.N)
		_, err = s.coll().InsertOne(ctx, docOf(r))
		if mongo.IsDuplicateKeyError(err) {
			continue
		}
		return translate(err, "诉求")
	}
	return portal.Internal(fmt.Errorf("no free request number for %d after %d attempts", year, maxNumberAttempts))
}

// FindRequestByID returns the request with id.
func (s *RequestStore) FindRequestByID(ctx context.Context, id string) (*portal.Request, error) {
	var r portal.Request
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, translate(err, "诉求")
	}
	return &r, nil
}

// listProjection leaves out what lists never show.
var listProjection = bson.D{{Key: "description", Value: 0}, {Key: "timeline", Value: 0}}

// FindRequests returns one page of the matching requests and the total.
func (s *RequestStore) FindRequests(ctx context.Context, f portal.RequestFilter) ([]*portal.Request, int, error) {
	sort := bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: 1}}
	if f.ByDue {
		sort = bson.D{{Key: "due_sort", Value: 1}, {Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}
	}
	return findProjectedPage[portal.Request](ctx, s.coll(), requestQuery(f), sort, listProjection, f.Offset, f.Limit, "诉求")
}

// requestQuery turns a filter into a query document; every condition is a
// clause of one $and so that several $or clauses can sit side by side.
func requestQuery(f portal.RequestFilter) bson.D {
	and := bson.A{}
	add := func(k string, v any) { and = append(and, bson.D{{Key: k, Value: v}}) }
	if f.AnyOf != nil {
		or := bson.A{}
		for _, c := range f.AnyOf {
			or = append(or, scopeClause(c))
		}
		if len(or) == 0 {
			add("_id", bson.D{{Key: "$in", Value: bson.A{}}})
		} else {
			add("$or", or)
		}
	}
	if len(f.Statuses) > 0 {
		add("status", bson.D{{Key: "$in", Value: f.Statuses}})
	}
	if f.DepartmentID != "" {
		add("department_id", f.DepartmentID)
	}
	if f.Category != "" {
		add("category", f.Category)
	}
	if f.Channel != "" {
		add("channel", f.Channel)
	}
	if f.EnterpriseID != "" {
		add("enterprise_id", f.EnterpriseID)
	}
	if f.IDs != nil {
		add("_id", bson.D{{Key: "$in", Value: f.IDs}})
	}
	if f.ParentID != "" {
		add("parent_id", f.ParentID)
	}
	if f.SourceID != "" {
		add("source.id", f.SourceID)
	}
	if f.OverdueAt != nil {
		add("due_at", bson.D{{Key: "$lte", Value: *f.OverdueAt}})
		add("status", bson.D{{Key: "$in", Value: portal.OpenStatuses}})
	}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		add("$or", bson.A{bson.D{{Key: "no", Value: re}}, bson.D{{Key: "title", Value: re}}, bson.D{{Key: "enterprise_name", Value: re}}})
	}
	if len(and) == 0 {
		return bson.D{}
	}
	return bson.D{{Key: "$and", Value: and}}
}

// scopeClause is one scope clause as a query: every set field must match.
func scopeClause(c portal.RequestScope) bson.D {
	d := bson.D{}
	if c.EnterpriseID != "" {
		d = append(d, bson.E{Key: "enterprise_id", Value: c.EnterpriseID})
	}
	if c.LiaisonID != "" {
		d = append(d, bson.E{Key: "liaison_id", Value: c.LiaisonID})
	}
	if c.FiledByID != "" {
		d = append(d, bson.E{Key: "filed_by_id", Value: c.FiledByID})
	}
	if c.ChainID != "" {
		d = append(d, bson.E{Key: "chain_ids", Value: c.ChainID})
	}
	if c.DepartmentID != "" {
		d = append(d, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "department_id", Value: c.DepartmentID}},
			bson.D{{Key: "past_department_ids", Value: c.DepartmentID}},
		}})
	}
	if c.DepartmentIn != nil {
		d = append(d, bson.E{Key: "department_id", Value: bson.D{{Key: "$in", Value: c.DepartmentIn}}})
	}
	if c.RegionIn != nil {
		d = append(d, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "subdistrict_id", Value: bson.D{{Key: "$in", Value: c.RegionIn}}}},
			bson.D{{Key: "park_id", Value: bson.D{{Key: "$in", Value: c.RegionIn}}}},
		}})
	}
	if len(d) == 0 {
		// A clause without conditions must not widen the scope to everything.
		return bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{}}}}}
	}
	return d
}

// UpdateRequest replaces the stored request with r if its version is still
// version, and bumps r.Version. The claim on "requests:<id>:<version>"
// makes exactly one of several racing writers win, also on FerretDB.
// A next rung moved to another hour is first listed in that hour's rung
// slot (rung_slots.go).
func (s *RequestStore) UpdateRequest(ctx context.Context, r *portal.Request, version int) error {
	if err := s.listNextRung(ctx, r, version); err != nil {
		return err
	}
	if err := ClaimVersion(ctx, s.db.db, "requests", r.ID, version); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return portal.Errorf(portal.ECONFLICT, "诉求刚被他人处理，请刷新后重试")
		}
		return err
	}
	// Embedded FerretDB pushes a filter down to SQLite only when it is
	// {_id} alone; {_id, version} decodes every request in Go, which made
	// each action cost the size of the collection. The claim already makes
	// this the only writer from version, so checking the stored version
	// and then replacing by _id is as safe.
	var stored struct {
		Version int `bson:"version"`
	}
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: r.ID}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&stored)
	if err != nil {
		return translate(err, "诉求")
	}
	if stored.Version != version {
		return portal.Errorf(portal.ECONFLICT, "诉求刚被他人处理，请刷新后重试")
	}
	r.Version = version + 1
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, docOf(r))
	if err != nil {
		r.Version = version
		return translate(err, "诉求")
	}
	if res.MatchedCount == 0 {
		r.Version = version
		return portal.Errorf(portal.ECONFLICT, "诉求刚被他人处理，请刷新后重试")
	}
	return nil
}

var _ portal.RequestIndexSource = (*RequestStore)(nil)

// FindRequestsChangedSince returns up to limit requests, without their
// timelines, ordered by (updated_at, id) after the cursor (since,
// afterID), or from since itself when afterID is empty: the search index
// repair and rebuild page through it.
func (s *RequestStore) FindRequestsChangedSince(ctx context.Context, since time.Time, afterID string, limit int) ([]*portal.Request, error) {
	q := bson.D{{Key: "updated_at", Value: bson.D{{Key: "$gte", Value: since}}}}
	if afterID != "" {
		q = bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "updated_at", Value: bson.D{{Key: "$gt", Value: since}}}},
			bson.D{{Key: "updated_at", Value: since}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}}},
		}}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "updated_at", Value: 1}, {Key: "_id", Value: 1}}).
		SetProjection(bson.D{{Key: "timeline", Value: 0}}).SetLimit(int64(limit))
	cur, err := s.coll().Find(ctx, q, opts)
	if err != nil {
		return nil, translate(err, "诉求")
	}
	out := []*portal.Request{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "诉求")
	}
	return out, nil
}

// requestIndexes serve the lists: the unique number; each role's scope
// clause with the newest first; the inbox by deadline per department; the
// overdue and chasing scans by deadline; merged children by master.
func requestIndexes(ctx context.Context, db *mongo.Database) error {
	return ensureIndexes(ctx, db.Collection("requests"),
		mongo.IndexModel{Keys: bson.D{{Key: "no", Value: 1}}, Options: options.Index().SetUnique(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "status", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "department_id", Value: 1}, {Key: "status", Value: 1}, {Key: "due_sort", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "enterprise_id", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "liaison_id", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "filed_by_id", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "subdistrict_id", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "park_id", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "chain_ids", Value: 1}, {Key: "created_at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "due_at", Value: 1}, {Key: "status", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "parent_id", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "updated_at", Value: 1}, {Key: "_id", Value: 1}}}, // search index repair
		mongo.IndexModel{Keys: bson.D{{Key: "past_department_ids", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "next_rung_at", Value: 1}}},
	)
}

// InsertRequests stores requests that already carry their numbers, in
// unordered batches: for bulk loads (benchmarks, migrations from another
// system), never for filing, which numbers each request.
func (s *RequestStore) InsertRequests(ctx context.Context, rs []*portal.Request) error {
	if err := s.addToRungSlots(ctx, rs); err != nil {
		return err
	}
	for start := 0; start < len(rs); start += enterpriseBatch {
		batch := rs[start:min(start+enterpriseBatch, len(rs))]
		docs := make([]any, len(batch))
		for i, r := range batch {
			docs[i] = docOf(r)
		}
		if _, err := s.coll().InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
			return translate(err, "诉求")
		}
	}
	return nil
}
