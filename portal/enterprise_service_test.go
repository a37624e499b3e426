package portal_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// entFixture is the demo district on a fresh database: org tree, chains,
// task forces, the 12 demo enterprises and the demo users, with the
// enterprise and registration services on top.
type entFixture struct {
	db    *mongostore.DB
	svc   *portal.EnterpriseService
	reg   *portal.RegistrationService
	ents  *mongostore.EnterpriseStore
	users *mongostore.UserStore
	audit *mongostore.AuditStore
}

var entClock = time.Date(2025, 6, 2, 2, 0, 0, 0, time.UTC)

func newEntFixture(t *testing.T) *entFixture {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	db.SetClock(func() time.Time { return entClock })
	f := &entFixture{db: db, ents: mongostore.NewEnterpriseStore(db), users: mongostore.NewUserStore(db), audit: mongostore.NewAuditStore(db)}
	org, chains, tfs := mongostore.NewOrgStore(db), mongostore.NewChainStore(db), mongostore.NewTaskForceStore(db)
	for _, u := range demo.OrgUnits() {
		portaltest.Must(t, org.UpsertOrgUnit(ctx, u), "org unit %s", u.ID)
	}
	for _, c := range demo.Chains() {
		portaltest.Must(t, chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, tf := range demo.TaskForces() {
		portaltest.Must(t, tfs.UpsertTaskForce(ctx, tf), "task force %s", tf.ID)
	}
	for _, e := range demo.Enterprises()[:12] { // the hand-written ones the demo accounts refer to
		portaltest.Must(t, f.ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
	}
	for _, u := range demo.Users() {
		portaltest.Must(t, f.users.CreateUser(ctx, u), "user %s", u.Username)
	}
	now := func() time.Time { return entClock }
	f.svc = portal.NewEnterpriseService(f.ents, org, f.users, chains, f.audit, now)
	f.reg = portal.NewRegistrationService(f.users, f.ents, redisstore.NewThrottle(portaltest.StartRedis(t).Client), f.audit, now)
	return f
}

// as returns a context acting as the demo user with username.
func (f *entFixture) as(t *testing.T, username string) context.Context {
	t.Helper()
	u, err := f.users.FindUserByUsername(context.Background(), username)
	portaltest.Must(t, err, "find user %s", username)
	return portal.WithActor(context.Background(), u.Actor())
}

// count returns how many enterprises are stored.
func (f *entFixture) count(t *testing.T) int {
	t.Helper()
	_, n, err := f.ents.FindEnterprises(context.Background(), portal.EnterpriseFilter{Limit: 1})
	portaltest.Must(t, err, "count enterprises")
	return n
}

// auditOf returns the audit entries of an action, newest first.
func (f *entFixture) auditOf(t *testing.T, action string) []*portal.AuditEntry {
	t.Helper()
	out, _, err := f.audit.FindAudit(context.Background(), portal.AuditFilter{Action: action})
	portaltest.Must(t, err, "find audit %s", action)
	return out
}

func entWantCode(t *testing.T, err error, code string) {
	t.Helper()
	if portal.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

func ents(ids ...int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("ent-%03d", id)
	}
	return out
}

func TestEnterpriseVisibility(t *testing.T) {
	f := newEntFixture(t)
	all := ents(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	actor := func(a *portal.Actor) context.Context { return portal.WithActor(context.Background(), a) }
	cases := []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"admin sees all", f.as(t, "admin"), all},
		{"enterprise user sees only its own", f.as(t, "enterprise"), ents(1)},
		{"another enterprise user sees only its own", f.as(t, "enterprise2"), ents(2)},
		{"liaison sees its caseload", f.as(t, "liaison"), ents(1, 3, 4, 10)},
		{"other liaison sees its own caseload", f.as(t, "liaison2"), ents(2, 5, 6)},
		{"committee sees its chain", f.as(t, "committee"), ents(1, 3, 4, 10)},
		{"dispatcher of the district root sees all", f.as(t, "dispatcher"), all},
		{"dispatcher of a sub-district sees its subtree", actor(&portal.Actor{UserID: "d1", Roles: []portal.Role{portal.RoleDispatcher}, UnitID: "sd-haigang"}), ents(1, 3, 10)},
		{"dispatcher of a park sees the park", actor(&portal.Actor{UserID: "d2", Roles: []portal.Role{portal.RoleDispatcher}, UnitID: "p-jewelry"}), ents(2)},
		{"dispatcher of an unknown unit sees nothing", actor(&portal.Actor{UserID: "d3", Roles: []portal.Role{portal.RoleDispatcher}, UnitID: "gone"}), nil},
		{"handler sees none", f.as(t, "handler"), nil},
		{"department head sees none", f.as(t, "depthead"), nil},
		{"policy editor sees none", f.as(t, "editor"), nil},
		{"pending enterprise user sees none", actor(&portal.Actor{UserID: "p", Roles: []portal.Role{portal.RoleEnterprise}, EnterpriseID: "ent-001", Pending: true}), nil},
		{"several roles see the union", actor(&portal.Actor{UserID: "u-liaison2", Roles: []portal.Role{portal.RoleLiaison, portal.RoleCommittee}, ChainID: "chain-port"}), ents(1, 2, 3, 4, 5, 6, 10)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := f.svc.List(tc.ctx, portal.EnterpriseQuery{PerPage: 100})
			portaltest.Must(t, err, "list")
			var got []string
			for _, e := range page.Items {
				got = append(got, e.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || page.Total != len(tc.want) {
				t.Errorf("list = %v (total %d), want %v", got, page.Total, tc.want)
			}
			for _, id := range all {
				e, err := f.svc.Get(tc.ctx, id)
				switch {
				case slices.Contains(tc.want, id) && (err != nil || e.ID != id):
					t.Errorf("get %s: %v, want it", id, err)
				case !slices.Contains(tc.want, id) && portal.ErrorCode(err) != portal.ENOTFOUND:
					t.Errorf("get %s: %v, want not found", id, err)
				}
			}
		})
	}
	t.Run("visitor must sign in", func(t *testing.T) {
		_, err := f.svc.List(context.Background(), portal.EnterpriseQuery{})
		entWantCode(t, err, portal.EUNAUTHENTICATED)
		_, err = f.svc.Get(context.Background(), "ent-001")
		entWantCode(t, err, portal.EUNAUTHENTICATED)
	})
	t.Run("unknown id is not found", func(t *testing.T) {
		_, err := f.svc.Get(f.as(t, "admin"), "ent-999")
		entWantCode(t, err, portal.ENOTFOUND)
	})
}

func TestEnterpriseListQuery(t *testing.T) {
	f := newEntFixture(t)
	admin, liaison := f.as(t, "admin"), f.as(t, "liaison")
	names := func(p *portal.EnterprisePage) []string {
		var out []string
		for _, e := range p.Items {
			out = append(out, e.ID)
		}
		return out
	}
	t.Run("search by name", func(t *testing.T) {
		p, err := f.svc.List(admin, portal.EnterpriseQuery{Q: "冷链"})
		portaltest.Must(t, err, "list")
		if got := names(p); !slices.Equal(got, ents(3)) {
			t.Errorf("q=冷链: %v", got)
		}
	})
	t.Run("search by part of the USCC is case-insensitive", func(t *testing.T) {
		p, err := f.svc.List(admin, portal.EnterpriseQuery{Q: "ma5g00012"})
		portaltest.Must(t, err, "list")
		if got := names(p); !slices.Equal(got, ents(12)) {
			t.Errorf("q=ma5g00012: %v", got)
		}
	})
	t.Run("search stays inside the scope", func(t *testing.T) {
		p, err := f.svc.List(liaison, portal.EnterpriseQuery{Q: "珠宝"})
		portaltest.Must(t, err, "list")
		if p.Total != 0 {
			t.Errorf("liaison found %v outside its caseload", names(p))
		}
	})
	t.Run("chain filter", func(t *testing.T) {
		p, err := f.svc.List(admin, portal.EnterpriseQuery{ChainID: "chain-health", PerPage: 100})
		portaltest.Must(t, err, "list")
		got := names(p)
		slices.Sort(got)
		if !slices.Equal(got, ents(7, 8)) {
			t.Errorf("chain-health: %v", got)
		}
	})
	t.Run("pages", func(t *testing.T) {
		p, err := f.svc.List(admin, portal.EnterpriseQuery{Page: 3, PerPage: 5})
		portaltest.Must(t, err, "list")
		if len(p.Items) != 2 || p.Total != 12 || p.Pages() != 3 || p.Page != 3 {
			t.Errorf("page 3 of 5: %d items, total %d, %d pages", len(p.Items), p.Total, p.Pages())
		}
		p, err = f.svc.List(admin, portal.EnterpriseQuery{})
		portaltest.Must(t, err, "list")
		if p.PerPage != portal.DefaultEnterprisesPerPage || p.Page != 1 {
			t.Errorf("defaults: page %d per page %d", p.Page, p.PerPage)
		}
	})
	for _, tc := range []struct {
		name  string
		q     portal.EnterpriseQuery
		field string
	}{
		{"per page over 100", portal.EnterpriseQuery{PerPage: 101}, "per_page"},
		{"negative page", portal.EnterpriseQuery{Page: -1}, "page"},
		{"page beyond the cap", portal.EnterpriseQuery{Page: 10001}, "page"},
		{"query too long", portal.EnterpriseQuery{Q: strings.Repeat("企", 51)}, "q"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.List(admin, tc.q)
			entWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
		})
	}
}

// newUSCC returns a valid USCC numbered n, unlike any demo one.
func newUSCC(t *testing.T, n int) string {
	t.Helper()
	first17 := fmt.Sprintf("91440308TEXT%05d", n)
	c, err := portal.USCCCheckChar(first17)
	portaltest.Must(t, err, "check char")
	return first17 + string(c)
}

func TestEnterpriseCreate(t *testing.T) {
	f := newEntFixture(t)
	admin := f.as(t, "admin")
	good := func() portal.EnterpriseInput {
		return portal.EnterpriseInput{USCC: " " + strings.ToLower(newUSCC(t, 1)) + " ", Name: " 海港新能源有限公司 ", Address: "海港街道 1 号",
			SubdistrictID: "sd-haigang", ParkID: "p-logistics", IndustrySection: "d", IndustryDivision: "44",
			ContactName: "王五", ContactPhone: "138 0000 0099", LiaisonID: "u-liaison", ChainIDs: []string{"chain-port", "chain-port"}}
	}
	t.Run("OK", func(t *testing.T) {
		e, err := f.svc.Create(admin, good())
		portaltest.Must(t, err, "create")
		got, err := f.ents.FindEnterpriseByID(context.Background(), e.ID)
		portaltest.Must(t, err, "find")
		if got.USCC != newUSCC(t, 1) || got.Name != "海港新能源有限公司" || got.IndustrySection != "D" || got.ContactPhone != "13800000099" ||
			got.TaskForceID != "tf-port" || got.District != "海湾区" || !slices.Equal(got.ChainIDs, []string{"chain-port"}) {
			t.Errorf("stored %+v", got)
		}
		if a := f.auditOf(t, "enterprise.create"); len(a) != 1 || a[0].ObjectID != e.ID || a[0].ActorID != "u-admin" {
			t.Errorf("audit %+v", a)
		}
	})
	before := f.count(t)
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		change func(*portal.EnterpriseInput)
		code   string
		field  string
		msg    string
	}{
		{"duplicate USCC", admin, func(*portal.EnterpriseInput) {}, portal.ECONFLICT, "uscc", "已登记"},
		{"wrong check character", admin, func(in *portal.EnterpriseInput) { in.USCC = newUSCC(t, 2)[:17] + "0" }, portal.EINVALID, "uscc", "校验位"},
		{"sub-district is a department", admin, func(in *portal.EnterpriseInput) {
			in.USCC, in.SubdistrictID, in.ParkID = newUSCC(t, 3), "dept-trans", ""
		}, portal.EINVALID, "subdistrict_id", "不是街道"},
		{"park of another sub-district", admin, func(in *portal.EnterpriseInput) { in.USCC, in.ParkID = newUSCC(t, 4), "p-jewelry" }, portal.EINVALID, "park_id", "不属于海港街道"},
		{"park without sub-district", admin, func(in *portal.EnterpriseInput) { in.USCC, in.SubdistrictID = newUSCC(t, 5), "" }, portal.EINVALID, "park_id", "请先选择所属街道"},
		{"park is a sub-district", admin, func(in *portal.EnterpriseInput) { in.USCC, in.ParkID = newUSCC(t, 6), "sd-jinsha" }, portal.EINVALID, "park_id", "不是社区"},
		{"liaison without the role", admin, func(in *portal.EnterpriseInput) { in.USCC, in.LiaisonID = newUSCC(t, 7), "u-handler" }, portal.EINVALID, "liaison_id", "不是在岗的专班联络员"},
		{"unknown liaison", admin, func(in *portal.EnterpriseInput) { in.USCC, in.LiaisonID = newUSCC(t, 8), "u-nobody" }, portal.EINVALID, "liaison_id", "不存在"},
		{"unknown chain", admin, func(in *portal.EnterpriseInput) { in.USCC, in.ChainIDs = newUSCC(t, 9), []string{"chain-none"} }, portal.EINVALID, "chain_ids", "chain-none"},
		{"division outside the section", admin, func(in *portal.EnterpriseInput) { in.USCC, in.IndustryDivision = newUSCC(t, 10), "58" }, portal.EINVALID, "industry_division", "不属于门类 D"},
		{"bad phone", admin, func(in *portal.EnterpriseInput) { in.USCC, in.ContactPhone = newUSCC(t, 11), "12345" }, portal.EINVALID, "contact_phone", "格式不正确"},
		{"liaison may not create", f.as(t, "liaison"), func(in *portal.EnterpriseInput) { in.USCC = newUSCC(t, 12) }, portal.EFORBIDDEN, "", "只有系统管理员"},
		{"enterprise user may not create", f.as(t, "enterprise"), func(in *portal.EnterpriseInput) { in.USCC = newUSCC(t, 13) }, portal.EFORBIDDEN, "", "只有系统管理员"},
		{"visitor must sign in", context.Background(), func(in *portal.EnterpriseInput) { in.USCC = newUSCC(t, 14) }, portal.EUNAUTHENTICATED, "", "请先登录"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good()
			tc.change(&in)
			_, err := f.svc.Create(tc.ctx, in)
			entWantCode(t, err, tc.code)
			if tc.field != "" && !strings.Contains(portal.ErrorFields(err)[tc.field], tc.msg) {
				t.Errorf("field %s: %q, want it to mention %q (all: %v)", tc.field, portal.ErrorFields(err)[tc.field], tc.msg, portal.ErrorFields(err))
			}
			if tc.field == "" && !strings.Contains(portal.ErrorMessage(err), tc.msg) {
				t.Errorf("message %q, want it to mention %q", portal.ErrorMessage(err), tc.msg)
			}
			if n := f.count(t); n != before {
				t.Errorf("%d enterprises after a refused create, want %d", n, before)
			}
		})
	}
	if a := f.auditOf(t, "enterprise.create"); len(a) != 1 {
		t.Errorf("%d create audit entries, want only the successful one", len(a))
	}
}

