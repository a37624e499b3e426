package portal

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// CategoryLister reads the whole taxonomy, inactive categories included.
type CategoryLister interface {
	CategoryCatalog
	// AllCategories returns every category in display order.
	AllCategories(ctx context.Context) ([]*Category, error)
}

// EnterpriseFinder returns an enterprise the actor in ctx may see and
// ENOTFOUND for any other (EnterpriseService does this).
type EnterpriseFinder interface {
	Get(ctx context.Context, id string) (*Enterprise, error)
}

// RoutingService keeps the routing rules and answers where a request
// should go. Admins edit the rules; dispatchers read them and try samples
// in the console; the request service asks Suggest.
type RoutingService struct {
	Store       RoutingRuleStore
	Org         OrgStore
	Categories  CategoryLister
	Enterprises EnterpriseFinder // for the console's samples; may be nil: samples by region only
	Audit       *Auditor
	Now         func() time.Time
}

var _ Router = (*RoutingService)(nil)

// Routing rule limits.
const (
	// MaxRoutingRules caps the table: rules are matched in memory, and a
	// district needs tens of them, not thousands.
	MaxRoutingRules = 500
	// DefaultRoutingPriority is the priority of a rule created without one.
	DefaultRoutingPriority = 100
	// MaxRoutingPriority is the largest priority a rule may have.
	MaxRoutingPriority = 9999
	// DefaultRulesPerPage and MaxRulesPerPage bound a page of the list.
	DefaultRulesPerPage = 20
	MaxRulesPerPage     = 100
)

// RoutingRuleInput is what an admin sends to create or change a rule.
type RoutingRuleInput struct {
	Name         string      `json:"name"`
	Category     string      `json:"category"`
	RegionID     string      `json:"region_id"`
	Type         RequestType `json:"type"`
	Priority     *int        `json:"priority"` // nil: DefaultRoutingPriority on create, unchanged on update
	Target       RouteTarget `json:"target"`
	DepartmentID string      `json:"department_id"` // TargetUnit only; ignored for the relative targets
	Tier         Tier        `json:"tier"`          // optional: when given it must be the target's tier
	Enabled      *bool       `json:"enabled"`       // nil: enabled on create, unchanged on update
	Version      int         `json:"version"`       // update only: the version the change was made on
}

// RoutingRuleView is a rule with the names an admin reads and its place
// in the order rules are tried.
type RoutingRuleView struct {
	*RoutingRule
	Order        int    `json:"order"` // 1-based position among all rules
	CategoryName string `json:"category_name,omitempty"`
	TypeName     string `json:"type_name,omitempty"`
	RegionName   string `json:"region_name,omitempty"`
	TargetName   string `json:"target_name"` // the department's name, or the relative target's
}

// RoutingQuery is what an admin asks of the rule list.
type RoutingQuery struct {
	Q        string // part of the name, category, region or department
	Category string
	Page     int
	PerPage  int
}

// RoutingRulePage is one page of rules in the order they are tried.
type RoutingRulePage struct {
	Items   []*RoutingRuleView `json:"items"`
	Total   int                `json:"total"`
	Page    int                `json:"page"`
	PerPage int                `json:"per_page"`
}

// Pages returns how many pages the list has.
func (p *RoutingRulePage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

var errRuleNotFound = Errorf(ENOTFOUND, "分拨规则不存在")

func (s *RoutingService) now() time.Time { return s.Now().UTC() }

// denyUnlessRouting lets admins and dispatchers read the rules and use the
// console; dispatchers need them to understand a suggestion.
func denyUnlessRouting(ctx context.Context) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHENTICATED, "请先登录")
	case a.Pending:
		return Errorf(EFORBIDDEN, "您的账号正在等待审核，审核通过后才能使用此功能")
	case !a.HasAny(RoleAdmin, RoleDispatcher):
		return Errorf(EFORBIDDEN, "只有系统管理员和分拨员可以查看分拨规则")
	}
	return nil
}

