package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// TaskForceService runs the task forces (专班): admins set them up, choose
// their liaison members and move caseloads (包干) between members; a
// liaison sees their own task force.
type TaskForceService struct {
	TaskForces  TaskForceStore
	Users       UserStore
	Enterprises EnterpriseStore
	Org         OrgStore
	Audit       *Auditor
}

// TaskForceInput is what an admin sends to create or change a task force.
type TaskForceInput struct {
	Name       string   `json:"name"`
	LeadUnitID string   `json:"lead_unit_id"`
	MemberIDs  []string `json:"member_ids"`
}

// TaskForceSummary is a task force as listed.
type TaskForceSummary struct {
	*TaskForce
	LeadUnitName string `json:"lead_unit_name,omitempty"`
}

// TaskForceMember is a liaison of a task force with the size of their caseload.
type TaskForceMember struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Phone       string     `json:"phone,omitempty"`
	Status      UserStatus `json:"status"`
	Caseload    int        `json:"caseload"`
}

// TaskForceDetail is a task force with its members.
type TaskForceDetail struct {
	*TaskForce
	LeadUnitName string             `json:"lead_unit_name,omitempty"`
	Members      []*TaskForceMember `json:"members"`
}

// ReassignInput asks to move a caseload from one liaison to another; with
// no enterprise ids the whole caseload moves.
type ReassignInput struct {
	From          string   `json:"from"`
	To            string   `json:"to"`
	EnterpriseIDs []string `json:"enterprise_ids"`
	Reason        string   `json:"reason"`
}

// ReassignResult says how many enterprises changed hands.
type ReassignResult struct {
	Moved int `json:"moved"`
}

// MinReassignReason is the shortest reason accepted for moving a caseload.
const MinReassignReason = 4

// maxTaskForceMembers bounds a task force so that its page and the
// caseload counts stay quick.
const maxTaskForceMembers = 100

// FindTaskForces returns one page of task forces whose name contains q:
// all of them for an admin, their own for a liaison. Task forces are few
// (one per chain or campaign), so they are filtered after reading them all.
func (s *TaskForceService) FindTaskForces(ctx context.Context, q string, offset, limit int) ([]*TaskForceSummary, int, error) {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return nil, 0, Errorf(EUNAUTHENTICATED, "请先登录")
	case !a.IsAdmin() && !a.Has(RoleLiaison):
		return nil, 0, Errorf(EFORBIDDEN, "只有系统管理员和专班联络员可以查看专班")
	}
	all, err := s.TaskForces.FindTaskForces(ctx)
	if err != nil {
		return nil, 0, err
	}
	names, err := orgUnitNames(ctx, s.Org)
	if err != nil {
		return nil, 0, err
	}
	q = strings.TrimSpace(q)
	var match []*TaskForceSummary
	for _, t := range all {
		if !a.IsAdmin() && t.ID != a.TaskForceID {
			continue
		}
		if q != "" && !strings.Contains(t.Name, q) {
			continue
		}
		match = append(match, &TaskForceSummary{TaskForce: t, LeadUnitName: names[t.LeadUnitID]})
	}
	return pageSlice(match, offset, limit), len(match), nil
}

// FindTaskForce returns a task force with its members and their caseload
// sizes. A liaison sees only their own task force; to anyone else who is
// not an admin it does not exist.
func (s *TaskForceService) FindTaskForce(ctx context.Context, id string) (*TaskForceDetail, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	if !a.IsAdmin() && !(a.Has(RoleLiaison) && a.TaskForceID == id) {
		return nil, Errorf(ENOTFOUND, "专班不存在")
	}
	t, err := s.TaskForces.FindTaskForceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	names, err := orgUnitNames(ctx, s.Org)
	if err != nil {
		return nil, err
	}
	d := &TaskForceDetail{TaskForce: t, LeadUnitName: names[t.LeadUnitID], Members: []*TaskForceMember{}}
	if len(t.MemberIDs) == 0 {
		return d, nil
	}
	users, _, err := s.Users.FindUsers(ctx, UserFilter{IDs: t.MemberIDs})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		_, n, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{LiaisonID: &u.ID, Limit: 1})
		if err != nil {
			return nil, err
		}
		d.Members = append(d.Members, &TaskForceMember{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
			Phone: u.Phone, Status: u.Status, Caseload: n})
	}
	return d, nil
}

