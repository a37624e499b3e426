package portal_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestUserServiceRead(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Users
	role := func(r portal.Role) *portal.Role { return &r }

	t.Run("ListAdmin", func(t *testing.T) {
		users, total, err := svc.FindUsers(f.as(t, "admin"), portal.UserFilter{Role: role(portal.RoleEnterprise)})
		portaltest.Must(t, err, "list")
		if total != 2 || users[0].Username != "enterprise" || users[1].Username != "enterprise2" {
			t.Errorf("enterprise users = %d", total)
		}
		_, total, err = svc.FindUsers(f.as(t, "admin"), portal.UserFilter{Limit: 1000})
		portaltest.Must(t, err, "list all")
		if total != len(demo.Users()) {
			t.Errorf("total = %d, want the %d demo users", total, len(demo.Users()))
		}
	})
	for _, tc := range []struct {
		name string
		f    portal.UserFilter
	}{
		{"UnknownRole", portal.UserFilter{Role: role("boss")}},
		{"QTooLong", portal.UserFilter{Q: strings.Repeat("长", 51)}},
	} {
		t.Run("ListErr"+tc.name, func(t *testing.T) {
			_, _, err := svc.FindUsers(f.as(t, "admin"), tc.f)
			admWantCode(t, err, portal.EINVALID)
		})
	}
	t.Run("ListErrNotAdmin", func(t *testing.T) {
		for _, who := range []string{"liaison", "dispatcher", "enterprise"} {
			_, _, err := svc.FindUsers(f.as(t, who), portal.UserFilter{})
			admWantCode(t, err, portal.EFORBIDDEN)
		}
		_, _, err := svc.FindUsers(context.Background(), portal.UserFilter{})
		admWantCode(t, err, portal.EUNAUTHENTICATED)
	})

	for _, tc := range []struct {
		who, id string
		code    string
	}{
		{"admin", "u-liaison", ""},
		{"liaison", "u-liaison", ""},
		{"liaison", "u-liaison2", portal.ENOTFOUND},
		{"enterprise", "u-admin", portal.ENOTFOUND},
		{"admin", "u-none", portal.ENOTFOUND},
	} {
		t.Run("Get/"+tc.who+"/"+tc.id, func(t *testing.T) {
			u, err := svc.FindUser(f.as(t, tc.who), tc.id)
			if tc.code != "" {
				admWantCode(t, err, tc.code)
				return
			}
			portaltest.Must(t, err, "get")
			if u.ID != tc.id {
				t.Errorf("got %s", u.ID)
			}
		})
	}
}

