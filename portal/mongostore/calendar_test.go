package mongostore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func calendarDoc(version int, off ...string) *portal.CalendarYear {
	return &portal.CalendarYear{Year: 2027, DaysOff: off, DaysOn: []string{"2027-02-06"}, Version: version,
		Names: map[string]string{"2027-01-01": "元旦"}, UpdatedBy: "u-admin", UpdatedByName: "管理员",
		UpdatedAt: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)}
}

func TestCalendarStoreSaveVersions(t *testing.T) {
	s := mongostore.NewCalendarStore(portaltest.DB(t))
	ctx := ctxT(t)
	got, err := s.FindCalendarYears(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty store = %v %v", got, err)
	}
	portaltest.Must(t, s.SaveCalendarYear(ctx, calendarDoc(1, "2027-01-01")), "save v1")
	wantConflict := func(what string, err error) {
		t.Helper()
		if portal.ErrorCode(err) != portal.ECONFLICT {
			t.Errorf("%s: %v, want conflict", what, err)
		}
	}
	wantConflict("second v1", s.SaveCalendarYear(ctx, calendarDoc(1, "2027-01-02")))
	wantConflict("a version that skips one", s.SaveCalendarYear(ctx, calendarDoc(5, "2027-01-05")))
	// The refused jump claimed nothing: versions 2 … 5 can still be written in turn.
	portaltest.Must(t, s.SaveCalendarYear(ctx, calendarDoc(2, "2027-01-01", "2027-01-02")), "save v2")
	wantConflict("stale v2", s.SaveCalendarYear(ctx, calendarDoc(2, "2027-01-03")))
	portaltest.Must(t, s.SaveCalendarYear(ctx, calendarDoc(3, "2027-01-01", "2027-01-03")), "save v3")

	got, err = s.FindCalendarYears(ctx)
	portaltest.Must(t, err, "find")
	if len(got) != 1 {
		t.Fatalf("years = %d, want 1", len(got))
	}
	y := got[0]
	if y.Year != 2027 || y.Version != 3 || len(y.DaysOff) != 2 || y.DaysOff[1] != "2027-01-03" || y.DaysOn[0] != "2027-02-06" ||
		y.Names["2027-01-01"] != "元旦" || y.UpdatedByName != "管理员" || !y.UpdatedAt.Equal(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("stored year = %+v", y)
	}
}

func TestCalendarStoreConcurrentSaves(t *testing.T) {
	s := mongostore.NewCalendarStore(portaltest.DB(t))
	ctx := ctxT(t)
	portaltest.Must(t, s.SaveCalendarYear(ctx, calendarDoc(1, "2027-01-01")), "save v1")
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.SaveCalendarYear(ctx, calendarDoc(2, "2027-01-0"+string(rune('2'+i))))
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
			t.Errorf("save: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d saves based on version 1 won, want exactly 1", won, n)
	}
	got, err := s.FindCalendarYears(ctx)
	portaltest.Must(t, err, "find")
	if len(got) != 1 || got[0].Version != 2 {
		t.Errorf("after the race: %+v", got)
	}
}