// FindCaseload returns up to limit enterprises in the caseload of a member
// of task force id, by name, and how many there are in all. Admins see
// any member's caseload; a liaison sees those of their own task force.
func (s *TaskForceService) FindCaseload(ctx context.Context, id, liaisonID string, limit int) ([]*Enterprise, int, error) {
	d, err := s.FindTaskForce(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if !slices.Contains(d.MemberIDs, liaisonID) {
		return nil, 0, Errorf(ENOTFOUND, "该联络员不是本专班成员")
	}
	return s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{LiaisonID: &liaisonID, Limit: limit})
}

// CreateTaskForce sets up a task force (admin only).
func (s *TaskForceService) CreateTaskForce(ctx context.Context, in TaskForceInput) (*TaskForce, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "taskforce.create", "task_force", ""); err != nil {
		return nil, err
	}
	t := &TaskForce{ID: NewID()}
	added, _, err := s.check(ctx, t, in, nil)
	if err != nil {
		return nil, err
	}
	if err := s.TaskForces.UpsertTaskForce(ctx, t); err != nil {
		return nil, err
	}
	if err := s.setMembership(ctx, t.ID, added, nil); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s；牵头单位 %s；成员 %d 人", t.Name, t.LeadUnitID, len(t.MemberIDs))
	if err := s.Audit.Record(ctx, "taskforce.create", "task_force", t.ID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return t, nil
}

// UpdateTaskForce renames a task force, changes its lead unit or its
// members (admin only). Members must be liaisons who belong to no other
// task force; joining sets their task force, and a member can leave only
// once their caseload has been handed over.
func (s *TaskForceService) UpdateTaskForce(ctx context.Context, id string, in TaskForceInput) (*TaskForce, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "taskforce.update", "task_force", id); err != nil {
		return nil, err
	}
	old, err := s.TaskForces.FindTaskForceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &TaskForce{ID: id, CreatedAt: old.CreatedAt}
	added, removed, err := s.check(ctx, t, in, old)
	if err != nil {
		return nil, err
	}
	if err := s.TaskForces.UpsertTaskForce(ctx, t); err != nil {
		return nil, err
	}
	if err := s.setMembership(ctx, t.ID, added, removed); err != nil {
		return nil, err
	}
	var parts []string
	if old.Name != t.Name {
		parts = append(parts, fmt.Sprintf("名称：%s → %s", old.Name, t.Name))
	}
	if old.LeadUnitID != t.LeadUnitID {
		parts = append(parts, fmt.Sprintf("牵头单位：%s → %s", old.LeadUnitID, t.LeadUnitID))
	}
	if len(added) > 0 {
		parts = append(parts, "加入："+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "退出："+strings.Join(removed, ", "))
	}
	if err := s.Audit.Record(ctx, "taskforce.update", "task_force", t.ID, OutcomeOK, strings.Join(parts, "；")); err != nil {
		return nil, Internal(err)
	}
	return t, nil
}

