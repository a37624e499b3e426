package portal_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/workcal"
)

// cst is a wall-clock time in the district (Asia/Shanghai).
func cst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, workcal.DefaultLocation())
}

// slaFixture is the demo district with the SLA plans as the request
// service's Deadliner and a clock the test moves.
type slaFixture struct {
	*portaltest.World
	SLA *portal.SLAService
	now time.Time
}

func newSLAFixture(t *testing.T) *slaFixture {
	t.Helper()
	f := &slaFixture{now: cst(2026, 3, 2, 10, 0)} // a Monday without holidays around it
	f.World = portaltest.NewWorld(t, portaltest.DB(t), func() time.Time { return f.now })
	f.SLA = f.WithSLA(t)
	return f
}

// slaDepartments are demo units of each tier with a handler account.
var slaDepartments = map[portal.Tier]struct{ unit, handler string }{
	portal.TierA: {"dept-trans", "handler"},
	portal.TierB: {"sd-haigang", "handler-sub"},
	portal.TierC: {"p-logistics", "handler-park"},
}

// dispatched files a request of type typ (urgent or not) as the
// enterprise and has the dispatcher send it to the unit of tier, now.
func (f *slaFixture) dispatched(t *testing.T, typ portal.RequestType, tier portal.Tier, urgent bool) *portal.Request {
	t.Helper()
	in := portal.RequestInput{Title: "港区道路货车限行问题", Description: "公司货车夜间进出港区受限行影响，请协调办理通行证。",
		Category: "other", Type: typ, Urgent: urgent}
	r, err := f.Requests.File(f.As(t, "enterprise"), in, nil)
	portaltest.Must(t, err, "file")
	r, err = f.Requests.Act(f.As(t, "dispatcher"), r.ID, portal.ActDispatch, portal.ActionInput{Department: slaDepartments[tier].unit})
	portaltest.Must(t, err, "dispatch to %s", tier)
	return r
}

// stored reads the request as stored now.
func (f *slaFixture) stored(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := f.Store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "find %s", id)
	return r
}

// dues returns the deadlines of the legs in district wall-clock time.
func dues(sla *portal.SLA) []string {
	var out []string
	for _, l := range sla.Legs {
		out = append(out, string(l.Leg)+" "+l.Due.In(workcal.DefaultLocation()).Format("2006-01-02 15:04"))
	}
	return out
}

func TestSLADefaultPlanTable(t *testing.T) {
	f := newSLAFixture(t)
	// Dispatched Monday 2026-03-02 10:00: sign 24 hours later, reply at the
	// end of Tuesday, resolve at the end of the 2nd, 3rd or 4th working day.
	end := map[int]string{2: "2026-03-05 00:00", 3: "2026-03-06 00:00", 4: "2026-03-07 00:00"}
	for _, c := range []struct {
		typ     portal.RequestType
		tier    portal.Tier
		resolve int
	}{
		{portal.TypeConsultation, portal.TierA, 4}, {portal.TypeConsultation, portal.TierB, 3}, {portal.TypeConsultation, portal.TierC, 2},
		{portal.TypeHelp, portal.TierA, 4}, {portal.TypeHelp, portal.TierB, 3}, {portal.TypeHelp, portal.TierC, 2},
		{portal.TypeComplaint, portal.TierA, 3}, {portal.TypeComplaint, portal.TierB, 3}, {portal.TypeComplaint, portal.TierC, 3},
		{portal.TypeSuggestion, portal.TierA, 3}, {portal.TypeSuggestion, portal.TierB, 3}, {portal.TypeSuggestion, portal.TierC, 3},
	} {
		t.Run(string(c.typ)+"/"+string(c.tier), func(t *testing.T) {
			r := f.dispatched(t, c.typ, c.tier, false)
			want := []string{"sign 2026-03-03 10:00", "reply 2026-03-04 00:00", "resolve " + end[c.resolve]}
			if got := dues(r.SLA); !slices.Equal(got, want) {
				t.Errorf("deadlines = %v, want %v", got, want)
			}
			s := f.stored(t, r.ID).SLA
			if s.PlanID != string(c.typ)+":"+string(c.tier) || s.PlanVersion != 0 || s.Generation != 1 ||
				s.CalendarVersion != "2026:builtin" || !s.Start.Equal(cst(2026, 3, 2, 10, 0)) {
				t.Errorf("stored SLA = %+v", s)
			}
			if due := f.stored(t, r.ID).DueAt; due == nil || !due.Equal(cst(2026, 3, 3, 10, 0)) {
				t.Errorf("DueAt = %v, want the sign deadline", due)
			}
		})
	}
	if n := len(portal.DefaultSLAPlans().Plans); n != 12 {
		t.Errorf("the default matrix has %d plans, want 4 types × 3 tiers", n)
	}
}

