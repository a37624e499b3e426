package portal_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// reqClock is the request tests' clock: a Monday morning in the district.
var reqClock = time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)

type reqFixture struct {
	*portaltest.World
	now  time.Time
	subB string // a sub-district, whose handler is "handlerb"
}

func newReqFixture(t *testing.T) *reqFixture {
	t.Helper()
	f := &reqFixture{now: reqClock}
	f.World = portaltest.NewWorld(t, portaltest.DB(t), func() time.Time { return f.now })
	f.Requests.Deadlines = portaltest.HoursDeadliner{}
	// A handler of a sub-district (tier B), whose requests can go up a tier.
	tier := portal.TierB
	units, err := f.Requests.Org.FindOrgUnits(context.Background(), portal.OrgUnitFilter{Tier: &tier})
	if err != nil || len(units) == 0 {
		t.Fatalf("no tier-B unit: %v", err)
	}
	f.subB = units[0].ID
	portaltest.Must(t, f.Users.CreateUser(context.Background(), &portal.User{ID: "u-handler-b", Username: "handlerb",
		DisplayName: "街道承办人", Roles: []portal.Role{portal.RoleHandler}, UnitID: f.subB, Status: portal.UserActive}), "tier-B handler")
	return f
}

func goodInput() portal.RequestInput {
	return portal.RequestInput{Title: "港区道路货车限行咨询", Description: "公司货车夜间进出港区是否受限行影响，需要办理什么通行证？",
		Category: "traffic", Type: portal.TypeHelp}
}

// file files a good request as username and fails the test on error.
func (f *reqFixture) file(t *testing.T, username string, mod func(*portal.RequestInput)) *portal.Request {
	t.Helper()
	in := goodInput()
	if mod != nil {
		mod(&in)
	}
	r, err := f.Requests.File(f.As(t, username), in, nil)
	portaltest.Must(t, err, "file as %s", username)
	return r
}

// act takes an action and fails the test on error.
func (f *reqFixture) act(t *testing.T, username, id string, a portal.Action, in portal.ActionInput) *portal.Request {
	t.Helper()
	r, err := f.Requests.Act(f.As(t, username), id, a, in)
	portaltest.Must(t, err, "%s %s as %s", a, id, username)
	return r
}

func (f *reqFixture) count(t *testing.T) int {
	t.Helper()
	_, n, err := f.Store.FindRequests(context.Background(), portal.RequestFilter{})
	portaltest.Must(t, err, "count requests")
	return n
}

