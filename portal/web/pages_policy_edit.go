package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/search"
)

// ---------- /admin/policies: the editors' list ----------

// adminPolicyRow is one line of the editors' list.
type adminPolicyRow struct {
	ID           string
	Title        string
	Status       policies.Status
	StatusName   string
	CategoryName string
	LevelName    string
	Deadline     string
	Updated      time.Time
	Version      int
}

// adminPoliciesData is what admin_policies.html shows.
type adminPoliciesData struct {
	Q        string
	Status   string
	Statuses []choice
	Rows     []adminPolicyRow
	Total    int
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Filtered bool
	Error    string
	IsAdmin  bool
}

// adminPoliciesPerPage is the page size of the editors' list and the picker.
const adminPoliciesPerPage = 20

// statusOrder is the order the life-cycle states are offered in.
var statusOrder = []policies.Status{policies.StatusDraft, policies.StatusPublished, policies.StatusExpired, policies.StatusRevoked}

// requireEditor answers the page with 403 unless the actor maintains the
// catalogue, the rule being the catalogue's own (policies.CanEdit).
func (s *Server) requireEditor(c *gin.Context) bool {
	if !policies.CanEdit(c.Request.Context()) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "只有政策编辑或管理员可以维护政策库"))
		return false
	}
	return true
}

func (s *Server) adminPoliciesPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil || !s.requireEditor(c) {
		return
	}
	d := adminPoliciesData{Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status"), IsAdmin: a.IsAdmin()}
	for _, st := range statusOrder {
		d.Statuses = append(d.Statuses, choice{Value: string(st), Label: policies.StatusNames[st], Selected: string(st) == d.Status})
	}
	d.Filtered = d.Q != "" || d.Status != ""
	page, _, err := pageParams(c)
	fields := portal.ErrorFields(err)
	if fields == nil {
		fields = map[string]string{}
	}
	if _, ok := policies.StatusNames[policies.Status(d.Status)]; d.Status != "" && !ok {
		fields["status"] = "状态应为 draft、published、expired 或 revoked"
	}
	if utf8.RuneCountInString(d.Q) > 100 {
		fields["q"] = "搜索词不能超过 100 个字"
	}
	if page > 1000 {
		fields["page"] = "页码应为 1–1000"
	}
	if len(fields) > 0 {
		d.Error = searchErrorText(portal.Invalid("查询参数有误", fields))
		s.render(c, http.StatusBadRequest, "admin_policies", "政策管理", d)
		return
	}
	list, total, err := s.editorCatalogue(c, d.Q, d.Status, max(page, 1))
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.policyNow()
	for _, p := range list {
		row := adminPolicyRow{ID: p.ID, Title: p.Title, Status: p.Status, StatusName: policies.StatusNames[p.Status],
			CategoryName: policies.CategoryNames[p.Category], LevelName: policies.LevelNames[p.Level], Updated: p.UpdatedAt, Version: p.Version}
		day, hint, _ := s.deadline(p.ApplyEnd, now)
		row.Deadline = strings.TrimSpace(day + " " + hint)
		d.Rows = append(d.Rows, row)
	}
	d.Total, d.Page = total, max(page, 1)
	d.Pages = max(1, min((total+adminPoliciesPerPage-1)/adminPoliciesPerPage, 1000))
	link := func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}}
		if d.Q != "" {
			v.Set("q", d.Q)
		}
		if d.Status != "" {
			v.Set("status", d.Status)
		}
		return "/admin/policies?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = link(d.Page + 1)
	}
	s.render(c, http.StatusOK, "admin_policies", "政策管理", d)
}

