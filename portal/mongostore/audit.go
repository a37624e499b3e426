package mongostore

import (
	"context"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/huiqi/huiqi/portal"
)

// AuditStore appends to the audit collection; it offers no update or delete.
type AuditStore struct{ db *DB }

var _ portal.AuditStore = (*AuditStore)(nil)

// NewAuditStore returns the audit store of db.
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

func (s *AuditStore) coll() *mongo.Collection { return s.db.db.Collection("audit") }

// AppendAudit adds an entry.
func (s *AuditStore) AppendAudit(ctx context.Context, e *portal.AuditEntry) error {
	if e.ID == "" {
		e.ID = portal.NewID()
	}
	if e.At.IsZero() {
		e.At = s.db.now().UTC()
	}
	_, err := s.coll().InsertOne(ctx, e)
	return translate(err, "审计记录")
}

// FindAudit returns one page of entries, newest first, and the total.
func (s *AuditStore) FindAudit(ctx context.Context, f portal.AuditFilter) ([]*portal.AuditEntry, int, error) {
	q := bson.D{}
	if f.ActorID != "" {
		q = append(q, bson.E{Key: "actor_id", Value: f.ActorID})
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		q = append(q, bson.E{Key: "action", Value: bson.Regex{Pattern: "^" + regexpQuote(f.Action)}})
	case f.Action != "":
		q = append(q, bson.E{Key: "action", Value: f.Action})
	}
	if f.ObjectType != "" {
		q = append(q, bson.E{Key: "object_type", Value: f.ObjectType})
	}
	if f.ObjectID != "" {
		q = append(q, bson.E{Key: "object_id", Value: f.ObjectID})
	}
	if f.Outcome != "" {
		q = append(q, bson.E{Key: "outcome", Value: f.Outcome})
	}
	at := bson.D{}
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if !f.To.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: f.To.UTC()})
	}
	if len(at) > 0 {
		q = append(q, bson.E{Key: "at", Value: at})
	}
	return findPage[portal.AuditEntry](ctx, s.coll(), q, bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}, f.Offset, f.Limit, "审计记录")
}
