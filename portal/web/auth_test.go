package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// authTestPassword is the password of every user of authTestServer.
const authTestPassword = "Hq7#kLpz-2025"

var authTestSecret = []byte("web-test-secret-0123456789abcdef-0123456789")

// authTestClock is the clock of authTestServer; tests move it.
type authTestClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *authTestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *authTestClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authTestServer is a Server with real authentication: users, sessions
// and audit in a fresh database, throttling in Redis and a movable clock.
// Its users are the demo users plus "pending" (an enterprise user awaiting
// review) and "disabled".
type authTestServer struct {
	*Server
	auth     *portal.AuthService
	users    *mongostore.UserStore
	sessions *mongostore.SessionStore
	audit    *mongostore.AuditStore
	clock    *authTestClock
}

func newAuthTestServer(t *testing.T) *authTestServer {
	t.Helper()
	db := portaltest.DB(t)
	clock := &authTestClock{t: time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC)}
	db.SetClock(clock.Now)
	ts := &authTestServer{users: mongostore.NewUserStore(db), sessions: mongostore.NewSessionStore(db),
		audit: mongostore.NewAuditStore(db), clock: clock}
	auth, err := portal.NewAuthService(ts.users, ts.sessions, redisstore.NewThrottle(portaltest.StartRedis(t).Client),
		ts.audit, clock.Now, portal.AuthConfig{Secret: authTestSecret})
	portaltest.Must(t, err, "new auth service")
	ts.auth = auth
	hash, err := portal.HashPassword(authTestPassword)
	portaltest.Must(t, err, "hash")
	users := append(demo.Users(),
		&portal.User{ID: "u-pending", Username: "pending", DisplayName: "刘新注册", Roles: []portal.Role{portal.RoleEnterprise},
			EnterpriseID: "ent-003", Status: portal.UserPending},
		&portal.User{ID: "u-disabled", Username: "disabled", DisplayName: "已离职的编辑", Roles: []portal.Role{portal.RolePolicyEditor},
			Status: portal.UserDisabled})
	for _, u := range users {
		u.PasswordHash = hash
		portaltest.Must(t, ts.users.CreateUser(context.Background(), u), "create user %s", u.Username)
	}
	srv, err := NewServer(Options{
		Log:      slog.New(slog.DiscardHandler),
		Registry: prometheus.NewRegistry(),
		Org:      mongostore.NewOrgStore(db),
		Auth:     auth,
		Users:    ts.users,
		Version:  "test",
	})
	portaltest.Must(t, err, "new server")
	ts.Server = srv
	return ts
}

// login signs username in through the service and returns the pair.
func (ts *authTestServer) login(t *testing.T, username string) *portal.TokenPair {
	t.Helper()
	pair, _, err := ts.auth.Login(context.Background(), username, authTestPassword, "192.0.2.1")
	portaltest.Must(t, err, "login %s", username)
	return pair
}

// authTestBrowser keeps cookies across requests to one handler, as a
// browser does.
type authTestBrowser struct {
	h       http.Handler
	ip      string
	cookies map[string]string
}

func (ts *authTestServer) browser() *authTestBrowser {
	return &authTestBrowser{h: ts.Handler(), ip: "192.0.2.50", cookies: map[string]string{}}
}

// do sends a request with the browser's cookies; form, when set, is sent
// url-encoded. It stores the cookies the response sets or clears.
func (b *authTestBrowser) do(t *testing.T, method, path string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.RemoteAddr = b.ip + ":50000"
	for name, value := range b.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res := httptest.NewRecorder()
	b.h.ServeHTTP(res, req)
	for _, c := range res.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return res
}

var csrfInputPattern = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf opens the login page and returns the form's CSRF token.
func (b *authTestBrowser) csrf(t *testing.T) string {
	t.Helper()
	res := b.do(t, "GET", "/login", nil, nil)
	m := csrfInputPattern.FindStringSubmatch(res.Body.String())
	if res.Code != http.StatusOK || m == nil {
		t.Fatalf("login page: status %d, no CSRF token in the form", res.Code)
	}
	if b.cookies[csrfCookie] != m[1] {
		t.Fatalf("form token %q differs from the CSRF cookie %q", m[1], b.cookies[csrfCookie])
	}
	return m[1]
}