// editorCatalogue finds policies of every status for an editor, filtered
// by status: policies.SearchParams has no status filter (the public sees
// published ones only), so the index is asked directly, and the hits are
// read back from the store, the truth, in index order.
func (s *Server) editorCatalogue(c *gin.Context, q, status string, page int) ([]*policies.Policy, int, error) {
	ctx := c.Request.Context()
	query := search.Query{Text: q, Page: page, PerPage: adminPoliciesPerPage}
	if q == "" {
		query.Sort = []string{"-updated_at"}
	}
	if status != "" {
		query.Filters = []search.Filter{{Field: "status", Values: []string{status}}}
	}
	res, err := s.opt.Policies.Index.Search(ctx, query.Normalize())
	if err != nil {
		return nil, 0, portal.Internal(err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	found, _, err := s.opt.Policies.Store.FindPolicies(ctx, policies.Filter{IDs: ids})
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[string]*policies.Policy, len(found))
	for _, p := range found {
		byID[p.ID] = p
	}
	out := make([]*policies.Policy, 0, len(ids))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
		}
	}
	return out, res.Total, nil
}

// ---------- the editor's form ----------

// criteriaRow is one row of the criteria builder as typed.
type criteriaRow struct {
	Field string
	Op    string
	Value string
	Label string
	Error string
	Ops   []choice // the operators of the row's field, all for an empty row
	Hint  string   // what to type as the value
}

// policyForm is the editor's form as typed.
type policyForm struct {
	Version    int
	Title      string
	DocNo      string
	Issuer     string
	Level      string
	Category   string
	Kind       string
	Summary    string
	Body       string
	Benefit    string
	MaxAmount  string // 万元
	ApplyStart string // YYYY-MM-DD
	ApplyEnd   string // YYYY-MM-DD, the last day
	HowToApply string
	Contact    string
	Tags       string
	Industries []string
	Regions    []string
	AutoGrant  bool
	Rows       []criteriaRow
}

// formOf fills the form from a stored policy. A label that is the one
// written out from its clause is shown empty, so that saving writes it anew
// from the value as changed; a label the editor wrote is kept.
func (s *Server) formOf(p *policies.Policy, units map[string]string) policyForm {
	f := policyForm{Version: p.Version, Title: p.Title, DocNo: p.DocNo, Issuer: p.Issuer, Level: string(p.Level),
		Category: string(p.Category), Kind: string(p.Kind), Summary: p.Summary, Body: p.Body, Benefit: p.Benefit,
		HowToApply: p.HowToApply, Contact: p.Contact, Tags: strings.Join(p.Tags, "，"), Industries: p.Industries,
		Regions: p.Regions, AutoGrant: p.AutoGrant}
	if p.MaxAmount > 0 {
		f.MaxAmount = strconv.FormatFloat(p.MaxAmount/1e4, 'f', -1, 64)
	}
	if p.ApplyStart != nil {
		f.ApplyStart = p.ApplyStart.In(s.opt.Location).Format("2006-01-02")
	}
	if p.ApplyEnd != nil {
		f.ApplyEnd = lastDay(*p.ApplyEnd).In(s.opt.Location).Format("2006-01-02")
	}
	for _, cl := range p.Criteria {
		label := cl.Label
		if label == describeClause(policies.Clause{Field: cl.Field, Op: cl.Op, Value: cl.Value}, units) {
			label = ""
		}
		f.Rows = append(f.Rows, criteriaRow{Field: cl.Field, Op: cl.Op, Value: clauseText(cl, ","), Label: label})
	}
	return f
}

