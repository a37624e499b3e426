package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// enterprisePageRoutes registers the enterprise pages. The list is shared
// by every role that is responsible for enterprises, each seeing its own
// scope; creating and importing are for admins.
func (s *Server) enterprisePageRoutes() {
	e := s.engine
	e.GET("/admin/enterprises", s.enterprisesPage)
	e.POST("/admin/enterprises", s.enterpriseCreateSubmit)
	e.GET("/admin/enterprises/new", s.enterpriseNewPage)
	e.GET("/admin/enterprises/import", s.enterpriseImportPage)
	e.POST("/admin/enterprises/import", s.enterpriseImportSubmit)
	e.GET("/admin/enterprises/import/template.xlsx", s.enterpriseTemplate("xlsx"))
	e.GET("/admin/enterprises/import/template.csv", s.enterpriseTemplate("csv"))
	e.GET("/admin/enterprises/:id", s.enterprisePage)
	e.POST("/admin/enterprises/:id", s.enterpriseUpdateSubmit)
}

// enterpriseListTitle names the list after what the actor sees in it.
func enterpriseListTitle(a *portal.Actor) string {
	switch {
	case a.IsAdmin():
		return "企业名录"
	case a.Has(portal.RoleLiaison):
		return "包干企业"
	case a.Has(portal.RoleCommittee):
		return "链上企业"
	case a.Has(portal.RoleDispatcher):
		return "辖区企业"
	default:
		return "企业名录"
	}
}

// enterpriseRow is one line of the enterprise list.
type enterpriseRow struct {
	*portal.Enterprise
	Place    string
	Industry string
	Chains   string
	Liaison  string
}

// enterpriseListData is what admin_enterprises.html shows.
type enterpriseListData struct {
	Query    portal.EnterpriseQuery
	Rows     []enterpriseRow
	Total    int
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Chains   []*portal.Chain
	IsAdmin  bool
	Filtered bool
}