// signIn posts the login form and returns the response.
func (b *authTestBrowser) signIn(t *testing.T, username, password, next string) *httptest.ResponseRecorder {
	t.Helper()
	token := b.csrf(t)
	return b.do(t, "POST", "/login", url.Values{"username": {username}, "password": {password}, "next": {next}, csrfField: {token}}, nil)
}

func setCookies(res *httptest.ResponseRecorder) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range res.Result().Cookies() {
		out[c.Name] = c
	}
	return out
}

func TestLoginPageCookieFlow(t *testing.T) {
	ts := newAuthTestServer(t)
	b := ts.browser()

	t.Run("WithoutCSRFTokenRefused", func(t *testing.T) {
		b.csrf(t) // the cookie is there; the form field is not
		res := b.do(t, "POST", "/login", url.Values{"username": {"editor"}, "password": {authTestPassword}}, nil)
		if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "页面已过期或来源不明") {
			t.Fatalf("status %d, want 403 with the CSRF message", res.Code)
		}
		if _, ok := b.cookies[accessCookie]; ok {
			t.Fatalf("refused form still signed in")
		}
		if n := len(ts.auditLogins(t)); n != 0 {
			t.Errorf("refused form reached the login: %d audit entries", n)
		}
	})

	t.Run("WrongPassword", func(t *testing.T) {
		res := b.signIn(t, "editor", "not-the-password", "/")
		body := res.Body.String()
		if res.Code != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") || !strings.Contains(body, `value="editor"`) {
			t.Fatalf("status %d, want 401 with the message and the username kept; body %s", res.Code, body)
		}
		if _, ok := b.cookies[accessCookie]; ok {
			t.Fatalf("wrong password signed in")
		}
	})

	t.Run("OK", func(t *testing.T) {
		res := b.signIn(t, "editor", authTestPassword, "/")
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/" {
			t.Fatalf("status %d to %q, want 303 to /", res.Code, res.Header().Get("Location"))
		}
		set := setCookies(res)
		for name, maxAge := range map[string]int{accessCookie: 15 * 60, refreshCookie: 30 * 24 * 3600} {
			c := set[name]
			if c == nil || c.Value == "" {
				t.Fatalf("cookie %s not set", name)
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != maxAge {
				t.Errorf("cookie %s: HttpOnly %v, SameSite %v, Path %q, MaxAge %d; want HttpOnly, Lax, /, %d",
					name, c.HttpOnly, c.SameSite, c.Path, c.MaxAge, maxAge)
			}
		}
		home := b.do(t, "GET", "/", nil, nil)
		if body := home.Body.String(); home.Code != http.StatusOK || !strings.Contains(body, "林政策") ||
			!strings.Contains(body, "欢迎回来，林政策") || !strings.Contains(body, `action="/logout"`) {
			t.Fatalf("home after login: status %d, display name, welcome or logout button missing", home.Code)
		}
	})

	t.Run("ExpiredAccessCookieRefreshedSilently", func(t *testing.T) {
		oldAccess, oldRefresh := b.cookies[accessCookie], b.cookies[refreshCookie]
		ts.clock.Advance(16 * time.Minute)
		res := b.do(t, "GET", "/", nil, nil)
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "林政策") {
			t.Fatalf("status %d, display name missing after the access token expired", res.Code)
		}
		set := setCookies(res)
		if set[accessCookie] == nil || set[refreshCookie] == nil ||
			b.cookies[accessCookie] == oldAccess || b.cookies[refreshCookie] == oldRefresh {
			t.Fatalf("no new token cookies set on silent refresh: %v", set)
		}
		me := b.do(t, "GET", "/api/v1/me", nil, nil)
		if me.Code != http.StatusOK || !strings.Contains(me.Body.String(), `"username":"editor"`) {
			t.Fatalf("/me by the new cookies: %d %s", me.Code, me.Body.String())
		}
	})

	t.Run("CookieAPICallsNeedCSRFHeader", func(t *testing.T) {
		res := b.do(t, "POST", "/api/v1/auth/logout", nil, nil)
		if res.Code != http.StatusForbidden {
			t.Fatalf("cookie-authenticated API logout without X-CSRF-Token: %d, want 403", res.Code)
		}
		if me := b.do(t, "GET", "/api/v1/me", nil, nil); me.Code != http.StatusOK {
			t.Fatalf("refused logout ended the session: /me %d", me.Code)
		}
	})

	t.Run("LogoutWithoutCSRFRefused", func(t *testing.T) {
		res := b.do(t, "POST", "/logout", url.Values{}, nil)
		if res.Code != http.StatusForbidden {
			t.Fatalf("status %d, want 403", res.Code)
		}
		if me := b.do(t, "GET", "/api/v1/me", nil, nil); me.Code != http.StatusOK {
			t.Fatalf("refused logout ended the session: /me %d", me.Code)
		}
	})

	t.Run("Logout", func(t *testing.T) {
		stolen := map[string]string{accessCookie: b.cookies[accessCookie], refreshCookie: b.cookies[refreshCookie]}
		res := b.do(t, "POST", "/logout", url.Values{csrfField: {b.cookies[csrfCookie]}}, nil)
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/" {
			t.Fatalf("status %d to %q, want 303 to /", res.Code, res.Header().Get("Location"))
		}
		set := setCookies(res)
		for _, name := range []string{accessCookie, refreshCookie} {
			if c := set[name]; c == nil || c.MaxAge >= 0 {
				t.Errorf("cookie %s not cleared: %+v", name, c)
			}
		}
		home := b.do(t, "GET", "/", nil, nil)
		if body := home.Body.String(); strings.Contains(body, "林政策") || !strings.Contains(body, "您已退出登录") {
			t.Errorf("home after logout still shows the user or lacks the notice")
		}
		// The old cookies, replayed, no longer work: the session was revoked.
		replay := &authTestBrowser{h: b.h, ip: b.ip, cookies: stolen}
		if me := replay.do(t, "GET", "/api/v1/me", nil, nil); me.Code != http.StatusUnauthorized {
			t.Errorf("/me with the cookies of a logged-out session: %d, want 401", me.Code)
		}
		if _, ok := replay.cookies[refreshCookie]; ok {
			t.Errorf("dead refresh cookie not cleared")
		}
	})
}

