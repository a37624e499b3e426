package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestMain(m *testing.M) { portaltest.Main(m) }

// cst is the district's zone in the tests.
var cst = time.FixedZone("CST", 8*3600)

// ladderStart is when the tests dispatch: Monday 2 March 2026, 09:00 in
// the district, a plain working week (the calendar's 2026 holidays are in
// February and April).
var ladderStart = cstTime("2026-03-02 09:00")

func cstTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// ladderFixture is the demo district with the real SLA plans on the real
// working calendar, the chasing ladder as the request service's rung
// planner, its jobs as a request listener, and a Redis. The clock stands
// where at puts it; a running clock moves on with the wall clock from
// there, so that a rung delivered a moment early can be held until its time.
type ladderFixture struct {
	*portaltest.World
	mu      sync.Mutex
	base    time.Time
	set     time.Time
	running bool
	chaser  *portal.Chaser
	sla     *jobs.SLA
	redis   *portaltest.Redis
	insp    *asynq.Inspector
	reg     *prometheus.Registry
}

func (f *ladderFixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.running {
		return f.base
	}
	return f.base.Add(time.Since(f.set))
}

// at sets the clock to s, district time.
func (f *ladderFixture) at(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.base, f.set = cstTime(s), time.Now()
}

// newLadder builds the fixture with ladder; run starts a worker with the
// chasing jobs installed.
func newLadder(t *testing.T, ladder portal.Ladder, run bool) *ladderFixture {
	t.Helper()
	f := &ladderFixture{base: ladderStart, set: time.Now(), reg: prometheus.NewRegistry()}
	f.World = portaltest.NewWorld(t, portaltest.DB(t), f.now)
	sla := f.WithSLA(t)
	f.chaser = &portal.Chaser{Requests: f.Requests, Store: f.Store, Calendar: sla.Calendar, Ladder: ladder}
	f.Requests.Rungs = f.chaser
	f.redis = portaltest.StartRedis(t)
	f.insp = asynq.NewInspectorFromRedisClient(f.redis.Client)
	f.sla = jobs.NewSLA(jobs.SLAOptions{Chaser: f.chaser, Redis: f.redis.Client, Registerer: f.reg, Log: quiet})
	f.Requests.Events = append(f.Requests.Events, f.sla)
	if run {
		startRunner(t, f.redis, f.reg, func(r *jobs.Runner) {
			portaltest.Must(t, f.sla.Install(r), "install the chasing jobs")
		})
	}
	return f
}

// dispatched files a request of ent-001 and dispatches it to unit at the
// current time.
func (f *ladderFixture) dispatched(t *testing.T, unit string) *portal.Request {
	t.Helper()
	r, err := f.Requests.File(f.As(t, "enterprise"), portal.RequestInput{Title: "港区道路货车限行咨询",
		Description: "公司货车夜间进出港区是否受限行影响，需要办理什么通行证？", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file")
	return f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: unit})
}

func (f *ladderFixture) act(t *testing.T, user, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := f.Requests.Act(f.As(t, user), id, a, in)
	portaltest.Must(t, err, "%s %s as %s", a, id, user)
	return r
}

func (f *ladderFixture) load(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := f.Store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "load %s", id)
	return r
}

// sweep runs one sweep and waits until every rung task it made ready has run.
func (f *ladderFixture) sweep(t *testing.T) jobs.SweepResult {
	t.Helper()
	res, err := f.sla.Sweep(context.Background())
	portaltest.Must(t, err, "sweep")
	f.drain(t)
	return res
}

// drain waits until no task is pending or running; a task left to retry
// fails the test with its error. It reads asynq's keys directly: after a
// FLUSHALL the inspector no longer lists the queue (asynq registers a
// queue's name once per process), while the worker goes on serving it.
func (f *ladderFixture) drain(t *testing.T) {
	t.Helper()
	ctx, rc := context.Background(), f.redis.Client
	portaltest.Eventually(t, 20*time.Second, "rung tasks run", func() bool {
		pending, err := rc.LLen(ctx, "asynq:{default}:pending").Result()
		portaltest.Must(t, err, "pending")
		active, err := rc.LLen(ctx, "asynq:{default}:active").Result()
		portaltest.Must(t, err, "active")
		failed, err := rc.ZCard(ctx, "asynq:{default}:retry").Result()
		portaltest.Must(t, err, "retry")
		archived, err := rc.ZCard(ctx, "asynq:{default}:archived").Result()
		portaltest.Must(t, err, "archived")
		if failed+archived > 0 {
			tasks, _ := f.insp.ListRetryTasks("default")
			dead, _ := f.insp.ListArchivedTasks("default")
			for _, x := range append(tasks, dead...) {
				t.Fatalf("task %s failed: %s", x.ID, x.LastErr)
			}
			t.Fatalf("%d rung tasks failed", failed+archived)
		}
		return pending == 0 && active == 0
	})
}

