package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// kpiCell is one rate as a table shows it.
type kpiCell struct {
	Text  string // "98.5%" or "—"
	Empty bool   // no denominator
}

// kpiRowView is one row of a rate table.
type kpiRowView struct {
	Key, Name string
	Rank      int // place in a ranking, from 1
	Counts    portal.KPICounts
	Rates     []kpiCell
}

func kpiRowViewOf(r portal.KPIRow) kpiRowView {
	v := kpiRowView{Key: r.Key, Name: r.Name, Counts: r.Counts}
	for _, d := range portal.KPIRateDefs {
		x := d.Of(r.Rates)
		v.Rates = append(v.Rates, kpiCell{Text: portal.FormatRate(x), Empty: x == nil})
	}
	return v
}

// kpiRangeForm is the month-range filter every rate page shows.
type kpiRangeForm struct {
	From, To string
	Errors   map[string]string
	Error    string
}

// kpisData is what /kpis and /kpis/mine show.
type kpisData struct {
	kpiRangeForm
	Mine       bool
	Path       string
	GroupBy    string
	Dimensions []adminOption
	Scope      portal.KPIScope
	Rows       []kpiRowView
	Total      kpiRowView
	Months     []kpiRowView
	Defs       []portal.KPIRateDef
	Export     string // the export link without the format
}

// kpisPage shows the rates of the actor's scope (/kpis) or of a
// handler's own handling (/kpis/mine) as a table grouped by a dimension.
func (s *Server) kpisPage(c *gin.Context) {
	if s.kpiActor(c) == nil {
		return
	}
	q := kpiQueryOf(c)
	q.Mine = strings.HasPrefix(c.FullPath(), "/kpis/mine")
	title := "绩效统计"
	if q.Mine {
		title = "我的绩效"
	}
	d := kpisData{kpiRangeForm: kpiRangeForm{From: q.From, To: q.To}, Mine: q.Mine, Path: c.Request.URL.Path,
		GroupBy: q.GroupBy, Defs: portal.KPIRateDefs}
	if d.GroupBy == "" {
		d.GroupBy = portal.KPIByDepartment
	}
	for _, dim := range portal.KPIDimensions {
		d.Dimensions = append(d.Dimensions, adminOption{Value: dim, Label: portal.KPIDimensionNames[dim], Selected: dim == d.GroupBy})
	}
	rep, err := s.opt.KPIs.Report(c.Request.Context(), q)
	switch {
	case err == nil:
	case portal.ErrorCode(err) == portal.EINVALID:
		d.Error, d.Errors = portal.ErrorMessage(err), portal.ErrorFields(err)
		s.render(c, http.StatusBadRequest, "kpi_table", title, d)
		return
	default:
		s.fail(c, err)
		return
	}
	d.From, d.To, d.Scope = rep.From, rep.To, rep.Scope
	for _, r := range rep.Rows {
		d.Rows = append(d.Rows, kpiRowViewOf(r))
	}
	for _, r := range rep.Months {
		d.Months = append(d.Months, kpiRowViewOf(r))
	}
	d.Total = kpiRowViewOf(rep.Total)
	v := url.Values{"from": {rep.From}, "to": {rep.To}, "group_by": {rep.GroupBy}}
	d.Export = c.Request.URL.Path + "/export?" + v.Encode()
	s.render(c, http.StatusOK, "kpi_table", title, d)
}

// kpiRateCell is a rate as an exported cell: a percentage number with
// one decimal, or "—" without a denominator.
func kpiRateCell(r *float64) any {
	if r == nil {
		return "—"
	}
	return math.Round(*r*1000) / 10
}

