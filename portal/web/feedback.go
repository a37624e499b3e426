package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// feedbackRoutes registers the feedback API: an officer records the answer
// of a phone follow-up.
func (s *Server) feedbackRoutes(api *gin.RouterGroup) {
	api.POST("/requests/:id/feedback", s.apiRecordFeedback)
}

// feedbackPageRoutes registers the feedback pages: the survey a link opens
// without signing in, the same survey for the signed-in enterprise, the
// phone record form and the follow-up list (待回访).
func (s *Server) feedbackPageRoutes() {
	e := s.engine
	e.GET("/feedback/done", s.surveyDonePage)
	e.GET("/feedback/:token", s.surveyPage)
	e.POST("/feedback/:token", s.surveySubmit)
	e.GET("/requests/:id/feedback", s.enterpriseSurveyPage)
	e.POST("/requests/:id/feedback", s.enterpriseSurveySubmit)
	e.GET("/requests/:id/feedback/phone", s.phoneRecordPage)
	e.POST("/requests/:id/feedback/phone", s.phoneRecordSubmit)
	e.GET("/followups", s.followUpsPage)
}

// feedbackService returns the feedback service, or answers 503 and nil
// when it does not run in this process.
func (s *Server) feedbackService(c *gin.Context) *portal.FeedbackService {
	if s.opt.Feedback == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "评价服务暂未开通"))
		return nil
	}
	return s.opt.Feedback
}

