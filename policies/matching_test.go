package policies_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// matchEnv is the demo district with profiles for some enterprises, the
// catalogue service and a Matcher whose queue records what is asked of it.
type matchEnv struct {
	clk     *clock
	svc     *policies.Service
	m       *policies.Matcher
	queue   *recordQueue
	ents    *mongostore.EnterpriseStore
	users   *mongostore.UserStore
	notes   *mongostore.NotificationStore
	audit   *mongostore.AuditStore
	pStore  *policystore.Store
	actors  map[string]*portal.Actor
	db      *mongostore.DB
	smallG  *policies.Policy // published, auto-grant: small or micro transport firms rated A or B
	hiTech  *policies.Policy // published: 高新技术企业 with at least 50 employees
	draftP  *policies.Policy // a draft nobody but editors sees
	general *policies.Policy // published, no conditions at all
}

// recordQueue records the matching asked for, as the asynq queue would
// receive it.
type recordQueue struct {
	mu          sync.Mutex
	policies    []string // "<id>:<version>"
	enterprises []string
}

func (q *recordQueue) EnqueuePolicyMatch(_ context.Context, id string, version int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.policies = append(q.policies, policies.PolicyMatchTaskID(id, version))
	return nil
}

func (q *recordQueue) EnqueueEnterpriseMatch(_ context.Context, id string, _ time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.enterprises = append(q.enterprises, id)
	return nil
}

func ptrTo[T any](v T) *T { return &v }

func day(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return &t
}

// matchProfiles are the profiles of the demo enterprises that have one.
var matchProfiles = map[string]portal.EnterpriseProfile{
	// Transport, small, rated A, high-tech.
	"ent-001": {Employees: ptrTo(80), Revenue: ptrTo(2500.0), Assets: ptrTo(3000.0), Founded: day("2022-03-01"), TaxRating: "A",
		Qualifications: []string{"高新技术企业"}},
	// Warehousing, small, rated B, no qualifications.
	"ent-003": {Employees: ptrTo(50), Revenue: ptrTo(800.0), Founded: day("2015-05-10"), TaxRating: "B"},
	// Port operator, large.
	"ent-004": {Employees: ptrTo(1200), Revenue: ptrTo(50000.0), TaxRating: "A"},
	// Jewellery manufacturer, small, rated A: not transport.
	"ent-002": {Employees: ptrTo(60), Revenue: ptrTo(1000.0), TaxRating: "A"},
}

// matchEnterprises returns the twelve hand-written demo enterprises (ent-001 to
// ent-012, which the demo caseloads refer to) without profiles: the tests
// give the profiles they reason about.
func matchEnterprises() []*portal.Enterprise {
	var out []*portal.Enterprise
	for _, e := range demo.Enterprises() {
		if e.ID >= "ent-001" && e.ID <= "ent-012" {
			e.Profile = portal.EnterpriseProfile{}
			out = append(out, e)
		}
	}
	return out
}

