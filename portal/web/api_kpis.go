package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// kpiRoutes registers the rate API and the pages of rates, the leaders'
// dashboard and the scorecards, with their exports.
func (s *Server) kpiRoutes(api *gin.RouterGroup) {
	api.GET("/kpis", s.apiKPIs)
	e := s.engine
	e.GET("/dashboard", s.dashboardPage)
	e.GET("/kpis", s.kpisPage)
	e.GET("/kpis/export", s.kpisExport)
	e.GET("/kpis/mine", s.kpisPage)
	e.GET("/kpis/mine/export", s.kpisExport)
	e.GET("/kpis/scorecard", s.scorecardPage)
	e.GET("/kpis/scorecard/export", s.scorecardExport)
}

// kpiActor returns the signed-in actor of a rate route, or nil once it
// has answered (401, 403 for a pending account, 503 while not wired).
func (s *Server) kpiActor(c *gin.Context) *portal.Actor {
	a := s.actor(c)
	if a == nil {
		return nil
	}
	if s.opt.KPIs == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "办理绩效统计暂未开通"))
		return nil
	}
	return a
}

// kpiQueryOf reads the rate parameters of a URL.
func kpiQueryOf(c *gin.Context) portal.KPIQuery {
	return portal.KPIQuery{From: c.Query("from"), To: c.Query("to"), GroupBy: c.Query("group_by"), Mine: c.Query("scope") == "mine"}
}

// apiKPIs answers GET /api/v1/kpis: the counts and rates of the caller's
// scope over the months asked, one row per value of group_by, with the
// total and each month's total; scope=mine asks for a handler's own.
func (s *Server) apiKPIs(c *gin.Context) {
	if s.kpiActor(c) == nil {
		return
	}
	if sc := c.Query("scope"); sc != "" && sc != "mine" {
		s.fail(c, portal.Invalid("查询参数有误", map[string]string{"scope": "scope 只能为空或 mine"}))
		return
	}
	rep, err := s.opt.KPIs.Report(c.Request.Context(), kpiQueryOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}
