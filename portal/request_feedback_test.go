package portal_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// fbZone is the district's zone in the feedback tests.
var fbZone = time.FixedZone("CST", 8*3600)

func fbTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, fbZone)
	if err != nil {
		panic(err)
	}
	return t
}

// fbResolveAt is when the tests resolve: Thursday 30 April 2026, 10:00,
// the day before the Labour Day holiday (1–5 May), which is followed by a
// working week with a make-up working Saturday (9 May).
var fbResolveAt = fbTime("2026-04-30 10:00")

// feedbackWorld is the demo district with deadlines on the working
// calendar, the feedback service as a request listener and a settable clock.
type feedbackWorld struct {
	*portaltest.World
	mu      sync.Mutex
	clock   time.Time
	fb      *portal.FeedbackService
	surveys *mongostore.SurveyStore
}

func (w *feedbackWorld) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.clock
}

func (w *feedbackWorld) at(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.clock = t
}

func newFeedbackWorld(t *testing.T, maxReopen int) *feedbackWorld {
	t.Helper()
	w := &feedbackWorld{clock: fbResolveAt.Add(-2 * time.Hour)}
	w.World = portaltest.NewWorld(t, portaltest.DB(t), w.now)
	sla := w.WithSLA(t)
	w.surveys = mongostore.NewSurveyStore(w.DB)
	w.fb = &portal.FeedbackService{Requests: w.Requests, Surveys: w.surveys, Calendar: sla.Calendar, MaxReopen: maxReopen}
	w.Requests.Events = append(w.Requests.Events, w.fb)
	return w
}

func (w *feedbackWorld) act(t *testing.T, user, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := w.Requests.Act(w.As(t, user), id, a, in)
	portaltest.Must(t, err, "%s %s as %s", a, id, user)
	return r
}

// resolved files a request of ent-001 (its liaison is the first-contact
// owner), has dept-trans handle it and resolves it at fbResolveAt.
func (w *feedbackWorld) resolved(t *testing.T) *portal.Request {
	t.Helper()
	w.at(fbResolveAt.Add(-2 * time.Hour))
	r, err := w.Requests.File(w.As(t, "enterprise"), portal.RequestInput{Title: "港区货车通行证续办",
		Description: "通行证月底到期，续办材料要求前后不一致，请协助明确。", Category: "traffic", Type: portal.TypeHelp}, nil)
	portaltest.Must(t, err, "file")
	w.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	w.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	w.at(fbResolveAt)
	return w.act(t, "handler", r.ID, portal.ActResolve, portal.ActionInput{Text: "通行证已全部续办，有效期一年。"})
}

// rehandled signs and resolves a reopened request again.
func (w *feedbackWorld) rehandled(t *testing.T, id string) *portal.Request {
	t.Helper()
	w.act(t, "handler", id, portal.ActSign, portal.ActionInput{})
	return w.act(t, "handler", id, portal.ActResolve, portal.ActionInput{Text: "已再次到现场核实并落实整改。"})
}

func (w *feedbackWorld) load(t *testing.T, id string) *portal.Request {
	t.Helper()
	r, err := w.Store.FindRequestByID(context.Background(), id)
	portaltest.Must(t, err, "load %s", id)
	return r
}

func (w *feedbackWorld) survey(t *testing.T, id string) *portal.Survey {
	t.Helper()
	sv, err := w.surveys.FindSurveyByID(context.Background(), id)
	portaltest.Must(t, err, "survey %s", id)
	return sv
}

// feedbackNotes returns the notifications of kind feedback user has.
func (w *feedbackWorld) feedbackNotes(t *testing.T, user string) []*portal.Notification {
	t.Helper()
	ns, _, _, err := w.Notes.FindNotificationsForUser(context.Background(), user, portal.NotificationFilter{Limit: 100})
	portaltest.Must(t, err, "notifications of %s", user)
	var out []*portal.Notification
	for _, n := range ns {
		if n.Kind == portal.NotifyFeedback {
			out = append(out, n)
		}
	}
	return out
}

