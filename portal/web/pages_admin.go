package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// adminRoutes registers the organisation administration API (org tree,
// task forces, chains, users, audit log) and its pages under /admin.
func (s *Server) adminRoutes(api *gin.RouterGroup) {
	api.GET("/org-units", s.listOrgUnits)
	api.POST("/org-units", s.createOrgUnit)
	api.GET("/org-units/:id", s.getOrgUnit)
	api.PUT("/org-units/:id", s.updateOrgUnit)
	api.GET("/task-forces", s.listTaskForces)
	api.POST("/task-forces", s.createTaskForce)
	api.GET("/task-forces/:id", s.getTaskForce)
	api.PUT("/task-forces/:id", s.updateTaskForce)
	api.POST("/task-forces/:id/reassign", s.reassignCaseload)
	api.GET("/chains", s.listChains)
	api.POST("/chains", s.createChain)
	api.GET("/chains/:id", s.getChain)
	api.PUT("/chains/:id", s.updateChain)
	api.GET("/users", s.listUsers)
	api.POST("/users", s.createUser)
	api.GET("/users/:id", s.getUser)
	api.PUT("/users/:id", s.updateUser)
	api.POST("/users/:id/disable", s.disableUser)
	api.POST("/users/:id/enable", s.enableUser)
	api.POST("/users/:id/password", s.changeUserPassword)
	api.GET("/audit", s.listAudit)

	e := s.engine
	e.GET("/admin", s.adminHomePage)
	e.GET("/admin/org", s.adminOrgPage)
	e.POST("/admin/org", s.adminOrgSubmit)
	e.POST("/admin/org/:id", s.adminOrgSubmit)
	e.GET("/admin/task-forces", s.adminTaskForcesPage)
	e.POST("/admin/task-forces", s.adminTaskForceCreate)
	e.GET("/admin/task-forces/:id", s.adminTaskForcePage)
	e.POST("/admin/task-forces/:id", s.adminTaskForceUpdate)
	e.POST("/admin/task-forces/:id/reassign", s.adminTaskForceReassign)
	e.GET("/admin/chains", s.adminChainsPage)
	e.POST("/admin/chains", s.adminChainSubmit)
	e.GET("/admin/chains/:id", s.adminChainPage)
	e.POST("/admin/chains/:id", s.adminChainSubmit)
	e.GET("/admin/users", s.adminUsersPage)
	e.POST("/admin/users", s.adminUserCreate)
	e.GET("/admin/users/:id", s.adminUserPage)
	e.POST("/admin/users/:id", s.adminUserUpdate)
	e.POST("/admin/users/:id/disable", s.adminUserStatus)
	e.POST("/admin/users/:id/enable", s.adminUserStatus)
	e.POST("/admin/users/:id/password", s.adminUserPassword)
	e.GET("/admin/audit", s.adminAuditPage)
}

// adminForm is a submitted form that came back with errors, or an empty one.
type adminForm struct {
	Message string
	Errors  map[string]string
}

// adminFormError turns an invalid-input error into a form to show again; any
// other error is answered with s.fail and ok is false.
func (s *Server) adminFormError(c *gin.Context, err error) (adminForm, bool) {
	if portal.ErrorCode(err) != portal.EINVALID {
		s.fail(c, err)
		return adminForm{}, false
	}
	f := adminForm{Message: portal.ErrorMessage(err), Errors: portal.ErrorFields(err)}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	return f, true
}

// adminPager links a list page to its neighbours, keeping the filters.
type adminPager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func newAdminPager(c *gin.Context, pg adminPaging, total int) adminPager {
	p := adminPager{Page: pg.Page, Total: total, Pages: max(1, (total+pg.PerPage-1)/pg.PerPage)}
	link := func(n int) string {
		q := c.Request.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return c.Request.URL.Path + "?" + q.Encode()
	}
	if pg.Page > 1 {
		p.Prev = link(min(pg.Page-1, p.Pages))
	}
	if pg.Page < p.Pages {
		p.Next = link(pg.Page + 1)
	}
	return p
}