func (ts *authTestServer) auditLogins(t *testing.T) []*portal.AuditEntry {
	t.Helper()
	entries, _, err := ts.audit.FindAudit(context.Background(), portal.AuditFilter{Action: "auth.login"})
	portaltest.Must(t, err, "find audit")
	return entries
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	ts := newAuthTestServer(t)
	for next, want := range map[string]string{
		"":                            "/",
		"/":                           "/",
		"/policies?tab=talent#top":    "/policies?tab=talent#top",
		"//evil.example":              "/",
		"//evil.example/login":        "/",
		"https://evil.example/":       "/",
		"javascript:alert(1)":         "/",
		`/\evil.example`:              "/",
		`\\evil.example`:              "/",
		"/\t/evil.example":            "/",
		"/\n/evil.example":            "/",
		"evil.example":                "/",
		"/%2F%2Fevil.example":         "/%2F%2Fevil.example",
		"/policies/../..//evil.exam":  "/evil.exam",
		" //evil.example":             "/",
		"/\u00a0/evil.example":        "/%c2%a0/evil.example",
		"/\x7f/evil.example":          "/",
		"/login?next=//evil.example2": "/login?next=//evil.example2",
	} {
		t.Run(strconv.Quote(next), func(t *testing.T) {
			b := ts.browser()
			page := b.do(t, "GET", "/login?next="+url.QueryEscape(next), nil, nil)
			m := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(page.Body.String())
			if m == nil || (want == "/" && m[1] != "/") {
				t.Fatalf("login page carries next %v, want /", m)
			}
			res := b.signIn(t, "editor", authTestPassword, next)
			if res.Code != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", res.Code)
			}
			loc := res.Header().Get("Location")
			if u, err := url.Parse(strings.TrimSpace(loc)); err != nil || u.Host != "" || u.Scheme != "" {
				t.Fatalf("redirect to %q leaves the site", loc)
			}
			if strings.ContainsAny(loc, "\t\n\\") || strings.HasPrefix(loc, "//") {
				t.Fatalf("redirect to %q, which a browser may read as another site", loc)
			}
			if loc != want {
				t.Errorf("redirect to %q, want %q", loc, want)
			}
			// Signed in, the login page sends the visitor on at once.
			again := b.do(t, "GET", "/login?next="+url.QueryEscape(next), nil, nil)
			if again.Code != http.StatusSeeOther || (want == "/" && again.Header().Get("Location") != "/") {
				t.Errorf("signed-in login page: %d to %q", again.Code, again.Header().Get("Location"))
			}
		})
	}
}

