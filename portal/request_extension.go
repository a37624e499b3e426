package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ExtensionRequest is a department's pending request (延期申请) to move the
// deadline of one leg, waiting for a dispatcher or the department head.
type ExtensionRequest struct {
	Leg Leg `json:"leg" bson:"leg"`
	// Due is the leg's deadline when asked; NewDue the one asked for.
	Due    time.Time `json:"due" bson:"due"`
	NewDue time.Time `json:"new_due" bson:"new_due"`
	// ExtraDays is the number of working days asked for, 0 when a new
	// deadline was named instead.
	ExtraDays       int       `json:"extra_days,omitempty" bson:"extra_days,omitempty"`
	CalendarVersion string    `json:"calendar_version,omitempty" bson:"calendar_version,omitempty"`
	Reason          string    `json:"reason" bson:"reason"`
	Generation      int       `json:"generation" bson:"generation"` // of the SLA when asked
	RequestedByID   string    `json:"requested_by_id" bson:"requested_by_id"`
	RequestedByName string    `json:"requested_by_name" bson:"requested_by_name"`
	RequestedAt     time.Time `json:"requested_at" bson:"requested_at"`
}

// LegExtender is what a Deadliner also offers when extensions may be
// asked in working days and written in the district's time.
type LegExtender interface {
	// ExtendByWorkingDays returns the end of the nth working day after
	// the day deadline due falls in, with the calendar version used.
	ExtendByWorkingDays(ctx context.Context, due time.Time, n int) (time.Time, string, error)
	// Location is the district's zone.
	Location() *time.Location
}

// ExtensionInput asks to extend one leg: either a new deadline (Due, RFC
// 3339; a date alone means the end of that day, a time without offset is
// district time) or a number of working days (ExtraDays), with a reason.
type ExtensionInput struct {
	Leg       string `json:"leg"`
	Due       string `json:"due"`
	ExtraDays int    `json:"extra_days"`
	Reason    string `json:"reason"`
	// Version, when set, is the version the actor saw; a newer one answers 409.
	Version int `json:"version"`
}

// ExtensionDecision approves or refuses the pending extension; a refusal
// needs a note saying why.
type ExtensionDecision struct {
	Approve *bool  `json:"approve"`
	Note    string `json:"note"`
	Version int    `json:"version"`
}

// Timeline actions of extensions.
const (
	actExtensionRequest = "extension_request"
	actExtensionApprove = "extension_approve"
	actExtensionRefuse  = "extension_refuse"
)

// MaxExtensionSpan bounds how far past the current deadline an extension
// may reach.
const MaxExtensionSpan = 90 * 24 * time.Hour

// extensionStatuses are the states in which deadlines run and may be extended.
var extensionStatuses = []Status{StatusDispatched, StatusSigned, StatusReplied, StatusReopened}

// extensionLapsed reports whether r's pending extension no longer fits:
// its leg is done or gone, or the deadlines were recomputed since.
func extensionLapsed(r *Request) bool {
	x := r.Extension
	if x == nil {
		return false
	}
	leg := r.SLA.Leg(x.Leg)
	return leg == nil || leg.DoneAt != nil || r.SLA.Generation != x.Generation || !slices.Contains(extensionStatuses, r.Status)
}

// zone is the district's zone for reading and writing deadlines.
func (s *RequestService) zone() *time.Location {
	if x, ok := s.Deadlines.(LegExtender); ok {
		return x.Location()
	}
	return time.UTC
}

// ExtendableLegs returns the legs the actor in ctx may ask to extend on
// r, which the actor sees: for a handler or head of r's department, the
// running legs whose deadline has not passed, while no extension waits.
func (s *RequestService) ExtendableLegs(ctx context.Context, r *Request) []Leg {
	a := ActorFrom(ctx)
	if a == nil || r == nil || r.SLA == nil || !s.mayAct(a, r, byHandler) || !slices.Contains(extensionStatuses, r.Status) ||
		(r.Extension != nil && !extensionLapsed(r)) {
		return nil
	}
	now := s.now()
	var out []Leg
	for _, l := range r.SLA.Legs {
		if l.DoneAt == nil && now.Before(l.Due) {
			out = append(out, l.Leg)
		}
	}
	return out
}

