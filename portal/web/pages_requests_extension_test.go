package web

import (
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/portaltest"
)

// TestRequestPageExtension: the handler sees each leg's remaining time
// and asks for an extension on the request page; the department head sees
// the pending request there and approves it, which moves the deadline.
func TestRequestPageExtension(t *testing.T) {
	ts := newReqPageServer(t)
	r := ts.file(t, "enterprise", portal.RequestInput{Title: "港区道路夜间限行咨询"})
	ts.act(t, "dispatcher", r.ID, portal.ActDispatch, portal.ActionInput{Department: "dept-trans"})
	r = ts.act(t, "handler", r.ID, portal.ActSign, portal.ActionInput{})
	page := "/requests/" + r.ID
	oldDue := r.SLA.Leg(portal.LegResolve).Due
	newDue := oldDue.AddDate(0, 0, 3).In(districtTZ).Format("2006-01-02")

	ask := pageForm("the handler asks", "handler", page+"/extension", url.Values{"leg": {"resolve"}, "due": {newDue},
		"reason": {"需要协调交警部门现场勘查"}, "version": {strconv.Itoa(r.Version)}})
	ask.Status, ask.After = 303, func(t *testing.T, res *httptest.ResponseRecorder) {
		redirectsWithFlash(page, "已提交延期申请，等待分拨员或部门负责人审批")(t, res)
		if got := ts.stored(t, r.ID); got.Extension == nil || got.Extension.Leg != portal.LegResolve {
			t.Errorf("no pending extension stored: %+v", got.Extension)
		}
	}
	noReason := pageForm("without a reason", "handler", page+"/extension", url.Values{"leg": {"resolve"}, "due": {newDue},
		"version": {strconv.Itoa(r.Version)}})
	noReason.Status, noReason.After = 303, func(t *testing.T, _ *httptest.ResponseRecorder) {
		if got := ts.stored(t, r.ID); got.Extension != nil || got.Version != r.Version {
			t.Errorf("a refused extension changed the request: %+v", got.Extension)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{
		{Name: "the handler sees the time left and the form", Method: "GET", Path: page, Actor: "handler", Status: 200,
			Contains: []string{"剩余 ", "<summary>申请延期</summary>", `action="/requests/` + r.ID + `/extension"`}},
		{Name: "the enterprise sees the time left but no form", Method: "GET", Path: page, Actor: "enterprise", Status: 200,
			Contains: []string{"剩余 "}, NotContains: []string{"申请延期"}},
		noReason,
		ask,
		{Name: "the head sees the pending request with its decision form", Method: "GET", Path: page, Actor: "depthead", Status: 200,
			Contains: []string{"延期申请待审批", "需要协调交警部门现场勘查", `value="approve"`}},
		{Name: "the handler sees it pending without deciding", Method: "GET", Path: page, Actor: "handler", Status: 200,
			Contains: []string{"延期申请待审批"}, NotContains: []string{`value="approve"`}},
	})
	r = ts.stored(t, r.ID)
	approve := pageForm("the head approves", "depthead", page+"/extension/decision", url.Values{"decision": {"approve"},
		"version": {strconv.Itoa(r.Version)}})
	approve.Status, approve.After = 303, func(t *testing.T, _ *httptest.ResponseRecorder) {
		got := ts.stored(t, r.ID)
		if got.Extension != nil || !got.SLA.Leg(portal.LegResolve).Due.After(oldDue) || got.SLA.Generation != r.SLA.Generation+1 {
			t.Errorf("after approval: pending %+v, resolve due %v (was %v), generation %d", got.Extension,
				got.SLA.Leg(portal.LegResolve).Due, oldDue, got.SLA.Generation)
		}
	}
	ts.runner().Run(t, []portaltest.Scenario{approve})
}
