package portal

// SizeClass is an enterprise's size under the MIIT classification rules
// (工信部联企业〔2011〕300号《中小企业划型标准规定》). It is computed from the
// industry, employees, revenue and assets, never typed in.
type SizeClass string

// Size classes.
const (
	SizeLarge  SizeClass = "large"
	SizeMedium SizeClass = "medium"
	SizeSmall  SizeClass = "small"
	SizeMicro  SizeClass = "micro"
)

// SizeClassNames are the Chinese names of the classes.
var SizeClassNames = map[SizeClass]string{SizeLarge: "大型", SizeMedium: "中型", SizeSmall: "小型", SizeMicro: "微型"}

// sizeRule holds the thresholds of one industry: an enterprise is medium
// when it reaches both medium thresholds, small when it reaches both small
// ones, micro otherwise, and large when it reaches both large thresholds.
// Each threshold is on employees (people), revenue or assets (10k yuan);
// measure says which of the three the first and second number apply to.
type sizeRule struct {
	first, second        measure
	large, medium, small [2]float64
}

type measure int

const (
	none measure = iota
	employees
	revenue
	assets
)

// sizeRules maps GB/T 4754 divisions (or sections, as "S:<letter>") to rules.
var sizeRules = func() map[string]sizeRule {
	m := map[string]sizeRule{}
	set := func(r sizeRule, keys ...string) {
		for _, k := range keys {
			m[k] = r
		}
	}
	// 农、林、牧、渔业: revenue only.
	set(sizeRule{revenue, none, [2]float64{20000}, [2]float64{500}, [2]float64{50}}, "S:A")
	// 工业: mining, manufacturing, utilities.
	set(sizeRule{employees, revenue, [2]float64{1000, 40000}, [2]float64{300, 2000}, [2]float64{20, 300}}, "S:B", "S:C", "S:D")
	// 建筑业: revenue and assets.
	set(sizeRule{revenue, assets, [2]float64{80000, 80000}, [2]float64{6000, 5000}, [2]float64{300, 300}}, "S:E")
	set(sizeRule{employees, revenue, [2]float64{200, 40000}, [2]float64{20, 5000}, [2]float64{5, 1000}}, "51")                                 // 批发业
	set(sizeRule{employees, revenue, [2]float64{300, 20000}, [2]float64{50, 500}, [2]float64{10, 100}}, "52")                                  // 零售业
	set(sizeRule{employees, revenue, [2]float64{1000, 30000}, [2]float64{300, 3000}, [2]float64{20, 200}}, "53", "54", "55", "56", "57", "58") // 交通运输业
	set(sizeRule{employees, revenue, [2]float64{200, 30000}, [2]float64{100, 1000}, [2]float64{20, 100}}, "59")                                // 仓储业
	set(sizeRule{employees, revenue, [2]float64{1000, 30000}, [2]float64{300, 2000}, [2]float64{20, 100}}, "60")                               // 邮政业
	set(sizeRule{employees, revenue, [2]float64{300, 10000}, [2]float64{100, 2000}, [2]float64{10, 100}}, "61", "62")                          // 住宿业、餐饮业
	set(sizeRule{employees, revenue, [2]float64{2000, 100000}, [2]float64{100, 1000}, [2]float64{10, 100}}, "63", "64")                        // 信息传输业
	set(sizeRule{employees, revenue, [2]float64{300, 10000}, [2]float64{100, 1000}, [2]float64{10, 50}}, "65")                                 // 软件和信息技术服务业
	set(sizeRule{revenue, assets, [2]float64{200000, 10000}, [2]float64{1000, 5000}, [2]float64{100, 2000}}, "70")                             // 房地产开发经营
	set(sizeRule{employees, assets, [2]float64{300, 120000}, [2]float64{100, 8000}, [2]float64{10, 100}}, "71", "72")                          // 租赁和商务服务业
	return m
}()

// otherRule applies to industries the rules do not list: employees only.
var otherRule = sizeRule{employees, none, [2]float64{300}, [2]float64{100}, [2]float64{10}}

// ComputeSizeClass returns the size class, or "" and the name of the first
// missing figure when the profile lacks what the industry's rule needs.
func ComputeSizeClass(section, division string, emp *int, rev, ast *float64) (SizeClass, string) {
	rule, ok := sizeRules[division]
	if !ok {
		rule, ok = sizeRules["S:"+section]
	}
	if !ok {
		rule = otherRule
	}
	if section == "" && division == "" {
		return "", "industry"
	}
	value := func(m measure) (float64, string) {
		switch m {
		case employees:
			if emp == nil {
				return 0, "employees"
			}
			return float64(*emp), ""
		case revenue:
			if rev == nil {
				return 0, "revenue"
			}
			return *rev, ""
		case assets:
			if ast == nil {
				return 0, "assets"
			}
			return *ast, ""
		}
		return 0, ""
	}
	a, missing := value(rule.first)
	if missing != "" {
		return "", missing
	}
	b, missing := value(rule.second)
	if missing != "" {
		return "", missing
	}
	reaches := func(t [2]float64) bool { return a >= t[0] && (rule.second == none || b >= t[1]) }
	switch {
	case reaches(rule.large):
		return SizeLarge, ""
	case reaches(rule.medium):
		return SizeMedium, ""
	case reaches(rule.small):
		return SizeSmall, ""
	default:
		return SizeMicro, ""
	}
}