// adminOption is one entry of a select or a checkbox group.
type adminOption struct {
	Value, Label string
	Selected     bool
}

// ---------- /admin ----------

type adminHomeData struct {
	Users, Pending, Disabled int
	TaskForces, Chains       int
	Recent                   []adminAuditRow
}

func (s *Server) adminHomePage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	var d adminHomeData
	var err error
	if _, d.Users, err = s.opt.Admin.Users.FindUsers(ctx, portal.UserFilter{Limit: 1}); err != nil {
		s.fail(c, err)
		return
	}
	for _, st := range []struct {
		status portal.UserStatus
		n      *int
	}{{portal.UserPending, &d.Pending}, {portal.UserDisabled, &d.Disabled}} {
		status := st.status
		if _, *st.n, err = s.opt.Admin.Users.FindUsers(ctx, portal.UserFilter{Status: &status, Limit: 1}); err != nil {
			s.fail(c, err)
			return
		}
	}
	if _, d.TaskForces, err = s.opt.Admin.TaskForces.FindTaskForces(ctx, "", 0, 1); err != nil {
		s.fail(c, err)
		return
	}
	if _, d.Chains, err = s.opt.Admin.Chains.FindChains(ctx, "", 0, 1); err != nil {
		s.fail(c, err)
		return
	}
	recent, _, err := s.opt.Admin.AuditLog.Find(ctx, portal.AuditFilter{Limit: 8})
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, e := range recent {
		d.Recent = append(d.Recent, adminAuditRow{AuditEntry: e, OutcomeText: adminOutcomeNames[e.Outcome]})
	}
	s.render(c, http.StatusOK, "admin_home", "系统管理", d)
}

// ---------- /admin/org ----------

type orgNodeView struct {
	Unit     *portal.OrgUnit
	KindName string
	Children []*orgNodeView
	Open     bool
	CanEdit  bool
}

// orgFormView is the form for a new unit (ID "") or for changing one.
type orgFormView struct {
	adminForm
	ID      string
	In      portal.OrgUnitInput
	IsRoot  bool
	Kinds   []adminOption
	Parents []adminOption // units that can hold others: the district and sub-districts
	CSRF    string
}

type adminOrgData struct {
	Tree    []*orgNodeView
	Q       string
	Matches []*orgNodeView // units matching Q, when searching
	Count   int
	CanEdit bool
	New     orgFormView
	Edit    *orgFormView
}

// orgKindOrder is the order kinds are offered in the forms.
var orgKindOrder = []portal.OrgKind{portal.KindDepartment, portal.KindSubdistrict, portal.KindCommunity, portal.KindPark}

func (s *Server) adminOrgPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	var edit *orgFormView
	if id := c.Query("edit"); id != "" {
		d, err := s.opt.Admin.Org.FindUnit(c.Request.Context(), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		edit = &orgFormView{ID: id, In: portal.OrgUnitInput{Name: d.Name, Kind: d.Kind, ParentID: d.ParentID, Head: d.Head}}
	}
	s.renderOrgPage(c, a, http.StatusOK, orgFormView{In: portal.OrgUnitInput{Kind: portal.KindDepartment}}, edit)
}

