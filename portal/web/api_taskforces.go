package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// listTaskForces answers GET /api/v1/task-forces: all for admins, their
// own for liaisons.
func (s *Server) listTaskForces(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.opt.Admin.TaskForces.FindTaskForces(c.Request.Context(), c.Query("q"), pg.offset(), pg.PerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "page": pg.Page, "per_page": pg.PerPage})
}

// getTaskForce answers GET /api/v1/task-forces/{id} with its members.
func (s *Server) getTaskForce(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	d, err := s.opt.Admin.TaskForces.FindTaskForce(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// createTaskForce answers POST /api/v1/task-forces (admin).
func (s *Server) createTaskForce(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.TaskForceInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.opt.Admin.TaskForces.CreateTaskForce(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, t)
}

// updateTaskForce answers PUT /api/v1/task-forces/{id} (admin).
func (s *Server) updateTaskForce(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.TaskForceInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.opt.Admin.TaskForces.UpdateTaskForce(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// reassignCaseload answers POST /api/v1/task-forces/{id}/reassign (admin).
func (s *Server) reassignCaseload(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.ReassignInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.opt.Admin.TaskForces.Reassign(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
