package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// ---------- /requests/inbox: a department's open requests by deadline ----------

// inboxActions are the actions the inbox offers on each row; the rest
// are on the detail page.
var inboxActions = []portal.Action{portal.ActSign, portal.ActReply, portal.ActResolve, portal.ActReturn}

// inboxStatuses are the states the inbox filter offers.
var inboxStatuses = []portal.Status{portal.StatusDispatched, portal.StatusReopened, portal.StatusSigned, portal.StatusReplied,
	portal.StatusSuspended, portal.StatusEscalated}

// workListData is what the inbox and the triage queue show.
type workListData struct {
	Rows     []requestRow
	Pager    adminPager
	Q        string
	Status   string
	Statuses []choice
	Overdue  bool
	Filtered bool
	Error    string
	Unit     string
}

func (s *Server) requestInboxPage(c *gin.Context) {
	a := s.requestActor(c)
	if a == nil {
		return
	}
	if !a.HasAny(portal.RoleHandler, portal.RoleDeptHead) || a.UnitID == "" {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "待办诉求只对承办部门的承办人和负责人开放"))
		return
	}
	ctx := c.Request.Context()
	// The department's scope also reads what it had before (returned or
	// redispatched away); the inbox holds only what it has now.
	q := portal.RequestQuery{Status: cmpOr(c.Query("status"), "open"), Q: c.Query("q"), Overdue: c.Query("overdue") == "1",
		Department: a.UnitID, Mine: true, ByDue: true}
	d := workListData{Q: q.Q, Status: c.Query("status"), Overdue: q.Overdue,
		Filtered: q.Q != "" || q.Overdue || c.Query("status") != ""}
	for _, st := range inboxStatuses {
		d.Statuses = append(d.Statuses, choice{Value: string(st), Label: portal.StatusNames[st], Selected: string(st) == d.Status})
	}
	page, status, ok := s.workList(c, &q, &d)
	if !ok {
		return
	}
	if page != nil {
		cats, _, err := s.categoryNames(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		now, csrf, next := s.requestNow(), csrfToken(c, s.opt.SecureCookies), c.Request.URL.RequestURI()
		for _, r := range page.Items {
			row := s.rowOf(r, cats, now)
			if row.Forms, err = s.actionForms(ctx, r, next, csrf, inboxActions); err != nil {
				s.fail(c, err)
				return
			}
			d.Rows = append(d.Rows, row)
		}
		if len(page.Items) > 0 {
			d.Unit = page.Items[0].DepartmentName
		}
	}
	s.render(c, status, "requests_inbox", "待办诉求", d)
}

// workList reads the page and lists q into d; on bad input d carries the
// message and the status is 400. ok is false once the request was answered.
func (s *Server) workList(c *gin.Context, q *portal.RequestQuery, d *workListData) (*portal.RequestPage, int, bool) {
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	var page *portal.RequestPage
	if err == nil {
		page, err = s.opt.Requests.List(c.Request.Context(), *q)
	}
	switch {
	case err == nil:
		d.Pager = requestPager(c, page.Page, page.PerPage, page.Total)
		return page, http.StatusOK, true
	case portal.ErrorCode(err) == portal.EINVALID:
		d.Error = listErrorText(err)
		return nil, http.StatusBadRequest, true
	default:
		s.fail(c, err)
		return nil, 0, false
	}
}

// ---------- /requests/triage: what waits for a dispatcher ----------