// check fills t from in and validates it against the stored data; it
// returns the members who join and who leave.
func (s *TaskForceService) check(ctx context.Context, t *TaskForce, in TaskForceInput, old *TaskForce) (added, removed []string, err error) {
	f := map[string]string{}
	t.Name = strings.TrimSpace(in.Name)
	t.LeadUnitID = strings.TrimSpace(in.LeadUnitID)
	t.MemberIDs = []string{}
	for _, m := range in.MemberIDs {
		if m = strings.TrimSpace(m); m != "" && !slices.Contains(t.MemberIDs, m) {
			t.MemberIDs = append(t.MemberIDs, m)
		}
	}
	if n := utf8.RuneCountInString(t.Name); n < 2 || n > 40 {
		f["name"] = "专班名称应为 2–40 个字"
	}
	if t.LeadUnitID == "" {
		f["lead_unit_id"] = "必须指定牵头单位"
	} else if units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{t.LeadUnitID}}); err != nil {
		return nil, nil, err
	} else if len(units) == 0 {
		f["lead_unit_id"] = "牵头单位不存在"
	}
	if len(t.MemberIDs) > maxTaskForceMembers {
		f["member_ids"] = fmt.Sprintf("一个专班最多 %d 名成员", maxTaskForceMembers)
		return nil, nil, Invalid("专班信息有误", f)
	}
	var before []string
	if old != nil {
		before = old.MemberIDs
	}
	for _, m := range t.MemberIDs {
		if !slices.Contains(before, m) {
			added = append(added, m)
		}
	}
	for _, m := range before {
		if !slices.Contains(t.MemberIDs, m) {
			removed = append(removed, m)
		}
	}
	if msg, err := s.checkJoiners(ctx, t.ID, added); err != nil {
		return nil, nil, err
	} else if msg != "" {
		f["member_ids"] = msg
	}
	if f["member_ids"] == "" {
		for _, m := range removed {
			if msg, err := s.checkLeaver(ctx, m); err != nil {
				return nil, nil, err
			} else if msg != "" {
				f["member_ids"] = msg
				break
			}
		}
	}
	if len(f) > 0 {
		return nil, nil, Invalid("专班信息有误", f)
	}
	return added, removed, nil
}

// checkJoiners says why the users cannot join task force tfID, or "".
func (s *TaskForceService) checkJoiners(ctx context.Context, tfID string, ids []string) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	users, _, err := s.Users.FindUsers(ctx, UserFilter{IDs: ids})
	if err != nil {
		return "", err
	}
	found := map[string]*User{}
	for _, u := range users {
		found[u.ID] = u
	}
	for _, id := range ids {
		u := found[id]
		switch {
		case u == nil:
			return fmt.Sprintf("用户 %s 不存在", id), nil
		case !slices.Contains(u.Roles, RoleLiaison):
			return fmt.Sprintf("「%s」不是专班联络员，只有联络员可以加入专班", u.DisplayName), nil
		case u.Status == UserDisabled:
			return fmt.Sprintf("「%s」的账号已停用", u.DisplayName), nil
		case u.TaskForceID != "" && u.TaskForceID != tfID:
			return fmt.Sprintf("「%s」已是其他专班的成员，请先从原专班移除", u.DisplayName), nil
		}
	}
	return "", nil
}

// checkLeaver says why the liaison cannot leave their task force, or "":
// their caseload must be handed over first.
func (s *TaskForceService) checkLeaver(ctx context.Context, userID string) (string, error) {
	_, n, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{LiaisonID: &userID, Limit: 1})
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	name := userID
	if u, err := s.Users.FindUserByID(ctx, userID); err == nil {
		name = u.DisplayName
	}
	return fmt.Sprintf("「%s」还有 %d 家包干企业，请先移交给其他联络员再移出专班", name, n), nil
}