func TestSLAUrgentSign(t *testing.T) {
	f := newSLAFixture(t)
	r := f.dispatched(t, portal.TypeComplaint, portal.TierB, true)
	want := []string{"sign 2026-03-02 14:00", "reply 2026-03-04 00:00", "resolve 2026-03-06 00:00"}
	if got := dues(r.SLA); !slices.Equal(got, want) {
		t.Errorf("urgent deadlines = %v, want %v", got, want)
	}
	// Across a year end the versions of both years are recorded; 2027 is
	// either shipped (元旦 off) or computed with weekends only.
	cal, err := f.SLA.Calendar.Current(context.Background())
	portaltest.Must(t, err, "calendar")
	f.now = cst(2026, 12, 31, 10, 0) // Thursday
	r = f.dispatched(t, portal.TypeComplaint, portal.TierA, true)
	version, reply, resolve := "2026:builtin,2027:weekends-only", "reply 2027-01-02 00:00", "resolve 2027-01-06 00:00"
	if cal.Known(2027) {
		version, reply, resolve = "2026:builtin,2027:builtin", "reply 2027-01-05 00:00", "resolve 2027-01-07 00:00"
	}
	want = []string{"sign 2026-12-31 14:00", reply, resolve}
	if got := dues(r.SLA); !slices.Equal(got, want) || r.SLA.CalendarVersion != version {
		t.Errorf("year-end deadlines = %v (%s), want %v (%s)", got, r.SLA.CalendarVersion, want, version)
	}
}

// slaSave saves the default matrix changed by mod as the admin, based on
// version base.
func (f *slaFixture) slaSave(t *testing.T, base int, mod func(m *portal.SLAPlans)) (*portal.SLAPlans, error) {
	t.Helper()
	m := portal.DefaultSLAPlans()
	mod(m)
	return f.SLA.Save(f.As(t, "admin"), portal.SLAPlansInput{Version: base, Plans: m.Plans})
}

func TestSLAPlanChangeAppliesToLaterDispatches(t *testing.T) {
	f := newSLAFixture(t)
	before := f.dispatched(t, portal.TypeHelp, portal.TierA, false)
	saved, err := f.slaSave(t, 0, func(m *portal.SLAPlans) {
		m.Plan(portal.TypeHelp, portal.TierA).Resolve = portal.SLALimit{Amount: 96, Unit: workcal.Hours}
		m.Plan(portal.TypeHelp, portal.TierA).Reply = portal.SLALimit{Amount: 8, Unit: workcal.Hours}
	})
	portaltest.Must(t, err, "save")
	if saved.Version != 1 || saved.UpdatedBy != "u-admin" || !strings.Contains(saved.Summary, "求助 · A 级 办结：4 个工作日 → 96 小时") {
		t.Errorf("saved = version %d by %q: %s", saved.Version, saved.UpdatedBy, saved.Summary)
	}
	after := f.dispatched(t, portal.TypeHelp, portal.TierA, false)
	if s := after.SLA; s.PlanVersion != 1 || !slices.Equal(dues(s), []string{"sign 2026-03-03 10:00", "reply 2026-03-02 18:00", "resolve 2026-03-06 10:00"}) {
		t.Errorf("dispatched after the change: version %d, %v", s.PlanVersion, dues(s))
	}
	old := f.stored(t, before.ID)
	if !reflect.DeepEqual(old.SLA, before.SLA) || old.SLA.PlanVersion != 0 {
		t.Errorf("the request dispatched before the change now runs on %+v, was %+v", old.SLA, before.SLA)
	}
	// Resuming the earlier request moves its legs by the units of version
	// 0 (working days), not by the natural hours of version 1.
	f.now = cst(2026, 3, 2, 11, 0)
	mustAct(t, f, "handler", before.ID, portal.ActSign, portal.ActionInput{})
	f.now = cst(2026, 3, 3, 15, 0) // Tuesday
	mustAct(t, f, "handler", before.ID, portal.ActSuspend, portal.ActionInput{Reason: "等待企业补充材料"})
	f.now = cst(2026, 3, 5, 10, 0) // Thursday
	r := mustAct(t, f, "handler", before.ID, portal.ActResume, portal.ActionInput{Reason: "材料已补齐"})
	// The reply was paused on its last day: it gets the rest of Thursday.
	// Wednesday to Friday were still ahead of the resolve leg: they count
	// again from Friday.
	want := []string{"sign 2026-03-03 10:00", "reply 2026-03-06 00:00", "resolve 2026-03-11 00:00"}
	if got := dues(r.SLA); !slices.Equal(got, want) || r.SLA.PlanVersion != 0 || r.SLA.Generation != 2 {
		t.Errorf("resumed: %v (version %d, generation %d), want %v", got, r.SLA.PlanVersion, r.SLA.Generation, want)
	}
	if r.DueAt == nil || !r.DueAt.Equal(cst(2026, 3, 6, 0, 0)) {
		t.Errorf("DueAt after resume = %v, want the moved reply deadline", r.DueAt)
	}
}

