package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MeetingScope is one clause of which meetings an actor may see; a meeting
// matches the clause when it matches every non-empty field.
type MeetingScope struct {
	ChainIn []string // the meeting's chain among these
	UnitID  string   // the unit attends (department_ids) or convenes the meeting
	// AtFrom limits the clause to meetings held at or after it.
	AtFrom *time.Time
}

// MeetingFilter selects meetings for a list.
type MeetingFilter struct {
	// AnyOf limits the result to meetings matching at least one clause;
	// nil applies no limit, an empty slice matches nothing.
	AnyOf   []MeetingScope
	ChainID string
	Type    MeetingType
	Q       string     // part of the title or place
	AtFrom  *time.Time // held at or after
	AtTo    *time.Time // held before
	// Soonest orders by date, earliest first, instead of latest first.
	Soonest bool
	Offset  int
	Limit   int
}

// MeetingStore persists meetings.
type MeetingStore interface {
	CreateMeeting(ctx context.Context, m *Meeting) error
	FindMeetingByID(ctx context.Context, id string) (*Meeting, error)
	// FindMeetings returns one page (without minutes) and the total.
	FindMeetings(ctx context.Context, f MeetingFilter) ([]*Meeting, int, error)
	// UpdateMeeting writes m if the stored version is still version and
	// bumps m.Version; a concurrent change answers ECONFLICT.
	UpdateMeeting(ctx context.Context, m *Meeting, version int) error
}

// ActionItemLister lists the action items decided at a meeting, for the
// meeting's page; the action-item service implements it.
type ActionItemLister interface {
	ActionItemsOfMeeting(ctx context.Context, meetingID string) ([]*ActionItem, error)
}

// MeetingService keeps the joint meetings, micro-forums and symposia of
// the industry chains: arranging them, collecting agenda topics before
// them and recording minutes after them. Committee members see their
// chain's meetings, departments those they attend or convene, liaisons
// those of the chains their task force serves, dispatchers and admins
// all, and enterprises only the upcoming meetings of their chains.
type MeetingService struct {
	Store       MeetingStore
	Chains      ChainStore
	Org         OrgStore
	Enterprises EnterpriseStore
	TaskForces  TaskForceStore
	// Requests checks that a linked request is visible and lists the
	// requests raised at a meeting.
	Requests *RequestService
	// Actions lists a meeting's action items; nil lists none.
	Actions ActionItemLister
	Audit   *Auditor
	Now     func() time.Time
	// Zone is the district's zone, in which typed dates are read.
	Zone *time.Location
}

// Meeting limits.
const (
	DefaultMeetingsPerPage = 20
	MaxMeetingsPerPage     = 100
	maxMeetingDepartments  = 40
	maxMeetingEnterprises  = 60
	maxMeetingTopics       = 100
	maxMinutes             = 20000
)

// MeetingInput is what a new meeting is arranged with. At is the date and
// time in the district's zone ("2026-03-18T14:30") or RFC 3339.
type MeetingInput struct {
	Type           MeetingType `json:"type"`
	Title          string      `json:"title"`
	ChainID        string      `json:"chain_id"`
	ConvenerUnitID string      `json:"convener_unit_id"`
	At             string      `json:"at"`
	Place          string      `json:"place"`
	DepartmentIDs  []string    `json:"department_ids"`
	EnterpriseIDs  []string    `json:"enterprise_ids"`
	Agenda         string      `json:"agenda"`
}

// MeetingUpdate changes a meeting; nil fields stay as they are. Version
// is the version the change was made on.
type MeetingUpdate struct {
	Type           *MeetingType `json:"type"`
	Title          *string      `json:"title"`
	ConvenerUnitID *string      `json:"convener_unit_id"`
	At             *string      `json:"at"`
	Place          *string      `json:"place"`
	DepartmentIDs  *[]string    `json:"department_ids"`
	EnterpriseIDs  *[]string    `json:"enterprise_ids"`
	Agenda         *string      `json:"agenda"`
	Version        int          `json:"version"`
}

// TopicInput is a topic for a meeting's agenda: an existing request
// (RequestID) or a new topic with a title.
type TopicInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	RequestID   string `json:"request_id"`
}

// MinutesInput records a meeting's minutes on Version.
type MinutesInput struct {
	Minutes string `json:"minutes"`
	Version int    `json:"version"`
}

