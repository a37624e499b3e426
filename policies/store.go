package policies

import (
	"context"
	"time"
)

// Filter selects policies from the store; nil or empty fields are not applied.
type Filter struct {
	IDs      []string
	Status   *Status
	Category *Category
	Offset   int
	Limit    int
}

// Version is one entry of a policy's history: the policy as it was after
// an action.
type Version struct {
	ID       string    `json:"id" bson:"_id"`
	PolicyID string    `json:"policy_id" bson:"policy_id"`
	Version  int       `json:"version" bson:"version"`
	Action   string    `json:"action" bson:"action"` // create, update, publish, revoke, expire
	ActorID  string    `json:"actor_id,omitempty" bson:"actor_id,omitempty"`
	Actor    string    `json:"actor" bson:"actor"`
	At       time.Time `json:"at" bson:"at"`
	Snapshot Policy    `json:"snapshot" bson:"snapshot"`
}

// Store persists policies and their history.
type Store interface {
	CreatePolicy(ctx context.Context, p *Policy) error
	FindPolicyByID(ctx context.Context, id string) (*Policy, error)
	FindPolicies(ctx context.Context, f Filter) ([]*Policy, int, error)
	// ReplacePolicy stores p if the stored version is still p.Version-1;
	// otherwise it answers ECONFLICT (someone else changed it first).
	ReplacePolicy(ctx context.Context, p *Policy) error
	AppendVersion(ctx context.Context, v *Version) error
	FindVersions(ctx context.Context, policyID string) ([]*Version, error)
	// PublishedEndingBefore returns published policies whose apply_end is before t.
	PublishedEndingBefore(ctx context.Context, t time.Time) ([]*Policy, error)
	// UpdatedSince returns the ids and versions of policies changed at or after t (drift repair).
	UpdatedSince(ctx context.Context, t time.Time) (map[string]int, error)
}
