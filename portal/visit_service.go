package portal

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// VisitFilter selects visits for a list.
type VisitFilter struct {
	LiaisonID    string
	EnterpriseID string
	Q            string // part of the enterprise's name
	Offset       int
	Limit        int
}

// VisitStore persists company visits.
type VisitStore interface {
	CreateVisit(ctx context.Context, v *Visit) error
	FindVisitByID(ctx context.Context, id string) (*Visit, error)
	// FindVisits returns one page, latest visit first, and the total.
	FindVisits(ctx context.Context, f VisitFilter) ([]*Visit, int, error)
}

// VisitService records liaisons' company visits (走访) and files the
// requests raised at them. A liaison records visits to the enterprises of
// the caseload and sees its own; dispatchers and admins record and see
// every visit.
type VisitService struct {
	Store       VisitStore
	Enterprises EnterpriseStore
	// Requests files the requests raised at a visit.
	Requests *RequestService
	Audit    *Auditor
	Now      func() time.Time
	// Zone is the district's zone, in which visit dates are read.
	Zone *time.Location
}

// Visit limits.
const (
	DefaultVisitsPerPage = 20
	MaxVisitsPerPage     = 100
	// MaxRaisedRequests caps the requests one visit form files.
	MaxRaisedRequests = 10
)

// RaisedRequest is one request raised at a visit, as the quick form takes it.
type RaisedRequest struct {
	Title       string      `json:"title"`
	Category    string      `json:"category"`
	Type        RequestType `json:"type"`
	Description string      `json:"description"`
	Urgent      bool        `json:"urgent"`
}

// VisitInput is what a visit is recorded with. At is the day of the visit
// (2006-01-02, in the district's zone).
type VisitInput struct {
	EnterpriseID string          `json:"enterprise_id"`
	At           string          `json:"at"`
	PeopleMet    string          `json:"people_met"`
	Notes        string          `json:"notes"`
	Requests     []RaisedRequest `json:"requests"`
}

// VisitPage is one page of visits.
type VisitPage struct {
	Items   []*Visit `json:"items"`
	Total   int      `json:"total"`
	Page    int      `json:"page"`
	PerPage int      `json:"per_page"`
}

// Pages returns how many pages the list has.
func (p *VisitPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

var errVisitNotFound = Errorf(ENOTFOUND, "走访记录不存在")

func (s *VisitService) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// visitRoles may record and read visits.
var visitRoles = []Role{RoleLiaison, RoleDispatcher, RoleAdmin}

// visitActor returns the actor in ctx if it may work with visits.
func visitActor(ctx context.Context) (*Actor, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HasAny(visitRoles...) {
		return nil, Errorf(EFORBIDDEN, "走访记录只对专班联络员、分拨员和管理员开放")
	}
	return a, nil
}

// seesAllVisits reports whether a sees every liaison's visits.
func seesAllVisits(a *Actor) bool { return a.HasAny(RoleDispatcher, RoleAdmin) }

// MayRecord reports whether the actor in ctx may record visits.
func (s *VisitService) MayRecord(ctx context.Context) bool {
	return ActorFrom(ctx).HasAny(visitRoles...)
}

// VisitSourceName is how requests raised at a visit name their source.
func VisitSourceName(enterprise string, at time.Time, zone *time.Location) string {
	return "走访 " + enterprise + " " + at.In(zone).Format("2006-01-02")
}

// Record stores a visit and files the requests raised at it, all checked
// first: when any field or any raised request is invalid nothing is stored.
func (s *VisitService) Record(ctx context.Context, in VisitInput) (*Visit, error) {
	a, err := visitActor(ctx)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	var ent *Enterprise
	if id := strings.TrimSpace(in.EnterpriseID); id == "" {
		f["enterprise_id"] = "请选择走访的企业"
	} else {
		ent, err = s.Enterprises.FindEnterpriseByID(ctx, id)
		ok := false
		if err == nil {
			// Whoever may visit an enterprise may file for it: a liaison the
			// caseload, a dispatcher the area, an admin any.
			ok, err = s.Requests.mayFileFor(ctx, a, ent)
		}
		if IsCode(err, ENOTFOUND) || (err == nil && !ok) {
			// One answer for missing and foreign enterprises, so ids cannot be probed.
			return nil, &Error{Code: ENOTFOUND, Message: "企业不存在或不在您的包干范围内",
				Fields: map[string]string{"enterprise_id": "企业不存在或不在您的包干范围内"}}
		}
		if err != nil {
			return nil, err
		}
	}
	now := s.Now().UTC()
	day, perr := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.At), s.zone())
	today := now.In(s.zone())
	switch {
	case perr != nil:
		f["at"] = "请填写走访日期，格式如 2026-03-18"
	case day.After(today):
		f["at"] = "走访日期不能晚于今天"
	case day.Before(today.AddDate(-1, 0, -1)):
		f["at"] = "只能登记一年内的走访"
	}
	people := checkText(f, "people_met", "见到的人", in.PeopleMet, 2, 200)
	notes := checkText(f, "notes", "走访记录", in.Notes, 0, 2000)
	if len(in.Requests) > MaxRaisedRequests {
		f["requests"] = fmt.Sprintf("一次走访最多登记 %d 条诉求", MaxRaisedRequests)
	}
	inputs := make([]RequestInput, 0, len(in.Requests))
	for i, rr := range in.Requests {
		ri, err := s.checkRaised(ctx, f, fmt.Sprintf("requests.%d.", i), rr, ent)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, ri)
	}
	if len(f) > 0 {
		return nil, Invalid("走访信息有误", f)
	}
	// A visit of today is stamped now; one recorded afterwards at noon of its day.
	at := now
	if y, m, d := today.Date(); day.Year() != y || day.Month() != m || day.Day() != d {
		at = day.Add(12 * time.Hour).UTC()
	}
	v := &Visit{ID: NewID(), LiaisonID: a.UserID, LiaisonName: a.Name(), EnterpriseID: ent.ID, EnterpriseName: ent.Name,
		ChainIDs: ent.ChainIDs, At: at, PeopleMet: people, Notes: notes, RequestIDs: []string{}, CreatedAt: now}
	source := VisitSourceName(ent.Name, at, s.zone())
	var fileErr error
	for _, ri := range inputs {
		ri.SourceID, ri.SourceName = v.ID, source
		r, err := s.Requests.File(ctx, ri, nil)
		if err != nil {
			// What was filed stays filed and names this visit, so the visit is
			// stored with it; the caller learns what failed.
			fileErr = err
			break
		}
		v.RequestIDs = append(v.RequestIDs, r.ID)
	}
	if err := s.Store.CreateVisit(ctx, v); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "visit.create", "visit", v.ID, OutcomeOK,
		fmt.Sprintf("%s，登记诉求 %d 条", v.EnterpriseName, len(v.RequestIDs))); err != nil {
		return nil, Internal(err)
	}
	if fileErr != nil {
		return v, fileErr
	}
	return v, nil
}

