// Package search defines the full-text index the portal writes derived
// copies of its documents to. MongoDB stays the truth; an index can always be
// rebuilt from it. Backends live in subpackages: bleve (embedded default)
// and meili (Meilisearch); searchtest is the suite every backend passes.
package search

import (
	"context"
	"errors"
)

// Document is one indexed document: an id and flat fields.
type Document struct {
	ID     string         `json:"id"`
	Fields map[string]any `json:"fields"`
}

// Query is a full-text query with paging.
type Query struct {
	Text    string
	Page    int // 1-based
	PerPage int
}

// Hit is one matching document.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Result is one page of hits and the total number of matches.
type Result struct {
	Hits  []Hit `json:"hits"`
	Total int   `json:"total"`
}

// ErrClosed is returned by an index used after Close.
var ErrClosed = errors.New("search index is closed")

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
