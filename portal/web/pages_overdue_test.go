package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynqmon"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// chaseTestPassword is the password of every user of a chaseServer.
const chaseTestPassword = "Beacon-Ferry-Ledger-73"

var chaseTestHash = sync.OnceValues(func() (string, error) { return portal.HashPassword(chaseTestPassword) })

// chaseZone is the district's zone in these tests.
var chaseZone = time.FixedZone("CST", 8*3600)

// chaseServer is the real router with real sign-in on the demo district,
// with the SLA plans, the chasing ladder and the job console on a Redis;
// its clock stands where the test puts it.
type chaseServer struct {
	*Server
	w      *portaltest.World
	chaser *portal.Chaser
	redis  *portaltest.Redis
	auth   *portal.AuthService
	mu     sync.Mutex
	clock  time.Time
	tokens map[string]string
}

func (ts *chaseServer) now() time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.clock
}

// at sets the clock to s, district time.
func (ts *chaseServer) at(t *testing.T, s string) {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, chaseZone)
	portaltest.Must(t, err, "time %s", s)
	ts.mu.Lock()
	ts.clock = v
	ts.mu.Unlock()
}

func newChaseServer(t *testing.T) *chaseServer {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	ts := &chaseServer{tokens: map[string]string{}}
	ts.at(t, "2026-03-02 09:00")
	ts.w = portaltest.NewWorld(t, db, ts.now)
	sla := ts.w.WithSLA(t)
	ts.chaser = &portal.Chaser{Requests: ts.w.Requests, Store: ts.w.Store, Calendar: sla.Calendar, Ladder: portal.DefaultLadder()}
	ts.w.Requests.Rungs = ts.chaser
	hash, err := chaseTestHash()
	portaltest.Must(t, err, "hash")
	users, _, err := ts.w.Users.FindUsers(ctx, portal.UserFilter{Limit: 100})
	portaltest.Must(t, err, "users")
	for _, u := range users {
		_, err := ts.w.Users.UpdateUser(ctx, u.ID, portal.UserUpdate{PasswordHash: &hash})
		portaltest.Must(t, err, "password of %s", u.Username)
	}
	ts.redis = portaltest.StartRedis(t)
	ts.auth, err = portal.NewAuthService(ts.w.Users, mongostore.NewSessionStore(db), redisstore.NewThrottle(ts.redis.Client),
		ts.w.Audit, time.Now, portal.AuthConfig{Secret: []byte("chasing-pages-test-secret-0123456789abc")})
	portaltest.Must(t, err, "auth service")
	ui := asynqmon.New(asynqmon.Options{RootPath: jobsRoot, RedisConnOpt: ts.redis.Opt})
	t.Cleanup(func() { _ = ui.Close() })
	srv, err := NewServer(Options{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Auth: ts.auth, Users: ts.w.Users, Org: mongostore.NewOrgStore(db), Location: chaseZone,
		Requests: ts.w.Requests, Categories: mongostore.NewCategoryStore(db), Chasing: ts.chaser, JobsUI: ui})
	portaltest.Must(t, err, "new server")
	ts.Server = srv
	return ts
}

// token signs username in once and returns its access token.
func (ts *chaseServer) token(t *testing.T, username string) string {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if tok, ok := ts.tokens[username]; ok {
		return tok
	}
	pair, _, err := ts.auth.Login(context.Background(), username, chaseTestPassword, "127.0.0.1")
	portaltest.Must(t, err, "login %s", username)
	ts.tokens[username] = pair.AccessToken
	return pair.AccessToken
}

// runner sends each scenario as its Actor with a bearer token.
func (ts *chaseServer) runner() portaltest.Runner {
	return portaltest.Runner{Handler: ts.Handler(), Auth: func(t *testing.T, actor string, r *http.Request) {
		if actor != "" {
			r.Header.Set("Authorization", "Bearer "+ts.token(t, actor))
		}
	}}
}

