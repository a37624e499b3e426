package mongostore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/demo"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// profileTestEnterprises returns the twelve hand-written demo enterprises, ent-001 to
// ent-012, without profiles.
func profileTestEnterprises() []*portal.Enterprise {
	var out []*portal.Enterprise
	for _, e := range demo.Enterprises() {
		if e.ID >= "ent-001" && e.ID <= "ent-012" {
			e.Profile = portal.EnterpriseProfile{}
			out = append(out, e)
		}
	}
	return out
}

func TestUpdateEnterpriseProfile(t *testing.T) {
	db := portaltest.DB(t)
	clock := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return clock })
	s := mongostore.NewEnterpriseStore(db)
	ctx := ctxT(t)
	ents := profileTestEnterprises()
	e := ents[0] // 海湾国际物流: transport (division 58)
	portaltest.Must(t, s.CreateEnterprise(ctx, e), "create")

	emp, rev := 80, 5200.0
	clock = clock.Add(time.Hour)
	got, err := s.UpdateEnterpriseProfile(ctx, e.ID, portal.EnterpriseProfile{Employees: &emp, Revenue: &rev,
		TaxRating: "A", SizeClass: portal.SizeLarge})
	if err != nil {
		t.Fatalf("update profile: %v", err)
	}
	// Transport: 20 ≤ employees < 300 and 200 ≤ revenue < 3000 万元 is small,
	// whatever size class the caller sent.
	if got.Profile.SizeClass != portal.SizeSmall || *got.Profile.Employees != 80 || got.Profile.TaxRating != "A" {
		t.Errorf("stored profile %+v, want size class small from the stored industry", got.Profile)
	}
	if !got.UpdatedAt.Equal(clock) {
		t.Errorf("updated_at %v, want %v", got.UpdatedAt, clock)
	}
	if got.Name != e.Name || got.LiaisonID != e.LiaisonID || got.ContactPhone != e.ContactPhone || len(got.ChainIDs) != 1 {
		t.Errorf("registration fields changed by a profile write: %+v", got)
	}

	t.Run("an unknown industry figure leaves the size class empty", func(t *testing.T) {
		got, err := s.UpdateEnterpriseProfile(ctx, e.ID, portal.EnterpriseProfile{Employees: &emp})
		if err != nil || got.Profile.SizeClass != "" || got.Profile.Revenue != nil {
			t.Errorf("profile without revenue: %+v %v, want no size class and no revenue", got.Profile, err)
		}
	})

	t.Run("an enterprise without an industry gets no size class", func(t *testing.T) {
		bare := ents[11]
		bare.IndustrySection, bare.IndustryDivision = "", ""
		portaltest.Must(t, s.CreateEnterprise(ctx, bare), "create")
		got, err := s.UpdateEnterpriseProfile(ctx, bare.ID, portal.EnterpriseProfile{Employees: &emp})
		if err != nil || got.Profile.Employees == nil || got.Profile.SizeClass != "" {
			t.Errorf("profile of an enterprise without industry: %+v %v", got, err)
		}
	})

	t.Run("unknown enterprise", func(t *testing.T) {
		if _, err := s.UpdateEnterpriseProfile(ctx, "ent-none", portal.EnterpriseProfile{}); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("unknown id: %v, want not found", err)
		}
	})
}

func TestScanEnterprises(t *testing.T) {
	db := portaltest.DB(t)
	s := mongostore.NewEnterpriseStore(db)
	ctx := ctxT(t)
	ents := profileTestEnterprises()
	for _, e := range ents {
		portaltest.Must(t, s.CreateEnterprise(ctx, e), "create %s", e.ID)
	}
	var sizes []int
	seen := map[string]bool{}
	err := s.ScanEnterprises(ctx, portal.EnterpriseFilter{Limit: 1}, 5, func(es []*portal.Enterprise) error {
		sizes = append(sizes, len(es))
		for _, e := range es {
			seen[e.ID] = true
		}
		return nil
	})
	if err != nil || len(seen) != len(ents) || fmt.Sprint(sizes) != "[5 5 2]" {
		t.Errorf("scan saw %d enterprises in batches %v (%v), want %d in [5 5 2]", len(seen), sizes, err, len(ents))
	}

	liaison := "u-liaison"
	var caseload []string
	err = s.ScanEnterprises(ctx, portal.EnterpriseFilter{LiaisonID: &liaison}, 0, func(es []*portal.Enterprise) error {
		for _, e := range es {
			caseload = append(caseload, e.ID)
		}
		return nil
	})
	if err != nil || len(caseload) != 4 {
		t.Errorf("liaison's caseload %v (%v), want ent-001, 003, 004 and 010", caseload, err)
	}

	stop := errors.New("stop")
	calls := 0
	err = s.ScanEnterprises(ctx, portal.EnterpriseFilter{}, 5, func([]*portal.Enterprise) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("an error from fn: %v after %d calls, want it returned at once", err, calls)
	}
}
