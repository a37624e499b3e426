package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/workcal"
)

// slaPageRoutes registers the admin SLA plan editor and the form
// endpoints of extension requests, which the request page posts to.
func (s *Server) slaPageRoutes() {
	e := s.engine
	e.GET("/admin/sla", s.adminSLAPage)
	e.POST("/admin/sla", s.adminSLASave)
	e.POST("/requests/:id/extension", s.requestExtensionSubmit)
	e.POST("/requests/:id/extension/decision", s.requestExtensionDecide)
}

// slaCell is one limit of the matrix form: an amount and a unit.
type slaCell struct {
	Name   string // the field prefix, e.g. complaint.B.resolve
	Label  string // 签收, 紧急签收, 答复, 办结
	Amount string
	Units  []adminOption
	Error  string
}

// slaRow is one tier of a request type.
type slaRow struct {
	Tier  portal.Tier
	Cells []slaCell
}

// slaTypeGroup is the three tiers of one request type.
type slaTypeGroup struct {
	Type portal.RequestType
	Name string
	Rows []slaRow
}

// slaPreviewForm is the preview box with its result.
type slaPreviewForm struct {
	adminForm
	Type, Tier, Start string
	Urgent            bool
	Types, Tiers      []adminOption
	Result            *portal.SLAPreview
	Sentence          string
	Dues              []slaPreviewDue
}

// slaPreviewDue is one leg of a preview result, as people read it.
type slaPreviewDue struct {
	Name, Limit, Due string
}

type adminSLAData struct {
	Plans   *portal.SLAPlans // in force
	Version int              // the version the form is based on
	Form    adminForm
	Groups  []slaTypeGroup
	Preview slaPreviewForm
	History []*portal.SLAPlans
	Pager   adminPager
}

// slaUnits are the units a limit may use, in the order the form offers them.
var slaUnits = []workcal.Unit{workcal.Hours, workcal.WorkingDays, workcal.WorkingHours}

// slaUnitLabels name the units in the form.
var slaUnitLabels = map[workcal.Unit]string{workcal.Hours: "小时", workcal.WorkingDays: "工作日", workcal.WorkingHours: "工作小时"}

// slaGroups lays out plans as the form shows them; errs are the service's
// field messages, keyed "<type>.<tier>.<limit>".
func slaGroups(plans []portal.SLAPlan, amounts map[string]string, errs map[string]string) []slaTypeGroup {
	find := func(t portal.RequestType, tier portal.Tier) portal.SLAPlan {
		for _, p := range plans {
			if p.Type == t && p.Tier == tier {
				return p
			}
		}
		return portal.SLAPlan{Type: t, Tier: tier}
	}
	var out []slaTypeGroup
	for _, t := range portal.RequestTypes {
		g := slaTypeGroup{Type: t, Name: portal.RequestTypeNames[t]}
		for _, tier := range portal.SLATiers {
			p := find(t, tier)
			row := slaRow{Tier: tier}
			for _, key := range portal.SLALegKeys {
				lim := p.LimitByKey(key)
				name := string(t) + "." + string(tier) + "." + key
				cell := slaCell{Name: name, Label: portal.SLALegKeyNames[key], Amount: strconv.Itoa(lim.Amount), Error: errs[name]}
				if v, ok := amounts[name]; ok {
					cell.Amount = v
				}
				for _, u := range slaUnits {
					cell.Units = append(cell.Units, adminOption{Value: string(u), Label: slaUnitLabels[u], Selected: u == lim.Unit})
				}
				row.Cells = append(row.Cells, cell)
			}
			g.Rows = append(g.Rows, row)
		}
		out = append(out, g)
	}
	return out
}

// slaDueText writes a deadline for people: one at the end of a day as
// "2026-03-04（星期三）24:00", any other with its time of day.
func slaDueText(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	d := workcal.DateOf(t, loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		d = d.AddDays(-1)
		return fmt.Sprintf("%s（%s）24:00", d, d.WeekdayName())
	}
	return fmt.Sprintf("%s（%s）%s", d, d.WeekdayName(), t.Format("15:04"))
}

