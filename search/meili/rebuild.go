package meili

import (
	"context"
	"fmt"
	"iter"

	"github.com/meilisearch/meilisearch-go"

	"github.com/huiqi/huiqi/search"
)

// rebuildBatch is how many documents Rebuild sends in one request.
const rebuildBatch = 1000

// Rebuild replaces the index's documents with docs without a moment in
// which searches see a partial index: it builds "<uid>_tmp" with the same
// settings, swaps it with the live index and deletes the old one. A write
// made to the live index during the rebuild is lost with the old index;
// callers re-apply such writes or rebuild while writes are quiet. On any
// failure the live index is left as it was.
func (x *Index) Rebuild(ctx context.Context, docs iter.Seq2[search.Document, error]) (err error) {
	if x.invalid != nil {
		return x.invalid
	}
	tmp := x.named(x.uid + "_tmp")
	if err := x.createIndex(ctx, tmp.uid); err != nil {
		if !isTaskCode(err, "index_already_exists") {
			return err
		}
		// A rebuild that died left its temporary index behind.
		if err := x.deleteIndex(ctx, tmp.uid); err != nil {
			return err
		}
		if err := x.createIndex(ctx, tmp.uid); err != nil {
			return err
		}
	}
	defer func() {
		if err != nil {
			// The caller's context may be what failed; clean up on a fresh one.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), TaskTimeout)
			defer cancel()
			if derr := x.deleteIndex(cctx, tmp.uid); derr != nil {
				err = fmt.Errorf("%w (and removing %s: %v)", err, tmp.uid, derr)
			}
		}
	}()
	if err := tmp.EnsureSettings(ctx); err != nil {
		return err
	}
	var tasks []*meilisearch.TaskInfo
	batch := make([]search.Document, 0, rebuildBatch)
	send := func() error {
		if len(batch) == 0 {
			return nil
		}
		info, err := tmp.add(ctx, batch)
		if err != nil {
			return err
		}
		tasks = append(tasks, info)
		batch = batch[:0]
		return nil
	}
	for d, err := range docs {
		if err != nil {
			return fmt.Errorf("rebuild %s: read documents: %w", x.uid, err)
		}
		if batch = append(batch, d); len(batch) == rebuildBatch {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := send(); err != nil {
		return err
	}
	// Meilisearch works through the batches in order; waiting for each
	// reports the first that failed.
	for _, info := range tasks {
		if err := tmp.wait(ctx, info); err != nil {
			return err
		}
	}
	if _, err := x.client.GetIndexWithContext(ctx, x.uid); indexNotFound(err) {
		// Nothing to swap with on a first build: give the swap an empty
		// live index.
		if err := x.createIndex(ctx, x.uid); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("meilisearch index %s: %w", x.uid, err)
	}
	info, err := x.client.SwapIndexesWithContext(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{x.uid, tmp.uid}}})
	if err != nil {
		return fmt.Errorf("meilisearch swap %s and %s: %w", x.uid, tmp.uid, err)
	}
	if err := x.wait(ctx, info); err != nil {
		return err
	}
	// The temporary uid now holds the old documents.
	return x.deleteIndex(ctx, tmp.uid)
}

// createIndex creates an index with primary key id and waits for it.
func (x *Index) createIndex(ctx context.Context, uid string) error {
	info, err := x.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
	if err != nil {
		return fmt.Errorf("meilisearch create index %s: %w", uid, err)
	}
	return x.wait(ctx, info)
}

// deleteIndex deletes an index and waits for it; a missing index is fine.
func (x *Index) deleteIndex(ctx context.Context, uid string) error {
	info, err := x.client.DeleteIndexWithContext(ctx, uid)
	if indexNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("meilisearch delete index %s: %w", uid, err)
	}
	if err := x.wait(ctx, info); err != nil && !isTaskCode(err, "index_not_found") {
		return err
	}
	return nil
}
