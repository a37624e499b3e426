package portal_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// mtgZone is the district's zone.
var mtgZone = time.FixedZone("CST", 8*3600)

type mtgFixture struct {
	*portaltest.World
	now      time.Time
	Meetings *portal.MeetingService
	Visits   *portal.VisitService
}

func newMtgFixture(t *testing.T) *mtgFixture {
	t.Helper()
	f := &mtgFixture{now: reqClock}
	clock := func() time.Time { return f.now }
	f.World = portaltest.NewWorld(t, portaltest.DB(t), clock)
	audit := &portal.Auditor{Store: f.Audit, Now: clock}
	ents := mongostore.NewEnterpriseStore(f.DB)
	f.Meetings = &portal.MeetingService{Store: mongostore.NewMeetingStore(f.DB), Chains: mongostore.NewChainStore(f.DB),
		Org: mongostore.NewOrgStore(f.DB), Enterprises: ents, TaskForces: mongostore.NewTaskForceStore(f.DB),
		Requests: f.Requests, Audit: audit, Now: clock, Zone: mtgZone}
	f.Visits = &portal.VisitService{Store: mongostore.NewVisitStore(f.DB), Enterprises: ents, Requests: f.Requests,
		Audit: audit, Now: clock, Zone: mtgZone}
	return f
}

// local formats t as a datetime-local form value in the district's zone.
func local(t time.Time) string { return t.In(mtgZone).Format("2006-01-02T15:04") }

func portMeeting(at time.Time) portal.MeetingInput {
	return portal.MeetingInput{Type: portal.MeetingJoint, Title: "港口物流产业链联席会议", ChainID: "chain-port",
		ConvenerUnitID: "dept-trans", At: local(at), Place: "区政府三楼第一会议室",
		DepartmentIDs: []string{"dept-trans", "dept-hrss"}, EnterpriseIDs: []string{"ent-001", "ent-003"},
		Agenda: "一、通报上次会议议定事项落实情况；二、研究港区货车通行问题。"}
}

// create arranges a meeting as username and fails the test on error.
func (f *mtgFixture) create(t *testing.T, username string, in portal.MeetingInput) *portal.Meeting {
	t.Helper()
	m, err := f.Meetings.Create(f.As(t, username), in)
	portaltest.Must(t, err, "create meeting as %s", username)
	return m
}

// count returns how many documents coll holds.
func (f *mtgFixture) count(t *testing.T, coll string) int64 {
	t.Helper()
	n, err := f.DB.Database().Collection(coll).CountDocuments(context.Background(), bson.D{})
	portaltest.Must(t, err, "count %s", coll)
	return n
}

// audited reports whether the audit log holds action on object id.
func (f *mtgFixture) audited(t *testing.T, action, id string) bool {
	t.Helper()
	list, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: action, ObjectID: id, Outcome: portal.OutcomeOK, Limit: 10})
	portaltest.Must(t, err, "audit")
	return len(list) > 0
}

func mtgWant(t *testing.T, err error, code, what string) {
	t.Helper()
	if portal.ErrorCode(err) != code {
		t.Fatalf("%s: err = %v (fields %v), want %s", what, err, portal.ErrorFields(err), code)
	}
}