// wipe loses everything Redis holds, as a restarted embedded Redis does.
// The queue's name goes back on asynq's list of queues, which a running
// worker does not repeat, so that the inspector can still report on it.
func (f *ladderFixture) wipe(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	portaltest.Must(t, f.redis.Client.FlushAll(ctx).Err(), "FLUSHALL")
	portaltest.Must(t, f.redis.Client.SAdd(ctx, "asynq:queues", "default").Err(), "list the queue")
}

// slaNote is a stored notification of the chasing ladder.
type slaNote struct {
	User  string `bson:"user_id"`
	Title string `bson:"title"`
	Body  string `bson:"body"`
	Key   string `bson:"dedup_key"`
}

// notes returns the ladder's notifications about request id.
func (f *ladderFixture) notes(t *testing.T, id string) []slaNote {
	t.Helper()
	cur, err := f.DB.Database().Collection("notifications").Find(context.Background(),
		bson.D{{Key: "kind", Value: portal.NotifySLA}, {Key: "link", Value: "/requests/" + id}})
	portaltest.Must(t, err, "find notifications")
	var out []slaNote
	portaltest.Must(t, cur.All(context.Background(), &out), "decode notifications")
	return out
}

// recipients returns who got rung of leg (generation 1) of request id, sorted.
func (f *ladderFixture) recipients(t *testing.T, id string, leg portal.Leg, rung portal.Rung) []string {
	t.Helper()
	prefix := portal.RungKey{RequestID: id, Leg: leg, Rung: rung, Generation: 1}.String() + ":"
	var out []string
	for _, n := range f.notes(t, id) {
		if strings.HasPrefix(n.Key, prefix) {
			out = append(out, n.User)
		}
	}
	slices.Sort(out)
	return out
}

// rungEvents returns the timeline entries of the ladder.
func rungEvents(r *portal.Request) []portal.Event {
	var out []portal.Event
	for _, ev := range r.Timeline {
		if slices.Contains(portal.LadderRungs, portal.Rung(ev.Action)) {
			out = append(out, ev)
		}
	}
	return out
}

// rungsOf returns the rungs recorded on leg l of r.
func rungsOf(r *portal.Request, l portal.Leg) []string {
	if leg := r.SLA.Leg(l); leg != nil {
		return leg.Rungs
	}
	return nil
}

func equal(a, b []string) bool { return slices.Equal(a, b) || (len(a) == 0 && len(b) == 0) }

