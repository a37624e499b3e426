package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal/workcal"
)

// SLAService runs the SLA plans (时限方案): admins edit the matrix of
// limits per request type and tier, admins and dispatchers read it and
// preview deadlines, and the request service computes every request's
// deadlines through it (it is the Deadliner). A saved matrix applies to
// requests dispatched afterwards; each request records the plan id and
// version it runs on.
type SLAService struct {
	Store    SLAPlanStore
	Calendar *CalendarService
	Audit    *Auditor
	Log      *slog.Logger
	Now      func() time.Time
}

var (
	_ Deadliner   = (*SLAService)(nil)
	_ LegExtender = (*SLAService)(nil)
)

func (s *SLAService) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *SLAService) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// current returns the matrix in force: the newest stored version, or the
// defaults while nobody has saved one.
func (s *SLAService) current(ctx context.Context) (*SLAPlans, error) {
	m, err := s.Store.CurrentSLAPlans(ctx)
	if IsCode(err, ENOTFOUND) {
		return DefaultSLAPlans(), nil
	}
	return m, err
}

// plansAt returns version v of the matrix; a version that is not stored
// (only a database restored without it) falls back to the one in force.
func (s *SLAService) plansAt(ctx context.Context, v int) (*SLAPlans, error) {
	if v == 0 {
		return DefaultSLAPlans(), nil
	}
	m, err := s.Store.SLAPlansVersion(ctx, v)
	if IsCode(err, ENOTFOUND) {
		s.log().Warn("sla plan version not stored; using the one in force", "version", v)
		return s.current(ctx)
	}
	return m, err
}

// denySLAReaders lets admins and dispatchers read the plans.
func denySLAReaders(ctx context.Context) error {
	if err := denyVisitors(ctx); err != nil {
		return err
	}
	if !ActorFrom(ctx).HasAny(RoleAdmin, RoleDispatcher) {
		return Errorf(EFORBIDDEN, "只有系统管理员和分拨员可以查看时限方案")
	}
	return nil
}

// Plans returns the matrix in force (admins and dispatchers).
func (s *SLAService) Plans(ctx context.Context) (*SLAPlans, error) {
	if err := denySLAReaders(ctx); err != nil {
		return nil, err
	}
	return s.current(ctx)
}

// History returns one page of the saved versions, newest first, and how
// many there are (admins).
func (s *SLAService) History(ctx context.Context, offset, limit int) ([]*SLAPlans, int, error) {
	if err := denyUnlessAdminRead(ctx); err != nil {
		return nil, 0, err
	}
	return s.Store.FindSLAPlanVersions(ctx, offset, limit)
}

// SLAPlansInput is a whole new matrix, based on version Version of the
// one in force (0 for the defaults).
type SLAPlansInput struct {
	Version int       `json:"version"`
	Plans   []SLAPlan `json:"plans"`
}

// businessDay returns the business time of one working day of cal.
func businessDay(cal *workcal.Calendar) time.Duration {
	var d time.Duration
	for _, w := range cal.BusinessHours() {
		d += time.Duration(w.To-w.From) * time.Minute
	}
	return d
}

