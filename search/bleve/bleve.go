// Package bleve is the embedded search backend: a Bleve index in a
// directory. Text is normalised by search.Normalize and indexed as
// two-character pieces (Bleve's cjk analyzer), so a word inside a longer
// word is found; the first searchable field is also indexed by its pinyin
// terms, synonyms are expanded at query time, and filterable and sortable
// fields are kept as keywords and numbers beside the text.
package bleve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/simple"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/huiqi/huiqi/search"
)

// formatVersion changes whenever what is indexed for a document changes,
// so that an index built by an older binary is rebuilt, not misread.
const formatVersion = 1

// Names of the fields this backend adds; schema fields cannot start with
// an underscore, so they never collide.
const (
	schemaKey    = "huiqi.schema" // internal key holding the fingerprint
	fieldText    = "_text"        // every string field, when the schema names none
	fieldPinyin  = "_pinyin"      // pinyin terms of the first searchable field
	fieldSource  = "_doc"         // the document's fields as JSON, for highlighting
	textPrefix   = "_t_"          // normalised text of a searchable field
	keyPrefix    = "_k_"          // keyword or number of a filterable or sortable field
	maxFacetSize = 100            // values per facet, as Meilisearch's default
)

// maxQueryTerms bounds the pieces of one query, so that a pasted page of
// text costs a bounded search.
const maxQueryTerms = 64

// filterBoost keeps filter clauses from moving scores: they decide what
// matches, the text decides the order.
const filterBoost = 1e-6

// Index is a Bleve index on disk.
type Index struct {
	mu     sync.RWMutex
	idx    blevesearch.Index
	closed bool

	schema   search.Schema
	synonyms [][]string
	text     []weighted // fields the query text is matched against
	analyzer analysis.Analyzer
}

// weighted is an indexed text field and how much a match in it counts.
type weighted struct {
	field string
	boost float64
}

var _ search.Index = (*Index)(nil)

// fingerprint is what an index remembers of how it was built.
type fingerprint struct {
	Version int           `json:"version"`
	Schema  search.Schema `json:"schema"`
}

// Open opens the index at path, creating it for schema when it does not
// exist. An index built with another schema (or by an older version of
// this package) answers search.ErrSchemaChanged: rebuild it.
func Open(path string, schema search.Schema) (*Index, error) {
	if err := schema.Validate(); err != nil {
		return nil, err
	}
	want, err := json.Marshal(fingerprint{Version: formatVersion, Schema: schema})
	if err != nil {
		return nil, err
	}
	idx, err := blevesearch.Open(path)
	switch {
	case errors.Is(err, blevesearch.ErrorIndexPathDoesNotExist):
		if idx, err = blevesearch.New(path, newMapping(schema)); err != nil {
			return nil, fmt.Errorf("create bleve index %s: %w", path, err)
		}
		if err := idx.SetInternal([]byte(schemaKey), want); err != nil {
			_ = idx.Close()
			return nil, fmt.Errorf("create bleve index %s: %w", path, err)
		}
	case err != nil:
		return nil, fmt.Errorf("open bleve index %s: %w", path, err)
	default:
		got, err := idx.GetInternal([]byte(schemaKey))
		if err != nil || !bytes.Equal(got, want) {
			_ = idx.Close()
			return nil, fmt.Errorf("open bleve index %s: %w", path, search.ErrSchemaChanged)
		}
	}
	x := &Index{idx: idx, schema: schema, synonyms: search.NormalizeSynonyms(schema.Synonyms)}
	if x.analyzer = idx.Mapping().AnalyzerNamed(cjk.AnalyzerName); x.analyzer == nil {
		_ = idx.Close()
		return nil, fmt.Errorf("open bleve index %s: no %s analyzer", path, cjk.AnalyzerName)
	}
	if len(schema.Searchable) == 0 {
		x.text = []weighted{{fieldText, 1}}
	}
	for i, f := range schema.Searchable {
		x.text = append(x.text, weighted{textPrefix + f, fieldBoost(i)})
	}
	return x, nil
}

// fieldBoost weighs the i-th searchable field: the title counts three
// times the body; later fields weigh a little less each.
func fieldBoost(i int) float64 { return 1 + 2/float64(i+1) }

