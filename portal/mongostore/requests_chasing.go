package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

var _ portal.ChaseStore = (*RequestStore)(nil)

// rungProjection keeps what rungs are planned from.
var rungProjection = bson.D{{Key: "no", Value: 1}, {Key: "status", Value: 1}, {Key: "sla", Value: 1},
	{Key: "due_at", Value: 1}, {Key: "next_rung_at", Value: 1}, {Key: "version", Value: 1}}

// FindRequestsWithRungBefore returns up to limit requests whose next rung
// fires at or before before, by that time then id, after the cursor. The
// range is read through the next_rung_at index, so that the cost follows
// the number of due rungs, not the number of open requests.
func (s *RequestStore) FindRequestsWithRungBefore(ctx context.Context, before time.Time, after *portal.RungCursor, limit int) ([]*portal.Request, error) {
	q := bson.D{{Key: "next_rung_at", Value: bson.D{{Key: "$lte", Value: before}}}}
	if after != nil {
		q = bson.D{{Key: "$and", Value: bson.A{q, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "next_rung_at", Value: bson.D{{Key: "$gt", Value: after.At}}}},
			bson.D{{Key: "next_rung_at", Value: after.At}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: after.ID}}}},
		}}}}}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "next_rung_at", Value: 1}, {Key: "_id", Value: 1}}).SetProjection(rungProjection)
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
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

// FindOverdueRequests returns one page of the matching requests by
// department name, then deadline, and the total.
func (s *RequestStore) FindOverdueRequests(ctx context.Context, f portal.RequestFilter) ([]*portal.Request, int, error) {
	q := requestQuery(f)
	total, err := s.coll().CountDocuments(ctx, q)
	if err != nil {
		return nil, 0, translate(err, "诉求")
	}
	opts := options.Find().SetProjection(listProjection).
		SetSort(bson.D{{Key: "department_name", Value: 1}, {Key: "due_sort", Value: 1}, {Key: "_id", Value: 1}})
	if f.Offset > 0 {
		opts.SetSkip(int64(f.Offset))
	}
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit))
	}
	cur, err := s.coll().Find(ctx, q, opts)
	if err != nil {
		return nil, 0, translate(err, "诉求")
	}
	out := []*portal.Request{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, 0, translate(err, "诉求")
	}
	return out, int(total), nil
}

// CountRequestsByDepartment counts the matching requests per department,
// by department name.
func (s *RequestStore) CountRequestsByDepartment(ctx context.Context, f portal.RequestFilter) ([]portal.DepartmentCount, error) {
	cur, err := s.coll().Aggregate(ctx, bson.A{
		bson.D{{Key: "$match", Value: requestQuery(f)}},
		bson.D{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{{Key: "id", Value: "$department_id"}, {Key: "name", Value: "$department_name"}}},
			{Key: "count", Value: bson.D{{Key: "$sum", Value: 1}}},
		}}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: "_id.name", Value: 1}, {Key: "_id.id", Value: 1}}}},
	})
	if err != nil {
		return nil, translate(err, "诉求")
	}
	var rows []struct {
		ID struct {
			ID   string `bson:"id"`
			Name string `bson:"name"`
		} `bson:"_id"`
		Count int `bson:"count"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, translate(err, "诉求")
	}
	out := make([]portal.DepartmentCount, 0, len(rows))
	for _, r := range rows {
		out = append(out, portal.DepartmentCount{DepartmentID: r.ID.ID, DepartmentName: r.ID.Name, Count: r.Count})
	}
	return out, nil
}