func TestMeetingLifecycle(t *testing.T) {
	f := newMtgFixture(t)
	m := f.create(t, "committee", portMeeting(f.now.AddDate(0, 0, 7)))
	if m.Version != 1 || m.CreatedByID != "u-committee" || len(m.Topics) != 0 || !f.audited(t, "meeting.create", m.ID) {
		t.Fatalf("created %+v", m)
	}

	// The committee moves the meeting to another room.
	place := "港务大厦 12 楼会议室"
	m, err := f.Meetings.Update(f.As(t, "committee"), m.ID, portal.MeetingUpdate{Place: &place, Version: 1})
	portaltest.Must(t, err, "update")
	if m.Place != place || m.Version != 2 || !f.audited(t, "meeting.update", m.ID) {
		t.Fatalf("updated %+v", m)
	}
	_, err = f.Meetings.Update(f.As(t, "committee"), m.ID, portal.MeetingUpdate{Place: &place, Version: 1})
	mtgWant(t, err, portal.ECONFLICT, "update on a stale version")

	// Before the meeting: the liaison links a request of the caseload, the
	// enterprise submits a topic of its own.
	r := (&reqFixture{World: f.World}).file(t, "liaison", func(in *portal.RequestInput) {
		in.EnterpriseID, in.Channel, in.SourceName = "ent-003", portal.ChannelVisit, "走访"
	})
	m, err = f.Meetings.AddTopic(f.As(t, "liaison"), m.ID, portal.TopicInput{RequestID: r.ID})
	portaltest.Must(t, err, "link a request")
	if got := m.Topics[0]; got.RequestID != r.ID || got.Title != r.Title || got.EnterpriseID != "ent-003" || got.SubmittedByID != "u-liaison" {
		t.Fatalf("linked topic %+v", got)
	}
	_, err = f.Meetings.AddTopic(f.As(t, "committee"), m.ID, portal.TopicInput{RequestID: r.ID})
	mtgWant(t, err, portal.EINVALID, "the same request twice")
	own, err := f.Meetings.AddTopic(f.As(t, "enterprise"), m.ID, portal.TopicInput{Title: "港区夜间货车通行证办理", Description: "夜间进港需要通行证，办理周期长。"})
	portaltest.Must(t, err, "enterprise topic")
	if len(own.Topics) != 1 || own.Topics[0].EnterpriseID != "ent-001" || len(own.EnterpriseIDs) != 0 {
		t.Fatalf("the enterprise sees other enterprises' topics or attendees: %+v", own)
	}
	_, err = f.Meetings.AddTopic(f.As(t, "enterprise"), m.ID, portal.TopicInput{RequestID: r.ID})
	mtgWant(t, err, portal.EINVALID, "an enterprise linking a request")
	_, err = f.Meetings.AddTopic(f.As(t, "handler"), m.ID, portal.TopicInput{Title: "部门想加的议题"})
	mtgWant(t, err, portal.EFORBIDDEN, "a department adding a topic")
	_, err = f.Meetings.RecordMinutes(f.As(t, "committee"), m.ID, portal.MinutesInput{Minutes: "会议尚未召开时写的纪要内容", Version: 3})
	mtgWant(t, err, portal.ECONFLICT, "minutes before the meeting")

	// After the meeting: no more topics; the committee records minutes.
	f.now = f.now.AddDate(0, 0, 8)
	_, err = f.Meetings.AddTopic(f.As(t, "liaison"), m.ID, portal.TopicInput{Title: "会后才想起来的议题"})
	mtgWant(t, err, portal.ECONFLICT, "a topic after the meeting")
	_, err = f.Meetings.Get(f.As(t, "enterprise"), m.ID)
	mtgWant(t, err, portal.ENOTFOUND, "the enterprise after the meeting")
	_, err = f.Meetings.RecordMinutes(f.As(t, "liaison"), m.ID, portal.MinutesInput{Minutes: "联络员写的纪要内容很长", Version: 4})
	mtgWant(t, err, portal.EFORBIDDEN, "minutes by a liaison")
	_, err = f.Meetings.RecordMinutes(f.As(t, "committee"), m.ID, portal.MinutesInput{Minutes: "太短", Version: 4})
	mtgWant(t, err, portal.EINVALID, "too short minutes")
	_, err = f.Meetings.RecordMinutes(f.As(t, "committee"), m.ID, portal.MinutesInput{Minutes: "会议纪要：一、港区货车通行证由区交通运输局牵头办理。"})
	mtgWant(t, err, portal.EINVALID, "minutes without a version")
	m, err = f.Meetings.RecordMinutes(f.As(t, "committee"), m.ID, portal.MinutesInput{Minutes: "会议纪要：一、港区货车通行证由区交通运输局牵头办理。", Version: 4})
	portaltest.Must(t, err, "minutes")
	if m.MinutesAt == nil || !m.MinutesAt.Equal(f.now) || m.Version != 5 || !f.audited(t, "meeting.minutes", m.ID) {
		t.Fatalf("minutes recorded as %+v", m)
	}
	got, err := f.Meetings.Get(f.As(t, "handler"), m.ID)
	portaltest.Must(t, err, "the attending department reads it")
	if !strings.Contains(got.Minutes, "通行证") || len(got.Topics) != 2 {
		t.Fatalf("the department reads %+v", got)
	}
}