func (s *Server) renderOrgPage(c *gin.Context, a *portal.Actor, status int, form orgFormView, edit *orgFormView) {
	tree, err := s.opt.Admin.Org.Tree(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminOrgData{CanEdit: a.IsAdmin(), New: form, Edit: edit, Q: strings.TrimSpace(c.Query("q"))}
	var parents []*portal.OrgUnit
	var walk func(n *portal.OrgTreeNode, depth int) *orgNodeView
	walk = func(n *portal.OrgTreeNode, depth int) *orgNodeView {
		v := &orgNodeView{Unit: n.Unit, KindName: portal.OrgKindNames[n.Unit.Kind], Open: depth == 0, CanEdit: d.CanEdit}
		d.Count++
		if n.Unit.Kind == portal.KindDistrict || n.Unit.Kind == portal.KindSubdistrict {
			parents = append(parents, n.Unit)
		}
		if edit != nil && n.Unit.ID == edit.ID {
			edit.IsRoot = n.Unit.Kind == portal.KindDistrict
		}
		if d.Q != "" && (strings.Contains(n.Unit.Name, d.Q) || strings.Contains(n.Unit.Head, d.Q)) {
			d.Matches = append(d.Matches, &orgNodeView{Unit: n.Unit, KindName: v.KindName, CanEdit: d.CanEdit})
		}
		for _, ch := range n.Children {
			cv := walk(ch, depth+1)
			v.Children = append(v.Children, cv)
			// Keep the branch holding the unit being edited unfolded.
			v.Open = v.Open || cv.Open || (edit != nil && ch.Unit.ID == edit.ID)
		}
		return v
	}
	for _, n := range tree {
		d.Tree = append(d.Tree, walk(n, 0))
	}
	fill := func(f *orgFormView) {
		f.CSRF = csrfToken(c, s.opt.SecureCookies)
		f.Kinds, f.Parents = nil, nil
		for _, k := range orgKindOrder {
			f.Kinds = append(f.Kinds, adminOption{Value: string(k), Label: portal.OrgKindNames[k], Selected: k == f.In.Kind})
		}
		for _, p := range parents {
			f.Parents = append(f.Parents, adminOption{Value: p.ID, Label: p.Name + "（" + portal.OrgKindNames[p.Kind] + "）",
				Selected: p.ID == f.In.ParentID})
		}
	}
	fill(&d.New)
	if d.Edit != nil {
		fill(d.Edit)
	}
	s.render(c, status, "admin_org", "组织机构", d)
}

func (s *Server) adminOrgSubmit(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := portal.OrgUnitInput{Name: c.PostForm("name"), Kind: portal.OrgKind(c.PostForm("kind")),
		ParentID: c.PostForm("parent_id"), Head: c.PostForm("head")}
	ctx := c.Request.Context()
	var u *portal.OrgUnit
	var err error
	id := c.Param("id")
	if id == "" {
		u, err = s.opt.Admin.Org.CreateUnit(ctx, in)
	} else {
		u, err = s.opt.Admin.Org.UpdateUnit(ctx, id, in)
	}
	if err != nil {
		form, ok := s.adminFormError(c, err)
		if !ok {
			return
		}
		if id == "" {
			s.renderOrgPage(c, a, http.StatusBadRequest, orgFormView{adminForm: form, In: in}, nil)
		} else {
			s.renderOrgPage(c, a, http.StatusBadRequest, orgFormView{In: portal.OrgUnitInput{Kind: portal.KindDepartment}},
				&orgFormView{adminForm: form, ID: id, In: in})
		}
		return
	}
	s.indexOrgUnit(c, u)
	if id == "" {
		setFlash(c, "success", "已新增单位："+u.Name)
	} else {
		setFlash(c, "success", "已保存单位："+u.Name)
	}
	c.Redirect(http.StatusSeeOther, "/admin/org")
}

// ---------- /admin/task-forces ----------

type taskForceFormView struct {
	adminForm
	In portal.TaskForceInput
}

type adminTaskForcesData struct {
	Items   []*portal.TaskForceSummary
	Q       string
	Pager   adminPager
	CanEdit bool
	Units   []*portal.OrgUnit
	Form    taskForceFormView
}

func (s *Server) adminTaskForcesPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	s.renderTaskForcesPage(c, a, http.StatusOK, taskForceFormView{})
}

