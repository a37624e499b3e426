package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// matchServer is the enterprise test server with the catalogue, the
// Matcher and notifications wired in, on a fixed business clock. Profiles
// are the tests' own: ent-001 and ent-003 are small transport firms rated
// A and B, ent-004 a large port operator, ent-002 a small jeweller; the
// other demo enterprises have none.
type matchServer struct {
	*entServer
	clock  time.Time
	pols   *policies.Service
	match  *policies.Matcher
	notes  *mongostore.NotificationStore
	queue  *matchTestQueue
	smallG *policies.Policy // published, auto-grant, transport firms that are small or micro and rated A or B
	hiTech *policies.Policy // published, needs 高新技术企业
	draft  *policies.Policy
}

// matchTestQueue records the matching asked for.
type matchTestQueue struct {
	mu          sync.Mutex
	policies    []string
	enterprises []string
}

func (q *matchTestQueue) EnqueuePolicyMatch(_ context.Context, id string, version int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.policies = append(q.policies, policies.PolicyMatchTaskID(id, version))
	return nil
}

func (q *matchTestQueue) EnqueueEnterpriseMatch(_ context.Context, id string, _ time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.enterprises = append(q.enterprises, id)
	return nil
}

// matchNoIndex stands in for the search index, which these tests do not read.
type matchNoIndex struct{}

func (matchNoIndex) IndexPolicy(context.Context, string, int) error { return nil }

func matchNum[T any](v T) *T { return &v }

func newMatchServer(t *testing.T) *matchServer {
	t.Helper()
	ctx := context.Background()
	ts := &matchServer{entServer: newEntServer(t), clock: time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC), queue: &matchTestQueue{}}
	founded := time.Date(2016, 4, 1, 0, 0, 0, 0, time.UTC)
	profiles := map[string]portal.EnterpriseProfile{
		"ent-001": {Employees: matchNum(80), Revenue: matchNum(2500.0), Founded: &founded, TaxRating: "A", Qualifications: []string{"高新技术企业"}},
		"ent-003": {Employees: matchNum(50), Revenue: matchNum(800.0), TaxRating: "B"},
		"ent-004": {Employees: matchNum(1200), Revenue: matchNum(50000.0), TaxRating: "A"},
		"ent-002": {Employees: matchNum(60), Revenue: matchNum(1000.0), TaxRating: "A"},
	}
	all, _, err := ts.ents.FindEnterprises(ctx, portal.EnterpriseFilter{})
	portaltest.Must(t, err, "enterprises")
	for _, e := range all {
		_, err := ts.ents.UpdateEnterpriseProfile(ctx, e.ID, profiles[e.ID])
		portaltest.Must(t, err, "profile %s", e.ID)
	}
	now := func() time.Time { return ts.clock }
	store := policystore.New(ts.db.Database())
	auditor := &portal.Auditor{Store: ts.audit, Now: now}
	ts.notes = mongostore.NewNotificationStore(ts.db)
	ts.match = &policies.Matcher{Policies: store, Enterprises: ts.ents, Visibility: ts.opt.Enterprises, Users: ts.users,
		Notifications: ts.notes, Queue: ts.queue, Audit: auditor, Now: now, Location: time.FixedZone("CST", 8*3600)}
	ts.pols = &policies.Service{Store: store, Indexer: matchNoIndex{}, Audit: auditor, Now: now, OnPublish: ts.match.PolicyPublished}
	ts.opt.Policies, ts.opt.Matcher = ts.pols, ts.match
	ts.opt.Notifications = &portal.NotificationService{Store: ts.notes, Audit: auditor, Now: now}
	ts.opt.Location = time.FixedZone("CST", 8*3600)

	editor := portal.WithActor(ctx, &portal.Actor{UserID: "u-editor", Username: "editor", Roles: []portal.Role{portal.RolePolicyEditor}})
	end := ts.clock.AddDate(0, 2, 0)
	create := func(p *policies.Policy, publish bool) *policies.Policy {
		p, err := ts.pols.Create(editor, p)
		portaltest.Must(t, err, "create policy")
		if publish {
			p, err = ts.pols.Publish(editor, p.ID)
			portaltest.Must(t, err, "publish policy")
		}
		return p
	}
	ts.smallG = create(&policies.Policy{Title: "小微物流企业运费补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatSmallMicro, Summary: "对辖区小微交通运输企业按运输量给予运费补贴。", ApplyEnd: &end, AutoGrant: true,
		Industries: []string{"G"}, Criteria: []policies.Clause{
			{Field: "size_class", Op: "in", Value: []byte(`["small","micro"]`)},
			{Field: "tax_rating", Op: "in", Value: []byte(`["A","B"]`)},
		}}, true)
	ts.hiTech = create(&policies.Policy{Title: "高新技术企业研发补助", Issuer: "区科技创新局", Level: policies.LevelDistrict,
		Category: policies.CatTechInnovation, Summary: "对认定的高新技术企业按研发投入给予补助。", ApplyEnd: &end,
		Criteria: []policies.Clause{{Field: "qualifications", Op: "has", Value: []byte(`"高新技术企业"`)}}}, true)
	ts.draft = create(&policies.Policy{Title: "尚未发布的稳岗补贴", Issuer: "区人力资源和社会保障局", Level: policies.LevelDistrict,
		Category: policies.CatEmployment, Summary: "对稳定就业岗位的企业给予补贴（草稿）。"}, false)
	return ts
}

