package policies_test

import (
	"context"
	"testing"
	"time"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/search"
)

func TestMain(m *testing.M) { portaltest.Main(m) }

// direct indexes at once, standing in for the asynq task in tests.
type direct struct{ svc *policies.Service }

func (d direct) IndexPolicy(ctx context.Context, id string, _ int) error {
	return d.svc.IndexNow(ctx, id)
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(t *testing.T) (*policies.Service, *clock, *mongostore.DB) {
	t.Helper()
	db := portaltest.DB(t)
	clk := &clock{t: time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)}
	svc := &policies.Service{Store: policystore.New(db.Database()), Index: portaltest.Bleve(t, policies.Schema),
		Audit: &portal.Auditor{Store: mongostore.NewAuditStore(db), Now: clk.now}, Now: clk.now}
	svc.Indexer = direct{svc}
	return svc, clk, db
}

var (
	editor     = &portal.Actor{UserID: "u-editor", Username: "editor", Roles: []portal.Role{portal.RolePolicyEditor}}
	enterprise = &portal.Actor{UserID: "u-ent", Username: "ent", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "e1"}
)

func as(a *portal.Actor) context.Context { return portal.WithActor(context.Background(), a) }

func draft(end time.Time) *policies.Policy {
	return &policies.Policy{Title: "港口物流企业运费补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatIndustrySupport, Summary: "对港口物流企业按年度运输量给予运费补贴。", ApplyEnd: &end,
		Tags: []string{"物流", " 物流 ", "港口"}}
}

func TestLifecycle(t *testing.T) {
	svc, clk, db := newService(t)
	end := clk.t.Add(30 * 24 * time.Hour)

	t.Run("only editors write", func(t *testing.T) {
		if _, err := svc.Create(as(enterprise), draft(end)); portal.ErrorCode(err) != portal.EFORBIDDEN {
			t.Errorf("enterprise create: %v, want forbidden", err)
		}
		if _, err := svc.Create(context.Background(), draft(end)); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
			t.Errorf("anonymous create: %v, want unauthenticated", err)
		}
	})

	p, err := svc.Create(as(editor), draft(end))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if p.Status != policies.StatusDraft || p.Version != 1 || len(p.Tags) != 2 {
		t.Fatalf("created %+v", p)
	}
	if _, err := svc.Get(context.Background(), p.ID); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("visitor reads a draft: %v, want not found", err)
	}
	if _, err := svc.Get(as(editor), p.ID); err != nil {
		t.Errorf("editor reads the draft: %v", err)
	}

	t.Run("bad input changes nothing", func(t *testing.T) {
		bad := draft(end)
		bad.Summary = "短"
		if _, err := svc.Update(as(editor), p.ID, 1, bad); portal.ErrorFields(err)["summary"] == "" {
			t.Errorf("update with a short summary: %v", err)
		}
		got, _ := svc.Get(as(editor), p.ID)
		if got.Version != 1 || got.Summary != p.Summary {
			t.Errorf("policy changed by a refused update: %+v", got)
		}
	})

	t.Run("stale version conflicts", func(t *testing.T) {
		up := draft(end)
		up.Title = "港口物流企业运费补贴（2026年）"
		if _, err := svc.Update(as(editor), p.ID, 1, up); err != nil {
			t.Fatalf("update: %v", err)
		}
		if _, err := svc.Update(as(editor), p.ID, 1, draft(end)); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("second update on version 1: %v, want conflict", err)
		}
	})

	pub, err := svc.Publish(as(editor), p.ID)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	if pub.Status != policies.StatusPublished || pub.PublishedAt == nil || pub.Version != 3 {
		t.Fatalf("published %+v", pub)
	}
	if _, err := svc.Publish(as(editor), p.ID); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("publish twice: %v, want conflict", err)
	}
	if _, err := svc.Get(context.Background(), p.ID); err != nil {
		t.Errorf("visitor reads a published policy: %v", err)
	}

	res, err := svc.Index.Search(context.Background(), search.Query{Text: "运费补贴"})
	if err != nil || res.Total != 1 || res.Hits[0].ID != p.ID {
		t.Fatalf("published policy not found in the index: %+v %v", res, err)
	}

	// The daily job expires it once the application period ends.
	clk.t = end.Add(time.Minute)
	n, err := svc.ExpireDue(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	got, _ := svc.Get(context.Background(), p.ID)
	if got.Status != policies.StatusExpired {
		t.Errorf("status after expiry %s", got.Status)
	}
	if n, _ := svc.ExpireDue(context.Background()); n != 0 {
		t.Errorf("expire twice expired %d more", n)
	}
	if _, err := svc.Publish(as(editor), p.ID); portal.ErrorFields(err)["apply_end"] == "" {
		t.Errorf("publishing an ended policy: %v, want apply_end named", err)
	}

	if _, err := svc.Revoke(as(editor), p.ID); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := svc.Get(context.Background(), p.ID); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("visitor reads a revoked policy: %v", err)
	}
	if _, err := svc.Update(as(editor), p.ID, 0, draft(end)); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("update a revoked policy: %v", err)
	}

	hist, err := svc.History(as(editor), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, v := range hist {
		actions = append(actions, v.Action)
	}
	want := []string{"create", "update", "publish", "expire", "revoke"}
	if len(actions) != len(want) {
		t.Fatalf("history %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] || hist[i].Version != i+1 {
			t.Errorf("history[%d] = %s v%d, want %s v%d", i, actions[i], hist[i].Version, want[i], i+1)
		}
	}
	if _, err := svc.History(as(enterprise), p.ID); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("enterprise reads history: %v", err)
	}
	entries, total, err := mongostore.NewAuditStore(db).FindAudit(context.Background(), portal.AuditFilter{ObjectID: p.ID})
	if err != nil || total != 5 {
		t.Fatalf("audit entries for the policy: %d %v, want 5", total, err)
	}
	byAction := map[string]string{}
	for _, e := range entries {
		byAction[e.Action] = e.ActorName
	}
	if byAction["policy.expire"] != "系统" || byAction["policy.publish"] != "editor" {
		t.Errorf("audit actors by action %v, want expiry by 系统 and publishing by editor", byAction)
	}
}

