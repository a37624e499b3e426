package portal

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgService keeps the district's org tree in shape: anyone may read it,
// only admins change it, and every change keeps kinds, tiers and parents
// consistent (district departments and sub-districts under the district,
// communities and parks under a sub-district, no unit under itself).
type OrgService struct {
	Org   OrgStore
	Audit *Auditor
}

// OrgUnitInput is what an admin sends to create or change an org unit.
// Tier may be left empty: the kind determines it.
type OrgUnitInput struct {
	Name     string  `json:"name"`
	Kind     OrgKind `json:"kind"`
	Tier     Tier    `json:"tier"`
	ParentID string  `json:"parent_id"`
	Head     string  `json:"head"`
}

// OrgUnitDetail is one unit with its place in the tree.
type OrgUnitDetail struct {
	*OrgUnit
	Path     []*OrgUnit `json:"path"`     // ancestors, the district first
	Children []*OrgUnit `json:"children"` // direct children by tier and name
}

// OrgTreeNode is a unit and the units directly below it.
type OrgTreeNode struct {
	Unit     *OrgUnit       `json:"unit"`
	Children []*OrgTreeNode `json:"children"`
}

// tierOfKind is the dispatch tier each kind of unit sits in.
var tierOfKind = map[OrgKind]Tier{
	KindDepartment:  TierA,
	KindSubdistrict: TierB,
	KindCommunity:   TierC,
	KindPark:        TierC,
}

// parentKindOf is the kind of unit each kind must sit under.
var parentKindOf = map[OrgKind]OrgKind{
	KindDepartment:  KindDistrict,
	KindSubdistrict: KindDistrict,
	KindCommunity:   KindSubdistrict,
	KindPark:        KindSubdistrict,
}

// maxHeadLen bounds the head (负责人) field.
const maxHeadLen = 40

// orgTree is every unit by id and the children of each.
type orgTree struct {
	byID     map[string]*OrgUnit
	children map[string][]*OrgUnit
	order    []*OrgUnit
}

func (s *OrgService) load(ctx context.Context) (*orgTree, error) {
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	t := &orgTree{byID: make(map[string]*OrgUnit, len(units)), children: map[string][]*OrgUnit{}, order: units}
	for _, u := range units {
		t.byID[u.ID] = u
	}
	for _, u := range units {
		t.children[u.ParentID] = append(t.children[u.ParentID], u)
	}
	return t, nil
}

// isDescendant reports whether unit id lies in the subtree below root.
func (t *orgTree) isDescendant(root, id string) bool {
	queue := []string{root}
	for i := 0; i < len(queue); i++ {
		for _, c := range t.children[queue[i]] {
			if c.ID == id {
				return true
			}
			queue = append(queue, c.ID)
		}
	}
	return false
}

// Tree returns the org tree from the district down; units whose parent is
// missing are listed at the top so that nothing is hidden.
func (s *OrgService) Tree(ctx context.Context) ([]*OrgTreeNode, error) {
	t, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	var build func(u *OrgUnit, depth int) *OrgTreeNode
	build = func(u *OrgUnit, depth int) *OrgTreeNode {
		n := &OrgTreeNode{Unit: u, Children: []*OrgTreeNode{}}
		if depth > len(t.order) { // a stored cycle cannot recurse forever
			return n
		}
		for _, c := range t.children[u.ID] {
			n.Children = append(n.Children, build(c, depth+1))
		}
		return n
	}
	roots := []*OrgTreeNode{}
	for _, u := range t.order {
		if u.ParentID == "" || t.byID[u.ParentID] == nil {
			roots = append(roots, build(u, 0))
		}
	}
	return roots, nil
}