func TestProfileAPI(t *testing.T) {
	ts := newMatchServer(t)
	good := map[string]any{"employees": 30, "revenue": 600, "assets": 400, "founded": "2019-07-01", "tax_rating": "A",
		"qualifications": []string{"科技型中小企业"}}
	unchanged := func(id string) func(*testing.T, *httptest.ResponseRecorder) {
		before, _ := json.Marshal(ts.enterprise(t, id))
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			if after, _ := json.Marshal(ts.enterprise(t, id)); !bytes.Equal(before, after) {
				t.Errorf("enterprise %s changed:\n%s\n%s", id, before, after)
			}
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile", Body: good, Status: 401},
		{Name: "every bad field is named", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile", Actor: "liaison",
			Body: map[string]any{"employees": -1, "revenue": -1, "assets": -3, "founded": "2020-13-01", "tax_rating": "X",
				"qualifications": []string{"假资质"}},
			Status: 400, Contains: []string{`"code":"invalid"`, "企业档案有误", `"employees":`, `"revenue":`, `"assets":`, `"founded":`,
				`"tax_rating":`, `"qualifications":"未知的资质：假资质"`},
			After: unchanged("ent-010")},
		{Name: "a wrong type is named", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile", Actor: "liaison",
			Body: `{"employees":"many"}`, Status: 400, Contains: []string{`"fields":{"employees":"类型错误"}`}, After: unchanged("ent-010")},
		{Name: "the size class cannot be typed in", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile", Actor: "liaison",
			Body: `{"size_class":"large"}`, Status: 400, Contains: []string{"未知字段 size_class"}, After: unchanged("ent-010")},
		{Name: "another enterprise is not found", Method: "PUT", Path: "/api/v1/enterprises/ent-001/profile", Actor: "enterprise2",
			Body: good, Status: 404, After: unchanged("ent-001")},
		{Name: "another liaison's caseload is not found", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile", Actor: "liaison2",
			Body: good, Status: 404, After: unchanged("ent-010")},
		{Name: "a dispatcher sees but may not edit", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile", Actor: "dispatcher",
			Body: good, Status: 403, Contains: []string{"包干联络员"}, After: unchanged("ent-010")},
		{Name: "the liaison saves and the size class is computed", Method: "PUT", Path: "/api/v1/enterprises/ent-010/profile",
			Actor: "liaison", Body: good, Status: 200, Contains: []string{`"id":"ent-010"`, `"size_class":"small"`, `"employees":30`},
			After: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if p := ts.enterprise(t, "ent-010").Profile; p.Employees == nil || *p.Employees != 30 || p.TaxRating != "A" {
					t.Errorf("stored profile %+v", p)
				}
				if len(ts.queue.enterprises) != 1 || ts.queue.enterprises[0] != "ent-010" {
					t.Errorf("re-match asked for %v, want ent-010", ts.queue.enterprises)
				}
			}},
		{Name: "the enterprise's own staff saves", Method: "PUT", Path: "/api/v1/enterprises/ent-001/profile", Actor: "enterprise",
			Body: good, Status: 200, Contains: []string{`"tax_rating":"A"`}},
	})
}

