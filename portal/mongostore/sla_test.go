package mongostore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
	"github.com/huiqi/huiqi/portal/workcal"
)

// slaVersion is the default matrix as version v, with the complaint
// resolve limit of tier B set to days working days.
func slaVersion(v, days int) *portal.SLAPlans {
	m := portal.DefaultSLAPlans()
	m.Version, m.UpdatedBy, m.UpdatedByName = v, "u-admin", "管理员"
	m.UpdatedAt = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	m.Plan(portal.TypeComplaint, portal.TierB).Resolve = portal.SLALimit{Amount: days, Unit: workcal.WorkingDays}
	return m
}

func TestSLAPlanStoreVersions(t *testing.T) {
	s := mongostore.NewSLAPlanStore(portaltest.DB(t))
	ctx := ctxT(t)
	wantCode := func(what string, err error, code string) {
		t.Helper()
		if portal.ErrorCode(err) != code {
			t.Errorf("%s: %v, want %s", what, err, code)
		}
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.CurrentSLAPlans(ctx)
		wantCode("current of an empty store", err, portal.ENOTFOUND)
		_, err = s.SLAPlansVersion(ctx, 1)
		wantCode("version 1 of an empty store", err, portal.ENOTFOUND)
		got, total, err := s.FindSLAPlanVersions(ctx, 0, 10)
		if err != nil || total != 0 || len(got) != 0 {
			t.Errorf("history of an empty store = %v, %d, %v", got, total, err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		portaltest.Must(t, s.SaveSLAPlans(ctx, slaVersion(1, 5)), "save v1")
		wantCode("second v1", s.SaveSLAPlans(ctx, slaVersion(1, 6)), portal.ECONFLICT)
		wantCode("a version that skips one", s.SaveSLAPlans(ctx, slaVersion(4, 6)), portal.ECONFLICT)
		// The refused jump claimed nothing: version 2 can still be written.
		portaltest.Must(t, s.SaveSLAPlans(ctx, slaVersion(2, 7)), "save v2")
		wantCode("stale v2", s.SaveSLAPlans(ctx, slaVersion(2, 8)), portal.ECONFLICT)
		wantCode("version 0", s.SaveSLAPlans(ctx, slaVersion(0, 8)), portal.EINTERNAL)

		cur, err := s.CurrentSLAPlans(ctx)
		portaltest.Must(t, err, "current")
		if cur.Version != 2 || cur.Plan(portal.TypeComplaint, portal.TierB).Resolve.Amount != 7 || cur.UpdatedByName != "管理员" ||
			!cur.UpdatedAt.Equal(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)) || len(cur.Plans) != 12 {
			t.Errorf("current = %+v", cur)
		}
		v1, err := s.SLAPlansVersion(ctx, 1)
		portaltest.Must(t, err, "version 1")
		if got := v1.Plan(portal.TypeComplaint, portal.TierB).Resolve; got != (portal.SLALimit{Amount: 5, Unit: workcal.WorkingDays}) {
			t.Errorf("version 1 complaint B resolve = %+v, want 5 working days", got)
		}
		page, total, err := s.FindSLAPlanVersions(ctx, 1, 1)
		portaltest.Must(t, err, "history")
		if total != 2 || len(page) != 1 || page[0].Version != 1 {
			t.Errorf("second page of one = %d versions of %d, first %+v", len(page), total, page)
		}
	})
}

func TestSLAPlanStoreConcurrentSaves(t *testing.T) {
	s := mongostore.NewSLAPlanStore(portaltest.DB(t))
	ctx := ctxT(t)
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.SaveSLAPlans(ctx, slaVersion(1, 10+i))
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
		t.Errorf("%d of %d racing saves of version 1 won, want exactly 1", won, n)
	}
	_, total, err := s.FindSLAPlanVersions(ctx, 0, 10)
	portaltest.Must(t, err, "history")
	if total != 1 {
		t.Errorf("stored %d versions, want 1", total)
	}
}
