package searchtest

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/huiqi/huiqi/search"
)

// pol is a small policy document for the schema cases.
func pol(id, title string, fields map[string]any) search.Document {
	f := map[string]any{"title": title}
	maps.Copy(f, fields)
	return search.Document{ID: id, Fields: f}
}

// first checks that q's first hit is want.
func first(t *testing.T, idx search.Index, q search.Query, want string) {
	t.Helper()
	ids := hitIDs(find(t, idx, q))
	if len(ids) == 0 || ids[0] != want {
		t.Errorf("Search(%q) = %v, want %s first", q.Text, ids, want)
	}
}

// holds checks that q finds every id in want.
func holds(t *testing.T, idx search.Index, q search.Query, want ...string) {
	t.Helper()
	ids := hitIDs(find(t, idx, q))
	for _, w := range want {
		if !slices.Contains(ids, w) {
			t.Errorf("Search(%q) = %v, want it to hold %s", q.Text, ids, w)
		}
	}
}

// exactly checks that q finds exactly want, in order when ordered.
func exactly(t *testing.T, idx search.Index, q search.Query, ordered bool, want ...string) *search.Result {
	t.Helper()
	res := find(t, idx, q)
	got := hitIDs(res)
	if !ordered {
		got = slices.Sorted(slices.Values(got))
		want = slices.Sorted(slices.Values(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Search(%+v) = %v, want %v", q, got, want)
	}
	if res.Total != len(want) && q.PerPage == 0 {
		t.Errorf("Search(%+v) Total = %d, want %d", q, res.Total, len(want))
	}
	return res
}

func testNormalisation(t *testing.T, idx search.Index) {
	upsert(t, idx,
		pol("adb", "中国农业发展银行粮食收购贷款", map[string]any{"issuer": "中国农业发展银行"}),
		pol("jt", "交通物流专项再贷款", map[string]any{"issuer": "区交通运输局"}),
		pol("sq", "企业诉求接诉即办", map[string]any{"body": "企业可查看待处理、办理中和已办结的诉求。"}),
		pol("rc", "人才经费补贴", map[string]any{"summary": "企业人才引进和培养经费。"}),
		pol("ga", "港澳青年人才創業資助", map[string]any{"summary": "給予創業啟動資助。"}),
		pol("ai", "2026年AI应用补贴", map[string]any{"tags": []string{"AI", "数字化"}}),
		pol("5g", "5G+工业互联网示范项目", nil),
	)
	for _, tc := range []struct{ text, want string }{
		{"农业", "adb"}, // a word inside a longer word
		{"发展银行", "adb"},
		{"交通", "jt"}, // in the title and in 区交通运输局
		{"运输局", "jt"},
		{"处理", "sq"},   // the end of 待处理
		{"人才經費", "rc"}, // Traditional query, Simplified text
		{"创业资助", "ga"}, // Simplified query, Traditional text
		{"2026", "ai"}, // digits inside Chinese
		{"ai", "ai"},   // Latin inside Chinese, any case
		{"ＡＩ", "ai"},   // full width
		{"5g", "5g"},
		{"5G工业互联网", "5g"},
	} {
		first(t, idx, search.Query{Text: tc.text}, tc.want)
	}
	expect(t, idx, "医疗")
}

func testSynonyms(t *testing.T, idx search.Index) {
	upsert(t, idx,
		pol("sds", "小型微利企业所得税减免", nil),
		pol("zx", "专精特新中小企业奖励", nil),
		pol("stt", "首台（套）重大技术装备保险补偿", nil),
		pol("adb", "中国农业发展银行乡村产业振兴贷款", nil),
		pol("rg", "人工智能大模型算力券", nil),
		pol("cf", "中小企业厂房租金补贴", nil),
	)
	for _, tc := range []struct{ text, want string }{
		{"小微企业所得税", "sds"},
		{"小型微利", "sds"},
		{"专精特新", "zx"},
		{"首台套", "stt"},
		{"农发行贷款", "adb"},
		{"AI", "rg"},
	} {
		first(t, idx, search.Query{Text: tc.text}, tc.want)
	}
}

func testPinyin(t *testing.T, idx search.Index) {
	upsert(t, idx,
		pol("jf", "企业人才经费补贴", map[string]any{"summary": "人才引进补贴"}),
		pol("aj", "人才安居住房补贴", nil),
		pol("wg", "失业保险稳岗返还", nil),
		pol("adb", "中国农业发展银行粮食收购贷款", nil),
		pol("cf", "中小企业厂房租金补贴", map[string]any{"body": "人才公寓不在此列"}),
	)
	holds(t, idx, search.Query{Text: "rencai"}, "jf", "aj")
	for _, tc := range []struct{ text, want string }{
		{"rencaijingfei", "jf"},
		{"rencai jingfei", "jf"},
		{"Rencai Jingfei", "jf"},
		{"wengangfanhuan", "wg"},  // 还 read huan in 返还
		{"nongye yinhang", "adb"}, // 行 read hang in 银行
	} {
		first(t, idx, search.Query{Text: tc.text}, tc.want)
	}
	// Pinyin comes from the title only: 人才 in cf's body is not found by it.
	if ids := hitIDs(find(t, idx, search.Query{Text: "rencai"})); slices.Contains(ids, "cf") {
		t.Errorf("Search(rencai) = %v, found cf by the pinyin of its body", ids)
	}
}

// catalogue is the set the filter, range, facet and sort cases share.
func catalogue(t *testing.T, idx search.Index) {
	t.Helper()
	day := func(s string) float64 { return unixDay(s) }
	upsert(t, idx,
		pol("f1", "人才培训补贴", map[string]any{"category": "talent_funding", "level": "district", "tags": []string{"人才", "培训"}, "published_at": day("2024-01-01"), "max_amount": 20000.0}),
		pol("f2", "人才引进奖励", map[string]any{"category": "talent_funding", "level": "municipal", "tags": []string{"人才"}, "published_at": day("2024-06-01"), "max_amount": 2000000}),
		pol("f3", "交通物流专项再贷款", map[string]any{"category": "relending", "level": "national", "tags": []string{"再贷款"}, "published_at": day("2025-01-01")}),
		pol("f4", "小型微利企业所得税减免", map[string]any{"category": "small_micro", "level": "national", "tags": []string{"税费", "小微"}, "published_at": day("2025-06-01")}),
		pol("f5", "小微企业开办费补贴", map[string]any{"category": "small_micro", "level": "district", "tags": []string{"小微"}, "published_at": day("2026-01-01"), "max_amount": int64(10000)}),
		pol("f6", "稳岗返还补贴", map[string]any{"category": "employment", "level": "provincial", "tags": []string{"稳岗", "补贴"}, "published_at": day("2026-03-01"), "max_amount": 5000}),
	)
}

func filter(field string, values ...string) search.Filter {
	return search.Filter{Field: field, Values: values}
}

func testFilters(t *testing.T, idx search.Index) {
	catalogue(t, idx)
	for _, tc := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"OneValue", search.Query{Filters: []search.Filter{filter("category", "talent_funding")}}, []string{"f1", "f2"}},
		{"ValuesAreOr", search.Query{Filters: []search.Filter{filter("category", "talent_funding", "small_micro")}}, []string{"f1", "f2", "f4", "f5"}},
		{"FiltersAreAnd", search.Query{Filters: []search.Filter{filter("category", "small_micro"), filter("level", "district")}}, []string{"f5"}},
		{"ListField", search.Query{Filters: []search.Filter{filter("tags", "小微")}}, []string{"f4", "f5"}},
		{"ListFieldOr", search.Query{Filters: []search.Filter{filter("tags", "培训", "稳岗")}}, []string{"f1", "f6"}},
		{"WithText", search.Query{Text: "补贴", Filters: []search.Filter{filter("category", "talent_funding", "employment")}}, []string{"f1", "f6"}},
		{"UnknownValue", search.Query{Filters: []search.Filter{filter("category", "nothing")}}, nil},
		{"ValueIsExact", search.Query{Filters: []search.Filter{filter("category", "talent")}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) { exactly(t, idx, tc.q, false, tc.want...) })
	}
}