func TestUserServiceCreate(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Users
	admin := f.as(t, "admin")
	base := func(username string, roles ...portal.Role) portal.NewUserInput {
		return portal.NewUserInput{Username: username, DisplayName: "新同事", Password: "Quiet-Harbour-42", Roles: roles}
	}
	with := func(in portal.NewUserInput, set func(*portal.NewUserInput)) portal.NewUserInput { set(&in); return in }

	for _, tc := range []struct {
		name  string
		in    portal.NewUserInput
		check func(t *testing.T, u *portal.User)
	}{
		{"Handler", with(base("handler-b", portal.RoleHandler), func(in *portal.NewUserInput) { in.UnitID = "sd-jinsha" }), nil},
		{"DeptHeadTierC", with(base("head-c", portal.RoleDeptHead), func(in *portal.NewUserInput) { in.UnitID = "p-jewelry" }), nil},
		{"DispatcherWholeDistrict", with(base("dispatch2", portal.RoleDispatcher), func(in *portal.NewUserInput) { in.UnitID = "district" }), nil},
		{"Enterprise", with(base("ent-user", portal.RoleEnterprise), func(in *portal.NewUserInput) { in.EnterpriseID = "ent-007" }), nil},
		{"Committee", with(base("member-h", portal.RoleCommittee), func(in *portal.NewUserInput) { in.ChainID = "chain-health" }), nil},
		{"IrrelevantScopeDropped", with(base("editor2", portal.RolePolicyEditor), func(in *portal.NewUserInput) {
			in.ChainID, in.EnterpriseID = "chain-port", "ent-001"
		}), func(t *testing.T, u *portal.User) {
			if u.ChainID != "" || u.EnterpriseID != "" {
				t.Errorf("scope no role needs was kept: %+v", u)
			}
		}},
		{"LiaisonJoinsTaskForce", with(base("liaison-new", portal.RoleLiaison), func(in *portal.NewUserInput) { in.TaskForceID = "tf-jewelry" }),
			func(t *testing.T, u *portal.User) {
				tf, err := f.tfs.FindTaskForceByID(context.Background(), "tf-jewelry")
				portaltest.Must(t, err, "task force")
				if !slices.Contains(tf.MemberIDs, u.ID) {
					t.Errorf("task force members %v lack the new liaison", tf.MemberIDs)
				}
			}},
	} {
		t.Run("OK"+tc.name, func(t *testing.T) {
			u, err := svc.CreateUser(admin, tc.in)
			portaltest.Must(t, err, "create")
			stored := f.user(t, u.ID)
			if stored.Status != portal.UserActive || stored.PasswordHash == "" || stored.PasswordHash == tc.in.Password {
				t.Errorf("stored = %+v; want active with a hashed password", stored)
			}
			if ok, err := portal.VerifyPassword(stored.PasswordHash, tc.in.Password); err != nil || !ok {
				t.Errorf("password does not verify: %v", err)
			}
			if tc.check != nil {
				tc.check(t, stored)
			}
			if a := f.auditOf(t, "user.create"); a[0].ObjectID != u.ID || a[0].Outcome != portal.OutcomeOK {
				t.Errorf("newest user.create entry = %+v", a[0])
			}
		})
	}

	for _, tc := range []struct {
		name  string
		in    portal.NewUserInput
		field string
	}{
		{"HandlerAtDistrictRoot", with(base("h1", portal.RoleHandler), func(in *portal.NewUserInput) { in.UnitID = "district" }), "unit_id"},
		{"HandlerWithoutUnit", base("h2", portal.RoleHandler), "unit_id"},
		{"UnknownUnit", with(base("h3", portal.RoleDispatcher), func(in *portal.NewUserInput) { in.UnitID = "gone" }), "unit_id"},
		{"EnterpriseWithoutEnterprise", base("e1", portal.RoleEnterprise), "enterprise_id"},
		{"UnknownEnterprise", with(base("e2", portal.RoleEnterprise), func(in *portal.NewUserInput) { in.EnterpriseID = "ent-999" }), "enterprise_id"},
		{"UnknownChain", with(base("c1", portal.RoleCommittee), func(in *portal.NewUserInput) { in.ChainID = "chain-none" }), "chain_id"},
		{"UnknownTaskForce", with(base("l1", portal.RoleLiaison), func(in *portal.NewUserInput) { in.TaskForceID = "tf-none" }), "task_force_id"},
		{"NoRoles", base("r0"), "roles"},
		{"UnknownRole", base("r1", "boss"), "roles"},
		{"BadUsername", base("X", portal.RolePolicyEditor), "username"},
		{"TakenUsername", base("Admin", portal.RolePolicyEditor), "username"},
		{"BadPhone", with(base("p1", portal.RolePolicyEditor), func(in *portal.NewUserInput) { in.Phone = "12345" }), "phone"},
		{"ShortPassword", with(base("p2", portal.RolePolicyEditor), func(in *portal.NewUserInput) { in.Password = "short" }), "password"},
		{"CommonPassword", with(base("p3", portal.RolePolicyEditor), func(in *portal.NewUserInput) { in.Password = "password123" }), "password"},
		{"PasswordHasUsername", with(base("harbour", portal.RolePolicyEditor), func(in *portal.NewUserInput) { in.Password = "my-harbour-2025" }), "password"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := svc.CreateUser(admin, tc.in)
			admWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			if f.snapshot(t) != before {
				t.Error("refused create changed data")
			}
		})
	}

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.CreateUser(f.as(t, "liaison"), base("sneaky", portal.RoleAdmin))
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused create changed data")
		}
	})
}