// metricValue returns the value of a counter, or the count of a histogram,
// with the given labels; 0 when absent.
func metricValue(t *testing.T, reg prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	portaltest.Must(t, err, "gather")
	for _, fam := range families {
		if fam.GetName() != name {
			continue
		}
	next:
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue next
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

func TestLadderSpec(t *testing.T) {
	good := []struct {
		spec string
		want portal.Ladder
	}{
		{"", portal.DefaultLadder()},
		{portal.DefaultLadderSpec, portal.DefaultLadder()},
		{" warn = 80% , escalate=on ", portal.Ladder{WarnPercent: 80, SuperviseAfter: 1, CensureAfter: 5, Escalate: true}},
		{"warn=0,supervise=0,censure=3", portal.Ladder{CensureAfter: 3}},
		{"supervise=2,censure=0", portal.Ladder{WarnPercent: 75, SuperviseAfter: 2}},
	}
	for _, tc := range good {
		got, err := portal.ParseLadder(tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("ParseLadder(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
		}
		if again, err := portal.ParseLadder(got.String()); err != nil || again != got {
			t.Errorf("%q does not read back: %+v, %v", got.String(), again, err)
		}
	}
	bad := map[string]string{
		"warn=100":                 "warn",
		"warn=-1":                  "warn",
		"warn=abc":                 "warn",
		"supervise=61":             "supervise",
		"censure=1":                "after supervise",
		"supervise=3,censure=3":    "after supervise",
		"escalate=maybe":           "escalate",
		"chase=1":                  "unknown key",
		"warn":                     "key=value",
		"warn=75,,supervise=x,y=1": "supervise",
	}
	for spec, want := range bad {
		if _, err := portal.ParseLadder(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseLadder(%q) = %v, want an error naming %q", spec, err, want)
		}
	}
}

// TestLadderRungTimes checks when each rung of each leg fires for a help
// request dispatched to a district department (tier A: sign in 24 hours,
// reply in 1 working day, resolve in 4) on Monday 09:00.
func TestLadderRungTimes(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	r := f.dispatched(t, "dept-trans")
	want := []struct {
		leg  portal.Leg
		rung portal.Rung
		at   string
	}{
		{portal.LegSign, portal.RungWarn, "2026-03-03 03:00"},       // 18 of 24 hours
		{portal.LegSign, portal.RungChase, "2026-03-03 09:00"},      // the deadline
		{portal.LegReply, portal.RungWarn, "2026-03-03 14:15"},      // 75 % of Monday 09:00 → Tuesday 24:00
		{portal.LegReply, portal.RungChase, "2026-03-04 00:00"},     // end of Tuesday
		{portal.LegSign, portal.RungSupervise, "2026-03-05 00:00"},  // end of the working day after Tuesday
		{portal.LegReply, portal.RungSupervise, "2026-03-05 00:00"}, // end of Wednesday
		{portal.LegResolve, portal.RungWarn, "2026-03-05 20:15"},    // 75 % of Monday 09:00 → Friday 24:00
		{portal.LegResolve, portal.RungChase, "2026-03-07 00:00"},   // end of Friday
		{portal.LegResolve, portal.RungSupervise, "2026-03-10 00:00"},
		{portal.LegSign, portal.RungCensure, "2026-03-11 00:00"}, // five working days after Tuesday, over the weekend
		{portal.LegReply, portal.RungCensure, "2026-03-11 00:00"},
		{portal.LegResolve, portal.RungCensure, "2026-03-14 00:00"},
	}
	plan, err := f.chaser.Plan(context.Background(), r)
	portaltest.Must(t, err, "plan")
	if len(plan) != len(want) {
		t.Fatalf("plan has %d rungs, want %d: %+v", len(plan), len(want), plan)
	}
	for _, w := range want {
		i := slices.IndexFunc(plan, func(p portal.PlannedRung) bool { return p.Key.Leg == w.leg && p.Key.Rung == w.rung })
		if i < 0 {
			t.Errorf("no %s rung for %s", w.rung, w.leg)
			continue
		}
		if got := plan[i].At.In(cst).Format("2006-01-02 15:04"); got != w.at || plan[i].Acted {
			t.Errorf("%s %s at %s (acted %v), want %s", w.leg, w.rung, got, plan[i].Acted, w.at)
		}
		if plan[i].Key.Generation != 1 || plan[i].Key.RequestID != r.ID {
			t.Errorf("key %+v", plan[i].Key)
		}
	}
	if r.NextRungAt == nil || !r.NextRungAt.Equal(cstTime("2026-03-03 03:00")) {
		t.Errorf("next_rung_at after dispatch = %v, want the sign warning", r.NextRungAt)
	}

	t.Run("custom ladder", func(t *testing.T) {
		f.chaser.Ladder = portal.Ladder{WarnPercent: 50, SuperviseAfter: 2}
		defer func() { f.chaser.Ladder = portal.DefaultLadder() }()
		plan, err := f.chaser.Plan(context.Background(), r)
		portaltest.Must(t, err, "plan")
		var sign []string
		for _, p := range plan {
			if p.Key.Rung == portal.RungCensure {
				t.Errorf("censure is off but planned: %+v", p)
			}
			if p.Key.Leg == portal.LegSign {
				sign = append(sign, string(p.Key.Rung)+"@"+p.At.In(cst).Format("01-02 15:04"))
			}
		}
		if want := []string{"warn@03-02 21:00", "chase@03-03 09:00", "supervise@03-06 00:00"}; !equal(sign, want) {
			t.Errorf("sign rungs %v, want %v", sign, want)
		}
	})
	t.Run("nothing for requests not being handled", func(t *testing.T) {
		filed, err := f.Requests.File(f.As(t, "enterprise"), portal.RequestInput{Title: "另一项咨询事项",
			Description: "这是一条尚未分拨的诉求，不应当有任何催办。", Category: "traffic", Type: portal.TypeHelp}, nil)
		portaltest.Must(t, err, "file")
		if plan, err := f.chaser.Plan(context.Background(), filed); err != nil || len(plan) != 0 {
			t.Errorf("plan of a submitted request = %+v, %v", plan, err)
		}
		if filed.NextRungAt != nil {
			t.Errorf("next_rung_at of a submitted request = %v", filed.NextRungAt)
		}
	})
}

// TestLadderUnderFakeClock walks one request up the ladder on a real
// worker and Redis: each rung acts once, not before its time, and tells
// the right people.
func TestLadderUnderFakeClock(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), true)
	r := f.dispatched(t, "dept-trans")
	if n := len(f.notes(t, r.ID)); n != 0 {
		t.Fatalf("%d ladder notifications right after dispatch", n)
	}
	dispatchPlan, err := f.chaser.Plan(context.Background(), r)
	portaltest.Must(t, err, "plan")
	scheduled, err := f.insp.ListScheduledTasks("default", asynq.PageSize(100))
	portaltest.Must(t, err, "scheduled tasks")
	if len(scheduled) != 12 {
		t.Errorf("dispatch scheduled %d rung tasks, want 12", len(scheduled))
	}

	f.at("2026-03-03 02:59")
	f.sweep(t)
	if got := f.load(t, r.ID); len(rungEvents(got)) != 0 {
		t.Fatalf("a rung fired before its time: %+v", rungEvents(got))
	}

	steps := []struct {
		at    string
		leg   portal.Leg
		rungs []string // the leg's rungs after the step
		fired portal.Rung
		to    []string
		next  string // next_rung_at afterwards
	}{
		{"2026-03-03 03:00", portal.LegSign, []string{"warn"}, portal.RungWarn, []string{"u-handler"}, "2026-03-03 09:00"},
		{"2026-03-03 09:00", portal.LegSign, []string{"warn", "chase"}, portal.RungChase, []string{"u-depthead", "u-handler"}, "2026-03-03 14:15"},
	}
	for _, st := range steps {
		f.at(st.at)
		f.sweep(t)
		got := f.load(t, r.ID)
		if rs := rungsOf(got, st.leg); !equal(rs, st.rungs) {
			t.Fatalf("at %s the %s leg has rungs %v, want %v", st.at, st.leg, rs, st.rungs)
		}
		if to := f.recipients(t, r.ID, st.leg, st.fired); !equal(to, st.to) {
			t.Errorf("at %s %s went to %v, want %v", st.at, st.fired, to, st.to)
		}
		if got.NextRungAt == nil || got.NextRungAt.In(cst).Format("2006-01-02 15:04") != st.next {
			t.Errorf("at %s next_rung_at = %v, want %s", st.at, got.NextRungAt, st.next)
		}
	}

	// The handler signs late; from now on warnings go to whoever signed.
	f.at("2026-03-03 10:00")
	f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	f.at("2026-03-03 14:15")
	f.sweep(t)
	if to := f.recipients(t, r.ID, portal.LegReply, portal.RungWarn); !equal(to, []string{"u-handler"}) {
		t.Errorf("reply warning went to %v", to)
	}

	// Thursday 00:00: the reply is a working day late (chase and supervise
	// fire together); the signed leg's supervision does not.
	f.at("2026-03-05 00:00")
	f.sweep(t)
	got := f.load(t, r.ID)
	if rs := rungsOf(got, portal.LegReply); !equal(rs, []string{"warn", "chase", "supervise"}) &&
		!equal(rs, []string{"warn", "supervise", "chase"}) {
		t.Errorf("reply rungs %v", rs)
	}
	if rs := rungsOf(got, portal.LegSign); !equal(rs, []string{"warn", "chase"}) {
		t.Errorf("a done leg went on up the ladder: %v", rs)
	}
	for _, rung := range []portal.Rung{portal.RungChase, portal.RungSupervise} {
		if to := f.recipients(t, r.ID, portal.LegReply, rung); !equal(to, []string{"u-depthead", "u-handler"}) {
			t.Errorf("reply %s went to %v", rung, to)
		}
	}

	// A week on: the reply is censured to the dispatcher and the leaders;
	// the resolve leg has climbed to supervision.
	f.at("2026-03-11 00:00")
	f.sweep(t)
	got = f.load(t, r.ID)
	if to := f.recipients(t, r.ID, portal.LegReply, portal.RungCensure); !equal(to, []string{"u-admin", "u-dispatcher"}) {
		t.Errorf("censure went to %v", to)
	}
	if rs := rungsOf(got, portal.LegResolve); len(rs) != 3 || slices.Contains(rs, "censure") {
		t.Errorf("resolve rungs %v, want warn, chase and supervise", rs)
	}
	if got.HighestRung() != portal.RungCensure || !got.Warned() {
		t.Errorf("highest rung %q, warned %v", got.HighestRung(), got.Warned())
	}
	if got.NextRungAt == nil || !got.NextRungAt.Equal(cstTime("2026-03-14 00:00")) {
		t.Errorf("next_rung_at = %v, want the resolve censure", got.NextRungAt)
	}

	// Every rung acted exactly once, never before its time, and no
	// notification was sent twice.
	events := rungEvents(got)
	if len(events) != 9 {
		t.Errorf("%d rung events, want 9: %+v", len(events), events)
	}
	for _, ev := range events {
		if ev.ActorName != "系统" || ev.Note == "" || ev.Department != "区交通运输局" {
			t.Errorf("rung event %+v", ev)
		}
	}
	for _, ev := range events {
		// The note opens with the leg's name; the plan of a done leg is gone,
		// so the times come from the plan made at dispatch.
		i := slices.IndexFunc(dispatchPlan, func(p portal.PlannedRung) bool {
			return string(p.Key.Rung) == ev.Action && strings.HasPrefix(ev.Note, portal.LegNames[p.Key.Leg])
		})
		if i < 0 {
			t.Errorf("rung event %+v matches no planned rung", ev)
		} else if ev.At.Before(dispatchPlan[i].At) {
			t.Errorf("%s %s acted at %s, before its time %s", dispatchPlan[i].Key.Leg, ev.Action, ev.At, dispatchPlan[i].At)
		}
	}
	if n := len(f.notes(t, r.ID)); n != 15 {
		t.Errorf("%d notifications, want 15", n)
	}
	if n := metricValue(t, f.reg, "huiqi_sla_rung_firing_delay_seconds", map[string]string{"rung": "warn"}); n != 3 {
		t.Errorf("firing delay observed %v times for warnings, want 3", n)
	}
}

// TestSweepAfterRedisWipe loses every task in the middle of the ladder:
// the sweep puts back what is due, nothing is lost, nothing sent twice.
func TestSweepAfterRedisWipe(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), true)
	r := f.dispatched(t, "dept-trans")
	f.at("2026-03-03 03:00")
	if res := f.sweep(t); res.Promoted != 1 || res.Added != 0 {
		t.Errorf("sweep with the warning scheduled: %+v, want it promoted", res)
	}
	f.wipe(t)

	f.at("2026-03-03 09:00")
	if res := f.sweep(t); res.Added != 1 || res.Requests != 1 {
		t.Errorf("sweep after the wipe: %+v, want the chase added", res)
	}
	if got := rungsOf(f.load(t, r.ID), portal.LegSign); !equal(got, []string{"warn", "chase"}) {
		t.Errorf("sign rungs after the wipe %v", got)
	}
	f.at("2026-03-05 00:00")
	if res := f.sweep(t); res.Added != 4 {
		t.Errorf("sweep two days on: %+v, want the reply's warn, chase, supervise and the sign's supervise", res)
	}
	for i := 0; i < 3; i++ {
		if res := f.sweep(t); res.Added+res.Promoted != 0 || res.Requests != 0 {
			t.Errorf("sweep %d after everything due ran: %+v", i, res)
		}
	}
	got := f.load(t, r.ID)
	want := map[portal.Leg][]string{portal.LegSign: {"warn", "chase", "supervise"}, portal.LegReply: {"warn", "chase", "supervise"}}
	for leg, rungs := range want {
		rs := slices.Clone(rungsOf(got, leg))
		slices.Sort(rs)
		w := slices.Clone(rungs)
		slices.Sort(w)
		if !equal(rs, w) {
			t.Errorf("%s rungs %v, want %v", leg, rs, rungs)
		}
	}
	if n := len(rungEvents(got)); n != 6 {
		t.Errorf("%d rung events, want 6", n)
	}
	// Nobody signed: warnings go to the department's handler, the rest to
	// its handler and head.
	notes := f.notes(t, r.ID)
	perRung := map[string]int{}
	for _, n := range notes {
		perRung[strings.Join(strings.Split(n.Key, ":")[2:4], ":")]++
	}
	wantNotes := map[string]int{"sign:warn": 1, "sign:chase": 2, "sign:supervise": 2, "reply:warn": 1, "reply:chase": 2, "reply:supervise": 2}
	for k, n := range wantNotes {
		if perRung[k] != n {
			t.Errorf("%s notified %d, want %d (all: %v)", k, perRung[k], n, perRung)
		}
	}
	if len(notes) != 10 {
		t.Errorf("%d notifications, want 10", len(notes))
	}
}

