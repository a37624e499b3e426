package meili_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/meili"
)

// policySchema is a schema with every kind of field, for the contract
// tests below.
var policySchema = search.Schema{
	Searchable: []string{"title", "summary"},
	Filterable: []string{"category", "tags"},
	Sortable:   []string{"published_at", "category", "max_amount"},
	Synonyms:   [][]string{{"小微", "小型微利"}, {"再贷款", "专项再贷款", "支小再贷款"}, {"ＡＩ", "人工智能"}},
}

// sequence lists the calls the fake received, as "METHOD path", leaving
// out task polls.
func (f *fake) sequence() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if c.Method == "GET" && strings.HasPrefix(c.Path, "/tasks/") {
			continue
		}
		out = append(out, c.Method+" "+c.Path)
	}
	return out
}

// indexOf returns the position of the first call to method and path, or -1.
func (f *fake) indexOf(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, c := range f.calls {
		if c.Method == method && c.Path == path {
			return i
		}
	}
	return -1
}

// failed answers GET /tasks/{uid} with a failed task and Meilisearch's error.
func failed(uid int, code, message string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]any{
			"uid": uid, "status": "failed", "type": "indexCreation", "enqueuedAt": "2026-03-02T01:30:00Z",
			"error": map[string]any{"message": message, "code": code, "type": "invalid_request"},
		})
	}
}

// jsonEqual checks that body holds the same JSON as want.
func jsonEqual(t *testing.T, what string, body []byte, want any) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%s: %s: %v", what, body, err)
	}
	b, _ := json.Marshal(want)
	_ = json.Unmarshal(b, &exp)
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("%s =\n%s\nwant\n%s", what, body, b)
	}
}

func TestEnsureSettings(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("PATCH /indexes/policies/settings", enqueued(30, "policies", "settingsUpdate"))
		f.mux.HandleFunc("GET /tasks/30", task(30, "enqueued", "succeeded"))
		if err := f.indexWith("policies", policySchema).EnsureSettings(ctxT(t)); err != nil {
			t.Fatalf("EnsureSettings: %v", err)
		}
		patches := f.callsTo("PATCH", "/indexes/policies/settings")
		if len(patches) != 1 {
			t.Fatalf("settings sent %d times, want once", len(patches))
		}
		jsonEqual(t, "settings", patches[0].Body, map[string]any{
			"rankingRules": []string{"words", "typo", "proximity", "attribute", "sort", "exactness"},
			"searchableAttributes": []string{
				"title", "title_norm", "title_bigrams", "_pinyin",
				"summary", "summary_norm", "summary_bigrams",
			},
			// Ranges need the sortable numbers filterable too.
			"filterableAttributes": []string{"category", "tags", "published_at", "max_amount"},
			"sortableAttributes":   []string{"published_at", "category", "max_amount"},
			// Every term to every other, normalised as queries are.
			"synonyms": map[string][]string{
				"小微": {"小型微利"}, "小型微利": {"小微"},
				"再贷款": {"专项再贷款", "支小再贷款"}, "专项再贷款": {"再贷款", "支小再贷款"}, "支小再贷款": {"再贷款", "专项再贷款"},
				"ai": {"人工智能"}, "人工智能": {"ai"},
			},
			"localizedAttributes": []map[string]any{{"locales": []string{"zho"}, "attributePatterns": []string{"*"}}},
		})
		if n := len(f.callsTo("GET", "/tasks/30")); n != 2 {
			t.Errorf("GET /tasks/30 called %d times, want 2 (until it succeeded)", n)
		}
	})
	t.Run("OKWithoutSchema", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("PATCH /indexes/org_units/settings", enqueued(31, "org_units", "settingsUpdate"))
		f.mux.HandleFunc("GET /tasks/31", task(31, "succeeded"))
		if err := f.index("org_units").EnsureSettings(ctxT(t)); err != nil {
			t.Fatalf("EnsureSettings: %v", err)
		}
		jsonEqual(t, "settings", f.callsTo("PATCH", "/indexes/org_units/settings")[0].Body, map[string]any{
			"rankingRules":         []string{"words", "typo", "proximity", "attribute", "sort", "exactness"},
			"searchableAttributes": []string{"*"},
			"localizedAttributes":  []map[string]any{{"locales": []string{"zho"}, "attributePatterns": []string{"*"}}},
		})
	})
	t.Run("ErrTaskFailed", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("PATCH /indexes/policies/settings", enqueued(32, "policies", "settingsUpdate"))
		f.mux.HandleFunc("GET /tasks/32", failed(32, "invalid_settings_ranking_rules", "`bogus` ranking rule is invalid."))
		err := f.indexWith("policies", policySchema).EnsureSettings(ctxT(t))
		if err == nil || !strings.Contains(err.Error(), "`bogus` ranking rule is invalid.") {
			t.Errorf("EnsureSettings = %v, want the task's message", err)
		}
	})
	t.Run("ErrTaskNeverFinishes", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("PATCH /indexes/policies/settings", enqueued(33, "policies", "settingsUpdate"))
		f.mux.HandleFunc("GET /tasks/33", task(33, "processing"))
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- f.indexWith("policies", policySchema).EnsureSettings(ctx) }()
		select {
		case err := <-done:
			if err == nil || ctx.Err() == nil {
				t.Errorf("EnsureSettings = %v with the context still live, want a deadline error", err)
			}
		case <-time.After(meili.TaskTimeout / 2):
			t.Fatal("EnsureSettings ignored its context deadline")
		}
	})
	t.Run("ErrInvalidSchema", func(t *testing.T) {
		f := newFake(t)
		idx := f.indexWith("policies", search.Schema{Searchable: []string{"title", "title_norm"}, Filterable: []string{"bad name"}})
		for name, err := range map[string]error{
			"EnsureSettings": idx.EnsureSettings(ctxT(t)),
			"Upsert":         idx.Upsert(ctxT(t), search.Document{ID: "a"}),
			"Ping":           idx.Ping(ctxT(t)),
		} {
			if !errors.Is(err, search.ErrInvalidSchema) {
				t.Errorf("%s = %v, want search.ErrInvalidSchema", name, err)
			}
		}
		if seq := f.sequence(); len(seq) != 0 {
			t.Errorf("an index with a bad schema called the server: %v", seq)
		}
	})
}

