package meili_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/meili"
	"github.com/huiqi/huiqi/search/searchtest"
)

// TestIndex runs the shared suite against a real Meilisearch when
// HUIQI_TEST_MEILI_URL names one (HUIQI_TEST_MEILI_KEY is its key).
func TestIndex(t *testing.T) {
	url := os.Getenv("HUIQI_TEST_MEILI_URL")
	if url == "" {
		t.Skip("HUIQI_TEST_MEILI_URL not set; the Meilisearch contract tests below still run")
	}
	key := os.Getenv("HUIQI_TEST_MEILI_KEY")
	searchtest.Run(t, func(t *testing.T, schema search.Schema) search.Index {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		uid := "huiqi_test_" + hex.EncodeToString(b)
		idx := meili.New(url, key, uid, schema)
		t.Cleanup(func() {
			_ = idx.Close()
			admin := meilisearch.New(url, meilisearch.WithAPIKey(key))
			defer admin.Close()
			ctx, cancel := context.WithTimeout(context.Background(), meili.TaskTimeout)
			defer cancel()
			info, err := admin.DeleteIndexWithContext(ctx, uid)
			if err != nil {
				t.Logf("delete test index %s: %v", uid, err)
				return
			}
			if _, err := admin.WaitForTaskWithContext(ctx, info.TaskUID, 50*time.Millisecond); err != nil {
				t.Logf("delete test index %s: %v", uid, err)
			}
		})
		if err := idx.EnsureSettings(ctxT(t)); err != nil {
			t.Fatalf("EnsureSettings: %v", err)
		}
		return idx
	})
}

// call is one request the fake received.
type call struct {
	Method, Path, Query, Auth string
	Body                      []byte
}

// fake stands in for Meilisearch: each test sets the handlers it needs
// and reads back what the adapter sent.
type fake struct {
	t   *testing.T
	srv *httptest.Server
	mux *http.ServeMux

	mu    sync.Mutex
	calls []call
}

func newFake(t *testing.T) *fake {
	f := &fake{t: t, mux: http.NewServeMux()}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.calls = append(f.calls, call{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), body})
		f.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) index(uid string) *meili.Index {
	return f.indexWith(uid, search.Schema{})
}

func (f *fake) indexWith(uid string, schema search.Schema) *meili.Index {
	idx := meili.New(f.srv.URL, "", uid, schema)
	f.t.Cleanup(func() { _ = idx.Close() })
	return idx
}

// callsTo returns the calls matching method and path.
func (f *fake) callsTo(method, path string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// enqueued answers a write with the task uid Meilisearch would give it.
func enqueued(uid int, index, typ string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusAccepted, map[string]any{
			"taskUid": uid, "indexUid": index, "status": "enqueued", "type": typ, "enqueuedAt": "2026-03-02T01:30:00Z",
		})
	}
}

// task answers GET /tasks/{uid} with statuses in turn, repeating the last.
func task(uid int, statuses ...string) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		status := statuses[min(n, len(statuses)-1)]
		n++
		mu.Unlock()
		body := map[string]any{"uid": uid, "indexUid": "org_units", "status": status, "type": "documentAdditionOrUpdate",
			"enqueuedAt": "2026-03-02T01:30:00Z"}
		if status == "failed" {
			body["error"] = map[string]any{
				"message": "Document identifier `bad id` is invalid.",
				"code":    "invalid_document_id", "type": "invalid_request",
				"link": "https://docs.meilisearch.com/errors#invalid_document_id",
			}
		}
		reply(w, http.StatusOK, body)
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   any
		ok     bool
	}{
		{"OK", http.StatusOK, map[string]string{"status": "available"}, true},
		{"ErrUnavailable", http.StatusOK, map[string]string{"status": "unavailable"}, false},
		{"ErrServerError", http.StatusInternalServerError, map[string]string{"message": "internal", "code": "internal", "type": "internal"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { reply(w, tc.status, tc.body) })
			err := f.index("org_units").Ping(ctxT(t))
			if tc.ok != (err == nil) {
				t.Errorf("Ping = %v, want ok=%v", err, tc.ok)
			}
			if n := len(f.callsTo("GET", "/health")); n != 1 {
				t.Errorf("GET /health called %d times, want 1", n)
			}
		})
	}
	t.Run("ErrNoServer", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		idx := meili.New(url, "", "org_units", search.Schema{})
		defer idx.Close()
		if err := idx.Ping(ctxT(t)); err == nil {
			t.Error("Ping without a server succeeded")
		}
	})
	t.Run("SendsAPIKey", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
			reply(w, http.StatusOK, map[string]string{"status": "available"})
		})
		idx := meili.New(f.srv.URL, "masterKey-123", "org_units", search.Schema{})
		defer idx.Close()
		if err := idx.Ping(ctxT(t)); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if got := f.callsTo("GET", "/health"); len(got) != 1 || got[0].Auth != "Bearer masterKey-123" {
			t.Errorf("Authorization = %+v, want Bearer masterKey-123", got)
		}
	})
}

