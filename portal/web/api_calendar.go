package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// calendarRoutes registers the working-calendar API and the admin
// calendar page. Reading a year and previewing a deadline are for any
// signed-in user (the same arithmetic decides their requests' limits);
// changing a year is for admins.
func (s *Server) calendarRoutes(api *gin.RouterGroup) {
	api.GET("/calendar/deadline", s.calendarDeadline)
	api.GET("/calendar/:year", s.getCalendarYear)
	api.PUT("/calendar/:year", s.putCalendarYear)
	s.calendarPageRoutes()
}

// calendarYearParam reads the year in the path.
func calendarYearParam(c *gin.Context) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(c.Param("year")))
	if err != nil {
		msg := "年份必须是四位数字，如 2026"
		return 0, portal.Invalid(msg, map[string]string{"year": msg})
	}
	return y, nil
}

// calendarDeadlineBody is the answer of GET /api/v1/calendar/deadline.
type calendarDeadlineBody struct {
	Start           string   `json:"start"`
	Amount          int      `json:"amount"`
	Unit            string   `json:"unit"`
	Due             string   `json:"due"`
	CalendarVersion string   `json:"calendar_version"`
	Warnings        []string `json:"warnings,omitempty"`
}

// calendarDeadline answers GET /api/v1/calendar/deadline?start=&amount=&unit=.
func (s *Server) calendarDeadline(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	p, err := s.opt.Calendar.PreviewDeadline(c.Request.Context(),
		portal.DeadlineQuery{Start: c.Query("start"), Amount: c.Query("amount"), Unit: c.Query("unit")})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, calendarDeadlineBody{Start: p.Start.Format(time.RFC3339Nano), Amount: p.Amount, Unit: string(p.Unit),
		Due: p.Due.Format(time.RFC3339Nano), CalendarVersion: p.CalendarVersion, Warnings: p.Warnings})
}

// getCalendarYear answers GET /api/v1/calendar/{year}.
func (s *Server) getCalendarYear(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	y, err := calendarYearParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.opt.Calendar.Year(c.Request.Context(), y)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// putCalendarYear answers PUT /api/v1/calendar/{year} (admins), 409 when
// the version sent is not the one in force.
func (s *Server) putCalendarYear(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	y, err := calendarYearParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in portal.CalendarYearInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.opt.Calendar.SaveYear(c.Request.Context(), y, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
