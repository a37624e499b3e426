package policies

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/portal"
)

func raw(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

func ptr[T any](v T) *T { return &v }

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// logistics is a small logistics company with a full profile.
func logistics() *portal.Enterprise {
	e := &portal.Enterprise{
		ID: "e1", IndustrySection: "G", IndustryDivision: "58", SubdistrictID: "sd-haigang", ParkID: "p-logistics",
		ChainIDs: []string{"chain-port"},
		Profile: portal.EnterpriseProfile{
			Employees: ptr(80), Revenue: ptr(5200.0), Assets: ptr(3000.0),
			Founded: ptr(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)), TaxRating: "A",
			Qualifications: []string{"高新技术企业"},
		},
	}
	e.Classify()
	return e
}

func TestMatchEnterprise(t *testing.T) {
	for _, tc := range []struct {
		name     string
		criteria []Clause
		policy   func(*Policy)
		ent      func(*portal.Enterprise)
		want     MatchStatus
		reason   string // substring of a failed or missing reason
	}{
		{name: "no criteria is eligible", want: Eligible},
		{name: "all hold", criteria: []Clause{
			{Field: "revenue", Op: "lte", Value: raw(10000)},
			{Field: "employees", Op: "between", Value: raw([]float64{10, 300})},
			{Field: "qualifications", Op: "has", Value: raw("高新技术企业")},
			{Field: "tax_rating", Op: "in", Value: raw([]string{"A", "B"})},
			{Field: "founded", Op: "within_years", Value: raw(5)},
			{Field: "chains", Op: "has", Value: raw("chain-port")},
			{Field: "size_class", Op: "in", Value: raw([]string{"small", "micro"})},
		}, want: Eligible},
		{name: "one fails by how much", criteria: []Clause{
			{Field: "revenue", Op: "lte", Value: raw(5000)},
			{Field: "employees", Op: "gte", Value: raw(10)},
		}, want: NearMiss, reason: "营业收入 5200 万元，高于上限 5000 万元"},
		{name: "below a lower bound", criteria: []Clause{{Field: "employees", Op: "gte", Value: raw(100)}},
			want: NearMiss, reason: "从业人员 80 人，低于下限 100 人"},
		{name: "two fail", criteria: []Clause{
			{Field: "revenue", Op: "lte", Value: raw(5000)},
			{Field: "qualifications", Op: "has", Value: raw("专精特新中小企业")},
		}, want: Ineligible, reason: "不具有专精特新中小企业"},
		{name: "missing field is needs_info, never a guess", criteria: []Clause{{Field: "assets", Op: "lte", Value: raw(1000)}},
			ent: func(e *portal.Enterprise) { e.Profile.Assets = nil }, want: NeedsInfo, reason: "资产总额"},
		{name: "missing and failing is still needs_info", criteria: []Clause{
			{Field: "assets", Op: "lte", Value: raw(1000)},
			{Field: "revenue", Op: "lte", Value: raw(5000)},
		}, ent: func(e *portal.Enterprise) { e.Profile.Assets = nil }, want: NeedsInfo},
		{name: "founded too long ago", criteria: []Clause{{Field: "founded", Op: "within_years", Value: raw(3)}},
			want: NearMiss, reason: "已超过 3 年"},
		{name: "industry restriction from the policy", policy: func(p *Policy) { p.Industries = []string{"C"} },
			want: NearMiss, reason: "所属行业"},
		{name: "industry by division", policy: func(p *Policy) { p.Industries = []string{"58", "59"} }, want: Eligible},
		{name: "region restriction", policy: func(p *Policy) { p.Regions = []string{"sd-jinsha"} }, want: NearMiss, reason: "所在区域"},
		{name: "region by subdistrict", policy: func(p *Policy) { p.Regions = []string{"sd-haigang"} }, want: Eligible},
		{name: "not_has holds", criteria: []Clause{{Field: "qualifications", Op: "not_has", Value: raw("规上企业")}}, want: Eligible},
		{name: "not_has fails", criteria: []Clause{{Field: "qualifications", Op: "not_has", Value: raw("高新技术企业")}},
			want: NearMiss, reason: "已具有高新技术企业"},
		{name: "empty profile qualifications unknown", criteria: []Clause{{Field: "qualifications", Op: "has", Value: raw("高新技术企业")}},
			ent: func(e *portal.Enterprise) { e.Profile = portal.EnterpriseProfile{} }, want: NeedsInfo, reason: "企业资质"},
		{name: "size class names the class", criteria: []Clause{{Field: "size_class", Op: "eq", Value: raw("micro")}},
			want: NearMiss, reason: "企业规模为小型"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Policy{Criteria: tc.criteria}
			if tc.policy != nil {
				tc.policy(p)
			}
			e := logistics()
			if tc.ent != nil {
				tc.ent(e)
			}
			m := MatchEnterprise(p, e, now)
			if m.Status != tc.want {
				t.Fatalf("status %s, want %s (failed %v, missing %v)", m.Status, tc.want, m.Failed, m.Missing)
			}
			if tc.reason != "" && !strings.Contains(strings.Join(m.Reasons(), "|"), tc.reason) {
				t.Errorf("reasons %q lack %q", m.Reasons(), tc.reason)
			}
		})
	}
}

