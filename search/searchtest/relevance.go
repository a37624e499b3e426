package searchtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/huiqi/huiqi/search"
)

// The bars a backend must reach on the relevance set. The Bleve backend
// measures recall@5 0.975 and MRR 1.000; without synonyms it falls to
// 0.917 and 0.973, and without a schema (no field weights, pinyin or
// synonyms) to 0.809 and 0.865. The bars sit just below the full figures,
// so losing any one of these features fails the suite, while a handful of
// rank changes between backends does not.
const (
	// MinRecallAt5 is the lowest mean recall@5 a backend may reach.
	MinRecallAt5 = 0.95
	// MinMRR is the lowest mean reciprocal rank a backend may reach.
	MinMRR = 0.95
)

// Metrics is how well an index answers the relevance set.
type Metrics struct {
	// RecallAt5 is the mean over queries of the relevant documents found
	// in the first five hits, divided by the relevant documents there
	// could be (at most five).
	RecallAt5 float64
	// MRR is the mean reciprocal rank of the first relevant hit.
	MRR float64
	// Misses describes the queries that did not find every relevant
	// document they could in the first five, or found one only lower.
	Misses []string
}

// Measure runs every relevance query against idx, which must hold
// Policies() indexed with PolicySchema.
func Measure(ctx context.Context, idx search.Index) (Metrics, error) {
	var m Metrics
	qs := Queries()
	for _, q := range qs {
		res, err := idx.Search(ctx, search.Query{Text: q.Q, PerPage: 10})
		if err != nil {
			return m, fmt.Errorf("search %q: %w", q.Q, err)
		}
		ids := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		found, rank := 0, 0
		for i, id := range ids {
			if slices.Contains(q.Relevant, id) {
				if i < 5 {
					found++
				}
				if rank == 0 {
					rank = i + 1
				}
			}
		}
		possible := min(len(q.Relevant), 5)
		recall := float64(found) / float64(possible)
		m.RecallAt5 += recall
		if rank > 0 {
			m.MRR += 1 / float64(rank)
		}
		if recall < 1 || rank != 1 {
			m.Misses = append(m.Misses, fmt.Sprintf("%q (%s): recall@5 %.2f, first relevant at %d; top 5 %v, want %v",
				q.Q, q.Why, recall, rank, ids[:min(5, len(ids))], q.Relevant))
		}
	}
	m.RecallAt5 /= float64(len(qs))
	m.MRR /= float64(len(qs))
	return m, nil
}

// testRelevance indexes the relevance set and holds the backend to the
// bars above.
func testRelevance(t *testing.T, idx search.Index) {
	upsert(t, idx, Policies()...)
	m, err := Measure(ctxT(t), idx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("relevance over %d queries: recall@5 %.3f, MRR %.3f", len(Queries()), m.RecallAt5, m.MRR)
	for _, miss := range m.Misses {
		t.Logf("weak: %s", miss)
	}
	if m.RecallAt5 < MinRecallAt5 {
		t.Errorf("recall@5 = %.3f, want ≥ %.2f", m.RecallAt5, MinRecallAt5)
	}
	if m.MRR < MinMRR {
		t.Errorf("MRR = %.3f, want ≥ %.2f", m.MRR, MinMRR)
	}
}