// kpisExport hands out the rate table of /kpis or /kpis/mine as XLSX or CSV.
func (s *Server) kpisExport(c *gin.Context) {
	if s.kpiActor(c) == nil {
		return
	}
	if _, err := exportFormat(c); err != nil {
		s.fail(c, err)
		return
	}
	q := kpiQueryOf(c)
	q.Mine = strings.HasPrefix(c.FullPath(), "/kpis/mine")
	rep, err := s.opt.KPIs.Report(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	cols := []exportColumn{{portal.KPIDimensionNames[rep.GroupBy], 24}, {"受理数", 9}, {"签收数", 9}, {"按时签收数", 11},
		{"答复数", 9}, {"按时答复数", 11}, {"办结数", 9}, {"按时办结数", 11}, {"回访数", 9}, {"评价数", 9},
		{"解决数", 9}, {"满意数", 9}, {"重办数", 9}}
	for _, d := range portal.KPIRateDefs {
		cols = append(cols, exportColumn{d.Name + "（%）", 14})
	}
	rows := append(append([]portal.KPIRow{}, rep.Rows...), rep.Total)
	name := "绩效统计"
	if q.Mine {
		name = "我的绩效"
	}
	s.sendExport(c, exportTable{Name: name + "-" + rep.From + "至" + rep.To, Columns: cols, Loc: s.opt.Location,
		Rows: func(emit func([]any) error) error {
			for _, r := range rows {
				n := r.Counts
				cells := []any{r.Name, n.Received, n.Signed, n.SignedOnTime, n.Replied, n.RepliedOnTime, n.Resolved,
					n.ResolvedOnTime, n.Asked, n.Answered, n.Solved, n.Satisfied, n.Reopened}
				for _, d := range portal.KPIRateDefs {
					cells = append(cells, kpiRateCell(d.Of(r.Rates)))
				}
				if err := emit(cells); err != nil {
					return err
				}
			}
			return nil
		}})
}

// dashboardChart is the data the dashboard's charts draw, embedded in the
// page as JSON; rates are percentages, null without a denominator.
type dashboardChart struct {
	Months        []string        `json:"months"`
	Received      []int           `json:"received"`
	Resolved      []int           `json:"resolved"`
	Satisfied     []*float64      `json:"satisfied"`
	Departments   []string        `json:"departments"`
	DeptOnTime    []*float64      `json:"dept_on_time"`
	Tiers         []string        `json:"tiers"`
	TierSeries    []dashboardLine `json:"tier_series"`
	ChannelShares []dashboardPart `json:"channels"`
}

type dashboardLine struct {
	Name string     `json:"name"`
	Data []*float64 `json:"data"`
}

type dashboardPart struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
}

// dashboardData is what /dashboard shows.
type dashboardData struct {
	kpiRangeForm
	Scope       portal.KPIScope
	Total       kpiRowView
	Cards       []dashboardCard
	Chart       dashboardChart
	Departments []kpiRowView // ranked by 按时办结率
	Defs        []portal.KPIRateDef
}

// dashboardCard is one headline figure.
type dashboardCard struct {
	Name, Value, Formula string
	Empty                bool
}

// percent is a rate as a percentage with one decimal, nil kept nil.
func percent(r *float64) *float64 {
	if r == nil {
		return nil
	}
	p := math.Round(*r*1000) / 10
	return &p
}

// dashboardPage is the leaders' dashboard (领导驾驶舱): the monthly trend of
// requests received and resolved with satisfaction, the departments ranked
// by 按时办结率, the tiers side by side and the mix of channels.
func (s *Server) dashboardPage(c *gin.Context) {
	if s.kpiActor(c) == nil {
		return
	}
	q := kpiQueryOf(c)
	q.Mine = false
	d := dashboardData{kpiRangeForm: kpiRangeForm{From: q.From, To: q.To}, Defs: portal.KPIRateDefs}
	dash, err := s.opt.KPIs.Dashboard(c.Request.Context(), q)
	switch {
	case err == nil:
	case portal.ErrorCode(err) == portal.EINVALID:
		d.Error, d.Errors = portal.ErrorMessage(err), portal.ErrorFields(err)
		s.render(c, http.StatusBadRequest, "kpi_dashboard", "领导驾驶舱", d)
		return
	default:
		s.fail(c, err)
		return
	}
	d.From, d.To, d.Scope, d.Total = dash.From, dash.To, dash.Scope, kpiRowViewOf(dash.Total)
	for i, def := range portal.KPIRateDefs {
		d.Cards = append(d.Cards, dashboardCard{Name: def.Name, Value: d.Total.Rates[i].Text, Formula: def.Formula, Empty: d.Total.Rates[i].Empty})
	}
	d.Chart = dashboardChartOf(dash)
	for i, r := range dashboardRanking(dash.Departments) {
		v := kpiRowViewOf(r)
		v.Rank = i + 1
		d.Departments = append(d.Departments, v)
	}
	s.render(c, http.StatusOK, "kpi_dashboard", "领导驾驶舱", d)
}

