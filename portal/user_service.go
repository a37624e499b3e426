package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// UserService administers accounts: admins create users, change their
// roles and scope, disable and enable them and reset passwords; a user
// reads their own account and changes their own password.
type UserService struct {
	Users       UserStore
	Sessions    SessionStore
	Org         OrgStore
	Chains      ChainStore
	Enterprises EnterpriseStore
	// TaskForces keeps task force member lists in step when a liaison's
	// task force changes.
	TaskForces *TaskForceService
	Audit      *Auditor
	Now        func() time.Time
}

// NewUserInput is what an admin sends to create an account. Each scope
// field is kept only when one of the roles needs it.
type NewUserInput struct {
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Phone        string `json:"phone"`
	Password     string `json:"password"`
	Roles        []Role `json:"roles"`
	EnterpriseID string `json:"enterprise_id"`
	UnitID       string `json:"unit_id"`
	ChainID      string `json:"chain_id"`
	TaskForceID  string `json:"task_force_id"`
}

// UserChangeInput is what an admin sends to change an account; absent
// fields stay as they are.
type UserChangeInput struct {
	DisplayName  *string `json:"display_name"`
	Phone        *string `json:"phone"`
	Roles        []Role  `json:"roles"`
	EnterpriseID *string `json:"enterprise_id"`
	UnitID       *string `json:"unit_id"`
	ChainID      *string `json:"chain_id"`
	TaskForceID  *string `json:"task_force_id"`
}

// PasswordInput changes a password: a user changing their own gives the
// current one; an admin resetting someone else's gives only the new one.
type PasswordInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// maxUsersPerPage bounds one page of users or audit entries.
const maxUsersPerPage = 100

// scopeRoles says which roles need each scope field; a field none of the
// user's roles needs is cleared so that stale scope cannot linger.
var scopeRoles = map[string][]Role{
	"enterprise_id": {RoleEnterprise},
	"unit_id":       {RoleHandler, RoleDeptHead, RoleDispatcher, RolePolicyEditor},
	"chain_id":      {RoleCommittee},
	"task_force_id": {RoleLiaison},
}

// FindUsers returns one page of users matching f (admin only).
func (s *UserService) FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, 0, err
	}
	if f.Role != nil {
		if _, ok := RoleNames[*f.Role]; !ok {
			return nil, 0, Invalid("未知角色", map[string]string{"role": "未知角色：" + string(*f.Role)})
		}
	}
	if f.Status != nil {
		if _, ok := UserStatusNames[*f.Status]; !ok {
			return nil, 0, Invalid("未知账号状态", map[string]string{"status": "账号状态必须是 active、pending 或 disabled"})
		}
	}
	f.Q = strings.TrimSpace(f.Q)
	if len([]rune(f.Q)) > 50 {
		return nil, 0, Invalid("查询词不能超过 50 个字", map[string]string{"q": "过长"})
	}
	if f.Limit <= 0 || f.Limit > maxUsersPerPage {
		f.Limit = maxUsersPerPage
	}
	return s.Users.FindUsers(ctx, f)
}

// FindUser returns an account to an admin or to its own user; to anyone
// else it does not exist.
func (s *UserService) FindUser(ctx context.Context, id string) (*User, error) {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	case a.UserID != id && !a.IsAdmin():
		return nil, Errorf(ENOTFOUND, "用户不存在")
	}
	return s.Users.FindUserByID(ctx, id)
}

// ScopeChoices are the objects an account can be scoped to, for the
// selects of the user forms.
type ScopeChoices struct {
	Units       []*OrgUnit
	Chains      []*Chain
	TaskForces  []*TaskForce
	Enterprises []*Enterprise
	// MoreEnterprises reports that not every enterprise is listed.
	MoreEnterprises bool
}

// maxEnterpriseChoices bounds the enterprise select of the user form.
const maxEnterpriseChoices = 500

// ScopeChoices returns what accounts can be scoped to (admin only).
func (s *UserService) ScopeChoices(ctx context.Context) (*ScopeChoices, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, err
	}
	var out ScopeChoices
	var err error
	if out.Units, err = s.Org.FindOrgUnits(ctx, OrgUnitFilter{}); err != nil {
		return nil, err
	}
	if out.Chains, err = s.Chains.FindChains(ctx); err != nil {
		return nil, err
	}
	if out.TaskForces, err = s.TaskForces.TaskForces.FindTaskForces(ctx); err != nil {
		return nil, err
	}
	var total int
	if out.Enterprises, total, err = s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{Limit: maxEnterpriseChoices}); err != nil {
		return nil, err
	}
	out.MoreEnterprises = total > len(out.Enterprises)
	return &out, nil
}

