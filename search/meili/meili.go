// Package meili is the Meilisearch search backend for server mode.
//
// Meilisearch segments Chinese into words itself, which misses a word
// inside a longer one (交通 in 区交通运输局) and knows nothing of
// Traditional characters or pinyin. So that it answers like the embedded
// backend, every document carries fields this adapter derives with package
// search's shared normalisation: "<field>_norm" (Simplified, half-width,
// lower case; only where that differs from the field), "<field>_bigrams"
// (the two-character pieces of the field's Chinese) and "_pinyin" (the
// pinyin terms of the first searchable field). Queries are normalised the
// same way; synonyms go into the index settings.
package meili

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/huiqi/huiqi/search"
)

// TaskTimeout bounds how long a write waits for Meilisearch to finish its task.
const TaskTimeout = 30 * time.Second

// rankingRules are the index's ranking rules: relevance first, then the
// requested sort, then exactness.
var rankingRules = []string{"words", "typo", "proximity", "attribute", "sort", "exactness"}

// locale is the language the searchable fields and queries are segmented
// as, so that short Chinese texts are never taken for Japanese.
const locale = "zho"

// Suffixes of the fields derived from each searchable field, and the
// pinyin field.
const (
	normSuffix   = "_norm"
	bigramSuffix = "_bigrams"
	pinyinField  = "_pinyin"
)

// Highlight tags asked of Meilisearch: private-use characters that cannot
// occur in documents, replaced by <mark> after the text is escaped.
const (
	preTag  = "\uE000"
	postTag = "\uE001"
)

// Index is one Meilisearch index.
type Index struct {
	client  meilisearch.ServiceManager
	uid     string
	schema  search.Schema
	invalid error // the schema's problem, reported by every call
}

var _ search.Index = (*Index)(nil)

// New returns the index uid on the server at url, authenticating with key,
// for documents described by schema. Call EnsureSettings before relying on
// filters, facets, sorting or synonyms.
func New(url, key, uid string, schema search.Schema) *Index {
	return &Index{
		client:  meilisearch.New(url, meilisearch.WithAPIKey(key)),
		uid:     uid,
		schema:  schema,
		invalid: schema.Validate(),
	}
}

// named returns the same index configuration for another uid.
func (x *Index) named(uid string) *Index {
	return &Index{client: x.client, uid: uid, schema: x.schema, invalid: x.invalid}
}

// Ping checks that the server reports itself available.
func (x *Index) Ping(ctx context.Context) error {
	if x.invalid != nil {
		return x.invalid
	}
	h, err := x.client.HealthWithContext(ctx)
	if err != nil {
		return fmt.Errorf("meilisearch health: %w", err)
	}
	if h.Status != "available" {
		return fmt.Errorf("meilisearch health: status %q", h.Status)
	}
	return nil
}

// settings returns the index settings the schema calls for.
func (x *Index) settings() *meilisearch.Settings {
	s := &meilisearch.Settings{
		RankingRules:         slices.Clone(rankingRules),
		SearchableAttributes: []string{"*"},
		FilterableAttributes: x.schema.Ranged(),
		SortableAttributes:   slices.Clone(x.schema.Sortable),
		LocalizedAttributes:  []*meilisearch.LocalizedAttributes{{Locales: []string{locale}, AttributePatterns: []string{"*"}}},
	}
	if len(x.schema.Searchable) > 0 {
		var attrs []string
		for i, f := range x.schema.Searchable {
			attrs = append(attrs, f, f+normSuffix, f+bigramSuffix)
			if i == 0 {
				attrs = append(attrs, pinyinField)
			}
		}
		s.SearchableAttributes = attrs
	}
	if syn := search.SynonymPairs(x.schema.Synonyms); len(syn) > 0 {
		s.Synonyms = syn
	}
	return s
}

// EnsureSettings applies the settings to the index (creating it if need be)
// and waits until Meilisearch has. Attributes a former schema listed and
// this one does not stay until the index is rebuilt.
func (x *Index) EnsureSettings(ctx context.Context) error {
	if x.invalid != nil {
		return x.invalid
	}
	info, err := x.client.Index(x.uid).UpdateSettingsWithContext(ctx, x.settings())
	if err != nil {
		return fmt.Errorf("meilisearch settings of %s: %w", x.uid, err)
	}
	return x.wait(ctx, info)
}

// Upsert adds or replaces documents and waits for the task to finish.
func (x *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	if x.invalid != nil {
		return x.invalid
	}
	info, err := x.add(ctx, docs)
	if err != nil {
		return err
	}
	return x.wait(ctx, info)
}