// Save stores in as the next version of the matrix (admins only). Every
// type×tier must be there once with valid limits, else EINVALID naming
// each; in.Version must be the version in force, else ECONFLICT. Nothing
// changes on error, and a matrix equal to the one in force is not stored
// again: the answer is then the version in force.
func (s *SLAService) Save(ctx context.Context, in SLAPlansInput) (*SLAPlans, error) {
	if err := denyUnlessAdmin(ctx, s.Audit, "sla.save", "sla_plans", ""); err != nil {
		return nil, err
	}
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	bad := checkSLAPlans(in.Plans, businessDay(cal))
	if in.Version < 0 {
		bad["version"] = "版本号不能为负数"
	}
	if len(bad) > 0 {
		return nil, Invalid("时限方案有误", bad)
	}
	cur, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if in.Version != cur.Version {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("时限方案已被他人修改（现为第 %d 版），请刷新后重试", cur.Version),
			Fields: map[string]string{"version": strconv.Itoa(cur.Version)}}
	}
	next := &SLAPlans{Version: cur.Version + 1, Plans: make([]SLAPlan, 0, len(in.Plans))}
	for _, t := range RequestTypes {
		for _, tier := range SLATiers {
			for _, p := range in.Plans {
				if p.Type == t && p.Tier == tier {
					next.Plans = append(next.Plans, p)
				}
			}
		}
	}
	changes := diffSLAPlans(cur, next)
	if len(changes) == 0 {
		return cur, nil
	}
	a := ActorFrom(ctx)
	next.UpdatedBy, next.UpdatedByName, next.UpdatedAt = a.UserID, a.Name(), s.now().UTC()
	next.Summary = joinProblems(changes)
	if err := s.Store.SaveSLAPlans(ctx, next); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("第 %d 版：%s", next.Version, next.Summary)
	if err := s.Audit.Record(ctx, "sla.save", "sla_plans", strconv.Itoa(next.Version), OutcomeOK, detail); err != nil {
		return nil, Internal(err)
	}
	return next, nil
}

// diffSLAPlans lists each limit that differs between two matrices:
// "投诉 · B 级 办结：3 个工作日 → 5 个工作日".
func diffSLAPlans(old, next *SLAPlans) []string {
	var out []string
	for i := range next.Plans {
		p := &next.Plans[i]
		was := old.Plan(p.Type, p.Tier)
		for _, key := range SLALegKeys {
			now := p.LimitByKey(key)
			if was == nil || was.LimitByKey(key) != now {
				from := "无"
				if was != nil {
					from = was.LimitByKey(key).String()
				}
				out = append(out, fmt.Sprintf("%s %s：%s → %s", p.Name(), SLALegKeyNames[key], from, now))
			}
		}
	}
	return out
}

// joinCalendarVersions merges the version strings of several computations
// into one: each year's tag once, in order; "natural" only when no
// computation looked at the calendar.
func joinCalendarVersions(versions ...string) string {
	var tags []string
	for _, v := range versions {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" && t != workcal.NaturalVersion && !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	if len(tags) == 0 {
		return workcal.NaturalVersion
	}
	slices.Sort(tags)
	return strings.Join(tags, ",")
}

// computeSLA computes the legs of plan p started at start on cal.
func computeSLA(cal *workcal.Calendar, version int, p *SLAPlan, urgent bool, start time.Time) (*SLA, error) {
	sla := &SLA{PlanID: p.ID(), PlanVersion: version, Start: start.UTC(), Legs: make([]LegDeadline, 0, len(Legs))}
	versions := make([]string, 0, len(Legs))
	for _, l := range Legs {
		lim := p.Limit(l, urgent)
		due, v, err := cal.Deadline(start, lim.Amount, lim.Unit)
		if err != nil {
			return nil, Internal(fmt.Errorf("plan %s leg %s from %s: %w", p.ID(), l, start, err))
		}
		sla.Legs = append(sla.Legs, LegDeadline{Leg: l, Due: due.UTC()})
		versions = append(versions, v)
	}
	sla.CalendarVersion = joinCalendarVersions(versions...)
	return sla, nil
}

// Plan returns fresh deadlines for r handed to its department at start:
// the plan of r's type at r's tier in the matrix in force, every leg
// counted from start on the calendar in force, the urgent sign limit when
// r is urgent. The caller sets the generation.
func (s *SLAService) Plan(ctx context.Context, r *Request, start time.Time) (*SLA, error) {
	m, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	p := m.Plan(r.Type, r.Tier)
	if p == nil {
		return nil, Invalid("该诉求的类型或承办层级没有对应的时限方案", map[string]string{"tier": "承办单位层级应为 A、B 或 C"})
	}
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	return computeSLA(cal, m.Version, p, r.Urgent, start)
}

