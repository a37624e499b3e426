package portal

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// RouteTarget says where a routing rule sends the requests it catches.
type RouteTarget string

// Route targets: a fixed unit, or a unit found from the enterprise's place.
const (
	// TargetUnit sends to the rule's department (any unit with a tier).
	TargetUnit RouteTarget = "unit"
	// TargetOwnSubdistrict sends to the enterprise's own sub-district (tier B).
	TargetOwnSubdistrict RouteTarget = "own_subdistrict"
	// TargetOwnPark sends to the enterprise's own community or park (tier C).
	TargetOwnPark RouteTarget = "own_park"
)

// RouteTargets lists the targets in the order forms show them.
var RouteTargets = []RouteTarget{TargetUnit, TargetOwnSubdistrict, TargetOwnPark}

// RouteTargetNames are the Chinese names of the targets.
var RouteTargetNames = map[RouteTarget]string{
	TargetUnit:           "指定承办单位",
	TargetOwnSubdistrict: "企业所在街道（B 级）",
	TargetOwnPark:        "企业所在社区或园区（C 级）",
}

// RoutingRule is one admin-editable line of the dispatch table: requests
// of a category, from a region, of a type go to a department. Empty
// conditions match anything. Rules are tried by priority (lower first),
// then by specificity (more conditions first), then by name.
type RoutingRule struct {
	ID       string      `json:"id" bson:"_id"`
	Name     string      `json:"name" bson:"name"`
	Category string      `json:"category" bson:"category"`   // a category code; "" any
	RegionID string      `json:"region_id" bson:"region_id"` // a sub-district, community or park; "" anywhere
	Type     RequestType `json:"type" bson:"type"`           // "" any
	Priority int         `json:"priority" bson:"priority"`
	Target   RouteTarget `json:"target" bson:"target"`
	// Tier is the tier the rule sends to: the department's for TargetUnit,
	// B or C for the relative targets.
	Tier         Tier      `json:"tier" bson:"tier"`
	DepartmentID string    `json:"department_id,omitempty" bson:"department_id,omitempty"` // TargetUnit only
	Enabled      bool      `json:"enabled" bson:"enabled"`
	Version      int       `json:"version" bson:"version"`
	CreatedAt    time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt    time.Time `json:"updated_at" bson:"updated_at"`
	UpdatedBy    string    `json:"updated_by,omitempty" bson:"updated_by,omitempty"`
}

// RoutingRuleFilter selects routing rules; zero fields are not applied.
type RoutingRuleFilter struct {
	// Category keeps the rules for this category and those for any category.
	Category string
	// EnabledOnly leaves out disabled rules.
	EnabledOnly bool
}

// RoutingRuleStore persists routing rules.
type RoutingRuleStore interface {
	// CreateRoutingRule stores a new rule; ECONFLICT when its id is taken.
	CreateRoutingRule(ctx context.Context, r *RoutingRule) error
	// FindRoutingRuleByID returns the rule; ENOTFOUND when there is none.
	FindRoutingRuleByID(ctx context.Context, id string) (*RoutingRule, error)
	// FindRoutingRules returns the matching rules by priority, then name.
	FindRoutingRules(ctx context.Context, f RoutingRuleFilter) ([]*RoutingRule, error)
	// UpdateRoutingRule replaces the rule if it is still at version and
	// bumps r.Version; of racing writers exactly one wins, the others get
	// ECONFLICT.
	UpdateRoutingRule(ctx context.Context, r *RoutingRule, version int) error
	// DeleteRoutingRule removes the rule if it is still at version; it
	// races with UpdateRoutingRule for the same version.
	DeleteRoutingRule(ctx context.Context, id string, version int) error
}

// RouteSample is what rules are matched against: a request's category,
// type and place.
type RouteSample struct {
	Category      string
	Type          RequestType
	SubdistrictID string
	ParkID        string // community or park
}

