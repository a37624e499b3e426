package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// meetingPageRoutes registers the meeting pages: the list (upcoming
// first), arranging a meeting, and a meeting's page with its topics,
// minutes, action items and the requests raised there.
func (s *Server) meetingPageRoutes() {
	e := s.engine
	e.GET("/meetings", s.meetingsPage)
	e.POST("/meetings", s.meetingCreateSubmit)
	e.GET("/meetings/new", s.meetingNewPage)
	e.GET("/meetings/:id", s.meetingPage)
	e.POST("/meetings/:id/topics", s.meetingTopicSubmit)
	e.POST("/meetings/:id/minutes", s.meetingMinutesSubmit)
}

// meetingWhen is a meeting's date and time in district time, with the weekday.
func (s *Server) meetingWhen(t time.Time) string {
	lt := t.In(s.opt.Location)
	return lt.Format("2006年1月2日") + " " + [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[lt.Weekday()] +
		" " + lt.Format("15:04")
}

// meetingRow is one meeting as the list shows it.
type meetingRow struct {
	*portal.Meeting
	TypeName  string
	ChainName string
	When      string
	Upcoming  bool
}

// meetingListData is what meetings.html shows.
type meetingListData struct {
	Query     portal.MeetingQuery
	Rows      []meetingRow
	Pager     adminPager
	Error     string
	Errors    map[string]string
	Chains    []choice
	Types     []choice
	Tabs      []choice
	Filtered  bool
	MayCreate bool
	ForSelf   bool // an enterprise: upcoming meetings to send topics to
}

func (s *Server) meetingsPage(c *gin.Context) {
	a := s.meetingActor(c)
	if a == nil {
		return
	}
	ctx := c.Request.Context()
	q := portal.MeetingQuery{Chain: c.Query("chain"), Type: c.Query("type"), Q: c.Query("q"), Upcoming: c.Query("upcoming")}
	names, chains, err := s.opt.Meetings.ChainNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := meetingListData{Query: q, MayCreate: s.opt.Meetings.MayCreate(ctx), ForSelf: forSelf(a),
		Filtered: q.Chain != "" || q.Type != "" || q.Q != "" || q.Upcoming != ""}
	for _, ch := range chains {
		d.Chains = append(d.Chains, choice{Value: ch.ID, Label: ch.Name, Selected: ch.ID == q.Chain})
	}
	for _, t := range portal.MeetingTypes {
		d.Types = append(d.Types, choice{Value: string(t), Label: portal.MeetingTypeNames[t], Selected: string(t) == q.Type})
	}
	for _, tab := range []choice{{Value: "", Label: "全部"}, {Value: "true", Label: "即将召开"}, {Value: "false", Label: "已召开"}} {
		v := c.Request.URL.Query()
		v.Del("page")
		v.Del("upcoming")
		if tab.Value != "" {
			v.Set("upcoming", tab.Value)
		}
		tab.URL, tab.Selected = "/meetings", tab.Value == q.Upcoming
		if len(v) > 0 {
			tab.URL += "?" + v.Encode()
		}
		d.Tabs = append(d.Tabs, tab)
	}
	status := http.StatusOK
	q.Page, q.PerPage, err = pageParams(c)
	var page *portal.MeetingPage
	if err == nil {
		page, err = s.opt.Meetings.List(ctx, q)
	}
	switch {
	case err == nil:
		now := s.opt.Meetings.Now()
		for _, m := range page.Items {
			d.Rows = append(d.Rows, meetingRow{Meeting: m, TypeName: portal.MeetingTypeNames[m.Type],
				ChainName: cmpOr(names[m.ChainID], m.ChainID), When: s.meetingWhen(m.At), Upcoming: m.Upcoming(now)})
		}
		d.Pager = newAdminPager(c, adminPaging{Page: page.Page, PerPage: page.PerPage}, page.Total)
	case portal.ErrorCode(err) == portal.EINVALID:
		status, d.Error, d.Errors = http.StatusBadRequest, portal.ErrorMessage(err)+"："+joinFields(err), portal.ErrorFields(err)
	default:
		s.fail(c, err)
		return
	}
	title := "会议"
	if d.ForSelf {
		title = "会议议题征集"
	}
	s.render(c, status, "meetings", title, d)
}

// joinFields lists an invalid-input error's field messages.
func joinFields(err error) string {
	var parts []string
	for _, m := range portal.ErrorFields(err) {
		parts = append(parts, m)
	}
	return strings.Join(parts, "；")
}

// ---------- /meetings/new ----------

// meetingForm is the new-meeting form as typed.
type meetingForm struct {
	In     portal.MeetingInput
	Errors map[string]string
	Error  string
}

// meetingNewData is what meetings_new.html shows.
type meetingNewData struct {
	Form        meetingForm
	Chains      []choice
	Types       []choice
	Conveners   []choice
	Units       []choice
	Enterprises []choice
	ChainName   string
}

func (s *Server) meetingNewPage(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	in := portal.MeetingInput{Type: portal.MeetingJoint, ChainID: strings.TrimSpace(cmpOr(c.Query("chain_id"), c.Query("chain")))}
	s.renderMeetingNew(c, http.StatusOK, meetingForm{In: in})
}

func (s *Server) renderMeetingNew(c *gin.Context, status int, form meetingForm) {
	ctx := c.Request.Context()
	if !s.opt.Meetings.MayCreate(ctx) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "只有产业链党委成员、专班联络员和管理员可以安排会议"))
		return
	}
	managed, err := s.opt.Meetings.ManagedChains(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	_, chains, err := s.opt.Meetings.ChainNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := meetingNewData{Form: form}
	for _, ch := range chains {
		if managed != nil && !containsString(managed, ch.ID) {
			continue
		}
		d.Chains = append(d.Chains, choice{Value: ch.ID, Label: ch.Name, Selected: ch.ID == form.In.ChainID})
		if ch.ID == form.In.ChainID {
			d.ChainName = ch.Name
		}
	}
	if form.In.ChainID == "" && len(d.Chains) == 1 {
		d.Chains[0].Selected, form.In.ChainID, d.ChainName = true, d.Chains[0].Value, d.Chains[0].Label
		d.Form.In.ChainID = form.In.ChainID
	}
	for _, t := range portal.MeetingTypes {
		d.Types = append(d.Types, choice{Value: string(t), Label: portal.MeetingTypeNames[t], Selected: t == form.In.Type})
	}
	units, err := s.opt.Meetings.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{})
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, u := range units {
		d.Conveners = append(d.Conveners, choice{Value: u.ID, Label: u.Name, Selected: u.ID == form.In.ConvenerUnitID})
		if u.Kind != portal.KindDistrict {
			d.Units = append(d.Units, choice{Value: u.ID, Label: u.Name, Selected: containsString(form.In.DepartmentIDs, u.ID)})
		}
	}
	if form.In.ChainID != "" {
		ents, err := s.opt.Meetings.ChainEnterprises(ctx, form.In.ChainID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, e := range ents {
			d.Enterprises = append(d.Enterprises, choice{Value: e.ID, Label: e.Name, Selected: containsString(form.In.EnterpriseIDs, e.ID)})
		}
	}
	s.render(c, status, "meetings_new", "安排会议", d)
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) meetingCreateSubmit(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	in := portal.MeetingInput{Type: portal.MeetingType(c.PostForm("type")), Title: c.PostForm("title"),
		ChainID: strings.TrimSpace(c.PostForm("chain_id")), ConvenerUnitID: c.PostForm("convener_unit_id"), At: c.PostForm("at"),
		Place: c.PostForm("place"), DepartmentIDs: c.PostFormArray("department_ids"), EnterpriseIDs: c.PostFormArray("enterprise_ids"),
		Agenda: c.PostForm("agenda")}
	m, err := s.opt.Meetings.Create(c.Request.Context(), in)
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", fmt.Sprintf("已安排%s“%s”。会前可在本页收集议题。", portal.MeetingTypeNames[m.Type], m.Title))
		c.Redirect(http.StatusSeeOther, "/meetings/"+m.ID)
	case portal.EINVALID:
		s.renderMeetingNew(c, http.StatusBadRequest, meetingForm{In: in, Errors: portal.ErrorFields(err), Error: portal.ErrorMessage(err)})
	default:
		s.fail(c, err)
	}
}

