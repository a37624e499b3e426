package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Session is one sign-in: the family of refresh tokens rotated from one
// login. Only the hash of the current refresh token is kept; presenting an
// older one revokes the whole session.
type Session struct {
	ID         string     `bson:"_id"`
	UserID     string     `bson:"user_id"`
	TokenHash  string     `bson:"token_hash"`
	CreatedAt  time.Time  `bson:"created_at"`
	ExpiresAt  time.Time  `bson:"expires_at"` // absolute: rotation does not extend it
	LastUsedAt time.Time  `bson:"last_used_at"`
	RevokedAt  *time.Time `bson:"revoked_at,omitempty"`
	Reason     string     `bson:"reason,omitempty"`
	ClientIP   string     `bson:"client_ip,omitempty"`
}

// SessionStore persists sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, id string) (*Session, error)
	// RotateSession replaces the token hash only if it is still oldHash and
	// the session is not revoked; otherwise it answers ECONFLICT.
	RotateSession(ctx context.Context, id, oldHash, newHash string, now time.Time) error
	RevokeSession(ctx context.Context, id, reason string, now time.Time) error
	RevokeUserSessions(ctx context.Context, userID, reason string, now time.Time) error
}

// Throttle counts failures per key within a window.
type Throttle interface {
	// Failures returns how many failures key holds and when the window ends.
	Failures(ctx context.Context, key string) (int, time.Duration, error)
	// Fail records a failure, starting a window of length window if none runs.
	Fail(ctx context.Context, key string, window time.Duration) (int, time.Duration, error)
	// Reset forgets key.
	Reset(ctx context.Context, key string) error
}

// AuthConfig tunes authentication.
type AuthConfig struct {
	Secret          []byte
	Issuer          string        // default "huiqi"
	Audience        string        // default "huiqi-api"
	AccessTTL       time.Duration // default 15 minutes
	SessionLifetime time.Duration // absolute life of a sign-in; default 30 days
	// Throttling: failures allowed within FailureWindow per account and per
	// client address before further attempts are refused until it ends.
	MaxAccountFailures int           // default 5
	MaxAddressFailures int           // default 30
	FailureWindow      time.Duration // default 15 minutes
}

// TokenPair is what a sign-in or refresh returns.
type TokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	// SessionID identifies the sign-in (not sent to API clients).
	SessionID string `json:"-"`
}

// AuthService signs users in and out and turns tokens into actors.
type AuthService struct {
	Users    UserStore
	Sessions SessionStore
	Throttle Throttle
	Audit    *Auditor
	Now      func() time.Time
	cfg      AuthConfig
	// dummyHash is verified when the user does not exist, so that a wrong
	// username takes as long as a wrong password.
	dummyHash string
}

// NewAuthService returns the service with defaults filled in.
func NewAuthService(users UserStore, sessions SessionStore, throttle Throttle, audit AuditStore, now func() time.Time, cfg AuthConfig) (*AuthService, error) {
	if len(cfg.Secret) < 32 {
		return nil, errors.New("auth: secret must be at least 32 bytes")
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "huiqi"
	}
	if cfg.Audience == "" {
		cfg.Audience = "huiqi-api"
	}
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = 15 * time.Minute
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 30 * 24 * time.Hour
	}
	if cfg.MaxAccountFailures == 0 {
		cfg.MaxAccountFailures = 5
	}
	if cfg.MaxAddressFailures == 0 {
		cfg.MaxAddressFailures = 30
	}
	if cfg.FailureWindow == 0 {
		cfg.FailureWindow = 15 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	dummy, err := HashPassword("not-a-real-password")
	if err != nil {
		return nil, err
	}
	return &AuthService{Users: users, Sessions: sessions, Throttle: throttle, Audit: &Auditor{Store: audit, Now: now},
		Now: now, cfg: cfg, dummyHash: dummy}, nil
}

// Config returns the effective configuration.
func (s *AuthService) Config() AuthConfig { return s.cfg }

// accessClaims are the claims of an access token.
type accessClaims struct {
	SessionID    string `json:"sid"`
	TokenVersion int    `json:"ver"`
	jwt.RegisteredClaims
}

var errBadCredentials = Errorf(EUNAUTHENTICATED, "用户名或密码错误")

