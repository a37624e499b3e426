package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/workcal"
)

// calendarPageRoutes registers the admin calendar page: one year's days
// off and make-up days, the import (preview, then save) and a deadline
// preview.
func (s *Server) calendarPageRoutes() {
	s.engine.GET("/admin/calendar", s.adminCalendarPage)
	s.engine.POST("/admin/calendar/import", s.adminCalendarImport)
}

// calendarSourceText says in words where a year's data comes from.
func calendarSourceText(y *portal.CalendarYear) string {
	switch y.Source {
	case string(workcal.SourceBuiltin):
		return "系统内置（国务院办公厅公布的放假安排）"
	case string(workcal.SourceEdited):
		return fmt.Sprintf("管理员导入或修改 · 第 %d 版", y.Version)
	default:
		return "尚未导入：按周末休息、周一至周五上班计算"
	}
}

// calendarImportForm is the import textarea with what came of it.
type calendarImportForm struct {
	adminForm
	Text    string
	Version int
	Preview *portal.CalendarImport
	// Added and Removed are the preview's changes, as the tables show them.
	Added, Removed []calendarDayRow
}

// calendarDeadlineForm is the deadline preview form with its result.
type calendarDeadlineForm struct {
	adminForm
	Start, Amount, Unit string
	Units               []adminOption
	Result              *portal.DeadlinePreview
	UnitName            string // of the result: 个工作日, 小时 or 个工作小时
	LastDay             string // the last working day of a working-day result, with its weekday
}

// calendarDayRow is a listed day as the tables show it: short enough
// for a phone, with the full date kept in a <time> element.
type calendarDayRow struct {
	portal.CalendarDay
	Short string // 2月14日
	Week  string // 周六
}

// calendarRows shortens days for the tables.
func calendarRows(days []portal.CalendarDay) []calendarDayRow {
	out := make([]calendarDayRow, 0, len(days))
	for _, d := range days {
		r := calendarDayRow{CalendarDay: d, Week: strings.Replace(d.Weekday, "星期", "周", 1)}
		if v, err := workcal.ParseDate(d.Date); err == nil {
			r.Short = fmt.Sprintf("%d月%d日", int(v.Month), v.Day)
		}
		out = append(out, r)
	}
	return out
}

type adminCalendarData struct {
	Ed                 *portal.CalendarEditor
	SourceText         string
	PrevYear, NextYear int
	Years              []adminOption
	Kind, Q            string
	Kinds              []adminOption
	Days               []calendarDayRow
	Pager              adminPager
	OffCount, OnCount  int
	Import             calendarImportForm
	Deadline           calendarDeadlineForm
}

// calendarKinds are the list filters by kind of day.
var calendarKinds = []adminOption{{Value: "", Label: "全部"}, {Value: "off", Label: "休息日"}, {Value: "on", Label: "调休上班日"}}

// calendarPageYear reads ?year=, defaulting to the current year in the district.
func (s *Server) calendarPageYear(c *gin.Context, v string) (int, error) {
	if strings.TrimSpace(v) == "" {
		return time.Now().In(s.opt.Location).Year(), nil
	}
	y, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		msg := "年份必须是四位数字，如 2026"
		return 0, portal.Invalid(msg, map[string]string{"year": msg})
	}
	return y, nil
}