// readPolicyForm reads the posted form. Rows whose field, value and label
// are all empty are dropped; origin maps each kept row to its place in the
// form, so that a message can be put beside the row it is about.
func readPolicyForm(c *gin.Context) (f policyForm, origin []int) {
	f = policyForm{Title: c.PostForm("title"), DocNo: c.PostForm("doc_no"), Issuer: c.PostForm("issuer"),
		Level: c.PostForm("level"), Category: c.PostForm("category"), Kind: c.PostForm("kind"), Summary: c.PostForm("summary"),
		Body: c.PostForm("body"), Benefit: c.PostForm("benefit"), MaxAmount: strings.TrimSpace(c.PostForm("max_amount")),
		ApplyStart: c.PostForm("apply_start"), ApplyEnd: c.PostForm("apply_end"), HowToApply: c.PostForm("how_to_apply"),
		Contact: c.PostForm("contact"), Tags: c.PostForm("tags"), Industries: c.PostFormArray("industries"),
		Regions: c.PostFormArray("regions")}
	switch c.PostForm("auto_grant") {
	case "on", "true", "1":
		f.AutoGrant = true
	}
	f.Version, _ = strconv.Atoi(c.PostForm("version"))
	fields, ops, values, labels := c.PostFormArray("crit_field"), c.PostFormArray("crit_op"), c.PostFormArray("crit_value"), c.PostFormArray("crit_label")
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	for i := range max(len(fields), len(ops), len(values), len(labels)) {
		r := criteriaRow{Field: at(fields, i), Op: at(ops, i), Value: at(values, i), Label: at(labels, i)}
		if r.Field == "" && r.Value == "" && r.Label == "" {
			continue
		}
		f.Rows = append(f.Rows, r)
		origin = append(origin, i)
	}
	return f, origin
}

// policy turns the form into a policy, naming each value it cannot read.
func (f *policyForm) policy(loc *time.Location, units map[string]string) (*policies.Policy, map[string]string) {
	fields := map[string]string{}
	p := &policies.Policy{Title: f.Title, DocNo: f.DocNo, Issuer: f.Issuer, Level: policies.Level(f.Level),
		Category: policies.Category(f.Category), Kind: policies.Kind(f.Kind), Summary: f.Summary, Body: f.Body,
		Benefit: f.Benefit, HowToApply: f.HowToApply, Contact: f.Contact, Tags: splitList(f.Tags),
		Industries: f.Industries, Regions: f.Regions, AutoGrant: f.AutoGrant}
	if f.MaxAmount != "" {
		wan, err := strconv.ParseFloat(f.MaxAmount, 64)
		if err != nil || math.IsNaN(wan) || math.IsInf(wan, 0) {
			fields["max_amount"] = "最高金额应为数字（万元），如 20 或 0.5"
		} else {
			p.MaxAmount = math.Round(wan * 1e4)
		}
	}
	var err error
	if p.ApplyStart, err = parseDate(f.ApplyStart, loc, false); err != nil {
		fields["apply_start"] = "申报开始日期" + err.Error()
	}
	if p.ApplyEnd, err = parseDate(f.ApplyEnd, loc, true); err != nil {
		fields["apply_end"] = "申报截止日期" + err.Error()
	}
	for _, r := range f.Rows {
		cl := policies.Clause{Field: r.Field, Op: r.Op, Value: clauseJSON(r.Field, r.Op, r.Value), Label: r.Label}
		if cl.Label == "" && cl.Validate() == nil {
			// A written label reads better in reasons than the field's bare name.
			cl.Label = describeClause(cl, units)
		}
		p.Criteria = append(p.Criteria, cl)
	}
	return p, fields
}

// checkForm validates the policy the form gives, joining the form's own
// complaints with the catalogue's, so that every wrong field is named at
// once; the service validates again when it saves.
func checkForm(p *policies.Policy, fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	p.Normalize()
	for k, v := range portal.ErrorFields(p.Validate()) {
		if _, ok := fields[k]; !ok {
			fields[k] = v
		}
	}
	return portal.Invalid("政策信息有误", fields)
}

// policyEditData is what admin_policy_edit.html shows.
type policyEditData struct {
	New        bool
	Policy     *policies.Policy
	StatusName string
	Form       policyForm
	Errors     map[string]string
	Error      string
	Conflict   bool
	Action     string
	Levels     []choice
	Categories []choice
	Kinds      []choice
	Industries []choice
	Regions    []choice
	Fields     []criteriaField
	OpNames    string // JSON [[operator, Chinese name], …] in display order, for the script
	CanPublish bool
	CanRevoke  bool
	Revoked    bool
}

