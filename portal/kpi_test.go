package portal_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// TestKPIRates checks the arithmetic of every rate, and that an empty
// denominator gives no rate (nil, "—", null) rather than 0 % or NaN.
func TestKPIRates(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		counts portal.KPICounts
		want   portal.KPIRates
		shown  map[string]string // rate key → as pages show it
	}{
		{name: "nothing at all", counts: portal.KPICounts{},
			shown: map[string]string{"signed_on_time": "—", "resolved": "—", "satisfied": "—", "reopened": "—"}},
		{name: "received but nothing done", counts: portal.KPICounts{Received: 4},
			want:  portal.KPIRates{Resolved: f(0)},
			shown: map[string]string{"resolved": "0.0%", "signed_on_time": "—", "resolved_on_time": "—", "answered": "—"}},
		{name: "every leg, some late",
			counts: portal.KPICounts{Received: 8, Signed: 8, SignedOnTime: 7, Replied: 6, RepliedOnTime: 6, Resolved: 4, ResolvedOnTime: 3,
				Asked: 4, Answered: 3, Solved: 2, Satisfied: 3, Reopened: 1},
			want: portal.KPIRates{SignedOnTime: f(0.875), RepliedOnTime: f(1), ResolvedOnTime: f(0.75), Resolved: f(0.5),
				Solved: f(2.0 / 3), Satisfied: f(1), Answered: f(0.75), Reopened: f(0.25)},
			shown: map[string]string{"signed_on_time": "87.5%", "replied_on_time": "100.0%", "resolved_on_time": "75.0%", "resolved": "50.0%",
				"solved": "66.7%", "satisfied": "100.0%", "answered": "75.0%", "reopened": "25.0%"}},
		{name: "resolved but nobody answered", counts: portal.KPICounts{Received: 2, Resolved: 2, Asked: 2},
			want:  portal.KPIRates{Resolved: f(1), ResolvedOnTime: f(0), Answered: f(0), Reopened: f(0)},
			shown: map[string]string{"answered": "0.0%", "solved": "—", "satisfied": "—", "reopened": "0.0%", "resolved_on_time": "0.0%"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.counts.Rates()
			for _, d := range portal.KPIRateDefs {
				g, w := d.Of(got), d.Of(tc.want)
				switch {
				case (g == nil) != (w == nil):
					t.Errorf("%s: got %v, want %v", d.Name, g, w)
				case g != nil && math.Abs(*g-*w) > 1e-12:
					t.Errorf("%s: got %v, want %v", d.Name, *g, *w)
				}
				if g != nil && (math.IsNaN(*g) || math.IsInf(*g, 0)) {
					t.Errorf("%s is %v", d.Name, *g)
				}
				if want, ok := tc.shown[d.Key]; ok && portal.FormatRate(g) != want {
					t.Errorf("%s shown as %q, want %q", d.Name, portal.FormatRate(g), want)
				}
			}
			raw, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), "NaN") {
				t.Errorf("JSON %s holds NaN", raw)
			}
			if tc.counts.Signed == 0 && !strings.Contains(string(raw), `"signed_on_time":null`) {
				t.Errorf("JSON %s: an empty denominator must be null", raw)
			}
		})
	}
}

// TestKPIRateDefsNameEveryRate: pages list the formulas from KPIRateDefs,
// so it must name all eight rates once.
func TestKPIRateDefsNameEveryRate(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range portal.KPIRateDefs {
		if seen[d.Key] || d.Name == "" || !strings.Contains(d.Formula, "÷") {
			t.Errorf("rate %+v repeated or without a formula", d)
		}
		seen[d.Key] = true
	}
	if len(seen) != 8 {
		t.Errorf("%d rates defined, want 8", len(seen))
	}
}

