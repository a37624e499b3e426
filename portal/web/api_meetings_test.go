package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// testMeetingServices builds the meeting and visit services on db in
// the district's zone (UTC+8).
func testMeetingServices(db *mongostore.DB, reqs *portal.RequestService, audit *portal.Auditor, now func() time.Time) (*portal.MeetingService, *portal.VisitService) {
	ents := mongostore.NewEnterpriseStore(db)
	return &portal.MeetingService{Store: mongostore.NewMeetingStore(db), Chains: mongostore.NewChainStore(db),
			Org: mongostore.NewOrgStore(db), Enterprises: ents, TaskForces: mongostore.NewTaskForceStore(db),
			Requests: reqs, Audit: audit, Now: now, Zone: districtTZ},
		&portal.VisitService{Store: mongostore.NewVisitStore(db), Enterprises: ents, Requests: reqs, Audit: audit,
			Now: now, Zone: districtTZ}
}

// mtgObjects are the meetings and visits of one authorization fixture.
type mtgObjects struct {
	once sync.Once
	ids  map[string]string // "meeting:port", "visit:jewelry", … → id
}

var authzMeetingObjects sync.Map // *authzFixture → *mtgObjects

// resolveMeeting resolves $meeting (an upcoming meeting of the actor's
// side: port, or jewellery for enterprise2 and liaison2) and $visit (the
// actor's own visit: liaison2's for liaison2, liaison's for everyone else).
func (f *authzFixture) resolveMeeting(t *testing.T, kind, actor, object string) (string, bool) {
	t.Helper()
	if kind != "meeting" && kind != "visit" {
		return "", false
	}
	v, _ := authzMeetingObjects.LoadOrStore(f, &mtgObjects{})
	objs := v.(*mtgObjects)
	objs.once.Do(func() { objs.ids = f.seedMeetings(t) })
	side, other := "port", "jewelry"
	if actor == "enterprise2" || actor == "liaison2" {
		side, other = other, side
	}
	if object == "other" {
		side = other
	}
	return objs.ids[kind+":"+side], true
}

// seedMeetings arranges an upcoming meeting on each side and records a
// visit of each liaison.
func (f *authzFixture) seedMeetings(t *testing.T) map[string]string {
	t.Helper()
	ids := map[string]string{}
	at := time.Now().In(districtTZ).AddDate(0, 0, 7).Format("2006-01-02T15:04")
	for side, in := range map[string]portal.MeetingInput{
		"port": {Type: portal.MeetingJoint, Title: "矩阵港口物流联席会议", ChainID: "chain-port", ConvenerUnitID: "dept-trans", At: at,
			Place: "区政府三楼会议室", DepartmentIDs: []string{"dept-trans"}, EnterpriseIDs: []string{"ent-001"}},
		"jewelry": {Type: portal.MeetingForum, Title: "矩阵黄金珠宝微论坛", ChainID: "chain-jewelry", ConvenerUnitID: "dept-miit", At: at,
			Place: "水贝珠宝大厦", DepartmentIDs: []string{"dept-miit"}, EnterpriseIDs: []string{"ent-002"}},
	} {
		m, err := f.srv.opt.Meetings.Create(f.authzAs(t, "admin", ""), in)
		portaltest.Must(t, err, "meeting %s", side)
		ids["meeting:"+side] = m.ID
	}
	today := time.Now().In(districtTZ).Format("2006-01-02")
	for side, x := range map[string][2]string{"port": {"liaison", "ent-001"}, "jewelry": {"liaison2", "ent-002"}} {
		v, err := f.srv.opt.Visits.Record(f.authzAs(t, x[0], ""), portal.VisitInput{EnterpriseID: x[1], At: today, PeopleMet: "矩阵走访见到的人"})
		portaltest.Must(t, err, "visit %s", side)
		ids["visit:"+side] = v.ID
	}
	return ids
}

