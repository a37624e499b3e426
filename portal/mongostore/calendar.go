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

// CalendarStore keeps the working-calendar years admins edited in
// calendar_years, one document per year with the year as _id.
type CalendarStore struct{ db *DB }

var _ portal.CalendarStore = (*CalendarStore)(nil)

// NewCalendarStore returns the calendar store of db.
func NewCalendarStore(db *DB) *CalendarStore { return &CalendarStore{db: db} }

func (s *CalendarStore) coll() *mongo.Collection { return s.db.db.Collection("calendar_years") }

// FindCalendarYears returns every edited year, in year order.
func (s *CalendarStore) FindCalendarYears(ctx context.Context) ([]*portal.CalendarYear, error) {
	cur, err := s.coll().Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, translate(err, "工作日历")
	}
	out := []*portal.CalendarYear{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "工作日历")
	}
	return out, nil
}

// SaveCalendarYear writes y over version y.Version-1 of its year (over
// nothing for version 1). The version in force is read first, so that a
// save based on a version that never existed claims nothing; then the new
// version is claimed, so that of two saves based on the same version
// exactly one writes.
func (s *CalendarStore) SaveCalendarYear(ctx context.Context, y *portal.CalendarYear) error {
	stale := func(cur int) error {
		return portal.Errorf(portal.ECONFLICT, "%d 年的工作日历已被他人修改（现为第 %d 版），请刷新后重试", y.Year, cur)
	}
	if y.Version < 1 {
		return portal.Internal(fmt.Errorf("save calendar year %d: version %d", y.Year, y.Version))
	}
	var cur struct {
		Version int `bson:"version"`
	}
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: y.Year}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&cur)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		cur.Version = 0
	case err != nil:
		return translate(err, "工作日历")
	}
	if cur.Version != y.Version-1 {
		return stale(cur.Version)
	}
	if err := Claim(ctx, s.db.db, fmt.Sprintf("calendar_years:%d:%d", y.Year, y.Version)); err != nil {
		if portal.ErrorCode(err) == portal.ECONFLICT {
			return stale(y.Version)
		}
		return err
	}
	if y.Version == 1 {
		_, err := s.coll().InsertOne(ctx, y)
		if mongo.IsDuplicateKeyError(err) {
			return stale(y.Version)
		}
		return translate(err, "工作日历")
	}
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: y.Year}, {Key: "version", Value: y.Version - 1}}, y)
	if err != nil {
		return translate(err, "工作日历")
	}
	if res.MatchedCount == 0 {
		return stale(y.Version)
	}
	return nil
}