// MeetingQuery is what a user asks of the meeting list.
type MeetingQuery struct {
	Chain string
	Type  string
	Q     string
	From  string // a date, 2006-01-02, in the district's zone
	To    string // a date, inclusive
	// Upcoming is "" for all meetings, "true" for those still to come and
	// "false" for those held.
	Upcoming string
	Page     int
	PerPage  int
}

// MeetingPage is one page of meetings: upcoming ones first, soonest
// first, then past ones, latest first.
type MeetingPage struct {
	Items   []*Meeting `json:"items"`
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	PerPage int        `json:"per_page"`
}

// Pages returns how many pages the list has.
func (p *MeetingPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

var errMeetingNotFound = Errorf(ENOTFOUND, "会议不存在")

func (s *MeetingService) now() time.Time { return s.Now().UTC() }

func (s *MeetingService) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// Upcoming reports whether the meeting is still to be held at now.
func (m *Meeting) Upcoming(now time.Time) bool { return m.At.After(now) }

// enterpriseOnly reports whether the actor acts only for its enterprise.
func enterpriseOnly(a *Actor) bool {
	return a.Has(RoleEnterprise) && !a.HasAny(RoleLiaison, RoleDispatcher, RoleHandler, RoleDeptHead, RoleCommittee, RoleAdmin)
}

// scope returns which meetings a may see: all, or those matching any of
// the clauses (none when the list is empty).
func (s *MeetingService) scope(ctx context.Context, a *Actor) (all bool, anyOf []MeetingScope, err error) {
	anyOf = []MeetingScope{}
	if a.HasAny(RoleAdmin, RoleDispatcher) {
		return true, nil, nil
	}
	if a.Has(RoleCommittee) && a.ChainID != "" {
		anyOf = append(anyOf, MeetingScope{ChainIn: []string{a.ChainID}})
	}
	if a.HasAny(RoleHandler, RoleDeptHead) && a.UnitID != "" {
		anyOf = append(anyOf, MeetingScope{UnitID: a.UnitID})
	}
	if a.Has(RoleLiaison) {
		chains, err := s.servedChains(ctx, a)
		if err != nil {
			return false, nil, err
		}
		if len(chains) > 0 {
			anyOf = append(anyOf, MeetingScope{ChainIn: chains})
		}
	}
	if a.Has(RoleEnterprise) && a.EnterpriseID != "" {
		e, err := s.Enterprises.FindEnterpriseByID(ctx, a.EnterpriseID)
		if err != nil && !IsCode(err, ENOTFOUND) {
			return false, nil, err
		}
		if e != nil && len(e.ChainIDs) > 0 {
			now := s.now()
			anyOf = append(anyOf, MeetingScope{ChainIn: e.ChainIDs, AtFrom: &now})
		}
	}
	return false, anyOf, nil
}

// servedChains returns the chains a liaison's task force serves: those of
// the enterprises in the caseloads of the task force's members.
func (s *MeetingService) servedChains(ctx context.Context, a *Actor) ([]string, error) {
	members := []string{a.UserID}
	if a.TaskForceID != "" {
		tf, err := s.TaskForces.FindTaskForceByID(ctx, a.TaskForceID)
		switch {
		case err == nil:
			members = append(members, tf.MemberIDs...)
		case !IsCode(err, ENOTFOUND):
			return nil, err
		}
	}
	var chains []string
	for _, id := range slices.Compact(slices.Sorted(slices.Values(members))) {
		ents, _, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{LiaisonID: &id})
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			chains = append(chains, e.ChainIDs...)
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(chains))), nil
}

// meetingInScope evaluates the scope clauses on m as the store would.
func meetingInScope(m *Meeting, anyOf []MeetingScope) bool {
	for _, c := range anyOf {
		if c.ChainIn == nil && c.UnitID == "" {
			continue // a clause without conditions must not widen the scope
		}
		if c.ChainIn != nil && !slices.Contains(c.ChainIn, m.ChainID) {
			continue
		}
		if c.UnitID != "" && m.ConvenerUnitID != c.UnitID && !slices.Contains(m.DepartmentIDs, c.UnitID) {
			continue
		}
		if c.AtFrom != nil && m.At.Before(*c.AtFrom) {
			continue
		}
		return true
	}
	return false
}

