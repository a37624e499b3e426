package portal_test

import (
	"strings"
	"testing"

	"github.com/huiqi/huiqi/portal"
)

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		name, password, username string
		want                     string // substring of the message; "" means accepted
	}{
		{"7 characters", "Hq7#kLp", "", "密码至少需要 8 个字符"},
		{"empty", "", "", "密码至少需要 8 个字符"},
		{"8 characters", "Hq7#kLpz", "", ""},
		{"128 characters", strings.Repeat("Hq7#", 32), "", ""},
		{"129 characters", strings.Repeat("Hq7#", 32) + "x", "", "密码不能超过 128 个字符"},
		{"length counts characters, not bytes: 7 Chinese characters", "海上生明月天涯", "", "密码至少需要 8 个字符"},
		{"length counts characters, not bytes: 128 Chinese characters", strings.Repeat("海上生明月天涯共此时", 12) + "春眠不觉晓处处闻", "", ""},
		{"129 Chinese characters", strings.Repeat("海上生明月天涯共此时", 12) + "春眠不觉晓处处闻啼", "", "密码不能超过 128 个字符"},
		{"common", "password123", "", "过于常见"},
		{"common in upper case", "PASSWORD123", "", "过于常见"},
		{"common in mixed case", "PassWord1", "", "过于常见"},
		{"common digits", "12345678", "", "过于常见"},
		{"common pinyin", "WoAiNi1314", "", "过于常见"},
		{"contains the username", "zhangsan@2025", "zhangsan", "密码不能包含用户名"},
		{"contains the username in other case", "ZhangSan@2025", "zhangsan", "密码不能包含用户名"},
		{"username given in other case", "xx-zhangsan-xx", "ZhangSan", "密码不能包含用户名"},
		{"without a username the check is skipped", "zhangsan@2025", "", ""},
		{"all one letter", "aaaaaaaaaaa", "", "同一个字符重复"},
		{"all one symbol", "########", "", "同一个字符重复"},
		{"all one Chinese character", "哈哈哈哈哈哈哈哈", "", "同一个字符重复"},
		{"repeated character with one other", "aaaaaaab", "", ""},
		{"Chinese passphrase", "春眠不觉晓处处闻啼鸟", "", ""},
		{"mixed Chinese and digits", "海港物流2025年", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := portal.CheckPassword(tc.password, tc.username)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want accepted", tc.password, err)
				}
				return
			}
			if portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("CheckPassword(%q) = %v, want an invalid-input error", tc.password, err)
			}
			if msg := portal.ErrorMessage(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q lacks %q", msg, tc.want)
			}
			if portal.ErrorFields(err)["password"] == "" {
				t.Errorf("error does not name the password field: %v", portal.ErrorFields(err))
			}
		})
	}
}

func TestHashPassword(t *testing.T) {
	const pw = "春眠不觉晓 Hq7#"
	h1, err := portal.HashPassword(pw)
	portalMust(t, err, "hash")
	h2, err := portal.HashPassword(pw)
	portalMust(t, err, "hash again")
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the expected parameters", h1)
	}
	if h1 == h2 {
		t.Errorf("two hashes of one password are equal; the salt is not random")
	}
	if strings.Contains(h1, pw) {
		t.Errorf("hash contains the password")
	}
	for _, h := range []string{h1, h2} {
		ok, err := portal.VerifyPassword(h, pw)
		if err != nil || !ok {
			t.Errorf("VerifyPassword(right) = %v, %v; want true", ok, err)
		}
	}
	for _, wrong := range []string{"", "春眠不觉晓 Hq7", "春眠不觉晓 hq7#", pw + " ", "春眠不觉晓 Hq7#\x00"} {
		ok, err := portal.VerifyPassword(h1, wrong)
		if err != nil || ok {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false", wrong, ok, err)
		}
	}
}

func TestVerifyPasswordTamperedHash(t *testing.T) {
	const pw = "Hq7#kLpz-2025"
	h, err := portal.HashPassword(pw)
	portalMust(t, err, "hash")
	parts := strings.Split(h, "$") // "", argon2id, v=19, m=…,t=…,p=…, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	// A changed key still decodes: it is a wrong hash, not a broken one.
	flipped := []byte(parts[5])
	if flipped[0] == 'A' {
		flipped[0] = 'B'
	} else {
		flipped[0] = 'A'
	}
	if ok, err := portal.VerifyPassword(with(5, string(flipped)), pw); ok || err != nil {
		t.Errorf("hash with a changed key: %v, %v; want false", ok, err)
	}
	if ok, err := portal.VerifyPassword(with(4, "c2FsdHNhbHRzYWx0c2FsdA"), pw); ok || err != nil {
		t.Errorf("hash with a changed salt: %v, %v; want false", ok, err)
	}
	for name, bad := range map[string]string{
		"empty":                 "",
		"plain text":            pw,
		"bcrypt":                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":               with(1, "argon2i"),
		"other version":         with(2, "v=16"),
		"no version":            with(2, "x"),
		"parameters garbled":    with(3, "m=abc,t=2,p=1"),
		"salt not base64":       with(4, "!!!!"),
		"key not base64":        with(5, "****"),
		"part missing":          strings.Join(parts[:5], "$"),
		"part added":            h + "$extra",
		"no key":                with(5, ""),
		"short key":             with(5, "AAAA"),
		"no salt":               with(4, ""),
		"zero rounds":           with(3, "m=19456,t=0,p=1"),
		"zero threads":          with(3, "m=19456,t=2,p=0"),
		"zero memory":           with(3, "m=0,t=2,p=1"),
		"absurd memory":         with(3, "m=4294967295,t=2,p=1"),
		"absurd rounds":         with(3, "m=19456,t=4294967295,p=1"),
		"threads beyond uint8":  with(3, "m=19456,t=2,p=300"),
		"trailing garbage":      with(3, "m=19456,t=2,p=1junk"),
		"negative memory":       with(3, "m=-1,t=2,p=1"),
		"parameters reordered":  with(3, "t=2,m=19456,p=1"),
		"parameters missing p":  with(3, "m=19456,t=2"),
		"version with trailing": with(2, "v=19x"),
	} {
		t.Run(name, func(t *testing.T) {
			ok, err := portal.VerifyPassword(bad, pw)
			if err == nil || ok {
				t.Errorf("VerifyPassword(%q) = %v, %v; want an error", bad, ok, err)
			}
		})
	}
}

func portalMust(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