func TestEnterpriseUpdate(t *testing.T) {
	f := newEntFixture(t)
	str := func(s string) *string { return &s }
	stored := func(t *testing.T, id string) *portal.Enterprise {
		e, err := f.ents.FindEnterpriseByID(context.Background(), id)
		portaltest.Must(t, err, "find %s", id)
		return e
	}
	t.Run("admin changes name, liaison and chains", func(t *testing.T) {
		chains := []string{"chain-port", "chain-tourism"}
		e, err := f.svc.Update(f.as(t, "admin"), "ent-001", portal.EnterpriseUpdate{Name: str("海湾国际物流集团有限公司"),
			LiaisonID: str("u-liaison2"), ChainIDs: &chains})
		portaltest.Must(t, err, "update")
		got := stored(t, "ent-001")
		if got.Name != "海湾国际物流集团有限公司" || got.LiaisonID != "u-liaison2" || got.TaskForceID != "tf-jewelry" ||
			!slices.Equal(got.ChainIDs, chains) || e.Name != got.Name {
			t.Errorf("stored %+v", got)
		}
		a := f.auditOf(t, "enterprise.update")
		if len(a) != 1 || a[0].ObjectID != "ent-001" || !strings.Contains(a[0].Detail, "name") || !strings.Contains(a[0].Detail, "liaison_id") {
			t.Errorf("audit %+v", a)
		}
	})
	t.Run("enterprise user changes its contact details", func(t *testing.T) {
		_, err := f.svc.Update(f.as(t, "enterprise2"), "ent-002", portal.EnterpriseUpdate{ContactName: str("李新"), ContactPhone: str("0755-88886666"), Address: str("水贝一路 68 号")})
		portaltest.Must(t, err, "update")
		if got := stored(t, "ent-002"); got.ContactName != "李新" || got.ContactPhone != "0755-88886666" || got.Address != "水贝一路 68 号" {
			t.Errorf("stored %+v", got)
		}
	})
	t.Run("an update that changes nothing is not audited", func(t *testing.T) {
		n := len(f.auditOf(t, "enterprise.update"))
		_, err := f.svc.Update(f.as(t, "enterprise2"), "ent-002", portal.EnterpriseUpdate{ContactName: str("李新")})
		portaltest.Must(t, err, "update")
		if got := len(f.auditOf(t, "enterprise.update")); got != n {
			t.Errorf("%d update audit entries, want %d", got, n)
		}
	})
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		id     string
		upd    portal.EnterpriseUpdate
		code   string
		fields []string
		msg    string
	}{
		{"enterprise user may not rename", f.as(t, "enterprise"), "ent-001",
			portal.EnterpriseUpdate{Name: str("别的名字"), ContactName: str("张三"), LiaisonID: str("")}, portal.EFORBIDDEN,
			[]string{"name", "liaison_id"}, "不能修改：包干联络员、企业名称"},
		{"enterprise user may not touch another enterprise", f.as(t, "enterprise"), "ent-002",
			portal.EnterpriseUpdate{ContactName: str("张三")}, portal.ENOTFOUND, nil, "企业不存在"},
		{"liaison sees its enterprise but may not change it", f.as(t, "liaison"), "ent-003",
			portal.EnterpriseUpdate{ContactName: str("张三")}, portal.EFORBIDDEN, nil, "无权修改"},
		{"liaison outside its caseload learns nothing", f.as(t, "liaison"), "ent-002",
			portal.EnterpriseUpdate{ContactName: str("张三")}, portal.ENOTFOUND, nil, "企业不存在"},
		{"handler learns nothing", f.as(t, "handler"), "ent-003",
			portal.EnterpriseUpdate{ContactName: str("张三")}, portal.ENOTFOUND, nil, "企业不存在"},
		{"USCC cannot change", f.as(t, "admin"), "ent-003",
			portal.EnterpriseUpdate{USCC: str(newUSCC(t, 20)), Name: str("新名字")}, portal.EINVALID, []string{"uscc"}, "不能修改"},
		{"enterprise user may not send the USCC", f.as(t, "enterprise"), "ent-001",
			portal.EnterpriseUpdate{USCC: str(newUSCC(t, 21))}, portal.EFORBIDDEN, []string{"uscc"}, "统一社会信用代码"},
		{"bad phone from the enterprise", f.as(t, "enterprise"), "ent-001",
			portal.EnterpriseUpdate{ContactName: str("张三"), ContactPhone: str("110")}, portal.EINVALID, []string{"contact_phone"}, "企业信息有误"},
		{"park outside the sub-district", f.as(t, "admin"), "ent-003",
			portal.EnterpriseUpdate{ParkID: str("p-health")}, portal.EINVALID, []string{"park_id"}, "企业信息有误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := stored(t, tc.id)
			audits := len(f.auditOf(t, "enterprise.update"))
			_, err := f.svc.Update(tc.ctx, tc.id, tc.upd)
			entWantCode(t, err, tc.code)
			if !strings.Contains(portal.ErrorMessage(err), tc.msg) {
				t.Errorf("message %q, want it to mention %q", portal.ErrorMessage(err), tc.msg)
			}
			for _, k := range tc.fields {
				if portal.ErrorFields(err)[k] == "" {
					t.Errorf("fields %v do not name %s", portal.ErrorFields(err), k)
				}
			}
			after := stored(t, tc.id)
			if after.Name != before.Name || after.ContactName != before.ContactName || after.ParkID != before.ParkID || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("refused update changed the enterprise: %+v → %+v", before, after)
			}
			if got := len(f.auditOf(t, "enterprise.update")); got != audits {
				t.Errorf("refused update was audited")
			}
		})
	}
}
