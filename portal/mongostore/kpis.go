package mongostore

import (
	"context"
	"errors"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// KPIStore keeps the rate counters in kpi_counters: one small document
// per unit and month ("2026-11|dept:dept-trans"), changed by $inc.
type KPIStore struct {
	db *DB
}

var (
	_ portal.KPIStore         = (*KPIStore)(nil)
	_ portal.KPIRequestSource = (*KPIStore)(nil)
)

// NewKPIStore returns the counter store of db.
func NewKPIStore(db *DB) *KPIStore { return &KPIStore{db: db} }

func (s *KPIStore) coll() *mongo.Collection { return s.db.db.Collection("kpi_counters") }

// kpiWrites serialises the counter updates of this process. $inc is
// atomic on MongoDB, but embedded FerretDB v1 runs an update as a read
// followed by a write, so two changes landing on the "all" document at
// once would lose one; the embedded backend is used by one process only
// (the data directory is locked), so a process-wide lock is enough there.
var kpiWrites sync.Mutex

// IncKPIs applies the increments in one unordered bulk write, creating
// the documents that do not exist yet.
func (s *KPIStore) IncKPIs(ctx context.Context, incs []portal.KPIIncrement) error {
	if len(incs) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, 0, len(incs))
	for _, in := range incs {
		inc := bson.D{}
		for p, n := range in.Inc {
			inc = append(inc, bson.E{Key: p, Value: int64(n)})
		}
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: in.ID}}).
			SetUpdate(bson.D{{Key: "$inc", Value: inc},
				{Key: "$set", Value: bson.D{{Key: "month", Value: in.Month}, {Key: "unit", Value: in.Unit}}}}).
			SetUpsert(true))
	}
	kpiWrites.Lock()
	defer kpiWrites.Unlock()
	_, err := s.coll().BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	return translate(err, "统计计数")
}

// FindKPIDocs returns the counter documents with these ids that exist,
// one lookup by _id each: embedded FerretDB hands only _id equality to
// SQLite and would decode every counter document for an $in, and a
// report asks for at most KPIMaxMonths documents.
func (s *KPIStore) FindKPIDocs(ctx context.Context, ids []string) ([]*portal.KPIDoc, error) {
	out := []*portal.KPIDoc{}
	for _, id := range ids {
		var d portal.KPIDoc
		err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, translate(err, "统计计数")
		}
		out = append(out, &d)
	}
	return out, nil
}

// ReplaceKPIDocs writes every document of docs over the stored one and
// then removes the stored documents docs does not name. There is no
// moment without counters; changes made meanwhile are lost, so a rebuild
// runs while nothing else writes requests.
func (s *KPIStore) ReplaceKPIDocs(ctx context.Context, docs []*portal.KPIDoc) error {
	kpiWrites.Lock()
	defer kpiWrites.Unlock()
	keep := make(bson.A, 0, len(docs))
	for _, d := range docs {
		keep = append(keep, d.ID)
		_, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
		if err != nil {
			return translate(err, "统计计数")
		}
	}
	_, err := s.coll().DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$nin", Value: keep}}}})
	return translate(err, "统计计数")
}

// kpiProjection keeps what a request's contribution and its scorecard
// row read, and leaves out the long texts and the timeline.
var kpiProjection = bson.D{{Key: "description", Value: 0}, {Key: "timeline", Value: 0},
	{Key: "attachments", Value: 0}, {Key: "reply", Value: 0}, {Key: "resolution", Value: 0}}

// EachKPIRequest calls fn with every request, without its texts and
// timeline, through one cursor read in batches: paging by _id would make
// embedded FerretDB, which sorts in Go, read the collection once per page.
func (s *KPIStore) EachKPIRequest(ctx context.Context, fn func(*portal.Request) error) error {
	cur, err := s.db.db.Collection("requests").Find(ctx, bson.D{},
		options.Find().SetProjection(kpiProjection).SetBatchSize(1000))
	if err != nil {
		return translate(err, "诉求")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var r portal.Request
		if err := cur.Decode(&r); err != nil {
			return translate(err, "诉求")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return translate(cur.Err(), "诉求")
}

func (s *KPIStore) findRequests(ctx context.Context, q bson.D, opts *options.FindOptionsBuilder) ([]*portal.Request, error) {
	cur, err := s.db.db.Collection("requests").Find(ctx, q, opts.SetProjection(kpiProjection))
	if err != nil {
		return nil, translate(err, "诉求")
	}
	out := []*portal.Request{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "诉求")
	}
	return out, nil
}

// scorecardQuery selects a department's requests received in the range,
// merged children left out (they count for their master).
func scorecardQuery(f portal.ScorecardFilter) bson.D {
	q := bson.D{{Key: "department_id", Value: f.DepartmentID},
		{Key: "created_at", Value: bson.D{{Key: "$gte", Value: f.From}, {Key: "$lt", Value: f.To}}},
		{Key: "parent_id", Value: bson.D{{Key: "$exists", Value: false}}}}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		q = append(q, bson.E{Key: "$and", Value: bson.A{bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "no", Value: re}}, bson.D{{Key: "enterprise_name", Value: re}}}}}}})
	}
	if f.After != nil {
		q = append(q, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "created_at", Value: bson.D{{Key: "$gt", Value: f.After.CreatedAt}}}},
			bson.D{{Key: "created_at", Value: f.After.CreatedAt}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: f.After.ID}}}},
		}})
	}
	return q
}

// FindScorecardRequests returns one page of a department's requests
// received in the range, oldest first, and, when asked, how many there are.
func (s *KPIStore) FindScorecardRequests(ctx context.Context, f portal.ScorecardFilter) ([]*portal.Request, int, error) {
	q := scorecardQuery(f)
	total := 0
	if f.Count {
		n, err := s.db.db.Collection("requests").CountDocuments(ctx, q)
		if err != nil {
			return nil, 0, translate(err, "诉求")
		}
		total = int(n)
	}
	opts := options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}})
	if f.Offset > 0 {
		opts.SetSkip(int64(f.Offset))
	}
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	out, err := s.findRequests(ctx, q, opts)
	return out, total, err
}

// kpiIndexes serve the scorecard (a department's requests by receipt);
// the counters are read and written by _id only.
func kpiIndexes(ctx context.Context, db *mongo.Database) error {
	if err := createKeyedCollection(ctx, db, "kpi_counters"); err != nil {
		return err
	}
	return ensureIndexes(ctx, db.Collection("requests"),
		mongo.IndexModel{Keys: bson.D{{Key: "department_id", Value: 1}, {Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}})
}

// createKeyedCollection creates a collection read only by _id up front,
// for the same reason as createKeyedCollections.
func createKeyedCollection(ctx context.Context, db *mongo.Database, name string) error {
	existing, err := db.ListCollectionNames(ctx, bson.D{{Key: "name", Value: name}})
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return nil
	}
	if err := db.CreateCollection(ctx, name); err != nil && !isNamespaceExists(err) {
		return err
	}
	return nil
}
