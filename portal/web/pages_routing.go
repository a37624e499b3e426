package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// routingPageRoutes registers /admin/routing (the rule list and the
// console, for admins and dispatchers; the forms for admins) and
// /admin/categories (admins).
func (s *Server) routingPageRoutes() {
	e := s.engine
	e.GET("/admin/routing", s.adminRoutingPage)
	e.POST("/admin/routing", s.adminRoutingSubmit)
	e.GET("/admin/routing/new", s.adminRoutingNewPage)
	e.GET("/admin/routing/:id", s.adminRoutingEditPage)
	e.POST("/admin/routing/:id", s.adminRoutingSubmit)
	e.POST("/admin/routing/:id/delete", s.adminRoutingDelete)
	e.GET("/admin/categories", s.adminCategoriesPage)
	e.POST("/admin/categories", s.adminCategorySubmit)
	e.POST("/admin/categories/:code", s.adminCategorySubmit)
}

// routingChoices are the options of the rule form and the console.
type routingChoices struct {
	Categories []adminOption
	Types      []adminOption
	Regions    []adminOption // sub-districts, then their communities and parks
	Units      []adminOption // every unit with a tier, by tier
	Targets    []adminOption
}

// routingChoicesFor lists the options, marking those chosen.
func (s *Server) routingChoicesFor(c *gin.Context, category string, typ portal.RequestType, region, unit string, target portal.RouteTarget) (*routingChoices, error) {
	ctx := c.Request.Context()
	ch := &routingChoices{}
	cats, err := s.opt.Routing.Categories.AllCategories(ctx)
	if err != nil {
		return nil, err
	}
	for _, cat := range cats {
		label := cat.Name
		if !cat.Active {
			label += "（已停用）"
		}
		ch.Categories = append(ch.Categories, adminOption{Value: cat.Code, Label: label, Selected: cat.Code == category})
	}
	for _, t := range portal.RequestTypes {
		ch.Types = append(ch.Types, adminOption{Value: string(t), Label: portal.RequestTypeNames[t], Selected: t == typ})
	}
	units, err := s.opt.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.Kind == portal.KindDistrict || !u.Tier.Valid() {
			continue
		}
		label := string(u.Tier) + " 级 · " + u.Name
		ch.Units = append(ch.Units, adminOption{Value: u.ID, Label: label, Selected: u.ID == unit})
		if u.Kind != portal.KindSubdistrict {
			continue
		}
		ch.Regions = append(ch.Regions, adminOption{Value: u.ID, Label: u.Name, Selected: u.ID == region})
		for _, sub := range units {
			if sub.ParentID == u.ID && (sub.Kind == portal.KindCommunity || sub.Kind == portal.KindPark) {
				ch.Regions = append(ch.Regions, adminOption{Value: sub.ID, Label: u.Name + " · " + sub.Name, Selected: sub.ID == region})
			}
		}
	}
	for _, t := range portal.RouteTargets {
		ch.Targets = append(ch.Targets, adminOption{Value: string(t), Label: portal.RouteTargetNames[t], Selected: t == target})
	}
	return ch, nil
}

// ---------- /admin/routing ----------

// routingConsole is the console's form and, once sent, its answer.
type routingConsole struct {
	adminForm
	Sent                               bool
	Category, Type, Enterprise, Region string
	Result                             *portal.RouteTestResult
	Enterprises                        []adminOption // suggestions for the enterprise field
	Choices                            *routingChoices
}

// routingCandidateRow is one line of the console's candidate table.
type routingCandidateRow struct {
	*portal.RouteCandidate
	OutcomeText string
}

type adminRoutingData struct {
	Q, Category string
	Categories  []adminOption
	Items       []*portal.RoutingRuleView
	Pager       adminPager
	CanEdit     bool
	Console     routingConsole
	Candidates  []routingCandidateRow
}

