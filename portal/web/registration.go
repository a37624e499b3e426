package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// registrationRoutes registers self-registration (anonymous) and its
// review by liaisons and admins, for the API and the pages.
func (s *Server) registrationRoutes(api *gin.RouterGroup) {
	api.POST("/auth/register", s.apiRegister)
	api.GET("/registrations", s.apiListRegistrations)
	api.POST("/users/:id/verify", s.apiVerifyUser)
	api.POST("/users/:id/reject", s.apiRejectUser)

	e := s.engine
	e.GET("/register", s.registerPage)
	e.POST("/register", s.registerSubmit)
	e.GET("/registrations", s.registrationsPage)
	e.POST("/registrations/:id/verify", s.registrationVerifySubmit)
	e.POST("/registrations/:id/reject", s.registrationRejectSubmit)
}

// registerResponse is what a successful registration returns.
type registerResponse struct {
	ID      string            `json:"id"`
	Status  portal.UserStatus `json:"status"`
	Message string            `json:"message"`
}

// apiRegister answers POST /api/v1/auth/register (anonymous).
func (s *Server) apiRegister(c *gin.Context) {
	var r portal.Registration
	if err := decodeJSON(c, &r); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.opt.Registrations.Register(c.Request.Context(), r, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, registerResponse{ID: u.ID, Status: u.Status, Message: portal.RegistrationMessage})
}

// registrationListQuery reads q, page and per_page.
func registrationListQuery(c *gin.Context) (q string, page, perPage int, err error) {
	page, perPage, err = pageParams(c)
	return c.Query("q"), page, perPage, err
}

// apiListRegistrations answers GET /api/v1/registrations.
func (s *Server) apiListRegistrations(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	q, page, perPage, err := registrationListQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.opt.Registrations.Pending(c.Request.Context(), q, page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// apiVerifyUser answers POST /api/v1/users/{id}/verify.
func (s *Server) apiVerifyUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	u, err := s.opt.Registrations.Verify(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// apiRejectUser answers POST /api/v1/users/{id}/reject {"reason"}.
func (s *Server) apiRejectUser(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.opt.Registrations.Reject(c.Request.Context(), c.Param("id"), req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// registerData is what register.html shows.
type registerData struct {
	Form   portal.Registration
	Errors map[string]string
	Error  string
}

// registerPage shows the registration form; a signed-in visitor has an
// account already and goes home.
func (s *Server) registerPage(c *gin.Context) {
	if portal.ActorFrom(c.Request.Context()) != nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	s.render(c, http.StatusOK, "register", "注册企业账号", registerData{})
}

// registerSubmit registers from the form and sends the visitor to sign in.
func (s *Server) registerSubmit(c *gin.Context) {
	r := portal.Registration{
		USCC: c.PostForm("uscc"), CompanyName: c.PostForm("company_name"), ContactName: c.PostForm("contact_name"),
		Phone: c.PostForm("phone"), Username: c.PostForm("username"), Password: c.PostForm("password"),
	}
	_, err := s.opt.Registrations.Register(c.Request.Context(), r, c.ClientIP())
	if err != nil {
		status := StatusOf(err)
		if status == http.StatusInternalServerError || status == http.StatusServiceUnavailable {
			s.fail(c, err)
			return
		}
		r.Password = ""
		s.render(c, status, "register", "注册企业账号", registerData{Form: r, Errors: portal.ErrorFields(err), Error: portal.ErrorMessage(err)})
		return
	}
	setFlash(c, "success", portal.RegistrationMessage)
	c.Redirect(http.StatusSeeOther, "/login")
}

// registrationsData is what registrations.html shows.
type registrationsData struct {
	Q       string
	Page    *portal.RegistrationPage
	Pages   int
	PrevURL string
	NextURL string
	IsAdmin bool
	Errors  map[string]string
	Error   string
	Failed  string // the registration a refused form was about
}

func (s *Server) registrationsPage(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	s.renderRegistrations(c, a, http.StatusOK, "", nil)
}

// renderRegistrations shows the pending list, with the error of a refused
// decision on registration failed.
func (s *Server) renderRegistrations(c *gin.Context, a *portal.Actor, status int, failed string, decisionErr error) {
	q, page, perPage, err := registrationListQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.opt.Registrations.Pending(c.Request.Context(), q, page, perPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := registrationsData{Q: q, Page: res, Pages: res.Pages(), IsAdmin: a.IsAdmin(), Failed: failed}
	if decisionErr != nil {
		d.Error, d.Errors = portal.ErrorMessage(decisionErr), portal.ErrorFields(decisionErr)
	}
	link := func(p int) string {
		v := url.Values{"page": {strconv.Itoa(p)}}
		if q != "" {
			v.Set("q", q)
		}
		if res.PerPage != portal.DefaultEnterprisesPerPage {
			v.Set("per_page", strconv.Itoa(res.PerPage))
		}
		return "/registrations?" + v.Encode()
	}
	if res.Page > 1 {
		d.PrevURL = link(res.Page - 1)
	}
	if res.Page < d.Pages {
		d.NextURL = link(res.Page + 1)
	}
	s.render(c, status, "registrations", "注册审核", d)
}

func (s *Server) registrationVerifySubmit(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	u, err := s.opt.Registrations.Verify(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	setFlash(c, "success", "已通过 "+u.DisplayName+"（"+u.Username+"）的注册，该账号现在可以使用全部功能")
	c.Redirect(http.StatusSeeOther, "/registrations")
}

func (s *Server) registrationRejectSubmit(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	u, err := s.opt.Registrations.Reject(c.Request.Context(), c.Param("id"), c.PostForm("reason"))
	if portal.ErrorCode(err) == portal.EINVALID {
		s.renderRegistrations(c, a, http.StatusBadRequest, c.Param("id"), err)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	setFlash(c, "success", "已拒绝 "+u.DisplayName+"（"+u.Username+"）的注册")
	c.Redirect(http.StatusSeeOther, "/registrations")
}