func TestMeetingScoping(t *testing.T) {
	f := newMtgFixture(t)
	port := f.create(t, "committee", portMeeting(f.now.AddDate(0, 0, 3)))
	jin := portMeeting(f.now.AddDate(0, 0, -3))
	jin.Title, jin.ChainID, jin.ConvenerUnitID = "黄金珠宝产业微论坛", "chain-jewelry", "dept-miit"
	jin.Type, jin.DepartmentIDs, jin.EnterpriseIDs = portal.MeetingForum, []string{"dept-fin"}, []string{"ent-002"}
	jewelry := f.create(t, "liaison2", jin)

	sees := map[string][]string{
		"admin": {port.ID, jewelry.ID}, "dispatcher": {port.ID, jewelry.ID},
		"committee": {port.ID}, "liaison": {port.ID}, "liaison2": {jewelry.ID},
		"handler": {port.ID}, "depthead": {port.ID}, "handler-hrss": {port.ID}, "handler-fin": {jewelry.ID},
		"handler-miit": {jewelry.ID}, // convenes the forum
		"handler-samr": {}, "editor": {},
		"enterprise":  {port.ID}, // upcoming, of its chain
		"enterprise2": {},        // the jewellery forum is over
	}
	for user, want := range sees {
		t.Run(user, func(t *testing.T) {
			ctx := f.As(t, user)
			for _, m := range []*portal.Meeting{port, jewelry} {
				_, err := f.Meetings.Get(ctx, m.ID)
				if slices.Contains(want, m.ID) {
					portaltest.Must(t, err, "get %s", m.Title)
				} else {
					mtgWant(t, err, portal.ENOTFOUND, "get "+m.Title)
				}
			}
			page, err := f.Meetings.List(ctx, portal.MeetingQuery{})
			portaltest.Must(t, err, "list")
			var got []string
			for _, m := range page.Items {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) || page.Total != len(want) {
				t.Errorf("list = %v (total %d), want %v", got, page.Total, want)
			}
		})
	}

	// Changes outside one's chain: the committee of another chain does not
	// see the meeting (404); those who see it but may not change it get 403.
	place := "越权修改的地点"
	_, err := f.Meetings.Update(f.As(t, "committee"), jewelry.ID, portal.MeetingUpdate{Place: &place, Version: 1})
	mtgWant(t, err, portal.ENOTFOUND, "committee of another chain")
	for _, user := range []string{"dispatcher", "handler", "enterprise"} {
		_, err := f.Meetings.Update(f.As(t, user), port.ID, portal.MeetingUpdate{Place: &place, Version: 1})
		mtgWant(t, err, portal.EFORBIDDEN, user+" changing a meeting it sees")
	}
	_, err = f.Meetings.AddTopic(f.As(t, "enterprise2"), port.ID, portal.TopicInput{Title: "链外企业的议题"})
	mtgWant(t, err, portal.ENOTFOUND, "an enterprise outside the chain")
	_, err = f.Meetings.RecordMinutes(f.As(t, "committee"), jewelry.ID, portal.MinutesInput{Minutes: "越权记录的会议纪要内容", Version: 1})
	mtgWant(t, err, portal.ENOTFOUND, "minutes of another chain")
	for _, id := range []string{port.ID, jewelry.ID} {
		m, err := f.Meetings.Get(f.As(t, "admin"), id)
		portaltest.Must(t, err, "admin get")
		if m.Version != 1 || m.Minutes != "" || len(m.Topics) != 0 {
			t.Errorf("a refused change changed %s: %+v", m.Title, m)
		}
	}
	if f.audited(t, "meeting.update", port.ID) {
		t.Errorf("a refused update was audited as done")
	}
}

