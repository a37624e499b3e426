package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/huiqi/huiqi/policies"
	policystore "github.com/huiqi/huiqi/policies/mongostore"
	"github.com/huiqi/huiqi/portal"
	"github.com/huiqi/huiqi/portal/mongostore"
	"github.com/huiqi/huiqi/search"
	"github.com/huiqi/huiqi/search/bleve"
	"github.com/huiqi/huiqi/search/meili"
)

// indexSource is one search index: its schema and how to derive all of
// its documents from MongoDB, the truth.
type indexSource struct {
	name   string
	schema search.Schema
	docs   func(ctx context.Context, st *stack) ([]search.Document, error)
}

// indexSources lists every search index the portal keeps.
var indexSources = []indexSource{
	{name: portal.OrgUnitIndex, docs: func(ctx context.Context, st *stack) ([]search.Document, error) {
		units, err := mongostore.NewOrgStore(st.db).FindOrgUnits(ctx, portal.OrgUnitFilter{})
		if err != nil {
			return nil, err
		}
		docs := make([]search.Document, len(units))
		for i, u := range units {
			docs[i] = u.SearchDocument()
		}
		return docs, nil
	}},
	{name: policies.IndexName, schema: policies.Schema, docs: func(ctx context.Context, st *stack) ([]search.Document, error) {
		store := policystore.New(st.db.Database())
		var docs []search.Document
		for offset := 0; ; offset += 500 {
			page, total, err := store.FindPolicies(ctx, policies.Filter{Offset: offset, Limit: 500})
			if err != nil {
				return nil, err
			}
			for _, p := range page {
				docs = append(docs, policies.SearchDocument(p))
			}
			if offset+500 >= total {
				return docs, nil
			}
		}
	}},
	{name: portal.RequestIndexName, schema: portal.RequestSchema, docs: func(ctx context.Context, st *stack) ([]search.Document, error) {
		return portal.RequestIndexDocuments(ctx, mongostore.NewRequestStore(st.db, st.cfg.Location))
	}},
}

// openIndexes opens every index. An embedded index built with another
// schema (an older version of huiqi) is set aside and started afresh, and
// remembered so that rebuildStale fills it once the database is ready.
func (s *stack) openIndexes(ctx context.Context) error {
	s.indexes = map[string]search.Index{}
	for _, src := range indexSources {
		// An embedded index that does not exist yet (a kind of index new in
		// this version, or a removed directory) is filled from the database.
		_, statErr := os.Stat(s.indexPath(src.name))
		fresh := s.cfg.embeddedSearch() && errors.Is(statErr, os.ErrNotExist)
		idx, err := s.openIndex(ctx, src)
		if errors.Is(err, search.ErrSchemaChanged) && s.cfg.embeddedSearch() {
			s.log.Warn("search index was built by another version; rebuilding it from the database", "index", src.name)
			if err = os.RemoveAll(s.indexPath(src.name)); err == nil {
				idx, err = s.openIndex(ctx, src)
			}
			s.stale = append(s.stale, src)
		}
		if err != nil {
			return fmt.Errorf("open search index %s: %w", src.name, err)
		}
		if fresh {
			s.stale = append(s.stale, src)
		}
		s.indexes[src.name] = idx
	}
	s.orgIndex, s.policyIndex = s.indexes[portal.OrgUnitIndex], s.indexes[policies.IndexName]
	s.requestIndex = s.indexes[portal.RequestIndexName]
	return nil
}

// openIndex opens one index on the configured backend; on Meilisearch it
// also applies the index settings.
func (s *stack) openIndex(ctx context.Context, src indexSource) (search.Index, error) {
	if s.cfg.embeddedSearch() {
		return bleve.Open(s.indexPath(src.name), src.schema)
	}
	idx := meili.New(s.cfg.MeiliURL, s.cfg.MeiliKey, "huiqi_"+src.name, src.schema)
	if err := idx.Ping(ctx); err != nil {
		return nil, err
	}
	if err := idx.EnsureSettings(ctx); err != nil {
		return nil, err
	}
	return idx, nil
}

// rebuildStale fills the indexes openIndexes had to start afresh.
func (s *stack) rebuildStale(ctx context.Context) error {
	for _, src := range s.stale {
		docs, err := src.docs(ctx, s)
		if err != nil {
			return err
		}
		for i := 0; i < len(docs); i += 500 {
			if err := s.indexes[src.name].Upsert(ctx, docs[i:min(i+500, len(docs))]...); err != nil {
				return fmt.Errorf("rebuild search index %s: %w", src.name, err)
			}
		}
		s.log.Info("search index rebuilt", "index", src.name, "documents", len(docs))
	}
	s.stale = nil
	return nil
}