// token returns the token of the newest survey link the enterprise was sent
// for request no.
func (w *feedbackWorld) token(t *testing.T, no string) string {
	t.Helper()
	for _, n := range w.feedbackNotes(t, "u-enterprise") {
		if tok, ok := strings.CutPrefix(n.Link, "/feedback/"); ok && strings.Contains(n.Body, no) {
			return tok
		}
	}
	t.Fatalf("no survey link for %s", no)
	return ""
}

// sha256Hex is how a survey token is stored.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestFeedbackDecide(t *testing.T) {
	for _, c := range []struct {
		solved        portal.Solved
		sat           portal.Satisfaction
		reopened, max int
		want          portal.FeedbackDecision
	}{
		{portal.SolvedYes, portal.Satisfied, 0, 2, portal.DecideClose},
		{portal.SolvedYes, portal.Basic, 0, 2, portal.DecideClose},
		{portal.Partly, portal.Satisfied, 0, 2, portal.DecideClose},
		{portal.Partly, portal.Basic, 2, 2, portal.DecideClose},
		{portal.Unsolved, portal.Satisfied, 0, 2, portal.DecideReopen},
		{portal.SolvedYes, portal.Dissatisfied, 1, 2, portal.DecideReopen},
		{portal.Partly, portal.Dissatisfied, 0, 2, portal.DecideReopen},
		{portal.Unsolved, portal.Dissatisfied, 2, 2, portal.DecideReview},
		{portal.Unsolved, portal.Basic, 3, 2, portal.DecideReview},
		{portal.Unsolved, portal.Dissatisfied, 0, 0, portal.DecideReview},
		{portal.SolvedYes, portal.Satisfied, 5, 0, portal.DecideClose},
	} {
		fb := &portal.Feedback{Solved: c.solved, Satisfaction: c.sat}
		if got := portal.Decide(fb, c.reopened, c.max); got != c.want {
			t.Errorf("Decide(%s, %s, reopened %d, max %d) = %s, want %s", c.solved, c.sat, c.reopened, c.max, got, c.want)
		}
	}
}

func TestFeedbackSurveyOpensOnResolve(t *testing.T) {
	w := newFeedbackWorld(t, portal.DefaultMaxReopen)
	r := w.resolved(t)
	sv := w.survey(t, portal.SurveyID(r.ID, 0))
	tok := w.token(t, r.No)
	if len(tok) != 43 || sv.TokenHash == tok || strings.Contains(sv.TokenHash, tok) {
		t.Errorf("token %q (hash %q): want 43 base64url characters, stored only as its hash", tok, sv.TokenHash)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(raw) != 32 {
		t.Errorf("token decodes to %d bytes (%v), want 32", len(raw), err)
	}
	// Labour Day (1–5 May) and the weekend do not count; Saturday 9 May is
	// a make-up working day and does.
	for name, c := range map[string]struct{ got, want time.Time }{
		"link expiry": {sv.ExpiresAt, fbTime("2026-05-07 10:00")},
		"follow-up":   {sv.RemindAt, fbTime("2026-05-09 00:00")},
		"unrated":     {sv.CloseAt, fbTime("2026-05-14 00:00")},
		"next timer":  {*sv.NextAt, fbTime("2026-05-09 00:00")},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s at %v, want %v", name, c.got.In(fbZone), c.want)
		}
	}
	if sv.State != portal.SurveyPending || sv.NotifiedAt == nil || sv.Round != 0 {
		t.Errorf("survey %+v: want pending, notified, round 0", sv)
	}
	again, err := w.fb.EnsureSurvey(context.Background(), w.load(t, r.ID))
	portaltest.Must(t, err, "ensure again")
	if again.TokenHash != sv.TokenHash || again.Version != sv.Version {
		t.Errorf("a second EnsureSurvey changed the survey: %+v", again)
	}
	if n := len(w.feedbackNotes(t, "u-enterprise")); n != 1 {
		t.Errorf("the enterprise got %d survey links, want 1", n)
	}
}

// answer submits in through the link of r's current round.
func (w *feedbackWorld) answer(t *testing.T, r *portal.Request, solved portal.Solved, sat portal.Satisfaction) *portal.FeedbackResult {
	t.Helper()
	res, err := w.fb.AnswerByToken(context.Background(), w.tokenOfRound(t, r), portal.FeedbackInput{Solved: solved, Satisfaction: sat, Comment: "办理情况如上"})
	portaltest.Must(t, err, "answer %s", r.No)
	return res
}