func TestMeetingBadInput(t *testing.T) {
	f := newMtgFixture(t)
	ctx := f.As(t, "committee")
	at := f.now.AddDate(0, 0, 5)
	for name, c := range map[string]struct {
		mod   func(*portal.MeetingInput)
		field string
		code  string
	}{
		"MissingType":          {func(in *portal.MeetingInput) { in.Type = "" }, "type", portal.EINVALID},
		"MissingTitle":         {func(in *portal.MeetingInput) { in.Title = " " }, "title", portal.EINVALID},
		"MissingChain":         {func(in *portal.MeetingInput) { in.ChainID = "" }, "chain_id", portal.EINVALID},
		"UnknownChain":         {func(in *portal.MeetingInput) { in.ChainID = "chain-moon" }, "chain_id", portal.EINVALID},
		"MissingPlace":         {func(in *portal.MeetingInput) { in.Place = "" }, "place", portal.EINVALID},
		"MissingDate":          {func(in *portal.MeetingInput) { in.At = "" }, "at", portal.EINVALID},
		"BadDate":              {func(in *portal.MeetingInput) { in.At = "下周三下午" }, "at", portal.EINVALID},
		"FarFuture":            {func(in *portal.MeetingInput) { in.At = local(f.now.AddDate(2, 0, 0)) }, "at", portal.EINVALID},
		"MissingConvener":      {func(in *portal.MeetingInput) { in.ConvenerUnitID = "" }, "convener_unit_id", portal.EINVALID},
		"ConvenerNotAUnit":     {func(in *portal.MeetingInput) { in.ConvenerUnitID = "u-handler" }, "convener_unit_id", portal.EINVALID},
		"AttendeeNotAUnit":     {func(in *portal.MeetingInput) { in.DepartmentIDs = []string{"dept-trans", "u-handler"} }, "department_ids", portal.EINVALID},
		"AttendeeIsTheRoot":    {func(in *portal.MeetingInput) { in.DepartmentIDs = []string{"district"} }, "department_ids", portal.EINVALID},
		"EnterpriseOtherChain": {func(in *portal.MeetingInput) { in.EnterpriseIDs = []string{"ent-001", "ent-002"} }, "enterprise_ids", portal.EINVALID},
		"EnterpriseUnknown":    {func(in *portal.MeetingInput) { in.EnterpriseIDs = []string{"ent-999"} }, "enterprise_ids", portal.EINVALID},
		"ControlCharacters":    {func(in *portal.MeetingInput) { in.Agenda = "议程\x00隐藏" }, "agenda", portal.EINVALID},
		"OtherChainCommittee":  {func(in *portal.MeetingInput) { in.ChainID, in.EnterpriseIDs = "chain-jewelry", nil }, "", portal.EFORBIDDEN},
	} {
		t.Run(name, func(t *testing.T) {
			in := portMeeting(at)
			c.mod(&in)
			_, err := f.Meetings.Create(ctx, in)
			mtgWant(t, err, c.code, name)
			if _, ok := portal.ErrorFields(err)[c.field]; c.field != "" && !ok {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), c.field)
			}
		})
	}
	for _, user := range []string{"dispatcher", "handler", "enterprise", "editor"} {
		_, err := f.Meetings.Create(f.As(t, user), portMeeting(at))
		mtgWant(t, err, portal.EFORBIDDEN, user+" arranging a meeting")
	}
	if n := f.count(t, "meetings"); n != 0 {
		t.Fatalf("bad input stored %d meetings", n)
	}

	// A past meeting may be recorded after the fact.
	m := f.create(t, "liaison", portMeeting(f.now.AddDate(0, -1, 0)))
	bad := []string{"dept-trans", "nope"}
	_, err := f.Meetings.Update(ctx, m.ID, portal.MeetingUpdate{DepartmentIDs: &bad, Version: 1})
	mtgWant(t, err, portal.EINVALID, "update with an unknown unit")
	_, err = f.Meetings.Update(ctx, m.ID, portal.MeetingUpdate{Version: 1})
	mtgWant(t, err, portal.EINVALID, "an empty update")
	title := "改过的会议名称"
	_, err = f.Meetings.Update(ctx, m.ID, portal.MeetingUpdate{Title: &title})
	mtgWant(t, err, portal.EINVALID, "an update without a version")
	got, _ := f.Meetings.Get(ctx, m.ID)
	if got.Version != 1 || got.Title != m.Title || len(got.DepartmentIDs) != 2 {
		t.Fatalf("refused updates changed the meeting: %+v", got)
	}
	_, err = f.Meetings.List(ctx, portal.MeetingQuery{Type: "party", From: "yesterday", Upcoming: "maybe"})
	mtgWant(t, err, portal.EINVALID, "bad list filters")
	if fl := portal.ErrorFields(err); fl["type"] == "" || fl["from"] == "" || fl["upcoming"] == "" {
		t.Errorf("list filter errors %v", fl)
	}
}

