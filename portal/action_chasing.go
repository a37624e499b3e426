package portal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/huiqi/huiqi/portal/workcal"
)

// Action items run on the requests' chasing ladder (Ladder) and working
// calendar, with one deadline, the due time: the warning fires at the
// ladder's WarnPercent of the span from when the due date was set to the
// due time, 催办 at the due time and 督办 SuperviseAfter working days after
// it (the due day itself does not count, as for requests). 通报 is left out:
// 督办 already goes to the committee, which is the body that supervises
// action items. The rungs of one due date are a generation named by the
// due time's Unix seconds, so a changed due date starts the ladder afresh
// and leaves the old generation's jobs with nothing to do.

// ActionRungs are the rungs of an action item, in the order they fire.
var ActionRungs = []Rung{RungWarn, RungChase, RungSupervise}

// ActionRungKey names one rung of one due date of an action item: the
// natural key of its job.
type ActionRungKey struct {
	ItemID string `json:"item_id"`
	Rung   Rung   `json:"rung"`
	Due    int64  `json:"due"` // the due time in Unix seconds
}

// String is the key as a task id: action:<item>:<rung>:<due unix>.
func (k ActionRungKey) String() string {
	return fmt.Sprintf("action:%s:%s:%d", k.ItemID, k.Rung, k.Due)
}

// PlannedActionRung is one rung of an item's current due date and when it fires.
type PlannedActionRung struct {
	Key   ActionRungKey
	At    time.Time
	Acted bool
}

func (p PlannedActionRung) rungTime() (time.Time, bool) { return p.At, p.Acted }

// ActionFireResult is what FireRung did.
type ActionFireResult struct {
	Outcome FireOutcome
	At      time.Time
	Item    *ActionItem
	// Notified counts the notifications stored.
	Notified int
}

// actionChased reports whether it is being chased: open, not final and
// not waiting for the committee's confirmation.
func actionChased(it *ActionItem) bool {
	return (it.Status == ActionOpen || it.Status == ActionInProgress) && !it.AwaitingConfirm && !it.Due.IsZero()
}

// ChaseTime returns the chasing clock's time, which rung times are compared with.
func (s *ActionItemService) ChaseTime() time.Time { return s.now() }

// rungTime returns when rung fires for it; ok is false when the ladder
// has no such rung.
func (s *ActionItemService) rungTime(cal *workcal.Calendar, it *ActionItem, rung Rung) (time.Time, bool, error) {
	switch rung {
	case RungWarn:
		start := it.DueSetAt
		if start.IsZero() {
			start = it.CreatedAt
		}
		if s.Ladder.WarnPercent <= 0 || !start.Before(it.Due) {
			return time.Time{}, false, nil
		}
		return workcal.AtFraction(start, it.Due, float64(s.Ladder.WarnPercent)/100).UTC(), true, nil
	case RungChase:
		return it.Due, true, nil
	case RungSupervise:
		if s.Ladder.SuperviseAfter <= 0 {
			return time.Time{}, false, nil
		}
		// The nanosecond puts a due time at 24:00 on the day it ends.
		at, _, err := cal.AddWorkingDays(it.Due.Add(-time.Nanosecond), s.Ladder.SuperviseAfter)
		if err != nil {
			return time.Time{}, false, Internal(fmt.Errorf("supervise after %s: %w", it.Due, err))
		}
		return at.UTC(), true, nil
	}
	return time.Time{}, false, nil
}

// PlanRungs returns every rung of it's current due date, soonest first;
// none while it is not being chased or no calendar is configured.
func (s *ActionItemService) PlanRungs(ctx context.Context, it *ActionItem) ([]PlannedActionRung, error) {
	if s.Calendar == nil || !actionChased(it) {
		return nil, nil
	}
	cal, err := s.Calendar.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []PlannedActionRung
	for _, rung := range ActionRungs {
		at, ok, err := s.rungTime(cal, it, rung)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, PlannedActionRung{Key: ActionRungKey{ItemID: it.ID, Rung: rung, Due: it.Due.Unix()}, At: at,
				Acted: slices.Contains(it.Rungs, string(rung))})
		}
	}
	slices.SortStableFunc(out, func(a, b PlannedActionRung) int { return a.At.Compare(b.At) })
	return out, nil
}

// PendingRungs returns the rungs of it not yet acted on that fire at or before until.
func (s *ActionItemService) PendingRungs(ctx context.Context, it *ActionItem, until time.Time) ([]PlannedActionRung, error) {
	all, err := s.PlanRungs(ctx, it)
	if err != nil {
		return nil, err
	}
	return pendingRungs(all, until), nil
}

// nextRungOf is what it's next_rung_at should hold: when its earliest
// rung not yet acted on fires, nil when none is left.
func (s *ActionItemService) nextRungOf(ctx context.Context, it *ActionItem) (*time.Time, error) {
	all, err := s.PlanRungs(ctx, it)
	if err != nil {
		return nil, err
	}
	return firstUnacted(all), nil
}

