package search

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"github.com/mozillazg/go-pinyin"
)

// Normalisation shared by every backend, so that an index and the queries
// against it agree on what a character is: Traditional → Simplified
// (OpenCC t2s), full-width → half-width, lower case. Each step maps one
// character to one character (except rare OpenCC phrase rules), which lets
// highlighting map matches in normalised text back to the original.

// t2s is the OpenCC converter, loaded once on first use: loading parses
// its dictionaries.
var t2s = sync.OnceValue(func() *opencc.OpenCC {
	cc, err := opencc.New("t2s")
	if err != nil {
		// The dictionaries are embedded in the opencc module; failing to
		// load them is a broken build, like a bad regexp literal.
		panic(fmt.Sprintf("search: load OpenCC t2s dictionaries: %v", err))
	}
	return cc
})

// hanRanges are the blocks whose characters t2sChars examines one by one.
var hanRanges = []struct{ lo, hi rune }{
	{0x3400, 0x4DBF}, // CJK Unified Ideographs Extension A
	{0x4E00, 0x9FFF}, // CJK Unified Ideographs
	{0xF900, 0xFAFF}, // CJK Compatibility Ideographs
}

// t2sChars holds the characters OpenCC changes on their own. Text without
// any of them (nearly all Simplified text) skips the converter, which
// costs about half a microsecond per character.
var t2sChars = sync.OnceValue(func() map[rune]bool {
	cc := t2s()
	out := make(map[rune]bool, 4096)
	for _, rg := range hanRanges {
		for r := rg.lo; r <= rg.hi; r++ {
			if s, err := cc.Convert(string(r)); err == nil && s != string(r) {
				out[r] = true
			}
		}
	}
	return out
})

// needsT2S reports whether s holds a character OpenCC would change; Han
// characters outside the examined blocks are handed to OpenCC to be safe.
func needsT2S(s string) bool {
	set := t2sChars()
	for _, r := range s {
		if r < 0x3400 {
			continue
		}
		if set[r] {
			return true
		}
		if unicode.Is(unicode.Han, r) && !inHanRanges(r) {
			return true
		}
	}
	return false
}

func inHanRanges(r rune) bool {
	for _, rg := range hanRanges {
		if r >= rg.lo && r <= rg.hi {
			return true
		}
	}
	return false
}

// foldRune maps a full-width ASCII variant or the ideographic space to its
// half-width form and lowers the case.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

// convertT2S runs OpenCC on s when s has something to convert.
func convertT2S(s string) string {
	if !needsT2S(s) {
		return s
	}
	out, err := t2s().Convert(s)
	if err != nil {
		return s
	}
	return out
}

