// Package policies is the catalogue of support policies and service
// products: their life cycle (draft → published → expired or revoked) with
// a version history, the eligibility criteria that match them to
// enterprises, and the search documents derived from them.
package policies

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huiqi/huiqi/portal"
)

// Level is the government level that issued a policy.
type Level string

// Levels of government.
const (
	LevelNational   Level = "national"
	LevelProvincial Level = "provincial"
	LevelMunicipal  Level = "municipal"
	LevelDistrict   Level = "district"
)

// LevelNames are the Chinese names of the levels.
var LevelNames = map[Level]string{LevelNational: "国家级", LevelProvincial: "省级", LevelMunicipal: "市级", LevelDistrict: "区级"}

// Category groups policies by what they give.
type Category string

// Policy categories.
const (
	CatTalentFunding   Category = "talent_funding"
	CatRelending       Category = "relending"
	CatSmallMicro      Category = "small_micro"
	CatTechInnovation  Category = "tech_innovation"
	CatEmployment      Category = "employment"
	CatIndustrySupport Category = "industry_support"
	CatLandPremises    Category = "land_premises"
	CatOther           Category = "other"
)

// CategoryNames are the Chinese names of the categories, in display order.
var CategoryNames = map[Category]string{
	CatTalentFunding: "人才经费", CatRelending: "再贷款/金融", CatSmallMicro: "小微优惠/税费",
	CatTechInnovation: "科技创新", CatEmployment: "稳岗就业", CatIndustrySupport: "产业扶持",
	CatLandPremises: "用地厂房", CatOther: "其他",
}

// CategoryOrder is the order categories are shown in.
var CategoryOrder = []Category{CatTalentFunding, CatRelending, CatSmallMicro, CatTechInnovation, CatEmployment, CatIndustrySupport, CatLandPremises, CatOther}

// Kind tells a government policy from a bank's or provider's product.
type Kind string

// Kinds of catalogue entries.
const (
	KindPolicy         Kind = "policy"
	KindServiceProduct Kind = "service_product"
)

// KindNames are the Chinese names of the kinds.
var KindNames = map[Kind]string{KindPolicy: "政策", KindServiceProduct: "服务产品"}

// Status is where a policy stands in its life cycle.
type Status string

// Policy states.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusExpired   Status = "expired"
	StatusRevoked   Status = "revoked"
)

// StatusNames are the Chinese names of the states.
var StatusNames = map[Status]string{StatusDraft: "草稿", StatusPublished: "已发布", StatusExpired: "已过期", StatusRevoked: "已废止"}

// Policy is one entry of the catalogue.
type Policy struct {
	ID          string     `json:"id" bson:"_id"`
	Title       string     `json:"title" bson:"title"`
	DocNo       string     `json:"doc_no,omitempty" bson:"doc_no,omitempty"`
	Issuer      string     `json:"issuer" bson:"issuer"`
	Level       Level      `json:"level" bson:"level"`
	Category    Category   `json:"category" bson:"category"`
	Kind        Kind       `json:"kind" bson:"kind"`
	Summary     string     `json:"summary" bson:"summary"`
	Body        string     `json:"body,omitempty" bson:"body,omitempty"` // Markdown
	Benefit     string     `json:"benefit,omitempty" bson:"benefit,omitempty"`
	MaxAmount   float64    `json:"max_amount,omitempty" bson:"max_amount,omitempty"` // yuan
	ApplyStart  *time.Time `json:"apply_start,omitempty" bson:"apply_start,omitempty"`
	ApplyEnd    *time.Time `json:"apply_end,omitempty" bson:"apply_end,omitempty"`
	HowToApply  string     `json:"how_to_apply,omitempty" bson:"how_to_apply,omitempty"`
	Contact     string     `json:"contact,omitempty" bson:"contact,omitempty"`
	Tags        []string   `json:"tags,omitempty" bson:"tags,omitempty"`
	Industries  []string   `json:"industries,omitempty" bson:"industries,omitempty"` // GB/T 4754 sections or divisions
	Regions     []string   `json:"regions,omitempty" bson:"regions,omitempty"`       // org unit ids
	Criteria    []Clause   `json:"criteria,omitempty" bson:"criteria,omitempty"`
	AutoGrant   bool       `json:"auto_grant" bson:"auto_grant"` // 免申即享
	Status      Status     `json:"status" bson:"status"`
	Version     int        `json:"version" bson:"version"`
	CreatedBy   string     `json:"created_by,omitempty" bson:"created_by,omitempty"`
	CreatedAt   time.Time  `json:"created_at" bson:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at" bson:"updated_at"`
	PublishedAt *time.Time `json:"published_at,omitempty" bson:"published_at,omitempty"`
}