func TestUpsert(t *testing.T) {
	docs := []search.Document{
		{ID: "jtj", Fields: map[string]any{"name": "区交通运输局", "kind": "区直部门"}},
		{ID: "fgj", Fields: map[string]any{"name": "区发展和改革局", "id": "not-the-id"}},
	}

	t.Run("OK", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("POST /indexes/org_units/documents", enqueued(7, "org_units", "documentAdditionOrUpdate"))
		f.mux.HandleFunc("GET /tasks/7", task(7, "enqueued", "enqueued", "processing", "succeeded"))
		if err := f.index("org_units").Upsert(ctxT(t), docs...); err != nil {
			t.Fatalf("Upsert: %v", err)
		}

		posts := f.callsTo("POST", "/indexes/org_units/documents")
		if len(posts) != 1 {
			t.Fatalf("POST /indexes/org_units/documents called %d times, want 1", len(posts))
		}
		if posts[0].Query != "primaryKey=id" {
			t.Errorf("query = %q, want primaryKey=id", posts[0].Query)
		}
		var rows []map[string]any
		if err := json.Unmarshal(posts[0].Body, &rows); err != nil {
			t.Fatalf("body %s: %v", posts[0].Body, err)
		}
		// Without a schema every string field is searched, each with its
		// two-character pieces beside it; nothing needed normalising.
		want := []map[string]any{
			{"id": "jtj", "name": "区交通运输局", "kind": "区直部门", "name_bigrams": "区交 交通 通运 运输 输局", "kind_bigrams": "区直 直部 部门"},
			{"id": "fgj", "name": "区发展和改革局", "name_bigrams": "区发 发展 展和 和改 改革 革局"},
		}
		if len(rows) != len(want) {
			t.Fatalf("sent %d documents, want %d: %s", len(rows), len(want), posts[0].Body)
		}
		for i := range want {
			if fmt.Sprint(rows[i]) != fmt.Sprint(want[i]) {
				t.Errorf("document %d = %v, want %v (the document id wins over a field named id)", i, rows[i], want[i])
			}
		}
		if n := len(f.callsTo("GET", "/tasks/7")); n != 4 {
			t.Errorf("GET /tasks/7 called %d times, want 4 (until it succeeded, not after)", n)
		}
	})

	t.Run("ErrTaskFailed", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("POST /indexes/org_units/documents", enqueued(8, "org_units", "documentAdditionOrUpdate"))
		f.mux.HandleFunc("GET /tasks/8", task(8, "processing", "failed"))
		err := f.index("org_units").Upsert(ctxT(t), docs...)
		if err == nil {
			t.Fatal("Upsert succeeded although its task failed")
		}
		if !strings.Contains(err.Error(), "Document identifier `bad id` is invalid.") {
			t.Errorf("error %q lacks Meilisearch's message", err)
		}
	})

	t.Run("ErrRejected", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("POST /indexes/org_units/documents", func(w http.ResponseWriter, r *http.Request) {
			reply(w, http.StatusBadRequest, map[string]string{
				"message": "The payload cannot be parsed.", "code": "malformed_payload", "type": "invalid_request",
			})
		})
		err := f.index("org_units").Upsert(ctxT(t), docs...)
		if err == nil || !strings.Contains(err.Error(), "The payload cannot be parsed.") {
			t.Errorf("Upsert = %v, want the rejection's message", err)
		}
		if n := len(f.callsTo("GET", "/tasks/0")); n != 0 {
			t.Errorf("polled a task that was never created (%d times)", n)
		}
	})

	t.Run("ErrTaskNeverFinishes", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("POST /indexes/org_units/documents", enqueued(9, "org_units", "documentAdditionOrUpdate"))
		f.mux.HandleFunc("GET /tasks/9", task(9, "processing"))
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- f.index("org_units").Upsert(ctx, docs...) }()
		// The guard only keeps a broken adapter from hanging the run for
		// meili.TaskTimeout; the caller's deadline is far shorter.
		select {
		case err := <-done:
			if err == nil {
				t.Fatal("Upsert succeeded although its task never finished")
			}
			if ctx.Err() == nil {
				t.Errorf("Upsert gave up (%v) before its context ended", err)
			}
		case <-time.After(meili.TaskTimeout / 2):
			t.Fatalf("Upsert ignored its context deadline and kept waiting")
		}
		if n := len(f.callsTo("GET", "/tasks/9")); n == 0 {
			t.Error("Upsert never polled its task")
		}
	})
}

