package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/huiqi/huiqi/portal"
)

// actionItemPageRoutes registers the action item pages: a unit's own
// items, one item with its forms, and the form that decides new items at
// a meeting.
func (s *Server) actionItemPageRoutes() {
	e := s.engine
	e.GET("/action-items", s.actionItemsPage)
	e.GET("/action-items/:id", s.actionItemPage)
	e.POST("/action-items/:id/progress", s.actionProgressSubmit)
	e.POST("/action-items/:id/confirm", s.actionDecisionSubmit("confirm"))
	e.POST("/action-items/:id/send-back", s.actionDecisionSubmit("send_back"))
	e.POST("/action-items/:id/cancel", s.actionDecisionSubmit("cancel"))
	e.POST("/action-items/:id/edit", s.actionEditSubmit)
	e.GET("/meetings/:id/action-items/new", s.actionNewPage)
	e.POST("/meetings/:id/action-items", s.actionCreateSubmit)
}

// actionRow is an action item as lists show it.
type actionRow struct {
	*portal.ActionItem
	No           int // the place in its list, from 1
	DueText      string
	Overdue      bool
	StatusText   string
	PriorityText string
	OwnersText   string
	LastNote     string
	Evidence     int
}

func (s *Server) actionRow(it *portal.ActionItem, svc *portal.ActionItemService) actionRow {
	r := actionRow{ActionItem: it, DueText: it.DueDate(svc.Location()), StatusText: it.StatusName(),
		PriorityText: portal.PriorityNames[it.Priority], OwnersText: strings.Join(append([]string{it.LeadName}, it.CoNames...), "、")}
	r.Overdue = it.Overdue(svc.ChaseTime())
	for _, u := range it.Updates {
		r.Evidence += len(u.Evidence)
	}
	if n := len(it.Updates); n > 0 {
		r.LastNote = it.Updates[n-1].Note
	}
	return r
}

func (s *Server) actionRows(items []*portal.ActionItem, svc *portal.ActionItemService) []actionRow {
	out := make([]actionRow, 0, len(items))
	for i, it := range items {
		r := s.actionRow(it, svc)
		r.No = i + 1
		out = append(out, r)
	}
	return out
}

// actionListData is what the board and a unit's list show.
type actionListData struct {
	Rows          []actionRow
	Pager         adminPager
	Q             string
	Meetings      []adminOption
	Owners        []adminOption
	Statuses      []adminOption
	Filtered      bool
	Error         string
	CanReview     bool
	ReviewActions []adminOption
	ExportQuery   string
	Path          string
}

// actionList reads the filters and loads one page for the board or list.
func (s *Server) actionList(c *gin.Context, svc *portal.ActionItemService) actionListData {
	d := actionListData{Q: c.Query("q"), Path: c.Request.URL.Path}
	q, err := actionQuery(c)
	d.Filtered = q.Meeting != "" || q.Owner != "" || q.Q != "" || (q.Status != "" && q.Status != "active") || q.Chain != ""
	for _, st := range portal.ActionItemStatusFilters {
		d.Statuses = append(d.Statuses, adminOption{Value: st, Label: portal.ActionItemStatusFilterNames[st],
			Selected: st == q.Status || (q.Status == "" && st == "active")})
	}
	var page *portal.ActionItemPage
	if err == nil {
		page, err = svc.List(c.Request.Context(), q)
	}
	if err != nil {
		if code := portal.ErrorCode(err); code != portal.EINVALID {
			s.fail(c, err)
			return d
		}
		d.Error = portal.ErrorMessage(err)
		for _, v := range portal.ErrorFields(err) {
			d.Error += "：" + v
			break
		}
		return d
	}
	for _, m := range page.Meetings {
		d.Meetings = append(d.Meetings, adminOption{Value: m.ID, Label: fmt.Sprintf("%s（%d）", m.Name, m.Count), Selected: m.ID == q.Meeting})
	}
	for _, o := range page.Owners {
		d.Owners = append(d.Owners, adminOption{Value: o.ID, Label: fmt.Sprintf("%s（%d）", o.Name, o.Count), Selected: o.ID == q.Owner})
	}
	d.Rows = s.actionRows(page.Items, svc)
	d.Pager = newAdminPager(c, adminPaging{Page: page.Page, PerPage: page.PerPage}, page.Total)
	qs := c.Request.URL.Query()
	qs.Del("page")
	qs.Del("per_page")
	d.ExportQuery = qs.Encode()
	return d
}