// criteriaField is one field the builder offers, with what the script
// needs to narrow the operators and hint the value.
type criteriaField struct {
	Value string
	Label string
	Ops   string // space-separated
	Hint  string
}

// renderPolicyForm shows the new or edit form with status and err.
func (s *Server) renderPolicyForm(c *gin.Context, status int, stored *policies.Policy, form *policyForm, err error) {
	d := policyEditData{Errors: portal.ErrorFields(err), Action: "/admin/policies"}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if err != nil {
		d.Error = portal.ErrorMessage(err)
		d.Conflict = portal.ErrorCode(err) == portal.ECONFLICT
	}
	var units []*portal.OrgUnit
	if s.opt.Org != nil {
		var uerr error
		if units, uerr = s.opt.Org.FindOrgUnits(c.Request.Context(), portal.OrgUnitFilter{}); uerr != nil {
			s.fail(c, uerr)
			return
		}
	}
	unitNames := make(map[string]string, len(units))
	for _, u := range units {
		unitNames[u.ID] = u.Name
	}
	title := "新建政策"
	if stored == nil {
		d.New, d.CanPublish = true, true
		d.Form = policyForm{Kind: string(policies.KindPolicy), Level: string(policies.LevelDistrict)}
	} else {
		title = "编辑：" + stored.Title
		d.Policy, d.StatusName, d.Action = stored, policies.StatusNames[stored.Status], "/admin/policies/"+stored.ID
		d.Revoked = stored.Status == policies.StatusRevoked
		d.CanPublish = stored.Status == policies.StatusDraft || stored.Status == policies.StatusExpired
		d.CanRevoke = !d.Revoked
		d.Form = s.formOf(stored, unitNames)
	}
	if form != nil {
		d.Form = *form
	}
	for i := range d.Form.Rows {
		d.Form.Rows[i].Error = d.Errors[fmt.Sprintf("criteria[%d]", i)]
	}
	// Without the script a new row cannot be added: blank rows to fill in
	// are always there, three on a fresh form, one below typed rows.
	blank := 1
	if len(d.Form.Rows) == 0 {
		blank = 3
	}
	for range blank {
		d.Form.Rows = append(d.Form.Rows, criteriaRow{})
	}
	for i := range d.Form.Rows {
		r := &d.Form.Rows[i]
		r.Ops, r.Hint = opChoices(r.Field, r.Op), criteriaHints[r.Field]
	}
	ops := [][2]string{}
	for _, op := range criteriaOps() {
		ops = append(ops, [2]string{op, policies.OpNames[op]})
	}
	names, _ := json.Marshal(ops)
	d.OpNames = string(names)
	for _, f := range criteriaFields() {
		info := policies.Fields[f]
		label := info.Name
		if info.Unit != "" {
			label += "（" + info.Unit + "）"
		}
		d.Fields = append(d.Fields, criteriaField{Value: f, Label: label, Ops: strings.Join(info.Ops, " "), Hint: criteriaHints[f]})
	}
	for _, lv := range levelOrder {
		d.Levels = append(d.Levels, choice{Value: string(lv), Label: policies.LevelNames[lv], Selected: string(lv) == d.Form.Level})
	}
	for _, cat := range policies.CategoryOrder {
		d.Categories = append(d.Categories, choice{Value: string(cat), Label: policies.CategoryNames[cat], Selected: string(cat) == d.Form.Category})
	}
	for _, k := range []policies.Kind{policies.KindPolicy, policies.KindServiceProduct} {
		d.Kinds = append(d.Kinds, choice{Value: string(k), Label: policies.KindNames[k], Selected: string(k) == d.Form.Kind})
	}
	for _, in := range portal.Industries {
		d.Industries = append(d.Industries, choice{Value: in.Section, Label: in.Section + " " + in.Name, Selected: slices.Contains(d.Form.Industries, in.Section)})
		for _, dv := range in.Divisions {
			d.Industries = append(d.Industries, choice{Value: dv.Code, Label: "　" + dv.Code + " " + dv.Name, Selected: slices.Contains(d.Form.Industries, dv.Code)})
		}
	}
	for _, u := range units {
		if u.Kind == portal.KindSubdistrict || u.Kind == portal.KindCommunity || u.Kind == portal.KindPark {
			label := u.Name
			if u.Kind != portal.KindSubdistrict {
				label = "　" + label
			}
			d.Regions = append(d.Regions, choice{Value: u.ID, Label: label, Selected: slices.Contains(d.Form.Regions, u.ID)})
		}
	}
	s.render(c, status, "admin_policy_edit", title, d)
}

