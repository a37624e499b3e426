package mongostore_test

import (
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func mustSessionStore(t *testing.T) *mongostore.SessionStore {
	t.Helper()
	return mongostore.NewSessionStore(portaltest.DB(t))
}

func newSession(t *testing.T, s *mongostore.SessionStore, id, userID, hash string) *portal.Session {
	t.Helper()
	sess := &portal.Session{ID: id, UserID: userID, TokenHash: hash, CreatedAt: clock, LastUsedAt: clock,
		ExpiresAt: clock.Add(24 * time.Hour), ClientIP: "192.0.2.1"}
	portaltest.Must(t, s.CreateSession(ctxT(t), sess), "create session %s", id)
	return sess
}

func findSession(t *testing.T, s *mongostore.SessionStore, id string) *portal.Session {
	t.Helper()
	sess, err := s.FindSession(ctxT(t), id)
	portaltest.Must(t, err, "find session %s", id)
	return sess
}

func TestSessionStoreCreateFind(t *testing.T) {
	s := mustSessionStore(t)
	newSession(t, s, "s1", "u1", "hash-1")
	got := findSession(t, s, "s1")
	if got.UserID != "u1" || got.TokenHash != "hash-1" || got.RevokedAt != nil || !got.ExpiresAt.Equal(clock.Add(24*time.Hour)) {
		t.Errorf("round trip = %+v", got)
	}
	if _, err := s.FindSession(ctxT(t), "nope"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("FindSession(unknown) = %v, want not found", err)
	}
	if err := s.CreateSession(ctxT(t), &portal.Session{ID: "s1", UserID: "u2"}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("CreateSession(same id) = %v, want conflict", err)
	}
}

func TestSessionStoreRotate(t *testing.T) {
	later := clock.Add(time.Hour)
	t.Run("OK", func(t *testing.T) {
		s := mustSessionStore(t)
		newSession(t, s, "s1", "u1", "old")
		portaltest.Must(t, s.RotateSession(ctxT(t), "s1", "old", "new", later), "rotate")
		got := findSession(t, s, "s1")
		if got.TokenHash != "new" || !got.LastUsedAt.Equal(later) {
			t.Errorf("after rotate = %+v", got)
		}
	})

	t.Run("ErrConflictWithOldHash", func(t *testing.T) {
		s := mustSessionStore(t)
		newSession(t, s, "s1", "u1", "old")
		portaltest.Must(t, s.RotateSession(ctxT(t), "s1", "old", "new", later), "first rotate")
		// A second refresh racing with the same (now old) token loses.
		if err := s.RotateSession(ctxT(t), "s1", "old", "other", later); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("rotate with a stale hash = %v, want conflict", err)
		}
		if got := findSession(t, s, "s1"); got.TokenHash != "new" {
			t.Errorf("token hash = %q after the losing rotate, want the winner's", got.TokenHash)
		}
	})

	t.Run("ErrConflictWhenRevoked", func(t *testing.T) {
		s := mustSessionStore(t)
		newSession(t, s, "s1", "u1", "old")
		portaltest.Must(t, s.RevokeSession(ctxT(t), "s1", "logout", later), "revoke")
		if err := s.RotateSession(ctxT(t), "s1", "old", "new", later); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("rotate a revoked session = %v, want conflict", err)
		}
		if got := findSession(t, s, "s1"); got.TokenHash != "old" {
			t.Errorf("revoked session's hash changed to %q", got.TokenHash)
		}
	})

	t.Run("ErrConflictUnknown", func(t *testing.T) {
		s := mustSessionStore(t)
		if err := s.RotateSession(ctxT(t), "nope", "a", "b", later); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("rotate unknown = %v, want conflict", err)
		}
	})
}

func TestSessionStoreRevoke(t *testing.T) {
	first, second := clock.Add(time.Hour), clock.Add(2*time.Hour)
	t.Run("Idempotent", func(t *testing.T) {
		s := mustSessionStore(t)
		newSession(t, s, "s1", "u1", "h")
		portaltest.Must(t, s.RevokeSession(ctxT(t), "s1", "logout", first), "first revoke")
		portaltest.Must(t, s.RevokeSession(ctxT(t), "s1", "again", second), "second revoke")
		got := findSession(t, s, "s1")
		if got.RevokedAt == nil || !got.RevokedAt.Equal(first) || got.Reason != "logout" {
			t.Errorf("after revoking twice = revoked %v reason %q; want the first revocation kept", got.RevokedAt, got.Reason)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := mustSessionStore(t)
		if err := s.RevokeSession(ctxT(t), "nope", "logout", first); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("revoke unknown = %v, want not found", err)
		}
	})

	t.Run("AllOfOneUser", func(t *testing.T) {
		s := mustSessionStore(t)
		newSession(t, s, "a1", "u1", "h1")
		newSession(t, s, "a2", "u1", "h2")
		newSession(t, s, "a3", "u1", "h3")
		newSession(t, s, "b1", "u2", "h4")
		portaltest.Must(t, s.RevokeSession(ctxT(t), "a3", "logout", first), "revoke a3")
		portaltest.Must(t, s.RevokeUserSessions(ctxT(t), "u1", "account disabled", second), "revoke all of u1")
		for _, id := range []string{"a1", "a2"} {
			if got := findSession(t, s, id); got.RevokedAt == nil || !got.RevokedAt.Equal(second) || got.Reason != "account disabled" {
				t.Errorf("%s: revoked %v reason %q, want revoked by the sweep", id, got.RevokedAt, got.Reason)
			}
		}
		if got := findSession(t, s, "a3"); !got.RevokedAt.Equal(first) || got.Reason != "logout" {
			t.Errorf("a3 was already revoked; sweep overwrote it: %v %q", got.RevokedAt, got.Reason)
		}
		if got := findSession(t, s, "b1"); got.RevokedAt != nil {
			t.Errorf("another user's session was revoked")
		}
		// Again: nothing left to revoke is not an error.
		portaltest.Must(t, s.RevokeUserSessions(ctxT(t), "u1", "again", second.Add(time.Hour)), "revoke all again")
		if got := findSession(t, s, "a1"); got.Reason != "account disabled" {
			t.Errorf("second sweep changed a revoked session: %q", got.Reason)
		}
		portaltest.Must(t, s.RevokeUserSessions(ctxT(t), "nobody", "x", second), "revoke for a user without sessions")
	})
}