// TestRungDeliveredTwice delivers one rung task twice, then several at
// once: one timeline entry and one notification per person.
func TestRungDeliveredTwice(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	r := f.dispatched(t, "dept-trans")
	f.at("2026-03-03 03:00")
	task, err := jobs.NewRungTask(portal.RungKey{RequestID: r.ID, Leg: portal.LegSign, Rung: portal.RungWarn, Generation: 1})
	portaltest.Must(t, err, "task")
	for i := 0; i < 2; i++ {
		portaltest.Must(t, f.sla.HandleRungTask(context.Background(), task), "delivery %d", i+1)
	}
	got := f.load(t, r.ID)
	if n := len(rungEvents(got)); n != 1 {
		t.Errorf("%d rung events after two deliveries", n)
	}
	if n := len(f.notes(t, r.ID)); n != 1 {
		t.Errorf("%d notifications after two deliveries", n)
	}
	if a := metricValue(t, f.reg, "huiqi_sla_rungs_processed_total", map[string]string{"rung": "warn", "outcome": "acted"}); a != 1 {
		t.Errorf("acted counted %v", a)
	}
	if a := metricValue(t, f.reg, "huiqi_sla_rungs_processed_total", map[string]string{"rung": "warn", "outcome": "repeat"}); a != 1 {
		t.Errorf("repeat counted %v", a)
	}

	t.Run("at once", func(t *testing.T) {
		f.at("2026-03-03 09:00")
		task, err := jobs.NewRungTask(portal.RungKey{RequestID: r.ID, Leg: portal.LegSign, Rung: portal.RungChase, Generation: 1})
		portaltest.Must(t, err, "task")
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- f.sla.HandleRungTask(context.Background(), task)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent delivery: %v", err)
			}
		}
		if n := len(rungEvents(f.load(t, r.ID))); n != 2 {
			t.Errorf("%d rung events after four concurrent deliveries of the chase", n)
		}
		if to := f.recipients(t, r.ID, portal.LegSign, portal.RungChase); !equal(to, []string{"u-depthead", "u-handler"}) {
			t.Errorf("chase notified %v", to)
		}
	})

	t.Run("after a crash between the outbox and the record", func(t *testing.T) {
		// The notification to the handler was stored, then the worker died
		// before the rung was recorded; the redelivery records it and sends
		// only what is missing.
		f.at("2026-03-03 14:15")
		k := portal.RungKey{RequestID: r.ID, Leg: portal.LegReply, Rung: portal.RungWarn, Generation: 1}
		_, err := f.Notes.CreateNotifications(context.Background(), []*portal.Notification{{UserID: "u-handler",
			Kind: portal.NotifySLA, Title: "【预警】", Link: "/requests/" + r.ID, DedupKey: k.String() + ":u-handler"}})
		portaltest.Must(t, err, "the notification written before the crash")
		res, err := f.chaser.Fire(context.Background(), k)
		portaltest.Must(t, err, "redelivery")
		if res.Outcome != portal.FireActed || res.Notified != 0 {
			t.Errorf("redelivery: %s, %d notified; want acted, sending nothing new", res.Outcome, res.Notified)
		}
		if rs := rungsOf(f.load(t, r.ID), portal.LegReply); !equal(rs, []string{"warn"}) {
			t.Errorf("reply rungs %v", rs)
		}
		if to := f.recipients(t, r.ID, portal.LegReply, portal.RungWarn); !equal(to, []string{"u-handler"}) {
			t.Errorf("reply warning notified %v", to)
		}
	})
}