// dashboardRanking orders the dispatched departments by 按时办结率, best
// first; departments with nothing resolved have no rate and come last.
func dashboardRanking(rows []portal.KPIRow) []portal.KPIRow {
	out := []portal.KPIRow{}
	for _, r := range rows {
		if r.Key != portal.KPINone {
			out = append(out, r)
		}
	}
	rate := func(r portal.KPIRow) float64 {
		if r.Rates.ResolvedOnTime == nil {
			return -1
		}
		return *r.Rates.ResolvedOnTime
	}
	// A stable insertion sort keeps equal rates in the report's order
	// (most requests first); the list is one row per department.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && rate(out[j]) > rate(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func dashboardChartOf(dash *portal.KPIDashboard) dashboardChart {
	ch := dashboardChart{Months: []string{}, Received: []int{}, Resolved: []int{}, Satisfied: []*float64{},
		Departments: []string{}, DeptOnTime: []*float64{}, Tiers: []string{}, ChannelShares: []dashboardPart{}}
	for _, m := range dash.Months {
		ch.Months = append(ch.Months, m.Name)
		ch.Received = append(ch.Received, m.Counts.Received)
		ch.Resolved = append(ch.Resolved, m.Counts.Resolved)
		ch.Satisfied = append(ch.Satisfied, percent(m.Rates.Satisfied))
	}
	for _, r := range dashboardRanking(dash.Departments) {
		ch.Departments = append(ch.Departments, r.Name)
		ch.DeptOnTime = append(ch.DeptOnTime, percent(r.Rates.ResolvedOnTime))
	}
	for _, key := range []string{"signed_on_time", "resolved_on_time", "satisfied"} {
		line := dashboardLine{Data: []*float64{}}
		for _, def := range portal.KPIRateDefs {
			if def.Key == key {
				line.Name = def.Name
				for _, t := range dash.Tiers {
					line.Data = append(line.Data, percent(def.Of(t.Rates)))
				}
			}
		}
		ch.TierSeries = append(ch.TierSeries, line)
	}
	for _, t := range dash.Tiers {
		ch.Tiers = append(ch.Tiers, t.Name)
	}
	for _, r := range dash.Channels {
		ch.ChannelShares = append(ch.ChannelShares, dashboardPart{Name: r.Name, Value: r.Counts.Received})
	}
	return ch
}

// scorecardRow is one request of a scorecard as the page and the export
// show it.
type scorecardRow struct {
	ID, No, Enterprise, Category, Channel, Status   string
	Received, Dispatched, Signed, Replied, Resolved string
	SignedOnTime, RepliedOnTime, ResolvedOnTime     string
	Solved, Satisfaction, Verified                  string
	Reopened                                        int
}

// scorecardData is what /kpis/scorecard shows.
type scorecardData struct {
	kpiRangeForm
	Q           string
	Department  *portal.OrgUnit
	Departments []adminOption
	Choose      bool
	Rows        []scorecardRow
	Pager       adminPager
	Total       int
	Export      string
}

// scorecardRowOf lays out one request for the scorecard.
func (s *Server) scorecardRowOf(ctx context.Context, r *portal.Request, cats map[string]string) scorecardRow {
	row := scorecardRow{ID: r.ID, No: r.No, Enterprise: r.EnterpriseName, Channel: portal.ChannelNames[r.Channel],
		Status: portal.StatusNames[r.Status], Received: cellText(r.CreatedAt, s.opt.Location), Reopened: r.Reopened,
		SignedOnTime: portal.ScorecardOnTime(r, portal.LegSign), RepliedOnTime: portal.ScorecardOnTime(r, portal.LegReply),
		ResolvedOnTime: portal.ScorecardOnTime(r, portal.LegResolve)}
	row.Category = cats[r.Category]
	if row.Category == "" {
		row.Category = r.Category
		if c, err := s.catalog().CategoryByCode(ctx, r.Category); err == nil {
			row.Category = c.Name
			cats[r.Category] = c.Name
		}
	}
	if r.SLA != nil {
		row.Dispatched = cellText(r.SLA.Start, s.opt.Location)
	}
	row.Signed = cellText(portal.ScorecardLegDone(r, portal.LegSign), s.opt.Location)
	row.Replied = cellText(portal.ScorecardLegDone(r, portal.LegReply), s.opt.Location)
	row.Resolved = cellText(r.ResolvedAt, s.opt.Location)
	solved, sat, ok := r.Outcome()
	switch {
	case ok:
		row.Solved, row.Satisfaction = portal.SolvedNames[solved], portal.SatisfactionNames[sat]
	case r.Unrated:
		row.Solved, row.Satisfaction = "未评价", "未评价"
	case r.ResolvedAt != nil:
		row.Solved, row.Satisfaction = "待评价", "待评价"
	default:
		row.Solved, row.Satisfaction = "—", "—"
	}
	switch {
	case r.Verified != nil && r.Verified.Discrepancy:
		row.Verified = "抽查核实（与评价不符）"
	case r.Verified != nil:
		row.Verified = "抽查核实"
	}
	return row
}