func TestDelete(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("POST /indexes/org_units/documents/delete-batch", enqueued(11, "org_units", "documentDeletion"))
		f.mux.HandleFunc("GET /tasks/11", task(11, "processing", "succeeded"))
		if err := f.index("org_units").Delete(ctxT(t), "jtj", "fgj"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		posts := f.callsTo("POST", "/indexes/org_units/documents/delete-batch")
		if len(posts) != 1 {
			t.Fatalf("delete-batch called %d times, want 1", len(posts))
		}
		var ids []string
		if err := json.Unmarshal(posts[0].Body, &ids); err != nil || !slices.Equal(ids, []string{"jtj", "fgj"}) {
			t.Errorf("delete-batch body = %s (%v), want [\"jtj\",\"fgj\"]", posts[0].Body, err)
		}
		if n := len(f.callsTo("GET", "/tasks/11")); n != 2 {
			t.Errorf("GET /tasks/11 called %d times, want 2", n)
		}
	})
	t.Run("ErrTaskFailed", func(t *testing.T) {
		f := newFake(t)
		f.mux.HandleFunc("POST /indexes/org_units/documents/delete-batch", enqueued(12, "org_units", "documentDeletion"))
		f.mux.HandleFunc("GET /tasks/12", task(12, "failed"))
		if err := f.index("org_units").Delete(ctxT(t), "jtj"); err == nil || !strings.Contains(err.Error(), "is invalid") {
			t.Errorf("Delete = %v, want the task's failure", err)
		}
	})
}

func TestSearch(t *testing.T) {
	var got map[string]any
	serve := func(t *testing.T, f *fake, status int, body any) {
		f.mux.HandleFunc("POST /indexes/org_units/search", func(w http.ResponseWriter, r *http.Request) {
			got = nil
			if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
				t.Errorf("search body: %v", err)
			}
			reply(w, status, body)
		})
	}

	t.Run("OK", func(t *testing.T) {
		f := newFake(t)
		serve(t, f, http.StatusOK, map[string]any{
			"hits": []map[string]any{
				{"id": "jtj", "_rankingScore": 0.9},
				{"id": "jtzx", "_rankingScore": 0.5},
			},
			"query": "交通", "processingTimeMs": 1, "hitsPerPage": 2, "page": 2, "totalPages": 21, "totalHits": 42,
		})
		res, err := f.index("org_units").Search(ctxT(t), search.Query{Text: "交通", Page: 2, PerPage: 2})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if got["q"] != "交通" || got["page"] != 2.0 || got["hitsPerPage"] != 2.0 {
			t.Errorf("request = %v, want q 交通, page 2, hitsPerPage 2", got)
		}
		if _, offset := got["offset"]; offset {
			t.Errorf("request mixes offset paging with page/hitsPerPage: %v", got)
		}
		if res.Total != 42 {
			t.Errorf("Total = %d, want totalHits 42", res.Total)
		}
		want := []search.Hit{{ID: "jtj", Score: 0.9}, {ID: "jtzx", Score: 0.5}}
		if !reflect.DeepEqual(res.Hits, want) {
			t.Errorf("Hits = %v, want %v", res.Hits, want)
		}
	})

	t.Run("OKDefaults", func(t *testing.T) {
		f := newFake(t)
		serve(t, f, http.StatusOK, map[string]any{"hits": []any{}, "query": "", "processingTimeMs": 0, "hitsPerPage": 20, "page": 1, "totalPages": 0, "totalHits": 0})
		res, err := f.index("org_units").Search(ctxT(t), search.Query{})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if got["q"] != "" || got["page"] != 1.0 || got["hitsPerPage"] != 20.0 {
			t.Errorf("request = %v, want q \"\", page 1, hitsPerPage 20", got)
		}
		if res.Total != 0 || len(res.Hits) != 0 || res.Hits == nil {
			t.Errorf("result = %+v, want empty hits and Total 0", res)
		}
	})

	t.Run("ErrServer", func(t *testing.T) {
		f := newFake(t)
		serve(t, f, http.StatusBadRequest, map[string]string{
			"message": "Invalid value type for parameter `page`", "code": "invalid_search_page", "type": "invalid_request",
		})
		if _, err := f.index("org_units").Search(ctxT(t), search.Query{Text: "交通"}); err == nil {
			t.Error("Search succeeded on a 400 answer")
		}
	})
}

