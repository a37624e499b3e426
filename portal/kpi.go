package portal

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// KPICounts are the counts the rates are computed from, for one set of
// requests (one unit, month and dimension value, or any sum of those).
type KPICounts struct {
	Received       int `json:"received" bson:"received,omitempty"`
	Signed         int `json:"signed" bson:"signed,omitempty"`
	SignedOnTime   int `json:"signed_on_time" bson:"signed_on_time,omitempty"`
	Replied        int `json:"replied" bson:"replied,omitempty"`
	RepliedOnTime  int `json:"replied_on_time" bson:"replied_on_time,omitempty"`
	Resolved       int `json:"resolved" bson:"resolved,omitempty"`
	ResolvedOnTime int `json:"resolved_on_time" bson:"resolved_on_time,omitempty"`
	Asked          int `json:"asked" bson:"asked,omitempty"`
	Answered       int `json:"answered" bson:"answered,omitempty"`
	Solved         int `json:"solved" bson:"solved,omitempty"`
	Satisfied      int `json:"satisfied" bson:"satisfied,omitempty"`
	Reopened       int `json:"reopened" bson:"reopened,omitempty"`
}

// kpiFields names each count as stored, in one order, with a pointer to
// it; increments and sums walk this list.
func (c *KPICounts) kpiFields() []struct {
	name string
	n    *int
} {
	return []struct {
		name string
		n    *int
	}{
		{"received", &c.Received}, {"signed", &c.Signed}, {"signed_on_time", &c.SignedOnTime},
		{"replied", &c.Replied}, {"replied_on_time", &c.RepliedOnTime}, {"resolved", &c.Resolved},
		{"resolved_on_time", &c.ResolvedOnTime}, {"asked", &c.Asked}, {"answered", &c.Answered},
		{"solved", &c.Solved}, {"satisfied", &c.Satisfied}, {"reopened", &c.Reopened},
	}
}

// Add adds o to c.
func (c *KPICounts) Add(o KPICounts) {
	of := o.kpiFields()
	for i, f := range c.kpiFields() {
		*f.n += *of[i].n
	}
}

// Zero reports whether every count is zero.
func (c KPICounts) Zero() bool { return c == KPICounts{} }

// Rates computes the eight rates from the counts.
func (c KPICounts) Rates() KPIRates {
	return KPIRates{
		SignedOnTime:   ratio(c.SignedOnTime, c.Signed),
		RepliedOnTime:  ratio(c.RepliedOnTime, c.Replied),
		ResolvedOnTime: ratio(c.ResolvedOnTime, c.Resolved),
		Resolved:       ratio(c.Resolved, c.Received),
		Solved:         ratio(c.Solved, c.Answered),
		Satisfied:      ratio(c.Satisfied, c.Answered),
		Answered:       ratio(c.Answered, c.Asked),
		Reopened:       ratio(c.Reopened, c.Resolved),
	}
}

// ratio is n/d, nil when d is zero: an empty denominator has no rate,
// which is not the same as a rate of 0 %.
func ratio(n, d int) *float64 {
	if d <= 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}

// KPIRates are the eight rates leaders are judged by, as fractions
// (0.985 is 98.5 %); nil where the denominator is empty.
type KPIRates struct {
	SignedOnTime   *float64 `json:"signed_on_time"`   // 签收及时率
	RepliedOnTime  *float64 `json:"replied_on_time"`  // 按时答复率
	ResolvedOnTime *float64 `json:"resolved_on_time"` // 按时办结率
	Resolved       *float64 `json:"resolved"`         // 办结率
	Solved         *float64 `json:"solved"`           // 解决率
	Satisfied      *float64 `json:"satisfied"`        // 满意率
	Answered       *float64 `json:"answered"`         // 参评率
	Reopened       *float64 `json:"reopened"`         // 重办率
}

// KPIRateDef describes one rate for pages, exports and the README.
type KPIRateDef struct {
	Key     string // the JSON name in KPIRates
	Name    string // 签收及时率
	Formula string // 按时签收数 ÷ 已签收数
	Of      func(KPIRates) *float64
}