// tokenOfRound finds the link of the request's current round among the
// enterprise's notifications by its hash.
func (w *feedbackWorld) tokenOfRound(t *testing.T, r *portal.Request) string {
	t.Helper()
	sv := w.survey(t, portal.SurveyID(r.ID, r.Reopened))
	for _, n := range w.feedbackNotes(t, "u-enterprise") {
		tok, ok := strings.CutPrefix(n.Link, "/feedback/")
		if !ok {
			continue
		}
		if s, err := w.surveys.FindSurveyByTokenHash(context.Background(), sha256Hex(tok)); err == nil && s.ID == sv.ID {
			return tok
		}
	}
	t.Fatalf("no link for round %d of %s", r.Reopened, r.No)
	return ""
}

func TestFeedbackAnswerDecides(t *testing.T) {
	t.Run("Close", func(t *testing.T) {
		w := newFeedbackWorld(t, 2)
		r := w.resolved(t)
		w.at(fbResolveAt.Add(3 * time.Hour))
		res := w.answer(t, r, portal.Partly, portal.Basic)
		got := w.load(t, r.ID)
		if res.Decision != portal.DecideClose || got.Status != portal.StatusClosed || got.ClosedAt == nil || got.Unrated {
			t.Fatalf("partly/basic: decision %s, status %s", res.Decision, got.Status)
		}
		if fb := got.Feedback; fb == nil || fb.Via != portal.ViaLink || fb.Solved != portal.Partly || fb.Comment != "办理情况如上" {
			t.Errorf("stored feedback %+v", got.Feedback)
		}
		if sv := w.survey(t, portal.SurveyID(r.ID, 0)); sv.State != portal.SurveyAnswered || sv.NextAt != nil {
			t.Errorf("survey after the answer: %s, next %v", sv.State, sv.NextAt)
		}
	})
	t.Run("ReopenThenReview", func(t *testing.T) {
		w := newFeedbackWorld(t, 1)
		r := w.resolved(t)
		gen := r.SLA.Generation
		w.at(fbResolveAt.Add(time.Hour))
		res := w.answer(t, r, portal.Unsolved, portal.Satisfied)
		got := w.load(t, r.ID)
		if res.Decision != portal.DecideReopen || got.Status != portal.StatusReopened || got.Reopened != 1 {
			t.Fatalf("unsolved: decision %s, status %s, reopened %d", res.Decision, got.Status, got.Reopened)
		}
		if got.SLA == nil || got.SLA.Generation != gen+1 || got.DueAt == nil || got.HandlerID != "" || got.DepartmentID != "dept-trans" {
			t.Errorf("reopened request: SLA %+v, due %v, handler %q, department %q", got.SLA, got.DueAt, got.HandlerID, got.DepartmentID)
		}
		w.at(fbResolveAt.Add(3 * time.Hour))
		again := w.rehandled(t, r.ID)
		if _, err := w.surveys.FindSurveyByID(context.Background(), portal.SurveyID(r.ID, 1)); err != nil {
			t.Fatalf("the second round has no survey: %v", err)
		}
		res = w.answer(t, again, portal.SolvedYes, portal.Dissatisfied)
		got = w.load(t, r.ID)
		if res.Decision != portal.DecideReview || got.Status != portal.StatusReturned || got.Reopened != 1 ||
			got.ReturnReason != "已重办 1 次仍不满意，请复核" || got.DepartmentID != "" {
			t.Fatalf("dissatisfied after the reopening allowed: decision %s, status %s, reason %q", res.Decision, got.Status, got.ReturnReason)
		}
		found := false
		for _, n := range w.feedbackNotes(t, "u-dispatcher") {
			found = found || strings.Contains(n.Title, "请复核")
		}
		if !found {
			t.Errorf("the dispatcher was not told to review %s", r.No)
		}
	})
}

// unchanged fails unless request id still has version and its survey is open.
func (w *feedbackWorld) unchanged(t *testing.T, id string, version int, state portal.SurveyState) {
	t.Helper()
	r := w.load(t, id)
	if r.Version != version || r.Feedback != nil && r.Status == portal.StatusResolved {
		t.Errorf("the request changed: version %d (want %d), status %s", r.Version, version, r.Status)
	}
	if sv := w.survey(t, portal.SurveyID(id, 0)); sv.State != state {
		t.Errorf("survey state %s, want %s", sv.State, state)
	}
}