// Normalize returns s as both backends index and query it: Simplified
// Chinese, half-width, lower case. 人才經費 → 人才经费, ＡＩ → ai.
func Normalize(s string) string {
	s = convertT2S(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// normalizeAligned returns the runes of s and their normalised forms, one
// for one, so that a match found in the normalised text can be marked in
// the original.
func normalizeAligned(s string) (orig, norm []rune) {
	orig = []rune(s)
	conv := []rune(convertT2S(s))
	if len(conv) != len(orig) {
		// A phrase rule changed the length; convert character by
		// character instead, which keeps positions.
		conv = make([]rune, len(orig))
		for i, r := range orig {
			conv[i] = r
			if c := []rune(convertT2S(string(r))); len(c) == 1 {
				conv[i] = c[0]
			}
		}
	}
	for i, r := range conv {
		conv[i] = foldRune(r)
	}
	return orig, conv
}

// isHan reports a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isWordRune reports a letter or digit outside Chinese: the runes of a
// Latin or numeric word.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r)
}

// hanRuns splits normalised text into runs of consecutive Chinese
// characters.
func hanRuns(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		switch {
		case isHan(r) && start < 0:
			start = i
		case !isHan(r) && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// latinWords splits normalised text into its Latin and numeric words.
func latinWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// Bigrams returns the overlapping two-character pieces of every run of
// Chinese in normalised text (a run of one character is kept whole), in
// order. 区交通运输局 → 区交 交通 通运 运输 输局: any two adjacent
// characters of a name find it, however a word segmenter would cut it.
func Bigrams(s string) []string {
	var out []string
	for _, run := range hanRuns(s) {
		rs := []rune(run)
		if len(rs) == 1 {
			out = append(out, run)
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

// maxPinyinGram is the longest run of syllables joined into one pinyin
// term: enough for the words and short names people type in full pinyin.
const maxPinyinGram = 6

// pinyinPhrases fixes characters whose first reading is wrong in words
// common in the portal's texts.
var pinyinPhrases = map[string][]string{
	"银行": {"yin", "hang"}, "行业": {"hang", "ye"}, "商行": {"shang", "hang"},
	"长期": {"chang", "qi"}, "长效": {"chang", "xiao"}, "延长": {"yan", "chang"}, "长江": {"chang", "jiang"},
	"还款": {"huan", "kuan"}, "偿还": {"chang", "huan"}, "返还": {"fan", "huan"}, "退还": {"tui", "huan"}, "归还": {"gui", "huan"},
	"调整": {"tiao", "zheng"}, "协调": {"xie", "tiao"}, "空调": {"kong", "tiao"}, "调节": {"tiao", "jie"},
	"供给": {"gong", "ji"}, "给予": {"ji", "yu"}, "重庆": {"chong", "qing"}, "利率": {"li", "lv"}, "效率": {"xiao", "lv"},
}

// longestPinyinPhrase is the length in runes of the longest key above.
const longestPinyinPhrase = 2

var (
	pinyinArgs  = pinyin.NewArgs()
	pinyinCache sync.Map // rune → string ("" when the character has none)
)

// syllable returns the first toneless reading of a Chinese character, or
// "" when it has none.
func syllable(r rune) string {
	if v, ok := pinyinCache.Load(r); ok {
		return v.(string)
	}
	s := ""
	if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
		s = p[0]
	}
	pinyinCache.Store(r, s)
	return s
}

// syllableRuns returns the pinyin of every run of Chinese in normalised
// text, one syllable per character; a character without a reading ends
// the run.
func syllableRuns(s string) [][]string {
	var out [][]string
	for _, run := range hanRuns(s) {
		rs := []rune(run)
		var cur []string
		for i := 0; i < len(rs); {
			if n, syl := phraseAt(rs[i:]); n > 0 {
				cur = append(cur, syl...)
				i += n
				continue
			}
			p := syllable(rs[i])
			if p == "" {
				if len(cur) > 0 {
					out = append(out, cur)
				}
				cur = nil
			} else {
				cur = append(cur, p)
			}
			i++
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
	}
	return out
}

// phraseAt returns the length and readings of the pinyinPhrases entry rs
// starts with, if any.
func phraseAt(rs []rune) (int, []string) {
	for n := min(longestPinyinPhrase, len(rs)); n >= 2; n-- {
		if syl, ok := pinyinPhrases[string(rs[:n])]; ok {
			return n, syl
		}
	}
	return 0, nil
}

// PinyinTerms returns the pinyin terms of text: for every run of Chinese,
// each stretch of two to six consecutive syllables written together
// (人才经费 → rencai caijing jingfei rencaijing caijingfei rencaijingfei),
// without repeats. "rencai", "rencaijingfei" and "rencai jingfei" all
// find it; single syllables are left out because they would match nearly
// everything ("ai" would find every 爱).
func PinyinTerms(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, run := range syllableRuns(Normalize(text)) {
		for n := 2; n <= min(maxPinyinGram, len(run)); n++ {
			for i := 0; i+n <= len(run); i++ {
				t := strings.Join(run[i:i+n], "")
				if !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// PinyinJoins returns the runs of adjacent Latin words of a normalised
// query written together ("ren cai jing fei" → rencai, caijing, …,
// rencaijingfei), so that pinyin typed with spaces between syllables
// finds the joined PinyinTerms.
func PinyinJoins(query string) []string {
	var out []string
	seen := map[string]bool{}
	for _, group := range latinGroups(query) {
		for n := 2; n <= min(maxPinyinGram, len(group)); n++ {
			for i := 0; i+n <= len(group); i++ {
				t := strings.Join(group[i:i+n], "")
				if !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// latinGroups splits a normalised query into groups of Latin words
// separated only by spaces.
func latinGroups(s string) [][]string {
	var groups [][]string
	var cur []string
	flush := func() {
		if len(cur) > 1 {
			groups = append(groups, cur)
		}
		cur = nil
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return isHan(r) || unicode.IsPunct(r) }) {
		for _, w := range strings.Fields(f) {
			if isLetters(w) {
				cur = append(cur, w)
			} else {
				flush()
			}
		}
		flush()
	}
	return groups
}

// isLetters reports a word of ASCII letters only.
func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return w != ""
}

// NormalizeSynonyms normalises the terms of synonym groups and drops
// empty terms, repeats and groups left with fewer than two terms.
func NormalizeSynonyms(groups [][]string) [][]string {
	var out [][]string
	for _, g := range groups {
		var terms []string
		for _, t := range g {
			t = strings.TrimSpace(Normalize(t))
			if t != "" && !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		if len(terms) > 1 {
			out = append(out, terms)
		}
	}
	return out
}

// SynonymPairs expands groups into the map Meilisearch wants: every term
// to every other term of its group.
func SynonymPairs(groups [][]string) map[string][]string {
	out := map[string][]string{}
	for _, g := range NormalizeSynonyms(groups) {
		for _, t := range g {
			for _, o := range g {
				if o != t && !slices.Contains(out[t], o) {
					out[t] = append(out[t], o)
				}
			}
		}
	}
	return out
}

// maxExpansions bounds the alternatives ExpandSynonyms returns.
const maxExpansions = 8

// ExpandSynonyms returns the other ways of writing a normalised query
// that normalised groups allow: each synonym found in the query replaced
// by each other term of its group, one replacement per alternative. The
// longest term wins where terms overlap (专精特新中小企业 over 专精特新).
func ExpandSynonyms(query string, groups [][]string) []string {
	type match struct {
		start, end int
		group      []string
		term       string
	}
	var ms []match
	taken := make([]bool, len(query))
	type cand struct {
		term  string
		group []string
	}
	var cands []cand
	for _, g := range groups {
		for _, t := range g {
			cands = append(cands, cand{t, g})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return utf8.RuneCountInString(b.term) - utf8.RuneCountInString(a.term) })
	for _, c := range cands {
		for from := 0; from < len(query); {
			i := strings.Index(query[from:], c.term)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(c.term)
			if !slices.Contains(taken[start:end], true) && wordBounded(query, start, end) {
				for k := start; k < end; k++ {
					taken[k] = true
				}
				ms = append(ms, match{start, end, c.group, c.term})
			}
			from = end
		}
	}
	slices.SortFunc(ms, func(a, b match) int { return a.start - b.start })
	var out []string
	for _, m := range ms {
		for _, o := range m.group {
			if o == m.term {
				continue
			}
			alt := query[:m.start] + o + query[m.end:]
			if alt != query && !slices.Contains(out, alt) {
				out = append(out, alt)
				if len(out) == maxExpansions {
					return out
				}
			}
		}
	}
	return out
}

// wordBounded reports whether query[start:end] does not cut a Latin or
// numeric word in two ("ai" is not a synonym inside "email"); Chinese has
// no word boundaries to respect.
func wordBounded(query string, start, end int) bool {
	if r, _ := utf8.DecodeLastRuneInString(query[:start]); start > 0 && isWordRune(r) {
		if f, _ := utf8.DecodeRuneInString(query[start:]); isWordRune(f) {
			return false
		}
	}
	if r, _ := utf8.DecodeRuneInString(query[end:]); end < len(query) && isWordRune(r) {
		if l, _ := utf8.DecodeLastRuneInString(query[:end]); isWordRune(l) {
			return false
		}
	}
	return true
}
