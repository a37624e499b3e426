package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// ---------- /requests/{id}: the detail page ----------

// progressStep is one step of 提交 → 分拨 → 签收 → 答复 → 办结.
type progressStep struct {
	Label   string
	State   string // done, current, todo, skipped
	At      string
	Current bool
}

// stepOf is the step a request in each state waits at (5: all done).
var stepOf = map[portal.Status]int{
	portal.StatusSubmitted: 1, portal.StatusReturned: 1, portal.StatusEscalated: 1,
	portal.StatusDispatched: 2, portal.StatusReopened: 2,
	portal.StatusSigned: 3, portal.StatusReplied: 4,
	portal.StatusResolved: 5, portal.StatusClosed: 5,
}

// progressOf lays out the five steps of r: those before the one it waits
// at are done; a withdrawn or merged request shows how far it came.
func (s *Server) progressOf(r *portal.Request, now time.Time) []progressStep {
	labels := []string{"提交", "分拨", "签收", "答复", "办结"}
	var dispatchedAt time.Time
	for _, ev := range r.Timeline {
		if ev.Action == string(portal.ActDispatch) || ev.Action == string(portal.ActRedispatch) {
			dispatchedAt = ev.At
		}
	}
	times := []time.Time{r.CreatedAt, dispatchedAt, {}, {}, {}}
	for i, t := range []*time.Time{r.SignedAt, r.RepliedAt, r.ResolvedAt} {
		if t != nil {
			times[i+2] = *t
		}
	}
	current, ended := stepOf[r.Status], false
	switch r.Status {
	case portal.StatusSuspended:
		current = max(stepOf[r.SuspendedFrom], 3)
	case portal.StatusWithdrawn, portal.StatusMerged:
		current, ended = 1, true
		if !dispatchedAt.IsZero() {
			current = 2
		}
	}
	steps := make([]progressStep, len(labels))
	for i, l := range labels {
		st := progressStep{Label: l, State: "todo"}
		switch {
		case i < current:
			st.State = "done"
			if !times[i].IsZero() {
				st.At = s.shortTime(times[i], now)
			}
		case i == current && !ended:
			st.State, st.Current = "current", true
		case ended:
			st.State = "skipped"
		}
		steps[i] = st
	}
	return steps
}

// statusLine says in one sentence where r stands.
func statusLine(r *portal.Request) string {
	dept := cmpOr(r.DepartmentName, "承办单位")
	switch r.Status {
	case portal.StatusSubmitted:
		return "已提交，等待分拨员分派承办单位"
	case portal.StatusDispatched:
		return "已分拨至" + dept + "，等待签收"
	case portal.StatusSigned:
		return dept + "已签收，正在办理"
	case portal.StatusReplied:
		return dept + "已答复，正在办理直至办结"
	case portal.StatusResolved:
		return dept + "已办结，等待企业评价"
	case portal.StatusClosed:
		return "诉求已办结关闭"
	case portal.StatusReturned:
		return "承办单位退回，等待重新分拨" + withReason(r.ReturnReason)
	case portal.StatusSuspended:
		return "办理暂停，等待企业补充情况后恢复"
	case portal.StatusWithdrawn:
		return "诉求已撤回"
	case portal.StatusMerged:
		return "已并入主诉求，随主诉求一并办理"
	case portal.StatusEscalated:
		return fmt.Sprintf("%s申请升级至 %s 级，等待分拨员处理", dept, r.EscalateTo)
	case portal.StatusReopened:
		return "重新办理，等待" + dept + "签收"
	}
	return portal.StatusNames[r.Status]
}

func withReason(reason string) string {
	if reason == "" {
		return ""
	}
	return "：" + reason
}

// eventView is one line of the timeline.
type eventView struct {
	At         string // in district time
	Stamp      string // RFC 3339, for the time element
	Actor      string
	Action     string
	To         string
	Department string
	Note       string
}

// eventNames name the timeline entries that are not public actions.
var eventNames = map[string]string{"attach": "上传附件"}