// Login checks the password and starts a session.
func (s *AuthService) Login(ctx context.Context, username, password, clientIP string) (*TokenPair, *User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	ctx = WithActor(ctx, &Actor{Username: username, DisplayName: username, ClientIP: clientIP})
	if username == "" || password == "" {
		return nil, nil, Invalid("请输入用户名和密码", map[string]string{"username": "必填", "password": "必填"})
	}
	// No account has a name or password this long; refusing them here keeps
	// megabytes of input out of Redis keys and the audit log.
	if len(username) > 64 || len(password) > 4*MaxPasswordLen {
		return nil, nil, errBadCredentials
	}
	accountKey, addressKey := "login:user:"+username, "login:ip:"+clientIP
	n, wait, err := s.Throttle.Failures(ctx, addressKey)
	if err != nil {
		return nil, nil, Internal(fmt.Errorf("read login throttle: %w", err))
	}
	if n >= s.cfg.MaxAddressFailures {
		_ = s.Audit.Record(ctx, "auth.login", "user", username, OutcomeThrottled, addressKey)
		return nil, nil, TooManyAttempts(wait)
	}
	// The account's attempt is counted before the password is checked, so
	// that guesses sent in parallel cannot all slip past the limit; a
	// successful sign-in resets the count.
	attempts, wait, err := s.Throttle.Fail(ctx, accountKey, s.cfg.FailureWindow)
	if err != nil {
		return nil, nil, Internal(fmt.Errorf("record login attempt: %w", err))
	}
	if attempts > s.cfg.MaxAccountFailures {
		_ = s.Audit.Record(ctx, "auth.login", "user", username, OutcomeThrottled, accountKey)
		return nil, nil, TooManyAttempts(wait)
	}
	fail := func(detail string) error {
		if _, _, err := s.Throttle.Fail(ctx, addressKey, s.cfg.FailureWindow); err != nil {
			return Internal(fmt.Errorf("record login failure: %w", err))
		}
		if err := s.Audit.Record(ctx, "auth.login", "user", username, OutcomeFailed, detail); err != nil {
			return Internal(err)
		}
		if left := s.cfg.MaxAccountFailures - attempts; left > 0 && left <= 2 {
			return Errorf(EUNAUTHENTICATED, "用户名或密码错误，再错 %d 次将暂停登录 %d 分钟", left, int(s.cfg.FailureWindow.Minutes()))
		}
		return errBadCredentials
	}
	u, err := s.Users.FindUserByUsername(ctx, username)
	if ErrorCode(err) == ENOTFOUND {
		_, _ = VerifyPassword(s.dummyHash, password)
		return nil, nil, fail("unknown user")
	}
	if err != nil {
		return nil, nil, err
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return nil, nil, Internal(err)
	}
	if !ok {
		return nil, nil, fail("wrong password")
	}
	ctx = WithActor(ctx, &Actor{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, ClientIP: clientIP})
	if u.Status == UserDisabled {
		_ = s.Audit.Record(ctx, "auth.login", "user", u.ID, OutcomeDenied, "account disabled")
		return nil, nil, Errorf(EFORBIDDEN, "账号已停用，如有疑问请联系管理员")
	}
	if err := s.Throttle.Reset(ctx, accountKey); err != nil {
		return nil, nil, Internal(err)
	}
	pair, err := s.startSession(ctx, u, clientIP)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Audit.Record(ctx, "auth.login", "user", u.ID, OutcomeOK, ""); err != nil {
		return nil, nil, Internal(err)
	}
	return pair, u, nil
}

// TooManyAttempts is the error for a throttled sign-in.
func TooManyAttempts(wait time.Duration) *Error {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	if minutes < 1 {
		minutes = 1
	}
	return &Error{Code: ETOOMANY, Message: fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试", minutes), RetryAfter: wait}
}

func (s *AuthService) startSession(ctx context.Context, u *User, clientIP string) (*TokenPair, error) {
	now := s.Now().UTC()
	secret, hash := newRefreshSecret()
	sess := &Session{ID: randomID(), UserID: u.ID, TokenHash: hash, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(s.cfg.SessionLifetime), ClientIP: clientIP}
	if err := s.Sessions.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return s.pair(u, sess.ID, secret, now)
}

func (s *AuthService) pair(u *User, sessionID, secret string, now time.Time) (*TokenPair, error) {
	claims := accessClaims{SessionID: sessionID, TokenVersion: u.TokenVersion, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: s.cfg.Issuer, Subject: u.ID, Audience: jwt.ClaimStrings{s.cfg.Audience},
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(s.cfg.AccessTTL)), ID: randomID(),
	}}
	access, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.cfg.Secret)
	if err != nil {
		return nil, Internal(fmt.Errorf("sign access token: %w", err))
	}
	return &TokenPair{AccessToken: access, RefreshToken: sessionID + "." + secret, TokenType: "Bearer",
		ExpiresIn: int(s.cfg.AccessTTL.Seconds()), SessionID: sessionID}, nil
}

