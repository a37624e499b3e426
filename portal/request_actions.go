package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Action is something done to a request.
type Action string

// Request actions. Reopen and close come only with the enterprise's
// feedback (FeedbackService.settle), never through Act.
const (
	ActDispatch   Action = "dispatch"
	ActRedispatch Action = "redispatch"
	ActSign       Action = "sign"
	ActReply      Action = "reply"
	ActResolve    Action = "resolve"
	ActReturn     Action = "return"
	ActSuspend    Action = "suspend"
	ActResume     Action = "resume"
	ActWithdraw   Action = "withdraw"
	ActMerge      Action = "merge"
	ActEscalate   Action = "escalate"
	ActReopen     Action = "reopen"
	ActClose      Action = "close"
)

// ActionNames are the Chinese names of the actions, as timelines show them.
var ActionNames = map[Action]string{
	"file": "提交诉求", ActDispatch: "分拨", ActRedispatch: "改派", ActSign: "签收", ActReply: "答复",
	ActResolve: "办结", ActReturn: "退回", ActSuspend: "挂起", ActResume: "恢复办理", ActWithdraw: "撤回",
	ActMerge: "合并", ActEscalate: "申请升级", ActReopen: "重办", ActClose: "关闭",
	"merge_child": "并入子诉求", "close_child": "随主诉求办结",
	"extension_request": "申请延期", "extension_approve": "同意延期", "extension_refuse": "不同意延期",
	"warn": "预警", "chase": "催办", "supervise": "督办", "censure": "通报",
	"feedback_review": "不满意转复核", "feedback_unrated": "未评价关闭",
	ActSpotCheck: "抽查核实",
}

// PublicActions are the actions users take through the API and pages.
var PublicActions = []Action{ActDispatch, ActRedispatch, ActSign, ActReply, ActResolve, ActReturn,
	ActSuspend, ActResume, ActWithdraw, ActMerge, ActEscalate}

// who may take an action, beyond seeing the request.
type who int

const (
	byDispatcher who = iota // a dispatcher whose area covers it, or an admin
	byHandler               // a handler or head of the request's department
	byHandlerOrDispatcher
	byOwner  // the enterprise, whoever filed it, or its liaison
	bySystem // the feedback loop, never a user directly
)

// transition is one row of the state machine.
type transition struct {
	from []Status
	to   Status // "" keeps the state (resume returns to the state before)
	who  who
}

// transitions is the state machine of requests.
var transitions = map[Action]transition{
	ActDispatch:   {from: []Status{StatusSubmitted, StatusReturned, StatusEscalated}, to: StatusDispatched, who: byDispatcher},
	ActRedispatch: {from: []Status{StatusDispatched, StatusSigned, StatusReplied, StatusReopened}, to: StatusDispatched, who: byDispatcher},
	ActSign:       {from: []Status{StatusDispatched, StatusReopened}, to: StatusSigned, who: byHandler},
	ActReply:      {from: []Status{StatusSigned}, to: StatusReplied, who: byHandler},
	ActResolve:    {from: []Status{StatusSigned, StatusReplied}, to: StatusResolved, who: byHandler},
	ActReturn:     {from: []Status{StatusDispatched, StatusSigned, StatusReopened}, to: StatusReturned, who: byHandler},
	ActSuspend:    {from: []Status{StatusSigned, StatusReplied}, to: StatusSuspended, who: byHandler},
	ActResume:     {from: []Status{StatusSuspended}, who: byHandlerOrDispatcher},
	ActWithdraw:   {from: []Status{StatusSubmitted, StatusDispatched, StatusReturned, StatusEscalated}, to: StatusWithdrawn, who: byOwner},
	ActMerge:      {from: []Status{StatusSubmitted, StatusDispatched, StatusReturned, StatusEscalated}, to: StatusMerged, who: byDispatcher},
	ActEscalate:   {from: []Status{StatusDispatched, StatusSigned, StatusReplied}, to: StatusEscalated, who: byHandler},
	ActReopen:     {from: []Status{StatusResolved, StatusClosed}, to: StatusReopened, who: bySystem},
	ActClose:      {from: []Status{StatusResolved}, to: StatusClosed, who: bySystem},
}

// Allowed reports whether action may be taken on a request in state s,
// whoever takes it; pages use it to offer only the buttons that can work.
func (a Action) Allowed(s Status) bool {
	t, ok := transitions[a]
	return ok && slices.Contains(t.from, s)
}

