package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// feedbackFixture is the demo district with deadlines on the working
// calendar, the feedback service as a request listener whose timers are
// the asynq jobs on a real Redis with a worker, and a clock that stands
// where at puts it.
type feedbackFixture struct {
	*portaltest.World
	mu      sync.Mutex
	clock   time.Time
	fb      *portal.FeedbackService
	jobs    *jobs.Feedback
	surveys *mongostore.SurveyStore
	redis   *portaltest.Redis
	insp    *asynq.Inspector
}

func (f *feedbackFixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

func (f *feedbackFixture) at(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = cstTime(s)
}

func newFeedbackFixture(t *testing.T) *feedbackFixture {
	t.Helper()
	f := &feedbackFixture{clock: cstTime("2026-04-30 08:00")}
	f.World = portaltest.NewWorld(t, portaltest.DB(t), f.now)
	sla := f.WithSLA(t)
	f.surveys = mongostore.NewSurveyStore(f.DB)
	f.fb = &portal.FeedbackService{Requests: f.Requests, Surveys: f.surveys, Calendar: sla.Calendar, MaxReopen: portal.DefaultMaxReopen}
	f.redis = portaltest.StartRedis(t)
	f.insp = asynq.NewInspectorFromRedisClient(f.redis.Client)
	f.jobs = jobs.NewFeedback(jobs.FeedbackOptions{Service: f.fb, Redis: f.redis.Client, Log: quiet})
	f.fb.Timers = f.jobs
	f.Requests.Events = append(f.Requests.Events, f.fb)
	startRunner(t, f.redis, nil, func(r *jobs.Runner) {
		portaltest.Must(t, f.jobs.Install(r), "install the feedback jobs")
	})
	return f
}

func (f *feedbackFixture) act(t *testing.T, user, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := f.Requests.Act(f.As(t, user), id, a, in)
	portaltest.Must(t, err, "%s as %s", a, user)
	return r
}

func (f *feedbackFixture) survey(t *testing.T, id string) *portal.Survey {
	t.Helper()
	sv, err := f.surveys.FindSurveyByID(context.Background(), id)
	portaltest.Must(t, err, "survey %s", id)
	return sv
}

func (f *feedbackFixture) request(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := f.Store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "request %s", id)
	return r
}