// routingContext is what naming and ordering rules needs, read once.
type routingContext struct {
	tree  unitMap
	cats  map[string]*Category
	rules []*RoutingRule // in the order they are tried
}

func (s *RoutingService) load(ctx context.Context, f RoutingRuleFilter) (*routingContext, error) {
	tree, err := loadUnitMap(ctx, s.Org)
	if err != nil {
		return nil, err
	}
	all, err := s.Categories.AllCategories(ctx)
	if err != nil {
		return nil, err
	}
	rc := &routingContext{tree: tree, cats: make(map[string]*Category, len(all))}
	for _, c := range all {
		rc.cats[c.Code] = c
	}
	if rc.rules, err = s.Store.FindRoutingRules(ctx, f); err != nil {
		return nil, err
	}
	sortRules(rc.rules, tree)
	return rc, nil
}

func (rc *routingContext) categoryName(code string) string {
	if c := rc.cats[code]; c != nil {
		return c.Name
	}
	return code
}

func (rc *routingContext) view(r *RoutingRule, order int) *RoutingRuleView {
	v := &RoutingRuleView{RoutingRule: r, Order: order, TypeName: RequestTypeNames[r.Type]}
	if r.Category != "" {
		v.CategoryName = rc.categoryName(r.Category)
	}
	if r.RegionID != "" {
		v.RegionName = rc.tree.name(r.RegionID)
	}
	if r.Target == TargetUnit {
		v.TargetName = rc.tree.name(r.DepartmentID)
	} else {
		v.TargetName = RouteTargetNames[r.Target]
	}
	return v
}

// List returns one page of rules in the order they are tried (admins and
// dispatchers). The table is small and ordered by specificity, which
// depends on the org tree, so it is filtered and paged after reading it.
func (s *RoutingService) List(ctx context.Context, q RoutingQuery) (*RoutingRulePage, error) {
	if err := denyUnlessRouting(ctx); err != nil {
		return nil, err
	}
	f := map[string]string{}
	qt, ok := cleanText(q.Q)
	if !ok || utf8.RuneCountInString(qt) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	}
	if len(q.Category) > 64 {
		f["category"] = "未知的诉求分类"
	}
	checkPaging(f, &q.Page, &q.PerPage, DefaultRulesPerPage, MaxRulesPerPage)
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	rc, err := s.load(ctx, RoutingRuleFilter{})
	if err != nil {
		return nil, err
	}
	var match []*RoutingRuleView
	for i, r := range rc.rules {
		v := rc.view(r, i+1)
		if q.Category != "" && r.Category != q.Category {
			continue
		}
		if qt != "" && !strings.Contains(v.Name, qt) && !strings.Contains(v.CategoryName, qt) &&
			!strings.Contains(v.RegionName, qt) && !strings.Contains(v.TargetName, qt) {
			continue
		}
		match = append(match, v)
	}
	items := pageSlice(match, (q.Page-1)*q.PerPage, q.PerPage)
	return &RoutingRulePage{Items: items, Total: len(match), Page: q.Page, PerPage: q.PerPage}, nil
}

// RequireAdmin answers EFORBIDDEN unless the actor may edit rules, so a
// page can refuse a form before it is filled in.
func (s *RoutingService) RequireAdmin(ctx context.Context) error {
	err := denyUnlessAdminRead(ctx)
	if IsCode(err, EFORBIDDEN) {
		return Errorf(EFORBIDDEN, "只有系统管理员可以修改分拨规则")
	}
	return err
}

// Get returns one rule (admins).
func (s *RoutingService) Get(ctx context.Context, id string) (*RoutingRuleView, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, err
	}
	rc, err := s.load(ctx, RoutingRuleFilter{})
	if err != nil {
		return nil, err
	}
	for i, r := range rc.rules {
		if r.ID == id {
			return rc.view(r, i+1), nil
		}
	}
	return nil, errRuleNotFound
}

