package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// adminPaging is the page of a list asked for with ?page=&per_page=.
type adminPaging struct {
	Page    int
	PerPage int
}

// Paging bounds: pages are 1-based; the page number is capped so that a
// probe cannot make the database skip millions of rows.
const (
	adminDefaultPerPage = 20
	adminMaxPerPage     = 100
	adminMaxPage        = 10000
)

func (p adminPaging) offset() int { return (p.Page - 1) * p.PerPage }

// readAdminPaging reads page and per_page, naming the parameter at fault.
func readAdminPaging(c *gin.Context) (adminPaging, error) {
	p := adminPaging{Page: 1, PerPage: adminDefaultPerPage}
	f := map[string]string{}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > adminMaxPage {
			f["page"] = "页码必须是 1–10000 的整数"
		}
		p.Page = n
	}
	if v := c.Query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > adminMaxPerPage {
			f["per_page"] = "每页条数必须是 1–100 的整数"
		}
		p.PerPage = n
	}
	if len(f) > 0 {
		return p, portal.Invalid("分页参数有误", f)
	}
	return p, nil
}

// userFilterFrom reads the user list filters q, role, status and paging.
func userFilterFrom(c *gin.Context) (portal.UserFilter, adminPaging, error) {
	pg, err := readAdminPaging(c)
	if err != nil {
		return portal.UserFilter{}, pg, err
	}
	f := portal.UserFilter{Q: c.Query("q"), Offset: pg.offset(), Limit: pg.PerPage}
	if r := c.Query("role"); r != "" {
		role := portal.Role(r)
		f.Role = &role
	}
	if st := c.Query("status"); st != "" {
		status := portal.UserStatus(st)
		f.Status = &status
	}
	return f, pg, nil
}

// listUsers answers GET /api/v1/users (admin).
func (s *Server) listUsers(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	f, pg, err := userFilterFrom(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.opt.Admin.Users.FindUsers(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total, "page": pg.Page, "per_page": pg.PerPage})
}

// createUser answers POST /api/v1/users (admin).
func (s *Server) createUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.NewUserInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.opt.Admin.Users.CreateUser(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

// getUser answers GET /api/v1/users/{id} (admin, or the user itself).
func (s *Server) getUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	u, err := s.opt.Admin.Users.FindUser(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// updateUser answers PUT /api/v1/users/{id} (admin).
func (s *Server) updateUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.UserChangeInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.opt.Admin.Users.UpdateUser(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// disableUser answers POST /api/v1/users/{id}/disable (admin).
func (s *Server) disableUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	u, err := s.opt.Admin.Users.DisableUser(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// enableUser answers POST /api/v1/users/{id}/enable (admin).
func (s *Server) enableUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	u, err := s.opt.Admin.Users.EnableUser(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// changeUserPassword answers POST /api/v1/users/{id}/password: an admin
// resetting it, or the user changing their own.
func (s *Server) changeUserPassword(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.PasswordInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.opt.Admin.Users.ChangePassword(c.Request.Context(), c.Param("id"), in); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
