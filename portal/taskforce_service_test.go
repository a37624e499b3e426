package portal_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func tfNames(items []*portal.TaskForceSummary) []string {
	var out []string
	for _, t := range items {
		out = append(out, t.ID)
	}
	return out
}

func TestTaskForceVisibility(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.TaskForces
	for _, tc := range []struct {
		who  string
		want []string
		code string
	}{
		{"admin", []string{"tf-port", "tf-jewelry"}, ""},
		{"liaison", []string{"tf-port"}, ""},
		{"liaison2", []string{"tf-jewelry"}, ""},
		{"handler", nil, portal.EFORBIDDEN},
		{"enterprise", nil, portal.EFORBIDDEN},
	} {
		t.Run("List/"+tc.who, func(t *testing.T) {
			items, total, err := svc.FindTaskForces(f.as(t, tc.who), "", 0, 20)
			if tc.code != "" {
				admWantCode(t, err, tc.code)
				return
			}
			portaltest.Must(t, err, "list")
			got := tfNames(items)
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) || total != len(want) {
				t.Errorf("list = %v (total %d), want %v", got, total, want)
			}
		})
	}
	t.Run("ListSearchAndPage", func(t *testing.T) {
		items, total, err := svc.FindTaskForces(f.as(t, "admin"), "珠宝", 0, 20)
		portaltest.Must(t, err, "search")
		if total != 1 || items[0].ID != "tf-jewelry" || items[0].LeadUnitName != "区工业和信息化局" {
			t.Errorf("search 珠宝 = %+v", items)
		}
		items, total, err = svc.FindTaskForces(f.as(t, "admin"), "", 1, 1)
		portaltest.Must(t, err, "page 2")
		if total != 2 || len(items) != 1 {
			t.Errorf("second page of one = %d items, total %d", len(items), total)
		}
	})
	t.Run("ListAnonymous", func(t *testing.T) {
		_, _, err := svc.FindTaskForces(context.Background(), "", 0, 20)
		admWantCode(t, err, portal.EUNAUTHENTICATED)
	})

	for _, tc := range []struct {
		who, id string
		code    string
	}{
		{"admin", "tf-port", ""},
		{"admin", "tf-jewelry", ""},
		{"liaison", "tf-port", ""},
		{"liaison", "tf-jewelry", portal.ENOTFOUND}, // another task force: not even its existence
		{"liaison2", "tf-port", portal.ENOTFOUND},
		{"handler", "tf-port", portal.ENOTFOUND},
		{"committee", "tf-port", portal.ENOTFOUND},
		{"admin", "tf-none", portal.ENOTFOUND},
	} {
		t.Run("Get/"+tc.who+"/"+tc.id, func(t *testing.T) {
			d, err := svc.FindTaskForce(f.as(t, tc.who), tc.id)
			if tc.code != "" {
				admWantCode(t, err, tc.code)
				return
			}
			portaltest.Must(t, err, "get")
			if len(d.Members) != 1 {
				t.Fatalf("members = %+v, want the one demo liaison", d.Members)
			}
			want := map[string]int{"tf-port": 4, "tf-jewelry": 3}[tc.id]
			if d.Members[0].Caseload != want {
				t.Errorf("caseload of %s = %d, want %d", d.Members[0].Username, d.Members[0].Caseload, want)
			}
		})
	}
}