// newMapping describes the documents Upsert writes for schema.
func newMapping(schema search.Schema) mapping.IndexMapping {
	im := blevesearch.NewIndexMapping()
	im.DefaultAnalyzer = cjk.AnalyzerName
	im.DefaultMapping.Dynamic = false
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false

	text := func(analyzer string) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.Store, fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = false, false, false, false
		return fm
	}
	if len(schema.Searchable) == 0 {
		im.DefaultMapping.AddFieldMappingsAt(fieldText, text(cjk.AnalyzerName))
	}
	for _, f := range schema.Searchable {
		im.DefaultMapping.AddFieldMappingsAt(textPrefix+f, text(cjk.AnalyzerName))
	}
	if len(schema.Searchable) > 0 {
		im.DefaultMapping.AddFieldMappingsAt(fieldPinyin, text(simple.Name))
	}
	for _, f := range schema.Ranged() {
		kw := mapping.NewKeywordFieldMapping()
		kw.Store, kw.IncludeTermVectors, kw.IncludeInAll = false, false, false
		num := mapping.NewNumericFieldMapping()
		num.Store, num.IncludeInAll = false, false
		im.DefaultMapping.AddFieldMappingsAt(keyPrefix+f, kw, num)
	}
	src := text(keyword.Name)
	src.Index, src.Store = false, true
	im.DefaultMapping.AddFieldMappingsAt(fieldSource, src)
	return im
}

// Ping checks that the index can be read.
func (x *Index) Ping(ctx context.Context) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return search.ErrClosed
	}
	_, err := x.idx.DocCount()
	return err
}

// Upsert adds or replaces documents in one batch.
func (x *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return search.ErrClosed
	}
	b := x.idx.NewBatch()
	for _, d := range docs {
		row, err := x.row(d)
		if err != nil {
			return err
		}
		if err := b.Index(d.ID, row); err != nil {
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
	}
	return x.idx.Batch(b)
}

// row is what Bleve indexes for d.
func (x *Index) row(d search.Document) (map[string]any, error) {
	row := map[string]any{}
	if len(x.schema.Searchable) == 0 {
		keys := make([]string, 0, len(d.Fields))
		for k := range d.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var all []string
		for _, k := range keys {
			all = append(all, normalizeAll(search.Strings(d.Fields[k]))...)
		}
		row[fieldText] = all
	}
	for _, f := range x.schema.Searchable {
		if ss := normalizeAll(search.Strings(d.Fields[f])); len(ss) > 0 {
			row[textPrefix+f] = ss
		}
	}
	if len(x.schema.Searchable) > 0 {
		title := strings.Join(search.Strings(d.Fields[x.schema.Searchable[0]]), " ")
		row[fieldPinyin] = strings.Join(search.PinyinTerms(title), " ")
	}
	for _, f := range x.schema.Ranged() {
		if v := keyValue(d.Fields[f]); v != nil {
			row[keyPrefix+f] = v
		}
	}
	src, err := json.Marshal(d.Fields)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", d.ID, err)
	}
	row[fieldSource] = string(src)
	return row, nil
}

func normalizeAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, search.Normalize(s))
	}
	return out
}

// keyValue returns what a filterable or sortable field holds in a form
// Bleve indexes: strings as they are, numbers as float64.
func keyValue(v any) any {
	switch v := v.(type) {
	case string, []string:
		return v
	case []any:
		return search.Strings(v)
	case int:
		return float64(v)
	case int32:
		return float64(v)
	case int64:
		return float64(v)
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return nil
}

// Delete removes documents by id.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return search.ErrClosed
	}
	b := x.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	return x.idx.Batch(b)
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := x.schema.Check(q); err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil, search.ErrClosed
	}
	q = q.Normalize()
	text := strings.TrimSpace(search.Normalize(q.Text))
	alts := append([]string{text}, search.ExpandSynonyms(text, x.synonyms)...)

	var must []query.Query
	if tq := x.textQuery(alts); tq != nil {
		must = append(must, tq)
	}
	for _, f := range q.Filters {
		values := make([]query.Query, 0, len(f.Values))
		for _, v := range f.Values {
			tq := query.NewTermQuery(v)
			tq.SetField(keyPrefix + f.Field)
			tq.SetBoost(filterBoost)
			values = append(values, tq)
		}
		must = append(must, query.NewDisjunctionQuery(values))
	}
	for _, r := range q.Ranges {
		if r.Min == nil && r.Max == nil {
			continue
		}
		inclusive := true
		rq := query.NewNumericRangeInclusiveQuery(r.Min, r.Max, &inclusive, &inclusive)
		rq.SetField(keyPrefix + r.Field)
		rq.SetBoost(filterBoost)
		must = append(must, rq)
	}
	var top query.Query
	switch len(must) {
	case 0:
		top = query.NewMatchAllQuery()
	case 1:
		top = must[0]
	default:
		top = query.NewConjunctionQuery(must)
	}

	req := blevesearch.NewSearchRequestOptions(top, q.PerPage, (q.Page-1)*q.PerPage, false)
	if len(q.Sort) > 0 {
		order := make([]string, 0, len(q.Sort)+2)
		for _, s := range q.Sort {
			f, desc := search.SortField(s)
			if desc {
				order = append(order, "-"+keyPrefix+f)
			} else {
				order = append(order, keyPrefix+f)
			}
		}
		req.SortBy(append(order, "-_score", "_id"))
	}
	for _, f := range q.Facets {
		req.AddFacet(f, blevesearch.NewFacetRequest(keyPrefix+f, maxFacetSize))
	}
	if len(q.Highlight) > 0 || len(q.Fields) > 0 {
		req.Fields = []string{fieldSource}
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleve search: %w", err)
	}

	out := &search.Result{
		Total:  int(res.Total),
		Hits:   make([]search.Hit, 0, len(res.Hits)),
		TookMS: float64(res.Took.Microseconds()) / 1000,
	}
	for _, h := range res.Hits {
		hit := search.Hit{ID: h.ID, Score: h.Score}
		if len(q.Highlight) > 0 {
			hit.Highlight = highlight(h.Fields[fieldSource], q.Highlight, alts)
		}
		if len(q.Fields) > 0 {
			hit.Fields = storedFields(h.Fields[fieldSource], q.Fields)
		}
		out.Hits = append(out.Hits, hit)
	}
	if len(q.Facets) > 0 {
		out.Facets = make(map[string]map[string]int, len(q.Facets))
		for _, f := range q.Facets {
			counts := map[string]int{}
			if fr := res.Facets[f]; fr != nil && fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					counts[t.Term] = t.Count
				}
			}
			out.Facets[f] = counts
		}
	}
	return out, nil
}