// Clause is one eligibility condition: field op value, with the label
// people read ("营业收入不超过 5000 万元").
type Clause struct {
	Field string          `json:"field" bson:"field"`
	Op    string          `json:"op" bson:"op"`
	Value json.RawMessage `json:"value" bson:"value"`
	Label string          `json:"label,omitempty" bson:"label,omitempty"`
}

// OpenAt reports whether applications are accepted at t.
func (p *Policy) OpenAt(t time.Time) bool {
	if p.ApplyStart != nil && t.Before(*p.ApplyStart) {
		return false
	}
	if p.ApplyEnd != nil && !t.Before(*p.ApplyEnd) {
		return false
	}
	return true
}

// Normalize tidies what editors type.
func (p *Policy) Normalize() {
	p.Title = strings.TrimSpace(p.Title)
	p.DocNo = strings.TrimSpace(p.DocNo)
	p.Issuer = strings.TrimSpace(p.Issuer)
	p.Summary = strings.TrimSpace(p.Summary)
	p.Tags = cleanList(p.Tags)
	p.Industries = cleanList(p.Industries)
	p.Regions = cleanList(p.Regions)
	if p.Kind == "" {
		p.Kind = KindPolicy
	}
}

func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Validate checks the policy's fields, naming each one that is wrong.
func (p *Policy) Validate() error {
	f := map[string]string{}
	runes := func(s string) int { return utf8.RuneCountInString(s) }
	if n := runes(p.Title); n < 4 || n > 120 {
		f["title"] = "标题应为 4–120 个字"
	}
	if runes(p.DocNo) > 60 {
		f["doc_no"] = "文号不能超过 60 个字"
	}
	if n := runes(p.Issuer); n < 2 || n > 60 {
		f["issuer"] = "发布单位应为 2–60 个字"
	}
	if _, ok := LevelNames[p.Level]; !ok {
		f["level"] = "层级应为 national、provincial、municipal 或 district"
	}
	if _, ok := CategoryNames[p.Category]; !ok {
		f["category"] = "未知的政策类别"
	}
	if _, ok := KindNames[p.Kind]; !ok {
		f["kind"] = "类型应为 policy 或 service_product"
	}
	if n := runes(p.Summary); n < 10 || n > 500 {
		f["summary"] = "摘要应为 10–500 个字"
	}
	if runes(p.Body) > 20000 {
		f["body"] = "正文不能超过 20000 个字"
	}
	if runes(p.Benefit) > 500 {
		f["benefit"] = "扶持内容不能超过 500 个字"
	}
	if p.MaxAmount < 0 || p.MaxAmount > 1e10 {
		f["max_amount"] = "最高金额应在 0 到 100 亿元之间"
	}
	if p.ApplyStart != nil && p.ApplyEnd != nil && !p.ApplyEnd.After(*p.ApplyStart) {
		f["apply_end"] = "申报截止时间必须晚于开始时间"
	}
	if runes(p.HowToApply) > 2000 {
		f["how_to_apply"] = "申报方式不能超过 2000 个字"
	}
	if runes(p.Contact) > 200 {
		f["contact"] = "联系方式不能超过 200 个字"
	}
	if len(p.Tags) > 20 {
		f["tags"] = "标签不能超过 20 个"
	}
	for _, t := range p.Tags {
		if runes(t) > 20 {
			f["tags"] = "每个标签不能超过 20 个字"
		}
	}
	for _, in := range p.Industries {
		_, secOK := portal.IndustrySection(in)
		_, _, divOK := portal.DivisionSection(in)
		if !secOK && !divOK {
			f["industries"] = fmt.Sprintf("行业 %q 不是 GB/T 4754 的门类（A–T）或大类（01–97）", in)
		}
	}
	if len(p.Criteria) > 30 {
		f["criteria"] = "条件不能超过 30 条"
	}
	for i, c := range p.Criteria {
		if err := c.Validate(); err != nil {
			f[fmt.Sprintf("criteria[%d]", i)] = err.Error()
		}
	}
	if len(f) > 0 {
		return portal.Invalid("政策信息有误", f)
	}
	return nil
}
