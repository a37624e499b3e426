package portal

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"
)

// Scorecard paging.
const (
	DefaultScorecardPerPage = 50
	MaxScorecardPerPage     = 200
	// scorecardExportPage is how many rows an export reads at a time.
	scorecardExportPage = 1000
)

// ScorecardQuery asks for a department's scorecard (一诉一考): every
// request it holds that was received in the months asked.
type ScorecardQuery struct {
	Department string // empty: the actor's own department, if any
	From, To   string // "YYYY-MM"; empty: the twelve months up to now
	Q          string // part of the number or the enterprise's name
	Page       int
	PerPage    int
}

// ScorecardPage is one page of a department's scorecard.
type ScorecardPage struct {
	// Department is nil until one is chosen (admins and dispatchers choose).
	Department *OrgUnit
	// Departments are the departments the actor may choose from.
	Departments []*OrgUnit
	From, To    string
	Items       []*Request
	Total       int
	Page        int
	PerPage     int
}

// Pages returns how many pages the scorecard has.
func (p *ScorecardPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// scorecardDepartments returns the departments the actor may read the
// scorecards of: every handling unit for admins and district
// dispatchers, those of their area for other dispatchers, their own for
// handlers and heads. mayChoose is false when the actor has only their own.
func (s *KPIService) scorecardDepartments(ctx context.Context) (units []*OrgUnit, mayChoose bool, err error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, false, err
	}
	all, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return nil, false, err
	}
	handling := func(keep func(*OrgUnit) bool) []*OrgUnit {
		out := []*OrgUnit{}
		for _, u := range all {
			if u.Tier.Valid() && keep(u) {
				out = append(out, u)
			}
		}
		return out
	}
	switch {
	case a.IsAdmin():
		return handling(func(*OrgUnit) bool { return true }), true, nil
	case a.Has(RoleDispatcher) && a.UnitID != "":
		subtree, err := UnitSubtree(ctx, s.Org, a.UnitID)
		if err != nil {
			return nil, false, err
		}
		for _, u := range all {
			if u.ID == a.UnitID && u.Kind == KindDistrict {
				return handling(func(*OrgUnit) bool { return true }), true, nil
			}
		}
		return handling(func(u *OrgUnit) bool { return slices.Contains(subtree, u.ID) }), true, nil
	case a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "":
		return handling(func(u *OrgUnit) bool { return u.ID == a.UnitID }), false, nil
	}
	return nil, false, Errorf(EFORBIDDEN, "您无权查看部门考核表")
}

// scorecardFilter checks a query and returns the department chosen (nil
// when none is yet), the departments to choose from and the filter.
func (s *KPIService) scorecardFilter(ctx context.Context, q *ScorecardQuery) (*ScorecardPage, ScorecardFilter, error) {
	units, mayChoose, err := s.scorecardDepartments(ctx)
	if err != nil {
		return nil, ScorecardFilter{}, err
	}
	f := map[string]string{}
	start, end := s.kpiMonthRange(f, q.From, q.To)
	checkPaging(f, &q.Page, &q.PerPage, DefaultScorecardPerPage, MaxScorecardPerPage)
	qt, ok := cleanText(q.Q)
	if !ok || utf8.RuneCountInString(qt) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	}
	if len(f) > 0 {
		return nil, ScorecardFilter{}, Invalid("查询参数有误", f)
	}
	p := &ScorecardPage{Departments: units, From: start.Format("2006-01"), To: end.AddDate(0, -1, 0).Format("2006-01"),
		Items: []*Request{}, Page: q.Page, PerPage: q.PerPage}
	dept := q.Department
	if dept == "" && !mayChoose && len(units) == 1 {
		dept = units[0].ID
	}
	if dept != "" {
		i := slices.IndexFunc(units, func(u *OrgUnit) bool { return u.ID == dept })
		if i < 0 {
			return nil, ScorecardFilter{}, Errorf(ENOTFOUND, "承办单位不存在")
		}
		p.Department = units[i]
	}
	return p, ScorecardFilter{DepartmentID: dept, From: start.UTC(), To: end.UTC(), Q: qt}, nil
}

// Scorecard returns one page of a department's scorecard, oldest first.
func (s *KPIService) Scorecard(ctx context.Context, q ScorecardQuery) (*ScorecardPage, error) {
	p, f, err := s.scorecardFilter(ctx, &q)
	if err != nil || p.Department == nil {
		return p, err
	}
	f.Offset, f.Limit, f.Count = (q.Page-1)*q.PerPage, q.PerPage, true
	p.Items, p.Total, err = s.Requests.FindScorecardRequests(ctx, f)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// EachScorecardRequest calls fn with every request of the scorecard in
// order, reading a page at a time so that any number of rows costs the
// same memory; it returns the department (nil when none is chosen).
// prepare, when not nil, runs once the query is known to be good and
// before the first row, so a caller can start its answer only then.
func (s *KPIService) EachScorecardRequest(ctx context.Context, q ScorecardQuery, prepare func(*ScorecardPage) error, fn func(*Request) error) error {
	p, f, err := s.scorecardFilter(ctx, &q)
	if err != nil {
		return err
	}
	if p.Department == nil {
		return Invalid("请选择承办单位", map[string]string{"department": "请选择承办单位"})
	}
	if prepare != nil {
		if err := prepare(p); err != nil {
			return err
		}
	}
	f.Limit = scorecardExportPage
	for {
		page, _, err := s.Requests.FindScorecardRequests(ctx, f)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		last := page[len(page)-1]
		f.After = &ScorecardCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
}

// ScorecardOnTime is a leg's on-time mark for the scorecard: "是", "否",
// or "—" while the leg is not done.
func ScorecardOnTime(r *Request, l Leg) string {
	d := r.SLA.Leg(l)
	switch {
	case d == nil || d.DoneAt == nil || d.OnTime == nil:
		return "—"
	case *d.OnTime:
		return "是"
	}
	return "否"
}

// ScorecardLegDone is when a leg of the current SLA was done, nil when not.
func ScorecardLegDone(r *Request, l Leg) *time.Time {
	if d := r.SLA.Leg(l); d != nil {
		return d.DoneAt
	}
	return nil
}