// FindUnit returns a unit with its ancestors and children. Org units are
// public: anyone may read them.
func (s *OrgService) FindUnit(ctx context.Context, id string) (*OrgUnitDetail, error) {
	t, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	u := t.byID[id]
	if u == nil {
		return nil, Errorf(ENOTFOUND, "单位不存在")
	}
	d := &OrgUnitDetail{OrgUnit: u, Path: []*OrgUnit{}, Children: t.children[id]}
	if d.Children == nil {
		d.Children = []*OrgUnit{}
	}
	seen := map[string]bool{id: true}
	for p := t.byID[u.ParentID]; p != nil && !seen[p.ID]; p = t.byID[p.ParentID] {
		seen[p.ID] = true
		d.Path = append([]*OrgUnit{p}, d.Path...)
	}
	return d, nil
}

// CreateUnit adds a unit below an existing one (admin only).
func (s *OrgService) CreateUnit(ctx context.Context, in OrgUnitInput) (*OrgUnit, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "org.create", "org_unit", ""); err != nil {
		return nil, err
	}
	t, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	u := &OrgUnit{ID: NewID()}
	if err := t.place(u, in, nil); err != nil {
		return nil, err
	}
	if err := s.Org.UpsertOrgUnit(ctx, u); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s（%s，%s 级）上级：%s", u.Name, OrgKindNames[u.Kind], u.Tier, t.byID[u.ParentID].Name)
	if err := s.Audit.Record(ctx, "org.create", "org_unit", u.ID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// UpdateUnit renames, re-heads or moves a unit (admin only). The district
// root can be renamed but not moved or turned into another kind.
func (s *OrgService) UpdateUnit(ctx context.Context, id string, in OrgUnitInput) (*OrgUnit, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "org.update", "org_unit", id); err != nil {
		return nil, err
	}
	t, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	old := t.byID[id]
	if old == nil {
		return nil, Errorf(ENOTFOUND, "单位不存在")
	}
	u := &OrgUnit{ID: id, CreatedAt: old.CreatedAt}
	if err := t.place(u, in, old); err != nil {
		return nil, err
	}
	changes := describeUnitChanges(t, old, u)
	if changes == "" {
		return old, nil
	}
	if err := s.Org.UpsertOrgUnit(ctx, u); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "org.update", "org_unit", u.ID, OutcomeOK, changes); err != nil {
		return nil, Internal(err)
	}
	return u, nil
}

// place fills u from in and checks its place in the tree; old is the unit
// as stored when it is being changed, nil when it is new.
func (t *orgTree) place(u *OrgUnit, in OrgUnitInput, old *OrgUnit) error {
	f := map[string]string{}
	u.Name = strings.TrimSpace(in.Name)
	u.Head = strings.TrimSpace(in.Head)
	u.Kind = OrgKind(strings.TrimSpace(string(in.Kind)))
	u.ParentID = strings.TrimSpace(in.ParentID)
	switch n := utf8.RuneCountInString(u.Name); {
	case n == 0:
		f["name"] = "单位名称不能为空"
	case n > 60:
		f["name"] = "单位名称不能超过 60 个字"
	}
	if utf8.RuneCountInString(u.Head) > maxHeadLen {
		f["head"] = fmt.Sprintf("负责人不能超过 %d 个字", maxHeadLen)
	}

	if old != nil && old.Kind == KindDistrict {
		// The root stays the root: only its name and head change.
		if u.Kind != "" && u.Kind != KindDistrict {
			f["kind"] = "区级根单位不能改为其他类型"
		}
		if u.ParentID != "" {
			f["parent_id"] = "区级根单位不能移动"
		}
		if in.Tier != "" {
			f["tier"] = "区级根单位没有层级"
		}
		u.Kind, u.ParentID, u.Tier = KindDistrict, "", ""
		return finishPlace(u, f)
	}

	wantTier, known := tierOfKind[u.Kind]
	switch {
	case u.Kind == KindDistrict:
		f["kind"] = "区级根单位只能有一个，不能新建或改为区"
	case !known:
		f["kind"] = "单位类型必须是 department（区直部门）、subdistrict（街道）、community（社区）或 park（园区）"
	case in.Tier != "" && in.Tier != wantTier:
		f["tier"] = fmt.Sprintf("%s的层级应为 %s", OrgKindNames[u.Kind], wantTier)
	}
	u.Tier = wantTier

	parent := t.byID[u.ParentID]
	switch {
	case u.ParentID == "":
		f["parent_id"] = "必须指定上级单位"
	case parent == nil:
		f["parent_id"] = "上级单位不存在"
	case old != nil && (u.ParentID == old.ID || t.isDescendant(old.ID, u.ParentID)):
		f["parent_id"] = "不能把单位移到它自己或它的下级单位之下"
	case known && parent.Kind != parentKindOf[u.Kind]:
		f["parent_id"] = fmt.Sprintf("%s的上级必须是%s，「%s」是%s", OrgKindNames[u.Kind],
			OrgKindNames[parentKindOf[u.Kind]], parent.Name, OrgKindNames[parent.Kind])
	}
	if old != nil && known && f["kind"] == "" {
		// The children must still fit under the unit's new kind.
		for _, c := range t.children[old.ID] {
			if parentKindOf[c.Kind] != u.Kind {
				f["kind"] = fmt.Sprintf("该单位下有%d个下级单位（如「%s」），不能改为%s", len(t.children[old.ID]), c.Name, OrgKindNames[u.Kind])
				break
			}
		}
	}
	return finishPlace(u, f)
}