// Create adds a rule (admins).
func (s *RoutingService) Create(ctx context.Context, in RoutingRuleInput) (*RoutingRuleView, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "routing.create", "routing_rule", ""); err != nil {
		return nil, err
	}
	r := &RoutingRule{ID: NewID(), Priority: DefaultRoutingPriority, Enabled: true}
	rc, err := s.check(ctx, r, in)
	if err != nil {
		return nil, err
	}
	if len(rc.rules) >= MaxRoutingRules {
		return nil, Errorf(EUNPROCESSABLE, "分拨规则已达上限 %d 条，请先合并或删除不用的规则", MaxRoutingRules)
	}
	now := s.now()
	r.Version, r.CreatedAt, r.UpdatedAt, r.UpdatedBy = 1, now, now, ActorFrom(ctx).Name()
	if err := s.Store.CreateRoutingRule(ctx, r); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "routing.create", "routing_rule", r.ID, OutcomeOK, r.Name); err != nil {
		return nil, Internal(err)
	}
	return s.viewOf(ctx, r)
}

// Update changes a rule made on version in.Version (admins); a rule
// changed meanwhile answers ECONFLICT.
func (s *RoutingService) Update(ctx context.Context, id string, in RoutingRuleInput) (*RoutingRuleView, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "routing.update", "routing_rule", id); err != nil {
		return nil, err
	}
	old, err := s.find(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Version == 0 {
		return nil, Invalid("分拨规则信息有误", map[string]string{"version": "缺少版本号，请刷新后重试"})
	}
	if in.Version != old.Version {
		return nil, &Error{Code: ECONFLICT, Message: "分拨规则刚被他人修改，请刷新后重试",
			Fields: map[string]string{"version": fmt.Sprint(old.Version)}}
	}
	r := *old
	if _, err := s.check(ctx, &r, in); err != nil {
		return nil, err
	}
	changes := ruleChanges(old, &r)
	if len(changes) == 0 {
		return s.viewOf(ctx, old)
	}
	r.UpdatedAt, r.UpdatedBy = s.now(), ActorFrom(ctx).Name()
	if err := s.Store.UpdateRoutingRule(ctx, &r, old.Version); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "routing.update", "routing_rule", r.ID, OutcomeOK, r.Name+"："+strings.Join(changes, "；")); err != nil {
		return nil, Internal(err)
	}
	return s.viewOf(ctx, &r)
}

// Delete removes a rule (admins). With version > 0 the rule must still be
// at that version; either way a change racing the delete wins or loses
// as a whole.
func (s *RoutingService) Delete(ctx context.Context, id string, version int) error {
	if err := denyUnlessAdmin(ctx, s.Audit, "routing.delete", "routing_rule", id); err != nil {
		return err
	}
	old, err := s.find(ctx, id)
	if err != nil {
		return err
	}
	if version < 0 {
		return Invalid("分拨规则信息有误", map[string]string{"version": "版本号不正确"})
	}
	if version > 0 && version != old.Version {
		return &Error{Code: ECONFLICT, Message: "分拨规则刚被他人修改，请刷新后重试",
			Fields: map[string]string{"version": fmt.Sprint(old.Version)}}
	}
	if err := s.Store.DeleteRoutingRule(ctx, id, old.Version); err != nil {
		return err
	}
	if err := s.Audit.Record(ctx, "routing.delete", "routing_rule", id, OutcomeOK, old.Name); err != nil {
		return Internal(err)
	}
	return nil
}

func (s *RoutingService) find(ctx context.Context, id string) (*RoutingRule, error) {
	if id == "" || len(id) > 64 {
		return nil, errRuleNotFound
	}
	r, err := s.Store.FindRoutingRuleByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return nil, errRuleNotFound
	}
	return r, err
}