// CreateUser opens an active account (admin only), checking that the
// objects its roles are scoped to exist and fit the role.
func (s *UserService) CreateUser(ctx context.Context, in NewUserInput) (*User, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "user.create", "user", ""); err != nil {
		return nil, err
	}
	u := &User{
		ID: NewID(), Username: strings.ToLower(strings.TrimSpace(in.Username)),
		DisplayName: strings.TrimSpace(in.DisplayName), Phone: strings.ReplaceAll(strings.TrimSpace(in.Phone), " ", ""),
		Roles: uniqueRoles(in.Roles), Status: UserActive,
		EnterpriseID: strings.TrimSpace(in.EnterpriseID), UnitID: strings.TrimSpace(in.UnitID),
		ChainID: strings.TrimSpace(in.ChainID), TaskForceID: strings.TrimSpace(in.TaskForceID),
	}
	clearUnneededScope(u)
	f := map[string]string{}
	if err := u.Validate(); err != nil {
		mergeFields(f, err)
	}
	if err := CheckPassword(in.Password, u.Username); err != nil {
		f["password"] = ErrorFields(err)["password"]
	}
	if err := s.checkScope(ctx, u, f); err != nil {
		return nil, err
	}
	if len(f) > 0 {
		return nil, Invalid("用户信息有误", f)
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, Internal(err)
	}
	u.PasswordHash = hash
	if err := s.Users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if err := s.TaskForces.moveMember(ctx, u.ID, "", u.TaskForceID); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "user.create", "user", u.ID, OutcomeOK, u.Username+"；角色 "+rolesText(u.Roles)+scopeText(u)); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// UpdateUser changes an account's name, phone, roles and scope (admin
// only). A change of roles or scope makes the user's access tokens stop
// working at once. Admins cannot take away their own admin role.
func (s *UserService) UpdateUser(ctx context.Context, id string, in UserChangeInput) (*User, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "user.update", "user", id); err != nil {
		return nil, err
	}
	old, err := s.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	u := *old
	u.Roles = slices.Clone(old.Roles)
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&u.DisplayName, in.DisplayName)
	set(&u.Phone, in.Phone)
	u.Phone = strings.ReplaceAll(u.Phone, " ", "")
	set(&u.EnterpriseID, in.EnterpriseID)
	set(&u.UnitID, in.UnitID)
	set(&u.ChainID, in.ChainID)
	set(&u.TaskForceID, in.TaskForceID)
	if in.Roles != nil {
		u.Roles = uniqueRoles(in.Roles)
	}
	clearUnneededScope(&u)
	f := map[string]string{}
	if err := u.Validate(); err != nil {
		mergeFields(f, err)
	}
	if ActorFrom(ctx).UserID == id && userHolds(old, RoleAdmin) && !userHolds(&u, RoleAdmin) {
		f["roles"] = "不能取消自己的系统管理员角色"
	}
	if err := s.checkScope(ctx, &u, f); err != nil {
		return nil, err
	}
	if len(f) == 0 && u.TaskForceID != old.TaskForceID {
		if old.TaskForceID != "" {
			msg, err := s.TaskForces.checkLeaver(ctx, id)
			if err != nil {
				return nil, err
			}
			if msg != "" {
				f["task_force_id"] = msg
			}
		}
		if u.TaskForceID != "" && u.Status == UserDisabled {
			f["task_force_id"] = "已停用的账号不能加入专班"
		}
	}
	if len(f) > 0 {
		return nil, Invalid("用户信息有误", f)
	}
	changes := describeUserChanges(old, &u)
	if changes == "" {
		return old, nil
	}
	upd := UserUpdate{
		DisplayName: &u.DisplayName, Phone: &u.Phone,
		EnterpriseID: &u.EnterpriseID, UnitID: &u.UnitID, ChainID: &u.ChainID, TaskForceID: &u.TaskForceID,
	}
	if !slices.Equal(u.Roles, old.Roles) {
		upd.Roles = u.Roles // the store retires tokens whenever roles are given
	}
	out, err := s.Users.UpdateUser(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	if err := s.TaskForces.moveMember(ctx, id, old.TaskForceID, u.TaskForceID); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "user.update", "user", id, OutcomeOK, changes); err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// DisableUser stops an account and ends all its sessions (admin only);