// CanSee reports whether the actor in ctx may see m.
func (s *MeetingService) CanSee(ctx context.Context, m *Meeting) (bool, error) {
	a := ActorFrom(ctx)
	if a == nil || a.Pending {
		return false, nil
	}
	all, anyOf, err := s.scope(ctx, a)
	if err != nil || all {
		return all, err
	}
	return meetingInScope(m, anyOf), nil
}

// load returns the meeting if the actor may see it, ENOTFOUND otherwise.
func (s *MeetingService) load(ctx context.Context, id string) (*Meeting, *Actor, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if id == "" || len(id) > 64 {
		return nil, nil, errMeetingNotFound
	}
	m, err := findVisible(ctx, id, s.Store.FindMeetingByID, s.CanSee, errMeetingNotFound)
	return m, a, err
}

// redact leaves an enterprise's staff what they need to submit topics:
// the meeting without the other attending enterprises and their topics.
func redact(a *Actor, m *Meeting) *Meeting {
	if !enterpriseOnly(a) {
		return m
	}
	v := *m
	v.EnterpriseIDs = []string{}
	v.Topics = []Topic{}
	for _, t := range m.Topics {
		if t.EnterpriseID == a.EnterpriseID {
			v.Topics = append(v.Topics, t)
		}
	}
	v.Minutes, v.MinutesAt, v.CreatedByID = "", nil, ""
	return &v
}

// Get returns one meeting the actor may see.
func (s *MeetingService) Get(ctx context.Context, id string) (*Meeting, error) {
	m, a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return redact(a, m), nil
}

// mayManage reports whether a may arrange meetings of chain and change
// them: admins any, committee members their chain's, liaisons those of
// the chains their task force serves (they hold the micro-forums).
func (s *MeetingService) mayManage(ctx context.Context, a *Actor, chainID string) (bool, error) {
	switch {
	case a.IsAdmin():
		return true, nil
	case a.Has(RoleCommittee) && a.ChainID == chainID:
		return true, nil
	case a.Has(RoleLiaison):
		chains, err := s.servedChains(ctx, a)
		return slices.Contains(chains, chainID), err
	}
	return false, nil
}

// deny records a refused change and returns the 403 that says why.
func (s *MeetingService) deny(ctx context.Context, action, id, msg string) error {
	if err := s.Audit.Record(ctx, action, "meeting", id, OutcomeDenied, msg); err != nil {
		return Internal(err)
	}
	return Errorf(EFORBIDDEN, "%s", msg)
}

// parseLocal reads a typed moment in zone: RFC 3339, or a local date and
// time as a datetime-local input sends it, or a date alone (midnight).
func parseLocal(v string, zone *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, zone); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// meetingFields is the part of a meeting its arranger types, checked
// together so that every bad field is named at once.
type meetingFields struct {
	typ                     MeetingType
	title, place, agenda    string
	convener                string
	at                      time.Time
	departments, enterprise []string
}