// TestRungsThatMustNotAct fires rungs whose time has come but which no
// longer apply: they change nothing and tell nobody.
func TestRungsThatMustNotAct(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	ctx := context.Background()
	// unchanged fires k at the current time and checks the outcome and
	// that the request and the notifications stayed as they were.
	unchanged := func(t *testing.T, k portal.RungKey, want portal.FireOutcome) {
		t.Helper()
		before := f.load(t, k.RequestID)
		notes := len(f.notes(t, k.RequestID))
		task, err := jobs.NewRungTask(k)
		portaltest.Must(t, err, "task")
		portaltest.Must(t, f.sla.HandleRungTask(ctx, task), "handle %s", k)
		res, err := f.chaser.Fire(ctx, k)
		portaltest.Must(t, err, "fire %s", k)
		if res.Outcome != want {
			t.Errorf("%s: outcome %s, want %s", k, res.Outcome, want)
		}
		after := f.load(t, k.RequestID)
		if after.Version != before.Version || len(after.Timeline) != len(before.Timeline) {
			t.Errorf("%s changed the request: version %d → %d", k, before.Version, after.Version)
		}
		if n := len(f.notes(t, k.RequestID)); n != notes {
			t.Errorf("%s sent %d notifications", k, n-notes)
		}
	}
	key := func(r *portal.Request, leg portal.Leg, rung portal.Rung, gen int) portal.RungKey {
		return portal.RungKey{RequestID: r.ID, Leg: leg, Rung: rung, Generation: gen}
	}

	t.Run("old generation", func(t *testing.T) {
		f.at("2026-03-02 09:00")
		r := f.dispatched(t, "dept-trans")
		f.at("2026-03-03 03:30")
		moved := f.act(t, "dispatcher", r.ID, portal.ActRedispatch, portal.ActionInput{Department: "dept-drc", Reason: "职能调整"})
		if moved.SLA.Generation != 2 {
			t.Fatalf("generation after redispatch %d", moved.SLA.Generation)
		}
		unchanged(t, key(r, portal.LegSign, portal.RungWarn, 1), portal.FireStale)
		k2 := key(r, portal.LegSign, portal.RungWarn, 2)
		info, err := f.insp.GetTaskInfo("default", k2.String())
		if err != nil || info.State != asynq.TaskStateScheduled {
			t.Errorf("the new generation's warning is not scheduled: %v, %v", info, err)
		}
		if moved.NextRungAt == nil || !moved.NextRungAt.Equal(cstTime("2026-03-03 21:30")) {
			t.Errorf("next_rung_at after redispatch = %v", moved.NextRungAt)
		}
	})
	t.Run("done leg", func(t *testing.T) {
		f.at("2026-03-02 09:00")
		r := f.dispatched(t, "dept-trans")
		f.at("2026-03-02 10:00")
		f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
		f.at("2026-03-03 09:30")
		unchanged(t, key(r, portal.LegSign, portal.RungWarn, 1), portal.FireDone)
		unchanged(t, key(r, portal.LegSign, portal.RungChase, 1), portal.FireDone)
	})
	t.Run("suspended", func(t *testing.T) {
		f.at("2026-03-02 09:00")
		r := f.dispatched(t, "dept-trans")
		f.at("2026-03-02 10:00")
		f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
		f.at("2026-03-03 12:00")
		s := f.act(t, "handler", r.ID, portal.ActSuspend, portal.ActionInput{Reason: "等待企业补充材料"})
		if s.NextRungAt != nil {
			t.Errorf("a suspended request keeps next_rung_at %v", s.NextRungAt)
		}
		f.at("2026-03-04 09:00")
		unchanged(t, key(r, portal.LegReply, portal.RungWarn, 1), portal.FireInactive)
		unchanged(t, key(r, portal.LegReply, portal.RungChase, 1), portal.FireInactive)
		resumed := f.act(t, "handler", r.ID, portal.ActResume, portal.ActionInput{})
		if resumed.SLA.Generation != 2 || resumed.NextRungAt == nil {
			t.Errorf("after resume: generation %d, next rung %v", resumed.SLA.Generation, resumed.NextRungAt)
		}
		unchanged(t, key(r, portal.LegReply, portal.RungWarn, 1), portal.FireStale)
	})
	t.Run("not yet", func(t *testing.T) {
		f.at("2026-03-02 09:00")
		r := f.dispatched(t, "dept-trans")
		f.at("2026-03-03 02:00")
		unchanged(t, key(r, portal.LegSign, portal.RungWarn, 1), portal.FireEarly)
	})
	t.Run("gone and malformed", func(t *testing.T) {
		res, err := f.chaser.Fire(ctx, portal.RungKey{RequestID: "no-such-request", Leg: portal.LegSign, Rung: portal.RungWarn, Generation: 1})
		if err != nil || res.Outcome != portal.FireGone {
			t.Errorf("missing request: %+v, %v", res, err)
		}
		for _, k := range []portal.RungKey{{Leg: portal.LegSign, Rung: portal.RungWarn, Generation: 1},
			{RequestID: "x", Leg: "sign-off", Rung: portal.RungWarn, Generation: 1},
			{RequestID: "x", Leg: portal.LegSign, Rung: "shout", Generation: 1},
			{RequestID: "x", Leg: portal.LegSign, Rung: portal.RungWarn}} {
			if _, err := f.chaser.Fire(ctx, k); portal.ErrorCode(err) != portal.EINVALID {
				t.Errorf("Fire(%+v) = %v, want invalid", k, err)
			}
			task, _ := jobs.NewRungTask(k)
			if err := f.sla.HandleRungTask(ctx, task); !errors.Is(err, asynq.SkipRetry) {
				t.Errorf("handling %+v = %v, want no retry", k, err)
			}
		}
		if err := f.sla.HandleRungTask(ctx, asynq.NewTask(jobs.TypeSLARung, []byte("{not json"))); !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("a bad payload = %v, want no retry", err)
		}
	})
}

