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
)

// spotCheckPageRoutes registers the spot check pages: the admins' list
// and draw form, a check's sample with its export, the reviewer's queue,
// and the verify and reassign forms.
func (s *Server) spotCheckPageRoutes() {
	e := s.engine
	e.GET("/admin/spot-checks", s.spotChecksPage)
	e.POST("/admin/spot-checks", s.spotCheckCreateSubmit)
	e.GET("/spot-checks/mine", s.spotCheckQueuePage)
	e.GET("/spot-checks/:id", s.spotCheckPage)
	e.GET("/spot-checks/:id/export", s.spotCheckExport)
	e.POST("/spot-checks/:id/items/:request_id/verify", s.spotCheckVerifySubmit)
	e.POST("/spot-checks/:id/items/:request_id/reassign", s.spotCheckReassignSubmit)
}

// ---------- /admin/spot-checks ----------

// spotCheckForm is the draw form as typed, with its errors.
type spotCheckForm struct {
	Month, Percent, Seed string
	Reviewers            []adminOption
	Message              string
	Errors               map[string]string
}

// spotCheckRow is a check in the admins' list.
type spotCheckRow struct {
	*portal.SpotCheckSummary
	Created string
	Pending int
}

type spotChecksData struct {
	Month    string
	Checks   []spotCheckRow
	Pager    adminPager
	Filtered bool
	Error    string
	Form     spotCheckForm
	MaxMonth string
}

func (s *Server) spotChecksPage(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	s.renderSpotChecks(c, http.StatusOK, spotCheckForm{Month: s.opt.SpotChecks.LastMonth(), Percent: "10"}, nil)
}

// renderSpotChecks shows the list and the draw form; checked names the
// reviewers ticked in a form sent back (nil: every dispatcher).
func (s *Server) renderSpotChecks(c *gin.Context, status int, form spotCheckForm, checked []string) {
	ctx := c.Request.Context()
	reviewers, err := s.opt.SpotChecks.Reviewers(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, u := range reviewers {
		on := checked != nil && slices.Contains(checked, u.ID) ||
			checked == nil && slices.Contains(u.Roles, portal.RoleDispatcher)
		label := u.DisplayName
		if len(u.Roles) > 0 {
			label = fmt.Sprintf("%s（%s）", u.DisplayName, portal.RoleNames[u.Roles[0]])
		}
		form.Reviewers = append(form.Reviewers, adminOption{Value: u.ID, Label: label, Selected: on})
	}
	d := spotChecksData{Month: strings.TrimSpace(c.Query("month")), Form: form,
		MaxMonth: time.Now().In(s.opt.Location).Format("2006-01")}
	d.Filtered = d.Month != ""
	pg, err := readAdminPaging(c)
	var list *portal.SpotCheckPage
	if err == nil {
		list, err = s.opt.SpotChecks.List(ctx, d.Month, pg.Page, pg.PerPage)
	}
	switch {
	case err == nil:
		for _, sum := range list.Items {
			d.Checks = append(d.Checks, spotCheckRow{SpotCheckSummary: sum,
				Created: sum.CreatedAt.In(s.opt.Location).Format("2006-01-02 15:04"), Pending: sum.Items - sum.Verified})
		}
		d.Pager = newAdminPager(c, adminPaging{Page: list.Page, PerPage: list.PerPage}, list.Total)
	case portal.ErrorCode(err) == portal.EINVALID:
		d.Error = portal.ErrorMessage(err) + spotFieldList(err)
		status = http.StatusBadRequest
	default:
		s.fail(c, err)
		return
	}
	s.render(c, status, "spotchecks", "抽查核实", d)
}

// spotFieldList joins the field messages of err after the message.
func spotFieldList(err error) string {
	var b strings.Builder
	for _, m := range portal.ErrorFields(err) {
		b.WriteString("：" + m)
	}
	return b.String()
}

// spotCheckCreateSubmit draws a check from the form. Numbers that do not
// parse are passed on as out of range, so that the service names the
// field with the same message as for any other bad value.
func (s *Server) spotCheckCreateSubmit(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	form := spotCheckForm{Month: strings.TrimSpace(c.PostForm("month")), Percent: strings.TrimSpace(c.PostForm("percent")),
		Seed: strings.TrimSpace(c.PostForm("seed"))}
	in := portal.SpotCheckInput{Month: form.Month, Percent: -1, ReviewerIDs: c.PostFormArray("reviewer_ids")}
	if n, err := strconv.Atoi(form.Percent); err == nil {
		in.Percent = n
	}
	if form.Seed != "" {
		n, err := strconv.ParseInt(form.Seed, 10, 64)
		if err != nil {
			n = -1
		}
		in.Seed = &n
	}
	check, err := s.opt.SpotChecks.Create(c.Request.Context(), in)
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", fmt.Sprintf("已发起 %s 抽查：%d 件已关闭诉求中抽取 %d 件，随机种子 %d", check.Month, check.Population, check.Sampled, check.Seed))
		c.Redirect(http.StatusSeeOther, "/spot-checks/"+check.ID)
	case portal.EINVALID, portal.EUNPROCESSABLE:
		form.Message, form.Errors = portal.ErrorMessage(err), portal.ErrorFields(err)
		checked := in.ReviewerIDs
		if checked == nil {
			checked = []string{}
		}
		s.renderSpotChecks(c, StatusOf(err), form, checked)
	default:
		s.fail(c, err)
	}
}

