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
	UserID       string `json:"user_id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Roles        []Role `json:"roles"`
	EnterpriseID string `json:"enterprise_id,omitempty"`
	UnitID       string `json:"unit_id,omitempty"`
	ChainID      string `json:"chain_id,omitempty"`
	TaskForceID  string `json:"task_force_id,omitempty"`
	// Pending actors are signed in but not yet verified: they hold no role.
	Pending bool `json:"pending,omitempty"`
	// ClientIP is where the request came from, for the audit log.
	ClientIP string `json:"-"`
}

// Has reports whether the actor holds role r; a nil or pending actor holds none.
func (a *Actor) Has(r Role) bool {
	if a == nil || a.Pending {
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

// HasAny reports whether the actor holds any of roles.
func (a *Actor) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if a.Has(r) {
			return true
		}
	}
	return false
}

// IsAdmin reports whether the actor is an admin.
func (a *Actor) IsAdmin() bool { return a.Has(RoleAdmin) }

// Name is how the actor appears in timelines and the audit log.
func (a *Actor) Name() string {
	switch {
	case a == nil:
		return "访客"
	case a.DisplayName != "":
		return a.DisplayName
	default:
		return a.Username
	}
}
