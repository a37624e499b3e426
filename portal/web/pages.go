package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one parsed template set per page, each with the layout.
type pages struct {
	byName map[string]*template.Template
}

// page is what every template receives.
type page struct {
	Title  string
	Actor  *portal.Actor
	Nav    []navItem
	Active string
	Flash  *flash
	CSRF   string
	Status int
	Data   any
}

func loadPages(loc *time.Location) (*pages, error) {
	funcs := template.FuncMap{
		"roleName": func(r portal.Role) string { return portal.RoleNames[r] },
		"localTime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02 15:04")
		},
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", base, err)
		}
		p.byName[base[:len(base)-len(".html")]] = t
	}
	return p, nil
}

// render writes a full page. The page's own template defines "content".
func (s *Server) render(c *gin.Context, status int, name, title string, data any) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.fail(c, fmt.Errorf("no template %q", name))
		return
	}
	actor := portal.ActorFrom(c.Request.Context())
	pg := page{
		Title:  title,
		Actor:  actor,
		Nav:    navFor(actor),
		Active: c.FullPath(),
		Flash:  takeFlash(c),
		CSRF:   csrfToken(c, s.opt.SecureCookies),
		Status: status,
		Data:   data,
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", pg); err != nil {
		s.logger(c).Error("render page", "page", name, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("页面渲染失败，请稍后重试"))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// renderError shows a Chinese error page with the status.
func (s *Server) renderError(c *gin.Context, status int, message string) {
	title := map[int]string{
		http.StatusNotFound:  "页面不存在",
		http.StatusForbidden: "无权访问",
	}[status]
	if title == "" {
		title = "出错了"
	}
	s.render(c, status, "error", title, gin.H{"Message": message})
}

func (s *Server) pageRoutes() {
	e := s.engine
	static, _ := fs.Sub(staticFS, "static")
	e.StaticFS("/static", http.FS(static))
	e.GET("/favicon.ico", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.FileFromFS("favicon.svg", http.FS(static))
	})
	e.GET("/", s.home)
	e.GET("/login", s.loginPage)
	e.POST("/login", s.loginSubmit)
	e.POST("/logout", s.logoutSubmit)
	s.policyPageRoutes()
}

// homeData is what the home page shows.
type homeData struct {
	Departments, Subdistricts, Grassroots int
}

func (s *Server) home(c *gin.Context) {
	counts, err := s.opt.Org.CountOrgUnitsByKind(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "home", "首页", homeData{
		Departments:  counts[portal.KindDepartment],
		Subdistricts: counts[portal.KindSubdistrict],
		Grassroots:   counts[portal.KindCommunity] + counts[portal.KindPark],
	})
}
