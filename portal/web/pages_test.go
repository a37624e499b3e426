package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestHomePage(t *testing.T) {
	ts := newTestServer(t)
	ts.runner().Run(t, []portaltest.Scenario{{
		Name: "tells a visitor what the portal does", Method: "GET", Path: "/", Status: 200,
		Contains: []string{"<title>首页 · 惠企通</title>", `href="/policies"`, `href="/login"`,
			"12 个区直部门", "4 个街道", "11 个社区和园区", `rel="icon"`},
	}})
}

func TestHomePageEmptyNetwork(t *testing.T) {
	ts := newTestServer(t)
	portaltest.Must(t, ts.db.Database().Collection("org_units").Drop(t.Context()), "drop org units")
	ts.runner().Run(t, []portaltest.Scenario{{
		Name: "empty state", Method: "GET", Path: "/", Status: 200,
		Contains: []string{"服务网络正在建设中"}, NotContains: []string{"个区直部门"},
	}})
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t)
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "favicon", Method: "GET", Path: "/favicon.ico", Status: 200, Contains: []string{"<svg"}},
		{Name: "htmx", Method: "GET", Path: "/static/vendor/htmx.min.js", Status: 200, Contains: []string{"htmx"}},
		{Name: "echarts", Method: "GET", Path: "/static/vendor/echarts.min.js", Status: 200, Contains: []string{"echarts"}},
		{Name: "css", Method: "GET", Path: "/static/css/app.css", Status: 200},
		{Name: "missing asset", Method: "GET", Path: "/static/vendor/nothing.js", Status: 404},
	})
}

// TestNavigationLinksAnswer walks the navigation of every role and checks
// each entry leads to a page, so no role is shown a dead link.
func TestNavigationLinksAnswer(t *testing.T) {
	ts := newTestServer(t)
	actors := []*portal.Actor{nil}
	for r := range portal.RoleNames {
		actors = append(actors, &portal.Actor{Username: string(r), Roles: []portal.Role{r}})
	}
	for _, a := range actors {
		for _, item := range navFor(a) {
			res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: item.Path})
			if res.Code == http.StatusNotFound {
				t.Errorf("navigation entry %q (%s) for %v answers 404", item.Label, item.Path, a)
			}
		}
	}
}

// TestHomeLinksAnswer follows every same-site link on the home page.
func TestHomeLinksAnswer(t *testing.T) {
	ts := newTestServer(t)
	res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/"})
	links := regexp.MustCompile(`(?:href|src)="(/[^"]*)"`).FindAllStringSubmatch(res.Body.String(), -1)
	if len(links) < 3 {
		t.Fatalf("home page has %d local links, want at least 3", len(links))
	}
	for _, l := range links {
		if got := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: l[1]}).Code; got != http.StatusOK {
			t.Errorf("home page link %s answers %d", l[1], got)
		}
	}
}

func TestCSRFAndFlash(t *testing.T) {
	ts := newTestServer(t)
	ts.engine.POST("/test-form", func(c *gin.Context) {
		setFlash(c, "success", "已保存："+c.PostForm("name"))
		c.Redirect(http.StatusSeeOther, "/")
	})
	rn := ts.runner()
	home := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/"})
	var cookie *http.Cookie
	for _, c := range home.Result().Cookies() {
		if c.Name == csrfCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("CSRF cookie missing or not HttpOnly+Lax: %+v", cookie)
	}
	if !strings.Contains(home.Body.String(), `content="`+cookie.Value+`"`) {
		t.Fatalf("page does not carry the CSRF token of its cookie")
	}
	post := func(token, headerToken string, withCookie bool) *http.Response {
		form := url.Values{"name": {"<b>海港</b>"}}
		if token != "" {
			form.Set(csrfField, token)
		}
		h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		if withCookie {
			h["Cookie"] = csrfCookie + "=" + cookie.Value
		}
		if headerToken != "" {
			h[csrfHeader] = headerToken
		}
		return rn.Do(t, portaltest.Scenario{Method: "POST", Path: "/test-form", Body: form.Encode(), Headers: h}).Result()
	}
	for name, res := range map[string]*http.Response{
		"no token":       post("", "", true),
		"wrong token":    post(strings.Repeat("x", 43), "", true),
		"no cookie":      post(cookie.Value, "", false),
		"header wrong":   post("", "nope", true),
		"token is empty": post("", "", false),
	} {
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, res.StatusCode)
		}
	}
	for name, res := range map[string]*http.Response{"form field": post(cookie.Value, "", true), "htmx header": post("", cookie.Value, true)} {
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d, want 303", name, res.StatusCode)
		}
		var fl *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == flashName {
				fl = c
			}
		}
		if fl == nil {
			t.Fatalf("%s: no flash cookie set", name)
		}
		next := rn.Do(t, portaltest.Scenario{Method: "GET", Path: "/", Headers: map[string]string{"Cookie": flashName + "=" + fl.Value}})
		body := next.Body.String()
		if !strings.Contains(body, "flash-success") || !strings.Contains(body, "已保存：&lt;b&gt;海港&lt;/b&gt;") {
			t.Errorf("%s: flash not shown escaped on the next page", name)
		}
		cleared := false
		for _, c := range next.Result().Cookies() {
			cleared = cleared || (c.Name == flashName && c.MaxAge < 0)
		}
		if !cleared {
			t.Errorf("%s: flash cookie not cleared after showing", name)
		}
	}
}

// TestOpenAPICoversRoutes fails when an /api/v1 route is missing from the
// OpenAPI document, or the document lists a route that does not exist.
func TestOpenAPICoversRoutes(t *testing.T) {
	ts := newTestServer(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	registered := map[string]bool{}
	for _, r := range ts.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || strings.Contains(r.Path, "/test-") {
			continue
		}
		p := param.ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		registered[key] = true
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is missing from openapi.json", r.Method, r.Path)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !registered[m+" "+p] {
				t.Errorf("openapi.json lists %s %s which the router does not serve", strings.ToUpper(m), p)
			}
		}
	}
}

// TestHomePageInBrowser renders the home page in Chromium on a phone-sized
// window: it must not scroll sideways and must show the calls to action.
func TestHomePageInBrowser(t *testing.T) {
	ts := newTestServer(t)
	srv := httptestServer(t, ts.Handler())
	for _, size := range []struct{ w, h int }{{375, 812}, {1280, 900}} {
		ctx := portaltest.Browser(t, size.w, size.h)
		var title, text string
		var scrollWidth, clientWidth int
		err := chromedp.Run(ctx,
			// Headless windows are never narrower than 500 px; emulate the phone.
			chromedp.EmulateViewport(int64(size.w), int64(size.h)),
			chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(`a[href="/policies"]`, chromedp.ByQuery),
			chromedp.Title(&title),
			chromedp.Text("body", &text, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
			chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
		)
		if err != nil {
			t.Fatalf("%dpx: load home page: %v", size.w, err)
		}
		if title != "首页 · 惠企通" {
			t.Errorf("%dpx: title %q", size.w, title)
		}
		if !strings.Contains(text, "12 个区直部门") {
			t.Errorf("%dpx: service network sentence missing from rendered text", size.w)
		}
		if scrollWidth > clientWidth {
			t.Errorf("%dpx: page scrolls sideways (scrollWidth %d > clientWidth %d)", size.w, scrollWidth, clientWidth)
		}
	}
}
