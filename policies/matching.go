package policies

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"github.com/huiqi/huiqi/portal"
)

// EnterpriseSource is what matchmaking reads and writes of enterprises.
type EnterpriseSource interface {
	FindEnterpriseByID(ctx context.Context, id string) (*portal.Enterprise, error)
	// ScanEnterprises calls fn with successive batches of the enterprises f
	// selects, ignoring f's paging.
	ScanEnterprises(ctx context.Context, f portal.EnterpriseFilter, batch int, fn func([]*portal.Enterprise) error) error
	// UpdateEnterpriseProfile replaces the profile, recomputing its size
	// class from the stored industry, and returns the enterprise after.
	UpdateEnterpriseProfile(ctx context.Context, id string, p portal.EnterpriseProfile) (*portal.Enterprise, error)
}

// EnterpriseVisibility returns an enterprise the actor in ctx may see and
// ENOTFOUND for any other (portal.EnterpriseService).
type EnterpriseVisibility interface {
	Get(ctx context.Context, id string) (*portal.Enterprise, error)
}

// MatchQueue asks for matching to run in the background.
type MatchQueue interface {
	EnqueuePolicyMatch(ctx context.Context, policyID string, version int) error
	// EnqueueEnterpriseMatch asks to re-match an enterprise whose profile
	// changed at stamp.
	EnqueueEnterpriseMatch(ctx context.Context, enterpriseID string, stamp time.Time) error
}

// DefaultCacheFor is how long a Matcher keeps the published policies: a
// publish in the same process shows at once, a revocation or an edit made
// elsewhere within this time.
const DefaultCacheFor = 30 * time.Second

// scanBatch is how many enterprises matching reads and notifies at a time.
const scanBatch = 500

// Matcher brings enterprises and policies together: which published
// policies an enterprise qualifies for and why, which enterprises qualify
// for a policy, the 免申即享 list, profile edits that change the answers, and
// the background jobs that tell enterprises and their liaisons.
type Matcher struct {
	Policies      Store
	Enterprises   EnterpriseSource
	Visibility    EnterpriseVisibility
	Users         portal.UserStore
	Notifications portal.NotificationStore
	Queue         MatchQueue
	Audit         *portal.Auditor
	Now           func() time.Time
	// Location is the district's zone: what "today" is and how dates read.
	Location *time.Location
	// CacheFor is how long the compiled published policies are reused:
	// 0 means DefaultCacheFor, a negative value loads them on every call.
	CacheFor time.Duration

	mu       sync.Mutex
	cached   []*Compiled
	cachedAt time.Time
}

var systemActor = &portal.Actor{Username: "system", DisplayName: "系统"}

func (m *Matcher) loc() *time.Location {
	if m.Location == nil {
		return time.UTC
	}
	return m.Location
}

// published returns the published policies, compiled. The list is shared
// between callers for CacheFor: an enterprise's match page then costs the
// matching alone, not a read of every policy document.
func (m *Matcher) published(ctx context.Context) ([]*Compiled, error) {
	ttl := m.CacheFor
	if ttl == 0 {
		ttl = DefaultCacheFor
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	// The cache's age is wall-clock time: it bounds staleness for people,
	// whatever clock the business rules run on.
	if ttl > 0 && m.cached != nil && time.Since(m.cachedAt) < ttl {
		return m.cached, nil
	}
	status := StatusPublished
	ps, _, err := m.Policies.FindPolicies(ctx, Filter{Status: &status})
	if err != nil {
		return nil, err
	}
	out := make([]*Compiled, len(ps))
	for i, p := range ps {
		out[i] = Compile(p)
	}
	m.cached, m.cachedAt = out, time.Now()
	return out, nil
}

// Invalidate drops the cached published policies.
func (m *Matcher) Invalidate() {
	m.mu.Lock()
	m.cached = nil
	m.mu.Unlock()
}

// PolicySummary is what a match shows of a policy.
type PolicySummary struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Issuer     string     `json:"issuer"`
	Level      Level      `json:"level"`
	Category   Category   `json:"category"`
	Kind       Kind       `json:"kind"`
	Summary    string     `json:"summary"`
	Benefit    string     `json:"benefit,omitempty"`
	MaxAmount  float64    `json:"max_amount,omitempty"`
	ApplyStart *time.Time `json:"apply_start,omitempty"`
	ApplyEnd   *time.Time `json:"apply_end,omitempty"`
	AutoGrant  bool       `json:"auto_grant"`
}