// admins cannot disable themselves.
func (s *UserService) DisableUser(ctx context.Context, id string) (*User, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "user.disable", "user", id); err != nil {
		return nil, err
	}
	if ActorFrom(ctx).UserID == id {
		return nil, Errorf(EFORBIDDEN, "不能停用自己的账号")
	}
	old, err := s.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	disabled := UserDisabled
	u, err := s.Users.UpdateUser(ctx, id, UserUpdate{Status: &disabled})
	if err != nil {
		return nil, err
	}
	// Revoked even when already disabled, so a retry after a failed
	// revocation finishes the job.
	if err := s.Sessions.RevokeUserSessions(ctx, id, "account disabled", s.Now().UTC()); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s：%s → %s；已撤销全部登录会话", u.Username, UserStatusNames[old.Status], UserStatusNames[u.Status])
	if err := s.Audit.Record(ctx, "user.disable", "user", id, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// EnableUser lets a disabled account sign in again (admin only). Accounts
// waiting for verification go through verification instead.
func (s *UserService) EnableUser(ctx context.Context, id string) (*User, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "user.enable", "user", id); err != nil {
		return nil, err
	}
	old, err := s.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	switch old.Status {
	case UserPending:
		return nil, Errorf(ECONFLICT, "该账号正在等待审核，请通过审核流程处理")
	case UserActive:
		return old, nil
	}
	active := UserActive
	u, err := s.Users.UpdateUser(ctx, id, UserUpdate{Status: &active})
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "user.enable", "user", id, OutcomeOK, u.Username+"：已停用 → 正常"); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// ChangePassword sets a new password. Users changing their own password
// must give the current one; an admin resetting another user's password
// ends all that user's sessions. Either way the user's access tokens stop
// working. To anyone else the account does not exist.
func (s *UserService) ChangePassword(ctx context.Context, id string, in PasswordInput) error {
	a := ActorFrom(ctx)
	if a == nil {
		return Errorf(EUNAUTHENTICATED, "请先登录")
	}
	self := a.UserID == id
	if !self && !a.IsAdmin() {
		return Errorf(ENOTFOUND, "用户不存在")
	}
	u, err := s.Users.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	action := "user.password_reset"
	if self {
		action = "user.password_change"
		if in.CurrentPassword == "" {
			return Invalid("请输入当前密码", map[string]string{"current_password": "请输入当前密码"})
		}
		ok, err := VerifyPassword(u.PasswordHash, in.CurrentPassword)
		if err != nil {
			return Internal(err)
		}
		if !ok {
			if err := s.Audit.Record(ctx, action, "user", id, OutcomeFailed, "当前密码不正确"); err != nil {
				return Internal(err)
			}
			return Invalid("当前密码不正确", map[string]string{"current_password": "当前密码不正确"})
		}
	}
	if err := CheckPassword(in.NewPassword, u.Username); err != nil {
		msg := ErrorFields(err)["password"]
		return Invalid(msg, map[string]string{"new_password": msg})
	}
	hash, err := HashPassword(in.NewPassword)
	if err != nil {
		return Internal(err)
	}
	if _, err := s.Users.UpdateUser(ctx, id, UserUpdate{PasswordHash: &hash}); err != nil {
		return err
	}
	detail := "本人修改密码"
	if !self {
		if err := s.Sessions.RevokeUserSessions(ctx, id, "password reset", s.Now().UTC()); err != nil {
			return err
		}
		detail = u.Username + "：管理员重置密码，已撤销全部登录会话"
	}
	if err := s.Audit.Record(ctx, action, "user", id, OutcomeOK, detail); err != nil {
		return Internal(err)
	}
	return nil
}