func mustAct(t *testing.T, f *slaFixture, username, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := f.Requests.Act(f.As(t, username), id, a, in)
	portaltest.Must(t, err, "%s as %s", a, username)
	return r
}

func TestSLASaveValidation(t *testing.T) {
	f := newSLAFixture(t)
	wh := func(n int) portal.SLALimit { return portal.SLALimit{Amount: n, Unit: workcal.WorkingHours} }
	wd := func(n int) portal.SLALimit { return portal.SLALimit{Amount: n, Unit: workcal.WorkingDays} }
	h := func(n int) portal.SLALimit { return portal.SLALimit{Amount: n, Unit: workcal.Hours} }
	for _, c := range []struct {
		name  string
		mod   func(m *portal.SLAPlans)
		field string
		msg   string
	}{
		{"hours over 720", func(m *portal.SLAPlans) { m.Plans[0].Sign = h(721) }, "consultation.A.sign", "1–720"},
		{"zero hours", func(m *portal.SLAPlans) { m.Plans[0].UrgentSign = h(0) }, "consultation.A.urgent_sign", "1–720"},
		{"working days over 60", func(m *portal.SLAPlans) { m.Plans[1].Resolve = wd(61) }, "consultation.B.resolve", "1–60"},
		{"unknown unit", func(m *portal.SLAPlans) { m.Plans[2].Reply = portal.SLALimit{Amount: 1, Unit: "days"} }, "consultation.C.reply", "单位"},
		{"reply longer than resolve", func(m *portal.SLAPlans) { m.Plans[6].Reply = wd(4) }, "complaint.A.reply", "答复时限不能长于办结时限"},
		{"reply in working days against resolve in hours", func(m *portal.SLAPlans) { m.Plans[6].Resolve = h(700) }, "complaint.A.reply", "可能晚于"},
		{"reply in working hours beyond resolve's days", func(m *portal.SLAPlans) { m.Plans[7].Reply = wh(23) }, "complaint.B.reply", "可能晚于"},
		{"reply in working days against too few working hours", func(m *portal.SLAPlans) { m.Plans[8].Resolve = wh(15) }, "complaint.C.reply", "可能晚于"},
		{"urgent sign longer than sign", func(m *portal.SLAPlans) { m.Plans[9].UrgentSign = h(25) }, "suggestion.A.urgent_sign", "紧急签收"},
		{"a plan missing", func(m *portal.SLAPlans) { m.Plans = m.Plans[:11] }, "plans", "缺少建议类诉求 C 级"},
		{"a plan twice", func(m *portal.SLAPlans) { m.Plans[11] = m.Plans[10] }, "plans.11", "重复"},
		{"an unknown type", func(m *portal.SLAPlans) { m.Plans[3].Type = "praise" }, "plans.3", "类型或层级未知"},
		{"an unknown tier", func(m *portal.SLAPlans) { m.Plans[4].Tier = "D" }, "plans.4", "类型或层级未知"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.slaSave(t, 0, c.mod)
			if portal.ErrorCode(err) != portal.EINVALID || !strings.Contains(portal.ErrorFields(err)[c.field], c.msg) {
				t.Errorf("err = %v, fields %v; want %s naming %q", err, portal.ErrorFields(err), c.field, c.msg)
			}
		})
	}
	// Limits that always end in order are accepted across units: 7 working
	// hours fit in one working day, 16 working hours outlast one, 24 hours
	// end before one working day ends.
	saved, err := f.slaSave(t, 0, func(m *portal.SLAPlans) {
		m.Plans[0].Reply, m.Plans[0].Resolve = wh(7), wd(1)
		m.Plans[1].Reply, m.Plans[1].Resolve = wd(1), wh(16)
		m.Plans[2].Reply = h(24)
	})
	portaltest.Must(t, err, "save limits in mixed units")
	if saved.Version != 1 {
		t.Errorf("version = %d, want 1", saved.Version)
	}
	if cur, err := f.SLA.Plans(f.As(t, "dispatcher")); err != nil || cur.Version != 1 || cur.Plans[1].Resolve != wh(16) {
		t.Errorf("plans read by the dispatcher = %+v, %v", cur, err)
	}

	// A stale version and other roles change nothing.
	_, err = f.slaSave(t, 0, func(m *portal.SLAPlans) { m.Plans[0].Sign = h(12) })
	if portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("stale save: %v, want conflict", err)
	}
	for _, who := range []string{"dispatcher", "handler", "enterprise"} {
		m := portal.DefaultSLAPlans()
		if _, err := f.SLA.Save(f.As(t, who), portal.SLAPlansInput{Version: 1, Plans: m.Plans}); portal.ErrorCode(err) != portal.EFORBIDDEN {
			t.Errorf("save as %s: %v, want forbidden", who, err)
		}
	}
	if _, err := f.SLA.Plans(f.As(t, "handler")); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("plans read by a handler: %v, want forbidden", err)
	}
	if _, err := f.SLA.Plans(context.Background()); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
		t.Errorf("plans read by a visitor: %v, want unauthenticated", err)
	}
	// Saving what is in force stores nothing new.
	same, err := f.SLA.Save(f.As(t, "admin"), portal.SLAPlansInput{Version: 1, Plans: saved.Plans})
	portaltest.Must(t, err, "save unchanged")
	history, total, err := f.SLA.History(f.As(t, "admin"), 0, 10)
	portaltest.Must(t, err, "history")
	if same.Version != 1 || total != 1 || history[0].Version != 1 {
		t.Errorf("after the refused and unchanged saves: version %d, %d stored", same.Version, total)
	}
	entries, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "sla.save"})
	portaltest.Must(t, err, "audit")
	var ok, denied int
	for _, e := range entries {
		switch e.Outcome {
		case portal.OutcomeOK:
			ok++
		case portal.OutcomeDenied:
			denied++
		}
	}
	if ok != 1 || denied != 3 {
		t.Errorf("audited %d saves and %d refusals, want 1 and 3", ok, denied)
	}
}

