package portal_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// kpiZone is the district's zone in the KPI tests.
var kpiZone = time.FixedZone("CST", 8*3600)

// kpiFixture is the demo district with counters listening to every
// change, handlers for a tier-B and a tier-C unit, and a movable clock.
type kpiFixture struct {
	*portaltest.World
	now     time.Time
	store   *mongostore.KPIStore
	counter *portal.KPICounter
	kpis    *portal.KPIService
}

// kpiHandlers names a handler of each department the tests dispatch to.
var kpiHandlers = map[string][]string{"dept-trans": {"handler", "depthead"}, "sd-haigang": {"handlerb"}, "p-logistics": {"handlerc"}}

func newKPIFixture(t *testing.T) *kpiFixture {
	t.Helper()
	f := &kpiFixture{now: time.Date(2026, 9, 28, 1, 0, 0, 0, time.UTC)}
	f.World = portaltest.NewWorld(t, portaltest.DB(t), func() time.Time { return f.now })
	f.Requests.Deadlines = portaltest.HoursDeadliner{}
	f.Requests.Index = nil // the similar-request index plays no part here
	f.store = mongostore.NewKPIStore(f.DB)
	f.counter = &portal.KPICounter{Store: f.store, Location: kpiZone}
	f.Requests.Events = append(f.Requests.Events, f.counter)
	f.kpis = &portal.KPIService{Store: f.store, Requests: f.store, Org: mongostore.NewOrgStore(f.DB),
		Chains: mongostore.NewChainStore(f.DB), Categories: mongostore.NewCategoryStore(f.DB), Location: kpiZone,
		Now: func() time.Time { return f.now }}
	for id, unit := range map[string]string{"u-handler-b": "sd-haigang", "u-handler-c": "p-logistics"} {
		name := map[string]string{"sd-haigang": "handlerb", "p-logistics": "handlerc"}[unit]
		portaltest.Must(t, f.Users.CreateUser(context.Background(), &portal.User{ID: id, Username: name, DisplayName: name,
			Roles: []portal.Role{portal.RoleHandler}, UnitID: unit, Status: portal.UserActive}), "user %s", name)
	}
	return f
}

// kpiFiler is who files a request for which enterprise, through what.
type kpiFiler struct {
	user, enterprise string
	channel          portal.Channel
}

var kpiFilers = []kpiFiler{
	{"enterprise", "ent-001", portal.ChannelPortal}, {"enterprise2", "ent-002", portal.ChannelPortal},
	{"liaison", "ent-003", portal.ChannelVisit}, {"liaison", "ent-010", portal.ChannelPhone},
	{"dispatcher", "ent-005", portal.ChannelHotline}, {"dispatcher", "ent-008", portal.ChannelWeChat},
}

// kpiWeights makes the random sequence move requests forward more often
// than it takes them out (withdraw, merge), so that every count is reached.
var kpiWeights = map[portal.Action]int{portal.ActDispatch: 4, portal.ActRedispatch: 1, portal.ActSign: 6, portal.ActReply: 4,
	portal.ActResolve: 5, portal.ActReturn: 1, portal.ActSuspend: 1, portal.ActResume: 4, portal.ActWithdraw: 1,
	portal.ActMerge: 1, portal.ActEscalate: 1}

var kpiCategories = []string{"finance", "talent", "land", "approval", "traffic", "park", "other"}

func (f *kpiFixture) file(t *testing.T, rng *rand.Rand) (*portal.Request, string) {
	t.Helper()
	who := kpiFilers[rng.IntN(len(kpiFilers))]
	in := portal.RequestInput{EnterpriseID: who.enterprise, Title: "随机诉求标题", Description: "随机生成的诉求内容，用于核对统计计数。",
		Category: kpiCategories[rng.IntN(len(kpiCategories))], Type: portal.TypeHelp, Channel: who.channel}
	if who.channel.NeedsSource() {
		in.SourceName = "走访记录"
	}
	r, err := f.Requests.File(f.As(t, who.user), in, nil)
	portaltest.Must(t, err, "file as %s", who.user)
	return r, who.user
}

