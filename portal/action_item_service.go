package portal

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal/workcal"
)

// ActionEvent is one entry of an action item's history besides the
// owners' progress updates.
type ActionEvent struct {
	At     time.Time `json:"at" bson:"at"`
	ByID   string    `json:"by_id,omitempty" bson:"by_id,omitempty"`
	ByName string    `json:"by_name" bson:"by_name"`
	Action string    `json:"action" bson:"action"`
	Note   string    `json:"note,omitempty" bson:"note,omitempty"`
}

// ActionEventNames are the Chinese names of the history entries.
var ActionEventNames = map[string]string{
	"create": "确定事项", "update": "修改事项", "confirm": "确认办结", "send_back": "退回重办", "cancel": "撤销事项",
	"reviewed": "已督查", "comment": "督查意见", "ask_update": "要求报送进展", "rollup": "汇总子事项进度",
	string(RungWarn): "预警", string(RungChase): "催办", string(RungSupervise): "督办",
}

// ActionScope is one clause of what an actor may see of action items: the
// items of a chain, or those a unit leads or co-owns.
type ActionScope struct {
	ChainID string
	UnitID  string
}

// ActionItemFilter selects action items; empty fields are not applied.
type ActionItemFilter struct {
	IDs       []string
	AnyOf     []ActionScope // nil: no scope; empty: nothing
	ChainID   string
	MeetingID string
	// ParentID selects the sub-items of one item.
	ParentID string
	// UnitID selects the items a unit leads or co-owns.
	UnitID   string
	Statuses []ActionStatus
	// AwaitingConfirm selects by whether the owners reported the item finished.
	AwaitingConfirm *bool
	// OverdueAt selects the items still open (and not awaiting
	// confirmation) whose due time is at or before it.
	OverdueAt *time.Time
	Q         string // part of the title
	Offset    int
	Limit     int
}

// ActionFacet is one value a list can be narrowed to (a meeting or an
// owner) and how many items of the unnarrowed list have it.
type ActionFacet struct {
	ID    string `json:"id" bson:"_id"`
	Name  string `json:"name" bson:"name"`
	Count int    `json:"count" bson:"count"`
}

// ActionItemStore persists action items.
type ActionItemStore interface {
	CreateActionItem(ctx context.Context, it *ActionItem) error
	// FindActionItemByID returns the item; ENOTFOUND when there is none.
	FindActionItemByID(ctx context.Context, id string) (*ActionItem, error)
	// FindActionItems returns one page of the matching items, the open
	// ones first, each group by due time then id, and the total.
	FindActionItems(ctx context.Context, f ActionItemFilter) ([]*ActionItem, int, error)
	// UpdateActionItem replaces the item stored with version by it and
	// bumps it.Version; ECONFLICT when the stored one moved on.
	UpdateActionItem(ctx context.Context, it *ActionItem, version int) error
	// ActionItemFacets counts the matching items per meeting and per lead unit.
	ActionItemFacets(ctx context.Context, f ActionItemFilter) (meetings, owners []ActionFacet, err error)
	// FindActionItemsWithRungBefore returns up to limit items whose next
	// chasing rung fires at or before before, soonest first, after the
	// item with id after (at its time) when after is not nil.
	FindActionItemsWithRungBefore(ctx context.Context, before time.Time, after *RungCursor, limit int) ([]*ActionItem, error)
}

// MeetingFinder reads the meetings action items are decided at.
type MeetingFinder interface {
	// FindMeetingByID returns the meeting; ENOTFOUND when there is none.
	FindMeetingByID(ctx context.Context, id string) (*Meeting, error)
}

// ActionItemEvents hears about every change of an action item after it is
// stored: the chasing scheduler listens here.
type ActionItemEvents interface {
	ActionItemChanged(ctx context.Context, before, after *ActionItem) error
}

// NotifyAction is the notification kind of action items.
const NotifyAction = "action_item"

// Limits of action items.
const (
	DefaultActionItemsPerPage = 20
	MaxActionItemsPerPage     = 100
	// MaxActionExport caps the rows of one export.
	MaxActionExport = 5000
	// MaxActionReview caps the items of one bulk review.
	MaxActionReview = 100
	// MaxEvidencePerItem caps the evidence files of one item.
	MaxEvidencePerItem = 20
	maxCoOwners        = 10
	maxLinkedRequests  = 10
	maxSubItems        = 50
)