// ---------- /meetings/{id} ----------

// topicForm is the add-topic form as typed.
type topicForm struct {
	In     portal.TopicInput
	Errors map[string]string
	Error  string
}

// minutesForm is the minutes form as typed.
type minutesForm struct {
	Minutes string
	Errors  map[string]string
	Error   string
}

// topicRow is one collected topic as the page shows it.
type topicRow struct {
	portal.Topic
	Submitted string
}

// meetingActionRow is one action item decided at the meeting.
type meetingActionRow struct {
	*portal.ActionItem
	StatusName string
	Due        string
	Overdue    bool
}

// meetingData is what meeting.html shows.
type meetingData struct {
	M           *portal.Meeting
	TypeName    string
	When        string
	Names       *portal.MeetingNames
	Departments []string
	Enterprises []string
	Upcoming    bool
	Topics      []topicRow
	MinutesAt   string
	MayTopic    bool
	MayLink     bool // staff may link requests; enterprises only write topics
	Linkable    []choice
	MayMinutes  bool
	TopicForm   topicForm
	MinutesForm minutesForm
	// Raised are the requests raised at the meeting the actor may see.
	Raised      []requestRow
	RaisedTotal int
	MayRaise    bool
	RaiseURL    string
	// ActionItems are the items decided at the meeting, when an
	// action-item service is configured.
	ActionItems []meetingActionRow
	ForSelf     bool
}