// actionItemsPage shows GET /action-items: the items the actor may see,
// open ones first by due date so that the overdue lead — for a department
// the items it leads or co-owns.
func (s *Server) actionItemsPage(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	d := s.actionList(c, svc)
	if c.IsAborted() {
		return
	}
	s.render(c, http.StatusOK, "action_items", "议定事项", d)
}

// actionItemData is what an item's page shows.
type actionItemData struct {
	Row       actionRow
	Subs      []actionRow
	Parent    *portal.ActionItem
	Requests  []*portal.Request
	Updates   []updateRow
	Events    []eventRow
	CanReport bool
	CanDecide bool
	Final     bool
	Units     []adminOption
	CoUnits   []adminOption
	Priority  []adminOption
	DueValue  string
	MaxMB     int64
	Created   string
}

// updateRow is one progress update with links to its evidence.
type updateRow struct {
	portal.ProgressUpdate
	Links []evidenceLink
}

type evidenceLink struct{ Name, URL, Size string }

// eventRow is one entry of the history.
type eventRow struct {
	portal.ActionEvent
	Label string
}

// actionItemPage shows GET /action-items/{id}.
func (s *Server) actionItemPage(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	ctx := c.Request.Context()
	it, err := svc.Get(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := actionItemData{Row: s.actionRow(it, svc), CanReport: svc.CanReport(ctx, it), CanDecide: svc.CanDecide(ctx, it),
		Final: it.Final(), DueValue: it.DueDate(svc.Location()), MaxMB: svc.AttachmentLimit() >> 20,
		Created: it.CreatedAt.In(svc.Location()).Format("2006-01-02")}
	if it.SubCount > 0 {
		subs, err := svc.SubItems(ctx, it.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.Subs = s.actionRows(subs, svc)
	}
	if it.ParentID != "" {
		if p, err := svc.Get(ctx, it.ParentID); err == nil {
			d.Parent = p
		}
	}
	if s.opt.Requests != nil {
		for _, id := range it.RequestIDs {
			if r, err := s.opt.Requests.Get(ctx, id); err == nil {
				d.Requests = append(d.Requests, r)
			}
		}
	}
	for i := len(it.Updates) - 1; i >= 0; i-- {
		u := it.Updates[i]
		row := updateRow{ProgressUpdate: u}
		for _, att := range u.Evidence {
			row.Links = append(row.Links, evidenceLink{Name: att.Name, Size: sizeLabel(att.Size),
				URL: "/api/v1/action-items/" + url.PathEscape(it.ID) + "/evidence/" + url.PathEscape(att.ID)})
		}
		d.Updates = append(d.Updates, row)
	}
	for i := len(it.Events) - 1; i >= 0; i-- {
		ev := it.Events[i]
		d.Events = append(d.Events, eventRow{ActionEvent: ev, Label: portal.ActionEventNames[ev.Action]})
	}
	if d.CanDecide && !d.Final {
		if d.Units, d.CoUnits, err = s.unitOptions(c, it.LeadUnitID, it.CoUnitIDs); err != nil {
			s.fail(c, err)
			return
		}
		d.Priority = priorityOptions(it.Priority)
	}
	s.render(c, http.StatusOK, "action_item", it.Title, d)
}

// unitOptions lists the units that can own items (every unit but the
// district root), marking lead and co as selected.
func (s *Server) unitOptions(c *gin.Context, lead string, co []string) (leads, cos []adminOption, err error) {
	units, err := s.opt.Org.FindOrgUnits(c.Request.Context(), portal.OrgUnitFilter{})
	if err != nil {
		return nil, nil, err
	}
	for _, u := range units {
		if u.Kind == portal.KindDistrict {
			continue
		}
		leads = append(leads, adminOption{Value: u.ID, Label: u.Name, Selected: u.ID == lead})
		cos = append(cos, adminOption{Value: u.ID, Label: u.Name, Selected: slices.Contains(co, u.ID)})
	}
	return leads, cos, nil
}

func priorityOptions(sel portal.Priority) []adminOption {
	var out []adminOption
	for _, p := range []portal.Priority{portal.PriorityHigh, portal.PriorityNormal, portal.PriorityLow} {
		out = append(out, adminOption{Value: string(p), Label: portal.PriorityNames[p], Selected: p == sel})
	}
	return out
}

// itemPath is the page of item id.
func itemPath(id string) string { return "/action-items/" + url.PathEscape(id) }

// flashResult answers a page form: on success a flash and a redirect to
// back, on a refusal the error as a flash on back (404s as a page).
func (s *Server) flashResult(c *gin.Context, back, done string, err error) {
	switch {
	case err == nil:
		setFlash(c, "success", done)
	case portal.ErrorCode(err) == portal.ENOTFOUND, portal.ErrorCode(err) == portal.EINTERNAL, portal.ErrorCode(err) == portal.EUNAVAILABLE:
		s.fail(c, err)
		return
	default:
		msg := portal.ErrorMessage(err)
		for _, v := range portal.ErrorFields(err) {
			if !strings.Contains(msg, v) {
				msg += "：" + v
			}
			break
		}
		setFlash(c, "error", msg)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// formVersion reads the hidden version field; a missing one is 0 (not checked).
func formVersion(c *gin.Context) int {
	v, _ := strconv.Atoi(c.PostForm("version"))
	return v
}

// maxEvidenceForm bounds a progress form: five files and the fields.
const maxEvidenceForm = 5

// actionProgressSubmit handles POST /action-items/{id}/progress: the
// owners' form (percent, note and evidence files, field "evidence"),
// multipart so that a phone can attach photos.
func (s *Server) actionProgressSubmit(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	back := itemPath(c.Param("id"))
	limit := svc.AttachmentLimit()
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxEvidenceForm*limit+uploadSlack)
	form, err := c.MultipartForm()
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		s.flashResult(c, back, "", portal.Invalid(fmt.Sprintf("佐证材料过大：每份不超过 %s", sizeLabel(limit)), nil))
		return
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		s.flashResult(c, back, "", portal.Invalid("表单提交有误，请重试", nil))
		return
	}
	var in portal.ProgressInput
	in.Note, in.Version = c.PostForm("note"), formVersion(c)
	if v := strings.TrimSpace(c.PostForm("percent")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.flashResult(c, back, "", portal.Invalid("完成进度应为 0–100 的整数", nil))
			return
		}
		in.Percent = &n
	}
	var uploads []portal.Upload
	if form != nil {
		for _, fh := range form.File["evidence"] {
			up, err := readUpload(fh, limit)
			if err != nil {
				s.flashResult(c, back, "", err)
				return
			}
			uploads = append(uploads, up)
		}
	}
	it, err := svc.Report(c.Request.Context(), c.Param("id"), in, uploads)
	done := "已报送进展"
	if err == nil && it.AwaitingConfirm {
		done = "已报办结，等待产业链党委确认"
	}
	s.flashResult(c, back, done, err)
}

// readUpload reads one uploaded file, refusing one over limit.
func readUpload(fh *multipart.FileHeader, limit int64) (portal.Upload, error) {
	if fh.Size > limit {
		return portal.Upload{}, portal.Invalid(fmt.Sprintf("佐证材料“%s”超过 %s", fh.Filename, sizeLabel(limit)), nil)
	}
	f, err := fh.Open()
	if err != nil {
		return portal.Upload{}, portal.Internal(err)
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return portal.Upload{}, portal.Internal(err)
	}
	return portal.Upload{Name: fh.Filename, Content: content}, nil
}

// actionDecisionSubmit handles the committee's forms on an item: confirm,
// send back (with a note) and cancel (with a reason).
func (s *Server) actionDecisionSubmit(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		svc := s.actions(c)
		if svc == nil {
			return
		}
		ctx, id := c.Request.Context(), c.Param("id")
		var err error
		var done string
		switch kind {
		case "confirm":
			_, err = svc.Confirm(ctx, id, portal.ConfirmInput{Note: c.PostForm("note"), Version: formVersion(c)})
			done = "已确认办结"
		case "send_back":
			_, err = svc.Confirm(ctx, id, portal.ConfirmInput{SendBack: true, Note: c.PostForm("note"), Version: formVersion(c)})
			done = "已退回承办单位"
		case "cancel":
			_, err = svc.Cancel(ctx, id, portal.CancelInput{Reason: c.PostForm("reason"), Version: formVersion(c)})
			done = "已撤销该事项"
		}
		s.flashResult(c, itemPath(id), done, err)
	}
}

