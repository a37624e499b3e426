package bleve_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	blevesearch "github.com/blevesearch/bleve/v2"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/bleve"
	"github.com/huiqi/huiqi/search/searchtest"
)

func open(t *testing.T, path string) *bleve.Index {
	t.Helper()
	return openSchema(t, path, search.Schema{})
}

func openSchema(t *testing.T, path string, schema search.Schema) *bleve.Index {
	t.Helper()
	idx, err := bleve.Open(path, schema)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	return idx
}

func TestIndex(t *testing.T) {
	searchtest.Run(t, func(t *testing.T, schema search.Schema) search.Index {
		return openSchema(t, filepath.Join(t.TempDir(), "test.bleve"), schema)
	})
}

func ids(t *testing.T, idx search.Index, text string) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), search.Query{Text: text})
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// The cjk analyzer indexes bigrams, so any two adjacent characters of a
// name find it, even where a word segmenter would not split there.
func TestBigrams(t *testing.T) {
	idx := open(t, filepath.Join(t.TempDir(), "test.bleve"))
	err := idx.Upsert(context.Background(),
		search.Document{ID: "stj", Fields: map[string]any{"name": "沙头角街道", "head": "李晓梅"}},
		search.Document{ID: "fgj", Fields: map[string]any{"name": "区发展和改革局"}},
	)
	if err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	for _, tc := range []struct{ text, want string }{
		{"头角", "stj"}, {"角街", "stj"}, {"晓梅", "stj"}, {"和改", "fgj"}, {"改革", "fgj"},
	} {
		if got := ids(t, idx, tc.text); len(got) != 1 || got[0] != tc.want {
			t.Errorf("Search(%q) = %v, want [%s]", tc.text, got, tc.want)
		}
	}
	if got := ids(t, idx, "街头"); len(got) != 0 {
		t.Errorf("Search(街头) = %v, want nothing (characters not adjacent in that order)", got)
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "org.bleve")
	idx := open(t, path)
	docs := []search.Document{
		{ID: "jtj", Fields: map[string]any{"name": "区交通运输局"}},
		{ID: "fgj", Fields: map[string]any{"name": "区发展和改革局"}},
	}
	if err := idx.Upsert(ctx, docs...); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if err := idx.Delete(ctx, "fgj"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	again := open(t, path)
	if got := ids(t, again, "交通"); len(got) != 1 || got[0] != "jtj" {
		t.Errorf("after reopen Search(交通) = %v, want [jtj]", got)
	}
	if got := ids(t, again, "改革"); len(got) != 0 {
		t.Errorf("after reopen Search(改革) = %v, want the deleted document gone", got)
	}
	// The reopened index keeps the cjk analyzer for new documents too.
	if err := again.Upsert(ctx, search.Document{ID: "stj", Fields: map[string]any{"name": "沙头角街道"}}); err != nil {
		t.Fatalf("Upsert after reopen: %v", err)
	}
	if got := ids(t, again, "头角"); len(got) != 1 || got[0] != "stj" {
		t.Errorf("after reopen Search(头角) = %v, want [stj]", got)
	}
}

func TestRemove(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "org.bleve")
	idx := open(t, path)
	if err := idx.Upsert(ctx, search.Document{ID: "jtj", Fields: map[string]any{"name": "区交通运输局"}}); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := bleve.Remove(path); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if got := ids(t, open(t, path), ""); len(got) != 0 {
		t.Errorf("index after Remove holds %v, want nothing", got)
	}
}

func TestOpenErr(t *testing.T) {
	t.Run("ErrPathIsFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(path, []byte("not an index"), 0o600); err != nil {
			t.Fatal(err)
		}
		if idx, err := bleve.Open(path, search.Schema{}); err == nil {
			_ = idx.Close()
			t.Fatal("Open of a regular file succeeded")
		}
	})
}