// Resume returns r's deadlines after a suspension from pausedAt to now.
// Legs already done, and legs already overdue when the request was
// paused, keep their deadline. Every other leg gets back the time the
// pause took, by the unit of its limit in the plan version r runs on:
//
//   - hours: the deadline moves by the paused natural time (now − pausedAt);
//   - working hours: the business time left at the pause
//     (WorkingTimeBetween(pausedAt, due)) is counted again from now, so
//     the business hours that passed during the pause do not count;
//   - working days: the working days that were still ahead after the
//     pause day, up to the deadline's last day, are counted again after
//     the resume day, which itself does not count — as at dispatch. A
//     pause and resume within one day changes nothing; a leg paused on its
//     last day gets the rest of a working day: to the end of the resume
//     day if it is a working day, else to the end of the next one.
//
// Moved legs lose the chasing rungs acted on, as their ladder starts
// afresh; the calendar versions of old and new legs are joined. The caller
// sets the generation.
func (s *SLAService) Resume(ctx context.Context, r *Request, pausedAt, now time.Time) (*SLA, error) {
	if r.SLA == nil {
		return nil, Internal(fmt.Errorf("resume %s: no deadlines", r.ID))
	}
	m, err := s.plansAt(ctx, r.SLA.PlanVersion)
	if err != nil {
		return nil, err
	}
	p := m.PlanByID(r.SLA.PlanID)
	if p == nil {
		p = m.Plan(r.Type, r.Tier)
	}
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	out := *r.SLA
	out.Legs = slices.Clone(r.SLA.Legs)
	versions := []string{r.SLA.CalendarVersion}
	for i := range out.Legs {
		leg := &out.Legs[i]
		leg.Rungs = slices.Clone(leg.Rungs)
		if leg.DoneAt != nil || !pausedAt.Before(leg.Due) {
			continue
		}
		unit := workcal.Hours
		if p != nil {
			unit = p.Limit(leg.Leg, r.Urgent).Unit
		} else {
			s.log().Warn("resume: plan unknown, moving deadlines by natural time", "request", r.ID, "plan", r.SLA.PlanID)
		}
		due, v, err := resumeDue(cal, unit, leg.Due, pausedAt, now)
		if err != nil {
			return nil, Internal(fmt.Errorf("resume %s leg %s: %w", r.ID, leg.Leg, err))
		}
		if !due.Equal(leg.Due) {
			leg.Due, leg.Rungs = due.UTC(), nil
		}
		versions = append(versions, v)
	}
	out.CalendarVersion = joinCalendarVersions(versions...)
	return &out, nil
}

// resumeDue moves one running deadline of a limit in unit over a pause
// from pausedAt to now, as Resume describes.
func resumeDue(cal *workcal.Calendar, unit workcal.Unit, due, pausedAt, now time.Time) (time.Time, string, error) {
	loc := cal.Location()
	switch unit {
	case workcal.WorkingDays:
		last := workcal.DateOf(due.Add(-time.Nanosecond), loc)
		if left := cal.WorkingDaysBetween(workcal.DateOf(pausedAt, loc), last); left > 0 {
			return cal.AddWorkingDays(now, left)
		}
		if d := workcal.DateOf(now, loc); cal.IsWorkingDay(d) {
			return d.AddDays(1).In(loc, 0), cal.Version(d, d), nil
		}
		return cal.AddWorkingDays(now, 1)
	case workcal.WorkingHours:
		if left := cal.WorkingTimeBetween(pausedAt, due); left > 0 {
			return cal.AddWorkingTime(now, left)
		}
	}
	// Natural hours, and a working-hour deadline outside business hours
	// (set by an extension) with no business time left before it.
	return due.Add(now.Sub(pausedAt)), workcal.NaturalVersion, nil
}

// MaxExtensionDays bounds an extension asked as a number of working days.
const MaxExtensionDays = 30

// ExtendByWorkingDays returns the end of the nth working day after the
// day a deadline falls in (after its last day, for a deadline at the end
// of a day), with the calendar version used.
func (s *SLAService) ExtendByWorkingDays(ctx context.Context, due time.Time, n int) (time.Time, string, error) {
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return time.Time{}, "", err
	}
	at, v, err := cal.AddWorkingDays(due.Add(-time.Nanosecond), n)
	if err != nil {
		return time.Time{}, "", Internal(err)
	}
	return at.UTC(), v, nil
}