// authzMeetingTable is the matrix of the meeting and visit routes.
func authzMeetingTable(t *testing.T) map[string]authzRoute {
	t.Helper()
	const (
		ok, created, bad    = http.StatusOK, http.StatusCreated, http.StatusBadRequest
		forbidden, notFound = http.StatusForbidden, http.StatusNotFound
		conflict            = http.StatusConflict
		visitPeople         = "越权走访见到的人"
	)
	empty := map[string]any{}
	at := time.Now().In(districtTZ).AddDate(0, 0, 10).Format("2006-01-02T15:04")
	refusedMeeting := map[string]any{"type": "joint_meeting", "title": "越权安排的会议", "chain_id": "chain-port",
		"convener_unit_id": "dept-trans", "at": at, "place": "区政府三楼会议室"}
	goodMeeting := map[string]any{"type": "symposium", "title": "矩阵港口物流座谈会", "chain_id": "chain-port",
		"convener_unit_id": "dept-trans", "at": at, "place": "区政府三楼会议室", "department_ids": []string{"dept-trans"}}
	today := time.Now().In(districtTZ).Format("2006-01-02")
	// Who sees the own meeting: its side's enterprise, liaison and
	// committee, the attending department; dispatchers and admins both.
	sees := func(m authzBy[int]) authzBy[int] {
		out := authzBy[int]{"*": notFound, "dispatcher": forbidden, "admin": forbidden}
		for _, a := range []string{"enterprise", "enterprise2", "liaison", "liaison2", "committee", "handler", "depthead"} {
			out[a+"/own"] = forbidden
		}
		for k, v := range m {
			out[k] = v
		}
		return authzSignedIn(out)
	}
	visitors := func(m authzBy[int]) authzBy[int] {
		out := authzBy[int]{"*": forbidden}
		for k, v := range m {
			out[k] = v
		}
		return authzSignedIn(out)
	}
	// The lists name no object, so their rows seed the fixture's meetings
	// and visits first through a body that sends nothing.
	seeded := authzBy[any]{"*": authzBodyFunc(func(t *testing.T, f *authzFixture) any {
		f.resolveMeeting(t, "meeting", "admin", "own")
		return nil
	})}
	return map[string]authzRoute{
		"GET /api/v1/meetings": {want: authzSignedIn(authzBy[int]{"*": ok}), body: seeded,
			has:   authzBy[[]string]{"*": nil, "committee": {"矩阵港口物流联席会议"}, "liaison2": {"矩阵黄金珠宝微论坛"}, "admin": {"矩阵港口物流联席会议", "矩阵黄金珠宝微论坛"}},
			lacks: authzBy[[]string]{"*": nil, "committee": {"矩阵黄金珠宝微论坛"}, "liaison2": {"矩阵港口物流联席会议"}, "editor": {"矩阵"}, "handler": {"矩阵黄金珠宝微论坛"}}},
		// Committee members and liaisons arrange meetings of their chains
		// (empty bodies: 400); liaison2 does not serve the port chain.
		"POST /api/v1/meetings": {
			want: authzSignedIn(authzBy[int]{"*": forbidden, "committee": bad, "liaison": bad, "admin": created}),
			body: authzBy[any]{"*": refusedMeeting, "committee": empty, "liaison": empty, "admin": goodMeeting},
		},
		"GET /api/v1/meetings/:id": {id: "$meeting",
			want: sees(authzBy[int]{"*/own": notFound, "editor/own": notFound, "dispatcher": ok, "admin": ok,
				"enterprise/own": ok, "enterprise2/own": ok, "liaison/own": ok, "liaison2/own": ok, "committee/own": ok,
				"handler/own": ok, "depthead/own": ok})},
		// Those who may change the meeting send no version (400); those who
		// see it but may not change it are refused with a change that would work.
		"PATCH /api/v1/meetings/:id": {id: "$meeting",
			want: sees(authzBy[int]{"admin": bad, "liaison/own": bad, "liaison2/own": bad, "committee/own": bad}),
			body: authzBy[any]{"*": map[string]any{"title": "越权修改的会议名称", "version": 1},
				"admin": map[string]any{"title": "矩阵改名"}, "liaison/own": empty, "liaison2/own": empty, "committee/own": empty},
		},
		// Before the meeting: staff of the chain and its enterprises add
		// topics (an empty one: 400), the admin a real one.
		"POST /api/v1/meetings/:id/topics": {id: "$meeting",
			want: sees(authzBy[int]{"admin/own": created, "admin/other": bad, "liaison/own": bad, "liaison2/own": bad,
				"committee/own": bad, "enterprise/own": bad, "enterprise2/own": bad}),
			body: authzBy[any]{"*": map[string]any{"title": "越权提交的议题"}, "admin/own": map[string]any{"title": "矩阵议题：港区通行"},
				"admin/other": empty, "liaison/own": empty, "liaison2/own": empty, "committee/own": empty,
				"enterprise/own": empty, "enterprise2/own": empty},
			has: authzBy[[]string]{"*": nil, "admin/own": {"矩阵议题：港区通行"}},
		},
		// Minutes: the chain's committee and admins, once the meeting is
		// held; the fixture's meetings are still to come (409).
		"PUT /api/v1/meetings/:id/minutes": {id: "$meeting",
			want: sees(authzBy[int]{"admin": conflict, "committee/own": conflict}),
			body: authzBy[any]{"*": map[string]any{"minutes": "越权记录的会议纪要内容", "version": 1}},
		},
		"GET /api/v1/visits": {want: visitors(authzBy[int]{"liaison": ok, "liaison2": ok, "dispatcher": ok, "admin": ok}), body: seeded,
			has:   authzBy[[]string]{"*": nil, "liaison": {"ent-001"}, "liaison2": {"ent-002"}, "admin": {"ent-001", "ent-002"}},
			lacks: authzBy[[]string]{"*": nil, "liaison": {"ent-002"}, "liaison2": {"ent-001"}}},
		"POST /api/v1/visits": {
			want: visitors(authzBy[int]{"liaison": bad, "liaison2": bad, "dispatcher": bad, "admin": created}),
			body: authzBy[any]{"*": map[string]any{"enterprise_id": "ent-001", "at": today, "people_met": visitPeople},
				"liaison": empty, "liaison2": empty, "dispatcher": empty,
				"admin": map[string]any{"enterprise_id": "ent-012", "at": today, "people_met": "许诺（总经理）"}},
			after: authzBy[func(*testing.T, *authzFixture)]{"*": authzNoRefusedVisit},
		},
		"GET /api/v1/visits/:id": {id: "$visit",
			want: visitors(authzBy[int]{"liaison/own": ok, "liaison/other": notFound, "liaison2/own": ok, "liaison2/other": notFound,
				"dispatcher": ok, "admin": ok})},
	}
}

