package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/redisstore"
)

// adminTestPassword is the password of every user of adminTestServer.
const adminTestPassword = "Kelp-Harbor-Quill-58"

var adminTestHash = sync.OnceValues(func() (string, error) { return portal.HashPassword(adminTestPassword) })

// adminTestCSRF is the CSRF token the page tests send in cookie and form.
var adminTestCSRF = strings.Repeat("c", 43)

// adminTestServer is newTestServer with the whole demo district (chains,
// task forces, enterprises, users) and real authentication, so that
// scenarios can act as any demo user by username.
type adminTestServer struct {
	*testServer
	auth     *portal.AuthService
	users    *mongostore.UserStore
	sessions *mongostore.SessionStore
	ents     *mongostore.EnterpriseStore
	tfs      *mongostore.TaskForceStore
	audit    *mongostore.AuditStore
	mu       sync.Mutex
	tokens   map[string]string
}

// adminTestEnterprises are twelve enterprises: ent-001, 003, 004 and 010 in the
// caseload of u-liaison (tf-port, chain-port); ent-002, 005 and 006 of
// u-liaison2 (tf-jewelry, chain-jewelry); the rest without a liaison. They
// are the tests' own so that growing the demo data does not move the counts.
func adminTestEnterprises() []*portal.Enterprise {
	var out []*portal.Enterprise
	for _, s := range []struct {
		n                 int
		name, liaison, tf string
		chain             string
	}{
		{1, "海湾国际物流有限公司", "u-liaison", "tf-port", "chain-port"},
		{2, "金沙珠宝首饰有限公司", "u-liaison2", "tf-jewelry", "chain-jewelry"},
		{3, "海港冷链仓储有限公司", "u-liaison", "tf-port", "chain-port"},
		{4, "东湾集装箱码头有限公司", "u-liaison", "tf-port", "chain-port"},
		{5, "水贝黄金检测中心有限公司", "u-liaison2", "tf-jewelry", "chain-jewelry"},
		{6, "锦绣金饰设计工作室有限公司", "u-liaison2", "tf-jewelry", "chain-jewelry"},
		{7, "梅林生物医药科技有限公司", "", "", "chain-health"},
		{8, "新和医疗器械有限公司", "", "", "chain-health"},
		{9, "滨海湾度假酒店管理有限公司", "", "", "chain-tourism"},
		{10, "海湾航运代理有限公司", "u-liaison", "tf-port", "chain-port"},
		{11, "东湾文旅发展有限公司", "", "", "chain-tourism"},
		{12, "海湾智能软件有限公司", "", "", ""},
	} {
		first17 := fmt.Sprintf("91440308MA5H%05d", s.n)
		check, err := portal.USCCCheckChar(first17)
		if err != nil {
			panic(err)
		}
		e := &portal.Enterprise{ID: fmt.Sprintf("ent-%03d", s.n), USCC: first17 + string(check), Name: s.name,
			SubdistrictID: "sd-haigang", LiaisonID: s.liaison, TaskForceID: s.tf}
		if s.chain != "" {
			e.ChainIDs = []string{s.chain}
		}
		out = append(out, e)
	}
	return out
}

func newAdminTestServer(t *testing.T) *adminTestServer {
	t.Helper()
	ts := &adminTestServer{testServer: newTestServer(t), tokens: map[string]string{}}
	db, ctx := ts.db, context.Background()
	ts.users, ts.sessions, ts.audit = mongostore.NewUserStore(db), mongostore.NewSessionStore(db), mongostore.NewAuditStore(db)
	ts.ents, ts.tfs = mongostore.NewEnterpriseStore(db), mongostore.NewTaskForceStore(db)
	chains := mongostore.NewChainStore(db)
	for _, c := range demo.Chains() {
		portaltest.Must(t, chains.UpsertChain(ctx, c), "chain %s", c.ID)
	}
	for _, tf := range demo.TaskForces() {
		portaltest.Must(t, ts.tfs.UpsertTaskForce(ctx, tf), "task force %s", tf.ID)
	}
	for _, e := range adminTestEnterprises() {
		portaltest.Must(t, ts.ents.CreateEnterprise(ctx, e), "enterprise %s", e.ID)
	}
	hash, err := adminTestHash()
	portaltest.Must(t, err, "hash")
	for _, u := range demo.Users() {
		u.PasswordHash = hash
		portaltest.Must(t, ts.users.CreateUser(ctx, u), "user %s", u.Username)
	}
	auth, err := portal.NewAuthService(ts.users, ts.sessions, redisstore.NewThrottle(portaltest.StartRedis(t).Client),
		ts.audit, time.Now, portal.AuthConfig{Secret: []byte("admin-pages-test-secret-0123456789abcdef")})
	portaltest.Must(t, err, "auth service")
	ts.auth = auth
	// The handlers read the options on every request, so authentication
	// can be switched on after the server is built.
	ts.opt.Auth, ts.opt.Users = auth, ts.users
	return ts
}

// addUser stores an extra account with the test password.
func (ts *adminTestServer) addUser(t *testing.T, u *portal.User) {
	t.Helper()
	hash, err := adminTestHash()
	portaltest.Must(t, err, "hash")
	u.PasswordHash = hash
	portaltest.Must(t, ts.users.CreateUser(context.Background(), u), "create %s", u.Username)
}

// token signs username in once and returns its access token; forget
// drops it so the next call signs in afresh.
func (ts *adminTestServer) token(t *testing.T, username string) string {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if tok, ok := ts.tokens[username]; ok {
		return tok
	}
	pair, _, err := ts.auth.Login(context.Background(), username, adminTestPassword, "192.0.2.10")
	portaltest.Must(t, err, "login %s", username)
	ts.tokens[username] = pair.AccessToken
	return pair.AccessToken
}