func newMatchEnv(t *testing.T) *matchEnv {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	clk := &clock{t: time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)}
	db.SetClock(clk.now)
	env := &matchEnv{clk: clk, db: db, queue: &recordQueue{}, ents: mongostore.NewEnterpriseStore(db), users: mongostore.NewUserStore(db),
		notes: mongostore.NewNotificationStore(db), audit: mongostore.NewAuditStore(db), pStore: policystore.New(db.Database())}
	org, chains := mongostore.NewOrgStore(db), mongostore.NewChainStore(db)
	for _, u := range demo.OrgUnits() {
		portaltest.Must(t, org.UpsertOrgUnit(ctx, u), "org unit %s", u.ID)
	}
	for _, c := range demo.Chains() {
		portaltest.Must(t, chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, e := range matchEnterprises() {
		portaltest.Must(t, env.ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
		if p, ok := matchProfiles[e.ID]; ok {
			_, err := env.ents.UpdateEnterpriseProfile(ctx, e.ID, p)
			portaltest.Must(t, err, "profile %s", e.ID)
		}
	}
	users := append(demo.Users(),
		&portal.User{ID: "u-ent1b", Username: "ent1b", DisplayName: "陈二（海湾国际物流）", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-001"},
		&portal.User{ID: "u-ent1p", Username: "ent1p", DisplayName: "待审核（海湾国际物流）", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-001", Status: portal.UserPending},
		&portal.User{ID: "u-ent1d", Username: "ent1d", DisplayName: "已停用（海湾国际物流）", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-001", Status: portal.UserDisabled},
		&portal.User{ID: "u-ent3", Username: "ent3", DisplayName: "王立强（海港冷链）", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-003"},
	)
	env.actors = map[string]*portal.Actor{}
	for _, u := range users {
		portaltest.Must(t, env.users.CreateUser(ctx, u), "user %s", u.Username)
		env.actors[u.Username] = u.Actor()
	}
	auditor := &portal.Auditor{Store: env.audit, Now: clk.now}
	env.svc = &policies.Service{Store: env.pStore, Audit: auditor, Now: clk.now,
		Indexer: indexerFunc(func(context.Context, string) error { return nil })}
	env.m = &policies.Matcher{Policies: env.pStore, Enterprises: env.ents,
		Visibility: portal.NewEnterpriseService(env.ents, org, env.users, chains, env.audit, clk.now),
		Users:      env.users, Notifications: env.notes, Queue: env.queue, Audit: auditor, Now: clk.now,
		Location: time.FixedZone("CST", 8*3600)}
	env.svc.OnPublish = env.m.PolicyPublished

	end := clk.t.AddDate(0, 2, 0)
	env.smallG = env.create(t, &policies.Policy{Title: "小微物流企业运费补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatSmallMicro, Summary: "对辖区小微交通运输企业按运输量给予运费补贴。", Benefit: "最高补贴 20 万元",
		ApplyEnd: &end, AutoGrant: true, Industries: []string{"G"}, Criteria: []policies.Clause{
			{Field: "size_class", Op: "in", Value: rawJSON([]string{"small", "micro"})},
			{Field: "tax_rating", Op: "in", Value: rawJSON([]string{"A", "B"})},
		}}, true)
	env.hiTech = env.create(t, &policies.Policy{Title: "高新技术企业研发补助", Issuer: "区科技创新局", Level: policies.LevelDistrict,
		Category: policies.CatTechInnovation, Summary: "对认定的高新技术企业按研发投入给予补助。", ApplyEnd: &end,
		Criteria: []policies.Clause{
			{Field: "qualifications", Op: "has", Value: rawJSON("高新技术企业")},
			{Field: "employees", Op: "gte", Value: rawJSON(50)},
		}}, true)
	env.general = env.create(t, &policies.Policy{Title: "企业服务专员上门服务", Issuer: "区企业服务中心", Level: policies.LevelDistrict,
		Category: policies.CatOther, Summary: "为辖区企业提供政策解读和办事代办服务。"}, true)
	env.draftP = env.create(t, &policies.Policy{Title: "尚未发布的稳岗补贴", Issuer: "区人力资源和社会保障局", Level: policies.LevelDistrict,
		Category: policies.CatEmployment, Summary: "对稳定就业岗位的企业给予补贴（草稿）。"}, false)
	return env
}

var matchEditor = &portal.Actor{UserID: "u-editor", Username: "editor", Roles: []portal.Role{portal.RolePolicyEditor}}

// create stores a policy as an editor and publishes it when asked.
func (env *matchEnv) create(t *testing.T, p *policies.Policy, publish bool) *policies.Policy {
	t.Helper()
	ctx := portal.WithActor(context.Background(), matchEditor)
	p, err := env.svc.Create(ctx, p)
	portaltest.Must(t, err, "create policy %s", p.Title)
	if publish {
		p, err = env.svc.Publish(ctx, p.ID)
		portaltest.Must(t, err, "publish %s", p.Title)
	}
	return p
}

func (env *matchEnv) as(name string) context.Context {
	a, ok := env.actors[name]
	if !ok {
		panic("no actor " + name)
	}
	return portal.WithActor(context.Background(), a)
}

// notes returns the titles of the user's notifications.
func (env *matchEnv) notesOf(t *testing.T, userID string) []*portal.Notification {
	t.Helper()
	items, _, _, err := env.notes.FindNotificationsForUser(context.Background(), userID, portal.NotificationFilter{})
	portaltest.Must(t, err, "notifications of %s", userID)
	return items
}

func policyIDs(ms []policies.PolicyMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Policy.ID)
	}
	return out
}

func TestMatchForEnterprise(t *testing.T) {
	env := newMatchEnv(t)

	t.Run("sorted into eligible, near miss and needs info with reasons", func(t *testing.T) {
		got, err := env.m.MatchForEnterprise(env.as("enterprise"), "ent-001")
		if err != nil {
			t.Fatal(err)
		}
		if ids := policyIDs(got.Eligible); len(ids) != 3 || !slices.Contains(ids, env.smallG.ID) || !slices.Contains(ids, env.hiTech.ID) {
			t.Errorf("eligible %v, want the transport subsidy, the R&D grant and the general service", ids)
		}
		if len(got.NearMiss) != 0 || len(got.NeedsInfo) != 0 || slices.Contains(policyIDs(got.Eligible), env.draftP.ID) {
			t.Errorf("near miss %v, needs info %v, want none and no draft", policyIDs(got.NearMiss), policyIDs(got.NeedsInfo))
		}
		for _, pm := range got.Eligible {
			if pm.Policy.ID == env.smallG.ID && (len(pm.Passed) != 3 || !pm.Policy.AutoGrant) {
				t.Errorf("transport subsidy passed %v, want industry, size and tax rating", pm.Passed)
			}
		}

		got, err = env.m.MatchForEnterprise(env.as("liaison"), "ent-003")
		if err != nil {
			t.Fatal(err)
		}
		if ids := policyIDs(got.NearMiss); len(ids) != 1 || ids[0] != env.hiTech.ID ||
			!strings.Contains(strings.Join(got.NearMiss[0].Reasons, ""), "不具有高新技术企业") {
			t.Errorf("ent-003 near miss %v %v, want the R&D grant for lacking 高新技术企业", ids, got.NearMiss)
		}

		got, err = env.m.MatchForEnterprise(env.as("liaison"), "ent-010")
		if err != nil {
			t.Fatal(err)
		}
		if ids := policyIDs(got.NeedsInfo); len(ids) != 2 || !strings.Contains(strings.Join(got.NeedsInfo[0].Reasons, ""), "企业档案缺少") {
			t.Errorf("ent-010 (no profile) needs info %v, want both conditional policies asking for the profile", got.NeedsInfo)
		}
	})

	t.Run("a policy past its application period is left out", func(t *testing.T) {
		defer func(t0 time.Time) { env.clk.t = t0 }(env.clk.t)
		env.clk.t = env.clk.t.AddDate(0, 3, 0)
		got, err := env.m.MatchForEnterprise(env.as("enterprise"), "ent-001")
		if err != nil {
			t.Fatal(err)
		}
		if ids := policyIDs(got.Eligible); len(ids) != 1 || ids[0] != env.general.ID {
			t.Errorf("eligible after the deadline %v, want only the open-ended policy", ids)
		}
	})

	t.Run("visible to whoever may see the enterprise, not found for others", func(t *testing.T) {
		for _, tc := range []struct {
			actor, ent string
			want       string
		}{
			{"enterprise", "ent-001", ""}, {"enterprise", "ent-002", portal.ENOTFOUND},
			{"enterprise2", "ent-001", portal.ENOTFOUND}, {"liaison", "ent-004", ""},
			{"liaison", "ent-002", portal.ENOTFOUND}, {"liaison2", "ent-002", ""},
			{"committee", "ent-003", ""}, {"committee", "ent-002", portal.ENOTFOUND},
			{"dispatcher", "ent-012", ""}, {"admin", "ent-009", ""}, {"handler", "ent-001", portal.ENOTFOUND},
			{"ent1p", "ent-001", portal.ENOTFOUND}, {"admin", "ent-999", portal.ENOTFOUND},
		} {
			_, err := env.m.MatchForEnterprise(env.as(tc.actor), tc.ent)
			if portal.ErrorCode(err) != tc.want {
				t.Errorf("%s reads matches of %s: %v, want %q", tc.actor, tc.ent, err, tc.want)
			}
		}
		if _, err := env.m.MatchForEnterprise(context.Background(), "ent-001"); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
			t.Errorf("visitor: %v, want unauthenticated", err)
		}
	})

	t.Run("a published policy shows at once despite the cache", func(t *testing.T) {
		p := env.create(t, &policies.Policy{Title: "新发布的港口企业补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
			Category: policies.CatIndustrySupport, Summary: "对港口物流企业给予新的补贴支持。", Industries: []string{"G"}}, true)
		got, err := env.m.MatchForEnterprise(env.as("enterprise"), "ent-001")
		if err != nil || !slices.Contains(policyIDs(got.Eligible), p.ID) {
			t.Errorf("eligible %v (%v), want the policy just published", policyIDs(got.Eligible), err)
		}
	})
}

func TestMatchesForPolicy(t *testing.T) {
	env := newMatchEnv(t)
	names := func(pg *policies.PolicyMatchPage) []string {
		var out []string
		for _, it := range pg.Items {
			out = append(out, it.Enterprise.ID+":"+string(it.Status))
		}
		return out
	}

	t.Run("admin sees every enterprise, eligible first, with reasons", func(t *testing.T) {
		pg, err := env.m.MatchesForPolicy(env.as("admin"), env.smallG.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"ent-003:eligible", "ent-001:eligible", "ent-004:near_miss", "ent-002:near_miss"}
		if got := names(pg); !slices.Equal(got, want) || pg.Total != 4 || pg.Eligible != 2 || pg.NearMiss != 2 {
			t.Fatalf("matches %v (total %d, %d eligible, %d near), want %v", got, pg.Total, pg.Eligible, pg.NearMiss, want)
		}
		if r := strings.Join(pg.Items[2].Reasons, ""); !strings.Contains(r, "企业规模为大型") {
			t.Errorf("the port operator's reason %q does not say it is large", r)
		}
	})

	t.Run("a liaison sees only their caseload", func(t *testing.T) {
		pg, err := env.m.MatchesForPolicy(env.as("liaison"), env.smallG.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(pg); !slices.Equal(got, []string{"ent-003:eligible", "ent-001:eligible", "ent-004:near_miss"}) {
			t.Errorf("liaison's matches %v", got)
		}
		pg, err = env.m.MatchesForPolicy(env.as("liaison2"), env.smallG.ID, 0, 0)
		if err != nil || !slices.Equal(names(pg), []string{"ent-002:near_miss"}) {
			t.Errorf("liaison2's matches %v (%v), want only ent-002", names(pg), err)
		}
	})

	t.Run("pages", func(t *testing.T) {
		pg, err := env.m.MatchesForPolicy(env.as("admin"), env.smallG.ID, 2, 3)
		if err != nil || !slices.Equal(names(pg), []string{"ent-002:near_miss"}) || pg.Total != 4 {
			t.Errorf("page 2 of 3: %v of %d (%v)", names(pg), pg.Total, err)
		}
		pg, err = env.m.MatchesForPolicy(env.as("admin"), env.smallG.ID, 9, 3)
		if err != nil || len(pg.Items) != 0 || pg.Total != 4 {
			t.Errorf("page past the end: %v (%v), want an empty page", pg, err)
		}
		_, err = env.m.MatchesForPolicy(env.as("admin"), env.smallG.ID, -1, 500)
		if f := portal.ErrorFields(err); f["page"] == "" || f["per_page"] == "" {
			t.Errorf("bad paging: %v, want page and per_page named", err)
		}
	})

	t.Run("others are refused, drafts are not found", func(t *testing.T) {
		for _, tc := range []struct {
			actor, policy, want string
		}{
			{"enterprise", env.smallG.ID, portal.EFORBIDDEN}, {"handler", env.smallG.ID, portal.EFORBIDDEN},
			{"dispatcher", env.smallG.ID, portal.EFORBIDDEN}, {"committee", env.smallG.ID, portal.EFORBIDDEN},
			{"editor", env.smallG.ID, portal.EFORBIDDEN},
			{"liaison", env.draftP.ID, portal.ENOTFOUND}, {"enterprise", env.draftP.ID, portal.ENOTFOUND},
			{"admin", "no-such-policy", portal.ENOTFOUND}, {"admin", env.draftP.ID, ""},
		} {
			_, err := env.m.MatchesForPolicy(env.as(tc.actor), tc.policy, 0, 0)
			if portal.ErrorCode(err) != tc.want {
				t.Errorf("%s lists matches of %s: %v, want %q", tc.actor, tc.policy, err, tc.want)
			}
		}
	})
}

func TestUpdateProfile(t *testing.T) {
	env := newMatchEnv(t)
	ctx := context.Background()
	profileOf := func(id string) portal.EnterpriseProfile {
		e, err := env.ents.FindEnterpriseByID(ctx, id)
		portaltest.Must(t, err, "find %s", id)
		return e.Profile
	}
	good := policies.ProfileInput{Employees: ptrTo(30), Revenue: ptrTo(600.0), Assets: ptrTo(400.0), Founded: "2019-07-01",
		TaxRating: "b", Qualifications: []string{"高新技术企业", " 高新技术企业 ", "科技型中小企业"}}

	t.Run("each bad field is named and nothing changes", func(t *testing.T) {
		before := profileOf("ent-010")
		bad := policies.ProfileInput{Employees: ptrTo(-1), Revenue: ptrTo(-5.0), Assets: ptrTo(-2.0), Founded: "2019/07/01",
			TaxRating: "Z", Qualifications: []string{"五星企业"}}
		_, err := env.m.UpdateProfile(env.as("liaison"), "ent-010", bad)
		fields := portal.ErrorFields(err)
		for _, f := range []string{"employees", "revenue", "assets", "founded", "tax_rating", "qualifications"} {
			if fields[f] == "" {
				t.Errorf("field %s not named in %v", f, err)
			}
		}
		_, err = env.m.UpdateProfile(env.as("liaison"), "ent-010", policies.ProfileInput{Founded: "2099-01-01"})
		if portal.ErrorFields(err)["founded"] == "" {
			t.Errorf("a founding date in the future: %v, want founded named", err)
		}
		if after := profileOf("ent-010"); after.Employees != before.Employees || after.TaxRating != "" {
			t.Errorf("profile changed by refused input: %+v", after)
		}
		if len(env.queue.enterprises) != 0 {
			t.Errorf("refused input asked for re-matching: %v", env.queue.enterprises)
		}
		if entries, _, _ := env.audit.FindAudit(ctx, portal.AuditFilter{Action: "enterprise.profile"}); len(entries) != 0 {
			t.Errorf("refused input was audited as a change: %v", entries)
		}
	})

	t.Run("who may edit", func(t *testing.T) {
		for _, tc := range []struct {
			actor, ent, want string
		}{
			{"enterprise2", "ent-001", portal.ENOTFOUND}, {"liaison2", "ent-010", portal.ENOTFOUND},
			{"dispatcher", "ent-010", portal.EFORBIDDEN}, {"committee", "ent-010", portal.EFORBIDDEN},
			{"editor", "ent-010", portal.ENOTFOUND}, {"ent1p", "ent-001", portal.ENOTFOUND},
		} {
			_, err := env.m.UpdateProfile(env.as(tc.actor), tc.ent, good)
			if portal.ErrorCode(err) != tc.want {
				t.Errorf("%s edits %s: %v, want %q", tc.actor, tc.ent, err, tc.want)
			}
		}
		if p := profileOf("ent-010"); p.Employees != nil {
			t.Errorf("a refused edit changed the profile: %+v", p)
		}
	})

	t.Run("the liaison saves, the size class follows, the change is audited and re-matched", func(t *testing.T) {
		e, err := env.m.UpdateProfile(env.as("liaison"), "ent-010", good)
		if err != nil {
			t.Fatal(err)
		}
		p := e.Profile
		if *p.Employees != 30 || p.TaxRating != "B" || !slices.Equal(p.Qualifications, []string{"高新技术企业", "科技型中小企业"}) ||
			!p.Founded.Equal(*day("2019-07-01")) || p.SizeClass != portal.SizeSmall {
			t.Errorf("saved profile %+v", p)
		}
		if !slices.Equal(env.queue.enterprises, []string{"ent-010"}) {
			t.Errorf("re-match asked for %v, want ent-010", env.queue.enterprises)
		}
		entries, _, _ := env.audit.FindAudit(ctx, portal.AuditFilter{Action: "enterprise.profile", ObjectID: "ent-010"})
		if len(entries) != 1 || entries[0].ActorID != "u-liaison" || !strings.Contains(entries[0].Detail, "tax_rating") {
			t.Errorf("audit %v, want one entry by the liaison naming the fields", entries)
		}
		if _, err := env.m.UpdateProfile(env.as("liaison"), "ent-010", good); err != nil || len(env.queue.enterprises) != 1 {
			t.Errorf("saving the same profile again: %v, re-match asked %d times, want once", err, len(env.queue.enterprises))
		}
	})

	t.Run("the enterprise's own staff and an admin may edit", func(t *testing.T) {
		if _, err := env.m.UpdateProfile(env.as("enterprise"), "ent-001", good); err != nil {
			t.Errorf("own staff: %v", err)
		}
		if _, err := env.m.UpdateProfile(env.as("admin"), "ent-012", good); err != nil {
			t.Errorf("admin: %v", err)
		}
	})
}

// TestReMatchAfterProfileChange: an enterprise that completes its profile
// hears of the open policies it now qualifies for, once.
func TestReMatchAfterProfileChange(t *testing.T) {
	env := newMatchEnv(t)
	// ent-010 is a transport firm without a profile: no notification yet.
	run, err := env.m.NotifyEnterpriseMatches(context.Background(), "ent-010")
	if err != nil || run.Notified != 0 {
		t.Fatalf("before the profile: %+v %v", run, err)
	}
	u := &portal.User{ID: "u-ent10", Username: "ent10", DisplayName: "冯可（海湾航运代理）", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-010"}
	portaltest.Must(t, env.users.CreateUser(context.Background(), u), "user")
	env.actors[u.Username] = u.Actor()

	_, err = env.m.UpdateProfile(env.as("ent10"), "ent-010", policies.ProfileInput{Employees: ptrTo(25), Revenue: ptrTo(300.0), TaxRating: "A"})
	if err != nil {
		t.Fatal(err)
	}
	task := asynq.NewTask(policies.TypeEnterpriseMatch, []byte(`{"id":"ent-010"}`))
	for range 2 { // delivered twice
		if err := env.m.HandleEnterpriseMatchTask(context.Background(), task); err != nil {
			t.Fatal(err)
		}
	}
	notes := env.notesOf(t, "u-ent10")
	var keys []string
	for _, n := range notes {
		keys = append(keys, n.Title)
	}
	// The transport subsidy (small, rated A) and the open-ended service; not
	// the R&D grant (no 高新技术企业).
	if len(notes) != 2 || !slices.Contains(keys, "可申报政策："+env.smallG.Title) || !slices.Contains(keys, "可申报政策："+env.general.Title) {
		t.Errorf("notifications %v, want the transport subsidy and the general service once each", keys)
	}
	if err := env.m.HandleEnterpriseMatchTask(context.Background(), asynq.NewTask(policies.TypeEnterpriseMatch, []byte(`{}`))); err == nil {
		t.Error("a payload without an id was accepted")
	}
}

// TestPolicyPublishNotifies drives publish → asynq task (real Redis) →
// handler, delivered twice: one notification per eligible enterprise user,
// none for pending or disabled users, one digest per liaison.
func TestPolicyPublishNotifies(t *testing.T) {
	env := newMatchEnv(t)
	rd := portaltest.StartRedis(t)
	client := asynq.NewClientFromRedisClient(rd.Client)
	env.m.Queue = &policies.AsynqMatchQueue{Client: client}
	inspector := asynq.NewInspectorFromRedisClient(rd.Client)

	p := env.create(t, &policies.Policy{Title: "交通运输企业纾困补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatSmallMicro, Summary: "对受影响的小微交通运输企业给予一次性纾困补贴。", Benefit: "一次性补贴 5 万元",
		ApplyEnd: ptrTo(env.clk.t.AddDate(0, 1, 0)), Industries: []string{"G"},
		Criteria: []policies.Clause{{Field: "size_class", Op: "in", Value: rawJSON([]string{"small", "micro"})}}}, true)

	id := policies.PolicyMatchTaskID(p.ID, p.Version)
	info, err := inspector.GetTaskInfo("default", id)
	if err != nil {
		t.Fatalf("task %s not enqueued on publish: %v", id, err)
	}
	// Asking again for the same version does nothing.
	portaltest.Must(t, env.m.Queue.EnqueuePolicyMatch(context.Background(), p.ID, p.Version), "enqueue again")
	tasks, err := inspector.ListPendingTasks("default")
	portaltest.Must(t, err, "list tasks")
	n := 0
	for _, tk := range tasks {
		if tk.Type == policies.TypePolicyMatch && strings.Contains(tk.ID, p.ID) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d policy:match tasks for %s, want 1", n, p.ID)
	}

	task := asynq.NewTask(info.Type, info.Payload)
	for i := range 2 { // at-least-once delivery
		if err := env.m.HandlePolicyMatchTask(context.Background(), task); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
	}
	count := func(userID, kind string) int {
		c := 0
		for _, n := range env.notesOf(t, userID) {
			if n.Kind == kind && n.Link == "/policies/"+p.ID {
				c++
			}
		}
		return c
	}
	for user, want := range map[string]int{"u-enterprise": 1, "u-ent1b": 1, "u-ent3": 1, "u-ent1p": 0, "u-ent1d": 0, "u-enterprise2": 0} {
		if got := count(user, portal.NotifyPolicyMatch); got != want {
			t.Errorf("%s has %d match notifications, want %d", user, got, want)
		}
	}
	if got := count("u-liaison", portal.NotifyPolicyDigest); got != 1 {
		t.Errorf("liaison has %d digests, want 1", got)
	}
	if got := count("u-liaison2", portal.NotifyPolicyDigest); got != 0 {
		t.Errorf("liaison2 (no qualifying enterprise) has %d digests, want 0", got)
	}
	for _, n := range env.notesOf(t, "u-liaison") {
		if n.Kind == portal.NotifyPolicyDigest &&
			!(strings.Contains(n.Body, "有 2 家符合") && strings.Contains(n.Body, "海港冷链仓储有限公司、海湾国际物流有限公司") && strings.Contains(n.Body, "另有 1 家")) {
			t.Errorf("digest body %q, want the two qualifying names and the one near miss", n.Body)
		}
	}
	for _, n := range env.notesOf(t, "u-enterprise") {
		if n.Link == "/policies/"+p.ID && !strings.Contains(n.Body, "一次性补贴 5 万元") {
			t.Errorf("notification body %q lacks the benefit", n.Body)
		}
	}
	entries, _, _ := env.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "policy.match", ObjectID: p.ID})
	var details []string
	for _, e := range entries {
		details = append(details, e.Detail)
	}
	if all := strings.Join(details, "|"); len(entries) != 2 || !strings.Contains(all, "3 notified") || !strings.Contains(all, "0 notified") {
		t.Errorf("audit of the two runs %v, want one with 3 notified and one with 0", details)
	}

	t.Run("a bad payload is not retried", func(t *testing.T) {
		err := env.m.HandlePolicyMatchTask(context.Background(), asynq.NewTask(policies.TypePolicyMatch, []byte("{")))
		if !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("bad payload: %v, want SkipRetry", err)
		}
	})

	t.Run("a revoked or unknown policy notifies nobody", func(t *testing.T) {
		q := env.create(t, &policies.Policy{Title: "即将废止的补贴政策", Issuer: "区交通运输局", Level: policies.LevelDistrict,
			Category: policies.CatOther, Summary: "发布后立即废止，用于检查任务不再通知。"}, true)
		_, err := env.svc.Revoke(portal.WithActor(context.Background(), matchEditor), q.ID)
		portaltest.Must(t, err, "revoke")
		for _, id := range []string{q.ID, "no-such-policy"} {
			payload, _ := json.Marshal(map[string]any{"id": id, "version": 1})
			if err := env.m.HandlePolicyMatchTask(context.Background(), asynq.NewTask(policies.TypePolicyMatch, payload)); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
		for _, n := range env.notesOf(t, "u-enterprise") {
			if n.Link == "/policies/"+q.ID {
				t.Errorf("notified of a revoked policy: %+v", n)
			}
		}
	})
}

// TestMatchRepairEnqueuesRecentPublications: a publish whose task was
// lost is matched after all; closed, revoked and draft policies are not.
func TestMatchRepairEnqueuesRecentPublications(t *testing.T) {
	env := newMatchEnv(t)
	env.queue.policies = nil
	env.clk.t = env.clk.t.Add(time.Hour)
	if err := env.m.HandleMatchRepairTask(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	want := []string{
		policies.PolicyMatchTaskID(env.smallG.ID, env.smallG.Version),
		policies.PolicyMatchTaskID(env.hiTech.ID, env.hiTech.Version),
		policies.PolicyMatchTaskID(env.general.ID, env.general.Version),
	}
	got := slices.Clone(env.queue.policies)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("repair enqueued %v, want %v", got, want)
	}
	env.queue.policies = nil
	env.clk.t = env.clk.t.Add(policies.RepairWindow)
	if err := env.m.HandleMatchRepairTask(context.Background(), nil); err != nil || len(env.queue.policies) != 0 {
		t.Errorf("repair long after: %v %v, want nothing enqueued", env.queue.policies, err)
	}
}

func TestAutoGrant(t *testing.T) {
	env := newMatchEnv(t)

	list, err := env.m.AutoGrant(portal.WithActor(context.Background(), matchEditor), env.smallG.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range list.Items {
		got = append(got, it.ID+" "+it.ContactPhone)
	}
	if !slices.Equal(got, []string{"ent-003 13800000003", "ent-001 13800000001"}) || list.Total != 2 {
		t.Errorf("auto-grant list %v, want the two eligible transport firms by name with their contacts", got)
	}
	entries, _, _ := env.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "policy.auto_grant_list", ObjectID: env.smallG.ID})
	if len(entries) != 1 || entries[0].ActorID != "u-editor" {
		t.Errorf("export audit %v, want one entry by the editor", entries)
	}

	for _, tc := range []struct {
		actor  context.Context
		policy string
		want   string
	}{
		{env.as("admin"), env.smallG.ID, ""},
		{env.as("enterprise"), env.smallG.ID, portal.EFORBIDDEN},
		{env.as("liaison"), env.smallG.ID, portal.EFORBIDDEN},
		{env.as("liaison"), env.draftP.ID, portal.ENOTFOUND},
		{portal.WithActor(context.Background(), matchEditor), env.hiTech.ID, portal.EUNPROCESSABLE},
		{context.Background(), env.smallG.ID, portal.EUNAUTHENTICATED},
	} {
		if _, err := env.m.AutoGrant(tc.actor, tc.policy); portal.ErrorCode(err) != tc.want {
			t.Errorf("%v on %s: %v, want %q", portal.ActorFrom(tc.actor).Name(), tc.policy, err, tc.want)
		}
	}
}

// TestStatusAgreesWithMatch checks the fast status against the explained
// match on generated policies and enterprises.
func TestStatusAgreesWithMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ents := benchEnterprises(rng, 500)
	seen := map[policies.MatchStatus]int{}
	for _, p := range benchPolicies(rng, 100) {
		c := policies.Compile(p)
		for _, e := range ents {
			got, want := c.Status(e, benchNow), c.Match(e, benchNow).Status
			if got != want {
				t.Fatalf("policy %s, enterprise %s: Status %s, Match %s", p.ID, e.ID, got, want)
			}
			seen[got]++
		}
	}
	for _, s := range []policies.MatchStatus{policies.Eligible, policies.NearMiss, policies.Ineligible, policies.NeedsInfo} {
		if seen[s] == 0 {
			t.Errorf("no pair came out %s (%v): the generated data does not exercise it", s, seen)
		}
	}
}