// legView is one deadline of the request.
type legView struct {
	Name    string
	Due     string
	Done    string
	OnTime  bool
	Late    bool // done late, or still running past the deadline
	Running bool
	// Left is the time remaining (or, when late, past the deadline) of a
	// running leg, in words.
	Left string
}

// extensionView is the extension part of the detail page: the form to ask
// for one, or the pending one with its decision form.
type extensionView struct {
	Legs    []legChoice // legs the actor may ask to extend
	Pending *portal.ExtensionRequest
	Decide  bool // the actor may decide the pending one
	LegName string
	NewDue  string
}

// legChoice is one option of the extension form's leg select.
type legChoice struct{ Value, Label string }

// durationWords says a duration the way a deadline is spoken of:
// "2 天 3 小时", "45 分钟".
func durationWords(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d 天 %d 小时", days, hours)
	case days > 0:
		return fmt.Sprintf("%d 天", days)
	case hours > 0:
		return fmt.Sprintf("%d 小时 %d 分钟", hours, mins)
	default:
		return fmt.Sprintf("%d 分钟", max(mins, 1))
	}
}

// attachmentView is one file with its download link.
type attachmentView struct {
	portal.Attachment
	URL  string
	Kind string
	Size string
}

// sizeText writes a file size for people.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(int((n+1023)/1024)) + " KB"
	default:
		return strconv.FormatInt(n, 10) + " 字节"
	}
}

// linkView is a link to a related request or policy.
type linkView struct {
	URL, Label, Note string
}

// requestDetailData is what request.html shows.
type requestDetailData struct {
	R            *portal.Request
	Row          requestRow
	StatusLine   string
	Steps        []progressStep
	Events       []eventView
	Legs         []legView
	Attachments  []attachmentView
	Parent       *linkView
	Children     []linkView
	Policies     []linkView
	Forms        []actionForm
	Extension    extensionView
	Feedback     *feedbackPanelView // the enterprise's answer and the survey (回访)
	MayAttach    bool
	AttachError  string
	UploadMaxMiB int64
	CSRF         string
	BackURL      string
	BackLabel    string
}

// extensionOf is what the actor may do about extensions of r.
func (s *Server) extensionOf(ctx context.Context, r *portal.Request, now time.Time) extensionView {
	var v extensionView
	if r.Extension != nil {
		v.Pending = r.Extension
		v.LegName = portal.LegNames[r.Extension.Leg]
		v.NewDue = s.shortTime(r.Extension.NewDue, now)
		v.Decide = s.opt.Requests.MayDecideExtension(ctx, r)
		return v
	}
	for _, l := range s.opt.Requests.ExtendableLegs(ctx, r) {
		v.Legs = append(v.Legs, legChoice{Value: string(l), Label: portal.LegNames[l]})
	}
	return v
}

func (s *Server) requestPage(c *gin.Context) {
	if s.requestActor(c) == nil {
		return
	}
	r, err := s.opt.Requests.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderRequest(c, http.StatusOK, r, nil, "")
}