func (s *Server) adminRoutingPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	q, err := routingQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.opt.Routing.List(ctx, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminRoutingData{Q: strings.TrimSpace(q.Q), Category: q.Category, Items: p.Items, CanEdit: a.IsAdmin(),
		Pager: newAdminPager(c, adminPaging{Page: p.Page, PerPage: p.PerPage}, p.Total)}
	con := &d.Console
	con.Category, con.Type = c.Query("t_category"), c.Query("t_type")
	con.Enterprise, con.Region = strings.TrimSpace(c.Query("t_enterprise")), c.Query("t_region")
	if con.Choices, err = s.routingChoicesFor(c, con.Category, portal.RequestType(con.Type), con.Region, "", ""); err != nil {
		s.fail(c, err)
		return
	}
	filter, err := s.routingChoicesFor(c, q.Category, "", "", "", "")
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Categories = filter.Categories
	if s.opt.Enterprises != nil {
		ents, err := s.opt.Enterprises.List(ctx, portal.EnterpriseQuery{PerPage: portal.MaxEnterprisesPerPage})
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, e := range ents.Items {
			con.Enterprises = append(con.Enterprises, adminOption{Value: e.ID, Label: e.Name})
		}
	}
	status := http.StatusOK
	if c.Query("test") != "" {
		con.Sent = true
		con.Result, err = s.opt.Routing.Test(ctx, portal.RouteTestInput{Category: con.Category, Type: portal.RequestType(con.Type),
			EnterpriseID: con.Enterprise, RegionID: con.Region})
		if err != nil {
			form, ok := s.adminFormError(c, err)
			if !ok {
				return
			}
			con.adminForm, status = form, http.StatusBadRequest
		}
		if con.Result != nil {
			for _, cand := range con.Result.Candidates {
				d.Candidates = append(d.Candidates, routingCandidateRow{RouteCandidate: cand, OutcomeText: portal.CandidateOutcomeNames[cand.Outcome]})
			}
		}
	}
	s.render(c, status, "admin_routing", "分拨规则", d)
}

// routingFormView is the rule form: its values, errors and choices.
type routingFormView struct {
	adminForm
	ID      string // "" for a new rule
	Rule    *portal.RoutingRuleView
	Name    string
	Prio    string
	Enabled bool
	Version int
	Target  portal.RouteTarget
	Choices *routingChoices
	// Conflict says the rule changed since the form was opened.
	Conflict bool
}

func (s *Server) adminRoutingNewPage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	if err := s.opt.Routing.RequireAdmin(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.renderRoutingForm(c, http.StatusOK, routingFormView{Prio: strconv.Itoa(portal.DefaultRoutingPriority), Enabled: true,
		Target: portal.TargetUnit}, "", "", "", "")
}

func (s *Server) adminRoutingEditPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	r, err := s.opt.Routing.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	f := routingFormView{ID: r.ID, Rule: r, Name: r.Name, Prio: strconv.Itoa(r.Priority), Enabled: r.Enabled,
		Version: r.Version, Target: r.Target}
	s.renderRoutingForm(c, http.StatusOK, f, r.Category, string(r.Type), r.RegionID, r.DepartmentID)
}

func (s *Server) renderRoutingForm(c *gin.Context, status int, f routingFormView, category, typ, region, unit string) {
	var err error
	if f.Choices, err = s.routingChoicesFor(c, category, portal.RequestType(typ), region, unit, f.Target); err != nil {
		s.fail(c, err)
		return
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	title := "新建分拨规则"
	if f.ID != "" {
		title = "修改分拨规则"
	}
	s.render(c, status, "admin_routing_edit", title, f)
}

// routingFormInput reads the rule form. A priority that is not a number
// is passed on as 0, which the service refuses with its message.
func routingFormInput(c *gin.Context) portal.RoutingRuleInput {
	in := portal.RoutingRuleInput{Name: c.PostForm("name"), Category: c.PostForm("category"), RegionID: c.PostForm("region_id"),
		Type: portal.RequestType(c.PostForm("type")), Target: portal.RouteTarget(c.PostForm("target")),
		DepartmentID: c.PostForm("department_id")}
	if p := strings.TrimSpace(c.PostForm("priority")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			n = 0
		}
		in.Priority = &n
	}
	enabled := c.PostForm("enabled") != ""
	in.Enabled = &enabled
	in.Version, _ = strconv.Atoi(c.PostForm("version"))
	return in
}

func (s *Server) adminRoutingSubmit(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := routingFormInput(c)
	ctx := c.Request.Context()
	id := c.Param("id")
	var r *portal.RoutingRuleView
	var err error
	if id == "" {
		r, err = s.opt.Routing.Create(ctx, in)
	} else {
		r, err = s.opt.Routing.Update(ctx, id, in)
	}
	if err != nil {
		f := routingFormView{ID: id, Name: in.Name, Prio: c.PostForm("priority"), Enabled: *in.Enabled, Version: in.Version, Target: in.Target}
		switch portal.ErrorCode(err) {
		case portal.EINVALID:
			f.adminForm, _ = s.adminFormError(c, err)
		case portal.ECONFLICT:
			f.Message, f.Conflict = portal.ErrorMessage(err), true
		default:
			s.fail(c, err)
			return
		}
		status := http.StatusBadRequest
		if f.Conflict {
			status = http.StatusConflict
		}
		s.renderRoutingForm(c, status, f, in.Category, string(in.Type), in.RegionID, in.DepartmentID)
		return
	}
	setFlash(c, "success", "已保存分拨规则："+r.Name)
	c.Redirect(http.StatusSeeOther, "/admin/routing")
}