func summarize(p *Policy) PolicySummary {
	return PolicySummary{ID: p.ID, Title: p.Title, Issuer: p.Issuer, Level: p.Level, Category: p.Category, Kind: p.Kind,
		Summary: p.Summary, Benefit: p.Benefit, MaxAmount: p.MaxAmount, ApplyStart: p.ApplyStart, ApplyEnd: p.ApplyEnd, AutoGrant: p.AutoGrant}
}

// PolicyMatch is how an enterprise stands against one policy, with the
// reasons people read.
type PolicyMatch struct {
	Policy PolicySummary `json:"policy"`
	Match
	Reasons []string `json:"reasons"`
}

// EnterpriseMatches are the open published policies an enterprise
// qualifies for, misses by one condition, or cannot be judged for until
// its profile is completed. Policies it misses by two or more are left out.
type EnterpriseMatches struct {
	EnterpriseID string        `json:"enterprise_id"`
	Eligible     []PolicyMatch `json:"eligible"`
	NearMiss     []PolicyMatch `json:"near_miss"`
	NeedsInfo    []PolicyMatch `json:"needs_info"`
}

// MatchForEnterprise matches an enterprise the actor may see against every
// published policy open for applications now.
func (m *Matcher) MatchForEnterprise(ctx context.Context, enterpriseID string) (*EnterpriseMatches, error) {
	e, err := m.Visibility.Get(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	list, err := m.published(ctx)
	if err != nil {
		return nil, err
	}
	now := m.Now()
	out := &EnterpriseMatches{EnterpriseID: e.ID, Eligible: []PolicyMatch{}, NearMiss: []PolicyMatch{}, NeedsInfo: []PolicyMatch{}}
	for _, c := range list {
		// Most policies miss most enterprises by several conditions: the
		// cheap status leaves those out before any reason is written.
		if !c.Policy.OpenAt(now) || c.Status(e, now) == Ineligible {
			continue
		}
		r := c.Match(e, now)
		pm := PolicyMatch{Policy: summarize(c.Policy), Match: r, Reasons: r.Reasons()}
		switch r.Status {
		case Eligible:
			out.Eligible = append(out.Eligible, pm)
		case NearMiss:
			out.NearMiss = append(out.NearMiss, pm)
		case NeedsInfo:
			out.NeedsInfo = append(out.NeedsInfo, pm)
		}
	}
	return out, nil
}

// readable reports whether a may read p, as Service.Get decides.
func readable(a *portal.Actor, p *Policy) bool {
	return canEdit(a) || p.Status == StatusPublished || p.Status == StatusExpired
}

// policyFor returns the policy for an actor who may read it, else ENOTFOUND.
func (m *Matcher) policyFor(ctx context.Context, a *portal.Actor, id string) (*Policy, error) {
	p, err := m.Policies.FindPolicyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !readable(a, p) {
		return nil, portal.Errorf(portal.ENOTFOUND, "政策不存在")
	}
	return p, nil
}

// EnterpriseBrief is what a policy's match list shows of an enterprise.
type EnterpriseBrief struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	USCC          string `json:"uscc"`
	SubdistrictID string `json:"subdistrict_id,omitempty"`
	LiaisonID     string `json:"liaison_id,omitempty"`
}

// EnterpriseMatch is how one enterprise stands against a policy.
type EnterpriseMatch struct {
	Enterprise EnterpriseBrief `json:"enterprise"`
	Match
	Reasons []string `json:"reasons"`
}

