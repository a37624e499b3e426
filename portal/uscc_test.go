package portal_test

import (
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

// publishedUSCCs are codes companies publish on their licences and
// websites; each one's check character was verified by computing it.
var publishedUSCCs = map[string]string{
	"914403001922038216": "华为技术有限公司",
	"91440300708461136T": "深圳市腾讯计算机系统有限公司",
	"91110108551385082Q": "小米科技有限责任公司",
	"91110000802100433B": "北京百度网讯科技有限公司",
	"91520000214434146R": "贵州茅台酒股份有限公司",
	"91440300192317458F": "比亚迪股份有限公司",
}

func TestUSCCCheckChar(t *testing.T) {
	for code, name := range publishedUSCCs {
		got, err := portal.USCCCheckChar(code[:17])
		if err != nil || got != code[17] {
			t.Errorf("%s (%s): check character %q, %v; want %q", code, name, got, err, code[17])
		}
	}
	// A weighted sum that is a multiple of 31 gives check character 0,
	// not the out-of-range 31 a naive "31 - sum%31" would give.
	if got, err := portal.USCCCheckChar("00000000000000000"); err != nil || got != '0' {
		t.Errorf("all zeros: check character %q, %v; want '0'", got, err)
	}
	for _, bad := range []string{"", "9144030019220382", "914403001922038216", "91440300192203821I"} {
		if _, err := portal.USCCCheckChar(bad); err == nil {
			t.Errorf("USCCCheckChar(%q) accepted input that is not 17 characters of the code set", bad)
		}
	}
}

// withCheck completes first17 with its computed check character.
func withCheck(t *testing.T, first17 string) string {
	t.Helper()
	c, err := portal.USCCCheckChar(first17)
	if err != nil {
		t.Fatalf("check character of %s: %v", first17, err)
	}
	return first17 + string(c)
}

func TestValidateUSCC(t *testing.T) {
	type tc struct {
		name  string
		input string // passed through NormalizeUSCC first
		want  string // substring of the error message; "" means valid
	}
	var cases []tc
	for code, name := range publishedUSCCs {
		cases = append(cases, tc{"published " + name, code, ""})
	}
	cases = append(cases,
		tc{"computed company code", withCheck(t, "91440308MA5G00001"), ""},
		tc{"computed check character 0", withCheck(t, "00000000000000000"), ""},
		tc{"social organisation (5)", withCheck(t, "51440300MJL000001"), ""},
		tc{"public institution (1)", withCheck(t, "12440300455755123"), ""},
		tc{"lower case is normalised", strings.ToLower("91440300708461136T"), ""},
		tc{"spaces are removed", " 9144 0300 1922 0382 16 ", ""},
		tc{"tabs, line breaks and ideographic spaces are removed", "91110108\t5513\n85082q\u3000", ""},
		tc{"17 characters", "91440300192203821", "应为 18 位，当前为 17 位"},
		tc{"19 characters", "9144030019220382160", "应为 18 位，当前为 19 位"},
		tc{"empty", "", "应为 18 位，当前为 0 位"},
		tc{"Chinese characters count as one each", "914403001922038216华为", "应为 18 位，当前为 20 位"},
		tc{"letter I", "91440300I92203821" + "6", "第 9 位“I”不是有效字符"},
		tc{"letter O", "914403001922O38216", "第 13 位“O”不是有效字符"},
		tc{"letter Z", "91440300192203821Z", "第 18 位“Z”不是有效字符"},
		tc{"letter S", "S14403001922038216", "第 1 位“S”不是有效字符"},
		tc{"letter V", "9V4403001922038216", "第 2 位“V”不是有效字符"},
		tc{"Chinese character", "91440300192华038216", "第 12 位“华”不是有效字符"},
		tc{"punctuation", "91440300-192203821", "第 9 位“-”不是有效字符"},
		tc{"letter in the region code", withCheck(t, "91A40300192203821"), "第 3–8 位是行政区划码，只能是数字，第 3 位是“A”"},
		tc{"letter at the end of the region code", withCheck(t, "9144030X192203821"), "第 3–8 位是行政区划码，只能是数字，第 8 位是“X”"},
		tc{"wrong check character", "914403001922038217", "第 18 位应为“6”，实为“7”"},
		tc{"two digits swapped", "914403001922038126", "校验位错误"},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := portal.ValidateUSCC(portal.NormalizeUSCC(c.input))
			if c.want == "" {
				if err != nil {
					t.Fatalf("ValidateUSCC(%q) = %v, want valid", c.input, err)
				}
				return
			}
			if portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("ValidateUSCC(%q) = %v, want an invalid-input error", c.input, err)
			}
			msg := portal.ErrorMessage(err)
			if !strings.Contains(msg, c.want) {
				t.Errorf("message %q lacks %q", msg, c.want)
			}
			if f := portal.ErrorFields(err)["uscc"]; f != msg {
				t.Errorf("field uscc = %q, want the message %q", f, msg)
			}
		})
	}
}

func TestValidateUSCCNeedsNormalising(t *testing.T) {
	// ValidateUSCC takes normalised input; lower-case letters are outside
	// the code set until NormalizeUSCC upper-cases them.
	err := portal.ValidateUSCC("91440300708461136t")
	if !strings.Contains(portal.ErrorMessage(err), "第 18 位“t”不是有效字符") {
		t.Errorf("lower-case check character not reported: %v", err)
	}
}

func TestNormalizeUSCC(t *testing.T) {
	for in, want := range map[string]string{
		"91440300708461136t":      "91440300708461136T",
		"  91440300 708461136T\n": "91440300708461136T",
		"9144\u30000300\u3000abc": "91440300ABC",
		"":                        "",
		"91440300708461136T":      "91440300708461136T",
		"ma5g 00001 x":            "MA5G00001X",
		"91 11 01 08":             "91110108",
	} {
		if got := portal.NormalizeUSCC(in); got != want {
			t.Errorf("NormalizeUSCC(%q) = %q, want %q", in, got, want)
		}
	}
}