func TestLoginPendingUser(t *testing.T) {
	ts := newAuthTestServer(t)
	b := ts.browser()
	res := b.signIn(t, "pending", authTestPassword, "/")
	if res.Code != http.StatusSeeOther {
		t.Fatalf("pending user login: %d, want 303", res.Code)
	}
	home := b.do(t, "GET", "/", nil, nil)
	if body := home.Body.String(); !strings.Contains(body, "您的账号正在等待专班联络员或管理员审核") || !strings.Contains(body, "刘新注册") {
		t.Errorf("home after a pending login lacks the notice or the name")
	}
	me := b.do(t, "GET", "/api/v1/me", nil, nil)
	var got struct {
		User    struct{ Username string } `json:"user"`
		Pending bool                      `json:"pending"`
	}
	if err := json.Unmarshal(me.Body.Bytes(), &got); err != nil || me.Code != http.StatusOK || !got.Pending || got.User.Username != "pending" {
		t.Fatalf("/me for a pending user: %d %s", me.Code, me.Body.String())
	}
	// Signed in by cookie, an unsafe API call passes with the CSRF header.
	res = b.do(t, "POST", "/api/v1/auth/logout", nil, map[string]string{csrfHeader: b.cookies[csrfCookie]})
	if res.Code != http.StatusNoContent {
		t.Fatalf("cookie API logout with X-CSRF-Token: %d %s", res.Code, res.Body.String())
	}
	if me := b.do(t, "GET", "/api/v1/me", nil, nil); me.Code != http.StatusUnauthorized {
		t.Errorf("/me after logging out through the API: %d, want 401", me.Code)
	}
}

func TestLoginPageDisabledAndThrottled(t *testing.T) {
	ts := newAuthTestServer(t)
	b := ts.browser()
	res := b.signIn(t, "disabled", authTestPassword, "/")
	if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "账号已停用") {
		t.Fatalf("disabled user: %d, want 403 with the notice", res.Code)
	}
	for i := 0; i < 5; i++ {
		if res := b.signIn(t, "editor", "wrong-password", "/"); res.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i+1, res.Code)
		}
	}
	res = b.signIn(t, "editor", authTestPassword, "/")
	if res.Code != http.StatusTooManyRequests || !strings.Contains(res.Body.String(), "登录失败次数过多，请 15 分钟后再试") {
		t.Fatalf("sixth attempt: %d, want 429 with the wait in minutes", res.Code)
	}
	if _, ok := b.cookies[accessCookie]; ok {
		t.Errorf("throttled attempt signed in")
	}
}