// dispatched files a request of ent-001 titled title and dispatches it to unit.
func (ts *chaseServer) dispatched(t *testing.T, title, unit string) *portal.Request {
	t.Helper()
	r, err := ts.w.Requests.File(ts.w.As(t, "enterprise"), portal.RequestInput{Title: title,
		Description: "企业反映的问题需要承办单位在时限内签收和答复。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file %s", title)
	r, err = ts.w.Requests.Act(ts.w.As(t, "dispatcher"), r.ID, portal.ActDispatch, portal.ActionInput{Department: unit})
	portaltest.Must(t, err, "dispatch %s", title)
	return r
}

// fire acts on rung of leg of r at the current time.
func (ts *chaseServer) fire(t *testing.T, r *portal.Request, leg portal.Leg, rung portal.Rung) {
	t.Helper()
	res, err := ts.chaser.Fire(context.Background(), portal.RungKey{RequestID: r.ID, Leg: leg, Rung: rung, Generation: r.SLA.Generation})
	portaltest.Must(t, err, "fire %s %s", leg, rung)
	if res.Outcome != portal.FireActed {
		t.Fatalf("fire %s %s: %s", leg, rung, res.Outcome)
	}
}

func TestChaseOverdueBoard(t *testing.T) {
	ts := newChaseServer(t)
	rn := ts.runner()
	page := func(name, actor, query string, status int, contains, lacks []string) portaltest.Scenario {
		return portaltest.Scenario{Name: name, Method: "GET", Path: "/requests/overdue" + query, Actor: actor, Status: status,
			Contains: contains, NotContains: lacks}
	}
	trans := ts.dispatched(t, "货车通行证办理咨询", "dept-trans")
	drc := ts.dispatched(t, "项目立项备案咨询", "dept-drc")
	park := ts.dispatched(t, "园区道路维修求助", "sd-haigang")
	rn.Run(t, []portaltest.Scenario{
		page("nothing overdue yet", "dispatcher", "", 200, []string{"<title>超期督办 · 惠企通</title>", "本辖区暂无超期诉求"},
			[]string{trans.No}),
	})

	ts.at(t, "2026-03-03 09:30") // every sign deadline (Tuesday 09:00) has passed
	late := ts.dispatched(t, "新近分拨的咨询", "dept-trans")
	ts.fire(t, trans, portal.LegSign, portal.RungWarn)
	ts.fire(t, trans, portal.LegSign, portal.RungChase)
	ts.fire(t, park, portal.LegSign, portal.RungWarn)
	long := strings.Repeat("超", 51)
	rn.Run(t, []portaltest.Scenario{
		page("grouped by department with the rung reached", "dispatcher", "", 200,
			[]string{trans.No, drc.No, park.No, "区交通运输局", "区发展和改革局", "海港街道", "已催办", "已预警", "尚未催办",
				"签收期限 3月3日 09:00", "已超期 30 分钟", "超期 1 件", `aria-current="page"`, `href="/requests/overdue"`},
			[]string{late.No}),
		page("one department", "dispatcher", "?department=dept-trans", 200,
			[]string{trans.No, `<option value="dept-trans" selected>区交通运输局（1）</option>`}, []string{drc.No, park.No}),
		page("search by number", "dispatcher", "?q="+drc.No, 200, []string{drc.No}, []string{trans.No, park.No}),
		page("nothing matches", "dispatcher", "?q=不存在的诉求", 200, []string{"没有符合条件的超期诉求"}, []string{trans.No}),
		page("pages", "dispatcher", "?per_page=2", 200, []string{"第 1 / 2 页", "共 3 条", `href="/requests/overdue?page=2&amp;per_page=2"`}, nil),
		page("second page", "dispatcher", "?per_page=2&page=2", 200, []string{"第 2 / 2 页", `rel="prev"`}, nil),
		page("a bad page number", "dispatcher", "?page=0", 400, []string{"分页参数有误", "页码必须是"}, []string{trans.No}),
		page("a search too long", "dispatcher", "?q="+long, 400, []string{"搜索词不能超过 50 个字"}, []string{trans.No}),
		page("admins see it too", "admin", "", 200, []string{trans.No, drc.No, park.No}, nil),
		page("handlers may not", "handler", "", 403, []string{"超期督办看板只对分拨员和系统管理员开放"}, []string{trans.No}),
		page("enterprises may not", "enterprise", "", 403, nil, []string{trans.No}),
		{Name: "visitors sign in first", Method: "GET", Path: "/requests/overdue", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Frequests%2Foverdue"}},
	})

	t.Run("a sub-district dispatcher sees the area only", func(t *testing.T) {
		hash, err := chaseTestHash()
		portaltest.Must(t, err, "hash")
		portaltest.Must(t, ts.w.Users.CreateUser(context.Background(), &portal.User{ID: "u-disp-meilin", Username: "dispmeilin",
			DisplayName: "梅林街道分拨员", Roles: []portal.Role{portal.RoleDispatcher}, UnitID: "sd-meilin",
			Status: portal.UserActive, PasswordHash: hash}), "dispatcher of 梅林街道")
		rn.Run(t, []portaltest.Scenario{
			{Name: "梅林 has none of 海港's requests", Method: "GET", Path: "/requests/overdue", Actor: "dispmeilin", Status: 200,
				Contains: []string{"本辖区暂无超期诉求"}, NotContains: []string{trans.No, drc.No, park.No}},
		})
	})
	t.Run("the board is off without the ladder", func(t *testing.T) {
		ts.opt.Chasing = nil
		defer func() { ts.opt.Chasing = ts.chaser }()
		rn.Run(t, []portaltest.Scenario{page("503", "dispatcher", "", 503, []string{"超期督办看板暂未开通"}, nil)})
	})
}

func TestChaseRequestMarks(t *testing.T) {
	ts := newChaseServer(t)
	r := ts.dispatched(t, "货车通行证办理咨询", "dept-trans")
	if r.Warned() || r.HighestRung() != "" {
		t.Fatalf("a fresh request is marked: warned %v, rung %q", r.Warned(), r.HighestRung())
	}
	ts.at(t, "2026-03-03 03:00")
	ts.fire(t, r, portal.LegSign, portal.RungWarn)
	got, err := ts.w.Store.FindRequestByID(context.Background(), r.ID)
	portaltest.Must(t, err, "load")
	if !got.Warned() || got.HighestRung() != portal.RungWarn || got.Overdue(ts.now()) {
		t.Errorf("after the warning: warned %v, rung %q, overdue %v", got.Warned(), got.HighestRung(), got.Overdue(ts.now()))
	}
	// Signing ends the leg: its rungs no longer mark the request.
	ts.at(t, "2026-03-03 04:00")
	signed, err := ts.w.Requests.Act(ts.w.As(t, "handler"), r.ID, portal.ActSign, portal.ActionInput{})
	portaltest.Must(t, err, "sign")
	if signed.Warned() {
		t.Error("a request is still marked warned after the warned leg was done")
	}
}