func TestClauseValidate(t *testing.T) {
	for _, tc := range []struct {
		c    Clause
		want string
	}{
		{Clause{Field: "revenue", Op: "lte", Value: raw(5000)}, ""},
		{Clause{Field: "height", Op: "lte", Value: raw(1)}, "未知的条件字段"},
		{Clause{Field: "revenue", Op: "has", Value: raw(1)}, "不能使用运算符"},
		{Clause{Field: "revenue", Op: "lte", Value: raw("many")}, "非负数"},
		{Clause{Field: "revenue", Op: "lte", Value: raw(-1)}, "非负数"},
		{Clause{Field: "employees", Op: "between", Value: raw([]int{300, 10})}, "下限不大于上限"},
		{Clause{Field: "employees", Op: "between", Value: raw([]int{10})}, "两个数"},
		{Clause{Field: "founded", Op: "within_years", Value: raw(0)}, "1 到 100"},
		{Clause{Field: "founded", Op: "gte", Value: raw("2020/01/01")}, "YYYY-MM-DD"},
		{Clause{Field: "tax_rating", Op: "in", Value: raw([]string{})}, "非空的列表"},
		{Clause{Field: "qualifications", Op: "has", Value: raw("")}, "文字值"},
		{Clause{Field: "revenue", Op: "lte"}, "缺少条件值"},
	} {
		err := tc.c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tc.c, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want it to mention %q", tc.c, err, tc.want)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	good := func() *Policy {
		return &Policy{Title: "小微企业房租补贴", Issuer: "区工业和信息化局", Level: LevelDistrict, Category: CatSmallMicro,
			Kind: KindPolicy, Summary: "对辖区小微企业给予厂房租金补贴。"}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("good policy: %v", err)
	}
	end := now.Add(-time.Hour)
	for field, mutate := range map[string]func(*Policy){
		"title":       func(p *Policy) { p.Title = "短" },
		"issuer":      func(p *Policy) { p.Issuer = "" },
		"level":       func(p *Policy) { p.Level = "county" },
		"category":    func(p *Policy) { p.Category = "gift" },
		"kind":        func(p *Policy) { p.Kind = "loan" },
		"summary":     func(p *Policy) { p.Summary = "太短" },
		"max_amount":  func(p *Policy) { p.MaxAmount = -5 },
		"apply_end":   func(p *Policy) { p.ApplyStart, p.ApplyEnd = &now, &end },
		"industries":  func(p *Policy) { p.Industries = []string{"Z9"} },
		"criteria[0]": func(p *Policy) { p.Criteria = []Clause{{Field: "nope", Op: "eq", Value: raw(1)}} },
	} {
		p := good()
		mutate(p)
		err := p.Validate()
		if portal.ErrorFields(err)[field] == "" {
			t.Errorf("%s: want the field named, got %v", field, err)
		}
	}
}

func TestOpenAt(t *testing.T) {
	start, end := now.Add(-24*time.Hour), now.Add(24*time.Hour)
	p := &Policy{ApplyStart: &start, ApplyEnd: &end}
	if !p.OpenAt(now) || p.OpenAt(start.Add(-time.Second)) || p.OpenAt(end) {
		t.Error("OpenAt must hold in [start, end) only")
	}
	if !(&Policy{}).OpenAt(now) {
		t.Error("a policy without dates is always open")
	}
}
