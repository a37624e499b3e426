package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/huiqi/huiqi/portal"
)

// SessionStore persists sign-in sessions in the sessions collection.
type SessionStore struct{ db *DB }

var _ portal.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns the session store of db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

func (s *SessionStore) coll() *mongo.Collection { return s.db.db.Collection("sessions") }

// CreateSession stores a new session.
func (s *SessionStore) CreateSession(ctx context.Context, sess *portal.Session) error {
	_, err := s.coll().InsertOne(ctx, sess)
	return translate(err, "会话")
}

// FindSession returns the session with id.
func (s *SessionStore) FindSession(ctx context.Context, id string) (*portal.Session, error) {
	var sess portal.Session
	if err := s.coll().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sess); err != nil {
		return nil, translate(err, "会话")
	}
	return &sess, nil
}

// RotateSession swaps the token hash; of two refreshes racing with the
// same token exactly one wins, because each token hash can be claimed once.
func (s *SessionStore) RotateSession(ctx context.Context, id, oldHash, newHash string, now time.Time) error {
	if err := Claim(ctx, s.db.db, "sessions:"+id+":"+oldHash); err != nil {
		if portal.ErrorCode(err) == portal.ECONFLICT {
			return portal.Errorf(portal.ECONFLICT, "会话已被轮换或撤销")
		}
		return err
	}
	res, err := s.coll().UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "token_hash", Value: oldHash}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "token_hash", Value: newHash}, {Key: "last_used_at", Value: now}}}})
	if err != nil {
		return translate(err, "会话")
	}
	if res.MatchedCount == 0 {
		return portal.Errorf(portal.ECONFLICT, "会话已被轮换或撤销")
	}
	return nil
}

// RevokeSession ends a session; revoking it again changes nothing.
func (s *SessionStore) RevokeSession(ctx context.Context, id, reason string, now time.Time) error {
	res, err := s.coll().UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: now}, {Key: "reason", Value: reason}}}})
	if err != nil {
		return translate(err, "会话")
	}
	if res.MatchedCount == 0 {
		if _, err := s.FindSession(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// RevokeUserSessions ends every open session of a user.
func (s *SessionStore) RevokeUserSessions(ctx context.Context, userID, reason string, now time.Time) error {
	_, err := s.coll().UpdateMany(ctx, bson.D{{Key: "user_id", Value: userID}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: now}, {Key: "reason", Value: reason}}}})
	return translate(err, "会话")
}
