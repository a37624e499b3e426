package portal

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// NotifyFeedback is the notification kind of the feedback loop: survey
// links, follow-up tasks and answers sent to review.
const NotifyFeedback = "feedback"

// Periods of the feedback loop (回访).
const (
	// SurveyLinkValidFor is how long a survey link works.
	SurveyLinkValidFor = 7 * 24 * time.Hour
	// FollowUpAfterWorkingDays is how many working days without an answer
	// start the phone follow-up.
	FollowUpAfterWorkingDays = 3
	// UnratedAfterWorkingDays is how many working days without an answer
	// close the request as unrated (未评价).
	UnratedAfterWorkingDays = 7
	// DefaultMaxReopen is how many times feedback reopens a request before
	// an unhappy answer goes to a dispatcher for review instead.
	DefaultMaxReopen = 2
	// MaxFeedbackComment caps the enterprise's comment, in characters.
	MaxFeedbackComment = 500
)

// FeedbackDecision is what an answer does to the request.
type FeedbackDecision string

// Decisions on an answer.
const (
	DecideClose  FeedbackDecision = "close"  // solved or partly, and (basically) satisfied: closed
	DecideReopen FeedbackDecision = "reopen" // unsolved or dissatisfied: re-handled with new deadlines
	DecideReview FeedbackDecision = "review" // unhappy again after the reopenings allowed: a dispatcher reviews
)

// FeedbackDecisionNames say what happened, as the survey's thank-you page
// and the flash messages put it.
var FeedbackDecisionNames = map[FeedbackDecision]string{
	DecideClose:  "诉求已办结关闭",
	DecideReopen: "诉求已退回承办单位重新办理",
	DecideReview: "诉求已转分拨员复核",
}

// Decide returns what an answer does to a request that feedback has
// reopened reopened times, when at most maxReopen reopenings are allowed.
func Decide(fb *Feedback, reopened, maxReopen int) FeedbackDecision {
	switch {
	case !fb.Unhappy():
		return DecideClose
	case reopened < maxReopen:
		return DecideReopen
	default:
		return DecideReview
	}
}

// Timeline actions of the feedback loop beyond ActClose and ActReopen.
const (
	actFeedbackReview = "feedback_review" // unhappy after the reopenings allowed
	actUnrated        = "feedback_unrated"
)

// FeedbackService runs the feedback loop (回访): it opens a survey when a
// request is resolved and sends the enterprise its link, takes the answer
// (by link, signed in, or recorded by an officer who phoned) and closes,
// reopens or sends the request to review in the same version-guarded
// update that stores the answer, and acts on the survey's timers: the
// phone follow-up after FollowUpAfterWorkingDays and the unrated close
// after UnratedAfterWorkingDays. It is a RequestEvents listener.
type FeedbackService struct {
	Requests *RequestService
	Surveys  SurveyStore
	Calendar WorkingCalendar
	// Timers schedules the survey timers; nil leaves them to the sweeper.
	Timers SurveyTimers
	// MaxReopen is how many reopenings feedback may cause (0: every
	// unhappy answer goes to review).
	MaxReopen int
	// Now is the clock; nil uses the request service's.
	Now func() time.Time
}

var _ RequestEvents = (*FeedbackService)(nil)

func (s *FeedbackService) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return s.Requests.now()
}

// Time returns the service's current time, which the timers compare with.
func (s *FeedbackService) Time() time.Time { return s.now() }

// systemFeedback acts for the feedback loop's timers.
var systemFeedback = &Actor{Username: "system", DisplayName: "系统"}

// Errors of survey links. A token that cannot be one or is unknown is
// 404; one whose survey is over is 410.
var (
	errSurveyNotFound = Errorf(ENOTFOUND, "评价链接无效。请核对短信或通知中的链接是否完整。")
	errSurveyExpired  = Errorf(EGONE, "评价链接已过期（有效期 7 天）。如需反馈意见，请联系您的专班联络员。")
	errSurveyUsed     = Errorf(EGONE, "该诉求本轮办理已完成评价，链接已失效。感谢您的反馈！")
	errSurveyUnrated  = Errorf(EGONE, "该诉求已超过评价期限并已关闭，链接已失效。")
	errSurveyMoved    = Errorf(EGONE, "该诉求已重新办理或已转复核，本轮评价链接已失效。")
)

// FeedbackInput is an answer to a survey.
type FeedbackInput struct {
	Solved       Solved       `json:"solved"`
	Satisfaction Satisfaction `json:"satisfaction"`
	Comment      string       `json:"comment"`
}