// Meilisearch creates an index on the first document added; until then
// (a new deployment, or right after the index was deleted for a reindex)
// it answers searches with 404 index_not_found and fails deletions with
// the same code. The portal must see an empty index, as it does on Bleve.
func TestMissingIndex(t *testing.T) {
	notFound := map[string]string{
		"message": "Index `org_units` not found.", "code": "index_not_found", "type": "invalid_request",
		"link": "https://docs.meilisearch.com/errors#index_not_found",
	}
	newMissing := func(t *testing.T) *fake {
		f := newFake(t)
		var mu sync.Mutex
		exists := false
		f.mux.HandleFunc("POST /indexes", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			exists = true
			mu.Unlock()
			enqueued(20, "org_units", "indexCreation")(w, r)
		})
		f.mux.HandleFunc("GET /tasks/20", task(20, "succeeded"))
		f.mux.HandleFunc("GET /indexes/org_units", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if !exists {
				reply(w, http.StatusNotFound, notFound)
				return
			}
			reply(w, http.StatusOK, map[string]any{"uid": "org_units", "primaryKey": "id"})
		})
		f.mux.HandleFunc("POST /indexes/org_units/search", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if !exists {
				reply(w, http.StatusNotFound, notFound)
				return
			}
			reply(w, http.StatusOK, map[string]any{"hits": []any{}, "query": "", "processingTimeMs": 0, "hitsPerPage": 20, "page": 1, "totalPages": 0, "totalHits": 0})
		})
		f.mux.HandleFunc("POST /indexes/org_units/documents/delete-batch", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			if !exists {
				enqueued(21, "org_units", "documentDeletion")(w, r)
				return
			}
			enqueued(22, "org_units", "documentDeletion")(w, r)
		})
		f.mux.HandleFunc("GET /tasks/21", func(w http.ResponseWriter, r *http.Request) {
			reply(w, http.StatusOK, map[string]any{"uid": 21, "indexUid": "org_units", "status": "failed", "type": "documentDeletion", "error": notFound})
		})
		f.mux.HandleFunc("GET /tasks/22", task(22, "succeeded"))
		return f
	}

	t.Run("SearchIsEmpty", func(t *testing.T) {
		res, err := newMissing(t).index("org_units").Search(ctxT(t), search.Query{Text: "交通"})
		if err != nil {
			t.Fatalf("Search before the first document = %v, want an empty result", err)
		}
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("result = %+v, want empty", res)
		}
	})
	t.Run("DeleteIsFine", func(t *testing.T) {
		if err := newMissing(t).index("org_units").Delete(ctxT(t), "jtj"); err != nil {
			t.Errorf("Delete before the first document = %v, want nil (unknown ids are not an error)", err)
		}
	})
}