func (s *Server) renderTaskForcesPage(c *gin.Context, a *portal.Actor, status int, form taskForceFormView) {
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d := adminTaskForcesData{Q: strings.TrimSpace(c.Query("q")), CanEdit: a.IsAdmin(), Form: form}
	var total int
	if d.Items, total, err = s.opt.Admin.TaskForces.FindTaskForces(ctx, d.Q, pg.offset(), pg.PerPage); err != nil {
		s.fail(c, err)
		return
	}
	d.Pager = newAdminPager(c, pg, total)
	if d.CanEdit {
		if d.Units, err = s.opt.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{}); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, status, "admin_taskforces", "专班管理", d)
}

func (s *Server) adminTaskForceCreate(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := portal.TaskForceInput{Name: c.PostForm("name"), LeadUnitID: c.PostForm("lead_unit_id")}
	t, err := s.opt.Admin.TaskForces.CreateTaskForce(c.Request.Context(), in)
	if err != nil {
		if form, ok := s.adminFormError(c, err); ok {
			s.renderTaskForcesPage(c, a, http.StatusBadRequest, taskForceFormView{adminForm: form, In: in})
		}
		return
	}
	setFlash(c, "success", "已新建专班："+t.Name+"，请添加联络员")
	c.Redirect(http.StatusSeeOther, "/admin/task-forces/"+url.PathEscape(t.ID))
}

type caseloadView struct {
	Member      *portal.TaskForceMember
	Enterprises []caseloadEntry
	More        int // enterprises of the caseload not listed
}

type caseloadEntry struct {
	*portal.Enterprise
	Checked bool // ticked in the reassign form that came back
}

type reassignFormView struct {
	adminForm
	In portal.ReassignInput
}

type adminTaskForceData struct {
	TF        *portal.TaskForceDetail
	CanEdit   bool
	Units     []*portal.OrgUnit
	Liaisons  []adminOption
	Caseloads []caseloadView
	Edit      taskForceFormView
	Reassign  reassignFormView
	MinReason int
}

// caseloadShown bounds how many enterprises of each caseload the page lists.
const caseloadShown = 200

func (s *Server) adminTaskForcePage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	s.renderTaskForcePage(c, a, http.StatusOK, nil, reassignFormView{})
}

func (s *Server) renderTaskForcePage(c *gin.Context, a *portal.Actor, status int, edit *taskForceFormView, reassign reassignFormView) {
	ctx := c.Request.Context()
	id := c.Param("id")
	tf, err := s.opt.Admin.TaskForces.FindTaskForce(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminTaskForceData{TF: tf, CanEdit: a.IsAdmin(), Reassign: reassign, MinReason: portal.MinReassignReason}
	if edit != nil {
		d.Edit = *edit
	} else {
		d.Edit = taskForceFormView{In: portal.TaskForceInput{Name: tf.Name, LeadUnitID: tf.LeadUnitID, MemberIDs: tf.MemberIDs}}
	}
	for _, m := range tf.Members {
		ents, n, err := s.opt.Admin.TaskForces.FindCaseload(ctx, id, m.ID, caseloadShown)
		if err != nil {
			s.fail(c, err)
			return
		}
		cv := caseloadView{Member: m, More: n - len(ents)}
		for _, e := range ents {
			cv.Enterprises = append(cv.Enterprises, caseloadEntry{Enterprise: e, Checked: slices.Contains(reassign.In.EnterpriseIDs, e.ID)})
		}
		d.Caseloads = append(d.Caseloads, cv)
	}
	if d.CanEdit {
		if d.Units, err = s.opt.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{}); err != nil {
			s.fail(c, err)
			return
		}
		role := portal.RoleLiaison
		liaisons, _, err := s.opt.Admin.Users.FindUsers(ctx, portal.UserFilter{Role: &role})
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, u := range liaisons {
			// Liaisons of other task forces are not offered: they must leave theirs first.
			if u.TaskForceID != "" && u.TaskForceID != id {
				continue
			}
			label := u.DisplayName + "（" + u.Username + "）"
			if u.Status != portal.UserActive {
				label += " · " + portal.UserStatusNames[u.Status]
			}
			d.Liaisons = append(d.Liaisons, adminOption{Value: u.ID, Label: label, Selected: slices.Contains(d.Edit.In.MemberIDs, u.ID)})
		}
	}
	s.render(c, status, "admin_taskforce", tf.Name, d)
}