// ---------- /spot-checks/{id} and /spot-checks/mine ----------

// spotItemRow is one item as the pages show it.
type spotItemRow struct {
	*portal.SpotCheckItem
	Closed     string
	Recorded   string // the answer on record, or 未评价
	Verified   string
	VerifiedAt string
	StateName  string
	StateClass string
	CanVerify  bool
	Form       spotVerifyForm
}

// spotVerifyForm is what the verify form needs besides the item.
type spotVerifyForm struct {
	Action, Back, CSRF string
	Solved             []adminOption
	Satisfaction       []adminOption
}

var spotStateClass = map[portal.SpotCheckItemState]string{
	portal.ItemPending: "req-wait", portal.ItemVerified: "req-done", portal.ItemDiscrepancy: "req-urgent",
}

// answerText says an answer on record in words.
func answerText(fb *portal.Feedback) string {
	if fb == nil {
		return "未评价"
	}
	return fmt.Sprintf("%s · %s（%s）", portal.SolvedNames[fb.Solved], portal.SatisfactionNames[fb.Satisfaction], portal.FeedbackViaNames[fb.Via])
}

// spotRow lays an item out for a viewer who may or may not verify it.
func (s *Server) spotRow(c *gin.Context, a *portal.Actor, it *portal.SpotCheckItem) spotItemRow {
	row := spotItemRow{SpotCheckItem: it, Recorded: answerText(it.Recorded), StateName: portal.SpotCheckItemStateNames[it.State],
		StateClass: spotStateClass[it.State]}
	if !it.ClosedAt.IsZero() {
		row.Closed = it.ClosedAt.In(s.opt.Location).Format("2006-01-02")
	}
	if v := it.Verified; v != nil {
		row.Verified = v.SolvedName() + " · " + v.SatisfactionName()
		row.VerifiedAt = v.At.In(s.opt.Location).Format("2006-01-02 15:04")
	}
	row.CanVerify = it.Verified == nil && (a.IsAdmin() || it.ReviewerID == a.UserID)
	if row.CanVerify {
		row.Form = spotVerifyForm{Action: fmt.Sprintf("/spot-checks/%s/items/%s/verify", it.CheckID, it.RequestID),
			Back: c.Request.URL.RequestURI(), CSRF: csrfToken(c, s.opt.SecureCookies)}
		for _, v := range portal.SolvedAnswers {
			row.Form.Solved = append(row.Form.Solved, adminOption{Value: string(v), Label: portal.SolvedNames[v]})
		}
		for _, v := range portal.SatisfactionAnswers {
			row.Form.Satisfaction = append(row.Form.Satisfaction, adminOption{Value: string(v), Label: portal.SatisfactionNames[v]})
		}
	}
	return row
}

// spotStateOptions are the state filter's choices.
func spotStateOptions(current string, all string) []adminOption {
	out := []adminOption{{Value: "", Label: all, Selected: current == ""}}
	for _, st := range portal.SpotCheckItemStates {
		label := portal.SpotCheckItemStateNames[st]
		if st == portal.ItemVerified {
			label = "已核实"
		}
		out = append(out, adminOption{Value: string(st), Label: label, Selected: current == string(st)})
	}
	return out
}

