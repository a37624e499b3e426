package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// actionSpec is how a page offers one action: its button, and the field
// it needs besides the choices of department, tier or master request.
type actionSpec struct {
	Label       string
	Submit      string
	Field       string // "text", "reason" or ""
	FieldLabel  string
	Placeholder string
	Required    bool
	MaxLen      int
	NeedsUnit   bool // a department select
	NeedsTier   bool // a tier select
	Master      bool
	Inline      bool // one click, nothing to fill in
	Style       string
}

// actionSpecs lay out every public action.
var actionSpecs = map[portal.Action]actionSpec{
	portal.ActDispatch: {Label: "分拨", Submit: "确认分拨", NeedsUnit: true},
	portal.ActRedispatch: {Label: "改派", Submit: "确认改派", NeedsUnit: true, Field: "reason", FieldLabel: "改派原因（可不填）",
		MaxLen: 200, Style: "secondary"},
	portal.ActSign: {Label: "签收", Inline: true},
	portal.ActReply: {Label: "答复", Submit: "提交答复", Field: "text", FieldLabel: "答复内容", Required: true, MaxLen: 2000,
		Placeholder: "向企业说明办理意见、依据和下一步安排"},
	portal.ActResolve: {Label: "办结", Submit: "确认办结", Field: "text", FieldLabel: "办结情况", Required: true, MaxLen: 2000,
		Placeholder: "说明问题如何解决、结果如何"},
	portal.ActReturn: {Label: "退回", Submit: "确认退回", Field: "reason", FieldLabel: "退回原因", Required: true, MaxLen: 200,
		Placeholder: "如：不属于本单位职责，建议由区人力资源局办理", Style: "secondary"},
	portal.ActSuspend: {Label: "挂起", Submit: "确认挂起", Field: "reason", FieldLabel: "挂起原因", Required: true, MaxLen: 200,
		Placeholder: "如：等待企业补充用地材料", Style: "secondary"},
	portal.ActResume: {Label: "恢复办理", Submit: "恢复办理", Field: "reason", FieldLabel: "说明（可不填）", MaxLen: 200},
	portal.ActWithdraw: {Label: "撤回诉求", Submit: "确认撤回", Field: "reason", FieldLabel: "撤回原因（可不填）", MaxLen: 200,
		Style: "secondary"},
	portal.ActMerge: {Label: "合并", Submit: "确认合并", Master: true, Field: "reason", FieldLabel: "合并说明（可不填）", MaxLen: 200,
		Style: "secondary"},
	portal.ActEscalate: {Label: "申请升级", Submit: "提交升级申请", NeedsTier: true, Field: "reason", FieldLabel: "升级原因", Required: true,
		MaxLen: 200, Placeholder: "如：涉及多个街道，需要区级部门协调", Style: "secondary"},
}

// actionForm is one action offered on a request, with what was typed into
// it when it was refused.
type actionForm struct {
	actionSpec
	Action      string
	RequestID   string
	Version     int
	Next        string
	CSRF        string
	Departments []deptGroup
	Tiers       []choice
	Suggested   *portal.RouteSuggestion
	FieldValue  string
	MasterValue string
	Department  string // the unit typed into a refused form
	Tier        string // the tier typed into a refused form
	Message     string
	Errors      map[string]string
	Open        bool
}

// fill copies what was typed into the refused form f over this one.
func (a *actionForm) fill(f *actionForm) {
	a.FieldValue, a.MasterValue, a.Message, a.Errors, a.Open = f.FieldValue, f.MasterValue, f.Message, f.Errors, true
	if f.Department != "" {
		selectDept(a.Departments, f.Department)
	}
	for i := range a.Tiers {
		a.Tiers[i].Selected = a.Tiers[i].Value == f.Tier
	}
}

// selectDept selects the unit id in groups.
func selectDept(groups []deptGroup, id string) {
	for gi := range groups {
		for oi := range groups[gi].Options {
			o := &groups[gi].Options[oi]
			o.Selected = o.Value == id
		}
	}
}

// deptGroup is the units of one tier in a department select.
type deptGroup struct {
	Label   string
	Options []choice
}

// tierLabels name the tiers in selects.
var tierLabels = map[portal.Tier]string{portal.TierA: "A 级 · 区直部门", portal.TierB: "B 级 · 街道", portal.TierC: "C 级 · 社区和园区"}

