package portal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// admFixture is the demo district on a fresh database — org tree, chains,
// task forces, enterprises and users — with the organisation
// administration services on top.
type admFixture struct {
	db       *mongostore.DB
	admin    *portal.OrgAdmin
	org      *mongostore.OrgStore
	tfs      *mongostore.TaskForceStore
	chains   *mongostore.ChainStore
	ents     *mongostore.EnterpriseStore
	users    *mongostore.UserStore
	sessions *mongostore.SessionStore
	audit    *mongostore.AuditStore
}

var admClock = time.Date(2025, 9, 1, 2, 0, 0, 0, time.UTC)

// admTicker returns a clock starting at admClock that moves one second
// on every reading, so that audit entries have a definite order.
func admTicker() func() time.Time {
	var mu sync.Mutex
	now := admClock
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
}

// admPassword is the password of every fixture user.
const admPassword = "Lq9#vWmz-2025"

// admHash is admPassword hashed once: argon2id is slow on purpose.
var admHash = sync.OnceValues(func() (string, error) { return portal.HashPassword(admPassword) })

// admEnterprises are twelve enterprises: ent-001, 003, 004 and 010 in the
// caseload of u-liaison (tf-port, chain-port); ent-002, 005 and 006 of
// u-liaison2 (tf-jewelry, chain-jewelry); the rest without a liaison. They
// are the tests' own so that growing the demo data does not move the counts.
func admEnterprises() []*portal.Enterprise {
	var out []*portal.Enterprise
	for _, s := range []struct {
		n                 int
		name, liaison, tf string
		chain             string
	}{
		{1, "海湾国际物流有限公司", "u-liaison", "tf-port", "chain-port"},
		{2, "金沙珠宝首饰有限公司", "u-liaison2", "tf-jewelry", "chain-jewelry"},
		{3, "海港冷链仓储有限公司", "u-liaison", "tf-port", "chain-port"},
		{4, "东湾集装箱码头有限公司", "u-liaison", "tf-port", "chain-port"},
		{5, "水贝黄金检测中心有限公司", "u-liaison2", "tf-jewelry", "chain-jewelry"},
		{6, "锦绣金饰设计工作室有限公司", "u-liaison2", "tf-jewelry", "chain-jewelry"},
		{7, "梅林生物医药科技有限公司", "", "", "chain-health"},
		{8, "新和医疗器械有限公司", "", "", "chain-health"},
		{9, "滨海湾度假酒店管理有限公司", "", "", "chain-tourism"},
		{10, "海湾航运代理有限公司", "u-liaison", "tf-port", "chain-port"},
		{11, "东湾文旅发展有限公司", "", "", "chain-tourism"},
		{12, "海湾智能软件有限公司", "", "", ""},
	} {
		first17 := fmt.Sprintf("91440308MA5H%05d", s.n)
		check, err := portal.USCCCheckChar(first17)
		if err != nil {
			panic(err)
		}
		e := &portal.Enterprise{ID: fmt.Sprintf("ent-%03d", s.n), USCC: first17 + string(check), Name: s.name,
			SubdistrictID: "sd-haigang", LiaisonID: s.liaison, TaskForceID: s.tf}
		if s.chain != "" {
			e.ChainIDs = []string{s.chain}
		}
		out = append(out, e)
	}
	return out
}