func (s *Server) enterprisesPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	q, err := enterpriseListQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.opt.Enterprises.List(ctx, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	ch, err := s.opt.Enterprises.Choices(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := enterpriseListData{Query: q, Total: page.Total, Page: page.Page, Pages: page.Pages(), Chains: ch.Chains,
		IsAdmin: a.IsAdmin(), Filtered: q.Q != "" || q.ChainID != ""}
	for _, e := range page.Items {
		d.Rows = append(d.Rows, enterpriseRow{Enterprise: e, Place: entPlaceName(e, ch), Industry: entIndustryShort(e),
			Chains: entChainNames(e, ch), Liaison: ch.LiaisonNames[e.LiaisonID]})
	}
	link := func(p int) string {
		v := url.Values{"page": {strconv.Itoa(p)}}
		if q.Q != "" {
			v.Set("q", q.Q)
		}
		if page.PerPage != portal.DefaultEnterprisesPerPage {
			v.Set("per_page", strconv.Itoa(page.PerPage))
		}
		if q.ChainID != "" {
			v.Set("chain", q.ChainID)
		}
		return "/admin/enterprises?" + v.Encode()
	}
	if page.Page > 1 {
		d.PrevURL = link(page.Page - 1)
	}
	if page.Page < d.Pages {
		d.NextURL = link(page.Page + 1)
	}
	s.render(c, http.StatusOK, "admin_enterprises", enterpriseListTitle(a), d)
}

// entPlaceName is "街道 · 社区" for the list and the detail page.
func entPlaceName(e *portal.Enterprise, ch *portal.EnterpriseChoices) string {
	out := ch.UnitNames[e.SubdistrictID]
	if p := ch.UnitNames[e.ParkID]; p != "" {
		out += " · " + p
	}
	return out
}

// entIndustryName is "G 交通运输、仓储和邮政业 / 58 多式联运和运输代理业".
func entIndustryName(e *portal.Enterprise) string {
	out := ""
	if sec, ok := portal.IndustrySection(e.IndustrySection); ok {
		out = sec.Section + " " + sec.Name
	}
	if _, name, ok := portal.DivisionSection(e.IndustryDivision); ok {
		if out != "" {
			out += " / "
		}
		out += e.IndustryDivision + " " + name
	}
	return out
}

// entIndustryShort names the most precise industry known, for the list.
func entIndustryShort(e *portal.Enterprise) string {
	if _, name, ok := portal.DivisionSection(e.IndustryDivision); ok {
		return name
	}
	if sec, ok := portal.IndustrySection(e.IndustrySection); ok {
		return sec.Name
	}
	return ""
}

func entChainNames(e *portal.Enterprise, ch *portal.EnterpriseChoices) string {
	out := ""
	for i, id := range e.ChainIDs {
		if i > 0 {
			out += "、"
		}
		out += cmp.Or(ch.ChainNames[id], id)
	}
	return out
}

// enterpriseForm is the enterprise form as typed, with a message per field.
type enterpriseForm struct {
	USCC, Name, Address, SubdistrictID, ParkID, IndustrySection, IndustryDivision string
	ContactName, ContactPhone, LiaisonID                                          string
	ChainIDs                                                                      []string
}

// enterpriseEditData is what admin_enterprise.html shows: the detail, and
// the form the actor may use (full for admins, contact details for the
// enterprise's own staff, none for others).
type enterpriseEditData struct {
	New        bool
	Enterprise *portal.Enterprise
	Form       enterpriseForm
	Errors     map[string]string
	Error      string
	Place      string
	Industry   string
	Chains     string
	Liaison    string
	FullForm   bool
	SelfForm   bool
	Choices    *portal.EnterpriseChoices
	Industries []portal.Industry
	Action     string
}

// HasChain reports whether the form has chain id checked.
func (d enterpriseEditData) HasChain(id string) bool { return slices.Contains(d.Form.ChainIDs, id) }

func entFormOf(e *portal.Enterprise) enterpriseForm {
	return enterpriseForm{USCC: e.USCC, Name: e.Name, Address: e.Address, SubdistrictID: e.SubdistrictID, ParkID: e.ParkID,
		IndustrySection: e.IndustrySection, IndustryDivision: e.IndustryDivision, ContactName: e.ContactName,
		ContactPhone: e.ContactPhone, LiaisonID: e.LiaisonID, ChainIDs: e.ChainIDs}
}

// renderEnterprise shows the detail or creation page with status and err.
func (s *Server) renderEnterprise(c *gin.Context, status int, e *portal.Enterprise, form *enterpriseForm, err error) {
	a := portal.ActorFrom(c.Request.Context())
	ch, cerr := s.opt.Enterprises.Choices(c.Request.Context())
	if cerr != nil {
		s.fail(c, cerr)
		return
	}
	d := enterpriseEditData{Choices: ch, Industries: portal.Industries, Errors: portal.ErrorFields(err)}
	if err != nil {
		d.Error = portal.ErrorMessage(err)
	}
	title := "新增企业"
	if e == nil {
		d.New, d.FullForm, d.Action = true, true, "/admin/enterprises"
	} else {
		title = e.Name
		d.Enterprise, d.Place, d.Industry, d.Chains = e, entPlaceName(e, ch), entIndustryName(e), entChainNames(e, ch)
		d.Liaison = ch.LiaisonNames[e.LiaisonID]
		d.FullForm = a.IsAdmin()
		d.SelfForm = !d.FullForm && a.Has(portal.RoleEnterprise) && a.EnterpriseID == e.ID
		d.Action = "/admin/enterprises/" + e.ID
		d.Form = entFormOf(e)
	}
	if form != nil {
		d.Form = *form
	}
	s.render(c, status, "admin_enterprise", title, d)
}

func (s *Server) enterprisePage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	e, err := s.opt.Enterprises.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderEnterprise(c, http.StatusOK, e, nil, nil)
}

func (s *Server) enterpriseNewPage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	if err := s.opt.Enterprises.RequireAdmin(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.renderEnterprise(c, http.StatusOK, nil, nil, nil)
}

// enterpriseFormUpdate turns the posted form into an update holding only
// the fields the form carried, so the service judges exactly what was sent.
func enterpriseFormUpdate(c *gin.Context) portal.EnterpriseUpdate {
	var upd portal.EnterpriseUpdate
	for _, f := range []struct {
		name string
		to   **string
	}{
		{"name", &upd.Name}, {"address", &upd.Address}, {"subdistrict_id", &upd.SubdistrictID}, {"park_id", &upd.ParkID},
		{"industry_section", &upd.IndustrySection}, {"industry_division", &upd.IndustryDivision},
		{"contact_name", &upd.ContactName}, {"contact_phone", &upd.ContactPhone}, {"liaison_id", &upd.LiaisonID},
	} {
		if v, ok := c.GetPostForm(f.name); ok {
			*f.to = &v
		}
	}
	// Unticking every chain sends no chain_ids at all; the hidden field
	// tells that apart from a form without the chain checkboxes.
	if _, ok := c.GetPostForm("chain_ids_present"); ok {
		ids := c.PostFormArray("chain_ids")
		upd.ChainIDs = &ids
	}
	return upd
}

// entFormWith is the form of e with what the visitor typed over it, to
// show a refused form again as it was sent.
func entFormWith(e *portal.Enterprise, upd portal.EnterpriseUpdate) *enterpriseForm {
	typed := *e
	typed.ChainIDs = slices.Clone(e.ChainIDs)
	upd.Apply(&typed)
	form := entFormOf(&typed)
	return &form
}

