package search

import (
	"html"
	"strings"
)

// Highlight returns text as HTML: escaped, with the parts that match any of
// the normalised queries wrapped in <mark>, cut to about maxRunes
// characters around the first match. Chinese matches by two-character
// pieces (人才经费 marks 人才 and 经费 in 人才引进经费); Latin and numeric
// words match whole words, ignoring case and width.
func Highlight(text string, queries []string, maxRunes int) string {
	orig, norm := normalizeAligned(text)
	marks := make([]bool, len(orig))
	for _, q := range queries {
		for _, piece := range Bigrams(q) {
			markAll(norm, marks, []rune(piece), false)
		}
		for _, w := range latinWords(q) {
			markAll(norm, marks, []rune(w), true)
		}
	}
	return renderMarked(orig, marks, maxRunes)
}

// markAll marks every occurrence of piece in norm; whole asks for a whole
// Latin or numeric word.
func markAll(norm []rune, marks []bool, piece []rune, whole bool) {
	n := len(piece)
	if n == 0 {
		return
	}
	for i := 0; i+n <= len(norm); i++ {
		if !equalRunes(norm[i:i+n], piece) {
			continue
		}
		if whole && ((i > 0 && isWordRune(norm[i-1])) || (i+n < len(norm) && isWordRune(norm[i+n]))) {
			continue
		}
		for k := i; k < i+n; k++ {
			marks[k] = true
		}
	}
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// MarkedHTML turns text whose matches a backend wrapped in the pre and
// post tags into the same HTML Highlight returns. Backends use tags that
// cannot occur in documents, so that text which merely looks like a tag
// is escaped like everything else.
func MarkedHTML(s, pre, post string, maxRunes int) string {
	if pre == "" || post == "" {
		rs := []rune(s)
		return renderMarked(rs, make([]bool, len(rs)), maxRunes)
	}
	var runes []rune
	var marks []bool
	on := false
	for s != "" {
		switch {
		case strings.HasPrefix(s, pre):
			on, s = true, s[len(pre):]
		case strings.HasPrefix(s, post):
			on, s = false, s[len(post):]
		default:
			r := []rune(s[:nextTag(s, pre, post)])
			runes = append(runes, r...)
			for range r {
				marks = append(marks, on)
			}
			s = s[nextTag(s, pre, post):]
		}
	}
	return renderMarked(runes, marks, maxRunes)
}

// nextTag returns where the next pre or post tag starts in s, or len(s).
func nextTag(s, pre, post string) int {
	n := len(s)
	if i := strings.Index(s, pre); i >= 0 && i < n {
		n = i
	}
	if i := strings.Index(s, post); i >= 0 && i < n {
		n = i
	}
	return n
}

// renderMarked escapes runes, wraps marked stretches in <mark> and keeps
// about maxRunes runes, starting a little before the first mark so the
// match shows with some context; "…" stands for what was cut.
func renderMarked(runes []rune, marks []bool, maxRunes int) string {
	start, end := 0, len(runes)
	if maxRunes > 0 && len(runes) > maxRunes {
		first := 0
		for i, m := range marks {
			if m {
				first = i
				break
			}
		}
		start = max(0, first-maxRunes/4)
		end = min(len(runes), start+maxRunes)
		start = max(0, end-maxRunes)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	on := false
	for i := start; i < end; i++ {
		if marks[i] != on {
			if on {
				b.WriteString("</mark>")
			} else {
				b.WriteString("<mark>")
			}
			on = marks[i]
		}
		b.WriteString(html.EscapeString(string(runes[i])))
	}
	if on {
		b.WriteString("</mark>")
	}
	if end < len(runes) {
		b.WriteString("…")
	}
	return b.String()
}