// add sends documents without waiting for their task.
func (x *Index) add(ctx context.Context, docs []search.Document) (*meilisearch.TaskInfo, error) {
	rows := make([]map[string]any, 0, len(docs))
	for _, d := range docs {
		rows = append(rows, x.row(d))
	}
	pk := "id"
	info, err := x.client.Index(x.uid).AddDocumentsWithContext(ctx, rows, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return nil, fmt.Errorf("meilisearch add documents: %w", err)
	}
	return info, nil
}

// row returns what is sent to Meilisearch for d: its fields, its id as
// "id", and the derived search fields.
func (x *Index) row(d search.Document) map[string]any {
	row := make(map[string]any, len(d.Fields)+8)
	maps.Copy(row, d.Fields)
	row["id"] = d.ID
	for _, f := range x.textFields(d) {
		v := d.Fields[f]
		ss := search.Strings(v)
		if len(ss) == 0 {
			continue
		}
		norm := make([]string, len(ss))
		var bigrams []string
		for i, s := range ss {
			norm[i] = search.Normalize(s)
			bigrams = append(bigrams, search.Bigrams(norm[i])...)
		}
		if !slices.Equal(norm, ss) {
			if _, one := v.(string); one {
				row[f+normSuffix] = norm[0]
			} else {
				row[f+normSuffix] = norm
			}
		}
		if len(bigrams) > 0 {
			row[f+bigramSuffix] = strings.Join(bigrams, " ")
		}
	}
	if len(x.schema.Searchable) > 0 {
		title := strings.Join(search.Strings(d.Fields[x.schema.Searchable[0]]), " ")
		if terms := search.PinyinTerms(title); len(terms) > 0 {
			row[pinyinField] = strings.Join(terms, " ")
		}
	}
	return row
}

