package portaltest

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
)

// CST is the district's zone in the action item tests.
var CST = time.FixedZone("CST", 8*3600)

// WithActionItems builds the action item service on the world's stores,
// on the real working calendar with the default chasing ladder, and
// returns it; meetings are read from the "meetings" collection (see
// InsertMeeting).
func (w *World) WithActionItems(tb testing.TB) *portal.ActionItemService {
	tb.Helper()
	audit := &portal.Auditor{Store: w.Audit, Now: w.Requests.Now}
	cal := &portal.CalendarService{Store: mongostore.NewCalendarStore(w.DB), Audit: audit, Now: w.Requests.Now,
		Zone: CST, CacheFor: -1}
	return &portal.ActionItemService{Store: mongostore.NewActionItemStore(w.DB), Meetings: meetingReader{w.DB},
		Requests: w.Requests, Org: w.Requests.Org, Users: w.Users, Attachments: mongostore.NewAttachmentStore(w.DB),
		Notify: w.Notes, Audit: audit, Calendar: cal, Ladder: portal.DefaultLadder(), Log: w.Requests.Log,
		Now: w.Requests.Now, Zone: CST}
}

// meetingReader reads meetings straight from their collection, so that
// the action item tests need nothing of the meeting service.
type meetingReader struct{ db *mongostore.DB }

func (r meetingReader) FindMeetingByID(ctx context.Context, id string) (*portal.Meeting, error) {
	var m portal.Meeting
	err := r.db.Database().Collection("meetings").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, portal.Errorf(portal.ENOTFOUND, "会议不存在")
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// InsertMeeting stores meeting documents as the meeting store keeps them
// (collection "meetings", _id the meeting id).
func InsertMeeting(tb testing.TB, db *mongostore.DB, ms ...*portal.Meeting) {
	tb.Helper()
	for _, m := range ms {
		if m.Topics == nil {
			m.Topics = []portal.Topic{}
		}
		_, err := db.Database().Collection("meetings").InsertOne(context.Background(), m)
		Must(tb, err, "insert meeting %s", m.ID)
	}
}

// PortMeeting is a past joint meeting of chain-port attended by dept-trans
// and dept-hrss, held at at.
func PortMeeting(id string, at time.Time) *portal.Meeting {
	return &portal.Meeting{ID: id, Type: portal.MeetingJoint, Title: "港口物流产业链联席会议（" + id + "）", ChainID: "chain-port",
		ConvenerUnitID: "dept-trans", At: at.UTC(), Place: "区政府三楼会议室", DepartmentIDs: []string{"dept-trans", "dept-hrss"},
		EnterpriseIDs: []string{"ent-001"}, Agenda: "港区集疏运与用工", Minutes: "会议研究了港区集疏运和用工问题，形成议定事项。",
		CreatedByID: "u-committee", Version: 1, CreatedAt: at.UTC(), UpdatedAt: at.UTC()}
}

// JewelryMeeting is a past joint meeting of chain-jewelry attended by dept-miit.
func JewelryMeeting(id string, at time.Time) *portal.Meeting {
	m := PortMeeting(id, at)
	m.Title, m.ChainID, m.ConvenerUnitID = "黄金珠宝产业链联席会议（"+id+"）", "chain-jewelry", "dept-miit"
	m.DepartmentIDs, m.EnterpriseIDs = []string{"dept-miit"}, []string{"ent-002"}
	return m
}

// MeetingReader returns a portal.MeetingFinder reading db's "meetings"
// collection directly.
func MeetingReader(db *mongostore.DB) portal.MeetingFinder { return meetingReader{db} }
