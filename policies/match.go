package policies

import (
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

// Compiled is a policy's conditions, its industry and region restrictions
// included, parsed once so that many enterprises can be tested against it
// cheaply. It reads the policy as it was when compiled.
type Compiled struct {
	Policy  *Policy
	clauses []compiledClause
}

// Compile parses p's conditions for matching.
func Compile(p *Policy) *Compiled {
	c := &Compiled{Policy: p, clauses: make([]compiledClause, 0, len(p.Criteria)+2)}
	if len(p.Industries) > 0 {
		c.clauses = append(c.clauses, compiledClause{field: "industry", op: "in", info: Fields["industry"], label: "适用行业",
			value: clauseValue{strs: p.Industries}, known: true})
	}
	if len(p.Regions) > 0 {
		c.clauses = append(c.clauses, compiledClause{field: "region", op: "in", info: Fields["region"], label: "适用区域",
			value: clauseValue{strs: p.Regions}, known: true})
	}
	for _, cl := range p.Criteria {
		c.clauses = append(c.clauses, cl.compile())
	}
	return c
}

// Match tests every condition against e at time now. A condition on a
// field the profile lacks gives needs_info, never a guess.
func (c *Compiled) Match(e *portal.Enterprise, now time.Time) Match {
	var m Match
	for i := range c.clauses {
		cl := &c.clauses[i]
		outcome, reason := cl.evaluate(e, now, true)
		switch outcome {
		case clausePass:
			m.Passed = append(m.Passed, cl.label)
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

// Status is Match(e, now).Status without the reasons, stopping at the
// second failed condition: what a scan of the whole directory needs.
func (c *Compiled) Status(e *portal.Enterprise, now time.Time) MatchStatus {
	failed, missing := 0, 0
	for i := range c.clauses {
		switch outcome, _ := c.clauses[i].evaluate(e, now, false); outcome {
		case clauseFail:
			if failed++; failed == 2 {
				return Ineligible
			}
		case clauseUnknown:
			missing++
		}
	}
	switch {
	case missing > 0:
		return NeedsInfo
	case failed == 1:
		return NearMiss
	default:
		return Eligible
	}
}

// MatchEnterprise tests every condition of p against e at time now; to
// test many enterprises against one policy, Compile it once instead.
func MatchEnterprise(p *Policy, e *portal.Enterprise, now time.Time) Match {
	return Compile(p).Match(e, now)
}