// check validates the input into a Feedback given by via.
func (in FeedbackInput) check(via FeedbackVia) (*Feedback, error) {
	f := map[string]string{}
	switch _, ok := SolvedNames[in.Solved]; {
	case in.Solved == "":
		f["solved"] = "请选择问题是否解决"
	case !ok:
		f["solved"] = "未知的选项，请选择解决、部分解决或未解决"
	}
	switch _, ok := SatisfactionNames[in.Satisfaction]; {
	case in.Satisfaction == "":
		f["satisfaction"] = "请选择满意程度"
	case !ok:
		f["satisfaction"] = "未知的选项，请选择满意、基本满意或不满意"
	}
	comment := checkText(f, "comment", "意见建议", in.Comment, 0, MaxFeedbackComment)
	if len(f) > 0 {
		return nil, Invalid("评价内容有误", f)
	}
	return &Feedback{Solved: in.Solved, Satisfaction: in.Satisfaction, Comment: comment, Via: via}, nil
}

// SurveyView is what the survey page shows of a request.
type SurveyView struct {
	Survey         *Survey
	RequestID      string
	No             string
	Title          string
	EnterpriseName string
	DepartmentName string
	Resolution     string
	ResolvedAt     time.Time
}

// FeedbackResult is what an answer did.
type FeedbackResult struct {
	Request  *Request         `json:"request"`
	Decision FeedbackDecision `json:"decision"`
}

// ---------- the survey of a round ----------

// RequestChanged opens the survey of a round when a request is resolved.
func (s *FeedbackService) RequestChanged(ctx context.Context, before, after *Request, _ string) error {
	if after == nil || after.Status != StatusResolved {
		return nil
	}
	if before != nil && before.Status == StatusResolved && before.Reopened == after.Reopened {
		return nil
	}
	_, err := s.EnsureSurvey(ctx, after)
	return err
}

// awaits reports whether r still waits for the answer of sv's round.
func awaits(r *Request, sv *Survey) bool {
	return r.Status == StatusResolved && r.Reopened == sv.Round && r.ResolvedAt != nil
}

// notifyGrace is how long a survey may wait for its link to go out
// before a repair sends a new one: the creator is still sending it.
const notifyGrace = 5 * time.Minute

// EnsureSurvey returns the survey of r's current round, opening it (and
// sending the link) when r is resolved and has none, and sending a new
// link when the first one was lost. It returns nil for a request that is
// not resolved.
func (s *FeedbackService) EnsureSurvey(ctx context.Context, r *Request) (*Survey, error) {
	if r.Status != StatusResolved || r.ResolvedAt == nil {
		return nil, nil
	}
	id := SurveyID(r.ID, r.Reopened)
	sv, err := s.Surveys.FindSurveyByID(ctx, id)
	switch {
	case err == nil:
		if sv.NotifiedAt == nil && sv.Open() && s.now().Sub(sv.CreatedAt) >= notifyGrace {
			return s.resend(ctx, sv, r)
		}
		return sv, nil
	case !IsCode(err, ENOTFOUND):
		return nil, err
	}
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	resolved := r.ResolvedAt.UTC()
	remind, _, err := cal.AddWorkingDays(resolved, FollowUpAfterWorkingDays)
	if err != nil {
		return nil, Internal(fmt.Errorf("survey reminder of %s: %w", r.ID, err))
	}
	closeAt, _, err := cal.AddWorkingDays(resolved, UnratedAfterWorkingDays)
	if err != nil {
		return nil, Internal(fmt.Errorf("survey close of %s: %w", r.ID, err))
	}
	token, hash, err := newSurveyToken()
	if err != nil {
		return nil, err
	}
	now := s.now()
	remind, closeAt = remind.UTC(), closeAt.UTC()
	sv = &Survey{ID: id, RequestID: r.ID, RequestNo: r.No, Title: r.Title, EnterpriseID: r.EnterpriseID,
		EnterpriseName: r.EnterpriseName, ContactName: r.ContactName, ContactPhone: r.ContactPhone, Round: r.Reopened, TokenHash: hash, State: SurveyPending, ResolvedAt: resolved,
		ExpiresAt: resolved.Add(SurveyLinkValidFor), RemindAt: remind, CloseAt: closeAt, NextAt: &remind,
		CreatedAt: now, UpdatedAt: now}
	if err := s.Surveys.CreateSurvey(ctx, sv); err != nil {
		if IsCode(err, ECONFLICT) {
			return s.Surveys.FindSurveyByID(ctx, id) // a racing listener or repair opened it
		}
		return nil, err
	}
	if err := s.Requests.Audit.Record(WithActor(ctx, systemFeedback), "survey.open", "request", r.ID, OutcomeOK,
		fmt.Sprintf("%s 第 %d 轮", r.No, r.Reopened+1)); err != nil {
		return nil, Internal(err)
	}
	if err := s.sendLink(ctx, sv, r, token); err != nil {
		return sv, err
	}
	if s.Timers != nil {
		if err := s.Timers.ScheduleSurvey(ctx, sv); err != nil {
			return sv, err // the sweeper schedules it later
		}
	}
	return sv, nil
}

