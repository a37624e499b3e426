package portal_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

func TestTierValid(t *testing.T) {
	for _, tc := range []struct {
		tier portal.Tier
		want bool
	}{
		{portal.TierA, true}, {portal.TierB, true}, {portal.TierC, true},
		{"", false}, {"D", false}, {"a", false}, {"AB", false},
	} {
		if got := tc.tier.Valid(); got != tc.want {
			t.Errorf("Tier(%q).Valid() = %v, want %v", tc.tier, got, tc.want)
		}
	}
}

func TestOrgUnitValidate(t *testing.T) {
	dept := func(mod func(u *portal.OrgUnit)) *portal.OrgUnit {
		u := &portal.OrgUnit{ID: "jtj", Name: "区交通运输局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "district"}
		if mod != nil {
			mod(u)
		}
		return u
	}
	for _, tc := range []struct {
		name string
		unit *portal.OrgUnit
		bad  []string // fields that must be named; nil for a valid unit
	}{
		{"OK", dept(nil), nil},
		{"OKDistrictWithoutTierOrParent", &portal.OrgUnit{ID: "district", Name: "盐田区", Kind: portal.KindDistrict}, nil},
		{"OKCommunity", dept(func(u *portal.OrgUnit) { u.Kind, u.Tier, u.ParentID = portal.KindCommunity, portal.TierC, "shatoujiao" }), nil},
		{"OKPark", dept(func(u *portal.OrgUnit) { u.Kind, u.Tier = portal.KindPark, portal.TierC }), nil},
		{"OKSubdistrict", dept(func(u *portal.OrgUnit) { u.Kind, u.Tier = portal.KindSubdistrict, portal.TierB }), nil},
		{"OKName60Runes", dept(func(u *portal.OrgUnit) { u.Name = strings.Repeat("局", 60) }), nil},
		{"ErrMissingID", dept(func(u *portal.OrgUnit) { u.ID = "" }), []string{"id"}},
		{"ErrMissingName", dept(func(u *portal.OrgUnit) { u.Name = "" }), []string{"name"}},
		{"ErrName61Runes", dept(func(u *portal.OrgUnit) { u.Name = strings.Repeat("局", 61) }), []string{"name"}},
		{"ErrUnknownKind", dept(func(u *portal.OrgUnit) { u.Kind = "ministry" }), []string{"kind"}},
		{"ErrEmptyKind", dept(func(u *portal.OrgUnit) { u.Kind = "" }), []string{"kind"}},
		{"ErrMissingTier", dept(func(u *portal.OrgUnit) { u.Tier = "" }), []string{"tier"}},
		{"ErrBadTier", dept(func(u *portal.OrgUnit) { u.Tier = "D" }), []string{"tier"}},
		{"ErrMissingParent", dept(func(u *portal.OrgUnit) { u.ParentID = "" }), []string{"parent_id"}},
		{"ErrEverything", &portal.OrgUnit{Kind: "x"}, []string{"id", "name", "kind", "tier", "parent_id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.unit.Validate()
			if tc.bad == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if code := portal.ErrorCode(err); code != portal.EINVALID {
				t.Fatalf("Validate() = %v (code %q), want %q", err, code, portal.EINVALID)
			}
			fields := portal.ErrorFields(err)
			got := slices.Sorted(maps.Keys(fields))
			want := slices.Sorted(slices.Values(tc.bad))
			if !slices.Equal(got, want) {
				t.Errorf("fields named %v, want %v (%v)", got, want, fields)
			}
			for k, msg := range fields {
				if msg == "" {
					t.Errorf("field %s has an empty message", k)
				}
			}
			if portal.ErrorMessage(err) == "" {
				t.Errorf("ErrorMessage is empty")
			}
		})
	}
}

func TestOrgUnitSearchDocument(t *testing.T) {
	u := &portal.OrgUnit{ID: "jtj", Name: "区交通运输局", Kind: portal.KindDepartment, Tier: portal.TierA, ParentID: "district", Head: "王局长"}
	doc := u.SearchDocument()
	if doc.ID != "jtj" {
		t.Errorf("ID = %q, want jtj", doc.ID)
	}
	want := map[string]any{"name": "区交通运输局", "kind": "区直部门", "head": "王局长"}
	if !maps.Equal(doc.Fields, want) {
		t.Errorf("Fields = %v, want %v", doc.Fields, want)
	}
}

func TestOrgKindNames(t *testing.T) {
	for _, k := range []portal.OrgKind{portal.KindDistrict, portal.KindDepartment, portal.KindSubdistrict, portal.KindCommunity, portal.KindPark} {
		if portal.OrgKindNames[k] == "" {
			t.Errorf("kind %q has no Chinese name", k)
		}
	}
}