func ptr(v float64) *float64 { return &v }

func testRanges(t *testing.T, idx search.Index) {
	catalogue(t, idx)
	day := func(s string) *float64 { return ptr(unixDay(s)) }
	for _, tc := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"MinInclusive", search.Query{Ranges: []search.Range{{Field: "published_at", Min: day("2025-01-01")}}}, []string{"f3", "f4", "f5", "f6"}},
		{"MaxInclusive", search.Query{Ranges: []search.Range{{Field: "published_at", Max: day("2024-06-01")}}}, []string{"f1", "f2"}},
		{"Between", search.Query{Ranges: []search.Range{{Field: "published_at", Min: day("2024-06-01"), Max: day("2025-06-01")}}}, []string{"f2", "f3", "f4"}},
		{"MissingFieldIsOut", search.Query{Ranges: []search.Range{{Field: "max_amount", Min: ptr(0)}}}, []string{"f1", "f2", "f5", "f6"}},
		{"WithFilter", search.Query{Ranges: []search.Range{{Field: "max_amount", Min: ptr(10000)}}, Filters: []search.Filter{filter("level", "district")}}, []string{"f1", "f5"}},
		{"WithText", search.Query{Text: "补贴", Ranges: []search.Range{{Field: "max_amount", Max: ptr(10000)}}}, []string{"f5", "f6"}},
		{"TwoRanges", search.Query{Ranges: []search.Range{{Field: "max_amount", Min: ptr(5000)}, {Field: "published_at", Max: day("2025-12-31")}}}, []string{"f1", "f2"}},
		{"Empty", search.Query{Ranges: []search.Range{{Field: "max_amount", Min: ptr(30000), Max: ptr(20000)}}}, nil},
		{"Open", search.Query{Ranges: []search.Range{{Field: "max_amount"}}}, []string{"f1", "f2", "f3", "f4", "f5", "f6"}},
	} {
		t.Run(tc.name, func(t *testing.T) { exactly(t, idx, tc.q, false, tc.want...) })
	}
}

