package portal_test

import (
	"slices"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

// staleVersion is the answer of Act to an action that the actor may take
// in the current state, sent with a version the request has moved past.
const staleVersion = "诉求已被他人更新，请刷新后重试"

// TestAllowedActionsAgreeWithAct walks a request through the states a page
// shows and checks, for every demo user and public action, that the
// buttons a page would offer are exactly the actions Act accepts. Act is
// asked with a stale version, so it judges who and when but changes nothing.
func TestAllowedActionsAgreeWithAct(t *testing.T) {
	f := newReqFixture(t)
	users := []string{"admin", "dispatcher", "handler", "depthead", "handlerb", "liaison", "liaison2", "committee", "enterprise", "enterprise2", "editor"}
	r := f.file(t, "enterprise", nil)
	check := func(state string) {
		t.Helper()
		for _, u := range users {
			ctx := f.As(t, u)
			seen, err := f.Requests.Get(ctx, r.ID)
			if err != nil {
				if got := f.Requests.AllowedActions(ctx, r); len(got) != 0 {
					t.Errorf("%s, %s cannot see the request but is offered %v", state, u, got)
				}
				continue
			}
			allowed := f.Requests.AllowedActions(ctx, seen)
			for _, a := range portal.PublicActions {
				_, err := f.Requests.Act(ctx, r.ID, a, portal.ActionInput{Version: seen.Version + 100})
				accepted := portal.ErrorMessage(err) == staleVersion
				if accepted != slices.Contains(allowed, a) {
					t.Errorf("%s, %s %s: offered %v, Act answers %q", state, u, a, slices.Contains(allowed, a), portal.ErrorMessage(err))
				}
			}
		}
		if got := f.Requests.AllowedActions(f.As(t, "enterprise"), nil); got != nil {
			t.Errorf("actions offered on no request: %v", got)
		}
	}
	check("submitted")
	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	check("dispatched")
	r = f.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	check("signed")
	r = f.act(t, "handler", r.ID, portal.ActSuspend, portal.ActionInput{Reason: "等待企业补充材料"})
	check("suspended")
	r = f.act(t, "handler", r.ID, portal.ActResume, portal.ActionInput{})
	r = f.act(t, "handler", r.ID, portal.ActReturn, portal.ActionInput{Reason: "不属于本局职责"})
	check("returned")
	r = f.act(t, "enterprise", r.ID, portal.ActWithdraw, portal.ActionInput{})
	check("withdrawn")
}

func TestMayFileAndMayAttach(t *testing.T) {
	f := newReqFixture(t)
	for u, want := range map[string]bool{"enterprise": true, "liaison": true, "dispatcher": true, "admin": true,
		"handler": false, "depthead": false, "committee": false, "editor": false} {
		if got := f.Requests.MayFile(f.As(t, u)); got != want {
			t.Errorf("MayFile(%s) = %v, want %v", u, got, want)
		}
	}
	r := f.file(t, "enterprise", nil)
	for u, want := range map[string]bool{"enterprise": true, "liaison": true, "dispatcher": true, "admin": true,
		"handler": false, "committee": false} {
		if got := f.Requests.MayAttach(f.As(t, u), r); got != want {
			t.Errorf("MayAttach(%s) on a submitted request = %v, want %v", u, got, want)
		}
	}
	r = f.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	if !f.Requests.MayAttach(f.As(t, "handler"), r) {
		t.Error("the department's handler may not attach to a request it handles")
	}
	r = f.act(t, "enterprise", r.ID, portal.ActWithdraw, portal.ActionInput{})
	if f.Requests.MayAttach(f.As(t, "enterprise"), r) {
		t.Error("a withdrawn request is offered an upload")
	}
}

func TestListByStatuses(t *testing.T) {
	f := newReqFixture(t)
	waiting := f.file(t, "enterprise", nil)
	sent := f.file(t, "enterprise", nil)
	f.act(t, "dispatcher", sent.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	ctx := f.As(t, "dispatcher")
	page, err := f.Requests.List(ctx, portal.RequestQuery{Statuses: portal.TriageStatuses})
	if err != nil || page.Total != 1 || page.Items[0].ID != waiting.ID {
		t.Fatalf("triage list: %v, %+v; want only the undispatched request", err, page)
	}
	page, err = f.Requests.List(ctx, portal.RequestQuery{Statuses: portal.TriageStatuses, Status: "dispatched"})
	if err != nil || page.Total != 1 || page.Items[0].ID != sent.ID {
		t.Errorf("Status beside Statuses: %v, %+v; want Status to decide", err, page)
	}
	_, err = f.Requests.List(ctx, portal.RequestQuery{Statuses: []portal.Status{"lost"}})
	if portal.ErrorFields(err)["status"] == "" {
		t.Errorf("unknown state in Statuses: %v, want a status field error", err)
	}
}