func TestUpsertDerivedFields(t *testing.T) {
	f := newFake(t)
	f.mux.HandleFunc("POST /indexes/policies/documents", enqueued(35, "policies", "documentAdditionOrUpdate"))
	f.mux.HandleFunc("GET /tasks/35", task(35, "succeeded"))
	doc := search.Document{ID: "p1", Fields: map[string]any{
		"title":        "人才經費補貼",
		"summary":      "面向ＡＩ企业",
		"tags":         []string{"人才", "AI"},
		"category":     "talent_funding",
		"published_at": 1767225600,
	}}
	if err := f.indexWith("policies", policySchema).Upsert(ctxT(t), doc); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	posts := f.callsTo("POST", "/indexes/policies/documents")
	if len(posts) != 1 {
		t.Fatalf("documents sent %d times, want once", len(posts))
	}
	jsonEqual(t, "documents", posts[0].Body, []map[string]any{{
		"id": "p1", "title": "人才經費補貼", "summary": "面向ＡＩ企业", "tags": []string{"人才", "AI"},
		"category": "talent_funding", "published_at": 1767225600,
		// Derived: normalised text where it differs, two-character pieces,
		// and the title's pinyin (tags are not searchable here).
		"title_norm":      "人才经费补贴",
		"title_bigrams":   "人才 才经 经费 费补 补贴",
		"summary_norm":    "面向ai企业",
		"summary_bigrams": "面向 企业",
		"_pinyin": "rencai caijing jingfei feibu butie rencaijing caijingfei jingfeibu feibutie " +
			"rencaijingfei caijingfeibu jingfeibutie rencaijingfeibu caijingfeibutie rencaijingfeibutie",
	}})
}

