package portal

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// RequestService files requests and moves them through their life. Every
// change is one version-guarded update of the request document; what
// follows from it (notifications, the index, the chasing jobs) is written
// idempotently afterwards.
type RequestService struct {
	Store       RequestStore
	Enterprises EnterpriseStore
	Org         OrgStore
	Users       UserStore
	Categories  CategoryCatalog
	Router      Router          // may be nil: no suggestions
	Attachments AttachmentStore // may be nil: attachments refused
	Notify      NotificationStore
	Audit       *Auditor
	Deadlines   Deadliner      // may be nil: no deadlines
	Rungs       RungPlanner    // may be nil: no chasing
	Index       RequestIndexer // may be nil: no similar-request search
	Events      []RequestEvents
	// Sources checks meeting and forum sources; nil accepts any id.
	Sources SourceChecker
	Log     *slog.Logger
	Now     func() time.Time
	// MaxAttachmentBytes caps one attachment; 0 means DefaultMaxAttachmentBytes.
	MaxAttachmentBytes int64
}

// Request list paging.
const (
	DefaultRequestsPerPage = 20
	MaxRequestsPerPage     = 100
	// MaxAttachments caps how many files one request carries.
	MaxAttachments = 10
)

// RequestInput is what a new request is filed with.
type RequestInput struct {
	EnterpriseID string      `json:"enterprise_id"`
	Title        string      `json:"title"`
	Description  string      `json:"description"`
	Category     string      `json:"category"`
	Type         RequestType `json:"type"`
	Channel      Channel     `json:"channel"`
	SourceID     string      `json:"source_id"`
	SourceName   string      `json:"source_name"`
	ContactName  string      `json:"contact_name"`
	ContactPhone string      `json:"contact_phone"`
	Urgent       bool        `json:"urgent"`
	PolicyIDs    []string    `json:"policy_ids"`
}

// Upload is a file sent with a request.
type Upload struct {
	Name    string
	Content []byte
}

// errRequestNotFound is what an actor learns of a request it may not see.
var errRequestNotFound = Errorf(ENOTFOUND, "诉求不存在")

func (s *RequestService) now() time.Time { return s.Now().UTC() }

func (s *RequestService) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// requestActor returns the actor in ctx or the error for a visitor.
func requestActor(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHENTICATED, "请先登录")
	}
	return a, nil
}

// cleanText trims s and refuses control characters other than line breaks
// and tabs, which no form produces and which hide text in logs.
func cleanText(s string) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return s, false
		}
	}
	return s, utf8.ValidString(s)
}

// checkText validates one free-text field into f.
func checkText(f map[string]string, field, label, value string, minLen, maxLen int) string {
	v, ok := cleanText(value)
	n := utf8.RuneCountInString(v)
	switch {
	case !ok:
		f[field] = label + "含有不可见的控制字符"
	case n < minLen && minLen == 1:
		f[field] = label + "不能为空"
	case n < minLen:
		f[field] = fmt.Sprintf("%s至少 %d 个字", label, minLen)
	case n > maxLen:
		f[field] = fmt.Sprintf("%s不能超过 %d 个字", label, maxLen)
	}
	return v
}

