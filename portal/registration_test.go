package portal_test

import (
	"context"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/portaltest"
)

const regPassword = "Qz8#mWv-2025"

func goodRegistration(t *testing.T, n int, username string) portal.Registration {
	return portal.Registration{USCC: newUSCC(t, n), CompanyName: "新注册科技有限公司", ContactName: "赵注册",
		Phone: "13700000001", Username: username, Password: regPassword}
}

func (f *entFixture) userCount(t *testing.T) int {
	t.Helper()
	_, n, err := f.users.FindUsers(context.Background(), portal.UserFilter{Limit: 1})
	portaltest.Must(t, err, "count users")
	return n
}

func TestRegisterNewEnterprise(t *testing.T) {
	f := newEntFixture(t)
	u, err := f.reg.Register(context.Background(), goodRegistration(t, 60, " NewCo.Staff "), "198.51.100.7")
	portaltest.Must(t, err, "register")
	if u.Status != portal.UserPending || u.Username != "newco.staff" || u.DisplayName != "赵注册" || len(u.Roles) != 1 || u.Roles[0] != portal.RoleEnterprise {
		t.Errorf("user %+v", u)
	}
	e, err := f.ents.FindEnterpriseByUSCC(context.Background(), newUSCC(t, 60))
	portaltest.Must(t, err, "find enterprise")
	if u.EnterpriseID != e.ID || e.Name != "新注册科技有限公司" || e.ContactName != "赵注册" || e.ContactPhone != "13700000001" {
		t.Errorf("enterprise %+v for user %+v", e, u)
	}
	stored, err := f.users.FindUserByUsername(context.Background(), "newco.staff")
	portaltest.Must(t, err, "find user")
	if ok, _ := portal.VerifyPassword(stored.PasswordHash, regPassword); !ok {
		t.Errorf("password not stored as a hash that verifies")
	}
	if a := f.auditOf(t, "user.register"); len(a) != 1 || a[0].ObjectID != u.ID || a[0].ClientIP != "198.51.100.7" || !strings.Contains(a[0].Detail, "created enterprise "+e.ID) {
		t.Errorf("register audit %+v", a)
	}
	if a := f.auditOf(t, "enterprise.create"); len(a) != 1 || a[0].ObjectID != e.ID {
		t.Errorf("enterprise audit %+v", a)
	}
}

func TestRegisterExistingEnterprise(t *testing.T) {
	f := newEntFixture(t)
	existing := demo.Enterprises()[1] // ent-002
	r := goodRegistration(t, 0, "jinsha.new")
	r.USCC, r.CompanyName = strings.ToLower(existing.USCC), "金沙珠宝（另一个名字）"
	u, err := f.reg.Register(context.Background(), r, "198.51.100.8")
	portaltest.Must(t, err, "register")
	if u.EnterpriseID != "ent-002" {
		t.Errorf("bound to %q, want ent-002", u.EnterpriseID)
	}
	e, err := f.ents.FindEnterpriseByID(context.Background(), "ent-002")
	portaltest.Must(t, err, "find")
	if e.Name != existing.Name || e.ContactName != existing.ContactName || e.ContactPhone != existing.ContactPhone {
		t.Errorf("registration overwrote the enterprise: %+v", e)
	}
	a := f.auditOf(t, "user.register")
	if len(a) != 1 || !strings.Contains(a[0].Detail, "bound to existing enterprise ent-002") || !strings.Contains(a[0].Detail, "金沙珠宝（另一个名字）") {
		t.Errorf("audit %+v", a)
	}
	if n := f.count(t); n != 12 {
		t.Errorf("%d enterprises, want 12", n)
	}
}