func (s *Server) meetingPage(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	s.renderMeeting(c, http.StatusOK, topicForm{}, minutesForm{})
}

func (s *Server) renderMeeting(c *gin.Context, status int, tf topicForm, mf minutesForm) {
	ctx := c.Request.Context()
	a := portal.ActorFrom(ctx)
	svc := s.opt.Meetings
	m, err := svc.Get(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	names, err := svc.Names(ctx, m)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := svc.Now()
	d := meetingData{M: m, TypeName: portal.MeetingTypeNames[m.Type], When: s.meetingWhen(m.At), Names: names,
		Upcoming: m.Upcoming(now), MayTopic: svc.MayAddTopic(ctx, m), MayMinutes: svc.MayRecordMinutes(ctx, m),
		TopicForm: tf, MinutesForm: mf, ForSelf: forSelf(a)}
	for _, id := range m.DepartmentIDs {
		d.Departments = append(d.Departments, cmpOr(names.Units[id], id))
	}
	for _, id := range m.EnterpriseIDs {
		d.Enterprises = append(d.Enterprises, cmpOr(names.Enterprises[id], id))
	}
	for _, t := range m.Topics {
		d.Topics = append(d.Topics, topicRow{Topic: t, Submitted: s.shortTime(t.SubmittedAt, now)})
	}
	if m.MinutesAt != nil {
		d.MinutesAt = s.shortTime(*m.MinutesAt, now)
	}
	if d.MinutesForm.Minutes == "" {
		d.MinutesForm.Minutes = m.Minutes
	}
	if d.MayTopic && svc.MayManage(ctx, m) {
		d.MayLink = true
		reqs, err := svc.LinkableRequests(ctx, m)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, r := range reqs {
			d.Linkable = append(d.Linkable, choice{Value: r.ID, Label: r.No + " " + r.EnterpriseName + "：" + r.Title,
				Selected: r.ID == tf.In.RequestID})
		}
	}
	if !forSelf(a) {
		raised, err := svc.Raised(ctx, m.ID, 1, portal.MaxRequestsPerPage)
		if err != nil {
			s.fail(c, err)
			return
		}
		cats, _, err := s.categoryNames(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, r := range raised.Items {
			d.Raised = append(d.Raised, s.rowOf(r, cats, now))
		}
		d.RaisedTotal = raised.Total
		d.MayRaise = s.opt.Requests.MayFile(ctx)
		v := url.Values{"channel": {string(m.Type.Channel())}, "source_id": {m.ID}, "source_name": {m.Title}}
		d.RaiseURL = "/requests/new?" + v.Encode()
		items, err := svc.ActionItems(ctx, m.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, it := range items {
			d.ActionItems = append(d.ActionItems, meetingActionRow{ActionItem: it, StatusName: it.StatusName(),
				Due: s.shortTime(it.Due, now), Overdue: it.Overdue(now)})
		}
	}
	s.render(c, status, "meeting", m.Title, d)
}

func (s *Server) meetingTopicSubmit(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	in := portal.TopicInput{Title: c.PostForm("title"), Description: c.PostForm("description"),
		RequestID: strings.TrimSpace(c.PostForm("request_id"))}
	m, err := s.opt.Meetings.AddTopic(c.Request.Context(), c.Param("id"), in)
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", "议题已提交，会议召集方会在会前汇总。")
		c.Redirect(http.StatusSeeOther, "/meetings/"+m.ID+"#topics")
	case portal.EINVALID:
		s.renderMeeting(c, http.StatusBadRequest, topicForm{In: in, Errors: portal.ErrorFields(err), Error: portal.ErrorMessage(err)}, minutesForm{})
	default:
		s.fail(c, err)
	}
}

func (s *Server) meetingMinutesSubmit(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	version, _ := strconv.Atoi(c.PostForm("version"))
	in := portal.MinutesInput{Minutes: c.PostForm("minutes"), Version: version}
	m, err := s.opt.Meetings.RecordMinutes(c.Request.Context(), c.Param("id"), in)
	switch portal.ErrorCode(err) {
	case "":
		setFlash(c, "success", "会议纪要已保存。")
		c.Redirect(http.StatusSeeOther, "/meetings/"+m.ID+"#minutes")
	case portal.EINVALID, portal.ECONFLICT:
		s.renderMeeting(c, StatusOf(err), topicForm{}, minutesForm{Minutes: in.Minutes, Errors: portal.ErrorFields(err), Error: portal.ErrorMessage(err)})
	default:
		s.fail(c, err)
	}
}
