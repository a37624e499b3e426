package portal_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// routingClock is the routing tests' clock.
var routingClock = time.Date(2026, 5, 11, 2, 0, 0, 0, time.UTC)

// newRoutingWorld is the demo district without routing rules.
func newRoutingWorld(t *testing.T) *portaltest.World {
	t.Helper()
	return portaltest.NewWorld(t, portaltest.DB(t), func() time.Time { return routingClock })
}

// seedDemoRules stores the demo district's default rules.
func seedDemoRules(t *testing.T, w *portaltest.World) {
	t.Helper()
	for _, r := range demo.RoutingRules() {
		portaltest.Must(t, w.Rules.CreateRoutingRule(context.Background(), r), "rule %s", r.ID)
	}
}

// ruleIDs returns the ids of every stored rule, in the order tried.
func ruleIDs(t *testing.T, w *portaltest.World) []string {
	t.Helper()
	p, err := w.Routing.List(w.As(t, "admin"), portal.RoutingQuery{PerPage: portal.MaxRulesPerPage})
	portaltest.Must(t, err, "list rules")
	var out []string
	for _, r := range p.Items {
		out = append(out, r.ID)
	}
	return out
}

// auditActions returns "action:outcome" of the audit entries with the action prefix.
func auditActions(t *testing.T, w *portaltest.World, prefix string) []string {
	t.Helper()
	entries, _, err := w.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: prefix})
	portaltest.Must(t, err, "audit")
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action+":"+entries[i].Outcome)
	}
	return out
}

func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if portal.ErrorCode(err) != portal.EINVALID {
		t.Fatalf("error %v, want invalid naming %v", err, fields)
	}
	got := portal.ErrorFields(err)
	for _, f := range fields {
		if got[f] == "" {
			t.Errorf("fields %v lack %q", got, f)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("fields %v, want exactly %v", got, fields)
	}
}

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }

