package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// similarView is what the similar-requests fragment shows.
type similarView struct {
	Items []similarItem
}

// similarItem is one possibly duplicate request in the fragment.
type similarItem struct {
	ID, No, Title, EnterpriseName, StatusName string
	CreatedAt                                 time.Time
}

// similarRequestsFragment answers GET /requests/new/similar: the list of
// possibly duplicate open requests the filing form shows while a draft is
// typed, or nothing. It takes the API's parameters; a form that cannot
// join title and description into q sends them as title and description.
func (s *Server) similarRequestsFragment(c *gin.Context) {
	if portal.ActorFrom(c.Request.Context()) == nil && c.GetHeader("HX-Request") == "true" {
		// The session ended while the form was open: a login page must not
		// be swapped into the form, and htmx leaves the list alone on 401.
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	if s.actor(c) == nil {
		return
	}
	q := similarQuery(c)
	if _, ok := c.GetQuery("q"); !ok {
		q.Text = portal.SimilarDraftText(c.Query("title"), c.Query("description"))
	}
	found, err := s.opt.Requests.Similar(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	view := similarView{Items: make([]similarItem, 0, len(found))}
	for _, r := range found {
		view.Items = append(view.Items, similarItem{ID: r.ID, No: r.No, Title: r.Title, EnterpriseName: r.EnterpriseName,
			StatusName: portal.StatusNames[r.Status], CreatedAt: r.CreatedAt})
	}
	// Only the list itself is sent, without the layout, to be swapped in.
	t, ok := s.pages.byName["requests_similar"]
	if !ok {
		s.fail(c, fmt.Errorf("no template %q", "requests_similar"))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", view); err != nil {
		s.fail(c, portal.Internal(err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}
