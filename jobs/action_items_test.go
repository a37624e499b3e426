package jobs_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/jobs"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// actionJobsFixture is the demo district with a past port meeting, the
// action item service on the real working calendar with the default
// ladder, its chasing jobs installed on a running worker, and a clock the
// test sets.
type actionJobsFixture struct {
	*portaltest.World
	mu   sync.Mutex
	now  time.Time
	svc  *portal.ActionItemService
	jobs *jobs.ActionItems
	q    *ladderFixture // for drain
}

func (f *actionJobsFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *actionJobsFixture) at(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = cstTime(s)
}

func newActionJobs(t *testing.T) *actionJobsFixture {
	t.Helper()
	f := &actionJobsFixture{now: cstTime("2026-03-30 10:00")}
	f.World = portaltest.NewWorld(t, portaltest.DB(t), f.clock)
	f.svc = f.WithActionItems(t)
	portaltest.InsertMeeting(t, f.DB, portaltest.PortMeeting("mtg-port-1", cstTime("2026-03-27 14:30")))
	r := portaltest.StartRedis(t)
	f.jobs = jobs.NewActionItems(jobs.ActionItemsOptions{Service: f.svc, Redis: r.Client, Log: quiet})
	f.svc.Events = append(f.svc.Events, f.jobs)
	f.q = &ladderFixture{redis: r, insp: asynq.NewInspectorFromRedisClient(r.Client)}
	startRunner(t, r, prometheus.NewRegistry(), func(run *jobs.Runner) {
		portaltest.Must(t, f.jobs.Install(run), "install the action item jobs")
	})
	return f
}

// sweep runs one sweep at the current clock and waits for the tasks it
// made ready.
func (f *actionJobsFixture) sweep(t *testing.T) jobs.ActionSweepResult {
	t.Helper()
	res, err := f.jobs.Sweep(context.Background())
	portaltest.Must(t, err, "sweep")
	f.q.drain(t)
	return res
}

func (f *actionJobsFixture) item(t *testing.T, id string) *portal.ActionItem {
	t.Helper()
	it, err := f.svc.Store.FindActionItemByID(context.Background(), id)
	portaltest.Must(t, err, "load %s", id)
	return it
}

// rungNotes returns, per rung, who was told about item id.
func (f *actionJobsFixture) rungNotes(t *testing.T, id string) map[portal.Rung][]string {
	t.Helper()
	cur, err := f.DB.Database().Collection("notifications").Find(context.Background(),
		bson.D{{Key: "kind", Value: portal.NotifyAction}, {Key: "link", Value: "/action-items/" + id}})
	portaltest.Must(t, err, "notifications")
	var ns []portal.Notification
	portaltest.Must(t, cur.All(context.Background(), &ns), "decode")
	out := map[portal.Rung][]string{}
	for _, n := range ns {
		for _, r := range portal.ActionRungs {
			if strings.Contains(n.Title, "【"+portal.RungNames[r]+"】") {
				out[r] = append(out[r], n.UserID)
			}
		}
	}
	for r := range out {
		slices.Sort(out[r])
	}
	return out
}

// scheduled returns the ids of the action rung tasks waiting in Redis.
func (f *actionJobsFixture) scheduled(t *testing.T) []string {
	t.Helper()
	tasks, err := f.q.insp.ListScheduledTasks("default")
	portaltest.Must(t, err, "scheduled tasks")
	var out []string
	for _, x := range tasks {
		if x.Type == jobs.TypeActionRung {
			out = append(out, x.ID)
		}
	}
	slices.Sort(out)
	return out
}