func TestRequestLifecycle(t *testing.T) {
	f := newReqFixture(t)
	r := f.file(t, "enterprise", nil)
	if !strings.HasPrefix(r.No, "HQ-2026-") || len(r.No) != len("HQ-2026-000001") || r.Status != portal.StatusSubmitted {
		t.Fatalf("filed %q in %s, want HQ-2026-NNNNNN submitted", r.No, r.Status)
	}
	if r.EnterpriseID != "ent-001" || r.Channel != portal.ChannelPortal || r.ContactPhone == "" {
		t.Errorf("filed for %s via %s with phone %q; want ent-001, portal and the enterprise's phone", r.EnterpriseID, r.Channel, r.ContactPhone)
	}
	if r.FirstContactID != "u-liaison" {
		t.Errorf("first contact %q, want the enterprise's liaison u-liaison", r.FirstContactID)
	}

	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	if r.Status != portal.StatusDispatched || r.Tier != portal.TierA || r.DepartmentName != "区交通运输局" || r.SLA == nil || r.SLA.Generation != 1 {
		t.Fatalf("after dispatch: %s tier %s dept %q sla %+v", r.Status, r.Tier, r.DepartmentName, r.SLA)
	}
	if r.DueAt == nil || !r.DueAt.Equal(f.now.Add(24*time.Hour)) {
		t.Errorf("due %v, want the sign deadline %v", r.DueAt, f.now.Add(24*time.Hour))
	}
	f.now = f.now.Add(2 * time.Hour)
	r = f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	if r.Status != portal.StatusSigned || r.HandlerID != "u-handler" || r.SLA.Leg(portal.LegSign).OnTime == nil || !*r.SLA.Leg(portal.LegSign).OnTime {
		t.Fatalf("after sign: %s handler %q sign leg %+v", r.Status, r.HandlerID, r.SLA.Leg(portal.LegSign))
	}
	f.now = f.now.Add(50 * time.Hour) // past the reply deadline
	r = f.act(t, "handler", r.ID, portal.ActReply, portal.ActionInput{Text: "夜间通行需办理港区通行证，已告知办理流程。"})
	if leg := r.SLA.Leg(portal.LegReply); leg.OnTime == nil || *leg.OnTime {
		t.Errorf("late reply stamped %+v, want on_time false", leg)
	}
	r = f.act(t, "handler", r.ID, portal.ActResolve, portal.ActionInput{Text: "通行证已办结，企业已领取。"})
	if r.Status != portal.StatusResolved || r.ResolvedAt == nil || r.DueAt != nil {
		t.Fatalf("after resolve: %s resolved %v due %v", r.Status, r.ResolvedAt, r.DueAt)
	}
	tl, err := f.Requests.Timeline(f.As(t, "enterprise"), r.ID)
	portaltest.Must(t, err, "timeline")
	var actions []string
	for _, e := range tl {
		actions = append(actions, e.Action)
		if e.ActorName == "" || e.At.IsZero() {
			t.Errorf("event without actor or time: %+v", e)
		}
	}
	if got := strings.Join(actions, ","); got != "file,dispatch,sign,reply,resolve" {
		t.Errorf("timeline %s", got)
	}
	if r.Version != 5 {
		t.Errorf("version %d after filing and four changes, want 5", r.Version)
	}
	notes, _, _, err := f.Notes.FindNotificationsForUser(context.Background(), "u-enterprise", portal.NotificationFilter{})
	portaltest.Must(t, err, "notifications")
	var titles []string
	for _, n := range notes {
		titles = append(titles, n.Title)
	}
	if !slices.ContainsFunc(titles, func(s string) bool { return strings.Contains(s, "已办结") }) {
		t.Errorf("the enterprise was not told of the resolution: %q", titles)
	}
	handlerNotes, _, _, _ := f.Notes.FindNotificationsForUser(context.Background(), "u-handler", portal.NotificationFilter{})
	if len(handlerNotes) == 0 || !strings.Contains(handlerNotes[len(handlerNotes)-1].Title, "待签收") {
		t.Errorf("the handler was not told of the dispatch: %+v", handlerNotes)
	}
}

