package portal

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// KPIRequestSource reads the requests the counters and scorecards come from.
type KPIRequestSource interface {
	// EachKPIRequest calls fn with every request, without its texts and
	// timeline, reading them in batches.
	EachKPIRequest(ctx context.Context, fn func(*Request) error) error
	// FindScorecardRequests returns one page of a department's requests
	// received in the range, oldest first, and the total when f.Count is set.
	FindScorecardRequests(ctx context.Context, f ScorecardFilter) ([]*Request, int, error)
}

// ScorecardCursor is the last row of a page, for reading the next one.
type ScorecardCursor struct {
	CreatedAt time.Time
	ID        string
}

// ScorecardFilter selects a department's requests received in [From, To).
type ScorecardFilter struct {
	DepartmentID string
	From, To     time.Time
	After        *ScorecardCursor // rows after this one; with Offset 0
	Q            string           // part of the number or the enterprise's name
	Offset       int
	Limit        int
	Count        bool
}

// KPICounter keeps the counters as requests move: it listens to every
// stored change and adds what the change did to the request's
// contribution. A failed update is logged by the request service and
// repaired by `huiqi kpi rebuild`.
type KPICounter struct {
	Store    KPIStore
	Location *time.Location // the district's zone, for the month of receipt
}

// RequestChanged applies contribution(after) − contribution(before).
func (k *KPICounter) RequestChanged(ctx context.Context, before, after *Request, _ string) error {
	return k.Store.IncKPIs(ctx, KPIDelta(before, after, k.Location))
}

// KPIMaxMonths caps the months one report spans.
const KPIMaxMonths = 36

// KPIService answers the rates of the actor's scope from the counters,
// and lists departments' requests for their scorecards (一诉一考).
type KPIService struct {
	Store      KPIStore
	Requests   KPIRequestSource
	Org        OrgStore
	Chains     ChainStore
	Categories CategoryCatalog
	Location   *time.Location
	Log        *slog.Logger
	Now        func() time.Time
}

// KPIQuery is what a report is asked for: months as "YYYY-MM" (empty:
// the twelve months up to now) and a dimension (empty: department).
// Mine asks for the actor's own handling instead of their scope.
type KPIQuery struct {
	From, To string
	GroupBy  string
	Mine     bool
}

// KPIScope is the set of requests a report covers.
type KPIScope struct {
	Unit string `json:"unit"` // "all", "dept:<id>", "region:<id>", "chain:<id>", "liaison:<id>", "handler:<id>"
	Name string `json:"name"`
}

// KPIRow is the counts and rates of one group.
type KPIRow struct {
	Key    string    `json:"key"`
	Name   string    `json:"name"`
	Counts KPICounts `json:"counts"`
	Rates  KPIRates  `json:"rates"`
}

// KPIReport is the rates of a scope over a range of months, by one dimension.
type KPIReport struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	GroupBy string   `json:"group_by"`
	Scope   KPIScope `json:"scope"`
	Rows    []KPIRow `json:"rows"`
	Total   KPIRow   `json:"total"`
	// Months are the totals of each month of the range, oldest first.
	Months []KPIRow `json:"months"`
}

// KPIDashboard is what the leaders' dashboard shows.
type KPIDashboard struct {
	From        string   `json:"from"`
	To          string   `json:"to"`
	Scope       KPIScope `json:"scope"`
	Total       KPIRow   `json:"total"`
	Months      []KPIRow `json:"months"`
	Departments []KPIRow `json:"departments"`
	Tiers       []KPIRow `json:"tiers"`
	Channels    []KPIRow `json:"channels"`
}

func (s *KPIService) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

