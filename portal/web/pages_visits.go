package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// visitPageRoutes registers the visit pages: the list of visits, the
// quick form a liaison fills in on the phone right after a visit, and a
// visit's page with the requests raised there.
func (s *Server) visitPageRoutes() {
	e := s.engine
	e.GET("/visits", s.visitsPage)
	e.POST("/visits", s.visitSubmit)
	e.GET("/visits/new", s.visitNewPage)
	e.GET("/visits/:id", s.visitPage)
}

// visitRow is one visit as the list shows it.
type visitRow struct {
	*portal.Visit
	Day string
}

// visitDay is the day of a visit in district time.
func (s *Server) visitDay(v *portal.Visit) string {
	return v.At.In(s.opt.Location).Format("2006年1月2日")
}

// visitListData is what visits.html shows.
type visitListData struct {
	Query     portal.VisitQuery
	Rows      []visitRow
	Pager     adminPager
	Error     string
	Filtered  bool
	SeesAll   bool // dispatchers and admins: everyone's visits, or only their own
	MayRecord bool
}

func (s *Server) visitsPage(c *gin.Context) {
	a := s.meetingActor(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	q := portal.VisitQuery{Q: c.Query("q"), Mine: c.Query("mine") == "1"}
	d := visitListData{Query: q, Filtered: q.Q != "", SeesAll: a.HasAny(portal.RoleDispatcher, portal.RoleAdmin),
		MayRecord: s.opt.Visits.MayRecord(ctx)}
	status := http.StatusOK
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	var page *portal.VisitPage
	if err == nil {
		page, err = s.opt.Visits.List(ctx, q)
	}
	switch {
	case err == nil:
		for _, v := range page.Items {
			d.Rows = append(d.Rows, visitRow{Visit: v, Day: s.visitDay(v)})
		}
		d.Pager = newAdminPager(c, adminPaging{Page: page.Page, PerPage: page.PerPage}, page.Total)
	case portal.ErrorCode(err) == portal.EINVALID:
		status, d.Error = http.StatusBadRequest, portal.ErrorMessage(err)+"："+joinFields(err)
	default:
		s.fail(c, err)
		return
	}
	title := "我的走访"
	if d.SeesAll && !q.Mine {
		title = "企业走访"
	}
	s.render(c, status, "visits", title, d)
}

// raisedForm is one request raised at the visit, as typed.
type raisedForm struct {
	Index       int // its place in the form, from 0
	No          int // its number as shown, from 1
	Title       string
	Category    string
	Type        string
	Description string
	Urgent      bool
}

// visitForm is the visit form as typed.
type visitForm struct {
	EnterpriseID string
	At           string
	PeopleMet    string
	Notes        string
	Requests     []raisedForm
}

// visitNewData is what visits_new.html shows.
type visitNewData struct {
	Form       visitForm
	Errors     map[string]string
	Error      string
	Picker     enterprisePicker
	Types      []choice
	Categories []categoryOption
	Today      string
	MaxRaised  int
	MayAdd     bool
}

func (s *Server) visitNewPage(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	today := s.opt.Visits.Now().In(s.opt.Location).Format("2006-01-02")
	// One blank row invites the first request; left blank, it is dropped.
	form := visitForm{EnterpriseID: strings.TrimSpace(c.Query("enterprise")), At: today, Requests: []raisedForm{{}}}
	s.renderVisitNew(c, http.StatusOK, form, nil)
}

func (s *Server) renderVisitNew(c *gin.Context, status int, form visitForm, err error) {
	ctx := c.Request.Context()
	if !s.opt.Visits.MayRecord(ctx) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "只有专班联络员、分拨员和管理员可以登记走访"))
		return
	}
	_, cats, cerr := s.categoryNames(ctx)
	if cerr != nil {
		s.fail(c, cerr)
		return
	}
	for i := range form.Requests {
		form.Requests[i].Index, form.Requests[i].No = i, i+1
	}
	d := visitNewData{Form: form, Errors: portal.ErrorFields(err), Today: s.opt.Visits.Now().In(s.opt.Location).Format("2006-01-02"),
		MaxRaised: portal.MaxRaisedRequests, MayAdd: len(form.Requests) < portal.MaxRaisedRequests}
	if err != nil {
		d.Error = portal.ErrorMessage(err)
	}
	for _, t := range portal.RequestTypes {
		d.Types = append(d.Types, choice{Value: string(t), Label: portal.RequestTypeNames[t]})
	}
	for _, cat := range cats {
		d.Categories = append(d.Categories, categoryOption{Code: cat.Code, Name: cat.Name})
	}
	var perr error
	if d.Picker, perr = s.enterprisePicker(c, c.Query("enterprise_q"), form.EnterpriseID); perr != nil {
		s.fail(c, perr)
		return
	}
	d.Picker.Error = d.Errors["enterprise_id"]
	s.render(c, status, "visits_new", "登记走访", d)
}