func TestFeedbackTokens(t *testing.T) {
	w := newFeedbackWorld(t, 2)
	r := w.resolved(t)
	tok := w.token(t, r.No)
	ctx := context.Background()
	good := portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied}
	var random [32]byte
	_, _ = rand.Read(random[:])
	for name, bad := range map[string]string{
		"Random":     base64.RawURLEncoding.EncodeToString(random[:]),
		"Truncated":  tok[:42],
		"Longer":     tok + "A",
		"NotBase64":  "!" + tok[1:],
		"Empty":      "",
		"HashOfLink": w.survey(t, portal.SurveyID(r.ID, 0)).TokenHash,
	} {
		t.Run("Forged"+name, func(t *testing.T) {
			if _, err := w.fb.OpenSurvey(ctx, bad); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Errorf("open: %v, want not found", err)
			}
			_, err := w.fb.AnswerByToken(ctx, bad, good)
			if portal.ErrorCode(err) != portal.ENOTFOUND || !strings.Contains(portal.ErrorMessage(err), "链接无效") {
				t.Errorf("answer: %v, want not found with a clear message", err)
			}
			w.unchanged(t, r.ID, r.Version, portal.SurveyPending)
		})
	}
	t.Run("Expired", func(t *testing.T) {
		w.at(fbTime("2026-05-07 10:00")) // seven days after the resolution
		_, err := w.fb.AnswerByToken(ctx, tok, good)
		if portal.ErrorCode(err) != portal.EGONE || !strings.Contains(portal.ErrorMessage(err), "已过期") {
			t.Errorf("answer: %v, want gone (expired)", err)
		}
		w.unchanged(t, r.ID, r.Version, portal.SurveyPending)
		w.at(fbTime("2026-05-07 09:59"))
		if _, err := w.fb.OpenSurvey(ctx, tok); err != nil {
			t.Errorf("a minute before expiry the link does not open: %v", err)
		}
	})
	t.Run("Reused", func(t *testing.T) {
		w.at(fbTime("2026-05-06 09:00"))
		if _, err := w.fb.AnswerByToken(ctx, tok, good); err != nil {
			t.Fatalf("first answer: %v", err)
		}
		after := w.load(t, r.ID)
		for _, in := range []portal.FeedbackInput{good, {Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied}} {
			_, err := w.fb.AnswerByToken(ctx, tok, in)
			if portal.ErrorCode(err) != portal.EGONE || !strings.Contains(portal.ErrorMessage(err), "已完成评价") {
				t.Errorf("second answer: %v, want gone (used)", err)
			}
		}
		if got := w.load(t, r.ID); got.Version != after.Version || got.Status != portal.StatusClosed {
			t.Errorf("a reused link changed the request: version %d → %d, status %s", after.Version, got.Version, got.Status)
		}
	})
}

func TestFeedbackBadInput(t *testing.T) {
	w := newFeedbackWorld(t, 2)
	r := w.resolved(t)
	tok := w.token(t, r.No)
	for name, c := range map[string]struct {
		in     portal.FeedbackInput
		fields map[string]string
	}{
		"Nothing": {portal.FeedbackInput{}, map[string]string{"solved": "请选择问题是否解决", "satisfaction": "请选择满意程度"}},
		"NoSatisfaction": {portal.FeedbackInput{Solved: portal.SolvedYes},
			map[string]string{"satisfaction": "请选择满意程度"}},
		"UnknownSolved": {portal.FeedbackInput{Solved: "maybe", Satisfaction: portal.Satisfied},
			map[string]string{"solved": "未知的选项"}},
		"UnknownSatisfaction": {portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: "ecstatic"},
			map[string]string{"satisfaction": "未知的选项"}},
		"CommentTooLong": {portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied, Comment: strings.Repeat("好", 501)},
			map[string]string{"comment": "不能超过 500 个字"}},
		"ControlCharacters": {portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied, Comment: "满意\x00"},
			map[string]string{"comment": "控制字符"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := w.fb.AnswerByToken(context.Background(), tok, c.in)
			if portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("answer: %v, want invalid", err)
			}
			fields := portal.ErrorFields(err)
			if len(fields) != len(c.fields) {
				t.Errorf("fields %v, want %v", fields, c.fields)
			}
			for f, want := range c.fields {
				if !strings.Contains(fields[f], want) {
					t.Errorf("field %s: %q, want it to say %q", f, fields[f], want)
				}
			}
			w.unchanged(t, r.ID, r.Version, portal.SurveyPending)
		})
	}
	if _, err := w.fb.AnswerByToken(context.Background(), tok, portal.FeedbackInput{Solved: portal.SolvedYes,
		Satisfaction: portal.Satisfied, Comment: strings.Repeat("好", 500)}); err != nil {
		t.Errorf("after the refused answers the link does not take a good one: %v", err)
	}
}