func TestRegisterRefused(t *testing.T) {
	f := newEntFixture(t)
	users, enterprises := f.userCount(t), f.count(t)
	for i, tc := range []struct {
		name   string
		change func(*portal.Registration)
		fields []string
		msg    string
	}{
		{"wrong check character", func(r *portal.Registration) {
			r.USCC = r.USCC[:17] + map[bool]string{true: "1", false: "0"}[r.USCC[17] == '0']
		}, []string{"uscc"}, "校验位"},
		{"username taken", func(r *portal.Registration) { r.Username = "Admin" }, []string{"username"}, "已被使用"},
		{"bad username", func(r *portal.Registration) { r.Username = "张三" }, []string{"username"}, "小写字母"},
		{"common password", func(r *portal.Registration) { r.Password = "password" }, []string{"password"}, "常见"},
		{"password with the username", func(r *portal.Registration) { r.Password = "xx-newuser-9" }, []string{"password"}, "用户名"},
		{"bad phone", func(r *portal.Registration) { r.Phone = "12345" }, []string{"phone"}, "手机号"},
		{"everything missing", func(r *portal.Registration) { *r = portal.Registration{} },
			[]string{"uscc", "company_name", "contact_name", "phone", "username", "password"}, "18 位"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := goodRegistration(t, 70+i, "newuser")
			tc.change(&r)
			_, err := f.reg.Register(context.Background(), r, "198.51.100.9")
			entWantCode(t, err, portal.EINVALID)
			for _, k := range tc.fields {
				if portal.ErrorFields(err)[k] == "" {
					t.Errorf("fields %v do not name %s", portal.ErrorFields(err), k)
				}
			}
			if !strings.Contains(portal.ErrorFields(err)[tc.fields[0]], tc.msg) {
				t.Errorf("field %s: %q, want it to mention %q", tc.fields[0], portal.ErrorFields(err)[tc.fields[0]], tc.msg)
			}
			if f.userCount(t) != users || f.count(t) != enterprises {
				t.Errorf("refused registration created something")
			}
		})
	}
}

func TestRegisterThrottle(t *testing.T) {
	f := newEntFixture(t)
	f.reg.MaxPerAddress = 3
	for i := 0; i < 3; i++ {
		r := goodRegistration(t, 80, "x") // refused: every attempt counts
		_, err := f.reg.Register(context.Background(), r, "203.0.113.5")
		entWantCode(t, err, portal.EINVALID)
	}
	_, err := f.reg.Register(context.Background(), goodRegistration(t, 81, "throttled.user"), "203.0.113.5")
	entWantCode(t, err, portal.ETOOMANY)
	if msg := portal.ErrorMessage(err); !strings.Contains(msg, "注册过于频繁，请 60 分钟后再试") || portal.ErrorRetryAfter(err) <= 0 {
		t.Errorf("throttle message %q, retry after %v", msg, portal.ErrorRetryAfter(err))
	}
	if _, err := f.users.FindUserByUsername(context.Background(), "throttled.user"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("throttled registration created the user: %v", err)
	}
	if a := f.auditOf(t, "user.register"); len(a) != 1 || a[0].Outcome != portal.OutcomeThrottled {
		t.Errorf("audit %+v", a)
	}
	_, err = f.reg.Register(context.Background(), goodRegistration(t, 82, "other.address"), "203.0.113.6")
	portaltest.Must(t, err, "another address is not throttled")
}

// pendingUser registers an account for the demo enterprise with index n (1-based).
func (f *entFixture) pendingUser(t *testing.T, n int, username string) *portal.User {
	t.Helper()
	r := goodRegistration(t, 0, username)
	r.USCC = demo.Enterprises()[n-1].USCC
	r.CompanyName = demo.Enterprises()[n-1].Name
	u, err := f.reg.Register(context.Background(), r, "192.0.2."+username[len(username)-1:])
	portaltest.Must(t, err, "register %s", username)
	return u
}