// TestRequestStateMachine tries every public action in every state it
// does not fit and checks 409 with the current state and nothing changed.
func TestRequestStateMachine(t *testing.T) {
	f := newReqFixture(t)
	// reach returns a fresh request brought to state s.
	reach := map[portal.Status]func(t *testing.T) *portal.Request{}
	reach[portal.StatusSubmitted] = func(t *testing.T) *portal.Request { return f.file(t, "enterprise", nil) }
	reach[portal.StatusDispatched] = func(t *testing.T) *portal.Request {
		return f.act(t, "dispatcher", reach[portal.StatusSubmitted](t).ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	}
	reach[portal.StatusSigned] = func(t *testing.T) *portal.Request {
		return f.act(t, "handler", reach[portal.StatusDispatched](t).ID, portal.ActSign, portal.ActionInput{})
	}
	reach[portal.StatusReplied] = func(t *testing.T) *portal.Request {
		return f.act(t, "handler", reach[portal.StatusSigned](t).ID, portal.ActReply, portal.ActionInput{Text: "已电话答复企业。"})
	}
	reach[portal.StatusResolved] = func(t *testing.T) *portal.Request {
		return f.act(t, "handler", reach[portal.StatusReplied](t).ID, portal.ActResolve, portal.ActionInput{Text: "问题已解决完毕。"})
	}
	reach[portal.StatusReturned] = func(t *testing.T) *portal.Request {
		return f.act(t, "handler", reach[portal.StatusDispatched](t).ID, portal.ActReturn, portal.ActionInput{Reason: "不属于本部门职责"})
	}
	reach[portal.StatusSuspended] = func(t *testing.T) *portal.Request {
		return f.act(t, "handler", reach[portal.StatusSigned](t).ID, portal.ActSuspend, portal.ActionInput{Reason: "等待企业补充材料"})
	}
	reach[portal.StatusWithdrawn] = func(t *testing.T) *portal.Request {
		return f.act(t, "enterprise", reach[portal.StatusSubmitted](t).ID, portal.ActWithdraw, portal.ActionInput{})
	}
	reach[portal.StatusEscalated] = func(t *testing.T) *portal.Request {
		r := f.act(t, "dispatcher", reach[portal.StatusSubmitted](t).ID, portal.ActDispatch, portal.ActionInput{Department: f.subB})
		return f.act(t, "handlerb", r.ID, portal.ActEscalate, portal.ActionInput{Tier: portal.TierA, Reason: "需要区级统筹"})
	}
	master := f.file(t, "enterprise", nil)
	reach[portal.StatusMerged] = func(t *testing.T) *portal.Request {
		return f.act(t, "dispatcher", reach[portal.StatusSubmitted](t).ID, portal.ActMerge, portal.ActionInput{MasterID: master.ID})
	}

	// who takes each action with what, when the state fits.
	who := map[portal.Action]string{
		portal.ActDispatch: "dispatcher", portal.ActRedispatch: "dispatcher", portal.ActMerge: "dispatcher",
		portal.ActWithdraw: "enterprise",
	}
	input := portal.ActionInput{Department: "dept-trans", Reason: "原因说明", Text: "答复内容五个字以上", Tier: portal.TierA, MasterID: master.ID}
	for status, make := range reach {
		for _, action := range portal.PublicActions {
			if action.Allowed(status) {
				continue
			}
			t.Run(fmt.Sprintf("%s on %s", action, status), func(t *testing.T) {
				r := make(t)
				if r.Status != status {
					t.Fatalf("reached %s, want %s", r.Status, status)
				}
				actor := who[action]
				if actor == "" {
					switch r.DepartmentID {
					case "dept-trans":
						actor = "handler"
					case f.subB:
						actor = "handlerb"
					default:
						actor = "dispatcher" // no department: only a dispatcher's refusal is about the state
					}
				}
				_, err := f.Requests.Act(f.As(t, actor), r.ID, action, input)
				code := portal.ErrorCode(err)
				if code != portal.ECONFLICT && code != portal.EFORBIDDEN {
					t.Fatalf("%s by %s: %v, want a conflict (or forbidden for a role that never may)", action, actor, err)
				}
				if code == portal.ECONFLICT && portal.ErrorFields(err)["status"] != string(status) {
					t.Errorf("409 names state %q, want %q", portal.ErrorFields(err)["status"], status)
				}
				after, _ := f.Store.FindRequestByID(context.Background(), r.ID)
				if after.Version != r.Version || after.Status != status {
					t.Errorf("refused action changed the request: v%d %s -> v%d %s", r.Version, status, after.Version, after.Status)
				}
			})
		}
	}
}

func TestRequestActionsByRole(t *testing.T) {
	f := newReqFixture(t)
	r := f.file(t, "enterprise", nil)
	d := f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	for _, c := range []struct {
		user   string
		action portal.Action
		code   string
	}{
		{"enterprise", portal.ActSign, portal.EFORBIDDEN},  // sees it, may not sign
		{"liaison", portal.ActSign, portal.EFORBIDDEN},     // caseload, may not sign
		{"committee", portal.ActSign, portal.EFORBIDDEN},   // chain, read only
		{"dispatcher", portal.ActSign, portal.EFORBIDDEN},  // dispatches, does not handle
		{"enterprise2", portal.ActSign, portal.ENOTFOUND},  // another enterprise's
		{"liaison2", portal.ActWithdraw, portal.ENOTFOUND}, // not in the caseload
		{"handler", portal.ActDispatch, portal.EFORBIDDEN}, // handlers do not dispatch
		{"enterprise", portal.ActRedispatch, portal.EFORBIDDEN},
		{"editor", portal.ActSign, portal.ENOTFOUND},
	} {
		_, err := f.Requests.Act(f.As(t, c.user), d.ID, c.action, portal.ActionInput{Department: "dept-housing"})
		if portal.ErrorCode(err) != c.code {
			t.Errorf("%s %s: %v, want %s", c.user, c.action, err, c.code)
		}
	}
	if after, _ := f.Store.FindRequestByID(context.Background(), d.ID); after.Version != d.Version {
		t.Errorf("refused actions changed the request to v%d", after.Version)
	}
	if _, err := f.Requests.Act(f.As(t, "handler"), d.ID, portal.ActReopen, portal.ActionInput{}); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("reopen through the public door: %v, want not found", err)
	}
	if _, err := f.Requests.Act(context.Background(), d.ID, portal.ActSign, portal.ActionInput{}); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
		t.Errorf("anonymous sign: %v", err)
	}
}