func (s *Server) adminCalendarPage(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	y, err := s.calendarPageYear(c, c.Query("year"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderCalendarPage(c, http.StatusOK, y, nil)
}

// renderCalendarPage shows year y; imp is the import form that came back,
// nil for one prefilled with the year in force.
func (s *Server) renderCalendarPage(c *gin.Context, status, y int, imp *calendarImportForm) {
	ctx := c.Request.Context()
	ed, err := s.opt.Calendar.Editor(ctx, y)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg, err := readAdminPaging(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := adminCalendarData{Ed: ed, SourceText: calendarSourceText(ed.CalendarYear), PrevYear: y - 1, NextYear: y + 1,
		Kind: c.Query("kind"), Q: strings.TrimSpace(c.Query("q"))}
	if imp != nil {
		d.Import = *imp
		if p := imp.Preview; p != nil {
			d.Import.Added, d.Import.Removed = calendarRows(p.Added), calendarRows(p.Removed)
		}
	} else {
		d.Import = calendarImportForm{Text: ed.Text(), Version: ed.Version}
	}

	years := append(slices.Clone(ed.Years), y, time.Now().In(s.opt.Location).Year()+1)
	slices.Sort(years)
	for _, v := range slices.Compact(years) {
		label := strconv.Itoa(v) + " 年"
		if !slices.Contains(ed.Years, v) {
			label += "（未导入）"
		}
		d.Years = append(d.Years, adminOption{Value: strconv.Itoa(v), Label: label, Selected: v == y})
	}
	for _, k := range calendarKinds {
		d.Kinds = append(d.Kinds, adminOption{Value: k.Value, Label: k.Label, Selected: k.Value == d.Kind})
	}
	var match []portal.CalendarDay
	for _, day := range ed.Days() {
		if day.Off {
			d.OffCount++
		} else {
			d.OnCount++
		}
		if (d.Kind == "off" && !day.Off) || (d.Kind == "on" && day.Off) {
			continue
		}
		if d.Q != "" && !strings.Contains(day.Date, d.Q) && !strings.Contains(day.Name, d.Q) {
			continue
		}
		match = append(match, day)
	}
	d.Pager = calendarPager(y, d.Kind, d.Q, pg, len(match))
	d.Days = calendarRows(match[min(pg.offset(), len(match)):min(pg.offset()+pg.PerPage, len(match))])

	d.Deadline = s.calendarDeadlineForm(c)
	s.render(c, status, "admin_calendar", "工作日历", d)
}

// calendarPager links the pages of the day list; its links lead to the
// page itself even when it is shown as the answer to an import.
func calendarPager(y int, kind, q string, pg adminPaging, total int) adminPager {
	p := adminPager{Page: pg.Page, Total: total, Pages: max(1, (total+pg.PerPage-1)/pg.PerPage)}
	link := func(n int) string {
		v := url.Values{"year": {strconv.Itoa(y)}, "page": {strconv.Itoa(n)}}
		if kind != "" {
			v.Set("kind", kind)
		}
		if q != "" {
			v.Set("q", q)
		}
		if pg.PerPage != adminDefaultPerPage {
			v.Set("per_page", strconv.Itoa(pg.PerPage))
		}
		return "/admin/calendar?" + v.Encode()
	}
	if pg.Page > 1 {
		p.Prev = link(min(pg.Page-1, p.Pages))
	}
	if pg.Page < p.Pages {
		p.Next = link(pg.Page + 1)
	}
	return p
}

// calendarDeadlineForm fills the deadline preview from the query, and
// computes it when the form was sent.
func (s *Server) calendarDeadlineForm(c *gin.Context) calendarDeadlineForm {
	f := calendarDeadlineForm{Start: c.Query("start"), Amount: c.Query("amount"), Unit: c.Query("unit")}
	f.Errors = map[string]string{}
	sent := f.Start != "" || f.Amount != "" || f.Unit != ""
	if !sent {
		f.Start = time.Now().In(s.opt.Location).Format("2006-01-02T15:04")
		f.Amount, f.Unit = "3", string(workcal.WorkingDays)
	}
	for _, u := range []workcal.Unit{workcal.WorkingDays, workcal.WorkingHours, workcal.Hours} {
		f.Units = append(f.Units, adminOption{Value: string(u), Label: workcal.UnitNames[u], Selected: string(u) == f.Unit})
	}
	if !sent {
		return f
	}
	p, err := s.opt.Calendar.PreviewDeadline(c.Request.Context(), portal.DeadlineQuery{Start: f.Start, Amount: f.Amount, Unit: f.Unit})
	if err != nil {
		f.Message = portal.ErrorMessage(err)
		if fields := portal.ErrorFields(err); fields != nil {
			f.Errors = fields
		}
		return f
	}
	f.Result, f.UnitName = p, workcal.UnitNames[p.Unit]
	if p.Unit == workcal.WorkingDays {
		last := workcal.DateOf(p.Due, p.Due.Location()).AddDays(-1)
		f.LastDay = last.String() + "（" + last.WeekdayName() + "）"
	}
	return f
}

func (s *Server) adminCalendarImport(c *gin.Context) {
	if s.actor(c) == nil {
		return
	}
	y, err := s.calendarPageYear(c, c.PostForm("year"))
	if err != nil {
		s.fail(c, err)
		return
	}
	form := calendarImportForm{Text: c.PostForm("text")}
	form.Errors = map[string]string{}
	if form.Version, err = strconv.Atoi(c.PostForm("version")); err != nil {
		form.Message, form.Errors["version"] = "版本号缺失或有误，请刷新页面后重试", "版本号有误"
		s.renderCalendarPage(c, http.StatusBadRequest, y, &form)
		return
	}
	save := c.PostForm("action") == "save"
	imp, err := s.opt.Calendar.ImportYear(c.Request.Context(), y, form.Text, form.Version, save)
	switch code := portal.ErrorCode(err); {
	case code == portal.EINVALID:
		form.Message, form.Preview = portal.ErrorMessage(err), imp
		if f := portal.ErrorFields(err); f != nil {
			form.Errors = f
		}
		s.renderCalendarPage(c, http.StatusBadRequest, y, &form)
		return
	case code == portal.ECONFLICT:
		form.Message = portal.ErrorMessage(err)
		s.renderCalendarPage(c, http.StatusConflict, y, &form)
		return
	case err != nil:
		s.fail(c, err)
		return
	case !save:
		form.Preview = imp
		s.renderCalendarPage(c, http.StatusOK, y, &form)
		return
	}
	setFlash(c, "success", fmt.Sprintf("已保存 %d 年工作日历（第 %d 版）：休息日 %d 天，调休上班日 %d 天", y, imp.Saved.Version,
		len(imp.Saved.DaysOff), len(imp.Saved.DaysOn)))
	c.Redirect(http.StatusSeeOther, "/admin/calendar?year="+strconv.Itoa(y))
}