func TestAuthAPI(t *testing.T) {
	ts := newAuthTestServer(t)
	rn := portaltest.Runner{Handler: ts.Handler()}
	var pair portal.TokenPair
	bearer := func() map[string]string { return map[string]string{"Authorization": "Bearer " + pair.AccessToken} }
	rn.Run(t, []portaltest.Scenario{
		{Name: "login", Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"admin","password":"` + authTestPassword + `"}`,
			Status: 200, Contains: []string{`"access_token":"`, `"refresh_token":"`, `"token_type":"Bearer"`, `"expires_in":900`},
			NotContains: []string{"session", "password"},
			After:       func(t *testing.T, res *httptest.ResponseRecorder) { portaltest.DecodeJSON(t, res, &pair) }},
		{Name: "wrong password", Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"admin","password":"nope-nope"}`,
			Status: 401, Contains: []string{`"code":"unauthenticated"`, "用户名或密码错误"}},
		{Name: "missing fields name them", Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"admin"}`,
			Status: 400, Contains: []string{`"fields":{`, `"password":"必填"`}},
		{Name: "unknown field", Method: "POST", Path: "/api/v1/auth/login", Body: `{"user":"admin","password":"x"}`,
			Status: 400, Contains: []string{"未知字段 user"}},
		{Name: "disabled", Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"disabled","password":"` + authTestPassword + `"}`,
			Status: 403, Contains: []string{"账号已停用"}},
		{Name: "refresh without a token names the field", Method: "POST", Path: "/api/v1/auth/refresh", Body: `{}`,
			Status: 400, Contains: []string{`"refresh_token":"必填"`}},
		{Name: "refresh with garbage", Method: "POST", Path: "/api/v1/auth/refresh", Body: `{"refresh_token":"abc.def"}`,
			Status: 401, Contains: []string{"登录状态已失效"}},
	})
	rn.Run(t, []portaltest.Scenario{
		{Name: "me by bearer", Method: "GET", Path: "/api/v1/me", Headers: bearer(), Status: 200,
			Contains:    []string{`"username":"admin"`, `"roles":[{"code":"admin","name":"系统管理员"}]`, `"pending":false`},
			NotContains: []string{"password_hash", "token_version"}},
	})
	var rotated portal.TokenPair
	rn.Run(t, []portaltest.Scenario{
		{Name: "refresh", Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": pair.RefreshToken},
			Status: 200, After: func(t *testing.T, res *httptest.ResponseRecorder) { portaltest.DecodeJSON(t, res, &rotated) }},
	})
	if rotated.RefreshToken == "" || rotated.RefreshToken == pair.RefreshToken {
		t.Fatalf("refresh did not rotate the refresh token")
	}
	pair = rotated
	rn.Run(t, []portaltest.Scenario{
		{Name: "bearer logout needs no CSRF token", Method: "POST", Path: "/api/v1/auth/logout", Headers: bearer(), Status: 204},
		{Name: "token of the ended session", Method: "GET", Path: "/api/v1/me", Headers: bearer(), Status: 401,
			Contains: []string{"登录状态已失效"}, Header: map[string]string{"WWW-Authenticate": `Bearer realm="huiqi", error="invalid_token"`}},
		{Name: "logout without anything to end", Method: "POST", Path: "/api/v1/auth/logout", Status: 400,
			Contains: []string{`"refresh_token":"必填"`}},
	})
	// The sixth attempt on one account is refused with Retry-After.
	for i := 0; i < 5; i++ {
		rn.Do(t, portaltest.Scenario{Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"editor","password":"nope-nope"}`})
	}
	rn.Run(t, []portaltest.Scenario{
		{Name: "throttled", Method: "POST", Path: "/api/v1/auth/login", Body: `{"username":"editor","password":"` + authTestPassword + `"}`,
			Status: 429, Contains: []string{`"code":"too_many_requests"`, "请 15 分钟后再试"},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				if ra, err := strconv.Atoi(res.Header().Get("Retry-After")); err != nil || ra <= 0 || ra > 900 {
					t.Errorf("Retry-After %q, want the seconds left of the 15-minute window", res.Header().Get("Retry-After"))
				}
			}},
	})
}

// TestClientAddressNotTakenFromForwardedHeaders checks that a client
// cannot choose the address that login throttling and the audit log see by
// sending X-Forwarded-For: only proxies the server is told to trust may set it.
func TestClientAddressNotTakenFromForwardedHeaders(t *testing.T) {
	ts := newAuthTestServer(t)
	b := ts.browser()
	b.ip = "203.0.113.9"
	for i, forged := range []string{"10.1.1.1", "10.1.1.2"} {
		b.csrf(t)
		res := b.do(t, "POST", "/login", url.Values{"username": {"editor"}, "password": {"wrong-password"}, csrfField: {b.cookies[csrfCookie]}},
			map[string]string{"X-Forwarded-For": forged, "X-Real-IP": forged})
		if res.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, res.Code)
		}
	}
	for _, e := range ts.auditLogins(t) {
		if e.ClientIP != "203.0.113.9" {
			t.Errorf("audit records client address %q, want the connection's 203.0.113.9: X-Forwarded-For from an untrusted "+
				"peer was believed (gin trusts every proxy unless Engine.SetTrustedProxies is called in NewServer)", e.ClientIP)
		}
	}
}