func TestClosed(t *testing.T) {
	ctx := context.Background()
	idx := open(t, filepath.Join(t.TempDir(), "test.bleve"))
	if err := idx.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	t.Run("ErrClosed", func(t *testing.T) {
		_, searchErr := idx.Search(ctx, search.Query{Text: "交通"})
		for name, err := range map[string]error{
			"Ping":   idx.Ping(ctx),
			"Upsert": idx.Upsert(ctx, search.Document{ID: "a", Fields: map[string]any{"name": "x"}}),
			"Delete": idx.Delete(ctx, "a"),
			"Search": searchErr,
		} {
			if !errors.Is(err, search.ErrClosed) {
				t.Errorf("%s after Close = %v, want search.ErrClosed", name, err)
			}
		}
	})
	t.Run("CloseTwice", func(t *testing.T) {
		if err := idx.Close(); err != nil {
			t.Errorf("second Close = %v, want nil", err)
		}
	})
}

func TestSchema(t *testing.T) {
	ctx := context.Background()
	schema := searchtest.PolicySchema
	path := filepath.Join(t.TempDir(), "policies.bleve")
	idx := openSchema(t, path, schema)
	if err := idx.Upsert(ctx, searchtest.Policies()...); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	t.Run("ReopenKeepsEverything", func(t *testing.T) {
		again := openSchema(t, path, schema)
		res, err := again.Search(ctx, search.Query{
			Text:    "人才經費",
			Filters: []search.Filter{{Field: "category", Values: []string{"talent_funding"}}},
			Facets:  []string{"level"},
			Sort:    []string{"-published_at"},
		})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if res.Total == 0 || res.Facets["level"]["district"] == 0 {
			t.Errorf("after reopen: %+v, want talent policies with level facets", res)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i-1].ID == res.Hits[i].ID {
				t.Errorf("hit %s repeated", res.Hits[i].ID)
			}
		}
		if err := again.Close(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrSchemaChanged", func(t *testing.T) {
		changed := schema
		changed.Filterable = append([]string{"issuer"}, schema.Filterable...)
		if idx, err := bleve.Open(path, changed); !errors.Is(err, search.ErrSchemaChanged) {
			if err == nil {
				_ = idx.Close()
			}
			t.Errorf("Open with another schema = %v, want search.ErrSchemaChanged", err)
		}
		// The index is untouched and still opens with its own schema.
		_ = openSchema(t, path, schema).Close()
	})
	t.Run("ErrInvalidSchema", func(t *testing.T) {
		bad := search.Schema{Searchable: []string{"_text"}}
		if idx, err := bleve.Open(filepath.Join(t.TempDir(), "bad.bleve"), bad); !errors.Is(err, search.ErrInvalidSchema) {
			if err == nil {
				_ = idx.Close()
			}
			t.Errorf("Open with a bad schema = %v, want search.ErrInvalidSchema", err)
		}
	})
}

// An index a former version built (no schema fingerprint) must be rebuilt
// rather than searched with the wrong fields.
func TestOpenErrOldIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.bleve")
	m := blevesearch.NewIndexMapping()
	old, err := blevesearch.New(path, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if idx, err := bleve.Open(path, search.Schema{}); !errors.Is(err, search.ErrSchemaChanged) {
		if err == nil {
			_ = idx.Close()
		}
		t.Errorf("Open of an old index = %v, want search.ErrSchemaChanged", err)
	}
}

// The embedded backend marks matches in the original text, Traditional
// characters included; Meilisearch leaves that to its own tokenizer.
func TestHighlightTraditional(t *testing.T) {
	idx := openSchema(t, filepath.Join(t.TempDir(), "hl.bleve"), searchtest.PolicySchema)
	ctx := context.Background()
	if err := idx.Upsert(ctx, search.Document{ID: "ga", Fields: map[string]any{"title": "港澳青年人才創業資助"}}); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(ctx, search.Query{Text: "创业资助", Highlight: []string{"title"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Highlight["title"] != "港澳青年人才<mark>創業資助</mark>" {
		t.Errorf("hits = %+v, want 創業資助 marked in the original", res.Hits)
	}
}