// change stores a change made outside the request service (feedback,
// re-handling and spot checks, written by their own services) and tells
// the counter, as the service's after-effects do.
func (f *kpiFixture) change(t *testing.T, id string, mod func(r *portal.Request)) {
	t.Helper()
	ctx := context.Background()
	before, err := f.Store.FindRequestByID(ctx, id)
	portaltest.Must(t, err, "read %s", id)
	after, err := f.Store.FindRequestByID(ctx, id)
	portaltest.Must(t, err, "read %s", id)
	mod(after)
	after.UpdatedAt = f.now
	portaltest.Must(t, f.Store.UpdateRequest(ctx, after, before.Version), "store change of %s", id)
	portaltest.Must(t, f.counter.RequestChanged(ctx, before, after, "test"), "count change of %s", id)
}

// storedCounters returns every counter document, without zero counts.
func (f *kpiFixture) storedCounters(t *testing.T) map[string]*portal.KPIDoc {
	t.Helper()
	ctx := context.Background()
	cur, err := f.DB.Database().Collection("kpi_counters").Find(ctx, bson.D{})
	portaltest.Must(t, err, "read counters")
	var docs []*portal.KPIDoc
	portaltest.Must(t, cur.All(ctx, &docs), "decode counters")
	out := map[string]*portal.KPIDoc{}
	for _, d := range docs {
		by := map[string]map[string]portal.KPICounts{}
		for dim, m := range d.By {
			for k, c := range m {
				if c.Zero() {
					continue
				}
				if by[dim] == nil {
					by[dim] = map[string]portal.KPICounts{}
				}
				by[dim][k] = c
			}
		}
		d.By = by
		if !d.Total.Zero() || len(by) > 0 {
			out[d.ID] = d
		}
	}
	return out
}

