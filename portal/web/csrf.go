package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

const (
	csrfCookie = "huiqi_csrf"
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
	ctxCSRF    = "huiqi.csrf"
	flashName  = "huiqi_flash"
)

// MaxFormBody is the largest page form (with uploads) accepted: three
// attachments of the default 20 MB limit fit in one filing; more are added
// one by one on the request's page.
const MaxFormBody = 64 << 20

// csrfToken returns the visitor's CSRF token, setting the cookie that
// carries it on first use (double-submit: a form must echo the cookie).
func csrfToken(c *gin.Context, secure bool) string {
	if t := c.GetString(ctxCSRF); t != "" {
		return t
	}
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck) == 43 {
		c.Set(ctxCSRF, ck)
		return ck
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	t := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(c.Writer, &http.Cookie{
		Name: csrfCookie, Value: t, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, MaxAge: 12 * 3600,
	})
	c.Set(ctxCSRF, t)
	return t
}

// checkCSRF refuses unsafe page requests (forms, htmx) whose token does not
// match the cookie. API calls authenticated with a bearer token are not
// subject to it; API calls riding on the session cookies are.
func (s *Server) checkCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if isAPI(c) && c.GetString(ctxAuthVia) != "cookie" {
			c.Next()
			return
		}
		// Reading the form for the token must not read an unbounded upload;
		// one announced as too large is refused before a byte is read, with
		// the reason rather than as a missing token.
		if c.Request.ContentLength > MaxFormBody {
			s.fail(c, portal.Errorf(portal.ETOOLARGE, "提交的内容超过 %d MB，请压缩附件或分次上传", MaxFormBody>>20))
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxFormBody)
		cookie, err := c.Cookie(csrfCookie)
		sent := c.GetHeader(csrfHeader)
		if sent == "" {
			sent = c.PostForm(csrfField)
		}
		if err != nil || cookie == "" || subtle.ConstantTimeCompare([]byte(cookie), []byte(sent)) != 1 {
			s.fail(c, portal.Errorf(portal.EFORBIDDEN, "页面已过期或来源不明，请刷新页面后重新提交"))
			return
		}
		c.Next()
	}
}

// flash is a one-time message shown on the next page.
type flash struct {
	Kind    string `json:"k"` // success, error, info
	Message string `json:"m"`
}

// setFlash stores a message for the next page the visitor sees.
func setFlash(c *gin.Context, kind, message string) {
	b, _ := json.Marshal(flash{Kind: kind, Message: message})
	http.SetCookie(c.Writer, &http.Cookie{
		Name: flashName, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60,
	})
}

// takeFlash returns the pending message, if any, and clears it.
func takeFlash(c *gin.Context) *flash {
	v, err := c.Cookie(flashName)
	if err != nil || v == "" {
		return nil
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashName, Value: "", Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(b, &f) != nil || f.Message == "" {
		return nil
	}
	switch f.Kind {
	case "success", "error", "info":
	default:
		f.Kind = "info"
	}
	return &f
}