// textFields are the fields of d whose text is searched: the schema's, or
// every field holding strings when the schema names none.
func (x *Index) textFields(d search.Document) []string {
	if len(x.schema.Searchable) > 0 {
		return x.schema.Searchable
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(d.Fields)) {
		if k != "id" && len(search.Strings(d.Fields[k])) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// Delete removes documents by id and waits for the task to finish.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	if x.invalid != nil {
		return x.invalid
	}
	info, err := x.client.Index(x.uid).DeleteDocumentsWithContext(ctx, ids, nil)
	if indexNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("meilisearch delete documents: %w", err)
	}
	err = x.wait(ctx, info)
	if isTaskCode(err, "index_not_found") {
		return nil // nothing to delete from an index that does not exist yet
	}
	return err
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if x.invalid != nil {
		return nil, x.invalid
	}
	if err := x.schema.Check(q); err != nil {
		return nil, err
	}
	q = q.Normalize()
	req := x.request(q)
	res, err := x.client.Index(x.uid).SearchWithContext(ctx, req.Query, req)
	if indexNotFound(err) {
		// Meilisearch creates an index with its first document; until then
		// the index is simply empty.
		out := &search.Result{Hits: []search.Hit{}}
		if len(q.Facets) > 0 {
			out.Facets = emptyFacets(q.Facets)
		}
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meilisearch search: %w", err)
	}
	out := &search.Result{
		Total:  int(res.TotalHits),
		Hits:   make([]search.Hit, 0, len(res.Hits)),
		TookMS: float64(res.ProcessingTimeMs),
	}
	for _, h := range res.Hits {
		var row struct {
			ID        string         `json:"id"`
			Score     float64        `json:"_rankingScore"`
			Formatted map[string]any `json:"_formatted"`
		}
		if err := h.DecodeInto(&row); err != nil {
			return nil, fmt.Errorf("meilisearch hit: %w", err)
		}
		hit := search.Hit{ID: row.ID, Score: row.Score}
		if len(q.Fields) > 0 {
			var all map[string]any
			if err := h.DecodeInto(&all); err != nil {
				return nil, fmt.Errorf("meilisearch hit: %w", err)
			}
			hit.Fields = make(map[string]any, len(q.Fields))
			for _, f := range q.Fields {
				if v, ok := all[f]; ok {
					hit.Fields[f] = v
				}
			}
		}
		if len(q.Highlight) > 0 {
			hit.Highlight = make(map[string]string, len(q.Highlight))
			for _, f := range q.Highlight {
				if ss := search.Strings(row.Formatted[f]); len(ss) > 0 {
					hit.Highlight[f] = search.MarkedHTML(strings.Join(ss, "、"), preTag, postTag, search.HighlightRunes)
				}
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	if len(q.Facets) > 0 {
		out.Facets = emptyFacets(q.Facets)
		if len(res.FacetDistribution) > 0 {
			var dist map[string]map[string]int
			if err := json.Unmarshal(res.FacetDistribution, &dist); err != nil {
				return nil, fmt.Errorf("meilisearch facets: %w", err)
			}
			for f := range out.Facets {
				maps.Copy(out.Facets[f], dist[f])
			}
		}
	}
	return out, nil
}

func emptyFacets(fields []string) map[string]map[string]int {
	out := make(map[string]map[string]int, len(fields))
	for _, f := range fields {
		out[f] = map[string]int{}
	}
	return out
}

// request returns the search request q (already normalised) becomes.
func (x *Index) request(q search.Query) *meilisearch.SearchRequest {
	perPage := int64(q.PerPage)
	req := &meilisearch.SearchRequest{
		Query:                search.Normalize(strings.TrimSpace(q.Text)),
		HitsPerPage:          &perPage,
		Page:                 int64(q.Page),
		AttributesToRetrieve: []string{"id"},
		ShowRankingScore:     true,
		Locales:              []string{locale},
		Facets:               q.Facets,
	}
	if expr := filterExpression(q); expr != "" {
		req.Filter = expr
	}
	for _, s := range q.Sort {
		f, desc := search.SortField(s)
		if desc {
			req.Sort = append(req.Sort, f+":desc")
		} else {
			req.Sort = append(req.Sort, f+":asc")
		}
	}
	for _, f := range q.Fields {
		if !slices.Contains(req.AttributesToRetrieve, f) {
			req.AttributesToRetrieve = append(req.AttributesToRetrieve, f)
		}
	}
	if len(q.Highlight) > 0 {
		// _formatted is sure to hold a field only when it is retrieved.
		req.AttributesToRetrieve = append(req.AttributesToRetrieve, q.Highlight...)
		req.AttributesToHighlight = q.Highlight
		req.HighlightPreTag, req.HighlightPostTag = preTag, postTag
	}
	return req
}

// filterExpression writes q's filters and ranges in Meilisearch's filter
// syntax: `category IN ["a", "b"] AND level = "district" AND
// published_at >= 1735689600`. Field names are plain (search.Schema
// checks them); values are quoted and escaped.
func filterExpression(q search.Query) string {
	var parts []string
	for _, f := range q.Filters {
		if len(f.Values) == 1 {
			parts = append(parts, f.Field+" = "+quote(f.Values[0]))
			continue
		}
		quoted := make([]string, len(f.Values))
		for i, v := range f.Values {
			quoted[i] = quote(v)
		}
		parts = append(parts, f.Field+" IN ["+strings.Join(quoted, ", ")+"]")
	}
	for _, r := range q.Ranges {
		if r.Min != nil {
			parts = append(parts, r.Field+" >= "+strconv.FormatFloat(*r.Min, 'f', -1, 64))
		}
		if r.Max != nil {
			parts = append(parts, r.Field+" <= "+strconv.FormatFloat(*r.Max, 'f', -1, 64))
		}
	}
	return strings.Join(parts, " AND ")
}

var quoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func quote(v string) string { return `"` + quoter.Replace(v) + `"` }

// Close releases the HTTP client.
func (x *Index) Close() error {
	x.client.Close()
	return nil
}

// wait blocks until the task ends, TaskTimeout passes or ctx ends, and
// reports a failed task with Meilisearch's own message.
func (x *Index) wait(ctx context.Context, info *meilisearch.TaskInfo) error {
	ctx, cancel := context.WithTimeout(ctx, TaskTimeout)
	defer cancel()
	task, err := x.client.WaitForTaskWithContext(ctx, info.TaskUID, 50*time.Millisecond)
	if err != nil {
		return fmt.Errorf("meilisearch task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: info.TaskUID, typ: string(task.Type), status: string(task.Status), message: task.Error.Message, code: task.Error.Code}
	}
	return nil
}

// taskError is a Meilisearch task that did not succeed.
type taskError struct {
	uid           int64
	typ, status   string
	message, code string
}

func (e *taskError) Error() string {
	return fmt.Sprintf("meilisearch task %d (%s) %s: %s (%s)", e.uid, e.typ, e.status, e.message, e.code)
}

// isTaskCode reports whether err is a failed task with the error code.
func isTaskCode(err error, code string) bool {
	var te *taskError
	return errors.As(err, &te) && te.code == code
}

// indexNotFound reports whether err is Meilisearch's index_not_found.
func indexNotFound(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && me.MeilisearchApiError.Code == "index_not_found"
}
