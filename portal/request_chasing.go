package portal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huiqi/huiqi/portal/workcal"
)

// Rung is one step of a leg's chasing ladder (催办阶梯).
type Rung string

// The rungs of every leg, in the order they fire.
const (
	RungWarn      Rung = "warn"      // 预警: most of the allowed time is used
	RungChase     Rung = "chase"     // 催办: the deadline has passed
	RungSupervise Rung = "supervise" // 督办: still late working days on; the department head is copied
	RungCensure   Rung = "censure"   // 通报: still late days on; dispatchers and leaders are told
)

// LadderRungs lists the rungs in the order they fire.
var LadderRungs = []Rung{RungWarn, RungChase, RungSupervise, RungCensure}

// RungNames are the Chinese names of the rungs.
var RungNames = map[Rung]string{RungWarn: "预警", RungChase: "催办", RungSupervise: "督办", RungCensure: "通报"}

// NotifySLA is the notification kind of the chasing ladder.
const NotifySLA = "sla"

// Ladder configures when the rungs of a leg fire. The warning is placed
// in the leg's allowed time, which runs from the SLA's start (dispatch,
// resume or reopening: the instant every leg's deadline is counted from)
// to the leg's deadline; it does not move when an earlier leg is done, so
// a rung scheduled at dispatch stays right. The later rungs count working
// days on the calendar in force, as the period rule does: the deadline's
// day does not count, and the rung fires at the end of the nth working day
// after it (for a deadline at 24:00, after its last day).
type Ladder struct {
	// WarnPercent is the share of the allowed time, in percent, after
	// which the handler is warned; 0 turns warnings off.
	WarnPercent int
	// SuperviseAfter and CensureAfter count the working days after the
	// deadline at which 督办 and 通报 fire; 0 turns the rung off.
	SuperviseAfter int
	CensureAfter   int
	// Escalate proposes a censured request below tier A for the next tier
	// up. The request stays with its department and keeps its state (a
	// department halfway through is not cut off by a job): it is marked
	// with the proposed tier, the timeline and the dispatchers' 通报 say
	// so, and a dispatcher decides with a redispatch.
	Escalate bool
}

// DefaultLadderSpec is the default ladder, in ParseLadder's format.
const DefaultLadderSpec = "warn=75,supervise=1,censure=5,escalate=off"

// DefaultLadder returns the ladder of the district programmes: warn at
// 75 % of the allowed time, 催办 at the deadline, 督办 one working day and
// 通报 five working days after it, without escalation.
func DefaultLadder() Ladder {
	return Ladder{WarnPercent: 75, SuperviseAfter: 1, CensureAfter: 5}
}

// ParseLadder reads a ladder written as comma-separated key=value pairs:
// warn (percent, 0–99), supervise and censure (working days, 0–60; 0 is
// off; 通报 after 督办), escalate (on or off). Missing keys keep the
// defaults; an empty spec is the default ladder.
func ParseLadder(spec string) (Ladder, error) {
	l := DefaultLadder()
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok {
			return l, fmt.Errorf("%q is not key=value", part)
		}
		num := func(max int) (int, error) {
			n, err := strconv.Atoi(strings.TrimSuffix(val, "%"))
			if err != nil || n < 0 || n > max {
				return 0, fmt.Errorf("%s=%q must be a whole number from 0 to %d", key, val, max)
			}
			return n, nil
		}
		var err error
		switch key {
		case "warn":
			l.WarnPercent, err = num(99)
		case "supervise":
			l.SuperviseAfter, err = num(60)
		case "censure":
			l.CensureAfter, err = num(60)
		case "escalate":
			switch strings.ToLower(val) {
			case "on", "true", "yes", "1":
				l.Escalate = true
			case "off", "false", "no", "0":
				l.Escalate = false
			default:
				err = fmt.Errorf("escalate=%q must be on or off", val)
			}
		default:
			err = fmt.Errorf("unknown key %q (want warn, supervise, censure or escalate)", key)
		}
		if err != nil {
			return l, err
		}
	}
	if l.SuperviseAfter > 0 && l.CensureAfter > 0 && l.CensureAfter <= l.SuperviseAfter {
		return l, fmt.Errorf("censure (%d working days) must come after supervise (%d)", l.CensureAfter, l.SuperviseAfter)
	}
	return l, nil
}