func (s *Server) requestTriagePage(c *gin.Context) {
	a := s.requestActor(c)
	if a == nil {
		return
	}
	if !a.HasAny(portal.RoleDispatcher, portal.RoleAdmin) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "分拨台只对分拨员开放"))
		return
	}
	ctx := c.Request.Context()
	// Oldest first: what waits longest is dispatched first.
	q := portal.RequestQuery{Statuses: portal.TriageStatuses, Status: c.Query("status"), Q: c.Query("q"), ByDue: true}
	d := workListData{Q: q.Q, Status: q.Status, Filtered: q.Q != "" || q.Status != ""}
	for _, st := range portal.TriageStatuses {
		d.Statuses = append(d.Statuses, choice{Value: string(st), Label: portal.StatusNames[st], Selected: string(st) == d.Status})
	}
	var page *portal.RequestPage
	status := http.StatusBadRequest
	if q.Status != "" && !slices.Contains(portal.TriageStatuses, portal.Status(q.Status)) {
		d.Error = "查询参数有误（状态：分拨台只列出待分拨、已退回和申请升级的诉求）"
	} else {
		var ok bool
		if page, status, ok = s.workList(c, &q, &d); !ok {
			return
		}
	}
	if page != nil {
		cats, _, err := s.categoryNames(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		depts, err := s.departmentGroups(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		now, csrf, next := s.requestNow(), csrfToken(c, s.opt.SecureCookies), c.Request.URL.RequestURI()
		for _, r := range page.Items {
			row := s.rowOf(r, cats, now)
			row.Suggestion = s.suggest(ctx, r)
			row.Dispatch = &actionForm{actionSpec: actionSpecs[portal.ActDispatch], Action: string(portal.ActDispatch),
				RequestID: r.ID, Version: r.Version, Next: next, CSRF: csrf, Departments: cloneGroups(depts)}
			d.Rows = append(d.Rows, row)
		}
	}
	s.render(c, status, "requests_triage", "分拨台", d)
}

// ---------- /requests/caseload: a liaison's enterprises, overdue first ----------

// caseloadRow is one enterprise of the board.
type caseloadRow struct {
	ID, Name string
	Open     int
	Overdue  int
}

// caseloadData is what requests_caseload.html shows.
type caseloadData struct {
	Rows        []caseloadRow
	Pager       adminPager
	Q           string
	Error       string
	Enterprises int
	Open        int
	Overdue     int
	Truncated   bool
}

// Bounds of the board: a caseload holds 20–80 enterprises, so these are
// far above need and only stop a runaway scope from loading without end.
const (
	caseloadMaxPages    = 10 // of MaxEnterprisesPerPage enterprises
	caseloadMaxRequests = 20 // pages of MaxRequestsPerPage open requests
	caseloadPerPage     = 20
)

func (s *Server) requestCaseloadPage(c *gin.Context) {
	a := s.requestActor(c)
	if a == nil {
		return
	}
	if !a.Has(portal.RoleLiaison) || s.opt.Enterprises == nil {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "包干看板只对专班联络员开放"))
		return
	}
	ctx := c.Request.Context()
	d := caseloadData{Q: strings.TrimSpace(c.Query("q"))}
	page, _, err := pageParams(c)
	if err == nil && utf8.RuneCountInString(d.Q) > 50 {
		err = portal.Invalid("查询参数有误", map[string]string{"q": "查询词不能超过 50 个字"})
	}
	if err != nil {
		d.Error = listErrorText(err)
		s.render(c, http.StatusBadRequest, "requests_caseload", "包干看板", d)
		return
	}
	page = max(page, 1)
	byID := map[string]*caseloadRow{}
	var rows []*caseloadRow
	for p := 1; p <= caseloadMaxPages; p++ {
		ents, err := s.opt.Enterprises.List(ctx, portal.EnterpriseQuery{Q: d.Q, Page: p, PerPage: portal.MaxEnterprisesPerPage})
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, e := range ents.Items {
			// The board is the caseload, not every enterprise the actor may see.
			if e.LiaisonID != a.UserID {
				continue
			}
			row := &caseloadRow{ID: e.ID, Name: e.Name}
			byID[e.ID] = row
			rows = append(rows, row)
		}
		if p >= ents.Pages() {
			break
		}
		d.Truncated = p == caseloadMaxPages
	}
	// One pass over the open requests of the caseload counts them all,
	// instead of two counts per enterprise.
	now := s.requestNow()
	for p := 1; p <= caseloadMaxRequests; p++ {
		reqs, err := s.opt.Requests.List(ctx, portal.RequestQuery{Status: "open", Mine: true, Page: p, PerPage: portal.MaxRequestsPerPage})
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, r := range reqs.Items {
			if row := byID[r.EnterpriseID]; row != nil {
				row.Open++
				if r.Overdue(now) {
					row.Overdue++
				}
			}
		}
		if p >= reqs.Pages() {
			break
		}
		d.Truncated = d.Truncated || p == caseloadMaxRequests
	}
	slices.SortStableFunc(rows, func(x, y *caseloadRow) int {
		return cmp.Or(cmp.Compare(y.Overdue, x.Overdue), cmp.Compare(y.Open, x.Open), strings.Compare(x.Name, y.Name))
	})
	d.Enterprises = len(rows)
	for _, r := range rows {
		d.Open += r.Open
		d.Overdue += r.Overdue
	}
	d.Pager = requestPager(c, page, caseloadPerPage, len(rows))
	for _, r := range rows[min((page-1)*caseloadPerPage, len(rows)):min(page*caseloadPerPage, len(rows))] {
		d.Rows = append(d.Rows, *r)
	}
	s.render(c, http.StatusOK, "requests_caseload", "包干看板", d)
}
