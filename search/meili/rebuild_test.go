package meili_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/meili"
)

// rebuildFake answers a whole rebuild of index policies; tests replace
// single handlers to make one step fail.
type rebuildFake struct {
	*fake
	taskMu  sync.Mutex
	docTask int // next task uid for a document batch
}

func newRebuildFake(t *testing.T, override map[string]http.HandlerFunc) *rebuildFake {
	f := &rebuildFake{fake: newFake(t), docTask: 100}
	handlers := map[string]http.HandlerFunc{
		"POST /indexes":                        enqueued(40, "policies_tmp", "indexCreation"),
		"GET /tasks/40":                        task(40, "processing", "succeeded"),
		"PATCH /indexes/policies_tmp/settings": enqueued(41, "policies_tmp", "settingsUpdate"),
		"GET /tasks/41":                        task(41, "succeeded"),
		"GET /indexes/policies": func(w http.ResponseWriter, r *http.Request) {
			reply(w, http.StatusOK, map[string]any{"uid": "policies", "primaryKey": "id"})
		},
		"POST /swap-indexes":                   enqueued(50, "", "indexSwap"),
		"GET /tasks/50":                        task(50, "succeeded"),
		"DELETE /indexes/policies_tmp":         enqueued(51, "policies_tmp", "indexDeletion"),
		"GET /tasks/51":                        task(51, "succeeded"),
		"POST /indexes/policies_tmp/documents": f.documents,
		"GET /tasks/{uid}":                     task(0, "succeeded"),
	}
	for k, h := range override {
		handlers[k] = h
	}
	for k, h := range handlers {
		f.mux.HandleFunc(k, h)
	}
	return f
}

// documents accepts a batch with the next task uid.
func (f *rebuildFake) documents(w http.ResponseWriter, r *http.Request) {
	f.taskMu.Lock()
	uid := f.docTask
	f.docTask++
	f.taskMu.Unlock()
	enqueued(uid, "policies_tmp", "documentAdditionOrUpdate")(w, r)
}

func docs(n int) []search.Document {
	out := make([]search.Document, n)
	for i := range out {
		out[i] = search.Document{ID: fmt.Sprintf("p%04d", i), Fields: map[string]any{"title": "人才经费补贴", "category": "talent_funding"}}
	}
	return out
}