func TestFeedbackConcurrentSubmit(t *testing.T) {
	w := newFeedbackWorld(t, 2)
	r := w.resolved(t)
	tok := w.token(t, r.No)
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied}
			if i%2 == 1 {
				in = portal.FeedbackInput{Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied}
			}
			_, errs[i] = w.fb.AnswerByToken(context.Background(), tok, in)
		}()
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case portal.ErrorCode(err) != portal.EGONE:
			t.Errorf("submission %d: %v, want gone", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d submissions of one link succeeded, want exactly 1", won)
	}
	got := w.load(t, r.ID)
	answers := 0
	for _, ev := range got.Timeline {
		if ev.Action == string(portal.ActClose) || ev.Action == string(portal.ActReopen) {
			answers++
		}
	}
	if answers != 1 || got.Version != r.Version+1 || got.Reopened > 1 {
		t.Errorf("%d answers on the timeline, version %d → %d, reopened %d: want one answer stored once", answers, r.Version, got.Version, got.Reopened)
	}
}

func TestFeedbackPhoneRecord(t *testing.T) {
	w := newFeedbackWorld(t, 2)
	r := w.resolved(t)
	ctx := context.Background()
	in := portal.FeedbackInput{Solved: portal.SolvedYes, Satisfaction: portal.Basic, Comment: "电话回访：基本满意"}
	for user, code := range map[string]string{
		"enterprise": portal.EFORBIDDEN, "handler": portal.EFORBIDDEN, "depthead": portal.EFORBIDDEN,
		"committee": portal.EFORBIDDEN, "liaison2": portal.ENOTFOUND, "enterprise2": portal.ENOTFOUND, "editor": portal.ENOTFOUND,
	} {
		if _, err := w.fb.RecordPhone(w.As(t, user), r.ID, in); portal.ErrorCode(err) != code {
			t.Errorf("%s records: %v, want %s", user, err, code)
		}
	}
	if _, err := w.fb.RecordPhone(ctx, r.ID, in); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
		t.Errorf("anonymous records: %v", err)
	}
	if _, err := w.fb.RecordPhone(w.As(t, "liaison"), r.ID, portal.FeedbackInput{Solved: portal.SolvedYes}); portal.ErrorCode(err) != portal.EINVALID {
		t.Errorf("liaison without satisfaction: %v, want invalid", err)
	}
	w.unchanged(t, r.ID, r.Version, portal.SurveyPending)
	res, err := w.fb.RecordPhone(w.As(t, "liaison"), r.ID, in)
	portaltest.Must(t, err, "liaison records")
	fb := res.Request.Feedback
	if fb.Via != portal.ViaPhone || fb.RecordedByID != "u-liaison" || fb.RecordedByName == "" || res.Request.Status != portal.StatusClosed {
		t.Errorf("phone record stored %+v, status %s", fb, res.Request.Status)
	}
	if _, err := w.fb.RecordPhone(w.As(t, "dispatcher"), r.ID, in); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("recording a closed request: %v, want conflict", err)
	}
}

