package portal

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// UserStatus is where a user account stands.
type UserStatus string

// Account states. A pending enterprise user waits for a liaison or an admin
// to verify the registration and can browse public pages only.
const (
	UserActive   UserStatus = "active"
	UserPending  UserStatus = "pending"
	UserDisabled UserStatus = "disabled"
)

// UserStatusNames are the Chinese names of the states.
var UserStatusNames = map[UserStatus]string{UserActive: "正常", UserPending: "待审核", UserDisabled: "已停用"}

// User is an account of the portal.
type User struct {
	ID           string     `json:"id" bson:"_id"`
	Username     string     `json:"username" bson:"username"`
	DisplayName  string     `json:"display_name" bson:"display_name"`
	Phone        string     `json:"phone,omitempty" bson:"phone,omitempty"`
	PasswordHash string     `json:"-" bson:"password_hash"`
	Roles        []Role     `json:"roles" bson:"roles"`
	EnterpriseID string     `json:"enterprise_id,omitempty" bson:"enterprise_id,omitempty"` // enterprise role
	UnitID       string     `json:"unit_id,omitempty" bson:"unit_id,omitempty"`             // handler, dept_head: the department; dispatcher: the subtree root
	ChainID      string     `json:"chain_id,omitempty" bson:"chain_id,omitempty"`           // committee role
	TaskForceID  string     `json:"task_force_id,omitempty" bson:"task_force_id,omitempty"` // liaison role
	Status       UserStatus `json:"status" bson:"status"`
	// TokenVersion changes whenever the account's rights change (roles,
	// scope, status, password); access tokens of older versions stop working.
	TokenVersion int       `json:"-" bson:"token_version"`
	CreatedAt    time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time `json:"updated_at" bson:"updated_at"`
}

// Actor returns the actor acting as u.
func (u *User) Actor() *Actor {
	return &Actor{
		UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Roles: slices.Clone(u.Roles),
		EnterpriseID: u.EnterpriseID, UnitID: u.UnitID, ChainID: u.ChainID, TaskForceID: u.TaskForceID,
		Pending: u.Status == UserPending,
	}
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{2,31}$`)

// phonePattern accepts a mainland mobile number or a landline with area code.
var phonePattern = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`)

// ValidPhone reports whether p looks like a mainland mobile or landline number.
func ValidPhone(p string) bool { return phonePattern.MatchString(p) }

// Validate checks the user's own fields and that each role has its scope.
func (u *User) Validate() error {
	f := map[string]string{}
	if !usernamePattern.MatchString(u.Username) {
		f["username"] = "用户名须为 3–32 位小写字母、数字或 _ . -，并以字母或数字开头"
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(u.DisplayName)); n == 0 || n > 40 {
		f["display_name"] = "姓名不能为空，且不超过 40 个字"
	}
	if u.Phone != "" && !ValidPhone(u.Phone) {
		f["phone"] = "电话号码格式不正确"
	}
	if len(u.Roles) == 0 {
		f["roles"] = "至少需要一个角色"
	}
	for _, r := range u.Roles {
		if _, ok := RoleNames[r]; !ok {
			f["roles"] = "未知角色：" + string(r)
		}
	}
	need := func(r Role, field, value, msg string) {
		if slices.Contains(u.Roles, r) && value == "" {
			f[field] = msg
		}
	}
	need(RoleEnterprise, "enterprise_id", u.EnterpriseID, "企业用户必须绑定一家企业")
	need(RoleHandler, "unit_id", u.UnitID, "部门承办人必须指定所在单位")
	need(RoleDeptHead, "unit_id", u.UnitID, "部门负责人必须指定所在单位")
	need(RoleDispatcher, "unit_id", u.UnitID, "分拨员必须指定负责的单位范围")
	need(RoleCommittee, "chain_id", u.ChainID, "产业链党委成员必须指定产业链")
	if _, ok := UserStatusNames[u.Status]; !ok {
		f["status"] = "账号状态无效"
	}
	if len(f) > 0 {
		return Invalid("用户信息有误", f)
	}
	return nil
}

// UserFilter selects users; nil or empty fields are not applied.
type UserFilter struct {
	IDs          []string
	Q            string // part of the username or display name
	Role         *Role
	Status       *UserStatus
	EnterpriseID *string
	EnterpriseIn []string // any of these enterprises
	UnitID       *string
	Offset       int
	Limit        int
}

// UserUpdate changes a user; nil fields stay as they are. A change to
// roles, scope, status or password bumps the token version.
type UserUpdate struct {
	DisplayName  *string
	Phone        *string
	PasswordHash *string
	Roles        []Role
	EnterpriseID *string
	UnitID       *string
	ChainID      *string
	TaskForceID  *string
	Status       *UserStatus
}

// UserStore persists users.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// UpdateUser applies upd and returns the user as it is afterwards.
	UpdateUser(ctx context.Context, id string, upd UserUpdate) (*User, error)
}
