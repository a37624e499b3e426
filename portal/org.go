package portal

import (
	"context"
	"time"

	"github.com/huiqi/huiqi/search"
)

// Tier is the dispatch tier of an org unit: A district departments,
// B sub-districts (街道), C communities and industrial parks (社区 / 园区).
type Tier string

// Dispatch tiers.
const (
	TierA Tier = "A"
	TierB Tier = "B"
	TierC Tier = "C"
)

// Valid reports whether t is one of the three tiers.
func (t Tier) Valid() bool { return t == TierA || t == TierB || t == TierC }

// OrgKind says what sort of unit an org unit is.
type OrgKind string

// Kinds of org units.
const (
	KindDistrict    OrgKind = "district"    // 区 (the root)
	KindDepartment  OrgKind = "department"  // 区直部门
	KindSubdistrict OrgKind = "subdistrict" // 街道
	KindCommunity   OrgKind = "community"   // 社区
	KindPark        OrgKind = "park"        // 园区
)

// OrgKindNames are the Chinese names shown for each kind.
var OrgKindNames = map[OrgKind]string{
	KindDistrict:    "区",
	KindDepartment:  "区直部门",
	KindSubdistrict: "街道",
	KindCommunity:   "社区",
	KindPark:        "园区",
}

// OrgUnit is one unit of the district's organisation tree.
type OrgUnit struct {
	ID        string    `json:"id" bson:"_id"`
	Name      string    `json:"name" bson:"name"`
	Kind      OrgKind   `json:"kind" bson:"kind"`
	Tier      Tier      `json:"tier,omitempty" bson:"tier,omitempty"`
	ParentID  string    `json:"parent_id,omitempty" bson:"parent_id,omitempty"`
	Head      string    `json:"head,omitempty" bson:"head,omitempty"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
}

// OrgUnitFilter selects org units; nil fields are not applied.
type OrgUnitFilter struct {
	IDs      []string
	Kind     *OrgKind
	Tier     *Tier
	ParentID *string
}

// OrgStore persists org units.
type OrgStore interface {
	// UpsertOrgUnit creates the unit or replaces the one with the same id.
	UpsertOrgUnit(ctx context.Context, u *OrgUnit) error
	// FindOrgUnits returns the matching units ordered by tier and name.
	FindOrgUnits(ctx context.Context, f OrgUnitFilter) ([]*OrgUnit, error)
	// CountOrgUnitsByKind returns how many units there are of each kind.
	CountOrgUnitsByKind(ctx context.Context) (map[OrgKind]int, error)
}

// Validate checks the unit's own fields (not its place in the tree).
func (u *OrgUnit) Validate() error {
	fields := map[string]string{}
	if u.ID == "" {
		fields["id"] = "单位编号不能为空"
	}
	if u.Name == "" {
		fields["name"] = "单位名称不能为空"
	} else if len([]rune(u.Name)) > 60 {
		fields["name"] = "单位名称不能超过 60 个字"
	}
	if _, ok := OrgKindNames[u.Kind]; !ok {
		fields["kind"] = "单位类型无效"
	}
	if u.Kind != KindDistrict && !u.Tier.Valid() {
		fields["tier"] = "层级必须是 A、B 或 C"
	}
	if u.Kind != KindDistrict && u.ParentID == "" {
		fields["parent_id"] = "必须指定上级单位"
	}
	if len(fields) > 0 {
		return Invalid("单位信息有误", fields)
	}
	return nil
}

// OrgUnitIndex is the name of the search index holding org units.
const OrgUnitIndex = "org_units"

// SearchDocument is the derived copy of the unit kept in the search index,
// so that "交通" finds 区交通运输局 when a dispatcher picks a department.
func (u *OrgUnit) SearchDocument() search.Document {
	return search.Document{ID: u.ID, Fields: map[string]any{
		"name": u.Name,
		"kind": OrgKindNames[u.Kind],
		"head": u.Head,
	}}
}
