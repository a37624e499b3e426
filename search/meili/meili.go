// Package meili is the Meilisearch search backend for server mode.
package meili

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/huiqi/huiqi/search"
)

// TaskTimeout bounds how long a write waits for Meilisearch to finish its task.
const TaskTimeout = 30 * time.Second

// Index is one Meilisearch index.
type Index struct {
	client meilisearch.ServiceManager
	uid    string
}

var _ search.Index = (*Index)(nil)

// New returns the index uid on the server at url, authenticating with key.
func New(url, key, uid string) *Index {
	return &Index{client: meilisearch.New(url, meilisearch.WithAPIKey(key)), uid: uid}
}

// Ping checks that the server reports itself available.
func (x *Index) Ping(ctx context.Context) error {
	h, err := x.client.HealthWithContext(ctx)
	if err != nil {
		return fmt.Errorf("meilisearch health: %w", err)
	}
	if h.Status != "available" {
		return fmt.Errorf("meilisearch health: status %q", h.Status)
	}
	return nil
}

// Upsert adds or replaces documents and waits for the task to finish.
func (x *Index) Upsert(ctx context.Context, docs ...search.Document) error {
	rows := make([]map[string]any, 0, len(docs))
	for _, d := range docs {
		row := make(map[string]any, len(d.Fields)+1)
		for k, v := range d.Fields {
			row[k] = v
		}
		row["id"] = d.ID
		rows = append(rows, row)
	}
	pk := "id"
	info, err := x.client.Index(x.uid).AddDocumentsWithContext(ctx, rows, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("meilisearch add documents: %w", err)
	}
	return x.wait(ctx, info)
}

// Delete removes documents by id and waits for the task to finish.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	info, err := x.client.Index(x.uid).DeleteDocumentsWithContext(ctx, ids, nil)
	if indexNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("meilisearch delete documents: %w", err)
	}
	err = x.wait(ctx, info)
	var te *taskError
	if errors.As(err, &te) && te.code == "index_not_found" {
		return nil // nothing to delete from an index that does not exist yet
	}
	return err
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	q = q.Normalize()
	perPage := int64(q.PerPage)
	res, err := x.client.Index(x.uid).SearchWithContext(ctx, q.Text, &meilisearch.SearchRequest{
		HitsPerPage:          &perPage,
		Page:                 int64(q.Page),
		AttributesToRetrieve: []string{"id"},
		ShowRankingScore:     true,
	})
	if indexNotFound(err) {
		// Meilisearch creates an index with its first document; until then
		// the index is simply empty.
		return &search.Result{Hits: []search.Hit{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meilisearch search: %w", err)
	}
	out := &search.Result{Total: int(res.TotalHits), Hits: make([]search.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		var row struct {
			ID    string  `json:"id"`
			Score float64 `json:"_rankingScore"`
		}
		if err := h.DecodeInto(&row); err != nil {
			return nil, fmt.Errorf("meilisearch hit: %w", err)
		}
		out.Hits = append(out.Hits, search.Hit{ID: row.ID, Score: row.Score})
	}
	return out, nil
}

// Close releases the HTTP client.
func (x *Index) Close() error {
	x.client.Close()
	return nil
}

// wait blocks until the task ends or TaskTimeout passes, and reports a
// failed task with Meilisearch's own message.
func (x *Index) wait(ctx context.Context, info *meilisearch.TaskInfo) error {
	ctx, cancel := context.WithTimeout(ctx, TaskTimeout)
	defer cancel()
	task, err := x.client.WaitForTaskWithContext(ctx, info.TaskUID, 50*time.Millisecond)
	if err != nil {
		return fmt.Errorf("meilisearch task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: info.TaskUID, status: string(task.Status), message: task.Error.Message, code: task.Error.Code}
	}
	return nil
}

// taskError is a Meilisearch task that did not succeed.
type taskError struct {
	uid           int64
	status        string
	message, code string
}

func (e *taskError) Error() string {
	return fmt.Sprintf("meilisearch task %d %s: %s (%s)", e.uid, e.status, e.message, e.code)
}

// indexNotFound reports whether err is Meilisearch's index_not_found.
func indexNotFound(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && me.MeilisearchApiError.Code == "index_not_found"
}
