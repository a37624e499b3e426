package portal

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// EnterpriseDirectory is the enterprise store with the queries the
// enterprise service needs beyond EnterpriseStore: lists limited to what an
// actor may see, and the batch reads and writes of an import.
type EnterpriseDirectory interface {
	EnterpriseStore
	// FindEnterprisesAnyOf is FindEnterprises restricted to enterprises
	// that match at least one of anyOf; a nil anyOf restricts nothing and
	// an empty one matches nothing.
	FindEnterprisesAnyOf(ctx context.Context, f EnterpriseFilter, anyOf []EnterpriseFilter) ([]*Enterprise, int, error)
	// FindEnterprisesByUSCCs returns the enterprises holding any of codes.
	FindEnterprisesByUSCCs(ctx context.Context, codes []string) ([]*Enterprise, error)
	// InsertEnterprises stores new enterprises in one batch and returns, per
	// enterprise, nil or why it was refused (a USCC stored meanwhile).
	InsertEnterprises(ctx context.Context, es []*Enterprise) ([]error, error)
	// UpdateEnterprises writes the fields UpdateEnterprise writes, for many
	// enterprises at once.
	UpdateEnterprises(ctx context.Context, es []*Enterprise) error
}

// EnterpriseService reads and changes enterprises (一企一档) for an actor,
// showing each actor only the enterprises it is responsible for.
type EnterpriseService struct {
	Enterprises EnterpriseDirectory
	Org         OrgStore
	Users       UserStore
	Chains      ChainStore
	Audit       *Auditor
}

// NewEnterpriseService returns the service writing its audit entries to audit.
func NewEnterpriseService(ents EnterpriseDirectory, org OrgStore, users UserStore, chains ChainStore, audit AuditStore, now func() time.Time) *EnterpriseService {
	if now == nil {
		now = time.Now
	}
	return &EnterpriseService{Enterprises: ents, Org: org, Users: users, Chains: chains, Audit: &Auditor{Store: audit, Now: now}}
}

// Enterprise list paging.
const (
	DefaultEnterprisesPerPage = 20
	MaxEnterprisesPerPage     = 100
	// maxListPage caps the page number so that a probe cannot make the
	// database skip millions of rows.
	maxListPage = 10000
)

// EnterpriseQuery is what a caller asks of the enterprise list.
type EnterpriseQuery struct {
	Q       string // part of the name or the USCC
	ChainID string
	Page    int // from 1; 0 means 1
	PerPage int // 0 means DefaultEnterprisesPerPage
}

