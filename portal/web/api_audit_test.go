package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestAuditAPI(t *testing.T) {
	ts := newAdminTestServer(t)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	portaltest.Must(t, err, "zone")
	// The district zone is set at start; rebuild the pages for it.
	ts.opt.Location = shanghai
	ts.pages, err = loadPages(shanghai)
	portaltest.Must(t, err, "pages")
	// Two entries either side of midnight in Shanghai (16:00 UTC).
	for _, e := range []*portal.AuditEntry{
		{ID: "late", At: time.Date(2025, 5, 1, 15, 59, 0, 0, time.UTC), ActorID: "u-x", ActorName: "甲", Action: "user.update",
			ObjectType: "user", ObjectID: "u-liaison", Outcome: portal.OutcomeOK},
		{ID: "early", At: time.Date(2025, 5, 1, 16, 1, 0, 0, time.UTC), ActorID: "u-x", ActorName: "甲", Action: "user.disable",
			ObjectType: "user", ObjectID: "u-liaison", Outcome: portal.OutcomeDenied},
	} {
		portaltest.Must(t, ts.audit.AppendAudit(t.Context(), e), "append")
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "admin reads the log newest first", Method: "GET", Path: "/api/v1/audit?actor_id=u-x", Actor: "admin", Status: 200,
			Contains: []string{`"total":2`, `"items":[{"id":"early"`}},
		{Name: "a day is a day in the district's zone", Method: "GET", Path: "/api/v1/audit?actor_id=u-x&from=2025-05-02&to=2025-05-02", Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, `"id":"early"`}},
		{Name: "to includes its whole day", Method: "GET", Path: "/api/v1/audit?actor_id=u-x&to=2025-05-01", Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, `"id":"late"`}},
		{Name: "RFC 3339 instants", Method: "GET", Path: "/api/v1/audit?from=" + url.QueryEscape("2025-05-01T16:00:00Z") + "&to=" + url.QueryEscape("2025-05-01T17:00:00+00:00"), Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, `"id":"early"`}},
		{Name: "action prefix", Method: "GET", Path: "/api/v1/audit?action=auth.", Actor: "admin", Status: 200,
			Contains: []string{`"action":"auth.login"`}, NotContains: []string{`"action":"user.`}},
		{Name: "object and outcome", Method: "GET", Path: "/api/v1/audit?object_type=user&object_id=u-liaison&outcome=denied", Actor: "admin", Status: 200,
			Contains: []string{`"total":1`, `"id":"early"`}},
		{Name: "paging", Method: "GET", Path: "/api/v1/audit?actor_id=u-x&per_page=1&page=2", Actor: "admin", Status: 200,
			Contains: []string{`"total":2`, `"items":[{"id":"late"`}},
		{Name: "bad date", Method: "GET", Path: "/api/v1/audit?from=yesterday", Actor: "admin", Status: 400,
			Contains: []string{`"from":"日期格式应为 YYYY-MM-DD 或 RFC 3339 时间"`}},
		{Name: "range backwards", Method: "GET", Path: "/api/v1/audit?from=2025-05-03&to=2025-05-01", Actor: "admin", Status: 400,
			Contains: []string{`"to":"结束时间必须晚于开始时间"`}},
		{Name: "bad outcome", Method: "GET", Path: "/api/v1/audit?outcome=maybe", Actor: "admin", Status: 400, Contains: []string{`"outcome":`}},
		{Name: "others may not read", Method: "GET", Path: "/api/v1/audit", Actor: "dispatcher", Status: 403},
		{Name: "visitors sign in", Method: "GET", Path: "/api/v1/audit", Status: 401},

		{Name: "page shows times in the district zone", Method: "GET", Path: "/admin/audit?actor_id=u-x", Actor: "admin", Status: 200,
			Contains: []string{"2025-05-02 00:01", "2025-05-01 23:59", "user.disable", "拒绝", "Asia/Shanghai", "<details open>"}},
		{Name: "page filters by day", Method: "GET", Path: "/admin/audit?actor_id=u-x&from=2025-05-02", Actor: "admin", Status: 200,
			Contains: []string{"2025-05-02 00:01", `value="2025-05-02"`}, NotContains: []string{"2025-05-01 23:59"}},
		{Name: "page empty state", Method: "GET", Path: "/admin/audit?actor_id=nobody", Actor: "admin", Status: 200,
			Contains: []string{"没有符合条件的审计记录"}},
		{Name: "page pagination", Method: "GET", Path: "/admin/audit?actor_id=u-x&per_page=1", Actor: "admin", Status: 200,
			Contains: []string{"第 1 / 2 页", `href="/admin/audit?actor_id=u-x&amp;page=2&amp;per_page=1"`}},
		{Name: "page bad date", Method: "GET", Path: "/admin/audit?to=31/12/2025", Actor: "admin", Status: 400,
			Contains: []string{"审计日志筛选条件有误"}},
		{Name: "page for others", Method: "GET", Path: "/admin/audit", Actor: "handler", Status: 403},
	})
}