type spotCheckData struct {
	V          *portal.SpotCheckView
	Created    string
	Rows       []spotItemRow
	Q          string
	Depts      []adminOption
	States     []adminOption
	Filtered   bool
	Pager      adminPager
	IsAdmin    bool
	Reviewers  []adminOption
	ExportXLSX string
	ExportCSV  string
	Back       string
	Error      string
}

// spotCheckPage shows a check: per-department sizes and progress, then
// the items the viewer sees with what was recorded and what was verified.
func (s *Server) spotCheckPage(c *gin.Context) {
	a := s.spotActor(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	q, err := spotItemQuery(c)
	var v *portal.SpotCheckView
	if err == nil {
		v, err = s.opt.SpotChecks.Get(ctx, c.Param("id"), q)
	}
	status := http.StatusOK
	if portal.ErrorCode(err) == portal.EINVALID {
		// A bad filter still shows the check, unfiltered, with the message.
		status = http.StatusBadRequest
		msg := portal.ErrorMessage(err) + spotFieldList(err)
		v, err = s.opt.SpotChecks.Get(ctx, c.Param("id"), portal.SpotCheckItemQuery{})
		if err == nil {
			s.renderSpotCheck(c, a, status, v, portal.SpotCheckItemQuery{}, msg)
			return
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderSpotCheck(c, a, status, v, q, "")
}

func (s *Server) renderSpotCheck(c *gin.Context, a *portal.Actor, status int, v *portal.SpotCheckView, q portal.SpotCheckItemQuery, msg string) {
	d := spotCheckData{V: v, Created: v.Check.CreatedAt.In(s.opt.Location).Format("2006-01-02 15:04"), Q: q.Q,
		States: spotStateOptions(q.State, "全部状态"), Filtered: q.Q != "" || q.State != "" || q.Department != "",
		IsAdmin: a.IsAdmin(), Back: c.Request.URL.RequestURI(), Error: msg}
	d.Depts = append(d.Depts, adminOption{Value: "", Label: "全部承办单位", Selected: q.Department == ""})
	for _, st := range v.Strata {
		d.Depts = append(d.Depts, adminOption{Value: st.DepartmentID, Label: st.DepartmentName, Selected: q.Department == st.DepartmentID})
	}
	for _, it := range v.Items {
		d.Rows = append(d.Rows, s.spotRow(c, a, it))
	}
	if a.IsAdmin() {
		reviewers, err := s.opt.SpotChecks.Reviewers(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, u := range reviewers {
			d.Reviewers = append(d.Reviewers, adminOption{Value: u.ID, Label: u.DisplayName})
		}
	}
	export := url.Values{}
	for k, val := range map[string]string{"department": q.Department, "state": q.State, "q": q.Q} {
		if val != "" {
			export.Set(k, val)
		}
	}
	base := "/spot-checks/" + v.Check.ID + "/export?"
	export.Set("format", "xlsx")
	d.ExportXLSX = base + export.Encode()
	export.Set("format", "csv")
	d.ExportCSV = base + export.Encode()
	d.Pager = newAdminPager(c, adminPaging{Page: v.Page, PerPage: v.PerPage}, v.Total)
	s.render(c, status, "spotcheck", v.Check.Month+" 抽查", d)
}

type spotQueueData struct {
	Rows     []spotItemRow
	Q        string
	State    string
	States   []adminOption
	Filtered bool
	Pager    adminPager
	Error    string
}

// spotCheckQueuePage is a reviewer's queue: by default the items still to
// verify, each with the enterprise's contact and the verify form.
func (s *Server) spotCheckQueuePage(c *gin.Context) {
	a := s.spotActor(c)
	if a == nil {
		return
	}
	q, err := spotItemQuery(c)
	if _, set := c.GetQuery("state"); !set {
		q.State = string(portal.ItemPending)
	}
	d := spotQueueData{Q: q.Q, State: q.State, Filtered: q.Q != ""}
	status := http.StatusOK
	var p *portal.SpotCheckItemPage
	if err == nil {
		p, err = s.opt.SpotChecks.Mine(c.Request.Context(), q)
	}
	switch {
	case err == nil:
		for _, it := range p.Items {
			d.Rows = append(d.Rows, s.spotRow(c, a, it))
		}
		d.Pager = newAdminPager(c, adminPaging{Page: p.Page, PerPage: p.PerPage}, p.Total)
	case portal.ErrorCode(err) == portal.EINVALID:
		status, d.Error = http.StatusBadRequest, portal.ErrorMessage(err)+spotFieldList(err)
	default:
		s.fail(c, err)
		return
	}
	d.States = spotStateOptions(q.State, "全部")
	s.render(c, status, "spotcheck_mine", "我的抽查", d)
}

// spotBack is where a form goes back to: the page it came from when that
// is a spot check page, else the queue.
func spotBack(c *gin.Context) string {
	b := c.PostForm("back")
	if strings.HasPrefix(b, "/spot-checks/") && !strings.Contains(b, "//") && !strings.ContainsAny(b, "\\\r\n") {
		return b
	}
	return "/spot-checks/mine"
}

// spotCheckVerifySubmit records a verification from the form.
func (s *Server) spotCheckVerifySubmit(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	in := portal.VerifyInput{Solved: portal.Solved(c.PostForm("solved")), Satisfaction: portal.Satisfaction(c.PostForm("satisfaction")),
		Note: c.PostForm("note")}
	it, err := s.opt.SpotChecks.Verify(c.Request.Context(), c.Param("id"), c.Param("request_id"), in)
	switch portal.ErrorCode(err) {
	case "":
		msg := fmt.Sprintf("已记录 %s 的核实结果：%s · %s", it.RequestNo, it.Verified.SolvedName(), it.Verified.SatisfactionName())
		if it.Verified.Discrepancy {
			msg += "。与记录不一致，已在诉求上标记"
		}
		setFlash(c, "success", msg)
	case portal.EINVALID, portal.ECONFLICT:
		setFlash(c, "error", portal.ErrorMessage(err)+spotFieldList(err))
	default:
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, spotBack(c))
}

// spotCheckReassignSubmit gives a pending item to another reviewer (admins).
func (s *Server) spotCheckReassignSubmit(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	it, err := s.opt.SpotChecks.Reassign(c.Request.Context(), c.Param("id"), c.Param("request_id"), c.PostForm("reviewer_id"))
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", fmt.Sprintf("%s 已改由 %s 核查", it.RequestNo, it.ReviewerName))
	case portal.EINVALID, portal.ECONFLICT:
		setFlash(c, "error", portal.ErrorMessage(err)+spotFieldList(err))
	default:
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, spotBack(c))
}

// spotCheckExport hands out the items of a check the viewer sees, with
// the page's filters, as XLSX or CSV (?format=).
func (s *Server) spotCheckExport(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	ctx := c.Request.Context()
	q, err := spotItemQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q.Page, q.PerPage = 1, 1
	// Read the check first, so that a check the viewer may not see, or a
	// bad filter, is refused before any byte of the file goes out.
	v, err := s.opt.SpotChecks.Get(ctx, c.Param("id"), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := exportFormat(c); err != nil {
		s.fail(c, err)
		return
	}
	s.sendExport(c, exportTable{
		Name: v.Check.Month + "抽查",
		Loc:  s.opt.Location,
		Columns: []exportColumn{{"序号", 6}, {"诉求编号", 16}, {"诉求标题", 36}, {"企业", 28}, {"联系人", 10}, {"联系电话", 14},
			{"承办单位", 20}, {"关闭时间", 17}, {"回访记录", 26}, {"核实结果", 16}, {"核实状态", 14}, {"核实说明", 36},
			{"核查人", 14}, {"核实时间", 17}},
		Rows: func(emit func([]any) error) error {
			return s.opt.SpotChecks.EachItem(ctx, v.Check.ID, q, func(it *portal.SpotCheckItem) error {
				verified, note, at := "", "", any(nil)
				if it.Verified != nil {
					verified = it.Verified.SolvedName() + " · " + it.Verified.SatisfactionName()
					note, at = it.Verified.Note, it.Verified.At
				}
				return emit([]any{it.Seq, it.RequestNo, it.Title, it.EnterpriseName, it.ContactName, it.ContactPhone,
					it.DepartmentName, it.ClosedAt, answerText(it.Recorded), verified, portal.SpotCheckItemStateNames[it.State],
					note, it.ReviewerName, at})
			})
		},
	})
}
