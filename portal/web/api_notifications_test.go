package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestNotificationAPI(t *testing.T) {
	ts := newMatchServer(t)
	ctx := context.Background()
	_, err := ts.notes.CreateNotifications(ctx, []*portal.Notification{
		{UserID: "u-enterprise", Kind: portal.NotifyPolicyMatch, Title: "较早的通知", DedupKey: "t:1", CreatedAt: ts.clock.Add(-2 * time.Hour)},
		{UserID: "u-enterprise", Kind: portal.NotifyPolicyMatch, Title: "最新的通知", DedupKey: "t:2", CreatedAt: ts.clock.Add(-time.Hour)},
		{UserID: "u-enterprise2", Kind: portal.NotifyPolicyMatch, Title: "金沙珠宝的通知", DedupKey: "t:3", CreatedAt: ts.clock},
	})
	portaltest.Must(t, err, "seed notifications")
	idOf := func(user, title string) string {
		items, _, _, err := ts.notes.FindNotificationsForUser(ctx, user, portal.NotificationFilter{})
		portaltest.Must(t, err, "notifications of %s", user)
		for _, n := range items {
			if n.Title == title {
				return n.ID
			}
		}
		t.Fatalf("%s has no notification %q", user, title)
		return ""
	}
	mine, theirs := idOf("u-enterprise", "较早的通知"), idOf("u-enterprise2", "金沙珠宝的通知")
	stillUnread := func(user, id string) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			items, _, _, _ := ts.notes.FindNotificationsForUser(ctx, user, portal.NotificationFilter{})
			for _, n := range items {
				if n.ID == id && n.Read {
					t.Errorf("notification %s of %s was marked read", id, user)
				}
			}
		}
	}

	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "visitor", Method: "GET", Path: "/api/v1/notifications", Status: 401},
		{Name: "own notifications, newest first", Method: "GET", Path: "/api/v1/notifications", Actor: "enterprise", Status: 200,
			Contains: []string{`"total":2`, `"unread":2`, `"title":"最新的通知"`}, NotContains: []string{"金沙珠宝的通知", "dedup"},
			After: func(t *testing.T, res *httptest.ResponseRecorder) {
				body := res.Body.String()
				if strings.Index(body, "最新的通知") > strings.Index(body, "较早的通知") {
					t.Errorf("older notification listed first: %s", body)
				}
			}},
		{Name: "bad unread flag is named", Method: "GET", Path: "/api/v1/notifications?unread=maybe", Actor: "enterprise", Status: 400,
			Contains: []string{`"unread":`}},
		{Name: "too many per page is named", Method: "GET", Path: "/api/v1/notifications?per_page=1000", Actor: "enterprise", Status: 400,
			Contains: []string{`"per_page":`}},
		{Name: "someone else's notification is not found", Method: "POST", Path: "/api/v1/notifications/" + theirs + "/read",
			Actor: "enterprise", Status: 404, After: stillUnread("u-enterprise2", theirs)},
		{Name: "unknown notification", Method: "POST", Path: "/api/v1/notifications/nope/read", Actor: "enterprise", Status: 404},
		{Name: "mark own read", Method: "POST", Path: "/api/v1/notifications/" + mine + "/read", Actor: "enterprise", Status: 200,
			Contains: []string{`"read":true`, `"read_at":"2026-11-22T02:00:00Z"`}},
		{Name: "unread only", Method: "GET", Path: "/api/v1/notifications?unread=true", Actor: "enterprise", Status: 200,
			Contains: []string{`"total":1`, `"unread":1`, "最新的通知"}, NotContains: []string{"较早的通知"}},
		{Name: "read ones come after unread ones", Method: "GET", Path: "/api/v1/notifications?per_page=1&page=2", Actor: "enterprise",
			Status: 200, Contains: []string{`"total":2`, "较早的通知"}},
		{Name: "a pending account is refused", Method: "GET", Path: "/api/v1/notifications", Actor: "pending", Status: 403},
	})
	entries, _, _ := ts.audit.FindAudit(ctx, portal.AuditFilter{Action: "notification.read"})
	if len(entries) != 1 || entries[0].ObjectID != mine {
		t.Errorf("audit of reads %v, want one entry for %s", entries, mine)
	}
}

// TestPublishNotifiesThroughTheAPI: an editor publishes over HTTP, the
// policy:match task it asked for runs (twice, as asynq may deliver it),
// and the enterprise and its liaison each find one notification.
func TestPublishNotifiesThroughTheAPI(t *testing.T) {
	ts := newMatchServer(t)
	ctx := portal.WithActor(context.Background(), &portal.Actor{UserID: "u-editor", Username: "editor", Roles: []portal.Role{portal.RolePolicyEditor}})
	end := ts.clock.AddDate(0, 1, 0)
	p, err := ts.pols.Create(ctx, &policies.Policy{Title: "港口物流企业纾困补贴", Issuer: "区交通运输局", Level: policies.LevelDistrict,
		Category: policies.CatSmallMicro, Summary: "对小微交通运输企业给予一次性纾困补贴。", ApplyEnd: &end, Industries: []string{"G"},
		Criteria: []policies.Clause{{Field: "size_class", Op: "in", Value: []byte(`["small","micro"]`)}}})
	portaltest.Must(t, err, "create")
	ts.queue.policies = nil
	rn := ts.runner()
	rn.Run(t, []portaltest.Scenario{{Name: "publish", Method: "POST", Path: "/api/v1/policies/" + p.ID + "/publish", Actor: "editor", Status: 200}})
	if len(ts.queue.policies) != 1 || ts.queue.policies[0] != policies.PolicyMatchTaskID(p.ID, 2) {
		t.Fatalf("publish asked for %v, want %s", ts.queue.policies, policies.PolicyMatchTaskID(p.ID, 2))
	}
	payload, _ := json.Marshal(map[string]any{"id": p.ID, "version": 2})
	for range 2 {
		portaltest.Must(t, ts.match.HandlePolicyMatchTask(context.Background(), asynq.NewTask(policies.TypePolicyMatch, payload)), "task")
	}
	rn.Run(t, []portaltest.Scenario{
		{Name: "the enterprise is told once", Method: "GET", Path: "/api/v1/notifications", Actor: "enterprise", Status: 200,
			Contains: []string{`"total":1`, "可申报政策：港口物流企业纾困补贴", `"link":"/policies/` + p.ID + `"`}},
		{Name: "the liaison gets one digest", Method: "GET", Path: "/api/v1/notifications", Actor: "liaison", Status: 200,
			Contains: []string{`"total":1`, `"kind":"policy_digest"`, "有 2 家符合"}},
		{Name: "an enterprise that does not qualify is not told", Method: "GET", Path: "/api/v1/notifications", Actor: "enterprise2",
			Status: 200, Contains: []string{`"total":0`, `"items":[]`}},
	})
}