// TestRoutingDemoRules routes sample requests through the demo table:
// category × region × type, relative targets resolved from the request's
// own place, narrower rules before broader ones.
func TestRoutingDemoRules(t *testing.T) {
	w := newRoutingWorld(t)
	seedDemoRules(t, w)
	ctx := context.Background()
	for _, tc := range []struct {
		name              string
		category          string
		typ               portal.RequestType
		subdistrict, park string
		rule, dept        string // "" rule: no suggestion
		tier              portal.Tier
	}{
		{"traffic help goes to the transport bureau", "traffic", portal.TypeHelp, "sd-haigang", "p-logistics", "route-traffic", "dept-trans", portal.TierA},
		{"traffic complaint in Haigang goes to the sub-district, also from a park below it", "traffic", portal.TypeComplaint, "sd-haigang", "p-logistics", "route-traffic-complaint-haigang", "sd-haigang", portal.TierB},
		{"traffic complaint elsewhere goes to the bureau", "traffic", portal.TypeComplaint, "sd-jinsha", "c-jinsha-shuibei", "route-traffic", "dept-trans", portal.TierA},
		{"dispute goes to the enterprise's own sub-district", "dispute", portal.TypeComplaint, "sd-jinsha", "c-jinsha-shuibei", "route-dispute", "sd-jinsha", portal.TierB},
		{"dispute in the logistics park goes to the park", "dispute", portal.TypeHelp, "sd-haigang", "p-logistics", "route-dispute-logistics", "p-logistics", portal.TierC},
		{"park services go to the enterprise's own park", "park", portal.TypeHelp, "sd-meilin", "p-health", "route-park", "p-health", portal.TierC},
		{"park services go to the enterprise's own community", "park", portal.TypeSuggestion, "sd-dongwan", "c-dongwan-binhai", "route-park", "c-dongwan-binhai", portal.TierC},
		{"park services without a community or park: no suggestion", "park", portal.TypeHelp, "sd-dongwan", "", "", "", ""},
		{"talent in the health park goes to the science bureau", "talent", portal.TypeHelp, "sd-meilin", "p-health", "route-talent-health", "dept-sci", portal.TierA},
		{"talent elsewhere goes to HR", "talent", portal.TypeHelp, "sd-meilin", "c-meilin-xinhe", "route-talent", "dept-hrss", portal.TierA},
		{"land in Jinsha goes to industry", "land", portal.TypeHelp, "sd-jinsha", "p-jewelry", "route-land-jewelry", "dept-miit", portal.TierA},
		{"land elsewhere goes to planning", "land", portal.TypeHelp, "sd-haigang", "c-haigang-lingang", "route-land", "dept-plan", portal.TierA},
		{"enforcement in the tourism zone goes to culture", "enforcement", portal.TypeComplaint, "sd-dongwan", "p-tourism", "route-enforcement-tourism", "dept-culture", portal.TierA},
		{"other goes to the own sub-district", "other", portal.TypeSuggestion, "sd-dongwan", "p-tourism", "route-other", "sd-dongwan", portal.TierB},
		{"other without a sub-district: no suggestion", "other", portal.TypeHelp, "", "", "", "", ""},
		{"unknown category: no suggestion", "space", portal.TypeHelp, "sd-haigang", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.Routing.Suggest(ctx, &portal.Request{Category: tc.category, Type: tc.typ, SubdistrictID: tc.subdistrict, ParkID: tc.park})
			portaltest.Must(t, err, "suggest")
			if tc.rule == "" {
				if got != nil {
					t.Fatalf("suggestion %+v, want none", got)
				}
				return
			}
			if got == nil || got.RuleID != tc.rule || got.DepartmentID != tc.dept || got.Tier != tc.tier || got.DepartmentName == "" {
				t.Fatalf("suggestion %+v, want rule %s → %s (%s)", got, tc.rule, tc.dept, tc.tier)
			}
		})
	}

	t.Run("every default category is routed", func(t *testing.T) {
		for _, c := range portal.DefaultCategories() {
			got, err := w.Routing.Suggest(ctx, &portal.Request{Category: c.Code, Type: c.Types[0], SubdistrictID: "sd-haigang", ParkID: "c-haigang-gangqian"})
			portaltest.Must(t, err, "suggest %s", c.Code)
			if got == nil {
				t.Errorf("category %s (%s) has no route", c.Code, c.Name)
			}
		}
	})

	t.Run("the demo rules pass the admin's validation", func(t *testing.T) {
		admin := w.As(t, "admin")
		for _, r := range demo.RoutingRules() {
			in := portal.RoutingRuleInput{Name: r.Name, Category: r.Category, RegionID: r.RegionID, Type: r.Type,
				Priority: intp(r.Priority), Target: r.Target, DepartmentID: r.DepartmentID, Tier: r.Tier, Enabled: boolp(true)}
			v, err := w.Routing.Create(admin, in)
			portaltest.Must(t, err, "rule %s", r.ID)
			if v.Tier != r.Tier {
				t.Errorf("rule %s: tier %s, demo says %s", r.ID, v.Tier, r.Tier)
			}
		}
	})
}

