// Package bleve is the embedded search backend: a Bleve index in a
// directory, with the cjk analyzer so that Chinese text is indexed as
// bigrams and a word inside a longer word is found.
package bleve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"

	"github.com/huiqi/huiqi/search"
)

// Index is a Bleve index on disk.
type Index struct {
	mu     sync.RWMutex
	idx    blevesearch.Index
	closed bool
}

var _ search.Index = (*Index)(nil)

// Open opens the index at path, creating it when it does not exist.
func Open(path string) (*Index, error) {
	idx, err := blevesearch.Open(path)
	if errors.Is(err, blevesearch.ErrorIndexPathDoesNotExist) {
		m := blevesearch.NewIndexMapping()
		m.DefaultAnalyzer = cjk.AnalyzerName
		idx, err = blevesearch.New(path, m)
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index %s: %w", path, err)
	}
	return &Index{idx: idx}, nil
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
		if err := b.Index(d.ID, d.Fields); err != nil {
			return fmt.Errorf("index %s: %w", d.ID, err)
		}
	}
	return x.idx.Batch(b)
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

// Search runs a match query over every field.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil, search.ErrClosed
	}
	q = q.Normalize()
	req := blevesearch.NewSearchRequestOptions(blevesearch.NewMatchAllQuery(), q.PerPage, (q.Page-1)*q.PerPage, false)
	if q.Text != "" {
		req.Query = blevesearch.NewMatchQuery(q.Text)
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleve search: %w", err)
	}
	out := &search.Result{Total: int(res.Total), Hits: make([]search.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, search.Hit{ID: h.ID, Score: h.Score})
	}
	return out, nil
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