func testFacets(t *testing.T, idx search.Index) {
	catalogue(t, idx)
	check := func(t *testing.T, q search.Query, want map[string]map[string]int) {
		t.Helper()
		res := find(t, idx, q)
		if len(res.Facets) != len(want) {
			t.Errorf("Facets = %v, want %v", res.Facets, want)
		}
		for f, counts := range want {
			if !maps.Equal(res.Facets[f], counts) {
				t.Errorf("Facets[%s] = %v, want %v", f, res.Facets[f], counts)
			}
		}
	}
	t.Run("OverAllMatchesNotThePage", func(t *testing.T) {
		check(t, search.Query{Facets: []string{"category", "tags"}, PerPage: 1}, map[string]map[string]int{
			"category": {"talent_funding": 2, "relending": 1, "small_micro": 2, "employment": 1},
			"tags":     {"人才": 2, "培训": 1, "再贷款": 1, "税费": 1, "小微": 2, "稳岗": 1, "补贴": 1},
		})
	})
	t.Run("AfterFilters", func(t *testing.T) {
		check(t, search.Query{Facets: []string{"category", "level"}, Filters: []search.Filter{filter("level", "national")}}, map[string]map[string]int{
			"category": {"relending": 1, "small_micro": 1},
			"level":    {"national": 2},
		})
	})
	t.Run("AfterText", func(t *testing.T) {
		check(t, search.Query{Text: "补贴", Facets: []string{"category"}}, map[string]map[string]int{
			"category": {"talent_funding": 1, "small_micro": 1, "employment": 1},
		})
	})
	t.Run("NoMatches", func(t *testing.T) {
		check(t, search.Query{Facets: []string{"category"}, Filters: []search.Filter{filter("category", "nothing")}}, map[string]map[string]int{
			"category": {},
		})
	})
	t.Run("NoneAsked", func(t *testing.T) {
		if res := find(t, idx, search.Query{}); len(res.Facets) != 0 {
			t.Errorf("Facets = %v without asking, want none", res.Facets)
		}
	})
}

