package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ActionItemQuery is what a user asks of an action item list.
type ActionItemQuery struct {
	Chain   string
	Meeting string
	Owner   string // a unit leading or co-owning
	// Status is active (the default: not done or cancelled), open,
	// in_progress, awaiting, overdue, done, cancelled or all.
	Status  string
	Q       string
	Page    int
	PerPage int
}

// ActionItemStatusFilters are the status filter values in the order lists show them.
var ActionItemStatusFilters = []string{"active", "overdue", "open", "in_progress", "awaiting", "done", "cancelled", "all"}

// ActionItemStatusFilterNames are their Chinese names.
var ActionItemStatusFilterNames = map[string]string{"active": "未办结", "overdue": "已超期", "open": "未开始",
	"in_progress": "推进中", "awaiting": "待确认办结", "done": "已办结", "cancelled": "已撤销", "all": "全部"}

// ActionItemPage is one page of action items with the meetings and owners
// the list can be narrowed to.
type ActionItemPage struct {
	Items    []*ActionItem `json:"items"`
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	PerPage  int           `json:"per_page"`
	Meetings []ActionFacet `json:"meetings"`
	Owners   []ActionFacet `json:"owners"`
	// Now is the time the overdue flags were computed at.
	Now time.Time `json:"now"`
}

// Pages returns how many pages the list has.
func (p *ActionItemPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// filter checks q and returns the store filter of what the actor may see.
func (s *ActionItemService) filter(a *Actor, q ActionItemQuery) (ActionItemFilter, error) {
	f := map[string]string{}
	var filter ActionItemFilter
	for _, p := range []struct{ name, v string }{{"chain", q.Chain}, {"meeting", q.Meeting}, {"owner", q.Owner}} {
		if len(p.v) > 64 {
			f[p.name] = "参数过长"
		}
	}
	filter.ChainID, filter.MeetingID, filter.UnitID = strings.TrimSpace(q.Chain), strings.TrimSpace(q.Meeting), strings.TrimSpace(q.Owner)
	now := s.now()
	switch q.Status {
	case "", "active":
		filter.Statuses = []ActionStatus{ActionOpen, ActionInProgress}
	case "open":
		filter.Statuses = []ActionStatus{ActionOpen}
	case "in_progress":
		no := false
		filter.Statuses, filter.AwaitingConfirm = []ActionStatus{ActionInProgress}, &no
	case "awaiting":
		yes := true
		filter.Statuses, filter.AwaitingConfirm = []ActionStatus{ActionOpen, ActionInProgress}, &yes
	case "overdue":
		filter.OverdueAt = &now
	case "done":
		filter.Statuses = []ActionStatus{ActionDone}
	case "cancelled":
		filter.Statuses = []ActionStatus{ActionCancelled}
	case "all":
	default:
		f["status"] = "未知的事项状态"
	}
	text, ok := cleanText(q.Q)
	if !ok || utf8.RuneCountInString(text) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	}
	filter.Q = text
	if len(f) > 0 {
		return filter, Invalid("查询参数有误", f)
	}
	if all, anyOf := actionScope(a); !all {
		filter.AnyOf = anyOf
	}
	return filter, nil
}

// List returns one page of the action items the actor may see, open ones
// first by due date (so the overdue lead), with the meetings and owners
// of the whole scoped list for its filters.
func (s *ActionItemService) List(ctx context.Context, q ActionItemQuery) (*ActionItemPage, error) {
	a, err := actionReader(ctx)
	if err != nil {
		return nil, err
	}
	pf := map[string]string{}
	checkPaging(pf, &q.Page, &q.PerPage, DefaultActionItemsPerPage, MaxActionItemsPerPage)
	filter, err := s.filter(a, q)
	if err != nil {
		return nil, err
	}
	if len(pf) > 0 {
		return nil, Invalid("查询参数有误", pf)
	}
	facets := ActionItemFilter{AnyOf: filter.AnyOf, ChainID: filter.ChainID}
	meetings, owners, err := s.Store.ActionItemFacets(ctx, facets)
	if err != nil {
		return nil, err
	}
	filter.Offset, filter.Limit = (q.Page-1)*q.PerPage, q.PerPage
	items, total, err := s.Store.FindActionItems(ctx, filter)
	if err != nil {
		return nil, err
	}
	return &ActionItemPage{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage, Meetings: meetings, Owners: owners,
		Now: s.now()}, nil
}

// Export returns every matching action item the actor may see (up to
// MaxActionExport), in the list's order, for an XLSX or CSV export.
func (s *ActionItemService) Export(ctx context.Context, q ActionItemQuery) ([]*ActionItem, error) {
	a, err := actionReader(ctx)
	if err != nil {
		return nil, err
	}
	filter, err := s.filter(a, q)
	if err != nil {
		return nil, err
	}
	filter.Limit = MaxActionExport
	items, _, err := s.Store.FindActionItems(ctx, filter)
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "action_item.export", "action_item", "", OutcomeOK, fmt.Sprintf("%d 项", len(items))); err != nil {
		return nil, Internal(err)
	}
	return items, nil
}

// MeetingActions is a meeting with the action items decided at it that
// the actor may see.
type MeetingActions struct {
	Meeting *Meeting      `json:"meeting"`
	Items   []*ActionItem `json:"items"`
}

// ForMeeting returns a meeting and its action items the actor may see.
// Admins, dispatchers and the chain's committee see every item; a unit
// sees its own items of a meeting it attended or owns items of; anyone
// else gets 404 for the meeting (403 for roles that see no action items).
func (s *ActionItemService) ForMeeting(ctx context.Context, meetingID string) (*MeetingActions, error) {
	a, err := actionReader(ctx)
	if err != nil {
		return nil, err
	}
	notFound := Errorf(ENOTFOUND, "会议不存在")
	if meetingID == "" || len(meetingID) > 64 || s.Meetings == nil {
		return nil, notFound
	}
	m, err := s.Meetings.FindMeetingByID(ctx, meetingID)
	if IsCode(err, ENOTFOUND) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	filter := ActionItemFilter{MeetingID: m.ID, Limit: MaxActionExport}
	all, anyOf := actionScope(a)
	whole := all || slices.ContainsFunc(anyOf, func(c ActionScope) bool { return c.ChainID == m.ChainID })
	if !whole {
		filter.AnyOf = anyOf
	}
	items, _, err := s.Store.FindActionItems(ctx, filter)
	if err != nil {
		return nil, err
	}
	if !whole && len(items) == 0 && !slices.Contains(m.DepartmentIDs, a.UnitID) && m.ConvenerUnitID != a.UnitID {
		return nil, notFound
	}
	return &MeetingActions{Meeting: m, Items: items}, nil
}

// ActionItemsOfMeeting returns the action items of a meeting the actor
// may see, for the meeting's page; none when the actor sees none.
func (s *ActionItemService) ActionItemsOfMeeting(ctx context.Context, meetingID string) ([]*ActionItem, error) {
	ma, err := s.ForMeeting(ctx, meetingID)
	switch {
	case IsCode(err, ENOTFOUND), IsCode(err, EFORBIDDEN):
		return []*ActionItem{}, nil
	case err != nil:
		return nil, err
	}
	return ma.Items, nil
}