// resend gives sv a new token and sends its link: the first link was
// lost before it reached anyone, so no working link is invalidated.
func (s *FeedbackService) resend(ctx context.Context, sv *Survey, r *Request) (*Survey, error) {
	token, hash, err := newSurveyToken()
	if err != nil {
		return nil, err
	}
	next := *sv
	next.TokenHash, next.UpdatedAt = hash, s.now()
	if err := s.Surveys.UpdateSurvey(ctx, &next, sv.Version); err != nil {
		if IsCode(err, ECONFLICT) {
			return s.Surveys.FindSurveyByID(ctx, sv.ID)
		}
		return nil, err
	}
	if err := s.sendLink(ctx, &next, r, token); err != nil {
		return &next, err
	}
	return &next, nil
}

// sendLink notifies the enterprise's users of the survey link carrying
// token and records that the link went out.
func (s *FeedbackService) sendLink(ctx context.Context, sv *Survey, r *Request, token string) error {
	if s.Requests.Notify != nil {
		active, ent := UserActive, r.EnterpriseID
		users, _, err := s.Requests.Users.FindUsers(ctx, UserFilter{EnterpriseID: &ent, Status: &active, Limit: 100})
		if err != nil {
			return err
		}
		ns := make([]*Notification, 0, len(users))
		for _, u := range users {
			ns = append(ns, &Notification{ID: NewID(), UserID: u.ID, Kind: NotifyFeedback,
				Title: fmt.Sprintf("请评价诉求“%s”的办理结果", r.Title),
				Body:  fmt.Sprintf("诉求 %s 已由%s办结。请在 7 天内告诉我们问题是否解决、是否满意。", r.No, cmp.Or(r.DepartmentName, "承办单位")),
				Link:  "/feedback/" + token, DedupKey: fmt.Sprintf("feedback:%s:%s:%s", sv.ID, sv.TokenHash[:12], u.ID),
				CreatedAt: s.now()})
		}
		if len(ns) > 0 {
			if _, err := s.Requests.Notify.CreateNotifications(ctx, ns); err != nil {
				return err
			}
		}
	}
	for attempt := 0; attempt < 5; attempt++ {
		now := s.now()
		next := *sv
		next.NotifiedAt, next.UpdatedAt = &now, now
		err := s.Surveys.UpdateSurvey(ctx, &next, sv.Version)
		if err == nil {
			*sv = next
			return nil
		}
		if !IsCode(err, ECONFLICT) {
			return err
		}
		cur, ferr := s.Surveys.FindSurveyByID(ctx, sv.ID)
		if ferr != nil {
			return ferr
		}
		if cur.NotifiedAt != nil || cur.TokenHash != sv.TokenHash {
			return nil
		}
		*sv = *cur
	}
	return Errorf(ECONFLICT, "评价 %s 一直在被修改", sv.ID)
}

// ---------- answering ----------