func scorecardQueryOf(c *gin.Context) portal.ScorecardQuery {
	return portal.ScorecardQuery{Department: c.Query("department"), From: c.Query("from"), To: c.Query("to"), Q: c.Query("q")}
}

// scorecardPage is a department's scorecard (一诉一考): every request it
// holds that was received in the months asked, with its times, on-time
// marks and outcome.
func (s *Server) scorecardPage(c *gin.Context) {
	if s.kpiActor(c) == nil {
		return
	}
	q := scorecardQueryOf(c)
	d := scorecardData{kpiRangeForm: kpiRangeForm{From: q.From, To: q.To}, Q: q.Q}
	pg, err := readAdminPaging(c)
	var p *portal.ScorecardPage
	if err == nil {
		q.Page, q.PerPage = pg.Page, pg.PerPage
		p, err = s.opt.KPIs.Scorecard(c.Request.Context(), q)
	}
	switch {
	case err == nil:
	case portal.ErrorCode(err) == portal.EINVALID:
		d.Error, d.Errors = portal.ErrorMessage(err), portal.ErrorFields(err)
		s.render(c, http.StatusBadRequest, "kpi_scorecard", "一诉一考", d)
		return
	default:
		s.fail(c, err)
		return
	}
	d.From, d.To, d.Department, d.Total = p.From, p.To, p.Department, p.Total
	d.Choose = len(p.Departments) > 1
	if d.Choose {
		d.Departments = append(d.Departments, adminOption{Value: "", Label: "请选择承办单位", Selected: p.Department == nil})
		for _, u := range p.Departments {
			d.Departments = append(d.Departments, adminOption{Value: u.ID, Label: u.Name, Selected: p.Department != nil && u.ID == p.Department.ID})
		}
	}
	cats, _, err := s.categoryNames(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, r := range p.Items {
		d.Rows = append(d.Rows, s.scorecardRowOf(c.Request.Context(), r, cats))
	}
	d.Pager = newAdminPager(c, adminPaging{Page: p.Page, PerPage: p.PerPage}, p.Total)
	if p.Department != nil {
		v := url.Values{"department": {p.Department.ID}, "from": {p.From}, "to": {p.To}}
		if q.Q != "" {
			v.Set("q", q.Q)
		}
		d.Export = "/kpis/scorecard/export?" + v.Encode()
	}
	s.render(c, http.StatusOK, "kpi_scorecard", "一诉一考", d)
}

// scorecardColumns are the columns of an exported scorecard.
var scorecardColumns = []exportColumn{{"诉求编号", 18}, {"企业", 30}, {"诉求分类", 12}, {"受理渠道", 12}, {"当前状态", 10},
	{"受理时间", 18}, {"分拨时间", 18}, {"签收时间", 18}, {"按时签收", 10}, {"答复时间", 18}, {"按时答复", 10},
	{"办结时间", 18}, {"按时办结", 10}, {"解决情况", 10}, {"满意度", 10}, {"抽查核实", 20}, {"重办次数", 10}}

// scorecardExport hands out the whole scorecard as XLSX or CSV, read from
// the store a page at a time.
func (s *Server) scorecardExport(c *gin.Context) {
	if s.kpiActor(c) == nil {
		return
	}
	if _, err := exportFormat(c); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	q := scorecardQueryOf(c)
	var dept *portal.OrgUnit
	var from, to string
	// The query is checked (and the department resolved) before anything
	// is sent, so that a refusal is a proper error page.
	err := s.opt.KPIs.EachScorecardRequest(ctx, q, func(p *portal.ScorecardPage) error {
		dept, from, to = p.Department, p.From, p.To
		return errScorecardChecked
	}, nil)
	if err != errScorecardChecked {
		s.fail(c, err)
		return
	}
	cats, _, err := s.categoryNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendExport(c, exportTable{Name: "一诉一考-" + dept.Name + "-" + from + "至" + to, Columns: scorecardColumns, Loc: s.opt.Location,
		Rows: func(emit func([]any) error) error {
			return s.opt.KPIs.EachScorecardRequest(ctx, q, nil, func(r *portal.Request) error {
				x := s.scorecardRowOf(ctx, r, cats)
				return emit([]any{x.No, x.Enterprise, x.Category, x.Channel, x.Status, x.Received, x.Dispatched, x.Signed,
					x.SignedOnTime, x.Replied, x.RepliedOnTime, x.Resolved, x.ResolvedOnTime, x.Solved, x.Satisfaction,
					x.Verified, x.Reopened})
			})
		}})
}

// errScorecardChecked stops EachScorecardRequest once it has resolved
// the department, before it reads any row.
var errScorecardChecked = portal.Errorf(portal.EINTERNAL, "scorecard checked")