// ActionInput is what an action is taken with.
type ActionInput struct {
	Department string   `json:"department"` // dispatch, redispatch
	Reason     string   `json:"reason"`     // return, suspend, resume, withdraw, escalate, redispatch, merge
	Text       string   `json:"text"`       // reply, resolve
	Tier       Tier     `json:"tier"`       // escalate: the tier asked for
	MasterID   string   `json:"master_id"`  // merge
	PolicyIDs  []string `json:"policy_ids"` // reply, resolve: policies that answer it
	// Version, when set, is the version the actor saw; a newer one answers 409.
	Version int `json:"version"`
}

// tierRank orders tiers from the community up to the district.
var tierRank = map[Tier]int{TierC: 1, TierB: 2, TierA: 3}

// Act takes a public action on a request the actor may see.
func (s *RequestService) Act(ctx context.Context, id string, action Action, in ActionInput) (*Request, error) {
	if !slices.Contains(PublicActions, action) {
		return nil, Errorf(ENOTFOUND, "未知的操作")
	}
	return s.act(ctx, id, action, in)
}

func (s *RequestService) act(ctx context.Context, id string, action Action, in ActionInput) (*Request, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	// The role first (a role that never may act learns nothing more), then
	// the state (so that of two racing handlers the loser hears that the
	// request moved on), then whether this actor has this request.
	t := transitions[action]
	denied := Errorf(EFORBIDDEN, "您无权对该诉求执行“%s”", ActionNames[action])
	if !roleMay(a, t.who) {
		return nil, denied
	}
	if !slices.Contains(t.from, r.Status) {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("诉求当前状态为“%s”，不能%s", StatusNames[r.Status], ActionNames[action]),
			Fields: map[string]string{"status": string(r.Status)}}
	}
	if !s.mayAct(a, r, t.who) {
		return nil, denied
	}
	if in.Version != 0 && in.Version != r.Version {
		return nil, &Error{Code: ECONFLICT, Message: "诉求已被他人更新，请刷新后重试", Fields: map[string]string{"status": string(r.Status)}}
	}
	next := cloneRequest(r)
	now := s.now()
	ev := Event{At: now, ActorID: a.UserID, ActorName: a.Name(), Action: string(action), From: r.Status}
	var master *Request
	switch action {
	case ActDispatch, ActRedispatch:
		err = s.dispatch(ctx, next, action, in, &ev, now)
	case ActSign:
		next.HandlerID, next.HandlerName, next.SignedAt = a.UserID, a.Name(), &now
		stampLeg(next, LegSign, now)
	case ActReply, ActResolve:
		err = s.answer(next, action, in, &ev, now)
	case ActReturn, ActSuspend, ActWithdraw:
		err = s.withReason(next, action, in, &ev, now)
	case ActResume:
		err = s.resume(ctx, next, in, &ev, now)
	case ActEscalate:
		err = s.escalate(next, in, &ev)
	case ActMerge:
		master, err = s.mergeInto(ctx, next, in, &ev)
	}
	if err != nil {
		return nil, err
	}
	if t.to != "" {
		next.Status = t.to
	}
	ev.To = next.Status
	next.Timeline = append(next.Timeline, ev)
	next.DueAt = nil
	if next.Status.Open() && next.Status != StatusSuspended && next.Status != StatusEscalated && next.Status != StatusReturned {
		next.DueAt = next.SLA.NextDue()
	}
	next.UpdatedAt = now
	if err := s.planRungs(ctx, next); err != nil {
		return nil, err
	}
	if err := s.Store.UpdateRequest(ctx, next, r.Version); err != nil {
		return nil, s.conflictNow(ctx, r.ID, err)
	}
	if err := s.Audit.Record(ctx, "request."+string(action), "request", r.ID, OutcomeOK, next.No+" "+ev.Note); err != nil {
		return nil, Internal(err)
	}
	if master != nil {
		s.adoptChild(ctx, master.ID, next, a, now)
	}
	s.after(ctx, r, next, string(action))
	return next, nil
}

// roleMay reports whether a holds a role that may ever take an action of kind w.
func roleMay(a *Actor, w who) bool {
	switch w {
	case byDispatcher:
		return a.HasAny(RoleDispatcher, RoleAdmin)
	case byHandler:
		return a.HasAny(RoleHandler, RoleDeptHead)
	case byHandlerOrDispatcher:
		return a.HasAny(RoleHandler, RoleDeptHead, RoleDispatcher, RoleAdmin)
	case byOwner:
		return a.HasAny(RoleEnterprise, RoleLiaison, RoleDispatcher, RoleAdmin)
	case bySystem:
		return a.IsAdmin()
	}
	return false
}

