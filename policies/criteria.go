package policies

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huiqi/huiqi/portal"
)

// fieldKind is the type of value a criteria field holds.
type fieldKind int

const (
	numberField fieldKind = iota // employees, revenue, assets
	stringField                  // tax rating, size class
	listField                    // qualifications, chains: the enterprise holds several
	placeField                   // industry, region: matched against a list of codes
	dateField                    // founded
)

// fieldInfo describes a field criteria may test.
type fieldInfo struct {
	Name string // Chinese name
	Unit string // for numbers
	Kind fieldKind
	Ops  []string
}

// Fields are the enterprise profile fields criteria may test.
var Fields = map[string]fieldInfo{
	"industry":       {"所属行业", "", placeField, []string{"in", "nin"}},
	"region":         {"所在区域", "", placeField, []string{"in", "nin"}},
	"employees":      {"从业人员", "人", numberField, []string{"eq", "ne", "gte", "lte", "between"}},
	"revenue":        {"营业收入", "万元", numberField, []string{"eq", "ne", "gte", "lte", "between"}},
	"assets":         {"资产总额", "万元", numberField, []string{"eq", "ne", "gte", "lte", "between"}},
	"founded":        {"成立时间", "", dateField, []string{"within_years", "gte", "lte"}},
	"tax_rating":     {"纳税信用等级", "", stringField, []string{"eq", "ne", "in", "nin"}},
	"size_class":     {"企业规模", "", stringField, []string{"eq", "ne", "in", "nin"}},
	"qualifications": {"企业资质", "", listField, []string{"has", "not_has", "in"}},
	"chains":         {"所属产业链", "", listField, []string{"has", "not_has", "in"}},
}

// OpNames are the Chinese words for each operator.
var OpNames = map[string]string{
	"eq": "等于", "ne": "不等于", "in": "属于", "nin": "不属于", "gte": "不低于", "lte": "不超过",
	"between": "介于", "has": "具有", "not_has": "不具有", "within_years": "成立不满",
}

// Validate checks that the clause names a known field, an operator that
// field allows and a value of the right shape.
func (c Clause) Validate() error {
	info, ok := Fields[c.Field]
	if !ok {
		return fmt.Errorf("未知的条件字段 %q", c.Field)
	}
	if !slices.Contains(info.Ops, c.Op) {
		return fmt.Errorf("%s不能使用运算符 %q", info.Name, c.Op)
	}
	_, err := c.parse(info)
	return err
}

// clauseValue is a clause's value once parsed.
type clauseValue struct {
	nums []float64
	strs []string
	date time.Time
}

func (c Clause) parse(info fieldInfo) (clauseValue, error) {
	var v clauseValue
	if len(c.Value) == 0 {
		return v, errors.New("缺少条件值")
	}
	switch {
	case c.Op == "between":
		if err := json.Unmarshal(c.Value, &v.nums); err != nil || len(v.nums) != 2 || v.nums[0] > v.nums[1] {
			return v, errors.New("介于需要两个数 [下限, 上限]，且下限不大于上限")
		}
	case c.Op == "within_years":
		var n float64
		if err := json.Unmarshal(c.Value, &n); err != nil || n <= 0 || n > 100 {
			return v, errors.New("成立年限应为 1 到 100 之间的数")
		}
		v.nums = []float64{n}
	case info.Kind == numberField:
		var n float64
		if err := json.Unmarshal(c.Value, &n); err != nil || n < 0 {
			return v, errors.New("需要一个非负数")
		}
		v.nums = []float64{n}
	case info.Kind == dateField:
		var s string
		if err := json.Unmarshal(c.Value, &s); err != nil {
			return v, errors.New("需要一个日期 YYYY-MM-DD")
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return v, errors.New("需要一个日期 YYYY-MM-DD")
		}
		v.date = t
	case c.Op == "in" || c.Op == "nin":
		if err := json.Unmarshal(c.Value, &v.strs); err != nil || len(v.strs) == 0 {
			return v, errors.New("需要一个非空的列表")
		}
	default:
		var s string
		if err := json.Unmarshal(c.Value, &s); err != nil || s == "" {
			return v, errors.New("需要一个文字值")
		}
		v.strs = []string{s}
	}
	return v, nil
}

// Outcome of testing one clause.
type clauseOutcome int

const (
	clausePass clauseOutcome = iota
	clauseFail
	clauseUnknown
)

// compiledClause is a clause with its field looked up and its value
// parsed once, so that testing many enterprises parses nothing.
type compiledClause struct {
	field string
	op    string
	info  fieldInfo
	label string // the clause's label, or the field's name
	value clauseValue
	known bool // false when the field is unknown or the value does not parse
}

// compile looks up the clause's field and parses its value.
func (c Clause) compile() compiledClause {
	cc := compiledClause{field: c.Field, op: c.Op, label: c.Label}
	info, ok := Fields[c.Field]
	if ok {
		v, err := c.parse(info)
		cc.info, cc.value, cc.known = info, v, err == nil
	}
	if cc.label == "" {
		cc.label = info.Name
	}
	return cc
}

