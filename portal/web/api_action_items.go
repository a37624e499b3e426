package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// actionItemRoutes registers the action item (议定事项) API and pages: the
// items of a meeting, one item with its progress, evidence, confirmation
// and cancellation, the bulk review and the board, each scoped by the
// service to what the caller may see.
func (s *Server) actionItemRoutes(api *gin.RouterGroup) {
	api.GET("/meetings/:id/action-items", s.apiMeetingActionItems)
	api.POST("/meetings/:id/action-items", s.apiCreateActionItem)
	api.GET("/action-items", s.apiListActionItems)
	api.POST("/action-items/review", s.apiReviewActionItems)
	api.GET("/action-items/:id", s.apiGetActionItem)
	api.PATCH("/action-items/:id", s.apiUpdateActionItem)
	api.POST("/action-items/:id/progress", s.apiActionProgress)
	api.POST("/action-items/:id/evidence", s.apiActionEvidence)
	api.GET("/action-items/:id/evidence/:aid", s.apiGetActionEvidence)
	api.POST("/action-items/:id/confirm", s.apiConfirmActionItem)
	api.POST("/action-items/:id/cancel", s.apiCancelActionItem)
	s.actionItemPageRoutes()
	s.boardPageRoutes()
}

// actions returns the action item service after the caller is signed in,
// or answers for the caller: 401/403 before sign-in, 503 when the service
// does not run in this process.
func (s *Server) actions(c *gin.Context) *portal.ActionItemService {
	if s.actor(c) == nil {
		return nil
	}
	if s.opt.ActionItems == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "议定事项服务暂不可用"))
		return nil
	}
	return s.opt.ActionItems
}

// actionQuery reads the list filters of the board and the API.
func actionQuery(c *gin.Context) (portal.ActionItemQuery, error) {
	q := portal.ActionItemQuery{Chain: strings.TrimSpace(c.Query("chain")), Meeting: strings.TrimSpace(c.Query("meeting")),
		Owner: strings.TrimSpace(c.Query("owner")), Status: strings.TrimSpace(c.Query("status")), Q: c.Query("q")}
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	return q, err
}

// apiListActionItems answers GET /api/v1/action-items: the board, one page
// of the items the caller may see, open ones first by due date, with the
// meetings and owners it can be narrowed to.
func (s *Server) apiListActionItems(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	q, err := actionQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := svc.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiMeetingActionItems answers GET /api/v1/meetings/{id}/action-items.
func (s *Server) apiMeetingActionItems(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	ma, err := svc.ForMeeting(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"meeting_id": ma.Meeting.ID, "items": ma.Items})
}

// apiCreateActionItem answers POST /api/v1/meetings/{id}/action-items.
func (s *Server) apiCreateActionItem(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	var in portal.ActionItemInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	it, err := svc.Create(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/action-items/"+it.ID)
	c.JSON(http.StatusCreated, it)
}

// apiGetActionItem answers GET /api/v1/action-items/{id}.
func (s *Server) apiGetActionItem(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	it, err := svc.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, it)
}

// apiUpdateActionItem answers PATCH /api/v1/action-items/{id}.
func (s *Server) apiUpdateActionItem(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	var p portal.ActionItemPatch
	if err := decodeJSON(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	s.answerItem(c)(svc.Update(c.Request.Context(), c.Param("id"), p))
}

// answerItem writes the item a change returned, or its error.
func (s *Server) answerItem(c *gin.Context) func(*portal.ActionItem, error) {
	return func(it *portal.ActionItem, err error) {
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, it)
	}
}

// apiActionProgress answers POST /api/v1/action-items/{id}/progress: an
// owner's update (percent, note); evidence goes to /evidence first.
func (s *Server) apiActionProgress(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	var in portal.ProgressInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	s.answerItem(c)(svc.Report(c.Request.Context(), c.Param("id"), in, nil))
}

// apiActionEvidence answers POST /api/v1/action-items/{id}/evidence: one
// file in the multipart field "file" (and an optional "note"), its type
// sniffed from the content.
func (s *Server) apiActionEvidence(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	up, err := s.uploadOf(c, svc.AttachmentLimit())
	if err != nil {
		s.fail(c, err)
		return
	}
	it, err := svc.AddEvidence(c.Request.Context(), c.Param("id"), up, c.PostForm("note"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, it)
}

// apiGetActionEvidence answers GET /api/v1/action-items/{id}/evidence/{aid}
// as request attachments are served: a download with the sniffed type,
// never rendered by the browser.
func (s *Server) apiGetActionEvidence(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	att, rc, err := svc.OpenEvidence(c.Request.Context(), c.Param("id"), c.Param("aid"))
	if err != nil {
		s.fail(c, err)
		return
	}
	defer rc.Close()
	c.DataFromReader(http.StatusOK, att.Size, att.ContentType, rc, map[string]string{
		"Content-Disposition":     contentDisposition(att.Name),
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "private, no-store",
		"Content-Security-Policy": "default-src 'none'; sandbox",
	})
}

// apiConfirmActionItem answers POST /api/v1/action-items/{id}/confirm: an
// empty body confirms, {"send_back":true,"note":"…"} sends it back.
func (s *Server) apiConfirmActionItem(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	var in portal.ConfirmInput
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.answerItem(c)(svc.Confirm(c.Request.Context(), c.Param("id"), in))
}

// apiCancelActionItem answers POST /api/v1/action-items/{id}/cancel.
func (s *Server) apiCancelActionItem(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	var in portal.CancelInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	s.answerItem(c)(svc.Cancel(c.Request.Context(), c.Param("id"), in))
}

// apiReviewActionItems answers POST /api/v1/action-items/review: one review
// action on several items of the caller's board.
func (s *Server) apiReviewActionItems(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	var in portal.ReviewInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	res, err := svc.Review(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