func TestMatchAPIs(t *testing.T) {
	ts := newMatchServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "an enterprise's own matches", Method: "GET", Path: "/api/v1/enterprises/ent-001/matches", Actor: "enterprise",
			Status: 200, Contains: []string{`"enterprise_id":"ent-001"`, "小微物流企业运费补贴", "高新技术企业研发补助", `"status":"eligible"`},
			NotContains: []string{"尚未发布的稳岗补贴"}},
		{Name: "near miss with the reason", Method: "GET", Path: "/api/v1/enterprises/ent-003/matches", Actor: "liaison",
			Status: 200, Contains: []string{`"near_miss":[{`, "不具有高新技术企业"}},
		{Name: "needs info asks for the profile", Method: "GET", Path: "/api/v1/enterprises/ent-010/matches", Actor: "liaison",
			Status: 200, Contains: []string{`"needs_info":[{`, "企业档案缺少"}},
		{Name: "another enterprise is not found", Method: "GET", Path: "/api/v1/enterprises/ent-002/matches", Actor: "enterprise", Status: 404},
		{Name: "outside the caseload is not found", Method: "GET", Path: "/api/v1/enterprises/ent-001/matches", Actor: "liaison2", Status: 404},
		{Name: "a handler sees no enterprise", Method: "GET", Path: "/api/v1/enterprises/ent-001/matches", Actor: "handler", Status: 404},
		{Name: "the chain committee sees its chain", Method: "GET", Path: "/api/v1/enterprises/ent-004/matches", Actor: "committee", Status: 200},
		{Name: "visitor", Method: "GET", Path: "/api/v1/enterprises/ent-001/matches", Status: 401},

		{Name: "admin sees every match of a policy", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches", Actor: "admin",
			Status: 200, Contains: []string{`"total":4`, `"eligible":2`, `"near_miss":2`, "金沙珠宝首饰有限公司", "企业规模为大型"}},
		{Name: "a liaison sees the caseload only", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches", Actor: "liaison",
			Status: 200, Contains: []string{`"total":3`, "海湾国际物流有限公司"}, NotContains: []string{"金沙珠宝首饰有限公司"}},
		{Name: "paged", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches?page=2&per_page=3", Actor: "admin",
			Status: 200, Contains: []string{`"total":4`, `"page":2`, `"per_page":3`, "金沙珠宝首饰有限公司"}, NotContains: []string{"海湾国际物流有限公司"}},
		{Name: "a handler is refused", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches", Actor: "handler", Status: 403},
		{Name: "an enterprise is refused", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches", Actor: "enterprise", Status: 403},
		{Name: "a draft is not found", Method: "GET", Path: "/api/v1/policies/" + ts.draft.ID + "/matches", Actor: "liaison", Status: 404},
		{Name: "bad paging is named", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches?page=x&per_page=0", Actor: "admin",
			Status: 400, Contains: []string{`"page":"必须是正整数"`, `"per_page":"必须是正整数"`}},
		{Name: "too many per page", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/matches?per_page=500", Actor: "admin",
			Status: 400, Contains: []string{`"per_page":`}},
	})
}

func TestAutoGrantAPI(t *testing.T) {
	ts := newMatchServer(t)
	xlsx := "/api/v1/policies/" + ts.smallG.ID + "/auto-grant.xlsx"
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the editor's list", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/auto-grant", Actor: "editor",
			Status: 200, Contains: []string{`"total":2`, "海港冷链仓储有限公司", "13800000003", "海湾国际物流有限公司"},
			NotContains: []string{"东湾集装箱码头有限公司"}},
		{Name: "an enterprise is refused", Method: "GET", Path: "/api/v1/policies/" + ts.smallG.ID + "/auto-grant", Actor: "enterprise", Status: 403},
		{Name: "not an auto-grant policy", Method: "GET", Path: "/api/v1/policies/" + ts.hiTech.ID + "/auto-grant", Actor: "admin",
			Status: 422, Contains: []string{"不是免申即享政策"}},
		{Name: "the workbook is refused to a liaison", Method: "GET", Path: xlsx, Actor: "liaison", Status: 403,
			Contains: []string{`"code":"forbidden"`}},
		{Name: "the workbook", Method: "GET", Path: xlsx, Actor: "admin", Status: 200,
			Header: map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				if cd := res.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "20261122") {
					t.Errorf("Content-Disposition %q", cd)
				}
				f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
				if err != nil {
					t.Fatalf("open workbook: %v", err)
				}
				defer f.Close()
				rows, err := f.GetRows("免申即享名单")
				if err != nil {
					t.Fatalf("rows: %v", err)
				}
				if len(rows) != 4 {
					t.Fatalf("rows %q, want title, headers and two enterprises", rows)
				}
				if !strings.Contains(rows[0][0], "小微物流企业运费补贴") || !strings.Contains(rows[0][0], "2026年11月22日") {
					t.Errorf("title row %q, want the policy's title and the date", rows[0])
				}
				if strings.Join(rows[1], ",") != "序号,企业名称,统一社会信用代码,联系人,联系电话,地址" {
					t.Errorf("headers %q", rows[1])
				}
				for i, want := range []struct{ name, uscc, phone string }{
					{"海港冷链仓储有限公司", ts.enterprise(t, "ent-003").USCC, "13800000003"},
					{"海湾国际物流有限公司", ts.enterprise(t, "ent-001").USCC, "13800000001"},
				} {
					r := rows[i+2]
					if r[1] != want.name || r[2] != want.uscc || r[4] != want.phone {
						t.Errorf("row %d = %q, want %s %s %s", i+3, r, want.name, want.uscc, want.phone)
					}
				}
				if w, _ := f.GetColWidth("免申即享名单", "B"); w < 30 {
					t.Errorf("name column %.0f wide, want room for a long name", w)
				}
				if typ, _ := f.GetCellType("免申即享名单", "E3"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("phone cell type %v, want text", typ)
				}
			}},
	})
	entries, _, _ := ts.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "policy.auto_grant_list"})
	if len(entries) != 2 {
		t.Errorf("%d export audit entries, want one for the list and one for the workbook", len(entries))
	}
}
