package portal_test

import (
	"context"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestChainVisibility(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Chains
	f.addUser(t, &portal.User{ID: "u-c2", Username: "committee2", DisplayName: "珠宝党委委员", Roles: []portal.Role{portal.RoleCommittee},
		ChainID: "chain-jewelry"})
	f.addUser(t, &portal.User{ID: "u-new", Username: "newcomer", DisplayName: "待审核企业", Roles: []portal.Role{portal.RoleEnterprise},
		EnterpriseID: "ent-012", Status: portal.UserPending})

	t.Run("ListForAnySignedIn", func(t *testing.T) {
		for _, who := range []string{"admin", "enterprise", "handler", "committee"} {
			items, total, err := svc.FindChains(f.as(t, who), "", 0, 20)
			portaltest.Must(t, err, "list as %s", who)
			if total != 4 || len(items) != 4 {
				t.Fatalf("%s sees %d chains, want 4", who, total)
			}
			for _, c := range items {
				if c.ID == "chain-port" && (c.Enterprises != 4 || c.LeadUnitName != "区交通运输局") {
					t.Errorf("港口物流 summary = %+v, want 4 enterprises led by 区交通运输局", c)
				}
			}
		}
		items, total, err := svc.FindChains(f.as(t, "enterprise"), "珠宝", 0, 20)
		portaltest.Must(t, err, "search")
		if total != 1 || items[0].ID != "chain-jewelry" {
			t.Errorf("search 珠宝 = %+v", items)
		}
	})

	t.Run("ListErrVisitorAndPending", func(t *testing.T) {
		_, _, err := svc.FindChains(context.Background(), "", 0, 20)
		admWantCode(t, err, portal.EUNAUTHENTICATED)
		_, _, err = svc.FindChains(f.as(t, "newcomer"), "", 0, 20)
		admWantCode(t, err, portal.EFORBIDDEN)
	})

	for _, tc := range []struct {
		who, id     string
		wantMembers []string // nil: members hidden
	}{
		{"admin", "chain-port", []string{"u-committee"}},
		{"admin", "chain-jewelry", []string{"u-c2"}},
		{"committee", "chain-port", []string{"u-committee"}},
		{"committee", "chain-jewelry", nil},
		{"committee2", "chain-jewelry", []string{"u-c2"}},
		{"enterprise", "chain-port", nil},
		{"liaison", "chain-port", nil},
		{"admin", "chain-health", []string{}},
	} {
		t.Run("Get/"+tc.who+"/"+tc.id, func(t *testing.T) {
			d, err := svc.FindChain(f.as(t, tc.who), tc.id)
			portaltest.Must(t, err, "get")
			if tc.wantMembers == nil {
				if d.Members != nil || d.CommitteeVisible {
					t.Errorf("%s sees the committee of %s: %+v", tc.who, tc.id, d.Members)
				}
				return
			}
			var got []string
			for _, m := range d.Members {
				got = append(got, m.ID)
			}
			if !d.CommitteeVisible || strings.Join(got, ",") != strings.Join(tc.wantMembers, ",") {
				t.Errorf("members = %v, want %v", got, tc.wantMembers)
			}
		})
	}

	t.Run("GetErrNotFound", func(t *testing.T) {
		_, err := svc.FindChain(f.as(t, "admin"), "chain-none")
		admWantCode(t, err, portal.ENOTFOUND)
	})
}

func TestChainWrite(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Chains
	admin := f.as(t, "admin")

	var created *portal.Chain
	t.Run("OKCreate", func(t *testing.T) {
		var err error
		created, err = svc.CreateChain(admin, portal.ChainInput{Name: " 新能源 ", Description: "储能和充电设施", LeadUnitID: "dept-drc"})
		portaltest.Must(t, err, "create")
		if created.Name != "新能源" || created.ID == "" {
			t.Errorf("created = %+v", created)
		}
		if a := f.auditOf(t, "chain.create"); len(a) != 1 || a[0].ObjectID != created.ID {
			t.Errorf("audit = %+v", a)
		}
	})

	t.Run("OKUpdate", func(t *testing.T) {
		c, err := svc.UpdateChain(admin, created.ID, portal.ChainInput{Name: "新能源汽车", Description: "储能和充电设施", LeadUnitID: "dept-miit"})
		portaltest.Must(t, err, "update")
		if c.Name != "新能源汽车" || !c.CreatedAt.Equal(created.CreatedAt) {
			t.Errorf("updated = %+v", c)
		}
		a := f.auditOf(t, "chain.update")
		if len(a) != 1 || !strings.Contains(a[0].Detail, "新能源 → 新能源汽车") || !strings.Contains(a[0].Detail, "dept-drc → dept-miit") {
			t.Errorf("audit = %+v", a)
		}
		if _, err := svc.UpdateChain(admin, created.ID, portal.ChainInput{Name: "新能源汽车", Description: "储能和充电设施", LeadUnitID: "dept-miit"}); err != nil {
			t.Fatalf("same values: %v", err)
		}
		if n := len(f.auditOf(t, "chain.update")); n != 1 {
			t.Errorf("an update that changes nothing was audited")
		}
	})

	for _, tc := range []struct {
		name  string
		in    portal.ChainInput
		field string
	}{
		{"ShortName", portal.ChainInput{Name: "链"}, "name"},
		{"DuplicateName", portal.ChainInput{Name: "港口物流"}, "name"},
		{"LongDescription", portal.ChainInput{Name: "数字经济", Description: strings.Repeat("字", 501)}, "description"},
		{"UnknownLeadUnit", portal.ChainInput{Name: "数字经济", LeadUnitID: "gone"}, "lead_unit_id"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := svc.CreateChain(admin, tc.in)
			admWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			_, err = svc.UpdateChain(admin, created.ID, tc.in)
			admWantCode(t, err, portal.EINVALID)
			if f.snapshot(t) != before {
				t.Error("refused write changed data")
			}
		})
	}

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.CreateChain(f.as(t, "committee"), portal.ChainInput{Name: "数字经济"})
		admWantCode(t, err, portal.EFORBIDDEN)
		_, err = svc.UpdateChain(f.as(t, "committee"), "chain-port", portal.ChainInput{Name: "港口"})
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused write changed data")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := svc.UpdateChain(admin, "chain-none", portal.ChainInput{Name: "数字经济"})
		admWantCode(t, err, portal.ENOTFOUND)
	})
}