// MayDecideExtension reports whether the actor in ctx may decide r's
// pending extension: a dispatcher, an admin or the head of r's
// department, other than whoever asked.
func (s *RequestService) MayDecideExtension(ctx context.Context, r *Request) bool {
	a := ActorFrom(ctx)
	return a != nil && r != nil && r.Extension != nil && s.mayDecide(a, r) && a.UserID != r.Extension.RequestedByID
}

func (s *RequestService) mayDecide(a *Actor, r *Request) bool {
	return s.mayAct(a, r, byDispatcher) || (a.Has(RoleDeptHead) && a.UnitID != "" && a.UnitID == r.DepartmentID)
}

// parseExtensionDue reads a new deadline as ExtensionInput describes.
func parseExtensionDue(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t.AddDate(0, 0, 1), true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// extensionConflict is the 409 of an extension that does not fit r's state.
func extensionConflict(r *Request, format string, args ...any) error {
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf(format, args...), Fields: map[string]string{"status": string(r.Status)}}
}

// RequestExtension records a department's request to extend one leg of r
// before its deadline, for a dispatcher or the department head to decide.
// Only a handler or head of r's department asks (403 otherwise, 404 for
// a request the actor does not see); deadlines must be running and no
// other extension pending (409). Bad input changes nothing and is named.
func (s *RequestService) RequestExtension(ctx context.Context, id string, in ExtensionInput) (*Request, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	denied := Errorf(EFORBIDDEN, "只有承办单位可以申请延期")
	if !roleMay(a, byHandler) {
		return nil, denied
	}
	if !slices.Contains(extensionStatuses, r.Status) || r.SLA == nil {
		return nil, extensionConflict(r, "诉求当前状态为“%s”，不能申请延期", StatusNames[r.Status])
	}
	if !s.mayAct(a, r, byHandler) {
		return nil, denied
	}
	if in.Version != 0 && in.Version != r.Version {
		return nil, extensionConflict(r, "诉求已被他人更新，请刷新后重试")
	}
	if r.Extension != nil && !extensionLapsed(r) {
		return nil, extensionConflict(r, "该诉求已有待审批的延期申请（%s），请等待审批结果", LegNames[r.Extension.Leg])
	}
	now := s.now()
	loc := s.zone()
	f := map[string]string{}
	reason := checkText(f, "reason", "延期理由", in.Reason, 2, 200)
	leg := r.SLA.Leg(Leg(strings.TrimSpace(in.Leg)))
	switch {
	case strings.TrimSpace(in.Leg) == "":
		f["leg"] = "请选择要延期的环节：签收、答复或办结"
	case leg == nil:
		f["leg"] = "未知的环节，应为 sign（签收）、reply（答复）或 resolve（办结）"
	case leg.DoneAt != nil:
		f["leg"] = fmt.Sprintf("“%s”环节已完成，无需延期", LegNames[leg.Leg])
	case !now.Before(leg.Due):
		f["leg"] = fmt.Sprintf("“%s”环节已于 %s 超期，超期后不能再申请延期", LegNames[leg.Leg], leg.Due.In(loc).Format("2006-01-02 15:04"))
		leg = nil
	}
	x := &ExtensionRequest{Reason: reason, ExtraDays: in.ExtraDays, RequestedByID: a.UserID, RequestedByName: a.Name(),
		RequestedAt: now, Generation: r.SLA.Generation}
	due := strings.TrimSpace(in.Due)
	switch {
	case due != "" && in.ExtraDays != 0:
		f["due"] = "延期后的截止时间和延长的工作日数只填一项"
	case due == "" && in.ExtraDays == 0:
		f["due"] = "请填写延期后的截止时间，或延长的工作日数"
	case in.ExtraDays != 0 && (in.ExtraDays < 1 || in.ExtraDays > MaxExtensionDays):
		f["extra_days"] = fmt.Sprintf("延长的工作日数必须是 1–%d 的整数", MaxExtensionDays)
	case in.ExtraDays != 0:
		ext, ok := s.Deadlines.(LegExtender)
		if !ok {
			f["extra_days"] = "未配置工作日历，请直接填写延期后的截止时间"
		} else if leg != nil {
			if x.NewDue, x.CalendarVersion, err = ext.ExtendByWorkingDays(ctx, leg.Due, in.ExtraDays); err != nil {
				return nil, err
			}
		}
	default:
		t, ok := parseExtensionDue(due, loc)
		switch {
		case !ok:
			f["due"] = "截止时间格式应为 2026-03-10（当天结束前）或 RFC 3339，如 2026-03-10T18:00:00+08:00"
		case leg != nil && !t.After(leg.Due):
			f["due"] = fmt.Sprintf("延期后的截止时间必须晚于当前截止时间 %s", leg.Due.In(loc).Format("2006-01-02 15:04"))
		case leg != nil && t.Sub(leg.Due) > MaxExtensionSpan:
			f["due"] = fmt.Sprintf("一次最多延期 %d 天", int(MaxExtensionSpan/(24*time.Hour)))
		}
		x.NewDue = t.UTC()
	}
	if len(f) > 0 {
		return nil, Invalid("延期申请有误", f)
	}
	x.Leg, x.Due = leg.Leg, leg.Due
	next := cloneRequest(r)
	next.Extension = x
	note := fmt.Sprintf("申请将%s时限由 %s 延至 %s：%s", LegNames[x.Leg], x.Due.In(loc).Format("2006-01-02 15:04"),
		x.NewDue.In(loc).Format("2006-01-02 15:04"), reason)
	return s.storeExtension(ctx, r, next, actExtensionRequest, Event{At: now, ActorID: a.UserID, ActorName: a.Name(),
		Action: actExtensionRequest, From: r.Status, To: r.Status, Department: r.DepartmentName, Note: note})
}