// EnterprisePage is one page of the enterprises an actor may see.
type EnterprisePage struct {
	Items   []*Enterprise `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
}

// Pages returns how many pages the list has (at least 1).
func (p *EnterprisePage) Pages() int {
	if p.PerPage <= 0 || p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// EnterpriseInput is what an admin sends to create an enterprise.
type EnterpriseInput struct {
	USCC             string   `json:"uscc"`
	Name             string   `json:"name"`
	Address          string   `json:"address"`
	SubdistrictID    string   `json:"subdistrict_id"`
	ParkID           string   `json:"park_id"`
	IndustrySection  string   `json:"industry_section"`
	IndustryDivision string   `json:"industry_division"`
	ContactName      string   `json:"contact_name"`
	ContactPhone     string   `json:"contact_phone"`
	LiaisonID        string   `json:"liaison_id"`
	ChainIDs         []string `json:"chain_ids"`
}

// EnterpriseUpdate changes an enterprise; nil fields stay as they are. The
// USCC is accepted only to say clearly that it cannot change.
type EnterpriseUpdate struct {
	USCC             *string   `json:"uscc"`
	Name             *string   `json:"name"`
	Address          *string   `json:"address"`
	SubdistrictID    *string   `json:"subdistrict_id"`
	ParkID           *string   `json:"park_id"`
	IndustrySection  *string   `json:"industry_section"`
	IndustryDivision *string   `json:"industry_division"`
	ContactName      *string   `json:"contact_name"`
	ContactPhone     *string   `json:"contact_phone"`
	LiaisonID        *string   `json:"liaison_id"`
	ChainIDs         *[]string `json:"chain_ids"`
}

// enterpriseFieldNames are the Chinese names of the enterprise's fields, as
// forms and the import template label them.
var enterpriseFieldNames = map[string]string{
	"uscc": "统一社会信用代码", "name": "企业名称", "address": "地址", "subdistrict_id": "街道",
	"park_id": "社区/园区", "industry_section": "行业门类", "industry_division": "行业大类",
	"contact_name": "联系人", "contact_phone": "联系电话", "liaison_id": "包干联络员", "chain_ids": "产业链",
}

// selfEditableFields are what an enterprise's own staff may change.
var selfEditableFields = []string{"address", "contact_name", "contact_phone"}

// errEnterpriseNotFound is what an actor learns of an enterprise it may not see.
var errEnterpriseNotFound = Errorf(ENOTFOUND, "企业不存在")

// enterpriseScope returns which enterprises a may see: all of them, or
// those matching any of the returned filters (none when the list is empty).
// Each role adds what it is responsible for; a pending actor holds no role.
func (s *EnterpriseService) enterpriseScope(ctx context.Context, a *Actor) (all bool, anyOf []EnterpriseFilter, err error) {
	anyOf = []EnterpriseFilter{}
	if a.Has(RoleAdmin) {
		return true, nil, nil
	}
	if a.Has(RoleEnterprise) && a.EnterpriseID != "" {
		anyOf = append(anyOf, EnterpriseFilter{IDs: []string{a.EnterpriseID}})
	}
	if a.Has(RoleLiaison) {
		id := a.UserID
		anyOf = append(anyOf, EnterpriseFilter{LiaisonID: &id})
	}
	if a.Has(RoleCommittee) && a.ChainID != "" {
		chain := a.ChainID
		anyOf = append(anyOf, EnterpriseFilter{ChainID: &chain})
	}
	if a.Has(RoleDispatcher) && a.UnitID != "" {
		units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{a.UnitID}})
		if err != nil {
			return false, nil, err
		}
		if len(units) == 1 && units[0].Kind == KindDistrict {
			// The whole district, including enterprises not yet placed in a sub-district.
			return true, nil, nil
		}
		if len(units) == 1 {
			subtree, err := UnitSubtree(ctx, s.Org, a.UnitID)
			if err != nil {
				return false, nil, err
			}
			anyOf = append(anyOf, EnterpriseFilter{UnitIn: subtree})
		}
	}
	return false, anyOf, nil
}

// matchesScope reports whether e matches one of the scope's filters, as the
// store would evaluate them.
func matchesScope(e *Enterprise, anyOf []EnterpriseFilter) bool {
	for _, f := range anyOf {
		switch {
		case f.IDs != nil && slices.Contains(f.IDs, e.ID):
			return true
		case f.LiaisonID != nil && e.LiaisonID != "" && e.LiaisonID == *f.LiaisonID:
			return true
		case f.ChainID != nil && slices.Contains(e.ChainIDs, *f.ChainID):
			return true
		case f.UnitIn != nil && ((e.SubdistrictID != "" && slices.Contains(f.UnitIn, e.SubdistrictID)) ||
			(e.ParkID != "" && slices.Contains(f.UnitIn, e.ParkID))):
			return true
		}
	}
	return false
}

// CanSee reports whether the actor in ctx may see e.
func (s *EnterpriseService) CanSee(ctx context.Context, e *Enterprise) (bool, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return false, nil
	}
	all, anyOf, err := s.enterpriseScope(ctx, a)
	if err != nil || all {
		return all, err
	}
	return matchesScope(e, anyOf), nil
}

// enterpriseActor returns the actor in ctx or the error for a visitor.
func enterpriseActor(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	return a, nil
}

// List returns one page of the enterprises the actor may see, by name.
func (s *EnterpriseService) List(ctx context.Context, q EnterpriseQuery) (*EnterprisePage, error) {
	a, err := enterpriseActor(ctx)
	if err != nil {
		return nil, err
	}
	q.Q = strings.TrimSpace(q.Q)
	f := map[string]string{}
	if utf8.RuneCountInString(q.Q) > 50 {
		f["q"] = "查询词不能超过 50 个字"
	}
	checkPaging(f, &q.Page, &q.PerPage, DefaultEnterprisesPerPage, MaxEnterprisesPerPage)
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	all, anyOf, err := s.enterpriseScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if all {
		anyOf = nil
	}
	filter := EnterpriseFilter{Q: q.Q, Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage}
	if q.ChainID != "" {
		filter.ChainID = &q.ChainID
	}
	items, total, err := s.Enterprises.FindEnterprisesAnyOf(ctx, filter, anyOf)
	if err != nil {
		return nil, err
	}
	return &EnterprisePage{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// Get returns the enterprise if the actor may see it, else ENOTFOUND.
func (s *EnterpriseService) Get(ctx context.Context, id string) (*Enterprise, error) {
	if _, err := enterpriseActor(ctx); err != nil {
		return nil, err
	}
	return findVisible(ctx, id, s.Enterprises.FindEnterpriseByID, s.CanSee, errEnterpriseNotFound)
}

// Create stores a new enterprise (admins only) after checking that its
// sub-district, community or park, liaison and chains exist and fit.
func (s *EnterpriseService) Create(ctx context.Context, in EnterpriseInput) (*Enterprise, error) {
	a, err := enterpriseActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "只有系统管理员可以新增企业")
	}
	e := &Enterprise{
		USCC: in.USCC, Name: in.Name, Address: in.Address, SubdistrictID: strings.TrimSpace(in.SubdistrictID),
		ParkID: strings.TrimSpace(in.ParkID), IndustrySection: in.IndustrySection, IndustryDivision: in.IndustryDivision,
		ContactName: in.ContactName, ContactPhone: in.ContactPhone, LiaisonID: strings.TrimSpace(in.LiaisonID),
		ChainIDs: in.ChainIDs,
	}
	if err := s.checkEnterprise(ctx, e); err != nil {
		return nil, err
	}
	if _, err := s.Enterprises.FindEnterpriseByUSCC(ctx, e.USCC); err == nil {
		return nil, &Error{Code: ECONFLICT, Message: "该统一社会信用代码的企业已登记", Fields: map[string]string{"uscc": "该统一社会信用代码已登记"}}
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	if err := s.Enterprises.CreateEnterprise(ctx, e); err != nil {
		if ErrorCode(err) == EINVALID && ErrorFields(err)["uscc"] != "" {
			// Registered by someone else between the check and the insert.
			return nil, &Error{Code: ECONFLICT, Message: "该统一社会信用代码的企业已登记", Fields: ErrorFields(err)}
		}
		return nil, err
	}
	if err := s.Audit.Record(ctx, "enterprise.create", "enterprise", e.ID, OutcomeOK, e.USCC+" "+e.Name); err != nil {
		return nil, Internal(err)
	}
	return e, nil
}

// Update changes an enterprise. Admins may change every field but the
// USCC; an enterprise's own staff only its address and contact; anyone
// else who may see it gets EFORBIDDEN, and everyone else ENOTFOUND.
func (s *EnterpriseService) Update(ctx context.Context, id string, upd EnterpriseUpdate) (*Enterprise, error) {
	e, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	sent := upd.fields()
	switch {
	case a.IsAdmin():
	case a.Has(RoleEnterprise) && a.EnterpriseID == e.ID:
		var refused []string
		fields := map[string]string{}
		for _, f := range sent {
			if !slices.Contains(selfEditableFields, f) {
				refused = append(refused, enterpriseFieldNames[f])
				fields[f] = "企业用户不能修改此项"
			}
		}
		if len(refused) > 0 {
			return nil, &Error{Code: EFORBIDDEN, Fields: fields,
				Message: "企业用户只能修改地址、联系人和联系电话，不能修改：" + strings.Join(refused, "、")}
		}
	default:
		return nil, Errorf(EFORBIDDEN, "您可以查看该企业，但无权修改其信息")
	}
	if upd.USCC != nil && NormalizeUSCC(*upd.USCC) != e.USCC {
		return nil, Invalid("统一社会信用代码登记后不能修改", map[string]string{"uscc": "统一社会信用代码不能修改"})
	}
	before := *e
	before.ChainIDs = slices.Clone(e.ChainIDs)
	upd.Apply(e)
	if err := s.checkEnterprise(ctx, e); err != nil {
		return nil, err
	}
	changed := enterpriseChanges(&before, e)
	if len(changed) == 0 {
		return e, nil
	}
	if err := s.Enterprises.UpdateEnterprise(ctx, e); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "enterprise.update", "enterprise", e.ID, OutcomeOK, "changed: "+strings.Join(changed, ", ")); err != nil {
		return nil, Internal(err)
	}
	return e, nil
}

// fields lists the JSON names of the fields the update sets.
func (u *EnterpriseUpdate) fields() []string {
	var out []string
	for name, set := range map[string]bool{
		"uscc": u.USCC != nil, "name": u.Name != nil, "address": u.Address != nil,
		"subdistrict_id": u.SubdistrictID != nil, "park_id": u.ParkID != nil,
		"industry_section": u.IndustrySection != nil, "industry_division": u.IndustryDivision != nil,
		"contact_name": u.ContactName != nil, "contact_phone": u.ContactPhone != nil,
		"liaison_id": u.LiaisonID != nil, "chain_ids": u.ChainIDs != nil,
	} {
		if set {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Apply copies the fields the update sets onto e, trimmed of spaces.
func (u *EnterpriseUpdate) Apply(e *Enterprise) {
	for _, p := range []struct {
		from *string
		to   *string
	}{
		{u.Name, &e.Name}, {u.Address, &e.Address}, {u.SubdistrictID, &e.SubdistrictID}, {u.ParkID, &e.ParkID},
		{u.IndustrySection, &e.IndustrySection}, {u.IndustryDivision, &e.IndustryDivision},
		{u.ContactName, &e.ContactName}, {u.ContactPhone, &e.ContactPhone}, {u.LiaisonID, &e.LiaisonID},
	} {
		if p.from != nil {
			*p.to = strings.TrimSpace(*p.from)
		}
	}
	if u.ChainIDs != nil {
		e.ChainIDs = slices.Clone(*u.ChainIDs)
	}
}

// enterpriseChanges names the registration fields that differ between a and b.
func enterpriseChanges(a, b *Enterprise) []string {
	var out []string
	for _, f := range []struct {
		name string
		x, y string
	}{
		{"name", a.Name, b.Name}, {"address", a.Address, b.Address}, {"district", a.District, b.District},
		{"subdistrict_id", a.SubdistrictID, b.SubdistrictID}, {"park_id", a.ParkID, b.ParkID},
		{"industry_section", a.IndustrySection, b.IndustrySection}, {"industry_division", a.IndustryDivision, b.IndustryDivision},
		{"contact_name", a.ContactName, b.ContactName}, {"contact_phone", a.ContactPhone, b.ContactPhone},
		{"liaison_id", a.LiaisonID, b.LiaisonID}, {"task_force_id", a.TaskForceID, b.TaskForceID},
	} {
		if f.x != f.y {
			out = append(out, f.name)
		}
	}
	if !slices.Equal(a.ChainIDs, b.ChainIDs) && (len(a.ChainIDs) > 0 || len(b.ChainIDs) > 0) {
		out = append(out, "chain_ids")
	}
	return out
}

// checkEnterprise normalises e, checks its own fields and its references,
// and derives the district and task force from them. Every problem found
// is reported at once, each under its field.
func (s *EnterpriseService) checkEnterprise(ctx context.Context, e *Enterprise) error {
	e.Normalize()
	fields := map[string]string{}
	if err := e.Validate(); err != nil {
		if ErrorCode(err) != EINVALID {
			return err
		}
		for k, v := range ErrorFields(err) {
			fields[k] = v
		}
	}
	if err := s.checkPlace(ctx, e, fields); err != nil {
		return err
	}
	if err := s.checkLiaison(ctx, e, fields); err != nil {
		return err
	}
	if err := s.checkChains(ctx, e, fields); err != nil {
		return err
	}
	if len(fields) > 0 {
		return Invalid("企业信息有误", fields)
	}
	return nil
}

// checkPlace checks the sub-district (tier B) and the community or park
// (tier C under that sub-district), and sets the district's name.
func (s *EnterpriseService) checkPlace(ctx context.Context, e *Enterprise, fields map[string]string) error {
	if e.SubdistrictID == "" {
		if e.ParkID != "" {
			fields["park_id"] = "请先选择所属街道，再选择社区或园区"
		}
		return nil
	}
	ids := []string{e.SubdistrictID}
	if e.ParkID != "" {
		ids = append(ids, e.ParkID)
	}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: ids})
	if err != nil {
		return err
	}
	byID := map[string]*OrgUnit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	sub := byID[e.SubdistrictID]
	if sub == nil || sub.Kind != KindSubdistrict || sub.Tier != TierB {
		fields["subdistrict_id"] = "所属街道不存在或不是街道"
		return nil
	}
	if e.ParkID != "" {
		park := byID[e.ParkID]
		switch {
		case park == nil || park.Tier != TierC || (park.Kind != KindCommunity && park.Kind != KindPark):
			fields["park_id"] = "所属社区/园区不存在或不是社区、园区"
		case park.ParentID != sub.ID:
			fields["park_id"] = fmt.Sprintf("%s不属于%s", park.Name, sub.Name)
		}
	}
	if root, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{sub.ParentID}}); err != nil {
		return err
	} else if len(root) == 1 && root[0].Kind == KindDistrict {
		e.District = root[0].Name
	}
	return nil
}

// checkLiaison checks that the liaison holds the liaison role and takes
// the enterprise's task force from the liaison's.
func (s *EnterpriseService) checkLiaison(ctx context.Context, e *Enterprise, fields map[string]string) error {
	if e.LiaisonID == "" {
		e.TaskForceID = ""
		return nil
	}
	u, err := s.Users.FindUserByID(ctx, e.LiaisonID)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		fields["liaison_id"] = "包干联络员不存在"
	case err != nil:
		return err
	case !slices.Contains(u.Roles, RoleLiaison) || u.Status == UserDisabled:
		fields["liaison_id"] = u.DisplayName + " 不是在岗的专班联络员"
	default:
		e.TaskForceID = u.TaskForceID
	}
	return nil
}

// checkChains drops repeated chain ids and checks that each chain exists.
func (s *EnterpriseService) checkChains(ctx context.Context, e *Enterprise, fields map[string]string) error {
	var ids []string
	for _, id := range e.ChainIDs {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	e.ChainIDs = ids
	if len(ids) == 0 {
		return nil
	}
	chains, err := s.Chains.FindChains(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(chains, func(c *Chain) bool { return c.ID == id }) {
			fields["chain_ids"] = "产业链不存在：" + id
		}
	}
	return nil
}

// EnterpriseChoices are what enterprise pages offer and name: org units,
// chains and liaisons.
type EnterpriseChoices struct {
	Subdistricts []*OrgUnit
	Grassroots   []*OrgUnit // communities and parks, by tier and name
	Chains       []*Chain
	Liaisons     []*User // those who may take enterprises

	UnitNames    map[string]string
	ChainNames   map[string]string
	LiaisonNames map[string]string
}

// Choices returns the org units, chains and liaisons enterprise forms
// choose from, for a signed-in actor.
func (s *EnterpriseService) Choices(ctx context.Context) (*EnterpriseChoices, error) {
	if _, err := enterpriseActor(ctx); err != nil {
		return nil, err
	}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	ch := &EnterpriseChoices{UnitNames: map[string]string{}, ChainNames: map[string]string{}, LiaisonNames: map[string]string{}}
	for _, u := range units {
		ch.UnitNames[u.ID] = u.Name
		switch {
		case u.Kind == KindSubdistrict && u.Tier == TierB:
			ch.Subdistricts = append(ch.Subdistricts, u)
		case (u.Kind == KindCommunity || u.Kind == KindPark) && u.Tier == TierC:
			ch.Grassroots = append(ch.Grassroots, u)
		}
	}
	if ch.Chains, err = s.Chains.FindChains(ctx); err != nil {
		return nil, err
	}
	for _, c := range ch.Chains {
		ch.ChainNames[c.ID] = c.Name
	}
	role := RoleLiaison
	liaisons, _, err := s.Users.FindUsers(ctx, UserFilter{Role: &role})
	if err != nil {
		return nil, err
	}
	for _, u := range liaisons {
		// A disabled liaison still names its old enterprises but takes no new ones.
		ch.LiaisonNames[u.ID] = u.DisplayName
		if u.Status != UserDisabled {
			ch.Liaisons = append(ch.Liaisons, u)
		}
	}
	return ch, nil
}

// RequireAdmin answers EFORBIDDEN unless the actor in ctx may create and
// import enterprises.
func (s *EnterpriseService) RequireAdmin(ctx context.Context) error {
	a, err := enterpriseActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		return Errorf(EFORBIDDEN, "只有系统管理员可以新增和导入企业")
	}
	return nil
}

// ImportTemplate returns the import template as "xlsx" or "csv" (admins only).
func (s *EnterpriseService) ImportTemplate(ctx context.Context, format string) ([]byte, error) {
	if err := s.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	switch format {
	case "csv":
		return ImportTemplateCSV(), nil
	case "xlsx":
		b, err := ImportTemplateXLSX()
		if err != nil {
			return nil, Internal(err)
		}
		return b, nil
	default:
		return nil, Errorf(ENOTFOUND, "没有该格式的模板")
	}
}
