package mongostore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// mustUserStore returns a user store on a fresh database with a fixed clock.
func mustUserStore(t *testing.T) *mongostore.UserStore {
	t.Helper()
	db := portaltest.DB(t)
	db.SetClock(func() time.Time { return clock })
	return mongostore.NewUserStore(db)
}

// userFixture is a small population: two admins' worth of roles, a
// pending enterprise user, a disabled one and people of other roles.
func userFixture() []*portal.User {
	R := func(r ...portal.Role) []portal.Role { return r }
	return []*portal.User{
		{ID: "u1", Username: "admin", DisplayName: "系统管理员", Roles: R(portal.RoleAdmin), PasswordHash: "h"},
		{ID: "u2", Username: "liaison", DisplayName: "张联络", Roles: R(portal.RoleLiaison), TaskForceID: "tf-port", PasswordHash: "h"},
		{ID: "u3", Username: "ent.a", DisplayName: "陈海燕", Roles: R(portal.RoleEnterprise), EnterpriseID: "ent-001", PasswordHash: "h"},
		{ID: "u4", Username: "ent.b", DisplayName: "李金凤", Roles: R(portal.RoleEnterprise), EnterpriseID: "ent-002",
			Status: portal.UserPending, PasswordHash: "h"},
		{ID: "u5", Username: "handler", DisplayName: "交通局承办人", Roles: R(portal.RoleHandler, portal.RoleDeptHead),
			UnitID: "dept-trans", Status: portal.UserDisabled, PasswordHash: "h"},
		{ID: "u6", Username: "zeta", DisplayName: "张三（a.b）", Roles: R(portal.RoleLiaison, portal.RoleAdmin), PasswordHash: "h"},
	}
}

func seedUsers(t *testing.T, s *mongostore.UserStore) {
	t.Helper()
	for _, u := range userFixture() {
		portaltest.Must(t, s.CreateUser(ctxT(t), u), "create %s", u.Username)
	}
}

func userIDs(users []*portal.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out
}

func countUsers(t *testing.T, s *mongostore.UserStore) int {
	t.Helper()
	_, n, err := s.FindUsers(ctxT(t), portal.UserFilter{})
	portaltest.Must(t, err, "count users")
	return n
}

func TestUserStoreCreate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := mustUserStore(t)
		u := &portal.User{Username: "  NewUser ", DisplayName: "新用户", Roles: []portal.Role{portal.RolePolicyEditor}, PasswordHash: "h"}
		portaltest.Must(t, s.CreateUser(ctxT(t), u), "create")
		if u.ID == "" || u.Username != "newuser" || u.Status != portal.UserActive || !u.CreatedAt.Equal(clock) {
			t.Errorf("created user = %+v; want an id, the lower-cased name, active and the store clock", u)
		}
		got, err := s.FindUserByUsername(ctxT(t), "NEWUSER")
		portaltest.Must(t, err, "find by username, other case")
		if got.ID != u.ID || got.TokenVersion != 0 || got.PasswordHash != "h" {
			t.Errorf("stored user = %+v", got)
		}
	})

	t.Run("ErrDuplicateUsername", func(t *testing.T) {
		s := mustUserStore(t)
		seedUsers(t, s)
		before := countUsers(t, s)
		dup := &portal.User{Username: "Admin", DisplayName: "另一个管理员", Roles: []portal.Role{portal.RoleAdmin}, PasswordHash: "x"}
		err := s.CreateUser(ctxT(t), dup)
		if portal.ErrorCode(err) != portal.EINVALID || portal.ErrorFields(err)["username"] == "" {
			t.Fatalf("CreateUser(duplicate) = %v; want invalid naming username", err)
		}
		if after := countUsers(t, s); after != before {
			t.Errorf("user count %d → %d after a refused duplicate", before, after)
		}
		orig, err := s.FindUserByUsername(ctxT(t), "admin")
		portaltest.Must(t, err, "find admin")
		if orig.DisplayName != "系统管理员" {
			t.Errorf("original account changed: %+v", orig)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		s := mustUserStore(t)
		bad := &portal.User{Username: "x", DisplayName: "", Roles: []portal.Role{portal.RoleHandler}}
		err := s.CreateUser(ctxT(t), bad)
		f := portal.ErrorFields(err)
		if portal.ErrorCode(err) != portal.EINVALID || f["username"] == "" || f["display_name"] == "" || f["unit_id"] == "" {
			t.Fatalf("CreateUser(invalid) = %v, fields %v", err, f)
		}
		if n := countUsers(t, s); n != 0 {
			t.Errorf("%d users stored after an invalid create", n)
		}
	})
}