// apiRecordFeedback answers POST /api/v1/requests/{id}/feedback: the
// answer an officer got by phone, which closes, reopens or sends the
// request to review.
func (s *Server) apiRecordFeedback(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	var in portal.FeedbackInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	res, err := fs.RecordPhone(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// ---------- the survey page ----------

// surveyPageData is what feedback.html shows.
type surveyPageData struct {
	View         *portal.SurveyView
	Action       string // where the form posts
	CSRF         string
	Input        portal.FeedbackInput
	Error        string
	Errors       map[string]string
	Gone         string // why the link does not work (410 or 404)
	Done         bool   // the thank-you page
	Solved       []choice
	Satisfaction []choice
	Resolved     string
	Expires      string
	MaxComment   int
}

// surveyChoices fills the options of the form, keeping what was chosen.
func (d *surveyPageData) surveyChoices() {
	for _, v := range portal.SolvedAnswers {
		d.Solved = append(d.Solved, choice{Value: string(v), Label: portal.SolvedNames[v], Selected: v == d.Input.Solved})
	}
	for _, v := range portal.SatisfactionAnswers {
		d.Satisfaction = append(d.Satisfaction, choice{Value: string(v), Label: portal.SatisfactionNames[v],
			Selected: v == d.Input.Satisfaction})
	}
	d.MaxComment = portal.MaxFeedbackComment
}

// renderSurvey shows the survey of view (or why there is none) with status.
func (s *Server) renderSurvey(c *gin.Context, status int, d surveyPageData) {
	d.CSRF = csrfToken(c, s.opt.SecureCookies)
	if d.View != nil {
		now := s.requestNow()
		d.Resolved = s.shortTime(d.View.ResolvedAt, now)
		d.Expires = s.shortTime(d.View.Survey.ExpiresAt, now)
	}
	d.surveyChoices()
	title := "诉求办理评价"
	switch {
	case d.Done:
		title = "感谢您的评价"
	case status == http.StatusGone:
		title = "评价链接已失效"
	case status == http.StatusNotFound:
		title = "评价链接无效"
	}
	s.render(c, status, "feedback", title, d)
}

// surveyFailed shows what went wrong with a survey: a link that is over
// or unknown on the survey page itself, bad input with the form again,
// anything else as the error page.
func (s *Server) surveyFailed(c *gin.Context, d surveyPageData, err error) {
	switch portal.ErrorCode(err) {
	case portal.EGONE, portal.ENOTFOUND:
		s.renderSurvey(c, StatusOf(err), surveyPageData{Gone: portal.ErrorMessage(err)})
	case portal.EINVALID:
		d.Error, d.Errors = portal.ErrorMessage(err), portal.ErrorFields(err)
		s.renderSurvey(c, http.StatusBadRequest, d)
	default:
		s.fail(c, err)
	}
}

// surveyInput reads the survey form.
func surveyInput(c *gin.Context) portal.FeedbackInput {
	return portal.FeedbackInput{Solved: portal.Solved(c.PostForm("solved")),
		Satisfaction: portal.Satisfaction(c.PostForm("satisfaction")), Comment: c.PostForm("comment")}
}

// surveyThanks is the flash of an answered survey.
func surveyThanks(res *portal.FeedbackResult) string {
	return "感谢您的评价！" + portal.FeedbackDecisionNames[res.Decision] + "。"
}

// surveyPage shows the survey a link opens, without signing in.
func (s *Server) surveyPage(c *gin.Context) {
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	token := c.Param("token")
	view, err := fs.OpenSurvey(c.Request.Context(), token)
	if err != nil {
		s.surveyFailed(c, surveyPageData{}, err)
		return
	}
	s.renderSurvey(c, http.StatusOK, surveyPageData{View: view, Action: "/feedback/" + token})
}

// surveySubmit takes the answer of a survey link.
func (s *Server) surveySubmit(c *gin.Context) {
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	token, in := c.Param("token"), surveyInput(c)
	ctx := c.Request.Context()
	res, err := fs.AnswerByToken(ctx, token, in)
	if err != nil {
		d := surveyPageData{Input: in, Action: "/feedback/" + token}
		if view, verr := fs.OpenSurvey(ctx, token); verr == nil {
			d.View = view
		}
		s.surveyFailed(c, d, err)
		return
	}
	setFlash(c, "success", surveyThanks(res))
	c.Redirect(http.StatusSeeOther, "/feedback/done")
}

// surveyDonePage thanks the enterprise for its answer.
func (s *Server) surveyDonePage(c *gin.Context) {
	s.renderSurvey(c, http.StatusOK, surveyPageData{Done: true})
}

// enterpriseSurveyPage shows the survey of one of the signed-in
// enterprise's resolved requests.
func (s *Server) enterpriseSurveyPage(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	id := c.Param("id")
	view, err := fs.SurveyForEnterprise(c.Request.Context(), id)
	if err != nil {
		s.surveyFailed(c, surveyPageData{}, err)
		return
	}
	s.renderSurvey(c, http.StatusOK, surveyPageData{View: view, Action: "/requests/" + id + "/feedback"})
}

// enterpriseSurveySubmit takes the signed-in enterprise's answer.
func (s *Server) enterpriseSurveySubmit(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	id, in := c.Param("id"), surveyInput(c)
	ctx := c.Request.Context()
	res, err := fs.AnswerAsEnterprise(ctx, id, in)
	if err != nil {
		d := surveyPageData{Input: in, Action: "/requests/" + id + "/feedback"}
		if view, verr := fs.SurveyForEnterprise(ctx, id); verr == nil {
			d.View = view
		}
		s.surveyFailed(c, d, err)
		return
	}
	setFlash(c, "success", surveyThanks(res))
	c.Redirect(http.StatusSeeOther, "/requests/"+res.Request.ID)
}

// ---------- the phone record ----------

// phoneRecordData is what feedback_phone.html shows.
type phoneRecordData struct {
	R            *portal.Request
	Row          requestRow
	CSRF         string
	Input        portal.FeedbackInput
	Error        string
	Errors       map[string]string
	Solved       []choice
	Satisfaction []choice
	MaxComment   int
	Resolved     string
}

// renderPhoneRecord shows the phone record form of r with status.
func (s *Server) renderPhoneRecord(c *gin.Context, status int, r *portal.Request, in portal.FeedbackInput, err error) {
	cats, _, cerr := s.categoryNames(c.Request.Context())
	if cerr != nil {
		s.fail(c, cerr)
		return
	}
	now := s.requestNow()
	sd := surveyPageData{Input: in}
	sd.surveyChoices()
	d := phoneRecordData{R: r, Row: s.rowOf(r, cats, now), CSRF: csrfToken(c, s.opt.SecureCookies), Input: in,
		Solved: sd.Solved, Satisfaction: sd.Satisfaction, MaxComment: sd.MaxComment}
	if r.ResolvedAt != nil {
		d.Resolved = s.shortTime(*r.ResolvedAt, now)
	}
	if err != nil {
		d.Error, d.Errors = portal.ErrorMessage(err), portal.ErrorFields(err)
	}
	s.render(c, status, "feedback_phone", "记录电话回访 "+r.No, d)
}

// phoneRecordPage shows the form an officer records a phone answer with;
// the service decides who may (the page only offers it).
func (s *Server) phoneRecordPage(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	if s.feedbackService(c) == nil {
		return
	}
	ctx := c.Request.Context()
	r, err := s.opt.Requests.Get(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.opt.Feedback.Panel(ctx, r)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !p.MayRecord {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "该诉求当前不在待评价阶段，或您不是它的首接负责人、联络员、分拨员"))
		return
	}
	s.renderPhoneRecord(c, http.StatusOK, r, portal.FeedbackInput{}, nil)
}

// phoneRecordSubmit records the answer of a phone follow-up.
func (s *Server) phoneRecordSubmit(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	ctx, id, in := c.Request.Context(), c.Param("id"), surveyInput(c)
	res, err := fs.RecordPhone(ctx, id, in)
	if portal.ErrorCode(err) == portal.EINVALID {
		r, gerr := s.opt.Requests.Get(ctx, id)
		if gerr != nil {
			s.fail(c, gerr)
			return
		}
		s.renderPhoneRecord(c, http.StatusBadRequest, r, in, err)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	setFlash(c, "success", fmt.Sprintf("已记录 %s 的电话回访：%s，%s。%s。", res.Request.No,
		portal.SolvedNames[in.Solved], portal.SatisfactionNames[in.Satisfaction], portal.FeedbackDecisionNames[res.Decision]))
	c.Redirect(http.StatusSeeOther, "/followups")
}

// ---------- /followups: 待回访 ----------

// followUpRow is one follow-up task of the list.
type followUpRow struct {
	*portal.Survey
	Resolved string
	Since    string // how long the enterprise has not answered
	CloseAt  string // when the request closes unrated
}

// followUpsData is what followups.html shows.
type followUpsData struct {
	Q      string
	Rows   []followUpRow
	Pager  adminPager
	All    bool
	Error  string
	Errors map[string]string
}

// followUpsPage lists the follow-up tasks (回访任务) of the actor.
func (s *Server) followUpsPage(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	fs := s.feedbackService(c)
	if fs == nil {
		return
	}
	q := portal.FollowUpQuery{Q: strings.TrimSpace(c.Query("q"))}
	d := followUpsData{Q: q.Q}
	status := http.StatusOK
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	var page *portal.FollowUpPage
	if err == nil {
		page, err = fs.FollowUps(c.Request.Context(), q)
	}
	switch {
	case err == nil:
		now := s.requestNow()
		for _, sv := range page.Items {
			d.Rows = append(d.Rows, followUpRow{Survey: sv, Resolved: s.shortTime(sv.ResolvedAt, now),
				Since: spanText(now.Sub(sv.ResolvedAt)), CloseAt: s.shortTime(sv.CloseAt, now)})
		}
		d.Pager, d.All = newAdminPager(c, adminPaging{Page: page.Page, PerPage: page.PerPage}, page.Total), page.All
	case portal.ErrorCode(err) == portal.EINVALID:
		status, d.Error, d.Errors = http.StatusBadRequest, portal.ErrorMessage(err), portal.ErrorFields(err)
	default:
		s.fail(c, err)
		return
	}
	s.render(c, status, "followups", "待回访", d)
}

// ---------- the feedback part of the request page ----------

// feedbackPanelView is the feedback section of a request's page.
type feedbackPanelView struct {
	Answer       *portal.Feedback
	Solved       string
	Satisfaction string
	Via          string
	At           string
	Reopened     int
	Unrated      bool
	State        string // the current survey's state, "" when none
	Expires      string // when the open survey's link ends
	FollowUp     string // who phones, once the follow-up started
	AnswerURL    string // the enterprise's own survey page
	RecordURL    string // the officer's phone record form
}

// feedbackPanelOf lays out the feedback section of r for the actor; nil
// when there is nothing to show.
func (s *Server) feedbackPanelOf(ctx context.Context, r *portal.Request, now time.Time) *feedbackPanelView {
	if s.opt.Feedback == nil {
		return nil
	}
	p, err := s.opt.Feedback.Panel(ctx, r)
	if err != nil {
		s.log.Error("feedback panel", "request", r.ID, "err", err)
		return nil
	}
	v := &feedbackPanelView{Answer: r.Feedback, Reopened: r.Reopened, Unrated: r.Unrated}
	if fb := r.Feedback; fb != nil {
		v.Solved, v.Satisfaction = portal.SolvedNames[fb.Solved], portal.SatisfactionNames[fb.Satisfaction]
		v.Via, v.At = portal.FeedbackViaNames[fb.Via], s.shortTime(fb.At, now)
	}
	if sv := p.Survey; sv != nil && sv.Open() && r.Status == portal.StatusResolved {
		v.State, v.Expires, v.FollowUp = portal.SurveyStateNames[sv.State], s.shortTime(sv.ExpiresAt, now), sv.FollowUpName
	}
	if p.MayAnswer {
		v.AnswerURL = "/requests/" + r.ID + "/feedback"
	}
	if p.MayRecord {
		v.RecordURL = "/requests/" + r.ID + "/feedback/phone"
	}
	if v.Answer == nil && v.Reopened == 0 && !v.Unrated && v.State == "" && v.AnswerURL == "" && v.RecordURL == "" {
		return nil
	}
	return v
}
