package mongostore_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func mustRuleStore(t *testing.T) *mongostore.RoutingRuleStore {
	t.Helper()
	return mongostore.NewRoutingRuleStore(portaltest.DB(t))
}

func rule(id, name, category string, prio int, enabled bool) *portal.RoutingRule {
	return &portal.RoutingRule{ID: id, Name: name, Category: category, Priority: prio, Target: portal.TargetOwnSubdistrict,
		Tier: portal.TierB, Enabled: enabled, Version: 1, CreatedAt: clock, UpdatedAt: clock}
}

func ruleIDsOf(rules []*portal.RoutingRule) []string {
	out := []string{}
	for _, r := range rules {
		out = append(out, r.ID)
	}
	return out
}

func TestRoutingRuleStore(t *testing.T) {
	s := mustRuleStore(t)
	ctx := ctxT(t)
	for _, r := range []*portal.RoutingRule{
		rule("r-traffic", "交通", "traffic", 100, true),
		rule("r-any", "兜底", "", 900, true),
		rule("r-traffic-off", "交通停用", "traffic", 50, false),
		rule("r-land", "用地", "land", 100, true),
		rule("r-b", "同级 乙", "traffic", 100, true),
	} {
		portaltest.Must(t, s.CreateRoutingRule(ctx, r), "create %s", r.ID)
	}

	t.Run("ErrDuplicate", func(t *testing.T) {
		err := s.CreateRoutingRule(ctx, rule("r-land", "重复", "land", 1, true))
		if !portal.IsCode(err, portal.ECONFLICT) {
			t.Fatalf("duplicate id: %v, want conflict", err)
		}
	})

	t.Run("Find", func(t *testing.T) {
		got, err := s.FindRoutingRuleByID(ctx, "r-traffic")
		portaltest.Must(t, err, "find")
		if got.Name != "交通" || got.Target != portal.TargetOwnSubdistrict || got.Version != 1 || !got.CreatedAt.Equal(clock) {
			t.Errorf("found %+v", got)
		}
		_, err = s.FindRoutingRuleByID(ctx, "r-none")
		if !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("missing rule: %v, want not found", err)
		}
	})

	for _, tc := range []struct {
		name string
		f    portal.RoutingRuleFilter
		want []string
	}{
		{"all by priority then name", portal.RoutingRuleFilter{}, []string{"r-traffic-off", "r-traffic", "r-b", "r-land", "r-any"}},
		{"a category with the rules for any", portal.RoutingRuleFilter{Category: "traffic"}, []string{"r-traffic-off", "r-traffic", "r-b", "r-any"}},
		{"enabled only", portal.RoutingRuleFilter{Category: "traffic", EnabledOnly: true}, []string{"r-traffic", "r-b", "r-any"}},
		{"a category without rules", portal.RoutingRuleFilter{Category: "park"}, []string{"r-any"}},
	} {
		t.Run("FindRoutingRules/"+tc.name, func(t *testing.T) {
			got, err := s.FindRoutingRules(ctx, tc.f)
			portaltest.Must(t, err, "find")
			if ids := ruleIDsOf(got); !slices.Equal(ids, tc.want) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
		})
	}

	t.Run("Update", func(t *testing.T) {
		r, err := s.FindRoutingRuleByID(ctx, "r-traffic")
		portaltest.Must(t, err, "find")
		r.Name = "交通出行"
		portaltest.Must(t, s.UpdateRoutingRule(ctx, r, 1), "update")
		if r.Version != 2 {
			t.Errorf("version after update %d, want 2", r.Version)
		}
		stale := *r
		stale.Name = "陈旧"
		if err := s.UpdateRoutingRule(ctx, &stale, 1); !portal.IsCode(err, portal.ECONFLICT) || stale.Version != 2 {
			t.Errorf("stale update: %v, version %d; want conflict and the version left alone", err, stale.Version)
		}
		got, err := s.FindRoutingRuleByID(ctx, "r-traffic")
		portaltest.Must(t, err, "find")
		if got.Name != "交通出行" || got.Version != 2 {
			t.Errorf("stored %+v after a stale update", got)
		}
	})

	t.Run("RacingWritersOneWins", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				r := rule("r-land", "用地 "+string(rune('A'+i)), "land", 100, true)
				if i%2 == 0 {
					errs[i] = s.UpdateRoutingRule(ctx, r, 1)
				} else {
					errs[i] = s.DeleteRoutingRule(ctx, "r-land", 1)
				}
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !portal.IsCode(err, portal.ECONFLICT):
				t.Errorf("loser got %v, want conflict", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d writers won, want exactly one", won)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := s.DeleteRoutingRule(ctx, "r-b", 7); !portal.IsCode(err, portal.ECONFLICT) {
			t.Errorf("delete at a version the rule is not at: %v, want conflict", err)
		}
		portaltest.Must(t, s.DeleteRoutingRule(ctx, "r-b", 1), "delete")
		if _, err := s.FindRoutingRuleByID(ctx, "r-b"); !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("deleted rule still found: %v", err)
		}
		if err := s.UpdateRoutingRule(ctx, rule("r-b", "复活", "traffic", 1, true), 2); !portal.IsCode(err, portal.ECONFLICT) {
			t.Errorf("update of a deleted rule: %v, want conflict", err)
		}
		if _, err := s.FindRoutingRuleByID(ctx, "r-b"); !portal.IsCode(err, portal.ENOTFOUND) {
			t.Errorf("an update brought the deleted rule back: %v", err)
		}
	})
}

func TestCategoryStoreCreate(t *testing.T) {
	s := mongostore.NewCategoryStore(portaltest.DB(t))
	ctx := ctxT(t)
	c := &portal.Category{Code: "energy", Name: "能源保供", Types: []portal.RequestType{portal.TypeHelp}, Order: 110, Active: true}
	portaltest.Must(t, s.CreateCategory(ctx, c), "create")
	if err := s.CreateCategory(ctx, &portal.Category{Code: "energy", Name: "别的", Types: c.Types}); !portal.IsCode(err, portal.ECONFLICT) {
		t.Fatalf("duplicate code: %v, want conflict", err)
	}
	got, err := s.CategoryByCode(ctx, "energy")
	portaltest.Must(t, err, "find")
	if got.Name != "能源保供" || got.Order != 110 || !got.Active {
		t.Errorf("stored %+v", got)
	}
}
