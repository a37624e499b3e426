// Package search defines the full-text index the portal writes derived
// copies of its documents to. MongoDB stays the truth; an index can always be
// rebuilt from it. Backends live in subpackages: bleve (embedded default)
// and meili (Meilisearch); searchtest is the suite every backend passes.
//
// An index is opened with a Schema that says which fields are searched (in
// priority order), which can be filtered, faceted and sorted on, and which
// terms mean the same. Both backends normalise Chinese text the same way
// (see Normalize): Traditional characters, full-width letters and upper
// case all find their Simplified, half-width, lower-case forms, and the
// first searchable field can also be found by its full pinyin.
//
//	idx, err := bleve.Open(path, search.Schema{
//		Searchable: []string{"title", "summary", "body"},
//		Filterable: []string{"category", "tags"},
//		Sortable:   []string{"published_at"},
//		Synonyms:   [][]string{{"小微", "小型微利"}},
//	})
//	res, err := idx.Search(ctx, search.Query{
//		Text:    "人才經費",
//		Filters: []search.Filter{{Field: "category", Values: []string{"talent_funding"}}},
//		Facets:  []string{"category"},
//		Sort:    []string{"-published_at"},
//	})
package search

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"
)

// Document is one indexed document: an id and flat fields. Searchable
// fields hold a string or a []string; filterable fields a string or a
// []string; sortable fields a number or a string.
type Document struct {
	ID     string         `json:"id"`
	Fields map[string]any `json:"fields"`
}

// Schema tells a backend how to index documents. The zero Schema makes
// every string field searchable with equal weight and nothing filterable,
// facetable or sortable.
type Schema struct {
	// Searchable are the text fields, most important first; the first one
	// (the title) is also indexed by its pinyin.
	Searchable []string
	// Filterable are keyword fields holding a string or a []string; they
	// can be filtered and faceted on.
	Filterable []string
	// Sortable are numeric or keyword fields results can be ordered by;
	// numeric ones can also be queried with a Range.
	Sortable []string
	// Synonyms are groups of terms that find each other.
	Synonyms [][]string
}

// Filter keeps the documents whose Field holds one of Values.
type Filter struct {
	Field  string
	Values []string
}

// Range keeps the documents whose numeric Field lies in [Min, Max]; a nil
// bound is open.
type Range struct {
	Field    string
	Min, Max *float64
}

// Query is a full-text query with filters, facets, ordering, highlighting
// and paging. Filters and Ranges all apply (AND); the Values of one Filter
// are alternatives (OR).
type Query struct {
	Text    string
	Filters []Filter
	Ranges  []Range
	// Facets are filterable fields whose value counts over all matches
	// (after filters) are returned in Result.Facets.
	Facets []string
	// Sort orders by sortable fields: "field" ascending, "-field"
	// descending; empty means by relevance. Documents without the field
	// come last. With Text, a backend may keep relevance ahead of the sort
	// (Meilisearch sorts within relevance buckets); with empty Text the
	// order is exactly the sort.
	Sort []string
	// Highlight are fields returned in Hit.Highlight as HTML: escaped,
	// matches wrapped in <mark>, cut to about HighlightRunes characters.
	Highlight []string
	// Fields are document fields returned as they were indexed in
	// Hit.Fields, so a result page can be shown from the index alone.
	Fields  []string
	Page    int // 1-based
	PerPage int
}

// HighlightRunes is about how many characters a highlighted field keeps.
const HighlightRunes = 80

// Hit is one matching document.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	// Highlight holds the fields asked for in Query.Highlight that the
	// document has, as safe HTML.
	Highlight map[string]string `json:"highlight,omitempty"`
	// Fields holds the fields asked for in Query.Fields that the document has.
	Fields map[string]any `json:"fields,omitempty"`
}

// Result is one page of hits, the total number of matches and, when asked
// for, the facet counts: field → value → number of matching documents.
type Result struct {
	Hits   []Hit                     `json:"hits"`
	Total  int                       `json:"total"`
	Facets map[string]map[string]int `json:"facets,omitempty"`
	// TookMS is how long the backend took to answer, in milliseconds.
	TookMS float64 `json:"took_ms"`
}

// ErrClosed is returned by an index used after Close.
var ErrClosed = errors.New("search index is closed")

// ErrInvalidQuery is returned for a query that names a field the schema
// does not allow for that use, or is otherwise malformed.
var ErrInvalidQuery = errors.New("invalid search query")

// ErrInvalidSchema is returned when an index is opened with a bad schema.
var ErrInvalidSchema = errors.New("invalid search schema")

