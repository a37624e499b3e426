package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// MeetingStore persists meetings in the meetings collection.
type MeetingStore struct{ db *DB }

var _ portal.MeetingStore = (*MeetingStore)(nil)

// NewMeetingStore returns the meeting store of db.
func NewMeetingStore(db *DB) *MeetingStore { return &MeetingStore{db: db} }

func (s *MeetingStore) coll() *mongo.Collection { return s.db.db.Collection("meetings") }

// CreateMeeting stores a new meeting.
func (s *MeetingStore) CreateMeeting(ctx context.Context, m *portal.Meeting) error {
	_, err := s.coll().InsertOne(ctx, m)
	return translate(err, "会议")
}

// FindMeetingByID returns the meeting with id.
func (s *MeetingStore) FindMeetingByID(ctx context.Context, id string) (*portal.Meeting, error) {
	var m portal.Meeting
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m); err != nil {
		return nil, translate(err, "会议")
	}
	return &m, nil
}

// FindMeetings returns one page of the matching meetings, without their
// minutes, latest first (or soonest first), and the total.
func (s *MeetingStore) FindMeetings(ctx context.Context, f portal.MeetingFilter) ([]*portal.Meeting, int, error) {
	sort := bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: 1}}
	if f.Soonest {
		sort = bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}
	}
	return findProjectedPage[portal.Meeting](ctx, s.coll(), meetingQuery(f), sort, bson.D{{Key: "minutes", Value: 0}}, f.Offset, f.Limit, "会议")
}

// meetingQuery turns a filter into a query document, every condition a
// clause of one $and so that $or clauses can sit side by side.
func meetingQuery(f portal.MeetingFilter) bson.D {
	and := bson.A{}
	add := func(k string, v any) { and = append(and, bson.D{{Key: k, Value: v}}) }
	if f.AnyOf != nil {
		or := bson.A{}
		for _, c := range f.AnyOf {
			if d := meetingScopeClause(c); d != nil {
				or = append(or, d)
			}
		}
		if len(or) == 0 {
			add("_id", bson.D{{Key: "$in", Value: bson.A{}}})
		} else {
			add("$or", or)
		}
	}
	if f.ChainID != "" {
		add("chain_id", f.ChainID)
	}
	if f.Type != "" {
		add("type", f.Type)
	}
	if f.AtFrom != nil {
		add("at", bson.D{{Key: "$gte", Value: *f.AtFrom}})
	}
	if f.AtTo != nil {
		add("at", bson.D{{Key: "$lt", Value: *f.AtTo}})
	}
	if f.Q != "" {
		re := bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}
		add("$or", bson.A{bson.D{{Key: "title", Value: re}}, bson.D{{Key: "place", Value: re}}})
	}
	if len(and) == 0 {
		return bson.D{}
	}
	return bson.D{{Key: "$and", Value: and}}
}

// meetingScopeClause is one scope clause as a query; nil for a clause
// without conditions, which must not widen the scope to everything.
func meetingScopeClause(c portal.MeetingScope) bson.D {
	if c.ChainIn == nil && c.UnitID == "" {
		return nil
	}
	d := bson.D{}
	if c.ChainIn != nil {
		d = append(d, bson.E{Key: "chain_id", Value: bson.D{{Key: "$in", Value: c.ChainIn}}})
	}
	if c.UnitID != "" {
		d = append(d, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "department_ids", Value: c.UnitID}},
			bson.D{{Key: "convener_unit_id", Value: c.UnitID}},
		}})
	}
	if c.AtFrom != nil {
		d = append(d, bson.E{Key: "at", Value: bson.D{{Key: "$gte", Value: *c.AtFrom}}})
	}
	return d
}