func TestTaskForceCreateUpdate(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.TaskForces
	admin := f.as(t, "admin")
	f.addUser(t, &portal.User{ID: "u-l3", Username: "liaison3", DisplayName: "新联络员", Roles: []portal.Role{portal.RoleLiaison}})
	f.addUser(t, &portal.User{ID: "u-l4", Username: "liaison4", DisplayName: "停用的联络员", Roles: []portal.Role{portal.RoleLiaison},
		Status: portal.UserDisabled})

	var created *portal.TaskForce
	t.Run("OKCreateWithMember", func(t *testing.T) {
		var err error
		created, err = svc.CreateTaskForce(admin, portal.TaskForceInput{Name: "生命健康专班", LeadUnitID: "dept-sci", MemberIDs: []string{"u-l3", "u-l3"}})
		portaltest.Must(t, err, "create")
		if !slices.Equal(created.MemberIDs, []string{"u-l3"}) {
			t.Errorf("members = %v, want the liaison once", created.MemberIDs)
		}
		if got := f.user(t, "u-l3"); got.TaskForceID != created.ID || got.TokenVersion != 1 {
			t.Errorf("joining liaison = task force %q, token version %d; want the new task force and a bumped version", got.TaskForceID, got.TokenVersion)
		}
		if a := f.auditOf(t, "taskforce.create"); len(a) != 1 || a[0].ObjectID != created.ID {
			t.Errorf("audit = %+v", a)
		}
	})

	for _, tc := range []struct {
		name  string
		in    portal.TaskForceInput
		field string
	}{
		{"NotALiaison", portal.TaskForceInput{Name: "生命健康专班", LeadUnitID: "dept-sci", MemberIDs: []string{"u-l3", "u-handler"}}, "member_ids"},
		{"MemberOfAnother", portal.TaskForceInput{Name: "生命健康专班", LeadUnitID: "dept-sci", MemberIDs: []string{"u-l3", "u-liaison2"}}, "member_ids"},
		{"DisabledLiaison", portal.TaskForceInput{Name: "生命健康专班", LeadUnitID: "dept-sci", MemberIDs: []string{"u-l3", "u-l4"}}, "member_ids"},
		{"UnknownUser", portal.TaskForceInput{Name: "生命健康专班", LeadUnitID: "dept-sci", MemberIDs: []string{"u-l3", "ghost"}}, "member_ids"},
		{"ShortName", portal.TaskForceInput{Name: "专", LeadUnitID: "dept-sci", MemberIDs: []string{"u-l3"}}, "name"},
		{"NoLeadUnit", portal.TaskForceInput{Name: "生命健康专班", MemberIDs: []string{"u-l3"}}, "lead_unit_id"},
		{"UnknownLeadUnit", portal.TaskForceInput{Name: "生命健康专班", LeadUnitID: "gone", MemberIDs: []string{"u-l3"}}, "lead_unit_id"},
	} {
		t.Run("ErrUpdate"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := svc.UpdateTaskForce(admin, created.ID, tc.in)
			admWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			if f.snapshot(t) != before {
				t.Error("refused update changed data")
			}
		})
	}

	t.Run("ErrRemoveMemberWithCaseload", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.UpdateTaskForce(admin, "tf-port", portal.TaskForceInput{Name: "港口物流服务专班", LeadUnitID: "dept-trans", MemberIDs: []string{}})
		admWantCode(t, err, portal.EINVALID)
		if msg := portal.ErrorFields(err)["member_ids"]; !strings.Contains(msg, "4 家包干企业") {
			t.Errorf("message %q does not say the caseload must move first", msg)
		}
		if f.snapshot(t) != before {
			t.Error("refused update changed data")
		}
	})

	t.Run("OKRemoveMemberWithoutCaseload", func(t *testing.T) {
		tf, err := svc.UpdateTaskForce(admin, created.ID, portal.TaskForceInput{Name: "生命健康产业专班", LeadUnitID: "dept-sci"})
		portaltest.Must(t, err, "remove member")
		if len(tf.MemberIDs) != 0 || tf.Name != "生命健康产业专班" || !tf.CreatedAt.Equal(created.CreatedAt) {
			t.Errorf("after update = %+v", tf)
		}
		if got := f.user(t, "u-l3"); got.TaskForceID != "" {
			t.Errorf("leaving liaison still in task force %q", got.TaskForceID)
		}
		a := f.auditOf(t, "taskforce.update")
		if len(a) != 1 || !strings.Contains(a[0].Detail, "退出：u-l3") || !strings.Contains(a[0].Detail, "名称") {
			t.Errorf("audit = %+v", a)
		}
	})

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.UpdateTaskForce(f.as(t, "liaison"), "tf-port", portal.TaskForceInput{Name: "改名专班", LeadUnitID: "dept-trans", MemberIDs: []string{"u-liaison"}})
		admWantCode(t, err, portal.EFORBIDDEN)
		_, err = svc.CreateTaskForce(f.as(t, "liaison"), portal.TaskForceInput{Name: "私设专班", LeadUnitID: "dept-trans"})
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused write changed data")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := svc.UpdateTaskForce(admin, "tf-none", portal.TaskForceInput{Name: "不存在专班", LeadUnitID: "dept-trans"})
		admWantCode(t, err, portal.ENOTFOUND)
	})
}