func (s *Server) adminTaskForceUpdate(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := portal.TaskForceInput{Name: c.PostForm("name"), LeadUnitID: c.PostForm("lead_unit_id"), MemberIDs: c.PostFormArray("member_ids")}
	t, err := s.opt.Admin.TaskForces.UpdateTaskForce(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		if form, ok := s.adminFormError(c, err); ok {
			s.renderTaskForcePage(c, a, http.StatusBadRequest, &taskForceFormView{adminForm: form, In: in}, reassignFormView{})
		}
		return
	}
	setFlash(c, "success", "已保存专班："+t.Name)
	c.Redirect(http.StatusSeeOther, "/admin/task-forces/"+url.PathEscape(t.ID))
}

func (s *Server) adminTaskForceReassign(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := portal.ReassignInput{From: c.PostForm("from"), To: c.PostForm("to"), Reason: c.PostForm("reason"),
		EnterpriseIDs: c.PostFormArray("enterprise_ids")}
	res, err := s.opt.Admin.TaskForces.Reassign(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		if form, ok := s.adminFormError(c, err); ok {
			s.renderTaskForcePage(c, a, http.StatusBadRequest, nil, reassignFormView{adminForm: form, In: in})
		}
		return
	}
	setFlash(c, "success", "已移交 "+strconv.Itoa(res.Moved)+" 家企业的包干")
	c.Redirect(http.StatusSeeOther, "/admin/task-forces/"+url.PathEscape(c.Param("id")))
}

// ---------- /admin/chains ----------

type chainFormView struct {
	adminForm
	In portal.ChainInput
}

type adminChainsData struct {
	Items   []*portal.ChainSummary
	Q       string
	Pager   adminPager
	CanEdit bool
	Units   []*portal.OrgUnit
	Form    chainFormView
}

func (s *Server) adminChainsPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	s.renderChainsPage(c, a, http.StatusOK, chainFormView{})
}

func (s *Server) renderChainsPage(c *gin.Context, a *portal.Actor, status int, form chainFormView) {
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d := adminChainsData{Q: strings.TrimSpace(c.Query("q")), CanEdit: a.IsAdmin(), Form: form}
	var total int
	if d.Items, total, err = s.opt.Admin.Chains.FindChains(ctx, d.Q, pg.offset(), pg.PerPage); err != nil {
		s.fail(c, err)
		return
	}
	d.Pager = newAdminPager(c, pg, total)
	if d.CanEdit {
		if d.Units, err = s.opt.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{}); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, status, "admin_chains", "产业链", d)
}

type adminChainData struct {
	Chain   *portal.ChainDetail
	CanEdit bool
	Units   []*portal.OrgUnit
	Form    chainFormView
}

func (s *Server) adminChainPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	s.renderChainPage(c, a, http.StatusOK, nil)
}

func (s *Server) renderChainPage(c *gin.Context, a *portal.Actor, status int, form *chainFormView) {
	ctx := c.Request.Context()
	ch, err := s.opt.Admin.Chains.FindChain(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminChainData{Chain: ch, CanEdit: a.IsAdmin()}
	if form != nil {
		d.Form = *form
	} else {
		d.Form = chainFormView{In: portal.ChainInput{Name: ch.Name, Description: ch.Description, LeadUnitID: ch.LeadUnitID}}
	}
	if d.CanEdit {
		if d.Units, err = s.opt.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{}); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, status, "admin_chain", ch.Name, d)
}