// TestRepairIndexesWhatWasMissed simulates a lost index task: the policy
// is in MongoDB but not in the index until the drift repair runs.
func TestRepairIndexesWhatWasMissed(t *testing.T) {
	svc, clk, _ := newService(t)
	svc.Indexer = indexerFunc(func(context.Context, string) error { return nil })
	p, err := svc.Create(as(editor), draft(clk.t.Add(time.Hour*24)))
	if err != nil {
		t.Fatal(err)
	}
	res, _ := svc.Index.Search(context.Background(), search.Query{Text: "运费"})
	if res.Total != 0 {
		t.Fatalf("index already has the policy")
	}
	if err := svc.HandleRepairTask(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	res, _ = svc.Index.Search(context.Background(), search.Query{Text: "运费"})
	if res.Total != 1 || res.Hits[0].ID != p.ID {
		t.Errorf("repair did not index the policy: %+v", res)
	}
}

type indexerFunc func(context.Context, string) error

func (f indexerFunc) IndexPolicy(ctx context.Context, id string, _ int) error { return f(ctx, id) }

func TestSearch(t *testing.T) {
	svc, clk, _ := newService(t)
	end := clk.t.Add(30 * 24 * time.Hour)
	pub, err := svc.Create(as(editor), draft(end))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(as(editor), pub.ID); err != nil {
		t.Fatal(err)
	}
	hidden := draft(end)
	hidden.Title = "港口物流企业运费补贴草稿"
	if _, err := svc.Create(as(editor), hidden); err != nil {
		t.Fatal(err)
	}

	res, err := svc.Search(context.Background(), policies.SearchParams{Q: "運費補貼", Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != pub.ID || res.Hits[0].Title != "港口物流企业运费补贴" ||
		res.Hits[0].Issuer != "区交通运输局" || res.Hits[0].ApplyEnd == nil || !res.Hits[0].ApplyEnd.Equal(end) {
		t.Fatalf("visitor search: %+v", res)
	}
	if res.Facets["category"]["industry_support"] != 1 {
		t.Errorf("facets %v", res.Facets)
	}
	if res, _ := svc.Search(as(editor), policies.SearchParams{Q: "运费补贴"}); res.Total != 2 {
		t.Errorf("an editor finds drafts too: total %d", res.Total)
	}
	if res, _ := svc.Search(context.Background(), policies.SearchParams{Q: "运费", Category: "talent_funding"}); res.Total != 0 {
		t.Errorf("category filter let through %d", res.Total)
	}
	for field, p := range map[string]policies.SearchParams{
		"category": {Category: "gifts"}, "sort": {Sort: "random"}, "per_page": {PerPage: 500},
		"industry": {Industry: "Z"}, "level": {Level: "county"},
	} {
		if _, err := svc.Search(context.Background(), p); portal.ErrorFields(err)[field] == "" {
			t.Errorf("bad %s: %v", field, err)
		}
	}
}