// evaluate tests the clause against an enterprise; reason says why it
// failed (only when explain is set: building it costs more than the test)
// or which field is missing.
func (c *compiledClause) evaluate(e *portal.Enterprise, now time.Time, explain bool) (clauseOutcome, string) {
	if !c.known {
		return clauseUnknown, c.field
	}
	info, v, label := c.info, &c.value, c.label
	switch info.Kind {
	case numberField:
		x, known := numberOf(e, c.field)
		if !known {
			return clauseUnknown, info.Name
		}
		return compareNumber(info, c.op, x, v.nums, explain)
	case dateField:
		if e.Profile.Founded == nil {
			return clauseUnknown, info.Name
		}
		f := *e.Profile.Founded
		switch c.op {
		case "within_years":
			limit := now.AddDate(-int(v.nums[0]), 0, 0)
			if f.Before(limit) {
				return failed(explain, func() string {
					return fmt.Sprintf("成立于 %s，已超过 %g 年", f.Format("2006年1月"), v.nums[0])
				})
			}
		case "gte":
			if f.Before(v.date) {
				return failed(explain, func() string {
					return fmt.Sprintf("成立于 %s，早于 %s", f.Format("2006-01-02"), v.date.Format("2006-01-02"))
				})
			}
		case "lte":
			if f.After(v.date) {
				return failed(explain, func() string {
					return fmt.Sprintf("成立于 %s，晚于 %s", f.Format("2006-01-02"), v.date.Format("2006-01-02"))
				})
			}
		}
		return clausePass, ""
	case stringField:
		s := stringOf(e, c.field)
		if s == "" {
			return clauseUnknown, info.Name
		}
		in := slices.Contains(v.strs, s)
		if (c.op == "eq" || c.op == "in") != in {
			return failed(explain, func() string {
				return fmt.Sprintf("%s为%s，不符合“%s”", info.Name, displayValue(c.field, s), label)
			})
		}
		return clausePass, ""
	case listField:
		held := listOf(e, c.field)
		if c.field == "qualifications" && held == nil && e.Profile.Qualifications == nil && !profileKnown(e) {
			return clauseUnknown, info.Name
		}
		hasAny := false
		for _, want := range v.strs {
			hasAny = hasAny || slices.Contains(held, want)
		}
		switch c.op {
		case "has", "in":
			if !hasAny {
				return failed(explain, func() string { return fmt.Sprintf("不具有%s", strings.Join(v.strs, "或")) })
			}
		case "not_has":
			if hasAny {
				return failed(explain, func() string { return fmt.Sprintf("已具有%s", strings.Join(v.strs, "、")) })
			}
		}
		return clausePass, ""
	case placeField:
		a, b := placeCodes(e, c.field)
		if a == "" && b == "" {
			return clauseUnknown, info.Name
		}
		match := (a != "" && slices.Contains(v.strs, a)) || (b != "" && slices.Contains(v.strs, b))
		if (c.op == "in") != match {
			return failed(explain, func() string { return fmt.Sprintf("%s不符合“%s”", info.Name, label) })
		}
		return clausePass, ""
	}
	return clauseUnknown, info.Name
}

// failed is a failing outcome with its reason, built only when explain is set.
func failed(explain bool, reason func() string) (clauseOutcome, string) {
	if !explain {
		return clauseFail, ""
	}
	return clauseFail, reason()
}

// compareNumber tests x and, on failure, says by how much it misses.
func compareNumber(info fieldInfo, op string, x float64, want []float64, explain bool) (clauseOutcome, string) {
	f := func(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) + " " + info.Unit }
	switch op {
	case "eq":
		if x != want[0] {
			return failed(explain, func() string { return fmt.Sprintf("%s %s，要求等于 %s", info.Name, f(x), f(want[0])) })
		}
	case "ne":
		if x == want[0] {
			return failed(explain, func() string { return fmt.Sprintf("%s %s，要求不等于 %s", info.Name, f(x), f(want[0])) })
		}
	case "gte":
		if x < want[0] {
			return failed(explain, func() string { return fmt.Sprintf("%s %s，低于下限 %s", info.Name, f(x), f(want[0])) })
		}
	case "lte":
		if x > want[0] {
			return failed(explain, func() string { return fmt.Sprintf("%s %s，高于上限 %s", info.Name, f(x), f(want[0])) })
		}
	case "between":
		if x < want[0] {
			return failed(explain, func() string { return fmt.Sprintf("%s %s，低于下限 %s", info.Name, f(x), f(want[0])) })
		}
		if x > want[1] {
			return failed(explain, func() string { return fmt.Sprintf("%s %s，高于上限 %s", info.Name, f(x), f(want[1])) })
		}
	}
	return clausePass, ""
}

func numberOf(e *portal.Enterprise, field string) (float64, bool) {
	p := e.Profile
	switch field {
	case "employees":
		if p.Employees != nil {
			return float64(*p.Employees), true
		}
	case "revenue":
		if p.Revenue != nil {
			return *p.Revenue, true
		}
	case "assets":
		if p.Assets != nil {
			return *p.Assets, true
		}
	}
	return 0, false
}

func stringOf(e *portal.Enterprise, field string) string {
	switch field {
	case "tax_rating":
		return e.Profile.TaxRating
	case "size_class":
		return string(e.Profile.SizeClass)
	}
	return ""
}

func listOf(e *portal.Enterprise, field string) []string {
	switch field {
	case "qualifications":
		return e.Profile.Qualifications
	case "chains":
		return e.ChainIDs
	}
	return nil
}

// profileKnown reports whether the enterprise's profile has been filled
// in at all: only then does an empty qualification list mean "none".
func profileKnown(e *portal.Enterprise) bool {
	p := e.Profile
	return p.Employees != nil || p.Revenue != nil || p.Assets != nil || p.Founded != nil || p.TaxRating != ""
}

// placeCodes are the two codes an enterprise answers to for industry
// (section and division) or region (sub-district and park); either may be "".
func placeCodes(e *portal.Enterprise, field string) (string, string) {
	switch field {
	case "industry":
		return e.IndustrySection, e.IndustryDivision
	case "region":
		return e.SubdistrictID, e.ParkID
	}
	return "", ""
}

func displayValue(field, v string) string {
	if field == "size_class" {
		if n, ok := portal.SizeClassNames[portal.SizeClass(v)]; ok {
			return n
		}
	}
	return v
}