func TestRequestFilingValidation(t *testing.T) {
	f := newReqFixture(t)
	long := strings.Repeat("长", 61)
	for _, c := range []struct {
		name  string
		user  string
		mod   func(*portal.RequestInput)
		field string
	}{
		{"missing title", "enterprise", func(in *portal.RequestInput) { in.Title = "  " }, "title"},
		{"over-long title", "enterprise", func(in *portal.RequestInput) { in.Title = long }, "title"},
		{"short description", "enterprise", func(in *portal.RequestInput) { in.Description = "太短" }, "description"},
		{"over-long description", "enterprise", func(in *portal.RequestInput) { in.Description = strings.Repeat("字", 2001) }, "description"},
		{"control characters", "enterprise", func(in *portal.RequestInput) { in.Title = "标题\x00隐藏" }, "title"},
		{"unknown category", "enterprise", func(in *portal.RequestInput) { in.Category = "weather" }, "category"},
		{"type the category does not take", "enterprise", func(in *portal.RequestInput) { in.Category = "policy"; in.Type = portal.TypeComplaint }, "category"},
		{"unknown type", "enterprise", func(in *portal.RequestInput) { in.Type = "praise" }, "type"},
		{"unknown channel", "liaison", func(in *portal.RequestInput) { in.EnterpriseID = "ent-001"; in.Channel = "pigeon" }, "channel"},
		{"enterprise claims another channel", "enterprise", func(in *portal.RequestInput) { in.Channel = portal.ChannelHotline }, "channel"},
		{"enterprise files for another", "enterprise", func(in *portal.RequestInput) { in.EnterpriseID = "ent-002" }, "enterprise_id"},
		{"liaison outside the caseload", "liaison", func(in *portal.RequestInput) { in.EnterpriseID = "ent-002"; in.Channel = portal.ChannelPhone }, "enterprise_id"},
		{"liaison without an enterprise", "liaison", func(in *portal.RequestInput) { in.Channel = portal.ChannelPhone }, "enterprise_id"},
		{"unknown enterprise", "dispatcher", func(in *portal.RequestInput) { in.EnterpriseID = "ent-999"; in.Channel = portal.ChannelPhone }, "enterprise_id"},
		{"meeting without its name", "liaison", func(in *portal.RequestInput) { in.EnterpriseID = "ent-001"; in.Channel = portal.ChannelJointMeeting }, "source_name"},
		{"source on a phone call", "liaison", func(in *portal.RequestInput) {
			in.EnterpriseID = "ent-001"
			in.Channel = portal.ChannelPhone
			in.SourceName = "某会议"
		}, "source_name"},
		{"bad phone", "enterprise", func(in *portal.RequestInput) { in.ContactPhone = "12345" }, "contact_phone"},
		{"too many policies", "enterprise", func(in *portal.RequestInput) {
			for i := 0; i < 11; i++ {
				in.PolicyIDs = append(in.PolicyIDs, fmt.Sprintf("pol-%03d", i))
			}
		}, "policy_ids"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := goodInput()
			c.mod(&in)
			_, err := f.Requests.File(f.As(t, c.user), in, nil)
			entWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)[c.field] == "" {
				t.Errorf("fields %v do not name %s", portal.ErrorFields(err), c.field)
			}
			if n := f.count(t); n != 0 {
				t.Errorf("%d requests stored after a refused filing", n)
			}
		})
	}
	for _, user := range []string{"handler", "committee", "editor"} {
		if _, err := f.Requests.File(f.As(t, user), goodInput(), nil); portal.ErrorCode(err) != portal.EFORBIDDEN {
			t.Errorf("%s files: %v, want forbidden", user, err)
		}
	}
	if _, err := f.Requests.File(context.Background(), goodInput(), nil); portal.ErrorCode(err) != portal.EUNAUTHENTICATED {
		t.Errorf("anonymous files: %v", err)
	}

	t.Run("script is stored as typed, for pages to escape", func(t *testing.T) {
		r := f.file(t, "enterprise", func(in *portal.RequestInput) { in.Title = "<script>alert(1)</script>" })
		if r.Title != "<script>alert(1)</script>" {
			t.Errorf("title stored as %q", r.Title)
		}
	})
	t.Run("liaison files from a visit", func(t *testing.T) {
		r := f.file(t, "liaison", func(in *portal.RequestInput) {
			in.EnterpriseID, in.Channel, in.SourceName = "ent-003", portal.ChannelVisit, "11月走访"
		})
		if r.Source == nil || r.Source.Name != "11月走访" || r.FiledByID != "u-liaison" || r.FirstContactID != "u-liaison" {
			t.Errorf("visit request: source %+v filer %s first contact %s", r.Source, r.FiledByID, r.FirstContactID)
		}
	})
}