// TestActionChasingAcrossHoliday follows an item due on the Friday before
// the Qingming holiday (4–6 April 2026): the warning at 75 % of its time,
// 催办 at the end of Friday, 督办 after the first working day after the
// holiday — each once, at its time, told to the right people.
func TestActionChasingAcrossHoliday(t *testing.T) {
	f := newActionJobs(t)
	it, err := f.svc.Create(f.As(t, "committee"), "mtg-port-1", portal.ActionItemInput{Title: "港区集卡通行证发放",
		LeadUnitID: "dept-trans", CoUnitIDs: []string{"sd-haigang"}, Due: "2026-04-03"})
	portaltest.Must(t, err, "create")
	due := it.Due.Unix()
	want := []string{
		portal.ActionRungKey{ItemID: it.ID, Rung: portal.RungChase, Due: due}.String(),
		portal.ActionRungKey{ItemID: it.ID, Rung: portal.RungSupervise, Due: due}.String(),
		portal.ActionRungKey{ItemID: it.ID, Rung: portal.RungWarn, Due: due}.String(),
	}
	slices.Sort(want)
	if got := f.scheduled(t); !slices.Equal(got, want) {
		t.Fatalf("scheduled at creation: %v, want %v", got, want)
	}
	owners := []string{"u-depthead", "u-handler", "u-handler-sub"}
	steps := []struct {
		at    string
		rungs []string
	}{
		{"2026-04-02 20:29", nil},
		{"2026-04-02 20:31", []string{"warn"}},
		{"2026-04-02 23:00", []string{"warn"}},
		{"2026-04-04 00:01", []string{"warn", "chase"}},
		{"2026-04-06 12:00", []string{"warn", "chase"}}, // Qingming Monday: no working day has passed
		{"2026-04-07 23:59", []string{"warn", "chase"}},
		{"2026-04-08 00:01", []string{"warn", "chase", "supervise"}},
		{"2026-04-09 09:00", []string{"warn", "chase", "supervise"}},
	}
	for _, s := range steps {
		f.at(s.at)
		f.sweep(t)
		if got := f.item(t, it.ID).Rungs; !slices.Equal(got, s.rungs) {
			t.Fatalf("at %s: rungs %v, want %v", s.at, got, s.rungs)
		}
	}
	notes := f.rungNotes(t, it.ID)
	for _, r := range []portal.Rung{portal.RungWarn, portal.RungChase} {
		if !slices.Equal(notes[r], owners) {
			t.Errorf("%s told %v, want the owners %v once each", r, notes[r], owners)
		}
	}
	if want := append(slices.Clone(owners), "u-committee"); !slices.Equal(notes[portal.RungSupervise], slices.Sorted(slices.Values(want))) {
		t.Errorf("supervise told %v, want the owners and the committee", notes[portal.RungSupervise])
	}
	if got := f.item(t, it.ID).NextRungAt; got != nil {
		t.Errorf("next rung after the last: %v", got)
	}
	// A redelivered task does nothing.
	task, err := jobs.NewActionRungTask(portal.ActionRungKey{ItemID: it.ID, Rung: portal.RungChase, Due: due})
	portaltest.Must(t, err, "task")
	portaltest.Must(t, f.jobs.HandleRungTask(context.Background(), task), "redeliver")
	if got := f.rungNotes(t, it.ID); len(got[portal.RungChase]) != len(owners) {
		t.Errorf("a redelivery told %v", got[portal.RungChase])
	}
}

// TestActionChasingDueDateMoves checks that a new due date reschedules the
// ladder and leaves the old date's tasks with nothing to do, and that a
// done item is not chased.
func TestActionChasingDueDateMoves(t *testing.T) {
	f := newActionJobs(t)
	ctx := f.As(t, "committee")
	it, err := f.svc.Create(ctx, "mtg-port-1", portal.ActionItemInput{Title: "冷链仓储用地预审", LeadUnitID: "dept-plan", Due: "2026-04-10"})
	portaltest.Must(t, err, "create")
	oldDue := it.Due.Unix()
	f.at("2026-03-31 09:00")
	newDue := "2026-04-17"
	it, err = f.svc.Update(ctx, it.ID, portal.ActionItemPatch{Due: &newDue})
	portaltest.Must(t, err, "move the due date")
	var news, olds int
	for _, id := range f.scheduled(t) {
		switch {
		case strings.HasPrefix(id, "action:"+it.ID+":") && strings.HasSuffix(id, ":"+strconv.FormatInt(it.Due.Unix(), 10)):
			news++
		case strings.HasPrefix(id, "action:"+it.ID+":") && strings.HasSuffix(id, ":"+strconv.FormatInt(oldDue, 10)):
			olds++
		}
	}
	if news != 3 || olds != 3 {
		t.Fatalf("after the move: %d tasks of the new date, %d of the old; want 3 and 3", news, olds)
	}
	// The old date's chase comes round: nothing happens.
	f.at("2026-04-11 00:05")
	res, err := f.svc.FireRung(context.Background(), portal.ActionRungKey{ItemID: it.ID, Rung: portal.RungChase, Due: oldDue})
	portaltest.Must(t, err, "old chase")
	if res.Outcome != portal.FireStale {
		t.Errorf("the old date's chase: %s", res.Outcome)
	}
	f.sweep(t)
	if got := f.item(t, it.ID); len(got.Rungs) != 0 {
		t.Errorf("rungs after the old due date passed: %v", got.Rungs)
	}
	// 75 % of 31 March 09:00 → 18 April 00:00 is 13 April 14:15.
	f.at("2026-04-13 14:16")
	f.sweep(t)
	got := f.item(t, it.ID)
	if !slices.Equal(got.Rungs, []string{"warn"}) {
		t.Errorf("rungs at the new date's warning: %v", got.Rungs)
	}
	// Done before its date: the remaining rungs do nothing.
	_, err = f.svc.Report(f.As(t, "handler-plan"), it.ID, portal.ProgressInput{Percent: ptrInt(100), Note: "预审意见已出具"},
		[]portal.Upload{{Name: "预审意见.pdf", Content: []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n")}})
	portaltest.Must(t, err, "report done")
	_, err = f.svc.Confirm(ctx, it.ID, portal.ConfirmInput{})
	portaltest.Must(t, err, "confirm")
	f.at("2026-04-25 09:00")
	f.sweep(t)
	res, err = f.svc.FireRung(context.Background(), portal.ActionRungKey{ItemID: it.ID, Rung: portal.RungChase, Due: got.Due.Unix()})
	portaltest.Must(t, err, "chase of a done item")
	if res.Outcome != portal.FireDone || !slices.Equal(f.item(t, it.ID).Rungs, []string{"warn"}) {
		t.Errorf("a done item: %s, rungs %v", res.Outcome, f.item(t, it.ID).Rungs)
	}
}

func ptrInt(n int) *int { return &n }