// File stores a new request for an enterprise: an enterprise's staff file
// for their own company through the portal; a liaison for an enterprise of
// the caseload, a dispatcher for one of the area, recording the channel.
func (s *RequestService) File(ctx context.Context, in RequestInput, uploads []Upload) (*Request, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HasAny(RoleEnterprise, RoleLiaison, RoleDispatcher, RoleAdmin) {
		return nil, Errorf(EFORBIDDEN, "您没有提交诉求的权限")
	}
	f := map[string]string{}
	if a.Has(RoleEnterprise) && !a.HasAny(RoleLiaison, RoleDispatcher, RoleAdmin) {
		if in.EnterpriseID != "" && in.EnterpriseID != a.EnterpriseID {
			f["enterprise_id"] = "只能为本企业提交诉求"
		}
		in.EnterpriseID = a.EnterpriseID
		if in.Channel == "" {
			in.Channel = ChannelPortal
		}
		if in.Channel != ChannelPortal {
			f["channel"] = "企业自行提交的诉求渠道为网上填报"
		}
	}
	r := &Request{
		Title:       checkText(f, "title", "标题", in.Title, 4, 60),
		Description: checkText(f, "description", "诉求内容", in.Description, 10, 2000),
		Category:    strings.TrimSpace(in.Category),
		Type:        in.Type,
		Channel:     in.Channel,
		Urgent:      in.Urgent,
		Status:      StatusSubmitted,
		Attachments: []Attachment{},
	}
	contactName := checkText(f, "contact_name", "联系人", in.ContactName, 0, 40)
	contactPhone := strings.ReplaceAll(strings.TrimSpace(in.ContactPhone), " ", "")
	if contactPhone != "" && !ValidPhone(contactPhone) {
		f["contact_phone"] = "联系电话格式不正确"
	}
	if _, ok := RequestTypeNames[r.Type]; !ok {
		f["type"] = "请选择诉求类型：咨询、求助、投诉或建议"
	}
	if _, ok := ChannelNames[r.Channel]; !ok {
		f["channel"] = "未知的诉求渠道"
	}
	var cat *Category
	if r.Category == "" {
		f["category"] = "请选择诉求分类"
	} else if cat, err = s.Categories.CategoryByCode(ctx, r.Category); err != nil || !cat.Active {
		if err != nil && !IsCode(err, ENOTFOUND) {
			return nil, err
		}
		f["category"] = "未知的诉求分类"
		cat = nil
	} else if _, ok := f["type"]; !ok && !cat.Allows(r.Type) {
		f["category"] = fmt.Sprintf("分类“%s”不受理%s类诉求", cat.Name, RequestTypeNames[r.Type])
	}
	if r.Channel.NeedsSource() {
		name := checkText(f, "source_name", "来源会议或走访", in.SourceName, 1, 100)
		if _, bad := f["source_name"]; !bad {
			r.Source = &Source{ID: strings.TrimSpace(in.SourceID), Name: name}
		}
	} else if strings.TrimSpace(in.SourceName) != "" || strings.TrimSpace(in.SourceID) != "" {
		f["source_name"] = "只有联席会议、微论坛和走访渠道需要填写来源"
	}
	if err := s.checkSource(ctx, r, f); err != nil {
		return nil, err
	}
	if len(in.PolicyIDs) > 10 {
		f["policy_ids"] = "最多关联 10 条政策"
	}
	for _, id := range in.PolicyIDs {
		if id == "" || len(id) > 64 {
			f["policy_ids"] = "政策编号不正确"
		}
	}
	if len(uploads) > MaxAttachments {
		f["attachments"] = fmt.Sprintf("最多上传 %d 个附件", MaxAttachments)
	}
	var ent *Enterprise
	switch {
	case in.EnterpriseID == "":
		if _, ok := f["enterprise_id"]; !ok {
			f["enterprise_id"] = "请选择企业"
		}
	default:
		ent, err = s.Enterprises.FindEnterpriseByID(ctx, in.EnterpriseID)
		switch {
		case IsCode(err, ENOTFOUND):
			f["enterprise_id"] = "企业不存在或不在您的负责范围内"
		case err != nil:
			return nil, err
		default:
			ok, err := s.mayFileFor(ctx, a, ent)
			if err != nil {
				return nil, err
			}
			if !ok {
				f["enterprise_id"] = "企业不存在或不在您的负责范围内"
				ent = nil
			}
		}
	}
	files, err := s.checkUploads(uploads, f)
	if err != nil {
		return nil, err
	}
	if len(f) > 0 {
		return nil, Invalid("诉求信息有误", f)
	}
	if contactName == "" {
		contactName = ent.ContactName
	}
	if contactPhone == "" {
		contactPhone = ent.ContactPhone
	}
	if contactName == "" || contactPhone == "" {
		f := map[string]string{}
		if contactName == "" {
			f["contact_name"] = "请填写联系人"
		}
		if contactPhone == "" {
			f["contact_phone"] = "请填写联系电话"
		}
		return nil, Invalid("诉求信息有误", f)
	}
	now := s.now()
	r.ID = NewID()
	r.EnterpriseID, r.EnterpriseName = ent.ID, ent.Name
	r.SubdistrictID, r.ParkID, r.ChainIDs, r.LiaisonID = ent.SubdistrictID, ent.ParkID, ent.ChainIDs, ent.LiaisonID
	r.ContactName, r.ContactPhone = contactName, contactPhone
	r.PolicyIDs = slices.Compact(slices.Sorted(slices.Values(in.PolicyIDs)))
	r.FiledByID, r.FiledByName = a.UserID, a.Name()
	switch {
	case a.HasAny(RoleLiaison, RoleDispatcher, RoleAdmin):
		r.FirstContactID, r.FirstContactName = a.UserID, a.Name()
	case ent.LiaisonID != "":
		if u, err := s.Users.FindUserByID(ctx, ent.LiaisonID); err == nil {
			r.FirstContactID, r.FirstContactName = u.ID, u.DisplayName
		}
	}
	r.CreatedAt, r.UpdatedAt, r.Version = now, now, 1
	for _, up := range files {
		att, err := s.putAttachment(ctx, r.ID, a, up, now)
		if err != nil {
			s.dropAttachments(ctx, r)
			return nil, err
		}
		r.Attachments = append(r.Attachments, *att)
	}
	note := ChannelNames[r.Channel]
	if r.Source != nil {
		note += "：" + r.Source.Name
	}
	r.Timeline = []Event{{At: now, ActorID: a.UserID, ActorName: a.Name(), Action: "file", To: StatusSubmitted, Note: note}}
	if err := s.Store.CreateRequest(ctx, r); err != nil {
		s.dropAttachments(ctx, r)
		return nil, err
	}
	if err := s.Audit.Record(ctx, "request.file", "request", r.ID, OutcomeOK, r.No+" "+r.Title); err != nil {
		return nil, Internal(err)
	}
	s.after(ctx, nil, r, "file")
	return r, nil
}

