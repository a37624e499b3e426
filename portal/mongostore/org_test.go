package mongostore_test

import (
	"cmp"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

var clock = time.Date(2026, 3, 2, 1, 30, 0, 123_000_000, time.UTC)

// mustOrgStore returns a store on a fresh database with a fixed clock.
func mustOrgStore(t *testing.T) *mongostore.OrgStore {
	t.Helper()
	db := portaltest.DB(t)
	db.SetClock(func() time.Time { return clock })
	return mongostore.NewOrgStore(db)
}

// tree is a small district: the root, three departments (A), two
// sub-districts (B), two communities and a park (C).
func tree() []*portal.OrgUnit {
	return []*portal.OrgUnit{
		{ID: "yt", Name: "盐田区", Kind: portal.KindDistrict},
		{ID: "jtj", Name: "区交通运输局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "yt", Head: "王局长"},
		{ID: "fgj", Name: "区发展和改革局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "yt"},
		{ID: "gxj", Name: "区工业和信息化局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "yt"},
		{ID: "stj", Name: "沙头角街道", Kind: portal.KindSubdistrict, Tier: portal.TierB, ParentID: "yt"},
		{ID: "htj", Name: "海山街道", Kind: portal.KindSubdistrict, Tier: portal.TierB, ParentID: "yt"},
		{ID: "stj-1", Name: "田心社区", Kind: portal.KindCommunity, Tier: portal.TierC, ParentID: "stj"},
		{ID: "stj-2", Name: "东和社区", Kind: portal.KindCommunity, Tier: portal.TierC, ParentID: "stj"},
		{ID: "htj-p", Name: "海山产业园", Kind: portal.KindPark, Tier: portal.TierC, ParentID: "htj"},
	}
}

func seed(t *testing.T, s *mongostore.OrgStore) []*portal.OrgUnit {
	t.Helper()
	units := tree()
	for _, u := range units {
		portaltest.Must(t, s.UpsertOrgUnit(ctxT(t), u), "upsert %s", u.ID)
	}
	return units
}

func ids(units []*portal.OrgUnit) []string {
	out := make([]string, 0, len(units))
	for _, u := range units {
		out = append(out, u.ID)
	}
	return out
}

// byTierName is the order FindOrgUnits promises; a missing tier sorts first.
func byTierName(units []*portal.OrgUnit) []string {
	s := slices.Clone(units)
	slices.SortFunc(s, func(a, b *portal.OrgUnit) int {
		return cmp.Or(cmp.Compare(a.Tier, b.Tier), cmp.Compare(a.Name, b.Name))
	})
	return ids(s)
}

func find(t *testing.T, s *mongostore.OrgStore, f portal.OrgUnitFilter) []*portal.OrgUnit {
	t.Helper()
	units, err := s.FindOrgUnits(ctxT(t), f)
	if err != nil {
		t.Fatalf("FindOrgUnits(%+v): %v", f, err)
	}
	return units
}

func TestOrgStoreUpsert(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := mustOrgStore(t)
		u := &portal.OrgUnit{ID: "jtj", Name: "区交通运输局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "yt", Head: "王局长"}
		if err := s.UpsertOrgUnit(ctxT(t), u); err != nil {
			t.Fatalf("UpsertOrgUnit: %v", err)
		}
		if !u.CreatedAt.Equal(clock) {
			t.Errorf("CreatedAt = %v, want the store clock %v", u.CreatedAt, clock)
		}
		got := find(t, s, portal.OrgUnitFilter{IDs: []string{"jtj"}})
		if len(got) != 1 {
			t.Fatalf("found %d units, want 1", len(got))
		}
		g := got[0]
		if g.ID != u.ID || g.Name != u.Name || g.Kind != u.Kind || g.Tier != u.Tier || g.ParentID != u.ParentID || g.Head != u.Head {
			t.Errorf("round trip = %+v, want %+v", g, u)
		}
		if !g.CreatedAt.Equal(clock) || g.CreatedAt.Location() != time.UTC {
			t.Errorf("stored CreatedAt = %v, want %v in UTC", g.CreatedAt, clock)
		}
	})

	t.Run("OKKeepsGivenCreatedAt", func(t *testing.T) {
		s := mustOrgStore(t)
		created := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		u := &portal.OrgUnit{ID: "yt", Name: "盐田区", Kind: portal.KindDistrict, CreatedAt: created}
		portaltest.Must(t, s.UpsertOrgUnit(ctxT(t), u), "upsert")
		got := find(t, s, portal.OrgUnitFilter{IDs: []string{"yt"}})
		if len(got) != 1 || !got[0].CreatedAt.Equal(created) {
			t.Errorf("found %+v, want CreatedAt %v", got, created)
		}
	})

	t.Run("ReplaceSameID", func(t *testing.T) {
		s := mustOrgStore(t)
		first := &portal.OrgUnit{ID: "jtj", Name: "区交通局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "yt", Head: "王局长"}
		portaltest.Must(t, s.UpsertOrgUnit(ctxT(t), first), "first upsert")
		second := &portal.OrgUnit{ID: "jtj", Name: "区交通运输局", Kind: portal.KindDepartment, Tier: portal.TierB, ParentID: "stj"}
		portaltest.Must(t, s.UpsertOrgUnit(ctxT(t), second), "second upsert")

		all := find(t, s, portal.OrgUnitFilter{})
		if len(all) != 1 {
			t.Fatalf("found %d units after replacing, want 1: %v", len(all), ids(all))
		}
		g := all[0]
		if g.Name != "区交通运输局" || g.Tier != portal.TierB || g.ParentID != "stj" || g.Head != "" {
			t.Errorf("after replace = %+v, want the second version whole (no head)", g)
		}
		if !g.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("replace changed created_at from %v to %v", first.CreatedAt, g.CreatedAt)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		s := mustOrgStore(t)
		seed(t, s)
		before, err := s.CountOrgUnitsByKind(ctxT(t))
		portaltest.Must(t, err, "count")
		bad := &portal.OrgUnit{ID: "bad", Name: "", Kind: portal.KindDepartment, Tier: "Z", ParentID: "yt"}
		err = s.UpsertOrgUnit(ctxT(t), bad)
		if code := portal.ErrorCode(err); code != portal.EINVALID {
			t.Fatalf("UpsertOrgUnit(invalid) = %v (code %q), want %q", err, code, portal.EINVALID)
		}
		fields := portal.ErrorFields(err)
		if fields["name"] == "" || fields["tier"] == "" {
			t.Errorf("fields = %v, want name and tier named", fields)
		}
		if got := find(t, s, portal.OrgUnitFilter{IDs: []string{"bad"}}); len(got) != 0 {
			t.Errorf("invalid unit was stored: %+v", got[0])
		}
		after, err := s.CountOrgUnitsByKind(ctxT(t))
		portaltest.Must(t, err, "count")
		if !maps.Equal(before, after) {
			t.Errorf("counts changed from %v to %v", before, after)
		}
	})

	t.Run("ErrInvalidReplaceKeepsOld", func(t *testing.T) {
		s := mustOrgStore(t)
		seed(t, s)
		bad := &portal.OrgUnit{ID: "jtj", Name: "区交通运输局", Kind: portal.KindDepartment, ParentID: ""}
		if code := portal.ErrorCode(s.UpsertOrgUnit(ctxT(t), bad)); code != portal.EINVALID {
			t.Fatalf("code = %q, want %q", code, portal.EINVALID)
		}
		got := find(t, s, portal.OrgUnitFilter{IDs: []string{"jtj"}})
		if len(got) != 1 || got[0].ParentID != "yt" || got[0].Tier != portal.TierA {
			t.Errorf("stored unit changed by an invalid replace: %+v", got)
		}
	})
}

func TestOrgStoreFind(t *testing.T) {
	s := mustOrgStore(t)
	units := seed(t, s)
	pick := func(keep func(u *portal.OrgUnit) bool) []string {
		var sel []*portal.OrgUnit
		for _, u := range units {
			if keep(u) {
				sel = append(sel, u)
			}
		}
		return byTierName(sel)
	}
	kind := func(k portal.OrgKind) *portal.OrgKind { return &k }
	tier := func(x portal.Tier) *portal.Tier { return &x }
	parent := func(p string) *string { return &p }

	for _, tc := range []struct {
		name   string
		filter portal.OrgUnitFilter
		want   []string
	}{
		{"OKAllOrderedByTierThenName", portal.OrgUnitFilter{}, byTierName(units)},
		{"IDs", portal.OrgUnitFilter{IDs: []string{"stj-1", "jtj", "unknown"}}, pick(func(u *portal.OrgUnit) bool { return u.ID == "stj-1" || u.ID == "jtj" })},
		{"EmptyIDsMatchNothing", portal.OrgUnitFilter{IDs: []string{}}, []string{}},
		{"Kind", portal.OrgUnitFilter{Kind: kind(portal.KindDepartment)}, pick(func(u *portal.OrgUnit) bool { return u.Kind == portal.KindDepartment })},
		{"TierC", portal.OrgUnitFilter{Tier: tier(portal.TierC)}, pick(func(u *portal.OrgUnit) bool { return u.Tier == portal.TierC })},
		{"Parent", portal.OrgUnitFilter{ParentID: parent("stj")}, []string{"stj-2", "stj-1"}},
		{"KindAndParent", portal.OrgUnitFilter{Kind: kind(portal.KindPark), ParentID: parent("htj")}, []string{"htj-p"}},
		{"TierAndIDs", portal.OrgUnitFilter{Tier: tier(portal.TierB), IDs: []string{"stj", "jtj"}}, []string{"stj"}},
		{"NoMatch", portal.OrgUnitFilter{Kind: kind(portal.KindCommunity), ParentID: parent("htj")}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := find(t, s, tc.filter)
			if got == nil {
				t.Errorf("FindOrgUnits returned a nil slice; want an empty one")
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("FindOrgUnits(%+v) = %v, want %v", tc.filter, ids(got), tc.want)
			}
		})
	}

	// Spell out the order once so the test does not only mirror byTierName.
	t.Run("OrderSpelledOut", func(t *testing.T) {
		// Names compare by code point: 交 4EA4 < 发 53D1 < 工 5DE5;
		// 沙 6C99 < 海 6D77; 东 4E1C < 海 6D77 < 田 7530.
		want := []string{"yt", "jtj", "fgj", "gxj", "stj", "htj", "stj-2", "htj-p", "stj-1"}
		if got := ids(find(t, s, portal.OrgUnitFilter{})); !slices.Equal(got, want) {
			t.Errorf("order = %v, want %v", got, want)
		}
	})
}

func TestOrgStoreCountByKind(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := mustOrgStore(t)
		seed(t, s)
		got, err := s.CountOrgUnitsByKind(ctxT(t))
		if err != nil {
			t.Fatalf("CountOrgUnitsByKind: %v", err)
		}
		want := map[portal.OrgKind]int{
			portal.KindDistrict: 1, portal.KindDepartment: 3, portal.KindSubdistrict: 2,
			portal.KindCommunity: 2, portal.KindPark: 1,
		}
		if !maps.Equal(got, want) {
			t.Errorf("counts = %v, want %v", got, want)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		got, err := mustOrgStore(t).CountOrgUnitsByKind(ctxT(t))
		if err != nil {
			t.Fatalf("CountOrgUnitsByKind: %v", err)
		}
		if got == nil || len(got) != 0 {
			t.Errorf("counts of an empty store = %#v, want an empty map", got)
		}
	})
	t.Run("ReplaceMovesCount", func(t *testing.T) {
		s := mustOrgStore(t)
		seed(t, s)
		park := &portal.OrgUnit{ID: "stj-1", Name: "田心园区", Kind: portal.KindPark, Tier: portal.TierC, ParentID: "stj"}
		portaltest.Must(t, s.UpsertOrgUnit(ctxT(t), park), "replace")
		got, err := s.CountOrgUnitsByKind(ctxT(t))
		portaltest.Must(t, err, "count")
		if got[portal.KindCommunity] != 1 || got[portal.KindPark] != 2 {
			t.Errorf("counts = %v, want community 1, park 2", got)
		}
	})
}