// viewOf names r and places it among the stored rules.
func (s *RoutingService) viewOf(ctx context.Context, r *RoutingRule) (*RoutingRuleView, error) {
	rc, err := s.load(ctx, RoutingRuleFilter{})
	if err != nil {
		return nil, err
	}
	for i, x := range rc.rules {
		if x.ID == r.ID {
			return rc.view(r, i+1), nil
		}
	}
	return rc.view(r, 0), nil
}

// check fills r from in and validates it; it returns what it read so the
// caller need not read it again.
func (s *RoutingService) check(ctx context.Context, r *RoutingRule, in RoutingRuleInput) (*routingContext, error) {
	rc, err := s.load(ctx, RoutingRuleFilter{})
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	r.Name = checkText(f, "name", "规则名称", in.Name, 2, 40)
	r.Category = strings.TrimSpace(in.Category)
	r.RegionID = strings.TrimSpace(in.RegionID)
	r.Type = in.Type
	r.Target = in.Target
	var cat *Category
	if r.Category != "" {
		if cat = rc.cats[r.Category]; cat == nil {
			f["category"] = "未知的诉求分类"
		}
	}
	if r.Type != "" {
		if _, ok := RequestTypeNames[r.Type]; !ok {
			f["type"] = "未知的诉求类型"
		} else if cat != nil && !cat.Allows(r.Type) {
			f["type"] = fmt.Sprintf("分类“%s”不受理%s类诉求", cat.Name, RequestTypeNames[r.Type])
		}
	}
	if r.RegionID != "" && !isRegion(rc.tree[r.RegionID]) {
		f["region_id"] = "适用区域必须是街道、社区或园区"
	}
	if in.Priority != nil {
		r.Priority = *in.Priority
	}
	if r.Priority < 1 || r.Priority > MaxRoutingPriority {
		f["priority"] = fmt.Sprintf("优先级应为 1–%d 的整数，数字小的先匹配", MaxRoutingPriority)
	}
	if in.Enabled != nil {
		r.Enabled = *in.Enabled
	}
	r.DepartmentID = ""
	switch r.Target {
	case TargetUnit:
		dept := strings.TrimSpace(in.DepartmentID)
		u := rc.tree[dept]
		switch {
		case dept == "":
			f["department_id"] = "请选择承办单位"
		case u == nil:
			f["department_id"] = "承办单位不存在"
		case u.Kind == KindDistrict || !u.Tier.Valid():
			f["department_id"] = "承办单位必须是有层级的区直部门、街道、社区或园区，不能是区本级"
		default:
			r.DepartmentID, r.Tier = u.ID, u.Tier
		}
	case TargetOwnSubdistrict:
		r.Tier = TierB
	case TargetOwnPark:
		r.Tier = TierC
	default:
		f["target"] = "请选择分拨去向：指定承办单位、企业所在街道或企业所在社区园区"
	}
	if in.Tier != "" && !in.Tier.Valid() {
		f["tier"] = "层级必须是 A、B 或 C"
	} else if in.Tier != "" && r.Tier.Valid() && in.Tier != r.Tier && f["department_id"] == "" {
		f["tier"] = fmt.Sprintf("所选去向属于 %s 级，与填写的 %s 级不符", r.Tier, in.Tier)
	}
	if len(f) > 0 {
		return nil, Invalid("分拨规则信息有误", f)
	}
	return rc, nil
}

// ruleChanges describes, for the audit log, what changed between a and b.
func ruleChanges(a, b *RoutingRule) []string {
	var out []string
	for _, c := range []struct{ what, from, to string }{
		{"名称", a.Name, b.Name}, {"分类", a.Category, b.Category}, {"区域", a.RegionID, b.RegionID},
		{"类型", string(a.Type), string(b.Type)}, {"优先级", fmt.Sprint(a.Priority), fmt.Sprint(b.Priority)},
		{"去向", string(a.Target), string(b.Target)}, {"承办单位", a.DepartmentID, b.DepartmentID},
		{"启用", fmt.Sprint(a.Enabled), fmt.Sprint(b.Enabled)},
	} {
		if c.from != c.to {
			out = append(out, fmt.Sprintf("%s %s → %s", c.what, c.from, c.to))
		}
	}
	return out
}