// slaPreviewFrom fills the preview box from the query and computes it;
// without parameters it previews a complaint dispatched now to tier B.
func (s *Server) slaPreviewFrom(c *gin.Context) slaPreviewForm {
	f := slaPreviewForm{Type: c.DefaultQuery("type", string(portal.TypeComplaint)), Tier: c.DefaultQuery("tier", string(portal.TierB)),
		Start: strings.TrimSpace(c.Query("start")), Urgent: c.Query("urgent") != ""}
	f.Errors = map[string]string{}
	for _, t := range portal.RequestTypes {
		f.Types = append(f.Types, adminOption{Value: string(t), Label: portal.RequestTypeNames[t], Selected: string(t) == f.Type})
	}
	for _, t := range portal.SLATiers {
		f.Tiers = append(f.Tiers, adminOption{Value: string(t), Label: string(t) + " 级", Selected: string(t) == f.Tier})
	}
	urgent := ""
	if f.Urgent {
		urgent = "true"
	}
	p, err := s.opt.SLA.Preview(c.Request.Context(), portal.SLAPreviewQuery{Type: f.Type, Tier: f.Tier, Urgent: urgent, Start: f.Start})
	if err != nil {
		f.Message = portal.ErrorMessage(err)
		if fields := portal.ErrorFields(err); fields != nil {
			f.Errors = fields
		}
		return f
	}
	loc := p.Start.Location()
	f.Result = p
	what := portal.RequestTypeNames[p.Type]
	if p.Urgent {
		what = "紧急" + what
	}
	when := "现在"
	if f.Start != "" {
		when = "于 " + p.Start.Format("2006-01-02 15:04") + " "
	}
	parts := []string{fmt.Sprintf("一件%s%s分拨到 %s 级", what, when, p.Tier)}
	for _, l := range p.Legs {
		due := slaDueText(l.Due, loc)
		parts = append(parts, l.Name+"截止 "+due)
		f.Dues = append(f.Dues, slaPreviewDue{Name: l.Name, Limit: l.Limit, Due: due})
	}
	f.Sentence = strings.Join(parts, "，") + "。"
	return f
}

func (s *Server) adminSLAPage(c *gin.Context) {
	if s.slaActor(c) == nil {
		return
	}
	s.renderSLAPage(c, http.StatusOK, nil)
}

// slaFormInput is a submitted matrix with the amounts as typed.
type slaFormInput struct {
	in      portal.SLAPlansInput
	amounts map[string]string
	form    adminForm
}

