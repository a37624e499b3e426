package web

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/huiqi/huiqi/policies"
	"github.com/huiqi/huiqi/portal"
)

// ---------- criteria as text ----------

// criteriaFieldOrder is the order the builder offers fields in.
var criteriaFieldOrder = []string{"industry", "region", "employees", "revenue", "assets", "founded", "tax_rating", "size_class", "qualifications", "chains"}

// criteriaOpOrder is the order the builder offers operators in.
var criteriaOpOrder = []string{"eq", "ne", "gte", "lte", "between", "in", "nin", "has", "not_has", "within_years"}

// criteriaFields lists every field of policies.Fields, known ones first.
func criteriaFields() []string {
	out := slices.Clone(criteriaFieldOrder)
	var extra []string
	for f := range policies.Fields {
		if !slices.Contains(out, f) {
			extra = append(extra, f)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// criteriaOps lists every operator of policies.OpNames, known ones first.
func criteriaOps() []string {
	out := slices.Clone(criteriaOpOrder)
	var extra []string
	for op := range policies.OpNames {
		if !slices.Contains(out, op) {
			extra = append(extra, op)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// numericField reports whether a field holds a number: those are the
// fields that allow "between" (the field kinds are the domain's own).
func numericField(field string) bool { return slices.Contains(policies.Fields[field].Ops, "between") }

// criteriaHints tell the editor what to type as a field's value.
var criteriaHints = map[string]string{
	"industry":       "行业代码，如 G 或 58，多个用逗号分隔",
	"region":         "区域编号，如 sd-haigang，多个用逗号分隔",
	"employees":      "人数，如 50；“介于”填 10,300",
	"revenue":        "万元，如 5000；“介于”填 100,2000",
	"assets":         "万元，如 5000；“介于”填 100,2000",
	"founded":        "“成立不满”填年数，如 3；其他填日期，如 2020-01-01",
	"tax_rating":     "A、B、M、C、D，多个用逗号分隔",
	"size_class":     "大型、中型、小型、微型，多个用逗号分隔",
	"qualifications": "如 高新技术企业",
	"chains":         "产业链编号，如 chain-port",
}

// sizeCodes reads size classes typed in Chinese.
var sizeCodes = map[string]string{"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}

// splitList splits what editors type as a list: commas of either width,
// enumeration commas, semicolons and line breaks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' || r == '\r'
	}) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// clauseJSON turns the value an editor typed into the clause's JSON by the
// shape the field and operator take. Text that does not fit is passed on
// as a string, so that the domain's validation names what is wrong.
func clauseJSON(field, op, text string) json.RawMessage {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	raw := func(v any) json.RawMessage {
		b, _ := json.Marshal(v)
		return b
	}
	code := func(s string) string {
		if field == "size_class" {
			return cmpOr(sizeCodes[s], s)
		}
		return s
	}
	switch {
	case op == "between":
		parts := strings.FieldsFunc(text, func(r rune) bool {
			return r == ',' || r == '，' || r == '、' || r == '~' || r == '～' || r == '-' || r == '–' || r == '—' || r == ' '
		})
		if len(parts) == 2 {
			lo, err1 := strconv.ParseFloat(parts[0], 64)
			hi, err2 := strconv.ParseFloat(parts[1], 64)
			if err1 == nil && err2 == nil {
				return raw([]float64{lo, hi})
			}
		}
		return raw(text)
	case op == "within_years" || numericField(field):
		if n, err := strconv.ParseFloat(text, 64); err == nil {
			return raw(n)
		}
		return raw(text)
	case op == "in" || op == "nin":
		parts := splitList(text)
		for i := range parts {
			parts[i] = code(parts[i])
		}
		return raw(parts)
	default:
		return raw(code(text))
	}
}

// clauseText is a clause's value as the form shows it, sep between items.
func clauseText(c policies.Clause, sep string) string {
	var v any
	if json.Unmarshal(c.Value, &v) != nil {
		return string(c.Value)
	}
	one := func(x any) string {
		switch y := x.(type) {
		case float64:
			return strconv.FormatFloat(y, 'f', -1, 64)
		case string:
			if c.Field == "size_class" {
				if n, ok := portal.SizeClassNames[portal.SizeClass(y)]; ok {
					return n
				}
			}
			return y
		default:
			b, _ := json.Marshal(y)
			return string(b)
		}
	}
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = one(x)
		}
		return strings.Join(parts, sep)
	}
	return one(v)
}

// describeClause is a clause's label, or a sentence built from it.
func describeClause(c policies.Clause, units map[string]string) string {
	if c.Label != "" {
		return c.Label
	}
	info, ok := policies.Fields[c.Field]
	if !ok {
		return c.Field + " " + c.Op + " " + string(c.Value)
	}
	unit := ""
	if info.Unit != "" {
		unit = " " + info.Unit
	}
	switch {
	case c.Op == "within_years":
		return "成立不满 " + clauseText(c, "、") + " 年"
	case c.Op == "between":
		return info.Name + "介于 " + clauseText(c, "–") + unit
	case c.Field == "industry" || c.Field == "region":
		var codes []string
		_ = json.Unmarshal(c.Value, &codes)
		names := make([]string, len(codes))
		for i, code := range codes {
			if c.Field == "industry" {
				names[i] = industryName(code)
			} else {
				names[i] = cmpOr(units[code], code)
			}
		}
		return info.Name + policies.OpNames[c.Op] + strings.Join(names, "、")
	case numericField(c.Field):
		return info.Name + policies.OpNames[c.Op] + " " + clauseText(c, "、") + unit
	default:
		return info.Name + policies.OpNames[c.Op] + clauseText(c, "、")
	}
}