// mayFileFor reports whether a may file a request for ent.
func (s *RequestService) mayFileFor(ctx context.Context, a *Actor, ent *Enterprise) (bool, error) {
	switch {
	case a.IsAdmin():
		return true, nil
	case a.Has(RoleEnterprise) && a.EnterpriseID == ent.ID:
		return true, nil
	case a.Has(RoleLiaison) && ent.LiaisonID == a.UserID:
		return true, nil
	case a.Has(RoleDispatcher):
		all, anyOf, err := s.scope(ctx, a)
		if err != nil || all {
			return all, err
		}
		probe := &Request{EnterpriseID: ent.ID, SubdistrictID: ent.SubdistrictID, ParkID: ent.ParkID}
		return requestInScope(probe, anyOf, a.UserID), nil
	}
	return false, nil
}

// scope returns which requests a may see: all, or those matching any of
// the clauses (none when the list is empty).
func (s *RequestService) scope(ctx context.Context, a *Actor) (all bool, anyOf []RequestScope, err error) {
	anyOf = []RequestScope{}
	if a.IsAdmin() {
		return true, nil, nil
	}
	if a.Has(RoleEnterprise) && a.EnterpriseID != "" {
		anyOf = append(anyOf, RequestScope{EnterpriseID: a.EnterpriseID})
	}
	if a.Has(RoleLiaison) {
		anyOf = append(anyOf, RequestScope{LiaisonID: a.UserID}, RequestScope{FiledByID: a.UserID})
	}
	if a.Has(RoleCommittee) && a.ChainID != "" {
		anyOf = append(anyOf, RequestScope{ChainID: a.ChainID})
	}
	if a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "" {
		anyOf = append(anyOf, RequestScope{DepartmentID: a.UnitID})
	}
	if a.Has(RoleDispatcher) && a.UnitID != "" {
		units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: []string{a.UnitID}})
		if err != nil {
			return false, nil, err
		}
		if len(units) == 1 && units[0].Kind == KindDistrict {
			return true, nil, nil
		}
		if len(units) == 1 {
			subtree, err := UnitSubtree(ctx, s.Org, a.UnitID)
			if err != nil {
				return false, nil, err
			}
			anyOf = append(anyOf, RequestScope{RegionIn: subtree}, RequestScope{DepartmentIn: subtree})
		}
	}
	return false, anyOf, nil
}

