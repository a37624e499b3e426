package portal

import "context"

// Role is what a user may do; a user may hold several.
type Role string

// The roles of the portal.
const (
	RoleEnterprise   Role = "enterprise"    // staff of one enterprise
	RoleLiaison      Role = "liaison"       // task-force liaison officer (专班联络员)
	RoleDispatcher   Role = "dispatcher"    // dispatches requests in an org subtree
	RoleHandler      Role = "handler"       // handles requests for a department
	RoleDeptHead     Role = "dept_head"     // head of a department
	RoleCommittee    Role = "committee"     // member of an industry-chain committee
	RolePolicyEditor Role = "policy_editor" // maintains the policy catalogue
	RoleAdmin        Role = "admin"         // runs the portal
)

// RoleNames are the Chinese names shown for each role.
var RoleNames = map[Role]string{
	RoleEnterprise:   "企业用户",
	RoleLiaison:      "专班联络员",
	RoleDispatcher:   "分拨员",
	RoleHandler:      "部门承办人",
	RoleDeptHead:     "部门负责人",
	RoleCommittee:    "产业链党委成员",
	RolePolicyEditor: "政策编辑",
	RoleAdmin:        "系统管理员",
}

// Actor is who is acting: the signed-in user, or nobody for a visitor.
type Actor struct {
	UserID      string `json:"user_id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Roles       []Role `json:"roles"`
}

// Has reports whether the actor holds role r; a nil actor holds none.
func (a *Actor) Has(r Role) bool {
	if a == nil {
		return false
	}
	for _, x := range a.Roles {
		if x == r {
			return true
		}
	}
	return false
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, nil for an anonymous visitor.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
