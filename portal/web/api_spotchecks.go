package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// spotCheckRoutes registers the spot check (抽查) API — admins draw
// checks and reassign items, reviewers verify theirs — and its pages.
func (s *Server) spotCheckRoutes(api *gin.RouterGroup) {
	api.GET("/spot-checks", s.apiListSpotChecks)
	api.POST("/spot-checks", s.apiCreateSpotCheck)
	api.GET("/spot-checks/:id", s.apiGetSpotCheck)
	api.POST("/spot-checks/:id/items/:request_id/verify", s.apiVerifySpotCheckItem)
	api.POST("/spot-checks/:id/items/:request_id/reassign", s.apiReassignSpotCheckItem)
	s.spotCheckPageRoutes()
}

// spotActor returns the signed-in actor of a spot check route, or nil
// once it has answered (401, or 503 while spot checks are not wired).
func (s *Server) spotActor(c *gin.Context) *portal.Actor {
	a := s.actor(c)
	if a == nil {
		return nil
	}
	if s.opt.SpotChecks == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "抽查服务暂未开通"))
		return nil
	}
	return a
}

// spotItemQuery reads the item filters and paging of a check or queue.
func spotItemQuery(c *gin.Context) (portal.SpotCheckItemQuery, error) {
	q := portal.SpotCheckItemQuery{Department: strings.TrimSpace(c.Query("department")),
		State: strings.TrimSpace(c.Query("state")), Q: c.Query("q")}
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	return q, err
}

// apiListSpotChecks answers GET /api/v1/spot-checks[?month=YYYY-MM]: the
// checks the caller sees with their progress, newest first.
func (s *Server) apiListSpotChecks(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.opt.SpotChecks.List(c.Request.Context(), c.Query("month"), page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

// apiCreateSpotCheck answers POST /api/v1/spot-checks (admins): 201 with
// the check, its seed and its strata.
func (s *Server) apiCreateSpotCheck(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	bodyCall(s, c, http.StatusCreated, s.opt.SpotChecks.Create)
}

// apiGetSpotCheck answers GET /api/v1/spot-checks/{id}: the check with one
// page of the items the caller sees (?department=&state=&q=&page=&per_page=).
func (s *Server) apiGetSpotCheck(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	q, err := spotItemQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.opt.SpotChecks.Get(c.Request.Context(), c.Param("id"), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// apiVerifySpotCheckItem answers POST
// /api/v1/spot-checks/{id}/items/{request_id}/verify: the assigned
// reviewer (or an admin) records the verified outcome, once.
func (s *Server) apiVerifySpotCheckItem(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	var in portal.VerifyInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	it, err := s.opt.SpotChecks.Verify(c.Request.Context(), c.Param("id"), c.Param("request_id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, it)
}

// spotReassignInput is the body of a reassignment.
type spotReassignInput struct {
	ReviewerID string `json:"reviewer_id"`
}

// apiReassignSpotCheckItem answers POST
// /api/v1/spot-checks/{id}/items/{request_id}/reassign (admins): a
// pending item goes to another reviewer.
func (s *Server) apiReassignSpotCheckItem(c *gin.Context) {
	if s.spotActor(c) == nil {
		return
	}
	var in spotReassignInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	it, err := s.opt.SpotChecks.Reassign(c.Request.Context(), c.Param("id"), c.Param("request_id"), in.ReviewerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
