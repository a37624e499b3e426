// Package web serves the portal over HTTP with Gin: the JSON API under
// /api/v1, server-rendered pages in Simplified Chinese, health, readiness and
// metrics. Handlers parse, call a service and render; rules live in portal.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/search"
)

// ReadyCheck is one dependency /readyz asks.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// Options are what the server needs from the outside.
type Options struct {
	Log      *slog.Logger
	Registry *prometheus.Registry // receives HTTP metrics; served at /metrics
	Checks   []ReadyCheck
	Org      portal.OrgStore
	OrgIndex search.Index
	Auth     *portal.AuthService
	Users    portal.UserStore
	Policies *policies.Service
	// Admin administers the org tree, task forces, chains, users and audit log.
	Admin    *portal.OrgAdmin
	Location *time.Location
	Version  string
	// SecureCookies marks cookies Secure (when served over HTTPS).
	SecureCookies bool
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For is believed; empty trusts none, so a client
	// cannot pick its own address for login throttling and the audit log.
	TrustedProxies []string

	// Enterprises (一企一档) and self-registration with its review.
	Enterprises   *portal.EnterpriseService
	Registrations *portal.RegistrationService

	// Matchmaking (profiles, matches, 免申即享) and in-app notifications.
	Matcher       *policies.Matcher
	Notifications *portal.NotificationService

	// Calendar is the working calendar (工作日历) and deadline preview.
	Calendar *portal.CalendarService

	// Requests (诉求): filing, dispatch and handling, with their categories.
	Requests   *portal.RequestService
	Categories portal.CategoryCatalog
	// Routing keeps the routing rules and their console; CategoryAdmin
	// edits the request taxonomy.
	Routing       *portal.RoutingService
	CategoryAdmin *portal.CategoryService
	// SLA keeps the SLA plans (时限方案) and their preview.
	SLA *portal.SLAService
	// Chasing is the chasing ladder: the overdue board and the guard of
	// JobsUI, the job console (asynqmon) admins open at /admin/jobs; a
	// nil JobsUI says the console does not run in this process.
	Chasing *portal.Chaser
	JobsUI  http.Handler
	// Feedback runs the surveys (回访): the public survey pages, the phone
	// record and the follow-up list.
	Feedback *portal.FeedbackService
	// KPIs answers the rates, the dashboard and the scorecards (一诉一考).
	KPIs *portal.KPIService
	// Meetings keeps the chains' meetings and their topics and minutes;
	// Visits the liaisons' company visits and the requests raised there.
	Meetings *portal.MeetingService
	Visits   *portal.VisitService
	// SpotChecks draws the spot checks (抽查) and records their verifications.
	SpotChecks *portal.SpotCheckService
	// ActionItems keeps the meetings' action items (议定事项) and the
	// committee board; nil serves their pages and API as unavailable.
	ActionItems *portal.ActionItemService
}

// Server is the HTTP face of the portal.
type Server struct {
	opt    Options
	log    *slog.Logger
	engine *gin.Engine
	pages  *pages
}

// NewServer builds the router.
func NewServer(opt Options) (*Server, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Registry == nil {
		opt.Registry = prometheus.NewRegistry()
	}
	gin.SetMode(gin.ReleaseMode)
	p, err := loadPages(opt.Location)
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, log: opt.Log.With("component", "http"), engine: gin.New(), pages: p}
	if err := s.engine.SetTrustedProxies(opt.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	s.routes()
	return s, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Routes lists the registered method and path pairs (for the OpenAPI check).
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

func (s *Server) routes() {
	e := s.engine
	e.HandleMethodNotAllowed = false
	e.RedirectTrailingSlash = true
	e.Use(requestID(), s.logRequests(), s.recoverPanics(), newHTTPMetrics(s.opt.Registry).middleware(), s.securityHeaders(), s.authenticate(), s.checkCSRF())

	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.opt.Registry, promhttp.HandlerOpts{Registry: s.opt.Registry})))
	e.GET("/api/openapi.json", s.openAPI)

	api := e.Group("/api/v1")
	api.POST("/auth/login", s.apiLogin)
	api.POST("/auth/refresh", s.apiRefresh)
	api.POST("/auth/logout", s.apiLogout)
	api.GET("/me", s.apiMe)
	s.policyRoutes(api)
	s.adminRoutes(api)
	s.enterpriseRoutes(api)
	s.registrationRoutes(api)
	s.matchRoutes(api)
	s.notificationRoutes(api)
	s.calendarRoutes(api)
	s.requestRoutes(api)
	api.GET("/requests/similar", s.apiSimilarRequests)
	s.routingRoutes(api)
	s.slaRoutes(api)
	s.feedbackRoutes(api)
	s.kpiRoutes(api)
	s.spotCheckRoutes(api)
	s.meetingRoutes(api)
	s.actionItemRoutes(api)
	s.enterprisePageRoutes()
	s.requestPageRoutes()
	s.feedbackPageRoutes()
	s.overduePageRoutes()
	s.jobsRoutes()

	s.pageRoutes()
	e.GET("/requests/new/similar", s.similarRequestsFragment)
	e.NoRoute(func(c *gin.Context) {
		s.fail(c, portal.Errorf(portal.ENOTFOUND, "您访问的地址不存在"))
	})
}

// securityHeaders sets conservative headers on every response.
func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}

// isAPI reports whether the request is for the JSON API.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// fail answers with err: JSON for the API, a Chinese page elsewhere.
func (s *Server) fail(c *gin.Context, err error) {
	if isAPI(c) {
		s.writeError(c, err)
		return
	}
	code := portal.ErrorCode(err)
	if code == portal.EINTERNAL || code == portal.EUNAVAILABLE {
		s.logger(c).Error("page failed", "err", err)
	}
	s.renderError(c, StatusOf(err), portal.ErrorMessage(err))
	c.Abort()
}