func (s *Server) adminChainSubmit(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := portal.ChainInput{Name: c.PostForm("name"), Description: c.PostForm("description"), LeadUnitID: c.PostForm("lead_unit_id")}
	ctx := c.Request.Context()
	id := c.Param("id")
	var ch *portal.Chain
	var err error
	if id == "" {
		ch, err = s.opt.Admin.Chains.CreateChain(ctx, in)
	} else {
		ch, err = s.opt.Admin.Chains.UpdateChain(ctx, id, in)
	}
	if err != nil {
		form, ok := s.adminFormError(c, err)
		switch {
		case !ok:
		case id == "":
			s.renderChainsPage(c, a, http.StatusBadRequest, chainFormView{adminForm: form, In: in})
		default:
			s.renderChainPage(c, a, http.StatusBadRequest, &chainFormView{adminForm: form, In: in})
		}
		return
	}
	setFlash(c, "success", "已保存产业链："+ch.Name)
	c.Redirect(http.StatusSeeOther, "/admin/chains/"+url.PathEscape(ch.ID))
}

// ---------- /admin/users ----------

type adminUserRow struct {
	*portal.User
	RoleText   string
	StatusText string
}

func newAdminUserRow(u *portal.User) adminUserRow {
	names := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		names = append(names, portal.RoleNames[r])
	}
	return adminUserRow{User: u, RoleText: strings.Join(names, "、"), StatusText: portal.UserStatusNames[u.Status]}
}

// adminUserForm is the user form: its values, its errors and the choices
// of its selects.
type adminUserForm struct {
	adminForm
	Username, DisplayName, Phone                  string
	EnterpriseID, UnitID, ChainID, TaskForceID    string
	Roles, Units, Chains, TaskForces, Enterprises []adminOption
	MoreEnterprises                               bool
}

// fillUserForm fills the selects of a user form, marking what is chosen.
func fillUserForm(ch *portal.ScopeChoices, roles []portal.Role, v adminUserForm) adminUserForm {
	for _, r := range adminRoleOrder {
		v.Roles = append(v.Roles, adminOption{Value: string(r), Label: portal.RoleNames[r], Selected: slices.Contains(roles, r)})
	}
	for _, u := range ch.Units {
		label := u.Name
		if u.Tier != "" {
			label += "（" + string(u.Tier) + " 级）"
		}
		v.Units = append(v.Units, adminOption{Value: u.ID, Label: label, Selected: u.ID == v.UnitID})
	}
	for _, x := range ch.Chains {
		v.Chains = append(v.Chains, adminOption{Value: x.ID, Label: x.Name, Selected: x.ID == v.ChainID})
	}
	for _, x := range ch.TaskForces {
		v.TaskForces = append(v.TaskForces, adminOption{Value: x.ID, Label: x.Name, Selected: x.ID == v.TaskForceID})
	}
	for _, x := range ch.Enterprises {
		v.Enterprises = append(v.Enterprises, adminOption{Value: x.ID, Label: x.Name, Selected: x.ID == v.EnterpriseID})
	}
	v.MoreEnterprises = ch.MoreEnterprises
	return v
}

// adminRoleOrder is the order roles are offered in the forms.
var adminRoleOrder = []portal.Role{portal.RoleEnterprise, portal.RoleLiaison, portal.RoleDispatcher, portal.RoleHandler,
	portal.RoleDeptHead, portal.RoleCommittee, portal.RolePolicyEditor, portal.RoleAdmin}

func postedRoles(c *gin.Context) []portal.Role {
	var out []portal.Role
	for _, r := range c.PostFormArray("roles") {
		out = append(out, portal.Role(r))
	}
	return out
}

type adminUsersData struct {
	Items    []adminUserRow
	Q        string
	Role     string
	Status   string
	Roles    []adminOption
	Statuses []adminOption
	Pager    adminPager
	Form     adminUserForm
}