func TestRequestAttachmentsAtFiling(t *testing.T) {
	f := newReqFixture(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 200)...)
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
	r, err := f.Requests.File(f.As(t, "enterprise"), goodInput(), []portal.Upload{{Name: `C:\照片\现场.png`, Content: png}, {Name: "说明.pdf", Content: pdf}})
	portaltest.Must(t, err, "file with attachments")
	if len(r.Attachments) != 2 || r.Attachments[0].ContentType != "image/png" || r.Attachments[0].Name != "现场.png" || r.Attachments[1].ContentType != "application/pdf" {
		t.Fatalf("attachments %+v", r.Attachments)
	}
	_, rc, err := f.Requests.OpenAttachment(f.As(t, "liaison"), r.ID, r.Attachments[0].ID)
	portaltest.Must(t, err, "open as the liaison")
	var buf strings.Builder
	_, _ = fmt.Fprint(&buf, readAll(t, rc))
	if buf.String() != string(png) {
		t.Errorf("read back %d bytes, want the %d uploaded", buf.Len(), len(png))
	}
	if _, _, err := f.Requests.OpenAttachment(f.As(t, "enterprise2"), r.ID, r.Attachments[0].ID); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Errorf("another enterprise opens it: %v", err)
	}

	for name, up := range map[string]portal.Upload{
		"an executable named .png": {Name: "x.png", Content: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")},
		"html":                     {Name: "a.jpg", Content: []byte("<html><script>alert(1)</script></html>")},
		"empty":                    {Name: "e.pdf"},
		"oversized":                {Name: "big.png", Content: append(slices.Clone(png), make([]byte, portal.DefaultMaxAttachmentBytes)...)},
	} {
		t.Run(name, func(t *testing.T) {
			before := f.count(t)
			_, err := f.Requests.File(f.As(t, "enterprise"), goodInput(), []portal.Upload{{Name: "ok.png", Content: png}, up})
			entWantCode(t, err, portal.EINVALID)
			if portal.ErrorFields(err)["attachments"] == "" {
				t.Errorf("fields %v do not name attachments", portal.ErrorFields(err))
			}
			if f.count(t) != before {
				t.Errorf("a request was stored")
			}
		})
	}
}

func readAll(t *testing.T, rc interface {
	Read([]byte) (int, error)
	Close() error
}) string {
	t.Helper()
	defer rc.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := rc.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// TestRequestConcurrentActions races handlers on one request: exactly one
// action wins, the others get a conflict, and the timeline has one event.
func TestRequestConcurrentActions(t *testing.T) {
	f := newReqFixture(t)
	for round := 0; round < 3; round++ {
		r := f.file(t, "enterprise", nil)
		r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
		const racers = 8
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, racers)
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				// Every racer signs: once signed, signing no longer fits, so
				// a second success could only come from a lost race. (Sign
				// against return would not do: return still fits after a sign.)
				user, action, in := "handler", portal.ActSign, portal.ActionInput{}
				if i%2 == 1 {
					user = "depthead"
				}
				<-start
				_, errs[i] = f.Requests.Act(f.As(t, user), r.ID, action, in)
			}(i)
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch portal.ErrorCode(err) {
			case "":
				wins++
			case portal.ECONFLICT:
			default:
				t.Errorf("racer failed with %v, want success or conflict", err)
			}
		}
		after, _ := f.Store.FindRequestByID(context.Background(), r.ID)
		acted := 0
		for _, e := range after.Timeline {
			if e.Action == "sign" {
				acted++
			}
		}
		if wins != 1 || acted != 1 || after.Version != r.Version+1 {
			t.Errorf("round %d: %d winners, %d events, version %d; want exactly one of each and version %d", round, wins, acted, after.Version, r.Version+1)
		}
	}
}