// checkScope checks that the objects u is scoped to exist and fit its
// roles, adding a message per bad field to f.
func (s *UserService) checkScope(ctx context.Context, u *User, f map[string]string) error {
	if u.EnterpriseID != "" {
		_, err := s.Enterprises.FindEnterpriseByID(ctx, u.EnterpriseID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			f["enterprise_id"] = "企业不存在"
		case err != nil:
			return err
		}
	}
	if u.UnitID != "" {
		units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{u.UnitID}})
		switch {
		case err != nil:
			return err
		case len(units) == 0:
			f["unit_id"] = "单位不存在"
		case userHolds(u, RoleHandler, RoleDeptHead) && !units[0].Tier.Valid():
			f["unit_id"] = "部门承办人和部门负责人必须属于一个承办单位（A 级区直部门、B 级街道或 C 级社区园区），不能是区级根单位"
		}
	}
	if u.ChainID != "" {
		_, err := s.Chains.FindChainByID(ctx, u.ChainID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			f["chain_id"] = "产业链不存在"
		case err != nil:
			return err
		}
	}
	if u.TaskForceID != "" {
		_, err := s.TaskForces.TaskForces.FindTaskForceByID(ctx, u.TaskForceID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			f["task_force_id"] = "专班不存在"
		case err != nil:
			return err
		}
	}
	return nil
}

// userHolds reports whether u holds any of roles, whatever its status.
func userHolds(u *User, roles ...Role) bool {
	return slices.ContainsFunc(roles, func(r Role) bool { return slices.Contains(u.Roles, r) })
}

func clearUnneededScope(u *User) {
	for field, roles := range scopeRoles {
		if userHolds(u, roles...) {
			continue
		}
		switch field {
		case "enterprise_id":
			u.EnterpriseID = ""
		case "unit_id":
			u.UnitID = ""
		case "chain_id":
			u.ChainID = ""
		case "task_force_id":
			u.TaskForceID = ""
		}
	}
}

func uniqueRoles(in []Role) []Role {
	out := []Role{}
	for _, r := range in {
		if r = Role(strings.TrimSpace(string(r))); r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func mergeFields(f map[string]string, err error) {
	for k, v := range ErrorFields(err) {
		f[k] = v
	}
}

func rolesText(roles []Role) string {
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ",")
}

func scopeText(u *User) string {
	var parts []string
	for _, p := range []struct{ k, v string }{
		{"enterprise_id", u.EnterpriseID}, {"unit_id", u.UnitID}, {"chain_id", u.ChainID}, {"task_force_id", u.TaskForceID},
	} {
		if p.v != "" {
			parts = append(parts, p.k+"="+p.v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "；范围 " + strings.Join(parts, ", ")
}

// describeUserChanges says what an update changes, for the audit log; ""
// when nothing does.
func describeUserChanges(old, u *User) string {
	var parts []string
	for _, p := range []struct{ field, from, to string }{
		{"姓名", old.DisplayName, u.DisplayName}, {"电话", old.Phone, u.Phone},
		{"角色", rolesText(old.Roles), rolesText(u.Roles)},
		{"enterprise_id", old.EnterpriseID, u.EnterpriseID}, {"unit_id", old.UnitID, u.UnitID},
		{"chain_id", old.ChainID, u.ChainID}, {"task_force_id", old.TaskForceID, u.TaskForceID},
	} {
		if p.from != p.to {
			parts = append(parts, fmt.Sprintf("%s：%s → %s", p.field, p.from, p.to))
		}
	}
	return strings.Join(parts, "；")
}

// denyUnlessAdminRead lets admins read administrative data; reads are not
// audited, so refusals are not either.
func denyUnlessAdminRead(ctx context.Context) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHENTICATED, "请先登录")
	case !a.IsAdmin():
		return Errorf(EFORBIDDEN, "只有系统管理员可以查看")
	}
	return nil
}

// AuditLog lets admins read the audit log.
type AuditLog struct {
	Store AuditStore
}

// auditOutcomes are the outcomes a filter may ask for.
var auditOutcomes = []string{OutcomeOK, OutcomeFailed, OutcomeDenied, OutcomeThrottled}

// Find returns one page of entries matching f, newest first (admin only).
func (l *AuditLog) Find(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, 0, err
	}
	bad := map[string]string{}
	if f.Outcome != "" && !slices.Contains(auditOutcomes, f.Outcome) {
		bad["outcome"] = "结果必须是 ok、failed、denied 或 throttled"
	}
	for k, v := range map[string]string{"action": f.Action, "actor_id": f.ActorID, "object_type": f.ObjectType, "object_id": f.ObjectID} {
		if len(v) > 100 {
			bad[k] = "过长"
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		bad["to"] = "结束时间必须晚于开始时间"
	}
	if len(bad) > 0 {
		return nil, 0, Invalid("审计日志筛选条件有误", bad)
	}
	if f.Limit <= 0 || f.Limit > maxUsersPerPage {
		f.Limit = maxUsersPerPage
	}
	return l.Store.FindAudit(ctx, f)
}