// ActionItemService keeps the action items (议定事项) of meetings: the
// committee decides them, the owning units report progress with evidence,
// the committee confirms, sends back or cancels them and reviews them in
// bulk on its board, and the chasing ladder reminds the owners of the due
// date. Every change is one version-guarded update of the item; what
// follows (the parent's roll-up, notifications, chasing jobs) is written
// idempotently afterwards.
type ActionItemService struct {
	Store    ActionItemStore
	Meetings MeetingFinder
	// Requests checks that linked requests exist and that the committee
	// member linking them may see them; nil refuses links.
	Requests    *RequestService
	Org         OrgStore
	Users       UserStore
	Attachments AttachmentStore // nil refuses evidence
	Notify      NotificationStore
	Audit       *Auditor
	// Calendar and Ladder place the chasing rungs; a nil Calendar plans none.
	Calendar WorkingCalendar
	Ladder   Ladder
	Events   []ActionItemEvents
	Log      *slog.Logger
	Now      func() time.Time
	// Zone is the district's zone, in which due dates are days; nil is Asia/Shanghai.
	Zone *time.Location
	// MaxAttachmentBytes caps one evidence file; 0 means DefaultMaxAttachmentBytes.
	MaxAttachmentBytes int64
}

var errActionNotFound = Errorf(ENOTFOUND, "议定事项不存在")

func (s *ActionItemService) now() time.Time { return s.Now().UTC() }

func (s *ActionItemService) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return workcal.DefaultLocation()
}

// Location returns the district's zone due dates are counted in.
func (s *ActionItemService) Location() *time.Location { return s.zone() }

func (s *ActionItemService) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// DueDate returns the last day of the item's time limit in zone loc: the
// due time is the end of that day.
func (i *ActionItem) DueDate(loc *time.Location) string {
	return i.Due.Add(-time.Nanosecond).In(loc).Format("2006-01-02")
}

// StatusName is the item's state in Chinese, naming the wait for the
// committee's confirmation.
func (i *ActionItem) StatusName() string {
	if i.AwaitingConfirm && !i.Final() {
		return "待确认办结"
	}
	return ActionStatusNames[i.Status]
}

// Final reports whether the item is done or cancelled.
func (i *ActionItem) Final() bool { return i.Status == ActionDone || i.Status == ActionCancelled }

// Owners returns the lead unit and the co-owners.
func (i *ActionItem) Owners() []string { return append([]string{i.LeadUnitID}, i.CoUnitIDs...) }

// HasEvidence reports whether any progress update carries evidence.
func (i *ActionItem) HasEvidence() bool {
	for _, u := range i.Updates {
		if len(u.Evidence) > 0 {
			return true
		}
	}
	return false
}

// Evidence returns the evidence file with id, nil when there is none.
func (i *ActionItem) Evidence(id string) *Attachment {
	for k := range i.Updates {
		for j := range i.Updates[k].Evidence {
			if i.Updates[k].Evidence[j].ID == id {
				return &i.Updates[k].Evidence[j]
			}
		}
	}
	return nil
}

func (i *ActionItem) evidenceCount() int {
	n := 0
	for _, u := range i.Updates {
		n += len(u.Evidence)
	}
	return n
}

// cloneActionItem copies it deeply enough that changing the copy's
// slices leaves it alone.
func cloneActionItem(it *ActionItem) *ActionItem {
	c := *it
	c.CoUnitIDs = slices.Clone(it.CoUnitIDs)
	c.CoNames = slices.Clone(it.CoNames)
	c.RequestIDs = slices.Clone(it.RequestIDs)
	c.Updates = slices.Clone(it.Updates)
	c.Rungs = slices.Clone(it.Rungs)
	c.Events = slices.Clone(it.Events)
	return &c
}

// readsActions reports whether a's roles may see any action item.
func readsActions(a *Actor) bool {
	return a.HasAny(RoleAdmin, RoleDispatcher) || (a.Has(RoleCommittee) && a.ChainID != "") ||
		(a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "")
}

// actionReader returns the actor in ctx when its roles may see action items.
func actionReader(ctx context.Context) (*Actor, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !readsActions(a) {
		return nil, Errorf(EFORBIDDEN, "议定事项只对产业链党委、承办单位、分拨员和系统管理员开放")
	}
	return a, nil
}