// actionEditSubmit handles POST /action-items/{id}/edit: the committee
// changes the title, owners, due date or priority.
func (s *Server) actionEditSubmit(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	str := func(name string) *string { v := c.PostForm(name); return &v }
	co := c.PostFormArray("co_unit_ids")
	prio := portal.Priority(c.PostForm("priority"))
	p := portal.ActionItemPatch{Title: str("title"), Description: str("description"), LeadUnitID: str("lead_unit_id"),
		CoUnitIDs: &co, Due: str("due"), Priority: &prio, Version: formVersion(c)}
	if w := strings.TrimSpace(c.PostForm("weight")); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil {
			s.flashResult(c, itemPath(c.Param("id")), "", portal.Invalid("子事项权重应为 1–100 的整数", nil))
			return
		}
		p.Weight = &n
	}
	_, err := svc.Update(c.Request.Context(), c.Param("id"), p)
	s.flashResult(c, itemPath(c.Param("id")), "已保存修改", err)
}

// actionNewData is the form deciding a new item at a meeting.
type actionNewData struct {
	MeetingID, MeetingTitle string
	Units, CoUnits          []adminOption
	Priority                []adminOption
	Parents                 []adminOption
	// Requests are those raised at the meeting or linked to its topics,
	// offered for linking to the item.
	Requests []adminOption
	Form     map[string]string
}

