package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

const (
	accessCookie  = "huiqi_access"
	refreshCookie = "huiqi_refresh"
	ctxSession    = "huiqi.session"
	ctxAuthVia    = "huiqi.auth_via"
)

// MaxHeaderBytes is the http.Server setting that refuses request headers
// over 8 KiB with 431: net/http reads up to MaxHeaderBytes plus 4096 bytes
// of slack before it gives up.
const MaxHeaderBytes = 8<<10 - 4096

// authenticate puts the actor in the request context. The API takes
// "Authorization: Bearer"; pages use the same tokens in cookies, refreshed
// silently while the session lasts. A bad bearer token is refused at once;
// a bad cookie just makes the visitor anonymous.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.opt.Auth == nil {
			c.Next()
			return
		}
		ctx := c.Request.Context()
		if h := c.GetHeader("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || token == "" {
				c.Header("WWW-Authenticate", `Bearer realm="huiqi"`)
				s.fail(c, portal.Errorf(portal.EUNAUTHENTICATED, "Authorization 头必须是 Bearer 访问令牌"))
				return
			}
			actor, sid, err := s.opt.Auth.Authenticate(ctx, token)
			if err != nil {
				c.Header("WWW-Authenticate", `Bearer realm="huiqi", error="invalid_token"`)
				s.fail(c, err)
				return
			}
			s.setActor(c, actor, sid, "bearer")
			c.Next()
			return
		}
		if token, err := c.Cookie(accessCookie); err == nil && token != "" {
			if actor, sid, err := s.opt.Auth.Authenticate(ctx, token); err == nil {
				s.setActor(c, actor, sid, "cookie")
				c.Next()
				return
			}
		}
		if refresh, err := c.Cookie(refreshCookie); err == nil && refresh != "" {
			pair, err := s.opt.Auth.Refresh(ctx, refresh, c.ClientIP())
			if err == nil {
				if actor, sid, err := s.opt.Auth.Authenticate(ctx, pair.AccessToken); err == nil {
					s.setAuthCookies(c, pair)
					s.setActor(c, actor, sid, "cookie")
					c.Next()
					return
				}
			}
			s.clearAuthCookies(c)
		}
		c.Next()
	}
}

func (s *Server) setActor(c *gin.Context, a *portal.Actor, sessionID, via string) {
	a.ClientIP = c.ClientIP()
	c.Request = c.Request.WithContext(portal.WithActor(c.Request.Context(), a))
	c.Set(ctxSession, sessionID)
	c.Set(ctxAuthVia, via)
}

// setAuthCookies stores a token pair in HttpOnly, SameSite=Lax cookies.
func (s *Server) setAuthCookies(c *gin.Context, p *portal.TokenPair) {
	cfg := s.opt.Auth.Config()
	for _, ck := range []*http.Cookie{
		{Name: accessCookie, Value: p.AccessToken, MaxAge: int(cfg.AccessTTL.Seconds())},
		{Name: refreshCookie, Value: p.RefreshToken, MaxAge: int(cfg.SessionLifetime.Seconds())},
	} {
		ck.Path, ck.HttpOnly, ck.Secure, ck.SameSite = "/", true, s.opt.SecureCookies, http.SameSiteLaxMode
		http.SetCookie(c.Writer, ck)
	}
}

func (s *Server) clearAuthCookies(c *gin.Context) {
	for _, name := range []string{accessCookie, refreshCookie} {
		http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			Secure: s.opt.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
}

// actor returns the signed-in, verified actor or answers 401 (API) or
// sends the visitor to the login page, and returns nil.
func (s *Server) actor(c *gin.Context) *portal.Actor {
	a := portal.ActorFrom(c.Request.Context())
	switch {
	case a != nil && !a.Pending:
		return a
	case isAPI(c) && a != nil:
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "您的账号正在等待审核，审核通过后才能使用此功能"))
	case isAPI(c):
		c.Header("WWW-Authenticate", `Bearer realm="huiqi"`)
		s.fail(c, portal.Errorf(portal.EUNAUTHENTICATED, "请先登录"))
	case a != nil:
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "您的账号正在等待审核，审核通过后才能使用此功能"))
	default:
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
	}
	return nil
}