func testSort(t *testing.T, idx search.Index) {
	catalogue(t, idx)
	for _, tc := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"NewestFirst", search.Query{Sort: []string{"-published_at"}}, []string{"f6", "f5", "f4", "f3", "f2", "f1"}},
		{"OldestFirst", search.Query{Sort: []string{"published_at"}}, []string{"f1", "f2", "f3", "f4", "f5", "f6"}},
		{"WithFilter", search.Query{Sort: []string{"-published_at"}, Filters: []search.Filter{filter("category", "small_micro", "talent_funding")}}, []string{"f5", "f4", "f2", "f1"}},
		{"Paged", search.Query{Sort: []string{"-published_at"}, Page: 2, PerPage: 2}, []string{"f4", "f3"}},
		{"FilterThenSort", search.Query{Sort: []string{"-published_at"}, Filters: []search.Filter{filter("level", "national")}}, []string{"f4", "f3"}},
	} {
		t.Run(tc.name, func(t *testing.T) { exactly(t, idx, tc.q, true, tc.want...) })
	}
	// Documents without the field come last, whichever the direction.
	for _, tc := range []struct {
		sort string
		head []string
	}{
		{"max_amount", []string{"f6", "f5", "f1", "f2"}},
		{"-max_amount", []string{"f2", "f1", "f5", "f6"}},
	} {
		t.Run("Missing "+tc.sort, func(t *testing.T) {
			got := hitIDs(find(t, idx, search.Query{Sort: []string{tc.sort}}))
			if len(got) != 6 || !slices.Equal(got[:4], tc.head) {
				t.Errorf("Sort %s = %v, want %v then f3 and f4", tc.sort, got, tc.head)
			}
		})
	}
}

// plain strips the <mark> tags from highlighted HTML.
func plain(s string) string {
	return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
}

func testHighlight(t *testing.T, idx search.Index) {
	long := strings.Repeat("企业应当按照规定如实提交申报材料并对材料的真实性负责，", 4) + "本项人才经费按季度拨付到企业账户，逾期不予受理。"
	upsert(t, idx,
		pol("h1", "人才经费补贴 <申报> & 说明", map[string]any{"body": long, "summary": "面向企业人才"}),
		pol("h2", "中小企业厂房租金补贴", map[string]any{"body": "短文本"}),
	)
	res := find(t, idx, search.Query{Text: "人才经费", Highlight: []string{"title", "body"}})
	if len(res.Hits) == 0 || res.Hits[0].ID != "h1" {
		t.Fatalf("Search(人才经费) = %v, want h1 first", hitIDs(res))
	}
	hl := res.Hits[0].Highlight
	if got := hl["title"]; !strings.Contains(got, "<mark>人才经费</mark>") && !strings.Contains(got, "<mark>人才</mark><mark>经费</mark>") {
		t.Errorf("title highlight = %q, want 人才经费 marked", got)
	}
	if got := hl["title"]; !strings.Contains(got, "&lt;申报&gt; &amp; 说明") || strings.Contains(got, "<申报>") {
		t.Errorf("title highlight = %q, want the rest HTML-escaped", got)
	}
	body := hl["body"]
	if !strings.Contains(body, "<mark>") {
		t.Errorf("body highlight = %q, want the match marked", body)
	}
	if n := utf8.RuneCountInString(plain(body)); n > search.HighlightRunes+10 || n < search.HighlightRunes/2 {
		t.Errorf("body highlight has %d characters, want about %d: %q", n, search.HighlightRunes, body)
	}
	if !strings.Contains(plain(body), "人才经费") {
		t.Errorf("body highlight = %q, want it cut around the match", body)
	}
	if _, ok := hl["summary"]; ok {
		t.Errorf("highlight holds summary, which was not asked for: %v", hl)
	}

	res = find(t, idx, search.Query{Text: "人才经费"})
	if len(res.Hits) == 0 || res.Hits[0].Highlight != nil {
		t.Errorf("hits without Highlight asked = %+v, want no highlight", res.Hits)
	}
	res = find(t, idx, search.Query{Filters: nil, Text: "厂房", Highlight: []string{"title", "body"}})
	if len(res.Hits) != 1 || res.Hits[0].Highlight["body"] != "短文本" {
		t.Errorf("hits = %+v, want h2 with its unmatched body as it is", res.Hits)
	}
}

func testInvalidQuery(t *testing.T, idx search.Index) {
	catalogue(t, idx)
	for name, q := range map[string]search.Query{
		"FilterNotFilterable": {Filters: []search.Filter{filter("title", "人才")}},
		"FilterWithoutValues": {Filters: []search.Filter{{Field: "category"}}},
		"RangeNotRanged":      {Ranges: []search.Range{{Field: "title", Min: ptr(1)}}},
		"FacetNotFilterable":  {Facets: []string{"published_at"}},
		"SortNotSortable":     {Sort: []string{"-category"}},
		"HighlightNotText":    {Highlight: []string{"category"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := idx.Search(ctxT(t), q); !errors.Is(err, search.ErrInvalidQuery) {
				t.Errorf("Search(%+v) = %v, want search.ErrInvalidQuery", q, err)
			}
		})
	}
}