// TestRungHeldUntilItsTime delivers a rung half a second early: the
// handler waits and acts at its time, not before.
func TestRungHeldUntilItsTime(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	r := f.dispatched(t, "dept-trans")
	f.mu.Lock()
	f.base, f.set, f.running = cstTime("2026-03-03 03:00").Add(-500*time.Millisecond), time.Now(), true
	f.mu.Unlock()
	task, err := jobs.NewRungTask(portal.RungKey{RequestID: r.ID, Leg: portal.LegSign, Rung: portal.RungWarn, Generation: 1})
	portaltest.Must(t, err, "task")
	portaltest.Must(t, f.sla.HandleRungTask(context.Background(), task), "handle")
	ev := rungEvents(f.load(t, r.ID))
	if len(ev) != 1 || ev[0].At.Before(cstTime("2026-03-03 03:00")) {
		t.Errorf("rung events %+v, want one at or after 03:00", ev)
	}
}

// TestSweepReadsOnlyDueRequests checks that a sweep reads the requests
// with a rung due within its horizon, in batches, and nothing else.
func TestSweepReadsOnlyDueRequests(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	var due []*portal.Request
	for i := 0; i < 5; i++ {
		due = append(due, f.dispatched(t, "dept-trans"))
	}
	f.at("2026-03-03 01:00")
	later := f.dispatched(t, "dept-drc") // its sign warning is at 19:00
	if _, err := f.Requests.File(f.As(t, "enterprise"), portal.RequestInput{Title: "未分拨的咨询事项",
		Description: "尚未分拨的诉求没有时限，也不会被扫描。", Category: "traffic", Type: portal.TypeHelp}, nil); err != nil {
		t.Fatal(err)
	}
	portaltest.Must(t, f.redis.Client.FlushAll(context.Background()).Err(), "FLUSHALL")
	f.at("2026-03-03 03:00")
	small := jobs.NewSLA(jobs.SLAOptions{Chaser: f.chaser, Redis: f.redis.Client, Log: quiet, SweepBatch: 2})
	res, err := small.Sweep(context.Background())
	portaltest.Must(t, err, "sweep")
	if res.Requests != len(due) || res.Added != len(due) {
		t.Errorf("sweep: %+v, want the %d requests with a warning due", res, len(due))
	}
	for _, r := range due {
		k := portal.RungKey{RequestID: r.ID, Leg: portal.LegSign, Rung: portal.RungWarn, Generation: 1}
		if info, err := f.insp.GetTaskInfo("default", k.String()); err != nil || info.State != asynq.TaskStatePending {
			t.Errorf("%s: %v, %v; want pending to run now", k, info, err)
		}
	}
	k := portal.RungKey{RequestID: later.ID, Leg: portal.LegSign, Rung: portal.RungWarn, Generation: 1}
	if _, err := f.insp.GetTaskInfo("default", k.String()); !errors.Is(err, asynq.ErrTaskNotFound) {
		t.Errorf("a rung beyond the horizon was scheduled: %v", err)
	}
	// Within the horizon but not yet due: scheduled, not run.
	f.at("2026-03-03 18:55")
	_, err = small.Sweep(context.Background())
	portaltest.Must(t, err, "sweep")
	info, err := f.insp.GetTaskInfo("default", k.String())
	if err != nil || info.State != asynq.TaskStateScheduled {
		t.Errorf("the warning five minutes ahead: %v, %v; want scheduled", info, err)
	}
}