// TestRoutingOrder checks priority, specificity, deterministic ties and
// that disabled rules are skipped.
func TestRoutingOrder(t *testing.T) {
	w := newRoutingWorld(t)
	admin := w.As(t, "admin")
	mk := func(name, category, region string, typ portal.RequestType, prio int, dept string, enabled bool) string {
		t.Helper()
		v, err := w.Routing.Create(admin, portal.RoutingRuleInput{Name: name, Category: category, RegionID: region, Type: typ,
			Priority: intp(prio), Target: portal.TargetUnit, DepartmentID: dept, Enabled: boolp(enabled)})
		portaltest.Must(t, err, "create %s", name)
		return v.ID
	}
	suggest := func(category string, typ portal.RequestType, sub, park string) string {
		t.Helper()
		got, err := w.Routing.Suggest(context.Background(), &portal.Request{Category: category, Type: typ, SubdistrictID: sub, ParkID: park})
		portaltest.Must(t, err, "suggest")
		if got == nil {
			return ""
		}
		return got.RuleName
	}
	if got := suggest("traffic", portal.TypeHelp, "sd-haigang", ""); got != "" {
		t.Fatalf("with no rules the suggestion is %q, want none", got)
	}
	mk("B 交通任意区域", "traffic", "", "", 100, "dept-trans", true)
	mk("A 交通任意区域", "traffic", "", "", 100, "dept-drc", true)
	mk("交通金沙街道", "traffic", "sd-jinsha", "", 100, "sd-jinsha", true)
	mk("交通水贝社区", "traffic", "c-jinsha-shuibei", "", 100, "c-jinsha-shuibei", true)
	mk("交通投诉水贝社区", "traffic", "c-jinsha-shuibei", portal.TypeComplaint, 100, "dept-samr", true)
	mk("停用的最高优先级", "", "", "", 1, "dept-tax", false)

	for _, tc := range []struct {
		name      string
		typ       portal.RequestType
		sub, park string
		want      string
	}{
		{"same priority and specificity: by name", portal.TypeHelp, "sd-haigang", "", "A 交通任意区域"},
		{"a sub-district beats anywhere", portal.TypeHelp, "sd-jinsha", "p-jewelry", "交通金沙街道"},
		{"a community beats its sub-district", portal.TypeHelp, "sd-jinsha", "c-jinsha-shuibei", "交通水贝社区"},
		{"a community and a type beat a community alone", portal.TypeComplaint, "sd-jinsha", "c-jinsha-shuibei", "交通投诉水贝社区"},
	} {
		if got := suggest("traffic", tc.typ, tc.sub, tc.park); got != tc.want {
			t.Errorf("%s: hit %q, want %q", tc.name, got, tc.want)
		}
	}
	urgent := mk("优先级 10 的全局规则", "", "", "", 10, "dept-emergency", true)
	if got := suggest("traffic", portal.TypeComplaint, "sd-jinsha", "c-jinsha-shuibei"); got != "优先级 10 的全局规则" {
		t.Errorf("a lower priority number should win over specificity; hit %q", got)
	}
	if got := suggest("finance", portal.TypeHelp, "", ""); got != "优先级 10 的全局规则" {
		t.Errorf("a rule without conditions should catch everything; hit %q", got)
	}
	first := ruleIDs(t, w)
	if first[len(first)-1] == urgent || first[1] != urgent {
		t.Errorf("list order %v: the disabled priority-1 rule first, then the priority-10 rule", first)
	}
	for range 3 {
		if again := ruleIDs(t, w); !slices.Equal(again, first) {
			t.Fatalf("order changed between reads: %v then %v", first, again)
		}
	}
}

// TestRoutingValidation sends each bad input and checks it is refused
// naming the field, with nothing stored.
func TestRoutingValidation(t *testing.T) {
	w := newRoutingWorld(t)
	admin := w.As(t, "admin")
	good := func() portal.RoutingRuleInput {
		return portal.RoutingRuleInput{Name: "交通出行交交通运输局", Category: "traffic", Target: portal.TargetUnit, DepartmentID: "dept-trans"}
	}
	for _, tc := range []struct {
		name   string
		change func(*portal.RoutingRuleInput)
		fields []string
	}{
		{"name too short", func(in *portal.RoutingRuleInput) { in.Name = "交" }, []string{"name"}},
		{"name too long", func(in *portal.RoutingRuleInput) { in.Name = strings.Repeat("长", 41) }, []string{"name"}},
		{"name with a control character", func(in *portal.RoutingRuleInput) { in.Name = "交通\x00出行" }, []string{"name"}},
		{"unknown category", func(in *portal.RoutingRuleInput) { in.Category = "space" }, []string{"category"}},
		{"unknown type", func(in *portal.RoutingRuleInput) { in.Type = "praise" }, []string{"type"}},
		{"type the category does not take", func(in *portal.RoutingRuleInput) { in.Type = portal.TypeConsultation }, []string{"type"}},
		{"region is a department", func(in *portal.RoutingRuleInput) { in.RegionID = "dept-trans" }, []string{"region_id"}},
		{"region is the district", func(in *portal.RoutingRuleInput) { in.RegionID = demo.DistrictID }, []string{"region_id"}},
		{"region unknown", func(in *portal.RoutingRuleInput) { in.RegionID = "sd-nowhere" }, []string{"region_id"}},
		{"priority zero", func(in *portal.RoutingRuleInput) { in.Priority = intp(0) }, []string{"priority"}},
		{"priority too large", func(in *portal.RoutingRuleInput) { in.Priority = intp(10000) }, []string{"priority"}},
		{"no target", func(in *portal.RoutingRuleInput) { in.Target = "" }, []string{"target"}},
		{"unknown target", func(in *portal.RoutingRuleInput) { in.Target = "mayor" }, []string{"target"}},
		{"no department", func(in *portal.RoutingRuleInput) { in.DepartmentID = "" }, []string{"department_id"}},
		{"department unknown", func(in *portal.RoutingRuleInput) { in.DepartmentID = "dept-none" }, []string{"department_id"}},
		{"department is the district root", func(in *portal.RoutingRuleInput) { in.DepartmentID = demo.DistrictID }, []string{"department_id"}},
		{"tier not the department's", func(in *portal.RoutingRuleInput) { in.Tier = portal.TierB }, []string{"tier"}},
		{"tier not a tier", func(in *portal.RoutingRuleInput) { in.Tier = "Z" }, []string{"tier"}},
		{"relative target with the wrong tier", func(in *portal.RoutingRuleInput) {
			in.Target, in.Tier = portal.TargetOwnPark, portal.TierB
		}, []string{"tier"}},
		{"several at once", func(in *portal.RoutingRuleInput) {
			in.Name, in.Category, in.Priority, in.DepartmentID = "", "space", intp(-5), "district"
		}, []string{"name", "category", "priority", "department_id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good()
			tc.change(&in)
			_, err := w.Routing.Create(admin, in)
			wantFields(t, err, tc.fields...)
		})
	}
	if ids := ruleIDs(t, w); len(ids) != 0 {
		t.Fatalf("refused rules were stored: %v", ids)
	}
	if got := auditActions(t, w, "routing."); len(got) != 0 {
		t.Errorf("refused input was audited as a change: %v", got)
	}

	t.Run("relative target ignores a department", func(t *testing.T) {
		in := good()
		in.Target = portal.TargetOwnSubdistrict
		v, err := w.Routing.Create(admin, in)
		portaltest.Must(t, err, "create")
		if v.DepartmentID != "" || v.Tier != portal.TierB || v.TargetName != portal.RouteTargetNames[portal.TargetOwnSubdistrict] {
			t.Errorf("rule %+v, want no department, tier B", v.RoutingRule)
		}
	})
}