func TestUserServiceUpdate(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Users
	admin := f.as(t, "admin")
	str := func(s string) *string { return &s }

	t.Run("OKNameKeepsTokens", func(t *testing.T) {
		u, err := svc.UpdateUser(admin, "u-handler", portal.UserChangeInput{DisplayName: str("交通局 王承办"), Phone: str("13700000000")})
		portaltest.Must(t, err, "update")
		if u.DisplayName != "交通局 王承办" || u.TokenVersion != 0 {
			t.Errorf("after rename = %+v (token version %d)", u, u.TokenVersion)
		}
	})

	t.Run("OKRolesBumpTokens", func(t *testing.T) {
		u, err := svc.UpdateUser(admin, "u-handler", portal.UserChangeInput{Roles: []portal.Role{portal.RoleHandler, portal.RoleDeptHead}})
		portaltest.Must(t, err, "update roles")
		if !slices.Equal(u.Roles, []portal.Role{portal.RoleHandler, portal.RoleDeptHead}) || u.TokenVersion != 1 || u.UnitID != "dept-trans" {
			t.Errorf("after role change = %+v (token version %d)", u, u.TokenVersion)
		}
		a := f.auditOf(t, "user.update")
		if !strings.Contains(a[0].Detail, "handler → handler,dept_head") {
			t.Errorf("audit detail = %q", a[0].Detail)
		}
	})

	t.Run("OKNoChangeNotAudited", func(t *testing.T) {
		n := len(f.auditOf(t, "user.update"))
		_, err := svc.UpdateUser(admin, "u-handler", portal.UserChangeInput{UnitID: str("dept-trans")})
		portaltest.Must(t, err, "same values")
		if got := len(f.auditOf(t, "user.update")); got != n {
			t.Errorf("no-op update audited")
		}
	})

	t.Run("OKMoveLiaisonWithoutCaseload", func(t *testing.T) {
		f.addUser(t, &portal.User{ID: "u-l3", Username: "liaison3", DisplayName: "新联络员", Roles: []portal.Role{portal.RoleLiaison}})
		_, err := svc.UpdateUser(admin, "u-l3", portal.UserChangeInput{TaskForceID: str("tf-port")})
		portaltest.Must(t, err, "join tf-port")
		_, err = svc.UpdateUser(admin, "u-l3", portal.UserChangeInput{TaskForceID: str("tf-jewelry")})
		portaltest.Must(t, err, "move to tf-jewelry")
		port, _ := f.tfs.FindTaskForceByID(context.Background(), "tf-port")
		jewelry, _ := f.tfs.FindTaskForceByID(context.Background(), "tf-jewelry")
		if slices.Contains(port.MemberIDs, "u-l3") || !slices.Contains(jewelry.MemberIDs, "u-l3") {
			t.Errorf("member lists after move: port %v, jewelry %v", port.MemberIDs, jewelry.MemberIDs)
		}
		_, err = svc.UpdateUser(admin, "u-l3", portal.UserChangeInput{Roles: []portal.Role{portal.RolePolicyEditor}})
		portaltest.Must(t, err, "no longer a liaison")
		jewelry, _ = f.tfs.FindTaskForceByID(context.Background(), "tf-jewelry")
		if slices.Contains(jewelry.MemberIDs, "u-l3") || f.user(t, "u-l3").TaskForceID != "" {
			t.Errorf("former liaison still in the task force")
		}
	})

	for _, tc := range []struct {
		name  string
		who   string
		id    string
		in    portal.UserChangeInput
		field string
	}{
		{"OwnAdminRole", "admin", "u-admin", portal.UserChangeInput{Roles: []portal.Role{portal.RolePolicyEditor}}, "roles"},
		{"LiaisonWithCaseloadLeaves", "admin", "u-liaison", portal.UserChangeInput{TaskForceID: str("tf-jewelry")}, "task_force_id"},
		{"LiaisonWithCaseloadLosesRole", "admin", "u-liaison", portal.UserChangeInput{Roles: []portal.Role{portal.RoleHandler}, UnitID: str("dept-trans")}, "task_force_id"},
		{"HandlerToRoot", "admin", "u-handler", portal.UserChangeInput{UnitID: str("district")}, "unit_id"},
		{"NoRoles", "admin", "u-handler", portal.UserChangeInput{Roles: []portal.Role{}}, "roles"},
		{"EmptyName", "admin", "u-handler", portal.UserChangeInput{DisplayName: str(" ")}, "display_name"},
		{"UnknownChain", "admin", "u-committee", portal.UserChangeInput{ChainID: str("chain-none")}, "chain_id"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := svc.UpdateUser(f.as(t, tc.who), tc.id, tc.in)
			admWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			if f.snapshot(t) != before {
				t.Error("refused update changed data")
			}
		})
	}

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.UpdateUser(f.as(t, "liaison"), "u-liaison", portal.UserChangeInput{Roles: []portal.Role{portal.RoleAdmin}})
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused update changed data")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := svc.UpdateUser(admin, "u-none", portal.UserChangeInput{DisplayName: str("x")})
		admWantCode(t, err, portal.ENOTFOUND)
	})
}