// check validates the fields of a meeting of chainID into f.
func (s *MeetingService) check(ctx context.Context, f map[string]string, chainID string, in meetingFields, atText string) (meetingFields, error) {
	out := in
	if _, ok := MeetingTypeNames[in.typ]; !ok {
		f["type"] = "请选择会议类型：联席会议、微论坛或座谈会"
	}
	out.title = checkText(f, "title", "会议名称", in.title, 4, 80)
	out.place = checkText(f, "place", "会议地点", in.place, 2, 100)
	out.agenda = checkText(f, "agenda", "会议议程", in.agenda, 0, 2000)
	now := s.now()
	if at, ok := parseLocal(atText, s.zone()); !ok {
		f["at"] = "请填写会议时间，格式如 2026-03-18T14:30"
	} else if at.Before(now.AddDate(-3, 0, 0)) || at.After(now.AddDate(1, 0, 0)) {
		f["at"] = "会议时间应在三年前到一年后之间"
	} else {
		out.at = at
	}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{})
	if err != nil {
		return out, err
	}
	unit := func(id string) *OrgUnit {
		for _, u := range units {
			if u.ID == id {
				return u
			}
		}
		return nil
	}
	out.convener = strings.TrimSpace(in.convener)
	if out.convener == "" {
		f["convener_unit_id"] = "请选择召集单位"
	} else if unit(out.convener) == nil {
		f["convener_unit_id"] = "召集单位不是本区的单位"
	}
	out.departments = slices.Compact(slices.Sorted(slices.Values(in.departments)))
	if len(out.departments) > maxMeetingDepartments {
		f["department_ids"] = fmt.Sprintf("参会单位最多 %d 个", maxMeetingDepartments)
	}
	for _, id := range out.departments {
		if u := unit(id); u == nil || u.Kind == KindDistrict {
			f["department_ids"] = fmt.Sprintf("参会单位“%s”不是本区的部门或单位", id)
			break
		}
	}
	out.enterprise = slices.Compact(slices.Sorted(slices.Values(in.enterprise)))
	if len(out.enterprise) > maxMeetingEnterprises {
		f["enterprise_ids"] = fmt.Sprintf("参会企业最多 %d 家", maxMeetingEnterprises)
	} else if len(out.enterprise) > 0 && chainID != "" {
		ents, _, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{IDs: out.enterprise})
		if err != nil {
			return out, err
		}
		for _, id := range out.enterprise {
			i := slices.IndexFunc(ents, func(e *Enterprise) bool { return e.ID == id })
			switch {
			case i < 0:
				f["enterprise_ids"] = fmt.Sprintf("企业“%s”不存在", id)
			case !slices.Contains(ents[i].ChainIDs, chainID):
				f["enterprise_ids"] = fmt.Sprintf("企业“%s”不属于本产业链", ents[i].Name)
			default:
				continue
			}
			break
		}
	}
	return out, nil
}

// Create arranges a meeting (or records one already held).
func (s *MeetingService) Create(ctx context.Context, in MeetingInput) (*Meeting, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HasAny(RoleAdmin, RoleCommittee, RoleLiaison) {
		return nil, s.deny(ctx, "meeting.create", "", "只有产业链党委成员、专班联络员和管理员可以安排会议")
	}
	f := map[string]string{}
	chainID := strings.TrimSpace(in.ChainID)
	var chain *Chain
	if chainID == "" {
		f["chain_id"] = "请选择产业链"
	} else if chain, err = s.Chains.FindChainByID(ctx, chainID); IsCode(err, ENOTFOUND) {
		f["chain_id"] = "产业链不存在"
		chainID = ""
	} else if err != nil {
		return nil, err
	}
	if chain != nil {
		ok, err := s.mayManage(ctx, a, chain.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, s.deny(ctx, "meeting.create", "", "您只能为本产业链（或专班服务的产业链）安排会议")
		}
	}
	v, err := s.check(ctx, f, chainID, meetingFields{typ: in.Type, title: in.Title, place: in.Place, agenda: in.Agenda,
		convener: in.ConvenerUnitID, departments: in.DepartmentIDs, enterprise: in.EnterpriseIDs}, in.At)
	if err != nil {
		return nil, err
	}
	if len(f) > 0 {
		return nil, Invalid("会议信息有误", f)
	}
	now := s.now()
	m := &Meeting{ID: NewID(), Type: v.typ, Title: v.title, ChainID: chain.ID, ConvenerUnitID: v.convener, At: v.at,
		Place: v.place, DepartmentIDs: nonNil(v.departments), EnterpriseIDs: nonNil(v.enterprise), Agenda: v.agenda,
		Topics: []Topic{}, CreatedByID: a.UserID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.CreateMeeting(ctx, m); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "meeting.create", "meeting", m.ID, OutcomeOK, MeetingTypeNames[m.Type]+" "+m.Title); err != nil {
		return nil, Internal(err)
	}
	return m, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// checkVersion names a missing or stale version: a change must say which
// version it was made on so that nobody overwrites a change unseen.
func checkVersion(version, stored int) error {
	if version <= 0 {
		return Invalid("请提供版本号", map[string]string{"version": "请提供修改所依据的版本号（version）"})
	}
	if version != stored {
		return &Error{Code: ECONFLICT, Message: "会议刚被他人修改，请刷新后重试", Fields: map[string]string{"version": fmt.Sprint(stored)}}
	}
	return nil
}

// Update changes a meeting's arrangements.
func (s *MeetingService) Update(ctx context.Context, id string, upd MeetingUpdate) (*Meeting, error) {
	m, a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := s.mayManage(ctx, a, m.ChainID); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.deny(ctx, "meeting.update", m.ID, "您不能修改这次会议的安排")
	}
	if err := checkVersion(upd.Version, m.Version); err != nil {
		return nil, err
	}
	cur := meetingFields{typ: m.Type, title: m.Title, place: m.Place, agenda: m.Agenda, convener: m.ConvenerUnitID,
		departments: m.DepartmentIDs, enterprise: m.EnterpriseIDs}
	atText := m.At.Format(time.RFC3339)
	var changed []string
	set := func(name string, apply func()) {
		changed = append(changed, name)
		apply()
	}
	if upd.Type != nil {
		set("类型", func() { cur.typ = *upd.Type })
	}
	if upd.Title != nil {
		set("名称", func() { cur.title = *upd.Title })
	}
	if upd.Place != nil {
		set("地点", func() { cur.place = *upd.Place })
	}
	if upd.Agenda != nil {
		set("议程", func() { cur.agenda = *upd.Agenda })
	}
	if upd.ConvenerUnitID != nil {
		set("召集单位", func() { cur.convener = *upd.ConvenerUnitID })
	}
	if upd.DepartmentIDs != nil {
		set("参会单位", func() { cur.departments = *upd.DepartmentIDs })
	}
	if upd.EnterpriseIDs != nil {
		set("参会企业", func() { cur.enterprise = *upd.EnterpriseIDs })
	}
	if upd.At != nil {
		set("时间", func() { atText = *upd.At })
	}
	f := map[string]string{}
	if len(changed) == 0 {
		return nil, Invalid("没有要修改的内容", map[string]string{"meeting": "请至少修改一项"})
	}
	v, err := s.check(ctx, f, m.ChainID, cur, atText)
	if err != nil {
		return nil, err
	}
	if len(f) > 0 {
		return nil, Invalid("会议信息有误", f)
	}
	version := m.Version
	m.Type, m.Title, m.Place, m.Agenda, m.ConvenerUnitID, m.At = v.typ, v.title, v.place, v.agenda, v.convener, v.at
	m.DepartmentIDs, m.EnterpriseIDs, m.UpdatedAt = nonNil(v.departments), nonNil(v.enterprise), s.now()
	if err := s.Store.UpdateMeeting(ctx, m, version); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "meeting.update", "meeting", m.ID, OutcomeOK, "修改"+strings.Join(changed, "、")); err != nil {
		return nil, Internal(err)
	}
	return m, nil
}

