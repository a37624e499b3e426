// Package searchtest is the suite every search backend must pass, so that
// the embedded Bleve index and Meilisearch answer the portal the same way.
// It also holds the relevance set (Policies, Queries, Measure) and a
// generator of synthetic documents for benchmarks.
//
//	func TestIndex(t *testing.T) {
//		searchtest.Run(t, func(t *testing.T, s search.Schema) search.Index { return openFresh(t, s) })
//	}
package searchtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/huiqi/huiqi/search"
)

// Run runs the suite; open returns an empty index with the given schema
// for one subtest and arranges (with t.Cleanup) for it to be closed and
// removed.
func Run(t *testing.T, open func(t *testing.T, schema search.Schema) search.Index) {
	t.Helper()
	for _, tc := range []struct {
		name   string
		schema search.Schema
		run    func(t *testing.T, idx search.Index)
	}{
		{"Ping", search.Schema{}, testPing},
		{"EmptyIndex", search.Schema{}, testEmptyIndex},
		{"ChineseWordInsideLongerWord", search.Schema{}, testChinese},
		{"LatinAndDigits", search.Schema{}, testLatinAndDigits},
		{"AnyField", search.Schema{}, testAnyField},
		{"UpsertReplaces", search.Schema{}, testUpsertReplaces},
		{"UpsertBatch", search.Schema{}, testUpsertBatch},
		{"Delete", search.Schema{}, testDelete},
		{"DeleteUnknownIDs", search.Schema{}, testDeleteUnknown},
		{"Paging", search.Schema{}, testPaging},
		{"DefaultPaging", search.Schema{}, testDefaultPaging},
		{"EmptyQueryListsAll", search.Schema{}, testEmptyQuery},
		{"ChineseNormalisation", PolicySchema, testNormalisation},
		{"Synonyms", PolicySchema, testSynonyms},
		{"Pinyin", PolicySchema, testPinyin},
		{"Filters", PolicySchema, testFilters},
		{"Ranges", PolicySchema, testRanges},
		{"Facets", PolicySchema, testFacets},
		{"Sort", PolicySchema, testSort},
		{"Highlight", PolicySchema, testHighlight},
		{"ErrInvalidQuery", PolicySchema, testInvalidQuery},
		{"Relevance", PolicySchema, testRelevance},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t, tc.schema)) })
	}
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func doc(id, name string, more ...string) search.Document {
	f := map[string]any{"name": name}
	for i := 0; i+1 < len(more); i += 2 {
		f[more[i]] = more[i+1]
	}
	return search.Document{ID: id, Fields: f}
}

func upsert(t *testing.T, idx search.Index, docs ...search.Document) {
	t.Helper()
	if err := idx.Upsert(ctxT(t), docs...); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
}

