package mongostore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/portal/portaltest"
)

func TestSurveyStore(t *testing.T) {
	s := mongostore.NewSurveyStore(portaltest.DB(t))
	ctx := ctxT(t)
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	survey := func(id, hash, title string, next time.Time, state portal.SurveyState, owner string) *portal.Survey {
		n := next
		return &portal.Survey{ID: id, RequestID: id[:3], RequestNo: "HQ-2026-" + id[:3], Title: title, EnterpriseName: "海湾国际物流",
			TokenHash: hash, State: state, RemindAt: next, CloseAt: next.Add(96 * time.Hour), NextAt: &n, FollowUpID: owner}
	}
	for _, sv := range []*portal.Survey{
		survey("r01:0", "h1", "港区货车通行证续办", base.Add(48*time.Hour), portal.SurveyFollowUp, "u-liaison"),
		survey("r02:0", "h2", "冷链车辆夜间通行", base.Add(24*time.Hour), portal.SurveyPending, ""),
		survey("r03:1", "h3", "园区停车位不足", base.Add(72*time.Hour), portal.SurveyFollowUp, "u-liaison2"),
	} {
		portaltest.Must(t, s.CreateSurvey(ctx, sv), "create %s", sv.ID)
		if sv.Version != 1 {
			t.Errorf("created %s with version %d", sv.ID, sv.Version)
		}
	}

	t.Run("ErrConflict", func(t *testing.T) {
		for _, dup := range []*portal.Survey{survey("r01:0", "h9", "重复", base, portal.SurveyPending, ""),
			survey("r09:0", "h1", "重复的链接", base, portal.SurveyPending, "")} {
			if err := s.CreateSurvey(ctx, dup); portal.ErrorCode(err) != portal.ECONFLICT {
				t.Errorf("create %s (hash %s) again: %v, want conflict", dup.ID, dup.TokenHash, err)
			}
		}
	})
	t.Run("FindByTokenHash", func(t *testing.T) {
		sv, err := s.FindSurveyByTokenHash(ctx, "h2")
		if err != nil || sv.ID != "r02:0" {
			t.Errorf("by hash h2: %v %v", sv, err)
		}
		for _, h := range []string{"", "nope"} {
			if _, err := s.FindSurveyByTokenHash(ctx, h); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Errorf("by hash %q: %v, want not found", h, err)
			}
		}
	})
	t.Run("DueSoonestFirst", func(t *testing.T) {
		due, err := s.FindSurveysDue(ctx, base.Add(48*time.Hour), 10)
		portaltest.Must(t, err, "due")
		if len(due) != 2 || due[0].ID != "r02:0" || due[1].ID != "r01:0" {
			t.Errorf("due by the second day: %v", surveyIDs(due))
		}
	})
	t.Run("FollowUpList", func(t *testing.T) {
		items, total, err := s.FindSurveys(ctx, portal.SurveyFilter{States: []portal.SurveyState{portal.SurveyFollowUp}, Limit: 10})
		portaltest.Must(t, err, "list")
		if total != 2 || items[0].ID != "r01:0" {
			t.Errorf("follow-ups: %d %v", total, surveyIDs(items))
		}
		items, total, err = s.FindSurveys(ctx, portal.SurveyFilter{States: []portal.SurveyState{portal.SurveyFollowUp},
			FollowUpID: "u-liaison2", Q: "停车", Limit: 10})
		portaltest.Must(t, err, "search")
		if total != 1 || items[0].ID != "r03:1" {
			t.Errorf("liaison2's search: %d %v", total, surveyIDs(items))
		}
	})
	t.Run("UpdateOneWinner", func(t *testing.T) {
		cur, err := s.FindSurveyByID(ctx, "r02:0")
		portaltest.Must(t, err, "find")
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				next := *cur
				next.State, next.NextAt = portal.SurveyAnswered, nil
				errs[i] = s.UpdateSurvey(ctx, &next, cur.Version)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case portal.ErrorCode(err) != portal.ECONFLICT:
				t.Errorf("racing update: %v", err)
			}
		}
		got, err := s.FindSurveyByID(ctx, "r02:0")
		portaltest.Must(t, err, "find")
		if won != 1 || got.Version != 2 || got.State != portal.SurveyAnswered || got.NextAt != nil {
			t.Errorf("%d racing updates won; stored version %d, state %s", won, got.Version, got.State)
		}
		if _, err := s.FindSurveyByID(ctx, "r404:0"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("missing survey: %v", err)
		}
	})
}

func surveyIDs(svs []*portal.Survey) []string {
	out := make([]string, len(svs))
	for i, sv := range svs {
		out[i] = sv.ID
	}
	return out
}