// String writes the ladder in ParseLadder's format.
func (l Ladder) String() string {
	esc := "off"
	if l.Escalate {
		esc = "on"
	}
	return fmt.Sprintf("warn=%d,supervise=%d,censure=%d,escalate=%s", l.WarnPercent, l.SuperviseAfter, l.CensureAfter, esc)
}

// WorkingCalendar gives the working calendar in force (CalendarService).
type WorkingCalendar interface {
	Current(ctx context.Context) (*workcal.Calendar, error)
}

// RungCursor is where a scan of due rungs continues: after the request
// with ID whose next rung fires at At.
type RungCursor struct {
	At time.Time
	ID string
}

// DepartmentCount is how many requests of a list one department has.
type DepartmentCount struct {
	DepartmentID   string `json:"department_id" bson:"department_id"`
	DepartmentName string `json:"department_name" bson:"department_name"`
	Count          int    `json:"count" bson:"count"`
}

// ChaseStore finds what the chasing ladder works on.
type ChaseStore interface {
	// FindRequestsWithRungBefore returns up to limit requests whose next
	// rung fires at or before before, by that time then id, after the
	// cursor (nil: from the start); only the fields rungs are planned from
	// (state, deadlines, version) are filled.
	FindRequestsWithRungBefore(ctx context.Context, before time.Time, after *RungCursor, limit int) ([]*Request, error)
	// FindRequestsInRungSlots returns, filled like FindRequestsWithRungBefore,
	// the requests whose next rung was set into an hour from the hour of
	// from to the hour of to and still fires at or before to: a read whose
	// cost follows the rungs of that window, not the open requests.
	FindRequestsInRungSlots(ctx context.Context, from, to time.Time) ([]*Request, error)
	// DeleteRungSlots forgets which requests had rungs in the hours from
	// the hour of from up to the hour of before; DeleteRungSlotsBefore in
	// every hour before the hour of before, at the cost of a full read.
	DeleteRungSlots(ctx context.Context, from, before time.Time) error
	DeleteRungSlotsBefore(ctx context.Context, before time.Time) error
	// FindOverdueRequests returns one page of the matching requests (as
	// FindRequests fills them) by department name, then deadline, and the total.
	FindOverdueRequests(ctx context.Context, f RequestFilter) ([]*Request, int, error)
	// CountRequestsByDepartment counts the matching requests per department, by name.
	CountRequestsByDepartment(ctx context.Context, f RequestFilter) ([]DepartmentCount, error)
}

// RungKey names one rung of one leg of one deadline generation of a
// request: the natural key of its job.
type RungKey struct {
	RequestID  string `json:"request_id"`
	Leg        Leg    `json:"leg"`
	Rung       Rung   `json:"rung"`
	Generation int    `json:"generation"`
}

// String is the key as a task id: sla:<request>:<leg>:<rung>:<generation>.
func (k RungKey) String() string {
	return fmt.Sprintf("sla:%s:%s:%s:%d", k.RequestID, k.Leg, k.Rung, k.Generation)
}

// PlannedRung is one rung of a request's current deadlines and when it fires.
type PlannedRung struct {
	Key   RungKey
	At    time.Time
	Acted bool // already acted on for this generation
}

func (p PlannedRung) rungTime() (time.Time, bool) { return p.At, p.Acted }

// plannedRung is a planned rung of a request or of an action item.
type plannedRung interface {
	rungTime() (at time.Time, acted bool)
}

// pendingRungs returns the rungs of plan not yet acted on that fire at or
// before until, in plan's order.
func pendingRungs[P plannedRung](plan []P, until time.Time) []P {
	out := plan[:0]
	for _, p := range plan {
		if at, acted := p.rungTime(); !acted && !at.After(until) {
			out = append(out, p)
		}
	}
	return out
}

// firstUnacted returns when the first rung of plan (ordered by time) not
// yet acted on fires, nil when none is left.
func firstUnacted[P plannedRung](plan []P) *time.Time {
	for _, p := range plan {
		if at, acted := p.rungTime(); !acted {
			return &at
		}
	}
	return nil
}

// FireOutcome says what became of a rung's job.
type FireOutcome string