func (s *Server) adminUsersPage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	s.renderUsersPage(c, http.StatusOK, nil, adminUserForm{})
}

func (s *Server) renderUsersPage(c *gin.Context, status int, roles []portal.Role, form adminUserForm) {
	f, pg, err := userFilterFrom(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	users, total, err := s.opt.Admin.Users.FindUsers(ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	choices, err := s.opt.Admin.Users.ScopeChoices(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminUsersData{Q: strings.TrimSpace(c.Query("q")), Role: c.Query("role"), Status: c.Query("status"),
		Pager: newAdminPager(c, pg, total), Form: fillUserForm(choices, roles, form), Items: []adminUserRow{}}
	for _, u := range users {
		d.Items = append(d.Items, newAdminUserRow(u))
	}
	for _, r := range adminRoleOrder {
		d.Roles = append(d.Roles, adminOption{Value: string(r), Label: portal.RoleNames[r], Selected: string(r) == d.Role})
	}
	for _, st := range []portal.UserStatus{portal.UserActive, portal.UserPending, portal.UserDisabled} {
		d.Statuses = append(d.Statuses, adminOption{Value: string(st), Label: portal.UserStatusNames[st], Selected: string(st) == d.Status})
	}
	s.render(c, status, "admin_users", "用户管理", d)
}

func (s *Server) adminUserCreate(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	in := portal.NewUserInput{Username: c.PostForm("username"), DisplayName: c.PostForm("display_name"),
		Phone: c.PostForm("phone"), Password: c.PostForm("password"), Roles: postedRoles(c),
		EnterpriseID: c.PostForm("enterprise_id"), UnitID: c.PostForm("unit_id"),
		ChainID: c.PostForm("chain_id"), TaskForceID: c.PostForm("task_force_id")}
	u, err := s.opt.Admin.Users.CreateUser(c.Request.Context(), in)
	if err != nil {
		if form, ok := s.adminFormError(c, err); ok {
			s.renderUsersPage(c, http.StatusBadRequest, in.Roles, adminUserForm{adminForm: form,
				Username: in.Username, DisplayName: in.DisplayName, Phone: in.Phone, EnterpriseID: in.EnterpriseID,
				UnitID: in.UnitID, ChainID: in.ChainID, TaskForceID: in.TaskForceID})
		}
		return
	}
	setFlash(c, "success", "已创建用户："+u.DisplayName+"（"+u.Username+"）")
	c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(u.ID))
}

type adminUserData struct {
	User     adminUserRow
	Self     bool
	IsAdmin  bool
	Form     adminUserForm
	Password adminForm
}

func (s *Server) adminUserPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	s.renderUserPage(c, a, http.StatusOK, nil, nil, adminForm{})
}

func (s *Server) renderUserPage(c *gin.Context, a *portal.Actor, status int, roles []portal.Role, form *adminUserForm, pw adminForm) {
	ctx := c.Request.Context()
	u, err := s.opt.Admin.Users.FindUser(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminUserData{User: newAdminUserRow(u), Self: a.UserID == u.ID, IsAdmin: a.IsAdmin(), Password: pw}
	if d.IsAdmin {
		choices, err := s.opt.Admin.Users.ScopeChoices(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		if form == nil {
			roles = u.Roles
			form = &adminUserForm{DisplayName: u.DisplayName, Phone: u.Phone, EnterpriseID: u.EnterpriseID,
				UnitID: u.UnitID, ChainID: u.ChainID, TaskForceID: u.TaskForceID}
		}
		d.Form = fillUserForm(choices, roles, *form)
	}
	s.render(c, status, "admin_user", u.DisplayName, d)
}

func (s *Server) adminUserUpdate(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	field := func(k string) *string { v := c.PostForm(k); return &v }
	in := portal.UserChangeInput{DisplayName: field("display_name"), Phone: field("phone"), Roles: postedRoles(c),
		EnterpriseID: field("enterprise_id"), UnitID: field("unit_id"), ChainID: field("chain_id"), TaskForceID: field("task_force_id")}
	if in.Roles == nil {
		in.Roles = []portal.Role{} // no box ticked means no role, which is refused
	}
	u, err := s.opt.Admin.Users.UpdateUser(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		if form, ok := s.adminFormError(c, err); ok {
			s.renderUserPage(c, a, http.StatusBadRequest, in.Roles, &adminUserForm{adminForm: form,
				DisplayName: *in.DisplayName, Phone: *in.Phone, EnterpriseID: *in.EnterpriseID,
				UnitID: *in.UnitID, ChainID: *in.ChainID, TaskForceID: *in.TaskForceID}, adminForm{})
		}
		return
	}
	setFlash(c, "success", "已保存用户："+u.DisplayName)
	c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(u.ID))
}

func (s *Server) adminUserStatus(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	ctx, id := c.Request.Context(), c.Param("id")
	var u *portal.User
	var err error
	msg := "已停用账号并撤销其全部登录："
	if strings.HasSuffix(c.FullPath(), "/enable") {
		u, err = s.opt.Admin.Users.EnableUser(ctx, id)
		msg = "已启用账号："
	} else {
		u, err = s.opt.Admin.Users.DisableUser(ctx, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	setFlash(c, "success", msg+u.DisplayName)
	c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(u.ID))
}

func (s *Server) adminUserPassword(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	in := portal.PasswordInput{CurrentPassword: c.PostForm("current_password"), NewPassword: c.PostForm("new_password")}
	id := c.Param("id")
	if err := s.opt.Admin.Users.ChangePassword(c.Request.Context(), id, in); err != nil {
		if form, ok := s.adminFormError(c, err); ok {
			s.renderUserPage(c, a, http.StatusBadRequest, nil, nil, form)
		}
		return
	}
	if a.UserID == id {
		// The new password retired this session's access token; the
		// refresh cookie signs the user straight back in on the next page.
		setFlash(c, "success", "密码已修改")
	} else {
		setFlash(c, "success", "密码已重置，该用户的全部登录已失效")
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+url.PathEscape(id))
}

// ---------- /admin/audit ----------

type adminAuditRow struct {
	*portal.AuditEntry
	OutcomeText string
}

var adminOutcomeNames = map[string]string{
	portal.OutcomeOK: "成功", portal.OutcomeFailed: "失败", portal.OutcomeDenied: "拒绝", portal.OutcomeThrottled: "限流",
}

type adminAuditData struct {
	Items    []adminAuditRow
	Filter   map[string]string
	Outcomes []adminOption
	Pager    adminPager
	Zone     string
}

func (s *Server) adminAuditPage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	f, pg, err := auditFilterFrom(c, s.opt.Location)
	if err != nil {
		s.fail(c, err)
		return
	}
	entries, total, err := s.opt.Admin.AuditLog.Find(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminAuditData{Pager: newAdminPager(c, pg, total), Filter: map[string]string{}, Items: []adminAuditRow{}, Zone: s.opt.Location.String()}
	for _, k := range []string{"actor_id", "action", "object_type", "object_id", "outcome", "from", "to"} {
		d.Filter[k] = strings.TrimSpace(c.Query(k))
	}
	for _, o := range []string{portal.OutcomeOK, portal.OutcomeFailed, portal.OutcomeDenied, portal.OutcomeThrottled} {
		d.Outcomes = append(d.Outcomes, adminOption{Value: o, Label: adminOutcomeNames[o], Selected: o == d.Filter["outcome"]})
	}
	for _, e := range entries {
		d.Items = append(d.Items, adminAuditRow{AuditEntry: e, OutcomeText: adminOutcomeNames[e.Outcome]})
	}
	s.render(c, http.StatusOK, "admin_audit", "审计日志", d)
}