// authzNoRefusedVisit fails when a refused visit was stored.
func authzNoRefusedVisit(t *testing.T, f *authzFixture) {
	t.Helper()
	n, err := f.db.Database().Collection("visits").CountDocuments(context.Background(), bson.D{{Key: "people_met", Value: "越权走访见到的人"}})
	portaltest.Must(t, err, "count visits")
	if n > 0 {
		t.Errorf("a refused visit was stored")
	}
}

// mtgServer is the request page server with the meeting and visit services.
type mtgServer struct {
	*reqPageServer
	meetings *portal.MeetingService
	visits   *portal.VisitService
}

func newMtgServer(t *testing.T) *mtgServer {
	t.Helper()
	ts := &mtgServer{reqPageServer: newReqPageServer(t)}
	ts.meetings, ts.visits = testMeetingServices(ts.db, ts.reqs, ts.reqs.Audit, ts.reqs.Now)
	ts.opt.Meetings, ts.opt.Visits = ts.meetings, ts.visits
	return ts
}

// count returns how many documents coll holds.
func (ts *mtgServer) countDocs(t *testing.T, coll string) int64 {
	t.Helper()
	n, err := ts.db.Database().Collection(coll).CountDocuments(context.Background(), bson.D{})
	portaltest.Must(t, err, "count %s", coll)
	return n
}

// meeting arranges a meeting of chain-port days from the clock as username.
func (ts *mtgServer) meeting(t *testing.T, username string, days int, title string) *portal.Meeting {
	t.Helper()
	m, err := ts.meetings.Create(ts.as(t, username), portal.MeetingInput{Type: portal.MeetingJoint, Title: title, ChainID: "chain-port",
		ConvenerUnitID: "dept-trans", At: ts.clock.AddDate(0, 0, days).In(districtTZ).Format("2006-01-02T15:04"), Place: "区政府三楼会议室",
		DepartmentIDs: []string{"dept-trans"}, EnterpriseIDs: []string{"ent-001"}})
	portaltest.Must(t, err, "meeting")
	return m
}