// opChoices are the operators a row offers: its field's, or all of them.
func opChoices(field, selected string) []choice {
	ops := criteriaOps()
	if info, ok := policies.Fields[field]; ok {
		ops = info.Ops
	}
	out := make([]choice, 0, len(ops))
	for _, op := range ops {
		out = append(out, choice{Value: op, Label: policies.OpNames[op], Selected: op == selected})
	}
	return out
}

func (s *Server) adminPolicyNewPage(c *gin.Context) {
	if s.actor(c) == nil || !s.requireEditor(c) {
		return
	}
	s.renderPolicyForm(c, http.StatusOK, nil, nil, nil)
}

func (s *Server) adminPolicyEditPage(c *gin.Context) {
	if s.actor(c) == nil || !s.requireEditor(c) {
		return
	}
	p, err := s.opt.Policies.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderPolicyForm(c, http.StatusOK, p, nil, nil)
}

// formPolicy reads the posted form into a policy; err names every wrong
// field when the form itself cannot be read.
func (s *Server) formPolicy(c *gin.Context) (*policies.Policy, policyForm, []int, error) {
	form, origin := readPolicyForm(c)
	units, err := s.unitNames(c)
	if err != nil {
		return nil, form, origin, err
	}
	p, fields := form.policy(s.opt.Location, units)
	return p, form, origin, checkForm(p, fields)
}

func (s *Server) adminPolicyCreate(c *gin.Context) {
	if s.actor(c) == nil || !s.requireEditor(c) {
		return
	}
	ctx := c.Request.Context()
	p, form, _, err := s.formPolicy(c)
	if err == nil {
		p, err = s.opt.Policies.Create(ctx, p)
	}
	switch code := portal.ErrorCode(err); {
	case err == nil:
		s.afterSave(c, p, "已保存草稿："+p.Title)
	case code == portal.EINVALID:
		s.renderPolicyForm(c, http.StatusBadRequest, nil, &form, err)
	default:
		s.fail(c, err)
	}
}

func (s *Server) adminPolicyUpdate(c *gin.Context) {
	if s.actor(c) == nil || !s.requireEditor(c) {
		return
	}
	ctx := c.Request.Context()
	p, form, _, err := s.formPolicy(c)
	if err == nil {
		p, err = s.opt.Policies.Update(ctx, c.Param("id"), form.Version, p)
	}
	code := portal.ErrorCode(err)
	if err == nil {
		s.afterSave(c, p, "已保存修改："+p.Title)
		return
	}
	if code != portal.EINVALID && code != portal.ECONFLICT {
		s.fail(c, err)
		return
	}
	stored, gerr := s.opt.Policies.Get(ctx, c.Param("id"))
	if gerr != nil {
		s.fail(c, gerr)
		return
	}
	s.renderPolicyForm(c, StatusOf(err), stored, &form, err)
}

// afterSave publishes the saved policy when the editor asked for it and
// goes back to where they continue: the public page once published, the
// form otherwise. A refused publication keeps the saved draft and says why.
func (s *Server) afterSave(c *gin.Context, p *policies.Policy, saved string) {
	if c.PostForm("action") != "publish" {
		setFlash(c, "success", saved)
		c.Redirect(http.StatusSeeOther, "/admin/policies/"+p.ID+"/edit")
		return
	}
	pub, err := s.opt.Policies.Publish(c.Request.Context(), p.ID)
	switch code := portal.ErrorCode(err); {
	case err == nil:
		setFlash(c, "success", "已发布："+pub.Title)
		c.Redirect(http.StatusSeeOther, "/policies/"+pub.ID)
	case code == portal.EINVALID || code == portal.ECONFLICT:
		setFlash(c, "error", "修改已保存，但没有发布："+portal.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, "/admin/policies/"+p.ID+"/edit")
	default:
		s.fail(c, err)
	}
}

