package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// jwtAttackClaims are the claims of a well-formed access token for a
// session; each attack changes one thing.
func jwtAttackClaims(ts *authTestServer, userID, sessionID string, version int) jwt.MapClaims {
	now := ts.clock.Now()
	return jwt.MapClaims{
		"sub": userID, "sid": sessionID, "ver": version,
		"iss": "huiqi", "aud": []string{"huiqi-api"},
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "jti": "attack-test",
	}
}

func jwtAttackSign(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, key any, header map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	portaltest.Must(t, err, "sign %s token", method.Alg())
	return s
}

func jwtAttackSegment(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	portaltest.Must(t, err, "marshal token segment")
	return base64.RawURLEncoding.EncodeToString(b)
}

// jwtAttackHMAC builds a token by hand with any header, HMAC-SHA256 signed
// with key, so the library cannot refuse to make it.
func jwtAttackHMAC(t *testing.T, header map[string]any, claims jwt.MapClaims, key []byte) string {
	t.Helper()
	signing := jwtAttackSegment(t, header) + "." + jwtAttackSegment(t, claims)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// TestJWTAttacks sends forged, altered and stale access tokens to GET
// /api/v1/me through the real router; only the genuine ones get in.
func TestJWTAttacks(t *testing.T) {
	ts := newAuthTestServer(t)
	ctx := context.Background()
	editor := ts.login(t, "editor")
	handler := ts.login(t, "handler")
	ended := ts.login(t, "editor")
	portaltest.Must(t, ts.auth.LogoutRefresh(ctx, ended.RefreshToken), "logout")
	// dispatcher signs in, then is disabled; tokens made with the new token
	// version must still fail because the account is disabled.
	dispatcher := ts.login(t, "dispatcher")
	disabled := portal.UserDisabled
	du, err := ts.users.UpdateUser(ctx, "u-dispatcher", portal.UserUpdate{Status: &disabled})
	portaltest.Must(t, err, "disable dispatcher")

	valid := func() jwt.MapClaims { return jwtAttackClaims(ts, "u-editor", editor.SessionID, 0) }
	with := func(k string, v any) jwt.MapClaims {
		c := valid()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	hs256 := func(c jwt.MapClaims) string { return jwtAttackSign(t, jwt.SigningMethodHS256, c, authTestSecret, nil) }
	none := func(alg string) string {
		return jwtAttackSegment(t, map[string]any{"alg": alg, "typ": "JWT"}) + "." + jwtAttackSegment(t, valid()) + "."
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	portaltest.Must(t, err, "rsa key")
	attackerKey := []byte("attacker-chosen-key-0123456789abcdef")
	now := ts.clock.Now()

	// Tamper: a genuine token of editor with the subject changed to handler.
	parts := strings.Split(editor.AccessToken, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	portaltest.Must(t, err, "decode payload")
	var claims map[string]any
	portaltest.Must(t, json.Unmarshal(payload, &claims), "unmarshal payload")
	claims["sub"] = "u-handler"
	claims["sid"] = handler.SessionID
	tampered := parts[0] + "." + jwtAttackSegment(t, claims) + "." + parts[2]

	for _, tc := range []struct {
		name   string
		header string // the Authorization header; "" sends none
		status int
		msg    string
	}{
		{"genuine token", "Bearer " + editor.AccessToken, 200, `"username":"editor"`},
		{"hand-made token with the right claims and key", "Bearer " + hs256(valid()), 200, `"username":"editor"`},
		{"scheme is case-insensitive", "bearer " + editor.AccessToken, 200, `"username":"editor"`},

		{"no token", "", 401, "请先登录"},
		{"empty bearer", "Bearer ", 401, "Authorization 头必须是 Bearer 访问令牌"},
		{"basic auth", "Basic ZWRpdG9yOkhxNyNrTHB6LTIwMjU=", 401, "Authorization 头必须是 Bearer 访问令牌"},
		{"token without a scheme", editor.AccessToken, 401, "Authorization 头必须是 Bearer 访问令牌"},
		{"alg none", "Bearer " + none("none"), 401, "访问令牌无效"},
		{"alg None", "Bearer " + none("None"), 401, "访问令牌无效"},
		{"alg NONE", "Bearer " + none("NONE"), 401, "访问令牌无效"},
		{"alg none keeping a genuine signature", "Bearer " + none("none") + parts[2], 401, "访问令牌无效"},
		{"HS256 with another key", "Bearer " + jwtAttackSign(t, jwt.SigningMethodHS256, valid(), attackerKey, nil), 401, "访问令牌无效"},
		{"HS512 with the right key", "Bearer " + jwtAttackSign(t, jwt.SigningMethodHS512, valid(), authTestSecret, nil), 401, "访问令牌无效"},
		{"HS384 with the right key", "Bearer " + jwtAttackSign(t, jwt.SigningMethodHS384, valid(), authTestSecret, nil), 401, "访问令牌无效"},
		{"RS256 with a kid", "Bearer " + jwtAttackSign(t, jwt.SigningMethodRS256, valid(), rsaKey, map[string]any{"kid": "huiqi-2025"}), 401, "访问令牌无效"},
		{"RS256 header over an HMAC of the secret", "Bearer " + jwtAttackHMAC(t, map[string]any{"alg": "RS256", "typ": "JWT"}, valid(), authTestSecret), 401, "访问令牌无效"},
		{"kid pointing at an empty file, signed with an empty key", "Bearer " + jwtAttackHMAC(t, map[string]any{"alg": "HS256", "kid": "../../../../dev/null"}, valid(), []byte{}), 401, "访问令牌无效"},
		{"embedded jwk of the attacker", "Bearer " + jwtAttackHMAC(t, map[string]any{"alg": "HS256",
			"jwk": map[string]string{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString(attackerKey)}}, valid(), attackerKey), 401, "访问令牌无效"},
		{"jku of the attacker", "Bearer " + jwtAttackHMAC(t, map[string]any{"alg": "HS256", "jku": "https://evil.example/keys"}, valid(), attackerKey), 401, "访问令牌无效"},
		{"other audience", "Bearer " + hs256(with("aud", []string{"huiqi-admin"})), 401, "访问令牌无效"},
		{"no audience", "Bearer " + hs256(with("aud", nil)), 401, "访问令牌无效"},
		{"other issuer", "Bearer " + hs256(with("iss", "evil")), 401, "访问令牌无效"},
		{"no issuer", "Bearer " + hs256(with("iss", nil)), 401, "访问令牌无效"},
		{"expired", "Bearer " + hs256(with("exp", now.Add(-time.Minute).Unix())), 401, "访问令牌已过期，请刷新或重新登录"},
		{"no expiry", "Bearer " + hs256(with("exp", nil)), 401, "访问令牌无效"},
		{"not valid before next hour", "Bearer " + hs256(with("nbf", now.Add(time.Hour).Unix())), 401, "访问令牌无效"},
		{"issued in the future", "Bearer " + hs256(with("iat", now.Add(time.Hour).Unix())), 401, "访问令牌无效"},
		{"exp not a date", "Bearer " + hs256(with("exp", "tomorrow")), 401, "访问令牌无效"},
		{"tampered subject keeping the signature", "Bearer " + tampered, 401, "访问令牌无效"},
		{"truncated signature", "Bearer " + editor.AccessToken[:len(editor.AccessToken)-4], 401, "访问令牌无效"},
		{"extra segment", "Bearer " + editor.AccessToken + ".x", 401, "访问令牌无效"},
		{"unknown user", "Bearer " + hs256(with("sub", "u-nobody")), 401, "访问令牌无效"},
		{"another user's session", "Bearer " + hs256(with("sid", handler.SessionID)), 401, "登录状态已失效"},
		{"no session", "Bearer " + hs256(with("sid", nil)), 401, "登录状态已失效"},
		{"old token version", "Bearer " + hs256(with("ver", -1)), 401, "登录状态已失效"},
		{"future token version", "Bearer " + hs256(with("ver", 1)), 401, "登录状态已失效"},
		{"disabled user", "Bearer " + dispatcher.AccessToken, 401, "登录状态已失效"},
		{"disabled user, current token version", "Bearer " + hs256(jwtAttackClaims(ts, "u-dispatcher", dispatcher.SessionID, du.TokenVersion)), 401, "登录状态已失效"},
		{"revoked session", "Bearer " + ended.AccessToken, 401, "登录状态已失效"},
		{"revoked session, hand-made token", "Bearer " + hs256(with("sid", ended.SessionID)), 401, "登录状态已失效"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/api/v1/me", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			res := httptest.NewRecorder()
			ts.Handler().ServeHTTP(res, req)
			body := res.Body.String()
			if res.Code != tc.status || !strings.Contains(body, tc.msg) {
				t.Fatalf("status %d, want %d with %q; body %s", res.Code, tc.status, tc.msg, body)
			}
			if tc.status == 401 {
				if !strings.Contains(body, `"code":"unauthenticated"`) || strings.Contains(body, `"username"`) {
					t.Errorf("refusal body %s", body)
				}
				if !strings.HasPrefix(res.Header().Get("WWW-Authenticate"), `Bearer realm="huiqi"`) {
					t.Errorf("WWW-Authenticate = %q", res.Header().Get("WWW-Authenticate"))
				}
			}
		})
	}
}

// TestJWTAccessTokenExpiresWithClock moves the server's clock past the
// token's life: the same genuine token goes from 200 to 401.
func TestJWTAccessTokenExpiresWithClock(t *testing.T) {
	ts := newAuthTestServer(t)
	pair := ts.login(t, "admin")
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+pair.AccessToken)
		res := httptest.NewRecorder()
		ts.Handler().ServeHTTP(res, req)
		return res
	}
	if res := get(); res.Code != http.StatusOK {
		t.Fatalf("fresh token: %d", res.Code)
	}
	ts.clock.Advance(15*time.Minute + 6*time.Second)
	if res := get(); res.Code != http.StatusUnauthorized || !strings.Contains(res.Body.String(), "访问令牌已过期") {
		t.Fatalf("expired token: %d %s", res.Code, res.Body.String())
	}
}

// TestJWTRoleChangeEndsToken changes the user's roles: the access token
// issued before stops working at once.
func TestJWTRoleChangeEndsToken(t *testing.T) {
	ts := newAuthTestServer(t)
	pair := ts.login(t, "editor")
	_, err := ts.users.UpdateUser(context.Background(), "u-editor", portal.UserUpdate{Roles: []portal.Role{portal.RoleAdmin}})
	portaltest.Must(t, err, "change roles")
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+pair.AccessToken)
	res := httptest.NewRecorder()
	ts.Handler().ServeHTTP(res, req)
	if res.Code != http.StatusUnauthorized {
		t.Fatalf("token issued before a role change: %d, want 401", res.Code)
	}
}

// TestOversizedHeader runs the router in a real http.Server configured as
// cmd/huiqi configures it: headers over 8 KiB are refused with 431.
func TestOversizedHeader(t *testing.T) {
	ts := newAuthTestServer(t)
	srv := httptest.NewUnstartedServer(ts.Handler())
	srv.Config.MaxHeaderBytes = MaxHeaderBytes
	srv.Start()
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		size   int
		status int
	}{{6 << 10, http.StatusOK}, {9 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		req, err := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		portaltest.Must(t, err, "request")
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("A", tc.size))
		res, err := srv.Client().Do(req)
		portaltest.Must(t, err, "send %d-byte header", tc.size)
		_ = res.Body.Close()
		if tc.status == http.StatusOK {
			// Not refused for size: the token itself is refused by the router.
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%d-byte header: status %d, want the router's 401", tc.size, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != tc.status {
			t.Errorf("%d-byte header: status %d, want %d", tc.size, res.StatusCode, tc.status)
		}
	}
}