func TestMeetingAPI(t *testing.T) {
	ts := newMtgServer(t)
	at := ts.clock.AddDate(0, 0, 5).In(districtTZ).Format("2006-01-02T15:04")
	good := map[string]any{"type": "joint_meeting", "title": "港口物流产业链联席会议", "chain_id": "chain-port",
		"convener_unit_id": "dept-trans", "at": at, "place": "区政府三楼第一会议室", "department_ids": []string{"dept-trans", "dept-hrss"},
		"enterprise_ids": []string{"ent-001"}, "agenda": "研究港区货车通行问题"}
	with := func(k string, v any) map[string]any {
		out := map[string]any{}
		for key, val := range good {
			out[key] = val
		}
		out[k] = v
		return out
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "unknown field", Method: "POST", Path: "/api/v1/meetings", Actor: "committee", Body: with("chain", "chain-port"), Status: 400,
			Contains: []string{"未知字段 chain"}},
		{Name: "missing fields", Method: "POST", Path: "/api/v1/meetings", Actor: "committee", Body: map[string]any{}, Status: 400,
			Contains: []string{`"type":`, `"title":`, `"chain_id":`, `"at":`, `"place":`, `"convener_unit_id":`}},
		{Name: "unknown chain", Method: "POST", Path: "/api/v1/meetings", Actor: "admin", Body: with("chain_id", "chain-moon"), Status: 400,
			Contains: []string{`"chain_id":"产业链不存在"`}},
		{Name: "attending unit that is no org unit", Method: "POST", Path: "/api/v1/meetings", Actor: "committee",
			Body: with("department_ids", []string{"u-handler"}), Status: 400, Contains: []string{`"department_ids":"参会单位“u-handler”不是本区的部门或单位"`}},
		{Name: "enterprise outside the chain", Method: "POST", Path: "/api/v1/meetings", Actor: "committee",
			Body: with("enterprise_ids", []string{"ent-002"}), Status: 400, Contains: []string{`"enterprise_ids":`, "不属于本产业链"}},
		{Name: "bad date", Method: "POST", Path: "/api/v1/meetings", Actor: "committee", Body: with("at", "明天下午"), Status: 400,
			Contains: []string{`"at":"请填写会议时间`}},
		{Name: "other chain", Method: "POST", Path: "/api/v1/meetings", Actor: "committee",
			Body: with("chain_id", "chain-jewelry"), Status: 403, Contains: []string{"只能为本产业链"}},
	})
	if n := ts.countDocs(t, "meetings"); n != 0 {
		t.Fatalf("bad input stored %d meetings", n)
	}

	var m portal.Meeting
	res := ts.runner().Do(t, portaltest.Scenario{Method: "POST", Path: "/api/v1/meetings", Actor: "committee", Body: good})
	if res.Code != http.StatusCreated || res.Header().Get("Location") == "" {
		t.Fatalf("create: %d %s", res.Code, res.Body.String())
	}
	portaltest.DecodeJSON(t, res, &m)
	p := "/api/v1/meetings/" + m.ID
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "list upcoming", Method: "GET", Path: "/api/v1/meetings?upcoming=true&chain=chain-port", Actor: "liaison", Status: 200,
			Contains: []string{`"total":1`, m.ID}},
		{Name: "list filter names the bad one", Method: "GET", Path: "/api/v1/meetings?type=party&from=x", Actor: "liaison", Status: 400,
			Contains: []string{`"type":`, `"from":`}},
		{Name: "patch", Method: "PATCH", Path: p, Actor: "committee", Body: map[string]any{"place": "港务大厦", "version": 1}, Status: 200,
			Contains: []string{`"place":"港务大厦"`, `"version":2`}},
		{Name: "patch a stale version", Method: "PATCH", Path: p, Actor: "committee", Body: map[string]any{"place": "旧地点", "version": 1},
			Status: 409, Contains: []string{`"version":"2"`}},
		{Name: "patch the chain", Method: "PATCH", Path: p, Actor: "committee", Body: map[string]any{"chain_id": "chain-jewelry", "version": 2},
			Status: 400, Contains: []string{"未知字段 chain_id"}},
		{Name: "enterprise topic", Method: "POST", Path: p + "/topics", Actor: "enterprise",
			Body: map[string]any{"title": "港区夜间货车通行证办理周期长"}, Status: 201, Contains: []string{"海湾国际物流有限公司"},
			NotContains: []string{`"enterprise_ids":["ent-001"]`}},
		{Name: "enterprise outside the chain", Method: "POST", Path: p + "/topics", Actor: "enterprise2",
			Body: map[string]any{"title": "链外企业的议题"}, Status: 404},
		{Name: "minutes before the meeting", Method: "PUT", Path: p + "/minutes", Actor: "committee",
			Body: map[string]any{"minutes": "会前不能记录的会议纪要", "version": 3}, Status: 409, Contains: []string{"尚未召开"}},
		{Name: "get", Method: "GET", Path: p, Actor: "handler", Status: 200, Contains: []string{"港务大厦", "港区夜间货车通行证"}},
	})
	ts.clock = ts.clock.AddDate(0, 0, 6)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "topic after the meeting", Method: "POST", Path: p + "/topics", Actor: "liaison",
			Body: map[string]any{"title": "会后才想起来的议题"}, Status: 409},
		{Name: "enterprise after the meeting", Method: "GET", Path: p, Actor: "enterprise", Status: 404},
		{Name: "minutes", Method: "PUT", Path: p + "/minutes", Actor: "committee",
			Body: map[string]any{"minutes": "一、港区夜间通行证由区交通运输局牵头，一个月内压缩办理时限。", "version": 3}, Status: 200,
			Contains: []string{`"minutes_at":`, `"version":4`}},
	})
}