// DecideExtension approves or refuses r's pending extension: a dispatcher
// or admin, or the head of r's department, other than whoever asked (403
// otherwise; 404 for a request the actor does not see; 409 when nothing
// waits). Approval moves the leg's deadline and starts a new SLA
// generation, so that chasing tasks of the old one do nothing; a refusal
// changes no deadline. An extension that lapsed (its leg done, or the
// deadlines recomputed since) can only be refused.
func (s *RequestService) DecideExtension(ctx context.Context, id string, in ExtensionDecision) (*Request, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	denied := Errorf(EFORBIDDEN, "只有分拨员或承办单位负责人可以审批延期申请")
	if !a.HasAny(RoleDispatcher, RoleAdmin, RoleDeptHead) {
		return nil, denied
	}
	if r.Extension == nil {
		return nil, extensionConflict(r, "该诉求没有待审批的延期申请")
	}
	if !s.mayDecide(a, r) {
		return nil, denied
	}
	if a.UserID == r.Extension.RequestedByID {
		return nil, Errorf(EFORBIDDEN, "不能审批自己提出的延期申请")
	}
	if in.Version != 0 && in.Version != r.Version {
		return nil, extensionConflict(r, "诉求已被他人更新，请刷新后重试")
	}
	f := map[string]string{}
	minNote := 0
	if in.Approve != nil && !*in.Approve {
		minNote = 2
	}
	note := checkText(f, "note", "审批意见", in.Note, minNote, 200)
	if in.Approve == nil {
		f["approve"] = "请选择同意或不同意"
	}
	if len(f) > 0 {
		if _, ok := f["note"]; ok && minNote > 0 && strings.TrimSpace(in.Note) == "" {
			f["note"] = "不同意延期时请说明理由"
		}
		return nil, Invalid("审批信息有误", f)
	}
	x := r.Extension
	if *in.Approve && extensionLapsed(r) {
		return nil, extensionConflict(r, "延期申请已失效（“%s”环节已完成或时限已重新计算），只能不予同意", LegNames[x.Leg])
	}
	now := s.now()
	loc := s.zone()
	next := cloneRequest(r)
	next.Extension = nil
	ev := Event{At: now, ActorID: a.UserID, ActorName: a.Name(), From: r.Status, To: r.Status, Department: r.DepartmentName}
	action := actExtensionRefuse
	if *in.Approve {
		action = actExtensionApprove
		leg := next.SLA.Leg(x.Leg)
		leg.Due, leg.Rungs = x.NewDue, nil
		next.SLA.Generation++
		if x.CalendarVersion != "" {
			next.SLA.CalendarVersion = joinCalendarVersions(next.SLA.CalendarVersion, x.CalendarVersion)
		}
		next.DueAt = next.SLA.NextDue()
		ev.Note = fmt.Sprintf("同意将%s时限由 %s 延至 %s", LegNames[x.Leg], x.Due.In(loc).Format("2006-01-02 15:04"), x.NewDue.In(loc).Format("2006-01-02 15:04"))
	} else {
		ev.Note = fmt.Sprintf("不同意%s环节延期", LegNames[x.Leg])
	}
	if note != "" {
		ev.Note += "：" + note
	}
	ev.Action = action
	return s.storeExtension(ctx, r, next, action, ev)
}