// TestRoutingEditing covers update, version conflicts, delete, the audit
// trail and who may do what.
func TestRoutingEditing(t *testing.T) {
	w := newRoutingWorld(t)
	admin := w.As(t, "admin")
	v, err := w.Routing.Create(admin, portal.RoutingRuleInput{Name: "交通出行交交通运输局", Category: "traffic",
		Target: portal.TargetUnit, DepartmentID: "dept-trans"})
	portaltest.Must(t, err, "create")
	if v.Version != 1 || !v.Enabled || v.Priority != portal.DefaultRoutingPriority || v.Tier != portal.TierA || v.Order != 1 {
		t.Fatalf("new rule %+v", v.RoutingRule)
	}
	id := v.ID

	t.Run("Update", func(t *testing.T) {
		u, err := w.Routing.Update(admin, id, portal.RoutingRuleInput{Name: "交通出行先交街道", Category: "traffic",
			Target: portal.TargetOwnSubdistrict, Enabled: boolp(false), Version: 1})
		portaltest.Must(t, err, "update")
		if u.Version != 2 || u.Enabled || u.Tier != portal.TierB || u.DepartmentID != "" || u.Priority != portal.DefaultRoutingPriority {
			t.Fatalf("updated %+v", u.RoutingRule)
		}
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		_, err := w.Routing.Update(admin, id, portal.RoutingRuleInput{Name: "陈旧的修改", Category: "traffic",
			Target: portal.TargetOwnSubdistrict, Version: 1})
		admWantCode(t, err, portal.ECONFLICT)
		if portal.ErrorFields(err)["version"] != "2" {
			t.Errorf("conflict fields %v, want the current version 2", portal.ErrorFields(err))
		}
		err = w.Routing.Delete(admin, id, 1)
		admWantCode(t, err, portal.ECONFLICT)
		_, err = w.Routing.Update(admin, id, portal.RoutingRuleInput{Name: "没有版本号", Category: "traffic", Target: portal.TargetOwnSubdistrict})
		wantFields(t, err, "version")
		got, err := w.Routing.Get(admin, id)
		portaltest.Must(t, err, "get")
		if got.Name != "交通出行先交街道" || got.Version != 2 {
			t.Errorf("a refused change was stored: %+v", got.RoutingRule)
		}
	})

	t.Run("ErrInvalidChangesNothing", func(t *testing.T) {
		_, err := w.Routing.Update(admin, id, portal.RoutingRuleInput{Name: "x", Target: portal.TargetUnit, DepartmentID: "district", Version: 2})
		wantFields(t, err, "name", "department_id")
		got, err := w.Routing.Get(admin, id)
		portaltest.Must(t, err, "get")
		if got.Version != 2 || got.Name != "交通出行先交街道" {
			t.Errorf("a refused change was stored: %+v", got.RoutingRule)
		}
	})

	t.Run("ConcurrentUpdatesOneWins", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = w.Routing.Update(admin, id, portal.RoutingRuleInput{Name: "并发修改 " + string(rune('A'+i)),
					Category: "traffic", Target: portal.TargetOwnSubdistrict, Version: 2})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !portal.IsCode(err, portal.ECONFLICT):
				t.Errorf("loser got %v, want conflict", err)
			}
		}
		got, err := w.Routing.Get(admin, id)
		portaltest.Must(t, err, "get")
		if won != 1 || got.Version != 3 {
			t.Fatalf("%d writers won, version %d; want exactly one and version 3", won, got.Version)
		}
	})

	t.Run("Forbidden", func(t *testing.T) {
		for _, who := range []string{"dispatcher", "handler", "enterprise", "editor"} {
			ctx := w.As(t, who)
			_, err := w.Routing.Create(ctx, portal.RoutingRuleInput{Name: "越权规则", Category: "traffic", Target: portal.TargetOwnPark})
			admWantCode(t, err, portal.EFORBIDDEN)
			_, err = w.Routing.Update(ctx, id, portal.RoutingRuleInput{Name: "越权修改", Category: "traffic", Target: portal.TargetOwnPark, Version: 3})
			admWantCode(t, err, portal.EFORBIDDEN)
			admWantCode(t, w.Routing.Delete(ctx, id, 0), portal.EFORBIDDEN)
			_, err = w.Routing.Get(ctx, id)
			admWantCode(t, err, portal.EFORBIDDEN)
		}
		for _, who := range []string{"handler", "enterprise", "liaison", "committee"} {
			_, err := w.Routing.List(w.As(t, who), portal.RoutingQuery{})
			admWantCode(t, err, portal.EFORBIDDEN)
			_, err = w.Routing.Test(w.As(t, who), portal.RouteTestInput{Category: "traffic", Type: portal.TypeHelp, RegionID: "sd-haigang"})
			admWantCode(t, err, portal.EFORBIDDEN)
		}
		_, err := w.Routing.List(context.Background(), portal.RoutingQuery{})
		admWantCode(t, err, portal.EUNAUTHENTICATED)
		p, err := w.Routing.List(w.As(t, "dispatcher"), portal.RoutingQuery{})
		portaltest.Must(t, err, "dispatcher lists")
		if p.Total != 1 {
			t.Errorf("dispatcher sees %d rules, want 1", p.Total)
		}
		got, err := w.Routing.Get(admin, id)
		portaltest.Must(t, err, "get")
		if got.Version != 3 || strings.Contains(got.Name, "越权") {
			t.Errorf("a refused change was stored: %+v", got.RoutingRule)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := w.Routing.Get(admin, "no-such-rule")
		admWantCode(t, err, portal.ENOTFOUND)
		_, err = w.Routing.Update(admin, "no-such-rule", portal.RoutingRuleInput{Name: "不存在", Target: portal.TargetOwnPark, Version: 1})
		admWantCode(t, err, portal.ENOTFOUND)
		admWantCode(t, w.Routing.Delete(admin, "no-such-rule", 0), portal.ENOTFOUND)
	})

	t.Run("Delete", func(t *testing.T) {
		portaltest.Must(t, w.Routing.Delete(admin, id, 3), "delete")
		_, err := w.Routing.Get(admin, id)
		admWantCode(t, err, portal.ENOTFOUND)
	})

	got := auditActions(t, w, "routing.")
	want := []string{"routing.create:ok", "routing.update:ok", "routing.update:ok"}
	for range 4 {
		want = append(want, "routing.create:denied", "routing.update:denied", "routing.delete:denied")
	}
	want = append(want, "routing.delete:ok")
	// The clock stands still, so entries are compared as a set.
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("audit trail\n got %v\nwant %v", got, want)
	}
}