// safeNext returns next if it is a path on this site, else "/". Browsers
// drop tabs and line breaks inside URLs and read a backslash as "/", so
// "/\t/evil" would become "//evil": control characters and backslashes are
// refused.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) apiLogin(c *gin.Context) {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	pair, _, err := s.opt.Auth.Login(c.Request.Context(), req.Username, req.Password, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, pair)
}

func (s *Server) apiRefresh(c *gin.Context) {
	var req struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := decodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.RefreshToken == "" {
		s.fail(c, portal.Invalid("缺少 refresh_token", map[string]string{"refresh_token": "必填"}))
		return
	}
	pair, err := s.opt.Auth.Refresh(c.Request.Context(), req.RefreshToken, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, pair)
}

func (s *Server) apiLogout(c *gin.Context) {
	var req struct {
		RefreshToken string `json:"refresh_token"`
	}
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	var err error
	switch sid := c.GetString(ctxSession); {
	case req.RefreshToken != "":
		err = s.opt.Auth.LogoutRefresh(c.Request.Context(), req.RefreshToken)
	case sid != "":
		err = s.opt.Auth.Logout(c.Request.Context(), sid)
	default:
		err = portal.Invalid("请提供 refresh_token，或带上访问令牌调用", map[string]string{"refresh_token": "必填"})
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// meResponse is what GET /me returns.
type meResponse struct {
	User      *portal.User      `json:"user"`
	Roles     []roleView        `json:"roles"`
	Scopes    map[string]string `json:"scopes"`
	Pending   bool              `json:"pending"`
	SessionID string            `json:"-"`
}

type roleView struct {
	Code portal.Role `json:"code"`
	Name string      `json:"name"`
}

func (s *Server) apiMe(c *gin.Context) {
	a := portal.ActorFrom(c.Request.Context())
	if a == nil {
		s.actor(c)
		return
	}
	u, err := s.opt.Users.FindUserByID(c.Request.Context(), a.UserID)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := meResponse{User: u, Pending: a.Pending, Roles: []roleView{}, Scopes: map[string]string{}}
	for _, r := range u.Roles {
		out.Roles = append(out.Roles, roleView{Code: r, Name: portal.RoleNames[r]})
	}
	for k, v := range map[string]string{"enterprise_id": u.EnterpriseID, "unit_id": u.UnitID, "chain_id": u.ChainID, "task_force_id": u.TaskForceID} {
		if v != "" {
			out.Scopes[k] = v
		}
	}
	c.JSON(http.StatusOK, out)
}

// loginPage shows the sign-in form.
func (s *Server) loginPage(c *gin.Context) {
	if a := portal.ActorFrom(c.Request.Context()); a != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	s.render(c, http.StatusOK, "login", "登录", gin.H{"Next": safeNext(c.Query("next"))})
}

// loginSubmit signs in from the form and sets the session cookies.
func (s *Server) loginSubmit(c *gin.Context) {
	username, next := c.PostForm("username"), safeNext(c.PostForm("next"))
	pair, u, err := s.opt.Auth.Login(c.Request.Context(), username, c.PostForm("password"), c.ClientIP())
	if err != nil {
		status := StatusOf(err)
		if status == http.StatusInternalServerError || status == http.StatusServiceUnavailable {
			s.fail(c, err)
			return
		}
		s.render(c, status, "login", "登录", gin.H{"Next": next, "Username": username, "Error": portal.ErrorMessage(err)})
		return
	}
	s.setAuthCookies(c, pair)
	if u.Status == portal.UserPending {
		setFlash(c, "info", "您的账号正在等待专班联络员或管理员审核，审核通过前只能浏览公开信息。")
	} else {
		setFlash(c, "success", "欢迎回来，"+u.DisplayName)
	}
	c.Redirect(http.StatusSeeOther, next)
}

// logoutSubmit ends the session and clears the cookies.
func (s *Server) logoutSubmit(c *gin.Context) {
	if sid := c.GetString(ctxSession); sid != "" {
		if err := s.opt.Auth.Logout(c.Request.Context(), sid); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.clearAuthCookies(c)
	setFlash(c, "success", "您已退出登录")
	c.Redirect(http.StatusSeeOther, "/")
}