// Suggest returns the route of the first enabled rule the request hits,
// nil when none does.
func (s *RoutingService) Suggest(ctx context.Context, req *Request) (*RouteSuggestion, error) {
	rc, err := s.load(ctx, RoutingRuleFilter{Category: req.Category, EnabledOnly: true})
	if err != nil {
		return nil, err
	}
	sample := RouteSample{Category: req.Category, Type: req.Type, SubdistrictID: req.SubdistrictID, ParkID: req.ParkID}
	for _, r := range rc.rules {
		if len(r.misses(sample, rc.tree, rc.categoryName)) > 0 {
			continue
		}
		if u, _ := r.resolve(sample, rc.tree); u != nil {
			return r.suggestion(u), nil
		}
	}
	return nil, nil
}

// RouteTestInput is a sample request for the console: its category and
// type, and either the enterprise it comes from or a region.
type RouteTestInput struct {
	Category     string      `json:"category"`
	Type         RequestType `json:"type"`
	EnterpriseID string      `json:"enterprise_id"`
	RegionID     string      `json:"region_id"`
}

// RouteTestSample is the sample as the console understood it.
type RouteTestSample struct {
	Category        string      `json:"category"`
	CategoryName    string      `json:"category_name"`
	Type            RequestType `json:"type"`
	TypeName        string      `json:"type_name"`
	EnterpriseID    string      `json:"enterprise_id,omitempty"`
	EnterpriseName  string      `json:"enterprise_name,omitempty"`
	SubdistrictID   string      `json:"subdistrict_id,omitempty"`
	SubdistrictName string      `json:"subdistrict_name,omitempty"`
	ParkID          string      `json:"park_id,omitempty"`
	ParkName        string      `json:"park_name,omitempty"`
}

// Outcomes of a rule in the console.
const (
	CandidateHit        = "hit"        // the rule the sample hits
	CandidateShadowed   = "shadowed"   // matches, but an earlier rule is hit first
	CandidateMiss       = "miss"       // a condition does not fit
	CandidateDisabled   = "disabled"   // switched off
	CandidateUnresolved = "unresolved" // matches, but its target cannot be found for the sample
)

// CandidateOutcomeNames are the Chinese names of the outcomes.
var CandidateOutcomeNames = map[string]string{
	CandidateHit: "命中", CandidateShadowed: "符合但排在后面", CandidateMiss: "不符合",
	CandidateDisabled: "已停用", CandidateUnresolved: "符合但找不到承办单位",
}

// RouteCandidate is one rule in the console: what became of it and why.
type RouteCandidate struct {
	Rule    *RoutingRuleView `json:"rule"`
	Outcome string           `json:"outcome"`
	Reasons []string         `json:"reasons"`
}

// RouteTestResult is the console's answer: the hit (nil when no rule
// matches) and every rule in the order tried, with why it did or did not
// match.
type RouteTestResult struct {
	Sample     RouteTestSample   `json:"sample"`
	Hit        *RouteSuggestion  `json:"hit"`
	Candidates []*RouteCandidate `json:"candidates"`
}