// TestRoutingConsole checks the console's answer: the hit and each rule
// with its outcome and reasons.
func TestRoutingConsole(t *testing.T) {
	w := newRoutingWorld(t)
	seedDemoRules(t, w)
	admin := w.As(t, "admin")
	_, err := w.Routing.Update(admin, "route-dispute", portal.RoutingRuleInput{Name: "矛盾纠纷由企业所在街道调处", Category: "dispute",
		Target: portal.TargetOwnSubdistrict, Enabled: boolp(false), Version: 1})
	portaltest.Must(t, err, "disable route-dispute")
	_, err = w.Routing.Create(admin, portal.RoutingRuleInput{Name: "矛盾纠纷兜底交发改局", Category: "dispute", Priority: intp(200),
		Target: portal.TargetUnit, DepartmentID: "dept-drc"})
	portaltest.Must(t, err, "fallback")

	outcomes := func(res *portal.RouteTestResult) map[string]*portal.RouteCandidate {
		out := map[string]*portal.RouteCandidate{}
		for _, c := range res.Candidates {
			out[c.Rule.Name] = c
		}
		return out
	}

	t.Run("enterprise in the logistics park", func(t *testing.T) {
		res, err := w.Routing.Test(w.As(t, "dispatcher"), portal.RouteTestInput{Category: "dispute", Type: portal.TypeComplaint, EnterpriseID: "ent-001"})
		portaltest.Must(t, err, "test")
		if res.Hit == nil || res.Hit.RuleID != "route-dispute-logistics" || res.Hit.DepartmentID != "p-logistics" || res.Hit.Tier != portal.TierC {
			t.Fatalf("hit %+v, want the logistics park rule", res.Hit)
		}
		if res.Sample.EnterpriseName != "海湾国际物流有限公司" || res.Sample.SubdistrictName != "海港街道" || res.Sample.ParkName != "海港物流园" ||
			res.Sample.CategoryName != "矛盾纠纷" || res.Sample.TypeName != "投诉" {
			t.Errorf("sample %+v", res.Sample)
		}
		if len(res.Candidates) != len(demo.RoutingRules())+1 {
			t.Fatalf("%d candidates, want every rule", len(res.Candidates))
		}
		for i, c := range res.Candidates {
			if c.Rule.Order != i+1 || len(c.Reasons) == 0 {
				t.Errorf("candidate %d: order %d, reasons %v", i, c.Rule.Order, c.Reasons)
			}
		}
		byName := outcomes(res)
		for name, want := range map[string]struct{ outcome, reason string }{
			"海港物流园矛盾纠纷由园区先行调处":  {portal.CandidateHit, "分拨到 海港物流园（C 级）"},
			"矛盾纠纷由企业所在街道调处":     {portal.CandidateDisabled, "已停用"},
			"矛盾纠纷兜底交发改局":        {portal.CandidateShadowed, "先命中"},
			"交通出行交交通运输局":        {portal.CandidateMiss, "分类不符：规则限“交通出行”"},
			"生命健康产业园人才事项交科技创新局": {portal.CandidateMiss, "区域不符：规则限“生命健康产业园”"},
			"海港街道交通投诉由街道先行处置":   {portal.CandidateMiss, "分类不符"},
		} {
			c := byName[name]
			if c == nil || c.Outcome != want.outcome || !strings.Contains(strings.Join(c.Reasons, "；"), want.reason) {
				t.Errorf("%s: %+v, want %s with %q", name, c, want.outcome, want.reason)
			}
		}
	})

	t.Run("region without a park: the park rule cannot resolve", func(t *testing.T) {
		res, err := w.Routing.Test(admin, portal.RouteTestInput{Category: "park", Type: portal.TypeHelp, RegionID: "sd-dongwan"})
		portaltest.Must(t, err, "test")
		if res.Hit != nil {
			t.Fatalf("hit %+v, want none", res.Hit)
		}
		if c := outcomes(res)["园区配套由企业所在社区或园区办理"]; c == nil || c.Outcome != portal.CandidateUnresolved ||
			!strings.Contains(c.Reasons[0], "没有登记所在社区或园区") {
			t.Errorf("park rule %+v, want unresolved", c)
		}
	})

	t.Run("a community region stands for its sub-district too", func(t *testing.T) {
		res, err := w.Routing.Test(admin, portal.RouteTestInput{Category: "dispute", Type: portal.TypeHelp, RegionID: "c-jinsha-shuibei"})
		portaltest.Must(t, err, "test")
		if res.Sample.SubdistrictID != "sd-jinsha" || res.Sample.ParkID != "c-jinsha-shuibei" {
			t.Errorf("sample %+v", res.Sample)
		}
		if res.Hit == nil || res.Hit.DepartmentID != "dept-drc" {
			t.Errorf("hit %+v, want the fallback with route-dispute disabled", res.Hit)
		}
	})

	portaltest.Must(t, w.Users.CreateUser(context.Background(), &portal.User{ID: "u-disp-js", Username: "dispatcher-js",
		DisplayName: "金沙分拨员", Roles: []portal.Role{portal.RoleDispatcher}, UnitID: "sd-jinsha", Status: portal.UserActive}), "user")
	for _, tc := range []struct {
		name, who string
		in        portal.RouteTestInput
		fields    []string
	}{
		{"nothing", "admin", portal.RouteTestInput{}, []string{"category", "type", "enterprise_id"}},
		{"unknown category and type", "admin", portal.RouteTestInput{Category: "space", Type: "praise", RegionID: "sd-jinsha"}, []string{"category", "type"}},
		{"both an enterprise and a region", "admin", portal.RouteTestInput{Category: "park", Type: portal.TypeHelp, EnterpriseID: "ent-001", RegionID: "sd-jinsha"}, []string{"region_id"}},
		{"region is a department", "admin", portal.RouteTestInput{Category: "park", Type: portal.TypeHelp, RegionID: "dept-trans"}, []string{"region_id"}},
		{"unknown enterprise", "admin", portal.RouteTestInput{Category: "park", Type: portal.TypeHelp, EnterpriseID: "ent-999"}, []string{"enterprise_id"}},
		{"enterprise outside the dispatcher's area", "dispatcher-js", portal.RouteTestInput{Category: "park", Type: portal.TypeHelp, EnterpriseID: "ent-001"}, []string{"enterprise_id"}},
	} {
		t.Run("Err/"+tc.name, func(t *testing.T) {
			_, err := w.Routing.Test(w.As(t, tc.who), tc.in)
			wantFields(t, err, tc.fields...)
		})
	}
	t.Run("enterprise inside the dispatcher's area", func(t *testing.T) {
		res, err := w.Routing.Test(w.As(t, "dispatcher-js"), portal.RouteTestInput{Category: "park", Type: portal.TypeHelp, EnterpriseID: "ent-002"})
		portaltest.Must(t, err, "test")
		if res.Hit == nil || res.Hit.DepartmentID != "p-jewelry" {
			t.Errorf("hit %+v, want ent-002's park", res.Hit)
		}
	})
}