func finishPlace(u *OrgUnit, f map[string]string) error {
	if len(f) > 0 {
		return Invalid("单位信息有误", f)
	}
	return u.Validate()
}

// describeUnitChanges says what an update changes, for the audit log; ""
// when nothing does.
func describeUnitChanges(t *orgTree, old, u *OrgUnit) string {
	var parts []string
	add := func(field, from, to string) {
		if from != to {
			parts = append(parts, fmt.Sprintf("%s：%s → %s", field, from, to))
		}
	}
	name := func(id string) string {
		if p := t.byID[id]; p != nil {
			return p.Name
		}
		return id
	}
	add("名称", old.Name, u.Name)
	add("类型", OrgKindNames[old.Kind], OrgKindNames[u.Kind])
	add("上级", name(old.ParentID), name(u.ParentID))
	add("负责人", old.Head, u.Head)
	return strings.Join(parts, "；")
}

// denyUnlessAdmin lets admins through; anyone else is refused, and a
// signed-in non-admin's attempt is written to the audit log.
func denyUnlessAdmin(ctx context.Context, audit *Auditor, action, objectType, objectID string) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHENTICATED, "请先登录")
	case a.IsAdmin():
		return nil
	}
	if err := audit.Record(ctx, action, objectType, objectID, OutcomeDenied, "需要系统管理员权限"); err != nil {
		return Internal(err)
	}
	return Errorf(EFORBIDDEN, "只有系统管理员可以进行此操作")
}

// OrgAdmin bundles the organisation administration services: the org
// tree, task forces, chains, user accounts and the audit log.
type OrgAdmin struct {
	Org        *OrgService
	TaskForces *TaskForceService
	Chains     *ChainService
	Users      *UserService
	AuditLog   *AuditLog
}

// NewOrgAdmin wires the organisation administration services over their
// stores, all writing to one audit log.
func NewOrgAdmin(org OrgStore, taskForces TaskForceStore, chains ChainStore, enterprises EnterpriseStore,
	users UserStore, sessions SessionStore, audit AuditStore, now func() time.Time) *OrgAdmin {
	if now == nil {
		now = time.Now
	}
	auditor := &Auditor{Store: audit, Now: now}
	tf := &TaskForceService{TaskForces: taskForces, Users: users, Enterprises: enterprises, Org: org, Audit: auditor}
	return &OrgAdmin{
		Org:        &OrgService{Org: org, Audit: auditor},
		TaskForces: tf,
		Chains:     &ChainService{Chains: chains, Users: users, Enterprises: enterprises, Org: org, Audit: auditor},
		Users: &UserService{Users: users, Sessions: sessions, Org: org, Chains: chains, Enterprises: enterprises,
			TaskForces: tf, Audit: auditor, Now: now},
		AuditLog: &AuditLog{Store: audit},
	}
}