// requestInScope evaluates the scope clauses on r as the store would.
func requestInScope(r *Request, anyOf []RequestScope, _ string) bool {
	for _, c := range anyOf {
		switch {
		case c.EnterpriseID != "" && r.EnterpriseID == c.EnterpriseID,
			c.LiaisonID != "" && r.LiaisonID == c.LiaisonID,
			c.FiledByID != "" && r.FiledByID == c.FiledByID,
			c.ChainID != "" && slices.Contains(r.ChainIDs, c.ChainID),
			c.DepartmentID != "" && (r.DepartmentID == c.DepartmentID || slices.Contains(r.PastDepartmentIDs, c.DepartmentID)),
			c.RegionIn != nil && ((r.SubdistrictID != "" && slices.Contains(c.RegionIn, r.SubdistrictID)) ||
				(r.ParkID != "" && slices.Contains(c.RegionIn, r.ParkID))),
			c.DepartmentIn != nil && r.DepartmentID != "" && slices.Contains(c.DepartmentIn, r.DepartmentID):
			return true
		}
	}
	return false
}

// CanSee reports whether the actor in ctx may see r.
func (s *RequestService) CanSee(ctx context.Context, r *Request) (bool, error) {
	a := ActorFrom(ctx)
	if a == nil || a.Pending {
		return false, nil
	}
	all, anyOf, err := s.scope(ctx, a)
	if err != nil || all {
		return all, err
	}
	return requestInScope(r, anyOf, a.UserID), nil
}

// load returns the request if the actor may see it, ENOTFOUND otherwise.
func (s *RequestService) load(ctx context.Context, id string) (*Request, error) {
	if _, err := requestActor(ctx); err != nil {
		return nil, err
	}
	if id == "" || len(id) > 64 {
		return nil, errRequestNotFound
	}
	return findVisible(ctx, id, s.Store.FindRequestByID, s.CanSee, errRequestNotFound)
}

// Get returns one request the actor may see.
func (s *RequestService) Get(ctx context.Context, id string) (*Request, error) {
	return s.load(ctx, id)
}

// Timeline returns the events of a request the actor may see, oldest first.
func (s *RequestService) Timeline(ctx context.Context, id string) ([]Event, error) {
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return r.Timeline, nil
}

// RequestQuery is what a user asks of a request list.
type RequestQuery struct {
	Status     string // a state, or "open"
	Department string
	Category   string
	Channel    string
	Enterprise string
	Q          string
	Overdue    bool
	// Source selects the requests raised at that meeting or visit (its id).
	Source string
	// Statuses, when Status is empty, selects requests in any of these
	// states (the triage queue asks for TriageStatuses).
	Statuses []Status
	// Mine narrows to what the actor acts on: for handlers their
	// department's inbox, for liaisons what they filed or their caseload's,
	// for dispatchers what waits for dispatch.
	Mine    bool
	ByDue   bool
	Page    int
	PerPage int
}

// RequestPage is one page of requests.
type RequestPage struct {
	Items   []*Request `json:"items"`
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	PerPage int        `json:"per_page"`
}