// TestFeedbackTimersOnRedis runs a survey's timers through asynq on a
// real Redis under a moved clock, across the Labour Day holiday, a
// weekend and a make-up working Saturday: the follow-up starts at the end
// of the third working day, the unrated close at the end of the seventh,
// neither a minute early; and after Redis is wiped the sweeper re-derives
// the timer from MongoDB.
func TestFeedbackTimersOnRedis(t *testing.T) {
	f := newFeedbackFixture(t)
	ctx := context.Background()
	r, err := f.Requests.File(f.As(t, "enterprise"), portal.RequestInput{Title: "港区货车通行证续办",
		Description: "通行证月底到期，续办材料要求前后不一致，请协助明确。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file")
	f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	f.at("2026-04-30 10:00") // the day before the holiday
	f.act(t, "handler", r.ID, portal.ActResolve, portal.ActionInput{Text: "通行证已全部续办，有效期一年。"})
	id := portal.SurveyID(r.ID, 0)
	for _, typ := range []string{jobs.TypeFeedbackRemind, jobs.TypeFeedbackExpire} {
		info, err := f.insp.GetTaskInfo("default", typ+":"+id)
		if err != nil || info.State != asynq.TaskStateScheduled {
			t.Fatalf("%s of the new survey: %v %v, want scheduled", typ, info, err)
		}
	}

	// A minute before the end of Friday 8 May: not yet.
	f.at("2026-05-08 23:59")
	res, err := f.jobs.Sweep(ctx)
	portaltest.Must(t, err, "sweep")
	if res.Scheduled != 1 {
		t.Errorf("sweep scheduled %d surveys, want the one due within the horizon", res.Scheduled)
	}
	if sv := f.survey(t, id); sv.State != portal.SurveyPending {
		t.Fatalf("survey %s before the third working day ended", sv.State)
	}

	// The end of the third working day: the sweep runs the waiting task now.
	f.at("2026-05-09 00:00")
	_, err = f.jobs.Sweep(ctx)
	portaltest.Must(t, err, "sweep")
	portaltest.Eventually(t, 20*time.Second, "the follow-up starts", func() bool {
		return f.survey(t, id).State == portal.SurveyFollowUp
	})
	if sv := f.survey(t, id); sv.FollowUpID != "u-liaison" {
		t.Errorf("follow-up owner %q, want the first-contact owner u-liaison", sv.FollowUpID)
	}

	f.at("2026-05-13 23:59")
	_, err = f.jobs.Sweep(ctx)
	portaltest.Must(t, err, "sweep")
	if got := f.request(t, r.ID); got.Status != portal.StatusResolved {
		t.Fatalf("closed before the seventh working day ended: %s", got.Status)
	}
	// Redis is wiped: only MongoDB knows the unrated close is due.
	portaltest.Must(t, f.redis.Client.FlushAll(ctx).Err(), "flush redis")
	f.at("2026-05-14 00:00")
	_, err = f.jobs.Sweep(ctx)
	portaltest.Must(t, err, "sweep")
	portaltest.Eventually(t, 20*time.Second, "the request closes unrated", func() bool {
		return f.survey(t, id).State != portal.SurveyFollowUp // the survey is settled after the request
	})
	closed := f.request(t, r.ID)
	if closed.Status != portal.StatusClosed || !closed.Unrated || f.survey(t, id).State != portal.SurveyUnrated {
		t.Errorf("after the seventh working day: status %s, unrated %v, survey %s", closed.Status, closed.Unrated, f.survey(t, id).State)
	}

	// A redelivery changes nothing.
	task, err := jobs.NewFeedbackTask(jobs.TypeFeedbackExpire, id)
	portaltest.Must(t, err, "task")
	portaltest.Must(t, f.jobs.HandleExpireTask(ctx, task), "redeliver expire")
	remind, err := jobs.NewFeedbackTask(jobs.TypeFeedbackRemind, id)
	portaltest.Must(t, err, "task")
	portaltest.Must(t, f.jobs.HandleRemindTask(ctx, remind), "redeliver remind")
	if got := f.request(t, r.ID); got.Version != closed.Version {
		t.Errorf("a redelivered timer changed the request: version %d → %d", closed.Version, got.Version)
	}
	if err := f.jobs.HandleExpireTask(ctx, asynq.NewTask(jobs.TypeFeedbackExpire, []byte("{"))); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("a bad payload: %v, want it not retried", err)
	}
}

// TestFeedbackSweepOpensLostSurveys shows the sweeper opening the survey
// of a request resolved while no listener ran (the demo seeding, a crash).
func TestFeedbackSweepOpensLostSurveys(t *testing.T) {
	f := newFeedbackFixture(t)
	f.Requests.Events = nil
	r, err := f.Requests.File(f.As(t, "enterprise"), portal.RequestInput{Title: "冷链车辆夜间通行备案",
		Description: "冷链车凌晨配送需要夜间通行备案，请协助办理。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file")
	f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	f.act(t, "handler", r.ID, portal.ActResolve, portal.ActionInput{Text: "夜间通行备案已办理完成。"})
	res, err := f.jobs.Sweep(context.Background())
	portaltest.Must(t, err, "sweep")
	if res.Opened != 1 {
		t.Fatalf("the sweep opened %d surveys, want 1", res.Opened)
	}
	if sv := f.survey(t, portal.SurveyID(r.ID, 0)); sv.State != portal.SurveyPending || sv.NotifiedAt == nil {
		t.Errorf("the opened survey: %+v", sv)
	}
}
