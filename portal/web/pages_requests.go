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

// requestPageRoutes registers the pages of requests (诉求): filing, the
// role-aware list, the detail page with its actions, the handler's inbox,
// the dispatcher's triage queue and the liaison's caseload board. The
// request service decides what each actor sees and may do.
func (s *Server) requestPageRoutes() {
	e := s.engine
	e.GET("/requests", s.requestsPage)
	e.POST("/requests", s.requestFileSubmit)
	e.GET("/requests/new", s.requestNewPage)
	e.GET("/requests/new/policies", s.requestPolicyHints)
	e.GET("/requests/new/enterprises", s.requestEnterpriseOptions)
	e.GET("/requests/inbox", s.requestInboxPage)
	e.GET("/requests/triage", s.requestTriagePage)
	e.GET("/requests/caseload", s.requestCaseloadPage)
	e.GET("/requests/:id", s.requestPage)
	e.POST("/requests/:id/attachments", s.requestAttachSubmit)
	e.POST("/requests/:id/act/:action", s.requestActSubmit)
}

// requestActor returns the signed-in actor of a request page, or nil once
// it has answered (the login redirect, or 503 while requests are off).
func (s *Server) requestActor(c *gin.Context) *portal.Actor {
	a := s.actor(c)
	if a == nil {
		return nil
	}
	if s.opt.Requests == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "诉求服务暂未开通"))
		return nil
	}
	return a
}

// requestNow is the request service's clock.
func (s *Server) requestNow() time.Time {
	if s.opt.Requests != nil && s.opt.Requests.Now != nil {
		return s.opt.Requests.Now()
	}
	return time.Now()
}

// catalog is the request taxonomy.
func (s *Server) catalog() portal.CategoryCatalog {
	if s.opt.Categories != nil {
		return s.opt.Categories
	}
	return s.opt.Requests.Categories
}

// categoryNames names the active categories by code.
func (s *Server) categoryNames(ctx context.Context) (map[string]string, []*portal.Category, error) {
	cats, err := s.catalog().ActiveCategories(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(cats))
	for _, c := range cats {
		names[c.Code] = c.Name
	}
	return names, cats, nil
}

// ---------- formatting shared by the request pages ----------

// shortTime is a moment in district time: "11月23日 09:30", with the year
// when it is not the current one.
func (s *Server) shortTime(t time.Time, now time.Time) string {
	lt := t.In(s.opt.Location)
	if lt.Year() != now.In(s.opt.Location).Year() {
		return lt.Format("2006年1月2日 15:04")
	}
	return lt.Format("1月2日 15:04")
}

// spanText says how long d is in the largest unit that fits.
func spanText(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d 分钟", max(1, int(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d 小时", int(d.Hours()))
	default:
		return fmt.Sprintf("%d 天", int(d.Hours()/24))
	}
}

// statusGroups colour the status badges: waiting for a dispatcher, being
// handled, done, and out of the loop.
var statusGroups = map[portal.Status]string{
	portal.StatusSubmitted: "wait", portal.StatusReturned: "wait", portal.StatusEscalated: "wait",
	portal.StatusDispatched: "work", portal.StatusSigned: "work", portal.StatusReplied: "work", portal.StatusReopened: "work",
	portal.StatusResolved: "done", portal.StatusClosed: "done",
	portal.StatusSuspended: "idle", portal.StatusWithdrawn: "idle", portal.StatusMerged: "idle",
}

// requestRow is one request as lists, the inbox and the triage queue show it.
type requestRow struct {
	*portal.Request
	StatusName   string
	StatusGroup  string
	CategoryName string
	TypeName     string
	ChannelName  string
	Created      string
	Due          string // the running deadline in district time
	DueHint      string // "还剩 3 小时" or "已超期 2 天"
	DueLeg       string // the leg the deadline is for
	Overdue      bool
	Rung         string       // the highest chasing rung reached: 预警, 催办, 督办 or 通报
	Forms        []actionForm // inline actions (inbox)
	Suggestion   *portal.RouteSuggestion
	Dispatch     *actionForm // the override form (triage)
}

// rowOf lays out r for a list.
func (s *Server) rowOf(r *portal.Request, cats map[string]string, now time.Time) requestRow {
	row := requestRow{Request: r, StatusName: portal.StatusNames[r.Status], StatusGroup: statusGroups[r.Status],
		CategoryName: cmpOr(cats[r.Category], r.Category), TypeName: portal.RequestTypeNames[r.Type],
		ChannelName: portal.ChannelNames[r.Channel], Created: s.shortTime(r.CreatedAt, now)}
	if r.DueAt != nil && r.Status.Open() {
		row.Due = s.shortTime(*r.DueAt, now)
		row.Overdue = r.Overdue(now)
		if rung := r.HighestRung(); rung != "" {
			row.Rung = portal.RungNames[rung]
		}
		if row.Overdue {
			row.DueHint = "已超期 " + spanText(now.Sub(*r.DueAt))
		} else {
			row.DueHint = "还剩 " + spanText(r.DueAt.Sub(now))
		}
		for _, l := range r.SLA.Legs {
			if l.DoneAt == nil && l.Due.Equal(*r.DueAt) {
				row.DueLeg = portal.LegNames[l.Leg]
				break
			}
		}
	}
	return row
}

