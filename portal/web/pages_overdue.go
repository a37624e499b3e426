package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// overduePageRoutes registers the dispatcher's overdue board (超期督办).
func (s *Server) overduePageRoutes() {
	s.engine.GET("/requests/overdue", s.overduePage)
}

// rungBadges colour the highest rung a request reached, from amber to red.
var rungBadges = map[portal.Rung]string{
	portal.RungWarn: "req-wait", portal.RungChase: "req-urgent", portal.RungSupervise: "req-urgent", portal.RungCensure: "req-urgent",
}

// overdueRow is one overdue request on the board.
type overdueRow struct {
	*portal.Request
	Leg       string // the leg whose deadline passed
	Due       string
	Late      string // "已超期 3 小时"
	Rung      string // the highest rung reached, "" when none has fired yet
	RungClass string
	Proposed  string // the tier the ladder proposed to escalate to
}

// overdueGroup is one department's overdue requests on this page.
type overdueGroup struct {
	ID, Name string
	Count    int // the department's overdue requests in all
	Rows     []overdueRow
}

type overdueData struct {
	Q, Department string
	Departments   []adminOption
	Counts        []portal.DepartmentCount
	Groups        []overdueGroup
	Pager         adminPager
	Total         int
	Filtered      bool
	Error         string
	Errors        map[string]string
}

// overdueSpan says how long d is in the largest unit that fits.
func overdueSpan(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d 分钟", max(1, int(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d 小时", int(d.Hours()))
	default:
		return fmt.Sprintf("%d 天", int(d.Hours()/24))
	}
}

// overdueRowOf lays out r for the board at now.
func (s *Server) overdueRowOf(r *portal.Request, now time.Time) overdueRow {
	row := overdueRow{Request: r, Proposed: string(r.EscalateTo)}
	if r.DueAt != nil {
		row.Due = r.DueAt.In(s.opt.Location).Format("1月2日 15:04")
		row.Late = "已超期 " + overdueSpan(now.Sub(*r.DueAt))
		for _, l := range r.SLA.Legs {
			if l.DoneAt == nil && l.Due.Equal(*r.DueAt) {
				row.Leg = portal.LegNames[l.Leg]
				break
			}
		}
	}
	if rung := r.HighestRung(); rung != "" {
		row.Rung, row.RungClass = portal.RungNames[rung], rungBadges[rung]
	}
	return row
}

// overduePage shows a dispatcher the open requests of the area whose
// running deadline has passed, grouped by department, with how far up the
// chasing ladder each has gone.
func (s *Server) overduePage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	if s.opt.Chasing == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "超期督办看板暂未开通"))
		return
	}
	q := portal.OverdueQuery{Department: strings.TrimSpace(c.Query("department")), Q: c.Query("q")}
	d := overdueData{Q: q.Q, Department: q.Department, Filtered: q.Q != "" || q.Department != ""}
	status := http.StatusOK
	pg, err := readAdminPaging(c)
	var board *portal.OverdueBoard
	if err == nil {
		q.Page, q.PerPage = pg.Page, pg.PerPage
		board, err = s.opt.Chasing.Overdue(c.Request.Context(), q)
	}
	switch {
	case err == nil:
	case portal.ErrorCode(err) == portal.EINVALID:
		status, d.Error, d.Errors = http.StatusBadRequest, portal.ErrorMessage(err), portal.ErrorFields(err)
		s.render(c, status, "requests_overdue", "超期督办", d)
		return
	default:
		s.fail(c, err)
		return
	}
	d.Counts, d.Total = board.Departments, board.Total
	d.Departments = append(d.Departments, adminOption{Value: "", Label: "全部承办单位", Selected: q.Department == ""})
	for _, dc := range board.Departments {
		d.Departments = append(d.Departments, adminOption{Value: dc.DepartmentID,
			Label: fmt.Sprintf("%s（%d）", dc.DepartmentName, dc.Count), Selected: dc.DepartmentID == q.Department})
	}
	counts := map[string]int{}
	for _, dc := range board.Departments {
		counts[dc.DepartmentID] = dc.Count
	}
	now := s.opt.Chasing.Time()
	for _, r := range board.Items {
		if n := len(d.Groups); n == 0 || d.Groups[n-1].ID != r.DepartmentID {
			d.Groups = append(d.Groups, overdueGroup{ID: r.DepartmentID, Name: r.DepartmentName, Count: counts[r.DepartmentID]})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Rows = append(g.Rows, s.overdueRowOf(r, now))
	}
	d.Pager = newAdminPager(c, adminPaging{Page: board.Page, PerPage: board.PerPage}, board.Total)
	s.render(c, status, "requests_overdue", "超期督办", d)
}
