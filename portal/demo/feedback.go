package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// The feedback stage of the demo (回访): after the requests' stories are
// played, SeedFeedback plays what the enterprises said about the resolved
// ones, on the same kind of clock, through the real FeedbackService:
// most answer the survey within hours, some only when their liaison
// phones, some never (closed as 未评价), and some are unhappy, so that
// their requests are re-handled — one of them resolved again and waiting
// for its second answer. Requests resolved in the last days keep their
// surveys open.

// feedbackPlan is what one resolved request's enterprise does.
type feedbackPlan int

const (
	fbSatisfied feedbackPlan = iota // answers the link within hours: solved, satisfied
	fbBasic                         // answers the link: partly solved, basically satisfied
	fbPhone                         // does not answer; the follow-up call gets a solved, satisfied answer
	fbUnhappy                       // answers the link: unsolved, dissatisfied → re-handled
	fbSilent                        // never answers: the follow-up call goes unanswered, closed as 未评价
)

// feedbackPlans is the cycle the resolved requests follow, oldest first.
var feedbackPlans = []feedbackPlan{fbSatisfied, fbBasic, fbPhone, fbSatisfied, fbUnhappy, fbSilent, fbSatisfied, fbPhone}

// feedbackComments are what unhappy and happy enterprises write.
var (
	unhappyComment   = "问题还没有实际解决，希望承办单位再到现场看一看，给出明确的解决时间。"
	satisfiedComment = "办理很及时，感谢！"
)

// SeedFeedback plays the feedback stage of the demo requests that
// SeedRequests left resolved, as of now, and returns how many surveys it
// opened. svc's request service must be the one the requests were seeded
// through; svc itself is copied onto the story clock.
func SeedFeedback(ctx context.Context, svc *portal.FeedbackService, now time.Time) (int, error) {
	store := svc.Requests.Store
	rs, _, err := store.FindRequests(ctx, portal.RequestFilter{Statuses: []portal.Status{portal.StatusResolved}, Limit: 1000})
	if err != nil {
		return 0, fmt.Errorf("find resolved requests: %w", err)
	}
	slices.SortFunc(rs, func(a, b *portal.Request) int { return a.ResolvedAt.Compare(*b.ResolvedAt) })
	cal, err := svc.Calendar.Current(ctx)
	if err != nil {
		return 0, err
	}
	p := &feedbackPlayer{base: svc, now: now, users: map[string]context.Context{}}
	opened, unhappy := 0, 0
	for i, r := range rs {
		plan := feedbackPlans[i%len(feedbackPlans)]
		if plan == fbUnhappy {
			unhappy++
		}
		n, err := p.play(ctx, r.ID, plan, unhappy%2 == 1, cal.AddWorkingDays)
		if err != nil {
			return opened, fmt.Errorf("demo feedback of %s: %w %v", r.No, err, portal.ErrorFields(err))
		}
		opened += n
	}
	return opened, nil
}

// feedbackPlayer plays the feedback of the demo requests.
type feedbackPlayer struct {
	base  *portal.FeedbackService
	now   time.Time
	users map[string]context.Context // user id → acting context
}

// at returns a copy of the feedback service (and of its request service,
// whose feedback listener is the copy) whose clock is t and which tells users
// only of changes of the last days, as SeedRequests does.
func (p *feedbackPlayer) at(t time.Time) *portal.FeedbackService {
	clock := func() time.Time { return t }
	f := *p.base
	f.Now, f.Timers = clock, nil
	f.Requests = clocked(p.base.Requests, clock)
	// Other listeners (the rate counters) hear every change; the feedback
	// listener is this copy, on the story clock.
	f.Requests.Events = nil
	for _, l := range p.base.Requests.Events {
		if _, ok := l.(*portal.FeedbackService); !ok {
			f.Requests.Events = append(f.Requests.Events, l)
		}
	}
	f.Requests.Events = append(f.Requests.Events, &f)
	if p.now.Sub(t) >= demoUnreadFor {
		f.Requests.Notify = nil
	}
	return &f
}

// as returns a context acting as the user with id.
func (p *feedbackPlayer) as(ctx context.Context, id string) (context.Context, error) {
	if c, ok := p.users[id]; ok {
		return c, nil
	}
	u, err := p.base.Requests.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("demo user %s: %w", id, err)
	}
	c := portal.WithActor(ctx, u.Actor())
	p.users[id] = c
	return c, nil
}

// enterprise returns a context acting as the enterprise's contact who
// opened the survey link.
func enterpriseAs(ctx context.Context, r *portal.Request) context.Context {
	return portal.WithActor(ctx, &portal.Actor{UserID: "contact:" + r.EnterpriseID, Username: "contact",
		DisplayName: r.ContactName + "（" + r.EnterpriseName + "）", Roles: []portal.Role{portal.RoleEnterprise},
		EnterpriseID: r.EnterpriseID})
}