// surveyByToken returns the open survey a link's token belongs to.
func (s *FeedbackService) surveyByToken(ctx context.Context, token string) (*Survey, *Request, error) {
	if !wellFormedToken(token) {
		return nil, nil, errSurveyNotFound
	}
	sv, err := s.Surveys.FindSurveyByTokenHash(ctx, hashSurveyToken(token))
	if IsCode(err, ENOTFOUND) {
		return nil, nil, errSurveyNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := s.openRound(ctx, sv)
	if err != nil {
		return nil, nil, err
	}
	if !s.now().Before(sv.ExpiresAt) {
		return nil, nil, errSurveyExpired
	}
	return sv, r, nil
}

// openRound returns the request of an open survey, or the error that says
// why the survey is over.
func (s *FeedbackService) openRound(ctx context.Context, sv *Survey) (*Request, error) {
	switch sv.State {
	case SurveyAnswered:
		return nil, errSurveyUsed
	case SurveyUnrated:
		return nil, errSurveyUnrated
	case SurveyVoid:
		return nil, errSurveyMoved
	}
	r, err := s.Requests.Store.FindRequestByID(ctx, sv.RequestID)
	if IsCode(err, ENOTFOUND) {
		return nil, errSurveyNotFound
	}
	if err != nil {
		return nil, err
	}
	if !awaits(r, sv) {
		switch {
		case r.Feedback != nil && !r.Feedback.At.Before(sv.ResolvedAt):
			return nil, errSurveyUsed
		case r.Unrated:
			return nil, errSurveyUnrated
		}
		return nil, errSurveyMoved
	}
	return r, nil
}

// viewOf is what the survey page shows of sv and r.
func viewOf(sv *Survey, r *Request) *SurveyView {
	return &SurveyView{Survey: sv, RequestID: r.ID, No: r.No, Title: r.Title, EnterpriseName: r.EnterpriseName,
		DepartmentName: r.DepartmentName, Resolution: r.Resolution, ResolvedAt: *r.ResolvedAt}
}

// OpenSurvey returns what the survey page of a link shows, without
// signing in: ENOTFOUND for a token that is malformed or unknown, EGONE
// for a survey answered, expired or over.
func (s *FeedbackService) OpenSurvey(ctx context.Context, token string) (*SurveyView, error) {
	sv, r, err := s.surveyByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	return viewOf(sv, r), nil
}

// AnswerByToken takes the enterprise's answer through its survey link.
// The link works once: of two submissions racing, exactly one is stored
// and the other hears that the survey is answered.
func (s *FeedbackService) AnswerByToken(ctx context.Context, token string, in FeedbackInput) (*FeedbackResult, error) {
	sv, r, err := s.surveyByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	fb, err := in.check(ViaLink)
	if err != nil {
		return nil, err
	}
	who := &Actor{Username: "survey-link", DisplayName: r.EnterpriseName + "（在线评价）"}
	if a := ActorFrom(ctx); a != nil {
		who.ClientIP = a.ClientIP
	}
	return s.settle(WithActor(ctx, who), sv, fb)
}

// enterpriseSurvey returns the open survey of a request for the signed-in
// enterprise that filed it: ENOTFOUND when the actor may not see the
// request, EFORBIDDEN when it is not the request's enterprise.
func (s *FeedbackService) enterpriseSurvey(ctx context.Context, requestID string) (*Survey, *Request, error) {
	r, err := s.Requests.load(ctx, requestID)
	if err != nil {
		return nil, nil, err
	}
	a := ActorFrom(ctx)
	if !a.Has(RoleEnterprise) || a.EnterpriseID != r.EnterpriseID {
		return nil, nil, Errorf(EFORBIDDEN, "只有提出诉求的企业可以评价办理结果")
	}
	if r.Status != StatusResolved {
		return nil, nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("诉求当前状态为“%s”，不在待评价阶段", StatusNames[r.Status]),
			Fields: map[string]string{"status": string(r.Status)}}
	}
	sv, err := s.EnsureSurvey(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	r, err = s.openRound(ctx, sv)
	if err != nil {
		return nil, nil, err
	}
	return sv, r, nil
}

// SurveyForEnterprise returns what the signed-in enterprise's survey page
// of one of its resolved requests shows; signed in, the enterprise needs
// no link, and its answer counts as one given by link.
func (s *FeedbackService) SurveyForEnterprise(ctx context.Context, requestID string) (*SurveyView, error) {
	sv, r, err := s.enterpriseSurvey(ctx, requestID)
	if err != nil {
		return nil, err
	}
	return viewOf(sv, r), nil
}

// AnswerAsEnterprise takes the signed-in enterprise's answer about one of
// its resolved requests.
func (s *FeedbackService) AnswerAsEnterprise(ctx context.Context, requestID string, in FeedbackInput) (*FeedbackResult, error) {
	sv, _, err := s.enterpriseSurvey(ctx, requestID)
	if err != nil {
		return nil, err
	}
	fb, err := in.check(ViaLink)
	if err != nil {
		return nil, err
	}
	return s.settle(ctx, sv, fb)
}

// mayRecord reports whether a, who sees r, may record a phone answer: an
// admin, a dispatcher, the request's first-contact owner or its liaison.
func mayRecord(a *Actor, r *Request) bool {
	switch {
	case a.IsAdmin() || a.Has(RoleDispatcher):
		return true
	case r.FirstContactID != "" && r.FirstContactID == a.UserID:
		return true
	case a.Has(RoleLiaison) && (r.LiaisonID == a.UserID || r.FiledByID == a.UserID):
		return true
	}
	return false
}

// RecordPhone records the answer an officer got by phoning the enterprise
// (电话回访), marked as such and with the officer's name: the request's
// first-contact owner, its liaison, a dispatcher or an admin who sees it.
func (s *FeedbackService) RecordPhone(ctx context.Context, requestID string, in FeedbackInput) (*FeedbackResult, error) {
	r, err := s.Requests.load(ctx, requestID)
	if err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	if !mayRecord(a, r) {
		return nil, Errorf(EFORBIDDEN, "只有首接负责人、联络员、分拨员或系统管理员可以记录回访结果")
	}
	if r.Status != StatusResolved {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("诉求当前状态为“%s”，不在待评价阶段，不能记录回访结果", StatusNames[r.Status]),
			Fields: map[string]string{"status": string(r.Status)}}
	}
	fb, err := in.check(ViaPhone)
	if err != nil {
		return nil, err
	}
	fb.RecordedByID, fb.RecordedByName = a.UserID, a.Name()
	sv, err := s.EnsureSurvey(ctx, r)
	if err != nil {
		return nil, err
	}
	if _, err := s.openRound(ctx, sv); err != nil {
		return nil, err
	}
	return s.settle(ctx, sv, fb)
}