// Test shows which rule a sample request would hit and why every rule
// did or did not (admins and dispatchers).
func (s *RoutingService) Test(ctx context.Context, in RouteTestInput) (*RouteTestResult, error) {
	if err := denyUnlessRouting(ctx); err != nil {
		return nil, err
	}
	rc, err := s.load(ctx, RoutingRuleFilter{})
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	in.Category, in.EnterpriseID, in.RegionID = strings.TrimSpace(in.Category), strings.TrimSpace(in.EnterpriseID), strings.TrimSpace(in.RegionID)
	smp := RouteTestSample{Category: in.Category, Type: in.Type, TypeName: RequestTypeNames[in.Type]}
	cat := rc.cats[in.Category]
	switch {
	case in.Category == "":
		f["category"] = "请选择诉求分类"
	case cat == nil:
		f["category"] = "未知的诉求分类"
	default:
		smp.CategoryName = cat.Name
	}
	if _, ok := RequestTypeNames[in.Type]; !ok {
		f["type"] = "请选择诉求类型：咨询、求助、投诉或建议"
	}
	var sample RouteSample
	switch {
	case in.EnterpriseID != "" && in.RegionID != "":
		f["region_id"] = "企业和区域只能选一个：选了企业就按企业的所在地匹配"
	case in.EnterpriseID != "":
		var e *Enterprise
		if s.Enterprises != nil && len(in.EnterpriseID) <= 64 {
			e, err = s.Enterprises.Get(ctx, in.EnterpriseID)
			if err != nil && !IsCode(err, ENOTFOUND) {
				return nil, err
			}
		}
		if e == nil {
			f["enterprise_id"] = "企业不存在或不在您的负责范围内"
			break
		}
		smp.EnterpriseID, smp.EnterpriseName = e.ID, e.Name
		sample.SubdistrictID, sample.ParkID = e.SubdistrictID, e.ParkID
	case in.RegionID != "":
		u := rc.tree[in.RegionID]
		if !isRegion(u) {
			f["region_id"] = "区域必须是街道、社区或园区"
			break
		}
		if u.Kind == KindSubdistrict {
			sample.SubdistrictID = u.ID
		} else {
			sample.SubdistrictID, sample.ParkID = u.ParentID, u.ID
		}
	default:
		f["enterprise_id"] = "请选择企业，或选择一个区域"
	}
	if len(f) > 0 {
		return nil, Invalid("样本诉求有误", f)
	}
	sample.Category, sample.Type = in.Category, in.Type
	if sample.SubdistrictID != "" {
		smp.SubdistrictID, smp.SubdistrictName = sample.SubdistrictID, rc.tree.name(sample.SubdistrictID)
	}
	if sample.ParkID != "" {
		smp.ParkID, smp.ParkName = sample.ParkID, rc.tree.name(sample.ParkID)
	}
	res := &RouteTestResult{Sample: smp, Candidates: []*RouteCandidate{}}
	for i, r := range rc.rules {
		c := &RouteCandidate{Rule: rc.view(r, i+1), Reasons: r.misses(sample, rc.tree, rc.categoryName)}
		switch {
		case !r.Enabled:
			c.Outcome = CandidateDisabled
			c.Reasons = append([]string{"规则已停用，不参与匹配"}, c.Reasons...)
		case len(c.Reasons) > 0:
			c.Outcome = CandidateMiss
		default:
			u, why := r.resolve(sample, rc.tree)
			switch {
			case u == nil:
				c.Outcome, c.Reasons = CandidateUnresolved, []string{"条件都符合，但" + why + "，继续尝试下一条"}
			case res.Hit == nil:
				res.Hit = r.suggestion(u)
				c.Outcome, c.Reasons = CandidateHit, []string{fmt.Sprintf("条件都符合，分拨到 %s（%s 级）", u.Name, u.Tier)}
			default:
				c.Outcome, c.Reasons = CandidateShadowed, []string{fmt.Sprintf("条件都符合，但第 %d 条规则先命中", rc.position(res.Hit.RuleID))}
			}
		}
		res.Candidates = append(res.Candidates, c)
	}
	return res, nil
}

// position returns the 1-based place of rule id in the order rules are tried.
func (rc *routingContext) position(id string) int {
	for i, r := range rc.rules {
		if r.ID == id {
			return i + 1
		}
	}
	return 0
}