func TestRequestNumbersUnderConcurrentFiling(t *testing.T) {
	f := newReqFixture(t)
	const n = 12
	var wg sync.WaitGroup
	nos := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r, err := f.Requests.File(f.As(t, "enterprise"), goodInput(), nil)
			errs[i] = err
			if err == nil {
				nos[i] = r.No
			}
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		portaltest.Must(t, err, "concurrent filing")
	}
	slices.Sort(nos)
	if len(slices.Compact(slices.Clone(nos))) != n {
		t.Errorf("numbers not unique: %v", nos)
	}
	f.now = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) // 08:00 on 1 January in the district
	r := f.file(t, "enterprise", nil)
	if r.No != "HQ-2027-000001" {
		t.Errorf("first number of the new year %s, want HQ-2027-000001", r.No)
	}
}

func TestRequestReturnRedispatchEscalate(t *testing.T) {
	f := newReqFixture(t)
	r := f.file(t, "enterprise", nil)
	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	if _, err := f.Requests.Act(f.As(t, "handler"), r.ID, portal.ActReturn, portal.ActionInput{}); portal.ErrorFields(err)["reason"] == "" {
		t.Errorf("return without reason: %v", err)
	}
	r = f.act(t, "handler", r.ID, portal.ActReturn, portal.ActionInput{Reason: "属于住建部门职责"})
	if r.Status != portal.StatusReturned || r.DepartmentID != "" || r.ReturnReason != "属于住建部门职责" || r.DueAt != nil {
		t.Fatalf("after return: %s dept %q reason %q due %v", r.Status, r.DepartmentID, r.ReturnReason, r.DueAt)
	}
	if _, err := f.Requests.Get(f.As(t, "handler"), r.ID); err != nil {
		t.Errorf("the department no longer reads what it returned: %v", err)
	}
	if _, err := f.Requests.Act(f.As(t, "handler"), r.ID, portal.ActSign, portal.ActionInput{}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Errorf("the department signs what it returned: %v, want a conflict naming the state", err)
	}
	if p, _ := f.Requests.List(f.As(t, "handler"), portal.RequestQuery{Mine: true}); p == nil || p.Total != 0 {
		t.Errorf("the returned request stays in the department's inbox")
	}
	if _, err := f.Requests.Act(f.As(t, "dispatcher"), r.ID, portal.ActDispatch, portal.ActionInput{Department: "district"}); portal.ErrorFields(err)["department"] == "" {
		t.Errorf("dispatch to the district root: %v", err)
	}
	if _, err := f.Requests.Act(f.As(t, "dispatcher"), r.ID, portal.ActDispatch, portal.ActionInput{Department: "nowhere"}); portal.ErrorFields(err)["department"] == "" {
		t.Errorf("dispatch to an unknown unit: %v", err)
	}
	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	gen := r.SLA.Generation
	if _, err := f.Requests.Act(f.As(t, "dispatcher"), r.ID, portal.ActRedispatch, portal.ActionInput{Department: "dept-trans"}); portal.ErrorFields(err)["department"] == "" {
		t.Errorf("redispatch to the same department: %v", err)
	}
	r = f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	if _, err := f.Requests.Act(f.As(t, "handler"), r.ID, portal.ActEscalate, portal.ActionInput{Tier: portal.TierA, Reason: "需要统筹"}); portal.ErrorFields(err)["tier"] == "" {
		t.Errorf("escalating a tier-A request to A: %v", err)
	}
	r = f.act(t, "dispatcher", r.ID, portal.ActRedispatch, portal.ActionInput{Department: f.subB, Reason: "属地处理更快"})
	if r.Tier != portal.TierB || r.SLA.Generation != gen+1 || r.HandlerID != "" || r.Status != portal.StatusDispatched {
		t.Fatalf("after redispatch: tier %s gen %d handler %q status %s", r.Tier, r.SLA.Generation, r.HandlerID, r.Status)
	}
	if _, err := f.Requests.Act(f.As(t, "admin"), r.ID, portal.ActEscalate, portal.ActionInput{Tier: portal.TierA, Reason: "需要统筹"}); portal.ErrorCode(err) != portal.EFORBIDDEN {
		t.Errorf("an admin escalating for the department: %v", err)
	}
	if _, err := f.Requests.Act(f.As(t, "handlerb"), r.ID, portal.ActEscalate, portal.ActionInput{Tier: portal.TierC, Reason: "需要统筹"}); portal.ErrorFields(err)["tier"] == "" {
		t.Errorf("escalating down to C: %v", err)
	}
	r = f.act(t, "handlerb", r.ID, portal.ActEscalate, portal.ActionInput{Tier: portal.TierA, Reason: "涉及跨街道道路，需要区级部门处理"})
	if r.Status != portal.StatusEscalated || r.EscalateTo != portal.TierA || r.DueAt != nil {
		t.Fatalf("after escalate: %s to %s due %v", r.Status, r.EscalateTo, r.DueAt)
	}
	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	if r.Tier != portal.TierA || r.EscalateTo != "" || !slices.Contains(r.PastDepartmentIDs, f.subB) {
		t.Errorf("after dispatching the escalation: tier %s escalate_to %q past %v", r.Tier, r.EscalateTo, r.PastDepartmentIDs)
	}
}