func TestSearchRequest(t *testing.T) {
	var got map[string]any
	f := newFake(t)
	f.mux.HandleFunc("POST /indexes/policies/search", func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("search body: %v", err)
		}
		reply(w, http.StatusOK, map[string]any{
			"hits": []map[string]any{{
				"id": "p1", "_rankingScore": 0.875, "title": "raw",
				"_formatted": map[string]any{
					"id":      "p1",
					"title":   "\uE000人才\uE001\uE000经费\uE001补贴 <b>&",
					"summary": strings.Repeat("说明", 60) + "\uE000人才\uE001",
				},
			}},
			"facetDistribution": map[string]any{"category": map[string]int{"talent_funding": 3, "small_micro": 1}},
			"query":             "人才经费 ai", "processingTimeMs": 7, "hitsPerPage": 5, "page": 2, "totalPages": 3, "totalHits": 12,
		})
	})
	lo, hi, cap := 1700000000.0, 1800000000.5, 5e5
	res, err := f.indexWith("policies", policySchema).Search(ctxT(t), search.Query{
		Text: " 人才經費 ＡＩ ",
		Filters: []search.Filter{
			{Field: "category", Values: []string{"talent_funding", "small_micro"}},
			{Field: "tags", Values: []string{`a"b\c`}},
		},
		Ranges:    []search.Range{{Field: "published_at", Min: &lo, Max: &hi}, {Field: "max_amount", Max: &cap}},
		Facets:    []string{"category", "tags"},
		Sort:      []string{"-published_at", "category"},
		Highlight: []string{"title", "summary"},
		Page:      2, PerPage: 5,
	})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	want := map[string]any{
		"q":                     "人才经费 ai",
		"filter":                `category IN ["talent_funding", "small_micro"] AND tags = "a\"b\\c" AND published_at >= 1700000000 AND published_at <= 1800000000.5 AND max_amount <= 500000`,
		"facets":                []string{"category", "tags"},
		"sort":                  []string{"published_at:desc", "category:asc"},
		"attributesToRetrieve":  []string{"id", "title", "summary"},
		"attributesToHighlight": []string{"title", "summary"},
		"highlightPreTag":       "\uE000",
		"highlightPostTag":      "\uE001",
		"page":                  2,
		"hitsPerPage":           5,
		"showRankingScore":      true,
		"locales":               []string{"zho"},
		"hybrid":                nil,
	}
	b, _ := json.Marshal(got)
	jsonEqual(t, "search request", b, want)

	if res.Total != 12 || res.TookMS != 7 {
		t.Errorf("Total %d, TookMS %v; want totalHits 12 and processingTimeMs 7", res.Total, res.TookMS)
	}
	wantFacets := map[string]map[string]int{"category": {"talent_funding": 3, "small_micro": 1}, "tags": {}}
	if !reflect.DeepEqual(res.Facets, wantFacets) {
		t.Errorf("Facets = %v, want %v (a facet without values is empty, not missing)", res.Facets, wantFacets)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "p1" || res.Hits[0].Score != 0.875 {
		t.Fatalf("Hits = %+v, want p1 with score 0.875", res.Hits)
	}
	hl := res.Hits[0].Highlight
	if want := "<mark>人才经费</mark>补贴 &lt;b&gt;&amp;"; hl["title"] != want {
		t.Errorf("title highlight = %q, want %q (tags to <mark>, the rest escaped)", hl["title"], want)
	}
	if s := hl["summary"]; !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "<mark>人才</mark>") {
		t.Errorf("summary highlight = %q, want it cut to end at the match", s)
	}
}

func TestSearchRequestPlain(t *testing.T) {
	// A query without filters, facets, sort or highlight sends none.
	var got map[string]any
	f := newFake(t)
	f.mux.HandleFunc("POST /indexes/policies/search", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&got)
		reply(w, http.StatusOK, map[string]any{"hits": []any{}, "query": "", "processingTimeMs": 0, "hitsPerPage": 20, "page": 1, "totalPages": 0, "totalHits": 0})
	})
	res, err := f.indexWith("policies", policySchema).Search(ctxT(t), search.Query{Text: "補貼"})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	for _, k := range []string{"filter", "facets", "sort", "attributesToHighlight", "highlightPreTag"} {
		if _, ok := got[k]; ok {
			t.Errorf("request holds %s: %v", k, got)
		}
	}
	if got["q"] != "补贴" {
		t.Errorf("q = %v, want the normalised 补贴", got["q"])
	}
	if res.Facets != nil {
		t.Errorf("Facets = %v without asking, want nil", res.Facets)
	}
}

func TestSearchErrInvalidQuery(t *testing.T) {
	f := newFake(t)
	_, err := f.indexWith("policies", policySchema).Search(ctxT(t), search.Query{Filters: []search.Filter{{Field: "title", Values: []string{"x"}}}})
	if !errors.Is(err, search.ErrInvalidQuery) {
		t.Errorf("Search = %v, want search.ErrInvalidQuery", err)
	}
	if seq := f.sequence(); len(seq) != 0 {
		t.Errorf("an invalid query reached the server: %v", seq)
	}
}
