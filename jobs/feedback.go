package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/huiqi/huiqi/portal"
)

// Task types of the feedback loop (回访).
const (
	// TypeFeedbackRemind starts the phone follow-up of a survey nobody
	// answered (payload: FeedbackPayload).
	TypeFeedbackRemind = "feedback:remind"
	// TypeFeedbackExpire closes a request whose survey nobody answered as
	// unrated (payload: FeedbackPayload).
	TypeFeedbackExpire = "feedback:expire"
	// TypeFeedbackSweep re-derives the survey timers Redis should hold
	// from MongoDB and opens surveys a lost listener never opened.
	TypeFeedbackSweep = "feedback:sweep"
)

// DefaultFeedbackSweepEvery is how often the feedback sweeper runs.
const DefaultFeedbackSweepEvery = 10 * time.Minute

// feedbackQueue is the queue survey timers run on.
const (
	feedbackQueue       = "default"
	feedbackTaskTimeout = time.Minute
	feedbackMaxRetry    = 10
	feedbackSweepBatch  = 500
)

// FeedbackPayload names the survey a timer task acts on.
type FeedbackPayload struct {
	SurveyID string `json:"survey_id"`
}

// FeedbackOptions configure the feedback jobs.
type FeedbackOptions struct {
	Service *portal.FeedbackService
	// Redis is the connection the tasks are enqueued and inspected on.
	Redis redis.UniversalClient
	Log   *slog.Logger
	// SweepEvery is how often the sweeper runs; Horizon how far ahead it
	// schedules (default twice SweepEvery).
	SweepEvery time.Duration
	Horizon    time.Duration
}

// Feedback schedules and runs the timers of surveys on asynq: one
// feedback:remind and one feedback:expire task per survey, with the
// natural ids feedback:remind:<survey> and feedback:expire:<survey>,
// scheduled when the survey opens. MongoDB stays the truth: every handler
// re-reads the survey and its request, and the sweeper puts back what
// Redis lost. It is the portal.SurveyTimers of the feedback service.
type Feedback struct {
	opt       FeedbackOptions
	svc       *portal.FeedbackService
	client    *asynq.Client
	inspector *asynq.Inspector
	log       *slog.Logger
	// wall is the clock asynq schedules on.
	wall func() time.Time
}

var _ portal.SurveyTimers = (*Feedback)(nil)

// NewFeedback returns the feedback jobs; Install them on a runner.
func NewFeedback(opt FeedbackOptions) *Feedback {
	if opt.SweepEvery <= 0 {
		opt.SweepEvery = DefaultFeedbackSweepEvery
	}
	if opt.Horizon <= 0 {
		opt.Horizon = 2 * opt.SweepEvery
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Feedback{opt: opt, svc: opt.Service, client: asynq.NewClientFromRedisClient(opt.Redis),
		inspector: asynq.NewInspectorFromRedisClient(opt.Redis), log: opt.Log.With("component", "feedback"), wall: time.Now}
}

// Install registers the timer and sweep handlers on r, schedules the
// sweep every SweepEvery and queues one start-up sweep.
func (f *Feedback) Install(r *Runner) error {
	r.Handle(TypeFeedbackRemind, f.HandleRemindTask)
	r.Handle(TypeFeedbackExpire, f.HandleExpireTask)
	r.Handle(TypeFeedbackSweep, f.HandleSweepTask)
	return r.installSweep(f.client, TypeFeedbackSweep, f.opt.SweepEvery, []byte(`{"startup":true}`))
}

// feedbackTaskID is the natural id of a survey's timer task.
func feedbackTaskID(taskType, surveyID string) string { return taskType + ":" + surveyID }

// NewFeedbackTask returns the timer task of taskType for a survey, with its natural id.
func NewFeedbackTask(taskType, surveyID string) (*asynq.Task, error) {
	payload, err := json.Marshal(FeedbackPayload{SurveyID: surveyID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(taskType, payload, asynq.TaskID(feedbackTaskID(taskType, surveyID)), asynq.Queue(feedbackQueue),
		asynq.MaxRetry(feedbackMaxRetry), asynq.Timeout(feedbackTaskTimeout)), nil
}

// ScheduleSurvey puts the survey's pending timers in Redis, each at its
// time on the service's clock; timers already there keep their place
// unless due, when they run at once.
func (f *Feedback) ScheduleSurvey(ctx context.Context, sv *portal.Survey) error {
	now := f.svc.Time()
	if sv.State == portal.SurveyPending {
		if err := f.enqueue(ctx, TypeFeedbackRemind, sv.ID, sv.RemindAt, now); err != nil {
			return err
		}
	}
	if sv.Open() {
		return f.enqueue(ctx, TypeFeedbackExpire, sv.ID, sv.CloseAt, now)
	}
	return nil
}

// enqueue adds the task of taskType for a survey due at at (on the
// service's clock, now), carried onto the wall clock asynq schedules by.
// A task already there that is due and still waits is made to run now.
func (f *Feedback) enqueue(ctx context.Context, taskType, surveyID string, at, now time.Time) error {
	task, err := NewFeedbackTask(taskType, surveyID)
	if err != nil {
		return err
	}
	var opts []asynq.Option
	due := !at.After(now)
	if !due {
		opts = append(opts, asynq.ProcessAt(f.wall().Add(at.Sub(now))))
	}
	id := feedbackTaskID(taskType, surveyID)
	_, err = f.client.EnqueueContext(ctx, task, opts...)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, asynq.ErrTaskIDConflict) && !errors.Is(err, asynq.ErrDuplicateTask):
		return fmt.Errorf("enqueue %s: %w", id, err)
	case !due:
		return nil
	}
	info, err := f.inspector.GetTaskInfo(feedbackQueue, id)
	if errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
		// It ran meanwhile; or Redis was wiped after this process listed
		// the queue, and the task waits for its own time.
		return nil
	}
	if err != nil {
		return fmt.Errorf("inspect %s: %w", id, err)
	}
	switch info.State {
	case asynq.TaskStateScheduled, asynq.TaskStateRetry, asynq.TaskStateArchived:
		if err := f.inspector.RunTask(feedbackQueue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return fmt.Errorf("run %s now: %w", id, err)
		}
	}
	return nil
}