func TestRequestSuspendResume(t *testing.T) {
	f := newReqFixture(t)
	r := f.file(t, "enterprise", nil)
	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	r = f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	r = f.act(t, "handler", r.ID, portal.ActReply, portal.ActionInput{Text: "请补充车辆行驶证复印件。"})
	resolveDue := r.SLA.Leg(portal.LegResolve).Due
	r = f.act(t, "handler", r.ID, portal.ActSuspend, portal.ActionInput{Reason: "等待企业补充材料"})
	if r.Status != portal.StatusSuspended || r.DueAt != nil {
		t.Fatalf("suspended: %s due %v, want no running deadline", r.Status, r.DueAt)
	}
	f.now = f.now.Add(30 * time.Hour)
	r = f.act(t, "dispatcher", r.ID, portal.ActResume, portal.ActionInput{Reason: "材料已补齐"})
	if r.Status != portal.StatusReplied || r.SuspendedAt != nil {
		t.Fatalf("resumed to %s, want replied", r.Status)
	}
	if got := r.SLA.Leg(portal.LegResolve).Due; !got.Equal(resolveDue.Add(30 * time.Hour)) {
		t.Errorf("resolve due %v after 30 h paused, want %v", got, resolveDue.Add(30*time.Hour))
	}
	if r.DueAt == nil || !r.DueAt.Equal(r.SLA.Leg(portal.LegResolve).Due) {
		t.Errorf("running deadline %v, want the resolve leg's", r.DueAt)
	}
}