// TestKPICountersMatchRebuild plays a long random sequence of actions —
// dispatch, redispatch, sign, reply, resolve, return, suspend, resume,
// withdraw, merge, escalate, feedback that closes or reopens, closing
// unrated, spot-check verification — over two months, and checks that the
// counters kept as the requests moved equal, exactly, the counters
// rebuilt from the requests.
func TestKPICountersMatchRebuild(t *testing.T) {
	f := newKPIFixture(t)
	rng := rand.New(rand.NewPCG(7, 2026))
	filedBy := map[string]string{}
	var ids []string
	done := map[string]int{}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	depts := []string{"dept-trans", "sd-haigang", "p-logistics"}
	for step := 0; step < 600; step++ {
		f.now = f.now.Add(time.Duration(rng.IntN(150)) * time.Minute)
		if len(ids) < 30 || rng.IntN(8) == 0 {
			r, user := f.file(t, rng)
			ids, filedBy[r.ID] = append(ids, r.ID), user
			done["file"]++
			continue
		}
		id := pick(ids)
		r, err := f.Store.FindRequestByID(context.Background(), id)
		portaltest.Must(t, err, "read %s", id)
		handler := ""
		if hs := kpiHandlers[r.DepartmentID]; len(hs) > 0 {
			handler = pick(hs)
		}
		var options []portal.Action
		for _, a := range []portal.Action{portal.ActDispatch, portal.ActRedispatch, portal.ActSign, portal.ActReply, portal.ActResolve,
			portal.ActReturn, portal.ActSuspend, portal.ActResume, portal.ActWithdraw, portal.ActMerge, portal.ActEscalate} {
			if a.Allowed(r.Status) && r.ParentID == "" {
				for range kpiWeights[a] {
					options = append(options, a)
				}
			}
		}
		switch r.Status {
		case portal.StatusResolved:
			options = append(options, "feedback", "feedback", "feedback", "unrated")
		case portal.StatusClosed:
			if r.ResolvedAt != nil && r.Verified == nil {
				options = append(options, "verify")
			}
		}
		if len(options) == 0 {
			continue
		}
		act := options[rng.IntN(len(options))]
		in := portal.ActionInput{}
		user := "dispatcher"
		switch act {
		case portal.ActDispatch, portal.ActRedispatch:
			others := slices.DeleteFunc(slices.Clone(depts), func(d string) bool { return d == r.DepartmentID })
			in.Department, in.Reason = pick(others), "按职责分拨"
		case portal.ActSign, portal.ActReply, portal.ActResolve, portal.ActReturn, portal.ActSuspend:
			user, in.Text, in.Reason = handler, "已按要求办理完毕，答复企业。", "需要补充材料"
		case portal.ActResume:
			user, in.Reason = pick([]string{handler, "dispatcher"}), "材料已补齐"
		case portal.ActWithdraw:
			user = filedBy[r.ID]
		case portal.ActEscalate:
			if r.Tier == portal.TierA {
				continue
			}
			user, in.Tier, in.Reason = handler, portal.TierA, "超出本级职权"
		case portal.ActMerge:
			var masters []string
			for _, m := range ids {
				if m == r.ID {
					continue
				}
				mr, err := f.Store.FindRequestByID(context.Background(), m)
				portaltest.Must(t, err, "read %s", m)
				if mr.ParentID == "" && mr.Status.Open() && len(r.ChildIDs) == 0 {
					masters = append(masters, m)
				}
			}
			if len(masters) == 0 {
				continue
			}
			in.MasterID, in.Reason = pick(masters), "同类诉求"
		case "feedback":
			happy := rng.IntN(3) > 0
			f.change(t, r.ID, func(x *portal.Request) {
				if happy {
					x.Feedback = &portal.Feedback{Solved: []portal.Solved{portal.SolvedYes, portal.Partly}[rng.IntN(2)],
						Satisfaction: []portal.Satisfaction{portal.Satisfied, portal.Basic}[rng.IntN(2)], Via: portal.ViaLink, At: f.now}
					x.Status, x.ClosedAt = portal.StatusClosed, &f.now
					return
				}
				x.Feedback = &portal.Feedback{Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied, Via: portal.ViaPhone, At: f.now}
				x.Status, x.Reopened, x.HandlerID, x.HandlerName = portal.StatusReopened, x.Reopened+1, "", ""
				sla, _ := portaltest.HoursDeadliner{}.Plan(context.Background(), x, f.now)
				sla.Generation = x.SLA.Generation + 1
				x.SLA = sla
			})
			done[string(act)]++
			continue
		case "unrated":
			f.change(t, r.ID, func(x *portal.Request) { x.Status, x.Unrated, x.ClosedAt = portal.StatusClosed, true, &f.now })
			done[string(act)]++
			continue
		case "verify":
			f.change(t, r.ID, func(x *portal.Request) {
				x.Verified = &portal.Verification{CheckID: "check", Solved: []portal.Solved{portal.SolvedYes, portal.Partly, portal.Unsolved}[rng.IntN(3)],
					Satisfaction: []portal.Satisfaction{portal.Satisfied, portal.Basic, portal.Dissatisfied}[rng.IntN(3)], At: f.now}
			})
			done[string(act)]++
			continue
		}
		if user == "" {
			continue
		}
		if _, err := f.Requests.Act(f.As(t, user), r.ID, act, in); err != nil {
			t.Fatalf("step %d: %s %s (%s) as %s: %v", step, act, r.No, r.Status, user, err)
		}
		done[string(act)]++
	}
	for _, a := range []string{"file", "dispatch", "redispatch", "sign", "reply", "resolve", "return", "suspend", "resume",
		"withdraw", "merge", "escalate", "feedback", "unrated", "verify"} {
		if done[a] == 0 {
			t.Errorf("the random sequence never took %q: %v", a, done)
		}
	}

	incremental := f.storedCounters(t)
	n, docs, err := f.kpis.Rebuild(context.Background(), nil)
	portaltest.Must(t, err, "rebuild")
	rebuilt := f.storedCounters(t)
	if n != len(ids) || docs != len(rebuilt) {
		t.Errorf("rebuild read %d requests and wrote %d documents; %d filed, %d documents stored", n, docs, len(ids), len(rebuilt))
	}
	for id, want := range rebuilt {
		if got := incremental[id]; !reflect.DeepEqual(got, want) {
			t.Errorf("counter %s:\nincremental %+v\n    rebuilt %+v", id, got, want)
		}
	}
	for id := range incremental {
		if rebuilt[id] == nil {
			t.Errorf("counter %s kept incrementally is not in the rebuild: %+v", id, incremental[id])
		}
	}

	// The sequence spans two months and reaches every kind of count.
	var total portal.KPICounts
	months := map[string]bool{}
	for _, d := range rebuilt {
		if d.Unit == "all" {
			total.Add(d.Total)
			months[d.Month] = true
		}
	}
	children := 0
	for _, id := range ids {
		r, _ := f.Store.FindRequestByID(context.Background(), id)
		if r.ParentID != "" {
			children++
		}
	}
	if total.Received != len(ids)-children || len(months) < 2 {
		t.Errorf("received %d in months %v; want %d (filed less merged children) over two months or more", total.Received, months, len(ids)-children)
	}
	if total.Signed == total.SignedOnTime || total.SignedOnTime == 0 || total.Answered == 0 || total.Reopened == 0 ||
		total.Satisfied == 0 || total.Solved == 0 || total.Asked <= total.Answered {
		t.Errorf("the sequence left counts without variety: %+v", total)
	}
}

