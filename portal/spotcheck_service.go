package portal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SpotCheckService runs spot checks (抽查): admins draw them, reviewers
// phone the enterprises and record what they verified, which goes onto
// the requests (see RequestService.recordVerification) so that the rates
// count the verified outcome.
//
// Reviewers must stand apart from the departments whose work they check,
// so by default they are dispatchers and admins (DefaultReviewerRoles):
// district staff who already phone enterprises, never the handlers or
// liaisons of the requests. ReviewerRoles changes the set; admins may
// always record any item.
type SpotCheckService struct {
	Store    SpotCheckStore
	Requests *RequestService
	Users    UserStore
	Audit    *Auditor
	// Zone decides which month a request closed in; nil is UTC.
	Zone *time.Location
	// ReviewerRoles are the roles reviewers hold; nil means DefaultReviewerRoles.
	ReviewerRoles []Role
	Now           func() time.Time
}

// DefaultReviewerRoles are the roles that may review spot checks unless configured.
var DefaultReviewerRoles = []Role{RoleDispatcher, RoleAdmin}

// Spot check limits and paging.
const (
	MaxSpotCheckReviewers    = 20
	DefaultSpotChecksPerPage = 20
	MaxSpotChecksPerPage     = 100
)

// SpotCheckInput is what an admin draws a spot check with.
type SpotCheckInput struct {
	Month   string `json:"month"`   // YYYY-MM
	Percent int    `json:"percent"` // 1–100
	// Seed, when given, draws that sample again; otherwise one is made up and recorded.
	Seed        *int64   `json:"seed,omitempty"`
	ReviewerIDs []string `json:"reviewer_ids"` // assigned round-robin in sample order
}

// SpotCheckSummary is a check in a list with its progress, counted over
// the items the viewer sees.
type SpotCheckSummary struct {
	*SpotCheck
	Items         int `json:"items"`
	Verified      int `json:"verified"`
	Discrepancies int `json:"discrepancies"`
}

// SpotCheckPage is one page of spot checks.
type SpotCheckPage struct {
	Items   []*SpotCheckSummary `json:"items"`
	Total   int                 `json:"total"`
	Page    int                 `json:"page"`
	PerPage int                 `json:"per_page"`
}

// SpotCheckItemQuery is what a viewer asks of the items of a check or of
// their own queue.
type SpotCheckItemQuery struct {
	Department string
	State      string // pending, verified, discrepancy or "" for all
	Q          string
	Page       int
	PerPage    int
}

// SpotCheckStratumView is a department's share with its progress.
type SpotCheckStratumView struct {
	SpotCheckStratum
	Items         int `json:"items"` // the viewer's items of the department
	Verified      int `json:"verified"`
	Discrepancies int `json:"discrepancies"`
}

// SpotCheckView is one check as its viewer sees it: admins every item,
// reviewers their own.
type SpotCheckView struct {
	Check *SpotCheck `json:"check"`
	// Strata carry the per-department population and sample sizes, with
	// the progress over the items the viewer sees.
	Strata        []SpotCheckStratumView `json:"strata"`
	OwnItemsOnly  bool                   `json:"own_items_only"`
	Verified      int                    `json:"verified"`
	Discrepancies int                    `json:"discrepancies"`
	Items         []*SpotCheckItem       `json:"items"`
	Total         int                    `json:"total"`
	Page          int                    `json:"page"`
	PerPage       int                    `json:"per_page"`
}

// SpotCheckItemPage is one page of items.
type SpotCheckItemPage struct {
	Items   []*SpotCheckItem `json:"items"`
	Total   int              `json:"total"`
	Page    int              `json:"page"`
	PerPage int              `json:"per_page"`
}