// UpdateMeeting replaces the stored meeting with m if its version is still
// version, and bumps m.Version. The claim on "meetings:<id>:<version>"
// makes exactly one of several racing writers win, also on FerretDB,
// whose conditional updates are not atomic.
func (s *MeetingStore) UpdateMeeting(ctx context.Context, m *portal.Meeting, version int) error {
	conflict := portal.Errorf(portal.ECONFLICT, "会议刚被他人修改，请刷新后重试")
	if err := ClaimVersion(ctx, s.db.db, "meetings", m.ID, version); err != nil {
		if portal.IsCode(err, portal.ECONFLICT) {
			return conflict
		}
		return err
	}
	var stored struct {
		Version int `bson:"version"`
	}
	err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: m.ID}},
		options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&stored)
	if err != nil {
		return translate(err, "会议")
	}
	if stored.Version != version {
		return conflict
	}
	m.Version = version + 1
	res, err := s.coll().ReplaceOne(ctx, bson.D{{Key: "_id", Value: m.ID}}, m)
	if err != nil {
		m.Version = version
		return translate(err, "会议")
	}
	if res.MatchedCount == 0 {
		m.Version = version
		return conflict
	}
	return nil
}

// VisitStore persists company visits in the visits collection.
type VisitStore struct{ db *DB }

var _ portal.VisitStore = (*VisitStore)(nil)

// NewVisitStore returns the visit store of db.
func NewVisitStore(db *DB) *VisitStore { return &VisitStore{db: db} }

func (s *VisitStore) coll() *mongo.Collection { return s.db.db.Collection("visits") }

// CreateVisit stores a new visit.
func (s *VisitStore) CreateVisit(ctx context.Context, v *portal.Visit) error {
	_, err := s.coll().InsertOne(ctx, v)
	return translate(err, "走访记录")
}

// FindVisitByID returns the visit with id.
func (s *VisitStore) FindVisitByID(ctx context.Context, id string) (*portal.Visit, error) {
	var v portal.Visit
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&v); err != nil {
		return nil, translate(err, "走访记录")
	}
	return &v, nil
}

// FindVisits returns one page of the matching visits, latest first, and the total.
func (s *VisitStore) FindVisits(ctx context.Context, f portal.VisitFilter) ([]*portal.Visit, int, error) {
	q := bson.D{}
	if f.LiaisonID != "" {
		q = append(q, bson.E{Key: "liaison_id", Value: f.LiaisonID})
	}
	if f.EnterpriseID != "" {
		q = append(q, bson.E{Key: "enterprise_id", Value: f.EnterpriseID})
	}
	if f.Q != "" {
		q = append(q, bson.E{Key: "enterprise_name", Value: bson.Regex{Pattern: regexpQuote(f.Q), Options: "i"}})
	}
	return findPage[portal.Visit](ctx, s.coll(), q, bson.D{{Key: "at", Value: -1}, {Key: "created_at", Value: -1}, {Key: "_id", Value: 1}},
		f.Offset, f.Limit, "走访记录")
}

// meetingIndexes serve the meeting list per chain by date, the department
// scope, the visit lists per liaison and per enterprise, and the requests
// raised at a meeting or visit.
func meetingIndexes(ctx context.Context, db *mongo.Database) error {
	if err := ensureIndexes(ctx, db.Collection("meetings"),
		mongo.IndexModel{Keys: bson.D{{Key: "chain_id", Value: 1}, {Key: "at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "department_ids", Value: 1}}},
	); err != nil {
		return err
	}
	if err := ensureIndexes(ctx, db.Collection("visits"),
		mongo.IndexModel{Keys: bson.D{{Key: "liaison_id", Value: 1}, {Key: "at", Value: -1}}},
		mongo.IndexModel{Keys: bson.D{{Key: "enterprise_id", Value: 1}, {Key: "at", Value: -1}}},
	); err != nil {
		return err
	}
	return ensureIndexes(ctx, db.Collection("requests"),
		mongo.IndexModel{Keys: bson.D{{Key: "source.id", Value: 1}, {Key: "created_at", Value: -1}}})
}
