package mongostore_test

import (
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func testMeeting(id, chain string, at time.Time, depts ...string) *portal.Meeting {
	return &portal.Meeting{ID: id, Type: portal.MeetingJoint, Title: "会议 " + id, ChainID: chain, ConvenerUnitID: "dept-trans",
		At: at, Place: "区政府三楼会议室", DepartmentIDs: depts, EnterpriseIDs: []string{}, Topics: []portal.Topic{},
		Minutes: "纪要正文 " + id, Version: 1, CreatedAt: at}
}

func TestMeetingStore(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewMeetingStore(db)
	base := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	for _, m := range []*portal.Meeting{
		testMeeting("m1", "chain-port", base, "dept-trans"),
		testMeeting("m2", "chain-port", base.AddDate(0, 0, 10), "dept-hrss"),
		testMeeting("m3", "chain-jewelry", base.AddDate(0, 0, 5), "dept-miit"),
	} {
		portaltest.Must(t, s.CreateMeeting(ctx, m), "create %s", m.ID)
	}
	ids := func(f portal.MeetingFilter) []string {
		t.Helper()
		list, total, err := s.FindMeetings(ctx, f)
		portaltest.Must(t, err, "find")
		var out []string
		for _, m := range list {
			if m.Minutes != "" {
				t.Errorf("list carries the minutes of %s", m.ID)
			}
			out = append(out, m.ID)
		}
		if f.Limit == 0 && total != len(out) {
			t.Errorf("total %d for %d items", total, len(out))
		}
		return out
	}
	from := base.AddDate(0, 0, 1)
	for name, c := range map[string]struct {
		f    portal.MeetingFilter
		want []string
	}{
		"AllLatestFirst":      {portal.MeetingFilter{}, []string{"m2", "m3", "m1"}},
		"Soonest":             {portal.MeetingFilter{Soonest: true}, []string{"m1", "m3", "m2"}},
		"Chain":               {portal.MeetingFilter{ChainID: "chain-port"}, []string{"m2", "m1"}},
		"ScopeChain":          {portal.MeetingFilter{AnyOf: []portal.MeetingScope{{ChainIn: []string{"chain-jewelry"}}}}, []string{"m3"}},
		"ScopeUnitAttends":    {portal.MeetingFilter{AnyOf: []portal.MeetingScope{{UnitID: "dept-hrss"}}}, []string{"m2"}},
		"ScopeUnitConvenes":   {portal.MeetingFilter{AnyOf: []portal.MeetingScope{{UnitID: "dept-trans"}}}, []string{"m2", "m3", "m1"}},
		"ScopeFrom":           {portal.MeetingFilter{AnyOf: []portal.MeetingScope{{ChainIn: []string{"chain-port"}, AtFrom: &from}}}, []string{"m2"}},
		"EmptyScopeNothing":   {portal.MeetingFilter{AnyOf: []portal.MeetingScope{}}, nil},
		"BlankClauseNothing":  {portal.MeetingFilter{AnyOf: []portal.MeetingScope{{}}}, nil},
		"DateRange":           {portal.MeetingFilter{AtFrom: &from, AtTo: ptrTime(base.AddDate(0, 0, 6))}, []string{"m3"}},
		"QueryTitle":          {portal.MeetingFilter{Q: "m3"}, []string{"m3"}},
		"QueryRegexIsLiteral": {portal.MeetingFilter{Q: "m.*"}, nil},
		"Type":                {portal.MeetingFilter{Type: portal.MeetingForum}, nil},
		"Paging":              {portal.MeetingFilter{Offset: 1, Limit: 1}, []string{"m3"}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := ids(c.f); !equalStrings(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.FindMeetingByID(ctx, "nope"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("err = %v, want not found", err)
		}
	})

	t.Run("UpdateVersionGuarded", func(t *testing.T) {
		m, err := s.FindMeetingByID(ctx, "m1")
		portaltest.Must(t, err, "find")
		stale := *m
		m.Place = "港务大厦"
		portaltest.Must(t, s.UpdateMeeting(ctx, m, 1), "update")
		if m.Version != 2 {
			t.Fatalf("version after update = %d, want 2", m.Version)
		}
		stale.Place = "被覆盖的地点"
		if err := s.UpdateMeeting(ctx, &stale, 1); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("stale update: %v, want conflict", err)
		}
		got, _ := s.FindMeetingByID(ctx, "m1")
		if got.Place != "港务大厦" || got.Version != 2 {
			t.Fatalf("stored %q v%d, want 港务大厦 v2", got.Place, got.Version)
		}
	})

	t.Run("RacingWritersOneWins", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m, _ := s.FindMeetingByID(ctx, "m2")
				m.Version = 1
				m.Agenda = "议程"
				errs[i] = s.UpdateMeeting(ctx, m, 1)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch portal.ErrorCode(err) {
			case "":
				won++
			case portal.ECONFLICT:
			default:
				t.Errorf("racing update: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d writers won, want exactly 1", won)
		}
	})
}