func find(t *testing.T, idx search.Index, q search.Query) *search.Result {
	t.Helper()
	res, err := idx.Search(ctxT(t), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	if res == nil {
		t.Fatalf("Search(%+v) returned a nil result", q)
	}
	return res
}

func hitIDs(res *search.Result) []string {
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// expect checks that text finds exactly the ids in want (in any order).
func expect(t *testing.T, idx search.Index, text string, want ...string) {
	t.Helper()
	res := find(t, idx, search.Query{Text: text, PerPage: 100})
	got := slices.Sorted(slices.Values(hitIDs(res)))
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("Search(%q) found %v, want %v", text, got, want)
	}
	if res.Total != len(want) {
		t.Errorf("Search(%q) Total = %d, want %d", text, res.Total, len(want))
	}
}

func testPing(t *testing.T, idx search.Index) {
	if err := idx.Ping(ctxT(t)); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testEmptyIndex(t *testing.T, idx search.Index) {
	// A fresh index (before the first document, or after a reindex wiped
	// it) searches as empty and tolerates deletes.
	res := find(t, idx, search.Query{})
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("empty index: Total %d, hits %v; want nothing", res.Total, hitIDs(res))
	}
	expect(t, idx, "交通")
	if err := idx.Delete(ctxT(t), "nobody"); err != nil {
		t.Errorf("Delete on an empty index: %v", err)
	}
}

func testChinese(t *testing.T, idx search.Index) {
	upsert(t, idx,
		doc("jtj", "区交通运输局", "kind", "区直部门"),
		doc("fgj", "区发展和改革局", "kind", "区直部门"),
		doc("stj", "沙头角街道", "kind", "街道"),
	)
	expect(t, idx, "交通", "jtj")
	expect(t, idx, "运输", "jtj")
	expect(t, idx, "银行")

	// A backend may also list partial matches; the whole name comes first.
	if got := hitIDs(find(t, idx, search.Query{Text: "区交通运输局"})); len(got) == 0 || got[0] != "jtj" {
		t.Errorf("Search(区交通运输局) = %v, want jtj first", got)
	}

	res := find(t, idx, search.Query{Text: "交通"})
	if len(res.Hits) == 1 && res.Hits[0].Score <= 0 {
		t.Errorf("hit score = %v, want > 0", res.Hits[0].Score)
	}
}

func testLatinAndDigits(t *testing.T, idx search.Index) {
	upsert(t, idx,
		doc("p1", "2026年 AI 补贴"),
		doc("p2", "2025年 人才经费"),
		doc("p3", "小微企业 再贷款"),
	)
	expect(t, idx, "AI", "p1")
	expect(t, idx, "ai", "p1")
	expect(t, idx, "2026", "p1")
	expect(t, idx, "补贴", "p1")
	expect(t, idx, "2024")
}

func testAnyField(t *testing.T, idx search.Index) {
	upsert(t, idx,
		doc("jtj", "区交通运输局", "head", "王建国"),
		doc("fgj", "区发展和改革局", "head", "李晓梅"),
	)
	expect(t, idx, "李晓梅", "fgj")
	expect(t, idx, "王建国", "jtj")
}

func testUpsertReplaces(t *testing.T, idx search.Index) {
	upsert(t, idx, doc("u1", "区交通运输局"), doc("u2", "海山街道"))
	upsert(t, idx, doc("u1", "区发展和改革局"))
	expect(t, idx, "交通")
	expect(t, idx, "运输")
	expect(t, idx, "区发展和改革局", "u1")
	expect(t, idx, "", "u1", "u2")
}

func testUpsertBatch(t *testing.T, idx search.Index) {
	var docs []search.Document
	var want []string
	for i := range 30 {
		id := fmt.Sprintf("b%02d", i)
		docs = append(docs, doc(id, fmt.Sprintf("服务站 %d", i)))
		want = append(want, id)
	}
	upsert(t, idx, docs...)
	expect(t, idx, "服务", want...)
}

func testDelete(t *testing.T, idx search.Index) {
	upsert(t, idx, doc("a", "区交通运输局"), doc("b", "区交通管理中心"), doc("c", "海山街道"))
	if err := idx.Delete(ctxT(t), "a", "c"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	expect(t, idx, "交通", "b")
	expect(t, idx, "", "b")
}

func testDeleteUnknown(t *testing.T, idx search.Index) {
	upsert(t, idx, doc("a", "区交通运输局"))
	if err := idx.Delete(ctxT(t), "nobody", "nobody-else"); err != nil {
		t.Fatalf("Delete of unknown ids: %v", err)
	}
	if err := idx.Delete(ctxT(t), "a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := idx.Delete(ctxT(t), "a"); err != nil {
		t.Fatalf("Delete twice: %v", err)
	}
	expect(t, idx, "")
}

// policies indexes n documents that all match "补贴" and one that does not.
func policies(t *testing.T, idx search.Index, n int) []string {
	t.Helper()
	var docs []search.Document
	var ids []string
	for i := range n {
		id := fmt.Sprintf("p%02d", i)
		docs = append(docs, doc(id, fmt.Sprintf("第%d批 稳岗 补贴", i+1)))
		ids = append(ids, id)
	}
	docs = append(docs, doc("other", "人才安居"))
	upsert(t, idx, docs...)
	return ids
}

func testPaging(t *testing.T, idx search.Index) {
	all := policies(t, idx, 25)
	var seen []string
	for _, tc := range []struct{ page, want int }{{1, 10}, {2, 10}, {3, 5}, {4, 0}} {
		res := find(t, idx, search.Query{Text: "补贴", Page: tc.page, PerPage: 10})
		if res.Total != 25 {
			t.Errorf("page %d: Total = %d, want 25 (all matches, not the page)", tc.page, res.Total)
		}
		if len(res.Hits) != tc.want {
			t.Errorf("page %d: %d hits, want %d", tc.page, len(res.Hits), tc.want)
		}
		for _, id := range hitIDs(res) {
			if slices.Contains(seen, id) {
				t.Errorf("page %d repeats %s from an earlier page", tc.page, id)
			}
			seen = append(seen, id)
		}
	}
	slices.Sort(seen)
	if !slices.Equal(seen, all) {
		t.Errorf("pages together hold %v, want %v", seen, all)
	}
}

func testDefaultPaging(t *testing.T, idx search.Index) {
	policies(t, idx, 25)
	res := find(t, idx, search.Query{Text: "补贴"})
	if res.Total != 25 || len(res.Hits) != 20 {
		t.Errorf("default paging: Total %d, %d hits; want 25 and a first page of 20", res.Total, len(res.Hits))
	}
	res = find(t, idx, search.Query{Text: "补贴", Page: -1, PerPage: -5})
	if res.Total != 25 || len(res.Hits) != 20 {
		t.Errorf("negative paging: Total %d, %d hits; want 25 and a first page of 20", res.Total, len(res.Hits))
	}
}

func testEmptyQuery(t *testing.T, idx search.Index) {
	ids := policies(t, idx, 12)
	expect(t, idx, "", append(ids, "other")...)
	res := find(t, idx, search.Query{PerPage: 5, Page: 3})
	if res.Total != 13 || len(res.Hits) != 3 {
		t.Errorf("empty query page 3 of 5: Total %d, %d hits; want 13 and 3", res.Total, len(res.Hits))
	}
}