func (s *KPIService) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// kpiScope returns the scope the actor's reports cover: the whole
// district for admins and district dispatchers, the area of other
// dispatchers, the department of handlers and heads, the chain of
// committee members, a liaison's caseload; mine is a handler's own.
func (s *KPIService) kpiScope(ctx context.Context, mine bool) (KPIScope, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return KPIScope{}, err
	}
	denied := Errorf(EFORBIDDEN, "您无权查看办理绩效")
	if a.Pending {
		return KPIScope{}, denied
	}
	if mine {
		if !a.HasAny(RoleHandler, RoleDeptHead) {
			return KPIScope{}, Errorf(EFORBIDDEN, "只有部门承办人和负责人有个人办理绩效")
		}
		return KPIScope{Unit: "handler:" + a.UserID, Name: "本人（" + a.Name() + "）"}, nil
	}
	switch {
	case a.IsAdmin():
		return KPIScope{Unit: "all", Name: "全区"}, nil
	case a.Has(RoleDispatcher) && a.UnitID != "":
		u, err := s.unit(ctx, a.UnitID)
		if err != nil {
			return KPIScope{}, err
		}
		if u == nil || u.Kind == KindDistrict {
			return KPIScope{Unit: "all", Name: "全区"}, nil
		}
		return KPIScope{Unit: "region:" + u.ID, Name: u.Name}, nil
	case a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "":
		name := a.UnitID
		if u, err := s.unit(ctx, a.UnitID); err != nil {
			return KPIScope{}, err
		} else if u != nil {
			name = u.Name
		}
		return KPIScope{Unit: "dept:" + a.UnitID, Name: name}, nil
	case a.Has(RoleCommittee) && a.ChainID != "":
		name := a.ChainID
		if c, err := s.Chains.FindChainByID(ctx, a.ChainID); err == nil {
			name = c.Name
		} else if !IsCode(err, ENOTFOUND) {
			return KPIScope{}, err
		}
		return KPIScope{Unit: "chain:" + a.ChainID, Name: name}, nil
	case a.Has(RoleLiaison):
		return KPIScope{Unit: "liaison:" + a.UserID, Name: "包干企业（" + a.Name() + "）"}, nil
	}
	return KPIScope{}, denied
}

// unit returns the org unit with id, nil when there is none.
func (s *KPIService) unit(ctx context.Context, id string) (*OrgUnit, error) {
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{id}})
	if err != nil || len(units) == 0 {
		return nil, err
	}
	return units[0], nil
}

// kpiMonthRange checks the months of a query into f and returns the
// first day of from and of the month after to, in the district's zone.
func (s *KPIService) kpiMonthRange(f map[string]string, from, to string) (time.Time, time.Time) {
	loc := s.loc()
	parse := func(field, v string) (time.Time, bool) {
		t, err := time.ParseInLocation("2006-01", strings.TrimSpace(v), loc)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			f[field] = "月份格式应为 YYYY-MM，例如 2026-03"
			return time.Time{}, false
		}
		return t, true
	}
	now := s.Now().In(loc)
	end := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	if to != "" {
		end, _ = parse("to", to)
	}
	start := end.AddDate(0, -11, 0)
	if from != "" {
		start, _ = parse("from", from)
	}
	if len(f) > 0 {
		return start, end
	}
	switch n := kpiMonthsBetween(start, end); {
	case n < 1:
		f["from"] = "起始月份不能晚于结束月份"
	case n > KPIMaxMonths:
		f["to"] = fmt.Sprintf("查询范围不能超过 %d 个月", KPIMaxMonths)
	}
	return start, end.AddDate(0, 1, 0)
}

// kpiMonthsBetween counts the months from the month of a to that of b, both included.
func kpiMonthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1
}