func (s *Server) adminPolicyRevoke(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	p, err := s.opt.Policies.Revoke(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	setFlash(c, "success", "已废止："+p.Title)
	c.Redirect(http.StatusSeeOther, "/admin/policies/"+p.ID+"/edit")
}

// ---------- the match preview ----------

// policyPreview is how many enterprises the criteria in the form admit.
type policyPreview struct {
	Eligible   int `json:"eligible"`
	NearMiss   int `json:"near_miss"`
	NeedsInfo  int `json:"needs_info"`
	Ineligible int `json:"ineligible"`
	Total      int `json:"total"`
}

// enterpriseScanner reads every enterprise in batches.
type enterpriseScanner interface {
	ScanEnterprises(ctx context.Context, f portal.EnterpriseFilter, batch int, fn func([]*portal.Enterprise) error) error
}

// adminPolicyPreview answers POST /admin/policies/preview with JSON: the
// counts over every enterprise of the conditions in the editor's form, so
// they can see what a condition does before saving it. Problems come as
// JSON errors; criteria[i] names the row's place in the form.
func (s *Server) adminPolicyPreview(c *gin.Context) {
	ctx := c.Request.Context()
	switch a := portal.ActorFrom(ctx); {
	case a == nil:
		s.writeError(c, portal.Errorf(portal.EUNAUTHENTICATED, "请先登录"))
		return
	case !policies.CanEdit(ctx):
		s.writeError(c, portal.Errorf(portal.EFORBIDDEN, "只有政策编辑或管理员可以预览匹配企业"))
		return
	}
	form, origin := readPolicyForm(c)
	units, err := s.unitNames(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	p, _ := form.policy(s.opt.Location, units)
	p.Normalize()
	fields := map[string]string{}
	for k, v := range portal.ErrorFields(p.Validate()) {
		if k == "industries" || k == "criteria" {
			fields[k] = v
		} else if i, ok := criteriaIndex(k); ok && i < len(origin) {
			fields[fmt.Sprintf("criteria[%d]", origin[i])] = v
		}
	}
	if len(fields) > 0 {
		s.writeError(c, portal.Invalid("条件有误，请先修正", fields))
		return
	}
	var scan enterpriseScanner
	switch {
	case s.opt.Matcher != nil:
		scan = s.opt.Matcher.Enterprises
	case s.opt.Enterprises != nil:
		scan, _ = s.opt.Enterprises.Enterprises.(enterpriseScanner)
	}
	if scan == nil {
		s.writeError(c, portal.Errorf(portal.EUNAVAILABLE, "企业名录暂不可用，无法预览"))
		return
	}
	compiled, now := policies.Compile(p), s.policyNow()
	var out policyPreview
	err = scan.ScanEnterprises(ctx, portal.EnterpriseFilter{}, 500, func(es []*portal.Enterprise) error {
		for _, e := range es {
			out.Total++
			switch compiled.Status(e, now) {
			case policies.Eligible:
				out.Eligible++
			case policies.NearMiss:
				out.NearMiss++
			case policies.NeedsInfo:
				out.NeedsInfo++
			default:
				out.Ineligible++
			}
		}
		return nil
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

// criteriaIndex reads the row number of a "criteria[i]" field name.
func criteriaIndex(field string) (int, bool) {
	n, ok := strings.CutPrefix(field, "criteria[")
	if !ok {
		return 0, false
	}
	n, ok = strings.CutSuffix(n, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n)
	return i, err == nil && i >= 0
}