// KPIRateDefs lists the rates in the order pages show them.
var KPIRateDefs = []KPIRateDef{
	{"signed_on_time", "签收及时率", "按时签收数 ÷ 已签收数", func(r KPIRates) *float64 { return r.SignedOnTime }},
	{"replied_on_time", "按时答复率", "按时答复数 ÷ 已答复数", func(r KPIRates) *float64 { return r.RepliedOnTime }},
	{"resolved_on_time", "按时办结率", "按时办结数 ÷ 已办结数", func(r KPIRates) *float64 { return r.ResolvedOnTime }},
	{"resolved", "办结率", "已办结数 ÷ 受理数", func(r KPIRates) *float64 { return r.Resolved }},
	{"solved", "解决率", "评价为“解决”的数 ÷ 已评价数", func(r KPIRates) *float64 { return r.Solved }},
	{"satisfied", "满意率", "（满意 + 基本满意）÷ 已评价数", func(r KPIRates) *float64 { return r.Satisfied }},
	{"answered", "参评率", "已评价数 ÷ 已回访数（办结即回访）", func(r KPIRates) *float64 { return r.Answered }},
	{"reopened", "重办率", "重办过的数 ÷ 已办结数", func(r KPIRates) *float64 { return r.Reopened }},
}

// FormatRate writes a rate as a percentage with one decimal ("98.5%"), or
// "—" when it has no denominator.
func FormatRate(r *float64) string {
	if r == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *r*100)
}

// KPI dimensions: what a report groups by.
const (
	KPIByDepartment = "department"
	KPIByTier       = "tier"
	KPIByCategory   = "category"
	KPIByChannel    = "channel"
	KPIByChain      = "chain"
)

// KPIDimensions lists the dimensions in the order forms show them.
var KPIDimensions = []string{KPIByDepartment, KPIByTier, KPIByCategory, KPIByChannel, KPIByChain}

// KPIDimensionNames are the Chinese names of the dimensions.
var KPIDimensionNames = map[string]string{KPIByDepartment: "承办单位", KPIByTier: "层级",
	KPIByCategory: "诉求分类", KPIByChannel: "受理渠道", KPIByChain: "产业链"}

// KPINone is the dimension value of a request without one (not yet
// dispatched, or of no chain).
const KPINone = "none"

// KPIDoc is the counter document of one unit and month: the totals and,
// per dimension and value, the counts. A dashboard reads one of these per
// month instead of every request.
type KPIDoc struct {
	ID    string    `bson:"_id"`   // "<month>|<unit>"
	Month string    `bson:"month"` // "2026-11", in the district's zone
	Unit  string    `bson:"unit"`  // "all", "dept:<id>", "region:<id>", "chain:<id>", "handler:<id>", "liaison:<id>"
	Total KPICounts `bson:"total"`
	// By maps a dimension to its values (escaped with KPIKey) and their counts.
	By map[string]map[string]KPICounts `bson:"by"`
}

// KPIDocID names the counter document of unit in month.
func KPIDocID(month, unit string) string { return month + "|" + unit }

// KPIIncrement is what one counter document gains (or loses): count paths
// ("total.received", "by.department.dept-trans.signed") and amounts.
type KPIIncrement struct {
	ID, Month, Unit string
	Inc             map[string]int
}

// KPIStore keeps the counter documents.
type KPIStore interface {
	// IncKPIs applies the increments, creating documents as needed.
	IncKPIs(ctx context.Context, incs []KPIIncrement) error
	// FindKPIDocs returns the documents with these ids that exist.
	FindKPIDocs(ctx context.Context, ids []string) ([]*KPIDoc, error)
	// ReplaceKPIDocs makes docs the whole set of counter documents.
	ReplaceKPIDocs(ctx context.Context, docs []*KPIDoc) error
}

// KPIKey makes a dimension value or id safe as a key of a stored
// document: MongoDB reads '.' as a path separator and refuses a leading
// '$', so both (and '%', the escape itself) are percent-encoded.
func KPIKey(s string) string {
	if s == "" {
		return KPINone
	}
	if !strings.ContainsAny(s, ".$%") {
		return s
	}
	return strings.NewReplacer("%", "%25", ".", "%2E", "$", "%24").Replace(s)
}

// KPIUnkey reverses KPIKey.
func KPIUnkey(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return strings.NewReplacer("%25", "%", "%2E", ".", "%24", "$").Replace(s)
}

// KPIMonth is the month a request counts in: the month it was received,
// in the district's zone.
func KPIMonth(r *Request, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return r.CreatedAt.In(loc).Format("2006-01")
}

