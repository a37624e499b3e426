package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/huiqi/huiqi/portal"
)

// NotificationStore persists in-app notifications in the notifications
// collection; a unique index on dedup_key drops repeated writes.
type NotificationStore struct{ db *DB }

var _ portal.NotificationStore = (*NotificationStore)(nil)

// NewNotificationStore returns the notification store of db.
func NewNotificationStore(db *DB) *NotificationStore { return &NotificationStore{db: db} }

func (s *NotificationStore) coll() *mongo.Collection { return s.db.db.Collection("notifications") }

// notificationIndexes creates the indexes of the notifications collection:
// the unique dedup key and the per-user list (unread first, newest first).
func notificationIndexes(ctx context.Context, db *mongo.Database) error {
	return ensureIndexes(ctx, db.Collection("notifications"),
		mongo.IndexModel{Keys: bson.D{{Key: "dedup_key", Value: 1}}, Options: options.Index().SetUnique(true)},
		mongo.IndexModel{Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "read", Value: 1}, {Key: "created_at", Value: -1}}},
	)
}

// notificationBatch is how many notifications one insert sends.
const notificationBatch = 500

// CreateNotifications inserts the notifications in unordered batches; one
// whose dedup key is already stored is skipped, the others are kept.
func (s *NotificationStore) CreateNotifications(ctx context.Context, ns []*portal.Notification) (int, error) {
	now := s.db.now().UTC()
	for _, n := range ns {
		switch {
		case n.UserID == "":
			return 0, portal.Invalid("通知缺少接收人", map[string]string{"user_id": "必填"})
		case n.Title == "":
			return 0, portal.Invalid("通知缺少标题", map[string]string{"title": "必填"})
		}
		if n.ID == "" {
			n.ID = portal.NewID()
		}
		if n.DedupKey == "" {
			// Without a natural key the notification is unique by itself.
			n.DedupKey = "id:" + n.ID
		}
		if n.CreatedAt.IsZero() {
			n.CreatedAt = now
		}
		n.Read, n.ReadAt = false, nil
	}
	created := 0
	for start := 0; start < len(ns); start += notificationBatch {
		batch := ns[start:min(start+notificationBatch, len(ns))]
		docs := make([]any, len(batch))
		for i, n := range batch {
			docs[i] = n
		}
		_, err := s.coll().InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		var bulk mongo.BulkWriteException
		switch {
		case err == nil:
			created += len(batch)
		case errors.As(err, &bulk) && bulk.WriteConcernError == nil:
			for _, we := range bulk.WriteErrors {
				if !mongo.IsDuplicateKeyError(we) {
					return created, translate(err, "通知")
				}
			}
			created += len(batch) - len(bulk.WriteErrors)
		default:
			return created, translate(err, "通知")
		}
	}
	return created, nil
}

// FindNotificationsForUser returns one page of the user's notifications,
// unread first and newest first, with the total and the unread count.
func (s *NotificationStore) FindNotificationsForUser(ctx context.Context, userID string, f portal.NotificationFilter) ([]*portal.Notification, int, int, error) {
	q := bson.D{{Key: "user_id", Value: userID}}
	if f.UnreadOnly {
		q = append(q, bson.E{Key: "read", Value: false})
	}
	items, total, err := findPage[portal.Notification](ctx, s.coll(), q,
		bson.D{{Key: "read", Value: 1}, {Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}, f.Offset, f.Limit, "通知")
	if err != nil {
		return nil, 0, 0, err
	}
	unread := total
	if !f.UnreadOnly {
		n, err := s.coll().CountDocuments(ctx, bson.D{{Key: "user_id", Value: userID}, {Key: "read", Value: false}})
		if err != nil {
			return nil, 0, 0, translate(err, "通知")
		}
		unread = int(n)
	}
	return items, total, unread, nil
}

// MarkNotificationRead marks the user's notification read once; the
// filter on user_id makes another user's notification not found.
func (s *NotificationStore) MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (*portal.Notification, error) {
	own := bson.D{{Key: "_id", Value: id}, {Key: "user_id", Value: userID}}
	_, err := s.coll().UpdateOne(ctx, append(own, bson.E{Key: "read", Value: false}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "read", Value: true}, {Key: "read_at", Value: at.UTC()}}}})
	if err != nil {
		return nil, translate(err, "通知")
	}
	var n portal.Notification
	if err := s.coll().FindOne(ctx, own).Decode(&n); err != nil {
		return nil, translate(err, "通知")
	}
	return &n, nil
}