func newAdmFixture(t *testing.T) *admFixture {
	t.Helper()
	ctx := context.Background()
	db := portaltest.DB(t)
	clock := admTicker()
	db.SetClock(clock)
	f := &admFixture{db: db, org: mongostore.NewOrgStore(db), tfs: mongostore.NewTaskForceStore(db),
		chains: mongostore.NewChainStore(db), ents: mongostore.NewEnterpriseStore(db), users: mongostore.NewUserStore(db),
		sessions: mongostore.NewSessionStore(db), audit: mongostore.NewAuditStore(db)}
	for _, u := range demo.OrgUnits() {
		portaltest.Must(t, f.org.UpsertOrgUnit(ctx, u), "org unit %s", u.ID)
	}
	for _, c := range demo.Chains() {
		portaltest.Must(t, f.chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, tf := range demo.TaskForces() {
		portaltest.Must(t, f.tfs.UpsertTaskForce(ctx, tf), "task force %s", tf.ID)
	}
	for _, e := range admEnterprises() {
		portaltest.Must(t, f.ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
	}
	hash, err := admHash()
	portaltest.Must(t, err, "hash")
	for _, u := range demo.Users() {
		u.PasswordHash = hash
		portaltest.Must(t, f.users.CreateUser(ctx, u), "user %s", u.Username)
	}
	f.admin = portal.NewOrgAdmin(f.org, f.tfs, f.chains, f.ents, f.users, f.sessions, f.audit, clock)
	return f
}

// addUser stores an extra account with the fixture password.
func (f *admFixture) addUser(t *testing.T, u *portal.User) *portal.User {
	t.Helper()
	hash, err := admHash()
	portaltest.Must(t, err, "hash")
	u.PasswordHash = hash
	portaltest.Must(t, f.users.CreateUser(context.Background(), u), "create user %s", u.Username)
	return u
}

// as returns a context acting as the user with username.
func (f *admFixture) as(t *testing.T, username string) context.Context {
	t.Helper()
	u, err := f.users.FindUserByUsername(context.Background(), username)
	portaltest.Must(t, err, "find user %s", username)
	return portal.WithActor(context.Background(), u.Actor())
}

// user returns the stored user with id.
func (f *admFixture) user(t *testing.T, id string) *portal.User {
	t.Helper()
	u, err := f.users.FindUserByID(context.Background(), id)
	portaltest.Must(t, err, "find user %s", id)
	return u
}

// auditOf returns the entries of action (or action prefix), newest first.
func (f *admFixture) auditOf(t *testing.T, action string) []*portal.AuditEntry {
	t.Helper()
	out, _, err := f.audit.FindAudit(context.Background(), portal.AuditFilter{Action: action})
	portaltest.Must(t, err, "find audit %s", action)
	return out
}

// snapshot is the JSON of everything the services may change, to check
// that refused input changed nothing.
func (f *admFixture) snapshot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	units, err := f.org.FindOrgUnits(ctx, portal.OrgUnitFilter{})
	portaltest.Must(t, err, "units")
	tfs, err := f.tfs.FindTaskForces(ctx)
	portaltest.Must(t, err, "task forces")
	chains, err := f.chains.FindChains(ctx)
	portaltest.Must(t, err, "chains")
	ents, _, err := f.ents.FindEnterprises(ctx, portal.EnterpriseFilter{})
	portaltest.Must(t, err, "enterprises")
	users, _, err := f.users.FindUsers(ctx, portal.UserFilter{})
	portaltest.Must(t, err, "users")
	type userState struct {
		*portal.User
		Hash    string
		Version int
	}
	var us []userState
	for _, u := range users {
		us = append(us, userState{u, u.PasswordHash, u.TokenVersion})
	}
	b, err := json.Marshal([]any{units, tfs, chains, ents, us})
	portaltest.Must(t, err, "marshal")
	return string(b)
}

func admWantCode(t *testing.T, err error, code string) {
	t.Helper()
	if portal.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %q", err, code)
	}
}

func TestOrgServiceRead(t *testing.T) {
	f := newAdmFixture(t)
	anon := context.Background()
	tree, err := f.admin.Org.Tree(anon)
	portaltest.Must(t, err, "tree")
	if len(tree) != 1 || tree[0].Unit.ID != demo.DistrictID || len(tree[0].Children) != 16 {
		t.Fatalf("tree roots = %d, root children = %d; want the district with 12 departments and 4 sub-districts", len(tree), len(tree[0].Children))
	}
	for _, n := range tree[0].Children {
		if n.Unit.ID == "sd-jinsha" && len(n.Children) != 3 {
			t.Errorf("金沙街道 has %d children, want 3", len(n.Children))
		}
	}
	d, err := f.admin.Org.FindUnit(anon, "p-jewelry")
	portaltest.Must(t, err, "find unit")
	if len(d.Path) != 2 || d.Path[0].ID != demo.DistrictID || d.Path[1].ID != "sd-jinsha" || len(d.Children) != 0 {
		t.Errorf("detail of p-jewelry = path %v children %v", d.Path, d.Children)
	}
	_, err = f.admin.Org.FindUnit(anon, "nope")
	admWantCode(t, err, portal.ENOTFOUND)
}

func TestOrgServiceCreate(t *testing.T) {
	f := newAdmFixture(t)
	in := func(name string, kind portal.OrgKind, parent string) portal.OrgUnitInput {
		return portal.OrgUnitInput{Name: name, Kind: kind, ParentID: parent}
	}
	t.Run("OK", func(t *testing.T) {
		for _, tc := range []struct {
			in   portal.OrgUnitInput
			tier portal.Tier
		}{
			{portal.OrgUnitInput{Name: " 区水务局 ", Kind: portal.KindDepartment, ParentID: demo.DistrictID, Head: "赵局长"}, portal.TierA},
			{in("盐港街道", portal.KindSubdistrict, demo.DistrictID), portal.TierB},
			{in("海港新社区", portal.KindCommunity, "sd-haigang"), portal.TierC},
			{portal.OrgUnitInput{Name: "金沙科创园", Kind: portal.KindPark, Tier: portal.TierC, ParentID: "sd-jinsha"}, portal.TierC},
		} {
			u, err := f.admin.Org.CreateUnit(f.as(t, "admin"), tc.in)
			portaltest.Must(t, err, "create %s", tc.in.Name)
			if u.Tier != tc.tier || u.Name != strings.TrimSpace(tc.in.Name) || u.ID == "" {
				t.Errorf("created %+v, want tier %s", u, tc.tier)
			}
			d, err := f.admin.Org.FindUnit(context.Background(), u.ID)
			portaltest.Must(t, err, "find created")
			if d.ParentID != tc.in.ParentID {
				t.Errorf("stored parent %q, want %q", d.ParentID, tc.in.ParentID)
			}
		}
		if got := f.auditOf(t, "org.create"); len(got) != 4 || got[0].ActorID != "u-admin" || got[0].Outcome != portal.OutcomeOK {
			t.Errorf("org.create audit = %d entries, newest %+v", len(got), got[0])
		}
	})

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		for _, who := range []string{"handler", "dispatcher", "liaison", "enterprise"} {
			_, err := f.admin.Org.CreateUnit(f.as(t, who), in("区新局", portal.KindDepartment, demo.DistrictID))
			admWantCode(t, err, portal.EFORBIDDEN)
		}
		_, err := f.admin.Org.CreateUnit(context.Background(), in("区新局", portal.KindDepartment, demo.DistrictID))
		admWantCode(t, err, portal.EUNAUTHENTICATED)
		if f.snapshot(t) != before {
			t.Error("a refused create changed data")
		}
		denied := f.auditOf(t, "org.create")
		if denied[0].Outcome != portal.OutcomeDenied || denied[0].ActorID != "u-enterprise" {
			t.Errorf("newest org.create entry = %+v, want the enterprise user's denied attempt", denied[0])
		}
	})

	t.Run("ErrBadInputChangesNothing", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			in    portal.OrgUnitInput
			field string
		}{
			{"EmptyName", in("  ", portal.KindDepartment, demo.DistrictID), "name"},
			{"NameTooLong", in(strings.Repeat("局", 61), portal.KindDepartment, demo.DistrictID), "name"},
			{"HeadTooLong", portal.OrgUnitInput{Name: "区新局", Kind: portal.KindDepartment, ParentID: demo.DistrictID, Head: strings.Repeat("张", 41)}, "head"},
			{"SecondDistrict", in("新区", portal.KindDistrict, ""), "kind"},
			{"UnknownKind", in("区新局", "ministry", demo.DistrictID), "kind"},
			{"TierDisagreesWithKind", portal.OrgUnitInput{Name: "区新局", Kind: portal.KindDepartment, Tier: portal.TierC, ParentID: demo.DistrictID}, "tier"},
			{"NoParent", in("区新局", portal.KindDepartment, ""), "parent_id"},
			{"ParentMissing", in("区新局", portal.KindDepartment, "nope"), "parent_id"},
			{"DepartmentUnderSubdistrict", in("区新局", portal.KindDepartment, "sd-haigang"), "parent_id"},
			{"SubdistrictUnderDepartment", in("新街道", portal.KindSubdistrict, "dept-trans"), "parent_id"},
			{"CommunityUnderDistrict", in("新社区", portal.KindCommunity, demo.DistrictID), "parent_id"},
			{"ParkUnderPark", in("园中园", portal.KindPark, "p-jewelry"), "parent_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.snapshot(t)
				_, err := f.admin.Org.CreateUnit(f.as(t, "admin"), tc.in)
				admWantCode(t, err, portal.EINVALID)
				if msg := portal.ErrorFields(err)[tc.field]; msg == "" {
					t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
				}
				if f.snapshot(t) != before {
					t.Error("refused create changed data")
				}
			})
		}
	})
}