// MayAddTopic reports whether the actor in ctx may add topics to m now.
func (s *MeetingService) MayAddTopic(ctx context.Context, m *Meeting) bool {
	a := ActorFrom(ctx)
	if a == nil || !m.Upcoming(s.now()) {
		return false
	}
	if ok, err := s.mayManage(ctx, a, m.ChainID); err != nil || ok {
		return err == nil
	}
	e, err := s.chainEnterprise(ctx, a, m)
	return err == nil && e != nil
}

// chainEnterprise returns the actor's enterprise when it is of m's chain,
// nil otherwise.
func (s *MeetingService) chainEnterprise(ctx context.Context, a *Actor, m *Meeting) (*Enterprise, error) {
	if !a.Has(RoleEnterprise) || a.EnterpriseID == "" {
		return nil, nil
	}
	e, err := s.Enterprises.FindEnterpriseByID(ctx, a.EnterpriseID)
	if IsCode(err, ENOTFOUND) || (err == nil && !slices.Contains(e.ChainIDs, m.ChainID)) {
		return nil, nil
	}
	return e, err
}

// AddTopic collects a topic for an upcoming meeting: liaisons serving the
// chain, its committee members and admins link a request they can see or
// write a new topic; enterprises of the chain submit a new topic.
func (s *MeetingService) AddTopic(ctx context.Context, id string, in TopicInput) (*Meeting, error) {
	m, a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	staff, err := s.mayManage(ctx, a, m.ChainID)
	if err != nil {
		return nil, err
	}
	var ent *Enterprise
	if !staff {
		if ent, err = s.chainEnterprise(ctx, a, m); err != nil {
			return nil, err
		}
	}
	fromEnterprise := ent != nil
	if !staff && !fromEnterprise {
		return nil, s.deny(ctx, "meeting.topic", m.ID, "只有本产业链的党委成员、专班联络员和链上企业可以提交议题")
	}
	if !m.Upcoming(s.now()) {
		return nil, Errorf(ECONFLICT, "会议已经召开，不能再提交议题")
	}
	f := map[string]string{}
	t := Topic{ID: NewID(), SubmittedByID: a.UserID, SubmittedBy: a.Name(), SubmittedAt: s.now()}
	t.Title = checkText(f, "title", "议题", in.Title, 0, 80)
	t.Description = checkText(f, "description", "议题说明", in.Description, 0, 1000)
	reqID := strings.TrimSpace(in.RequestID)
	switch {
	case reqID != "" && fromEnterprise:
		f["request_id"] = "企业请直接填写新议题，不能关联诉求"
	case reqID != "":
		r, err := s.Requests.Get(ctx, reqID)
		switch {
		case IsCode(err, ENOTFOUND):
			f["request_id"] = "诉求不存在或不在您的查看范围内"
		case err != nil:
			return nil, err
		case slices.ContainsFunc(m.Topics, func(x Topic) bool { return x.RequestID == r.ID }):
			f["request_id"] = "该诉求已列入本次会议议题"
		default:
			t.RequestID, t.EnterpriseID, t.EnterpriseName = r.ID, r.EnterpriseID, r.EnterpriseName
			if t.Title == "" {
				t.Title = r.Title
			}
		}
	case utf8.RuneCountInString(t.Title) < 4:
		if _, bad := f["title"]; !bad {
			f["title"] = "请填写议题（至少 4 个字），或关联一条诉求"
		}
	}
	if fromEnterprise {
		t.EnterpriseID, t.EnterpriseName = ent.ID, ent.Name
	}
	if len(m.Topics) >= maxMeetingTopics {
		f["topics"] = fmt.Sprintf("一次会议最多收集 %d 个议题", maxMeetingTopics)
	}
	if len(f) > 0 {
		return nil, Invalid("议题信息有误", f)
	}
	version := m.Version
	m.Topics = append(m.Topics, t)
	m.UpdatedAt = s.now()
	if err := s.Store.UpdateMeeting(ctx, m, version); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "meeting.topic", "meeting", m.ID, OutcomeOK, t.Title); err != nil {
		return nil, Internal(err)
	}
	return redact(a, m), nil
}