// renderRequest shows the detail page of r; failed, when set, is the
// action form refused with its typed input and messages, attachErr the
// refused upload's message.
func (s *Server) renderRequest(c *gin.Context, status int, r *portal.Request, failed *actionForm, attachErr string) {
	ctx := c.Request.Context()
	a := portal.ActorFrom(ctx)
	cats, _, err := s.categoryNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.requestNow()
	csrf := csrfToken(c, s.opt.SecureCookies)
	d := requestDetailData{R: r, Row: s.rowOf(r, cats, now), StatusLine: statusLine(r), Steps: s.progressOf(r, now),
		MayAttach: s.opt.Requests.MayAttach(ctx, r), AttachError: attachErr, UploadMaxMiB: s.uploadMaxMiB(), CSRF: csrf,
		BackURL: "/requests", BackLabel: requestListTitle(a)}
	switch {
	case a.HasAny(portal.RoleHandler, portal.RoleDeptHead) && a.UnitID != "" && a.UnitID == r.DepartmentID:
		d.BackURL, d.BackLabel = "/requests/inbox", "待办诉求"
	case a.Has(portal.RoleDispatcher) && slices.Contains(portal.TriageStatuses, r.Status):
		d.BackURL, d.BackLabel = "/requests/triage", "分拨台"
	}
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		ev := r.Timeline[i]
		v := eventView{At: ev.At.In(s.opt.Location).Format("2006-01-02 15:04"), Stamp: ev.At.Format(time.RFC3339), Actor: ev.ActorName, Department: ev.Department, Note: ev.Note,
			Action: cmpOr(portal.ActionNames[portal.Action(ev.Action)], cmpOr(eventNames[ev.Action], ev.Action))}
		if ev.To != "" && ev.To != ev.From {
			v.To = portal.StatusNames[ev.To]
		}
		d.Events = append(d.Events, v)
	}
	if r.SLA != nil {
		for _, l := range r.SLA.Legs {
			lv := legView{Name: portal.LegNames[l.Leg], Due: s.shortTime(l.Due, now)}
			if l.DoneAt != nil {
				lv.Done = s.shortTime(*l.DoneAt, now)
				lv.OnTime = l.OnTime != nil && *l.OnTime
				lv.Late = !lv.OnTime
			} else {
				lv.Running = r.Status.Open() && r.Status != portal.StatusSuspended
				lv.Late = lv.Running && !now.Before(l.Due)
				switch {
				case lv.Late:
					lv.Left = "已超期 " + durationWords(now.Sub(l.Due))
				case lv.Running:
					lv.Left = "剩余 " + durationWords(l.Due.Sub(now))
				}
			}
			d.Legs = append(d.Legs, lv)
		}
	}
	for _, att := range r.Attachments {
		d.Attachments = append(d.Attachments, attachmentView{Attachment: att, Size: sizeText(att.Size),
			URL:  "/api/v1/requests/" + url.PathEscape(r.ID) + "/attachments/" + url.PathEscape(att.ID),
			Kind: attachmentKind(att.ContentType)})
	}
	d.Extension = s.extensionOf(ctx, r, now)
	d.Feedback = s.feedbackPanelOf(ctx, r, now)
	d.Parent, d.Children = s.relatedRequests(ctx, r)
	d.Policies = s.relatedPolicies(ctx, r)
	forms, err := s.actionForms(ctx, r, "/requests/"+r.ID, csrf, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range forms {
		if failed != nil && forms[i].Action == failed.Action {
			forms[i].fill(failed)
		}
	}
	d.Forms = forms
	s.render(c, status, "request", r.No+" "+r.Title, d)
}

// attachmentKind names the sort of file from its sniffed type.
func attachmentKind(ct string) string {
	switch {
	case strings.HasPrefix(ct, "image/"):
		return "图片"
	case ct == "application/pdf":
		return "PDF"
	case strings.HasPrefix(ct, "audio/") || ct == "application/ogg":
		return "音频"
	case strings.HasPrefix(ct, "video/"):
		return "视频"
	}
	return "文件"
}

// relatedRequests links the master and the merged children the actor sees.
func (s *Server) relatedRequests(ctx context.Context, r *portal.Request) (*linkView, []linkView) {
	var parent *linkView
	if r.ParentID != "" {
		if p, err := s.opt.Requests.Get(ctx, r.ParentID); err == nil {
			parent = &linkView{URL: "/requests/" + p.ID, Label: p.No, Note: p.Title}
		}
	}
	var children []linkView
	for _, id := range r.ChildIDs {
		if ch, err := s.opt.Requests.Get(ctx, id); err == nil {
			children = append(children, linkView{URL: "/requests/" + ch.ID, Label: ch.No, Note: ch.EnterpriseName})
		}
	}
	return parent, children
}

// relatedPolicies links the policies that answer r, by title where the
// catalogue still has them.
func (s *Server) relatedPolicies(ctx context.Context, r *portal.Request) []linkView {
	var out []linkView
	for _, id := range r.PolicyIDs {
		l := linkView{URL: "/policies/" + url.PathEscape(id), Label: "政策 " + id}
		if s.opt.Policies != nil {
			if p, err := s.opt.Policies.Get(ctx, id); err == nil {
				l.Label = p.Title
			}
		}
		out = append(out, l)
	}
	return out
}
