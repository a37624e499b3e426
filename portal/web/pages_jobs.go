package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// jobsRoot is where the job console (asynqmon) is mounted.
const jobsRoot = "/admin/jobs"

// jobsRoutes mounts the job console: admins see and manage the queues
// (pending, scheduled, retries, archived) there.
func (s *Server) jobsRoutes() {
	s.engine.Any(jobsRoot, s.jobsConsole)
	s.engine.Any(jobsRoot+"/*path", s.jobsConsole)
}

// jobsConsole lets an admin through to the console. The console's own
// script sends no CSRF token, so its page gets a small script that adds
// the visitor's token to every request it makes: its changes pass the
// same CSRF check as every form, and each one is audited.
func (s *Server) jobsConsole(c *gin.Context) {
	a := s.actor(c)
	if a == nil {
		return
	}
	if s.opt.JobsUI == nil || s.opt.Chasing == nil {
		s.fail(c, portal.Errorf(portal.EUNAVAILABLE, "后台任务控制台未在此进程中运行"))
		return
	}
	ctx := c.Request.Context()
	if err := s.opt.Chasing.AuthorizeJobsConsole(ctx, c.Request.URL.Path); err != nil {
		s.fail(c, err)
		return
	}
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead:
		s.jobsPage(c)
		return
	}
	s.opt.JobsUI.ServeHTTP(c.Writer, c.Request)
	if err := s.opt.Chasing.RecordJobsChange(ctx, c.Request.Method, c.Request.URL.Path, c.Writer.Status() >= 400); err != nil {
		s.logger(c).Error("audit job console change", "err", err)
	}
}

// jobsPage serves what the console reads; its HTML page leaves with the
// CSRF script and a way back to the portal.
func (s *Server) jobsPage(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, jobsRoot+"/api/") {
		s.opt.JobsUI.ServeHTTP(c.Writer, c.Request)
		return
	}
	rec := httptest.NewRecorder()
	s.opt.JobsUI.ServeHTTP(rec, c.Request)
	body := rec.Body.Bytes()
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		body = injectJobsScript(body, csrfToken(c, s.opt.SecureCookies))
		rec.Header().Set("Cache-Control", "no-store")
		rec.Header().Del("Content-Length")
	}
	for k, v := range rec.Header() {
		c.Writer.Header()[k] = v
	}
	c.Status(rec.Code)
	_, _ = c.Writer.Write(body)
}

// injectJobsScript adds to the console's page a script that sends the
// CSRF token with every XMLHttpRequest (the console's HTTP client) and a
// link back to the portal's administration.
func injectJobsScript(page []byte, token string) []byte {
	tok, _ := json.Marshal(token)
	script := `<script>(function(){var t=` + string(tok) + `;var o=XMLHttpRequest.prototype.open;` +
		`XMLHttpRequest.prototype.open=function(){o.apply(this,arguments);this.setRequestHeader("` + csrfHeader + `",t);};})();</script>`
	back := `<a href="/admin" style="position:fixed;right:12px;bottom:12px;z-index:2000;padding:6px 12px;border-radius:4px;` +
		`background:#1f4e8c;color:#fff;font:14px sans-serif;text-decoration:none">返回惠企通系统管理</a>`
	page = bytes.Replace(page, []byte("</head>"), []byte(script+"</head>"), 1)
	return bytes.Replace(page, []byte("</body>"), []byte(back+"</body>"), 1)
}