// TestSweepRepairsStaleNextRung finds a request whose next_rung_at was
// left behind by a change that did not plan rungs: the sweep clears it, and
// later sweeps do not read the request again.
func TestSweepRepairsStaleNextRung(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	r := f.dispatched(t, "dept-trans")
	w := f.act(t, "enterprise", r.ID, portal.ActWithdraw, portal.ActionInput{})
	if w.NextRungAt != nil {
		t.Fatalf("a withdrawn request keeps next_rung_at %v", w.NextRungAt)
	}
	stale := cstTime("2026-03-02 10:00")
	w.NextRungAt = &stale
	portaltest.Must(t, f.Store.UpdateRequest(context.Background(), w, w.Version), "leave next_rung_at behind")
	f.at("2026-03-03 03:00")
	res, err := f.sla.Sweep(context.Background())
	portaltest.Must(t, err, "sweep")
	if res.Requests != 1 || res.Repaired != 1 || res.Added != 0 {
		t.Errorf("first sweep %+v, want one repair", res)
	}
	if got := f.load(t, r.ID); got.NextRungAt != nil {
		t.Errorf("next_rung_at after the repair %v", got.NextRungAt)
	}
	if res, _ := f.sla.Sweep(context.Background()); res.Requests != 0 {
		t.Errorf("second sweep read %d requests", res.Requests)
	}
}

