package web

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestJobsConsole(t *testing.T) {
	ts := newChaseServer(t)
	client := asynq.NewClientFromRedisClient(ts.redis.Client)
	_, err := client.Enqueue(asynq.NewTask("sla:rung", []byte(`{}`)), asynq.ProcessIn(time.Hour), asynq.TaskID("console-test"))
	portaltest.Must(t, err, "enqueue a task to look at")
	insp := asynq.NewInspectorFromRedisClient(ts.redis.Client)
	paused := func(want bool) func(t *testing.T, _ *httptest.ResponseRecorder) {
		return func(t *testing.T, _ *httptest.ResponseRecorder) {
			q, err := insp.GetQueueInfo("default")
			portaltest.Must(t, err, "queue info")
			if q.Paused != want {
				t.Errorf("queue paused = %v, want %v", q.Paused, want)
			}
		}
	}
	csrf := map[string]string{"Cookie": csrfCookie + "=" + adminTestCSRF, csrfHeader: adminTestCSRF}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the console page", Method: "GET", Path: "/admin/jobs", Actor: "admin", Status: 200,
			Contains: []string{"Asynq - Monitoring", `window.FLAG_ROOT_PATH="\/admin\/jobs"`, `setRequestHeader("X-CSRF-Token"`, "返回惠企通系统管理"},
			Header:   map[string]string{"Cache-Control": "no-store", "X-Frame-Options": "DENY"}},
		{Name: "a page inside the console", Method: "GET", Path: "/admin/jobs/queues/default", Actor: "admin", Status: 200,
			Contains: []string{"Asynq - Monitoring", `setRequestHeader("X-CSRF-Token"`}},
		{Name: "its assets are served as they are", Method: "GET", Path: "/admin/jobs/manifest.json", Actor: "admin", Status: 200,
			NotContains: []string{"setRequestHeader"}},
		{Name: "its API lists the queues", Method: "GET", Path: "/admin/jobs/api/queues", Actor: "admin", Status: 200,
			Contains: []string{`"queue":"default"`, `"scheduled":1`}},
		{Name: "the scheduled task", Method: "GET", Path: "/admin/jobs/api/queues/default/scheduled_tasks", Actor: "admin", Status: 200,
			Contains: []string{"console-test", "sla:rung"}},
		{Name: "a change without the CSRF token is refused", Method: "POST", Path: "/admin/jobs/api/queues/default:pause",
			Actor: "admin", Status: 403, Contains: []string{"页面已过期"}, After: paused(false)},
		{Name: "a dispatcher may not look", Method: "GET", Path: "/admin/jobs", Actor: "dispatcher", Status: 403,
			Contains: []string{"只有系统管理员可以查看和管理后台任务队列"}, NotContains: []string{"Asynq"}},
		{Name: "nor use its API", Method: "GET", Path: "/admin/jobs/api/queues", Actor: "handler", Status: 403,
			NotContains: []string{`"queue"`}},
		{Name: "nor change anything", Method: "POST", Path: "/admin/jobs/api/queues/default:pause", Actor: "dispatcher",
			Headers: csrf, Status: 403, After: paused(false)},
		{Name: "visitors sign in first", Method: "GET", Path: "/admin/jobs/api/queues", Status: 303,
			Header: map[string]string{"Location": "/login?next=%2Fadmin%2Fjobs%2Fapi%2Fqueues"}},
		{Name: "an admin pauses the queue", Method: "POST", Path: "/admin/jobs/api/queues/default:pause", Actor: "admin",
			Headers: csrf, Status: 204, After: paused(true)},
		{Name: "and resumes it", Method: "POST", Path: "/admin/jobs/api/queues/default:resume", Actor: "admin",
			Headers: csrf, Status: 204, After: paused(false)},
		{Name: "the navigation links it", Method: "GET", Path: "/requests/overdue", Actor: "admin", Status: 200,
			Contains: []string{`<a href="/admin/jobs">任务队列</a>`}},
	})

	changes, _, err := ts.w.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "jobs.change"})
	portaltest.Must(t, err, "audit")
	var details []string
	for _, c := range changes {
		if c.ActorID != "u-admin" || c.Outcome != portal.OutcomeOK {
			t.Errorf("audited change %+v, want one by the admin that went through", c)
		}
		details = append(details, c.Detail)
	}
	slices.Sort(details)
	if want := []string{"POST /admin/jobs/api/queues/default:pause", "POST /admin/jobs/api/queues/default:resume"}; !slices.Equal(details, want) {
		t.Errorf("audited changes %q, want %q", details, want)
	}
	denied, _, err := ts.w.Audit.FindAudit(context.Background(), portal.AuditFilter{Action: "jobs.console", Outcome: portal.OutcomeDenied})
	portaltest.Must(t, err, "audit")
	if len(denied) != 3 {
		t.Errorf("%d refusals audited, want 3", len(denied))
	}

	t.Run("off in this process", func(t *testing.T) {
		ui := ts.opt.JobsUI
		ts.opt.JobsUI = nil
		defer func() { ts.opt.JobsUI = ui }()
		ts.runner().Run(t, []portaltest.Scenario{{Name: "503", Method: "GET", Path: "/admin/jobs", Actor: "admin", Status: 503,
			Contains: []string{"后台任务控制台未在此进程中运行"}}})
	})
}
