package demo_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/workcal"
)

func TestMain(m *testing.M) { portaltest.Main(m) }

// seedZone is the district's zone.
var seedZone = time.FixedZone("CST", 8*3600)

// demoWorld is the whole demo district (all enterprises) on a fresh
// database, with a request service whose clock is now, running on the
// default SLA plans and chasing ladder.
func demoWorld(t *testing.T, now time.Time) *portaltest.World {
	t.Helper()
	db := portaltest.DB(t)
	clock := func() time.Time { return now }
	w := portaltest.NewWorld(t, db, clock)
	cal := &portal.CalendarService{Store: mongostore.NewCalendarStore(db), Now: clock, Zone: seedZone}
	w.Requests.Deadlines = &portal.SLAService{Store: mongostore.NewSLAPlanStore(db), Calendar: cal, Now: clock}
	w.Requests.Rungs = &portal.Chaser{Requests: w.Requests, Calendar: cal, Ladder: portal.DefaultLadder()}
	ents := mongostore.NewEnterpriseStore(db)
	for _, e := range demo.Enterprises()[12:] { // NewWorld stores the hand-written twelve
		portaltest.Must(t, ents.CreateEnterprise(context.Background(), e), "enterprise %s", e.ID)
	}
	return w
}

// allRequests reads every stored request with its timeline.
func allRequests(t *testing.T, w *portaltest.World) []*portal.Request {
	t.Helper()
	ctx := context.Background()
	list, total, err := w.Store.FindRequests(ctx, portal.RequestFilter{Limit: 1000})
	portaltest.Must(t, err, "list requests")
	if total != len(list) {
		t.Fatalf("listed %d of %d requests", len(list), total)
	}
	out := make([]*portal.Request, 0, len(list))
	for _, r := range list {
		full, err := w.Store.FindRequestByID(ctx, r.ID)
		portaltest.Must(t, err, "read %s", r.No)
		out = append(out, full)
	}
	slices.SortFunc(out, func(a, b *portal.Request) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

func TestSeedRequests(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 40, 0, 0, seedZone) // a Monday morning
	w := demoWorld(t, now)
	ctx := context.Background()
	n, err := demo.SeedRequests(ctx, w.Requests, now)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	rs := allRequests(t, w)
	if n != len(rs) || n < 120 || n > 200 {
		t.Fatalf("seeded %d, stored %d requests, want the same 120–200", n, len(rs))
	}

	t.Run("EveryStateChannelTypeCategory", func(t *testing.T) {
		statuses, channels, types, cats := map[portal.Status]int{}, map[portal.Channel]int{}, map[portal.RequestType]int{}, map[string]int{}
		ents := map[string]bool{}
		for _, r := range rs {
			statuses[r.Status]++
			channels[r.Channel]++
			types[r.Type]++
			cats[r.Category]++
			ents[r.EnterpriseID] = true
		}
		for _, s := range portal.Statuses {
			if statuses[s] == 0 && s != portal.StatusReopened { // reopening comes with the enterprise's feedback
				t.Errorf("no demo request is %s", s)
			}
		}
		for _, c := range portal.Channels {
			if channels[c] == 0 {
				t.Errorf("no demo request came by %s", c)
			}
		}
		for _, ty := range portal.RequestTypes {
			if types[ty] == 0 {
				t.Errorf("no demo request of type %s", ty)
			}
		}
		for _, c := range portal.DefaultCategories() {
			if cats[c.Code] == 0 {
				t.Errorf("no demo request in category %s", c.Code)
			}
		}
		if len(ents) < 80 {
			t.Errorf("the requests come from %d enterprises, want them spread over at least 80", len(ents))
		}
		t.Logf("%d requests from %d enterprises; statuses %v; channels %v; types %v; categories %v",
			len(rs), len(ents), statuses, channels, types, cats)
	})

	t.Run("Sources", func(t *testing.T) {
		name := regexp.MustCompile(`^(\d{4})年(\d{1,2})月\S+(联席会议|微论坛|走访)`)
		for _, r := range rs {
			if !r.Channel.NeedsSource() {
				if r.Source != nil {
					t.Errorf("%s came by %s but names a source %q", r.No, r.Channel, r.Source.Name)
				}
				continue
			}
			if r.Source == nil {
				t.Errorf("%s came by %s without a source", r.No, r.Channel)
				continue
			}
			m := name.FindStringSubmatch(r.Source.Name)
			local := r.CreatedAt.In(seedZone)
			if m == nil || m[1] != strconv.Itoa(local.Year()) || m[2] != strconv.Itoa(int(local.Month())) {
				t.Errorf("%s filed %s names source %q, want one of that month", r.No, local.Format(time.DateOnly), r.Source.Name)
			}
			if kind := map[portal.Channel]string{portal.ChannelJointMeeting: "联席会议", portal.ChannelMicroForum: "微论坛",
				portal.ChannelVisit: "走访"}[r.Channel]; m != nil && m[3] != kind {
				t.Errorf("%s came by %s but its source is %q", r.No, r.Channel, r.Source.Name)
			}
		}
	})

	t.Run("Timelines", func(t *testing.T) {
		cal, err := workcal.New(seedZone, nil, workcal.Builtin())
		portaltest.Must(t, err, "calendar")
		for i, r := range rs {
			if i > 0 && r.No <= rs[i-1].No {
				t.Errorf("%s filed %v after %s: numbers do not follow filing order", r.No, r.CreatedAt, rs[i-1].No)
			}
			if age := now.Sub(r.CreatedAt); age <= 0 || age > 70*24*time.Hour {
				t.Errorf("%s was filed %v before now, want within the last two months", r.No, age)
			}
			if len(r.Timeline) == 0 || r.Timeline[0].Action != "file" || !r.Timeline[0].At.Equal(r.CreatedAt) {
				t.Errorf("%s: timeline does not start with its filing", r.No)
				continue
			}
			for j, ev := range r.Timeline {
				if !ev.At.Before(now) {
					t.Errorf("%s: %s at %v is not in the past", r.No, ev.Action, ev.At)
				}
				if j > 0 && !ev.At.After(r.Timeline[j-1].At) {
					t.Errorf("%s: %s at %v does not follow %s at %v", r.No, ev.Action, ev.At, r.Timeline[j-1].Action, r.Timeline[j-1].At)
				}
				local := ev.At.In(seedZone)
				clock := local.Hour()*60 + local.Minute()
				switch portal.Action(ev.Action) {
				case portal.ActSign, portal.ActReply, portal.ActResolve, portal.ActReturn, portal.ActDispatch, portal.ActRedispatch:
					if !cal.IsWorkingDay(workcal.DateOf(ev.At, seedZone)) || clock < 8*60+30 || clock >= 18*60 {
						t.Errorf("%s: %s at %s, outside office hours", r.No, ev.Action, local.Format("2006-01-02 Mon 15:04"))
					}
				}
			}
			if last := r.Timeline[len(r.Timeline)-1]; !last.At.Equal(r.UpdatedAt) || last.To != "" && last.To != r.Status {
				t.Errorf("%s: last event %s at %v (to %s) but updated %v, status %s", r.No, last.Action, last.At, last.To, r.UpdatedAt, r.Status)
			}
		}
	})

	t.Run("Merges", func(t *testing.T) {
		byID := map[string]*portal.Request{}
		for _, r := range rs {
			byID[r.ID] = r
		}
		for _, r := range rs {
			if r.ParentID == "" {
				continue
			}
			master := byID[r.ParentID]
			switch {
			case master == nil || !slices.Contains(master.ChildIDs, r.ID):
				t.Errorf("%s is merged into a master that does not list it", r.No)
			case r.Status == portal.StatusClosed && master.Status != portal.StatusResolved:
				t.Errorf("%s is closed but its master %s is %s", r.No, master.No, master.Status)
			case r.Status == portal.StatusMerged && !master.Status.Open():
				t.Errorf("%s is still merged but its master %s is %s", r.No, master.No, master.Status)
			case master.ParkID != r.ParkID:
				t.Errorf("%s (%s) is merged into %s from another place (%s)", r.No, r.ParkID, master.No, master.ParkID)
			}
		}
	})

	t.Run("Overdue", func(t *testing.T) {
		page, err := w.Requests.List(w.As(t, "dispatcher"), portal.RequestQuery{Overdue: true, Status: string(portal.StatusDispatched)})
		portaltest.Must(t, err, "overdue list")
		if page.Total == 0 {
			t.Error("no dispatched request is overdue")
		}
		all, err := w.Requests.List(w.As(t, "dispatcher"), portal.RequestQuery{Status: string(portal.StatusDispatched)})
		portaltest.Must(t, err, "dispatched list")
		if page.Total == all.Total {
			t.Errorf("all %d dispatched requests are overdue, want some still within their time", all.Total)
		}
		t.Logf("%d of %d dispatched requests are overdue", page.Total, all.Total)
		// The sweeper finds what to chase by next_rung_at.
		for _, r := range rs {
			if r.DueAt != nil && r.NextRungAt == nil {
				t.Errorf("%s is %s with a deadline but nothing to chase it", r.No, r.Status)
			}
		}
	})

	t.Run("MostlyOnTime", func(t *testing.T) {
		done, onTime := map[portal.Leg]int{}, map[portal.Leg]int{}
		for _, r := range rs {
			if r.SLA == nil {
				continue
			}
			for _, leg := range r.SLA.Legs {
				if leg.OnTime != nil {
					done[leg.Leg]++
					if *leg.OnTime {
						onTime[leg.Leg]++
					}
				}
			}
		}
		for _, l := range portal.Legs {
			if share := float64(onTime[l]) / float64(done[l]); done[l] < 10 || share < 0.6 || share == 1 {
				t.Errorf("%s: %d of %d done on time, want most but not all", l, onTime[l], done[l])
			}
		}
		t.Logf("on time: %v of %v", onTime, done)
	})

	t.Run("EveryDemoUserHasWork", func(t *testing.T) {
		for _, u := range demo.Users() {
			if !u.Actor().HasAny(portal.RoleHandler, portal.RoleDeptHead, portal.RoleLiaison, portal.RoleEnterprise, portal.RoleCommittee) {
				continue
			}
			page, err := w.Requests.List(w.As(t, u.Username), portal.RequestQuery{})
			portaltest.Must(t, err, "list as %s", u.Username)
			if page.Total < 3 {
				t.Errorf("%s sees %d demo requests, want at least 3", u.Username, page.Total)
			}
		}
		mine, err := w.Requests.List(w.As(t, "enterprise"), portal.RequestQuery{Mine: true, PerPage: 100})
		portaltest.Must(t, err, "enterprise's requests")
		portal, byLiaison := 0, 0
		for _, r := range mine.Items {
			switch r.FiledByID {
			case "u-enterprise":
				portal++
			case "u-liaison":
				byLiaison++
			}
		}
		if portal < 5 || byLiaison < 1 {
			t.Errorf("ent-001 filed %d requests itself and its liaison %d, want at least 5 and 1", portal, byLiaison)
		}
	})

	t.Run("SecondSeedAddsNothing", func(t *testing.T) {
		again, err := demo.SeedRequests(ctx, w.Requests, now.Add(time.Hour))
		if err != nil || again != 0 {
			t.Fatalf("second seed: %d requests, %v; want 0", again, err)
		}
		if got := len(allRequests(t, w)); got != len(rs) {
			t.Errorf("after a second seed %d requests are stored, want %d", got, len(rs))
		}
	})
}

// TestSeedRequestsAfterHoliday seeds on the first morning after the
// National Day holiday: the story clock must find working days for the
// recent stories across eight days off, and still leave every one in the
// past and every state but reopened present.
func TestSeedRequestsAfterHoliday(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a second district")
	}
	now := time.Date(2026, 10, 9, 8, 5, 0, 0, seedZone)
	w := demoWorld(t, now)
	if _, err := demo.SeedRequests(context.Background(), w.Requests, now); err != nil {
		t.Fatalf("seed: %v", err)
	}
	statuses := map[portal.Status]int{}
	for _, r := range allRequests(t, w) {
		statuses[r.Status]++
		if last := r.Timeline[len(r.Timeline)-1]; !last.At.Before(now) {
			t.Errorf("%s: %s at %v is not before %v", r.No, last.Action, last.At, now)
		}
	}
	if len(statuses) != len(portal.Statuses)-1 {
		t.Errorf("seeded requests in states %v, want every state but reopened", statuses)
	}
}
