package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/huiqi/huiqi/portal"
)

// boardPageRoutes registers the committee board, its bulk review and
// exports, and a meeting's printable and XLSX minutes with its action list.
func (s *Server) boardPageRoutes() {
	e := s.engine
	e.GET("/board", s.boardPage)
	e.GET("/board/export", s.boardExport)
	e.POST("/board/review", s.boardReviewSubmit)
	e.GET("/meetings/:id/print", s.meetingPrintPage)
	e.GET("/meetings/:id/export.xlsx", s.meetingExport)
}

// boardPage shows GET /board: every open action item of the actor's scope
// (the committee its chain, a unit its own, admins and dispatchers all)
// with owner, due date, progress and the overdue flag, filters, the bulk
// review form for the committee and admins, and the exports.
func (s *Server) boardPage(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	a := s.actor(c)
	d := s.actionList(c, svc)
	if c.IsAborted() {
		return
	}
	d.CanReview = a.IsAdmin() || a.Has(portal.RoleCommittee)
	for _, act := range []string{portal.ReviewMarkReviewed, portal.ReviewComment, portal.ReviewAskUpdate} {
		d.ReviewActions = append(d.ReviewActions, adminOption{Value: act, Label: portal.ReviewActionNames[act]})
	}
	s.render(c, http.StatusOK, "board", "议定事项督查看板", d)
}

// actionColumns are the columns of every action list export.
var actionColumns = []exportColumn{{"序号", 6}, {"会议", 30}, {"议定事项", 36}, {"牵头单位", 20}, {"协办单位", 24},
	{"办结时限", 12}, {"优先级", 8}, {"状态", 12}, {"进度(%)", 9}, {"是否超期", 9}, {"最新进展", 40}, {"督查意见", 30}}

// actionExportRows writes items as rows of actionColumns.
func (s *Server) actionExportRows(items []*portal.ActionItem, svc *portal.ActionItemService) func(emit func([]any) error) error {
	return func(emit func([]any) error) error {
		for i, it := range items {
			r := s.actionRow(it, svc)
			title := it.Title
			if it.ParentID != "" {
				title = fmt.Sprintf("（子事项，权重 %d）%s", it.Weight, title)
			}
			if err := emit([]any{i + 1, it.MeetingName, title, it.LeadName, strings.Join(it.CoNames, "、"), r.DueText,
				r.PriorityText, r.StatusText, it.Progress, r.Overdue, r.LastNote, it.ReviewNote}); err != nil {
				return err
			}
		}
		return nil
	}
}