// Fire outcomes.
const (
	FireActed    FireOutcome = "acted"    // recorded, on the timeline, people told
	FireRepeat   FireOutcome = "repeat"   // acted on before: a redelivery
	FireStale    FireOutcome = "stale"    // the deadlines were recomputed (or dropped) since
	FireDone     FireOutcome = "done"     // the leg is done
	FireInactive FireOutcome = "inactive" // nobody is handling the request now: suspended, returned, resolved, closed …
	FireOff      FireOutcome = "off"      // the ladder no longer has this rung
	FireEarly    FireOutcome = "early"    // its time has not come
	FireGone     FireOutcome = "gone"     // the request does not exist
)

// FireResult is what Fire did.
type FireResult struct {
	Outcome FireOutcome
	// At is when the rung is due (zero when the outcome does not say).
	At time.Time
	// Request is the request as stored after an acted rung.
	Request *Request
	// Notified counts the notifications stored (repeats are not counted).
	Notified int
}

// chasedStatuses are the states in which a department is expected to act
// on a running deadline. Suspended, returned and escalated requests wait
// for someone else, and resolved ones only for the enterprise.
var chasedStatuses = []Status{StatusDispatched, StatusSigned, StatusReplied, StatusReopened}

// chased reports whether r's deadlines are being chased now.
func chased(r *Request) bool {
	return r.SLA != nil && slices.Contains(chasedStatuses, r.Status)
}

// systemActor is who acts for the chasing ladder.
var systemActor = &Actor{Username: "system", DisplayName: "系统"}

// fireRetryFor bounds how long a rung keeps re-reading a request that
// other changes (often other rungs of it, fired together) keep winning.
const fireRetryFor = 10 * time.Second

// fireBackoff waits a little before the next attempt of a rung that lost
// a race: the winner has claimed the version and is still writing it.
func fireBackoff(ctx context.Context, attempt int) error {
	d := time.Duration(min(attempt+1, 5)) * (10*time.Millisecond + rand.N(40*time.Millisecond))
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// Chaser runs the chasing ladder of requests: it decides when each rung
// of each running leg fires (it is the request service's RungPlanner, so
// that next_rung_at is stored with every change), acts on a rung when its
// job fires, and shows dispatchers the overdue board. Scheduling the jobs
// is package jobs' part.
type Chaser struct {
	Requests *RequestService
	Store    ChaseStore
	Calendar WorkingCalendar
	Ladder   Ladder
	// Now is the clock; nil uses the request service's.
	Now func() time.Time
}

var _ RungPlanner = (*Chaser)(nil)

func (c *Chaser) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return c.Requests.now()
}

// Time returns the chaser's current time, which rung times are compared with.
func (c *Chaser) Time() time.Time { return c.now() }

// rungTime returns when rung fires for leg of sla; ok is false when the
// ladder has no such rung (or the leg no time to warn in).
func (c *Chaser) rungTime(cal *workcal.Calendar, sla *SLA, leg *LegDeadline, rung Rung) (at time.Time, ok bool, err error) {
	n := 0
	switch rung {
	case RungWarn:
		if c.Ladder.WarnPercent <= 0 || !sla.Start.Before(leg.Due) {
			return time.Time{}, false, nil
		}
		return workcal.AtFraction(sla.Start, leg.Due, float64(c.Ladder.WarnPercent)/100).UTC(), true, nil
	case RungChase:
		return leg.Due, true, nil
	case RungSupervise:
		n = c.Ladder.SuperviseAfter
	case RungCensure:
		n = c.Ladder.CensureAfter
	}
	if n <= 0 {
		return time.Time{}, false, nil
	}
	// The nanosecond puts a deadline at 24:00 on the day it ends.
	at, _, err = cal.AddWorkingDays(leg.Due.Add(-time.Nanosecond), n)
	if err != nil {
		return time.Time{}, false, Internal(fmt.Errorf("rung %s after %s: %w", rung, leg.Due, err))
	}
	return at.UTC(), true, nil
}