// actionScope returns which items a may see: all, or those matching any clause.
func actionScope(a *Actor) (all bool, anyOf []ActionScope) {
	if a.HasAny(RoleAdmin, RoleDispatcher) {
		return true, nil
	}
	anyOf = []ActionScope{}
	if a.Has(RoleCommittee) && a.ChainID != "" {
		anyOf = append(anyOf, ActionScope{ChainID: a.ChainID})
	}
	if a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "" {
		anyOf = append(anyOf, ActionScope{UnitID: a.UnitID})
	}
	return false, anyOf
}

// canSeeAction reports whether a may see it: admins and dispatchers all,
// the committee its chain's, a unit the items it leads or co-owns.
func canSeeAction(a *Actor, it *ActionItem) bool {
	all, anyOf := actionScope(a)
	if all {
		return true
	}
	for _, c := range anyOf {
		if (c.ChainID != "" && c.ChainID == it.ChainID) || (c.UnitID != "" && slices.Contains(it.Owners(), c.UnitID)) {
			return true
		}
	}
	return false
}

// decidesAction reports whether a decides on it: its chain's committee or an admin.
func decidesAction(a *Actor, it *ActionItem) bool {
	return a.IsAdmin() || (a.Has(RoleCommittee) && a.ChainID != "" && a.ChainID == it.ChainID)
}

// ownsAction reports whether a reports on it: the handlers and heads of
// its lead unit and co-owners.
func ownsAction(a *Actor, it *ActionItem) bool {
	return a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "" && slices.Contains(it.Owners(), a.UnitID)
}

// CanDecide reports whether the actor in ctx may edit, confirm, send back,
// cancel and review it (pages use it to choose the forms they show).
func (s *ActionItemService) CanDecide(ctx context.Context, it *ActionItem) bool {
	return decidesAction(ActorFrom(ctx), it)
}

// CanReport reports whether the actor in ctx may report progress on it.
func (s *ActionItemService) CanReport(ctx context.Context, it *ActionItem) bool {
	return ownsAction(ActorFrom(ctx), it)
}

// load returns the item if the actor may see it: 403 for roles that see
// no action items, 404 for an item the actor may not see.
func (s *ActionItemService) load(ctx context.Context, id string) (*Actor, *ActionItem, error) {
	a, err := actionReader(ctx)
	if err != nil {
		return nil, nil, err
	}
	if id == "" || len(id) > 64 {
		return nil, nil, errActionNotFound
	}
	it, err := findVisible(ctx, id, s.Store.FindActionItemByID, func(_ context.Context, it *ActionItem) (bool, error) {
		return canSeeAction(a, it), nil
	}, errActionNotFound)
	return a, it, err
}

// Get returns one action item the actor may see.
func (s *ActionItemService) Get(ctx context.Context, id string) (*ActionItem, error) {
	_, it, err := s.load(ctx, id)
	return it, err
}

// SubItems returns the sub-items of an item the actor may see, by due
// time; only those the actor may see are listed.
func (s *ActionItemService) SubItems(ctx context.Context, id string) ([]*ActionItem, error) {
	a, it, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.SubCount == 0 {
		return []*ActionItem{}, nil
	}
	subs, _, err := s.Store.FindActionItems(ctx, ActionItemFilter{ParentID: it.ID, Limit: maxSubItems})
	if err != nil {
		return nil, err
	}
	out := []*ActionItem{}
	for _, x := range subs {
		if canSeeAction(a, x) {
			out = append(out, x)
		}
	}
	return out, nil
}

// ActionItemInput is what a new action item is decided with.
type ActionItemInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	LeadUnitID  string   `json:"lead_unit_id"`
	CoUnitIDs   []string `json:"co_unit_ids"`
	// Due is the last day (YYYY-MM-DD, district time) the item must be done by.
	Due        string   `json:"due"`
	Priority   Priority `json:"priority"`
	RequestIDs []string `json:"request_ids"`
	// ParentID makes the item a sub-item of another item of the same
	// meeting, counting Weight (1–100) in its progress.
	ParentID string `json:"parent_id"`
	Weight   int    `json:"weight"`
}

