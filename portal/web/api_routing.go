package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// routingRoutes registers the routing rules and the category taxonomy
// administration: the API and the pages /admin/routing and
// /admin/categories. Admins edit both; dispatchers may read the rule list
// and use the console (POST /routing-rules/test), which explains the
// suggestions they see in the triage queue.
func (s *Server) routingRoutes(api *gin.RouterGroup) {
	api.GET("/routing-rules", s.listRoutingRules)
	api.POST("/routing-rules", s.createRoutingRule)
	api.POST("/routing-rules/test", s.testRoutingRules)
	api.GET("/routing-rules/:id", s.getRoutingRule)
	api.PUT("/routing-rules/:id", s.updateRoutingRule)
	api.DELETE("/routing-rules/:id", s.deleteRoutingRule)
	api.GET("/admin/categories", s.listAdminCategories)
	api.POST("/admin/categories", s.createAdminCategory)
	api.PUT("/admin/categories/:code", s.updateAdminCategory)
	s.routingPageRoutes()
}

// routingQuery reads the rule list's q, category and paging.
func routingQuery(c *gin.Context) (portal.RoutingQuery, error) {
	pg, err := readAdminPaging(c)
	if err != nil {
		return portal.RoutingQuery{}, err
	}
	return portal.RoutingQuery{Q: c.Query("q"), Category: c.Query("category"), Page: pg.Page, PerPage: pg.PerPage}, nil
}

// listRoutingRules answers GET /api/v1/routing-rules (admins, dispatchers).
func (s *Server) listRoutingRules(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	q, err := routingQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.opt.Routing.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

// getRoutingRule answers GET /api/v1/routing-rules/{id} (admins).
func (s *Server) getRoutingRule(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	r, err := s.opt.Routing.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// createRoutingRule answers POST /api/v1/routing-rules (admins).
func (s *Server) createRoutingRule(c *gin.Context) {
	bodyCall(s, c, http.StatusCreated, s.opt.Routing.Create)
}

// updateRoutingRule answers PUT /api/v1/routing-rules/{id} (admins); the
// body carries the version the change was made on.
func (s *Server) updateRoutingRule(c *gin.Context) {
	bodyCall(s, c, http.StatusOK, func(ctx context.Context, in portal.RoutingRuleInput) (*portal.RoutingRuleView, error) {
		return s.opt.Routing.Update(ctx, c.Param("id"), in)
	})
}

// deleteRoutingRule answers DELETE /api/v1/routing-rules/{id}?version=N
// (admins); without version the rule is deleted whatever its version.
func (s *Server) deleteRoutingRule(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	version := 0
	if v := c.Query("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.fail(c, portal.Invalid("参数有误", map[string]string{"version": "版本号必须是正整数"}))
			return
		}
		version = n
	}
	if err := s.opt.Routing.Delete(c.Request.Context(), c.Param("id"), version); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// testRoutingRules answers POST /api/v1/routing-rules/test (admins,
// dispatchers): which rule a sample request hits, and why each rule did
// or did not.
func (s *Server) testRoutingRules(c *gin.Context) {
	bodyCall(s, c, http.StatusOK, s.opt.Routing.Test)
}

// listAdminCategories answers GET /api/v1/admin/categories (admins):
// every category, inactive ones included.
func (s *Server) listAdminCategories(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	items, err := s.opt.CategoryAdmin.List(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": len(items)})
}

// createAdminCategory answers POST /api/v1/admin/categories (admins).
func (s *Server) createAdminCategory(c *gin.Context) {
	bodyCall(s, c, http.StatusCreated, s.opt.CategoryAdmin.Create)
}

// updateAdminCategory answers PUT /api/v1/admin/categories/{code} (admins).
func (s *Server) updateAdminCategory(c *gin.Context) {
	bodyCall(s, c, http.StatusOK, func(ctx context.Context, in portal.CategoryInput) (*portal.AdminCategory, error) {
		return s.opt.CategoryAdmin.Update(ctx, c.Param("code"), in)
	})
}