// checkRaised validates one raised request as RequestService.File would
// for a visit to ent, naming bad fields with prefix, and returns its input.
func (s *VisitService) checkRaised(ctx context.Context, f map[string]string, prefix string, rr RaisedRequest, ent *Enterprise) (RequestInput, error) {
	in := RequestInput{Title: rr.Title, Description: rr.Description, Category: strings.TrimSpace(rr.Category),
		Type: rr.Type, Channel: ChannelVisit, Urgent: rr.Urgent}
	if ent != nil {
		in.EnterpriseID = ent.ID
	}
	checkText(f, prefix+"title", "诉求标题", rr.Title, 4, 60)
	checkText(f, prefix+"description", "诉求内容", rr.Description, 10, 2000)
	if _, ok := RequestTypeNames[rr.Type]; !ok {
		f[prefix+"type"] = "请选择诉求类型：咨询、求助、投诉或建议"
	}
	if in.Category == "" {
		f[prefix+"category"] = "请选择诉求分类"
	} else if cat, err := s.Requests.Categories.CategoryByCode(ctx, in.Category); err != nil || !cat.Active {
		if err != nil && !IsCode(err, ENOTFOUND) {
			return in, err
		}
		f[prefix+"category"] = "未知的诉求分类"
	} else if _, bad := f[prefix+"type"]; !bad && !cat.Allows(rr.Type) {
		f[prefix+"category"] = fmt.Sprintf("分类“%s”不受理%s类诉求", cat.Name, RequestTypeNames[rr.Type])
	}
	if ent != nil && (ent.ContactName == "" || ent.ContactPhone == "") {
		f[prefix+"contact"] = "企业未登记联系人或电话，请先在企业名录中补充"
	}
	return in, nil
}

// Get returns one visit the actor may see.
func (s *VisitService) Get(ctx context.Context, id string) (*Visit, error) {
	a, err := visitActor(ctx)
	if err != nil {
		return nil, err
	}
	if id == "" || len(id) > 64 {
		return nil, errVisitNotFound
	}
	return findVisible(ctx, id, s.Store.FindVisitByID, func(_ context.Context, v *Visit) (bool, error) {
		return seesAllVisits(a) || v.LiaisonID == a.UserID, nil
	}, errVisitNotFound)
}

// VisitQuery is what a user asks of the visit list.
type VisitQuery struct {
	Enterprise string
	Q          string
	// Mine narrows a dispatcher's or admin's list to their own visits.
	Mine    bool
	Page    int
	PerPage int
}

// List returns one page of the visits the actor may see, latest first: a
// liaison's own, everyone's for dispatchers and admins.
func (s *VisitService) List(ctx context.Context, q VisitQuery) (*VisitPage, error) {
	a, err := visitActor(ctx)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultVisitsPerPage, MaxVisitsPerPage)
	filter := VisitFilter{EnterpriseID: strings.TrimSpace(q.Enterprise)}
	if len(filter.EnterpriseID) > 64 {
		f["enterprise"] = "未知的企业"
	}
	if qt, ok := cleanText(q.Q); !ok || utf8.RuneCountInString(qt) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	} else {
		filter.Q = qt
	}
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	if !seesAllVisits(a) || q.Mine {
		filter.LiaisonID = a.UserID
	}
	filter.Offset, filter.Limit = (q.Page-1)*q.PerPage, q.PerPage
	items, total, err := s.Store.FindVisits(ctx, filter)
	if err != nil {
		return nil, err
	}
	return &VisitPage{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// Raised returns the requests raised at a visit the actor may see — those
// of them the actor may see — with their current status.
func (s *VisitService) Raised(ctx context.Context, id string) (*RequestPage, error) {
	v, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.Requests.List(ctx, RequestQuery{Source: v.ID, PerPage: MaxRequestsPerPage})
}