// ActionItemPatch changes an action item; nil fields stay. Version, when
// not 0, must be the version the change was made on.
type ActionItemPatch struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	LeadUnitID  *string   `json:"lead_unit_id"`
	CoUnitIDs   *[]string `json:"co_unit_ids"`
	Due         *string   `json:"due"`
	Priority    *Priority `json:"priority"`
	RequestIDs  *[]string `json:"request_ids"`
	Weight      *int      `json:"weight"`
	Version     int       `json:"version"`
}

// decideMeeting returns the meeting id names if a may decide items at it:
// 403 for roles that never decide, 404 for a meeting the actor may not see.
func (s *ActionItemService) decideMeeting(ctx context.Context, a *Actor, id string) (*Meeting, error) {
	if !a.IsAdmin() && !(a.Has(RoleCommittee) && a.ChainID != "") {
		return nil, Errorf(EFORBIDDEN, "只有产业链党委成员或系统管理员可以确定议定事项")
	}
	notFound := Errorf(ENOTFOUND, "会议不存在")
	if id == "" || len(id) > 64 || s.Meetings == nil {
		return nil, notFound
	}
	m, err := s.Meetings.FindMeetingByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && m.ChainID != a.ChainID {
		return nil, notFound
	}
	return m, nil
}

// Create decides a new action item at a meeting of the committee's chain.
func (s *ActionItemService) Create(ctx context.Context, meetingID string, in ActionItemInput) (*ActionItem, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.decideMeeting(ctx, a, meetingID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	loc := s.zone()
	if workcal.DateOf(now, loc).Before(workcal.DateOf(m.At, loc)) {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("会议尚未召开（%s），召开后才能确定议定事项", m.At.In(loc).Format("1月2日")),
			Fields: map[string]string{"meeting_id": "会议尚未召开"}}
	}
	f := map[string]string{}
	it := &ActionItem{ID: NewID(), MeetingID: m.ID, MeetingName: m.Title, ChainID: m.ChainID,
		Title:       checkText(f, "title", "事项名称", in.Title, 2, 100),
		Description: checkText(f, "description", "事项内容", in.Description, 0, 2000),
		Priority:    in.Priority, Status: ActionOpen, Updates: []ProgressUpdate{}, CreatedByID: a.UserID,
		CreatedAt: now, UpdatedAt: now, DueSetAt: now, Version: 1}
	if it.Priority == "" {
		it.Priority = PriorityNormal
	}
	if err := s.checkOwners(ctx, f, it, in.LeadUnitID, in.CoUnitIDs); err != nil {
		return nil, err
	}
	s.checkDue(f, it, in.Due, now)
	s.checkPriority(f, it.Priority)
	if it.RequestIDs, err = s.checkRequests(ctx, f, in.RequestIDs); err != nil {
		return nil, err
	}
	var parent *ActionItem
	if in.ParentID != "" {
		if parent, err = s.checkParent(ctx, f, m.ID, in.ParentID); err != nil {
			return nil, err
		}
		it.ParentID = in.ParentID
		if in.Weight < 1 || in.Weight > 100 {
			f["weight"] = "子事项权重应为 1–100 的整数"
		}
		it.Weight = in.Weight
	} else if in.Weight != 0 {
		f["weight"] = "只有子事项可以设置权重"
	}
	if len(f) > 0 {
		return nil, Invalid("议定事项信息有误", f)
	}
	it.Events = []ActionEvent{{At: now, ByID: a.UserID, ByName: a.Name(), Action: "create",
		Note: fmt.Sprintf("牵头单位：%s；办结时限：%s", it.LeadName, it.DueDate(loc))}}
	if it.NextRungAt, err = s.nextRungOf(ctx, it); err != nil {
		return nil, err
	}
	if err := s.Store.CreateActionItem(ctx, it); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "action_item.create", "action_item", it.ID, OutcomeOK, m.Title+"："+it.Title); err != nil {
		return nil, Internal(err)
	}
	s.notifyOwners(ctx, it, it.Owners(), "assigned:"+it.ID, fmt.Sprintf("【议定事项】%s", it.Title),
		fmt.Sprintf("%s确定的事项由贵单位承办，请于 %s 前办结并上传佐证材料。", it.MeetingName, it.DueDate(loc)), now)
	if parent != nil {
		s.rollUp(ctx, parent.ID)
	}
	s.after(ctx, nil, it)
	return it, nil
}

