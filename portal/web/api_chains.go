package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// listChains answers GET /api/v1/chains (any signed-in user).
func (s *Server) listChains(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.opt.Admin.Chains.FindChains(c.Request.Context(), c.Query("q"), pg.offset(), pg.PerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "page": pg.Page, "per_page": pg.PerPage})
}

// getChain answers GET /api/v1/chains/{id}; committee members are listed
// only to admins and that chain's committee.
func (s *Server) getChain(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	d, err := s.opt.Admin.Chains.FindChain(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// createChain answers POST /api/v1/chains (admin).
func (s *Server) createChain(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.ChainInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ch, err := s.opt.Admin.Chains.CreateChain(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ch)
}

// updateChain answers PUT /api/v1/chains/{id} (admin).
func (s *Server) updateChain(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.ChainInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	ch, err := s.opt.Admin.Chains.UpdateChain(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}