func TestSLAPreview(t *testing.T) {
	f := newSLAFixture(t)
	p, err := f.SLA.Preview(f.As(t, "dispatcher"), portal.SLAPreviewQuery{Type: "complaint", Tier: "b", Start: "2026-02-13T17:00:00+08:00"})
	portaltest.Must(t, err, "preview")
	var got []string
	for _, l := range p.Legs {
		got = append(got, fmt.Sprintf("%s %s %s", l.Name, l.Limit, l.Due.Format(time.RFC3339)))
	}
	// 春节 2026: the Saturday 02-14 is a make-up working day, 02-15 … 02-23 are off.
	want := []string{"签收 24 小时 2026-02-14T17:00:00+08:00", "答复 1 个工作日 2026-02-15T00:00:00+08:00",
		"办结 3 个工作日 2026-02-26T00:00:00+08:00"}
	if !slices.Equal(got, want) || p.PlanID != "complaint:B" || p.CalendarVersion != "2026:builtin" || p.Urgent {
		t.Errorf("preview = %v (%s, %s), want %v", got, p.PlanID, p.CalendarVersion, want)
	}
	p, err = f.SLA.Preview(f.As(t, "admin"), portal.SLAPreviewQuery{Type: "help", Tier: "C", Urgent: "true"})
	portaltest.Must(t, err, "preview now")
	if !p.Start.Equal(f.now) || !p.Legs[0].Due.Equal(f.now.Add(4*time.Hour)) {
		t.Errorf("urgent preview from now: start %v, sign %v", p.Start, p.Legs[0].Due)
	}
	_, err = f.SLA.Preview(f.As(t, "admin"), portal.SLAPreviewQuery{Type: "praise", Tier: "D", Urgent: "maybe", Start: "soon"})
	if fields := portal.ErrorFields(err); len(fields) != 4 || fields["type"] == "" || fields["tier"] == "" || fields["urgent"] == "" || fields["start"] == "" {
		t.Errorf("bad preview: %v %v", err, fields)
	}
	if _, err := f.SLA.Preview(f.As(t, "liaison"), portal.SLAPreviewQuery{Type: "help", Tier: "A"}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("preview by a liaison: %v", err)
	}
}