func (s *Server) enterpriseUpdateSubmit(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	ctx := c.Request.Context()
	upd := enterpriseFormUpdate(c)
	e, err := s.opt.Enterprises.Update(ctx, c.Param("id"), upd)
	if err == nil {
		setFlash(c, "success", "已保存企业信息")
		c.Redirect(http.StatusSeeOther, "/admin/enterprises/"+e.ID)
		return
	}
	if code := portal.ErrorCode(err); code != portal.EINVALID && code != portal.EFORBIDDEN {
		s.fail(c, err)
		return
	}
	current, gerr := s.opt.Enterprises.Get(ctx, c.Param("id"))
	if gerr != nil {
		s.fail(c, gerr)
		return
	}
	s.renderEnterprise(c, StatusOf(err), current, entFormWith(current, upd), err)
}

func (s *Server) enterpriseCreateSubmit(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	upd := enterpriseFormUpdate(c)
	typed := &portal.Enterprise{USCC: c.PostForm("uscc")}
	upd.Apply(typed)
	in := portal.EnterpriseInput{USCC: typed.USCC, Name: typed.Name, Address: typed.Address, SubdistrictID: typed.SubdistrictID,
		ParkID: typed.ParkID, IndustrySection: typed.IndustrySection, IndustryDivision: typed.IndustryDivision,
		ContactName: typed.ContactName, ContactPhone: typed.ContactPhone, LiaisonID: typed.LiaisonID, ChainIDs: typed.ChainIDs}
	e, err := s.opt.Enterprises.Create(c.Request.Context(), in)
	if err == nil {
		setFlash(c, "success", "已新增企业："+e.Name)
		c.Redirect(http.StatusSeeOther, "/admin/enterprises/"+e.ID)
		return
	}
	if code := portal.ErrorCode(err); code != portal.EINVALID && code != portal.ECONFLICT {
		s.fail(c, err)
		return
	}
	form := entFormOf(typed)
	s.renderEnterprise(c, StatusOf(err), nil, &form, err)
}

// enterpriseImportData is what admin_enterprise_import.html shows.
type enterpriseImportData struct {
	Report   *portal.ImportReport
	Error    string
	MaxMiB   int
	MaxRows  int
	Columns  []string
	Filename string
}

func (s *Server) renderImport(c *gin.Context, status int, d enterpriseImportData) {
	d.MaxMiB, d.MaxRows, d.Columns = portal.MaxImportBytes>>20, portal.MaxImportRows, portal.ImportColumns
	s.render(c, status, "admin_enterprise_import", "批量导入企业", d)
}

func (s *Server) enterpriseImportPage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	if err := s.opt.Enterprises.RequireAdmin(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	s.renderImport(c, http.StatusOK, enterpriseImportData{})
}

// enterpriseImportSubmit imports the uploaded file and shows its report on
// the page it answers with: the report is the result, and sending the same
// file again changes nothing, so there is no redirect to lose it in.
func (s *Server) enterpriseImportSubmit(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	ctx := c.Request.Context()
	if err := s.opt.Enterprises.RequireAdmin(ctx); err != nil {
		s.fail(c, err)
		return
	}
	file, err := importUpload(c)
	if err != nil {
		s.renderImport(c, StatusOf(err), enterpriseImportData{Error: portal.ErrorMessage(err)})
		return
	}
	defer file.Close()
	name := ""
	if fh, ferr := c.FormFile("file"); ferr == nil {
		name = fh.Filename
	}
	rep, err := s.opt.Enterprises.Import(ctx, file)
	switch code := portal.ErrorCode(err); {
	case err == nil:
		s.renderImport(c, http.StatusOK, enterpriseImportData{Report: rep, Filename: name})
	case code == portal.EINVALID || code == portal.ETOOLARGE:
		s.renderImport(c, StatusOf(err), enterpriseImportData{Error: portal.ErrorMessage(err), Filename: name})
	default:
		s.fail(c, err)
	}
}

// enterpriseTemplate serves the import template as an attachment.
func (s *Server) enterpriseTemplate(format string) gin.HandlerFunc {
	types := map[string]string{
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"csv":  "text/csv; charset=utf-8",
	}
	return func(c *gin.Context) {
		if s.actor(c) == nil {
			return
		}
		b, err := s.opt.Enterprises.ImportTemplate(c.Request.Context(), format)
		if err != nil {
			s.fail(c, err)
			return
		}
		name := "企业导入模板." + format
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="enterprise-import-template.%s"; filename*=UTF-8''%s`, format, url.PathEscape(name)))
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, types[format], b)
	}
}