var errSessionEnded = Errorf(EUNAUTHENTICATED, "登录状态已失效，请重新登录")

// Refresh rotates the refresh token and issues a new pair. A refresh token
// that was already rotated revokes its whole session.
func (s *AuthService) Refresh(ctx context.Context, refreshToken, clientIP string) (*TokenPair, error) {
	id, secret, ok := strings.Cut(refreshToken, ".")
	if !ok || id == "" || secret == "" || len(refreshToken) > 200 {
		return nil, errSessionEnded
	}
	sess, err := s.Sessions.FindSession(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, errSessionEnded
	}
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	ctx = WithActor(ctx, &Actor{UserID: sess.UserID, ClientIP: clientIP})
	if sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) {
		return nil, errSessionEnded
	}
	if hashSecret(secret) != sess.TokenHash {
		return nil, s.reuse(ctx, sess, now)
	}
	u, err := s.Users.FindUserByID(ctx, sess.UserID)
	if err != nil || u.Status == UserDisabled {
		_ = s.Sessions.RevokeSession(ctx, sess.ID, "user unavailable", now)
		return nil, errSessionEnded
	}
	newSecret, newHash := newRefreshSecret()
	if err := s.Sessions.RotateSession(ctx, sess.ID, sess.TokenHash, newHash, now); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, s.reuse(ctx, sess, now) // another refresh won the race with the same token
		}
		return nil, err
	}
	return s.pair(u, sess.ID, newSecret, now)
}

// reuse revokes a session whose rotated refresh token came back: it may
// have been stolen.
func (s *AuthService) reuse(ctx context.Context, sess *Session, now time.Time) error {
	if err := s.Sessions.RevokeSession(ctx, sess.ID, "refresh token reused", now); err != nil {
		return err
	}
	_ = s.Audit.Record(ctx, "auth.refresh_reuse", "session", sess.ID, OutcomeDenied, "rotated refresh token presented; session revoked")
	return errSessionEnded
}

// Logout ends the caller's own session, whose id comes from the access
// token the caller authenticated with.
func (s *AuthService) Logout(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	err := s.Sessions.RevokeSession(ctx, sessionID, "logout", s.Now().UTC())
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	return s.Audit.Record(ctx, "auth.logout", "session", sessionID, OutcomeOK, "")
}

// LogoutRefresh ends the session a refresh token belongs to. The session id
// is not a secret (access tokens carry it), so only the current refresh
// token itself can end a session this way; anything else changes nothing
// and says nothing about the session.
func (s *AuthService) LogoutRefresh(ctx context.Context, refreshToken string) error {
	id, secret, ok := strings.Cut(refreshToken, ".")
	if !ok || id == "" || secret == "" || len(refreshToken) > 200 {
		return nil
	}
	sess, err := s.Sessions.FindSession(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(sess.TokenHash)) != 1 {
		return nil
	}
	return s.Logout(ctx, id)
}

// Authenticate turns an access token into the actor it speaks for, checking
// signature, algorithm, expiry, issuer, audience, the user's current token
// version and that the session was not ended.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*Actor, string, error) {
	var claims accessClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.cfg.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(s.cfg.Issuer),
		jwt.WithAudience(s.cfg.Audience),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second),
		jwt.WithTimeFunc(s.Now))
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return nil, "", Errorf(EUNAUTHENTICATED, "访问令牌已过期，请刷新或重新登录")
		}
		return nil, "", Errorf(EUNAUTHENTICATED, "访问令牌无效")
	}
	u, err := s.Users.FindUserByID(ctx, claims.Subject)
	if ErrorCode(err) == ENOTFOUND {
		return nil, "", Errorf(EUNAUTHENTICATED, "访问令牌无效")
	}
	if err != nil {
		return nil, "", err
	}
	if u.Status == UserDisabled || u.TokenVersion != claims.TokenVersion {
		return nil, "", errSessionEnded
	}
	sess, err := s.Sessions.FindSession(ctx, claims.SessionID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && (sess.RevokedAt != nil || sess.UserID != u.ID || !s.Now().Before(sess.ExpiresAt))) {
		return nil, "", errSessionEnded
	}
	if err != nil {
		return nil, "", err
	}
	return u.Actor(), sess.ID, nil
}

func newRefreshSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// randomID returns 128 random bits as hex.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewID returns a new random identifier for a document.
func NewID() string { return randomID() }