// Location returns the district's zone the calendar computes in.
func (s *SLAService) Location() *time.Location { return s.Calendar.zone() }

// SLAPreviewQuery asks when a request would be due, each value as
// written: Type a request type, Tier A, B or C, Urgent true or false (empty
// is false), Start as the calendar preview reads it (empty is now).
type SLAPreviewQuery struct {
	Type, Tier, Urgent, Start string
}

// SLAPreviewLeg is one leg of a preview.
type SLAPreviewLeg struct {
	Leg   Leg       `json:"leg"`
	Name  string    `json:"name"`  // 签收, 答复, 办结
	Limit string    `json:"limit"` // "24 小时"
	Due   time.Time `json:"due"`   // in district time
}

// SLAPreview is when a request of a type dispatched to a tier at a start
// would be due, under the matrix and calendar in force.
type SLAPreview struct {
	Type            RequestType     `json:"type"`
	Tier            Tier            `json:"tier"`
	Urgent          bool            `json:"urgent"`
	PlanID          string          `json:"plan_id"`
	PlanVersion     int             `json:"plan_version"`
	Start           time.Time       `json:"start"`
	Legs            []SLAPreviewLeg `json:"legs"`
	CalendarVersion string          `json:"calendar_version"`
}

// Preview answers when a request would be due (admins and dispatchers):
// "a complaint dispatched now to tier B is due …". Bad values are named.
func (s *SLAService) Preview(ctx context.Context, q SLAPreviewQuery) (*SLAPreview, error) {
	if err := denySLAReaders(ctx); err != nil {
		return nil, err
	}
	loc := s.Location()
	bad := map[string]string{}
	p := &SLAPreview{Type: RequestType(strings.TrimSpace(q.Type)), Tier: Tier(strings.ToUpper(strings.TrimSpace(q.Tier)))}
	if _, ok := RequestTypeNames[p.Type]; !ok {
		bad["type"] = "诉求类型应为 consultation（咨询）、help（求助）、complaint（投诉）或 suggestion（建议）"
	}
	if !p.Tier.Valid() {
		bad["tier"] = "层级应为 A、B 或 C"
	}
	switch strings.TrimSpace(q.Urgent) {
	case "", "false", "0", "off":
	case "true", "1", "on":
		p.Urgent = true
	default:
		bad["urgent"] = "应为 true 或 false"
	}
	p.Start = s.now()
	if v := strings.TrimSpace(q.Start); v != "" {
		t, ok := parseStart(v, loc)
		if y := t.In(loc).Year(); !ok {
			bad["start"] = "分拨时间格式应为 RFC 3339，如 2026-02-13T17:00:00+08:00"
		} else if y < workcal.MinYear || y > workcal.MaxYear {
			bad["start"] = fmt.Sprintf("分拨时间必须在 %d–%d 年之间", workcal.MinYear, workcal.MaxYear)
		}
		p.Start = t
	}
	if len(bad) > 0 {
		return nil, Invalid("时限试算参数有误", bad)
	}
	m, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	plan := m.Plan(p.Type, p.Tier)
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	sla, err := computeSLA(cal, m.Version, plan, p.Urgent, p.Start)
	var fe *workcal.FieldError
	if errors.As(err, &fe) {
		return nil, Invalid(fe.Message, map[string]string{"start": fe.Message})
	} else if err != nil {
		return nil, err
	}
	p.Start, p.PlanID, p.PlanVersion, p.CalendarVersion = p.Start.In(loc), sla.PlanID, sla.PlanVersion, sla.CalendarVersion
	for _, l := range sla.Legs {
		p.Legs = append(p.Legs, SLAPreviewLeg{Leg: l.Leg, Name: LegNames[l.Leg], Limit: plan.Limit(l.Leg, p.Urgent).String(), Due: l.Due.In(loc)})
	}
	return p, nil
}