func TestUserServiceDisableEnable(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Users
	admin := f.as(t, "admin")
	ctx := context.Background()
	for _, id := range []string{"s1", "s2"} {
		portaltest.Must(t, f.sessions.CreateSession(ctx, &portal.Session{ID: id, UserID: "u-editor", TokenHash: id,
			CreatedAt: admClock, ExpiresAt: admClock.Add(time.Hour)}), "session")
	}
	portaltest.Must(t, f.sessions.CreateSession(ctx, &portal.Session{ID: "other", UserID: "u-handler", TokenHash: "x",
		CreatedAt: admClock, ExpiresAt: admClock.Add(time.Hour)}), "session")

	t.Run("OKDisableRevokesSessions", func(t *testing.T) {
		u, err := svc.DisableUser(admin, "u-editor")
		portaltest.Must(t, err, "disable")
		if u.Status != portal.UserDisabled || u.TokenVersion != 1 {
			t.Errorf("disabled = %+v (token version %d)", u, u.TokenVersion)
		}
		for _, id := range []string{"s1", "s2"} {
			s, err := f.sessions.FindSession(ctx, id)
			portaltest.Must(t, err, "find")
			if s.RevokedAt == nil || !s.RevokedAt.After(admClock) {
				t.Errorf("session %s not revoked: %+v", id, s)
			}
		}
		if s, _ := f.sessions.FindSession(ctx, "other"); s.RevokedAt != nil {
			t.Error("another user's session was revoked")
		}
		if a := f.auditOf(t, "user.disable"); len(a) != 1 || a[0].ObjectID != "u-editor" || !strings.Contains(a[0].Detail, "正常 → 已停用") {
			t.Errorf("audit = %+v", a)
		}
	})

	t.Run("OKEnable", func(t *testing.T) {
		u, err := svc.EnableUser(admin, "u-editor")
		portaltest.Must(t, err, "enable")
		if u.Status != portal.UserActive {
			t.Errorf("enabled = %+v", u)
		}
		again, err := svc.EnableUser(admin, "u-editor")
		portaltest.Must(t, err, "enable again")
		if again.TokenVersion != u.TokenVersion || len(f.auditOf(t, "user.enable")) != 1 {
			t.Errorf("enabling an active account changed it or was audited again")
		}
	})

	t.Run("ErrEnablePending", func(t *testing.T) {
		f.addUser(t, &portal.User{ID: "u-p", Username: "pending1", DisplayName: "待审核", Roles: []portal.Role{portal.RoleEnterprise},
			EnterpriseID: "ent-012", Status: portal.UserPending})
		before := f.snapshot(t)
		_, err := svc.EnableUser(admin, "u-p")
		admWantCode(t, err, portal.ECONFLICT)
		if f.snapshot(t) != before {
			t.Error("refused enable changed data")
		}
	})

	t.Run("ErrDisableSelf", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.DisableUser(admin, "u-admin")
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused disable changed data")
		}
	})

	t.Run("ErrNotAdmin", func(t *testing.T) {
		before := f.snapshot(t)
		_, err := svc.DisableUser(f.as(t, "depthead"), "u-handler")
		admWantCode(t, err, portal.EFORBIDDEN)
		_, err = svc.EnableUser(f.as(t, "depthead"), "u-handler")
		admWantCode(t, err, portal.EFORBIDDEN)
		if f.snapshot(t) != before {
			t.Error("refused status change changed data")
		}
		if s, _ := f.sessions.FindSession(ctx, "other"); s.RevokedAt != nil {
			t.Error("refused disable revoked sessions")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := svc.DisableUser(admin, "u-none")
		admWantCode(t, err, portal.ENOTFOUND)
	})
}