// storeExtension writes next (r with the extension change and event ev)
// over r's version, audits it and runs the after-effects.
func (s *RequestService) storeExtension(ctx context.Context, r, next *Request, action string, ev Event) (*Request, error) {
	next.Timeline = append(next.Timeline, ev)
	next.UpdatedAt = ev.At
	if err := s.planRungs(ctx, next); err != nil {
		return nil, err
	}
	if err := s.Store.UpdateRequest(ctx, next, r.Version); err != nil {
		return nil, s.conflictNow(ctx, r.ID, err)
	}
	if err := s.Audit.Record(ctx, "request."+action, "request", r.ID, OutcomeOK, next.No+" "+ev.Note); err != nil {
		return nil, Internal(err)
	}
	s.after(ctx, r, next, action)
	if err := s.notifyExtension(ctx, next, action, r.Extension); err != nil {
		s.log().Error("notify extension", "request", r.ID, "action", action, "err", err)
	}
	return next, nil
}

// notifyExtension tells the deciders of a new extension request (the
// dispatchers of the request's area and the department's heads) and the
// asker of the decision.
func (s *RequestService) notifyExtension(ctx context.Context, r *Request, action string, decided *ExtensionRequest) error {
	if s.Notify == nil {
		return nil
	}
	var to []string
	var title string
	switch action {
	case actExtensionRequest:
		dispatchers, err := s.dispatchersFor(ctx, r)
		if err != nil {
			return err
		}
		heads, err := s.departmentHeads(ctx, r.DepartmentID)
		if err != nil {
			return err
		}
		to = append(dispatchers, heads...)
		title = fmt.Sprintf("诉求 %s 申请%s延期，请审批", r.No, LegNames[r.Extension.Leg])
	default:
		to = []string{decided.RequestedByID}
		verdict := "已同意"
		if action == actExtensionRefuse {
			verdict = "未获同意"
		}
		title = fmt.Sprintf("诉求 %s 的%s延期申请%s", r.No, LegNames[decided.Leg], verdict)
	}
	actor := ""
	if a := ActorFrom(ctx); a != nil {
		actor = a.UserID
	}
	slices.Sort(to)
	to = slices.Compact(to)
	now := s.now()
	var ns []*Notification
	for _, u := range to {
		if u == "" || u == actor {
			continue
		}
		ns = append(ns, &Notification{ID: NewID(), UserID: u, Kind: NotifyRequest, Title: title, Body: r.Timeline[len(r.Timeline)-1].Note,
			Link: "/requests/" + r.ID, DedupKey: fmt.Sprintf("request:%s:%d:%s", r.ID, r.Version, u), CreatedAt: now})
	}
	if len(ns) == 0 {
		return nil
	}
	_, err := s.Notify.CreateNotifications(ctx, ns)
	return err
}

// departmentHeads returns the active heads of a department.
func (s *RequestService) departmentHeads(ctx context.Context, unit string) ([]string, error) {
	if unit == "" {
		return nil, nil
	}
	active := UserActive
	users, _, err := s.Users.FindUsers(ctx, UserFilter{UnitID: &unit, Status: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		if slices.Contains(u.Roles, RoleDeptHead) {
			out = append(out, u.ID)
		}
	}
	return out, nil
}