// conflictNow adds the request's state as stored now to a conflict with a
// concurrent change, so that every 409 tells the caller where it stands.
func (s *RequestService) conflictNow(ctx context.Context, id string, err error) error {
	if !IsCode(err, ECONFLICT) {
		return err
	}
	cur, ferr := s.Store.FindRequestByID(ctx, id)
	if ferr != nil {
		return err
	}
	return &Error{Code: ECONFLICT, Message: ErrorMessage(err), Fields: map[string]string{"status": string(cur.Status)}}
}

// mayAct reports whether a may take an action of kind w on r, which a sees.
func (s *RequestService) mayAct(a *Actor, r *Request, w who) bool {
	dispatcher := a.Has(RoleDispatcher) || a.IsAdmin()
	handler := a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "" && a.UnitID == r.DepartmentID
	switch w {
	case byDispatcher:
		return dispatcher
	case byHandler:
		return handler
	case byHandlerOrDispatcher:
		return handler || dispatcher
	case byOwner:
		return (a.Has(RoleEnterprise) && a.EnterpriseID == r.EnterpriseID) || r.FiledByID == a.UserID ||
			(a.Has(RoleLiaison) && r.LiaisonID == a.UserID)
	case bySystem:
		return a.IsAdmin()
	}
	return false
}

// dispatch sends next to the department named in the input.
func (s *RequestService) dispatch(ctx context.Context, next *Request, action Action, in ActionInput, ev *Event, now time.Time) error {
	f := map[string]string{}
	reason := checkText(f, "reason", "改派原因", in.Reason, 0, 200)
	dept := strings.TrimSpace(in.Department)
	var unit *OrgUnit
	if dept == "" {
		f["department"] = "请选择承办单位"
	} else if len(dept) <= 64 {
		units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{dept}})
		if err != nil {
			return err
		}
		if len(units) == 1 && units[0].Tier.Valid() {
			unit = units[0]
		}
	}
	switch {
	case dept != "" && unit == nil:
		f["department"] = "承办单位不存在"
	case unit != nil && action == ActRedispatch && unit.ID == next.DepartmentID:
		f["department"] = "改派的承办单位不能与当前单位相同"
	}
	if len(f) > 0 {
		return Invalid("分拨信息有误", f)
	}
	if next.DepartmentName != "" && action == ActRedispatch {
		ev.Note = fmt.Sprintf("由%s改派至%s", next.DepartmentName, unit.Name)
	} else {
		ev.Note = "分拨至" + unit.Name
	}
	if reason != "" {
		ev.Note += "：" + reason
	}
	ev.Department = unit.Name
	leaveDepartment(next)
	next.DepartmentID, next.DepartmentName, next.Tier = unit.ID, unit.Name, unit.Tier
	next.HandlerID, next.HandlerName, next.EscalateTo, next.ReturnReason = "", "", "", ""
	next.SignedAt = nil
	return s.plan(ctx, next, now)
}

// planRungs stores when next's first pending chasing rung fires.
func (s *RequestService) planRungs(ctx context.Context, next *Request) error {
	next.NextRungAt = nil
	if s.Rungs == nil || next.DueAt == nil {
		return nil
	}
	at, err := s.Rungs.NextRung(ctx, next)
	if err != nil {
		return err
	}
	next.NextRungAt = at
	return nil
}

// leaveDepartment records that the current department no longer has next.
func leaveDepartment(next *Request) {
	if next.DepartmentID != "" && !slices.Contains(next.PastDepartmentIDs, next.DepartmentID) {
		next.PastDepartmentIDs = append(next.PastDepartmentIDs, next.DepartmentID)
	}
}

// plan gives next fresh deadlines with the next generation.
func (s *RequestService) plan(ctx context.Context, next *Request, now time.Time) error {
	if s.Deadlines == nil {
		return nil
	}
	gen := 1
	if next.SLA != nil {
		gen = next.SLA.Generation + 1
	}
	sla, err := s.Deadlines.Plan(ctx, next, now)
	if err != nil {
		return err
	}
	sla.Generation = gen
	next.SLA = sla
	return nil
}

// stampLeg records that leg l was done at now and whether on time; a leg
// already stamped keeps its first stamp.
func stampLeg(r *Request, l Leg, now time.Time) {
	leg := r.SLA.Leg(l)
	if leg == nil || leg.DoneAt != nil {
		return
	}
	onTime := now.Before(leg.Due)
	leg.DoneAt, leg.OnTime = &now, &onTime
}