// settle stores fb on the request of sv's round and closes, reopens or
// returns it for review, in one version-guarded update: the request's
// version claim makes the first answer win and every later one (or a
// loser of a race) find the round answered. The survey is marked after.
func (s *FeedbackService) settle(ctx context.Context, sv *Survey, fb *Feedback) (*FeedbackResult, error) {
	a := ActorFrom(ctx)
	began := time.Now()
	for attempt := 0; ; attempt++ {
		r, err := s.openRound(ctx, sv)
		if err != nil {
			return nil, err
		}
		now := s.now()
		answer := *fb
		answer.At = now
		next := cloneRequest(r)
		next.Feedback = &answer
		decision := Decide(&answer, r.Reopened, s.MaxReopen)
		note := fmt.Sprintf("%s：%s，%s", FeedbackViaNames[answer.Via], SolvedNames[answer.Solved], SatisfactionNames[answer.Satisfaction])
		if answer.Comment != "" {
			note += "。意见：" + answer.Comment
		}
		ev := Event{At: now, ActorID: a.UserID, ActorName: a.Name(), From: r.Status}
		switch decision {
		case DecideClose:
			next.Status, next.ClosedAt = StatusClosed, &now
			ev.Action = string(ActClose)
		case DecideReopen:
			next.Reopened++
			next.HandlerID, next.HandlerName = "", ""
			if err := s.Requests.plan(ctx, next, now); err != nil {
				return nil, err
			}
			next.Status = StatusReopened
			ev.Action, ev.Department = string(ActReopen), r.DepartmentName
			note += fmt.Sprintf("；第 %d 次重办", next.Reopened)
		case DecideReview:
			next.ReturnReason = fmt.Sprintf("已重办 %d 次仍不满意，请复核", r.Reopened)
			ev.Department = r.DepartmentName
			leaveDepartment(next)
			next.DepartmentID, next.DepartmentName, next.HandlerID, next.HandlerName = "", "", "", ""
			next.SLA = nil
			next.Status = StatusReturned
			ev.Action = actFeedbackReview
			note += "；" + next.ReturnReason
		}
		ev.Note, ev.To = note, next.Status
		next.Timeline = append(next.Timeline, ev)
		next.DueAt = nil
		if next.Status == StatusReopened {
			next.DueAt = next.SLA.NextDue()
		}
		next.UpdatedAt = now
		if err := s.Requests.planRungs(ctx, next); err != nil {
			return nil, err
		}
		err = s.Requests.Store.UpdateRequest(ctx, next, r.Version)
		if IsCode(err, ECONFLICT) && time.Since(began) < fireRetryFor {
			if err := fireBackoff(ctx, attempt); err != nil {
				return nil, err
			}
			continue // the re-read finds the round answered, or retries a change that was not an answer
		}
		if err != nil {
			return nil, s.Requests.conflictNow(ctx, r.ID, err)
		}
		if err := s.Requests.Audit.Record(ctx, "request.feedback_"+string(decision), "request", r.ID, OutcomeOK, next.No+" "+note); err != nil {
			return nil, Internal(err)
		}
		s.Requests.after(ctx, r, next, ev.Action)
		if decision == DecideReview {
			if err := s.notifyReview(ctx, next); err != nil {
				s.Requests.log().Error("notify feedback review", "request", next.ID, "err", err)
			}
		}
		s.finish(ctx, sv, SurveyAnswered)
		return &FeedbackResult{Request: next, Decision: decision}, nil
	}
}