// FireRung acts on rung k when its job fires: at most once, and only
// while k is a rung of the item's current due date, the item is being
// chased and the rung's time has come. Acting stores the notifications
// (keyed by the rung, so a retry stores none twice), then records the
// rung in the item's history and moves next_rung_at on in one
// version-guarded update, re-reading the item when another change wins.
func (s *ActionItemService) FireRung(ctx context.Context, k ActionRungKey) (*ActionFireResult, error) {
	if k.ItemID == "" || !slices.Contains(ActionRungs, k.Rung) {
		return nil, Invalid("催办任务无效", map[string]string{"rung": "未知的议定事项或催办级别"})
	}
	ctx = WithActor(ctx, systemActor)
	for attempt := 0; ; attempt++ {
		it, err := s.Store.FindActionItemByID(ctx, k.ItemID)
		if IsCode(err, ENOTFOUND) {
			return &ActionFireResult{Outcome: FireGone}, nil
		}
		if err != nil {
			return nil, err
		}
		switch {
		case it.Due.Unix() != k.Due:
			return &ActionFireResult{Outcome: FireStale}, nil
		case slices.Contains(it.Rungs, string(k.Rung)):
			return &ActionFireResult{Outcome: FireRepeat}, nil
		case it.Final():
			return &ActionFireResult{Outcome: FireDone}, nil
		case !actionChased(it) || s.Calendar == nil:
			return &ActionFireResult{Outcome: FireInactive}, nil
		}
		cal, err := s.Calendar.Current(ctx)
		if err != nil {
			return nil, err
		}
		at, ok, err := s.rungTime(cal, it, k.Rung)
		if err != nil {
			return nil, err
		}
		if !ok {
			return &ActionFireResult{Outcome: FireOff}, nil
		}
		now := s.now()
		if now.Before(at) {
			return &ActionFireResult{Outcome: FireEarly, At: at}, nil
		}
		title, body, note := s.rungMessage(it, k.Rung, cal.Location())
		key := k.String()
		n := s.notifyOwners(ctx, it, it.Owners(), key, title, body, now)
		if k.Rung == RungSupervise {
			n += s.notifyCommittee(ctx, it, key, title, body, now)
		}
		next := cloneActionItem(it)
		next.Rungs = append(next.Rungs, string(k.Rung))
		next.Events = append(next.Events, ActionEvent{At: now, ByName: systemActor.Name(), Action: string(k.Rung), Note: note})
		next.UpdatedAt = now
		if next.NextRungAt, err = s.nextRungOf(ctx, next); err != nil {
			return nil, err
		}
		err = s.Store.UpdateActionItem(ctx, next, it.Version)
		if IsCode(err, ECONFLICT) && attempt < 20 {
			if err := fireBackoff(ctx, attempt); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := s.Audit.Record(ctx, "action_item."+string(k.Rung), "action_item", it.ID, OutcomeOK, it.Title+"："+note); err != nil {
			return nil, Internal(err)
		}
		s.after(ctx, it, next)
		return &ActionFireResult{Outcome: FireActed, At: at, Item: next, Notified: n}, nil
	}
}

// rungMessage words rung for it.
func (s *ActionItemService) rungMessage(it *ActionItem, rung Rung, loc *time.Location) (title, body, note string) {
	due := it.DueDate(loc)
	subject := fmt.Sprintf("%s确定的事项“%s”（牵头单位：%s）", it.MeetingName, it.Title, it.LeadName)
	switch rung {
	case RungWarn:
		title = "【预警】议定事项办结时限将到：" + it.Title
		body = fmt.Sprintf("%s应于 %s 前办结，目前进度 %d%%，时限已用去 %d%%，请抓紧办理并报送进展。", subject, due, it.Progress, s.Ladder.WarnPercent)
		note = fmt.Sprintf("时限已用去 %d%%（%s 到期），已提醒承办单位", s.Ladder.WarnPercent, due)
	case RungChase:
		title = "【催办】议定事项已超过办结时限：" + it.Title
		body = fmt.Sprintf("%s应于 %s 前办结，目前进度 %d%%，现已超期，请立即办理并报送进展。", subject, due, it.Progress)
		note = fmt.Sprintf("办结时限 %s 已到，已催办承办单位", due)
	case RungSupervise:
		n := s.Ladder.SuperviseAfter
		title = fmt.Sprintf("【督办】议定事项超期 %d 个工作日未办结：%s", n, it.Title)
		body = fmt.Sprintf("%s应于 %s 前办结，已超期 %d 个工作日，目前进度 %d%%。本督办同时告知产业链党委。", subject, due, n, it.Progress)
		note = fmt.Sprintf("超期 %d 个工作日，已督办承办单位并告知产业链党委", n)
	}
	return title, body, note
}

// RepairNextRung rewrites an item's next_rung_at when it no longer says
// when the next rung fires (a ladder changed by configuration, say), so
// that the sweep stops finding it; it reports whether it wrote.
func (s *ActionItemService) RepairNextRung(ctx context.Context, id string) (bool, error) {
	ctx = WithActor(ctx, systemActor)
	it, err := s.Store.FindActionItemByID(ctx, id)
	if IsCode(err, ENOTFOUND) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	want, err := s.nextRungOf(ctx, it)
	if err != nil {
		return false, err
	}
	if sameTime(want, it.NextRungAt) {
		return false, nil
	}
	next := cloneActionItem(it)
	next.NextRungAt = want
	if err := s.Store.UpdateActionItem(ctx, next, it.Version); err != nil {
		if IsCode(err, ECONFLICT) {
			return false, nil // the change that won planned its rungs itself
		}
		return false, err
	}
	if err := s.Audit.Record(ctx, "action_item.next_rung_repair", "action_item", it.ID, OutcomeOK, it.Title); err != nil {
		return true, Internal(err)
	}
	return true, nil
}
