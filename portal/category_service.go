package portal

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// CategoryAdminStore persists the taxonomy for its admins.
type CategoryAdminStore interface {
	CategoryLister
	// CreateCategory stores a new category; ECONFLICT when its code is taken.
	CreateCategory(ctx context.Context, c *Category) error
	// SaveCategory replaces the category with c's code.
	SaveCategory(ctx context.Context, c *Category) error
}

// CategoryService lets admins edit the request taxonomy. Categories are
// never deleted: a category that is no longer wanted is deactivated, so
// new requests cannot use it while old ones keep their readable name.
type CategoryService struct {
	Store CategoryAdminStore
	Audit *Auditor
}

// CategoryInput is what an admin sends to create or change a category.
type CategoryInput struct {
	Code   string        `json:"code"` // create only; a code never changes
	Name   string        `json:"name"`
	Types  []RequestType `json:"types"`
	Order  *int          `json:"order"`  // nil: after the last on create, unchanged on update
	Active *bool         `json:"active"` // nil: active on create, unchanged on update
}

// AdminCategory is a category as admins see it, with its order and state.
type AdminCategory struct {
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Types     []RequestType `json:"types"`
	TypeNames []string      `json:"type_names"`
	Order     int           `json:"order"`
	Active    bool          `json:"active"`
}

// MaxCategoryOrder bounds a category's display order.
const MaxCategoryOrder = 9999

var categoryCode = regexp.MustCompile(`^[a-z0-9_-]{2,32}$`)

func adminCategory(c *Category) *AdminCategory {
	out := &AdminCategory{Code: c.Code, Name: c.Name, Types: c.Types, TypeNames: []string{}, Order: c.Order, Active: c.Active}
	for _, t := range c.Types {
		out.TypeNames = append(out.TypeNames, RequestTypeNames[t])
	}
	return out
}

// List returns every category, active or not, in display order (admins).
func (s *CategoryService) List(ctx context.Context) ([]*AdminCategory, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, err
	}
	all, err := s.Store.AllCategories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*AdminCategory, 0, len(all))
	for _, c := range all {
		out = append(out, adminCategory(c))
	}
	return out, nil
}

// Get returns one category, active or not (admins).
func (s *CategoryService) Get(ctx context.Context, code string) (*AdminCategory, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, err
	}
	c, err := s.find(ctx, code)
	if err != nil {
		return nil, err
	}
	return adminCategory(c), nil
}

func (s *CategoryService) find(ctx context.Context, code string) (*Category, error) {
	if !categoryCode.MatchString(code) {
		return nil, Errorf(ENOTFOUND, "诉求分类不存在")
	}
	return s.Store.CategoryByCode(ctx, code)
}

// Create adds a category (admins).
func (s *CategoryService) Create(ctx context.Context, in CategoryInput) (*AdminCategory, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "category.create", "category", ""); err != nil {
		return nil, err
	}
	all, err := s.Store.AllCategories(ctx)
	if err != nil {
		return nil, err
	}
	c := &Category{Code: strings.TrimSpace(in.Code), Active: true}
	for _, x := range all {
		c.Order = max(c.Order, x.Order+10)
	}
	f := map[string]string{}
	switch {
	case !categoryCode.MatchString(c.Code):
		f["code"] = "分类代码应为 2–32 位小写字母、数字、下划线或连字符"
	case slices.ContainsFunc(all, func(x *Category) bool { return x.Code == c.Code }):
		f["code"] = "分类代码已存在"
	}
	s.fill(c, in, all, f)
	if len(f) > 0 {
		return nil, Invalid("诉求分类信息有误", f)
	}
	if err := s.Store.CreateCategory(ctx, c); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "category.create", "category", c.Code, OutcomeOK, c.Name); err != nil {
		return nil, Internal(err)
	}
	return adminCategory(c), nil
}

// Update changes a category's name, types, order or state (admins); its
// code stays.
func (s *CategoryService) Update(ctx context.Context, code string, in CategoryInput) (*AdminCategory, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "category.update", "category", code); err != nil {
		return nil, err
	}
	old, err := s.find(ctx, code)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.AllCategories(ctx)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	if c := strings.TrimSpace(in.Code); c != "" && c != code {
		f["code"] = "分类代码创建后不能修改"
	}
	c := *old
	s.fill(&c, in, all, f)
	if len(f) > 0 {
		return nil, Invalid("诉求分类信息有误", f)
	}
	var changes []string
	for _, ch := range []struct{ what, from, to string }{
		{"名称", old.Name, c.Name}, {"类型", fmt.Sprint(old.Types), fmt.Sprint(c.Types)},
		{"排序", fmt.Sprint(old.Order), fmt.Sprint(c.Order)}, {"启用", fmt.Sprint(old.Active), fmt.Sprint(c.Active)},
	} {
		if ch.from != ch.to {
			changes = append(changes, fmt.Sprintf("%s %s → %s", ch.what, ch.from, ch.to))
		}
	}
	if len(changes) == 0 {
		return adminCategory(old), nil
	}
	if err := s.Store.SaveCategory(ctx, &c); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "category.update", "category", c.Code, OutcomeOK, c.Name+"："+strings.Join(changes, "；")); err != nil {
		return nil, Internal(err)
	}
	return adminCategory(&c), nil
}

// fill sets c's editable fields from in and notes what is wrong in f.
func (s *CategoryService) fill(c *Category, in CategoryInput, all []*Category, f map[string]string) {
	c.Name = checkText(f, "name", "分类名称", in.Name, 2, 20)
	if _, bad := f["name"]; !bad {
		for _, x := range all {
			if x.Code != c.Code && x.Name == c.Name {
				f["name"] = "已有同名的分类"
			}
		}
	}
	types := []RequestType{}
	for _, t := range in.Types {
		if _, ok := RequestTypeNames[t]; !ok {
			f["types"] = "未知的诉求类型"
		}
	}
	// Keep the form order whatever order the types were sent in.
	for _, t := range RequestTypes {
		if slices.Contains(in.Types, t) {
			types = append(types, t)
		}
	}
	if _, bad := f["types"]; !bad && len(types) == 0 {
		f["types"] = "至少选择一种可受理的诉求类型"
	}
	c.Types = types
	if in.Order != nil {
		c.Order = *in.Order
		if c.Order < 0 || c.Order > MaxCategoryOrder {
			f["order"] = fmt.Sprintf("排序应为 0–%d 的整数，数字小的排在前面", MaxCategoryOrder)
		}
	}
	if in.Active != nil {
		c.Active = *in.Active
	}
}
