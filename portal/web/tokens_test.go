package web

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// bearerTokens signs each user in once, with the test server's common
// password, and keeps the access tokens for scenarios sent with bearer
// authentication.
type bearerTokens struct {
	auth     *portal.AuthService
	password string
	mu       sync.Mutex
	tokens   map[string]string
}

func newBearerTokens(password string) bearerTokens {
	return bearerTokens{password: password, tokens: map[string]string{}}
}

// token signs username in once and returns its access token.
func (b *bearerTokens) token(t *testing.T, username string) string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if tok, ok := b.tokens[username]; ok {
		return tok
	}
	pair, _, err := b.auth.Login(context.Background(), username, b.password, "127.0.0.1")
	portaltest.Must(t, err, "login %s", username)
	b.tokens[username] = pair.AccessToken
	return pair.AccessToken
}

// forget drops the cached token of username (after its rights changed).
func (b *bearerTokens) forget(username string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.tokens, username)
}

// runnerFor sends each scenario to h as its Actor with a bearer token.
func (b *bearerTokens) runnerFor(h http.Handler) portaltest.Runner {
	return portaltest.Runner{Handler: h, Auth: func(t *testing.T, actor string, r *http.Request) {
		if actor != "" {
			r.Header.Set("Authorization", "Bearer "+b.token(t, actor))
		}
	}}
}