// boardExport answers GET /board/export?format=xlsx|csv with the board's
// filters: every matching item, not one page.
func (s *Server) boardExport(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	if _, err := exportFormat(c); err != nil {
		s.fail(c, err)
		return
	}
	q, err := actionQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, err := svc.Export(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendExport(c, exportTable{Name: "议定事项清单", Columns: actionColumns, Rows: s.actionExportRows(items, svc), Loc: svc.Location()})
}

// boardReviewSubmit handles POST /board/review: the checked items (field
// "ids"), the action and a note; back to the board as it was filtered.
func (s *Server) boardReviewSubmit(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	back := "/board"
	if q := c.PostForm("back"); strings.HasPrefix(q, "?") && !strings.ContainsAny(q, "\r\n") {
		back += q
	}
	res, err := svc.Review(c.Request.Context(), portal.ReviewInput{IDs: c.PostFormArray("ids"), Action: c.PostForm("action"),
		Note: c.PostForm("note")})
	done := ""
	if err == nil {
		done = fmt.Sprintf("已对 %d 项议定事项%s", res.Updated, portal.ReviewActionNames[c.PostForm("action")])
		if res.Notified > 0 {
			done += fmt.Sprintf("，已通知 %d 人", res.Notified)
		}
	}
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		setFlash(c, "error", "所选事项中有不存在或您无权查看的事项，未作任何修改")
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	s.flashResult(c, back, done, err)
}

// meetingPrintData is a meeting's minutes and action list for printing.
type meetingPrintData struct {
	Meeting     *portal.Meeting
	TypeName    string
	At          string
	Departments string
	Enterprises string
	Rows        []actionRow
	Items       []*portal.ActionItem
	Printed     string
	XLSX        string
}

// meetingSheet loads a meeting with its action items for the print page
// and the XLSX, and the names of who attended.
func (s *Server) meetingSheet(c *gin.Context, svc *portal.ActionItemService) (*meetingPrintData, bool) {
	ctx := c.Request.Context()
	ma, err := svc.ForMeeting(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	m, loc := ma.Meeting, svc.Location()
	d := &meetingPrintData{Meeting: m, TypeName: portal.MeetingTypeNames[m.Type], At: m.At.In(loc).Format("2006年1月2日 15:04"),
		Rows: s.actionRows(ma.Items, svc), Items: ma.Items, Printed: time.Now().In(loc).Format("2006-01-02 15:04"),
		XLSX: "/meetings/" + url.PathEscape(m.ID) + "/export.xlsx"}
	if len(m.DepartmentIDs) > 0 {
		units, err := s.opt.Org.FindOrgUnits(ctx, portal.OrgUnitFilter{IDs: m.DepartmentIDs})
		if err != nil {
			s.fail(c, err)
			return nil, false
		}
		var names []string
		for _, u := range units {
			names = append(names, u.Name)
		}
		d.Departments = strings.Join(names, "、")
	}
	seen := map[string]bool{}
	var ents []string
	for _, t := range m.Topics {
		if t.EnterpriseName != "" && !seen[t.EnterpriseName] {
			seen[t.EnterpriseName] = true
			ents = append(ents, t.EnterpriseName)
		}
	}
	if len(ents) > 0 {
		d.Enterprises = strings.Join(ents, "、")
	} else if n := len(m.EnterpriseIDs); n > 0 {
		d.Enterprises = fmt.Sprintf("%d 家企业", n)
	}
	return d, true
}

// meetingPrintPage shows GET /meetings/{id}/print: the minutes and the
// action list laid out for paper (print CSS hides the site's frame).
func (s *Server) meetingPrintPage(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	d, ok := s.meetingSheet(c, svc)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "meeting_print", d.Meeting.Title+" 纪要及议定事项", d)
}

// meetingExport answers GET /meetings/{id}/export.xlsx: one workbook with
// the action list (the shared exporter's sheet) and the minutes on a
// sheet of their own, shown first.
func (s *Server) meetingExport(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	d, ok := s.meetingSheet(c, svc)
	if !ok {
		return
	}
	f, err := buildXLSX(exportTable{Name: "议定事项", Columns: actionColumns, Rows: s.actionExportRows(d.Items, svc), Loc: svc.Location()})
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	if err := minutesSheet(f, d); err != nil {
		s.fail(c, portal.Internal(err))
		return
	}
	name := fmt.Sprintf("%s-纪要及议定事项.xlsx", d.Meeting.Title)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="meeting.xlsx"; filename*=UTF-8''%s`, url.PathEscape(name)))
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		s.log.Error("meeting export", "meeting", d.Meeting.ID, "err", err)
		c.Abort()
	}
}

// minutesSheet adds the sheet "会议纪要" before the action list: the
// meeting's facts, its agenda and its minutes, wrapped in wide cells.
func minutesSheet(f *excelize.File, d *meetingPrintData) error {
	const sheet = "会议纪要"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	label, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 14); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 90); err != nil {
		return err
	}
	m := d.Meeting
	rows := [][2]string{{"会议名称", m.Title}, {"会议类型", d.TypeName}, {"时间", d.At}, {"地点", m.Place},
		{"参会单位", d.Departments}, {"参会企业", d.Enterprises}, {"议程", m.Agenda}, {"会议纪要", m.Minutes},
		{"议定事项", fmt.Sprintf("%d 项，见“议定事项”工作表", len(d.Rows))}}
	for i, r := range rows {
		a, b := fmt.Sprintf("A%d", i+1), fmt.Sprintf("B%d", i+1)
		if err := f.SetCellStr(sheet, a, r[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, b, r[1]); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, a, a, label); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, b, b, wrap); err != nil {
			return err
		}
	}
	if err := f.MoveSheet(sheet, "议定事项"); err != nil {
		return err
	}
	idx, err := f.GetSheetIndex(sheet)
	if err != nil {
		return err
	}
	f.SetActiveSheet(idx)
	return nil
}