// notifyReview tells the dispatchers of the request's area that an
// unhappy answer came after the reopenings allowed.
func (s *FeedbackService) notifyReview(ctx context.Context, r *Request) error {
	to, err := s.Requests.dispatchersFor(ctx, r)
	if err != nil || s.Requests.Notify == nil {
		return err
	}
	if r.FirstContactID != "" {
		to = append(to, r.FirstContactID)
	}
	slices.Sort(to)
	to = slices.Compact(to)
	ns := make([]*Notification, 0, len(to))
	for _, u := range to {
		ns = append(ns, &Notification{ID: NewID(), UserID: u, Kind: NotifyFeedback,
			Title: fmt.Sprintf("诉求 %s 重办后企业仍不满意，请复核", r.No),
			Body:  fmt.Sprintf("“%s”（%s）%s。请复核后重新分拨或与企业沟通。", r.Title, r.EnterpriseName, r.ReturnReason),
			Link:  "/requests/" + r.ID, DedupKey: fmt.Sprintf("feedback:review:%s:%d:%s", r.ID, r.Reopened, u), CreatedAt: s.now()})
	}
	if len(ns) == 0 {
		return nil
	}
	_, err = s.Requests.Notify.CreateNotifications(ctx, ns)
	return err
}

// finish settles sv in state; a survey that stays open by a lost write
// is settled by the next timer or sweep, which finds its round over.
func (s *FeedbackService) finish(ctx context.Context, sv *Survey, state SurveyState) {
	for attempt := 0; attempt < 5; attempt++ {
		cur, err := s.Surveys.FindSurveyByID(ctx, sv.ID)
		if err != nil {
			s.Requests.log().Error("read survey", "survey", sv.ID, "err", err)
			return
		}
		if !cur.Open() {
			return
		}
		now := s.now()
		next := *cur
		next.State, next.SettledAt, next.NextAt, next.UpdatedAt = state, &now, nil, now
		err = s.Surveys.UpdateSurvey(ctx, &next, cur.Version)
		if err == nil {
			*sv = next
			return
		}
		if !IsCode(err, ECONFLICT) {
			s.Requests.log().Error("settle survey", "survey", sv.ID, "err", err)
			return
		}
	}
}

// ---------- timers ----------

// TimerOutcome says what a survey timer did.
type TimerOutcome string

// Timer outcomes.
const (
	TimerActed   TimerOutcome = "acted"   // the follow-up was assigned, or the request closed unrated
	TimerEarly   TimerOutcome = "early"   // its time has not come
	TimerSettled TimerOutcome = "settled" // answered, closed, reopened or followed up before
	TimerGone    TimerOutcome = "gone"    // no such survey or request
)

// timerSurvey reads survey id and its request for a timer, settling a
// survey whose round is over by other means.
func (s *FeedbackService) timerSurvey(ctx context.Context, id string) (*Survey, *Request, TimerOutcome, error) {
	sv, err := s.Surveys.FindSurveyByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return nil, nil, TimerGone, nil
	}
	if err != nil {
		return nil, nil, "", err
	}
	if !sv.Open() {
		return sv, nil, TimerSettled, nil
	}
	r, err := s.Requests.Store.FindRequestByID(ctx, sv.RequestID)
	if IsCode(err, ENOTFOUND) {
		return sv, nil, TimerGone, nil
	}
	if err != nil {
		return nil, nil, "", err
	}
	if !awaits(r, sv) {
		state := SurveyVoid
		if r.Feedback != nil && r.Feedback.At.After(sv.ResolvedAt) {
			state = SurveyAnswered
		}
		s.finish(ctx, sv, state)
		return sv, r, TimerSettled, nil
	}
	return sv, r, "", nil
}