// MayRecordMinutes reports whether the actor in ctx may record m's minutes now.
func (s *MeetingService) MayRecordMinutes(ctx context.Context, m *Meeting) bool {
	a := ActorFrom(ctx)
	return a != nil && !m.Upcoming(s.now()) && (a.IsAdmin() || (a.Has(RoleCommittee) && a.ChainID == m.ChainID))
}

// RecordMinutes records (or corrects) the minutes of a meeting held:
// the chain's committee members and admins.
func (s *MeetingService) RecordMinutes(ctx context.Context, id string, in MinutesInput) (*Meeting, error) {
	m, a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && !(a.Has(RoleCommittee) && a.ChainID == m.ChainID) {
		return nil, s.deny(ctx, "meeting.minutes", m.ID, "只有本产业链党委成员和管理员可以记录会议纪要")
	}
	if m.Upcoming(s.now()) {
		return nil, Errorf(ECONFLICT, "会议尚未召开，召开后才能记录纪要")
	}
	if err := checkVersion(in.Version, m.Version); err != nil {
		return nil, err
	}
	f := map[string]string{}
	text := checkText(f, "minutes", "会议纪要", in.Minutes, 10, maxMinutes)
	if len(f) > 0 {
		return nil, Invalid("会议纪要有误", f)
	}
	now := s.now()
	version := m.Version
	m.Minutes, m.MinutesAt, m.UpdatedAt = text, &now, now
	if err := s.Store.UpdateMeeting(ctx, m, version); err != nil {
		return nil, err
	}
	if err := s.Audit.Record(ctx, "meeting.minutes", "meeting", m.ID, OutcomeOK, fmt.Sprintf("纪要 %d 字", utf8.RuneCountInString(text))); err != nil {
		return nil, Internal(err)
	}
	return m, nil
}

