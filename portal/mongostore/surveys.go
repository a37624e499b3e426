package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// SurveyStore persists the feedback surveys (回访) in the surveys
// collection: one document per request and handling round, found by the
// hash of its link's token or by when its next timer fires.
type SurveyStore struct{ db *DB }

var _ portal.SurveyStore = (*SurveyStore)(nil)

// NewSurveyStore returns the survey store of db.
func NewSurveyStore(db *DB) *SurveyStore { return &SurveyStore{db: db} }

func (s *SurveyStore) coll() *mongo.Collection { return s.db.db.Collection("surveys") }

// surveyIndexes creates the indexes of the surveys collection: the unique
// token hash (links are looked up by it), the timers by next_at for the
// sweeper, and the follow-up list by officer and reminder time.
func surveyIndexes(ctx context.Context, db *mongo.Database) error {
	return ensureIndexes(ctx, db.Collection("surveys"),
		mongo.IndexModel{Keys: bson.D{{Key: "token_hash", Value: 1}}, Options: options.Index().SetUnique(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "next_at", Value: 1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "state", Value: 1}, {Key: "follow_up_id", Value: 1}, {Key: "remind_at", Value: 1}}},
	)
}

// CreateSurvey stores sv with version 1; ECONFLICT when the round's
// survey (or the token hash) exists already.
func (s *SurveyStore) CreateSurvey(ctx context.Context, sv *portal.Survey) error {
	if sv.ID == "" || sv.TokenHash == "" {
		return portal.Invalid("评价缺少编号或链接", map[string]string{"id": "必填"})
	}
	sv.Version = 1
	_, err := s.coll().InsertOne(ctx, sv)
	return translate(err, "评价")
}

// FindSurveyByID returns the survey with id.
func (s *SurveyStore) FindSurveyByID(ctx context.Context, id string) (*portal.Survey, error) {
	var sv portal.Survey
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sv); err != nil {
		return nil, translate(err, "评价")
	}
	return &sv, nil
}

// FindSurveyByTokenHash returns the survey whose token has hash.
func (s *SurveyStore) FindSurveyByTokenHash(ctx context.Context, hash string) (*portal.Survey, error) {
	if hash == "" {
		return nil, portal.Errorf(portal.ENOTFOUND, "评价不存在")
	}
	var sv portal.Survey
	if err := s.coll().FindOne(ctx, bson.D{{Key: "token_hash", Value: hash}}).Decode(&sv); err != nil {
		return nil, translate(err, "评价")
	}
	return &sv, nil
}

// UpdateSurvey replaces the survey if it still has version and bumps
// sv.Version. The claim on "surveys:<id>:<version>" makes exactly one of
// several racing writers win, also on FerretDB, whose conditional updates
// are not atomic.
func (s *SurveyStore) UpdateSurvey(ctx context.Context, sv *portal.Survey, version int) error {
	if err := ClaimVersion(ctx, s.db.db, "surveys", sv.ID, version); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return portal.Errorf(portal.ECONFLICT, "评价刚被他人处理，请刷新后重试")
		}
		return err
	}
	var stored struct {
		Version int `bson:"version"`
	}
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: sv.ID}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&stored)
	if err != nil {
		return translate(err, "评价")
	}
	if stored.Version != version {
		return portal.Errorf(portal.ECONFLICT, "评价刚被他人处理，请刷新后重试")
	}
	sv.Version = version + 1
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: sv.ID}}, sv)
	if err != nil || res.MatchedCount == 0 {
		sv.Version = version
		if err == nil {
			return portal.Errorf(portal.ECONFLICT, "评价刚被他人处理，请刷新后重试")
		}
		return translate(err, "评价")
	}
	return nil
}

// FindSurveysDue returns up to limit surveys whose next timer fires at or
// before before, soonest first; settled surveys have no next_at.
func (s *SurveyStore) FindSurveysDue(ctx context.Context, before time.Time, limit int) ([]*portal.Survey, error) {
	opts := options.Find().SetSort(bson.D{{Key: "next_at", Value: 1}, {Key: "_id", Value: 1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := s.coll().Find(ctx, bson.D{{Key: "next_at", Value: bson.D{{Key: "$lte", Value: before}}}}, opts)
	if err != nil {
		return nil, translate(err, "评价")
	}
	out := []*portal.Survey{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, translate(err, "评价")
	}
	return out, nil
}

// FindSurveys returns one page of the matching surveys, the soonest
// reminder first, and the total.
func (s *SurveyStore) FindSurveys(ctx context.Context, f portal.SurveyFilter) ([]*portal.Survey, int, error) {
	q := bson.D{}
	if len(f.States) > 0 {
		q = append(q, bson.E{Key: "state", Value: bson.D{{Key: "$in", Value: f.States}}})
	}
	if f.FollowUpID != "" {
		q = append(q, bson.E{Key: "follow_up_id", Value: f.FollowUpID})
	}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		q = append(q, bson.E{Key: "$or", Value: bson.A{bson.D{{Key: "request_no", Value: re}},
			bson.D{{Key: "title", Value: re}}, bson.D{{Key: "enterprise_name", Value: re}}}})
	}
	return findPage[portal.Survey](ctx, s.coll(), q, bson.D{{Key: "remind_at", Value: 1}, {Key: "_id", Value: 1}}, f.Offset, f.Limit, "评价")
}
