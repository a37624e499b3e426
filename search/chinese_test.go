package search_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/huiqi/huiqi/search"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"人才經費", "人才经费"},
		{"中國農業發展銀行", "中国农业发展银行"},
		{"港澳青年人才創業資助", "港澳青年人才创业资助"},
		{"２０２６年ＡＩ應用補貼", "2026年ai应用补贴"},
		{"首台（套）", "首台(套)"},
		{"5G＋工业互联网", "5g+工业互联网"},
		{"人才\u3000经费", "人才 经费"},
		{"AI Ready", "ai ready"},
		{"已是简体的文本", "已是简体的文本"},
		{"", ""},
	} {
		if got := search.Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// OpenCC is loaded lazily by whichever goroutine needs it first; the
// converter and its caches must hold up under concurrent use (go test
// -race shows it).
func TestNormalizeConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := search.Normalize("穩崗返還"); got != "稳岗返还" {
					errs <- got
				}
				if got := search.PinyinTerms("银行"); !slices.Equal(got, []string{"yinhang"}) {
					errs <- strings.Join(got, " ")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent result %q", e)
	}
}

func TestBigrams(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"区交通运输局", []string{"区交", "交通", "通运", "运输", "输局"}},
		{"2026年ai应用补贴", []string{"年", "应用", "用补", "补贴"}},
		{"待处理", []string{"待处", "处理"}},
		{"ai", nil},
		{"人才 经费", []string{"人才", "经费"}},
	} {
		if got := search.Bigrams(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Bigrams(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPinyinTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"人才经费", []string{"rencai", "caijing", "jingfei", "rencaijing", "caijingfei", "rencaijingfei"}},
		{"人才經費", []string{"rencai", "caijing", "jingfei", "rencaijing", "caijingfei", "rencaijingfei"}},
		// Readings fixed for common words: 银行 yinhang, 返还 fanhuan.
		{"农业银行", []string{"nongye", "yeyin", "yinhang", "nongyeyin", "yeyinhang", "nongyeyinhang"}},
		{"稳岗返还", []string{"wengang", "gangfan", "fanhuan", "wengangfan", "gangfanhuan", "wengangfanhuan"}},
		// Runs are separate; a lone character has no term.
		{"2026年AI应用补贴", []string{"yingyong", "yongbu", "butie", "yingyongbu", "yongbutie", "yingyongbutie"}},
		{"绿色", []string{"lvse"}},
		{"AI", nil},
	} {
		if got := search.PinyinTerms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("PinyinTerms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	t.Run("AtMostSixSyllables", func(t *testing.T) {
		for _, term := range search.PinyinTerms("专精特新中小企业奖励") {
			if term == "zhuanjingtexinzhongxiaoqiye" {
				t.Errorf("PinyinTerms joined %q, more than six syllables", term)
			}
		}
		if got := search.PinyinTerms("专精特新中小企业奖励"); !slices.Contains(got, "zhuanjingtexinzhongxiao") {
			t.Errorf("PinyinTerms = %q, want the six-syllable zhuanjingtexinzhongxiao", got)
		}
	})
}