func (s *Server) adminRoutingDelete(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	id := c.Param("id")
	version, err := strconv.Atoi(c.PostForm("version"))
	if err != nil || version < 1 {
		s.fail(c, portal.Invalid("参数有误", map[string]string{"version": "缺少版本号，请刷新后重试"}))
		return
	}
	ctx := c.Request.Context()
	name := ""
	if r, err := s.opt.Routing.Get(ctx, id); err == nil {
		name = r.Name
	}
	if err := s.opt.Routing.Delete(ctx, id, version); err != nil {
		s.fail(c, err)
		return
	}
	setFlash(c, "success", "已删除分拨规则："+name)
	c.Redirect(http.StatusSeeOther, "/admin/routing")
}

// ---------- /admin/categories ----------

// categoryFormView is the category form: its values, errors and choices.
type categoryFormView struct {
	adminForm
	Code, Name, Order string
	Active            bool
	Types             []adminOption
}

type adminCategoriesData struct {
	Q     string
	Items []*portal.AdminCategory
	Pager adminPager
	New   categoryFormView
	Edit  *categoryFormView // the category being edited, when ?edit=code
}

// categoryForm fills a form's type boxes.
func categoryForm(f categoryFormView, types []portal.RequestType) categoryFormView {
	f.Types = nil
	for _, t := range portal.RequestTypes {
		checked := false
		for _, x := range types {
			checked = checked || x == t
		}
		f.Types = append(f.Types, adminOption{Value: string(t), Label: portal.RequestTypeNames[t], Selected: checked})
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	return f
}

func (s *Server) adminCategoriesPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	var edit *categoryFormView
	if code := c.Query("edit"); code != "" {
		cat, err := s.opt.CategoryAdmin.Get(c.Request.Context(), code)
		if err != nil {
			s.fail(c, err)
			return
		}
		f := categoryForm(categoryFormView{Code: cat.Code, Name: cat.Name, Order: strconv.Itoa(cat.Order), Active: cat.Active}, cat.Types)
		edit = &f
	}
	s.renderCategoriesPage(c, http.StatusOK, categoryForm(categoryFormView{Active: true}, nil), edit)
}

func (s *Server) renderCategoriesPage(c *gin.Context, status int, form categoryFormView, edit *categoryFormView) {
	all, err := s.opt.CategoryAdmin.List(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminCategoriesData{Q: strings.TrimSpace(c.Query("q")), New: form, Edit: edit}
	var match []*portal.AdminCategory
	for _, cat := range all {
		if d.Q == "" || strings.Contains(cat.Name, d.Q) || strings.Contains(cat.Code, strings.ToLower(d.Q)) {
			match = append(match, cat)
		}
	}
	from := min(pg.offset(), len(match))
	d.Items = match[from:min(from+pg.PerPage, len(match))]
	d.Pager = newAdminPager(c, pg, len(match))
	s.render(c, status, "admin_categories", "诉求分类", d)
}

func (s *Server) adminCategorySubmit(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	code := c.Param("code")
	in := portal.CategoryInput{Code: c.PostForm("code"), Name: c.PostForm("name")}
	if code != "" {
		in.Code = code
	}
	for _, t := range c.PostFormArray("types") {
		in.Types = append(in.Types, portal.RequestType(t))
	}
	if o := strings.TrimSpace(c.PostForm("order")); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil {
			n = -1 // refused by the service with its message
		}
		in.Order = &n
	}
	active := c.PostForm("active") != ""
	in.Active = &active
	ctx := c.Request.Context()
	var cat *portal.AdminCategory
	var err error
	if code == "" {
		cat, err = s.opt.CategoryAdmin.Create(ctx, in)
	} else {
		cat, err = s.opt.CategoryAdmin.Update(ctx, code, in)
	}
	if err != nil {
		form, ok := s.adminFormError(c, err)
		if !ok {
			return
		}
		f := categoryForm(categoryFormView{adminForm: form, Code: in.Code, Name: in.Name, Order: c.PostForm("order"), Active: active}, in.Types)
		if code == "" {
			s.renderCategoriesPage(c, http.StatusBadRequest, f, nil)
		} else {
			s.renderCategoriesPage(c, http.StatusBadRequest, categoryForm(categoryFormView{Active: true}, nil), &f)
		}
		return
	}
	setFlash(c, "success", "已保存诉求分类："+cat.Name)
	c.Redirect(http.StatusSeeOther, "/admin/categories?edit="+url.QueryEscape(cat.Code))
}