func TestFeedbackFollowUpAndUnratedClose(t *testing.T) {
	w := newFeedbackWorld(t, 2)
	r := w.resolved(t)
	id := portal.SurveyID(r.ID, 0)
	ctx := context.Background()
	step := func(name string, at string, f func(context.Context, string) (portal.TimerOutcome, error), want portal.TimerOutcome) {
		t.Helper()
		w.at(fbTime(at))
		out, err := f(ctx, id)
		portaltest.Must(t, err, "%s", name)
		if out != want {
			t.Fatalf("%s at %s: %s, want %s", name, at, out, want)
		}
	}
	// Friday 8 May is the third working day after the holiday.
	step("remind", "2026-05-08 23:59", w.fb.Remind, portal.TimerEarly)
	if n := len(w.feedbackNotes(t, "u-liaison")); n != 0 {
		t.Fatalf("the liaison has %d follow-up tasks before the time", n)
	}
	step("remind", "2026-05-09 00:00", w.fb.Remind, portal.TimerActed)
	step("remind again", "2026-05-09 08:00", w.fb.Remind, portal.TimerSettled)
	notes := w.feedbackNotes(t, "u-liaison")
	if len(notes) != 1 || notes[0].Link != "/followups" || !strings.Contains(notes[0].Title, "回访") {
		t.Fatalf("the first-contact owner's follow-up task: %+v", notes)
	}
	sv := w.survey(t, id)
	if sv.State != portal.SurveyFollowUp || sv.FollowUpID != "u-liaison" || !sv.NextAt.Equal(sv.CloseAt) {
		t.Errorf("survey after the follow-up started: %+v", sv)
	}
	page, err := w.fb.FollowUps(w.As(t, "liaison"), portal.FollowUpQuery{})
	portaltest.Must(t, err, "follow-ups")
	if page.Total != 1 || page.Items[0].RequestID != r.ID {
		t.Errorf("the liaison's follow-up list: %d tasks", page.Total)
	}
	if other, err := w.fb.FollowUps(w.As(t, "liaison2"), portal.FollowUpQuery{}); err != nil || other.Total != 0 {
		t.Errorf("another liaison's follow-up list: %v, %v", other, err)
	}
	if _, err := w.fb.FollowUps(w.As(t, "handler"), portal.FollowUpQuery{}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("a handler's follow-up list: %v, want forbidden", err)
	}
	// Seven working days: 6, 7, 8, 9 (make-up), 11, 12, 13 May.
	step("expire", "2026-05-13 23:59", w.fb.Expire, portal.TimerEarly)
	if got := w.load(t, r.ID); got.Status != portal.StatusResolved {
		t.Fatalf("closed before its time: %s", got.Status)
	}
	step("expire", "2026-05-14 00:00", w.fb.Expire, portal.TimerActed)
	step("expire again", "2026-05-14 01:00", w.fb.Expire, portal.TimerSettled)
	got := w.load(t, r.ID)
	if got.Status != portal.StatusClosed || !got.Unrated || got.Feedback != nil || got.ClosedAt == nil {
		t.Errorf("after seven working days: status %s, unrated %v, feedback %+v", got.Status, got.Unrated, got.Feedback)
	}
	if sv := w.survey(t, id); sv.State != portal.SurveyUnrated || sv.NextAt != nil {
		t.Errorf("survey after the unrated close: %s, next %v", sv.State, sv.NextAt)
	}
	if _, err := w.fb.RecordPhone(w.As(t, "liaison"), r.ID, portal.FeedbackInput{Solved: portal.SolvedYes,
		Satisfaction: portal.Satisfied}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("a phone record after the unrated close: %v, want conflict", err)
	}
}

func TestFeedbackRepairsLostSurvey(t *testing.T) {
	w := newFeedbackWorld(t, 2)
	w.Requests.Events = nil // the listener is lost
	r := w.resolved(t)
	if _, err := w.surveys.FindSurveyByID(context.Background(), portal.SurveyID(r.ID, 0)); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("a survey exists without the listener: %v", err)
	}
	n, err := w.fb.RepairSurveys(context.Background())
	portaltest.Must(t, err, "repair")
	if n != 1 || len(w.feedbackNotes(t, "u-enterprise")) != 1 {
		t.Fatalf("repair opened %d surveys", n)
	}
	if n, err := w.fb.RepairSurveys(context.Background()); err != nil || n != 0 {
		t.Errorf("a second repair opened %d (%v)", n, err)
	}
}