// Remind starts the phone follow-up of survey id once FollowUpAfterWorkingDays
// passed without an answer: the request's first-contact owner (else its
// liaison, else the area's dispatchers) is told to phone the enterprise.
// It acts at most once.
func (s *FeedbackService) Remind(ctx context.Context, id string) (TimerOutcome, error) {
	ctx = WithActor(ctx, systemFeedback)
	for attempt := 0; attempt < 5; attempt++ {
		sv, r, out, err := s.timerSurvey(ctx, id)
		if err != nil || out != "" {
			return out, err
		}
		now := s.now()
		switch {
		case sv.State != SurveyPending:
			return TimerSettled, nil
		case now.Before(sv.RemindAt):
			return TimerEarly, nil
		}
		ownerID, ownerName := r.FirstContactID, r.FirstContactName
		if ownerID == "" && r.LiaisonID != "" {
			if u, err := s.Requests.Users.FindUserByID(ctx, r.LiaisonID); err == nil {
				ownerID, ownerName = u.ID, u.DisplayName
			}
		}
		to := []string{ownerID}
		if ownerID == "" {
			if to, err = s.Requests.dispatchersFor(ctx, r); err != nil {
				return "", err
			}
		}
		if err := s.notifyFollowUp(ctx, sv, r, to); err != nil {
			return "", err
		}
		next := *sv
		next.State, next.FollowUpID, next.FollowUpName, next.FollowUpAt = SurveyFollowUp, ownerID, ownerName, &now
		next.NextAt, next.UpdatedAt = &next.CloseAt, now
		err = s.Surveys.UpdateSurvey(ctx, &next, sv.Version)
		if IsCode(err, ECONFLICT) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := s.Requests.Audit.Record(ctx, "survey.follow_up", "request", r.ID, OutcomeOK,
			fmt.Sprintf("%s 回访任务：%s", r.No, cmp.Or(ownerName, "分拨员"))); err != nil {
			return "", Internal(err)
		}
		return TimerActed, nil
	}
	return "", Errorf(ECONFLICT, "评价 %s 一直在被修改，稍后重试", id)
}

// notifyFollowUp gives the follow-up task to each of to.
func (s *FeedbackService) notifyFollowUp(ctx context.Context, sv *Survey, r *Request, to []string) error {
	if s.Requests.Notify == nil {
		return nil
	}
	ns := make([]*Notification, 0, len(to))
	for _, u := range to {
		if u == "" {
			continue
		}
		ns = append(ns, &Notification{ID: NewID(), UserID: u, Kind: NotifyFeedback,
			Title: fmt.Sprintf("【回访】诉求 %s 办结 %d 个工作日未评价，请电话回访", r.No, FollowUpAfterWorkingDays),
			Body: fmt.Sprintf("请致电%s（%s %s）了解“%s”是否解决、是否满意，并在待回访列表中记录。", r.EnterpriseName,
				r.ContactName, r.ContactPhone, r.Title),
			Link: "/followups", DedupKey: fmt.Sprintf("feedback:%s:followup:%s", sv.ID, u), CreatedAt: s.now()})
	}
	if len(ns) == 0 {
		return nil
	}
	_, err := s.Requests.Notify.CreateNotifications(ctx, ns)
	return err
}

// Expire closes the request of survey id as unrated (未评价) once
// UnratedAfterWorkingDays passed without an answer. It acts at most once:
// the close is one version-guarded update of a request still resolved in
// the survey's round.
func (s *FeedbackService) Expire(ctx context.Context, id string) (TimerOutcome, error) {
	ctx = WithActor(ctx, systemFeedback)
	began := time.Now()
	for attempt := 0; ; attempt++ {
		sv, r, out, err := s.timerSurvey(ctx, id)
		if err != nil || out != "" {
			return out, err
		}
		now := s.now()
		if now.Before(sv.CloseAt) {
			return TimerEarly, nil
		}
		next := cloneRequest(r)
		next.Status, next.Unrated, next.ClosedAt, next.UpdatedAt = StatusClosed, true, &now, now
		next.DueAt = nil
		note := fmt.Sprintf("办结后 %d 个工作日内未收到企业评价，按未评价关闭", UnratedAfterWorkingDays)
		next.Timeline = append(next.Timeline, Event{At: now, ActorName: systemFeedback.Name(), Action: actUnrated,
			From: r.Status, To: StatusClosed, Note: note})
		if err := s.Requests.planRungs(ctx, next); err != nil {
			return "", err
		}
		err = s.Requests.Store.UpdateRequest(ctx, next, r.Version)
		if IsCode(err, ECONFLICT) && time.Since(began) < fireRetryFor {
			if err := fireBackoff(ctx, attempt); err != nil {
				return "", err
			}
			continue
		}
		if err != nil {
			return "", err
		}
		if err := s.Requests.Audit.Record(ctx, "request.feedback_unrated", "request", r.ID, OutcomeOK, next.No+" "+note); err != nil {
			return "", Internal(err)
		}
		s.Requests.after(ctx, r, next, actUnrated)
		s.finish(ctx, sv, SurveyUnrated)
		return TimerActed, nil
	}
}

// SurveysDue returns up to limit open surveys whose next timer fires at or
// before before, soonest first (the sweeper's read).
func (s *FeedbackService) SurveysDue(ctx context.Context, before time.Time, limit int) ([]*Survey, error) {
	return s.Surveys.FindSurveysDue(ctx, before, limit)
}