func TestPinyinJoins(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"rencai jingfei", []string{"rencaijingfei"}},
		{"ren cai jing", []string{"rencai", "caijing", "rencaijing"}},
		{"rencai", nil},
		{"5g ai", nil},
		{"人才 rencai", nil},
		{"zhongguo nongye，fazhan yinhang", []string{"zhongguonongye", "fazhanyinhang"}},
	} {
		if got := search.PinyinJoins(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("PinyinJoins(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSynonyms(t *testing.T) {
	groups := search.NormalizeSynonyms([][]string{
		{"小微", "小型微利", "小微"},
		{"专精特新", "專精特新中小企業"},
		{"ＡＩ", "人工智能"},
		{"只有一个"},
		{" ", "空白"},
	})
	wantGroups := [][]string{{"小微", "小型微利"}, {"专精特新", "专精特新中小企业"}, {"ai", "人工智能"}}
	if !reflect.DeepEqual(groups, wantGroups) {
		t.Fatalf("NormalizeSynonyms = %q, want %q", groups, wantGroups)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"小微企业所得税", []string{"小型微利企业所得税"}},
		{"小型微利", []string{"小微"}},
		{"专精特新", []string{"专精特新中小企业"}},
		// The longest term wins where terms overlap.
		{"专精特新中小企业奖励", []string{"专精特新奖励"}},
		{"小微 ai", []string{"小型微利 ai", "小微 人工智能"}},
		// Latin terms match whole words only.
		{"email", nil},
		{"ai应用", []string{"人工智能应用"}},
		{"稳岗返还", nil},
	} {
		if got := search.ExpandSynonyms(tc.query, groups); !slices.Equal(got, tc.want) {
			t.Errorf("ExpandSynonyms(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
	pairs := search.SynonymPairs([][]string{{"再贷款", "专项再贷款", "支小再贷款"}, {"小微", "小型微利"}})
	wantPairs := map[string][]string{
		"再贷款": {"专项再贷款", "支小再贷款"}, "专项再贷款": {"再贷款", "支小再贷款"}, "支小再贷款": {"再贷款", "专项再贷款"},
		"小微": {"小型微利"}, "小型微利": {"小微"},
	}
	if !reflect.DeepEqual(pairs, wantPairs) {
		t.Errorf("SynonymPairs = %q, want %q", pairs, wantPairs)
	}
}

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		queries    []string
		max        int
		want       string
	}{
		{"Adjacent", "人才经费补贴", []string{"人才经费"}, 80, "<mark>人才经费</mark>补贴"},
		{"Apart", "人才引进经费", []string{"人才经费"}, 80, "<mark>人才</mark>引进<mark>经费</mark>"},
		{"Traditional", "港澳青年人才創業資助", []string{"创业资助"}, 80, "港澳青年人才<mark>創業資助</mark>"},
		{"Escaped", `<b>"人才"</b> & 经费`, []string{"人才"}, 80, `&lt;b&gt;&#34;<mark>人才</mark>&#34;&lt;/b&gt; &amp; 经费`},
		{"LatinWholeWords", "AI 与 maintain 的 Ai", []string{"ai"}, 80, "<mark>AI</mark> 与 maintain 的 <mark>Ai</mark>"},
		{"FullWidth", "２０２６年补贴", []string{"2026"}, 80, "<mark>２０２６</mark>年补贴"},
		{"Synonym", "小型微利企业", []string{"小微", "小型微利"}, 80, "<mark>小型微利</mark>企业"},
		{"NoMatch", "区交通运输局", []string{"银行"}, 80, "区交通运输局"},
		{"CutAroundMatch", strings.Repeat("甲", 30) + "人才" + strings.Repeat("乙", 30), []string{"人才"}, 20,
			"…甲甲甲甲甲<mark>人才</mark>乙乙乙乙乙乙乙乙乙乙乙乙乙…"},
		{"CutAtStart", "人才" + strings.Repeat("乙", 30), []string{"人才"}, 10, "<mark>人才</mark>乙乙乙乙乙乙乙乙…"},
		{"CutAtEnd", strings.Repeat("甲", 30) + "人才", []string{"人才"}, 10, "…甲甲甲甲甲甲甲甲<mark>人才</mark>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := search.Highlight(tc.text, tc.queries, tc.max); got != tc.want {
				t.Errorf("Highlight(%q, %q) =\n%q\nwant\n%q", tc.text, tc.queries, got, tc.want)
			}
		})
	}
}

func TestMarkedHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"[人才][经费]补贴", "<mark>人才经费</mark>补贴"},
		{"<mark>x</mark> & [y]", "&lt;mark&gt;x&lt;/mark&gt; &amp; <mark>y</mark>"},
		{"no tags", "no tags"},
		{"[unclosed", "<mark>unclosed</mark>"},
	} {
		if got := search.MarkedHTML(tc.in, "[", "]", 80); got != tc.want {
			t.Errorf("MarkedHTML(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := search.MarkedHTML("a<b", "", "", 80); got != "a&lt;b" {
		t.Errorf("MarkedHTML without tags = %q, want the text escaped", got)
	}
}

func TestSchemaValidate(t *testing.T) {
	good := search.Schema{
		Searchable: []string{"title", "summary"},
		Filterable: []string{"category", "tags"},
		Sortable:   []string{"published_at"},
		Synonyms:   [][]string{{"小微", "小型微利"}},
	}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(good) = %v", err)
	}
	if err := (search.Schema{}).Validate(); err != nil {
		t.Errorf("Validate(zero) = %v", err)
	}
	for name, s := range map[string]search.Schema{
		"LeadingUnderscore": {Searchable: []string{"_title"}},
		"Space":             {Filterable: []string{"a b"}},
		"Quote":             {Sortable: []string{`a"`}},
		"DoubleUnderscore":  {Searchable: []string{"a__b"}},
		"ID":                {Filterable: []string{"id"}},
		"Twice":             {Searchable: []string{"title", "title"}},
		"DerivedSuffix":     {Searchable: []string{"title_norm"}},
		"LoneSynonym":       {Synonyms: [][]string{{"小微"}}},
		"BlankSynonym":      {Synonyms: [][]string{{"小微", " "}}},
	} {
		t.Run(name, func(t *testing.T) {
			if err := s.Validate(); !errors.Is(err, search.ErrInvalidSchema) {
				t.Errorf("Validate(%+v) = %v, want ErrInvalidSchema", s, err)
			}
		})
	}
}

func TestSchemaCheck(t *testing.T) {
	s := search.Schema{
		Searchable: []string{"title"},
		Filterable: []string{"category"},
		Sortable:   []string{"published_at"},
	}
	ok := search.Query{
		Text:      "补贴",
		Filters:   []search.Filter{{Field: "category", Values: []string{"a"}}},
		Ranges:    []search.Range{{Field: "published_at"}, {Field: "category"}},
		Facets:    []string{"category"},
		Sort:      []string{"-published_at", "published_at"},
		Highlight: []string{"title"},
	}
	if err := s.Check(ok); err != nil {
		t.Errorf("Check(ok) = %v", err)
	}
	for name, q := range map[string]search.Query{
		"Filter":      {Filters: []search.Filter{{Field: "title", Values: []string{"a"}}}},
		"NoValues":    {Filters: []search.Filter{{Field: "category"}}},
		"Range":       {Ranges: []search.Range{{Field: "title"}}},
		"Facet":       {Facets: []string{"published_at"}},
		"Sort":        {Sort: []string{"category"}},
		"SortMissing": {Sort: []string{"-"}},
		"Highlight":   {Highlight: []string{"category"}},
	} {
		t.Run(name, func(t *testing.T) {
			if err := s.Check(q); !errors.Is(err, search.ErrInvalidQuery) {
				t.Errorf("Check(%+v) = %v, want ErrInvalidQuery", q, err)
			}
		})
	}
	// Without a schema any field may be highlighted, nothing filtered.
	if err := (search.Schema{}).Check(search.Query{Highlight: []string{"name"}}); err != nil {
		t.Errorf("zero schema Check(highlight) = %v", err)
	}
	if err := (search.Schema{}).Check(search.Query{Facets: []string{"kind"}}); !errors.Is(err, search.ErrInvalidQuery) {
		t.Errorf("zero schema Check(facet) = %v, want ErrInvalidQuery", err)
	}
}

func TestStrings(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want []string
	}{
		{"a", []string{"a"}},
		{[]string{"a", "b"}, []string{"a", "b"}},
		{[]any{"a", 1, "b"}, []string{"a", "b"}},
		{42, nil},
		{nil, nil},
	} {
		if got := search.Strings(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Strings(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAll(t *testing.T) {
	docs := []search.Document{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	var got []string
	for d, err := range search.All(docs) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d.ID)
		if d.ID == "b" {
			break
		}
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("All yielded %v, want a and b, then stop", got)
	}
}