// setMembership records on each user which task force they belong to.
func (s *TaskForceService) setMembership(ctx context.Context, tfID string, added, removed []string) error {
	none := ""
	for _, id := range removed {
		u, err := s.Users.FindUserByID(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		if u.TaskForceID != tfID {
			continue // already moved elsewhere
		}
		if _, err := s.Users.UpdateUser(ctx, id, UserUpdate{TaskForceID: &none}); err != nil {
			return err
		}
	}
	for _, id := range added {
		if _, err := s.Users.UpdateUser(ctx, id, UserUpdate{TaskForceID: &tfID}); err != nil {
			return err
		}
	}
	return nil
}

// moveMember moves a user's membership from task force from to task force
// to (either may be ""), keeping the task forces' member lists in step
// with the user's task force.
func (s *TaskForceService) moveMember(ctx context.Context, userID, from, to string) error {
	if from == to {
		return nil
	}
	if from != "" {
		t, err := s.TaskForces.FindTaskForceByID(ctx, from)
		switch {
		case ErrorCode(err) == ENOTFOUND:
		case err != nil:
			return err
		default:
			t.MemberIDs = slices.DeleteFunc(t.MemberIDs, func(m string) bool { return m == userID })
			if err := s.TaskForces.UpsertTaskForce(ctx, t); err != nil {
				return err
			}
		}
	}
	if to != "" {
		t, err := s.TaskForces.FindTaskForceByID(ctx, to)
		if err != nil {
			return err
		}
		if !slices.Contains(t.MemberIDs, userID) {
			t.MemberIDs = append(t.MemberIDs, userID)
			if err := s.TaskForces.UpsertTaskForce(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// Reassign moves a caseload from one member of a task force to another as
// one action with a reason (admin only).
func (s *TaskForceService) Reassign(ctx context.Context, id string, in ReassignInput) (*ReassignResult, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "caseload.reassign", "task_force", id); err != nil {
		return nil, err
	}
	t, err := s.TaskForces.FindTaskForceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in.From, in.To, in.Reason = strings.TrimSpace(in.From), strings.TrimSpace(in.To), strings.TrimSpace(in.Reason)
	f := map[string]string{}
	if utf8.RuneCountInString(in.Reason) < MinReassignReason {
		f["reason"] = fmt.Sprintf("请填写移交原因（至少 %d 个字）", MinReassignReason)
	} else if utf8.RuneCountInString(in.Reason) > 500 {
		f["reason"] = "移交原因不能超过 500 个字"
	}
	switch {
	case in.From == "":
		f["from"] = "请选择移出包干的联络员"
	case !slices.Contains(t.MemberIDs, in.From):
		f["from"] = "移出的联络员不是本专班成员"
	}
	switch {
	case in.To == "":
		f["to"] = "请选择接手的联络员"
	case in.To == in.From:
		f["to"] = "接手的联络员不能与移出的联络员相同"
	case !slices.Contains(t.MemberIDs, in.To):
		f["to"] = "接手的联络员不是本专班成员"
	}
	if f["to"] == "" {
		to, err := s.Users.FindUserByID(ctx, in.To)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			f["to"] = "接手的联络员不存在"
		case err != nil:
			return nil, err
		case to.Status != UserActive || !slices.Contains(to.Roles, RoleLiaison):
			f["to"] = "接手的联络员账号不可用（已停用、待审核或不再是联络员）"
		}
	}
	var ids []string
	for _, e := range in.EnterpriseIDs {
		if e = strings.TrimSpace(e); e != "" && !slices.Contains(ids, e) {
			ids = append(ids, e)
		}
	}
	if len(f) == 0 {
		ef := EnterpriseFilter{LiaisonID: &in.From, Limit: 1}
		if len(ids) > 0 {
			ef.IDs = ids
		}
		_, n, err := s.Enterprises.FindEnterprises(ctx, ef)
		switch {
		case err != nil:
			return nil, err
		case len(ids) > 0 && n != len(ids):
			f["enterprise_ids"] = fmt.Sprintf("所选 %d 家企业中有 %d 家不在该联络员的包干名单中", len(ids), len(ids)-n)
		case n == 0:
			f["from"] = "该联络员名下没有包干企业"
		}
	}
	if len(f) > 0 {
		return nil, Invalid("包干移交信息有误", f)
	}
	moved, err := s.Enterprises.ReassignLiaison(ctx, in.From, in.To, t.ID, ids)
	if err != nil {
		return nil, err
	}
	scope := "全部"
	if len(ids) > 0 {
		scope = "部分"
	}
	detail := fmt.Sprintf("从 %s 移交给 %s（%s）：%d 家企业；原因：%s", in.From, in.To, scope, moved, in.Reason)
	if err := s.Audit.Record(ctx, "caseload.reassign", "task_force", t.ID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return &ReassignResult{Moved: moved}, nil
}

// orgUnitNames maps every org unit id to its name.
func orgUnitNames(ctx context.Context, org OrgStore) (map[string]string, error) {
	units, err := org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.ID] = u.Name
	}
	return out, nil
}

// pageSlice returns the slice of items from offset, at most limit long (all
// when limit is 0).
func pageSlice[T any](items []*T, offset, limit int) []*T {
	if offset >= len(items) {
		return []*T{}
	}
	items = items[max(offset, 0):]
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}