func TestTaskForceReassign(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.TaskForces
	admin := f.as(t, "admin")
	f.addUser(t, &portal.User{ID: "u-l3", Username: "liaison3", DisplayName: "港口新联络员", Roles: []portal.Role{portal.RoleLiaison}})
	_, err := svc.UpdateTaskForce(admin, "tf-port", portal.TaskForceInput{Name: "港口物流服务专班", LeadUnitID: "dept-trans",
		MemberIDs: []string{"u-liaison", "u-l3"}})
	portaltest.Must(t, err, "add second member")
	caseload := func(id string) []string {
		ents, _, err := f.ents.FindEnterprises(context.Background(), portal.EnterpriseFilter{LiaisonID: &id})
		portaltest.Must(t, err, "caseload")
		var out []string
		for _, e := range ents {
			out = append(out, e.ID)
		}
		slices.Sort(out)
		return out
	}

	for _, tc := range []struct {
		name  string
		in    portal.ReassignInput
		field string
	}{
		{"NoReason", portal.ReassignInput{From: "u-liaison", To: "u-l3"}, "reason"},
		{"ReasonTooShort", portal.ReassignInput{From: "u-liaison", To: "u-l3", Reason: " 调岗 "}, "reason"},
		{"FromNotMember", portal.ReassignInput{From: "u-liaison2", To: "u-l3", Reason: "岗位调整交接"}, "from"},
		{"ToNotMember", portal.ReassignInput{From: "u-liaison", To: "u-liaison2", Reason: "岗位调整交接"}, "to"},
		{"ToSelf", portal.ReassignInput{From: "u-liaison", To: "u-liaison", Reason: "岗位调整交接"}, "to"},
		{"NoFrom", portal.ReassignInput{To: "u-l3", Reason: "岗位调整交接"}, "from"},
		{"EnterpriseNotInCaseload", portal.ReassignInput{From: "u-liaison", To: "u-l3", Reason: "岗位调整交接",
			EnterpriseIDs: []string{"ent-001", "ent-002"}}, "enterprise_ids"},
		{"FromHasNothing", portal.ReassignInput{From: "u-l3", To: "u-liaison", Reason: "岗位调整交接"}, "from"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := svc.Reassign(admin, "tf-port", tc.in)
			admWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			if f.snapshot(t) != before {
				t.Error("refused reassignment changed data")
			}
			if n := len(f.auditOf(t, "caseload.reassign")); n != 0 {
				t.Errorf("refused reassignment was audited")
			}
		})
	}

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.Reassign(f.as(t, "liaison"), "tf-port", portal.ReassignInput{From: "u-liaison", To: "u-l3", Reason: "我想交出去"})
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused reassignment changed data")
		}
		if a := f.auditOf(t, "caseload.reassign"); len(a) != 1 || a[0].Outcome != portal.OutcomeDenied {
			t.Errorf("denied attempt not audited: %+v", a)
		}
	})

	t.Run("ErrUnknownTaskForce", func(t *testing.T) {
		_, err := svc.Reassign(admin, "tf-none", portal.ReassignInput{From: "u-liaison", To: "u-l3", Reason: "岗位调整交接"})
		admWantCode(t, err, portal.ENOTFOUND)
	})

	t.Run("OKSome", func(t *testing.T) {
		res, err := svc.Reassign(admin, "tf-port", portal.ReassignInput{From: "u-liaison", To: "u-l3", Reason: "片区调整，临港片交新同事",
			EnterpriseIDs: []string{"ent-003", "ent-004", "ent-003"}})
		portaltest.Must(t, err, "reassign some")
		if res.Moved != 2 {
			t.Errorf("moved %d, want 2", res.Moved)
		}
		if got := caseload("u-l3"); !slices.Equal(got, []string{"ent-003", "ent-004"}) {
			t.Errorf("new liaison's caseload = %v", got)
		}
		if got := caseload("u-liaison"); !slices.Equal(got, []string{"ent-001", "ent-010"}) {
			t.Errorf("old liaison keeps %v", got)
		}
		a := f.auditOf(t, "caseload.reassign")
		if a[0].Outcome != portal.OutcomeOK || a[0].ObjectID != "tf-port" || !strings.Contains(a[0].Detail, "2 家") ||
			!strings.Contains(a[0].Detail, "片区调整，临港片交新同事") {
			t.Errorf("audit entry = %+v, want the count and the reason", a[0])
		}
		d, err := svc.FindTaskForce(admin, "tf-port")
		portaltest.Must(t, err, "detail")
		counts := map[string]int{}
		for _, m := range d.Members {
			counts[m.ID] = m.Caseload
		}
		if counts["u-liaison"] != 2 || counts["u-l3"] != 2 {
			t.Errorf("caseload counts = %v", counts)
		}
	})

	t.Run("OKAll", func(t *testing.T) {
		res, err := svc.Reassign(admin, "tf-port", portal.ReassignInput{From: "u-liaison", To: "u-l3", Reason: "联络员调离专班"})
		portaltest.Must(t, err, "reassign all")
		if res.Moved != 2 || len(caseload("u-liaison")) != 0 || len(caseload("u-l3")) != 4 {
			t.Errorf("moved %d; caseloads now %v / %v", res.Moved, caseload("u-liaison"), caseload("u-l3"))
		}
		ok, _, err := f.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "caseload.reassign", Outcome: portal.OutcomeOK})
		portaltest.Must(t, err, "audit")
		if len(ok) != 2 || !strings.Contains(ok[0].Detail, "全部") {
			t.Errorf("audit = %+v", ok)
		}
	})
}