// answer records a reply or the resolution.
func (s *RequestService) answer(next *Request, action Action, in ActionInput, ev *Event, now time.Time) error {
	f := map[string]string{}
	label := "答复内容"
	if action == ActResolve {
		label = "办结情况"
	}
	text := checkText(f, "text", label, in.Text, 5, 2000)
	if len(in.PolicyIDs) > 10 {
		f["policy_ids"] = "最多关联 10 条政策"
	}
	if len(f) > 0 {
		return Invalid(label+"有误", f)
	}
	for _, p := range in.PolicyIDs {
		if p != "" && len(p) <= 64 && !slices.Contains(next.PolicyIDs, p) {
			next.PolicyIDs = append(next.PolicyIDs, p)
		}
	}
	ev.Note = text
	if action == ActReply || next.RepliedAt == nil {
		next.Reply, next.RepliedAt = text, &now
		stampLeg(next, LegReply, now)
	}
	if action == ActResolve {
		next.Resolution, next.ResolvedAt = text, &now
		stampLeg(next, LegResolve, now)
	}
	return nil
}

// withReason records a return, suspension or withdrawal.
func (s *RequestService) withReason(next *Request, action Action, in ActionInput, ev *Event, now time.Time) error {
	f := map[string]string{}
	minLen := 2
	if action == ActWithdraw {
		minLen = 0
	}
	ev.Note = checkText(f, "reason", "原因", in.Reason, minLen, 200)
	if len(f) > 0 {
		return Invalid(map[Action]string{ActReturn: "请说明退回原因", ActSuspend: "请说明挂起原因", ActWithdraw: "撤回原因有误"}[action], f)
	}
	switch action {
	case ActReturn:
		ev.Department = next.DepartmentName
		next.ReturnReason = ev.Note
		leaveDepartment(next)
		next.DepartmentID, next.DepartmentName, next.HandlerID, next.HandlerName = "", "", "", ""
		next.SLA = nil
	case ActSuspend:
		next.SuspendedFrom, next.SuspendedAt = next.Status, &now
	}
	return nil
}

// resume puts a suspended request back where it was, with its running
// deadlines moved on by the paused time.
func (s *RequestService) resume(ctx context.Context, next *Request, in ActionInput, ev *Event, now time.Time) error {
	f := map[string]string{}
	ev.Note = checkText(f, "reason", "说明", in.Reason, 0, 200)
	if len(f) > 0 {
		return Invalid("说明有误", f)
	}
	next.Status = next.SuspendedFrom
	if next.Status == "" {
		next.Status = StatusSigned
	}
	if s.Deadlines != nil && next.SLA != nil && next.SuspendedAt != nil {
		sla, err := s.Deadlines.Resume(ctx, next, *next.SuspendedAt, now)
		if err != nil {
			return err
		}
		sla.Generation = next.SLA.Generation + 1
		next.SLA = sla
	}
	next.SuspendedFrom, next.SuspendedAt = "", nil
	return nil
}

// escalate records a handler's request to hand the case to a higher tier.
func (s *RequestService) escalate(next *Request, in ActionInput, ev *Event) error {
	f := map[string]string{}
	reason := checkText(f, "reason", "升级原因", in.Reason, 2, 200)
	switch {
	case !in.Tier.Valid():
		f["tier"] = "请选择要升级到的层级（A 区级部门、B 街道）"
	case tierRank[in.Tier] <= tierRank[next.Tier]:
		f["tier"] = fmt.Sprintf("只能升级到比当前层级 %s 更高的层级", next.Tier)
	}
	if len(f) > 0 {
		return Invalid("升级申请有误", f)
	}
	ev.Note = fmt.Sprintf("申请升级至 %s 级：%s", in.Tier, reason)
	ev.Department = next.DepartmentName
	next.EscalateTo = in.Tier
	return nil
}

