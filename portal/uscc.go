package portal

import (
	"fmt"
	"strings"
)

// usccCharset is the code set of GB 32100-2015: digits and upper-case
// letters without I, O, Z, S and V. A character's value is its index.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1–17 (3^(i-1) mod 31).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeUSCC trims spaces and upper-cases a code as people type it.
func NormalizeUSCC(code string) string {
	return strings.ToUpper(strings.Join(strings.Fields(code), ""))
}

// USCCCheckChar returns the check character for the first 17 characters.
func USCCCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("need 17 characters, got %d", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccCharset, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("character %q at position %d is outside the code set", first17[i], i+1)
		}
		sum += v * usccWeights[i]
	}
	return usccCharset[(31-sum%31)%31], nil
}

// ValidateUSCC checks a 统一社会信用代码 (already normalised) and says what is
// wrong: its length, a character outside the code set, or the check character.
func ValidateUSCC(code string) error {
	bad := func(msg string) error { return Invalid(msg, map[string]string{"uscc": msg}) }
	if n := len([]rune(code)); n != 18 {
		return bad(fmt.Sprintf("统一社会信用代码应为 18 位，当前为 %d 位", n))
	}
	for i, r := range code {
		if r > 0x7f || !strings.ContainsRune(usccCharset, r) {
			return bad(fmt.Sprintf("统一社会信用代码第 %d 位“%c”不是有效字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）", i+1, r))
		}
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return bad(fmt.Sprintf("统一社会信用代码第 3–8 位是行政区划码，只能是数字，第 %d 位是“%c”", i+1, code[i]))
		}
	}
	want, _ := USCCCheckChar(code[:17])
	if code[17] != want {
		return bad(fmt.Sprintf("统一社会信用代码校验位错误：第 18 位应为“%c”，实为“%c”，请核对是否输错", want, code[17]))
	}
	return nil
}