func TestUserStoreFindByID(t *testing.T) {
	s := mustUserStore(t)
	seedUsers(t, s)
	if u, err := s.FindUserByID(ctxT(t), "u2"); err != nil || u.Username != "liaison" || u.TaskForceID != "tf-port" {
		t.Errorf("FindUserByID(u2) = %+v, %v", u, err)
	}
	if _, err := s.FindUserByID(ctxT(t), "nobody"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("FindUserByID(unknown) = %v, want not found", err)
	}
	if _, err := s.FindUserByUsername(ctxT(t), "nobody"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("FindUserByUsername(unknown) = %v, want not found", err)
	}
}

func TestUserStoreFind(t *testing.T) {
	s := mustUserStore(t)
	seedUsers(t, s)
	role := func(r portal.Role) *portal.Role { return &r }
	status := func(st portal.UserStatus) *portal.UserStatus { return &st }
	str := func(v string) *string { return &v }
	// Ordered by username: admin u1, ent.a u3, ent.b u4, handler u5, liaison u2, zeta u6.
	for _, tc := range []struct {
		name   string
		filter portal.UserFilter
		want   []string
		total  int
	}{
		{"OKAllByUsername", portal.UserFilter{}, []string{"u1", "u3", "u4", "u5", "u2", "u6"}, 6},
		{"QUsernamePart", portal.UserFilter{Q: "ent"}, []string{"u3", "u4"}, 2},
		{"QDisplayNamePart", portal.UserFilter{Q: "张"}, []string{"u2", "u6"}, 2},
		{"QIgnoresCase", portal.UserFilter{Q: "ADMIN"}, []string{"u1"}, 1},
		{"QIsNotARegexp", portal.UserFilter{Q: "a.b"}, []string{"u6"}, 1},
		{"Role", portal.UserFilter{Role: role(portal.RoleLiaison)}, []string{"u2", "u6"}, 2},
		{"RoleAmongSeveral", portal.UserFilter{Role: role(portal.RoleDeptHead)}, []string{"u5"}, 1},
		{"Status", portal.UserFilter{Status: status(portal.UserPending)}, []string{"u4"}, 1},
		{"RoleAndStatus", portal.UserFilter{Role: role(portal.RoleEnterprise), Status: status(portal.UserActive)}, []string{"u3"}, 1},
		{"Enterprise", portal.UserFilter{EnterpriseID: str("ent-002")}, []string{"u4"}, 1},
		{"EnterpriseIn", portal.UserFilter{EnterpriseIn: []string{"ent-001", "ent-002", "ent-009"}}, []string{"u3", "u4"}, 2},
		{"IDs", portal.UserFilter{IDs: []string{"u6", "u1", "nobody"}}, []string{"u1", "u6"}, 2},
		{"EmptyIDsMatchNothing", portal.UserFilter{IDs: []string{}}, []string{}, 0},
		{"Page", portal.UserFilter{Offset: 2, Limit: 2}, []string{"u4", "u5"}, 6},
		{"PagePastTheEnd", portal.UserFilter{Offset: 10, Limit: 2}, []string{}, 6},
		{"NoMatch", portal.UserFilter{Q: "不存在"}, []string{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.FindUsers(ctxT(t), tc.filter)
			portaltest.Must(t, err, "FindUsers")
			if !slices.Equal(userIDs(got), tc.want) || total != tc.total {
				t.Errorf("FindUsers(%+v) = %v (total %d), want %v (total %d)", tc.filter, userIDs(got), total, tc.want, tc.total)
			}
		})
	}
}