// unitMap answers where units sit; the org tree is a few dozen units, so
// it is read whole once per routing decision.
type unitMap map[string]*OrgUnit

func loadUnitMap(ctx context.Context, org OrgStore) (unitMap, error) {
	units, err := org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	t := make(unitMap, len(units))
	for _, u := range units {
		t[u.ID] = u
	}
	return t, nil
}

// within reports whether unit id is ancestor or below it. The walk is
// bounded so that a cycle in bad data cannot hang routing.
func (t unitMap) within(id, ancestor string) bool {
	for i := 0; id != "" && i < 16; i++ {
		if id == ancestor {
			return true
		}
		u := t[id]
		if u == nil {
			return false
		}
		id = u.ParentID
	}
	return false
}

// name returns the unit's name, or its id when it is gone.
func (t unitMap) name(id string) string {
	if u := t[id]; u != nil {
		return u.Name
	}
	return id
}

// isRegion reports whether u can be a rule's region or a sample's place.
func isRegion(u *OrgUnit) bool {
	return u != nil && (u.Kind == KindSubdistrict || u.Kind == KindCommunity || u.Kind == KindPark)
}

// specificity ranks how narrow a rule is: one point per condition, and
// one more for a region below a sub-district.
func (r *RoutingRule) specificity(t unitMap) int {
	n := 0
	if r.Category != "" {
		n++
	}
	if r.Type != "" {
		n++
	}
	if r.RegionID != "" {
		n++
		if u := t[r.RegionID]; u != nil && (u.Kind == KindCommunity || u.Kind == KindPark) {
			n++
		}
	}
	return n
}

// sortRules puts rules in the order they are tried: priority, then the
// more specific first, then name and id so that ties are deterministic.
func sortRules(rules []*RoutingRule, t unitMap) {
	slices.SortStableFunc(rules, func(a, b *RoutingRule) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(b.specificity(t), a.specificity(t)),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
}

// misses returns, in Chinese, each condition of the rule the sample does
// not meet; none means the rule matches.
func (r *RoutingRule) misses(s RouteSample, t unitMap, categoryName func(string) string) []string {
	var out []string
	if r.Category != "" && r.Category != s.Category {
		out = append(out, fmt.Sprintf("分类不符：规则限“%s”", categoryName(r.Category)))
	}
	if r.Type != "" && r.Type != s.Type {
		out = append(out, fmt.Sprintf("类型不符：规则限“%s”", RequestTypeNames[r.Type]))
	}
	if r.RegionID != "" && !t.within(s.SubdistrictID, r.RegionID) && !t.within(s.ParkID, r.RegionID) {
		out = append(out, fmt.Sprintf("区域不符：规则限“%s”", t.name(r.RegionID)))
	}
	return out
}

// resolve returns the unit the rule sends the sample to, or why it cannot.
func (r *RoutingRule) resolve(s RouteSample, t unitMap) (*OrgUnit, string) {
	switch r.Target {
	case TargetUnit:
		u := t[r.DepartmentID]
		if u == nil || !u.Tier.Valid() {
			return nil, "承办单位已不存在或没有层级"
		}
		return u, ""
	case TargetOwnSubdistrict:
		u := t[s.SubdistrictID]
		if u == nil || u.Kind != KindSubdistrict {
			return nil, "企业没有登记所在街道"
		}
		return u, ""
	case TargetOwnPark:
		u := t[s.ParkID]
		if u == nil || (u.Kind != KindCommunity && u.Kind != KindPark) {
			return nil, "企业没有登记所在社区或园区"
		}
		return u, ""
	}
	return nil, "分拨去向无效"
}

// suggestion is the route to u by rule r.
func (r *RoutingRule) suggestion(u *OrgUnit) *RouteSuggestion {
	return &RouteSuggestion{RuleID: r.ID, RuleName: r.Name, Tier: u.Tier, DepartmentID: u.ID, DepartmentName: u.Name}
}