// mergeInto makes next a child of the master named in the input and
// returns the master.
func (s *RequestService) mergeInto(ctx context.Context, next *Request, in ActionInput, ev *Event) (*Request, error) {
	f := map[string]string{}
	ev.Note = checkText(f, "reason", "合并说明", in.Reason, 0, 200)
	var master *Request
	switch {
	case strings.TrimSpace(in.MasterID) == "":
		f["master_id"] = "请选择主诉求"
	case in.MasterID == next.ID:
		f["master_id"] = "不能合并到自身"
	case len(next.ChildIDs) > 0:
		f["master_id"] = "该诉求已是其他诉求的主诉求，不能再并入别的诉求"
	default:
		m, err := s.load(ctx, in.MasterID)
		switch {
		case IsCode(err, ENOTFOUND):
			f["master_id"] = "主诉求不存在"
		case err != nil:
			return nil, err
		case m.ParentID != "" || !m.Status.Open():
			f["master_id"] = fmt.Sprintf("主诉求 %s 当前为“%s”，不能作为主诉求", m.No, StatusNames[m.Status])
		default:
			master = m
		}
	}
	if len(f) > 0 {
		return nil, Invalid("合并信息有误", f)
	}
	next.ParentID = master.ID
	next.SLA = nil
	note := "并入主诉求 " + master.No
	if ev.Note != "" {
		note += "：" + ev.Note
	}
	ev.Note = note
	return master, nil
}

// adoptChild records child on its master's list; a conflict with another
// change of the master is retried on the fresh document.
func (s *RequestService) adoptChild(ctx context.Context, masterID string, child *Request, a *Actor, now time.Time) {
	for attempt := 0; attempt < 5; attempt++ {
		m, err := s.Store.FindRequestByID(ctx, masterID)
		if err != nil {
			s.log().Error("merge: read master", "master", masterID, "child", child.ID, "err", err)
			return
		}
		if slices.Contains(m.ChildIDs, child.ID) {
			return
		}
		next := cloneRequest(m)
		next.ChildIDs = append(next.ChildIDs, child.ID)
		next.Timeline = append(next.Timeline, Event{At: now, ActorID: a.UserID, ActorName: a.Name(),
			Action: "merge_child", Note: fmt.Sprintf("并入 %s（%s）", child.No, child.EnterpriseName)})
		next.UpdatedAt = now
		err = s.Store.UpdateRequest(ctx, next, m.Version)
		if err == nil {
			return
		}
		if !IsCode(err, ECONFLICT) {
			s.log().Error("merge: write master", "master", masterID, "child", child.ID, "err", err)
			return
		}
	}
	s.log().Error("merge: master kept changing", "master", masterID, "child", child.ID)
}

// closeChildren closes every merged child of a resolved master with its
// answer; each child's enterprise is told.
func (s *RequestService) closeChildren(ctx context.Context, master *Request) {
	for _, id := range master.ChildIDs {
		for attempt := 0; attempt < 5; attempt++ {
			c, err := s.Store.FindRequestByID(ctx, id)
			if err != nil {
				s.log().Error("merge: read child", "child", id, "err", err)
				break
			}
			if c.Status != StatusMerged {
				break
			}
			now := s.now()
			next := cloneRequest(c)
			next.Status, next.Resolution, next.ClosedAt, next.UpdatedAt = StatusClosed, master.Resolution, &now, now
			next.Timeline = append(next.Timeline, Event{At: now, ActorName: "系统", Action: "close_child",
				From: StatusMerged, To: StatusClosed, Department: master.DepartmentName,
				Note: fmt.Sprintf("主诉求 %s 已办结：%s", master.No, master.Resolution)})
			err = s.Store.UpdateRequest(ctx, next, c.Version)
			if err == nil {
				s.after(ctx, c, next, "close_child")
				break
			}
			if !IsCode(err, ECONFLICT) {
				s.log().Error("merge: close child", "child", id, "err", err)
				break
			}
		}
	}
}

// cloneRequest copies r deeply enough that changing the copy's slices and
// SLA leaves r as it was.
func cloneRequest(r *Request) *Request {
	c := *r
	c.ChainIDs = slices.Clone(r.ChainIDs)
	c.Attachments = slices.Clone(r.Attachments)
	c.PolicyIDs = slices.Clone(r.PolicyIDs)
	c.ChildIDs = slices.Clone(r.ChildIDs)
	c.PastDepartmentIDs = slices.Clone(r.PastDepartmentIDs)
	c.Timeline = slices.Clone(r.Timeline)
	if r.SLA != nil {
		sla := *r.SLA
		sla.Legs = slices.Clone(r.SLA.Legs)
		for i := range sla.Legs {
			sla.Legs[i].Rungs = slices.Clone(sla.Legs[i].Rungs)
		}
		c.SLA = &sla
	}
	if r.Feedback != nil {
		fb := *r.Feedback
		c.Feedback = &fb
	}
	if r.Verified != nil {
		v := *r.Verified
		c.Verified = &v
	}
	return &c
}