func TestSLAResumeArithmetic(t *testing.T) {
	f := newSLAFixture(t)
	ctx := context.Background()
	// Version 1 gives help requests at tier B a reply within 4 working hours.
	_, err := f.slaSave(t, 0, func(m *portal.SLAPlans) {
		m.Plan(portal.TypeHelp, portal.TierB).Reply = portal.SLALimit{Amount: 4, Unit: workcal.WorkingHours}
	})
	portaltest.Must(t, err, "save version 1")
	planned := func(typ portal.RequestType, tier portal.Tier, urgent bool, start time.Time) *portal.Request {
		r := &portal.Request{ID: "r-test", Type: typ, Tier: tier, Urgent: urgent}
		sla, err := f.SLA.Plan(ctx, r, start)
		portaltest.Must(t, err, "plan")
		r.SLA = sla
		return r
	}
	done := func(r *portal.Request, l portal.Leg) *portal.Request {
		at := r.SLA.Start
		r.SLA.Leg(l).DoneAt = &at
		return r
	}
	for _, c := range []struct {
		name            string
		r               *portal.Request
		pausedAt, now   time.Time
		want            []string
		calendarVersion string
	}{
		{"working days over a weekend: the paused Monday is given back",
			done(planned(portal.TypeHelp, portal.TierA, false, cst(2026, 3, 6, 10, 0)), portal.LegSign), // Friday
			cst(2026, 3, 6, 15, 0), cst(2026, 3, 9, 10, 0),
			[]string{"sign 2026-03-07 10:00", "reply 2026-03-11 00:00", "resolve 2026-03-14 00:00"}, "2026:builtin"},
		{"working days over 春节 with its make-up Saturday",
			done(planned(portal.TypeComplaint, portal.TierB, false, cst(2026, 2, 12, 10, 0)), portal.LegSign), // Thursday
			cst(2026, 2, 12, 16, 0), cst(2026, 2, 24, 9, 0),
			[]string{"sign 2026-02-13 10:00", "reply 2026-02-26 00:00", "resolve 2026-02-28 00:00"}, "2026:builtin"},
		{"paused and resumed the same day: nothing moves",
			done(planned(portal.TypeHelp, portal.TierA, false, cst(2026, 3, 6, 10, 0)), portal.LegSign),
			cst(2026, 3, 9, 10, 0), cst(2026, 3, 9, 17, 0),
			[]string{"sign 2026-03-07 10:00", "reply 2026-03-10 00:00", "resolve 2026-03-13 00:00"}, "2026:builtin"},
		{"paused on its last day: the rest of the resume day",
			done(planned(portal.TypeHelp, portal.TierA, false, cst(2026, 3, 6, 10, 0)), portal.LegSign),
			cst(2026, 3, 9, 15, 0), cst(2026, 3, 11, 10, 0),
			[]string{"sign 2026-03-07 10:00", "reply 2026-03-12 00:00", "resolve 2026-03-17 00:00"}, "2026:builtin"},
		{"paused on its last day, resumed on a Saturday: the next working day",
			done(planned(portal.TypeHelp, portal.TierA, false, cst(2026, 3, 6, 10, 0)), portal.LegSign),
			cst(2026, 3, 9, 15, 0), cst(2026, 3, 14, 10, 0),
			[]string{"sign 2026-03-07 10:00", "reply 2026-03-17 00:00", "resolve 2026-03-19 00:00"}, "2026:builtin"},
		{"natural hours move by the paused time",
			planned(portal.TypeHelp, portal.TierA, true, cst(2026, 3, 6, 17, 0)),
			cst(2026, 3, 6, 18, 0), cst(2026, 3, 9, 9, 0),
			[]string{"sign 2026-03-09 12:00", "reply 2026-03-11 00:00", "resolve 2026-03-14 00:00"}, "2026:builtin"},
		{"working hours: business time of the pause does not count",
			done(planned(portal.TypeHelp, portal.TierB, false, cst(2026, 3, 6, 16, 0)), portal.LegSign), // reply Mon 11:00
			cst(2026, 3, 6, 17, 0), cst(2026, 3, 9, 10, 0),
			[]string{"sign 2026-03-07 16:00", "reply 2026-03-09 14:30", "resolve 2026-03-13 00:00"}, "2026:builtin"},
		{"a leg overdue at the pause keeps its deadline",
			done(planned(portal.TypeHelp, portal.TierA, false, cst(2026, 3, 2, 10, 0)), portal.LegSign), // reply due 03-04 00:00
			cst(2026, 3, 4, 9, 0), cst(2026, 3, 5, 9, 0),
			[]string{"sign 2026-03-03 10:00", "reply 2026-03-04 00:00", "resolve 2026-03-10 00:00"}, "2026:builtin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := dues(c.r.SLA)
			c.r.SLA.Legs[len(c.r.SLA.Legs)-1].Rungs = []string{"warn"}
			got, err := f.SLA.Resume(ctx, c.r, c.pausedAt, c.now)
			portaltest.Must(t, err, "resume")
			if !slices.Equal(dues(got), c.want) {
				t.Errorf("resumed %v\n  got  %v\n  want %v", before, dues(got), c.want)
			}
			if got.CalendarVersion != c.calendarVersion || got.PlanID != c.r.SLA.PlanID || got.PlanVersion != c.r.SLA.PlanVersion {
				t.Errorf("resumed SLA = %+v", got)
			}
			if !slices.Equal(dues(c.r.SLA), before) {
				t.Errorf("Resume changed the request it was given: %v", dues(c.r.SLA))
			}
			if moved := !got.Legs[2].Due.Equal(c.r.SLA.Legs[2].Due); moved == (got.Legs[2].Rungs != nil) {
				t.Errorf("resolve leg moved=%v keeps rungs %v: a moved leg starts its ladder afresh, a kept one keeps it", moved, got.Legs[2].Rungs)
			}
		})
	}
}