// TestKPIReportScopes: each role reads its own scope; the report groups,
// names and totals; bad parameters are named; enterprises are refused.
func TestKPIReportScopes(t *testing.T) {
	f := newKPIFixture(t)
	f.now = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var trans string
	for i := 0; i < 6; i++ {
		r, _ := f.file(t, rng)
		dept := []string{"dept-trans", "sd-haigang"}[i%2]
		f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: dept})
		if dept == "dept-trans" {
			trans = r.ID
			f.now = f.now.Add(time.Hour)
			f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
		}
	}
	f.file(t, rng) // not dispatched

	rep, err := f.kpis.Report(f.As(t, "admin"), portal.KPIQuery{From: "2026-10", To: "2026-11", GroupBy: "department"})
	portaltest.Must(t, err, "admin report")
	if rep.Scope.Unit != "all" || rep.Total.Counts.Received != 7 || len(rep.Months) != 2 || rep.Months[1].Counts.Received != 7 {
		t.Fatalf("admin report: %+v", rep)
	}
	names := map[string]portal.KPIRow{}
	for _, row := range rep.Rows {
		names[row.Name] = row
	}
	if names["区交通运输局"].Counts.Received != 3 || names["区交通运输局"].Counts.Signed != 3 || names["海港街道"].Counts.Received != 3 ||
		names["未分拨"].Counts.Received != 1 || rep.Rows[len(rep.Rows)-1].Key != portal.KPINone {
		t.Errorf("by department: %+v", rep.Rows)
	}
	if r := names["区交通运输局"].Rates.SignedOnTime; r == nil || *r != 1 {
		t.Errorf("signed within the hour is on time: %v", r)
	}
	if names["海港街道"].Rates.SignedOnTime != nil {
		t.Errorf("nothing signed has no sign-on-time rate: %v", *names["海港街道"].Rates.SignedOnTime)
	}
	tiers, err := f.kpis.Report(f.As(t, "dispatcher"), portal.KPIQuery{GroupBy: "tier"})
	portaltest.Must(t, err, "dispatcher report")
	if tiers.Scope.Unit != "all" || tiers.From != "2025-12" || tiers.To != "2026-11" || len(tiers.Rows) != 3 ||
		tiers.Rows[0].Key != "A" || tiers.Rows[1].Key != "B" || tiers.Rows[2].Key != portal.KPINone {
		t.Errorf("tiers over the default twelve months: %+v", tiers)
	}

	for _, tc := range []struct {
		user, unit string
		received   int
	}{
		{"handler", "dept:dept-trans", 3}, {"depthead", "dept:dept-trans", 3},
		{"committee", "chain:chain-port", -1}, {"liaison", "liaison:u-liaison", -1},
	} {
		rep, err := f.kpis.Report(f.As(t, tc.user), portal.KPIQuery{GroupBy: "channel"})
		portaltest.Must(t, err, "report as %s", tc.user)
		if rep.Scope.Unit != tc.unit || (tc.received >= 0 && rep.Total.Counts.Received != tc.received) {
			t.Errorf("%s: scope %+v, received %d", tc.user, rep.Scope, rep.Total.Counts.Received)
		}
	}
	mine, err := f.kpis.Report(f.As(t, "handler"), portal.KPIQuery{Mine: true})
	portaltest.Must(t, err, "mine")
	if mine.Scope.Unit != "handler:u-handler" || mine.Total.Counts.Signed != 3 {
		t.Errorf("the handler's own: %+v", mine.Total)
	}
	for _, user := range []string{"enterprise", "editor"} {
		if _, err := f.kpis.Report(f.As(t, user), portal.KPIQuery{}); portal.ErrorCode(err) != portal.EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", user, err)
		}
	}
	if _, err := f.kpis.Report(f.As(t, "dispatcher"), portal.KPIQuery{Mine: true}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("a dispatcher has no own handling: %v", err)
	}
	if _, err := f.kpis.Report(ctx, portal.KPIQuery{}); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
		t.Errorf("anonymous: %v", err)
	}
	for _, tc := range []struct {
		q     portal.KPIQuery
		field string
	}{
		{portal.KPIQuery{From: "2026-13"}, "from"}, {portal.KPIQuery{To: "26-01"}, "to"}, {portal.KPIQuery{GroupBy: "enterprise"}, "group_by"},
		{portal.KPIQuery{From: "2026-11", To: "2026-10"}, "from"}, {portal.KPIQuery{From: "2020-01", To: "2026-11"}, "to"},
	} {
		_, err := f.kpis.Report(f.As(t, "admin"), tc.q)
		if portal.ErrorCode(err) != portal.EINVALID || portal.ErrorFields(err)[tc.field] == "" {
			t.Errorf("%+v: %v (fields %v), want invalid naming %s", tc.q, err, portal.ErrorFields(err), tc.field)
		}
	}
	if _, err := f.kpis.Report(f.As(t, "admin"), portal.KPIQuery{From: "2023-12", To: "2026-11"}); err != nil {
		t.Errorf("36 months are allowed: %v", err)
	}

	// The scorecard: the handler reads its department only; admins choose.
	page, err := f.kpis.Scorecard(f.As(t, "handler"), portal.ScorecardQuery{})
	portaltest.Must(t, err, "handler scorecard")
	if page.Department == nil || page.Department.ID != "dept-trans" || page.Total != 3 || len(page.Items) != 3 {
		t.Fatalf("handler scorecard: %+v", page)
	}
	if _, err := f.kpis.Scorecard(f.As(t, "handler"), portal.ScorecardQuery{Department: "sd-haigang"}); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("another department's scorecard: %v, want not found", err)
	}
	page, err = f.kpis.Scorecard(f.As(t, "admin"), portal.ScorecardQuery{})
	portaltest.Must(t, err, "admin scorecard")
	if page.Department != nil || len(page.Departments) < 10 {
		t.Errorf("admin without a choice: %+v", page.Department)
	}
	page, err = f.kpis.Scorecard(f.As(t, "admin"), portal.ScorecardQuery{Department: "sd-haigang", PerPage: 2})
	portaltest.Must(t, err, "admin scorecard of a sub-district")
	if page.Total != 3 || len(page.Items) != 2 || page.Pages() != 2 {
		t.Errorf("paged scorecard: total %d, items %d", page.Total, len(page.Items))
	}
	if _, err := f.kpis.Scorecard(f.As(t, "committee"), portal.ScorecardQuery{}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("committee scorecard: %v, want forbidden", err)
	}
	if _, err := f.kpis.Scorecard(f.As(t, "admin"), portal.ScorecardQuery{Department: "sd-haigang", PerPage: 999}); portal.ErrorFields(err)["per_page"] == "" {
		t.Errorf("oversized page: %v", err)
	}
	var streamed []string
	err = f.kpis.EachScorecardRequest(f.As(t, "handler"), portal.ScorecardQuery{}, nil, func(r *portal.Request) error {
		streamed = append(streamed, r.ID)
		return nil
	})
	portaltest.Must(t, err, "stream")
	if len(streamed) != 3 || !slices.Contains(streamed, trans) {
		t.Errorf("streamed %v", streamed)
	}
	if err := f.kpis.EachScorecardRequest(f.As(t, "admin"), portal.ScorecardQuery{}, nil, func(*portal.Request) error { return nil }); portal.ErrorFields(err)["department"] == "" {
		t.Errorf("export without a department: %v", err)
	}
}

func (f *kpiFixture) act(t *testing.T, user, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := f.Requests.Act(f.As(t, user), id, a, in)
	portaltest.Must(t, err, "%s %s as %s", a, id, user)
	return r
}

// TestKPICounterIgnoresNoChange is a guard for listeners that hear about
// changes which move no count (a timeline note, say): nothing is written.
func TestKPICounterIgnoresNoChange(t *testing.T) {
	f := newKPIFixture(t)
	rng := rand.New(rand.NewPCG(3, 4))
	r, _ := f.file(t, rng)
	before := f.storedCounters(t)
	portaltest.Must(t, f.counter.RequestChanged(context.Background(), r, r, "note"), "no change")
	if after := f.storedCounters(t); !reflect.DeepEqual(before, after) || len(after) == 0 {
		t.Errorf("a change without effect changed the counters: %d → %d documents", len(before), len(after))
	}
}