// checkOwners validates the lead unit and co-owners into f and fills
// their names: each must be an org unit that handles work, not the
// district root, a user or a chain.
func (s *ActionItemService) checkOwners(ctx context.Context, f map[string]string, it *ActionItem, lead string, co []string) error {
	lead = strings.TrimSpace(lead)
	var cleaned []string
	for _, id := range co {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(cleaned, id) {
			cleaned = append(cleaned, id)
		}
	}
	if len(cleaned) > maxCoOwners {
		f["co_unit_ids"] = fmt.Sprintf("协办单位最多 %d 个", maxCoOwners)
		return nil
	}
	ids := append([]string{lead}, cleaned...)
	for _, id := range ids {
		if len(id) > 64 {
			f["lead_unit_id"] = "牵头单位必须是部门、街道、社区或园区等承办单位"
			return nil
		}
	}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: ids})
	if err != nil {
		return err
	}
	byID := map[string]*OrgUnit{}
	for _, u := range units {
		if u.Kind != KindDistrict {
			byID[u.ID] = u
		}
	}
	if lead == "" {
		f["lead_unit_id"] = "请选择牵头单位"
	} else if u, ok := byID[lead]; !ok {
		f["lead_unit_id"] = "牵头单位必须是部门、街道、社区或园区等承办单位"
	} else {
		it.LeadUnitID, it.LeadName = u.ID, u.Name
	}
	it.CoUnitIDs, it.CoNames = nil, nil
	for _, id := range cleaned {
		u, ok := byID[id]
		switch {
		case id == lead:
			f["co_unit_ids"] = "协办单位不能与牵头单位相同"
		case !ok:
			f["co_unit_ids"] = "协办单位必须是部门、街道、社区或园区等承办单位"
		default:
			it.CoUnitIDs = append(it.CoUnitIDs, u.ID)
			it.CoNames = append(it.CoNames, u.Name)
		}
	}
	return nil
}

// checkDue validates a due date (YYYY-MM-DD, today or later) into f and
// sets it.Due to the end of that day in the district.
func (s *ActionItemService) checkDue(f map[string]string, it *ActionItem, due string, now time.Time) {
	due = strings.TrimSpace(due)
	if due == "" {
		f["due"] = "请填写办结时限"
		return
	}
	d, err := workcal.ParseDate(due)
	if err != nil {
		f["due"] = "办结时限格式应为 YYYY-MM-DD"
		return
	}
	today := workcal.DateOf(now, s.zone())
	switch {
	case d.Before(today):
		f["due"] = "办结时限不能早于今天"
	case today.AddDays(3 * 366).Before(d):
		f["due"] = "办结时限不能超过三年"
	default:
		it.Due = d.AddDays(1).In(s.zone(), 0).UTC()
	}
}

func (s *ActionItemService) checkPriority(f map[string]string, p Priority) {
	if _, ok := PriorityNames[p]; !ok {
		f["priority"] = "优先级只能是高、中或低"
	}
}