func TestRequestMergeClosesChildren(t *testing.T) {
	f := newReqFixture(t)
	master := f.file(t, "enterprise", nil)
	child := f.file(t, "liaison", func(in *portal.RequestInput) {
		in.EnterpriseID, in.Channel, in.SourceName = "ent-003", portal.ChannelJointMeeting, "港口物流联席会议"
	})
	for _, c := range []struct {
		name string
		in   portal.ActionInput
	}{
		{"no master", portal.ActionInput{}},
		{"itself", portal.ActionInput{MasterID: child.ID}},
		{"unknown", portal.ActionInput{MasterID: "nope"}},
	} {
		if _, err := f.Requests.Act(f.As(t, "dispatcher"), child.ID, portal.ActMerge, c.in); portal.ErrorFields(err)["master_id"] == "" {
			t.Errorf("merge into %s: %v, want master_id named", c.name, err)
		}
	}
	child = f.act(t, "dispatcher", child.ID, portal.ActMerge, portal.ActionInput{MasterID: master.ID, Reason: "同一道路限行问题"})
	if child.Status != portal.StatusMerged || child.ParentID != master.ID {
		t.Fatalf("child %s parent %q", child.Status, child.ParentID)
	}
	m, _ := f.Store.FindRequestByID(context.Background(), master.ID)
	if !slices.Contains(m.ChildIDs, child.ID) {
		t.Fatalf("master children %v", m.ChildIDs)
	}
	third := f.file(t, "enterprise", nil)
	if _, err := f.Requests.Act(f.As(t, "dispatcher"), third.ID, portal.ActMerge, portal.ActionInput{MasterID: child.ID}); portal.ErrorFields(err)["master_id"] == "" {
		t.Errorf("merge into a merged request: %v", err)
	}
	if _, err := f.Requests.Act(f.As(t, "dispatcher"), master.ID, portal.ActMerge, portal.ActionInput{MasterID: third.ID}); portal.ErrorFields(err)["master_id"] == "" {
		t.Errorf("merge a master into another: %v", err)
	}

	f.act(t, "dispatcher", master.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	f.act(t, "handler", master.ID, portal.ActSign, portal.ActionInput{})
	f.act(t, "handler", master.ID, portal.ActResolve, portal.ActionInput{Text: "已协调交警调整限行时段。"})
	c, _ := f.Store.FindRequestByID(context.Background(), child.ID)
	if c.Status != portal.StatusClosed || c.Resolution != "已协调交警调整限行时段。" || c.ClosedAt == nil {
		t.Fatalf("child after the master resolved: %s %q", c.Status, c.Resolution)
	}
	notes, _, _, _ := f.Notes.FindNotificationsForUser(context.Background(), "u-liaison", portal.NotificationFilter{Limit: 50})
	told := false
	for _, n := range notes {
		told = told || (strings.Contains(n.Title, child.Title) && strings.Contains(n.Title, "一并办结"))
	}
	if !told {
		t.Errorf("the child's filer was not told: %d notifications", len(notes))
	}
}

func TestRequestListScopes(t *testing.T) {
	f := newReqFixture(t)
	mine := f.file(t, "enterprise", nil)
	other := f.file(t, "enterprise2", func(in *portal.RequestInput) { in.Title = "珠宝展会场地咨询" })
	f.act(t, "dispatcher", mine.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	ids := func(user string, q portal.RequestQuery) []string {
		t.Helper()
		p, err := f.Requests.List(f.As(t, user), q)
		portaltest.Must(t, err, "list as %s", user)
		var out []string
		for _, r := range p.Items {
			out = append(out, r.ID)
			if r.Description != "" || len(r.Timeline) != 0 {
				t.Errorf("list carries descriptions or timelines")
			}
		}
		slices.Sort(out)
		return out
	}
	both := []string{mine.ID, other.ID}
	slices.Sort(both)
	for user, want := range map[string][]string{
		"enterprise": {mine.ID}, "enterprise2": {other.ID}, "liaison": {mine.ID}, "handler": {mine.ID},
		"dispatcher": both, "admin": both, "committee": {mine.ID}, "editor": nil,
	} {
		if got := ids(user, portal.RequestQuery{}); !slices.Equal(got, want) {
			t.Errorf("%s sees %v, want %v", user, got, want)
		}
	}
	if got := ids("dispatcher", portal.RequestQuery{Mine: true}); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("dispatcher's queue %v, want only the undispatched %s", got, other.ID)
	}
	if got := ids("admin", portal.RequestQuery{Q: "珠宝"}); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("q=珠宝 finds %v", got)
	}
	if got := ids("admin", portal.RequestQuery{Status: "dispatched"}); !slices.Equal(got, []string{mine.ID}) {
		t.Errorf("status=dispatched finds %v", got)
	}
	f.now = f.now.Add(25 * time.Hour)
	if got := ids("admin", portal.RequestQuery{Overdue: true}); !slices.Equal(got, []string{mine.ID}) {
		t.Errorf("overdue finds %v, want the unsigned dispatched one", got)
	}
	for _, q := range []portal.RequestQuery{{Page: -1}, {PerPage: 1000}, {Status: "lost"}, {Channel: "fax"}, {Q: strings.Repeat("字", 51)}} {
		if _, err := f.Requests.List(f.As(t, "admin"), q); portal.ErrorCode(err) != portal.EINVALID {
			t.Errorf("list %+v: %v, want invalid", q, err)
		}
	}
}