func (ts *adminTestServer) forget(username string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	delete(ts.tokens, username)
}

// auditEntries returns the audit entries of an action or action prefix, newest first.
func (ts *adminTestServer) auditEntries(t *testing.T, action string) []*portal.AuditEntry {
	t.Helper()
	out, _, err := ts.audit.FindAudit(context.Background(), portal.AuditFilter{Action: action})
	portaltest.Must(t, err, "audit %s", action)
	return out
}

// runner sends each scenario with the bearer token of its actor.
func (ts *adminTestServer) runner() portaltest.Runner {
	return portaltest.Runner{Handler: ts.Handler(), Auth: func(t *testing.T, actor string, r *http.Request) {
		if actor != "" {
			r.Header.Set("Authorization", "Bearer "+ts.token(t, actor))
		}
	}}
}

// adminFormBody is a page form post carrying the CSRF token in cookie and field.
func adminFormBody(values url.Values) (string, map[string]string) {
	values.Set(csrfField, adminTestCSRF)
	return values.Encode(), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded",
		"Cookie":       csrfCookie + "=" + adminTestCSRF,
	}
}

// post is a page scenario posting values as actor.
func adminPost(name, actor, path string, values url.Values, status int, contains ...string) portaltest.Scenario {
	body, headers := adminFormBody(values)
	return portaltest.Scenario{Name: name, Method: "POST", Path: path, Actor: actor, Body: body, Headers: headers,
		Status: status, Contains: contains}
}

// flashOf returns the message of the flash cookie a response set.
func flashOf(t *testing.T, res *httptest.ResponseRecorder) string {
	t.Helper()
	for _, c := range res.Result().Cookies() {
		if c.Name != flashName {
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(c.Value)
		portaltest.Must(t, err, "decode flash")
		var f flash
		portaltest.Must(t, json.Unmarshal(raw, &f), "decode flash")
		return f.Message
	}
	return ""
}

func TestAdminHomePage(t *testing.T) {
	ts := newAdminTestServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin sees every admin page", Method: "GET", Path: "/admin", Actor: "admin", Status: 200,
			Contains: []string{"<title>系统管理 · 惠企通</title>", `href="/admin/org"`, `href="/admin/task-forces"`,
				`href="/admin/chains"`, `href="/admin/users"`, `href="/admin/audit"`, "共 2 个专班", "共 4 条产业链", fmt.Sprintf("共 %d 个账号", len(demo.Users())),
				`href="/admin"`, "auth.login"}},
		{Name: "others are refused", Method: "GET", Path: "/admin", Actor: "liaison", Status: 403, Contains: []string{"只有系统管理员可以查看"}},
		{Name: "visitors sign in first", Method: "GET", Path: "/admin", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin"}},
	})
}

func TestAdminNavigation(t *testing.T) {
	has := func(r portal.Role) bool {
		for _, it := range navFor(&portal.Actor{Roles: []portal.Role{r}}) {
			if it.Path == "/admin" && it.Label == "系统管理" {
				return true
			}
		}
		return false
	}
	if !has(portal.RoleAdmin) {
		t.Error("admins are not offered 系统管理 /admin")
	}
	for r := range portal.RoleNames {
		if r != portal.RoleAdmin && has(r) {
			t.Errorf("role %s is offered /admin", r)
		}
	}
}

// TestAdminPagesInBrowser signs in through the login form in Chromium on
// a phone-sized window and checks the admin pages do not scroll sideways.
func TestAdminPagesInBrowser(t *testing.T) {
	ts := newAdminTestServer(t)
	srv := httptestServer(t, ts.Handler())
	ctx := portaltest.Browser(t, 375, 812)
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/login?next=/admin"),
		chromedp.WaitVisible(`input[name=username]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, adminTestPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href="/admin/org"]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	for _, path := range []string{"/admin", "/admin/org", "/admin/task-forces/tf-port", "/admin/chains/chain-port",
		"/admin/users", "/admin/users/u-liaison", "/admin/audit"} {
		var title string
		var scrollWidth, clientWidth int
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+path),
			chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
			chromedp.Title(&title),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
			chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if strings.Contains(title, "出错") || strings.Contains(title, "无权") || strings.Contains(title, "登录") {
			t.Errorf("%s: title %q", path, title)
		}
		if scrollWidth > clientWidth {
			t.Errorf("%s at 375px scrolls sideways (scrollWidth %d > clientWidth %d)", path, scrollWidth, clientWidth)
		}
	}
	// The tree unfolds with <details>: the district is open, a sub-district closed until clicked.
	var jinshaOpen, shuibeiVisible bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/admin/org"),
		chromedp.WaitVisible(`.org-tree`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('.org-tree details')].find(d => d.querySelector('summary').textContent.includes('金沙街道')).open`, &jinshaOpen),
		chromedp.Evaluate(`[...document.querySelectorAll('.org-tree details')].find(d => d.querySelector('summary').textContent.includes('金沙街道')).querySelector('summary').click()`, nil),
		chromedp.Evaluate(`[...document.querySelectorAll('.org-tree li')].some(li => li.textContent.includes('水贝社区') && li.offsetParent !== null)`, &shuibeiVisible),
	)
	if err != nil {
		t.Fatalf("org tree: %v", err)
	}
	if jinshaOpen || !shuibeiVisible {
		t.Errorf("金沙街道 open at first = %v (want false); 水贝社区 visible after a click = %v (want true)", jinshaOpen, shuibeiVisible)
	}
}
