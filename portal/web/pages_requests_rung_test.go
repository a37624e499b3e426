package web

import (
	"context"
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestInboxMarksChasedRequests: a request the ladder has warned about is
// marked with its highest rung in the handler's inbox; an unchased one is
// not.
func TestInboxMarksChasedRequests(t *testing.T) {
	ts := newReqPageServer(t)
	warned := ts.file(t, "enterprise", portal.RequestInput{Title: "已预警的通行证诉求"})
	warned = ts.act(t, "dispatcher", warned.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	calm := ts.file(t, "enterprise", portal.RequestInput{Title: "刚分拨的停车诉求"})
	ts.act(t, "dispatcher", calm.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})

	// What the ladder's warn rung records on the sign leg.
	next := *warned
	next.SLA = &portal.SLA{}
	*next.SLA = *warned.SLA
	next.SLA.Legs = append([]portal.LegDeadline(nil), warned.SLA.Legs...)
	next.SLA.Legs[0].Rungs = []string{string(portal.RungWarn)}
	portaltest.Must(t, ts.store.UpdateRequest(context.Background(), &next, warned.Version), "record the warning")

	res := ts.runner().Do(t, portaltest.Scenario{Method: "GET", Path: "/requests/inbox", Actor: "handler"})
	body := res.Body.String()
	if res.Code != 200 {
		t.Fatalf("inbox: %d", res.Code)
	}
	i, j := strings.Index(body, "已预警的通行证诉求"), strings.Index(body, "刚分拨的停车诉求")
	if i < 0 || j < 0 {
		t.Fatalf("inbox lacks the requests")
	}
	if k := strings.Index(body, `<span class="req-rung">已预警</span>`); k < 0 {
		t.Errorf("the warned request is not marked")
	}
	if n := strings.Count(body, `class="req-rung"`); n != 1 {
		t.Errorf("%d rung marks, want only the warned request's", n)
	}
}
