package portal_test

import (
	"context"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

func TestActorHas(t *testing.T) {
	liaison := &portal.Actor{UserID: "u1", Roles: []portal.Role{portal.RoleLiaison, portal.RoleHandler}}
	for _, tc := range []struct {
		name  string
		actor *portal.Actor
		role  portal.Role
		want  bool
	}{
		{"OKFirstRole", liaison, portal.RoleLiaison, true},
		{"OKSecondRole", liaison, portal.RoleHandler, true},
		{"MissingRole", liaison, portal.RoleAdmin, false},
		{"NoRoles", &portal.Actor{UserID: "u2"}, portal.RoleEnterprise, false},
		{"NilActor", nil, portal.RoleEnterprise, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.actor.Has(tc.role); got != tc.want {
				t.Errorf("Has(%q) = %v, want %v", tc.role, got, tc.want)
			}
		})
	}
}

func TestActorContext(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := &portal.Actor{UserID: "u1", Username: "li", Roles: []portal.Role{portal.RoleAdmin}}
		if got := portal.ActorFrom(portal.WithActor(context.Background(), a)); got != a {
			t.Errorf("ActorFrom = %v, want %v", got, a)
		}
	})
	t.Run("Anonymous", func(t *testing.T) {
		if got := portal.ActorFrom(context.Background()); got != nil {
			t.Errorf("ActorFrom(empty ctx) = %v, want nil", got)
		}
	})
}

func TestRoleNames(t *testing.T) {
	for _, r := range []portal.Role{portal.RoleEnterprise, portal.RoleLiaison, portal.RoleDispatcher, portal.RoleHandler,
		portal.RoleDeptHead, portal.RoleCommittee, portal.RolePolicyEditor, portal.RoleAdmin} {
		if portal.RoleNames[r] == "" {
			t.Errorf("role %q has no Chinese name", r)
		}
	}
}