// Pages returns how many pages the list has.
func (p *RequestPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// List returns one page of the requests the actor may see, newest first
// (or soonest deadline first).
func (s *RequestService) List(ctx context.Context, q RequestQuery) (*RequestPage, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultRequestsPerPage, MaxRequestsPerPage)
	filter := RequestFilter{DepartmentID: q.Department, Category: q.Category, Channel: Channel(q.Channel),
		EnterpriseID: q.Enterprise, ByDue: q.ByDue, SourceID: q.Source}
	switch {
	case q.Status == "" && len(q.Statuses) > 0:
		for _, st := range q.Statuses {
			if _, ok := StatusNames[st]; !ok {
				f["status"] = "未知的诉求状态"
			}
		}
		filter.Statuses = q.Statuses
	case q.Status == "":
	case q.Status == "open":
		filter.Statuses = OpenStatuses
	default:
		if _, ok := StatusNames[Status(q.Status)]; !ok {
			f["status"] = "未知的诉求状态"
		}
		filter.Statuses = []Status{Status(q.Status)}
	}
	if q.Channel != "" {
		if _, ok := ChannelNames[Channel(q.Channel)]; !ok {
			f["channel"] = "未知的诉求渠道"
		}
	}
	if len(q.Category) > 64 {
		f["category"] = "未知的诉求分类"
	}
	if len(q.Department) > 64 {
		f["department"] = "未知的部门"
	}
	if len(q.Enterprise) > 64 {
		f["enterprise"] = "未知的企业"
	}
	if len(q.Source) > 64 {
		f["source"] = "未知的来源会议或走访"
	}
	if qt, ok := cleanText(q.Q); !ok || utf8.RuneCountInString(qt) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	} else {
		filter.Q = qt
	}
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	if q.Overdue {
		now := s.now()
		filter.OverdueAt = &now
	}
	all, anyOf, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !all {
		filter.AnyOf = anyOf
	}
	if q.Mine {
		filter.AnyOf = s.mine(a, anyOf, all)
		if a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "" && filter.DepartmentID == "" {
			filter.DepartmentID = a.UnitID // the inbox: what the department has now
		}
		if a.Has(RoleDispatcher) && !a.HasAny(RoleHandler, RoleDeptHead, RoleLiaison) && filter.Statuses == nil {
			filter.Statuses = []Status{StatusSubmitted, StatusReturned, StatusEscalated}
		}
	}
	filter.Offset, filter.Limit = (q.Page-1)*q.PerPage, q.PerPage
	items, total, err := s.Store.FindRequests(ctx, filter)
	if err != nil {
		return nil, err
	}
	return &RequestPage{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// mine narrows a scope to what the actor personally acts on.
func (s *RequestService) mine(a *Actor, anyOf []RequestScope, all bool) []RequestScope {
	out := []RequestScope{}
	switch {
	case a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "":
		out = append(out, RequestScope{DepartmentID: a.UnitID})
	case a.Has(RoleLiaison):
		out = append(out, RequestScope{LiaisonID: a.UserID}, RequestScope{FiledByID: a.UserID})
	case a.Has(RoleEnterprise) && a.EnterpriseID != "":
		out = append(out, RequestScope{EnterpriseID: a.EnterpriseID})
	case a.Has(RoleDispatcher) || a.IsAdmin():
		if all {
			return nil
		}
		return anyOf
	}
	return out
}

// checkSource makes sure a meeting or forum named as the source exists, is
// one the filer sees and fits the channel; visits are created together
// with their requests, so their ids are not looked up.
func (s *RequestService) checkSource(ctx context.Context, r *Request, f map[string]string) error {
	if s.Sources == nil || r.Source == nil || r.Source.ID == "" || r.Channel == ChannelVisit {
		return nil
	}
	if len(r.Source.ID) > 64 {
		f["source_id"] = "来源会议不存在"
		return nil
	}
	_, err := s.Sources.CheckSource(ctx, r.Channel, r.Source.ID)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		f["source_id"] = "来源会议不存在"
	case EINVALID:
		f["source_id"] = ErrorMessage(err)
	default:
		return err
	}
	return nil
}