// play runs plan for the request with id up to now: it opens the round's
// survey and acts at the moments the plan says, skipping whatever would
// happen after now. An unhappy request with again set is re-handled and
// resolved once more, its second survey played as fbSatisfied.
func (p *feedbackPlayer) play(ctx context.Context, id string, plan feedbackPlan, again bool,
	addWorkingDays func(time.Time, int) (time.Time, string, error)) (int, error) {
	r, err := p.base.Requests.Store.FindRequestByID(ctx, id)
	if err != nil {
		return 0, err
	}
	resolved := *r.ResolvedAt
	sv, err := p.at(resolved).EnsureSurvey(ctx, r)
	if err != nil {
		return 0, err
	}
	opened := 1
	answer := func(at time.Time, in portal.FeedbackInput) (*portal.FeedbackResult, error) {
		if at.After(p.now) {
			return nil, nil
		}
		return p.at(at).AnswerAsEnterprise(enterpriseAs(ctx, r), id, in)
	}
	hours := func(h int) time.Time { return resolved.Add(time.Duration(h)*time.Hour + 17*time.Minute) }
	switch plan {
	case fbSatisfied:
		_, err = answer(hours(5), portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied, Comment: satisfiedComment})
	case fbBasic:
		_, err = answer(hours(20), portal.FeedbackInput{Solved: portal.Partly, Satisfaction: portal.Basic})
	case fbUnhappy:
		var res *portal.FeedbackResult
		res, err = answer(hours(3), portal.FeedbackInput{Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied, Comment: unhappyComment})
		if err == nil && res != nil && again && res.Decision == portal.DecideReopen {
			var n int
			n, err = p.rehandle(ctx, res.Request, addWorkingDays)
			opened += n
		}
	case fbPhone, fbSilent:
		err = p.timers(ctx, sv, plan == fbPhone)
	}
	return opened, err
}

// timers fires the survey's follow-up and, when phone is set, records
// the answer the follow-up call got two hours later; otherwise the
// request closes as unrated when its time comes.
func (p *feedbackPlayer) timers(ctx context.Context, sv *portal.Survey, phone bool) error {
	if sv.RemindAt.After(p.now) {
		return nil
	}
	if _, err := p.at(sv.RemindAt.Add(9*time.Hour)).Remind(ctx, sv.ID); err != nil {
		return err
	}
	cur, err := p.base.Surveys.FindSurveyByID(ctx, sv.ID)
	if err != nil {
		return err
	}
	call := cur.RemindAt.Add(11 * time.Hour)
	if phone && cur.FollowUpID != "" && !call.After(p.now) {
		as, err := p.as(ctx, cur.FollowUpID)
		if err != nil {
			return err
		}
		_, err = p.at(call).RecordPhone(as, cur.RequestID, portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied,
			Comment: "电话回访：企业表示问题已解决，对办理结果满意。"})
		return err
	}
	if phone || cur.CloseAt.After(p.now) {
		return nil
	}
	_, err = p.at(cur.CloseAt.Add(2*time.Hour)).Expire(ctx, sv.ID)
	return err
}

// rehandle has the department sign the reopened request the next morning
// and resolve it two working days later; the enterprise then answers the
// second survey as satisfied, when that time has come.
func (p *feedbackPlayer) rehandle(ctx context.Context, r *portal.Request, addWorkingDays func(time.Time, int) (time.Time, string, error)) (int, error) {
	active, unit := portal.UserActive, r.DepartmentID
	users, _, err := p.base.Requests.Users.FindUsers(ctx, portal.UserFilter{UnitID: &unit, Status: &active, Limit: 50})
	if err != nil {
		return 0, err
	}
	var handler *portal.User
	for _, u := range users {
		if slices.Contains(u.Roles, portal.RoleHandler) || slices.Contains(u.Roles, portal.RoleDeptHead) {
			handler = u
			break
		}
	}
	if handler == nil {
		return 0, nil
	}
	as := portal.WithActor(ctx, handler.Actor())
	reopened := r.UpdatedAt
	next, _, err := addWorkingDays(reopened, 1)
	if err != nil {
		return 0, err
	}
	sign := next.Add(-14*time.Hour - 25*time.Minute) // 09:35 of the next working day
	if sign.After(p.now) {
		return 0, nil
	}
	if _, err := p.at(sign).Requests.Act(as, r.ID, portal.ActSign, portal.ActionInput{}); err != nil {
		return 0, err
	}
	done, _, err := addWorkingDays(reopened, 3)
	if err != nil {
		return 0, err
	}
	resolve := done.Add(-8*time.Hour - 20*time.Minute) // 15:40 of the third working day
	if resolve.After(p.now) {
		return 0, nil
	}
	again, err := p.at(resolve).Requests.Act(as, r.ID, portal.ActResolve, portal.ActionInput{
		Text: "重新办理：已会同相关单位再次到企业现场核实并落实整改，" + r.Resolution})
	if err != nil {
		return 0, err
	}
	n, err := p.play(ctx, again.ID, fbSatisfied, false, addWorkingDays)
	return n, err
}