// checkRequests validates linked requests into f: each must exist and be
// visible to the actor.
func (s *ActionItemService) checkRequests(ctx context.Context, f map[string]string, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	switch {
	case len(out) == 0:
		return nil, nil
	case len(out) > maxLinkedRequests:
		f["request_ids"] = fmt.Sprintf("最多关联 %d 条诉求", maxLinkedRequests)
		return nil, nil
	case s.Requests == nil:
		f["request_ids"] = "暂不支持关联诉求"
		return nil, nil
	}
	for _, id := range out {
		_, err := s.Requests.Get(ctx, id)
		if IsCode(err, ENOTFOUND) {
			f["request_ids"] = fmt.Sprintf("诉求 %s 不存在或您无权查看", id)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkParent validates the parent of a new sub-item into f: an item of
// the same meeting, itself no sub-item, neither final nor reported finished.
func (s *ActionItemService) checkParent(ctx context.Context, f map[string]string, meetingID, id string) (*ActionItem, error) {
	bad := "上级事项必须是同一会议中尚未办结的事项"
	if len(id) > 64 {
		f["parent_id"] = bad
		return nil, nil
	}
	p, err := s.Store.FindActionItemByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		f["parent_id"] = bad
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	switch {
	case p.MeetingID != meetingID || p.Final() || p.AwaitingConfirm:
		f["parent_id"] = bad
	case p.ParentID != "":
		f["parent_id"] = "子事项下不能再分子事项"
	case p.SubCount >= maxSubItems:
		f["parent_id"] = fmt.Sprintf("一个事项最多 %d 个子事项", maxSubItems)
	}
	return p, nil
}

// Update changes an open action item; a new due date starts its chasing afresh.
func (s *ActionItemService) Update(ctx context.Context, id string, p ActionItemPatch) (*ActionItem, error) {
	a, it, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !decidesAction(a, it) {
		return nil, Errorf(EFORBIDDEN, "只有本产业链党委成员或系统管理员可以修改议定事项")
	}
	if err := finalConflict(it, "修改"); err != nil {
		return nil, err
	}
	if p.Version != 0 && p.Version != it.Version {
		return nil, staleVersion(it)
	}
	now, loc := s.now(), s.zone()
	f := map[string]string{}
	next := cloneActionItem(it)
	var changes []string
	if p.Title != nil {
		next.Title = checkText(f, "title", "事项名称", *p.Title, 2, 100)
		changes = append(changes, "名称")
	}
	if p.Description != nil {
		next.Description = checkText(f, "description", "事项内容", *p.Description, 0, 2000)
		changes = append(changes, "内容")
	}
	if p.LeadUnitID != nil || p.CoUnitIDs != nil {
		lead, co := it.LeadUnitID, it.CoUnitIDs
		if p.LeadUnitID != nil {
			lead = *p.LeadUnitID
		}
		if p.CoUnitIDs != nil {
			co = *p.CoUnitIDs
		}
		if err := s.checkOwners(ctx, f, next, lead, co); err != nil {
			return nil, err
		}
		changes = append(changes, "承办单位")
	}
	if p.Due != nil && strings.TrimSpace(*p.Due) != it.DueDate(loc) {
		s.checkDue(f, next, *p.Due, now)
		next.Rungs, next.DueSetAt = nil, now
		changes = append(changes, "办结时限改为 "+strings.TrimSpace(*p.Due))
	}
	if p.Priority != nil {
		next.Priority = *p.Priority
		s.checkPriority(f, next.Priority)
		changes = append(changes, "优先级")
	}
	if p.RequestIDs != nil {
		if next.RequestIDs, err = s.checkRequests(ctx, f, *p.RequestIDs); err != nil {
			return nil, err
		}
		changes = append(changes, "关联诉求")
	}
	if p.Weight != nil {
		switch {
		case it.ParentID == "":
			f["weight"] = "只有子事项可以设置权重"
		case *p.Weight < 1 || *p.Weight > 100:
			f["weight"] = "子事项权重应为 1–100 的整数"
		default:
			next.Weight = *p.Weight
			changes = append(changes, fmt.Sprintf("权重改为 %d", *p.Weight))
		}
	}
	if len(f) > 0 {
		return nil, Invalid("议定事项信息有误", f)
	}
	if len(changes) == 0 {
		return it, nil
	}
	next.Events = append(next.Events, ActionEvent{At: now, ByID: a.UserID, ByName: a.Name(), Action: "update", Note: strings.Join(changes, "、")})
	if err := s.save(ctx, it, next, now); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "action_item.update", "action_item", it.ID, OutcomeOK, next.Title+"："+strings.Join(changes, "、")); err != nil {
		return nil, Internal(err)
	}
	var added []string
	for _, u := range next.Owners() {
		if !slices.Contains(it.Owners(), u) {
			added = append(added, u)
		}
	}
	s.notifyOwners(ctx, next, added, fmt.Sprintf("assigned:%s:v%d", next.ID, next.Version), fmt.Sprintf("【议定事项】%s", next.Title),
		fmt.Sprintf("%s确定的事项改由贵单位承办，请于 %s 前办结并上传佐证材料。", next.MeetingName, next.DueDate(loc)), now)
	if next.ParentID != "" && next.Weight != it.Weight {
		s.rollUp(ctx, next.ParentID)
	}
	s.after(ctx, it, next)
	return next, nil
}

// finalConflict is the 409 of acting on a done or cancelled item.
func finalConflict(it *ActionItem, verb string) error {
	if !it.Final() {
		return nil
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("事项%s，不能再%s", ActionStatusNames[it.Status], verb),
		Fields: map[string]string{"status": string(it.Status)}}
}

// staleVersion is the 409 of a change made on an old version.
func staleVersion(it *ActionItem) error {
	return &Error{Code: ECONFLICT, Message: "该事项刚被他人修改，请刷新后重试",
		Fields: map[string]string{"version": fmt.Sprint(it.Version)}}
}

// save stores next over it with its next rung planned; a lost race answers 409.
func (s *ActionItemService) save(ctx context.Context, it, next *ActionItem, now time.Time) error {
	next.UpdatedAt = now
	var err error
	if next.NextRungAt, err = s.nextRungOf(ctx, next); err != nil {
		return err
	}
	if err := s.Store.UpdateActionItem(ctx, next, it.Version); err != nil {
		if IsCode(err, ECONFLICT) {
			return staleVersion(it)
		}
		return err
	}
	return nil
}

// after tells the listeners of a stored change.
func (s *ActionItemService) after(ctx context.Context, before, after *ActionItem) {
	for _, l := range s.Events {
		if err := l.ActionItemChanged(ctx, before, after); err != nil {
			s.log().Error("action item listener", "item", after.ID, "err", err)
		}
	}
}

// notifyOwners tells the handlers and heads of units about it; key names
// the occasion, so that a repeat stores nothing twice.
func (s *ActionItemService) notifyOwners(ctx context.Context, it *ActionItem, units []string, key, title, body string, now time.Time) int {
	var to []string
	for _, unit := range units {
		ids, err := s.unitUsers(ctx, unit)
		if err != nil {
			s.log().Error("action item recipients", "item", it.ID, "unit", unit, "err", err)
			continue
		}
		to = append(to, ids...)
	}
	return s.notify(ctx, it, to, key, title, body, now)
}

// notifyCommittee tells the committee members of the item's chain.
func (s *ActionItemService) notifyCommittee(ctx context.Context, it *ActionItem, key, title, body string, now time.Time) int {
	to, err := s.committeeUsers(ctx, it.ChainID)
	if err != nil {
		s.log().Error("action item recipients", "item", it.ID, "err", err)
		return 0
	}
	return s.notify(ctx, it, to, key, title, body, now)
}

// unitUsers returns the active handlers and heads of unit.
func (s *ActionItemService) unitUsers(ctx context.Context, unit string) ([]string, error) {
	if unit == "" || s.Users == nil {
		return nil, nil
	}
	active := UserActive
	users, _, err := s.Users.FindUsers(ctx, UserFilter{UnitID: &unit, Status: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		if slices.Contains(u.Roles, RoleHandler) || slices.Contains(u.Roles, RoleDeptHead) {
			out = append(out, u.ID)
		}
	}
	return out, nil
}

// committeeUsers returns the active committee members of chain.
func (s *ActionItemService) committeeUsers(ctx context.Context, chain string) ([]string, error) {
	if chain == "" || s.Users == nil {
		return nil, nil
	}
	role, active := RoleCommittee, UserActive
	users, _, err := s.Users.FindUsers(ctx, UserFilter{Role: &role, Status: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		if u.ChainID == chain {
			out = append(out, u.ID)
		}
	}
	return out, nil
}

// notify stores one notification per user, keyed by the occasion and the
// user, and returns how many were new; a failure is logged, not returned,
// since the change it reports is already stored.
func (s *ActionItemService) notify(ctx context.Context, it *ActionItem, to []string, key, title, body string, now time.Time) int {
	if s.Notify == nil {
		return 0
	}
	slices.Sort(to)
	to = slices.Compact(to)
	var ns []*Notification
	for _, u := range to {
		if u != "" {
			ns = append(ns, &Notification{ID: NewID(), UserID: u, Kind: NotifyAction, Title: title, Body: body,
				Link: "/action-items/" + it.ID, DedupKey: "action:" + key + ":" + u, CreatedAt: now})
		}
	}
	if len(ns) == 0 {
		return 0
	}
	n, err := s.Notify.CreateNotifications(ctx, ns)
	if err != nil {
		s.log().Error("action item notifications", "item", it.ID, "err", err)
	}
	return n
}
