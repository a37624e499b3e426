package mongostore_test

import (
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestNotificationStore(t *testing.T) {
	db := portaltest.DB(t)
	clock := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return clock })
	s := mongostore.NewNotificationStore(db)
	ctx := ctxT(t)
	note := func(user, key, title string, at time.Time) *portal.Notification {
		return &portal.Notification{UserID: user, Kind: portal.NotifyPolicyMatch, Title: title, DedupKey: key, CreatedAt: at}
	}

	n, err := s.CreateNotifications(ctx, []*portal.Notification{
		note("u1", "match:p1:u1", "第一条", clock.Add(-3*time.Hour)),
		note("u1", "match:p2:u1", "第二条", clock.Add(-2*time.Hour)),
		note("u1", "match:p3:u1", "第三条", clock.Add(-time.Hour)),
		note("u2", "match:p1:u2", "别人的", clock),
	})
	if err != nil || n != 4 {
		t.Fatalf("create: %d %v, want 4 created", n, err)
	}

	t.Run("a repeated dedup key is skipped without error", func(t *testing.T) {
		n, err := s.CreateNotifications(ctx, []*portal.Notification{
			note("u1", "match:p1:u1", "第一条（重复）", clock),
			note("u1", "match:p4:u1", "第四条", clock.Add(-4*time.Hour)),
			note("u1", "match:p4:u1", "第四条（同批重复）", clock),
		})
		if err != nil || n != 1 {
			t.Fatalf("create with repeats: %d %v, want 1 created", n, err)
		}
		items, total, _, err := s.FindNotificationsForUser(ctx, "u1", portal.NotificationFilter{})
		if err != nil || total != 4 {
			t.Fatalf("u1 has %d notifications (%v), want 4", total, err)
		}
		for _, it := range items {
			if it.Title == "第一条（重复）" || it.Title == "第四条（同批重复）" {
				t.Errorf("a repeat replaced or joined the stored notification: %+v", it)
			}
		}
	})

	t.Run("missing recipient is refused", func(t *testing.T) {
		if _, err := s.CreateNotifications(ctx, []*portal.Notification{{Title: "无人"}}); portal.ErrorFields(err)["user_id"] == "" {
			t.Errorf("no user: %v, want user_id named", err)
		}
	})

	var second *portal.Notification
	t.Run("unread first, newest first, paginated", func(t *testing.T) {
		items, _, _, _ := s.FindNotificationsForUser(ctx, "u1", portal.NotificationFilter{})
		for _, it := range items {
			if it.Title == "第二条" {
				second = it
			}
		}
		if second == nil {
			t.Fatal("第二条 not found")
		}
		if _, err := s.MarkNotificationRead(ctx, "u1", second.ID, clock); err != nil {
			t.Fatalf("mark read: %v", err)
		}
		items, total, unread, err := s.FindNotificationsForUser(ctx, "u1", portal.NotificationFilter{})
		if err != nil || total != 4 || unread != 3 {
			t.Fatalf("total %d unread %d (%v), want 4 and 3", total, unread, err)
		}
		var order []string
		for _, it := range items {
			order = append(order, it.Title)
		}
		want := []string{"第三条", "第一条", "第四条", "第二条"}
		if len(order) != len(want) {
			t.Fatalf("order %v, want %v", order, want)
		}
		for i := range want {
			if order[i] != want[i] {
				t.Fatalf("order %v, want %v", order, want)
			}
		}
		page2, total, _, _ := s.FindNotificationsForUser(ctx, "u1", portal.NotificationFilter{Offset: 2, Limit: 2})
		if total != 4 || len(page2) != 2 || page2[0].Title != "第四条" {
			t.Errorf("page 2: %d items of %d, first %v", len(page2), total, page2)
		}
		unreadOnly, total, unread, _ := s.FindNotificationsForUser(ctx, "u1", portal.NotificationFilter{UnreadOnly: true})
		if total != 3 || unread != 3 || len(unreadOnly) != 3 {
			t.Errorf("unread only: %d items, total %d, unread %d; want 3", len(unreadOnly), total, unread)
		}
	})

	t.Run("marking read again keeps the first read time", func(t *testing.T) {
		got, err := s.MarkNotificationRead(ctx, "u1", second.ID, clock.Add(time.Hour))
		if err != nil || !got.Read || got.ReadAt == nil || !got.ReadAt.Equal(clock) {
			t.Errorf("read again: %+v %v, want read at %v", got, err, clock)
		}
	})

	t.Run("another user's notification is not found and stays unread", func(t *testing.T) {
		others, _, _, _ := s.FindNotificationsForUser(ctx, "u2", portal.NotificationFilter{})
		if len(others) != 1 {
			t.Fatalf("u2 has %d notifications", len(others))
		}
		if _, err := s.MarkNotificationRead(ctx, "u1", others[0].ID, clock); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("u1 marks u2's notification: %v, want not found", err)
		}
		if _, _, unread, _ := s.FindNotificationsForUser(ctx, "u2", portal.NotificationFilter{}); unread != 1 {
			t.Errorf("u2's notification was marked read by u1")
		}
	})
}