// readVisitForm reads the posted form; raised requests left wholly blank
// are dropped, so an unused row does not stop the visit being saved.
func readVisitForm(c *gin.Context) visitForm {
	form := visitForm{EnterpriseID: strings.TrimSpace(c.PostForm("enterprise_id")), At: c.PostForm("at"),
		PeopleMet: c.PostForm("people_met"), Notes: c.PostForm("notes")}
	rows, _ := strconv.Atoi(c.PostForm("rows"))
	for i := 0; i < min(rows, portal.MaxRaisedRequests+1); i++ {
		p := fmt.Sprintf("requests.%d.", i)
		r := raisedForm{Title: c.PostForm(p + "title"), Category: c.PostForm(p + "category"), Type: c.PostForm(p + "type"),
			Description: c.PostForm(p + "description"), Urgent: c.PostForm(p+"urgent") != ""}
		if strings.TrimSpace(r.Title+r.Description) == "" && r.Category == "" {
			continue
		}
		r.Index = len(form.Requests)
		form.Requests = append(form.Requests, r)
	}
	return form
}

// visitSubmit saves the visit, or (op=add, op=remove-N) adds or removes a
// row of raised requests and shows the form again; this works without
// JavaScript on any phone.
func (s *Server) visitSubmit(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	form := readVisitForm(c)
	switch op := c.PostForm("op"); {
	case op == "add":
		if len(form.Requests) < portal.MaxRaisedRequests {
			form.Requests = append(form.Requests, raisedForm{})
		}
		s.renderVisitNew(c, http.StatusOK, form, nil)
		return
	case strings.HasPrefix(op, "remove-"):
		if i, err := strconv.Atoi(strings.TrimPrefix(op, "remove-")); err == nil && i >= 0 && i < len(form.Requests) {
			form.Requests = append(form.Requests[:i], form.Requests[i+1:]...)
		}
		s.renderVisitNew(c, http.StatusOK, form, nil)
		return
	}
	in := portal.VisitInput{EnterpriseID: form.EnterpriseID, At: form.At, PeopleMet: form.PeopleMet, Notes: form.Notes}
	for _, r := range form.Requests {
		in.Requests = append(in.Requests, portal.RaisedRequest{Title: r.Title, Category: r.Category,
			Type: portal.RequestType(r.Type), Description: r.Description, Urgent: r.Urgent})
	}
	v, err := s.opt.Visits.Record(c.Request.Context(), in)
	switch {
	case err == nil:
		msg := "走访已登记。"
		if n := len(v.RequestIDs); n > 0 {
			msg = fmt.Sprintf("走访已登记，%d 条诉求已提交分拨。", n)
		}
		setFlash(c, "success", msg)
		c.Redirect(http.StatusSeeOther, "/visits/"+v.ID)
	case v != nil:
		// The visit is stored with what was filed before a request failed.
		setFlash(c, "error", "走访已登记，但有诉求未能提交："+portal.ErrorMessage(err))
		c.Redirect(http.StatusSeeOther, "/visits/"+v.ID)
	case portal.ErrorFields(err) != nil:
		s.renderVisitNew(c, StatusOf(err), form, err)
	default:
		s.fail(c, err)
	}
}

// visitData is what visit.html shows.
type visitData struct {
	V      *portal.Visit
	Day    string
	Raised []requestRow
}

func (s *Server) visitPage(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	ctx := c.Request.Context()
	v, err := s.opt.Visits.Get(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	raised, err := s.opt.Visits.Raised(ctx, v.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	cats, _, err := s.categoryNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := visitData{V: v, Day: s.visitDay(v)}
	now := s.opt.Visits.Now()
	for _, r := range raised.Items {
		d.Raised = append(d.Raised, s.rowOf(r, cats, now))
	}
	s.render(c, http.StatusOK, "visit", "走访 "+v.EnterpriseName, d)
}