// Pages returns how many pages the list has.
func (p *SpotCheckItemPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

var (
	errSpotCheckNotFound = Errorf(ENOTFOUND, "抽查不存在")
	errSpotItemNotFound  = Errorf(ENOTFOUND, "抽查项不存在")
	errSpotItemVerified  = Errorf(ECONFLICT, "该抽查项已核实，每项只能核实一次")
	monthPattern         = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

func (s *SpotCheckService) now() time.Time { return s.Now().UTC() }

func (s *SpotCheckService) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

func (s *SpotCheckService) reviewerRoles() []Role {
	if s.ReviewerRoles == nil {
		return DefaultReviewerRoles
	}
	return s.ReviewerRoles
}

// MayReview reports whether a holds a role that reviews spot checks.
func (s *SpotCheckService) MayReview(a *Actor) bool {
	return a.IsAdmin() || a.HasAny(s.reviewerRoles()...)
}

// reviewer returns the actor if it may take part in spot checks at all.
func (s *SpotCheckService) reviewer(ctx context.Context) (*Actor, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !s.MayReview(a) {
		return nil, Errorf(EFORBIDDEN, "您无权查看抽查")
	}
	return a, nil
}

// MonthRange returns the first instant of month (YYYY-MM) in the
// district's zone and of the month after.
func (s *SpotCheckService) MonthRange(month string) (from, to time.Time, ok bool) {
	if !monthPattern.MatchString(month) {
		return from, to, false
	}
	t, err := time.ParseInLocation("2006-01", month, s.zone())
	if err != nil || t.Year() < 2000 {
		return from, to, false
	}
	return t, t.AddDate(0, 1, 0), true
}

// LastMonth is the month before the current one in the district's zone.
func (s *SpotCheckService) LastMonth() string {
	now := s.now().In(s.zone())
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.zone()).AddDate(0, -1, 0).Format("2006-01")
}

// Create draws a spot check: admins only.
func (s *SpotCheckService) Create(ctx context.Context, in SpotCheckInput) (*SpotCheck, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "只有系统管理员可以发起抽查")
	}
	f := map[string]string{}
	month := strings.TrimSpace(in.Month)
	from, to, ok := s.MonthRange(month)
	now := s.now()
	switch {
	case month == "":
		f["month"] = "请选择抽查月份"
	case !ok:
		f["month"] = "月份格式应为 YYYY-MM，例如 2026-10"
	case from.After(now):
		f["month"] = "不能抽查尚未到来的月份"
	}
	if in.Percent < 1 || in.Percent > 100 {
		f["percent"] = "抽查比例须为 1–100 之间的整数"
	}
	if in.Seed != nil && (*in.Seed < 0 || *in.Seed > MaxSpotCheckSeed) {
		f["seed"] = fmt.Sprintf("随机种子须为 0–%d 之间的整数", int64(MaxSpotCheckSeed))
	}
	reviewers, err := s.checkReviewers(ctx, in.ReviewerIDs, f)
	if err != nil {
		return nil, err
	}
	if len(f) > 0 {
		return nil, Invalid("抽查设置有误", f)
	}
	candidates, err := s.Store.FindSpotCheckCandidates(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if len(candidates) == 0 {
		return nil, &Error{Code: EUNPROCESSABLE, Message: "该月没有已关闭的诉求", Fields: map[string]string{"month": "该月没有已关闭的诉求"}}
	}
	seed := rand.Int64N(MaxSpotCheckSeed + 1)
	if in.Seed != nil {
		seed = *in.Seed
	}
	strata, picked := DrawSample(candidates, in.Percent, seed)
	c := &SpotCheck{ID: NewID(), Month: month, Percent: in.Percent, Seed: seed, Strata: strata,
		Population: len(candidates), Sampled: len(picked), CreatedByID: a.UserID, CreatedByName: a.Name(), CreatedAt: now}
	items := make([]*SpotCheckItem, len(picked))
	for i, r := range picked {
		u := assignReviewer(reviewers, i, r)
		items[i] = &SpotCheckItem{ID: SpotCheckItemID(c.ID, r.ID), CheckID: c.ID, CheckMonth: month, Seq: i + 1, RequestID: r.ID, RequestNo: r.No,
			Title: r.Title, EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName, ContactName: r.ContactName,
			ContactPhone: r.ContactPhone, DepartmentID: r.DepartmentID, DepartmentName: r.DepartmentName,
			Recorded: cloneFeedback(r.Feedback), ReviewerID: u.ID, ReviewerName: u.DisplayName, State: ItemPending, Version: 1}
		if r.ClosedAt != nil {
			items[i].ClosedAt = *r.ClosedAt
		}
		if !slices.Contains(c.ReviewerIDs, u.ID) {
			c.ReviewerIDs = append(c.ReviewerIDs, u.ID)
		}
	}
	if err := s.Store.CreateSpotCheck(ctx, c, items); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s 抽查 %d%%（随机种子 %d）：%d 件已关闭诉求中抽取 %d 件", month, in.Percent, seed, len(candidates), len(picked))
	if err := s.Audit.Record(ctx, "spot_check.create", "spot_check", c.ID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return c, nil
}

// checkReviewers loads the reviewers named, in order without repeats,
// naming in f what is wrong with them.
func (s *SpotCheckService) checkReviewers(ctx context.Context, ids []string, f map[string]string) ([]*User, error) {
	var seen []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(seen, id) {
			seen = append(seen, id)
		}
	}
	switch {
	case len(seen) == 0:
		f["reviewer_ids"] = "请至少选择一名核查人"
		return nil, nil
	case len(seen) > MaxSpotCheckReviewers:
		f["reviewer_ids"] = fmt.Sprintf("核查人最多 %d 名", MaxSpotCheckReviewers)
		return nil, nil
	}
	out := make([]*User, 0, len(seen))
	for _, id := range seen {
		u, msg, err := s.loadReviewer(ctx, id)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			f["reviewer_ids"] = msg
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// loadReviewer returns the user id if it may review, else a message why not.
func (s *SpotCheckService) loadReviewer(ctx context.Context, id string) (*User, string, error) {
	if len(id) > 64 {
		return nil, "核查人不存在", nil
	}
	u, err := s.Users.FindUserByID(ctx, id)
	switch {
	case IsCode(err, ENOTFOUND):
		return nil, "核查人不存在", nil
	case err != nil:
		return nil, "", err
	case u.Status != UserActive:
		return nil, fmt.Sprintf("核查人“%s”的账号未启用", u.DisplayName), nil
	case !slices.ContainsFunc(s.reviewerRoles(), func(r Role) bool { return slices.Contains(u.Roles, r) }):
		return nil, fmt.Sprintf("核查人“%s”不是%s", u.DisplayName, s.reviewerRoleNames()), nil
	}
	return u, "", nil
}

// reviewerRoleNames names the reviewer roles for messages: "分拨员或系统管理员".
func (s *SpotCheckService) reviewerRoleNames() string {
	names := make([]string, 0, len(s.reviewerRoles()))
	for _, r := range s.reviewerRoles() {
		names = append(names, RoleNames[r])
	}
	return strings.Join(names, "或")
}

// assignReviewer picks the reviewer of the i-th sampled request: round
// robin, passing over a reviewer who filed, first received or handled the
// request when another is free of it, so that nobody checks their own work.
func assignReviewer(reviewers []*User, i int, r *Request) *User {
	n := len(reviewers)
	for k := 0; k < n; k++ {
		u := reviewers[(i+k)%n]
		if u.ID != r.FiledByID && u.ID != r.FirstContactID && u.ID != r.HandlerID {
			return u
		}
	}
	return reviewers[i%n]
}

func cloneFeedback(fb *Feedback) *Feedback {
	if fb == nil {
		return nil
	}
	c := *fb
	return &c
}

// Reviewers lists the active users who may be chosen as reviewers (admins only).
func (s *SpotCheckService) Reviewers(ctx context.Context) ([]*User, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "只有系统管理员可以指定核查人")
	}
	active := UserActive
	var out []*User
	for _, role := range s.reviewerRoles() {
		users, _, err := s.Users.FindUsers(ctx, UserFilter{Role: &role, Status: &active, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if !slices.ContainsFunc(out, func(x *User) bool { return x.ID == u.ID }) {
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// List returns one page of the checks the actor sees, newest first:
// admins all, reviewers those they have items in.
func (s *SpotCheckService) List(ctx context.Context, month string, page, perPage int) (*SpotCheckPage, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	checkPaging(f, &page, &perPage, DefaultSpotChecksPerPage, MaxSpotChecksPerPage)
	month = strings.TrimSpace(month)
	if _, _, ok := s.MonthRange(month); month != "" && !ok {
		f["month"] = "月份格式应为 YYYY-MM，例如 2026-10"
	}
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	filter := SpotCheckFilter{Month: month, Offset: (page - 1) * perPage, Limit: perPage}
	reviewerID := ""
	if !a.IsAdmin() {
		filter.ReviewerID, reviewerID = a.UserID, a.UserID
	}
	checks, total, err := s.Store.FindSpotChecks(ctx, filter)
	if err != nil {
		return nil, err
	}
	out := &SpotCheckPage{Items: make([]*SpotCheckSummary, len(checks)), Total: total, Page: page, PerPage: perPage}
	ids := make([]string, len(checks))
	for i, c := range checks {
		ids[i] = c.ID
		out.Items[i] = &SpotCheckSummary{SpotCheck: c}
	}
	if len(ids) == 0 {
		return out, nil
	}
	counts, err := s.Store.CountSpotCheckItems(ctx, ids, reviewerID)
	if err != nil {
		return nil, err
	}
	for _, n := range counts {
		for _, sum := range out.Items {
			if sum.ID == n.CheckID {
				sum.Items += n.Items
				sum.Verified += n.Verified
				sum.Discrepancies += n.Discrepancies
			}
		}
	}
	return out, nil
}

// visibleCheck loads check id if a may see it: admins every check,
// reviewers those they have or had items in.
func (s *SpotCheckService) visibleCheck(ctx context.Context, a *Actor, id string) (*SpotCheck, error) {
	if id == "" || len(id) > 64 {
		return nil, errSpotCheckNotFound
	}
	c, err := s.Store.FindSpotCheckByID(ctx, id)
	switch {
	case IsCode(err, ENOTFOUND):
		return nil, errSpotCheckNotFound
	case err != nil:
		return nil, err
	case !a.IsAdmin() && !slices.Contains(c.ReviewerIDs, a.UserID):
		return nil, errSpotCheckNotFound
	}
	return c, nil
}

// visibleItem loads the item of requestID in check checkID if a may see
// it: admins every item, reviewers their own.
func (s *SpotCheckService) visibleItem(ctx context.Context, a *Actor, checkID, requestID string) (*SpotCheck, *SpotCheckItem, error) {
	c, err := s.visibleCheck(ctx, a, checkID)
	if err != nil {
		return nil, nil, err
	}
	if requestID == "" || len(requestID) > 64 {
		return nil, nil, errSpotItemNotFound
	}
	it, err := s.Store.FindSpotCheckItem(ctx, checkID, requestID)
	switch {
	case IsCode(err, ENOTFOUND):
		return nil, nil, errSpotItemNotFound
	case err != nil:
		return nil, nil, err
	case !a.IsAdmin() && it.ReviewerID != a.UserID:
		return nil, nil, errSpotItemNotFound
	}
	return c, it, nil
}

// itemFilter checks q into a store filter, naming what is wrong.
func itemFilter(q *SpotCheckItemQuery) (SpotCheckItemFilter, error) {
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultSpotChecksPerPage, MaxSpotChecksPerPage)
	out := SpotCheckItemFilter{DepartmentID: strings.TrimSpace(q.Department), Offset: (q.Page - 1) * q.PerPage, Limit: q.PerPage}
	if q.State != "" {
		st := SpotCheckItemState(q.State)
		if _, ok := SpotCheckItemStateNames[st]; !ok {
			f["state"] = "核实状态应为 pending（待核实）、verified（已核实）或 discrepancy（结果不一致）"
		}
		out.States = []SpotCheckItemState{st}
		if st == ItemVerified {
			// "Verified" in a filter means every verified item; the
			// discrepancies are verified too.
			out.States = append(out.States, ItemDiscrepancy)
		}
	}
	if len(out.DepartmentID) > 64 {
		f["department"] = "未知的部门"
	}
	if qt, ok := cleanText(q.Q); !ok || utf8.RuneCountInString(qt) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	} else {
		out.Q = qt
	}
	if len(f) > 0 {
		return out, Invalid("查询参数有误", f)
	}
	return out, nil
}

// Get returns a check the actor sees with one page of its items.
func (s *SpotCheckService) Get(ctx context.Context, id string, q SpotCheckItemQuery) (*SpotCheckView, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.visibleCheck(ctx, a, id)
	if err != nil {
		return nil, err
	}
	filter, err := itemFilter(&q)
	if err != nil {
		return nil, err
	}
	filter.CheckID = c.ID
	v := &SpotCheckView{Check: c, OwnItemsOnly: !a.IsAdmin(), Page: q.Page, PerPage: q.PerPage}
	if v.OwnItemsOnly {
		filter.ReviewerID = a.UserID
	}
	if v.Items, v.Total, err = s.Store.FindSpotCheckItems(ctx, filter); err != nil {
		return nil, err
	}
	counts, err := s.Store.CountSpotCheckItems(ctx, []string{c.ID}, filter.ReviewerID)
	if err != nil {
		return nil, err
	}
	for _, st := range c.Strata {
		sv := SpotCheckStratumView{SpotCheckStratum: st}
		for _, n := range counts {
			if n.DepartmentID == st.DepartmentID {
				sv.Items, sv.Verified, sv.Discrepancies = n.Items, n.Verified, n.Discrepancies
			}
		}
		v.Verified += sv.Verified
		v.Discrepancies += sv.Discrepancies
		v.Strata = append(v.Strata, sv)
	}
	return v, nil
}

// EachItem calls fn with every item of a check the actor sees that
// matches q (its paging aside), in sample order: for exports.
func (s *SpotCheckService) EachItem(ctx context.Context, id string, q SpotCheckItemQuery, fn func(*SpotCheckItem) error) error {
	a, err := s.reviewer(ctx)
	if err != nil {
		return err
	}
	c, err := s.visibleCheck(ctx, a, id)
	if err != nil {
		return err
	}
	q.Page, q.PerPage = 1, MaxSpotChecksPerPage
	filter, err := itemFilter(&q)
	if err != nil {
		return err
	}
	filter.CheckID = c.ID
	if !a.IsAdmin() {
		filter.ReviewerID = a.UserID
	}
	for filter.Offset = 0; ; filter.Offset += filter.Limit {
		items, _, err := s.Store.FindSpotCheckItems(ctx, filter)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if len(items) < filter.Limit {
			return nil
		}
	}
}

// Mine returns one page of the items assigned to the actor across checks,
// in sample order.
func (s *SpotCheckService) Mine(ctx context.Context, q SpotCheckItemQuery) (*SpotCheckItemPage, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return nil, err
	}
	filter, err := itemFilter(&q)
	if err != nil {
		return nil, err
	}
	filter.ReviewerID = a.UserID
	items, total, err := s.Store.FindSpotCheckItems(ctx, filter)
	if err != nil {
		return nil, err
	}
	return &SpotCheckItemPage{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// Verify records what the reviewer verified for one item: on the request
// first, which is what the rates count and what makes verification
// once-only, then on the item. An item whose request already holds this
// check's verification (its own write was lost) is completed from the
// request, and the second verification answers 409.
func (s *SpotCheckService) Verify(ctx context.Context, checkID, requestID string, in VerifyInput) (*SpotCheckItem, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return nil, err
	}
	_, it, err := s.visibleItem(ctx, a, checkID, requestID)
	if err != nil {
		return nil, err
	}
	if _, err := in.check(); err != nil {
		return nil, err
	}
	if it.Verified != nil {
		return nil, errSpotItemVerified
	}
	r, err := s.Requests.recordVerification(ctx, requestID, checkID, in)
	if err == errVerifiedByCheck {
		if err := s.completeItem(ctx, it, r); err != nil {
			return nil, err
		}
		return nil, errSpotItemVerified
	}
	if err != nil {
		return nil, err
	}
	if err := s.completeItem(ctx, it, r); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s %s", it.RequestNo, SpotCheckItemStateNames[it.State])
	if err := s.Audit.Record(ctx, "spot_check.verify", "spot_check", checkID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return it, nil
}

// completeItem copies r's verification to the item; an item a racing
// call has completed is left as it is.
func (s *SpotCheckService) completeItem(ctx context.Context, it *SpotCheckItem, r *Request) error {
	if it.Verified != nil {
		return nil
	}
	v := *r.Verified
	it.Verified, it.Recorded, it.State = &v, cloneFeedback(r.Feedback), ItemVerified
	if v.Discrepancy {
		it.State = ItemDiscrepancy
	}
	err := s.Store.UpdateSpotCheckItem(ctx, it, it.Version)
	if IsCode(err, ECONFLICT) {
		cur, ferr := s.Store.FindSpotCheckItem(ctx, it.CheckID, it.RequestID)
		if ferr == nil && cur.Verified != nil {
			*it = *cur
			return nil
		}
	}
	return err
}

// Reassign gives a pending item to another reviewer (admins only).
func (s *SpotCheckService) Reassign(ctx context.Context, checkID, requestID, reviewerID string) (*SpotCheckItem, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "只有系统管理员可以改派核查人")
	}
	_, it, err := s.visibleItem(ctx, a, checkID, requestID)
	if err != nil {
		return nil, err
	}
	reviewerID = strings.TrimSpace(reviewerID)
	if reviewerID == "" {
		return nil, Invalid("改派信息有误", map[string]string{"reviewer_id": "请选择核查人"})
	}
	u, msg, err := s.loadReviewer(ctx, reviewerID)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		return nil, Invalid("改派信息有误", map[string]string{"reviewer_id": msg})
	}
	if it.Verified != nil {
		return nil, Errorf(ECONFLICT, "该抽查项已核实，不能改派")
	}
	if it.ReviewerID == u.ID {
		return it, nil
	}
	if err := s.Store.AddSpotCheckReviewer(ctx, checkID, u.ID); err != nil {
		return nil, err
	}
	from := it.ReviewerName
	it.ReviewerID, it.ReviewerName = u.ID, u.DisplayName
	if err := s.Store.UpdateSpotCheckItem(ctx, it, it.Version); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("%s 核查人由%s改为%s", it.RequestNo, from, u.DisplayName)
	if err := s.Audit.Record(ctx, "spot_check.reassign", "spot_check", checkID, OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return it, nil
}