// ErrSchemaChanged is returned when an existing index was built with
// another schema or an older normalisation; it has to be rebuilt.
var ErrSchemaChanged = errors.New("search index was built with another schema; rebuild it (huiqi reindex)")

// Index is a search backend.
type Index interface {
	// Ping checks that the backend answers.
	Ping(ctx context.Context) error
	// Upsert adds or replaces documents by id.
	Upsert(ctx context.Context, docs ...Document) error
	// Delete removes documents by id; unknown ids are not an error.
	Delete(ctx context.Context, ids ...string) error
	// Search runs q.
	Search(ctx context.Context, q Query) (*Result, error)
	// Close releases the backend's resources.
	Close() error
}

// All yields docs one by one, for the rebuild functions that read
// documents from a stream.
func All(docs []Document) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// Normalize fills in paging defaults and bounds.
func (q Query) Normalize() Query {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = 20
	}
	if q.PerPage > 100 {
		q.PerPage = 100
	}
	return q
}

// fieldName is what a schema field may be called: backends add their own
// fields with a leading underscore or a suffix after one, and build
// Meilisearch filter expressions from these names unquoted.
var fieldName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$`)

// reservedSuffixes are the endings of the fields the Meilisearch backend
// adds next to each searchable field.
var reservedSuffixes = []string{"_norm", "_bigrams"}

// Validate reports a schema whose field names a backend could not use.
func (s Schema) Validate() error {
	var problems []string
	seen := map[string]string{}
	check := func(kind string, names []string) {
		for _, n := range names {
			switch {
			case !fieldName.MatchString(n):
				problems = append(problems, fmt.Sprintf("%s field %q is not a plain name (letters, digits, single underscores)", kind, n))
			case n == "id":
				problems = append(problems, fmt.Sprintf("%s field %q is the document id", kind, n))
			case seen[kind+"\x00"+n] != "":
				problems = append(problems, fmt.Sprintf("%s field %q is listed twice", kind, n))
			}
			for _, suf := range reservedSuffixes {
				if strings.HasSuffix(n, suf) {
					problems = append(problems, fmt.Sprintf("%s field %q ends in %s, which the backends use for derived fields", kind, n, suf))
				}
			}
			seen[kind+"\x00"+n] = n
		}
	}
	check("searchable", s.Searchable)
	check("filterable", s.Filterable)
	check("sortable", s.Sortable)
	for i, g := range s.Synonyms {
		terms := 0
		for _, term := range g {
			if strings.TrimSpace(term) != "" {
				terms++
			}
		}
		if terms < 2 {
			problems = append(problems, fmt.Sprintf("synonym group %d has fewer than two terms", i+1))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidSchema, strings.Join(problems, "; "))
	}
	return nil
}

// Ranged reports the fields a Range may name: the filterable and the
// sortable ones, without repeats.
func (s Schema) Ranged() []string {
	out := slices.Clone(s.Filterable)
	for _, f := range s.Sortable {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Check reports a query that names fields the schema does not allow for
// that use, wrapped in ErrInvalidQuery.
func (s Schema) Check(q Query) error {
	var problems []string
	for _, f := range q.Filters {
		if !slices.Contains(s.Filterable, f.Field) {
			problems = append(problems, fmt.Sprintf("field %q is not filterable", f.Field))
		}
		if len(f.Values) == 0 {
			problems = append(problems, fmt.Sprintf("filter on %q has no values", f.Field))
		}
	}
	ranged := s.Ranged()
	for _, r := range q.Ranges {
		if !slices.Contains(ranged, r.Field) {
			problems = append(problems, fmt.Sprintf("field %q cannot be ranged (not filterable or sortable)", r.Field))
		}
	}
	for _, f := range q.Facets {
		if !slices.Contains(s.Filterable, f) {
			problems = append(problems, fmt.Sprintf("field %q is not filterable, so it has no facets", f))
		}
	}
	for _, so := range q.Sort {
		if f, _ := SortField(so); !slices.Contains(s.Sortable, f) {
			problems = append(problems, fmt.Sprintf("field %q is not sortable", f))
		}
	}
	for _, f := range q.Highlight {
		if len(s.Searchable) > 0 && !slices.Contains(s.Searchable, f) {
			problems = append(problems, fmt.Sprintf("field %q is not searchable, so it cannot be highlighted", f))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidQuery, strings.Join(problems, "; "))
	}
	return nil
}

// SortField splits a Query.Sort entry into the field and whether the order
// is descending.
func SortField(s string) (field string, desc bool) {
	if f, ok := strings.CutPrefix(s, "-"); ok {
		return f, true
	}
	return s, false
}

// Strings returns the strings held by a field value: a string, a []string
// or a []any of strings. Anything else holds none.
func Strings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