// KPICountsOf is what one request adds to the counts: a pure function of
// its document, so that counters kept as requests move and counters
// rebuilt from the requests agree. Merged children are duplicates of
// their master and count nothing.
func KPICountsOf(r *Request) KPICounts {
	if r == nil || r.ParentID != "" {
		return KPICounts{}
	}
	c := KPICounts{Received: 1}
	one := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	leg := func(l Leg) (done, onTime bool) {
		d := r.SLA.Leg(l)
		if d == nil || d.DoneAt == nil {
			return false, false
		}
		return true, d.OnTime != nil && *d.OnTime
	}
	done, onTime := leg(LegSign)
	c.Signed, c.SignedOnTime = one(done), one(onTime)
	done, onTime = leg(LegReply)
	c.Replied, c.RepliedOnTime = one(done), one(onTime)
	done, onTime = leg(LegResolve)
	c.Resolved, c.ResolvedOnTime = one(done || r.ResolvedAt != nil), one(onTime)
	c.Asked = one(r.ResolvedAt != nil)
	if solved, sat, ok := r.Outcome(); ok {
		c.Answered = 1
		c.Solved = one(solved == SolvedYes)
		c.Satisfied = one(sat == Satisfied || sat == Basic)
	}
	c.Reopened = one(r.Reopened > 0)
	return c
}

// kpiUnits are the counter documents a request counts in, besides "all":
// its department, the sub-district and park of its enterprise, its
// chains, its handler and its enterprise's liaison.
func kpiUnits(r *Request) []string {
	units := []string{"all"}
	add := func(prefix, id string) {
		if id != "" {
			units = append(units, prefix+id)
		}
	}
	add("dept:", r.DepartmentID)
	add("region:", r.SubdistrictID)
	if r.ParkID != r.SubdistrictID {
		add("region:", r.ParkID)
	}
	for _, c := range r.ChainIDs {
		add("chain:", c)
	}
	add("handler:", r.HandlerID)
	add("liaison:", r.LiaisonID)
	return units
}

// kpiValues are the request's value in each dimension (several chains).
func kpiValues(r *Request) map[string][]string {
	chains := []string{KPINone}
	if len(r.ChainIDs) > 0 {
		chains = r.ChainIDs
	}
	return map[string][]string{
		KPIByDepartment: {r.DepartmentID}, KPIByTier: {string(r.Tier)}, KPIByCategory: {r.Category},
		KPIByChannel: {string(r.Channel)}, KPIByChain: chains,
	}
}

// kpiCells adds sign times the request's counts to cells: document id →
// count path → amount.
func kpiCells(cells map[string]map[string]int, r *Request, loc *time.Location, sign int) {
	c := KPICountsOf(r)
	if c.Zero() {
		return
	}
	month := KPIMonth(r, loc)
	values := kpiValues(r)
	for _, unit := range kpiUnits(r) {
		id := KPIDocID(month, unit)
		m := cells[id]
		if m == nil {
			m = map[string]int{}
			cells[id] = m
		}
		for _, f := range c.kpiFields() {
			if *f.n == 0 {
				continue
			}
			m["total."+f.name] += sign * *f.n
			for dim, vs := range values {
				seen := map[string]bool{}
				for _, v := range vs {
					k := KPIKey(v)
					if !seen[k] {
						seen[k] = true
						m["by."+dim+"."+k+"."+f.name] += sign * *f.n
					}
				}
			}
		}
	}
}

// KPIDelta is what a change of a request from before to after does to
// the counter documents (before or after may be nil): one increment per
// document that changes, without the paths that stay as they were.
func KPIDelta(before, after *Request, loc *time.Location) []KPIIncrement {
	cells := map[string]map[string]int{}
	if after != nil {
		kpiCells(cells, after, loc, 1)
	}
	if before != nil {
		kpiCells(cells, before, loc, -1)
	}
	var out []KPIIncrement
	for id, m := range cells {
		for p, n := range m {
			if n == 0 {
				delete(m, p)
			}
		}
		if len(m) == 0 {
			continue
		}
		month, unit, _ := strings.Cut(id, "|")
		out = append(out, KPIIncrement{ID: id, Month: month, Unit: unit, Inc: m})
	}
	return out
}