// RepairSurveys opens the survey of every resolved request that has none
// (a listener that failed or never ran, as when the demo is loaded) and
// resends links that never went out; it returns the surveys it opened or
// resent. Resolved requests are few: they wait days, not months.
func (s *FeedbackService) RepairSurveys(ctx context.Context) (int, error) {
	const batch = 200
	repaired := 0
	for offset := 0; ; offset += batch {
		rs, _, err := s.Requests.Store.FindRequests(ctx, RequestFilter{Statuses: []Status{StatusResolved}, Offset: offset, Limit: batch})
		if err != nil {
			return repaired, err
		}
		for _, r := range rs {
			sv, err := s.Surveys.FindSurveyByID(ctx, SurveyID(r.ID, r.Reopened))
			switch {
			case err == nil && (sv.NotifiedAt != nil || !sv.Open()):
				continue
			case err != nil && !IsCode(err, ENOTFOUND):
				return repaired, err
			}
			sv, err = s.EnsureSurvey(ctx, r)
			if err != nil {
				return repaired, err
			}
			if sv != nil && sv.NotifiedAt != nil {
				repaired++
			}
		}
		if len(rs) < batch {
			return repaired, nil
		}
	}
}

// ---------- what pages show ----------

// FeedbackPanel is the feedback part of a request's page for the actor.
type FeedbackPanel struct {
	// Survey is the survey of the current round, nil when none is open or was.
	Survey *Survey
	// MayAnswer is set for the request's enterprise while its survey is open.
	MayAnswer bool
	// MayRecord is set for an officer who may record a phone answer now.
	MayRecord bool
}

// Panel returns the feedback part of the page of r, which the actor sees.
func (s *FeedbackService) Panel(ctx context.Context, r *Request) (*FeedbackPanel, error) {
	a := ActorFrom(ctx)
	p := &FeedbackPanel{}
	if a == nil {
		return p, nil
	}
	sv, err := s.Surveys.FindSurveyByID(ctx, SurveyID(r.ID, r.Reopened))
	switch {
	case err == nil:
		p.Survey = sv
	case r.Reopened > 0 && IsCode(err, ENOTFOUND):
		// A reopened request shows the last answered round until it is resolved again.
		if sv, err := s.Surveys.FindSurveyByID(ctx, SurveyID(r.ID, r.Reopened-1)); err == nil {
			p.Survey = sv
		}
	case !IsCode(err, ENOTFOUND):
		return nil, err
	}
	if r.Status == StatusResolved {
		p.MayAnswer = a.Has(RoleEnterprise) && a.EnterpriseID == r.EnterpriseID
		p.MayRecord = mayRecord(a, r)
	}
	return p, nil
}

// FollowUpQuery is what an officer asks of the follow-up list.
type FollowUpQuery struct {
	Q       string
	Page    int
	PerPage int
}

// FollowUpPage is one page of the follow-up list (待回访).
type FollowUpPage struct {
	Items   []*Survey `json:"items"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
	// All is set when the list holds every officer's tasks (dispatchers
	// of the whole district and admins).
	All bool `json:"all"`
}

// Pages returns how many pages the list has.
func (p *FollowUpPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// FollowUps returns one page of the follow-up tasks (回访任务) the actor
// has: a liaison's or first-contact owner's own; every task for an admin
// or a dispatcher of the whole district. Other roles are refused.
func (s *FeedbackService) FollowUps(ctx context.Context, q FollowUpQuery) (*FollowUpPage, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Pending || !a.HasAny(RoleLiaison, RoleDispatcher, RoleAdmin) {
		return nil, Errorf(EFORBIDDEN, "待回访列表只对专班联络员、分拨员和系统管理员开放")
	}
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultRequestsPerPage, MaxRequestsPerPage)
	text, ok := cleanText(q.Q)
	if !ok || utf8.RuneCountInString(text) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	}
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	filter := SurveyFilter{States: []SurveyState{SurveyFollowUp}, Q: strings.TrimSpace(text),
		Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage}
	all := a.IsAdmin()
	if !all && a.Has(RoleDispatcher) {
		if all, _, err = s.Requests.scope(ctx, a); err != nil {
			return nil, err
		}
	}
	if !all {
		filter.FollowUpID = a.UserID
	}
	items, total, err := s.Surveys.FindSurveys(ctx, filter)
	if err != nil {
		return nil, err
	}
	return &FollowUpPage{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage, All: all}, nil
}