// TestKPICountsOf checks a request's contribution against the counting
// rules: legs of the current SLA, resolved also by ResolvedAt, answers
// from the verified outcome before the feedback, merged children nothing.
func TestKPICountsOf(t *testing.T) {
	now := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)
	yes, no := true, false
	done := func(onTime *bool) portal.LegDeadline {
		return portal.LegDeadline{Due: now, DoneAt: &now, OnTime: onTime}
	}
	sla := func(legs ...portal.LegDeadline) *portal.SLA {
		for i, l := range []portal.Leg{portal.LegSign, portal.LegReply, portal.LegResolve} {
			if i < len(legs) {
				legs[i].Leg = l
			}
		}
		return &portal.SLA{Generation: 1, Legs: legs}
	}
	tests := []struct {
		name string
		r    portal.Request
		want portal.KPICounts
	}{
		{"submitted", portal.Request{Status: portal.StatusSubmitted}, portal.KPICounts{Received: 1}},
		{"merged child", portal.Request{Status: portal.StatusMerged, ParentID: "m"}, portal.KPICounts{}},
		{"signed on time, replied late", portal.Request{SLA: sla(done(&yes), done(&no), portal.LegDeadline{Due: now})},
			portal.KPICounts{Received: 1, Signed: 1, SignedOnTime: 1, Replied: 1}},
		{"resolved on time, satisfied", portal.Request{ResolvedAt: &now, SLA: sla(done(&yes), done(&yes), done(&yes)),
			Feedback: &portal.Feedback{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied}},
			portal.KPICounts{Received: 1, Signed: 1, SignedOnTime: 1, Replied: 1, RepliedOnTime: 1, Resolved: 1, ResolvedOnTime: 1,
				Asked: 1, Answered: 1, Solved: 1, Satisfied: 1}},
		{"reopened: new generation, resolved still counted", portal.Request{ResolvedAt: &now, Reopened: 2,
			SLA:      sla(portal.LegDeadline{Due: now}, portal.LegDeadline{Due: now}, portal.LegDeadline{Due: now}),
			Feedback: &portal.Feedback{Solved: portal.Unsolved, Satisfaction: portal.Dissatisfied}},
			portal.KPICounts{Received: 1, Resolved: 1, Asked: 1, Answered: 1, Reopened: 1}},
		{"verified outcome wins", portal.Request{ResolvedAt: &now,
			Feedback: &portal.Feedback{Solved: portal.SolvedYes, Satisfaction: portal.Satisfied},
			Verified: &portal.Verification{Solved: portal.Partly, Satisfaction: portal.Basic}},
			portal.KPICounts{Received: 1, Resolved: 1, Asked: 1, Answered: 1, Satisfied: 1}},
		{"closed unrated", portal.Request{ResolvedAt: &now, Unrated: true, Status: portal.StatusClosed},
			portal.KPICounts{Received: 1, Resolved: 1, Asked: 1}},
	}
	for _, tc := range tests {
		if got := portal.KPICountsOf(&tc.r); got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

// TestKPIDelta: the month is the month of receipt in the district's
// zone; a change moves counts between documents and dimension values and
// leaves out what stays; keys are escaped.
func TestKPIDelta(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	// 2026-10-31 20:00 UTC is already 1 November in the district.
	before := &portal.Request{ID: "r", CreatedAt: time.Date(2026, 10, 31, 20, 0, 0, 0, time.UTC), Category: "a.b",
		Channel: portal.ChannelPortal, SubdistrictID: "sd", ParkID: "p", ChainIDs: []string{"c1"}, LiaisonID: "u-l",
		Status: portal.StatusSubmitted}
	filed := portal.KPIDelta(nil, before, cst)
	units := map[string]bool{}
	for _, in := range filed {
		units[in.ID] = true
		if in.Month != "2026-11" || in.Inc["total.received"] != 1 || in.Inc["by.category.a%2Eb.received"] != 1 ||
			in.Inc["by.department.none.received"] != 1 {
			t.Errorf("filing %s: %+v", in.ID, in)
		}
	}
	for _, id := range []string{"2026-11|all", "2026-11|region:sd", "2026-11|region:p", "2026-11|chain:c1", "2026-11|liaison:u-l"} {
		if !units[id] {
			t.Errorf("filing did not count in %s (got %v)", id, units)
		}
	}
	after := *before
	after.Status, after.DepartmentID, after.Tier = portal.StatusDispatched, "dept-trans", portal.TierA
	moved := portal.KPIDelta(before, &after, cst)
	for _, in := range moved {
		switch in.ID {
		case "2026-11|dept:dept-trans":
			if in.Inc["total.received"] != 1 {
				t.Errorf("the department gains the request: %+v", in.Inc)
			}
		default:
			if _, ok := in.Inc["total.received"]; ok || in.Inc["by.department.none.received"] != -1 ||
				in.Inc["by.department.dept-trans.received"] != 1 || in.Inc["by.tier.A.received"] != 1 {
				t.Errorf("dispatch in %s: %+v", in.ID, in.Inc)
			}
		}
	}
	if d := portal.KPIDelta(&after, &after, cst); len(d) != 0 {
		t.Errorf("no change gave increments %+v", d)
	}
}