func TestVerifyAndReject(t *testing.T) {
	f := newEntFixture(t)
	p1 := f.pendingUser(t, 1, "pending1")  // ent-001: liaison's caseload
	p2 := f.pendingUser(t, 2, "pending2")  // ent-002: liaison2's
	p3 := f.pendingUser(t, 10, "pending3") // ent-010: liaison's
	status := func(t *testing.T, id string) portal.UserStatus {
		u, err := f.users.FindUserByID(context.Background(), id)
		portaltest.Must(t, err, "find")
		return u.Status
	}
	t.Run("pending lists", func(t *testing.T) {
		for _, tc := range []struct {
			actor string
			want  []string
		}{{"admin", []string{"pending1", "pending2", "pending3"}}, {"liaison", []string{"pending1", "pending3"}}, {"liaison2", []string{"pending2"}}} {
			page, err := f.reg.Pending(f.as(t, tc.actor), "", 0, 0)
			portaltest.Must(t, err, "pending for %s", tc.actor)
			var got []string
			for _, it := range page.Items {
				got = append(got, it.User.Username)
				if it.Enterprise == nil || it.Enterprise.ID != it.User.EnterpriseID {
					t.Errorf("%s: item without its enterprise: %+v", tc.actor, it)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") || page.Total != len(tc.want) {
				t.Errorf("%s sees %v, want %v", tc.actor, got, tc.want)
			}
		}
		page, err := f.reg.Pending(f.as(t, "admin"), "pending2", 0, 0)
		portaltest.Must(t, err, "search")
		if page.Total != 1 || page.Items[0].User.ID != p2.ID {
			t.Errorf("search found %+v", page.Items)
		}
		for _, who := range []string{"handler", "committee", "enterprise"} {
			_, err := f.reg.Pending(f.as(t, who), "", 0, 0)
			entWantCode(t, err, portal.EFORBIDDEN)
		}
		_, err = f.reg.Pending(f.as(t, "admin"), "", 0, 101)
		entWantCode(t, err, portal.EINVALID)
	})
	t.Run("who may not verify", func(t *testing.T) {
		for _, tc := range []struct {
			ctx  context.Context
			id   string
			code string
		}{
			{f.as(t, "liaison2"), p1.ID, portal.ENOTFOUND},                                 // not its caseload
			{f.as(t, "handler"), p1.ID, portal.ENOTFOUND},                                  // no business with users
			{f.as(t, "enterprise2"), p1.ID, portal.ENOTFOUND},                              // another enterprise
			{f.as(t, "enterprise"), p1.ID, portal.EFORBIDDEN},                              // a colleague sees but may not decide
			{portal.WithActor(context.Background(), p1.Actor()), p1.ID, portal.EFORBIDDEN}, // nor the registrant
			{f.as(t, "admin"), "u-nobody", portal.ENOTFOUND},
			{f.as(t, "admin"), "u-liaison", portal.ECONFLICT}, // not pending
			{context.Background(), p1.ID, portal.EUNAUTHENTICATED},
		} {
			_, err := f.reg.Verify(tc.ctx, tc.id)
			entWantCode(t, err, tc.code)
		}
		if status(t, p1.ID) != portal.UserPending || len(f.auditOf(t, "user.verify")) != 0 {
			t.Errorf("a refused verification changed the user or was audited")
		}
	})
	t.Run("liaison verifies its caseload", func(t *testing.T) {
		u, err := f.reg.Verify(f.as(t, "liaison"), p1.ID)
		portaltest.Must(t, err, "verify")
		if u.Status != portal.UserActive || status(t, p1.ID) != portal.UserActive {
			t.Errorf("status %s", u.Status)
		}
		a := f.auditOf(t, "user.verify")
		if len(a) != 1 || a[0].ObjectID != p1.ID || a[0].ActorID != "u-liaison" {
			t.Errorf("audit %+v", a)
		}
		_, err = f.reg.Verify(f.as(t, "liaison"), p1.ID)
		entWantCode(t, err, portal.ECONFLICT)
	})
	t.Run("admin verifies anyone", func(t *testing.T) {
		_, err := f.reg.Verify(f.as(t, "admin"), p2.ID)
		portaltest.Must(t, err, "verify")
		if status(t, p2.ID) != portal.UserActive {
			t.Errorf("not active")
		}
	})
	t.Run("reject needs a reason", func(t *testing.T) {
		_, err := f.reg.Reject(f.as(t, "liaison"), p3.ID, " ")
		entWantCode(t, err, portal.EINVALID)
		if portal.ErrorFields(err)["reason"] == "" || status(t, p3.ID) != portal.UserPending {
			t.Errorf("refused reject: %v, status %s", err, status(t, p3.ID))
		}
		_, err = f.reg.Reject(f.as(t, "liaison2"), p3.ID, "不是本企业员工")
		entWantCode(t, err, portal.ENOTFOUND)
	})
	t.Run("liaison rejects with a reason", func(t *testing.T) {
		u, err := f.reg.Reject(f.as(t, "liaison"), p3.ID, "电话核实，非本企业员工")
		portaltest.Must(t, err, "reject")
		if u.Status != portal.UserDisabled {
			t.Errorf("status %s", u.Status)
		}
		a := f.auditOf(t, "user.reject")
		if len(a) != 1 || !strings.Contains(a[0].Detail, "电话核实，非本企业员工") {
			t.Errorf("audit %+v", a)
		}
		page, err := f.reg.Pending(f.as(t, "admin"), "", 0, 0)
		portaltest.Must(t, err, "pending")
		if page.Total != 0 {
			t.Errorf("%d still pending", page.Total)
		}
	})
}
