package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// notificationRoutes registers the signed-in user's in-app notifications.
func (s *Server) notificationRoutes(api *gin.RouterGroup) {
	api.GET("/notifications", s.apiListNotifications)
	api.POST("/notifications/:id/read", s.apiReadNotification)
}

// apiListNotifications answers GET /api/v1/notifications: the user's own,
// unread first; ?unread=true leaves out those already read.
func (s *Server) apiListNotifications(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	page, perPage, err := pageParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	q := portal.NotificationQuery{Page: page, PerPage: perPage}
	switch v := strings.TrimSpace(c.Query("unread")); v {
	case "", "false", "0":
	case "true", "1":
		q.UnreadOnly = true
	default:
		s.fail(c, portal.Invalid("参数 unread 应为 true 或 false", map[string]string{"unread": "应为 true 或 false"}))
		return
	}
	res, err := s.opt.Notifications.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// apiReadNotification answers POST /api/v1/notifications/{id}/read.
func (s *Server) apiReadNotification(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	n, err := s.opt.Notifications.MarkRead(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}