// PolicyMatchPage is one page of the enterprises that qualify for a policy
// or miss it by one condition: eligible first, then by name.
type PolicyMatchPage struct {
	PolicyID string            `json:"policy_id"`
	Items    []EnterpriseMatch `json:"items"`
	Total    int               `json:"total"`
	Eligible int               `json:"eligible"`
	NearMiss int               `json:"near_miss"`
	Page     int               `json:"page"`
	PerPage  int               `json:"per_page"`
}

// Policy match list paging.
const (
	DefaultMatchesPerPage = 20
	MaxMatchesPerPage     = 100
	maxMatchesPage        = 10000
)

// MatchesForPolicy lists, page by page, the enterprises eligible for a
// policy or missing it by one condition: all of them for an admin, their
// caseload for a liaison. Anyone else who may read the policy gets
// EFORBIDDEN, and ENOTFOUND when they may not.
func (m *Matcher) MatchesForPolicy(ctx context.Context, policyID string, page, perPage int) (*PolicyMatchPage, error) {
	a := portal.ActorFrom(ctx)
	if a == nil {
		return nil, portal.Errorf(portal.EUNAUTHENTICATED, "请先登录")
	}
	p, err := m.policyFor(ctx, a, policyID)
	if err != nil {
		return nil, err
	}
	var f portal.EnterpriseFilter
	switch {
	case a.IsAdmin():
	case a.Has(portal.RoleLiaison):
		id := a.UserID
		f.LiaisonID = &id
	default:
		return nil, portal.Errorf(portal.EFORBIDDEN, "只有专班联络员和系统管理员可以查看政策的匹配企业")
	}
	if page == 0 {
		page = 1
	}
	if perPage == 0 {
		perPage = DefaultMatchesPerPage
	}
	fields := map[string]string{}
	if page < 1 || page > maxMatchesPage {
		fields["page"] = fmt.Sprintf("页码必须是 1–%d 的整数", maxMatchesPage)
	}
	if perPage < 1 || perPage > MaxMatchesPerPage {
		fields["per_page"] = fmt.Sprintf("每页条数应为 1–%d", MaxMatchesPerPage)
	}
	if len(fields) > 0 {
		return nil, portal.Invalid("查询参数有误", fields)
	}
	c, now := Compile(p), m.Now()
	out := &PolicyMatchPage{PolicyID: p.ID, Items: []EnterpriseMatch{}, Page: page, PerPage: perPage}
	var all []EnterpriseMatch
	err = m.Enterprises.ScanEnterprises(ctx, f, scanBatch, func(es []*portal.Enterprise) error {
		for _, e := range es {
			switch c.Status(e, now) {
			case Eligible:
				out.Eligible++
			case NearMiss:
				out.NearMiss++
			default:
				continue
			}
			r := c.Match(e, now)
			all = append(all, EnterpriseMatch{Match: r, Reasons: r.Reasons(), Enterprise: EnterpriseBrief{
				ID: e.ID, Name: e.Name, USCC: e.USCC, SubdistrictID: e.SubdistrictID, LiaisonID: e.LiaisonID}})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(x, y EnterpriseMatch) int {
		return cmp.Or(cmp.Compare(statusRank(x.Status), statusRank(y.Status)),
			strings.Compare(x.Enterprise.Name, y.Enterprise.Name), strings.Compare(x.Enterprise.ID, y.Enterprise.ID))
	})
	out.Total = len(all)
	if start := (page - 1) * perPage; start < len(all) {
		out.Items = all[start:min(start+perPage, len(all))]
	}
	return out, nil
}

func statusRank(s MatchStatus) int {
	if s == Eligible {
		return 0
	}
	return 1
}

// AutoGrantEntry is one enterprise of a 免申即享 list.
type AutoGrantEntry struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	USCC         string `json:"uscc"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	Address      string `json:"address,omitempty"`
}

// AutoGrantList is everyone eligible for a 免申即享 policy: the benefit is
// granted without an application, so the department works from this list.
type AutoGrantList struct {
	Policy      PolicySummary    `json:"policy"`
	GeneratedAt time.Time        `json:"generated_at"`
	Items       []AutoGrantEntry `json:"items"`
	Total       int              `json:"total"`
}

// AutoGrant lists the enterprises eligible for an auto-grant policy, by
// name, for editors and admins; the export of contact data is audited.
func (m *Matcher) AutoGrant(ctx context.Context, policyID string) (*AutoGrantList, error) {
	a := portal.ActorFrom(ctx)
	if a == nil {
		return nil, portal.Errorf(portal.EUNAUTHENTICATED, "请先登录")
	}
	p, err := m.policyFor(ctx, a, policyID)
	if err != nil {
		return nil, err
	}
	if !canEdit(a) {
		return nil, portal.Errorf(portal.EFORBIDDEN, "只有政策编辑或系统管理员可以导出免申即享名单")
	}
	if !p.AutoGrant {
		return nil, portal.Errorf(portal.EUNPROCESSABLE, "该政策不是免申即享政策，没有免申即享名单")
	}
	c, now := Compile(p), m.Now()
	out := &AutoGrantList{Policy: summarize(p), GeneratedAt: now.UTC(), Items: []AutoGrantEntry{}}
	err = m.Enterprises.ScanEnterprises(ctx, portal.EnterpriseFilter{}, scanBatch, func(es []*portal.Enterprise) error {
		for _, e := range es {
			if c.Status(e, now) == Eligible {
				out.Items = append(out.Items, AutoGrantEntry{ID: e.ID, Name: e.Name, USCC: e.USCC,
					ContactName: e.ContactName, ContactPhone: e.ContactPhone, Address: e.Address})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.Items, func(x, y AutoGrantEntry) int {
		return cmp.Or(strings.Compare(x.Name, y.Name), strings.Compare(x.USCC, y.USCC))
	})
	out.Total = len(out.Items)
	if err := m.Audit.Record(ctx, "policy.auto_grant_list", "policy", p.ID, portal.OutcomeOK,
		fmt.Sprintf("version %d, %d enterprises", p.Version, out.Total)); err != nil {
		return nil, portal.Internal(err)
	}
	return out, nil
}

// ProfileInput is the profile (一企一档) as a form or the API sends it; an
// absent figure is unknown, which matching reports as needs_info.
type ProfileInput struct {
	Employees      *int     `json:"employees"`
	Revenue        *float64 `json:"revenue"` // 万元
	Assets         *float64 `json:"assets"`  // 万元
	Founded        string   `json:"founded"` // YYYY-MM-DD
	TaxRating      string   `json:"tax_rating"`
	Qualifications []string `json:"qualifications"`
}

// profile converts and checks the input, naming every bad field at once;
// today is the district's current date.
func (in ProfileInput) profile(today time.Time) (portal.EnterpriseProfile, error) {
	p := portal.EnterpriseProfile{Employees: in.Employees, Revenue: in.Revenue, Assets: in.Assets,
		TaxRating: strings.ToUpper(strings.TrimSpace(in.TaxRating)), Qualifications: cleanList(in.Qualifications)}
	fields := map[string]string{}
	if s := strings.TrimSpace(in.Founded); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			fields["founded"] = "成立日期应为 YYYY-MM-DD，例如 2018-06-01"
		} else {
			p.Founded = &t
		}
	}
	if err := p.Validate(today); err != nil {
		if portal.ErrorCode(err) != portal.EINVALID {
			return p, err
		}
		for k, v := range portal.ErrorFields(err) {
			fields[k] = v
		}
	}
	if len(fields) > 0 {
		return p, portal.Invalid("企业档案有误", fields)
	}
	return p, nil
}

// profileChanges names the profile fields that differ between a and b.
func profileChanges(a, b portal.EnterpriseProfile) []string {
	var out []string
	eqPtr := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	if (a.Employees == nil) != (b.Employees == nil) || (a.Employees != nil && *a.Employees != *b.Employees) {
		out = append(out, "employees")
	}
	if !eqPtr(a.Revenue, b.Revenue) {
		out = append(out, "revenue")
	}
	if !eqPtr(a.Assets, b.Assets) {
		out = append(out, "assets")
	}
	if (a.Founded == nil) != (b.Founded == nil) || (a.Founded != nil && !a.Founded.Equal(*b.Founded)) {
		out = append(out, "founded")
	}
	if a.TaxRating != b.TaxRating {
		out = append(out, "tax_rating")
	}
	if !slices.Equal(a.Qualifications, b.Qualifications) {
		out = append(out, "qualifications")
	}
	return out
}

// canEditProfile reports whether a may change e's profile: an admin, the
// enterprise's own staff, or its liaison.
func canEditProfile(a *portal.Actor, e *portal.Enterprise) bool {
	return a.IsAdmin() ||
		(a.Has(portal.RoleEnterprise) && a.EnterpriseID == e.ID) ||
		(a.Has(portal.RoleLiaison) && e.LiaisonID != "" && e.LiaisonID == a.UserID)
}

// UpdateProfile replaces an enterprise's profile (一企一档) and asks for it
// to be matched again. Whoever may see the enterprise but not edit it gets
// EFORBIDDEN; everyone else ENOTFOUND. Bad input changes nothing.
func (m *Matcher) UpdateProfile(ctx context.Context, enterpriseID string, in ProfileInput) (*portal.Enterprise, error) {
	e, err := m.Visibility.Get(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	if !canEditProfile(portal.ActorFrom(ctx), e) {
		return nil, portal.Errorf(portal.EFORBIDDEN, "只有系统管理员、本企业用户或包干联络员可以修改企业档案")
	}
	d := m.Now().In(m.loc())
	prof, err := in.profile(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	changed := profileChanges(e.Profile, prof)
	if len(changed) == 0 {
		return e, nil
	}
	out, err := m.Enterprises.UpdateEnterpriseProfile(ctx, e.ID, prof)
	if err != nil {
		return nil, err
	}
	if err := m.Audit.Record(ctx, "enterprise.profile", "enterprise", e.ID, portal.OutcomeOK,
		"changed: "+strings.Join(changed, ", ")); err != nil {
		return nil, portal.Internal(err)
	}
	// The match page is computed live, so a lost re-match task (Redis down)
	// only costs the in-app notification, not a wrong answer.
	if m.Queue != nil {
		_ = m.Queue.EnqueueEnterpriseMatch(ctx, out.ID, out.UpdatedAt)
	}
	return out, nil
}

// PolicyPublished is the Service's OnPublish hook: the next match page
// sees the policy at once, and the enterprises that qualify are told.
func (m *Matcher) PolicyPublished(ctx context.Context, p *Policy) error {
	m.Invalidate()
	if m.Queue == nil {
		return nil
	}
	return m.Queue.EnqueuePolicyMatch(ctx, p.ID, p.Version)
}

// Task types of matchmaking.
const (
	TypePolicyMatch     = "policy:match"        // tell the enterprises a newly published policy suits
	TypeEnterpriseMatch = "enterprise:match"    // tell an enterprise of policies its new profile suits
	TypeMatchRepair     = "policy:match-repair" // enqueue policy:match for recently changed published policies
)

type policyMatchPayload struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

type enterpriseMatchPayload struct {
	ID string `json:"id"`
}

// AsynqMatchQueue enqueues matching tasks on asynq. Task ids are natural
// keys, so asking twice for the same policy version or the same profile
// change runs the task once.
type AsynqMatchQueue struct {
	Client *asynq.Client
}

// matchRetention keeps finished matching tasks, and so their ids, for a day.
const matchRetention = 24 * time.Hour

// EnqueuePolicyMatch enqueues policy:match:<id>:<version>.
func (q *AsynqMatchQueue) EnqueuePolicyMatch(ctx context.Context, policyID string, version int) error {
	payload, _ := json.Marshal(policyMatchPayload{ID: policyID, Version: version})
	return enqueueOnce(ctx, q.Client, asynq.NewTask(TypePolicyMatch, payload), PolicyMatchTaskID(policyID, version))
}

// EnqueueEnterpriseMatch enqueues enterprise:match:<id>:<stamp in ms>.
func (q *AsynqMatchQueue) EnqueueEnterpriseMatch(ctx context.Context, enterpriseID string, stamp time.Time) error {
	payload, _ := json.Marshal(enterpriseMatchPayload{ID: enterpriseID})
	return enqueueOnce(ctx, q.Client, asynq.NewTask(TypeEnterpriseMatch, payload),
		fmt.Sprintf("%s:%s:%d", TypeEnterpriseMatch, enterpriseID, stamp.UnixMilli()))
}

// PolicyMatchTaskID is the task id of matching one version of a policy.
func PolicyMatchTaskID(policyID string, version int) string {
	return fmt.Sprintf("%s:%s:%d", TypePolicyMatch, policyID, version)
}

func enqueueOnce(ctx context.Context, c *asynq.Client, t *asynq.Task, id string) error {
	_, err := c.EnqueueContext(ctx, t, asynq.TaskID(id), asynq.MaxRetry(10), asynq.Retention(matchRetention))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return err
}

// HandlePolicyMatchTask tells the enterprises a published policy suits.
// Running it twice notifies nobody twice.
func (m *Matcher) HandlePolicyMatchTask(ctx context.Context, t *asynq.Task) error {
	var p policyMatchPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ID == "" {
		return fmt.Errorf("%s payload %q: %v: %w", TypePolicyMatch, t.Payload(), err, asynq.SkipRetry)
	}
	_, err := m.NotifyPolicyMatches(ctx, p.ID)
	return err
}

// HandleEnterpriseMatchTask tells an enterprise's users of the open
// policies it now qualifies for. Running it twice notifies nobody twice.
func (m *Matcher) HandleEnterpriseMatchTask(ctx context.Context, t *asynq.Task) error {
	var p enterpriseMatchPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ID == "" {
		return fmt.Errorf("%s payload %q: %v: %w", TypeEnterpriseMatch, t.Payload(), err, asynq.SkipRetry)
	}
	_, err := m.NotifyEnterpriseMatches(ctx, p.ID)
	return err
}

// HandleMatchRepairTask enqueues policy:match for every published policy
// changed within RepairWindow: a publish whose task was lost with Redis is
// matched after all, and one whose criteria changed is matched again.
func (m *Matcher) HandleMatchRepairTask(ctx context.Context, _ *asynq.Task) error {
	if m.Queue == nil {
		return nil
	}
	changed, err := m.Policies.UpdatedSince(ctx, m.Now().Add(-RepairWindow))
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(changed))
	for id := range changed {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil
	}
	status := StatusPublished
	ps, _, err := m.Policies.FindPolicies(ctx, Filter{IDs: ids, Status: &status})
	if err != nil {
		return err
	}
	now := m.Now()
	for _, p := range ps {
		if !p.OpenAt(now) {
			continue
		}
		if err := m.Queue.EnqueuePolicyMatch(ctx, p.ID, p.Version); err != nil {
			return err
		}
	}
	return nil
}

// MatchRun counts what one matching job did.
type MatchRun struct {
	Eligible      int // enterprises eligible
	NearMiss      int // enterprises missing by one condition
	Notified      int // notifications written now (repeats are not counted)
	LiaisonDigest int // liaison digests written now
}

// liaisonDigest is what one liaison hears of a policy.
type liaisonDigest struct {
	eligible []string // enterprise names
	nearMiss int
}

// NotifyPolicyMatches matches a published, open policy against every
// enterprise in batches, notifies each eligible enterprise's active users
// (dedup key match:<policy>:<user>) and then each liaison once with how
// many of their caseload qualify and how many miss by one condition
// (digest:<policy>:<liaison>). A policy that is gone, not published or
// closed is left alone.
func (m *Matcher) NotifyPolicyMatches(ctx context.Context, policyID string) (*MatchRun, error) {
	run := &MatchRun{}
	p, err := m.Policies.FindPolicyByID(ctx, policyID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return run, nil
	}
	if err != nil {
		return nil, err
	}
	now := m.Now()
	if p.Status != StatusPublished || !p.OpenAt(now) {
		return run, nil
	}
	ctx = portal.WithActor(ctx, systemActor)
	c := Compile(p)
	digests := map[string]*liaisonDigest{}
	err = m.Enterprises.ScanEnterprises(ctx, portal.EnterpriseFilter{}, scanBatch, func(es []*portal.Enterprise) error {
		var eligible []*portal.Enterprise
		for _, e := range es {
			status := c.Status(e, now)
			switch status {
			case Eligible:
				run.Eligible++
				eligible = append(eligible, e)
			case NearMiss:
				run.NearMiss++
			default:
				continue
			}
			if e.LiaisonID != "" {
				d := digests[e.LiaisonID]
				if d == nil {
					d = &liaisonDigest{}
					digests[e.LiaisonID] = d
				}
				if status == Eligible {
					d.eligible = append(d.eligible, e.Name)
				} else {
					d.nearMiss++
				}
			}
		}
		n, err := m.notifyEnterprises(ctx, []*Policy{p}, eligible)
		run.Notified += n
		return err
	})
	if err != nil {
		return nil, err
	}
	// Digests go last: a run that failed half-way writes none, and its
	// retry counts the whole caseload.
	if run.LiaisonDigest, err = m.notifyLiaisons(ctx, p, digests); err != nil {
		return nil, err
	}
	if err := m.Audit.Record(ctx, "policy.match", "policy", p.ID, portal.OutcomeOK,
		fmt.Sprintf("version %d: %d eligible, %d near miss, %d notified, %d liaison digests",
			p.Version, run.Eligible, run.NearMiss, run.Notified, run.LiaisonDigest)); err != nil {
		return nil, portal.Internal(err)
	}
	return run, nil
}

// NotifyEnterpriseMatches tells an enterprise's active users of every open
// published policy it qualifies for that they have not yet heard of.
func (m *Matcher) NotifyEnterpriseMatches(ctx context.Context, enterpriseID string) (*MatchRun, error) {
	run := &MatchRun{}
	e, err := m.Enterprises.FindEnterpriseByID(ctx, enterpriseID)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return run, nil
	}
	if err != nil {
		return nil, err
	}
	list, err := m.published(ctx)
	if err != nil {
		return nil, err
	}
	now := m.Now()
	var eligible []*Policy
	for _, c := range list {
		if c.Policy.OpenAt(now) && c.Status(e, now) == Eligible {
			eligible = append(eligible, c.Policy)
		}
	}
	run.Eligible = len(eligible)
	ctx = portal.WithActor(ctx, systemActor)
	if run.Notified, err = m.notifyEnterprises(ctx, eligible, []*portal.Enterprise{e}); err != nil {
		return nil, err
	}
	if run.Notified > 0 {
		if err := m.Audit.Record(ctx, "enterprise.match", "enterprise", e.ID, portal.OutcomeOK,
			fmt.Sprintf("%d eligible policies, %d notified", run.Eligible, run.Notified)); err != nil {
			return nil, portal.Internal(err)
		}
	}
	return run, nil
}

// notifyEnterprises tells the active users of each enterprise that it
// qualifies for each policy, and returns how many notifications are new.
func (m *Matcher) notifyEnterprises(ctx context.Context, ps []*Policy, es []*portal.Enterprise) (int, error) {
	if len(ps) == 0 || len(es) == 0 {
		return 0, nil
	}
	names := make(map[string]string, len(es))
	ids := make([]string, 0, len(es))
	for _, e := range es {
		names[e.ID] = e.Name
		ids = append(ids, e.ID)
	}
	role, active := portal.RoleEnterprise, portal.UserActive
	users, _, err := m.Users.FindUsers(ctx, portal.UserFilter{EnterpriseIn: ids, Role: &role, Status: &active})
	if err != nil {
		return 0, err
	}
	var ns []*portal.Notification
	for _, p := range ps {
		for _, u := range users {
			ns = append(ns, &portal.Notification{
				UserID: u.ID, Kind: portal.NotifyPolicyMatch, Link: "/policies/" + p.ID,
				Title:    "可申报政策：" + p.Title,
				Body:     fmt.Sprintf("%s符合《%s》的申报条件。%s", names[u.EnterpriseID], p.Title, m.benefitLine(p)),
				DedupKey: "match:" + p.ID + ":" + u.ID,
			})
		}
	}
	if len(ns) == 0 {
		return 0, nil
	}
	return m.Notifications.CreateNotifications(ctx, ns)
}

// benefitLine says what the policy gives and until when, if known.
func (m *Matcher) benefitLine(p *Policy) string {
	var parts []string
	if p.Benefit != "" {
		parts = append(parts, "扶持内容："+strings.TrimSuffix(p.Benefit, "。")+"。")
	}
	if p.AutoGrant {
		parts = append(parts, "本政策免申即享，无需申报。")
	} else if p.ApplyEnd != nil {
		// apply_end is the first instant after the period: the last day is the one before it.
		parts = append(parts, "申报截止："+p.ApplyEnd.Add(-time.Nanosecond).In(m.loc()).Format("2006年1月2日")+"。")
	}
	return strings.Join(parts, "")
}

// digestNames is how many enterprise names a liaison digest spells out.
const digestNames = 10

// notifyLiaisons writes one digest per active liaison with qualifying
// enterprises in their caseload, and returns how many are new.
func (m *Matcher) notifyLiaisons(ctx context.Context, p *Policy, digests map[string]*liaisonDigest) (int, error) {
	ids := make([]string, 0, len(digests))
	for id, d := range digests {
		if len(d.eligible) > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	slices.Sort(ids)
	role, active := portal.RoleLiaison, portal.UserActive
	liaisons, _, err := m.Users.FindUsers(ctx, portal.UserFilter{IDs: ids, Role: &role, Status: &active})
	if err != nil {
		return 0, err
	}
	ns := make([]*portal.Notification, 0, len(liaisons))
	for _, u := range liaisons {
		d := digests[u.ID]
		slices.Sort(d.eligible)
		var body strings.Builder
		n := len(d.eligible)
		shown := d.eligible[:min(n, digestNames)]
		fmt.Fprintf(&body, "您包干的企业中有 %d 家符合《%s》的申报条件：%s", n, p.Title, strings.Join(shown, "、"))
		if n > len(shown) {
			fmt.Fprintf(&body, "等 %d 家", n)
		}
		body.WriteString("。")
		if d.nearMiss > 0 {
			fmt.Fprintf(&body, "另有 %d 家仅差一项条件，可上门辅导补齐。", d.nearMiss)
		}
		ns = append(ns, &portal.Notification{
			UserID: u.ID, Kind: portal.NotifyPolicyDigest, Link: "/policies/" + p.ID,
			Title:    fmt.Sprintf("包干企业政策匹配：%d 家符合《%s》", len(d.eligible), p.Title),
			Body:     body.String(),
			DedupKey: "digest:" + p.ID + ":" + u.ID,
		})
	}
	if len(ns) == 0 {
		return 0, nil
	}
	return m.Notifications.CreateNotifications(ctx, ns)
}
