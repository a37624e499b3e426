package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// requestRoutes registers the request (诉求) API: the category taxonomy,
// which is public, and the requests themselves, each scoped by the service
// to what the caller may see. Every public action has its own route, so
// that an unknown one answers 404 like any unknown address.
func (s *Server) requestRoutes(api *gin.RouterGroup) {
	api.GET("/categories", s.apiCategories)
	api.GET("/requests", s.apiListRequests)
	api.POST("/requests", s.apiFileRequest)
	api.GET("/requests/:id", s.apiGetRequest)
	api.GET("/requests/:id/timeline", s.apiRequestTimeline)
	for _, a := range portal.PublicActions {
		api.POST("/requests/:id/"+string(a), s.apiRequestAction(a))
	}
	api.POST("/requests/:id/attachments", s.apiAddAttachment)
	api.GET("/requests/:id/attachments/:aid", s.apiGetAttachment)
}

// apiCategories answers GET /api/v1/categories: the active categories in
// display order with the request types each takes. The taxonomy is no
// secret, so the filing helper works before sign-in.
func (s *Server) apiCategories(c *gin.Context) {
	cats, err := s.opt.Categories.ActiveCategories(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cats)
}

// requestListQuery reads the list parameters, naming the one that is
// malformed; the service checks the values.
func requestListQuery(c *gin.Context) (portal.RequestQuery, error) {
	q := portal.RequestQuery{
		Status:     strings.TrimSpace(c.Query("status")),
		Department: strings.TrimSpace(c.Query("department")),
		Category:   strings.TrimSpace(c.Query("category")),
		Channel:    strings.TrimSpace(c.Query("channel")),
		Enterprise: strings.TrimSpace(c.Query("enterprise")),
		Q:          c.Query("q"),
	}
	f := map[string]string{}
	for _, p := range []struct {
		name string
		to   *bool
	}{{"overdue", &q.Overdue}, {"mine", &q.Mine}} {
		switch strings.TrimSpace(c.Query(p.name)) {
		case "", "false", "0":
		case "true", "1":
			*p.to = true
		default:
			f[p.name] = "应为 true 或 false"
		}
	}
	switch strings.TrimSpace(c.Query("sort")) {
	case "", "new":
	case "due":
		q.ByDue = true
	default:
		f["sort"] = "应为 due（按期限）或 new（最新在前）"
	}
	var err error
	q.Page, q.PerPage, err = pageParams(c)
	if err != nil {
		for k, v := range portal.ErrorFields(err) {
			f[k] = v
		}
	}
	if len(f) > 0 {
		return q, portal.Invalid("查询参数有误", f)
	}
	return q, nil
}

// apiListRequests answers GET /api/v1/requests: one page of the requests
// the caller may see, newest first or (sort=due) soonest deadline first.
func (s *Server) apiListRequests(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	q, err := requestListQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.opt.Requests.List(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiFileRequest answers POST /api/v1/requests: an enterprise files for
// itself, a liaison or dispatcher for an enterprise they serve, naming
// enterprise_id, the channel and its source. Files are attached afterwards.
func (s *Server) apiFileRequest(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	var in portal.RequestInput
	if err := decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.opt.Requests.File(c.Request.Context(), in, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/requests/"+r.ID)
	c.JSON(http.StatusCreated, r)
}

// apiGetRequest answers GET /api/v1/requests/{id}.
func (s *Server) apiGetRequest(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	r, err := s.opt.Requests.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// apiRequestTimeline answers GET /api/v1/requests/{id}/timeline: every
// event, oldest first.
func (s *Server) apiRequestTimeline(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	events, err := s.opt.Requests.Timeline(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if events == nil {
		events = []portal.Event{}
	}
	c.JSON(http.StatusOK, gin.H{"items": events})
}

// apiRequestAction answers POST /api/v1/requests/{id}/{action} with the
// request as it is afterwards. The body (portal.ActionInput) may be left
// out: the service names each field an action needs.
func (s *Server) apiRequestAction(action portal.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.actor(c) == nil {
			return
		}
		var in portal.ActionInput
		if c.Request.ContentLength != 0 {
			if err := decodeJSON(c, &in); err != nil {
				s.fail(c, err)
				return
			}
		}
		r, err := s.opt.Requests.Act(c.Request.Context(), c.Param("id"), action, in)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, r)
	}
}

// uploadSlack is what a multipart body may carry beyond the file itself:
// boundaries, part headers and a long file name.
const uploadSlack = 64 << 10

// apiAddAttachment answers POST /api/v1/requests/{id}/attachments: one
// file in the multipart field "file", its type sniffed from the content by
// the service; the answer lists the request's attachments.
func (s *Server) apiAddAttachment(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	up, err := s.attachmentUpload(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.opt.Requests.AddAttachment(c.Request.Context(), c.Param("id"), up)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": r.ID, "version": r.Version, "attachments": r.Attachments})
}

// attachmentUpload reads the file of field "file", refusing a body over
// the attachment limit before it is read in full.
func (s *Server) attachmentUpload(c *gin.Context) (portal.Upload, error) {
	return s.uploadOf(c, s.opt.Requests.AttachmentLimit())
}

// uploadOf reads the file of field "file", refusing a body over limit
// bytes (plus the multipart framing) before it is read in full.
func (s *Server) uploadOf(c *gin.Context, limit int64) (portal.Upload, error) {
	tooLarge := &portal.Error{Code: portal.ETOOLARGE, Message: fmt.Sprintf("附件不能超过 %s，请压缩或拆分后再上传", sizeLabel(limit)),
		Fields: map[string]string{"file": "文件过大"}}
	if c.Request.ContentLength > limit+uploadSlack {
		return portal.Upload{}, tooLarge
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit+uploadSlack)
	fh, err := c.FormFile("file")
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return portal.Upload{}, tooLarge
	case errors.Is(err, http.ErrMissingFile):
		return portal.Upload{}, portal.Invalid("请选择要上传的附件（表单字段 file）", map[string]string{"file": "请选择文件"})
	case err != nil:
		return portal.Upload{}, portal.Invalid("上传格式有误：请以 multipart/form-data 提交，文件放在字段 file 中", map[string]string{"file": "未收到文件"})
	case fh.Size > limit:
		return portal.Upload{}, tooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return portal.Upload{}, portal.Internal(err)
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return portal.Upload{}, portal.Internal(err)
	}
	return portal.Upload{Name: fh.Filename, Content: content}, nil
}

// sizeLabel writes a byte count the way people say it: "20 MB", "512 KB".
func sizeLabel(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// apiGetAttachment answers GET /api/v1/requests/{id}/attachments/{aid}:
// the file as a download with the type sniffed at upload, only for those
// who may see the request (404 for everyone else).
func (s *Server) apiGetAttachment(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	att, rc, err := s.opt.Requests.OpenAttachment(c.Request.Context(), c.Param("id"), c.Param("aid"))
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

// contentDisposition makes a download header that keeps a Chinese file
// name: an ASCII fallback for old clients and the UTF-8 name encoded as
// RFC 5987 says (filename*=UTF-8”…).
func contentDisposition(name string) string {
	var fallback, encoded strings.Builder
	for _, r := range name {
		if r < 0x7f && r >= 0x20 && r != '"' && r != '\\' {
			fallback.WriteRune(r)
		} else {
			fallback.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback.String(), encoded.String())
}

// isAttrChar reports whether b may stand unencoded in an RFC 5987 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