// renderSLAPage shows the editor; sent, when set, is a refused save to
// show again as typed.
func (s *Server) renderSLAPage(c *gin.Context, status int, sent *slaFormInput) {
	ctx := c.Request.Context()
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	// History is for admins only: it answers the others before anything
	// else is read.
	history, total, err := s.opt.SLA.History(ctx, pg.offset(), pg.PerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	cur, err := s.opt.SLA.Plans(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminSLAData{Plans: cur, Version: cur.Version, History: history, Pager: newAdminPager(c, pg, total),
		Preview: s.slaPreviewFrom(c)}
	if sent != nil {
		d.Version, d.Form = sent.in.Version, sent.form
		d.Groups = slaGroups(sent.in.Plans, sent.amounts, sent.form.Errors)
	} else {
		d.Form.Errors = map[string]string{}
		d.Groups = slaGroups(cur.Plans, nil, nil)
	}
	s.render(c, status, "admin_sla", "时限方案", d)
}

// readSLAForm reads the matrix form: per type, tier and limit an amount
// and a unit, and the version it was based on.
func readSLAForm(c *gin.Context) *slaFormInput {
	f := &slaFormInput{amounts: map[string]string{}}
	f.form.Errors = map[string]string{}
	v, err := strconv.Atoi(strings.TrimSpace(c.PostForm("version")))
	if err != nil {
		f.form.Errors["version"] = "版本号缺失或有误，请刷新页面后重试"
	}
	f.in.Version = v
	for _, t := range portal.RequestTypes {
		for _, tier := range portal.SLATiers {
			p := portal.SLAPlan{Type: t, Tier: tier}
			for _, key := range portal.SLALegKeys {
				name := string(t) + "." + string(tier) + "." + key
				raw := strings.TrimSpace(c.PostForm(name + ".amount"))
				f.amounts[name] = raw
				n, err := strconv.Atoi(raw)
				if err != nil {
					f.form.Errors[name] = fmt.Sprintf("%s · %s 级 %s：请填写整数", portal.RequestTypeNames[t], tier, portal.SLALegKeyNames[key])
				}
				lim := portal.SLALimit{Amount: n, Unit: workcal.Unit(c.PostForm(name + ".unit"))}
				switch key {
				case "sign":
					p.Sign = lim
				case "urgent_sign":
					p.UrgentSign = lim
				case "reply":
					p.Reply = lim
				default:
					p.Resolve = lim
				}
			}
			f.in.Plans = append(f.in.Plans, p)
		}
	}
	return f
}

func (s *Server) adminSLASave(c *gin.Context) {
	if s.slaActor(c) == nil {
		return
	}
	sent := readSLAForm(c)
	if len(sent.form.Errors) > 0 {
		// The service still decides who may save: a refusal comes first.
		if _, _, err := s.opt.SLA.History(c.Request.Context(), 0, 1); err != nil {
			s.fail(c, err)
			return
		}
		sent.form.Message = "时限方案有误"
		s.renderSLAPage(c, http.StatusBadRequest, sent)
		return
	}
	saved, err := s.opt.SLA.Save(c.Request.Context(), sent.in)
	switch portal.ErrorCode(err) {
	case "":
	case portal.EINVALID:
		sent.form.Message = portal.ErrorMessage(err)
		for k, v := range portal.ErrorFields(err) {
			sent.form.Errors[k] = v
		}
		s.renderSLAPage(c, http.StatusBadRequest, sent)
		return
	case portal.ECONFLICT:
		sent.form.Message = portal.ErrorMessage(err)
		s.renderSLAPage(c, http.StatusConflict, sent)
		return
	default:
		s.fail(c, err)
		return
	}
	if saved.Version == sent.in.Version {
		setFlash(c, "info", "时限方案没有改动")
	} else {
		setFlash(c, "success", fmt.Sprintf("已保存时限方案第 %d 版：此后分拨的诉求按新时限计算，已分拨的诉求不变", saved.Version))
	}
	c.Redirect(http.StatusSeeOther, "/admin/sla")
}

// requestBack is the request page a form about request id returns to.
func requestBack(id string) string { return "/requests/" + url.PathEscape(id) }

// flashRefusal puts a refused form's message, with what each field got
// wrong, in an error flash; other errors are answered with s.fail and
// false returned.
func (s *Server) flashRefusal(c *gin.Context, err error) bool {
	switch portal.ErrorCode(err) {
	case portal.EINVALID, portal.ECONFLICT, portal.EFORBIDDEN:
	default:
		s.fail(c, err)
		return false
	}
	msg := portal.ErrorMessage(err)
	fields := portal.ErrorFields(err)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != "status" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		msg += "；" + fields[k]
	}
	setFlash(c, "error", msg)
	return true
}

// requestExtensionSubmit takes the extension form of the request page:
// leg, due (a date or date and time) or extra_days, reason and version.
func (s *Server) requestExtensionSubmit(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	id := c.Param("id")
	in := portal.ExtensionInput{Leg: c.PostForm("leg"), Due: c.PostForm("due"), Reason: c.PostForm("reason")}
	in.Version, _ = strconv.Atoi(c.PostForm("version"))
	var err error
	if v := strings.TrimSpace(c.PostForm("extra_days")); v != "" {
		if in.ExtraDays, err = strconv.Atoi(v); err != nil {
			err = portal.Invalid("延期申请有误", map[string]string{"extra_days": "延长的工作日数必须是整数"})
		}
	}
	if err == nil {
		_, err = s.opt.Requests.RequestExtension(c.Request.Context(), id, in)
	}
	if err != nil {
		if s.flashRefusal(c, err) {
			c.Redirect(http.StatusSeeOther, requestBack(id))
		}
		return
	}
	setFlash(c, "success", "已提交延期申请，等待分拨员或部门负责人审批")
	c.Redirect(http.StatusSeeOther, requestBack(id))
}

// requestExtensionDecide takes the decision form of the request page:
// decision approve or refuse, note and version.
func (s *Server) requestExtensionDecide(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	id := c.Param("id")
	in := portal.ExtensionDecision{Note: c.PostForm("note")}
	in.Version, _ = strconv.Atoi(c.PostForm("version"))
	switch c.PostForm("decision") {
	case "approve":
		in.Approve = new(bool)
		*in.Approve = true
	case "refuse":
		in.Approve = new(bool)
	}
	r, err := s.opt.Requests.DecideExtension(c.Request.Context(), id, in)
	if err != nil {
		if s.flashRefusal(c, err) {
			c.Redirect(http.StatusSeeOther, requestBack(id))
		}
		return
	}
	msg := "已不同意延期申请"
	if *in.Approve {
		msg = "已同意延期申请，新的截止时间已生效"
		if leg := r.SLA.NextDue(); leg != nil {
			msg += "（当前最近截止 " + slaDueText(*leg, s.opt.Location) + "）"
		}
	}
	setFlash(c, "success", msg)
	c.Redirect(http.StatusSeeOther, requestBack(id))
}