// kpiMonths lists the months of [start, end) as "YYYY-MM".
func kpiMonths(start, end time.Time) []string {
	var out []string
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// load checks a query and reads the counter documents of its scope and months.
func (s *KPIService) load(ctx context.Context, q KPIQuery) (KPIScope, []string, map[string]*KPIDoc, error) {
	scope, err := s.kpiScope(ctx, q.Mine)
	if err != nil {
		return scope, nil, nil, err
	}
	f := map[string]string{}
	start, end := s.kpiMonthRange(f, q.From, q.To)
	if q.GroupBy != "" && KPIDimensionNames[q.GroupBy] == "" {
		f["group_by"] = "分组方式只能是 department、tier、category、channel 或 chain"
	}
	if len(f) > 0 {
		return scope, nil, nil, Invalid("查询参数有误", f)
	}
	months := kpiMonths(start, end)
	ids := make([]string, len(months))
	for i, m := range months {
		ids[i] = KPIDocID(m, scope.Unit)
	}
	docs, err := s.Store.FindKPIDocs(ctx, ids)
	if err != nil {
		return scope, nil, nil, err
	}
	byMonth := map[string]*KPIDoc{}
	for _, d := range docs {
		byMonth[d.Month] = d
	}
	return scope, months, byMonth, nil
}

// Report returns the rates of the actor's scope over the months asked,
// grouped by one dimension, with the total and each month's total.
func (s *KPIService) Report(ctx context.Context, q KPIQuery) (*KPIReport, error) {
	scope, months, docs, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.GroupBy == "" {
		q.GroupBy = KPIByDepartment
	}
	rows, err := s.group(ctx, docs, q.GroupBy)
	if err != nil {
		return nil, err
	}
	return &KPIReport{From: months[0], To: months[len(months)-1], GroupBy: q.GroupBy, Scope: scope,
		Rows: rows, Total: kpiTotal(docs), Months: kpiByMonth(months, docs)}, nil
}

// Dashboard returns what the leaders' dashboard shows for the actor's
// scope: the monthly trend, departments, tiers and channels.
func (s *KPIService) Dashboard(ctx context.Context, q KPIQuery) (*KPIDashboard, error) {
	q.GroupBy = ""
	scope, months, docs, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	d := &KPIDashboard{From: months[0], To: months[len(months)-1], Scope: scope, Total: kpiTotal(docs), Months: kpiByMonth(months, docs)}
	if d.Departments, err = s.group(ctx, docs, KPIByDepartment); err != nil {
		return nil, err
	}
	if d.Tiers, err = s.group(ctx, docs, KPIByTier); err != nil {
		return nil, err
	}
	if d.Channels, err = s.group(ctx, docs, KPIByChannel); err != nil {
		return nil, err
	}
	return d, nil
}

func kpiRow(key, name string, c KPICounts) KPIRow {
	return KPIRow{Key: key, Name: name, Counts: c, Rates: c.Rates()}
}

func kpiTotal(docs map[string]*KPIDoc) KPIRow {
	var c KPICounts
	for _, d := range docs {
		c.Add(d.Total)
	}
	return kpiRow("total", "合计", c)
}

func kpiByMonth(months []string, docs map[string]*KPIDoc) []KPIRow {
	out := make([]KPIRow, len(months))
	for i, m := range months {
		var c KPICounts
		if d := docs[m]; d != nil {
			c = d.Total
		}
		out[i] = kpiRow(m, m, c)
	}
	return out
}

// group sums the documents by the values of dim and names each value.
func (s *KPIService) group(ctx context.Context, docs map[string]*KPIDoc, dim string) ([]KPIRow, error) {
	sums := map[string]*KPICounts{}
	for _, d := range docs {
		for k, c := range d.By[dim] {
			v := KPIUnkey(k)
			if sums[v] == nil {
				sums[v] = &KPICounts{}
			}
			sums[v].Add(c)
		}
	}
	names, order, err := s.names(ctx, dim, sums)
	if err != nil {
		return nil, err
	}
	rows := []KPIRow{}
	for v, c := range sums {
		if c.Zero() {
			continue
		}
		name := names[v]
		if name == "" {
			name = v
		}
		rows = append(rows, kpiRow(v, name, *c))
	}
	slices.SortFunc(rows, func(a, b KPIRow) int {
		if order != nil {
			return cmp.Compare(kpiOrder(order, a.Key), kpiOrder(order, b.Key))
		}
		if a.Key == KPINone || b.Key == KPINone { // the unassigned last
			return cmp.Compare(kpiLast(a.Key), kpiLast(b.Key))
		}
		if c := cmp.Compare(b.Counts.Received, a.Counts.Received); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return rows, nil
}

// kpiLast sorts the unassigned value after the others.
func kpiLast(key string) int {
	if key == KPINone {
		return 1
	}
	return 0
}

func kpiOrder(order []string, key string) int {
	if i := slices.Index(order, key); i >= 0 {
		return i
	}
	return len(order)
}

// names returns the Chinese name of each value of dim, and for dimensions
// with a natural order (tiers, channels) that order.
func (s *KPIService) names(ctx context.Context, dim string, values map[string]*KPICounts) (map[string]string, []string, error) {
	names := map[string]string{}
	switch dim {
	case KPIByDepartment:
		names[KPINone] = "未分拨"
		units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
		if err != nil {
			return nil, nil, err
		}
		for _, u := range units {
			names[u.ID] = u.Name
		}
	case KPIByTier:
		names = map[string]string{string(TierA): "A 级（区级部门）", string(TierB): "B 级（街道）", string(TierC): "C 级（社区、园区）", KPINone: "未分拨"}
		return names, []string{string(TierA), string(TierB), string(TierC), KPINone}, nil
	case KPIByChannel:
		var order []string
		for _, c := range Channels {
			names[string(c)] = ChannelNames[c]
			order = append(order, string(c))
		}
		return names, order, nil
	case KPIByChain:
		names[KPINone] = "不属于产业链"
		chains, err := s.Chains.FindChains(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range chains {
			names[c.ID] = c.Name
		}
	case KPIByCategory:
		names[KPINone] = "未分类"
		for v := range values {
			if v == KPINone {
				continue
			}
			c, err := s.Categories.CategoryByCode(ctx, v)
			switch {
			case err == nil:
				names[v] = c.Name
			case !IsCode(err, ENOTFOUND):
				return nil, nil, err
			}
		}
	}
	return names, nil, nil
}

// kpiRebuildPage is how many requests the rebuild reports progress by.
const kpiRebuildPage = 1000

// Rebuild recomputes every counter document from the requests and puts
// the result in place of the stored counters; progress, when not nil, hears
// how many more requests were read. It returns the requests read and the
// documents written. Run it while nothing else changes requests.
func (s *KPIService) Rebuild(ctx context.Context, progress func(n int)) (requests, docs int, err error) {
	all := map[string]*KPIDoc{}
	pending := 0
	err = s.Requests.EachKPIRequest(ctx, func(r *Request) error {
		addKPIDocs(all, r, s.loc())
		requests++
		if pending++; pending == kpiRebuildPage && progress != nil {
			progress(pending)
			pending = 0
		}
		return nil
	})
	if err != nil {
		return requests, 0, err
	}
	if progress != nil && pending > 0 {
		progress(pending)
	}
	out := make([]*KPIDoc, 0, len(all))
	for _, d := range all {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *KPIDoc) int { return cmp.Compare(a.ID, b.ID) })
	if err := s.Store.ReplaceKPIDocs(ctx, out); err != nil {
		return requests, 0, err
	}
	s.log().Info("kpi counters rebuilt", "requests", requests, "documents", len(out))
	return requests, len(out), nil
}

// addKPIDocs adds r's contribution to the documents in all, the same
// contribution KPIDelta applies incrementally.
func addKPIDocs(all map[string]*KPIDoc, r *Request, loc *time.Location) {
	c := KPICountsOf(r)
	if c.Zero() {
		return
	}
	month := KPIMonth(r, loc)
	values := kpiValues(r)
	for _, unit := range kpiUnits(r) {
		id := KPIDocID(month, unit)
		d := all[id]
		if d == nil {
			d = &KPIDoc{ID: id, Month: month, Unit: unit, By: map[string]map[string]KPICounts{}}
			all[id] = d
		}
		d.Total.Add(c)
		for dim, vs := range values {
			m := d.By[dim]
			if m == nil {
				m = map[string]KPICounts{}
				d.By[dim] = m
			}
			seen := map[string]bool{}
			for _, v := range vs {
				k := KPIKey(v)
				if seen[k] {
					continue
				}
				seen[k] = true
				sum := m[k]
				sum.Add(c)
				m[k] = sum
			}
		}
	}
}