func TestOrgServiceUpdate(t *testing.T) {
	f := newAdmFixture(t)
	admin := f.as(t, "admin")
	t.Run("OKRenameAndMove", func(t *testing.T) {
		u, err := f.admin.Org.UpdateUnit(admin, "dept-trans", portal.OrgUnitInput{Name: "区交通局", Kind: portal.KindDepartment, ParentID: demo.DistrictID, Head: "吴海平"})
		portaltest.Must(t, err, "rename")
		if u.Name != "区交通局" || u.Tier != portal.TierA || u.CreatedAt.IsZero() {
			t.Errorf("renamed = %+v", u)
		}
		u, err = f.admin.Org.UpdateUnit(admin, "c-haigang-lingang", portal.OrgUnitInput{Name: "临港社区", Kind: portal.KindCommunity, ParentID: "sd-dongwan", Head: "冯晓"})
		portaltest.Must(t, err, "move")
		d, err := f.admin.Org.FindUnit(context.Background(), u.ID)
		portaltest.Must(t, err, "find moved")
		if d.Path[1].ID != "sd-dongwan" {
			t.Errorf("moved unit's path = %v", d.Path)
		}
		got := f.auditOf(t, "org.update")
		if len(got) != 2 || !strings.Contains(got[1].Detail, "区交通运输局 → 区交通局") || !strings.Contains(got[0].Detail, "海港街道 → 东湾街道") {
			t.Errorf("org.update audit = %+v", got)
		}
	})

	t.Run("OKRenameRoot", func(t *testing.T) {
		u, err := f.admin.Org.UpdateUnit(admin, demo.DistrictID, portal.OrgUnitInput{Name: "海湾新区", Kind: portal.KindDistrict, Head: "区企业服务中心"})
		portaltest.Must(t, err, "rename root")
		if u.Name != "海湾新区" || u.ParentID != "" || u.Kind != portal.KindDistrict {
			t.Errorf("root = %+v", u)
		}
	})

	t.Run("OKNoChangeNotAudited", func(t *testing.T) {
		n := len(f.auditOf(t, "org.update"))
		_, err := f.admin.Org.UpdateUnit(admin, "dept-miit", portal.OrgUnitInput{Name: "区工业和信息化局", Kind: portal.KindDepartment, ParentID: demo.DistrictID, Head: "陈志远"})
		portaltest.Must(t, err, "same values")
		if got := len(f.auditOf(t, "org.update")); got != n {
			t.Errorf("an update that changes nothing was audited (%d → %d)", n, got)
		}
	})

	for _, tc := range []struct {
		name  string
		id    string
		in    portal.OrgUnitInput
		field string
	}{
		{"CycleUnderOwnChild", "sd-jinsha", portal.OrgUnitInput{Name: "金沙街道", Kind: portal.KindSubdistrict, ParentID: "c-jinsha-shuibei"}, "parent_id"},
		{"CycleUnderItself", "sd-jinsha", portal.OrgUnitInput{Name: "金沙街道", Kind: portal.KindSubdistrict, ParentID: "sd-jinsha"}, "parent_id"},
		{"RootCannotMove", demo.DistrictID, portal.OrgUnitInput{Name: "海湾区", Kind: portal.KindDistrict, ParentID: "sd-jinsha"}, "parent_id"},
		{"RootKeepsKind", demo.DistrictID, portal.OrgUnitInput{Name: "海湾区", Kind: portal.KindDepartment}, "kind"},
		{"NothingBecomesDistrict", "dept-tax", portal.OrgUnitInput{Name: "区税务局", Kind: portal.KindDistrict}, "kind"},
		{"WrongParentForKind", "c-meilin-xinhe", portal.OrgUnitInput{Name: "新和社区", Kind: portal.KindCommunity, ParentID: "dept-trans"}, "parent_id"},
		{"ChildrenWouldNotFit", "sd-meilin", portal.OrgUnitInput{Name: "梅林街道", Kind: portal.KindDepartment, ParentID: demo.DistrictID}, "kind"},
		{"ParentMissing", "dept-tax", portal.OrgUnitInput{Name: "区税务局", Kind: portal.KindDepartment, ParentID: "gone"}, "parent_id"},
		{"EmptyName", "dept-tax", portal.OrgUnitInput{Name: "", Kind: portal.KindDepartment, ParentID: demo.DistrictID}, "name"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			audited := len(f.auditOf(t, "org."))
			_, err := f.admin.Org.UpdateUnit(admin, tc.id, tc.in)
			admWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			if f.snapshot(t) != before {
				t.Error("refused update changed data")
			}
			if got := len(f.auditOf(t, "org.")); got != audited {
				t.Errorf("refused input was audited as a change")
			}
		})
	}

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.admin.Org.UpdateUnit(admin, "nope", portal.OrgUnitInput{Name: "x", Kind: portal.KindDepartment, ParentID: demo.DistrictID})
		admWantCode(t, err, portal.ENOTFOUND)
	})

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := f.admin.Org.UpdateUnit(f.as(t, "depthead"), "dept-trans", portal.OrgUnitInput{Name: "改名", Kind: portal.KindDepartment, ParentID: demo.DistrictID})
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused update changed data")
		}
	})
}
