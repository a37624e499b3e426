package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// The spot check stage of the demo (抽查): once the feedback stage has
// closed requests, the admin draws a check of last month's — or, when
// none closed then, of the latest month that has closed requests — with
// a fixed seed, and the reviewers phone every sampled enterprise. Most
// confirm what they answered; the first sampled enterprise that had
// answered says the problem is in fact unsolved, and the first that never
// answered says it is dissatisfied, so the demo shows discrepancies.

// demoSpotSeed is the recorded seed of the demo's check.
const demoSpotSeed = 20260101

// demoSpotPercent is the share of each department's closed requests drawn.
const demoSpotPercent = 30

// SeedSpotCheck draws and finishes the demo's spot check and returns how
// many requests it sampled: 0 when no request has closed in the last
// three months or a check already exists.
func SeedSpotCheck(ctx context.Context, svc *portal.SpotCheckService) (int, error) {
	if _, total, err := svc.Store.FindSpotChecks(ctx, portal.SpotCheckFilter{Limit: 1}); err != nil || total > 0 {
		return 0, err
	}
	admin, err := demoActor(ctx, svc.Users, "u-admin")
	if err != nil {
		return 0, err
	}
	dispatcher := portal.RoleDispatcher
	active := portal.UserActive
	users, _, err := svc.Users.FindUsers(ctx, portal.UserFilter{Role: &dispatcher, Status: &active, Limit: 20})
	if err != nil {
		return 0, err
	}
	reviewers := []string{"u-admin"}
	for _, u := range users {
		reviewers = append(reviewers, u.ID)
	}
	seed := int64(demoSpotSeed)
	month, err := demoSpotMonth(ctx, svc)
	if err != nil || month == "" {
		return 0, err
	}
	check, err := svc.Create(admin, portal.SpotCheckInput{Month: month, Percent: demoSpotPercent, Seed: &seed, ReviewerIDs: reviewers})
	if err != nil {
		return 0, fmt.Errorf("draw the demo spot check of %s: %w", month, err)
	}
	v, err := svc.Get(admin, check.ID, portal.SpotCheckItemQuery{PerPage: portal.MaxSpotChecksPerPage})
	if err != nil {
		return 0, err
	}
	actors := map[string]context.Context{}
	unsolved, dissatisfied := false, false
	for _, it := range v.Items {
		as, ok := actors[it.ReviewerID]
		if !ok {
			if as, err = demoActor(ctx, svc.Users, it.ReviewerID); err != nil {
				return 0, err
			}
			actors[it.ReviewerID] = as
		}
		in := portal.VerifyInput{Solved: portal.SolvedYes, Satisfaction: portal.Basic, Note: "电话回访，企业确认已办结。"}
		switch {
		case it.Recorded != nil && !unsolved:
			unsolved = true
			in = portal.VerifyInput{Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied,
				Note: "企业负责人表示问题并未实际解决，线上评价由经办员工代填。"}
		case it.Recorded == nil && !dissatisfied:
			dissatisfied = true
			in = portal.VerifyInput{Solved: portal.Partly, Satisfaction: portal.Dissatisfied,
				Note: "企业未收到评价短信，反映只解决了一部分，对办理进度不满意。"}
		case it.Recorded != nil:
			in.Solved, in.Satisfaction = it.Recorded.Solved, it.Recorded.Satisfaction
		}
		if _, err := svc.Verify(as, check.ID, it.RequestID, in); err != nil {
			return 0, fmt.Errorf("verify demo spot check item %s: %w", it.RequestNo, err)
		}
	}
	return len(v.Items), nil
}

// demoSpotMonth is last month when requests closed in it, else the latest
// of the two months before it or the current month that has some, else "".
func demoSpotMonth(ctx context.Context, svc *portal.SpotCheckService) (string, error) {
	last := svc.LastMonth()
	from, _, _ := svc.MonthRange(last)
	for _, start := range []time.Time{from, from.AddDate(0, 1, 0), from.AddDate(0, -1, 0), from.AddDate(0, -2, 0)} {
		rs, err := svc.Store.FindSpotCheckCandidates(ctx, start, start.AddDate(0, 1, 0))
		if err != nil {
			return "", err
		}
		if len(rs) > 0 {
			return start.Format("2006-01"), nil
		}
	}
	return "", nil
}

// demoActor is the context of the demo user id.
func demoActor(ctx context.Context, users portal.UserStore, id string) (context.Context, error) {
	u, err := users.FindUserByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("demo user %s: %w", id, err)
	}
	return portal.WithActor(ctx, u.Actor()), nil
}
