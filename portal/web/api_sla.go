package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// slaRoutes registers the SLA plan API (admins edit, admins and
// dispatchers read and preview), the extension requests of a request's
// deadlines and the pages of both.
func (s *Server) slaRoutes(api *gin.RouterGroup) {
	api.GET("/sla-plans", s.apiSLAPlans)
	api.PUT("/sla-plans", s.apiSaveSLAPlans)
	api.GET("/sla-plans/preview", s.apiSLAPreview)
	api.POST("/requests/:id/extension", s.apiRequestExtension)
	api.POST("/requests/:id/extension/decision", s.apiDecideExtension)
	s.slaPageRoutes()
}

// slaActor returns the signed-in actor of an SLA route, or nil once it
// has answered (401, or 503 while the SLA plans are not wired).
func (s *Server) slaActor(c *gin.Context) *portal.Actor {
	a := s.actor(c)
	if a == nil {
		return nil
	}
	if s.opt.SLA == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "时限方案服务暂未开通"))
		return nil
	}
	return a
}

// apiSLAPlans answers GET /api/v1/sla-plans: the matrix in force with its
// version (0: the built-in defaults).
func (s *Server) apiSLAPlans(c *gin.Context) {
	if s.slaActor(c) == nil {
		return
	}
	m, err := s.opt.SLA.Plans(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// apiSaveSLAPlans answers PUT /api/v1/sla-plans (admins): the whole matrix
// based on the version in force, 409 when that is not the one sent.
func (s *Server) apiSaveSLAPlans(c *gin.Context) {
	if s.slaActor(c) == nil {
		return
	}
	var in portal.SLAPlansInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	m, err := s.opt.SLA.Save(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// slaPreviewBody is the answer of GET /api/v1/sla-plans/preview.
type slaPreviewBody struct {
	Type            portal.RequestType `json:"type"`
	Tier            portal.Tier        `json:"tier"`
	Urgent          bool               `json:"urgent"`
	PlanID          string             `json:"plan_id"`
	PlanVersion     int                `json:"plan_version"`
	Start           string             `json:"start"`
	Legs            []slaPreviewLeg    `json:"legs"`
	CalendarVersion string             `json:"calendar_version"`
}

type slaPreviewLeg struct {
	Leg   portal.Leg `json:"leg"`
	Name  string     `json:"name"`
	Limit string     `json:"limit"`
	Due   string     `json:"due"`
}

// apiSLAPreview answers GET /api/v1/sla-plans/preview?type=&tier=&urgent=&start=:
// when a request of the type dispatched to the tier at start (default
// now) would be due, leg by leg, in district time.
func (s *Server) apiSLAPreview(c *gin.Context) {
	if s.slaActor(c) == nil {
		return
	}
	p, err := s.opt.SLA.Preview(c.Request.Context(), portal.SLAPreviewQuery{Type: c.Query("type"), Tier: c.Query("tier"),
		Urgent: c.Query("urgent"), Start: c.Query("start")})
	if err != nil {
		s.fail(c, err)
		return
	}
	out := slaPreviewBody{Type: p.Type, Tier: p.Tier, Urgent: p.Urgent, PlanID: p.PlanID, PlanVersion: p.PlanVersion,
		Start: p.Start.Format(time.RFC3339), Legs: []slaPreviewLeg{}, CalendarVersion: p.CalendarVersion}
	for _, l := range p.Legs {
		out.Legs = append(out.Legs, slaPreviewLeg{Leg: l.Leg, Name: l.Name, Limit: l.Limit, Due: l.Due.Format(time.RFC3339)})
	}
	c.JSON(http.StatusOK, out)
}

// apiRequestExtension answers POST /api/v1/requests/{id}/extension: the
// request's department asks to extend one leg (portal.ExtensionInput);
// the answer is the request with the pending extension.
func (s *Server) apiRequestExtension(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	var in portal.ExtensionInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.opt.Requests.RequestExtension(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// apiDecideExtension answers POST /api/v1/requests/{id}/extension/decision:
// a dispatcher or the department head approves or refuses the pending
// extension (portal.ExtensionDecision); the answer is the request after.
func (s *Server) apiDecideExtension(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	var in portal.ExtensionDecision
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.opt.Requests.DecideExtension(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