func TestMeetingListUpcomingFirst(t *testing.T) {
	f := newMtgFixture(t)
	var ids []string
	for _, days := range []int{-20, 10, -5, 3, 30} {
		in := portMeeting(f.now.AddDate(0, 0, days))
		ids = append(ids, f.create(t, "committee", in).ID)
	}
	// Upcoming soonest first (3, 10, 30), then held latest first (-5, -20).
	want := []string{ids[3], ids[1], ids[4], ids[2], ids[0]}
	ctx := f.As(t, "committee")
	var got []string
	for page := 1; page <= 3; page++ {
		p, err := f.Meetings.List(ctx, portal.MeetingQuery{Page: page, PerPage: 2})
		portaltest.Must(t, err, "page %d", page)
		if p.Total != 5 || p.Pages() != 3 {
			t.Fatalf("page %d: total %d pages %d", page, p.Total, p.Pages())
		}
		for _, m := range p.Items {
			got = append(got, m.ID)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	up, err := f.Meetings.List(ctx, portal.MeetingQuery{Upcoming: "true"})
	portaltest.Must(t, err, "upcoming")
	held, err := f.Meetings.List(ctx, portal.MeetingQuery{Upcoming: "false"})
	portaltest.Must(t, err, "held")
	if up.Total != 3 || held.Total != 2 || held.Items[0].ID != ids[2] {
		t.Fatalf("upcoming %d, held %d", up.Total, held.Total)
	}
	day := f.now.In(mtgZone).AddDate(0, 0, 3).Format("2006-01-02")
	one, err := f.Meetings.List(ctx, portal.MeetingQuery{From: day, To: day})
	portaltest.Must(t, err, "one day")
	if one.Total != 1 || one.Items[0].ID != ids[3] {
		t.Fatalf("the day %s lists %d meetings", day, one.Total)
	}
}

func TestMeetingRaisedRequests(t *testing.T) {
	f := newMtgFixture(t)
	m := f.create(t, "committee", portMeeting(f.now.AddDate(0, 0, -1)))
	rf := &reqFixture{World: f.World}
	raised := rf.file(t, "liaison", func(in *portal.RequestInput) {
		in.EnterpriseID, in.Channel, in.SourceID, in.SourceName = "ent-001", m.Type.Channel(), m.ID, m.Title
	})
	rf.file(t, "liaison", func(in *portal.RequestInput) { in.EnterpriseID = "ent-001"; in.Channel = portal.ChannelPhone })
	page, err := f.Meetings.Raised(f.As(t, "committee"), m.ID, 1, 20)
	portaltest.Must(t, err, "raised")
	if page.Total != 1 || page.Items[0].ID != raised.ID || page.Items[0].Channel != portal.ChannelJointMeeting {
		t.Fatalf("raised at the meeting: %d", page.Total)
	}
	_, err = f.Meetings.Raised(f.As(t, "liaison2"), m.ID, 1, 20)
	mtgWant(t, err, portal.ENOTFOUND, "raised requests of a meeting one cannot see")
	items, err := f.Meetings.ActionItems(f.As(t, "committee"), m.ID)
	portaltest.Must(t, err, "action items without a lister")
	if items != nil {
		t.Fatalf("action items without a lister: %v", items)
	}
}

// TestMeetingSourceChecked: with the meeting service checking sources, a
// request names as its source only a meeting the filer sees and of its
// channel; anything else is refused with the field named and nothing stored.
func TestMeetingSourceChecked(t *testing.T) {
	f := newMtgFixture(t)
	f.Requests.Sources = f.Meetings
	port := f.create(t, "committee", portMeeting(f.now.AddDate(0, 0, -1)))
	jewelry := portMeeting(f.now.AddDate(0, 0, -2))
	jewelry.ChainID, jewelry.Title, jewelry.EnterpriseIDs = "chain-jewelry", "黄金珠宝产业链联席会议", nil
	other := f.create(t, "admin", jewelry)
	rf := &reqFixture{World: f.World}
	raised := rf.file(t, "liaison", func(in *portal.RequestInput) {
		in.EnterpriseID, in.Channel, in.SourceID, in.SourceName = "ent-001", portal.ChannelJointMeeting, port.ID, port.Title
	})
	if raised.Source == nil || raised.Source.ID != port.ID {
		t.Fatalf("raised at a visible meeting: source %+v", raised.Source)
	}
	before := f.count(t, "requests")
	for _, c := range []struct{ name, channel, id, want string }{
		{"a meeting the liaison cannot see", string(portal.ChannelJointMeeting), other.ID, "来源会议不存在"},
		{"no such meeting", string(portal.ChannelJointMeeting), "mtg-nowhere", "来源会议不存在"},
		{"a joint meeting named as a micro-forum", string(portal.ChannelMicroForum), port.ID, "渠道应为“联席会议”"},
	} {
		in := goodInput()
		in.EnterpriseID, in.Channel, in.SourceID, in.SourceName = "ent-001", portal.Channel(c.channel), c.id, "某次会议"
		_, err := f.Requests.File(f.As(t, "liaison"), in, nil)
		var e *portal.Error
		if !errors.As(err, &e) || e.Code != portal.EINVALID || !strings.Contains(e.Fields["source_id"], c.want) {
			t.Errorf("%s: got %v, want source_id %q", c.name, err, c.want)
		}
	}
	if n := f.count(t, "requests"); n != before {
		t.Errorf("refused filings stored %d requests", n-before)
	}
}