// textQuery matches the normalised query text or any of its synonym
// alternatives (alts[0] is the text itself), and pinyin typed with
// spaces; nil when the text has nothing to search for.
func (x *Index) textQuery(alts []string) query.Query {
	var or []query.Query
	for _, alt := range alts {
		if q := x.tokensQuery(alt); q != nil {
			or = append(or, q)
		}
	}
	if len(or) == 0 {
		return nil
	}
	if len(x.schema.Searchable) > 0 {
		for _, j := range search.PinyinJoins(alts[0]) {
			tq := query.NewTermQuery(j)
			tq.SetField(fieldPinyin)
			tq.SetBoost(x.text[0].boost)
			or = append(or, tq)
		}
	}
	if len(or) == 1 {
		return or[0]
	}
	return query.NewDisjunctionQuery(or)
}

// tokensQuery matches documents holding most of the pieces the cjk
// analyzer cuts text into, each in any text field (and Latin words also
// in the pinyin of the title). Requiring most rather than all pieces keeps
// 人才经费 finding 人才引进经费, whose 才经 is missing, while pieces
// scattered over unrelated text no longer match.
func (x *Index) tokensQuery(text string) query.Query {
	var terms []string
	for _, tok := range x.analyzer.Analyze([]byte(text)) {
		if t := string(tok.Term); !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
		if len(terms) == maxQueryTerms {
			break
		}
	}
	if len(terms) == 0 {
		return nil
	}
	clauses := make([]query.Query, 0, len(terms))
	for _, t := range terms {
		var fields []query.Query
		for _, w := range x.text {
			tq := query.NewTermQuery(t)
			tq.SetField(w.field)
			tq.SetBoost(w.boost)
			fields = append(fields, tq)
		}
		if len(x.schema.Searchable) > 0 && isLatin(t) {
			tq := query.NewTermQuery(t)
			tq.SetField(fieldPinyin)
			tq.SetBoost(x.text[0].boost)
			fields = append(fields, tq)
		}
		clauses = append(clauses, query.NewDisjunctionQuery(fields))
	}
	d := query.NewDisjunctionQuery(clauses)
	d.SetMin(float64(minShould(len(clauses))))
	return d
}

// minShould is how many of n query pieces a document must hold: all of
// one or two, and two thirds (rounded up) of more.
func minShould(n int) int {
	if n <= 2 {
		return n
	}
	return n - n/3
}

// isLatin reports a token of ASCII letters, which may be pinyin.
func isLatin(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return t != ""
}

// highlight renders the asked-for fields of a hit's stored source.
func highlight(src any, fields, alts []string) map[string]string {
	s, ok := src.(string)
	if !ok {
		return nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return nil
	}
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		if ss := search.Strings(doc[f]); len(ss) > 0 {
			out[f] = search.Highlight(strings.Join(ss, "、"), alts, search.HighlightRunes)
		}
	}
	return out
}

// storedFields picks fields out of the stored document source.
func storedFields(src any, fields []string) map[string]any {
	s, ok := src.(string)
	if !ok {
		return nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return nil
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		if v, ok := doc[f]; ok {
			out[f] = v
		}
	}
	return out
}

// Close closes the index; later calls answer search.ErrClosed.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	return x.idx.Close()
}

// Remove deletes an index directory; reindexing starts from nothing.
func Remove(path string) error { return os.RemoveAll(path) }
