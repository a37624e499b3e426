package main

import (
	"context"
	"fmt"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/bleve"
	"github.com/huiqi/huiqi/search/meili"
)

func newReindexCmd() *cobra.Command {
	var cfg Config
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search indexes from the database (embedded mode: while the server is stopped)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.applyEnv(cmd.Flags(), nil)
			if err := cfg.Validate(); err != nil {
				return fmt.Errorf("invalid configuration:\n%w", err)
			}
			log := newLogger(cfg.Level)
			st, err := openStack(cmd.Context(), &cfg, log, needs{})
			if err != nil {
				return err
			}
			defer st.close(context.Background())
			for _, src := range indexSources {
				docs, err := src.docs(cmd.Context(), st)
				if err != nil {
					return err
				}
				if err := st.rebuildIndex(cmd.Context(), src, docs); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "reindexed %d documents into %s\n", len(docs), src.name)
			}
			return nil
		},
	}
	cfg.bindFlags(cmd.Flags())
	return cmd
}

// rebuildIndex writes docs into a fresh index and puts it in place of the
// old one. On the embedded backend the new index is built beside the old
// and renamed over it, so a failure leaves the old index untouched.
func (s *stack) rebuildIndex(ctx context.Context, src indexSource, docs []search.Document) error {
	name := src.name
	const batch = 500
	bar := progressbar.NewOptions(len(docs),
		progressbar.OptionSetDescription("indexing "+name),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish())
	fill := func(idx search.Index) error {
		for i := 0; i < len(docs); i += batch {
			end := min(i+batch, len(docs))
			if err := idx.Upsert(ctx, docs[i:end]...); err != nil {
				return fmt.Errorf("index %s: %w", name, err)
			}
			_ = bar.Add(end - i)
		}
		_ = bar.Finish() // the bar is only for show, and refuses to finish an empty index
		return nil
	}
	if !s.cfg.embeddedSearch() {
		// Meilisearch builds a new index beside the live one and swaps them.
		idx := meili.New(s.cfg.MeiliURL, s.cfg.MeiliKey, "huiqi_"+name, src.schema)
		defer idx.Close()
		if err := idx.Rebuild(ctx, search.All(docs)); err != nil {
			return fmt.Errorf("rebuild %s: %w", name, err)
		}
		_ = bar.Add(len(docs))
		_ = bar.Finish()
		return nil
	}
	path := s.indexPath(name)
	tmp := path + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	idx, err := bleve.Open(tmp, src.schema)
	if err != nil {
		return err
	}
	if err := fill(idx); err != nil {
		idx.Close()
		os.RemoveAll(tmp)
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}
	old := path + ".old"
	_ = os.RemoveAll(old)
	if err := os.Rename(path, old); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("swap index %s: %w", name, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("swap index %s: %w", name, err)
	}
	return os.RemoveAll(old)
}