// requestPager links a request list to its neighbours, keeping the filters.
func requestPager(c *gin.Context, page, perPage, total int) adminPager {
	return newAdminPager(c, adminPaging{Page: page, PerPage: perPage}, total)
}

// ---------- /requests: the role-aware list ----------

// requestListData is what requests_list.html shows.
type requestListData struct {
	Query      portal.RequestQuery
	Overdue    bool
	Rows       []requestRow
	Pager      adminPager
	Error      string
	Errors     map[string]string
	Statuses   []choice
	Categories []choice
	Channels   []choice
	Enterprise string // the name of the enterprise filtered by
	ClearURL   string // the list without the enterprise filter
	Filtered   bool
	MayFile    bool
	ForSelf    bool // an enterprise's own list: no enterprise column
}

// requestListTitle names the list after whose requests it holds.
func requestListTitle(a *portal.Actor) string {
	if forSelf(a) {
		return "我的诉求"
	}
	return "诉求列表"
}

// forSelf reports whether the actor files only for its own enterprise, as
// RequestService.File decides.
func forSelf(a *portal.Actor) bool {
	return a.Has(portal.RoleEnterprise) && !a.HasAny(portal.RoleLiaison, portal.RoleDispatcher, portal.RoleAdmin)
}

// requestRoles are the roles that take part in requests; others have no
// request list.
var requestRoles = []portal.Role{portal.RoleEnterprise, portal.RoleLiaison, portal.RoleDispatcher, portal.RoleHandler,
	portal.RoleDeptHead, portal.RoleCommittee, portal.RoleAdmin}

func (s *Server) requestsPage(c *gin.Context) {
	a := s.requestActor(c)
	if a == nil {
		return
	}
	if !a.HasAny(requestRoles...) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "诉求列表只对企业、专班联络员、分拨员、承办部门和产业链党委开放"))
		return
	}
	ctx := c.Request.Context()
	q := portal.RequestQuery{Status: c.Query("status"), Category: c.Query("category"), Channel: c.Query("channel"),
		Enterprise: strings.TrimSpace(c.Query("enterprise")), Q: c.Query("q"), Overdue: c.Query("overdue") == "1"}
	cats, catList, err := s.categoryNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := requestListData{Query: q, Overdue: q.Overdue, MayFile: s.opt.Requests.MayFile(ctx), ForSelf: forSelf(a),
		Filtered: q.Status != "" || q.Category != "" || q.Channel != "" || q.Enterprise != "" || q.Q != "" || q.Overdue}
	d.Statuses = append(d.Statuses, choice{Value: "open", Label: "未办结", Selected: q.Status == "open"})
	for _, st := range portal.Statuses {
		d.Statuses = append(d.Statuses, choice{Value: string(st), Label: portal.StatusNames[st], Selected: string(st) == q.Status})
	}
	for _, cat := range catList {
		d.Categories = append(d.Categories, choice{Value: cat.Code, Label: cat.Name, Selected: cat.Code == q.Category})
	}
	for _, ch := range portal.Channels {
		d.Channels = append(d.Channels, choice{Value: string(ch), Label: portal.ChannelNames[ch], Selected: string(ch) == q.Channel})
	}
	if q.Enterprise != "" {
		v := c.Request.URL.Query()
		v.Del("enterprise")
		v.Del("page")
		d.ClearURL = "/requests"
		if len(v) > 0 {
			d.ClearURL += "?" + v.Encode()
		}
	}
	status := http.StatusOK
	q.Page, q.PerPage, err = pageParams(c)
	var page *portal.RequestPage
	if err == nil {
		page, err = s.opt.Requests.List(ctx, q)
	}
	switch {
	case err == nil:
		now := s.requestNow()
		for _, r := range page.Items {
			d.Rows = append(d.Rows, s.rowOf(r, cats, now))
		}
		d.Pager = requestPager(c, page.Page, page.PerPage, page.Total)
	case portal.ErrorCode(err) == portal.EINVALID:
		status, d.Error, d.Errors = http.StatusBadRequest, listErrorText(err), portal.ErrorFields(err)
	default:
		s.fail(c, err)
		return
	}
	if q.Enterprise != "" {
		d.Enterprise = q.Enterprise
		if len(d.Rows) > 0 {
			d.Enterprise = d.Rows[0].EnterpriseName
		} else if s.opt.Enterprises != nil {
			if e, err := s.opt.Enterprises.Get(ctx, q.Enterprise); err == nil {
				d.Enterprise = e.Name
			}
		}
	}
	s.render(c, status, "requests_list", requestListTitle(a), d)
}

// listErrorText is the invalid-filter message with each field's own.
func listErrorText(err error) string {
	names := map[string]string{"status": "状态", "category": "分类", "channel": "渠道", "q": "搜索词",
		"enterprise": "企业", "page": "页码", "per_page": "每页条数"}
	var parts []string
	for _, k := range []string{"status", "category", "channel", "enterprise", "q", "page", "per_page"} {
		if m, ok := portal.ErrorFields(err)[k]; ok {
			parts = append(parts, names[k]+"："+m)
		}
	}
	if len(parts) == 0 {
		return portal.ErrorMessage(err)
	}
	return portal.ErrorMessage(err) + "（" + strings.Join(parts, "；") + "）"
}