// Plan returns every rung of r's current deadlines for the legs not yet
// done, soonest first; none while r's deadlines are not being chased.
func (c *Chaser) Plan(ctx context.Context, r *Request) ([]PlannedRung, error) {
	if !chased(r) {
		return nil, nil
	}
	cal, err := c.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []PlannedRung
	for i := range r.SLA.Legs {
		leg := &r.SLA.Legs[i]
		if leg.DoneAt != nil {
			continue
		}
		for _, rung := range LadderRungs {
			at, ok, err := c.rungTime(cal, r.SLA, leg, rung)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, PlannedRung{Key: RungKey{RequestID: r.ID, Leg: leg.Leg, Rung: rung, Generation: r.SLA.Generation},
					At: at, Acted: slices.Contains(leg.Rungs, string(rung))})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b PlannedRung) int { return a.At.Compare(b.At) })
	return out, nil
}

// Pending returns the rungs of r not yet acted on that fire at or before until.
func (c *Chaser) Pending(ctx context.Context, r *Request, until time.Time) ([]PlannedRung, error) {
	all, err := c.Plan(ctx, r)
	if err != nil {
		return nil, err
	}
	return pendingRungs(all, until), nil
}

// NextRung returns when r's earliest rung not yet acted on fires, nil
// when none is left.
func (c *Chaser) NextRung(ctx context.Context, r *Request) (*time.Time, error) {
	all, err := c.Plan(ctx, r)
	if err != nil {
		return nil, err
	}
	return firstUnacted(all), nil
}

// nextRungOf is what r's next_rung_at should hold: the service plans
// rungs only while a deadline runs.
func (c *Chaser) nextRungOf(ctx context.Context, r *Request) (*time.Time, error) {
	if r.DueAt == nil {
		return nil, nil
	}
	return c.NextRung(ctx, r)
}

// Fire acts on rung k when its job fires: at most once, and only while k
// is a rung of the request's current deadlines, its leg is not done, the
// request is being handled and the rung's time has come. Acting records
// the rung on the leg and the timeline and moves next_rung_at on, in one
// version-guarded update; a concurrent change is re-read and retried for
// a few seconds before the job is left to asynq's retry.
//
// The in-app notifications are the outbox of a rung. They are written
// before the update with keys naming the rung and its generation, so that
// a retry after a crash or a lost race stores nothing twice, and once the
// rung is recorded nothing is sent for it again.
func (c *Chaser) Fire(ctx context.Context, k RungKey) (*FireResult, error) {
	if k.RequestID == "" || !slices.Contains(Legs, k.Leg) || !slices.Contains(LadderRungs, k.Rung) || k.Generation < 1 {
		return nil, Invalid("催办任务无效", map[string]string{"rung": "未知的诉求、环节、催办级别或时限代次"})
	}
	ctx = WithActor(ctx, systemActor)
	began := time.Now()
	for attempt := 0; ; attempt++ {
		r, err := c.Requests.Store.FindRequestByID(ctx, k.RequestID)
		if IsCode(err, ENOTFOUND) {
			return &FireResult{Outcome: FireGone}, nil
		}
		if err != nil {
			return nil, err
		}
		cal, err := c.Calendar.Current(ctx)
		if err != nil {
			return nil, err
		}
		var leg *LegDeadline
		if r.SLA != nil && r.SLA.Generation == k.Generation {
			leg = r.SLA.Leg(k.Leg)
		}
		switch {
		case leg == nil:
			return &FireResult{Outcome: FireStale}, nil
		case slices.Contains(leg.Rungs, string(k.Rung)):
			return &FireResult{Outcome: FireRepeat}, nil
		case leg.DoneAt != nil:
			return &FireResult{Outcome: FireDone}, nil
		case !chased(r):
			return &FireResult{Outcome: FireInactive}, nil
		}
		at, ok, err := c.rungTime(cal, r.SLA, leg, k.Rung)
		if err != nil {
			return nil, err
		}
		if !ok {
			return &FireResult{Outcome: FireOff}, nil
		}
		now := c.now()
		if now.Before(at) {
			return &FireResult{Outcome: FireEarly, At: at}, nil
		}
		msg := c.message(r, leg, k.Rung, cal.Location())
		to, err := c.recipients(ctx, r, k.Rung)
		if err != nil {
			return nil, err
		}
		notified, err := c.notify(ctx, r, k, msg, to, now)
		if err != nil {
			return nil, err
		}
		next := cloneRequest(r)
		nl := next.SLA.Leg(k.Leg)
		nl.Rungs = append(nl.Rungs, string(k.Rung))
		if msg.escalateTo != "" {
			next.EscalateTo = msg.escalateTo
		}
		next.Timeline = append(next.Timeline, Event{At: now, ActorName: systemActor.Name(), Action: string(k.Rung),
			Department: r.DepartmentName, Note: msg.note})
		next.UpdatedAt = now
		if next.NextRungAt, err = c.nextRungOf(ctx, next); err != nil {
			return nil, err
		}
		err = c.Requests.Store.UpdateRequest(ctx, next, r.Version)
		if IsCode(err, ECONFLICT) && time.Since(began) < fireRetryFor {
			if err := fireBackoff(ctx, attempt); err != nil {
				return nil, err
			}
			continue
		}
		if IsCode(err, ECONFLICT) {
			return nil, Errorf(ECONFLICT, "诉求 %s 一直在被修改，%s稍后重试", k.RequestID, RungNames[k.Rung])
		}
		if err != nil {
			return nil, err
		}
		if err := c.Requests.Audit.Record(ctx, "request."+string(k.Rung), "request", r.ID, OutcomeOK, next.No+" "+msg.note); err != nil {
			return nil, Internal(err)
		}
		c.Requests.after(ctx, r, next, string(k.Rung))
		return &FireResult{Outcome: FireActed, At: at, Request: next, Notified: notified}, nil
	}
}