// MayCreate reports whether the actor in ctx may arrange meetings at all.
func (s *MeetingService) MayCreate(ctx context.Context) bool {
	return ActorFrom(ctx).HasAny(RoleAdmin, RoleCommittee, RoleLiaison)
}

// MayManage reports whether the actor in ctx may change m.
func (s *MeetingService) MayManage(ctx context.Context, m *Meeting) bool {
	a := ActorFrom(ctx)
	if a == nil {
		return false
	}
	ok, err := s.mayManage(ctx, a, m.ChainID)
	return err == nil && ok
}

// ManagedChains returns the chains the actor may arrange meetings of; nil
// means every chain.
func (s *MeetingService) ManagedChains(ctx context.Context) ([]string, error) {
	a := ActorFrom(ctx)
	switch {
	case a.IsAdmin():
		return nil, nil
	case a.Has(RoleCommittee) && a.ChainID != "" && !a.Has(RoleLiaison):
		return []string{a.ChainID}, nil
	case a.Has(RoleLiaison):
		chains, err := s.servedChains(ctx, a)
		if err != nil {
			return nil, err
		}
		if a.Has(RoleCommittee) && a.ChainID != "" {
			chains = slices.Compact(slices.Sorted(slices.Values(append(chains, a.ChainID))))
		}
		return nonNil(chains), nil
	}
	return []string{}, nil
}

// List returns one page of the meetings the actor may see: those still to
// come first, soonest first, then those held, latest first.
func (s *MeetingService) List(ctx context.Context, q MeetingQuery) (*MeetingPage, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultMeetingsPerPage, MaxMeetingsPerPage)
	filter := MeetingFilter{ChainID: strings.TrimSpace(q.Chain), Type: MeetingType(strings.TrimSpace(q.Type))}
	if len(filter.ChainID) > 64 {
		f["chain"] = "未知的产业链"
	}
	if filter.Type != "" {
		if _, ok := MeetingTypeNames[filter.Type]; !ok {
			f["type"] = "未知的会议类型"
		}
	}
	if qt, ok := cleanText(q.Q); !ok || utf8.RuneCountInString(qt) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	} else {
		filter.Q = qt
	}
	day := func(field, v string) *time.Time {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(v), s.zone())
		if err != nil {
			f[field] = "日期格式应为 2026-03-18"
			return nil
		}
		t = t.UTC()
		return &t
	}
	filter.AtFrom = day("from", q.From)
	if to := day("to", q.To); to != nil {
		end := to.AddDate(0, 0, 1) // the day given is included
		filter.AtTo = &end
	}
	upcoming, past := true, true
	switch strings.TrimSpace(q.Upcoming) {
	case "":
	case "true", "1":
		past = false
	case "false", "0":
		upcoming = false
	default:
		f["upcoming"] = "应为 true（即将召开）或 false（已召开）"
	}
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	all, anyOf, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !all {
		filter.AnyOf = anyOf
	}
	now := s.now()
	up, held := filter, filter
	up.Soonest = true
	up.AtFrom = later(filter.AtFrom, now.Add(time.Nanosecond))
	held.AtTo = earlier(filter.AtTo, now.Add(time.Nanosecond))
	offset, limit := (q.Page-1)*q.PerPage, q.PerPage
	page := &MeetingPage{Items: []*Meeting{}, Page: q.Page, PerPage: q.PerPage}
	upTotal := 0
	if upcoming {
		up.Offset, up.Limit = offset, limit
		items, total, err := s.Store.FindMeetings(ctx, up)
		if err != nil {
			return nil, err
		}
		page.Items, upTotal = append(page.Items, items...), total
	}
	if past {
		held.Offset, held.Limit = max(0, offset-upTotal), max(1, limit-len(page.Items))
		items, total, err := s.Store.FindMeetings(ctx, held)
		if err != nil {
			return nil, err
		}
		if len(page.Items) < limit {
			page.Items = append(page.Items, items...)
		}
		page.Total = total
	}
	page.Total += upTotal
	for i, m := range page.Items {
		page.Items[i] = redact(a, m)
	}
	return page, nil
}

// later returns the later of t (which may be nil) and u.
func later(t *time.Time, u time.Time) *time.Time {
	if t != nil && t.After(u) {
		return t
	}
	return &u
}