func TestUserServicePassword(t *testing.T) {
	f := newAdmFixture(t)
	svc := f.admin.Users
	ctx := context.Background()
	portaltest.Must(t, f.sessions.CreateSession(ctx, &portal.Session{ID: "s-liaison", UserID: "u-liaison", TokenHash: "x",
		CreatedAt: admClock, ExpiresAt: admClock.Add(time.Hour)}), "session")
	verifies := func(id, password string) bool {
		ok, err := portal.VerifyPassword(f.user(t, id).PasswordHash, password)
		portaltest.Must(t, err, "verify")
		return ok
	}

	for _, tc := range []struct {
		name, who, id string
		in            portal.PasswordInput
		code, field   string
	}{
		{"SelfWithoutCurrent", "liaison", "u-liaison", portal.PasswordInput{NewPassword: "Tide-Lantern-77"}, portal.EINVALID, "current_password"},
		{"SelfWrongCurrent", "liaison", "u-liaison", portal.PasswordInput{CurrentPassword: "wrong-one-1", NewPassword: "Tide-Lantern-77"}, portal.EINVALID, "current_password"},
		{"SelfWeakNew", "liaison", "u-liaison", portal.PasswordInput{CurrentPassword: admPassword, NewPassword: "12345678"}, portal.EINVALID, "new_password"},
		{"AdminSelfNeedsCurrent", "admin", "u-admin", portal.PasswordInput{NewPassword: "Tide-Lantern-77"}, portal.EINVALID, "current_password"},
		{"AdminWeakNew", "admin", "u-liaison", portal.PasswordInput{NewPassword: "liaison-2025"}, portal.EINVALID, "new_password"},
		{"Other", "liaison2", "u-liaison", portal.PasswordInput{NewPassword: "Tide-Lantern-77"}, portal.ENOTFOUND, ""},
		{"Unknown", "admin", "u-none", portal.PasswordInput{NewPassword: "Tide-Lantern-77"}, portal.ENOTFOUND, ""},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			err := svc.ChangePassword(f.as(t, tc.who), tc.id, tc.in)
			admWantCode(t, err, tc.code)
			if tc.field != "" && portal.ErrorFields(err)[tc.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), tc.field)
			}
			if f.snapshot(t) != before {
				t.Error("refused password change changed data")
			}
		})
	}
	if a := f.auditOf(t, "user.password_change"); len(a) != 1 || a[0].Outcome != portal.OutcomeFailed {
		t.Errorf("wrong current password not audited as failed: %+v", a)
	}

	t.Run("OKSelf", func(t *testing.T) {
		err := svc.ChangePassword(f.as(t, "liaison"), "u-liaison", portal.PasswordInput{CurrentPassword: admPassword, NewPassword: "Tide-Lantern-77"})
		portaltest.Must(t, err, "change own")
		u := f.user(t, "u-liaison")
		if !verifies("u-liaison", "Tide-Lantern-77") || u.TokenVersion != 1 {
			t.Errorf("new password does not verify or token version %d not bumped", u.TokenVersion)
		}
		if s, _ := f.sessions.FindSession(ctx, "s-liaison"); s.RevokedAt != nil {
			t.Error("changing one's own password ended the session")
		}
	})

	t.Run("OKAdminReset", func(t *testing.T) {
		err := svc.ChangePassword(f.as(t, "admin"), "u-liaison", portal.PasswordInput{NewPassword: "Pier-Compass-19"})
		portaltest.Must(t, err, "reset")
		if !verifies("u-liaison", "Pier-Compass-19") || verifies("u-liaison", "Tide-Lantern-77") {
			t.Error("reset password not in effect")
		}
		if s, _ := f.sessions.FindSession(ctx, "s-liaison"); s.RevokedAt == nil {
			t.Error("reset did not end the user's sessions")
		}
		a := f.auditOf(t, "user.password_reset")
		if len(a) != 1 || a[0].ActorID != "u-admin" || a[0].ObjectID != "u-liaison" || strings.Contains(a[0].Detail, "Pier") {
			t.Errorf("audit = %+v", a)
		}
	})
}

func TestAuditLogFind(t *testing.T) {
	f := newAdmFixture(t)
	log := f.admin.AuditLog
	_, err := f.admin.Users.DisableUser(f.as(t, "admin"), "u-editor")
	portaltest.Must(t, err, "disable")
	_, err = f.admin.Users.DisableUser(f.as(t, "liaison"), "u-editor")
	admWantCode(t, err, portal.EFORBIDDEN)

	entries, total, err := log.Find(f.as(t, "admin"), portal.AuditFilter{Action: "user."})
	portaltest.Must(t, err, "find")
	if total != 2 || entries[0].Outcome != portal.OutcomeDenied || entries[1].Outcome != portal.OutcomeOK || !entries[0].At.After(entries[1].At) {
		t.Errorf("user.* entries = %+v, want the denied attempt first (newest)", entries)
	}
	entries, _, err = log.Find(f.as(t, "admin"), portal.AuditFilter{Action: "user.disable", Outcome: portal.OutcomeOK, Limit: 1000})
	portaltest.Must(t, err, "find ok")
	if len(entries) != 1 || entries[0].ActorID != "u-admin" {
		t.Errorf("ok user.disable entries = %+v", entries)
	}
	for _, tc := range []struct {
		name string
		f    portal.AuditFilter
	}{
		{"BadOutcome", portal.AuditFilter{Outcome: "maybe"}},
		{"ToBeforeFrom", portal.AuditFilter{From: admClock, To: admClock.Add(-time.Hour)}},
		{"LongAction", portal.AuditFilter{Action: strings.Repeat("a", 101)}},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			_, _, err := log.Find(f.as(t, "admin"), tc.f)
			admWantCode(t, err, portal.EINVALID)
		})
	}
	_, _, err = log.Find(f.as(t, "dispatcher"), portal.AuditFilter{})
	admWantCode(t, err, portal.EFORBIDDEN)
	_, _, err = log.Find(context.Background(), portal.AuditFilter{})
	admWantCode(t, err, portal.EUNAUTHENTICATED)
}