// departmentGroups lists the units that can take requests (those with a
// tier), grouped by tier.
func (s *Server) departmentGroups(ctx context.Context) ([]deptGroup, error) {
	org := s.opt.Org
	if org == nil {
		org = s.opt.Requests.Org
	}
	units, err := org.FindOrgUnits(ctx, portal.OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	var out []deptGroup
	for _, t := range []portal.Tier{portal.TierA, portal.TierB, portal.TierC} {
		g := deptGroup{Label: tierLabels[t]}
		for _, u := range units {
			if u.Tier == t {
				g.Options = append(g.Options, choice{Value: u.ID, Label: u.Name})
			}
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// suggest asks the routing rules where r should go; nil without rules or
// when none fits. A failing router costs the suggestion, not the page.
func (s *Server) suggest(ctx context.Context, r *portal.Request) *portal.RouteSuggestion {
	if s.opt.Requests.Router == nil {
		return nil
	}
	sug, err := s.opt.Requests.Router.Suggest(ctx, r)
	if err != nil {
		s.log.Error("suggest route", "request", r.ID, "err", err)
		return nil
	}
	return sug
}

// actionForms lays out the actions the actor may take on r now; only,
// when set, keeps those actions alone (the inbox's inline ones).
func (s *Server) actionForms(ctx context.Context, r *portal.Request, next, csrf string, only []portal.Action) ([]actionForm, error) {
	var out []actionForm
	var depts []deptGroup
	for _, act := range s.opt.Requests.AllowedActions(ctx, r) {
		if only != nil && !slices.Contains(only, act) {
			continue
		}
		f := actionForm{actionSpec: actionSpecs[act], Action: string(act), RequestID: r.ID, Version: r.Version, Next: next, CSRF: csrf}
		if f.NeedsUnit {
			if depts == nil {
				var err error
				if depts, err = s.departmentGroups(ctx); err != nil {
					return nil, err
				}
			}
			f.Departments = cloneGroups(depts)
			if act == portal.ActDispatch {
				// With a suggestion the form opens on it: confirming is one click.
				if f.Suggested = s.suggest(ctx, r); f.Suggested != nil {
					selectDept(f.Departments, f.Suggested.DepartmentID)
					f.Open = true
				}
			}
		}
		if f.NeedsTier {
			for _, t := range []portal.Tier{portal.TierB, portal.TierA} {
				if r.Tier == "" || tierAbove(t, r.Tier) {
					f.Tiers = append(f.Tiers, choice{Value: string(t), Label: tierLabels[t]})
				}
			}
			if len(f.Tiers) == 0 {
				continue // a district department has no higher tier to ask for
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// tierAbove reports whether t is a higher tier than u (A above B above C).
func tierAbove(t, u portal.Tier) bool { return t < u }

// cloneGroups copies groups so that each form selects on its own.
func cloneGroups(groups []deptGroup) []deptGroup {
	out := make([]deptGroup, len(groups))
	for i, g := range groups {
		out[i] = deptGroup{Label: g.Label, Options: append([]choice(nil), g.Options...)}
	}
	return out
}

// localNext is where a request form sends the visitor after it: a path of
// the request pages, never another site.
func localNext(next, fallback string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/requests") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return fallback
	}
	return u.RequestURI()
}

// doneMessage is the flash after a successful action.
func doneMessage(act portal.Action, r *portal.Request) string {
	switch act {
	case portal.ActDispatch:
		return fmt.Sprintf("诉求 %s 已分拨至%s", r.No, r.DepartmentName)
	case portal.ActRedispatch:
		return fmt.Sprintf("诉求 %s 已改派至%s", r.No, r.DepartmentName)
	case portal.ActSign:
		return fmt.Sprintf("已签收诉求 %s，请在时限内答复", r.No)
	case portal.ActReply:
		return fmt.Sprintf("已答复诉求 %s，企业会收到通知", r.No)
	case portal.ActResolve:
		return fmt.Sprintf("诉求 %s 已办结", r.No)
	case portal.ActReturn:
		return fmt.Sprintf("诉求 %s 已退回分拨员重新分拨", r.No)
	case portal.ActSuspend:
		return fmt.Sprintf("诉求 %s 已挂起", r.No)
	case portal.ActResume:
		return fmt.Sprintf("诉求 %s 已恢复办理", r.No)
	case portal.ActWithdraw:
		return fmt.Sprintf("诉求 %s 已撤回", r.No)
	case portal.ActMerge:
		return fmt.Sprintf("诉求 %s 已合并到主诉求", r.No)
	case portal.ActEscalate:
		return fmt.Sprintf("诉求 %s 已申请升级至 %s 级，等待分拨员处理", r.No, r.EscalateTo)
	}
	return "操作已完成"
}

// requestActSubmit takes one action from a page form and goes back where
// the form came from: the detail page, the inbox or the triage queue.
func (s *Server) requestActSubmit(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	ctx := c.Request.Context()
	id, act := c.Param("id"), portal.Action(c.Param("action"))
	detail := "/requests/" + id
	next := localNext(c.PostForm("next"), detail)
	in := portal.ActionInput{Department: strings.TrimSpace(c.PostForm("department")), Reason: c.PostForm("reason"),
		Text: c.PostForm("text"), Tier: portal.Tier(strings.TrimSpace(c.PostForm("tier")))}
	if v := strings.TrimSpace(c.PostForm("version")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.fail(c, portal.Invalid("页面数据有误，请刷新后重试", map[string]string{"version": "版本号必须是正整数"}))
			return
		}
		in.Version = n
	}
	master := strings.TrimSpace(c.PostForm("master"))
	if act == portal.ActMerge {
		in.MasterID = s.requestIDByNumber(ctx, master)
	}
	r, err := s.opt.Requests.Act(ctx, id, act, in)
	switch portal.ErrorCode(err) {
	case "":
		if ok, _ := s.opt.Requests.CanSee(ctx, r); !ok && next == detail {
			// The action took the request out of the actor's sight: its
			// page would answer 404, the list does not.
			next = "/requests"
		}
		setFlash(c, "success", doneMessage(act, r))
		c.Redirect(http.StatusSeeOther, next)
	case portal.ECONFLICT:
		setFlash(c, "error", portal.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, next)
	case portal.EINVALID:
		current, gerr := s.opt.Requests.Get(ctx, id)
		if gerr != nil {
			s.fail(c, gerr)
			return
		}
		typed := &actionForm{Action: string(act), FieldValue: c.PostForm(actionSpecs[act].Field), MasterValue: master,
			Department: in.Department, Tier: string(in.Tier), Message: portal.ErrorMessage(err), Errors: portal.ErrorFields(err)}
		s.renderRequest(c, http.StatusBadRequest, current, typed, "")
	default:
		s.fail(c, err)
	}
}

// requestIDByNumber turns a request number (HQ-2026-000123) the actor sees
// into its id; anything else is passed on as typed, for the service to
// judge.
func (s *Server) requestIDByNumber(ctx context.Context, v string) string {
	if !strings.HasPrefix(strings.ToUpper(v), "HQ-") || len(v) > 30 {
		return v
	}
	page, err := s.opt.Requests.List(ctx, portal.RequestQuery{Q: v, PerPage: 5})
	if err != nil {
		return v
	}
	for _, r := range page.Items {
		if strings.EqualFold(r.No, v) {
			return r.ID
		}
	}
	return v
}

// uploadLimit is the largest attachment the service takes.
func (s *Server) uploadLimit() int64 {
	if s.opt.Requests != nil && s.opt.Requests.MaxAttachmentBytes > 0 {
		return s.opt.Requests.MaxAttachmentBytes
	}
	return portal.DefaultMaxAttachmentBytes
}

// uploadMaxMiB is the most a page form can carry per file, in MiB: the
// service's limit, or the form body's when that is smaller.
func (s *Server) uploadMaxMiB() int64 { return min(s.uploadLimit(), MaxFormBody) >> 20 }

// formUploads reads the files of a multipart form field; a form without
// files has none. Each file is read to one byte past the limit, so that
// the service can refuse it by size without the server holding more.
func formUploads(c *gin.Context, field string, limit int64) ([]portal.Upload, error) {
	form, err := c.MultipartForm()
	if err != nil || form == nil {
		return nil, nil
	}
	var out []portal.Upload
	for _, fh := range form.File[field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, portal.Internal(err)
		}
		b, err := io.ReadAll(io.LimitReader(f, limit+1))
		_ = f.Close()
		if err != nil {
			return nil, portal.Internal(err)
		}
		out = append(out, portal.Upload{Name: fh.Filename, Content: b})
	}
	return out, nil
}

// requestAttachSubmit adds the uploaded files to a request one by one.
func (s *Server) requestAttachSubmit(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	ctx := c.Request.Context()
	id := c.Param("id")
	uploads, err := formUploads(c, "attachments", s.uploadLimit())
	if err == nil && len(uploads) == 0 {
		err = portal.Invalid("请选择要上传的文件", map[string]string{"attachments": "请选择要上传的文件"})
	}
	added := 0
	for _, up := range uploads {
		if err != nil {
			break
		}
		if _, err = s.opt.Requests.AddAttachment(ctx, id, up); err == nil {
			added++
		}
	}
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", fmt.Sprintf("已上传 %d 个附件", added))
		c.Redirect(http.StatusSeeOther, "/requests/"+id)
	case portal.ECONFLICT:
		setFlash(c, "error", portal.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, "/requests/"+id)
	case portal.EINVALID:
		r, gerr := s.opt.Requests.Get(ctx, id)
		if gerr != nil {
			s.fail(c, gerr)
			return
		}
		msg := cmpOr(portal.ErrorFields(err)["attachments"], portal.ErrorMessage(err))
		if added > 0 {
			msg = fmt.Sprintf("已上传 %d 个附件；%s", added, msg)
		}
		s.renderRequest(c, http.StatusBadRequest, r, nil, msg)
	default:
		s.fail(c, err)
	}
}