// earlier returns the earlier of t (which may be nil) and u.
func earlier(t *time.Time, u time.Time) *time.Time {
	if t != nil && t.Before(u) {
		return t
	}
	return &u
}

// Raised returns one page of the requests raised at a meeting the actor
// may see — those of them the actor may see — with their current status.
func (s *MeetingService) Raised(ctx context.Context, id string, page, perPage int) (*RequestPage, error) {
	m, _, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.Requests.List(ctx, RequestQuery{Source: m.ID, Page: page, PerPage: perPage})
}

// ActionItems returns the action items decided at a meeting the actor may
// see; none when no action-item service is configured.
func (s *MeetingService) ActionItems(ctx context.Context, id string) ([]*ActionItem, error) {
	if _, _, err := s.load(ctx, id); err != nil {
		return nil, err
	}
	if s.Actions == nil {
		return nil, nil
	}
	return s.Actions.ActionItemsOfMeeting(ctx, id)
}

// MeetingNames are the names a meeting's page shows for its ids.
type MeetingNames struct {
	Chain       string
	Convener    string
	Units       map[string]string // attending units by id
	Enterprises map[string]string // attending enterprises by id
}

// ChainNames returns every chain's name by id, for lists and filters.
func (s *MeetingService) ChainNames(ctx context.Context) (map[string]string, []*Chain, error) {
	chains, err := s.Chains.FindChains(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(chains))
	for _, c := range chains {
		names[c.ID] = c.Name
	}
	return names, chains, nil
}

// Names returns the names of m's chain, convener and attendees; m is a
// meeting the actor has read, so its attendees are no secret to it.
func (s *MeetingService) Names(ctx context.Context, m *Meeting) (*MeetingNames, error) {
	n := &MeetingNames{Units: map[string]string{}, Enterprises: map[string]string{}}
	c, err := s.Chains.FindChainByID(ctx, m.ChainID)
	switch {
	case err == nil:
		n.Chain = c.Name
	case !IsCode(err, ENOTFOUND):
		return nil, err
	}
	units, err := s.Org.FindOrgUnits(ctx, OrgUnitFilter{IDs: append([]string{m.ConvenerUnitID}, m.DepartmentIDs...)})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		n.Units[u.ID] = u.Name
	}
	n.Convener = n.Units[m.ConvenerUnitID]
	if len(m.EnterpriseIDs) > 0 {
		ents, _, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{IDs: m.EnterpriseIDs})
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			n.Enterprises[e.ID] = e.Name
		}
	}
	return n, nil
}

// maxChainEnterprises caps the enterprises a meeting form offers.
const maxChainEnterprises = 200

// ChainEnterprises returns the enterprises of a chain the actor may
// arrange meetings of, by name, for the attendee choice.
func (s *MeetingService) ChainEnterprises(ctx context.Context, chainID string) ([]*Enterprise, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if ok, err := s.mayManage(ctx, a, chainID); err != nil || !ok {
		return nil, err
	}
	ents, _, err := s.Enterprises.FindEnterprises(ctx, EnterpriseFilter{ChainID: &chainID, Limit: maxChainEnterprises})
	return ents, err
}

// LinkableRequests returns open requests of m's chain the actor may see
// and link as topics, newest first.
func (s *MeetingService) LinkableRequests(ctx context.Context, m *Meeting) ([]*Request, error) {
	page, err := s.Requests.List(ctx, RequestQuery{Status: "open", PerPage: MaxRequestsPerPage})
	if err != nil {
		return nil, err
	}
	var out []*Request
	for _, r := range page.Items {
		if slices.Contains(r.ChainIDs, m.ChainID) && !slices.ContainsFunc(m.Topics, func(t Topic) bool { return t.RequestID == r.ID }) {
			out = append(out, r)
		}
	}
	return out, nil
}

// CheckSource confirms that meeting id, which the actor in ctx sees, is of
// channel ch, and returns its title: requests raised there name it.
func (s *MeetingService) CheckSource(ctx context.Context, ch Channel, id string) (string, error) {
	m, err := s.Get(ctx, id)
	if err != nil {
		return "", err
	}
	if m.Type.Channel() != ch {
		return "", Errorf(EINVALID, "来源是%s，渠道应为“%s”", MeetingTypeNames[m.Type], ChannelNames[m.Type.Channel()])
	}
	return m.Title, nil
}