// TestChaseCensureEscalates turns escalation on: a censured tier-B request
// is proposed for tier A, stays with its department and in its state, and
// the dispatchers are told.
func TestChaseCensureEscalates(t *testing.T) {
	ladder := portal.DefaultLadder()
	ladder.Escalate = true
	f := newLadder(t, ladder, false)
	r := f.dispatched(t, "sd-haigang")
	f.at("2026-03-11 00:00")
	res, err := f.chaser.Fire(context.Background(), portal.RungKey{RequestID: r.ID, Leg: portal.LegSign, Rung: portal.RungCensure, Generation: 1})
	portaltest.Must(t, err, "fire")
	got := res.Request
	if res.Outcome != portal.FireActed || got.EscalateTo != portal.TierA || got.Status != portal.StatusDispatched ||
		got.DepartmentID != "sd-haigang" {
		t.Fatalf("censure with escalation: %s, escalate to %q, status %s, department %s", res.Outcome, got.EscalateTo, got.Status, got.DepartmentID)
	}
	ev := rungEvents(got)
	if len(ev) != 1 || !strings.Contains(ev[0].Note, "建议升级至 A 级") {
		t.Errorf("timeline %+v", ev)
	}
	to := f.recipients(t, r.ID, portal.LegSign, portal.RungCensure)
	if !equal(to, []string{"u-admin", "u-dispatcher"}) {
		t.Errorf("censure went to %v", to)
	}
	for _, n := range f.notes(t, r.ID) {
		if !strings.Contains(n.Body, "建议升级至 A 级") || !strings.Contains(n.Title, "【通报】海港街道") {
			t.Errorf("censure notification %+v", n)
		}
	}
	// A second censure (another leg) proposes nothing more.
	res, err = f.chaser.Fire(context.Background(), portal.RungKey{RequestID: r.ID, Leg: portal.LegReply, Rung: portal.RungCensure, Generation: 1})
	portaltest.Must(t, err, "fire")
	if ev := rungEvents(res.Request); strings.Contains(ev[len(ev)-1].Note, "建议升级") {
		t.Errorf("proposed twice: %s", ev[len(ev)-1].Note)
	}
	// Dispatch to the tier asked for clears the proposal.
	f.at("2026-03-11 09:00")
	moved := f.act(t, "dispatcher", r.ID, portal.ActRedispatch, portal.ActionInput{Department: "dept-trans", Reason: "超期升级"})
	if moved.EscalateTo != "" || moved.SLA.Generation != 2 {
		t.Errorf("after redispatch: escalate to %q, generation %d", moved.EscalateTo, moved.SLA.Generation)
	}
}

// TestRungMessagesName the leg, the deadline and the department.
func TestRungMessagesName(t *testing.T) {
	f := newLadder(t, portal.DefaultLadder(), false)
	r := f.dispatched(t, "dept-trans")
	f.at("2026-03-04 00:00")
	for _, rung := range []portal.Rung{portal.RungWarn, portal.RungChase} {
		_, err := f.chaser.Fire(context.Background(), portal.RungKey{RequestID: r.ID, Leg: portal.LegReply, Rung: rung, Generation: 1})
		portaltest.Must(t, err, "fire %s", rung)
	}
	want := map[string][]string{
		"warn":  {"【预警】诉求 " + r.No + " 的答复时限将到", "应于 3月3日 24:00 前答复", "时限已用去 75%"},
		"chase": {"【催办】诉求 " + r.No + " 已超过答复时限", "应于 3月3日 24:00 前答复，现已超期"},
	}
	for _, n := range f.notes(t, r.ID) {
		rung := strings.Split(n.Key, ":")[3]
		for _, s := range want[rung] {
			if !strings.Contains(n.Title+" "+n.Body, s) {
				t.Errorf("%s notification %q / %q lacks %q", rung, n.Title, n.Body, s)
			}
		}
	}
	audit, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "request.chase"})
	portaltest.Must(t, err, "audit")
	if len(audit) != 1 || audit[0].ActorName != "系统" || !strings.Contains(audit[0].Detail, r.No) {
		t.Errorf("audit of the chase: %+v", audit)
	}
}
