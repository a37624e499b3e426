package portal

import (
	"context"
	"fmt"
	"slices"
)

// NotifyRequest is the notification kind of request changes.
const NotifyRequest = "request"

// after runs what follows a stored change: the search index, the
// listeners, the merged children of a resolved master and notifications.
// The change is already stored, so failures here are logged; each step is
// idempotent and repaired by its own job.
func (s *RequestService) after(ctx context.Context, before, after *Request, action string) {
	if s.Index != nil {
		if err := s.Index.IndexRequest(ctx, after); err != nil {
			s.log().Error("index request", "request", after.ID, "err", err)
		}
	}
	for _, l := range s.Events {
		if err := l.RequestChanged(ctx, before, after, action); err != nil {
			s.log().Error("request listener", "request", after.ID, "action", action, "err", err)
		}
	}
	if action == string(ActResolve) && len(after.ChildIDs) > 0 {
		s.closeChildren(ctx, after)
	}
	if err := s.notify(ctx, after, action); err != nil {
		s.log().Error("notify request change", "request", after.ID, "action", action, "err", err)
	}
}

// notify tells the people a change concerns, except whoever made it.
func (s *RequestService) notify(ctx context.Context, r *Request, action string) error {
	if s.Notify == nil {
		return nil
	}
	var to []string
	var err error
	title := fmt.Sprintf("诉求 %s %s", r.No, ActionNames[Action(action)])
	switch Action(action) {
	case "file", ActReturn, ActEscalate:
		to, err = s.dispatchersFor(ctx, r)
		if r.FirstContactID != "" && action != "file" {
			to = append(to, r.FirstContactID)
		}
		switch Action(action) {
		case "file":
			title = fmt.Sprintf("新诉求待分拨：%s（%s）", r.Title, r.EnterpriseName)
		case ActReturn:
			title = fmt.Sprintf("诉求 %s 被退回，请重新分拨", r.No)
		case ActEscalate:
			title = fmt.Sprintf("诉求 %s 申请升级至 %s 级", r.No, r.EscalateTo)
		}
	case ActDispatch, ActRedispatch, ActReopen:
		to, err = s.departmentUsers(ctx, r.DepartmentID)
		title = fmt.Sprintf("新诉求待签收：%s（%s）", r.Title, r.EnterpriseName)
		if action == string(ActReopen) {
			title = fmt.Sprintf("诉求 %s 需要重办", r.No)
		}
	case ActWithdraw:
		to, err = s.departmentUsers(ctx, r.DepartmentID)
	case ActReply, ActResolve, ActSuspend, ActResume, ActMerge, "close_child":
		to, err = s.enterpriseSide(ctx, r)
		switch Action(action) {
		case ActReply:
			title = fmt.Sprintf("您的诉求“%s”已有答复", r.Title)
		case ActResolve:
			title = fmt.Sprintf("您的诉求“%s”已办结", r.Title)
		case ActSuspend:
			title = fmt.Sprintf("您的诉求“%s”需要补充材料", r.Title)
		case "close_child":
			title = fmt.Sprintf("您的诉求“%s”已随同类诉求一并办结", r.Title)
		}
	default:
		return nil
	}
	if err != nil {
		return err
	}
	body := ""
	if n := len(r.Timeline); n > 0 {
		body = r.Timeline[n-1].Note
	}
	actor := ""
	if a := ActorFrom(ctx); a != nil {
		actor = a.UserID
	}
	slices.Sort(to)
	to = slices.Compact(to)
	ns := make([]*Notification, 0, len(to))
	now := s.now()
	for _, u := range to {
		if u == "" || u == actor {
			continue
		}
		ns = append(ns, &Notification{ID: NewID(), UserID: u, Kind: NotifyRequest, Title: title, Body: body,
			Link: "/requests/" + r.ID, DedupKey: fmt.Sprintf("request:%s:%d:%s", r.ID, r.Version, u), CreatedAt: now})
	}
	if len(ns) == 0 {
		return nil
	}
	_, err = s.Notify.CreateNotifications(ctx, ns)
	return err
}

// dispatchersFor returns the dispatchers whose area covers the request's
// place: the district's, and those of its sub-district or park.
func (s *RequestService) dispatchersFor(ctx context.Context, r *Request) ([]string, error) {
	role, active := RoleDispatcher, UserActive
	users, _, err := s.Users.FindUsers(ctx, UserFilter{Role: &role, Status: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	parent, district := map[string]string{}, map[string]bool{}
	for _, u := range units {
		parent[u.ID] = u.ParentID
		district[u.ID] = u.Kind == KindDistrict
	}
	covers := map[string]bool{}
	for _, start := range []string{r.ParkID, r.SubdistrictID} {
		for u := start; u != ""; u = parent[u] {
			covers[u] = true
		}
	}
	var out []string
	for _, u := range users {
		if district[u.UnitID] || covers[u.UnitID] {
			out = append(out, u.ID)
		}
	}
	return out, nil
}

// departmentUsers returns the active handlers and heads of a department.
func (s *RequestService) departmentUsers(ctx context.Context, unit string) ([]string, error) {
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
		if slices.Contains(u.Roles, RoleHandler) || slices.Contains(u.Roles, RoleDeptHead) {
			out = append(out, u.ID)
		}
	}
	return out, nil
}

// enterpriseSide returns the enterprise's users, the filer and the
// first-contact owner.
func (s *RequestService) enterpriseSide(ctx context.Context, r *Request) ([]string, error) {
	active, ent := UserActive, r.EnterpriseID
	users, _, err := s.Users.FindUsers(ctx, UserFilter{EnterpriseID: &ent, Status: &active, Limit: 100})
	if err != nil {
		return nil, err
	}
	out := []string{r.FiledByID, r.FirstContactID}
	for _, u := range users {
		out = append(out, u.ID)
	}
	return out, nil
}
