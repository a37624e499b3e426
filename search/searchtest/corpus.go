package searchtest

import (
	"embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/huiqi/huiqi/search"
)

// testdata holds the relevance set: realistic policy documents written for
// these tests and queries judged against them by hand.
//
//go:embed testdata/policies.json testdata/queries.json
var testdata embed.FS

// PolicySchema is the schema of the policy documents in the relevance set,
// the shape the policies catalogue indexes.
var PolicySchema = search.Schema{
	Searchable: []string{"title", "summary", "tags", "issuer", "body"},
	Filterable: []string{"category", "level", "tags"},
	Sortable:   []string{"published_at", "max_amount", "apply_end"},
	Synonyms: [][]string{
		{"小微", "小型微利"},
		{"再贷款", "专项再贷款"},
		{"专精特新", "专精特新中小企业"},
		{"高企", "高新技术企业"},
		{"农发行", "中国农业发展银行"},
		{"首台套", "首台（套）"},
		{"社保补贴", "社会保险补贴"},
		{"AI", "人工智能"},
		{"危废", "危险废物"},
	},
}

// policy is one document of testdata/policies.json.
type policy struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	Body      string   `json:"body"`
	Category  string   `json:"category"`
	Level     string   `json:"level"`
	Tags      []string `json:"tags"`
	Issuer    string   `json:"issuer"`
	Published string   `json:"published"`
	MaxAmount *float64 `json:"max_amount"`
	ApplyEnd  string   `json:"apply_end"`
}

// RelevanceQuery is a query of the relevance set and the ids of the
// documents a person judged relevant to it.
type RelevanceQuery struct {
	Q        string   `json:"q"`
	Why      string   `json:"why"`
	Relevant []string `json:"relevant"`
}

func readJSON(name string, v any) {
	b, err := testdata.ReadFile(name)
	if err != nil {
		panic(err) // embedded: a missing file is a broken build
	}
	if err := json.Unmarshal(b, v); err != nil {
		panic(fmt.Sprintf("%s: %v", name, err))
	}
}

// unixDay converts a YYYY-MM-DD date to Unix seconds at midnight UTC.
func unixDay(s string) float64 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("date %q: %v", s, err))
	}
	return float64(t.Unix())
}

func (p policy) document() search.Document {
	f := map[string]any{
		"title": p.Title, "summary": p.Summary, "body": p.Body, "issuer": p.Issuer,
		"category": p.Category, "level": p.Level, "tags": p.Tags,
		"published_at": unixDay(p.Published),
	}
	if p.MaxAmount != nil {
		f["max_amount"] = *p.MaxAmount
	}
	if p.ApplyEnd != "" {
		f["apply_end"] = unixDay(p.ApplyEnd)
	}
	return search.Document{ID: p.ID, Fields: f}
}

// Policies returns the documents of the relevance set.
func Policies() []search.Document {
	var ps []policy
	readJSON("testdata/policies.json", &ps)
	docs := make([]search.Document, len(ps))
	for i, p := range ps {
		docs[i] = p.document()
	}
	return docs
}

// Queries returns the queries of the relevance set.
func Queries() []RelevanceQuery {
	var qs []RelevanceQuery
	readJSON("testdata/queries.json", &qs)
	return qs
}

// BenchQueries is a fixed mix of the relevance queries for measuring
// search latency: short and long Chinese, Traditional, synonyms, pinyin,
// digits and Latin.
var BenchQueries = []string{
	"农业", "交通", "处理", "人才經費", "小微企业所得税", "专项再贷款", "专精特新",
	"高企认定奖励", "2026年AI应用补贴", "ai", "5G", "rencai", "rencai jingfei",
	"厂房租金补贴", "稳岗返还", "创业担保贷款", "研发费用加计扣除", "知识产权质押贷款",
	"黄金珠宝", "数字化转型",
}

// Synthetic returns n policy documents made by recombining the sentences,
// titles and fields of the relevance set, the same for the same seed: a
// corpus of realistic size and vocabulary for benchmarks.
func Synthetic(n int, seed uint64) []search.Document {
	var ps []policy
	readJSON("testdata/policies.json", &ps)
	var titles, sentences []string
	for _, p := range ps {
		titles = append(titles, splitClauses(p.Title)...)
		sentences = append(sentences, splitClauses(p.Summary)...)
		sentences = append(sentences, splitClauses(p.Body)...)
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	base := unixDay("2023-01-01")
	docs := make([]search.Document, n)
	for i := range docs {
		p := ps[r.IntN(len(ps))]
		f := map[string]any{
			"title":        pick(titles) + pick(titles),
			"summary":      pick(sentences) + "，" + pick(sentences) + "。",
			"body":         pick(sentences) + "，" + pick(sentences) + "；" + pick(sentences) + "。",
			"issuer":       ps[r.IntN(len(ps))].Issuer,
			"category":     p.Category,
			"level":        ps[r.IntN(len(ps))].Level,
			"tags":         p.Tags,
			"published_at": base + float64(r.IntN(3*365))*86400,
		}
		if r.IntN(3) > 0 {
			f["max_amount"] = float64((1 + r.IntN(500)) * 10000)
		}
		if r.IntN(2) == 0 {
			f["apply_end"] = base + float64(365+r.IntN(4*365))*86400
		}
		docs[i] = search.Document{ID: fmt.Sprintf("syn-%07d", i), Fields: f}
	}
	return docs
}

// splitClauses cuts text at punctuation into clauses worth recombining.
func splitClauses(s string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsPunct(r) && r != '%' && r != '（' && r != '）'
	}) {
		if len([]rune(c)) >= 2 {
			out = append(out, c)
		}
	}
	return out
}