// unchanged checks that the request is stored as it was.
func (f *slaFixture) unchanged(t *testing.T, want *portal.Request) {
	t.Helper()
	got := f.stored(t, want.ID)
	if got.Version != want.Version || !reflect.DeepEqual(got.SLA, want.SLA) || !reflect.DeepEqual(got.DueAt, want.DueAt) ||
		!reflect.DeepEqual(got.Extension, want.Extension) || len(got.Timeline) != len(want.Timeline) {
		t.Errorf("the request changed: version %d → %d, SLA %v → %v, extension %+v → %+v", want.Version, got.Version,
			dues(want.SLA), dues(got.SLA), want.Extension, got.Extension)
	}
}

func TestSLAExtensionAskAndApprove(t *testing.T) {
	f := newSLAFixture(t)
	r := f.dispatched(t, portal.TypeHelp, portal.TierA, false) // resolve due Sat 2026-03-07 00:00
	r = mustAct(t, f, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	ask := func(who string, in portal.ExtensionInput) (*portal.Request, error) {
		return f.Requests.RequestExtension(f.As(t, who), r.ID, in)
	}
	good := portal.ExtensionInput{Leg: "resolve", ExtraDays: 2, Reason: "需要会同港务部门现场核查", Version: r.Version}
	if legs := f.Requests.ExtendableLegs(f.As(t, "handler"), r); !slices.Equal(legs, []portal.Leg{portal.LegReply, portal.LegResolve}) {
		t.Errorf("extendable legs = %v", legs)
	}
	for _, c := range []struct {
		name, who string
		mod       func(in *portal.ExtensionInput)
		code      string
		field     string
	}{
		{"unknown leg", "handler", func(in *portal.ExtensionInput) { in.Leg = "close" }, portal.EINVALID, "leg"},
		{"no leg", "handler", func(in *portal.ExtensionInput) { in.Leg = "" }, portal.EINVALID, "leg"},
		{"a leg already done", "handler", func(in *portal.ExtensionInput) { in.Leg = "sign" }, portal.EINVALID, "leg"},
		{"empty reason", "handler", func(in *portal.ExtensionInput) { in.Reason = "  " }, portal.EINVALID, "reason"},
		{"neither a due nor days", "handler", func(in *portal.ExtensionInput) { in.ExtraDays = 0 }, portal.EINVALID, "due"},
		{"both a due and days", "handler", func(in *portal.ExtensionInput) { in.Due = "2026-03-10" }, portal.EINVALID, "due"},
		{"too many days", "handler", func(in *portal.ExtensionInput) { in.ExtraDays = 31 }, portal.EINVALID, "extra_days"},
		{"negative days", "handler", func(in *portal.ExtensionInput) { in.ExtraDays = -2 }, portal.EINVALID, "extra_days"},
		{"a due not later", "handler", func(in *portal.ExtensionInput) { in.ExtraDays, in.Due = 0, "2026-03-06" }, portal.EINVALID, "due"},
		{"a due far away", "handler", func(in *portal.ExtensionInput) { in.ExtraDays, in.Due = 0, "2026-07-01" }, portal.EINVALID, "due"},
		{"a due unreadable", "handler", func(in *portal.ExtensionInput) { in.ExtraDays, in.Due = 0, "next week" }, portal.EINVALID, "due"},
		{"a stale version", "handler", func(in *portal.ExtensionInput) { in.Version = 1 }, portal.ECONFLICT, "status"},
		{"the enterprise", "enterprise", nil, portal.EFORBIDDEN, ""},
		{"the dispatcher", "dispatcher", nil, portal.EFORBIDDEN, ""},
		{"a liaison who sees it", "liaison", nil, portal.EFORBIDDEN, ""},
		{"a handler of another unit", "handler-sub", nil, portal.ENOTFOUND, ""},
		{"another enterprise", "enterprise2", nil, portal.ENOTFOUND, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := good
			if c.mod != nil {
				c.mod(&in)
			}
			_, err := ask(c.who, in)
			if portal.ErrorCode(err) != c.code || (c.field != "" && portal.ErrorFields(err)[c.field] == "") {
				t.Errorf("err = %v, fields %v; want %s naming %q", err, portal.ErrorFields(err), c.code, c.field)
			}
			f.unchanged(t, r)
		})
	}

	asked, err := ask("handler", good)
	portaltest.Must(t, err, "ask")
	x := asked.Extension
	if x == nil || x.Leg != portal.LegResolve || !x.NewDue.Equal(cst(2026, 3, 11, 0, 0)) || !x.Due.Equal(cst(2026, 3, 7, 0, 0)) ||
		x.RequestedByID != "u-handler" || x.Generation != 1 {
		t.Fatalf("pending extension = %+v", x)
	}
	if ev := asked.Timeline[len(asked.Timeline)-1]; ev.Action != "extension_request" || !strings.Contains(ev.Note, "2026-03-07 00:00 延至 2026-03-11 00:00") {
		t.Errorf("timeline = %+v", ev)
	}
	if !reflect.DeepEqual(asked.SLA, r.SLA) {
		t.Errorf("asking moved deadlines: %v", dues(asked.SLA))
	}
	if _, err := ask("depthead", portal.ExtensionInput{Leg: "reply", Due: "2026-03-05", Reason: "再申请一次"}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("a second extension while one waits: %v, want conflict", err)
	}
	f.wantNotified(t, "u-dispatcher", "申请办结延期")
	f.wantNotified(t, "u-depthead", "申请办结延期")

	decide := func(who string, d portal.ExtensionDecision) (*portal.Request, error) {
		return f.Requests.DecideExtension(f.As(t, who), r.ID, d)
	}
	yes, no := true, false
	for _, c := range []struct {
		name, who string
		d         portal.ExtensionDecision
		code      string
		field     string
	}{
		{"the handler who asked", "handler", portal.ExtensionDecision{Approve: &yes}, portal.EFORBIDDEN, ""},
		{"the enterprise", "enterprise", portal.ExtensionDecision{Approve: &yes}, portal.EFORBIDDEN, ""},
		{"a handler of another unit", "handler-sub", portal.ExtensionDecision{Approve: &yes}, portal.ENOTFOUND, ""},
		{"no verdict", "dispatcher", portal.ExtensionDecision{}, portal.EINVALID, "approve"},
		{"a refusal without reason", "depthead", portal.ExtensionDecision{Approve: &no}, portal.EINVALID, "note"},
		{"a stale version", "dispatcher", portal.ExtensionDecision{Approve: &yes, Version: 2}, portal.ECONFLICT, "status"},
	} {
		t.Run("decide/"+c.name, func(t *testing.T) {
			_, err := decide(c.who, c.d)
			if portal.ErrorCode(err) != c.code || (c.field != "" && portal.ErrorFields(err)[c.field] == "") {
				t.Errorf("err = %v, fields %v; want %s naming %q", err, portal.ErrorFields(err), c.code, c.field)
			}
			f.unchanged(t, asked)
		})
	}
	if !f.Requests.MayDecideExtension(f.As(t, "depthead"), asked) || f.Requests.MayDecideExtension(f.As(t, "handler"), asked) {
		t.Error("MayDecideExtension disagrees with DecideExtension")
	}
	f.now = cst(2026, 3, 3, 9, 0)
	approved, err := decide("dispatcher", portal.ExtensionDecision{Approve: &yes, Note: "同意", Version: asked.Version})
	portaltest.Must(t, err, "approve")
	if got := dues(approved.SLA); !slices.Equal(got, []string{"sign 2026-03-03 10:00", "reply 2026-03-04 00:00", "resolve 2026-03-11 00:00"}) ||
		approved.SLA.Generation != 2 || approved.Extension != nil {
		t.Errorf("approved: %v generation %d extension %+v", got, approved.SLA.Generation, approved.Extension)
	}
	if ev := approved.Timeline[len(approved.Timeline)-1]; ev.Action != "extension_approve" || ev.ActorID != "u-dispatcher" || !strings.Contains(ev.Note, "同意将办结时限") {
		t.Errorf("timeline = %+v", ev)
	}
	f.wantNotified(t, "u-handler", "办结延期申请已同意")
	if _, err := decide("depthead", portal.ExtensionDecision{Approve: &yes}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("deciding with nothing pending: %v, want conflict", err)
	}

	// After the reply deadline has passed, the reply leg cannot be extended.
	f.now = cst(2026, 3, 4, 8, 0)
	_, err = ask("handler", portal.ExtensionInput{Leg: "reply", ExtraDays: 1, Reason: "企业负责人出差"})
	if portal.ErrorFields(err)["leg"] == "" || !strings.Contains(portal.ErrorFields(err)["leg"], "超期") {
		t.Errorf("an overdue leg: %v %v", err, portal.ErrorFields(err))
	}
	f.unchanged(t, approved)
}