// RepairNextRung rewrites a request's next_rung_at when it no longer
// says when the next rung fires (a change made without the planner, or a
// ladder changed by configuration), so that a sweep stops finding it.
// It reports whether it wrote.
func (c *Chaser) RepairNextRung(ctx context.Context, id string) (bool, error) {
	ctx = WithActor(ctx, systemActor)
	r, err := c.Requests.Store.FindRequestByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	want, err := c.nextRungOf(ctx, r)
	if err != nil {
		return false, err
	}
	if sameTime(want, r.NextRungAt) {
		return false, nil
	}
	next := cloneRequest(r)
	next.NextRungAt = want
	if err := c.Requests.Store.UpdateRequest(ctx, next, r.Version); err != nil {
		if IsCode(err, ECONFLICT) {
			return false, nil // the change that won planned its rungs itself
		}
		return false, err
	}
	if err := c.Requests.Audit.Record(ctx, "request.next_rung_repair", "request", r.ID, OutcomeOK, next.No); err != nil {
		return true, Internal(err)
	}
	return true, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// rungMessage is what a rung says.
type rungMessage struct {
	title, body, note string
	escalateTo        Tier
}

// tierUp is the next tier up from each tier below A.
var tierUp = map[Tier]Tier{TierC: TierB, TierB: TierA}

// dueText writes a deadline in district time; a deadline at 00:00 is the
// end of the day before, as people count it.
func dueText(t time.Time, loc *time.Location) string {
	lt := t.In(loc)
	if lt.Hour() == 0 && lt.Minute() == 0 && lt.Second() == 0 {
		return lt.Add(-time.Minute).Format("1月2日") + " 24:00"
	}
	return lt.Format("1月2日 15:04")
}

// message words rung for leg of r.
func (c *Chaser) message(r *Request, leg *LegDeadline, rung Rung, loc *time.Location) rungMessage {
	verb, due := LegNames[leg.Leg], dueText(leg.Due, loc)
	subject := fmt.Sprintf("“%s”（%s）", r.Title, r.EnterpriseName)
	var m rungMessage
	switch rung {
	case RungWarn:
		m.title = fmt.Sprintf("【预警】诉求 %s 的%s时限将到", r.No, verb)
		m.body = fmt.Sprintf("%s应于 %s 前%s，时限已用去 %d%%，请抓紧办理。", subject, due, verb, c.Ladder.WarnPercent)
		m.note = fmt.Sprintf("%s时限已用去 %d%%（%s 到期），已提醒承办人", verb, c.Ladder.WarnPercent, due)
	case RungChase:
		m.title = fmt.Sprintf("【催办】诉求 %s 已超过%s时限", r.No, verb)
		m.body = fmt.Sprintf("%s应于 %s 前%s，现已超期，请立即办理。", subject, due, verb)
		m.note = fmt.Sprintf("%s时限已于 %s 到期，已催办承办人和承办单位", verb, due)
	case RungSupervise:
		n := c.Ladder.SuperviseAfter
		m.title = fmt.Sprintf("【督办】诉求 %s 超期 %d 个工作日未%s", r.No, n, verb)
		m.body = fmt.Sprintf("%s应于 %s 前%s，已超期 %d 个工作日。本督办同时抄送部门负责人。", subject, due, verb, n)
		m.note = fmt.Sprintf("%s超期 %d 个工作日，已督办并抄送部门负责人", verb, n)
	case RungCensure:
		n := c.Ladder.CensureAfter
		m.title = fmt.Sprintf("【通报】%s 诉求 %s 超期 %d 个工作日未%s", r.DepartmentName, r.No, n, verb)
		m.body = fmt.Sprintf("承办单位：%s。%s应于 %s 前%s，已超期 %d 个工作日。", r.DepartmentName, subject, due, verb, n)
		m.note = fmt.Sprintf("%s超期 %d 个工作日，已通报分拨员和区领导", verb, n)
		if up, ok := tierUp[r.Tier]; ok && c.Ladder.Escalate && r.EscalateTo == "" {
			m.escalateTo = up
			proposal := fmt.Sprintf("建议升级至 %s 级办理，请分拨员决定是否改派", up)
			m.body += proposal + "。"
			m.note += "；" + proposal
		}
	}
	return m
}

// recipients returns who hears of rung: the warning goes to the handler
// who signed (or, before anyone signed, the department's handlers); 催办
// to the handler and the department's handlers and heads; 督办 likewise,
// copying the heads; 通报 to the dispatchers of the request's area and
// the leaders (admins).
func (c *Chaser) recipients(ctx context.Context, r *Request, rung Rung) ([]string, error) {
	var to []string
	switch rung {
	case RungWarn:
		if r.HandlerID != "" {
			return []string{r.HandlerID}, nil
		}
		handlers, err := c.unitUsers(ctx, r.DepartmentID, RoleHandler)
		if err != nil || len(handlers) > 0 {
			return handlers, err
		}
		return c.unitUsers(ctx, r.DepartmentID, RoleHandler, RoleDeptHead)
	case RungChase, RungSupervise:
		dept, err := c.unitUsers(ctx, r.DepartmentID, RoleHandler, RoleDeptHead)
		if err != nil {
			return nil, err
		}
		to = append(dept, r.HandlerID)
	case RungCensure:
		dispatchers, err := c.Requests.dispatchersFor(ctx, r)
		if err != nil {
			return nil, err
		}
		role, active := RoleAdmin, UserActive
		admins, _, err := c.Requests.Users.FindUsers(ctx, UserFilter{Role: &role, Status: &active, Limit: 500})
		if err != nil {
			return nil, err
		}
		to = dispatchers
		for _, u := range admins {
			to = append(to, u.ID)
		}
	}
	return to, nil
}

// unitUsers returns the active users of unit holding any of roles.
func (c *Chaser) unitUsers(ctx context.Context, unit string, roles ...Role) ([]string, error) {
	if unit == "" {
		return nil, nil
	}
	active := UserActive
	users, _, err := c.Requests.Users.FindUsers(ctx, UserFilter{UnitID: &unit, Status: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range users {
		for _, role := range roles {
			if slices.Contains(u.Roles, role) {
				out = append(out, u.ID)
				break
			}
		}
	}
	return out, nil
}

// notify stores rung k's notification for each of to, keyed by the rung
// and the user, and returns how many were new.
func (c *Chaser) notify(ctx context.Context, r *Request, k RungKey, m rungMessage, to []string, now time.Time) (int, error) {
	if c.Requests.Notify == nil {
		return 0, nil
	}
	slices.Sort(to)
	to = slices.Compact(to)
	ns := make([]*Notification, 0, len(to))
	for _, u := range to {
		if u == "" {
			continue
		}
		ns = append(ns, &Notification{ID: NewID(), UserID: u, Kind: NotifySLA, Title: m.title, Body: m.body,
			Link: "/requests/" + r.ID, DedupKey: k.String() + ":" + u, CreatedAt: now})
	}
	if len(ns) == 0 {
		return 0, nil
	}
	return c.Requests.Notify.CreateNotifications(ctx, ns)
}

// HighestRung returns the highest rung acted on for a leg still running
// of an open request, "" when none has fired.
func (r *Request) HighestRung() Rung {
	if r.SLA == nil || !r.Status.Open() {
		return ""
	}
	best := -1
	for _, l := range r.SLA.Legs {
		if l.DoneAt != nil {
			continue
		}
		for _, x := range l.Rungs {
			best = max(best, slices.Index(LadderRungs, Rung(x)))
		}
	}
	if best < 0 {
		return ""
	}
	return LadderRungs[best]
}

// Warned reports whether a running deadline of r has been warned about
// (or chased further): inboxes mark such requests before they are overdue.
func (r *Request) Warned() bool { return r.HighestRung() != "" }

// OverdueQuery is what a dispatcher asks of the overdue board.
type OverdueQuery struct {
	Department string
	Q          string // part of the number, title or enterprise name
	Page       int
	PerPage    int
}

// OverdueBoard is one page of the overdue board: open requests whose
// running deadline has passed, by department, with how many each
// department has in all.
type OverdueBoard struct {
	Items       []*Request        `json:"items"`
	Total       int               `json:"total"`
	Page        int               `json:"page"`
	PerPage     int               `json:"per_page"`
	Departments []DepartmentCount `json:"departments"`
}

// Pages returns how many pages the board has.
func (b *OverdueBoard) Pages() int {
	if b.Total == 0 {
		return 1
	}
	return (b.Total + b.PerPage - 1) / b.PerPage
}

// Overdue returns one page of the overdue board of the actor's area:
// dispatchers see their area's requests, admins all; anyone else is
// refused.
func (c *Chaser) Overdue(ctx context.Context, q OverdueQuery) (*OverdueBoard, error) {
	a, err := requestActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HasAny(RoleDispatcher, RoleAdmin) {
		return nil, Errorf(EFORBIDDEN, "超期督办看板只对分拨员和系统管理员开放")
	}
	f := map[string]string{}
	checkPaging(f, &q.Page, &q.PerPage, DefaultRequestsPerPage, MaxRequestsPerPage)
	if len(q.Department) > 64 {
		f["department"] = "未知的部门"
	}
	text, ok := cleanText(q.Q)
	if !ok || utf8.RuneCountInString(text) > 50 {
		f["q"] = "搜索词不能超过 50 个字"
	}
	if len(f) > 0 {
		return nil, Invalid("查询参数有误", f)
	}
	now := c.now()
	filter := RequestFilter{OverdueAt: &now, Q: text}
	all, anyOf, err := c.Requests.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !all {
		filter.AnyOf = anyOf
	}
	depts, err := c.Store.CountRequestsByDepartment(ctx, filter)
	if err != nil {
		return nil, err
	}
	filter.DepartmentID = strings.TrimSpace(q.Department)
	filter.Offset, filter.Limit = (q.Page-1)*q.PerPage, q.PerPage
	items, total, err := c.Store.FindOverdueRequests(ctx, filter)
	if err != nil {
		return nil, err
	}
	return &OverdueBoard{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage, Departments: depts}, nil
}

// AuthorizeJobsConsole lets only admins into the job console (asynqmon,
// which shows and changes the queues of every job); a refusal is audited.
func (c *Chaser) AuthorizeJobsConsole(ctx context.Context, path string) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHENTICATED, "请先登录")
	case a.IsAdmin():
		return nil
	}
	if err := c.Requests.Audit.Record(ctx, "jobs.console", "jobs", path, OutcomeDenied, "需要系统管理员权限"); err != nil {
		return Internal(err)
	}
	return Errorf(EFORBIDDEN, "只有系统管理员可以查看和管理后台任务队列")
}

// RecordJobsChange audits a change an admin made in the job console
// (running, deleting or archiving tasks, pausing queues); failed tells
// whether the console refused it.
func (c *Chaser) RecordJobsChange(ctx context.Context, method, path string, failed bool) error {
	outcome := OutcomeOK
	if failed {
		outcome = OutcomeFailed
	}
	if err := c.Requests.Audit.Record(ctx, "jobs.change", "jobs", path, outcome, method+" "+path); err != nil {
		return Internal(err)
	}
	return nil
}
