package policies

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/search"
)

// Schema is how policies are indexed: the title first (it is also found
// by pinyin), keywords for filters and facets, numbers for sorting and the
// "open now" range, and the synonyms enterprises use for the same thing.
var Schema = search.Schema{
	Searchable: []string{"title", "tags", "summary", "benefit", "issuer", "doc_no", "body"},
	Filterable: []string{"category", "level", "kind", "status", "industry", "region", "auto_grant"},
	Sortable:   []string{"apply_start", "apply_end", "max_amount", "updated_at"},
	Synonyms: [][]string{
		{"小微", "小型微利", "小微企业"},
		{"再贷款", "专项再贷款", "支农再贷款", "支小再贷款"},
		{"专精特新", "专精特新中小企业"},
		{"人才经费", "人才资助", "人才补贴"},
		{"稳岗", "稳岗返还", "稳岗补贴"},
		{"贷款", "融资", "信贷"},
		{"厂房", "物业", "场地"},
		{"高企", "高新技术企业"},
		{"补贴", "补助", "资助"},
	},
}

// anyValue marks a policy that applies to every industry or region, so
// that filtering by one industry still finds it.
const anyValue = "*"

// SearchParams are what a visitor asks the catalogue.
type SearchParams struct {
	Q        string
	Category string
	Level    string
	Industry string
	Region   string
	Open     bool   // only policies accepting applications now
	Sort     string // relevance (default), newest, deadline, amount
	Page     int
	PerPage  int
}

// SearchHit is one policy in a result page.
type SearchHit struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Category  Category          `json:"category"`
	Level     Level             `json:"level"`
	Kind      Kind              `json:"kind"`
	Status    Status            `json:"status"`
	Summary   string            `json:"summary"`
	Issuer    string            `json:"issuer"`
	MaxAmount float64           `json:"max_amount,omitempty"`
	ApplyEnd  *time.Time        `json:"apply_end,omitempty"`
	AutoGrant bool              `json:"auto_grant"`
	Highlight map[string]string `json:"highlight"`
}

// SearchResult is one page of the catalogue.
type SearchResult struct {
	Hits    []SearchHit               `json:"hits"`
	Total   int                       `json:"total"`
	Facets  map[string]map[string]int `json:"facets"`
	TookMS  float64                   `json:"took_ms"`
	Page    int                       `json:"page"`
	PerPage int                       `json:"per_page"`
}

var sorts = map[string][]string{
	"": nil, "relevance": nil, "newest": {"-updated_at"}, "deadline": {"apply_end"}, "amount": {"-max_amount"},
}

// Validate names every parameter that is wrong.
func (p *SearchParams) Validate() error {
	f := map[string]string{}
	if utf8.RuneCountInString(p.Q) > 100 {
		f["q"] = "搜索词不能超过 100 个字"
	}
	if _, ok := CategoryNames[Category(p.Category)]; p.Category != "" && !ok {
		f["category"] = "未知的政策类别"
	}
	if _, ok := LevelNames[Level(p.Level)]; p.Level != "" && !ok {
		f["level"] = "层级应为 national、provincial、municipal 或 district"
	}
	if p.Industry != "" {
		_, secOK := portal.IndustrySection(p.Industry)
		_, _, divOK := portal.DivisionSection(p.Industry)
		if !secOK && !divOK {
			f["industry"] = "行业应为 GB/T 4754 的门类或大类代码"
		}
	}
	if utf8.RuneCountInString(p.Region) > 64 {
		f["region"] = "区域编号过长"
	}
	if _, ok := sorts[p.Sort]; !ok {
		f["sort"] = "排序应为 relevance、newest、deadline 或 amount"
	}
	if p.Page < 0 || p.Page > 1000 {
		f["page"] = "页码应为 1–1000"
	}
	if p.PerPage < 0 || p.PerPage > 100 {
		f["per_page"] = "每页条数应为 1–100"
	}
	if len(f) > 0 {
		return portal.Invalid("搜索参数有误", f)
	}
	return nil
}

// hitFields are the indexed fields a result page is shown from. Reading
// them from the index keeps a search off the database: on embedded FerretDB
// even a lookup by id scans the collection. The index follows every write
// within moments, and the detail page reads MongoDB.
var hitFields = []string{"title", "summary", "category", "level", "kind", "status", "issuer", "max_amount", "apply_end", "auto_grant"}

// hitFromIndex builds a result entry from a hit's indexed fields.
func hitFromIndex(h search.Hit) SearchHit {
	str := func(k string) string { v, _ := h.Fields[k].(string); return v }
	num := func(k string) float64 { v, _ := h.Fields[k].(float64); return v }
	out := SearchHit{ID: h.ID, Title: str("title"), Summary: str("summary"), Category: Category(str("category")),
		Level: Level(str("level")), Kind: Kind(str("kind")), Status: Status(str("status")), Issuer: str("issuer"),
		MaxAmount: num("max_amount"), AutoGrant: str("auto_grant") == "true", Highlight: h.Highlight}
	if end := num("apply_end"); end > 0 && end < openEnded {
		t := time.Unix(int64(end), 0).UTC()
		out.ApplyEnd = &t
	}
	if out.Highlight == nil {
		out.Highlight = map[string]string{}
	}
	return out
}

// Search finds policies: published ones for everyone, any status for
// editors.
func (s *Service) Search(ctx context.Context, p SearchParams) (*SearchResult, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	q := search.Query{
		Text: strings.TrimSpace(p.Q), Sort: sorts[p.Sort], Page: p.Page, PerPage: p.PerPage,
		Facets:    []string{"category", "level", "kind"},
		Highlight: []string{"title", "summary"},
		Fields:    hitFields,
	}
	if !canEdit(portal.ActorFrom(ctx)) {
		q.Filters = append(q.Filters, search.Filter{Field: "status", Values: []string{string(StatusPublished)}})
	}
	for field, v := range map[string]string{"category": p.Category, "level": p.Level} {
		if v != "" {
			q.Filters = append(q.Filters, search.Filter{Field: field, Values: []string{v}})
		}
	}
	if p.Industry != "" {
		values := []string{p.Industry, anyValue}
		if sec, _, ok := portal.DivisionSection(p.Industry); ok {
			values = append(values, sec)
		}
		q.Filters = append(q.Filters, search.Filter{Field: "industry", Values: values})
	}
	if p.Region != "" {
		q.Filters = append(q.Filters, search.Filter{Field: "region", Values: []string{p.Region, anyValue}})
	}
	if p.Open {
		now := float64(s.Now().Unix())
		q.Ranges = append(q.Ranges, search.Range{Field: "apply_start", Max: &now}, search.Range{Field: "apply_end", Min: &now})
	}
	q = q.Normalize()
	res, err := s.Index.Search(ctx, q)
	if errors.Is(err, search.ErrInvalidQuery) {
		return nil, portal.Errorf(portal.EINVALID, "搜索参数有误：%v", err)
	}
	if err != nil {
		return nil, portal.Internal(err)
	}
	out := &SearchResult{Hits: []SearchHit{}, Total: res.Total, Facets: res.Facets, TookMS: res.TookMS, Page: q.Page, PerPage: q.PerPage}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitFromIndex(h))
	}
	if out.Facets == nil {
		out.Facets = map[string]map[string]int{}
	}
	return out, nil
}