// actionNewPage shows GET /meetings/{id}/action-items/new to the chain's
// committee and admins.
func (s *Server) actionNewPage(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	ma, err := svc.ForMeeting(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !svc.CanDecide(c.Request.Context(), &portal.ActionItem{ChainID: ma.Meeting.ChainID}) {
		s.fail(c, portal.Errorf(portal.EFORBIDDEN, "只有本产业链党委成员或系统管理员可以确定议定事项"))
		return
	}
	d := actionNewData{MeetingID: ma.Meeting.ID, MeetingTitle: ma.Meeting.Title, Priority: priorityOptions(portal.PriorityNormal),
		Form: map[string]string{"parent_id": c.Query("parent")}}
	if d.Units, d.CoUnits, err = s.unitOptions(c, "", nil); err != nil {
		s.fail(c, err)
		return
	}
	for _, it := range ma.Items {
		if it.ParentID == "" && !it.Final() && !it.AwaitingConfirm {
			d.Parents = append(d.Parents, adminOption{Value: it.ID, Label: it.Title, Selected: it.ID == c.Query("parent")})
		}
	}
	if d.Requests, err = s.meetingRequestOptions(c, ma.Meeting); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "action_item_new", "确定议定事项", d)
}

// actionCreateSubmit handles POST /meetings/{id}/action-items from the form.
func (s *Server) actionCreateSubmit(c *gin.Context) {
	svc := s.actions(c)
	if svc == nil {
		return
	}
	in := portal.ActionItemInput{Title: c.PostForm("title"), Description: c.PostForm("description"),
		LeadUnitID: c.PostForm("lead_unit_id"), CoUnitIDs: c.PostFormArray("co_unit_ids"), Due: c.PostForm("due"),
		Priority: portal.Priority(c.PostForm("priority")), ParentID: c.PostForm("parent_id"),
		RequestIDs: c.PostFormArray("request_ids")}
	if w := strings.TrimSpace(c.PostForm("weight")); w != "" && in.ParentID != "" {
		n, err := strconv.Atoi(w)
		if err != nil {
			n = -1
		}
		in.Weight = n
	}
	back := "/meetings/" + url.PathEscape(c.Param("id")) + "/action-items/new"
	it, err := svc.Create(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.flashResult(c, back, "", err)
		return
	}
	s.flashResult(c, itemPath(it.ID), "已确定议定事项“"+it.Title+"”，已通知承办单位", nil)
}

// meetingRequestOptions lists the requests an item decided at m may be
// linked to: those its topics name and those raised there, as far as the
// actor sees them (the service checks the chosen ones again).
func (s *Server) meetingRequestOptions(c *gin.Context, m *portal.Meeting) ([]adminOption, error) {
	var out []adminOption
	seen := map[string]bool{}
	for _, t := range m.Topics {
		if t.RequestID != "" && !seen[t.RequestID] {
			seen[t.RequestID] = true
			out = append(out, adminOption{Value: t.RequestID, Label: "议题：" + t.Title})
		}
	}
	if s.opt.Meetings == nil {
		return out, nil
	}
	page, err := s.opt.Meetings.Raised(c.Request.Context(), m.ID, 1, portal.MaxRequestsPerPage)
	if err != nil {
		return nil, err
	}
	for _, r := range page.Items {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, adminOption{Value: r.ID, Label: r.No + " " + r.Title})
		}
	}
	return out, nil
}
