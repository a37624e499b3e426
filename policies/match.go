package policies

import (
	"encoding/json"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// MatchStatus is how an enterprise stands against a policy.
type MatchStatus string

// Match results.
const (
	Eligible   MatchStatus = "eligible"   // every condition holds
	NearMiss   MatchStatus = "near_miss"  // exactly one condition fails
	Ineligible MatchStatus = "ineligible" // two or more fail
	NeedsInfo  MatchStatus = "needs_info" // the profile lacks a field a condition tests
)

// Match is the outcome for one enterprise and one policy, with the
// reasons people read: what holds, what fails and by how much, what is
// missing.
type Match struct {
	Status  MatchStatus `json:"status"`
	Passed  []string    `json:"passed,omitempty"`
	Failed  []string    `json:"failed,omitempty"`
	Missing []string    `json:"missing,omitempty"`
}

// Reasons is the one list shown beside a match.
func (m Match) Reasons() []string {
	out := append([]string{}, m.Failed...)
	for _, f := range m.Missing {
		out = append(out, "企业档案缺少“"+f+"”，请补充后再判断")
	}
	return out
}

// clauses returns the policy's criteria with its industry and region
// restrictions as clauses of their own.
func (p *Policy) clauses() []Clause {
	out := make([]Clause, 0, len(p.Criteria)+2)
	if len(p.Industries) > 0 {
		v, _ := json.Marshal(p.Industries)
		out = append(out, Clause{Field: "industry", Op: "in", Value: v, Label: "适用行业"})
	}
	if len(p.Regions) > 0 {
		v, _ := json.Marshal(p.Regions)
		out = append(out, Clause{Field: "region", Op: "in", Value: v, Label: "适用区域"})
	}
	return append(out, p.Criteria...)
}

// MatchEnterprise tests every condition of p against e at time now. A
// condition on a field the profile lacks gives needs_info, never a guess.
func MatchEnterprise(p *Policy, e *portal.Enterprise, now time.Time) Match {
	var m Match
	for _, c := range p.clauses() {
		outcome, reason := c.evaluate(e, now)
		label := c.Label
		if label == "" {
			label = Fields[c.Field].Name
		}
		switch outcome {
		case clausePass:
			m.Passed = append(m.Passed, label)
		case clauseFail:
			m.Failed = append(m.Failed, reason)
		case clauseUnknown:
			m.Missing = append(m.Missing, reason)
		}
	}
	switch {
	case len(m.Failed) >= 2:
		m.Status = Ineligible
	case len(m.Missing) > 0:
		m.Status = NeedsInfo
	case len(m.Failed) == 1:
		m.Status = NearMiss
	default:
		m.Status = Eligible
	}
	return m
}