func TestRebuild(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := newRebuildFake(t, nil)
		if err := f.indexWith("policies", policySchema).Rebuild(ctxT(t), search.All(docs(2500))); err != nil {
			t.Fatalf("Rebuild: %v", err)
		}
		want := []string{
			"POST /indexes",
			"PATCH /indexes/policies_tmp/settings",
			"POST /indexes/policies_tmp/documents",
			"POST /indexes/policies_tmp/documents",
			"POST /indexes/policies_tmp/documents",
			"GET /indexes/policies",
			"POST /swap-indexes",
			"DELETE /indexes/policies_tmp",
		}
		if got := f.sequence(); !slices.Equal(got, want) {
			t.Errorf("calls =\n%v\nwant\n%v", got, want)
		}
		jsonEqual(t, "create", f.callsTo("POST", "/indexes")[0].Body, map[string]any{"uid": "policies_tmp", "primaryKey": "id"})
		jsonEqual(t, "swap", f.callsTo("POST", "/swap-indexes")[0].Body, []map[string]any{{"indexes": []string{"policies", "policies_tmp"}, "rename": false}})
		var sent int
		for _, c := range f.callsTo("POST", "/indexes/policies_tmp/documents") {
			var rows []map[string]any
			if err := json.Unmarshal(c.Body, &rows); err != nil {
				t.Fatal(err)
			}
			sent += len(rows)
			if rows[0]["_pinyin"] == nil || rows[0]["title_bigrams"] == nil {
				t.Errorf("rebuilt document %v lacks the derived fields", rows[0])
			}
		}
		if sent != 2500 {
			t.Errorf("sent %d documents, want 2500", sent)
		}
		// Every task is waited for, the batches before the swap.
		swap := f.indexOf("POST", "/swap-indexes")
		for _, p := range []string{"/tasks/40", "/tasks/41", "/tasks/100", "/tasks/101", "/tasks/102"} {
			if i := f.indexOf("GET", p); i < 0 || i > swap {
				t.Errorf("GET %s at %d, want it before the swap at %d", p, i, swap)
			}
		}
		if f.indexOf("GET", "/tasks/50") < 0 || f.indexOf("GET", "/tasks/51") < 0 {
			t.Error("the swap or the deletion was not waited for")
		}
	})

	t.Run("OKFirstBuild", func(t *testing.T) {
		var mu sync.Mutex
		creates := 0
		f := newRebuildFake(t, map[string]http.HandlerFunc{
			"GET /indexes/policies": func(w http.ResponseWriter, r *http.Request) {
				reply(w, http.StatusNotFound, map[string]string{"message": "Index `policies` not found.", "code": "index_not_found", "type": "invalid_request"})
			},
			"POST /indexes": func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				creates++
				uid := 39 + creates
				mu.Unlock()
				enqueued(uid, "", "indexCreation")(w, r)
			},
		})
		if err := f.indexWith("policies", policySchema).Rebuild(ctxT(t), search.All(docs(3))); err != nil {
			t.Fatalf("Rebuild: %v", err)
		}
		want := []string{
			"POST /indexes", "PATCH /indexes/policies_tmp/settings", "POST /indexes/policies_tmp/documents",
			"GET /indexes/policies", "POST /indexes", "POST /swap-indexes", "DELETE /indexes/policies_tmp",
		}
		if got := f.sequence(); !slices.Equal(got, want) {
			t.Errorf("calls =\n%v\nwant\n%v", got, want)
		}
		jsonEqual(t, "second create", f.callsTo("POST", "/indexes")[1].Body, map[string]any{"uid": "policies", "primaryKey": "id"})
	})

	t.Run("OKLeftoverTemporaryIndex", func(t *testing.T) {
		var mu sync.Mutex
		creates := 0
		f := newRebuildFake(t, map[string]http.HandlerFunc{
			"POST /indexes": func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				creates++
				uid := 60 + creates
				mu.Unlock()
				enqueued(uid, "policies_tmp", "indexCreation")(w, r)
			},
			"GET /tasks/61": failed(61, "index_already_exists", "Index `policies_tmp` already exists."),
		})
		if err := f.indexWith("policies", policySchema).Rebuild(ctxT(t), search.All(docs(3))); err != nil {
			t.Fatalf("Rebuild: %v", err)
		}
		want := []string{
			"POST /indexes", "DELETE /indexes/policies_tmp", "POST /indexes",
			"PATCH /indexes/policies_tmp/settings", "POST /indexes/policies_tmp/documents",
			"GET /indexes/policies", "POST /swap-indexes", "DELETE /indexes/policies_tmp",
		}
		if got := f.sequence(); !slices.Equal(got, want) {
			t.Errorf("calls =\n%v\nwant\n%v", got, want)
		}
	})

	t.Run("ErrBatchFailed", func(t *testing.T) {
		f := newRebuildFake(t, map[string]http.HandlerFunc{
			"GET /tasks/101": failed(101, "invalid_document_id", "Document identifier `bad id` is invalid."),
		})
		err := f.indexWith("policies", policySchema).Rebuild(ctxT(t), search.All(docs(2500)))
		if err == nil || !strings.Contains(err.Error(), "Document identifier `bad id` is invalid.") {
			t.Fatalf("Rebuild = %v, want the failed batch's message", err)
		}
		noSwapButCleanup(t, f)
	})

	t.Run("ErrReadingDocuments", func(t *testing.T) {
		f := newRebuildFake(t, nil)
		broken := func(yield func(search.Document, error) bool) {
			if !yield(docs(1)[0], nil) {
				return
			}
			yield(search.Document{}, errors.New("cursor died"))
		}
		err := f.indexWith("policies", policySchema).Rebuild(ctxT(t), broken)
		if err == nil || !strings.Contains(err.Error(), "cursor died") {
			t.Fatalf("Rebuild = %v, want the reading error", err)
		}
		noSwapButCleanup(t, f)
	})

	t.Run("ErrDeadline", func(t *testing.T) {
		f := newRebuildFake(t, map[string]http.HandlerFunc{"GET /tasks/100": task(100, "processing")})
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- f.indexWith("policies", policySchema).Rebuild(ctx, search.All(docs(10))) }()
		select {
		case err := <-done:
			if err == nil || ctx.Err() == nil {
				t.Fatalf("Rebuild = %v with the context still live, want a deadline error", err)
			}
		case <-time.After(meili.TaskTimeout / 2):
			t.Fatal("Rebuild ignored its context deadline")
		}
		noSwapButCleanup(t, f)
	})
}

// noSwapButCleanup checks that a failed rebuild left the live index alone
// and removed its temporary index.
func noSwapButCleanup(t *testing.T, f *rebuildFake) {
	t.Helper()
	if n := len(f.callsTo("POST", "/swap-indexes")); n != 0 {
		t.Error("a failed rebuild swapped indexes")
	}
	if n := len(f.callsTo("DELETE", "/indexes/policies_tmp")); n != 1 {
		t.Errorf("a failed rebuild deleted its temporary index %d times, want once", n)
	}
}