func TestUserStoreUpdateTokenVersion(t *testing.T) {
	str := func(v string) *string { return &v }
	status := func(st portal.UserStatus) *portal.UserStatus { return &st }
	for _, tc := range []struct {
		name string
		upd  portal.UserUpdate
		bump bool
	}{
		{"DisplayNameKeeps", portal.UserUpdate{DisplayName: str("张联络（改名）")}, false},
		{"PhoneKeeps", portal.UserUpdate{Phone: str("13912345678")}, false},
		{"SameScopeKeeps", portal.UserUpdate{TaskForceID: str("tf-port")}, false},
		{"SameStatusKeeps", portal.UserUpdate{Status: status(portal.UserActive)}, false},
		{"RolesBump", portal.UserUpdate{Roles: []portal.Role{portal.RoleLiaison, portal.RolePolicyEditor}}, true},
		{"TaskForceBumps", portal.UserUpdate{TaskForceID: str("tf-jewelry")}, true},
		{"UnitBumps", portal.UserUpdate{UnitID: str("dept-drc")}, true},
		{"ChainBumps", portal.UserUpdate{ChainID: str("chain-port")}, true},
		{"EnterpriseBumps", portal.UserUpdate{EnterpriseID: str("ent-003")}, true},
		{"StatusBumps", portal.UserUpdate{Status: status(portal.UserDisabled)}, true},
		{"PasswordBumps", portal.UserUpdate{PasswordHash: str("new-hash")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustUserStore(t)
			seedUsers(t, s)
			got, err := s.UpdateUser(ctxT(t), "u2", tc.upd)
			portaltest.Must(t, err, "UpdateUser")
			want := 0
			if tc.bump {
				want = 1
			}
			if got.TokenVersion != want {
				t.Errorf("token version = %d after %s, want %d", got.TokenVersion, tc.name, want)
			}
			stored, err := s.FindUserByID(ctxT(t), "u2")
			portaltest.Must(t, err, "find")
			if stored.TokenVersion != want {
				t.Errorf("stored token version = %d, want %d", stored.TokenVersion, want)
			}
		})
	}

	t.Run("BumpsAgainOnEachChange", func(t *testing.T) {
		s := mustUserStore(t)
		seedUsers(t, s)
		for i, r := range []portal.Role{portal.RoleHandler, portal.RoleLiaison} {
			u, err := s.UpdateUser(ctxT(t), "u6", portal.UserUpdate{Roles: []portal.Role{r}, UnitID: str("dept-trans")})
			portaltest.Must(t, err, "update %d", i)
			if u.TokenVersion != i+1 {
				t.Errorf("after change %d token version = %d, want %d", i+1, u.TokenVersion, i+1)
			}
		}
	})

	t.Run("ErrInvalidChangesNothing", func(t *testing.T) {
		s := mustUserStore(t)
		seedUsers(t, s)
		before, err := s.FindUserByID(ctxT(t), "u2")
		portaltest.Must(t, err, "find")
		_, err = s.UpdateUser(ctxT(t), "u2", portal.UserUpdate{Roles: []portal.Role{}, DisplayName: str("改了")})
		if portal.ErrorCode(err) != portal.EINVALID || portal.ErrorFields(err)["roles"] == "" {
			t.Fatalf("UpdateUser(no roles) = %v, want invalid naming roles", err)
		}
		after, err := s.FindUserByID(ctxT(t), "u2")
		portaltest.Must(t, err, "find")
		if after.DisplayName != before.DisplayName || !slices.Equal(after.Roles, before.Roles) || after.TokenVersion != before.TokenVersion {
			t.Errorf("refused update changed the user: %+v → %+v", before, after)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := mustUserStore(t)
		if _, err := s.UpdateUser(ctxT(t), "nobody", portal.UserUpdate{DisplayName: str("x")}); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("UpdateUser(unknown) = %v, want not found", err)
		}
	})
}