func TestSLAExtensionRefuseAndLapse(t *testing.T) {
	f := newSLAFixture(t)
	r := f.dispatched(t, portal.TypeComplaint, portal.TierA, false)
	r = mustAct(t, f, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	asked, err := f.Requests.RequestExtension(f.As(t, "handler"), r.ID,
		portal.ExtensionInput{Leg: "reply", Due: "2026-03-05T12:00", Reason: "需要调取监控录像"})
	portaltest.Must(t, err, "ask")
	if !asked.Extension.NewDue.Equal(cst(2026, 3, 5, 12, 0)) {
		t.Errorf("a due without offset is district time: %v", asked.Extension.NewDue)
	}
	no := false
	refused, err := f.Requests.DecideExtension(f.As(t, "depthead"), r.ID, portal.ExtensionDecision{Approve: &no, Note: "时限内可以答复"})
	portaltest.Must(t, err, "refuse")
	if !reflect.DeepEqual(refused.SLA, r.SLA) || !reflect.DeepEqual(refused.DueAt, r.DueAt) || refused.Extension != nil {
		t.Errorf("a refusal changed deadlines: %v → %v", dues(r.SLA), dues(refused.SLA))
	}
	if ev := refused.Timeline[len(refused.Timeline)-1]; ev.Action != "extension_refuse" || !strings.Contains(ev.Note, "时限内可以答复") {
		t.Errorf("timeline = %+v", ev)
	}
	f.wantNotified(t, "u-handler", "答复延期申请未获同意")

	// The depthead asks and may not decide; once the leg is done the
	// extension has lapsed and can only be refused.
	asked, err = f.Requests.RequestExtension(f.As(t, "depthead"), r.ID,
		portal.ExtensionInput{Leg: "reply", Due: "2026-03-05", Reason: "需要调取监控录像"})
	portaltest.Must(t, err, "ask again")
	if !asked.Extension.NewDue.Equal(cst(2026, 3, 6, 0, 0)) {
		t.Errorf("a date alone means the end of that day: %v", asked.Extension.NewDue)
	}
	yes := true
	if _, err := f.Requests.DecideExtension(f.As(t, "depthead"), r.ID, portal.ExtensionDecision{Approve: &yes}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("deciding one's own extension: %v, want forbidden", err)
	}
	replied := mustAct(t, f, "handler", r.ID, portal.ActReply, portal.ActionInput{Text: "已调取录像并答复企业"})
	if _, err := f.Requests.DecideExtension(f.As(t, "dispatcher"), r.ID, portal.ExtensionDecision{Approve: &yes}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("approving a lapsed extension: %v, want conflict", err)
	}
	f.unchanged(t, replied)
	if _, err := f.Requests.DecideExtension(f.As(t, "dispatcher"), r.ID, portal.ExtensionDecision{Approve: &no, Note: "已答复，无需延期"}); err != nil {
		t.Errorf("refusing a lapsed extension: %v", err)
	}
	entries, _, err := f.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "request.", ObjectID: r.ID, Limit: 100})
	portaltest.Must(t, err, "audit")
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "request.extension_") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("audited %d extension actions, want 4", n)
	}
}

// wantNotified checks that user has a notification whose title holds s.
func (f *slaFixture) wantNotified(t *testing.T, user, s string) {
	t.Helper()
	ns, _, _, err := f.Notes.FindNotificationsForUser(context.Background(), user, portal.NotificationFilter{Limit: 50})
	portaltest.Must(t, err, "notifications of %s", user)
	for _, n := range ns {
		if strings.Contains(n.Title, s) {
			return
		}
	}
	var titles []string
	for _, n := range ns {
		titles = append(titles, n.Title)
	}
	t.Errorf("%s has no notification about %q: %v", user, s, titles)
}