// payloadOf decodes a timer task's payload; a bad one is never retried.
func payloadOf(t *asynq.Task) (FeedbackPayload, error) {
	var p FeedbackPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.SurveyID == "" {
		return p, fmt.Errorf("%s payload %q: %w", t.Type(), t.Payload(), asynq.SkipRetry)
	}
	return p, nil
}

// HandleRemindTask starts the phone follow-up of the survey the task
// names, if it is still unanswered and its time has come.
func (f *Feedback) HandleRemindTask(ctx context.Context, t *asynq.Task) error {
	p, err := payloadOf(t)
	if err != nil {
		return err
	}
	out, err := f.svc.Remind(ctx, p.SurveyID)
	if err != nil {
		return fmt.Errorf("remind %s: %w", p.SurveyID, err)
	}
	if out == portal.TimerActed {
		f.log.Info("follow-up assigned", "survey", p.SurveyID)
	}
	return nil
}

// HandleExpireTask closes the request of the survey the task names as
// unrated, if it is still unanswered and its time has come.
func (f *Feedback) HandleExpireTask(ctx context.Context, t *asynq.Task) error {
	p, err := payloadOf(t)
	if err != nil {
		return err
	}
	out, err := f.svc.Expire(ctx, p.SurveyID)
	if err != nil {
		return fmt.Errorf("expire %s: %w", p.SurveyID, err)
	}
	if out == portal.TimerActed {
		f.log.Info("closed unrated", "survey", p.SurveyID)
	}
	return nil
}

// FeedbackSweepResult counts what one feedback sweep did.
type FeedbackSweepResult struct {
	Opened    int // surveys opened (or links resent) for resolved requests without one
	Scheduled int // open surveys with a timer due within the horizon, scheduled
}

// Sweep opens the survey of every resolved request that lacks one, then
// puts the timers of every open survey due within the horizon in Redis
// (those already due run at once).
func (f *Feedback) Sweep(ctx context.Context) (FeedbackSweepResult, error) {
	var res FeedbackSweepResult
	opened, err := f.svc.RepairSurveys(ctx)
	res.Opened = opened
	if err != nil {
		return res, fmt.Errorf("feedback sweep: %w", err)
	}
	now := f.svc.Time()
	svs, err := f.svc.SurveysDue(ctx, now.Add(f.opt.Horizon), feedbackSweepBatch)
	if err != nil {
		return res, fmt.Errorf("feedback sweep: %w", err)
	}
	for _, sv := range svs {
		if err := f.ScheduleSurvey(ctx, sv); err != nil {
			return res, fmt.Errorf("feedback sweep: %w", err)
		}
		res.Scheduled++
	}
	if res.Opened+res.Scheduled > 0 {
		f.log.Info("feedback sweep", "opened", res.Opened, "scheduled", res.Scheduled)
	}
	return res, nil
}

// HandleSweepTask runs one sweep.
func (f *Feedback) HandleSweepTask(ctx context.Context, _ *asynq.Task) error {
	_, err := f.Sweep(ctx)
	return err
}