func TestVisitAPI(t *testing.T) {
	ts := newMtgServer(t)
	today := ts.clock.In(districtTZ).Format("2006-01-02")
	raised := func(title string) map[string]any {
		return map[string]any{"title": title, "category": "traffic", "type": "help",
			"description": "企业反映港区周边货车夜间通行受限，希望协调办理通行证。"}
	}
	good := map[string]any{"enterprise_id": "ent-001", "at": today, "people_met": "陈海燕（行政总监）", "notes": "经营正常",
		"requests": []any{raised("港区货车夜间通行证办理"), raised("港前路增设货车停车位")}}
	bad := map[string]any{"enterprise_id": "ent-001", "at": today, "people_met": "陈海燕（行政总监）",
		"requests": []any{raised("港区货车夜间通行证办理"), raised("短")}}
	future := map[string]any{"enterprise_id": "ent-001", "at": ts.clock.AddDate(0, 0, 2).In(districtTZ).Format("2006-01-02"), "people_met": "陈海燕"}
	foreign := map[string]any{"enterprise_id": "ent-002", "at": today, "people_met": "李金凤"}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "an invalid raised request stores nothing", Method: "POST", Path: "/api/v1/visits", Actor: "liaison", Body: bad, Status: 400,
			Contains: []string{`"requests.1.title":"诉求标题至少 4 个字"`}},
		{Name: "future date", Method: "POST", Path: "/api/v1/visits", Actor: "liaison", Body: future, Status: 400,
			Contains: []string{`"at":"走访日期不能晚于今天"`}},
		{Name: "outside the caseload", Method: "POST", Path: "/api/v1/visits", Actor: "liaison", Body: foreign, Status: 404,
			Contains: []string{`"enterprise_id":`}},
		{Name: "handler", Method: "POST", Path: "/api/v1/visits", Actor: "handler", Body: good, Status: 403},
	})
	if v, r := ts.countDocs(t, "visits"), ts.requestCount(t); v != 0 || r != 0 {
		t.Fatalf("refused visits stored %d visits and %d requests", v, r)
	}
	var v portal.Visit
	ts.must(t, ts.runner(), http.StatusCreated, "liaison", "POST", "/api/v1/visits", good, &v)
	if len(v.RequestIDs) != 2 || ts.requestCount(t) != 2 {
		t.Fatalf("visit %+v", v)
	}
	r := ts.stored(t, v.RequestIDs[1])
	if r.Channel != portal.ChannelVisit || r.Source == nil || r.Source.ID != v.ID || !strings.HasPrefix(r.Source.Name, "走访 海湾国际物流有限公司 ") {
		t.Fatalf("raised request %s by %s from %+v", r.Title, r.Channel, r.Source)
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "get", Method: "GET", Path: "/api/v1/visits/" + v.ID, Actor: "liaison", Status: 200, Contains: []string{"陈海燕（行政总监）"}},
		{Name: "another liaison", Method: "GET", Path: "/api/v1/visits/" + v.ID, Actor: "liaison2", Status: 404},
		{Name: "list", Method: "GET", Path: "/api/v1/visits?q=海湾", Actor: "dispatcher", Status: 200, Contains: []string{`"total":1`, v.ID}},
		{Name: "bad mine", Method: "GET", Path: "/api/v1/visits?mine=yes", Actor: "dispatcher", Status: 400, Contains: []string{`"mine":`}},
	})
}

// must sends one scenario through rn, fails unless it answers status and
// decodes the answer into v.
func (ts *mtgServer) must(t *testing.T, rn portaltest.Runner, status int, actor, method, path string, body, v any) {
	t.Helper()
	res := rn.Do(t, portaltest.Scenario{Method: method, Path: path, Actor: actor, Body: body})
	if res.Code != status {
		t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, actor, res.Code, status, res.Body.String())
	}
	if v != nil {
		portaltest.DecodeJSON(t, res, v)
	}
}
