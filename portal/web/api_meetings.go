package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// meetingRoutes registers the meeting and visit API and their pages: the
// chains' joint meetings, micro-forums and symposia with their agenda
// topics and minutes, and the liaisons' company visits with the requests
// raised there. The services decide who sees and changes what.
func (s *Server) meetingRoutes(api *gin.RouterGroup) {
	api.GET("/meetings", s.apiListMeetings)
	api.POST("/meetings", s.apiCreateMeeting)
	api.GET("/meetings/:id", s.apiGetMeeting)
	api.PATCH("/meetings/:id", s.apiUpdateMeeting)
	api.POST("/meetings/:id/topics", s.apiAddTopic)
	api.PUT("/meetings/:id/minutes", s.apiRecordMinutes)
	api.GET("/visits", s.apiListVisits)
	api.POST("/visits", s.apiRecordVisit)
	api.GET("/visits/:id", s.apiGetVisit)
	s.meetingPageRoutes()
	s.visitPageRoutes()
}

// meetingActor returns the signed-in actor of a meeting route, or nil
// once it has answered (sign-in, or 503 while meetings are off).
func (s *Server) meetingActor(c *gin.Context) *portal.Actor {
	a := s.actor(c)
	if a == nil {
		return nil
	}
	if s.opt.Meetings == nil || s.opt.Visits == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "会议和走访服务暂未开通"))
		return nil
	}
	return a
}

// meetingCall is bodyCall for the meeting routes: the body decoded into
// an In and handed, with the path's id, to fn.
func meetingCall[In, Out any](s *Server, c *gin.Context, status int, fn func(context.Context, string, In) (Out, error)) {
	if s.meetingActor(c) == nil {
		return
	}
	var in In
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	out, err := fn(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, out)
}

// apiListMeetings answers GET /api/v1/meetings: one page of the meetings
// the caller may see, upcoming ones first.
func (s *Server) apiListMeetings(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	q := portal.MeetingQuery{Chain: c.Query("chain"), Type: c.Query("type"), Q: c.Query("q"), From: c.Query("from"),
		To: c.Query("to"), Upcoming: c.Query("upcoming")}
	var err error
	if q.Page, q.PerPage, err = pageParams(c); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.opt.Meetings.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiCreateMeeting answers POST /api/v1/meetings.
func (s *Server) apiCreateMeeting(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	var in portal.MeetingInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	m, err := s.opt.Meetings.Create(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/meetings/"+m.ID)
	c.JSON(http.StatusCreated, m)
}

// apiGetMeeting answers GET /api/v1/meetings/{id}.
func (s *Server) apiGetMeeting(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	m, err := s.opt.Meetings.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// apiUpdateMeeting answers PATCH /api/v1/meetings/{id}: the fields sent
// change, on the version named.
func (s *Server) apiUpdateMeeting(c *gin.Context) {
	meetingCall(s, c, http.StatusOK, s.opt.Meetings.Update)
}

// apiAddTopic answers POST /api/v1/meetings/{id}/topics with the meeting
// and its topics.
func (s *Server) apiAddTopic(c *gin.Context) {
	meetingCall(s, c, http.StatusCreated, s.opt.Meetings.AddTopic)
}

// apiRecordMinutes answers PUT /api/v1/meetings/{id}/minutes.
func (s *Server) apiRecordMinutes(c *gin.Context) {
	meetingCall(s, c, http.StatusOK, s.opt.Meetings.RecordMinutes)
}

// apiListVisits answers GET /api/v1/visits: a liaison's own visits,
// everyone's for dispatchers and admins (mine=true narrows to their own).
func (s *Server) apiListVisits(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	q := portal.VisitQuery{Enterprise: c.Query("enterprise"), Q: c.Query("q")}
	switch strings.TrimSpace(c.Query("mine")) {
	case "", "false", "0":
	case "true", "1":
		q.Mine = true
	default:
		s.fail(c, portal.Invalid("查询参数有误", map[string]string{"mine": "应为 true 或 false"}))
		return
	}
	var err error
	if q.Page, q.PerPage, err = pageParams(c); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.opt.Visits.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiRecordVisit answers POST /api/v1/visits: the visit and the requests
// raised at it, filed in one go; nothing is stored when anything is wrong.
func (s *Server) apiRecordVisit(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	var in portal.VisitInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.opt.Visits.Record(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/visits/"+v.ID)
	c.JSON(http.StatusCreated, v)
}

// apiGetVisit answers GET /api/v1/visits/{id}.
func (s *Server) apiGetVisit(c *gin.Context) {
	if s.meetingActor(c) == nil {
		return
	}
	v, err := s.opt.Visits.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}
