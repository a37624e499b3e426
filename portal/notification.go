package portal

import (
	"context"
	"time"
)

// Notification kinds.
const (
	NotifyPolicyMatch  = "policy_match"  // a policy an enterprise qualifies for
	NotifyPolicyDigest = "policy_digest" // how many of a liaison's caseload qualify
)

// Notification is an in-app message to one user. DedupKey is unique: a
// background job that runs twice writes the same key twice and the second
// write is dropped, so users never get the same message again.
type Notification struct {
	ID        string     `json:"id" bson:"_id"`
	UserID    string     `json:"user_id" bson:"user_id"`
	Kind      string     `json:"kind" bson:"kind"`
	Title     string     `json:"title" bson:"title"`
	Body      string     `json:"body,omitempty" bson:"body,omitempty"`
	Link      string     `json:"link,omitempty" bson:"link,omitempty"`
	DedupKey  string     `json:"-" bson:"dedup_key"`
	CreatedAt time.Time  `json:"created_at" bson:"created_at"`
	Read      bool       `json:"read" bson:"read"`
	ReadAt    *time.Time `json:"read_at,omitempty" bson:"read_at,omitempty"`
}

// NotificationFilter selects one user's notifications.
type NotificationFilter struct {
	UnreadOnly bool
	Offset     int
	Limit      int
}

// NotificationStore persists notifications.
type NotificationStore interface {
	// CreateNotifications stores the notifications whose dedup keys are new
	// and skips the others without error; it returns how many it stored.
	CreateNotifications(ctx context.Context, ns []*Notification) (int, error)
	// FindNotificationsForUser returns one page of the user's notifications,
	// unread first and newest first, the total and the unread count.
	FindNotificationsForUser(ctx context.Context, userID string, f NotificationFilter) (items []*Notification, total, unread int, err error)
	// MarkNotificationRead marks the user's notification read (keeping the
	// first read time) and returns it; another user's answers ENOTFOUND.
	MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (*Notification, error)
}

// Notification list paging.
const (
	DefaultNotificationsPerPage = 20
	MaxNotificationsPerPage     = 100
)

// NotificationQuery is what a user asks of their notification list.
type NotificationQuery struct {
	UnreadOnly bool
	Page       int // from 1; 0 means 1
	PerPage    int // 0 means DefaultNotificationsPerPage
}

// NotificationPage is one page of a user's notifications.
type NotificationPage struct {
	Items   []*Notification `json:"items"`
	Total   int             `json:"total"`
	Unread  int             `json:"unread"`
	Page    int             `json:"page"`
	PerPage int             `json:"per_page"`
}

// NotificationService shows signed-in users their own notifications.
type NotificationService struct {
	Store NotificationStore
	Audit *Auditor
	Now   func() time.Time
}

// List returns one page of the actor's own notifications.
func (s *NotificationService) List(ctx context.Context, q NotificationQuery) (*NotificationPage, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultNotificationsPerPage, MaxNotificationsPerPage)
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	items, total, unread, err := s.Store.FindNotificationsForUser(ctx, a.UserID,
		NotificationFilter{UnreadOnly: q.UnreadOnly, Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage})
	if err != nil {
		return nil, err
	}
	return &NotificationPage{Items: items, Total: total, Unread: unread, Page: q.Page, PerPage: q.PerPage}, nil
}

// MarkRead marks one of the actor's own notifications read; anyone else's
// answers ENOTFOUND so that ids cannot be probed.
func (s *NotificationService) MarkRead(ctx context.Context, id string) (*Notification, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	n, err := s.Store.MarkNotificationRead(ctx, a.UserID, id, s.Now().UTC())
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "notification.read", "notification", n.ID, OutcomeOK, ""); err != nil {
		return nil, Internal(err)
	}
	return n, nil
}
