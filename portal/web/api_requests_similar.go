package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// similarQuery reads the draft a similar-request search is for from the
// query string: enterprise_id, category, q (the text) and exclude.
func similarQuery(c *gin.Context) portal.SimilarQuery {
	return portal.SimilarQuery{EnterpriseID: c.Query("enterprise_id"), Category: c.Query("category"),
		Text: c.Query("q"), Exclude: c.Query("exclude")}
}

// apiSimilarRequests answers GET /api/v1/requests/similar: the open
// requests that may be the same matter as a draft being typed, most
// similar first, among those the caller may see.
func (s *Server) apiSimilarRequests(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	items, err := s.opt.Requests.Similar(c.Request.Context(), similarQuery(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
