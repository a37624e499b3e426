package bleve_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/bleve"
	"github.com/huiqi/huiqi/search/searchtest"
)

func open(t *testing.T, path string) *bleve.Index {
	t.Helper()
	idx, err := bleve.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	return idx
}

func TestIndex(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Index {
		return open(t, filepath.Join(t.TempDir(), "test.bleve"))
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
		if idx, err := bleve.Open(path); err == nil {
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