// TestRoutingListSearch pages and searches the list.
func TestRoutingListSearch(t *testing.T) {
	w := newRoutingWorld(t)
	seedDemoRules(t, w)
	admin := w.As(t, "admin")
	p, err := w.Routing.List(admin, portal.RoutingQuery{PerPage: 5, Page: 3})
	portaltest.Must(t, err, "page 3")
	if p.Total != len(demo.RoutingRules()) || len(p.Items) != 5 || p.Items[0].Order != 11 || p.Pages() != 3 {
		t.Errorf("page 3 of 5: total %d, %d items from order %d, %d pages", p.Total, len(p.Items), p.Items[0].Order, p.Pages())
	}
	for q, want := range map[string]int{"科技创新局": 1, "矛盾纠纷": 2, "海港街道": 1, "金沙": 1, "火星": 0} {
		p, err := w.Routing.List(admin, portal.RoutingQuery{Q: q})
		portaltest.Must(t, err, "search %s", q)
		if p.Total != want {
			var names []string
			for _, r := range p.Items {
				names = append(names, r.Name)
			}
			t.Errorf("search %q found %d (%v), want %d", q, p.Total, names, want)
		}
	}
	p, err = w.Routing.List(admin, portal.RoutingQuery{Category: "land"})
	portaltest.Must(t, err, "by category")
	if p.Total != 2 || p.Items[0].ID != "route-land-jewelry" {
		t.Errorf("land rules %d, first %s", p.Total, p.Items[0].ID)
	}
	for _, q := range []portal.RoutingQuery{{Page: -1}, {PerPage: 101}, {Q: strings.Repeat("长", 51)}} {
		_, err := w.Routing.List(admin, q)
		admWantCode(t, err, portal.EINVALID)
	}
}