func ptrTime(t time.Time) *time.Time { return &t }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestVisitStore(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewVisitStore(db)
	base := time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)
	for i, v := range []*portal.Visit{
		{ID: "v1", LiaisonID: "u-liaison", EnterpriseID: "ent-001", EnterpriseName: "海湾国际物流有限公司", At: base},
		{ID: "v2", LiaisonID: "u-liaison", EnterpriseID: "ent-003", EnterpriseName: "海港冷链仓储有限公司", At: base.AddDate(0, 0, 2)},
		{ID: "v3", LiaisonID: "u-liaison2", EnterpriseID: "ent-002", EnterpriseName: "金沙珠宝首饰有限公司", At: base.AddDate(0, 0, 1)},
	} {
		v.CreatedAt = base.Add(time.Duration(i) * time.Minute)
		portaltest.Must(t, s.CreateVisit(ctx, v), "create %s", v.ID)
	}
	for name, c := range map[string]struct {
		f    portal.VisitFilter
		want []string
	}{
		"AllLatestFirst": {portal.VisitFilter{}, []string{"v2", "v3", "v1"}},
		"Liaison":        {portal.VisitFilter{LiaisonID: "u-liaison"}, []string{"v2", "v1"}},
		"Enterprise":     {portal.VisitFilter{EnterpriseID: "ent-002"}, []string{"v3"}},
		"Query":          {portal.VisitFilter{Q: "冷链"}, []string{"v2"}},
	} {
		t.Run(name, func(t *testing.T) {
			list, total, err := s.FindVisits(ctx, c.f)
			portaltest.Must(t, err, "find")
			var got []string
			for _, v := range list {
				got = append(got, v.ID)
			}
			if !equalStrings(got, c.want) || total != len(c.want) {
				t.Errorf("got %v (total %d), want %v", got, total, c.want)
			}
		})
	}
	if _, err := s.FindVisitByID(ctx, "nope"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("missing visit: %v, want not found", err)
	}
	if err := s.CreateVisit(ctx, &portal.Visit{ID: "v1"}); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("duplicate visit: %v, want conflict", err)
	}
}

// TestRequestsBySource checks the source filter of the request list.
func TestRequestsBySource(t *testing.T) {
	db := portaltest.DB(t)
	ctx := ctxT(t)
	s := mongostore.NewRequestStore(db, time.UTC)
	for i, src := range []*portal.Source{{ID: "mtg-1", Name: "联席会议"}, {ID: "mtg-2", Name: "微论坛"}, nil, {ID: "mtg-1", Name: "联席会议"}} {
		r := &portal.Request{ID: "r" + string(rune('a'+i)), Title: "诉求", Status: portal.StatusSubmitted, Source: src, Version: 1,
			CreatedAt: time.Now().UTC(), Attachments: []portal.Attachment{}}
		portaltest.Must(t, s.CreateRequest(ctx, r), "create")
	}
	list, total, err := s.FindRequests(ctx, portal.RequestFilter{SourceID: "mtg-1"})
	portaltest.Must(t, err, "find")
	if total != 2 || len(list) != 2 || list[0].Source.ID != "mtg-1" || list[1].Source.ID != "mtg-1" {
		t.Fatalf("by source: %d of %d", len(list), total)
	}
	n, err := db.Database().Collection("requests").CountDocuments(ctx, bson.D{})
	portaltest.Must(t, err, "count")
	if n != 4 {
		t.Fatalf("stored %d requests, want 4", n)
	}
}
